//! The app shell: navigation, the user switcher, storage state, messages, and the current screen.

use super::live_board::BoardView;
use super::offers::Offers;
use super::palette::{CommandPalette, ShortcutHelp};
use super::reminders::Reminders;
use super::top_bar::{NewerVersion, NoticeBar, TopBar};
use super::{customer_form::CustomerForm, customer_page::CustomerPage, customers::CustomerList};
use super::{field_admin::FieldsView, queue::QueueView, settings::SettingsView, task_form::TaskForm, task_view::TaskView};
use crate::app::keys::{self, Overlays};
use crate::app::live::Live;
use crate::app::state::use_app;
use crate::app::{AppState, Route};
use leptos::prelude::*;

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
