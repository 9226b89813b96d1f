//! Persistence for Taskdesk: the [`Store`] trait, its IndexedDB and in-memory
//! implementations, the schema they share, and the conformance suite both must pass.
//!
//! A store is written only with change records: each write merges them field by field into the
//! stored records inside one transaction (see [`merge`]), so no writer, however stale its copy,
//! can overwrite a field someone else set later.

pub mod conformance;
pub mod encode;
pub mod groups;
#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod memory;
pub mod merge;
pub mod packs;
pub mod schema;

use serde::{Deserialize, Serialize};
use taskdesk_domain::config::Config;
use taskdesk_domain::conversation::Message;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{Change, Customer, CustomerId, Hlc, Task, TaskId, TaskStatus, UserId};
use uuid::Uuid;

/// Why storage failed, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The device is out of space (the browser's quota).
    #[error("This device is out of storage space, so nothing was saved. Free some space (or clear old browser data) and try again; your changes are still on screen.")]
    QuotaExceeded,
    /// A record broke a uniqueness rule; the whole write was undone.
    #[error("Nothing was saved: {0}")]
    Constraint(String),
    /// Another tab holds an older version of the database open.
    #[error("Another Taskdesk tab is using an older version of the data. Close the other tabs, then reload.")]
    Blocked,
    /// The browser refused storage (private mode, disabled, or unsupported).
    #[error("The browser's storage is not available ({0}). Taskdesk needs it to keep your work on this device.")]
    Unavailable(String),
    /// The store was opened with a schema version it cannot use.
    #[error("The stored data is from a newer Taskdesk (version {found}); this one understands up to {supported}. Reload to get the latest version.")]
    TooNew {
        /// Version found on disk.
        found: u32,
        /// Latest version this build knows.
        supported: u32,
    },
    /// Anything else the storage engine reported.
    #[error("Saving or loading failed: {0}")]
    Other(String),
}

/// What a cold start reads: every record, plus anything that could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// Every task.
    pub tasks: Vec<Task>,
    /// Every customer.
    pub customers: Vec<Customer>,
    /// The devices (one per tab that worked at the same time) of this browser, by code.
    pub devices: Vec<Device>,
    /// Workspace settings, if saved before.
    pub config: Option<Config>,
    /// Every conversation message.
    pub messages: Vec<Message>,
    /// Records that could not be decoded, described for the user. They stay on disk untouched.
    pub damaged: Vec<String>,
    /// How many tasks were read one by one rather than from the packed copy (all of them when
    /// there is no copy to read): past [`packs::PACK_AT`], packing again speeds up the next start.
    pub read_singly: usize,
}

/// Where the changes of a batch come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Origin {
    /// Made here by the person at the screen: queued for the server when one is connected, and
    /// the workspace counts as this device's own work from then on.
    Person,
    /// Made here by the app itself (the demo seed, the simulated center, routing): queued for
    /// the server when one is connected.
    #[default]
    App,
    /// Pulled from the server; saved with the cursor that follows them, so the cursor moves
    /// exactly when they are stored.
    Pulled {
        /// The server's position after these changes.
        cursor: String,
        /// What was skipped on the way (malformed or forbidden changes), in plain words.
        problems: Vec<String>,
    },
}

/// Change records written together in one transaction: all of them or none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    /// Changes to merge into the stored records; a change already stored (same stamp) is skipped.
    pub changes: Vec<Change>,
    /// Device state (numbering and clock) to save.
    pub device: Option<Device>,
    /// Where the changes come from.
    pub origin: Origin,
}

impl Batch {
    /// Adds a later local batch to this one, so both are written in one transaction: changes are
    /// appended, the later device state wins, and a person's work marks the whole batch a person's.
    pub fn absorb(&mut self, later: &Batch) {
        let Batch { changes, device, origin } = later;
        self.changes.extend(changes.iter().cloned());
        if device.is_some() {
            self.device = device.clone();
        }
        if *origin == Origin::Person {
            self.origin = Origin::Person;
        }
    }

    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.device.is_none() && !matches!(self.origin, Origin::Pulled { .. })
    }
}

/// What a write did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Written {
    /// The changes that were new to this store, oldest first (replays are left out).
    pub new: Vec<Change>,
    /// Changes that could not be applied to their record, described; they were not stored.
    pub skipped: Vec<String>,
    /// After a write that put tasks, how many tasks were written since the packed copy was made
    /// (see [`Snapshot::read_singly`]); 0 after other writes.
    pub unpacked: usize,
}

/// The server a workspace syncs with, kept on this device only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncTarget {
    /// Which adapter: `couchdb` or `host`.
    pub adapter: String,
    /// The server's address (empty for the host page).
    pub address: String,
    /// The database on the server.
    pub database: String,
    /// Who signed in.
    pub user: String,
}

/// The workspace's sync bookkeeping on this device.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncRecord {
    /// The server, when connected.
    pub target: Option<SyncTarget>,
    /// How far the server's changes have been pulled (opaque to us).
    pub cursor: Option<String>,
    /// Whether the person at the screen has changed anything here: an untouched demo workspace
    /// gives way to a server's workspace, this device's own work merges into it.
    pub own_work: bool,
    /// The latest problems met while pulling, newest first.
    pub problems: Vec<String>,
}

