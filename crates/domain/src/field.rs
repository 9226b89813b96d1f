//! Admin-defined task fields (F1): what a field is, how a typed value is read and checked, and
//! how stored values move when an admin changes a field's type.
//!
//! Every value goes through text: a form gives text, [`FieldDef::read`] turns it into the stored
//! JSON value, [`FieldDef::text`] turns it back. A type change is lossless exactly when the old
//! value's text reads as the new type and reads back to the same text.

use crate::task::Channel;
use crate::validate::normalize_phone;
use crate::zone::{self, Zone};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Longest pattern an admin may set; with the limits below, a pattern cannot make matching slow.
pub const PATTERN_MAX: usize = 300;
/// Longest text any custom field holds.
pub const VALUE_MAX: usize = 20_000;

/// The kinds of value a custom field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    #[default]
    Text,
    /// Several lines of text.
    LongText,
    /// A number, whole or decimal.
    Number,
    /// A calendar date.
    Date,
    /// A date and time of day, stored in UTC.
    DateTime,
    /// Yes or no.
    Checkbox,
    /// One of a list of options.
    Select,
    /// Any of a list of options.
    MultiSelect,
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// A web address.
    Url,
}

impl FieldKind {
    /// Every kind, in the order the Fields screen lists them.
    pub const ALL: [FieldKind; 11] = [
        FieldKind::Text,
        FieldKind::LongText,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::DateTime,
        FieldKind::Checkbox,
        FieldKind::Select,
        FieldKind::MultiSelect,
        FieldKind::Phone,
        FieldKind::Email,
        FieldKind::Url,
    ];

    /// Name shown to admins.
    pub fn label(self) -> &'static str {
        match self {
            FieldKind::Text => "Text",
            FieldKind::LongText => "Long text",
            FieldKind::Number => "Number",
            FieldKind::Date => "Date",
            FieldKind::DateTime => "Date and time",
            FieldKind::Checkbox => "Checkbox",
            FieldKind::Select => "Single select",
            FieldKind::MultiSelect => "Multi select",
            FieldKind::Phone => "Phone",
            FieldKind::Email => "Email",
            FieldKind::Url => "URL",
        }
    }

    /// Storage and form key.
    pub fn key(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::LongText => "long_text",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::DateTime => "date_time",
            FieldKind::Checkbox => "checkbox",
            FieldKind::Select => "select",
            FieldKind::MultiSelect => "multi_select",
            FieldKind::Phone => "phone",
            FieldKind::Email => "email",
            FieldKind::Url => "url",
        }
    }

    /// Reads a kind from its key.
    pub fn from_key(key: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Kinds whose value is text, so length limits and patterns apply.
    pub fn is_text(self) -> bool {
        matches!(self, FieldKind::Text | FieldKind::LongText | FieldKind::Phone | FieldKind::Email | FieldKind::Url)
    }

    /// Kinds that choose from options.
    pub fn has_options(self) -> bool {
        matches!(self, FieldKind::Select | FieldKind::MultiSelect)
    }
}

/// One admin-defined task field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct FieldDef {
    /// Stable key; values are stored under it and never move when the field is relabelled.
    pub key: String,
    /// Label on forms.
    pub label: String,
    /// What it holds.
    pub kind: FieldKind,
    /// A form cannot be saved without it (a required checkbox must be ticked).
    pub required: bool,
    /// Value a new task starts with.
    pub default: Option<Value>,
    /// Smallest number allowed.
    pub min: Option<f64>,
    /// Largest number allowed.
    pub max: Option<f64>,
    /// Most characters allowed.
    pub max_length: Option<u32>,
    /// Pattern the whole text must match.
    pub pattern: Option<String>,
    /// Help shown under the label.
    pub help: String,
    /// Choices of a select.
    pub options: Vec<String>,
    /// Channels whose tasks show it; empty means every channel.
    pub channels: Vec<Channel>,
    /// Hidden from forms; stored values stay.
    pub retired: bool,
}

