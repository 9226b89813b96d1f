//! The live board (R3) and each task's routing standing, read from the records, so every device
//! shows the whole team the same way, wherever routing runs.

use crate::center::{agent_setups, queue_setups, standing, Standing};
use crate::ids::{TaskId, UserId};
use crate::routing::{channel_slot, Capacity, Millis, Presence};
use crate::workspace::Workspace;

/// A queue's row on the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    /// The queue.
    pub name: String,
    /// Tasks waiting for an offer.
    pub waiting: usize,
    /// How long the oldest of them has waited, in milliseconds.
    pub longest_ms: Millis,
    /// Tasks offered to an agent now.
    pub offered: usize,
    /// Tasks an agent works on or wraps up.
    pub assigned: usize,
    /// Tasks refused too often, waiting for a supervisor.
    pub flagged: usize,
}

/// An agent's row on the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentRow {
    /// Who.
    pub id: UserId,
    /// Their name.
    pub name: String,
    /// Their presence.
    pub presence: Presence,
    /// Since when (milliseconds since the epoch), when they have set one.
    pub since: Option<Millis>,
    /// Work held per channel (offers, assignments, wrap-ups).
    pub load: [u8; 6],
    /// What they may hold.
    pub capacity: Capacity,
}

/// The queues' rows, in the order the center lists them.
pub fn queues(ws: &Workspace, now: Millis) -> Vec<QueueRow> {
    let limit = ws.config.center.refusal_limit as usize;
    let mut rows: Vec<QueueRow> = queue_setups(ws).into_iter().map(|q| QueueRow { name: q.name, waiting: 0, longest_ms: 0, offered: 0, assigned: 0, flagged: 0 }).collect();
    for t in ws.tasks.values() {
        let (Some(s), Some(row)) = (standing(t, now), rows.iter_mut().find(|r| Some(&r.name) == t.queue.as_ref())) else { continue };
        match s {
            Standing::Waiting | Standing::Lapsed if t.refused_by.len() >= limit => row.flagged += 1,
            Standing::Waiting | Standing::Lapsed => {
                row.waiting += 1;
                row.longest_ms = row.longest_ms.max(now.saturating_sub(t.created_at.timestamp_millis().max(0) as Millis));
            }
            Standing::Offered(..) => row.offered += 1,
            Standing::Assigned(_) | Standing::Wrapping(_) => row.assigned += 1,
        }
    }
    rows
}

/// Every agent of the workspace with presence and load, whichever device they work on.
pub fn agents(ws: &Workspace, now: Millis) -> Vec<AgentRow> {
    let mut rows: Vec<AgentRow> = agent_setups(ws)
        .into_iter()
        .map(|(u, _, capacity)| {
            let entry = ws.config.presence.get(&u.id.to_string());
            AgentRow { id: u.id, name: u.name, presence: ws.presence_of(u.id), since: entry.map(|e| e.since), load: [0; 6], capacity }
        })
        .collect();
    for t in ws.tasks.values() {
        let holder = match standing(t, now) {
            Some(Standing::Offered(a, _) | Standing::Assigned(a) | Standing::Wrapping(a)) => a,
            _ => continue,
        };
        if let Some(row) = rows.iter_mut().find(|r| r.id == holder) {
            row.load[channel_slot(t.channel)] += 1;
        }
    }
    rows
}

/// Where a task stands in routing, in words, with its refusals and whether it waits for a
/// supervisor; `None` when routing has nothing to do with it.
pub fn task_standing(ws: &Workspace, task: TaskId, now: Millis) -> Option<(String, usize, bool)> {
    let t = ws.task(task)?;
    let name = |id: UserId| ws.user(id).map_or_else(|| "someone".to_string(), |u| u.name);
    let refused = t.refused_by.len();
    let flagged = refused >= ws.config.center.refusal_limit as usize;
    let Some(standing) = standing(t, now) else {
        // Routing's part ended: the agent it gave the task to resolved it.
        return (t.routed && !t.status.is_open() && !t.deleted).then(|| (format!("Completed by {}", t.assignee.map_or_else(|| "someone".to_string(), name)), refused, false));
    };
    let words = match standing {
        Standing::Waiting | Standing::Lapsed => "Waiting".to_string(),
        Standing::Offered(a, _) => format!("Offered to {}", name(a)),
        Standing::Assigned(a) => format!("Assigned to {}", name(a)),
        Standing::Wrapping(a) => format!("{} is wrapping up", name(a)),
    };
    Some((words, refused, flagged))
}

/// A person's routed work: offered to them, assigned to them, and in their wrap-up.
pub fn my_work(ws: &Workspace, me: UserId, now: Millis) -> [usize; 3] {
    let mut counts = [ws.offers_to(me, now).len(), 0, 0];
    // Their own routed tasks, not every routed task: this runs on every tick.
    for t in ws.routed_work_of(me) {
        match standing(t, now) {
            Some(Standing::Assigned(a)) if a == me => counts[1] += 1,
            Some(Standing::Wrapping(a)) if a == me => counts[2] += 1,
            _ => {}
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::ids::DeviceCode;
    use crate::workspace::Device;
    use chrono::{TimeZone, Utc};

    #[test]
    fn r3_the_board_reads_presence_offers_and_load_from_the_records() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut ws = Workspace::new(Device::new(DeviceCode::from_random(4)));
        demo::seed(&mut ws, 5, at).unwrap();
        let bea = demo::users()[1].clone();
        ws.set_presence(&bea, Presence::Available, 1_000, at).unwrap();
        let task = ws.tasks.values().find(|t| t.status.is_open() && t.assignee.is_none() && t.channel.routed() && t.queue.is_some()).unwrap().clone();
        ws.make_offer(task.id, crate::offers::Offer { agent: bea.id, until: 60_000, why: Default::default() }, at).unwrap();
        let row = agents(&ws, 2_000).into_iter().find(|r| r.id == bea.id).unwrap();
        assert_eq!((row.presence, row.since, row.load[channel_slot(task.channel)]), (Presence::Available, Some(1_000), 1));
        assert_eq!(task_standing(&ws, task.id, 2_000).unwrap().0, "Offered to Bea Costa");
        assert_eq!(my_work(&ws, bea.id, 2_000), [1, 0, 0]);
        let queue = queues(&ws, 2_000).into_iter().find(|q| Some(&q.name) == task.queue.as_ref()).unwrap();
        assert_eq!(queue.offered, 1);
        // Once the offer has lapsed, the task waits again.
        assert_eq!(task_standing(&ws, task.id, 70_000).unwrap().0, "Waiting");
        assert_eq!(my_work(&ws, bea.id, 70_000), [0, 0, 0]);
    }
}
