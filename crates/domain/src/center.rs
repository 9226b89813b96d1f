//! The live contact center: the one router of a workspace and the simulated traffic.
//!
//! Routing's state lives in the records (R2, R3): each person's presence, the offer on a task,
//! who refused it, its assignee and wrap-up. Each tick the router first follows the records
//! (whatever any device wrote: a person accepting on their phone, a supervisor's transfer,
//! another router's offers before a takeover), then withdraws offers that timed out and makes
//! new ones, as records. So any device that takes over routing rebuilds the same state, and two
//! routers acting at once (a network split) settle field by field like any other edit.
//!
//! In a workspace without a server it also plays the simulated colleagues, who answer offers,
//! work and resolve through the same commands a person uses.

use crate::change::Change;
use crate::ids::{IdSet, TaskId, UserId};
use crate::lifecycle::StatusAction;
use crate::offers::Offer;
use crate::routing::*;
use crate::simulator::{Contact, SimSettings, Simulator};
use crate::task::{CallOutcome, Channel, Priority, Task};
use crate::user::{Role, User};
use crate::workspace::{DomainError, Workspace};
use chrono::{DateTime, Utc};

/// The queues of the demo center, with skills and escalation.
pub fn demo_queues() -> Vec<QueueDef> {
    let ladder = |first_s: u64| vec![EscalationStep { after_ms: first_s * 1000, relax: Relax::LowerProficiency(1) }, EscalationStep { after_ms: first_s * 2000, relax: Relax::AnyAgent }];
    vec![
        QueueDef { name: "Billing".into(), requirements: vec![SkillLevel::new("billing", 3)], priority: 2, ladder: ladder(60) },
        QueueDef { name: "Support".into(), requirements: vec![SkillLevel::new("tech", 2)], priority: 1, ladder: ladder(90) },
        QueueDef { name: "Sales".into(), requirements: vec![SkillLevel::new("sales", 2)], priority: 0, ladder: ladder(120) },
        QueueDef { name: "Retention".into(), requirements: vec![SkillLevel::new("retention", 4), SkillLevel::new("sales", 2)], priority: 3, ladder: ladder(45) },
    ]
}

/// The set-up each agent gets: an admin's, else the demo's skills and the default capacity.
pub fn agent_setups(ws: &Workspace) -> Vec<(User, Vec<SkillLevel>, Capacity)> {
    ws.users()
        .into_iter()
        .filter(|u| u.role == Role::Agent)
        .enumerate()
        .map(|(n, u)| match ws.config.center.agents.iter().find(|a| a.user == u.id) {
            Some(a) => (u, a.skills.clone(), a.capacity.clone()),
            None => (u, demo_skills(n), Capacity::default()),
        })
        .collect()
}

/// The queues as the center uses them: the demo's, with an admin's requirements and priority.
pub fn queue_setups(ws: &Workspace) -> Vec<QueueDef> {
    demo_queues()
        .into_iter()
        .map(|q| match ws.config.center.queues.iter().find(|s| s.name == q.name) {
            Some(s) => QueueDef { requirements: s.requirements.clone(), priority: s.priority, ..q },
            None => q,
        })
        .collect()
}

/// Skills of the n-th agent of the demo center.
fn demo_skills(n: usize) -> Vec<SkillLevel> {
    const SETS: &[&[(&str, u8)]] = &[
        &[("billing", 4), ("tech", 3), ("sales", 2)],
        &[("billing", 5), ("retention", 3)],
        &[("tech", 5), ("sales", 2)],
        &[("sales", 4), ("retention", 5), ("billing", 2)],
        &[("tech", 3), ("billing", 3)],
        &[("retention", 4), ("sales", 3), ("tech", 1)],
        &[("billing", 2), ("tech", 4), ("sales", 3)],
    ];
    SETS[n % SETS.len()].iter().map(|(s, l)| SkillLevel::new(s, *l)).collect()
}

fn routing_priority(p: Priority) -> u8 {
    Priority::ALL.iter().position(|x| *x == p).unwrap_or(1) as u8
}

/// Where a task's records say it stands in routing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Waiting for an offer.
    Waiting,
    /// Offered to an agent until a moment.
    Offered(UserId, Millis),
    /// Offered, but the offer timed out without the router that made it noticing.
    Lapsed,
    /// An agent works on it.
    Assigned(UserId),
    /// Its agent finishes their notes.
    Wrapping(UserId),
}

/// Where a task stands in routing by its records; `None` when routing has nothing to do with it
/// (not a routed channel, no queue, done, deleted, or work assigned by hand).
pub fn standing(t: &Task, now: Millis) -> Option<Standing> {
    if !followed_by_routing(t) {
        return None;
    }
    match (t.wrapping, t.assignee, &t.offer) {
        (true, Some(a), _) => Some(Standing::Wrapping(a)),
        _ if !t.status.is_open() => None,
        // Work assigned by hand is not routing's.
        (_, Some(a), _) if t.routed => Some(Standing::Assigned(a)),
        (_, Some(_), _) => None,
        (_, None, Some(o)) if o.until > now => Some(Standing::Offered(o.agent, o.until)),
        (_, None, Some(_)) => Some(Standing::Lapsed),
        (_, None, None) => Some(Standing::Waiting),
    }
}

