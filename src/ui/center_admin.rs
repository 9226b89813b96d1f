//! Settings, "Contact center" (R1 to R5): the offer timeout, refusals before a supervisor, the
//! simulated traffic per hour, each agent's skills and capacity, and each queue's requirements
//! and priority. Saved as one settings change; the running center restarts with it.

use crate::app::state::use_app;
use leptos::prelude::*;
use taskdesk_domain::center::{agent_setups, queue_setups};
use taskdesk_domain::center_settings::{parse_skills, skills_text, AgentSetup, CenterSettings, QueueSetup};
use taskdesk_domain::routing::{channel_slot, Capacity};
use taskdesk_domain::simulator::TRAFFIC;
use taskdesk_domain::sla::MAX_TARGET_MIN;
use taskdesk_domain::{Channel, UserId};

const CAPACITY_CHANNELS: [Channel; 4] = [Channel::Call, Channel::Email, Channel::Chat, Channel::Sms];

/// One agent's row as typed.
#[derive(Clone)]
struct AgentRow {
    user: UserId,
    name: String,
    skills: RwSignal<String>,
    capacity: [RwSignal<String>; 4],
    blocks: RwSignal<bool>,
}

/// One queue's row as typed.
#[derive(Clone)]
struct QueueRow {
    name: String,
    requirements: RwSignal<String>,
    priority: RwSignal<String>,
    first_reply: RwSignal<String>,
    resolution: RwSignal<String>,
    ladder: String,
}

fn number(label: &str, text: &str, max: u32) -> Result<u32, String> {
    text.trim().parse::<u32>().ok().filter(|n| *n <= max).ok_or_else(|| format!("{label} must be a whole number from 0 to {max}."))
}

