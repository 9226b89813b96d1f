//! The store conformance suite on the in-memory store, natively.
#![cfg(not(target_arch = "wasm32"))]

use taskdesk_store::conformance;
use taskdesk_store::memory::MemoryFactory;

macro_rules! conformance_tests {
    ($($check:ident),+) => {$(
        #[test]
        fn $check() {
            pollster::block_on(conformance::$check(&MemoryFactory::default())).unwrap();
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
