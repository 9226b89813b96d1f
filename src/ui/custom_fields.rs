//! Admin-defined fields on a task (F1): the inputs the task form shows for the chosen channel,
//! and the values the task screen lists.

use super::choice_fields::{CheckboxField, MultiChoiceField};
use super::fields::{Choice, SelectField, TextArea, TextField};
use leptos::prelude::*;
use std::collections::BTreeMap;
use taskdesk_domain::field::{FieldDef, FieldKind};
use taskdesk_domain::validate::Problems;
use taskdesk_domain::zone::Zone;
use taskdesk_domain::{Channel, Task, Workspace};

/// One custom field of a form: its definition and the text typed into it.
pub type FieldInput = (FieldDef, RwSignal<String>);

/// A signal per field of the catalogue, holding the task's value as text, or the field's
/// default for a new task. Every field gets one, so switching channels keeps what was typed.
pub fn field_inputs(catalogue: &[FieldDef], task: &Task, is_new: bool, zone: &dyn Zone) -> Vec<FieldInput> {
    catalogue
        .iter()
        .map(|def| {
            let stored = if is_new { def.default.as_ref() } else { task.custom.get(&def.key) };
            let text = stored.map(|v| def.text(v, zone)).unwrap_or_default();
            (def.clone(), RwSignal::new(text))
        })
        .collect()
}

/// The typed text of every field, by key, for the task draft.
pub fn typed(inputs: &[FieldInput]) -> BTreeMap<String, String> {
    inputs.iter().map(|(def, text)| (def.key.clone(), text.get_untracked())).collect()
}

/// The inputs of the fields shown for the channel chosen in the form.
#[component]
pub fn CustomFieldInputs(inputs: Vec<FieldInput>, channel: RwSignal<String>, problems: RwSignal<Problems>) -> impl IntoView {
    move || {
        let shown_on = Channel::from_key(&channel.get());
        inputs.iter().filter(|(def, _)| shown_on.is_some_and(|c| def.shown_on(c))).map(|(def, value)| field_input(def, *value, problems)).collect_view()
    }
}

fn field_input(def: &FieldDef, value: RwSignal<String>, problems: RwSignal<Problems>) -> AnyView {
    let id = format!("field-{}", def.key);
    let problem_key = format!("custom.{}", def.key);
    let error = Signal::derive(move || problems.with(|p| p.for_field(&problem_key).map(str::to_string)));
    let label = if def.required && def.kind != FieldKind::Checkbox { format!("{} (required)", def.label) } else { def.label.clone() };
    let help = def.help.clone();
    let text = |kind: &'static str, inputmode: &'static str| {
        let (id, label, help) = (id.clone(), label.clone(), help.clone());
        view! { <TextField id=id label=label kind=kind inputmode=inputmode help=help.clone() value=value error=error /> }.into_any()
    };
    match def.kind {
        FieldKind::Text => text("text", ""),
        FieldKind::Number => text("text", "decimal"),
        FieldKind::Date => text("date", ""),
        FieldKind::DateTime => text("datetime-local", ""),
        FieldKind::Phone => text("tel", ""),
        FieldKind::Email => text("email", ""),
        FieldKind::Url => text("url", ""),
        FieldKind::LongText => view! { <TextArea id=id label=label help=help.clone() value=value error=error /> }.into_any(),
        FieldKind::Checkbox => view! { <CheckboxField id=id label=label help=help.clone() value=value error=error /> }.into_any(),
        FieldKind::Select => {
            let choices: Vec<Choice> = std::iter::once((String::new(), "—".to_string())).chain(def.options.iter().map(|o| (o.clone(), o.clone()))).collect();
            view! { <SelectField id=id label=label help=help.clone() value=value choices=choices error=error /> }.into_any()
        }
        FieldKind::MultiSelect => view! { <MultiChoiceField id=id label=label help=help.clone() value=value options=def.options.clone() error=error /> }.into_any(),
    }
}

/// The task's custom values as `(label, value, link)`, in the catalogue's order; retired fields
/// say so, and values of fields the catalogue does not know show under their key.
pub fn shown_values(ws: &Workspace, task: &Task, zone: &dyn Zone) -> Vec<(String, String, Option<String>)> {
    let catalogue = &ws.config.fields;
    let mut rows: Vec<(String, String, Option<String>)> = catalogue
        .iter()
        .filter_map(|def| {
            let value = task.custom.get(&def.key)?;
            let label = if def.retired { format!("{} (retired)", def.label) } else { def.label.clone() };
            let shown = def.display(value, zone);
            let link = (def.kind == FieldKind::Url && taskdesk_domain::field::is_web_address(&shown)).then(|| shown.clone());
            Some((label, shown, link))
        })
        .collect();
    for (key, value) in task.custom.iter().filter(|(k, _)| !catalogue.iter().any(|d| &d.key == *k)) {
        rows.push((key.clone(), ws.custom_value_text(key, value, zone), None));
    }
    rows
}
