//! The adapter conformance suite through the CouchDB adapter, against a real pouchdb-server
//! started for the test (`node scripts/sync-server.mjs --test`, from the project's npm packages),
//! with the project's rules installed by `scripts/couch-setup.mjs`.

use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use taskdesk_domain::{demo, User};
use taskdesk_sync::conformance::Rig;
use taskdesk_sync::couch::CouchAdapter;
use taskdesk_sync::http::{basic_header, Http, Method, Request, Response};
use taskdesk_sync::SyncError;

/// Plain HTTP with ureq. Cookies are not kept, so sign-in falls back to Basic, as in a browser
/// that blocks the server's cookie.
#[derive(Debug)]
struct Ureq;

impl Http for Ureq {
    async fn send(&self, request: Request) -> Result<Response, SyncError> {
        let mut call = ureq::request(request.method.name(), &request.url).set("content-type", "application/json").set("accept", "application/json");
        if let Some((name, password)) = &request.basic {
            call = call.set("authorization", &basic_header(name, password));
        }
        let result = match &request.body {
            Some(body) => call.send_string(body),
            None => call.call(),
        };
        match result {
            Ok(r) => Ok(Response { status: r.status(), body: r.into_string().unwrap_or_default() }),
            Err(ureq::Error::Status(status, r)) => Ok(Response { status, body: r.into_string().unwrap_or_default() }),
            Err(e) => Err(SyncError::Unreachable(e.to_string())),
        }
    }
}

struct Server {
    url: String,
    admin: String,
    _child: Child,
}

/// One server for every test of this file; it stops when the test process ends (its input closes).
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/sync-server.mjs");
        let mut child = Command::new("node").arg(script).arg("--test").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("node starts pouchdb-server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let info: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("pouchdb-server did not start (run `make test`, which installs it): {line}"));
        let server = Server { url: info["url"].as_str().unwrap().into(), admin: info["admin"].as_str().unwrap().into(), _child: child };
        let setup = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/couch-setup.mjs");
        let status = Command::new("node").args([setup, &server.admin, "conformance"]).status().unwrap();
        assert!(status.success(), "couch-setup failed");
        server
    })
}

struct Couch;

impl Rig for Couch {
    type Device = CouchAdapter<Ureq>;
    async fn device(&self, user: &User) -> Result<Self::Device, String> {
        let adapter = CouchAdapter::new(Ureq, &server().url, "conformance");
        let session = adapter.sign_in(&demo::sign_in_name(user), "taskdesk-demo").await.map_err(|e| format!("sign in: {e}"))?;
        if session.user() != Some(user.id) {
            return Err(format!("signed in as {session:?}, not {}", user.name));
        }
        Ok(adapter)
    }
    async fn inject_malformed(&self, id: &str) -> Result<(), String> {
        let body = json!({ "new_edits": false, "docs": [{ "_id": id, "_rev": "1-abc", "type": "change", "stamp": "not a stamp" }] });
        let reply = Ureq
            .send(Request {
                method: Method::Post,
                url: format!("{}/conformance/_bulk_docs", server().admin.replace("admin:taskdesk-admin@", "")),
                body: Some(body.to_string()),
                basic: Some(("admin".into(), "taskdesk-admin".into())),
            })
            .await;
        match reply {
            Ok(r) if r.status < 300 => Ok(()),
            other => Err(format!("could not write the malformed document: {other:?}")),
        }
    }
}

taskdesk_sync::adapter_conformance_tests!(Couch);

#[test]
fn a_wrong_password_and_a_stranger_are_told_plainly() {
    let adapter = CouchAdapter::new(Ureq, &server().url, "conformance");
    let wrong = pollster::block_on(adapter.sign_in("alex", "nope")).unwrap_err();
    assert_eq!(wrong.to_string(), "The server answered 401: The user name or password is not right.");
    let anonymous = CouchAdapter::new(Ureq, &server().url, "conformance");
    assert_eq!(pollster::block_on(taskdesk_sync::Adapter::pull(&anonymous, None, 10)).unwrap_err(), SyncError::SignIn);
    let missing = CouchAdapter::new(Ureq, &server().url, "no-such-db");
    pollster::block_on(missing.sign_in("alex", "taskdesk-demo")).unwrap();
    let err = pollster::block_on(missing.check_database()).unwrap_err();
    assert!(err.to_string().contains("no database “no-such-db”"), "{err}");
}

