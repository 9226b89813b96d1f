//! T6 code catalogue and P1 per-user permissions, kept by admins.

use chrono::{DateTime, TimeZone, Utc};
use std::collections::BTreeSet;
use taskdesk_domain::codes::TransactionCode;
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn code(code: &str, label: &str) -> TransactionCode {
    TransactionCode { code: code.into(), label: label.into(), system: false }
}

#[test]
fn t6_admins_keep_the_catalogue_and_system_codes_stay_out_of_it() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(2)));
    let (agent, admin) = (demo::users()[0].clone(), demo::users()[4].clone());
    assert!(matches!(ws.add_code(&agent, code("VIP", "VIP customer"), now()), Err(DomainError::Forbidden(_))));
    ws.add_code(&admin, code(" VIP ", " VIP customer "), now()).unwrap();
    assert!(ws.code_catalogue().iter().any(|c| c.code == "VIP" && c.label == "VIP customer" && !c.system));
    for (bad, why) in [(code("AMD", "x"), "system code"), (code("VIP", "again"), "already"), (code("a b", "x"), "letters"), (code("OK", ""), "1 to 80")] {
        let err = ws.add_code(&admin, bad, now()).unwrap_err().to_string();
        assert!(err.contains(why), "{err}");
    }
    ws.remove_code(&admin, "VIP", now()).unwrap();
    assert!(!ws.code_catalogue().iter().any(|c| c.code == "VIP"));
}

#[test]
fn p1_an_admin_sets_a_users_own_permissions_and_the_domain_enforces_them() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(2)));
    let admin = demo::users()[4].clone();
    let bea = demo::users()[1].clone();
    let only_view: BTreeSet<Permission> = [Permission::ViewReports].into();
    ws.set_permissions(&admin, bea.id, Some(only_view.clone()), now()).unwrap();
    let stored = ws.user(bea.id).unwrap();
    assert_eq!(stored.permissions, Some(only_view));
    assert!(!permission::allows(&stored, Permission::Create));
    assert!(matches!(ws.set_permissions(&stored, admin.id, None, now()), Err(DomainError::Forbidden(_))));
    ws.set_permissions(&admin, bea.id, None, now()).unwrap();
    assert!(permission::allows(&ws.user(bea.id).unwrap(), Permission::Create), "back on the role's defaults");
}

#[test]
fn p1_an_admin_cannot_lock_themselves_out() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(2)));
    let admin = demo::users()[4].clone();
    let err = ws.set_permissions(&admin, admin.id, Some(BTreeSet::new()), now()).unwrap_err();
    assert!(err.to_string().contains("your own permission to manage users"));
}

#[test]
fn p1_an_admin_adds_a_person_who_then_acts_with_their_role() {
    let mut ws = Workspace::new(taskdesk_domain::workspace::Device::new(taskdesk_domain::ids::DeviceCode::from_random(9)));
    let users = demo::users();
    let (alex, ada) = (&users[0], &users[4]);
    assert_eq!(ws.add_user(alex, "Nina Park", Role::Agent, now()).unwrap_err(), DomainError::Forbidden("manage users and workspace settings"));
    let (change, nina) = ws.add_user(ada, "  Nina Park ", Role::Agent, now()).unwrap();
    assert!(change.fields.iter().any(|f| f.field == "users"));
    let added = ws.user(nina).unwrap();
    assert_eq!((added.name.as_str(), added.role), ("Nina Park", Role::Agent));
    assert_eq!(ws.users().len(), users.len() + 1, "the demo people stay");
    assert!(matches!(ws.add_user(ada, "nina park", Role::Admin, now()), Err(DomainError::Invalid(m)) if m.contains("already")));
    assert!(matches!(ws.add_user(ada, "   ", Role::Admin, now()), Err(DomainError::Invalid(_))));
}

#[test]
fn w1_a_person_the_host_page_vouches_for_joins_once_and_keeps_up_with_the_host() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(9)));
    let jana = User { id: UserId::new(), name: "Jana Novak".into(), role: Role::Agent, permissions: None };
    let change = ws.admit(&jana, now()).unwrap().expect("a new person joins");
    assert_eq!(change.actor, None, "the system adds them, on the host page's word");
    assert_eq!(ws.user(jana.id).unwrap().name, "Jana Novak");
    assert_eq!(ws.admit(&jana, now()).unwrap(), None, "the same person again changes nothing");
    let promoted = User { role: Role::Supervisor, ..jana.clone() };
    ws.admit(&promoted, now()).unwrap().expect("the host's role is followed");
    assert_eq!(ws.user(jana.id).unwrap().role, Role::Supervisor);
    assert_eq!(ws.users().iter().filter(|u| u.id == jana.id).count(), 1);
}
