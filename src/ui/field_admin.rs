//! The Fields screen (F1): admins add, edit, reorder, retire and restore custom task fields.

use super::field_form::FieldForm;
use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::field::FieldDef;
use taskdesk_domain::permission::{self, Permission};

/// Which field the form is open for.
#[derive(Clone, Debug, PartialEq)]
pub enum Editing {
    /// No form open.
    Closed,
    /// Adding a field.
    New,
    /// Editing this field.
    Field(FieldDef),
}

/// The Fields screen.
#[component]
pub fn FieldsView() -> impl IntoView {
    let state = use_app();
    let allowed = move || permission::allows(&state.me_user(), Permission::ManageFields);
    view! {
        <section class="td-page" aria-labelledby="fields-title">
            <h1 id="fields-title">"Fields"</h1>
            <Show
                when=allowed
                fallback=|| view! { <p>"Only users allowed to manage fields can open this screen. Ask an admin, or switch to Ada Park (Admin) above."</p> }
            >
                <FieldCatalogue />
            </Show>
        </section>
    }
}

#[component]
fn FieldCatalogue() -> impl IntoView {
    let state = use_app();
    let editing = RwSignal::new(Editing::Closed);
    let catalogue = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().map(|w| w.config.fields.clone()).unwrap_or_default()));
    let used = move |key: &str| state.ws.with(|ws| ws.as_ref().map_or(0, |w| w.field_use_count(key)));
    let act = move |result: Result<Option<taskdesk_domain::Change>, taskdesk_domain::DomainError>| {
        if let Err(e) = result {
            state.tell(e.to_string(), true);
        }
    };
    let rows = move || {
        let list = catalogue.get();
        let last = list.len().saturating_sub(1);
        list.into_iter()
            .enumerate()
            .map(|(i, def)| {
                let key = def.key.clone();
                let (up, down, retire) = (key.clone(), key.clone(), key.clone());
                let retired = def.retired;
                let label = def.label.clone();
                let channels = if def.channels.is_empty() { "All".to_string() } else { def.channels.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ") };
                let count = used(&key);
                let for_edit = def.clone();
                view! {
                    <tr class:td-retired=retired>
                        <th scope="row">{def.label.clone()}</th>
                        <td><code>{def.key.clone()}</code></td>
                        <td>{def.kind.label()}</td>
                        <td>{channels}</td>
                        <td>{if def.required { "Yes" } else { "No" }}</td>
                        <td>{if count == 1 { "1 task".to_string() } else { format!("{count} tasks") }}</td>
                        <td>{if retired { "Retired" } else { "Active" }}</td>
                        <td class="td-row-actions">
                            <button type="button" class="td-button td-small" aria-label=format!("Move {label} up") disabled=i == 0
                                on:click=move |_| act(state.run(|ws, me, now| ws.move_field(me, &up, -1, now)))>"↑"</button>
                            <button type="button" class="td-button td-small" aria-label=format!("Move {label} down") disabled=i == last
                                on:click=move |_| act(state.run(|ws, me, now| ws.move_field(me, &down, 1, now)))>"↓"</button>
                            <button type="button" class="td-button td-small" aria-label=format!("Edit {label}")
                                on:click=move |_| editing.set(Editing::Field(for_edit.clone()))>"Edit"</button>
                            <button type="button" class="td-button td-small" aria-label=format!("{} {label}", if retired { "Restore" } else { "Retire" })
                                on:click=move |_| act(state.run(|ws, me, now| ws.set_field_retired(me, &retire, !retired, now)))>
                                {if retired { "Restore" } else { "Retire" }}
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <p>"Fields added here appear on the task form for the channels you choose, in this order. Retiring a field hides it from forms and keeps every value already stored."</p>
        <button type="button" class="td-button td-primary" on:click=move |_| editing.set(Editing::New)>"Add field"</button>
        {move || match editing.get() {
            Editing::Closed => None,
            Editing::New => Some(view! { <FieldForm existing=None editing=editing /> }.into_any()),
            Editing::Field(def) => Some(view! { <FieldForm existing=Some(def) editing=editing /> }.into_any()),
        }}
        <Show when=move || !catalogue.with(Vec::is_empty) fallback=|| view! { <p class="td-muted">"No custom fields yet."</p> }>
            <div class="td-table-scroll">
                <table class="td-table td-field-table">
                    <caption class="td-visually-hidden">"Custom task fields"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Label"</th>
                            <th scope="col">"Key"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Channels"</th>
                            <th scope="col">"Required"</th>
                            <th scope="col">"Used by"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </Show>
    }
}
