//! Custom fields (F1): the admin's catalogue, forms that show and check them, type changes and retiring.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use taskdesk_domain::change::history;
use taskdesk_domain::demo;
use taskdesk_domain::field::{FieldDef, FieldKind};
use taskdesk_domain::field_admin::{check_field, FieldDraft};
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::validate::{validate_task, TaskDraft};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn admin() -> User {
    demo::users()[4].clone()
}

fn agent() -> User {
    demo::users()[0].clone()
}

fn draft(key: &str, label: &str, kind: &str) -> FieldDraft {
    FieldDraft { key: key.into(), label: label.into(), kind: kind.into(), ..FieldDraft::default() }
}

fn add(ws: &mut Workspace, d: FieldDraft) -> FieldDef {
    let def = check_field(&d, &ws.config.fields, None).unwrap();
    ws.save_field(&admin(), def.clone(), now()).unwrap();
    def
}

fn task_with(ws: &mut Workspace, channel: &str, values: &[(&str, &str)]) -> Result<TaskId, validate::Problems> {
    let d = TaskDraft {
        subject: "Order problem".into(),
        channel: channel.into(),
        priority: "normal".into(),
        custom: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..TaskDraft::default()
    };
    let input = validate_task(&d, &ws.config.fields, &taskdesk_domain::zone::utc(), |_| true)?;
    Ok(TaskId(ws.create_task(&agent(), input, now()).unwrap().entity))
}

fn workspace() -> Workspace {
    Workspace::new(Device::new(DeviceCode::from_random(11)))
}

#[test]
fn f1_admin_defines_a_field_and_the_task_form_checks_it() {
    let mut ws = workspace();
    add(&mut ws, FieldDraft { required: true, pattern: "ORD-[0-9]{4}".into(), help: "From the order email".into(), ..draft("order_number", "Order number", "text") });
    let problems = task_with(&mut ws, "email", &[]).unwrap_err();
    assert_eq!(problems.for_field("custom.order_number"), Some("Order number is required."));
    let problems = task_with(&mut ws, "email", &[("order_number", "12")]).unwrap_err();
    assert!(problems.for_field("custom.order_number").unwrap().contains("does not have the form"));
    let id = task_with(&mut ws, "email", &[("order_number", "ORD-1042")]).unwrap();
    assert_eq!(ws.task(id).unwrap().custom["order_number"], json!("ORD-1042"));
}

#[test]
fn f1_fields_show_only_on_their_channels_and_defaults_fill_new_tasks() {
    let mut ws = workspace();
    add(&mut ws, FieldDraft { required: true, channels: vec!["call".into()], ..draft("consent", "Recording consent", "checkbox") });
    add(&mut ws, FieldDraft { options: "Gold\nSilver".into(), default: "Silver".into(), ..draft("tier", "Tier", "select") });
    // An email task neither shows nor needs the call-only checkbox.
    let email = task_with(&mut ws, "email", &[]).unwrap();
    assert!(!ws.task(email).unwrap().custom.contains_key("consent"));
    assert!(task_with(&mut ws, "call", &[]).unwrap_err().for_field("custom.consent").unwrap().contains("must be ticked"));
    // A task made without a form (an interaction event) starts with the defaults.
    let ingested = ws.ingest(
        &interaction::Interaction { id: "chat-1".into(), kind: interaction::InteractionKind::Chat, contact: "web visitor".into(), body: "Hello".into(), queue: None, html: None, source: None },
        now(),
    );
    let task = ingested.unwrap().task;
    assert_eq!(ws.task(task).unwrap().custom["tier"], json!("Silver"));
}

#[test]
fn f1_the_field_form_explains_every_mistake() {
    let ws = workspace();
    let bad = FieldDraft { max_length: "0".into(), pattern: "(".into(), ..draft("Order Number", "", "text") };
    let problems = check_field(&bad, &ws.config.fields, None).unwrap_err();
    for field in ["key", "label", "max_length", "pattern"] {
        assert!(problems.for_field(field).is_some(), "{field}: {problems:?}");
    }
    let problems = check_field(&draft("tier", "Tier", "select"), &ws.config.fields, None).unwrap_err();
    assert!(problems.for_field("options").is_some(), "options: {problems:?}");
    let mut ws = workspace();
    add(&mut ws, draft("amount", "Amount", "number"));
    let again = check_field(&draft("amount", "Amount", "number"), &ws.config.fields, None).unwrap_err();
    assert!(again.for_field("key").unwrap().contains("already exists"));
    let range = FieldDraft { min: "10".into(), max: "1".into(), default: "x".into(), ..draft("n", "N", "number") };
    assert!(check_field(&range, &ws.config.fields, None).unwrap_err().for_field("max").is_some());
    let default = FieldDraft { default: "x".into(), ..draft("n", "N", "number") };
    assert!(check_field(&default, &ws.config.fields, None).unwrap_err().for_field("default").unwrap().contains("not a number"));
}

