//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! Queueing happens in the dispatcher (`engine.rs`); EXEC is run there too, because it needs the
//! whole engine to run the queued commands.

use super::{spec, CommandSpec};
use crate::args::Args;
use crate::ctx::Ctx;
use crate::engine::Engine;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::server::{Client, Server};

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "multi",
        1,
        &["noscript", "loading", "stale", "fast", "allow_busy"],
        (0, 0, 0),
        "transactions",
        "Start a transaction: later commands are queued until EXEC.",
        "",
        multi,
    ),
    spec(
        "exec",
        1,
        &["noscript", "loading", "stale", "skip_slowlog"],
        (0, 0, 0),
        "transactions",
        "Run every queued command atomically (nil if a WATCHed key changed).",
        "",
        super::container,
    ),
    spec(
        "discard",
        1,
        &["noscript", "loading", "stale", "fast", "allow_busy"],
        (0, 0, 0),
        "transactions",
        "Drop the queued commands and leave the transaction.",
        "",
        discard,
    ),
    spec(
        "watch",
        -2,
        &["noscript", "loading", "stale", "fast", "allow_busy"],
        (1, -1, 1),
        "transactions",
        "Watch keys: the next EXEC fails if any of them changes first.",
        "key [key ...]",
        watch,
    ),
    spec(
        "unwatch",
        1,
        &["noscript", "loading", "stale", "fast", "allow_busy"],
        (0, 0, 0),
        "transactions",
        "Forget every WATCHed key.",
        "",
        unwatch,
    ),
];

fn multi(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    if ctx.client.multi.is_some() {
        return Err(CmdError::err("MULTI calls can not be nested"));
    }
    ctx.client.multi = Some(Vec::new());
    ctx.client.multi_error = false;
    Ok(Frame::ok())
}

fn discard(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    if ctx.client.multi.is_none() {
        return Err(CmdError::err("DISCARD without MULTI"));
    }
    discard_transaction(ctx.server, ctx.client);
    Ok(Frame::ok())
}

/// Redis's `discardTransaction`: drop the queue and its error flag, and unwatch every key,
/// which also forgets that a watched key changed (`WATCH x; SET x 1; MULTI; DISCARD; MULTI;
/// ...; EXEC` runs, because the DISCARD ended the watch).
pub fn discard_transaction(server: &mut Server, client: &mut Client) {
    client.multi = None;
    client.multi_error = false;
    unwatch_all(server, client);
    client.watched.clear();
    client.watch_dirty = false;
    server.dirty_clients.remove(&client.id);
}

fn watch(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if ctx.client.multi.is_some() {
        return Err(CmdError::err("WATCH inside MULTI is not allowed"));
    }
    let db = ctx.client.db;
    for key in args.rest() {
        // A key that already expired counts as changed for Redis too only if it existed; we
        // expire it now so the watch starts from the visible state.
        ctx.expire_if_needed(&key);
        if ctx.client.watched.iter().any(|(d, k, _)| *d == db && *k == key) {
            continue;
        }
        ctx.server.watchers.entry((db, key.clone())).or_default().insert(ctx.client.id);
        ctx.client.watched.push((db, key, ctx.now));
    }
    Ok(Frame::ok())
}

fn unwatch(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    unwatch_all(ctx.server, ctx.client);
    ctx.client.watched.clear();
    ctx.client.watch_dirty = false;
    ctx.server.dirty_clients.remove(&ctx.client.id);
    Ok(Frame::ok())
}

/// Remove a client's watches from the server's watcher map.
pub fn unwatch_all(server: &mut Server, client: &Client) {
    for (db, key, _) in &client.watched {
        if let Some(ids) = server.watchers.get_mut(&(*db, key.clone())) {
            ids.remove(&client.id);
            if ids.is_empty() {
                server.watchers.remove(&(*db, key.clone()));
            }
        }
    }
}

/// EXEC: abort on queued errors or touched watches, else run the queue and collect replies.
pub fn exec(engine: &mut Engine, client: &mut Client, now: u64) -> Frame {
    let Some(queue) = client.multi.take() else {
        return CmdError::err("EXEC without MULTI").into_frame();
    };
    // A watched key whose deadline passed since it was watched (still there: no active expiry
    // got to it) changed too: Redis's `isWatchedKeyExpired`. One already stale when watched (or
    // swapped in stale by SWAPDB) is no change, as Redis's `wk->expired` says.
    let expired = client.watched.iter().any(|(db, key, since)| {
        let entry = engine.server().dbs[*db].raw_get(key);
        entry.and_then(|e| e.expires_at).is_some_and(|t| t > *since && t <= now)
    });
    let dirty = client.watch_dirty || expired || engine.server_mut().dirty_clients.contains(&client.id);
    let queued_error = client.multi_error;
    discard_transaction(engine.server_mut(), client);
    if queued_error {
        return CmdError::raw("EXECABORT Transaction discarded because of previous errors.").into_frame();
    }
    if dirty {
        return Frame::NullArray;
    }
    client.in_exec = true;
    let replies = queue.into_iter().map(|args| engine.run_queued(client, args, now)).collect();
    client.in_exec = false;
    Frame::Array(replies)
}
