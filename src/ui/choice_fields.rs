//! Labelled choices: a checkbox, and a group of checkboxes for several options.

use super::fields::{described_by, help_view, FieldError};
use leptos::prelude::*;

/// A labelled checkbox; its value is the text `true` or `false`, as custom fields read it.
#[component]
pub fn CheckboxField(
    /// Element id.
    #[prop(into)]
    id: String,
    /// Visible label.
    #[prop(into)]
    label: String,
    /// `true` or `false`.
    value: RwSignal<String>,
    /// The problem to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Help text.
    #[prop(optional, into)]
    help: Option<String>,
) -> impl IntoView {
    let describe = described_by(&id, &help, error);
    view! {
        <div class="td-field">
            <label class="td-check">
                <input
                    id=id.clone()
                    type="checkbox"
                    prop:checked=move || value.get() == "true"
                    on:change=move |ev| value.set(event_target_checked(&ev).to_string())
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=describe
                />
                {label}
            </label>
            {help_view(&id, help)}
            <FieldError id=id error=error />
        </div>
    }
}

/// A group of checkboxes choosing any of several options; its value is the chosen options, one per line.
#[component]
pub fn MultiChoiceField(
    /// Element id of the group.
    #[prop(into)]
    id: String,
    /// The group's legend.
    #[prop(into)]
    label: String,
    /// The chosen options, one per line.
    value: RwSignal<String>,
    /// Every option.
    options: Vec<String>,
    /// The problem to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Help text.
    #[prop(optional, into)]
    help: Option<String>,
) -> impl IntoView {
    let describe = described_by(&id, &help, error);
    let all = options.clone();
    let boxes = options
        .into_iter()
        .map(|option| {
            let (mine, all) = (option.clone(), all.clone());
            let checked = move || value.with(|v| v.lines().any(|l| l == mine));
            let toggle = {
                let option = option.clone();
                move |ev| {
                    let on = event_target_checked(&ev);
                    value.update(|v| {
                        // Keep the admin's option order whatever order they were ticked in.
                        let chosen: Vec<&str> = all.iter().map(String::as_str).filter(|o| if *o == option { on } else { v.lines().any(|l| l == *o) }).collect();
                        *v = chosen.join("\n");
                    });
                }
            };
            view! {
                <label class="td-check">
                    <input type="checkbox" prop:checked=checked on:change=toggle />
                    {option}
                </label>
            }
        })
        .collect_view();
    let group_id = id.clone();
    view! {
        <fieldset class="td-field td-choices" id=group_id aria-invalid=move || error.get().is_some().to_string() aria-describedby=describe>
            <legend>{label}</legend>
            {help_view(&id, help)}
            <div class="td-choice-list">{boxes}</div>
            <FieldError id=id error=error />
        </fieldset>
    }
}
