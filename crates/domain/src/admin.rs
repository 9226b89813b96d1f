//! What admins keep besides fields: the transaction code catalogue (T6) and each user's
//! permissions (P1). Both live in the workspace settings as change records.

use crate::codes::{system_codes, TransactionCode};
use crate::config::Config;
use crate::ids::UserId;
use crate::permission::Permission;
use crate::user::{Role, User};
use crate::workspace::{DomainError, Workspace};
use crate::Change;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// Checks a code an admin adds to the catalogue.
pub fn check_code(code: &str, label: &str, catalogue: &[TransactionCode]) -> Result<TransactionCode, String> {
    let code = code.trim();
    let label = label.trim();
    if code.is_empty() || code.len() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("A code is 1 to 20 letters, digits, - or _, like SALE or NO-ANSWER.".into());
    }
    if system_codes().iter().any(|s| s.code.eq_ignore_ascii_case(code)) {
        return Err(format!("{code} is a system code; only the system adds it."));
    }
    if catalogue.iter().any(|c| c.code.eq_ignore_ascii_case(code)) {
        return Err(format!("{code} is already in the catalogue."));
    }
    if label.is_empty() || label.chars().count() > 80 {
        return Err("Say what the code means in 1 to 80 characters, like “Sale made”.".into());
    }
    Ok(TransactionCode { code: code.to_string(), label: label.to_string(), system: false })
}

impl Workspace {
    /// The workspace's users; a workspace made before users were stored has the demo's.
    pub fn users(&self) -> Vec<User> {
        self.config.people()
    }

    /// A user by id.
    pub fn user(&self, id: UserId) -> Option<User> {
        self.users().into_iter().find(|u| u.id == id)
    }

    /// Adds a checked code to the catalogue (T6).
    pub fn add_code(&mut self, actor: &User, code: TransactionCode, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let checked = check_code(&code.code, &code.label, &self.config.codes).map_err(DomainError::Invalid)?;
        let mut codes = self.config.codes.clone();
        codes.push(checked);
        self.edit_config(actor, Permission::ManageCodes, Config { codes, ..self.config.clone() }, now)
    }

    /// Removes a code from the catalogue; tasks that carry it keep it, shown by its code.
    pub fn remove_code(&mut self, actor: &User, code: &str, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let codes = self.config.codes.iter().filter(|c| c.code != code).cloned().collect();
        self.edit_config(actor, Permission::ManageCodes, Config { codes, ..self.config.clone() }, now)
    }

    /// Adds a person to the workspace with a role (P1); returns the change and their new id.
    pub fn add_user(&mut self, actor: &User, name: &str, role: Role, now: DateTime<Utc>) -> Result<(Change, UserId), DomainError> {
        crate::workspace::require(actor, Permission::ManageUsers)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(DomainError::Invalid("Give the person's name, 1 to 80 characters.".into()));
        }
        let mut users = self.users();
        if users.iter().any(|u| u.name.eq_ignore_ascii_case(name)) {
            return Err(DomainError::Invalid(format!("There is already a person called {name}.")));
        }
        let id = UserId::new();
        users.push(User { id, name: name.to_string(), role, permissions: None });
        let change = self.edit_config(actor, Permission::ManageUsers, Config { users, ..self.config.clone() }, now)?;
        change.map(|c| (c, id)).ok_or_else(|| DomainError::Invalid("Nothing changed.".into()))
    }

    /// A person the host page vouches for (W1) joins the workspace's users, or has their name
    /// and role brought up to date: a change by the system. `None` when nothing changed.
    pub fn admit(&mut self, person: &User, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let mut users = self.users();
        match users.iter_mut().find(|u| u.id == person.id) {
            Some(u) if u.name == person.name && u.role == person.role => return Ok(None),
            Some(u) => {
                u.name = person.name.clone();
                u.role = person.role;
            }
            None => users.push(User { permissions: None, ..person.clone() }),
        }
        self.edit_config(&User::system(), Permission::ManageUsers, Config { users, ..self.config.clone() }, now)
    }

    /// Gives a user their own permissions, or (`None`) puts them back on their role's defaults (P1).
    /// Nobody can take away their own right to manage users, so the workspace never locks itself out.
    pub fn set_permissions(&mut self, actor: &User, user: UserId, permissions: Option<BTreeSet<Permission>>, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        let mut users = self.users();
        let target = users.iter_mut().find(|u| u.id == user).ok_or_else(|| DomainError::Invalid("That user no longer exists.".into()))?;
        let mut changed = target.clone();
        changed.permissions = permissions;
        if user == actor.id && !crate::permission::allows(&changed, Permission::ManageUsers) {
            return Err(DomainError::Invalid("You cannot take away your own permission to manage users; ask another admin.".into()));
        }
        *target = changed;
        self.edit_config(actor, Permission::ManageUsers, Config { users, ..self.config.clone() }, now)
    }
}
