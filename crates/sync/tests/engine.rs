//! The sync engine between devices and a server: faults that must lose nothing (O5), the
//! permission re-check of pulled changes, and convergence of any interleaving (O3).

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use taskdesk_domain::change::{self, merge_notes, Record};
use taskdesk_domain::config::Config;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::validate::{validate_task, TaskDraft};
use taskdesk_domain::workspace::Device as DeviceState;
use taskdesk_domain::{demo, Change, CustomerId, Hlc, Priority, Task, TaskId, TaskStatus, User, UserId, Workspace};
use taskdesk_store::memory::MemoryStore;
use taskdesk_store::{Batch, Joining, Origin, Refusal, Snapshot, Store, StoreError, SyncRecord, SyncTarget, Written};
use taskdesk_sync::couch::to_doc;
use taskdesk_sync::engine::{self, Observer};
use taskdesk_sync::memory::{MemoryAdapter, MemoryServer};
use taskdesk_sync::{Ack, Adapter, Pulled, SyncError};
use uuid::Uuid;

fn at(millis: u64) -> chrono::DateTime<Utc> {
    Utc.timestamp_millis_opt(1_795_000_000_000 + millis as i64).unwrap()
}

fn target() -> SyncTarget {
    SyncTarget { adapter: "memory".into(), ..SyncTarget::default() }
}

/// Applies pulled changes to what a device shows, as the app does.
struct Shows<'a>(&'a mut Workspace);

impl Observer for Shows<'_> {
    fn applied(&mut self, changes: &[Change]) {
        for c in changes {
            self.0.apply(c).unwrap();
        }
    }
}

/// A device: what the person sees (the workspace), what it stores, and its way to the server.
struct Device {
    ws: Workspace,
    store: MemoryStore,
    adapter: MemoryAdapter,
    me: User,
}

impl Device {
    fn new(server: &Rc<MemoryServer>, me: User, code: u64) -> Device {
        let store = MemoryStore::new();
        pollster::block_on(store.connect(Some(target()), Joining::MergeOwnWork)).unwrap();
        Device { ws: Workspace::new(DeviceState::new(DeviceCode::from_random(code))), store, adapter: MemoryAdapter { server: server.clone(), user: Some(me.id) }, me }
    }

    /// Makes a change as the person at this device and stores it.
    fn commit(&mut self, change: Change) {
        pollster::block_on(self.store.write(&Batch { changes: vec![change], origin: Origin::Person, device: Some(self.ws.device.clone()) })).unwrap();
    }

