//! Time zones: each person reads and types times in their own, and reports count days in it.
//!
//! The rules of a zone (its offset at an instant) come from outside the domain: the browser's
//! `Intl` in the app, `chrono-tz` in tests. Everything else (a typed wall-clock time to an
//! instant, across daylight-saving changes) is decided here, once.

use crate::change::Change;
use crate::ids::UserId;
use crate::user::User;
use crate::workspace::{DomainError, Workspace};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc};

/// A time zone's rules.
pub trait Zone {
    /// The zone's offset from UTC at an instant.
    fn offset_at(&self, utc: DateTime<Utc>) -> FixedOffset;
}

impl Zone for FixedOffset {
    fn offset_at(&self, _: DateTime<Utc>) -> FixedOffset {
        *self
    }
}

/// UTC, for places where no person's zone applies.
pub fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("a zero offset is valid")
}

/// The wall-clock time in `zone` at an instant.
pub fn local(zone: &dyn Zone, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&zone.offset_at(at)).naive_local()
}

/// The calendar day in `zone` at an instant.
pub fn day_of(zone: &dyn Zone, at: DateTime<Utc>) -> NaiveDate {
    local(zone, at).date()
}

/// The instant a wall-clock time in `zone` names. A time that happens twice (the hour the clocks
/// go back) is the first; a time that never happens (the hour they go forward) is read with the
/// offset from before the change, so 02:30 on that night becomes 03:30, as a clock would show.
pub fn instant(zone: &dyn Zone, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
    let as_utc = wall.and_utc();
    // Offsets in force around that wall time; no zone changes twice within a day.
    let before = zone.offset_at(as_utc.checked_sub_signed(Duration::days(1))?);
    let after = zone.offset_at(as_utc.checked_add_signed(Duration::days(1))?);
    let fits = |offset: FixedOffset| {
        let candidate = as_utc.checked_sub_signed(Duration::seconds(offset.local_minus_utc() as i64))?;
        Some(candidate).filter(|c| zone.offset_at(*c) == offset)
    };
    match (fits(before), fits(after)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (Some(a), None) | (None, Some(a)) => Some(a),
        (None, None) => as_utc.checked_sub_signed(Duration::seconds(before.local_minus_utc() as i64)),
    }
}

/// Reads a wall-clock time as a form or a person writes it (`2026-11-23T14:30`, with seconds, or
/// with a space), in `zone`.
pub fn parse_local(text: &str, zone: &dyn Zone) -> Option<DateTime<Utc>> {
    let wall = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"].iter().find_map(|f| NaiveDateTime::parse_from_str(text.trim(), f).ok())?;
    instant(zone, wall)
}

/// Reads an offset as `Intl` writes it (`GMT+01:00`, `GMT-03:30`, `GMT` for zero).
pub fn parse_gmt_offset(text: &str) -> Option<FixedOffset> {
    let rest = text.trim().strip_prefix("GMT").or_else(|| text.trim().strip_prefix("UTC"))?;
    if rest.is_empty() {
        return FixedOffset::east_opt(0);
    }
    let (sign, digits) = match (rest.strip_prefix('+'), rest.strip_prefix(['-', '\u{2212}'])) {
        (Some(digits), _) => (1, digits),
        (_, Some(digits)) => (-1, digits),
        _ => return None,
    };
    let (hours, minutes) = digits.split_once(':').unwrap_or((digits, "0"));
    let (hours, minutes): (u8, u8) = (hours.parse().ok()?, minutes.parse().ok()?);
    if hours > 18 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (i32::from(hours) * 3600 + i32::from(minutes) * 60))
}

/// Checks the shape of a zone's name (`Europe/Prague`, `America/Argentina/Buenos_Aires`, `UTC`);
/// whether the zone exists is for the screen to check against the browser's list.
pub fn checked_name(name: &str) -> Result<&str, DomainError> {
    let name = name.trim();
    let shaped = !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
    if shaped {
        Ok(name)
    } else {
        Err(DomainError::Invalid(format!("“{name}” is not a time zone; pick one from the list, such as Europe/Prague.")))
    }
}

impl Workspace {
    /// The time zone a person chose, if any (otherwise their device's applies).
    pub fn zone_of(&self, user: UserId) -> Option<&str> {
        self.config.zone.get(&user.to_string()).map(String::as_str)
    }

    /// Sets the actor's own time zone, or with `None` goes back to the device's. Everyone may;
    /// only their own. `None` when nothing changes.
    pub fn set_zone(&mut self, actor: &User, name: Option<&str>, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let name = name.map(checked_name).transpose()?;
        let mut after = self.config.clone();
        match name {
            Some(n) => after.zone.insert(actor.id.to_string(), n.to_string()),
            None => after.zone.remove(&actor.id.to_string()),
        };
        let before = self.config.clone();
        self.commit_diff(actor, now, &before, &after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_offset_reads_and_writes_the_same_wall_time() {
        let prague_winter = FixedOffset::east_opt(3600).unwrap();
        let at = parse_local("2026-11-23 14:30", &prague_winter).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-23T13:30:00+00:00");
        assert_eq!(local(&prague_winter, at).format("%Y-%m-%dT%H:%M").to_string(), "2026-11-23T14:30");
        assert_eq!(parse_local("yesterday", &prague_winter), None);
    }

    #[test]
    fn offsets_read_as_intl_writes_them() {
        let east = |s: i32| FixedOffset::east_opt(s);
        assert_eq!(parse_gmt_offset("GMT+01:00"), east(3600));
        assert_eq!(parse_gmt_offset("GMT-03:30"), east(-12600));
        assert_eq!(parse_gmt_offset("GMT\u{2212}05:00"), east(-18000));
        assert_eq!(parse_gmt_offset("GMT+5"), east(18000));
        assert_eq!(parse_gmt_offset("GMT"), east(0));
        assert_eq!(parse_gmt_offset("CET"), None);
        assert_eq!(parse_gmt_offset("GMT+99:00"), None);
        assert_eq!(parse_gmt_offset("GMT+"), None);
        assert_eq!(parse_gmt_offset("GMT--05:00"), None);
    }
}
