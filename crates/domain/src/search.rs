//! The workspace's task search index (T11), kept current by every applied change record: a task
//! change re-reads that task, a message change its task, a customer change that customer's tasks,
//! and a change of field definitions every task with custom values.

use crate::change::{Change, EntityKind};
use crate::ids::{CustomerId, TaskId};
use crate::task::Task;
use crate::text_index::{SlotSet, TextIndex};
use crate::workspace::Workspace;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Phone numbers are also found by any run of four or more of their last digits, typed without
/// spaces or signs, as agents read them off a caller display.
const PHONE_TAIL_MIN: usize = 4;

/// Which slot each task occupies and what its text depends on.
#[derive(Clone, Debug, Default)]
pub struct TaskSearch {
    index: TextIndex,
    slot_of: HashMap<TaskId, u32>,
    task_at: Vec<TaskId>,
    messages_of: HashMap<TaskId, Vec<Uuid>>,
    customer_of: HashMap<TaskId, CustomerId>,
    pub(crate) tasks_of_customer: HashMap<CustomerId, HashSet<TaskId>>,
}

impl TaskSearch {
    /// The tasks whose text holds every word of `query` (as the start of a word); `None` when the
    /// query has no words.
    pub fn find(&self, query: &str) -> Option<TaskHits<'_>> {
        self.index.search(query).map(|set| TaskHits { set, search: self })
    }

    /// The ids of a task's messages (kept with the index, so reading them costs no scan).
    pub fn message_ids(&self, task: TaskId) -> &[Uuid] {
        self.messages_of.get(&task).map_or(&[], Vec::as_slice)
    }

    /// How many distinct words are indexed.
    pub fn vocabulary_len(&self) -> usize {
        self.index.vocabulary_len()
    }
}

/// The tasks a search found.
pub struct TaskHits<'a> {
    set: SlotSet,
    search: &'a TaskSearch,
}

impl TaskHits<'_> {
    /// Whether the task was found.
    pub fn contains(&self, id: TaskId) -> bool {
        self.search.slot_of.get(&id).is_some_and(|&s| self.set.contains(s))
    }

    /// The found tasks' ids.
    pub fn ids(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.set.iter_desc().filter_map(|s| self.search.task_at.get(s as usize).copied())
    }

    /// How many tasks were found.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl Workspace {
    /// Everything a search looks through for one task.
    fn searchable_text(&self, t: &Task) -> String {
        if t.deleted {
            return String::new();
        }
        let mut text = format!("{} {} {} {}", t.number, t.subject, t.description, t.queue.as_deref().unwrap_or(""));
        if let Some(c) = t.customer.and_then(|c| self.customer(c)) {
            text.push_str(&format!(" {} {} {} {}", c.name, c.company, c.phones.join(" "), c.emails.join(" ")));
            for phone in c.phones.iter().map(|p| digits(p)) {
                for start in 0..phone.len().saturating_sub(PHONE_TAIL_MIN - 1) {
                    text.push(' ');
                    text.push_str(&phone[start..]);
                }
            }
        }
        for m in self.search.messages_of.get(&t.id).into_iter().flatten().filter_map(|m| self.messages.get(m)) {
            text.push(' ');
            text.push_str(&m.text);
        }
        text.push_str(&format!(" {} {}", t.hashtags.join(" "), t.codes.join(" ")));
        for (key, value) in &t.custom {
            text.push(' ');
            text.push_str(&self.custom_value_text(key, value, &crate::zone::utc()));
        }
        text
    }

    fn index_task(&mut self, id: TaskId) {
        let Some(task) = self.tasks.get(&id) else { return };
        let text = self.searchable_text(task);
        let customer = task.customer;
        let s = &mut self.search;
        let slot = *s.slot_of.entry(id).or_insert_with(|| {
            s.task_at.push(id);
            (s.task_at.len() - 1) as u32
        });
        s.index.set(slot, &text);
        if let Some(old) = s.customer_of.remove(&id) {
            if let Some(set) = s.tasks_of_customer.get_mut(&old) {
                set.remove(&id);
            }
        }
        if let Some(c) = customer {
            s.customer_of.insert(id, c);
            s.tasks_of_customer.entry(c).or_default().insert(id);
        }
    }

    /// Brings the index up to date after `change` was applied; `fields_changed` tells whether a
    /// settings change touched field definitions (which decide how custom values read).
    pub(crate) fn index_change(&mut self, change: &Change, fields_changed: bool) {
        match change.kind {
            EntityKind::Task => self.index_task(TaskId(change.entity)),
            EntityKind::Customer => {
                let tasks: Vec<TaskId> = self.search.tasks_of_customer.get(&CustomerId(change.entity)).into_iter().flatten().copied().collect();
                for t in tasks {
                    self.index_task(t);
                }
            }
            EntityKind::Message => {
                let Some(task) = self.messages.get(&change.entity).map(|m| m.task) else { return };
                let list = self.search.messages_of.entry(task).or_default();
                if !list.contains(&change.entity) {
                    list.push(change.entity);
                }
                self.index_task(task);
            }
            EntityKind::Config if fields_changed => {
                let tasks: Vec<TaskId> = self.tasks.values().filter(|t| !t.custom.is_empty()).map(|t| t.id).collect();
                for t in tasks {
                    self.index_task(t);
                }
            }
            EntityKind::Config => {}
        }
    }

    /// Indexes every record from scratch (after loading), oldest task first.
    pub(crate) fn rebuild_search(&mut self) {
        self.search = TaskSearch::default();
        for m in self.messages.values() {
            self.search.messages_of.entry(m.task).or_default().push(m.id);
        }
        for list in self.search.messages_of.values_mut() {
            list.sort_by_key(|id| self.messages.get(id).map(|m| m.created_at));
        }
        let mut order: Vec<(chrono::DateTime<chrono::Utc>, TaskId)> = self.tasks.values().map(|t| (t.created_at, t.id)).collect();
        order.sort();
        for (_, id) in order {
            self.index_task(id);
        }
    }
}
