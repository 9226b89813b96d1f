//! The CouchDB adapter: Apache CouchDB 3.x (and its clusters) and any server speaking its
//! documented HTTP API, such as pouchdb-server.
//!
//! One document per change record, never edited: its id comes from the change's stamp and its
//! revision from a hash of its content, so pushing it again is the same write and a no-op.
//! Pushes are batched `_bulk_docs` with `new_edits: false`, whose per-document refusals arrive
//! inside a successful reply; pulls read `_changes` with the documents, from an opaque cursor.
//! The per-field merge stays ours, in the domain: CouchDB never sees a conflict.

use crate::http::{encode_component, Http, Method, Request, Response};
use crate::lease::{Lease, LEASE_ID, LEASE_TYPE};
use crate::{Ack, Adapter, Pulled, SyncError};
use serde::Deserialize;
use serde_json::{json, Value};
use std::cell::RefCell;
use taskdesk_domain::interaction::Interaction;
use taskdesk_domain::{Change, Hlc, Role, User, UserId};

/// Prefix of a change document's id; the rest is the change's stamp.
pub const CHANGE_PREFIX: &str = "change:";
/// The `type` of a change document.
pub const CHANGE_TYPE: &str = "change";
/// Prefix of the CouchDB role that names the Taskdesk user a sign-in belongs to.
pub const USER_ROLE_PREFIX: &str = "taskdesk:user:";

/// How the line of the server's rules holding each person's own permissions starts
/// (`scripts/couch/validate.js`).
pub const PERMISSIONS_LINE: &str = "var PERMISSIONS = ";

/// The people with permissions of their own, as the server's rules hold them: by user id, the
/// permissions' keys (everyone else has their role's).
pub fn permissions_json(users: &[User]) -> String {
    let own: std::collections::BTreeMap<String, &std::collections::BTreeSet<taskdesk_domain::permission::Permission>> =
        users.iter().filter_map(|u| u.permissions.as_ref().map(|p| (u.id.to_string(), p))).collect();
    serde_json::to_string(&own).unwrap_or_else(|_| "{}".into())
}

/// The rules' source with its permissions line holding `users`' own permissions; `None` when the
/// source has no such line (rules from before per-person permissions: run couch-setup again).
pub fn with_permissions(source: &str, users: &[User]) -> Option<String> {
    let start = source.find(PERMISSIONS_LINE)? + PERMISSIONS_LINE.len();
    let end = start + source[start..].find(";\n")?;
    Some(format!("{}{}{}", &source[..start], permissions_json(users), &source[end..]))
}

/// Checks a sign-in name a server will take: 1 to 60 lower-case letters, digits, `.`, `_` or `-`.
pub fn check_sign_in_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty() && name.len() <= 60 && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    if ok {
        Ok(())
    } else {
        Err("A sign-in name is 1 to 60 lower-case letters, digits, dots, dashes or underscores, like alex or j.novak.".into())
    }
}

/// The CouchDB role of a Taskdesk role.
pub fn role_name(role: Role) -> String {
    format!("taskdesk:{}", role.label().to_lowercase())
}

/// The id of a change's document.
pub fn doc_id(stamp: &Hlc) -> String {
    format!("{CHANGE_PREFIX}{stamp}")
}

/// The revision of a change's document whose JSON is `content`: `1-` and a 128-bit hash of it,
/// so the same change always makes the same revision and a retried push is the same write.
fn revision_of(content: &str) -> String {
    format!("1-{:032x}", taskdesk_domain::ids::hash128(content))
}

