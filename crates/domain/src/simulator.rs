//! The simulated contact center (R5): calls, emails, chats, SMS and campaign calls arriving at
//! configurable rates, with realistic contacts, content and call outcomes, deterministic from a
//! seed. It only produces interaction events; they enter the workspace through
//! [`Workspace::ingest`](crate::workspace::Workspace::ingest) like a real backend's.

use crate::demo::Rng;
use crate::interaction::{Interaction, InteractionKind};
use crate::routing::Millis;
use crate::task::CallOutcome;
use serde::{Deserialize, Serialize};

/// The kinds of traffic, in the order of [`SimSettings::per_hour`].
pub const TRAFFIC: [&str; 5] = ["Calls", "Emails", "Chats", "SMS", "Campaign calls"];

/// How busy the simulated center is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimSettings {
    /// The same seed replays the same traffic.
    pub seed: u64,
    /// Arrivals per hour of calls, emails, chats, SMS and campaign calls.
    pub per_hour: [u32; 5],
    /// Time runs this many times faster than the clock on the wall (arrivals and handling).
    pub speed: u32,
}

impl Default for SimSettings {
    fn default() -> Self {
        SimSettings { seed: 2026, per_hour: [60, 40, 50, 30, 30], speed: 1 }
    }
}

/// Someone the traffic can come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Phone number.
    pub phone: String,
    /// Email address.
    pub email: String,
}

/// The traffic generator.
#[derive(Clone, Debug)]
pub struct Simulator {
    rng: Rng,
    settings: SimSettings,
    next: [Option<Millis>; 5],
    count: u64,
}

const TOPICS: &[(&str, &str, &str)] = &[
    ("Billing", "Invoice total looks wrong", "My last invoice is higher than my plan. Can you check the extra charges?"),
    ("Billing", "Direct debit failed", "The bank says the direct debit was refused. How do I pay this month?"),
    ("Support", "Router keeps restarting", "The router restarts every evening and the internet drops for ten minutes."),
    ("Support", "Cannot log in to the portal", "The password reset link has expired twice. I still cannot log in."),
    ("Sales", "Upgrade to the faster plan", "I work from home now and would like a faster plan. What are the options?"),
    ("Sales", "Quote for a second line", "We need a second line for the office. Could you send a quote?"),
    ("Retention", "Thinking of cancelling", "Another provider offers a lower price. I will cancel unless you can match it."),
    ("Retention", "Contract ends next month", "My contract ends next month. What happens then?"),
];

impl Simulator {
    /// A generator whose first arrivals are scheduled from `start`.
    pub fn new(settings: SimSettings, start: Millis) -> Self {
        let mut sim = Simulator { rng: Rng::new(settings.seed), settings, next: [None; 5], count: 0 };
        for kind in 0..5 {
            sim.next[kind] = sim.gap(kind).map(|g| start + g);
        }
        sim
    }

    /// The settings in use.
    pub fn settings(&self) -> &SimSettings {
        &self.settings
    }

    /// Changes rates or speed; arrivals already due keep their time.
    pub fn set_settings(&mut self, settings: SimSettings, now: Millis) {
        self.settings = settings;
        for kind in 0..5 {
            if self.next[kind].is_none() {
                self.next[kind] = self.gap(kind).map(|g| now + g);
            }
        }
    }