#[test]
fn f1_a_type_change_converts_every_value_when_it_is_lossless() {
    let mut ws = workspace();
    let text = add(&mut ws, draft("units", "Units", "text"));
    let a = task_with(&mut ws, "email", &[("units", "42")]).unwrap();
    let b = task_with(&mut ws, "chat", &[("units", "7")]).unwrap();
    let number = FieldDef { kind: FieldKind::Number, ..text };
    let changes = ws.save_field(&admin(), number, now()).unwrap();
    assert_eq!(changes.len(), 3, "the settings change and one per task");
    assert_eq!(ws.task(a).unwrap().custom["units"], json!(42.0));
    assert_eq!(ws.task(b).unwrap().custom["units"], json!(7.0));
    let of_a = history(&changes, a.0);
    assert_eq!(of_a.len(), 1);
    assert_eq!((of_a[0].fields[0].field.as_str(), &of_a[0].fields[0].old, &of_a[0].fields[0].new), ("custom.units", &json!("42"), &json!(42.0)));
}

#[test]
fn f1_a_lossy_type_change_is_refused_with_the_reason_and_the_count() {
    let mut ws = workspace();
    let text = add(&mut ws, draft("units", "Units", "text"));
    task_with(&mut ws, "email", &[("units", "42")]).unwrap();
    task_with(&mut ws, "email", &[("units", "forty")]).unwrap();
    task_with(&mut ws, "email", &[("units", "a dozen")]).unwrap();
    let before = ws.clone();
    let err = ws.save_field(&admin(), FieldDef { kind: FieldKind::Number, ..text }, now()).unwrap_err().to_string();
    assert!(err.contains("“Units” cannot change from Text to Number: 2 tasks hold values"), "{err}");
    assert!(err.contains("is not a number"), "{err}");
    assert!(err.ends_with("Nothing was changed."));
    assert_eq!(ws.config, before.config);
    assert_eq!(ws.tasks, before.tasks);
}

#[test]
fn f1_dropping_an_option_in_use_is_refused() {
    let mut ws = workspace();
    let tier = add(&mut ws, FieldDraft { options: "Gold\nSilver".into(), ..draft("tier", "Tier", "select") });
    task_with(&mut ws, "email", &[("tier", "Gold")]).unwrap();
    let err = ws.save_field(&admin(), FieldDef { options: vec!["Silver".into()], ..tier.clone() }, now()).unwrap_err();
    assert!(err.to_string().contains("1 task holds a value"), "{err}");
    // Adding an option is always fine.
    let more = FieldDef { options: vec!["Gold".into(), "Silver".into(), "Bronze".into()], ..tier };
    assert_eq!(ws.save_field(&admin(), more, now()).unwrap().len(), 1);
}

#[test]
fn f1_retiring_hides_a_field_from_forms_and_keeps_its_values() {
    let mut ws = workspace();
    add(&mut ws, FieldDraft { required: true, ..draft("order_number", "Order number", "text") });
    let id = task_with(&mut ws, "email", &[("order_number", "A-1")]).unwrap();
    ws.set_field_retired(&admin(), "order_number", true, now()).unwrap();
    // The form no longer asks for it, and saving a form keeps the stored value.
    let d = TaskDraft { subject: "Order problem, updated".into(), channel: "email".into(), priority: "normal".into(), ..TaskDraft::default() };
    let input = validate_task(&d, &ws.config.fields, &taskdesk_domain::zone::utc(), |_| true).unwrap();
    let opened = ws.task(id).unwrap().clone();
    ws.update_task(&agent(), id, input, &opened, now()).unwrap();
    assert_eq!(ws.task(id).unwrap().custom["order_number"], json!("A-1"));
    ws.set_field_retired(&admin(), "order_number", false, now()).unwrap();
    assert!(!ws.field("order_number").unwrap().retired);
}

#[test]
fn f1_fields_are_reordered() {
    let mut ws = workspace();
    add(&mut ws, draft("a", "A", "text"));
    add(&mut ws, draft("b", "B", "text"));
    ws.move_field(&admin(), "b", -1, now()).unwrap();
    let keys: Vec<&str> = ws.config.fields.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["b", "a"]);
    assert_eq!(ws.move_field(&admin(), "b", -1, now()).unwrap(), None, "already first");
}

#[test]
fn f1_agents_cannot_manage_fields() {
    let mut ws = workspace();
    let def = check_field(&draft("a", "A", "text"), &[], None).unwrap();
    let err = ws.save_field(&agent(), def, now()).unwrap_err();
    assert!(matches!(err, DomainError::Forbidden(_)));
    assert!(ws.config.fields.is_empty());
}
