//! A word index for search-as-you-type (T11): each word of each document points at the documents
//! holding it, so a query looks up the words it starts with instead of reading every document.
//!
//! Documents are numbered slots (0, 1, 2, ...). Setting a slot's text again replaces only the
//! words that changed, so the index follows edits one change record at a time.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

/// Words longer than this are indexed by their start only: long tokens (links, encoded data)
/// would fill the vocabulary without ever being typed in full.
const MAX_WORD: usize = 32;

/// A word held by more slots than this keeps them as a bit set rather than a list: smaller from
/// about 1 slot in 32, and merged 64 slots at a time, which is what makes a common prefix fast.
#[cfg(not(test))]
const MANY: usize = 4096;
/// Small in unit tests, so both ways of keeping a word's slots are exercised.
#[cfg(test)]
const MANY: usize = 3;

/// About how many distinct words a task's text holds: checking a task's own words costs about
/// this many lookups, against one per posting for merging a word's postings.
const WORDS_PER_TASK: usize = 24;

/// Per ASCII byte: 0 between words, else [`LOWER`] (a lowercase letter or a digit) or [`UPPER`].
const ASCII_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        class[b] = if byte.is_ascii_uppercase() {
            UPPER
        } else if byte.is_ascii_alphanumeric() {
            LOWER
        } else {
            0
        };
        b += 1;
    }
    class
};
const LOWER: u8 = 1;
const UPPER: u8 = 2;

/// The words of a text as the index sees them: lowercase runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    runs(text).map(|w| fold(w, &mut String::new()).to_string())
}

/// The runs of letters and digits of a text, as written.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// A run as the index keeps it (lowercase, at most `MAX_WORD` characters), written into `buf`:
/// indexing 100,000 tasks reads millions of words, and most are already known, so none of them
/// needs a string of its own.
fn fold<'b>(run: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if run.is_ascii() {
        buf.push_str(run);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&run.to_lowercase());
    }
    // A word of at most MAX_WORD bytes has at most as many characters: most words need no count.
    let cut = if buf.len() <= MAX_WORD { buf.len() } else { buf.char_indices().nth(MAX_WORD).map_or(buf.len(), |(cut, _)| cut) };
    &buf[..cut]
}

/// The words of a query, each to be found at the start of a word: what [`TextIndex::find`] looks
/// up, and what [`Prefixes::found_in`] checks a single text for, with the same answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefixes(Vec<String>);

impl Prefixes {
    /// The query's words, leaving out any that starts another ("ro router" narrows as "router"
    /// does); `None` when it has none.
    pub fn of(query: &str) -> Option<Prefixes> {
        let mut all: Vec<String> = words(query).collect();
        all.sort();
        all.dedup();
        let kept: Vec<String> = all.iter().filter(|p| !all.iter().any(|o| o != *p && o.starts_with(p.as_str()))).cloned().collect();
        (!kept.is_empty()).then_some(Prefixes(kept))
    }

    /// Whether every prefix starts a word of `text`, exactly when an index holding `text` would
    /// find it: how a search is answered before the index is built.
    pub fn found_in(&self, text: &str) -> bool {
        if text.is_ascii() {
            // The words of an ASCII text are ASCII: a prefix with other letters starts none.
            self.0.iter().all(|p| p.is_ascii() && starts_an_ascii_word(text.as_bytes(), p.as_bytes()))
        } else {
            let mut buf = String::new();
            let starts = |run: &str, p: &str, buf: &mut String| {
                // Most runs of such a text are ASCII still: those are compared without `fold`'s copy.
                if run.is_ascii() {
                    run.len() >= p.len() && run.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
                } else {
                    fold(run, buf).starts_with(p)
                }
            };
            self.0.iter().all(|p| runs(text).any(|run| starts(run, p, &mut buf)))
        }
    }
}

