//! The live contact center in the browser (R1 to R5): one tab of a workspace routes at a time
//! (a Web Lock decides which; the next tab takes over when it closes), ticking the simulated
//! center every second and storing what it changes like any other command.

use super::state::AppState;
use chrono::Utc;
use leptos::prelude::*;
use taskdesk_domain::center::Center;
use taskdesk_domain::routing::{Decision, Millis, Presence};
use taskdesk_domain::simulator::SimSettings;
use taskdesk_domain::{TaskId, UserId};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const LOCK: &str = "taskdesk-routing";
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

    /// Asks for the routing lock once the workspace is loaded; starts the center when granted.
    pub fn start(self, state: AppState) {
        let granted = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |lock: JsValue| {
            if lock.is_null() {
                // Another tab holds it: wait in line (a request without ifAvailable queues).
                self.role.set(RoutingHere::OtherTab);
                self.request(state, false);
            } else {
                self.run_here(state);
            }
            // Held for the tab's life: a promise that never settles keeps the lock.
            js_sys::Promise::new(&mut |_, _| {})
        });
        self.ask(granted, true);
    }

    fn request(self, state: AppState, if_available: bool) {
        let granted = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |_lock: JsValue| {
            self.run_here(state);
            js_sys::Promise::new(&mut |_, _| {})
        });
        self.ask(granted, if_available);
    }

    fn ask(self, granted: Closure<dyn FnMut(JsValue) -> js_sys::Promise>, if_available: bool) {
        let locks = web_sys::window().and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok()).filter(|l| !l.is_undefined());
        let request = locks.as_ref().and_then(|l| js_sys::Reflect::get(l, &"request".into()).ok()).and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match (locks, request) {
            (Some(locks), Some(request)) => {
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::from_bool(if_available));
                let _ = request.call3(&locks, &LOCK.into(), &options, granted.as_ref().unchecked_ref());
                granted.forget();
            }
            // No Web Locks (very old browsers): route here.
            _ => {
                let _ = granted;
            }
        }
    }

    fn run_here(self, state: AppState) {
        let start = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(SIMULATOR_KEY).ok().flatten()).unwrap_or_default();
        self.paused.set(start == "paused");
        self.speed.set(start.parse::<u32>().ok().filter(|s| (1..=1000).contains(s)).unwrap_or(1));
        self.run_here_again(state);
        self.role.set(RoutingHere::Here);
        let tick = gloo::timers::callback::Interval::new(1_000, move || self.tick(state));
        tick.forget();
    }

    fn tick(self, state: AppState) {
        let mut offers = Vec::new();
        let result = state.run_background(|ws| {
            let mut out = Ok(Vec::new());
            self.center.update_value(|c| {
                if let Some(c) = c.as_mut() {
                    out = c.tick(ws, clock(), Utc::now()).map(|t| {
                        offers = t.offers_to_me;
                        t.changes
                    });
                }
            });
            out
        });
        if let Err(e) = result {
            state.tell(format!("The contact center could not take in new work: {e}"), true);
        }
        if !offers.is_empty() {
            self.offers.update(|o| o.extend(offers));
        }
        // Offers that timed out or were handed on leave the pop-up.
        let mine = self.center.with_value(|c| c.as_ref().map(|c| (c.me(), c.router.tasks().filter_map(|t| t.state.holder().map(|h| (t.arrival.task, h, t.state))).collect::<Vec<_>>())));
        if let Some((me, held)) = mine {
            self.offers.update(|o| o.retain(|d| held.iter().any(|(t, h, s)| *t == d.task && *h == me && matches!(s, taskdesk_domain::routing::TaskState::Reserved { .. }))));
        }
        self.rev.update(|r| *r += 1);
    }

    /// The person at the screen accepts or rejects an offer.
    pub fn answer(self, state: AppState, task: TaskId, accept: bool) {
        let mut problem = None;
        let _ = state.run_background(|ws| {
            let mut changes = Vec::new();
            self.center.update_value(|c| {
                if let Some(c) = c.as_mut() {
                    match c.answer(ws, task, accept, clock(), Utc::now()) {
                        Ok(ch) => changes = ch,
                        Err(e) => problem = Some(e),
                    }
                }
            });
            Ok(changes)
        });
        self.offers.update(|o| o.retain(|d| d.task != task));
        if let Some(p) = problem {
            state.tell(p, true);
        }
        self.rev.update(|r| *r += 1);
    }

    /// Changes the presence of the person at the screen.
    pub fn set_presence(self, state: AppState, presence: Presence) {
        let mut problem = None;
        self.center.update_value(|c| {
            if let Some(c) = c.as_mut() {
                problem = c.set_my_presence(presence, clock()).err();
            }
        });
        match problem {
            Some(p) => state.tell(p, true),
            None => self.presence.set(presence),
        }
        if presence != Presence::Available {
            self.offers.set(Vec::new());
        }
        self.rev.update(|r| *r += 1);
    }

    /// The person at the screen finishes wrap-up of a task.
    pub fn finish_wrap_up(self, state: AppState, task: TaskId) {
        let mut problem = None;
        self.center.update_value(|c| {
            if let Some(c) = c.as_mut() {
                problem = c.finish_wrap_up(task, clock()).err();
            }
        });
        if let Some(p) = problem {
            state.tell(p, true);
        }
        self.rev.update(|r| *r += 1);
    }

    /// Pauses or resumes the simulated traffic.
    pub fn set_paused(self, paused: bool) {
        self.center.update_value(|c| {
            if let Some(c) = c.as_mut() {
                c.set_paused(paused);
            }
        });
        self.paused.set(paused);
    }

    /// Sets how many times faster than real time the traffic runs.
    pub fn set_speed(self, speed: u32) {
        self.center.update_value(|c| {
            if let Some(c) = c.as_mut() {
                let settings = SimSettings { speed, ..c.settings().clone() };
                c.set_settings(settings, clock());
            }
        });
        self.speed.set(speed);
    }

    /// A supervisor gives a task to an agent or moves it to another queue; `None` = reassign.
    pub fn supervise(self, state: AppState, task: TaskId, agent: Option<UserId>, queue: Option<String>) {
        let actor = state.me_user();
        let mut problem = None;
        let _ = state.run_background(|ws| {
            let mut changes = Vec::new();
            self.center.update_value(|c| {
                let Some(c) = c.as_mut() else {
                    problem = Some("Routing runs in another tab; reassign there.".to_string());
                    return;
                };
                let result = match (agent, &queue) {
                    (Some(a), _) => c.reassign(ws, &actor, task, a, clock(), Utc::now()),
                    (None, Some(q)) => c.transfer(ws, &actor, task, q, clock(), Utc::now()),
                    (None, None) => Ok(None),
                };
                match result {
                    Ok(ch) => changes.extend(ch),
                    Err(e) => problem = Some(e),
                }
            });
            Ok(changes)
        });
        match problem {
            Some(p) => state.tell(p, true),
            None => state.tell(if agent.is_some() { "Task reassigned." } else { "Task transferred." }, false),
        }
        self.rev.update(|r| *r += 1);
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

/// Starts the center afresh for the user at the screen and the current set-up, if this tab
/// routes (waiting work re-enters; offers to the previous user are dropped).
pub fn restart(live: Live, state: AppState) {
    if live.center.with_value(Option::is_some) {
        live.offers.set(Vec::new());
        live.run_here_again(state);
        live.rev.update(|r| *r += 1);
    }
}

impl Live {
    fn run_here_again(self, state: AppState) {
        let paused = self.paused.get_untracked();
        let me = state.me.get_untracked();
        let center = state.ws.with_untracked(|ws| ws.as_ref().map(|ws| Center::new(ws, me, SimSettings { speed: self.speed.get_untracked(), ..SimSettings::default() }, clock())));
        if let Some(mut c) = center {
            c.set_paused(paused);
            self.center.set_value(Some(c));
            self.presence.set(Presence::Busy);
        }
    }
}
