//! Eviction under `maxmemory`, sampled as Redis samples (`maxmemory-samples` keys per round).

use crate::config::EvictionPolicy;
use crate::ctx::lfu_decayed;
use crate::error::CmdError;
use crate::events::Event;
use crate::server::Server;
use bytes::Bytes;

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
        server.dbs[db].remove(&key);
        server.stats.evicted_keys += 1;
        server.events.emit(|| Event::Evicted { db, key: key.clone() });
        server.touch(db, &key);
    }
    Ok(())
}

/// Sample keys and return the best one to evict under the current policy.
fn pick_victim(server: &mut Server, now: u64) -> Option<(usize, Bytes)> {
    let policy = server.config.policy;
    let samples = server.config.maxmemory_samples.max(1) as usize;
    let decay = server.config.lfu_decay_time;
    let mut best: Option<(u64, usize, Bytes)> = None;
    for db in 0..server.dbs.len() {
        let candidates =
            if policy.volatile_only() { server.dbs[db].expires_len() } else { server.dbs[db].len() };
        if candidates == 0 {
            continue;
        }
        for _ in 0..samples {
            let draw = server.random();
            let key = if policy.volatile_only() {
                volatile_sample(server, db, draw)
            } else {
                server.dbs[db].random_key(draw).cloned()
            };
            let Some(key) = key else { continue };
            let Some(entry) = server.dbs[db].raw_get(&key) else { continue };
            // Higher score = better victim.
            let score = match policy {
                EvictionPolicy::AllKeysLru | EvictionPolicy::VolatileLru => {
                    now.saturating_sub(entry.access.last_ms)
                }
                EvictionPolicy::AllKeysLfu | EvictionPolicy::VolatileLfu => {
                    255 - lfu_decayed(&entry.access, now, decay) as u64
                }
                EvictionPolicy::VolatileTtl => u64::MAX - entry.expires_at.unwrap_or(u64::MAX),
                _ => 0,
            };
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, db, key));
            }
        }
    }
    best.map(|(_, db, key)| (db, key))
}

/// A random key among those with a deadline.
fn volatile_sample(server: &Server, db: usize, draw: u64) -> Option<Bytes> {
    let due = server.dbs[db].due_keys(u64::MAX, server.dbs[db].expires_len());
    if due.is_empty() {
        None
    } else {
        Some(due[(draw % due.len() as u64) as usize].clone())
    }
}
