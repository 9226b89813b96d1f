//! One conformance suite for every [`Adapter`]: run natively on the in-memory server, through
//! the host protocol, and through the CouchDB adapter against a real pouchdb-server.
//!
//! Each check makes changes on clock nodes of its own, so it can share a server with others.

use crate::{Ack, Adapter};
use taskdesk_domain::change::FieldChange;
use taskdesk_domain::{demo, Change, EntityKind, Hlc, User};

type Outcome = Result<(), String>;

/// One `#[test]` per check of the suite, each on a rig made by `$rig` (an expression evaluated
/// per test). Needs `pollster` among the calling crate's dev-dependencies.
#[macro_export]
macro_rules! adapter_conformance_tests {
    ($rig:expr) => {
        $crate::adapter_conformance_tests!(@each $rig; pushed_changes_come_back, pushing_twice_stores_once, pages_follow_the_cursor, refusals_are_per_change, malformed_documents_are_reported_and_skipped);
    };
    (@each $rig:expr; $($check:ident),+) => {$(
        #[test]
        fn $check() {
            pollster::block_on($crate::conformance::$check(&$rig)).unwrap();
        }
    )+};
}

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// A server and a way to reach it as different people.
#[allow(async_fn_in_trait)]
pub trait Rig {
    /// A device's adapter.
    type Device: Adapter;
    /// A device signed in as `user`.
    async fn device(&self, user: &User) -> Result<Self::Device, String>;
    /// Puts a document on the server that is not a readable change, as a careless integration might.
    async fn inject_malformed(&self, id: &str) -> Result<(), String>;
}

fn people() -> (User, User) {
    let users = demo::users();
    (users[0].clone(), users[1].clone())
}

/// `count` task creations by `author`, stamped on clock node `node`.
pub fn changes_by(author: &User, node: &str, count: usize) -> Vec<Change> {
    (0..count)
        .map(|n| Change {
            stamp: Hlc { millis: 1_700_000_000_000 + n as u64, counter: 0, node: node.into() },
            actor: Some(author.id),
            kind: EntityKind::Task,
            entity: uuid::Uuid::from_u128(((node.len() as u128) << 64) ^ (node.bytes().fold(0u128, |h, b| h * 131 + b as u128) << 20) ^ n as u128),
            fields: vec![
                FieldChange { field: "subject".into(), old: serde_json::Value::Null, new: format!("Task {n} from {node}").into() },
                FieldChange { field: "number".into(), old: serde_json::Value::Null, new: format!("{node}-{n}").into() },
            ],
        })
        .collect()
}

async fn pull_everything<A: Adapter>(device: &A, limit: usize) -> Result<(Vec<Change>, Vec<String>), String> {
    let mut cursor: Option<String> = None;
    let (mut changes, mut problems) = (Vec::new(), Vec::new());
    for _ in 0..10_000 {
        let page = device.pull(cursor.as_deref(), limit).await.map_err(|e| format!("pull: {e}"))?;
        changes.extend(page.changes);
        problems.extend(page.problems);
        let done = page.read < limit || cursor.as_deref() == Some(page.cursor.as_str());
        cursor = Some(page.cursor);
        if done {
            return Ok((changes, problems));
        }
    }
    Err("the server never said it had sent everything".into())
}

fn from_node<'a>(changes: &'a [Change], node: &str) -> Vec<&'a Change> {
    changes.iter().filter(|c| c.stamp.node == node).collect()
}

/// What one device pushes, another pulls, whole and once.
pub async fn pushed_changes_come_back<R: Rig>(rig: &R) -> Outcome {
    let (alex, bea) = people();
    let mine = changes_by(&alex, "CONFA", 3);
    let a = rig.device(&alex).await?;
    let acks = a.push(&mine).await.map_err(|e| format!("push: {e}"))?;
    ensure!(acks == vec![Ack::Accepted; 3], "the server refused its own author's changes: {acks:?}");
    let b = rig.device(&bea).await?;
    let (all, _) = pull_everything(&b, 100).await?;
    let got = from_node(&all, "CONFA");
    ensure!(got.len() == 3 && got.iter().zip(&mine).all(|(g, m)| *g == m), "pulled {} changes, expected the 3 pushed, equal", got.len());
    Ok(())
}

