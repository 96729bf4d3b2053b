//! The internal encoding Redis 7.4 reports for a value (OBJECT ENCODING), which also decides
//! whether SCAN-family commands return a collection whole.
//!
//! An encoding follows from the value's size with Redis's default thresholds, except where Redis
//! remembers history: a hash, set or sorted set once converted to a bigger encoding never goes
//! back when it shrinks, and APPEND/SETRANGE leave a `raw` string and INCRBYFLOAT an `embstr`
//! whatever their text. Each key keeps a floor (a rank within its type, [`Entry::encoding_floor`]
//! in `db.rs`) that these raise; the reported encoding is the higher of the floor and the
//! value's natural rank. A list's floor says it is a quicklist, which Redis turns back into a
//! listpack only when a pop or removal leaves it within half a node ([`list_floor`]).

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

/// The conversion thresholds CONFIG SET changes (`*-max-listpack-*`, `set-max-intset-entries`,
/// `list-max-listpack-size`, `list-compress-depth`), Redis's defaults (with redis-stack's 512 for
/// `hash-max-listpack-entries`, which its CONFIG GET reports with no config file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub set_max_intset_entries: u64,
    pub set_max_listpack_entries: u64,
    pub set_max_listpack_value: u64,
    pub zset_max_listpack_entries: u64,
    pub zset_max_listpack_value: u64,
    pub hash_max_listpack_entries: u64,
    pub hash_max_listpack_value: u64,
    /// Positive: entries per list node; -1..-5: 4 KB..64 KB per node (0 counts as 1, below -5
    /// as -5).
    pub list_max_listpack_size: i32,
    /// Kept and reported only: the playground stores no compressed nodes.
    pub list_compress_depth: i32,
    /// `DEBUG QUICKLIST-PACKED-THRESHOLD` (not a CONFIG parameter): a quicklist element this
    /// big gets a plain node of its own.
    pub packed_threshold: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            set_max_intset_entries: 512,
            set_max_listpack_entries: 128,
            set_max_listpack_value: 64,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            hash_max_listpack_entries: 512,
            hash_max_listpack_value: 64,
            list_max_listpack_size: -2,
            list_compress_depth: 0,
            packed_threshold: 1 << 30,
        }
    }
}

impl Limits {
    /// A list node's (listpack's) byte and entry limits, as Redis's `quicklistNodeLimit`.
    pub fn list_node_limits(&self) -> (usize, usize) {
        match self.list_max_listpack_size {
            n if n >= 0 => (8192, n.max(1) as usize),
            n => (4096 << (n.max(-5).unsigned_abs() - 1), usize::MAX),
        }
    }
}

std::thread_local! {
    /// The current server's limits. The engine is single-threaded (one per thread in native
    /// tests), and an encoding is asked for deep inside memory accounting and DUMP, which
    /// have no server at hand; `Server` installs its config's limits before each command.
    static LIMITS: std::cell::Cell<Limits> = std::cell::Cell::new(Limits::default());
}

/// The limits in force.
pub fn limits() -> Limits {
    LIMITS.with(|l| l.get())
}

/// Put `limits` in force (at each command and after CONFIG SET).
pub fn set_limits(limits: Limits) {
    LIMITS.with(|l| l.set(limits));
}

/// Redis keeps a hash as a listpack while it has at most `hash-max-listpack-entries` fields of
/// at most `hash-max-listpack-value` bytes.
pub fn hash_is_listpack(h: &IndexMap<Bytes, Bytes>) -> bool {
    let l = limits();
    let max = l.hash_max_listpack_value as usize;
    h.len() as u64 <= l.hash_max_listpack_entries && h.iter().all(|(k, v)| k.len() <= max && v.len() <= max)
}

/// True if a sorted set of these members fits `zset-max-listpack-entries` / `-value`.
pub fn zset_is_listpack(z: &super::ZSet) -> bool {
    let l = limits();
    z.len() as u64 <= l.zset_max_listpack_entries
        && z.iter().all(|(m, _)| m.len() as u64 <= l.zset_max_listpack_value)
}

/// The bytes of a listpack holding `l`: 6-byte header, the entries, the end byte.
pub fn listpack_bytes(l: &std::collections::VecDeque<Bytes>) -> usize {
    7 + l.iter().map(|v| super::memory::listpack_entry(v)).sum::<usize>()
}

/// True if a list of these elements exceeds one listpack node (a quicklist in Redis).
fn list_is_quicklist(l: &std::collections::VecDeque<Bytes>) -> bool {
    let (bytes, count) = limits().list_node_limits();
    l.len() > count || listpack_bytes(l) > bytes
}

