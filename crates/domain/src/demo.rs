//! The demo workspace seeded at first start: people, customers and tasks of every channel.
//!
//! Everything is made through the same commands an agent uses, so every demo task
//! has a real history. The same seed gives the same workspace.

use crate::field_admin::FieldDraft;
use crate::ids::{TaskId, UserId};
use crate::interaction::{Interaction, InteractionKind};
use crate::lifecycle::StatusAction;
use crate::task::{CallOutcome, Channel, Direction, Priority};
use crate::user::{Role, User};
use crate::validate::{CustomerInput, TaskInput};
use crate::workspace::{DomainError, Workspace};
use crate::Change;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// The sign-in name a demo person has on a sync server (`scripts/demo-users.json`): their
/// first name in lower case.
pub fn sign_in_name(user: &User) -> String {
    user.name.split_whitespace().next().unwrap_or_default().to_lowercase()
}

/// The demo users; the first is the agent at the screen by default. The last four are the
/// simulated contact center's colleagues.
pub fn users() -> Vec<User> {
    let user = |n: u128, name: &str, role| User { id: UserId(Uuid::from_u128(0x7d00_0000_0000_7000_8000_0000_0000_0000 | n)), name: name.into(), role, permissions: None };
    vec![
        user(1, "Alex Novak", Role::Agent),
        user(2, "Bea Costa", Role::Agent),
        user(3, "Chen Li", Role::Agent),
        user(4, "Sam Rivera", Role::Supervisor),
        user(5, "Ada Park", Role::Admin),
        user(6, "Dana Kim", Role::Agent),
        user(7, "Eli Moreau", Role::Agent),
        user(8, "Farah Haddad", Role::Agent),
        user(9, "Gus Weber", Role::Agent),
    ]
}

/// Small deterministic generator (SplitMix64): the demo must be replayable from a seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &["Jana", "Petr", "Maria", "Tomas", "Eva", "Lukas", "Sofia", "David", "Anna", "Jakub", "Lucie", "Martin", "Olga", "Karel", "Ines", "Noah"];
const LAST: &[&str] = &["Novakova", "Svoboda", "Garcia", "Dvorak", "Cerna", "Horak", "Rossi", "Kral", "Muller", "Benes", "Fischer", "Pokorny", "Silva", "Marek", "Kim", "Blaha"];
const COMPANIES: &[&str] = &["Acme Logistics", "Brightline Dental", "Cobalt Insurance", "", "Delta Foods", "", "Evergreen Energy", "Fjord Travel"];

const SUBJECTS: &[(Channel, &str)] = &[
    (Channel::Call, "Billing question about last invoice"),
    (Channel::Call, "Missed call from customer"),
    (Channel::Call, "Wants to change delivery address"),
    (Channel::Call, "Voicemail: please call back about contract"),
    (Channel::Email, "Refund request for order"),
    (Channel::Email, "Cannot log in to customer portal"),
    (Channel::Email, "Invoice copy needed for accounting"),
    (Channel::Email, "Complaint about late delivery"),
    (Channel::Chat, "Tracking number does not work"),
    (Channel::Chat, "Question about opening hours"),
    (Channel::Chat, "Upgrade plan options"),
    (Channel::Sms, "Appointment confirmation reply"),
    (Channel::Sms, "Reschedule request by text"),
    (Channel::Meeting, "Quarterly review with account"),
    (Channel::Other, "Follow up on damaged parcel claim"),
    (Channel::Other, "Send contract renewal documents"),
];

const QUEUES: &[&str] = &["Billing", "Support", "Sales", "Retention"];

/// The custom fields an admin of the demo center defined (F1).
fn demo_fields() -> Vec<FieldDraft> {
    let field = |key: &str, label: &str, kind: &str| FieldDraft { key: key.into(), label: label.into(), kind: kind.into(), ..FieldDraft::default() };
    vec![
        FieldDraft {
            pattern: "[A-Z]{3}-[0-9]{4}".into(),
            help: "As printed on the invoice, for example ORD-1042.".into(),
            channels: vec!["call".into(), "email".into(), "chat".into(), "sms".into()],
            ..field("order_number", "Order number", "text")
        },
        FieldDraft { options: "Internet\nMobile\nTV\nBundle".into(), ..field("product", "Product", "select") },
        FieldDraft { min: "0".into(), max: "100000".into(), help: "Monthly value in euros.".into(), ..field("contract_value", "Contract value", "number") },
        FieldDraft { channels: vec!["call".into()], ..field("recording_consent", "Caller agreed to recording", "checkbox") },
        field("follow_up", "Follow up on", "date"),
    ]
}

