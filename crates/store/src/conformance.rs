//! One conformance suite for every [`Store`]: run natively on memory and in headless Chromium on IndexedDB.

use crate::schema::LATEST;
use crate::{Batch, Joining, Origin, Refusal, Store, StoreError, StoreFactory, SyncTarget};
use chrono::{TimeZone, Utc};
use taskdesk_domain::change::{self, Change, EntityKind, FieldChange, Record};
use taskdesk_domain::config::Config;
use taskdesk_domain::conversation::Message;
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{Customer, CustomerId, Hlc, Priority, Task, TaskStatus};

type Outcome = Result<(), String>;

/// Calls `$each!` with the name of every check in the suite, so each store's test file lists
/// none of them (and none can be forgotten on one store).
#[macro_export]
macro_rules! each_conformance_check {
    ($each:ident) => {
        $each!(
            round_trip,
            thousands_in_one_transaction,
            index_queries,
            aborted_write_leaves_nothing,
            upgrade_keeps_every_record,
            clear_removes_everything,
            stale_writers_merge_per_field,
            changes_before_their_creation,
            replayed_changes_apply_once,
            large_batches_merge_into_what_is_stored,
            outbox_follows_the_change_log,
            taking_the_servers_workspace,
            a_failed_pull_keeps_the_cursor,
            the_packed_copy_reads_what_is_stored,
            the_packed_copy_never_brings_back_what_went,
            many_writes_after_packing_read_every_task,
            packing_while_another_tab_writes,
            large_writes_read_back_like_small_ones
        );
    };
}

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

fn tasks(count: usize, seed: u64) -> Vec<Task> {
    demo::sample_tasks(count, seed, Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())
}

fn stamp(millis: u64, node: &str) -> Hlc {
    Hlc { millis, counter: 0, node: node.into() }
}

/// The change that creates `record` as it stands, stamped at `millis`.
fn creation<R: Record>(record: &R, millis: u64) -> Change {
    Change { stamp: stamp(millis, "TEST1"), actor: None, kind: R::KIND, entity: record.uuid(), fields: change::creation(record) }
}

/// Creation changes for records, one millisecond apart from `from`.
fn creations<R: Record>(records: &[R], from: u64) -> Vec<Change> {
    records.iter().enumerate().map(|(i, r)| creation(r, from + i as u64)).collect()
}

/// Records as the store keeps them: built from their changes.
fn built<R: Record>(changes: &[Change]) -> Vec<R> {
    let mut out: Vec<R> = changes.iter().filter(|c| c.kind == R::KIND).map(|c| change::apply(None, c).expect("sample changes apply")).collect();
    out.sort_by_key(|r| r.uuid());
    out
}

/// Tasks as the merge of all their changes, in stamp order, sorted by id.
fn merged(mut changes: Vec<Change>) -> Result<Vec<Task>, String> {
    changes.sort_by(|a, b| a.stamp.cmp(&b.stamp));
    let mut tasks: std::collections::BTreeMap<uuid::Uuid, Task> = std::collections::BTreeMap::new();
    for c in &changes {
        let next = change::apply(tasks.get(&c.entity), c).map_err(|e| e.to_string())?;
        tasks.insert(c.entity, next);
    }
    Ok(sorted(tasks.into_values().collect()))
}

fn sorted<R: Record>(mut records: Vec<R>) -> Vec<R> {
    records.sort_by_key(|r| r.uuid());
    records
}

fn customer(n: u128) -> Customer {
    Customer { id: CustomerId(uuid::Uuid::from_u128(0xc000 + n)), name: format!("Customer {n}"), phones: vec![format!("+42077700{n:04}")], ..Customer::default() }
}

fn edit(task: &Task, millis: u64, node: &str, field: &str, old: serde_json::Value, new: serde_json::Value) -> Change {
    Change { stamp: stamp(millis, node), actor: None, kind: EntityKind::Task, entity: task.id.0, fields: vec![FieldChange { field: field.into(), old, new }] }
}

fn target() -> SyncTarget {
    SyncTarget { adapter: "couchdb".into(), address: "http://127.0.0.1:5984".into(), database: "taskdesk".into(), user: "alex".into() }
}

async fn fresh<F: StoreFactory>(f: &F, name: &str) -> Result<F::Store, String> {
    f.delete(name).await.map_err(|e| e.to_string())?;
    f.open(name, LATEST).await.map_err(|e| e.to_string())
}

async fn ok<T>(r: Result<T, StoreError>, what: &str) -> Result<T, String> {
    r.map_err(|e| format!("{what}: {e}"))
}

