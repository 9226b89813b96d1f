//! A task's conversation (T3): the email thread with safely shown HTML, the chat or SMS
//! transcript, or the call log; and the composer whose replies wait in the outbox while offline.

use super::fields::{Choice, SelectField, TextArea, TextField};
use super::task_view::detail;
use crate::app::state::use_app;
use crate::app::{format, outbox};
use leptos::prelude::*;
use taskdesk_domain::call_log::{CallLogInput, Caller};
use taskdesk_domain::conversation::{is_written, Delivery, Message};
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::task::CallOutcome;
use taskdesk_domain::{Channel, CustomerId, Task, TaskId};

/// The conversation panel of a task.
#[component]
pub fn Conversation(id: TaskId, task: Memo<Option<Task>>) -> impl IntoView {
    // A memo, so the panel (and a call log's edit state) is rebuilt only when the channel changes.
    let channel = Memo::new(move |_| task.with(|t| t.as_ref().map(|t| t.channel).unwrap_or_default()));
    move || {
        let ch = channel.get();
        if is_written(ch) {
            view! { <Thread id=id channel=ch /> }.into_any()
        } else if ch == Channel::Call {
            view! { <CallLog id=id task=task /> <TeamNotes id=id /> }.into_any()
        } else {
            view! { <TeamNotes id=id /> }.into_any()
        }
    }
}

/// Adds the draft as an internal note; the draft empties once it is kept.
fn add_note(id: TaskId, draft: RwSignal<String>, problem: RwSignal<Option<String>>) {
    let state = use_app();
    match state.run(|ws, me, now| ws.add_note(me, id, &draft.get_untracked(), now).map(Some)) {
        Ok(_) => {
            draft.set(String::new());
            problem.set(None);
        }
        Err(e) => problem.set(Some(e.to_string())),
    }
}

/// Internal notes on a task with no written conversation (a call, a meeting, other work).
#[component]
fn TeamNotes(id: TaskId) -> impl IntoView {
    let state = use_app();
    let notes = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().map(|w| w.notes_of(id).into_iter().cloned().collect::<Vec<_>>()).unwrap_or_default()));
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    view! {
        <section class="td-conversation" aria-labelledby="notes-title">
            <h2 id="notes-title">"Internal notes"</h2>
            <ol class="td-thread td-transcript" aria-label="Internal notes">
                <For each=move || notes.get() key=|m| m.id let:message>
                    <MessageItem message=message email=false />
                </For>
            </ol>
            <form class="td-composer" on:submit=move |ev| { ev.prevent_default(); add_note(id, draft, problem); } novalidate>
                <label for="note-composer">"Internal note"</label>
                <textarea
                    id="note-composer"
                    rows="2"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    aria-describedby="note-help"
                ></textarea>
                <p class="td-help" id="note-help">{move || problem.get().unwrap_or_else(|| "Only the team sees notes; they are never sent to the customer.".into())}</p>
                <button type="submit" class="td-button">"Add note"</button>
            </form>
        </section>
    }
}

