//! Creating and editing a customer, with inline validation.

use super::fields::{TextArea, TextField};
use crate::app::state::use_app;
use crate::app::Route;
use leptos::prelude::*;
use taskdesk_domain::validate::{validate_customer, CustomerDraft, Problems};
use taskdesk_domain::{Customer, CustomerId};

/// The customer form; `existing` edits a customer, otherwise it creates one, filled in with
/// `contact` (a phone number, or an email address) when a screen pop found nobody.
#[component]
pub fn CustomerForm(existing: Option<CustomerId>, contact: Option<String>) -> impl IntoView {
    let state = use_app();
    let mut base: Customer = existing.and_then(|id| state.ws.with_untracked(|ws| ws.as_ref().and_then(|w| w.customer(id).cloned()))).unwrap_or_default();
    match contact {
        Some(c) if c.contains('@') => base.emails = vec![c],
        Some(c) => base.phones = vec![c],
        None => {}
    }
    // The customer as the form opened it: saving changes only what the person changed from this.
    let opened = base.clone();
    let name = RwSignal::new(base.name.clone());
    let phones = RwSignal::new(base.phones.join(", "));
    let emails = RwSignal::new(base.emails.join(", "));
    let company = RwSignal::new(base.company.clone());
    let notes = RwSignal::new(base.notes.clone());
    let problems = RwSignal::new(Problems::default());
    let error = move |field: &'static str| Signal::derive(move || problems.with(|p| p.for_field(field).map(str::to_string)));
    let back = existing.map_or(Route::Customers, Route::Customer);
    // Customers who already have one of the phones or emails: shown once before saving, so one
    // person does not become two; saving again saves anyway.
    let sharing = RwSignal::new(Vec::<(CustomerId, String)>::new());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = CustomerDraft { name: name.get_untracked(), phones: phones.get_untracked(), emails: emails.get_untracked(), company: company.get_untracked(), notes: notes.get_untracked() };
        let checked = validate_customer(&draft);
        if let Ok(input) = &checked {
            let same = state.ws.with_untracked(|ws| {
                ws.as_ref().map(|w| w.customers_sharing_contact(&input.phones, &input.emails, existing).into_iter().map(|c| (c.id, c.name.clone())).collect::<Vec<_>>()).unwrap_or_default()
            });
            if !same.is_empty() && sharing.get_untracked() != same {
                sharing.set(same);
                return;
            }
        }
        state.submit_form(
            problems,
            checked,
            |ws, me, now, input| match existing {
                Some(id) => ws.update_customer(me, id, input, &opened, now),
                None => ws.create_customer(me, input, now).map(Some),
            },
            |change| existing.or(change.map(|c| CustomerId(c.entity))).map(Route::Customer),
        );
    };
    let title = if existing.is_some() { "Edit customer" } else { "New customer" };
    view! {
        <section class="td-page" aria-labelledby="customer-form-title">
            <h1 id="customer-form-title">{title}</h1>
            <form class="td-form" on:submit=save novalidate>
                <Show when=move || !problems.with(Problems::is_empty)>
                    <p class="td-form-summary" role="alert">"Some fields need attention; nothing was saved."</p>
                </Show>
                <TextField id="customer-name" label="Name" value=name error=error("name") />
                <TextField id="customer-company" label="Company" value=company error=error("company") />
                <TextField id="customer-phones" label="Phone numbers" help="Separate several with commas." value=phones error=error("phones") />
                <TextField id="customer-emails" label="Email addresses" help="Separate several with commas." value=emails error=error("emails") />
                <TextArea id="customer-notes" label="Notes" value=notes error=error("notes") />
                <Show when=move || !sharing.with(Vec::is_empty)>
                    <div class="td-form-summary" role="alert">
                        <p>{move || sharing.with(|s| match s.as_slice() {
                            [(_, name)] => format!("{name} already has this phone number or email address. Open them instead, or save anyway."),
                            more => format!("{} customers already have these phone numbers or email addresses. Open one of them, or save anyway.", more.len()),
                        })}</p>
                        {move || sharing.get().into_iter().map(|(id, name)| view! {
                            <button type="button" class="td-button" on:click=move |_| state.navigate(Route::Customer(id))>{format!("Open {name}")}</button>
                        }).collect_view()}
                    </div>
                </Show>
                <div class="td-form-actions">
                    <button type="submit" class="td-button td-primary">{move || if sharing.with(Vec::is_empty) { "Save" } else { "Save anyway" }}</button>
                    <button type="button" class="td-button" on:click=move |_| state.navigate(back.clone())>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}
