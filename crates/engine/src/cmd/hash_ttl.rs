//! Hash-field expiration, Redis 7.4's `t_hash.c`: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT,
//! HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST. The deadlines themselves live in
//! `types::hfe`; lazy expiry of fields is in `cmd/hash.rs`, active expiry in `Engine::tick`.
//!
//! Replies are one integer per field named, in order: for the HEXPIRE family -2 (no such field),
//! 0 (NX/XX/GT/LT not met), 1 (deadline set), 2 (deadline in the past: field deleted); for HTTL
//! and friends -2 (no such field, or expired), -1 (no deadline) or the time; for HPERSIST -2, -1
//! or 1 (deadline removed).

use super::{spec, CommandSpec};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::encoding;
use crate::types::hfe::{place, FieldTtls};
use crate::types::Value;
use bytes::Bytes;

/// Redis's `HFE_MAX_ABS_TIME_MSEC` (`EB_EXPIRE_TIME_MAX >> 2`): the latest deadline accepted.
const MAX_DEADLINE_MS: i64 = 0x0000_FFFF_FFFF_FFFF_i64 >> 2;

const KEY: (i32, i32, i32) = (1, 1, 1);
const EXPIRE_SYNTAX: &str = "key time [NX | XX | GT | LT] FIELDS numfields field [field ...]";
const FIELDS_SYNTAX: &str = "key FIELDS numfields field [field ...]";

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "hexpire",
        -6,
        &["write", "denyoom", "fast"],
        KEY,
        "hash",
        "Give fields a time to live in seconds.",
        EXPIRE_SYNTAX,
        hexpire,
    ),
    spec(
        "hpexpire",
        -6,
        &["write", "denyoom", "fast"],
        KEY,
        "hash",
        "Give fields a time to live in milliseconds.",
        EXPIRE_SYNTAX,
        hpexpire,
    ),
    spec(
        "hexpireat",
        -6,
        &["write", "denyoom", "fast"],
        KEY,
        "hash",
        "Make fields expire at a Unix time in seconds.",
        EXPIRE_SYNTAX,
        hexpireat,
    ),
    spec(
        "hpexpireat",
        -6,
        &["write", "denyoom", "fast"],
        KEY,
        "hash",
        "Make fields expire at a Unix time in milliseconds.",
        EXPIRE_SYNTAX,
        hpexpireat,
    ),
    spec(
        "httl",
        -5,
        &["readonly", "fast"],
        KEY,
        "hash",
        "Fields' time to live in seconds.",
        FIELDS_SYNTAX,
        httl,
    ),
    spec(
        "hpttl",
        -5,
        &["readonly", "fast"],
        KEY,
        "hash",
        "Fields' time to live in milliseconds.",
        FIELDS_SYNTAX,
        hpttl,
    ),
    spec(
        "hexpiretime",
        -5,
        &["readonly", "fast"],
        KEY,
        "hash",
        "Fields' expiry as a Unix time in seconds.",
        FIELDS_SYNTAX,
        hexpiretime,
    ),
    spec(
        "hpexpiretime",
        -5,
        &["readonly", "fast"],
        KEY,
        "hash",
        "Fields' expiry as a Unix time in milliseconds.",
        FIELDS_SYNTAX,
        hpexpiretime,
    ),
    spec(
        "hpersist",
        -5,
        &["write", "fast"],
        KEY,
        "hash",
        "Remove fields' time to live.",
        FIELDS_SYNTAX,
        hpersist,
    ),
];

/// The NX | XX | GT | LT condition of the HEXPIRE family.
#[derive(Clone, Copy, PartialEq)]
enum Cond {
    Always,
    Nx,
    Xx,
    Gt,
    Lt,
}

fn hexpire(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, "hexpire", true, 1000)
}

fn hpexpire(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, "hpexpire", true, 1)
}

fn hexpireat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, "hexpireat", false, 1000)
}

fn hpexpireat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, "hpexpireat", false, 1)
}

