//! Sync in the browser (O2): connecting to a server (CouchDB, or the host page's functions),
//! signing in, and the one tab per workspace that syncs (a Web Lock; the next tab takes over
//! when it closes). The syncing tab runs rounds of the engine (push the outbox, pull what is
//! new) when something waits, when the connection comes back and every few seconds, backs off
//! with jitter after failures, and shares its state with the other tabs.

use super::bell::Bell;
use super::host::PageFunctions;
use super::locks;
use super::state::AppState;
use super::tabs::TabMessage;
use leptos::prelude::*;
use std::rc::Rc;
use taskdesk_domain::embed;
use taskdesk_domain::interaction::Interaction;
use taskdesk_domain::{Change, Role, UserId};
use taskdesk_store::{Joining, Store, SyncTarget};
use taskdesk_sync::backoff::Backoff;
use taskdesk_sync::couch::{permissions_json, CouchAdapter, Session};
use taskdesk_sync::engine::{self, Observer, Progress};
use taskdesk_sync::fetch::Fetch;
use taskdesk_sync::host::HostAdapter;
use taskdesk_sync::lease::{Keeper, Lease, Step};
use taskdesk_sync::status::{Phase, SyncStatus};
use taskdesk_sync::{Ack, Adapter, Pulled, SyncError};

/// How often the syncing tab asks the server for news when nothing else wakes it, in ms.
const POLL_MS: u32 = 2_000;

/// The server a workspace syncs with.
pub enum Backend {
    /// Apache CouchDB or a compatible server.
    Couch(CouchAdapter<Fetch>),
    /// The host page's functions.
    Host(HostAdapter<PageFunctions>),
}

impl Adapter for Backend {
    async fn push(&self, changes: &[Change]) -> Result<Vec<Ack>, SyncError> {
        match self {
            Backend::Couch(a) => a.push(changes).await,
            Backend::Host(a) => a.push(changes).await,
        }
    }

    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Pulled, SyncError> {
        match self {
            Backend::Couch(a) => a.pull(cursor, limit).await,
            Backend::Host(a) => a.pull(cursor, limit).await,
        }
    }
}

/// What the screens see of sync, and the handles the syncing tab uses.
#[derive(Clone, Copy)]
pub struct SyncState {
    /// The state the header shows.
    pub status: RwSignal<SyncStatus>,
    /// The server, when connected.
    pub target: RwSignal<Option<SyncTarget>>,
    /// Who the server says is signed in.
    pub session: RwSignal<Option<Session>>,
    /// Whether this tab is the one that syncs.
    pub leader: RwSignal<bool>,
    /// Refusals and problems changed; the sync panel reads them again.
    pub rev: RwSignal<u64>,
    /// Whether the browser has a connection.
    pub online: RwSignal<bool>,
    /// The server and database the host page chose, for the sign-in form to start from.
    pub suggested: RwSignal<Option<(String, String)>>,
    bell: StoredValue<Bell, LocalStorage>,
    backend: StoredValue<Option<Rc<Backend>>, LocalStorage>,
}

impl SyncState {
    /// Sync that has not started.
    pub fn new() -> Self {
        SyncState {
            status: RwSignal::new(SyncStatus::default()),
            target: RwSignal::new(None),
            session: RwSignal::new(None),
            leader: RwSignal::new(false),
            rev: RwSignal::new(0),
            online: RwSignal::new(online()),
            suggested: RwSignal::new(None),
            bell: StoredValue::new_local(Bell::default()),
            backend: StoredValue::new_local(None),
        }
    }

    /// Wakes the syncing tab's loop (in this tab).
    pub fn wake(&self) {
        self.bell.try_with_value(Bell::ring);
    }

    /// Whether a server is set up.
    pub fn connected(&self) -> bool {
        self.target.with(Option::is_some)
    }

    /// The state as the header says it: offline shows at once, before the syncing tab notices.
    pub fn shown(&self) -> SyncStatus {
        let status = self.status.get();
        let stale = matches!(status.phase, Phase::LocalOnly | Phase::Synced { .. } | Phase::Syncing { .. } | Phase::Starting | Phase::Retrying { .. });
        if !self.online.get() && stale {
            SyncStatus { phase: Phase::Offline, ..status }
        } else {
            status
        }
    }

