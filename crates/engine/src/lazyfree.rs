//! What Redis frees in its background thread (lazyfree.c), counted as INFO's `lazyfreed_objects`.
//!
//! The engine frees at once, so `lazyfree_pending_objects` is always 0; but which deletions Redis
//! hands to the thread is observable through the counter, and Redis's own tests and teachers
//! showing `UNLINK` versus `DEL` read it. A value goes to the thread when it is deleted lazily
//! (UNLINK, or DEL/expiry/eviction/overwrite with their `lazyfree-lazy-*` setting on) and its
//! "free effort" (roughly, the allocations it holds) passes [`THRESHOLD`]; a flushed database
//! counts all its keys.

use crate::db::Entry;
use crate::server::Server;
use crate::types::{encoding, Value};

/// `LAZYFREE_THRESHOLD`: values with more allocations than this are freed in the background.
pub const THRESHOLD: usize = 64;

/// Redis's `lazyfreeGetFreeEffort`: the allocations freeing `entry`'s value takes.
pub fn free_effort(entry: &Entry) -> usize {
    let encoding = encoding::name(&entry.value, entry.encoding_floor);
    match (&entry.value, encoding) {
        (Value::List(list), "quicklist") => crate::rdb::quicklist_layout(list).len(),
        (Value::Set(set), "hashtable") => set.len(),
        (Value::ZSet(zset), "skiplist") => zset.len(),
        (Value::Hash(hash), "hashtable") => hash.len(),
        (Value::Stream(stream), _) => {
            // Every node is an allocation; each group and its PEL too, the first group's PEL
            // standing for all of them.
            let groups = stream.groups.len();
            let pel = stream.groups.values().next().map_or(0, |g| g.pel.len());
            stream.rax_nodes() + groups * (1 + pel)
        }
        _ => 1,
    }
}

/// Count `entry` as Redis's `freeObjAsync` would, for a deletion that is lazy (`UNLINK`, or a
/// `lazyfree-lazy-*` setting on). Shared small integers have more than one reference in Redis
/// and are never handed over, but their effort is 1 anyway.
pub fn release(server: &mut Server, entry: &Entry, lazy: bool) {
    if lazy && free_effort(entry) > THRESHOLD {
        server.stats.lazyfreed_objects += 1;
    }
}
