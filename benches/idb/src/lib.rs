//! Benchmark entry points for the bench page: write realistic tasks to IndexedDB in batches
//! through the real store, and cold-load them into app state, timing each in the browser.
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{Task, Workspace};
use taskdesk_store::idb::IdbFactory;
use taskdesk_store::{schema, Batch, Store, StoreFactory};
use wasm_bindgen::prelude::*;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn tasks(count: usize) -> Vec<Task> {
    demo::sample_tasks(count, 9, Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap())
}

/// The same tasks as JSON text, for the peer to store as plain objects.
#[wasm_bindgen]
pub fn sample_tasks_json(count: usize) -> String {
    serde_json::to_string(&tasks(count)).unwrap_or_default()
}

/// Deletes the database, then writes `count` tasks in transactions of `batch` tasks; returns milliseconds.
#[wasm_bindgen]
pub async fn write_tasks(db: String, count: usize, batch: usize) -> Result<f64, JsValue> {
    let all = tasks(count);
    IdbFactory.delete(&db).await.map_err(|e| e.to_string())?;
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(|e| e.to_string())?;
    let start = now_ms();
    for chunk in all.chunks(batch.max(1)) {
        store.write(&Batch { tasks: chunk.to_vec(), ..Batch::default() }).await.map_err(|e| e.to_string())?;
    }
    let elapsed = now_ms() - start;
    IdbFactory.close(store);
    Ok(elapsed)
}

/// Opens the database anew and loads every task into app state (a [`Workspace`]); returns milliseconds.
#[wasm_bindgen]
pub async fn cold_load(db: String, expected: usize) -> Result<f64, JsValue> {
    let start = now_ms();
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(|e| e.to_string())?;
    let snap = store.load().await.map_err(|e| e.to_string())?;
    let ws = Workspace::from_records(Device::new(DeviceCode::from_random(1)), snap.tasks, snap.customers);
    let elapsed = now_ms() - start;
    IdbFactory.close(store);
    if ws.tasks.len() != expected {
        return Err(format!("loaded {} tasks, expected {expected}", ws.tasks.len()).into());
    }
    Ok(elapsed)
}
