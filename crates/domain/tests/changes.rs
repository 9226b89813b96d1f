//! Change records: merge order independence (O3), history (T10) and the commands that make changes.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use taskdesk_domain::change::{self, history, ApplyError};
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::lifecycle::StatusAction;
use taskdesk_domain::validate::{validate_task, TaskDraft};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn workspace(bits: u64) -> Workspace {
    Workspace::new(Device::new(DeviceCode::from_random(bits)))
}

fn draft(subject: &str, channel: &str) -> TaskDraft {
    TaskDraft { subject: subject.into(), channel: channel.into(), priority: "normal".into(), ..TaskDraft::default() }
}

fn field_values() -> impl Strategy<Value = (String, Value)> {
    prop_oneof![
        "[a-z ]{0,12}".prop_map(|s| ("subject".to_string(), Value::String(s))),
        prop::sample::select(vec!["low", "normal", "high", "urgent"]).prop_map(|p| ("priority".to_string(), json!(p))),
        prop::sample::select(vec!["open", "waiting", "resolved"]).prop_map(|s| ("status".to_string(), json!(s))),
        prop::collection::vec("[a-z]{1,5}", 0..3).prop_map(|h| ("hashtags".to_string(), json!(h))),
        prop::option::of("[a-z]{0,5}").prop_map(|v| ("custom.order".to_string(), json!(v))),
        any::<bool>().prop_map(|d| ("deleted".to_string(), json!(d))),
    ]
}

/// Random edits from three devices on three tasks, each stamped by its device's clock.
fn change_sets() -> impl Strategy<Value = Vec<Change>> {
    prop::collection::vec((0usize..3, 0u128..3, 0u64..50, prop::collection::vec(field_values(), 1..4)), 1..30).prop_map(|edits| {
        let mut clocks: Vec<Clock> = ["AAAAA", "BBBBB", "CCCCC"].iter().map(|n| Clock::new(*n)).collect();
        edits
            .into_iter()
            .map(|(device, task, at, fields)| Change {
                stamp: clocks[device].tick(1_000 + at),
                actor: None,
                kind: EntityKind::Task,
                entity: Uuid::from_u128(task + 1),
                fields: fields.into_iter().map(|(field, new)| FieldChange { field, old: Value::Null, new }).collect(),
            })
            .collect()
    })
}

fn apply_all(changes: &[Change]) -> taskdesk_domain::ids::IdMap<TaskId, Task> {
    let mut ws = workspace(1);
    for c in changes {
        ws.apply(c).unwrap();
    }
    ws.tasks
}

proptest! {
    #[test]
    fn o3_any_order_of_the_same_changes_gives_the_same_state(
        (changes, shuffled) in change_sets().prop_flat_map(|c| (Just(c.clone()), Just(c).prop_shuffle()))
    ) {
        prop_assert_eq!(apply_all(&changes), apply_all(&shuffled));
    }

    #[test]
    fn o3_replaying_changes_changes_nothing(changes in change_sets()) {
        let doubled: Vec<Change> = changes.iter().chain(changes.iter()).cloned().collect();
        prop_assert_eq!(apply_all(&changes), apply_all(&doubled));
    }

    #[test]
    fn o3_each_field_holds_the_value_of_its_latest_change(changes in change_sets()) {
        let tasks = apply_all(&changes);
        for task in tasks.values() {
            let mine: Vec<&Change> = changes.iter().filter(|c| c.entity == task.id.0).collect();
            for field in ["subject", "priority", "status"] {
                let latest = mine.iter().filter_map(|c| c.new_value(field).map(|v| (&c.stamp, v))).max_by(|a, b| a.0.cmp(b.0));
                if let Some((_, value)) = latest {
                    let actual = serde_json::to_value(task).unwrap()[field].clone();
                    prop_assert_eq!(&actual, value);
                }
            }
            prop_assert_eq!(&task.modified, &mine.iter().map(|c| c.stamp.clone()).max().unwrap());
        }
    }

    #[test]
    fn t10_history_is_exactly_the_changes_that_touched_the_task(changes in change_sets()) {
        for n in 0..3u128 {
            let id = Uuid::from_u128(n + 1);
            let h = history(&changes, id);
            prop_assert_eq!(h.len(), changes.iter().filter(|c| c.entity == id).count());
            prop_assert!(h.iter().all(|c| c.entity == id));
            prop_assert!(h.windows(2).all(|w| w[0].stamp < w[1].stamp));
        }
    }
}

