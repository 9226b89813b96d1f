//! Routing rules, one test each, and random sequences of events checked against every invariant.

use super::*;
use proptest::prelude::*;
use uuid::Uuid;

fn user(n: u128) -> UserId {
    UserId(Uuid::from_u128(0xa000 + n))
}

fn task(n: u128) -> TaskId {
    TaskId(Uuid::from_u128(0x7000 + n))
}

fn agent(n: u128, skills: &[(&str, u8)], queues: &[&str]) -> AgentProfile {
    AgentProfile {
        id: user(n),
        name: format!("Agent {n}"),
        skills: skills.iter().map(|(s, l)| SkillLevel::new(s, *l)).collect(),
        queues: queues.iter().map(|q| q.to_string()).collect(),
        capacity: Capacity::default(),
    }
}

fn queue(name: &str, needs: &[(&str, u8)], priority: u8, ladder: Vec<EscalationStep>) -> QueueDef {
    QueueDef { name: name.into(), requirements: needs.iter().map(|(s, l)| SkillLevel::new(s, *l)).collect(), priority, ladder }
}

fn arrival(n: u128, channel: Channel, queue: &str, priority: u8) -> Arrival {
    Arrival { task: task(n), channel, queue: queue.into(), priority, skills: vec![] }
}

/// Billing (needs billing 3) and Support (no skills); agents 1..=3 available at times 10, 20, 30.
fn router() -> Router {
    let mut r = Router::new();
    r.set_queue(queue("Billing", &[("billing", 3)], 1, vec![EscalationStep { after_ms: 60_000, relax: Relax::LowerProficiency(1) }, EscalationStep { after_ms: 120_000, relax: Relax::AnyAgent }]))
        .unwrap();
    r.set_queue(queue("Support", &[], 0, vec![])).unwrap();
    r.set_agent(agent(1, &[("billing", 4)], &["Billing", "Support"]), 0).unwrap();
    r.set_agent(agent(2, &[("billing", 5)], &["Billing", "Support"]), 0).unwrap();
    r.set_agent(agent(3, &[("billing", 1)], &["Billing", "Support"]), 0).unwrap();
    for (n, at) in [(1, 10), (2, 20), (3, 30)] {
        r.set_presence(user(n), Presence::Available, at).unwrap();
    }
    r
}

/// The plainest reading of the rules: every waiting task in order, every agent read.
fn oracle(r: &Router, now: Millis) -> Option<(TaskId, UserId)> {
    let mut r = r.clone();
    r.expire(now);
    let found = r.waiting.all().find_map(|id| {
        let t = &r.tasks[&id];
        r.best_by_scan(t, &r.needs(t, now)?).map(|a| (id, r.agents[a as usize].profile.id))
    });
    found
}

fn offer(r: &mut Router, now: Millis) -> Option<(TaskId, UserId)> {
    let d = r.route_next(now)?;
    r.check_invariants().unwrap();
    Some((d.task, d.agent))
}

#[test]
fn r3_the_longest_idle_qualified_agent_gets_the_offer() {
    let mut r = router();
    r.arrive(arrival(1, Channel::Call, "Billing", 1), 100).unwrap();
    let d = r.route_next(100).unwrap();
    assert_eq!((d.task, d.agent), (task(1), user(1)), "agent 1 idle longest with billing 4 >= 3");
    assert_eq!(d.explanation.matched, [("billing".to_string(), 4, 3)]);
    assert_eq!(d.explanation.step, "Billing queue requirements");
    assert_eq!(d.explanation.runners_up.len(), 1, "agent 2 qualifies too; agent 3 lacks the level");
    assert_eq!(d.explanation.runners_up[0].agent, user(2));
    assert!(d.explanation.runners_up[0].reason.contains("became free"));
}

