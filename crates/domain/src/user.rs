//! Users of the workspace and their roles.

use crate::ids::UserId;
use crate::permission::Permission;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a user does in the contact center; decides default permissions (P1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Works tasks.
    Agent,
    /// Watches queues and agents, reassigns, reads reports.
    Supervisor,
    /// Configures fields, skills, codes and permissions.
    Admin,
}

impl Role {
    /// Label shown in the user switcher.
    pub fn label(self) -> &'static str {
        match self {
            Role::Agent => "Agent",
            Role::Supervisor => "Supervisor",
            Role::Admin => "Admin",
        }
    }
}

/// A person using Taskdesk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Stable id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Permissions an admin set for this user; `None` means the role's defaults.
    #[serde(default)]
    pub permissions: Option<BTreeSet<Permission>>,
}

impl User {
    /// The system itself: simulated contact center, telephony, sync. Its changes have no human author.
    pub fn system() -> User {
        User { id: UserId::default(), name: "System".into(), role: Role::Admin, permissions: None }
    }

    /// The author a change or record names: the user, or nobody for the system.
    pub fn author(&self) -> Option<UserId> {
        (!self.is_system()).then_some(self.id)
    }

    /// Whether this is [`User::system`].
    pub fn is_system(&self) -> bool {
        self.id == UserId::default()
    }
}
