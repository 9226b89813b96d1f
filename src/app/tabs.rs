//! Tabs of one browser working on the same workspace (O4). Each tab stamps and numbers with a
//! device record of its own (held with a Web Lock, so two tabs never hand out the same task
//! number or stamp); every change a tab stores is broadcast to the others, which apply it at
//! once; the syncing tab shares the sync state; and a tab that opens a newer version of the
//! database makes the older ones step aside instead of hanging.

use super::locks::{self, HeldLock};
use super::state::AppState;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::Change;
use taskdesk_sync::status::SyncStatus;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What one tab tells the others.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum TabMessage {
    /// Changes just stored (made in that tab, or pulled by the syncing tab).
    Changes(Vec<Change>),
    /// The syncing tab's sync state.
    Sync(SyncStatus),
    /// A change waits for the server: the syncing tab should push soon.
    Outbox,
    /// The connection to the server changed (connected, disconnected, signed in).
    Connection,
    /// The stored workspace was replaced (the server's taken, the demo reset): read it again.
    Reload,
}

/// This tab's link to the other tabs of the same workspace.
pub struct Tabs {
    channel: web_sys::BroadcastChannel,
    _listener: Closure<dyn Fn(web_sys::MessageEvent)>,
    /// The lock on this tab's device record.
    pub device_lock: Option<HeldLock>,
}

impl Tabs {
    /// Opens the channel of the workspace in database `name`; messages go to `on_message`.
    pub fn open(name: &str, device_lock: Option<HeldLock>, on_message: impl Fn(TabMessage) + 'static) -> Option<Tabs> {
        let channel = web_sys::BroadcastChannel::new(&format!("taskdesk:{name}")).ok()?;
        let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(m) = e.data().as_string().and_then(|t| serde_json::from_str(&t).ok()) {
                on_message(m);
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Tabs { channel, _listener: listener, device_lock })
    }

    /// Tells every other tab.
    pub fn send(&self, message: &TabMessage) {
        if let Ok(text) = serde_json::to_string(message) {
            let _ = self.channel.post_message(&JsValue::from_str(&text));
        }
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
        if let Some(lock) = &self.device_lock {
            lock.release();
        }
    }
}

/// The lock name of a device record of a workspace.
fn device_lock_name(database: &str, code: &DeviceCode) -> String {
    format!("taskdesk:{database}:device:{code}")
}

/// Picks this tab's device: the first stored one no other tab holds, or a new one.
pub async fn claim_device(database: &str, stored: &[Device]) -> (Device, Option<HeldLock>) {
    for device in stored {
        if let Some(lock) = locks::acquire(&device_lock_name(database, &device.code), true).await {
            return (device.clone(), Some(lock));
        }
    }
    loop {
        let device = new_device();
        if stored.iter().any(|d| d.code == device.code) {
            continue;
        }
        let lock = locks::acquire(&device_lock_name(database, &device.code), true).await;
        if lock.is_some() || !locks::available() {
            return (device, lock);
        }
    }
}

/// A device with a random code.
pub fn new_device() -> Device {
    let bits = (js_sys::Math::random() * 4_294_967_296.0) as u64 ^ ((js_sys::Math::random() * 1_048_576.0) as u64) << 32;
    Device::new(DeviceCode::from_random(bits))
}

/// When another tab opens a newer version of the database, this tab closes its connection (so
/// the other is not blocked) and tells the person to reload.
pub fn step_aside_for_newer_versions(state: AppState, db: web_sys::IdbDatabase) {
    let handle = db.clone();
    let on_change = Closure::<dyn Fn()>::new(move || {
        handle.close();
        state.newer_version.try_set(true);
    });
    db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    state.life().on_end(move || {
        db.set_onversionchange(None);
        drop(on_change);
    });
}