/// How a task enters routing: its channel, queue, priority and skills.
fn arrival_of(t: &Task) -> Option<Arrival> {
    Some(Arrival { task: t.id, channel: t.channel, queue: t.queue.clone()?, priority: routing_priority(t.priority), skills: t.skills.clone() })
}

/// Whether routing may have something to do with a task whatever the time: a routed channel and
/// a queue, not deleted, and either wrapping up or open and not assigned by hand. The workspace
/// keeps these tasks' ids change by change, so a tick reads them instead of every task.
pub(crate) fn followed_by_routing(t: &Task) -> bool {
    !t.deleted && t.channel.routed() && t.queue.is_some() && ((t.wrapping && t.assignee.is_some()) || (t.status.is_open() && (t.assignee.is_none() || t.routed)))
}

/// What a step of the center produced.
#[derive(Clone, Debug, Default)]
pub struct Tick {
    /// Every change to store and share, oldest first.
    pub changes: Vec<Change>,
}

/// The running center.
#[derive(Clone, Debug)]
pub struct Center {
    /// The routing engine.
    pub router: Router,
    sim: Simulator,
    /// The person at the screen; with `colleagues`, every other agent is simulated.
    me: UserId,
    colleagues: bool,
    paused: bool,
    answers: Vec<(Millis, TaskId, UserId, bool)>,
    working: Vec<(Millis, TaskId, UserId)>,
    /// The workspace (its links' generation) whose changes the router has read up to now.
    followed: Option<u64>,
}

impl Center {
    /// A center over the workspace's agents and queues. With `colleagues` (a workspace without a
    /// server) every agent but `me` is simulated: available, answering offers and working.
    pub fn new(ws: &Workspace, me: UserId, settings: SimSettings, colleagues: bool, now: Millis) -> Center {
        let setup = &ws.config.center;
        let mut router = Router::new();
        router.offer_timeout_ms = setup.offer_timeout_s as Millis * 1000;
        router.refusal_limit = setup.refusal_limit;
        for q in queue_setups(ws) {
            let _ = router.set_queue(q);
        }
        let queues: Vec<String> = demo_queues().into_iter().map(|q| q.name).collect();
        for (agent, skills, capacity) in agent_setups(ws) {
            let profile = AgentProfile { id: agent.id, name: agent.name.clone(), skills, queues: queues.clone(), capacity };
            let _ = router.set_agent(profile, now);
        }
        let settings = SimSettings { per_hour: setup.traffic_per_hour, ..settings };
        Center { router, sim: Simulator::new(settings, now), me, colleagues, paused: false, answers: Vec::new(), working: Vec::new(), followed: None }
    }

    /// The person at the screen.
    pub fn me(&self) -> UserId {
        self.me
    }

    /// Whether traffic is paused.
    pub fn paused(&self) -> bool {
        self.paused
    }

