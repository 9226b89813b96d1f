//! Saved views (T11): a named set of queue filters and search words that a person keeps and
//! returns to. Each view is its own entry in the settings record, so people saving views at
//! the same time on different devices all keep theirs.

use crate::change::Change;
use crate::config::Config;
use crate::ids::UserId;
use crate::queue::QueueQuery;
use crate::user::User;
use crate::workspace::{DomainError, Workspace};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest view name, in characters.
pub const MAX_VIEW_NAME: usize = 60;

/// A person's saved view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    /// The name it is listed under.
    pub name: String,
    /// Whose view it is.
    pub owner: UserId,
    /// The filters, search words and sort it restores.
    pub query: QueueQuery,
}

fn key(owner: UserId, name: &str) -> String {
    format!("{owner}/{}", name.to_lowercase())
}

fn checked_name(name: &str) -> Result<&str, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::Invalid("Give the view a name.".into()));
    }
    if name.chars().count() > MAX_VIEW_NAME {
        return Err(DomainError::Invalid(format!("A view name can be at most {MAX_VIEW_NAME} characters.")));
    }
    Ok(name)
}

impl Workspace {
    /// A person's saved views, by name.
    pub fn saved_views(&self, owner: UserId) -> Vec<&SavedView> {
        let mut list: Vec<&SavedView> = self.config.views.values().filter(|v| v.owner == owner).collect();
        list.sort_by_key(|v| v.name.to_lowercase());
        list
    }

    /// Saves the query under a name for the actor, replacing their view of the same name (any
    /// case); `None` when that exact view was saved already.
    pub fn save_view(&mut self, actor: &User, name: &str, query: &QueueQuery, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let name = checked_name(name)?;
        let mut after = self.config.clone();
        after.views.insert(key(actor.id, name), SavedView { name: name.to_string(), owner: actor.id, query: query.clone() });
        self.commit_config(actor, after, now)
    }

    /// Deletes the actor's view of that name; `None` when there was none.
    pub fn delete_view(&mut self, actor: &User, name: &str, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let mut after = self.config.clone();
        after.views.remove(&key(actor.id, name.trim()));
        self.commit_config(actor, after, now)
    }

    // Everyone may keep their own views: no permission is asked.
    fn commit_config(&mut self, actor: &User, after: Config, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let before = self.config.clone();
        self.commit_diff(actor, now, &before, &after)
    }
}
