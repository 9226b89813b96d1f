//! What people see of the live center: the presence selector, the offer pop-up with its
//! countdown and "Why me?", the supervisor's live board, and "Why waiting?", reassign and
//! transfer on a task.

use crate::app::live::{self, clock, use_live, RoutingHere};
use crate::app::state::use_app;
use crate::app::Route;
use leptos::prelude::*;
use taskdesk_domain::board;
use taskdesk_domain::center::queue_setups;
use taskdesk_domain::duration::spoken;
use taskdesk_domain::routing::{channel_slot, Presence};
use taskdesk_domain::{Channel, TaskId, UserId};

/// The presence selector in the top bar, with where routing runs.
#[component]
pub fn PresenceSelect() -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let agent = move || state.me_user().role == taskdesk_domain::Role::Agent;
    let presence = move || state.ws.with(|ws| ws.as_ref().map_or(Presence::Busy, |w| w.presence_of(state.me.get())));
    view! {
        <div class="td-user">
            <Show when=agent>
            <label for="td-presence">"Presence"</label>
            <select
                id="td-presence"
                on:change=move |ev| {
                    if let Some(p) = Presence::from_key(&event_target_value(&ev)) {
                        live::set_presence(state, p);
                    }
                }
            >
                {Presence::ALL.into_iter().map(|p| view! { <option value=p.key() selected=move || presence() == p>{p.label()}</option> }).collect_view()}
            </select>
            </Show>
            <span class="td-muted td-routing" role="status">{move || live.role.get().words()}</span>
        </div>
    }
}

/// The person at the screen's routed work by state, for agents.
#[component]
pub fn MyWork() -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let counts = move || state.ws.with(|ws| ws.as_ref().map(|w| board::my_work(w, state.me.get(), live.now.get())));
    view! {
        <Show when=move || state.me_user().role == taskdesk_domain::Role::Agent && counts().is_some()>
            <p class="td-muted td-my-work" role="status" aria-label="My work">
                {move || counts().map(|[offered, assigned, wrapping]| format!("My work: {offered} offered · {assigned} assigned · {wrapping} wrapping up"))}
            </p>
        </Show>
    }
}

/// Offers to the person at the screen, each with its countdown, Accept, Reject and "Why me?":
/// read from the records, so they show whichever device routes.
#[component]
pub fn Offers() -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let offers = move || state.ws.with(|ws| ws.as_ref().map(|w| w.offers_to(state.me.get(), live.now.get()).into_iter().map(|t| t.id).collect::<Vec<_>>()).unwrap_or_default());
    // Said once by screen readers when an offer comes, without taking focus from what the
    // agent is typing; `o` goes to it.
    let announce = move || {
        let list = offers();
        state.ws.with(|ws| {
            let w = ws.as_ref()?;
            let t = w.task(*list.last()?)?;
            Some(format!("New {} for you: {}. Press O to answer.", t.channel.label().to_lowercase(), t.subject))
        })
    };
    view! {
        <p class="td-visually-hidden" aria-live="assertive">{announce}</p>
        <For each=offers key=|id| *id let:task>
            <OfferCard task=task />
        </For>
    }
}

#[component]
fn OfferCard(task: TaskId) -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let (subject, channel, queue, offer) =
        state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| w.task(task)).map(|t| (t.subject.clone(), t.channel.label(), t.queue.clone().unwrap_or_default(), t.offer.clone())).unwrap_or_default());
    let until = offer.as_ref().map_or(0, |o| o.until);
    let left = move || until.saturating_sub(live.now.get()).div_ceil(1000);
    let why = RwSignal::new(false);
    let ex = offer.map(|o| o.why).unwrap_or_default();
    view! {
        <div class="td-offer" role="alertdialog" aria-label="New offer" aria-describedby=format!("offer-{task}")>
            <h2>"New " {if channel == "SMS" { channel.to_string() } else { channel.to_lowercase() }} " for you"</h2>
            <p id=format!("offer-{task}")>
                <strong>{subject}</strong> " in " {queue}
            </p>
            <p class="td-muted" role="timer" aria-live="off">{move || format!("Answer within {} s", left())}</p>
            <div class="td-actions">
                <button type="button" class="td-button td-primary" aria-keyshortcuts="o" on:click=move |_| {
                    live::answer(state, task, true);
                    state.navigate(Route::Task(task));
                }>"Accept"</button>
                <button type="button" class="td-button" on:click=move |_| live::answer(state, task, false)>"Reject"</button>
                <button type="button" class="td-link-button" aria-expanded=move || why.get().to_string() on:click=move |_| why.update(|w| *w = !*w)>"Why me?"</button>
            </div>
            <Show when=move || why.get()>
                <Explanation ex=ex.clone() />
            </Show>
        </div>
    }
}

