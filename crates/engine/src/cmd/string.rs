//! String commands: SET and its options, GET and friends, counters, ranges.

use super::expiry::ExpiryUnit;
use super::{spec, CommandSpec};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::long_double::{add_parsed, parse_long_double, LongDouble, Parsed};
use crate::notify::{GENERIC, STRING};
use crate::propagate::argv;
use crate::types::{encoding, Value};
use bytes::Bytes;

const W: &[&str] = &["write", "denyoom"];
const WF: &[&str] = &["write", "denyoom", "fast"];
const R: &[&str] = &["readonly", "fast"];

pub const COMMANDS: &[CommandSpec] = &[
    spec("get", 2, R, (1, 1, 1), "string", "Return the string at a key, or nil when it does not exist.", "key", get),
    spec("set", -3, W, (1, 1, 1), "string", "Store a string, optionally only if (not) present, with an expiry, or returning the old value.", "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]", set),
    spec("getdel", 2, &["write", "fast"], (1, 1, 1), "string", "Return the string at a key and delete the key.", "key", getdel),
    spec("getex", -2, &["write", "fast"], (1, 1, 1), "string", "Return the string at a key and change or remove its expiry.", "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]", getex),
    spec("getset", 3, WF, (1, 1, 1), "string", "Store a string and return the old one (SET key value GET does the same).", "key value", getset),
    spec("setnx", 3, WF, (1, 1, 1), "string", "Store a string only if the key does not exist; 1 if stored.", "key value", setnx),
    spec("setex", 4, W, (1, 1, 1), "string", "Store a string with an expiry in seconds.", "key seconds value", setex),
    spec("psetex", 4, W, (1, 1, 1), "string", "Store a string with an expiry in milliseconds.", "key milliseconds value", psetex),
    spec("mset", -3, W, (1, -1, 2), "string", "Store several strings at once.", "key value [key value ...]", mset),
    spec("msetnx", -3, W, (1, -1, 2), "string", "Store several strings only if none of the keys exists.", "key value [key value ...]", msetnx),
    spec("mget", -2, R, (1, -1, 1), "string", "Return the strings at several keys (nil for missing or non-string keys).", "key [key ...]", mget),
    spec("incr", 2, WF, (1, 1, 1), "string", "Add 1 to the integer at a key (a missing key counts as 0).", "key", incr),
    spec("decr", 2, WF, (1, 1, 1), "string", "Subtract 1 from the integer at a key.", "key", decr),
    spec("incrby", 3, WF, (1, 1, 1), "string", "Add an integer to the integer at a key.", "key increment", incrby),
    spec("decrby", 3, WF, (1, 1, 1), "string", "Subtract an integer from the integer at a key.", "key decrement", decrby),
    spec("incrbyfloat", 3, WF, (1, 1, 1), "string", "Add a floating-point number to the number at a key.", "key increment", incrbyfloat),
    spec("append", 3, WF, (1, 1, 1), "string", "Append to the string at a key; returns the new length.", "key value", append),
    spec("strlen", 2, R, (1, 1, 1), "string", "Length in bytes of the string at a key.", "key", strlen),
    spec("getrange", 4, &["readonly"], (1, 1, 1), "string", "A substring by byte offsets (negative offsets count from the end).", "key start end", getrange),
    spec("substr", 4, &["readonly"], (1, 1, 1), "string", "Old name of GETRANGE.", "key start end", getrange),
    spec("setrange", 4, W, (1, 1, 1), "string", "Overwrite part of a string at an offset, padding with zero bytes.", "key offset value", setrange),
];

/// The string at `key` for reading (counts a hit or miss): `Ok(None)` if missing.
pub fn read_string(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Bytes>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// The string at `key` for writing (no hit/miss counted): `Ok(None)` if missing.
fn write_string(ctx: &mut Ctx, key: &[u8]) -> Result<Option<(Bytes, Option<u64>)>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(entry) => match &entry.value {
            Value::Str(s) => Ok(Some((s.clone(), entry.expires_at))),
            _ => Err(CmdError::wrong_type()),
        },
    }
}

fn get(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(read_string(ctx, &key)?.map_or(Frame::Null, Frame::Bulk))
}

