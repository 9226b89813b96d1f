//! The queue: tasks with channel, number, subject, customer, status and age; views, filters, sorting,
//! and keyboard navigation. Only the rows in sight are rendered, so long lists stay fast.

use super::badges::{ChannelBadge, PriorityBadge, StatusBadge};
use crate::app::state::use_app;
use crate::app::{format, Route};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use taskdesk_domain::queue::{QueueQuery, SortKey, View};
use taskdesk_domain::{Channel, Priority, TaskId, TaskStatus};
use wasm_bindgen::JsCast;

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
    created_at: DateTime<Utc>,
}

/// The queue screen.
#[component]
pub fn QueueView() -> impl IntoView {
    let state = use_app();
    let query = state.queue_query;
    let rows = Memo::new(move |_| {
        let q = query.get();
        let me = state.me.get();
        state.ws.with(|ws| {
            let Some(ws) = ws else { return vec![] };
            ws.queue(&q, me)
                .into_iter()
                .map(|t| Row {
                    id: t.id,
                    number: t.number.clone(),
                    subject: t.subject.clone(),
                    customer: t.customer.and_then(|c| ws.customer(c)).map(|c| c.name.clone()).unwrap_or_default(),
                    channel: t.channel,
                    status: t.status,
                    priority: t.priority,
                    created_at: t.created_at,
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="td-page" aria-labelledby="queue-title">
            <div class="td-page-head">
                <h1 id="queue-title">"Queue"</h1>
                <button type="button" class="td-button td-primary" on:click=move |_| state.navigate(Route::NewTask(None))>
                    "New task"
                </button>
            </div>
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
            <label class="td-inline-field">
                "Channel"
                <select on:change=move |ev| query.update(|q| q.channel = Channel::from_key(&event_target_value(&ev)))>
                    <option value="" selected=move || query.with(|q| q.channel.is_none())>"All channels"</option>
                    {Channel::ALL
                        .into_iter()
                        .map(|c| view! { <option value=c.key() selected=move || query.with(|q| q.channel == Some(c))>{c.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="td-inline-field">
                "Status"
                <select on:change=move |ev| query.update(|q| q.status = TaskStatus::from_key(&event_target_value(&ev)))>
                    <option value="" selected=move || query.with(|q| q.status.is_none())>"Any status"</option>
                    {TaskStatus::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.key() selected=move || query.with(|q| q.status == Some(s))>{s.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <input
                type="search"
                class="td-search"
                aria-label="Search tasks"
                placeholder="Search number, subject or customer"
                prop:value=move || query.with(|q| q.text.clone())
                on:input=move |ev| query.update(|q| q.text = event_target_value(&ev))
            />
        </div>
    }
}

fn focus_sibling_row(ev: &web_sys::KeyboardEvent, down: bool) {
    let Some(row) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let next = if down { row.next_element_sibling() } else { row.previous_element_sibling() };
    if let Some(el) = next.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
        if el.has_attribute("data-task") {
            ev.prevent_default();
            let _ = el.focus();
        }
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
fn QueueTable(rows: Memo<Vec<Row>>, query: RwSignal<QueueQuery>) -> impl IntoView {
    let state = use_app();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(720.0f64);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let window = Memo::new(move |_| {
        let first = ((scroll_top.get() / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN);
        let count = (viewport.get() / ROW_HEIGHT) as usize + 2 * OVERSCAN;
        (first, count)
    });
    let now = Utc::now();
    let visible = move || {
        let (first, count) = window.get();
        rows.with(|r| r.iter().skip(first).take(count).cloned().collect::<Vec<_>>())
    };
    let spacer = move |top: bool| {
        let (first, count) = window.get();
        let total = rows.with(Vec::len);
        let n = if top { first.min(total) } else { total.saturating_sub(first + count) };
        format!("height: {}px", n as f64 * ROW_HEIGHT)
    };
    view! {
        <div
            class="td-table-scroll"
            node_ref=scroller
            on:scroll=move |_| {
                if let Some(el) = scroller.get() {
                    scroll_top.set(el.scroll_top() as f64);
                    viewport.set(el.client_height() as f64);
                }
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
                    <tr class="td-spacer" aria-hidden="true" style=move || spacer(true)></tr>
                    <For each=visible key=|r| (r.id, r.status, r.subject.clone(), r.customer.clone(), r.priority) let:row>
                        {
                            let id = row.id;
                            let open = move || state.navigate(Route::Task(id));
                            view! {
                                <tr
                                    class="td-row"
                                    tabindex="0"
                                    data-task=id.to_string()
                                    on:click=move |_| open()
                                    on:keydown=move |ev| match ev.key().as_str() {
                                        "Enter" => open(),
                                        "ArrowDown" => focus_sibling_row(&ev, true),
                                        "ArrowUp" => focus_sibling_row(&ev, false),
                                        _ => {}
                                    }
                                >
                                    <td><ChannelBadge channel=row.channel /></td>
                                    <td class="td-number">
                                        <a href=Route::Task(id).path() on:click=move |ev| ev.prevent_default()>{row.number.clone()}</a>
                                    </td>
                                    <td class="td-subject">{row.subject.clone()}</td>
                                    <td>{row.customer.clone()}</td>
                                    <td><PriorityBadge priority=row.priority /></td>
                                    <td><StatusBadge status=row.status /></td>
                                    <td class="td-muted">{format::age(row.created_at, now)}</td>
                                </tr>
                            }
                        }
                    </For>
                    <tr class="td-spacer" aria-hidden="true" style=move || spacer(false)></tr>
                </tbody>
            </table>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="td-empty">"No tasks match. Try “All tasks” or clear the search."</p>
            </Show>
        </div>
    }
}
