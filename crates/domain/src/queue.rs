//! The queue list: which tasks a view shows, filtered and sorted (T11 basics).

use crate::ids::{IdMap, TaskId, UserId};
use crate::search::TextFilter;
use crate::task::{Channel, Priority, Task, TaskStatus};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

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

impl QueueQuery {
    /// Whether the query filters by creation day, the one part a time zone decides.
    pub fn reads_days(&self) -> bool {
        self.created_from.is_some() || self.created_to.is_some()
    }
}

impl Workspace {
    fn field_matches(&self, t: &Task, key: &str, wanted: &str) -> bool {
        let wanted = wanted.trim().to_lowercase();
        t.custom.get(key).is_some_and(|v| self.custom_value_text(key, v, &crate::zone::utc()).to_lowercase().contains(&wanted))
    }

    /// The tasks `query` selects for `me`, in order.
    pub fn queue(&self, query: &QueueQuery, me: UserId, zone: &dyn crate::zone::Zone) -> Vec<TaskId> {
        // Before the word index is built, a search reads the texts of the tasks every other
        // filter kept (last, as it costs the most): for "My tasks" about a sixth of them.
        let (hits, reading) = match self.text_filter(&query.text) {
            TextFilter::Any => (None, None),
            TextFilter::Hits(hits) => (Some(hits), None),
            TextFilter::Read(prefixes) => (None, Some(RefCell::new(self.text_check(prefixes)))),
        };
        let rows = &self.links.rows;
        // Reading every task's facts in order beats looking up even a sixth of them one by one
        // (as "My tasks" did, through the tasks assigned to the person).
        let candidates: Box<dyn Iterator<Item = &RowFacts>> = match &hits {
            Some(hits) => Box::new(hits.rows().filter_map(|row| rows.facts.get(row as usize))),
            None => Box::new(rows.iter()),
        };
        let hashtag = query.hashtag.as_ref().map(|h| crate::hashtag::parse_hashtags(h).ok().and_then(|v| v.into_iter().next()).unwrap_or_else(|| h.to_lowercase()));
        // The filters row facts do not answer: each set one reads the task, so only then.
        type TaskCheck<'q> = Box<dyn Fn(&Task) -> bool + 'q>;
        let task_checks: Vec<TaskCheck> = [
            query.queue.as_ref().map(|q| Box::new(move |t: &Task| t.queue.as_deref() == Some(q.as_str())) as TaskCheck),
            hashtag.map(|h| Box::new(move |t: &Task| t.hashtags.contains(&h)) as TaskCheck),
            query.code.as_ref().map(|c| Box::new(move |t: &Task| t.codes.contains(c)) as TaskCheck),
            query.created_from.map(|d| Box::new(move |t: &Task| crate::zone::day_of(zone, t.created_at) >= d) as TaskCheck),
            query.created_to.map(|d| Box::new(move |t: &Task| crate::zone::day_of(zone, t.created_at) <= d) as TaskCheck),
            query.field.as_ref().map(|(k, v)| Box::new(move |t: &Task| self.field_matches(t, k, v)) as TaskCheck),
            reading.as_ref().map(|holds| Box::new(move |t: &Task| (holds.borrow_mut())(t)) as TaskCheck),
        ]
        .into_iter()
        .flatten()
        .collect();
        let found: Vec<&RowFacts> = candidates
            .filter(|f| !f.deleted)
            .filter(|f| match query.view {
                View::MyTasks => f.assignee == Some(me) && f.status.is_open(),
                View::AllOpen => f.status.is_open(),
                View::All => true,
            })
            .filter(|f| query.channel.is_none_or(|c| f.channel == c))
            .filter(|f| query.status.is_none_or(|s| f.status == s))
            .filter(|f| query.assignee.is_none_or(|a| f.assignee == a))
            .filter(|f| task_checks.is_empty() || self.tasks.get(&f.id).is_some_and(|t| task_checks.iter().all(|check| check(t))))
            .collect();
        let customer_name = |t: &Task| t.customer.and_then(|c| self.customer(c)).map_or("", |c| c.name.as_str());
        sort_rows(found, query.sort, query.descending, |id| self.tasks.get(&id), customer_name)
    }
}

