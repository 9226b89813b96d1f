//! What people see of the live center: the presence selector, the offer pop-up with its
//! countdown and "Why me?", the supervisor's live board, and "Why waiting?", reassign and
//! transfer on a task.

use crate::app::live::{clock, use_live, RoutingHere};
use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::routing::{channel_slot, Decision, Presence, TaskState};
use taskdesk_domain::{Channel, TaskId, UserId};

/// The presence selector in the top bar, with where routing runs.
#[component]
pub fn PresenceSelect() -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let role_text = move || match live.role.get() {
        RoutingHere::Starting => "Routing: starting",
        RoutingHere::Here => "Routing in this tab",
        RoutingHere::OtherTab => "Routing runs in another tab",
    };
    let agent = move || state.me_user().role == taskdesk_domain::Role::Agent;
    view! {
        <div class="td-user">
            <Show when=agent>
            <label for="td-presence">"Presence"</label>
            <select
                id="td-presence"
                disabled=move || live.role.get() != RoutingHere::Here
                on:change=move |ev| {
                    if let Some(p) = Presence::from_key(&event_target_value(&ev)) {
                        live.set_presence(state, p);
                    }
                }
            >
                {Presence::ALL.into_iter().map(|p| view! { <option value=p.key() selected=move || live.presence.get() == p>{p.label()}</option> }).collect_view()}
            </select>
            </Show>
            <span class="td-muted td-routing" role="status">{role_text}</span>
        </div>
    }
}

/// The person at the screen's routed work by state, for agents when this tab routes.
#[component]
pub fn MyWork() -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let counts = move || live.with(|c| c.my_work());
    view! {
        <Show when=move || state.me_user().role == taskdesk_domain::Role::Agent && counts().is_some()>
            <p class="td-muted td-my-work" role="status" aria-label="My work">
                {move || counts().map(|[offered, assigned, wrapping]| format!("My work: {offered} offered · {assigned} assigned · {wrapping} wrapping up"))}
            </p>
        </Show>
    }
}

/// Offers to the person at the screen, each with its countdown, Accept, Reject and "Why me?".
#[component]
pub fn Offers() -> impl IntoView {
    let live = use_live();
    view! {
        <For each=move || live.offers.get() key=|d| d.task let:decision>
            <OfferCard decision=decision />
        </For>
    }
}

