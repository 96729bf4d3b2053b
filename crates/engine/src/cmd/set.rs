//! Set commands.
//!
//! Reply order follows Redis 7.4's small encodings: a set of integers that would be an intset
//! (at most 512 members) replies in numeric order; other small sets (listpacks) reply in
//! insertion order, which the insertion-ordered `IndexSet` keeps. [`add_member`] mirrors the
//! intset -> listpack conversion (the intset's sorted members come first, then the new one).

use super::CommandSpec;
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::glob::glob_match;
use crate::notify::SET;
use crate::types::Value;
use bytes::Bytes;
use indexmap::IndexSet;

/// Most picks a random-with-repeats reply (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER with a negative
/// count) returns. Redis has no such limit: asked for -LONG_MAX picks it starts building a reply
/// of that many and runs out of memory. The page runs in a wasm instance of 4 GB at most, where a
/// million picks (tens of MB of frames and RESP) is already a lot, so a larger count is refused
/// before anything is built, with an error that reads like Redis's own range error.
pub const MAX_RANDOM_REPLY: usize = 1_000_000;

/// The count of SRANDMEMBER / HRANDFIELD / ZRANDMEMBER, as Redis's
/// `getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)` reads it (LONG_MIN has no opposite).
pub fn parse_pick_count(raw: &[u8]) -> Result<i64, CmdError> {
    let n = parse_i64(raw).ok_or_else(CmdError::not_integer)?;
    if n == i64::MIN {
        return Err(CmdError::beyond_symmetric_range());
    }
    Ok(n)
}

/// Refuse a negative count whose picks exceed [`MAX_RANDOM_REPLY`] (checked once the key is
/// known to hold data, where Redis would start the reply).
pub fn check_repeats(count: i64) -> Result<(), CmdError> {
    if count < 0 && count.unsigned_abs() > MAX_RANDOM_REPLY as u64 {
        return Err(CmdError::err(format!(
            "value is out of range: the playground answers at most {MAX_RANDOM_REPLY} picks for a negative count"
        )));
    }
    Ok(())
}

/// A spec in this file's group, built by the shared `cmd::spec`.
macro_rules! spec {
    ($name:literal, $arity:expr, $flags:expr, $keys:expr, $summary:literal, $syntax:literal, $run:expr) => {
        super::spec($name, $arity, $flags, $keys, "set", $summary, $syntax, $run)
    };
}

const W: &[&str] = &["write", "denyoom", "fast"];
const RF: &[&str] = &["readonly", "fast"];
const R: &[&str] = &["readonly"];
const WD: &[&str] = &["write", "denyoom"];

pub const COMMANDS: &[CommandSpec] = &[
    spec!(
        "sadd",
        -3,
        W,
        (1, 1, 1),
        "Add members to a set; returns how many were new.",
        "key member [member ...]",
        sadd
    ),
    spec!(
        "srem",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "Remove members from a set; returns how many were there.",
        "key member [member ...]",
        srem
    ),
    spec!(
        "sismember",
        3,
        RF,
        (1, 1, 1),
        "Tell whether a member is in a set (1 or 0).",
        "key member",
        sismember
    ),
    crate::cmd::lazy_one(SMISMEMBER),
    spec!("smembers", 2, R, (1, 1, 1), "Return every member of a set.", "key", smembers),
    spec!("scard", 2, RF, (1, 1, 1), "Return the number of members in a set.", "key", scard),
    crate::cmd::lazy_one(SPOP),
    crate::cmd::lazy_one(SRANDMEMBER),
    crate::cmd::lazy_one(SMOVE),
    crate::cmd::lazy_one(SINTER),
    crate::cmd::lazy_one(SUNION),
    crate::cmd::lazy_one(SDIFF),
    crate::cmd::lazy_one(SINTERSTORE),
    crate::cmd::lazy_one(SUNIONSTORE),
    crate::cmd::lazy_one(SDIFFSTORE),
    crate::cmd::lazy_one(SINTERCARD),
    spec!(
        "sscan",
        -3,
        R,
        (1, 1, 1),
        "Iterate the members of a set, optionally filtered by a pattern.",
        "key cursor [MATCH pattern] [COUNT count]",
        sscan
    ),
];

