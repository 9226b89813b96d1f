//! How records are stored: a small envelope of indexed properties plus the whole record as JSON text.
//!
//! JSON text is the encoding because it is the fast path: structured-cloning one
//! string costs far less than converting a nested object field by field
//! (`serde_wasm_bindgen`), and `serde_json` decodes a record in microseconds.

use crate::schema::{CHANGES, CHANGE_LOG, CUSTOMERS, MESSAGES, META, OUTBOX, REFUSED, TASKS};
use crate::{Refusal, SyncRecord};
use serde::de::DeserializeOwned;
use serde::Serialize;
use taskdesk_domain::config::Config;
use taskdesk_domain::conversation::Message;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{Change, Customer, Task};
use uuid::Uuid;

/// A record ready for storage: its key, indexed properties, and JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// The object store it belongs in.
    pub store: &'static str,
    /// Primary key.
    pub key: String,
    /// Indexed properties; absent ones (unassigned, no customer) are left out, so the index skips them.
    pub indexes: Vec<(&'static str, String)>,
    /// The record as JSON text.
    pub doc: String,
}

pub(crate) fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("domain records always serialise")
}

/// A task's envelope.
pub fn task(t: &Task) -> Envelope {
    let mut indexes = vec![("status", t.status.key().to_string()), ("modified", t.modified.to_string())];
    // A task known only from later changes (its creation not here yet) has no number; left out
    // of the unique index, two of them do not clash, and each is numbered when its creation lands.
    if !t.number.is_empty() {
        indexes.push(("number", t.number.clone()));
    }
    if let Some(a) = t.assignee {
        indexes.push(("assignee", a.to_string()));
    }
    if let Some(c) = t.customer {
        indexes.push(("customer", c.to_string()));
    }
    Envelope { store: TASKS, key: t.id.to_string(), indexes, doc: taskdesk_domain::change::task_json(t) }
}

/// A customer's envelope.
pub fn customer(c: &Customer) -> Envelope {
    Envelope { store: CUSTOMERS, key: c.id.to_string(), indexes: vec![], doc: json(c) }
}

/// A change record's envelope, keyed by its unique stamp.
pub fn change(c: &Change) -> Envelope {
    Envelope { store: CHANGES, key: c.stamp.to_string(), indexes: vec![("entity", c.entity.to_string())], doc: json(c) }
}

/// A write's new changes, oldest first, as one value of the change log: keyed by the first stamp
/// (stamps are stored once, so no two values share it), found by each entity and each stamp.
/// `None` when nothing is new.
pub fn logged(changes: &[&Change]) -> Option<Envelope> {
    let first = changes.first()?;
    let mut entities: Vec<String> = changes.iter().map(|c| c.entity.to_string()).collect();
    entities.sort_unstable();
    entities.dedup();
    let indexes = entities.into_iter().map(|e| ("entities", e)).chain(changes.iter().map(|c| ("stamps", c.stamp.to_string()))).collect();
    Some(Envelope { store: CHANGE_LOG, key: first.stamp.to_string(), indexes, doc: taskdesk_domain::change::changes_json(changes) })
}

/// The changes one stored value of a change log holds: one in the log before schema 6, a whole
/// write's in the log after.
pub fn logged_changes(store: &str, doc: Option<&str>) -> Result<Vec<Change>, String> {
    if store == CHANGE_LOG {
        decode(store, doc)
    } else {
        decode(store, doc).map(|c| vec![c])
    }
}

/// One entity's history, oldest first, from the changes of the log values its entity index
/// found: a value of the newer log also holds other entities' changes.
pub fn history_of(entity: Uuid, mut changes: Vec<Change>) -> Vec<Change> {
    changes.retain(|c| c.entity == entity);
    changes.sort_by(|a, b| a.stamp.cmp(&b.stamp));
    changes
}

/// A message's envelope, indexed by its task.
pub fn message(m: &Message) -> Envelope {
    Envelope { store: MESSAGES, key: m.id.to_string(), indexes: vec![("task", m.task.to_string())], doc: json(m) }
}

/// Key of the one device record that builds before schema version 4 kept in the meta store.
pub const LEGACY_DEVICE_KEY: &str = "device";

/// Device records are kept in the meta store under this prefix and their code: one per tab
/// that worked at the same time, so each tab numbers tasks and stamps changes on its own.
pub const DEVICE_PREFIX: &str = "device:";

