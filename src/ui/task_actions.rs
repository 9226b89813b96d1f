//! A task's actions: its lifecycle's status buttons, Edit, Clone and Delete, as the person may.

use crate::app::state::use_app;
use crate::app::Route;
use leptos::prelude::*;
use taskdesk_domain::lifecycle::{self, StatusAction};
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::{Task, TaskId};

/// The buttons beside a task's title.
#[component]
pub fn TaskActions(id: TaskId, task: Memo<Option<Task>>) -> impl IntoView {
    let state = use_app();
    let get = move || task.get().unwrap_or_default();
    let status_action = move |action: StatusAction| {
        if let Err(e) = state.run(|ws, me, now| ws.change_status(me, id, action, now).map(Some)) {
            state.tell(e.to_string(), true);
        }
    };
    let can_delete = move || permission::allows(&state.me_user(), Permission::Delete);
    let can_clone = move || permission::can_clone(&state.me_user());
    let clone = move |_| match state.run(|ws, me, now| ws.clone_task(me, id, now).map(Some)) {
        Ok(Some(change)) => {
            let new_id = TaskId(change.entity);
            let number = state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| w.task(new_id).map(|t| t.number.clone()))).unwrap_or_default();
            state.navigate(Route::Task(new_id));
            state.tell(format!("Cloned as {number}. It keeps the transaction ID of the original."), false);
        }
        Ok(None) => {}
        Err(e) => state.tell(e.to_string(), true),
    };
    let delete = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| {
                let clones = state.ws.with_untracked(|ws| ws.as_ref().map_or(0, |ws| ws.clones_of(id).len()));
                let mut text = "Delete this task? It and its information will be permanently deleted.".to_string();
                if clones > 0 {
                    text.push_str(&format!(" It is the parent of {clones} cloned task(s); they keep its number in their history but lose the link."));
                }
                w.confirm_with_message(&text).ok()
            })
            .unwrap_or(false);
        if confirmed {
            match state.run(|ws, me, now| ws.delete_task(me, id, now).map(Some)) {
                Ok(_) => {
                    state.navigate(Route::Queue);
                    state.tell("The task was deleted.", false);
                }
                Err(e) => state.tell(e.to_string(), true),
            }
        }
    };
    view! {
        <div class="td-task-actions">
            {move || {
                let t = get();
                lifecycle::actions(t.channel, t.status)
                    .into_iter()
                    .map(|action| match action {
                        StatusAction::Resolve => view! {
                            <button type="button" class="td-button td-resolve" aria-label="Resolve" title="Resolve" on:click=move |_| status_action(action)>
                                <span aria-hidden="true">"✓"</span>
                            </button>
                        }
                        .into_any(),
                        _ => view! { <button type="button" class="td-button" on:click=move |_| status_action(action)>{action.label()}</button> }.into_any(),
                    })
                    .collect_view()
            }}
            <button type="button" class="td-button" on:click=move |_| state.navigate(Route::EditTask(id))>"Edit"</button>
            <Show when=can_clone>
                <button type="button" class="td-button" on:click=clone>"Clone"</button>
            </Show>
            <Show when=can_delete>
                <button type="button" class="td-button td-danger" on:click=delete>"Delete"</button>
            </Show>
        </div>
    }
}
