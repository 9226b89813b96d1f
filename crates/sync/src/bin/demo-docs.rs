//! Prints the demo workspace as CouchDB change documents (a JSON array), for
//! `node scripts/couch-setup.mjs … --demo-data`: the server then holds the same kind of workspace
//! every device makes at its first start, so devices that join take it.

use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::{demo, Workspace};

fn main() {
    // The server's demo numbers its tasks with a code of its own, "SERVR".
    let mut ws = Workspace::new(Device::new(DeviceCode("SERVR".into())));
    match demo::seed(&mut ws, demo::SEED, chrono::Utc::now()) {
        Ok(changes) => {
            let docs: Vec<serde_json::Value> = changes.iter().map(taskdesk_sync::couch::to_doc).collect();
            println!("{}", serde_json::Value::Array(docs));
        }
        Err(e) => {
            eprintln!("The demo workspace could not be made: {e}");
            std::process::exit(1);
        }
    }
}