async fn write<S: Store>(s: &S, changes: Vec<Change>, origin: Origin) -> Result<crate::Written, String> {
    ok(s.write(&Batch { changes, origin, device: None }).await, "write").await
}

/// Everything written comes back equal: records built from their changes, devices, settings.
pub async fn round_trip<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-round-trip").await?;
    let sample = tasks(3, 1);
    let settings = Config { hashtag_required: true, ..Config::default() };
    let message = Message { id: uuid::Uuid::from_u128(0x3e55), task: sample[0].id, text: "Where is my parcel?".into(), html: Some("<p>Where?</p>".into()), ..Message::default() };
    let mut changes = creations(&sample, 10);
    changes.extend(creations(&[customer(1), customer(2)], 20));
    changes.push(creation(&settings, 30));
    changes.push(creation(&message, 31));
    let device = Device::new(DeviceCode::from_random(7));
    let written = ok(s.write(&Batch { changes: changes.clone(), device: Some(device.clone()), origin: Origin::App }).await, "write").await?;
    ensure!(written.new.len() == changes.len() && written.skipped.is_empty(), "the write stored {} of {} changes ({:?})", written.new.len(), changes.len(), written.skipped);
    let snap = ok(s.load().await, "load").await?;
    ensure!(sorted(snap.tasks) == built::<Task>(&changes), "tasks differ after a round trip");
    ensure!(sorted(snap.customers) == built::<Customer>(&changes), "customers differ after a round trip");
    ensure!(snap.messages == built::<Message>(&changes), "messages differ after a round trip");
    ensure!(snap.config.as_ref().is_some_and(|c| c.hashtag_required), "workspace settings were not built from their change");
    ensure!(snap.devices == vec![device], "device state differs after a round trip");
    ensure!(snap.damaged.is_empty(), "records reported damaged: {:?}", snap.damaged);
    let one = ok(s.task(sample[1].id).await, "get").await?;
    ensure!(one.as_ref().map(|t| &t.subject) == Some(&sample[1].subject), "get by id returned {one:?}");
    Ok(())
}

/// Thousands of records in one transaction.
pub async fn thousands_in_one_transaction<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-bulk").await?;
    let changes = creations(&tasks(5_000, 2), 1);
    write(&s, changes.clone(), Origin::App).await?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.tasks.len() == 5_000, "expected 5000 tasks, loaded {}", snap.tasks.len());
    ensure!(sorted(snap.tasks) == built::<Task>(&changes), "bulk tasks differ after loading");
    Ok(())
}

/// Every index answers its query, and a changed record moves in the indexes.
pub async fn index_queries<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-indexes").await?;
    let sample = tasks(200, 3);
    let mut changes = creations(&sample, 1_000);
    changes.extend(sample.iter().take(3).enumerate().map(|(i, t)| edit(t, 2_000 + i as u64, "TEST1", "description", "".into(), "noted".into())));
    write(&s, changes.clone(), Origin::App).await?;
    let all = built::<Task>(&changes[..200]);
    let all: Vec<Task> = all
        .into_iter()
        .map(|t| {
            let id = t.id.0;
            changes[200..].iter().filter(|c| c.entity == id).fold(t, |t, c| change::apply(Some(&t), c).unwrap())
        })
        .collect();
    let ids = |v: &[Task]| {
        let mut ids: Vec<_> = v.iter().map(|t| t.id).collect();
        ids.sort();
        ids
    };
    for status in TaskStatus::ALL {
        let want: Vec<Task> = all.iter().filter(|t| t.status == status).cloned().collect();
        let got = ok(s.tasks_by_status(status).await, "by status").await?;
        ensure!(ids(&got) == ids(&want), "status {status:?}: {} tasks, expected {}", got.len(), want.len());
    }
    let agent = all.iter().find_map(|t| t.assignee).ok_or("no assigned task in sample")?;
    let got = ok(s.tasks_by_assignee(agent).await, "by assignee").await?;
    let want: Vec<Task> = all.iter().filter(|t| t.assignee == Some(agent)).cloned().collect();
    ensure!(ids(&got) == ids(&want), "assignee index returned {} tasks, expected {}", got.len(), want.len());
    let cust = all.iter().find_map(|t| t.customer).ok_or("sample task has no customer")?;
    let got = ok(s.tasks_by_customer(cust).await, "by customer").await?;
    let want: Vec<Task> = all.iter().filter(|t| t.customer == Some(cust)).cloned().collect();
    ensure!(ids(&got) == ids(&want), "customer index returned {} tasks, expected {}", got.len(), want.len());
    let by_number = ok(s.task_by_number(&sample[17].number).await, "by number").await?;
    ensure!(by_number.as_ref().map(|t| t.id) == Some(sample[17].id), "number index did not find task 17");
    ensure!(ok(s.task_by_number("NOPE-1").await, "by number").await?.is_none(), "found a task for an unknown number");
    let mut by_modified = all.clone();
    by_modified.sort_by(|a, b| a.modified.cmp(&b.modified));
    let after = ok(s.tasks_modified_after(&by_modified[190].modified).await, "modified after").await?;
    ensure!(after.len() == 9, "expected the 9 tasks changed after the 191st, got {}", after.len());
    ensure!(after.windows(2).all(|w| w[0].modified <= w[1].modified), "modified-after is not oldest first");
    let history = ok(s.history(sample[0].id.0).await, "history").await?;
    ensure!(history.len() == 2 && history[0].stamp < history[1].stamp, "history of task 0 should be its 2 changes in order, got {}", history.len());
    let target = if all[0].status == TaskStatus::Resolved { TaskStatus::Open } else { TaskStatus::Resolved };
    let moved = edit(&sample[0], 3_000, "TEST1", "status", all[0].status.key().into(), target.key().into());
    write(&s, vec![moved], Origin::App).await?;
    let in_new = ok(s.tasks_by_status(target).await, "by status").await?;
    ensure!(in_new.iter().filter(|t| t.id == sample[0].id).count() == 1, "changed task not found once under its new status");
    let everything = ok(s.load().await, "load").await?;
    ensure!(everything.tasks.len() == 200, "changing a task changed the count to {}", everything.tasks.len());
    Ok(())
}