/// A change's document as JSON text, written in one pass: the change's own JSON with the
/// document's id, revision and type in front.
pub fn doc_text(change: &Change) -> String {
    let content = serde_json::to_string(change).unwrap_or_else(|_| "{}".into());
    let id = serde_json::to_string(&doc_id(&change.stamp)).unwrap_or_default();
    let rest = content.strip_prefix('{').unwrap_or("}");
    let comma = if rest.starts_with('}') { "" } else { "," };
    format!(r#"{{"_id":{id},"_rev":"{}","type":"{CHANGE_TYPE}"{comma}{rest}"#, revision_of(&content))
}

/// A change as its CouchDB document.
pub fn to_doc(change: &Change) -> Value {
    serde_json::from_str(&doc_text(change)).unwrap_or(Value::Null)
}

/// The `type` of an integration's interaction document.
pub const INTERACTION_TYPE: &str = "interaction";

/// What a document on the server is to Taskdesk.
#[derive(Clone, Debug, PartialEq)]
pub enum Doc {
    /// A change record.
    Change(Change),
    /// An integration's interaction event.
    Interaction(Interaction),
    /// Something else (the rules, the routing lease): not ours to read here.
    Other,
}

/// Reads any document: a change, an interaction event, something else, or why it cannot be read.
pub fn classify(doc: &Value) -> Result<Doc, String> {
    if doc.get("type").and_then(Value::as_str) == Some(INTERACTION_TYPE) {
        let id = doc.get("_id").and_then(Value::as_str).unwrap_or_default();
        let event = Interaction::from_json(doc).map_err(|why| format!("the interaction “{}” cannot be used: {why}", cut(id)))?;
        return Ok(Doc::Interaction(Interaction { source: Some(id.to_string()), ..event }));
    }
    Ok(from_doc(doc)?.map_or(Doc::Other, Doc::Change))
}

/// Reads a document from the server: a change, `None` for documents that are not changes
/// (the design document, other types), or why it cannot be read.
pub fn from_doc(doc: &Value) -> Result<Option<Change>, String> {
    let id = doc.get("_id").and_then(Value::as_str).unwrap_or_default();
    if id.starts_with("_design/") || (doc.get("type").is_some_and(|t| t != CHANGE_TYPE) && !id.starts_with(CHANGE_PREFIX)) {
        return Ok(None);
    }
    let change: Change = serde_json::from_value(doc.clone()).map_err(|e| format!("the document “{}” is not a readable change ({e})", cut(id)))?;
    if id != doc_id(&change.stamp) {
        return Err(format!("the document “{}” does not carry the change its id names", cut(id)));
    }
    Ok(Some(change))
}

fn cut(text: &str) -> String {
    text.chars().take(80).collect()
}

/// The body of a `_bulk_docs` push.
pub fn bulk_body(changes: &[Change]) -> String {
    let docs: Vec<String> = changes.iter().map(doc_text).collect();
    format!(r#"{{"new_edits":false,"docs":[{}]}}"#, docs.join(","))
}

#[derive(Deserialize)]
struct BulkRow {
    id: Option<String>,
    error: Option<String>,
    reason: Option<String>,
}

/// Reads a `_bulk_docs` reply: documents listed with an error were refused (with the server's
/// reason); the others were stored. (CouchDB lists only failures when `new_edits` is false.) A
/// document refused as `unauthorized` means nobody is signed in: the whole push waits for a
/// sign-in and nothing counts as refused.
pub fn read_bulk_reply(changes: &[Change], body: &str) -> Result<Vec<Ack>, SyncError> {
    let rows: Vec<BulkRow> = serde_json::from_str(body).map_err(|e| SyncError::Malformed(format!("_bulk_docs: {e}")))?;
    let mut refusals = std::collections::HashMap::new();
    for row in rows {
        if let (Some(id), Some(error)) = (row.id, row.error) {
            if error == "unauthorized" {
                return Err(SyncError::SignIn);
            }
            refusals.insert(id, row.reason.filter(|r| !r.is_empty()).unwrap_or(error));
        }
    }
    Ok(changes.iter().map(|c| refusals.remove(&doc_id(&c.stamp)).map_or(Ack::Accepted, Ack::Refused)).collect())
}

#[derive(Deserialize)]
struct ChangesReply {
    results: Vec<ChangesRow>,
    last_seq: Value,
    #[serde(default)]
    pending: Option<u64>,
}

#[derive(Deserialize)]
struct ChangesRow {
    id: String,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    doc: Option<Value>,
}

fn seq_text(seq: &Value) -> String {
    match seq {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads a `_changes` reply (with `include_docs`): the changes, what could not be read, and the
/// cursor after them. Sequences are opaque: CouchDB 2 and later send strings, older servers numbers.
pub fn read_changes(body: &str) -> Result<Pulled, SyncError> {
    let reply: ChangesReply = serde_json::from_str(body).map_err(|e| SyncError::Malformed(format!("_changes: {e}")))?;
    let mut pulled = Pulled { cursor: seq_text(&reply.last_seq), read: reply.results.len(), remaining: reply.pending, ..Pulled::default() };
    for row in reply.results {
        if row.id.starts_with("_design/") {
            continue;
        }
        if row.deleted {
            pulled.problems.push(format!("The document “{}” was deleted on the server; changes are never deleted, so it was ignored.", cut(&row.id)));
            continue;
        }
        match row.doc.as_ref().map(classify) {
            Some(Ok(Doc::Change(change))) => pulled.changes.push(change),
            Some(Ok(Doc::Interaction(event))) => pulled.interactions.push(event),
            Some(Ok(Doc::Other)) => {}
            Some(Err(why)) => pulled.problems.push(format!("Skipped a document on the server: {why}.")),
            None => pulled.problems.push(format!("The server sent “{}” without its content; it was skipped.", cut(&row.id))),
        }
    }
    Ok(pulled)
}

/// Who is signed in to the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Session {
    /// Sign-in name.
    pub name: String,
    /// CouchDB roles.
    #[serde(default)]
    pub roles: Vec<String>,
}

impl Session {
    /// The Taskdesk user this sign-in belongs to (from its `taskdesk:user:<id>` role).
    pub fn user(&self) -> Option<UserId> {
        self.roles.iter().find_map(|r| r.strip_prefix(USER_ROLE_PREFIX)).and_then(UserId::parse)
    }

    /// The Taskdesk role the server gives this sign-in.
    pub fn role(&self) -> Option<Role> {
        [Role::Admin, Role::Supervisor, Role::Agent].into_iter().find(|r| self.roles.contains(&role_name(*r)))
    }
}

#[derive(Deserialize)]
struct SessionReply {
    #[serde(rename = "userCtx")]
    user_ctx: Option<UserCtx>,
}

#[derive(Deserialize)]
struct UserCtx {
    name: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Deserialize)]
struct ErrorReply {
    #[serde(default)]
    error: String,
    #[serde(default)]
    reason: String,
}

/// The CouchDB adapter for one database, over any [`Http`].
#[derive(Debug)]
pub struct CouchAdapter<H> {
    http: H,
    server: String,
    database: String,
    /// Name and password, kept in memory only, when the browser would not keep the session cookie.
    basic: RefCell<Option<(String, String)>>,
    name: RefCell<String>,
}

impl<H: Http> CouchAdapter<H> {
    /// An adapter for `database` on the server at `server` (such as `http://127.0.0.1:5984`).
    pub fn new(http: H, server: &str, database: &str) -> Self {
        CouchAdapter { http, server: server.trim().trim_end_matches('/').to_string(), database: database.trim().to_string(), basic: RefCell::new(None), name: RefCell::new(String::new()) }
    }

    /// The HTTP client.
    pub fn http(&self) -> &H {
        &self.http
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}", self.server, path)
    }

    fn db_url(&self, rest: &str) -> String {
        self.url(&format!("{}{rest}", encode_component(&self.database)))
    }

    async fn send(&self, method: Method, url: String, body: Option<String>) -> Result<Response, SyncError> {
        let basic = self.basic.borrow().clone();
        self.http.send(Request { method, url, body, basic }).await
    }

    /// Turns an error status into what it means for sync.
    fn failure(&self, response: &Response) -> SyncError {
        let reply: ErrorReply = serde_json::from_str(&response.body).unwrap_or(ErrorReply { error: String::new(), reason: cut(&response.body) });
        match response.status {
            401 => SyncError::SignIn,
            403 => SyncError::NotMember(self.name.borrow().clone()),
            404 if reply.reason.contains("missing") || reply.error == "not_found" => SyncError::Server { status: 404, reason: format!("There is no database “{}” on this server.", self.database) },
            status => SyncError::Server { status, reason: if reply.reason.is_empty() { reply.error } else { reply.reason } },
        }
    }

    /// Signs in with a name and password. The server's session cookie is kept by the browser; if
    /// it was not (third-party cookies blocked), Basic authentication is used with the password
    /// held in memory only. The password is never stored.
    pub async fn sign_in(&self, name: &str, password: &str) -> Result<Session, SyncError> {
        *self.basic.borrow_mut() = None;
        let body = json!({ "name": name, "password": password }).to_string();
        let reply = self.send(Method::Post, self.url("_session"), Some(body)).await?;
        if reply.status == 401 {
            return Err(SyncError::Server { status: 401, reason: "The user name or password is not right.".into() });
        }
        if reply.status >= 400 {
            return Err(self.failure(&reply));
        }
        *self.name.borrow_mut() = name.to_string();
        match self.session().await? {
            Some(session) => Ok(session),
            None => {
                *self.basic.borrow_mut() = Some((name.to_string(), password.to_string()));
                self.session().await?.ok_or(SyncError::SignIn)
            }
        }
    }

    /// Who the server says is signed in, if anyone.
    pub async fn session(&self) -> Result<Option<Session>, SyncError> {
        let reply = self.send(Method::Get, self.url("_session"), None).await?;
        if reply.status >= 400 {
            return Err(self.failure(&reply));
        }
        let parsed: SessionReply = serde_json::from_str(&reply.body).map_err(|e| SyncError::Malformed(format!("_session: {e}")))?;
        let session = parsed.user_ctx.and_then(|u| u.name.map(|name| Session { name, roles: u.roles }));
        if let Some(s) = &session {
            *self.name.borrow_mut() = s.name.clone();
        }
        Ok(session)
    }

    /// Ends the session on the server and forgets any password held in memory.
    pub async fn sign_out(&self) -> Result<(), SyncError> {
        *self.basic.borrow_mut() = None;
        self.send(Method::Delete, self.url("_session"), None).await.map(drop)
    }

    /// Makes the server's rules hold the workspace's per-person permissions (the signed-in person
    /// must be a Taskdesk admin); `false` when they held them already.
    pub async fn publish_permissions(&self, users: &[User]) -> Result<bool, SyncError> {
        let url = self.db_url("/_design/taskdesk");
        let reply = self.send(Method::Get, url.clone(), None).await?;
        if reply.status >= 400 {
            return Err(self.failure(&reply));
        }
        let mut doc: Value = serde_json::from_str(&reply.body).map_err(|e| SyncError::Malformed(format!("the rules: {e}")))?;
        let source = doc["validate_doc_update"].as_str().unwrap_or_default().to_string();
        let updated = with_permissions(&source, users)
            .ok_or_else(|| SyncError::Server { status: 409, reason: "The server's rules are from before per-person permissions; run scripts/couch-setup.mjs again.".into() })?;
        if updated == source {
            return Ok(false);
        }
        doc["validate_doc_update"] = updated.into();
        let reply = self.send(Method::Put, url, Some(doc.to_string())).await?;
        match reply.status {
            s if s < 400 => Ok(true),
            401 | 403 => Err(SyncError::Server { status: reply.status, reason: "Only an admin signed in to the server can change its copy of the permissions.".into() }),
            _ => Err(self.failure(&reply)),
        }
    }

    /// Creates a person's sign-in on the server, with their Taskdesk role and user id as roles.
    /// Needs a server admin: anyone else gets a refusal saying so.
    pub async fn create_person(&self, sign_in: &str, password: &str, role: Role, user: UserId) -> Result<(), SyncError> {
        check_sign_in_name(sign_in).map_err(|reason| SyncError::Server { status: 400, reason })?;
        let body = json!({ "_id": format!("org.couchdb.user:{sign_in}"), "name": sign_in, "type": "user", "password": password, "roles": [role_name(role), format!("{USER_ROLE_PREFIX}{user}")] });
        let reply = self.send(Method::Put, self.url(&format!("_users/org.couchdb.user:{}", encode_component(sign_in))), Some(body.to_string())).await?;
        match reply.status {
            s if s < 400 => Ok(()),
            401 | 403 => Err(SyncError::Server { status: reply.status, reason: "Only a server admin can create sign-ins on this server.".into() }),
            409 => Err(SyncError::Server { status: 409, reason: format!("The server already has a sign-in called “{sign_in}”.") }),
            _ => Err(self.failure(&reply)),
        }
    }

    /// The routing lease as the server holds it: its revision and content (`None`: nobody's).
    pub async fn read_lease(&self) -> Result<Option<(String, Lease)>, SyncError> {
        let reply = self.send(Method::Get, self.db_url(&format!("/{LEASE_ID}")), None).await?;
        if reply.status == 404 {
            return Ok(None);
        }
        if reply.status >= 400 {
            return Err(self.failure(&reply));
        }
        let doc: Value = serde_json::from_str(&reply.body).map_err(|e| SyncError::Malformed(format!("the routing lease: {e}")))?;
        let rev = doc.get("_rev").and_then(Value::as_str).unwrap_or_default().to_string();
        let lease: Lease = serde_json::from_value(doc).map_err(|e| SyncError::Malformed(format!("the routing lease: {e}")))?;
        Ok(Some((rev, lease)))
    }

    /// Writes the routing lease over revision `rev` (`None`: it does not exist yet); `false` when
    /// someone else wrote it first (the compare-and-set lost).
    pub async fn write_lease(&self, rev: Option<&str>, lease: &Lease) -> Result<bool, SyncError> {
        let mut doc = json!({ "_id": LEASE_ID, "type": LEASE_TYPE, "holder": lease.holder, "person": lease.person, "renewed": lease.renewed });
        if let Some(rev) = rev {
            doc["_rev"] = rev.into();
        }
        let reply = self.send(Method::Put, self.db_url(&format!("/{LEASE_ID}")), Some(doc.to_string())).await?;
        match reply.status {
            409 => Ok(false),
            s if s < 400 => Ok(true),
            _ => Err(self.failure(&reply)),
        }
    }

    /// Checks that the database exists and the signed-in person may read it.
    pub async fn check_database(&self) -> Result<(), SyncError> {
        let reply = self.send(Method::Get, self.db_url(""), None).await?;
        if reply.status >= 400 {
            return Err(self.failure(&reply));
        }
        Ok(())
    }
}

impl<H: Http> Adapter for CouchAdapter<H> {
    async fn push(&self, changes: &[Change]) -> Result<Vec<Ack>, SyncError> {
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        let reply = self.send(Method::Post, self.db_url("/_bulk_docs"), Some(bulk_body(changes))).await?;
        if reply.status >= 400 {
            return Err(self.failure(&reply));
        }
        read_bulk_reply(changes, &reply.body)
    }

    async fn pull(&self, cursor: Option<&str>, limit: usize) -> Result<Pulled, SyncError> {
        let since = encode_component(cursor.unwrap_or("0"));
        let reply = self.send(Method::Get, self.db_url(&format!("/_changes?include_docs=true&since={since}&limit={limit}")), None).await?;
        if reply.status >= 400 {
            return Err(self.failure(&reply));
        }
        read_changes(&reply.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taskdesk_domain::change::FieldChange;
    use taskdesk_domain::EntityKind;

    fn change(millis: u64) -> Change {
        Change {
            stamp: Hlc { millis, counter: 2, node: "K7Q2X".into() },
            actor: Some(UserId(uuid::Uuid::from_u128(7))),
            kind: EntityKind::Task,
            entity: uuid::Uuid::from_u128(9),
            fields: vec![FieldChange { field: "subject".into(), old: Value::Null, new: "Invoice".into() }],
        }
    }

    #[test]
    fn a_change_round_trips_through_its_document_with_a_stable_revision() {
        let c = change(5);
        let doc = to_doc(&c);
        assert_eq!(doc["_id"], "change:000000000000005-0000000002-K7Q2X");
        assert_eq!(doc["_rev"], to_doc(&c)["_rev"], "the same change makes the same revision");
        assert_ne!(doc["_rev"], to_doc(&change(6))["_rev"]);
        assert_eq!(from_doc(&doc), Ok(Some(c.clone())));
        let body: Value = serde_json::from_str(&bulk_body(&[c.clone(), change(6)])).unwrap();
        assert_eq!((body["new_edits"].clone(), body["docs"][0].clone()), (Value::Bool(false), doc.clone()));
        assert_eq!(from_doc(&json!({"_id": "_design/taskdesk"})), Ok(None));
        assert_eq!(from_doc(&json!({"_id": "call-17", "type": "interaction"})), Ok(None));
        let mut forged = doc.clone();
        forged["_id"] = "change:000000000000001-0000000000-OTHER".into();
        assert!(from_doc(&forged).unwrap_err().contains("does not carry the change"));
        assert!(from_doc(&json!({"_id": "change:x", "type": "change", "stamp": 12})).is_err());
    }

    #[test]
    fn refusals_are_read_per_document_from_a_successful_reply() {
        let (a, b) = (change(1), change(2));
        let body = format!(r#"[{{"id":"{}","error":"forbidden","reason":"A agent is not allowed to delete records."}}]"#, doc_id(&b.stamp));
        assert_eq!(read_bulk_reply(&[a.clone(), b.clone()], &body).unwrap(), vec![Ack::Accepted, Ack::Refused("A agent is not allowed to delete records.".into())]);
        assert_eq!(read_bulk_reply(std::slice::from_ref(&a), "[]").unwrap(), vec![Ack::Accepted]);
        let body = format!(r#"[{{"id":"{}","error":"unauthorized","reason":"Sign in to write to this database."}}]"#, doc_id(&a.stamp));
        assert_eq!(read_bulk_reply(&[a], &body), Err(SyncError::SignIn), "nobody signed in: wait, refuse nothing");
        assert!(matches!(read_bulk_reply(&[b], "<html>"), Err(SyncError::Malformed(_))));
    }

    #[test]
    fn a_changes_page_keeps_good_changes_and_describes_the_rest() {
        let good = to_doc(&change(3));
        let body = json!({
            "results": [
                {"id": "_design/taskdesk", "seq": 1, "doc": {"_id": "_design/taskdesk"}},
                {"id": "change:bad", "seq": 2, "doc": {"_id": "change:bad", "type": "change", "fields": "nope"}},
                {"id": good["_id"], "seq": 3, "doc": good},
                {"id": "change:gone", "seq": 4, "deleted": true},
            ],
            "last_seq": "4-g1AAAA",
            "pending": 10
        })
        .to_string();
        let page = read_changes(&body).unwrap();
        assert_eq!(page.changes, vec![change(3)]);
        assert_eq!(page.problems.len(), 2, "{:?}", page.problems);
        assert_eq!((page.cursor.as_str(), page.read, page.remaining), ("4-g1AAAA", 4, Some(10)));
        assert_eq!(read_changes(r#"{"results": [], "last_seq": 12}"#).unwrap().cursor, "12");
    }

    #[test]
    fn the_rules_permissions_line_holds_exactly_the_people_with_their_own_set() {
        use taskdesk_domain::permission::Permission;
        let mut users = taskdesk_domain::demo::users();
        users[3].permissions = Some([Permission::Create, Permission::Edit].into());
        let source = "function () {\n  var PERMISSIONS = {};\n  var ROLES = {};\n}";
        let written = with_permissions(source, &users).unwrap();
        assert_eq!(written, format!("function () {{\n  var PERMISSIONS = {{\"{}\":[\"create\",\"edit\"]}};\n  var ROLES = {{}};\n}}", users[3].id));
        assert_eq!(with_permissions(&written, &taskdesk_domain::demo::users()).unwrap(), source, "back to role defaults");
        assert_eq!(with_permissions("function () {}", &users), None);
        assert!(check_sign_in_name("j.novak").is_ok() && check_sign_in_name("Alex").is_err() && check_sign_in_name("a:b").is_err() && check_sign_in_name("").is_err());
    }

    #[test]
    fn a_sign_in_names_its_taskdesk_user_and_role() {
        let s = Session { name: "sam".into(), roles: vec!["taskdesk:supervisor".into(), format!("{USER_ROLE_PREFIX}{}", uuid::Uuid::from_u128(4))] };
        assert_eq!((s.user(), s.role()), (Some(UserId(uuid::Uuid::from_u128(4))), Some(Role::Supervisor)));
        assert_eq!(Session::default().user(), None);
    }
}
