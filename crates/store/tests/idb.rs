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

conformance_tests!(
    round_trip,
    thousands_in_one_transaction,
    index_queries,
    aborted_write_leaves_nothing,
    upgrade_keeps_every_record,
    clear_removes_everything,
    stale_writers_merge_per_field,
    replayed_changes_apply_once,
    outbox_follows_the_change_log,
    taking_the_servers_workspace,
    a_failed_pull_keeps_the_cursor
);
