//! The queue's task table: sortable columns, keyboard rows, service-level clocks; only the rows
//! in sight are rendered (a virtual list), so long lists stay fast; in a narrow panel each row
//! lays out on three lines.

use super::badges::{ChannelBadge, PriorityBadge, StatusBadge};
use crate::app::state::use_app;
use crate::app::{format, Route};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use taskdesk_domain::queue::{QueueQuery, SortKey};
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

/// The task table of the queue screen.
#[component]
pub fn QueueTable(rows: Memo<Vec<TaskId>>, query: RwSignal<QueueQuery>) -> impl IntoView {
    let state = use_app();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(720.0f64);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let row_height = RwSignal::new(ROW_HEIGHT);
    // Until the list first scrolls or takes focus, only the rows in sight: they are what the
    // mount waits for. The spare rows below then come, so a keyboard never meets the last row.
    let scrolled = RwSignal::new(false);
    let spare_rows = move || {
        if !scrolled.get_untracked() {
            scrolled.set(true);
        }
    };
    let window = Memo::new(move |_| {
        let height = row_height.get();
        let top = (scroll_top.get() / height) as usize;
        // A few rows beyond each edge, so a scroll shows rows already there; none above the first.
        let overscan = if scrolled.get() { OVERSCAN } else { 0 };
        let first = top.saturating_sub(overscan);
        let count = (top - first) + (viewport.get() / height).ceil() as usize + overscan;
        (first, count)
    });
    // The rows' real height (the narrow layout's differs), read once rows are on screen.
    let measure = move || {
        // It runs a frame later, when the table may already be gone (another screen, another person).
        let Some(el) = scroller.try_get_untracked().flatten() else { return };
        viewport.try_set(el.client_height() as f64);
        if let Some(row) = el.query_selector("tr.td-row").ok().flatten().and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) {
            let h = row.offset_height() as f64;
            if h > 0.0 && row_height.try_get_untracked().is_some_and(|known| (h - known).abs() > 0.5) {
                row_height.try_set(h);
            }
        }
    };
    Effect::new(move |_| {
        rows.track();
        request_animation_frame(measure);
    });
    // Removed with the table, so visiting the queue again does not add another.
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // Ages and service-level clocks move on each minute.
    let live = crate::app::live::use_live();
    let minute = Memo::new(move |_| live.now.get() / 60_000);
    let visible = Memo::new(move |_| {
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
    });
    // One listener for all rows, which come and go as the list scrolls: the row names its task.
    let row_task = |ev: &web_sys::Event| -> Option<TaskId> {
        let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
        let row = target.closest("tr.td-row").ok()??;
        TaskId::parse(&row.get_attribute("data-task")?)
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
                spare_rows();
            }
            on:focusin=move |_| spare_rows()
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
                <tbody
                    on:click=move |ev| {
                        if let Some(id) = row_task(&ev) {
                            // The number is also a link (for its address); the row opens the task here.
                            ev.prevent_default();
                            state.navigate(Route::Task(id));
                        }
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            if let Some(id) = row_task(&ev) {
                                state.navigate(Route::Task(id));
                            }
                        }
                    }
                >
                    <tr class="td-spacer" aria-hidden="true" style:height=move || spacer(true)></tr>
                    // Keyed by task alone: a row stays while its task is in sight, so it keeps the
                    // keyboard's focus when its age turns or another tab changes the task.
                    <For each=move || visible.with(|v| v.iter().map(|r| r.id).collect::<Vec<_>>()) key=|id| *id let:id>
                        <QueueRow id=id visible=visible />
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

/// One task's row: the element lives as long as the task is in sight; its cells follow the task.
#[component]
fn QueueRow(id: TaskId, visible: Memo<Vec<Row>>) -> impl IntoView {
    let row = Memo::new(move |_| visible.with(|v| v.iter().find(|r| r.id == id).cloned()));
    view! {
        <tr class="td-row" tabindex="0" data-task=id.to_string()>
            {move || {
                row.get()
                    .map(|row| {
                        view! {
                            <td><ChannelBadge channel=row.channel /></td>
                            <td class="td-number">
                                <a href=Route::Task(id).path()>{row.number}</a>
                            </td>
                            <td class="td-subject">{row.subject}</td>
                            <td class="td-col-customer">{row.customer}</td>
                            <td class="td-col-priority"><PriorityBadge priority=row.priority /></td>
                            <td class="td-col-status"><StatusBadge status=row.status /></td>
                            <td class="td-muted td-col-age">
                                {row.age}
                                {row.sla.map(|(text, standing)| view! { " · " <span class=sla_class(standing)>{text}</span> })}
                            </td>
                        }
                    })
            }}
        </tr>
    }
}
