//! Sorted set commands.
//!
//! Argument checks run in Redis's order (options, then numbers and ranges, then the key's type),
//! so a bad command gets the same error here as on a real server.

use super::zrange_spec::{clamp_ranks, parse_lex_range, parse_score_range, scored_reply};
use super::CommandSpec;
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::float::{format_double, parse_double};
use crate::frame::{Frame, Protocol};
use crate::glob::glob_match;
use crate::notify::ZSET;
use crate::types::{Value, ZSet};
use bytes::Bytes;
use std::collections::HashMap;

/// A spec in this file's group, built by the shared `cmd::spec`.
macro_rules! spec {
    ($name:literal, $arity:expr, $flags:expr, $keys:expr, $summary:literal, $syntax:literal, $run:expr) => {
        super::spec($name, $arity, $flags, $keys, "sorted_set", $summary, $syntax, $run)
    };
}

const WF: &[&str] = &["write", "denyoom", "fast"];
const WD: &[&str] = &["write", "denyoom"];
const W: &[&str] = &["write"];
const WFAST: &[&str] = &["write", "fast"];
const RF: &[&str] = &["readonly", "fast"];
const R: &[&str] = &["readonly"];

pub const COMMANDS: &[CommandSpec] = &[
    spec!(
        "zadd",
        -4,
        WF,
        (1, 1, 1),
        "Add members with scores, or update their scores.",
        "key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]",
        zadd
    ),
    spec!(
        "zincrby",
        4,
        WF,
        (1, 1, 1),
        "Add to a member's score (creating it at 0); returns the new score.",
        "key increment member",
        zincrby
    ),
    spec!("zscore", 3, RF, (1, 1, 1), "Return the score of a member.", "key member", zscore),
    spec!(
        "zmscore",
        -3,
        RF,
        (1, 1, 1),
        "Return the scores of several members.",
        "key member [member ...]",
        zmscore
    ),
    spec!("zcard", 2, RF, (1, 1, 1), "Return the number of members.", "key", zcard),
    spec!("zcount", 4, RF, (1, 1, 1), "Count the members with a score in a range.", "key min max", zcount),
    crate::cmd::lazy_one(ZLEXCOUNT),
    spec!(
        "zrank",
        -3,
        RF,
        (1, 1, 1),
        "Return a member's position, lowest score first.",
        "key member [WITHSCORE]",
        zrank
    ),
    spec!(
        "zrevrank",
        -3,
        RF,
        (1, 1, 1),
        "Return a member's position, highest score first.",
        "key member [WITHSCORE]",
        zrevrank
    ),
    spec!(
        "zrange",
        -4,
        R,
        (1, 1, 1),
        "Return members by rank, score or lex range.",
        "key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]",
        zrange
    ),
    crate::cmd::lazy_one(ZRANGESTORE),
    spec!(
        "zrevrange",
        -4,
        R,
        (1, 1, 1),
        "Return members by rank, highest score first.",
        "key start stop [WITHSCORES]",
        zrevrange
    ),
    spec!(
        "zrangebyscore",
        -4,
        R,
        (1, 1, 1),
        "Return members with a score in a range.",
        "key min max [WITHSCORES] [LIMIT offset count]",
        zrangebyscore
    ),
    spec!(
        "zrevrangebyscore",
        -4,
        R,
        (1, 1, 1),
        "Return members with a score in a range, highest first.",
        "key max min [WITHSCORES] [LIMIT offset count]",
        zrevrangebyscore
    ),
    crate::cmd::lazy_one(ZRANGEBYLEX),
    crate::cmd::lazy_one(ZREVRANGEBYLEX),
    spec!(
        "zrem",
        -3,
        WFAST,
        (1, 1, 1),
        "Remove members; returns how many were there.",
        "key member [member ...]",
        zrem
    ),
    spec!(
        "zremrangebyrank",
        4,
        W,
        (1, 1, 1),
        "Remove the members in a rank range.",
        "key start stop",
        zremrangebyrank
    ),
    spec!(
        "zremrangebyscore",
        4,
        W,
        (1, 1, 1),
        "Remove the members in a score range.",
        "key min max",
        zremrangebyscore
    ),
    crate::cmd::lazy_one(ZREMRANGEBYLEX),
    spec!(
        "zpopmin",
        -2,
        WFAST,
        (1, 1, 1),
        "Remove and return the members with the lowest scores.",
        "key [count]",
        zpopmin
    ),
    spec!(
        "zpopmax",
        -2,
        WFAST,
        (1, 1, 1),
        "Remove and return the members with the highest scores.",
        "key [count]",
        zpopmax
    ),
    crate::cmd::lazy_one(ZRANDMEMBER),
    spec!(
        "zscan",
        -3,
        R,
        (1, 1, 1),
        "Iterate members and scores, optionally filtered by a pattern.",
        "key cursor [MATCH pattern] [COUNT count]",
        zscan
    ),
    crate::cmd::lazy_one(ZUNIONSTORE),
    crate::cmd::lazy_one(ZINTERSTORE),
    crate::cmd::lazy_one(ZDIFFSTORE),
    crate::cmd::lazy_one(ZUNION),
    crate::cmd::lazy_one(ZINTER),
    crate::cmd::lazy_one(ZDIFF),
    crate::cmd::lazy_one(ZINTERCARD),
];

