//! Offers waiting for the agent's answer (R3), each with its countdown and "Why me?".

use crate::app::live::{self, use_live};
use crate::app::state::use_app;
use crate::app::Route;
use leptos::prelude::*;
use taskdesk_domain::duration::spoken;
use taskdesk_domain::TaskId;

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