/// Whether `prefix` (lowercase letters and digits, at most [`MAX_WORD`] of them) starts a word of
/// `text`, in any case: the index's words are the text's runs lowered and cut at [`MAX_WORD`].
fn starts_an_ascii_word(text: &[u8], prefix: &[u8]) -> bool {
    let Some((&first, rest)) = prefix.split_first() else { return true };
    let Some(last) = text.len().checked_sub(prefix.len()) else { return false };
    let mut from = 0;
    // The first letter's places, in either case, then each checked: most bytes are not it.
    while let Some(found) = text.get(from..=last).and_then(|t| memchr::memchr2(first, first.to_ascii_uppercase(), t)) {
        let at = from + found;
        if (at == 0 || ASCII_CLASS[usize::from(text[at - 1])] == 0) && text[at + 1..at + prefix.len()].eq_ignore_ascii_case(rest) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// A set of slots, one bit each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlotSet {
    bits: Vec<u64>,
}

impl SlotSet {
    fn with_capacity(slots: usize) -> Self {
        SlotSet { bits: vec![0; slots.div_ceil(64)] }
    }

    fn insert(&mut self, slot: u32) {
        let (word, bit) = (slot as usize / 64, slot % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << bit;
    }

    /// Keeps the slots `keep` says yes to.
    fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        for (i, w) in self.bits.iter_mut().enumerate() {
            let mut rest = *w;
            while rest != 0 {
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                if !keep(i as u32 * 64 + bit) {
                    *w &= !(1u64 << bit);
                }
            }
        }
    }

    fn remove(&mut self, slot: u32) {
        if let Some(w) = self.bits.get_mut(slot as usize / 64) {
            *w &= !(1u64 << (slot % 64));
        }
    }

    fn union_with(&mut self, other: &SlotSet) {
        if other.bits.len() > self.bits.len() {
            self.bits.resize(other.bits.len(), 0);
        }
        for (w, o) in self.bits.iter_mut().zip(&other.bits) {
            *w |= o;
        }
    }

    fn intersect(&mut self, other: &SlotSet) {
        for (i, w) in self.bits.iter_mut().enumerate() {
            *w &= other.bits.get(i).copied().unwrap_or(0);
        }
    }

    /// Whether the slot is in the set.
    pub fn contains(&self, slot: u32) -> bool {
        self.bits.get(slot as usize / 64).is_some_and(|w| w & (1 << (slot % 64)) != 0)
    }

    /// How many slots the set holds.
    pub fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|w| *w == 0)
    }

    /// The slots, highest first (the newest documents, when slots are given out in order).
    pub fn iter_desc(&self) -> Descending<'_> {
        Descending { bits: &self.bits, word: self.bits.len(), rest: 0 }
    }

    /// Every slot, highest first, in one allocation of the right size.
    pub fn to_vec_desc(&self) -> Vec<u32> {
        let mut out = vec![0; self.len()];
        // Each word's slots go into a piece of `out` exactly its size, so the writes need no
        // bounds checks: this runs once per match, tens of thousands of times a keystroke.
        let mut rest = out.as_mut_slice();
        for (i, &w) in self.bits.iter().enumerate().rev() {
            let (here, after) = rest.split_at_mut(w.count_ones() as usize);
            let base = i as u32 * 64;
            // Lowest bit first into the piece's end: clearing the lowest bit needs no count.
            let mut bits = w;
            for out in here.iter_mut().rev() {
                *out = base + bits.trailing_zeros();
                bits &= bits - 1;
            }
            rest = after;
        }
        out
    }
}

/// The slots of a [`SlotSet`], highest first.
pub struct Descending<'a> {
    bits: &'a [u64],
    /// Index of the word `rest` came from.
    word: usize,
    /// The bits of that word not yet given out.
    rest: u64,
}

impl Iterator for Descending<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.rest == 0 {
            self.word = self.word.checked_sub(1)?;
            self.rest = self.bits[self.word];
        }
        let bit = 63 - self.rest.leading_zeros();
        self.rest &= !(1u64 << bit);
        Some(self.word as u32 * 64 + bit)
    }
}

/// The slots holding one word: a sorted list while few, a bit set once [`MANY`].
#[derive(Clone, Debug)]
enum Postings {
    List(Vec<u32>),
    Bits { set: SlotSet, count: usize },
}

impl Default for Postings {
    fn default() -> Self {
        Postings::List(Vec::new())
    }
}

impl Postings {
    fn len(&self) -> usize {
        match self {
            Postings::List(list) => list.len(),
            Postings::Bits { count, .. } => *count,
        }
    }

