//! Generic key commands: existence, deletion, renaming and copying, TTLs, scanning, OBJECT.
//!
//! Expired keys count as absent everywhere: every lookup goes through `Ctx`, which expires a key
//! lazily before anyone sees it.

use super::expire_opts::now_i64;
use super::object_info;
use super::CommandSpec;
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::db::Entry;
use crate::error::{CmdError, CmdResult};
use crate::events::Event;
use crate::frame::Frame;
use crate::glob::glob_match;
use bytes::Bytes;

macro_rules! spec {
    ($name:literal, $arity:expr, $flags:expr, $keys:expr, $summary:literal, $syntax:literal, $run:expr) => {
        CommandSpec {
            name: $name,
            arity: $arity,
            flags: $flags,
            keys: $keys,
            group: "generic",
            summary: $summary,
            syntax: $syntax,
            run: $run,
            subcommands: &[],
        }
    };
}

pub const COMMANDS: &[CommandSpec] = &[
    spec!("del", -2, &["write"], (1, -1, 1), "Delete keys; returns how many existed.", "key [key ...]", del),
    spec!(
        "unlink",
        -2,
        &["write", "fast"],
        (1, -1, 1),
        "Delete keys (memory reclaimed in the background on a real server).",
        "key [key ...]",
        del
    ),
    spec!(
        "exists",
        -2,
        &["readonly", "fast"],
        (1, -1, 1),
        "Count how many of the given keys exist (a key named twice counts twice).",
        "key [key ...]",
        exists
    ),
    spec!(
        "type",
        2,
        &["readonly", "fast"],
        (1, 1, 1),
        "Return the type of the value at a key, or none.",
        "key",
        type_cmd
    ),
    spec!(
        "rename",
        3,
        &["write"],
        (1, 2, 1),
        "Rename a key, replacing the destination; the TTL moves with it.",
        "key newkey",
        rename
    ),
    spec!(
        "renamenx",
        3,
        &["write", "fast"],
        (1, 2, 1),
        "Rename a key only if the new name is free; 1 if renamed.",
        "key newkey",
        renamenx
    ),
    spec!(
        "copy",
        -3,
        &["write", "denyoom"],
        (1, 2, 1),
        "Copy a key's value and TTL to another key, optionally in another database.",
        "source destination [DB destination-db] [REPLACE]",
        copy
    ),
    spec!(
        "keys",
        2,
        &["readonly"],
        (0, 0, 0),
        "List every key matching a glob pattern (blocks Redis on big databases).",
        "pattern",
        keys
    ),
    spec!(
        "scan",
        -2,
        &["readonly"],
        (0, 0, 0),
        "Iterate over keys a batch at a time with a cursor.",
        "cursor [MATCH pattern] [COUNT count] [TYPE type]",
        scan
    ),
    spec!(
        "randomkey",
        1,
        &["readonly"],
        (0, 0, 0),
        "Return a random key, or nil when the database is empty.",
        "",
        randomkey
    ),
    spec!(
        "expire",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "Set a key's time to live in seconds.",
        "key seconds [NX | XX | GT | LT]",
        expire
    ),
    spec!(
        "pexpire",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "Set a key's time to live in milliseconds.",
        "key milliseconds [NX | XX | GT | LT]",
        pexpire
    ),
    spec!(
        "expireat",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "Set a key's deadline as a unix time in seconds.",
        "key unix-time-seconds [NX | XX | GT | LT]",
        expireat
    ),
    spec!(
        "pexpireat",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "Set a key's deadline as a unix time in milliseconds.",
        "key unix-time-milliseconds [NX | XX | GT | LT]",
        pexpireat
    ),
    spec!(
        "ttl",
        2,
        &["readonly", "fast"],
        (1, 1, 1),
        "Seconds left before a key expires (-1 no expiry, -2 no key).",
        "key",
        ttl
    ),
    spec!(
        "pttl",
        2,
        &["readonly", "fast"],
        (1, 1, 1),
        "Milliseconds left before a key expires (-1 no expiry, -2 no key).",
        "key",
        pttl
    ),
    spec!(
        "expiretime",
        2,
        &["readonly", "fast"],
        (1, 1, 1),
        "The unix time in seconds when a key expires (-1 no expiry, -2 no key).",
        "key",
        expiretime
    ),
    spec!(
        "pexpiretime",
        2,
        &["readonly", "fast"],
        (1, 1, 1),
        "The unix time in milliseconds when a key expires (-1 no expiry, -2 no key).",
        "key",
        pexpiretime
    ),
    spec!(
        "persist",
        2,
        &["write", "fast"],
        (1, 1, 1),
        "Remove a key's expiry; 1 if it had one.",
        "key",
        persist
    ),
    spec!(
        "touch",
        -2,
        &["readonly", "fast"],
        (1, -1, 1),
        "Mark keys as just used (for LRU/LFU); returns how many exist.",
        "key [key ...]",
        touch
    ),
    CommandSpec {
        name: "object",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "generic",
        summary: "Inspect how a value is stored: encoding, access frequency, idle time.",
        syntax: "<ENCODING | FREQ | IDLETIME | REFCOUNT | HELP> [key]",
        run: super::container,
        subcommands: object_info::SUBCOMMANDS,
    },
];

