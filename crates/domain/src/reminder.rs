//! Reminders of scheduled tasks (T4): when each pops up, which are due now, which were missed
//! while the app was closed, and dismissing one so it does not pop up again.

use crate::ids::TaskId;
use crate::task::Task;
use crate::user::User;
use crate::workspace::{DomainError, Workspace};
use crate::Change;
use chrono::{DateTime, Duration, Utc};

/// A reminder that should be on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueReminder {
    /// The task.
    pub task: TaskId,
    /// Its number.
    pub number: String,
    /// Its subject.
    pub subject: String,
    /// When the scheduled work is due.
    pub scheduled_at: DateTime<Utc>,
    /// The scheduled time has passed without the reminder being dismissed.
    pub past_due: bool,
}

/// When a task's reminder pops up, if it has one.
pub fn pops_up_at(task: &Task) -> Option<DateTime<Utc>> {
    let at = task.scheduled_at?;
    let minutes = task.reminder_minutes?;
    Some(at - Duration::minutes(minutes as i64))
}

/// Whether the reminder still waits for the agent: it has not been dismissed for this scheduled time.
fn waiting(task: &Task) -> bool {
    !task.deleted && task.status.is_open() && task.scheduled_at.is_some() && task.reminded_for != task.scheduled_at
}

impl Workspace {
    /// Reminders due at `now`, the soonest first: those whose time to pop up has come, and
    /// those whose scheduled time passed while nobody saw them (past due).
    pub fn due_reminders(&self, now: DateTime<Utc>) -> Vec<DueReminder> {
        let mut due: Vec<DueReminder> = self
            .tasks
            .values()
            .filter(|t| waiting(t) && pops_up_at(t).is_some_and(|at| at <= now))
            .filter_map(|t| {
                let scheduled_at = t.scheduled_at?;
                Some(DueReminder { task: t.id, number: t.number.clone(), subject: t.subject.clone(), scheduled_at, past_due: scheduled_at < now })
            })
            .collect();
        due.sort_by(|a, b| a.scheduled_at.cmp(&b.scheduled_at).then(a.number.cmp(&b.number)));
        due
    }

    /// When the next reminder pops up after `now`, so the app can wake up exactly then.
    pub fn next_reminder_after(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.tasks.values().filter(|t| waiting(t)).filter_map(pops_up_at).filter(|at| *at > now).min()
    }

    /// Dismisses a task's reminder for its current scheduled time; rescheduling brings it back.
    pub fn dismiss_reminder(&mut self, actor: &User, id: TaskId, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let before = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        let after = Task { reminded_for: before.scheduled_at, ..before.clone() };
        self.commit_diff(actor, now, &before, &after)
    }
}