    fn insert(&mut self, slot: u32) {
        match self {
            Postings::List(list) => {
                match list.last() {
                    Some(&last) if last >= slot => {
                        if let Err(at) = list.binary_search(&slot) {
                            list.insert(at, slot);
                        }
                    }
                    _ => list.push(slot),
                }
                if list.len() > MANY {
                    let mut set = SlotSet::default();
                    list.iter().for_each(|&s| set.insert(s));
                    *self = Postings::Bits { set, count: list.len() };
                }
            }
            Postings::Bits { set, count } => {
                if !set.contains(slot) {
                    set.insert(slot);
                    *count += 1;
                }
            }
        }
    }

    fn remove(&mut self, slot: u32) {
        match self {
            Postings::List(list) => {
                if let Ok(at) = list.binary_search(&slot) {
                    list.remove(at);
                }
            }
            Postings::Bits { set, count } => {
                if set.contains(slot) {
                    set.remove(slot);
                    *count -= 1;
                }
            }
        }
    }

    /// Adds these slots to `found`.
    fn add_to(&self, found: &mut SlotSet) {
        match self {
            Postings::List(list) => list.iter().for_each(|&s| found.insert(s)),
            Postings::Bits { set, .. } => found.union_with(set),
        }
    }
}

/// The index: vocabulary in order (so every word starting with a prefix is one range), and for
/// each word the sorted slots that hold it.
#[derive(Clone, Debug, Default)]
pub struct TextIndex {
    vocabulary: BTreeMap<Box<str>, u32>,
    /// The same words, hashed: indexing looks up every word of every text, and a B-tree of
    /// 100,000 words costs dozens of string comparisons a lookup (two thirds of a whole build).
    known: HashMap<Box<str>, u32, foldhash::fast::RandomState>,
    postings: Vec<Postings>,
    spelling: Vec<Box<str>>,
    free_words: Vec<u32>,
    /// Words known but not yet placed in `vocabulary` (see [`Self::fill`]).
    unordered: Vec<u32>,
    slot_words: Vec<Vec<u32>>,
    /// Where [`Self::set`] gathers a text's words.
    scratch: Vec<u32>,
}

impl TextIndex {
    /// An empty index.
    pub fn new() -> Self {
        TextIndex::default()
    }

    /// How many slots have been used.
    pub fn slots(&self) -> usize {
        self.slot_words.len()
    }

    /// How many distinct words are indexed.
    pub fn vocabulary_len(&self) -> usize {
        self.vocabulary.len() + self.unordered.len()
    }

    /// Makes `text` the slot's text, replacing what it held; an empty text takes the slot out of every search.
    pub fn set(&mut self, slot: u32, text: &str) {
        self.fill(slot, text);
        self.settle();
    }

    /// [`Self::set`], leaving the new words' place in the ordered vocabulary to [`Self::settle`]:
    /// filling a whole index met 100,000 new words, and ordering them once at the end costs far
    /// less than placing each in a B-tree as it comes (a search finds them meanwhile, slower).
    pub fn fill(&mut self, slot: u32, text: &str) {
        let mut buf = String::new();
        // Gathered in a list kept between calls, then copied once at its size: a task's word
        // list grown one word at a time was reallocated several times, 100,000 times a build.
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        if text.is_ascii() {
            // Most texts: the runs found and lowered a byte at a time, as `runs` and `fold` do.
            let bytes = text.as_bytes();
            let mut at = 0;
            while at < bytes.len() {
                while at < bytes.len() && ASCII_CLASS[usize::from(bytes[at])] == 0 {
                    at += 1;
                }
                let (start, mut classes) = (at, 0);
                while at < bytes.len() && ASCII_CLASS[usize::from(bytes[at])] != 0 {
                    classes |= ASCII_CLASS[usize::from(bytes[at])];
                    at += 1;
                }
                if start < at {
                    // Most words are written in lowercase already: those are looked up as they
                    // are, without `fold`'s copy.
                    let id = if classes & UPPER != 0 { self.word_id(fold(&text[start..at], &mut buf)) } else { self.word_id(&text[start..at.min(start + MAX_WORD)]) };
                    scratch.push(id);
                }
            }
        } else {
            scratch.extend(runs(text).map(|w| self.word_id(fold(w, &mut buf))));
        }
        scratch.sort_unstable();
        scratch.dedup();
        let ids = scratch.clone();
        self.scratch = scratch;
        let index = slot as usize;
        if index >= self.slot_words.len() {
            self.slot_words.resize_with(index + 1, Vec::new);
        }
        let old = std::mem::take(&mut self.slot_words[index]);
        for &w in old.iter().filter(|w| ids.binary_search(w).is_err()) {
            self.postings[w as usize].remove(slot);
        }
        for &w in ids.iter().filter(|w| old.binary_search(w).is_err()) {
            self.postings[w as usize].insert(slot);
        }
        for &w in &old {
            if self.postings[w as usize].len() == 0 && ids.binary_search(&w).is_err() {
                self.forget_word(w);
            }
        }
        self.slot_words[index] = ids;
    }

