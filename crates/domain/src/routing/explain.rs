//! Choosing the agent for a task, and saying why (R4): every decision carries the escalation
//! step, the skills that matched and who else was eligible and why they lost ("Why me?"); a
//! waiting task says what holds it ("Why waiting?").

use super::model::{channel_slot, Millis, RoutedTask, TaskState};
use super::pools::Class;
use super::{Needs, Router};
use crate::ids::{TaskId, UserId};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

/// Another eligible agent and why the offer did not go to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunnerUp {
    /// Who.
    pub agent: UserId,
    /// Their name.
    pub name: String,
    /// In plain words.
    pub reason: String,
}

/// Why an offer went where it did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The requirements that applied: the queue's own or an escalation step.
    pub step: String,
    /// The needed skills with the chosen agent's level and the least accepted: (skill, has, needed).
    pub matched: Vec<(String, u8, u8)>,
    /// How long the chosen agent had been idle, in milliseconds.
    pub idle_ms: u64,
    /// The next eligible agents in order (at most three) and why they lost.
    pub runners_up: Vec<RunnerUp>,
}

/// An offer made by the router.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The task offered.
    pub task: TaskId,
    /// To whom.
    pub agent: UserId,
    /// Why.
    pub explanation: Explanation,
}

/// Every agent's standing for a task: eligible or the first reason they are not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// The requirements that apply now.
    pub step: String,
    /// Needed skills and least levels.
    pub needs: Vec<(String, u8)>,
    /// Per agent, in routing order for the eligible ones first: `None` if eligible, else why not.
    pub agents: Vec<(UserId, String, Option<String>)>,
}

/// Why a task is still waiting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitReason {
    /// Tasks ahead of it in routing order.
    pub ahead: usize,
    /// The requirements that apply now.
    pub step: String,
    /// Needed skills and least levels.
    pub needs: Vec<(String, u8)>,
    /// Waiting for a supervisor after too many refusals.
    pub flagged: bool,
    /// How many agents each reason keeps from taking it, most common first.
    pub blocked_by: Vec<(String, usize)>,
    /// Agents who could take it now (it is next once the tasks ahead are placed).
    pub eligible: usize,
}

impl Router {
    fn step_label(&self, t: &RoutedTask, step: Option<usize>) -> String {
        let ladder = self.queue_ids.get(&t.arrival.queue).map(|&q| &self.queues[q as usize].def.ladder);
        match (step, ladder) {
            (Some(i), Some(ladder)) if i < ladder.len() => {
                let s = &ladder[i];
                format!("Escalation step {} after {} s: {}", i + 1, s.after_ms / 1000, s.relax.describe())
            }
            _ => format!("{} queue requirements", t.arrival.queue),
        }
    }

    fn named_needs(&self, needs: &Needs) -> Vec<(String, u8)> {
        needs.skills.iter().map(|&(s, l)| (self.skill_names[s as usize].clone(), l)).collect()
    }

    /// The class a task is routed from.
    fn class_of(&self, t: &RoutedTask, needs: &Needs) -> Class {
        (needs.queue, needs.class_step(), channel_slot(t.arrival.channel))
    }

    /// The best agent for the task, with the explanation; reads the pool in routing order and
    /// stops after the winner and three runners-up.
    pub(crate) fn pick(&self, t: &RoutedTask, needs: &Needs, now: Millis) -> Option<Decision> {
        let class = self.class_of(t, needs);
        let mut winner: Option<(u32, Millis, u8)> = None;
        let mut runners_up = Vec::new();
        for (idle, Reverse(level), a) in self.pools.members_up_to(class) {
            if !self.qualifies(a, t, needs) {
                continue;
            }
            let Some((_, best_idle, best_level)) = winner else {
                winner = Some((a, idle, level));
                continue;
            };
            let profile = &self.agents[a as usize].profile;
            let reason =
                if idle > best_idle { format!("became free {} later", crate::duration::spoken(idle - best_idle)) } else { format!("as long idle, lower proficiency ({level} against {best_level})") };
            runners_up.push(RunnerUp { agent: profile.id, name: profile.name.clone(), reason });
            if runners_up.len() == 3 {
                break;
            }
        }
        let (a, idle, _) = winner?;
        Some(self.decision(t, needs, a, now.saturating_sub(idle), runners_up))
    }

