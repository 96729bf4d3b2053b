//! A BGSAVE that takes time. Redis's child writes the dataset while the server goes on; the
//! engine saves at once, except when `rdb-key-save-delay` (µs per key, which tests set to keep a
//! save running) makes the child slow: then the save runs until the virtual clock passes its
//! end, as INFO's `rdb_bgsave_in_progress` shows, another BGSAVE or SAVE is refused meanwhile,
//! and FLUSHALL kills it (Redis's `killRDBChild`).

use crate::server::Server;

/// The running save: its start and end on the virtual clock, and the changes it covers.
#[derive(Debug, Clone, Copy)]
pub struct Child {
    pub start: u64,
    end: u64,
    dirty: u64,
}

/// Start a background save at `now`: a running child when the save takes time, else done at once.
pub fn start(server: &mut Server, now: u64) {
    server.stats.total_forks += 1;
    server.stats.rdb_saves += 1;
    let delay_us = server.config.get("rdb-key-save-delay").and_then(|d| d.parse::<u64>().ok()).unwrap_or(0);
    let keys = server.dbs.iter().map(|db| db.len() as u64).sum::<u64>();
    let ms = delay_us.saturating_mul(keys) / 1000;
    server.bgsave = Some(Child { start: now, end: now.saturating_add(ms), dirty: server.dirty });
    settle(server, now);
}

/// Finish the running save if its end has passed: the save counts from then on.
pub fn settle(server: &mut Server, now: u64) {
    let Some(child) = server.bgsave.filter(|c| c.end <= now) else { return };
    server.bgsave = None;
    server.last_save_ms = child.end;
    // Changes made while the child wrote are not in the file.
    server.dirty = server.dirty.saturating_sub(child.dirty);
    server.bgsave_ran = true;
}

/// Stop the running save without saving (FLUSHALL).
pub fn kill(server: &mut Server) {
    server.bgsave = None;
}