/// The device state's envelope.
pub fn device(d: &Device) -> Envelope {
    Envelope { store: META, key: format!("{DEVICE_PREFIX}{}", d.code), indexes: vec![], doc: json(d) }
}

/// Key of the sync bookkeeping in the meta store.
pub const SYNC_KEY: &str = "sync";

/// The sync bookkeeping's envelope.
pub fn sync(r: &SyncRecord) -> Envelope {
    Envelope { store: META, key: SYNC_KEY.into(), indexes: vec![], doc: json(r) }
}

/// A change waiting for the server, keyed by its stamp (so the outbox reads oldest first).
pub fn outbox_entry(c: &Change) -> Envelope {
    Envelope { store: OUTBOX, key: c.stamp.to_string(), indexes: vec![], doc: json(c) }
}

/// A change the server refused, with the reason.
pub fn refusal(r: &Refusal) -> Envelope {
    Envelope { store: REFUSED, key: r.change.stamp.to_string(), indexes: vec![], doc: json(r) }
}

/// Key of the workspace settings in the meta store.
pub const CONFIG_KEY: &str = "config";

/// The workspace settings' envelope.
pub fn config(c: &Config) -> Envelope {
    Envelope { store: META, key: CONFIG_KEY.into(), indexes: vec![], doc: json(c) }
}

/// Where the record a change builds is kept: its object store and key.
pub fn place_of(c: &Change) -> (&'static str, String) {
    match c.kind {
        taskdesk_domain::EntityKind::Task => (TASKS, c.entity.to_string()),
        taskdesk_domain::EntityKind::Customer => (CUSTOMERS, c.entity.to_string()),
        taskdesk_domain::EntityKind::Message => (MESSAGES, c.entity.to_string()),
        taskdesk_domain::EntityKind::Config => (META, CONFIG_KEY.to_string()),
    }
}

/// Keeps, per device code, the record that has numbered and stamped furthest: the legacy single
/// device record and its successor under its own key describe the same device.
pub fn latest_devices(devices: Vec<Device>) -> Vec<Device> {
    let mut by_code: std::collections::BTreeMap<String, Device> = std::collections::BTreeMap::new();
    for d in devices {
        let code = d.code.to_string();
        let keep = by_code.get(&code).is_none_or(|seen| (d.next_seq, d.clock.last()) > (seen.next_seq, seen.clock.last()));
        if keep {
            by_code.insert(code, d);
        }
    }
    by_code.into_values().collect()
}

/// Whether a meta key holds a device record.
pub fn is_device_key(key: &str) -> bool {
    key == LEGACY_DEVICE_KEY || key.starts_with(DEVICE_PREFIX)
}

/// Reads a stored document back, or says which record could not be read and why.
pub fn decode<T: DeserializeOwned>(store: &str, doc: Option<&str>) -> Result<T, String> {
    let doc = doc.ok_or_else(|| format!("a record in {store} has no data"))?;
    serde_json::from_str(doc).map_err(|e| {
        let start: String = doc.chars().take(40).collect();
        format!("a record in {store} could not be read ({e}); it starts “{start}”")
    })
}

/// Decodes a record that may be absent; a damaged one is described and treated as absent.
pub fn decode_optional<T: DeserializeOwned>(store: &str, doc: Option<String>, damaged: &mut Vec<String>) -> Option<T> {
    doc.and_then(|d| decode(store, Some(&d)).map_err(|e| damaged.push(e)).ok())
}

/// Decodes many documents, keeping the good ones and describing the bad.
pub fn decode_all<'a, T: DeserializeOwned>(store: &str, docs: impl Iterator<Item = Option<&'a str>>, damaged: &mut Vec<String>) -> Vec<T> {
    docs.filter_map(|d| decode(store, d).map_err(|e| damaged.push(e)).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_document_is_described_not_panicked_on() {
        let err = decode::<Task>(TASKS, Some("{\"id\": 12")).unwrap_err();
        assert!(err.contains("tasks") && err.contains("could not be read"));
        let mut damaged = vec![];
        let good = json(&Task::default());
        let tasks: Vec<Task> = decode_all(TASKS, [Some(good.as_str()), Some("nonsense"), None].into_iter(), &mut damaged);
        assert_eq!(tasks.len(), 1);
        assert_eq!(damaged.len(), 2);
    }

    #[test]
    fn unassigned_tasks_leave_the_assignee_index_out() {
        let e = task(&Task::default());
        assert!(e.indexes.iter().all(|(name, _)| *name != "assignee" && *name != "customer"));
    }
}
