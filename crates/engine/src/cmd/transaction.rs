//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! Queueing happens in the dispatcher (`engine.rs`); EXEC is run there too, because it needs the
//! whole engine to run the queued commands.

use super::CommandSpec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::engine::Engine;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::server::{Client, Server};

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "multi",
        arity: 1,
        flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
        keys: (0, 0, 0),
        group: "transactions",
        summary: "Start a transaction: later commands are queued until EXEC.",
        syntax: "",
        run: multi,
        subcommands: &[],
    },
    CommandSpec {
        name: "exec",
        arity: 1,
        flags: &["noscript", "loading", "stale", "skip_slowlog"],
        keys: (0, 0, 0),
        group: "transactions",
        summary: "Run every queued command atomically (nil if a WATCHed key changed).",
        syntax: "",
        run: super::container,
        subcommands: &[],
    },
    CommandSpec {
        name: "discard",
        arity: 1,
        flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
        keys: (0, 0, 0),
        group: "transactions",
        summary: "Drop the queued commands and leave the transaction.",
        syntax: "",
        run: discard,
        subcommands: &[],
    },
    CommandSpec {
        name: "watch",
        arity: -2,
        flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
        keys: (1, -1, 1),
        group: "transactions",
        summary: "Watch keys: the next EXEC fails if any of them changes first.",
        syntax: "key [key ...]",
        run: watch,
        subcommands: &[],
    },
    CommandSpec {
        name: "unwatch",
        arity: 1,
        flags: &["noscript", "loading", "stale", "fast", "allow_busy"],
        keys: (0, 0, 0),
        group: "transactions",
        summary: "Forget every WATCHed key.",
        syntax: "",
        run: unwatch,
        subcommands: &[],
    },
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
    ctx.client.multi = None;
    ctx.client.multi_error = false;
    unwatch_all(ctx.server, ctx.client);
    ctx.client.watched.clear();
    Ok(Frame::ok())
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
        if ctx.client.watched.iter().any(|(d, k)| *d == db && *k == key) {
            continue;
        }
        ctx.server.watchers.entry((db, key.clone())).or_default().insert(ctx.client.id);
        ctx.client.watched.push((db, key));
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
    for (db, key) in &client.watched {
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
    let dirty = client.watch_dirty || engine.server_mut().dirty_clients.remove(&client.id);
    unwatch_all(engine.server_mut(), client);
    client.watched.clear();
    client.watch_dirty = false;
    if std::mem::take(&mut client.multi_error) {
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
