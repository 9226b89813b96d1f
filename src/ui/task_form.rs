//! Creating and editing a task, with inline validation: nothing is saved while input is invalid.

use super::custom_fields::{self, CustomFieldInputs};
use super::fields::{Choice, SelectField, TextArea, TextField};
use crate::app::state::use_app;
use crate::app::{format, Route};
use leptos::prelude::*;
use taskdesk_domain::validate::{validate_task, Problems, TaskDraft};
use taskdesk_domain::{Channel, CustomerId, Direction, Priority, Task, TaskId};

/// The task form; `existing` edits a task, otherwise it creates one (linked to `customer` if given).
#[component]
pub fn TaskForm(existing: Option<TaskId>, customer: Option<CustomerId>) -> impl IntoView {
    let state = use_app();
    let original: Option<Task> = existing.and_then(|id| state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| w.task(id).cloned())));
    let base = original.clone().unwrap_or_else(|| Task { customer, assignee: Some(state.me.get_untracked()), ..Task::default() });
    let subject = RwSignal::new(base.subject.clone());
    let description = RwSignal::new(base.description.clone());
    let channel = RwSignal::new(base.channel.key().to_string());
    let direction = RwSignal::new(base.direction.key().to_string());
    let priority = RwSignal::new(base.priority.key().to_string());
    let customer_field = RwSignal::new(base.customer.map(|c| c.to_string()).unwrap_or_default());
    let assignee = RwSignal::new(base.assignee.map(|a| a.to_string()).unwrap_or_default());
    let queue = RwSignal::new(base.queue.clone().unwrap_or_default());
    let scheduled = RwSignal::new(base.scheduled_at.map(|at| format::input_date_time(&*state.zone(), at)).unwrap_or_default());
    let reminder = RwSignal::new(base.reminder_minutes.map(|m| m.to_string()).unwrap_or_default());
    let catalogue = state.ws.with_untracked(|ws| ws.as_ref().map(|w| w.config.fields.clone()).unwrap_or_default());
    let custom = custom_fields::field_inputs(&catalogue, &base, original.is_none(), &*state.zone());
    let custom_typed = custom.clone();
    // The task as the form opened it: saving changes only what the person changed from this.
    let opened = original.clone();
    let problems = RwSignal::new(Problems::default());
    let error = move |field: &'static str| Signal::derive(move || problems.with(|p| p.for_field(field).map(str::to_string)));

    let customers: Vec<Choice> = std::iter::once((String::new(), "No customer".to_string()))
        .chain(state.ws.with_untracked(|ws| ws.as_ref().map(|w| w.customers_by_name().into_iter().map(|c| (c.id.to_string(), c.name.clone())).collect::<Vec<_>>()).unwrap_or_default()))
        .collect();
    let assignees: Vec<Choice> = std::iter::once((String::new(), "Unassigned".to_string())).chain(state.users().into_iter().map(|u| (u.id.to_string(), u.name))).collect();
    // The workspace's queues (and the task's own, should it name one no longer set up).
    let mut queue_names: Vec<String> = state.ws.with_untracked(|ws| ws.as_ref().map(|w| taskdesk_domain::center::queue_setups(w).into_iter().map(|q| q.name).collect()).unwrap_or_default());
    if let Some(own) = base.queue.clone().filter(|q| !queue_names.contains(q)) {
        queue_names.push(own);
    }
    let queues: Vec<Choice> = std::iter::once((String::new(), "No queue".to_string())).chain(queue_names.into_iter().map(|q| (q.clone(), q))).collect();
    let channels: Vec<Choice> = Channel::ALL.iter().map(|c| (c.key().to_string(), c.label().to_string())).collect();
    let directions: Vec<Choice> = Direction::ALL.iter().map(|d| (d.key().to_string(), d.label().to_string())).collect();
    let priorities: Vec<Choice> = Priority::ALL.iter().map(|p| (p.key().to_string(), p.label().to_string())).collect();

    let cancel_route = match (existing, customer) {
        (Some(id), _) => Route::Task(id),
        (None, Some(c)) => Route::Customer(c),
        (None, None) => Route::Queue,
    };
    let cancel_to = cancel_route.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = TaskDraft {
            subject: subject.get_untracked(),
            description: description.get_untracked(),
            channel: channel.get_untracked(),
            direction: direction.get_untracked(),
            priority: priority.get_untracked(),
            customer: customer_field.get_untracked(),
            assignee: assignee.get_untracked(),
            queue: queue.get_untracked(),
            scheduled_at: scheduled.get_untracked(),
            reminder_minutes: reminder.get_untracked(),
            custom: custom_fields::typed(&custom_typed),
        };
        let known = |c: CustomerId| state.ws.with_untracked(|ws| ws.as_ref().is_some_and(|w| w.customer(c).is_some()));
        let checked = validate_task(&draft, &catalogue, &*state.zone(), known);
        state.submit_form(
            problems,
            checked,
            |ws, me, now, input| match (existing, &opened) {
                (Some(id), Some(opened)) => ws.update_task(me, id, input, opened, now),
                (Some(_), None) => Err(taskdesk_domain::DomainError::TaskNotFound),
                (None, _) => ws.create_task(me, input, now).map(Some),
            },
            |change| existing.or(change.map(|c| TaskId(c.entity))).map(Route::Task),
        );
    };
    let title = if existing.is_some() { "Edit task" } else { "New task" };
    view! {
        <section class="td-page" aria-labelledby="task-form-title">
            <h1 id="task-form-title">{title}</h1>
            <form class="td-form" on:submit=save novalidate>
                <Show when=move || !problems.with(Problems::is_empty)>
                    <p class="td-form-summary" role="alert">
                        {move || {
                            let n = problems.with(|p| p.0.len());
                            if n == 1 { "One field needs attention; nothing was saved.".to_string() } else { format!("{n} fields need attention; nothing was saved.") }
                        }}
                    </p>
                </Show>
                <div class="td-span">
                    <TextField id="task-subject" label="Subject" value=subject error=error("subject") />
                </div>
                <SelectField id="task-channel" label="Channel" value=channel choices=channels error=error("channel") />
                <SelectField id="task-direction" label="Direction" value=direction choices=directions error=error("direction") />
                <SelectField id="task-priority" label="Priority" value=priority choices=priorities error=error("priority") />
                <SelectField id="task-customer" label="Customer" value=customer_field choices=customers error=error("customer") />
                <SelectField id="task-assignee" label="Assignee" value=assignee choices=assignees error=error("assignee") />
                <SelectField id="task-queue" label="Queue" value=queue choices=queues error=error("queue") />
                <TextField id="task-scheduled" label="Scheduled for" kind="datetime-local" value=scheduled error=error("scheduled_at") />
                <TextField id="task-reminder" label="Reminder (minutes before)" kind="number" value=reminder error=error("reminder_minutes") />
                <TextArea id="task-description" label="Description" value=description error=error("description") />
                <CustomFieldInputs inputs=custom channel=channel problems=problems />
                <div class="td-form-actions">
                    <button type="submit" class="td-button td-primary">"Save"</button>
                    <button type="button" class="td-button" on:click=move |_| state.navigate(cancel_to.clone())>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}
