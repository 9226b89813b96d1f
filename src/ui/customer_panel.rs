//! The customer beside the conversation (U1): details, other open tasks, recent resolved work
//! and transaction codes, each one click away; folded in a narrow panel.

use super::shell::RouteLink;
use crate::app::state::use_app;
use crate::app::Route;
use leptos::prelude::*;
use taskdesk_domain::{CustomerId, TaskId};

/// How many resolved tasks and codes the panel lists.
const RECENT: usize = 5;

/// Below this width the panel starts folded, so the conversation comes first.
const FOLD_BELOW_PX: i32 = 640;

/// The task's customer, beside its conversation.
#[component]
pub fn CustomerPanel(task: TaskId, customer: CustomerId) -> impl IntoView {
    let state = use_app();
    let open_first = state.root().is_none_or(|root| root.client_width() >= FOLD_BELOW_PX);
    let summary = Memo::new(move |_| {
        state.ws.with(|ws| {
            let w = ws.as_ref()?;
            let c = w.customer(customer)?;
            let (open, recent) = w.customer_work(customer, Some(task), RECENT);
            let line = |t: &taskdesk_domain::Task| (t.id, format!("{} {}", t.number, t.subject));
            let codes: Vec<(TaskId, String)> = w.codes_of_customer(customer).into_iter().take(RECENT).map(|(t, shown)| (t.id, format!("{} · {shown}", t.number))).collect();
            Some((c.name.clone(), c.company.clone(), c.phones.join(", "), c.emails.join(", "), open.into_iter().map(line).collect::<Vec<_>>(), recent.into_iter().map(line).collect::<Vec<_>>(), codes))
        })
    });
    let links = |title: &'static str, items: Vec<(TaskId, String)>, empty: &'static str| {
        view! {
            <h3>{title}</h3>
            {if items.is_empty() {
                view! { <p class="td-muted">{empty}</p> }.into_any()
            } else {
                view! { <ul class="td-panel-list">{items.into_iter().map(|(id, text)| view! { <li><RouteLink route=Route::Task(id)>{text}</RouteLink></li> }).collect_view()}</ul> }.into_any()
            }}
        }
    };
    move || {
        summary.get().map(|(name, company, phones, emails, open, recent, codes)| {
            let dash = |s: String| if s.is_empty() { "—".to_string() } else { s };
            view! {
                <details class="td-customer-panel" open=open_first>
                    <summary><span class="td-muted">"Customer: "</span><strong>{name.clone()}</strong></summary>
                    <p><RouteLink route=Route::Customer(customer)>{format!("Open {name}")}</RouteLink></p>
                    <dl class="td-panel-facts">
                        <dt>"Company"</dt><dd>{dash(company)}</dd>
                        <dt>"Phone"</dt><dd>{dash(phones)}</dd>
                        <dt>"Email"</dt><dd>{dash(emails)}</dd>
                    </dl>
                    {links("Other open tasks", open, "No other open tasks.")}
                    {links("Recently resolved", recent, "Nothing resolved yet.")}
                    {links("Transaction codes", codes, "No transaction codes yet.")}
                </details>
            }
        })
    }
}
