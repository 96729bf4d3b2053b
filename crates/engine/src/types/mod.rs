//! The values a key can hold, one variant per Redis type.

pub mod encoding;
pub mod hfe;
pub mod hll;
pub mod json;
pub mod memory;
pub mod sorted;
pub mod stream;
pub mod suggest;
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
    /// A RedisJSON document (TYPE `ReJSON-RL`).
    Json(Box<json::Json>),
    /// A stream (boxed: it is much bigger than the other variants).
    Stream(Box<stream::Stream>),
    /// An FT.SUGADD suggestion dictionary (RediSearch's TYPE `trietype0`).
    Suggest(Box<suggest::Suggestions>),
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
            Value::Json(_) => "ReJSON-RL",
            Value::Stream(_) => "stream",
            Value::Suggest(_) => "trietype0",
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
            Value::Json(_) => false,
            // An empty stream stays (with its counters and groups), as in Redis.
            Value::Stream(_) => false,
            // A dictionary stays when its last suggestion goes, as a module value does.
            Value::Suggest(_) => false,
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
            Value::Json(_) => 1,
            Value::Stream(s) => s.len(),
            Value::Suggest(s) => s.len(),
        }
    }

    /// The bytes this value takes in Redis 7.4 (`objectComputeSize`), used for `MEMORY USAGE`,
    /// `used_memory` and eviction: exact for strings and compact encodings, sampled for large
    /// collections so a write's cost stays bounded (see `types/memory.rs`).
    pub fn estimate_bytes(&self) -> usize {
        memory::value_bytes(self)
    }
}
