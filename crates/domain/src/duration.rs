//! Durations as people say them (U1): "less than a second", "12 seconds", "3 minutes 5 seconds",
//! "2 hours 10 minutes", "3 days". One formatter for the board, "Why me?", reports and History.

fn unit(n: u64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn two(n: u64, one: &str, m: u64, other: &str) -> String {
    if m == 0 {
        unit(n, one)
    } else {
        format!("{} {}", unit(n, one), unit(m, other))
    }
}

/// A duration in milliseconds, in words, to the precision a person would give: seconds under
/// ten minutes, minutes under a day, hours beyond.
pub fn spoken(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0 => "less than a second".into(),
        1..60 => unit(s, "second"),
        60..600 => two(s / 60, "minute", s % 60, "second"),
        600..3600 => unit(s / 60, "minute"),
        3600..86_400 => two(s / 3600, "hour", s % 3600 / 60, "minute"),
        _ => two(s / 86_400, "day", s % 86_400 / 3600, "hour"),
    }
}

/// A duration in one unit, for a table cell: "45 s", "12 min", "3 h", "2 d".
pub fn brief(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{} h", s / 3600),
        _ => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn u1_durations_read_as_people_say_them() {
        let cases = [
            (0, "less than a second"),
            (924, "less than a second"),
            (1_000, "1 second"),
            (12_400, "12 seconds"),
            (60_000, "1 minute"),
            (185_000, "3 minutes 5 seconds"),
            (61_000, "1 minute 1 second"),
            (754_000, "12 minutes"),
            (3_600_000, "1 hour"),
            (7_800_000, "2 hours 10 minutes"),
            (86_400_000, "1 day"),
            (3 * 86_400_000 + 4 * 3_600_000 + 59_000, "3 days 4 hours"),
        ];
        for (ms, words) in cases {
            assert_eq!(spoken(ms), words, "{ms} ms");
        }
    }

    #[test]
    fn u1_brief_durations_use_one_unit() {
        assert_eq!([brief(900), brief(45_000), brief(754_000), brief(10_800_000), brief(2 * 86_400_000)], ["0 s", "45 s", "12 min", "3 h", "2 d"]);
    }

    proptest! {
        #[test]
        fn never_milliseconds_and_never_zero_units(ms in any::<u64>()) {
            let words = spoken(ms);
            prop_assert!(!words.contains("ms") && !words.starts_with("0 ") && !words.contains(" 0 "), "{ms}: {words}");
            // Longer never reads as a smaller leading unit count of the same unit.
            prop_assert!(spoken(ms.saturating_add(1000)) != "less than a second" || ms < 1000);
        }
    }
}
