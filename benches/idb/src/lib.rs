//! Benchmark entry points for the bench page: write realistic tasks to IndexedDB in batches
//! through the real store, and cold-load them into app state, timing each in the browser.
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use taskdesk_domain::change;
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{Change, EntityKind, Hlc, Task, Workspace};
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

/// Each task as the change record that creates it, as a first sync or an import brings it.
fn creations(tasks: &[Task]) -> Vec<Change> {
    tasks
        .iter()
        .enumerate()
        .map(|(n, t)| Change {
            stamp: Hlc { millis: 1_795_000_000_000 + n as u64, counter: 0, node: "BENCH".into() },
            actor: None,
            kind: EntityKind::Task,
            entity: t.id.0,
            fields: change::creation(t),
        })
        .collect()
}

/// Writes changes through the real store in transactions of `batch`.
async fn write_in_batches(store: &impl Store, changes: Vec<Change>, batch: usize) -> Result<(), JsValue> {
    for chunk in changes.chunks(batch.max(1)) {
        store.write(&Batch { changes: chunk.to_vec(), ..Batch::default() }).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Deletes the database, then writes `count` tasks in transactions of `batch` tasks; returns
/// milliseconds. The store merges each creation into what is stored and appends it to the change log.
#[wasm_bindgen]
pub async fn write_tasks(db: String, count: usize, batch: usize) -> Result<f64, JsValue> {
    let all = creations(&tasks(count));
    IdbFactory.delete(&db).await.map_err(|e| e.to_string())?;
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(|e| e.to_string())?;
    let start = now_ms();
    write_in_batches(&store, all, batch).await?;
    let elapsed = now_ms() - start;
    IdbFactory.close(store);
    Ok(elapsed)
}

/// Fills the app's database as an agent's browser holds it after months of work: the demo
/// workspace (people, settings, its tasks) and `count` more tasks, each with its history.
#[wasm_bindgen]
pub async fn seed_app(db: String, count: usize) -> Result<(), JsValue> {
    IdbFactory.delete(&db).await.map_err(|e| e.to_string())?;
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(|e| e.to_string())?;
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(1)));
    // chrono's clock is not available in wasm without its JS feature; the browser's is.
    let now = Utc.timestamp_millis_opt(js_sys::Date::now() as i64).single().ok_or("the browser's clock is unreadable")?;
    let demo = demo::seed(&mut ws, demo::SEED, now).map_err(|e| e.to_string())?;
    store.write(&Batch { changes: demo, device: Some(ws.device.clone()), ..Batch::default() }).await.map_err(|e| e.to_string())?;
    write_in_batches(&store, creations(&tasks(count)), 1000).await?;
    IdbFactory.close(store);
    Ok(())
}

/// Packs the store's copy of every task (as the app does by itself); milliseconds taken.
#[wasm_bindgen]
pub async fn pack_store(db: String, expected: usize) -> Result<f64, JsValue> {
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(|e| e.to_string())?;
    let start = now_ms();
    let packed = store.pack().await.map_err(|e| e.to_string())?;
    let elapsed = now_ms() - start;
    IdbFactory.close(store);
    if packed != Some(expected) {
        return Err(format!("packed {packed:?} tasks, expected {expected}").into());
    }
    Ok(elapsed)
}

/// Opens the database anew and loads every task into app state (a [`Workspace`]); returns milliseconds.
#[wasm_bindgen]
pub async fn cold_load(db: String, expected: usize) -> Result<f64, JsValue> {
    let start = now_ms();
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(|e| e.to_string())?;
    let snap = store.load().await.map_err(|e| e.to_string())?;
    let ws = Workspace::from_records(Device::new(DeviceCode::from_random(1)), snap.config.unwrap_or_default(), snap.tasks, snap.customers, snap.messages);
    let elapsed = now_ms() - start;
    IdbFactory.close(store);
    if ws.tasks.len() != expected {
        return Err(format!("loaded {} tasks, expected {expected}", ws.tasks.len()).into());
    }
    Ok(elapsed)
}

/// Milliseconds to turn `count` tasks into stored values and back, with the encoding the store
/// uses (JSON text) and with `serde_wasm_bindgen` objects: the measurement behind the choice.
#[wasm_bindgen]
pub fn encoding_costs(count: usize) -> Result<js_sys::Object, JsValue> {
    let all = tasks(count);
    let time = |f: &mut dyn FnMut()| {
        let start = now_ms();
        f();
        now_ms() - start
    };
    let mut json_values: Vec<JsValue> = Vec::new();
    let json_encode = time(&mut || json_values = all.iter().map(|t| JsValue::from_str(&serde_json::to_string(t).unwrap_or_default())).collect());
    let mut decoded = 0usize;
    let json_decode = time(&mut || decoded = json_values.iter().filter_map(|v| v.as_string()).filter_map(|s| serde_json::from_str::<Task>(&s).ok()).count());
    let mut object_values: Vec<JsValue> = Vec::new();
    let swb = serde_wasm_bindgen::Serializer::json_compatible();
    let objects_encode = time(&mut || object_values = all.iter().filter_map(|t| serde::Serialize::serialize(t, &swb).ok()).collect());
    let mut decoded_objects = 0usize;
    let objects_decode = time(&mut || decoded_objects = object_values.iter().filter_map(|v| serde_wasm_bindgen::from_value::<Task>(v.clone()).ok()).count());
    if decoded != count || decoded_objects != count {
        return Err(format!("decoded {decoded} and {decoded_objects} of {count}").into());
    }
    let out = js_sys::Object::new();
    for (k, v) in [("json_encode", json_encode), ("json_decode", json_decode), ("objects_encode", objects_encode), ("objects_decode", objects_decode)] {
        js_sys::Reflect::set(&out, &k.into(), &v.into())?;
    }
    Ok(out)
}
