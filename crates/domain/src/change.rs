//! Change records: the single stream behind history, outbox and merge.
//!
//! Every edit is a [`Change`]: who, when (an [`Hlc`] stamp), which record, and per
//! field the old and new value. [`apply`] folds a change into a record field by
//! field, keeping for each field the value with the latest stamp, so any order of
//! the same changes gives the same record.

use crate::config::Config;
use crate::conversation::Message;
use crate::customer::Customer;
use crate::hlc::{Hlc, Stamps};
use crate::ids::UserId;
use crate::task::Task;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Which kind of record a change touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A [`Task`].
    Task,
    /// A [`Customer`].
    Customer,
    /// The workspace's [`crate::config::Config`].
    Config,
    /// A [`crate::conversation::Message`].
    Message,
}

/// One field's move from an old value to a new one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Field name; custom task fields are `custom.<key>`.
    pub field: String,
    /// Value before the change (`null` when the record was created).
    pub old: Value,
    /// Value after the change.
    pub new: Value,
}

/// A change to one record, as made by one person (or the system) at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// When, on the hybrid logical clock; unique per change.
    pub stamp: Hlc,
    /// Who made it; `None` for the system (sync, simulated contact center).
    pub actor: Option<UserId>,
    /// Which kind of record.
    pub kind: EntityKind,
    /// Which record.
    pub entity: Uuid,
    /// What changed.
    pub fields: Vec<FieldChange>,
}

impl Change {
    /// Whether this change created the record.
    pub fn is_creation(&self) -> bool {
        self.fields.iter().any(|f| f.field == "created_at" && f.old.is_null())
    }

    /// The new value this change gives `field`, if it touches it.
    pub fn new_value(&self, field: &str) -> Option<&Value> {
        self.fields.iter().find(|f| f.field == field).map(|f| &f.new)
    }
}

/// Why a change could not be applied. The record is left exactly as it was.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// The change names a field that records of this kind do not have.
    #[error("the change names a field “{field}” that a {kind} does not have")]
    UnknownField {
        /// The field named.
        field: String,
        /// The record kind.
        kind: &'static str,
    },
    /// A value has the wrong shape for its field (malformed data, for example from a backend).
    #[error("the change carries a value the {kind} cannot hold: {reason}")]
    BadValue {
        /// The record kind.
        kind: &'static str,
        /// What was wrong, from the decoder.
        reason: String,
    },
    /// The change is for a different kind of record.
    #[error("the change is for a {0:?}, not this kind of record")]
    WrongKind(EntityKind),
}

/// A record that change records build: a task or a customer.
pub trait Record: Serialize + DeserializeOwned + Default + Clone {
    /// The kind of record.
    const KIND: EntityKind;
    /// Its name in messages.
    const NAME: &'static str;
    /// Fields a change may set.
    const FIELDS: &'static [&'static str];
    /// The map fields whose entries change one by one (`<map>.<key>`), so two people setting
    /// different entries at once both keep theirs.
    const KEYED: &'static [&'static str];
    /// The record's id.
    fn uuid(&self) -> Uuid;
    /// Per field, the stamp that last set it.
    fn stamps_mut(&mut self) -> &mut Stamps;
    /// The latest stamp applied.
    fn modified(&self) -> &Hlc;
}

impl Record for Task {
    const KIND: EntityKind = EntityKind::Task;
    const NAME: &'static str = "task";
    const FIELDS: &'static [&'static str] = Task::FIELDS;
    const KEYED: &'static [&'static str] = &["custom"];
    fn uuid(&self) -> Uuid {
        self.id.0
    }
    fn stamps_mut(&mut self) -> &mut Stamps {
        &mut self.stamps
    }
    fn modified(&self) -> &Hlc {
        &self.modified
    }
}

impl Record for Customer {
    const KIND: EntityKind = EntityKind::Customer;
    const NAME: &'static str = "customer";
    const FIELDS: &'static [&'static str] = Customer::FIELDS;
    const KEYED: &'static [&'static str] = &[];
    fn uuid(&self) -> Uuid {
        self.id.0
    }
    fn stamps_mut(&mut self) -> &mut Stamps {
        &mut self.stamps
    }
    fn modified(&self) -> &Hlc {
        &self.modified
    }
}

