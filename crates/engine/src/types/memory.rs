//! A model of what Redis 7.4 (with jemalloc) allocates for a key, so `MEMORY USAGE`, INFO's
//! `used_memory` and eviction under `maxmemory` behave like a real server.
//!
//! Strings and small collections (listpack / intset encodings) are modelled byte for byte:
//! the object header, the sds or listpack layout, then jemalloc's size class. Large collections
//! (hashtable, skiplist, quicklist) are modelled per element from a sample, as `MEMORY USAGE`
//! itself samples; their totals are close to Redis's, not exact.

use super::{Value, ZSet};
use bytes::Bytes;
use indexmap::{IndexMap, IndexSet};
use std::collections::VecDeque;

/// `sizeof(robj)`.
const ROBJ: usize = 16;
/// A main-dictionary entry (`dictEntry`: key, value, next).
pub const DICT_ENTRY: usize = 24;
/// Elements sampled from large collections.
const SAMPLE: usize = 16;

/// The size jemalloc really hands out for a request of `n` bytes (its size classes:
/// 8-byte steps to 128, then four classes per doubling).
pub fn jemalloc_size(n: usize) -> usize {
    if n <= 64 {
        return n.div_ceil(8).max(1) * 8;
    }
    if n <= 128 {
        return n.div_ceil(16) * 16;
    }
    let power = usize::BITS - (n - 1).leading_zeros();
    let group = 1usize << (power - 1);
    let step = group / 4;
    n.div_ceil(step).saturating_mul(step)
}

/// An sds string of `len` bytes, allocated exactly (header by length, NUL terminator).
/// Short strings (under 32 bytes) get sds's 1-byte `sdshdr5` header, as key names do.
pub fn sds_bytes(len: usize) -> usize {
    let header = match len {
        1..=31 => 1,
        0..=255 => 3,
        256..=65_535 => 5,
        _ => 9,
    };
    jemalloc_size(header + len + 1)
}

/// What a key costs in the main dictionary besides its value: its sds name and the entry.
pub fn key_bytes(key: &[u8]) -> usize {
    sds_bytes(key.len()) + DICT_ENTRY
}

fn as_integer(bytes: &[u8]) -> Option<i64> {
    if bytes.len() > 20 {
        return None;
    }
    crate::args::parse_i64(bytes)
}

/// A string value object: int-encoded, embstr (up to 44 bytes) or raw.
fn string_bytes(s: &[u8]) -> usize {
    if as_integer(s).is_some() {
        ROBJ
    } else if s.len() <= 44 {
        jemalloc_size(ROBJ + 3 + s.len() + 1)
    } else {
        ROBJ + sds_bytes(s.len())
    }
}

/// Bytes one listpack entry takes (encoding header, data, back-length).
pub fn listpack_entry(bytes: &[u8]) -> usize {
    listpack_body(as_integer(bytes), bytes.len())
}

/// A listpack entry holding the integer `v`, or (None) a string of `len` bytes.
fn listpack_body(integer: Option<i64>, len: usize) -> usize {
    let body = match integer {
        Some(v) if (0..=127).contains(&v) => 1,
        Some(v) if (-4096..=4095).contains(&v) => 2,
        Some(v) if i16::try_from(v).is_ok() => 3,
        Some(v) if (-(1 << 23)..(1 << 23)).contains(&v) => 4,
        Some(v) if i32::try_from(v).is_ok() => 5,
        Some(_) => 9,
        None => {
            len + match len {
                0..=63 => 1,
                64..=4095 => 2,
                _ => 5,
            }
        }
    };
    let backlen = match body {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    };
    body + backlen
}

/// A listpack holding `entries`, allocated: 6-byte header, entries, end byte.
fn listpack<'a>(entries: impl Iterator<Item = &'a [u8]>) -> usize {
    jemalloc_size(6 + entries.map(listpack_entry).sum::<usize>() + 1)
}

