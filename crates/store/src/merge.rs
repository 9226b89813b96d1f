//! How a batch of change records becomes stored records, shared by both stores.
//!
//! A store reads what [`needs`] asks for inside its write transaction (then the stamps
//! [`stamps_to_check`] names), and [`plan`] turns the
//! batch and those reads into the envelopes to put: each record is the per-field merge of what
//! was stored and the new changes (never a copy computed elsewhere), a change already stored is
//! skipped (applied at most once, by its stamp), and the outbox, device and sync bookkeeping
//! are written in the same transaction as the changes themselves.

use crate::encode::{self, Envelope};
use crate::packs::PackRecord;
use crate::schema::{CUSTOMERS, MESSAGES, META, TASKS};
use crate::{Batch, Origin, SyncRecord, Written, PROBLEMS_KEPT};
use std::collections::{BTreeMap, HashMap, HashSet};
use taskdesk_domain::change::{self, Record};
use taskdesk_domain::config::Config;
use taskdesk_domain::conversation::Message;
use taskdesk_domain::{Change, Customer, EntityKind, TaskId};

/// What a store must read before it can write a batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// Records the changes build: object store and key.
    pub records: Vec<(&'static str, String)>,
}

/// What the store found for [`Needs`], plus the sync bookkeeping (always read).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Stamps already in the change log.
    pub known: HashSet<String>,
    /// Stored documents of the records, by object store and key (absent ones left out).
    pub records: HashMap<(&'static str, String), String>,
    /// The stored sync record's document, if any.
    pub sync: Option<String>,
    /// The stored packs' bookkeeping, if any (see [`crate::packs`]).
    pub packs: Option<String>,
    /// The store was opened at a schema before 6, whose change log keeps one change a value.
    pub old_log: bool,
}

/// The reads a batch needs.
pub fn needs(batch: &Batch) -> Needs {
    let mut seen = HashSet::new();
    let records = batch.changes.iter().map(encode::place_of).filter(|p| seen.insert(p.clone())).collect();
    Needs { records }
}

/// From this many records of one store in a batch, the store first lists which keys are stored
/// between the batch's first and last (one request) and reads only those; below it, it reads each.
pub const LIST_FROM: usize = 16;

/// Keys of one store that a batch lists before reading its records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Object store.
    pub store: &'static str,
    /// Lowest key the batch needs.
    pub first: String,
    /// Highest key the batch needs.
    pub last: String,
    /// How many of its records the batch needs: the listing asks for one more, to tell a span
    /// holding only those from one crowded with others.
    pub wanted: usize,
}

/// The spans to list for `needs`: each store of which the batch needs [`LIST_FROM`] records or
/// more. A first sync or an import brings records not stored yet whose ids (time-ordered) sit
/// close together, so the listing finds none and the batch makes one read instead of a thousand.
pub fn spans(needs: &Needs) -> Vec<Span> {
    let mut by_store: BTreeMap<&'static str, Vec<&String>> = BTreeMap::new();
    for (store, key) in &needs.records {
        by_store.entry(store).or_default().push(key);
    }
    by_store
        .into_iter()
        .filter(|(_, keys)| keys.len() >= LIST_FROM)
        .filter_map(|(store, keys)| {
            let (first, last) = (keys.iter().min()?, keys.iter().max()?);
            Some(Span { store, first: (*first).clone(), last: (*last).clone(), wanted: keys.len() })
        })
        .collect()
}

/// The records to read once `listed[i]` holds the keys stored in `spans[i]` (at most
/// `wanted + 1`): in a span listed whole, only the records it holds; in one cut short, and in
/// stores not listed, every record.
pub fn reads(needs: &Needs, spans: &[Span], listed: &[Vec<String>]) -> Vec<(&'static str, String)> {
    let whole: HashMap<&str, HashSet<&String>> = spans.iter().zip(listed).filter(|(span, keys)| keys.len() <= span.wanted).map(|(span, keys)| (span.store, keys.iter().collect())).collect();
    needs.records.iter().filter(|(store, key)| whole.get(store).is_none_or(|stored| stored.contains(key))).cloned().collect()
}

