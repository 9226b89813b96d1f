//! The in-memory store: same schema, indexes, uniqueness and all-or-nothing writes as IndexedDB.
//! Used natively (tests, benchmarks) and where a browser offers no storage.

use crate::encode::{self, Envelope};
use crate::merge::{self, Found};
use crate::packs::{self, PackRecord};
use crate::schema::{self, StoreDef, CHANGES, CHANGE_LOG, CUSTOMERS, MESSAGES, META, OUTBOX, PACKS, REFUSED, TASKS};
use crate::{Batch, Joining, Refusal, Snapshot, Store, StoreError, StoreFactory, SyncRecord, SyncTarget, Written};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;
use taskdesk_domain::{Change, CustomerId, Hlc, Task, TaskId, TaskStatus, UserId};
use uuid::Uuid;

/// The message both stores give when a write breaks a unique index.
pub const UNIQUE_VIOLATION: &str = "two records would share a value that must be unique, such as a task number.";

#[derive(Clone, Debug)]
struct Table {
    def: StoreDef,
    rows: BTreeMap<String, Envelope>,
    /// Binary values by key (the packs), where IndexedDB would hold bytes rather than text.
    bytes: BTreeMap<String, Vec<u8>>,
}

impl Table {
    fn clear(&mut self) {
        self.rows.clear();
        self.bytes.clear();
    }

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
        db.tables.insert(def.name, Table { def: *def, rows: BTreeMap::new(), bytes: BTreeMap::new() });
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
    async fn write(&self, batch: &Batch) -> Result<Written, StoreError> {
        let needs = merge::needs(batch);
        let (puts, written) = {
            let db = self.db.borrow();
            let table = |name: &str| db.tables.get(name).ok_or_else(|| missing(name));
            let changes = table(CHANGES)?;
            let log = db.tables.get(CHANGE_LOG);
            let mut found = Found { sync: self.meta_doc(encode::SYNC_KEY), packs: self.meta_doc(packs::PACKS_KEY), old_log: log.is_none(), ..Found::default() };
            // Read as IndexedDB does: a large batch lists its span's keys first (see merge::spans).
            let spans = merge::spans(&needs);
            let listed = spans
                .iter()
                .map(|s| Ok(table(s.store)?.rows.range(s.first.clone()..=s.last.clone()).take(s.wanted + 1).map(|(k, _)| k.clone()).collect()))
                .collect::<Result<Vec<Vec<String>>, StoreError>>()?;
            for place in merge::reads(&needs, &spans, &listed) {
                if let Some(e) = table(place.0)?.rows.get(&place.1) {
                    found.records.insert(place.clone(), e.doc.clone());
                }
            }
            let check = merge::stamps_to_check(batch, &found.records);
            // This store keeps no index structures: one pass over the newer log's stamps serves
            // every stamp to check, where a lookup per stamp would scan it each time.
            let logged: HashSet<&str> = match log {
                Some(l) if !check.is_empty() => l.rows.values().flat_map(|e| e.indexes.iter().filter(|(n, _)| *n == "stamps").map(|(_, v)| v.as_str())).collect(),
                _ => HashSet::new(),
            };
            found.known = check.into_iter().filter(|s| changes.rows.contains_key(s) || logged.contains(s.as_str())).collect();
            merge::plan(batch, &found)
        };
        self.put_all(puts, &[])?;
        Ok(written)
    }