/// Options of SET (and GETEX, with `getex` true), as Redis's `parseExtendedStringArgumentsOrReply`
/// reads them: each option excludes the ones it conflicts with; repeating one is allowed.
#[derive(Default)]
struct SetOptions {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    persist: bool,
    expire: Option<(ExpiryUnit, Bytes)>,
}

fn parse_set_options(args: &mut Args, getex: bool) -> Result<SetOptions, CmdError> {
    let mut o = SetOptions::default();
    while let Some(opt) = args.next_opt() {
        let is = |name: &str| opt.eq_ignore_ascii_case(name.as_bytes());
        if !getex && is("NX") && !o.xx {
            o.nx = true;
        } else if !getex && is("XX") && !o.nx {
            o.xx = true;
        } else if !getex && is("GET") {
            o.get = true;
        } else if !getex && is("KEEPTTL") && o.expire.is_none() {
            o.keepttl = true;
        } else if getex && is("PERSIST") && o.expire.is_none() {
            o.persist = true;
        } else if let Some(unit) = ExpiryUnit::parse(&opt) {
            let other_unit = o.expire.as_ref().is_some_and(|(u, _)| *u != unit);
            if o.keepttl || o.persist || other_unit || args.is_empty() {
                return Err(CmdError::syntax());
            }
            o.expire = Some((unit, args.next_bytes()?));
        } else {
            return Err(CmdError::syntax());
        }
    }
    Ok(o)
}

fn set(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let value = args.next_bytes()?;
    let opts = parse_set_options(args, false)?;
    let deadline = match &opts.expire {
        Some((unit, raw)) => Some(unit.deadline(raw, ctx.now, "set")?),
        None => None,
    };
    let old = if opts.get { Some(read_string(ctx, &key)?) } else { None };
    let existing = ctx.write(&key).map(|e| e.expires_at);
    let found = existing.is_some();
    if (opts.nx && found) || (opts.xx && !found) {
        return Ok(match old {
            Some(old) => old.map_or(Frame::Null, Frame::Bulk),
            None => Frame::Null,
        });
    }
    let expires_at = if opts.keepttl { existing.flatten() } else { deadline };
    ctx.set(key.clone(), Value::Str(value.clone()), expires_at);
    ctx.notify(STRING, "set", &key);
    if let Some(at) = deadline {
        ctx.notify(GENERIC, "expire", &key);
        // Replicas get the deadline itself, so they keep the key exactly as long.
        if !matches!(opts.expire, Some((ExpiryUnit::PxAt, _))) {
            ctx.propagate_as(|| vec![argv([b"SET", &key, &value, b"PXAT", at.to_string().as_bytes()])]);
        }
    }
    Ok(match old {
        Some(old) => old.map_or(Frame::Null, Frame::Bulk),
        None => Frame::ok(),
    })
}

fn getdel(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let value = read_string(ctx, &key)?;
    if value.is_some() {
        ctx.delete(&key);
        ctx.notify(GENERIC, "del", &key);
        ctx.propagate_as(|| vec![argv([b"DEL", &key])]);
    }
    Ok(value.map_or(Frame::Null, Frame::Bulk))
}

fn getex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let opts = parse_set_options(args, true)?;
    let Some(value) = read_string(ctx, &key)? else { return Ok(Frame::Null) };
    match &opts.expire {
        Some((unit, raw)) => {
            let deadline = unit.deadline(raw, ctx.now, "getex")?;
            if deadline <= ctx.now && matches!(unit, ExpiryUnit::ExAt | ExpiryUnit::PxAt) {
                ctx.delete(&key);
                ctx.notify(GENERIC, "del", &key);
                let word = crate::propagate::delete_word(ctx.server, "lazyfree-lazy-expire");
                ctx.propagate_as(|| vec![argv([word, &key])]);
            } else {
                ctx.set_expiry(&key, Some(deadline));
                ctx.notify(GENERIC, "expire", &key);
                ctx.propagate_as(|| vec![argv([b"PEXPIREAT", &key, deadline.to_string().as_bytes()])]);
            }
        }
        None if opts.persist && ctx.peek(&key).is_some_and(|e| e.expires_at.is_some()) => {
            ctx.set_expiry(&key, None);
            ctx.notify(GENERIC, "persist", &key);
            ctx.propagate_as(|| vec![argv([b"PERSIST", &key])]);
        }
        None => {}
    }
    Ok(Frame::Bulk(value))
}