    fn create_tasks(&mut self, count: usize, now: u64) -> Vec<TaskId> {
        (0..count)
            .map(|n| {
                let draft = TaskDraft { subject: format!("Task {n}"), channel: "email".into(), priority: "normal".into(), ..TaskDraft::default() };
                let input = validate_task(&draft, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap();
                let c = self.ws.create_task(&self.me, input, at(now + n as u64)).unwrap();
                self.commit(c.clone());
                TaskId(c.entity)
            })
            .collect()
    }

    fn edit(&mut self, task: TaskId, how: u8, value: u32, now: u64) {
        let Some(before) = self.ws.task(task).cloned() else { return };
        let mut after = before.clone();
        match how % 4 {
            0 => after.subject = format!("Subject {value}"),
            1 => after.priority = Priority::ALL[value as usize % 4],
            2 => after.description = format!("Notes {value}"),
            _ => after.hashtags = vec![format!("#tag{}", value % 3)],
        }
        if let Some(c) = self.ws.edit_task(&self.me, &before, &after, at(now)).unwrap() {
            self.commit(c);
        }
    }

    fn push(&self) -> Result<engine::Report, SyncError> {
        pollster::block_on(engine::push_all(&self.adapter, &self.store, &mut ()))
    }

    fn pull(&mut self) -> Result<engine::Report, SyncError> {
        let config = self.ws.config.clone();
        pollster::block_on(engine::pull_all(&self.adapter, &self.store, &config, &mut Shows(&mut self.ws)))
    }

    fn sync(&mut self) {
        self.push().unwrap();
        self.pull().unwrap();
    }

    fn stored(&self) -> Snapshot {
        let mut snap = pollster::block_on(self.store.load()).unwrap();
        snap.tasks.sort_by_key(|t| t.id);
        snap
    }

    fn history(&self, task: TaskId) -> Vec<Change> {
        pollster::block_on(self.store.history(task.0)).unwrap()
    }

    fn waiting(&self) -> (usize, usize) {
        pollster::block_on(self.store.outbox_counts()).unwrap()
    }
}

fn people() -> (User, User, User) {
    let u = demo::users();
    (u[0].clone(), u[1].clone(), u[3].clone())
}

/// Two devices sharing tasks the first created and both pulled.
fn pair(count: usize) -> (Rc<MemoryServer>, Device, Device, Vec<TaskId>) {
    let server = MemoryServer::new();
    let (alex, bea, _) = people();
    let mut a = Device::new(&server, alex, 1);
    let mut b = Device::new(&server, bea, 2);
    let tasks = a.create_tasks(count, 0);
    a.sync();
    b.sync();
    (server, a, b, tasks)
}

/// An adapter whose `n`-th call (from 1) does its work on the server and then fails as if the
/// connection dropped before the answer arrived: the nastiest moment for losing or doubling.
struct DropsAnswer {
    inner: MemoryAdapter,
    calls: Cell<usize>,
    fail_at: usize,
}

impl Adapter for DropsAnswer {
    async fn push(&self, changes: &[Change]) -> Result<Vec<Ack>, SyncError> {
        self.calls.set(self.calls.get() + 1);
        let acks = self.inner.push(changes).await?;
        if self.calls.get() == self.fail_at {
            return Err(SyncError::Unreachable("the connection dropped".into()));
        }
        Ok(acks)
    }
    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Pulled, SyncError> {
        self.calls.set(self.calls.get() + 1);
        let page = self.inner.pull(cursor, limit).await?;
        if self.calls.get() == self.fail_at {
            return Err(SyncError::Unreachable("the connection dropped".into()));
        }
        Ok(page)
    }
}

#[test]
fn o5_a_connection_dropped_mid_push_and_mid_pull_loses_and_doubles_nothing() {
    let (server, mut a, mut b, tasks) = pair(3);
    for n in 0..2_500u32 {
        a.edit(tasks[n as usize % 3], 0, n, 100 + n as u64);
    }
    let (before, made) = (server.len(), a.waiting().0);
    assert!(made > 2 * engine::PUSH_BATCH, "enough for three pushes: {made}");
    let dropping = DropsAnswer { inner: a.adapter.clone(), calls: Cell::new(0), fail_at: 2 };
    let err = pollster::block_on(engine::push_all(&dropping, &a.store, &mut ())).unwrap_err();
    assert!(err.retryable(), "{err}");
    assert_eq!(a.waiting().0, made - engine::PUSH_BATCH, "the batch whose answer was lost stays in the outbox, the first left it");
    a.push().unwrap();
    assert_eq!(a.waiting(), (0, 0));
    assert_eq!(server.len(), before + made, "the replayed batch was stored once");
    let dropping = DropsAnswer { inner: b.adapter.clone(), calls: Cell::new(0), fail_at: 2 };
    let cursor = pollster::block_on(b.store.sync_record()).unwrap().cursor;
    let err = pollster::block_on(engine::pull_all(&dropping, &b.store, &Config::default(), &mut ())).unwrap_err();
    assert!(err.retryable());
    assert_ne!(pollster::block_on(b.store.sync_record()).unwrap().cursor, cursor, "the first page was stored with its cursor");
    b.pull().unwrap();
    // The pages stored before the failure were also applied in memory by the app; here, rebuild.
    assert_eq!(a.stored().tasks, b.stored().tasks);
    assert_eq!(b.history(tasks[0]).len(), a.history(tasks[0]).len());
}

#[test]
fn o5_an_expired_session_pauses_sync_keeps_every_change_and_resumes_after_sign_in() {
    let (server, mut a, _b, tasks) = pair(2);
    for n in 0..40 {
        a.edit(tasks[n % 2], 0, n as u32, 1_000 + n as u64);
    }
    server.expired.set(true);
    assert_eq!(a.push().unwrap_err(), SyncError::SignIn);
    assert!(!SyncError::SignIn.retryable(), "sync waits for the person, it does not hammer the server");
    assert_eq!(a.waiting(), (40, 0), "nothing was dropped");
    server.expired.set(false);
    assert_eq!(a.push().unwrap().pushed, 40);
    assert_eq!(a.waiting(), (0, 0));
}

#[test]
fn o5_a_server_that_restarts_loses_nothing_and_sync_resumes() {
    let (server, mut a, mut b, tasks) = pair(2);
    a.edit(tasks[0], 0, 7, 500);
    server.down.set(true);
    assert!(matches!(a.push(), Err(SyncError::Unreachable(_))));
    assert!(matches!(b.pull(), Err(SyncError::Unreachable(_))));
    server.down.set(false);
    a.sync();
    b.sync();
    assert_eq!(b.ws.task(tasks[0]).unwrap().subject, "Subject 7");
}

#[test]
fn o5_the_same_changes_pushed_twice_and_pulled_twice_apply_once() {
    let (server, mut a, b, tasks) = pair(2);
    a.edit(tasks[1], 1, 3, 600);
    let outbox = pollster::block_on(a.store.outbox(None, 100)).unwrap();
    for _ in 0..2 {
        assert_eq!(pollster::block_on(a.adapter.push(&outbox)).unwrap(), vec![Ack::Accepted; outbox.len()]);
    }
    let page = pollster::block_on(b.adapter.pull(None, 1_000)).unwrap();
    for round in 0..2 {
        let written = pollster::block_on(b.store.write(&Batch { changes: page.changes.clone(), origin: Origin::Pulled { cursor: page.cursor.clone(), problems: vec![] }, device: None })).unwrap();
        assert_eq!(written.new.len(), if round == 0 { 1 } else { 0 }, "round {round}");
    }
    assert_eq!(b.history(tasks[1]).len(), 2, "creation and one edit, once each");
    assert_eq!(server.changes().len(), 3);
}

#[test]
fn o5_a_malformed_document_is_reported_skipped_and_sync_goes_on() {
    let (server, mut a, mut b, tasks) = pair(1);
    server.insert_raw(serde_json::json!({ "_id": "change:broken", "type": "change", "kind": "spaceship" }));
    a.edit(tasks[0], 0, 9, 700);
    a.sync();
    let report = b.pull().unwrap();
    assert!(report.problems.iter().any(|p| p.contains("change:broken")), "{:?}", report.problems);
    assert_eq!(b.ws.task(tasks[0]).unwrap().subject, "Subject 9");
    assert!(pollster::block_on(b.store.sync_record()).unwrap().problems.iter().any(|p| p.contains("change:broken")), "kept for the sync panel");
}

#[test]
fn o3_a_pulled_change_its_author_was_not_allowed_to_make_is_reported_and_not_applied() {
    let (server, a, mut b, tasks) = pair(1);
    // An agent's delete that reached the server anyway (a server without validation).
    let forged = Change {
        stamp: Hlc { millis: 1_795_000_900_000, counter: 0, node: "FORGE".into() },
        actor: Some(a.me.id),
        kind: taskdesk_domain::EntityKind::Task,
        entity: tasks[0].0,
        fields: vec![taskdesk_domain::FieldChange { field: "deleted".into(), old: false.into(), new: true.into() }],
    };
    server.insert_raw(to_doc(&forged));
    let report = b.pull().unwrap();
    assert_eq!(report.applied, 0);
    assert_eq!(report.problems, vec!["A change to a task from device FORGE was not applied: Alex Novak is not allowed to delete records.".to_string()]);
    assert!(b.ws.task(tasks[0]).is_some() && b.stored().tasks.iter().all(|t| !t.deleted));
}

#[test]
fn o2_a_refused_change_is_kept_with_the_reason_until_someone_tries_again() {
    let (_server, mut a, _b, tasks) = pair(1);
    let (_, bea, _) = people();
    let before = a.ws.task(tasks[0]).unwrap().clone();
    let as_bea = a.ws.edit_task(&bea, &before, &Task { subject: "Pushed as Bea".into(), ..before.clone() }, at(800)).unwrap().unwrap();
    a.commit(as_bea.clone());
    let report = a.push().unwrap();
    assert_eq!(report.refused.len(), 1);
    assert_eq!(a.waiting(), (0, 1));
    let kept = pollster::block_on(a.store.refused()).unwrap();
    assert_eq!(kept[0].change, as_bea);
    assert!(kept[0].reason.contains("another person"), "{}", kept[0].reason);
    assert_eq!(a.push().unwrap().refused, Vec::<Refusal>::new(), "not retried by itself");
    pollster::block_on(a.store.retry_refused()).unwrap();
    assert_eq!(a.waiting(), (1, 0));
}

/// A store whose disk is full for pulled changes while `full` is set.
struct FullDisk {
    inner: MemoryStore,
    full: Cell<bool>,
}

impl Store for FullDisk {
    async fn write(&self, batch: &Batch) -> Result<Written, StoreError> {
        if self.full.get() && matches!(batch.origin, Origin::Pulled { .. }) {
            return Err(StoreError::QuotaExceeded);
        }
        self.inner.write(batch).await
    }
    async fn load(&self) -> Result<Snapshot, StoreError> {
        self.inner.load().await
    }
    async fn pack(&self) -> Result<Option<usize>, StoreError> {
        self.inner.pack().await
    }
    async fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        self.inner.task(id).await
    }
    async fn tasks_by_status(&self, status: TaskStatus) -> Result<Vec<Task>, StoreError> {
        self.inner.tasks_by_status(status).await
    }
    async fn tasks_by_assignee(&self, user: UserId) -> Result<Vec<Task>, StoreError> {
        self.inner.tasks_by_assignee(user).await
    }
    async fn tasks_by_customer(&self, customer: CustomerId) -> Result<Vec<Task>, StoreError> {
        self.inner.tasks_by_customer(customer).await
    }
    async fn task_by_number(&self, number: &str) -> Result<Option<Task>, StoreError> {
        self.inner.task_by_number(number).await
    }
    async fn tasks_modified_after(&self, stamp: &Hlc) -> Result<Vec<Task>, StoreError> {
        self.inner.tasks_modified_after(stamp).await
    }
    async fn history(&self, entity: Uuid) -> Result<Vec<Change>, StoreError> {
        self.inner.history(entity).await
    }
    async fn clear(&self) -> Result<(), StoreError> {
        self.inner.clear().await
    }
    async fn outbox(&self, after: Option<&Hlc>, limit: usize) -> Result<Vec<Change>, StoreError> {
        self.inner.outbox(after, limit).await
    }
    async fn outbox_counts(&self) -> Result<(usize, usize), StoreError> {
        self.inner.outbox_counts().await
    }
    async fn settle(&self, accepted: &[Hlc], refused: &[Refusal]) -> Result<(), StoreError> {
        self.inner.settle(accepted, refused).await
    }
    async fn refused(&self) -> Result<Vec<Refusal>, StoreError> {
        self.inner.refused().await
    }
    async fn retry_refused(&self) -> Result<(), StoreError> {
        self.inner.retry_refused().await
    }
    async fn sync_record(&self) -> Result<SyncRecord, StoreError> {
        self.inner.sync_record().await
    }
    async fn connect(&self, target: Option<SyncTarget>, joining: Joining) -> Result<(), StoreError> {
        self.inner.connect(target, joining).await
    }
}

