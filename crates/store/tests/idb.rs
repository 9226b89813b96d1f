//! The store conformance suite on IndexedDB, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use taskdesk_store::conformance;
use taskdesk_store::idb::IdbFactory;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! conformance_tests {
    ($($check:ident),+) => {$(
        #[wasm_bindgen_test]
        async fn $check() {
            conformance::$check(&IdbFactory).await.unwrap();
        }
    )+};
}

taskdesk_store::each_conformance_check!(conformance_tests);

/// A large write's new tasks go into groups of a thousand (what makes a first sync fast); a later
/// change to one of them is stored as a single value over its grouped copy.
#[wasm_bindgen_test]
async fn a_large_write_stores_its_new_tasks_in_groups() {
    use chrono::{TimeZone, Utc};
    use indexed_db_futures::prelude::*;
    use taskdesk_domain::change::{self, Change, FieldChange, Record};
    use taskdesk_domain::{demo, EntityKind, Hlc};
    use taskdesk_store::schema::{LATEST, TASKS, TASK_GROUPS};
    use taskdesk_store::{Batch, Store, StoreFactory};

    let name = "idb-groups";
    IdbFactory.delete(name).await.unwrap();
    let store = IdbFactory.open(name, LATEST).await.unwrap();
    let sample = demo::sample_tasks(2_500, 31, Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    let stamp = |millis: u64| Hlc { millis, counter: 0, node: "TEST1".into() };
    let created = sample.iter().enumerate().map(|(i, t)| Change { stamp: stamp(1 + i as u64), actor: None, kind: EntityKind::Task, entity: t.uuid(), fields: change::creation(t) }).collect();
    store.write(&Batch { changes: created, ..Batch::default() }).await.unwrap();
    let edit =
        Change { stamp: stamp(10_000), actor: None, kind: EntityKind::Task, entity: sample[9].uuid(), fields: vec![FieldChange { field: "subject".into(), old: "".into(), new: "Edited".into() }] };
    store.write(&Batch { changes: vec![edit], ..Batch::default() }).await.unwrap();
    let db = indexed_db_futures::database::Database::open(name).await.unwrap();
    let tx = db.transaction([TASKS, TASK_GROUPS].as_slice()).build().unwrap();
    let count = |s: &str| tx.object_store(s).unwrap().count().primitive().unwrap();
    let (singles, groups) = (count(TASKS), count(TASK_GROUPS));
    assert_eq!((singles.await.unwrap(), groups.await.unwrap()), (1, 3), "single task values and groups after a large write and one edit");
    drop(tx);
    db.close();
    IdbFactory.close(store);
}
