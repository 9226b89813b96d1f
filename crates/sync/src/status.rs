//! The sync state the header shows, in words a person (and a screen reader) understands.

use serde::{Deserialize, Serialize};

/// Where sync stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// No server: everything stays on this device.
    LocalOnly,
    /// A server is set up; the first round has not finished yet.
    Starting,
    /// The browser has no connection.
    Offline,
    /// A round is under way: documents done so far, and the total when known.
    Syncing {
        /// Changes pushed and documents pulled so far.
        done: usize,
        /// All there is to do, when known.
        total: Option<usize>,
    },
    /// The last round finished at this moment (milliseconds since the epoch).
    Synced {
        /// When.
        at: u64,
    },
    /// The last round failed; the next try is at `at`.
    Retrying {
        /// What went wrong, in plain words.
        reason: String,
        /// When the next try is (milliseconds since the epoch).
        at: u64,
        /// Failures in a row.
        failures: u32,
    },
    /// The session expired or the password changed: sync waits for the person to sign in.
    SignIn,
    /// Something a person must fix; sync waits.
    Stopped(String),
}

/// The sync state and what waits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// Where sync stands.
    pub phase: Phase,
    /// Changes waiting for the server.
    pub waiting: usize,
    /// Changes the server refused, kept on this device.
    pub refused: usize,
}

impl Default for SyncStatus {
    fn default() -> Self {
        SyncStatus { phase: Phase::LocalOnly, waiting: 0, refused: 0 }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl SyncStatus {
    /// The state in one line; `time` shows a moment (milliseconds since the epoch) as the person
    /// reads clock times.
    pub fn words(&self, time: impl Fn(u64) -> String) -> String {
        let mut text = match &self.phase {
            Phase::LocalOnly => "Not connected to a server".to_string(),
            Phase::Starting => "Connecting to the server…".to_string(),
            Phase::Offline => "Offline".to_string(),
            Phase::Syncing { done, total: Some(total) } if *total > 0 => format!("Syncing: {done} of {total}"),
            Phase::Syncing { .. } => "Syncing…".to_string(),
            Phase::Synced { at } => format!("Synced at {}", time(*at)),
            Phase::Retrying { reason, at, .. } => format!("Sync failed: {} Trying again at {}", reason.trim_end_matches('.').to_string() + ".", time(*at)),
            Phase::SignIn => "Sign in again to sync".to_string(),
            Phase::Stopped(reason) => format!("Sync stopped: {reason}"),
        };
        if self.waiting > 0 && self.phase != Phase::LocalOnly {
            text += &format!(" · {} waiting", count(self.waiting, "change", "changes"));
        }
        if self.refused > 0 {
            text += &format!(" · {} refused by the server", count(self.refused, "change", "changes"));
        }
        text
    }

    /// The progress bar's value and maximum while syncing, when the total is known.
    pub fn progress(&self) -> Option<(usize, usize)> {
        match self.phase {
            Phase::Syncing { done, total: Some(total) } if total > 0 => Some((done.min(total), total)),
            _ => None,
        }
    }

    /// Whether something needs the person's attention (shown as a problem).
    pub fn needs_attention(&self) -> bool {
        self.refused > 0 || matches!(self.phase, Phase::Retrying { .. } | Phase::SignIn | Phase::Stopped(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(ms: u64) -> String {
        format!("T{ms}")
    }

    #[test]
    fn each_state_reads_as_a_person_would_say_it() {
        let s = |phase, waiting, refused| SyncStatus { phase, waiting, refused }.words(clock);
        assert_eq!(s(Phase::Offline, 3, 0), "Offline · 3 changes waiting");
        assert_eq!(s(Phase::Synced { at: 5 }, 0, 0), "Synced at T5");
        assert_eq!(s(Phase::Synced { at: 5 }, 1, 0), "Synced at T5 · 1 change waiting");
        assert_eq!(s(Phase::SignIn, 2, 0), "Sign in again to sync · 2 changes waiting");
        assert_eq!(s(Phase::Syncing { done: 1_200, total: Some(10_000) }, 0, 0), "Syncing: 1200 of 10000");
        assert_eq!(
            s(Phase::Retrying { reason: "The server cannot be reached (connection refused).".into(), at: 9, failures: 2 }, 0, 1),
            "Sync failed: The server cannot be reached (connection refused). Trying again at T9 · 1 change refused by the server"
        );
        assert_eq!(s(Phase::LocalOnly, 0, 0), "Not connected to a server");
        assert!(SyncStatus { phase: Phase::SignIn, waiting: 0, refused: 0 }.needs_attention());
        assert_eq!(SyncStatus { phase: Phase::Syncing { done: 20, total: Some(10) }, waiting: 0, refused: 0 }.progress(), Some((10, 10)));
    }
}
