//! The view a command handler gets: the server, the calling client, and the time.
//!
//! Key access goes through here so that lazy expiry, hit/miss counting, LRU/LFU bookkeeping,
//! WATCH invalidation, index updates and events happen the same way for every command.

use crate::db::{Access, Db, Entry};
use crate::error::CmdError;
use crate::events::Event;
use crate::server::{Client, Server};
use crate::types::Value;
use bytes::Bytes;
use rand_core::RngCore;

/// Handler context.
pub struct Ctx<'a> {
    pub server: &'a mut Server,
    pub client: &'a mut Client,
    /// Virtual-clock milliseconds.
    pub now: u64,
}

impl<'a> Ctx<'a> {
    /// Index of the client's selected database.
    pub fn db_index(&self) -> usize {
        self.client.db
    }

    /// The selected database (raw: no expiry, no stats).
    pub fn db(&mut self) -> &mut Db {
        &mut self.server.dbs[self.client.db]
    }

    /// Publish a keyspace notification for `key` in the selected database (see `notify.rs`):
    /// `class` is one of `notify::GENERIC`, `STRING`..., `event` Redis's name for what happened.
    pub fn notify(&mut self, class: u16, event: &str, key: &[u8]) {
        if self.server.config.notify_keyspace_events & class != 0 {
            crate::notify::notify(self.server, class, event, self.client.db, key);
        }
    }

    /// Remove `key` from database `db` if its deadline has passed. Returns true if it expired.
    pub fn expire_if_needed_in(&mut self, db: usize, key: &[u8]) -> bool {
        if !self.server.dbs[db].is_expired(key, self.now) {
            return false;
        }
        expire_key(self.server, db, key);
        true
    }

    /// Lazy expiry in the selected database.
    pub fn expire_if_needed(&mut self, key: &[u8]) -> bool {
        self.expire_if_needed_in(self.client.db, key)
    }

    /// Look a key up for reading: counts a keyspace hit or miss and updates access data.
    pub fn read(&mut self, key: &[u8]) -> Option<&Value> {
        self.read_lookup(key, true).map(|e| &e.value)
    }

    /// [`Ctx::read`] giving the whole entry (a hash's field deadlines come with it).
    pub fn read_entry(&mut self, key: &[u8]) -> Option<&Entry> {
        self.read_lookup(key, true)
    }

    /// Look a key up for reading, counting a hit or miss, without updating its LRU/LFU data
    /// (Redis's `LOOKUP_NOTOUCH`: TYPE, EXISTS, TTL, OBJECT).
    pub fn read_no_touch(&mut self, key: &[u8]) -> Option<&Entry> {
        self.read_lookup(key, false)
    }

    /// A read as Redis's `lookupKeyRead` does it: an expired key is removed first (and counts
    /// as a miss), a live one is a hit and, with `access`, gets its LRU/LFU data updated (unless
    /// the client set CLIENT NO-TOUCH). One hash lookup decides all of that; the second hands
    /// out the entry.
    fn read_lookup(&mut self, key: &[u8], access: bool) -> Option<&Entry> {
        let db = self.client.db;
        let touch = access && !self.client.no_touch;
        let now = self.now;
        let (factor, decay) = (self.server.config.lfu_log_factor, self.server.config.lfu_decay_time);
        let server = &mut *self.server;
        let live = match server.dbs[db].raw_get_mut(key) {
            Some(entry) if entry.expires_at.is_some_and(|t| t <= now) => {
                // CLIENT PAUSE: the key reads as gone but stays until the pause ends.
                if !server.pause.active(now) {
                    expire_key(server, db, key);
                }
                false
            }
            Some(entry) => {
                if access {
                    // Drawn on every such hit, touched or not, so the random sequence does not
                    // depend on CLIENT NO-TOUCH.
                    let draw = unit_draw(server.rng.next_u64());
                    if touch {
                        touch_access(&mut entry.access, now, factor, decay, draw);
                    }
                }
                true
            }
            None => false,
        };
        if live {
            server.stats.keyspace_hits += 1;
            server.events.emit(|| Event::Hit { db, key: Bytes::copy_from_slice(key) });
            server.dbs[db].raw_get(key)
        } else {
            server.stats.keyspace_misses += 1;
            server.events.emit(|| Event::Miss { db, key: Bytes::copy_from_slice(key) });
            crate::notify::notify(server, crate::notify::KEY_MISS, "keymiss", db, key);
            None
        }
    }

    /// Look a key up without counting a hit or miss (TYPE-like and write paths), expiring it if due.
    pub fn peek(&mut self, key: &[u8]) -> Option<&Entry> {
        self.expire_if_needed(key);
        let db = self.client.db;
        self.server.dbs[db].raw_get(key)
    }