fn demo_values(rng: &mut Rng, channel: Channel) -> std::collections::BTreeMap<String, Option<serde_json::Value>> {
    let mut values = std::collections::BTreeMap::new();
    if rng.below(2) == 0 {
        values.insert("product".to_string(), Some(serde_json::Value::String(rng.pick(&["Internet", "Mobile", "TV", "Bundle"]).to_string())));
    }
    if matches!(channel, Channel::Email | Channel::Chat) && rng.below(3) == 0 {
        values.insert("order_number".to_string(), Some(serde_json::Value::String(format!("ORD-{}", 1000 + rng.below(9000)))));
    }
    values
}

/// The opening message of a demo conversation, and for some chats the agent's answer.
fn demo_conversation(ws: &mut Workspace, rng: &mut Rng, task: TaskId, channel: Channel, subject: &str, agent: &User, at: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
    let contact = ws.task(task).and_then(|t| t.customer).and_then(|c| ws.customer(c)).map(|c| c.emails[0].clone()).unwrap_or_else(|| "visitor@example.net".into());
    let text = format!("Hello, {}. Could you help me with this? Thank you.", subject.to_lowercase());
    let html = (channel == Channel::Email).then(|| {
        // Like real mail: formatting, a link, and a remote tracking pixel that stays blocked until the agent loads images.
        format!(
            "<div style=\"font-family: Georgia, serif\"><p>Hello,</p><p><b>{subject}</b>. Could you help me with this?</p>\
             <p>Order details are in <a href=\"https://shop.example.com/orders\">my account</a>.</p><p>Thank you,<br>{contact}</p>\
             <img src=\"https://mail-tracker.example.com/open.gif?m={}\" width=\"1\" height=\"1\" alt=\"\"></div>",
            rng.below(100_000)
        )
    });
    let mut changes = vec![ws.receive(task, &contact, &text, html.as_deref(), None, at)?];
    if channel == Channel::Chat && rng.below(2) == 0 {
        let reply = ws.reply(agent, task, "Thanks for waiting, I am looking into it now.", at + Duration::minutes(2))?;
        let id = reply.entity;
        changes.push(reply);
        changes.extend(ws.mark_sent(id, at + Duration::minutes(2))?);
    }
    Ok(changes)
}

/// The phone number of the demo's first customer, Jana Dvorak, as the demo CRM's incoming call gives it.
pub const DEMO_CRM_CALLER: &str = "+420 777 123 456";

/// The demo's canned replies (U1).
const DEMO_CANNED: [(&str, &str); 3] = [
    ("Thanks, looking into it", "Hi {first_name}, thank you for getting in touch. I am looking into this now and will update you shortly. {agent}"),
    ("Refund on its way", "Hi {first_name}, your refund for {number} is on its way and should reach you within five working days. {agent}"),
    ("Anything else?", "Is there anything else I can help you with today, {first_name}?"),
];

/// The seed of the demo workspace every device makes at its first start.
pub const SEED: u64 = 20_261_123;

