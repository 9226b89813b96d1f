//! The command palette and the keyboard (U1): what Ctrl+K finds for what the agent typed
//! (screens, actions, tasks by number or subject, customers by name, phone or email), and which
//! single-key shortcut a key press is, never while the agent types in a field.

use crate::ids::{CustomerId, TaskId};
use crate::lifecycle::{self, StatusAction};
use crate::permission::{self, Permission};
use crate::routing::Presence;
use crate::user::{Role, User};
use crate::workspace::Workspace;

/// A screen of the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The task list.
    Queue,
    /// The customer list.
    Customers,
    /// The custom field catalogue.
    Fields,
    /// The supervisor's live board.
    Board,
    /// Team statistics.
    Reports,
    /// Settings.
    Settings,
}

impl Screen {
    /// Every screen, in the navigation's order.
    pub const ALL: [Screen; 6] = [Screen::Queue, Screen::Customers, Screen::Fields, Screen::Board, Screen::Reports, Screen::Settings];

    /// Its name in the navigation.
    pub fn label(self) -> &'static str {
        match self {
            Screen::Queue => "Queue",
            Screen::Customers => "Customers",
            Screen::Fields => "Fields",
            Screen::Board => "Live board",
            Screen::Reports => "Reports",
            Screen::Settings => "Settings",
        }
    }

    /// Whether `user` may open it (the navigation shows only these).
    pub fn allowed(self, user: &User) -> bool {
        match self {
            Screen::Fields => permission::allows(user, Permission::ManageFields),
            Screen::Board => permission::allows(user, Permission::Supervise),
            Screen::Reports => permission::allows(user, Permission::ViewReports),
            Screen::Queue | Screen::Customers | Screen::Settings => true,
        }
    }
}

/// What choosing a palette entry does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Go to a screen.
    Screen(Screen),
    /// Open a task.
    Task(TaskId),
    /// Open a customer.
    Customer(CustomerId),
    /// The new task form.
    NewTask,
    /// The new customer form.
    NewCustomer,
    /// Change the open task's status.
    Status(TaskId, StatusAction),
    /// Edit the open task.
    EditTask(TaskId),
    /// Set one's presence.
    Presence(Presence),
}

/// One line of the palette.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// What it says.
    pub label: String,
    /// What kind of thing it is ("Screen", "Action", "Task", "Customer").
    pub kind: &'static str,
    /// What choosing it does.
    pub target: Target,
}

/// Whether every word typed starts a word of `text` (any case).
fn words_match(query: &str, text: &str) -> bool {
    let text = text.to_lowercase();
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    query.to_lowercase().split_whitespace().all(|q| words.iter().any(|w| w.starts_with(q)))
}

/// The palette's entries for what was typed, best first, at most `limit`. `open_task` is the
/// task on screen (its actions are offered); `me` decides what is allowed.
pub fn find(ws: &Workspace, me: &User, open_task: Option<TaskId>, query: &str, limit: usize) -> Vec<Entry> {
    let query = query.trim();
    let mut entries = Vec::new();
    let mut add = |label: String, kind: &'static str, target: Target| {
        if query.is_empty() || words_match(query, &label) {
            entries.push(Entry { label, kind, target });
        }
    };
    if let Some(task) = open_task.and_then(|id| ws.task(id)).filter(|t| !t.deleted) {
        for action in lifecycle::actions(task.channel, task.status) {
            add(format!("{} {}", action.label(), task.number), "Action", Target::Status(task.id, action));
        }
        if permission::allows(me, Permission::Edit) {
            add(format!("Edit {}", task.number), "Action", Target::EditTask(task.id));
        }
    }
    if permission::allows(me, Permission::Create) {
        add("New task".into(), "Action", Target::NewTask);
        add("New customer".into(), "Action", Target::NewCustomer);
    }
    for screen in Screen::ALL.into_iter().filter(|s| s.allowed(me)) {
        add(format!("Go to {}", screen.label()), "Screen", Target::Screen(screen));
    }
    if me.role == Role::Agent {
        for presence in Presence::ALL {
            add(format!("Presence: {}", presence.label()), "Action", Target::Presence(presence));
        }
    }
    if query.is_empty() {
        entries.truncate(limit);
        return entries;
    }
    // A customer whose phone or email it is exactly, then a task number (K7Q2X-42, typed in
    // any case), then tasks whose text matches (open ones first), then other customers.
    let (exact, partial): (Vec<_>, Vec<_>) = ws.customers_by_name().into_iter().filter(|c| c.matches_text(query) || c.matches_contact(query)).partition(|c| c.matches_contact(query));
    let customer = |c: &crate::Customer| Entry { label: c.name.clone(), kind: "Customer", target: Target::Customer(c.id) };
    entries.extend(exact.iter().map(|c| customer(c)));
    // The index holds every task's number among its words, so its hits include every task whose
    // number starts with the query; only the best `limit` are kept, however many match.
    let wanted = query.to_uppercase();
    let mut best = std::collections::BinaryHeap::new();
    if let Some(hits) = ws.find_tasks(query) {
        for t in hits.ids().filter_map(|id| ws.task(id)).filter(|t| !t.deleted) {
            let numbered = t.number.starts_with(&wanted);
            // A number first (the shortest, as typed), then open work, then the newest.
            best.push((!numbered, if numbered { (t.number.len(), t.number.as_str()) } else { (0, "") }, !t.status.is_open(), std::cmp::Reverse(t.created_at), t.id));
            if best.len() > limit {
                best.pop();
            }
        }
    }
    entries.extend(best.into_sorted_vec().into_iter().filter_map(|(.., id)| ws.task(id)).map(|t| Entry { label: format!("{} {}", t.number, t.subject), kind: "Task", target: Target::Task(t.id) }));
    entries.extend(partial.iter().take(limit).map(|c| customer(c)));
    entries.truncate(limit);
    entries
}

