//! Hash commands. Fields keep insertion order (and deletion keeps the rest in order), as Redis's
//! listpack-encoded small hashes reply.
//!
//! Fields may have deadlines (`cmd/hash_ttl.rs`). As in Redis 7.4, a read of one field (HGET,
//! HMGET, HEXISTS, HSTRLEN, HSETNX, HINCRBY*) deletes it if it is expired, and the hash with its
//! last field; HGETALL, HKEYS, HVALS and HSCAN skip expired fields without deleting them;
//! HRANDFIELD deletes them all first; HLEN and HDEL still count them. A hash without deadlines
//! (`field_ttls` None) takes none of these detours.

use super::keys::{parse_cursor, parse_scan_options};
use super::{spec, CommandSpec};
use crate::args::{parse_i64, Args};
use crate::ctx::{expire_fields, Ctx};
use crate::db::Entry;
use crate::error::{CmdError, CmdResult};
use crate::frame::{Frame, Protocol};
use crate::glob::glob_match;
use crate::long_double::{add_parsed, parse_long_double};
use crate::notify::HASH;
use crate::types::hfe::{self, place};
use crate::types::Value;
use bytes::Bytes;
use indexmap::IndexMap;

type Hash = IndexMap<Bytes, Bytes>;

const W: &[&str] = &["write", "denyoom", "fast"];
const R: &[&str] = &["readonly", "fast"];

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "hset",
        -4,
        W,
        (1, 1, 1),
        "hash",
        "Set fields of a hash; returns how many fields are new.",
        "key field value [field value ...]",
        hset,
    ),
    spec(
        "hmset",
        -4,
        W,
        (1, 1, 1),
        "hash",
        "Set fields of a hash (old form of HSET that answers OK).",
        "key field value [field value ...]",
        hmset,
    ),
    spec(
        "hsetnx",
        4,
        W,
        (1, 1, 1),
        "hash",
        "Set a field only if it does not exist yet.",
        "key field value",
        hsetnx,
    ),
    spec("hget", 3, R, (1, 1, 1), "hash", "The value of a field.", "key field", hget),
    spec(
        "hmget",
        -3,
        R,
        (1, 1, 1),
        "hash",
        "The values of several fields (nil for missing ones).",
        "key field [field ...]",
        hmget,
    ),
    spec("hgetall", 2, &["readonly"], (1, 1, 1), "hash", "Every field and value of a hash.", "key", hgetall),
    spec(
        "hdel",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "hash",
        "Delete fields; the key goes when its last field does.",
        "key field [field ...]",
        hdel,
    ),
    spec("hexists", 3, R, (1, 1, 1), "hash", "1 if the field exists.", "key field", hexists),
    spec("hlen", 2, R, (1, 1, 1), "hash", "Number of fields.", "key", hlen),
    spec("hkeys", 2, &["readonly"], (1, 1, 1), "hash", "Every field name.", "key", hkeys),
    spec("hvals", 2, &["readonly"], (1, 1, 1), "hash", "Every value.", "key", hvals),
    spec("hstrlen", 3, R, (1, 1, 1), "hash", "Length of a field's value.", "key field", hstrlen),
    spec(
        "hincrby",
        4,
        W,
        (1, 1, 1),
        "hash",
        "Add an integer to a field (a missing field counts as 0).",
        "key field increment",
        hincrby,
    ),
    spec(
        "hincrbyfloat",
        4,
        W,
        (1, 1, 1),
        "hash",
        "Add a floating-point number to a field.",
        "key field increment",
        hincrbyfloat,
    ),
    crate::cmd::lazy_one(HRANDFIELD),
    spec(
        "hscan",
        -3,
        &["readonly"],
        (1, 1, 1),
        "hash",
        "Iterate a hash's fields with a cursor.",
        "key cursor [MATCH pattern] [COUNT count] [NOVALUES]",
        hscan,
    ),
];

/// HRANDFIELD: their handlers come with the rare group (see [`crate::cmd::lazy_one`]).
pub(crate) const FULL: &[CommandSpec] = &[HRANDFIELD];

