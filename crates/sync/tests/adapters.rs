//! The adapter conformance suite on the in-memory server and through the host-page protocol.

use serde_json::json;
use std::rc::Rc;
use taskdesk_domain::User;
use taskdesk_sync::conformance::{self, Rig};
use taskdesk_sync::host::HostAdapter;
use taskdesk_sync::memory::{MemoryAdapter, MemoryHost, MemoryServer};

struct Memory(Rc<MemoryServer>);

impl Rig for Memory {
    type Device = MemoryAdapter;
    async fn device(&self, user: &User) -> Result<MemoryAdapter, String> {
        Ok(MemoryAdapter { server: self.0.clone(), user: Some(user.id) })
    }
    async fn inject_malformed(&self, id: &str) -> Result<(), String> {
        self.0.insert_raw(json!({ "_id": id, "type": "change", "stamp": "yesterday" }));
        Ok(())
    }
}

struct Host(Rc<MemoryServer>);

impl Rig for Host {
    type Device = HostAdapter<MemoryHost>;
    async fn device(&self, user: &User) -> Result<Self::Device, String> {
        Ok(HostAdapter(MemoryHost(MemoryAdapter { server: self.0.clone(), user: Some(user.id) })))
    }
    async fn inject_malformed(&self, id: &str) -> Result<(), String> {
        self.0.insert_raw(json!({ "_id": id, "type": "change", "fields": 12 }));
        Ok(())
    }
}

macro_rules! suite {
    ($module:ident, $rig:expr) => {
        mod $module {
            use super::*;
            #[test]
            fn pushed_changes_come_back() {
                pollster::block_on(conformance::pushed_changes_come_back(&$rig)).unwrap();
            }
            #[test]
            fn pushing_twice_stores_once() {
                pollster::block_on(conformance::pushing_twice_stores_once(&$rig)).unwrap();
            }
            #[test]
            fn pages_follow_the_cursor() {
                pollster::block_on(conformance::pages_follow_the_cursor(&$rig)).unwrap();
            }
            #[test]
            fn refusals_are_per_change() {
                pollster::block_on(conformance::refusals_are_per_change(&$rig)).unwrap();
            }
            #[test]
            fn malformed_documents_are_reported_and_skipped() {
                pollster::block_on(conformance::malformed_documents_are_reported_and_skipped(&$rig)).unwrap();
            }
        }
    };
}

suite!(memory, Memory(MemoryServer::new()));
suite!(host_page, Host(MemoryServer::new()));
