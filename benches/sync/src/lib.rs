//! Benchmark entry points for benches/sync.html: a device with many tasks made offline pushes
//! them to a CouchDB-compatible server through the real store, outbox and adapter; a fresh device
//! pulls them, merging each change into IndexedDB. Timed in the browser, beside PouchDB.
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use taskdesk_domain::change;
use taskdesk_domain::{demo, Change, EntityKind, Hlc, UserId};
use taskdesk_store::idb::IdbFactory;
use taskdesk_store::{schema, Batch, Joining, Origin, Store, StoreFactory, SyncTarget};
use taskdesk_sync::couch::{self, CouchAdapter};
use taskdesk_sync::engine;
use taskdesk_sync::fetch::Fetch;
use wasm_bindgen::prelude::*;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn text(e: impl ToString) -> JsValue {
    JsValue::from_str(&e.to_string())
}

/// The creation changes of `count` realistic tasks by `actor`, stamped on clock node `node`.
fn creations(count: usize, actor: &str, node: &str) -> Result<Vec<Change>, JsValue> {
    let actor = UserId::parse(actor).ok_or_else(|| text("actor must be a user id"))?;
    let tasks = demo::sample_tasks(count, 11, Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    Ok(tasks
        .iter()
        .enumerate()
        .map(|(n, t)| Change {
            stamp: Hlc { millis: 1_795_000_000_000 + n as u64, counter: 0, node: node.into() },
            actor: Some(actor),
            kind: EntityKind::Task,
            entity: t.id.0,
            fields: change::creation(t),
        })
        .collect())
}

fn target(server: &str, database: &str, user: &str) -> SyncTarget {
    SyncTarget { adapter: "couchdb".into(), address: server.into(), database: database.into(), user: user.into() }
}

/// A device that made `count` tasks offline: they are stored in the IndexedDB database `db`
/// and wait in its outbox for the server. Returns the same changes as CouchDB documents (JSON),
/// for the peer to start from the same data.
#[wasm_bindgen]
pub async fn prepare_device(db: String, count: usize, actor: String, node: String, server: String, database: String, user: String) -> Result<String, JsValue> {
    let changes = creations(count, &actor, &node)?;
    IdbFactory.delete(&db).await.map_err(text)?;
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(text)?;
    for chunk in changes.chunks(5_000) {
        store.write(&Batch { changes: chunk.to_vec(), origin: Origin::Person, device: None }).await.map_err(text)?;
    }
    store.connect(Some(target(&server, &database, &user)), Joining::MergeOwnWork).await.map_err(text)?;
    let waiting = store.outbox_counts().await.map_err(text)?.0;
    IdbFactory.close(store);
    if waiting != count {
        return Err(text(format!("{waiting} changes wait, expected {count}")));
    }
    Ok(serde_json::Value::Array(changes.iter().map(couch::to_doc).collect()).to_string())
}

/// Pushes everything waiting in `db`'s outbox to `database`; returns milliseconds (signing in not counted).
#[wasm_bindgen]
pub async fn push(db: String, server: String, database: String, user: String, password: String) -> Result<f64, JsValue> {
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(text)?;
    let adapter = CouchAdapter::new(Fetch, &server, &database);
    adapter.sign_in(&user, &password).await.map_err(text)?;
    let start = now_ms();
    let report = engine::push_all(&adapter, &store, &mut ()).await.map_err(text)?;
    let elapsed = now_ms() - start;
    let left = store.outbox_counts().await.map_err(text)?;
    IdbFactory.close(store);
    if left != (0, 0) || !report.refused.is_empty() {
        return Err(text(format!("push left {left:?}, refused {}", report.refused.len())));
    }
    Ok(elapsed)
}

/// A fresh device's first sync: a new IndexedDB database `db` pulls everything in `database`;
/// returns milliseconds (signing in not counted) after checking `expected` tasks are stored.
#[wasm_bindgen]
pub async fn first_sync(db: String, server: String, database: String, user: String, password: String, expected: usize) -> Result<f64, JsValue> {
    IdbFactory.delete(&db).await.map_err(text)?;
    let store = IdbFactory.open(&db, schema::LATEST).await.map_err(text)?;
    store.connect(Some(target(&server, &database, &user)), Joining::TakeServers).await.map_err(text)?;
    let adapter = CouchAdapter::new(Fetch, &server, &database);
    adapter.sign_in(&user, &password).await.map_err(text)?;
    let start = now_ms();
    let report = engine::pull_all(&adapter, &store, &Default::default(), &mut ()).await.map_err(text)?;
    let elapsed = now_ms() - start;
    let stored = store.load().await.map_err(text)?.tasks.len();
    IdbFactory.close(store);
    if stored != expected || !report.problems.is_empty() {
        return Err(text(format!("pulled {stored} tasks, expected {expected}; problems: {:?}", report.problems.first())));
    }
    Ok(elapsed)
}
