//! The app shell: navigation, the user switcher, storage state, messages, and the current screen.

use super::live::{BoardView, Offers, PresenceSelect};
use super::palette::{CommandPalette, ShortcutHelp};
use super::reminders::Reminders;
use super::{customer_form::CustomerForm, customer_page::CustomerPage, customers::CustomerList};
use super::{field_admin::FieldsView, queue::QueueView, settings::SettingsView, task_form::TaskForm, task_view::TaskView};
use crate::app::keys::{self, use_overlays, Overlays};
use crate::app::live::Live;
use crate::app::state::{use_app, SaveState};
use crate::app::{AppState, Route};
use leptos::prelude::*;
use taskdesk_domain::palette::Screen;
use taskdesk_domain::UserId;

/// The whole app, over the state its mount made.
#[component]
pub fn App(state: AppState, live: Live) -> impl IntoView {
    provide_context(state);
    provide_context(live);
    state.start();
    let update = crate::app::update::Update::start(state);
    crate::app::events::watch(state);
    crate::app::alerts::watch_offers(state, live);
    // The live center starts once the workspace is loaded, and starts afresh when "Signed in
    // as" or the contact center's set-up changes.
    let loaded = Memo::new(move |_| state.ws.with(Option::is_some));
    let setup = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().map(|w| w.config.center.clone())));
    // Connecting or disconnecting changes who answers offers (simulated colleagues only without
    // a server), and so does the host page switching the simulator: the center starts afresh.
    Effect::new(move |_| {
        state.sync.target.track();
        state.simulator.track();
        live.restart(state);
    });
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        state.me.track();
        setup.track();
        if !loaded.get() {
            return;
        }
        if started.get_value() {
            live.restart(state);
        } else {
            started.set_value(true);
            live.start(state);
        }
    });
    let overlays = Overlays { palette: RwSignal::new(false), help: RwSignal::new(false) };
    provide_context(overlays);
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            keys::install(state, overlays, &el);
            state.set_root(el.into());
        }
    });
    // Every screen change moves focus into the new screen (not on the first one: a page or a
    // host that just loaded keeps its focus).
    Effect::new(move |before: Option<Route>| {
        let now = state.route.get();
        if before.is_some_and(|b| b != now) {
            keys::focus_screen(state);
        }
        now
    });
    view! {
        <div class="td-app" data-theme=move || state.theme.get().key() node_ref=root>
            <a class="td-skip" href="#main" on:click=move |ev| {
                ev.prevent_default();
                keys::focus_screen(state);
            }>"Skip to content"</a>
            <TopBar />
            <NewerVersion />
            <Show when=move || update.ready.get()>
                <div class="td-notice" role="status">
                    <span>"A new version is ready."</span>
                    <button type="button" class="td-button" on:click=move |_| update.apply()>"Reload"</button>
                </div>
            </Show>
            <NoticeBar />
            <main class="td-main" id="main">
                <Show when=move || state.ws.with(Option::is_some) fallback=|| view! { <p class="td-loading">"Loading your workspace…"</p> }>
                    <Screen />
                    <Reminders />
                    <div class="td-offers"><Offers /></div>
                    <CommandPalette />
                    <ShortcutHelp />
                </Show>
            </main>
        </div>
    }
}

#[component]
fn Screen() -> impl IntoView {
    let state = use_app();
    move || match state.route.get() {
        Route::Queue => view! { <QueueView /> }.into_any(),
        Route::Board => view! { <BoardView /> }.into_any(),
        Route::Reports => view! { <super::reports::ReportsView /> }.into_any(),
        Route::Task(id) => view! { <TaskView id=id /> }.into_any(),
        Route::NewTask(customer) => view! { <TaskForm existing=None customer=customer /> }.into_any(),
        Route::EditTask(id) => view! { <TaskForm existing=Some(id) customer=None /> }.into_any(),
        Route::Customers => view! { <CustomerList /> }.into_any(),
        Route::Customer(id) => view! { <CustomerPage id=id /> }.into_any(),
        Route::NewCustomer(contact) => view! { <CustomerForm existing=None contact=contact /> }.into_any(),
        Route::EditCustomer(id) => view! { <CustomerForm existing=Some(id) contact=None /> }.into_any(),
        Route::Settings => view! { <SettingsView /> }.into_any(),
        Route::Fields => view! { <FieldsView /> }.into_any(),
    }
}

/// A link to a screen of the app: a real link (it can be opened in a new tab), followed in place.
#[component]
pub fn RouteLink(route: Route, children: Children) -> impl IntoView {
    let state = use_app();
    let path = route.path();
    view! {
        <a
            href=path
            on:click=move |ev| {
                ev.prevent_default();
                state.navigate(route.clone());
            }
        >
            {children()}
        </a>
    }
}

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

#[component]
fn TopBar() -> impl IntoView {
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
fn NewerVersion() -> impl IntoView {
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

#[component]
fn NoticeBar() -> impl IntoView {
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
