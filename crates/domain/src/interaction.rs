//! System-generated tasks (T5): every interaction event (a call ending, a voicemail, a web callback,
//! a campaign call, an email, chat or SMS arriving) becomes a task through this one entry point,
//! which the demo, the simulated contact center and every backend use.

use crate::change::Change;
use crate::codes;
use crate::ids::TaskId;
use crate::task::{CallOutcome, Channel, Direction, Priority};
use crate::user::User;
use crate::validate::{TaskInput, SUBJECT_MAX};
use crate::workspace::{DomainError, Workspace};
use chrono::{DateTime, Utc};

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InteractionKind {
    /// An inbound call ended.
    CallEnded(CallOutcome),
    /// A caller left a voicemail.
    Voicemail,
    /// A visitor asked to be called back from the website.
    WebCallback,
    /// The dialer processed a campaign call.
    CampaignCall {
        /// Campaign name.
        campaign: String,
        /// How the call ended.
        outcome: CallOutcome,
    },
    /// A call was scheduled during a campaign.
    CampaignCallScheduled {
        /// Campaign name.
        campaign: String,
        /// When to call.
        at: DateTime<Utc>,
    },
    /// An email arrived.
    Email {
        /// Its subject line.
        subject: String,
    },
    /// A chat started.
    Chat,
    /// A text message arrived.
    Sms,
}

impl InteractionKind {
    /// The channel of the task this kind of event becomes.
    pub fn channel(&self) -> Channel {
        match self {
            InteractionKind::Email { .. } => Channel::Email,
            InteractionKind::Chat => Channel::Chat,
            InteractionKind::Sms => Channel::Sms,
            _ => Channel::Call,
        }
    }
}

/// One interaction event from telephony, the dialer or a messaging channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interaction {
    /// The interaction's own id; becomes the task's transaction id (clones keep it).
    pub id: String,
    /// What happened.
    pub kind: InteractionKind,
    /// The customer's phone number or email address.
    pub contact: String,
    /// The message text, transcript or voicemail transcription.
    pub body: String,
    /// The queue it arrived in.
    pub queue: Option<String>,
    /// An email's HTML body, as received.
    pub html: Option<String>,
    /// The shared document the event came in (an integration's, through the server), if any:
    /// every device that reads it derives the same task and message from it, so it counts once
    /// however many devices see it.
    pub source: Option<String>,
}

/// An interaction event as JSON describes it: `Taskdesk.ingest`'s argument, or an integration's
/// document in the shared database (the same fields).
#[derive(Debug, serde::Deserialize)]
struct EventJson {
    id: String,
    kind: String,
    contact: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    queue: Option<String>,
    #[serde(default)]
    outcome: Option<CallOutcome>,
}

impl Interaction {
    /// Reads an event from its JSON: `{ id, kind, contact, subject, body, html, queue, outcome }`
    /// (`kind`: email, chat, sms, call, voicemail, web_callback). Says in plain words what is wrong.
    pub fn from_json(value: &serde_json::Value) -> Result<Interaction, String> {
        let e: EventJson = serde_json::from_value(value.clone()).map_err(|e| format!("The event could not be read: {e}."))?;
        let kind = match e.kind.as_str() {
            "email" => InteractionKind::Email { subject: e.subject },
            "chat" => InteractionKind::Chat,
            "sms" => InteractionKind::Sms,
            "call" => InteractionKind::CallEnded(e.outcome.unwrap_or(CallOutcome::Connected)),
            "voicemail" => InteractionKind::Voicemail,
            "web_callback" => InteractionKind::WebCallback,
            other => return Err(format!("“{other}” is not a kind of interaction Taskdesk knows (email, chat, sms, call, voicemail, web_callback).")),
        };
        if e.id.trim().is_empty() || e.contact.trim().is_empty() {
            return Err("An interaction needs an id and a contact (phone number or email address).".into());
        }
        Ok(Interaction { id: e.id, kind, contact: e.contact, body: e.body, queue: e.queue, html: e.html, source: None })
    }
}

/// The task an interaction became.
#[derive(Clone, Debug, PartialEq)]
pub struct Ingested {
    /// The new task.
    pub task: TaskId,
    /// Every change made, oldest first.
    pub changes: Vec<Change>,
    /// Whether the contact matched a customer; if not, the agent must pick or create one.
    pub known_customer: bool,
}

