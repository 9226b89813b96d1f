//! Who may do what (P1): role defaults, per-user overrides, checked by the domain whatever the UI shows.

use crate::user::{Role, User};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Something a user may or may not be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Create tasks and customers.
    Create,
    /// Edit tasks and customers.
    Edit,
    /// Delete tasks and customers.
    Delete,
    /// Clone tasks (also needs Create and Edit, T8).
    Clone,
    /// Define custom task fields.
    ManageFields,
    /// Keep the transaction code catalogue.
    ManageCodes,
    /// Manage users, their permissions, and workspace settings.
    ManageUsers,
    /// Read team statistics and reports.
    ViewReports,
}

impl Permission {
    /// Every permission, in the order the admin screen lists them.
    pub const ALL: [Permission; 8] = [
        Permission::Create,
        Permission::Edit,
        Permission::Delete,
        Permission::Clone,
        Permission::ManageFields,
        Permission::ManageCodes,
        Permission::ManageUsers,
        Permission::ViewReports,
    ];

    /// Label on the admin screen.
    pub fn label(self) -> &'static str {
        match self {
            Permission::Create => "Create",
            Permission::Edit => "Edit",
            Permission::Delete => "Delete",
            Permission::Clone => "Clone",
            Permission::ManageFields => "Manage fields",
            Permission::ManageCodes => "Manage codes",
            Permission::ManageUsers => "Manage users",
            Permission::ViewReports => "View reports",
        }
    }

    /// What the user was trying to do, for refusal messages ("You are not allowed to …").
    pub fn describe(self) -> &'static str {
        match self {
            Permission::Create => "create records",
            Permission::Edit => "edit records",
            Permission::Delete => "delete records",
            Permission::Clone => "clone tasks",
            Permission::ManageFields => "manage task fields",
            Permission::ManageCodes => "manage transaction codes",
            Permission::ManageUsers => "manage users and workspace settings",
            Permission::ViewReports => "view reports",
        }
    }
}

/// What a role may do unless the user's own permissions say otherwise.
pub fn role_defaults(role: Role) -> BTreeSet<Permission> {
    use Permission::*;
    match role {
        Role::Agent => [Create, Edit, Clone].into(),
        Role::Supervisor => [Create, Edit, Delete, Clone, ViewReports].into(),
        Role::Admin => Permission::ALL.into(),
    }
}

/// The permissions `user` holds: their own set when an admin gave them one, else their role's.
pub fn effective(user: &User) -> BTreeSet<Permission> {
    user.permissions.clone().unwrap_or_else(|| role_defaults(user.role))
}

/// Whether `user` holds `permission`.
pub fn allows(user: &User, permission: Permission) -> bool {
    user.is_system() || effective(user).contains(&permission)
}

/// Whether `user` may clone tasks: cloning needs Clone, Create and Edit together (T8).
pub fn can_clone(user: &User) -> bool {
    allows(user, Permission::Clone) && allows(user, Permission::Create) && allows(user, Permission::Edit)
}
