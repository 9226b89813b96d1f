//! The sync engine: pushes the durable outbox and pulls the server's changes into the store.
//!
//! Each change is pushed at least once (it leaves the outbox only when the server answered for
//! it) and applied at most once (the store skips stamps it holds). Pulled changes are checked
//! the way the domain checked them where they were made, and stored together with the cursor
//! that follows them, so a failed write (a full disk) moves nothing and the next round resumes.

use crate::{Ack, Adapter, SyncError};
use taskdesk_domain::change::{self, Record};
use taskdesk_domain::config::Config;
use taskdesk_domain::interaction::Interaction;
use taskdesk_domain::permission;
use taskdesk_domain::{Change, EntityKind, Hlc};
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
    /// Interaction events an integration wrote to the server, just pulled: the app takes them in.
    fn interactions(&mut self, _events: &[Interaction]) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// Pushes the outbox until it is empty, in batches. While one batch travels to the server, the
/// answer to the one before is recorded and the next is read, so the device's own work hides
/// behind the server's. A change leaves the outbox only once the server answered for it.
pub async fn push_all<A: Adapter, S: Store>(adapter: &A, store: &S, observer: &mut impl Observer) -> Result<Report, SyncError> {
    let mut report = Report::default();
    let to_push = store.outbox_counts().await?.0;
    let mut batch = store.outbox(None, PUSH_BATCH).await?;
    let mut answered: (Vec<Hlc>, Vec<Refusal>) = (Vec::new(), Vec::new());
    while !batch.is_empty() {
        let last = batch.last().map(|c| c.stamp.clone());
        let (acks, settled, next) = futures::future::join3(adapter.push(&batch), store.settle(&answered.0, &answered.1), store.outbox(last.as_ref(), PUSH_BATCH)).await;
        settled?;
        report.pushed += answered.0.len();
        report.refused.extend(std::mem::take(&mut answered.1));
        let acks = acks?;
        if acks.len() != batch.len() {
            return Err(SyncError::Malformed(format!("{} answers for {} changes", acks.len(), batch.len())));
        }
        answered = (Vec::new(), Vec::new());
        for (change, ack) in batch.into_iter().zip(acks) {
            match ack {
                Ack::Accepted => answered.0.push(change.stamp),
                Ack::Refused(reason) => answered.1.push(Refusal { change, reason }),
            }
        }
        observer.progress(Progress { pushed: report.pushed + report.refused.len() + answered.0.len() + answered.1.len(), to_push, ..Progress::default() });
        batch = next?;
    }
    store.settle(&answered.0, &answered.1).await?;
    report.pushed += answered.0.len();
    report.refused.extend(answered.1);
    Ok(report)
}

/// Pulls until the server has nothing more, storing each page with its cursor. `config` is the
/// workspace's settings as this device holds them: pulled changes are checked against its users.
///
/// While a page is stored, the next one is already being fetched (the server's work overlaps
/// ours). If storing fails, the fetched page is dropped and the cursor stays where it was.
pub async fn pull_all<A: Adapter, S: Store>(adapter: &A, store: &S, config: &Config, observer: &mut impl Observer) -> Result<Report, SyncError> {
    let mut report = Report::default();
    let cursor = store.sync_record().await?.cursor;
    let mut settings = config.clone();
    let mut pulled_so_far = 0;
    let mut page = adapter.pull(cursor.as_deref(), PULL_BATCH).await?;
    let mut previous = cursor;
    loop {
        let finished = page.remaining == Some(0) || page.read < PULL_BATCH || previous.as_deref() == Some(page.cursor.as_str());
        let (fit, mut problems) = screen(std::mem::take(&mut page.changes), &mut settings);
        problems.splice(0..0, std::mem::take(&mut page.problems));
        let batch = Batch { changes: fit, origin: Origin::Pulled { cursor: page.cursor.clone(), problems: problems.clone() }, device: None };
        let (written, next) = if finished {
            (store.write(&batch).await, None)
        } else {
            let (written, next) = futures::future::join(store.write(&batch), adapter.pull(Some(&page.cursor), PULL_BATCH)).await;
            (written, Some(next))
        };
        let written = written?;
        report.applied += written.new.len();
        observer.applied(&written.new);
        observer.interactions(&page.interactions);
        report.problems.extend(problems.into_iter().chain(written.skipped));
        pulled_so_far += page.read;
        observer.progress(Progress { pulled: pulled_so_far, to_pull: page.remaining, ..Progress::default() });
        match next {
            None => return Ok(report),
            Some(next) => {
                previous = Some(std::mem::replace(&mut page, next?).cursor);
            }
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
