//! One task: header with number, subject and status, the resolve checkmark, and Details and History tabs.

use super::badges::{ChannelBadge, PriorityBadge, StatusBadge};
use super::codes::CodePicker;
use super::conversation::Conversation;
use super::customer_panel::CustomerPanel;
use super::hashtags::HashtagEditor;
use super::history::HistoryTab;
use super::shell::RouteLink;
use super::task_actions::TaskActions;
use crate::app::state::use_app;
use crate::app::{format, Route};
use leptos::prelude::*;
use taskdesk_domain::{Task, TaskId};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Details,
    History,
}

/// The task screen.
#[component]
pub fn TaskView(id: TaskId) -> impl IntoView {
    let state = use_app();
    let task = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().and_then(|w| w.task(id).cloned())));
    // Rebuild the screen only when the task appears or disappears, not on every edit, so open
    // editors (a call log, a reply) keep their state while the task changes underneath.
    let exists = Memo::new(move |_| task.with(Option::is_some));
    move || match exists.get().then_some(()) {
        None => view! {
            <section class="td-page">
                <h1>"Task not found"</h1>
                <p>"This task does not exist on this device, or it was deleted."</p>
                <button type="button" class="td-button" on:click=move |_| state.navigate(Route::Queue)>"Back to the queue"</button>
            </section>
        }
        .into_any(),
        Some(_) => view! { <TaskScreen id=id task=task /> }.into_any(),
    }
}