    fn backend(&self) -> Option<Rc<Backend>> {
        self.backend.get_value()
    }
}

impl Default for SyncState {
    fn default() -> Self {
        SyncState::new()
    }
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// The sign-in's Taskdesk person. (They may not be in this device's workspace yet: it arrives
/// with the first pull.)
fn person_of(session: &Session) -> Result<UserId, String> {
    session
        .user()
        .ok_or_else(|| format!("The sign-in “{}” is not linked to a Taskdesk person (its server roles need taskdesk:user:<id>). An admin can set it up with scripts/couch-setup.mjs.", session.name))
}

/// Starts sync for a loaded workspace: reads the stored server, checks the session, follows the
/// connection, and asks to be the tab that syncs.
pub fn start(state: AppState) {
    let sync = state.sync;
    let life = state.life();
    for event in ["online", "offline"] {
        life.listen_window(event, move |_| {
            sync.online.try_set(online());
            sync.wake();
        });
    }
    // The loop sleeps on the bell: ringing it at the end lets it see the app is gone.
    let bell = sync.bell.get_value();
    life.on_end(move || bell.ring());
    leptos::task::spawn_local(async move {
        reconnect(state).await;
        let lock = format!("taskdesk:{}:sync", state.database());
        let waiting = locks::acquire(&lock, false);
        futures::pin_mut!(waiting);
        let ended = life.end_reached();
        futures::pin_mut!(ended);
        // Waiting in line for the lock ends with the app too.
        if let futures::future::Either::Left((Some(held), _)) = futures::future::select(waiting, ended).await {
            life.hold(held);
            sync.leader.try_set(true);
            lead(state).await;
        }
    });
}

/// Reads the stored server and, for CouchDB, who the server's session says is signed in.
pub async fn reconnect(state: AppState) {
    let Some(storage) = state.storage() else { return };
    let target = storage.store.sync_record().await.ok().and_then(|r| r.target);
    state.sync.target.try_set(target.clone());
    match target {
        Some(t) if t.adapter == "couchdb" => {
            let adapter = CouchAdapter::new(Fetch, &t.address, &t.database);
            if let Ok(Some(session)) = adapter.session().await {
                if let Ok(me) = person_of(&session) {
                    state.switch_user(me);
                }
                state.sync.session.try_set(Some(session));
            }
            state.sync.backend.set_value(Some(Rc::new(Backend::Couch(adapter))));
        }
        Some(_) => {}
        None => {
            state.sync.backend.set_value(None);
            state.sync.session.try_set(None);
        }
    }
    state.sync.wake();
}

/// Shares the state with this tab's screens and the other tabs.
fn publish(state: AppState, phase: Phase, counts: (usize, usize)) {
    let status = SyncStatus { phase, waiting: counts.0, refused: counts.1 };
    if state.sync.status.get_untracked() != status {
        state.sync.status.try_set(status.clone());
        state.tell_tabs(&TabMessage::Sync(status));
    }
}

struct Screens {
    state: AppState,
    counts: (usize, usize),
}

impl Observer for Screens {
    fn progress(&mut self, p: Progress) {
        let (done, total) = if p.to_push > 0 { (p.pushed, Some(p.to_push)) } else { (p.pulled, p.to_pull.map(|r| p.pulled + r as usize)) };
        publish(self.state, Phase::Syncing { done, total }, self.counts);
    }

    fn applied(&mut self, changes: &[Change]) {
        self.state.apply_from_elsewhere(changes);
        self.state.tell_tabs(&TabMessage::Changes(changes.to_vec()));
    }

