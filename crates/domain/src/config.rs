//! Workspace settings an admin keeps, built from change records like every other record.

use crate::change::{EntityKind, Record};
use crate::hlc::{Hlc, Stamps};
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The workspace's settings. There is one; its id is the nil UUID.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Resolving a task needs at least one hashtag (T7).
    pub hashtag_required: bool,
    /// The transaction codes agents choose from (T6); system codes are always added to these.
    pub codes: Vec<crate::codes::TransactionCode>,
    /// Call logs of system-generated call tasks open ready to edit rather than to read (T5).
    pub call_log_opens_in_edit: bool,
    /// Admin-defined task fields, in form order, retired ones included (F1).
    pub fields: Vec<crate::field::FieldDef>,
    /// The workspace's users with their roles and own permissions (P1).
    pub users: Vec<crate::user::User>,
    /// How the contact center routes and how busy its simulated traffic is (R1 to R5).
    pub center: crate::center_settings::CenterSettings,
    /// Everyone's saved queue views (T11), by owner and name.
    pub views: std::collections::BTreeMap<String, crate::views::SavedView>,
    /// Each person's presence (R2), by user id: each person sets only their own.
    pub presence: std::collections::BTreeMap<String, crate::offers::PresenceEntry>,
    /// Each person's time zone (an IANA name such as `Europe/Prague`), by user id: each person
    /// sets only their own; without one, a person's times read in their device's zone.
    pub zone: std::collections::BTreeMap<String, String>,
    /// Whether the simulated contact center sends traffic (R5); an admin switches it off.
    pub simulator: bool,
    /// The canned replies (U1), by lowercase name.
    pub canned: std::collections::BTreeMap<String, crate::canned::CannedReply>,
    /// Stamp of the latest change applied.
    pub modified: Hlc,
    /// Who made the latest change.
    pub modified_by: Option<UserId>,
    /// Per field, the stamp of the change that last set it.
    pub stamps: Stamps,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            hashtag_required: false,
            call_log_opens_in_edit: true,
            codes: crate::codes::default_codes(),
            fields: Vec::new(),
            users: Vec::new(),
            center: Default::default(),
            views: Default::default(),
            presence: Default::default(),
            zone: Default::default(),
            canned: Default::default(),
            simulator: true,
            modified: Hlc::default(),
            modified_by: None,
            stamps: Stamps::default(),
        }
    }
}

impl Config {
    /// The workspace's users; a workspace made before users were stored has the demo's.
    pub fn people(&self) -> Vec<crate::user::User> {
        if self.users.is_empty() {
            crate::demo::users()
        } else {
            self.users.clone()
        }
    }
}

impl Record for Config {
    const KIND: EntityKind = EntityKind::Config;
    const NAME: &'static str = "workspace setting";
    const FIELDS: &'static [&'static str] = &["hashtag_required", "call_log_opens_in_edit", "codes", "fields", "users", "center", "views", "presence", "zone", "simulator", "canned"];
    const KEYED: &'static [&'static str] = &["views", "presence", "zone", "canned"];
    fn uuid(&self) -> Uuid {
        Uuid::nil()
    }
    fn stamps_mut(&mut self) -> &mut Stamps {
        &mut self.stamps
    }
    fn modified(&self) -> &Hlc {
        &self.modified
    }
}