/// Redis's `lookupKeyReadWithFlags(..., LOOKUP_NOTOUCH)`: counts a hit or miss (and tells
/// listeners) but leaves the access data alone. EXISTS, TYPE, TTL and OBJECT read this way.
pub fn read_notouch<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Option<&'c Entry> {
    ctx.expire_if_needed(key);
    let db = ctx.db_index();
    let found = ctx.server.dbs[db].raw_get(key).is_some();
    if found {
        ctx.server.stats.keyspace_hits += 1;
        ctx.server.events.emit(|| Event::Hit { db, key: Bytes::copy_from_slice(key) });
    } else {
        ctx.server.stats.keyspace_misses += 1;
        ctx.server.events.emit(|| Event::Miss { db, key: Bytes::copy_from_slice(key) });
    }
    ctx.server.dbs[db].raw_get(key)
}

fn del(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut deleted = 0;
    for key in args.rest() {
        if ctx.delete(&key) {
            deleted += 1;
        }
    }
    Ok(Frame::Integer(deleted))
}

fn exists(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut count = 0;
    for key in args.rest() {
        if read_notouch(ctx, &key).is_some() {
            count += 1;
        }
    }
    Ok(Frame::Integer(count))
}

fn type_cmd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let name = read_notouch(ctx, &key).map_or("none", |e| e.value.type_name());
    Ok(Frame::Simple(name.into()))
}

fn touch(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut count = 0;
    for key in args.rest() {
        if ctx.read(&key).is_some() {
            count += 1;
        }
    }
    Ok(Frame::Integer(count))
}

/// Remove `key` from the selected database and hand back its entry (value and deadline), telling
/// watchers and listeners it was deleted. None if missing or expired.
fn take_entry(ctx: &mut Ctx, key: &Bytes) -> Option<Entry> {
    ctx.expire_if_needed(key);
    let db = ctx.db_index();
    let entry = ctx.server.dbs[db].remove(key)?;
    ctx.server.events.emit(|| Event::Deleted { db, key: key.clone() });
    ctx.server.touch(db, key);
    Some(entry)
}

/// RENAME and RENAMENX (`renameGenericCommand`).
fn rename_generic(ctx: &mut Ctx, args: &mut Args, nx: bool) -> CmdResult {
    let src = args.next_bytes()?;
    let dst = args.next_bytes()?;
    if ctx.write(&src).is_none() {
        return Err(CmdError::no_such_key());
    }
    let done = if nx { Frame::Integer(1) } else { Frame::ok() };
    if src == dst {
        return Ok(if nx { Frame::Integer(0) } else { Frame::ok() });
    }
    if ctx.peek(&dst).is_some() {
        if nx {
            return Ok(Frame::Integer(0));
        }
        ctx.delete(&dst);
    }
    if let Some(entry) = take_entry(ctx, &src) {
        ctx.set(dst, entry.value, entry.expires_at);
    }
    Ok(done)
}

fn rename(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    rename_generic(ctx, args, false)
}

fn renamenx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    rename_generic(ctx, args, true)
}

