//! The task: one unit of customer work from any channel (T1).

use crate::hlc::{Hlc, Stamps};
use crate::ids::{CustomerId, TaskId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Where a task came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A phone call (inbound, outbound, voicemail, web callback or campaign).
    Call,
    /// An email thread.
    Email,
    /// A web chat.
    Chat,
    /// A text message.
    Sms,
    /// A meeting with the customer.
    Meeting,
    /// Any other manual task, such as a follow-up.
    #[default]
    Other,
}

impl Channel {
    /// Every channel, in the order menus show them.
    pub const ALL: [Channel; 6] = [Channel::Call, Channel::Email, Channel::Chat, Channel::Sms, Channel::Meeting, Channel::Other];

    /// The channel's name as agents say it.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Call => "Call",
            Channel::Email => "Email",
            Channel::Chat => "Chat",
            Channel::Sms => "SMS",
            Channel::Meeting => "Meeting",
            Channel::Other => "Other",
        }
    }

    /// The stable lowercase key used in storage, URLs and forms.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Sms => "sms",
            Channel::Meeting => "meeting",
            Channel::Other => "other",
        }
    }

    /// Reads a channel from its key.
    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Written conversations are closed by the agent with the checkmark (T2).
    pub fn resolved_by_agent(self) -> bool {
        !matches!(self, Channel::Call)
    }

    /// Work that routing offers to agents (R1); meetings and other manual work are planned instead.
    pub fn routed(self) -> bool {
        matches!(self, Channel::Call | Channel::Email | Channel::Chat | Channel::Sms)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Whether the customer reached us or we reached the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The customer contacted the center.
    #[default]
    Inbound,
    /// The center contacted the customer.
    Outbound,
    /// Not a conversation (manual or meeting tasks).
    Internal,
}

impl Direction {
    /// Every direction, in menu order.
    pub const ALL: [Direction; 3] = [Direction::Inbound, Direction::Outbound, Direction::Internal];

    /// Label shown to agents.
    pub fn label(self) -> &'static str {
        match self {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
            Direction::Internal => "Internal",
        }
    }

    /// Storage and form key.
    pub fn key(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::Internal => "internal",
        }
    }

    /// Reads a direction from its key.
    pub fn from_key(key: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// How urgent a task is; routing takes higher priorities first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Can wait.
    Low,
    /// The usual.
    #[default]
    Normal,
    /// Before normal work.
    High,
    /// Before everything else.
    Urgent,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Priority; 4] = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];

    /// Label shown to agents.
    pub fn label(self) -> &'static str {
        match self {
            Priority::Low => "Low",
            Priority::Normal => "Normal",
            Priority::High => "High",
            Priority::Urgent => "Urgent",
        }
    }

    /// Storage and form key.
    pub fn key(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// Reads a priority from its key.
    pub fn from_key(key: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// Where a task stands in its life (T2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    /// Needs work.
    #[default]
    Open,
    /// Waiting on the customer or a third party; still open.
    Waiting,
    /// Done; counts in statistics.
    Resolved,
}

impl TaskStatus {
    /// Every status, in menu order.
    pub const ALL: [TaskStatus; 3] = [TaskStatus::Open, TaskStatus::Waiting, TaskStatus::Resolved];

    /// Label shown to agents.
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Open => "Open",
            TaskStatus::Waiting => "Waiting",
            TaskStatus::Resolved => "Resolved",
        }
    }

    /// Storage and form key (also the value of the status index).
    pub fn key(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Waiting => "waiting",
            TaskStatus::Resolved => "resolved",
        }
    }

    /// Reads a status from its key.
    pub fn from_key(key: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Open and waiting tasks still need someone.
    pub fn is_open(self) -> bool {
        !matches!(self, TaskStatus::Resolved)
    }
}

/// How a call ended; decides whether a call task resolves itself (T2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// The customer was spoken to.
    Connected,
    /// Nobody answered.
    NoAnswer,
    /// The caller left a voicemail.
    Voicemail,
    /// An answering machine picked up.
    MachineAnswered,
    /// The call was rejected.
    Rejected,
    /// The network failed.
    Failed,
}

impl CallOutcome {
    /// Every outcome, in menu order.
    pub const ALL: [CallOutcome; 6] = [CallOutcome::Connected, CallOutcome::NoAnswer, CallOutcome::Voicemail, CallOutcome::MachineAnswered, CallOutcome::Rejected, CallOutcome::Failed];

