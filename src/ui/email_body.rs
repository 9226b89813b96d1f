//! An email's HTML, sanitised and framed so nothing of it runs.

use crate::app::state::use_app;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// An email's HTML, sanitised and shown in a sandboxed frame (`mail-frame.html`, its only
/// script ours, which asks for the email) that runs nothing of the email and loads nothing
/// remote until the agent chooses "Load images".
#[component]
pub fn EmailBody(html: String, from: String) -> impl IntoView {
    let state = use_app();
    let load_images = RwSignal::new(false);
    let cleaned = Memo::new(move |_| taskdesk_safe_html::sanitize(&html, load_images.get()));
    let frame = NodeRef::<leptos::html::Iframe>::new();
    // The frame asks for its email once its page (ours) has loaded, and is answered once per
    // address it is given (a new theme or "Load images" gives a new one): a page the frame was
    // navigated to afterwards is never answered, and neither is a blank page on the way (a
    // rebuilt frame passes through about:blank).
    let answered = StoredValue::new(String::new());
    let asks = window_event_listener(leptos::ev::message, move |ev: web_sys::MessageEvent| {
        let Some(frame) = frame.try_get_untracked().flatten() else { return };
        let Some(window) = frame.content_window() else { return };
        let from_frame = ev.source().is_some_and(|s| JsValue::from(s) == JsValue::from(window.clone()));
        let asking = js_sys::Reflect::get(&ev.data(), &"taskdesk".into()).ok().and_then(|v| v.as_string()).as_deref() == Some("email-frame-ready");
        let address = frame.src();
        if !from_frame || !asking || answered.with_value(|a| *a == address) {
            return;
        }
        answered.set_value(address);
        let images = load_images.get_untracked();
        let theme = state.theme.get_untracked().key();
        let email = cleaned
            .with_untracked(|c| c.as_ref().ok().map(|clean| serde_json::json!({ "taskdesk": "email", "html": clean.html, "policy": taskdesk_safe_html::policy(images), "theme": theme }).to_string()));
        if let Some(Ok(message)) = email.map(|e| js_sys::JSON::parse(&e)) {
            // The frame's origin is opaque (sandboxed), so no origin can be named.
            let _ = window.post_message(&message, "*");
        }
    });
    on_cleanup(move || asks.remove());
    move || match cleaned.get() {
        Ok(clean) => {
            // The frame follows the app's colours (a new theme loads it afresh).
            let theme = state.theme.get().key();
            let blocked = clean.blocked_images;
            let images = load_images.get_untracked();
            // A different address when images are allowed, so the frame loads afresh.
            let src = format!("{}?images={images}&theme={theme}", state.asset("mail-frame.html"));
            view! {
                <div class="td-email">
                    <Show when=move || { blocked > 0 && !load_images.get() }>
                        <p class="td-images-blocked">
                            {if blocked == 1 { "1 remote image is blocked to protect your privacy. ".to_string() } else { format!("{blocked} remote images are blocked to protect your privacy. ") }}
                            <button type="button" class="td-button td-small" on:click=move |_| load_images.set(true)>"Load images"</button>
                        </p>
                    </Show>
                    <iframe
                        class="td-email-frame"
                        title=format!("Email from {from}")
                        sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"
                        referrerpolicy="no-referrer"
                        src=src
                        node_ref=frame
                    ></iframe>
                </div>
            }
            .into_any()
        }
        Err(why) => view! { <p class="td-field-error" role="alert">{format!("This email's formatting cannot be shown here ({why}).")}</p> }.into_any(),
    }
}
