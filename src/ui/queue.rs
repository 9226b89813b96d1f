//! The queue screen: which tasks (views, channel and status, search, more filters) over the
//! task table (queue_table.rs) and the saved views (saved_views.rs).

use super::queue_table::QueueTable;
use super::saved_views::SavedViews;
use crate::app::state::use_app;
use crate::app::Route;
use leptos::prelude::*;
use taskdesk_domain::queue::{QueueQuery, View};
use taskdesk_domain::{Channel, TaskStatus};

/// The queue screen.
#[component]
pub fn QueueView() -> impl IntoView {
    let state = use_app();
    let (query, rows) = (state.queue_query, state.queue_rows);
    view! {
        <section class="td-page" aria-labelledby="queue-title">
            <div class="td-page-head">
                <h1 id="queue-title">"Queue"</h1>
                <button type="button" class="td-button td-primary" on:click=move |_| state.navigate(Route::NewTask(None))>
                    "New task"
                </button>
            </div>
            <super::live::MyWork />
            <QueueFilters query=query />
            <p class="td-muted" role="status">{move || format!("{} tasks", rows.with(Vec::len))}</p>
            <QueueTable rows=rows query=query />
        </section>
    }
}

#[component]
fn QueueFilters(query: RwSignal<QueueQuery>) -> impl IntoView {
    let view_button = move |view: View, label: &'static str| {
        view! {
            <button
                type="button"
                class="td-tab-button"
                aria-pressed=move || (query.with(|q| q.view) == view).to_string()
                on:click=move |_| query.update(|q| q.view = view)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="td-filters">
            <div class="td-segmented" role="group" aria-label="Which tasks">
                {view_button(View::MyTasks, "My tasks")}
                {view_button(View::AllOpen, "All open")}
                {view_button(View::All, "All tasks")}
            </div>
            {filter_select("Channel", "All channels", || Channel::ALL.iter().map(|c| (c.key().to_string(), c.label().to_string())).collect(),
                move || query.with(|q| q.channel.map(|c| c.key().to_string()).unwrap_or_default()),
                move |v| query.update(|q| q.channel = Channel::from_key(&v)))}
            {filter_select("Status", "Any status", || TaskStatus::ALL.iter().map(|s| (s.key().to_string(), s.label().to_string())).collect(),
                move || query.with(|q| q.status.map(|s| s.key().to_string()).unwrap_or_default()),
                move |v| query.update(|q| q.status = TaskStatus::from_key(&v)))}
            <input
                type="search"
                class="td-search"
                aria-label="Search tasks"
                placeholder="Search tasks, messages, customers, fields"
                prop:value=move || query.with(|q| q.text.clone())
                on:input=move |ev| query.update(|q| q.text = event_target_value(&ev))
            />
        </div>
        <MoreFilters query=query />
        <SavedViews query=query />
    }
}

