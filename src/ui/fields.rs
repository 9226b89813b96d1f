//! Labelled form controls with inline validation messages.

use leptos::prelude::*;

/// One option of a select.
pub type Choice = (String, String);

fn error_id(id: &str) -> String {
    format!("{id}-error")
}

/// The inline message under a control, announced to screen readers.
#[component]
fn FieldError(id: String, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <p class="td-field-error" id=error_id(&id) role="alert">{move || error.get()}</p>
        </Show>
    }
}

/// A labelled single-line input.
#[component]
pub fn TextField(
    /// Element id (the label points at it).
    id: &'static str,
    /// Visible label, also the accessible name.
    label: &'static str,
    /// The text typed.
    value: RwSignal<String>,
    /// The problem to show under it, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Input type (`text`, `email`, `datetime-local`, `number`…).
    #[prop(default = "text")]
    kind: &'static str,
    /// Help text under the label.
    #[prop(optional)]
    help: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="td-field">
            <label for=id>{label}</label>
            {help.map(|h| view! { <p class="td-help">{h}</p> })}
            <input
                id=id
                type=kind
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().map(|_| error_id(id))
            />
            <FieldError id=id.to_string() error=error />
        </div>
    }
}

/// A labelled multi-line input.
#[component]
pub fn TextArea(
    /// Element id.
    id: &'static str,
    /// Visible label.
    label: &'static str,
    /// The text typed.
    value: RwSignal<String>,
    /// The problem to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="td-field td-field-wide">
            <label for=id>{label}</label>
            <textarea
                id=id
                rows="4"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().map(|_| error_id(id))
            ></textarea>
            <FieldError id=id.to_string() error=error />
        </div>
    }
}

/// A labelled select.
#[component]
pub fn SelectField(
    /// Element id.
    id: &'static str,
    /// Visible label.
    label: &'static str,
    /// The chosen option's value.
    value: RwSignal<String>,
    /// `(value, label)` pairs.
    #[prop(into)]
    choices: Signal<Vec<Choice>>,
    /// The problem to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="td-field">
            <label for=id>{label}</label>
            <select
                id=id
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().map(|_| error_id(id))
            >
                {move || {
                    let current = value.get();
                    choices
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <FieldError id=id.to_string() error=error />
        </div>
    }
}
