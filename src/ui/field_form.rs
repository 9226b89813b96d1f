//! The form that adds or edits one admin-defined field (F1).

use super::choice_fields::{CheckboxField, MultiChoiceField};
use super::field_admin::Editing;
use super::fields::{Choice, SelectField, TextArea, TextField};
use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::field::{FieldDef, FieldKind};
use taskdesk_domain::field_admin::{check_field, FieldDraft};
use taskdesk_domain::validate::Problems;
use taskdesk_domain::Channel;

/// The form for a new field or for `existing`; closes itself through `editing` when saved or cancelled.
#[component]
pub fn FieldForm(existing: Option<FieldDef>, editing: RwSignal<Editing>) -> impl IntoView {
    let state = use_app();
    let start = existing.as_ref().map(FieldDraft::of).unwrap_or_else(|| FieldDraft { kind: FieldKind::Text.key().into(), ..FieldDraft::default() });
    let key = RwSignal::new(start.key.clone());
    let label = RwSignal::new(start.label.clone());
    let kind = RwSignal::new(start.kind.clone());
    let required = RwSignal::new(start.required.to_string());
    let default = RwSignal::new(start.default.clone());
    let min = RwSignal::new(start.min.clone());
    let max = RwSignal::new(start.max.clone());
    let max_length = RwSignal::new(start.max_length.clone());
    let pattern = RwSignal::new(start.pattern.clone());
    let help = RwSignal::new(start.help.clone());
    let options = RwSignal::new(start.options.clone());
    let channel_labels = start.channels.iter().filter_map(|k| Channel::from_key(k)).map(|c| c.label()).collect::<Vec<_>>().join("\n");
    let channels = RwSignal::new(channel_labels);
    let problems = RwSignal::new(Problems::default());
    let refusal = RwSignal::new(None::<String>);
    let error = move |field: &'static str| Signal::derive(move || problems.with(|p| p.for_field(field).map(str::to_string)));
    let chosen_kind = move || FieldKind::from_key(&kind.get()).unwrap_or_default();
    let kinds: Vec<Choice> = FieldKind::ALL.iter().map(|k| (k.key().to_string(), k.label().to_string())).collect();
    let is_new = existing.is_none();
    let title = match &existing {
        Some(def) => format!("Edit “{}”", def.label),
        None => "New field".to_string(),
    };
    let uses = existing.as_ref().map(|d| state.ws.with_untracked(|ws| ws.as_ref().map_or(0, |w| w.field_use_count(&d.key)))).unwrap_or(0);
    let kind_help = if uses > 0 { format!("{uses} task(s) hold a value; a new type converts them or is refused.") } else { String::new() };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        refusal.set(None);
        let draft = FieldDraft {
            key: key.get_untracked(),
            label: label.get_untracked(),
            kind: kind.get_untracked(),
            required: required.get_untracked() == "true",
            default: default.get_untracked(),
            min: min.get_untracked(),
            max: max.get_untracked(),
            max_length: max_length.get_untracked(),
            pattern: pattern.get_untracked(),
            help: help.get_untracked(),
            options: options.get_untracked(),
            channels: channels.get_untracked().lines().filter_map(|l| Channel::ALL.iter().find(|c| c.label() == l)).map(|c| c.key().to_string()).collect(),
        };
        let catalogue = state.ws.with_untracked(|ws| ws.as_ref().map(|w| w.config.fields.clone()).unwrap_or_default());
        let current = editing.with_untracked(|e| match e {
            Editing::Field(def) => catalogue.iter().find(|d| d.key == def.key).cloned(),
            _ => None,
        });
        match check_field(&draft, &catalogue, current.as_ref()) {
            Err(p) => problems.set(p),
            Ok(def) => {
                problems.set(Problems::default());
                let saved_label = def.label.clone();
                match state.run_all(|ws, me, now| ws.save_field(me, def, now)) {
                    Ok(changes) => {
                        editing.set(Editing::Closed);
                        let converted = changes.len().saturating_sub(1);
                        let news = match converted {
                            0 => format!("Field “{saved_label}” saved."),
                            1 => format!("Field “{saved_label}” saved; the value on 1 task was converted."),
                            n => format!("Field “{saved_label}” saved; values on {n} tasks were converted."),
                        };
                        state.tell(news, false);
                    }
                    Err(e) => refusal.set(Some(e.to_string())),
                }
            }
        }
    };
    let all_channels: Vec<String> = Channel::ALL.iter().map(|c| c.label().to_string()).collect();
    view! {
        <form class="td-form td-field-form" on:submit=save novalidate aria-labelledby="field-form-title">
            <h2 id="field-form-title" class="td-span">{title}</h2>
            <Show when=move || refusal.with(Option::is_some)>
                <p class="td-form-summary" role="alert">{move || refusal.get()}</p>
            </Show>
            <Show when=move || !problems.with(Problems::is_empty)>
                <p class="td-form-summary" role="alert">"Some settings need attention; nothing was saved."</p>
            </Show>
            {is_new.then(|| view! {
                <TextField id="field-key" label="Key" help="Stored with every value; cannot change later. Lowercase letters, digits and _." value=key error=error("key") />
            })}
            <TextField id="field-label" label="Label" value=label error=error("label") />
            <SelectField id="field-kind" label="Type" value=kind choices=kinds error=error("kind")
                help=kind_help />
            <CheckboxField id="field-required" label="Required" value=required error=error("required") />
            <TextField id="field-default" label="Default value" help="A new task starts with it. Checkbox: true; dates as 2026-11-23." value=default error=error("default") />
            <TextField id="field-help" label="Help text" value=help error=error("help") />
            <Show when=move || chosen_kind().has_options()>
                <TextArea id="field-options" label="Options" help="One per line." value=options error=error("options") />
            </Show>
            <Show when=move || chosen_kind() == FieldKind::Number>
                <TextField id="field-min" label="Smallest value" inputmode="decimal" value=min error=error("min") />
                <TextField id="field-max" label="Largest value" inputmode="decimal" value=max error=error("max") />
            </Show>
            <Show when=move || chosen_kind().is_text()>
                <TextField id="field-max-length" label="Most characters" inputmode="numeric" value=max_length error=error("max_length") />
                <TextField id="field-pattern" label="Pattern" help="A regular expression the whole value must match, for example ORD-[0-9]{4}." value=pattern error=error("pattern") />
            </Show>
            <MultiChoiceField id="field-channels" label="Shown on" help="Tick none to show it on every channel." value=channels options=all_channels error=error("channels") />
            <div class="td-form-actions">
                <button type="submit" class="td-button td-primary">"Save field"</button>
                <button type="button" class="td-button" on:click=move |_| editing.set(Editing::Closed)>"Cancel"</button>
            </div>
        </form>
    }
}
