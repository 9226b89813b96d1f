//! Tasks a large write of new tasks stores a thousand to a value, as the truth: what a first sync
//! or an import writes.
//!
//! IndexedDB spends most of a large write on the values themselves: a value a task, with its
//! five index entries, made 10,000 new tasks cost about what Dexie's whole `bulkPut` does, and a
//! value per thousand tasks (found through multi-entry `ids` and `numbers` indexes) about 0.4 of
//! it. So when a write creates [`GROUP_FROM`] tasks or more, the new ones go into groups of
//! [`PER_GROUP`], each task's JSON document kept whole, in the order of the group's ids.
//!
//! A group is written once and never changed. A later change to one of its tasks is merged
//! into that task as read from the group and stored as a single task value, which from then on
//! is the task: every read takes a single value over a grouped one. Numbers stay unique across
//! both: IndexedDB keeps them unique among groups and among single values, and a write checks
//! the new tasks of one against the other (see [`numbers_of`]).
//!
//! The IndexedDB store alone groups tasks; the memory store keeps a value a task, and the
//! conformance suite holds both to the same answers.

use crate::encode::Envelope;
use crate::merge::Found;
use crate::packs::{PackRecord, PACKS_KEY};
use crate::schema::{META, TASKS};
use crate::Written;
use std::collections::HashSet;

/// From this many new tasks in one write, they are stored in groups.
pub const GROUP_FROM: usize = 200;

/// Tasks in one group at most.
pub const PER_GROUP: usize = 1_000;

/// The group's property listing its tasks' ids (indexed, multi-entry).
pub const IDS: &str = "ids";

/// The group's property listing its tasks' numbers (indexed, multi-entry, unique).
pub const NUMBERS: &str = "numbers";

/// The group's property holding its tasks' JSON documents, in the order of [`IDS`], as UTF-8
/// bytes, one line each (compact JSON has no line break). One value to copy, where a text per
/// task was a thousand conversions between wasm and JavaScript strings each way.
pub const DOCS: &str = "docs";

/// What a person is told of a stored group that cannot be read.
pub const UNREADABLE: &str = "a group of tasks in storage could not be read; its tasks are missing until they are synced again";

/// New tasks stored together, in key order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The tasks' envelopes, as they would be stored one by one.
    pub tasks: Vec<Envelope>,
}

impl Group {
    /// The group's key: its first task's id (a task is in one group at most, so it is unique).
    pub fn key(&self) -> &str {
        self.tasks.first().map_or("", |t| t.key.as_str())
    }

    /// The tasks' ids, in the group's order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.tasks.iter().map(|t| t.key.as_str())
    }

    /// The tasks' numbers (a task without one has none).
    pub fn numbers(&self) -> impl Iterator<Item = &str> {
        self.tasks.iter().filter_map(number_of)
    }
}

/// A task envelope's number, when it has one.
pub fn number_of(task: &Envelope) -> Option<&str> {
    task.indexes.iter().find(|(name, _)| *name == "number").map(|(_, n)| n.as_str())
}

impl Group {
    /// The tasks' documents as stored: UTF-8, one line each.
    pub fn docs(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.tasks.iter().map(|t| t.doc.len() + 1).sum());
        for (n, task) in self.tasks.iter().enumerate() {
            if n > 0 {
                bytes.push(b'\n');
            }
            bytes.extend_from_slice(task.doc.as_bytes());
        }
        bytes
    }
}

/// A stored group as read back: its tasks' ids and documents, in the same order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredGroup {
    ids: Vec<String>,
    text: String,
}

impl StoredGroup {
    /// Reads a group's ids and document bytes; `None` when they do not make a group (not UTF-8,
    /// or not one document per id).
    pub fn read(ids: Vec<String>, docs: Vec<u8>) -> Option<StoredGroup> {
        let text = String::from_utf8(docs).ok()?;
        (text.split('\n').count() == ids.len()).then_some(StoredGroup { ids, text })
    }

    /// Each task's id with its document.
    pub fn tasks(&self) -> impl Iterator<Item = (&str, &str)> {
        self.ids.iter().map(String::as_str).zip(self.text.split('\n'))
    }

    /// The document of task `id`, if the group holds it.
    pub fn member(&self, id: &str) -> Option<&str> {
        self.tasks().find(|(i, _)| *i == id).map(|(_, doc)| doc)
    }
}

/// Whether `put` stores a task that was not stored before the write.
pub fn is_new_task(put: &Envelope, found: &Found) -> bool {
    put.store == TASKS && !found.records.contains_key(&(TASKS, put.key.clone()))
}

/// Takes the new tasks out of `puts` into groups when there are enough of them; `puts` keeps
/// everything else, single task values included (tasks that were stored before).
pub fn split(puts: &mut Vec<Envelope>, found: &Found) -> Vec<Group> {
    let is_new = |e: &Envelope| is_new_task(e, found);
    if puts.iter().filter(|e| is_new(e)).count() < GROUP_FROM {
        return Vec::new();
    }
    let (mut new, kept): (Vec<Envelope>, Vec<Envelope>) = std::mem::take(puts).into_iter().partition(is_new);
    *puts = kept;
    new.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let mut groups = Vec::with_capacity(new.len().div_ceil(PER_GROUP));
    while !new.is_empty() {
        let rest = new.split_off(new.len().min(PER_GROUP));
        groups.push(Group { tasks: std::mem::replace(&mut new, rest) });
    }
    groups
}

