//! What a host page gives the embedded Taskdesk (W1): the options of `TaskDesk.mount` and
//! `configure`, and the arguments of its commands, read from JSON with a plain-words message for
//! anything wrong, so a widget never half-mounts on bad input.

use crate::ids::{CustomerId, TaskId, UserId};
use crate::task::{Channel, TaskStatus};
use crate::user::{Role, User};
use crate::validate::{validate_task, TaskDraft, TaskInput};
use crate::workspace::Workspace;
use crate::Customer;
use crate::{Change, EntityKind};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

/// The options a host page may give.
pub const OPTIONS: [&str; 5] = ["database", "user", "theme", "backend", "simulator"];

/// Light, dark, or as the system says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// Light colours.
    Light,
    /// Dark colours.
    Dark,
    /// Follows the system's setting.
    #[default]
    Auto,
}

impl Theme {
    /// Every choice, in the order Settings lists them.
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    /// The theme an option, an attribute or a saved choice names.
    pub fn from_key(key: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.key() == key)
    }

    /// Its name in Settings.
    pub fn label(self) -> &'static str {
        match self {
            Theme::Auto => "As the system",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// The name used in options and attributes.
    pub fn key(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
}

/// Who is at the screen, as the host page says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Person {
    /// A user of the workspace, by id.
    Known(UserId),
    /// A person the host vouches for: joins the workspace's users if new.
    Vouched(User),
}

impl Person {
    /// The person's user id.
    pub fn id(&self) -> UserId {
        match self {
            Person::Known(id) => *id,
            Person::Vouched(u) => u.id,
        }
    }
}

/// Where the workspace syncs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Nowhere: this browser only.
    Local,
    /// An Apache CouchDB (or compatible) server.
    Couch {
        /// The server's address.
        url: String,
        /// The database on it.
        database: String,
    },
    /// The host page's `push` and `pull` functions (checked by the caller, who holds them).
    Host,
}

/// The options read; `None` where the host said nothing.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Options {
    /// The IndexedDB database holding the workspace.
    pub database: Option<String>,
    /// Who is at the screen.
    pub user: Option<Person>,
    /// Colours.
    pub theme: Option<Theme>,
    /// Where it syncs.
    pub backend: Option<Backend>,
    /// Whether the simulated contact center runs.
    pub simulator: Option<bool>,
}

fn object<'a>(value: &'a Value, what: &str, example: &str) -> Result<&'a Map<String, Value>, String> {
    value.as_object().ok_or_else(|| format!("{what} must be an object, such as {example}."))
}

fn text<'a>(map: &'a Map<String, Value>, key: &str, what: &str) -> Result<Option<&'a str>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(format!("{what} must be text.")),
    }
}