fn copy(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let src = args.next_bytes()?;
    let dst = args.next_bytes()?;
    let src_db = ctx.db_index();
    let mut dst_db = src_db;
    let mut replace = false;
    while let Some(opt) = args.next_opt() {
        if opt.eq_ignore_ascii_case(b"replace") {
            replace = true;
        } else if opt.eq_ignore_ascii_case(b"db") && !args.is_empty() {
            let id = args.next_i64()?;
            dst_db = usize::try_from(id)
                .ok()
                .filter(|id| *id < ctx.server.dbs.len())
                .ok_or_else(|| CmdError::err("DB index is out of range"))?;
        } else {
            return Err(CmdError::syntax());
        }
    }
    if src_db == dst_db && src == dst {
        return Err(CmdError::err("source and destination objects are the same"));
    }
    let Some(value) = ctx.read(&src).cloned() else { return Ok(Frame::Integer(0)) };
    let deadline = ctx.peek(&src).and_then(|e| e.expires_at);
    // Work in the destination database through the same Ctx, so expiry, events and WATCH apply.
    ctx.client.db = dst_db;
    let exists = ctx.peek(&dst).is_some();
    let reply = if exists && !replace {
        Frame::Integer(0)
    } else {
        if exists {
            ctx.delete(&dst);
        }
        ctx.set(dst, value, deadline);
        Frame::Integer(1)
    };
    ctx.client.db = src_db;
    Ok(reply)
}

/// Every live key in scan order, optionally only those matching `pattern`.
fn keys(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let pattern = args.next_bytes()?;
    let all = pattern.as_ref() == b"*";
    let now = ctx.now;
    let db = ctx.db();
    let (ids, _) = db.scan_ids(0, usize::MAX);
    let found: Vec<Frame> = ids
        .into_iter()
        .filter(|k| !db.is_expired(k, now))
        .filter(|k| all || glob_match(&pattern, k))
        .map(Frame::Bulk)
        .collect();
    Ok(Frame::Array(found))
}

/// A SCAN cursor as Redis's `string2ull` reads it: a non-negative integer, leniently formatted
/// (`01`, `+1` and leading spaces are accepted, as `strtoull` accepts them).
fn parse_cursor(raw: &[u8]) -> Option<u64> {
    if let Some(v) = parse_i64(raw) {
        return u64::try_from(v).ok();
    }
    let text = std::str::from_utf8(raw).ok()?;
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let digits = trimmed.strip_prefix('+').unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()
}

fn scan(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let cursor = parse_cursor(&args.next_bytes()?).ok_or_else(|| CmdError::err("invalid cursor"))?;
    let mut count: i64 = 10;
    let mut pattern: Option<Bytes> = None;
    let mut type_name: Option<Bytes> = None;
    while let Some(opt) = args.next_opt() {
        let has_value = !args.is_empty();
        if opt.eq_ignore_ascii_case(b"count") && has_value {
            count = args.next_i64()?;
            if count < 1 {
                return Err(CmdError::syntax());
            }
        } else if opt.eq_ignore_ascii_case(b"match") && has_value {
            let p = args.next_bytes()?;
            pattern = if p.as_ref() == b"*" { None } else { Some(p) };
        } else if opt.eq_ignore_ascii_case(b"type") && has_value {
            type_name = Some(args.next_bytes()?);
        } else {
            return Err(CmdError::syntax());
        }
    }
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let db = ctx.db_index();
    // Redis fetches COUNT slots first, then filters: a page can come back empty mid-scan.
    let (batch, next) = ctx.server.dbs[db].scan_ids(cursor, count);
    let mut found = Vec::new();
    for key in batch {
        if ctx.expire_if_needed(&key) {
            continue;
        }
        if pattern.as_ref().is_some_and(|p| !glob_match(p, &key)) {
            continue;
        }
        if let Some(t) = &type_name {
            let kind = ctx.server.dbs[db].raw_get(&key).map(|e| e.value.type_name());
            if !kind.is_some_and(|k| t.eq_ignore_ascii_case(k.as_bytes())) {
                continue;
            }
        }
        found.push(Frame::Bulk(key));
    }
    Ok(Frame::Array(vec![Frame::bulk(next.to_string()), Frame::Array(found)]))
}

fn randomkey(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    // Draw until a live key turns up; expired draws are removed, so this ends.
    loop {
        let draw = ctx.server.random();
        let Some(key) = ctx.db().random_key(draw).cloned() else { return Ok(Frame::Null) };
        if !ctx.expire_if_needed(&key) {
            return Ok(Frame::Bulk(key));
        }
    }
}

