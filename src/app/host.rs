//! What the host page hands over (W1, O2): interaction events (`desk.ingest(event)`), and, for a
//! page that is the server itself, its `push` and `pull` functions (the `host` backend).

use super::AppState;
use serde_json::Value;
use taskdesk_domain::interaction::Interaction;
use taskdesk_sync::host::HostFunctions;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Takes in an interaction event from the page; returns the task's id.
pub fn ingest(state: AppState, event: JsValue) -> Result<String, String> {
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

/// The host backend's `push` and `pull`, from the object the page gave.
pub fn page_functions(arg: &JsValue) -> Result<PageFunctions, String> {
    let get = |name: &str| js_sys::Reflect::get(arg, &name.into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (get("push"), get("pull")) {
        (Some(push), Some(pull)) => Ok(PageFunctions { push, pull }),
        _ => Err("A host backend needs two functions, push(changes) and pull(cursor, limit).".into()),
    }
}