/// A write that fails part-way leaves nothing of itself behind.
pub async fn aborted_write_leaves_nothing<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-abort").await?;
    let sample = tasks(3, 4);
    write(&s, vec![creation(&sample[0], 1)], Origin::App).await?;
    let mut clash = sample[2].clone();
    clash.number = sample[0].number.clone();
    let bad = vec![creation(&sample[1], 2), creation(&clash, 3), creation(&customer(9), 4)];
    match s.write(&Batch { changes: bad, ..Batch::default() }).await {
        Err(StoreError::Constraint(_)) => {}
        other => return Err(format!("a duplicate task number should be refused, got {other:?}")),
    }
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.tasks.len() == 1 && snap.tasks[0].id == sample[0].id, "the failed write left {} tasks behind", snap.tasks.len());
    ensure!(snap.customers.is_empty(), "the failed write left a customer behind");
    ensure!(ok(s.history(sample[1].id.0).await, "history").await?.is_empty(), "the failed write left a change behind");
    Ok(())
}

/// Opening the previous schema's data with this build keeps every record.
pub async fn upgrade_keeps_every_record<F: StoreFactory>(f: &F) -> Outcome {
    let name = "conf-upgrade";
    f.delete(name).await.map_err(|e| e.to_string())?;
    let old = ok(f.open(name, LATEST - 1).await, "open previous version").await?;
    let sample = tasks(300, 5);
    let mut changes = creations(&sample, 1);
    changes.push(creation(&customer(1), 900));
    let device = Device::new(DeviceCode::from_random(3));
    ok(old.connect(Some(target()), Joining::MergeOwnWork).await, "connect at previous version").await?;
    ok(old.write(&Batch { changes: changes.clone(), device: Some(device.clone()), origin: Origin::App }).await, "write at previous version").await?;
    ensure!(ok(old.pack().await, "pack at previous version").await? == Some(300), "packing at the previous version");
    f.close(old);
    let new = ok(f.open(name, LATEST).await, "open latest").await?;
    let snap = ok(new.load().await, "load after upgrade").await?;
    ensure!(sorted(snap.tasks) == built::<Task>(&changes), "tasks differ after the upgrade");
    ensure!(snap.customers == vec![built::<Customer>(&changes).remove(0)] && snap.devices == vec![device], "customers or device differ after the upgrade");
    ensure!(ok(new.history(sample[0].id.0).await, "history").await?.len() == 1, "the change log lost a change in the upgrade");
    ensure!(ok(new.outbox_counts().await, "outbox").await?.0 == changes.len(), "the outbox lost changes in the upgrade");
    let by_status = ok(new.tasks_by_status(sample[0].status).await, "index after upgrade").await?;
    ensure!(by_status.iter().any(|t| t.id == sample[0].id), "indexes lost records in the upgrade");
    ensure!(ok(new.pack().await, "pack after upgrade").await? == Some(300), "packing the upgraded tasks");
    let snap = ok(new.load().await, "load from the packed copy").await?;
    ensure!(snap.read_singly == 0 && sorted(snap.tasks) == built::<Task>(&changes), "the packed copy differs from the upgraded tasks");
    // The change log before the upgrade (a change a value) and after (a write a value) read as one.
    let again = ok(new.write(&Batch { changes: changes.clone(), ..Batch::default() }).await, "write the same changes again").await?;
    ensure!(again.new.is_empty(), "{} changes logged before the upgrade were applied again", again.new.len());
    let renamed = edit(&sample[0], 5_000, "TEST2", "subject", serde_json::json!(sample[0].subject), serde_json::json!("Renamed after the upgrade"));
    ok(new.write(&Batch { changes: vec![renamed.clone()], ..Batch::default() }).await, "write after the upgrade").await?;
    let history = ok(new.history(sample[0].id.0).await, "history across the upgrade").await?;
    ensure!(history.len() == 2 && history[0].stamp == changes[0].stamp && history[1] == renamed, "history across the upgrade: {history:?}");
    f.close(new);
    match f.open(name, LATEST - 1).await {
        Err(StoreError::TooNew { .. }) => Ok(()),
        Err(e) => Err(format!("opening newer data with an older schema should say so plainly, got {e}")),
        Ok(_) => Err("opening newer data with an older schema should fail".into()),
    }
}

