//! The command palette (Ctrl+K) and the list of shortcuts (`?`): what `palette::find` answers,
//! chosen with the arrows and Enter, as a combobox with a list box.

use crate::app::keys::{self, use_overlays};
use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::palette::{self, Entry, SHORTCUTS};
use wasm_bindgen::JsCast;

/// How many entries the palette lists.
const SHOWN: usize = 12;

/// The element that had focus, to give it back when an overlay closes without going anywhere.
fn focused(root: Option<web_sys::HtmlElement>) -> Option<web_sys::HtmlElement> {
    let node = root?.get_root_node();
    let active = match node.dyn_ref::<web_sys::ShadowRoot>() {
        Some(shadow) => shadow.active_element(),
        None => node.dyn_ref::<web_sys::Document>()?.active_element(),
    };
    active?.dyn_into().ok()
}

/// The command palette: type a screen, an action, a task's number or words, or a customer.
#[component]
pub fn CommandPalette() -> impl IntoView {
    let (state, overlays) = (use_app(), use_overlays());
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let input = NodeRef::<leptos::html::Input>::new();
    let before = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let entries = Memo::new(move |_| {
        if !overlays.palette.get() {
            return Vec::new();
        }
        let q = query.get();
        state.ws.with(|ws| ws.as_ref().map(|w| palette::find(w, &state.me_user(), keys::open_task(state), &q, SHOWN)).unwrap_or_default())
    });
    Effect::new(move |_| {
        if overlays.palette.get() {
            before.set_value(focused(state.root()));
            query.set(String::new());
            active.set(0);
            request_animation_frame(move || {
                if let Some(el) = input.try_get_untracked().flatten() {
                    let _ = el.focus();
                }
            });
        }
    });
    let close = move |give_back: bool| {
        overlays.palette.set(false);
        if give_back {
            if let Some(el) = before.get_value() {
                let _ = el.focus();
            }
        }
    };
    let choose = move |entry: Entry| {
        close(false);
        keys::run(state, entry.target);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = entries.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => active.update(|a| *a = (*a + 1) % count),
            "ArrowUp" if count > 0 => active.update(|a| *a = (*a + count - 1) % count),
            "Enter" => {
                if let Some(entry) = entries.with(|e| e.get(active.get_untracked()).cloned()) {
                    choose(entry);
                }
            }
            "Escape" => close(true),
            // The field is all the dialog holds: Tab stays in it.
            "Tab" => {}
            _ => return,
        }
        ev.prevent_default();
        ev.stop_propagation();
    };
    view! {
        <Show when=move || overlays.palette.get()>
            <div class="td-overlay" on:click=move |ev| {
                if ev.target() == ev.current_target() {
                    close(true);
                }
            }>
                <div class="td-palette" role="dialog" aria-modal="true" aria-label="Command palette">
                    <input
                        type="text"
                        class="td-palette-input"
                        role="combobox"
                        aria-label="Go to a screen, a task or a customer, or run an action"
                        aria-expanded="true"
                        aria-controls="td-palette-list"
                        aria-autocomplete="list"
                        aria-activedescendant=move || entries.with(|e| (!e.is_empty()).then(|| format!("td-palette-{}", active.get())))
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="Type a screen, a task number, a customer…"
                        node_ref=input
                        prop:value=move || query.get()
                        on:input=move |ev| {
                            query.set(event_target_value(&ev));
                            active.set(0);
                        }
                        on:keydown=on_key
                    />
                    <ul id="td-palette-list" class="td-palette-list" role="listbox" aria-label="Results">
                        {move || {
                            entries
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, entry)| {
                                    let chosen = entry.clone();
                                    view! {
                                        <li
                                            id=format!("td-palette-{i}")
                                            role="option"
                                            class="td-palette-option"
                                            aria-selected=move || (active.get() == i).to_string()
                                            on:mousemove=move |_| active.set(i)
                                            on:click=move |_| choose(chosen.clone())
                                        >
                                            <span>{entry.label}</span>
                                            <span class="td-palette-kind">{entry.kind}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    <p class="td-muted td-palette-status" role="status">
                        {move || match entries.with(Vec::len) {
                            0 => "Nothing matches.".to_string(),
                            1 => "1 result. Enter opens it.".to_string(),
                            n => format!("{n} results. Arrows choose, Enter opens."),
                        }}
                    </p>
                </div>
            </div>
        </Show>
    }
}

/// The list of keyboard shortcuts, opened with `?`.
#[component]
pub fn ShortcutHelp() -> impl IntoView {
    let overlays = use_overlays();
    let close_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if overlays.help.get() {
            request_animation_frame(move || {
                if let Some(el) = close_button.try_get_untracked().flatten() {
                    let _ = el.focus();
                }
            });
        }
    });
    view! {
        <Show when=move || overlays.help.get()>
            <div class="td-overlay" on:click=move |ev| {
                if ev.target() == ev.current_target() {
                    overlays.help.set(false);
                }
            }>
                <div class="td-palette td-shortcuts" role="dialog" aria-modal="true" aria-labelledby="td-help-title">
                    <h2 id="td-help-title">"Keyboard shortcuts"</h2>
                    <table class="td-table">
                        <thead><tr><th scope="col">"Keys"</th><th scope="col">"What they do"</th></tr></thead>
                        <tbody>
                            {SHORTCUTS.iter().map(|(keys, what)| view! { <tr><td><kbd>{*keys}</kbd></td><td>{*what}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                    <p class="td-muted">"Shortcuts wait while you type in a field; Ctrl+K (Cmd+K on a Mac) works everywhere."</p>
                    <button type="button" class="td-button" node_ref=close_button on:click=move |_| overlays.help.set(false)>"Close"</button>
                </div>
            </div>
        </Show>
    }
}
