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
