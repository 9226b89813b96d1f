//! T11 finding tasks: words searched through every part of a task, and each filter.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::interaction::{Interaction, InteractionKind};
use taskdesk_domain::queue::{QueueQuery, View};
use taskdesk_domain::validate::{validate_task, CustomerInput, TaskDraft};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn all(text: &str) -> QueueQuery {
    QueueQuery { view: View::All, text: text.into(), ..QueueQuery::default() }
}

fn subjects(ws: &Workspace, q: &QueueQuery) -> Vec<String> {
    let mut list: Vec<String> = ws.queue(q, demo::users()[0].id).into_iter().map(|t| t.subject.clone()).collect();
    list.sort();
    list
}

fn workspace() -> Workspace {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(4)));
    let (alex, admin) = (demo::users()[0].clone(), demo::users()[4].clone());
    let jana = CustomerId(
        ws.create_customer(&admin, CustomerInput { name: "Jana Dvorak".into(), phones: vec!["+420777123456".into()], emails: vec!["jana@example.cz".into()], company: "Brightline Dental".into(), notes: String::new() }, now())
            .unwrap()
            .entity,
    );
    let make = |ws: &mut Workspace, subject: &str, customer: Option<CustomerId>, queue: &str, at: DateTime<Utc>| {
        let d = TaskDraft { subject: subject.into(), channel: "other".into(), priority: "normal".into(), customer: customer.map(|c| c.to_string()).unwrap_or_default(), queue: queue.into(), assignee: alex.id.to_string(), ..TaskDraft::default() };
        TaskId(ws.create_task(&alex, validate_task(&d, &[], 0, |_| true).unwrap(), at).unwrap().entity)
    };
    let refund = make(&mut ws, "Refund request", Some(jana), "Billing", now() - Duration::days(3));
    make(&mut ws, "Router restarts", None, "Support", now());
    ws.set_hashtags(&alex, refund, "#refund", now()).unwrap();
    ws.set_codes(&alex, refund, &["SALE".to_string()], now()).unwrap();
    let ix = Interaction { id: "MAIL-1".into(), kind: InteractionKind::Email { subject: "Parcel lost".into() }, contact: "someone@example.net".into(), body: "The courier left it at the wrong door.".into(), queue: Some("Support".into()), html: None };
    ws.ingest(&ix, now()).unwrap();
    ws
}

#[test]
fn t11_words_are_found_in_every_part_of_a_task() {
    let ws = workspace();
    assert_eq!(subjects(&ws, &all("refund")), ["Refund request"]);
    assert_eq!(subjects(&ws, &all("brightline")), ["Refund request"], "customer company");
    assert_eq!(subjects(&ws, &all("777123")), ["Refund request"], "customer phone");
    assert_eq!(subjects(&ws, &all("#refund")), ["Refund request"], "hashtag");
    assert_eq!(subjects(&ws, &all("sale")), ["Refund request"], "transaction code");
    assert_eq!(subjects(&ws, &all("wrong door")), ["Parcel lost"], "message body, every word");
    assert_eq!(subjects(&ws, &all("wrong refund")), Vec::<String>::new(), "all words must match");
    assert_eq!(subjects(&ws, &all("ROUTER")), ["Router restarts"], "any case");
}

#[test]
fn t11_filters_by_assignee_queue_hashtag_code_and_dates() {
    let ws = workspace();
    let alex = demo::users()[0].id;
    assert_eq!(subjects(&ws, &QueueQuery { assignee: Some(None), ..all("") }), ["Parcel lost"]);
    assert_eq!(subjects(&ws, &QueueQuery { assignee: Some(Some(alex)), ..all("") }), ["Refund request", "Router restarts"]);
    assert_eq!(subjects(&ws, &QueueQuery { queue: Some("Support".into()), ..all("") }), ["Parcel lost", "Router restarts"]);
    assert_eq!(subjects(&ws, &QueueQuery { hashtag: Some("Refund".into()), ..all("") }), ["Refund request"]);
    assert_eq!(subjects(&ws, &QueueQuery { code: Some("SALE".into()), ..all("") }), ["Refund request"]);
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d);
    assert_eq!(subjects(&ws, &QueueQuery { created_to: day(21), ..all("") }), ["Refund request"]);
    assert_eq!(subjects(&ws, &QueueQuery { created_from: day(22), created_to: day(23), ..all("") }), ["Parcel lost", "Router restarts"]);
}

#[test]
fn t11_filters_by_a_custom_field_value() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(4)));
    demo::seed(&mut ws, 7, now()).unwrap();
    let q = QueueQuery { field: Some(("product".into(), "mobile".into())), ..all("") };
    let found = ws.queue(&q, demo::users()[0].id);
    assert!(!found.is_empty());
    assert!(found.iter().all(|t| t.custom.get("product") == Some(&serde_json::json!("Mobile"))));
    let with_mobile = ws.tasks.values().filter(|t| !t.deleted && t.custom.get("product") == Some(&serde_json::json!("Mobile"))).count();
    assert_eq!(found.len(), with_mobile);
}
