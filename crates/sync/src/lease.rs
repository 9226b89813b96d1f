//! Which device routes a workspace (R3: never two agents for one task): a lease document on the
//! server, written with compare-and-set on its revision. The device that holds it renews it
//! every few seconds; another device takes it over once it has seen the same revision for a
//! whole term without a renewal. Time is each device's own clock, measured since it last saw the
//! lease change, so devices whose clocks disagree still agree on when a lease has lapsed.

use serde::{Deserialize, Serialize};

/// The lease document's id.
pub const LEASE_ID: &str = "lease:routing";
/// The lease document's type.
pub const LEASE_TYPE: &str = "lease";
/// How long a lease lasts without a renewal, in milliseconds.
pub const TERM_MS: u64 = 15_000;
/// How often the holder renews it (and others look), in milliseconds.
pub const RENEW_MS: u64 = 5_000;

/// Who routes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// The routing device's code.
    pub holder: String,
    /// The person signed in there.
    pub person: String,
    /// When the holder last renewed it, on its own clock (for people to read).
    pub renewed: u64,
}

/// What a device should do about the lease.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nobody holds it, or it lapsed: take it (compare-and-set on the revision seen).
    Take,
    /// It is ours: renew it.
    Renew,
    /// Someone else holds it and renews it: wait.
    Wait,
}

/// One device's view of the lease over time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keeper {
    me: String,
    seen: Option<(String, u64)>,
    holder: Option<String>,
}

impl Keeper {
    /// A keeper for the device `me`.
    pub fn new(me: impl Into<String>) -> Self {
        Keeper { me: me.into(), seen: None, holder: None }
    }

    /// This device's code.
    pub fn me(&self) -> &str {
        &self.me
    }

    /// Records that this device holds the lease now.
    pub fn held(&mut self) {
        self.holder = None;
    }

    /// The person whose device held the lease when this one last looked, if not this one.
    pub fn last_holder(&self) -> Option<&str> {
        self.holder.as_deref()
    }

    /// What to do about the lease as the server holds it now (its revision and content), at
    /// local time `now`.
    pub fn decide(&mut self, current: Option<(&str, &Lease)>, now: u64) -> Step {
        match current {
            None => Step::Take,
            Some((_, lease)) if lease.holder == self.me => Step::Renew,
            Some((rev, lease)) => {
                self.holder = Some(lease.person.clone());
                self.wait_or_take(rev, now)
            }
        }
    }

    fn wait_or_take(&mut self, rev: &str, now: u64) -> Step {
        match &self.seen {
            Some((seen, since)) if seen == rev => {
                if now.saturating_sub(*since) >= TERM_MS {
                    Step::Take
                } else {
                    Step::Wait
                }
            }
            _ => {
                self.seen = Some((rev.to_string(), now));
                Step::Wait
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(holder: &str) -> Lease {
        Lease { holder: holder.into(), person: "Sam".into(), renewed: 0 }
    }

    #[test]
    fn nobody_holds_it_so_take_it_and_the_holder_renews() {
        let mut k = Keeper::new("AAAAA");
        assert_eq!(k.decide(None, 0), Step::Take);
        assert_eq!(k.decide(Some(("1-a", &lease("AAAAA"))), 10), Step::Renew);
    }

    #[test]
    fn another_holder_is_waited_for_until_a_whole_term_passes_without_a_renewal() {
        let mut k = Keeper::new("BBBBB");
        let held = lease("AAAAA");
        assert_eq!(k.decide(Some(("1-a", &held)), 1_000), Step::Wait);
        assert_eq!(k.decide(Some(("1-a", &held)), 1_000 + TERM_MS - 1), Step::Wait);
        // A renewal (a new revision) starts the term again, whatever the holder's clock says.
        assert_eq!(k.decide(Some(("2-b", &held)), 1_000 + TERM_MS), Step::Wait);
        assert_eq!(k.decide(Some(("2-b", &held)), 1_000 + 2 * TERM_MS - 1), Step::Wait);
        assert_eq!(k.decide(Some(("2-b", &held)), 1_000 + 2 * TERM_MS), Step::Take);
    }
}
