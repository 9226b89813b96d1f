//! P1 on the server: the `validate_doc_update` rules (scripts/couch/validate.js) and the domain's
//! permission table agree on every role and kind of change, and the server refuses what only it
//! can see: a change naming someone else, an edit of a stored change, a foreign saved view.

use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};
use taskdesk_domain::change::FieldChange;
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::{demo, Change, EntityKind, Hlc, Role, User, UserId};
use taskdesk_sync::couch::{role_name, to_doc, USER_ROLE_PREFIX};

fn field(name: &str, old: Value, new: Value) -> FieldChange {
    FieldChange { field: name.into(), old, new }
}

/// One change of each kind the permission table tells apart, by `actor`.
fn kinds_of_change(actor: UserId) -> Vec<(&'static str, Change)> {
    let change = |n: u64, kind: EntityKind, fields: Vec<FieldChange>| Change {
        stamp: Hlc { millis: 1_000 + n, counter: 0, node: "RULES".into() },
        actor: Some(actor),
        kind,
        entity: uuid::Uuid::from_u128(n as u128),
        fields,
    };
    let created = || field("created_at", Value::Null, "2026-11-30T09:00:00Z".into());
    vec![
        ("create a task", change(1, EntityKind::Task, vec![created(), field("subject", Value::Null, "Hello".into())])),
        ("clone a task", change(2, EntityKind::Task, vec![created(), field("parent", Value::Null, uuid::Uuid::from_u128(1).to_string().into())])),
        ("edit a task", change(3, EntityKind::Task, vec![field("subject", "a".into(), "b".into())])),
        ("delete a task", change(4, EntityKind::Task, vec![field("deleted", false.into(), true.into())])),
        ("create a customer", change(5, EntityKind::Customer, vec![created(), field("name", Value::Null, "Jana".into())])),
        ("edit a customer", change(6, EntityKind::Customer, vec![field("name", "Jana".into(), "Jana K.".into())])),
        ("delete a customer", change(7, EntityKind::Customer, vec![field("deleted", false.into(), true.into())])),
        ("write a message", change(8, EntityKind::Message, vec![created(), field("text", Value::Null, "Hi".into())])),
        ("define fields", change(9, EntityKind::Config, vec![field("fields", json!([]), json!([{"key": "x"}]))])),
        ("keep codes", change(10, EntityKind::Config, vec![field("codes", json!([]), json!([]))])),
        ("manage users", change(11, EntityKind::Config, vec![field("users", json!([]), json!([]))])),
        ("set up the center", change(12, EntityKind::Config, vec![field("center", json!({}), json!({}))])),
        ("require hashtags", change(13, EntityKind::Config, vec![field("hashtag_required", false.into(), true.into())])),
        ("save an own view", change(14, EntityKind::Config, vec![field(&format!("views.{actor}/mine"), Value::Null, json!({}))])),
        ("set an own presence", change(16, EntityKind::Config, vec![field(&format!("presence.{actor}"), Value::Null, json!({"state": "available"}))])),
        ("set an own time zone", change(17, EntityKind::Config, vec![field(&format!("zone.{actor}"), Value::Null, "Europe/Prague".into())])),
        ("codes and users at once", change(15, EntityKind::Config, vec![field("codes", json!([]), json!([])), field("users", json!([]), json!([]))])),
    ]
}

fn user_ctx(user: &User) -> Value {
    json!({ "name": demo::sign_in_name(user), "roles": [role_name(user.role), format!("{USER_ROLE_PREFIX}{}", user.id)] })
}

/// Runs the server's rules over cases in node, as CouchDB would.
fn server_verdicts(cases: &[Value]) -> Vec<Result<(), String>> {
    verdicts_of(None, cases)
}

/// Runs a given version of the rules (`None`: scripts/couch/validate.js) over cases.
fn verdicts_of(source: Option<&str>, cases: &[Value]) -> Vec<Result<(), String>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/couch/check-rules.mjs");
    let mut child = Command::new("node").arg(script).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("node runs the server's rules");
    child.stdin.take().unwrap().write_all(json!({ "source": source, "cases": cases }).to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "check-rules.mjs failed: {}", String::from_utf8_lossy(&out.stderr));
    let verdicts: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    verdicts.into_iter().map(|v| if v["allowed"] == true { Ok(()) } else { Err(v["reason"].as_str().unwrap_or_default().to_string()) }).collect()
}

fn person(role: Role) -> User {
    demo::users().into_iter().find(|u| u.role == role).unwrap()
}

