//! The supervisor's live board (R5): every queue and agent, and the simulated traffic's controls.

use crate::app::live::{use_live, RoutingHere};
use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::board;
use taskdesk_domain::duration::spoken;
use taskdesk_domain::routing::channel_slot;
use taskdesk_domain::Channel;

/// The supervisor's live board: every queue and agent of the workspace, read from the records
/// (so it shows the whole team on any device), and, where routing runs, the simulated traffic.
#[component]
pub fn BoardView() -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let queues = move || state.ws.with(|ws| ws.as_ref().map(|w| board::queues(w, live.now.get())).unwrap_or_default());
    let agents = move || {
        state.ws.with(|ws| {
            let now = live.now.get();
            ws.as_ref()
                .map(|w| {
                    board::agents(w, now)
                        .into_iter()
                        .map(|a| {
                            let l = |ch: Channel| format!("{}/{}", a.load[channel_slot(ch)], a.capacity.of(ch));
                            let since = a.since.map_or_else(|| "—".to_string(), |s| spoken(now.saturating_sub(s)));
                            (a.name, a.presence.label(), l(Channel::Call), l(Channel::Email), l(Channel::Chat), l(Channel::Sms), since)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="td-page" aria-labelledby="board-title">
            <div class="td-page-head">
                <h1 id="board-title">"Live board"</h1>
            </div>
            <p class="td-muted">{move || live.role.get().words()}</p>
            <Show when=move || live.role.get() == RoutingHere::Here && state.simulator.get()>
                <SimControls />
            </Show>
            <section aria-labelledby="board-queues">
                <h2 id="board-queues">"Queues"</h2>
                <div class="td-table-wrap" role="region" aria-label="Queues" tabindex="0"><table class="td-table">
                    <thead><tr><th>"Queue"</th><th>"Waiting"</th><th>"Longest wait"</th><th>"Offered"</th><th>"Assigned"</th><th>"For a supervisor"</th></tr></thead>
                    <tbody>
                        {move || queues().into_iter().map(|q| view! {
                            <tr><th scope="row">{q.name}</th><td>{q.waiting}</td><td>{if q.waiting == 0 { "—".to_string() } else { spoken(q.longest_ms) }}</td><td>{q.offered}</td><td>{q.assigned}</td><td>{q.flagged}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>
            <section aria-labelledby="board-agents">
                <h2 id="board-agents">"Agents"</h2>
                <div class="td-table-wrap" role="region" aria-label="Agents" tabindex="0"><table class="td-table">
                    <thead><tr><th>"Agent"</th><th>"Presence"</th><th>"Calls"</th><th>"Emails"</th><th>"Chats"</th><th>"SMS"</th><th>"For"</th></tr></thead>
                    <tbody>
                        {move || agents().into_iter().map(|(name, presence, calls, emails, chats, sms, since)| view! {
                            <tr><th scope="row">{name}</th><td>{presence}</td><td>{calls}</td><td>{emails}</td><td>{chats}</td><td>{sms}</td><td>{since}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>
        </section>
    }
}

/// Pause, resume and speed of the simulated contact center.
#[component]
fn SimControls() -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let off = move || state.ws.with(|ws| ws.as_ref().is_some_and(|w| !w.config.simulator));
    view! {
        <div class="td-filters" role="group" aria-label="Simulated traffic">
            <button type="button" class="td-button" disabled=off on:click=move |_| live.set_paused(!live.paused.get_untracked())>
                {move || if live.paused.get() { "Resume traffic" } else { "Pause traffic" }}
            </button>
            <label class="td-inline-field">
                "Speed"
                <select on:change=move |ev| live.set_speed(event_target_value(&ev).parse().unwrap_or(1))>
                    {[1u32, 5, 20, 60].into_iter().map(|s| view! { <option value=s.to_string() selected=move || live.speed.get() == s>{format!("{s}×")}</option> }).collect_view()}
                </select>
            </label>
            <span class="td-muted" role="status">
                {move || match (off(), live.paused.get()) {
                    (true, _) => "Simulated traffic is switched off (Settings)",
                    (false, true) => "Traffic paused",
                    (false, false) => "Traffic flowing",
                }}
            </span>
        </div>
    }
}
