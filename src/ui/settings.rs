//! Settings: who you are, where data lives, and resetting the demo workspace.

use super::admin::{CodeCatalogue, UserPermissions};
use crate::app::alerts;
use crate::app::state::use_app;
use crate::app::zone::BrowserZone;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use taskdesk_domain::config::Config;
use taskdesk_domain::embed::Theme;
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::{Change, DomainError, User, Workspace};
use web_sys::NotificationPermission;

/// The command that turns a workspace setting on or off.
type SettingCommand = fn(&mut Workspace, &User, bool, DateTime<Utc>) -> Result<Option<Change>, DomainError>;

/// A workspace setting that is on or off; only users allowed to manage the workspace change it.
#[component]
fn SettingToggle(label: &'static str, read: fn(&Config) -> bool, write: SettingCommand) -> impl IntoView {
    let state = use_app();
    view! {
        <label class="td-check">
            <input
                type="checkbox"
                prop:checked=move || state.ws.with(|ws| ws.as_ref().is_some_and(|w| read(&w.config)))
                disabled=move || !permission::allows(&state.me_user(), Permission::ManageUsers)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    if let Err(e) = state.run(|ws, me, now| write(ws, me, on, now)) {
                        state.tell(e.to_string(), true);
                    }
                }
            />
            {label}
        </label>
    }
}

/// Light, dark, or as the system says; remembered on this device.
#[component]
fn ThemeChoice() -> impl IntoView {
    let state = use_app();
    view! {
        <h2>"Appearance"</h2>
        <div class="td-choices">
        <div class="td-field">
            <label for="settings-theme">"Theme"</label>
            <select id="settings-theme" on:change=move |ev| {
                if let Some(theme) = Theme::from_key(&event_target_value(&ev)) {
                    state.set_theme(theme);
                }
            }>
                {Theme::ALL.into_iter().map(|t| view! { <option value=t.key() selected=move || state.theme.get() == t>{t.label()}</option> }).collect_view()}
            </select>
        </div>
        <ZoneChoice />
        </div>
    }
}

/// The person's own time zone, or the device's; every time on screen, typed times and report
/// days follow it.
#[component]
fn ZoneChoice() -> impl IntoView {
    let state = use_app();
    let device = BrowserZone::device_name();
    let chosen = move || state.ws.with(|ws| ws.as_ref().and_then(|w| w.zone_of(state.me.get()).map(str::to_string))).unwrap_or_default();
    view! {
        <div class="td-field">
            <label for="settings-zone">"Time zone"</label>
            <select id="settings-zone" aria-describedby="settings-zone-help" prop:value=chosen on:change=move |ev| {
                let picked = event_target_value(&ev);
                let name = Some(picked.as_str()).filter(|n| !n.is_empty());
                if let Err(e) = state.run(|ws, me, now| ws.set_zone(me, name, now)) {
                    state.tell(e.to_string(), true);
                }
            }>
                <option value="">{format!("As this device ({device})")}</option>
                {BrowserZone::all_names().into_iter().map(|name| view! { <option value=name.clone()>{name.replace('_', " ")}</option> }).collect_view()}
            </select>
            <p class="td-help" id="settings-zone-help">"Yours only: times on screen, the times you type and the days of reports use it, on every device you sign in on."</p>
        </div>
    }
}

/// How offers reach an agent who is looking elsewhere: a sound, and system notifications.
#[component]
fn AlertChoices() -> impl IntoView {
    let state = use_app();
    let permission = RwSignal::new(alerts::permission());
    let sound = RwSignal::new(alerts::sound_on(state));
    view! {
        <h2>"Alerts"</h2>
        <label class="td-check">
            <input type="checkbox" prop:checked=move || sound.get() on:change=move |ev| {
                let on = event_target_checked(&ev);
                sound.set(on);
                alerts::set_sound(state, on);
            } />
            "Play a sound for each new offer"
        </label>
        <p class="td-muted">
            {move || match permission.get() {
                Some(NotificationPermission::Granted) => "While this tab is hidden, new offers and reminders show as system notifications; the tab's title counts waiting offers.",
                Some(NotificationPermission::Denied) => "This browser blocks Taskdesk's notifications; allow them in the browser's site settings to be told of offers while this tab is hidden.",
                Some(_) => "Allow notifications to be told of new offers and reminders while this tab is hidden.",
                None => "This browser shows no system notifications here; the tab's title counts waiting offers.",
            }}
        </p>
        <Show when=move || matches!(permission.get(), Some(NotificationPermission::Default))>
            <button type="button" class="td-button" on:click=move |_| alerts::ask_permission(move |p| permission.set(p))>"Allow notifications"</button>
        </Show>
    }
}

/// The Settings screen.
#[component]
pub fn SettingsView() -> impl IntoView {
    let state = use_app();
    let allowed = move || permission::allows(&state.me_user(), Permission::ManageUsers);
    let device = move || state.ws.with(|ws| ws.as_ref().map(|w| w.device.code.to_string()).unwrap_or_default());
    let reset = move |_| {
        let confirmed =
            web_sys::window().and_then(|w| w.confirm_with_message("Reset the demo workspace? Every task and customer on this device is replaced by fresh demo data.").ok()).unwrap_or(false);
        if confirmed {
            state.reset_demo();
        }
    };
    view! {
        <section class="td-page" aria-labelledby="settings-title">
            <h1 id="settings-title">"Settings"</h1>
            <dl class="td-details">
                <div class="td-detail"><dt>"This device"</dt><dd>{device}" (task numbers start with this code)"</dd></div>
                <div class="td-detail"><dt>"Storage"</dt><dd>{format!("IndexedDB database “{}” in this browser", state.database())}</dd></div>
                <div class="td-detail"><dt>"Waiting to be saved"</dt><dd>{move || { state.save.track(); state.storage().map_or(0, |s| s.pending()).to_string() }}</dd></div>
            </dl>
            <ThemeChoice />
            <AlertChoices />
            <super::sync_panel::SyncPanel />
            <super::canned::CannedLibrary />
            <h2>"Resolving tasks"</h2>
            <SettingToggle
                label="Require at least one hashtag to resolve a task"
                read=|c| c.hashtag_required
                write=Workspace::set_hashtag_required
            />
            <h2>"Simulated contact center"</h2>
            <SettingToggle
                label="Send simulated traffic (calls, emails, chats and SMS; with a server, from the device that routes)"
                read=|c| c.simulator
                write=Workspace::set_simulator
            />
            <h2>"Call logs"</h2>
            <SettingToggle
                label="Open call logs ready to edit (otherwise they open to read)"
                read=|c| c.call_log_opens_in_edit
                write=Workspace::set_call_log_opens_in_edit
            />
            <Show when=move || permission::allows(&state.me_user(), Permission::ManageCodes)>
                <CodeCatalogue />
            </Show>
            <Show when=allowed>
                <UserPermissions />
                <super::center_admin::CenterSetup />
            </Show>
            <h2>"Demo workspace"</h2>
            <Show
                when=move || !state.sync.connected()
                fallback=|| view! { <p>"This workspace syncs with a server, so it cannot be replaced by a demo. Disconnect first."</p> }
            >
                <p>"Replace everything on this device with a fresh demo: customers, agents and tasks of every channel."</p>
                <button type="button" class="td-button td-danger" on:click=reset disabled=move || !allowed()>"Reset demo workspace"</button>
            </Show>
            <Show when=move || !allowed()>
                <p class="td-muted">"Only an admin can change these settings or reset the workspace. Switch to Ada Park (Admin) above."</p>
            </Show>
        </section>
    }
}
