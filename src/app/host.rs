//! Functions the host page calls (W1): a CRM embedding Taskdesk, or a backend adapter living in
//! the page, feeds interaction events through `window.Taskdesk.ingest(event)`, and a page that
//! is the server itself hands over its `push` and `pull` with `window.Taskdesk.connectHost`.

use super::AppState;
use serde_json::Value;
use taskdesk_sync::host::HostFunctions;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use taskdesk_domain::interaction::Interaction;
use wasm_bindgen::prelude::*;

fn ingest(state: AppState, event: JsValue) -> Result<String, String> {
    let text = js_sys::JSON::stringify(&event).ok().and_then(|s| s.as_string()).ok_or("The event must be a plain object.")?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("The event could not be read: {e}."))?;
    let event = Interaction::from_json(&value)?;
    let mut task = None;
    state
        .run_all(|ws, _, now| {
            let done = ws.ingest(&event, now)?;
            task = Some(done.task);
            Ok(done.changes)
        })
        .map_err(|e| e.to_string())?;
    Ok(task.map(|t| t.to_string()).unwrap_or_default())
}

/// The page's `push` and `pull` (see [`taskdesk_sync::host`] for what they take and answer).
pub struct PageFunctions {
    push: js_sys::Function,
    pull: js_sys::Function,
}

fn message(e: JsValue) -> String {
    js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).or_else(|| e.as_string()).unwrap_or_else(|| "the page's function failed".into())
}

/// A value the page returned, awaited when it is a promise, as JSON.
async fn answer(value: JsValue) -> Result<Value, String> {
    let value = match value.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise).await.map_err(message)?,
        Err(plain) => plain,
    };
    let text = js_sys::JSON::stringify(&value).map_err(message)?.as_string().unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| format!("the page answered something that is not JSON ({e})"))
}

impl HostFunctions for PageFunctions {
    async fn push(&self, changes: Value) -> Result<Value, String> {
        let arg = js_sys::JSON::parse(&changes.to_string()).map_err(message)?;
        answer(self.push.call1(&JsValue::NULL, &arg).map_err(message)?).await
    }

    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Value, String> {
        let cursor = cursor.map_or(JsValue::NULL, JsValue::from_str);
        answer(self.pull.call2(&JsValue::NULL, &cursor, &JsValue::from_f64(limit as f64)).map_err(message)?).await
    }
}

fn page_functions(arg: &JsValue) -> Result<PageFunctions, String> {
    let get = |name: &str| js_sys::Reflect::get(arg, &name.into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (get("push"), get("pull")) {
        (Some(push), Some(pull)) => Ok(PageFunctions { push, pull }),
        _ => Err("connectHost needs an object with two functions, push(changes) and pull(cursor, limit).".into()),
    }
}

/// Puts `window.Taskdesk` on the page. `ingest(event)` returns the task's id, or throws an
/// Error whose message says in plain words what was wrong with the event. `connectHost({ push,
/// pull })` makes the page this workspace's server.
pub fn expose(state: AppState) {
    let ingest_fn = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |event: JsValue| {
        ingest(state, event).map(JsValue::from).map_err(|m| js_sys::Error::new(&m).into())
    });
    let connect_fn = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |arg: JsValue| {
        let functions = page_functions(&arg).map_err(|m| JsValue::from(js_sys::Error::new(&m)))?;
        Ok(wasm_bindgen_futures::future_to_promise(async move {
            super::sync::connect_host(state, functions).await.map(|_| JsValue::UNDEFINED).map_err(|m| js_sys::Error::new(&m).into())
        })
        .into())
    });
    let api = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&api, &"ingest".into(), ingest_fn.as_ref());
    let _ = js_sys::Reflect::set(&api, &"connectHost".into(), connect_fn.as_ref());
    ingest_fn.forget();
    connect_fn.forget();
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"Taskdesk".into(), &api);
    }
}
