//! Admin sections of Settings: the transaction code catalogue (T6) and each user's permissions (P1).
//! Shown only to users allowed to manage codes or users; the domain refuses everyone else anyway.

use crate::app::state::use_app;
use leptos::prelude::*;
use std::collections::BTreeSet;
use taskdesk_domain::codes::{system_codes, TransactionCode};
use taskdesk_domain::permission::{self, role_defaults, Permission};
use taskdesk_domain::UserId;

/// The catalogue of transaction codes agents pick from.
#[component]
pub fn CodeCatalogue() -> impl IntoView {
    let state = use_app();
    let codes = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().map(|w| w.config.codes.clone()).unwrap_or_default()));
    let code = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = TransactionCode { code: code.get_untracked(), label: label.get_untracked(), system: false };
        match state.run(|ws, me, now| ws.add_code(me, typed, now)) {
            Ok(_) => {
                code.set(String::new());
                label.set(String::new());
                problem.set(None);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let remove = move |c: String| {
        if let Err(e) = state.run(|ws, me, now| ws.remove_code(me, &c, now)) {
            state.tell(e.to_string(), true);
        }
    };
    view! {
        <section aria-labelledby="codes-title">
            <h2 id="codes-title">"Transaction codes"</h2>
            <p>"Agents pick these during or after an interaction. Removing a code keeps it on the tasks that have it."</p>
            <ul class="td-code-catalogue" aria-label="Code catalogue">
                <For each=move || codes.get() key=|c| c.code.clone() let:c>
                    {
                        let name = c.code.clone();
                        view! {
                            <li>
                                <code>{c.code.clone()}</code>" "{c.label.clone()}
                                <button type="button" class="td-button td-small" aria-label=format!("Remove {}", c.code)
                                    on:click=move |_| remove(name.clone())>"Remove"</button>
                            </li>
                        }
                    }
                </For>
                {system_codes().into_iter().map(|c| view! {
                    <li class="td-muted"><code>{c.code}</code>" "{c.label}" (added by the system)"</li>
                }).collect_view()}
            </ul>
            <form class="td-inline-form" on:submit=add novalidate>
                <label for="new-code">"Code"</label>
                <input id="new-code" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))
                    aria-invalid=move || problem.with(Option::is_some).to_string() aria-describedby="new-code-error" />
                <label for="new-code-label">"Meaning"</label>
                <input id="new-code-label" prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                <button type="submit" class="td-button">"Add code"</button>
            </form>
            <p class="td-field-error" id="new-code-error" role="alert">{move || problem.get()}</p>
        </section>
    }
}

/// Each user's permissions: the role's defaults or the admin's own choice.
#[component]
pub fn UserPermissions() -> impl IntoView {
    let state = use_app();
    let set = move |user: UserId, permissions: Option<BTreeSet<Permission>>| {
        if let Err(e) = state.run(|ws, me, now| ws.set_permissions(me, user, permissions, now)) {
            state.tell(e.to_string(), true);
        }
    };
    let rows = move || {
        state
            .users()
            .into_iter()
            .map(|u| {
                let held = permission::effective(&u);
                let own = u.permissions.is_some();
                let cells = Permission::ALL
                    .into_iter()
                    .map(|p| {
                        let (user, base) = (u.id, held.clone());
                        let name = format!("{}: {}", u.name, p.label());
                        view! {
                            <td>
                                <input type="checkbox" aria-label=name prop:checked=held.contains(&p) on:change=move |ev| {
                                    let mut next = base.clone();
                                    if event_target_checked(&ev) { next.insert(p); } else { next.remove(&p); }
                                    set(user, Some(next));
                                } />
                            </td>
                        }
                    })
                    .collect_view();
                let user = u.id;
                view! {
                    <tr>
                        <th scope="row">{u.name.clone()}<span class="td-muted">{format!(" · {}", u.role.label())}</span></th>
                        {cells}
                        <td>
                            {if own {
                                view! { <button type="button" class="td-button td-small" aria-label=format!("Use role defaults for {}", u.name)
                                    on:click=move |_| set(user, None)>"Role defaults"</button> }.into_any()
                            } else {
                                view! { <span class="td-muted">"Role defaults"</span> }.into_any()
                            }}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="users-title">
            <h2 id="users-title">"Users and permissions"</h2>
            <p>{format!("Each role starts with its defaults (agents: {}). Ticking a box gives that user their own set.", role_defaults(taskdesk_domain::Role::Agent).iter().map(|p| p.label()).collect::<Vec<_>>().join(", "))}</p>
            <div class="td-table-scroll">
                <table class="td-table td-permissions">
                    <caption class="td-visually-hidden">"Permissions of each user"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"User"</th>
                            {Permission::ALL.into_iter().map(|p| view! { <th scope="col">{p.label()}</th> }).collect_view()}
                            <th scope="col">"Source"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <super::add_person::AddPerson />
        </section>
    }
}
