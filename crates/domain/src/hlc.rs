//! Hybrid logical clock: stamps that order changes across devices even when wall clocks disagree.

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
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
        // Digits written by hand: every change and stored record formats stamps, and the
        // formatter's zero padding was about a tenth of planning a first sync's write.
        const MILLIS: usize = 15;
        if self.millis >= 10u64.pow(MILLIS as u32) {
            return write!(f, "{:015}-{:010}-{}", self.millis, self.counter, self.node);
        }
        let mut text = [b'-'; MILLIS + 1 + 10 + 1];
        write_padded(&mut text[..MILLIS], self.millis);
        write_padded(&mut text[MILLIS + 1..MILLIS + 11], u64::from(self.counter));
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)?;
        f.write_str(&self.node)
    }
}

/// Writes `n` in decimal filling `digits` (zeros in front); `n` has no more digits than it holds.
fn write_padded(digits: &mut [u8], mut n: u64) {
    for d in digits.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
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

/// Stored as its text; a binary encoding (the packed copy a cold start reads) keeps its three
/// parts as they are, with nothing to format or parse.
impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            (self.millis, self.counter, &self.node).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            d.deserialize_str(TextVisitor(|text: &str| text.parse::<Hlc>()))
        } else {
            let (millis, counter, node) = <(u64, u32, String)>::deserialize(d)?;
            Ok(Hlc { millis, counter, node })
        }
    }
}

/// Per field, the stamp of the change that last set it: what field-by-field merging compares.
///
/// Stored grouped by stamp (`{"<stamp>": ["subject", "status"]}`) because most fields of a record
/// share the stamp of the change that created it; that keeps stored records small and quick to read.
/// Kept grouped in memory too, each distinct stamp once, and the records' own field names are kept
/// as their places in one sorted list, not copied: decoding a task's stamps made about sixty small
/// allocations before, more than half of decoding a task natively.
#[derive(Clone, Debug, Default)]
pub struct Stamps {
    /// Each stamp that set some field, once (one that no longer sets any may linger until saved).
    seen: Vec<Hlc>,
    /// Per field name, sorted by name, the index of its stamp in `seen`.
    fields: Vec<(FieldName, usize)>,
}

/// A field's name: one of the records' own fields, by its place among all of them (sorted, so
/// places order as names do and compare as numbers), or an entry of a keyed map (`custom.<key>`)
/// kept as its own text.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum FieldName {
    Known(u8),
    Other(Box<str>),
}

impl FieldName {
    /// The name for `name`: its place when it is one of the records' own fields, else a copy.
    fn of(name: &str) -> Self {
        crate::change::known_field(name).map_or_else(|| FieldName::Other(name.into()), FieldName::Known)
    }

    fn as_str(&self) -> &str {
        match self {
            FieldName::Known(place) => crate::change::known_field_name(*place),
            FieldName::Other(name) => name,
        }
    }

    /// Orders as the names' texts do, comparing places alone when both are own fields.
    fn cmp(&self, other: &FieldName) -> std::cmp::Ordering {
        match (self, other) {
            (FieldName::Known(a), FieldName::Known(b)) => a.cmp(b),
            _ => self.as_str().cmp(other.as_str()),
        }
    }
}

impl Stamps {
    /// The stamp that last set `field`, if any.
    pub fn get(&self, field: &str) -> Option<&Hlc> {
        self.position(field).ok().map(|i| &self.seen[self.fields[i].1])
    }

    /// The stamps of a new record whose every field in `fields` was set by `stamp` (sorted once,
    /// where setting them one by one searched and shifted the list for each); `None` when a field
    /// is named twice.
    pub fn all_at<'a>(fields: impl Iterator<Item = &'a str>, stamp: &Hlc) -> Option<Stamps> {
        let mut named: Vec<FieldName> = fields.map(FieldName::of).collect();
        let count = named.len();
        named.sort_unstable_by(FieldName::cmp);
        named.dedup_by(|a, b| a.cmp(b).is_eq());
        if named.len() < count {
            return None;
        }
        let seen = if named.is_empty() { Vec::new() } else { vec![stamp.clone()] };
        Some(Stamps { seen, fields: named.into_iter().map(|f| (f, 0)).collect() })
    }

    /// Records that `stamp` set `field` (copying the stamp only the first time it sets one).
    pub fn set(&mut self, field: &str, stamp: &Hlc) {
        let at = self.seen.iter().position(|s| s == stamp).unwrap_or_else(|| {
            self.seen.push(stamp.clone());
            self.seen.len() - 1
        });
        match self.position(field) {
            Ok(i) => self.fields[i].1 = at,
            Err(i) => self.fields.insert(i, (FieldName::of(field), at)),
        }
    }

    /// Every field with the stamp that last set it, by field name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Hlc)> {
        self.fields.iter().map(|(f, at)| (f.as_str(), &self.seen[*at]))
    }

    fn position(&self, field: &str) -> Result<usize, usize> {
        let place = crate::change::known_field(field);
        self.fields.binary_search_by(|(f, _)| match (f, place) {
            (FieldName::Known(a), Some(b)) => a.cmp(&b),
            _ => f.as_str().cmp(field),
        })
    }
}

