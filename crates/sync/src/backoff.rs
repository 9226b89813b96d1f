//! When to try again after a failure: exponential backoff with jitter, so a server that comes
//! back is not hit by every device at the same moment, and never more than a minute apart.

/// The first wait after a failure, in milliseconds.
pub const FIRST_MS: u64 = 1_000;
/// The longest wait, in milliseconds.
pub const LONGEST_MS: u64 = 60_000;

/// Counts failures in a row and says how long to wait before the next try.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// Records a failure and returns the wait before the next try: the first wait doubled per
    /// failure in a row, capped, then scaled by `random` (0 to 1) into its upper half ("equal
    /// jitter"), so waits still grow but devices spread out.
    pub fn fail(&mut self, random: f64) -> u64 {
        let ceiling = FIRST_MS.saturating_mul(1 << self.failures.min(16)).min(LONGEST_MS);
        self.failures = self.failures.saturating_add(1);
        let random = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.5 };
        ceiling / 2 + (ceiling as f64 / 2.0 * random) as u64
    }

    /// How many failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A success: the next failure starts from the first wait again.
    pub fn succeed(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn waits_double_up_to_a_minute_and_start_over_after_a_success() {
        let mut b = Backoff::default();
        let waits: Vec<u64> = (0..10).map(|_| b.fail(1.0)).collect();
        assert_eq!(waits[..7], [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000]);
        assert_eq!(b.failures(), 10);
        b.succeed();
        assert_eq!(b.fail(1.0), 1_000);
    }

    proptest! {
        #[test]
        fn every_wait_lies_in_the_upper_half_of_its_ceiling(failures in 0u32..100, random in proptest::num::f64::ANY) {
            let mut b = Backoff { failures };
            let ceiling = FIRST_MS.saturating_mul(1 << failures.min(16)).min(LONGEST_MS);
            let wait = b.fail(random);
            prop_assert!(wait >= ceiling / 2 && wait <= ceiling, "{wait} outside {}..={ceiling}", ceiling / 2);
        }
    }
}