    async fn load(&self) -> Result<Snapshot, StoreError> {
        let db = self.db.borrow();
        let mut snap = Snapshot::default();
        let docs = |name: &str| db.tables.get(name).map(|t| t.rows.values().map(|e| Some(e.doc.as_str())).collect::<Vec<_>>()).unwrap_or_default();
        let meta = |key: &str| db.tables.get(META).and_then(|t| t.rows.get(key)).map(|e| e.doc.clone());
        let record = PackRecord::read(meta(packs::PACKS_KEY).as_deref());
        let copy = record.as_ref().and_then(PackRecord::readable).and_then(|since| {
            let rows = &db.tables.get(TASKS)?.rows;
            let singly: Vec<Option<String>> = since.keys().map(|id| rows.get(&id.to_string()).map(|e| e.doc.clone())).collect();
            let packed = db.tables.get(PACKS)?.bytes.values();
            Some((packs::read_copy(packed, &singly, &mut snap.damaged)?, singly.len()))
        });
        (snap.tasks, snap.read_singly) = match copy {
            Some(copy) => copy,
            None => {
                let tasks: Vec<Task> = encode::decode_all(TASKS, docs(TASKS).into_iter(), &mut snap.damaged);
                let count = tasks.len();
                (tasks, count)
            }
        };
        snap.customers = encode::decode_all(CUSTOMERS, docs(CUSTOMERS).into_iter(), &mut snap.damaged);
        snap.messages = encode::decode_all(MESSAGES, docs(MESSAGES).into_iter(), &mut snap.damaged);
        let devices: Vec<&str> = db.tables.get(META).map(|t| t.rows.values().filter(|e| encode::is_device_key(&e.key)).map(|e| e.doc.as_str()).collect()).unwrap_or_default();
        snap.devices = encode::latest_devices(encode::decode_all(META, devices.into_iter().map(Some), &mut snap.damaged));
        snap.config = encode::decode_optional(META, meta(encode::CONFIG_KEY), &mut snap.damaged);
        Ok(snap)
    }

