//! Service levels (U1, S1): each queue's targets for the first reply and for resolution, and
//! the clock of an open task against them, which the queue, the task's header and the reports
//! all read.

use crate::conversation::{is_written, Delivery};
use crate::task::Task;
use crate::workspace::Workspace;
use chrono::{DateTime, Duration, Utc};

/// The longest target an admin can set: 30 days.
pub const MAX_TARGET_MIN: u32 = 30 * 24 * 60;

/// A queue's first-reply target when the admin has set none.
pub fn default_first_response_min() -> u32 {
    60
}

/// A queue's resolution target when the admin has set none.
pub fn default_resolution_min() -> u32 {
    24 * 60
}

/// What a task's clock is running for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// The first reply to the customer (written work).
    FirstResponse,
    /// Resolving the task.
    Resolution,
}

/// How a task stands against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Standing {
    /// More than a quarter of the time is left.
    OnTrack,
    /// A quarter of the time or less is left.
    Near,
    /// The target has passed.
    Breached,
}

/// An open task's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaClock {
    /// What it runs for.
    pub goal: Goal,
    /// When the target falls.
    pub due: DateTime<Utc>,
    /// Milliseconds left; negative once passed.
    pub left_ms: i64,
    /// The target's length in milliseconds.
    pub target_ms: i64,
}

impl SlaClock {
    /// On track, near or breached.
    pub fn standing(&self) -> Standing {
        if self.left_ms < 0 {
            Standing::Breached
        } else if self.left_ms * 4 <= self.target_ms {
            Standing::Near
        } else {
            Standing::OnTrack
        }
    }

    /// In words, for the task's header: "First reply due in 12 minutes", "Resolution overdue by 3 hours".
    pub fn words(&self) -> String {
        let what = match self.goal {
            Goal::FirstResponse => "First reply",
            Goal::Resolution => "Resolution",
        };
        if self.left_ms < 0 {
            format!("{what} overdue by {}", crate::duration::spoken(self.left_ms.unsigned_abs()))
        } else {
            format!("{what} due in {}", crate::duration::spoken(self.left_ms as u64))
        }
    }

    /// Briefly, for a queue row: "12 min left", "3 h over".
    pub fn brief(&self) -> String {
        if self.left_ms < 0 {
            format!("{} over", crate::duration::brief(self.left_ms.unsigned_abs()))
        } else {
            format!("{} left", crate::duration::brief(self.left_ms as u64))
        }
    }
}

impl Workspace {
    /// A queue's targets in minutes (first reply, resolution); `None` for a queue not set up.
    pub fn sla_targets(&self, queue: &str) -> Option<(u32, u32)> {
        match self.config.center.queues.iter().find(|q| q.name == queue) {
            Some(q) => Some((q.first_response_min, q.resolution_min)),
            None => crate::center::demo_queues().iter().any(|q| q.name == queue).then(|| (default_first_response_min(), default_resolution_min())),
        }
    }

    /// Whether the center has written to the customer on this task (a reply, not a note).
    pub fn responded(&self, task: &Task) -> bool {
        self.message_ids(task.id).iter().filter_map(|id| self.messages.get(id)).any(|m| !m.inbound && m.delivery != Delivery::Note)
    }