    fn uniform(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Time to the next arrival of a kind: exponential, as independent arrivals are.
    fn gap(&mut self, kind: usize) -> Option<Millis> {
        let rate = self.settings.per_hour[kind] as f64 * self.settings.speed.max(1) as f64;
        if rate <= 0.0 {
            return None;
        }
        Some((-self.uniform().ln() * 3_600_000.0 / rate).max(1.0) as Millis)
    }

    /// A handling time around `mean_s` seconds (shortened by the speed), in milliseconds.
    pub fn handle_time(&mut self, mean_s: u64) -> Millis {
        let speed = self.settings.speed.max(1) as f64;
        ((0.5 + self.uniform()) * mean_s as f64 * 1000.0 / speed) as Millis
    }

    /// Whether a colleague takes an offer (most do).
    pub fn accepts(&mut self) -> bool {
        self.rng.below(10) != 0
    }

    /// Every interaction due up to `until`, oldest first, from the known contacts or strangers.
    pub fn due(&mut self, until: Millis, contacts: &[Contact]) -> Vec<(Millis, Interaction)> {
        let mut out = Vec::new();
        while let Some((kind, at)) = self.next.iter().enumerate().filter_map(|(k, n)| n.map(|n| (k, n))).filter(|(_, n)| *n <= until).min_by_key(|(_, n)| *n) {
            self.next[kind] = self.gap(kind).map(|g| at + g);
            out.push((at, self.interaction(kind, contacts)));
        }
        out
    }

    fn interaction(&mut self, kind: usize, contacts: &[Contact]) -> Interaction {
        self.count += 1;
        let (queue, subject, body) = *self.rng.pick(TOPICS);
        let known = !contacts.is_empty() && self.rng.below(4) != 0;
        let contact = match (known, kind) {
            (true, 1) => self.rng.pick(contacts).email.clone(),
            (true, _) => self.rng.pick(contacts).phone.clone(),
            (false, 1) => format!("customer{}@example.net", self.rng.below(10_000)),
            (false, _) => format!("+4207{:08}", self.rng.below(100_000_000)),
        };
        let outcome = |rng: &mut Rng| *rng.pick(&[CallOutcome::Connected, CallOutcome::Connected, CallOutcome::NoAnswer, CallOutcome::Voicemail, CallOutcome::MachineAnswered, CallOutcome::Rejected]);
        let kind = match kind {
            0 => match self.rng.below(6) {
                0 => InteractionKind::Voicemail,
                1 => InteractionKind::WebCallback,
                _ => InteractionKind::CallEnded(outcome(&mut self.rng)),
            },
            1 => InteractionKind::Email { subject: subject.to_string() },
            2 => InteractionKind::Chat,
            3 => InteractionKind::Sms,
            _ => InteractionKind::CampaignCall { campaign: "Winter renewals".into(), outcome: outcome(&mut self.rng) },
        };
        Interaction { id: format!("SIM-{}-{}", self.settings.seed, self.count), kind, contact, body: body.to_string(), queue: Some(queue.to_string()), html: None, source: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contacts() -> Vec<Contact> {
        vec![Contact { phone: "+420777000111".into(), email: "jana@example.com".into() }]
    }

    #[test]
    fn r5_the_same_seed_replays_the_same_traffic() {
        let run = || Simulator::new(SimSettings::default(), 0).due(3_600_000, &contacts());
        let (a, b) = (run(), run());
        assert_eq!(a, b);
        assert!((150..=300).contains(&a.len()), "about 210 arrivals an hour, got {}", a.len());
        let other = Simulator::new(SimSettings { seed: 7, ..SimSettings::default() }, 0).due(3_600_000, &contacts());
        assert_ne!(a, other);
    }

    #[test]
    fn r5_every_kind_and_call_outcome_arrives_and_speed_scales_the_rate() {
        let all = Simulator::new(SimSettings::default(), 0).due(4 * 3_600_000, &contacts());
        for kind in ["Email", "Chat", "Sms", "CampaignCall", "CallEnded(Connected)", "CallEnded(MachineAnswered)", "CallEnded(Rejected)", "Voicemail", "WebCallback"] {
            assert!(all.iter().any(|(_, ix)| format!("{:?}", ix.kind).starts_with(kind)), "no {kind}");
        }
        assert!(all.windows(2).all(|w| w[0].0 <= w[1].0), "oldest first");
        let fast = Simulator::new(SimSettings { speed: 10, ..SimSettings::default() }, 0).due(360_000, &contacts());
        let slow = Simulator::new(SimSettings::default(), 0).due(3_600_000, &contacts());
        assert!((fast.len() as i64 - slow.len() as i64).abs() < slow.len() as i64 / 3, "ten times the speed, a tenth of the time: {} and {}", fast.len(), slow.len());
        let none = Simulator::new(SimSettings { per_hour: [0; 5], ..SimSettings::default() }, 0).due(3_600_000, &contacts());
        assert!(none.is_empty());
    }
}