/// `FIELDS numfields field...` from position `at` of the whole command (`argv`), with Redis's
/// checks in Redis's order; `count_error` is the command's text for a bad `numfields`.
fn fields_from(argv: &[Bytes], at: usize, count_error: &str) -> Result<Vec<Bytes>, CmdError> {
    let word = argv.get(at - 1).map_or(&b""[..], |b| b.as_ref());
    if !word.eq_ignore_ascii_case(b"FIELDS") {
        return Err(CmdError::err("Mandatory argument FIELDS is missing or not at the right position"));
    }
    let count = argv
        .get(at)
        .and_then(|b| parse_i64(b))
        .filter(|n| *n >= 1)
        .ok_or_else(|| CmdError::err(count_error))?;
    let fields = argv.get(at + 1..).unwrap_or_default();
    if count as u64 != fields.len() as u64 {
        return Err(CmdError::err("The `numfields` parameter must match the number of arguments"));
    }
    Ok(fields.to_vec())
}

/// Redis's `hexpireGenericCommand`: `relative` adds the time to now, `unit` is 1000 for
/// seconds and 1 for milliseconds.
fn expire_generic(ctx: &mut Ctx, args: &mut Args, name: &str, relative: bool, unit: i64) -> CmdResult {
    let argv = args.all().to_vec();
    let key = argv[1].clone();
    let exists = match ctx.write(&key) {
        Some(e) if !matches!(e.value, Value::Hash(_)) => return Err(CmdError::wrong_type()),
        found => found.is_some(),
    };
    let mut when = parse_i64(&argv[2]).ok_or_else(CmdError::not_integer)?;
    if when < 0 {
        return Err(CmdError::err("invalid expire time, must be >= 0"));
    }
    if unit == 1000 {
        if when > MAX_DEADLINE_MS / 1000 {
            return Err(CmdError::invalid_expire(name));
        }
        when *= 1000;
    }
    let base = if relative { ctx.now as i64 } else { 0 };
    if when > MAX_DEADLINE_MS - base {
        return Err(CmdError::invalid_expire(name));
    }
    let at = (when + base) as u64;
    let word = argv[3].to_ascii_lowercase();
    let cond = match word.as_slice() {
        b"nx" => Cond::Nx,
        b"xx" => Cond::Xx,
        b"gt" => Cond::Gt,
        b"lt" => Cond::Lt,
        _ => Cond::Always,
    };
    let at_fields = if cond == Cond::Always { 4 } else { 5 };
    let fields = fields_from(&argv, at_fields, "Parameter `numFields` should be greater than 0")?;
    if !exists {
        return Ok(Frame::Array(fields.iter().map(|_| Frame::Integer(-2)).collect()));
    }
    let now = ctx.now;
    let db = ctx.db_index();
    let mut done = Done { deleted: 0, updated: 0, min_fields: NO_DEADLINE };
    let mut replies = Vec::with_capacity(fields.len());
    {
        let entry = ctx.server.dbs[db].raw_get_mut(&key).expect("looked up above");
        // The first HEXPIRE-family command makes a listpack hash a `listpackex`, for good.
        entry.encoding_floor = entry.encoding_floor.max(encoding::LISTPACK_EX);
        let ordered = entry.encoding_floor < 2;
        let Value::Hash(hash) = &mut entry.value else { return Err(CmdError::wrong_type()) };
        let ttls = entry.field_ttls.get_or_insert_with(Box::default);
        for field in &fields {
            replies.push(Frame::Integer(set_one(hash, ttls, field, at, now, cond, ordered, &mut done)));
        }
    }
    ctx.propagate_as(|| replicated(&argv, at_fields, &fields, &replies, at, relative || unit == 1000));
    ctx.server.stats.expired_subkeys += done.deleted;
    if done.deleted + done.updated > 0 {
        reregister(ctx, &key, done.min_fields);
        ctx.notify(crate::notify::HASH, if done.deleted > 0 { "hdel" } else { "hexpire" }, &key);
        ctx.modified(&key);
    } else {
        // Nothing changed but the encoding (listpack to listpackex), which costs memory.
        ctx.db().refresh_memory(&key);
    }
    Ok(Frame::Array(replies))
}

