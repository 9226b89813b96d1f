//! Application services: turn intents into change records, apply and persist them, and own the reactive state.

pub mod alerts;
pub mod bell;
pub mod events;
pub mod format;
pub mod host;
pub mod keys;
pub mod lifetime;
pub mod live;
pub mod locks;
pub mod outbox;
pub mod persist;
pub mod route;
pub mod state;
pub mod sync;
pub mod tabs;
pub mod trust;
pub mod update;
pub mod zone;

pub use route::Route;
pub use state::AppState;