#[test]
fn p1_the_server_and_the_domain_agree_on_every_role_and_kind_of_change() {
    let mut cases = Vec::new();
    let mut expected = Vec::new();
    for role in [Role::Agent, Role::Supervisor, Role::Admin] {
        let me = person(role);
        for (what, change) in kinds_of_change(me.id) {
            cases.push(json!({ "doc": to_doc(&change), "userCtx": user_ctx(&me) }));
            expected.push((role, what, permission::check_change(&change, &demo::users()).is_ok(), permission::needed_for(&change)));
        }
    }
    let verdicts = server_verdicts(&cases);
    let mut allowed_somewhere = 0;
    for ((role, what, domain_allows, needed), verdict) in expected.into_iter().zip(verdicts) {
        assert_eq!(verdict.is_ok(), domain_allows, "{role:?} may {what}? domain says {domain_allows}, server says {verdict:?} (needs {needed:?})");
        if let Err(reason) = verdict {
            assert!(reason.ends_with('.') && reason.contains("not allowed to"), "a plain reason: {reason}");
        }
        allowed_somewhere += domain_allows as usize;
    }
    assert!(allowed_somewhere > 10 && allowed_somewhere < 45, "the table both allows and refuses: {allowed_somewhere}");
    // Every permission the domain knows is one the server's table names.
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/couch/validate.js")).unwrap();
    for p in Permission::ALL {
        let key = serde_json::to_value(p).unwrap();
        assert!(source.contains(&format!("'{}'", key.as_str().unwrap())), "{p:?} is missing from validate.js");
        for role in [Role::Agent, Role::Supervisor, Role::Admin] {
            let line = source.lines().find(|l| l.trim_start().starts_with(&format!("{}:", role.label().to_lowercase()))).unwrap();
            assert_eq!(line.contains(&format!("'{}'", key.as_str().unwrap())), permission::role_defaults(role).contains(&p), "{role:?} {p:?} differs between the tables");
        }
    }
}

#[test]
fn p1_a_persons_own_permissions_bind_on_the_server_as_in_the_domain() {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/couch/validate.js")).unwrap();
    let mut users = demo::users();
    // Sam (a supervisor) loses Delete; Alex (an agent) gains it.
    users[3].permissions = Some([Permission::Create, Permission::Edit, Permission::Clone, Permission::ViewReports, Permission::Supervise].into());
    users[0].permissions = Some([Permission::Create, Permission::Edit, Permission::Clone, Permission::Delete].into());
    let rules = taskdesk_sync::couch::with_permissions(&source, &users).expect("the rules have a permissions line");
    let mut cases = Vec::new();
    let mut expected = Vec::new();
    for who in [&users[0], &users[1], &users[3], &users[4]] {
        for (what, change) in kinds_of_change(who.id) {
            cases.push(json!({ "doc": to_doc(&change), "userCtx": user_ctx(who) }));
            expected.push((who.name.clone(), what, permission::check_change(&change, &users).is_ok()));
        }
    }
    let verdicts = verdicts_of(Some(&rules), &cases);
    for ((who, what, domain_allows), verdict) in expected.into_iter().zip(verdicts) {
        assert_eq!(verdict.is_ok(), domain_allows, "{who} may {what}? domain says {domain_allows}, server says {verdict:?}");
    }
    let delete = kinds_of_change(users[3].id).remove(3).1;
    assert_eq!(verdicts_of(Some(&rules), &[json!({ "doc": to_doc(&delete), "userCtx": user_ctx(&users[3]) })])[0], Err("Your permissions do not allow you to delete records.".into()));
    let ada = person(Role::Admin);
    let design = json!({ "_id": "_design/taskdesk", "validate_doc_update": rules });
    let v = verdicts_of(Some(&rules), &[json!({ "doc": design, "userCtx": user_ctx(&ada) }), json!({ "doc": design, "userCtx": user_ctx(&users[3]) })]);
    assert_eq!(v[0], Ok(()), "an admin may publish the permissions");
    assert!(v[1].as_ref().unwrap_err().contains("Only an admin"), "{:?}", v[1]);
}

