//! The reactive state of the app and the services the screens call.

use super::lifetime::Lifetime;
use super::persist::Storage;
use super::route::Route;
use super::sync::SyncState;
use super::tabs::{self, TabMessage, Tabs};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::rc::Rc;
use taskdesk_domain::embed::{self, Person, Theme};
use taskdesk_domain::queue::QueueQuery;
use taskdesk_domain::validate::Problems;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{demo, Change, DomainError, User, UserId, Workspace};
use taskdesk_store::{Batch, Origin, Store};
use wasm_bindgen::prelude::*;

/// How long after starting the search index is built, so the first screen comes first.
const SEARCH_WARM_UP_MS: u32 = 300;
/// Tasks indexed per slice of the warm-up: about 20 ms of work in the browser.
const SEARCH_SLICE: usize = 2_000;

/// Name of the IndexedDB database holding the workspace when nobody names another.
pub const DATABASE: &str = "taskdesk";

/// The backend a host page chose at mount, applied once the workspace is loaded.
type ChosenBackend = (Option<embed::Backend>, Option<super::host::PageFunctions>);

/// How this Taskdesk was mounted.
pub struct Mount {
    /// The IndexedDB database holding its workspace (locks, channels and saved choices are
    /// named after it, so widgets with different databases never meet).
    pub database: String,
    /// The standalone app owns its page and the address bar; a widget touches neither.
    pub standalone: bool,
    /// The options the host page gave (none for the standalone app).
    pub options: embed::Options,
    /// The host backend's functions, when the options chose one.
    pub host: Option<super::host::PageFunctions>,
    /// Where events go (`emit(name, detailJson)`): the page's script.
    pub events: Option<js_sys::Function>,
    /// The address the app's files are served from (where embed.js is), ending in `/`.
    pub base: String,
}

impl Mount {
    /// The standalone app on its own page.
    pub fn standalone() -> Mount {
        Mount { database: DATABASE.into(), standalone: true, options: embed::Options::default(), host: None, events: None, base: "/".into() }
    }
}

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
    /// The tasks the queue lists, worked out when read after a change: kept while other screens
    /// show, so coming back to an unchanged queue costs nothing.
    pub queue_rows: Memo<Vec<taskdesk_domain::TaskId>>,
    /// Sync with a server.
    pub sync: SyncState,
    /// Another tab opened a newer version of the stored data; this one must reload.
    pub newer_version: RwSignal<bool>,
    /// Light, dark or the system's colours.
    pub theme: RwSignal<Theme>,
    /// Who the host page says is at the screen (then nobody picks it here).
    pub vouched: RwSignal<Option<Person>>,
    /// Whether the simulated contact center may run here.
    pub simulator: RwSignal<bool>,
    storage: StoredValue<Option<Rc<Storage>>, LocalStorage>,
    tabs: StoredValue<Option<Rc<Tabs>>, LocalStorage>,
    database: StoredValue<String>,
    standalone: StoredValue<bool>,
    life: StoredValue<Lifetime, LocalStorage>,
    events: StoredValue<Option<js_sys::Function>, LocalStorage>,
    pending: StoredValue<Option<ChosenBackend>, LocalStorage>,
    root: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
    base: StoredValue<String>,
}

/// [`AppState::zone`], from the signals it reads.
fn person_zone(ws: RwSignal<Option<Workspace>>, me: RwSignal<UserId>) -> Rc<super::zone::BrowserZone> {
    let me = me.get();
    let choice = ws.with(|ws| ws.as_ref().and_then(|w| w.zone_of(me).map(str::to_string)));
    super::zone::BrowserZone::of_person(choice.as_deref())
}

/// The tasks the queue lists for `query` and the person at the screen (see [`AppState::queue_rows`]).
fn queue_rows(ws: RwSignal<Option<Workspace>>, me: RwSignal<UserId>, query: RwSignal<QueueQuery>) -> Memo<Vec<taskdesk_domain::TaskId>> {
    Memo::new(move |_| {
        let query = query.get();
        // The person's zone only decides creation dates: making it (the first time, about
        // 14 ms in the browser) waits until a date filter needs it, not the first screen.
        let zone: Rc<dyn taskdesk_domain::zone::Zone> = if query.reads_days() { person_zone(ws, me) } else { Rc::new(taskdesk_domain::zone::utc()) };
        let me = me.get();
        ws.with(|ws| ws.as_ref().map(|ws| ws.queue(&query, me, &*zone)).unwrap_or_default())
    })
}

/// The app state provided by the root component.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

/// This origin's saved choices (which person, the simulator's speed), shared by its tabs.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn location_route() -> Route {
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return Route::Queue };
    Route::parse(&loc.pathname().unwrap_or_default(), &loc.search().unwrap_or_default())
}