    /// Pauses or resumes the simulated traffic and colleagues (routing of what waits goes on).
    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
    }

    /// The simulator's settings.
    pub fn settings(&self) -> &SimSettings {
        self.sim.settings()
    }

    /// Changes the traffic's rates or speed.
    pub fn set_settings(&mut self, settings: SimSettings, now: Millis) {
        self.sim.set_settings(settings, now);
    }

    /// The simulated colleagues (none when the workspace has a server).
    fn simulated(&self, ws: &Workspace) -> Vec<User> {
        if !self.colleagues {
            return Vec::new();
        }
        ws.users().into_iter().filter(|u| u.role == Role::Agent && u.id != self.me).collect()
    }

    /// Advances the center to `now` (routing clock) at wall time `at`.
    pub fn tick(&mut self, ws: &mut Workspace, now: Millis, at: DateTime<Utc>) -> Result<Tick, DomainError> {
        let mut tick = Tick::default();
        let colleagues = self.simulated(ws);
        for colleague in &colleagues {
            if !ws.config.presence.contains_key(&colleague.id.to_string()) {
                tick.changes.extend(ws.set_presence(colleague, Presence::Available, now, at)?);
            }
        }
        // Timed-out offers first: they count as refusals before the records are followed.
        for id in self.router.expire(now) {
            tick.changes.extend(ws.withdraw_offer(id, true, at)?);
        }
        let simulated: Vec<UserId> = colleagues.iter().map(|u| u.id).collect();
        tick.changes.extend(self.follow(ws, &simulated, now, at)?);
        let followed = tick.changes.len();
        if !self.paused && ws.config.simulator {
            let contacts: Vec<Contact> = ws.customers.values().filter(|c| !c.deleted).filter_map(|c| Some(Contact { phone: c.phones.first()?.clone(), email: c.emails.first()?.clone() })).collect();
            for (_, ix) in self.sim.due(now, &contacts) {
                tick.changes.extend(ws.ingest(&ix, at)?.changes);
            }
        }
        if !self.paused {
            tick.changes.extend(self.colleagues_work(ws, now, at)?);
        }
        // Followed again only when new work came in or colleagues changed something since.
        if tick.changes.len() > followed {
            tick.changes.extend(self.follow(ws, &simulated, now, at)?);
        }
        for d in self.router.route(now) {
            let until = now + self.router.offer_timeout_ms;
            let offer = Offer { agent: d.agent, until, why: d.explanation.clone() };
            tick.changes.extend(ws.make_offer(d.task, offer, at)?);
            if simulated.contains(&d.agent) {
                self.take_on(ws, d.task, Standing::Offered(d.agent, until), now);
            }
        }
        Ok(tick)
    }

    /// Brings the router in line with the records: presence, and each task's standing (the
    /// `simulated` colleagues' offers and work taken on).
    fn follow(&mut self, ws: &mut Workspace, simulated: &[UserId], now: Millis, at: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
        let mut changes = Vec::new();
        let (generation, changed) = ws.take_changed_for_routing();
        let mut ids: IdSet<TaskId> = if self.followed == Some(generation) {
            changed
        } else {
            // A workspace whose changes this router has not been reading: read every task it
            // follows, and every task the router holds.
            let held = self.router.tasks().filter(|r| !matches!(r.state, TaskState::Completed | TaskState::Canceled)).map(|r| r.arrival.task);
            ws.routed_tasks().map(|t| t.id).chain(held).collect()
        };
        self.followed = Some(generation);
        let agents: Vec<UserId> = self.router.agents().map(|(p, ..)| p.id).collect();
        for agent in agents {
            let wanted = ws.presence_of(agent);
            if self.router.presence(agent) != Some(wanted) {
                // Offers the agent held go back: their records are withdrawn below.
                ids.extend(self.router.set_presence(agent, wanted, now).unwrap_or_default());
            }
        }
        // An offer left on a task someone already took (two routers at once) is void: it goes.
        let void: Vec<TaskId> = ws.offered_tasks().filter(|t| t.assignee.is_some()).map(|t| t.id).collect();
        for id in void {
            changes.extend(ws.withdraw_offer(id, false, at)?);
            ids.insert(id);
        }
        // Only the tasks changed since the last tick, and only their ids and standings (oldest
        // first, the order they arrive in): with 100,000 tasks, reading the 15,000 routing
        // follows took 40 ms a tick, and copying every task's queue and skills 300 ms.
        let mut tasks: Vec<(DateTime<Utc>, TaskId, Standing)> = Vec::new();
        for id in ids {
            match ws.tasks.get(&id).and_then(|t| Some((t.created_at, standing(t, now)?))) {
                Some((created, want)) => tasks.push((created, id, want)),
                // Routing no longer follows it (done, deleted, assigned by hand, moved off a queue).
                None => {
                    let _ = match self.router.task(id).map(|r| r.state) {
                        Some(TaskState::Pending | TaskState::Reserved { .. }) => self.router.cancel(id, now),
                        Some(TaskState::Assigned { .. } | TaskState::Wrapping { .. }) => self.router.complete(id, now),
                        _ => Ok(()),
                    };
                    self.working.retain(|w| w.1 != id);
                }
            }
        }
        tasks.sort_unstable_by_key(|t| (t.0, t.1));
        for (_, id, want) in tasks {
            // A colleague's offer or work this center did not make (it started afresh, or the
            // page reloaded) is still theirs to answer and finish, before the offer lapses.
            if let Standing::Offered(agent, _) | Standing::Assigned(agent) | Standing::Wrapping(agent) = want {
                if simulated.contains(&agent) {
                    self.take_on(ws, id, want, now);
                }
            }
            let known = self.router.task(id).map(|r| r.state).filter(|s| !matches!(s, TaskState::Completed | TaskState::Canceled));
            if known.is_none() && ws.task(id).and_then(arrival_of).is_none_or(|arrival| self.router.arrive(arrival, now).is_err()) {
                continue;
            }
            let Some(state) = known.or_else(|| self.router.task(id).map(|r| r.state)) else { continue };
            match want {
                Standing::Wrapping(agent) => {
                    if state != (TaskState::Wrapping { agent }) {
                        let _ = self.router.adopt(id, agent, now);
                        let _ = self.router.wrap_up(id, now);
                    }
                }
                Standing::Assigned(agent) => match state {
                    TaskState::Assigned { agent: a } if a == agent => {}
                    TaskState::Reserved { agent: a, .. } if a == agent => {
                        let _ = self.router.accept(id, agent, now);
                    }
                    _ => {
                        let _ = self.router.adopt(id, agent, now);
                    }
                },
                Standing::Offered(agent, until) => {
                    if !self.router.hold_offer(id, agent, until, now).unwrap_or(false) {
                        // The agent cannot take it now (they left Available, or are full):
                        // the offer goes, without counting against them.
                        changes.extend(ws.withdraw_offer(id, false, at)?);
                        let _ = self.router.requeue(id, now);
                    }
                }
                Standing::Lapsed => {
                    changes.extend(ws.withdraw_offer(id, true, at)?);
                    let _ = self.router.requeue(id, now);
                }
                Standing::Waiting => {
                    let Some(task) = ws.task(id) else { continue };
                    // Most waiting tasks are already in line in their queue with the same refusals.
                    let in_line = state == TaskState::Pending && self.router.task(id).is_some_and(|r| Some(&r.arrival.queue) == task.queue.as_ref() && r.refused_by == task.refused_by);
                    if in_line {
                        continue;
                    }
                    match state {
                        TaskState::Reserved { agent, .. } if task.refused_by.contains(&agent) => {
                            let _ = self.router.reject(id, agent, now);
                        }
                        TaskState::Pending => {}
                        _ => {
                            let _ = self.router.requeue(id, now);
                        }
                    }
                    if let Some(queue) = task.queue.as_ref().filter(|q| self.router.task(id).is_some_and(|r| r.arrival.queue != **q)) {
                        let _ = self.router.transfer(id, queue, now);
                    }
                    let _ = self.router.set_refusals(id, &task.refused_by);
                }
            }
        }
        Ok(changes)
    }

    /// A simulated colleague takes on an offer or work they hold, unless they already will:
    /// they answer the offer in good time, and finish the work (a call takes longer).
    fn take_on(&mut self, ws: &Workspace, task: TaskId, standing: Standing, now: Millis) {
        match standing {
            Standing::Offered(agent, until) if !self.answers.iter().any(|a| (a.1, a.2) == (task, agent)) => {
                let accept = self.sim.accepts();
                let when = (now + self.sim.handle_time(6)).min(until.saturating_sub(1)).max(now);
                self.answers.push((when, task, agent, accept));
            }
            Standing::Assigned(agent) | Standing::Wrapping(agent) if !self.working.iter().any(|w| (w.1, w.2) == (task, agent)) => {
                let mean = if ws.task(task).is_some_and(|t| t.channel == Channel::Call) { 240 } else { 150 };
                self.working.push((now + self.sim.handle_time(mean), task, agent));
            }
            _ => {}
        }
    }

    /// Simulated colleagues answer their offers when due, then work and resolve (through the
    /// same commands a person uses, in their own name).
    fn colleagues_work(&mut self, ws: &mut Workspace, now: Millis, at: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
        let mut changes = Vec::new();
        let (due, later): (Vec<_>, Vec<_>) = self.answers.drain(..).partition(|a| a.0 <= now);
        self.answers = later;
        let users = ws.users();
        for (_, task, agent, accept) in due {
            let Some(user) = users.iter().find(|u| u.id == agent) else { continue };
            if !ws.task(task).and_then(|t| t.offer.as_ref()).is_some_and(|o| o.agent == agent && o.until > now) {
                continue;
            }
            if accept {
                changes.push(ws.accept_offer(user, task, now, at)?);
                self.take_on(ws, task, Standing::Assigned(agent), now);
            } else {
                changes.push(ws.reject_offer(user, task, at)?);
            }
        }
        let (done, still): (Vec<_>, Vec<_>) = self.working.drain(..).partition(|w| w.0 <= now);
        self.working = still;
        for (_, task, agent) in done {
            let Some(user) = users.iter().find(|u| u.id == agent) else { continue };
            if ws.task(task).is_some_and(|t| t.assignee == Some(agent)) {
                changes.extend(resolve(ws, user, task, at)?);
                if ws.task(task).is_some_and(|t| t.wrapping) {
                    changes.push(ws.finish_wrap_up(user, task, at)?);
                }
            }
        }
        Ok(changes)
    }
}

