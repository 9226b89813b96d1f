//! An email's HTML, sanitised and framed so nothing of it runs.

use crate::app::state::use_app;
use leptos::prelude::*;

/// An email's HTML, sanitised and shown in a sandboxed frame (`mail-frame.html`, its only
/// script ours) that runs nothing of the email and loads nothing remote until the agent chooses
/// "Load images".
#[component]
pub fn EmailBody(html: String, from: String) -> impl IntoView {
    let state = use_app();
    let load_images = RwSignal::new(false);
    let cleaned = Memo::new(move |_| taskdesk_safe_html::sanitize(&html, load_images.get()));
    move || match cleaned.get() {
        Ok(clean) => {
            // The frame follows the app's colours (a new theme loads it afresh).
            let theme = state.theme.get().key();
            let blocked = clean.blocked_images;
            // The frame gets the email once, at its first load: if anything ever navigated it
            // away, nothing more is posted to whatever it became.
            let images = load_images.get_untracked();
            let email = serde_json::json!({ "taskdesk": "email", "html": clean.html, "policy": taskdesk_safe_html::policy(images), "theme": theme }).to_string();
            // A different address when images are allowed, so the frame loads afresh.
            let src = format!("{}?images={images}&theme={theme}", state.asset("mail-frame.html"));
            let posted = StoredValue::new(false);
            let show = move |ev: leptos::ev::Event| {
                if posted.get_value() {
                    return;
                }
                posted.set_value(true);
                let frame = event_target::<web_sys::HtmlIFrameElement>(&ev);
                if let (Some(window), Ok(message)) = (frame.content_window(), js_sys::JSON::parse(&email)) {
                    // The frame's origin is opaque (sandboxed), so no origin can be named.
                    let _ = window.post_message(&message, "*");
                }
            };
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
                        on:load=show
                    ></iframe>
                </div>
            }
            .into_any()
        }
        Err(why) => view! { <p class="td-field-error" role="alert">{format!("This email's formatting cannot be shown here ({why}).")}</p> }.into_any(),
    }
}