/// Whether `name` can name a database: 1 to 64 letters, digits, dots, dashes or underscores.
pub fn valid_database(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn person(value: &Value) -> Result<Person, String> {
    const WHAT: &str = "user must be the id of a user of the workspace, or { id, name, role }";
    match value {
        Value::String(s) => UserId::parse(s.trim()).map(Person::Known).ok_or_else(|| format!("{WHAT}; “{s}” is not a user id.")),
        Value::Object(map) => {
            let id = text(map, "id", "user.id")?.and_then(|s| UserId::parse(s.trim())).ok_or_else(|| format!("{WHAT}; its id must be a user id (a UUID)."))?;
            let name = text(map, "name", "user.name")?.map(str::trim).unwrap_or_default();
            if name.is_empty() || name.chars().count() > 80 {
                return Err("user.name must be the person's name, 1 to 80 characters.".into());
            }
            let role = match text(map, "role", "user.role")?.unwrap_or("agent") {
                "agent" => Role::Agent,
                "supervisor" => Role::Supervisor,
                "admin" => Role::Admin,
                other => return Err(format!("user.role must be agent, supervisor or admin, not “{other}”.")),
            };
            if let Some(extra) = map.keys().find(|k| !["id", "name", "role"].contains(&k.as_str())) {
                return Err(format!("user has no “{extra}”; it takes id, name and role."));
            }
            Ok(Person::Vouched(User { id, name: name.to_string(), role, permissions: None }))
        }
        _ => Err(format!("{WHAT}.")),
    }
}

fn backend(value: &Value) -> Result<Backend, String> {
    let map = object(value, "backend", "{ kind: \"local\" }")?;
    let kind = text(map, "kind", "backend.kind")?.ok_or("backend needs a kind: local, couchdb or host.")?;
    let allowed: &[&str] = match kind {
        "local" => &["kind"],
        "couchdb" => &["kind", "url", "database"],
        "host" => &["kind", "push", "pull"],
        other => return Err(format!("backend.kind must be local, couchdb or host, not “{other}”.")),
    };
    if let Some(extra) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!("A {kind} backend has no “{extra}”; it takes {}.", allowed.join(", ")));
    }
    Ok(match kind {
        "local" => Backend::Local,
        "host" => Backend::Host,
        _ => {
            let url = text(map, "url", "backend.url")?.map(str::trim).unwrap_or_default();
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 10 {
                return Err("backend.url must be the server's address with http:// or https://, like https://couch.example.com.".into());
            }
            let database = text(map, "database", "backend.database")?.map(str::trim).unwrap_or_default();
            if database.is_empty() {
                return Err("backend.database must name the database on the server, like taskdesk.".into());
            }
            Backend::Couch { url: url.trim_end_matches('/').to_string(), database: database.to_string() }
        }
    })
}

impl Options {
    /// Reads options as `JSON.stringify` gives them (functions left out: a host backend's
    /// `push` and `pull` are checked by the caller).
    pub fn from_json(value: &Value) -> Result<Options, String> {
        let map = match value {
            Value::Null => return Ok(Options::default()),
            other => object(other, "The options", "{ database: \"taskdesk\", theme: \"dark\" }")?,
        };
        if let Some(unknown) = map.keys().find(|k| !OPTIONS.contains(&k.as_str())) {
            return Err(format!("“{unknown}” is not an option; the options are {}.", OPTIONS.join(", ")));
        }
        let database = match text(map, "database", "database")? {
            None => None,
            Some(name) if valid_database(name) => Some(name.to_string()),
            Some(name) => return Err(format!("database must be a name of 1 to 64 letters, digits, dots, dashes or underscores; “{name}” is not.")),
        };
        let theme = match text(map, "theme", "theme")? {
            None => None,
            Some(key) => Some(Theme::from_key(key).ok_or_else(|| format!("theme must be light, dark or auto, not “{key}”."))?),
        };
        let simulator = match map.get("simulator") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err("simulator must be true or false.".into()),
        };
        Ok(Options {
            database,
            user: map.get("user").filter(|v| !v.is_null()).map(person).transpose()?,
            theme,
            backend: map.get("backend").filter(|v| !v.is_null()).map(backend).transpose()?,
            simulator,
        })
    }
}

/// How a command names a customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerRef {
    /// By id.
    Id(CustomerId),
    /// By a phone number they have.
    Phone(String),
    /// By an email address they have.
    Email(String),
}

impl CustomerRef {
    /// Reads `{ id }`, `{ phone }` or `{ email }`; `what` names the argument in messages.
    pub fn from_json(value: &Value, what: &str) -> Result<CustomerRef, String> {
        let map = object(value, what, "{ phone: \"+420 777 123 456\" }")?;
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        let only = |key: &str| -> Result<String, String> {
            let v = text(map, key, &format!("{what}.{key}"))?.map(str::trim).unwrap_or_default();
            if v.is_empty() {
                return Err(format!("{what}.{key} is empty."));
            }
            Ok(v.to_string())
        };
        match keys.as_slice() {
            ["id"] => CustomerId::parse(&only("id")?).map(CustomerRef::Id).ok_or_else(|| format!("{what}.id must be a customer id (a UUID).")),
            ["phone"] => only("phone").map(CustomerRef::Phone),
            ["email"] => only("email").map(CustomerRef::Email),
            _ => Err(format!("{what} must be one of {{ id }}, {{ phone }} or {{ email }}.")),
        }
    }