#[test]
fn malformed_change_from_a_backend_is_refused_and_loses_nothing() {
    let mut ws = workspace(1);
    let me = &demo::users()[0];
    let created = ws.create_task(me, validate_task(&draft("Refund", "email"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap();
    let before = ws.tasks.clone();
    let mut bad = created.clone();
    bad.stamp = ws.device.clock.tick(now().timestamp_millis() as u64 + 10);
    bad.fields = vec![FieldChange { field: "priority".into(), old: Value::Null, new: json!(42) }];
    assert!(matches!(ws.apply(&bad), Err(DomainError::Apply(ApplyError::BadValue { .. }))));
    bad.fields = vec![FieldChange { field: "stamps".into(), old: Value::Null, new: json!({}) }];
    assert!(matches!(ws.apply(&bad), Err(DomainError::Apply(ApplyError::UnknownField { .. }))));
    assert_eq!(ws.tasks, before);
}

#[test]
fn t10_editing_a_subject_records_old_new_and_author() {
    let mut ws = workspace(1);
    let users = demo::users();
    let (alex, bea) = (&users[0], &users[1]);
    let created = ws.create_task(alex, validate_task(&draft("Refund", "email"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap();
    assert!(created.is_creation());
    let id = TaskId(created.entity);
    let opened = ws.task(id).unwrap().clone();
    let edit = ws
        .update_task(bea, id, validate_task(&draft("Refund for order 1042", "email"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), &opened, now() + Duration::minutes(5))
        .unwrap()
        .expect("subject changed");
    assert_eq!(edit.actor, Some(bea.id));
    assert_eq!(edit.fields, vec![FieldChange { field: "subject".into(), old: json!("Refund"), new: json!("Refund for order 1042") }]);
    assert_eq!(ws.task(id).unwrap().subject, "Refund for order 1042");
    assert_eq!(ws.task(id).unwrap().modified_by, Some(bea.id));
    let opened = ws.task(id).unwrap().clone();
    let unchanged = ws.update_task(bea, id, validate_task(&draft("Refund for order 1042", "email"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), &opened, now());
    assert_eq!(unchanged, Ok(None));
    assert_eq!(history(&[created, edit], id.0).len(), 2);
}

#[test]
fn t1_task_numbers_are_unique_across_two_offline_devices() {
    let me = &demo::users()[0];
    let mut a = workspace(11);
    let mut b = workspace(22);
    let mut numbers = std::collections::HashSet::new();
    for _ in 0..200 {
        for ws in [&mut a, &mut b] {
            let c = ws.create_task(me, validate_task(&draft("x", "sms"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap();
            assert!(numbers.insert(ws.task(TaskId(c.entity)).unwrap().number.clone()));
        }
    }
}

#[test]
fn t2_resolving_through_the_workspace_follows_the_lifecycle() {
    let mut ws = workspace(1);
    let me = &demo::users()[0];
    let email = TaskId(ws.create_task(me, validate_task(&draft("Mail", "email"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap().entity);
    let call = TaskId(ws.create_task(me, validate_task(&draft("Call", "call"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap().entity);
    ws.change_status(me, email, StatusAction::Resolve, now()).unwrap();
    assert_eq!(ws.task(email).unwrap().status, TaskStatus::Resolved);
    assert!(ws.change_status(me, call, StatusAction::Resolve, now()).is_err());
    assert!(ws.log_call_outcome(me, call, task::CallOutcome::NoAnswer, now()).unwrap().is_some());
    assert_eq!(ws.task(call).unwrap().status, TaskStatus::Open);
    ws.log_call_outcome(me, call, task::CallOutcome::Connected, now()).unwrap();
    assert_eq!(ws.task(call).unwrap().status, TaskStatus::Resolved);
    assert!(ws.log_call_outcome(me, email, task::CallOutcome::Connected, now()).is_err());
}

#[test]
fn only_supervisors_and_admins_delete_and_deleted_tasks_keep_their_record() {
    let mut ws = workspace(1);
    let users = demo::users();
    let id = TaskId(ws.create_task(&users[0], validate_task(&draft("x", "chat"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap().entity);
    assert_eq!(ws.delete_task(&users[0], id, now()), Err(DomainError::Forbidden("delete records")));
    ws.delete_task(&users[3], id, now()).unwrap();
    assert!(ws.task(id).is_none());
    assert!(ws.tasks[&id].deleted);
}

#[test]
fn demo_seed_is_deterministic_and_covers_every_channel() {
    let make = || {
        let mut ws = workspace(5);
        let changes = demo::seed(&mut ws, 42, now()).unwrap();
        (ws, changes)
    };
    let (a, changes) = make();
    let (b, _) = make();
    let subjects = |ws: &Workspace| {
        let mut v: Vec<(String, String)> = ws.tasks.values().map(|t| (t.number.clone(), t.subject.clone())).collect();
        v.sort();
        v
    };
    assert_eq!(subjects(&a), subjects(&b));
    assert_eq!(a.customers.len(), 24);
    assert_eq!(a.tasks.len(), 64);
    assert_eq!(a.tasks.values().filter(|t| t.created_by.is_none()).count(), 4, "four tasks come from interaction events");
    for channel in Channel::ALL {
        assert!(a.tasks.values().any(|t| t.channel == channel), "no {channel} task");
    }
    assert!(a.tasks.values().any(|t| t.status == TaskStatus::Resolved));
    assert!(a.tasks.values().any(|t| t.status == TaskStatus::Open));
    // Replaying the seed's own changes rebuilds the same workspace.
    let mut replay = workspace(5);
    for c in &changes {
        replay.apply(c).unwrap();
    }
    assert_eq!(replay.tasks, a.tasks);
    assert_eq!(replay.customers, a.customers);
}

#[test]
fn queue_views_filter_and_sort() {
    use taskdesk_domain::queue::{QueueQuery, SortKey, View};
    let mut ws = workspace(5);
    demo::seed(&mut ws, 42, now()).unwrap();
    let me = demo::users()[0].id;
    // The queue lists ids; the checks read the tasks behind them.
    let tasks = |ids: Vec<TaskId>| -> Vec<&Task> { ids.into_iter().filter_map(|id| ws.task(id)).collect() };
    let mine = tasks(ws.queue(&QueueQuery { view: View::MyTasks, ..QueueQuery::default() }, me, &taskdesk_domain::zone::utc()));
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|t| t.assignee == Some(me) && t.status.is_open()));
    let open = tasks(ws.queue(&QueueQuery { view: View::AllOpen, ..QueueQuery::default() }, me, &taskdesk_domain::zone::utc()));
    assert!(open.iter().all(|t| t.status.is_open()));
    assert!(open.len() < ws.tasks.len());
    let emails = tasks(ws.queue(&QueueQuery { view: View::All, channel: Some(Channel::Email), ..QueueQuery::default() }, me, &taskdesk_domain::zone::utc()));
    assert!(!emails.is_empty() && emails.iter().all(|t| t.channel == Channel::Email));
    let by_number = tasks(ws.queue(&QueueQuery { view: View::All, sort: SortKey::Number, ..QueueQuery::default() }, me, &taskdesk_domain::zone::utc()));
    assert!(by_number.windows(2).all(|w| w[0].number <= w[1].number));
    let newest_first = tasks(ws.queue(&QueueQuery { view: View::All, ..QueueQuery::default() }, me, &taskdesk_domain::zone::utc()));
    assert!(newest_first.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    let found = tasks(ws.queue(&QueueQuery { view: View::All, text: "REFUND".into(), ..QueueQuery::default() }, me, &taskdesk_domain::zone::utc()));
    assert!(found.iter().any(|t| t.subject.to_lowercase().contains("refund")));
    let mentions = |t: &Task| {
        t.subject.to_lowercase().contains("refund")
            || t.description.to_lowercase().contains("refund")
            || t.hashtags.iter().any(|h| h.contains("refund"))
            || ws.thread(t.id).iter().any(|m| m.text.to_lowercase().contains("refund"))
    };
    assert!(found.iter().all(|t| mentions(t)));
}

#[test]
fn display_values_read_like_words() {
    assert_eq!(change::display_value(&json!(null)), "—");
    assert_eq!(change::display_value(&json!(["vip", "refund"])), "vip, refund");
    assert_eq!(change::display_value(&json!("High")), "High");
}

#[test]
fn o4_a_form_left_open_while_another_tab_edits_never_writes_its_old_values_back() {
    let mut ws = workspace(3);
    let users = demo::users();
    let created = ws.create_task(&users[0], validate_task(&draft("Invoice question", "email"), &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap();
    let id = TaskId(created.entity);
    // Tab B opens the edit form; meanwhile tab A renames the task.
    let opened_in_b = ws.task(id).unwrap().clone();
    let before = ws.task(id).unwrap().clone();
    ws.edit_task(&users[0], &before, &Task { subject: "Invoice 1042 question".into(), ..before.clone() }, now() + Duration::minutes(1)).unwrap();
    // Tab B, still showing the old subject, changes only the priority and saves.
    let mut form = draft("Invoice question", "email");
    form.priority = "urgent".into();
    let change = ws.update_task(&users[1], id, validate_task(&form, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), &opened_in_b, now() + Duration::minutes(2)).unwrap().unwrap();
    assert_eq!(change.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), vec!["priority"], "only what B changed");
    let task = ws.task(id).unwrap();
    assert_eq!((task.subject.as_str(), task.priority), ("Invoice 1042 question", Priority::Urgent));
}

proptest! {
    /// Rebasing a person's edits onto the record as it stands keeps exactly their edits and,
    /// for every other field, the current value.
    #[test]
    fn o4_rebase_keeps_the_persons_edits_and_everything_else_as_it_stands(
        edits in proptest::collection::vec(field_values(), 0..4),
        meanwhile in proptest::collection::vec(field_values(), 0..4),
    ) {
        let opened = Task { id: TaskId(Uuid::from_u128(5)), subject: "Start".into(), ..Task::default() };
        let change_of = |fields: &[(String, Value)], millis: u64| Change {
            stamp: Hlc { millis, counter: 0, node: "PROPT".into() },
            actor: None,
            kind: EntityKind::Task,
            entity: opened.id.0,
            fields: fields.iter().map(|(f, v)| FieldChange { field: f.clone(), old: Value::Null, new: v.clone() }).collect(),
        };
        let intended = change::apply(Some(&opened), &change_of(&edits, 10)).unwrap();
        let current = change::apply(Some(&opened), &change_of(&meanwhile, 20)).unwrap();
        let rebased = change::rebase(&opened, &intended, &current).unwrap();
        let as_json = |t: &Task| serde_json::to_value(t).unwrap();
        let edited: Vec<String> = change::diff(&opened, &intended).into_iter().map(|f| f.field).collect();
        for field in Task::FIELDS.iter().filter(|f| **f != "custom") {
            let want = if edited.iter().any(|e| e == field) { as_json(&intended)[*field].clone() } else { as_json(&current)[*field].clone() };
            prop_assert_eq!(&as_json(&rebased)[*field], &want, "field {}", field);
        }
    }
}