const HRANDFIELD: CommandSpec = spec(
    "hrandfield",
    -2,
    &["readonly"],
    (1, 1, 1),
    "hash",
    "Random fields (negative count: may repeat), optionally with values.",
    "key [count [WITHVALUES]]",
    hrandfield,
);

/// The hash at `key` for reading (counts a hit or miss).
fn read_hash<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a Hash>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Hash(h)) => Ok(Some(h)),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// The hash at `key` for writing, created empty if missing. Call `ctx.modified` afterwards.
fn write_hash<'a>(ctx: &'a mut Ctx, key: &Bytes) -> Result<&'a mut Hash, CmdError> {
    match ctx.write_or_create(key, |v| matches!(v, Value::Hash(_)), || Value::Hash(Hash::new()))? {
        Value::Hash(h) => Ok(h),
        _ => Err(CmdError::wrong_type()),
    }
}

/// The entry of the hash at `key` (after a successful [`write_hash`]).
fn hash_entry<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Option<&'a mut Entry> {
    let db = ctx.db_index();
    ctx.server.dbs[db].raw_get_mut(key)
}

/// Lazy expiry of one field (Redis's `hashTypeGetValue`): delete `field` of the hash at `key`
/// if its deadline passed, and the hash if that was its last field.
fn expire_field_if_needed(ctx: &mut Ctx, key: &[u8], field: &Bytes) {
    let (db, now) = (ctx.db_index(), ctx.now);
    let due =
        ctx.server.dbs[db].raw_get(key).is_some_and(|e| hfe::expired(e.field_ttls.as_deref(), field, now));
    if due {
        expire_fields(ctx.server, db, key, std::slice::from_ref(field), true);
    }
}

/// The live value of `field` of the hash at `key`, deleting it first if it expired.
fn live_field(ctx: &mut Ctx, key: &[u8], field: &Bytes) -> Option<Bytes> {
    live_field_noting(ctx, key, field, None)
}

/// [`live_field`]; with `expired`, the deletion is not announced but noted there (HMGET).
fn live_field_noting(ctx: &mut Ctx, key: &[u8], field: &Bytes, expired: Option<&mut bool>) -> Option<Bytes> {
    let (db, now) = (ctx.db_index(), ctx.now);
    let (value, due) = match ctx.server.dbs[db].raw_get(key) {
        Some(Entry { value: Value::Hash(h), field_ttls, .. }) => {
            (h.get(field).cloned(), hfe::expired(field_ttls.as_deref(), field, now))
        }
        _ => return None,
    };
    if due {
        let notify = expired.is_none();
        if let Some(flag) = expired {
            *flag = true;
        }
        expire_fields(ctx.server, db, key, std::slice::from_ref(field), notify);
        return None;
    }
    value
}

/// The live fields of the hash at `key` (expired ones skipped, not deleted), after a read.
fn live_pairs(ctx: &mut Ctx, key: &[u8]) -> Vec<(Bytes, Bytes)> {
    let now = ctx.now;
    let Some(Entry { value: Value::Hash(h), field_ttls, .. }) = ctx.db().raw_get(key) else {
        return Vec::new();
    };
    let ttls = field_ttls.as_deref();
    h.iter().filter(|(f, _)| !hfe::expired(ttls, f, now)).map(|(f, v)| (f.clone(), v.clone())).collect()
}

/// Delete every expired field of the hash at `key` (HRANDFIELD does this first).
fn expire_due_fields(ctx: &mut Ctx, key: &[u8]) {
    let (db, now) = (ctx.db_index(), ctx.now);
    let due = match ctx.server.dbs[db].raw_get(key).and_then(|e| e.field_ttls.as_ref()) {
        Some(ttls) if ttls.min().is_some_and(|t| t < now) => ttls.due(now, usize::MAX),
        _ => return,
    };
    if !due.is_empty() && !expire_fields(ctx.server, db, key, &due, true) {
        let next = ctx.server.dbs[db].raw_get(key).and_then(|e| e.field_ttls.as_ref()?.min());
        ctx.server.dbs[db].register_field_ttls(key, next);
    }
}

