//! Identifiers: UUIDv7 record ids and the device code that makes task numbers unique offline.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Reads an id from its text form.
            pub fn parse(text: &str) -> Option<Self> {
                Uuid::parse_str(text).ok().map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self(Uuid::nil())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

uuid_id!(
    /// The stable id of a task.
    TaskId
);
uuid_id!(
    /// The stable id of a customer record.
    CustomerId
);
uuid_id!(
    /// The stable id of a user (agent, supervisor or admin).
    UserId
);

/// A 128-bit FNV-1a hash of some text (two 64-bit passes with different offsets): stable across
/// devices and builds, for ids derived from something shared and for content revisions.
pub fn hash128(text: &str) -> u128 {
    let fnv = |basis: u64| text.bytes().fold(basis, |h, b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3));
    ((fnv(0xcbf2_9ce4_8422_2325) as u128) << 64) | fnv(0x6c62_272e_07bb_0142) as u128
}

/// An id every device derives the same from the same text (a shared interaction's id).
pub fn derived(namespace: &str, text: &str) -> Uuid {
    Uuid::from_u128(hash128(&format!("{namespace}:{text}")))
}

/// Crockford's base-32 alphabet: no I, L, O or U, so codes read aloud without confusion.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A short code chosen once per device (browser profile). Task numbers are
/// `<device code>-<sequence>`, so two devices creating tasks offline at the same
/// moment can never produce the same number unless they drew the same code
/// (one chance in 33 million per pair of devices).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceCode(pub String);

impl DeviceCode {
    /// Five Crockford characters from 25 random bits.
    pub fn from_random(bits: u64) -> Self {
        let code = (0..5).map(|i| CROCKFORD[((bits >> (i * 5)) & 31) as usize] as char).collect();
        DeviceCode(code)
    }

    /// The human-readable number of this device's `seq`-th task.
    pub fn task_number(&self, seq: u64) -> String {
        format!("{}-{}", self.0, seq)
    }
}

impl fmt::Display for DeviceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A map keyed by record ids, with a fast seeded hash: ids are looked up millions of times (a
/// workspace of 100,000 tasks, routing's tick each second, the queue), and std's SipHash made each
/// lookup several times slower in wasm. Seeded per map, so ids chosen to collide do not line up.
pub type IdMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A set of record ids, hashed as [`IdMap`] is.
pub type IdSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_codes_use_only_unambiguous_characters() {
        for bits in [0u64, 1, 31, 12345, u64::MAX] {
            let code = DeviceCode::from_random(bits);
            assert_eq!(code.0.len(), 5);
            assert!(code.0.bytes().all(|b| CROCKFORD.contains(&b)));
        }
    }

    #[test]
    fn numbers_from_two_devices_never_collide() {
        let a = DeviceCode::from_random(1);
        let b = DeviceCode::from_random(2);
        let from_a: std::collections::HashSet<_> = (1..500).map(|n| a.task_number(n)).collect();
        assert!((1..500).all(|n| !from_a.contains(&b.task_number(n))));
    }
}
