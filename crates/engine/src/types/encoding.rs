//! The internal encoding Redis 7.4 reports for a value (OBJECT ENCODING), which also decides
//! whether SCAN-family commands return a collection whole.
//!
//! An encoding follows from the value's size with Redis's default thresholds, except where Redis
//! remembers history: a hash, set or sorted set once converted to a bigger encoding never goes
//! back when it shrinks, and APPEND/SETRANGE leave a `raw` string and INCRBYFLOAT an `embstr`
//! whatever their text. Each key keeps a floor (a rank within its type, [`Entry::encoding_floor`]
//! in `db.rs`) that these raise; the reported encoding is the higher of the floor and the
//! value's natural rank. Lists are left out: Redis turns a shrunk quicklist back into a listpack.

use super::Value;
use bytes::Bytes;
use indexmap::{IndexMap, IndexSet};

/// Strings: `int` < `embstr` < `raw`. INCRBYFLOAT's results are never `int`.
pub const NOT_INT: u8 = 1;
/// APPEND and SETRANGE results are always `raw`.
pub const RAW: u8 = 2;
/// Hashes: `listpack` < `listpackex` < `hashtable`. The first HEXPIRE-family command on a
/// listpack hash makes it a `listpackex`, which stays one (no way back to `listpack`).
pub const LISTPACK_EX: u8 = 1;

/// Redis's `set-max-intset-entries` default.
pub const MAX_INTSET_ENTRIES: usize = 512;
/// `set-max-listpack-entries` and `zset-max-listpack-entries`.
const MAX_LISTPACK_ENTRIES: usize = 128;
/// `hash-max-listpack-entries`: 512 in the Redis 7.4 of redis-stack that the oracle runs (and
/// that its CONFIG GET reports with no config file), where Redis 7.0 had 128.
pub const HASH_MAX_LISTPACK_ENTRIES: usize = 512;
/// `*-max-listpack-value`: longest element a listpack keeps.
const MAX_LISTPACK_VALUE: usize = 64;
/// `list-max-listpack-size -2`: one listpack of up to 8 KB (11 bytes of overhead per entry).
const MAX_LIST_LISTPACK_BYTES: usize = 8192;

/// Redis keeps a hash as a listpack while it has at most 512 fields of at most 64 bytes.
pub fn hash_is_listpack(h: &IndexMap<Bytes, Bytes>) -> bool {
    h.len() <= HASH_MAX_LISTPACK_ENTRIES
        && h.iter().all(|(k, v)| k.len() <= MAX_LISTPACK_VALUE && v.len() <= MAX_LISTPACK_VALUE)
}

/// The rank of the encoding the value's current contents alone would get.
pub fn natural_rank(value: &Value) -> u8 {
    let small = |len: usize, mut sizes: Box<dyn Iterator<Item = usize> + '_>| {
        len <= MAX_LISTPACK_ENTRIES && sizes.all(|s| s <= MAX_LISTPACK_VALUE)
    };
    match value {
        Value::Str(s) if s.len() <= 20 && crate::args::parse_i64(s).is_some() => 0,
        Value::Str(s) if s.len() <= 44 => 1,
        Value::Str(_) => 2,
        Value::List(l) => u8::from(l.iter().map(|v| v.len() + 11).sum::<usize>() > MAX_LIST_LISTPACK_BYTES),
        Value::Hash(h) => 2 * u8::from(!hash_is_listpack(h)),
        Value::Set(s) => set_natural_rank(s),
        Value::ZSet(z) => u8::from(!small(z.len(), Box::new(z.iter().map(|(m, _)| m.len())))),
    }
}

/// A set's natural rank: intset (0), listpack (1) or hashtable (2).
pub fn set_natural_rank(s: &IndexSet<Bytes>) -> u8 {
    if s.len() <= MAX_INTSET_ENTRIES && s.iter().all(|m| crate::args::parse_i64(m).is_some()) {
        0
    } else if s.len() <= MAX_LISTPACK_ENTRIES && s.iter().all(|m| m.len() <= MAX_LISTPACK_VALUE) {
        1
    } else {
        2
    }
}

/// The highest rank of the value's type: once there, nothing needs checking again.
pub fn top_rank(value: &Value) -> u8 {
    match value {
        Value::Str(_) | Value::Set(_) | Value::Hash(_) => 2,
        Value::List(_) | Value::ZSet(_) => 1,
    }
}

/// True for the types whose encoding never steps back (see the module comment).
pub fn is_sticky(value: &Value) -> bool {
    matches!(value, Value::Hash(_) | Value::Set(_) | Value::ZSet(_))
}

/// The rank Redis reports: the natural one, raised to the key's floor (lists ignore it).
pub fn rank(value: &Value, floor: u8) -> u8 {
    let natural = natural_rank(value);
    if matches!(value, Value::List(_)) {
        natural
    } else {
        natural.max(floor).min(top_rank(value))
    }
}

/// The name OBJECT ENCODING prints for a value whose key has encoding floor `floor`.
pub fn name(value: &Value, floor: u8) -> &'static str {
    let names: &[&'static str] = match value {
        Value::Str(_) => &["int", "embstr", "raw"],
        Value::List(_) => &["listpack", "quicklist"],
        Value::Hash(_) => &["listpack", "listpackex", "hashtable"],
        Value::Set(_) => &["intset", "listpack", "hashtable"],
        Value::ZSet(_) => &["listpack", "skiplist"],
    };
    names.get(rank(value, floor) as usize).copied().unwrap_or("raw")
}

/// True if the collection is in a compact encoding (intset or listpack), which SCAN-family
/// commands return whole in one call.
pub fn is_compact(value: &Value, floor: u8) -> bool {
    matches!(name(value, floor), "intset" | "listpack" | "listpackex")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(members: &[&str]) -> Value {
        Value::Set(members.iter().map(|m| Bytes::from(m.to_string())).collect::<IndexSet<_>>())
    }

    #[test]
    fn the_floor_keeps_a_converted_collection_big() {
        assert_eq!(name(&set(&["1", "2"]), 0), "intset");
        assert_eq!(name(&set(&["1", "2"]), 1), "listpack");
        assert_eq!(name(&set(&["1", "2"]), 2), "hashtable");
        assert_eq!(name(&Value::Str(Bytes::from_static(b"12")), NOT_INT), "embstr");
        assert_eq!(name(&Value::Str(Bytes::from_static(b"12")), RAW), "raw");
        let long = Value::List((0..1000).map(|_| Bytes::from_static(&[b'x'; 20])).collect());
        assert_eq!(name(&long, 0), "quicklist");
        assert_eq!(name(&Value::List(Default::default()), 1), "listpack");
    }
}
