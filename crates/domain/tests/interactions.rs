//! T5 system-generated tasks: every interaction event becomes a task through one entry point.

use chrono::{DateTime, Duration, TimeZone, Utc};
use taskdesk_domain::call_log::{CallLogInput, Caller};
use taskdesk_domain::conversation::Delivery;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::interaction::{Interaction, InteractionKind};
use taskdesk_domain::task::CallOutcome;
use taskdesk_domain::validate::CustomerInput;
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn workspace() -> (Workspace, CustomerId) {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(8)));
    let input = CustomerInput { name: "Jana Novakova".into(), phones: vec!["+420777123456".into()], emails: vec!["jana@example.com".into()], company: String::new(), notes: String::new() };
    let c = ws.create_customer(&demo::users()[4], input, now()).unwrap();
    (ws, CustomerId(c.entity))
}

fn event(id: &str, kind: InteractionKind, contact: &str) -> Interaction {
    Interaction { id: id.into(), kind, contact: contact.into(), body: "transcript".into(), queue: Some("Support".into()), html: None, source: None }
}

#[test]
fn t5_a_known_callers_call_log_becomes_a_task_linked_to_the_customer() {
    let (mut ws, jana) = workspace();
    let done = ws.ingest(&event("CALL-1", InteractionKind::CallEnded(CallOutcome::Connected), "777 123 456"), now()).unwrap();
    let task = ws.task(done.task).unwrap();
    assert!(done.known_customer);
    assert_eq!(task.customer, Some(jana));
    assert_eq!((task.channel, task.direction, task.status), (Channel::Call, Direction::Inbound, TaskStatus::Resolved));
    assert_eq!(task.transaction_id, "CALL-1");
    assert_eq!(task.created_by, None, "created by the system, not a person");
    assert!(done.changes.iter().all(|c| c.actor.is_none()), "system changes have no human author");
}

#[test]
fn t5_an_unknown_caller_is_flagged_for_the_agent_to_pick_a_customer() {
    let (mut ws, _) = workspace();
    let done = ws.ingest(&event("CALL-2", InteractionKind::CallEnded(CallOutcome::NoAnswer), "+1 555 0100"), now()).unwrap();
    assert!(!done.known_customer);
    let task = ws.task(done.task).unwrap();
    assert_eq!(task.customer, None);
    assert_eq!(task.status, TaskStatus::Open, "a missed call stays open");
    assert_eq!(task.subject, "Missed call from +1 555 0100");
}

#[test]
fn t5_t6_system_services_add_their_codes() {
    let (mut ws, _) = workspace();
    for (outcome, code) in [(CallOutcome::MachineAnswered, "AMD"), (CallOutcome::Rejected, "CCB"), (CallOutcome::Failed, "TEMPFAIL")] {
        let kind = InteractionKind::CampaignCall { campaign: "Renewals".into(), outcome };
        let done = ws.ingest(&event("CMP", kind, "+420777123456"), now()).unwrap();
        let task = ws.task(done.task).unwrap();
        assert_eq!(task.codes, vec![code.to_string()]);
        assert_eq!(task.status, TaskStatus::Open);
        assert_eq!(task.direction, Direction::Outbound);
    }
}

#[test]
fn t5_every_kind_of_interaction_makes_a_task_of_its_channel() {
    let (mut ws, jana) = workspace();
    let at = now() + Duration::days(1);
    let cases = [
        (InteractionKind::Voicemail, Channel::Call, "Voicemail from jana@example.com"),
        (InteractionKind::WebCallback, Channel::Call, "Web callback request from jana@example.com"),
        (InteractionKind::CampaignCallScheduled { campaign: "Renewals".into(), at }, Channel::Call, "Scheduled campaign call (Renewals) to jana@example.com"),
        (InteractionKind::Email { subject: "Where is my parcel?".into() }, Channel::Email, "Where is my parcel?"),
        (InteractionKind::Chat, Channel::Chat, "Chat with jana@example.com"),
        (InteractionKind::Sms, Channel::Sms, "SMS from jana@example.com"),
    ];
    for (kind, channel, subject) in cases {
        let scheduled = matches!(kind, InteractionKind::CampaignCallScheduled { .. });
        let done = ws.ingest(&event("X", kind, "jana@example.com"), now()).unwrap();
        let task = ws.task(done.task).unwrap();
        assert_eq!((task.channel, task.subject.as_str(), task.customer), (channel, subject, Some(jana)));
        assert_eq!(task.description, "transcript");
        assert_eq!(task.queue.as_deref(), Some("Support"));
        assert_eq!(task.scheduled_at.is_some(), scheduled);
        assert!(task.status.is_open());
    }
}

