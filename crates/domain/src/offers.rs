//! Routing as change records (R2, R3): each person's presence, the offer routing makes of a task,
//! refusals, acceptance, wrap-up, and a supervisor's reassign and transfer. Being records, they
//! reach every device, show in History, and let whichever device routes rebuild its state from
//! them; they merge like every other field, so two routers acting at once settle the same way
//! on every device.

use crate::change::Change;
use crate::config::Config;
use crate::ids::{TaskId, UserId};
use crate::permission::Permission;
use crate::routing::{Explanation, Millis, Presence};
use crate::task::Task;
use crate::user::User;
use crate::workspace::{require, DomainError, Workspace};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Routing's offer of a task to an agent, until a moment on the routing clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// To whom.
    pub agent: UserId,
    /// When it times out (milliseconds since the epoch).
    pub until: Millis,
    /// Why it went to them ("Why me?").
    pub why: Explanation,
}

/// A person's presence and since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceEntry {
    /// Their presence.
    pub state: Presence,
    /// Since when (milliseconds since the epoch).
    pub since: Millis,
}

/// Why an answer to an offer was refused.
fn not_yours() -> DomainError {
    DomainError::Invalid("That offer is no longer yours: it timed out or went to someone else.".into())
}

impl Workspace {
    /// A person's presence: what they last chose, or Busy (at the desk, taking no offers).
    pub fn presence_of(&self, user: UserId) -> Presence {
        self.config.presence.get(&user.to_string()).map_or(Presence::Busy, |p| p.state)
    }

    /// The person sets their own presence; `None` when unchanged.
    pub fn set_presence(&mut self, actor: &User, presence: Presence, now_ms: Millis, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        if self.presence_of(actor.id) == presence && self.config.presence.contains_key(&actor.id.to_string()) {
            return Ok(None);
        }
        let mut after = self.config.clone();
        after.presence.insert(actor.id.to_string(), PresenceEntry { state: presence, since: now_ms });
        let before = self.config.clone();
        self.commit_diff(actor, now, &before, &after)
    }

    /// Tasks offered to a person now, oldest offer first. (An offer on a task someone already
    /// took, left by a router acting at the same time elsewhere, is void.)
    pub fn offers_to(&self, user: UserId, now_ms: Millis) -> Vec<&Task> {
        let mut list: Vec<&Task> =
            self.offered_tasks().filter(|t| !t.deleted && t.assignee.is_none() && t.status.is_open() && t.offer.as_ref().is_some_and(|o| o.agent == user && o.until > now_ms)).collect();
        list.sort_by_key(|t| (t.offer.as_ref().map(|o| o.until), t.number.clone()));
        list
    }

    /// Routing offers a task to an agent (as the system).
    pub fn make_offer(&mut self, task: TaskId, offer: Offer, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let before = self.task(task).ok_or(DomainError::TaskNotFound)?.clone();
        let after = Task { offer: Some(offer), ..before.clone() };
        self.commit_diff(&User::system(), now, &before, &after)
    }

    /// Routing withdraws a standing offer (as the system): when `refused`, it timed out, and
    /// counts as the agent's refusal.
    pub fn withdraw_offer(&mut self, task: TaskId, refused: bool, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let before = self.task(task).ok_or(DomainError::TaskNotFound)?.clone();
        let Some(offer) = &before.offer else { return Ok(None) };
        let mut after = Task { offer: None, ..before.clone() };
        if refused && !after.refused_by.contains(&offer.agent) {
            after.refused_by.push(offer.agent);
        }
        self.commit_diff(&User::system(), now, &before, &after)
    }

    /// The agent takes the task offered to them.
    pub fn accept_offer(&mut self, actor: &User, task: TaskId, now_ms: Millis, now: DateTime<Utc>) -> Result<Change, DomainError> {
        require(actor, Permission::Edit)?;
        let before = self.task(task).ok_or(DomainError::TaskNotFound)?.clone();
        if before.assignee.is_some() || !before.offer.as_ref().is_some_and(|o| o.agent == actor.id && o.until > now_ms) {
            return Err(not_yours());
        }
        let after = Task { offer: None, assignee: Some(actor.id), routed: true, ..before.clone() };
        self.commit_diff(actor, now, &before, &after)?.ok_or_else(not_yours)
    }

