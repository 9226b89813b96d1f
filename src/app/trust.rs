//! Trusted Types (W1): the app runs under `require-trusted-types-for 'script'`, where every HTML
//! string or script address handed to the browser must come through a policy. Leptos renders
//! the static parts of views from compiled-in strings through `innerHTML`; the page's default
//! policy admits exactly that kind of markup ([`is_app_markup`]) and refuses anything else. The
//! service worker's address goes through a policy named `taskdesk` that knows only that file.

use std::cell::Cell;
use taskdesk_safe_html::app_markup::is_app_markup;
use wasm_bindgen::prelude::*;

thread_local! {
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
}

fn trusted_types() -> Option<JsValue> {
    let tt = js_sys::Reflect::get(&js_sys::global(), &"trustedTypes".into()).ok()?;
    (!tt.is_undefined() && !tt.is_null()).then_some(tt)
}

fn create_policy(tt: &JsValue, name: &str, rules: &js_sys::Object) -> Option<JsValue> {
    let create = js_sys::Reflect::get(tt, &"createPolicy".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    create.call2(tt, &name.into(), rules).ok()
}

/// Installs the page's default policy once (a host page that has its own keeps it).
pub fn install() {
    if INSTALLED.replace(true) {
        return;
    }
    let Some(tt) = trusted_types() else { return };
    let existing = js_sys::Reflect::get(&tt, &"defaultPolicy".into()).unwrap_or(JsValue::NULL);
    if !existing.is_null() && !existing.is_undefined() {
        return;
    }
    let admit = Closure::<dyn Fn(String) -> JsValue>::new(|html: String| {
        if is_app_markup(&html) {
            JsValue::from_str(&html)
        } else {
            web_sys::console::warn_1(&"Taskdesk's Trusted Types policy refused markup it does not render itself.".into());
            JsValue::NULL
        }
    });
    let rules = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&rules, &"createHTML".into(), admit.as_ref());
    if create_policy(&tt, "default", &rules).is_some() {
        // The policy lives as long as the page.
        admit.forget();
    }
}

/// The service worker's address, as a TrustedScriptURL where the browser asks for one.
pub fn worker_url(path: &'static str) -> JsValue {
    let Some(tt) = trusted_types() else { return JsValue::from_str(path) };
    let only = Closure::<dyn Fn(String) -> JsValue>::new(move |url: String| if url == path { JsValue::from_str(&url) } else { JsValue::NULL });
    let rules = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&rules, &"createScriptURL".into(), only.as_ref());
    let trusted = create_policy(&tt, "taskdesk", &rules)
        .and_then(|policy| {
            let create = js_sys::Reflect::get(&policy, &"createScriptURL".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
            create.call1(&policy, &path.into()).ok()
        })
        .unwrap_or_else(|| JsValue::from_str(path));
    drop(only);
    trusted
}
