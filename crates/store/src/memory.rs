//! The in-memory store: same schema, indexes, uniqueness and all-or-nothing writes as IndexedDB.
//! Used natively (tests, benchmarks) and where a browser offers no storage.

use crate::encode::{self, Envelope};
use crate::schema::{self, StoreDef, CHANGES, CUSTOMERS, MESSAGES, META, TASKS};
use crate::{Batch, Snapshot, Store, StoreError, StoreFactory};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use taskdesk_domain::{Change, CustomerId, Hlc, Task, TaskId, TaskStatus, UserId};
use uuid::Uuid;

/// The message both stores give when a write breaks a unique index.
pub const UNIQUE_VIOLATION: &str = "two records would share a value that must be unique, such as a task number.";

#[derive(Clone, Debug)]
struct Table {
    def: StoreDef,
    rows: BTreeMap<String, Envelope>,
}

impl Table {
    fn docs_where<'a>(&'a self, index: &'a str, value: &'a str) -> impl Iterator<Item = &'a Envelope> + 'a {
        self.rows.values().filter(move |e| e.indexes.iter().any(|(n, v)| *n == index && v == value))
    }

    fn put(&mut self, envelope: Envelope) -> Result<(), StoreError> {
        for ix in self.def.indexes.iter().filter(|ix| ix.unique) {
            if let Some((_, value)) = envelope.indexes.iter().find(|(n, _)| *n == ix.name) {
                if self.docs_where(ix.name, value).any(|other| other.key != envelope.key) {
                    return Err(StoreError::Constraint(UNIQUE_VIOLATION.into()));
                }
            }
        }
        self.rows.insert(envelope.key.clone(), envelope);
        Ok(())
    }
}

#[derive(Debug, Default)]
struct Database {
    version: u32,
    tables: BTreeMap<&'static str, Table>,
}

/// Opens in-memory stores by name; stores opened by the same factory and name share data,
/// as IndexedDB databases of one origin do.
#[derive(Clone, Debug, Default)]
pub struct MemoryFactory {
    databases: Rc<RefCell<HashMap<String, Rc<RefCell<Database>>>>>,
}

/// One open in-memory store.
#[derive(Clone, Debug)]
pub struct MemoryStore {
    db: Rc<RefCell<Database>>,
}

impl MemoryStore {
    /// A fresh, empty store at the latest schema.
    pub fn new() -> Self {
        let db = Rc::new(RefCell::new(Database::default()));
        upgrade(&mut db.borrow_mut(), schema::LATEST);
        MemoryStore { db }
    }

    fn read<T>(&self, store: &str, f: impl FnOnce(&Table) -> T) -> Result<T, StoreError> {
        let db = self.db.borrow();
        let table = db.tables.get(store).ok_or_else(|| missing(store))?;
        Ok(f(table))
    }

    fn tasks_where(&self, index: &str, value: &str) -> Result<Vec<Task>, StoreError> {
        self.read(TASKS, |t| decode_known(TASKS, t.docs_where(index, value)))
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

fn missing(store: &str) -> StoreError {
    StoreError::Other(format!("the “{store}” store does not exist at this schema version"))
}

fn upgrade(db: &mut Database, to: u32) {
    for def in schema::upgrade_steps(db.version, to) {
        db.tables.insert(def.name, Table { def: *def, rows: BTreeMap::new() });
    }
    db.version = db.version.max(to);
}

/// Decodes documents written by this store; a failure here means memory was corrupted by a bug.
fn decode_known<'a, T: serde::de::DeserializeOwned>(store: &str, rows: impl Iterator<Item = &'a Envelope>) -> Vec<T> {
    let mut damaged = Vec::new();
    let out = encode::decode_all(store, rows.map(|e| Some(e.doc.as_str())), &mut damaged);
    debug_assert!(damaged.is_empty(), "{damaged:?}");
    out
}

impl Store for MemoryStore {
    async fn write(&self, batch: &Batch) -> Result<(), StoreError> {
        let mut db = self.db.borrow_mut();
        let mut staged: BTreeMap<&'static str, Table> = BTreeMap::new();
        for envelope in encode::batch(batch) {
            let table = match staged.get_mut(envelope.store) {
                Some(t) => t,
                None => {
                    let original = db.tables.get(envelope.store).ok_or_else(|| missing(envelope.store))?;
                    staged.entry(envelope.store).or_insert_with(|| original.clone())
                }
            };
            table.put(envelope)?;
        }
        db.tables.extend(staged);
        Ok(())
    }

