//! T11 finding tasks: words searched through every part of a task, and each filter.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use taskdesk_domain::demo;
use taskdesk_domain::ids::DeviceCode;
use taskdesk_domain::interaction::{Interaction, InteractionKind};
use taskdesk_domain::queue::{QueueQuery, View};
use taskdesk_domain::validate::{validate_task, CustomerInput, TaskDraft};
use taskdesk_domain::workspace::Device;
use taskdesk_domain::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn all(text: &str) -> QueueQuery {
    QueueQuery { view: View::All, text: text.into(), ..QueueQuery::default() }
}

fn subjects(ws: &Workspace, q: &QueueQuery) -> Vec<String> {
    let mut list: Vec<String> = ws.queue(q, demo::users()[0].id, &taskdesk_domain::zone::utc()).into_iter().filter_map(|id| ws.task(id)).map(|t| t.subject.clone()).collect();
    list.sort();
    list
}

fn workspace() -> Workspace {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(4)));
    let (alex, admin) = (demo::users()[0].clone(), demo::users()[4].clone());
    let jana = CustomerId(
        ws.create_customer(
            &admin,
            CustomerInput { name: "Jana Dvorak".into(), phones: vec!["+420777123456".into()], emails: vec!["jana@example.cz".into()], company: "Brightline Dental".into(), notes: String::new() },
            now(),
        )
        .unwrap()
        .entity,
    );
    let make = |ws: &mut Workspace, subject: &str, customer: Option<CustomerId>, queue: &str, at: DateTime<Utc>| {
        let d = TaskDraft {
            subject: subject.into(),
            channel: "other".into(),
            priority: "normal".into(),
            customer: customer.map(|c| c.to_string()).unwrap_or_default(),
            queue: queue.into(),
            assignee: alex.id.to_string(),
            ..TaskDraft::default()
        };
        TaskId(ws.create_task(&alex, validate_task(&d, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), at).unwrap().entity)
    };
    let refund = make(&mut ws, "Refund request", Some(jana), "Billing", now() - Duration::days(3));
    make(&mut ws, "Router restarts", None, "Support", now());
    ws.set_hashtags(&alex, refund, "#refund", now()).unwrap();
    ws.set_codes(&alex, refund, &["SALE".to_string()], now()).unwrap();
    let ix = Interaction {
        id: "MAIL-1".into(),
        kind: InteractionKind::Email { subject: "Parcel lost".into() },
        contact: "someone@example.net".into(),
        body: "The courier left it at the wrong door.".into(),
        queue: Some("Support".into()),
        html: None,
        source: None,
    };
    ws.ingest(&ix, now()).unwrap();
    ws
}

#[test]
fn t11_words_are_found_in_every_part_of_a_task() {
    let ws = workspace();
    assert_eq!(subjects(&ws, &all("refund")), ["Refund request"]);
    assert_eq!(subjects(&ws, &all("brightline")), ["Refund request"], "customer company");
    assert_eq!(subjects(&ws, &all("777123")), ["Refund request"], "customer phone");
    assert_eq!(subjects(&ws, &all("#refund")), ["Refund request"], "hashtag");
    assert_eq!(subjects(&ws, &all("sale")), ["Refund request"], "transaction code");
    assert_eq!(subjects(&ws, &all("wrong door")), ["Parcel lost"], "message body, every word");
    assert_eq!(subjects(&ws, &all("wrong refund")), Vec::<String>::new(), "all words must match");
    assert_eq!(subjects(&ws, &all("ROUTER")), ["Router restarts"], "any case");
}

#[test]
fn t11_filters_by_assignee_queue_hashtag_code_and_dates() {
    let ws = workspace();
    let alex = demo::users()[0].id;
    assert_eq!(subjects(&ws, &QueueQuery { assignee: Some(None), ..all("") }), ["Parcel lost"]);
    assert_eq!(subjects(&ws, &QueueQuery { assignee: Some(Some(alex)), ..all("") }), ["Refund request", "Router restarts"]);
    assert_eq!(subjects(&ws, &QueueQuery { queue: Some("Support".into()), ..all("") }), ["Parcel lost", "Router restarts"]);
    assert_eq!(subjects(&ws, &QueueQuery { hashtag: Some("Refund".into()), ..all("") }), ["Refund request"]);
    assert_eq!(subjects(&ws, &QueueQuery { code: Some("SALE".into()), ..all("") }), ["Refund request"]);
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d);
    assert_eq!(subjects(&ws, &QueueQuery { created_to: day(21), ..all("") }), ["Refund request"]);
    assert_eq!(subjects(&ws, &QueueQuery { created_from: day(22), created_to: day(23), ..all("") }), ["Parcel lost", "Router restarts"]);
}