    async fn pack(&self) -> Result<Option<usize>, StoreError> {
        if !self.db.borrow().tables.contains_key(PACKS) {
            return Ok(None);
        }
        let seen = PackRecord::read(self.meta_doc(packs::PACKS_KEY).as_deref()).unwrap_or_else(PackRecord::fresh);
        let (packed, count) = self.read(TASKS, |t| {
            let docs: Vec<&Envelope> = t.rows.values().collect();
            (docs.chunks(packs::TASKS_PER_PACK).map(|page| packs::pack_docs(page.iter().map(|e| Some(e.doc.as_str())))).collect::<Vec<_>>(), t.rows.len())
        })?;
        // Nothing is written in between here: one step reads and packs.
        let Some(record) = PackRecord::packed(&seen, &seen, packed.len() as u32) else { return Ok(None) };
        self.put_all(vec![record.envelope()], &[])?;
        let mut db = self.db.borrow_mut();
        let table = db.tables.get_mut(PACKS).ok_or_else(|| missing(PACKS))?;
        table.bytes = packed.into_iter().enumerate().take(record.packs as usize).map(|(n, pack)| (packs::pack_key(n as u32), pack)).collect();
        Ok(record.readable().map(|_| count))
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
            let mut rows: Vec<(&String, &Envelope)> = t.rows.values().filter_map(|e| e.indexes.iter().find(|(n, _)| *n == "modified").map(|(_, v)| (v, e))).filter(|(v, _)| **v > after).collect();
            rows.sort_by(|a, b| a.0.cmp(b.0));
            decode_known(TASKS, rows.into_iter().map(|(_, e)| e))
        })
    }

    async fn history(&self, entity: Uuid) -> Result<Vec<Change>, StoreError> {
        let id = entity.to_string();
        let db = self.db.borrow();
        let mut changes = Vec::new();
        for (log, index) in schema::CHANGE_LOGS {
            for row in db.tables.get(log).into_iter().flat_map(|t| t.docs_where(index, &id)) {
                changes.extend(encode::logged_changes(log, Some(&row.doc)).map_err(StoreError::Other)?);
            }
        }
        Ok(encode::history_of(entity, changes))
    }

    async fn clear(&self) -> Result<(), StoreError> {
        for table in self.db.borrow_mut().tables.values_mut() {
            table.clear();
        }
        Ok(())
    }

    async fn outbox(&self, after: Option<&Hlc>, limit: usize) -> Result<Vec<Change>, StoreError> {
        let from = after.map(|a| a.to_string());
        self.read(OUTBOX, |t| decode_known(OUTBOX, t.rows.iter().filter(|(k, _)| from.as_ref().is_none_or(|f| *k > f)).map(|(_, e)| e).take(limit)))
    }

    async fn outbox_counts(&self) -> Result<(usize, usize), StoreError> {
        Ok((self.read(OUTBOX, |t| t.rows.len())?, self.read(REFUSED, |t| t.rows.len())?))
    }

    async fn settle(&self, accepted: &[Hlc], refused: &[Refusal]) -> Result<(), StoreError> {
        let gone: Vec<(&'static str, String)> = accepted.iter().chain(refused.iter().map(|r| &r.change.stamp)).map(|s| (OUTBOX, s.to_string())).collect();
        self.put_all(refused.iter().map(encode::refusal).collect(), &gone)
    }

    async fn refused(&self) -> Result<Vec<Refusal>, StoreError> {
        self.read(REFUSED, |t| decode_known(REFUSED, t.rows.values()))
    }

    async fn retry_refused(&self) -> Result<(), StoreError> {
        let back = self.refused().await?;
        let gone: Vec<(&'static str, String)> = back.iter().map(|r| (REFUSED, r.change.stamp.to_string())).collect();
        self.put_all(back.iter().map(|r| encode::outbox_entry(&r.change)).collect(), &gone)
    }

    async fn sync_record(&self) -> Result<SyncRecord, StoreError> {
        Ok(merge::sync_record(self.meta_doc(encode::SYNC_KEY).as_deref()))
    }

    async fn connect(&self, target: Option<SyncTarget>, joining: Joining) -> Result<(), StoreError> {
        let plan = merge::connecting(target, joining, &self.sync_record().await?);
        let mut db = self.db.borrow_mut();
        let mut log: Vec<Change> = Vec::new();
        if plan.refill_outbox {
            for (name, _) in schema::CHANGE_LOGS {
                for row in db.tables.get(name).iter().flat_map(|t| t.rows.values()) {
                    log.extend(encode::logged_changes(name, Some(&row.doc)).map_err(StoreError::Other)?);
                }
            }
        }
        for (name, table) in db.tables.iter_mut() {
            if plan.emptied.contains(name) {
                table.clear();
            }
            if *name == META && plan.meta_devices_only {
                table.rows.retain(|key, _| encode::is_device_key(key));
            }
        }
        drop(db);
        let refill = log.iter().map(encode::outbox_entry);
        self.put_all(refill.chain([encode::sync(&plan.record)]).collect(), &[])
    }
}

impl MemoryStore {
    fn meta_doc(&self, key: &str) -> Option<String> {
        self.db.borrow().tables.get(META).and_then(|t| t.rows.get(key)).map(|e| e.doc.clone())
    }

    /// Puts and deletes rows in one all-or-nothing step, as one IndexedDB transaction does.
    fn put_all(&self, puts: Vec<Envelope>, deletes: &[(&'static str, String)]) -> Result<(), StoreError> {
        let mut db = self.db.borrow_mut();
        let mut staged: BTreeMap<&'static str, Table> = BTreeMap::new();
        let names = puts.iter().map(|e| e.store).chain(deletes.iter().map(|d| d.0));
        for name in names {
            if !staged.contains_key(name) {
                let original = db.tables.get(name).ok_or_else(|| missing(name))?;
                staged.insert(name, original.clone());
            }
        }
        for (name, key) in deletes {
            staged.get_mut(name).map(|t| t.rows.remove(key));
        }
        for envelope in puts {
            staged.get_mut(envelope.store).ok_or_else(|| missing(envelope.store))?.put(envelope)?;
        }
        db.tables.extend(staged);
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
