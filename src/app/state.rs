//! The reactive state of the app and the services the screens call.

use super::persist::Storage;
use super::route::Route;
use super::sync::SyncState;
use super::tabs::{self, TabMessage, Tabs};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::rc::Rc;
use taskdesk_domain::queue::QueueQuery;
use taskdesk_domain::validate::Problems;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{demo, Change, DomainError, User, UserId, Workspace};
use taskdesk_store::{Batch, Origin, Store};
use wasm_bindgen::prelude::*;

/// Name of the IndexedDB database holding the workspace of the standalone app.
pub const DATABASE: &str = "taskdesk";
const USER_KEY: &str = "taskdesk.user";

/// Whether the latest changes are safely stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    /// Everything is on disk.
    Saved,
    /// This many batches are being written.
    Saving(usize),
    /// The last write failed; it is retried.
    Failed(String),
}

/// A message for the person at the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// What happened, in plain words.
    pub text: String,
    /// Whether it is a problem (shown as an alert) or news.
    pub error: bool,
}

/// Everything the screens share. Cheap to copy: it is a handful of signals.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The workspace; `None` until loaded.
    pub ws: RwSignal<Option<Workspace>>,
    /// The user at the screen.
    pub me: RwSignal<UserId>,
    /// The screen shown.
    pub route: RwSignal<Route>,
    /// The latest message.
    pub notice: RwSignal<Option<Notice>>,
    /// Storage state.
    pub save: RwSignal<SaveState>,
    /// Increases after every successful write, so views that read storage refresh.
    pub stored_rev: RwSignal<u64>,
    /// The queue's view, filters and sort; kept while the agent opens tasks.
    pub queue_query: RwSignal<QueueQuery>,
    /// Sync with a server.
    pub sync: SyncState,
    /// Another tab opened a newer version of the stored data; this one must reload.
    pub newer_version: RwSignal<bool>,
    storage: StoredValue<Option<Rc<Storage>>, LocalStorage>,
    tabs: StoredValue<Option<Rc<Tabs>>, LocalStorage>,
    database: StoredValue<String>,
}

/// The app state provided by the root component.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn location_route() -> Route {
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return Route::Queue };
    Route::parse(&loc.pathname().unwrap_or_default(), &loc.search().unwrap_or_default())
}

impl AppState {
    /// Fresh state; call [`AppState::start`] to load the workspace.
    pub fn new() -> Self {
        let users = demo::users();
        let saved = local_storage().and_then(|s| s.get_item(USER_KEY).ok().flatten()).and_then(|t| UserId::parse(&t));
        let me = saved.filter(|id| users.iter().any(|u| u.id == *id)).unwrap_or(users[0].id);
        AppState {
            ws: RwSignal::new(None),
            me: RwSignal::new(me),
            route: RwSignal::new(location_route()),
            notice: RwSignal::new(None),
            save: RwSignal::new(SaveState::Saved),
            stored_rev: RwSignal::new(0),
            queue_query: RwSignal::new(QueueQuery::default()),
            sync: SyncState::new(),
            newer_version: RwSignal::new(false),
            storage: StoredValue::new_local(None),
            tabs: StoredValue::new_local(None),
            database: StoredValue::new(DATABASE.to_string()),
        }
    }

    /// The name of the IndexedDB database this workspace lives in.
    pub fn database(&self) -> String {
        self.database.get_value()
    }

    /// The open store and its write queue, once loaded.
    pub fn storage(&self) -> Option<Rc<Storage>> {
        self.storage.try_get_value().flatten()
    }

    /// Tells the other tabs of this workspace.
    pub fn tell_tabs(&self, message: &TabMessage) {
        if let Some(tabs) = self.tabs.try_get_value().flatten() {
            tabs.send(message);
        }
    }