    async fn load(&self) -> Result<Snapshot, StoreError> {
        let db = self.db.borrow();
        let mut snap = Snapshot::default();
        let docs = |name: &str| db.tables.get(name).map(|t| t.rows.values().map(|e| Some(e.doc.as_str())).collect::<Vec<_>>()).unwrap_or_default();
        snap.tasks = encode::decode_all(TASKS, docs(TASKS).into_iter(), &mut snap.damaged);
        snap.customers = encode::decode_all(CUSTOMERS, docs(CUSTOMERS).into_iter(), &mut snap.damaged);
        snap.messages = encode::decode_all(MESSAGES, docs(MESSAGES).into_iter(), &mut snap.damaged);
        let meta = |key: &str| db.tables.get(META).and_then(|t| t.rows.get(key)).map(|e| e.doc.clone());
        snap.device = encode::decode_optional(META, meta(encode::DEVICE_KEY), &mut snap.damaged);
        snap.config = encode::decode_optional(META, meta(encode::CONFIG_KEY), &mut snap.damaged);
        Ok(snap)
    }

    async fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        self.read(TASKS, |t| decode_known(TASKS, t.rows.get(&id.to_string()).into_iter()).pop())
    }

    async fn tasks_by_status(&self, status: TaskStatus) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("status", status.key())
    }

    async fn tasks_by_assignee(&self, user: UserId) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("assignee", &user.to_string())
    }

    async fn tasks_by_customer(&self, customer: CustomerId) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("customer", &customer.to_string())
    }

    async fn task_by_number(&self, number: &str) -> Result<Option<Task>, StoreError> {
        Ok(self.tasks_where("number", number)?.pop())
    }

    async fn tasks_modified_after(&self, stamp: &Hlc) -> Result<Vec<Task>, StoreError> {
        let after = stamp.to_string();
        self.read(TASKS, |t| {
            let mut rows: Vec<(&String, &Envelope)> = t
                .rows
                .values()
                .filter_map(|e| e.indexes.iter().find(|(n, _)| *n == "modified").map(|(_, v)| (v, e)))
                .filter(|(v, _)| **v > after)
                .collect();
            rows.sort_by(|a, b| a.0.cmp(b.0));
            decode_known(TASKS, rows.into_iter().map(|(_, e)| e))
        })
    }

    async fn history(&self, entity: Uuid) -> Result<Vec<Change>, StoreError> {
        // Rows are kept sorted by key, and the key is the stamp, so this is oldest first.
        self.read(CHANGES, |t| decode_known(CHANGES, t.docs_where("entity", &entity.to_string())))
    }

    async fn clear(&self) -> Result<(), StoreError> {
        for table in self.db.borrow_mut().tables.values_mut() {
            table.rows.clear();
        }
        Ok(())
    }
}

impl StoreFactory for MemoryFactory {
    type Store = MemoryStore;

    async fn open(&self, name: &str, version: u32) -> Result<MemoryStore, StoreError> {
        if version > schema::LATEST {
            return Err(StoreError::TooNew { found: version, supported: schema::LATEST });
        }
        let db = self.databases.borrow_mut().entry(name.to_string()).or_default().clone();
        {
            let mut d = db.borrow_mut();
            if d.version > version {
                return Err(StoreError::TooNew { found: d.version, supported: version });
            }
            upgrade(&mut d, version);
        }
        Ok(MemoryStore { db })
    }

    fn close(&self, _store: MemoryStore) {}

    async fn delete(&self, name: &str) -> Result<(), StoreError> {
        self.databases.borrow_mut().remove(name);
        Ok(())
    }
}