/// SMISMEMBER, SPOP, SRANDMEMBER, SMOVE and the set algebra: their handlers come with the rare group (see [`crate::cmd::lazy_one`]).
pub(crate) const FULL: &[CommandSpec] = &[
    SMISMEMBER,
    SPOP,
    SRANDMEMBER,
    SMOVE,
    SINTER,
    SUNION,
    SDIFF,
    SINTERSTORE,
    SUNIONSTORE,
    SDIFFSTORE,
    SINTERCARD,
];

const SMISMEMBER: CommandSpec = spec!(
    "smismember",
    -3,
    RF,
    (1, 1, 1),
    "Tell for each member whether it is in a set.",
    "key member [member ...]",
    smismember
);

const SPOP: CommandSpec = spec!(
    "spop",
    -2,
    &["write", "fast"],
    (1, 1, 1),
    "Remove and return random members of a set.",
    "key [count]",
    spop
);

const SRANDMEMBER: CommandSpec = spec!(
    "srandmember",
    -2,
    R,
    (1, 1, 1),
    "Return random members without removing them (negative count allows repeats).",
    "key [count]",
    srandmember
);

const SMOVE: CommandSpec = spec!(
    "smove",
    4,
    &["write", "fast"],
    (1, 2, 1),
    "Move a member from one set to another.",
    "source destination member",
    smove
);

const SINTER: CommandSpec = spec!(
    "sinter",
    -2,
    R,
    (1, -1, 1),
    "Return the members present in every given set.",
    "key [key ...]",
    sinter
);

const SUNION: CommandSpec = spec!(
    "sunion",
    -2,
    R,
    (1, -1, 1),
    "Return the members present in any given set.",
    "key [key ...]",
    sunion
);

const SDIFF: CommandSpec = spec!(
    "sdiff",
    -2,
    R,
    (1, -1, 1),
    "Return the members of the first set that are in none of the others.",
    "key [key ...]",
    sdiff
);

const SINTERSTORE: CommandSpec = spec!(
    "sinterstore",
    -3,
    WD,
    (1, -1, 1),
    "Store the intersection of sets at a key; returns its size.",
    "destination key [key ...]",
    sinterstore
);

const SUNIONSTORE: CommandSpec = spec!(
    "sunionstore",
    -3,
    WD,
    (1, -1, 1),
    "Store the union of sets at a key; returns its size.",
    "destination key [key ...]",
    sunionstore
);

const SDIFFSTORE: CommandSpec = spec!(
    "sdiffstore",
    -3,
    WD,
    (1, -1, 1),
    "Store the difference of sets at a key; returns its size.",
    "destination key [key ...]",
    sdiffstore
);

const SINTERCARD: CommandSpec = spec!(
    "sintercard",
    -3,
    &["readonly", "movablekeys"],
    (0, 0, 0),
    "Count the members of the intersection, stopping early at LIMIT.",
    "numkeys key [key ...] [LIMIT limit]",
    sintercard
);

fn is_set(v: &Value) -> bool {
    matches!(v, Value::Set(_))
}

fn new_set() -> Value {
    Value::Set(IndexSet::new())
}

/// True if `member` is an integer as Redis's intset accepts it.
fn is_int(member: &[u8]) -> bool {
    parse_i64(member).is_some()
}

/// True if Redis would hold this set as an intset (so it replies in numeric order).
pub fn is_intset_like(set: &IndexSet<Bytes>) -> bool {
    crate::types::encoding::set_natural_rank(set) == 0
}

fn sort_numerically(set: &mut IndexSet<Bytes>) {
    let mut members: Vec<Bytes> = set.drain(..).collect();
    crate::order::sort_by_cached_key(&mut members, |m| parse_i64(m).unwrap_or(0));
    set.extend(members);
}