    /// Look a key up for writing: expires it if due, updates access data, no hit/miss counted.
    /// Call [`Ctx::modified`] after changing the value in place.
    pub fn write(&mut self, key: &[u8]) -> Option<&mut Entry> {
        self.expire_if_needed(key);
        let db = self.client.db;
        let now = self.now;
        let (factor, decay) = (self.server.config.lfu_log_factor, self.server.config.lfu_decay_time);
        let draw = self.server.random_unit();
        let entry = self.server.dbs[db].raw_get_mut(key)?;
        touch_access(&mut entry.access, now, factor, decay, draw);
        Some(entry)
    }

    /// The value at `key` for writing, created with `make` if missing; WRONGTYPE if `is_kind`
    /// rejects the existing value. Call [`Ctx::modified`] afterwards.
    pub fn write_or_create(
        &mut self,
        key: &Bytes,
        is_kind: fn(&Value) -> bool,
        make: impl FnOnce() -> Value,
    ) -> Result<&mut Value, CmdError> {
        let exists = match self.write(key) {
            Some(entry) if !is_kind(&entry.value) => return Err(CmdError::wrong_type()),
            Some(_) => true,
            None => false,
        };
        let db = self.client.db;
        if !exists {
            self.server.dbs[db].insert(key.clone(), make(), None, self.now);
            self.notify(crate::notify::NEW, "new", key);
        }
        Ok(&mut self.server.dbs[db].raw_get_mut(key).expect("just inserted").value)
    }

    /// Propagate the running command to replicas as `lines` instead of as typed (Redis's
    /// `rewriteClientCommandVector`): `EXPIRE k 10` as `PEXPIREAT k <ms>`, `SPOP` as the `SREM`
    /// of what it popped. Nothing happens while no replica listens.
    pub fn propagate_as(&mut self, lines: impl FnOnce() -> Vec<Vec<Bytes>>) {
        if self.server.repl.active() {
            self.client.propagate_as = Some(lines());
        }
    }

    /// After an in-place change of `key`: recount its memory (and note an encoding conversion),
    /// delete it if it is now an empty collection, and tell watchers, indexes and listeners.
    pub fn modified(&mut self, key: &Bytes) {
        let db = self.client.db;
        let empty = self.server.dbs[db].raw_get(key).is_some_and(|e| e.value.is_empty_collection());
        if empty {
            self.server.dbs[db].remove(key);
            // After the command's own event, as Redis's commands send theirs.
            self.notify(crate::notify::GENERIC, "del", key);
            self.server.events.emit(|| Event::Deleted { db, key: key.clone() });
        } else {
            self.server.dbs[db].refresh_memory(key);
            self.server.events.emit(|| Event::Written { db, key: key.clone() });
        }
        self.server.touch(db, key);
    }

    /// Store `value` at `key` (replacing any value), with the given deadline.
    pub fn set(&mut self, key: Bytes, value: Value, expires_at: Option<u64>) {
        self.set_encoded(key, value, expires_at, 0);
    }

    /// [`Ctx::set`] for a result whose encoding is at least `floor` whatever its contents
    /// (APPEND makes `raw` strings, INCRBYFLOAT never `int` ones: see `types::encoding`).
    pub fn set_encoded(&mut self, key: Bytes, value: Value, expires_at: Option<u64>, floor: u8) {
        let db = self.client.db;
        self.expire_if_needed(&key);
        // Plain SETs (the hot path) need no second lookup: a fresh string has floor 0.
        let settle = floor > 0 || crate::types::encoding::is_sticky(&value);
        let new = self.server.config.notify_keyspace_events & crate::notify::NEW != 0
            && self.server.dbs[db].raw_get(&key).is_none();
        self.server.dbs[db].insert(key.clone(), value, expires_at, self.now);
        if new {
            self.notify(crate::notify::NEW, "new", &key);
        }
        if settle {
            self.server.dbs[db].settle_encoding(&key, floor);
        }
        self.server.events.emit(|| Event::Written { db, key: key.clone() });
        self.server.touch(db, &key);
    }

    /// Delete `key` if present (expired keys count as absent). Returns true if it was deleted.
    pub fn delete(&mut self, key: &[u8]) -> bool {
        let lazy = self.server.config.is_on("lazyfree-lazy-server-del");
        self.delete_freeing(key, lazy)
    }

    /// [`Ctx::delete`], with the value freed lazily or not (DEL and UNLINK choose; see
    /// `lazyfree.rs`).
    pub fn delete_freeing(&mut self, key: &[u8], lazy: bool) -> bool {
        if self.expire_if_needed(key) {
            return false;
        }
        let db = self.client.db;
        match self.server.dbs[db].remove(key) {
            Some(entry) => {
                crate::lazyfree::release(self.server, &entry, lazy);
                let key = Bytes::copy_from_slice(key);
                self.server.events.emit(|| Event::Deleted { db, key: key.clone() });
                self.server.touch(db, &key);
                true
            }
            None => false,
        }
    }

