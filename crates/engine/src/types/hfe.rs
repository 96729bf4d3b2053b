//! Hash-field expiration (Redis 7.4's HEXPIRE family): the deadlines of a hash's fields.
//!
//! A hash's value stays a plain `IndexMap` (the fast path: most hashes never get a field TTL);
//! the deadlines live beside it in the key's [`crate::db::Entry`], created by the first HEXPIRE.
//! They are indexed both ways: by field (HTTL, HSET clearing a TTL) and by time, so the earliest
//! deadline (the hash's place in the database's index for active expiry) is O(log n).
//!
//! Redis's rules kept here: a field is expired for readers once its deadline is before now
//! (`deadline < now`); until a reader or the active cycle deletes it, it still counts in HLEN and
//! HDEL. In the `listpackex` encoding Redis keeps fields with a TTL first, ordered by deadline,
//! then the others in insertion order: [`place`] keeps the map in that order, so HGETALL replies
//! in Redis's order.

use bytes::Bytes;
use indexmap::IndexMap;
use std::collections::{BTreeSet, HashMap};

/// The deadlines (virtual-clock milliseconds) of the fields of one hash that have one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldTtls {
    by_field: HashMap<Bytes, u64>,
    by_time: BTreeSet<(u64, Bytes)>,
}

impl FieldTtls {
    /// The deadline of `field`, if it has one.
    pub fn get(&self, field: &[u8]) -> Option<u64> {
        self.by_field.get(field).copied()
    }

    /// Give `field` the deadline `at`.
    pub fn set(&mut self, field: Bytes, at: u64) {
        if let Some(old) = self.by_field.insert(field.clone(), at) {
            self.by_time.remove(&(old, field.clone()));
        }
        self.by_time.insert((at, field));
    }

    /// Drop the deadline of `field`; returns it.
    pub fn remove(&mut self, field: &[u8]) -> Option<u64> {
        let (field, at) = self.by_field.remove_entry(field)?;
        self.by_time.remove(&(at, field));
        Some(at)
    }

    /// The earliest deadline.
    pub fn min(&self) -> Option<u64> {
        self.by_time.first().map(|(t, _)| *t)
    }

    /// Fields whose deadline is at or before `at`, earliest first, at most `limit`.
    pub fn due(&self, at: u64, limit: usize) -> Vec<Bytes> {
        self.by_time.iter().take_while(|(t, _)| *t <= at).take(limit).map(|(_, f)| f.clone()).collect()
    }

    /// Number of fields with a deadline.
    pub fn len(&self) -> usize {
        self.by_field.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }

    /// (field, deadline) pairs, earliest deadline first.
    pub fn iter(&self) -> impl Iterator<Item = (&Bytes, u64)> {
        self.by_time.iter().map(|(t, f)| (f, *t))
    }

    /// True if `field` has a deadline before `now` (expired for readers).
    pub fn is_expired(&self, field: &[u8], now: u64) -> bool {
        self.get(field).is_some_and(|t| t < now)
    }
}

/// True if `field` of a hash with deadlines `ttls` is expired at `now`.
pub fn expired(ttls: Option<&FieldTtls>, field: &[u8], now: u64) -> bool {
    ttls.is_some_and(|t| t.is_expired(field, now))
}

/// Move `field` (present in `hash`) to the place Redis's listpackex gives it: with a deadline,
/// before the first field that has none or a later-or-equal one; without one, at the end.
pub fn place(hash: &mut IndexMap<Bytes, Bytes>, ttls: &FieldTtls, field: &[u8]) {
    let Some(from) = hash.get_index_of(field) else { return };
    let Some(at) = ttls.get(field) else {
        hash.move_index(from, hash.len() - 1);
        return;
    };
    let mut to = 0;
    for (i, (f, _)) in hash.iter().enumerate() {
        if i == from {
            continue;
        }
        match ttls.get(f) {
            Some(t) if t < at => to += 1,
            _ => break,
        }
    }
    hash.move_index(from, to);
}