    /// Applies changes stored elsewhere (another tab, the server) to what the screens show.
    pub fn apply_from_elsewhere(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        // Every change is applied; one that does not fit is reported, the others still show.
        let me = self.me.get_untracked();
        let outcome = self.ws.try_update(|ws| ws.as_mut().map(|ws| ws.apply_noting_losses(changes, me)));
        if let Some(Some((problems, lost))) = outcome {
            if let Some(e) = problems.first() {
                self.tell(format!("A change from elsewhere could not be shown: {e}"), true);
            }
            // Two devices gave the task out at once; the later one stands on every device.
            for id in lost {
                let words = self.ws.with_untracked(|ws| {
                    let t = ws.as_ref()?.task(id)?;
                    Some(format!("{} “{}” is now {}'s: it was given to two people at once, and the other assignment stands.", t.number, t.subject, self.user_name(t.assignee)))
                });
                if let Some(w) = words {
                    self.tell(w, true);
                }
            }
        }
        self.stored_rev.try_update(|r| *r += 1);
    }

    /// After changes were stored: screens that read storage refresh; changes made in this tab
    /// go to the other tabs, and the syncing tab hears that something waits for the server.
    pub fn stored(&self, new: &[Change], here: bool) {
        self.stored_rev.try_update(|r| *r += 1);
        if here && !new.is_empty() {
            self.tell_tabs(&TabMessage::Changes(new.to_vec()));
            self.tell_tabs(&TabMessage::Outbox);
            self.sync.wake();
        }
    }

    /// Reads the whole workspace from storage again (after it was replaced), keeping this tab's device.
    pub async fn reload_workspace(&self) {
        let Some(storage) = self.storage() else { return };
        let device = self.ws.with_untracked(|ws| ws.as_ref().map(|w| w.device.clone()));
        match storage.store.load().await {
            Ok(snap) => {
                let device = device.unwrap_or_else(tabs::new_device);
                self.ws.try_set(Some(Workspace::from_records(device, snap.config.unwrap_or_default(), snap.tasks, snap.customers, snap.messages)));
                self.stored_rev.try_update(|r| *r += 1);
            }
            Err(e) => self.tell(e.to_string(), true),
        }
    }

    /// What a message from another tab asks of this one.
    fn hear(self, message: TabMessage) {
        match message {
            TabMessage::Changes(changes) => self.apply_from_elsewhere(&changes),
            TabMessage::Sync(status) => {
                if !self.sync.leader.get_untracked() {
                    self.sync.status.try_set(status);
                    self.sync.rev.try_update(|r| *r += 1);
                }
            }
            TabMessage::Outbox => self.sync.wake(),
            TabMessage::Connection => leptos::task::spawn_local(super::sync::reconnect(self)),
            TabMessage::Reload => leptos::task::spawn_local(async move { self.reload_workspace().await }),
        }
    }

    /// Every user of the workspace, with the permissions an admin gave them.
    pub fn users(&self) -> Vec<User> {
        self.ws.with(|ws| ws.as_ref().map(|w| w.users())).unwrap_or_else(demo::users)
    }

    /// The user at the screen. While signed in to a server, their role is the one the server
    /// gives, and until the server's workspace (with their name) has arrived, their sign-in names them.
    pub fn me_user(&self) -> User {
        let me = self.me.get();
        let session = self.sync.session.with(|s| s.clone().filter(|s| s.user() == Some(me)));
        let known = self.users().into_iter().find(|u| u.id == me);
        let mut user = match (known, &session) {
            (Some(u), _) => u,
            (None, Some(s)) => User { id: me, name: s.name.clone(), role: taskdesk_domain::Role::Agent, permissions: None },
            (None, None) => demo::users().remove(0),
        };
        if let Some(role) = session.and_then(|s| s.role()) {
            user.role = role;
        }
        user
    }

    /// A user's display name.
    pub fn user_name(&self, id: Option<UserId>) -> String {
        match id {
            None => "System".into(),
            Some(id) => self.users().into_iter().find(|u| u.id == id).map_or_else(|| "Unknown user".into(), |u| u.name),
        }
    }

