//! The live contact center in the browser (R1 to R5). One tab per browser may route (a Web
//! Lock); with a CouchDB server, only the device holding the server's routing lease does, so
//! exactly one device routes a workspace. The routing tab ticks the center every second and
//! stores what it changes like any other command. Everyone else's part (presence, answering
//! offers, wrap-up, a supervisor's moves) is a command on the records, from any tab or device.

use super::locks;
use super::state::AppState;
use chrono::Utc;
use leptos::prelude::*;
use taskdesk_domain::center::Center;
use taskdesk_domain::routing::{Millis, Presence};
use taskdesk_domain::simulator::SimSettings;
use taskdesk_domain::{TaskId, UserId};
use taskdesk_sync::lease::{Keeper, RENEW_MS};

/// The saved choice `<database>.simulator` (so "taskdesk.simulator" for the default workspace):
/// "paused" starts with the simulated traffic paused (the end-to-end tests of other features
/// do, so their counts stay put), a number starts it at that speed.
const SIMULATOR_KEY: &str = "simulator";

/// Where routing runs for this workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutingHere {
    /// Waiting to learn where routing runs.
    Starting,
    /// This tab routes.
    Here,
    /// Another tab of this browser routes; this one takes over if it closes.
    OtherTab,
    /// Another device routes (it holds the server's lease): the person signed in there.
    Elsewhere(String),
}

impl RoutingHere {
    /// Where routing runs, in words.
    pub fn words(&self) -> String {
        match self {
            RoutingHere::Starting => "Routing: starting".into(),
            RoutingHere::Here => "Routing in this tab".into(),
            RoutingHere::OtherTab => "Routing runs in another tab".into(),
            RoutingHere::Elsewhere(who) => format!("Routing runs on {who}'s device"),
        }
    }
}

/// The live center and what the screens show of it.
#[derive(Clone, Copy)]
pub struct Live {
    center: StoredValue<Option<Center>>,
    /// Where routing runs.
    pub role: RwSignal<RoutingHere>,
    /// Bumped after every tick, so the board refreshes.
    pub rev: RwSignal<u64>,
    /// The clock, every second, in every tab: offers' countdowns and the board's times.
    pub now: RwSignal<Millis>,
    /// Traffic paused.
    pub paused: RwSignal<bool>,
    /// Traffic speed factor.
    pub speed: RwSignal<u32>,
}

/// The routing clock: milliseconds of wall time.
pub fn clock() -> Millis {
    js_sys::Date::now().max(0.0) as Millis
}

/// The live center provided by the root component.
pub fn use_live() -> Live {
    expect_context::<Live>()
}

impl Live {
    /// A live center that has not started yet.
    pub fn new() -> Self {
        Live { center: StoredValue::new(None), role: RwSignal::new(RoutingHere::Starting), rev: RwSignal::new(0), now: RwSignal::new(clock()), paused: RwSignal::new(false), speed: RwSignal::new(1) }
    }

    /// Reads the center, if this tab routes.
    pub fn with<R>(&self, f: impl FnOnce(&Center) -> R) -> Option<R> {
        self.rev.track();
        self.center.with_value(|c| c.as_ref().map(f))
    }

    fn change<R>(&self, f: impl FnOnce(&mut Center) -> R) -> Option<R> {
        let mut out = None;
        self.center.try_update_value(|c| out = c.as_mut().map(f));
        out
    }

    /// Starts the clock and asks to route once the workspace is loaded: first this browser's
    /// routing lock (a tab that finds it taken says so and waits in line), then, with a CouchDB
    /// server, the server's lease, kept for as long as this tab lives.
    pub fn start(self, state: AppState) {
        let life = state.life();
        life.every(1_000, move || {
            self.now.try_set(clock());
            if self.center.try_with_value(Option::is_some).unwrap_or(false) {
                self.tick(state);
            }
        });
        leptos::task::spawn_local(async move {
            let name = format!("taskdesk:{}:routing", state.database());
            let held = match locks::acquire(&name, true).await {
                Some(held) => held,
                None => {
                    self.role.try_set(RoutingHere::OtherTab);
                    let waiting = locks::acquire(&name, false);
                    futures::pin_mut!(waiting);
                    let ended = life.end_reached();
                    futures::pin_mut!(ended);
                    match futures::future::select(waiting, ended).await {
                        futures::future::Either::Left((Some(held), _)) => held,
                        _ => return,
                    }
                }
            };
            life.hold(held);
            let device = state.ws.with_untracked(|ws| ws.as_ref().map(|w| w.device.code.to_string())).unwrap_or_default();
            let mut keeper = Keeper::new(device);
            loop {
                match super::sync::keep_lease(state, &mut keeper).await {
                    Some(elsewhere) => {
                        self.center.try_set_value(None);
                        self.role.try_set(RoutingHere::Elsewhere(elsewhere));
                    }
                    None => {
                        if self.center.try_with_value(Option::is_none).unwrap_or(false) {
                            self.run_here(state);
                        }
                        self.role.try_set(RoutingHere::Here);
                    }
                }
                if !life.sleep(RENEW_MS as u32).await {
                    return;
                }
            }
        });
    }

