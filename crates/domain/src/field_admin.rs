//! Keeping the custom field catalogue (F1): the admin's field form, adding and editing a field
//! (a type change converts stored values or is refused with the reason and the count), ordering,
//! retiring and restoring.

use crate::change::Change;
use crate::config::Config;
use crate::field::{compile_pattern, FieldDef, FieldKind};
use crate::permission::Permission;
use crate::task::{Channel, Task};
use crate::user::User;
use crate::validate::Problems;
use crate::workspace::{DomainError, Workspace};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Longest field label.
pub const LABEL_MAX: usize = 60;
/// Longest option of a select.
pub const OPTION_MAX: usize = 100;

/// The Fields screen's form exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldDraft {
    /// Key (only for a new field; an existing field keeps its key).
    pub key: String,
    /// Label.
    pub label: String,
    /// Kind key (`text`, `number`, …).
    pub kind: String,
    /// Required.
    pub required: bool,
    /// Default value as a form would show it.
    pub default: String,
    /// Smallest number.
    pub min: String,
    /// Largest number.
    pub max: String,
    /// Most characters.
    pub max_length: String,
    /// Pattern the whole value must match.
    pub pattern: String,
    /// Help text.
    pub help: String,
    /// Options, one per line.
    pub options: String,
    /// Keys of the channels that show it; none means every channel.
    pub channels: Vec<String>,
}

impl FieldDraft {
    /// The form filled in from an existing field, for editing.
    pub fn of(def: &FieldDef) -> FieldDraft {
        let number = |n: Option<f64>| n.map(|n| def.text(&serde_json::json!(n), &crate::zone::utc())).unwrap_or_default();
        FieldDraft {
            key: def.key.clone(),
            label: def.label.clone(),
            kind: def.kind.key().into(),
            required: def.required,
            default: def.default.as_ref().map(|v| def.text(v, &crate::zone::utc())).unwrap_or_default(),
            min: number(def.min),
            max: number(def.max),
            max_length: def.max_length.map(|m| m.to_string()).unwrap_or_default(),
            pattern: def.pattern.clone().unwrap_or_default(),
            help: def.help.clone(),
            options: def.options.join("\n"),
            channels: def.channels.iter().map(|c| c.key().to_string()).collect(),
        }
    }
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') && key.len() <= 40
}

fn read_number(problems: &mut Problems, field: &str, label: &str, text: &str) -> Option<f64> {
    match text.trim() {
        "" => None,
        t => match t.parse::<f64>().ok().filter(|n| n.is_finite()) {
            Some(n) => Some(n),
            None => {
                problems.add(field, format!("{label} must be a number, like 0 or 99.5."));
                None
            }
        },
    }
}

/// Checks the Fields form against the catalogue. `editing` is the field being edited, if any.
pub fn check_field(draft: &FieldDraft, catalogue: &[FieldDef], editing: Option<&FieldDef>) -> Result<FieldDef, Problems> {
    let mut problems = Problems::default();
    let key = match editing {
        Some(existing) => existing.key.clone(),
        None => {
            let key = draft.key.trim().to_string();
            if !valid_key(&key) {
                problems.add("key", "The key starts with a lowercase letter and has only lowercase letters, digits and _ (at most 40), like order_number.");
            } else if catalogue.iter().any(|d| d.key == key) {
                problems.add("key", format!("A field with the key “{key}” already exists (perhaps retired); choose another key."));
            }
            key
        }
    };
    let label = draft.label.trim().to_string();
    if label.is_empty() {
        problems.add("label", "The label is required: it is what agents see next to the field.");
    } else if label.chars().count() > LABEL_MAX {
        problems.add("label", format!("A label can be at most {LABEL_MAX} characters."));
    } else if catalogue.iter().any(|d| d.key != key && !d.retired && d.label.eq_ignore_ascii_case(&label)) {
        problems.add("label", format!("Another field is already labelled “{label}”."));
    }
    let kind = FieldKind::from_key(&draft.kind).unwrap_or_else(|| {
        problems.add("kind", "Choose what the field holds.");
        FieldKind::Text
    });
    let mut options: Vec<String> = Vec::new();
    for option in draft.options.lines().map(str::trim).filter(|o| !o.is_empty()) {
        if option.chars().count() > OPTION_MAX {
            problems.add("options", format!("An option can be at most {OPTION_MAX} characters."));
        } else if !options.iter().any(|o| o == option) {
            options.push(option.to_string());
        }
    }
    if kind.has_options() && options.is_empty() {
        problems.add("options", "A select needs at least one option; write one per line.");
    }
    let (min, max) = if kind == FieldKind::Number {
        (read_number(&mut problems, "min", "The smallest value", &draft.min), read_number(&mut problems, "max", "The largest value", &draft.max))
    } else {
        (None, None)
    };
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            problems.add("max", "The largest value cannot be below the smallest.");
        }
    }
    let max_length = match draft.max_length.trim() {
        _ if !kind.is_text() => None,
        "" => None,
        t => match t.parse::<u32>().ok().filter(|n| (1..=crate::field::VALUE_MAX as u32).contains(n)) {
            Some(n) => Some(n),
            None => {
                problems.add("max_length", format!("The length limit is a whole number from 1 to {}.", crate::field::VALUE_MAX));
                None
            }
        },
    };
    let pattern = Some(draft.pattern.trim().to_string()).filter(|p| !p.is_empty() && kind.is_text());
    if let Some(p) = &pattern {
        if let Err(message) = compile_pattern(p) {
            problems.add("pattern", message);
        }
    }
    let mut channels = Vec::new();
    for key in &draft.channels {
        match Channel::from_key(key) {
            Some(c) if !channels.contains(&c) => channels.push(c),
            Some(_) => {}
            None => problems.add("channels", format!("“{key}” is not a channel.")),
        }
    }
    channels.sort();
    let mut def = FieldDef {
        key,
        label,
        kind,
        required: draft.required,
        default: None,
        min,
        max,
        max_length,
        pattern,
        help: draft.help.trim().to_string(),
        options,
        channels,
        retired: editing.is_some_and(|e| e.retired),
    };
    if problems.is_empty() {
        match def.parse(&draft.default, &crate::zone::utc()) {
            Ok(value) => def.default = value.filter(|v| !matches!(v, Value::Bool(false))),
            Err(message) => problems.add("default", format!("The default does not fit the field: {message}")),
        }
    }
    if problems.is_empty() {
        Ok(def)
    } else {
        Err(problems)
    }
}