    fn interactions(&mut self, events: &[Interaction]) {
        // Every device takes them in; each derives the same task, so they count once.
        let result = self.state.run_background(|ws| {
            let mut changes = Vec::new();
            for e in events {
                changes.extend(ws.ingest(e, chrono::Utc::now())?.changes);
            }
            Ok(changes)
        });
        if let Err(e) = result {
            self.state.tell(format!("An interaction from an integration could not be taken in: {e}"), true);
        }
    }
}

/// Whether the server says the signed-in person is a Taskdesk admin.
fn signed_in_admin(state: AppState) -> bool {
    state.sync.session.with_untracked(|s| s.as_ref().and_then(Session::role)) == Some(Role::Admin)
}

/// An admin's syncing tab keeps the server's copy of the per-person permissions (which its rules
/// enforce) the same as the workspace's, whenever they differ; `published` is what it last wrote.
async fn publish_permissions(state: AppState, backend: &Backend, published: &mut Option<String>) {
    let Backend::Couch(adapter) = backend else { return };
    if !signed_in_admin(state) {
        return;
    }
    let users = state.users();
    let wanted = permissions_json(&users);
    if published.as_deref() == Some(wanted.as_str()) {
        return;
    }
    match adapter.publish_permissions(&users).await {
        Ok(_) => *published = Some(wanted),
        Err(e) => {
            *published = Some(wanted);
            state.tell(format!("The server's copy of the permissions could not be updated: {e}"), true);
        }
    }
}

/// The syncing tab's loop.
async fn lead(state: AppState) {
    let sync = state.sync;
    let mut backoff = Backoff::default();
    let mut reported_problems = 0;
    let mut published = None;
    loop {
        let Some(storage) = state.storage().filter(|_| !state.life().ended()) else { return };
        let counts = storage.store.outbox_counts().await.unwrap_or_default();
        // What waits shows at once, before the round that sends it.
        let shown = sync.status.get_untracked();
        if (shown.waiting, shown.refused) != counts {
            publish(state, shown.phase, counts);
        }
        let (phase, wait_ms) = match (sync.target.get_untracked(), sync.backend()) {
            (None, _) => (Phase::LocalOnly, 60_000),
            (Some(_), _) if !online() => (Phase::Offline, 30_000),
            (Some(t), None) if t.adapter == "host" => (Phase::Stopped("waiting for the host page to hand over its push and pull functions.".into()), 5_000),
            (Some(_), None) => (Phase::SignIn, 60_000),
            (Some(_), Some(backend)) => {
                if !matches!(sync.status.get_untracked().phase, Phase::Synced { .. }) {
                    publish(state, Phase::Syncing { done: 0, total: None }, counts);
                }
                let config = state.ws.with_untracked(|ws| ws.as_ref().map(|w| w.config.clone())).unwrap_or_default();
                let mut screens = Screens { state, counts };
                match engine::round(&*backend, &storage.store, &config, &mut screens).await {
                    Ok(report) => {
                        backoff.succeed();
                        if !report.refused.is_empty() {
                            state.tell(format!("The server refused {} of your changes; they are kept on this device. Settings, Sync, lists them with the reasons.", report.refused.len()), true);
                        }
                        if !report.problems.is_empty() && report.problems.len() != reported_problems {
                            state.tell(format!("Sync skipped something it could not use: {} (Settings, Sync, lists every problem.)", report.problems[0]), true);
                        }
                        reported_problems = report.problems.len();
                        if !report.refused.is_empty() || !report.problems.is_empty() {
                            sync.rev.try_update(|r| *r += 1);
                        }
                        publish_permissions(state, &backend, &mut published).await;
                        (Phase::Synced { at: now_ms() }, POLL_MS)
                    }
                    Err(SyncError::SignIn) => (Phase::SignIn, 60_000),
                    Err(e) if e.retryable() => {
                        let wait = backoff.fail(js_sys::Math::random());
                        (Phase::Retrying { reason: e.to_string(), at: now_ms() + wait, failures: backoff.failures() }, wait as u32)
                    }
                    Err(e) => (Phase::Stopped(e.to_string()), 60_000),
                }
            }
        };
        let counts = storage.store.outbox_counts().await.unwrap_or(counts);
        publish(state, phase, counts);
        let Some(bell) = sync.bell.try_get_value() else { return };
        bell.wait(wait_ms).await;
        if state.life().ended() {
            return;
        }
    }
}

/// Checks what a person typed into the sync form.
fn checked(address: &str, database: &str, user: &str, password: &str) -> Result<(), String> {
    let address = address.trim();
    if !(address.starts_with("http://") || address.starts_with("https://")) || address.len() < 10 {
        return Err("Type the server's address with http:// or https://, like http://127.0.0.1:5984.".into());
    }
    if database.trim().is_empty() {
        return Err("Type the name of the database on the server, like taskdesk.".into());
    }
    if user.trim().is_empty() || password.is_empty() {
        return Err("Type your user name and password on the server.".into());
    }
    Ok(())
}

fn sign_in_failure(e: SyncError, address: &str) -> String {
    match e {
        SyncError::Unreachable(_) => {
            format!("The server at {address} cannot be reached. Check the address and your connection; the server must also allow this page's address (see the README, Sync).")
        }
        other => other.to_string(),
    }
}

/// Takes the server's workspace or merges this device's work into it, as the stored record says.
async fn join(state: AppState, target: SyncTarget) -> Result<Joining, String> {
    let storage = state.storage().ok_or("The workspace is not loaded yet.")?;
    // A person's last edit may still be on its way to storage; it decides whether this is own work.
    storage.flushed().await;
    let record = storage.store.sync_record().await.map_err(|e| e.to_string())?;
    let joining = if record.own_work { Joining::MergeOwnWork } else { Joining::TakeServers };
    let taking = joining == Joining::TakeServers;
    storage.replacing(taking);
    let connected = storage.store.connect(Some(target), joining).await.map_err(|e| e.to_string());
    if taking && connected.is_ok() {
        state.reload_workspace().await;
    }
    storage.replacing(false);
    connected?;
    if taking {
        state.tell_tabs(&TabMessage::Reload);
    }
    Ok(joining)
}

/// Connects this workspace to a CouchDB server: signs in (the password is sent, never stored),
/// checks the database, then takes the server's workspace or merges this device's work into it.
pub async fn connect(state: AppState, address: String, database: String, user: String, password: String) -> Result<Joining, String> {
    checked(&address, &database, &user, &password)?;
    let adapter = CouchAdapter::new(Fetch, &address, &database);
    let session = adapter.sign_in(user.trim(), &password).await.map_err(|e| sign_in_failure(e, address.trim()))?;
    adapter.check_database().await.map_err(|e| e.to_string())?;
    adopt(state, adapter, session, address.trim().trim_end_matches('/'), database.trim()).await
}

/// Joins a CouchDB database with a session already signed in: takes the server's workspace or
/// merges this device's work into it, and starts syncing as the signed-in person.
async fn adopt(state: AppState, adapter: CouchAdapter<Fetch>, session: Session, address: &str, database: &str) -> Result<Joining, String> {
    let me = person_of(&session)?;
    let target = SyncTarget { adapter: "couchdb".into(), address: address.into(), database: database.into(), user: session.name.clone() };
    let joining = join(state, target.clone()).await?;
    state.switch_user(me);
    state.sync.session.set(Some(session));
    state.sync.backend.set_value(Some(Rc::new(Backend::Couch(adapter))));
    state.sync.target.set(Some(target));
    state.tell_tabs(&TabMessage::Connection);
    state.sync.wake();
    Ok(joining)
}

/// Makes the host page this workspace's server.
pub async fn connect_host(state: AppState, functions: PageFunctions) -> Result<(), String> {
    let stored = state.storage().ok_or("The workspace is not loaded yet.")?.store.sync_record().await.map_err(|e| e.to_string())?.target;
    let target = SyncTarget { adapter: "host".into(), ..SyncTarget::default() };
    if stored.as_ref() != Some(&target) {
        join(state, target.clone()).await?;
    }
    state.sync.backend.set_value(Some(Rc::new(Backend::Host(HostAdapter(functions)))));
    state.sync.target.set(Some(target));
    state.sync.wake();
    Ok(())
}

/// Follows the backend a host page chose (W1); `None` keeps what this workspace has. A CouchDB
/// server is joined at once when the browser is already signed in to it (a cookie session);
/// otherwise the sign-in form in Settings, Sync, starts with its address and database.
pub async fn choose(state: AppState, backend: Option<embed::Backend>, host: Option<PageFunctions>) -> Result<(), String> {
    match backend {
        None => Ok(()),
        Some(embed::Backend::Local) => {
            if state.sync.target.get_untracked().is_some() {
                disconnect(state).await?;
            }
            Ok(())
        }
        Some(embed::Backend::Host) => connect_host(state, host.ok_or("A host backend needs two functions, push(changes) and pull(cursor, limit).")?).await,
        Some(embed::Backend::Couch { url, database }) => {
            let current = state.sync.target.get_untracked();
            if current.as_ref().is_some_and(|t| t.adapter == "couchdb" && t.address == url && t.database == database) {
                return Ok(());
            }
            let adapter = CouchAdapter::new(Fetch, &url, &database);
            match adapter.session().await {
                Ok(Some(session)) => {
                    adapter.check_database().await.map_err(|e| e.to_string())?;
                    adopt(state, adapter, session, &url, &database).await?;
                }
                _ => {
                    state.sync.suggested.set(Some((url.clone(), database)));
                    state.tell(format!("Sign in to sync with {url}: Settings, Sync."), false);
                }
            }
            Ok(())
        }
    }
}

/// Signs in again after the session expired or the password changed; sync resumes.
pub async fn sign_in_again(state: AppState, password: String) -> Result<(), String> {
    let target = state.sync.target.get_untracked().ok_or("This workspace is not connected to a server.")?;
    checked(&target.address, &target.database, &target.user, &password)?;
    let adapter = CouchAdapter::new(Fetch, &target.address, &target.database);
    let session = adapter.sign_in(&target.user, &password).await.map_err(|e| sign_in_failure(e, &target.address))?;
    let me = person_of(&session)?;
    state.switch_user(me);
    state.sync.session.set(Some(session));
    state.sync.backend.set_value(Some(Rc::new(Backend::Couch(adapter))));
    state.tell_tabs(&TabMessage::Connection);
    state.sync.wake();
    Ok(())
}

/// With a CouchDB server, takes or renews the routing lease for this device (`keeper` remembers
/// what it saw); `Some(person)` when another device routes (the person signed in there), `None`
/// when this one may. Without a server (or a CouchDB one), every browser routes its own
/// workspace. When the server cannot be reached, a device that routed goes on (what it does
/// merges later) and one that did not keeps waiting.
pub async fn keep_lease(state: AppState, keeper: &mut Keeper) -> Option<String> {
    let backend = state.sync.backend()?;
    let Backend::Couch(adapter) = &*backend else { return None };
    let current = match adapter.read_lease().await {
        Ok(current) => current,
        Err(_) => return keeper.last_holder().map(str::to_string),
    };
    match keeper.decide(current.as_ref().map(|(rev, lease)| (rev.as_str(), lease)), now_ms()) {
        Step::Take | Step::Renew => {
            let mine = Lease { holder: keeper.me().to_string(), person: state.me_user().name, renewed: now_ms() };
            match adapter.write_lease(current.as_ref().map(|(rev, _)| rev.as_str()), &mine).await {
                Ok(true) => {
                    keeper.held();
                    None
                }
                _ => Some(current.map_or_else(|| "another device".to_string(), |(_, l)| l.person)),
            }
        }
        Step::Wait => current.map(|(_, l)| l.person),
    }
}

/// Creates a person's sign-in on the server (needs a server admin's rights).
pub async fn create_person(state: AppState, sign_in: &str, password: &str, role: Role, user: UserId) -> Result<(), String> {
    match state.sync.backend().as_deref() {
        Some(Backend::Couch(adapter)) => adapter.create_person(sign_in, password, role, user).await.map_err(|e| e.to_string()),
        _ => Err("This workspace is not connected to a CouchDB server.".into()),
    }
}

/// Stops syncing: the workspace stays on this device; changes not yet on the server stay in it
/// (they are pushed again on the next connect).
pub async fn disconnect(state: AppState) -> Result<(), String> {
    let storage = state.storage().ok_or("The workspace is not loaded yet.")?;
    storage.store.connect(None, Joining::MergeOwnWork).await.map_err(|e| e.to_string())?;
    if let Some(backend) = state.sync.backend() {
        if let Backend::Couch(adapter) = &*backend {
            let _ = adapter.sign_out().await;
        }
    }
    state.sync.backend.set_value(None);
    state.sync.session.set(None);
    state.sync.target.set(None);
    state.tell_tabs(&TabMessage::Connection);
    state.sync.wake();
    Ok(())
}