/// True if a quicklist of these elements turns back into a listpack after a command that
/// shrank it (Redis's `listTypeTryConvertQuicklist` with `shrinking`): it fits half a node.
/// (Redis also wants the quicklist to be one node; a list this small is one, bar edge cases.)
pub fn list_fits_half_node(l: &std::collections::VecDeque<Bytes>) -> bool {
    let (bytes, count) = limits().list_node_limits();
    l.len() <= count / 2 && listpack_bytes(l) <= bytes / 2
}

/// True if LSET's new element `value` makes a listpack list a quicklist: Redis checks the
/// listpack as if `value` were added (one more entry, its bytes more) before replacing.
pub fn lset_converts(l: &std::collections::VecDeque<Bytes>, value: &[u8]) -> bool {
    let (bytes, count) = limits().list_node_limits();
    l.len() + 1 > count || listpack_bytes(l) + value.len() > bytes
}

/// The rank of the encoding the value's current contents alone would get.
pub fn natural_rank(value: &Value) -> u8 {
    match value {
        Value::Str(s) if s.len() <= 20 && crate::args::parse_i64(s).is_some() => 0,
        Value::Str(s) if s.len() <= 44 => 1,
        Value::Str(_) => 2,
        Value::List(list) => u8::from(list_is_quicklist(list)),
        Value::Hash(h) => 2 * u8::from(!hash_is_listpack(h)),
        Value::Set(s) => set_natural_rank(s),
        Value::ZSet(z) => u8::from(!zset_is_listpack(z)),
        Value::Json(_) | Value::Suggest(_) => 0,
        Value::Stream(_) => 0,
    }
}

/// A set's natural rank: intset (0), listpack (1) or hashtable (2).
pub fn set_natural_rank(s: &IndexSet<Bytes>) -> u8 {
    let l = limits();
    let len = s.len() as u64;
    // (An intset that outgrows `set-max-intset-entries` becomes a hashtable whatever
    // `set-max-listpack-entries` says: SADD raises the key's floor for that.)
    if len <= l.set_max_intset_entries && s.iter().all(|m| crate::args::parse_i64(m).is_some()) {
        0
    } else if len <= l.set_max_listpack_entries
        && s.iter().all(|m| m.len() as u64 <= l.set_max_listpack_value)
    {
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
        Value::Json(_) | Value::Suggest(_) => 0,
        Value::Stream(_) => 0,
    }
}

/// A list's encoding floor after a change (1: it is a quicklist): a list over a node's limits
/// becomes one; a quicklist becomes a listpack again only when a change that did not add
/// elements (`shrunk`: a pop, LREM, LTRIM, LSET) leaves it within half a node.
pub fn list_floor(l: &std::collections::VecDeque<Bytes>, floor: u8, shrunk: bool) -> u8 {
    let stays = floor >= 1 && !(shrunk && list_fits_half_node(l));
    u8::from(stays || list_is_quicklist(l))
}

/// True for the types whose encoding never steps back (see the module comment).
pub fn is_sticky(value: &Value) -> bool {
    matches!(value, Value::Hash(_) | Value::Set(_) | Value::ZSet(_))
}

/// The rank Redis reports: the natural one, raised to the key's floor.
pub fn rank(value: &Value, floor: u8) -> u8 {
    natural_rank(value).max(floor).min(top_rank(value))
}

/// The name OBJECT ENCODING prints for a value whose key has encoding floor `floor`.
pub fn name(value: &Value, floor: u8) -> &'static str {
    let names: &[&'static str] = match value {
        Value::Str(_) => &["int", "embstr", "raw"],
        Value::List(_) => &["listpack", "quicklist"],
        Value::Hash(_) => &["listpack", "listpackex", "hashtable"],
        Value::Set(_) => &["intset", "listpack", "hashtable"],
        Value::ZSet(_) => &["listpack", "skiplist"],
        Value::Json(_) | Value::Suggest(_) => &["raw"],
        Value::Stream(_) => &["stream"],
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
        // A quicklist list keeps its floor until a shrinking change leaves half a node.
        let small: std::collections::VecDeque<Bytes> = (0..3).map(|_| Bytes::from_static(b"x")).collect();
        assert_eq!(name(&Value::List(small.clone()), 1), "quicklist");
        assert_eq!(list_floor(&small, 1, false), 1);
        assert_eq!(list_floor(&small, 1, true), 0);
    }
}
