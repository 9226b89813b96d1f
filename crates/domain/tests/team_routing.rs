//! R3 with a team: two routers acting at once on two devices cut off from each other (a network
//! split) make offers, agents accept and reject on their own devices, new work arrives; whenever
//! the devices reconnect their changes merge. Whatever happened, once everything is exchanged
//! both devices hold the same records, no task is held by two agents (an offer on a task
//! someone took is void and withdrawn), every agent who lost a task to the merge was told, and a
//! router rebuilt from the records holds exactly what they say.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use std::collections::BTreeSet;
use taskdesk_domain::center::Center;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::interaction::{Interaction, InteractionKind};
use taskdesk_domain::routing::{Millis, Presence, TaskState};
use taskdesk_domain::simulator::SimSettings;
use taskdesk_domain::workspace::Device as DeviceState;
use taskdesk_domain::*;

fn at(ms: Millis) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(1_795_000_000_000 + ms as i64).unwrap()
}

/// One device: its records, every change it holds, its router, and the agent working on it.
struct Device {
    ws: Workspace,
    log: Vec<Change>,
    center: Center,
    agent: User,
}

impl Device {
    fn record(&mut self, changes: impl IntoIterator<Item = Change>) {
        self.log.extend(changes);
    }
}

/// Exchanges every change both ways; returns the tasks each device's agent was told they lost.
fn heal(devices: &mut [Device]) -> Vec<(UserId, TaskId)> {
    let all: Vec<Change> = devices.iter().flat_map(|d| d.log.clone()).collect();
    let mut told = Vec::new();
    for d in devices.iter_mut() {
        let known: BTreeSet<Hlc> = d.log.iter().map(|c| c.stamp.clone()).collect();
        let mut missing: Vec<Change> = all.iter().filter(|c| !known.contains(&c.stamp)).cloned().collect();
        missing.sort_by(|a, b| a.stamp.cmp(&b.stamp));
        missing.dedup_by(|a, b| a.stamp == b.stamp);
        let (problems, lost) = d.ws.apply_noting_losses(&missing, d.agent.id);
        assert!(problems.is_empty(), "{problems:?}");
        told.extend(lost.into_iter().map(|t| (d.agent.id, t)));
        d.log.extend(missing);
    }
    told
}

fn start() -> Vec<Device> {
    let users = demo::users();
    let base = {
        let mut ws = Workspace::new(DeviceState::new(DeviceCode("SEEDS".into())));
        demo::seed(&mut ws, 3, at(0)).unwrap()
    };
    let mut devices: Vec<Device> = [(0, "DEVAA"), (1, "DEVBB")]
        .into_iter()
        .map(|(n, code)| {
            let mut ws = Workspace::new(DeviceState::new(DeviceCode(code.into())));
            for c in &base {
                ws.apply(c).unwrap();
            }
            let agent = users[n].clone();
            let center = Center::new(&ws, agent.id, SimSettings::default(), false, 0);
            Device { ws, log: base.clone(), center, agent }
        })
        .collect();
    for d in devices.iter_mut() {
        let c = d.ws.set_presence(&d.agent.clone(), Presence::Available, 0, at(0)).unwrap();
        d.record(c);
    }
    heal(&mut devices);
    devices
}