fn getset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let value = args.next_bytes()?;
    let old = read_string(ctx, &key)?;
    ctx.set(key.clone(), Value::Str(value.clone()), None);
    ctx.notify(STRING, "set", &key);
    ctx.propagate_as(|| vec![argv([b"SET", &key, &value])]);
    Ok(old.map_or(Frame::Null, Frame::Bulk))
}

fn setnx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let value = args.next_bytes()?;
    if ctx.write(&key).is_some() {
        return Ok(Frame::Integer(0));
    }
    ctx.set(key.clone(), Value::Str(value), None);
    ctx.notify(STRING, "set", &key);
    Ok(Frame::Integer(1))
}

fn set_with_expiry(ctx: &mut Ctx, args: &mut Args, unit: ExpiryUnit, name: &str) -> CmdResult {
    let key = args.next_bytes()?;
    let raw = args.next_bytes()?;
    let value = args.next_bytes()?;
    let deadline = unit.deadline(&raw, ctx.now, name)?;
    ctx.set(key.clone(), Value::Str(value.clone()), Some(deadline));
    ctx.notify(STRING, "set", &key);
    ctx.notify(GENERIC, "expire", &key);
    ctx.propagate_as(|| vec![argv([b"SET", &key, &value, b"PXAT", deadline.to_string().as_bytes()])]);
    Ok(Frame::ok())
}

fn setex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    set_with_expiry(ctx, args, ExpiryUnit::Ex, "setex")
}

fn psetex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    set_with_expiry(ctx, args, ExpiryUnit::Px, "psetex")
}

/// Key/value pairs of MSET/MSETNX (an odd count is an arity error, as Redis words it).
fn pairs(args: &mut Args, name: &str) -> Result<Vec<(Bytes, Bytes)>, CmdError> {
    let rest = args.rest();
    if rest.len() % 2 != 0 {
        return Err(CmdError::wrong_arity(name));
    }
    Ok(rest.chunks_exact(2).map(|p| (p[0].clone(), p[1].clone())).collect())
}

fn mset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    for (key, value) in pairs(args, "mset")? {
        ctx.set(key.clone(), Value::Str(value), None);
        ctx.notify(STRING, "set", &key);
    }
    Ok(Frame::ok())
}

fn msetnx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let pairs = pairs(args, "msetnx")?;
    if pairs.iter().any(|(k, _)| ctx.write(k).is_some()) {
        return Ok(Frame::Integer(0));
    }
    for (key, value) in pairs {
        ctx.set(key.clone(), Value::Str(value), None);
        ctx.notify(STRING, "set", &key);
    }
    Ok(Frame::Integer(1))
}

fn mget(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let replies = args
        .rest()
        .iter()
        .map(|key| match ctx.read(key) {
            Some(Value::Str(s)) => Frame::Bulk(s.clone()),
            _ => Frame::Null,
        })
        .collect();
    Ok(Frame::Array(replies))
}

/// Add `by` to the integer at `key`, keeping its TTL.
fn add_integer(ctx: &mut Ctx, key: Bytes, by: i64) -> CmdResult {
    let (current, ttl) = match write_string(ctx, &key)? {
        Some((s, ttl)) => (parse_i64(&s).ok_or_else(CmdError::not_integer)?, ttl),
        None => (0, None),
    };
    let next = current.checked_add(by).ok_or_else(CmdError::overflow)?;
    ctx.set(key.clone(), Value::Str(Bytes::from(next.to_string())), ttl);
    ctx.notify(STRING, "incrby", &key);
    Ok(Frame::Integer(next))
}

fn incr(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    add_integer(ctx, args.next_bytes()?, 1)
}

fn decr(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    add_integer(ctx, args.next_bytes()?, -1)
}

fn incrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let by = args.next_i64()?;
    add_integer(ctx, key, by)
}

fn decrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let by = args.next_i64()?;
    if by == i64::MIN {
        return Err(CmdError::err("decrement would overflow"));
    }
    add_integer(ctx, key, -by)
}