#[test]
fn p1_the_server_refuses_forged_edited_and_foreign_changes() {
    let alex = person(Role::Agent);
    let bea = demo::users()[1].clone();
    let ada = person(Role::Admin);
    let (_, own) = kinds_of_change(alex.id).remove(2);
    let forged = Change { actor: Some(bea.id), ..own.clone() };
    let mut edited = to_doc(&own);
    let stored = to_doc(&own);
    edited["fields"][0]["new"] = "changed afterwards".into();
    edited["_rev"] = "1-0000".into();
    let foreign_view = Change { kind: EntityKind::Config, actor: Some(ada.id), fields: vec![field(&format!("views.{}/theirs", bea.id), Value::Null, json!({}))], ..own.clone() };
    let foreign_presence = Change { fields: vec![field(&format!("presence.{}", bea.id), Value::Null, json!({"state": "available"}))], ..foreign_view.clone() };
    let foreign_zone = Change { fields: vec![field(&format!("zone.{}", bea.id), Value::Null, "Asia/Tokyo".into())], ..foreign_view.clone() };
    let system_delete = Change { actor: None, ..kinds_of_change(alex.id).remove(3).1 };
    let stranger = json!({ "name": "mallory", "roles": [] });
    let nobody = json!({ "name": null, "roles": [] });
    let cases = vec![
        json!({ "doc": to_doc(&forged), "userCtx": user_ctx(&alex) }),
        json!({ "doc": edited, "old": stored, "userCtx": user_ctx(&alex) }),
        json!({ "doc": to_doc(&own), "old": to_doc(&own), "userCtx": user_ctx(&alex) }),
        json!({ "doc": to_doc(&foreign_view), "userCtx": user_ctx(&ada) }),
        json!({ "doc": to_doc(&system_delete), "userCtx": user_ctx(&alex) }),
        json!({ "doc": to_doc(&own), "userCtx": stranger }),
        json!({ "doc": { "_id": "_design/other", "validate_doc_update": "" }, "userCtx": user_ctx(&ada) }),
        json!({ "doc": { "_id": "note", "text": "hello" }, "userCtx": user_ctx(&ada) }),
        json!({ "doc": to_doc(&own), "userCtx": { "name": "admin", "roles": ["_admin"] } }),
        json!({ "doc": to_doc(&own), "userCtx": nobody }),
        json!({ "doc": { "_id": "lease:routing", "_rev": "3-x", "type": "lease", "holder": "AAAAA", "person": "Alex" }, "old": { "_id": "lease:routing", "_rev": "2-x" }, "userCtx": user_ctx(&alex) }),
        json!({ "doc": { "_id": "lease:routing", "type": "lease", "holder": "AAAAA" }, "userCtx": stranger }),
        json!({ "doc": { "_id": "interaction:PBX-1:1", "type": "interaction", "id": "PBX-1", "kind": "chat", "contact": "+420" }, "userCtx": user_ctx(&alex) }),
        json!({ "doc": { "_id": "interaction:PBX-1:1", "type": "interaction", "id": "PBX-1", "kind": "chat", "contact": "+420" }, "userCtx": { "name": "pbx", "roles": ["taskdesk:integration"] } }),
        json!({ "doc": { "_id": "interaction:PBX-1:1", "type": "interaction" }, "old": { "_id": "interaction:PBX-1:1" }, "userCtx": { "name": "pbx", "roles": ["taskdesk:integration"] } }),
        json!({ "doc": to_doc(&foreign_presence), "userCtx": user_ctx(&ada) }),
        json!({ "doc": { "_id": "lease:routing", "type": "lease", "holder": "PBX00" }, "userCtx": { "name": "pbx", "roles": ["taskdesk:integration"] } }),
        json!({ "doc": to_doc(&Change { actor: None, ..own.clone() }), "userCtx": { "name": "pbx", "roles": ["taskdesk:integration"] } }),
        json!({ "doc": to_doc(&foreign_zone), "userCtx": user_ctx(&ada) }),
    ];
    let v = server_verdicts(&cases);
    assert!(v[0].as_ref().unwrap_err().contains("names another person"), "{:?}", v[0]);
    assert!(v[1].as_ref().unwrap_err().contains("never edited"), "{:?}", v[1]);
    assert_eq!(v[2], Ok(()), "pushing the same change again is allowed");
    assert!(v[3].as_ref().unwrap_err().contains("your own saved views"), "{:?}", v[3]);
    assert_eq!(v[4], Err("An agent is not allowed to delete records.".into()), "a system change is checked against the pusher's role");
    assert!(v[5].as_ref().unwrap_err().contains("not a Taskdesk user"), "{:?}", v[5]);
    assert!(v[6].is_err() && v[7].is_err(), "{:?} {:?}", v[6], v[7]);
    assert_eq!(v[8], Ok(()), "the server admin may write anything (the demo data)");
    assert_eq!(v[9], Err("unauthorized: Sign in to write to this database.".into()), "nobody signed in is told to sign in, not refused");
    assert_eq!(v[10], Ok(()), "a team member's device may take over the routing lease");
    assert!(v[11].as_ref().unwrap_err().contains("not a Taskdesk user"), "{:?}", v[11]);
    assert_eq!(v[12], Err("Only an integration (or an admin) may write interactions.".into()));
    assert_eq!(v[13], Ok(()), "an integration writes interactions");
    assert!(v[14].as_ref().unwrap_err().contains("never edited"), "{:?}", v[14]);
    assert_eq!(v[15], Err("You can only change your own presence.".into()), "even an admin sets only their own presence");
    assert!(v[16].as_ref().unwrap_err().contains("not a Taskdesk user"), "an integration cannot take routing: {:?}", v[16]);
    assert!(v[17].as_ref().unwrap_err().contains("not a Taskdesk user"), "an integration writes interactions only: {:?}", v[17]);
    assert_eq!(v[18], Err("You can only change your own time zone.".into()), "even an admin sets only their own time zone");
}

#[test]
fn the_demo_people_on_the_server_are_the_demo_workspaces_users() {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/demo-users.json")).unwrap()).unwrap();
    let listed: Vec<(String, String, String, String)> = file["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["id"].as_str().unwrap().into(), u["name"].as_str().unwrap().into(), u["role"].as_str().unwrap().into(), u["login"].as_str().unwrap().into()))
        .collect();
    let users: Vec<(String, String, String, String)> = demo::users().iter().map(|u| (u.id.to_string(), u.name.clone(), u.role.label().to_lowercase(), demo::sign_in_name(u))).collect();
    assert_eq!(listed, users);
}
