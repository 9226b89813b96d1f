//! S1 team statistics from local records: counts, wait, handle and first-response times, SLA,
//! days and CSV.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::lifecycle::StatusAction;
use taskdesk_domain::reports::{to_csv, ReportQuery};
use taskdesk_domain::validate::{validate_task, TaskDraft};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;

fn at(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap() + Duration::minutes(min)
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

#[test]
fn s1_counts_times_sla_days_and_csv() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(5)));
    let (alex, bea) = (demo::users()[0].clone(), demo::users()[1].clone());
    let make = |ws: &mut Workspace, subject: &str, channel: &str, queue: &str, when: DateTime<Utc>| {
        let d = TaskDraft { subject: subject.into(), channel: channel.into(), priority: "normal".into(), queue: queue.into(), ..TaskDraft::default() };
        TaskId(ws.create_task(&alex, validate_task(&d, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), when).unwrap().entity)
    };
    let assign = |ws: &mut Workspace, id: TaskId, who: &User, when| {
        let before = ws.task(id).unwrap().clone();
        ws.edit_task(who, &before, &Task { assignee: Some(who.id), ..before.clone() }, when).unwrap();
    };
    // Stamps follow the device's clock, which never runs backwards: record in time order.
    let a = make(&mut ws, "Refund", "email", "Billing", at(0));
    assign(&mut ws, a, &alex, at(1)); // waited 60 s
    ws.reply(&alex, a, "We have refunded you.", at(3)).unwrap(); // first reply after 180 s
    ws.set_hashtags(&alex, a, "#refund", at(4)).unwrap();
    let b = make(&mut ws, "Router", "chat", "Support", at(10));
    ws.change_status(&alex, a, StatusAction::Resolve, at(11)).unwrap(); // handled 600 s
    ws.set_codes(&alex, a, &["SALE".to_string()], at(12)).unwrap();
    assign(&mut ws, b, &bea, at(15)); // waited 300 s
    ws.add_note(&bea, b, "Asked the network team.", at(16)).unwrap(); // a note is not a reply
    make(&mut ws, "Quote", "email", "=HYPERLINK(\"x\")", at(24 * 60));
    make(&mut ws, "Outside the range", "email", "Billing", at(10 * 24 * 60));

    let q = ReportQuery { from: day(20), to: day(22), sla_target_s: 120 };
    let r = ws.report(&q, &taskdesk_domain::zone::utc());
    assert_eq!((r.created, r.resolved), (3, 1));
    let counts = |dim: &str| r.counts.iter().find(|(d, _)| *d == dim).unwrap().1.clone();
    assert_eq!(counts("Channel"), [("Email".to_string(), 2), ("Chat".to_string(), 1)]);
    assert_eq!(counts("Agent"), [("Alex Novak".to_string(), 1), ("Bea Costa".to_string(), 1), ("Unassigned".to_string(), 1)]);
    assert_eq!(counts("Queue")[0], ("=HYPERLINK(\"x\")".to_string(), 1));
    assert_eq!(counts("Hashtag"), [("#refund".to_string(), 1)]);
    assert_eq!(counts("Transaction code"), [("SALE".to_string(), 1)]);
    assert_eq!((r.wait.count, r.wait.mean_s, r.wait.p90_s), (2, 180.0, 300.0));
    assert_eq!((r.handle.count, r.handle.median_s), (1, 600.0));
    assert_eq!((r.first_response.count, r.first_response.median_s), (1, 180.0));
    assert_eq!(r.sla, (1, 2), "one of two waited at most 120 s");
    assert_eq!(r.sla_percent(), Some(50.0));
    // Against the queues' own targets (Billing: first reply within 60 min, resolution within a day).
    assert_eq!(r.queue_targets, [(1, 1), (1, 1)], "the chat has no reply yet, so it is not measured");
    assert_eq!(r.days.iter().map(|d| (d.created, d.resolved)).collect::<Vec<_>>(), [(2, 1), (1, 0), (0, 0)]);

    let csv = to_csv(&r, &q);
    assert!(csv.starts_with("section,name,value\r\n"));
    assert!(csv.contains("sla,met,1\r\n"));
    assert!(csv.contains("queue targets,resolved within,1\r\n"));
    assert!(csv.contains("by queue,\"'=HYPERLINK(\"\"x\"\")\",1\r\n"), "a formula is neutralised and quoted: {csv}");
    assert!(csv.contains("created per day,2026-11-20,2\r\n"));

    let empty = ws.report(&ReportQuery { from: day(1), to: day(2), sla_target_s: 120 }, &taskdesk_domain::zone::utc());
    assert_eq!((empty.created, empty.sla_percent(), empty.wait.count), (0, None, 0));
}

#[test]
fn s1_the_demo_history_reads_as_two_weeks_of_work() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(6)));
    demo::seed(&mut ws, 42, now).unwrap();
    let r = ws.report(&ReportQuery { from: day(9), to: day(23), sla_target_s: 120 }, &taskdesk_domain::zone::utc());
    let days_with_resolutions = r.days.iter().filter(|d| d.resolved > 0).count();
    assert!(days_with_resolutions >= 5, "resolutions spread over the fortnight: {:?}", r.days);
    assert!(r.handle.count > 5 && r.handle.median_s < 3.0 * 3600.0, "handled within hours, not days: {:?}", r.handle);
}