/// What the queue filters and sorts by most, for one task, without reading the task: "All open"
/// newest first reads 100,000 of these (a few cache lines a thousand) rather than 100,000 tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RowFacts {
    pub(crate) id: TaskId,
    /// When the task was created: seconds and nanoseconds since 1970.
    created: (i64, u32),
    assignee: Option<UserId>,
    status: TaskStatus,
    channel: Channel,
    priority: Priority,
    deleted: bool,
}

impl RowFacts {
    fn of(t: &Task) -> Self {
        RowFacts {
            id: t.id,
            created: (t.created_at.timestamp(), t.created_at.timestamp_subsec_nanos()),
            assignee: t.assignee,
            status: t.status,
            channel: t.channel,
            priority: t.priority,
            deleted: t.deleted,
        }
    }
}

/// Every task's [`RowFacts`], in one array kept change by change.
#[derive(Clone, Debug, Default)]
pub(crate) struct QueueRows {
    slot_of: IdMap<TaskId, u32>,
    facts: Vec<RowFacts>,
}

impl QueueRows {
    /// Room for `tasks` more.
    pub(crate) fn reserve(&mut self, tasks: usize) {
        self.slot_of.reserve(tasks);
        self.facts.reserve(tasks);
    }

    /// Records the task as it is now.
    pub(crate) fn set(&mut self, t: &Task) {
        let facts = RowFacts::of(t);
        match self.slot_of.get(&t.id) {
            Some(&slot) => self.facts[slot as usize] = facts,
            None => {
                self.slot_of.insert(t.id, self.facts.len() as u32);
                self.facts.push(facts);
            }
        }
    }

    /// Where the task's facts are in the array (they stay there); past the end when it has none.
    pub(crate) fn row_of(&self, id: TaskId) -> u32 {
        self.slot_of.get(&id).copied().unwrap_or(u32::MAX)
    }

    fn iter(&self) -> impl Iterator<Item = &RowFacts> {
        self.facts.iter()
    }

    /// Every task with where its facts are, oldest first, then by id: the order of the word
    /// index's slots. Sorting the tasks themselves by creation read 100,000 scattered tasks (about
    /// 30 ms of a cold start).
    pub(crate) fn oldest_first(&self) -> Vec<(TaskId, u32)> {
        self.oldest_first_where(|_| true)
    }

    /// The tasks whose facts `keep` accepts, in [`Self::oldest_first`]'s order.
    pub(crate) fn oldest_first_where(&self, mut keep: impl FnMut(&RowFacts) -> bool) -> Vec<(TaskId, u32)> {
        age_sorted(self.facts.iter().enumerate().filter(|(_, f)| keep(f)).map(|(row, f)| (f, (f.id, row as u32))), true)
    }
}

/// What a row sorts by in a text column; every row of a sort has the same kind.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortValue<'a> {
    Text(&'a str),
    Folded(String),
}

