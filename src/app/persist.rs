//! Keeps the workspace on this device: the store (IndexedDB, or memory when the browser allows
//! none) and the ordered write queue that retries what failed, so that a full disk or a closed
//! tab mid-write loses nothing that is still on screen.

use super::state::{AppState, SaveState};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use taskdesk_domain::{Change, CustomerId, Hlc, Task, TaskId, TaskStatus, UserId};
use taskdesk_store::idb::{IdbFactory, IdbStore};
use taskdesk_store::memory::MemoryStore;
use taskdesk_store::packs::PACK_AT;
use taskdesk_store::{schema, Batch, Joining, Refusal, Snapshot, Store, StoreError, StoreFactory, SyncRecord, SyncTarget, Written};
use uuid::Uuid;

/// How often the store's packed copy is checked.
const PACK_CHECK_MS: u32 = 30_000;

/// Where the workspace lives on this device, and how many tasks its packed copy lacks.
pub struct LocalStore {
    kind: Kind,
    /// Tasks written since the packed copy was made, as the latest load or write said.
    unpacked: Cell<usize>,
}

enum Kind {
    /// The browser's IndexedDB.
    Idb(IdbStore),
    /// Memory only (lost on reload); used when IndexedDB is unavailable.
    Memory(MemoryStore),
}

impl LocalStore {
    /// The IndexedDB database, unless working in memory.
    pub fn idb(&self) -> Option<&IdbStore> {
        match &self.kind {
            Kind::Idb(idb) => Some(idb),
            Kind::Memory(_) => None,
        }
    }

    /// Whether the packed copy lacks enough tasks that packing again would speed up the next start.
    fn pack_due(&self) -> bool {
        self.unpacked.get() >= PACK_AT
    }
}

/// Calls the same method on whichever store this is.
macro_rules! each {
    ($self:ident, $s:ident => $call:expr) => {
        match &$self.kind {
            Kind::Idb($s) => $call,
            Kind::Memory($s) => $call,
        }
    };
}

impl Store for LocalStore {
    async fn write(&self, batch: &Batch) -> Result<Written, StoreError> {
        let written = each!(self, s => s.write(batch).await)?;
        if written.unpacked > 0 {
            self.unpacked.set(written.unpacked);
        }
        Ok(written)
    }
    async fn load(&self) -> Result<Snapshot, StoreError> {
        let snap = each!(self, s => s.load().await)?;
        self.unpacked.set(snap.read_singly);
        Ok(snap)
    }
    async fn pack(&self) -> Result<Option<usize>, StoreError> {
        let packed = each!(self, s => s.pack().await)?;
        if packed.is_some() {
            self.unpacked.set(0);
        }
        Ok(packed)
    }
    async fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        each!(self, s => s.task(id).await)
    }
    async fn tasks_by_status(&self, status: TaskStatus) -> Result<Vec<Task>, StoreError> {
        each!(self, s => s.tasks_by_status(status).await)
    }
    async fn tasks_by_assignee(&self, user: UserId) -> Result<Vec<Task>, StoreError> {
        each!(self, s => s.tasks_by_assignee(user).await)
    }
    async fn tasks_by_customer(&self, customer: CustomerId) -> Result<Vec<Task>, StoreError> {
        each!(self, s => s.tasks_by_customer(customer).await)
    }
    async fn task_by_number(&self, number: &str) -> Result<Option<Task>, StoreError> {
        each!(self, s => s.task_by_number(number).await)
    }
    async fn tasks_modified_after(&self, stamp: &Hlc) -> Result<Vec<Task>, StoreError> {
        each!(self, s => s.tasks_modified_after(stamp).await)
    }
    async fn history(&self, entity: Uuid) -> Result<Vec<Change>, StoreError> {
        each!(self, s => s.history(entity).await)
    }
    async fn clear(&self) -> Result<(), StoreError> {
        each!(self, s => s.clear().await)
    }
    async fn outbox(&self, after: Option<&Hlc>, limit: usize) -> Result<Vec<Change>, StoreError> {
        each!(self, s => s.outbox(after, limit).await)
    }
    async fn outbox_counts(&self) -> Result<(usize, usize), StoreError> {
        each!(self, s => s.outbox_counts().await)
    }
    async fn settle(&self, accepted: &[Hlc], refused: &[Refusal]) -> Result<(), StoreError> {
        each!(self, s => s.settle(accepted, refused).await)
    }
    async fn refused(&self) -> Result<Vec<Refusal>, StoreError> {
        each!(self, s => s.refused().await)
    }
    async fn retry_refused(&self) -> Result<(), StoreError> {
        each!(self, s => s.retry_refused().await)
    }
    async fn sync_record(&self) -> Result<SyncRecord, StoreError> {
        each!(self, s => s.sync_record().await)
    }
    async fn connect(&self, target: Option<SyncTarget>, joining: Joining) -> Result<(), StoreError> {
        each!(self, s => s.connect(target, joining).await)
    }
}