/// Fills an empty workspace with the demo: 24 customers and 64 tasks (4 of them from interaction events) spread over
/// the last two weeks, some edited and resolved. Returns every change made, oldest first.
pub fn seed(ws: &mut Workspace, seed: u64, now: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
    let people = users();
    let admin = &people[4];
    let mut rng = Rng::new(seed);
    let mut changes = Vec::new();
    for (name, text) in DEMO_CANNED {
        changes.extend(ws.save_canned(admin, name, text, now - Duration::days(31))?);
    }
    for field in demo_fields() {
        let def = crate::field_admin::check_field(&field, &ws.config.fields, None).map_err(|p| DomainError::Invalid(format!("demo field {}: {:?}", field.key, p)))?;
        changes.extend(ws.save_field(admin, def, now - Duration::days(31))?);
    }
    let mut customers = Vec::new();
    for i in 0..24 {
        let first = FIRST[i % FIRST.len()];
        // Past the sixteenth customer the pairs would repeat: a shift keeps every name unique.
        let last = LAST[(i * 7 + 3 + i / FIRST.len()) % LAST.len()];
        let drawn = format!("+420{}", 600_000_000 + rng.below(399_999_999));
        // The first customer has a number the demo CRM (demo-crm/) knows, so its incoming call finds her.
        let phone = if i == 0 { DEMO_CRM_CALLER.to_string() } else { drawn };
        let input = CustomerInput {
            name: format!("{first} {last}"),
            phones: vec![phone],
            emails: vec![format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase())],
            company: rng.pick(COMPANIES).to_string(),
            notes: String::new(),
        };
        let at = now - Duration::days(30) + Duration::minutes(i as i64);
        let change = ws.create_customer(admin, input, at)?;
        customers.push(crate::CustomerId(change.entity));
        changes.push(change);
    }
    let agents: Vec<&User> = people.iter().filter(|u| u.role == Role::Agent).collect();
    let mut created: Vec<(TaskId, DateTime<Utc>)> = Vec::new();
    for i in 0..60u32 {
        let (channel, subject) = *rng.pick(SUBJECTS);
        let age = Duration::minutes((60 - i as i64) * 331 + rng.below(300) as i64);
        let at = now - age;
        let author = *rng.pick(&agents);
        let input = TaskInput {
            subject: subject.to_string(),
            description: String::new(),
            channel,
            direction: match channel {
                Channel::Meeting | Channel::Other => Direction::Internal,
                _ if rng.below(5) == 0 => Direction::Outbound,
                _ => Direction::Inbound,
            },
            priority: *rng.pick(&[Priority::Low, Priority::Normal, Priority::Normal, Priority::High, Priority::Urgent]),
            customer: (rng.below(8) != 0).then(|| *rng.pick(&customers)),
            assignee: (rng.below(6) != 0).then(|| rng.pick(&agents).id),
            queue: Some(rng.pick(QUEUES).to_string()),
            scheduled_at: None,
            reminder_minutes: None,
            custom: demo_values(&mut rng, channel),
        };
        let change = ws.create_task(author, input, at)?;
        let id = crate::TaskId(change.entity);
        created.push((id, at));
        changes.push(change);
        if crate::conversation::is_written(channel) {
            changes.extend(demo_conversation(ws, &mut rng, id, channel, subject, author, at)?);
        }
        changes.extend(follow_up(ws, &mut rng, &people, &id, &at, i as usize, now)?);
    }
    // The latest contacts arrive as interaction events, the way telephony and messaging feed a real workspace.
    let first_customer = ws.customer(customers[0]).map(|c| c.phones[0].clone()).unwrap_or_default();
    let second_email = ws.customer(customers[1]).map(|c| c.emails[0].clone()).unwrap_or_default();
    let events = [
        (InteractionKind::Voicemail, first_customer.clone(), "Hi, it's about my contract renewal, please call me back."),
        (InteractionKind::CallEnded(CallOutcome::NoAnswer), "+44 20 7946 0321".to_string(), ""),
        (InteractionKind::Email { subject: "Invoice 2026-118 looks wrong".into() }, second_email, "Hello, the invoice lists two licences but we have one."),
        (InteractionKind::CampaignCall { campaign: "Winter renewals".into(), outcome: CallOutcome::MachineAnswered }, first_customer, ""),
    ];
    for (n, (kind, contact, body)) in events.into_iter().enumerate() {
        let event = Interaction { id: format!("IX-{seed}-{n}"), kind, contact, body: body.into(), queue: Some(QUEUES[n % QUEUES.len()].into()), html: None, source: None };
        changes.extend(ws.ingest(&event, now - Duration::minutes(40 - 10 * n as i64))?.changes);
    }
    Ok(changes)
}

