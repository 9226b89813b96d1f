//! The live contact center: the simulator's traffic becomes tasks through `ingest`, open tasks
//! are routed to agents, simulated colleagues answer offers, work and resolve, and the person at
//! the screen is one more agent. Everything that changes a task is a change record, so
//! assignments, transfers and resolutions show in History and reach storage and sync.

use crate::change::Change;
use crate::ids::{TaskId, UserId};
use crate::lifecycle::StatusAction;
use crate::routing::*;
use crate::simulator::{Contact, SimSettings, Simulator};
use crate::task::{CallOutcome, Channel, Priority, Task, TaskStatus};
use crate::user::{Role, User};
use crate::workspace::{DomainError, Workspace};
use chrono::{DateTime, Utc};

/// The queues of the demo center, with skills and escalation.
pub fn demo_queues() -> Vec<QueueDef> {
    let ladder = |first_s: u64| {
        vec![
            EscalationStep { after_ms: first_s * 1000, relax: Relax::LowerProficiency(1) },
            EscalationStep { after_ms: first_s * 2000, relax: Relax::AnyAgent },
        ]
    };
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

/// Meetings and other manual work are planned, not routed.
fn routed_channel(c: Channel) -> bool {
    matches!(c, Channel::Call | Channel::Email | Channel::Chat | Channel::Sms)
}

fn routing_priority(p: Priority) -> u8 {
    Priority::ALL.iter().position(|x| *x == p).unwrap_or(1) as u8
}

/// What a step of the center produced.
#[derive(Clone, Debug, Default)]
pub struct Tick {
    /// Every change to store and share, oldest first.
    pub changes: Vec<Change>,
    /// New offers to the person at the screen.
    pub offers_to_me: Vec<Decision>,
}

/// The running center.
#[derive(Clone, Debug)]
pub struct Center {
    /// The routing engine.
    pub router: Router,
    sim: Simulator,
    me: UserId,
    paused: bool,
    answers: Vec<(Millis, TaskId, UserId, bool)>,
    working: Vec<(Millis, TaskId, UserId)>,
    decisions: std::collections::HashMap<TaskId, Decision>,
}

impl Center {
    /// A center over the workspace's agents and the demo queues. Colleagues start available,
    /// `me` busy (choosing "Available" starts the offers). Open unassigned tasks with a queue
    /// start waiting.
    pub fn new(ws: &Workspace, me: UserId, settings: SimSettings, now: Millis) -> Center {
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
            if router.set_agent(profile, now).is_ok() {
                let presence = if agent.id == me { Presence::Busy } else { Presence::Available };
                let _ = router.set_presence(agent.id, presence, now);
            }
        }
        let settings = SimSettings { per_hour: setup.traffic_per_hour, ..settings };
        let mut center = Center { router, sim: Simulator::new(settings, now), me, paused: false, answers: Vec::new(), working: Vec::new(), decisions: Default::default() };
        center.take_in_waiting(ws, now);
        center
    }

    /// Routable tasks routing does not hold yet (new, reopened, or put in a queue by hand, a
    /// host page or the simulator) join it, oldest first.
    fn take_in_waiting(&mut self, ws: &Workspace, now: Millis) {
        let mut joining: Vec<&Task> = ws.tasks.values().filter(|t| self.routable(t) && self.router.task(t.id).is_none_or(|r| matches!(r.state, TaskState::Completed | TaskState::Canceled))).collect();
        joining.sort_by_key(|t| (t.created_at, t.number.clone()));
        let joining: Vec<Task> = joining.into_iter().cloned().collect();
        for t in &joining {
            self.enter(t, now);
        }
    }

    /// Makes sure routing holds a task a supervisor moves (it may have been assigned by hand).
    fn hold(&mut self, task: &Task, now: Millis) {
        if self.router.task(task.id).is_none() {
            self.enter(&Task { assignee: None, ..task.clone() }, now);
        }
    }

    fn routable(&self, t: &Task) -> bool {
        routed_channel(t.channel) && !t.deleted && t.status.is_open() && t.assignee.is_none() && t.queue.as_ref().is_some_and(|q| self.router.queues().any(|d| &d.name == q))
    }

    fn enter(&mut self, t: &Task, now: Millis) {
        let arrival = Arrival { task: t.id, channel: t.channel, queue: t.queue.clone().unwrap_or_default(), priority: routing_priority(t.priority), skills: t.skills.clone() };
        let _ = self.router.arrive(arrival, now);
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

    /// The explanation of the offer that placed the task, if routing placed it.
    pub fn decision(&self, task: TaskId) -> Option<&Decision> {
        self.decisions.get(&task)
    }

    /// Advances the center to `now` (routing clock) at wall time `at`.
    pub fn tick(&mut self, ws: &mut Workspace, now: Millis, at: DateTime<Utc>) -> Result<Tick, DomainError> {
        let mut tick = Tick::default();
        self.follow_workspace(ws, now);
        if !self.paused {
            let contacts: Vec<Contact> = ws
                .customers
                .values()
                .filter(|c| !c.deleted)
                .filter_map(|c| Some(Contact { phone: c.phones.first()?.clone(), email: c.emails.first()?.clone() }))
                .collect();
            for (_, ix) in self.sim.due(now, &contacts) {
                tick.changes.extend(ws.ingest(&ix, at)?.changes);
            }
            tick.changes.extend(self.colleagues(ws, now, at)?);
        }
        self.take_in_waiting(ws, now);
        for d in self.router.route(now) {
            if d.agent == self.me {
                tick.offers_to_me.push(d.clone());
            } else {
                let accept = self.sim.accepts();
                let delay = self.sim.handle_time(6);
                self.answers.push((now + delay, d.task, d.agent, accept));
            }
            self.decisions.insert(d.task, d);
        }
        Ok(tick)
    }

    /// Tasks resolved or deleted leave routing. One the person at the screen resolves moves to
    /// wrap-up: it keeps its place in their capacity until they finish their notes.
    fn follow_workspace(&mut self, ws: &Workspace, now: Millis) {
        let ids: Vec<(TaskId, TaskState)> = self.router.tasks().filter(|t| !matches!(t.state, TaskState::Completed | TaskState::Canceled)).map(|t| (t.arrival.task, t.state)).collect();
        for (id, state) in ids {
            if ws.task(id).is_some_and(|t| t.status.is_open()) {
                continue;
            }
            match state {
                TaskState::Assigned { agent } if agent == self.me => {
                    let _ = self.router.wrap_up(id, now);
                }
                TaskState::Wrapping { agent } if agent == self.me => {}
                TaskState::Pending | TaskState::Reserved { .. } => {
                    let _ = self.router.cancel(id, now);
                }
                _ => {
                    let _ = self.router.complete(id, now);
                }
            }
            self.working.retain(|w| w.1 != id);
        }
    }

    /// The person at the screen finishes wrap-up: the task is done and their capacity free.
    pub fn finish_wrap_up(&mut self, task: TaskId, now: Millis) -> Result<(), String> {
        match self.router.task(task).map(|t| t.state) {
            Some(TaskState::Wrapping { agent }) if agent == self.me => self.router.complete(task, now).map_err(|e| e.to_string()),
            _ => Err("That task is not in your wrap-up.".into()),
        }
    }

    /// Whether the task is offered to the person at the screen right now.
    pub fn is_offered_to_me(&self, task: TaskId) -> bool {
        matches!(self.router.task(task).map(|t| t.state), Some(TaskState::Reserved { agent, .. }) if agent == self.me)
    }

    /// The person at the screen's tasks by routing state: offered, assigned, wrapping up.
    pub fn my_work(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for t in self.router.tasks().filter(|t| t.state.holder() == Some(self.me)) {
            match t.state {
                TaskState::Reserved { .. } => counts[0] += 1,
                TaskState::Assigned { .. } => counts[1] += 1,
                TaskState::Wrapping { .. } => counts[2] += 1,
                _ => {}
            }
        }
        counts
    }

    fn colleagues(&mut self, ws: &mut Workspace, now: Millis, at: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
        let mut changes = Vec::new();
        let (due, later): (Vec<_>, Vec<_>) = self.answers.drain(..).partition(|a| a.0 <= now);
        self.answers = later;
        for (_, task, agent, accept) in due {
            if accept {
                if self.router.accept(task, agent, now).is_ok() {
                    changes.extend(self.assign_in_workspace(ws, task, agent, at)?);
                    let channel = self.router.task(task).map_or(Channel::Other, |t| t.arrival.channel);
                    let mean = if channel == Channel::Call { 240 } else { 150 };
                    self.working.push((now + self.sim.handle_time(mean), task, agent));
                }
            } else {
                let _ = self.router.reject(task, agent, now);
            }
        }
        let (done, still): (Vec<_>, Vec<_>) = self.working.drain(..).partition(|w| w.0 <= now);
        self.working = still;
        let users = ws.users();
        for (_, task, agent) in done {
            let Some(user) = users.iter().find(|u| u.id == agent) else { continue };
            changes.extend(resolve(ws, user, task, at)?);
            let _ = self.router.wrap_up(task, now);
            let _ = self.router.complete(task, now);
        }
        Ok(changes)
    }

    fn assign_in_workspace(&self, ws: &mut Workspace, task: TaskId, agent: UserId, at: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let Some(user) = ws.user(agent) else { return Ok(None) };
        let Some(before) = ws.task(task).cloned() else { return Ok(None) };
        let after = Task { assignee: Some(agent), ..before.clone() };
        ws.edit_task(&user, &before, &after, at)
    }

    /// The person at the screen answers their offer.
    pub fn answer(&mut self, ws: &mut Workspace, task: TaskId, accept: bool, now: Millis, at: DateTime<Utc>) -> Result<Vec<Change>, String> {
        if accept {
            self.router.accept(task, self.me, now).map_err(|e| e.to_string())?;
            Ok(self.assign_in_workspace(ws, task, self.me, at).map_err(|e| e.to_string())?.into_iter().collect())
        } else {
            self.router.reject(task, self.me, now).map_err(|e| e.to_string())?;
            Ok(Vec::new())
        }
    }

    /// The person at the screen changes presence; offers they held go to others.
    pub fn set_my_presence(&mut self, presence: Presence, now: Millis) -> Result<(), String> {
        self.router.set_presence(self.me, presence, now).map(|_| ()).map_err(|e| e.to_string())
    }

    /// A supervisor gives a task to an agent; the task's assignee changes with it.
    pub fn reassign(&mut self, ws: &mut Workspace, actor: &User, task: TaskId, agent: UserId, now: Millis, at: DateTime<Utc>) -> Result<Option<Change>, String> {
        supervisor(actor)?;
        let before = ws.task(task).cloned().ok_or("That task no longer exists.")?;
        if routed_channel(before.channel) {
            self.hold(&before, now);
            self.router.assign(task, agent, now).map_err(|e| e.to_string())?;
            self.working.retain(|w| w.1 != task);
            if agent != self.me {
                self.working.push((now + self.sim.handle_time(180), task, agent));
            }
        }
        let after = Task { assignee: Some(agent), ..before.clone() };
        ws.edit_task(actor, &before, &after, at).map_err(|e| e.to_string())
    }

    /// A supervisor moves a task to another queue, where it waits afresh unassigned.
    pub fn transfer(&mut self, ws: &mut Workspace, actor: &User, task: TaskId, queue: &str, now: Millis, at: DateTime<Utc>) -> Result<Option<Change>, String> {
        supervisor(actor)?;
        let before = ws.task(task).cloned().ok_or("That task no longer exists.")?;
        if !self.router.queues().any(|q| q.name == queue) {
            return Err(format!("There is no queue called “{queue}”."));
        }
        if routed_channel(before.channel) {
            self.hold(&before, now);
            self.router.transfer(task, queue, now).map_err(|e| e.to_string())?;
            self.working.retain(|w| w.1 != task);
        }
        let after = Task { queue: Some(queue.to_string()), assignee: None, ..before.clone() };
        ws.edit_task(actor, &before, &after, at).map_err(|e| e.to_string())
    }
}

/// Reassigning and transferring are a supervisor's (R4), whatever the screen shows.
fn supervisor(actor: &User) -> Result<(), String> {
    crate::workspace::require(actor, crate::permission::Permission::Supervise).map_err(|e| e.to_string())
}

/// A colleague finishes a task: calls log a connected call, written work gets a hashtag (when
/// the workspace asks for one) and the checkmark.
fn resolve(ws: &mut Workspace, user: &User, task: TaskId, at: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
    let Some(t) = ws.task(task).cloned() else { return Ok(Vec::new()) };
    if t.status == TaskStatus::Resolved {
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
    use crate::workspace::Device;
    use chrono::{Duration, TimeZone};

    fn start() -> (Workspace, Center, DateTime<Utc>) {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut ws = Workspace::new(Device::new(DeviceCode::from_random(3)));
        demo::seed(&mut ws, 7, at).unwrap();
        let me = demo::users()[0].id;
        let center = Center::new(&ws, me, SimSettings { speed: 10, ..SimSettings::default() }, 0);
        (ws, center, at)
    }

    #[test]
    fn r5_traffic_is_routed_worked_and_resolved_by_colleagues() {
        let (mut ws, mut center, at) = start();
        let open_before = ws.tasks.values().filter(|t| t.status.is_open()).count();
        let mut offered_to_me = 0;
        for s in 1..=600u64 {
            let tick = center.tick(&mut ws, s * 1000, at + Duration::seconds(s as i64)).unwrap();
            offered_to_me += tick.offers_to_me.len();
            center.router.check_invariants().unwrap();
        }
        assert_eq!(offered_to_me, 0, "the person at the screen starts busy");
        let sim_tasks: Vec<&Task> = ws.tasks.values().filter(|t| t.transaction_id.starts_with("SIM-")).collect();
        assert!(sim_tasks.len() > 100, "ten minutes at ten times speed: {}", sim_tasks.len());
        let resolved_by_colleague = sim_tasks.iter().filter(|t| t.status == TaskStatus::Resolved && t.assignee.is_some_and(|a| a != center.me())).count();
        assert!(resolved_by_colleague > 10, "colleagues resolve work: {resolved_by_colleague}");
        assert!(ws.tasks.values().filter(|t| t.status.is_open()).count() > open_before, "some work still waits or is in progress");
    }

    #[test]
    fn r3_the_person_at_the_screen_gets_offers_once_available_and_can_accept_or_reject() {
        let (mut ws, mut center, at) = start();
        center.set_my_presence(Presence::Available, 0).unwrap();
        let mut mine = Vec::new();
        for s in 1..=600u64 {
            let tick = center.tick(&mut ws, s * 1000, at).unwrap();
            for d in tick.offers_to_me {
                mine.push(d.task);
                // Reject the first, accept the second (a call would then block further offers).
                center.answer(&mut ws, d.task, mine.len() == 2, s * 1000, at).unwrap();
            }
            if mine.len() >= 2 {
                break;
            }
        }
        assert_eq!(mine.len(), 2, "offers came: {mine:?}");
        assert_ne!(ws.task(mine[0]).unwrap().assignee, Some(center.me()), "rejected: not mine");
        assert_eq!(ws.task(mine[1]).unwrap().assignee, Some(center.me()), "accepted: assigned to me");
        assert!(center.router.task(mine[0]).unwrap().refused_by.contains(&center.me()));
        assert!(center.decision(mine[1]).is_some_and(|d| !d.explanation.step.is_empty()));
        assert_eq!(center.my_work(), [0, 1, 0]);
        // Resolving it moves it to wrap-up, which holds its capacity until finished.
        let me = ws.user(center.me()).unwrap();
        let task = ws.task(mine[1]).unwrap().clone();
        if task.channel == Channel::Call {
            ws.log_call_outcome(&me, task.id, CallOutcome::Connected, at).unwrap();
        } else {
            ws.set_hashtags(&me, task.id, "#done", at).unwrap();
            ws.change_status(&me, task.id, StatusAction::Resolve, at).unwrap();
        }
        center.set_paused(true);
        center.set_my_presence(Presence::Busy, 699_000).unwrap();
        center.tick(&mut ws, 700_000, at).unwrap();
        assert_eq!(center.my_work(), [0, 0, 1]);
        assert!(center.finish_wrap_up(mine[0], 700_000).is_err(), "not mine to finish");
        center.finish_wrap_up(mine[1], 700_001).unwrap();
        assert_eq!(center.router.task(mine[1]).unwrap().state, TaskState::Completed);
        center.router.check_invariants().unwrap();
    }

    #[test]
    fn r5_work_from_a_host_page_joins_routing_and_a_reopened_task_returns() {
        let (mut ws, mut center, at) = start();
        center.set_paused(true);
        let ix = crate::interaction::Interaction { id: "HOST-1".into(), kind: crate::interaction::InteractionKind::Sms, contact: "+420700000001".into(), body: "Is my order on its way?".into(), queue: Some("Support".into()), html: None };
        let task = ws.ingest(&ix, at).unwrap().task;
        assert!(center.router.task(task).is_none());
        center.tick(&mut ws, 1_000, at).unwrap();
        assert!(center.router.task(task).is_some(), "joined at the next tick");
        center.router.cancel(task, 2_000).unwrap();
        assert!(center.router.arrive(Arrival { task, channel: Channel::Sms, queue: "Support".into(), priority: 1, skills: vec![] }, 3_000).is_ok(), "a canceled task may come back");
    }

    #[test]
    fn r1_an_admins_set_up_drives_the_center() {
        let (mut ws, _, at) = start();
        let (admin, alex) = (demo::users()[4].clone(), demo::users()[0].id);
        let setup = crate::center_settings::CenterSettings {
            offer_timeout_s: 10,
            refusal_limit: 2,
            agents: vec![crate::center_settings::AgentSetup { user: alex, skills: vec![SkillLevel::new("retention", 5)], capacity: Capacity { per_channel: [0, 1, 1, 1, 0, 0], call_blocks_written: false } }],
            queues: vec![crate::center_settings::QueueSetup { name: "Sales".into(), requirements: vec![SkillLevel::new("sales", 5)], priority: 9 }],
            ..Default::default()
        };
        assert!(ws.set_center_settings(&demo::users()[0], setup.clone(), at).is_err(), "agents may not");
        ws.set_center_settings(&admin, setup, at).unwrap().unwrap();
        let center = Center::new(&ws, alex, SimSettings::default(), 0);
        assert_eq!((center.router.offer_timeout_ms, center.router.refusal_limit), (10_000, 2));
        let (profile, ..) = center.router.agents().find(|(p, ..)| p.id == alex).unwrap();
        assert_eq!(profile.skills, vec![SkillLevel::new("retention", 5)]);
        assert_eq!(profile.capacity.of(Channel::Call), 0);
        let sales = center.router.queues().find(|q| q.name == "Sales").unwrap();
        assert_eq!((sales.priority, sales.requirements.clone()), (9, vec![SkillLevel::new("sales", 5)]));
        assert_eq!(sales.ladder.len(), 2, "the ladder stays");
    }

    #[test]
    fn r3_reassign_and_transfer_are_recorded_on_the_task() {
        let (mut ws, mut center, at) = start();
        center.set_paused(true);
        let sam = demo::users()[3].clone();
        let mut open: Vec<&Task> = ws.tasks.values().filter(|t| t.status.is_open() && t.channel == Channel::Email).collect();
        open.sort_by_key(|t| t.number.clone());
        let task = open[0].id;
        let bea = demo::users()[1].id;
        let change = center.reassign(&mut ws, &sam, task, bea, 1_000, at).unwrap().unwrap();
        assert!(change.fields.iter().any(|f| f.field == "assignee"));
        assert_eq!(ws.task(task).unwrap().assignee, Some(bea));
        let target = if ws.task(task).unwrap().queue.as_deref() == Some("Retention") { "Billing" } else { "Retention" };
        let change = center.transfer(&mut ws, &sam, task, target, 2_000, at).unwrap().unwrap();
        assert!(change.fields.iter().any(|f| f.field == "queue"));
        assert_eq!(center.router.task(task).unwrap().state, TaskState::Pending);
        assert!(center.transfer(&mut ws, &sam, task, "Nowhere", 3_000, at).is_err());
        center.router.check_invariants().unwrap();
    }

    #[test]
    fn r4_agents_cannot_reassign_or_transfer_whatever_the_screen_shows() {
        let (mut ws, mut center, at) = start();
        center.set_paused(true);
        let alex = demo::users()[0].clone();
        let task = ws.tasks.values().find(|t| t.status.is_open() && t.channel == Channel::Email).unwrap().id;
        let (before, routed) = (ws.task(task).cloned(), center.router.task(task).map(|t| t.state));
        let refused = "You are not allowed to reassign or transfer tasks.";
        assert_eq!(center.reassign(&mut ws, &alex, task, demo::users()[1].id, 1_000, at), Err(refused.to_string()));
        assert_eq!(center.transfer(&mut ws, &alex, task, "Billing", 1_000, at), Err(refused.to_string()));
        assert_eq!((ws.task(task).cloned(), center.router.task(task).map(|t| t.state)), (before, routed), "nothing moved");
    }
}