/// What replicas get for an HEXPIRE-family command (`hexpireGenericCommand`): an HDEL for each
/// field its past deadline deleted, then the command as HPEXPIREAT with the absolute deadline,
/// naming only the fields whose deadline it set (nothing when there are none), so that a
/// replica's fields expire at the master's moment.
fn replicated(
    argv: &[Bytes],
    at_fields: usize,
    fields: &[Bytes],
    replies: &[Frame],
    at: u64,
    rewrite_deadline: bool,
) -> Vec<Vec<Bytes>> {
    let outcome = |i: usize| matches!(replies[i], Frame::Integer(n) if n == 1);
    let deleted = |i: usize| matches!(replies[i], Frame::Integer(n) if n == 2);
    let mut lines: Vec<Vec<Bytes>> = (0..fields.len())
        .filter(|&i| deleted(i))
        .map(|i| crate::propagate::argv([b"HDEL", &argv[1], &fields[i]]))
        .collect();
    let kept: Vec<Bytes> = (0..fields.len()).filter(|&i| outcome(i)).map(|i| fields[i].clone()).collect();
    if kept.is_empty() {
        return lines;
    }
    let mut line = argv[..at_fields].to_vec();
    line[0] = Bytes::from_static(b"HPEXPIREAT");
    if rewrite_deadline {
        line[2] = Bytes::from(at.to_string());
    }
    line.push(if kept.len() == fields.len() {
        argv[at_fields].clone()
    } else {
        Bytes::from(kept.len().to_string())
    });
    line.extend(kept);
    lines.push(line);
    lines
}

/// Redis's `EB_EXPIRE_TIME_INVALID`: "no deadline", above every valid one.
const NO_DEADLINE: u64 = 1 << 48;
/// Redis's `HASH_NEW_EXPIRE_DIFF_THRESHOLD`: the active cycle's visit of a hash is moved only
/// when the hash's first deadline moved by at least this many milliseconds.
const REREGISTER_MS: u64 = 4000;

/// What one HEXPIRE-family command did, for `hashTypeSetExDone`.
struct Done {
    deleted: u64,
    updated: u64,
    /// The earliest of the old and new deadlines of the fields it changed.
    min_fields: u64,
}

/// Move the hash's registration for the active cycle as Redis's `hashTypeSetExDone` does: not
/// when it is already due before any deadline the command touched, nor for a small shift.
fn reregister(ctx: &mut Ctx, key: &[u8], min_fields: u64) {
    let db = &mut ctx.server.dbs[ctx.client.db];
    let Some(entry) = db.raw_get(key) else { return };
    if entry.value.is_empty_collection() {
        return;
    }
    let registered = db.field_ttls_registered(key).unwrap_or(NO_DEADLINE);
    if registered < min_fields {
        return;
    }
    let first = entry.field_ttls.as_ref().and_then(|t| t.min()).unwrap_or(NO_DEADLINE);
    if registered.abs_diff(first) < REREGISTER_MS {
        return;
    }
    db.register_field_ttls(key, Some(first).filter(|t| *t != NO_DEADLINE));
}

/// One field of the HEXPIRE family (Redis's `hashTypeSetEx`); returns its reply.
#[allow(clippy::too_many_arguments)]
fn set_one(
    hash: &mut indexmap::IndexMap<Bytes, Bytes>,
    ttls: &mut FieldTtls,
    field: &Bytes,
    at: u64,
    now: u64,
    cond: Cond,
    ordered: bool,
    done: &mut Done,
) -> i64 {
    if !hash.contains_key(field) {
        return -2;
    }
    let met = match ttls.get(field) {
        // A field without a deadline passes LT (and NX), not XX or GT.
        None => !matches!(cond, Cond::Xx | Cond::Gt),
        Some(prev) => match cond {
            Cond::Nx => false,
            Cond::Gt => prev < at,
            Cond::Lt => prev > at,
            Cond::Xx | Cond::Always => true,
        },
    };
    if !met {
        return 0;
    }
    if let Some(prev) = ttls.get(field) {
        done.min_fields = done.min_fields.min(prev);
    }
    if at <= now {
        hash.shift_remove(field);
        ttls.remove(field);
        done.deleted += 1;
        return 2;
    }
    done.min_fields = done.min_fields.min(at);
    done.updated += 1;
    ttls.set(field.clone(), at);
    if ordered {
        place(hash, ttls, field);
    }
    1
}

