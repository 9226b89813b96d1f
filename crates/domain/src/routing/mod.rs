//! Skills-based routing (R1 to R4), modelled on the best-known engines (Twilio TaskRouter,
//! Genesys, Amazon Connect, Salesforce Omni-Channel): tasks wait in queues ordered by priority,
//! then waiting time; each is offered to the eligible agent idle longest (ties: higher
//! proficiency); an offer is accepted, rejected or times out; capacity is never exceeded.
//!
//! The router keeps, per skill or queue and per channel, the agents who could take such a task
//! right now, ordered by idle time, so a decision reads a few agents instead of all of them.

mod explain;
mod model;
mod pools;
mod waiting;

pub use explain::{Decision, Eligibility, Explanation, RunnerUp, WaitReason};
pub use model::*;

use crate::ids::{IdMap, TaskId, UserId};
use crate::task::Channel;
use pools::{AgentRt, Pools};
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};
use waiting::Waiting;

/// Requirements in effect for a task: interned skills with the least level (none for "any
/// agent in the queue"), the escalation step reached, and the skill whose level breaks ties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Needs {
    queue: u16,
    skills: Vec<(u16, u8)>,
    step: Option<usize>,
    tie_skill: Option<u16>,
}

impl Needs {
    /// The step as a class index: 0 for the queue's own requirements, i + 1 after step i.
    fn class_step(&self) -> u8 {
        self.step.map_or(0, |i| i as u8 + 1)
    }
}

#[derive(Clone, Debug)]
struct QueueRt {
    def: QueueDef,
    requirements: Vec<(u16, u8)>,
}

/// The routing engine. Pure and deterministic: time comes in with every call.
#[derive(Clone, Debug)]
pub struct Router {
    /// How long an offer waits for an answer.
    pub offer_timeout_ms: Millis,
    /// Refusals after which a task waits for a supervisor.
    pub refusal_limit: u32,
    skill_names: Vec<String>,
    skill_ids: HashMap<String, u16>,
    queues: Vec<QueueRt>,
    queue_ids: HashMap<String, u16>,
    agents: Vec<AgentRt>,
    agent_ids: HashMap<UserId, u32>,
    tasks: IdMap<TaskId, RoutedTask>,
    waiting: Waiting,
    offers: BTreeSet<(Millis, TaskId)>,
    pools: Pools,
    seq: u64,
    /// Set when an adopted record put an agent over capacity (two routers assigned at once).
    over_capacity: bool,
}

impl Default for Router {
    fn default() -> Self {
        Router::new()
    }
}

impl Router {
    /// A router with no agents or queues, a 30-second offer timeout and a refusal limit of 3.
    pub fn new() -> Self {
        Router {
            offer_timeout_ms: DEFAULT_OFFER_TIMEOUT_MS,
            refusal_limit: DEFAULT_REFUSAL_LIMIT,
            skill_names: Vec::new(),
            skill_ids: HashMap::new(),
            queues: Vec::new(),
            queue_ids: HashMap::new(),
            agents: Vec::new(),
            agent_ids: HashMap::new(),
            tasks: IdMap::default(),
            waiting: Waiting::default(),
            offers: BTreeSet::new(),
            pools: Pools::default(),
            seq: 0,
            over_capacity: false,
        }
    }

    fn skill_id(&mut self, name: &str) -> u16 {
        let key = name.trim().to_lowercase();
        if let Some(&id) = self.skill_ids.get(&key) {
            return id;
        }
        let id = self.skill_names.len() as u16;
        self.skill_names.push(key.clone());
        self.skill_ids.insert(key, id);
        id
    }

    fn check_levels(levels: &[SkillLevel]) -> Result<(), RoutingError> {
        match levels.iter().find(|s| !PROFICIENCY.contains(&s.level)) {
            Some(s) => Err(RoutingError::Invalid(format!("Proficiency in “{}” must be from 1 to 5, not {}.", s.skill, s.level))),
            None => Ok(()),
        }
    }

