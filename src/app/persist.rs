//! Keeps the workspace on this device: opens the store, writes batches in order, and retries what failed
//! so that a full disk or a closed tab mid-write loses nothing that is still on screen.

use super::state::{AppState, SaveState};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use taskdesk_domain::Change;
use taskdesk_store::idb::{IdbFactory, IdbStore};
use taskdesk_store::memory::MemoryStore;
use taskdesk_store::{schema, Batch, Snapshot, Store, StoreError, StoreFactory};
use uuid::Uuid;

/// Where the workspace lives: IndexedDB, or memory when the browser allows no storage.
pub enum Backend {
    /// The browser's IndexedDB.
    Idb(IdbStore),
    /// Memory only (lost on reload); used when IndexedDB is unavailable.
    Memory(MemoryStore),
}

impl Backend {
    async fn write(&self, batch: &Batch) -> Result<(), StoreError> {
        match self {
            Backend::Idb(s) => s.write(batch).await,
            Backend::Memory(s) => s.write(batch).await,
        }
    }

    /// Reads everything for a cold start.
    pub async fn load(&self) -> Result<Snapshot, StoreError> {
        match self {
            Backend::Idb(s) => s.load().await,
            Backend::Memory(s) => s.load().await,
        }
    }

    /// Every change to one record, oldest first.
    pub async fn history(&self, entity: Uuid) -> Result<Vec<Change>, StoreError> {
        match self {
            Backend::Idb(s) => s.history(entity).await,
            Backend::Memory(s) => s.history(entity).await,
        }
    }

    /// Empties the store.
    pub async fn clear(&self) -> Result<(), StoreError> {
        match self {
            Backend::Idb(s) => s.clear().await,
            Backend::Memory(s) => s.clear().await,
        }
    }
}

thread_local! {
    static BACKEND: RefCell<Option<Rc<Backend>>> = const { RefCell::new(None) };
    static PENDING: RefCell<VecDeque<Batch>> = const { RefCell::new(VecDeque::new()) };
    static PUMPING: Cell<bool> = const { Cell::new(false) };
}

/// Opens the named database; falls back to memory with a warning when the browser refuses storage.
pub async fn open(name: &str) -> (Rc<Backend>, Option<String>) {
    let (backend, warning) = match IdbFactory.open(name, schema::LATEST).await {
        Ok(store) => (Backend::Idb(store), None),
        Err(e @ StoreError::TooNew { .. }) | Err(e @ StoreError::Blocked) => (Backend::Memory(MemoryStore::new()), Some(e.to_string())),
        Err(e) => (Backend::Memory(MemoryStore::new()), Some(format!("{e} Working in memory only: changes will be lost on reload."))),
    };
    let backend = Rc::new(backend);
    BACKEND.with(|b| *b.borrow_mut() = Some(backend.clone()));
    (backend, warning)
}

/// The open backend, once [`open`] has run.
pub fn backend() -> Option<Rc<Backend>> {
    BACKEND.with(|b| b.borrow().clone())
}

/// How many batches wait to be written.
pub fn pending() -> usize {
    PENDING.with(|p| p.borrow().len())
}

/// Queues a batch; batches are written strictly in the order queued.
pub fn enqueue(state: AppState, batch: Batch) {
    if batch.is_empty() {
        return;
    }
    PENDING.with(|p| p.borrow_mut().push_back(batch));
    state.save.set(SaveState::Saving(pending()));
    if !PUMPING.with(|p| p.replace(true)) {
        leptos::task::spawn_local(pump(state));
    }
}

fn merge(batches: &[Batch]) -> Batch {
    let mut all = Batch::default();
    for b in batches {
        all.absorb(b);
    }
    all
}

async fn pump(state: AppState) {
    let mut delay_ms = 2_000;
    loop {
        let batches: Vec<Batch> = PENDING.with(|p| p.borrow().iter().cloned().collect());
        if batches.is_empty() {
            break;
        }
        let Some(backend) = backend() else { break };
        match backend.write(&merge(&batches)).await {
            Ok(()) => {
                PENDING.with(|p| p.borrow_mut().drain(..batches.len()).for_each(drop));
                delay_ms = 2_000;
                let left = pending();
                state.save.try_set(if left == 0 { SaveState::Saved } else { SaveState::Saving(left) });
                state.stored_rev.try_update(|r| *r += 1);
            }
            Err(e) => {
                state.save.try_set(SaveState::Failed(e.to_string()));
                gloo::timers::future::TimeoutFuture::new(delay_ms).await;
                delay_ms = (delay_ms * 2).min(30_000);
            }
        }
    }
    PUMPING.with(|p| p.set(false));
}
