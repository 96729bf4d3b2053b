//! Set commands. Reply order follows Redis 7.4's encodings: sets of at most 512 integers are
//! intsets (sorted numerically), small sets are listpacks (insertion order), so a learner sees
//! the order a real server prints. Members are kept in that order as they are added.

use super::hash::random_picks;
use super::keys::{parse_cursor, parse_scan_options};
use super::{spec, CommandSpec};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::glob::glob_match;
use crate::types::Value;
use bytes::Bytes;
use indexmap::IndexSet;

type Set = IndexSet<Bytes>;

/// Redis's `set-max-intset-entries`.
const MAX_INTSET: usize = 512;

const W: &[&str] = &["write", "denyoom", "fast"];
const R: &[&str] = &["readonly", "fast"];

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "sadd",
        -3,
        W,
        (1, 1, 1),
        "set",
        "Add members to a set; returns how many were new.",
        "key member [member ...]",
        sadd,
    ),
    spec(
        "srem",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "set",
        "Remove members; the key goes with the last one.",
        "key member [member ...]",
        srem,
    ),
    spec("sismember", 3, R, (1, 1, 1), "set", "1 if the member is in the set.", "key member", sismember),
    spec(
        "smismember",
        -3,
        R,
        (1, 1, 1),
        "set",
        "Membership of several members at once.",
        "key member [member ...]",
        smismember,
    ),
    spec("smembers", 2, &["readonly"], (1, 1, 1), "set", "Every member of a set.", "key", smembers),
    spec("scard", 2, R, (1, 1, 1), "set", "Number of members.", "key", scard),
    spec(
        "spop",
        -2,
        &["write", "fast"],
        (1, 1, 1),
        "set",
        "Remove and return random members.",
        "key [count]",
        spop,
    ),
    spec(
        "srandmember",
        -2,
        &["readonly"],
        (1, 1, 1),
        "set",
        "Random members (negative count: may repeat).",
        "key [count]",
        srandmember,
    ),
    spec(
        "smove",
        4,
        &["write", "fast"],
        (1, 2, 1),
        "set",
        "Move a member from one set to another.",
        "source destination member",
        smove,
    ),
    spec(
        "sinter",
        -2,
        &["readonly"],
        (1, -1, 1),
        "set",
        "Members present in every set.",
        "key [key ...]",
        sinter,
    ),
    spec(
        "sunion",
        -2,
        &["readonly"],
        (1, -1, 1),
        "set",
        "Members present in any set.",
        "key [key ...]",
        sunion,
    ),
    spec(
        "sdiff",
        -2,
        &["readonly"],
        (1, -1, 1),
        "set",
        "Members of the first set that are in no other.",
        "key [key ...]",
        sdiff,
    ),
    spec(
        "sinterstore",
        -3,
        &["write", "denyoom"],
        (1, -1, 1),
        "set",
        "SINTER, stored at a destination key.",
        "destination key [key ...]",
        sinterstore,
    ),
    spec(
        "sunionstore",
        -3,
        &["write", "denyoom"],
        (1, -1, 1),
        "set",
        "SUNION, stored at a destination key.",
        "destination key [key ...]",
        sunionstore,
    ),
    spec(
        "sdiffstore",
        -3,
        &["write", "denyoom"],
        (1, -1, 1),
        "set",
        "SDIFF, stored at a destination key.",
        "destination key [key ...]",
        sdiffstore,
    ),
    spec(
        "sintercard",
        -3,
        &["readonly"],
        (0, 0, 0),
        "set",
        "Size of the intersection, stopping early at LIMIT.",
        "numkeys key [key ...] [LIMIT limit]",
        sintercard,
    ),
    spec(
        "sscan",
        -3,
        &["readonly"],
        (1, 1, 1),
        "set",
        "Iterate a set's members with a cursor.",
        "key cursor [MATCH pattern] [COUNT count]",
        sscan,
    ),
];

/// Keep a set in the order Redis would reply with: sorted while it is an intset.
fn normalize(set: &mut Set) {
    if set.len() <= MAX_INTSET && set.iter().all(|m| parse_i64(m).is_some()) {
        set.sort_by_key(|m| parse_i64(m).unwrap_or(0));
    }
}

/// A set built from members in order, as Redis would encode and then list it.
fn built(members: impl IntoIterator<Item = Bytes>) -> Set {
    let mut set: Set = members.into_iter().collect();
    normalize(&mut set);
    set
}

fn read_set(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Set>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s.clone())),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