#[component]
fn TaskScreen(id: TaskId, task: Memo<Option<Task>>) -> impl IntoView {
    let state = use_app();
    let live = crate::app::live::use_live();
    let tab = RwSignal::new(Tab::Details);
    let customer = Memo::new(move |_| task.with(|t| t.as_ref().and_then(|t| t.customer)));
    // Whether the chosen tab takes focus (when chosen with the keyboard).
    let focus_tab = RwSignal::new(false);
    let get = move || task.get().unwrap_or_default();
    let parent = move || {
        let t = get();
        let number = t.parent_number.clone()?;
        let live = t.parent.filter(|p| state.ws.with(|ws| ws.as_ref().is_some_and(|w| w.task(*p).is_some())));
        Some(match live {
            Some(pid) => view! {
                <span class="td-parent">
                    "Clone of "
                    <RouteLink route=Route::Task(pid)>{number}</RouteLink>
                </span>
            }
            .into_any(),
            None => view! { <span class="td-parent">{format!("Clone of {number} (deleted)")}</span> }.into_any(),
        })
    };
    // The ARIA tabs pattern: one tab in the Tab order, the arrows (and Home, End) move between
    // them and show their panel.
    let tab_button = move |which: Tab, label: &'static str, panel: &'static str| {
        let node = NodeRef::<leptos::html::Button>::new();
        Effect::new(move |_| {
            if tab.get() == which && focus_tab.get() {
                if let Some(el) = node.get_untracked() {
                    let _ = el.focus();
                }
            }
        });
        view! {
            <button
                type="button"
                role="tab"
                id=format!("{panel}-tab")
                aria-controls=panel
                aria-selected=move || (tab.get() == which).to_string()
                tabindex=move || if tab.get() == which { "0" } else { "-1" }
                class="td-tab"
                node_ref=node
                on:click=move |_| tab.set(which)
                on:keydown=move |ev| {
                    let next = match ev.key().as_str() {
                        "ArrowRight" | "ArrowLeft" => if which == Tab::Details { Tab::History } else { Tab::Details },
                        "Home" => Tab::Details,
                        "End" => Tab::History,
                        _ => return,
                    };
                    ev.prevent_default();
                    focus_tab.set(true);
                    tab.set(next);
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <section class="td-page" aria-labelledby="task-title">
            <button type="button" class="td-link-button td-back" on:click=move |_| state.navigate(Route::Queue)>"← Queue"</button>
            <header class="td-task-head">
                <div class="td-task-title">
                    <p class="td-task-number">
                        <ChannelBadge channel=get().channel />
                        " "
                        <span data-testid="task-number">{move || get().number}</span>
                        {parent}
                    </p>
                    <h1 id="task-title">{move || get().subject}</h1>
                    <p>{move || view! { <StatusBadge status=get().status /> }} " " {move || view! { <PriorityBadge priority=get().priority /> }}</p>
                    {move || {
                        let now = chrono::DateTime::from_timestamp_millis(live.now.get() as i64).unwrap_or_else(chrono::Utc::now);
                        let clock = state.ws.with(|ws| ws.as_ref().and_then(|w| w.sla_clock(&get(), now)));
                        clock.map(|c| view! { <p class=super::queue_table::sla_class(c.standing())>{c.words()}</p> })
                    }}
                </div>
                <TaskActions id=id task=task />
            </header>
            <div class="td-tabs" role="tablist" aria-label="Task">
                {tab_button(Tab::Details, "Details", "task-details")}
                {tab_button(Tab::History, "History", "task-history")}
            </div>
            {move || match tab.get() {
                Tab::Details => view! {
                    <div role="tabpanel" id="task-details" aria-labelledby="task-details-tab" class="td-panel td-task-body">
                        <div class="td-task-main">
                            <Conversation id=id task=task />
                            <TaskDetails task=task />
                            <CodePicker id=id task=task />
                            <HashtagEditor id=id task=task />
                            <super::live::TaskRouting id=id />
                        </div>
                        {move || customer.get().map(|c| view! { <CustomerPanel task=id customer=c /> })}
                    </div>
                }
                .into_any(),
                Tab::History => view! {
                    <div role="tabpanel" id="task-history" aria-labelledby="task-history-tab" class="td-panel">
                        <HistoryTab id=id />
                    </div>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One labelled value of a task's details.
pub(super) fn detail(label: &'static str, value: String) -> impl IntoView {
    view! { <div class="td-detail"><dt>{label}</dt><dd>{value}</dd></div> }
}

#[component]
fn TaskDetails(task: Memo<Option<Task>>) -> impl IntoView {
    let state = use_app();
    move || {
        let t = task.get().unwrap_or_default();
        let customer = t.customer.and_then(|c| state.ws.with(|ws| ws.as_ref().and_then(|w| w.customer(c).map(|c| (c.id, c.name.clone())))));
        let custom = state.ws.with(|ws| ws.as_ref().map(|w| super::custom_fields::shown_values(w, &t, &*state.zone())).unwrap_or_default());
        let custom = custom
            .into_iter()
            .map(|(label, value, link)| {
                let shown = match link {
                    // Only http(s) addresses get here, so the link cannot run script.
                    Some(href) => view! { <a href=href rel="noopener noreferrer nofollow" target="_blank">{value}</a> }.into_any(),
                    None => view! { <span class="td-prewrap">{value}</span> }.into_any(),
                };
                view! { <div class="td-detail"><dt>{label}</dt><dd>{shown}</dd></div> }
            })
            .collect_view();
        view! {
            <dl class="td-details">
                <div class="td-detail">
                    <dt>"Customer"</dt>
                    <dd>
                        {match customer {
                            Some((cid, name)) => view! {
                                <RouteLink route=Route::Customer(cid)>{name}</RouteLink>
                            }
                            .into_any(),
                            None => view! { <span>"No customer"</span> }.into_any(),
                        }}
                    </dd>
                </div>
                {detail("Assignee", t.assignee.map_or_else(|| "Unassigned".into(), |a| state.user_name(Some(a))))}
                {detail("Queue", t.queue.clone().unwrap_or_else(|| "—".into()))}
                {detail("Direction", t.direction.label().into())}
                {detail("Transaction ID", t.transaction_id.clone())}
                {detail("Scheduled", t.scheduled_at.map_or_else(|| "—".into(), |at| format::date_time(&*state.zone(), at)))}
                {detail("Reminder", t.reminder_minutes.map_or_else(|| "—".into(), |m| format!("{m} minutes before")))}
                {detail("Created", format!("{} by {}", format::date_time(&*state.zone(), t.created_at), state.user_name(t.created_by)))}
                {detail("Last modified", format!("{} by {}", format::date_time(&*state.zone(), t.modified_at()), state.user_name(t.modified_by)))}
                {custom}
                <div class="td-detail td-detail-wide">
                    <dt>"Description"</dt>
                    <dd class="td-prewrap">{if t.description.is_empty() { "—".to_string() } else { t.description.clone() }}</dd>
                </div>
            </dl>
        }
    }
}
