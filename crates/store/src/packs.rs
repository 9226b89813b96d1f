//! The packed copy of every task that a cold start reads: the stored tasks in a few large binary
//! values, plus which tasks were written since.
//!
//! The browser reads 100,000 small records in about 1.4 s and fifty large ones holding the same
//! text in about 0.2 s. The tasks store stays the truth, written change by change as before; the
//! packs are a copy of it as it stood at one write, and every write notes (in the meta store, in
//! the same transaction) which tasks it put. A cold start reads the packs, then those tasks one by
//! one over them, so what it shows is always what is stored. When too many tasks were written
//! since (or the copy cannot be read), it reads every task as before.
//!
//! A pack holds its tasks decoded and encoded again with `postcard`: a third of the JSON's size
//! and about a quarter of its decoding time, as the copy is only ever read by the build that
//! wrote it or one with the same layout ([`format`]); any other reads every task and packs again.
//!
//! Packing reads every task in one transaction and writes the packs in a second one, only if the
//! bookkeeping is the same copy's (the store was not emptied in between); tasks written between
//! the two stay listed as written since.

use crate::encode::{self, Envelope};
use crate::schema::{META, TASKS};
use serde::de::DeserializeSeed;
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
    /// The [`format`] the packs were written in (0: none, or packs of JSON text from before).
    #[serde(default)]
    pub format: u64,
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

    /// What to store before packing over `current` when it lists nothing (there is none yet, or
    /// the list was dropped): a list started afresh, with no readable copy until the packing lands.
    /// Tasks written while packing are then listed, so the copy it makes is readable at once
    /// (otherwise any write during packing, such as the live center's every second, leaves a
    /// copy nobody can read, and a cold start waits for the next packing).
    pub fn listing_before_packing(current: Option<PackRecord>) -> Option<PackRecord> {
        match current {
            Some(record) if record.since.is_some() => None,
            Some(record) => Some(PackRecord { packs: 0, since: Some(BTreeMap::new()), ..record }),
            None => Some(PackRecord::fresh()),
        }
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

    /// The tasks to read over the copy, when there is a copy this build can read.
    pub fn readable(&self) -> Option<&BTreeMap<TaskId, u64>> {
        self.since.as_ref().filter(|_| self.packs > 0 && self.format == format())
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
        Some(PackRecord { origin: now.origin.clone(), seq: now.seq, packs, format: format(), since })
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

/// Bumped whenever a task's binary layout changes; the layout test below fails until it is.
const LAYOUT: u64 = 1;

/// The packs' format in this build: its [`LAYOUT`] and every record's own field names (a stamp
/// keeps a field as its place among them), hashed. Packs written in another format are not read.
pub fn format() -> u64 {
    static FORMAT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *FORMAT.get_or_init(|| {
        // FNV-1a: stable across builds and Rust versions, which std's hasher does not promise.
        let bytes = LAYOUT.to_le_bytes().into_iter().chain(taskdesk_domain::change::own_fields().iter().flat_map(|name| name.bytes().chain([0])));
        bytes.fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
    })
}

/// Packs a page of stored task documents (`None` for a row without one): each readable task
/// binary, and for each that cannot be read, the description reading it alone would give, so a
/// cold start from the copy tells the person the same.
pub fn pack_docs<D: AsRef<str>>(docs: impl IntoIterator<Item = Option<D>>) -> Vec<u8> {
    let mut tasks: Vec<Task> = Vec::new();
    let mut damaged = Vec::new();
    for doc in docs {
        match encode::decode(TASKS, doc.as_ref().map(|d| d.as_ref())) {
            Ok(task) => tasks.push(task),
            Err(e) => damaged.push(e),
        }
    }
    // Tasks always encode; were one not to, the empty pack is one no cold start can read, and
    // it reads every task instead.
    postcard::to_allocvec(&(tasks, damaged)).unwrap_or_default()
}

/// Reads a pack's tasks onto the end of `tasks` and its descriptions of damaged ones onto
/// `damaged`; a pack that cannot be read is an error (the caller reads every task instead), and
/// leaves both as they were.
fn unpack_into(pack: &[u8], tasks: &mut Vec<Task>, damaged: &mut Vec<String>) -> Result<(), postcard::Error> {
    let before = tasks.len();
    let mut reader = postcard::Deserializer::from_bytes(pack);
    let read = AppendTo(tasks).deserialize(&mut reader).and_then(|()| Vec::<String>::deserialize(&mut reader)).and_then(|found| match reader.finalize()? {
        [] => Ok(found),
        _ => Err(postcard::Error::DeserializeBadEncoding),
    });
    match read {
        Ok(found) => {
            damaged.extend(found);
            Ok(())
        }
        Err(e) => {
            tasks.truncate(before);
            Err(e)
        }
    }
}

/// Decodes a list of tasks onto the end of a list already made: a cold start decodes fifty packs
/// into one list reserved up front, instead of growing a list per pack and then the whole.
struct AppendTo<'a>(&'a mut Vec<Task>);

impl<'de> DeserializeSeed<'de> for AppendTo<'_> {
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

/// Reads the copy: every pack, then the tasks written since (read one by one, `None` for one not
/// found) laid over them. `None` when a pack cannot be read: the caller reads every task.
pub fn read_copy<P: AsRef<[u8]>>(packs: impl IntoIterator<Item = P>, singly: &[Option<String>], damaged: &mut Vec<String>) -> Option<Vec<Task>> {
    let packs = packs.into_iter();
    let mut copy = CopyReader::new(packs.size_hint().0, singly.len());
    for pack in packs {
        copy.add(pack.as_ref()).ok()?;
    }
    Some(copy.finish(singly, damaged))
}

/// Reads the copy a pack at a time, as each arrives: a cold start decodes one pack while the
/// browser reads the next from disk, and pays for the slower of the two rather than both.
pub struct CopyReader {
    all: Vec<Task>,
    found: Vec<String>,
}

impl CopyReader {
    /// A reader for `packs` packs and `singly` tasks written since, with room reserved for them all.
    pub fn new(packs: usize, singly: usize) -> CopyReader {
        CopyReader { all: Vec::with_capacity(packs * TASKS_PER_PACK + singly), found: Vec::new() }
    }

    /// Adds one pack's tasks; an error when it cannot be read (then the copy must not be read).
    pub fn add(&mut self, pack: &[u8]) -> Result<(), postcard::Error> {
        unpack_into(pack, &mut self.all, &mut self.found)
    }

    /// The tasks of every pack added, with the tasks written since (read one by one, `None` for
    /// one not found) laid over them; the packs' descriptions of damaged tasks go to `damaged`.
    pub fn finish(self, singly: &[Option<String>], damaged: &mut Vec<String>) -> Vec<Task> {
        let CopyReader { mut all, found } = self;
        damaged.extend(found);
        // Only the few tasks written since are looked up, not the copy's 100,000.
        let later = encode::decode_all::<Task>(TASKS, singly.iter().map(Option::as_deref).filter(Option::is_some), damaged);
        let at: std::collections::HashMap<TaskId, usize> = later.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let mut later: Vec<Option<Task>> = later.into_iter().map(Some).collect();
        for task in &mut all {
            if let Some(newer) = at.get(&task.id).and_then(|&i| later[i].take()) {
                *task = newer;
            }
        }
        // Those the copy does not hold were created since.
        all.extend(later.into_iter().flatten());
        all
    }
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
    fn a_list_started_before_packing_makes_the_copy_readable_despite_writes_while_packing() {
        let mut dropped = PackRecord { packs: 2, ..PackRecord::fresh() };
        dropped.note_written((0..LIMIT as u128 + 1).map(id));
        // Before packing: a list from here, and the old copy no longer read.
        let listing = PackRecord::listing_before_packing(Some(dropped.clone())).unwrap();
        assert_eq!((listing.readable(), listing.seq, listing.origin == dropped.origin), (None, dropped.seq, true));
        // The live center writes while packing reads the tasks: that task is read over the copy.
        let mut meanwhile = listing.clone();
        meanwhile.note_written([id(9)].into_iter());
        let packed = PackRecord::packed(&listing, &meanwhile, 2).unwrap();
        assert_eq!(packed.readable().map(|s| s.keys().copied().collect::<Vec<_>>()), Some(vec![id(9)]));
        // A kept list is left as it is; no bookkeeping at all starts afresh.
        assert_eq!(PackRecord::listing_before_packing(Some(meanwhile)), None);
        assert_eq!(PackRecord::listing_before_packing(None).map(|r| (r.packs, r.since)), Some((0, Some(BTreeMap::new()))));
    }

    fn docs(tasks: &[Task]) -> Vec<Option<String>> {
        tasks.iter().map(|t| Some(serde_json::to_string(t).unwrap())).collect()
    }

    #[test]
    fn tasks_written_since_lay_over_the_copy_and_a_bad_pack_reads_nothing() {
        let mut tasks = taskdesk_domain::demo::sample_tasks(3, 2, chrono::Utc::now());
        let packs = [pack_docs(docs(&tasks))];
        tasks[1].subject = "Changed since".into();
        let mut new = taskdesk_domain::demo::sample_tasks(1, 3, chrono::Utc::now());
        let singly = vec![Some(serde_json::to_string(&tasks[1]).unwrap()), None, Some(serde_json::to_string(&new[0]).unwrap())];
        let read = read_copy(&packs, &singly, &mut Vec::new()).unwrap();
        tasks.append(&mut new);
        assert_eq!(read, tasks, "the changed task replaced, the new one added, the missing one skipped");
        let cut = &packs[0][..packs[0].len() / 2];
        assert_eq!(read_copy([packs[0].as_slice(), cut], &singly, &mut Vec::new()), None, "the caller then reads every task");
    }

    #[test]
    fn a_pack_that_cannot_be_read_adds_nothing() {
        let tasks = taskdesk_domain::demo::sample_tasks(4, 1, chrono::Utc::now());
        let pack = pack_docs(docs(&tasks));
        let mut longer = pack.clone();
        longer.push(0);
        for bad in [&pack[..pack.len() - 1], longer.as_slice(), b"[{\"id\": 1".as_slice(), &[]] {
            let (mut read, mut damaged) = (vec![Task::default()], vec![]);
            assert!(unpack_into(bad, &mut read, &mut damaged).is_err());
            assert_eq!((read.len(), damaged.len()), (1, 0));
        }
    }

    #[test]
    fn damaged_tasks_are_described_as_reading_them_alone_would() {
        let tasks = taskdesk_domain::demo::sample_tasks(4, 1, chrono::Utc::now());
        let mut stored = docs(&tasks);
        stored.insert(1, Some("{\"id\": 12}".into()));
        stored.insert(3, None);
        let mut damaged = Vec::new();
        let read = read_copy([pack_docs(stored.clone())], &[], &mut damaged).unwrap();
        assert_eq!(read, tasks);
        let mut alone = Vec::new();
        encode::decode_all::<Task>(TASKS, stored.iter().map(Option::as_deref), &mut alone);
        assert_eq!((damaged.len(), &damaged), (2, &alone));
    }

    #[test]
    fn packs_of_another_format_are_not_read() {
        // Bookkeeping from before binary packs has no format: the cold start reads every task,
        // and as that is more than a copy's worth, the app packs again.
        let old = PackRecord::read(Some(r#"{"origin":"a","seq":3,"packs":2,"since":{}}"#)).unwrap();
        assert_eq!((old.readable(), old.unpacked()), (None, usize::MAX));
        let repacked = PackRecord::packed(&old, &old, 2).unwrap();
        assert_eq!(repacked.readable().map(BTreeMap::len), Some(0));
        assert_eq!(PackRecord::read(Some(&encode::json(&repacked))), Some(repacked));
    }

    /// A task with every field set, among them custom values of every shape and stamps of a
    /// custom value (kept by name, not place).
    fn full_task() -> Task {
        use taskdesk_domain::{CustomerId, Hlc, UserId};
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T09:15:00.123Z").unwrap().to_utc();
        let user = UserId(uuid::Uuid::from_u128(7));
        let created = Hlc { millis: 4, counter: 0, node: "TABXX".into() };
        let mut task = Task {
            id: id(1),
            number: "1-1".into(),
            transaction_id: "TX-1".into(),
            channel: taskdesk_domain::Channel::Call,
            subject: "Refund".into(),
            description: "Parcel late, ünïcode".into(),
            priority: taskdesk_domain::Priority::High,
            skills: vec!["billing".into()],
            customer: Some(CustomerId(uuid::Uuid::from_u128(8))),
            assignee: Some(user),
            queue: Some("Support".into()),
            hashtags: vec!["#refund".into()],
            codes: vec!["RF-1".into()],
            custom: serde_json::from_str(r#"{"tier": "gold", "seats": 12, "ratio": 0.5, "vip": true, "none": null, "tags": ["a", {"b": [1]}]}"#).unwrap(),
            scheduled_at: Some(at),
            reminder_minutes: Some(15),
            reminded_for: Some(at),
            call_outcome: Some(taskdesk_domain::task::CallOutcome::NoAnswer),
            contact: Some("+44 20 7946 0000".into()),
            parent: Some(id(9)),
            parent_number: Some("1".into()),
            created_at: at,
            created_by: Some(user),
            offer: Some(taskdesk_domain::offers::Offer { agent: user, until: 99, why: Default::default() }),
            refused_by: vec![user],
            routed: true,
            modified: Hlc { millis: 6, counter: 0, node: "TABYY".into() },
            modified_by: Some(user),
            ..Task::default()
        };
        for field in ["channel", "subject", "created_at", "custom.tier"] {
            task.stamps.set(field, &created);
        }
        task.stamps.set("subject", &task.modified);
        task
    }

    #[test]
    fn every_field_reads_back_from_a_pack() {
        let task = full_task();
        assert_eq!(read_copy([pack_docs(docs(std::slice::from_ref(&task)))], &[], &mut Vec::new()), Some(vec![task]));
    }

    /// Packs are read only by builds of the same format, which names the layout by hand. When this
    /// fails, a task is encoded differently: bump `LAYOUT` (so packs written before are not misread),
    /// then update the bytes here.
    #[test]
    fn the_layout_is_the_one_its_format_names() {
        let pack = pack_docs(docs(&[full_task()]));
        let hex: String = pack.iter().map(|b| format!("{b:02x}")).collect();
        let expected = concat!(
            "01100000000000000000000000000000000103312d310454582d31000006526566756e641650617263656c206c617465",
            "2c20c3bc6ec3af636f64650002010762696c6c696e670110000000000000000000000000000000080110000000000000",
            "000000000000000000070107537570706f7274010723726566756e64010452462d31547b226e6f6e65223a6e756c6c2c",
            "22726174696f223a302e352c227365617473223a31322c2274616773223a5b2261222c7b2262223a5b315d7d5d2c2274",
            "696572223a22676f6c64222c22766970223a747275657d0118323032362d31312d33305430393a31353a30302e313233",
            "5a010f0118323032362d31312d33305430393a31353a30302e3132335a010101102b3434203230203739343620303030",
            "3001100000000000000000000000000000000901013118323032362d31312d33305430393a31353a30302e3132335a01",
            "100000000000000000000000000000000700011000000000000000000000000000000007630000000001100000000000",
            "000000000000000000000701000600055441425959011000000000000000000000000000000007020400055441425858",
            "060005544142595904000600000a00010b637573746f6d2e7469657200002b0100",
        );
        assert_eq!((LAYOUT, hex.as_str()), (1, expected));
    }
}
