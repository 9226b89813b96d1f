//! HTTP for the CouchDB adapter, with the browser's `fetch`: the server's session cookie goes
//! along (`credentials: "include"`), and a request that hangs is given up after a while, so a
//! server that stops answering reads as unreachable instead of freezing sync.

use crate::http::{basic_header, Http, Request, Response};
use crate::SyncError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long a request may take before it is given up.
const TIMEOUT_MS: u32 = 60_000;

/// `fetch`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fetch;

fn unreachable(e: JsValue) -> SyncError {
    let text = js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "no answer".into());
    SyncError::Unreachable(text)
}

impl Http for Fetch {
    async fn send(&self, request: Request) -> Result<Response, SyncError> {
        let window = web_sys::window().ok_or_else(|| SyncError::Unreachable("no window".into()))?;
        let init = web_sys::RequestInit::new();
        init.set_method(request.method.name());
        init.set_credentials(web_sys::RequestCredentials::Include);
        init.set_mode(web_sys::RequestMode::Cors);
        let headers = web_sys::Headers::new().map_err(unreachable)?;
        headers.set("accept", "application/json").map_err(unreachable)?;
        if let Some(body) = &request.body {
            headers.set("content-type", "application/json").map_err(unreachable)?;
            init.set_body(&JsValue::from_str(body));
        }
        if let Some((name, password)) = &request.basic {
            headers.set("authorization", &basic_header(name, password)).map_err(unreachable)?;
        }
        init.set_headers(&headers);
        let abort = web_sys::AbortController::new().map_err(unreachable)?;
        init.set_signal(Some(&abort.signal()));
        let timer = gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || abort.abort());
        let req = web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(unreachable)?;
        let answer = JsFuture::from(window.fetch_with_request(&req)).await;
        let response: web_sys::Response = answer.map_err(unreachable)?.dyn_into().map_err(unreachable)?;
        let text = JsFuture::from(response.text().map_err(unreachable)?).await.map_err(unreachable)?;
        drop(timer);
        Ok(Response { status: response.status(), body: text.as_string().unwrap_or_default() })
    }
}
