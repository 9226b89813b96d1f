//! The workspace: every task and customer on this device, and the commands that change them.
//!
//! A command checks permission and rules, turns the intent into one [`Change`],
//! applies it, and returns it so the caller can persist and share it.

use crate::change::{self, ApplyError, Change, EntityKind, FieldChange, Record};
use crate::config::Config;
use crate::conversation::Message;
use crate::customer::Customer;
use crate::hlc::{Clock, Hlc};
use crate::ids::{CustomerId, DeviceCode, IdMap, TaskId, UserId};
use crate::lifecycle::{self, LifecycleError, StatusAction};
use crate::permission::{self, Permission};
use crate::search::{LazySearch, Links};
use crate::task::{CallOutcome, Channel, Task, TaskStatus};
use crate::user::User;
use crate::validate::{CustomerInput, TaskInput};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a command was refused. Shown to the user as is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The user lacks the permission.
    #[error("You are not allowed to {0}.")]
    Forbidden(&'static str),
    /// No such task (or it was deleted).
    #[error("That task no longer exists.")]
    TaskNotFound,
    /// No such customer.
    #[error("That customer no longer exists.")]
    CustomerNotFound,
    /// A lifecycle rule refused the move.
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    /// Input that is not what the field takes; the message says why.
    #[error("{0}")]
    Invalid(String),
    /// A change could not be applied.
    #[error("A change could not be applied: {0}.")]
    Apply(#[from] ApplyError),
}

/// What this device needs to stamp changes and number tasks; persisted with the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The device's code (prefix of its task numbers).
    pub code: DeviceCode,
    /// The sequence number of the next task created here.
    pub next_seq: u64,
    /// The device's clock.
    pub clock: Clock,
}

impl Device {
    /// A device that has made nothing yet.
    pub fn new(code: DeviceCode) -> Self {
        let clock = Clock::new(code.0.clone());
        Device { code, next_seq: 1, clock }
    }
}

/// All records on this device.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// Tasks by id, deleted ones included (their history stays reachable).
    pub tasks: IdMap<TaskId, Task>,
    /// Customers by id.
    pub customers: IdMap<CustomerId, Customer>,
    /// This device's numbering and clock.
    pub device: Device,
    /// Workspace settings.
    pub config: Config,
    /// Messages of every conversation, by id (T3).
    pub messages: IdMap<uuid::Uuid, Message>,
    /// The search index over tasks, built a slice at a time after start (a search before it is
    /// built reads task texts), then kept current by [`Workspace::apply`].
    pub(crate) search: LazySearch,
    /// A task's messages and a customer's tasks, kept current by [`Workspace::apply`].
    pub(crate) links: Links,
}

fn millis(now: DateTime<Utc>) -> u64 {
    now.timestamp_millis().max(0) as u64
}

pub(crate) fn require(user: &User, p: Permission) -> Result<(), DomainError> {
    if permission::allows(user, p) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(p.describe()))
    }
}

impl Workspace {
    /// An empty workspace for a device.
    pub fn new(device: Device) -> Self {
        Workspace { tasks: IdMap::default(), customers: IdMap::default(), device, config: Config::default(), messages: IdMap::default(), search: LazySearch::default(), links: Links::default() }
    }

    /// Builds the workspace from stored records.
    pub fn from_records(device: Device, config: Config, tasks: Vec<Task>, customers: Vec<Customer>, messages: Vec<Message>) -> Self {
        let mut ws = Workspace::new(device);
        ws.device.clock.observe(&config.modified);
        ws.config = config;
        // Reserved up front: growing a map of 100,000 tasks moved every task several times over.
        ws.tasks.reserve(tasks.len());
        ws.customers.reserve(customers.len());
        ws.messages.reserve(messages.len());
        for t in tasks {
            ws.device.clock.observe(&t.modified);
            ws.tasks.insert(t.id, t);
        }
        for c in customers {
            ws.device.clock.observe(&c.modified);
            ws.customers.insert(c.id, c);
        }
        for m in messages {
            ws.device.clock.observe(&m.modified);
            ws.messages.insert(m.id, m);
        }
        ws.rebuild_search();
        ws
    }

