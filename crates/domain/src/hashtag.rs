//! Hashtags (T7): outcome tags typed by agents, normalised so `#Refund` and `refund` are one tag.

use crate::workspace::Workspace;
use std::collections::BTreeMap;

/// Longest tag accepted, without the `#`.
pub const MAX_LEN: usize = 40;

/// Reads hashtags from what an agent typed (`#refund vip, late-delivery`): lowercase, `#`-prefixed,
/// letters, digits, `_` and `-` only; duplicates dropped. Anything else is refused with the reason.
pub fn parse_hashtags(text: &str) -> Result<Vec<String>, String> {
    let mut tags = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';').filter(|t| !t.is_empty()) {
        let word = token.trim_start_matches('#');
        if word.is_empty() {
            return Err("A hashtag needs at least one letter or digit after the #.".into());
        }
        if let Some(bad) = word.chars().find(|c| !(c.is_alphanumeric() || *c == '_' || *c == '-')) {
            let shown: String = token.chars().take(MAX_LEN + 1).collect();
            return Err(format!("“{shown}” cannot be a hashtag: use letters, digits, - or _ (not “{bad}”)."));
        }
        let count = word.chars().count();
        if count > MAX_LEN {
            return Err(format!("A hashtag can be at most {MAX_LEN} characters; one has {count}."));
        }
        let tag = format!("#{}", word.to_lowercase());
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(tags)
}

impl Workspace {
    /// Hashtags already in use on live tasks, most used first: the suggestions agents see.
    pub fn hashtags_in_use(&self) -> Vec<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in self.tasks.values().filter(|t| !t.deleted) {
            for h in &t.hashtags {
                *counts.entry(h.as_str()).or_default() += 1;
            }
        }
        let mut tags: Vec<(&str, usize)> = counts.into_iter().collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        tags.into_iter().map(|(t, _)| t.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn t7_tags_are_normalised_and_deduplicated() {
        assert_eq!(parse_hashtags("#Refund refund, VIP;late-delivery").unwrap(), vec!["#refund", "#vip", "#late-delivery"]);
        assert_eq!(parse_hashtags("  ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn t7_bad_tags_are_refused_with_the_reason() {
        assert!(parse_hashtags("#").unwrap_err().contains("at least one letter"));
        assert!(parse_hashtags("#re/fund").unwrap_err().contains("“#re/fund”"));
        assert!(parse_hashtags(&"x".repeat(41)).unwrap_err().contains("at most 40"));
    }

    proptest! {
        #[test]
        fn t7_parsing_never_panics_and_always_explains(text in ".{0,120}") {
            match parse_hashtags(&text) {
                Ok(tags) => for t in tags {
                    prop_assert!(t.starts_with('#') && t.len() > 1);
                    prop_assert_eq!(parse_hashtags(&t).unwrap(), vec![t.clone()]);
                },
                Err(message) => prop_assert!(message.ends_with('.') && message.len() > 20),
            }
        }
    }
}
