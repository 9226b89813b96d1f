//! A task's conversation (T3): the email thread with safely shown HTML, the chat or SMS
//! transcript, or the call log; and the composer whose replies wait in the outbox while offline.

use super::call_log::CallLog;
use super::email_body::EmailBody;
use crate::app::state::use_app;
use crate::app::{format, outbox};
use leptos::prelude::*;
use taskdesk_domain::conversation::{is_written, Delivery, Message};
use taskdesk_domain::{Channel, Task, TaskId};

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