    /// The customer it names, if any (a phone matches however it is spaced).
    pub fn find<'a>(&self, ws: &'a Workspace) -> Option<&'a Customer> {
        match self {
            CustomerRef::Id(id) => ws.customer(*id).filter(|c| !c.deleted),
            CustomerRef::Phone(p) | CustomerRef::Email(p) => ws.customers_by_name().into_iter().find(|c| c.matches_contact(p)),
        }
    }

    /// How the person would say it.
    pub fn describe(&self) -> String {
        match self {
            CustomerRef::Id(id) => format!("the id {id}"),
            CustomerRef::Phone(p) => format!("the phone number {p}"),
            CustomerRef::Email(e) => format!("the email address {e}"),
        }
    }
}

/// What `createTask` takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTask {
    /// The subject.
    pub subject: String,
    /// The channel.
    pub channel: Channel,
    /// The customer, when named.
    pub customer: Option<CustomerRef>,
}

impl NewTask {
    /// Reads `{ subject, channel, customer }`.
    pub fn from_json(value: &Value) -> Result<NewTask, String> {
        let map = object(value, "createTask's argument", "{ subject: \"Call back\", channel: \"call\", customer: { phone: \"+420 777 123 456\" } }")?;
        if let Some(extra) = map.keys().find(|k| !["subject", "channel", "customer"].contains(&k.as_str())) {
            return Err(format!("createTask takes subject, channel and customer; not “{extra}”."));
        }
        let subject = text(map, "subject", "subject")?.unwrap_or_default().to_string();
        let channel = match text(map, "channel", "channel")? {
            None => Channel::Other,
            Some(key) => Channel::from_key(key).ok_or_else(|| format!("channel must be one of {}; not “{key}”.", Channel::ALL.map(Channel::key).join(", ")))?,
        };
        let customer = map.get("customer").filter(|v| !v.is_null()).map(|v| CustomerRef::from_json(v, "customer")).transpose()?;
        Ok(NewTask { subject, channel, customer })
    }
}

impl NewTask {
    /// Checks it as the task form would (required custom fields included), with the customer it
    /// names found; times are read in `zone`, as the form's.
    pub fn check(&self, ws: &Workspace, zone: &dyn crate::zone::Zone) -> Result<TaskInput, String> {
        let customer = match &self.customer {
            None => None,
            Some(r) => Some(r.find(ws).ok_or_else(|| format!("No customer has {}; pass a customer's id, or open the new-customer form with screenPop.", r.describe()))?.id),
        };
        let draft = TaskDraft {
            subject: self.subject.clone(),
            channel: self.channel.key().into(),
            priority: "normal".into(),
            customer: customer.map(|c| c.to_string()).unwrap_or_default(),
            ..TaskDraft::default()
        };
        validate_task(&draft, &ws.config.fields, zone, |c| ws.customer(c).is_some()).map_err(|p| p.0.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(" "))
    }
}

/// What the host page hears of a task (W1 events): enough to find it and its customer in the CRM.
pub fn task_detail(ws: &Workspace, id: TaskId) -> Option<Value> {
    let t = ws.task(id)?;
    let customer = t.customer.and_then(|c| ws.customer(c)).map(|c| json!({ "id": c.id.to_string(), "name": c.name, "phones": c.phones, "emails": c.emails }));
    Some(json!({
        "id": t.id.to_string(),
        "number": t.number,
        "subject": t.subject,
        "channel": t.channel.key(),
        "status": t.status.key(),
        "queue": t.queue,
        "assignee": t.assignee.map(|a| a.to_string()),
        "customer": customer,
    }))
}

/// What the host page hears of an offer: the task, and `until`, when the offer lapses (RFC 3339).
pub fn offer_detail(ws: &Workspace, id: TaskId) -> Option<Value> {
    let until = ws.task(id)?.offer.as_ref()?.until;
    let mut detail = task_detail(ws, id)?;
    detail["until"] = json!(DateTime::<Utc>::from_timestamp_millis(i64::try_from(until).ok()?)?.to_rfc3339_opts(SecondsFormat::Millis, true));
    Some(detail)
}