/// The map and key a field name addresses, for one of the record's keyed maps.
fn keyed<R: Record>(field: &str) -> Option<(&'static str, &str)> {
    R::KEYED.iter().find_map(|map| field.strip_prefix(map)?.strip_prefix('.').filter(|k| !k.is_empty()).map(|k| (*map, k)))
}

/// Every record's own field names, sorted and each once, and their places in that list by a
/// cheap key (length, first and last byte) that almost tells them apart.
struct KnownFields {
    sorted: Vec<&'static str>,
    by_key: Vec<(u32, u8)>,
}

fn known_fields() -> &'static KnownFields {
    static KNOWN: std::sync::OnceLock<KnownFields> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut sorted: Vec<&'static str> = [Task::FIELDS, Customer::FIELDS, Config::FIELDS, Message::FIELDS].concat();
        sorted.sort_unstable();
        sorted.dedup();
        let mut by_key: Vec<(u32, u8)> = sorted.iter().enumerate().map(|(i, name)| (name_key(name), u8::try_from(i).expect("fewer than 256 field names"))).collect();
        by_key.sort_unstable();
        KnownFields { sorted, by_key }
    })
}

fn name_key(name: &str) -> u32 {
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => (bytes.len().min(0xff) as u32) << 16 | u32::from(first) << 8 | u32::from(last),
        _ => 0,
    }
}

/// The place of `name` among every record's own field names (sorted), when it is one of them.
/// Decoding a task looks up about thirty names: a binary search by name (its string compares)
/// or hashing each name (wasm has no 128-bit multiply) was a quarter of decoding.
pub(crate) fn known_field(name: &str) -> Option<u8> {
    let known = known_fields();
    let key = name_key(name);
    let from = known.by_key.partition_point(|(k, _)| *k < key);
    known.by_key[from..].iter().take_while(|(k, _)| *k == key).map(|(_, place)| *place).find(|place| known.sorted[usize::from(*place)] == name)
}

/// Every record's own field names, sorted, each once: a stamp's field is kept as its place here.
pub fn own_fields() -> &'static [&'static str] {
    &known_fields().sorted
}

/// The own field name at `place` (from [`known_field`]).
pub(crate) fn known_field_name(place: u8) -> &'static str {
    known_fields().sorted[usize::from(place)]
}

fn check_field<R: Record>(field: &str) -> Result<(), ApplyError> {
    if R::FIELDS.contains(&field) || keyed::<R>(field).is_some() {
        Ok(())
    } else {
        Err(ApplyError::UnknownField { field: field.chars().take(80).collect(), kind: R::NAME })
    }
}

fn bad_value<R: Record>(reason: impl ToString) -> ApplyError {
    ApplyError::BadValue { kind: R::NAME, reason: reason.to_string() }
}

/// Applies `change` to `record` (or to a blank record when it does not exist yet),
/// field by field: a field takes the change's value only if the change's stamp is
/// later than the stamp of whatever set that field before. Replaying a change is
/// harmless. On error the input is untouched and nothing is returned.
pub fn apply<R: Record>(record: Option<&R>, change: &Change) -> Result<R, ApplyError> {
    if change.kind != R::KIND {
        return Err(ApplyError::WrongKind(change.kind));
    }
    for f in &change.fields {
        check_field::<R>(&f.field)?;
    }
    if record.is_none() && change.fields.iter().all(|f| keyed::<R>(&f.field).is_none() && !MADE_HERE.contains(&f.field.as_str())) {
        if let Some(stamps) = Stamps::all_at(change.fields.iter().map(|f| f.field.as_str()), &change.stamp) {
            return fresh(change, stamps);
        }
    }
    let (mut stamps, newer_than_modified, mut doc) = match record {
        Some(r) => {
            let mut start = r.clone();
            let stamps = std::mem::take(start.stamps_mut());
            let newer = change.stamp > *start.modified();
            match serde_json::to_value(start) {
                Ok(Value::Object(map)) => (stamps, newer, map),
                _ => return Err(bad_value::<R>("record is not an object")),
            }
        }
        // Every record reads a missing field as its default (`#[serde(default)]`, checked by a
        // test), so a new record starts from an empty object: writing out a blank record first
        // was about a tenth of storing a first sync's tasks.
        None => (Stamps::default(), change.stamp > *R::default().modified(), Map::new()),
    };
    doc.insert("id".into(), Value::String(change.entity.to_string()));
    for f in &change.fields {
        if stamps.get(&f.field).is_some_and(|seen| *seen >= change.stamp) {
            continue;
        }
        stamps.set(&f.field, &change.stamp);
        set_field::<R>(&mut doc, f);
    }
    if newer_than_modified {
        doc.insert("modified".into(), Value::String(change.stamp.to_string()));
        doc.insert("modified_by".into(), serde_json::to_value(change.actor).unwrap_or(Value::Null));
    }
    let mut next: R = serde_json::from_value(Value::Object(doc)).map_err(bad_value::<R>)?;
    *next.stamps_mut() = stamps;
    Ok(next)
}

