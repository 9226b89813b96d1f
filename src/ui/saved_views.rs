//! Saved views (T11): a person's named filters and search, restored, saved and deleted.

use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::queue::QueueQuery;

/// Saved views (T11): choose one to restore its filters, save the current filters under a name, delete.
#[component]
pub fn SavedViews(query: RwSignal<QueueQuery>) -> impl IntoView {
    let state = use_app();
    let views = Memo::new(move |_| {
        let me = state.me.get();
        state.ws.with(|ws| ws.as_ref().map(|w| w.saved_views(me).into_iter().cloned().collect::<Vec<_>>()).unwrap_or_default())
    });
    let name = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let current = Memo::new(move |_| views.with(|vs| query.with(|q| vs.iter().find(|v| v.query == *q).map(|v| v.name.clone()))));
    let choose = move |ev| {
        let chosen = event_target_value(&ev);
        if let Some(v) = views.with(|vs| vs.iter().find(|v| v.name == chosen).cloned()) {
            query.set(v.query);
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match state.run(|ws, me, now| ws.save_view(me, &name.get_untracked(), &query.get_untracked(), now)) {
            Ok(_) => {
                name.set(String::new());
                problem.set(String::new());
            }
            Err(e) => problem.set(e.to_string()),
        }
    };
    let delete = move |_| {
        if let Some(n) = current.get_untracked() {
            if let Err(e) = state.run(|ws, me, now| ws.delete_view(me, &n, now)) {
                problem.set(e.to_string());
            }
        }
    };
    view! {
        <div class="td-filters td-saved-views" role="group" aria-label="Saved views">
            <label class="td-inline-field">
                "Saved view"
                <select on:change=choose>
                    <option value="" selected=move || current.with(Option::is_none)>
                        {move || if views.with(Vec::is_empty) { "None saved yet" } else { "Choose a view" }}
                    </option>
                    <For each=move || views.get() key=|v| v.name.clone() let:v>
                        {
                            let mine = v.name.clone();
                            view! { <option value=v.name.clone() selected=move || current.with(|c| c.as_deref() == Some(mine.as_str()))>{v.name.clone()}</option> }
                        }
                    </For>
                </select>
            </label>
            <Show when=move || current.with(Option::is_some)>
                <button type="button" class="td-button" on:click=delete>
                    {move || format!("Delete view “{}”", current.get().unwrap_or_default())}
                </button>
            </Show>
            <form class="td-inline-form" on:submit=save>
                <label class="td-inline-field">
                    "View name"
                    <input
                        type="text"
                        class="td-search"
                        maxlength=taskdesk_domain::views::MAX_VIEW_NAME.to_string()
                        aria-describedby="view-name-error"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" class="td-button">"Save view"</button>
            </form>
            <p class="td-field-error" id="view-name-error" role="alert">{move || problem.get()}</p>
        </div>
    }
}
