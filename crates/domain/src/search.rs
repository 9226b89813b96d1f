//! The workspace's task search index (T11), kept current by every applied change record: a task
//! change re-reads that task, a message change its task, a customer change that customer's tasks,
//! and a change of field definitions every task with custom values.
//!
//! The word index is not built when the workspace loads (with 100,000 tasks it takes about half a
//! second, and the queue's first screen does not need it): the app builds it a slice at a time
//! after start, and a search before the end reads every task's text instead. What links records to each other (a
//! task's messages, a customer's tasks) and the few sets hot paths read instead of every task
//! (the tasks routing follows, the tasks holding an offer) are cheap and kept from the start.

use crate::change::{Change, EntityKind};
use crate::ids::{CustomerId, IdMap, IdSet, TaskId, UserId};
use crate::task::Task;
use crate::text_index::{Prefixes, SlotSet, TextIndex};
use crate::workspace::Workspace;
use std::sync::{Mutex, OnceLock};
use uuid::Uuid;

/// Phone numbers are also found by any run of four or more of their last digits, typed without
/// spaces or signs, as agents read them off a caller display.
const PHONE_TAIL_MIN: usize = 4;

/// The word index over tasks, and which slot each task occupies.
#[derive(Clone, Debug, Default)]
pub struct TaskSearch {
    index: TextIndex,
    slot_of: IdMap<TaskId, u32>,
    task_at: Vec<TaskId>,
    /// Per slot, where the task's row facts are in the queue's array: a search the queue lists
    /// reads its hits' facts by place, where looking each up by id (51,000 hits for "refund")
    /// made it the slowest frame of switching views.
    row_at: Vec<u32>,
}

/// What a task's searchable text depends on besides the task (its messages and its customer), and
/// the sets routing and the offer views read instead of every task.
#[derive(Clone, Debug, Default)]
pub(crate) struct Links {
    messages_of: IdMap<TaskId, Vec<Uuid>>,
    /// The tasks naming each customer.
    pub(crate) by_customer: Grouping<CustomerId>,
    /// The tasks routing follows, by the person assigned: "My work" counts theirs on every tick.
    pub(crate) routed_by_assignee: Grouping<UserId>,
    /// The tasks routing follows (see [`crate::center`]).
    pub(crate) routed: IdSet<TaskId>,
    /// The tasks holding an offer, live or lapsed.
    pub(crate) offered: IdSet<TaskId>,
    /// What the queue filters and sorts by, for every task.
    pub(crate) rows: crate::queue::QueueRows,
    /// The tasks changed since routing last read them: a tick reads these, not all it follows.
    pub(crate) changed_for_routing: IdSet<TaskId>,
    /// Which links these are (see [`Generation`]).
    pub(crate) generation: Generation,
}

/// Tells one set of links from every other: each workspace made, reloaded or cloned gets its own,
/// so routing, which reads only the changes since its last tick, reads every task it follows when
/// it meets a workspace whose changes it has not been reading.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Generation(pub(crate) u64);

impl Default for Generation {
    fn default() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Generation(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Clone for Generation {
    fn clone(&self) -> Self {
        Generation::default()
    }
}

impl Links {
    /// [`Self::record`]s a task that changed, and lists it for routing's next tick.
    fn follow(&mut self, task: &Task) {
        self.changed_for_routing.insert(task.id);
        self.record(task);
    }

    /// Records which customer (if any) a task names now, whether routing follows it, whether it
    /// holds an offer, and what the queue reads of it.
    fn record(&mut self, task: &Task) {
        let routed = crate::center::followed_by_routing(task);
        for (set, holds) in [(&mut self.routed, routed), (&mut self.offered, task.offer.is_some())] {
            if holds {
                set.insert(task.id);
            } else {
                set.remove(&task.id);
            }
        }
        self.by_customer.set(task.id, task.customer);
        self.routed_by_assignee.set(task.id, task.assignee.filter(|_| routed));
        self.rows.set(task);
    }
}

/// Tasks grouped by one of their fields (a customer, an assignee), kept change by change.
#[derive(Clone, Debug)]
pub(crate) struct Grouping<K> {
    of: IdMap<TaskId, K>,
    tasks: IdMap<K, IdSet<TaskId>>,
}

impl<K> Default for Grouping<K> {
    fn default() -> Self {
        Grouping { of: IdMap::default(), tasks: IdMap::default() }
    }
}

impl<K: Copy + Eq + std::hash::Hash> Grouping<K> {
    /// Records the task's value now (or that it has none).
    fn set(&mut self, task: TaskId, value: Option<K>) {
        if let Some(old) = self.of.remove(&task) {
            if let Some(set) = self.tasks.get_mut(&old) {
                set.remove(&task);
            }
        }
        if let Some(v) = value {
            self.of.insert(task, v);
            self.tasks.entry(v).or_default().insert(task);
        }
    }

    /// The tasks with this value.
    pub(crate) fn tasks(&self, value: &K) -> impl Iterator<Item = TaskId> + '_ {
        self.tasks.get(value).into_iter().flatten().copied()
    }
}

/// The word index: built a slice at a time while the app is idle ([`Workspace::build_search`]),
/// or whole when [`Workspace::search`] asks for it.
#[derive(Debug, Default)]
pub(crate) struct LazySearch {
    built: OnceLock<TaskSearch>,
    partial: Mutex<Option<PartialSearch>>,
}

/// An index being built: every task known when it started has its slot (in creation order, so
/// the task at `order[i]` holds slot `i`), and the tasks before `next` their words; changes since
/// then are already in it.
#[derive(Clone, Debug)]
struct PartialSearch {
    search: TaskSearch,
    order: Vec<TaskId>,
    next: usize,
}

impl Clone for LazySearch {
    fn clone(&self) -> Self {
        let partial = self.partial.lock().map(|p| p.clone()).unwrap_or_default();
        LazySearch { built: self.built.clone(), partial: Mutex::new(partial) }
    }
}

impl LazySearch {
    /// Whether the index is complete.
    pub(crate) fn is_built(&self) -> bool {
        self.built.get().is_some()
    }

