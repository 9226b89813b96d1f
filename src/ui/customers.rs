//! The customer list with search by name, phone or email.

use crate::app::state::use_app;
use crate::app::Route;
use leptos::prelude::*;

/// The Customers screen.
#[component]
pub fn CustomerList() -> impl IntoView {
    let state = use_app();
    let search = RwSignal::new(String::new());
    let rows = Memo::new(move |_| {
        let needle = search.get();
        state.ws.with(|ws| {
            ws.as_ref()
                .map(|w| {
                    w.customers_by_name()
                        .into_iter()
                        .filter(|c| c.matches_text(&needle))
                        .map(|c| (c.id, c.name.clone(), c.company.clone(), c.phones.join(", "), c.emails.join(", "), w.tasks_of_customer(c.id).len()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <section class="td-page" aria-labelledby="customers-title">
            <div class="td-page-head">
                <h1 id="customers-title">"Customers"</h1>
                <button type="button" class="td-button td-primary" on:click=move |_| state.navigate(Route::NewCustomer(None))>"New customer"</button>
            </div>
            <div class="td-filters">
                <input
                    type="search"
                    class="td-search"
                    aria-label="Search customers"
                    placeholder="Name, phone or email"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </div>
            <p class="td-muted" role="status">{move || format!("{} customers", rows.with(Vec::len))}</p>
            <div class="td-table-wrap" role="region" aria-label="Customers" tabindex="0">
                <table class="td-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Company"</th>
                            <th scope="col">"Phone"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Tasks"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|r| r.clone() let:r>
                            {
                                let (id, name, company, phones, emails, tasks) = r;
                                view! {
                                    <tr class="td-row" tabindex="0" on:click=move |_| state.navigate(Route::Customer(id)) on:keydown=move |ev| if ev.key() == "Enter" { state.navigate(Route::Customer(id)) }>
                                        <td>
                                            <a href=Route::Customer(id).path() on:click=move |ev| ev.prevent_default()>{name}</a>
                                        </td>
                                        <td>{company}</td>
                                        <td>{phones}</td>
                                        <td>{emails}</td>
                                        <td>{tasks}</td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