#[test]
fn t11_filters_by_a_custom_field_value() {
    let mut ws = Workspace::new(Device::new(DeviceCode::from_random(4)));
    demo::seed(&mut ws, 7, now()).unwrap();
    let q = QueueQuery { field: Some(("product".into(), "mobile".into())), ..all("") };
    let found: Vec<&Task> = ws.queue(&q, demo::users()[0].id, &taskdesk_domain::zone::utc()).into_iter().filter_map(|id| ws.task(id)).collect();
    assert!(!found.is_empty());
    assert!(found.iter().all(|t| t.custom.get("product") == Some(&serde_json::json!("Mobile"))));
    let with_mobile = ws.tasks.values().filter(|t| !t.deleted && t.custom.get("product") == Some(&serde_json::json!("Mobile"))).count();
    assert_eq!(found.len(), with_mobile);
}

fn records_copy(ws: &Workspace) -> Workspace {
    Workspace::from_records(
        Device::new(DeviceCode::from_random(9)),
        ws.config.clone(),
        ws.tasks.values().cloned().collect(),
        ws.customers.values().cloned().collect(),
        ws.messages.values().cloned().collect(),
    )
}

#[test]
fn t11_a_search_finds_newest_first_after_a_cold_start() {
    let mut tasks = demo::sample_tasks(60, 7, now());
    // Times out of order, and some the same to the nanosecond (then by id).
    for (i, t) in tasks.iter_mut().enumerate() {
        t.created_at = now() - Duration::minutes((i as i64 * 37) % 11);
    }
    let ws = Workspace::from_records(Device::new(DeviceCode::from_random(9)), taskdesk_domain::config::Config::default(), tasks, vec![], vec![]);
    let ids = |ws: &Workspace| ws.find_tasks("re").expect("a word").ids().collect::<Vec<TaskId>>();
    // Read from every task's text, then from the word index: the same tasks in the same order.
    let read = ids(&ws);
    ws.search();
    assert_eq!(ids(&ws), read);
    let mut expected: Vec<&Task> = read.iter().filter_map(|id| ws.task(*id)).collect();
    expected.sort_by_key(|t| std::cmp::Reverse((t.created_at, t.id)));
    assert!(read.len() > 10, "{}", read.len());
    assert_eq!(read, expected.iter().map(|t| t.id).collect::<Vec<_>>());
    let words = |t: &Task| format!("{} {} {}", t.number, t.subject, t.description).to_lowercase();
    let matching = ws.tasks.values().filter(|t| words(t).split(|c: char| !c.is_alphanumeric()).any(|w| w.starts_with("re"))).count();
    assert_eq!(read.len(), matching, "every task with a word starting \"re\"");
}

#[test]
fn t11_a_search_before_the_index_lists_what_the_index_lists_under_every_filter() {
    // The demo workspace (customers, messages, hashtags, codes, custom fields) and more tasks.
    let mut seeded = Workspace::new(Device::new(DeviceCode::from_random(4)));
    demo::seed(&mut seeded, 7, now()).unwrap();
    let mut tasks: Vec<Task> = seeded.tasks.values().cloned().collect();
    tasks.extend(demo::sample_tasks(400, 3, now()));
    let cold = || {
        Workspace::from_records(
            Device::new(DeviceCode::from_random(9)),
            seeded.config.clone(),
            tasks.clone(),
            seeded.customers.values().cloned().collect(),
            seeded.messages.values().cloned().collect(),
        )
    };
    let (read, indexed) = (cold(), cold());
    indexed.search();
    let me = demo::users()[0].id;
    let mut compared = 0;
    for text in ["r", "re", "refund order", "q", "zz", "ROUTER", "+420", "1", ""] {
        for view in [View::MyTasks, View::AllOpen, View::All] {
            for channel in [None, Some(Channel::Email)] {
                for hashtag in [None, Some("#vip".to_string())] {
                    let q = QueueQuery { view, text: text.into(), channel, hashtag: hashtag.clone(), ..QueueQuery::default() };
                    let listed = read.queue(&q, me, &taskdesk_domain::zone::utc());
                    assert_eq!(listed, indexed.queue(&q, me, &taskdesk_domain::zone::utc()), "{q:?}");
                    compared += usize::from(!listed.is_empty());
                }
            }
        }
    }
    assert!(compared > 20, "most combinations list something: {compared}");
}

