//! The replica side of replication: following the primary REPLICAOF named. The engine does no
//! I/O, so a host with a network (`playground-proxy emulate`) makes the link: it connects, runs
//! the PSYNC handshake, hands over the primary's RDB file ([`Engine::primary_synced`]) and then
//! each command of its stream ([`Engine::apply_from_primary`]), and says when the link drops.
//! The commands run on a client of their own (flags `M` in CLIENT LIST) that the replica's
//! read-only and stale-data checks let through, as Redis's master client.

use crate::Engine;
use bytes::Bytes;

/// A link that completed its full sync.
#[derive(Debug, Clone)]
pub struct Link {
    /// The client the primary's commands run on.
    pub client: u64,
    /// The stream offset reached (`slave_repl_offset`).
    pub offset: u64,
    /// Last byte from the primary, virtual ms (`master_last_io_seconds_ago`).
    pub last_io: u64,
}

impl Engine {
    /// The primary REPLICAOF named, for a host that can connect to it.
    pub fn primary(&self) -> Option<(String, u16)> {
        self.server.repl.primary.clone()
    }

    /// True while a full sync completed and the link has not dropped since.
    pub fn primary_link_up(&self) -> bool {
        self.server.repl.link.is_some()
    }

    /// The host finished a full sync with the primary at `primary` (the one it was asked for:
    /// a REPLICAOF since then makes this a no-op): every database is replaced by the RDB file's
    /// keys, and the stream starts at `offset`. Module values the engine cannot hold (ReJSON's
    /// own encoding) are left out; their count is returned. An unreadable file changes nothing.
    pub fn primary_synced(
        &mut self,
        primary: &(String, u16),
        rdb: &[u8],
        offset: u64,
        now: u64,
    ) -> Result<usize, String> {
        if self.server.repl.primary.as_ref() != Some(primary) {
            return Ok(0);
        }
        let loaded = crate::rdb::load::load_file(rdb, usize::MAX).map_err(str::to_string)?;
        for db in 0..self.server.dbs.len() {
            crate::cmd::server::flush_db(&mut self.server, db);
        }
        self.server.events.emit(|| crate::Event::Flushed { db: None });
        let dbs = self.server.dbs.len();
        for key in loaded.keys.into_iter().filter(|k| k.db < dbs) {
            self.server.dbs[key.db].insert(key.key.clone(), key.value, key.expires_at, now);
            self.server.events.emit(|| crate::Event::Written { db: key.db, key: key.key });
        }
        self.server.dirty = 0;
        let client = self.connect(now);
        if let Some(c) = self.server.clients.get_mut(&client) {
            c.from_primary = true;
        }
        if let Some(old) = self.server.repl.link.replace(Link { client, offset, last_io: now }) {
            self.disconnect(old.client);
        }
        self.server.repl.link_down_since = None;
        Ok(loaded.skipped_module_values)
    }

    /// One command of the primary's stream, `len` bytes of it on the wire: it runs on the link's
    /// client and its reply goes nowhere (REPLCONF GETACK is the host's to answer).
    pub fn apply_from_primary(&mut self, args: Vec<Bytes>, len: u64, now: u64) {
        let Some(link) = self.server.repl.link.as_mut() else { return };
        link.offset += len;
        link.last_io = now;
        let client = link.client;
        let ping = args.first().is_some_and(|a| a.eq_ignore_ascii_case(b"PING"));
        let ack = args.first().is_some_and(|a| a.eq_ignore_ascii_case(b"REPLCONF"));
        if !ping && !ack {
            self.execute(client, args, now);
        }
    }

    /// The link dropped (or the host gave up on it): the replica is stale until the next sync.
    pub fn primary_link_lost(&mut self, now: u64) {
        if let Some(link) = self.server.repl.link.take() {
            self.disconnect(link.client);
            self.server.repl.link_down_since = Some(now);
        }
    }

    /// The stream offset the replica reached, for REPLCONF ACK.
    pub fn replica_offset(&self) -> u64 {
        self.server.repl.link.as_ref().map_or(0, |l| l.offset)
    }
}
