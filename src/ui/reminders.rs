//! Reminders (T4): a pop-up in the app, and a system notification where the agent allowed it,
//! for every scheduled task whose reminder time has come, including ones missed while the app
//! was closed. It runs on this device's clock alone, so it fires offline too.

use crate::app::alerts;
use crate::app::state::use_app;
use crate::app::{format, Route};
use chrono::Utc;
use leptos::prelude::*;
use std::collections::HashSet;
use taskdesk_domain::reminder::DueReminder;
use taskdesk_domain::TaskId;
use web_sys::NotificationPermission;

/// How often the reminder clock looks at the time.
const TICK_MS: u64 = 5_000;

fn notify(state: crate::app::AppState, r: &DueReminder) {
    let when = format::date_time(&*state.zone(), r.scheduled_at);
    let title = if r.past_due { "Past due" } else { "Reminder" };
    alerts::notify(state, title, &format!("{} ({}), scheduled for {when}", r.subject, r.number), Some(r.task));
}

/// The reminder pop-up; lives for the whole session.
#[component]
pub fn Reminders() -> impl IntoView {
    let state = use_app();
    let now = RwSignal::new(Utc::now());
    if let Ok(clock) = set_interval_with_handle(
        move || {
            now.try_set(Utc::now());
        },
        std::time::Duration::from_millis(TICK_MS),
    ) {
        on_cleanup(move || clock.clear());
    }
    let due = Memo::new(move |_| {
        let at = now.get();
        state.ws.with(|ws| ws.as_ref().map(|w| w.due_reminders(at)).unwrap_or_default())
    });
    let permission = RwSignal::new(alerts::permission());
    let notified = StoredValue::new(HashSet::<TaskId>::new());
    Effect::new(move |_| {
        let list = due.get();
        if permission.get() != Some(NotificationPermission::Granted) {
            return;
        }
        for r in &list {
            if notified.try_update_value(|seen| seen.insert(r.task)).unwrap_or(false) {
                notify(state, r);
            }
        }
    });
    let ask = move |_| alerts::ask_permission(move |p| permission.set(p));
    let dismiss = move |id: TaskId| {
        if let Err(e) = state.run(|ws, me, at| ws.dismiss_reminder(me, id, at)) {
            state.tell(e.to_string(), true);
        }
    };
    view! {
        <Show when=move || !due.with(Vec::is_empty)>
            <div class="td-reminders" role="alertdialog" aria-labelledby="reminders-title" aria-describedby="reminders-list">
                <h2 id="reminders-title">"Reminders"</h2>
                <ul id="reminders-list">
                    <For each=move || due.get() key=|r| (r.task, r.past_due) let:r>
                        {
                            let id = r.task;
                            let label = format!("{} {}", r.number, r.subject);
                            view! {
                                <li class:td-past-due=r.past_due>
                                    <p>
                                        {r.past_due.then(|| view! { <strong class="td-past-due-label">"Past due: "</strong> })}
                                        {r.subject.clone()}
                                        <span class="td-muted">{format!(" · {} · scheduled for {}", r.number, format::date_time(&*state.zone(), r.scheduled_at))}</span>
                                    </p>
                                    <div class="td-reminder-actions">
                                        <button type="button" class="td-button td-small td-primary" aria-label=format!("Open {label}")
                                            on:click=move |_| state.navigate(Route::Task(id))>"Open"</button>
                                        <button type="button" class="td-button td-small" aria-label=format!("Dismiss reminder for {label}")
                                            on:click=move |_| dismiss(id)>"Dismiss"</button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <Show when=move || permission.get() == Some(NotificationPermission::Default)>
                    <button type="button" class="td-link-button" on:click=ask>"Also notify me outside this tab"</button>
                </Show>
            </div>
        </Show>
    }
}
