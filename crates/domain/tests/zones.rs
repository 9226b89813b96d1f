//! U1 time zones: each person's zone, checked against the IANA rules of `chrono-tz`: typed times
//! across daylight-saving changes, scheduled calls and their reminders, report days and queue dates.

use chrono::{DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use taskdesk_domain::change::Change;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::permission::check_change;
use taskdesk_domain::queue::{QueueQuery, View};
use taskdesk_domain::reminder::pops_up_at;
use taskdesk_domain::reports::ReportQuery;
use taskdesk_domain::validate::{validate_task, TaskDraft};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::zone::{self, Zone};
use taskdesk_domain::*;

/// A zone of the IANA database, as the browser's `Intl` gives it to the app.
struct Iana(Tz);

impl Zone for Iana {
    fn offset_at(&self, utc: DateTime<Utc>) -> FixedOffset {
        utc.with_timezone(&self.0).offset().fix()
    }
}

fn wall(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn utc(text: &str) -> DateTime<Utc> {
    wall(text).and_utc()
}

const PRAGUE: Iana = Iana(chrono_tz::Europe::Prague);
const NEW_YORK: Iana = Iana(chrono_tz::America::New_York);

#[test]
fn u1_typed_times_follow_daylight_saving_not_todays_offset() {
    // Winter (+1), summer (+2): the offset of the day named, whatever today's is.
    assert_eq!(zone::parse_local("2026-03-20 10:00", &PRAGUE), Some(utc("2026-03-20 09:00")));
    assert_eq!(zone::parse_local("2026-03-30 10:00", &PRAGUE), Some(utc("2026-03-30 08:00")));
    // 02:30 on 29 March 2026 never happens in Prague: read as a clock would show it, 03:30.
    let skipped = zone::parse_local("2026-03-29 02:30", &PRAGUE).unwrap();
    assert_eq!(skipped, utc("2026-03-29 01:30"));
    assert_eq!(zone::local(&PRAGUE, skipped), wall("2026-03-29 03:30"));
    // 02:30 on 25 October 2026 happens twice: the first.
    assert_eq!(zone::parse_local("2026-10-25 02:30", &PRAGUE), Some(utc("2026-10-25 00:30")));
    // And back: a stored instant shows in the zone's time of that day.
    assert_eq!(zone::local(&NEW_YORK, utc("2026-07-01 16:00")), wall("2026-07-01 12:00"));
    assert_eq!(zone::local(&NEW_YORK, utc("2026-12-01 16:00")), wall("2026-12-01 11:00"));
}

#[test]
fn u1_a_call_scheduled_across_the_change_rings_and_reminds_at_the_wall_time_typed() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(3)));
    let agent = &demo::users()[0];
    // Booked in winter time for the first Monday of summer time, reminder 15 minutes before.
    let d = TaskDraft {
        subject: "Call back Jana".into(),
        channel: "call".into(),
        priority: "normal".into(),
        scheduled_at: "2026-03-30T10:00".into(),
        reminder_minutes: "15".into(),
        ..TaskDraft::default()
    };
    let input = validate_task(&d, &[], &PRAGUE, |_| true).unwrap();
    let booked_on = utc("2026-03-20 09:00");
    let id = TaskId(ws.create_task(agent, input, booked_on).unwrap().entity);
    let task = ws.task(id).unwrap();
    assert_eq!(task.scheduled_at, Some(utc("2026-03-30 08:00")), "10:00 summer time in Prague");
    assert_eq!(pops_up_at(task), Some(utc("2026-03-30 07:45")));
    assert_eq!(zone::local(&PRAGUE, pops_up_at(task).unwrap()), wall("2026-03-30 09:45"), "the reminder shows at 09:45 on the agent's clock");
    assert!(ws.due_reminders(utc("2026-03-30 07:44")).is_empty());
    assert_eq!(ws.due_reminders(utc("2026-03-30 07:45")).len(), 1);
}

#[test]
fn u1_reports_and_queue_dates_count_days_in_the_readers_zone() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(4)));
    let agent = &demo::users()[0];
    let d = TaskDraft { subject: "Late email".into(), channel: "email".into(), priority: "normal".into(), ..TaskDraft::default() };
    let input = validate_task(&d, &[], &zone::utc(), |_| true).unwrap();
    // 23:30 UTC on 23 November: the 24th in Prague, still the 23rd in New York.
    ws.create_task(agent, input, utc("2026-11-23 23:30")).unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let on = |d: u32| ReportQuery { from: day(d), to: day(d), sla_target_s: 60 };
    assert_eq!(ws.report(&on(24), &PRAGUE).created, 1);
    assert_eq!(ws.report(&on(23), &PRAGUE).created, 0);
    assert_eq!(ws.report(&on(23), &NEW_YORK).created, 1);
    assert_eq!(ws.report(&on(23), &zone::utc()).created, 1);
    let created_on = |d: u32| QueueQuery { view: View::All, created_from: Some(day(d)), created_to: Some(day(d)), ..QueueQuery::default() };
    assert_eq!(ws.queue(&created_on(24), agent.id, &PRAGUE).len(), 1);
    assert_eq!(ws.queue(&created_on(24), agent.id, &NEW_YORK).len(), 0);
}