fn subject(kind: &InteractionKind, contact: &str) -> String {
    let text = match kind {
        InteractionKind::CallEnded(CallOutcome::Connected) => format!("Call with {contact}"),
        InteractionKind::CallEnded(_) => format!("Missed call from {contact}"),
        InteractionKind::Voicemail => format!("Voicemail from {contact}"),
        InteractionKind::WebCallback => format!("Web callback request from {contact}"),
        InteractionKind::CampaignCall { campaign, .. } => format!("Campaign call ({campaign}) to {contact}"),
        InteractionKind::CampaignCallScheduled { campaign, .. } => format!("Scheduled campaign call ({campaign}) to {contact}"),
        InteractionKind::Email { subject } if !subject.trim().is_empty() => subject.trim().to_string(),
        InteractionKind::Email { .. } => format!("Email from {contact}"),
        InteractionKind::Chat => format!("Chat with {contact}"),
        InteractionKind::Sms => format!("SMS from {contact}"),
    };
    text.chars().take(SUBJECT_MAX).collect()
}

/// The system code a call outcome earns, if any (AMD, CCB, temporary failure).
fn system_code(outcome: CallOutcome) -> Option<&'static str> {
    match outcome {
        CallOutcome::MachineAnswered => Some("AMD"),
        CallOutcome::Rejected => Some("CCB"),
        CallOutcome::Failed => Some("TEMPFAIL"),
        _ => None,
    }
}

impl Workspace {
    /// The task already holding the conversation an email, chat or SMS event belongs to: the
    /// original (not a clone) with the event's transaction id.
    fn conversation_of(&self, event: &Interaction) -> Option<TaskId> {
        let channel = event.kind.channel();
        if !crate::conversation::is_written(channel) {
            return None;
        }
        self.tasks.values().find(|t| !t.deleted && t.parent.is_none() && t.channel == channel && t.transaction_id == event.id).map(|t| t.id)
    }

    /// Turns an interaction into a task, linked to the customer whose phone or email matches.
    /// Call outcomes are logged (a connected call resolves its task) and system codes added.
    pub fn ingest(&mut self, event: &Interaction, now: DateTime<Utc>) -> Result<Ingested, DomainError> {
        let system = User::system();
        let message_id = event.source.as_deref().map(|s| crate::ids::derived("message", s));
        if let Some(message) = message_id.and_then(|m| self.messages.get(&m)) {
            // This device took the shared event in already.
            let task = message.task;
            return Ok(Ingested { task, changes: Vec::new(), known_customer: self.task(task).is_some_and(|t| t.customer.is_some()) });
        }
        if let Some(existing) = self.conversation_of(event) {
            // A further message of a conversation that already has its task (an email reply, the
            // next chat line) joins that task's thread.
            let change = self.receive(existing, &event.contact, &event.body, event.html.as_deref(), message_id, now)?;
            let known_customer = self.task(existing).is_some_and(|t| t.customer.is_some());
            return Ok(Ingested { task: existing, changes: vec![change], known_customer });
        }
        let customer = self.customers.values().filter(|c| !c.deleted).find(|c| c.matches_contact(&event.contact)).map(|c| c.id);
        let channel = event.kind.channel();
        let (direction, outcome, scheduled_at) = match &event.kind {
            InteractionKind::CallEnded(o) => (Direction::Inbound, Some(*o), None),
            InteractionKind::Voicemail => (Direction::Inbound, Some(CallOutcome::Voicemail), None),
            InteractionKind::WebCallback => (Direction::Outbound, None, None),
            InteractionKind::CampaignCall { outcome, .. } => (Direction::Outbound, Some(*outcome), None),
            InteractionKind::CampaignCallScheduled { at, .. } => (Direction::Outbound, None, Some(*at)),
            InteractionKind::Email { .. } | InteractionKind::Chat | InteractionKind::Sms => (Direction::Inbound, None, None),
        };
        let input = TaskInput {
            subject: subject(&event.kind, &event.contact),
            description: event.body.clone(),
            channel,
            direction,
            priority: if matches!(event.kind, InteractionKind::WebCallback) { Priority::High } else { Priority::Normal },
            customer,
            assignee: None,
            queue: event.queue.clone(),
            scheduled_at,
            reminder_minutes: None,
            custom: Default::default(),
        };
        let created = self.create_task_for(&system, input, Some(event), now)?;
        let task = TaskId(created.entity);
        let mut changes = vec![created];
        if crate::conversation::is_written(channel) {
            changes.push(self.receive(task, &event.contact, &event.body, event.html.as_deref(), message_id, now)?);
        }
        if let Some(outcome) = outcome {
            changes.extend(self.log_call_outcome(&system, task, outcome, now)?);
            if let Some(code) = system_code(outcome) {
                debug_assert!(codes::system_codes().iter().any(|c| c.code == code));
                changes.extend(self.add_system_code(task, code, now)?);
            }
        }
        Ok(Ingested { task, changes, known_customer: customer.is_some() })
    }
}