/// Fields [`apply`] sets itself, besides those the change sets.
const MADE_HERE: [&str; 3] = ["id", "modified", "modified_by"];

/// A new record built from its first change, read straight from the change's values: the
/// record [`apply`] builds through a JSON object, without copying every value into one (a
/// first sync builds one per task). Only for changes without keyed entries, which the object
/// nests, each field named once (`stamps` has them all, set by the change).
fn fresh<R: Record>(change: &Change, stamps: Stamps) -> Result<R, ApplyError> {
    let id = Value::String(change.entity.to_string());
    let modified = Value::String(change.stamp.to_string());
    let modified_by = serde_json::to_value(change.actor).unwrap_or(Value::Null);
    let mut values: Vec<(&str, &Value)> = Vec::with_capacity(change.fields.len() + MADE_HERE.len());
    values.push(("id", &id));
    values.extend(change.fields.iter().map(|f| (f.field.as_str(), &f.new)));
    if change.stamp > *R::default().modified() {
        values.extend([("modified", &modified), ("modified_by", &modified_by)]);
    }
    let mut next = R::deserialize(serde::de::value::MapDeserializer::<_, serde_json::Error>::new(values.into_iter())).map_err(bad_value::<R>)?;
    *next.stamps_mut() = stamps;
    Ok(next)
}

/// Sets one field (or one entry of the keyed map) of a record's JSON to the change's new value.
fn set_field<R: Record>(doc: &mut Map<String, Value>, f: &FieldChange) {
    match keyed::<R>(&f.field) {
        Some((name, key)) => {
            let entries = doc.entry(name).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = entries {
                if f.new.is_null() {
                    map.remove(key);
                } else {
                    map.insert(key.to_string(), f.new.clone());
                }
            }
        }
        None => {
            doc.insert(f.field.clone(), f.new.clone());
        }
    }
}

/// The edits a person made to `opened` (making `intended`), applied onto `current`, the record
/// as it stands now: fields they did not touch keep whatever someone else set meanwhile. A form
/// saves through this, so a form left open while another tab or device changed the record
/// never writes the values it was opened with back over newer ones.
pub fn rebase<R: Record>(opened: &R, intended: &R, current: &R) -> Result<R, ApplyError> {
    let mut doc = match serde_json::to_value(current) {
        Ok(Value::Object(map)) => map,
        _ => return Err(bad_value::<R>("record is not an object")),
    };
    for f in diff(opened, intended) {
        set_field::<R>(&mut doc, &f);
    }
    serde_json::from_value(Value::Object(doc)).map_err(bad_value::<R>)
}

