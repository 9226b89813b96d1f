//! Taskdesk's sync layer, between the app and the store: the backend adapter trait and its
//! adapters' protocols (CouchDB, a host page's functions, an in-memory server for tests), the
//! engine that pushes the durable outbox and pulls the server's changes into the store, retry
//! with backoff, and the sync state the header shows.
//!
//! Everything here is pure logic over two traits, [`Adapter`] (the server) and
//! [`taskdesk_store::Store`] (the device), so it is tested natively; the browser supplies only
//! the HTTP calls and the host page's functions.

pub mod backoff;
pub mod conformance;
pub mod couch;
pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod fetch;
pub mod host;
pub mod http;
pub mod lease;
pub mod memory;
pub mod status;

use taskdesk_domain::interaction::Interaction;
use taskdesk_domain::Change;
use taskdesk_store::StoreError;

/// The server's answer to one pushed change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ack {
    /// Stored on the server (or already there: a push is idempotent).
    Accepted,
    /// Refused, with the server's reason; the change is kept on the device and shown.
    Refused(String),
}

/// A page of the server's changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pulled {
    /// Changes, in the server's order.
    pub changes: Vec<Change>,
    /// Interaction events an integration wrote to the server (each with its document's id as
    /// `source`): every device takes them in, and derives the same task from each.
    pub interactions: Vec<Interaction>,
    /// Documents on the server that could not be read as changes, described; they are skipped.
    pub problems: Vec<String>,
    /// Where the next pull starts (opaque).
    pub cursor: String,
    /// How many documents the server read for this page (changes, problems and other
    /// documents), so a short page means the end.
    pub read: usize,
    /// How many more the server says are waiting, when it says.
    pub remaining: Option<u64>,
}

/// Why a sync step failed. Nothing is lost: the outbox and cursor stay where they were.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// The server cannot be reached (no network, server down, connection dropped).
    #[error("The server cannot be reached ({0}).")]
    Unreachable(String),
    /// The session expired or the password changed.
    #[error("Sign in again to sync.")]
    SignIn,
    /// The signed-in person may not use this database at all.
    #[error("The server does not let {0} use this database. Ask an admin to add you, then sign in again.")]
    NotMember(String),
    /// The server answered with an error of its own.
    #[error("The server answered {status}: {reason}")]
    Server {
        /// HTTP status.
        status: u16,
        /// What it said.
        reason: String,
    },
    /// The server's answer could not be understood.
    #[error("The server's answer could not be read: {0}")]
    Malformed(String),
    /// This device could not store what came in (for example a full disk).
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Whether trying again later can help without anyone doing anything.
    pub fn retryable(&self) -> bool {
        match self {
            SyncError::Unreachable(_) | SyncError::Malformed(_) | SyncError::Store(_) => true,
            SyncError::Server { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            SyncError::SignIn | SyncError::NotMember(_) => false,
        }
    }
}

/// A server the workspace syncs with.
#[allow(async_fn_in_trait)]
pub trait Adapter {
    /// Sends changes; answers one [`Ack`] per change, in the same order. Pushing a change the
    /// server already holds is accepted and changes nothing.
    async fn push(&self, changes: &[Change]) -> Result<Vec<Ack>, SyncError>;
    /// Reads at most `limit` of the server's documents after `cursor` (from the start when `None`).
    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Pulled, SyncError>;
}
