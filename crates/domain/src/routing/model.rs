//! What routing works with: agents and their presence, skills and capacity; queues with their
//! requirements and escalation ladder; routed tasks and their states (R1 to R3).

use crate::ids::{TaskId, UserId};
use crate::task::Channel;
use serde::{Deserialize, Serialize};

/// Milliseconds on the routing clock.
pub type Millis = u64;

/// The lowest and highest proficiency in a skill.
pub const PROFICIENCY: std::ops::RangeInclusive<u8> = 1..=5;

/// The most steps a queue's escalation ladder can have.
pub const MAX_ESCALATION_STEPS: usize = 8;

/// Offers time out after this long unless the workspace sets otherwise.
pub const DEFAULT_OFFER_TIMEOUT_MS: Millis = 30_000;

/// After this many refusals (rejections and timeouts) a task is flagged for a supervisor.
pub const DEFAULT_REFUSAL_LIMIT: u32 = 3;

/// Whether an agent takes work now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub enum Presence {
    /// Ready for offers.
    Available,
    /// At the desk but not taking offers.
    Busy,
    /// On a break.
    Break,
    /// Finishing notes after a task.
    WrapUp,
    /// Signed out.
    #[default]
    Offline,
}

impl Presence {
    /// Every presence, in menu order.
    pub const ALL: [Presence; 5] = [Presence::Available, Presence::Busy, Presence::Break, Presence::WrapUp, Presence::Offline];

    /// The presence as people say it.
    pub fn label(self) -> &'static str {
        match self {
            Presence::Available => "Available",
            Presence::Busy => "Busy",
            Presence::Break => "Break",
            Presence::WrapUp => "Wrap-up",
            Presence::Offline => "Offline",
        }
    }

    /// Stable lowercase key for forms and storage.
    pub fn key(self) -> &'static str {
        match self {
            Presence::Available => "available",
            Presence::Busy => "busy",
            Presence::Break => "break",
            Presence::WrapUp => "wrap-up",
            Presence::Offline => "offline",
        }
    }

    /// The presence for a key.
    pub fn from_key(key: &str) -> Option<Presence> {
        Presence::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// How many tasks of each channel an agent holds at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    /// Per channel, in the order of [`Channel::ALL`].
    pub per_channel: [u8; 6],
    /// While on a call, no email, chat or SMS is offered.
    pub call_blocks_written: bool,
}

impl Default for Capacity {
    /// One call, or up to three chats, two emails and two SMS; a call blocks written work.
    fn default() -> Self {
        Capacity { per_channel: [1, 2, 3, 2, 0, 0], call_blocks_written: true }
    }
}

impl Capacity {
    /// The limit for a channel.
    pub fn of(&self, channel: Channel) -> u8 {
        self.per_channel[channel_slot(channel)]
    }
}

/// A channel's position in [`Channel::ALL`], for per-channel arrays.
pub fn channel_slot(channel: Channel) -> usize {
    Channel::ALL.iter().position(|c| *c == channel).unwrap_or(0)
}

/// A skill an agent has or a queue asks for, with a proficiency from 1 to 5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillLevel {
    /// The skill's name, as in "billing" or "german".
    pub skill: String,
    /// 1 (basic) to 5 (expert); for a requirement, the least accepted.
    pub level: u8,
}

impl SkillLevel {
    /// A skill at a level.
    pub fn new(skill: &str, level: u8) -> Self {
        SkillLevel { skill: skill.to_string(), level }
    }
}

/// An agent as routing sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentProfile {
    /// The agent's user id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Skills with proficiency.
    pub skills: Vec<SkillLevel>,
    /// Queues the agent serves.
    pub queues: Vec<String>,
    /// How much work at once.
    pub capacity: Capacity,
}

/// How an escalation step relaxes a queue's requirements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relax {
    /// Every required skill accepts this proficiency or higher (when lower than asked).
    LowerProficiency(u8),
    /// Only the first this-many required skills still count.
    KeepSkills(usize),
    /// Any agent serving the queue.
    AnyAgent,
}

