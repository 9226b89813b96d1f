//! Taskdesk, the contact center's task workspace: module tree and the entry points pages call.

pub mod app;
pub mod embed;
pub mod ui;

/// Panics should never happen on user or network input; if one does, say so in the console.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Taskdesk hit a bug: {info}").into());
    }));
}
