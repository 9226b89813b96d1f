//! Permissions (P1) for every role and action, and the cloning rules (T8), each a test.

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::BTreeSet;
use taskdesk_domain::change::history;
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::lifecycle::StatusAction;
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::validate::{validate_task, TaskDraft};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn user(role: Role, permissions: Option<&[Permission]>) -> User {
    User { id: UserId::new(), name: format!("{role:?}"), role, permissions: permissions.map(|p| p.iter().copied().collect::<BTreeSet<_>>()) }
}

fn workspace_with_task() -> (Workspace, TaskId) {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(3)));
    let draft = TaskDraft { subject: "Dental appointment for Jana".into(), channel: "other".into(), priority: "high".into(), ..TaskDraft::default() };
    let admin = user(Role::Admin, None);
    let c = ws.create_task(&admin, validate_task(&draft, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap();
    (ws, TaskId(c.entity))
}

/// What each role may do by default: (role, permission, allowed).
const TABLE: &[(Role, Permission, bool)] = &[
    (Role::Agent, Permission::Create, true),
    (Role::Agent, Permission::Edit, true),
    (Role::Agent, Permission::Delete, false),
    (Role::Agent, Permission::Clone, true),
    (Role::Agent, Permission::ManageFields, false),
    (Role::Agent, Permission::ManageCodes, false),
    (Role::Agent, Permission::ManageUsers, false),
    (Role::Agent, Permission::ViewReports, false),
    (Role::Agent, Permission::Supervise, false),
    (Role::Supervisor, Permission::Create, true),
    (Role::Supervisor, Permission::Edit, true),
    (Role::Supervisor, Permission::Delete, true),
    (Role::Supervisor, Permission::Clone, true),
    (Role::Supervisor, Permission::ManageFields, false),
    (Role::Supervisor, Permission::ManageCodes, false),
    (Role::Supervisor, Permission::ManageUsers, false),
    (Role::Supervisor, Permission::ViewReports, true),
    (Role::Supervisor, Permission::Supervise, true),
    (Role::Admin, Permission::Create, true),
    (Role::Admin, Permission::Edit, true),
    (Role::Admin, Permission::Delete, true),
    (Role::Admin, Permission::Clone, true),
    (Role::Admin, Permission::ManageFields, true),
    (Role::Admin, Permission::ManageCodes, true),
    (Role::Admin, Permission::ManageUsers, true),
    (Role::Admin, Permission::ViewReports, true),
    (Role::Admin, Permission::Supervise, true),
];

#[test]
fn p1_every_role_and_action_follows_the_table() {
    assert_eq!(TABLE.len(), 3 * Permission::ALL.len());
    for &(role, p, allowed) in TABLE {
        assert_eq!(permission::allows(&user(role, None), p), allowed, "{role:?} {p:?}");
    }
}

#[test]
fn p1_the_domain_refuses_forbidden_commands_whatever_the_ui_shows() {
    let (mut ws, id) = workspace_with_task();
    let draft = TaskDraft { subject: "x".into(), channel: "email".into(), priority: "normal".into(), ..TaskDraft::default() };
    let input = validate_task(&draft, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap();
    let viewer = user(Role::Agent, Some(&[]));
    let before = ws.tasks.clone();
    assert_eq!(ws.create_task(&viewer, input.clone(), now()), Err(DomainError::Forbidden("create records")));
    let opened = ws.task(id).unwrap().clone();
    assert_eq!(ws.update_task(&viewer, id, input, &opened, now()), Err(DomainError::Forbidden("edit records")));
    assert_eq!(ws.change_status(&viewer, id, StatusAction::Resolve, now()), Err(DomainError::Forbidden("edit records")));
    assert_eq!(ws.delete_task(&viewer, id, now()), Err(DomainError::Forbidden("delete records")));
    assert_eq!(ws.clone_task(&viewer, id, now()), Err(DomainError::Forbidden("clone tasks")));
    assert_eq!(ws.tasks, before);
    assert_eq!(DomainError::Forbidden("delete records").to_string(), "You are not allowed to delete records.");
}

#[test]
fn p1_per_user_permissions_replace_the_role_defaults() {
    let trusted_agent = user(Role::Agent, Some(&[Permission::Create, Permission::Edit, Permission::Delete]));
    assert!(permission::allows(&trusted_agent, Permission::Delete));
    assert!(!permission::allows(&trusted_agent, Permission::Clone));
    let (mut ws, id) = workspace_with_task();
    assert!(ws.delete_task(&trusted_agent, id, now()).is_ok());
}

#[test]
fn t8_clone_button_needs_both_create_and_edit() {
    use Permission::*;
    assert!(permission::can_clone(&user(Role::Agent, None)));
    assert!(!permission::can_clone(&user(Role::Agent, Some(&[Clone, Edit]))));
    assert!(!permission::can_clone(&user(Role::Agent, Some(&[Clone, Create]))));
    assert!(permission::can_clone(&user(Role::Agent, Some(&[Clone, Create, Edit]))));
}

#[test]
fn t8_a_clone_gets_a_new_id_and_number_and_keeps_the_transaction_id() {
    let (mut ws, id) = workspace_with_task();
    let agent = &demo::users()[0];
    let later = now() + Duration::hours(2);
    let clone = TaskId(ws.clone_task(agent, id, later).unwrap().entity);
    let (a, b) = (ws.task(id).unwrap().clone(), ws.task(clone).unwrap().clone());
    assert_ne!(a.id, b.id);
    assert_ne!(a.number, b.number);
    assert_eq!(a.transaction_id, b.transaction_id);
    assert_eq!(b.parent, Some(a.id));
    assert_eq!(b.parent_number.as_deref(), Some(a.number.as_str()));
}

#[test]
fn t8_every_field_is_copied_except_history_creation_and_modification_time() {
    let (mut ws, id) = workspace_with_task();
    let agent = &demo::users()[0];
    let later = now() + Duration::hours(2);
    let cloned = ws.clone_task(agent, id, later).unwrap();
    let clone = TaskId(cloned.entity);
    let (a, b) = (ws.task(id).unwrap().clone(), ws.task(clone).unwrap().clone());
    assert_eq!((b.subject.as_str(), b.priority, b.channel, b.customer, b.assignee, &b.hashtags), (a.subject.as_str(), a.priority, a.channel, a.customer, a.assignee, &a.hashtags));
    assert_eq!(b.created_at, later);
    assert!(b.modified > a.modified);
    // The clone's history starts with its own creation; none of the parent's changes come along.
    let all = [cloned.clone()];
    assert_eq!(history(&all, b.id.0).len(), 1);
    assert!(cloned.is_creation());
    assert!(cloned.fields.iter().all(|f| f.field != "modified" && f.field != "stamps"));
}

#[test]
fn t8_cloning_a_clone_makes_a_sibling_under_the_same_parent() {
    let (mut ws, id) = workspace_with_task();
    let agent = &demo::users()[0];
    let first = TaskId(ws.clone_task(agent, id, now()).unwrap().entity);
    let second = TaskId(ws.clone_task(agent, first, now()).unwrap().entity);
    assert_eq!(ws.task(second).unwrap().parent, Some(id));
    let clones: Vec<TaskId> = ws.clones_of(id).iter().map(|t| t.id).collect();
    assert_eq!(clones, vec![first, second]);
    assert!(ws.clones_of(first).is_empty());
}

#[test]
fn t8_after_the_parent_is_deleted_the_child_still_names_it() {
    let (mut ws, id) = workspace_with_task();
    let number = ws.task(id).unwrap().number.clone();
    let child = TaskId(ws.clone_task(&demo::users()[0], id, now()).unwrap().entity);
    ws.delete_task(&demo::users()[3], id, now()).unwrap();
    assert!(ws.task(id).is_none(), "the parent is gone");
    assert_eq!(ws.task(child).unwrap().parent_number.as_deref(), Some(number.as_str()));
}

#[test]
fn changes_by_the_system_have_no_human_author() {
    let (mut ws, id) = workspace_with_task();
    let c = ws.change_status(&User::system(), id, StatusAction::Hold, now()).unwrap();
    assert_eq!(c.actor, None);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn t8_cloning_keeps_every_invariant_on_random_tasks(
            subject in "[A-Za-z][A-Za-z ]{0,39}",
            channel in prop::sample::select(vec!["call", "email", "chat", "sms", "meeting", "other"]),
            priority in prop::sample::select(vec!["low", "normal", "high", "urgent"]),
            chain in prop::collection::vec(any::<bool>(), 1..6),
        ) {
            let mut ws = Workspace::new(Device::new(DeviceCode::from_random(9)));
            let agent = &demo::users()[0];
            let draft = TaskDraft { subject, channel: channel.into(), priority: priority.into(), ..TaskDraft::default() };
            let root = TaskId(ws.create_task(agent, validate_task(&draft, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).unwrap().entity);
            let mut last = root;
            for from_last in chain {
                let source = if from_last { last } else { root };
                last = TaskId(ws.clone_task(agent, source, now()).unwrap().entity);
                let (r, c) = (ws.task(root).unwrap(), ws.task(last).unwrap());
                prop_assert_eq!(c.parent, Some(root));
                prop_assert_eq!(&c.transaction_id, &r.transaction_id);
                prop_assert_eq!(&c.subject, &r.subject);
                prop_assert_eq!(c.priority, r.priority);
                prop_assert_eq!(c.channel, r.channel);
            }
            let numbers: BTreeSet<&str> = ws.tasks.values().map(|t| t.number.as_str()).collect();
            prop_assert_eq!(numbers.len(), ws.tasks.len());
            prop_assert!(ws.clones_of(root).iter().all(|c| ws.clones_of(c.id).is_empty()));
        }
    }
}

#[test]
fn t7_hashtags_are_set_on_a_task_and_suggested_from_those_in_use() {
    let (mut ws, id) = workspace_with_task();
    let agent = &demo::users()[0];
    ws.set_hashtags(agent, id, "#Refund vip", now()).unwrap();
    assert_eq!(ws.task(id).unwrap().hashtags, vec!["#refund", "#vip"]);
    assert!(matches!(ws.set_hashtags(agent, id, "#re/fund", now()), Err(DomainError::Invalid(_))));
    assert_eq!(ws.task(id).unwrap().hashtags, vec!["#refund", "#vip"], "a refused edit changes nothing");
    assert_eq!(ws.hashtags_in_use(), vec!["#refund", "#vip"]);
    assert_eq!(ws.set_hashtags(&user(Role::Agent, Some(&[])), id, "#x", now()), Err(DomainError::Forbidden("edit records")));
}

#[test]
fn t7_a_mandatory_hashtag_blocks_resolving_until_one_is_added() {
    let (mut ws, id) = workspace_with_task();
    let users = demo::users();
    let (agent, admin) = (&users[0], &users[4]);
    assert_eq!(ws.set_hashtag_required(agent, true, now()), Err(DomainError::Forbidden("manage users and workspace settings")));
    let setting = ws.set_hashtag_required(admin, true, now()).unwrap().expect("setting changed");
    assert_eq!(setting.kind, EntityKind::Config);
    let refused = ws.change_status(agent, id, StatusAction::Resolve, now()).unwrap_err();
    assert_eq!(refused.to_string(), "Add at least one hashtag before resolving: this workspace asks for one on every resolved task.");
    assert_eq!(ws.task(id).unwrap().status, TaskStatus::Open);
    ws.set_hashtags(agent, id, "#done", now()).unwrap();
    ws.change_status(agent, id, StatusAction::Resolve, now()).unwrap();
    assert_eq!(ws.task(id).unwrap().status, TaskStatus::Resolved);
    // The setting replays like any record.
    let mut other = Workspace::new(Device::new(DeviceCode::from_random(4)));
    other.apply(&setting).unwrap();
    assert!(other.config.hashtag_required);
}

#[test]
fn t6_agents_choose_catalogue_codes_and_only_the_system_adds_system_codes() {
    let (mut ws, id) = workspace_with_task();
    let agent = &demo::users()[0];
    let codes = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    ws.set_codes(agent, id, &codes(&["SALE", "CALLBACK"]), now()).unwrap();
    assert_eq!(ws.codes_display(ws.task(id).unwrap()), "Sale made, Callback promised");
    let refused = ws.set_codes(agent, id, &codes(&["SALE", "AMD"]), now()).unwrap_err();
    assert_eq!(refused.to_string(), "AMD (Answer machine detected) is added by the system and cannot be chosen by hand.");
    assert!(ws.set_codes(agent, id, &codes(&["BOGUS"]), now()).unwrap_err().to_string().contains("not in the transaction code catalogue"));
    ws.add_system_code(id, "AMD", now()).unwrap();
    assert_eq!(ws.task(id).unwrap().codes, codes(&["SALE", "CALLBACK", "AMD"]));
    assert!(ws.set_codes(agent, id, &codes(&["SALE"]), now()).unwrap_err().to_string().contains("cannot be removed by hand"));
    ws.set_codes(agent, id, &codes(&["INFO", "AMD"]), now()).unwrap();
    assert_eq!(ws.codes_display(ws.task(id).unwrap()), "Information given, Answer machine detected");
    for (code, label) in [("AMD", "Answer machine detected"), ("CCB", "Call rejected"), ("Auto-TCL", "Mobile number blocked")] {
        assert!(ws.code_catalogue().iter().any(|c| c.code == code && c.label == label && c.system));
    }
    assert!(ws.code_catalogue().iter().any(|c| c.label == "Temporary failure" && c.system));
}

#[test]
fn t6_codes_are_kept_in_the_customer_record() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(3)));
    demo::seed(&mut ws, 42, now()).unwrap();
    let with_codes = ws.tasks.values().find(|t| !t.codes.is_empty() && t.customer.is_some()).expect("demo has coded tasks").clone();
    let history = ws.codes_of_customer(with_codes.customer.unwrap());
    assert!(history.iter().any(|(t, shown)| t.id == with_codes.id && *shown == ws.codes_display(&with_codes)));
}