impl AppState {
    /// Fresh state for a mount; call [`AppState::start`] to load the workspace.
    pub fn new(mount: Mount) -> Self {
        let users = demo::users();
        let user_key = format!("{}.user", mount.database);
        let saved = local_storage().and_then(|s| s.get_item(&user_key).ok().flatten()).and_then(|t| UserId::parse(&t));
        let vouched = mount.options.user.clone();
        let me = vouched.as_ref().map(Person::id).or(saved.filter(|id| users.iter().any(|u| u.id == *id))).unwrap_or(users[0].id);
        let (ws, me, queue_query) = (RwSignal::new(None), RwSignal::new(me), RwSignal::new(QueueQuery::default()));
        AppState {
            ws,
            me,
            route: RwSignal::new(if mount.standalone { location_route() } else { Route::Queue }),
            notice: RwSignal::new(None),
            save: RwSignal::new(SaveState::Saved),
            stored_rev: RwSignal::new(0),
            queue_query,
            queue_rows: queue_rows(ws, me, queue_query),
            sync: SyncState::new(),
            newer_version: RwSignal::new(false),
            theme: RwSignal::new(mount.options.theme.or_else(|| local_storage()?.get_item(&format!("{}.theme", mount.database)).ok()?.as_deref().and_then(Theme::from_key)).unwrap_or_default()),
            vouched: RwSignal::new(vouched),
            simulator: RwSignal::new(mount.options.simulator.unwrap_or(true)),
            storage: StoredValue::new_local(None),
            tabs: StoredValue::new_local(None),
            database: StoredValue::new(mount.database),
            standalone: StoredValue::new(mount.standalone),
            life: StoredValue::new_local(Lifetime::default()),
            events: StoredValue::new_local(mount.events),
            pending: StoredValue::new_local(Some((mount.options.backend, mount.host))),
            root: StoredValue::new_local(None),
            base: StoredValue::new(mount.base),
        }
    }

    /// The name of the IndexedDB database this workspace lives in.
    pub fn database(&self) -> String {
        self.database.get_value()
    }

    /// Chooses the colours and remembers the choice on this device.
    pub fn set_theme(&self, theme: Theme) {
        self.theme.set(theme);
        if let Some(s) = local_storage() {
            let _ = s.set_item(&self.saved_key("theme"), theme.key());
        }
    }

    /// A key for this workspace's saved choices in the origin's local storage.
    pub fn saved_key(&self, what: &str) -> String {
        format!("{}.{what}", self.database())
    }

    /// Whether this is the standalone app (which owns its page) rather than a widget.
    pub fn standalone(&self) -> bool {
        self.standalone.try_get_value().unwrap_or(false)
    }

    /// What this mounted app holds on the page, let go when it unmounts.
    pub fn life(&self) -> Lifetime {
        self.life.try_get_value().unwrap_or_else(|| {
            // Already disposed: a lifetime that has ended, so late callers stop at once.
            let ended = Lifetime::default();
            ended.end();
            ended
        })
    }

    /// The address of one of the app's own files (the email frame), wherever the page is.
    pub fn asset(&self, file: &str) -> String {
        format!("{}{file}", self.base.try_get_value().unwrap_or_else(|| "/".into()))
    }

    /// The app's root element (the scroller of a widget).
    pub fn set_root(&self, el: web_sys::HtmlElement) {
        self.root.set_value(Some(el));
    }

    /// The app's root element, once rendered.
    pub fn root(&self) -> Option<web_sys::HtmlElement> {
        self.root.try_get_value().flatten()
    }