/// Clearing removes everything.
pub async fn clear_removes_everything<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-clear").await?;
    let mut changes = creations(&tasks(10, 6), 1);
    changes.push(creation(&customer(1), 50));
    ok(s.write(&Batch { changes, device: Some(Device::new(DeviceCode::from_random(1))), origin: Origin::App }).await, "write").await?;
    ok(s.clear().await, "clear").await?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.tasks.is_empty() && snap.customers.is_empty() && snap.devices.is_empty(), "clear left records behind");
    Ok(())
}

/// O4: a writer holding a stale copy never overwrites a field someone else set later, whatever
/// order the changes arrive in: the stored record is the per-field merge of its changes.
pub async fn stale_writers_merge_per_field<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-merge").await?;
    let task = tasks(1, 7).remove(0);
    write(&s, vec![creation(&task, 1)], Origin::App).await?;
    // Tab A sets the subject; tab B, still showing the old subject, raises the priority.
    let subject = edit(&task, 10, "TABAA", "subject", task.subject.clone().into(), "Subject from tab A".into());
    let priority = edit(&task, 11, "TABBB", "priority", task.priority.key().into(), "urgent".into());
    write(&s, vec![subject.clone()], Origin::Person).await?;
    write(&s, vec![priority.clone()], Origin::Person).await?;
    let stored = ok(s.task(task.id).await, "read").await?.ok_or("the task is gone")?;
    ensure!(stored.subject == "Subject from tab A" && stored.priority == Priority::Urgent, "a stale write lost a field: subject “{}”, priority {:?}", stored.subject, stored.priority);
    // The same field set on two devices: the later stamp wins even when it arrives first.
    let later = edit(&task, 30, "DEVCC", "subject", "Subject from tab A".into(), "Later subject".into());
    let earlier = edit(&task, 20, "DEVDD", "subject", "Subject from tab A".into(), "Earlier subject".into());
    write(&s, vec![later], Origin::Pulled { cursor: "1".into(), problems: vec![] }).await?;
    write(&s, vec![earlier], Origin::Pulled { cursor: "2".into(), problems: vec![] }).await?;
    let stored = ok(s.task(task.id).await, "read").await?.ok_or("the task is gone")?;
    ensure!(stored.subject == "Later subject", "the earlier change overwrote the later one: “{}”", stored.subject);
    ensure!(ok(s.history(task.id.0).await, "history").await?.len() == 5, "history should hold all five changes");
    Ok(())
}

/// Changes that arrive before their task's creation (a pull cut between them, a write of a task
/// the device no longer holds) make records without a number; several of them store side by
/// side, and each takes its number when its creation lands.
pub async fn changes_before_their_creation<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-early").await?;
    let sample = tasks(3, 11);
    let early: Vec<Change> = sample.iter().enumerate().map(|(i, t)| edit(t, 50 + i as u64, "DEVEE", "subject", "".into(), format!("Early {i}").into())).collect();
    write(&s, early, Origin::Pulled { cursor: "3".into(), problems: vec![] }).await?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(
        snap.tasks.len() == 3 && snap.tasks.iter().all(|t| t.number.is_empty()),
        "three tasks without a number should be stored, found {:?}",
        snap.tasks.iter().map(|t| &t.number).collect::<Vec<_>>()
    );
    ensure!(ok(s.task_by_number("").await, "by number").await?.is_none(), "a task without a number was found by the empty number");
    write(&s, creations(&sample, 1), Origin::Pulled { cursor: "6".into(), problems: vec![] }).await?;
    for (i, t) in sample.iter().enumerate() {
        let stored = ok(s.task_by_number(&t.number).await, "by number").await?.ok_or(format!("task {} is not found by its number", t.number))?;
        ensure!(stored.id == t.id && stored.subject == format!("Early {i}"), "the later subject should stay over the creation's: “{}”", stored.subject);
    }
    Ok(())
}