/// The events a host page hears of changes made in its widget: `task-created` for a new task,
/// `task-resolved` for one that became resolved.
pub fn task_events(changes: &[Change]) -> Vec<(&'static str, TaskId)> {
    let mut events = Vec::new();
    for c in changes.iter().filter(|c| c.kind == EntityKind::Task) {
        let id = TaskId(c.entity);
        if c.is_creation() {
            events.push(("task-created", id));
        }
        if c.new_value("status").and_then(Value::as_str) == Some(TaskStatus::Resolved.key()) {
            events.push(("task-resolved", id));
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn w1_good_options_are_read() {
        let id = UserId::new();
        let o = Options::from_json(&json!({ "database": "crm-a.alex", "user": id.to_string(), "theme": "dark", "simulator": false, "backend": { "kind": "couchdb", "url": "https://couch.example.com/", "database": "taskdesk" } })).unwrap();
        assert_eq!(o.database.as_deref(), Some("crm-a.alex"));
        assert_eq!(o.user, Some(Person::Known(id)));
        assert_eq!(o.theme, Some(Theme::Dark));
        assert_eq!(o.simulator, Some(false));
        assert_eq!(o.backend, Some(Backend::Couch { url: "https://couch.example.com".into(), database: "taskdesk".into() }));
        let vouched = Options::from_json(&json!({ "user": { "id": id.to_string(), "name": " Jana Novak ", "role": "supervisor" }, "backend": { "kind": "host" } })).unwrap();
        assert_eq!(vouched.user, Some(Person::Vouched(User { id, name: "Jana Novak".into(), role: Role::Supervisor, permissions: None })));
        assert_eq!(vouched.backend, Some(Backend::Host));
        assert_eq!(Options::from_json(&Value::Null).unwrap(), Options::default());
    }

    #[test]
    fn w1_bad_options_are_explained() {
        let cases = [
            (json!(7), "The options must be an object"),
            (json!({ "databse": "x" }), "“databse” is not an option; the options are database, user, theme, backend, simulator."),
            (json!({ "database": "my db" }), "database must be a name of 1 to 64"),
            (json!({ "theme": "blue" }), "theme must be light, dark or auto, not “blue”."),
            (json!({ "simulator": "yes" }), "simulator must be true or false."),
            (json!({ "user": "alex" }), "“alex” is not a user id."),
            (json!({ "user": { "id": UserId::new().to_string(), "name": "" } }), "user.name must be the person's name"),
            (json!({ "user": { "id": UserId::new().to_string(), "name": "A", "role": "boss" } }), "user.role must be agent, supervisor or admin, not “boss”."),
            (json!({ "backend": { "kind": "firebase" } }), "backend.kind must be local, couchdb or host, not “firebase”."),
            (json!({ "backend": { "kind": "couchdb", "url": "couch.example.com", "database": "t" } }), "backend.url must be the server's address"),
            (json!({ "backend": { "kind": "local", "url": "x" } }), "A local backend has no “url”"),
        ];
        for (input, message) in cases {
            let err = Options::from_json(&input).unwrap_err();
            assert!(err.contains(message), "{input}: {err}");
        }
    }

    #[test]
    fn w1_commands_name_customers_and_channels_plainly() {
        let t = NewTask::from_json(&json!({ "subject": "Call back", "channel": "call", "customer": { "phone": " +420 777 123 456 " } })).unwrap();
        assert_eq!((t.channel, t.customer), (Channel::Call, Some(CustomerRef::Phone("+420 777 123 456".into()))));
        assert!(NewTask::from_json(&json!({ "subject": "x", "channel": "fax" })).unwrap_err().contains("channel must be one of call, email, chat, sms, meeting, other"));
        assert!(NewTask::from_json(&json!({ "subject": "x", "customer": { "phone": "1", "email": "a@b" } })).unwrap_err().contains("one of { id }, { phone } or { email }"));
        assert!(CustomerRef::from_json(&json!({ "id": "nope" }), "screenPop's argument").unwrap_err().contains("customer id"));
    }

    #[test]
    fn w1_the_host_hears_of_tasks_created_and_resolved_here_with_their_customer() {
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 9, 0, 0).unwrap();
        let mut ws = Workspace::new(crate::workspace::Device::new(crate::ids::DeviceCode::from_random(5)));
        crate::demo::seed(&mut ws, 3, at).unwrap();
        let alex = crate::demo::users()[0].clone();
        let jana = ws.customers_by_name().into_iter().find(|c| !c.phones.is_empty()).unwrap().clone();
        let phone = jana.phones[0].replace(' ', "");
        let asked = NewTask::from_json(&json!({ "subject": "Router keeps restarting", "channel": "email", "customer": { "phone": phone } })).unwrap();
        let input = asked.check(&ws, &crate::zone::utc()).unwrap();
        assert_eq!(input.customer, Some(jana.id), "found by phone, however it is spaced");
        let stranger = NewTask { customer: Some(CustomerRef::Phone("+1 555 0100".into())), ..asked.clone() };
        assert!(stranger.check(&ws, &crate::zone::utc()).unwrap_err().starts_with("No customer has the phone number +1 555 0100;"));
        assert!(NewTask { subject: " ".into(), ..asked.clone() }.check(&ws, &crate::zone::utc()).unwrap_err().contains("Subject is required"));
        let created = ws.create_task(&alex, input, at).unwrap();
        let id = TaskId(created.entity);
        assert_eq!(task_events(std::slice::from_ref(&created)), vec![("task-created", id)]);
        let resolved = ws.change_status(&alex, id, crate::lifecycle::StatusAction::Resolve, at).unwrap();
        assert_eq!(task_events(&[resolved]), vec![("task-resolved", id)]);
        let detail = task_detail(&ws, id).unwrap();
        assert_eq!(detail["number"], json!(ws.task(id).unwrap().number));
        assert_eq!((detail["status"].as_str(), detail["channel"].as_str()), (Some("resolved"), Some("email")));
        assert_eq!(detail["customer"]["phones"], json!(jana.phones));
        let edit = ws.set_hashtags(&alex, id, "#refund", at).unwrap().unwrap();
        assert!(task_events(&[edit]).is_empty(), "other edits are not announced");

        assert_eq!(offer_detail(&ws, id), None, "no offer, nothing to tell");
        let open = ws.tasks.values().find(|t| t.status == TaskStatus::Open && t.assignee.is_none()).unwrap().id;
        let why = crate::routing::Explanation { step: "Support".into(), matched: vec![], idle_ms: 0, runners_up: vec![] };
        let until = at.timestamp_millis() as u64 + 30_000;
        ws.make_offer(open, crate::offers::Offer { agent: alex.id, until, why }, at).unwrap();
        let offered = offer_detail(&ws, open).unwrap();
        assert_eq!((offered["id"].as_str(), offered["until"].as_str()), (Some(open.to_string().as_str()), Some("2026-11-23T09:00:30.000Z")));
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::Bool), any::<i32>().prop_map(|n| json!(n)), "[a-z:/. -]{0,12}".prop_map(Value::String)];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("database".to_string()),
                        Just("user".to_string()),
                        Just("theme".to_string()),
                        Just("backend".to_string()),
                        Just("kind".to_string()),
                        Just("url".to_string()),
                        Just("id".to_string()),
                        Just("name".to_string()),
                        "[a-z]{1,6}"
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn w1_any_input_is_read_or_explained_never_panics(v in any_json()) {
            if let Err(e) = Options::from_json(&v) {
                prop_assert!(e.ends_with('.') && e.len() > 10, "{e}");
            }
            if let Err(e) = NewTask::from_json(&v) {
                prop_assert!(e.ends_with('.'), "{e}");
            }
        }
    }
}