#[test]
fn r3_ties_on_idle_time_go_to_higher_proficiency() {
    let mut r = router();
    r.set_presence(user(1), Presence::Busy, 40).unwrap();
    r.set_presence(user(2), Presence::Busy, 40).unwrap();
    r.set_presence(user(1), Presence::Available, 50).unwrap();
    r.set_presence(user(2), Presence::Available, 50).unwrap();
    r.arrive(arrival(1, Channel::Call, "Billing", 1), 100).unwrap();
    let d = r.route_next(100).unwrap();
    assert_eq!(d.agent, user(2), "billing 5 beats billing 4 at equal idle time");
    assert!(d.explanation.runners_up[0].reason.contains("lower proficiency"));
}

#[test]
fn r3_tasks_go_by_priority_then_waiting_time() {
    let mut r = router();
    r.arrive(arrival(1, Channel::Chat, "Support", 0), 100).unwrap();
    r.arrive(arrival(2, Channel::Chat, "Support", 3), 200).unwrap();
    r.arrive(arrival(3, Channel::Chat, "Support", 3), 150).unwrap();
    r.arrive(arrival(4, Channel::Chat, "Billing", 0), 300).unwrap();
    assert_eq!(r.waiting().collect::<Vec<_>>(), [task(4), task(3), task(2), task(1)], "queue priority, then task priority, then arrival");
}

#[test]
fn r1_capacity_is_never_exceeded_and_a_call_blocks_written_work() {
    let mut r = Router::new();
    r.set_queue(queue("Support", &[], 0, vec![])).unwrap();
    r.set_agent(agent(1, &[], &["Support"]), 0).unwrap();
    r.set_presence(user(1), Presence::Available, 0).unwrap();
    for n in 0..5 {
        r.arrive(arrival(n, Channel::Chat, "Support", 1), 10 + n as u64).unwrap();
    }
    let offers: Vec<_> = std::iter::from_fn(|| offer(&mut r, 100)).collect();
    assert_eq!(offers.len(), 3, "three chats at once");
    for (t, a) in &offers {
        r.accept(*t, *a, 101).unwrap();
    }
    r.complete(offers[0].0, 200).unwrap();
    r.complete(offers[1].0, 200).unwrap();
    r.complete(offers[2].0, 200).unwrap();
    r.arrive(arrival(9, Channel::Call, "Support", 3), 210).unwrap();
    let (call, who) = offer(&mut r, 220).unwrap();
    assert_eq!(call, task(9));
    r.accept(call, who, 221).unwrap();
    assert_eq!(offer(&mut r, 230), None, "no chat while on a call");
    r.complete(call, 300).unwrap();
    assert!(offer(&mut r, 300).is_some(), "chats flow again after the call");
}

#[test]
fn r2_escalation_relaxes_proficiency_then_takes_any_agent() {
    let mut r = Router::new();
    r.set_queue(queue("Billing", &[("billing", 5)], 0, vec![EscalationStep { after_ms: 60_000, relax: Relax::LowerProficiency(2) }, EscalationStep { after_ms: 120_000, relax: Relax::AnyAgent }]))
        .unwrap();
    r.set_agent(agent(1, &[("billing", 2)], &["Billing"]), 0).unwrap();
    r.set_agent(agent(2, &[], &["Billing"]), 0).unwrap();
    r.set_presence(user(2), Presence::Available, 0).unwrap();
    r.arrive(arrival(1, Channel::Email, "Billing", 1), 0).unwrap();
    assert_eq!(offer(&mut r, 59_000), None, "nobody has billing 5");
    let why = r.why_waiting(task(1), 59_000).unwrap();
    assert_eq!(why.step, "Billing queue requirements");
    assert!(why.blocked_by.iter().any(|(reason, n)| reason == "lacks billing" && *n == 1), "{why:?}");
    assert!(why.blocked_by.iter().any(|(reason, n)| reason == "billing at 2, needs 5" && *n == 1), "{why:?}");
    assert_eq!(offer(&mut r, 61_000), None, "step 1 accepts billing 2, but agent 1 is offline");
    r.set_presence(user(1), Presence::Available, 61_000).unwrap();
    let d = r.route_next(61_500).unwrap();
    assert_eq!(d.agent, user(1));
    assert!(d.explanation.step.starts_with("Escalation step 1"), "{}", d.explanation.step);
    r.reject(task(1), user(1), 62_000).unwrap();
    let d = r.route_next(121_000).unwrap();
    assert_eq!(d.agent, user(2), "any agent in the queue at step 2");
    assert!(d.explanation.step.contains("any agent"));
}