/// O5: the same changes written twice (a retried push, a repeated pull) are stored once.
pub async fn replayed_changes_apply_once<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-replay").await?;
    let sample = tasks(20, 8);
    let changes = creations(&sample, 1);
    let first = write(&s, changes.clone(), Origin::Pulled { cursor: "20".into(), problems: vec![] }).await?;
    let again = write(&s, changes.iter().chain(changes.iter()).cloned().collect(), Origin::Pulled { cursor: "40".into(), problems: vec![] }).await?;
    ensure!(first.new.len() == 20 && again.new.is_empty(), "replays were applied again: {} then {}", first.new.len(), again.new.len());
    ensure!(ok(s.history(sample[3].id.0).await, "history").await?.len() == 1, "a replayed change shows twice in history");
    ensure!(ok(s.sync_record().await, "sync record").await?.cursor.as_deref() == Some("40"), "the cursor did not move with the pull");
    Ok(())
}

/// A batch large enough to list its span of keys before reading (see `merge::spans`) still merges
/// into every stored record it touches: in a span crowded with records it does not touch, and in
/// one holding records not stored yet; replayed, it applies nothing again.
pub async fn large_batches_merge_into_what_is_stored<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-large-batches").await?;
    let sample = tasks(60, 11);
    let stored = creations(&sample[..40], 1);
    write(&s, stored.clone(), Origin::App).await?;
    let renamed = |t: &Task, millis: u64| edit(t, millis, "TEST2", "subject", serde_json::json!(t.subject), serde_json::json!(format!("Renamed at {millis}")));
    // Every other stored task: twenty records in a span of thirty-nine stored.
    let crowded: Vec<Change> = sample[..40].iter().step_by(2).enumerate().map(|(i, t)| renamed(t, 1_000 + i as u64)).collect();
    // The last ten stored and twenty new: a span holding only records the batch touches.
    let mut mixed: Vec<Change> = sample[30..40].iter().enumerate().map(|(i, t)| renamed(t, 2_000 + i as u64)).collect();
    mixed.extend(creations(&sample[40..], 3_000));
    let first = write(&s, crowded.clone(), Origin::App).await?;
    let second = write(&s, mixed.clone(), Origin::App).await?;
    ensure!(first.new.len() == 20 && second.new.len() == 30, "applied {} and {} changes, expected 20 and 30", first.new.len(), second.new.len());
    let expected = merged(stored.into_iter().chain(crowded).chain(mixed.clone()).collect())?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(sorted(snap.tasks) == expected, "the stored tasks are not the merge of their changes");
    ensure!(ok(s.history(sample[30].id.0).await, "history").await?.len() == 3, "task 31's creation and two renames are not all in its history");
    let again = write(&s, mixed, Origin::App).await?;
    ensure!(again.new.is_empty(), "{} changes of a large batch applied again", again.new.len());
    Ok(())
}

/// O2: while connected, every local change joins the outbox in its own transaction; the
/// server's answer empties it or keeps the refusal with its reason; a refusal can be retried.
pub async fn outbox_follows_the_change_log<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-outbox").await?;
    let sample = tasks(5, 9);
    write(&s, creations(&sample[..2], 1), Origin::App).await?;
    ensure!(ok(s.outbox_counts().await, "counts").await? == (0, 0), "without a server nothing waits");
    ok(s.connect(Some(target()), Joining::MergeOwnWork).await, "connect").await?;
    ensure!(ok(s.outbox_counts().await, "counts").await? == (2, 0), "connecting should queue the two earlier changes");
    write(&s, creations(&sample[2..], 10), Origin::Person).await?;
    let waiting = ok(s.outbox(None, 10).await, "outbox").await?;
    ensure!(waiting.len() == 5 && waiting.windows(2).all(|w| w[0].stamp < w[1].stamp), "the outbox should list five changes oldest first");
    ensure!(ok(s.outbox(None, 2).await, "outbox").await?.len() == 2, "the outbox ignores its limit");
    let rest = ok(s.outbox(Some(&waiting[1].stamp), 10).await, "outbox").await?;
    ensure!(rest == waiting[2..].to_vec(), "the outbox after a stamp should list the three later changes");
    let refusal = Refusal { change: waiting[4].clone(), reason: "forbidden: Alex Novak is not allowed to delete records".into() };
    ok(s.settle(&[waiting[0].stamp.clone(), waiting[1].stamp.clone()], std::slice::from_ref(&refusal)).await, "settle").await?;
    ensure!(ok(s.outbox_counts().await, "counts").await? == (2, 1), "settling should leave two waiting and one refused");
    ensure!(ok(s.refused().await, "refused").await? == vec![refusal], "the refusal was not kept with its reason");
    ok(s.retry_refused().await, "retry").await?;
    ensure!(ok(s.outbox_counts().await, "counts").await? == (3, 0), "retrying should put the refused change back");
    ensure!(ok(s.sync_record().await, "sync").await?.own_work, "a person's change should count as own work");
    ok(s.connect(None, Joining::MergeOwnWork).await, "disconnect").await?;
    ensure!(ok(s.outbox_counts().await, "counts").await? == (0, 0), "disconnecting should empty the outbox");
    ensure!(ok(s.load().await, "load").await?.tasks.len() == 5, "disconnecting lost records");
    Ok(())
}

