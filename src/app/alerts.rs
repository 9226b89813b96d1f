//! Alerts that reach an agent who is looking elsewhere (U1): system notifications where the
//! agent allowed them, the count of offers in the tab's title, and an optional sound for each
//! new offer. Reminders use the same notifications.

use super::live::Live;
use super::state::local_storage;
use super::{AppState, Route};
use leptos::prelude::*;
use std::collections::BTreeSet;
use taskdesk_domain::{Change, EntityKind, TaskId};
use wasm_bindgen::prelude::*;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// Whether notifications are allowed, refused or not asked yet; `None` where the browser (or an
/// embedding) has none.
pub fn permission() -> Option<NotificationPermission> {
    let has = js_sys::Reflect::has(&js_sys::global(), &"Notification".into()).unwrap_or(false);
    has.then(Notification::permission)
}

/// Asks the browser for notifications (it must follow a click); `then` hears the answer.
pub fn ask_permission(then: impl FnOnce(Option<NotificationPermission>) + 'static) {
    if let Ok(promise) = Notification::request_permission() {
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            then(permission());
        });
    }
}

/// A system notification; clicking it brings the tab forward and opens `task` when given.
pub fn notify(state: AppState, title: &str, body: &str, task: Option<TaskId>) {
    if permission() != Some(NotificationPermission::Granted) {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    if let Some(id) = task {
        options.set_tag(&id.to_string());
    }
    let Ok(note) = Notification::new_with_options(title, &options) else { return };
    if let Some(id) = task {
        let open = Closure::<dyn FnMut()>::new(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.focus();
            }
            state.navigate(Route::Task(id));
        });
        note.set_onclick(Some(open.as_ref().unchecked_ref()));
        // The notification keeps its handler as long as the browser shows it.
        open.forget();
    }
}

/// Whether a sound plays for each new offer (a choice kept on this device).
pub fn sound_on(state: AppState) -> bool {
    local_storage().and_then(|s| s.get_item(&state.saved_key("offer-sound")).ok().flatten()).is_some_and(|v| v == "on")
}

/// Turns the offer sound on or off.
pub fn set_sound(state: AppState, on: bool) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(&state.saved_key("offer-sound"), if on { "on" } else { "off" });
    }
    if on {
        chime();
    }
}

/// A short two-tone chime, made on the spot (no sound file to load).
fn chime() {
    let Ok(ctx) = web_sys::AudioContext::new() else { return };
    let now = ctx.current_time();
    for (i, freq) in [880.0f32, 1175.0].into_iter().enumerate() {
        let (Ok(tone), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else { return };
        tone.frequency().set_value(freq);
        let start = now + i as f64 * 0.16;
        let _ = gain.gain().set_value_at_time(0.0001, start);
        let _ = gain.gain().exponential_ramp_to_value_at_time(0.2, start + 0.02);
        let _ = gain.gain().exponential_ramp_to_value_at_time(0.0001, start + 0.15);
        let _ = tone.connect_with_audio_node(&gain).and_then(|_| gain.connect_with_audio_node(&ctx.destination()));
        let _ = tone.start_with_when(start);
        let _ = tone.stop_with_when(start + 0.16);
    }
    // A page may hold only a few audio contexts: this one is closed once the chime has played.
    gloo::timers::callback::Timeout::new(600, move || {
        let _ = ctx.close();
    })
    .forget();
}

fn hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// Work someone else gave the person at the screen (a supervisor's reassignment), read from the
/// changes that arrived from another tab or the server: told while the tab is hidden. An offer
/// the person accepted is their own change, so it is not told again.
pub fn assigned_elsewhere(state: AppState, changes: &[Change]) {
    if !hidden() {
        return;
    }
    let me = state.me.get_untracked();
    let given = changes.iter().filter(|c| c.kind == EntityKind::Task && c.actor != Some(me) && c.new_value("assignee").and_then(|v| v.as_str()) == Some(me.to_string().as_str()));
    for c in given {
        let id = TaskId(c.entity);
        let body = state.ws.with_untracked(|ws| ws.as_ref()?.task(id).filter(|t| t.status.is_open()).map(|t| format!("{} · {}", t.number, t.subject)));
        if let Some(body) = body {
            notify(state, "Assigned to you", &body, Some(id));
        }
    }
}

/// Follows the offers to the person at the screen: each new one is told to the host page (the
/// `offer` event), rings (when chosen) and, while the tab is hidden, shows a system notification;
/// the standalone app's title counts them.
pub fn watch_offers(state: AppState, live: Live) {
    let offers = Memo::new(move |_| {
        let (me, now) = (state.me.get(), live.now.get());
        state.ws.with(|ws| ws.as_ref().map(|w| w.offers_to(me, now).iter().map(|t| t.id).collect::<BTreeSet<_>>()).unwrap_or_default())
    });
    Effect::new(move |before: Option<BTreeSet<TaskId>>| {
        let now = offers.get();
        let new: Vec<TaskId> = now.difference(&before.unwrap_or_default()).copied().collect();
        for id in &new {
            super::events::offered(state, *id);
        }
        if !new.is_empty() && sound_on(state) {
            chime();
        }
        if hidden() {
            for id in new {
                let words = state.ws.with_untracked(|ws| {
                    ws.as_ref().and_then(|w| w.task(id)).map(|t| (format!("New {} for you", t.channel.label().to_lowercase()), format!("{} · {}", t.subject, t.queue.clone().unwrap_or_default())))
                });
                if let Some((title, body)) = words {
                    notify(state, &title, &body, Some(id));
                }
            }
        }
        now
    });
    if state.standalone() {
        Effect::new(move |_| {
            let n = offers.with(BTreeSet::len);
            if let Some(d) = web_sys::window().and_then(|w| w.document()) {
                d.set_title(&if n == 0 { "Taskdesk".to_string() } else { format!("({n}) Taskdesk: {} waiting", if n == 1 { "an offer" } else { "offers" }) });
            }
        });
    }
}