#[test]
fn r3_offers_time_out_go_to_the_next_agent_and_flag_after_the_limit() {
    let mut r = router();
    r.refusal_limit = 2;
    r.arrive(arrival(1, Channel::Call, "Billing", 1), 100).unwrap();
    let first = r.route_next(100).unwrap();
    assert_eq!(r.task(task(1)).unwrap().state, TaskState::Reserved { agent: user(1), until: 30_100 });
    assert_eq!(r.accept(task(1), user(2), 200), Err(RoutingError::NotYourOffer));
    assert_eq!(r.route_next(30_099), None, "the offer is still open");
    let second = r.route_next(30_100).unwrap();
    assert_eq!((first.agent, second.agent), (user(1), user(2)), "after the timeout it goes to the next agent");
    assert_eq!(r.task(task(1)).unwrap().refusals, 1);
    assert!(r.reject(task(1), user(2), 30_200).unwrap(), "second refusal reaches the limit");
    assert!(r.task(task(1)).unwrap().flagged);
    assert_eq!(r.route_next(30_300), None, "a flagged task waits for a supervisor");
    r.assign(task(1), user(3), 30_400).unwrap();
    assert_eq!(r.task(task(1)).unwrap().state, TaskState::Assigned { agent: user(3) });
    r.check_invariants().unwrap();
}

#[test]
fn r3_a_task_someone_refused_does_not_hold_up_the_tasks_behind_it() {
    let mut r = Router::new();
    r.set_queue(queue("Support", &[], 0, vec![])).unwrap();
    r.set_agent(agent(1, &[], &["Support"]), 0).unwrap();
    r.set_presence(user(1), Presence::Available, 0).unwrap();
    r.arrive(arrival(1, Channel::Call, "Support", 1), 10).unwrap();
    r.arrive(arrival(2, Channel::Call, "Support", 1), 20).unwrap();
    assert_eq!(offer(&mut r, 100), Some((task(1), user(1))));
    r.reject(task(1), user(1), 110).unwrap();
    assert_eq!(offer(&mut r, 120), Some((task(2), user(1))), "the only agent refused task 1, so task 2 comes to them");
    let why = r.why_waiting(task(1), 120).unwrap();
    assert!(why.blocked_by.iter().any(|(reason, _)| reason == "refused it before"), "{why:?}");
}

#[test]
fn r3_cancel_only_before_assignment_and_presence_hands_back_offers() {
    let mut r = router();
    r.arrive(arrival(1, Channel::Email, "Support", 1), 100).unwrap();
    r.arrive(arrival(2, Channel::Email, "Support", 1), 100).unwrap();
    let d = r.route_next(100).unwrap();
    assert_eq!(r.set_presence(d.agent, Presence::Break, 110).unwrap(), [d.task], "going on break hands the offer back");
    assert_eq!(r.task(d.task).unwrap().refusals, 0, "not a refusal");
    let d = r.route_next(120).unwrap();
    r.accept(d.task, d.agent, 121).unwrap();
    assert!(matches!(r.cancel(d.task, 130), Err(RoutingError::WrongState(_))));
    r.cancel(task(2), 130).unwrap_or_else(|_| r.cancel(task(1), 130).unwrap());
    r.wrap_up(d.task, 140).unwrap();
    r.complete(d.task, 150).unwrap();
    r.check_invariants().unwrap();
}