    fn run_here(self, state: AppState) {
        let key = state.saved_key(SIMULATOR_KEY);
        let start = super::state::local_storage().and_then(|s| s.get_item(&key).ok().flatten()).unwrap_or_default();
        self.paused.set(start == "paused" || !state.simulator.get_untracked());
        self.speed.set(start.parse::<u32>().ok().filter(|s| (1..=1000).contains(s)).unwrap_or(1));
        self.new_center(state);
    }

    /// A center for the current set-up, keeping pause and speed. Without a server it plays the
    /// simulated colleagues; with one, only real people answer offers.
    fn new_center(self, state: AppState) {
        let me = state.me.get_untracked();
        let settings = SimSettings { speed: self.speed.get_untracked(), ..SimSettings::default() };
        let colleagues = !state.sync.connected() && state.simulator.get_untracked();
        let center = state.ws.with_untracked(|ws| ws.as_ref().map(|ws| Center::new(ws, me, settings, colleagues, clock())));
        if let Some(mut c) = center {
            c.set_paused(self.paused.get_untracked());
            self.center.set_value(Some(c));
        }
    }

    /// Starts the center afresh for the current set-up, if this tab routes (it rebuilds its
    /// state from the records).
    pub fn restart(self, state: AppState) {
        if self.center.with_value(Option::is_some) {
            self.new_center(state);
            self.rev.update(|r| *r += 1);
        }
    }

    fn tick(self, state: AppState) {
        let result = state.run_background(|ws| Ok(self.change(|c| c.tick(ws, clock(), Utc::now())).transpose()?.map(|t| t.changes).unwrap_or_default()));
        if let Err(e) = result {
            state.tell(format!("The contact center could not take in new work: {e}"), true);
        }
        self.rev.try_update(|r| *r += 1);
    }

    /// Pauses or resumes the simulated traffic.
    pub fn set_paused(self, paused: bool) {
        self.change(|c| c.set_paused(paused));
        self.paused.set(paused);
    }

    /// Sets how many times faster than real time the traffic runs.
    pub fn set_speed(self, speed: u32) {
        self.change(|c| c.set_settings(SimSettings { speed, ..c.settings().clone() }, clock()));
        self.speed.set(speed);
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

/// The person at the screen answers an offer.
pub fn answer(state: AppState, task: TaskId, accept: bool) {
    let result = state.run(|ws, me, now| if accept { ws.accept_offer(me, task, clock(), now) } else { ws.reject_offer(me, task, now) }.map(Some));
    if let Err(e) = result {
        state.tell(e.to_string(), true);
    }
}

/// The person at the screen changes their presence.
pub fn set_presence(state: AppState, presence: Presence) {
    if let Err(e) = state.run(|ws, me, now| ws.set_presence(me, presence, clock(), now)) {
        state.tell(e.to_string(), true);
    }
}

/// The person at the screen finishes wrap-up of a task.
pub fn finish_wrap_up(state: AppState, task: TaskId) {
    if let Err(e) = state.run(|ws, me, now| ws.finish_wrap_up(me, task, now).map(Some)) {
        state.tell(e.to_string(), true);
    }
}

/// A supervisor gives a task to an agent, or moves it to another queue.
pub fn supervise(state: AppState, task: TaskId, agent: Option<UserId>, queue: Option<String>) {
    let result = state.run(|ws, me, now| match (agent, &queue) {
        (Some(a), _) => ws.reassign(me, task, a, now),
        (None, Some(q)) => ws.transfer(me, task, q, now),
        (None, None) => Ok(None),
    });
    match result {
        Ok(_) => state.tell(if agent.is_some() { "Task reassigned." } else { "Task transferred." }, false),
        Err(e) => state.tell(e.to_string(), true),
    }
}
