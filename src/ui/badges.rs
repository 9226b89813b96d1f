//! Small visual markers: channel, status and priority.

use leptos::prelude::*;
use taskdesk_domain::{Channel, Priority, TaskStatus};

/// The channel with its icon.
#[component]
pub fn ChannelBadge(channel: Channel) -> impl IntoView {
    // Simple line icons drawn inline: no icon font or emoji font is needed on the agent's machine.
    // How they are stroked is in the stylesheet (`.td-icon path`): the queue draws one a row.
    let path = match channel {
        Channel::Call => "M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 5a2 2 0 0 1 2-2z",
        Channel::Email => "M3 6h18v12H3zM3 6l9 7 9-7",
        Channel::Chat => "M4 5h16v10H9l-5 4z",
        Channel::Sms => "M7 3h10v18H7zM10 18h4",
        Channel::Meeting => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
        Channel::Other => "M5 19l1-4L16 5l3 3L9 18zM14 7l3 3",
    };
    view! {
        <span class=format!("td-channel td-channel-{}", channel.key())>
            <svg class="td-icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d=path />
            </svg>
            <span class="td-channel-label">{channel.label()}</span>
        </span>
    }
}

/// The status as a coloured pill.
#[component]
pub fn StatusBadge(status: TaskStatus) -> impl IntoView {
    view! { <span class=format!("td-status td-status-{}", status.key())>{status.label()}</span> }
}

/// The priority, emphasised when high.
#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    view! { <span class=format!("td-priority td-priority-{}", priority.key())>{priority.label()}</span> }
}
