//! Taskdesk's task domain in pure Rust: tasks, customers, change records, lifecycle, validation and queries.
//!
//! Nothing here touches a browser or a UI framework, so every rule is tested natively with `cargo test`.

pub mod admin;
pub mod board;
pub mod call_log;
pub mod canned;
pub mod center;
pub mod center_settings;
pub mod change;
pub mod codes;
pub mod config;
pub mod conversation;
pub mod customer;
pub mod demo;
pub mod duration;
pub mod embed;
pub mod field;
pub mod field_admin;
pub mod hashtag;
pub mod hlc;
pub mod ids;
pub mod interaction;
pub mod lifecycle;
pub mod offers;
pub mod palette;
pub mod permission;
pub mod queue;
pub mod reminder;
pub mod reports;
pub mod routing;
pub mod search;
pub mod simulator;
pub mod sla;
pub mod stored_time;
pub mod task;
pub mod text_index;
pub mod user;
pub mod validate;
pub mod views;
pub mod workspace;
pub mod zone;

pub use change::{Change, EntityKind, FieldChange};
pub use customer::Customer;
pub use hlc::{Clock, Hlc};
pub use ids::{CustomerId, DeviceCode, TaskId, UserId};
pub use task::{Channel, Direction, Priority, Task, TaskStatus};
pub use user::{Role, User};
pub use workspace::{DomainError, Workspace};
