//! Search-as-you-type benchmark entry points: the same 100,000 task texts for every engine, and
//! Taskdesk's word index (the one the workspace keeps) built from them and queried in wasm.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use taskdesk_domain::demo::Rng;
use taskdesk_domain::text_index::TextIndex;
use wasm_bindgen::prelude::*;

/// Counts the bytes this module holds, so the index's memory is measured exactly rather than
/// read off the wasm memory's size (which only grows, by 64 KiB pages).
struct Counting;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes currently allocated by this module.
#[wasm_bindgen]
pub fn live_bytes() -> usize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

const FIRST: &[&str] = &["Jana", "Petr", "Maria", "Tomas", "Eva", "Lukas", "Sofia", "David", "Anna", "Jakub", "Lucie", "Martin", "Olga", "Karel", "Ines", "Noah", "Emma", "Liam", "Chloe", "Mateo"];
const LAST: &[&str] =
    &["Novakova", "Svoboda", "Garcia", "Dvorak", "Cerna", "Horak", "Rossi", "Kral", "Muller", "Benes", "Fischer", "Pokorny", "Silva", "Marek", "Kim", "Blaha", "Weber", "Moreau", "Jensen", "Costa"];
const COMPANIES: &[&str] = &["Acme Logistics", "Brightline Dental", "Cobalt Insurance", "Delta Foods", "Evergreen Energy", "Fjord Travel", "Granite Bank", "Harbor Telecom"];
const SUBJECTS: &[&str] = &[
    "Billing question about last invoice",
    "Missed call from customer",
    "Wants to change delivery address",
    "Voicemail: please call back about contract",
    "Refund request for order",
    "Cannot log in to customer portal",
    "Invoice copy needed for accounting",
    "Complaint about late delivery",
    "Tracking number does not work",
    "Question about opening hours",
    "Upgrade plan options",
    "Appointment confirmation reply",
    "Reschedule request by text",
    "Router restarts every night",
    "Follow up on damaged parcel claim",
    "Send contract renewal documents",
    "Password reset link expired",
    "Roaming charges on mobile bill",
    "Cancel subscription at end of term",
    "Direct debit failed",
];
const COMMON: &[&str] = &[
    "the",
    "and",
    "order",
    "please",
    "thank",
    "you",
    "help",
    "account",
    "delivery",
    "parcel",
    "refund",
    "invoice",
    "payment",
    "customer",
    "service",
    "router",
    "internet",
    "mobile",
    "contract",
    "replacement",
    "damaged",
    "late",
    "tracking",
    "number",
    "address",
    "appointment",
    "call",
    "back",
    "today",
    "tomorrow",
    "week",
    "price",
    "plan",
    "upgrade",
    "cancel",
    "problem",
    "still",
    "again",
    "waiting",
    "received",
    "email",
    "message",
    "phone",
    "bill",
    "charge",
    "credit",
    "card",
    "bank",
];
const SYLLABLES: &[&str] = &["ka", "lo", "mi", "ter", "ven", "dor", "sa", "pri", "nu", "bel", "tro", "shi", "gal", "mon", "rei", "fa", "zu", "par", "cen", "lix", "qua", "bro", "den", "sol"];
const QUEUES: &[&str] = &["Billing", "Support", "Sales", "Retention"];
const TAGS: &[&str] = &["#refund", "#vip", "#complaint", "#outage", "#upsell", "#churn-risk", "#billing", "#followup"];

/// A pool of rarer words (product names, places, jargon) so the vocabulary is as wide as real mail's.
fn rare_words(rng: &mut Rng, count: usize) -> Vec<String> {
    (0..count).map(|_| (0..2 + rng.below(3)).map(|_| *rng.pick(SYLLABLES)).collect()).collect()
}

/// `count` task texts as the workspace indexes them: number, subject, description and messages,
/// queue, customer name, company, phone and email, hashtags, a code and an order number.
/// Deterministic from `seed`; common words are far more frequent than rare ones, as in real text.
pub fn task_texts(count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let rare = rare_words(&mut rng, 20_000);
    (0..count)
        .map(|i| {
            let (first, last) = (*rng.pick(FIRST), *rng.pick(LAST));
            let mut body: Vec<&str> = Vec::new();
            for _ in 0..20 + rng.below(40) {
                body.push(if rng.below(3) == 0 {
                    let u = rng.below(1 << 16) as f64 / 65536.0;
                    rare[(u * u * rare.len() as f64) as usize].as_str()
                } else {
                    *rng.pick(COMMON)
                });
            }
            format!(
                "T-4F2A-{i} {} {} {} {first} {last} {} +420 7{:02} {:03} {:03} {}.{}@example.com {} ORD-{} {}",
                rng.pick(SUBJECTS),
                body.join(" "),
                rng.pick(QUEUES),
                rng.pick(COMPANIES),
                rng.below(100),
                rng.below(1000),
                rng.below(1000),
                first.to_lowercase(),
                last.to_lowercase(),
                rng.pick(TAGS),
                1000 + rng.below(9000),
                if rng.below(5) == 0 { "SALE" } else { "" },
            )
        })
        .collect()
}

/// The bench's task texts, for every engine.
#[wasm_bindgen]
pub fn documents(count: usize, seed: u64) -> Vec<String> {
    task_texts(count, seed)
}

/// Taskdesk's index over the bench texts.
#[wasm_bindgen]
pub struct OurSearch {
    index: TextIndex,
    /// The last search's matches, kept where the app's list reads them: in wasm memory.
    matches: Vec<u32>,
}

#[wasm_bindgen]
impl OurSearch {
    /// Indexes the texts, slot `i` for text `i`, as the app builds its index: filled, then settled.
    #[wasm_bindgen(constructor)]
    pub fn new(texts: Vec<String>) -> OurSearch {
        let mut index = TextIndex::new();
        for (slot, text) in texts.iter().enumerate() {
            index.fill(slot as u32, text);
        }
        index.settle();
        OurSearch { index, matches: Vec::new() }
    }

    /// Lists every matching text's slot, newest first, in wasm memory as the app's queue walks
    /// them (all of them, as the list needs its count and sorts them); returns how many.
    pub fn search(&mut self, query: &str) -> usize {
        self.matches = self.index.search(query).map(|set| set.to_vec_desc()).unwrap_or_default();
        self.matches.len()
    }

    /// The same matches copied out into a JS array, as a JS caller would need them.
    pub fn search_to_js(&self, query: &str) -> Vec<u32> {
        self.index.search(query).map(|set| set.to_vec_desc()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_texts_are_the_same_for_a_seed_and_varied() {
        let a = task_texts(200, 7);
        assert_eq!(a, task_texts(200, 7));
        let mut ix = TextIndex::new();
        for (i, t) in a.iter().enumerate() {
            ix.set(i as u32, t);
        }
        assert!(ix.vocabulary_len() > 1000, "a realistic vocabulary, got {}", ix.vocabulary_len());
        let novakova = ix.search("novakova").map_or(0, |s| s.len());
        assert!(novakova > 0 && novakova < 40, "a surname narrows to a few tasks, got {novakova}");
    }
}