/// The lexicographic ranges, ZRANGESTORE, ZRANDMEMBER and the sorted-set algebra: their handlers come with the rare group (see [`crate::cmd::lazy_one`]).
pub(crate) const FULL: &[CommandSpec] = &[
    ZLEXCOUNT,
    ZRANGESTORE,
    ZRANGEBYLEX,
    ZREVRANGEBYLEX,
    ZREMRANGEBYLEX,
    ZRANDMEMBER,
    ZUNIONSTORE,
    ZINTERSTORE,
    ZDIFFSTORE,
    ZUNION,
    ZINTER,
    ZDIFF,
    ZINTERCARD,
];

const ZLEXCOUNT: CommandSpec = spec!(
    "zlexcount",
    4,
    RF,
    (1, 1, 1),
    "Count the members in a lexicographical range.",
    "key min max",
    zlexcount
);

const ZRANGESTORE: CommandSpec = spec!(
    "zrangestore",
    -5,
    WD,
    (1, 2, 1),
    "Store a range of a sorted set at another key.",
    "dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]",
    zrangestore
);

const ZRANGEBYLEX: CommandSpec = spec!(
    "zrangebylex",
    -4,
    R,
    (1, 1, 1),
    "Return members in a lexicographical range.",
    "key min max [LIMIT offset count]",
    zrangebylex
);

const ZREVRANGEBYLEX: CommandSpec = spec!(
    "zrevrangebylex",
    -4,
    R,
    (1, 1, 1),
    "Return members in a lexicographical range, last first.",
    "key max min [LIMIT offset count]",
    zrevrangebylex
);

const ZREMRANGEBYLEX: CommandSpec = spec!(
    "zremrangebylex",
    4,
    W,
    (1, 1, 1),
    "Remove the members in a lexicographical range.",
    "key min max",
    zremrangebylex
);

const ZRANDMEMBER: CommandSpec = spec!(
    "zrandmember",
    -2,
    R,
    (1, 1, 1),
    "Return random members (negative count allows repeats).",
    "key [count [WITHSCORES]]",
    zrandmember
);

const ZUNIONSTORE: CommandSpec = spec!(
    "zunionstore",
    -4,
    &["write", "denyoom", "movablekeys"],
    (1, 1, 1),
    "Store the union of sorted sets (weighted, aggregated).",
    "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]",
    zunionstore
);

const ZINTERSTORE: CommandSpec = spec!(
    "zinterstore",
    -4,
    &["write", "denyoom", "movablekeys"],
    (1, 1, 1),
    "Store the intersection of sorted sets (weighted, aggregated).",
    "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]",
    zinterstore
);

const ZDIFFSTORE: CommandSpec = spec!(
    "zdiffstore",
    -4,
    &["write", "denyoom", "movablekeys"],
    (1, 1, 1),
    "Store the members of the first sorted set missing from the others.",
    "destination numkeys key [key ...]",
    zdiffstore
);

const ZUNION: CommandSpec = spec!(
    "zunion",
    -3,
    &["readonly", "movablekeys"],
    (0, 0, 0),
    "Return the union of sorted sets.",
    "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]",
    zunion
);

const ZINTER: CommandSpec = spec!(
    "zinter",
    -3,
    &["readonly", "movablekeys"],
    (0, 0, 0),
    "Return the intersection of sorted sets.",
    "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]",
    zinter
);

const ZDIFF: CommandSpec = spec!(
    "zdiff",
    -3,
    &["readonly", "movablekeys"],
    (0, 0, 0),
    "Return the members of the first sorted set missing from the others.",
    "numkeys key [key ...] [WITHSCORES]",
    zdiff
);