/// The contact center's set-up form.
#[component]
pub fn CenterSetup() -> impl IntoView {
    let state = use_app();
    let (setup, agents, queues) = state.ws.with_untracked(|ws| {
        let Some(w) = ws else { return (CenterSettings::default(), Vec::new(), Vec::new()) };
        let queues = queue_setups(w).into_iter().map(|q| (w.sla_targets(&q.name).unwrap_or_default(), q)).collect::<Vec<_>>();
        (w.config.center.clone(), agent_setups(w), queues)
    });
    let timeout = RwSignal::new(setup.offer_timeout_s.to_string());
    let refusals = RwSignal::new(setup.refusal_limit.to_string());
    let traffic: Vec<RwSignal<String>> = setup.traffic_per_hour.iter().map(|r| RwSignal::new(r.to_string())).collect();
    let agents: Vec<AgentRow> = agents
        .into_iter()
        .map(|(u, skills, cap)| AgentRow {
            user: u.id,
            name: u.name,
            skills: RwSignal::new(skills_text(&skills)),
            capacity: CAPACITY_CHANNELS.map(|c| RwSignal::new(cap.of(c).to_string())),
            blocks: RwSignal::new(cap.call_blocks_written),
        })
        .collect();
    let queues: Vec<QueueRow> = queues
        .into_iter()
        .map(|((first, resolve), q)| QueueRow {
            name: q.name.clone(),
            requirements: RwSignal::new(skills_text(&q.requirements)),
            priority: RwSignal::new(q.priority.to_string()),
            first_reply: RwSignal::new(first.to_string()),
            resolution: RwSignal::new(resolve.to_string()),
            ladder: q.ladder.iter().map(|s| format!("after {} s: {}", s.after_ms / 1000, s.relax.describe())).collect::<Vec<_>>().join("; "),
        })
        .collect();
    let problem = RwSignal::new(String::new());
    let (agent_rows, queue_rows, traffic_inputs) = (agents.clone(), queues.clone(), traffic.clone());
    let read = move || -> Result<CenterSettings, String> {
        let mut per_hour = [0u32; 5];
        for (i, t) in traffic.iter().enumerate() {
            per_hour[i] = number(TRAFFIC[i], &t.get_untracked(), 10_000)?;
        }
        let agents = agent_rows
            .iter()
            .map(|a| {
                let skills = parse_skills(&a.skills.get_untracked()).map_err(|e| format!("{}: {e}", a.name))?;
                let mut per_channel = [0u8; 6];
                for (i, c) in CAPACITY_CHANNELS.iter().enumerate() {
                    per_channel[channel_slot(*c)] = number(&format!("{}'s {} capacity", a.name, c.label().to_lowercase()), &a.capacity[i].get_untracked(), 9)? as u8;
                }
                Ok(AgentSetup { user: a.user, skills, capacity: Capacity { per_channel, call_blocks_written: a.blocks.get_untracked() } })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let queues = queue_rows
            .iter()
            .map(|q| {
                let requirements = parse_skills(&q.requirements.get_untracked()).map_err(|e| format!("{}: {e}", q.name))?;
                Ok(QueueSetup {
                    name: q.name.clone(),
                    requirements,
                    priority: number(&format!("The priority of {}", q.name), &q.priority.get_untracked(), 9)? as u8,
                    first_response_min: number(&format!("The first reply target of {}", q.name), &q.first_reply.get_untracked(), MAX_TARGET_MIN)?,
                    resolution_min: number(&format!("The resolution target of {}", q.name), &q.resolution.get_untracked(), MAX_TARGET_MIN)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(CenterSettings {
            offer_timeout_s: number("The offer timeout", &timeout.get_untracked(), 600)?,
            refusal_limit: number("Refusals before a supervisor", &refusals.get_untracked(), 20)?,
            traffic_per_hour: per_hour,
            agents,
            queues,
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let outcome = read().and_then(|s| state.run(|ws, me, now| ws.set_center_settings(me, s, now)).map_err(|e| e.to_string()));
        match outcome {
            Ok(_) => {
                problem.set(String::new());
                state.tell("Contact center set-up saved.", false);
            }
            Err(e) => problem.set(e),
        }
    };
    let text_input = |label: String, value: RwSignal<String>, class: &'static str| {
        view! { <input type="text" class=class aria-label=label prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) /> }
    };
    view! {
        <section aria-labelledby="center-title">
            <h2 id="center-title">"Contact center"</h2>
            <form class="td-center-setup" on:submit=save>
                <div class="td-filters">
                    <label class="td-inline-field">"Offer timeout (seconds)" {text_input("Offer timeout (seconds)".into(), timeout, "td-search td-narrow")}</label>
                    <label class="td-inline-field">"Refusals before a supervisor" {text_input("Refusals before a supervisor".into(), refusals, "td-search td-narrow")}</label>
                </div>
                <fieldset class="td-filters">
                    <legend>"Simulated traffic per hour"</legend>
                    {traffic_inputs.into_iter().enumerate().map(|(i, t)| view! {
                        <label class="td-inline-field">{TRAFFIC[i]} {text_input(format!("{} per hour", TRAFFIC[i]), t, "td-search td-narrow")}</label>
                    }).collect_view()}
                </fieldset>
                <div class="td-table-wrap" role="region" aria-label="Agents' skills and capacity" tabindex="0"><table class="td-table">
                    <caption>"Agents: skills (for example “billing 4, tech 3”, levels 1 to 5) and how much at once"</caption>
                    <thead><tr><th>"Agent"</th><th>"Skills"</th><th>"Calls"</th><th>"Emails"</th><th>"Chats"</th><th>"SMS"</th><th>"A call blocks written work"</th></tr></thead>
                    <tbody>
                        {agents.into_iter().map(|a| {
                            let name = a.name.clone();
                            view! {
                                <tr>
                                    <th scope="row">{a.name.clone()}</th>
                                    <td>{text_input(format!("{name}: skills"), a.skills, "td-search")}</td>
                                    {CAPACITY_CHANNELS.iter().enumerate().map(|(i, c)| view! {
                                        <td>{text_input(format!("{name}: {} at once", c.label().to_lowercase()), a.capacity[i], "td-search td-tiny")}</td>
                                    }).collect_view()}
                                    <td><input type="checkbox" aria-label=format!("{name}: a call blocks written work") prop:checked=move || a.blocks.get() on:change=move |ev| a.blocks.set(event_target_checked(&ev)) /></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
                <div class="td-table-wrap" role="region" aria-label="Queues' skills and priority" tabindex="0"><table class="td-table">
                    <caption>"Queues: skills their tasks need, priority (0 to 9, higher first) and service-level targets in minutes (0 for none)"</caption>
                    <thead><tr><th>"Queue"</th><th>"Needs"</th><th>"Priority"</th><th>"First reply"</th><th>"Resolution"</th><th>"Escalation"</th></tr></thead>
                    <tbody>
                        {queues.into_iter().map(|q| {
                            let name = q.name.clone();
                            view! {
                                <tr>
                                    <th scope="row">{q.name.clone()}</th>
                                    <td>{text_input(format!("{name}: needs"), q.requirements, "td-search")}</td>
                                    <td>{text_input(format!("{name}: priority"), q.priority, "td-search td-tiny")}</td>
                                    <td>{text_input(format!("{name}: first reply within (minutes)"), q.first_reply, "td-search td-narrow")}</td>
                                    <td>{text_input(format!("{name}: resolution within (minutes)"), q.resolution, "td-search td-narrow")}</td>
                                    <td class="td-muted">{q.ladder}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
                <p class="td-field-error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="td-button td-primary">"Save contact center set-up"</button>
            </form>
        </section>
    }
}
