//! The replication stream a primary writes to its replicas (Redis 7.4's `alsoPropagate` and
//! `propagatePendingCommands`, `server.c`; `replicationFeedSlaves`, `replication.c`).
//!
//! A client that sends SYNC or PSYNC becomes a replica: after the RDB of the dataset it receives
//! every change as a command, exactly as Redis writes it, so a real replica (or Redis's own test
//! suite, which reads this stream) sees what Redis would send. The changes of one *execution
//! unit* (a command, a whole EXEC, a script) are collected first; a unit that made more than one
//! is wrapped in MULTI/EXEC, and a SELECT goes before the first command of another database.
//!
//! Commands propagate as their effect, not as typed: relative TTLs become absolute (`SET ..
//! PXAT`, `PEXPIREAT`), pops name what they popped (`SPOP` as `SREM`), scripts as the commands
//! they ran, expired keys as `DEL`. A handler says so with [`crate::ctx::Ctx::propagate_as`].
//! Nothing is collected while no replica is attached, so the stream costs nothing otherwise.

use crate::frame::Frame;
use crate::server::Server;
use bytes::Bytes;

/// The replication side of the server: who listens and what the current unit changed.
#[derive(Debug, Default)]
pub struct Propagation {
    /// Clients attached with SYNC or PSYNC, in the order they attached.
    replicas: Vec<u64>,
    /// When each replica last acknowledged (REPLCONF ACK) or attached, virtual ms.
    acked: Vec<u64>,
    /// The stream offset each replica last acknowledged.
    acked_offset: Vec<u64>,
    /// The commands of the current execution unit, with their database (`None`: MULTI and
    /// EXEC, which select nothing).
    pending: Vec<(Option<usize>, Vec<Bytes>)>,
    /// The database the stream last selected (Redis's `slaveseldb`); `None` until the first
    /// command after a replica attached, which then gets a SELECT.
    selected: Option<usize>,
    /// Bytes written to the stream since the start (`master_repl_offset`).
    pub offset: u64,
    /// The primary REPLICAOF named (host, port): this server is then a replica, read-only and
    /// propagating nothing of its own. Its link is the host's to make (`crate::follow`); the
    /// page has no network, so there it stays down.
    pub primary: Option<(String, u16)>,
    /// The link to the primary while it is up (see `crate::follow`).
    pub link: Option<crate::follow::Link>,
    /// When a link that was up went down (virtual ms; INFO's `master_link_down_since_seconds`).
    pub link_down_since: Option<u64>,
}

impl Propagation {
    /// True while a replica listens: only then are changes collected.
    pub fn active(&self) -> bool {
        !self.replicas.is_empty()
    }

    /// The attached replicas (INFO's `connected_slaves`).
    pub fn replicas(&self) -> &[u64] {
        &self.replicas
    }

    /// Attach `client` as a replica at `now`; the next command it receives is preceded by a
    /// SELECT.
    pub fn attach(&mut self, client: u64, now: u64) {
        if !self.replicas.contains(&client) {
            self.replicas.push(client);
            self.acked.push(now);
            self.acked_offset.push(0);
        }
        self.selected = None;
    }

    /// A replica acknowledged the stream (REPLCONF ACK): it counts as good for a while.
    pub fn ack(&mut self, client: u64, now: u64, offset: Option<u64>) {
        if let Some(i) = self.replicas.iter().position(|id| *id == client) {
            self.acked[i] = now;
            if let Some(offset) = offset {
                self.acked_offset[i] = offset;
            }
        }
    }

    /// Each replica with when it last acknowledged and the offset it did (INFO's `slaveN`
    /// lines, ROLE's replica list).
    pub fn acknowledged(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        (0..self.replicas.len()).map(|i| (self.replicas[i], self.acked[i], self.acked_offset[i]))
    }