    /// The index being kept current, whole (true) or partial (false).
    fn current(&mut self) -> Option<(&mut TaskSearch, bool)> {
        match self.built.get_mut() {
            Some(search) => Some((search, true)),
            None => self.partial.get_mut().ok()?.as_mut().map(|p| (&mut p.search, false)),
        }
    }
}

impl TaskSearch {
    /// The tasks whose text holds every word of `query` (as the start of a word); `None` when the
    /// query has no words.
    pub fn find(&self, query: &str) -> Option<TaskHits<'_>> {
        Prefixes::of(query).map(|prefixes| self.find_prefixes(&prefixes))
    }

    fn find_prefixes(&self, prefixes: &Prefixes) -> TaskHits<'_> {
        TaskHits(Found::Indexed { set: self.index.find(prefixes), search: self })
    }

    /// How many distinct words are indexed.
    pub fn vocabulary_len(&self) -> usize {
        self.index.vocabulary_len()
    }

    /// Makes `text` the task's text, giving the task a slot the first time (its row facts at
    /// `row` in the queue's array). While the index is still being built (`settle` false), its new
    /// words wait to be ordered with the rest when the build ends.
    fn set(&mut self, id: TaskId, row: u32, text: &str, settle: bool) {
        let slot = self.slot(id, row);
        self.index.fill(slot, text);
        if settle {
            self.index.settle();
        }
    }

    fn slot(&mut self, id: TaskId, row: u32) -> u32 {
        *self.slot_of.entry(id).or_insert_with(|| {
            self.task_at.push(id);
            self.row_at.push(row);
            (self.task_at.len() - 1) as u32
        })
    }
}

/// The tasks a search found, newest first.
pub struct TaskHits<'a>(Found<'a>);

/// How a search narrows the tasks (see [`Workspace::text_filter`]).
pub(crate) enum TextFilter<'a> {
    /// The query has no words: every task.
    Any,
    /// The word index's answer.
    Hits(TaskHits<'a>),
    /// The index is not built yet: each task's text is to be read.
    Read(Prefixes),
}

enum Found<'a> {
    /// Slots of the word index.
    Indexed { set: SlotSet, search: &'a TaskSearch },
    /// Found by reading every task's text, before the index was built: ids with the places of
    /// their row facts.
    Read(Vec<(TaskId, u32)>),
}

