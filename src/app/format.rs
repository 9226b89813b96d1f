//! How times and durations read on screen, in the agent's time zone.

use chrono::{DateTime, Duration, FixedOffset, Utc};

/// The agent's offset from UTC in minutes (east positive), from the browser.
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(utc_offset_minutes() * 60).unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
    t.with_timezone(&offset)
}

/// `23 Nov 2026, 14:30` in local time.
pub fn date_time(t: DateTime<Utc>) -> String {
    local(t).format("%-d %b %Y, %H:%M").to_string()
}

/// The value a `datetime-local` input shows for `t`.
pub fn input_date_time(t: DateTime<Utc>) -> String {
    local(t).format("%Y-%m-%dT%H:%M").to_string()
}

/// How long ago, briefly: `now`, `12 min`, `3 h`, `5 d`.
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let d = now - since;
    if d < Duration::minutes(1) {
        "now".into()
    } else {
        taskdesk_domain::duration::brief(d.num_milliseconds().max(0) as u64)
    }
}

/// `14:30:05` in local time, for a moment given in milliseconds since the epoch.
pub fn clock_time(millis: u64) -> String {
    DateTime::from_timestamp_millis(millis as i64).map(|t| local(t).format("%H:%M:%S").to_string()).unwrap_or_default()
}