fn has_member(ctx: &mut Ctx, key: &[u8], member: &[u8]) -> Result<bool, CmdError> {
    match ctx.read(key) {
        None => Ok(false),
        Some(Value::Set(s)) => Ok(s.contains(member)),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

fn existing_set<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut Set>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(entry) => match &mut entry.value {
            Value::Set(s) => Ok(Some(s)),
            _ => Err(CmdError::wrong_type()),
        },
    }
}

fn members_frame(members: impl IntoIterator<Item = Bytes>) -> Frame {
    Frame::Set(members.into_iter().map(Frame::Bulk).collect())
}

fn sadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    let value = ctx.write_or_create(&key, |v| matches!(v, Value::Set(_)), || Value::Set(Set::new()))?;
    let Value::Set(set) = value else { return Err(CmdError::wrong_type()) };
    let added = members.into_iter().filter(|m| set.insert(m.clone())).count();
    normalize(set);
    ctx.modified(&key);
    Ok(Frame::Integer(added as i64))
}

fn srem(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    let Some(set) = existing_set(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    let removed = members.iter().filter(|m| set.shift_remove(m.as_ref())).count();
    if removed > 0 {
        ctx.modified(&key);
    }
    Ok(Frame::Integer(removed as i64))
}

fn sismember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let member = args.next_bytes()?;
    Ok(Frame::Integer(has_member(ctx, &key, &member)? as i64))
}

fn smismember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let set = read_set(ctx, &key)?;
    Ok(Frame::Array(
        args.rest()
            .iter()
            .map(|m| Frame::Integer(set.as_ref().is_some_and(|s| s.contains(m)) as i64))
            .collect(),
    ))
}

fn smembers(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(members_frame(read_set(ctx, &key)?.unwrap_or_default()))
}

fn scard(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(Frame::Integer(read_set(ctx, &key)?.map_or(0, |s| s.len() as i64)))
}

/// An optional positive count argument (`ERR value is out of range, must be positive`).
fn positive_count(args: &mut Args) -> Result<Option<usize>, CmdError> {
    match args.next_opt() {
        None => Ok(None),
        Some(raw) => {
            if !args.is_empty() {
                return Err(CmdError::syntax());
            }
            let n = parse_i64(&raw).filter(|n| *n >= 0).ok_or_else(CmdError::must_be_positive)?;
            Ok(Some(n as usize))
        }
    }
}

fn spop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let count = positive_count(args)?;
    let Some(set) = read_set(ctx, &key)? else {
        return Ok(if count.is_some() { Frame::Set(Vec::new()) } else { Frame::Null });
    };
    let picks = random_picks(ctx, set.len(), count.unwrap_or(1) as i64);
    let chosen: Vec<Bytes> = picks.iter().filter_map(|i| set.get_index(*i).cloned()).collect();
    if let Some(live) = existing_set(ctx, &key)? {
        for m in &chosen {
            live.shift_remove(m);
        }
    }
    ctx.modified(&key);
    Ok(match count {
        Some(_) => members_frame(chosen),
        None => chosen.into_iter().next().map_or(Frame::Null, Frame::Bulk),
    })
}

fn srandmember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let count = match args.next_opt() {
        None => None,
        Some(raw) => {
            if !args.is_empty() {
                return Err(CmdError::syntax());
            }
            Some(parse_i64(&raw).ok_or_else(CmdError::not_integer)?)
        }
    };
    let set = read_set(ctx, &key)?.unwrap_or_default();
    match count {
        None => {
            if set.is_empty() {
                return Ok(Frame::Null);
            }
            let i = ctx.server.random_below(set.len());
            Ok(set.get_index(i).cloned().map_or(Frame::Null, Frame::Bulk))
        }
        Some(n) => {
            let picks = random_picks(ctx, set.len(), n);
            Ok(Frame::Array(
                picks.iter().filter_map(|i| set.get_index(*i).cloned()).map(Frame::Bulk).collect(),
            ))
        }
    }
}

fn smove(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let src = args.next_bytes()?;
    let dst = args.next_bytes()?;
    let member = args.next_bytes()?;
    let src_has = match existing_set(ctx, &src)? {
        None => return Ok(Frame::Integer(0)),
        Some(s) => s.contains(&member),
    };
    existing_set(ctx, &dst)?;
    if src == dst {
        return Ok(Frame::Integer(src_has as i64));
    }
    if !src_has {
        return Ok(Frame::Integer(0));
    }
    if let Some(s) = existing_set(ctx, &src)? {
        s.shift_remove(&member);
    }
    ctx.modified(&src);
    let value = ctx.write_or_create(&dst, |v| matches!(v, Value::Set(_)), || Value::Set(Set::new()))?;
    if let Value::Set(d) = value {
        d.insert(member);
        normalize(d);
    }
    ctx.modified(&dst);
    Ok(Frame::Integer(1))
}

