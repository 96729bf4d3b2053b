//! The values a key can hold, one variant per Redis type.

pub mod zset;

use bytes::Bytes;
use indexmap::{IndexMap, IndexSet};
use std::collections::VecDeque;

pub use zset::ZSet;

/// A Redis value.
///
/// Hashes and sets are insertion-ordered (`IndexMap`/`IndexSet`, removed with `shift_remove`):
/// small hashes and sets in Redis 7.4 are listpacks, which reply in insertion order, so a learner
/// sees the same order here as on a real server.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string: arbitrary bytes (integers are stored as their decimal text).
    Str(Bytes),
    /// A list, pushed and popped at both ends.
    List(VecDeque<Bytes>),
    /// A hash of field -> value.
    Hash(IndexMap<Bytes, Bytes>),
    /// A set of members.
    Set(IndexSet<Bytes>),
    /// A sorted set: members ordered by (score, member).
    ZSet(ZSet),
}

impl Value {
    /// The name TYPE prints.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
        }
    }

    /// True for an empty collection (Redis deletes a key when its last element goes).
    pub fn is_empty_collection(&self) -> bool {
        match self {
            Value::Str(_) => false,
            Value::List(l) => l.is_empty(),
            Value::Hash(h) => h.is_empty(),
            Value::Set(s) => s.is_empty(),
            Value::ZSet(z) => z.is_empty(),
        }
    }

    /// Number of elements (1 for a string).
    pub fn element_count(&self) -> usize {
        match self {
            Value::Str(_) => 1,
            Value::List(l) => l.len(),
            Value::Hash(h) => h.len(),
            Value::Set(s) => s.len(),
            Value::ZSet(z) => z.len(),
        }
    }

    /// An honest estimate of the bytes this value takes in Redis, used for `used_memory` and
    /// eviction. Large collections are sampled (as `MEMORY USAGE` does) so the cost of a write
    /// stays bounded whatever the size of the value.
    pub fn estimate_bytes(&self) -> usize {
        const SAMPLE: usize = 64;
        fn sampled<I: Iterator<Item = usize>>(len: usize, sizes: I) -> usize {
            let mut seen = 0usize;
            let mut total = 0usize;
            for size in sizes.take(SAMPLE) {
                seen += 1;
                total += size;
            }
            (total * len).checked_div(seen).unwrap_or(0)
        }
        // Per-element overheads approximate Redis's dict entries / quicklist nodes / skiplist nodes.
        match self {
            Value::Str(s) => 16 + s.len(),
            Value::List(l) => 32 + sampled(l.len(), l.iter().map(|v| v.len() + 11)),
            Value::Hash(h) => 48 + sampled(h.len(), h.iter().map(|(k, v)| k.len() + v.len() + 40)),
            Value::Set(s) => 48 + sampled(s.len(), s.iter().map(|m| m.len() + 32)),
            Value::ZSet(z) => 64 + sampled(z.len(), z.iter().map(|(m, _)| m.len() + 64)),
        }
    }
}
