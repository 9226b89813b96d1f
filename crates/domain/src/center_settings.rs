//! How the contact center is set up (R1, R2, R3, R5), kept in the settings record so it syncs:
//! each agent's skills and capacity, each queue's requirements and priority, the offer timeout,
//! the refusal limit and the simulated traffic's rates. Empty lists mean the demo's set-up.

use crate::change::Change;
use crate::config::Config;
use crate::ids::UserId;
use crate::permission::Permission;
use crate::routing::{Capacity, SkillLevel, DEFAULT_OFFER_TIMEOUT_MS, DEFAULT_REFUSAL_LIMIT, PROFICIENCY};
use crate::user::User;
use crate::workspace::{DomainError, Workspace};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One agent's routing set-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSetup {
    /// The agent.
    pub user: UserId,
    /// Skills with proficiency.
    pub skills: Vec<SkillLevel>,
    /// Work at once per channel.
    pub capacity: Capacity,
}

/// One queue's routing set-up (its escalation ladder stays the demo's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueSetup {
    /// The queue's name.
    pub name: String,
    /// Skills its tasks need.
    pub requirements: Vec<SkillLevel>,
    /// 0 to 9, higher first.
    pub priority: u8,
    /// Minutes to the first reply on written work (SLA); 0 for no target.
    #[serde(default = "crate::sla::default_first_response_min")]
    pub first_response_min: u32,
    /// Minutes to resolution (SLA); 0 for no target.
    #[serde(default = "crate::sla::default_resolution_min")]
    pub resolution_min: u32,
}

/// The contact center's set-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CenterSettings {
    /// Seconds an offer waits for an answer.
    pub offer_timeout_s: u32,
    /// Refusals after which a task waits for a supervisor.
    pub refusal_limit: u32,
    /// Simulated arrivals per hour: calls, emails, chats, SMS, campaign calls.
    pub traffic_per_hour: [u32; 5],
    /// Agents set up by an admin; others get the demo's skills.
    pub agents: Vec<AgentSetup>,
    /// Queues set up by an admin; empty means the demo's four.
    pub queues: Vec<QueueSetup>,
}

impl Default for CenterSettings {
    fn default() -> Self {
        CenterSettings {
            offer_timeout_s: (DEFAULT_OFFER_TIMEOUT_MS / 1000) as u32,
            refusal_limit: DEFAULT_REFUSAL_LIMIT,
            traffic_per_hour: crate::simulator::SimSettings::default().per_hour,
            agents: Vec::new(),
            queues: Vec::new(),
        }
    }
}

/// Reads skills as people write them: "billing 4, tech:3" (a skill without a level is 3).
pub fn parse_skills(text: &str) -> Result<Vec<SkillLevel>, String> {
    let mut out: Vec<SkillLevel> = Vec::new();
    for part in text.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let (name, level) = match part.rsplit_once([':', ' ']) {
            Some((n, l)) if l.trim().chars().all(|c| c.is_ascii_digit()) && !l.trim().is_empty() => (n.trim(), l.trim()),
            _ => (part, "3"),
        };
        let name = name.trim_end_matches(':').trim().to_lowercase();
        if name.is_empty() || name.chars().count() > 40 || !name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
            return Err(format!("“{}” is not a skill name: use letters, digits, - or _ (at most 40).", part.chars().take(40).collect::<String>()));
        }
        let level: u8 = level.parse().ok().filter(|l| PROFICIENCY.contains(l)).ok_or_else(|| format!("The level of “{name}” must be from 1 to 5."))?;
        if out.iter().any(|s| s.skill == name) {
            return Err(format!("“{name}” is listed twice."));
        }
        out.push(SkillLevel { skill: name, level });
    }
    Ok(out)
}

/// Skills as they are written back: "billing 4, tech 3".
pub fn skills_text(skills: &[SkillLevel]) -> String {
    skills.iter().map(|s| format!("{} {}", s.skill, s.level)).collect::<Vec<_>>().join(", ")
}

/// Checks a set-up; the message says what is out of range.
pub fn check_center(s: &CenterSettings) -> Result<(), String> {
    if !(5..=600).contains(&s.offer_timeout_s) {
        return Err("The offer timeout must be from 5 to 600 seconds.".into());
    }
    if !(1..=20).contains(&s.refusal_limit) {
        return Err("Refusals before a supervisor must be from 1 to 20.".into());
    }
    if s.traffic_per_hour.iter().any(|r| *r > 10_000) {
        return Err("Traffic can be at most 10,000 an hour per kind.".into());
    }
    for a in &s.agents {
        if a.capacity.per_channel.iter().any(|c| *c > 9) {
            return Err("Capacity per channel must be from 0 to 9.".into());
        }
    }
    for q in &s.queues {
        if q.priority > 9 {
            return Err(format!("The priority of {} must be from 0 to 9.", q.name));
        }
        if q.first_response_min > crate::sla::MAX_TARGET_MIN || q.resolution_min > crate::sla::MAX_TARGET_MIN {
            return Err(format!("The targets of {} must be at most {} minutes (30 days).", q.name, crate::sla::MAX_TARGET_MIN));
        }
    }
    Ok(())
}

impl Workspace {
    /// Saves the contact center's set-up (users allowed to manage users); `None` when unchanged.
    pub fn set_center_settings(&mut self, actor: &User, settings: CenterSettings, now: DateTime<Utc>) -> Result<Option<Change>, DomainError> {
        check_center(&settings).map_err(DomainError::Invalid)?;
        let after = Config { center: settings, ..self.config.clone() };
        self.edit_config(actor, Permission::ManageUsers, after, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn r1_skills_read_as_people_write_them() {
        assert_eq!(parse_skills("Billing 4, tech:3; german").unwrap(), vec![SkillLevel::new("billing", 4), SkillLevel::new("tech", 3), SkillLevel::new("german", 3)]);
        assert_eq!(parse_skills("  ").unwrap(), vec![]);
        assert!(parse_skills("billing 7").unwrap_err().contains("1 to 5"));
        assert!(parse_skills("billing 2, billing 3").unwrap_err().contains("twice"));
        assert!(parse_skills("<b>x</b> 2").unwrap_err().contains("not a skill name"));
        assert_eq!(skills_text(&parse_skills("tech 2, sales 5").unwrap()), "tech 2, sales 5");
    }

    #[test]
    fn r3_settings_out_of_range_are_refused() {
        assert!(check_center(&CenterSettings::default()).is_ok());
        assert!(check_center(&CenterSettings { offer_timeout_s: 1, ..CenterSettings::default() }).is_err());
        assert!(check_center(&CenterSettings { refusal_limit: 0, ..CenterSettings::default() }).is_err());
        assert!(check_center(&CenterSettings { traffic_per_hour: [0, 0, 0, 0, 20_000], ..CenterSettings::default() }).is_err());
    }

    proptest! {
        /// Any text gives skills that read back the same, or a plain message.
        #[test]
        fn r1_skill_text_never_panics_and_round_trips(text in prop_oneof!["\\PC{0,60}", "([A-Za-z]{1,8}([ :][0-9])?[,;] ?){0,4}"]) {
            match parse_skills(&text) {
                Ok(skills) => prop_assert_eq!(parse_skills(&skills_text(&skills)).unwrap(), skills),
                Err(message) => prop_assert!(!message.is_empty()),
            }
        }
    }
}
