//! The call log of a system-generated call task (T5): the agent records the outcome and notes,
//! and an unknown caller must be linked to a customer, picked or created, before it is saved.

use crate::ids::{CustomerId, TaskId};
use crate::permission::Permission;
use crate::task::{CallOutcome, Channel, Task};
use crate::user::User;
use crate::validate::{normalize_phone, validate_customer, CustomerDraft, TEXT_MAX};
use crate::workspace::{require, DomainError, Workspace};
use crate::{lifecycle, Change};
use chrono::{DateTime, Utc};

/// Who the caller is, as the agent says when saving the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// Keep the customer the task already has.
    Linked,
    /// An existing customer the agent picked.
    Existing(CustomerId),
    /// A new customer with this name; the caller's number becomes their phone.
    New(String),
    /// The agent chose nobody.
    Unknown,
}

/// The call log form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallLogInput {
    /// How the call ended.
    pub outcome: Option<CallOutcome>,
    /// The agent's notes (the task's description).
    pub notes: String,
    /// Who called.
    pub caller: Caller,
}

impl Workspace {
    /// Saves a call log. Returns every change made (a new customer first, then the task).
    pub fn save_call_log(&mut self, actor: &User, id: TaskId, input: CallLogInput, now: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
        require(actor, Permission::Edit)?;
        let before = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        if before.channel != Channel::Call {
            return Err(lifecycle::LifecycleError::NotACall.into());
        }
        if input.notes.chars().count() > TEXT_MAX {
            return Err(DomainError::Invalid(format!("Notes can be at most {TEXT_MAX} characters.")));
        }
        let mut changes = Vec::new();
        let customer = match input.caller {
            Caller::Linked => before.customer,
            Caller::Existing(c) => Some(self.customer(c).ok_or(DomainError::CustomerNotFound)?.id),
            Caller::New(name) => {
                let phones = before.contact.as_deref().and_then(|c| normalize_phone(c).ok()).map(|p| vec![p]).unwrap_or_default();
                let draft = CustomerDraft { name, phones: phones.join(","), ..CustomerDraft::default() };
                let checked = validate_customer(&draft).map_err(|p| DomainError::Invalid(p.0[0].message.clone()))?;
                let created = self.create_customer(actor, checked, now)?;
                let id = CustomerId(created.entity);
                changes.push(created);
                Some(id)
            }
            Caller::Unknown => None,
        };
        if customer.is_none() {
            return Err(DomainError::Invalid("This caller is not a known customer: pick the customer, or create one, before saving the call log.".into()));
        }
        let status = match input.outcome {
            Some(o) => lifecycle::status_after_call(before.status, o),
            None => before.status,
        };
        let after = Task { customer, call_outcome: input.outcome.or(before.call_outcome), description: input.notes, status, ..before.clone() };
        changes.extend(self.edit_task(actor, &before, &after, now)?);
        Ok(changes)
    }
}