    /// Forget a replica that disconnected.
    pub fn detach(&mut self, client: u64) {
        if let Some(i) = self.replicas.iter().position(|id| *id == client) {
            self.replicas.remove(i);
            self.acked.remove(i);
            self.acked_offset.remove(i);
        }
    }
}

/// Redis's `checkGoodReplicasStatus`: with `min-replicas-to-write` N set, writes need N replicas
/// that acknowledged within `min-replicas-max-lag` seconds.
pub fn enough_good_replicas(server: &Server, now: u64) -> bool {
    if server.repl.primary.is_some() {
        return true;
    }
    let others = &server.config.others;
    let Some(needed) = others.set_number("min-replicas-to-write").filter(|n| *n > 0) else { return true };
    let max_lag = others.set_number("min-replicas-max-lag").unwrap_or(10);
    if max_lag == 0 {
        return true;
    }
    let lag_ms = max_lag.saturating_mul(1000) as u64;
    let good = server.repl.acked.iter().filter(|at| now.saturating_sub(**at) <= lag_ms).count();
    good as i64 >= needed
}

/// The error a write gets while [`enough_good_replicas`] says no.
pub const NOREPLICAS: &str = "NOREPLICAS Not enough good replicas to write.";

impl Propagation {
    /// Add one command to the current unit (Redis's `alsoPropagate`).
    pub fn add(&mut self, db: usize, argv: Vec<Bytes>) {
        if self.active() {
            self.pending.push((Some(db), argv));
        }
    }
}

/// A command line from words, for the commands the engine writes itself.
pub fn argv<const N: usize>(words: [&[u8]; N]) -> Vec<Bytes> {
    words.iter().map(|w| Bytes::copy_from_slice(w)).collect()
}

/// A key's deletion by expiry or eviction, as Redis's `propagateDeletion`: UNLINK when it was
/// freed lazily (its `lazyfree-lazy-*` setting on), else DEL.
pub fn deletion(server: &mut Server, db: usize, key: &[u8], lazy: bool) {
    if server.repl.active() {
        let line = argv([if lazy { b"UNLINK" } else { b"DEL" }, key]);
        server.repl.add(db, line);
    }
}

/// `UNLINK` when the `lazyfree-lazy-*` setting named is on, else `DEL`.
pub fn delete_word(server: &Server, lazy_setting: &str) -> &'static [u8] {
    if server.config.is_on(lazy_setting) {
        b"UNLINK"
    } else {
        b"DEL"
    }
}

/// End an execution unit: write what it changed to every replica, in MULTI/EXEC when it made
/// more than one change and `wrap` allows (a command that touches arbitrary keys, SCAN or
/// RANDOMKEY expiring several, is not wrapped, nor is the active expiry cycle).
pub fn flush(server: &mut Server, wrap: bool) {
    // A replica passes on its primary's stream, never its own changes (`shouldPropagate`).
    if server.repl.primary.is_some() {
        server.repl.pending.clear();
    }
    if server.repl.pending.is_empty() {
        return;
    }
    let pending = std::mem::take(&mut server.repl.pending);
    let transaction = wrap && pending.len() > 1;
    if transaction {
        feed(server, None, argv([b"MULTI"]));
    }
    for (db, argv) in pending {
        feed(server, db, argv);
    }
    if transaction {
        feed(server, None, argv([b"EXEC"]));
    }
}

/// Write one command to every replica, with a SELECT first when it is for another database.
fn feed(server: &mut Server, db: Option<usize>, line: Vec<Bytes>) {
    if let Some(db) = db.filter(|db| server.repl.selected != Some(*db)) {
        server.repl.selected = Some(db);
        feed(server, None, argv([b"SELECT", db.to_string().as_bytes()]));
    }
    let frame = Frame::Array(line.into_iter().map(Frame::Bulk).collect());
    server.repl.offset += frame.encoded_len(crate::Protocol::Resp2) as u64;
    for id in server.repl.replicas.clone() {
        server.push_to(id, frame.clone());
    }
}