/// A colleague finishes a task: calls log a connected call, written work gets a hashtag (when
/// the workspace asks for one) and the checkmark.
fn resolve(ws: &mut Workspace, user: &User, task: TaskId, at: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
    let Some(t) = ws.task(task).cloned() else { return Ok(Vec::new()) };
    if !t.status.is_open() {
        return Ok(Vec::new());
    }
    let mut changes = Vec::new();
    if t.channel == Channel::Call {
        changes.extend(ws.log_call_outcome(user, task, CallOutcome::Connected, at)?);
        return Ok(changes);
    }
    if t.hashtags.is_empty() {
        changes.extend(ws.set_hashtags(user, task, "#handled", at)?);
    }
    changes.push(ws.change_status(user, task, StatusAction::Resolve, at)?);
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::ids::DeviceCode;
    use crate::task::TaskStatus;
    use crate::workspace::Device;
    use chrono::TimeZone;

    fn start() -> (Workspace, Center, DateTime<Utc>) {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut ws = Workspace::new(Device::new(DeviceCode::from_random(3)));
        demo::seed(&mut ws, 7, at).unwrap();
        let me = demo::users()[0].id;
        let center = Center::new(&ws, me, SimSettings { speed: 10, ..SimSettings::default() }, true, 0);
        (ws, center, at)
    }

    /// The tasks routing follows and those holding an offer, kept change by change (offered,
    /// accepted, worked, wrapped, resolved, deleted), are those a full read of the records finds,
    /// before and after a reload.
    fn assert_routed_tasks_kept(ws: &Workspace) {
        let ids = |tasks: Vec<&Task>| {
            let mut ids: Vec<TaskId> = tasks.iter().map(|t| t.id).collect();
            ids.sort();
            ids
        };
        let read = ids(ws.tasks.values().filter(|t| followed_by_routing(t)).collect());
        assert!(read.len() > 5, "routing follows some tasks: {}", read.len());
        let offers = ids(ws.tasks.values().filter(|t| t.offer.is_some()).collect());
        let reloaded = Workspace::from_records(ws.device.clone(), ws.config.clone(), ws.tasks.values().cloned().collect(), vec![], vec![]);
        let live = || ws.tasks.values().filter(|t| !t.deleted);
        let mut open_newest: Vec<&Task> = live().filter(|t| t.status.is_open()).collect();
        open_newest.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        let open_newest: Vec<TaskId> = open_newest.iter().map(|t| t.id).collect();
        let sorted = |mut listed: Vec<TaskId>| {
            listed.sort();
            listed
        };
        for w in [ws, &reloaded] {
            // The queue reads facts kept change by change: "All open" newest first, each status
            // and the unassigned are what the records say.
            let utc = crate::zone::utc();
            let all = crate::queue::QueueQuery { view: crate::queue::View::All, ..Default::default() };
            assert_eq!(w.queue(&crate::queue::QueueQuery { view: crate::queue::View::AllOpen, ..Default::default() }, demo::users()[0].id, &utc), open_newest);
            for status in crate::task::TaskStatus::ALL {
                let listed = w.queue(&crate::queue::QueueQuery { status: Some(status), ..all.clone() }, demo::users()[0].id, &utc);
                assert_eq!(sorted(listed), ids(live().filter(|t| t.status == status).collect()), "{status:?}");
            }
            let unassigned = w.queue(&crate::queue::QueueQuery { assignee: Some(None), ..all.clone() }, demo::users()[0].id, &utc);
            assert_eq!(sorted(unassigned), ids(live().filter(|t| t.assignee.is_none()).collect()));
            assert_eq!(ids(w.routed_tasks().collect()), read);
            assert_eq!(ids(w.offered_tasks().collect()), offers);
            // So is each person's "My tasks".
            for person in demo::users() {
                let mine = ids(live().filter(|t| t.assignee == Some(person.id) && t.status.is_open()).collect());
                let query = crate::queue::QueueQuery { view: crate::queue::View::MyTasks, ..Default::default() };
                assert_eq!(sorted(w.queue(&query, person.id, &utc)), mine, "{}'s tasks", person.name);
                // So does "My work", which counts routed work among them.
                let count = |s: Standing| ws.tasks.values().filter(|t| standing(t, 0) == Some(s)).count();
                let [_, assigned, wrapping] = crate::board::my_work(w, person.id, 0);
                assert_eq!([assigned, wrapping], [count(Standing::Assigned(person.id)), count(Standing::Wrapping(person.id))], "{}'s work", person.name);
            }
        }
    }

    /// The tasks the router holds (not done), each with the agent holding it.
    fn holders(c: &Center) -> Vec<(TaskId, Option<UserId>)> {
        let mut v: Vec<(TaskId, Option<UserId>)> = c.router.tasks().filter(|t| !matches!(t.state, TaskState::Completed | TaskState::Canceled)).map(|t| (t.arrival.task, t.state.holder())).collect();
        v.sort();
        v
    }

    /// The tasks the records say routing holds at `now`, each with the agent holding it.
    fn held_by_records(ws: &Workspace, now: Millis) -> Vec<(TaskId, Option<UserId>)> {
        let mut v: Vec<(TaskId, Option<UserId>)> = ws
            .tasks
            .values()
            .filter_map(|t| match standing(t, now)? {
                Standing::Waiting | Standing::Lapsed => Some((t.id, None)),
                Standing::Offered(a, _) | Standing::Assigned(a) | Standing::Wrapping(a) => Some((t.id, Some(a))),
            })
            .collect();
        v.sort();
        v
    }

    /// The tasks the records offer to a person now.
    fn offered(ws: &Workspace, who: UserId, now: Millis) -> Vec<TaskId> {
        ws.offers_to(who, now).iter().map(|t| t.id).collect()
    }

    #[test]
    fn r5_traffic_is_routed_worked_and_resolved_by_colleagues() {
        let (mut ws, mut center, at) = start();
        let open_before = ws.tasks.values().filter(|t| t.status.is_open()).count();
        for s in 1..=600u64 {
            center.tick(&mut ws, s * 1000, at + chrono::Duration::seconds(s as i64)).unwrap();
            center.router.check_invariants().unwrap();
            // After every tick the router holds exactly what the records say, though it reads
            // only the tasks changed since the tick before.
            assert_eq!(holders(&center), held_by_records(&ws, s * 1000), "second {s}");
            assert!(offered(&ws, center.me(), s * 1000).is_empty(), "the person at the screen starts busy");
            if s % 60 == 0 {
                assert_routed_tasks_kept(&ws);
            }
        }
        let sim_tasks: Vec<&Task> = ws.tasks.values().filter(|t| t.transaction_id.starts_with("SIM-")).collect();
        assert!(sim_tasks.len() > 100, "ten minutes at ten times speed: {}", sim_tasks.len());
        let resolved_by_colleague = sim_tasks.iter().filter(|t| t.status == TaskStatus::Resolved && t.assignee.is_some_and(|a| a != center.me())).count();
        assert!(resolved_by_colleague > 10, "colleagues resolve work: {resolved_by_colleague}");
        assert!(ws.tasks.values().filter(|t| t.status.is_open()).count() > open_before, "some work still waits or is in progress");
        assert!(ws.tasks.values().all(|t| !t.wrapping || t.assignee == Some(center.me())), "colleagues finish their wrap-up");
    }

    #[test]
    fn r5_a_center_started_afresh_carries_on_the_colleagues_offers_and_work() {
        let (mut ws, mut center, at) = start();
        let tick = |center: &mut Center, ws: &mut Workspace, s: u64| center.tick(ws, s * 1000, at + chrono::Duration::seconds(s as i64)).unwrap().changes;
        let me = center.me();
        let mut s = 0;
        // Run until colleagues both hold offers and work, then start afresh (a changed set-up, a
        // reload): the new center has none of the old one's plans.
        let (offers, work) = loop {
            s += 1;
            tick(&mut center, &mut ws, s);
            let held = |f: fn(Standing) -> Option<UserId>| -> Vec<TaskId> { ws.tasks.values().filter(|t| standing(t, s * 1000).and_then(f).is_some_and(|a| a != me)).map(|t| t.id).collect() };
            let offers = held(|w| if let Standing::Offered(a, _) = w { Some(a) } else { None });
            let work = held(|w| if let Standing::Assigned(a) = w { Some(a) } else { None });
            if !offers.is_empty() && !work.is_empty() {
                break (offers, work);
            }
            assert!(s < 600, "colleagues hold offers and work at some moment");
        };
        let mut afresh = Center::new(&ws, me, SimSettings { speed: 10, seed: 99, ..SimSettings::default() }, true, s * 1000);
        afresh.set_paused(false);
        for later in s + 1..=s + 300 {
            for change in tick(&mut afresh, &mut ws, later) {
                let lapsed = change.actor.is_none() && change.new_value("refused_by").is_some() && offers.iter().any(|t| t.0 == change.entity);
                assert!(!lapsed, "an offer to a colleague went unanswered after the restart: {change:?}");
            }
        }
        for id in offers.iter().chain(&work) {
            let t = ws.task(*id).unwrap();
            assert!(t.offer.is_none(), "the colleague answered the offer of {id:?}");
        }
        for id in &work {
            assert!(!ws.task(*id).unwrap().status.is_open(), "the colleague finished {id:?}");
        }
    }

    #[test]
    fn r3_offers_to_the_person_at_the_screen_are_records_they_accept_or_reject() {
        let (mut ws, mut center, at) = start();
        let me = ws.user(center.me()).unwrap();
        ws.set_presence(&me, Presence::Available, 0, at).unwrap();
        let mut mine = Vec::new();
        for s in 1..=600u64 {
            let now = s * 1000;
            center.tick(&mut ws, now, at).unwrap();
            for task in offered(&ws, me.id, now) {
                if mine.contains(&task) || mine.len() == 2 {
                    continue;
                }
                mine.push(task);
                assert!(ws.task(task).unwrap().offer.as_ref().is_some_and(|o| !o.why.step.is_empty()), "the offer says why");
                // Reject the first, accept the second (a call would then block further offers).
                if mine.len() == 2 {
                    ws.accept_offer(&me, task, now, at).unwrap();
                } else {
                    ws.reject_offer(&me, task, at).unwrap();
                }
            }
            if mine.len() >= 2 {
                center.tick(&mut ws, now + 500, at).unwrap();
                break;
            }
        }
        assert_eq!(mine.len(), 2, "offers came: {mine:?}");
        assert!(ws.task(mine[0]).unwrap().refused_by.contains(&me.id), "a rejection is a record");
        assert_ne!(ws.task(mine[0]).unwrap().offer.as_ref().map(|o| o.agent), Some(me.id), "not offered to me again");
        assert_eq!(ws.task(mine[1]).unwrap().assignee, Some(me.id), "accepted: assigned to me");
        assert_eq!(center.router.task(mine[1]).unwrap().state, TaskState::Assigned { agent: me.id }, "the router follows the record");
        assert!(center.router.task(mine[0]).unwrap().refused_by.contains(&me.id));
        // Resolving it moves it to wrap-up, which holds its capacity until finished.
        let task = ws.task(mine[1]).unwrap().clone();
        if task.channel == Channel::Call {
            ws.log_call_outcome(&me, task.id, CallOutcome::Connected, at).unwrap();
        } else {
            ws.set_hashtags(&me, task.id, "#done", at).unwrap();
            ws.change_status(&me, task.id, StatusAction::Resolve, at).unwrap();
        }
        assert!(ws.task(task.id).unwrap().wrapping);
        center.set_paused(true);
        center.tick(&mut ws, 700_000, at).unwrap();
        assert_eq!(center.router.task(task.id).unwrap().state, TaskState::Wrapping { agent: me.id });
        assert!(ws.finish_wrap_up(&ws.user(demo::users()[1].id).unwrap(), task.id, at).is_err(), "not theirs to finish");
        ws.finish_wrap_up(&me, task.id, at).unwrap();
        center.tick(&mut ws, 701_000, at).unwrap();
        assert_eq!(center.router.task(task.id).unwrap().state, TaskState::Completed);
        center.router.check_invariants().unwrap();
    }

    #[test]
    fn r3_a_router_that_takes_over_rebuilds_the_same_state_from_the_records() {
        let (mut ws, mut center, at) = start();
        for s in 1..=120u64 {
            center.tick(&mut ws, s * 1000, at).unwrap();
        }
        // Another device takes over with nothing but the records.
        let mut next = Center::new(&ws, center.me(), SimSettings::default(), true, 120_000);
        next.set_paused(true);
        let changes = next.tick(&mut ws, 120_000, at).unwrap().changes;
        assert_eq!(holders(&next), held_by_records(&ws, 120_000), "the new router holds what the records say ({} changes)", changes.len());
        assert!(holders(&next).iter().any(|h| h.1.is_some()), "some work is held");
        next.router.check_invariants().unwrap();
    }

    #[test]
    fn r5_work_from_a_host_page_joins_routing_at_the_next_tick() {
        let (mut ws, mut center, at) = start();
        center.set_paused(true);
        let ix = crate::interaction::Interaction {
            id: "HOST-1".into(),
            kind: crate::interaction::InteractionKind::Sms,
            contact: "+420700000001".into(),
            body: "Is my order on its way?".into(),
            queue: Some("Support".into()),
            html: None,
            source: None,
        };
        let task = ws.ingest(&ix, at).unwrap().task;
        assert!(center.router.task(task).is_none());
        center.tick(&mut ws, 1_000, at).unwrap();
        assert!(center.router.task(task).is_some(), "joined at the next tick");
    }

    #[test]
    fn r4_records_that_move_or_refuse_a_waiting_task_reach_the_router() {
        let (mut ws, _, at) = start();
        // No simulated colleagues and nobody available, so the task keeps waiting in line.
        let mut center = Center::new(&ws, demo::users()[0].id, SimSettings::default(), false, 0);
        center.set_paused(true);
        center.tick(&mut ws, 1_000, at).unwrap();
        let (bea, sam) = (demo::users()[1].clone(), demo::users()[3].clone());
        let (id, queue) = center.router.tasks().find(|r| r.state == TaskState::Pending).map(|r| (r.arrival.task, r.arrival.queue.clone())).expect("a task waits");
        let other = queue_setups(&ws).into_iter().map(|q| q.name).find(|q| *q != queue).unwrap();
        // Another device's supervisor moves it; then another router's offer is refused.
        ws.transfer(&sam, id, &other, at).unwrap();
        center.tick(&mut ws, 2_000, at).unwrap();
        assert_eq!(center.router.task(id).map(|r| r.arrival.queue.clone()), Some(other), "the router moves it too");
        ws.make_offer(id, Offer { agent: bea.id, until: 60_000, why: Default::default() }, at).unwrap();
        ws.reject_offer(&bea, id, at).unwrap();
        center.tick(&mut ws, 3_000, at).unwrap();
        let routed = center.router.task(id).unwrap();
        assert_eq!((routed.state, routed.refused_by.clone()), (TaskState::Pending, vec![bea.id]), "still in line, and the router knows who refused it");
    }

    #[test]
    fn r1_an_admins_set_up_drives_the_center() {
        let (mut ws, _, at) = start();
        let (admin, alex) = (demo::users()[4].clone(), demo::users()[0].id);
        let setup = crate::center_settings::CenterSettings {
            offer_timeout_s: 10,
            refusal_limit: 2,
            agents: vec![crate::center_settings::AgentSetup {
                user: alex,
                skills: vec![SkillLevel::new("retention", 5)],
                capacity: Capacity { per_channel: [0, 1, 1, 1, 0, 0], call_blocks_written: false },
            }],
            queues: vec![crate::center_settings::QueueSetup { name: "Sales".into(), requirements: vec![SkillLevel::new("sales", 5)], priority: 9, first_response_min: 30, resolution_min: 480 }],
            ..Default::default()
        };
        assert!(ws.set_center_settings(&demo::users()[0], setup.clone(), at).is_err(), "agents may not");
        ws.set_center_settings(&admin, setup, at).unwrap().unwrap();
        let center = Center::new(&ws, alex, SimSettings::default(), true, 0);
        assert_eq!((center.router.offer_timeout_ms, center.router.refusal_limit), (10_000, 2));
        let (profile, ..) = center.router.agents().find(|(p, ..)| p.id == alex).unwrap();
        assert_eq!(profile.skills, vec![SkillLevel::new("retention", 5)]);
        assert_eq!(profile.capacity.of(Channel::Call), 0);
        let sales = center.router.queues().find(|q| q.name == "Sales").unwrap();
        assert_eq!((sales.priority, sales.requirements.clone()), (9, vec![SkillLevel::new("sales", 5)]));
        assert_eq!(sales.ladder.len(), 2, "the ladder stays");
    }

    #[test]
    fn r3_reassign_and_transfer_are_records_the_router_follows() {
        let (mut ws, mut center, at) = start();
        center.set_paused(true);
        center.tick(&mut ws, 1_000, at).unwrap();
        let sam = demo::users()[3].clone();
        let mut open: Vec<&Task> = ws.tasks.values().filter(|t| t.status.is_open() && t.channel == Channel::Email && t.queue.is_some()).collect();
        open.sort_by_key(|t| t.number.clone());
        let task = open[0].id;
        let bea = demo::users()[1].id;
        let change = ws.reassign(&sam, task, bea, at).unwrap().unwrap();
        assert!(change.fields.iter().any(|f| f.field == "assignee"));
        center.tick(&mut ws, 2_000, at).unwrap();
        assert_eq!(center.router.task(task).unwrap().state, TaskState::Assigned { agent: bea });
        let target = if ws.task(task).unwrap().queue.as_deref() == Some("Retention") { "Billing" } else { "Retention" };
        let change = ws.transfer(&sam, task, target, at).unwrap().unwrap();
        assert!(change.fields.iter().any(|f| f.field == "queue"));
        center.tick(&mut ws, 3_000, at).unwrap();
        let routed = center.router.task(task).unwrap();
        assert_eq!((routed.arrival.queue.as_str(), routed.state.holder()), (target, ws.task(task).unwrap().offer.as_ref().map(|o| o.agent)));
        center.router.check_invariants().unwrap();
    }

    #[test]
    fn r3_an_agent_who_steps_away_loses_their_offers_at_the_next_tick() {
        let (mut ws, mut center, at) = start();
        let me = ws.user(center.me()).unwrap();
        ws.set_presence(&me, Presence::Available, 0, at).unwrap();
        let (offer, now) = (1..=600u64)
            .find_map(|s| {
                center.tick(&mut ws, s * 1000, at).unwrap();
                offered(&ws, me.id, s * 1000).first().map(|t| (*t, s * 1000))
            })
            .expect("an offer comes");
        center.set_paused(true);
        // A quiet tick first, so the offer itself is not news to routing any more.
        center.tick(&mut ws, now + 50, at).unwrap();
        assert_eq!(offered(&ws, me.id, now + 50), vec![offer]);
        // Everyone takes a break, so nobody else can be offered the task; only their presence
        // records change, not the task's, until routing withdraws the offer.
        for agent in ws.users().into_iter().filter(|u| u.role == Role::Agent) {
            ws.set_presence(&agent, Presence::Break, now, at).unwrap();
        }
        center.tick(&mut ws, now + 100, at).unwrap();
        assert!(ws.task(offer).unwrap().offer.as_ref().is_none_or(|o| o.agent != me.id), "the offer was withdrawn");
        assert!(!ws.task(offer).unwrap().refused_by.contains(&me.id), "stepping away is not a refusal");
        assert_eq!(holders(&center), held_by_records(&ws, now + 100));
    }

    #[test]
    fn r4_agents_cannot_reassign_or_transfer_whatever_the_screen_shows() {
        let (mut ws, _, at) = start();
        let alex = demo::users()[0].clone();
        let task = ws.tasks.values().find(|t| t.status.is_open() && t.channel == Channel::Email).unwrap().id;
        let before = ws.task(task).cloned();
        let refused = DomainError::Forbidden("reassign or transfer tasks");
        assert_eq!(ws.reassign(&alex, task, demo::users()[1].id, at), Err(refused.clone()));
        assert_eq!(ws.transfer(&alex, task, "Billing", at), Err(refused));
        assert_eq!(ws.task(task).cloned(), before, "nothing moved");
    }

    #[test]
    fn r5_with_a_server_there_are_no_simulated_colleagues_and_an_admin_switches_traffic_off() {
        let (mut ws, _, at) = start();
        let me = demo::users()[0].id;
        let mut center = Center::new(&ws, me, SimSettings { speed: 10, ..SimSettings::default() }, false, 0);
        let sim_tasks = |ws: &Workspace| ws.tasks.values().filter(|t| t.transaction_id.starts_with("SIM-")).count();
        for s in 1..=120u64 {
            center.tick(&mut ws, s * 1000, at + chrono::Duration::seconds(s as i64)).unwrap();
        }
        assert!(sim_tasks(&ws) > 10, "the routing device plays the traffic: {}", sim_tasks(&ws));
        assert!(ws.config.presence.is_empty(), "nobody is made available but by their own hand");
        assert!(ws.tasks.values().all(|t| t.offer.is_none()), "nobody is available, so nothing is offered");

        let agent = ws.user(me).unwrap();
        let admin = ws.users().into_iter().find(|u| u.role == Role::Admin).unwrap();
        assert_eq!(ws.set_simulator(&agent, false, at), Err(DomainError::Forbidden("manage users and workspace settings")));
        assert!(ws.set_simulator(&admin, false, at).unwrap().is_some());
        let before = sim_tasks(&ws);
        for s in 121..=240u64 {
            center.tick(&mut ws, s * 1000, at + chrono::Duration::seconds(s as i64)).unwrap();
        }
        assert_eq!(sim_tasks(&ws), before, "switched off, no traffic comes");
    }
}
