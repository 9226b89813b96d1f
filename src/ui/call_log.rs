//! A call task's log (T5): what was said and how the call ended, read or edited.

use super::fields::{Choice, SelectField, TextArea, TextField};
use super::task_view::detail;
use crate::app::format;
use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::call_log::{CallLogInput, Caller};
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::task::CallOutcome;
use taskdesk_domain::{CustomerId, Task, TaskId};

/// The call log (T5): read mode, or the form that records outcome and notes and, for an unknown
/// caller, makes the agent pick or create the customer first. Which mode it opens in is a setting.
#[component]
pub fn CallLog(id: TaskId, task: Memo<Option<Task>>) -> impl IntoView {
    let state = use_app();
    let opens_in_edit = state.ws.with_untracked(|ws| ws.as_ref().is_some_and(|w| w.config.call_log_opens_in_edit));
    let editing = RwSignal::new(opens_in_edit && permission::allows(&state.me_user(), Permission::Edit));
    view! {
        <section class="td-conversation" aria-labelledby="call-log-title">
            <h2 id="call-log-title">"Call log"</h2>
            {move || if editing.get() {
                view! { <CallLogForm id=id task=task editing=editing /> }.into_any()
            } else {
                view! { <CallLogView task=task editing=editing /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn CallLogView(task: Memo<Option<Task>>, editing: RwSignal<bool>) -> impl IntoView {
    let state = use_app();
    move || {
        let t = task.get().unwrap_or_default();
        view! {
            <dl class="td-details">
                {detail("Caller", t.contact.clone().unwrap_or_else(|| "—".into()))}
                {detail("Direction", t.direction.label().into())}
                {detail("Outcome", t.call_outcome.map_or_else(|| "Not logged yet".into(), |o| o.label().into()))}
                {detail("Interaction", t.transaction_id.clone())}
                {t.scheduled_at.map(|at| detail("Scheduled call", format::date_time(&*state.zone(), at)))}
                <div class="td-detail td-detail-wide">
                    <dt>"Notes, transcript or voicemail"</dt>
                    <dd class="td-prewrap">{if t.description.is_empty() { "—".to_string() } else { t.description.clone() }}</dd>
                </div>
            </dl>
            <Show when=move || permission::allows(&state.me_user(), Permission::Edit)>
                <button type="button" class="td-button" on:click=move |_| editing.set(true)>"Edit call log"</button>
            </Show>
        }
    }
}

#[component]
fn CallLogForm(id: TaskId, task: Memo<Option<Task>>, editing: RwSignal<bool>) -> impl IntoView {
    let state = use_app();
    let t = task.get_untracked().unwrap_or_default();
    let unknown = t.customer.is_none();
    let outcome = RwSignal::new(t.call_outcome.map(|o| o.key().to_string()).unwrap_or_default());
    let notes = RwSignal::new(t.description.clone());
    let customer = RwSignal::new(String::new());
    let new_name = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let outcomes: Vec<Choice> = std::iter::once((String::new(), "Not logged yet".to_string())).chain(CallOutcome::ALL.iter().map(|o| (o.key().to_string(), o.label().to_string()))).collect();
    let customers: Vec<Choice> = [(String::new(), "Choose the caller…".to_string()), ("new".to_string(), "A new customer…".to_string())]
        .into_iter()
        .chain(state.ws.with_untracked(|ws| ws.as_ref().map(|w| w.customers_by_name().into_iter().map(|c| (c.id.to_string(), c.name.clone())).collect::<Vec<_>>()).unwrap_or_default()))
        .collect();
    let no_error = Signal::derive(|| None::<String>);
    let customer_error = Signal::derive(move || problem.get());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let caller = if !unknown {
            Caller::Linked
        } else {
            match customer.get_untracked().as_str() {
                "" => Caller::Unknown,
                "new" => Caller::New(new_name.get_untracked()),
                other => CustomerId::parse(other).map_or(Caller::Unknown, Caller::Existing),
            }
        };
        let input = CallLogInput { outcome: CallOutcome::from_key(&outcome.get_untracked()), notes: notes.get_untracked(), caller };
        match state.run_all(|ws, me, now| ws.save_call_log(me, id, input, now)) {
            Ok(_) => {
                problem.set(None);
                editing.set(false);
                state.tell("Call log saved.", false);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="td-form td-call-log-form" on:submit=save novalidate aria-label="Call log">
            {t.contact.clone().map(|c| view! { <p class="td-span">"Caller: "<strong>{c}</strong>{unknown.then_some(" (not a known customer)")}</p> })}
            <SelectField id="call-outcome" label="Outcome" value=outcome choices=outcomes error=no_error />
            {unknown.then(|| view! {
                <SelectField id="call-customer" label="Customer" value=customer choices=customers.clone() error=customer_error
                    help="Required: pick the caller, or create a new customer." />
                <Show when=move || customer.get() == "new">
                    <TextField id="call-new-customer" label="New customer's name" value=new_name error=no_error />
                </Show>
            })}
            <TextArea id="call-notes" label="Notes" value=notes error=no_error />
            <Show when=move || problem.with(Option::is_some) && !unknown>
                <p class="td-form-summary" role="alert">{move || problem.get()}</p>
            </Show>
            <div class="td-form-actions">
                <button type="submit" class="td-button td-primary">"Save call log"</button>
                <button type="button" class="td-button" on:click=move |_| editing.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}
