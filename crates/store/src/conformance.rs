//! One conformance suite for every [`Store`]: run natively on memory and in headless Chromium on IndexedDB.

use crate::schema::LATEST;
use crate::{Batch, Store, StoreError, StoreFactory};
use chrono::{TimeZone, Utc};
use taskdesk_domain::change::{Change, EntityKind, FieldChange};
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::config::Config;
use taskdesk_domain::conversation::Message;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{Customer, CustomerId, Hlc, Task, TaskStatus};

type Outcome = Result<(), String>;

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

fn sorted(mut t: Vec<Task>) -> Vec<Task> {
    t.sort_by_key(|t| t.id);
    t
}

fn customer(n: u128) -> Customer {
    Customer { id: CustomerId(uuid::Uuid::from_u128(0xc000 + n)), name: format!("Customer {n}"), phones: vec![format!("+42077700{n:04}")], ..Customer::default() }
}

fn change_for(task: &Task, millis: u64) -> Change {
    Change {
        stamp: Hlc { millis, counter: 0, node: "TEST1".into() },
        actor: None,
        kind: EntityKind::Task,
        entity: task.id.0,
        fields: vec![FieldChange { field: "subject".into(), old: "a".into(), new: "b".into() }],
    }
}

async fn fresh<F: StoreFactory>(f: &F, name: &str) -> Result<F::Store, String> {
    f.delete(name).await.map_err(|e| e.to_string())?;
    f.open(name, LATEST).await.map_err(|e| e.to_string())
}

async fn ok<T>(r: Result<T, StoreError>, what: &str) -> Result<T, String> {
    r.map_err(|e| format!("{what}: {e}"))
}

/// Everything written comes back equal.
pub async fn round_trip<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-round-trip").await?;
    let batch = Batch {
        tasks: tasks(3, 1),
        customers: vec![customer(1), customer(2)],
        changes: vec![],
        device: Some(Device::new(DeviceCode::from_random(7))),
        config: Some(Config { hashtag_required: true, ..Config::default() }),
        messages: vec![Message { id: uuid::Uuid::from_u128(0x3e55), text: "Where is my parcel?".into(), html: Some("<p>Where?</p>".into()), ..Message::default() }],
    };
    ok(s.write(&batch).await, "write").await?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.messages == batch.messages, "messages differ after a round trip");
    ensure!(sorted(snap.tasks) == sorted(batch.tasks.clone()), "tasks differ after a round trip");
    let mut customers = snap.customers;
    customers.sort_by_key(|c| c.id);
    ensure!(customers == batch.customers, "customers differ after a round trip");
    ensure!(snap.device == batch.device, "device state differs after a round trip");
    ensure!(snap.config == batch.config, "workspace settings differ after a round trip");
    ensure!(snap.damaged.is_empty(), "records reported damaged: {:?}", snap.damaged);
    let one = ok(s.task(batch.tasks[1].id).await, "get").await?;
    ensure!(one.as_ref() == Some(&batch.tasks[1]), "get by id returned {one:?}");
    Ok(())
}

/// Thousands of records in one transaction.
pub async fn thousands_in_one_transaction<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-bulk").await?;
    let many = tasks(5_000, 2);
    ok(s.write(&Batch { tasks: many.clone(), ..Batch::default() }).await, "bulk write").await?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.tasks.len() == 5_000, "expected 5000 tasks, loaded {}", snap.tasks.len());
    ensure!(sorted(snap.tasks) == sorted(many), "bulk tasks differ after loading");
    Ok(())
}