#[test]
fn u1_each_person_sets_only_their_own_zone() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(6)));
    let users = demo::users();
    let (alex, bea) = (&users[0], &users[1]);
    let now = utc("2026-11-23 09:00");
    assert_eq!(ws.zone_of(alex.id), None, "without a choice, the device's zone applies");
    let set = ws.set_zone(alex, Some("America/New_York"), now).unwrap().expect("a change");
    assert_eq!(ws.zone_of(alex.id), Some("America/New_York"));
    assert_eq!(ws.zone_of(bea.id), None);
    assert_eq!(ws.set_zone(alex, Some("America/New_York"), now).unwrap(), None, "the same zone again changes nothing");
    assert!(ws.set_zone(alex, Some("New York; drop table"), now).unwrap_err().to_string().contains("is not a time zone"));
    // A change that sets someone else's zone is refused where it is checked (a pull, the server).
    assert_eq!(check_change(&set, &ws.users()), Ok(()));
    let forged = Change { actor: Some(bea.id), ..set.clone() };
    assert!(check_change(&forged, &ws.users()).unwrap_err().contains("not theirs"));
    ws.set_zone(alex, None, now).unwrap().expect("going back to the device's zone is a change");
    assert_eq!(ws.zone_of(alex.id), None);
}

/// The first instant after `from` (within a year) at which `tz` changes its offset.
fn next_change(tz: Tz, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let offset = |t: DateTime<Utc>| t.with_timezone(&tz).offset().fix();
    let start = offset(from);
    let day_after = (1..=366).map(|d| from + Duration::days(d)).find(|t| offset(*t) != start)?;
    let (mut before, mut after) = (day_after - Duration::days(1), day_after);
    while after - before > Duration::minutes(1) {
        let middle = before + (after - before) / 2;
        if offset(middle) == start {
            before = middle;
        } else {
            after = middle;
        }
    }
    Some(after)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any wall time in any zone, most of them within 90 minutes of a change of the zone's offset:
    /// the instant is the one the IANA rules give (the earlier of two), and a time the clocks skip
    /// is moved on by the length of the skip (a whole day in Kwajalein in 1993).
    #[test]
    fn u1_wall_times_map_to_instants_as_the_iana_rules_say(zone_index in 0..chrono_tz::TZ_VARIANTS.len(), minutes in 0i64..(60 * 24 * 365 * 50), near in -90i64..90) {
        let tz = chrono_tz::TZ_VARIANTS[zone_index];
        let from = utc("1990-01-01 00:00") + Duration::minutes(minutes);
        let typed = match next_change(tz, from) {
            Some(change) => change.with_timezone(&tz).naive_local() + Duration::minutes(near),
            None => from.naive_utc(),
        };
        let ours = zone::instant(&Iana(tz), typed).unwrap();
        match tz.from_local_datetime(&typed) {
            LocalResult::Single(t) => prop_assert_eq!(ours, t.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, second) => prop_assert_eq!(ours, first.min(second).with_timezone(&Utc)),
            LocalResult::None => {
                // Moved on by the skip (a day, where a zone crossed the date line), to a wall time that exists.
                let shown = zone::local(&Iana(tz), ours);
                prop_assert!(shown > typed && shown - typed <= Duration::hours(25), "{} read as {} in {}", typed, shown, tz);
                prop_assert!(!matches!(tz.from_local_datetime(&shown), LocalResult::None), "{} read as {}, which {} skips too", typed, shown, tz);
            }
        }
    }

    /// Any instant shown in any zone and typed back is the same instant (the first, when that
    /// wall time happens twice).
    #[test]
    fn u1_shown_and_typed_back_is_the_same_instant(zone_index in 0..chrono_tz::TZ_VARIANTS.len(), seconds in 631_152_000i64..2_208_988_800) {
        let z = Iana(chrono_tz::TZ_VARIANTS[zone_index]);
        let at = DateTime::from_timestamp(seconds - seconds % 60, 0).unwrap();
        let back = zone::instant(&z, zone::local(&z, at)).unwrap();
        prop_assert!(back == at || (back < at && zone::local(&z, back) == zone::local(&z, at)), "{} came back as {}", at, back);
    }
}
