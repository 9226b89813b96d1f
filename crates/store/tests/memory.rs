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

taskdesk_store::each_conformance_check!(conformance_tests);
