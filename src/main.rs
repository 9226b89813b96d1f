//! Standalone entry point: mounts Taskdesk on the whole page.

fn main() {
    taskdesk::mount_standalone();
}
