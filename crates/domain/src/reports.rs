//! Team statistics (S1), read from the records on this device, so they work offline: counts by
//! channel, agent, queue, hashtag and transaction code; wait, handle and first-response times;
//! SLA attainment against a target; tasks created and resolved per day; and CSV export.
//!
//! Times come from each task's field stamps: the stamp of `assignee` is when it was (last)
//! given to someone, the stamp of `status` on a resolved task is when it was resolved; the
//! first reply is the earliest message an agent sent.

use crate::ids::TaskId;
use crate::task::{Task, TaskStatus};
use crate::workspace::Workspace;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};

/// What a report covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportQuery {
    /// First day, inclusive, in the reader's time zone.
    pub from: NaiveDate,
    /// Last day, inclusive, in the reader's time zone.
    pub to: NaiveDate,
    /// A task meets the service level when it waited at most this long for an agent.
    pub sla_target_s: u64,
}

/// Summary of a set of durations, in seconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Durations {
    /// How many.
    pub count: usize,
    /// Average.
    pub mean_s: f64,
    /// Middle value.
    pub median_s: f64,
    /// Nine in ten are at most this.
    pub p90_s: f64,
}

impl Durations {
    fn of(mut values: Vec<f64>) -> Durations {
        if values.is_empty() {
            return Durations::default();
        }
        values.sort_by(f64::total_cmp);
        let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
        Durations { count: values.len(), mean_s: values.iter().sum::<f64>() / values.len() as f64, median_s: at(0.5), p90_s: at(0.9) }
    }
}

/// One day of the chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    /// The day.
    pub date: NaiveDate,
    /// Tasks created that day.
    pub created: usize,
    /// Tasks resolved that day.
    pub resolved: usize,
}

/// The report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Tasks created in the range.
    pub created: usize,
    /// Of those, resolved.
    pub resolved: usize,
    /// Counts by channel, agent, queue, hashtag and code, largest first: (dimension, [(name, count)]).
    pub counts: Vec<(&'static str, Vec<(String, usize)>)>,
    /// From creation to being given to an agent.
    pub wait: Durations,
    /// From being given to an agent to resolution.
    pub handle: Durations,
    /// From creation to the first reply an agent sent (written channels).
    pub first_response: Durations,
    /// Tasks given to an agent within the target, and all tasks given to an agent.
    pub sla: (usize, usize),
    /// Against each queue's own targets (the ones the queue and the task show): first replies
    /// within target and all first replies measured; resolutions within target and all measured.
    pub queue_targets: [(usize, usize); 2],
    /// Per day of the range.
    pub days: Vec<Day>,
}

impl Report {
    /// SLA attainment in percent, when any task was given to an agent.
    pub fn sla_percent(&self) -> Option<f64> {
        (self.sla.1 > 0).then(|| self.sla.0 as f64 * 100.0 / self.sla.1 as f64)
    }
}

fn stamp_time(t: &Task, field: &str) -> Option<DateTime<Utc>> {
    t.stamps.get(field).and_then(|h| DateTime::from_timestamp_millis(h.millis as i64))
}

fn seconds(from: DateTime<Utc>, to: DateTime<Utc>) -> Option<f64> {
    let d = (to - from).num_milliseconds();
    (d >= 0).then(|| d as f64 / 1000.0)
}

fn ranked(map: HashMap<String, usize>) -> Vec<(String, usize)> {
    let mut list: Vec<(String, usize)> = map.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list
}