/// The numbers of a write's new tasks, for checking against those stored the other way (single
/// values for grouped tasks, groups for new single ones); `None` when two of them share one,
/// which a multi-entry index would not catch within one group.
pub fn numbers_of<'a>(tasks: impl Iterator<Item = &'a Envelope>) -> Option<Vec<&'a str>> {
    let mut seen = HashSet::new();
    let numbers: Vec<&str> = tasks.filter_map(number_of).collect();
    numbers.iter().all(|n| seen.insert(*n)).then_some(numbers)
}

/// After grouping: the cold start's list of tasks written since the packed copy names single
/// values, so a write that grouped tasks drops it (the copy is read again once packed anew,
/// which the app does soon after, as for any large write).
pub fn unlist(puts: &mut [Envelope], written: &mut Written) {
    for e in puts.iter_mut().filter(|e| e.store == META && e.key == PACKS_KEY) {
        if let Some(mut record) = PackRecord::read(Some(&e.doc)) {
            record.since = None;
            written.unpacked = record.unpacked();
            *e = record.envelope();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode;
    use taskdesk_domain::Task;

    fn task(n: u128, number: &str) -> Envelope {
        encode::task(&Task { id: taskdesk_domain::TaskId(uuid::Uuid::from_u128(n)), number: number.into(), ..Task::default() })
    }

    #[test]
    fn a_large_write_groups_its_new_tasks_in_key_order_and_keeps_the_rest() {
        let mut found = Found::default();
        found.records.insert((TASKS, task(5, "").key), "{}".into());
        let mut puts: Vec<Envelope> = (0..2_500u128).rev().map(|n| task(n, &format!("T-{n}"))).collect();
        puts.push(Envelope { store: META, key: "sync".into(), indexes: vec![], doc: "{}".into() });
        let groups = split(&mut puts, &found);
        assert_eq!(groups.iter().map(|g| g.tasks.len()).collect::<Vec<_>>(), vec![1_000, 1_000, 499]);
        assert_eq!(puts.iter().map(|e| (e.store, e.key.clone())).collect::<Vec<_>>(), vec![(TASKS, task(5, "").key), (META, "sync".into())]);
        let ids: Vec<&str> = groups.iter().flat_map(Group::ids).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "groups hold their tasks in key order");
        assert_eq!(groups[0].key(), task(0, "").key);
    }

    #[test]
    fn a_small_write_groups_nothing() {
        let mut puts: Vec<Envelope> = (0..GROUP_FROM as u128 - 1).map(|n| task(n, "")).collect();
        assert!(split(&mut puts, &Found::default()).is_empty());
        assert_eq!(puts.len(), GROUP_FROM - 1);
    }

    #[test]
    fn numbers_shared_within_a_write_are_found() {
        let tasks = [task(1, "T-1"), task(2, ""), task(3, "T-3")];
        assert_eq!(numbers_of(tasks.iter()), Some(vec!["T-1", "T-3"]));
        let clash = [task(1, "T-1"), task(2, "T-1")];
        assert_eq!(numbers_of(clash.iter()), None);
    }

    #[test]
    fn grouping_drops_the_list_of_tasks_written_since_the_copy() {
        let mut record = PackRecord::fresh();
        record.packs = 2;
        record.format = crate::packs::format();
        let mut puts = vec![record.envelope()];
        let mut written = Written::default();
        unlist(&mut puts, &mut written);
        assert_eq!(PackRecord::read(Some(&puts[0].doc)).map(|r| r.since), Some(None));
        assert_eq!(written.unpacked, usize::MAX);
    }

    #[test]
    fn a_group_reads_back_each_task_by_its_id() {
        let mut task = Task { subject: "Line one\nline two".into(), ..Task::default() };
        let tasks: Vec<Envelope> = (1..=3u128)
            .map(|n| {
                task.id = taskdesk_domain::TaskId(uuid::Uuid::from_u128(n));
                encode::task(&task)
            })
            .collect();
        let group = Group { tasks: tasks.clone() };
        let stored = StoredGroup::read(group.ids().map(str::to_string).collect(), group.docs()).expect("a group reads back");
        assert_eq!(stored.tasks().map(|(id, doc)| (id.to_string(), doc.to_string())).collect::<Vec<_>>(), tasks.iter().map(|t| (t.key.clone(), t.doc.clone())).collect::<Vec<_>>());
        assert_eq!(stored.member(&tasks[1].key), Some(tasks[1].doc.as_str()));
        assert_eq!(stored.member("nobody"), None);
    }

    #[test]
    fn a_group_that_does_not_add_up_is_not_read() {
        assert_eq!(StoredGroup::read(vec!["a".into(), "b".into()], b"{}".to_vec()), None);
        assert_eq!(StoredGroup::read(vec!["a".into()], vec![0xff, 0xfe]), None);
    }
}