    /// Adds a queue or replaces its definition.
    pub fn set_queue(&mut self, def: QueueDef) -> Result<(), RoutingError> {
        Self::check_levels(&def.requirements)?;
        if def.ladder.len() > MAX_ESCALATION_STEPS {
            return Err(RoutingError::Invalid(format!("A queue can escalate in at most {MAX_ESCALATION_STEPS} steps.")));
        }
        if def.priority > 9 {
            return Err(RoutingError::Invalid(format!("Queue priority must be from 0 to 9, not {}.", def.priority)));
        }
        let requirements = def.requirements.iter().map(|s| (self.skill_id(&s.skill), s.level)).collect();
        let mut ladder = def.ladder.clone();
        ladder.sort_by_key(|s| s.after_ms);
        let rt = QueueRt { def: QueueDef { ladder, ..def }, requirements };
        match self.queue_ids.get(&rt.def.name) {
            Some(&q) => self.queues[q as usize] = rt,
            None => {
                self.queue_ids.insert(rt.def.name.clone(), self.queues.len() as u16);
                self.queues.push(rt);
            }
        }
        // Agents may already name this queue; their classes follow the new definition.
        for a in 0..self.agents.len() as u32 {
            let agent = &self.agents[a as usize];
            let queues: Vec<u16> = agent.profile.queues.iter().filter_map(|q| self.queue_ids.get(q).copied()).collect();
            let classes = self.classes_of(&agent.skills, &queues);
            self.update_agent(a, |agent| {
                agent.queues = queues;
                agent.classes = classes;
            });
        }
        Ok(())
    }

    /// Adds an agent (offline) or replaces their profile, keeping their presence and work.
    pub fn set_agent(&mut self, profile: AgentProfile, now: Millis) -> Result<(), RoutingError> {
        Self::check_levels(&profile.skills)?;
        let mut skills: Vec<(u16, u8)> = profile.skills.iter().map(|s| (self.skill_id(&s.skill), s.level)).collect();
        skills.sort();
        skills.dedup_by_key(|s| s.0);
        let mut queues: Vec<u16> = profile.queues.iter().filter_map(|q| self.queue_ids.get(q).copied()).collect();
        queues.sort_unstable();
        queues.dedup();
        let classes = self.classes_of(&skills, &queues);
        match self.agent_ids.get(&profile.id).copied() {
            Some(a) => self.update_agent(a, |agent| {
                agent.profile = profile;
                agent.skills = skills;
                agent.queues = queues;
                agent.classes = classes;
            }),
            None => {
                let a = self.agents.len() as u32;
                self.agent_ids.insert(profile.id, a);
                self.agents.push(AgentRt { profile, skills, queues, classes, presence: Presence::Offline, load: [0; 6], idle_since: now, held: Vec::new(), pooled: [false; 6], pool_key: now });
            }
        }
        Ok(())
    }

    fn agent_index(&self, id: UserId) -> Result<u32, RoutingError> {
        self.agent_ids.get(&id).copied().ok_or(RoutingError::UnknownAgent)
    }

    /// An agent's presence.
    pub fn presence(&self, id: UserId) -> Option<Presence> {
        self.agent_ids.get(&id).map(|&a| self.agents[a as usize].presence)
    }

    /// Changes an agent's presence. Leaving "Available" hands back their open offers, which go
    /// to the next agent without counting as refusals. Returns the offers handed back.
    pub fn set_presence(&mut self, id: UserId, presence: Presence, now: Millis) -> Result<Vec<TaskId>, RoutingError> {
        let a = self.agent_index(id)?;
        let before = self.agents[a as usize].presence;
        if before == presence {
            return Ok(Vec::new());
        }
        let mut returned = Vec::new();
        if presence != Presence::Available {
            let offered: Vec<TaskId> = self.agents[a as usize].held.iter().copied().filter(|t| matches!(self.tasks.get(t).map(|r| r.state), Some(TaskState::Reserved { .. }))).collect();
            for t in offered {
                self.release(t, now);
                self.enqueue(t);
                returned.push(t);
            }
        }
        self.update_agent(a, |agent| {
            agent.presence = presence;
            if presence == Presence::Available {
                agent.idle_since = now;
            }
        });
        Ok(returned)
    }

    fn update_agent(&mut self, a: u32, change: impl FnOnce(&mut AgentRt)) {
        let agent = &mut self.agents[a as usize];
        self.pools.leave(a, agent);
        change(agent);
        self.pools.join(a, agent);
    }

