//! Who could take a task right now: per class (queue, escalation step, channel), the available
//! agents with room on that channel who first meet the queue's requirements at that step,
//! ordered by idle time, then higher proficiency in the queue's first skill. Steps only relax
//! requirements, so a task at step k reads classes 0 to k merged in that order: a decision reads
//! a few agents instead of all of them, and an agent sits in one class per queue and channel.

use super::model::{channel_slot, AgentProfile, Millis, Presence};
use crate::ids::TaskId;
use crate::task::Channel;
use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

/// An agent's routing state.
#[derive(Clone, Debug)]
pub(crate) struct AgentRt {
    pub profile: AgentProfile,
    /// Interned skills with levels, sorted by skill.
    pub skills: Vec<(u16, u8)>,
    /// Interned queues served.
    pub queues: Vec<u16>,
    /// Per queue served, the first step at which the agent qualifies (0 = the queue's own
    /// requirements) and the level that breaks ties.
    pub classes: Vec<(u16, u8, u8)>,
    pub presence: Presence,
    /// Tasks held (offered, assigned or wrapping) per channel.
    pub load: [u8; 6],
    /// Since when the agent has had nothing new: set when they become available, take an offer,
    /// or finish their last task.
    pub idle_since: Millis,
    pub held: Vec<TaskId>,
    /// Per channel, whether the agent is in the pools (as of the last join).
    pub pooled: [bool; 6],
    /// The idle time the pool entries were made with.
    pub pool_key: Millis,
}

fn is_written(channel: Channel) -> bool {
    matches!(channel, Channel::Email | Channel::Chat | Channel::Sms)
}

impl AgentRt {
    /// The agent's level in a skill, 0 without it.
    pub fn level(&self, skill: u16) -> u8 {
        self.skills.binary_search_by_key(&skill, |s| s.0).map_or(0, |i| self.skills[i].1)
    }

    /// Whether one more task of the channel fits the agent's capacity, not counting `already`
    /// of the tasks they hold (a task being moved to them).
    pub fn fits(&self, channel: Channel, already: u8) -> bool {
        let slot = channel_slot(channel);
        let cap = &self.profile.capacity;
        self.load[slot].saturating_sub(already) < cap.per_channel[slot] && !(cap.call_blocks_written && is_written(channel) && self.load[channel_slot(Channel::Call)] > 0)
    }

    /// Whether routing may offer the agent a task of the channel now.
    pub fn has_room(&self, channel: Channel) -> bool {
        self.presence == Presence::Available && self.fits(channel, 0)
    }
}

/// Queue, escalation step (0 = the queue's own requirements) and channel slot.
pub(crate) type Class = (u16, u8, usize);

/// A class's place in the pool list: a few array steps rather than a hash per decision.
fn flat((q, step, slot): Class) -> usize {
    (q as usize * (super::model::MAX_ESCALATION_STEPS + 1) + step as usize) * 6 + slot
}

/// An agent in a pool: idle since, proficiency (higher first), agent index.
pub(crate) type Entry = (Millis, Reverse<u8>, u32);

#[derive(Clone, Debug, Default)]
pub(crate) struct Pools {
    sets: Vec<BTreeSet<Entry>>,
    pooled_agents: usize,
}

impl Pools {
    fn keys(agent: &AgentRt) -> impl Iterator<Item = ((u16, u8), u8)> + '_ {
        agent.classes.iter().map(|&(q, step, level)| ((q, step), level))
    }

    /// Takes the agent out of every pool they were put in.
    pub fn leave(&mut self, a: u32, agent: &AgentRt) {
        if agent.pooled.iter().any(|p| *p) {
            self.pooled_agents -= 1;
        }
        for slot in (0..6).filter(|s| agent.pooled[*s]) {
            for (key, level) in Self::keys(agent) {
                if let Some(set) = self.sets.get_mut(flat((key.0, key.1, slot))) {
                    set.remove(&(agent.pool_key, Reverse(level), a));
                }
            }
        }
    }

    /// Puts the agent in the pools of every channel they have room for.
    pub fn join(&mut self, a: u32, agent: &mut AgentRt) {
        agent.pool_key = agent.idle_since;
        for (slot, channel) in Channel::ALL.iter().enumerate() {
            agent.pooled[slot] = agent.has_room(*channel);
        }
        if agent.pooled.iter().any(|p| *p) {
            self.pooled_agents += 1;
        }
        for slot in (0..6).filter(|s| agent.pooled[*s]) {
            for (key, level) in Self::keys(agent) {
                let i = flat((key.0, key.1, slot));
                if i >= self.sets.len() {
                    self.sets.resize_with(i + 1, BTreeSet::new);
                }
                self.sets[i].insert((agent.pool_key, Reverse(level), a));
            }
        }
    }

    /// Whether any agent has room for anything.
    pub fn anyone(&self) -> bool {
        self.pooled_agents > 0
    }

    /// The agents of classes 0 to `step` of the queue and channel, merged in routing order.
    pub fn members_up_to(&self, (q, step, slot): Class) -> impl Iterator<Item = Entry> + '_ {
        let mut sources: Vec<std::iter::Peekable<std::collections::btree_set::Iter<'_, Entry>>> =
            (0..=step).filter_map(|k| self.sets.get(flat((q, k, slot)))).filter(|s| !s.is_empty()).map(|s| s.iter().peekable()).collect();
        std::iter::from_fn(move || {
            let (i, _) = sources.iter_mut().enumerate().filter_map(|(i, s)| s.peek().map(|e| (i, **e))).min_by_key(|(_, e)| *e)?;
            sources[i].next().copied()
        })
    }

    /// Whether nobody in classes 0 to `step` could take a task now.
    pub fn nobody_up_to(&self, (q, step, slot): Class) -> bool {
        (0..=step).all(|k| self.sets.get(flat((q, k, slot))).is_none_or(BTreeSet::is_empty))
    }

    /// Checks that the pools hold exactly the agents with room, under their current idle time.
    pub fn check(&self, agents: &[AgentRt]) -> Result<(), String> {
        let mut expected: HashMap<usize, BTreeSet<Entry>> = HashMap::new();
        for (a, agent) in agents.iter().enumerate() {
            for (slot, channel) in Channel::ALL.iter().enumerate() {
                if agent.has_room(*channel) {
                    for (key, level) in Self::keys(agent) {
                        expected.entry(flat((key.0, key.1, slot))).or_default().insert((agent.idle_since, Reverse(level), a as u32));
                    }
                }
            }
        }
        let actual: HashMap<usize, BTreeSet<Entry>> = self.sets.iter().enumerate().filter(|(_, s)| !s.is_empty()).map(|(k, s)| (k, s.clone())).collect();
        if actual != expected {
            return Err("the pools do not hold exactly the agents with room".into());
        }
        let with_room = agents.iter().filter(|a| Channel::ALL.iter().any(|c| a.has_room(*c))).count();
        if with_room != self.pooled_agents {
            return Err(format!("{} agents have room but {} are counted", with_room, self.pooled_agents));
        }
        Ok(())
    }
}
