//! What sync could not do: changes the server refused, with the reason, and records that arrived damaged.

use crate::app::format;
use crate::app::state::{use_app, AppState};
use leptos::prelude::*;
use taskdesk_domain::{EntityKind, TaskId};
use taskdesk_store::{Refusal, Store};

/// What a refused change was about, in words.
fn describe(state: &AppState, refusal: &Refusal) -> String {
    let c = &refusal.change;
    let fields: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).filter(|f| !matches!(*f, "created_at" | "created_by")).take(4).collect();
    let record = match c.kind {
        EntityKind::Task => {
            state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| w.tasks.get(&TaskId(c.entity)).map(|t| format!("Task {} “{}”", t.number, t.subject)))).unwrap_or_else(|| "A task".into())
        }
        EntityKind::Customer => "A customer".into(),
        EntityKind::Message => "A message".into(),
        EntityKind::Config => "The workspace settings".into(),
    };
    let when = chrono::DateTime::from_timestamp_millis(c.stamp.millis as i64).map(|at| format::date_time(&*state.zone(), at)).unwrap_or_default();
    format!("{record}, {} ({when}, by {})", fields.join(", "), state.user_name(c.actor))
}

/// The changes the server refused, kept on this device.
#[component]
pub fn Refused() -> impl IntoView {
    let state = use_app();
    let list = RwSignal::new(Vec::<Refusal>::new());
    Effect::new(move |_| {
        state.sync.rev.track();
        state.sync.status.with(|s| s.refused);
        leptos::task::spawn_local(async move {
            if let Some(storage) = state.storage() {
                if let Ok(refused) = storage.store.refused().await {
                    list.try_set(refused);
                }
            }
        });
    });
    let retry = move |_| {
        leptos::task::spawn_local(async move {
            let Some(storage) = state.storage() else { return };
            match storage.store.retry_refused().await {
                Ok(()) => {
                    list.try_set(Vec::new());
                    state.tell_tabs(&crate::app::tabs::TabMessage::Outbox);
                    state.sync.wake();
                    state.tell("The refused changes are sent again.", false);
                }
                Err(e) => state.tell(e.to_string(), true),
            }
        });
    };
    view! {
        <Show when=move || !list.with(Vec::is_empty)>
            <h3 id="refused-title">"Changes the server refused"</h3>
            <p>"They stay on this device. Someone with the right permission can make the change instead, or an admin can change your permissions; then try again."</p>
            <ul class="td-refused" aria-labelledby="refused-title">
                {move || list.get().into_iter().map(|r| view! { <li><span>{describe(&state, &r)}</span>" — "<em>{r.reason.clone()}</em></li> }).collect_view()}
            </ul>
            <button type="button" class="td-button" on:click=retry>"Try again"</button>
        </Show>
    }
}

/// What sync skipped while pulling, newest first.
#[component]
pub fn Problems() -> impl IntoView {
    let state = use_app();
    let list = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        state.sync.rev.track();
        state.stored_rev.track();
        leptos::task::spawn_local(async move {
            if let Some(storage) = state.storage() {
                if let Ok(record) = storage.store.sync_record().await {
                    list.try_set(record.problems);
                }
            }
        });
    });
    view! {
        <Show when=move || !list.with(Vec::is_empty)>
            <h3 id="sync-problems-title">"What sync skipped"</h3>
            <ul class="td-refused" aria-labelledby="sync-problems-title">
                {move || list.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
        </Show>
    }
}