    /// A task enters routing, waiting in its queue (again, if it was completed or canceled).
    pub fn arrive(&mut self, arrival: Arrival, now: Millis) -> Result<(), RoutingError> {
        if self.tasks.get(&arrival.task).is_some_and(|t| !matches!(t.state, TaskState::Completed | TaskState::Canceled)) {
            return Err(RoutingError::AlreadyRouted);
        }
        if !self.queue_ids.contains_key(&arrival.queue) {
            return Err(RoutingError::UnknownQueue(arrival.queue.clone()));
        }
        for s in &arrival.skills {
            self.skill_id(s);
        }
        let id = arrival.task;
        self.tasks.insert(id, RoutedTask { arrival, state: TaskState::Pending, arrived_at: now, queued_at: now, refusals: 0, refused_by: Vec::new(), flagged: false });
        self.enqueue(id);
        Ok(())
    }

    fn enqueue(&mut self, id: TaskId) {
        let Some(t) = self.tasks.get_mut(&id) else { return };
        t.state = TaskState::Pending;
        if t.flagged {
            return;
        }
        let Some(&q) = self.queue_ids.get(&t.arrival.queue) else { return };
        let priority = t.arrival.priority.min(3);
        // Queue priority first, then the task's own; both higher first.
        let key = (Reverse(self.queues[q as usize].def.priority * 4 + priority), t.arrived_at, self.seq, id);
        let plain = t.refused_by.is_empty() && t.arrival.skills.is_empty() && t.queued_at == t.arrived_at;
        self.seq += 1;
        self.waiting.insert(key, plain.then_some((q, channel_slot(t.arrival.channel), priority)));
    }

    fn dequeue(&mut self, id: TaskId) {
        self.waiting.remove(id);
    }

    /// A routed task.
    pub fn task(&self, id: TaskId) -> Option<&RoutedTask> {
        self.tasks.get(&id)
    }

    /// Every routed task.
    pub fn tasks(&self) -> impl Iterator<Item = &RoutedTask> {
        self.tasks.values()
    }

    /// Waiting tasks in the order they will be offered (flagged ones excluded).
    pub fn waiting(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.waiting.all()
    }

    /// The agents' profiles, presence, load and idle time, in the order they were added.
    pub fn agents(&self) -> impl Iterator<Item = (&AgentProfile, Presence, [u8; 6], Millis)> {
        self.agents.iter().map(|a| (&a.profile, a.presence, a.load, a.idle_since))
    }

    /// The queues' definitions.
    pub fn queues(&self) -> impl Iterator<Item = &QueueDef> {
        self.queues.iter().map(|q| &q.def)
    }

    /// The queue's requirements after escalation step `step` (`None`: before any).
    fn queue_needs(&self, q: u16, step: Option<usize>) -> Needs {
        let queue = &self.queues[q as usize];
        let mut skills = queue.requirements.clone();
        for s in queue.def.ladder.iter().take(step.map_or(0, |i| i + 1)) {
            match s.relax {
                Relax::LowerProficiency(level) => skills.iter_mut().for_each(|r| r.1 = r.1.min(level.max(1))),
                Relax::KeepSkills(n) => skills.truncate(n),
                Relax::AnyAgent => skills.clear(),
            }
        }
        // Ties go to the higher level in the queue's first skill, at every step alike.
        let tie_skill = queue.requirements.first().map(|s| s.0);
        Needs { queue: q, skills, step, tie_skill }
    }

    fn any_agent(&self, q: u16, step: Option<usize>) -> bool {
        self.queues[q as usize].def.ladder.iter().take(step.map_or(0, |i| i + 1)).any(|s| s.relax == Relax::AnyAgent)
    }