#[test]
fn t11_the_index_follows_every_change_record() {
    let mut ws = workspace();
    let mut other = records_copy(&ws);
    let admin = demo::users()[4].clone();
    let refund = ws.queue(&all("refund"), admin.id, &taskdesk_domain::zone::utc())[0];
    let jana = ws.task(refund).unwrap().customer.unwrap();
    let parcel = ws.queue(&all("parcel"), admin.id, &taskdesk_domain::zone::utc())[0];
    let renamed = ws
        .update_customer(
            &admin,
            jana,
            CustomerInput { name: "Jana Novak".into(), phones: vec!["+420777123456".into()], emails: vec![], company: "Brightline Dental".into(), notes: String::new() },
            &ws.customer(jana).unwrap().clone(),
            now(),
        )
        .unwrap()
        .unwrap();
    let reply = ws.reply(&admin, parcel, "A replacement was shipped today.", now()).unwrap();
    assert_eq!(subjects(&ws, &all("novak")), ["Refund request"], "customer renamed");
    assert_eq!(subjects(&ws, &all("dvorak")), Vec::<String>::new(), "old name forgotten");
    assert_eq!(subjects(&ws, &all("replacement")), ["Parcel lost"], "a new message");
    let deleted = ws.delete_task(&admin, refund, now()).unwrap();
    assert_eq!(subjects(&ws, &all("refund")), Vec::<String>::new(), "deleted");
    for change in [&renamed, &reply, &deleted] {
        other.apply(change).unwrap();
    }
    for q in ["novak", "dvorak", "replacement", "refund", "r"] {
        assert_eq!(subjects(&other, &all(q)), subjects(&ws, &all(q)), "another device applying the same changes finds the same for {q:?}");
    }
}

#[test]
fn t11_search_reads_the_start_of_words_and_phone_tails() {
    let ws = workspace();
    assert_eq!(subjects(&ws, &all("rout rest")), ["Router restarts"], "each word by its start");
    assert_eq!(subjects(&ws, &all("outer")), Vec::<String>::new(), "not from the middle of a word");
    assert_eq!(subjects(&ws, &all("3456")), ["Refund request"], "the last digits of a phone");
    assert_eq!(subjects(&ws, &all("+420 777")), ["Refund request"], "a phone as written");
}

mod incremental {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Step {
        Subject(usize, String),
        Reply(usize, String),
        RenameCustomer(String),
        Delete(usize),
        /// Gives a task to Jana, or takes it away from its customer.
        Customer(usize, bool),
        /// A new task, with this subject.
        Create(String),
    }