const ZINTERCARD: CommandSpec = spec!(
    "zintercard",
    -3,
    &["readonly", "movablekeys"],
    (0, 0, 0),
    "Count the members of the intersection, stopping early at LIMIT.",
    "numkeys key [key ...] [LIMIT limit]",
    zintercard
);

fn is_zset(v: &Value) -> bool {
    matches!(v, Value::ZSet(_))
}

fn proto(ctx: &Ctx) -> Protocol {
    ctx.client.protocol
}

/// Run `f` on the sorted set at `key` (None if missing); WRONGTYPE for other types.
fn with_zset<T>(ctx: &mut Ctx, key: &[u8], f: impl FnOnce(Option<&ZSet>) -> T) -> Result<T, CmdError> {
    match ctx.read(key) {
        None => Ok(f(None)),
        Some(Value::ZSet(z)) => Ok(f(Some(z))),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// Like [`with_zset`] with a write lookup, as Redis's removing commands do: no keyspace hit or
/// miss is counted.
fn with_zset_to_change<T>(
    ctx: &mut Ctx,
    key: &[u8],
    f: impl FnOnce(Option<&ZSet>) -> T,
) -> Result<T, CmdError> {
    Ok(f(write_zset(ctx, key)?.map(|z| &*z)))
}

/// The sorted set at `key` for writing, if it exists (WRONGTYPE for other types).
fn write_zset<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut ZSet>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(entry) => match &mut entry.value {
            Value::ZSet(z) => Ok(Some(z)),
            _ => Err(CmdError::wrong_type()),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// ZADD / ZINCRBY

/// ZADD's options (GEOADD passes its NX, XX and CH through).
#[derive(Default, Clone, Copy)]
pub(super) struct AddFlags {
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
    pub ch: bool,
    pub incr: bool,
}

fn zadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let mut f = AddFlags::default();
    loop {
        if args.eat("nx") {
            f.nx = true;
        } else if args.eat("xx") {
            f.xx = true;
        } else if args.eat("ch") {
            f.ch = true;
        } else if args.eat("incr") {
            f.incr = true;
        } else if args.eat("gt") {
            f.gt = true;
        } else if args.eat("lt") {
            f.lt = true;
        } else {
            break;
        }
    }
    let rest = args.rest();
    if rest.is_empty() || rest.len() % 2 != 0 {
        return Err(CmdError::syntax());
    }
    if f.nx && f.xx {
        return Err(CmdError::err("XX and NX options at the same time are not compatible"));
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(CmdError::err("GT, LT, and/or NX options at the same time are not compatible"));
    }
    if f.incr && rest.len() > 2 {
        return Err(CmdError::err("INCR option supports a single increment-element pair"));
    }
    let mut pairs = Vec::with_capacity(rest.len() / 2);
    for pair in rest.chunks(2) {
        let score = parse_double(&pair[0]).ok_or_else(CmdError::not_float)?;
        pairs.push((score, pair[1].clone()));
    }
    zadd_apply(ctx, key, f, pairs)
}

fn zincrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let incr = args.next_f64()?;
    let member = args.next_bytes()?;
    zadd_apply(ctx, key, AddFlags { incr: true, ..AddFlags::default() }, vec![(incr, member)])
}

/// Apply parsed ZADD pairs as Redis's `zsetAdd` does, then reply (count, or score for INCR).
pub(super) fn zadd_apply(ctx: &mut Ctx, key: Bytes, f: AddFlags, pairs: Vec<(f64, Bytes)>) -> CmdResult {
    let exists = match ctx.peek(&key) {
        Some(e) if !is_zset(&e.value) => return Err(CmdError::wrong_type()),
        Some(_) => true,
        None => false,
    };
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut last_score = 0.0;
    let mut nan = false;
    if exists || !f.xx {
        let Value::ZSet(z) = ctx.write_or_create(&key, is_zset, || Value::ZSet(ZSet::new()))? else {
            return Err(CmdError::wrong_type());
        };
        for (score, member) in pairs {
            match z.score(&member) {
                Some(current) => {
                    if f.nx {
                        continue;
                    }
                    let new = if f.incr { score + current } else { score };
                    if new.is_nan() {
                        nan = true;
                        break;
                    }
                    if (f.lt && new >= current) || (f.gt && new <= current) {
                        continue;
                    }
                    last_score = new;
                    processed += 1;
                    if new != current {
                        z.insert(member, new);
                        updated += 1;
                    }
                }
                None if !f.xx => {
                    z.insert(member, score);
                    added += 1;
                    processed += 1;
                    last_score = score;
                }
                None => {}
            }
        }
        if added + updated > 0 {
            ctx.notify(ZSET, if f.incr { "zincr" } else { "zadd" }, &key);
        }
        ctx.modified(&key);
    }
    if nan {
        return Err(CmdError::err("resulting score is not a number (NaN)"));
    }
    if f.incr {
        return Ok(if processed > 0 { Frame::Double(last_score) } else { Frame::Null });
    }
    Ok(Frame::Integer(if f.ch { added + updated } else { added }))
}

// ---------------------------------------------------------------------------------------------
// Reads of single members and counts

fn zscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let member = args.next_bytes()?;
    with_zset(ctx, &key, |z| z.and_then(|z| z.score(&member)).map_or(Frame::Null, Frame::Double))
}