/// Compiles a pattern so that it must match the whole value. Matching is linear in the text's
/// length whatever the pattern (no backtracking), and the compiled size and nesting are capped,
/// so no pattern can hang the page.
pub fn compile_pattern(pattern: &str) -> Result<regex_lite::Regex, String> {
    if pattern.chars().count() > PATTERN_MAX {
        return Err(format!("A pattern can be at most {PATTERN_MAX} characters."));
    }
    regex_lite::RegexBuilder::new(&format!("^(?:{pattern})$")).size_limit(1 << 18).nest_limit(40).build().map_err(|e| format!("The pattern is not valid: {}.", first_line(&e.to_string())))
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or(text).trim().trim_end_matches('.')
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `datetime-local` text in the agent's zone ↔ stored UTC text.
fn read_date_time(text: &str, zone: &dyn Zone) -> Option<String> {
    zone::parse_local(text, zone).map(|utc| utc.format("%Y-%m-%dT%H:%MZ").to_string())
}

fn local_date_time(stored: &str, zone: &dyn Zone) -> Option<NaiveDateTime> {
    let utc = NaiveDateTime::parse_from_str(stored.trim_end_matches('Z'), "%Y-%m-%dT%H:%M").ok()?;
    Some(zone::local(zone, utc.and_utc()))
}

impl FieldDef {
    /// Whether a form for a task of `channel` shows this field.
    pub fn shown_on(&self, channel: Channel) -> bool {
        !self.retired && (self.channels.is_empty() || self.channels.contains(&channel))
    }

    /// Reads typed text into the stored value, checking type and limits but not `required`.
    /// Empty text is no value (an empty checkbox is `false`).
    pub fn parse(&self, text: &str, zone: &dyn Zone) -> Result<Option<Value>, String> {
        let trimmed = if self.kind == FieldKind::LongText { text.trim_end() } else { text.trim() };
        if self.kind == FieldKind::Checkbox {
            return match trimmed {
                "" | "false" => Ok(Some(Value::Bool(false))),
                "true" => Ok(Some(Value::Bool(true))),
                other => Err(format!("“{other}” is not yes or no.")),
            };
        }
        if trimmed.is_empty() {
            return Ok(None);
        }
        let count = trimmed.chars().count();
        let max = self.max_length.map(|m| m as usize).filter(|_| self.kind.is_text()).unwrap_or(VALUE_MAX).min(VALUE_MAX);
        if count > max {
            return Err(format!("{} can be at most {max} characters; this has {count}.", self.label));
        }
        let value = match self.kind {
            FieldKind::Text if trimmed.contains('\n') => return Err(format!("{} is one line; remove the line breaks.", self.label)),
            FieldKind::Text | FieldKind::LongText => Value::String(trimmed.to_string()),
            FieldKind::Number => {
                let n = trimmed.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| format!("“{trimmed}” is not a number; write it like 42 or 3.5."))?;
                if let Some(min) = self.min.filter(|m| n < *m) {
                    return Err(format!("{} must be at least {}.", self.label, format_number(min)));
                }
                if let Some(max) = self.max.filter(|m| n > *m) {
                    return Err(format!("{} must be at most {}.", self.label, format_number(max)));
                }
                serde_json::Number::from_f64(n).map(Value::Number).ok_or_else(|| format!("“{trimmed}” is not a number."))?
            }
            FieldKind::Date => {
                let d = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").map_err(|_| format!("“{trimmed}” is not a date; write it like 2026-11-23."))?;
                Value::String(d.format("%Y-%m-%d").to_string())
            }
            FieldKind::DateTime => Value::String(read_date_time(trimmed, zone).ok_or_else(|| format!("“{trimmed}” is not a date and time; write it like 2026-11-23 14:30."))?),
            FieldKind::Checkbox => unreachable!("handled above"),
            FieldKind::Select => {
                if !self.options.iter().any(|o| o == trimmed) {
                    return Err(format!("“{trimmed}” is not one of the options of {}.", self.label));
                }
                Value::String(trimmed.to_string())
            }
            FieldKind::MultiSelect => {
                let mut chosen: Vec<Value> = Vec::new();
                for line in trimmed.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    if !self.options.iter().any(|o| o == line) {
                        return Err(format!("“{line}” is not one of the options of {}.", self.label));
                    }
                    if !chosen.iter().any(|c| c == line) {
                        chosen.push(Value::String(line.to_string()));
                    }
                }
                Value::Array(chosen)
            }
            FieldKind::Phone => Value::String(normalize_phone(trimmed)?),
            FieldKind::Email => {
                let lower = trimmed.to_lowercase();
                if !crate::validate::is_email(&lower) {
                    return Err(format!("“{trimmed}” is not an email address, for example name@example.com."));
                }
                Value::String(lower)
            }
            FieldKind::Url => {
                if !is_web_address(trimmed) {
                    return Err(format!("“{trimmed}” is not a web address; it starts with https:// or http://."));
                }
                Value::String(trimmed.to_string())
            }
        };
        let pattern = self.pattern.as_deref().filter(|p| !p.is_empty() && self.kind.is_text());
        if let (Some(pattern), Value::String(s)) = (pattern, &value) {
            let re = compile_pattern(pattern)?;
            if !re.is_match(s) {
                return Err(format!("“{s}” does not have the form {} needs.", self.label));
            }
        }
        Ok(Some(value))
    }

    /// Reads typed text into the stored value with every check, `required` included.
    pub fn read(&self, text: &str, zone: &dyn Zone) -> Result<Option<Value>, String> {
        let value = self.parse(text, zone)?;
        let missing = match &value {
            None => true,
            Some(Value::Bool(b)) => !b,
            Some(Value::Array(a)) => a.is_empty(),
            _ => false,
        };
        if self.required && missing {
            return Err(if self.kind == FieldKind::Checkbox { format!("{} must be ticked.", self.label) } else { format!("{} is required.", self.label) });
        }
        Ok(value.filter(|v| !matches!(v, Value::Array(a) if a.is_empty())))
    }

    /// The text a form shows for a stored value (the inverse of [`FieldDef::parse`]).
    pub fn text(&self, value: &Value, zone: &dyn Zone) -> String {
        match (self.kind, value) {
            (_, Value::Null) => String::new(),
            (FieldKind::DateTime, Value::String(s)) => local_date_time(s, zone).map(|t| t.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_else(|| s.clone()),
            (_, Value::String(s)) => s.clone(),
            (_, Value::Number(n)) => n.as_f64().map(format_number).unwrap_or_else(|| n.to_string()),
            (_, Value::Bool(b)) => b.to_string(),
            (_, Value::Array(items)) => items.iter().map(|i| i.as_str().map(str::to_string).unwrap_or_else(|| i.to_string())).collect::<Vec<_>>().join("\n"),
            (_, Value::Object(_)) => value.to_string(),
        }
    }

    /// A stored value as people read it.
    pub fn display(&self, value: &Value, zone: &dyn Zone) -> String {
        match (self.kind, value) {
            (FieldKind::Checkbox, Value::Bool(b)) => if *b { "Yes" } else { "No" }.to_string(),
            (FieldKind::MultiSelect, _) => self.text(value, zone).replace('\n', ", "),
            (FieldKind::DateTime, _) => self.text(value, zone).replace('T', " "),
            _ => self.text(value, zone),
        }
    }

    /// The value a stored value becomes under `to`, this field's new definition; refused with the
    /// reason when that would lose or change anything.
    pub fn convert(&self, to: &FieldDef, value: &Value) -> Result<Value, String> {
        let text = self.text(value, &zone::utc());
        let (carried, expected_back) = match (self.kind, to.kind) {
            (FieldKind::Date, FieldKind::DateTime) => (format!("{text}T00:00"), format!("{text}T00:00")),
            (FieldKind::DateTime, FieldKind::Date) => match text.strip_suffix("T00:00") {
                Some(day) => (day.to_string(), day.to_string()),
                None => return Err(format!("“{}” has a time of day that a date cannot hold", self.display(value, &zone::utc()))),
            },
            (FieldKind::LongText, FieldKind::Text) if text.contains('\n') => return Err("a text of several lines cannot become one line without losing its line breaks".into()),
            (FieldKind::MultiSelect, FieldKind::Select) if text.contains('\n') => return Err(format!("“{}” holds several options and a single select holds one", self.display(value, &zone::utc()))),
            _ => (text.clone(), text),
        };
        let converted = to.parse(&carried, &zone::utc()).map_err(|e| e.trim_end_matches('.').to_string())?.unwrap_or(Value::Null);
        let back = to.text(&converted, &zone::utc());
        if back != expected_back {
            return Err(format!("“{}” would become “{}”", expected_back, back));
        }
        Ok(converted)
    }
}

