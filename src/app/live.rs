//! The live contact center in the browser (R1 to R5): one tab of a workspace routes at a time
//! (a Web Lock decides which; the next tab takes over when it closes), ticking the simulated
//! center every second and storing what it changes like any other command.

use super::locks;
use super::state::AppState;
use chrono::Utc;
use leptos::prelude::*;
use taskdesk_domain::center::Center;
use taskdesk_domain::routing::{Decision, Millis, Presence};
use taskdesk_domain::simulator::SimSettings;
use taskdesk_domain::{TaskId, UserId};

/// Set to "paused" to start with the simulated traffic paused (the end-to-end tests of other
/// features do, so their counts stay put), or to a number to start at that speed.
pub const SIMULATOR_KEY: &str = "taskdesk.simulator";

/// Where routing runs for this workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingHere {
    /// Waiting to learn whether another tab routes.
    Starting,
    /// This tab routes.
    Here,
    /// Another tab routes; this one takes over if it closes.
    OtherTab,
}

/// The live center and what the screens show of it.
#[derive(Clone, Copy)]
pub struct Live {
    center: StoredValue<Option<Center>>,
    /// Where routing runs.
    pub role: RwSignal<RoutingHere>,
    /// Offers waiting for the person at the screen.
    pub offers: RwSignal<Vec<Decision>>,
    /// The person at the screen's presence.
    pub presence: RwSignal<Presence>,
    /// Bumped after every tick, so the board refreshes.
    pub rev: RwSignal<u64>,
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
        Live {
            center: StoredValue::new(None),
            role: RwSignal::new(RoutingHere::Starting),
            offers: RwSignal::new(Vec::new()),
            presence: RwSignal::new(Presence::Busy),
            rev: RwSignal::new(0),
            paused: RwSignal::new(false),
            speed: RwSignal::new(1),
        }
    }

    /// Reads the center, if this tab runs it.
    pub fn with<R>(&self, f: impl FnOnce(&Center) -> R) -> Option<R> {
        self.rev.track();
        self.center.with_value(|c| c.as_ref().map(f))
    }

    /// Changes the center, if this tab runs it.
    fn change<R>(&self, f: impl FnOnce(&mut Center) -> R) -> Option<R> {
        let mut out = None;
        self.center.update_value(|c| out = c.as_mut().map(f));
        out
    }

    /// Asks for the routing lock once the workspace is loaded; starts the center when granted.
    /// A tab that finds it taken says so and waits in line until the routing tab closes.
    pub fn start(self, state: AppState) {
        leptos::task::spawn_local(async move {
            let name = format!("taskdesk:{}:routing", state.database());
            // The lock is never released: it is held for the tab's life.
            if locks::acquire(&name, true).await.is_none() {
                self.role.try_set(RoutingHere::OtherTab);
                if locks::acquire(&name, false).await.is_none() {
                    return;
                }
            }
            self.run_here(state);
        });
    }

    fn run_here(self, state: AppState) {
        let start = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(SIMULATOR_KEY).ok().flatten()).unwrap_or_default();
        // Simulated traffic and colleagues are the local-only workspace's: with a server, the
        // colleagues' changes would be pushed in another person's name.
        self.paused.set(start == "paused" || state.sync.connected());
        self.speed.set(start.parse::<u32>().ok().filter(|s| (1..=1000).contains(s)).unwrap_or(1));
        self.new_center(state);
        self.role.set(RoutingHere::Here);
        let tick = gloo::timers::callback::Interval::new(1_000, move || self.tick(state));
        tick.forget();
    }

    /// A center for the user at the screen and the current set-up, keeping pause and speed.
    fn new_center(self, state: AppState) {
        let me = state.me.get_untracked();
        let settings = SimSettings { speed: self.speed.get_untracked(), ..SimSettings::default() };
        let center = state.ws.with_untracked(|ws| ws.as_ref().map(|ws| Center::new(ws, me, settings, clock())));
        if let Some(mut c) = center {
            c.set_paused(self.paused.get_untracked());
            self.center.set_value(Some(c));
            self.presence.set(Presence::Busy);
        }
    }

    /// Starts the center afresh for the user at the screen and the current set-up, if this tab
    /// routes (waiting work re-enters; offers to the previous user are dropped).
    pub fn restart(self, state: AppState) {
        if self.center.with_value(Option::is_some) {
            self.offers.set(Vec::new());
            self.new_center(state);
            self.rev.update(|r| *r += 1);
        }
    }

    fn tick(self, state: AppState) {
        let mut offers = Vec::new();
        let result = state.run_background(|ws| {
            let tick = self.change(|c| c.tick(ws, clock(), Utc::now())).transpose()?.unwrap_or_default();
            offers = tick.offers_to_me;
            Ok(tick.changes)
        });
        if let Err(e) = result {
            state.tell(format!("The contact center could not take in new work: {e}"), true);
        }
        // New offers join the pop-up; those that timed out or were handed on leave it.
        self.offers.update(|o| {
            o.extend(offers);
            o.retain(|d| self.center.with_value(|c| c.as_ref().is_some_and(|c| c.is_offered_to_me(d.task))));
        });
        self.rev.update(|r| *r += 1);
    }

    /// The person at the screen accepts or rejects an offer.
    pub fn answer(self, state: AppState, task: TaskId, accept: bool) {
        let mut problem = None;
        let _ = state.run_background(|ws| {
            Ok(match self.change(|c| c.answer(ws, task, accept, clock(), Utc::now())) {
                Some(Ok(changes)) => changes,
                Some(Err(e)) => {
                    problem = Some(e);
                    Vec::new()
                }
                None => Vec::new(),
            })
        });
        self.offers.update(|o| o.retain(|d| d.task != task));
        self.report(state, problem);
    }

    /// Shows a refusal, if any, and refreshes what shows the center.
    fn report(self, state: AppState, problem: Option<String>) {
        if let Some(p) = problem {
            state.tell(p, true);
        }
        self.rev.update(|r| *r += 1);
    }

    /// Changes the presence of the person at the screen.
    pub fn set_presence(self, state: AppState, presence: Presence) {
        let problem = self.change(|c| c.set_my_presence(presence, clock()).err()).flatten();
        if problem.is_none() {
            self.presence.set(presence);
        }
        if presence != Presence::Available {
            self.offers.set(Vec::new());
        }
        self.report(state, problem);
    }

    /// The person at the screen finishes wrap-up of a task.
    pub fn finish_wrap_up(self, state: AppState, task: TaskId) {
        let problem = self.change(|c| c.finish_wrap_up(task, clock()).err()).flatten();
        self.report(state, problem);
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

    /// A supervisor gives a task to an agent or moves it to another queue; `None` = reassign.
    pub fn supervise(self, state: AppState, task: TaskId, agent: Option<UserId>, queue: Option<String>) {
        let actor = state.me_user();
        let mut problem = None;
        let _ = state.run_background(|ws| {
            let result = self.change(|c| match (agent, &queue) {
                (Some(a), _) => c.reassign(ws, &actor, task, a, clock(), Utc::now()),
                (None, Some(q)) => c.transfer(ws, &actor, task, q, clock(), Utc::now()),
                (None, None) => Ok(None),
            });
            Ok(match result {
                Some(Ok(change)) => change.into_iter().collect(),
                Some(Err(e)) => {
                    problem = Some(e);
                    Vec::new()
                }
                None => {
                    problem = Some("Routing runs in another tab; reassign there.".to_string());
                    Vec::new()
                }
            })
        });
        if problem.is_none() {
            state.tell(if agent.is_some() { "Task reassigned." } else { "Task transferred." }, false);
        }
        self.report(state, problem);
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}
