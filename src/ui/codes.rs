//! Transaction codes on a task (T6): agents tick catalogue codes; system codes show but cannot be changed.

use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::{Task, TaskId};

/// The code picker of one task.
#[component]
pub fn CodePicker(id: TaskId, task: Memo<Option<Task>>) -> impl IntoView {
    let state = use_app();
    let current = move || task.with(|t| t.as_ref().map(|t| t.codes.clone()).unwrap_or_default());
    let shown = move || task.with(|t| t.as_ref().and_then(|t| state.ws.with(|ws| ws.as_ref().map(|w| w.codes_display(t)))).unwrap_or_default());
    let catalogue = move || state.ws.with(|ws| ws.as_ref().map(|w| w.code_catalogue()).unwrap_or_default());
    let toggle = move |code: String, on: bool| {
        let mut codes = current();
        codes.retain(|c| *c != code);
        if on {
            codes.push(code);
        }
        if let Err(e) = state.run(|ws, me, now| ws.set_codes(me, id, &codes, now)) {
            state.tell(e.to_string(), true);
        }
    };
    view! {
        <fieldset class="td-codes">
            <legend>"Transaction codes"</legend>
            <p class="td-codes-shown">{move || { let s = shown(); if s.is_empty() { "None yet.".to_string() } else { s } }}</p>
            <div class="td-code-options">
                {move || {
                    let on_task = current();
                    catalogue()
                        .into_iter()
                        .filter(|c| !c.system || on_task.contains(&c.code))
                        .map(|c| {
                            let checked = on_task.contains(&c.code);
                            let code = c.code.clone();
                            let label = if c.system { format!("{} (added by the system)", c.label) } else { c.label.clone() };
                            view! {
                                <label class="td-check">
                                    <input
                                        type="checkbox"
                                        prop:checked=checked
                                        disabled=c.system
                                        on:change=move |ev| toggle(code.clone(), event_target_checked(&ev))
                                    />
                                    {label}
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </fieldset>
    }
}