/// The field changes that turn `before` into `after`, over the fields a change may set.
pub fn diff<R: Record>(before: &R, after: &R) -> Vec<FieldChange> {
    let as_map = |r: &R| match serde_json::to_value(r) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let (old, new) = (as_map(before), as_map(after));
    let mut out = Vec::new();
    // Keyed entries (custom values) are compared key by key below, so two people filling
    // different custom fields of one task at once both keep their value.
    for &field in R::FIELDS.iter().filter(|f| !R::KEYED.contains(f)) {
        let (o, n) = (old.get(field).cloned().unwrap_or(Value::Null), new.get(field).cloned().unwrap_or(Value::Null));
        if o != n {
            out.push(FieldChange { field: field.to_string(), old: o, new: n });
        }
    }
    for &name in R::KEYED {
        let empty = Map::new();
        let entries = |m: &Map<String, Value>| m.get(name).and_then(Value::as_object).cloned().unwrap_or_else(|| empty.clone());
        let (oc, nc) = (entries(&old), entries(&new));
        let keys: std::collections::BTreeSet<&String> = oc.keys().chain(nc.keys()).collect();
        for key in keys {
            let (o, n) = (oc.get(key).cloned().unwrap_or(Value::Null), nc.get(key).cloned().unwrap_or(Value::Null));
            if o != n {
                out.push(FieldChange { field: format!("{name}.{key}"), old: o, new: n });
            }
        }
    }
    out
}

/// The field changes that create `record`: every field that differs from a blank record, with no old value.
pub fn creation<R: Record>(record: &R) -> Vec<FieldChange> {
    let mut fields = diff(&R::default(), record);
    for f in &mut fields {
        f.old = Value::Null;
    }
    fields
}

// What writing a first sync or an import does for every task, instantiated here: generic code
// is compiled in the crate that uses it, and this crate is optimised for speed where the store
// is optimised for size. Planning a write of 10,000 new tasks took a third fewer instructions
// (README, Figures).

/// [`apply`] for a task.
pub fn apply_task(record: Option<&Task>, change: &Change) -> Result<Task, ApplyError> {
    apply(record, change)
}

/// A task as JSON text, as it is stored.
pub fn task_json(task: &Task) -> String {
    serde_json::to_string(task).expect("a task always serialises")
}
/// Changes as one JSON array, as the change log stores a write's changes.
pub fn changes_json(changes: &[&Change]) -> String {
    serde_json::to_string(changes).expect("a change always serialises")
}

/// A record's history: exactly the changes that touched it, oldest first.
pub fn history<'a>(changes: impl IntoIterator<Item = &'a Change>, entity: Uuid) -> Vec<&'a Change> {
    let mut touched: Vec<&Change> = changes.into_iter().filter(|c| c.entity == entity).collect();
    touched.sort_by(|a, b| a.stamp.cmp(&b.stamp));
    touched
}

/// A value that lost a merge: set on another device by a change made without seeing it, so a
/// later stamp replaced it. History shows it beside the change that replaced it.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeNote {
    /// The field both changes set.
    pub field: String,
    /// The value that lost.
    pub lost: Value,
    /// Who set the value that lost.
    pub lost_actor: Option<UserId>,
    /// The device (clock node) that set it.
    pub lost_device: String,
}

/// For each change of one record's history (oldest first, as [`history`] gives it), the values
/// it replaced without having seen them: a field whose `old` is not what the previous change of
/// that field set was edited concurrently elsewhere, and the earlier value lost the merge.
///
/// Computed from the changes alone, so every device that holds the same changes shows the same
/// merges, whatever order they arrived in.
pub fn merge_notes(history: &[&Change]) -> Vec<Vec<MergeNote>> {
    let mut last: std::collections::HashMap<&str, &Change> = std::collections::HashMap::new();
    history
        .iter()
        .map(|change| {
            let mut notes = Vec::new();
            for f in &change.fields {
                if let Some(previous) = last.get(f.field.as_str()) {
                    let seen = previous.new_value(&f.field).unwrap_or(&Value::Null);
                    if *seen != f.old && *seen != f.new {
                        notes.push(MergeNote { field: f.field.clone(), lost: seen.clone(), lost_actor: previous.actor, lost_device: previous.stamp.node.clone() });
                    }
                }
                last.insert(f.field.as_str(), change);
            }
            notes
        })
        .collect()
}