impl Relax {
    /// What the step allows, in plain words.
    pub fn describe(&self) -> String {
        match self {
            Relax::LowerProficiency(l) => format!("proficiency {l} or higher accepted"),
            Relax::KeepSkills(n) => format!("only the first {n} required skills"),
            Relax::AnyAgent => "any agent in the queue".to_string(),
        }
    }
}

/// One step of a queue's escalation ladder, reached after a task waited long enough.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationStep {
    /// Waiting time in the queue before this step applies.
    pub after_ms: Millis,
    /// What it relaxes; steps add up.
    pub relax: Relax,
}

/// A queue: what its tasks need, how urgent it is, and how it relaxes with waiting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueDef {
    /// The queue's name, as on tasks.
    pub name: String,
    /// Skills its tasks need.
    pub requirements: Vec<SkillLevel>,
    /// Higher is served first (0 to 9).
    pub priority: u8,
    /// Escalation steps, by waiting time.
    pub ladder: Vec<EscalationStep>,
}

/// Where a routed task stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskState {
    /// Waiting for an agent.
    Pending,
    /// Offered to an agent until the deadline.
    Reserved {
        /// Who it is offered to.
        agent: UserId,
        /// When the offer times out.
        until: Millis,
    },
    /// An agent works on it.
    Assigned {
        /// Who.
        agent: UserId,
    },
    /// The agent finishes their notes.
    Wrapping {
        /// Who.
        agent: UserId,
    },
    /// Done.
    Completed,
    /// Withdrawn before anyone took it.
    Canceled,
}

impl TaskState {
    /// The agent holding the task, if any.
    pub fn holder(self) -> Option<UserId> {
        match self {
            TaskState::Reserved { agent, .. } | TaskState::Assigned { agent } | TaskState::Wrapping { agent } => Some(agent),
            _ => None,
        }
    }

    /// The state as people say it.
    pub fn label(self) -> &'static str {
        match self {
            TaskState::Pending => "Waiting",
            TaskState::Reserved { .. } => "Offered",
            TaskState::Assigned { .. } => "Assigned",
            TaskState::Wrapping { .. } => "Wrapping up",
            TaskState::Completed => "Completed",
            TaskState::Canceled => "Canceled",
        }
    }
}

/// A task entering routing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    /// The task.
    pub task: TaskId,
    /// Its channel (decides capacity).
    pub channel: Channel,
    /// Its queue.
    pub queue: String,
    /// 0 (low) to 3 (urgent), from the task's priority.
    pub priority: u8,
    /// Skills the task itself needs beyond its queue's (level 1).
    pub skills: Vec<String>,
}

/// A routed task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutedTask {
    /// What arrived.
    pub arrival: Arrival,
    /// Where it stands.
    pub state: TaskState,
    /// When it arrived (waiting time counts from here).
    pub arrived_at: Millis,
    /// When it entered its current queue (escalation counts from here).
    pub queued_at: Millis,
    /// Rejections and timed-out offers.
    pub refusals: u32,
    /// Agents who refused it; it is not offered to them again.
    pub refused_by: Vec<UserId>,
    /// Refused too often: waits for a supervisor and is not offered automatically.
    pub flagged: bool,
}

/// Why routing refused an action.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// Unknown task.
    #[error("That task is not being routed.")]
    UnknownTask,
    /// Unknown agent.
    #[error("That agent is not known to routing.")]
    UnknownAgent,
    /// Unknown queue.
    #[error("There is no queue called “{0}”.")]
    UnknownQueue(String),
    /// The task is already in routing.
    #[error("That task is already being routed.")]
    AlreadyRouted,
    /// The action does not fit the task's state.
    #[error("The task is {0}, so that cannot be done now.")]
    WrongState(&'static str),
    /// The offer belongs to someone else.
    #[error("That offer was made to someone else.")]
    NotYourOffer,
    /// Assigning would exceed the agent's capacity.
    #[error("{0} has no room for another {1} task.")]
    NoCapacity(String, &'static str),
    /// Settings out of range.
    #[error("{0}")]
    Invalid(String),
}