#[test]
fn r4_transfer_moves_a_task_to_another_queue_and_why_me_lists_everyone() {
    let mut r = router();
    r.arrive(arrival(1, Channel::Chat, "Billing", 1), 100).unwrap();
    let d = r.route_next(100).unwrap();
    r.accept(d.task, d.agent, 101).unwrap();
    r.transfer(task(1), "Support", 200).unwrap();
    assert_eq!(r.task(task(1)).unwrap().state, TaskState::Pending);
    assert_eq!(r.task(task(1)).unwrap().arrival.queue, "Support");
    let standing = r.eligibility(task(1), 200).unwrap();
    assert_eq!(standing.agents.len(), 3);
    assert!(standing.agents.iter().all(|(_, _, why)| why.is_none()), "Support needs no skill: {standing:?}");
    assert_eq!(r.transfer(task(1), "Nowhere", 210), Err(RoutingError::UnknownQueue("Nowhere".into())));
    assert!(r.set_agent(agent(9, &[("billing", 7)], &[]), 0).is_err(), "proficiency 1 to 5");
}

#[derive(Clone, Debug)]
enum Step {
    Arrive { channel: usize, queue: usize, priority: u8 },
    Route,
    Accept(usize),
    Reject(usize),
    Wait(u64),
    Presence(usize, usize),
    Wrap(usize),
    Complete(usize),
    Cancel(usize),
    Assign(usize, usize),
    Transfer(usize, usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0usize..4, 0usize..3, 0u8..4).prop_map(|(channel, queue, priority)| Step::Arrive { channel, queue, priority }),
        4 => Just(Step::Route),
        3 => (0usize..64).prop_map(Step::Accept),
        1 => (0usize..64).prop_map(Step::Reject),
        2 => (0u64..50_000).prop_map(Step::Wait),
        2 => (0usize..6, 0usize..5).prop_map(|(a, p)| Step::Presence(a, p)),
        1 => (0usize..64).prop_map(Step::Wrap),
        2 => (0usize..64).prop_map(Step::Complete),
        1 => (0usize..64).prop_map(Step::Cancel),
        1 => (0usize..64, 0usize..6).prop_map(|(t, a)| Step::Assign(t, a)),
        1 => (0usize..64, 0usize..3).prop_map(|(t, q)| Step::Transfer(t, q)),
    ]
}

/// An agent drawn at random: skills (index, level), queues, channel capacity, available.
type DrawnAgent = (Vec<(usize, u8)>, Vec<usize>, [u8; 6], bool);

fn random_router(profiles: &[DrawnAgent]) -> Router {
    const SKILLS: [&str; 3] = ["billing", "german", "tech"];
    const QUEUES: [&str; 3] = ["Billing", "Support", "Sales"];
    let mut r = Router::new();
    r.offer_timeout_ms = 20_000;
    r.set_queue(queue(
        "Billing",
        &[("billing", 4), ("german", 2)],
        2,
        vec![
            EscalationStep { after_ms: 30_000, relax: Relax::LowerProficiency(2) },
            EscalationStep { after_ms: 60_000, relax: Relax::KeepSkills(1) },
            EscalationStep { after_ms: 90_000, relax: Relax::AnyAgent },
        ],
    ))
    .unwrap();
    r.set_queue(queue("Support", &[("tech", 3)], 1, vec![EscalationStep { after_ms: 40_000, relax: Relax::AnyAgent }])).unwrap();
    r.set_queue(queue("Sales", &[], 0, vec![])).unwrap();
    for (i, (skills, queues, cap, blocks)) in profiles.iter().enumerate() {
        let mut p = agent(i as u128, &[], &[]);
        p.skills = skills.iter().map(|&(s, l)| SkillLevel::new(SKILLS[s], l)).collect();
        p.queues = queues.iter().map(|&q| QUEUES[q].to_string()).collect();
        p.capacity = Capacity { per_channel: *cap, call_blocks_written: *blocks };
        r.set_agent(p, 0).unwrap();
    }
    r
}

