//! Form input as typed by a person, checked into typed values with plain-word messages.

use crate::field::FieldDef;
use crate::ids::{CustomerId, UserId};
use crate::task::{Channel, Direction, Priority};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// Longest subject accepted.
pub const SUBJECT_MAX: usize = 200;
/// Longest free text (description, notes) accepted.
pub const TEXT_MAX: usize = 20_000;
/// Longest name accepted.
pub const NAME_MAX: usize = 120;

/// One thing wrong with a form, tied to the field it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The form field (`subject`, `customer`, `custom.<key>` …).
    pub field: String,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
}

/// Every problem found in a form; empty means the form can be saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub(crate) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem { field: field.into(), message: message.into() });
    }

    /// The message for `field`, if it has a problem.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|p| p.field == field).map(|p| p.message.as_str())
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The task form exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskDraft {
    /// Subject text.
    pub subject: String,
    /// Description text.
    pub description: String,
    /// Channel key (`call`, `email`, …).
    pub channel: String,
    /// Direction key.
    pub direction: String,
    /// Priority key.
    pub priority: String,
    /// Customer id, or empty for none.
    pub customer: String,
    /// Assignee id, or empty for unassigned.
    pub assignee: String,
    /// Queue name, or empty.
    pub queue: String,
    /// Scheduled time as a `datetime-local` input gives it (`2026-11-23T14:30`), in the agent's time zone.
    pub scheduled_at: String,
    /// Reminder lead time in minutes, or empty.
    pub reminder_minutes: String,
    /// Custom field values as typed, by field key (F1).
    pub custom: BTreeMap<String, String>,
}

/// A task form that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskInput {
    /// Trimmed subject, never empty.
    pub subject: String,
    /// Description.
    pub description: String,
    /// Channel.
    pub channel: Channel,
    /// Direction.
    pub direction: Direction,
    /// Priority.
    pub priority: Priority,
    /// Linked customer.
    pub customer: Option<CustomerId>,
    /// Assigned agent.
    pub assignee: Option<UserId>,
    /// Queue.
    pub queue: Option<String>,
    /// When it is due, in UTC.
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Reminder lead time.
    pub reminder_minutes: Option<u32>,
    /// Values of the custom fields the form showed; `None` clears a value. Fields the form did
    /// not show (retired, or for other channels) are left as they are.
    pub custom: BTreeMap<String, Option<Value>>,
}

fn check_length(problems: &mut Problems, field: &'static str, label: &str, text: &str, max: usize) {
    let count = text.chars().count();
    if count > max {
        problems.add(field, format!("{label} can be at most {max} characters; this one has {count}."));
    }
}

