//! Persistence for Taskdesk: the [`Store`] trait, its IndexedDB and in-memory
//! implementations, the schema they share, and the conformance suite both must pass.

pub mod conformance;
pub mod encode;
#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod memory;
pub mod schema;

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
    /// This device's numbering and clock, if saved before.
    pub device: Option<Device>,
    /// Workspace settings, if saved before.
    pub config: Option<Config>,
    /// Every conversation message.
    pub messages: Vec<Message>,
    /// Records that could not be decoded, described for the user. They stay on disk untouched.
    pub damaged: Vec<String>,
}

/// Records written together in one transaction: all of them or none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    /// Tasks to insert or replace.
    pub tasks: Vec<Task>,
    /// Customers to insert or replace.
    pub customers: Vec<Customer>,
    /// Change records to append.
    pub changes: Vec<Change>,
    /// Device state to save.
    pub device: Option<Device>,
    /// Workspace settings to save.
    pub config: Option<Config>,
    /// Messages to insert or replace.
    pub messages: Vec<Message>,
}

impl Batch {
    /// Adds a later batch to this one, so both are written in one transaction: records are
    /// appended (a later copy of a record replaces the earlier when written), device state and
    /// settings take the later value.
    pub fn absorb(&mut self, later: &Batch) {
        // Destructured in full so a new kind of record cannot be forgotten here.
        let Batch { tasks, customers, changes, device, config, messages } = later;
        self.tasks.extend(tasks.iter().cloned());
        self.customers.extend(customers.iter().cloned());
        self.changes.extend(changes.iter().cloned());
        self.messages.extend(messages.iter().cloned());
        if device.is_some() {
            self.device = device.clone();
        }
        if config.is_some() {
            self.config = config.clone();
        }
    }

    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        let Batch { tasks, customers, changes, device, config, messages } = self;
        tasks.is_empty() && customers.is_empty() && changes.is_empty() && device.is_none() && config.is_none() && messages.is_empty()
    }
}

/// A place that keeps the workspace. Every method is one transaction.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// Writes a batch atomically.
    async fn write(&self, batch: &Batch) -> Result<(), StoreError>;
    /// Reads everything (cold start).
    async fn load(&self) -> Result<Snapshot, StoreError>;
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
    fn absorbing_a_batch_keeps_every_kind_of_record() {
        let first = Batch { tasks: vec![Task::default()], config: Some(Config::default()), ..Batch::default() };
        let later = Batch {
            customers: vec![Customer::default()],
            changes: vec![],
            messages: vec![Message { text: "Hi".into(), ..Message::default() }],
            config: Some(Config { hashtag_required: true, ..Config::default() }),
            ..Batch::default()
        };
        let mut all = Batch::default();
        all.absorb(&first);
        all.absorb(&later);
        assert_eq!((all.tasks.len(), all.customers.len(), all.messages.len()), (1, 1, 1));
        assert!(all.config.unwrap().hashtag_required, "the later settings win");
        assert!(Batch::default().is_empty() && !first.is_empty());
    }
}