#[derive(Clone, Copy)]
enum Op {
    Inter,
    Union,
    Diff,
}

/// Compute an intersection, union or difference of the sets at `keys` (missing = empty),
/// type-checking every key first as Redis does.
fn combine(ctx: &mut Ctx, keys: &[Bytes], op: Op) -> Result<Set, CmdError> {
    let mut sets = Vec::with_capacity(keys.len());
    for key in keys {
        sets.push(read_set(ctx, key)?);
    }
    Ok(match op {
        Op::Inter => {
            if sets.iter().any(|s| s.as_ref().is_none_or(|s| s.is_empty())) {
                return Ok(Set::new());
            }
            let sets: Vec<Set> = sets.into_iter().flatten().collect();
            // Redis walks the smallest set and probes the others.
            let smallest = sets.iter().enumerate().min_by_key(|(_, s)| s.len()).map_or(0, |(i, _)| i);
            built(sets[smallest].iter().filter(|m| sets.iter().all(|s| s.contains(*m))).cloned())
        }
        Op::Union => built(sets.into_iter().flatten().flatten()),
        Op::Diff => {
            let mut iter = sets.into_iter();
            let first = iter.next().flatten().unwrap_or_default();
            let others: Vec<Set> = iter.flatten().collect();
            built(first.into_iter().filter(|m| !others.iter().any(|s| s.contains(m))))
        }
    })
}

fn sinter(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    Ok(members_frame(combine(ctx, &args.rest(), Op::Inter)?))
}

fn sunion(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    Ok(members_frame(combine(ctx, &args.rest(), Op::Union)?))
}

fn sdiff(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    Ok(members_frame(combine(ctx, &args.rest(), Op::Diff)?))
}

fn store(ctx: &mut Ctx, args: &mut Args, op: Op) -> CmdResult {
    let dst = args.next_bytes()?;
    let result = combine(ctx, &args.rest(), op)?;
    let len = result.len() as i64;
    ctx.delete(&dst);
    if !result.is_empty() {
        ctx.set(dst, Value::Set(result), None);
    }
    Ok(Frame::Integer(len))
}

fn sinterstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    store(ctx, args, Op::Inter)
}

fn sunionstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    store(ctx, args, Op::Union)
}

fn sdiffstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    store(ctx, args, Op::Diff)
}

fn sintercard(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let msg = || CmdError::err("numkeys should be greater than 0");
    let numkeys = parse_i64(&args.next_bytes()?).ok_or_else(msg)?;
    if numkeys <= 0 {
        return Err(msg());
    }
    if numkeys as usize > args.remaining() {
        return Err(CmdError::err("Number of keys can't be greater than number of args"));
    }
    let keys: Vec<Bytes> = (0..numkeys).map(|_| args.next_bytes()).collect::<Result<_, _>>()?;
    let mut limit = 0usize;
    while let Some(opt) = args.next_opt() {
        if opt.eq_ignore_ascii_case(b"LIMIT") && !args.is_empty() {
            let n = parse_i64(&args.next_bytes()?).ok_or_else(|| CmdError::err("LIMIT can't be negative"))?;
            if n < 0 {
                return Err(CmdError::err("LIMIT can't be negative"));
            }
            limit = n as usize;
        } else {
            return Err(CmdError::syntax());
        }
    }
    let n = combine(ctx, &keys, Op::Inter)?.len();
    Ok(Frame::Integer(if limit > 0 { n.min(limit) } else { n } as i64))
}

fn sscan(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let cursor = parse_cursor(&args.next_bytes()?)? as usize;
    let opts = parse_scan_options(args, false)?;
    let set = read_set(ctx, &key)?.unwrap_or_default();
    let small = set.len() <= 128 && set.iter().all(|m| m.len() <= 64)
        || set.len() <= MAX_INTSET && set.iter().all(|m| parse_i64(m).is_some());
    let end = if small { set.len() } else { cursor.saturating_add(opts.count).min(set.len()) };
    let items: Vec<Frame> = set
        .iter()
        .skip(cursor)
        .take(end.saturating_sub(cursor))
        .filter(|m| opts.pattern.as_ref().is_none_or(|p| glob_match(p, m)))
        .cloned()
        .map(Frame::Bulk)
        .collect();
    let next = if end >= set.len() { 0 } else { end };
    Ok(Frame::Array(vec![Frame::bulk(next.to_string()), Frame::Array(items)]))
}
