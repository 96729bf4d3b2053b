//! Eviction under `maxmemory`, sampled as Redis samples.
//!
//! Redis does not keep keys sorted by age or frequency: for each victim it samples
//! `maxmemory-samples` keys per database and keeps the best candidates seen so far in a small
//! *eviction pool* (16 entries, sorted by score) that survives between evictions, so later rounds
//! start from the good candidates of earlier ones. The victim is the best pooled key that still
//! exists. The random policies skip the pool and take a random key, cycling through databases.
//! This file does the same on the virtual clock, with the engine's seeded generator.

use crate::config::EvictionPolicy;
use crate::ctx::lfu_decayed;
use crate::error::CmdError;
use crate::events::Event;
use crate::server::Server;
use bytes::Bytes;

/// Redis's EVPOOL_SIZE.
const POOL_SIZE: usize = 16;

/// Candidates kept between evictions, and where the random policies resume.
#[derive(Debug, Default, Clone)]
pub struct EvictionPool {
    /// (score, db, key), ascending by score: the last entry is the best victim.
    entries: Vec<(u64, usize, Bytes)>,
    /// The database the random policies try first next time.
    next_db: usize,
}

impl EvictionPool {
    /// Offer a sampled key; kept if the pool has room or it beats the worst pooled candidate.
    fn offer(&mut self, score: u64, db: usize, key: Bytes) {
        if self.entries.iter().any(|(_, d, k)| *d == db && *k == key) {
            return;
        }
        let full = self.entries.len() >= POOL_SIZE;
        if full && self.entries.first().is_some_and(|(worst, _, _)| score <= *worst) {
            return;
        }
        let at = self.entries.partition_point(|(s, _, _)| *s < score);
        self.entries.insert(at, (score, db, key));
        if self.entries.len() > POOL_SIZE {
            self.entries.remove(0);
        }
    }

    /// Forget every candidate (the policy changed or the keyspace was flushed).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Evict keys until used memory is at or under `maxmemory`, following the policy.
/// Errors with Redis's OOM text when nothing (more) can be evicted.
pub fn make_room(server: &mut Server, now: u64) -> Result<(), CmdError> {
    let limit = server.config.maxmemory;
    if limit == 0 {
        return Ok(());
    }
    while server.used_memory() > limit {
        if server.config.policy == EvictionPolicy::NoEviction {
            return Err(CmdError::oom());
        }
        let Some((db, key)) = pick_victim(server, now) else {
            return Err(CmdError::oom());
        };
        evict_key(server, db, &key);
    }
    Ok(())
}

/// Remove one key for memory, counting it and telling watchers and listeners.
fn evict_key(server: &mut Server, db: usize, key: &Bytes) {
    if let Some(entry) = server.dbs[db].remove(key) {
        let lazy = server.config.is_on("lazyfree-lazy-eviction");
        crate::lazyfree::release(server, &entry, lazy);
        server.stats.evicted_keys += 1;
        crate::notify::notify(server, crate::notify::EVICTED, "evicted", db, key);
        server.events.emit(|| Event::Evicted { db, key: key.clone() });
        server.touch(db, key);
        crate::propagate::deletion(server, db, key, lazy);
    }
}

/// The key to evict next under the current policy, or None if no key qualifies.
pub(crate) fn pick_victim(server: &mut Server, now: u64) -> Option<(usize, Bytes)> {
    let policy = server.config.policy;
    match policy {
        EvictionPolicy::NoEviction => None,
        EvictionPolicy::AllKeysRandom | EvictionPolicy::VolatileRandom => random_victim(server),
        _ => pooled_victim(server, now),
    }
}

/// Random policies: a random candidate from the first database (cycling) that has one.
fn random_victim(server: &mut Server) -> Option<(usize, Bytes)> {
    let volatile = server.config.policy.volatile_only();
    let dbs = server.dbs.len();
    for step in 0..dbs {
        let db = (server.evict_pool.next_db + step) % dbs;
        let draw = server.random();
        let key =
            if volatile { server.dbs[db].random_volatile_key(draw) } else { server.dbs[db].random_key(draw) };
        if let Some(key) = key.cloned() {
            server.evict_pool.next_db = (db + 1) % dbs;
            return Some((db, key));
        }
    }
    None
}

/// Sampling policies: refill the pool from every database, then take its best live entry.
fn pooled_victim(server: &mut Server, now: u64) -> Option<(usize, Bytes)> {
    let policy = server.config.policy;
    let samples = server.config.maxmemory_samples.max(1) as usize;
    let decay = server.config.lfu_decay_time;
    for db in 0..server.dbs.len() {
        let candidates =
            if policy.volatile_only() { server.dbs[db].expires_len() } else { server.dbs[db].len() };
        if candidates == 0 {
            continue;
        }
        if candidates <= samples {
            // Redis samples with dictGetSomeKeys, which walks buckets and returns distinct keys:
            // when a database holds no more keys than the sample size, every key is a candidate
            // (random draws would miss some, and evict a recently used key instead).
            let all: Vec<(u64, Bytes)> = server.dbs[db]
                .iter()
                .filter(|(_, entry)| !policy.volatile_only() || entry.expires_at.is_some())
                .map(|(key, entry)| (eviction_score(policy, entry, now, decay), key.clone()))
                .collect();
            for (score, key) in all {
                server.evict_pool.offer(score, db, key);
            }
            continue;
        }
        for _ in 0..samples {
            let draw = server.random();
            let picked = if policy.volatile_only() {
                server.dbs[db].random_volatile_key(draw)
            } else {
                server.dbs[db].random_key(draw)
            };
            let Some(key) = picked.cloned() else { continue };
            let Some(entry) = server.dbs[db].raw_get(&key) else { continue };
            let score = eviction_score(policy, entry, now, decay);
            server.evict_pool.offer(score, db, key);
        }
    }
    while let Some((_, db, key)) = server.evict_pool.entries.pop() {
        let still_eligible = server
            .dbs
            .get(db)
            .and_then(|d| d.raw_get(&key))
            .is_some_and(|entry| !policy.volatile_only() || entry.expires_at.is_some());
        if still_eligible {
            return Some((db, key));
        }
    }
    None
}

/// Higher is a better victim: idle time for LRU, rarity for LFU, nearness of the deadline for TTL.
fn eviction_score(policy: EvictionPolicy, entry: &crate::db::Entry, now: u64, decay: u32) -> u64 {
    match policy {
        EvictionPolicy::AllKeysLru | EvictionPolicy::VolatileLru => now.saturating_sub(entry.access.last_ms),
        EvictionPolicy::AllKeysLfu | EvictionPolicy::VolatileLfu => {
            255 - lfu_decayed(&entry.access, now, decay) as u64
        }
        EvictionPolicy::VolatileTtl => u64::MAX - entry.expires_at.unwrap_or(u64::MAX),
        _ => 0,
    }
}