/// The stamps (keys of the change log) to look up once the records are read, to know which
/// changes are stored already: only those of records that exist. A change is stored with the
/// record it builds, in one transaction, so a change to a record not stored yet is new. A first
/// sync or an import (every record new) then looks up none.
pub fn stamps_to_check(batch: &Batch, records: &HashMap<(&'static str, String), String>) -> Vec<String> {
    batch.changes.iter().filter(|c| records.contains_key(&encode::place_of(c))).map(|c| c.stamp.to_string()).collect()
}

/// Reads a stored sync record; a missing or unreadable one is a fresh start.
pub fn sync_record(doc: Option<&str>) -> SyncRecord {
    doc.and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default()
}

/// The envelopes that write `batch` over what was `found`, and what the write does.
pub fn plan(batch: &Batch, found: &Found) -> (Vec<Envelope>, Written) {
    let mut written = Written::default();
    let mut fresh: BTreeMap<&taskdesk_domain::Hlc, &Change> = BTreeMap::new();
    for c in &batch.changes {
        if found.known.is_empty() || !found.known.contains(&c.stamp.to_string()) {
            fresh.entry(&c.stamp).or_insert(c);
        }
    }
    let mut by_place: BTreeMap<(&'static str, String), Vec<&Change>> = BTreeMap::new();
    for c in fresh.values() {
        by_place.entry(encode::place_of(c)).or_default().push(c);
    }
    let mut puts = Vec::new();
    let mut stored: Vec<&Change> = Vec::new();
    for (place, changes) in by_place {
        let doc = found.records.get(&place).map(String::as_str);
        let (envelope, applied) = match place.0 {
            TASKS => fold(doc, &changes, change::apply_task, encode::task, &mut written.skipped),
            CUSTOMERS => fold(doc, &changes, change::apply::<Customer>, encode::customer, &mut written.skipped),
            MESSAGES => fold(doc, &changes, change::apply::<Message>, encode::message, &mut written.skipped),
            META => fold(doc, &changes, change::apply::<Config>, encode::config, &mut written.skipped),
            other => unreachable!("no record lives in {other}"),
        };
        puts.extend(envelope);
        stored.extend(applied);
    }
    stored.sort_by(|a, b| a.stamp.cmp(&b.stamp));
    let mut sync = sync_record(found.sync.as_deref());
    let before = sync.clone();
    match &batch.origin {
        Origin::Pulled { cursor, problems } => {
            sync.cursor = Some(cursor.clone());
            let mut all: Vec<String> = problems.iter().rev().cloned().collect();
            all.extend(written.skipped.iter().cloned());
            all.append(&mut sync.problems);
            all.truncate(PROBLEMS_KEPT);
            sync.problems = all;
        }
        local => {
            if *local == Origin::Person {
                sync.own_work = true;
            }
            if sync.target.is_some() {
                puts.extend(stored.iter().map(|c| encode::outbox_entry(c)));
            }
        }
    }
    // A task is put exactly when one of its changes applied.
    let tasks: Vec<TaskId> = stored.iter().filter(|c| c.kind == EntityKind::Task).map(|c| TaskId(c.entity)).collect();
    if !tasks.is_empty() {
        let mut record = PackRecord::read(found.packs.as_deref()).unwrap_or_else(PackRecord::fresh);
        record.note_written(tasks.into_iter());
        written.unpacked = record.unpacked();
        puts.push(record.envelope());
    }
    if found.old_log {
        puts.extend(stored.iter().map(|c| encode::change(c)));
    } else {
        puts.extend(encode::logged(&stored));
    }
    puts.extend(batch.device.iter().map(encode::device));
    if sync != before {
        puts.push(encode::sync(&sync));
    }
    written.new = stored.into_iter().cloned().collect();
    (puts, written)
}

/// What connecting to (or disconnecting from) a server does to the store, in one transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connecting {
    /// The sync record to keep: the new target, the cursor starting over.
    pub record: SyncRecord,
    /// Object stores to empty.
    pub emptied: Vec<&'static str>,
    /// Whether the meta store keeps only its device records (the workspace's settings go).
    pub meta_devices_only: bool,
    /// Whether every change of the log joins the outbox, so the server gets this device's work.
    pub refill_outbox: bool,
}

/// Plans [`crate::Store::connect`]: a new target starts from the server's beginning; taking the
/// server's workspace drops this device's records (its devices stay, so numbering goes on);
/// merging queues the whole log; disconnecting empties the outbox and keeps every record.
pub fn connecting(target: Option<crate::SyncTarget>, joining: crate::Joining, stored: &SyncRecord) -> Connecting {
    use crate::schema::{CHANGES, OUTBOX, REFUSED};
    let take = target.is_some() && joining == crate::Joining::TakeServers;
    let mut emptied = vec![OUTBOX, REFUSED];
    if take {
        emptied.extend([TASKS, CUSTOMERS, MESSAGES, CHANGES, crate::schema::CHANGE_LOG, crate::schema::PACKS, crate::schema::TASK_GROUPS]);
    }
    Connecting { refill_outbox: target.is_some() && !take, record: SyncRecord { target, cursor: None, own_work: stored.own_work && !take, problems: Vec::new() }, emptied, meta_devices_only: take }
}

/// How a change applies to a record of one kind (tasks' compiled in the domain crate, for speed).
type Apply<R> = fn(Option<&R>, &Change) -> Result<R, change::ApplyError>;

/// Applies a record's new changes, oldest first, onto its stored document. A stored document
/// that cannot be read is rebuilt from the changes; a change that does not fit is skipped and
/// described, and the others still land.
fn fold<'a, R: Record>(doc: Option<&str>, changes: &[&'a Change], apply: Apply<R>, envelope: fn(&R) -> Envelope, skipped: &mut Vec<String>) -> (Option<Envelope>, Vec<&'a Change>) {
    let mut record: Option<R> = doc.and_then(|d| serde_json::from_str(d).ok());
    let mut applied = Vec::new();
    for c in changes {
        match apply(record.as_ref(), c) {
            Ok(next) => {
                record = Some(next);
                applied.push(*c);
            }
            Err(e) => skipped.push(format!("A change to a {} (stamp {}) was skipped: {e}", R::NAME, c.stamp)),
        }
    }
    (if applied.is_empty() { None } else { record.as_ref().map(envelope) }, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SyncTarget;
    use taskdesk_domain::change::FieldChange;
    use taskdesk_domain::{EntityKind, Hlc};
    use uuid::Uuid;

    fn change(millis: u64, field: &str, new: &str) -> Change {
        Change {
            stamp: Hlc { millis, counter: 0, node: "AAAAA".into() },
            actor: None,
            kind: EntityKind::Task,
            entity: Uuid::from_u128(1),
            fields: vec![FieldChange { field: field.into(), old: serde_json::Value::Null, new: new.into() }],
        }
    }

    #[test]
    fn a_stale_write_merges_into_what_is_stored_field_by_field() {
        let created = change(1, "subject", "Old subject");
        let (puts, _) = plan(&Batch { changes: vec![created.clone()], ..Batch::default() }, &Found::default());
        let stored = puts.iter().find(|e| e.store == TASKS).unwrap().doc.clone();
        // Tab A renamed the task (stored); tab B, still showing the old subject, raises priority.
        let renamed = change(2, "subject", "New subject");
        let (puts, _) = plan(&Batch { changes: vec![renamed], ..Batch::default() }, &Found { records: [((TASKS, Uuid::from_u128(1).to_string()), stored)].into(), ..Found::default() });
        let stored = puts.iter().find(|e| e.store == TASKS).unwrap().doc.clone();
        let priority = change(3, "priority", "urgent");
        let (puts, written) = plan(&Batch { changes: vec![priority], ..Batch::default() }, &Found { records: [((TASKS, Uuid::from_u128(1).to_string()), stored)].into(), ..Found::default() });
        let task: taskdesk_domain::Task = serde_json::from_str(&puts.iter().find(|e| e.store == TASKS).unwrap().doc).unwrap();
        assert_eq!((task.subject.as_str(), task.priority), ("New subject", taskdesk_domain::Priority::Urgent));
        assert_eq!(written.new.len(), 1);
    }

    #[test]
    fn only_changes_to_stored_records_are_looked_up_in_the_log() {
        let (a, b) = (change(1, "subject", "A"), Change { entity: Uuid::from_u128(2), ..change(2, "subject", "B") });
        let batch = Batch { changes: vec![a.clone(), b], ..Batch::default() };
        assert!(stamps_to_check(&batch, &HashMap::new()).is_empty(), "nothing stored: every change is new");
        let stored = [((TASKS, Uuid::from_u128(1).to_string()), String::new())].into();
        assert_eq!(stamps_to_check(&batch, &stored), vec![a.stamp.to_string()]);
    }

    #[test]
    fn a_large_batch_lists_its_span_and_reads_only_the_records_stored_there() {
        let task = |n: u128| Change { entity: Uuid::from_u128(n), ..change(n as u64, "subject", "A") };
        let small = needs(&Batch { changes: (1..LIST_FROM as u128).map(task).collect(), ..Batch::default() });
        assert!(spans(&small).is_empty(), "a small batch reads each record");
        assert_eq!(reads(&small, &[], &[]), small.records);
        let batch = Batch { changes: (100..100 + LIST_FROM as u128 * 2).map(task).collect(), ..Batch::default() };
        let n = needs(&batch);
        let span = spans(&n);
        assert_eq!(span, vec![Span { store: TASKS, first: Uuid::from_u128(100).to_string(), last: Uuid::from_u128(131).to_string(), wanted: 32 }]);
        assert!(reads(&n, &span, &[vec![]]).is_empty(), "nothing stored in the span: nothing to read");
        let stored = vec![Uuid::from_u128(101).to_string(), Uuid::from_u128(5000).to_string()];
        assert_eq!(reads(&n, &span, &[stored]), vec![(TASKS, Uuid::from_u128(101).to_string())], "only what the span holds");
        let crowded: Vec<String> = (0..33).map(|k| Uuid::from_u128(100 + k).to_string()).collect();
        assert_eq!(reads(&n, &span, &[crowded]), n.records, "a listing cut short tells nothing: read every record");
    }

    #[test]
    fn a_writes_changes_are_logged_in_one_value_found_by_each_entity_and_stamp() {
        use crate::schema::{CHANGES, CHANGE_LOG};
        let later = change(2, "subject", "A");
        let earlier = Change { entity: Uuid::from_u128(2), ..change(1, "subject", "B") };
        let batch = Batch { changes: vec![later.clone(), earlier.clone()], ..Batch::default() };
        let (puts, _) = plan(&batch, &Found::default());
        let logged: Vec<&Envelope> = puts.iter().filter(|e| e.store == CHANGE_LOG).collect();
        assert_eq!((logged.len(), puts.iter().filter(|e| e.store == CHANGES).count()), (1, 0));
        assert_eq!(logged[0].key, earlier.stamp.to_string(), "keyed by its oldest stamp");
        assert_eq!(encode::logged_changes(CHANGE_LOG, Some(&logged[0].doc)).unwrap(), vec![earlier.clone(), later.clone()]);
        for (index, value) in [("entities", later.entity.to_string()), ("entities", earlier.entity.to_string()), ("stamps", later.stamp.to_string()), ("stamps", earlier.stamp.to_string())] {
            assert!(logged[0].indexes.contains(&(index, value.clone())), "not found by {index} {value}");
        }
        let (puts, _) = plan(&batch, &Found { old_log: true, ..Found::default() });
        assert_eq!((puts.iter().filter(|e| e.store == CHANGES).count(), puts.iter().filter(|e| e.store == CHANGE_LOG).count()), (2, 0), "a store at an older schema logs as it did");
    }

    #[test]
    fn known_and_repeated_changes_are_applied_once_and_bad_ones_skipped() {
        let a = change(1, "subject", "A");
        let bad = change(2, "no_such_field", "x");
        let batch = Batch { changes: vec![a.clone(), a.clone(), bad], ..Batch::default() };
        let (puts, written) = plan(&batch, &Found::default());
        assert_eq!(written.new, vec![a.clone()]);
        assert_eq!(written.skipped.len(), 1, "{:?}", written.skipped);
        assert_eq!(puts.iter().filter(|e| e.store == crate::schema::CHANGE_LOG).count(), 1);
        let (puts, written) = plan(&batch, &Found { known: [a.stamp.to_string()].into(), ..Found::default() });
        assert!(written.new.is_empty());
        assert!(puts.iter().all(|e| e.store != TASKS && e.store != crate::schema::CHANGE_LOG));
    }

    #[test]
    fn local_changes_join_the_outbox_only_while_connected_and_pulls_move_the_cursor() {
        let a = change(1, "subject", "A");
        let local = Batch { changes: vec![a.clone()], origin: Origin::Person, ..Batch::default() };
        let (puts, _) = plan(&local, &Found::default());
        assert!(puts.iter().all(|e| e.store != crate::schema::OUTBOX));
        let own: SyncRecord = serde_json::from_str(&puts.iter().find(|e| e.key == encode::SYNC_KEY).unwrap().doc).unwrap();
        assert!(own.own_work, "a person's change is this device's own work");
        let connected = SyncRecord { target: Some(SyncTarget { adapter: "couchdb".into(), ..SyncTarget::default() }), ..SyncRecord::default() };
        let found = Found { sync: Some(serde_json::to_string(&connected).unwrap()), ..Found::default() };
        let (puts, _) = plan(&local, &found);
        assert_eq!(puts.iter().filter(|e| e.store == crate::schema::OUTBOX).count(), 1);
        let pulled = Batch { changes: vec![a], origin: Origin::Pulled { cursor: "7".into(), problems: vec!["one bad document".into()] }, ..Batch::default() };
        let (puts, _) = plan(&pulled, &found);
        assert!(puts.iter().all(|e| e.store != crate::schema::OUTBOX), "pulled changes are not pushed back");
        let sync: SyncRecord = serde_json::from_str(&puts.iter().find(|e| e.key == encode::SYNC_KEY).unwrap().doc).unwrap();
        assert_eq!((sync.cursor.as_deref(), sync.problems.len()), (Some("7"), 1));
    }
}
