//! Reads stored times (RFC 3339 in UTC, as they are written) without chrono's general parser.
//!
//! A cold start reads 100,000 tasks' creation times; chrono's parser, which handles every form of
//! RFC 3339, was about a twelfth of decoding a task in wasm. The form Taskdesk writes
//! (`2026-09-14T22:20:00Z`, with up to nine digits of a second) is read directly; anything else
//! goes to chrono, so what is accepted is exactly what chrono accepts.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::de::{Deserializer, Error, Visitor};
use std::fmt;

/// Reads a time: the written form directly, any other RFC 3339 form through chrono.
pub fn parse(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    written_form(text).map_or_else(|| text.parse::<DateTime<FixedOffset>>().map(|t| t.with_timezone(&Utc)), Ok)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, as chrono writes a UTC time; `None` for any other form.
fn written_form(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let digits = |from: usize, to: usize| b[from..to].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    let nanos = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => digits(20, b.len() - 1)? * 10u32.pow(9 - fraction.len() as u32),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(digits(0, 4)? as i32, digits(5, 7)?, digits(8, 10)?)?;
    // Seconds past 59 (a leap second) are left to chrono.
    let (hour, minute, second) = (digits(11, 13)?, digits(14, 16)?, digits(17, 19)?);
    (second < 60).then_some(())?;
    Some(date.and_hms_nano_opt(hour, minute, second, nanos)?.and_utc())
}

/// `#[serde(deserialize_with)]` for a stored time.
pub fn utc<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(TimeVisitor)
}

/// `#[serde(deserialize_with)]` for a stored time that may be `null`.
pub fn utc_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    d.deserialize_option(MaybeTimeVisitor)
}

struct TimeVisitor;

impl Visitor<'_> for TimeVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date and time (RFC 3339)")
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Self::Value, E> {
        parse(text).map_err(E::custom)
    }
}

struct MaybeTimeVisitor;

impl<'de> Visitor<'de> for MaybeTimeVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date and time (RFC 3339) or null")
    }

    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        utc(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn other_forms_still_read_as_chrono_reads_them() {
        let at = Utc.with_ymd_and_hms(2026, 9, 14, 22, 20, 0).unwrap();
        assert_eq!(parse("2026-09-15T00:20:00+02:00"), Ok(at));
        assert_eq!(parse("2026-09-14t22:20:00z"), Ok(at));
        assert_eq!(parse("2026-09-14T22:20:00.5Z"), Ok(at + chrono::Duration::milliseconds(500)));
        for bad in ["", "2026-02-30T10:00:00Z", "2026-09-14T24:00:00Z", "2026-09-14T22:20:00.Z", "yesterday", "2026-09-14T22:2a:00Z"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Whatever time chrono writes, it reads back the same, and the direct reading agrees with chrono's.
        #[test]
        fn reads_what_chrono_writes(secs in -62_000_000_000i64..250_000_000_000, nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000, (0u32..1000).prop_map(|m| m * 1_000_000)]) {
            let at = Utc.timestamp_opt(secs, nanos).unwrap();
            let text = serde_json::to_string(&at).unwrap();
            let plain = text.trim_matches('"');
            prop_assert_eq!(parse(plain), Ok(at));
            prop_assert!(written_form(plain).is_some(), "{}", plain);
            prop_assert_eq!(parse(plain), plain.parse::<DateTime<FixedOffset>>().map(|t| t.with_timezone(&Utc)));
        }

        #[test]
        fn any_text_reads_as_chrono_reads_it(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,10})?Z?") {
            prop_assert_eq!(parse(&text).ok(), text.parse::<DateTime<FixedOffset>>().ok().map(|t| t.with_timezone(&Utc)));
        }
    }
}