    /// Storage and form key.
    pub fn key(self) -> &'static str {
        match self {
            CallOutcome::Connected => "connected",
            CallOutcome::NoAnswer => "no_answer",
            CallOutcome::Voicemail => "voicemail",
            CallOutcome::MachineAnswered => "machine_answered",
            CallOutcome::Rejected => "rejected",
            CallOutcome::Failed => "failed",
        }
    }

    /// Reads an outcome from its key.
    pub fn from_key(key: &str) -> Option<CallOutcome> {
        CallOutcome::ALL.into_iter().find(|o| o.key() == key)
    }

    /// How agents say it.
    pub fn label(self) -> &'static str {
        match self {
            CallOutcome::Connected => "Connected",
            CallOutcome::NoAnswer => "No answer",
            CallOutcome::Voicemail => "Voicemail",
            CallOutcome::MachineAnswered => "Answering machine",
            CallOutcome::Rejected => "Rejected",
            CallOutcome::Failed => "Failed",
        }
    }
}

/// A task as the workspace holds it: the current value of every field plus, per
/// field, the stamp of the change that set it (for field-by-field merging).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Task {
    /// Stable id.
    pub id: TaskId,
    /// Human-readable number, unique across devices.
    pub number: String,
    /// The originating interaction; clones share it (T8).
    pub transaction_id: String,
    /// Where the task came from.
    pub channel: Channel,
    /// Who contacted whom.
    pub direction: Direction,
    /// One line saying what the task is about.
    pub subject: String,
    /// Free-text notes.
    pub description: String,
    /// Lifecycle state.
    pub status: TaskStatus,
    /// Urgency.
    pub priority: Priority,
    /// Skills an agent needs to take the task.
    pub skills: Vec<String>,
    /// The customer the task is for, if known.
    pub customer: Option<CustomerId>,
    /// The agent working the task.
    pub assignee: Option<UserId>,
    /// The queue the task waits in.
    pub queue: Option<String>,
    /// Outcome tags (T7).
    pub hashtags: Vec<String>,
    /// Transaction codes (T6).
    pub codes: Vec<String>,
    /// Values of admin-defined fields, by field key (F1).
    #[serde(with = "crate::field::values_as_json")]
    pub custom: BTreeMap<String, serde_json::Value>,
    /// When a scheduled task (such as a call back) is due.
    #[serde(deserialize_with = "crate::stored_time::utc_or_none")]
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Minutes before `scheduled_at` that the reminder pops up.
    pub reminder_minutes: Option<u32>,
    /// The scheduled time whose reminder the agent dismissed (T4); a new time brings it back.
    #[serde(deserialize_with = "crate::stored_time::utc_or_none")]
    pub reminded_for: Option<DateTime<Utc>>,
    /// How the call ended, for call tasks.
    pub call_outcome: Option<CallOutcome>,
    /// The phone number or address the interaction came from (T5).
    pub contact: Option<String>,
    /// The task this one was cloned from (T8).
    pub parent: Option<TaskId>,
    /// The parent's number, kept so the clone still names its parent after the parent is deleted.
    pub parent_number: Option<String>,
    /// When the task was created.
    #[serde(deserialize_with = "crate::stored_time::utc")]
    pub created_at: DateTime<Utc>,
    /// Who created it.
    pub created_by: Option<UserId>,
    /// Set when the task is deleted; the record stays so history survives.
    pub deleted: bool,
    /// Routing's standing offer of this task to an agent (R3), while it stands.
    pub offer: Option<crate::offers::Offer>,
    /// Agents who rejected an offer of it or let one time out; it is not offered to them again.
    pub refused_by: Vec<UserId>,
    /// Given to its agent by routing (an accepted offer, or a supervisor's reassignment): it
    /// counts in their capacity (work assigned by hand does not).
    pub routed: bool,
    /// Resolved by its agent, who is finishing their notes: it still takes their capacity.
    pub wrapping: bool,
    /// Stamp of the latest change applied to this task.
    pub modified: Hlc,
    /// Who made the latest change.
    pub modified_by: Option<UserId>,
    /// Per field, the stamp of the change that last set it.
    pub stamps: Stamps,
}

impl Task {
    /// Fields that change records may set. Bookkeeping (id, modified, stamps) is not among them.
    pub const FIELDS: &'static [&'static str] = &[
        "number",
        "transaction_id",
        "channel",
        "direction",
        "subject",
        "description",
        "status",
        "priority",
        "skills",
        "customer",
        "assignee",
        "queue",
        "hashtags",
        "codes",
        "custom",
        "scheduled_at",
        "reminder_minutes",
        "reminded_for",
        "call_outcome",
        "contact",
        "parent",
        "parent_number",
        "created_at",
        "created_by",
        "deleted",
        "offer",
        "refused_by",
        "routed",
        "wrapping",
    ];

    /// When the task was last modified, as wall-clock time.
    pub fn modified_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.modified.millis as i64).unwrap_or(self.created_at)
    }
}