/// The store of one mounted workspace and its write queue.
pub struct Storage {
    /// The store.
    pub store: LocalStore,
    /// The IndexedDB database's name.
    pub name: String,
    queue: RefCell<VecDeque<Batch>>,
    pumping: Cell<bool>,
    closing: Cell<bool>,
    /// Bumped when the queue is dropped, so a write under way does not take later batches with it.
    generation: Cell<u64>,
    replacing: Cell<bool>,
}

impl Storage {
    /// Opens the named database; falls back to memory with a warning when the browser refuses storage.
    pub async fn open(name: &str) -> (Rc<Storage>, Option<String>) {
        let (kind, warning) = match IdbFactory.open(name, schema::LATEST).await {
            Ok(store) => (Kind::Idb(store), None),
            Err(e @ StoreError::TooNew { .. }) | Err(e @ StoreError::Blocked) => (Kind::Memory(MemoryStore::new()), Some(e.to_string())),
            Err(e) => (Kind::Memory(MemoryStore::new()), Some(format!("{e} Working in memory only: changes will be lost on reload."))),
        };
        let store = LocalStore { kind, unpacked: Cell::new(0) };
        (
            Rc::new(Storage {
                store,
                name: name.to_string(),
                queue: RefCell::new(VecDeque::new()),
                pumping: Cell::new(false),
                closing: Cell::new(false),
                generation: Cell::new(0),
                replacing: Cell::new(false),
            }),
            warning,
        )
    }

    /// Closes the database connection (the widget unmounts), once every queued write has landed.
    pub fn close(&self) {
        self.closing.set(true);
        if !self.pumping.get() {
            if let Some(idb) = self.store.idb() {
                idb.raw().close();
            }
        }
    }

    /// Packs the store's copy of every task again whenever enough tasks changed since it was made
    /// (checked every half minute, so never during a start), until the workspace unmounts: a cold
    /// start then reads a few large values instead of every task.
    pub fn keep_packed(self: &Rc<Self>) {
        let storage = Rc::downgrade(self);
        leptos::task::spawn_local(async move {
            loop {
                gloo::timers::future::TimeoutFuture::new(PACK_CHECK_MS).await;
                let Some(storage) = storage.upgrade().filter(|s| !s.closing.get()) else { return };
                // Memory-only work is lost on reload anyway: a copy would only take memory.
                if storage.store.idb().is_some() && storage.store.pack_due() {
                    // A failed packing changes nothing stored; the next check tries again.
                    let _ = storage.store.pack().await;
                }
            }
        });
    }

    /// How many batches wait to be written.
    pub fn pending(&self) -> usize {
        self.queue.borrow().len()
    }

    /// Waits (up to a few seconds, as a failing disk may never drain it) until every queued batch is written.
    pub async fn flushed(&self) {
        for _ in 0..250 {
            if self.pending() == 0 {
                return;
            }
            gloo::timers::future::TimeoutFuture::new(20).await;
        }
    }

    /// While the server's workspace replaces this one, what the old workspace still writes (the
    /// simulated center, timers) belongs to records that are going: it is dropped, queued or new,
    /// instead of landing as numberless fragments of tasks the new workspace does not have.
    pub fn replacing(&self, on: bool) {
        self.replacing.set(on);
        if on {
            self.queue.borrow_mut().clear();
            self.generation.set(self.generation.get() + 1);
        }
    }

    /// Queues a batch; batches are written strictly in the order queued.
    pub fn enqueue(self: &Rc<Self>, state: AppState, batch: Batch) {
        if batch.is_empty() || self.replacing.get() {
            return;
        }
        self.queue.borrow_mut().push_back(batch);
        state.save.set(SaveState::Saving(self.pending()));
        if !self.pumping.replace(true) {
            leptos::task::spawn_local(self.clone().pump(state));
        }
    }

    async fn pump(self: Rc<Self>, state: AppState) {
        let mut delay_ms = 2_000;
        loop {
            let batches: Vec<Batch> = self.queue.borrow().iter().cloned().collect();
            if batches.is_empty() {
                // Also after the queue was dropped while a write was retrying.
                state.save.try_set(SaveState::Saved);
                break;
            }
            let mut all = Batch::default();
            for b in &batches {
                all.absorb(b);
            }
            let generation = self.generation.get();
            match self.store.write(&all).await {
                Ok(written) => {
                    if generation == self.generation.get() {
                        self.queue.borrow_mut().drain(..batches.len()).for_each(drop);
                    }
                    delay_ms = 2_000;
                    let left = self.pending();
                    state.save.try_set(if left == 0 { SaveState::Saved } else { SaveState::Saving(left) });
                    state.stored(&written.new, true);
                }
                Err(e) => {
                    state.save.try_set(SaveState::Failed(e.to_string()));
                    gloo::timers::future::TimeoutFuture::new(delay_ms).await;
                    delay_ms = (delay_ms * 2).min(30_000);
                }
            }
        }
        self.pumping.set(false);
        if self.closing.get() {
            self.close();
        }
    }
}