    fn decision(&self, t: &RoutedTask, needs: &Needs, a: u32, idle_for: Millis, runners_up: Vec<RunnerUp>) -> Decision {
        let agent = &self.agents[a as usize];
        Decision {
            task: t.arrival.task,
            agent: agent.profile.id,
            explanation: Explanation {
                step: self.step_label(t, needs.step),
                matched: needs.skills.iter().map(|&(s, l)| (self.skill_names[s as usize].clone(), agent.level(s), l)).collect(),
                idle_ms: idle_for,
                runners_up,
            },
        }
    }

    /// The same choice made the straightforward way, reading every agent for each task tried:
    /// the benchmark's baseline (it tries the same tasks, so only the agent search differs).
    pub fn route_next_by_scan(&mut self, now: Millis) -> Option<Decision> {
        self.expire(now);
        let mut found = None;
        for (id, _) in self.waiting.heads() {
            let Some(t) = self.tasks.get(&id) else { continue };
            let Some(needs) = self.needs(t, now) else { continue };
            if let Some(a) = self.best_by_scan(t, &needs) {
                found = Some(self.decision(t, &needs, a, now.saturating_sub(self.agents[a as usize].idle_since), Vec::new()));
                break;
            }
        }
        let decision = found?;
        self.reserve(decision.task, decision.agent, now);
        Some(decision)
    }

    /// The best agent for a task by reading every agent.
    pub(crate) fn best_by_scan(&self, t: &RoutedTask, needs: &Needs) -> Option<u32> {
        let tie_skill = needs.tie_skill;
        (0..self.agents.len() as u32).filter(|&a| self.agents[a as usize].has_room(t.arrival.channel) && self.qualifies(a, t, needs)).min_by_key(|&a| {
            let agent = &self.agents[a as usize];
            (agent.idle_since, Reverse(tie_skill.map_or(0, |s| agent.level(s))), a)
        })
    }

    /// Why the agent is or is not eligible, for every agent: "Why me?" on an offer.
    pub fn eligibility(&self, id: TaskId, now: Millis) -> Option<Eligibility> {
        let t = self.tasks.get(&id)?;
        let needs = self.needs(t, now)?;
        let holder = t.state.holder();
        let mut agents: Vec<(Millis, u32, Option<String>)> = self
            .agents
            .iter()
            .enumerate()
            .map(|(i, agent)| {
                let why_not = if Some(agent.profile.id) == holder {
                    None
                } else if !agent.queues.contains(&needs.queue) {
                    Some(format!("does not serve {}", t.arrival.queue))
                } else if let Some(&(s, l)) = needs.skills.iter().find(|&&(s, l)| agent.level(s) < l) {
                    let has = agent.level(s);
                    let name = &self.skill_names[s as usize];
                    Some(if has == 0 { format!("lacks {name}") } else { format!("{name} at {has}, needs {l}") })
                } else if t.refused_by.contains(&agent.profile.id) {
                    Some("refused it before".into())
                } else if agent.presence != super::Presence::Available {
                    Some(format!("is {}", agent.presence.label().to_lowercase()))
                } else if !agent.fits(t.arrival.channel, 0) {
                    Some(format!("has no room for another {}", t.arrival.channel.label().to_lowercase()))
                } else {
                    None
                };
                (agent.idle_since, i as u32, why_not)
            })
            .collect();
        agents.sort_by_key(|(idle, a, why)| (why.is_some(), *idle, *a));
        Some(Eligibility {
            step: self.step_label(t, needs.step),
            needs: self.named_needs(&needs),
            agents: agents.into_iter().map(|(_, a, why)| (self.agents[a as usize].profile.id, self.agents[a as usize].profile.name.clone(), why)).collect(),
        })
    }

    /// What keeps a waiting task from being offered: "Why waiting?".
    pub fn why_waiting(&self, id: TaskId, now: Millis) -> Option<WaitReason> {
        let t = self.tasks.get(&id)?;
        if t.state != TaskState::Pending {
            return None;
        }
        let standing = self.eligibility(id, now)?;
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut eligible = 0;
        for (_, _, why) in &standing.agents {
            match why {
                None => eligible += 1,
                Some(w) => {
                    // "has no room for another chat" and "is on break" group as they read.
                    match counts.iter_mut().find(|(r, _)| r == w) {
                        Some(c) => c.1 += 1,
                        None => counts.push((w.clone(), 1)),
                    }
                }
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let ahead = self.waiting.ahead(id);
        Some(WaitReason { ahead, step: standing.step, needs: standing.needs, flagged: t.flagged, blocked_by: counts, eligible })
    }
}
