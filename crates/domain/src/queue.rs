//! The queue list: which tasks a view shows, filtered and sorted (T11 basics).

use crate::ids::UserId;
use crate::task::{Channel, Task, TaskStatus};
use crate::workspace::Workspace;
use std::cmp::Ordering;

/// The preset a list starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
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
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct QueueQuery {
    /// Preset.
    pub view: View,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// Only this status.
    pub status: Option<TaskStatus>,
    /// Words that must appear in number, subject or customer name.
    pub text: String,
    /// Sort column.
    pub sort: SortKey,
    /// Largest first.
    pub descending: bool,
}

impl Workspace {
    /// The tasks `query` selects for `me`, in order.
    pub fn queue(&self, query: &QueueQuery, me: UserId) -> Vec<&Task> {
        let needle = query.text.trim().to_lowercase();
        let customer_name = |t: &Task| t.customer.and_then(|c| self.customer(c)).map(|c| c.name.as_str()).unwrap_or("");
        let mut rows: Vec<&Task> = self
            .tasks
            .values()
            .filter(|t| !t.deleted)
            .filter(|t| match query.view {
                View::MyTasks => t.assignee == Some(me) && t.status.is_open(),
                View::AllOpen => t.status.is_open(),
                View::All => true,
            })
            .filter(|t| query.channel.is_none_or(|c| t.channel == c))
            .filter(|t| query.status.is_none_or(|s| t.status == s))
            .filter(|t| {
                needle.is_empty()
                    || t.subject.to_lowercase().contains(&needle)
                    || t.number.to_lowercase().contains(&needle)
                    || customer_name(t).to_lowercase().contains(&needle)
            })
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
