//! Popping from several sorted sets: ZMPOP and the blocking BZPOPMIN, BZPOPMAX and BZMPOP
//! (Redis's `genericZpopCommand` and `blockingGenericZpopCommand` in t_zset.c).
//!
//! Replies: BZPOPMIN/BZPOPMAX answer a flat `[key, member, score]` in RESP2 and RESP3 alike;
//! ZMPOP/BZMPOP answer `[key, [[member, score], ...]]`; nothing to pop is a null array. Blocking
//! works as for the list commands (see `blocking.rs`): a caller that can wait is parked, any
//! other (plain `execute`, inside MULTI) gets the null array at once.

use super::blocking::{block_or, parse_timeout};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::Value;
use bytes::Bytes;

/// A spec in the sorted-set group, built by the shared `cmd::spec`.
macro_rules! spec {
    ($name:literal, $arity:expr, $flags:expr, $keys:expr, $summary:literal, $syntax:literal, $run:expr) => {
        super::spec($name, $arity, $flags, $keys, "sorted_set", $summary, $syntax, $run)
    };
}

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec!(
        "zmpop",
        -4,
        &["write", "movablekeys"],
        (0, 0, 0),
        "Pop the lowest (MIN) or highest (MAX) members of the first non-empty sorted set.",
        "numkeys key [key ...] MIN | MAX [COUNT count]",
        zmpop
    ),
    spec!(
        "bzmpop",
        -5,
        &["write", "blocking", "movablekeys"],
        (0, 0, 0),
        "ZMPOP, waiting up to a timeout (seconds, 0 = forever) for a member.",
        "timeout numkeys key [key ...] MIN | MAX [COUNT count]",
        bzmpop
    ),
    spec!(
        "bzpopmin",
        -3,
        &["write", "blocking", "fast"],
        (1, -2, 1),
        "Pop the lowest-scored member of the first non-empty sorted set, waiting up to a timeout.",
        "key [key ...] timeout",
        bzpopmin
    ),
    spec!(
        "bzpopmax",
        -3,
        &["write", "blocking", "fast"],
        (1, -2, 1),
        "Pop the highest-scored member of the first non-empty sorted set, waiting up to a timeout.",
        "key [key ...] timeout",
        bzpopmax
    ),
]);

/// The first of `keys` that exists (a write lookup: no hit or miss counted, as Redis's
/// `lookupKeyWrite`), WRONGTYPE if that one is not a sorted set.
fn first_zset(ctx: &mut Ctx, keys: &[Bytes]) -> Result<Option<Bytes>, CmdError> {
    for key in keys {
        match ctx.write(key) {
            None => continue,
            Some(entry) if matches!(entry.value, Value::ZSet(_)) => return Ok(Some(key.clone())),
            Some(_) => return Err(CmdError::wrong_type()),
        }
    }
    Ok(None)
}

/// Pop up to `count` members (at least one: the key exists) from the low or high end of the
/// sorted set at `key`; the key goes when it empties.
fn pop(ctx: &mut Ctx, key: &Bytes, max: bool, count: usize) -> Vec<(Bytes, f64)> {
    let Some(Value::ZSet(z)) = ctx.write(key).map(|e| &mut e.value) else { return Vec::new() };
    let n = count.min(z.len());
    if n == 0 {
        return Vec::new();
    }
    let popped = z.range_by_rank(0, n - 1, max);
    for (m, _) in &popped {
        z.remove(m);
    }
    ctx.notify(crate::notify::ZSET, if max { "zpopmax" } else { "zpopmin" }, key);
    ctx.modified(key);
    // Redis counts a change per member popped; `modified` counted one.
    ctx.server.dirty += popped.len() as u64 - 1;
    popped
}