    /// What the task needs now: its queue's requirements relaxed by the escalation steps its
    /// waiting time has reached, plus the task's own skills (until "any agent").
    fn needs(&self, t: &RoutedTask, now: Millis) -> Option<Needs> {
        let q = *self.queue_ids.get(&t.arrival.queue)?;
        let step = self.step_after(q, now.saturating_sub(t.queued_at));
        let mut needs = self.queue_needs(q, step);
        if !self.any_agent(q, step) {
            for s in &t.arrival.skills {
                if let Some(&id) = self.skill_ids.get(&s.trim().to_lowercase()) {
                    if !needs.skills.iter().any(|r| r.0 == id) {
                        needs.skills.push((id, 1));
                    }
                }
            }
        }
        Some(needs)
    }

    /// The last escalation step a task of the queue has reached after waiting this long.
    fn step_after(&self, q: u16, waited: Millis) -> Option<usize> {
        self.queues[q as usize].def.ladder.iter().rposition(|s| s.after_ms <= waited)
    }

    /// The class a task is routed from now, found without building its needs.
    fn class_now(&self, t: &RoutedTask, now: Millis) -> Option<pools::Class> {
        let q = *self.queue_ids.get(&t.arrival.queue)?;
        let step = self.step_after(q, now.saturating_sub(t.queued_at));
        Some((q, step.map_or(0, |i| i as u8 + 1), channel_slot(t.arrival.channel)))
    }

    /// Per queue served, the first step at which the agent meets its requirements (later
    /// steps only relax them), with the level that breaks ties.
    fn classes_of(&self, skills: &[(u16, u8)], queues: &[u16]) -> Vec<(u16, u8, u8)> {
        let level = |s: u16| skills.binary_search_by_key(&s, |x| x.0).map_or(0, |i| skills[i].1);
        let mut classes = Vec::new();
        for &q in queues {
            let steps = std::iter::once(None).chain((0..self.queues[q as usize].def.ladder.len()).map(Some));
            if let Some(needs) = steps.map(|step| self.queue_needs(q, step)).find(|n| n.skills.iter().all(|&(s, l)| level(s) >= l)) {
                classes.push((q, needs.class_step(), needs.tie_skill.map_or(0, level)));
            }
        }
        classes
    }

    /// Whether the agent meets the task's needs (queue, skills, not refused before).
    fn qualifies(&self, a: u32, t: &RoutedTask, needs: &Needs) -> bool {
        let agent = &self.agents[a as usize];
        agent.queues.contains(&needs.queue) && !t.refused_by.contains(&agent.profile.id) && needs.skills.iter().all(|&(s, level)| agent.level(s) >= level)
    }

    /// Offers the next waiting task that some agent can take, to the best such agent: tasks in
    /// order of priority then waiting time; agents by longest idle, ties by higher proficiency.
    /// Expired offers are handed on first. `None` when no waiting task can be placed now.
    pub fn route_next(&mut self, now: Millis) -> Option<Decision> {
        self.expire(now);
        if !self.pools.anyone() {
            return None;
        }
        let mut found = None;
        for (id, group) in self.waiting.heads() {
            // Most heads in a busy center have nobody free in their class: skip those without
            // reading the task (a plain head's class follows from its group and arrival).
            let class = match group {
                Some((q, slot, _, arrived_at)) => Some((q, self.step_after(q, now.saturating_sub(arrived_at)).map_or(0, |i| i as u8 + 1), slot)),
                None => self.tasks.get(&id).and_then(|t| self.class_now(t, now)),
            };
            if class.is_none_or(|c| self.pools.nobody_up_to(c)) {
                continue;
            }
            let Some(t) = self.tasks.get(&id) else { continue };
            if let Some(d) = self.needs(t, now).and_then(|needs| self.pick(t, &needs, now)) {
                found = Some(d);
                break;
            }
        }
        let decision = found?;
        self.reserve(decision.task, decision.agent, now);
        Some(decision)
    }

    /// Offers as many waiting tasks as can be placed now.
    pub fn route(&mut self, now: Millis) -> Vec<Decision> {
        std::iter::from_fn(|| self.route_next(now)).collect()
    }

    fn reserve(&mut self, id: TaskId, agent: UserId, now: Millis) {
        let Ok(a) = self.agent_index(agent) else { return };
        self.dequeue(id);
        let until = now + self.offer_timeout_ms;
        let Some(t) = self.tasks.get_mut(&id) else { return };
        t.state = TaskState::Reserved { agent, until };
        let slot = channel_slot(t.arrival.channel);
        self.offers.insert((until, id));
        self.update_agent(a, |ag| {
            ag.load[slot] += 1;
            ag.held.push(id);
            ag.idle_since = now;
        });
    }