/// Add `member` the way Redis's `setTypeAdd` orders it: integers stay sorted while the set is an
/// intset; the first non-integer converts it (sorted members first), then insertion order.
/// `converted`: the set already left the intset encoding (it never returns to it).
pub fn add_member(set: &mut IndexSet<Bytes>, member: Bytes, converted: bool) -> bool {
    if set.contains(&member) {
        return false;
    }
    let intset = !converted && !set.is_empty() && is_intset_like(set);
    set.insert(member.clone());
    if intset && is_int(&member) {
        if set.len() as u64 <= crate::types::encoding::limits().set_max_intset_entries {
            sort_numerically(set);
        }
    } else if intset {
        set.shift_remove(&member);
        sort_numerically(set);
        set.insert(member);
    }
    true
}

/// True if the set at `key` has left the intset encoding at some point (see `types::encoding`).
fn left_intset(ctx: &mut Ctx, key: &[u8]) -> bool {
    ctx.db().raw_get(key).is_some_and(|e| e.encoding_floor >= 1)
}

/// The members in the order Redis replies with them (`converted`: see [`add_member`]).
pub fn reply_order(set: &IndexSet<Bytes>) -> Vec<Bytes> {
    reply_order_of(set, false)
}

pub(crate) fn reply_order_of(set: &IndexSet<Bytes>, converted: bool) -> Vec<Bytes> {
    let mut members: Vec<Bytes> = set.iter().cloned().collect();
    if !converted && is_intset_like(set) {
        crate::order::sort_by_cached_key(&mut members, |m| parse_i64(m).unwrap_or(0));
    }
    members
}

fn set_frame(members: Vec<Bytes>) -> Frame {
    Frame::Set(members.into_iter().map(Frame::Bulk).collect())
}

/// The set at `key` for reading (cloned): `None` if missing, WRONGTYPE otherwise.
pub fn read_set(ctx: &mut Ctx, key: &[u8]) -> Result<Option<IndexSet<Bytes>>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s.clone())),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// Run `f` on the set at `key` without cloning it.
fn with_set<T>(
    ctx: &mut Ctx,
    key: &[u8],
    f: impl FnOnce(Option<&IndexSet<Bytes>>) -> T,
) -> Result<T, CmdError> {
    match ctx.read(key) {
        None => Ok(f(None)),
        Some(Value::Set(s)) => Ok(f(Some(s))),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// The set at `key` for writing, if it exists (WRONGTYPE for other types).
fn write_set<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut IndexSet<Bytes>>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(entry) => match &mut entry.value {
            Value::Set(s) => Ok(Some(s)),
            _ => Err(CmdError::wrong_type()),
        },
    }
}

fn sadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    let converted = left_intset(ctx, &key);
    let Value::Set(set) = ctx.write_or_create(&key, is_set, new_set)? else {
        return Err(CmdError::wrong_type());
    };
    let was_intset = !converted && !set.is_empty() && is_intset_like(set);
    let added = members.into_iter().filter(|m| add_member(set, m.clone(), converted)).count();
    // Redis's `maybeConvertIntset`: an intset grown past `set-max-intset-entries` becomes a
    // hashtable, even where a listpack would do (a new set that big starts as a listpack).
    let outgrown = was_intset
        && set.len() as u64 > crate::types::encoding::limits().set_max_intset_entries
        && set.iter().all(|m| is_int(m));
    if outgrown {
        ctx.db().settle_encoding(&key, 2);
    }
    if added > 0 {
        ctx.notify(SET, "sadd", &key);
        ctx.modified(&key);
    }
    Ok(Frame::Integer(added as i64))
}

fn srem(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    let Some(set) = write_set(ctx, &key)? else {
        return Ok(Frame::Integer(0));
    };
    let removed = members.iter().filter(|m| set.shift_remove(m.as_ref())).count();
    if removed > 0 {
        ctx.notify(SET, "srem", &key);
        ctx.modified(&key);
    }
    Ok(Frame::Integer(removed as i64))
}

fn sismember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let member = args.next_bytes()?;
    let found = with_set(ctx, &key, |s| s.is_some_and(|s| s.contains(&member)))?;
    Ok(Frame::Integer(found as i64))
}

fn smismember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    with_set(ctx, &key, |s| {
        Frame::Array(
            members.iter().map(|m| Frame::Integer(s.is_some_and(|s| s.contains(m)) as i64)).collect(),
        )
    })
}

