//! Taskdesk, the contact center's task workspace: module tree and the entry points that mount it.

pub mod app;
pub mod ui;

/// Mounts the app on `document.body`, owning the page and its URL.
pub fn mount_standalone() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(ui::shell::App);
}

/// Panics should never happen on user or network input; if one does, say so in the console.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Taskdesk hit a bug: {info}").into());
    }));
}