/// Checks that a change from elsewhere (a server, another tab) can be applied to its kind of
/// record: it names known fields with values of the right shape. Says why not in plain words.
pub fn check_applicable(change: &Change) -> Result<(), ApplyError> {
    match change.kind {
        EntityKind::Task => apply::<Task>(None, change).map(drop),
        EntityKind::Customer => apply::<Customer>(None, change).map(drop),
        EntityKind::Config => apply::<crate::config::Config>(None, change).map(drop),
        EntityKind::Message => apply::<crate::conversation::Message>(None, change).map(drop),
    }
}

/// A value as a person reads it in history: text without quotes, lists comma-separated, empty as “—”.
pub fn display_value(value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "Yes".into(),
        Value::Bool(false) => "No".into(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.is_empty() => "—".into(),
        Value::Array(items) => items.iter().map(display_value).collect::<Vec<_>>().join(", "),
        Value::Object(_) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_own_field_name_is_found_at_its_place_and_nothing_else_is() {
        let known = known_fields();
        assert!(known.sorted.windows(2).all(|w| w[0] < w[1]), "places order as names do");
        for (place, name) in known.sorted.iter().enumerate() {
            assert_eq!(known_field(name), Some(place as u8), "{name}");
            assert_eq!(known_field_name(place as u8), *name);
        }
        // Same length, first and last letter as own fields, and other near misses.
        for other in ["sxxxxxt", "stbtus", "custom.tier", "", "s", "subjects", "Subject"] {
            assert_eq!(known_field(other), None, "{other}");
        }
    }

    fn blank_reads_as_default<R: Record + PartialEq + std::fmt::Debug>() {
        assert_eq!(serde_json::from_value::<R>(Value::Object(Map::new())).unwrap(), R::default(), "a blank {} reads as its default", R::NAME);
    }

    #[test]
    fn a_new_record_is_built_as_from_its_blank_default() {
        blank_reads_as_default::<Task>();
        blank_reads_as_default::<Customer>();
        blank_reads_as_default::<Config>();
        blank_reads_as_default::<Message>();
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 9, 0, 0).unwrap();
        for (n, task) in crate::demo::sample_tasks(60, 5, now).iter().enumerate() {
            let made = Change { stamp: Hlc { millis: 1_000 + n as u64, counter: 0, node: "AAAAA".into() }, actor: None, kind: EntityKind::Task, entity: task.id.0, fields: creation(task) };
            assert_eq!(apply::<Task>(None, &made).unwrap(), apply(Some(&Task::default()), &made).unwrap());
        }
    }

    #[test]
    fn a_new_record_read_straight_from_its_change_is_the_one_applied_through_json() {
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 9, 0, 0).unwrap();
        let task = &crate::demo::sample_tasks(1, 6, now)[0];
        let stamp = Hlc { millis: 5_000, counter: 2, node: "BBBBB".into() };
        let made = Change { stamp, actor: Some(crate::ids::UserId(Uuid::from_u128(7))), kind: EntityKind::Task, entity: task.id.0, fields: creation(task) };
        fn names(c: &Change) -> impl Iterator<Item = &str> {
            c.fields.iter().map(|f| f.field.as_str())
        }
        let straight: Task = fresh(&made, Stamps::all_at(names(&made), &made.stamp).unwrap()).unwrap();
        assert_eq!(straight, apply(Some(&Task::default()), &made).unwrap());
        assert_eq!(straight.modified_by, made.actor);
        let mut bad = made.clone();
        bad.fields.iter_mut().find(|f| f.field == "priority").unwrap().new = 42.into();
        assert!(matches!(fresh::<Task>(&bad, Stamps::default()), Err(ApplyError::BadValue { .. })), "a bad value is refused");
        assert!(matches!(apply::<Task>(Some(&Task::default()), &bad), Err(ApplyError::BadValue { .. })));
        // A field named twice keeps its first value, through the JSON object.
        let mut twice = made.clone();
        twice.fields.push(FieldChange { field: "subject".into(), old: Value::Null, new: "Named twice".into() });
        assert!(Stamps::all_at(names(&twice), &twice.stamp).is_none());
        assert_eq!(apply::<Task>(None, &twice).unwrap().subject, task.subject);
    }
}
