//! The order waiting tasks are offered in, and the few tasks worth trying first.
//!
//! "Plain" tasks (no refusals, no skills of their own, never transferred) of one queue, channel
//! and priority are interchangeable for routing, except that the one waiting longest has
//! reached the furthest escalation step. So only the first of each such group needs trying:
//! if it cannot be placed, none behind it can. The heads are those firsts plus every other task.

use super::model::Millis;
use crate::ids::{IdMap, TaskId};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Routing order: higher priority first, then earlier arrival; `seq` keeps keys unique.
pub(crate) type WaitKey = (Reverse<u8>, Millis, u64, TaskId);

/// Queue, channel slot and priority of interchangeable tasks.
pub(crate) type Group = (u16, usize, u8);

#[derive(Clone, Debug, Default)]
pub(crate) struct Waiting {
    all: BTreeSet<WaitKey>,
    keys: IdMap<TaskId, (WaitKey, Option<Group>)>,
    groups: HashMap<Group, BTreeSet<WaitKey>>,
    heads: BTreeMap<WaitKey, Option<Group>>,
}

impl Waiting {
    pub fn insert(&mut self, key: WaitKey, group: Option<Group>) {
        self.all.insert(key);
        self.keys.insert(key.3, (key, group));
        match group {
            Some(g) => {
                let members = self.groups.entry(g).or_default();
                let old_head = members.first().copied();
                members.insert(key);
                if old_head.is_none_or(|h| key < h) {
                    if let Some(h) = old_head {
                        self.heads.remove(&h);
                    }
                    self.heads.insert(key, group);
                }
            }
            None => {
                self.heads.insert(key, None);
            }
        }
    }

    pub fn remove(&mut self, id: TaskId) {
        let Some((key, group)) = self.keys.remove(&id) else { return };
        self.all.remove(&key);
        if self.heads.remove(&key).is_some() {
            if let Some(members) = group.and_then(|g| self.groups.get_mut(&g)) {
                members.remove(&key);
                if let Some(&next) = members.first() {
                    self.heads.insert(next, group);
                }
                return;
            }
        }
        if let Some(members) = group.and_then(|g| self.groups.get_mut(&g)) {
            members.remove(&key);
        }
    }

    pub fn contains(&self, id: TaskId) -> bool {
        self.keys.contains_key(&id)
    }

    /// Every waiting task in routing order.
    pub fn all(&self) -> impl Iterator<Item = TaskId> + '_ {
        self.all.iter().map(|k| k.3)
    }

    /// The tasks worth trying, in routing order, each with its group (queue, channel slot,
    /// priority) and arrival time when it is plain.
    pub fn heads(&self) -> impl Iterator<Item = (TaskId, Option<(u16, usize, u8, Millis)>)> + '_ {
        self.heads.iter().map(|(k, g)| (k.3, g.map(|(q, slot, p)| (q, slot, p, k.1))))
    }

    /// How many tasks are ahead of this one.
    pub fn ahead(&self, id: TaskId) -> usize {
        self.keys.get(&id).map_or(0, |(k, _)| self.all.range(..*k).count())
    }

    pub fn check(&self) -> Result<(), String> {
        if self.all.len() != self.keys.len() {
            return Err("the waiting order and its keys disagree".into());
        }
        let mut heads: BTreeMap<WaitKey, Option<Group>> = self.keys.values().filter(|(_, g)| g.is_none()).map(|(k, _)| (*k, None)).collect();
        heads.extend(self.groups.iter().filter_map(|(g, m)| m.first().map(|k| (*k, Some(*g)))));
        if heads != self.heads {
            return Err("the heads are not the first of each group and the other tasks".into());
        }
        Ok(())
    }
}