#[test]
fn t3_further_messages_of_a_conversation_join_its_task() {
    let (mut ws, _) = workspace();
    let mut first = event("MAIL-7", InteractionKind::Email { subject: "Parcel".into() }, "jana@example.com");
    first.html = Some("<p>Where is my <b>parcel</b>?</p>".into());
    let task = ws.ingest(&first, now()).unwrap().task;
    let second = Interaction { body: "Any news?".into(), html: None, ..first.clone() };
    let again = ws.ingest(&second, now() + Duration::minutes(5)).unwrap();
    assert_eq!(again.task, task, "the reply joins the thread instead of making a task");
    let thread = ws.thread(task);
    assert_eq!(thread.len(), 2);
    assert_eq!(thread[0].html.as_deref(), Some("<p>Where is my <b>parcel</b>?</p>"));
    assert_eq!(thread[1].text, "Any news?");
    assert!(thread.iter().all(|m| m.inbound && m.delivery == Delivery::Received));
}

#[test]
fn t3_replies_wait_in_the_outbox_until_the_backend_takes_them() {
    let (mut ws, _) = workspace();
    let agent = taskdesk_domain::demo::users()[0].clone();
    let chat = ws.ingest(&event("CHAT-1", InteractionKind::Chat, "+420777123456"), now()).unwrap().task;
    let reply = ws.reply(&agent, chat, "  Let me check that for you.  ", now()).unwrap();
    let id = reply.entity;
    assert_eq!(ws.messages[&id].text, "Let me check that for you.");
    assert_eq!(ws.outbox().iter().map(|m| m.id).collect::<Vec<_>>(), vec![id]);
    assert!(ws.mark_sent(id, now()).unwrap().is_some());
    assert_eq!(ws.messages[&id].delivery, Delivery::Sent);
    assert!(ws.outbox().is_empty());
    assert_eq!(ws.mark_sent(id, now()).unwrap(), None, "sending twice does nothing");
    assert!(ws.reply(&agent, chat, "   ", now()).unwrap_err().to_string().contains("empty message"));
    let call = ws.ingest(&event("CALL-1", InteractionKind::Voicemail, "+420777123456"), now()).unwrap().task;
    assert!(ws.reply(&agent, call, "hello", now()).unwrap_err().to_string().contains("email, chat and SMS"));
}

#[test]
fn t5_an_unknown_callers_log_is_saved_only_with_a_customer_picked_or_created() {
    let (mut ws, jana) = workspace();
    let agent = taskdesk_domain::demo::users()[0].clone();
    let done = ws.ingest(&event("CALL-9", InteractionKind::CallEnded(CallOutcome::NoAnswer), "+44 20 7946 0321"), now()).unwrap();
    assert!(!done.known_customer);
    assert_eq!(ws.task(done.task).unwrap().contact.as_deref(), Some("+44 20 7946 0321"));
    let log = |caller| CallLogInput { outcome: Some(CallOutcome::Connected), notes: "Wants a quote".into(), caller };
    let err = ws.save_call_log(&agent, done.task, log(Caller::Unknown), now()).unwrap_err();
    assert!(err.to_string().contains("pick the customer, or create one"), "{err}");
    assert!(ws.task(done.task).unwrap().customer.is_none(), "nothing saved");
    let changes = ws.save_call_log(&agent, done.task, log(Caller::New("Oliver Grant".into())), now()).unwrap();
    assert_eq!(changes.len(), 2, "the new customer, then the task");
    let task = ws.task(done.task).unwrap();
    let customer = ws.customer(task.customer.unwrap()).unwrap();
    assert_eq!((customer.name.as_str(), customer.phones.clone()), ("Oliver Grant", vec!["+442079460321".to_string()]));
    assert_eq!((task.status, task.description.as_str()), (TaskStatus::Resolved, "Wants a quote"));
    // A known caller was linked automatically and the log saves as is.
    let known = ws.ingest(&event("CALL-10", InteractionKind::Voicemail, "+420777123456"), now()).unwrap();
    assert_eq!(ws.task(known.task).unwrap().customer, Some(jana));
    ws.save_call_log(&agent, known.task, CallLogInput { outcome: None, notes: "Called back".into(), caller: Caller::Linked }, now()).unwrap();
}