fn zmscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    with_zset(ctx, &key, |z| {
        Frame::Array(
            members.iter().map(|m| z.and_then(|z| z.score(m)).map_or(Frame::Null, Frame::Double)).collect(),
        )
    })
}

fn zcard(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    with_zset(ctx, &key, |z| Frame::Integer(z.map_or(0, |z| z.len()) as i64))
}

fn zcount(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let range = parse_score_range(&args.next_bytes()?, &args.next_bytes()?)?;
    with_zset(ctx, &key, |z| Frame::Integer(z.map_or(0, |z| z.score_iter(&range, false).count()) as i64))
}

fn zlexcount(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let range = parse_lex_range(&args.next_bytes()?, &args.next_bytes()?)?;
    with_zset(ctx, &key, |z| Frame::Integer(z.map_or(0, |z| z.lex_iter(&range, false).count()) as i64))
}

fn rank_generic(ctx: &mut Ctx, args: &mut Args, reverse: bool) -> CmdResult {
    if args.remaining() > 3 {
        return Err(CmdError::wrong_arity(if reverse { "zrevrank" } else { "zrank" }));
    }
    let key = args.next_bytes()?;
    let member = args.next_bytes()?;
    let withscore = match args.remaining() {
        0 => false,
        1 if args.eat("withscore") => true,
        _ => return Err(CmdError::syntax()),
    };
    with_zset(ctx, &key, |z| {
        let found = z.and_then(|z| Some((z.rank_of(&member, reverse)?, z.score(&member)?)));
        match found {
            None if withscore => Frame::NullArray,
            None => Frame::Null,
            Some((rank, score)) if withscore => {
                Frame::Array(vec![Frame::Integer(rank as i64), Frame::Double(score)])
            }
            Some((rank, _)) => Frame::Integer(rank as i64),
        }
    })
}

fn zrank(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    rank_generic(ctx, args, false)
}

fn zrevrank(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    rank_generic(ctx, args, true)
}

// ---------------------------------------------------------------------------------------------
// ZRANGE and its older forms

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Rank,
    Score,
    Lex,
}

