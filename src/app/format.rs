//! How times and durations read on screen, in the agent's time zone.

use chrono::{DateTime, Duration, Utc};
use taskdesk_domain::zone::{local, Zone};

/// `23 Nov 2026, 14:30` in the person's zone.
pub fn date_time(zone: &dyn Zone, t: DateTime<Utc>) -> String {
    local(zone, t).format("%-d %b %Y, %H:%M").to_string()
}

/// The value a `datetime-local` input shows for `t` in the person's zone.
pub fn input_date_time(zone: &dyn Zone, t: DateTime<Utc>) -> String {
    local(zone, t).format("%Y-%m-%dT%H:%M").to_string()
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

/// `14:30:05` in the person's zone, for a moment given in milliseconds since the epoch.
pub fn clock_time(zone: &dyn Zone, millis: u64) -> String {
    DateTime::from_timestamp_millis(millis as i64).map(|t| local(zone, t).format("%H:%M:%S").to_string()).unwrap_or_default()
}