    fn word_id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.known.get(word) {
            return id;
        }
        let word: Box<str> = Box::from(word);
        let id = match self.free_words.pop() {
            Some(id) => {
                self.spelling[id as usize] = word.clone();
                id
            }
            None => {
                self.postings.push(Postings::default());
                self.spelling.push(word.clone());
                (self.postings.len() - 1) as u32
            }
        };
        self.known.insert(word, id);
        self.unordered.push(id);
        id
    }

    /// Places the words met since the last call in the ordered vocabulary.
    pub fn settle(&mut self) {
        let words = self.unordered.drain(..).map(|id| (self.spelling[id as usize].clone(), id));
        if self.vocabulary.is_empty() {
            // Built from a sorted list at once, rather than by a B-tree insert per word.
            self.vocabulary = words.collect();
        } else {
            self.vocabulary.extend(words);
        }
    }

    fn forget_word(&mut self, id: u32) {
        if self.vocabulary.remove(&self.spelling[id as usize]).is_none() {
            self.unordered.retain(|&w| w != id);
        }
        self.known.remove(&self.spelling[id as usize]);
        self.spelling[id as usize] = Box::from("");
        // An emptied bit set still holds its memory; the next word starts as a list.
        self.postings[id as usize] = Postings::default();
        self.free_words.push(id);
    }

    /// The slots holding, for every word of the query, a word that starts with it; `None` when
    /// the query has no words (nothing to narrow by).
    pub fn search(&self, query: &str) -> Option<SlotSet> {
        Prefixes::of(query).map(|prefixes| self.find(&prefixes))
    }

    /// The slots holding, for every prefix, a word that starts with it.
    pub fn find(&self, prefixes: &Prefixes) -> SlotSet {
        self.find_weighing(prefixes, WORDS_PER_TASK)
    }

    /// [`Self::find`], checking a slot's own words when that costs less than merging postings,
    /// at `words_per_task` lookups per slot (tests force either way).
    fn find_weighing(&self, prefixes: &Prefixes, words_per_task: usize) -> SlotSet {
        // Each prefix's words, and how many postings they hold: the rarest narrows first, and a
        // common one ("r", "order") then checks the few tasks left instead of merging its postings.
        let mut terms: Vec<(usize, Vec<u32>)> = prefixes
            .0
            .iter()
            .map(|prefix| {
                let ordered = self.vocabulary.range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded)).take_while(|(w, _)| w.starts_with(prefix.as_str())).map(|(_, &id)| id);
                let unordered = self.unordered.iter().copied().filter(|&id| self.spelling[id as usize].starts_with(prefix.as_str()));
                let ids: Vec<u32> = ordered.chain(unordered).collect();
                (ids.iter().map(|&id| self.postings[id as usize].len()).sum(), ids)
            })
            .collect();
        terms.sort_by_key(|(postings, _)| *postings);
        let mut terms = terms.into_iter();
        let Some((_, first)) = terms.next() else { return SlotSet::with_capacity(0) };
        let mut result = self.union(&first);
        for (postings, mut ids) in terms {
            if result.len().saturating_mul(words_per_task) < postings {
                ids.sort_unstable();
                result.retain(|slot| self.slot_words[slot as usize].iter().any(|w| ids.binary_search(w).is_ok()));
            } else {
                result.intersect(&self.union(&ids));
            }
        }
        result
    }

    /// Every slot holding one of the words.
    fn union(&self, ids: &[u32]) -> SlotSet {
        let mut found = SlotSet::with_capacity(self.slots());
        for &id in ids {
            self.postings[id as usize].add_to(&mut found);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slots(set: Option<SlotSet>) -> Vec<u32> {
        let mut v: Vec<u32> = set.map(|s| s.iter_desc().collect()).unwrap_or_default();
        v.reverse();
        v
    }

    #[test]
    fn finds_words_by_their_start_and_needs_every_word() {
        let mut ix = TextIndex::new();
        ix.set(0, "Router restarts every night");
        ix.set(1, "Refund request for order ABC-1234");
        ix.set(2, "Parcel lost; the courier left it at the wrong door");
        assert_eq!(slots(ix.search("r")), [0, 1]);
        assert_eq!(slots(ix.search("REF")), [1]);
        assert_eq!(slots(ix.search("abc-12")), [1]);
        assert_eq!(slots(ix.search("wrong door")), [2]);
        assert_eq!(slots(ix.search("wrong refund")), Vec::<u32>::new());
        assert_eq!(ix.search("  -- "), None);
    }

    #[test]
    fn replacing_a_text_forgets_the_old_words() {
        let mut ix = TextIndex::new();
        ix.set(3, "billing question");
        ix.set(3, "shipping question");
        assert_eq!(slots(ix.search("billing")), Vec::<u32>::new());
        assert_eq!(slots(ix.search("ship question")), [3]);
        ix.set(3, "");
        assert_eq!(slots(ix.search("question")), Vec::<u32>::new());
        assert_eq!(ix.vocabulary_len(), 0, "words nobody holds leave the vocabulary");
    }

    #[test]
    fn long_words_are_found_by_their_start() {
        let mut ix = TextIndex::new();
        let long = "x".repeat(200);
        ix.set(0, &long);
        assert_eq!(slots(ix.search(&long)), [0]);
        assert_eq!(slots(ix.search("xxxx")), [0]);
    }

    /// The plain meaning of a search, read straight off the texts.
    fn scan(texts: &[String], query: &str) -> Option<Vec<u32>> {
        let q: Vec<String> = words(query).collect();
        if q.is_empty() {
            return None;
        }
        Some(
            texts
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    let doc: Vec<String> = words(t).collect();
                    q.iter().all(|p| doc.iter().any(|w| w.starts_with(p.as_str())))
                })
                .map(|(i, _)| i as u32)
                .collect(),
        )
    }

    proptest! {
        /// A set's slots come out highest first and each once, both ways of reading them.
        #[test]
        fn a_set_lists_its_slots_highest_first(slots in proptest::collection::vec(0u32..1000, 0..300)) {
            let mut set = SlotSet::default();
            slots.iter().for_each(|&s| set.insert(s));
            let mut expected = slots.clone();
            expected.sort_unstable_by(|a, b| b.cmp(a));
            expected.dedup();
            prop_assert_eq!(set.to_vec_desc(), expected.clone());
            prop_assert_eq!(set.iter_desc().collect::<Vec<_>>(), expected);
        }

        /// After any sequence of edits, the index answers exactly as reading every text would, and
        /// so does checking each text for the query's prefixes (as a search before the index does).
        #[test]
        fn answers_as_a_full_scan_after_any_edits(
            edits in proptest::collection::vec((0u32..12, prop_oneof!["[a-dA-Dé0-9 ,.-]{0,24}", "[a-cA-C]{28,40}( [a-c]{1,3})?"], any::<bool>()), 1..40),
            queries in proptest::collection::vec(prop_oneof!["[a-dA-Dé0-9 -]{0,6}", "[a-cA-C]{28,40}"], 1..8),
        ) {
            let mut ix = TextIndex::new();
            let mut texts: Vec<String> = Vec::new();
            // Some texts are set, some filled (their new words left unordered until settled).
            for (slot, text, set) in &edits {
                if *set { ix.set(*slot, text) } else { ix.fill(*slot, text) }
                if texts.len() <= *slot as usize { texts.resize(*slot as usize + 1, String::new()); }
                texts[*slot as usize] = text.clone();
            }
            for q in &queries {
                let checked = Prefixes::of(q).map(|p| (0..texts.len() as u32).filter(|&i| p.found_in(&texts[i as usize])).collect::<Vec<_>>());
                prop_assert_eq!(checked, scan(&texts, q));
            }
            for settled in [false, true] {
                if settled {
                    ix.settle();
                }
                for q in &queries {
                    // Merging postings always, checking tasks' words always, and weighing as searches do.
                    for weight in [0, usize::MAX, WORDS_PER_TASK] {
                        prop_assert_eq!(Prefixes::of(q).map(|p| ix.find_weighing(&p, weight)).map(|s| { let mut v: Vec<u32> = s.iter_desc().collect(); v.reverse(); v }), scan(&texts, q));
                    }
                }
            }
        }
    }
}
