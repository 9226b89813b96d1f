//! Customer records (C1) and matching an incoming contact to one.

use crate::hlc::{Hlc, Stamps};
use crate::ids::{CustomerId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A customer the contact center talks to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Customer {
    /// Stable id.
    pub id: CustomerId,
    /// Full name.
    pub name: String,
    /// Phone numbers, stored in normalised form (`+` and digits).
    pub phones: Vec<String>,
    /// Email addresses, stored lowercase.
    pub emails: Vec<String>,
    /// Company, if any.
    pub company: String,
    /// Free-text notes.
    pub notes: String,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// Set when the record is deleted.
    pub deleted: bool,
    /// Stamp of the latest change applied.
    pub modified: Hlc,
    /// Who made the latest change.
    pub modified_by: Option<UserId>,
    /// Per field, the stamp of the change that last set it.
    pub stamps: Stamps,
}

impl Customer {
    /// Fields that change records may set.
    pub const FIELDS: &'static [&'static str] = &["name", "phones", "emails", "company", "notes", "created_at", "deleted"];

    /// Whether an incoming contact from `phone` or `email` is this customer.
    /// Phones compare by their last nine digits, so `+420 777 123 456` matches `777123456`.
    pub fn matches_contact(&self, contact: &str) -> bool {
        let contact = contact.trim();
        if contact.contains('@') {
            let wanted = contact.to_lowercase();
            return self.emails.contains(&wanted);
        }
        let wanted = phone_tail(contact);
        wanted.len() >= 6 && self.phones.iter().any(|p| phone_tail(p) == wanted)
    }

    /// Whether the customer's name, company, phones or emails contain `needle` (any case).
    pub fn matches_text(&self, needle: &str) -> bool {
        let needle = needle.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let digits: String = needle.chars().filter(char::is_ascii_digit).collect();
        self.name.to_lowercase().contains(&needle)
            || self.company.to_lowercase().contains(&needle)
            || self.emails.iter().any(|e| e.contains(&needle))
            || (digits.len() >= 3 && self.phones.iter().any(|p| p.contains(&digits)))
    }
}

fn phone_tail(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(9)..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jana() -> Customer {
        Customer { name: "Jana Nováková".into(), phones: vec!["+420777123456".into()], emails: vec!["jana@example.cz".into()], ..Customer::default() }
    }

    #[test]
    fn c1_incoming_contact_matches_by_phone_or_email() {
        let c = jana();
        assert!(c.matches_contact("777 123 456"));
        assert!(c.matches_contact("+420 777-123-456"));
        assert!(c.matches_contact("JANA@example.cz"));
        assert!(!c.matches_contact("777 123 457"));
        assert!(!c.matches_contact("456"));
        assert!(!c.matches_contact("other@example.cz"));
    }

    #[test]
    fn c1_search_finds_by_name_phone_or_email() {
        let c = jana();
        assert!(c.matches_text("nováková"));
        assert!(c.matches_text("123 45"));
        assert!(c.matches_text("example.cz"));
        assert!(!c.matches_text("smith"));
    }
}