impl PartialEq for Stamps {
    fn eq(&self, other: &Self) -> bool {
        self.fields.len() == other.fields.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Stamps {}

/// Stored grouped by stamp, with field names as text. A binary encoding (the packed copy a cold
/// start reads) keeps them as held: each stamp once, then each field by its place with the index
/// of its stamp, so reading them looks up no name. A place means a name only among the same list
/// of own fields, so that encoding is read only by a build with the same list (see
/// [`crate::change::own_fields`]).
impl Serialize for Stamps {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            return (&self.seen, &self.fields).serialize(s);
        }
        let mut grouped: BTreeMap<&Hlc, Vec<&str>> = BTreeMap::new();
        for (field, stamp) in self.iter() {
            grouped.entry(stamp).or_default().push(field);
        }
        s.collect_map(grouped.into_iter().map(|(stamp, fields)| (stamp.to_string(), fields)))
    }
}

impl<'de> Deserialize<'de> for Stamps {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            return d.deserialize_map(StampsVisitor);
        }
        let (seen, fields) = <(Vec<Hlc>, Vec<(FieldName, usize)>)>::deserialize(d)?;
        let known = crate::change::own_fields().len();
        if fields.iter().any(|(f, at)| *at >= seen.len() || matches!(f, FieldName::Known(place) if usize::from(*place) >= known)) {
            return Err(serde::de::Error::custom("a field's stamp or place is out of range"));
        }
        let sorted = fields.windows(2).all(|w| w[0].0.cmp(&w[1].0).is_lt());
        let stamps = Stamps { seen, fields };
        Ok(if sorted { stamps } else { stamps.settled() })
    }
}

impl Stamps {
    /// Sorts the fields by name, each once: a field listed under two stamps (never written so,
    /// but possible in damaged data) keeps the later stamp, as merging would.
    fn settled(mut self) -> Stamps {
        self.fields.sort_by(|a, b| a.0.cmp(&b.0));
        let seen = &self.seen;
        self.fields.dedup_by(|later, kept| {
            let same = later.0.cmp(&kept.0).is_eq();
            if same && seen[later.1] > seen[kept.1] {
                kept.1 = later.1;
            }
            same
        });
        self
    }
}

/// Reads `{"<stamp>": ["field", ...], ...}` straight into [`Stamps`], without a map in between.
struct StampsVisitor;

impl<'de> Visitor<'de> for StampsVisitor {
    type Value = Stamps;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("field names grouped by the stamp that set them")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Stamps, A::Error> {
        let mut stamps = Stamps::default();
        while let Some(stamp) = map.next_key::<Hlc>()? {
            stamps.seen.push(stamp);
            map.next_value_seed(FieldsOf { stamps: &mut stamps })?;
        }
        Ok(stamps.settled())
    }
}

/// Reads one stamp's list of field names into the stamps being read.
struct FieldsOf<'a> {
    stamps: &'a mut Stamps,
}

impl<'de> DeserializeSeed<'de> for FieldsOf<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FieldsOf<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of field names")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let at = self.stamps.seen.len() - 1;
        while let Some(FieldText(name)) = seq.next_element()? {
            self.stamps.fields.push((name, at));
        }
        Ok(())
    }
}

/// A field name read without copying when it is one of the records' own.
struct FieldText(FieldName);

impl<'de> Deserialize<'de> for FieldText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor(|text: &str| Ok::<_, std::convert::Infallible>(FieldText(FieldName::of(text)))))
    }
}

/// Reads a string by reference (no copy of the text itself) and turns it into a value.
struct TextVisitor<F>(F);