fn incrbyfloat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let raw_by = args.next_bytes()?;
    // Redis checks the key's type first, then the stored value, then the increment.
    let (current, ttl) = match write_string(ctx, &key)? {
        Some((s, ttl)) => (parse_long_double(&s).ok_or_else(CmdError::not_float)?, ttl),
        None => (Parsed::Finite(LongDouble::ZERO), None),
    };
    let by = parse_long_double(&raw_by).ok_or_else(CmdError::not_float)?;
    let sum =
        add_parsed(&current, &by).ok_or_else(|| CmdError::err("increment would produce NaN or Infinity"))?;
    let text = Bytes::from(sum.to_human_string());
    // Redis builds the result as a plain string object, never an integer one.
    ctx.set_encoded(key.clone(), Value::Str(text.clone()), ttl, encoding::NOT_INT);
    ctx.notify(STRING, "incrbyfloat", &key);
    // The sum as text, so a replica cannot round differently.
    ctx.propagate_as(|| vec![argv([b"SET", &key, &text, b"KEEPTTL"])]);
    Ok(Frame::Bulk(text))
}

/// Redis's `checkStringLength`: a string may not grow past `proto-max-bulk-len`; and, where the
/// host set one, not past its own limit (`Engine::set_value_limit`), said in words.
fn check_string_length(ctx: &Ctx, total: usize) -> Result<(), CmdError> {
    if total as u64 > ctx.server.config.proto_max_bulk_len {
        return Err(CmdError::err("string exceeds maximum allowed size (proto-max-bulk-len)"));
    }
    check_value_limit(ctx, total)
}

/// The host's own limit alone (`Engine::set_value_limit`), for writes whose size Redis bounds
/// another way (bit offsets are checked against `proto-max-bulk-len` as they are parsed).
pub(crate) fn check_value_limit(ctx: &Ctx, total: usize) -> Result<(), CmdError> {
    match ctx.server.value_limit {
        Some(limit) if total > limit => Err(CmdError::err(format!(
            "string exceeds the playground's limit of {} MB per value in a browser tab (real Redis would \
             grow it, up to proto-max-bulk-len, {} MB)",
            limit >> 20,
            ctx.server.config.proto_max_bulk_len >> 20
        ))),
        _ => Ok(()),
    }
}

fn append(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let tail = args.next_bytes()?;
    let existing = write_string(ctx, &key)?;
    // Appending to a string makes it a `raw` one; a new key is encoded as SET would.
    let floor = if existing.is_some() { encoding::RAW } else { 0 };
    let (mut value, ttl) = match existing {
        Some((s, ttl)) => (s.to_vec(), ttl),
        None => (Vec::new(), None),
    };
    check_string_length(ctx, value.len().saturating_add(tail.len()))?;
    value.extend_from_slice(&tail);
    let len = value.len() as i64;
    ctx.set_encoded(key.clone(), Value::Str(Bytes::from(value)), ttl, floor);
    ctx.notify(STRING, "append", &key);
    Ok(Frame::Integer(len))
}

fn strlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(Frame::Integer(read_string(ctx, &key)?.map_or(0, |s| s.len() as i64)))
}

fn getrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let mut start = args.next_i64()?;
    let mut end = args.next_i64()?;
    let Some(s) = read_string(ctx, &key)? else { return Ok(Frame::bulk("")) };
    let len = s.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Ok(Frame::bulk(""));
    }
    if start < 0 {
        start = len.saturating_add(start);
    }
    if end < 0 {
        end = len.saturating_add(end);
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return Ok(Frame::bulk(""));
    }
    Ok(Frame::Bulk(s.slice(start as usize..=end as usize)))
}

fn setrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let offset = args.next_i64()?;
    let patch = args.next_bytes()?;
    if offset < 0 {
        return Err(CmdError::err("offset is out of range"));
    }
    let existing = write_string(ctx, &key)?;
    let current_len = existing.as_ref().map_or(0, |(s, _)| s.len());
    if patch.is_empty() {
        return Ok(Frame::Integer(current_len as i64));
    }
    let offset = offset as usize;
    check_string_length(ctx, offset.saturating_add(patch.len()))?;
    let (mut value, ttl) = existing.map_or((Vec::new(), None), |(s, ttl)| (s.to_vec(), ttl));
    if value.len() < offset + patch.len() {
        value.resize(offset + patch.len(), 0);
    }
    value[offset..offset + patch.len()].copy_from_slice(&patch);
    let len = value.len() as i64;
    ctx.set_encoded(key.clone(), Value::Str(Bytes::from(value)), ttl, encoding::RAW);
    ctx.notify(STRING, "setrange", &key);
    Ok(Frame::Integer(len))
}
