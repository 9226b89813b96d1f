//! Reports (S1): a date range and an SLA target; totals, wait, handle and first-response times,
//! a chart of tasks created and resolved per day drawn as SVG, counts by channel, agent, queue,
//! hashtag and code, and a CSV download. Read from this device's records, so it works offline.

use crate::app::state::use_app;
use chrono::{Duration, NaiveDate, Utc};
use leptos::prelude::*;
use taskdesk_domain::duration::spoken;
use taskdesk_domain::permission::{self, Permission};
use taskdesk_domain::reports::{to_csv, Day, Durations, Report, ReportQuery};

fn minutes(s: f64) -> String {
    spoken((s.max(0.0) * 1000.0) as u64)
}

/// The reports screen.
#[component]
pub fn ReportsView() -> impl IntoView {
    let state = use_app();
    let today = taskdesk_domain::zone::day_of(&*state.zone(), Utc::now());
    let from = RwSignal::new(today - Duration::days(13));
    let to = RwSignal::new(today);
    let target = RwSignal::new(120u64);
    let query = Memo::new(move |_| ReportQuery { from: from.get(), to: to.get().max(from.get()), sla_target_s: target.get() });
    let report = Memo::new(move |_| {
        let q = query.get();
        state.ws.with(|ws| ws.as_ref().map(|w| w.report(&q, &*state.zone())).unwrap_or_default())
    });
    let allowed = move || permission::allows(&state.me_user(), Permission::ViewReports);
    let date_input = move |label: &'static str, value: RwSignal<NaiveDate>| {
        view! {
            <label class="td-inline-field">
                {label}
                <input type="date" prop:value=move || value.get().to_string()
                    on:change=move |ev| {
                        if let Ok(d) = NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") {
                            value.set(d);
                        }
                    } />
            </label>
        }
    };
    let csv_href = move || format!("data:text/csv;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&to_csv(&report.get(), &query.get()))));
    view! {
        <section class="td-page" aria-labelledby="reports-title">
            <div class="td-page-head">
                <h1 id="reports-title">"Reports"</h1>
            </div>
            <Show when=allowed fallback=|| view! { <p role="alert">"You are not allowed to view reports."</p> }>
                <div class="td-filters" role="group" aria-label="Report range">
                    {date_input("From", from)}
                    {date_input("To", to)}
                    <label class="td-inline-field">
                        "SLA target (seconds)"
                        <input type="number" min="1" max="86400" class="td-search td-narrow" prop:value=move || target.get().to_string()
                            on:change=move |ev| {
                                if let Ok(s) = event_target_value(&ev).parse::<u64>() {
                                    target.set(s.clamp(1, 86_400));
                                }
                            } />
                    </label>
                    <a class="td-button" download="taskdesk-report.csv" href=csv_href>"Download CSV"</a>
                </div>
                {move || {
                    let r = report.get();
                    view! { <Summary r=r.clone() target=target.get() /> <DayChart days=r.days.clone() /> <Counts r=r /> }
                }}
            </Show>
        </section>
    }
}

#[component]
fn Summary(r: Report, target: u64) -> impl IntoView {
    let durations = |d: &Durations| if d.count == 0 { "—".to_string() } else { format!("median {}, 90 % within {}", minutes(d.median_s), minutes(d.p90_s)) };
    let share = |(met, all): (usize, usize)| if all == 0 { "—".to_string() } else { format!("{:.0} % ({met} of {all})", met as f64 * 100.0 / all as f64) };
    let sla = share(r.sla);
    view! {
        <dl class="td-stats" aria-label="Totals">
            <div><dt>"Created"</dt><dd>{r.created}</dd></div>
            <div><dt>"Resolved"</dt><dd>{r.resolved}</dd></div>
            <div><dt>{format!("Answered within {}", minutes(target as f64))}</dt><dd>{sla}</dd></div>
            <div><dt>"Wait for an agent"</dt><dd>{durations(&r.wait)}</dd></div>
            <div><dt>"Handle time"</dt><dd>{durations(&r.handle)}</dd></div>
            <div><dt>"First response"</dt><dd>{durations(&r.first_response)}</dd></div>
            <div><dt>"First reply within its queue's target"</dt><dd>{share(r.queue_targets[0])}</dd></div>
            <div><dt>"Resolved within its queue's target"</dt><dd>{share(r.queue_targets[1])}</dd></div>
        </dl>
    }
}

/// Tasks created and resolved per day, as bars.
#[component]
fn DayChart(days: Vec<Day>) -> impl IntoView {
    let (w, h, pad) = (720.0f64, 200.0f64, 24.0f64);
    let most = days.iter().map(|d| d.created.max(d.resolved)).max().unwrap_or(0).max(1) as f64;
    let slot = (w - pad) / days.len().max(1) as f64;
    let bar = (slot / 2.0 - 2.0).max(1.0);
    let label =
        format!("Tasks created and resolved per day: {}", days.iter().map(|d| format!("{} {} created, {} resolved", d.date.format("%d %b"), d.created, d.resolved)).collect::<Vec<_>>().join("; "));
    let aria = label.clone();
    view! {
        <figure class="td-chart">
            <svg viewBox=format!("0 0 {w} {}", h + pad) role="img" aria-label=aria preserveAspectRatio="xMinYMin meet">
                <title>{label}</title>
                <line x1=pad y1=h x2=w y2=h class="td-chart-axis" />
                {days.iter().enumerate().map(|(i, d)| {
                    let x = pad + i as f64 * slot;
                    let hc = d.created as f64 / most * (h - 10.0);
                    let hr = d.resolved as f64 / most * (h - 10.0);
                    let tick = (days.len() <= 16 || i % 2 == 0).then(|| view! { <text x=x + slot / 2.0 y=h + 16.0 class="td-chart-tick" text-anchor="middle">{d.date.format("%d").to_string()}</text> });
                    view! {
                        <rect x=x + 1.0 y=h - hc width=bar height=hc class="td-chart-created" />
                        <rect x=x + 1.0 + bar + 1.0 y=h - hr width=bar height=hr class="td-chart-resolved" />
                        {tick}
                    }
                }).collect_view()}
            </svg>
            <figcaption><span class="td-key td-chart-created"></span>" created "<span class="td-key td-chart-resolved"></span>" resolved, per day"</figcaption>
        </figure>
    }
}

#[component]
fn Counts(r: Report) -> impl IntoView {
    view! {
        <div class="td-count-grid">
            {r.counts.into_iter().map(|(dimension, list)| {
                let id = format!("count-{}", dimension.to_lowercase().replace(' ', "-"));
                let labelled_by = id.clone();
                view! {
                    <section aria-labelledby=labelled_by>
                        <h2 id=id>{format!("By {}", dimension.to_lowercase())}</h2>
                        <div class="td-table-wrap" role="region" aria-label=format!("By {}", dimension.to_lowercase()) tabindex="0"><table class="td-table">
                            <thead><tr><th>{dimension}</th><th>"Tasks"</th></tr></thead>
                            <tbody>
                                {if list.is_empty() { Some(view! { <tr><td colspan="2" class="td-muted">"None in this range."</td></tr> }) } else { None }}
                                {list.into_iter().map(|(name, n)| view! { <tr><th scope="row">{name}</th><td>{n}</td></tr> }).collect_view()}
                            </tbody>
                        </table></div>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}
