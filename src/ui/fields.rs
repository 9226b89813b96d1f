//! Labelled form controls with inline validation messages.

use leptos::prelude::*;

/// One option of a select.
pub type Choice = (String, String);

fn error_id(id: &str) -> String {
    format!("{id}-error")
}

fn help_id(id: &str) -> String {
    format!("{id}-help")
}

/// What `aria-describedby` points at: the help text and, when there is one, the problem.
pub(super) fn described_by(id: &str, help_text: &Option<String>, error: Signal<Option<String>>) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let (has_help, help, err) = (has_help(help_text), help_id(id), error_id(id));
    move || {
        let parts: Vec<&str> = [has_help.then_some(help.as_str()), error.get().map(|_| err.as_str())].into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// The inline message under a control, announced to screen readers.
#[component]
pub(super) fn FieldError(id: String, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <p class="td-field-error" id=error_id(&id) role="alert">{move || error.get()}</p>
        </Show>
    }
}

/// The help text under a label, when there is any.
pub(super) fn help_view(id: &str, help: Option<String>) -> impl IntoView {
    help.filter(|h| !h.is_empty()).map(|h| view! { <p class="td-help" id=help_id(id)>{h}</p> })
}

/// Whether there is help text to show.
fn has_help(help: &Option<String>) -> bool {
    help.as_ref().is_some_and(|h| !h.is_empty())
}

/// The frame every labelled control shares: the label, its help, the control, and its problem.
#[component]
fn Labelled(id: String, label: String, help: Option<String>, error: Signal<Option<String>>, #[prop(optional)] wide: bool, children: Children) -> impl IntoView {
    view! {
        <div class=if wide { "td-field td-field-wide" } else { "td-field" }>
            <label for=id.clone()>{label}</label>
            {help_view(&id, help)}
            {children()}
            <FieldError id=id error=error />
        </div>
    }
}

/// A labelled single-line input.
#[component]
pub fn TextField(
    /// Element id (the label points at it).
    #[prop(into)]
    id: String,
    /// Visible label, also the accessible name.
    #[prop(into)]
    label: String,
    /// The text typed.
    value: RwSignal<String>,
    /// The problem to show under it, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Input type (`text`, `email`, `datetime-local`, `number`…).
    #[prop(default = "text")]
    kind: &'static str,
    /// Help text under the label.
    #[prop(optional, into)]
    help: Option<String>,
    /// Keyboard hint for phones (`decimal`…); empty for none.
    #[prop(default = "")]
    inputmode: &'static str,
    /// What the browser may fill in (`username`, `current-password`, `url`…); empty for none.
    #[prop(default = "")]
    autocomplete: &'static str,
) -> impl IntoView {
    let describe = described_by(&id, &help, error);
    view! {
        <Labelled id=id.clone() label=label help=help error=error>
            <input
                id=id.clone()
                type=kind
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=describe
            />
        </Labelled>
    }
}

/// A labelled multi-line input.
#[component]
pub fn TextArea(
    /// Element id.
    #[prop(into)]
    id: String,
    /// Visible label.
    #[prop(into)]
    label: String,
    /// The text typed.
    value: RwSignal<String>,
    /// The problem to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Help text under the label.
    #[prop(optional, into)]
    help: Option<String>,
) -> impl IntoView {
    let describe = described_by(&id, &help, error);
    view! {
        <Labelled id=id.clone() label=label help=help error=error wide=true>
            <textarea
                id=id.clone()
                rows="4"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=describe
            ></textarea>
        </Labelled>
    }
}

/// A labelled select.
#[component]
pub fn SelectField(
    /// Element id.
    #[prop(into)]
    id: String,
    /// Visible label.
    #[prop(into)]
    label: String,
    /// The chosen option's value.
    value: RwSignal<String>,
    /// `(value, label)` pairs.
    #[prop(into)]
    choices: Signal<Vec<Choice>>,
    /// The problem to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Help text under the label.
    #[prop(optional, into)]
    help: Option<String>,
) -> impl IntoView {
    let describe = described_by(&id, &help, error);
    view! {
        <Labelled id=id.clone() label=label help=help error=error>
            <select
                id=id.clone()
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=describe
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
        </Labelled>
    }
}

/// For fields with no problem of their own (a server's answer concerns the whole form).
pub fn no_error() -> Option<String> {
    None
}

/// A whole form's problem, when there is one (say, the server refused it).
#[component]
pub fn FormProblem(
    /// The problem, in plain words.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <Show when=move || problem.with(Option::is_some)>
            <p class="td-field-error" role="alert">{move || problem.get()}</p>
        </Show>
    }
}