/// Replicas get the plain pop: `ZPOPMIN key` for BZPOPMIN, with the count popped for the M forms.
fn propagate_pop(ctx: &mut Ctx, key: &[u8], max: bool, popped: Option<usize>) {
    let word: &[u8] = if max { b"ZPOPMAX" } else { b"ZPOPMIN" };
    ctx.propagate_as(|| match popped {
        Some(n) => vec![crate::propagate::argv([word, key, n.to_string().as_bytes()])],
        None => vec![crate::propagate::argv([word, key])],
    });
}

/// `[key, [[member, score], ...]]` of ZMPOP and BZMPOP.
fn nested(key: Bytes, popped: Vec<(Bytes, f64)>) -> Frame {
    let pairs = popped.into_iter().map(|(m, s)| Frame::Array(vec![Frame::Bulk(m), Frame::Double(s)]));
    Frame::Array(vec![Frame::Bulk(key), Frame::Array(pairs.collect())])
}

/// `numkeys key... MIN|MAX [COUNT n]`, checked in Redis's order (numkeys, that enough
/// arguments follow, MIN/MAX, then the options).
fn parse_mpop(args: &mut Args) -> Result<(Vec<Bytes>, bool, usize), CmdError> {
    let numkeys_msg = || CmdError::err("numkeys should be greater than 0");
    let numkeys = parse_i64(&args.next_bytes()?).filter(|n| *n > 0).ok_or_else(numkeys_msg)?;
    if numkeys as u64 >= args.remaining() as u64 {
        return Err(CmdError::syntax());
    }
    let keys: Vec<Bytes> = (0..numkeys).map(|_| args.next_bytes()).collect::<Result<_, _>>()?;
    let end = args.next_bytes()?;
    let max = if end.eq_ignore_ascii_case(b"MIN") {
        false
    } else if end.eq_ignore_ascii_case(b"MAX") {
        true
    } else {
        return Err(CmdError::syntax());
    };
    let mut count = None;
    while let Some(opt) = args.next_opt() {
        if count.is_none() && opt.eq_ignore_ascii_case(b"COUNT") && !args.is_empty() {
            let msg = || CmdError::err("count should be greater than 0");
            count = Some(parse_i64(&args.next_bytes()?).filter(|n| *n > 0).ok_or_else(msg)? as usize);
        } else {
            return Err(CmdError::syntax());
        }
    }
    Ok((keys, max, count.unwrap_or(1)))
}

fn zmpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (keys, max, count) = parse_mpop(args)?;
    let Some(key) = first_zset(ctx, &keys)? else { return Ok(Frame::NullArray) };
    let popped = pop(ctx, &key, max, count);
    propagate_pop(ctx, &key, max, Some(popped.len()));
    Ok(nested(key, popped))
}

fn bzmpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let raw_timeout = args.next_bytes()?;
    let (keys, max, count) = parse_mpop(args)?;
    let deadline = parse_timeout(ctx, &raw_timeout)?;
    match first_zset(ctx, &keys)? {
        Some(key) => {
            let popped = pop(ctx, &key, max, count);
            propagate_pop(ctx, &key, max, Some(popped.len()));
            Ok(nested(key, popped))
        }
        None => block_or(ctx, deadline, Frame::NullArray),
    }
}

fn bzpop(ctx: &mut Ctx, args: &mut Args, max: bool) -> CmdResult {
    let mut keys = args.rest();
    let raw_timeout = keys.pop().ok_or_else(CmdError::syntax)?;
    let deadline = parse_timeout(ctx, &raw_timeout)?;
    match first_zset(ctx, &keys)? {
        Some(key) => {
            let popped = pop(ctx, &key, max, 1);
            propagate_pop(ctx, &key, max, None);
            let mut reply = vec![Frame::Bulk(key)];
            reply.extend(popped.into_iter().flat_map(|(m, s)| [Frame::Bulk(m), Frame::Double(s)]));
            Ok(Frame::Array(reply))
        }
        None => block_or(ctx, deadline, Frame::NullArray),
    }
}

fn bzpopmin(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    bzpop(ctx, args, false)
}

fn bzpopmax(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    bzpop(ctx, args, true)
}