fn smembers(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let converted = left_intset(ctx, &key);
    with_set(ctx, &key, |s| set_frame(s.map(|s| reply_order_of(s, converted)).unwrap_or_default()))
}

fn scard(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    with_set(ctx, &key, |s| Frame::Integer(s.map_or(0, |s| s.len()) as i64))
}

fn spop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let count = match args.next_opt() {
        None => None,
        Some(raw) => {
            let n = parse_i64(&raw).filter(|n| *n >= 0).ok_or_else(CmdError::must_be_positive)?;
            args.finish()?;
            Some(n as usize)
        }
    };
    // A write lookup, as Redis's: SPOP counts no keyspace hit or miss.
    let len = match write_set(ctx, &key)?.map(|s| s.len()) {
        Some(len) => len,
        None => return Ok(count.map_or(Frame::Null, |_| Frame::Set(vec![]))),
    };
    let Some(count) = count else {
        let pick = ctx.server.random_below(len);
        let Some(set) = write_set(ctx, &key)? else { return Ok(Frame::Null) };
        let member = set.shift_remove_index(pick);
        ctx.notify(SET, "spop", &key);
        ctx.modified(&key);
        if let Some(m) = &member {
            ctx.propagate_as(|| vec![crate::propagate::argv([b"SREM", &key, m])]);
        }
        return Ok(member.map_or(Frame::Null, Frame::Bulk));
    };
    if count == 0 {
        return Ok(Frame::Set(vec![]));
    }
    let mut popped = Vec::with_capacity(count.min(len));
    if count >= len {
        // Redis answers this case with SUNION of the key: a fresh set, sorted if all integers,
        // and that SUNION's read counts a keyspace hit.
        with_set(ctx, &key, |_| ())?;
        if let Some(set) = write_set(ctx, &key)? {
            popped = reply_order(set);
            set.clear();
        }
        let word = crate::propagate::delete_word(ctx.server, "lazyfree-lazy-server-del");
        ctx.propagate_as(|| vec![crate::propagate::argv([word, &key])]);
    } else {
        let chosen = distinct_indexes(ctx, len, count);
        if let Some(set) = write_set(ctx, &key)? {
            popped.extend(chosen.into_iter().filter_map(|i| set.get_index(i).cloned()));
            // `retain` keeps the insertion order of the members left behind.
            let gone: std::collections::HashSet<&Bytes> = popped.iter().collect();
            set.retain(|m| !gone.contains(m));
        }
        // As SREMs of what it popped, up to 1024 members each (Redis's batches).
        ctx.propagate_as(|| {
            let srem = |batch: &[Bytes]| [&[Bytes::from_static(b"SREM"), key.clone()][..], batch].concat();
            popped.chunks(1024).map(srem).collect()
        });
    }
    ctx.notify(SET, "spop", &key);
    ctx.modified(&key);
    Ok(set_frame(popped))
}

fn srandmember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let count = match args.next_opt() {
        None => None,
        Some(_) if !args.is_empty() => return Err(CmdError::syntax()),
        Some(raw) => Some(parse_pick_count(&raw)?),
    };
    let Some(set) = read_set(ctx, &key)? else {
        return Ok(if count.is_some() { Frame::Array(vec![]) } else { Frame::Null });
    };
    let Some(count) = count else {
        let pick = ctx.server.random_below(set.len());
        return Ok(set.get_index(pick).cloned().map_or(Frame::Null, Frame::Bulk));
    };
    let len = set.len();
    if count < 0 {
        check_repeats(count)?;
        let n = count.unsigned_abs() as usize;
        let picks = (0..n).map(|_| ctx.server.random_below(len)).collect::<Vec<_>>();
        return Ok(Frame::Array(
            picks.into_iter().filter_map(|i| set.get_index(i).cloned()).map(Frame::Bulk).collect(),
        ));
    }
    let count = count as usize;
    // Unlike SPOP, SRANDMEMBER answers with an array even in RESP3.
    if count >= len {
        return Ok(Frame::Array(reply_order(&set).into_iter().map(Frame::Bulk).collect()));
    }
    let chosen = distinct_indexes(ctx, len, count);
    Ok(Frame::Array(chosen.into_iter().filter_map(|i| set.get_index(i).cloned()).map(Frame::Bulk).collect()))
}