/// Redis's `zrangeGenericCommand`: `kind`/`reverse` of `None` may be set by BYSCORE/BYLEX/REV.
fn zrange_generic(
    ctx: &mut Ctx,
    args: &mut Args,
    store: bool,
    kind: Option<Kind>,
    reverse: Option<bool>,
) -> CmdResult {
    let dst = if store { Some(args.next_bytes()?) } else { None };
    let key = args.next_bytes()?;
    let mut min = args.next_bytes()?;
    let mut max = args.next_bytes()?;
    let (mut kind_opt, mut rev_opt) = (kind, reverse);
    let mut withscores = false;
    let mut limit: Option<(i64, i64)> = None;
    while let Some(opt) = args.next_opt() {
        let left = args.remaining();
        if !store && opt.eq_ignore_ascii_case(b"withscores") {
            withscores = true;
        } else if opt.eq_ignore_ascii_case(b"limit") && left >= 2 {
            let offset = args.next_i64()?;
            let count = args.next_i64()?;
            limit = Some((offset, count));
        } else if rev_opt.is_none() && opt.eq_ignore_ascii_case(b"rev") {
            rev_opt = Some(true);
        } else if kind_opt.is_none() && opt.eq_ignore_ascii_case(b"bylex") {
            kind_opt = Some(Kind::Lex);
        } else if kind_opt.is_none() && opt.eq_ignore_ascii_case(b"byscore") {
            kind_opt = Some(Kind::Score);
        } else {
            return Err(CmdError::syntax());
        }
    }
    let reverse = rev_opt.unwrap_or(false);
    let kind = kind_opt.unwrap_or(Kind::Rank);
    // Redis only notices LIMIT on a rank range when its count is not -1 (its "unset" value).
    if kind == Kind::Rank && limit.is_some_and(|(_, count)| count != -1) {
        return Err(CmdError::err(
            "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if withscores && kind == Kind::Lex {
        return Err(CmdError::err("syntax error, WITHSCORES not supported in combination with BYLEX"));
    }
    if reverse && kind != Kind::Rank {
        std::mem::swap(&mut min, &mut max);
    }
    let (offset, count) = limit.unwrap_or((0, -1));
    let limited = |it: Box<dyn Iterator<Item = (&Bytes, f64)> + '_>| -> Vec<(Bytes, f64)> {
        if offset < 0 {
            return vec![];
        }
        let it = it.skip(usize::try_from(offset).unwrap_or(usize::MAX)).map(|(m, s)| (m.clone(), s));
        match usize::try_from(count) {
            Ok(n) => it.take(n).collect(),
            Err(_) => it.collect(),
        }
    };
    let items = match kind {
        Kind::Rank => {
            let start = parse_i64(&min).ok_or_else(CmdError::not_integer)?;
            let end = parse_i64(&max).ok_or_else(CmdError::not_integer)?;
            with_zset(ctx, &key, |z| {
                z.map(|z| match clamp_ranks(start, end, z.len()) {
                    Some((a, b)) => z.range_by_rank(a, b, reverse),
                    None => vec![],
                })
            })?
        }
        Kind::Score => {
            let range = parse_score_range(&min, &max)?;
            with_zset(ctx, &key, |z| z.map(|z| limited(z.score_iter(&range, reverse))))?
        }
        Kind::Lex => {
            let range = parse_lex_range(&min, &max)?;
            with_zset(ctx, &key, |z| z.map(|z| limited(z.lex_iter(&range, reverse))))?
        }
    };
    let items = items.unwrap_or_default();
    match dst {
        Some(dst) => Ok(Frame::Integer(store_result(ctx, dst, items, "zrangestore") as i64)),
        None => Ok(scored_reply(proto(ctx), items, withscores)),
    }
}

/// Store members at `dst` as a new sorted set (deleting `dst` when empty); returns the size.
/// `event` is the keyspace event of a store (a deletion sends `del`).
pub(super) fn store_result(ctx: &mut Ctx, dst: Bytes, items: Vec<(Bytes, f64)>, event: &str) -> usize {
    if items.is_empty() {
        if ctx.delete(&dst) {
            ctx.notify(crate::notify::GENERIC, "del", &dst);
        }
        return 0;
    }
    let mut z = ZSet::new();
    for (m, s) in items {
        z.insert(m, s);
    }
    let len = z.len();
    ctx.set(dst.clone(), Value::ZSet(z), None);
    ctx.notify(ZSET, event, &dst);
    len
}

fn zrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    zrange_generic(ctx, args, false, None, None)
}
fn zrangestore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    zrange_generic(ctx, args, true, None, None)
}
fn zrevrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    zrange_generic(ctx, args, false, Some(Kind::Rank), Some(true))
}
fn zrangebyscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    zrange_generic(ctx, args, false, Some(Kind::Score), Some(false))
}
fn zrevrangebyscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    zrange_generic(ctx, args, false, Some(Kind::Score), Some(true))
}
fn zrangebylex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    zrange_generic(ctx, args, false, Some(Kind::Lex), Some(false))
}
fn zrevrangebylex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    zrange_generic(ctx, args, false, Some(Kind::Lex), Some(true))
}

// ---------------------------------------------------------------------------------------------
// Removal

