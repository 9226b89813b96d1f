//! The task lifecycle (T2) as a state machine with typed refusals.

use crate::task::{CallOutcome, Channel, TaskStatus};

/// Something a person or the system asks to do with a task's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusAction {
    /// The agent marks the work done (the checkmark).
    Resolve,
    /// The work needs doing again.
    Reopen,
    /// Waiting on the customer or a third party.
    Hold,
    /// Back to work after waiting.
    Resume,
}

impl StatusAction {
    /// Every action, in the order a task's buttons show them.
    pub const ALL: [StatusAction; 4] = [StatusAction::Resolve, StatusAction::Hold, StatusAction::Resume, StatusAction::Reopen];

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            StatusAction::Resolve => "Resolve",
            StatusAction::Reopen => "Reopen",
            StatusAction::Hold => "Put on hold",
            StatusAction::Resume => "Resume",
        }
    }
}

/// The status actions a task offers (its buttons): exactly those the lifecycle allows.
pub fn actions(channel: Channel, current: TaskStatus) -> Vec<StatusAction> {
    StatusAction::ALL.into_iter().filter(|a| next_status(channel, current, *a).is_ok()).collect()
}

/// Why a status move is not allowed, in words an agent understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// Resolving a task that is already resolved.
    #[error("This task is already resolved.")]
    AlreadyResolved,
    /// Reopening a task that is not resolved.
    #[error("Only a resolved task can be reopened.")]
    NotResolved,
    /// Call tasks close themselves when the call connects.
    #[error("A call task resolves by itself once the customer has been spoken to; log a connected call instead.")]
    CallResolvesItself,
    /// Putting on hold a task that is not open.
    #[error("Only an open task can be put on hold.")]
    NotOpen,
    /// The workspace asks for a hashtag on every resolved task and this one has none (T7).
    #[error("Add at least one hashtag before resolving: this workspace asks for one on every resolved task.")]
    HashtagRequired,
    /// A call outcome logged on a task that is not a call.
    #[error("Only call tasks have a call outcome.")]
    NotACall,
    /// Resuming a task that is not waiting.
    #[error("Only a task on hold can be resumed.")]
    NotWaiting,
}

/// The status after `action`, or why it cannot happen.
pub fn next_status(channel: Channel, current: TaskStatus, action: StatusAction) -> Result<TaskStatus, LifecycleError> {
    use StatusAction::*;
    use TaskStatus::*;
    match (action, current) {
        (Resolve, Resolved) => Err(LifecycleError::AlreadyResolved),
        (Resolve, _) if !channel.resolved_by_agent() => Err(LifecycleError::CallResolvesItself),
        (Resolve, _) => Ok(Resolved),
        (Reopen, Resolved) => Ok(Open),
        (Reopen, _) => Err(LifecycleError::NotResolved),
        (Hold, Open) => Ok(Waiting),
        (Hold, _) => Err(LifecycleError::NotOpen),
        (Resume, Waiting) => Ok(Open),
        (Resume, _) => Err(LifecycleError::NotWaiting),
    }
}

/// The status a call task takes when its call ends: resolved when the customer
/// was spoken to, otherwise it stays as it was (missed and failed calls stay open).
pub fn status_after_call(current: TaskStatus, outcome: CallOutcome) -> TaskStatus {
    match outcome {
        CallOutcome::Connected => TaskStatus::Resolved,
        _ => current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t2_written_channels_resolve_with_the_checkmark() {
        for channel in [Channel::Email, Channel::Chat, Channel::Sms, Channel::Meeting, Channel::Other] {
            assert_eq!(next_status(channel, TaskStatus::Open, StatusAction::Resolve), Ok(TaskStatus::Resolved));
            assert_eq!(next_status(channel, TaskStatus::Waiting, StatusAction::Resolve), Ok(TaskStatus::Resolved));
        }
    }

    #[test]
    fn t2_call_tasks_cannot_be_resolved_by_hand() {
        assert_eq!(next_status(Channel::Call, TaskStatus::Open, StatusAction::Resolve), Err(LifecycleError::CallResolvesItself));
    }

    #[test]
    fn t2_call_resolves_only_when_connected() {
        assert_eq!(status_after_call(TaskStatus::Open, CallOutcome::Connected), TaskStatus::Resolved);
        for missed in [CallOutcome::NoAnswer, CallOutcome::Voicemail, CallOutcome::MachineAnswered, CallOutcome::Rejected, CallOutcome::Failed] {
            assert_eq!(status_after_call(TaskStatus::Open, missed), TaskStatus::Open);
        }
    }

    #[test]
    fn t2_moves_that_make_no_sense_are_refused_with_a_reason() {
        use StatusAction::*;
        let e = Channel::Email;
        assert_eq!(next_status(e, TaskStatus::Resolved, Resolve), Err(LifecycleError::AlreadyResolved));
        assert_eq!(next_status(e, TaskStatus::Open, Reopen), Err(LifecycleError::NotResolved));
        assert_eq!(next_status(e, TaskStatus::Waiting, Hold), Err(LifecycleError::NotOpen));
        assert_eq!(next_status(e, TaskStatus::Open, Resume), Err(LifecycleError::NotWaiting));
        assert_eq!(next_status(e, TaskStatus::Resolved, Reopen), Ok(TaskStatus::Open));
        assert_eq!(next_status(e, TaskStatus::Open, Hold), Ok(TaskStatus::Waiting));
        assert_eq!(next_status(e, TaskStatus::Waiting, Resume), Ok(TaskStatus::Open));
        assert!(LifecycleError::CallResolvesItself.to_string().contains("call"));
    }

    #[test]
    fn t2_a_task_shows_the_buttons_its_status_allows() {
        use StatusAction::*;
        assert_eq!(actions(Channel::Email, TaskStatus::Open), vec![Resolve, Hold]);
        assert_eq!(actions(Channel::Email, TaskStatus::Waiting), vec![Resolve, Resume]);
        assert_eq!(actions(Channel::Email, TaskStatus::Resolved), vec![Reopen]);
        assert_eq!(actions(Channel::Call, TaskStatus::Open), vec![Hold], "a call resolves itself");
        assert_eq!(actions(Channel::Call, TaskStatus::Resolved), vec![Reopen]);
    }
}
