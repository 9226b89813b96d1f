//! Transaction codes (T6): the outcome of an interaction, chosen by agents from a catalogue or
//! added by system services (AMD, CCB, Auto-TCL), shown comma-separated, kept on the task and
//! listed in the customer's record.

use crate::ids::CustomerId;
use crate::task::Task;
use crate::user::User;
use crate::workspace::{DomainError, Workspace};
use crate::Change;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One code of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionCode {
    /// Short code, such as `SALE` or `AMD`.
    pub code: String,
    /// What it means, as agents read it.
    pub label: String,
    /// Added only by system services, never by hand.
    pub system: bool,
}

fn code(code: &str, label: &str, system: bool) -> TransactionCode {
    TransactionCode { code: code.into(), label: label.into(), system }
}

/// The codes system services add: answer machine detection, call rejection, the mobile blocking
/// service and network failures. Always in the catalogue.
pub fn system_codes() -> Vec<TransactionCode> {
    vec![code("AMD", "Answer machine detected", true), code("CCB", "Call rejected", true), code("Auto-TCL", "Mobile number blocked", true), code("TEMPFAIL", "Temporary failure", true)]
}

/// The codes agents choose from in a new workspace.
pub fn default_codes() -> Vec<TransactionCode> {
    vec![
        code("SALE", "Sale made", false),
        code("INFO", "Information given", false),
        code("CALLBACK", "Callback promised", false),
        code("COMPLAINT", "Complaint logged", false),
        code("NOSALE", "No sale", false),
    ]
}

impl Workspace {
    /// Every code: the workspace's catalogue, then the system codes.
    pub fn code_catalogue(&self) -> Vec<TransactionCode> {
        self.config.codes.iter().cloned().chain(system_codes()).collect()
    }

    fn find_code(&self, wanted: &str) -> Option<TransactionCode> {
        self.code_catalogue().into_iter().find(|c| c.code == wanted)
    }

    /// A task's codes as people read them: labels, comma-separated (T6).
    pub fn codes_display(&self, task: &Task) -> String {
        task.codes.iter().map(|c| self.find_code(c).map_or_else(|| c.clone(), |k| k.label)).collect::<Vec<_>>().join(", ")
    }

    /// Sets the codes an agent chose for a task. Only catalogue codes; system codes can be neither
    /// added nor removed by a person, so they stay exactly as the system left them.
    pub fn set_codes(&mut self, actor: &User, id: crate::TaskId, chosen: &[String], now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let before = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        let mut codes: Vec<String> = Vec::new();
        for wanted in chosen {
            let known = self.find_code(wanted).ok_or_else(|| DomainError::Invalid(format!("“{wanted}” is not in the transaction code catalogue.")))?;
            if known.system && !actor.is_system() && !before.codes.contains(wanted) {
                return Err(DomainError::Invalid(format!("{} ({}) is added by the system and cannot be chosen by hand.", known.code, known.label)));
            }
            if !codes.contains(wanted) {
                codes.push(wanted.clone());
            }
        }
        if !actor.is_system() {
            for kept in before.codes.iter().filter(|c| self.find_code(c).is_some_and(|k| k.system)) {
                if !codes.contains(kept) {
                    return Err(DomainError::Invalid(format!("{kept} was added by the system and cannot be removed by hand.")));
                }
            }
        }
        let after = Task { codes, ..before.clone() };
        self.edit_task(actor, &before, &after, now)
    }

    /// Adds a code on behalf of a system service (AMD, CCB, Auto-TCL, temporary failure).
    pub fn add_system_code(&mut self, id: crate::TaskId, system_code: &str, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let mut codes = self.task(id).ok_or(DomainError::TaskNotFound)?.codes.clone();
        codes.push(system_code.to_string());
        self.set_codes(&User::system(), id, &codes, now)
    }

    /// The customer's transaction-code history: each of their tasks with codes, newest first,
    /// as (task, codes read as labels).
    pub fn codes_of_customer(&self, id: CustomerId) -> Vec<(&Task, String)> {
        self.tasks_of_customer(id).into_iter().filter(|t| !t.codes.is_empty()).map(|t| (t, self.codes_display(t))).collect()
    }
}
