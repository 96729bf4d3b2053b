//! One logical database: the keyspace, its expiry index and its scan order.
//!
//! - `map` holds the entries.
//! - `expiries` is an ordered set of (deadline, key), as mini-redis keeps it, so active expiry
//!   pops the earliest deadlines first in O(log n) without walking the whole keyspace.
//! - `order` gives every key a stable, monotonically increasing id when it is created. SCAN's
//!   cursor is "the next id to visit", so a key present for the whole scan is always returned
//!   (ids never move, unlike positions in a hash table), and RANDOMKEY and eviction sample keys by
//!   drawing ids.
//!
//! This layer knows nothing of stats, events or clocks: `Ctx` (in `ctx.rs`) wraps it with lazy
//! expiry, hit/miss counting and notifications.

use crate::types::hfe::FieldTtls;
use crate::types::Value;
use bytes::Bytes;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Access bookkeeping for LRU and LFU eviction and `OBJECT IDLETIME/FREQ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// Virtual-clock milliseconds of the last access.
    pub last_ms: u64,
    /// Redis's logarithmic access counter (0..=255), starting at 5 for new keys.
    pub lfu_counter: u8,
    /// Minute (virtual clock) when the counter was last decayed.
    pub lfu_minute: u64,
}

/// A key's value and metadata.
#[derive(Debug, Clone)]
pub struct Entry {
    pub value: Value,
    /// Absolute deadline in virtual-clock milliseconds.
    pub expires_at: Option<u64>,
    pub access: Access,
    /// Estimated bytes (key + value + overhead), kept in step with `Db::used_memory`.
    pub mem: usize,
    /// Stable id in the scan order.
    pub(crate) id: u64,
    /// Element count when `mem` was last estimated (see [`Db::refresh_memory`]).
    pub(crate) mem_elements: usize,
    /// Lowest encoding rank the value may report: raised when a collection converts to a bigger
    /// encoding, which Redis never undoes (see `types::encoding`).
    pub encoding_floor: u8,
    /// Deadlines of a hash's fields (HEXPIRE family); None for every other key, and for hashes
    /// that never had one (see `types::hfe`).
    pub field_ttls: Option<Box<FieldTtls>>,
    /// When the active cycle next visits this hash for due fields: its place in [`Db`]'s index
    /// of hashes with field TTLs. As in Redis (`db->hexpires`) it is updated lazily, so it may be
    /// earlier than the first deadline, or stay after the last deadline went (HPERSIST, HDEL,
    /// lazy expiry) until that visit: INFO's `subexpiry` counts these registrations.
    hfe_at: Option<u64>,
}

impl Entry {
    /// (field, deadline) pairs of a hash's fields that have a deadline, earliest first: what the
    /// page's key browser counts down (expired fields not yet deleted included).
    pub fn field_deadlines(&self) -> Vec<(Bytes, u64)> {
        self.field_ttls.as_ref().map_or_else(Vec::new, |t| t.iter().map(|(f, at)| (f.clone(), at)).collect())
    }
}

/// Collections at least this big are re-estimated only when their size drifts (1/64).
const LARGE_COLLECTION: usize = 1024;

/// A database.
#[derive(Debug, Default, Clone)]
pub struct Db {
    map: HashMap<Bytes, Entry, foldhash::fast::RandomState>,
    expiries: BTreeSet<(u64, Bytes)>,
    order: BTreeMap<u64, Bytes>,
    /// The keys that have a deadline, by scan id, so volatile eviction samples them in O(log n).
    volatile: BTreeMap<u64, Bytes>,
    /// Hashes with field deadlines, by their earliest one (Redis's `db->hexpires`), so the
    /// active cycle finds due fields without walking every hash.
    hexpires: BTreeSet<(u64, Bytes)>,
    next_id: u64,
    used_memory: usize,
}

impl Db {
    pub fn new() -> Db {
        Db::default()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of keys with a deadline.
    pub fn expires_len(&self) -> usize {
        self.expiries.len()
    }

    /// Estimated bytes of all keys.
    pub fn used_memory(&self) -> usize {
        self.used_memory
    }

    /// The entry for `key`, expired or not (callers decide about expiry).
    pub fn raw_get(&self, key: &[u8]) -> Option<&Entry> {
        self.map.get(key)
    }

    /// The entry for `key`, mutable, expired or not.
    pub fn raw_get_mut(&mut self, key: &[u8]) -> Option<&mut Entry> {
        self.map.get_mut(key)
    }

    /// True if `key` exists and its deadline has passed at `now`.
    pub fn is_expired(&self, key: &[u8], now: u64) -> bool {
        matches!(self.map.get(key), Some(Entry { expires_at: Some(t), .. }) if *t <= now)
    }

    /// Insert or replace a value. Replacing keeps the key's scan id and access data; the deadline
    /// is set to `expires_at` (callers pass the old one to keep it, as KEEPTTL does).
    pub fn insert(&mut self, key: Bytes, value: Value, expires_at: Option<u64>, now: u64) {
        let mem = crate::types::memory::key_bytes(&key) + value.estimate_bytes();
        // A collection starts in the encoding its contents get under the limits in force now,
        // and keeps it if they change later (a list: until it shrinks, see `list_floor`).
        let floor = match &value {
            Value::Str(_) => 0,
            collection => crate::types::encoding::natural_rank(collection),
        };
        if let Some(entry) = self.map.get_mut(&key) {
            if let Some(old) = entry.expires_at {
                self.expiries.remove(&(old, key.clone()));
            }
            self.used_memory = self.used_memory - entry.mem + mem;
            if let Some(at) = entry.hfe_at.take() {
                self.hexpires.remove(&(at, key.clone()));
            }
            entry.field_ttls = None;
            entry.mem_elements = value.element_count();
            entry.encoding_floor = floor;
            entry.value = value;
            entry.mem = mem;
            entry.expires_at = expires_at;
            if let Some(t) = expires_at {
                self.volatile.insert(entry.id, key.clone());
                self.expiries.insert((t, key));
            } else {
                self.volatile.remove(&entry.id);
            }
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.order.insert(id, key.clone());
        if let Some(t) = expires_at {
            self.expiries.insert((t, key.clone()));
            self.volatile.insert(id, key.clone());
        }
        self.used_memory += mem;
        let access = Access { last_ms: now, lfu_counter: 5, lfu_minute: now / 60_000 };
        let mem_elements = value.element_count();
        self.map.insert(
            key,
            Entry {
                value,
                expires_at,
                access,
                mem,
                id,
                mem_elements,
                encoding_floor: floor,
                field_ttls: None,
                hfe_at: None,
            },
        );
    }

    /// Remove `key`, returning its entry.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let (key, entry) = self.map.remove_entry(key)?;
        self.order.remove(&entry.id);
        if let Some(at) = entry.hfe_at {
            self.hexpires.remove(&(at, key.clone()));
        }
        if let Some(t) = entry.expires_at {
            self.expiries.remove(&(t, key));
            self.volatile.remove(&entry.id);
        }
        self.used_memory -= entry.mem;
        Some(entry)
    }

    /// Set or clear the deadline of an existing key. Returns false if the key does not exist.
    pub fn set_expiry(&mut self, key: &[u8], expires_at: Option<u64>) -> bool {
        let Some(entry) = self.map.get_mut(key) else { return false };
        let key = Bytes::copy_from_slice(key);
        if let Some(old) = entry.expires_at {
            self.expiries.remove(&(old, key.clone()));
        }
        entry.expires_at = expires_at;
        if let Some(t) = expires_at {
            self.volatile.insert(entry.id, key.clone());
            self.expiries.insert((t, key));
        } else {
            self.volatile.remove(&entry.id);
        }
        true
    }

    /// Recompute the memory estimate of `key` after its value changed in place.
    /// A large collection's estimate comes from a sample of its elements, so sampling again
    /// after each push to a million-element list buys nothing and cost more than the push
    /// itself; it is redone once the element count has drifted by 1/64 (1.6%).
    pub fn refresh_memory(&mut self, key: &[u8]) {
        if let Some(entry) = self.map.get_mut(key) {
            if entry.field_ttls.as_ref().is_some_and(|t| t.is_empty()) {
                entry.field_ttls = None;
            }
            // Remember a conversion to a bigger encoding (the same lookup serves both).
            raise_encoding_floor(entry, 0);
            let elements = entry.value.element_count();
            let settled = entry.mem_elements >= LARGE_COLLECTION
                && elements >= LARGE_COLLECTION
                && elements.abs_diff(entry.mem_elements).saturating_mul(64) < entry.mem_elements;
            if settled {
                return;
            }
            entry.mem_elements = elements;
            let mem = crate::types::memory::key_bytes(key) + value_bytes(entry);
            self.used_memory = self.used_memory - entry.mem + mem;
            entry.mem = mem;
        }
    }

    /// After a change of `key`'s value: remember a conversion to a bigger encoding, or set the
    /// floor a command's result has (`floor`, 0 for none).
    pub fn settle_encoding(&mut self, key: &[u8], floor: u8) {
        if let Some(entry) = self.map.get_mut(key) {
            raise_encoding_floor(entry, floor);
        }
    }

    /// Register `key` for a visit of the active cycle at `at` (None: unregister).
    pub fn register_field_ttls(&mut self, key: &[u8], at: Option<u64>) {
        let Some(entry) = self.map.get_mut(key) else { return };
        if entry.hfe_at == at {
            return;
        }
        let key = Bytes::copy_from_slice(key);
        if let Some(old) = entry.hfe_at {
            self.hexpires.remove(&(old, key.clone()));
        }
        if let Some(t) = at {
            self.hexpires.insert((t, key));
        }
        entry.hfe_at = at;
    }

    /// When `key` is registered for the active cycle's visit (see [`Entry`]'s `hfe_at`).
    pub fn field_ttls_registered(&self, key: &[u8]) -> Option<u64> {
        self.map.get(key).and_then(|e| e.hfe_at)
    }

    /// Give `key` (just inserted) the field deadlines `ttls`, registered at `at` (RENAME, COPY
    /// and MOVE carry both over).
    pub fn set_field_ttls(&mut self, key: &[u8], ttls: Option<Box<FieldTtls>>, at: Option<u64>) {
        if let Some(entry) = self.map.get_mut(key) {
            entry.field_ttls = ttls;
            // Force a new estimate: a `listpackex` costs more than the listpack `insert` assumed.
            entry.mem_elements = 0;
            self.register_field_ttls(key, at);
            self.refresh_memory(key);
        }
    }

    /// Number of hashes with field deadlines (INFO keyspace's `subexpiry`).
    pub fn hashes_with_field_ttls(&self) -> usize {
        self.hexpires.len()
    }

    /// Hashes whose earliest field deadline is at or before `now`, earliest first, at most `limit`.
    pub fn due_hashes(&self, now: u64, limit: usize) -> Vec<Bytes> {
        self.hexpires.iter().take_while(|(t, _)| *t <= now).take(limit).map(|(_, k)| k.clone()).collect()
    }

    /// The field deadlines of the hash at `key`, earliest first (empty if none): the key
    /// browser's per-field countdown.
    pub fn field_deadlines(&self, key: &[u8]) -> Vec<(Bytes, u64)> {
        self.map.get(key).map_or_else(Vec::new, Entry::field_deadlines)
    }

    /// Drop every key.
    pub fn clear(&mut self) {
        *self = Db { next_id: self.next_id, ..Db::default() };
    }

    /// Keys whose deadline is at or before `now`, earliest first, at most `limit` of them.
    pub fn due_keys(&self, now: u64, limit: usize) -> Vec<Bytes> {
        self.expiries.iter().take_while(|(t, _)| *t <= now).take(limit).map(|(_, k)| k.clone()).collect()
    }

    /// The earliest deadline, if any key or hash field has one.
    pub fn next_deadline(&self) -> Option<u64> {
        let key = self.expiries.first().map(|(t, _)| *t);
        let field = self.hexpires.first().map(|(t, _)| *t);
        key.into_iter().chain(field).min()
    }

    /// Up to `count` keys in scan order starting at id `cursor`; returns the keys and the next
    /// cursor (0 when the scan is complete).
    pub fn scan_ids(&self, cursor: u64, count: usize) -> (Vec<Bytes>, u64) {
        let mut keys = Vec::with_capacity(count.min(1024));
        let mut iter = self.order.range(cursor..);
        for (_, key) in iter.by_ref().take(count) {
            keys.push(key.clone());
        }
        let next = iter.next().map(|(id, _)| *id).unwrap_or(0);
        (keys, next)
    }

    /// A key chosen by `draw` (a uniform random u64), or None if the database is empty.
    /// Ids are dense unless keys were deleted, so drawing an id and taking the next live one is
    /// close to uniform.
    pub fn random_key(&self, draw: u64) -> Option<&Bytes> {
        let first = *self.order.first_key_value()?.0;
        let last = *self.order.last_key_value()?.0;
        let pick = first + draw % (last - first + 1);
        self.order.range(pick..).next().or_else(|| self.order.iter().next()).map(|(_, k)| k)
    }

    /// A key with a deadline chosen by `draw`, as [`Db::random_key`] chooses among all keys
    /// (volatile eviction samples this way).
    pub fn random_volatile_key(&self, draw: u64) -> Option<&Bytes> {
        let first = *self.volatile.first_key_value()?.0;
        let last = *self.volatile.last_key_value()?.0;
        let pick = first + draw % (last - first + 1);
        self.volatile.range(pick..).next().or_else(|| self.volatile.iter().next()).map(|(_, k)| k)
    }

    /// All keys (unordered), for KEYS and FLUSH notifications.
    pub fn keys(&self) -> impl Iterator<Item = &Bytes> {
        self.map.keys()
    }

    /// All entries.
    pub fn iter(&self) -> impl Iterator<Item = (&Bytes, &Entry)> {
        self.map.iter()
    }
}

/// The bytes of `entry`'s value: as `Value::estimate_bytes`, except that a hash in Redis's
/// `listpackex` encoding also stores a deadline per field (see `types::hfe`).
fn value_bytes(entry: &Entry) -> usize {
    use crate::types::encoding;
    match &entry.value {
        Value::Hash(h) if entry.encoding_floor == encoding::LISTPACK_EX && encoding::hash_is_listpack(h) => {
            crate::types::memory::listpack_ex_bytes(h, entry.field_ttls.as_deref())
        }
        Value::List(l) => crate::types::memory::list_bytes(l, entry.encoding_floor >= 1),
        value => value.estimate_bytes(),
    }
}

/// Raise `entry`'s encoding floor to `floor` and, for the types that never convert back, to the
/// encoding its value has now.
fn raise_encoding_floor(entry: &mut Entry, floor: u8) {
    use crate::types::encoding;
    entry.encoding_floor = entry.encoding_floor.max(floor);
    if let Value::List(l) = &entry.value {
        // `mem_elements` still holds the element count before this change (see refresh_memory).
        let shrunk = floor == 0 && l.len() <= entry.mem_elements;
        entry.encoding_floor = encoding::list_floor(l, entry.encoding_floor, shrunk);
        return;
    }
    if encoding::is_sticky(&entry.value) && entry.encoding_floor < encoding::top_rank(&entry.value) {
        entry.encoding_floor = entry.encoding_floor.max(encoding::natural_rank(&entry.value));
    }
}