    fn step() -> impl Strategy<Value = Step> {
        let words = "(alpha|beta|gamma|delta|router|refund) (alpha|beta|gamma|delta|parcel)";
        prop_oneof![
            (0usize..3, words).prop_map(|(i, s)| Step::Subject(i, s)),
            (0usize..3, words).prop_map(|(i, s)| Step::Reply(i, s)),
            words.prop_map(Step::RenameCustomer),
            (0usize..3).prop_map(Step::Delete),
            (0usize..3, any::<bool>()).prop_map(|(i, jana)| Step::Customer(i, jana)),
            words.prop_map(Step::Create),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever changes arrive, the index kept change by change answers as one built from scratch.
        #[test]
        fn t11_incremental_index_equals_a_rebuilt_one(warm in any::<bool>(), slice in proptest::option::of(1..4usize), steps in proptest::collection::vec(step(), 1..12), q in "(a|b|g|d|r|p|al|re|ro|pa|jana)( (a|b|g|d|r|p))?") {
            let mut ws = workspace();
            let admin = demo::users()[4].clone();
            let mut ids: Vec<TaskId> = ws.tasks.keys().copied().collect();
            ids.sort();
            let jana = ws.customers.keys().next().copied().unwrap();
            // Built before the changes arrive (or not, half the time), so keeping it current is what is checked.
            if warm {
                ws.search();
            }
            for s in steps {
                // Or built a slice at a time between the changes (and finished by the search below).
                if let Some(slice) = slice {
                    ws.build_search(slice);
                }
                let _ = match s {
                    Step::Subject(i, text) => {
                        let Some(before) = ws.task(ids[i]).cloned() else { continue };
                        let after = Task { subject: text, ..before.clone() };
                        ws.edit_task(&admin, &before, &after, now()).map(|_| ())
                    }
                    Step::Reply(i, text) => ws.reply(&admin, ids[i], &text, now()).map(|_| ()),
                    Step::RenameCustomer(name) => {
                        let opened = ws.customer(jana).unwrap().clone();
                        ws.update_customer(&admin, jana, CustomerInput { name, phones: vec![], emails: vec![], company: String::new(), notes: String::new() }, &opened, now()).map(|_| ())
                    }
                    Step::Delete(i) => ws.delete_task(&admin, ids[i], now()).map(|_| ()),
                    Step::Customer(i, to_jana) => {
                        let Some(before) = ws.task(ids[i]).cloned() else { continue };
                        let after = Task { customer: to_jana.then_some(jana), ..before.clone() };
                        ws.edit_task(&admin, &before, &after, now()).map(|_| ())
                    }
                    Step::Create(subject) => {
                        let draft = TaskDraft { subject, channel: "other".into(), priority: "normal".into(), ..TaskDraft::default() };
                        ws.create_task(&admin, validate_task(&draft, &[], &taskdesk_domain::zone::utc(), |_| true).unwrap(), now()).map(|_| ())
                    }
                };
            }
            // Compared with a cold start's answer, read from every task and then from its index.
            let copy = records_copy(&ws);
            let read = subjects(&copy, &all(&q));
            copy.search();
            prop_assert_eq!(subjects(&ws, &all(&q)), read.clone());
            prop_assert_eq!(subjects(&copy, &all(&q)), read);
            // A customer's tasks, as kept change by change, are those a full read finds.
            for customer in ws.customers.keys() {
                let kept: Vec<TaskId> = ws.tasks_of_customer(*customer).iter().map(|t| t.id).collect();
                let mut read: Vec<&Task> = ws.tasks.values().filter(|t| !t.deleted && t.customer == Some(*customer)).collect();
                read.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.number.cmp(&a.number)));
                prop_assert_eq!(kept, read.iter().map(|t| t.id).collect::<Vec<_>>());
            }
        }
    }
}

#[test]
fn t11_saved_views_keep_filters_per_person_and_merge_across_devices() {
    let mut ws = workspace();
    let mut other = records_copy(&ws);
    let (alex, sam) = (demo::users()[0].clone(), demo::users()[1].clone());
    let billing = QueueQuery { queue: Some("Billing".into()), text: "refund".into(), ..all("") };
    let a = ws.save_view(&alex, "  Billing refunds ", &billing, now()).unwrap().unwrap();
    let b = other.save_view(&sam, "Support", &QueueQuery { queue: Some("Support".into()), ..all("") }, now()).unwrap().unwrap();
    ws.apply(&b).unwrap();
    other.apply(&a).unwrap();
    for w in [&ws, &other] {
        let names = |u: &User| w.saved_views(u.id).iter().map(|v| v.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&alex), ["Billing refunds"], "both devices keep Alex's view");
        assert_eq!(names(&sam), ["Support"], "and Sam's, saved at the same time elsewhere");
    }
    let view = ws.saved_views(alex.id)[0].query.clone();
    assert_eq!(view, billing);
    assert_eq!(subjects(&ws, &view), ["Refund request"]);
    assert_eq!(ws.save_view(&alex, "billing REFUNDS", &billing, now()).unwrap().map(|c| c.fields.len()), Some(1), "same name in any case replaces");
    assert_eq!(ws.saved_views(alex.id).len(), 1);
    assert!(ws.save_view(&alex, "   ", &billing, now()).unwrap_err().to_string().contains("name"));
    assert!(ws.save_view(&alex, &"x".repeat(61), &billing, now()).is_err());
    ws.delete_view(&alex, "Billing REFUNDS", now()).unwrap().unwrap();
    assert!(ws.saved_views(alex.id).is_empty());
    assert_eq!(ws.delete_view(&alex, "Billing refunds", now()).unwrap(), None, "nothing left to delete");
}