fn zrem(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    let Some(z) = write_zset(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    let removed = members.iter().filter(|m| z.remove(m).is_some()).count();
    if removed > 0 {
        ctx.notify(ZSET, "zrem", &key);
        ctx.modified(&key);
    }
    Ok(Frame::Integer(removed as i64))
}

/// Remove the given members from `key` and report how many went.
fn remove_members(ctx: &mut Ctx, key: &Bytes, doomed: Vec<Bytes>, event: &str) -> CmdResult {
    let Some(z) = write_zset(ctx, key)? else { return Ok(Frame::Integer(0)) };
    for m in &doomed {
        z.remove(m);
    }
    if !doomed.is_empty() {
        ctx.notify(ZSET, event, key);
        ctx.modified(key);
    }
    Ok(Frame::Integer(doomed.len() as i64))
}

fn zremrangebyrank(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let start = args.next_i64()?;
    let end = args.next_i64()?;
    let doomed = with_zset_to_change(ctx, &key, |z| {
        z.and_then(|z| clamp_ranks(start, end, z.len()).map(|(a, b)| z.range_by_rank(a, b, false)))
    })?;
    let doomed = doomed.unwrap_or_default().into_iter().map(|(m, _)| m).collect();
    remove_members(ctx, &key, doomed, "zremrangebyrank")
}

fn zremrangebyscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let range = parse_score_range(&args.next_bytes()?, &args.next_bytes()?)?;
    let doomed = with_zset_to_change(ctx, &key, |z| {
        z.map(|z| z.score_iter(&range, false).map(|(m, _)| m.clone()).collect())
    })?;
    remove_members(ctx, &key, doomed.unwrap_or_default(), "zremrangebyscore")
}

fn zremrangebylex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let range = parse_lex_range(&args.next_bytes()?, &args.next_bytes()?)?;
    let doomed = with_zset_to_change(ctx, &key, |z| {
        z.map(|z| z.lex_iter(&range, false).map(|(m, _)| m.clone()).collect())
    })?;
    remove_members(ctx, &key, doomed.unwrap_or_default(), "zremrangebylex")
}

fn pop_generic(ctx: &mut Ctx, args: &mut Args, max: bool) -> CmdResult {
    let key = args.next_bytes()?;
    if args.remaining() > 1 {
        return Err(CmdError::syntax());
    }
    let count = match args.next_opt() {
        None => None,
        Some(raw) => {
            Some(parse_i64(&raw).filter(|n| *n >= 0).ok_or_else(CmdError::must_be_positive)? as usize)
        }
    };
    // A count of 0 pops nothing, but only after the key's type was checked (as Redis does). A
    // write lookup, as Redis's: popping counts neither a keyspace hit nor a miss.
    let n = count.unwrap_or(1);
    let Some(z) = write_zset(ctx, &key)? else { return Ok(Frame::Array(vec![])) };
    let popped = if z.is_empty() || n == 0 { vec![] } else { z.range_by_rank(0, n.min(z.len()) - 1, max) };
    if popped.is_empty() {
        return Ok(Frame::Array(vec![]));
    }
    for (m, _) in &popped {
        z.remove(m);
    }
    ctx.notify(ZSET, if max { "zpopmax" } else { "zpopmin" }, &key);
    ctx.modified(&key);
    // Redis counts a change per member popped; `modified` counted one.
    ctx.server.dirty += popped.len() as u64 - 1;
    let p = proto(ctx);
    if count.is_none() {
        // Without a count RESP3 still gets one flat [member, score] pair.
        return Ok(scored_reply(Protocol::Resp2, popped, true));
    }
    Ok(scored_reply(p, popped, true))
}

fn zpopmin(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    pop_generic(ctx, args, false)
}

fn zpopmax(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    pop_generic(ctx, args, true)
}

// ---------------------------------------------------------------------------------------------
// ZRANDMEMBER and ZSCAN

fn zrandmember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let Some(raw) = args.next_opt() else {
        let picked = with_zset(ctx, &key, |z| z.map(|z| z.len()))?;
        let Some(len) = picked.filter(|l| *l > 0) else { return Ok(Frame::Null) };
        let pick = ctx.server.random_below(len);
        // The key was looked up (and counted) once already.
        let member = match ctx.peek(&key).map(|e| &e.value) {
            Some(Value::ZSet(z)) => z.range_by_rank(pick, pick, false).pop(),
            _ => None,
        };
        return Ok(member.map_or(Frame::Null, |(m, _)| Frame::Bulk(m)));
    };
    let count = super::set::parse_pick_count(&raw)?;
    let withscores = match args.remaining() {
        0 => false,
        1 if args.eat("withscores") => true,
        _ => return Err(CmdError::syntax()),
    };
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return Err(CmdError::err("value is out of range"));
    }
    let all = with_zset(ctx, &key, |z| z.map(|z| z.iter().map(|(m, s)| (m.clone(), s)).collect::<Vec<_>>()))?;
    let all = all.unwrap_or_default();
    let len = all.len();
    let p = proto(ctx);
    if len == 0 || count == 0 {
        return Ok(Frame::Array(vec![]));
    }
    super::set::check_repeats(count)?;
    let picked: Vec<(Bytes, f64)> = if count < 0 {
        let n = count.unsigned_abs() as usize;
        (0..n).filter_map(|_| all.get(ctx.server.random_below(len)).cloned()).collect()
    } else if count as u64 >= len as u64 {
        // The whole set, in the order Redis walks its listpack here: highest first.
        all.into_iter().rev().collect()
    } else {
        let mut idx: Vec<usize> = (0..len).collect();
        let n = count as usize;
        for i in 0..n {
            let j = i + ctx.server.random_below(len - i);
            idx.swap(i, j);
        }
        idx.truncate(n);
        idx.into_iter().filter_map(|i| all.get(i).cloned()).collect()
    };
    Ok(scored_reply(p, picked, withscores))
}

