//! The History tab (T10): every change since creation, who, when, which field, old and new value.

use super::shell::RouteLink;
use crate::app::state::{use_app, AppState};
use crate::app::{format, Route};
use chrono::DateTime;
use leptos::prelude::*;
use serde_json::Value;
use taskdesk_domain::change::{display_value, merge_notes, MergeNote};
use taskdesk_domain::{Change, Channel, CustomerId, Direction, EntityKind, Priority, TaskId, TaskStatus, UserId};
use taskdesk_store::Store;

fn custom_field(state: &AppState, field: &str) -> Option<taskdesk_domain::field::FieldDef> {
    let key = field.strip_prefix("custom.")?;
    state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| w.field(key).cloned()))
}

fn field_label(state: &AppState, field: &str) -> String {
    match field {
        "transaction_id" => "Transaction ID".into(),
        "scheduled_at" => "Scheduled".into(),
        "reminder_minutes" => "Reminder (minutes)".into(),
        "call_outcome" => "Call outcome".into(),
        "created_at" => "Created".into(),
        "created_by" => "Created by".into(),
        "codes" => "Transaction codes".into(),
        "parent_number" => "Cloned from".into(),
        "offer" => "Offered to".into(),
        "refused_by" => "Refused by".into(),
        "routed" => "Given by routing".into(),
        "wrapping" => "Wrap-up".into(),
        "text" => "Note".into(),
        f => match f.strip_prefix("custom.") {
            Some(key) => custom_field(state, field).map_or_else(|| key.to_string(), |d| d.label),
            None => {
                let mut s = f.replace('_', " ");
                if let Some(first) = s.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                s
            }
        },
    }
}

/// A stored value as a person reads it: names instead of ids, labels instead of keys.
fn readable(state: &AppState, field: &str, value: &Value) -> String {
    let text = value.as_str().unwrap_or_default();
    match field {
        "customer" => CustomerId::parse(text).and_then(|c| state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| w.customers.get(&c).map(|c| c.name.clone())))).unwrap_or_else(|| display_value(value)),
        "assignee" | "created_by" => UserId::parse(text).map_or_else(|| display_value(value), |u| state.user_name(Some(u))),
        "offer" => value.get("agent").and_then(|a| a.as_str()).and_then(UserId::parse).map_or_else(|| display_value(&Value::Null), |u| state.user_name(Some(u))),
        "refused_by" => value
            .as_array()
            .map(|ids| ids.iter().filter_map(|i| i.as_str().and_then(UserId::parse)).map(|u| state.user_name(Some(u))).collect::<Vec<_>>().join(", "))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| display_value(value)),
        "status" => TaskStatus::from_key(text).map_or_else(|| display_value(value), |s| s.label().into()),
        "priority" => Priority::from_key(text).map_or_else(|| display_value(value), |p| p.label().into()),
        "channel" => Channel::from_key(text).map_or_else(|| display_value(value), |c| c.label().into()),
        "direction" => Direction::from_key(text).map_or_else(|| display_value(value), |d| d.label().into()),
        "created_at" | "scheduled_at" => DateTime::parse_from_rfc3339(text).map_or_else(|_| display_value(value), |t| format::date_time(&*state.zone(), t.to_utc())),
        f if f.starts_with("custom.") && !value.is_null() => custom_field(state, f).map_or_else(|| display_value(value), |d| d.display(value, &*state.zone())),
        _ => display_value(value),
    }
}

