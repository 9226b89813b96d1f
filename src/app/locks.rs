//! Web Locks shared by the tabs of one browser: which tab uses which device record, which tab
//! syncs, which routes. A lock is held until released or until its tab closes, when the next
//! tab waiting for it gets it.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A Web Lock this tab holds.
pub struct HeldLock {
    release: js_sys::Function,
}

impl HeldLock {
    /// Lets the lock go to the next tab waiting for it.
    pub fn release(&self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

fn lock_manager() -> Option<(JsValue, js_sys::Function)> {
    let locks = js_sys::Reflect::get(&web_sys::window()?.navigator(), &"locks".into()).ok().filter(|l| !l.is_undefined())?;
    let request = js_sys::Reflect::get(&locks, &"request".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    Some((locks, request))
}

/// Whether this browser has Web Locks.
pub fn available() -> bool {
    lock_manager().is_some()
}

/// Takes the lock `name`: with `if_available`, `None` at once when another tab holds it;
/// otherwise waits in line until it is free. Without Web Locks (very old browsers) every lock
/// is granted, as there is no other tab to agree with.
pub async fn acquire(name: &str, if_available: bool) -> Option<HeldLock> {
    let Some((locks, request)) = lock_manager() else {
        return Some(HeldLock { release: js_sys::Function::new_no_args("") });
    };
    // `held` stays pending while the lock is ours; resolving it (release) frees the lock.
    let mut release = None;
    let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
    let release = release?;
    let mut answered = None;
    let granted = js_sys::Promise::new(&mut |resolve, _| answered = Some(resolve));
    let answered = answered?;
    let on_grant = Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        let _ = answered.call1(&JsValue::NULL, &JsValue::from_bool(!lock.is_null()));
        if lock.is_null() {
            js_sys::Promise::resolve(&JsValue::NULL)
        } else {
            held
        }
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::from_bool(if_available));
    // Whoever stops waiting in line (a widget that unmounts) withdraws the request, so a lock
    // granted later is not held by nobody. (A request that does not wait takes no signal.)
    let mut withdraw = Withdraw(if if_available { None } else { web_sys::AbortController::new().ok() });
    if let Some(controller) = &withdraw.0 {
        let _ = js_sys::Reflect::set(&options, &"signal".into(), &controller.signal());
    }
    let requested = request.call3(&locks, &name.into(), &options, &on_grant).ok()?;
    if let Ok(promise) = requested.dyn_into::<js_sys::Promise>() {
        // A withdrawn request rejects; that is expected, not an error to report.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
    let got = JsFuture::from(granted).await.ok()?.as_bool().unwrap_or(false);
    withdraw.0 = None;
    got.then_some(HeldLock { release })
}

/// Withdraws a lock request when dropped before it was answered.
struct Withdraw(Option<web_sys::AbortController>);

impl Drop for Withdraw {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}