/// NX / XX / GT / LT of the EXPIRE family.
#[derive(Debug, Default, Clone, Copy)]
struct ExpireFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_expire_flags(args: &mut Args) -> Result<ExpireFlags, CmdError> {
    let mut f = ExpireFlags::default();
    while let Some(opt) = args.next_opt() {
        match opt.to_ascii_lowercase().as_slice() {
            b"nx" => f.nx = true,
            b"xx" => f.xx = true,
            b"gt" => f.gt = true,
            b"lt" => f.lt = true,
            _ => {
                // Redis formats the option with %s, which stops at a zero byte.
                let shown = opt.split(|b| *b == 0).next().unwrap_or_default();
                return Err(CmdError::err(format!("Unsupported option {}", String::from_utf8_lossy(shown))));
            }
        }
    }
    if f.nx && (f.xx || f.gt || f.lt) {
        return Err(CmdError::err("NX and XX, GT or LT options at the same time are not compatible"));
    }
    if f.gt && f.lt {
        return Err(CmdError::err("GT and LT options at the same time are not compatible"));
    }
    Ok(f)
}

/// Redis's `expireGenericCommand`: `base` is now (relative forms) or 0 (absolute forms).
fn expire_generic(ctx: &mut Ctx, args: &mut Args, name: &str, seconds: bool, relative: bool) -> CmdResult {
    let key = args.next_bytes()?;
    let raw = args.next_bytes()?;
    let flags = parse_expire_flags(args)?;
    let mut when = parse_i64(&raw).ok_or_else(CmdError::not_integer)?;
    let invalid = || CmdError::invalid_expire(name);
    if seconds {
        when = when.checked_mul(1000).ok_or_else(invalid)?;
    }
    let base = if relative { now_i64(ctx.now) } else { 0 };
    when = when.checked_add(base).filter(|_| when <= i64::MAX - base).ok_or_else(invalid)?;
    let Some(entry) = ctx.write(&key) else { return Ok(Frame::Integer(0)) };
    let current = entry.expires_at.map(|t| i64::try_from(t).unwrap_or(i64::MAX));
    let blocked = (flags.nx && current.is_some())
        || (flags.xx && current.is_none())
        || (flags.gt && current.is_none_or(|c| when <= c))
        || (flags.lt && current.is_some_and(|c| when >= c));
    if blocked {
        return Ok(Frame::Integer(0));
    }
    if when <= now_i64(ctx.now) {
        ctx.delete(&key);
    } else {
        ctx.set_expiry(&key, Some(when as u64));
    }
    Ok(Frame::Integer(1))
}

fn expire(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, "expire", true, true)
}

fn pexpire(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, "pexpire", false, true)
}

fn expireat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, "expireat", true, false)
}

fn pexpireat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, "pexpireat", false, false)
}

/// TTL family (`ttlGenericCommand`): -2 missing, -1 no deadline; seconds round to nearest.
fn ttl_generic(ctx: &mut Ctx, args: &mut Args, millis: bool, absolute: bool) -> CmdResult {
    let key = args.next_bytes()?;
    let now = now_i64(ctx.now);
    let Some(entry) = read_notouch(ctx, &key) else { return Ok(Frame::Integer(-2)) };
    let Some(deadline) = entry.expires_at else { return Ok(Frame::Integer(-1)) };
    let deadline = i64::try_from(deadline).unwrap_or(i64::MAX);
    let ttl = if absolute { deadline } else { deadline.saturating_sub(now).max(0) };
    // Rounded to the nearest second; Redis's sum does not overflow in practice, so use i128.
    let seconds = ((i128::from(ttl) + 500) / 1000) as i64;
    Ok(Frame::Integer(if millis { ttl } else { seconds }))
}

fn ttl(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, false, false)
}

fn pttl(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, true, false)
}

fn expiretime(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, false, true)
}

fn pexpiretime(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, true, true)
}

fn persist(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let had = ctx.write(&key).is_some_and(|e| e.expires_at.is_some());
    if had {
        ctx.set_expiry(&key, None);
    }
    Ok(Frame::Integer(had as i64))
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;

    #[test]
    fn cursors_as_strtoull_reads_them() {
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b"01"), Some(1));
        assert_eq!(parse_cursor(b" 1"), Some(1));
        assert_eq!(parse_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"-1"), None);
        assert_eq!(parse_cursor(b"1 "), None);
        assert_eq!(parse_cursor(b""), None);
    }
}
