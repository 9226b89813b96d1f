//! The IndexedDB store (browser only): envelopes as small JS objects, one transaction per call.

use crate::encode::{self, Envelope};
use crate::schema::{self, CHANGES, CUSTOMERS, DOC, MESSAGES, META, TASKS};
use crate::{Batch, Snapshot, Store, StoreError, StoreFactory};
use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error, OpenDbError};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use js_sys::{Object, Reflect};
use taskdesk_domain::{Change, CustomerId, Hlc, Task, TaskId, TaskStatus, UserId};
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// An open IndexedDB database holding a workspace.
#[derive(Debug)]
pub struct IdbStore {
    db: Database,
}

/// Opens IndexedDB databases of this origin.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdbFactory;

fn from_dom(e: &web_sys::DomException) -> StoreError {
    match e.name().as_str() {
        "QuotaExceededError" => StoreError::QuotaExceeded,
        "ConstraintError" => StoreError::Constraint(crate::memory::UNIQUE_VIOLATION.into()),
        "VersionError" => {
            // "The requested version (1) is less than the existing version (2)."
            let numbers: Vec<u32> = e.message().split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
            match numbers[..] {
                [requested, found] => StoreError::TooNew { found, supported: requested },
                _ => StoreError::TooNew { found: 0, supported: schema::LATEST },
            }
        }
        "InvalidStateError" | "UnknownError" | "SecurityError" => StoreError::Unavailable(e.message()),
        name => StoreError::Other(format!("{name}: {}", e.message())),
    }
}

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        match &e {
            Error::DomException(d) => from_dom(&web_sys::DomException::from(d.clone())),
            _ => {
                let text = e.to_string();
                if text.contains("Quota") {
                    StoreError::QuotaExceeded
                } else if text.contains("Constraint") {
                    StoreError::Constraint(crate::memory::UNIQUE_VIOLATION.into())
                } else {
                    StoreError::Other(text)
                }
            }
        }
    }
}

fn to_js(e: &Envelope, key_name: &str) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    let set = |k: &str, v: &str| Reflect::set(&obj, &JsValue::from_str(k), &JsValue::from_str(v)).map(|_| ()).map_err(|_| StoreError::Other("could not build a record".into()));
    set(key_name, &e.key)?;
    for (name, value) in &e.indexes {
        set(name, value)?;
    }
    set(DOC, &e.doc)?;
    Ok(obj.into())
}

fn doc_of(value: &JsValue) -> Option<String> {
    Reflect::get(value, &JsValue::from_str(DOC)).ok().and_then(|d| d.as_string())
}

fn key_of(store: &str) -> &'static str {
    schema::VERSIONS.iter().flat_map(|v| v.iter()).find(|d| d.name == store).map_or("id", |d| d.key)
}

impl IdbStore {
    async fn read_all(&self, store: &str) -> Result<Vec<Option<String>>, StoreError> {
        let tx = self.db.transaction(store).build()?;
        let os = tx.object_store(store)?;
        let rows = os.get_all::<Object>().primitive()?.await?;
        rows.map(|r| r.map(|o| doc_of(&o)).map_err(StoreError::from)).collect()
    }

    async fn tasks_where(&self, index: &str, value: String) -> Result<Vec<Task>, StoreError> {
        let tx = self.db.transaction(TASKS).build()?;
        let os = tx.object_store(TASKS)?;
        let ix = os.index(index)?;
        let rows = ix.get_all::<Object>().with_query::<String, _>(KeyRange::<String>::Only(value)).primitive()?.await?;
        decode_rows(TASKS, rows)
    }
}

fn decode_rows<T: serde::de::DeserializeOwned>(store: &str, rows: impl Iterator<Item = indexed_db_futures::Result<Object>>) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for row in rows {
        let doc = doc_of(row?.as_ref());
        out.push(encode::decode(store, doc.as_deref()).map_err(StoreError::Other)?);
    }
    Ok(out)
}

