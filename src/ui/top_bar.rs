//! The header: navigation, save and sync state, the person at the screen, and the notices under it.

use super::live::PresenceSelect;
use super::shell::RouteLink;
use crate::app::keys::use_overlays;
use crate::app::state::{use_app, SaveState};
use crate::app::Route;
use leptos::prelude::*;
use taskdesk_domain::palette::Screen;
use taskdesk_domain::UserId;

/// A navigation link that changes screen without reloading the page; one that `folds` goes
/// into "More" in a narrow panel.
#[component]
pub fn NavLink(route: Route, #[prop(optional)] folds: bool, children: Children) -> impl IntoView {
    let state = use_app();
    let path = route.path();
    let section = route.section();
    view! {
        <a
            href=path
            class=if folds { "td-nav-link td-folds" } else { "td-nav-link" }
            aria-current=move || (state.route.get().section() == section).then_some("page")
            on:click=move |ev| {
                ev.prevent_default();
                state.navigate(route.clone());
            }
        >
            {children()}
        </a>
    }
}

/// The header: navigation (folding into "More" in a narrow panel), the palette button, save and sync state, presence and the person at the screen.
#[component]
pub fn TopBar() -> impl IntoView {
    let (state, overlays) = (use_app(), use_overlays());
    let open = move || state.ws.with(|ws| ws.as_ref().map_or(0, |w| w.open_count()));
    // In a narrow panel the screens past Queue and Customers fold into "More"; choosing one folds it again.
    let more = RwSignal::new(false);
    Effect::new(move |_| {
        state.route.track();
        more.set(false);
    });
    view! {
        <header class="td-top">
            <span class="td-brand">"Taskdesk"</span>
            <nav class="td-nav" aria-label="Main" data-more=move || more.get().to_string()>
                <NavLink route=Route::Queue>
                    "Queue" <span class="td-count" aria-label=move || format!("{} open", open())>{open}</span>
                </NavLink>
                <NavLink route=Route::Customers>"Customers"</NavLink>
                {[Screen::Fields, Screen::Board, Screen::Reports]
                    .into_iter()
                    .map(|screen| view! {
                        <Show when=move || screen.allowed(&state.me_user())>
                            <NavLink route=Route::of_screen(screen) folds=true>{screen.label()}</NavLink>
                        </Show>
                    })
                    .collect_view()}
                <NavLink route=Route::Settings folds=true>"Settings"</NavLink>
                <button type="button" class="td-button td-more" aria-expanded=move || more.get().to_string() on:click=move |_| more.update(|m| *m = !*m)>
                    "More"
                </button>
            </nav>
            <button type="button" class="td-button td-palette-open" aria-keyshortcuts="Control+K" on:click=move |_| overlays.palette.set(true)>
                "Search or run…" <kbd aria-hidden="true">"Ctrl K"</kbd>
            </button>
            <div class="td-state">
                <SaveIndicator />
                <SyncIndicator />
            </div>
            <PresenceSelect />
            <UserSwitcher />
        </header>
    }
}

/// Whether every change is stored on this device.
#[component]
fn SaveIndicator() -> impl IntoView {
    let state = use_app();
    let text = move || match state.save.get() {
        SaveState::Saved => "Saved on this device".to_string(),
        SaveState::Saving(_) => "Saving…".to_string(),
        SaveState::Failed(why) => format!("Not saved yet, retrying: {why}"),
    };
    let class = move || match state.save.get() {
        SaveState::Failed(_) => "td-save td-save-failed",
        SaveState::Saving(_) => "td-save td-save-busy",
        SaveState::Saved => "td-save",
    };
    view! { <span class=class role="status">{text}</span> }
}

/// The sync state, always in sight: offline, syncing (with a progress bar on long work), synced
/// at a time, changes waiting, sign in again.
#[component]
fn SyncIndicator() -> impl IntoView {
    let state = use_app();
    let status = Memo::new(move |_| state.sync.shown());
    let class = move || if status.with(|s| s.needs_attention()) { "td-sync-indicator td-sync-attention" } else { "td-sync-indicator" };
    view! {
        <span class=class>
            <span role="status" aria-live="polite">{move || status.with(|s| s.words(|ms| crate::app::format::clock_time(&*state.zone(), ms)))}</span>
            {move || status.with(|s| s.progress()).map(|(done, total)| view! { <progress max=total value=done aria-label="Sync progress"></progress> })}
            <Show when=move || status.with(|s| s.needs_attention())>
                <RouteLink route=Route::Settings>"Sync details"</RouteLink>
            </Show>
        </span>
    }
}

/// Shown when another tab opened a newer version of the stored data: this tab closed its
/// connection so the other is not kept waiting, and asks to be reloaded.
#[component]
pub fn NewerVersion() -> impl IntoView {
    let state = use_app();
    view! {
        <Show when=move || state.newer_version.get()>
            <div class="td-notice td-notice-error" role="alert">
                <span>"A newer version of Taskdesk was opened in another tab. This tab stopped saving so it does not get in the way; reload it to keep working."</span>
                <button type="button" class="td-button" on:click=move |_| { let _ = web_sys::window().map(|w| w.location().reload()); }>"Reload"</button>
            </div>
        </Show>
    }
}

/// Who is at the screen: the demo's people, or the signed-in person while syncing.
#[component]
fn UserSwitcher() -> impl IntoView {
    let state = use_app();
    view! {
        <Show
            when=move || state.may_switch_user()
            fallback=move || view! { <div class="td-user"><span>"Signed in as "<strong>{move || { let me = state.me_user(); format!("{} ({})", me.name, me.role.label()) }}</strong></span></div> }
        >
        <div class="td-user">
            <label for="td-user-select">"Signed in as"</label>
            <select
                id="td-user-select"
                on:change=move |ev| {
                    if let Some(id) = UserId::parse(&event_target_value(&ev)) {
                        state.switch_user(id);
                    }
                }
            >
                {state
                    .users()
                    .into_iter()
                    .map(|u| {
                        let selected = move || state.me.get() == u.id;
                        view! { <option value=u.id.to_string() selected=selected>{format!("{} ({})", u.name, u.role.label())}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
        </Show>
    }
}

/// The latest notice (a saved change, a problem), announced and dismissible.
#[component]
pub fn NoticeBar() -> impl IntoView {
    let state = use_app();
    move || {
        state.notice.get().map(|n| {
            let class = if n.error { "td-notice td-notice-error" } else { "td-notice" };
            let role = if n.error { "alert" } else { "status" };
            view! {
                <div class=class role=role>
                    <span>{n.text}</span>
                    <button type="button" class="td-link-button" on:click=move |_| state.notice.set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
}
