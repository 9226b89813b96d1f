//! Hybrid logical clock: stamps that order changes across devices even when wall clocks disagree.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// One moment on the hybrid logical clock: wall-clock milliseconds, a counter for
/// changes within the same millisecond, and the device that made it (the tie-breaker).
///
/// Stamps order totally: by milliseconds, then counter, then device. Its text form
/// sorts the same way as the stamp, so storage indexes can order by it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (wall clock, never going backwards on one device).
    pub millis: u64,
    /// Changes made within the same millisecond on one device.
    pub counter: u32,
    /// The device that made the change.
    pub node: String,
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:015}-{:010}-{}", self.millis, self.counter, self.node)
    }
}

/// Why a stamp's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a valid change stamp")]
pub struct BadStamp(pub String);

impl FromStr for Hlc {
    type Err = BadStamp;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadStamp(s.chars().take(60).collect());
        let mut parts = s.splitn(3, '-');
        let millis = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let counter = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let node = parts.next().ok_or_else(bad)?;
        Ok(Hlc { millis, counter, node: node.to_string() })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Per field, the stamp of the change that last set it: what field-by-field merging compares.
///
/// Stored grouped by stamp (`{"<stamp>": ["subject", "status"]}`) because most fields of a record
/// share the stamp of the change that created it; that keeps stored records small and quick to read.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Stamps(pub BTreeMap<String, Hlc>);

impl Stamps {
    /// The stamp that last set `field`, if any.
    pub fn get(&self, field: &str) -> Option<&Hlc> {
        self.0.get(field)
    }

    /// Records that `stamp` set `field`.
    pub fn set(&mut self, field: &str, stamp: Hlc) {
        self.0.insert(field.to_string(), stamp);
    }
}

impl Serialize for Stamps {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut grouped: BTreeMap<&Hlc, Vec<&str>> = BTreeMap::new();
        for (field, stamp) in &self.0 {
            grouped.entry(stamp).or_default().push(field);
        }
        s.collect_map(grouped.into_iter().map(|(stamp, fields)| (stamp.to_string(), fields)))
    }
}

impl<'de> Deserialize<'de> for Stamps {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let grouped = BTreeMap::<String, Vec<String>>::deserialize(d)?;
        let mut stamps = BTreeMap::new();
        for (stamp, fields) in grouped {
            let stamp: Hlc = stamp.parse().map_err(serde::de::Error::custom)?;
            for field in fields {
                stamps.insert(field, stamp.clone());
            }
        }
        Ok(Stamps(stamps))
    }
}

/// The clock of one device: hands out strictly increasing stamps and moves past
/// any stamp it sees from elsewhere, so a later local change always wins over
/// what it has already seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    last: Hlc,
}

impl Clock {
    /// A clock for the device `node` that has not ticked yet.
    pub fn new(node: impl Into<String>) -> Self {
        Clock { last: Hlc { millis: 0, counter: 0, node: node.into() } }
    }

    /// The device this clock belongs to.
    pub fn node(&self) -> &str {
        &self.last.node
    }

    /// The latest stamp this clock has made or seen.
    pub fn last(&self) -> &Hlc {
        &self.last
    }

    /// A new stamp later than every stamp this clock has made or seen.
    pub fn tick(&mut self, now_millis: u64) -> Hlc {
        if now_millis > self.last.millis {
            self.last.millis = now_millis;
            self.last.counter = 0;
        } else {
            self.last.counter += 1;
        }
        self.last.clone()
    }

    /// Moves the clock past a stamp received from another device.
    pub fn observe(&mut self, seen: &Hlc) {
        if (seen.millis, seen.counter) > (self.last.millis, self.last.counter) {
            self.last.millis = seen.millis;
            self.last.counter = seen.counter;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ticks_increase_even_when_the_wall_clock_goes_back() {
        let mut clock = Clock::new("AAAAA");
        let a = clock.tick(1_000);
        let b = clock.tick(900);
        let c = clock.tick(1_000);
        assert!(a < b && b < c);
    }

    #[test]
    fn observing_a_later_stamp_moves_the_clock_past_it() {
        let mut clock = Clock::new("AAAAA");
        clock.tick(10);
        let remote = Hlc { millis: 5_000, counter: 7, node: "BBBBB".into() };
        clock.observe(&remote);
        assert!(clock.tick(20) > remote);
    }

    #[test]
    fn stamps_are_stored_grouped_and_read_back_exactly() {
        let a = Hlc { millis: 5, counter: 0, node: "AAAAA".into() };
        let b = Hlc { millis: 9, counter: 1, node: "BBBBB".into() };
        let mut stamps = Stamps::default();
        stamps.set("subject", a.clone());
        stamps.set("status", a.clone());
        stamps.set("priority", b.clone());
        let text = serde_json::to_string(&stamps).unwrap();
        assert_eq!(text.matches("AAAAA").count(), 1, "{text}");
        assert_eq!(serde_json::from_str::<Stamps>(&text).unwrap(), stamps);
        assert!(serde_json::from_str::<Stamps>(r#"{"nonsense": ["subject"]}"#).is_err());
    }

    proptest! {
        #[test]
        fn text_form_round_trips_and_sorts_like_the_stamp(
            a in (0u64..1_000_000_000_000_000, any::<u32>(), "[A-Z0-9]{1,8}"),
            b in (0u64..1_000_000_000_000_000, any::<u32>(), "[A-Z0-9]{1,8}"),
        ) {
            let a = Hlc { millis: a.0, counter: a.1, node: a.2 };
            let b = Hlc { millis: b.0, counter: b.1, node: b.2 };
            prop_assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a.clone());
            if a.node.len() == b.node.len() {
                prop_assert_eq!(a.cmp(&b), a.to_string().cmp(&b.to_string()));
            }
        }

        #[test]
        fn parsing_any_text_never_panics(s in ".{0,40}") {
            let _ = s.parse::<Hlc>();
        }
    }
}
