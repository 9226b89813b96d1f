//! What a page's script drives (W1): `mount` puts Taskdesk into an element of a host page,
//! `mount_standalone` makes it the whole page; both give a [`Desk`], the handle `embed.js`
//! wraps as `TaskDesk.mount`, `<task-desk>` and the framed widget. Several desks live side by
//! side in one page, each with its own state, database, locks and timers.

use crate::app::live::Live;
use crate::app::state::{AppState, Mount, DATABASE};
use crate::app::{host, sync, Route};
use crate::ui::shell::App;
use leptos::prelude::*;
use serde_json::Value;
use taskdesk_domain::embed::{self, CustomerRef, NewTask};
use taskdesk_domain::TaskId;
use wasm_bindgen::prelude::*;

/// A mounted Taskdesk.
#[wasm_bindgen]
pub struct Desk {
    state: AppState,
    live: Live,
    mounted: Option<Box<dyn std::any::Any>>,
}

fn error(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

/// A value from the page as JSON (functions left out, as `JSON.stringify` does).
fn json_of(value: &JsValue, what: &str) -> Result<Value, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    let text = js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).ok_or_else(|| error(format!("{what} could not be read as plain data.")))?;
    serde_json::from_str(&text).map_err(|e| error(format!("{what} could not be read: {e}.")))
}

/// The options, read and checked; the host backend's functions taken from the object itself.
fn read_options(options: &JsValue) -> Result<(embed::Options, Option<host::PageFunctions>), JsError> {
    let read = embed::Options::from_json(&json_of(options, "The options")?).map_err(error)?;
    let functions = match read.backend {
        Some(embed::Backend::Host) => {
            let backend = js_sys::Reflect::get(options, &"backend".into()).unwrap_or(JsValue::UNDEFINED);
            Some(host::page_functions(&backend).map_err(error)?)
        }
        _ => None,
    };
    Ok((read, functions))
}

fn start(target: web_sys::HtmlElement, mount: Mount) -> Desk {
    crate::console_error_panic_hook_lite();
    crate::app::trust::install();
    let made = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = made.clone();
    let handle = leptos::mount::mount_to(target, move || {
        let state = AppState::new(mount);
        let live = Live::new();
        out.set(Some((state, live)));
        view! { <App state=state live=live /> }
    });
    let (state, live) = made.take().expect("mount_to runs the view at once");
    Desk { state, live, mounted: Some(Box::new(handle)) }
}

/// Mounts the standalone app on the page's body: it owns the page and its address bar.
/// `events(name, detailJson)` hears what happens, as a widget's host would.
#[wasm_bindgen(js_name = mountStandalone)]
pub fn mount_standalone(events: js_sys::Function, base: String) -> Result<Desk, JsError> {
    let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()).ok_or_else(|| error("This page has no body to show Taskdesk in."))?;
    Ok(start(body, Mount { events: Some(events), base, ..Mount::standalone() }))
}

/// Checks a host page's options without mounting anything.
#[wasm_bindgen(js_name = checkOptions)]
pub fn check_options(options: JsValue) -> Result<(), JsError> {
    read_options(&options).map(|_| ())
}

/// Mounts a widget into `target` (an element of the host page, usually inside a shadow root).
/// `events(name, detailJson)` hears what happens; `base` is where the app's files are served
/// from. Bad options throw before anything is made.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, options: JsValue, events: js_sys::Function, base: String) -> Result<Desk, JsError> {
    let (options, host) = read_options(&options)?;
    let database = options.database.clone().unwrap_or_else(|| DATABASE.to_string());
    Ok(start(target, Mount { database, standalone: false, options, host, events: Some(events), base }))
}

#[wasm_bindgen]
impl Desk {
    fn live_state(&self) -> Result<AppState, JsError> {
        if self.mounted.is_none() {
            return Err(error("This Taskdesk was unmounted; mount it again to use it."));
        }
        Ok(self.state)
    }

    fn loaded(&self) -> Result<AppState, JsError> {
        let state = self.live_state()?;
        if state.ws.with_untracked(Option::is_none) {
            return Err(error("Taskdesk is still loading its workspace; wait for the ready event."));
        }
        Ok(state)
    }