/// Sum `cost` over up to SAMPLE items and scale to `len`.
fn sampled<T>(len: usize, items: impl Iterator<Item = T>, cost: impl Fn(T) -> usize) -> usize {
    let (mut seen, mut total) = (0usize, 0usize);
    for item in items.take(SAMPLE) {
        seen += 1;
        total += cost(item);
    }
    total.saturating_mul(len).checked_div(seen).unwrap_or(0)
}

/// A hashtable's bucket array (power of two, 8 bytes a slot) plus the dict header.
fn dict_table(len: usize) -> usize {
    56 + jemalloc_size(len.max(4).next_power_of_two() * 8)
}

/// A list's bytes; `quicklist`: it is one even if small (see `encoding::list_floor`).
pub fn list_bytes(list: &VecDeque<Bytes>, quicklist: bool) -> usize {
    let raw: usize = sampled(list.len(), list.iter(), |v| listpack_entry(v));
    let (node_bytes, node_count) = super::encoding::limits().list_node_limits();
    if !quicklist && 6 + raw < node_bytes && list.len() <= node_count {
        return ROBJ + listpack(list.iter().map(|b| b.as_ref()));
    }
    // quicklist: header, then listpack nodes (full to the byte or count limit) with a 32-byte
    // node struct each.
    let nodes = raw.div_ceil(node_bytes).max(list.len().div_ceil(node_count));
    let node = jemalloc_size(node_bytes.min(6 + raw.div_ceil(nodes.max(1)) + 1));
    ROBJ + 40 + nodes * (32 + node)
}

fn hash_bytes(hash: &IndexMap<Bytes, Bytes>) -> usize {
    if super::encoding::hash_is_listpack(hash) {
        return ROBJ + listpack(hash.iter().flat_map(|(k, v)| [k.as_ref(), v.as_ref()]));
    }
    ROBJ + dict_table(hash.len())
        + sampled(hash.len(), hash.iter(), |(k, v)| DICT_ENTRY + sds_bytes(k.len()) + sds_bytes(v.len()))
}

/// Redis's `listpackEx` header (expire metadata, key and listpack pointers) of a `listpackex` hash.
const LISTPACK_EX_HEADER: usize = 32;

/// A `listpackex` hash (one that had a field deadline while small): its listpack holds
/// (field, value, deadline) triples, the deadline an integer, 0 for none.
pub fn listpack_ex_bytes(hash: &IndexMap<Bytes, Bytes>, ttls: Option<&super::hfe::FieldTtls>) -> usize {
    let entries: usize = hash
        .iter()
        .map(|(k, v)| {
            let at = ttls.and_then(|t| t.get(k)).unwrap_or(0);
            listpack_entry(k) + listpack_entry(v) + listpack_body(Some(at as i64), 0)
        })
        .sum();
    ROBJ + LISTPACK_EX_HEADER + jemalloc_size(6 + entries + 1)
}

fn set_bytes(set: &IndexSet<Bytes>) -> usize {
    let rank = super::encoding::set_natural_rank(set);
    if rank == 0 {
        let width = set.iter().filter_map(|m| as_integer(m)).fold(2, |w, v| {
            if i16::try_from(v).is_ok() {
                w
            } else if i32::try_from(v).is_ok() {
                w.max(4)
            } else {
                8
            }
        });
        return ROBJ + jemalloc_size(8 + width * set.len());
    }
    if rank == 1 {
        return ROBJ + listpack(set.iter().map(|m| m.as_ref()));
    }
    ROBJ + dict_table(set.len()) + sampled(set.len(), set.iter(), |m| DICT_ENTRY + sds_bytes(m.len()))
}

/// A score as a listpack stores it: an integer when whole, else its shortest text.
fn score_text(score: f64) -> String {
    if score.fract() == 0.0 && score.abs() < 1e15 {
        format!("{}", score as i64)
    } else {
        crate::float::format_double(score)
    }
}