#[derive(Clone, Debug)]
enum Step {
    /// The router on a device routes.
    Route(usize),
    /// The agent on a device answers the first offer they see there.
    Answer(usize, bool),
    /// New work arrives through a device.
    Arrive(usize, u8),
    /// The devices reconnect and exchange everything.
    Heal,
    /// Time passes (offers time out).
    Wait(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..2usize).prop_map(Step::Route),
        4 => (0..2usize, any::<bool>()).prop_map(|(d, a)| Step::Answer(d, a)),
        2 => (0..2usize, 0..4u8).prop_map(|(d, q)| Step::Arrive(d, q)),
        2 => Just(Step::Heal),
        1 => (1..40u64).prop_map(Step::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn r3_two_routers_cut_off_from_each_other_never_leave_a_task_held_twice(steps in proptest::collection::vec(step(), 1..50)) {
        let mut devices = start();
        let mut now: Millis = 1_000;
        let mut arrivals = 0;
        let mut told = Vec::new();
        // Who held each task on their own device at some point and lost it later.
        for s in steps {
            now += 500;
            match s {
                Step::Route(d) => {
                    let dev = &mut devices[d];
                    let changes = dev.center.tick(&mut dev.ws, now, at(now)).unwrap().changes;
                    dev.record(changes);
                }
                Step::Answer(d, accept) => {
                    let dev = &mut devices[d];
                    let Some(task) = dev.ws.offers_to(dev.agent.id, now).first().map(|t| t.id) else { continue };
                    let agent = dev.agent.clone();
                    let change = if accept { dev.ws.accept_offer(&agent, task, now, at(now)).unwrap() } else { dev.ws.reject_offer(&agent, task, at(now)).unwrap() };
                    dev.record([change]);
                }
                Step::Arrive(d, q) => {
                    arrivals += 1;
                    let queue = ["Billing", "Support", "Sales", "Retention"][q as usize];
                    let ix = Interaction { id: format!("SPLIT-{arrivals}"), kind: InteractionKind::Chat, contact: format!("+42070000{arrivals:04}"), body: "Hello?".into(), queue: Some(queue.into()), html: None, source: None };
                    let dev = &mut devices[d];
                    let changes = dev.ws.ingest(&ix, at(now)).unwrap().changes;
                    dev.record(changes);
                }
                Step::Heal => told.extend(heal(&mut devices)),
                Step::Wait(s) => now += s * 1000,
            }
        }
        told.extend(heal(&mut devices));
        // The device that routes from now on follows the records once, cleaning up what the split left.
        now += 500;
        let first = &mut devices[0];
        let changes = first.center.tick(&mut first.ws, now, at(now)).unwrap().changes;
        first.record(changes);
        told.extend(heal(&mut devices));

        let tasks = |d: &Device| {
            let mut v: Vec<Task> = d.ws.tasks.values().cloned().collect();
            v.sort_by_key(|t| t.id);
            v
        };
        prop_assert_eq!(tasks(&devices[0]), tasks(&devices[1]), "both devices hold the same records");
        for t in devices[0].ws.tasks.values() {
            prop_assert!(!(t.assignee.is_some() && t.offer.is_some()), "task {} is assigned and offered at once", t.number);
        }
        // Every agent who saw a task as theirs on their own device and does not have it now was told.
        for d in &devices {
            for t in d.ws.tasks.values() {
                let theirs_once = d.log.iter().any(|c| c.entity == t.id.0 && c.actor == Some(d.agent.id) && c.new_value("assignee") == Some(&serde_json::json!(d.agent.id)));
                if theirs_once && t.assignee.is_some_and(|a| a != d.agent.id) {
                    prop_assert!(told.contains(&(d.agent.id, t.id)), "{} lost {} without being told", d.agent.name, t.number);
                }
            }
        }
        // A router that takes over now, with nothing but the records, holds what they say.
        let mut next = Center::new(&devices[1].ws, devices[1].agent.id, SimSettings::default(), false, now);
        next.set_paused(true);
        let ws = &mut devices[1].ws;
        let _ = next.tick(ws, now, at(now)).unwrap();
        for r in next.router.tasks().filter(|r| !matches!(r.state, TaskState::Completed | TaskState::Canceled)) {
            let t = ws.task(r.arrival.task).unwrap();
            let recorded = t.assignee.filter(|_| t.routed).or(t.offer.as_ref().map(|o| o.agent));
            prop_assert_eq!(r.state.holder(), recorded, "the new router and the records disagree on {}", t.number);
        }
        next.router.check_invariants().map_err(TestCaseError::fail)?;
    }
}

#[test]
fn r3_two_accepts_of_one_task_in_a_split_settle_on_the_later_and_the_other_agent_is_told() {
    let mut devices = start();
    let ix = Interaction { id: "SPLIT-X".into(), kind: InteractionKind::Chat, contact: "+420700009999".into(), body: "Hi".into(), queue: Some("Billing".into()), html: None, source: None };
    let changes = devices[0].ws.ingest(&ix, at(100)).unwrap().changes;
    devices[0].record(changes);
    heal(&mut devices);
    let task = devices[0].ws.tasks.values().find(|t| t.transaction_id == "SPLIT-X").unwrap().id;
    // Each router, cut off, offers the task to its own agent, who accepts.
    for (d, dev) in devices.iter_mut().enumerate().take(2) {
        let agent = dev.agent.clone();
        let offer = taskdesk_domain::offers::Offer { agent: agent.id, until: 60_000, why: Default::default() };
        let c = dev.ws.make_offer(task, offer, at(1_000 + d as u64)).unwrap();
        dev.record(c);
        let c = dev.ws.accept_offer(&agent, task, 2_000, at(2_000 + d as u64 * 10)).unwrap();
        dev.record([c]);
    }
    let told = heal(&mut devices);
    let winner = devices[0].ws.task(task).unwrap().assignee.unwrap();
    assert_eq!(devices[1].ws.task(task).unwrap().assignee, Some(winner), "the same on both devices");
    assert_eq!(winner, devices[1].agent.id, "the later accept wins");
    assert_eq!(told, vec![(devices[0].agent.id, task)], "the other agent is told");
}
