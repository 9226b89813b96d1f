//! "Add a person" (P1), in Users and permissions: a name and a role for the workspace and, while
//! connected to a server, their sign-in there. Creating a sign-in needs a server admin; anyone
//! else is shown the command that does it.

use super::fields::{no_error, Choice, FormProblem, SelectField, TextField};
use crate::app::state::use_app;
use crate::app::sync;
use leptos::prelude::*;
use taskdesk_domain::{Role, UserId};

fn role_of(key: &str) -> Role {
    [Role::Agent, Role::Supervisor, Role::Admin].into_iter().find(|r| r.label().eq_ignore_ascii_case(key)).unwrap_or(Role::Agent)
}

/// The form that adds a person.
#[component]
pub fn AddPerson() -> impl IntoView {
    let state = use_app();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("agent".to_string());
    let sign_in = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let command = RwSignal::new(None::<String>);
    let connected = move || state.sync.connected();
    let roles: Vec<Choice> = [Role::Agent, Role::Supervisor, Role::Admin].into_iter().map(|r| (r.label().to_lowercase(), r.label().to_string())).collect();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        command.set(None);
        let (who, as_role, login, first) = (name.get_untracked(), role_of(&role.get_untracked()), sign_in.get_untracked().trim().to_string(), password.get_untracked());
        if connected() {
            if let Err(e) = taskdesk_sync::couch::check_sign_in_name(&login) {
                problem.set(Some(e));
                return;
            }
            if first.len() < 8 {
                problem.set(Some("Give a first password of at least 8 characters; they can change it on the server.".into()));
                return;
            }
        }
        let mut added: Option<UserId> = None;
        let result = state.run(|ws, me, now| {
            let (change, id) = ws.add_user(me, &who, as_role, now)?;
            added = Some(id);
            Ok(Some(change))
        });
        let (Ok(_), Some(id)) = (result.clone(), added) else {
            problem.set(result.err().map(|e| e.to_string()));
            return;
        };
        name.set(String::new());
        password.set(String::new());
        if !connected() {
            state.tell(format!("{} was added as {}.", who.trim(), as_role.label().to_lowercase()), false);
            return;
        }
        leptos::task::spawn_local(async move {
            match sync::create_person(state, &login, &first, as_role, id).await {
                Ok(()) => state.tell(format!("{} was added and can sign in as “{login}”.", who.trim()), false),
                Err(e) => {
                    let target = state.sync.target.get_untracked().unwrap_or_default();
                    problem.try_set(Some(format!("{} was added to the workspace, but not to the server: {e}", who.trim())));
                    command.try_set(Some(format!(
                        "node scripts/couch-setup.mjs <server URL with admin credentials> {} --add-person {login} --name \"{}\" --role {} --id {id} --password <first password>",
                        target.database,
                        who.trim(),
                        as_role.label().to_lowercase()
                    )));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="add-person-title">
            <h3 id="add-person-title">"Add a person"</h3>
            <form class="td-form td-sync-form" on:submit=add>
                <TextField id="person-name" label="Name" value=name error=no_error autocomplete="off" />
                <SelectField id="person-role" label="Role" value=role choices=roles error=no_error />
                <Show when=connected>
                    <TextField id="person-sign-in" label="Sign-in name" value=sign_in error=no_error autocomplete="off" />
                    <TextField id="person-password" label="First password" value=password error=no_error kind="password" autocomplete="new-password" />
                </Show>
                <FormProblem problem=problem />
                <Show when=move || command.with(Option::is_some)>
                    <p>"Only a server admin can create sign-ins. One can run this, with the first password:"</p>
                    <pre class="td-command">{move || command.get()}</pre>
                </Show>
                <button type="submit" class="td-button">"Add person"</button>
            </form>
        </section>
    }
}