/// `count` distinct random positions in `0..len` (partial Fisher-Yates, seeded RNG).
fn distinct_indexes(ctx: &mut Ctx, len: usize, count: usize) -> Vec<usize> {
    let mut indexes: Vec<usize> = (0..len).collect();
    let count = count.min(len);
    for i in 0..count {
        let j = i + ctx.server.random_below(len - i);
        indexes.swap(i, j);
    }
    indexes.truncate(count);
    indexes
}

fn smove(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let src = args.next_bytes()?;
    let dst = args.next_bytes()?;
    let member = args.next_bytes()?;
    let src_has = match ctx.peek(&src) {
        None => return Ok(Frame::Integer(0)),
        Some(e) => match &e.value {
            Value::Set(s) => s.contains(&member),
            _ => return Err(CmdError::wrong_type()),
        },
    };
    if let Some(e) = ctx.peek(&dst) {
        if !is_set(&e.value) {
            return Err(CmdError::wrong_type());
        }
    }
    if src == dst {
        return Ok(Frame::Integer(src_has as i64));
    }
    if !src_has {
        return Ok(Frame::Integer(0));
    }
    if let Some(set) = write_set(ctx, &src)? {
        set.shift_remove(&member);
    }
    ctx.notify(SET, "srem", &src);
    ctx.modified(&src);
    // Redis signals the destination only when the member was really added: a destination that
    // already holds it is untouched (its WATCHers' EXEC still runs, no keyspace event).
    let dst_has = ctx.peek(&dst).is_some_and(|e| matches!(&e.value, Value::Set(s) if s.contains(&member)));
    if !dst_has {
        let converted = left_intset(ctx, &dst);
        if let Value::Set(set) = ctx.write_or_create(&dst, is_set, new_set)? {
            add_member(set, member, converted);
        }
        ctx.notify(SET, "sadd", &dst);
        ctx.modified(&dst);
    }
    Ok(Frame::Integer(1))
}

/// Read every key as a set (missing = empty); WRONGTYPE if any is not a set.
fn read_sets(ctx: &mut Ctx, keys: &[Bytes]) -> Result<Vec<IndexSet<Bytes>>, CmdError> {
    keys.iter().map(|k| read_set(ctx, k).map(Option::unwrap_or_default)).collect()
}

/// Members of the intersection, in the iteration order of the smallest set.
fn intersection(sets: &[IndexSet<Bytes>]) -> Vec<Bytes> {
    let mut by_size: Vec<&IndexSet<Bytes>> = sets.iter().collect();
    crate::order::sort_by_key(&mut by_size, |s| s.len());
    let Some((first, others)) = by_size.split_first() else { return vec![] };
    if others.iter().any(|s| s.is_empty()) {
        return vec![];
    }
    reply_order(first).into_iter().filter(|m| others.iter().all(|s| s.contains(m))).collect()
}

