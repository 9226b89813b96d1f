//! The adapter conformance suite on the in-memory server and through the host-page protocol.

use serde_json::json;
use std::rc::Rc;
use taskdesk_domain::User;
use taskdesk_sync::conformance::Rig;
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

mod memory {
    use super::*;
    taskdesk_sync::adapter_conformance_tests!(Memory(MemoryServer::new()));
}

mod host_page {
    use super::*;
    taskdesk_sync::adapter_conformance_tests!(Host(MemoryServer::new()));
}
