//! The keyboard (U1): the shortcuts of `palette::shortcut`, the commands the palette and the
//! shortcuts share, and focus that follows the work (a new screen's heading, a form's first
//! field, the first field in error).

use super::{live, AppState, Route};
use leptos::prelude::*;
use taskdesk_domain::lifecycle::{self, StatusAction};
use taskdesk_domain::palette::{self, Shortcut, Target};
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::TaskId;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// What the keyboard opens over the screen.
#[derive(Clone, Copy)]
pub struct Overlays {
    /// The command palette (Ctrl+K).
    pub palette: RwSignal<bool>,
    /// The list of shortcuts (`?`).
    pub help: RwSignal<bool>,
}

/// The overlays of the app in view.
pub fn use_overlays() -> Overlays {
    expect_context::<Overlays>()
}

/// The task on screen, if any.
pub fn open_task(state: AppState) -> Option<TaskId> {
    match state.route.get_untracked() {
        Route::Task(id) | Route::EditTask(id) => Some(id),
        _ => None,
    }
}

/// Changes a task's status as its button would, saying why when it cannot.
pub fn change_status(state: AppState, id: TaskId, action: StatusAction) {
    if let Err(e) = state.run(|ws, me, now| ws.change_status(me, id, action, now).map(Some)) {
        state.tell(e.to_string(), true);
    }
}

/// Does what a palette entry (or a shortcut) says.
pub fn run(state: AppState, target: Target) {
    match target {
        Target::Screen(screen) => state.navigate(Route::of_screen(screen)),
        Target::Task(id) => state.navigate(Route::Task(id)),
        Target::Customer(id) => state.navigate(Route::Customer(id)),
        Target::NewTask => state.navigate(Route::NewTask(None)),
        Target::NewCustomer => state.navigate(Route::NewCustomer(None)),
        Target::EditTask(id) => state.navigate(Route::EditTask(id)),
        Target::Status(id, action) => change_status(state, id, action),
        Target::Presence(presence) => live::set_presence(state, presence),
    }
}

/// The element a key press started from, inside a shadow root too.
fn origin(ev: &web_sys::KeyboardEvent) -> Option<Element> {
    ev.composed_path().get(0).dyn_into::<Element>().ok()
}

fn typing_in(el: Option<&Element>) -> bool {
    el.is_some_and(|el| matches!(el.local_name().as_str(), "input" | "textarea" | "select") || el.dyn_ref::<HtmlElement>().is_some_and(|h| h.is_content_editable()))
}

fn within(state: AppState, selector: &str) -> Vec<HtmlElement> {
    let Some(root) = state.root() else { return Vec::new() };
    let Ok(found) = root.query_selector_all(selector) else { return Vec::new() };
    (0..found.length()).filter_map(|i| found.get(i)?.dyn_into::<HtmlElement>().ok()).collect()
}

/// Focuses `el`; the browser scrolls it into view.
fn focus(el: &HtmlElement) {
    let _ = el.focus();
}

/// After the screen has rendered.
fn after_render(f: impl FnOnce() + 'static) {
    request_animation_frame(f);
}

/// Moves focus into a new screen: a form's first field, otherwise its heading (so a keyboard
/// or screen reader user starts there instead of at the top of the page).
pub fn focus_screen(state: AppState) {
    let form = matches!(state.route.get_untracked(), Route::NewTask(_) | Route::EditTask(_) | Route::NewCustomer(_) | Route::EditCustomer(_));
    after_render(move || {
        let first_field = || within(state, "main form input:not([type=hidden]), main form select, main form textarea").into_iter().next();
        let target = if form { first_field() } else { None }.or_else(|| within(state, "main h1").into_iter().next());
        if let Some(el) = target {
            if el.local_name() == "h1" {
                let _ = el.set_attribute("tabindex", "-1");
            }
            focus(&el);
        }
    });
}

/// After a save that found problems: the first field in error takes focus.
pub fn focus_first_error(state: AppState) {
    after_render(move || {
        if let Some(el) = within(state, "main [aria-invalid=true]").into_iter().next() {
            focus(&el);
        }
    });
}