impl Workspace {
    /// The live tasks that hold a value for `key`.
    fn tasks_holding<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Task> + 'a {
        self.tasks.values().filter(move |t| !t.deleted && t.custom.contains_key(key))
    }

    /// How many live tasks hold a value for `key`. The Fields screen shows it for every field, so
    /// it only counts.
    pub fn field_use_count(&self, key: &str) -> usize {
        self.tasks_holding(key).count()
    }

    /// Adds a field, or saves an edited one. When the type or the options change, every stored
    /// value is converted, or nothing is saved and the error says why and for how many tasks.
    /// Returns the settings change followed by one change per converted task.
    pub fn save_field(&mut self, actor: &User, def: FieldDef, now: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
        crate::workspace::require(actor, Permission::ManageFields)?;
        let mut fields = self.config.fields.clone();
        let old = fields.iter().position(|d| d.key == def.key);
        let conversions = match old {
            Some(i) => self.plan_conversions(&fields[i], &def)?,
            None => Vec::new(),
        };
        match old {
            Some(i) => fields[i] = def.clone(),
            None => fields.push(def.clone()),
        }
        let mut changes: Vec<Change> = self.edit_config(actor, Permission::ManageFields, Config { fields, ..self.config.clone() }, now)?.into_iter().collect();
        for (before, value) in conversions {
            let mut after = before.clone();
            after.custom.insert(def.key.clone(), value);
            changes.extend(self.commit_diff(actor, now, &before, &after)?);
        }
        Ok(changes)
    }

    fn plan_conversions(&self, old: &FieldDef, new: &FieldDef) -> Result<Vec<(Task, Value)>, DomainError> {
        let options_dropped = new.kind.has_options() && old.options.iter().any(|o| !new.options.contains(o));
        if old.kind == new.kind && !options_dropped {
            return Ok(Vec::new());
        }
        let mut converted = Vec::new();
        let mut refused: Vec<String> = Vec::new();
        // In number order, so the example in a refusal is the same on every device.
        let mut holding: Vec<&Task> = self.tasks_holding(&old.key).collect();
        holding.sort_by(|a, b| a.number.cmp(&b.number));
        for task in holding {
            match old.convert(new, &task.custom[&old.key]) {
                Ok(v) => converted.push((task.clone(), v)),
                Err(reason) => refused.push(format!("on {} {reason}", task.number)),
            }
        }
        if refused.is_empty() {
            return Ok(converted);
        }
        let count = match refused.len() {
            1 => "1 task holds a value".to_string(),
            n => format!("{n} tasks hold values"),
        };
        let what = if old.kind == new.kind {
            format!("“{}” cannot drop those options", old.label)
        } else {
            format!("“{}” cannot change from {} to {}", old.label, old.kind.label(), new.kind.label())
        };
        Err(DomainError::Invalid(format!("{what}: {count} that would not convert without loss; for example, {}. Nothing was changed.", refused[0])))
    }

    /// Moves a field one place up (`-1`) or down (`1`) in forms.
    pub fn move_field(&mut self, actor: &User, key: &str, by: isize, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let mut fields = self.config.fields.clone();
        let from = fields.iter().position(|d| d.key == key).ok_or_else(|| DomainError::Invalid("That field no longer exists.".into()))?;
        let to = from as isize + by;
        if to < 0 || to as usize >= fields.len() {
            return Ok(None);
        }
        fields.swap(from, to as usize);
        self.edit_config(actor, Permission::ManageFields, Config { fields, ..self.config.clone() }, now)
    }

    /// Retires a field (hidden from forms, every stored value kept) or restores it.
    pub fn set_field_retired(&mut self, actor: &User, key: &str, retired: bool, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let mut fields = self.config.fields.clone();
        let def = fields.iter_mut().find(|d| d.key == key).ok_or_else(|| DomainError::Invalid("That field no longer exists.".into()))?;
        def.retired = retired;
        self.edit_config(actor, Permission::ManageFields, Config { fields, ..self.config.clone() }, now)
    }

    /// A stored custom value as people read it; a value whose field the catalogue does not know
    /// (it came from another device, say) shows as stored.
    pub fn custom_value_text(&self, key: &str, value: &Value, zone: &dyn crate::zone::Zone) -> String {
        match (self.field(key), value) {
            (Some(def), _) => def.display(value, zone),
            (None, Value::String(s)) => s.clone(),
            (None, other) => other.to_string(),
        }
    }

    /// The field definition for a key, retired ones included.
    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.config.fields.iter().find(|d| d.key == key)
    }
}