#[test]
fn t5_a_shared_event_makes_the_same_task_and_message_on_every_device_and_counts_once() {
    let event =
        taskdesk_domain::interaction::Interaction::from_json(&serde_json::json!({ "id": "PBX-77", "kind": "chat", "contact": "+420 777 123 456", "body": "Is anyone there?", "queue": "Support" }))
            .unwrap();
    let event = taskdesk_domain::interaction::Interaction { source: Some("interaction:PBX-77:1".into()), ..event };
    let mut devices: Vec<Workspace> = (1..=2).map(|n| Workspace::new(Device::new(DeviceCode::from_random(n)))).collect();
    let made: Vec<_> = devices.iter_mut().map(|ws| ws.ingest(&event, now()).unwrap()).collect();
    assert_eq!(made[0].task, made[1].task, "the same task id on both devices");
    let message = |ws: &Workspace| ws.messages.values().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(message(&devices[0]), message(&devices[1]), "the same message id");
    let again = devices[0].ingest(&event, now()).unwrap();
    assert!(again.changes.is_empty() && again.task == made[0].task, "reading it again changes nothing");
    // Each device's changes applied on the other: still one task, one message.
    let (left, right) = devices.split_at_mut(1);
    for c in &made[1].changes {
        left[0].apply(c).unwrap();
    }
    for c in &made[0].changes {
        right[0].apply(c).unwrap();
    }
    for ws in &devices {
        assert_eq!(ws.tasks.values().filter(|t| t.transaction_id == "PBX-77").count(), 1);
        assert_eq!(ws.messages.len(), 1);
    }
    assert!(taskdesk_domain::interaction::Interaction::from_json(&serde_json::json!({ "id": "X", "kind": "fax", "contact": "1" })).unwrap_err().contains("not a kind of interaction"));
}

#[test]
fn u1_internal_notes_are_for_the_team_on_any_task_and_never_sent() {
    let (mut ws, _) = workspace();
    let agent = demo::users()[0].clone();
    let chat = ws.ingest(&event("CHAT-N", InteractionKind::Chat, "+420777123456"), now()).unwrap().task;
    let call = ws.ingest(&event("CALL-N", InteractionKind::Voicemail, "+420777123456"), now()).unwrap().task;
    let note = ws.add_note(&agent, chat, "  Customer is upset about the second outage.  ", now()).unwrap();
    ws.reply(&agent, chat, "Sorry about that!", now() + Duration::seconds(1)).unwrap();
    assert_eq!(ws.messages[&note.entity].text, "Customer is upset about the second outage.");
    assert_eq!(ws.messages[&note.entity].delivery, Delivery::Note);
    assert_eq!(ws.outbox().len(), 1, "only the reply waits to be sent");
    assert!(ws.outbox().iter().all(|m| m.delivery != Delivery::Note));
    assert_eq!(ws.mark_sent(note.entity, now()).unwrap(), None, "a note is never marked sent");
    assert_eq!(ws.thread(chat).len(), 3, "in the conversation's timeline, in order");
    assert_eq!(ws.notes_of(chat).len(), 1);
    ws.add_note(&agent, call, "Called back twice, no answer.", now()).unwrap();
    assert_eq!(ws.notes_of(call).len(), 1, "calls take notes too");
    assert!(ws.add_note(&agent, call, " ", now()).unwrap_err().to_string().contains("empty note"));
    let mut viewer = agent.clone();
    viewer.permissions = Some(Default::default());
    assert!(ws.add_note(&viewer, call, "x", now()).is_err(), "notes need Edit");
}
