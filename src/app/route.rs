//! Screens and their deep links: every screen has a path, so a reload shows the same thing.

use taskdesk_domain::palette::Screen;
use taskdesk_domain::{CustomerId, TaskId};

/// A screen of the app.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Route {
    /// The task list.
    #[default]
    Queue,
    /// One task.
    Task(TaskId),
    /// The form for a new task, optionally for a customer.
    NewTask(Option<CustomerId>),
    /// Editing a task.
    EditTask(TaskId),
    /// The customer list.
    Customers,
    /// One customer.
    Customer(CustomerId),
    /// The form for a new customer, optionally filled in with a phone number or email address
    /// (a screen pop for an unknown caller).
    NewCustomer(Option<String>),
    /// Editing a customer.
    EditCustomer(CustomerId),
    /// Settings.
    Settings,
    /// The supervisor's live board.
    Board,
    /// Team statistics.
    Reports,
    /// The custom field catalogue (admins).
    Fields,
}

impl Route {
    /// The path of this screen.
    pub fn path(&self) -> String {
        match self {
            Route::Queue => "/".into(),
            Route::Task(id) => format!("/tasks/{id}"),
            Route::NewTask(None) => "/tasks/new".into(),
            Route::NewTask(Some(c)) => format!("/tasks/new?customer={c}"),
            Route::EditTask(id) => format!("/tasks/{id}/edit"),
            Route::Customers => "/customers".into(),
            Route::Customer(id) => format!("/customers/{id}"),
            Route::NewCustomer(None) => "/customers/new".into(),
            Route::NewCustomer(Some(contact)) => format!("/customers/new?contact={}", js_sys::encode_uri_component(contact)),
            Route::EditCustomer(id) => format!("/customers/{id}/edit"),
            Route::Settings => "/settings".into(),
            Route::Fields => "/settings/fields".into(),
            Route::Board => "/board".into(),
            Route::Reports => "/reports".into(),
        }
    }

    /// The screen for a path and query string; unknown paths show the queue.
    pub fn parse(path: &str, query: &str) -> Route {
        let parts: Vec<&str> = path.trim_matches('/').split('/').filter(|p| !p.is_empty()).collect();
        let param = |name: &str| query.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')).map(str::to_string));
        let customer_param = param("customer").and_then(|c| CustomerId::parse(&c));
        let contact_param = param("contact").and_then(|c| js_sys::decode_uri_component(&c).ok()).map(String::from).filter(|c| !c.trim().is_empty());
        match parts.as_slice() {
            ["tasks", "new"] => Route::NewTask(customer_param),
            ["tasks", id] => TaskId::parse(id).map_or(Route::Queue, Route::Task),
            ["tasks", id, "edit"] => TaskId::parse(id).map_or(Route::Queue, Route::EditTask),
            ["customers"] => Route::Customers,
            ["customers", "new"] => Route::NewCustomer(contact_param),
            ["customers", id] => CustomerId::parse(id).map_or(Route::Customers, Route::Customer),
            ["customers", id, "edit"] => CustomerId::parse(id).map_or(Route::Customers, Route::EditCustomer),
            ["settings"] => Route::Settings,
            ["settings", "fields"] => Route::Fields,
            ["board"] => Route::Board,
            ["reports"] => Route::Reports,
            _ => Route::Queue,
        }
    }

    /// Which screen of the navigation it belongs to.
    pub fn section(&self) -> Screen {
        match self {
            Route::Queue | Route::Task(_) | Route::NewTask(_) | Route::EditTask(_) => Screen::Queue,
            Route::Customers | Route::Customer(_) | Route::NewCustomer(_) | Route::EditCustomer(_) => Screen::Customers,
            Route::Settings => Screen::Settings,
            Route::Fields => Screen::Fields,
            Route::Board => Screen::Board,
            Route::Reports => Screen::Reports,
        }
    }

    /// The first screen of a navigation entry.
    pub fn of_screen(screen: Screen) -> Route {
        match screen {
            Screen::Queue => Route::Queue,
            Screen::Customers => Route::Customers,
            Screen::Fields => Route::Fields,
            Screen::Board => Route::Board,
            Screen::Reports => Route::Reports,
            Screen::Settings => Route::Settings,
        }
    }
}
