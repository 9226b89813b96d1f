//! The storage schema as data: object stores, their indexes, and one upgrade step per version.
//!
//! Both implementations read this, so IndexedDB and memory stores always agree.
//! A new version only appends a step; existing steps never change.
//!
//! A step creates stores with their indexes. Adding an index to an existing store needs the
//! upgrade's versionchange transaction, which indexed_db_futures 0.6 does not expose; a version
//! that needs it must do that step through web-sys.

/// Tasks, keyed by id.
pub const TASKS: &str = "tasks";
/// Customers, keyed by id.
pub const CUSTOMERS: &str = "customers";
/// Device state and settings, keyed by name.
pub const META: &str = "meta";
/// The change log as schemas 2 to 5 wrote it, one change a value, keyed by stamp. Still read:
/// changes written before version 6 stay here.
pub const CHANGES: &str = "changes";

/// The change log from version 6 on: each write's new changes in one value (a JSON array, oldest
/// first), keyed by its first stamp and found by entity and by stamp through multi-entry indexes.
/// A first sync or an import then makes one request per thousand changes instead of one each.
pub const CHANGE_LOG: &str = "change_log";

/// Both change logs, older first, each with the index that finds its values by entity. History,
/// and refilling the outbox when a device connects, read both.
pub const CHANGE_LOGS: [(&str, &str); 2] = [(CHANGES, "entity"), (CHANGE_LOG, "entities")];

/// Conversation messages, keyed by id.
pub const MESSAGES: &str = "messages";

/// Changes waiting for the server, keyed by stamp.
pub const OUTBOX: &str = "outbox";

/// Changes the server refused, with the reason, keyed by stamp.
pub const REFUSED: &str = "refused";

/// The packed copy of every task a cold start reads (see [`crate::packs`]), keyed by number.
pub const PACKS: &str = "packs";

/// Tasks a large write created, a thousand to a value (see [`crate::groups`]), keyed by their first
/// id and found by id and by number through multi-entry indexes.
pub const TASK_GROUPS: &str = "task_groups";

/// The property every stored envelope keeps its JSON document in.
pub const DOC: &str = "doc";

/// An index on an object store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexDef {
    /// Index name, also the envelope property it indexes.
    pub name: &'static str,
    /// Whether two records may share a value.
    pub unique: bool,
    /// Whether the property holds a list of values, each indexed.
    pub multi_entry: bool,
}

/// An object store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreDef {
    /// Store name.
    pub name: &'static str,
    /// The envelope property holding the key.
    pub key: &'static str,
    /// Its indexes.
    pub indexes: &'static [IndexDef],
}

const fn index(name: &'static str) -> IndexDef {
    IndexDef { name, unique: false, multi_entry: false }
}

const fn unique(name: &'static str) -> IndexDef {
    IndexDef { name, unique: true, multi_entry: false }
}

const fn each_of(name: &'static str) -> IndexDef {
    IndexDef { name, unique: false, multi_entry: true }
}

const fn unique_each_of(name: &'static str) -> IndexDef {
    IndexDef { name, unique: true, multi_entry: true }
}

/// Version 1: tasks with their query indexes, customers, and device state.
const V1: &[StoreDef] = &[
    StoreDef { name: TASKS, key: "id", indexes: &[index("status"), index("assignee"), index("customer"), unique("number"), index("modified")] },
    StoreDef { name: CUSTOMERS, key: "id", indexes: &[] },
    StoreDef { name: META, key: "id", indexes: &[] },
];

/// Version 2: the change log behind history and the outbox.
const V2: &[StoreDef] = &[StoreDef { name: CHANGES, key: "stamp", indexes: &[index("entity")] }];

/// Version 3: conversation messages, found by task (T3).
const V3: &[StoreDef] = &[StoreDef { name: MESSAGES, key: "id", indexes: &[index("task")] }];

/// Version 4: the durable outbox and the changes the server refused (O2).
const V4: &[StoreDef] = &[StoreDef { name: OUTBOX, key: "stamp", indexes: &[] }, StoreDef { name: REFUSED, key: "stamp", indexes: &[] }];

/// Version 5: the packed copy of the tasks that cold starts read.
const V5: &[StoreDef] = &[StoreDef { name: PACKS, key: "n", indexes: &[] }];

/// Version 6: the change log a write's changes to a value.
const V6: &[StoreDef] = &[StoreDef { name: CHANGE_LOG, key: "first", indexes: &[each_of("entities"), each_of("stamps")] }];

/// Version 7: tasks a large write created, grouped.
const V7: &[StoreDef] = &[StoreDef { name: TASK_GROUPS, key: "first", indexes: &[unique_each_of(crate::groups::IDS), unique_each_of(crate::groups::NUMBERS)] }];

/// Upgrade steps: `VERSIONS[n]` takes the schema from version `n` to `n + 1`.
pub const VERSIONS: &[&[StoreDef]] = &[V1, V2, V3, V4, V5, V6, V7];

/// The version this build writes.
pub const LATEST: u32 = VERSIONS.len() as u32;

/// The stores to create when going from `from` to `to`.
pub fn upgrade_steps(from: u32, to: u32) -> impl Iterator<Item = &'static StoreDef> {
    VERSIONS.iter().skip(from as usize).take(to.saturating_sub(from) as usize).flat_map(|v| v.iter())
}
