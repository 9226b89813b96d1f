//! The packed copy of every task that a cold start reads: the stored tasks' documents joined into
//! a few large values, plus which tasks were written since.
//!
//! The browser reads 100,000 small records in about 1.4 s and fifty large ones holding the same
//! text in about 0.2 s. The tasks store stays the truth, written change by change as before; the
//! packs are a copy of it as it stood at one write, and every write notes (in the meta store, in
//! the same transaction) which tasks it put. A cold start reads the packs, then those tasks one by
//! one over them, so what it shows is always what is stored. When too many tasks were written
//! since (or the copy cannot be read), it reads every task as before.
//!
//! Packing reads every task in one transaction and writes the packs in a second one, only if the
//! bookkeeping is the same copy's (the store was not emptied in between); tasks written between
//! the two stay listed as written since.

use crate::encode::{self, Envelope};
use crate::schema::{META, PACKS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use taskdesk_domain::{Task, TaskId};

/// Key of the packs' bookkeeping in the meta store.
pub const PACKS_KEY: &str = "packs";

/// Tasks in one pack (about 3 MB of text).
pub const TASKS_PER_PACK: usize = 2_000;

/// Past this many tasks written since the copy, it is worth packing again.
pub const PACK_AT: usize = 500;

/// Past this many, the list is dropped and a cold start reads every task: the list is rewritten
/// with every write, so it must stay small.
const LIMIT: usize = 4_000;

/// The packs' bookkeeping.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackRecord {
    /// Tells this bookkeeping from any started after the store was emptied.
    pub origin: String,
    /// Writes that put tasks, counted.
    pub seq: u64,
    /// How many packs hold the copy (none yet: 0).
    pub packs: u32,
    /// The tasks written since the copy, each with the count of its latest write; `None` once
    /// there were too many to list.
    pub since: Option<BTreeMap<TaskId, u64>>,
}

impl PackRecord {
    /// Reads stored bookkeeping; unreadable bookkeeping counts as none (a cold start then reads
    /// every task, and the next packing starts it afresh).
    pub fn read(doc: Option<&str>) -> Option<PackRecord> {
        doc.and_then(|d| serde_json::from_str(d).ok())
    }

    /// Fresh bookkeeping: no copy, nothing written since.
    pub fn fresh() -> PackRecord {
        PackRecord { origin: uuid::Uuid::now_v7().to_string(), since: Some(BTreeMap::new()), ..PackRecord::default() }
    }

    /// Notes one more write putting `tasks`.
    pub fn note_written(&mut self, tasks: impl Iterator<Item = TaskId>) {
        self.seq += 1;
        if let Some(since) = &mut self.since {
            since.extend(tasks.map(|t| (t, self.seq)));
            if since.len() > LIMIT {
                self.since = None;
            }
        }
    }

    /// How many tasks a cold start would read one by one besides the copy (all of them, for
    /// all it knows, when there is no copy or the list was dropped).
    pub fn unpacked(&self) -> usize {
        self.readable().map_or(usize::MAX, BTreeMap::len)
    }

    /// The tasks to read over the copy, when there is a copy to read.
    pub fn readable(&self) -> Option<&BTreeMap<TaskId, u64>> {
        self.since.as_ref().filter(|_| self.packs > 0)
    }

    /// The bookkeeping after packing what was stored when `seen` was read into `packs` packs, given
    /// the bookkeeping `now` stored; `None` when the store was emptied in between (the packs would
    /// bring back tasks that are gone, so packing gives up). When the list had been dropped and
    /// tasks were written in between, nobody knows which: the copy is not readable (no packs), but
    /// the list starts afresh, so the next packing makes one that is.
    pub fn packed(seen: &PackRecord, now: &PackRecord, packs: u32) -> Option<PackRecord> {
        if seen.origin != now.origin || now.seq < seen.seq {
            return None;
        }
        let (packs, since) = match (&seen.since, &now.since) {
            (Some(_), Some(now_since)) => (packs, Some(now_since.iter().filter(|(_, seq)| **seq > seen.seq).map(|(t, seq)| (*t, *seq)).collect())),
            // Dropped after `seen`: more than the limit was written since.
            (Some(_), None) => (packs, None),
            (None, _) if now.seq == seen.seq => (packs, Some(BTreeMap::new())),
            (None, _) => (0, Some(BTreeMap::new())),
        };
        Some(PackRecord { origin: now.origin.clone(), seq: now.seq, packs, since })
    }

