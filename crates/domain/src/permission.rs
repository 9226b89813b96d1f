//! Who may do what (P1), checked by the domain whatever the UI shows.

use crate::user::{Role, User};

/// Something a user may or may not be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Create tasks and customers.
    Create,
    /// Edit tasks and customers.
    Edit,
    /// Delete tasks and customers.
    Delete,
    /// Reset the demo workspace and change settings.
    Administer,
}

impl Permission {
    /// What the user was trying to do, for refusal messages.
    pub fn describe(self) -> &'static str {
        match self {
            Permission::Create => "create records",
            Permission::Edit => "edit records",
            Permission::Delete => "delete records",
            Permission::Administer => "change workspace settings",
        }
    }
}

/// Whether `user` holds `permission` through their role.
pub fn allows(user: &User, permission: Permission) -> bool {
    match permission {
        Permission::Create | Permission::Edit => true,
        Permission::Delete => matches!(user.role, Role::Supervisor | Role::Admin),
        Permission::Administer => user.role == Role::Admin,
    }
}