/// Moves focus to the next (or previous) row of the list on screen.
fn step_rows(state: AppState, from: Option<&Element>, forward: bool) -> bool {
    let rows = within(state, "main tr[tabindex='0']");
    if rows.is_empty() {
        return false;
    }
    let at = from.and_then(|el| rows.iter().position(|r| r.contains(Some(el))));
    let next = match (at, forward) {
        (None, _) => 0,
        (Some(i), true) => (i + 1).min(rows.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
    };
    focus(&rows[next]);
    true
}

fn search_queue(state: AppState) {
    if state.route.get_untracked() != Route::Queue {
        state.navigate(Route::Queue);
    }
    after_render(move || {
        if let Some(el) = within(state, "main input.td-search").into_iter().next() {
            focus(&el);
        }
    });
}

/// Escape: the list a screen belongs to.
fn back(state: AppState) {
    let to = match state.route.get_untracked() {
        Route::Task(_) | Route::NewTask(None) => Some(Route::Queue),
        Route::EditTask(id) => Some(Route::Task(id)),
        Route::NewTask(Some(c)) | Route::EditCustomer(c) => Some(Route::Customer(c)),
        Route::Customer(_) | Route::NewCustomer(_) => Some(Route::Customers),
        Route::Fields => Some(Route::Settings),
        _ => None,
    };
    if let Some(route) = to {
        state.navigate(route);
    }
}

fn on_key(state: AppState, overlays: Overlays, ev: web_sys::KeyboardEvent) {
    if ev.default_prevented() || ev.is_composing() {
        return;
    }
    let from = origin(&ev);
    let typing = typing_in(from.as_ref());
    let Some(shortcut) = palette::shortcut(&ev.key(), ev.ctrl_key() || ev.meta_key(), ev.alt_key(), typing) else { return };
    let on_row = from.as_ref().is_some_and(|el| el.local_name() == "tr");
    let me = state.me_user();
    let handled = match shortcut {
        Shortcut::Palette => {
            overlays.help.set(false);
            overlays.palette.set(true);
            true
        }
        Shortcut::Help => {
            overlays.help.update(|open| *open = !*open);
            true
        }
        Shortcut::Back if overlays.help.get_untracked() => {
            overlays.help.set(false);
            true
        }
        Shortcut::Back => {
            back(state);
            true
        }
        Shortcut::Search => {
            search_queue(state);
            true
        }
        // The arrows move between rows only from a row, so they still scroll the page elsewhere.
        Shortcut::Next if on_row || ev.key() == "j" => step_rows(state, from.as_ref(), true),
        Shortcut::Previous if on_row || ev.key() == "k" => step_rows(state, from.as_ref(), false),
        Shortcut::Next | Shortcut::Previous => false,
        Shortcut::NewTask if permission::allows(&me, Permission::Create) => {
            state.navigate(Route::NewTask(None));
            true
        }
        Shortcut::NewTask => false,
        Shortcut::Edit => match state.route.get_untracked() {
            Route::Task(id) => {
                state.navigate(Route::EditTask(id));
                true
            }
            Route::Customer(id) => {
                state.navigate(Route::EditCustomer(id));
                true
            }
            _ => false,
        },
        Shortcut::Offer => match within(state, ".td-offer .td-primary").into_iter().next() {
            Some(accept) => {
                focus(&accept);
                true
            }
            None => false,
        },
        Shortcut::Resolve => match state.route.get_untracked() {
            Route::Task(id) => {
                let allowed = state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| w.task(id)).is_some_and(|t| lifecycle::actions(t.channel, t.status).contains(&StatusAction::Resolve)));
                if allowed {
                    change_status(state, id, StatusAction::Resolve);
                } else {
                    state.tell("This task cannot be resolved from here: a call resolves itself when it connects, and a resolved task is done.", false);
                }
                true
            }
            _ => false,
        },
    };
    if handled {
        ev.prevent_default();
    }
}

/// Listens to the keyboard while the app is mounted: on the whole page for the standalone app,
/// inside the widget only for an embedded one (a host's own keys stay the host's).
pub fn install(state: AppState, overlays: Overlays, root: &web_sys::EventTarget) {
    let listener = move |ev: web_sys::Event| {
        if let Ok(ev) = ev.dyn_into::<web_sys::KeyboardEvent>() {
            on_key(state, overlays, ev);
        }
    };
    let life = state.life();
    match (state.standalone(), web_sys::window().and_then(|w| w.document())) {
        (true, Some(document)) => life.listen(&document, "keydown", listener),
        _ => life.listen(root, "keydown", listener),
    }
}
