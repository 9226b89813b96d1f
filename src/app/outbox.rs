//! The outbox (T3, O-series): replies wait here as pending while the device is offline and are
//! handed to the backend when the connection is back.
//!
//! With the default local-only backend there is no server to deliver to, so "handed over" means
//! the simulated contact center accepted it; a real backend adapter takes this place.

use super::sync::online;
use super::AppState;

/// Hands every pending reply to the backend if the device is online.
pub fn flush(state: AppState) {
    if !online() {
        return;
    }
    let sent = state.run_all(|ws, _, now| {
        let pending: Vec<uuid::Uuid> = ws.outbox().iter().map(|m| m.id).collect();
        let mut changes = Vec::new();
        for id in pending {
            changes.extend(ws.mark_sent(id, now)?);
        }
        Ok(changes)
    });
    if let Err(e) = sent {
        state.tell(format!("A reply could not be sent: {e}"), true);
    }
}

/// Sends what waited as soon as the connection comes back.
pub fn watch(state: AppState) {
    state.life().listen_window("online", move |_| flush(state));
}
