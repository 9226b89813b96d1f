//! Canned replies (U1): a library of answers the admin keeps, with placeholders filled from the
//! task at hand. Each reply is its own entry in the settings record (`canned.<name>`), so two
//! admins editing different replies at once both keep theirs.

use crate::change::Change;
use crate::ids::TaskId;
use crate::permission::Permission;
use crate::user::User;
use crate::workspace::{DomainError, Workspace};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest reply name, in characters.
pub const MAX_NAME: usize = 60;

/// The placeholders a canned reply may hold, and what each becomes.
pub const PLACEHOLDERS: [(&str, &str); 4] =
    [("{first_name}", "the customer's first name (“there” when the task has no customer)"), ("{customer}", "the customer's full name"), ("{number}", "the task's number"), ("{agent}", "your name")];

/// One reply of the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReply {
    /// What agents pick it by.
    pub name: String,
    /// The text, with placeholders.
    pub text: String,
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The reply's text checked: not empty, not too long, and only known placeholders.
fn checked(name: &str, text: &str) -> Result<CannedReply, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::Invalid("Give the reply a name agents will pick it by.".into()));
    }
    if name.chars().count() > MAX_NAME {
        return Err(DomainError::Invalid(format!("A reply's name can be at most {MAX_NAME} characters.")));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::Invalid("Write the reply's text.".into()));
    }
    if text.chars().count() > crate::conversation::REPLY_MAX {
        return Err(DomainError::Invalid(format!("A reply can be at most {} characters.", crate::conversation::REPLY_MAX)));
    }
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let Some(close) = after.find('}') else { break };
        let placeholder = &after[..=close];
        if !PLACEHOLDERS.iter().any(|(p, _)| *p == placeholder) {
            let known = PLACEHOLDERS.map(|(p, _)| p).join(", ");
            return Err(DomainError::Invalid(format!("“{placeholder}” is not a placeholder; the placeholders are {known}.")));
        }
        rest = &after[close + 1..];
    }
    Ok(CannedReply { name: name.to_string(), text: text.to_string() })
}

impl Workspace {
    /// The library, by name.
    pub fn canned_replies(&self) -> Vec<&CannedReply> {
        let mut list: Vec<&CannedReply> = self.config.canned.values().collect();
        list.sort_by_key(|r| r.name.to_lowercase());
        list
    }

    /// Adds a reply, or replaces the one of that name (any case); admins keep the library.
    pub fn save_canned(&mut self, actor: &User, name: &str, text: &str, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        crate::workspace::require(actor, Permission::ManageUsers)?;
        let reply = checked(name, text)?;
        let mut after = self.config.clone();
        after.canned.insert(key(&reply.name), reply);
        let before = self.config.clone();
        self.commit_diff(actor, now, &before, &after)
    }

    /// Removes the reply of that name; `None` when there was none.
    pub fn delete_canned(&mut self, actor: &User, name: &str, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        crate::workspace::require(actor, Permission::ManageUsers)?;
        let mut after = self.config.clone();
        if after.canned.remove(&key(name)).is_none() {
            return Ok(None);
        }
        let before = self.config.clone();
        self.commit_diff(actor, now, &before, &after)
    }

    /// The reply's text for this task, its placeholders filled.
    pub fn fill_canned(&self, reply: &CannedReply, task: TaskId, agent: &User) -> String {
        let t = self.task(task);
        let customer = t.and_then(|t| t.customer).and_then(|c| self.customer(c)).map(|c| c.name.clone());
        let first = customer.as_deref().and_then(|n| n.split_whitespace().next()).unwrap_or("there").to_string();
        reply.text.replace("{first_name}", &first).replace("{customer}", customer.as_deref().unwrap_or("")).replace("{number}", t.map_or("", |t| t.number.as_str())).replace("{agent}", &agent.name)
    }

    /// The replies whose name starts a word with what follows a `/` typed in the composer.
    pub fn canned_matching(&self, typed: &str) -> Vec<&CannedReply> {
        let wanted = typed.trim().to_lowercase();
        self.canned_replies()
            .into_iter()
            .filter(|r| wanted.is_empty() || r.name.to_lowercase().split_whitespace().any(|w| w.starts_with(&wanted)) || r.name.to_lowercase().starts_with(&wanted))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn demo() -> Workspace {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut ws = Workspace::new(crate::workspace::Device::new(crate::ids::DeviceCode::from_random(5)));
        crate::demo::seed(&mut ws, 3, at).unwrap();
        ws
    }

    fn person(role: crate::Role) -> User {
        crate::demo::users().into_iter().find(|u| u.role == role).unwrap()
    }

    #[test]
    fn u1_the_admin_keeps_the_library_and_placeholders_fill_from_the_task() {
        let mut ws = demo();
        let admin = person(crate::Role::Admin);
        let agent = person(crate::Role::Agent);
        ws.save_canned(&admin, "Voucher issued", "Hi {first_name}, the refund for {number} is on its way. {agent}", Utc::now()).unwrap();
        assert!(ws.save_canned(&agent, "Mine", "text", Utc::now()).is_err(), "agents use the library, admins keep it");
        let reply = ws.canned_replies().into_iter().find(|r| r.name == "Voucher issued").unwrap().clone();
        let task = ws.tasks.values().find(|t| t.customer.is_some()).unwrap();
        let first = ws.customer(task.customer.unwrap()).unwrap().name.split(' ').next().unwrap().to_string();
        let filled = ws.fill_canned(&reply, task.id, &agent);
        assert_eq!(filled, format!("Hi {first}, the refund for {} is on its way. {}", task.number, agent.name));
        let loose = ws.tasks.values().find(|t| t.customer.is_none()).unwrap().id;
        assert!(ws.fill_canned(&reply, loose, &agent).starts_with("Hi there,"));
        assert_eq!(ws.canned_matching("vouch").len(), 1);
        assert_eq!(ws.canned_matching("issued").len(), 1, "any word of the name");
        ws.delete_canned(&admin, "VOUCHER ISSUED", Utc::now()).unwrap();
        assert!(ws.canned_matching("vouch").is_empty());
    }

    #[test]
    fn u1_a_reply_with_an_unknown_placeholder_is_refused_in_plain_words() {
        let mut ws = demo();
        let admin = person(crate::Role::Admin);
        let e = ws.save_canned(&admin, "Typo", "Hello {firstname}", Utc::now()).unwrap_err().to_string();
        assert!(e.contains("“{firstname}” is not a placeholder; the placeholders are {first_name}, {customer}, {number}, {agent}."), "{e}");
        assert!(ws.save_canned(&admin, " ", "x", Utc::now()).is_err());
        assert!(ws.save_canned(&admin, "Braces", "Use {curly} {first_name}", Utc::now()).is_err());
        assert!(ws.save_canned(&admin, "Open brace", "Price is {about 5", Utc::now()).is_ok(), "an unclosed brace is just text");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_text_is_checked_without_panicking(text in "\\PC{0,40}") {
            let _ = checked("name", &text);
        }
    }
}
