//! Settings, "Sync": connect this workspace to a server, sign in again, disconnect; the sync
//! state; the changes the server refused, with its reasons; what sync had to skip.

use super::fields::{no_error, FormProblem, TextField};
use super::sync_problems::{Problems, Refused};
use crate::app::format;
use crate::app::state::use_app;
use crate::app::sync;
use leptos::prelude::*;
use taskdesk_store::Joining;

/// The Sync section of Settings.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let state = use_app();
    let connected = move || state.sync.connected();
    view! {
        <section class="td-sync" aria-labelledby="sync-title" id="sync">
            <h2 id="sync-title">"Sync"</h2>
            <p class="td-sync-state">
                <strong>"State: "</strong>
                {move || state.sync.shown().words(|ms| format::clock_time(&*state.zone(), ms))}
            </p>
            <Show when=connected fallback=ConnectForm>
                <Connected />
            </Show>
            <Refused />
            <Problems />
        </section>
    }
}

/// The form that connects to a CouchDB server.
#[component]
fn ConnectForm() -> impl IntoView {
    let state = use_app();
    let (suggested_address, suggested_database) = state.sync.suggested.get_untracked().unwrap_or_else(|| ("http://127.0.0.1:5984".into(), "taskdesk".into()));
    let address = RwSignal::new(suggested_address);
    let database = RwSignal::new(suggested_database);
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let connect = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let result = sync::connect(state, address.get_untracked(), database.get_untracked(), user.get_untracked(), password.get_untracked()).await;
            // The password is not kept, not even in the form.
            password.try_set(String::new());
            busy.try_set(false);
            match result {
                Ok(Joining::TakeServers) => state.tell("Connected. This device took the server's workspace.", false),
                Ok(Joining::MergeOwnWork) => state.tell("Connected. This device's own work is being merged into the server's workspace.", false),
                Err(e) => {
                    problem.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <p>"Sync this workspace with a CouchDB server (Apache CouchDB 3, or pouchdb-server: see the README). A device whose demo workspace is untouched takes the server's workspace; a device with its own work merges it in."</p>
        <form class="td-form td-sync-form" on:submit=connect>
            <TextField id="sync-address" label="Server address" value=address error=no_error kind="url" autocomplete="url" />
            <TextField id="sync-database" label="Database" value=database error=no_error />
            <TextField id="sync-user" label="User name" value=user error=no_error autocomplete="username" />
            <TextField id="sync-password" label="Password" value=password error=no_error kind="password" autocomplete="current-password" />
            <FormProblem problem=problem />
            <button type="submit" class="td-button td-primary" disabled=busy>{move || if busy.get() { "Connecting…" } else { "Connect" }}</button>
        </form>
    }
}

/// Where this workspace syncs, signing in again, and disconnecting.
#[component]
fn Connected() -> impl IntoView {
    let state = use_app();
    let target = move || state.sync.target.get().unwrap_or_default();
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let needs_sign_in = move || state.sync.status.with(|s| s.phase == taskdesk_sync::status::Phase::SignIn);
    let sign_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            let result = sync::sign_in_again(state, password.get_untracked()).await;
            password.try_set(String::new());
            match result {
                Ok(()) => {
                    problem.try_set(None);
                    state.tell("Signed in. Sync goes on.", false);
                }
                Err(e) => {
                    problem.try_set(Some(e));
                }
            }
        });
    };
    let disconnect = move |_| {
        let waiting = state.sync.status.with_untracked(|s| s.waiting);
        if waiting > 0 {
            let question = format!("{waiting} changes have not reached the server yet. Disconnect anyway? They stay on this device and are sent when you connect again.");
            if !web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false) {
                return;
            }
        }
        leptos::task::spawn_local(async move {
            match sync::disconnect(state).await {
                Ok(()) => state.tell("Disconnected. The workspace stays on this device.", false),
                Err(e) => state.tell(e, true),
            }
        });
    };
    view! {
        <dl class="td-details">
            <div class="td-detail"><dt>"Server address"</dt><dd>{move || target().address}</dd></div>
            <div class="td-detail"><dt>"Database"</dt><dd>{move || target().database}</dd></div>
            <div class="td-detail"><dt>"Signed in as"</dt><dd>{move || format!("{} ({})", state.me_user().name, target().user)}</dd></div>
        </dl>
        <Show when=needs_sign_in>
            <form class="td-form td-sync-form" on:submit=sign_in>
                <p>"Your session on the server ended (it expired, or the password changed). Every change is kept; type your password to go on syncing."</p>
                <TextField id="sync-password-again" label="Password" value=password error=no_error kind="password" autocomplete="current-password" />
                <FormProblem problem=problem />
                <button type="submit" class="td-button td-primary">"Sign in again"</button>
            </form>
        </Show>
        <button type="button" class="td-button" on:click=disconnect>"Disconnect"</button>
    }
}