#[component]
fn Explanation(ex: taskdesk_domain::routing::Explanation) -> impl IntoView {
    view! {
        <div class="td-why">
            <p>{ex.step.clone()}</p>
            <ul>
                {ex.matched.iter().map(|(s, has, needs)| view! { <li>{format!("{s}: you have {has}, {needs} needed")}</li> }).collect_view()}
                <li>{format!("You had been idle {}", spoken(ex.idle_ms))}</li>
                {ex.runners_up.iter().map(|r| view! { <li>{format!("{} was eligible too, but {}", r.name, r.reason)}</li> }).collect_view()}
            </ul>
        </div>
    }
}

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

/// On a task: where routing has it (from the records), "Why waiting?" where routing runs, the
/// agent's "Finish wrap-up", and for supervisors reassign and transfer.
#[component]
pub fn TaskRouting(id: TaskId) -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let standing = move || state.ws.with(|ws| ws.as_ref().and_then(|w| board::task_standing(w, id, live.now.get())));
    let mine_wrapping = move || state.ws.with(|ws| ws.as_ref().and_then(|w| w.task(id)).is_some_and(|t| t.wrapping && t.assignee == Some(state.me.get())));
    let why = move || live.with(|c| c.router.why_waiting(id, clock())).flatten();
    let agent = RwSignal::new(String::new());
    let queue = RwSignal::new(String::new());
    let agents = move || state.users().into_iter().filter(|u| u.role == taskdesk_domain::Role::Agent).map(|u| (u.id, u.name)).collect::<Vec<_>>();
    let queues = move || state.ws.with(|ws| ws.as_ref().map(|w| queue_setups(w).into_iter().map(|q| q.name).collect::<Vec<_>>()).unwrap_or_default());
    view! {
        <section class="td-routing-panel" aria-labelledby="routing-title">
            <h2 id="routing-title">"Routing"</h2>
            {move || match standing() {
                None => view! { <p class="td-muted">"Not routed."</p> }.into_any(),
                Some((words, refusals, flagged)) => view! {
                    <p>{format!("{words}; refused {refusals} times")}{flagged.then_some(" — waiting for a supervisor")}</p>
                }.into_any(),
            }}
            <Show when=mine_wrapping>
                <button type="button" class="td-button td-primary" on:click=move |_| live::finish_wrap_up(state, id)>"Finish wrap-up"</button>
            </Show>
            {move || why().map(|w| view! {
                <details class="td-why">
                    <summary>"Why waiting?"</summary>
                    <p>{format!("{}; {} tasks ahead; {} agents could take it now.", w.step, w.ahead, w.eligible)}</p>
                    <ul>{w.blocked_by.into_iter().map(|(reason, n)| view! { <li>{format!("{n} agent(s) {reason}")}</li> }).collect_view()}</ul>
                </details>
            })}
            <Show when=supervises>
                <form class="td-inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    if let Some(a) = UserId::parse(&agent.get_untracked()) {
                        live::supervise(state, id, Some(a), None);
                    }
                }>
                    <label class="td-inline-field">"Reassign to"
                        <select on:change=move |ev| agent.set(event_target_value(&ev))>
                            <option value="">"Choose an agent"</option>
                            {move || agents().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="td-button">"Reassign"</button>
                </form>
                <form class="td-inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let q = queue.get_untracked();
                    if !q.is_empty() {
                        live::supervise(state, id, None, Some(q));
                    }
                }>
                    <label class="td-inline-field">"Transfer to queue"
                        <select on:change=move |ev| queue.set(event_target_value(&ev))>
                            <option value="">"Choose a queue"</option>
                            {move || queues().into_iter().map(|q| view! { <option value=q.clone()>{q.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="td-button">"Transfer"</button>
                </form>
            </Show>
        </section>
    }
}

/// Whether the person at the screen supervises (may reassign and transfer): the live board and the routing controls.
pub fn supervises() -> bool {
    taskdesk_domain::permission::allows(&use_app().me_user(), taskdesk_domain::permission::Permission::Supervise)
}