    /// The clock of an open task in a queue with targets: the first reply while written work has
    /// none, then resolution. `None` for resolved work, work waiting on the customer (the
    /// clock shows nothing while the ball is in their court) or a queue without targets.
    pub fn sla_clock(&self, task: &Task, now: DateTime<Utc>) -> Option<SlaClock> {
        if task.status != crate::TaskStatus::Open || task.deleted {
            return None;
        }
        let (first, resolve) = self.sla_targets(task.queue.as_deref()?)?;
        let (goal, minutes) = if is_written(task.channel) && first > 0 && !self.responded(task) {
            (Goal::FirstResponse, first)
        } else if resolve > 0 {
            (Goal::Resolution, resolve)
        } else {
            return None;
        };
        let due = task.created_at + Duration::minutes(i64::from(minutes));
        Some(SlaClock { goal, due, left_ms: (due - now).num_milliseconds(), target_ms: i64::from(minutes) * 60_000 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interaction::{Interaction, InteractionKind};
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn workspace() -> Workspace {
        Workspace::new(crate::workspace::Device::new(crate::ids::DeviceCode::from_random(5)))
    }

    fn arrive(ws: &mut Workspace, id: &str, kind: InteractionKind, queue: &str) -> crate::TaskId {
        let event = Interaction { id: id.into(), kind, contact: "+420777000111".into(), body: "Hello".into(), queue: Some(queue.into()), html: None, source: None };
        ws.ingest(&event, at(0)).unwrap().task
    }

    #[test]
    fn u1_written_work_runs_to_the_first_reply_then_to_resolution() {
        let mut ws = workspace();
        let agent = crate::demo::users()[0].clone();
        let chat = arrive(&mut ws, "C1", InteractionKind::Chat, "Support");
        let clock = ws.sla_clock(ws.task(chat).unwrap(), at(10)).unwrap();
        assert_eq!((clock.goal, clock.left_ms, clock.standing()), (Goal::FirstResponse, 50 * 60_000, Standing::OnTrack));
        assert_eq!(clock.words(), "First reply due in 50 minutes");
        assert_eq!(ws.sla_clock(ws.task(chat).unwrap(), at(50)).unwrap().standing(), Standing::Near);
        let late = ws.sla_clock(ws.task(chat).unwrap(), at(75)).unwrap();
        assert_eq!((late.standing(), late.words(), late.brief()), (Standing::Breached, "First reply overdue by 15 minutes".to_string(), "15 min over".to_string()));
        ws.add_note(&agent, chat, "Looking", at(20)).unwrap();
        assert_eq!(ws.sla_clock(ws.task(chat).unwrap(), at(21)).unwrap().goal, Goal::FirstResponse, "a note is not a reply");
        ws.reply(&agent, chat, "On it", at(30)).unwrap();
        let clock = ws.sla_clock(ws.task(chat).unwrap(), at(30)).unwrap();
        assert_eq!((clock.goal, clock.brief()), (Goal::Resolution, "23 h left".to_string()));
        ws.change_status(&agent, chat, crate::lifecycle::StatusAction::Hold, at(35)).unwrap();
        assert_eq!(ws.sla_clock(ws.task(chat).unwrap(), at(36)), None, "waiting on the customer shows no clock");
        ws.change_status(&agent, chat, crate::lifecycle::StatusAction::Resume, at(37)).unwrap();
        assert!(ws.sla_clock(ws.task(chat).unwrap(), at(38)).is_some());
        ws.change_status(&agent, chat, crate::lifecycle::StatusAction::Resolve, at(40)).unwrap();
        assert_eq!(ws.sla_clock(ws.task(chat).unwrap(), at(41)), None, "resolved work has no clock");
    }

    #[test]
    fn u1_the_admin_sets_each_queue_s_targets() {
        let mut ws = workspace();
        let admin = crate::demo::users().into_iter().find(|u| u.role == crate::Role::Admin).unwrap();
        let call = arrive(&mut ws, "V1", InteractionKind::Voicemail, "Billing");
        assert_eq!(ws.sla_clock(ws.task(call).unwrap(), at(0)).unwrap().goal, Goal::Resolution, "calls have no first reply");
        let mut center = ws.config.center.clone();
        center.queues = crate::center::queue_setups(&ws)
            .into_iter()
            .map(|q| crate::center_settings::QueueSetup {
                name: q.name,
                requirements: q.requirements,
                priority: q.priority,
                first_response_min: 15,
                resolution_min: if q.priority == 2 { 0 } else { 120 },
            })
            .collect();
        ws.set_center_settings(&admin, center.clone(), at(0)).unwrap();
        assert_eq!(ws.sla_targets("Billing"), Some((15, 0)));
        assert_eq!(ws.sla_clock(ws.task(call).unwrap(), at(0)), None, "no resolution target, no clock");
        let chat = arrive(&mut ws, "C2", InteractionKind::Chat, "Support");
        assert_eq!(ws.sla_clock(ws.task(chat).unwrap(), at(5)).unwrap().left_ms, 10 * 60_000);
        assert_eq!(ws.sla_targets("Nowhere"), None);
        center.queues[0].resolution_min = MAX_TARGET_MIN + 1;
        assert!(ws.set_center_settings(&admin, center, at(0)).is_err());
    }
}