    /// The bookkeeping's envelope.
    pub fn envelope(&self) -> Envelope {
        Envelope { store: META, key: PACKS_KEY.into(), indexes: vec![], doc: encode::json(self) }
    }
}

/// Key of the pack numbered `n`, sorting in number order.
pub fn pack_key(n: u32) -> String {
    format!("{n:06}")
}

/// One pack's envelope.
pub fn pack(n: u32, doc: String) -> Envelope {
    Envelope { store: PACKS, key: pack_key(n), indexes: vec![], doc }
}

/// Joins stored task documents into packs, as the IndexedDB store does in the browser.
pub fn join<'a>(docs: impl Iterator<Item = &'a str>) -> Vec<String> {
    let docs: Vec<&str> = docs.collect();
    docs.chunks(TASKS_PER_PACK).map(|chunk| format!("[{}]", chunk.join(","))).collect()
}

/// Reads a pack's tasks onto the end of `tasks`; a damaged task is described and left out, a pack
/// that is not a list of documents at all is an error (the caller reads every task instead), and
/// leaves `tasks` as it was.
fn unpack_into(doc: &[u8], tasks: &mut Vec<Task>, damaged: &mut Vec<String>) -> Result<(), String> {
    // Read as text, as every stored document is: one decoder in the bundle, not two.
    let text = std::str::from_utf8(doc).map_err(|e| format!("a pack of tasks is not text ({e})"))?;
    // A pack of readable tasks decodes in one pass; one that is not is read again task by task,
    // so a damaged task is described and the others kept.
    let before = tasks.len();
    let mut reader = serde_json::Deserializer::from_str(text);
    if serde::de::DeserializeSeed::deserialize(AppendTo(tasks), &mut reader).and_then(|()| reader.end()).is_ok() {
        return Ok(());
    }
    tasks.truncate(before);
    let raw: Vec<&serde_json::value::RawValue> = serde_json::from_str(text).map_err(|e| format!("a pack of tasks could not be read ({e})"))?;
    tasks.extend(encode::decode_all(crate::schema::TASKS, raw.iter().map(|r| Some(r.get())), damaged));
    Ok(())
}

/// Decodes a list of tasks onto the end of a list already made: a cold start decodes fifty packs
/// into one list reserved up front, instead of growing a list per pack and then the whole.
struct AppendTo<'a>(&'a mut Vec<Task>);

impl<'de> serde::de::DeserializeSeed<'de> for AppendTo<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for AppendTo<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of tasks")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(task) = seq.next_element::<Task>()? {
            self.0.push(task);
        }
        Ok(())
    }
}