#[test]
fn o5_a_full_disk_during_a_pull_moves_no_cursor_applies_nothing_and_resumes_when_there_is_room() {
    let (_server, mut a, b, tasks) = pair(2);
    a.edit(tasks[0], 0, 11, 900);
    a.edit(tasks[1], 2, 12, 901);
    a.sync();
    let disk = FullDisk { inner: b.store.clone(), full: Cell::new(true) };
    let cursor = pollster::block_on(disk.sync_record()).unwrap().cursor;
    let err = pollster::block_on(engine::pull_all(&b.adapter, &disk, &Config::default(), &mut ())).unwrap_err();
    assert_eq!(err, SyncError::Store(StoreError::QuotaExceeded));
    assert!(err.to_string().contains("out of storage space"), "said in plain words: {err}");
    assert_eq!(pollster::block_on(disk.sync_record()).unwrap().cursor, cursor, "the cursor did not move");
    assert_eq!(b.stored().tasks.iter().find(|t| t.id == tasks[0]).unwrap().subject, "Task 0", "nothing half-applied");
    disk.full.set(false);
    let report = pollster::block_on(engine::pull_all(&b.adapter, &disk, &Config::default(), &mut ())).unwrap();
    assert_eq!(report.applied, 2);
    assert_eq!(b.stored().tasks.iter().find(|t| t.id == tasks[0]).unwrap().subject, "Subject 11");
}