/// Pushing the same changes again is accepted and changes nothing.
pub async fn pushing_twice_stores_once<R: Rig>(rig: &R) -> Outcome {
    let (alex, _) = people();
    let mine = changes_by(&alex, "CONFB", 4);
    let a = rig.device(&alex).await?;
    for round in 1..=2 {
        let acks = a.push(&mine).await.map_err(|e| format!("push {round}: {e}"))?;
        ensure!(acks == vec![Ack::Accepted; 4], "push {round} was not accepted whole: {acks:?}");
    }
    let (all, _) = pull_everything(&a, 100).await?;
    ensure!(from_node(&all, "CONFB").len() == 4, "the server holds {} copies of 4 changes", from_node(&all, "CONFB").len());
    Ok(())
}

/// Small pages, each from the cursor the last gave, read everything in order and then nothing.
pub async fn pages_follow_the_cursor<R: Rig>(rig: &R) -> Outcome {
    let (alex, bea) = people();
    let mine = changes_by(&alex, "CONFC", 25);
    let a = rig.device(&alex).await?;
    a.push(&mine).await.map_err(|e| format!("push: {e}"))?;
    let b = rig.device(&bea).await?;
    let (all, _) = pull_everything(&b, 7).await?;
    let got: Vec<&Change> = from_node(&all, "CONFC");
    ensure!(got.len() == 25 && got.iter().zip(&mine).all(|(g, m)| *g == m), "paging read {} of 25 changes, or out of order", got.len());
    let last = b.pull(None, 100_000).await.map_err(|e| format!("pull: {e}"))?;
    ensure!(from_node(&last.changes, "CONFC").len() == 25, "one big page read {} of the 25 changes", from_node(&last.changes, "CONFC").len());
    let after = b.pull(Some(&last.cursor), 100).await.map_err(|e| format!("pull: {e}"))?;
    ensure!(from_node(&after.changes, "CONFC").is_empty(), "a pull from the last cursor returned changes it had given already");
    Ok(())
}

/// The server answers per change: one it refuses does not sink the others, and never shows up.
pub async fn refusals_are_per_change<R: Rig>(rig: &R) -> Outcome {
    let (alex, bea) = people();
    let own = changes_by(&alex, "CONFD", 2);
    let forged = changes_by(&bea, "CONFE", 1);
    let a = rig.device(&alex).await?;
    let acks = a.push(&[own[0].clone(), forged[0].clone(), own[1].clone()]).await.map_err(|e| format!("push: {e}"))?;
    ensure!(acks.len() == 3 && acks[0] == Ack::Accepted && acks[2] == Ack::Accepted, "the good changes were not accepted: {acks:?}");
    ensure!(matches!(&acks[1], Ack::Refused(why) if !why.trim().is_empty()), "a change naming another author was not refused with a reason: {:?}", acks[1]);
    let (all, _) = pull_everything(&a, 100).await?;
    ensure!(from_node(&all, "CONFE").is_empty(), "the refused change reached the server");
    ensure!(from_node(&all, "CONFD").len() == 2, "the accepted changes did not reach the server");
    Ok(())
}

/// A document that is not a readable change is reported and skipped; what follows still arrives.
pub async fn malformed_documents_are_reported_and_skipped<R: Rig>(rig: &R) -> Outcome {
    let (alex, _) = people();
    rig.inject_malformed("change:not-a-stamp").await?;
    let a = rig.device(&alex).await?;
    a.push(&changes_by(&alex, "CONFF", 1)).await.map_err(|e| format!("push: {e}"))?;
    let (all, problems) = pull_everything(&a, 100).await?;
    ensure!(from_node(&all, "CONFF").len() == 1, "the change after the malformed document did not arrive");
    ensure!(problems.iter().any(|p| p.contains("change:not-a-stamp")), "the malformed document was not reported: {problems:?}");
    Ok(())
}