fn profile() -> impl Strategy<Value = DrawnAgent> {
    (proptest::collection::vec((0usize..3, 1u8..=5), 0..3), proptest::collection::vec(0usize..3, 0..3), (0u8..2, 0u8..3, 0u8..4, 0u8..3).prop_map(|(a, b, c, d)| [a, b, c, d, 0, 0]), any::<bool>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random arrivals, offers, answers, timeouts, presence changes, supervisor moves and
    /// completions: after every step no task is held twice, capacity holds, offers go only to
    /// available agents, the pools and the waiting heads match their definitions, and each
    /// offer is the one reading every waiting task and every agent would make.
    #[test]
    fn r4_invariants_hold_after_every_step(
        profiles in proptest::collection::vec(profile(), 1..6),
        steps in proptest::collection::vec(step(), 1..80),
    ) {
        const QUEUES: [&str; 3] = ["Billing", "Support", "Sales"];
        let mut r = random_router(&profiles);
        let mut now: Millis = 1_000;
        let mut arrived: Vec<TaskId> = Vec::new();
        let agents: Vec<UserId> = (0..profiles.len()).map(|i| user(i as u128)).collect();
        let pick = |v: &[TaskId], i: usize| (!v.is_empty()).then(|| v[i % v.len()]);
        for s in steps {
            now += 1;
            match s {
                Step::Arrive { channel, queue, priority } => {
                    let id = task(arrived.len() as u128);
                    r.arrive(Arrival { task: id, channel: Channel::ALL[channel], queue: QUEUES[queue].into(), priority, skills: vec![] }, now).unwrap();
                    arrived.push(id);
                }
                Step::Route => {
                    let mut scan = r.clone();
                    let by_scan = scan.route_next_by_scan(now).map(|d| (d.task, d.agent));
                    let expected = oracle(&r, now);
                    let decision = r.route_next(now);
                    prop_assert_eq!(decision.as_ref().map(|d| (d.task, d.agent)), expected);
                    prop_assert_eq!(by_scan, expected);
                    if let Some(d) = decision {
                        prop_assert!(d.explanation.runners_up.iter().all(|u| u.agent != d.agent));
                    }
                }
                Step::Accept(i) | Step::Reject(i) if pick(&arrived, i).is_some() => {
                    let id = pick(&arrived, i).unwrap();
                    if let Some(TaskState::Reserved { agent, .. }) = r.task(id).map(|t| t.state) {
                        if matches!(s, Step::Accept(_)) { r.accept(id, agent, now).unwrap(); } else { r.reject(id, agent, now).unwrap(); }
                    } else {
                        prop_assert!(r.accept(id, agents[0], now).is_err());
                    }
                }
                Step::Wait(ms) => { now += ms; r.expire(now); }
                Step::Presence(a, p) if a < agents.len() => { r.set_presence(agents[a], Presence::ALL[p], now).unwrap(); }
                Step::Wrap(i) => if let Some(id) = pick(&arrived, i) { let _ = r.wrap_up(id, now); },
                Step::Complete(i) => if let Some(id) = pick(&arrived, i) { let _ = r.complete(id, now); },
                Step::Cancel(i) => if let Some(id) = pick(&arrived, i) {
                    let before = r.task(id).unwrap().state;
                    let result = r.cancel(id, now);
                    prop_assert_eq!(result.is_ok(), matches!(before, TaskState::Pending | TaskState::Reserved { .. }), "cancel only before assignment");
                },
                Step::Assign(i, a) if a < agents.len() => if let Some(id) = pick(&arrived, i) { let _ = r.assign(id, agents[a], now); },
                Step::Transfer(i, q) => if let Some(id) = pick(&arrived, i) { let _ = r.transfer(id, QUEUES[q], now); },
                _ => {}
            }
            if let Err(e) = r.check_invariants() {
                prop_assert!(false, "{}", e);
            }
        }
    }
}