impl<'de, T, E: fmt::Display, F: FnOnce(&str) -> Result<T, E>> Visitor<'de> for TextVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<Er: serde::de::Error>(self, text: &str) -> Result<T, Er> {
        (self.0)(text).map_err(Er::custom)
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
        stamps.set("subject", &a);
        stamps.set("status", &a);
        stamps.set("priority", &b);
        let text = serde_json::to_string(&stamps).unwrap();
        assert_eq!(text.matches("AAAAA").count(), 1, "{text}");
        assert_eq!(serde_json::from_str::<Stamps>(&text).unwrap(), stamps);
        assert!(serde_json::from_str::<Stamps>(r#"{"nonsense": ["subject"]}"#).is_err());
    }

    #[test]
    fn a_field_listed_under_two_stamps_keeps_the_later() {
        let text = r#"{"000000000000009-0000000000-B": ["subject"], "000000000000005-0000000000-A": ["subject", "custom.tier"]}"#;
        let stamps: Stamps = serde_json::from_str(text).unwrap();
        assert_eq!(stamps.get("subject").map(|s| s.millis), Some(9));
        assert_eq!(stamps.get("custom.tier").map(|s| s.millis), Some(5));
        assert_eq!(stamps.iter().count(), 2);
    }

    #[test]
    fn binary_stamps_out_of_range_are_refused_and_out_of_order_are_settled() {
        let (a, b) = (Hlc { millis: 5, counter: 0, node: "A".into() }, Hlc { millis: 9, counter: 0, node: "B".into() });
        let subject = || FieldName::of("subject");
        let read = |fields: Vec<(FieldName, usize)>| postcard::from_bytes::<Stamps>(&postcard::to_allocvec(&(vec![a.clone(), b.clone()], fields)).unwrap());
        assert!(read(vec![(subject(), 2)]).is_err(), "no third stamp");
        assert!(read(vec![(FieldName::Known(u8::MAX), 0)]).is_err(), "no such field");
        let settled = read(vec![(FieldName::of("status"), 0), (subject(), 1), (FieldName::of("custom.tier"), 0), (subject(), 0)]).unwrap();
        assert_eq!(settled.iter().map(|(f, s)| (f, s.millis)).collect::<Vec<_>>(), vec![("custom.tier", 5), ("status", 5), ("subject", 9)]);
    }

    proptest! {
        /// The text is the formatter's zero-padded form for any stamp (the hand-written digits
        /// and the fallback for a millisecond count past fifteen digits), and reads back.
        #[test]
        fn a_stamps_text_is_its_padded_parts_and_reads_back(millis in prop_oneof![0u64..10_000_000_000_000_000, any::<u64>()], counter in any::<u32>(), node in "[A-Z0-9]{0,6}") {
            let stamp = Hlc { millis, counter, node };
            let text = stamp.to_string();
            prop_assert_eq!(&text, &format!("{:015}-{:010}-{}", stamp.millis, stamp.counter, stamp.node));
            prop_assert_eq!(text.parse::<Hlc>().unwrap(), stamp);
        }

        /// Stamps answer, compare and round-trip exactly as a plain map from field to stamp would,
        /// whatever the order fields are set in, and however often.
        #[test]
        fn stamps_behave_as_a_map_from_field_to_stamp(
            sets in proptest::collection::vec((prop_oneof![Just("subject".to_string()), Just("status".to_string()), Just("name".to_string()), "custom\\.[a-z]{1,3}"], 0u64..6, 0u32..2), 0..30),
        ) {
            let mut stamps = Stamps::default();
            let mut reversed = Stamps::default();
            let mut model: BTreeMap<String, Hlc> = BTreeMap::new();
            for (field, millis, counter) in &sets {
                let stamp = Hlc { millis: *millis, counter: *counter, node: "A".into() };
                stamps.set(field, &stamp);
                model.insert(field.clone(), stamp);
            }
            for (field, stamp) in model.iter().rev() {
                reversed.set(field, stamp);
            }
            let listed: Vec<(String, Hlc)> = stamps.iter().map(|(f, s)| (f.to_string(), s.clone())).collect();
            prop_assert_eq!(listed, model.clone().into_iter().collect::<Vec<_>>());
            for field in ["subject", "status", "name", "custom.a", "nothing"] {
                prop_assert_eq!(stamps.get(field), model.get(field));
            }
            prop_assert_eq!(&stamps, &reversed);
            let back: Stamps = serde_json::from_str(&serde_json::to_string(&stamps).unwrap()).unwrap();
            prop_assert_eq!(&back, &stamps);
            let packed: Stamps = postcard::from_bytes(&postcard::to_allocvec(&stamps).unwrap()).unwrap();
            prop_assert_eq!(&packed, &stamps);
            if let Some((field, _)) = model.iter().next() {
                reversed.set(field, &Hlc { millis: 99, counter: 0, node: "B".into() });
                prop_assert_ne!(&stamps, &reversed);
            }
        }

        #[test]
        fn text_form_round_trips_and_sorts_like_the_stamp(
            a in (0u64..1_000_000_000_000_000, any::<u32>(), "[A-Z0-9]{1,8}"),
            b in (0u64..1_000_000_000_000_000, any::<u32>(), "[A-Z0-9]{1,8}"),
        ) {
            let a = Hlc { millis: a.0, counter: a.1, node: a.2 };
            let b = Hlc { millis: b.0, counter: b.1, node: b.2 };
            prop_assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a.clone());
            prop_assert_eq!(postcard::from_bytes::<Hlc>(&postcard::to_allocvec(&a).unwrap()).unwrap(), a.clone());
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
