//! The sync engine: pushes the durable outbox and pulls the server's changes into the store.
//!
//! Each change is pushed at least once (it leaves the outbox only when the server answered for
//! it) and applied at most once (the store skips stamps it holds). Pulled changes are checked
//! the way the domain checked them where they were made, and stored together with the cursor
//! that follows them, so a failed write (a full disk) moves nothing and the next round resumes.

use crate::{Ack, Adapter, SyncError};
use taskdesk_domain::change::{self, Record};
use taskdesk_domain::config::Config;
use taskdesk_domain::permission;
use taskdesk_domain::{Change, EntityKind};
use taskdesk_store::{Batch, Origin, Refusal, Store};

/// Changes per push request.
pub const PUSH_BATCH: usize = 1_000;
/// Documents per pull request.
pub const PULL_BATCH: usize = 1_000;

/// How far a round has come, for the progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Changes pushed so far.
    pub pushed: usize,
    /// Changes that waited when the round began.
    pub to_push: usize,
    /// Documents pulled so far.
    pub pulled: usize,
    /// Documents the server says remain, when it says.
    pub to_pull: Option<u64>,
}

/// What a round did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Changes the server accepted.
    pub pushed: usize,
    /// Changes the server refused, with its reasons.
    pub refused: Vec<Refusal>,
    /// How many pulled changes were new to this device.
    pub applied: usize,
    /// What was skipped while pulling, in plain words.
    pub problems: Vec<String>,
}

/// Hears about a round as it goes.
pub trait Observer {
    /// How far the round has come.
    fn progress(&mut self, _progress: Progress) {}
    /// Pulled changes just stored (new to this device, oldest first): what the screens apply.
    fn applied(&mut self, _changes: &[Change]) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// Pushes the outbox until it is empty, in batches.
pub async fn push_all<A: Adapter, S: Store>(adapter: &A, store: &S, observer: &mut impl Observer) -> Result<Report, SyncError> {
    let mut report = Report::default();
    let to_push = store.outbox_counts().await?.0;
    loop {
        let waiting = store.outbox(PUSH_BATCH).await?;
        if waiting.is_empty() {
            return Ok(report);
        }
        let acks = adapter.push(&waiting).await?;
        if acks.len() != waiting.len() {
            return Err(SyncError::Malformed(format!("{} answers for {} changes", acks.len(), waiting.len())));
        }
        let mut accepted = Vec::new();
        let mut refused = Vec::new();
        for (change, ack) in waiting.into_iter().zip(acks) {
            match ack {
                Ack::Accepted => accepted.push(change.stamp),
                Ack::Refused(reason) => refused.push(Refusal { change, reason }),
            }
        }
        store.settle(&accepted, &refused).await?;
        report.pushed += accepted.len();
        report.refused.extend(refused);
        observer.progress(Progress { pushed: report.pushed + report.refused.len(), to_push, ..Progress::default() });
    }
}

/// Pulls until the server has nothing more, storing each page with its cursor. `config` is the
/// workspace's settings as this device holds them: pulled changes are checked against its users.
pub async fn pull_all<A: Adapter, S: Store>(adapter: &A, store: &S, config: &Config, observer: &mut impl Observer) -> Result<Report, SyncError> {
    let mut report = Report::default();
    let mut cursor = store.sync_record().await?.cursor;
    let mut settings = config.clone();
    let mut pulled_so_far = 0;
    loop {
        let page = adapter.pull(cursor.as_deref(), PULL_BATCH).await?;
        let (fit, mut problems) = screen(page.changes, &mut settings);
        problems.splice(0..0, page.problems);
        let batch = Batch { changes: fit, origin: Origin::Pulled { cursor: page.cursor.clone(), problems: problems.clone() }, device: None };
        let written = store.write(&batch).await?;
        report.applied += written.new.len();
        observer.applied(&written.new);
        report.problems.extend(problems.into_iter().chain(written.skipped));
        pulled_so_far += page.read;
        observer.progress(Progress { pulled: pulled_so_far, to_pull: page.remaining, ..Progress::default() });
        let finished = page.remaining == Some(0) || page.read < PULL_BATCH || cursor.as_deref() == Some(page.cursor.as_str());
        cursor = Some(page.cursor);
        if finished {
            return Ok(report);
        }
    }
}

/// One whole round: push everything waiting, then pull everything new.
pub async fn round<A: Adapter, S: Store>(adapter: &A, store: &S, config: &Config, observer: &mut impl Observer) -> Result<Report, SyncError> {
    let pushed = push_all(adapter, store, observer).await?;
    let pulled = pull_all(adapter, store, config, observer).await?;
    Ok(Report { applied: pulled.applied, problems: pulled.problems, ..pushed })
}

/// Keeps the pulled changes that fit their record and that their author was allowed to make,
/// oldest first; says in plain words why each other one was skipped. Settings changes that pass
/// update the users the later ones are checked against.
pub fn screen(mut changes: Vec<Change>, settings: &mut Config) -> (Vec<Change>, Vec<String>) {
    changes.sort_by(|a, b| a.stamp.cmp(&b.stamp));
    let mut fit = Vec::with_capacity(changes.len());
    let mut problems = Vec::new();
    for c in changes {
        let checked = change::check_applicable(&c).map_err(|e| e.to_string()).and_then(|_| permission::check_change(&c, &settings.people()));
        match checked {
            Ok(()) => {
                if c.kind == EntityKind::Config {
                    if let Ok(next) = change::apply(Some(&*settings), &c) {
                        *settings = next;
                    }
                }
                fit.push(c);
            }
            Err(why) => problems.push(format!("A change to a {} from device {} was not applied: {why}.", kind_name(c.kind), c.stamp.node)),
        }
    }
    (fit, problems)
}

fn kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Task => taskdesk_domain::Task::NAME,
        EntityKind::Customer => taskdesk_domain::Customer::NAME,
        EntityKind::Config => Config::NAME,
        EntityKind::Message => taskdesk_domain::conversation::Message::NAME,
    }
}
