//! Application services: turn intents into change records, apply and persist them, and own the reactive state.

pub mod format;
pub mod host;
pub mod live;
pub mod outbox;
pub mod persist;
pub mod route;
pub mod state;

pub use route::Route;
pub use state::AppState;