fn field_pairs(args: &mut Args, name: &str) -> Result<Vec<(Bytes, Bytes)>, CmdError> {
    let rest = args.rest();
    if rest.len() % 2 != 0 {
        return Err(CmdError::wrong_arity(name));
    }
    Ok(rest.chunks_exact(2).map(|p| (p[0].clone(), p[1].clone())).collect())
}

fn set_fields(ctx: &mut Ctx, key: Bytes, pairs: Vec<(Bytes, Bytes)>) -> Result<i64, CmdError> {
    write_hash(ctx, &key)?;
    let entry = hash_entry(ctx, &key).expect("just written");
    let ordered = entry.encoding_floor < 2;
    let Value::Hash(hash) = &mut entry.value else { return Err(CmdError::wrong_type()) };
    let mut added = 0;
    for (field, value) in pairs {
        if hash.insert(field.clone(), value).is_none() {
            added += 1;
        } else if let Some(ttls) = entry.field_ttls.as_mut() {
            // A new value drops the field's deadline (and listpackex moves it to the end).
            if ttls.remove(&field).is_some() && ordered {
                place(hash, ttls, &field);
            }
        }
    }
    ctx.notify(HASH, "hset", &key);
    ctx.modified(&key);
    Ok(added)
}

fn hset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let pairs = field_pairs(args, "hset")?;
    Ok(Frame::Integer(set_fields(ctx, key, pairs)?))
}

fn hmset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let pairs = field_pairs(args, "hmset")?;
    set_fields(ctx, key, pairs)?;
    Ok(Frame::ok())
}

fn hsetnx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let field = args.next_bytes()?;
    let value = args.next_bytes()?;
    write_hash(ctx, &key)?;
    expire_field_if_needed(ctx, &key, &field);
    let hash = write_hash(ctx, &key)?;
    if hash.contains_key(&field) {
        return Ok(Frame::Integer(0));
    }
    hash.insert(field, value);
    ctx.notify(HASH, "hset", &key);
    ctx.modified(&key);
    Ok(Frame::Integer(1))
}

fn hget(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let field = args.next_bytes()?;
    if read_hash(ctx, &key)?.is_none() {
        return Ok(Frame::Null);
    }
    Ok(live_field(ctx, &key, &field).map_or(Frame::Null, Frame::Bulk))
}

fn hmget(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let fields = args.rest();
    if read_hash(ctx, &key)?.is_none() {
        return Ok(Frame::Array(fields.iter().map(|_| Frame::Null).collect()));
    }
    let mut expired = false;
    let values = fields
        .iter()
        .map(|f| live_field_noting(ctx, &key, f, Some(&mut expired)).map_or(Frame::Null, Frame::Bulk));
    let reply = Frame::Array(values.collect());
    // One `hexpired` for the fields the command expired, then `del` if the hash went with them.
    if expired {
        ctx.notify(HASH, "hexpired", &key);
        if ctx.db().raw_get(&key).is_none() {
            ctx.notify(crate::notify::GENERIC, "del", &key);
        }
    }
    Ok(reply)
}

fn hgetall(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    if read_hash(ctx, &key)?.is_none() {
        return Ok(Frame::Map(Vec::new()));
    }
    let pairs = live_pairs(ctx, &key).into_iter().map(|(f, v)| (Frame::Bulk(f), Frame::Bulk(v))).collect();
    Ok(Frame::Map(pairs))
}

fn hdel(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let fields = args.rest();
    let removed = match ctx.write(&key) {
        None => return Ok(Frame::Integer(0)),
        Some(entry) => match &mut entry.value {
            Value::Hash(h) => {
                let mut removed = 0;
                for f in &fields {
                    if h.shift_remove(f.as_ref()).is_some() {
                        removed += 1;
                        if let Some(ttls) = entry.field_ttls.as_mut() {
                            ttls.remove(f);
                        }
                    }
                }
                removed
            }
            _ => return Err(CmdError::wrong_type()),
        },
    };
    if removed > 0 {
        ctx.notify(HASH, "hdel", &key);
        ctx.modified(&key);
    }
    Ok(Frame::Integer(removed as i64))
}

fn hexists(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let field = args.next_bytes()?;
    if read_hash(ctx, &key)?.is_none() {
        return Ok(Frame::Integer(0));
    }
    Ok(Frame::Integer(live_field(ctx, &key, &field).is_some() as i64))
}

