//! The queue: tasks with channel, number, subject, customer, status and age; views, filters, sorting,
//! and keyboard navigation. Only the rows in sight are rendered, so long lists stay fast.

use super::badges::{ChannelBadge, PriorityBadge, StatusBadge};
use crate::app::state::use_app;
use crate::app::{format, Route};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use taskdesk_domain::queue::{QueueQuery, SortKey, View};
use taskdesk_domain::sla::Standing;
use taskdesk_domain::{Channel, Priority, TaskId, TaskStatus};
use wasm_bindgen::JsCast;

/// A row's height in the wide table; a narrow panel lays each row out on three lines, and the
/// height the rows really have is measured (the list only renders what is in sight).
const ROW_HEIGHT: f64 = 48.0;
const OVERSCAN: usize = 8;

#[derive(Clone, PartialEq)]
struct Row {
    id: TaskId,
    number: String,
    subject: String,
    customer: String,
    channel: Channel,
    status: TaskStatus,
    priority: Priority,
    /// How long ago it came, briefly.
    age: String,
    /// The service-level clock, briefly, and how it stands.
    sla: Option<(String, Standing)>,
}

/// The queue screen.
#[component]
pub fn QueueView() -> impl IntoView {
    let state = use_app();
    let query = state.queue_query;
    let rows = Memo::new(move |_| {
        let q = query.get();
        let me = state.me.get();
        state.ws.with(|ws| ws.as_ref().map(|ws| ws.queue(&q, me).into_iter().map(|t| t.id).collect::<Vec<_>>()).unwrap_or_default())
    });
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

/// Saved views (T11): choose one to restore its filters, save the current filters under a name, delete.
#[component]
fn SavedViews(query: RwSignal<QueueQuery>) -> impl IntoView {
    let state = use_app();
    let views = Memo::new(move |_| {
        let me = state.me.get();
        state.ws.with(|ws| ws.as_ref().map(|w| w.saved_views(me).into_iter().cloned().collect::<Vec<_>>()).unwrap_or_default())
    });
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let current = Memo::new(move |_| views.with(|vs| query.with(|q| vs.iter().find(|v| v.query == *q).map(|v| v.name.clone()))));
    let choose = move |ev| {
        let chosen = event_target_value(&ev);
        if let Some(v) = views.with(|vs| vs.iter().find(|v| v.name == chosen).cloned()) {
            query.set(v.query);
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match state.run(|ws, me, now| ws.save_view(me, &name.get_untracked(), &query.get_untracked(), now)) {
            Ok(_) => {
                name.set(String::new());
                problem.set(String::new());
            }
            Err(e) => problem.set(e.to_string()),
        }
    };
    let delete = move |_| {
        if let Some(n) = current.get_untracked() {
            if let Err(e) = state.run(|ws, me, now| ws.delete_view(me, &n, now)) {
                problem.set(e.to_string());
            }
        }
    };
    view! {
        <div class="td-filters td-saved-views" role="group" aria-label="Saved views">
            <label class="td-inline-field">
                "Saved view"
                <select on:change=choose>
                    <option value="" selected=move || current.with(Option::is_none)>
                        {move || if views.with(Vec::is_empty) { "None saved yet" } else { "Choose a view" }}
                    </option>
                    <For each=move || views.get() key=|v| v.name.clone() let:v>
                        {
                            let mine = v.name.clone();
                            view! { <option value=v.name.clone() selected=move || current.with(|c| c.as_deref() == Some(mine.as_str()))>{v.name.clone()}</option> }
                        }
                    </For>
                </select>
            </label>
            <Show when=move || current.with(Option::is_some)>
                <button type="button" class="td-button" on:click=delete>
                    {move || format!("Delete view “{}”", current.get().unwrap_or_default())}
                </button>
            </Show>
            <form class="td-inline-form" on:submit=save>
                <label class="td-inline-field">
                    "View name"
                    <input
                        type="text"
                        class="td-search"
                        maxlength=taskdesk_domain::views::MAX_VIEW_NAME.to_string()
                        aria-describedby="view-name-error"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" class="td-button">"Save view"</button>
            </form>
            <p class="td-field-error" id="view-name-error" role="alert">{move || problem.get()}</p>
        </div>
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

/// Filters beyond channel and status (T11): assignee, queue, hashtag, code, creation dates and a custom field.
#[component]
fn MoreFilters(query: RwSignal<QueueQuery>) -> impl IntoView {
    let state = use_app();
    // Follows the workspace, so a queue or hashtag that appears now is offered now.
    let lists = Memo::new(move |_| {
        state.ws.with(|ws| {
            let Some(w) = ws else { return Default::default() };
            let mut queues: Vec<String> = w.tasks.values().filter_map(|t| t.queue.clone()).collect();
            queues.sort();
            queues.dedup();
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
        <details class="td-more-filters">
            <summary>"More filters"</summary>
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
        </details>
    }
}

/// The class of a service-level clock: on track, near its target, or past it.
pub fn sla_class(standing: Standing) -> &'static str {
    match standing {
        Standing::OnTrack => "td-sla",
        Standing::Near => "td-sla td-sla-near",
        Standing::Breached => "td-sla td-sla-over",
    }
}

#[component]
fn SortHeader(query: RwSignal<QueueQuery>, key: SortKey, label: &'static str) -> impl IntoView {
    let sort = move || {
        query.with(|q| match (q.sort == key, q.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        })
    };
    view! {
        <th scope="col" aria-sort=sort>
            <button
                type="button"
                class="td-sort"
                on:click=move |_| {
                    query.update(|q| {
                        if q.sort == key {
                            q.descending = !q.descending;
                        } else {
                            q.sort = key;
                            q.descending = false;
                        }
                    })
                }
            >
                {label}
                <span aria-hidden="true">
                    {move || match sort() {
                        "ascending" => " ▲",
                        "descending" => " ▼",
                        _ => "",
                    }}
                </span>
            </button>
        </th>
    }
}

#[component]
fn QueueTable(rows: Memo<Vec<TaskId>>, query: RwSignal<QueueQuery>) -> impl IntoView {
    let state = use_app();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(720.0f64);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let row_height = RwSignal::new(ROW_HEIGHT);
    let window = Memo::new(move |_| {
        let height = row_height.get();
        let first = ((scroll_top.get() / height) as usize).saturating_sub(OVERSCAN);
        let count = (viewport.get() / height) as usize + 2 * OVERSCAN;
        (first, count)
    });
    // The rows' real height (the narrow layout's differs), read once rows are on screen.
    let measure = move || {
        let Some(el) = scroller.get_untracked() else { return };
        viewport.set(el.client_height() as f64);
        if let Some(row) = el.query_selector("tr.td-row").ok().flatten().and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) {
            let h = row.offset_height() as f64;
            if h > 0.0 && (h - row_height.get_untracked()).abs() > 0.5 {
                row_height.set(h);
            }
        }
    };
    Effect::new(move |_| {
        rows.track();
        request_animation_frame(measure);
    });
    state.life().listen_window("resize", move |_| measure());
    // Ages and service-level clocks move on each minute.
    let live = crate::app::live::use_live();
    let minute = Memo::new(move |_| live.now.get() / 60_000);
    let visible = move || {
        let now = DateTime::from_timestamp_millis((minute.get() * 60_000) as i64).unwrap_or_else(Utc::now);
        let (first, count) = window.get();
        // Rows are read from the workspace only for the tasks in sight, so a long result costs ids, not copies.
        state.ws.with(|ws| {
            let Some(ws) = ws else { return vec![] };
            rows.with(|r| {
                r.iter()
                    .skip(first)
                    .take(count)
                    .filter_map(|id| ws.task(*id))
                    .map(|t| Row {
                        id: t.id,
                        number: t.number.clone(),
                        subject: t.subject.clone(),
                        customer: t.customer.and_then(|c| ws.customer(c)).map(|c| c.name.clone()).unwrap_or_default(),
                        channel: t.channel,
                        status: t.status,
                        priority: t.priority,
                        age: format::age(t.created_at, now),
                        sla: ws.sla_clock(t, now).map(|c| (c.brief(), c.standing())),
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let spacer = move |top: bool| {
        let (first, count) = window.get();
        let total = rows.with(Vec::len);
        let n = if top { first.min(total) } else { total.saturating_sub(first + count) };
        // Set through the style object, which a strict CSP allows (a style attribute it does not).
        format!("{}px", n as f64 * row_height.get())
    };
    view! {
        <div
            class="td-table-scroll td-queue-list"
            node_ref=scroller
            on:scroll=move |_| {
                if let Some(el) = scroller.get() {
                    scroll_top.set(el.scroll_top() as f64);
                }
                measure();
            }
        >
            <table class="td-table" aria-rowcount=move || rows.with(Vec::len) + 1>
                <thead>
                    <tr>
                        <SortHeader query=query key=SortKey::Channel label="Channel" />
                        <SortHeader query=query key=SortKey::Number label="Number" />
                        <SortHeader query=query key=SortKey::Subject label="Subject" />
                        <SortHeader query=query key=SortKey::Customer label="Customer" />
                        <SortHeader query=query key=SortKey::Priority label="Priority" />
                        <SortHeader query=query key=SortKey::Status label="Status" />
                        <SortHeader query=query key=SortKey::Age label="Age" />
                    </tr>
                </thead>
                <tbody>
                    <tr class="td-spacer" aria-hidden="true" style:height=move || spacer(true)></tr>
                    <For each=visible key=|r| (r.id, r.status, r.subject.clone(), r.customer.clone(), r.priority, r.sla.clone(), r.age.clone()) let:row>
                        {
                            let id = row.id;
                            let open = move || state.navigate(Route::Task(id));
                            view! {
                                <tr
                                    class="td-row"
                                    tabindex="0"
                                    data-task=id.to_string()
                                    on:click=move |_| open()
                                    on:keydown=move |ev| {
                                        if ev.key() == "Enter" {
                                            open();
                                        }
                                    }
                                >
                                    <td><ChannelBadge channel=row.channel /></td>
                                    <td class="td-number">
                                        <a href=Route::Task(id).path() on:click=move |ev| ev.prevent_default()>{row.number.clone()}</a>
                                    </td>
                                    <td class="td-subject">{row.subject.clone()}</td>
                                    <td class="td-col-customer">{row.customer.clone()}</td>
                                    <td class="td-col-priority"><PriorityBadge priority=row.priority /></td>
                                    <td class="td-col-status"><StatusBadge status=row.status /></td>
                                    <td class="td-muted td-col-age">
                                        {row.age.clone()}
                                        {row.sla.clone().map(|(text, standing)| view! { " · " <span class=sla_class(standing)>{text}</span> })}
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                    <tr class="td-spacer" aria-hidden="true" style:height=move || spacer(false)></tr>
                </tbody>
            </table>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="td-empty">"No tasks match. Try “All tasks” or clear the search."</p>
            </Show>
        </div>
    }
}