/// Sorts rows by a column (then by id, so the order is total). Each row's value is read once
/// before sorting: comparing tasks directly re-read them (and lower-cased subjects) at every
/// comparison, which with 67,000 open tasks took 230 ms for subjects and 15 ms for age. The text
/// columns, which the facts do not hold, are read from the task `task` finds.
fn sort_rows<'a>(rows: Vec<&RowFacts>, sort: SortKey, descending: bool, task: impl Fn(TaskId) -> Option<&'a Task>, customer_name: impl Fn(&'a Task) -> &'a str) -> Vec<TaskId> {
    let number = |f: &RowFacts| SortValue::Text(task(f.id).map_or("", |t| t.number.as_str()));
    let subject = |f: &RowFacts| SortValue::Folded(task(f.id).map_or("", |t| t.subject.as_str()).to_lowercase());
    let customer = |f: &RowFacts| SortValue::Folded(task(f.id).map_or("", &customer_name).to_lowercase());
    let text: &dyn Fn(&RowFacts) -> SortValue<'a> = match sort {
        SortKey::Age => return by_age(rows, descending),
        SortKey::Status => return by_rank(rows, descending, |f| f.status as u8),
        SortKey::Channel => return by_rank(rows, descending, |f| f.channel as u8),
        SortKey::Priority => return by_rank(rows, descending, |f| f.priority as u8),
        SortKey::Number => &number,
        SortKey::Subject => &subject,
        SortKey::Customer => &customer,
    };
    let mut keyed: Vec<(SortValue<'a>, TaskId)> = rows.into_iter().map(|f| (text(f), f.id)).collect();
    keyed.sort_unstable_by(|a, b| {
        let primary = a.0.cmp(&b.0);
        let primary = if descending { primary.reverse() } else { primary };
        primary.then_with(|| a.1.cmp(&b.1))
    });
    keyed.into_iter().map(|(_, id)| id).collect()
}

/// By a rank (status, channel, priority; largest first when `descending`), then by id, with a
/// radix sort of both: natively at 100,000 rows, 2.1 to 2.9 ms against 4.9 ms comparing them.
fn by_rank(rows: Vec<&RowFacts>, descending: bool, rank: impl Fn(&RowFacts) -> u8) -> Vec<TaskId> {
    // A task id orders as its 128 bits read big-endian.
    let mut keyed: Vec<(u8, u128)> = rows.into_iter().map(|f| (if descending { !rank(f) } else { rank(f) }, f.id.0.as_u128())).collect();
    radsort::sort_by_key(&mut keyed, |k| *k);
    keyed.into_iter().map(|(_, id)| TaskId(uuid::Uuid::from_u128(id))).collect()
}

/// Newest first (oldest first when `descending`), then by id. Age is the queue's default column,
/// so it sorts integer keys with a radix sort: at 67,000 open tasks natively, 1.5 ms against 4.5 ms
/// comparing dates, and the queue is worked out again whenever a task changes.
fn by_age(rows: Vec<&RowFacts>, descending: bool) -> Vec<TaskId> {
    age_sorted(rows.into_iter().map(|f| (f, f.id)), descending)
}

