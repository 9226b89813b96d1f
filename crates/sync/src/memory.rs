//! An in-memory server for tests: change documents in arrival order, the server's rules (a
//! change is never edited; a person pushes only their own changes), and faults on demand (down,
//! session expired). Reached through [`MemoryAdapter`] directly or through [`MemoryHost`] as a
//! host page would be.

use crate::couch::{classify, from_doc, to_doc, Doc};
use crate::host::HostFunctions;
use crate::{Ack, Adapter, Pulled, SyncError};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use taskdesk_domain::{Change, UserId};

/// The server.
#[derive(Debug, Default)]
pub struct MemoryServer {
    docs: RefCell<Vec<Value>>,
    ids: RefCell<HashMap<String, usize>>,
    /// While set, every request fails as if the server could not be reached.
    pub down: Cell<bool>,
    /// While set, every request fails as if the session had expired.
    pub expired: Cell<bool>,
    requests: Cell<usize>,
}

impl MemoryServer {
    /// An empty server.
    pub fn new() -> Rc<MemoryServer> {
        Rc::new(MemoryServer::default())
    }

    /// Stores any document as it is, as a server admin could (for malformed-data tests).
    pub fn insert_raw(&self, doc: Value) {
        let id = doc.get("_id").and_then(Value::as_str).unwrap_or_default().to_string();
        let mut docs = self.docs.borrow_mut();
        self.ids.borrow_mut().insert(id, docs.len());
        docs.push(doc);
    }

    /// How many documents it holds.
    pub fn len(&self) -> usize {
        self.docs.borrow().len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every change it holds, in arrival order.
    pub fn changes(&self) -> Vec<Change> {
        self.docs.borrow().iter().filter_map(|d| from_doc(d).ok().flatten()).collect()
    }

    /// How many requests it has answered or refused.
    pub fn requests(&self) -> usize {
        self.requests.get()
    }

    fn reachable(&self) -> Result<(), SyncError> {
        self.requests.set(self.requests.get() + 1);
        if self.down.get() {
            return Err(SyncError::Unreachable("connection refused".into()));
        }
        if self.expired.get() {
            return Err(SyncError::SignIn);
        }
        Ok(())
    }

    /// Stores one change pushed by `user`, under the rules the real server's validation keeps.
    fn write(&self, change: &Change, user: Option<UserId>) -> Ack {
        if let (Some(actor), Some(me)) = (change.actor, user) {
            if actor != me {
                return Ack::Refused("This change names another person as its author; you can only push your own changes.".into());
            }
        }
        let doc = to_doc(change);
        let id = doc["_id"].as_str().unwrap_or_default().to_string();
        if let Some(&at) = self.ids.borrow().get(&id) {
            return if self.docs.borrow()[at]["_rev"] == doc["_rev"] { Ack::Accepted } else { Ack::Refused("A change is never edited after it is written.".into()) };
        }
        self.insert_raw(doc);
        Ack::Accepted
    }

    /// A page of documents after position `since`.
    fn read(&self, since: Option<&str>, limit: usize) -> Result<Pulled, SyncError> {
        let start = match since {
            None => 0,
            Some(s) => s.parse::<usize>().map_err(|_| SyncError::Malformed(format!("“{s}” is not a position on this server")))?,
        };
        let docs = self.docs.borrow();
        let page: Vec<&Value> = docs.iter().skip(start).take(limit).collect();
        let end = start + page.len();
        let mut pulled = Pulled { cursor: end.to_string(), read: page.len(), remaining: Some((docs.len() - end.min(docs.len())) as u64), ..Pulled::default() };
        for doc in page {
            match classify(doc) {
                Ok(Doc::Change(change)) => pulled.changes.push(change),
                Ok(Doc::Interaction(event)) => pulled.interactions.push(event),
                Ok(Doc::Other) => {}
                Err(why) => pulled.problems.push(format!("Skipped a document on the server: {why}.")),
            }
        }
        Ok(pulled)
    }
}

/// A device's connection to a [`MemoryServer`], signed in as `user` (`None`: a server admin).
#[derive(Clone, Debug)]
pub struct MemoryAdapter {
    /// The server.
    pub server: Rc<MemoryServer>,
    /// Who is signed in.
    pub user: Option<UserId>,
}

impl Adapter for MemoryAdapter {
    async fn push(&self, changes: &[Change]) -> Result<Vec<Ack>, SyncError> {
        self.server.reachable()?;
        Ok(changes.iter().map(|c| self.server.write(c, self.user)).collect())
    }

    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Pulled, SyncError> {
        self.server.reachable()?;
        self.server.read(cursor, limit)
    }
}

/// A host page whose `push` and `pull` keep changes on a [`MemoryServer`], speaking the host
/// protocol's JSON.
#[derive(Clone, Debug)]
pub struct MemoryHost(pub MemoryAdapter);

impl HostFunctions for MemoryHost {
    async fn push(&self, changes: Value) -> Result<Value, String> {
        let changes: Vec<Change> = serde_json::from_value(changes).map_err(|e| e.to_string())?;
        let acks = self.0.push(&changes).await.map_err(|e| e.to_string())?;
        Ok(Value::Array(
            changes
                .iter()
                .zip(acks)
                .map(|(c, ack)| match ack {
                    Ack::Accepted => json!({ "stamp": c.stamp.to_string(), "ok": true }),
                    Ack::Refused(why) => json!({ "stamp": c.stamp.to_string(), "error": why }),
                })
                .collect(),
        ))
    }

    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Value, String> {
        let page = self.0.pull(cursor, limit).await.map_err(|e| e.to_string())?;
        let docs = self.0.server.docs.borrow();
        let start = cursor.and_then(|c| c.parse::<usize>().ok()).unwrap_or(0);
        // The page hands over what the server holds, readable or not; the adapter sorts it out.
        let raw: Vec<Value> = docs.iter().skip(start).take(page.read).filter(|d| !d["_id"].as_str().unwrap_or_default().starts_with("_design/")).cloned().collect();
        Ok(json!({ "changes": raw, "cursor": page.cursor, "remaining": page.remaining }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::read_push_answer;

    #[test]
    fn the_host_protocol_answers_what_the_adapter_reads() {
        let server = MemoryServer::new();
        let host = MemoryHost(MemoryAdapter { server: server.clone(), user: None });
        let change =
            Change { stamp: taskdesk_domain::Hlc { millis: 1, counter: 0, node: "A".into() }, actor: None, kind: taskdesk_domain::EntityKind::Task, entity: uuid::Uuid::nil(), fields: vec![] };
        let answer = pollster::block_on(host.push(crate::host::push_argument(std::slice::from_ref(&change)))).unwrap();
        assert_eq!(read_push_answer(std::slice::from_ref(&change), &answer).unwrap(), vec![Ack::Accepted]);
        assert_eq!(server.changes(), vec![change]);
    }
}