/// Every index answers its query, and a replaced record moves in the indexes.
pub async fn index_queries<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-indexes").await?;
    let all = tasks(200, 3);
    let changes: Vec<Change> = all.iter().take(3).enumerate().map(|(i, t)| change_for(t, 10 + i as u64)).chain([change_for(&all[0], 99)]).collect();
    ok(s.write(&Batch { tasks: all.clone(), changes: changes.clone(), ..Batch::default() }).await, "write").await?;
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
    let cust = all[5].customer.ok_or("sample task has no customer")?;
    let got = ok(s.tasks_by_customer(cust).await, "by customer").await?;
    let want: Vec<Task> = all.iter().filter(|t| t.customer == Some(cust)).cloned().collect();
    ensure!(ids(&got) == ids(&want), "customer index returned {} tasks, expected {}", got.len(), want.len());
    let by_number = ok(s.task_by_number(&all[17].number).await, "by number").await?;
    ensure!(by_number.as_ref().map(|t| t.id) == Some(all[17].id), "number index did not find task 17");
    ensure!(ok(s.task_by_number("NOPE-1").await, "by number").await?.is_none(), "found a task for an unknown number");
    let newest = &all[190].modified;
    let after = ok(s.tasks_modified_after(newest).await, "modified after").await?;
    ensure!(after.len() == 9, "expected the 9 tasks changed after task 190, got {}", after.len());
    ensure!(after.windows(2).all(|w| w[0].modified <= w[1].modified), "modified-after is not oldest first");
    let history = ok(s.history(all[0].id.0).await, "history").await?;
    ensure!(history.len() == 2 && history[0].stamp < history[1].stamp, "history of task 0 should be its 2 changes in order, got {}", history.len());
    let mut moved = all[0].clone();
    moved.status = if moved.status == TaskStatus::Resolved { TaskStatus::Open } else { TaskStatus::Resolved };
    ok(s.write(&Batch { tasks: vec![moved.clone()], ..Batch::default() }).await, "replace").await?;
    let in_new = ok(s.tasks_by_status(moved.status).await, "by status").await?;
    ensure!(in_new.iter().filter(|t| t.id == moved.id).count() == 1, "replaced task not found once under its new status");
    let everything = ok(s.load().await, "load").await?;
    ensure!(everything.tasks.len() == 200, "replacing a task changed the count to {}", everything.tasks.len());
    Ok(())
}

/// A write that fails part-way leaves nothing of itself behind.
pub async fn aborted_write_leaves_nothing<F: StoreFactory>(f: &F) -> Outcome {
    let s = fresh(f, "conf-abort").await?;
    let sample = tasks(3, 4);
    ok(s.write(&Batch { tasks: vec![sample[0].clone()], ..Batch::default() }).await, "first write").await?;
    let mut clash = sample[2].clone();
    clash.number = sample[0].number.clone();
    let bad = Batch { tasks: vec![sample[1].clone(), clash], customers: vec![customer(9)], changes: vec![change_for(&sample[1], 5)], ..Batch::default() };
    match s.write(&bad).await {
        Err(StoreError::Constraint(_)) => {}
        other => return Err(format!("a duplicate task number should be refused, got {other:?}")),
    }
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.tasks == vec![sample[0].clone()], "the failed write left {} tasks behind", snap.tasks.len());
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
    let device = Some(Device::new(DeviceCode::from_random(3)));
    let earlier = Batch { tasks: sample.clone(), customers: vec![customer(1)], changes: vec![change_for(&sample[0], 1)], device: device.clone(), ..Batch::default() };
    ok(old.write(&earlier).await, "write at previous version").await?;
    let message = Message { id: uuid::Uuid::from_u128(0x3e56), task: sample[0].id, text: "Hello".into(), ..Message::default() };
    ensure!(
        old.write(&Batch { messages: vec![message.clone()], ..Batch::default() }).await.is_err(),
        "the previous schema should not have a message store yet"
    );
    f.close(old);
    let new = ok(f.open(name, LATEST).await, "open latest").await?;
    let snap = ok(new.load().await, "load after upgrade").await?;
    ensure!(sorted(snap.tasks) == sorted(sample.clone()), "tasks differ after the upgrade");
    ensure!(snap.customers == vec![customer(1)] && snap.device == device, "customers or device differ after the upgrade");
    ensure!(ok(new.history(sample[0].id.0).await, "history").await?.len() == 1, "the change log lost a change in the upgrade");
    ok(new.write(&Batch { messages: vec![message.clone()], ..Batch::default() }).await, "write to the new message store").await?;
    ensure!(ok(new.load().await, "load").await?.messages == vec![message], "the new message store does not answer");
    let by_status = ok(new.tasks_by_status(sample[0].status).await, "index after upgrade").await?;
    ensure!(by_status.iter().any(|t| t.id == sample[0].id), "indexes lost records in the upgrade");
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
    ok(s.write(&Batch { tasks: tasks(10, 6), customers: vec![customer(1)], ..Batch::default() }).await, "write").await?;
    ok(s.clear().await, "clear").await?;
    let snap = ok(s.load().await, "load").await?;
    ensure!(snap.tasks.is_empty() && snap.customers.is_empty() && snap.device.is_none(), "clear left records behind");
    Ok(())
}