    /// Takes the task off its holder, freeing their capacity; the task's state is left to the caller.
    fn release(&mut self, id: TaskId, now: Millis) {
        let Some(t) = self.tasks.get(&id) else { return };
        let Some(holder) = t.state.holder() else { return };
        if let TaskState::Reserved { until, .. } = t.state {
            self.offers.remove(&(until, id));
        }
        let slot = channel_slot(t.arrival.channel);
        let Ok(a) = self.agent_index(holder) else { return };
        self.update_agent(a, |ag| {
            ag.load[slot] = ag.load[slot].saturating_sub(1);
            ag.held.retain(|h| *h != id);
            if ag.load.iter().all(|l| *l == 0) {
                ag.idle_since = now;
            }
        });
    }

    fn offered_to(&self, id: TaskId, agent: UserId) -> Result<(), RoutingError> {
        let t = self.tasks.get(&id).ok_or(RoutingError::UnknownTask)?;
        match t.state {
            TaskState::Reserved { agent: a, .. } if a == agent => Ok(()),
            TaskState::Reserved { .. } => Err(RoutingError::NotYourOffer),
            other => Err(RoutingError::WrongState(other.label())),
        }
    }

    /// The agent accepts the offer: the task is theirs.
    pub fn accept(&mut self, id: TaskId, agent: UserId, now: Millis) -> Result<(), RoutingError> {
        let _ = now;
        self.offered_to(id, agent)?;
        if let Some(t) = self.tasks.get_mut(&id) {
            if let TaskState::Reserved { until, .. } = t.state {
                self.offers.remove(&(until, id));
            }
            t.state = TaskState::Assigned { agent };
        }
        Ok(())
    }

    /// The agent rejects the offer: it goes to the next eligible agent, or to a supervisor after
    /// too many refusals. Returns whether the task is now flagged.
    pub fn reject(&mut self, id: TaskId, agent: UserId, now: Millis) -> Result<bool, RoutingError> {
        self.offered_to(id, agent)?;
        Ok(self.refuse(id, agent, now))
    }

    fn refuse(&mut self, id: TaskId, agent: UserId, now: Millis) -> bool {
        self.release(id, now);
        let limit = self.refusal_limit;
        let Some(t) = self.tasks.get_mut(&id) else { return false };
        t.refusals += 1;
        if !t.refused_by.contains(&agent) {
            t.refused_by.push(agent);
        }
        t.flagged = t.refusals >= limit;
        let flagged = t.flagged;
        self.enqueue(id);
        flagged
    }

    /// Offers past their deadline count as refusals; returns the tasks handed on.
    pub fn expire(&mut self, now: Millis) -> Vec<TaskId> {
        let due: Vec<TaskId> = self.offers.iter().take_while(|(until, _)| *until <= now).map(|o| o.1).collect();
        let mut handed_on = Vec::new();
        for id in due {
            if let Some(agent) = self.tasks.get(&id).and_then(|t| t.state.holder()) {
                self.refuse(id, agent, now);
                handed_on.push(id);
            }
        }
        handed_on
    }

    /// The agent moves from working on the task to their notes; capacity stays taken.
    pub fn wrap_up(&mut self, id: TaskId, now: Millis) -> Result<(), RoutingError> {
        let _ = now;
        let t = self.tasks.get_mut(&id).ok_or(RoutingError::UnknownTask)?;
        match t.state {
            TaskState::Assigned { agent } => {
                t.state = TaskState::Wrapping { agent };
                Ok(())
            }
            other => Err(RoutingError::WrongState(other.label())),
        }
    }

    /// The task is done; its agent's capacity is free again.
    pub fn complete(&mut self, id: TaskId, now: Millis) -> Result<(), RoutingError> {
        let t = self.tasks.get(&id).ok_or(RoutingError::UnknownTask)?;
        match t.state {
            TaskState::Assigned { .. } | TaskState::Wrapping { .. } => {
                self.release(id, now);
                if let Some(t) = self.tasks.get_mut(&id) {
                    t.state = TaskState::Completed;
                }
                Ok(())
            }
            other => Err(RoutingError::WrongState(other.label())),
        }
    }

