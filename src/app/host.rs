//! Functions the host page calls (W1): a CRM embedding Taskdesk, or a backend adapter living in
//! the page, feeds interaction events through `window.Taskdesk.ingest(event)`.

use super::AppState;
use serde::Deserialize;
use taskdesk_domain::interaction::{Interaction, InteractionKind};
use taskdesk_domain::task::CallOutcome;
use wasm_bindgen::prelude::*;

/// An interaction event as the host page describes it.
#[derive(Debug, Deserialize)]
struct HostEvent {
    /// The interaction's id; further messages with the same id join the same task.
    id: String,
    /// `email`, `chat`, `sms`, `call`, `voicemail` or `web_callback`.
    kind: String,
    /// The customer's phone number or email address.
    contact: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    queue: Option<String>,
    /// For calls: `connected`, `no_answer`, `voicemail`, `machine_answered`, `rejected`, `failed`.
    #[serde(default)]
    outcome: Option<CallOutcome>,
}

fn interaction(e: HostEvent) -> Result<Interaction, String> {
    let kind = match e.kind.as_str() {
        "email" => InteractionKind::Email { subject: e.subject },
        "chat" => InteractionKind::Chat,
        "sms" => InteractionKind::Sms,
        "call" => InteractionKind::CallEnded(e.outcome.unwrap_or(CallOutcome::Connected)),
        "voicemail" => InteractionKind::Voicemail,
        "web_callback" => InteractionKind::WebCallback,
        other => return Err(format!("“{other}” is not a kind of interaction Taskdesk knows (email, chat, sms, call, voicemail, web_callback).")),
    };
    if e.id.trim().is_empty() || e.contact.trim().is_empty() {
        return Err("An interaction needs an id and a contact (phone number or email address).".into());
    }
    Ok(Interaction { id: e.id, kind, contact: e.contact, body: e.body, queue: e.queue, html: e.html })
}

fn ingest(state: AppState, event: JsValue) -> Result<String, String> {
    let text = js_sys::JSON::stringify(&event).ok().and_then(|s| s.as_string()).ok_or("The event must be a plain object.")?;
    let parsed: HostEvent = serde_json::from_str(&text).map_err(|e| format!("The event could not be read: {e}."))?;
    let event = interaction(parsed)?;
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

/// Puts `window.Taskdesk` on the page. `ingest(event)` returns the task's id, or throws an
/// Error whose message says in plain words what was wrong with the event.
pub fn expose(state: AppState) {
    let ingest_fn = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |event: JsValue| {
        ingest(state, event).map(JsValue::from).map_err(|m| js_sys::Error::new(&m).into())
    });
    let api = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&api, &"ingest".into(), ingest_fn.as_ref());
    ingest_fn.forget();
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"Taskdesk".into(), &api);
    }
}