/// Whether `text` is an http(s) address with a host: the only links a field may hold, so a
/// stored value can never be a `javascript:` link.
pub fn is_web_address(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        }
        None => false,
    }
}

/// `#[serde(with)]` for a record's custom values. Stored records (JSON) keep them as a map of JSON
/// values; a binary encoding (the packed copy a cold start reads) cannot carry a value of any
/// shape, so it keeps the map as JSON text.
pub mod values_as_json {
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;
    use std::collections::BTreeMap;

    /// Writes the values: a map where the format reads any value, JSON text where it does not.
    pub fn serialize<S: Serializer>(values: &BTreeMap<String, Value>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            values.serialize(s)
        } else {
            s.serialize_str(&serde_json::to_string(values).map_err(S::Error::custom)?)
        }
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Value>, D::Error> {
        if d.is_human_readable() {
            BTreeMap::deserialize(d)
        } else {
            let text = <&str>::deserialize(d)?;
            serde_json::from_str(text).map_err(D::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use proptest::prelude::*;

    fn def(kind: FieldKind) -> FieldDef {
        FieldDef { key: "f".into(), label: "Order".into(), kind, options: vec!["Gold".into(), "Silver".into()], ..FieldDef::default() }
    }

    #[test]
    fn f1_each_kind_reads_and_shows_its_value() {
        let cases = [
            (FieldKind::Text, " hello ", "hello", "hello"),
            (FieldKind::LongText, "a\nb\n", "a\nb", "a\nb"),
            (FieldKind::Number, "3.50", "3.5", "3.5"),
            (FieldKind::Date, "2026-11-23", "2026-11-23", "2026-11-23"),
            (FieldKind::DateTime, "2026-11-23T14:30", "2026-11-23T14:30", "2026-11-23 14:30"),
            (FieldKind::Checkbox, "true", "true", "Yes"),
            (FieldKind::Select, "Gold", "Gold", "Gold"),
            (FieldKind::MultiSelect, "Gold\nSilver\nGold", "Gold\nSilver", "Gold, Silver"),
            (FieldKind::Phone, "+420 777 123 456", "+420777123456", "+420777123456"),
            (FieldKind::Email, "Jana@Example.CZ", "jana@example.cz", "jana@example.cz"),
            (FieldKind::Url, "https://example.com/a?b", "https://example.com/a?b", "https://example.com/a?b"),
        ];
        for (kind, typed, text, shown) in cases {
            let d = def(kind);
            let v = d.read(typed, &FixedOffset::east_opt(3600).unwrap()).unwrap().unwrap();
            assert_eq!(d.text(&v, &FixedOffset::east_opt(3600).unwrap()), text, "{kind:?}");
            assert_eq!(d.display(&v, &FixedOffset::east_opt(3600).unwrap()), shown, "{kind:?}");
        }
    }

    #[test]
    fn f1_date_times_are_stored_in_utc() {
        let v = def(FieldKind::DateTime).read("2026-11-23T14:30", &FixedOffset::east_opt(3600).unwrap()).unwrap().unwrap();
        assert_eq!(v, Value::String("2026-11-23T13:30Z".into()));
    }

    #[test]
    fn f1_limits_and_required_give_plain_messages() {
        let mut n = def(FieldKind::Number);
        n.min = Some(1.0);
        n.max = Some(10.0);
        n.required = true;
        assert_eq!(n.read("", &zone::utc()).unwrap_err(), "Order is required.");
        assert_eq!(n.read("0", &zone::utc()).unwrap_err(), "Order must be at least 1.");
        assert_eq!(n.read("11", &zone::utc()).unwrap_err(), "Order must be at most 10.");
        assert!(n.read("ten", &zone::utc()).unwrap_err().contains("is not a number"));
        let mut t = def(FieldKind::Text);
        t.max_length = Some(3);
        t.pattern = Some("[A-Z]+".into());
        assert!(t.read("ABCD", &zone::utc()).unwrap_err().contains("at most 3 characters"));
        assert!(t.read("ab", &zone::utc()).unwrap_err().contains("does not have the form"));
        assert_eq!(t.read("AB", &zone::utc()).unwrap(), Some(Value::String("AB".into())));
        let mut c = def(FieldKind::Checkbox);
        c.required = true;
        assert_eq!(c.read("", &zone::utc()).unwrap_err(), "Order must be ticked.");
        assert!(def(FieldKind::Url).read("javascript:alert(1)", &zone::utc()).is_err());
        assert!(def(FieldKind::Select).read("Bronze", &zone::utc()).unwrap_err().contains("not one of the options"));
    }

    #[test]
    fn f1_a_pattern_cannot_hang_matching() {
        // Catastrophic for a backtracking engine; linear here.
        let mut t = def(FieldKind::LongText);
        t.pattern = Some("(a+)+$".into());
        let text = format!("{}!", "a".repeat(5_000));
        assert!(t.read(&text, &zone::utc()).is_err());
        assert!(compile_pattern(&"(".repeat(100)).is_err());
        assert!(compile_pattern(&"a".repeat(PATTERN_MAX + 1)).unwrap_err().contains("at most"));
        assert!(compile_pattern("[z-a]").unwrap_err().starts_with("The pattern is not valid"));
    }

    #[test]
    fn f1_type_changes_convert_only_what_is_lossless() {
        let text = def(FieldKind::Text);
        let number = def(FieldKind::Number);
        assert_eq!(text.convert(&number, &Value::String("42".into())).unwrap(), serde_json::json!(42.0));
        assert!(text.convert(&number, &Value::String("forty".into())).unwrap_err().contains("not a number"));
        assert!(text.convert(&number, &Value::String("1.50".into())).unwrap_err().contains("would become “1.5”"));
        assert_eq!(number.convert(&text, &serde_json::json!(7.0)).unwrap(), Value::String("7".into()));
        let date = def(FieldKind::Date);
        let date_time = def(FieldKind::DateTime);
        assert_eq!(date.convert(&date_time, &Value::String("2026-01-02".into())).unwrap(), Value::String("2026-01-02T00:00Z".into()));
        assert_eq!(date_time.convert(&date, &Value::String("2026-01-02T00:00Z".into())).unwrap(), Value::String("2026-01-02".into()));
        assert!(date_time.convert(&date, &Value::String("2026-01-02T09:15Z".into())).unwrap_err().contains("time of day"));
        let select = def(FieldKind::Select);
        let multi = def(FieldKind::MultiSelect);
        assert_eq!(select.convert(&multi, &Value::String("Gold".into())).unwrap(), serde_json::json!(["Gold"]));
        assert!(multi.convert(&select, &serde_json::json!(["Gold", "Silver"])).unwrap_err().contains("several options"));
        assert!(def(FieldKind::LongText).convert(&text, &Value::String("a\nb".into())).is_err());
        assert!(number.convert(&def(FieldKind::Checkbox), &serde_json::json!(3.0)).is_err());
    }

    proptest! {
        #[test]
        fn f1_any_input_to_any_field_gives_a_value_or_a_plain_message(
            kind in 0usize..11, text in "(?s).{0,80}", pattern in ".{0,12}", offset in -900i32..900,
        ) {
            let mut d = def(FieldKind::ALL[kind]);
            d.pattern = Some(pattern);
            d.required = true;
            let zone = FixedOffset::east_opt(offset * 60).unwrap();
            match d.read(&text, &zone) {
                Ok(Some(v)) => {
                    // What was stored reads back to itself.
                    let again = d.read(&d.text(&v, &zone), &zone);
                    prop_assert_eq!(again, Ok(Some(v)));
                }
                Ok(None) => prop_assert!(false, "a required field gave no value"),
                Err(message) => prop_assert!(message.ends_with('.') && message.len() > 8, "{}", message),
            }
        }

        #[test]
        fn f1_a_conversion_that_succeeds_converts_back(kind_a in 0usize..11, kind_b in 0usize..11, text in "[a-zA-Z0-9 :+@./-]{0,24}") {
            let (a, b) = (def(FieldKind::ALL[kind_a]), def(FieldKind::ALL[kind_b]));
            if let Ok(Some(v)) = a.read(&text, &zone::utc()) {
                if let Ok(w) = a.convert(&b, &v) {
                    prop_assert_eq!(b.convert(&a, &w), Ok(v));
                }
            }
        }
    }
}
