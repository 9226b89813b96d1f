//! Hashtags on a task (T7): shown as tags, added with suggestions from those in use, removed one by one.

use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::{Task, TaskId};

/// The hashtag editor of one task.
#[component]
pub fn HashtagEditor(id: TaskId, task: Memo<Option<Task>>) -> impl IntoView {
    let state = use_app();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let tags = move || task.with(|t| t.as_ref().map(|t| t.hashtags.clone()).unwrap_or_default());
    let suggestions = move || state.ws.with(|ws| ws.as_ref().map(|w| w.hashtags_in_use()).unwrap_or_default());
    let save = move |text: String| match state.run(|ws, me, now| ws.set_hashtags(me, id, &text, now)) {
        Ok(_) => {
            error.set(None);
            typed.set(String::new());
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(format!("{} {}", tags().join(" "), typed.get_untracked()));
    };
    view! {
        <div class="td-hashtags">
            <h2 id="hashtags-title">"Hashtags"</h2>
            <ul class="td-tag-list" aria-labelledby="hashtags-title">
                {move || {
                    let all = tags();
                    if all.is_empty() {
                        return view! { <li class="td-muted">"No hashtags yet."</li> }.into_any();
                    }
                    all.iter()
                        .map(|tag| {
                            let rest: Vec<String> = all.iter().filter(|t| *t != tag).cloned().collect();
                            view! {
                                <li class="td-tag">
                                    {tag.clone()}
                                    <button type="button" class="td-tag-remove" aria-label=format!("Remove {tag}") on:click=move |_| save(rest.join(" "))>
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <form class="td-inline-form" on:submit=add>
                <label for="hashtag-input">"Add hashtags"</label>
                <input
                    id="hashtag-input"
                    list="hashtag-suggestions"
                    placeholder="#refund"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=move || error.get().map(|_| "hashtag-error")
                />
                <datalist id="hashtag-suggestions">
                    {move || suggestions().into_iter().map(|s| view! { <option value=s></option> }).collect_view()}
                </datalist>
                <button type="submit" class="td-button">"Add"</button>
            </form>
            <Show when=move || error.get().is_some()>
                <p class="td-field-error" id="hashtag-error" role="alert">{move || error.get()}</p>
            </Show>
        </div>
    }
}
