//! Conversations (T3): the messages of email, chat and SMS tasks, the agent's replies, and the
//! outbox of replies not yet handed to the backend.

use crate::change::{self, EntityKind, Record};
use crate::hlc::{Hlc, Stamps};
use crate::ids::{TaskId, UserId};
use crate::permission::Permission;
use crate::task::Channel;
use crate::user::User;
use crate::workspace::{require, DomainError, Workspace};
use crate::Change;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest reply an agent can send.
pub const REPLY_MAX: usize = 20_000;

/// Where a message stands on its way to the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// A message from the customer.
    #[default]
    Received,
    /// A reply waiting in the outbox (for example while offline).
    Pending,
    /// A reply the backend accepted.
    Sent,
    /// An internal note for the team: never sent to the customer.
    Note,
}

/// One message of a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Message {
    /// Stable id.
    pub id: Uuid,
    /// The task whose conversation it belongs to.
    pub task: TaskId,
    /// From the customer (true) or from the center.
    pub inbound: bool,
    /// Who wrote it, as shown: the contact's address or the agent's name.
    pub from: String,
    /// The agent who wrote a reply.
    pub author: Option<UserId>,
    /// The text (for email, the plain-text part).
    pub text: String,
    /// The HTML body of an email, exactly as received; shown only sanitised in a sandbox.
    pub html: Option<String>,
    /// Where it stands.
    pub delivery: Delivery,
    /// When it was written or received.
    pub created_at: DateTime<Utc>,
    /// Stamp of the latest change applied.
    pub modified: Hlc,
    /// Who made the latest change.
    pub modified_by: Option<UserId>,
    /// Per field, the stamp of the change that last set it.
    pub stamps: Stamps,
}

impl Record for Message {
    const KIND: EntityKind = EntityKind::Message;
    const NAME: &'static str = "message";
    const FIELDS: &'static [&'static str] = &["task", "inbound", "from", "author", "text", "html", "delivery", "created_at"];
    const KEYED: &'static [&'static str] = &[];
    fn uuid(&self) -> Uuid {
        self.id
    }
    fn stamps_mut(&mut self) -> &mut Stamps {
        &mut self.stamps
    }
    fn modified(&self) -> &Hlc {
        &self.modified
    }
}

/// Channels whose tasks hold a written conversation.
pub fn is_written(channel: Channel) -> bool {
    matches!(channel, Channel::Email | Channel::Chat | Channel::Sms)
}

impl Workspace {
    /// A task's conversation, oldest first.
    pub fn thread(&self, task: TaskId) -> Vec<&Message> {
        let mut list: Vec<&Message> = self.messages.values().filter(|m| m.task == task).collect();
        list.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        list
    }

    /// Replies waiting to be sent, oldest first.
    pub fn outbox(&self) -> Vec<&Message> {
        let mut list: Vec<&Message> = self.messages.values().filter(|m| m.delivery == Delivery::Pending).collect();
        list.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        list
    }

    /// Records a message that arrived from the customer (with the id derived from its shared
    /// event, when it came through the server).
    pub(crate) fn receive(&mut self, task: TaskId, from: &str, text: &str, html: Option<&str>, id: Option<Uuid>, now: DateTime<Utc>) -> Result<Change, DomainError> {
        let message = Message {
            id: id.unwrap_or_else(Uuid::now_v7),
            task,
            inbound: true,
            from: from.to_string(),
            text: text.to_string(),
            html: html.map(str::to_string),
            delivery: Delivery::Received,
            created_at: now,
            ..Message::default()
        };
        self.record_message(&User::system(), message, now)
    }

    /// Writes a reply on an email, chat or SMS task. It waits in the outbox as pending until
    /// the backend takes it ([`Workspace::mark_sent`]).
    pub fn reply(&mut self, actor: &User, task: TaskId, text: &str, now: DateTime<Utc>) -> Result<Change, DomainError> {
        require(actor, Permission::Edit)?;
        let t = self.task(task).ok_or(DomainError::TaskNotFound)?;
        if !is_written(t.channel) {
            return Err(DomainError::Invalid("Replies are written on email, chat and SMS tasks.".into()));
        }
        self.write(actor, task, text, Delivery::Pending, now)
    }

    /// Adds an internal note to a task of any channel: the team sees it in the conversation and
    /// in History; it never goes to the customer (it never enters the outbox).
    pub fn add_note(&mut self, actor: &User, task: TaskId, text: &str, now: DateTime<Utc>) -> Result<Change, DomainError> {
        require(actor, Permission::Edit)?;
        self.task(task).ok_or(DomainError::TaskNotFound)?;
        self.write(actor, task, text, Delivery::Note, now)
    }

    /// A message the actor writes on a task: a reply to send, or a note for the team.
    fn write(&mut self, actor: &User, task: TaskId, text: &str, delivery: Delivery, now: DateTime<Utc>) -> Result<Change, DomainError> {
        let (empty, what) = match delivery {
            Delivery::Note => ("Write the note first; an empty note is not added.", "A note"),
            _ => ("Write the reply first; an empty message cannot be sent.", "A reply"),
        };
        let text = text.trim();
        if text.is_empty() {
            return Err(DomainError::Invalid(empty.into()));
        }
        let count = text.chars().count();
        if count > REPLY_MAX {
            return Err(DomainError::Invalid(format!("{what} can be at most {REPLY_MAX} characters; this one has {count}.")));
        }
        let message = Message { id: Uuid::now_v7(), task, inbound: false, from: actor.name.clone(), author: Some(actor.id), text: text.to_string(), delivery, created_at: now, ..Message::default() };
        self.record_message(actor, message, now)
    }

    /// A task's internal notes, oldest first.
    pub fn notes_of(&self, task: TaskId) -> Vec<&Message> {
        self.thread(task).into_iter().filter(|m| m.delivery == Delivery::Note).collect()
    }

    /// Marks a pending reply as handed to the backend; `None` when it was not pending.
    pub fn mark_sent(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let Some(before) = self.messages.get(&id).filter(|m| m.delivery == Delivery::Pending).cloned() else {
            return Ok(None);
        };
        let after = Message { delivery: Delivery::Sent, ..before.clone() };
        self.commit_diff(&User::system(), now, &before, &after)
    }

    fn record_message(&mut self, actor: &User, message: Message, now: DateTime<Utc>) -> Result<Change, DomainError> {
        let fields = change::creation(&message);
        self.commit::<Message>(actor, now, message.id, fields)
    }
}
