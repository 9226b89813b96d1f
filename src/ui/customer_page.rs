//! One customer: contact details and their tasks, with "New task" linking a new task to them (T4).

use super::badges::{ChannelBadge, StatusBadge};
use super::shell::RouteLink;
use crate::app::state::use_app;
use crate::app::{format, Route};
use leptos::prelude::*;
use taskdesk_domain::CustomerId;

/// The customer screen.
#[component]
pub fn CustomerPage(id: CustomerId) -> impl IntoView {
    let state = use_app();
    let customer = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().and_then(|w| w.customer(id).cloned())));
    let tasks = Memo::new(move |_| {
        state.ws.with(|ws| {
            ws.as_ref().map(|w| w.tasks_of_customer(id).into_iter().map(|t| (t.id, t.number.clone(), t.subject.clone(), t.channel, t.status, t.created_at)).collect::<Vec<_>>()).unwrap_or_default()
        })
    });
    let codes = Memo::new(move |_| {
        state.ws.with(|ws| ws.as_ref().map(|w| w.codes_of_customer(id).into_iter().map(|(t, shown)| (t.id, t.number.clone(), t.created_at, shown)).collect::<Vec<_>>()).unwrap_or_default())
    });
    move || {
        let Some(c) = customer.get() else {
            return view! {
                <section class="td-page">
                    <h1>"Customer not found"</h1>
                    <button type="button" class="td-button" on:click=move |_| state.navigate(Route::Customers)>"Back to customers"</button>
                </section>
            }
            .into_any();
        };
        let dash = |s: String| if s.is_empty() { "—".to_string() } else { s };
        view! {
            <section class="td-page" aria-labelledby="customer-title">
                <button type="button" class="td-link-button td-back" on:click=move |_| state.navigate(Route::Customers)>"← Customers"</button>
                <div class="td-page-head">
                    <h1 id="customer-title">{c.name.clone()}</h1>
                    <div class="td-task-actions">
                        <button type="button" class="td-button td-primary" on:click=move |_| state.navigate(Route::NewTask(Some(id)))>"New task"</button>
                        <button type="button" class="td-button" on:click=move |_| state.navigate(Route::EditCustomer(id))>"Edit"</button>
                    </div>
                </div>
                <dl class="td-details">
                    <div class="td-detail"><dt>"Company"</dt><dd>{dash(c.company.clone())}</dd></div>
                    <div class="td-detail"><dt>"Phone"</dt><dd>{dash(c.phones.join(", "))}</dd></div>
                    <div class="td-detail"><dt>"Email"</dt><dd>{dash(c.emails.join(", "))}</dd></div>
                    <div class="td-detail td-detail-wide"><dt>"Notes"</dt><dd class="td-prewrap">{dash(c.notes.clone())}</dd></div>
                </dl>
                <h2 id="customer-codes">"Transaction codes"</h2>
                <Show when=move || !codes.with(Vec::is_empty) fallback=|| view! { <p class="td-muted">"No transaction codes yet."</p> }>
                    <ul class="td-code-history" aria-labelledby="customer-codes">
                        <For each=move || codes.get() key=|c| c.clone() let:c>
                            {
                                let (tid, number, at, shown) = c;
                                view! {
                                    <li>
                                        <RouteLink route=Route::Task(tid)>{number}</RouteLink>
                                        {format!(" · {} · {shown}", format::date_time(&*state.zone(), at))}
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </Show>
                <h2 id="customer-tasks">"Tasks"</h2>
                <Show when=move || !tasks.with(Vec::is_empty) fallback=|| view! { <p class="td-muted">"No tasks for this customer yet."</p> }>
                    <div class="td-table-wrap" role="region" aria-label="Tasks of this customer" tabindex="0"><table class="td-table" aria-labelledby="customer-tasks">
                        <thead>
                            <tr>
                                <th scope="col">"Channel"</th>
                                <th scope="col">"Number"</th>
                                <th scope="col">"Subject"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Created"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || tasks.get() key=|t| (t.0, t.2.clone(), t.4) let:t>
                                {
                                    let (tid, number, subject, channel, status, created) = t;
                                    view! {
                                        <tr class="td-row" tabindex="0" on:click=move |_| state.navigate(Route::Task(tid)) on:keydown=move |ev| if ev.key() == "Enter" { state.navigate(Route::Task(tid)) }>
                                            <td><ChannelBadge channel=channel /></td>
                                            <td class="td-number"><a href=Route::Task(tid).path() on:click=move |ev| ev.prevent_default()>{number}</a></td>
                                            <td>{subject}</td>
                                            <td><StatusBadge status=status /></td>
                                            <td class="td-muted">{format::date_time(&*state.zone(), created)}</td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table></div>
                </Show>
            </section>
        }
        .into_any()
    }
}
