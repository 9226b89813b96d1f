//! The host adapter: the page embedding Taskdesk supplies the server, as two async functions.
//!
//! `push(changes)` gets an array of change records (the same JSON the store keeps) and answers,
//! for each, `{ "stamp": …, "ok": true }` or `{ "stamp": …, "error": "reason" }`.
//! `pull(cursor, limit)` gets the cursor it gave last (`null` at first) and answers
//! `{ "changes": [ … ], "cursor": "…", "remaining": n }` (`remaining` optional).
//! A function that throws or rejects is treated as an unreachable server and tried again later.

use crate::{Ack, Adapter, Pulled, SyncError};
use serde_json::{json, Value};
use taskdesk_domain::Change;

/// The page's two functions, as JSON in and out.
#[allow(async_fn_in_trait)]
pub trait HostFunctions {
    /// Calls the page's `push` with the changes; its answer, or the message it threw.
    async fn push(&self, changes: Value) -> Result<Value, String>;
    /// Calls the page's `pull`; its answer, or the message it threw.
    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Value, String>;
}

/// The changes as the page's `push` gets them.
pub fn push_argument(changes: &[Change]) -> Value {
    serde_json::to_value(changes).unwrap_or_else(|_| json!([]))
}

/// Reads the answer of the page's `push`: one entry per change, matched by stamp.
pub fn read_push_answer(changes: &[Change], answer: &Value) -> Result<Vec<Ack>, SyncError> {
    let rows = answer.as_array().ok_or_else(|| SyncError::Malformed("the page's push must answer an array".into()))?;
    changes
        .iter()
        .map(|c| {
            let stamp = c.stamp.to_string();
            let row = rows.iter().find(|r| r.get("stamp").and_then(Value::as_str) == Some(stamp.as_str()));
            match row {
                Some(r) if r.get("ok") == Some(&Value::Bool(true)) => Ok(Ack::Accepted),
                Some(r) => Ok(Ack::Refused(r.get("error").and_then(Value::as_str).unwrap_or("refused by the page").to_string())),
                None => Err(SyncError::Malformed(format!("the page's push did not answer for the change {stamp}"))),
            }
        })
        .collect()
}

/// Reads the answer of the page's `pull`.
pub fn read_pull_answer(answer: &Value) -> Result<Pulled, SyncError> {
    let changes = answer.get("changes").and_then(Value::as_array).ok_or_else(|| SyncError::Malformed("the page's pull must answer { changes, cursor }".into()))?;
    let cursor = match answer.get("cursor") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(SyncError::Malformed("the page's pull answered without a cursor".into())),
    };
    let mut pulled = Pulled { cursor, read: changes.len(), remaining: answer.get("remaining").and_then(Value::as_u64), ..Pulled::default() };
    for (n, c) in changes.iter().enumerate() {
        match serde_json::from_value::<Change>(c.clone()) {
            Ok(change) => pulled.changes.push(change),
            Err(e) => {
                let named = ["_id", "stamp"]
                    .iter()
                    .find_map(|k| c.get(*k).and_then(Value::as_str))
                    .map_or_else(|| format!("item {} of its answer", n + 1), |id| format!("“{}”", id.chars().take(80).collect::<String>()));
                pulled.problems.push(format!("The page sent something that is not a change ({named}: {e}); it was skipped."));
            }
        }
    }
    Ok(pulled)
}

/// The host adapter over the page's functions.
#[derive(Debug)]
pub struct HostAdapter<F>(pub F);

impl<F: HostFunctions> Adapter for HostAdapter<F> {
    async fn push(&self, changes: &[Change]) -> Result<Vec<Ack>, SyncError> {
        let answer = self.0.push(push_argument(changes)).await.map_err(SyncError::Unreachable)?;
        read_push_answer(changes, &answer)
    }

    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Pulled, SyncError> {
        let answer = self.0.pull(cursor, limit).await.map_err(SyncError::Unreachable)?;
        read_pull_answer(&answer)
    }
}
