//! The routing benchmark's scenario and measurement, shared by the native run and the wasm page:
//! 1,000 agents with 30 skills between them, 10,000 tasks waiting; each decision is timed, and
//! work is completed a while later so agents fill up and free up as in a live center.

use std::collections::VecDeque;
use taskdesk_domain::demo::Rng;
use taskdesk_domain::ids::{TaskId, UserId};
use taskdesk_domain::routing::*;
use taskdesk_domain::Channel;
use uuid::Uuid;
use wasm_bindgen::prelude::*;

/// Agents, skills and waiting tasks, as the issue sets them.
pub const AGENTS: usize = 1_000;
/// Distinct skills.
pub const SKILLS: usize = 30;
/// Tasks waiting when routing starts.
pub const TASKS: usize = 10_000;
/// Tasks in progress at once before the oldest is completed.
const IN_FLIGHT: usize = 2_000;
const QUEUES: usize = 12;

/// A router with the scenario's agents (all available) and queues, and the tasks to arrive.
pub fn scenario(seed: u64) -> (Router, Vec<Arrival>) {
    let mut rng = Rng::new(seed);
    let skill = |i: usize| format!("skill-{i:02}");
    let mut router = Router::new();
    for q in 0..QUEUES {
        let needs: Vec<SkillLevel> = (0..1 + rng.below(3)).map(|_| SkillLevel::new(&skill(rng.below(SKILLS)), 1 + rng.below(4) as u8)).collect();
        let ladder = vec![
            EscalationStep { after_ms: 20_000, relax: Relax::LowerProficiency(1) },
            EscalationStep { after_ms: 40_000, relax: Relax::KeepSkills(1) },
            EscalationStep { after_ms: 60_000, relax: Relax::AnyAgent },
        ];
        router.set_queue(QueueDef { name: format!("Queue {q}"), requirements: needs, priority: rng.below(3) as u8, ladder }).expect("valid queue");
    }
    for a in 0..AGENTS {
        let profile = AgentProfile {
            id: UserId(Uuid::from_u128(0xa9e7_0000 + a as u128)),
            name: format!("Agent {a}"),
            skills: (0..3 + rng.below(4)).map(|_| SkillLevel::new(&skill(rng.below(SKILLS)), 1 + rng.below(5) as u8)).collect(),
            queues: (0..2 + rng.below(3)).map(|_| format!("Queue {}", rng.below(QUEUES))).collect(),
            capacity: Capacity::default(),
        };
        let id = profile.id;
        router.set_agent(profile, 0).expect("valid agent");
        router.set_presence(id, Presence::Available, a as u64).expect("known agent");
    }
    let channels = [Channel::Call, Channel::Email, Channel::Chat, Channel::Sms];
    let arrivals = (0..TASKS)
        .map(|t| Arrival {
            task: TaskId(Uuid::from_u128(0x7a5c_0000 + t as u128)),
            channel: channels[rng.below(4)],
            queue: format!("Queue {}", rng.below(QUEUES)),
            priority: rng.below(4) as u8,
            skills: vec![],
        })
        .collect();
    (router, arrivals)
}

/// What one run measured.
#[derive(Clone, Debug)]
pub struct Stats {
    /// Decisions made.
    pub decisions: usize,
    /// Decisions per second over the timed calls.
    pub per_second: f64,
    /// Median microseconds per decision.
    pub p50_us: f64,
    /// 99th percentile microseconds per decision.
    pub p99_us: f64,
}

/// Lets every task arrive, then routes until nothing more can be placed, timing each decision
/// with `clock` (milliseconds). Each accepted task is completed once `IN_FLIGHT` newer ones are
/// in progress. `by_scan` uses the full-scan baseline instead of the pools.
pub fn measure(seed: u64, by_scan: bool, clock: &dyn Fn() -> f64) -> Stats {
    let (mut router, arrivals) = scenario(seed);
    let mut now: Millis = 10_000;
    for a in arrivals {
        router.arrive(a, now).expect("known queue");
    }
    let mut times: Vec<f64> = Vec::with_capacity(TASKS);
    let mut in_flight: VecDeque<TaskId> = VecDeque::new();
    loop {
        now += 1;
        let start = clock();
        let decision = if by_scan { router.route_next_by_scan(now) } else { router.route_next(now) };
        let elapsed = clock() - start;
        let Some(d) = decision else {
            // Nothing fits: finish the oldest work, or stop when none is left.
            match in_flight.pop_front() {
                Some(t) => {
                    router.complete(t, now).expect("assigned task");
                    continue;
                }
                None => break,
            }
        };
        times.push(elapsed);
        router.accept(d.task, d.agent, now).expect("fresh offer");
        in_flight.push_back(d.task);
        if in_flight.len() > IN_FLIGHT {
            if let Some(t) = in_flight.pop_front() {
                router.complete(t, now).expect("assigned task");
            }
        }
    }
    let total_ms: f64 = times.iter().sum();
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted.get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1))).copied().unwrap_or(0.0) * 1000.0;
    Stats { decisions: times.len(), per_second: times.len() as f64 / (total_ms / 1000.0).max(f64::MIN_POSITIVE), p50_us: at(0.5), p99_us: at(0.99) }
}

/// Runs ours and the baseline in the page, after one untimed warm-up pass; returns `[decisions, per_second, p50_us, p99_us]` for each, ours first.
#[wasm_bindgen]
pub fn run_in_page(seed: u64) -> Vec<f64> {
    // Looked up once, so each reading costs one call into the page.
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap_or(JsValue::UNDEFINED);
    let now = js_sys::Reflect::get(&performance, &"now".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let clock = || now.as_ref().and_then(|f| f.call0(&performance).ok()).and_then(|v| v.as_f64()).unwrap_or(0.0);
    // A first pass lets the browser finish compiling the module with its optimising tier
    // (it starts on a quick baseline compile), so neither side is timed on unoptimised code.
    measure(seed, false, &clock);
    [measure(seed, false, &clock), measure(seed, true, &clock)].iter().flat_map(|s| [s.decisions as f64, s.per_second, s.p50_us, s.p99_us]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_and_scan_route_every_task_identically() {
        // A smaller replay of the scenario's shape, decision by decision.
        let (mut ours, arrivals) = scenario(5);
        let mut scan = ours.clone();
        for a in arrivals.into_iter().take(1_000) {
            ours.arrive(a.clone(), 1).unwrap();
            scan.arrive(a, 1).unwrap();
        }
        for now in 2..500 {
            let (x, y) = (ours.route_next(now), scan.route_next_by_scan(now));
            assert_eq!(x.as_ref().map(|d| (d.task, d.agent)), y.as_ref().map(|d| (d.task, d.agent)));
        }
    }
}