fn zset_bytes(zset: &ZSet) -> usize {
    if super::encoding::zset_is_listpack(zset) {
        let texts: Vec<(Bytes, String)> = zset.iter().map(|(m, s)| (m.clone(), score_text(s))).collect();
        return ROBJ + listpack(texts.iter().flat_map(|(m, s)| [m.as_ref(), s.as_bytes()]));
    }
    // skiplist + dict: per member an sds, a dict entry and a skiplist node (~1.33 levels).
    ROBJ + 16
        + 32
        + dict_table(zset.len())
        + sampled(zset.len(), zset.iter(), |(m, _)| {
            sds_bytes(m.len()) + DICT_ENTRY + jemalloc_size(24 + 2 * 16)
        })
}

/// The bytes Redis's `objectComputeSize` reports for a value.
pub fn value_bytes(value: &Value) -> usize {
    match value {
        Value::Str(s) => string_bytes(s),
        Value::List(l) => list_bytes(l, false),
        Value::Hash(h) => hash_bytes(h),
        Value::Set(s) => set_bytes(s),
        Value::ZSet(z) => zset_bytes(z),
        Value::Json(j) => j.mem_bytes(),
        Value::Suggest(s) => s.mem_bytes(),
        // MEMORY USAGE's default of 5 sampled listpacks.
        Value::Stream(s) => s.memory(5),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jemalloc_classes() {
        let cases = [(1, 8), (8, 8), (9, 16), (21, 24), (30, 32), (49, 56), (64, 64), (65, 80), (104, 112)];
        for (n, class) in cases {
            assert_eq!(jemalloc_size(n), class, "{n}");
        }
        assert_eq!(jemalloc_size(1004), 1024);
        assert_eq!(jemalloc_size(5006), 5120);
        assert_eq!(jemalloc_size(129), 160);
    }

    /// Numbers measured with MEMORY USAGE on Redis 7.4.1 (value + key "k" + dict entry).
    #[test]
    fn matches_redis_memory_usage() {
        let usage = |v: &Value| value_bytes(v) + key_bytes(b"k");
        assert_eq!(usage(&Value::Str(Bytes::from("v"))), 56);
        assert_eq!(usage(&Value::Str(Bytes::from("v".repeat(45)))), 104);
        assert_eq!(usage(&Value::Str(Bytes::from("v".repeat(5000)))), 5168);
        assert_eq!(usage(&Value::Str(Bytes::from("12345"))), 48);
        assert_eq!(value_bytes(&Value::Str(Bytes::from("v"))) + key_bytes(b"kkkkk"), 56);
        assert_eq!(value_bytes(&Value::Str(Bytes::from("v"))) + key_bytes(b"kkkkkkkkkk"), 64);
        assert_eq!(value_bytes(&Value::Str(Bytes::from("v"))) + key_bytes(&[b'k'; 40]), 96);
        let hash: IndexMap<Bytes, Bytes> = [("f1", "v1"), ("f2", "v2"), ("f3", "v3")]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        assert_eq!(usage(&Value::Hash(hash)), 80);
        let list: VecDeque<Bytes> = ["a", "b", "c", "d", "e"].into_iter().map(Bytes::from).collect();
        assert_eq!(usage(&Value::List(list)), 72);
        let set: IndexSet<Bytes> = ["a", "b", "c"].into_iter().map(Bytes::from).collect();
        assert_eq!(usage(&Value::Set(set)), 64);
        let ints: IndexSet<Bytes> = ["1", "2", "3"].into_iter().map(Bytes::from).collect();
        assert_eq!(usage(&Value::Set(ints)), 64);
        let mut zset = ZSet::new();
        for (m, s) in [("a", 1.0), ("b", 2.0), ("c", 3.0)] {
            zset.insert(Bytes::from(m), s);
        }
        assert_eq!(usage(&Value::ZSet(zset)), 72);
    }
}