fn httl(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, true, 1000)
}

fn hpttl(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, true, 1)
}

fn hexpiretime(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, false, 1000)
}

fn hpexpiretime(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, false, 1)
}

/// Redis's `httlGenericCommand`: time left (`relative`) or the deadline, in `unit` ms.
fn ttl_generic(ctx: &mut Ctx, args: &mut Args, relative: bool, unit: i64) -> CmdResult {
    let argv = args.all().to_vec();
    let now = ctx.now;
    let entry = match ctx.read_entry(&argv[1]) {
        Some(e) if !matches!(e.value, Value::Hash(_)) => return Err(CmdError::wrong_type()),
        found => found,
    };
    let fields = fields_from(&argv, 3, "Number of fields must be a positive integer")?;
    let Some(Value::Hash(hash)) = entry.map(|e| &e.value) else {
        return Ok(Frame::Array(fields.iter().map(|_| Frame::Integer(-2)).collect()));
    };
    let (ttls, floor) = entry.map_or((None, 0), |e| (e.field_ttls.as_deref(), e.encoding_floor));
    // Redis's listpackex treats a deadline of exactly now as gone; its hashtable does not.
    let hashtable = floor >= 2;
    let base = if relative { now as i64 } else { 0 };
    let replies = fields.iter().map(|field| {
        if !hash.contains_key(field) {
            return Frame::Integer(-2);
        }
        let Some(at) = ttls.and_then(|t| t.get(field)) else { return Frame::Integer(-1) };
        if at < now || (at == now && !hashtable) {
            return Frame::Integer(-2);
        }
        let left = at as i64 - base;
        Frame::Integer(if unit == 1000 { (left + 999) / 1000 } else { left })
    });
    Ok(Frame::Array(replies.collect()))
}

fn hpersist(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let argv = args.all().to_vec();
    let key = argv[1].clone();
    let exists = match ctx.write(&key) {
        Some(e) if !matches!(e.value, Value::Hash(_)) => return Err(CmdError::wrong_type()),
        found => found.is_some(),
    };
    let fields = fields_from(&argv, 3, "Number of fields must be a positive integer")?;
    if !exists {
        return Ok(Frame::Array(fields.iter().map(|_| Frame::Integer(-2)).collect()));
    }
    let now = ctx.now;
    let db = ctx.db_index();
    let mut changed = false;
    let mut replies = Vec::with_capacity(fields.len());
    {
        let entry = ctx.server.dbs[db].raw_get_mut(&key).expect("looked up above");
        let ordered = entry.encoding_floor < 2;
        let Value::Hash(hash) = &mut entry.value else { return Err(CmdError::wrong_type()) };
        for field in &fields {
            let reply = match (hash.contains_key(field), entry.field_ttls.as_mut()) {
                (false, _) => -2,
                (true, None) => -1,
                (true, Some(ttls)) => match ttls.get(field) {
                    None => -1,
                    Some(at) if at < now => -2,
                    Some(_) => {
                        ttls.remove(field);
                        if ordered {
                            place(hash, ttls, field);
                        }
                        changed = true;
                        1
                    }
                },
            };
            replies.push(Frame::Integer(reply));
        }
    }
    if changed {
        ctx.notify(crate::notify::HASH, "hpersist", &key);
        ctx.modified(&key);
    }
    Ok(Frame::Array(replies))
}