    /// Withdraws a task nobody has taken yet (waiting or offered).
    pub fn cancel(&mut self, id: TaskId, now: Millis) -> Result<(), RoutingError> {
        let t = self.tasks.get(&id).ok_or(RoutingError::UnknownTask)?;
        match t.state {
            TaskState::Pending | TaskState::Reserved { .. } => {
                self.release(id, now);
                self.dequeue(id);
                if let Some(t) = self.tasks.get_mut(&id) {
                    t.state = TaskState::Canceled;
                }
                Ok(())
            }
            other => Err(RoutingError::WrongState(other.label())),
        }
    }

    /// A supervisor gives the task to an agent directly (a flagged task, or reassigning one
    /// already taken). The agent needs room for it; presence is the supervisor's call.
    pub fn assign(&mut self, id: TaskId, agent: UserId, now: Millis) -> Result<(), RoutingError> {
        let a = self.agent_index(agent)?;
        let t = self.tasks.get(&id).ok_or(RoutingError::UnknownTask)?;
        if matches!(t.state, TaskState::Completed | TaskState::Canceled) {
            return Err(RoutingError::WrongState(t.state.label()));
        }
        if t.state.holder() == Some(agent) && !matches!(t.state, TaskState::Reserved { .. }) {
            return Ok(());
        }
        let channel = t.arrival.channel;
        let held_here = t.state.holder() == Some(agent);
        let ag = &self.agents[a as usize];
        let slot = channel_slot(channel);
        if !ag.fits(channel, u8::from(held_here)) {
            return Err(RoutingError::NoCapacity(ag.profile.name.clone(), channel.label()));
        }
        self.release(id, now);
        self.dequeue(id);
        if let Some(t) = self.tasks.get_mut(&id) {
            t.state = TaskState::Assigned { agent };
            t.flagged = false;
        }
        self.update_agent(a, |ag| {
            ag.load[slot] += 1;
            ag.held.push(id);
            ag.idle_since = now;
        });
        Ok(())
    }

    /// Moves a task to another queue, where it waits afresh (escalation restarts, refusals clear).
    pub fn transfer(&mut self, id: TaskId, queue: &str, now: Millis) -> Result<(), RoutingError> {
        if !self.queue_ids.contains_key(queue) {
            return Err(RoutingError::UnknownQueue(queue.to_string()));
        }
        let t = self.tasks.get(&id).ok_or(RoutingError::UnknownTask)?;
        if matches!(t.state, TaskState::Completed | TaskState::Canceled) {
            return Err(RoutingError::WrongState(t.state.label()));
        }
        self.release(id, now);
        self.dequeue(id);
        if let Some(t) = self.tasks.get_mut(&id) {
            t.arrival.queue = queue.to_string();
            t.queued_at = now;
            t.refusals = 0;
            t.refused_by.clear();
            t.flagged = false;
        }
        self.enqueue(id);
        Ok(())
    }

    /// Takes in an assignment made elsewhere (another router's, a supervisor's, one from before
    /// a takeover): the record stands, so its load counts even past the agent's capacity, which
    /// only two routers acting at once can cause.
    pub fn adopt(&mut self, id: TaskId, agent: UserId, now: Millis) -> Result<(), RoutingError> {
        let a = self.agent_index(agent)?;
        let t = self.tasks.get(&id).ok_or(RoutingError::UnknownTask)?;
        if t.state == (TaskState::Assigned { agent }) {
            return Ok(());
        }
        let channel = t.arrival.channel;
        self.release(id, now);
        self.dequeue(id);
        if !self.agents[a as usize].fits(channel, 0) {
            self.over_capacity = true;
        }
        if let Some(t) = self.tasks.get_mut(&id) {
            t.state = TaskState::Assigned { agent };
            t.flagged = false;
        }
        self.update_agent(a, |ag| {
            ag.load[channel_slot(channel)] += 1;
            ag.held.push(id);
            ag.idle_since = now;
        });
        Ok(())
    }