impl Workspace {
    /// The report over tasks created in the query's days.
    pub fn report(&self, q: &ReportQuery, zone: &dyn crate::zone::Zone) -> Report {
        let day = |at: DateTime<Utc>| crate::zone::day_of(zone, at);
        let in_range = |d: NaiveDate| d >= q.from && d <= q.to;
        let tasks: Vec<&Task> = self.tasks.values().filter(|t| !t.deleted && in_range(day(t.created_at))).collect();
        let mut first_reply: HashMap<TaskId, DateTime<Utc>> = HashMap::new();
        for m in self.messages.values().filter(|m| !m.inbound && m.delivery != crate::conversation::Delivery::Note) {
            let e = first_reply.entry(m.task).or_insert(m.created_at);
            *e = (*e).min(m.created_at);
        }
        let users: HashMap<_, _> = self.users().into_iter().map(|u| (u.id, u.name)).collect();
        let mut counts: [HashMap<String, usize>; 5] = Default::default();
        let (mut wait, mut handle, mut first) = (Vec::new(), Vec::new(), Vec::new());
        let mut sla = (0, 0);
        let mut queue_targets = [(0, 0); 2];
        // Each queue's targets, looked up once per queue rather than once per task.
        let mut targets_of: HashMap<&str, (u32, u32)> = HashMap::new();
        let mut days: BTreeMap<NaiveDate, (usize, usize)> = BTreeMap::new();
        let mut d = q.from;
        while d <= q.to && days.len() < 366 {
            days.insert(d, (0, 0));
            d += Duration::days(1);
        }
        for t in &tasks {
            *counts[0].entry(t.channel.label().to_string()).or_default() += 1;
            let agent = t.assignee.map_or_else(|| "Unassigned".to_string(), |a| users.get(&a).cloned().unwrap_or_else(|| "Former user".into()));
            *counts[1].entry(agent).or_default() += 1;
            *counts[2].entry(t.queue.clone().unwrap_or_else(|| "No queue".into())).or_default() += 1;
            for h in &t.hashtags {
                *counts[3].entry(h.clone()).or_default() += 1;
            }
            for c in &t.codes {
                *counts[4].entry(c.clone()).or_default() += 1;
            }
            if let Some(day) = days.get_mut(&day(t.created_at)) {
                day.0 += 1;
            }
            let assigned = t.assignee.and(stamp_time(t, "assignee"));
            if let Some(w) = assigned.and_then(|a| seconds(t.created_at, a)) {
                wait.push(w);
                sla.1 += 1;
                if w <= q.sla_target_s as f64 {
                    sla.0 += 1;
                }
            }
            if t.status == TaskStatus::Resolved {
                let resolved_at = stamp_time(t, "status");
                if let Some(day) = resolved_at.and_then(|r| days.get_mut(&day(r))) {
                    day.1 += 1;
                }
                let start = assigned.unwrap_or(t.created_at);
                if let Some(h) = resolved_at.and_then(|r| seconds(start, r)) {
                    handle.push(h);
                }
            }
            if let Some(f) = first_reply.get(&t.id).and_then(|r| seconds(t.created_at, *r)) {
                first.push(f);
            }
            let targets = t.queue.as_deref().map_or((0, 0), |name| *targets_of.entry(name).or_insert_with(|| self.sla_targets(name).unwrap_or_default()));
            let measured = [
                (targets.0, first_reply.get(&t.id).filter(|_| crate::conversation::is_written(t.channel)).copied()),
                (targets.1, Some(t).filter(|t| t.status == TaskStatus::Resolved).and_then(|t| stamp_time(t, "status"))),
            ];
            for (i, (minutes, done)) in measured.into_iter().enumerate() {
                if let (true, Some(at)) = (minutes > 0, done) {
                    queue_targets[i].1 += 1;
                    if at - t.created_at <= Duration::minutes(i64::from(minutes)) {
                        queue_targets[i].0 += 1;
                    }
                }
            }
        }
        let [channel, agent, queue, hashtag, code] = counts;
        Report {
            created: tasks.len(),
            resolved: tasks.iter().filter(|t| t.status == TaskStatus::Resolved).count(),
            counts: vec![("Channel", ranked(channel)), ("Agent", ranked(agent)), ("Queue", ranked(queue)), ("Hashtag", ranked(hashtag)), ("Transaction code", ranked(code))],
            wait: Durations::of(wait),
            handle: Durations::of(handle),
            first_response: Durations::of(first),
            sla,
            queue_targets,
            days: days.into_iter().map(|(date, (created, resolved))| Day { date, created, resolved }).collect(),
        }
    }
}

fn csv_field(s: &str) -> String {
    // Quotes doubled; a leading = + - @ is prefixed so a spreadsheet never reads a formula.
    let safe = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

/// The report as CSV (section, name, value), ready to open in a spreadsheet.
pub fn to_csv(r: &Report, q: &ReportQuery) -> String {
    let mut rows: Vec<[String; 3]> = vec![["section".into(), "name".into(), "value".into()]];
    let mut add = |a: &str, b: &str, c: String| rows.push([a.to_string(), b.to_string(), c]);
    add("range", "from", q.from.to_string());
    add("range", "to", q.to.to_string());
    add("totals", "created", r.created.to_string());
    add("totals", "resolved", r.resolved.to_string());
    for (name, d) in [("wait", &r.wait), ("handle", &r.handle), ("first response", &r.first_response)] {
        add(name, "count", d.count.to_string());
        add(name, "mean seconds", format!("{:.1}", d.mean_s));
        add(name, "median seconds", format!("{:.1}", d.median_s));
        add(name, "p90 seconds", format!("{:.1}", d.p90_s));
    }
    add("sla", "target seconds", q.sla_target_s.to_string());
    add("sla", "met", r.sla.0.to_string());
    add("sla", "answered", r.sla.1.to_string());
    add("queue targets", "first replies within", r.queue_targets[0].0.to_string());
    add("queue targets", "first replies measured", r.queue_targets[0].1.to_string());
    add("queue targets", "resolved within", r.queue_targets[1].0.to_string());
    add("queue targets", "resolutions measured", r.queue_targets[1].1.to_string());
    for (dimension, list) in &r.counts {
        for (name, n) in list {
            add(&format!("by {}", dimension.to_lowercase()), name, n.to_string());
        }
    }
    for d in &r.days {
        add("created per day", &d.date.to_string(), d.created.to_string());
        add("resolved per day", &d.date.to_string(), d.resolved.to_string());
    }
    rows.iter().map(|r| r.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")).collect::<Vec<_>>().join("\r\n") + "\r\n"
}