    /// A live (not deleted) task.
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(&id).filter(|t| !t.deleted)
    }

    /// A live customer.
    pub fn customer(&self, id: CustomerId) -> Option<&Customer> {
        self.customers.get(&id).filter(|c| !c.deleted)
    }

    /// Live customers, by name.
    pub fn customers_by_name(&self) -> Vec<&Customer> {
        let mut list: Vec<&Customer> = self.customers.values().filter(|c| !c.deleted).collect();
        list.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
        list
    }

    /// Other live customers who already have one of these phone numbers or email addresses
    /// (creating or editing a customer warns of them, so one person does not become two).
    pub fn customers_sharing_contact(&self, phones: &[String], emails: &[String], except: Option<CustomerId>) -> Vec<&Customer> {
        self.customers_by_name().into_iter().filter(|c| Some(c.id) != except).filter(|c| phones.iter().any(|p| c.matches_contact(p)) || emails.iter().any(|e| c.matches_contact(e))).collect()
    }

    /// A customer's other work beside a task: their open tasks, then up to `recent` resolved
    /// ones, newest first (`except` is the task on screen).
    pub fn customer_work(&self, id: CustomerId, except: Option<TaskId>, recent: usize) -> (Vec<&Task>, Vec<&Task>) {
        let (open, done): (Vec<&Task>, Vec<&Task>) = self.tasks_of_customer(id).into_iter().filter(|t| Some(t.id) != except).partition(|t| t.status.is_open());
        (open, done.into_iter().take(recent).collect())
    }

    /// The tasks changed since the last call, and which workspace they belong to: routing reads
    /// only these each tick, and every task it follows when the workspace is not the one it read last.
    pub(crate) fn take_changed_for_routing(&mut self) -> (u64, crate::ids::IdSet<TaskId>) {
        (self.links.generation.0, std::mem::take(&mut self.links.changed_for_routing))
    }

    /// The tasks routing follows (a routed channel and a queue, wrapping up or open and not
    /// assigned by hand), kept change by change; in no particular order.
    pub fn routed_tasks(&self) -> impl Iterator<Item = &Task> {
        self.links.routed.iter().filter_map(|id| self.tasks.get(id))
    }

    /// The tasks routing follows that are assigned to a person, kept change by change; in no
    /// particular order.
    pub(crate) fn routed_work_of(&self, person: UserId) -> impl Iterator<Item = &Task> {
        self.links.routed_by_assignee.tasks(&person).filter_map(|id| self.tasks.get(&id))
    }

    /// The tasks holding an offer (live or lapsed), kept change by change; in no particular order.
    pub fn offered_tasks(&self) -> impl Iterator<Item = &Task> {
        self.links.offered.iter().filter_map(|id| self.tasks.get(id))
    }

    /// Live tasks of a customer, newest first.
    pub fn tasks_of_customer(&self, id: CustomerId) -> Vec<&Task> {
        // The links kept change by change say which tasks name each customer, so no list of every task is read
        // (the customers screen asks this for every row).
        let mut list: Vec<&Task> = self.links.by_customer.tasks(&id).filter_map(|t| self.tasks.get(&t)).filter(|t| !t.deleted && t.customer == Some(id)).collect();
        list.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.number.cmp(&a.number)));
        list
    }

    /// Applies a change from anywhere (this device, storage or sync).
    pub fn apply(&mut self, change: &Change) -> Result<(), DomainError> {
        let mut fields_changed = false;
        match change.kind {
            EntityKind::Task => {
                let id = TaskId(change.entity);
                let next = change::apply(self.tasks.get(&id), change)?;
                self.tasks.insert(id, next);
            }
            EntityKind::Customer => {
                let id = CustomerId(change.entity);
                let next = change::apply(self.customers.get(&id), change)?;
                self.customers.insert(id, next);
            }
            EntityKind::Config => {
                let next: Config = change::apply(Some(&self.config), change)?;
                fields_changed = next.fields != self.config.fields;
                self.config = next;
            }
            EntityKind::Message => {
                let next = change::apply(self.messages.get(&change.entity), change)?;
                self.messages.insert(change.entity, next);
            }
        }
        self.device.clock.observe(&change.stamp);
        self.index_change(change, fields_changed);
        Ok(())
    }

    pub(crate) fn commit<R: Record>(&mut self, actor: &User, now: DateTime<Utc>, entity: uuid::Uuid, fields: Vec<FieldChange>) -> Result<Change, DomainError> {
        let change = Change { stamp: self.stamp(now), actor: actor.author(), kind: R::KIND, entity, fields };
        self.apply(&change)?;
        Ok(change)
    }

    fn next_number(&mut self) -> String {
        let number = self.device.code.task_number(self.device.next_seq);
        self.device.next_seq += 1;
        number
    }

    fn stamp(&mut self, now: DateTime<Utc>) -> Hlc {
        self.device.clock.tick(millis(now))
    }

    /// Creates a task from a checked form; returns its creation change.
    pub fn create_task(&mut self, actor: &User, input: TaskInput, now: DateTime<Utc>) -> Result<Change, DomainError> {
        self.create_task_for(actor, input, None, now)
    }

    /// Creates a task; one made from an interaction takes its id as transaction id and its contact.
    pub(crate) fn create_task_for(&mut self, actor: &User, input: TaskInput, origin: Option<&crate::interaction::Interaction>, now: DateTime<Utc>) -> Result<Change, DomainError> {
        require(actor, Permission::Create)?;
        if let Some(c) = input.customer {
            self.customer(c).ok_or(DomainError::CustomerNotFound)?;
        }
        // A shared event makes the same task on every device that takes it in.
        let id = origin.filter(|o| o.source.is_some()).map_or_else(TaskId::new, |o| TaskId(crate::ids::derived("task", &o.id)));
        let number = self.next_number();
        let mut task = Task {
            id,
            transaction_id: origin.map_or_else(|| format!("TX-{number}"), |o| o.id.clone()),
            contact: origin.map(|o| o.contact.clone()),
            number,
            created_at: now,
            created_by: actor.author(),
            ..Task::default()
        };
        // A form already showed each field with its default; other creators get the defaults here.
        let typed: Vec<String> = input.custom.keys().cloned().collect();
        fill_task(&mut task, input);
        for def in self.config.fields.iter().filter(|d| d.shown_on(task.channel) && !typed.contains(&d.key)) {
            if let Some(default) = &def.default {
                task.custom.insert(def.key.clone(), default.clone());
            }
        }
        let fields = change::creation(&task);
        self.commit::<Task>(actor, now, id.0, fields)
    }

    /// Saves an edited form onto an existing task: only the fields the person changed from the
    /// task as the form `opened` it, onto the task as it stands now; `None` when nothing changed.
    pub fn update_task(&mut self, actor: &User, id: TaskId, input: TaskInput, opened: &Task, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        require(actor, Permission::Edit)?;
        let current = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        if let Some(c) = input.customer {
            if opened.customer != Some(c) {
                self.customer(c).ok_or(DomainError::CustomerNotFound)?;
            }
        }
        let mut intended = opened.clone();
        fill_task(&mut intended, input);
        let after = change::rebase(opened, &intended, &current)?;
        self.edit_task(actor, &current, &after, now)
    }

    /// Records the difference between two versions of a task as one change; `None` when they are equal.
    pub fn edit_task(&mut self, actor: &User, before: &Task, after: &Task, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        require(actor, Permission::Edit)?;
        self.commit_diff(actor, now, before, after)
    }

    /// Records how a call task's call ended; a connected call resolves the task (T2).
    /// `None` when the task already had that outcome.
    pub fn log_call_outcome(&mut self, actor: &User, id: TaskId, outcome: CallOutcome, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        require(actor, Permission::Edit)?;
        let before = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        if before.channel != Channel::Call {
            return Err(LifecycleError::NotACall.into());
        }
        let status = lifecycle::status_after_call(before.status, outcome);
        let after = Task { call_outcome: Some(outcome), status, wrapping: wraps_up(&before, actor, status), ..before.clone() };
        self.commit_diff(actor, now, &before, &after)
    }

    pub(crate) fn commit_diff<R: Record>(&mut self, actor: &User, now: DateTime<Utc>, before: &R, after: &R) -> Result<Option<Change>, DomainError> {
        let fields = change::diff(before, after);
        if fields.is_empty() {
            return Ok(None);
        }
        self.commit::<R>(actor, now, before.uuid(), fields).map(Some)
    }

    /// Moves a task's status (resolve, reopen, hold, resume) if the lifecycle allows it.
    pub fn change_status(&mut self, actor: &User, id: TaskId, action: StatusAction, now: DateTime<Utc>) -> Result<Change, DomainError> {
        require(actor, Permission::Edit)?;
        let before = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        let status = lifecycle::next_status(before.channel, before.status, action)?;
        if status == TaskStatus::Resolved && self.config.hashtag_required && before.hashtags.is_empty() {
            return Err(LifecycleError::HashtagRequired.into());
        }
        let after = Task { status, wrapping: wraps_up(&before, actor, status), ..before.clone() };
        self.commit_diff(actor, now, &before, &after)?.ok_or(DomainError::Lifecycle(LifecycleError::AlreadyResolved))
    }

    /// Clones a task (T8): a new id and number, the same transaction id, every field value copied
    /// except history, creation and last-modified time. Only one parent level: cloning a clone
    /// makes a sibling under the original parent.
    pub fn clone_task(&mut self, actor: &User, id: TaskId, now: DateTime<Utc>) -> Result<Change, DomainError> {
        if !permission::can_clone(actor) {
            return Err(DomainError::Forbidden(Permission::Clone.describe()));
        }
        let original = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        let (parent, parent_number) = match original.parent {
            Some(p) => (p, original.parent_number.clone()),
            None => (original.id, Some(original.number.clone())),
        };
        let clone_id = TaskId::new();
        let number = self.next_number();
        let copy = Task {
            id: clone_id,
            number,
            parent: Some(parent),
            parent_number,
            created_at: now,
            created_by: Some(actor.id),
            modified: Default::default(),
            modified_by: None,
            stamps: Default::default(),
            ..original
        };
        let fields = change::creation(&copy);
        self.commit::<Task>(actor, now, clone_id.0, fields)
    }

    /// Replaces a task's hashtags (T7), as typed; refuses text that is not hashtags.
    pub fn set_hashtags(&mut self, actor: &User, id: TaskId, text: &str, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let tags = crate::hashtag::parse_hashtags(text).map_err(DomainError::Invalid)?;
        let before = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        let after = Task { hashtags: tags, ..before.clone() };
        self.edit_task(actor, &before, &after, now)
    }

    /// The live clones of a task, oldest first.
    pub fn clones_of(&self, id: TaskId) -> Vec<&Task> {
        let mut list: Vec<&Task> = self.tasks.values().filter(|t| !t.deleted && t.parent == Some(id)).collect();
        list.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.number.cmp(&b.number)));
        list
    }

    /// Deletes a task. The record stays as a tombstone so its history survives.
    pub fn delete_task(&mut self, actor: &User, id: TaskId, now: DateTime<Utc>) -> Result<Change, DomainError> {
        require(actor, Permission::Delete)?;
        let before = self.task(id).ok_or(DomainError::TaskNotFound)?.clone();
        let after = Task { deleted: true, ..before.clone() };
        self.commit_diff(actor, now, &before, &after)?.ok_or(DomainError::TaskNotFound)
    }

    /// Creates a customer from a checked form.
    pub fn create_customer(&mut self, actor: &User, input: CustomerInput, now: DateTime<Utc>) -> Result<Change, DomainError> {
        require(actor, Permission::Create)?;
        let id = CustomerId::new();
        let mut customer = Customer { id, created_at: now, ..Customer::default() };
        fill_customer(&mut customer, input);
        let fields = change::creation(&customer);
        self.commit::<Customer>(actor, now, id.0, fields)
    }

    /// Saves an edited customer form: only the fields changed from the customer as the form
    /// `opened` it, onto the customer as it stands now; `None` when nothing changed.
    pub fn update_customer(&mut self, actor: &User, id: CustomerId, input: CustomerInput, opened: &Customer, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        require(actor, Permission::Edit)?;
        let current = self.customer(id).ok_or(DomainError::CustomerNotFound)?.clone();
        let mut intended = opened.clone();
        fill_customer(&mut intended, input);
        let after = change::rebase(opened, &intended, &current)?;
        self.commit_diff(actor, now, &current, &after)
    }

    /// Turns the "hashtag required on resolve" setting on or off (T7); `None` when unchanged.
    pub fn set_hashtag_required(&mut self, actor: &User, required: bool, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let after = Config { hashtag_required: required, ..self.config.clone() };
        self.edit_config(actor, Permission::ManageUsers, after, now)
    }

    /// Chooses whether call logs open ready to edit or to read (T5); `None` when unchanged.
    pub fn set_call_log_opens_in_edit(&mut self, actor: &User, edit: bool, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let after = Config { call_log_opens_in_edit: edit, ..self.config.clone() };
        self.edit_config(actor, Permission::ManageUsers, after, now)
    }

    /// Records a new version of the workspace settings, for a user holding `needed`; `None` when unchanged.
    pub(crate) fn edit_config(&mut self, actor: &User, needed: Permission, after: Config, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        require(actor, needed)?;
        let before = self.config.clone();
        self.commit_diff(actor, now, &before, &after)
    }

    /// Open tasks count, for the navigation badge.
    pub fn open_count(&self) -> usize {
        self.tasks.values().filter(|t| !t.deleted && t.status != TaskStatus::Resolved).count()
    }
}

/// Whether a task moving to `status` goes into its agent's wrap-up (R3): work routing gave an
/// agent, resolved by them, keeps their capacity until they finish their notes. Reopening ends
/// a wrap-up.
fn wraps_up(task: &Task, actor: &User, status: TaskStatus) -> bool {
    match status {
        TaskStatus::Resolved => task.wrapping || (task.routed && task.assignee == Some(actor.id) && task.status.is_open()),
        _ => false,
    }
}

fn fill_task(task: &mut Task, input: TaskInput) {
    task.subject = input.subject;
    task.description = input.description;
    task.channel = input.channel;
    task.direction = input.direction;
    task.priority = input.priority;
    task.customer = input.customer;
    task.assignee = input.assignee;
    task.queue = input.queue;
    task.scheduled_at = input.scheduled_at;
    task.reminder_minutes = input.reminder_minutes;
    for (key, value) in input.custom {
        match value {
            Some(v) => task.custom.insert(key, v),
            None => task.custom.remove(&key),
        };
    }
}

fn fill_customer(customer: &mut Customer, input: CustomerInput) {
    customer.name = input.name;
    customer.phones = input.phones;
    customer.emails = input.emails;
    customer.company = input.company;
    customer.notes = input.notes;
}
