//! Leptos components: what the agent sees. They read state and call `app` services; no business rules here.

pub mod add_person;
pub mod admin;
pub mod badges;
pub mod canned;
pub mod center_admin;
pub mod codes;
pub mod conversation;
pub mod custom_fields;
pub mod customer_form;
pub mod customer_page;
pub mod customer_panel;
pub mod customers;
pub mod field_admin;
pub mod fields;
pub mod hashtags;
pub mod history;
pub mod live;
pub mod palette;
pub mod queue;
pub mod reminders;
pub mod reports;
pub mod settings;
pub mod shell;
pub mod sync_panel;
pub mod task_form;
pub mod task_view;