/// The change list of one task, read from storage and refreshed after each save.
#[component]
pub fn HistoryTab(id: TaskId) -> impl IntoView {
    let state = use_app();
    let changes = RwSignal::new(None::<Result<Vec<Change>, String>>);
    Effect::new(move |_| {
        state.stored_rev.track();
        // The task's own changes, and its internal notes (records of their own), in stamp order.
        let notes: Vec<_> = state.ws.with_untracked(|ws| ws.as_ref().map(|w| w.notes_of(id).into_iter().map(|m| m.id).collect()).unwrap_or_default());
        leptos::task::spawn_local(async move {
            let Some(storage) = state.storage() else { return };
            let mut result = storage.store.history(id.0).await.map_err(|e| e.to_string());
            for note in notes {
                match (&mut result, storage.store.history(note).await) {
                    (Ok(list), Ok(more)) => list.extend(more),
                    (Ok(_), Err(e)) => result = Err(e.to_string()),
                    _ => {}
                }
            }
            if let Ok(list) = &mut result {
                list.sort_by(|a, b| a.stamp.cmp(&b.stamp));
            }
            changes.try_set(Some(result));
        });
    });
    let clones = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().map(|w| w.clones_of(id).into_iter().map(|t| (t.id, t.number.clone(), t.created_at)).collect::<Vec<_>>()).unwrap_or_default()));
    view! {
        <Show when=move || !clones.with(Vec::is_empty)>
            <h2 id="clones-title">"Clones"</h2>
            <ul class="td-clones" aria-labelledby="clones-title">
                <For each=move || clones.get() key=|c| c.0 let:c>
                    {
                        let (cid, number, at) = c;
                        view! {
                            <li>
                                <RouteLink route=Route::Task(cid)>{number}</RouteLink>
                                {format!(" cloned {}", format::date_time(&*state.zone(), at))}
                            </li>
                        }
                    }
                </For>
            </ul>
            <h2>"Changes"</h2>
        </Show>
        <ChangeList changes=changes />
    }
}

#[component]
fn ChangeList(changes: RwSignal<Option<Result<Vec<Change>, String>>>) -> impl IntoView {
    move || match changes.get() {
        None => view! { <p class="td-muted">"Loading history…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="td-field-error" role="alert">{format!("History could not be read: {e}")}</p> }.into_any(),
        Some(Ok(list)) => {
            let notes = merge_notes(&list.iter().collect::<Vec<_>>());
            view! {
                <ol class="td-history" aria-label="Changes, oldest first">
                    {list.into_iter().zip(notes).map(|(c, merges)| view! { <HistoryEntry change=c merges=merges /> }).collect_view()}
                </ol>
            }
            .into_any()
        }
    }
}

/// Whether a change was made in this tab's device (its clock node is the device's code).
fn made_here(state: &AppState, node: &str) -> bool {
    state.ws.with_untracked(|ws| ws.as_ref().is_some_and(|w| w.device.code.0 == node))
}

/// One value a change replaced without having seen it (a merge), said plainly.
fn merge_line(state: &AppState, note: &MergeNote) -> String {
    format!(
        "Merged: {} set {} to “{}” {} at the same time; this later change replaced it.",
        state.user_name(note.lost_actor),
        field_label(state, &note.field).to_lowercase(),
        readable(state, &note.field, &note.lost),
        if made_here(state, &note.lost_device) { "on this device".to_string() } else { format!("on device {}", note.lost_device) },
    )
}

#[component]
fn HistoryEntry(change: Change, merges: Vec<MergeNote>) -> impl IntoView {
    let state = use_app();
    let when = DateTime::from_timestamp_millis(change.stamp.millis as i64).map(|at| format::date_time(&*state.zone(), at)).unwrap_or_default();
    let who = state.user_name(change.actor);
    let place = if made_here(&state, &change.stamp.node) { "on this device".to_string() } else { format!("arrived from device {}", change.stamp.node) };
    let merged = merges.iter().map(|n| view! { <p class="td-merge">{merge_line(&state, n)}</p> }).collect_view();
    let creation = change.is_creation();
    let what = match (change.kind, creation) {
        (EntityKind::Message, _) => "added an internal note",
        (_, true) => "created the task",
        (_, false) => "changed",
    };
    let rows = change
        .fields
        .iter()
        .filter(|f| !creation || matches!(f.field.as_str(), "subject" | "channel" | "priority" | "customer" | "assignee" | "status" | "parent_number" | "text"))
        .map(|f| {
            let old = readable(&state, &f.field, &f.old);
            let new = readable(&state, &f.field, &f.new);
            view! {
                <tr>
                    <th scope="row">{field_label(&state, &f.field)}</th>
                    <td class="td-old">{if creation { String::new() } else { old }}</td>
                    <td class="td-new">{new}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <li class="td-history-entry">
            <p><strong>{who}</strong> " " {what} " · " <time>{when}</time> " · " <span class="td-muted">{place}</span></p>
            {merged}
            <table class="td-history-fields">
                <thead><tr><th scope="col">"Field"</th><th scope="col">"Old value"</th><th scope="col">"New value"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </li>
    }
}