fn hlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(Frame::Integer(read_hash(ctx, &key)?.map_or(0, |h| h.len() as i64)))
}

fn hkeys(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    if read_hash(ctx, &key)?.is_none() {
        return Ok(Frame::Array(Vec::new()));
    }
    Ok(Frame::Array(live_pairs(ctx, &key).into_iter().map(|(f, _)| Frame::Bulk(f)).collect()))
}

fn hvals(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    if read_hash(ctx, &key)?.is_none() {
        return Ok(Frame::Array(Vec::new()));
    }
    Ok(Frame::Array(live_pairs(ctx, &key).into_iter().map(|(_, v)| Frame::Bulk(v)).collect()))
}

fn hstrlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let field = args.next_bytes()?;
    if read_hash(ctx, &key)?.is_none() {
        return Ok(Frame::Integer(0));
    }
    Ok(Frame::Integer(live_field(ctx, &key, &field).map_or(0, |v| v.len() as i64)))
}

fn hincrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let field = args.next_bytes()?;
    let by = args.next_i64()?;
    write_hash(ctx, &key)?;
    expire_field_if_needed(ctx, &key, &field);
    // The field keeps its deadline (Redis's HASH_SET_KEEP_TTL); an expired one starts at 0.
    let hash = write_hash(ctx, &key)?;
    let current = match hash.get(&field) {
        Some(v) => parse_i64(v).ok_or_else(|| CmdError::err("hash value is not an integer"))?,
        None => 0,
    };
    let next = current.checked_add(by).ok_or_else(CmdError::overflow)?;
    hash.insert(field, Bytes::from(next.to_string()));
    ctx.notify(HASH, "hincrby", &key);
    ctx.modified(&key);
    Ok(Frame::Integer(next))
}

fn hincrbyfloat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let field = args.next_bytes()?;
    let by = parse_long_double(&args.next_bytes()?).ok_or_else(CmdError::not_float)?;
    if by == crate::long_double::Parsed::Infinite {
        return Err(CmdError::err("value is NaN or Infinity"));
    }
    write_hash(ctx, &key)?;
    expire_field_if_needed(ctx, &key, &field);
    let hash = write_hash(ctx, &key)?;
    let current = match hash.get(&field) {
        Some(v) => parse_long_double(v).ok_or_else(|| CmdError::err("hash value is not a float"))?,
        None => crate::long_double::Parsed::Finite(crate::long_double::LongDouble::ZERO),
    };
    let sum =
        add_parsed(&current, &by).ok_or_else(|| CmdError::err("increment would produce NaN or Infinity"))?;
    let text = Bytes::from(sum.to_human_string());
    hash.insert(field.clone(), text.clone());
    ctx.notify(HASH, "hincrbyfloat", &key);
    ctx.modified(&key);
    // The sum as text, so a replica cannot round differently.
    ctx.propagate_as(|| vec![crate::propagate::argv([b"HSET", &key, &field, &text])]);
    Ok(Frame::Bulk(text))
}

fn hrandfield(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let count = match args.next_opt() {
        Some(raw) => Some(super::set::parse_pick_count(&raw)?),
        None => None,
    };
    let with_values = match args.next_opt() {
        Some(w) if w.eq_ignore_ascii_case(b"WITHVALUES") && count.is_some() => true,
        Some(_) => return Err(CmdError::syntax()),
        None => false,
    };
    args.finish()?;
    // Each pick is two replies with WITHVALUES: Redis keeps count*2 within a long.
    if with_values && count.is_some_and(|n| !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&n)) {
        return Err(CmdError::err("value is out of range"));
    }
    let resp3 = ctx.client.protocol == Protocol::Resp3;
    let fields: Vec<(Bytes, Bytes)> = match read_hash(ctx, &key)? {
        Some(h) => h.iter().map(|(f, v)| (f.clone(), v.clone())).collect(),
        None => Vec::new(),
    };
    // Redis deletes every expired field first (and the hash with its last one).
    let has_ttls = ctx.db().raw_get(&key).is_some_and(|e| e.field_ttls.is_some());
    let fields = if has_ttls {
        expire_due_fields(ctx, &key);
        live_pairs(ctx, &key)
    } else {
        fields
    };
    if !fields.is_empty() {
        if let Some(count) = count {
            super::set::check_repeats(count)?;
        }
    }
    let Some(count) = count else {
        if fields.is_empty() {
            return Ok(Frame::Null);
        }
        let i = ctx.server.random_below(fields.len());
        return Ok(Frame::Bulk(fields[i].0.clone()));
    };
    let picks = random_picks(ctx, fields.len(), count);
    let chosen = picks.into_iter().map(|i| fields[i].clone());
    Ok(Frame::Array(if !with_values {
        chosen.map(|(f, _)| Frame::Bulk(f)).collect()
    } else if resp3 {
        chosen.map(|(f, v)| Frame::Array(vec![Frame::Bulk(f), Frame::Bulk(v)])).collect()
    } else {
        chosen.flat_map(|(f, v)| [Frame::Bulk(f), Frame::Bulk(v)]).collect()
    }))
}