/// Filters beyond channel and status (T11): assignee, queue, hashtag, code, creation dates and a custom field.
#[component]
fn MoreFilters(query: RwSignal<QueueQuery>) -> impl IntoView {
    let state = use_app();
    // Read only while the filters are open: the lists read every task, which with 100,000 tasks
    // cost a long frame at each change the simulated center made while the queue was on screen.
    let open = RwSignal::new(false);
    // Follows the workspace, so a queue or hashtag that appears now is offered now.
    let lists = Memo::new(move |_| {
        if !open.get() {
            return Default::default();
        }
        state.ws.with(|ws| {
            let Some(w) = ws else { return Default::default() };
            let queues: std::collections::BTreeSet<&str> = w.tasks.values().filter_map(|t| t.queue.as_deref()).collect();
            let queues: Vec<String> = queues.into_iter().map(str::to_string).collect();
            let codes: Vec<(String, String)> = w.code_catalogue().into_iter().map(|c| (c.code, c.label)).collect();
            let fields: Vec<(String, String)> = w.config.fields.iter().map(|d| (d.key.clone(), d.label.clone())).collect();
            let pairs = |list: Vec<String>| list.into_iter().map(|v| (v.clone(), v)).collect::<Vec<_>>();
            (pairs(queues), pairs(w.hashtags_in_use()), codes, fields)
        })
    });
    type Lists = (Vec<(String, String)>, Vec<(String, String)>, Vec<(String, String)>, Vec<(String, String)>);
    let queues = move || lists.with(|l: &Lists| l.0.clone());
    let hashtags = move || lists.with(|l: &Lists| l.1.clone());
    let codes = move || lists.with(|l: &Lists| l.2.clone());
    let fields = move || lists.with(|l: &Lists| l.3.clone());
    let assignees = move || -> Vec<(String, String)> { std::iter::once(("none".to_string(), "Unassigned".to_string())).chain(state.users().into_iter().map(|u| (u.id.to_string(), u.name))).collect() };
    let assignee_now = move || {
        query.with(|q| match q.assignee {
            None => String::new(),
            Some(None) => "none".into(),
            Some(Some(u)) => u.to_string(),
        })
    };
    let set_assignee = move |v: String| {
        query.update(|q| {
            q.assignee = match v.as_str() {
                "" => None,
                "none" => Some(None),
                id => taskdesk_domain::UserId::parse(id).map(Some),
            }
        })
    };
    let date = move |label: &'static str, get: fn(&QueueQuery) -> Option<chrono::NaiveDate>, put: fn(&mut QueueQuery, Option<chrono::NaiveDate>)| {
        view! {
            <label class="td-inline-field">
                {label}
                <input type="date" prop:value=move || query.with(|q| get(q).map(|d| d.to_string()).unwrap_or_default())
                    on:input=move |ev| query.update(|q| put(q, chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok())) />
            </label>
        }
    };
    let field_key = move || query.with(|q| q.field.as_ref().map(|f| f.0.clone()).unwrap_or_default());
    view! {
        <details
            class="td-more-filters"
            on:toggle=move |ev| open.set(ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()).is_some_and(|d| d.has_attribute("open")))
        >
            <summary>"More filters"</summary>
            // Drawn once opened: most visits to the queue never open them.
            <Show when=move || open.get()>
                <div class="td-filters">
                    {filter_select("Assignee", "Anyone", assignees, assignee_now, set_assignee)}
                    {filter_select("Queue", "Any queue", queues, move || query.with(|q| q.queue.clone().unwrap_or_default()),
                        move |v| query.update(|q| q.queue = Some(v).filter(|v| !v.is_empty())))}
                    {filter_select("Hashtag", "Any hashtag", hashtags, move || query.with(|q| q.hashtag.clone().unwrap_or_default()),
                        move |v| query.update(|q| q.hashtag = Some(v).filter(|v| !v.is_empty())))}
                    {filter_select("Code", "Any code", codes, move || query.with(|q| q.code.clone().unwrap_or_default()),
                        move |v| query.update(|q| q.code = Some(v).filter(|v| !v.is_empty())))}
                    {date("Created from", |q| q.created_from, |q, d| q.created_from = d)}
                    {date("Created to", |q| q.created_to, |q, d| q.created_to = d)}
                    {filter_select("Field", "Any field", fields, field_key,
                        move |v| query.update(|q| q.field = Some(v).filter(|v| !v.is_empty()).map(|k| (k, q.field.take().map(|f| f.1).unwrap_or_default()))))}
                    <Show when=move || !field_key().is_empty()>
                        <label class="td-inline-field">
                            "Field value contains"
                            <input type="search" prop:value=move || query.with(|q| q.field.as_ref().map(|f| f.1.clone()).unwrap_or_default())
                                on:input=move |ev| query.update(|q| if let Some(f) = q.field.as_mut() { f.1 = event_target_value(&ev) }) />
                        </label>
                    </Show>
                    <button type="button" class="td-button td-small" on:click=move |_| query.update(|q| {
                        *q = QueueQuery { view: q.view, sort: q.sort, descending: q.descending, ..QueueQuery::default() };
                    })>"Clear filters"</button>
                </div>
            </Show>
        </details>
    }
}

/// A labelled filter select: `(value, label)` choices after an "any" option with an empty value.
fn filter_select(
    label: &'static str,
    any: &'static str,
    choices: impl Fn() -> Vec<(String, String)> + Send + Sync + 'static,
    current: impl Fn() -> String + Send + Sync + Copy + 'static,
    set: impl Fn(String) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    view! {
        <label class="td-inline-field">
            {label}
            <select on:change=move |ev| set(event_target_value(&ev))>
                <option value="" selected=move || current().is_empty()>{any}</option>
                {move || choices().into_iter().map(|(v, l)| {
                    let mine = v.clone();
                    view! { <option value=v selected=move || current() == mine>{l}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}
