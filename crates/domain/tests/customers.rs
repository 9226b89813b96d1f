//! C1: one person is one customer: the demo has no duplicates, and a phone or email another
//! customer already has is found (the form warns of it).

use chrono::{TimeZone, Utc};
use std::collections::HashSet;
use taskdesk_domain::validate::CustomerInput;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{demo, DeviceCode, Workspace};

fn demo_workspace() -> Workspace {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(5)));
    demo::seed(&mut ws, demo::SEED, Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()).unwrap();
    ws
}

#[test]
fn c1_the_demo_has_no_duplicate_customers() {
    let ws = demo_workspace();
    let customers = ws.customers_by_name();
    assert_eq!(customers.len(), 24);
    let names: HashSet<_> = customers.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names.len(), customers.len(), "every name once");
    for c in &customers {
        assert_eq!(ws.customers_sharing_contact(&c.phones, &c.emails, Some(c.id)).len(), 0, "{} shares a phone or email", c.name);
    }
}

#[test]
fn c1_a_phone_or_email_another_customer_has_is_found_however_it_is_written() {
    let mut ws = demo_workspace();
    let jana = ws.customers_by_name().into_iter().find(|c| c.name == "Jana Dvorak").unwrap().clone();
    let spaced = vec!["777 123 456".to_string()];
    assert_eq!(ws.customers_sharing_contact(&spaced, &[], None).iter().map(|c| c.id).collect::<Vec<_>>(), vec![jana.id]);
    let shouted = vec![jana.emails[0].to_uppercase()];
    assert_eq!(ws.customers_sharing_contact(&[], &shouted, None).len(), 1);
    assert!(ws.customers_sharing_contact(&spaced, &[], Some(jana.id)).is_empty(), "editing Jana is not a duplicate of herself");
    assert!(ws.customers_sharing_contact(&["+44 20 7946 0000".into()], &["someone.new@example.org".into()], None).is_empty());
    let admin = demo::users().into_iter().find(|u| u.role == taskdesk_domain::Role::Admin).unwrap();
    let input = CustomerInput { name: "Jana D.".into(), phones: vec!["+420777123456".into()], emails: vec![], company: String::new(), notes: String::new() };
    ws.create_customer(&admin, input, Utc::now()).unwrap();
    assert_eq!(ws.customers_sharing_contact(&spaced, &[], None).len(), 2, "a second record with her number is found too");
}

#[test]
fn u1_beside_a_task_its_customer_s_other_open_work_and_recent_resolved_work() {
    let ws = demo_workspace();
    let customer = ws.customers_by_name().into_iter().find(|c| ws.tasks_of_customer(c.id).len() >= 3).unwrap().id;
    let all = ws.tasks_of_customer(customer);
    let here = all[0].id;
    let (open, recent) = ws.customer_work(customer, Some(here), 2);
    assert!(open.iter().all(|t| t.status.is_open() && t.id != here));
    assert!(recent.len() <= 2 && recent.iter().all(|t| !t.status.is_open() && t.id != here));
    assert!(recent.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    let (open_all, done_all) = ws.customer_work(customer, None, usize::MAX);
    assert_eq!(open_all.len() + done_all.len(), all.len(), "every task is one or the other");
}
