//! The state shared by every client: databases, settings, counters, randomness, events.

use crate::config::Config;
use crate::db::Db;
use crate::events::EventLog;
use bytes::Bytes;
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Counters INFO reports.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
    pub evicted_keys: u64,
    pub total_commands_processed: u64,
    pub total_connections_received: u64,
}

/// Per-connection state.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub id: u64,
    pub name: Option<Bytes>,
    pub db: usize,
    pub protocol: crate::Protocol,
    /// Commands queued after MULTI; `None` outside a transaction.
    pub multi: Option<Vec<Vec<Bytes>>>,
    /// A queued command was rejected: EXEC must answer EXECABORT.
    pub multi_error: bool,
    /// Keys this client WATCHes, by (db, key).
    pub watched: Vec<(usize, Bytes)>,
    /// A watched key changed: EXEC must abort.
    pub watch_dirty: bool,
    /// Virtual-clock ms when the client connected and last ran a command.
    pub created_ms: u64,
    pub last_ms: u64,
    /// Last command name, for CLIENT INFO's `cmd=`.
    pub last_command: String,
    pub lib_name: Option<Bytes>,
    pub lib_ver: Option<Bytes>,
}

/// Everything but the calling client.
pub struct Server {
    pub dbs: Vec<Db>,
    pub config: Config,
    pub stats: Stats,
    pub events: EventLog,
    pub rng: Xoshiro256PlusPlus,
    /// Other connected clients (the calling one is taken out while it runs).
    pub clients: BTreeMap<u64, Client>,
    pub next_client_id: u64,
    /// Virtual-clock ms at creation, for `uptime_in_seconds`.
    pub started_ms: u64,
    /// Who watches each (db, key): touched keys mark those clients dirty.
    pub watchers: HashMap<(usize, Bytes), HashSet<u64>>,
    /// Clients whose watched keys changed while they were not the caller.
    pub dirty_clients: HashSet<u64>,
    /// Keys changed by the current command, for the search indexes (kept only when an index exists).
    pub changed: Vec<(usize, Bytes)>,
    /// True while any FT index exists, so `changed` is recorded.
    pub track_changes: bool,
}

impl Server {
    pub fn new(seed: u64, now: u64) -> Server {
        let config = Config::default();
        Server {
            dbs: (0..config.databases).map(|_| Db::new()).collect(),
            config,
            stats: Stats::default(),
            events: EventLog::default(),
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            clients: BTreeMap::new(),
            next_client_id: 1,
            started_ms: now,
            watchers: HashMap::new(),
            dirty_clients: HashSet::new(),
            changed: Vec::new(),
            track_changes: false,
        }
    }

    /// A uniformly random u64 from the seeded generator.
    pub fn random(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A random index in `0..n` (n > 0).
    pub fn random_below(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n as u64) as usize
    }

    /// A uniform double in [0, 1).
    pub fn random_unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Total estimated memory: keys plus a fixed base, like Redis's used_memory.
    pub fn used_memory(&self) -> u64 {
        BASE_MEMORY + self.dbs.iter().map(|d| d.used_memory() as u64).sum::<u64>()
    }

    /// Record that `key` in `db` was modified: WATCHers are invalidated, indexes told.
    pub fn touch(&mut self, db: usize, key: &Bytes) {
        if !self.watchers.is_empty() {
            if let Some(ids) = self.watchers.get(&(db, key.clone())) {
                self.dirty_clients.extend(ids.iter().copied());
            }
        }
        if self.track_changes {
            self.changed.push((db, key.clone()));
        }
    }
}

/// What an empty Redis 7.4 reports as used_memory, roughly (allocator and server structures).
pub const BASE_MEMORY: u64 = 880_000;