/// An untouched device takes the server's workspace: its records and log go, its devices stay.
pub async fn taking_the_servers_workspace<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-take").await?;
    let device = Device::new(DeviceCode::from_random(11));
    ok(s.write(&Batch { changes: creations(&tasks(4, 10), 1), device: Some(device.clone()), origin: Origin::App }).await, "write").await?;
    ok(s.connect(Some(target()), Joining::TakeServers).await, "connect").await?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.tasks.is_empty() && snap.config.is_none(), "the device's own records should be gone");
    ensure!(snap.devices == vec![device], "the device's numbering should stay");
    let sync = ok(s.sync_record().await, "sync").await?;
    ensure!(sync.target == Some(target()) && sync.cursor.is_none() && !sync.own_work, "the sync record should start over: {sync:?}");
    ensure!(ok(s.outbox_counts().await, "counts").await? == (0, 0), "nothing should wait for the server");
    Ok(())
}

/// A pull that cannot be stored (here a duplicate task number; in a browser also a full disk)
/// leaves the cursor where it was and nothing of itself behind.
pub async fn a_failed_pull_keeps_the_cursor<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-pull-fail").await?;
    let sample = tasks(3, 12);
    write(&s, vec![creation(&sample[0], 1)], Origin::Pulled { cursor: "1".into(), problems: vec![] }).await?;
    let mut clash = sample[2].clone();
    clash.number = sample[0].number.clone();
    let failing = Batch { changes: vec![creation(&sample[1], 2), creation(&clash, 3)], origin: Origin::Pulled { cursor: "3".into(), problems: vec![] }, device: None };
    ensure!(s.write(&failing).await.is_err(), "the clashing pull should fail");
    ensure!(ok(s.sync_record().await, "sync").await?.cursor.as_deref() == Some("1"), "the cursor moved past changes that were not stored");
    ensure!(ok(s.load().await, "load").await?.tasks.len() == 1, "the failed pull left records behind");
    Ok(())
}

/// Every task as stored, read from the tasks store through its status index (not from the
/// packed copy): what a cold start must show.
async fn stored_tasks<S: Store>(s: &S) -> Result<Vec<Task>, String> {
    let mut out = Vec::new();
    for status in TaskStatus::ALL {
        out.extend(ok(s.tasks_by_status(status).await, "tasks by status").await?);
    }
    Ok(sorted(out))
}

/// A cold start from the packed copy (three packs) shows exactly what is stored, also after
/// packed tasks change and new ones arrive, and a store packed again reads nothing one by one.
pub async fn the_packed_copy_reads_what_is_stored<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-packs").await?;
    let sample = tasks(5_000, 13);
    let first = write(&s, creations(&sample, 1), Origin::App).await?;
    ensure!(first.unpacked == usize::MAX, "with no copy yet, a cold start reads every task; the write says {}", first.unpacked);
    ensure!(ok(s.load().await, "load").await?.read_singly == 5_000, "with no copy yet, every task is read one by one");
    ensure!(ok(s.pack().await, "pack").await? == Some(5_000), "packing should copy every task");
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.read_singly == 0 && snap.damaged.is_empty(), "read {} tasks one by one after packing ({:?})", snap.read_singly, snap.damaged);
    ensure!(sorted(snap.tasks) == built::<Task>(&creations(&sample, 1)), "the packed copy differs from what was stored");
    // A packed task changes twice, another once, and new tasks arrive.
    let later = tasks(3, 14);
    let mut changes = vec![
        edit(&sample[10], 20_000, "TABAA", "subject", sample[10].subject.clone().into(), "Changed after packing".into()),
        edit(&sample[10], 20_001, "TABAA", "priority", sample[10].priority.key().into(), "urgent".into()),
        edit(&sample[4_321], 20_002, "TABBB", "status", sample[4_321].status.key().into(), "resolved".into()),
    ];
    changes.extend(creations(&later, 30_000));
    let written = write(&s, changes, Origin::Person).await?;
    ensure!(written.unpacked == 5, "five tasks were written since packing, the write says {}", written.unpacked);
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.read_singly == 5, "expected five tasks read one by one, read {}", snap.read_singly);
    let stored = stored_tasks(&s).await?;
    ensure!(stored.len() == 5_003 && sorted(snap.tasks) == stored, "the cold start differs from what is stored");
    ensure!(ok(s.pack().await, "pack again").await? == Some(5_003), "packing again should copy every task");
    ensure!(ok(s.load().await, "load").await?.read_singly == 0, "a fresh copy needs no task read one by one");
    Ok(())
}

