//! T4 reminders: when they pop up, past due after the app was closed, dismissing and rescheduling.

use chrono::{DateTime, Duration, TimeZone, Utc};
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::reminder::pops_up_at;
use taskdesk_domain::validate::{validate_task, TaskDraft};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn scheduled(ws: &mut Workspace, subject: &str, at: &str, minutes: &str) -> TaskId {
    let d = TaskDraft { subject: subject.into(), channel: "call".into(), priority: "normal".into(), scheduled_at: at.into(), reminder_minutes: minutes.into(), ..TaskDraft::default() };
    let input = validate_task(&d, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap();
    TaskId(ws.create_task(&demo::users()[0], input, t0()).unwrap().entity)
}

#[test]
fn t4_a_reminder_pops_up_its_minutes_before_the_scheduled_time() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(5)));
    let id = scheduled(&mut ws, "Call back Jana", "2026-11-23T09:30", "10");
    scheduled(&mut ws, "No reminder", "2026-11-23T09:30", "");
    assert_eq!(pops_up_at(ws.task(id).unwrap()), Some(t0() + Duration::minutes(20)));
    assert_eq!(ws.next_reminder_after(t0()), Some(t0() + Duration::minutes(20)));
    assert!(ws.due_reminders(t0() + Duration::minutes(19)).is_empty());
    let due = ws.due_reminders(t0() + Duration::minutes(20));
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].task, due[0].past_due), (id, false));
}

#[test]
fn t4_a_reminder_missed_while_closed_is_past_due_and_dismissing_it_is_remembered() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(5)));
    let id = scheduled(&mut ws, "Call back Jana", "2026-11-23T09:30", "10");
    let later = t0() + Duration::hours(2);
    assert!(ws.due_reminders(later)[0].past_due);
    ws.dismiss_reminder(&demo::users()[0], id, later).unwrap();
    assert!(ws.due_reminders(later).is_empty());
    assert_eq!(ws.next_reminder_after(later), None);
    // Rescheduling brings the reminder back for the new time.
    let mut moved = ws.task(id).unwrap().clone();
    let before = moved.clone();
    moved.scheduled_at = Some(t0() + Duration::hours(5));
    ws.edit_task(&demo::users()[0], &before, &moved, later).unwrap();
    assert_eq!(ws.next_reminder_after(later), Some(t0() + Duration::hours(5) - Duration::minutes(10)));
}

#[test]
fn t4_resolved_and_deleted_tasks_do_not_remind() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(5)));
    let id = scheduled(&mut ws, "Call back Jana", "2026-11-23T09:30", "10");
    ws.delete_task(&demo::users()[4], id, t0()).unwrap();
    assert!(ws.due_reminders(t0() + Duration::hours(1)).is_empty());
}