    /// Set or clear the deadline of an existing key, telling watchers.
    pub fn set_expiry(&mut self, key: &Bytes, expires_at: Option<u64>) -> bool {
        let db = self.client.db;
        let done = self.server.dbs[db].set_expiry(key, expires_at);
        if done {
            self.server.touch(db, key);
        }
        done
    }
}

/// Remove an expired key, counting it and telling listeners.
pub fn expire_key(server: &mut Server, db: usize, key: &[u8]) {
    if let Some(entry) = server.dbs[db].remove(key) {
        let lazy = server.config.is_on("lazyfree-lazy-expire");
        crate::lazyfree::release(server, &entry, lazy);
        server.stats.expired_keys += 1;
        crate::notify::notify(server, crate::notify::EXPIRED, "expired", db, key);
        let key = Bytes::copy_from_slice(key);
        server.events.emit(|| Event::Expired { db, key: key.clone() });
        server.signal_modified(db, &key);
        crate::propagate::deletion(server, db, &key, lazy);
    }
}

/// Delete `fields` of the hash at `key` in database `db` because their deadline passed (lazy or
/// active expiry), counting `expired_subkeys`; the key goes with its last field, as in Redis.
/// Returns true if the key was deleted. The hash's registration for the active cycle stays as
/// it was (callers that re-register it do so, as in Redis).
/// With `notify`, subscribers get `hexpired` (and `del` with the last field); HMGET expires its
/// fields quietly and tells once for the whole command, as Redis does.
pub fn expire_fields(server: &mut Server, db: usize, key: &[u8], fields: &[Bytes], notify: bool) -> bool {
    let Some(entry) = server.dbs[db].raw_get_mut(key) else { return false };
    let Value::Hash(hash) = &mut entry.value else { return false };
    let mut gone = 0;
    for field in fields {
        if hash.shift_remove(field).is_some() {
            gone += 1;
            // Replicas delete the field when the master does (`propagateHashFieldDeletion`).
            if server.repl.active() {
                server.repl.add(db, crate::propagate::argv([b"HDEL", key, field]));
            }
        }
        if let Some(ttls) = entry.field_ttls.as_mut() {
            ttls.remove(field);
        }
    }
    server.stats.expired_subkeys += gone;
    let emptied = hash.is_empty();
    if gone > 0 && notify {
        crate::notify::notify(server, crate::notify::HASH, "hexpired", db, key);
    }
    let key = Bytes::copy_from_slice(key);
    if emptied {
        if notify {
            crate::notify::notify(server, crate::notify::GENERIC, "del", db, &key);
        }
        server.dbs[db].remove(&key);
        server.events.emit(|| Event::Deleted { db, key: key.clone() });
    } else {
        server.dbs[db].refresh_memory(&key);
        server.events.emit(|| Event::Written { db, key: key.clone() });
    }
    // Expiry is not a change Redis counts in `dirty` (nor propagates as the command that found
    // it): the HDELs above stand for it.
    server.signal_modified(db, &key);
    emptied
}

/// A uniform number in [0, 1) from 64 random bits (the top 53, as many as an f64 holds).
pub fn unit_draw(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Redis's LFU_INIT_VAL: new keys start here so they are not evicted at once.
pub const LFU_INIT_VAL: u8 = 5;

/// Update LRU time and the LFU counter on access, as Redis's `updateLFU` does: first decay the
/// counter by one per `decay` minutes idle, then increment it with probability
/// 1 / ((counter - LFU_INIT_VAL) * factor + 1). `draw` is a uniform number in [0, 1).
pub fn touch_access(access: &mut Access, now: u64, factor: u32, decay: u32, draw: f64) {
    access.lfu_counter = lfu_decayed(access, now, decay);
    let counter = access.lfu_counter;
    if counter < 255 {
        let base = counter.saturating_sub(LFU_INIT_VAL) as f64;
        let p = 1.0 / (base * factor as f64 + 1.0);
        if draw < p {
            access.lfu_counter = counter + 1;
        }
    }
    access.lfu_minute = now / 60_000;
    access.last_ms = now;
}

/// The LFU counter after decay for the minutes idle since the last access.
pub fn lfu_decayed(access: &Access, now: u64, decay: u32) -> u8 {
    let idle_minutes = (now / 60_000).saturating_sub(access.lfu_minute);
    let periods = if decay == 0 { 0 } else { idle_minutes / decay as u64 };
    access.lfu_counter.saturating_sub(periods.min(255) as u8)
}