    /// Unmounts: the view goes, and timers, listeners, locks, the tab channel and the database
    /// connection are let go (writes still queued land first). Calling it again does nothing.
    pub fn unmount(&mut self) {
        if let Some(handle) = self.mounted.take() {
            self.state.life().end();
            drop(handle);
        }
    }

    /// Changes some options of a mounted desk: user, theme, backend, simulator.
    pub fn configure(&self, options: JsValue) -> Result<(), JsError> {
        let state = self.live_state()?;
        let (options, host) = read_options(&options)?;
        if options.database.is_some() {
            return Err(error("The database is chosen when mounting; unmount and mount again to use another."));
        }
        if let Some(theme) = options.theme {
            state.theme.set(theme);
        }
        if let Some(on) = options.simulator {
            state.simulator.set(on);
            self.live.set_paused(!on);
        }
        if let Some(person) = options.user {
            let id = person.id();
            state.vouched.set(Some(person));
            state.admit_vouched();
            state.me.set(id);
        }
        if options.backend.is_some() {
            let backend = options.backend;
            leptos::task::spawn_local(async move {
                if let Err(e) = sync::choose(state, backend, host).await {
                    state.tell(e, true);
                }
            });
        }
        Ok(())
    }

    /// Opens a task by its id or its number (like K7Q2X-42).
    #[wasm_bindgen(js_name = openTask)]
    pub fn open_task(&self, id_or_number: &str) -> Result<(), JsError> {
        let state = self.loaded()?;
        let wanted = id_or_number.trim();
        let found = state.ws.with_untracked(|ws| {
            let ws = ws.as_ref()?;
            TaskId::parse(wanted).filter(|id| ws.task(*id).is_some_and(|t| !t.deleted)).or_else(|| ws.tasks.values().find(|t| !t.deleted && t.number.eq_ignore_ascii_case(wanted)).map(|t| t.id))
        });
        let id = found.ok_or_else(|| error(format!("No task has the id or number “{wanted}”.")))?;
        state.navigate(Route::Task(id));
        Ok(())
    }

    /// Creates a task as the person at the screen, checked as the task form checks it, and opens
    /// it; returns its id.
    #[wasm_bindgen(js_name = createTask)]
    pub fn create_task(&self, input: JsValue) -> Result<String, JsError> {
        let state = self.loaded()?;
        let asked = NewTask::from_json(&json_of(&input, "createTask's argument")?).map_err(error)?;
        let checked = state.ws.with_untracked(|ws| ws.as_ref().map(|w| asked.check(w, &*state.zone()))).ok_or_else(|| error("The workspace is not loaded."))?;
        let input = checked.map_err(error)?;
        let change = state.run(|ws, me, now| ws.create_task(me, input, now).map(Some)).map_err(|e| error(e.to_string()))?;
        let id = change.map(|c| TaskId(c.entity)).ok_or_else(|| error("The task could not be created."))?;
        state.navigate(Route::Task(id));
        Ok(id.to_string())
    }

    /// A screen pop: opens the customer with this phone number or email address (their page lists
    /// their open tasks), or the new-customer form filled in with it.
    #[wasm_bindgen(js_name = screenPop)]
    pub fn screen_pop(&self, who: JsValue) -> Result<(), JsError> {
        let state = self.loaded()?;
        let wanted = CustomerRef::from_json(&json_of(&who, "screenPop's argument")?, "screenPop's argument").map_err(error)?;
        let found = state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| wanted.find(w)).map(|c| c.id));
        state.navigate(match (found, wanted) {
            (Some(id), _) => Route::Customer(id),
            (None, CustomerRef::Phone(contact) | CustomerRef::Email(contact)) => Route::NewCustomer(Some(contact)),
            (None, CustomerRef::Id(id)) => return Err(error(format!("No customer has the id {id}."))),
        });
        Ok(())
    }

    /// Takes in an interaction event (the same fields as an integration's); returns the task's id.
    pub fn ingest(&self, event: JsValue) -> Result<String, JsError> {
        host::ingest(self.loaded()?, event).map_err(error)
    }
}