impl TaskHits<'_> {
    /// The found tasks' ids.
    pub fn ids(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.each(|search, slot| search.task_at.get(slot as usize).copied(), |(id, _)| id)
    }

    /// The found tasks' places in the queue's array of row facts, in the order of [`Self::ids`].
    pub(crate) fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.each(|search, slot| search.row_at.get(slot as usize).copied(), |(_, row)| row)
    }

    /// One thing of each found task, read from the index's slot or from what reading found.
    fn each<'s, T>(&'s self, of_slot: impl Fn(&'s TaskSearch, u32) -> Option<T> + 's, of_read: impl Fn((TaskId, u32)) -> T + 's) -> impl Iterator<Item = T> + 's {
        let (indexed, read) = match &self.0 {
            Found::Indexed { set, search } => (Some(set.iter_desc().filter_map(move |slot| of_slot(search, slot))), None),
            Found::Read(found) => (None, Some(found.iter().map(move |&hit| of_read(hit)))),
        };
        indexed.into_iter().flatten().chain(read.into_iter().flatten())
    }

    /// How many tasks were found.
    pub fn len(&self) -> usize {
        match &self.0 {
            Found::Indexed { set, .. } => set.len(),
            Found::Read(found) => found.len(),
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl Workspace {
    /// The task search index (T11): finished (or built whole) at the first call.
    pub fn search(&self) -> &TaskSearch {
        self.search.built.get_or_init(|| {
            let partial = self.search.partial.lock().ok().and_then(|mut p| p.take());
            let mut partial = partial.unwrap_or_else(|| self.start_search());
            self.index_slice(&mut partial, usize::MAX);
            partial.search
        })
    }

    /// Builds up to `slice` more tasks' part of the word index, so that the first search finds
    /// it (nearly) built without the page stalling for the whole build at once; true once it is
    /// complete.
    pub fn build_search(&mut self, slice: usize) -> bool {
        if self.search.is_built() {
            return true;
        }
        let partial = self.search.partial.get_mut().ok().and_then(Option::take);
        let mut partial = partial.unwrap_or_else(|| self.start_search());
        self.index_slice(&mut partial, slice);
        if partial.next < partial.order.len() {
            self.search.partial = Mutex::new(Some(partial));
            false
        } else {
            let _ = self.search.built.set(partial.search);
            true
        }
    }

    /// An empty index with a slot for every task, oldest first, so slots (and so the order hits
    /// come in) follow creation however the words are filled in.
    fn start_search(&self) -> PartialSearch {
        let order = self.links.rows.oldest_first();
        let mut search = TaskSearch::default();
        search.slot_of.reserve(order.len());
        let order = order
            .into_iter()
            .map(|(id, row)| {
                search.slot(id, row);
                id
            })
            .collect();
        PartialSearch { search, order, next: 0 }
    }

    /// Fills in the words of up to `count` more tasks.
    fn index_slice(&self, partial: &mut PartialSearch, count: usize) {
        let end = partial.order.len().min(partial.next.saturating_add(count));
        for (slot, id) in partial.order.iter().enumerate().take(end).skip(partial.next) {
            if let Some(task) = self.tasks.get(id) {
                partial.search.index.fill(slot as u32, &self.searchable_text(task));
            }
        }
        partial.next = end;
        if end == partial.order.len() {
            partial.search.index.settle();
        }
    }

    /// The tasks a search finds; `None` when the query has no words. Until the word index is
    /// built, every task's text is read instead: with 100,000 tasks that answers in tens of
    /// milliseconds, where finishing the index (a keystroke in the first second) took half a second.
    pub fn find_tasks(&self, query: &str) -> Option<TaskHits<'_>> {
        match self.text_filter(query) {
            TextFilter::Any => None,
            TextFilter::Hits(hits) => Some(hits),
            TextFilter::Read(prefixes) => {
                let mut holds = self.text_check(prefixes);
                // Newest first, as the index's slots are.
                let mut found = self.links.rows.oldest_first_where(|facts| self.tasks.get(&facts.id).is_some_and(&mut holds));
                found.reverse();
                Some(TaskHits(Found::Read(found)))
            }
        }
    }

    /// How a search narrows: by the word index once it is built, otherwise by reading the texts
    /// of the tasks left after cheaper filters ([`Self::text_check`]).
    pub(crate) fn text_filter(&self, query: &str) -> TextFilter<'_> {
        let Some(prefixes) = Prefixes::of(query) else { return TextFilter::Any };
        match self.search.built.get() {
            Some(search) => TextFilter::Hits(search.find_prefixes(&prefixes)),
            None => TextFilter::Read(prefixes),
        }
    }

    /// Whether a task's searchable text holds every prefix, read from the task (one string
    /// reused from task to task).
    pub(crate) fn text_check(&self, prefixes: Prefixes) -> impl FnMut(&Task) -> bool + '_ {
        let mut text = String::new();
        move |task| {
            text.clear();
            self.write_searchable_text(task, &mut text);
            prefixes.found_in(&text)
        }
    }

    /// The ids of a task's messages, oldest first (kept as they change, so reading them costs no scan).
    pub fn message_ids(&self, task: TaskId) -> &[Uuid] {
        self.links.messages_of.get(&task).map_or(&[], Vec::as_slice)
    }

    /// Everything a search looks through for one task, its parts one space apart (written into
    /// one string: building 100,000 of them is a good part of the index's build).
    fn searchable_text(&self, t: &Task) -> String {
        let mut text = String::with_capacity(t.subject.len() + t.description.len() + 160);
        self.write_searchable_text(t, &mut text);
        text
    }

    /// [`Self::searchable_text`], added to `text`.
    fn write_searchable_text(&self, t: &Task, text: &mut String) {
        if t.deleted {
            return;
        }
        let mut add = |part: &str| {
            text.push_str(part);
            text.push(' ');
        };
        for part in [t.number.as_str(), &t.subject, &t.description, t.queue.as_deref().unwrap_or("")] {
            add(part);
        }
        if let Some(c) = t.customer.and_then(|c| self.customer(c)) {
            for part in [&c.name, &c.company].into_iter().chain(&c.phones).chain(&c.emails) {
                add(part);
            }
            for phone in c.phones.iter().map(|p| digits(p)) {
                for start in 0..phone.len().saturating_sub(PHONE_TAIL_MIN - 1) {
                    add(&phone[start..]);
                }
            }
        }
        for m in self.message_ids(t.id).iter().filter_map(|m| self.messages.get(m)) {
            add(&m.text);
        }
        for part in t.hashtags.iter().chain(&t.codes) {
            add(part);
        }
        for (key, value) in &t.custom {
            add(&self.custom_value_text(key, value, &crate::zone::utc()));
        }
    }

    /// Follows a task's customer, and its text once the word index is built.
    fn index_task(&mut self, id: TaskId) {
        let Some(task) = self.tasks.get(&id) else { return };
        let text = self.search.current().is_some().then(|| self.searchable_text(task));
        self.links.follow(task);
        if let (Some((search, built)), Some(text)) = (self.search.current(), text) {
            search.set(id, self.links.rows.row_of(id), &text, built);
        }
    }

    /// Brings the index up to date after `change` was applied; `fields_changed` tells whether a
    /// settings change touched field definitions (which decide how custom values read).
    pub(crate) fn index_change(&mut self, change: &Change, fields_changed: bool) {
        match change.kind {
            EntityKind::Task => self.index_task(TaskId(change.entity)),
            EntityKind::Customer => {
                let tasks: Vec<TaskId> = self.links.by_customer.tasks(&CustomerId(change.entity)).collect();
                for t in tasks {
                    self.index_task(t);
                }
            }
            EntityKind::Message => {
                let Some(task) = self.messages.get(&change.entity).map(|m| m.task) else { return };
                let list = self.links.messages_of.entry(task).or_default();
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

    /// Links every record from scratch (after loading); the word index waits for the first search.
    pub(crate) fn rebuild_search(&mut self) {
        self.search = LazySearch::default();
        let mut links = Links::default();
        for m in self.messages.values() {
            links.messages_of.entry(m.task).or_default().push(m.id);
        }
        for list in links.messages_of.values_mut() {
            list.sort_by_key(|id| self.messages.get(id).map(|m| m.created_at));
        }
        // Reserved up front: growing these maps was a fifth of linking 100,000 tasks.
        links.rows.reserve(self.tasks.len());
        links.by_customer.of.reserve(self.tasks.len());
        // Not listed for routing: its first tick meets a new generation and reads every task.
        for t in self.tasks.values() {
            links.record(t);
        }
        self.links = links;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::{QueueQuery, View};

    #[test]
    fn t11_the_word_index_is_built_apart_from_searching() {
        let mut seeded = Workspace::new(crate::workspace::Device::new(crate::ids::DeviceCode::from_random(2)));
        crate::demo::seed(&mut seeded, 7, chrono::Utc::now()).unwrap();
        let ws = Workspace::from_records(
            seeded.device.clone(),
            seeded.config.clone(),
            seeded.tasks.values().cloned().collect(),
            seeded.customers.values().cloned().collect(),
            seeded.messages.values().cloned().collect(),
        );
        let me = crate::demo::users()[0].id;
        let all = QueueQuery { view: View::All, ..QueueQuery::default() };
        assert_eq!(ws.queue(&all, me, &crate::zone::utc()).len(), ws.tasks.values().filter(|t| !t.deleted).count());
        assert!(!ws.search.is_built(), "a queue without search words builds no index");
        assert!(ws.find_tasks(" - ").is_none() && !ws.search.is_built(), "nor does a query without words");
        let subject = ws.tasks.values().find(|t| !t.deleted).map(|t| t.subject.clone()).unwrap();
        let read: Vec<TaskId> = ws.find_tasks(&subject).unwrap().ids().collect();
        assert!(!read.is_empty());
        assert!(!ws.search.is_built(), "a search before the index reads every task instead");
        ws.search();
        let indexed: Vec<TaskId> = ws.find_tasks(&subject).unwrap().ids().collect();
        assert_eq!(indexed, read, "the index finds the same tasks, in the same order");
    }
}
