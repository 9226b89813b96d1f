//! Canned replies (U1): the library an admin keeps in Settings, and the picker in the composer
//! (type `/` and a word of the name, or choose from the list).

use super::fields::{TextArea, TextField};
use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::canned::PLACEHOLDERS;
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::TaskId;

/// The library in Settings: every reply, and a form to add or replace one (admins).
#[component]
pub fn CannedLibrary() -> impl IntoView {
    let state = use_app();
    let replies = Memo::new(move |_| state.ws.with(|ws| ws.as_ref().map(|w| w.canned_replies().into_iter().cloned().collect::<Vec<_>>()).unwrap_or_default()));
    let may_edit = move || permission::allows(&state.me_user(), Permission::ManageUsers);
    let name = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match state.run(|ws, me, now| ws.save_canned(me, &name.get_untracked(), &text.get_untracked(), now)) {
            Ok(_) => {
                name.set(String::new());
                text.set(String::new());
                problem.set(None);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let placeholders = PLACEHOLDERS.map(|(p, what)| format!("{p} ({what})")).join(", ");
    view! {
        <h2 id="canned-title">"Canned replies"</h2>
        <ul class="td-canned-list" aria-labelledby="canned-title">
            <For each=move || replies.get() key=|r| (r.name.clone(), r.text.clone()) let:reply>
                {
                    let reply_name = reply.name.clone();
                    view! {
                        <li>
                            <strong>{reply.name.clone()}</strong>
                            <p class="td-muted td-prewrap">{reply.text.clone()}</p>
                            <Show when=may_edit>
                                {
                                    let reply_name = reply_name.clone();
                                    view! {
                                        <button type="button" class="td-button td-small" aria-label=format!("Delete the canned reply {reply_name}") on:click=move |_| {
                                            if let Err(e) = state.run(|ws, me, now| ws.delete_canned(me, &reply_name, now)) {
                                                state.tell(e.to_string(), true);
                                            }
                                        }>"Delete"</button>
                                    }
                                }
                            </Show>
                        </li>
                    }
                }
            </For>
        </ul>
        <Show when=may_edit fallback=|| view! { <p class="td-muted">"Admins keep this library; agents insert replies from the composer."</p> }>
            <form class="td-form td-canned-form" on:submit=save novalidate>
                <TextField id="canned-name" label="Reply name" value=name error=Signal::derive(|| None::<String>) />
                <TextArea id="canned-text" label="Reply text" help=format!("Placeholders: {placeholders}.") value=text error=Signal::derive(move || problem.get()) />
                <div class="td-form-actions">
                    <button type="submit" class="td-button">"Save reply"</button>
                </div>
            </form>
        </Show>
    }
}

/// In the composer: the replies matching a `/` word typed at its start, and a list to pick from.
/// Choosing one puts its text, filled for this task, in the draft.
#[component]
pub fn CannedPicker(task: TaskId, draft: RwSignal<String>) -> impl IntoView {
    let state = use_app();
    let typed = move || draft.with(|d| d.strip_prefix('/').filter(|rest| !rest.contains(char::is_whitespace)).map(str::to_string));
    let matches = move || state.ws.with(|ws| ws.as_ref().map(|w| typed().map(|t| w.canned_matching(&t).into_iter().cloned().collect::<Vec<_>>()).unwrap_or_default()).unwrap_or_default());
    let names = move || state.ws.with(|ws| ws.as_ref().map(|w| w.canned_replies().into_iter().map(|r| r.name.clone()).collect::<Vec<_>>()).unwrap_or_default());
    let insert = move |name: String, replace: bool| {
        let filled = state.ws.with_untracked(|ws| {
            let w = ws.as_ref()?;
            let reply = w.canned_replies().into_iter().find(|r| r.name == name)?;
            Some(w.fill_canned(reply, task, &state.me_user()))
        });
        if let Some(text) = filled {
            draft.update(|d| {
                *d = if replace || d.trim().is_empty() { text } else { format!("{}\n\n{text}", d.trim_end()) };
            });
        }
    };
    view! {
        <Show when=move || typed().is_some()>
            <ul class="td-canned-matches" aria-label="Canned replies matching what you typed">
                {move || {
                    let found = matches();
                    if found.is_empty() {
                        view! { <li class="td-muted">"No canned reply matches."</li> }.into_any()
                    } else {
                        found
                            .into_iter()
                            .map(|r| {
                                let name = r.name.clone();
                                view! { <li><button type="button" class="td-link-button" on:click=move |_| insert(name.clone(), true)>{format!("Insert “{}”", r.name)}</button></li> }
                            })
                            .collect_view()
                            .into_any()
                    }
                }}
            </ul>
        </Show>
        <div class="td-field td-canned-pick">
            <label for=format!("canned-{task}")>"Canned reply"</label>
            <select id=format!("canned-{task}") on:change=move |ev| {
                let name = event_target_value(&ev);
                if !name.is_empty() {
                    insert(name, false);
                }
                event_target::<web_sys::HtmlSelectElement>(&ev).set_value("");
            }>
                <option value="">"Insert a canned reply…"</option>
                {move || names().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
            </select>
        </div>
    }
}