/// Checks a task form, with the custom `fields` shown for its channel. Times are read in the
/// agent's `zone`; `customer_exists` says whether a customer id is known.
pub fn validate_task(draft: &TaskDraft, fields: &[FieldDef], zone: &dyn crate::zone::Zone, customer_exists: impl Fn(CustomerId) -> bool) -> Result<TaskInput, Problems> {
    let mut problems = Problems::default();
    let subject = draft.subject.trim();
    if subject.is_empty() {
        problems.add("subject", "Subject is required: say in a few words what the task is about.");
    }
    check_length(&mut problems, "subject", "Subject", subject, SUBJECT_MAX);
    check_length(&mut problems, "description", "Description", &draft.description, TEXT_MAX);
    let channel = Channel::from_key(draft.channel.trim());
    if channel.is_none() {
        problems.add("channel", "Choose a channel: call, email, chat, SMS, meeting or other.");
    }
    let direction = if draft.direction.trim().is_empty() { Some(Direction::Inbound) } else { Direction::from_key(draft.direction.trim()) };
    if direction.is_none() {
        problems.add("direction", "Choose inbound, outbound or internal.");
    }
    let priority = Priority::from_key(draft.priority.trim());
    if priority.is_none() {
        problems.add("priority", "Choose a priority: low, normal, high or urgent.");
    }
    let customer = match draft.customer.trim() {
        "" => None,
        text => match CustomerId::parse(text).filter(|id| customer_exists(*id)) {
            Some(id) => Some(id),
            None => {
                problems.add("customer", "That customer is not in the list; pick one from the list or leave it empty.");
                None
            }
        },
    };
    let assignee = match draft.assignee.trim() {
        "" => None,
        text => match UserId::parse(text) {
            Some(id) => Some(id),
            None => {
                problems.add("assignee", "Pick the assignee from the list.");
                None
            }
        },
    };
    let queue = Some(draft.queue.trim().to_string()).filter(|q| !q.is_empty());
    let scheduled_at = match draft.scheduled_at.trim() {
        "" => None,
        text => match crate::zone::parse_local(text, zone) {
            Some(t) => Some(t),
            None => {
                problems.add("scheduled_at", "Enter the date and time as shown, for example 2026-11-23 14:30.");
                None
            }
        },
    };
    let reminder_minutes = match draft.reminder_minutes.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(m) if m <= 7 * 24 * 60 => Some(m),
            _ => {
                problems.add("reminder_minutes", "Reminder must be a whole number of minutes between 0 and 10080 (one week).");
                None
            }
        },
    };
    if reminder_minutes.is_some() && draft.scheduled_at.trim().is_empty() {
        problems.add("reminder_minutes", "A reminder needs a scheduled time to count back from.");
    }
    let mut custom = BTreeMap::new();
    for def in fields.iter().filter(|d| channel.is_some_and(|c| d.shown_on(c))) {
        let typed = draft.custom.get(&def.key).map(String::as_str).unwrap_or("");
        match def.read(typed, zone) {
            Ok(value) => {
                custom.insert(def.key.clone(), value);
            }
            Err(message) => problems.add(format!("custom.{}", def.key), message),
        }
    }
    match (channel, direction, priority, problems.is_empty()) {
        (Some(channel), Some(direction), Some(priority), true) => {
            Ok(TaskInput { subject: subject.to_string(), description: draft.description.clone(), channel, direction, priority, customer, assignee, queue, scheduled_at, reminder_minutes, custom })
        }
        _ => Err(problems),
    }
}

/// The customer form exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerDraft {
    /// Full name.
    pub name: String,
    /// Phone numbers separated by commas or new lines.
    pub phones: String,
    /// Email addresses separated by commas or new lines.
    pub emails: String,
    /// Company.
    pub company: String,
    /// Notes.
    pub notes: String,
}

/// A customer form that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerInput {
    /// Trimmed name.
    pub name: String,
    /// Normalised phone numbers.
    pub phones: Vec<String>,
    /// Lowercase emails.
    pub emails: Vec<String>,
    /// Company.
    pub company: String,
    /// Notes.
    pub notes: String,
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', '\n']).map(str::trim).filter(|s| !s.is_empty())
}

/// A phone number in stored form (`+` then digits), or why it is not one.
pub fn normalize_phone(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if let Some(bad) = trimmed.chars().find(|c| !(c.is_ascii_digit() || " +-().".contains(*c))) {
        return Err(format!("“{trimmed}” is not a phone number: it contains “{bad}”."));
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if !(6..=15).contains(&digits.len()) {
        return Err(format!("“{trimmed}” is not a phone number: it needs 6 to 15 digits."));
    }
    Ok(if trimmed.starts_with('+') { format!("+{digits}") } else { digits })
}

/// Whether `text` looks like an email address someone could write to.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(|c| c.is_whitespace() || c == ',' || c == '<' || c == '>')
        && !domain.contains('@')
}