    /// The agent declines the task offered to them: it goes to someone else.
    pub fn reject_offer(&mut self, actor: &User, task: TaskId, now: DateTime<Utc>) -> Result<Change, DomainError> {
        require(actor, Permission::Edit)?;
        let before = self.task(task).ok_or(DomainError::TaskNotFound)?.clone();
        if before.offer.as_ref().is_none_or(|o| o.agent != actor.id) {
            return Err(not_yours());
        }
        let mut after = Task { offer: None, ..before.clone() };
        if !after.refused_by.contains(&actor.id) {
            after.refused_by.push(actor.id);
        }
        self.commit_diff(actor, now, &before, &after)?.ok_or_else(not_yours)
    }

    /// The agent finishes wrap-up of a task they resolved: their capacity is free again.
    pub fn finish_wrap_up(&mut self, actor: &User, task: TaskId, now: DateTime<Utc>) -> Result<Change, DomainError> {
        let before = self.task(task).ok_or(DomainError::TaskNotFound)?.clone();
        if !before.wrapping || before.assignee != Some(actor.id) {
            return Err(DomainError::Invalid("That task is not in your wrap-up.".into()));
        }
        let after = Task { wrapping: false, ..before.clone() };
        self.edit_task(actor, &before, &after, now)?.ok_or_else(|| DomainError::Invalid("That task is not in your wrap-up.".into()))
    }

    /// A supervisor gives a task to an agent (R4); any standing offer goes.
    pub fn reassign(&mut self, actor: &User, task: TaskId, agent: UserId, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        require(actor, Permission::Supervise)?;
        self.user(agent).ok_or_else(|| DomainError::Invalid("That person is not a user of this workspace.".into()))?;
        let before = self.task(task).ok_or(DomainError::TaskNotFound)?.clone();
        let after = Task { assignee: Some(agent), offer: None, routed: true, wrapping: false, ..before.clone() };
        self.edit_task(actor, &before, &after, now)
    }

    /// A supervisor moves a task to another queue (R4), where it waits afresh, unassigned, its
    /// refusals forgotten.
    pub fn transfer(&mut self, actor: &User, task: TaskId, queue: &str, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        require(actor, Permission::Supervise)?;
        if !crate::center::queue_setups(self).iter().any(|q| q.name == queue) {
            return Err(DomainError::Invalid(format!("There is no queue called “{queue}”.")));
        }
        let before = self.task(task).ok_or(DomainError::TaskNotFound)?.clone();
        let after = Task { queue: Some(queue.to_string()), assignee: None, offer: None, refused_by: Vec::new(), routed: false, wrapping: false, ..before.clone() };
        self.edit_task(actor, &before, &after, now)
    }

    /// Applies changes made elsewhere (another tab, the server) and says which tasks `person`
    /// held before and someone else holds now: two routers acting at once (a network split)
    /// settle on one agent, and the other must be told. Changes that do not fit are returned.
    pub fn apply_noting_losses(&mut self, changes: &[Change], person: UserId) -> (Vec<DomainError>, Vec<TaskId>) {
        let held: Vec<TaskId> = changes.iter().map(|c| TaskId(c.entity)).filter(|id| self.task(*id).is_some_and(|t| t.assignee == Some(person))).collect();
        let problems = changes.iter().filter_map(|c| self.apply(c).err()).collect();
        let mut lost: Vec<TaskId> = held.into_iter().filter(|id| self.task(*id).is_some_and(|t| t.assignee.is_some_and(|a| a != person))).collect();
        lost.dedup();
        (problems, lost)
    }

    /// Switches the simulated contact center's traffic on or off (R5, admins); `None` when unchanged.
    pub fn set_simulator(&mut self, actor: &User, on: bool, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let after = Config { simulator: on, ..self.config.clone() };
        self.edit_config(actor, Permission::ManageUsers, after, now)
    }
}