    /// Tells the page's script: `name` with `detail` (W1 events).
    pub fn emit(&self, name: &str, detail: serde_json::Value) {
        if let Some(Some(f)) = self.events.try_get_value() {
            let _ = f.call2(&JsValue::NULL, &JsValue::from_str(name), &JsValue::from_str(&detail.to_string()));
        }
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
        super::alerts::assigned_elsewhere(*self, changes);
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
        match storage.store.load().await {
            Ok(snap) => {
                // The device as it is now, not as it was before loading: changes made meanwhile
                // moved its clock and task numbers on, and going back would hand them out again.
                let device = self.ws.with_untracked(|ws| ws.as_ref().map(|w| w.device.clone())).unwrap_or_else(tabs::new_device);
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

    /// The time zone the person at the screen reads and types times in: their choice, else the
    /// device's. Reactive: it follows the person and their choice.
    pub fn zone(&self) -> std::rc::Rc<super::zone::BrowserZone> {
        person_zone(self.ws, self.me)
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
            let _ = s.set_item(&self.saved_key("user"), &id.to_string());
        }
        self.me.set(id);
    }

    /// Shows a screen. The standalone app records it in the address bar; a widget never touches
    /// the host page's address or history.
    pub fn navigate(&self, route: Route) {
        if self.route.get_untracked() == route {
            return;
        }
        if self.standalone() {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&route.path()));
            }
        }
        self.route.set(route);
        if self.standalone() {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        } else if let Some(Some(root)) = self.root.try_get_value() {
            root.set_scroll_top(0);
        }
    }

    /// Shows a message.
    pub fn tell(&self, text: impl Into<String>, error: bool) {
        self.notice.try_set(Some(Notice { text: text.into(), error }));
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

    /// Whether the person at the screen may pick who they are: not while a server or the host
    /// page says who it is.
    pub fn may_switch_user(&self) -> bool {
        !self.sync.connected() && self.vouched.with(Option::is_none)
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
            super::events::made_here(*self, &changes);
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
                super::keys::focus_first_error(*self);
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

    /// Loads the workspace from storage, seeding the demo on first start; the standalone app
    /// also follows the back button.
    pub fn start(self) {
        let life = self.life();
        if self.standalone() {
            life.listen_window("popstate", move |_| {
                self.route.try_set(location_route());
            });
        }
        super::outbox::watch(self);
        mark_start("started");
        leptos::task::spawn_local(async move {
            let name = self.database();
            let (storage, warning) = Storage::open(&name).await;
            mark_start("opened");
            if life.ended() {
                storage.close();
                return;
            }
            if let Some(w) = warning {
                self.tell(w, true);
            }
            if let Some(idb) = storage.store.idb() {
                tabs::step_aside_for_newer_versions(self, idb.raw());
            }
            self.storage.set_value(Some(storage.clone()));
            storage.keep_packed();
            life.on_end(move || storage.close());
            // One tab at a time reads or seeds the workspace, so two tabs opened together never
            // both seed a demo or take the same device record.
            let starting = super::locks::acquire(&format!("taskdesk:{name}:start"), false).await;
            let Some(storage) = self.storage() else { return };
            let snapshot = storage.store.load().await;
            mark_start("loaded");
            let (device, lock) = match &snapshot {
                Ok(snap) => tabs::claim_device(&name, &snap.devices).await,
                Err(_) => (tabs::new_device(), None),
            };
            let first_start = snapshot.as_ref().is_ok_and(|s| s.devices.is_empty() && s.tasks.is_empty() && s.config.is_none());
            match snapshot {
                Ok(snap) => {
                    if !snap.damaged.is_empty() {
                        self.tell(format!("{} stored records could not be read and were left untouched. First: {}", snap.damaged.len(), snap.damaged[0]), true);
                    }
                    if first_start {
                        self.seed(&storage, device).await;
                    } else {
                        let ws = Workspace::from_records(device, snap.config.unwrap_or_default(), snap.tasks, snap.customers, snap.messages);
                        mark_start("linked");
                        self.ws.try_set(Some(ws));
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
            if life.ended() {
                if let Some(lock) = lock {
                    lock.release();
                }
                return;
            }
            let on_message = move |m: TabMessage| self.hear(m);
            self.tabs.set_value(Tabs::open(&name, lock, on_message).map(Rc::new));
            life.on_end(move || {
                self.tabs.try_set_value(None);
            });
            self.admit_vouched();
            super::sync::start(self);
            if let Some(Some((backend, host))) = self.pending.try_update_value(Option::take) {
                if let Err(e) = super::sync::choose(self, backend, host).await {
                    self.tell(e, true);
                }
            }
            // Replies written offline in an earlier visit go out now if the connection is up.
            super::outbox::flush(self);
            self.emit("ready", serde_json::json!({ "database": name }));
            // The word index is built a slice at a time once the first screen is up, each slice
            // short enough not to stall a frame (with 100,000 tasks the whole build takes about a
            // second); a search before it is done finishes it.
            let mut pause = SEARCH_WARM_UP_MS;
            while life.sleep(pause).await {
                let done = self.ws.try_update_untracked(|ws| ws.as_mut().is_none_or(|ws| ws.build_search(SEARCH_SLICE))).unwrap_or(true);
                if done {
                    break;
                }
                pause = 0;
            }
        });
    }

    /// The person the host page vouches for joins the workspace's users, or is brought up to date.
    pub fn admit_vouched(&self) {
        let Some(Person::Vouched(person)) = self.vouched.get_untracked() else { return };
        if let Err(e) = self.run_background(|ws| Ok(ws.admit(&person, now())?.into_iter().collect())) {
            self.tell(format!("{} could not be added to the workspace: {e}", person.name), true);
        }
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
                self.ws.try_set(Some(ws));
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

/// Marks a step of the start on the page's performance timeline (User Timing), where the
/// cold-start bench and a browser's profiler read where the time went.
fn mark_start(step: &str) {
    if let Some(timeline) = web_sys::window().and_then(|w| w.performance()) {
        // A mark that could not be made changes nothing the person sees.
        let _ = timeline.mark(&format!("taskdesk:{step}"));
    }
}