/// Indexes for a random pick of `count` out of `len`: distinct when positive (at most `len`),
/// with repetition when negative, as HRANDFIELD/SRANDMEMBER/ZRANDMEMBER do.
pub fn random_picks(ctx: &mut Ctx, len: usize, count: i64) -> Vec<usize> {
    if len == 0 || count == 0 {
        return Vec::new();
    }
    if count < 0 {
        // Callers refused counts beyond the limit (`set::check_repeats`); the cap is a backstop.
        let n = count.unsigned_abs().min(super::set::MAX_RANDOM_REPLY as u64) as usize;
        return (0..n).map(|_| ctx.server.random_below(len)).collect();
    }
    let n = (count as usize).min(len);
    let mut order: Vec<usize> = (0..len).collect();
    // Partial Fisher-Yates: the first n positions become a uniform random sample.
    for i in 0..n {
        let j = i + ctx.server.random_below(len - i);
        order.swap(i, j);
    }
    order.truncate(n);
    order
}

fn hscan(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let cursor = parse_cursor(&args.next_bytes()?)?;
    let mut novalues = false;
    let mut rest = Vec::new();
    while let Some(a) = args.next_opt() {
        if a.eq_ignore_ascii_case(b"NOVALUES") {
            novalues = true;
        } else {
            rest.push(a);
        }
    }
    let mut option_args = Args::new(rest, 0);
    let opts = parse_scan_options(&mut option_args, false)?;
    let floor = ctx.db().raw_get(&key).map_or(0, |e| e.encoding_floor);
    let now = ctx.now;
    if read_hash(ctx, &key)?.is_none() {
        return Ok(Frame::Array(vec![Frame::bulk("0"), Frame::Array(Vec::new())]));
    }
    let Some(Entry { value: Value::Hash(hash), field_ttls, .. }) = ctx.db().raw_get(&key) else {
        return Ok(Frame::Array(vec![Frame::bulk("0"), Frame::Array(Vec::new())]));
    };
    let ttls = field_ttls.as_deref();
    // Small (listpack) hashes come back whole in one call, as Redis does; big ones in COUNT steps.
    let listpack = hash_is_compact(hash, floor);
    let start = cursor as usize;
    let step = if listpack { usize::MAX } else { opts.count };
    let end = start.saturating_add(step).min(hash.len());
    let mut items = Vec::new();
    for (field, value) in hash.iter().skip(start).take(end.saturating_sub(start)) {
        if hfe::expired(ttls, field, now) || opts.pattern.as_ref().is_some_and(|p| !glob_match(p, field)) {
            continue;
        }
        items.push(Frame::Bulk(field.clone()));
        if !novalues {
            items.push(Frame::Bulk(value.clone()));
        }
    }
    let next = if end >= hash.len() { 0 } else { end };
    Ok(Frame::Array(vec![Frame::bulk(next.to_string()), Frame::Array(items)]))
}

/// True if Redis holds this hash as a listpack (it then returns HSCAN's reply whole).
fn hash_is_compact(hash: &indexmap::IndexMap<Bytes, Bytes>, floor: u8) -> bool {
    floor < 2 && crate::types::encoding::hash_is_listpack(hash)
}