/// Emptying the store (a demo reset, taking a server's workspace) empties the copy with it: the
/// packs never bring back tasks that went, and packing after that copies only what is stored.
pub async fn the_packed_copy_never_brings_back_what_went<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-packs-gone").await?;
    write(&s, creations(&tasks(50, 15), 1), Origin::App).await?;
    ok(s.pack().await, "pack").await?;
    ok(s.clear().await, "clear").await?;
    ensure!(ok(s.load().await, "load").await?.tasks.is_empty(), "a cleared store showed packed tasks");
    let fresh_tasks = tasks(2, 16);
    write(&s, creations(&fresh_tasks, 100), Origin::App).await?;
    ensure!(ok(s.load().await, "load").await?.tasks.len() == 2, "after clearing, only the new tasks");
    ok(s.pack().await, "pack").await?;
    ok(s.connect(Some(target()), Joining::TakeServers).await, "connect").await?;
    ensure!(ok(s.load().await, "load").await?.tasks.is_empty(), "taking the server's workspace left packed tasks");
    ensure!(ok(s.pack().await, "pack").await?.is_none(), "packing an empty store makes no copy");
    ensure!(ok(s.load().await, "load").await?.tasks.is_empty(), "packing an empty store brought tasks back");
    Ok(())
}

/// When more tasks change after packing than the copy lists, a cold start reads every task, and
/// still shows what is stored.
pub async fn many_writes_after_packing_read_every_task<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-packs-many").await?;
    let sample = tasks(100, 17);
    write(&s, creations(&sample, 1), Origin::App).await?;
    ok(s.pack().await, "pack").await?;
    let more = tasks(4_500, 18);
    write(&s, creations(&more, 1_000), Origin::App).await?;
    let edited = edit(&sample[0], 50_000, "TABAA", "subject", sample[0].subject.clone().into(), "Changed last".into());
    write(&s, vec![edited], Origin::Person).await?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.read_singly == 4_600, "every task should be read one by one, read {}", snap.read_singly);
    ensure!(snap.tasks.iter().find(|t| t.id == sample[0].id).is_some_and(|t| t.subject == "Changed last"), "the latest change is missing");
    let stored = stored_tasks(&s).await?;
    ensure!(sorted(snap.tasks) == stored, "the cold start differs from what is stored");
    Ok(())
}

/// Packing while another tab writes (its write lands between packing's read and its write):
/// every cold start after shows what is stored, each round's edits included, and reads from the
/// copy, even the first, packed when the 4,500 tasks written had dropped the list.
pub async fn packing_while_another_tab_writes<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-packs-race").await?;
    let sample = tasks(4_500, 19);
    write(&s, creations(&sample, 1), Origin::App).await?;
    for round in 0..3u64 {
        let edits: Vec<Change> = (0..5)
            .map(|i| {
                let t = &sample[(round as usize * 1_000 + i * 311) % sample.len()];
                edit(t, 10_000 + round * 10 + i as u64, "TABBB", "subject", t.subject.clone().into(), format!("Round {round} edit {i}").into())
            })
            .collect();
        let (packed, written) = futures::future::join(s.pack(), write(&s, edits, Origin::Person)).await;
        ok(packed, "pack").await?;
        written?;
        let snap = ok(s.load().await, "load").await?;
        let stored = stored_tasks(&s).await?;
        ensure!(sorted(snap.tasks) == stored, "round {round}: the cold start differs from what is stored (read {} one by one)", snap.read_singly);
        ensure!(snap.read_singly <= 5, "round {round}: the copy should be read, with at most the edits one by one; read {}", snap.read_singly);
        ensure!(stored.iter().filter(|t| t.subject.starts_with(&format!("Round {round} "))).count() == 5, "round {round}: the edits were not stored");
    }
    Ok(())
}