/// Reads the copy: every pack (its JSON as UTF-8 bytes), then the tasks written since (read one
/// by one, `None` for one not found) laid over them. `None` when a pack cannot be read: the
/// caller reads every task.
pub fn read_copy<P: AsRef<[u8]>>(packs: impl IntoIterator<Item = P>, singly: &[Option<String>], damaged: &mut Vec<String>) -> Option<Vec<Task>> {
    let packs = packs.into_iter();
    let mut found = Vec::new();
    let mut all = Vec::with_capacity(packs.size_hint().0 * TASKS_PER_PACK + singly.len());
    for pack in packs {
        unpack_into(pack.as_ref(), &mut all, &mut found).ok()?;
    }
    damaged.extend(found);
    // Only the few tasks written since are looked up, not the copy's 100,000.
    let later = encode::decode_all::<Task>(crate::schema::TASKS, singly.iter().map(Option::as_deref).filter(Option::is_some), damaged);
    let at: std::collections::HashMap<TaskId, usize> = later.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut later: Vec<Option<Task>> = later.into_iter().map(Some).collect();
    for task in &mut all {
        if let Some(newer) = at.get(&task.id).and_then(|&i| later[i].take()) {
            *task = newer;
        }
    }
    // Those the copy does not hold were created since.
    all.extend(later.into_iter().flatten());
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> TaskId {
        TaskId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn writes_between_reading_and_packing_stay_listed() {
        let mut record = PackRecord::fresh();
        record.note_written([id(1), id(2)].into_iter());
        let seen = record.clone();
        // Another write lands after packing read the tasks: task 2 again, and task 3.
        record.note_written([id(2), id(3)].into_iter());
        let packed = PackRecord::packed(&seen, &record, 1).unwrap();
        assert_eq!(packed.readable().unwrap().keys().copied().collect::<Vec<_>>(), vec![id(2), id(3)]);
        assert_eq!((packed.seq, packed.packs), (2, 1));
    }

    #[test]
    fn packing_gives_up_when_the_store_was_emptied_in_between() {
        let seen = PackRecord::fresh();
        let after_clear = PackRecord::fresh();
        assert_eq!(PackRecord::packed(&seen, &after_clear, 3), None);
    }

    #[test]
    fn too_many_writes_drop_the_list_and_the_copy_is_not_read() {
        let mut record = PackRecord { packs: 2, ..PackRecord::fresh() };
        record.note_written((0..LIMIT as u128 + 1).map(id));
        assert_eq!((record.readable(), record.unpacked()), (None, usize::MAX));
        // Packing what was stored before the list was dropped does not bring it back.
        let mut before = PackRecord { packs: 2, ..PackRecord::fresh() };
        let seen = before.clone();
        before.note_written((0..LIMIT as u128 + 1).map(id));
        assert_eq!(PackRecord::packed(&seen, &before, 2).unwrap().readable(), None);
        // Packing after it was dropped starts a fresh list.
        let repacked = PackRecord::packed(&before, &before, 2).unwrap();
        assert_eq!(repacked.readable().map(BTreeMap::len), Some(0));
        // Unless something was written while packing: then the copy cannot be read, but the list
        // starts afresh, and the next packing makes one that can.
        let mut meanwhile = before.clone();
        meanwhile.note_written([id(7)].into_iter());
        let restarted = PackRecord::packed(&before, &meanwhile, 2).unwrap();
        assert_eq!((restarted.readable(), restarted.since.as_ref().map(BTreeMap::len)), (None, Some(0)));
        let mut later = restarted.clone();
        later.note_written([id(8)].into_iter());
        let next = PackRecord::packed(&restarted, &later, 2).unwrap();
        assert_eq!(next.readable().map(|s| s.keys().copied().collect::<Vec<_>>()), Some(vec![id(8)]));
    }

    #[test]
    fn tasks_written_since_lay_over_the_copy_and_a_bad_pack_reads_nothing() {
        let mut tasks = taskdesk_domain::demo::sample_tasks(3, 2, chrono::Utc::now());
        let packs = join(tasks.iter().map(|t| serde_json::to_string(t).unwrap()).collect::<Vec<_>>().iter().map(String::as_str));
        tasks[1].subject = "Changed since".into();
        let mut new = taskdesk_domain::demo::sample_tasks(1, 3, chrono::Utc::now());
        let singly = vec![Some(serde_json::to_string(&tasks[1]).unwrap()), None, Some(serde_json::to_string(&new[0]).unwrap())];
        let read = read_copy(packs.iter().map(String::as_bytes), &singly, &mut Vec::new()).unwrap();
        tasks.append(&mut new);
        assert_eq!(read, tasks, "the changed task replaced, the new one added, the missing one skipped");
        let bad = [packs[0].as_bytes(), b"[{\"id\"".as_slice()];
        assert_eq!(read_copy(bad, &singly, &mut Vec::new()), None, "the caller then reads every task");
    }

    #[test]
    fn packs_read_back_and_damage_is_described() {
        let tasks = taskdesk_domain::demo::sample_tasks(4, 1, chrono::Utc::now());
        let docs: Vec<String> = tasks.iter().map(|t| serde_json::to_string(t).unwrap()).collect();
        let good = join(docs[..2].iter().map(String::as_str));
        // The damaged task sits after a good one in its pack: what the first pass decoded of that
        // pack is dropped before the pack is read task by task, so no task is read twice.
        let mut rest = docs[2..].to_vec();
        rest.insert(1, "{\"id\": 12}".into());
        let damaged_pack = join(rest.iter().map(String::as_str));
        let mut damaged = Vec::new();
        let read = read_copy([good[0].as_bytes(), damaged_pack[0].as_bytes()], &[], &mut damaged).unwrap();
        assert_eq!(read, tasks);
        assert_eq!(damaged.len(), 1);
        let mut none = Vec::new();
        assert!(unpack_into(b"[{\"id\": 1", &mut none, &mut damaged).is_err());
        assert!(none.is_empty());
    }
}
