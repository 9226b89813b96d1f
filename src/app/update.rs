//! The offline shell's update flow (O1): the app registers its service worker; when a new build
//! has installed beside the running one, the page says "A new version is ready" and reloads only
//! when the person presses "Reload", never under their hands.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How often the app asks whether a new build was deployed, besides each time it is shown.
const CHECK_EVERY_MS: u32 = 30 * 60 * 1000;

/// Whether a new build waits to take over.
#[derive(Clone, Copy)]
pub struct Update {
    /// A new version is installed and waiting.
    pub ready: RwSignal<bool>,
    registration: StoredValue<Option<web_sys::ServiceWorkerRegistration>, LocalStorage>,
}

impl Update {
    /// Registers the service worker and watches for new builds: the standalone app only (a
    /// widget's page belongs to its host).
    pub fn start(state: crate::app::AppState) -> Update {
        let update = Update { ready: RwSignal::new(false), registration: StoredValue::new_local(None) };
        if !state.standalone() {
            return update;
        }
        let life = state.life();
        let Some(container) = web_sys::window().map(|w| w.navigator().service_worker()).filter(|c| !JsValue::from(c).is_undefined()) else {
            return update;
        };
        leptos::task::spawn_local(async move {
            // Under Trusted Types the worker's address is a TrustedScriptURL.
            let register = js_sys::Reflect::get(&container, &"register".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            let Some(promise) = register.and_then(|f| f.call1(&container, &crate::app::trust::worker_url("/sw.js")).ok()).and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) else { return };
            // A browser that blocks service workers may answer with nothing at all.
            let Some(registration) = JsFuture::from(promise).await.ok().and_then(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>().ok()) else { return };
            update.registration.set_value(Some(registration.clone()));
            // A build that installed while the app was closed waits already.
            if registration.waiting().is_some() && container.controller().is_some() {
                update.ready.try_set(true);
            }
            let reg = registration.clone();
            let found = Closure::<dyn Fn()>::new(move || {
                let Some(installing) = reg.installing() else { return };
                let worker = installing.clone();
                let changed = Closure::<dyn Fn()>::new(move || {
                    let replacing = web_sys::window().and_then(|w| w.navigator().service_worker().controller()).is_some();
                    if worker.state() == web_sys::ServiceWorkerState::Installed && replacing {
                        update.ready.try_set(true);
                    }
                });
                installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
                changed.forget();
            });
            registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
            found.forget();
            let check = move || {
                if let Some(r) = update.registration.try_get_value().flatten() {
                    let _ = r.update();
                }
            };
            life.every(CHECK_EVERY_MS, check);
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                let shown = document.clone();
                life.listen(&document, "visibilitychange", move |_| {
                    if shown.visibility_state() == web_sys::VisibilityState::Visible {
                        check();
                    }
                });
            }
        });
        update
    }

    /// Lets the waiting build take over, then reloads once it has.
    pub fn apply(&self) {
        let Some(window) = web_sys::window() else { return };
        let container = window.navigator().service_worker();
        let reload = Closure::once_into_js(move || {
            let _ = web_sys::window().map(|w| w.location().reload());
        });
        container.set_oncontrollerchange(Some(reload.unchecked_ref()));
        match self.registration.get_value().and_then(|r| r.waiting()) {
            Some(waiting) => {
                let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
            }
            None => {
                let _ = window.location().reload();
            }
        }
    }
}