fn zscan(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let cursor = super::keys::parse_cursor(&args.next_bytes()?)?;
    let super::keys::ScanOptions { pattern, count, .. } = super::keys::parse_scan_options(args, false)?;
    let floor = ctx.db().raw_get(&key).map_or(0, |e| e.encoding_floor);
    let (items, compact) = with_zset(ctx, &key, |z| match z {
        None => (vec![], 0),
        Some(z) => {
            // A listpack comes back whole; a skiplist page by page.
            let small = floor == 0 && z.len() <= 128 && z.iter().all(|(m, _)| m.len() <= 64);
            (z.iter().map(|(m, s)| (m.clone(), s)).collect::<Vec<_>>(), if small { usize::MAX } else { 0 })
        }
    })?;
    let (page, next) = super::set::scan_page(items, cursor, count, compact);
    let mut out = Vec::new();
    for (m, s) in page {
        if pattern.as_ref().is_none_or(|p| glob_match(p, &m)) {
            out.push(Frame::Bulk(m));
            out.push(Frame::bulk(format_double(s)));
        }
    }
    Ok(Frame::Array(vec![Frame::bulk(next.to_string()), Frame::Array(out)]))
}

// ---------------------------------------------------------------------------------------------
// ZUNION / ZINTER / ZDIFF (and their STORE forms), ZINTERCARD

#[derive(Clone, Copy, PartialEq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// A source as a member -> score list (plain sets count as score 1), in the source's order.
type Source = Vec<(Bytes, f64)>;