/// The union or difference built as Redis builds its result set (members added one by one).
fn combine(sets: &[IndexSet<Bytes>], diff: bool) -> IndexSet<Bytes> {
    let mut out = IndexSet::new();
    if diff {
        let Some((first, others)) = sets.split_first() else { return out };
        for m in reply_order(first) {
            if !others.iter().any(|s| s.contains(&m)) {
                add_member(&mut out, m, false);
            }
        }
    } else {
        for s in sets {
            for m in reply_order(s) {
                add_member(&mut out, m, false);
            }
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Op {
    Inter,
    Union,
    Diff,
}

fn compute(ctx: &mut Ctx, keys: &[Bytes], op: Op) -> Result<IndexSet<Bytes>, CmdError> {
    let sets = read_sets(ctx, keys)?;
    Ok(match op {
        Op::Inter => {
            let mut out = IndexSet::new();
            for m in intersection(&sets) {
                add_member(&mut out, m, false);
            }
            out
        }
        Op::Union => combine(&sets, false),
        Op::Diff => combine(&sets, true),
    })
}

fn read_op(ctx: &mut Ctx, args: &mut Args, op: Op) -> CmdResult {
    let keys = args.rest();
    if let Op::Inter = op {
        let sets = read_sets(ctx, &keys)?;
        return Ok(set_frame(intersection(&sets)));
    }
    let result = compute(ctx, &keys, op)?;
    Ok(set_frame(result.into_iter().collect()))
}

fn store_op(ctx: &mut Ctx, args: &mut Args, op: Op) -> CmdResult {
    let dst = args.next_bytes()?;
    let keys = args.rest();
    let result = compute(ctx, &keys, op)?;
    let len = result.len();
    if len == 0 {
        if ctx.delete(&dst) {
            ctx.notify(crate::notify::GENERIC, "del", &dst);
        }
    } else {
        ctx.set(dst.clone(), Value::Set(result), None);
        let event = match op {
            Op::Inter => "sinterstore",
            Op::Union => "sunionstore",
            Op::Diff => "sdiffstore",
        };
        ctx.notify(SET, event, &dst);
    }
    Ok(Frame::Integer(len as i64))
}

fn sinter(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_op(ctx, args, Op::Inter)
}
fn sunion(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_op(ctx, args, Op::Union)
}
fn sdiff(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_op(ctx, args, Op::Diff)
}
fn sinterstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    store_op(ctx, args, Op::Inter)
}
fn sunionstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    store_op(ctx, args, Op::Union)
}
fn sdiffstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    store_op(ctx, args, Op::Diff)
}

fn sintercard(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let numkeys_err = || CmdError::err("numkeys should be greater than 0");
    let numkeys = parse_i64(&args.next_bytes()?).filter(|n| *n > 0).ok_or_else(numkeys_err)? as u64;
    if numkeys > args.remaining() as u64 {
        return Err(CmdError::err("Number of keys can't be greater than number of args"));
    }
    let keys: Vec<Bytes> = (0..numkeys).filter_map(|_| args.next_opt()).collect();
    let mut limit = 0usize;
    while let Some(opt) = args.next_opt() {
        if opt.eq_ignore_ascii_case(b"limit") {
            let raw = args.next_bytes()?;
            let n = parse_i64(&raw)
                .filter(|n| *n >= 0)
                .ok_or_else(|| CmdError::err("LIMIT can't be negative"))?;
            limit = n as usize;
        } else {
            return Err(CmdError::syntax());
        }
    }
    let sets = read_sets(ctx, &keys)?;
    let mut count = intersection(&sets).len();
    if limit > 0 {
        count = count.min(limit);
    }
    Ok(Frame::Integer(count as i64))
}

fn sscan(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let cursor = super::keys::parse_cursor(&args.next_bytes()?)?;
    let super::keys::ScanOptions { pattern, count, .. } = super::keys::parse_scan_options(args, false)?;
    let floor = ctx.db().raw_get(&key).map_or(0, |e| e.encoding_floor);
    let (members, compact) = with_set(ctx, &key, |s| match s {
        None => (vec![], 0),
        // An intset or listpack comes back whole; a hashtable page by page.
        Some(s) => {
            let whole = crate::types::encoding::set_natural_rank(s).max(floor) < 2;
            (reply_order_of(s, floor >= 1), if whole { usize::MAX } else { 0 })
        }
    })?;
    let (page, next) = scan_page(members, cursor, count, compact);
    let page = page.into_iter().filter(|m| pattern.as_ref().is_none_or(|p| glob_match(p, m)));
    Ok(Frame::Array(vec![Frame::bulk(next.to_string()), Frame::Array(page.map(Frame::Bulk).collect())]))
}

/// One page of a collection scan: small collections come back whole (as Redis's compact
/// encodings do); large ones page by position, the cursor being the next position.
pub fn scan_page<T>(items: Vec<T>, cursor: u64, count: usize, whole_below: usize) -> (Vec<T>, u64) {
    if items.len() <= whole_below {
        return (items, 0);
    }
    let start = usize::try_from(cursor).unwrap_or(usize::MAX).min(items.len());
    let end = start.saturating_add(count).min(items.len());
    let next = if end >= items.len() { 0 } else { end as u64 };
    (items.into_iter().skip(start).take(end - start).collect(), next)
}
