//! SLOWLOG: the commands that took `slowlog-log-slower-than` microseconds or more, newest
//! first, at most `slowlog-max-len` of them, as Redis's `slowlog.c` keeps them.
//!
//! A command's duration is its time on the engine's virtual clock: DEBUG SLEEP's, 0 for the
//! rest (they run in microseconds, which the engine has no clock to measure). So a threshold of
//! 0 logs every command, as in Redis, and a positive one only sleeps. Commands are logged when
//! they run (inside EXEC one by one, not EXEC itself; a blocking command when it is served, not
//! when it blocks; not the commands a script calls), with their arguments as typed (at most 32,
//! each cut at 128 bytes) and secrets redacted as MONITOR redacts them.

use super::connection::help_lines;
use super::services::syntax_error;
use super::spec;
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::server::{Client, Server};
use bytes::Bytes;

const ADMIN: &[&str] = &["admin", "loading", "stale"];

crate::cmd::lazy_table!(pub SUBCOMMANDS, FULL = [
    spec("get", -2, ADMIN, (0, 0, 0), "server", "The latest slow log entries.", "[count]", slowlog_get),
    spec("len", 2, ADMIN, (0, 0, 0), "server", "How many entries the slow log holds.", "", slowlog_len),
    spec("reset", 2, ADMIN, (0, 0, 0), "server", "Empty the slow log.", "", slowlog_reset),
    spec(
        "help",
        2,
        &["loading", "stale"],
        (0, 0, 0),
        "server",
        "Show SLOWLOG's subcommands.",
        "",
        slowlog_help,
    ),
]);

/// One logged command.
#[derive(Debug, Clone)]
pub struct Entry {
    id: u64,
    time_s: u64,
    duration_us: u64,
    args: Vec<Bytes>,
    peer: String,
    name: Bytes,
}

/// The log, newest first, and the next entry's id (RESET keeps counting).
#[derive(Debug, Default)]
pub struct SlowLog {
    entries: std::collections::VecDeque<Entry>,
    next_id: u64,
}

/// Redis's `slowlogPushEntryIfNeeded` for a command that ran for `duration_us`.
pub fn record(server: &mut Server, client: &Client, argv: &[Bytes], duration_us: u64, now: u64) {
    let (threshold, max) = (server.config.slowlog_slower_than, server.config.slowlog_max_len);
    if threshold < 0 || max == 0 {
        return;
    }
    if duration_us >= threshold as u64 {
        const MAX_ARGS: usize = 32;
        const MAX_STRING: usize = 128;
        let kept = argv.len().min(MAX_ARGS);
        let args = (0..kept)
            .map(|j| {
                if j == kept - 1 && kept != argv.len() {
                    Bytes::from(format!("... ({} more arguments)", argv.len() - kept + 1))
                } else if super::monitor::redacted(argv, j) {
                    Bytes::from_static(b"(redacted)")
                } else if argv[j].len() > MAX_STRING {
                    let mut cut = argv[j][..MAX_STRING].to_vec();
                    cut.extend_from_slice(
                        format!("... ({} more bytes)", argv[j].len() - MAX_STRING).as_bytes(),
                    );
                    Bytes::from(cut)
                } else {
                    argv[j].clone()
                }
            })
            .collect();
        let log = &mut server.slowlog;
        log.entries.push_front(Entry {
            id: log.next_id,
            time_s: now / 1000,
            duration_us,
            args,
            peer: super::connection::client_addr(client.id),
            name: client.name.clone().unwrap_or_default(),
        });
        log.next_id += 1;
    }
    server.slowlog.entries.truncate(usize::try_from(max).unwrap_or(usize::MAX));
}

fn slowlog_get(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() > 1 {
        return Err(syntax_error(args, "SLOWLOG"));
    }
    let mut count = 10;
    if let Some(arg) = args.next_opt() {
        match parse_i64(&arg) {
            Some(n) if n >= -1 => count = if n == -1 { usize::MAX } else { n as usize },
            _ => return Err(CmdError::err("count should be greater than or equal to -1")),
        }
    }
    let entries = ctx.server.slowlog.entries.iter().take(count).map(|e| {
        Frame::Array(vec![
            Frame::Integer(e.id as i64),
            Frame::Integer(e.time_s as i64),
            Frame::Integer(e.duration_us as i64),
            Frame::Array(e.args.iter().cloned().map(Frame::Bulk).collect()),
            Frame::bulk(e.peer.clone()),
            Frame::Bulk(e.name.clone()),
        ])
    });
    Ok(Frame::Array(entries.collect()))
}

fn slowlog_len(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Integer(ctx.server.slowlog.entries.len() as i64))
}

fn slowlog_reset(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    ctx.server.slowlog.entries.clear();
    Ok(Frame::ok())
}

fn slowlog_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "SLOWLOG",
        &[
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ],
    ))
}