#[component]
fn OfferCard(decision: Decision) -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let task = decision.task;
    let until = live.with(|c| match c.router.task(task).map(|t| t.state) {
        Some(TaskState::Reserved { until, .. }) => until,
        _ => clock(),
    });
    // The center ticks every second; the countdown reads the clock on each tick.
    let left = move || {
        live.rev.track();
        until.map_or(0, |u| u.saturating_sub(clock()).div_ceil(1000))
    };
    let why = RwSignal::new(false);
    let (subject, channel, queue) = state.ws.with_untracked(|ws| {
        ws.as_ref().and_then(|w| w.task(task)).map(|t| (t.subject.clone(), t.channel.label(), t.queue.clone().unwrap_or_default())).unwrap_or_default()
    });
    let ex = decision.explanation.clone();
    view! {
        <div class="td-offer" role="alertdialog" aria-label="New offer" aria-describedby=format!("offer-{task}")>
            <h2>"New " {channel.to_lowercase()} " for you"</h2>
            <p id=format!("offer-{task}")>
                <strong>{subject}</strong> " in " {queue}
            </p>
            <p class="td-muted" role="timer" aria-live="off">{move || format!("Answer within {} s", left())}</p>
            <div class="td-actions">
                <button type="button" class="td-button td-primary" on:click=move |_| live.answer(state, task, true)>"Accept"</button>
                <button type="button" class="td-button" on:click=move |_| live.answer(state, task, false)>"Reject"</button>
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
                <li>{format!("You had been idle {}", seconds(ex.idle_ms))}</li>
                {ex.runners_up.iter().map(|r| view! { <li>{format!("{} was eligible too, but {}", r.name, r.reason)}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// A duration as people read it: "350 ms", "12 s", "3 min 5 s".
fn seconds(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0 => format!("{ms} ms"),
        1..60 => format!("{s} s"),
        _ => format!("{} min {} s", s / 60, s % 60),
    }
}

/// The supervisor's live board: queues, agents, and the simulated traffic's controls.
#[component]
pub fn BoardView() -> impl IntoView {
    let live = use_live();
    let queues = move || {
        live.with(|c| {
            let now = clock();
            c.router
                .queues()
                .map(|q| {
                    let tasks: Vec<_> = c.router.tasks().filter(|t| t.arrival.queue == q.name).collect();
                    let waiting: Vec<_> = tasks.iter().filter(|t| t.state == TaskState::Pending).collect();
                    let longest = waiting.iter().map(|t| now.saturating_sub(t.arrived_at)).max().unwrap_or(0);
                    let offered = tasks.iter().filter(|t| matches!(t.state, TaskState::Reserved { .. })).count();
                    let assigned = tasks.iter().filter(|t| matches!(t.state, TaskState::Assigned { .. } | TaskState::Wrapping { .. })).count();
                    let flagged = waiting.iter().filter(|t| t.flagged).count();
                    (q.name.clone(), waiting.len(), longest, offered, assigned, flagged)
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    let agents = move || {
        live.with(|c| {
            let now = clock();
            c.router
                .agents()
                .map(|(p, presence, load, idle)| {
                    let l = |ch: Channel| format!("{}/{}", load[channel_slot(ch)], p.capacity.of(ch));
                    (p.name.clone(), presence.label(), l(Channel::Call), l(Channel::Email), l(Channel::Chat), l(Channel::Sms), seconds(now.saturating_sub(idle)))
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    view! {
        <section class="td-page" aria-labelledby="board-title">
            <div class="td-page-head">
                <h1 id="board-title">"Live board"</h1>
            </div>
            <Show when=move || live.role.get() == RoutingHere::Here fallback=|| view! { <p class="td-muted">"Routing runs in another tab of this workspace; the board is shown there."</p> }>
                <SimControls />
                <section aria-labelledby="board-queues">
                    <h2 id="board-queues">"Queues"</h2>
                    <table class="td-table">
                        <thead><tr><th>"Queue"</th><th>"Waiting"</th><th>"Longest wait"</th><th>"Offered"</th><th>"Assigned"</th><th>"For a supervisor"</th></tr></thead>
                        <tbody>
                            {move || queues().into_iter().map(|(name, waiting, longest, offered, assigned, flagged)| view! {
                                <tr><th scope="row">{name}</th><td>{waiting}</td><td>{seconds(longest)}</td><td>{offered}</td><td>{assigned}</td><td>{flagged}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
                <section aria-labelledby="board-agents">
                    <h2 id="board-agents">"Agents"</h2>
                    <table class="td-table">
                        <thead><tr><th>"Agent"</th><th>"Presence"</th><th>"Calls"</th><th>"Emails"</th><th>"Chats"</th><th>"SMS"</th><th>"Idle"</th></tr></thead>
                        <tbody>
                            {move || agents().into_iter().map(|(name, presence, calls, emails, chats, sms, idle)| view! {
                                <tr><th scope="row">{name}</th><td>{presence}</td><td>{calls}</td><td>{emails}</td><td>{chats}</td><td>{sms}</td><td>{idle}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            </Show>
        </section>
    }
}

/// Pause, resume and speed of the simulated contact center.
#[component]
fn SimControls() -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let connected = move || state.sync.connected();
    view! {
        <div class="td-filters" role="group" aria-label="Simulated traffic">
            <button type="button" class="td-button" disabled=connected on:click=move |_| live.set_paused(!live.paused.get_untracked())>
                {move || if live.paused.get() { "Resume traffic" } else { "Pause traffic" }}
            </button>
            <label class="td-inline-field">
                "Speed"
                <select on:change=move |ev| live.set_speed(event_target_value(&ev).parse().unwrap_or(1))>
                    {[1u32, 5, 20, 60].into_iter().map(|s| view! { <option value=s.to_string() selected=move || live.speed.get() == s>{format!("{s}×")}</option> }).collect_view()}
                </select>
            </label>
            <span class="td-muted" role="status">
                {move || match (connected(), live.paused.get()) {
                    (true, _) => "Simulated traffic is off while this workspace syncs with a server",
                    (false, true) => "Traffic paused",
                    (false, false) => "Traffic flowing",
                }}
            </span>
        </div>
    }
}

/// On a task: where routing has it, "Why waiting?", and for supervisors reassign and transfer.
#[component]
pub fn TaskRouting(id: TaskId) -> impl IntoView {
    let (state, live) = (use_app(), use_live());
    let standing = move || live.with(|c| c.router.task(id).map(|t| (t.state.label(), t.state, t.refusals, t.flagged))).flatten();
    let why = move || live.with(|c| c.router.why_waiting(id, clock())).flatten();
    let agent = RwSignal::new(String::new());
    let queue = RwSignal::new(String::new());
    let agents = move || live.with(|c| c.router.agents().map(|(p, ..)| (p.id, p.name.clone())).collect::<Vec<_>>()).unwrap_or_default();
    let queues = move || live.with(|c| c.router.queues().map(|q| q.name.clone()).collect::<Vec<_>>()).unwrap_or_default();
    view! {
        <section class="td-routing-panel" aria-labelledby="routing-title">
            <h2 id="routing-title">"Routing"</h2>
            {move || match standing() {
                None => view! { <p class="td-muted">"Not routed."</p> }.into_any(),
                Some((label, routing_state, refusals, flagged)) => {
                    let mine_wrapping = matches!(routing_state, TaskState::Wrapping { agent } if agent == state.me.get());
                    view! {
                        <p>{format!("{label}; refused {refusals} times")}{flagged.then_some(" — waiting for a supervisor")}</p>
                        <Show when=move || mine_wrapping>
                            <button type="button" class="td-button td-primary" on:click=move |_| live.finish_wrap_up(state, id)>"Finish wrap-up"</button>
                        </Show>
                    }.into_any()
                }
            }}
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
                        live.supervise(state, id, Some(a), None);
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
                        live.supervise(state, id, None, Some(q));
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