#[component]
fn Thread(id: TaskId, channel: Channel) -> impl IntoView {
    let state = use_app();
    let messages = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().map(|w| w.thread(id).into_iter().cloned().collect::<Vec<_>>()).unwrap_or_default()));
    let (title, composer_label) = match channel {
        Channel::Email => ("Email thread", "Reply"),
        Channel::Chat => ("Chat transcript", "Message"),
        _ => ("SMS conversation", "Text message"),
    };
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match state.run(|ws, me, now| ws.reply(me, id, &draft.get_untracked(), now).map(Some)) {
            Ok(_) => {
                draft.set(String::new());
                problem.set(None);
                outbox::flush(state);
                if !crate::app::sync::online() {
                    state.tell("You are offline: the reply waits in the outbox and is sent when the connection is back.", false);
                }
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let class = if channel == Channel::Email { "td-thread td-thread-email" } else { "td-thread td-transcript" };
    view! {
        <section class="td-conversation" aria-labelledby="conversation-title">
            <h2 id="conversation-title">{title}</h2>
            <Show when=move || messages.with(Vec::is_empty)>
                <p class="td-muted">"No messages yet."</p>
            </Show>
            <ol class=class aria-label=title>
                <For each=move || messages.get() key=|m| (m.id, m.delivery) let:message>
                    <MessageItem message=message email=channel == Channel::Email />
                </For>
            </ol>
            <form class="td-composer" on:submit=send novalidate>
                <label for="composer">{composer_label}</label>
                <textarea
                    id="composer"
                    rows=if channel == Channel::Email { "5" } else { "2" }
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    aria-describedby=move || problem.with(Option::is_some).then_some("composer-error")
                ></textarea>
                <Show when=move || problem.with(Option::is_some)>
                    <p class="td-field-error" id="composer-error" role="alert">{move || problem.get()}</p>
                </Show>
                <super::canned::CannedPicker task=id draft=draft />
                <div class="td-actions">
                    <button type="submit" class="td-button td-primary">"Send"</button>
                    <button type="button" class="td-button" title="Only the team sees notes; they are never sent to the customer." on:click=move |_| add_note(id, draft, problem)>
                        "Add as internal note"
                    </button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn MessageItem(message: Message, email: bool) -> impl IntoView {
    let state = use_app();
    let side = match (message.inbound, message.delivery) {
        (_, Delivery::Note) => "td-message td-note",
        (true, _) => "td-message td-inbound",
        (false, _) => "td-message td-outbound",
    };
    let delivery = match message.delivery {
        Delivery::Pending => Some(view! { <span class="td-pending" title="Waits in the outbox until the connection is back">"Pending"</span> }.into_any()),
        Delivery::Sent => Some(view! { <span class="td-sent">"Sent"</span> }.into_any()),
        Delivery::Note => Some(view! { <span class="td-note-label">"Internal note · only the team sees it"</span> }.into_any()),
        Delivery::Received => None,
    };
    let from = message.from.clone();
    let body = match (&message.html, email) {
        (Some(html), true) => view! { <EmailBody html=html.clone() from=from.clone() /> }.into_any(),
        _ => view! { <p class="td-prewrap td-message-text">{message.text.clone()}</p> }.into_any(),
    };
    view! {
        <li class=side>
            <p class="td-message-head">
                <strong>{message.from.clone()}</strong>
                " · "
                <time datetime=message.created_at.to_rfc3339()>{format::date_time(&*state.zone(), message.created_at)}</time>
                {delivery.map(|d| view! { " · " {d} })}
            </p>
            {body}
        </li>
    }
}

/// An email's HTML, sanitised and shown in a sandboxed frame (`mail-frame.html`, its only
/// script ours) that runs nothing of the email and loads nothing remote until the agent chooses
/// "Load images".
#[component]
fn EmailBody(html: String, from: String) -> impl IntoView {
    let state = use_app();
    let load_images = RwSignal::new(false);
    let cleaned = Memo::new(move |_| taskdesk_safe_html::sanitize(&html, load_images.get()));
    move || match cleaned.get() {
        Ok(clean) => {
            // The frame follows the app's colours (a new theme loads it afresh).
            let theme = state.theme.get().key();
            let blocked = clean.blocked_images;
            // The frame gets the email once, at its first load: if anything ever navigated it
            // away, nothing more is posted to whatever it became.
            let images = load_images.get_untracked();
            let email = serde_json::json!({ "taskdesk": "email", "html": clean.html, "policy": taskdesk_safe_html::policy(images), "theme": theme }).to_string();
            // A different address when images are allowed, so the frame loads afresh.
            let src = format!("{}?images={images}&theme={theme}", state.asset("mail-frame.html"));
            let posted = StoredValue::new(false);
            let show = move |ev: leptos::ev::Event| {
                if posted.get_value() {
                    return;
                }
                posted.set_value(true);
                let frame = event_target::<web_sys::HtmlIFrameElement>(&ev);
                if let (Some(window), Ok(message)) = (frame.content_window(), js_sys::JSON::parse(&email)) {
                    // The frame's origin is opaque (sandboxed), so no origin can be named.
                    let _ = window.post_message(&message, "*");
                }
            };
            view! {
                <div class="td-email">
                    <Show when=move || { blocked > 0 && !load_images.get() }>
                        <p class="td-images-blocked">
                            {if blocked == 1 { "1 remote image is blocked to protect your privacy. ".to_string() } else { format!("{blocked} remote images are blocked to protect your privacy. ") }}
                            <button type="button" class="td-button td-small" on:click=move |_| load_images.set(true)>"Load images"</button>
                        </p>
                    </Show>
                    <iframe
                        class="td-email-frame"
                        title=format!("Email from {from}")
                        sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"
                        referrerpolicy="no-referrer"
                        src=src
                        on:load=show
                    ></iframe>
                </div>
            }
            .into_any()
        }
        Err(why) => view! { <p class="td-field-error" role="alert">{format!("This email's formatting cannot be shown here ({why}).")}</p> }.into_any(),
    }
}

/// The call log (T5): read mode, or the form that records outcome and notes and, for an unknown
/// caller, makes the agent pick or create the customer first. Which mode it opens in is a setting.
#[component]
fn CallLog(id: TaskId, task: Memo<Option<Task>>) -> impl IntoView {
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