/// What goes with each row (`P`, starting with the row's id, which settles ties), in [`by_age`]'s order.
fn age_sorted<'a, P: Ord>(rows: impl Iterator<Item = (&'a RowFacts, P)>, descending: bool) -> Vec<P> {
    let mut keyed: Vec<((i64, u32), P)> = rows
        .map(|(f, p)| {
            // Flipping every bit reverses the order of both parts.
            (if descending { f.created } else { (!f.created.0, !f.created.1) }, p)
        })
        .collect();
    radsort::sort_by_key(&mut keyed, |(at, _)| *at);
    for same_age in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
        same_age.sort_unstable_by(|a, b| a.1.cmp(&b.1));
    }
    keyed.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;
    use std::cmp::Ordering;

    /// The order the list promises, compared task by task (the way it was first written).
    fn reference(a: &Task, b: &Task, sort: SortKey, descending: bool, customer: &dyn Fn(&Task) -> String) -> Ordering {
        let primary = match sort {
            SortKey::Number => a.number.cmp(&b.number),
            SortKey::Subject => a.subject.to_lowercase().cmp(&b.subject.to_lowercase()),
            SortKey::Customer => customer(a).to_lowercase().cmp(&customer(b).to_lowercase()),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::Channel => a.channel.cmp(&b.channel),
            SortKey::Priority => a.priority.cmp(&b.priority),
            SortKey::Age => b.created_at.cmp(&a.created_at),
        };
        let primary = if descending { primary.reverse() } else { primary };
        primary.then_with(|| a.id.cmp(&b.id))
    }

    fn task() -> impl Strategy<Value = Task> {
        // Few distinct times, so ages tie; parts of a second and times before 1970 as well.
        let created = (0..5i64, 0..3u32, any::<bool>()).prop_map(|(minute, part, early)| Utc.timestamp_opt(if early { -86_400 } else { 1_790_000_000 } + minute * 60, part * 400_000_000).unwrap());
        (any::<u128>(), "[aAbB]{0,3}", "T-[0-9]{1,2}", 0..3usize, 0..6usize, 0..4usize, created).prop_map(|(id, subject, number, status, channel, priority, created_at)| Task {
            id: TaskId(uuid::Uuid::from_u128(id)),
            subject,
            number,
            status: TaskStatus::ALL[status],
            channel: Channel::ALL[channel],
            priority: Priority::ALL[priority],
            created_at,
            ..Task::default()
        })
    }

    const SORTS: [SortKey; 7] = [SortKey::Number, SortKey::Subject, SortKey::Customer, SortKey::Status, SortKey::Channel, SortKey::Priority, SortKey::Age];

    proptest! {
        /// Sorting by values read once gives the order comparing whole tasks gives, ties included.
        #[test]
        fn t11_rows_sort_by_each_column_either_way(tasks in proptest::collection::vec(task(), 0..40), sort in 0..7usize, descending in any::<bool>()) {
            let sort = SORTS[sort];
            // A customer name derived from the subject, so names repeat and differ in case.
            let customer = |t: &Task| t.subject.chars().rev().collect::<String>();
            let names: std::collections::HashMap<TaskId, String> = tasks.iter().map(|t| (t.id, customer(t))).collect();
            let mut expected: Vec<&Task> = tasks.iter().collect();
            expected.sort_by(|a, b| reference(a, b, sort, descending, &customer));
            let by_id: std::collections::HashMap<TaskId, &Task> = tasks.iter().map(|t| (t.id, t)).collect();
            let facts: Vec<RowFacts> = tasks.iter().map(RowFacts::of).collect();
            let sorted = sort_rows(facts.iter().collect(), sort, descending, |id| by_id.get(&id).copied(), |t| names[&t.id].as_str());
            prop_assert_eq!(sorted, expected.iter().map(|t| t.id).collect::<Vec<_>>());
        }
    }

    /// A zone that must not be asked: the app hands the queue one only when it reads days.
    struct Unasked;

    impl crate::zone::Zone for Unasked {
        fn offset_at(&self, _: chrono::DateTime<Utc>) -> chrono::FixedOffset {
            panic!("the queue asked for the time zone without a date filter")
        }
    }

    #[test]
    fn only_a_date_filter_reads_the_time_zone() {
        let mut ws = Workspace::new(crate::workspace::Device::new(crate::ids::DeviceCode::from_random(3)));
        crate::demo::seed(&mut ws, 7, Utc::now()).unwrap();
        let me = crate::demo::users()[0].id;
        let sorts = [SortKey::Number, SortKey::Subject, SortKey::Customer, SortKey::Status, SortKey::Channel, SortKey::Priority, SortKey::Age];
        for view in [View::MyTasks, View::AllOpen, View::All] {
            for sort in sorts {
                let query = QueueQuery { view, sort, text: "r".into(), hashtag: Some("#vip".into()), ..QueueQuery::default() };
                assert!(!query.reads_days());
                ws.queue(&query, me, &Unasked);
            }
        }
        let dated = QueueQuery { view: View::All, created_from: Some(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()), ..QueueQuery::default() };
        assert!(dated.reads_days());
        let asked = std::panic::catch_unwind(|| ws.queue(&dated, me, &Unasked));
        assert!(asked.is_err(), "a date filter reads the zone");
    }
}