/// A large write of new tasks (a first sync, an import; IndexedDB stores them many to a value,
/// see `groups`) reads back like any other: a later change to one of them wins wherever it is
/// read, replays apply nothing, numbers stay unique between them and tasks written one by one
/// (both ways, and within the large write), and packing copies them all.
pub async fn large_writes_read_back_like_small_ones<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-large-writes").await?;
    let single = tasks(2, 21);
    let sample = tasks(1_500, 22);
    let mut all = creations(&single, 1);
    write(&s, all.clone(), Origin::App).await?;
    let created = creations(&sample, 100);
    let first = write(&s, created.clone(), Origin::Pulled { cursor: "1500".into(), problems: vec![] }).await?;
    ensure!(first.new.len() == 1_500, "the large write stored {} of 1500 changes", first.new.len());
    let (renamed, moved) = (&sample[700], &sample[701]);
    let target = if moved.status == TaskStatus::Resolved { TaskStatus::Open } else { TaskStatus::Resolved };
    let later = vec![
        edit(renamed, 10_000, "TEST2", "subject", renamed.subject.clone().into(), "Changed after the large write".into()),
        edit(moved, 10_001, "TEST2", "status", moved.status.key().into(), target.key().into()),
    ];
    write(&s, later.clone(), Origin::Person).await?;
    all.extend(created.iter().cloned().chain(later.iter().cloned()));
    let expected = merged(all)?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(sorted(snap.tasks) == expected && snap.damaged.is_empty(), "the cold start is not the merge of every change ({:?})", snap.damaged);
    ensure!(stored_tasks(&s).await? == expected, "the status queries are not the merge of every change");
    let one = ok(s.task(renamed.id).await, "get").await?;
    ensure!(one.is_some_and(|t| t.subject == "Changed after the large write"), "reading the renamed task by id did not show its later change");
    let untouched = ok(s.task(sample[5].id).await, "get").await?;
    ensure!(untouched.as_ref() == expected.iter().find(|t| t.id == sample[5].id), "reading an untouched task by id differs");
    let by_number = ok(s.task_by_number(&moved.number).await, "by number").await?;
    ensure!(by_number.is_some_and(|t| t.id == moved.id && t.status == target), "the moved task is not found by its number with its new status");
    ensure!(ok(s.tasks_by_status(target).await, "by status").await?.iter().filter(|t| t.id == moved.id).count() == 1, "the moved task is not listed once under its new status");
    ensure!(!ok(s.tasks_by_status(moved.status).await, "by status").await?.iter().any(|t| t.id == moved.id), "the moved task is still listed under its old status");
    let after = ok(s.tasks_modified_after(&stamp(9_999, "TEST2")).await, "modified after").await?;
    ensure!(after.iter().map(|t| t.id).collect::<Vec<_>>() == vec![renamed.id, moved.id], "modified after the large write: {} tasks", after.len());
    ensure!(ok(s.history(renamed.id.0).await, "history").await?.len() == 2, "the renamed task's history lacks a change");
    let again = write(&s, created.iter().chain(later.iter()).cloned().collect(), Origin::App).await?;
    ensure!(again.new.is_empty(), "{} changes applied again on a replay", again.new.len());
    // Numbers: a new task numbered like a grouped one, a large write numbered like a single one,
    // and a large write numbering two of its own alike are each refused whole.
    let extra = tasks(300, 23);
    let mut like_grouped = extra[0].clone();
    like_grouped.number = sample[3].number.clone();
    let mut like_single = extra.clone();
    like_single[150].number = single[0].number.clone();
    let mut twice = extra.clone();
    twice[299].number = twice[0].number.clone();
    for (what, clashing) in [("a new task", vec![like_grouped]), ("a large write", like_single), ("a large write with a number twice", twice)] {
        match s.write(&Batch { changes: creations(&clashing, 20_000), ..Batch::default() }).await {
            Err(StoreError::Constraint(_)) => {}
            other => return Err(format!("{what} sharing a task number should be refused, got {other:?}")),
        }
    }
    ensure!(stored_tasks(&s).await? == expected, "a refused write left something behind");
    ensure!(ok(s.pack().await, "pack").await? == Some(1_502), "packing should copy every task");
    let snap = ok(s.load().await, "load from the copy").await?;
    ensure!(snap.read_singly == 0 && sorted(snap.tasks) == expected, "the packed copy differs from what is stored");
    Ok(())
}