impl Store for IdbStore {
    async fn write(&self, batch: &Batch) -> Result<(), StoreError> {
        let envelopes = encode::batch(batch);
        let mut names: Vec<&'static str> = envelopes.iter().map(|e| e.store).collect();
        names.sort_unstable();
        names.dedup();
        if names.is_empty() {
            return Ok(());
        }
        let tx = self.db.transaction(names.as_slice()).with_mode(TransactionMode::Readwrite).build()?;
        for e in &envelopes {
            let os = tx.object_store(e.store)?;
            // Requests go out when built; the transaction's outcome reports any failure.
            drop(os.put(to_js(e, key_of(e.store))?).primitive()?);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn load(&self) -> Result<Snapshot, StoreError> {
        let mut snap = Snapshot::default();
        let tasks = self.read_all(TASKS).await?;
        snap.tasks = encode::decode_all(TASKS, tasks.iter().map(Option::as_deref), &mut snap.damaged);
        let customers = self.read_all(CUSTOMERS).await?;
        snap.customers = encode::decode_all(CUSTOMERS, customers.iter().map(Option::as_deref), &mut snap.damaged);
        let messages = self.read_all(MESSAGES).await?;
        snap.messages = encode::decode_all(MESSAGES, messages.iter().map(Option::as_deref), &mut snap.damaged);
        let tx = self.db.transaction(META).build()?;
        let meta = tx.object_store(META)?;
        let device: Option<Object> = meta.get(encode::DEVICE_KEY).primitive()?.await?;
        let config: Option<Object> = meta.get(encode::CONFIG_KEY).primitive()?.await?;
        snap.device = encode::decode_optional(META, device.and_then(|o| doc_of(&o)), &mut snap.damaged);
        snap.config = encode::decode_optional(META, config.and_then(|o| doc_of(&o)), &mut snap.damaged);
        Ok(snap)
    }

    async fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        let tx = self.db.transaction(TASKS).build()?;
        let row: Option<Object> = tx.object_store(TASKS)?.get(id.to_string()).primitive()?.await?;
        row.map(|o| encode::decode(TASKS, doc_of(&o).as_deref()).map_err(StoreError::Other)).transpose()
    }

    async fn tasks_by_status(&self, status: TaskStatus) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("status", status.key().to_string()).await
    }

    async fn tasks_by_assignee(&self, user: UserId) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("assignee", user.to_string()).await
    }

    async fn tasks_by_customer(&self, customer: CustomerId) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("customer", customer.to_string()).await
    }

    async fn task_by_number(&self, number: &str) -> Result<Option<Task>, StoreError> {
        Ok(self.tasks_where("number", number.to_string()).await?.pop())
    }

    async fn tasks_modified_after(&self, stamp: &Hlc) -> Result<Vec<Task>, StoreError> {
        let tx = self.db.transaction(TASKS).build()?;
        let os = tx.object_store(TASKS)?;
        let ix = os.index("modified")?;
        let rows = ix.get_all::<Object>().with_query::<String, _>(KeyRange::<String>::LowerBound(stamp.to_string(), true)).primitive()?.await?;
        decode_rows(TASKS, rows)
    }

    async fn history(&self, entity: Uuid) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction(CHANGES).build()?;
        let os = tx.object_store(CHANGES)?;
        let ix = os.index("entity")?;
        // The index orders equal entries by primary key, the stamp: oldest first.
        let rows = ix.get_all::<Object>().with_query::<String, _>(KeyRange::<String>::Only(entity.to_string())).primitive()?.await?;
        decode_rows(CHANGES, rows)
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let names: Vec<String> = self.db.object_store_names().collect();
        let tx = self.db.transaction(names.iter().map(String::as_str).collect::<Vec<_>>().as_slice()).with_mode(TransactionMode::Readwrite).build()?;
        for name in &names {
            drop(tx.object_store(name)?.clear()?);
        }
        tx.commit().await?;
        Ok(())
    }
}

fn open_error(e: OpenDbError) -> StoreError {
    let text = e.to_string();
    match e {
        OpenDbError::Base(base) => base.into(),
        _ if text.contains("VersionError") || text.contains("less than") => StoreError::TooNew { found: 0, supported: schema::LATEST },
        _ => StoreError::Unavailable(text),
    }
}

impl StoreFactory for IdbFactory {
    type Store = IdbStore;

    async fn open(&self, name: &str, version: u32) -> Result<IdbStore, StoreError> {
        let db = Database::open(name)
            .with_version(version)
            .with_on_blocked(|_| Ok(()))
            .with_on_upgrade_needed(move |event, db| {
                let from = event.old_version() as u32;
                for def in schema::upgrade_steps(from, version) {
                    let store = db.create_object_store(def.name).with_key_path(def.key.into()).build()?;
                    for ix in def.indexes {
                        store.create_index(ix.name, ix.name.into()).with_unique(ix.unique).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(open_error)?;
        Ok(IdbStore { db })
    }

    fn close(&self, store: IdbStore) {
        store.db.close();
    }

    async fn delete(&self, name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name).map_err(open_error)?.await.map_err(StoreError::from)
    }
}