/// Checks a customer form.
pub fn validate_customer(draft: &CustomerDraft) -> Result<CustomerInput, Problems> {
    let mut problems = Problems::default();
    let name = draft.name.trim();
    if name.is_empty() {
        problems.add("name", "Name is required.");
    }
    check_length(&mut problems, "name", "Name", name, NAME_MAX);
    check_length(&mut problems, "notes", "Notes", &draft.notes, TEXT_MAX);
    let mut phones = Vec::new();
    for p in split_list(&draft.phones) {
        match normalize_phone(p) {
            Ok(n) if !phones.contains(&n) => phones.push(n),
            Ok(_) => {}
            Err(message) => problems.add("phones", message),
        }
    }
    let mut emails = Vec::new();
    for e in split_list(&draft.emails) {
        let lower = e.to_lowercase();
        if !is_email(&lower) {
            problems.add("emails", format!("“{e}” is not an email address, for example name@example.com."));
        } else if !emails.contains(&lower) {
            emails.push(lower);
        }
    }
    if problems.is_empty() {
        Ok(CustomerInput { name: name.to_string(), phones, emails, company: draft.company.trim().to_string(), notes: draft.notes.clone() })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft(subject: &str) -> TaskDraft {
        TaskDraft { subject: subject.into(), channel: "email".into(), priority: "normal".into(), ..TaskDraft::default() }
    }

    #[test]
    fn a_subject_is_required() {
        let problems = validate_task(&draft("   "), &[], &crate::zone::utc(), |_| true).unwrap_err();
        assert!(problems.for_field("subject").unwrap().contains("required"));
    }

    #[test]
    fn too_long_subject_says_how_long_it_is() {
        let problems = validate_task(&draft(&"x".repeat(240)), &[], &crate::zone::utc(), |_| true).unwrap_err();
        assert_eq!(problems.for_field("subject").unwrap(), "Subject can be at most 200 characters; this one has 240.");
    }

    #[test]
    fn unknown_customer_is_refused() {
        let mut d = draft("Call back");
        d.customer = CustomerId::new().to_string();
        let problems = validate_task(&d, &[], &crate::zone::utc(), |_| false).unwrap_err();
        assert!(problems.for_field("customer").is_some());
    }

    #[test]
    fn scheduled_time_is_read_in_the_agents_time_zone() {
        let mut d = draft("Call back");
        d.scheduled_at = "2026-11-23T14:30".into();
        d.reminder_minutes = "10".into();
        let input = validate_task(&d, &[], &chrono::FixedOffset::east_opt(3600).unwrap(), |_| true).unwrap();
        assert_eq!(input.scheduled_at.unwrap().to_rfc3339(), "2026-11-23T13:30:00+00:00");
        assert_eq!(input.reminder_minutes, Some(10));
    }

    #[test]
    fn a_reminder_without_a_time_is_refused() {
        let mut d = draft("Call back");
        d.reminder_minutes = "10".into();
        assert!(validate_task(&d, &[], &crate::zone::utc(), |_| true).unwrap_err().for_field("reminder_minutes").is_some());
    }

    #[test]
    fn customer_phones_and_emails_are_normalised_and_checked() {
        let ok = validate_customer(&CustomerDraft { name: " Jana ".into(), phones: "+420 777 123 456, (02) 1234-5678".into(), emails: "Jana@Example.cz".into(), ..CustomerDraft::default() }).unwrap();
        assert_eq!(ok.name, "Jana");
        assert_eq!(ok.phones, vec!["+420777123456", "0212345678"]);
        assert_eq!(ok.emails, vec!["jana@example.cz"]);
        let bad = validate_customer(&CustomerDraft { name: "".into(), phones: "12ab".into(), emails: "nope".into(), ..CustomerDraft::default() }).unwrap_err();
        assert!(bad.for_field("name").is_some());
        assert!(bad.for_field("phones").unwrap().contains("“12ab”"));
        assert!(bad.for_field("emails").unwrap().contains("“nope”"));
    }

    proptest! {
        #[test]
        fn any_task_input_gives_a_value_or_plain_messages(
            subject in ".{0,300}", channel in ".{0,8}", priority in ".{0,8}",
            customer in ".{0,40}", when in ".{0,20}", reminder in ".{0,8}", offset in -900i32..900,
        ) {
            let d = TaskDraft { subject, channel, priority, customer, scheduled_at: when, reminder_minutes: reminder, ..TaskDraft::default() };
            if let Err(problems) = validate_task(&d, &[], &chrono::FixedOffset::east_opt(offset * 60).unwrap(), |_| true) {
                prop_assert!(!problems.is_empty());
                for p in problems.0 {
                    prop_assert!(p.message.ends_with('.'));
                    prop_assert!(p.message.len() > 10);
                }
            }
        }

        #[test]
        fn any_customer_input_gives_a_value_or_plain_messages(name in ".{0,150}", phones in ".{0,60}", emails in ".{0,60}") {
            match validate_customer(&CustomerDraft { name, phones, emails, ..CustomerDraft::default() }) {
                Ok(c) => {
                    prop_assert!(!c.name.is_empty());
                    for p in &c.phones { prop_assert!(normalize_phone(p).is_ok()); }
                    for e in &c.emails { prop_assert!(is_email(e)); }
                }
                Err(problems) => prop_assert!(!problems.is_empty()),
            }
        }
    }
}