#[test]
fn r3_the_routing_lease_is_taken_renewed_and_taken_over_by_compare_and_set() {
    use taskdesk_sync::lease::{Keeper, Lease, Step, TERM_MS};
    let users = demo::users();
    let (a, b) = (pollster::block_on(Couch.device(&users[0])).unwrap(), pollster::block_on(Couch.device(&users[3])).unwrap());
    let (mut ka, mut kb) = (Keeper::new("DEVAA"), Keeper::new("DEVBB"));
    let lease = |holder: &str| Lease { holder: holder.into(), person: "someone".into(), renewed: 0 };
    let current = |d: &CouchAdapter<Ureq>| pollster::block_on(d.read_lease()).unwrap();
    // The first device takes it (it may exist from another test: take it over as it would).
    let now = 1_000_000;
    let seen = current(&a);
    match ka.decide(seen.as_ref().map(|(r, l)| (r.as_str(), l)), now) {
        Step::Take | Step::Renew => assert!(pollster::block_on(a.write_lease(seen.as_ref().map(|(r, _)| r.as_str()), &lease("DEVAA"))).unwrap()),
        Step::Wait => {
            assert_eq!(ka.decide(seen.as_ref().map(|(r, l)| (r.as_str(), l)), now + TERM_MS), Step::Take);
            assert!(pollster::block_on(a.write_lease(seen.as_ref().map(|(r, _)| r.as_str()), &lease("DEVAA"))).unwrap());
        }
    }
    let (rev, held) = current(&b).unwrap();
    assert_eq!(held.holder, "DEVAA");
    assert_eq!(kb.decide(Some((&rev, &held)), now), Step::Wait);
    // The holder renews; a writer with a stale revision loses the compare-and-set.
    assert!(pollster::block_on(a.write_lease(Some(&rev), &lease("DEVAA"))).unwrap());
    assert!(!pollster::block_on(b.write_lease(Some(&rev), &lease("DEVBB"))).unwrap(), "stale revision: refused");
    // The holder goes silent for a whole term: the other device takes over.
    let (rev, held) = current(&b).unwrap();
    assert_eq!(kb.decide(Some((&rev, &held)), now + 1), Step::Wait);
    assert_eq!(kb.decide(Some((&rev, &held)), now + 1 + TERM_MS), Step::Take);
    assert!(pollster::block_on(b.write_lease(Some(&rev), &lease("DEVBB"))).unwrap());
    assert_eq!(current(&a).unwrap().1.holder, "DEVBB");
}

#[test]
fn r5_an_integrations_interaction_document_arrives_with_a_pull() {
    let body = json!({ "new_edits": false, "docs": [{ "_id": "interaction:PBX-9:1", "_rev": "1-a", "type": "interaction", "id": "PBX-9", "kind": "sms", "contact": "+420 777 000 999", "body": "Where is my parcel?", "queue": "Support" }] });
    let reply = pollster::block_on(Ureq.send(Request {
        method: Method::Post,
        url: format!("{}/conformance/_bulk_docs", server().url),
        body: Some(body.to_string()),
        basic: Some(("admin".into(), "taskdesk-admin".into())),
    }))
    .unwrap();
    assert!(reply.status < 300, "{reply:?}");
    let device = pollster::block_on(Couch.device(&demo::users()[0])).unwrap();
    let page = pollster::block_on(taskdesk_sync::Adapter::pull(&device, None, 10_000)).unwrap();
    let event = page.interactions.iter().find(|e| e.id == "PBX-9").expect("the interaction arrived");
    assert_eq!((event.source.as_deref(), event.body.as_str(), event.queue.as_deref()), (Some("interaction:PBX-9:1"), "Where is my parcel?", Some("Support")));
}