/// How many problems the sync record keeps.
pub const PROBLEMS_KEPT: usize = 20;

/// A change the server refused, kept with its reason until someone deals with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    /// The change.
    pub change: Change,
    /// The server's reason, as it gave it.
    pub reason: String,
}

/// How a device starts syncing with a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joining {
    /// Keep this device's workspace and queue every change it holds for the server.
    MergeOwnWork,
    /// Drop this device's workspace (an untouched demo) and take the server's.
    TakeServers,
}

/// A place that keeps the workspace. Every method is one transaction.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// Merges a batch's changes into the stored records and saves them, atomically.
    async fn write(&self, batch: &Batch) -> Result<Written, StoreError>;
    /// Reads everything (cold start).
    async fn load(&self) -> Result<Snapshot, StoreError>;
    /// Makes the packed copy of every task afresh (see [`packs`]), in two transactions; returns
    /// how many tasks it packed, or `None` when there is no copy a cold start can read (no tasks,
    /// the store emptied meanwhile, or written meanwhile while nobody listed what).
    async fn pack(&self) -> Result<Option<usize>, StoreError>;
    /// One task by id.
    async fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError>;
    /// Tasks in a status (index `status`).
    async fn tasks_by_status(&self, status: TaskStatus) -> Result<Vec<Task>, StoreError>;
    /// Tasks assigned to a user (index `assignee`).
    async fn tasks_by_assignee(&self, user: UserId) -> Result<Vec<Task>, StoreError>;
    /// Tasks of a customer (index `customer`).
    async fn tasks_by_customer(&self, customer: CustomerId) -> Result<Vec<Task>, StoreError>;
    /// The task with a number (unique index `number`).
    async fn task_by_number(&self, number: &str) -> Result<Option<Task>, StoreError>;
    /// Tasks changed after a stamp, oldest first (index `modified`).
    async fn tasks_modified_after(&self, stamp: &Hlc) -> Result<Vec<Task>, StoreError>;
    /// Every change to one record, oldest first (index `entity` of the change log).
    async fn history(&self, entity: Uuid) -> Result<Vec<Change>, StoreError>;
    /// Removes everything (demo reset).
    async fn clear(&self) -> Result<(), StoreError>;
    /// The oldest changes still waiting for the server (after `after`, when given), at most `limit`.
    async fn outbox(&self, after: Option<&Hlc>, limit: usize) -> Result<Vec<Change>, StoreError>;
    /// How many changes wait for the server, and how many it refused.
    async fn outbox_counts(&self) -> Result<(usize, usize), StoreError>;
    /// Records the server's answer: accepted changes leave the outbox, refused ones move to the
    /// refused list with their reason.
    async fn settle(&self, accepted: &[Hlc], refused: &[Refusal]) -> Result<(), StoreError>;
    /// The changes the server refused, oldest first.
    async fn refused(&self) -> Result<Vec<Refusal>, StoreError>;
    /// Puts every refused change back in the outbox, to be tried again.
    async fn retry_refused(&self) -> Result<(), StoreError>;
    /// The sync bookkeeping.
    async fn sync_record(&self) -> Result<SyncRecord, StoreError>;
    /// Starts syncing with `target` (the cursor starts over) as `joining` says, or with `None`
    /// stops: the outbox and refused list are emptied, every record stays.
    async fn connect(&self, target: Option<SyncTarget>, joining: Joining) -> Result<(), StoreError>;
}

/// Opens stores by name at a schema version, as a browser opens IndexedDB databases.
#[allow(async_fn_in_trait)]
pub trait StoreFactory {
    /// The store type opened.
    type Store: Store;
    /// Opens (creating or upgrading) the named store at `version`.
    async fn open(&self, name: &str, version: u32) -> Result<Self::Store, StoreError>;
    /// Closes a store so it can be reopened at another version.
    fn close(&self, store: Self::Store);
    /// Deletes the named store and everything in it.
    async fn delete(&self, name: &str) -> Result<(), StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorbing_a_batch_keeps_every_change_and_a_persons_origin() {
        let change = |n: u64| Change { stamp: Hlc { millis: n, counter: 0, node: "A".into() }, actor: None, kind: taskdesk_domain::EntityKind::Task, entity: Uuid::nil(), fields: vec![] };
        let first = Batch { changes: vec![change(1)], origin: Origin::App, ..Batch::default() };
        let later = Batch { changes: vec![change(2)], origin: Origin::Person, device: Some(Device::new(taskdesk_domain::DeviceCode::from_random(1))) };
        let mut all = Batch::default();
        all.absorb(&first);
        all.absorb(&later);
        assert_eq!(all.changes.len(), 2);
        assert_eq!(all.origin, Origin::Person);
        assert!(all.device.is_some(), "the later device state wins");
        assert!(Batch::default().is_empty() && !first.is_empty());
    }
}
