//! The queue list: which tasks a view shows, filtered and sorted (T11 basics).

use crate::ids::UserId;
use crate::task::{Channel, Task, TaskStatus};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The preset a list starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum View {
    /// Open tasks assigned to me.
    #[default]
    MyTasks,
    /// Every open task.
    AllOpen,
    /// Every task, resolved included.
    All,
}

/// A column the list can sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortKey {
    /// Task number.
    Number,
    /// Subject, alphabetically.
    Subject,
    /// Customer name.
    Customer,
    /// Status.
    Status,
    /// Channel.
    Channel,
    /// Priority.
    Priority,
    /// Time since creation (newest first when ascending).
    #[default]
    Age,
}

/// Everything that decides which tasks the list shows and in what order.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// Preset.
    pub view: View,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Only this status.
    pub status: Option<TaskStatus>,
    /// Words that must each start a word somewhere in the task: number, subject, description,
    /// messages, customer (name, company, phones, emails), queue, hashtags, codes or custom field
    /// values. Phone numbers are also found by their last digits.
    pub text: String,
    /// Only tasks of this assignee; `Some(None)` means unassigned.
    pub assignee: Option<Option<UserId>>,
    /// Only this queue.
    pub queue: Option<String>,
    /// Only tasks with this hashtag.
    pub hashtag: Option<String>,
    /// Only tasks with this transaction code.
    pub code: Option<String>,
    /// Only tasks created on or after this day.
    pub created_from: Option<NaiveDate>,
    /// Only tasks created on or before this day.
    pub created_to: Option<NaiveDate>,
    /// Only tasks whose custom field (key) shows a value containing the text.
    pub field: Option<(String, String)>,
    /// Sort column.
    pub sort: SortKey,
    /// Largest first.
    pub descending: bool,
}

impl Workspace {
    fn field_matches(&self, t: &Task, key: &str, wanted: &str) -> bool {
        let wanted = wanted.trim().to_lowercase();
        t.custom.get(key).is_some_and(|v| self.custom_value_text(key, v, &crate::zone::utc()).to_lowercase().contains(&wanted))
    }

    /// The tasks `query` selects for `me`, in order.
    pub fn queue(&self, query: &QueueQuery, me: UserId, zone: &dyn crate::zone::Zone) -> Vec<&Task> {
        let hits = self.find_tasks(&query.text);
        let customer_name = |t: &Task| t.customer.and_then(|c| self.customer(c)).map(|c| c.name.as_str()).unwrap_or("");
        let hashtag = query.hashtag.as_ref().map(|h| crate::hashtag::parse_hashtags(h).ok().and_then(|v| v.into_iter().next()).unwrap_or_else(|| h.to_lowercase()));
        let candidates: Box<dyn Iterator<Item = &Task>> = match &hits {
            Some(hits) => Box::new(hits.ids().filter_map(|id| self.tasks.get(&id))),
            None => Box::new(self.tasks.values()),
        };
        let mut rows: Vec<&Task> = candidates
            .filter(|t| !t.deleted)
            .filter(|t| match query.view {
                View::MyTasks => t.assignee == Some(me) && t.status.is_open(),
                View::AllOpen => t.status.is_open(),
                View::All => true,
            })
            .filter(|t| query.channel.is_none_or(|c| t.channel == c))
            .filter(|t| query.status.is_none_or(|s| t.status == s))
            .filter(|t| query.assignee.is_none_or(|a| t.assignee == a))
            .filter(|t| query.queue.as_ref().is_none_or(|q| t.queue.as_deref() == Some(q.as_str())))
            .filter(|t| hashtag.as_ref().is_none_or(|h| t.hashtags.contains(h)))
            .filter(|t| query.code.as_ref().is_none_or(|c| t.codes.contains(c)))
            .filter(|t| query.created_from.is_none_or(|d| crate::zone::day_of(zone, t.created_at) >= d))
            .filter(|t| query.created_to.is_none_or(|d| crate::zone::day_of(zone, t.created_at) <= d))
            .filter(|t| query.field.as_ref().is_none_or(|(k, v)| self.field_matches(t, k, v)))
            .collect();
        let order = |a: &&Task, b: &&Task| -> Ordering {
            let primary = match query.sort {
                SortKey::Number => a.number.cmp(&b.number),
                SortKey::Subject => a.subject.to_lowercase().cmp(&b.subject.to_lowercase()),
                SortKey::Customer => customer_name(a).to_lowercase().cmp(&customer_name(b).to_lowercase()),
                SortKey::Status => a.status.cmp(&b.status),
                SortKey::Channel => a.channel.cmp(&b.channel),
                SortKey::Priority => a.priority.cmp(&b.priority),
                SortKey::Age => b.created_at.cmp(&a.created_at),
            };
            let primary = if query.descending { primary.reverse() } else { primary };
            primary.then_with(|| a.id.cmp(&b.id))
        };
        rows.sort_by(order);
        rows
    }
}
