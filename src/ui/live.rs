//! What people see of the live center: the presence selector, the offer pop-up with its
//! countdown and "Why me?", the supervisor's live board, and "Why waiting?", reassign and
//! transfer on a task.

use crate::app::live::{self, clock, use_live};
use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::board;
use taskdesk_domain::center::queue_setups;
use taskdesk_domain::routing::Presence;
use taskdesk_domain::{TaskId, UserId};

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
    // Read by the Show and by the text: counted once per change.
    let counts = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().map(|w| board::my_work(w, state.me.get(), live.now.get()))));
    view! {
        <Show when=move || state.me_user().role == taskdesk_domain::Role::Agent && counts.with(Option::is_some)>
            <p class="td-muted td-my-work" role="status" aria-label="My work">
                {move || counts.get().map(|[offered, assigned, wrapping]| format!("My work: {offered} offered · {assigned} assigned · {wrapping} wrapping up"))}
            </p>
        </Show>
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
