//! The events a host page hears (W1): `ready` (sent by [`AppState::start`]), `task-opened`,
//! `task-created`, `task-resolved`, `offer` and `sync-state`. Tasks created or resolved count
//! where it happened (in this widget), so a CRM with the widget open in two tabs hears of each
//! once; offers and the sync state are what this widget shows.

use super::{AppState, Route};
use leptos::prelude::*;
use taskdesk_domain::embed;
use taskdesk_domain::{Change, TaskId};

fn tell_task(state: AppState, name: &str, id: TaskId) {
    let detail = state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| embed::task_detail(w, id)));
    if let Some(detail) = detail {
        state.emit(name, detail);
    }
}

/// After changes made here were applied: tasks created and resolved.
pub fn made_here(state: AppState, changes: &[Change]) {
    for (name, id) in embed::task_events(changes) {
        tell_task(state, name, id);
    }
}

/// A new offer to the person at the screen (told by [`super::alerts::watch_offers`], which
/// follows them once for the host page and for the person).
pub fn offered(state: AppState, id: TaskId) {
    if let Some(detail) = state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| embed::offer_detail(w, id))) {
        state.emit("offer", detail);
    }
}

/// Follows what the screens show: the task opened and the sync state.
pub fn watch(state: AppState) {
    Effect::new(move |_| {
        if let Route::Task(id) = state.route.get() {
            tell_task(state, "task-opened", id);
        }
    });
    let shown = Memo::new(move |_| state.sync.shown());
    Effect::new(move |_| {
        let status = shown.get();
        state.emit("sync-state", serde_json::json!({ "text": status.words(|ms| super::format::clock_time(&*state.zone(), ms)), "waiting": status.waiting, "refused": status.refused, "attention": status.needs_attention() }));
    });
}