    /// Switches the user at the screen and remembers the choice.
    pub fn switch_user(&self, id: UserId) {
        if let Some(s) = local_storage() {
            let _ = s.set_item(USER_KEY, &id.to_string());
        }
        self.me.set(id);
    }

    /// Shows a screen and records it in the address bar.
    pub fn navigate(&self, route: Route) {
        if self.route.get_untracked() == route {
            return;
        }
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&route.path()));
        }
        self.route.set(route);
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Shows a message.
    pub fn tell(&self, text: impl Into<String>, error: bool) {
        self.notice.set(Some(Notice { text: text.into(), error }));
    }

    /// Runs a command on the workspace as the user at the screen and stores the change it makes.
    pub fn run(&self, command: impl FnOnce(&mut Workspace, &User, DateTime<Utc>) -> Result<Option<Change>, DomainError>) -> Result<Option<Change>, DomainError> {
        self.run_all(|ws, me, now| command(ws, me, now).map(|c| c.into_iter().collect())).map(|changes| changes.into_iter().next())
    }

    /// Runs a command that may make several changes at once (a field's type change converts
    /// every task holding it); they are stored in one transaction, so all land or none.
    pub fn run_all(&self, command: impl FnOnce(&mut Workspace, &User, DateTime<Utc>) -> Result<Vec<Change>, DomainError>) -> Result<Vec<Change>, DomainError> {
        let me = self.me_user();
        self.apply_and_store(false, |ws| command(ws, &me, now()))
    }

    /// Whether the person at the screen may pick who they are: not while a server says who signed in.
    pub fn may_switch_user(&self) -> bool {
        !self.sync.connected()
    }

    /// Runs work the app does by itself (the live center's tick) on the workspace; stores its
    /// changes and wakes the screens only when it made some, so a quiet second costs nothing.
    pub fn run_background(&self, job: impl FnOnce(&mut Workspace) -> Result<Vec<Change>, DomainError>) -> Result<Vec<Change>, DomainError> {
        self.apply_and_store(true, job)
    }

    fn apply_and_store(&self, quiet: bool, job: impl FnOnce(&mut Workspace) -> Result<Vec<Change>, DomainError>) -> Result<Vec<Change>, DomainError> {
        let me = self.me.get_untracked();
        let run = |ws: &mut Option<Workspace>| match ws.as_mut() {
            Some(ws) => job(ws).map(|changes| {
                // What the person at the screen did makes this device's workspace their own work.
                let origin = if changes.iter().any(|c| c.actor == Some(me)) { Origin::Person } else { Origin::App };
                let batch = Batch { changes: changes.clone(), device: Some(ws.device.clone()), origin };
                (changes, batch)
            }),
            None => Ok((Vec::new(), Batch::default())),
        };
        let outcome = if quiet { self.ws.try_update_untracked(run) } else { self.ws.try_update(run) };
        let (changes, batch) = outcome.unwrap_or_else(|| Ok((Vec::new(), Batch::default())))?;
        if !changes.is_empty() {
            if quiet {
                self.ws.notify();
            }
            if let Some(storage) = self.storage() {
                storage.enqueue(*self, batch);
            }
        }
        Ok(changes)
    }

    /// Saves a checked form: shows its problems (saving nothing) or runs `command` with the input,
    /// then shows the record the change touched as `route` gives it, or the refusal.
    pub fn submit_form<I>(
        &self,
        problems: RwSignal<Problems>,
        checked: Result<I, Problems>,
        command: impl FnOnce(&mut Workspace, &User, DateTime<Utc>, I) -> Result<Option<Change>, DomainError>,
        route: impl FnOnce(Option<Change>) -> Option<Route>,
    ) {
        let input = match checked {
            Ok(input) => input,
            Err(p) => {
                problems.set(p);
                return;
            }
        };
        problems.set(Problems::default());
        match self.run(|ws, me, now| command(ws, me, now, input)) {
            Ok(change) => {
                if let Some(r) = route(change) {
                    self.navigate(r);
                }
            }
            Err(e) => self.tell(e.to_string(), true),
        }
    }

    /// Loads the workspace from storage, seeding the demo on first start, and follows the back button.
    pub fn start(self) {
        let on_pop = Closure::<dyn Fn()>::new(move || {
            self.route.try_set(location_route());
        });
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        }
        on_pop.forget();
        super::outbox::watch(self);
        super::host::expose(self);
        leptos::task::spawn_local(async move {
            let name = self.database();
            let (storage, warning) = Storage::open(&name).await;
            if let Some(w) = warning {
                self.tell(w, true);
            }
            if let super::persist::LocalStore::Idb(idb) = &storage.store {
                tabs::step_aside_for_newer_versions(self, idb.raw());
            }
            self.storage.set_value(Some(storage.clone()));
            // One tab at a time reads or seeds the workspace, so two tabs opened together never
            // both seed a demo or take the same device record.
            let starting = super::locks::acquire(&format!("taskdesk:{name}:start"), false).await;
            let snapshot = storage.store.load().await;
            let (device, lock) = match &snapshot {
                Ok(snap) => tabs::claim_device(&name, &snap.devices).await,
                Err(_) => (tabs::new_device(), None),
            };
            let first_start = snapshot.as_ref().is_ok_and(|s| s.devices.is_empty() && s.tasks.is_empty() && s.config.is_none());
            match snapshot {
                Ok(snap) => {
                    if !snap.damaged.is_empty() {
                        self.tell(
                            format!("{} stored records could not be read and were left untouched. First: {}", snap.damaged.len(), snap.damaged[0]),
                            true,
                        );
                    }
                    if first_start {
                        self.seed(&storage, device).await;
                    } else {
                        self.ws.set(Some(Workspace::from_records(device, snap.config.unwrap_or_default(), snap.tasks, snap.customers, snap.messages)));
                    }
                }
                Err(e) => {
                    self.tell(e.to_string(), true);
                    self.seed(&storage, device).await;
                }
            }
            if let Some(lock) = starting {
                lock.release();
            }
            let on_message = move |m: TabMessage| self.hear(m);
            self.tabs.set_value(Tabs::open(&name, lock, on_message).map(Rc::new));
            super::sync::start(self);
            // Replies written offline in an earlier visit go out now if the connection is up.
            super::outbox::flush(self);
        });
    }

    /// Fills the store with a fresh demo workspace for `device` and shows it.
    async fn seed(&self, storage: &Storage, device: Device) {
        let mut ws = Workspace::new(device);
        match demo::seed(&mut ws, demo::SEED, now()) {
            Ok(changes) => {
                let batch = Batch { changes, device: Some(ws.device.clone()), origin: Origin::App };
                if let Err(e) = storage.store.write(&batch).await {
                    self.tell(format!("The demo workspace could not be saved: {e}"), true);
                }
                self.ws.set(Some(ws));
            }
            Err(e) => self.tell(format!("The demo workspace could not be created: {e}"), true),
        }
    }

    /// Empties storage and seeds a fresh demo workspace, keeping this device's numbering.
    pub fn reset_demo(self) {
        let device = self.ws.with_untracked(|ws| ws.as_ref().map(|w| w.device.clone())).unwrap_or_else(tabs::new_device);
        leptos::task::spawn_local(async move {
            let Some(storage) = self.storage() else { return };
            if let Err(e) = storage.store.clear().await {
                self.tell(e.to_string(), true);
                return;
            }
            self.seed(&storage, device).await;
            self.tell_tabs(&TabMessage::Reload);
            self.stored_rev.try_update(|r| *r += 1);
            self.navigate(Route::Queue);
            self.tell("The demo workspace was reset.", false);
        });
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