#[test]
fn o5_a_whole_offline_session_of_500_edits_reaches_the_server_and_a_second_device() {
    let (server, mut a, mut b, tasks) = pair(20);
    server.down.set(true);
    for n in 0..500u32 {
        a.edit(tasks[n as usize % 20], (n % 4) as u8, n, 10_000 + n as u64);
    }
    assert!(a.push().is_err());
    server.down.set(false);
    a.sync();
    b.sync();
    assert_eq!(a.waiting(), (0, 0));
    assert_eq!(a.stored().tasks, b.stored().tasks);
    let b_tasks: Vec<Task> = {
        let mut v: Vec<Task> = b.ws.tasks.values().cloned().collect();
        v.sort_by_key(|t| t.id);
        v
    };
    assert_eq!(b_tasks, b.stored().tasks, "what the second device shows is what it stores");
}

/// One step of a random session among three devices.
#[derive(Clone, Debug)]
enum Step {
    Edit { device: usize, task: usize, how: u8, value: u32, skew: u64 },
    Push(usize),
    Pull(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..3usize, 0..4usize, any::<u8>(), 0..6u32, 0..3u64).prop_map(|(device, task, how, value, skew)| Step::Edit { device, task, how, value, skew }),
        1 => (0..3usize).prop_map(Step::Push),
        1 => (0..3usize).prop_map(Step::Pull),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// O3: any interleaving of edits, pushes and pulls among three devices and a server ends,
    /// once everyone has synced, with the same records and the same History (merges included)
    /// on every device, and what each device shows is what it stores.
    #[test]
    fn o3_any_interleaving_converges_to_the_same_records_and_history(steps in proptest::collection::vec(step(), 1..60)) {
        let server = MemoryServer::new();
        let (alex, bea, sam) = people();
        let mut devices = vec![Device::new(&server, alex, 1), Device::new(&server, bea, 2), Device::new(&server, sam, 3)];
        let tasks = devices[0].create_tasks(4, 0);
        for d in devices.iter_mut() {
            d.sync();
        }
        let mut now = 100;
        for s in steps {
            now += 1;
            match s {
                // Devices' clocks disagree by up to a few milliseconds; the HLC orders anyway.
                Step::Edit { device, task, how, value, skew } => devices[device].edit(tasks[task], how, value, now + skew),
                Step::Push(d) => { devices[d].push().unwrap(); }
                Step::Pull(d) => { devices[d].pull().unwrap(); }
            }
        }
        for _ in 0..2 {
            for d in devices.iter_mut() {
                d.sync();
            }
        }
        let first = devices[0].stored();
        for d in &devices {
            prop_assert_eq!(&d.stored().tasks, &first.tasks);
            let mut shown: Vec<Task> = d.ws.tasks.values().cloned().collect();
            shown.sort_by_key(|t| t.id);
            prop_assert_eq!(&shown, &first.tasks);
            for t in &tasks {
                let history = d.history(*t);
                prop_assert_eq!(&history, &devices[0].history(*t));
                let refs: Vec<&Change> = history.iter().collect();
                // The stored record is exactly its changes folded field by field.
                let rebuilt = history.iter().fold(None::<Task>, |r, c| Some(change::apply(r.as_ref(), c).unwrap())).unwrap();
                prop_assert_eq!(Some(&rebuilt), first.tasks.iter().find(|x| x.uuid() == t.0));
                prop_assert_eq!(merge_notes(&refs).len(), history.len());
            }
        }
    }
}

#[test]
fn o3_concurrent_edits_of_different_fields_both_survive_and_the_loser_of_one_field_shows_in_history() {
    let (_server, mut a, mut b, tasks) = pair(1);
    let t = tasks[0];
    a.edit(t, 0, 1, 1_000);
    b.edit(t, 1, 3, 1_001);
    b.edit(t, 0, 2, 1_002);
    a.sync();
    b.sync();
    a.sync();
    let (ta, tb) = (a.ws.task(t).unwrap().clone(), b.ws.task(t).unwrap().clone());
    assert_eq!(ta, tb);
    assert_eq!((ta.subject.as_str(), ta.priority), ("Subject 2", Priority::Urgent), "the later subject wins, the priority survives");
    let history = a.history(t);
    let refs: Vec<&Change> = history.iter().collect();
    let notes = merge_notes(&refs);
    let merged: Vec<_> = notes.iter().flatten().collect();
    assert_eq!(merged.len(), 1, "{notes:?}");
    assert_eq!((merged[0].field.as_str(), &merged[0].lost), ("subject", &serde_json::Value::from("Subject 1")));
    assert_eq!(merged[0].lost_device, a.ws.device.code.to_string());
}
