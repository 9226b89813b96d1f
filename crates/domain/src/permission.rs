//! Who may do what (P1): role defaults, per-user overrides, checked by the domain whatever the UI shows.

use crate::change::{Change, EntityKind};
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
    /// Reassign a task to another agent or transfer it to another queue (R4).
    Supervise,
}

impl Permission {
    /// Every permission, in the order the admin screen lists them.
    pub const ALL: [Permission; 9] = [
        Permission::Create,
        Permission::Edit,
        Permission::Delete,
        Permission::Clone,
        Permission::ManageFields,
        Permission::ManageCodes,
        Permission::ManageUsers,
        Permission::ViewReports,
        Permission::Supervise,
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
            Permission::Supervise => "Reassign and transfer",
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
            Permission::Supervise => "reassign or transfer tasks",
        }
    }
}

/// What a role may do unless the user's own permissions say otherwise.
pub fn role_defaults(role: Role) -> BTreeSet<Permission> {
    use Permission::*;
    match role {
        Role::Agent => [Create, Edit, Clone].into(),
        Role::Supervisor => [Create, Edit, Delete, Clone, ViewReports, Supervise].into(),
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

/// What a change does, as far as permissions go: the permissions its author needs to make it.
///
/// This is the table the server's `validate_doc_update` mirrors (`scripts/couch/validate.js`); a
/// test runs both over the same changes. Creating a task or customer needs Create (a clone also
/// Clone and Edit, T8), deleting needs Delete, any other edit of a task, customer or message
/// needs Edit; settings need the permission of the part they touch. Saved views and presence
/// need nothing, but a person may only touch their own ([`foreign_view`]).
pub fn needed_for(change: &Change) -> BTreeSet<Permission> {
    use Permission::*;
    let mut needed = BTreeSet::new();
    match change.kind {
        EntityKind::Task | EntityKind::Customer => {
            if change.is_creation() {
                needed.insert(Create);
                if change.kind == EntityKind::Task && change.new_value("parent").is_some_and(|p| !p.is_null()) {
                    needed.extend([Clone, Edit]);
                }
            } else if change.new_value("deleted") == Some(&serde_json::Value::Bool(true)) {
                needed.insert(Delete);
            } else {
                needed.insert(Edit);
            }
        }
        EntityKind::Message => {
            needed.insert(Edit);
        }
        EntityKind::Config => {
            for f in &change.fields {
                match f.field.as_str() {
                    "fields" => needed.insert(ManageFields),
                    "codes" => needed.insert(ManageCodes),
                    field if field.starts_with("views.") || field.starts_with("presence.") || field.starts_with("zone.") => false,
                    _ => needed.insert(ManageUsers),
                };
            }
        }
    }
    needed
}

/// The first entry a change touches that belongs to someone other than `author`: another
/// person's saved view, presence or time zone.
pub fn foreign_view(change: &Change, author: crate::ids::UserId) -> Option<&str> {
    if change.kind != EntityKind::Config {
        return None;
    }
    let (views, presence, zone) = (format!("views.{author}/"), format!("presence.{author}"), format!("zone.{author}"));
    change
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .find(|f| (f.starts_with("views.") && !f.starts_with(&views)) || (f.starts_with("presence.") && *f != presence) || (f.starts_with("zone.") && *f != zone))
}

/// Re-checks a change made elsewhere (pulled from the server) against the workspace's users, as
/// the domain checked it where it was made. A change without an author is the system's.
pub fn check_change(change: &Change, users: &[User]) -> Result<(), String> {
    let Some(actor) = change.actor else { return Ok(()) };
    let Some(user) = users.iter().find(|u| u.id == actor) else {
        return Err("it names a person who is not a user of this workspace".into());
    };
    if let Some(entry) = foreign_view(change, actor) {
        return Err(format!("{} changed something that is not theirs ({entry})", user.name));
    }
    match needed_for(change).into_iter().find(|p| !allows(user, *p)) {
        Some(p) => Err(format!("{} is not allowed to {}", user.name, p.describe())),
        None => Ok(()),
    }
}