fn read_source(ctx: &mut Ctx, key: &[u8]) -> Result<Source, CmdError> {
    match ctx.read(key) {
        None => Ok(vec![]),
        Some(Value::ZSet(z)) => Ok(z.iter().map(|(m, s)| (m.clone(), s)).collect()),
        Some(Value::Set(s)) => Ok(s.iter().map(|m| (m.clone(), 1.0)).collect()),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

fn aggregate(agg: Aggregate, acc: f64, value: f64) -> f64 {
    match agg {
        Aggregate::Sum => {
            let sum = acc + value;
            if sum.is_nan() {
                0.0
            } else {
                sum
            }
        }
        Aggregate::Min => acc.min(value),
        Aggregate::Max => acc.max(value),
    }
}

fn weighted(score: f64, weight: f64) -> f64 {
    let v = score * weight;
    if v.is_nan() {
        0.0
    } else {
        v
    }
}

fn combine(sources: &[Source], weights: &[f64], agg: Aggregate, op: SetOp) -> Vec<(Bytes, f64)> {
    let mut order: Vec<usize> = (0..sources.len()).collect();
    if op != SetOp::Diff {
        crate::order::sort_by_key(&mut order, |i| sources[*i].len());
    }
    let weight = |i: usize| weights.get(i).copied().unwrap_or(1.0);
    let lookups: Vec<HashMap<&Bytes, f64>> =
        sources.iter().map(|s| s.iter().map(|(m, sc)| (m, *sc)).collect()).collect();
    let mut out: Vec<(Bytes, f64)> = Vec::new();
    match op {
        SetOp::Inter => {
            let Some((&first, others)) = order.split_first() else { return out };
            for (m, s) in &sources[first] {
                let mut score = weighted(*s, weight(first));
                let mut everywhere = true;
                for &i in others {
                    match lookups[i].get(m) {
                        Some(v) => score = aggregate(agg, score, weighted(*v, weight(i))),
                        None => {
                            everywhere = false;
                            break;
                        }
                    }
                }
                if everywhere {
                    out.push((m.clone(), score));
                }
            }
        }
        SetOp::Union => {
            let mut acc: indexmap::IndexMap<Bytes, f64> = indexmap::IndexMap::new();
            for &i in &order {
                for (m, s) in &sources[i] {
                    let v = weighted(*s, weight(i));
                    acc.entry(m.clone()).and_modify(|a| *a = aggregate(agg, *a, v)).or_insert(v);
                }
            }
            out = acc.into_iter().collect();
        }
        SetOp::Diff => {
            let Some((first, others)) = sources.split_first() else { return out };
            for (m, s) in first {
                if !others.iter().enumerate().any(|(i, _)| lookups[i + 1].contains_key(m)) {
                    out.push((m.clone(), *s));
                }
            }
        }
    }
    // The result is a sorted set: order by (score, member).
    let mut z = ZSet::new();
    for (m, s) in out {
        z.insert(m, s);
    }
    z.iter().map(|(m, s)| (m.clone(), s)).collect()
}

fn setop_generic(ctx: &mut Ctx, args: &mut Args, op: SetOp, store: bool, name: &str) -> CmdResult {
    let dst = if store { Some(args.next_bytes()?) } else { None };
    let numkeys = args.next_i64()?;
    if numkeys < 1 {
        return Err(CmdError::err(format!("at least 1 input key is needed for '{name}' command")));
    }
    if numkeys as u64 > args.remaining() as u64 {
        return Err(CmdError::syntax());
    }
    let keys: Vec<Bytes> = (0..numkeys).filter_map(|_| args.next_opt()).collect();
    let mut sources = Vec::with_capacity(keys.len());
    for k in &keys {
        sources.push(read_source(ctx, k)?);
    }
    let mut weights = vec![1.0; keys.len()];
    let mut agg = Aggregate::Sum;
    let mut withscores = false;
    while let Some(opt) = args.peek().cloned() {
        let remaining = args.remaining();
        if op != SetOp::Diff && remaining > keys.len() && opt.eq_ignore_ascii_case(b"weights") {
            args.next_opt();
            for w in weights.iter_mut() {
                *w = parse_double(&args.next_bytes()?)
                    .ok_or_else(|| CmdError::err("weight value is not a float"))?;
            }
        } else if op != SetOp::Diff && remaining >= 2 && opt.eq_ignore_ascii_case(b"aggregate") {
            args.next_opt();
            let which = args.next_bytes()?;
            agg = if which.eq_ignore_ascii_case(b"sum") {
                Aggregate::Sum
            } else if which.eq_ignore_ascii_case(b"min") {
                Aggregate::Min
            } else if which.eq_ignore_ascii_case(b"max") {
                Aggregate::Max
            } else {
                return Err(CmdError::syntax());
            };
        } else if !store && opt.eq_ignore_ascii_case(b"withscores") {
            args.next_opt();
            withscores = true;
        } else {
            return Err(CmdError::syntax());
        }
    }
    let result = combine(&sources, &weights, agg, op);
    match dst {
        Some(dst) => {
            let event = match op {
                SetOp::Union => "zunionstore",
                SetOp::Inter => "zinterstore",
                SetOp::Diff => "zdiffstore",
            };
            Ok(Frame::Integer(store_result(ctx, dst, result, event) as i64))
        }
        None => Ok(scored_reply(proto(ctx), result, withscores)),
    }
}

fn zunionstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    setop_generic(ctx, args, SetOp::Union, true, "zunionstore")
}
fn zinterstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    setop_generic(ctx, args, SetOp::Inter, true, "zinterstore")
}
fn zdiffstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    setop_generic(ctx, args, SetOp::Diff, true, "zdiffstore")
}
fn zunion(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    setop_generic(ctx, args, SetOp::Union, false, "zunion")
}
fn zinter(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    setop_generic(ctx, args, SetOp::Inter, false, "zinter")
}
fn zdiff(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    setop_generic(ctx, args, SetOp::Diff, false, "zdiff")
}

fn zintercard(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let numkeys = args.next_i64()?;
    if numkeys < 1 {
        return Err(CmdError::err("at least 1 input key is needed for 'zintercard' command"));
    }
    if numkeys as u64 > args.remaining() as u64 {
        return Err(CmdError::syntax());
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
    let mut sources = Vec::with_capacity(keys.len());
    for k in &keys {
        sources.push(read_source(ctx, k)?);
    }
    let mut count = combine(&sources, &[], Aggregate::Sum, SetOp::Inter).len();
    if limit > 0 {
        count = count.min(limit);
    }
    Ok(Frame::Integer(count as i64))
}