/// Older work is mostly done: resolve some, log call outcomes, edit a few so histories show
/// more than creation. Done right after each task is made, so every change is recorded in time
/// order (stamps never run backwards, and reports read times from them).
fn follow_up(ws: &mut Workspace, rng: &mut Rng, people: &[User], id: &TaskId, at: &DateTime<Utc>, n: usize, now: DateTime<Utc>) -> Result<Vec<Change>, DomainError> {
    let mut changes = Vec::new();
    let Some(task) = ws.task(*id).cloned() else { return Ok(changes) };
    let worker = task.assignee.and_then(|a| people.iter().find(|u| u.id == a)).unwrap_or(&people[0]);
    let later = *at + Duration::minutes(20 + rng.below(90) as i64);
    if later >= now {
        return Ok(changes);
    }
    if task.channel == Channel::Call {
        let outcome = *rng.pick(&[CallOutcome::Connected, CallOutcome::Connected, CallOutcome::NoAnswer, CallOutcome::MachineAnswered]);
        changes.extend(ws.log_call_outcome(worker, *id, outcome, later)?);
        let codes: &[&str] = match outcome {
            CallOutcome::Connected => {
                const CHOICES: [&[&str]; 3] = [&["INFO"], &["SALE"], &["CALLBACK", "INFO"]];
                CHOICES[rng.below(CHOICES.len())]
            }
            _ => &[],
        };
        if outcome == CallOutcome::MachineAnswered {
            changes.extend(ws.add_system_code(*id, "AMD", later)?);
        } else if !codes.is_empty() {
            let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
            changes.extend(ws.set_codes(worker, *id, &codes, later + Duration::seconds(10))?);
        }
    } else if n < 40 && rng.below(3) != 0 {
        let tags = *rng.pick(&["#refund", "#billing #vip", "#complaint", "#first-contact", "#delivery"]);
        changes.extend(ws.set_hashtags(worker, *id, tags, later)?);
        changes.push(ws.change_status(worker, *id, StatusAction::Resolve, later + Duration::seconds(30))?);
    } else if rng.below(4) == 0 {
        changes.push(ws.change_status(worker, *id, StatusAction::Hold, later)?);
    }
    if rng.below(5) == 0 {
        let mut t = ws.task(*id).cloned().expect("task just seeded");
        t.priority = Priority::High;
        let before = ws.task(*id).cloned().expect("task just seeded");
        if let Some(c) = ws.edit_task(worker, &before, &t, later + Duration::minutes(1))? {
            changes.push(c);
        }
    }
    // The demo's people finished their notes long ago.
    if ws.task(*id).is_some_and(|t| t.wrapping) {
        changes.push(ws.finish_wrap_up(worker, *id, later + Duration::minutes(2))?);
    }
    Ok(changes)
}

const BODY: &str = "Hello, I am writing about my recent order. The parcel arrived late and one item was damaged in transit. \
Could you please arrange a replacement or a refund? I have attached photos of the box and the item. Thank you for your help.";

/// `count` realistic, fully-formed tasks for bulk storage tests and benchmarks (about 1 KB of JSON each),
/// made directly rather than through commands so that hundreds of thousands take little time.
pub fn sample_tasks(count: usize, seed: u64, now: DateTime<Utc>) -> Vec<crate::Task> {
    let mut rng = Rng::new(seed);
    let people = users();
    let device = crate::DeviceCode::from_random(seed);
    let customers: Vec<crate::CustomerId> = (0..500u128).map(|n| crate::CustomerId(Uuid::from_u128(0xc000 + n))).collect();
    (0..count)
        .map(|i| {
            let (channel, subject) = *rng.pick(SUBJECTS);
            let created_at = now - Duration::minutes((count - i) as i64);
            let modified = crate::Hlc { millis: created_at.timestamp_millis() as u64, counter: 0, node: device.0.clone() };
            let mut stamps = crate::hlc::Stamps::default();
            for field in crate::Task::FIELDS {
                stamps.set(field, &modified);
            }
            crate::Task {
                id: TaskId(Uuid::from_u128(((seed as u128) << 64) | i as u128)),
                number: device.task_number(i as u64 + 1),
                transaction_id: format!("TX-{}-{i}", device.0),
                channel,
                direction: Direction::Inbound,
                subject: format!("{subject} #{i}"),
                description: BODY.to_string(),
                status: *rng.pick(&[crate::TaskStatus::Open, crate::TaskStatus::Waiting, crate::TaskStatus::Resolved]),
                priority: *rng.pick(&Priority::ALL),
                skills: vec![rng.pick(&["billing", "english", "german", "returns"]).to_string()],
                customer: Some(*rng.pick(&customers)),
                assignee: (rng.below(4) != 0).then(|| rng.pick(&people[..3]).id),
                queue: Some(rng.pick(QUEUES).to_string()),
                hashtags: vec!["#refund".into()],
                codes: vec![],
                custom: Default::default(),
                scheduled_at: None,
                reminder_minutes: None,
                reminded_for: None,
                call_outcome: None,
                contact: None,
                parent: None,
                parent_number: None,
                created_at,
                created_by: Some(people[0].id),
                deleted: false,
                offer: None,
                refused_by: vec![],
                routed: false,
                wrapping: false,
                modified,
                modified_by: Some(people[0].id),
                stamps,
            }
        })
        .collect()
}