    /// Takes in an offer made elsewhere, until `until`, when the agent is available with room;
    /// says whether it could (if not, the offer should be withdrawn).
    pub fn hold_offer(&mut self, id: TaskId, agent: UserId, until: Millis, now: Millis) -> Result<bool, RoutingError> {
        let a = self.agent_index(agent)?;
        let t = self.tasks.get(&id).ok_or(RoutingError::UnknownTask)?;
        if matches!(t.state, TaskState::Reserved { agent: held, .. } if held == agent) {
            return Ok(true);
        }
        let channel = t.arrival.channel;
        let already = u8::from(t.state.holder() == Some(agent));
        let ag = &self.agents[a as usize];
        if ag.presence != Presence::Available || !ag.fits(channel, already) || until <= now {
            return Ok(false);
        }
        self.release(id, now);
        self.dequeue(id);
        if let Some(t) = self.tasks.get_mut(&id) {
            t.state = TaskState::Reserved { agent, until };
        }
        self.offers.insert((until, id));
        self.update_agent(a, |ag| {
            ag.load[channel_slot(channel)] += 1;
            ag.held.push(id);
        });
        Ok(true)
    }

    /// The task waits again, its offer or assignment withdrawn elsewhere without a refusal.
    pub fn requeue(&mut self, id: TaskId, now: Millis) -> Result<(), RoutingError> {
        let t = self.tasks.get(&id).ok_or(RoutingError::UnknownTask)?;
        if matches!(t.state, TaskState::Pending | TaskState::Completed | TaskState::Canceled) {
            return Ok(());
        }
        self.release(id, now);
        self.enqueue(id);
        Ok(())
    }

    /// Takes in who refused a task, as its record says: refusals count them, and a task refused
    /// by as many as the limit waits for a supervisor.
    pub fn set_refusals(&mut self, id: TaskId, refused_by: &[UserId]) -> Result<(), RoutingError> {
        let limit = self.refusal_limit;
        let t = self.tasks.get_mut(&id).ok_or(RoutingError::UnknownTask)?;
        if t.refused_by == refused_by {
            return Ok(());
        }
        t.refused_by = refused_by.to_vec();
        t.refusals = refused_by.len() as u32;
        t.flagged = t.refusals >= limit;
        if t.state == TaskState::Pending {
            self.dequeue(id);
            self.enqueue(id);
        }
        Ok(())
    }

    /// Checks every invariant; the property tests call it after each step.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut load: Vec<[u8; 6]> = vec![[0; 6]; self.agents.len()];
        for (id, t) in &self.tasks {
            let waiting = self.waiting.contains(*id);
            if waiting != (t.state == TaskState::Pending && !t.flagged) {
                return Err(format!("task {id} is {:?}, flagged {}, yet waiting = {waiting}", t.state, t.flagged));
            }
            if let Some(holder) = t.state.holder() {
                let a = self.agent_index(holder).map_err(|e| e.to_string())?;
                if self.agents[a as usize].held.iter().filter(|h| *h == id).count() != 1 {
                    return Err(format!("task {id} is held by {holder} but not once in their list"));
                }
                load[a as usize][channel_slot(t.arrival.channel)] += 1;
                if matches!(t.state, TaskState::Reserved { .. }) && self.agents[a as usize].presence != Presence::Available {
                    return Err(format!("task {id} is offered to someone who is not available"));
                }
            }
        }
        for (i, agent) in self.agents.iter().enumerate() {
            for h in &agent.held {
                if self.tasks.get(h).and_then(|t| t.state.holder()) != Some(agent.profile.id) {
                    return Err(format!("{} lists task {h} that another holds or nobody does", agent.profile.name));
                }
            }
            if agent.load != load[i] {
                return Err(format!("{}'s load {:?} does not match their tasks {:?}", agent.profile.name, agent.load, load[i]));
            }
            for slot in 0..6 {
                if agent.load[slot] > agent.profile.capacity.per_channel[slot] && !self.over_capacity {
                    return Err(format!("{} is over capacity on {}", agent.profile.name, Channel::ALL[slot].label()));
                }
            }
        }
        self.waiting.check()?;
        self.pools.check(&self.agents)
    }
}

#[cfg(test)]
mod tests;