/// A single-key shortcut (the `?` overlay lists them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    /// Ctrl+K or Cmd+K: the command palette (also while typing).
    Palette,
    /// `?`: the list of shortcuts.
    Help,
    /// `/`: search the queue.
    Search,
    /// `j` or ArrowDown: the next row of a list.
    Next,
    /// `k` or ArrowUp: the previous row.
    Previous,
    /// Escape: close what is open, or back to the list.
    Back,
    /// `n`: a new task.
    NewTask,
    /// `e`: edit what is open.
    Edit,
    /// `r`: resolve the open task.
    Resolve,
    /// `o`: to the offer waiting for an answer (its Accept button).
    Offer,
}

/// What the `?` overlay shows: the keys and what they do.
pub const SHORTCUTS: [(&str, &str); 10] = [
    ("Ctrl+K", "Command palette: screens, tasks, customers and actions"),
    ("?", "This list of shortcuts"),
    ("/", "Search the queue"),
    ("j or ↓", "Next row of a list"),
    ("k or ↑", "Previous row of a list"),
    ("Enter", "Open the row"),
    ("Escape", "Close, or back to the list"),
    ("n", "New task"),
    ("e / r", "Edit / resolve the open task"),
    ("o", "The offer waiting for your answer"),
];

/// Which shortcut a key press is. `typing` is whether focus is in a text field, a select or an
/// editable area: then only Ctrl+K counts, so nothing typed is ever taken (Escape in a form
/// field does not leave the form and lose what was typed).
pub fn shortcut(key: &str, ctrl_or_meta: bool, alt: bool, typing: bool) -> Option<Shortcut> {
    if ctrl_or_meta && !alt && key.eq_ignore_ascii_case("k") {
        return Some(Shortcut::Palette);
    }
    if typing || ctrl_or_meta || alt {
        return None;
    }
    match key {
        "Escape" => Some(Shortcut::Back),
        "?" => Some(Shortcut::Help),
        "/" => Some(Shortcut::Search),
        "j" | "ArrowDown" => Some(Shortcut::Next),
        "k" | "ArrowUp" => Some(Shortcut::Previous),
        "n" => Some(Shortcut::NewTask),
        "e" => Some(Shortcut::Edit),
        "r" => Some(Shortcut::Resolve),
        "o" => Some(Shortcut::Offer),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn demo() -> Workspace {
        let at = chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut ws = Workspace::new(crate::workspace::Device::new(crate::ids::DeviceCode::from_random(5)));
        crate::demo::seed(&mut ws, 3, at).unwrap();
        ws
    }

    fn person(role: Role) -> User {
        crate::demo::users().into_iter().find(|u| u.role == role).unwrap()
    }

    #[test]
    fn u1_the_palette_finds_screens_tasks_customers_and_actions() {
        let ws = demo();
        let agent = person(Role::Agent);
        let task = ws.tasks.values().find(|t| t.status == crate::TaskStatus::Open && t.channel.resolved_by_agent()).unwrap();
        let by_number = find(&ws, &agent, None, &task.number.to_lowercase(), 8);
        assert_eq!(by_number[0].target, Target::Task(task.id), "a number, in any case, finds its task first");
        let word = task.subject.split_whitespace().find(|w| w.len() > 4).unwrap();
        assert!(find(&ws, &agent, None, word, 50).iter().any(|e| e.target == Target::Task(task.id)), "{word}");
        // A word many tasks hold: only the best few, open work before resolved, newest first.
        let queue = ws.tasks.values().filter(|t| t.status.is_open()).find_map(|t| t.queue.clone()).unwrap();
        let found: Vec<&crate::Task> = find(&ws, &agent, None, &queue, 6).iter().filter_map(|e| if let Target::Task(id) = e.target { ws.task(id) } else { None }).collect();
        assert_eq!(found.len(), 6, "{queue} holds more than six tasks");
        assert!(found[0].status.is_open(), "open work in {queue} comes first");
        assert!(found.windows(2).all(|w| (!w[0].status.is_open(), std::cmp::Reverse(w[0].created_at)) <= (!w[1].status.is_open(), std::cmp::Reverse(w[1].created_at))), "open first, then newest");
        let customer = ws.customers_by_name()[0].clone();
        let first_name = customer.name.split(' ').next().unwrap();
        assert!(find(&ws, &agent, None, first_name, 8).iter().any(|e| e.target == Target::Customer(customer.id)));
        assert_eq!(find(&ws, &agent, None, &customer.emails[0], 8)[0].target, Target::Customer(customer.id), "an exact email finds its customer first");
        assert_eq!(find(&ws, &agent, None, "go cust", 8)[0].target, Target::Screen(Screen::Customers));
        let on_task = find(&ws, &agent, Some(task.id), "resolve", 8);
        assert_eq!(on_task[0].target, Target::Status(task.id, StatusAction::Resolve));
        assert!(find(&ws, &agent, Some(task.id), "avail", 8).iter().any(|e| e.target == Target::Presence(Presence::Available)));
    }

    #[test]
    fn u1_the_palette_offers_only_what_the_person_may_do() {
        let ws = demo();
        let agent = person(Role::Agent);
        let all = find(&ws, &agent, None, "", 50);
        assert!(!all.iter().any(|e| matches!(e.target, Target::Screen(Screen::Reports | Screen::Board | Screen::Fields))));
        let admin = person(Role::Admin);
        let all = find(&ws, &admin, None, "", 50);
        assert!(all.iter().any(|e| e.target == Target::Screen(Screen::Fields)));
        assert!(!all.iter().any(|e| matches!(e.target, Target::Presence(_))), "presence is an agent's");
        let call = ws.tasks.values().find(|t| t.channel == crate::Channel::Call && t.status == crate::TaskStatus::Open).unwrap();
        assert!(!find(&ws, &agent, Some(call.id), "", 50).iter().any(|e| e.target == Target::Status(call.id, StatusAction::Resolve)), "a call resolves itself");
    }

    #[test]
    fn u1_shortcuts_never_fire_while_typing() {
        assert_eq!(shortcut("n", false, false, false), Some(Shortcut::NewTask));
        assert_eq!(shortcut("k", true, false, true), Some(Shortcut::Palette), "Ctrl+K works in a field too");
        assert_eq!(shortcut("K", true, false, false), Some(Shortcut::Palette), "with Shift or Caps Lock too");
        assert_eq!(shortcut("Escape", false, false, false), Some(Shortcut::Back));
        assert_eq!(shortcut("Escape", false, false, true), None, "Escape in a field keeps the form");
        assert_eq!(shortcut("n", true, false, false), None, "Ctrl+N is the browser's");
        assert_eq!(shortcut("?", false, false, false), Some(Shortcut::Help));
    }

    proptest! {
        #[test]
        fn no_typed_character_is_ever_taken(key in "\\PC{1,2}", ctrl in any::<bool>(), alt in any::<bool>()) {
            if let Some(s) = shortcut(&key, ctrl, alt, true) {
                prop_assert!(s == Shortcut::Palette && ctrl, "{key:?} -> {s:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn any_query_answers_without_panicking(query in "\\PC{0,12}") {
            let ws = demo();
            let entries = find(&ws, &person(Role::Agent), None, &query, 8);
            prop_assert!(entries.len() <= 8);
        }
    }
}
