//! Sorted-set commands: ZADD and its options, the ZRANGE family (by rank, score and lex, with
//! REV, LIMIT and WITHSCORES), pops, random members, and the union/intersection/difference
//! family. Scores print as Redis prints doubles; RESP3 clients get doubles and score pairs.

use super::hash::random_picks;
use super::keys::{parse_cursor, parse_scan_options};
use super::{spec, CommandSpec};
use crate::args::{lower, parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::float::{format_double, parse_double};
use crate::frame::{Frame, Protocol};
use crate::glob::glob_match;
use crate::types::{Value, ZSet};
use bytes::Bytes;
use std::ops::Bound;

const W: &[&str] = &["write", "denyoom", "fast"];
const R: &[&str] = &["readonly", "fast"];
const RO: &[&str] = &["readonly"];

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "zadd",
        -4,
        W,
        (1, 1, 1),
        "sorted_set",
        "Add members with scores, or update scores (leaderboards: ZADD board 100 alice).",
        "key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]",
        zadd,
    ),
    spec(
        "zincrby",
        4,
        W,
        (1, 1, 1),
        "sorted_set",
        "Add to a member's score.",
        "key increment member",
        zincrby,
    ),
    spec("zscore", 3, R, (1, 1, 1), "sorted_set", "A member's score.", "key member", zscore),
    spec(
        "zmscore",
        -3,
        R,
        (1, 1, 1),
        "sorted_set",
        "Several members' scores.",
        "key member [member ...]",
        zmscore,
    ),
    spec("zcard", 2, R, (1, 1, 1), "sorted_set", "Number of members.", "key", zcard),
    spec("zcount", 4, R, (1, 1, 1), "sorted_set", "Members with a score in a range.", "key min max", zcount),
    spec(
        "zlexcount",
        4,
        R,
        (1, 1, 1),
        "sorted_set",
        "Members in a lexicographic range (all scores equal).",
        "key min max",
        zlexcount,
    ),
    spec(
        "zrank",
        -3,
        R,
        (1, 1, 1),
        "sorted_set",
        "A member's rank, lowest score first (0-based).",
        "key member [WITHSCORE]",
        zrank,
    ),
    spec(
        "zrevrank",
        -3,
        R,
        (1, 1, 1),
        "sorted_set",
        "A member's rank, highest score first (0-based).",
        "key member [WITHSCORE]",
        zrevrank,
    ),
    spec(
        "zrange",
        -4,
        RO,
        (1, 1, 1),
        "sorted_set",
        "Members by rank, score or lex range (leaderboard top 10: ZRANGE board 0 9 REV WITHSCORES).",
        "key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]",
        zrange,
    ),
    spec(
        "zrangestore",
        -5,
        &["write", "denyoom"],
        (1, 2, 1),
        "sorted_set",
        "ZRANGE, stored at a destination key.",
        "dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]",
        zrangestore,
    ),
    spec(
        "zrevrange",
        -4,
        RO,
        (1, 1, 1),
        "sorted_set",
        "Members by rank, highest score first.",
        "key start stop [WITHSCORES]",
        zrevrange,
    ),
    spec(
        "zrangebyscore",
        -4,
        RO,
        (1, 1, 1),
        "sorted_set",
        "Members with a score in a range.",
        "key min max [WITHSCORES] [LIMIT offset count]",
        zrangebyscore,
    ),
    spec(
        "zrevrangebyscore",
        -4,
        RO,
        (1, 1, 1),
        "sorted_set",
        "Members with a score in a range, highest first.",
        "key max min [WITHSCORES] [LIMIT offset count]",
        zrevrangebyscore,
    ),
    spec(
        "zrangebylex",
        -4,
        RO,
        (1, 1, 1),
        "sorted_set",
        "Members in a lexicographic range.",
        "key min max [LIMIT offset count]",
        zrangebylex,
    ),
    spec(
        "zrevrangebylex",
        -4,
        RO,
        (1, 1, 1),
        "sorted_set",
        "Members in a lexicographic range, reversed.",
        "key max min [LIMIT offset count]",
        zrevrangebylex,
    ),
    spec(
        "zrem",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "sorted_set",
        "Remove members.",
        "key member [member ...]",
        zrem,
    ),
    spec(
        "zremrangebyrank",
        4,
        &["write"],
        (1, 1, 1),
        "sorted_set",
        "Remove members by rank range.",
        "key start stop",
        zremrangebyrank,
    ),
    spec(
        "zremrangebyscore",
        4,
        &["write"],
        (1, 1, 1),
        "sorted_set",
        "Remove members by score range.",
        "key min max",
        zremrangebyscore,
    ),
    spec(
        "zremrangebylex",
        4,
        &["write"],
        (1, 1, 1),
        "sorted_set",
        "Remove members by lexicographic range.",
        "key min max",
        zremrangebylex,
    ),
    spec(
        "zpopmin",
        -2,
        &["write", "fast"],
        (1, 1, 1),
        "sorted_set",
        "Remove and return the lowest-scored members.",
        "key [count]",
        zpopmin,
    ),
    spec(
        "zpopmax",
        -2,
        &["write", "fast"],
        (1, 1, 1),
        "sorted_set",
        "Remove and return the highest-scored members.",
        "key [count]",
        zpopmax,
    ),
    spec(
        "zrandmember",
        -2,
        RO,
        (1, 1, 1),
        "sorted_set",
        "Random members, optionally with scores.",
        "key [count [WITHSCORES]]",
        zrandmember,
    ),
    spec(
        "zscan",
        -3,
        RO,
        (1, 1, 1),
        "sorted_set",
        "Iterate members and scores with a cursor.",
        "key cursor [MATCH pattern] [COUNT count]",
        zscan,
    ),
    spec(
        "zunionstore",
        -4,
        &["write", "denyoom"],
        (1, 1, 1),
        "sorted_set",
        "Union of sorted sets (and sets), stored.",
        "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]",
        zunionstore,
    ),
    spec(
        "zinterstore",
        -4,
        &["write", "denyoom"],
        (1, 1, 1),
        "sorted_set",
        "Intersection of sorted sets, stored.",
        "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]",
        zinterstore,
    ),
    spec(
        "zdiffstore",
        -4,
        &["write", "denyoom"],
        (1, 1, 1),
        "sorted_set",
        "Difference of sorted sets, stored.",
        "destination numkeys key [key ...]",
        zdiffstore,
    ),
    spec(
        "zunion",
        -3,
        RO,
        (0, 0, 0),
        "sorted_set",
        "Union of sorted sets.",
        "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]",
        zunion,
    ),
    spec(
        "zinter",
        -3,
        RO,
        (0, 0, 0),
        "sorted_set",
        "Intersection of sorted sets.",
        "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]",
        zinter,
    ),
    spec(
        "zdiff",
        -3,
        RO,
        (0, 0, 0),
        "sorted_set",
        "Difference of sorted sets.",
        "numkeys key [key ...] [WITHSCORES]",
        zdiff,
    ),
    spec(
        "zintercard",
        -3,
        RO,
        (0, 0, 0),
        "sorted_set",
        "Size of an intersection, stopping early at LIMIT.",
        "numkeys key [key ...] [LIMIT limit]",
        zintercard,
    ),
];

fn read_zset(ctx: &mut Ctx, key: &[u8]) -> Result<Option<ZSet>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z.clone())),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

fn existing_zset<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut ZSet>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(entry) => match &mut entry.value {
            Value::ZSet(z) => Ok(Some(z)),
            _ => Err(CmdError::wrong_type()),
        },
    }
}

fn resp3(ctx: &Ctx) -> bool {
    ctx.client.protocol == Protocol::Resp3
}

/// Members with scores: flat `[m, s, ...]` in RESP2, `[[m, s], ...]` pairs in RESP3.
fn scored(ctx: &Ctx, items: Vec<(Bytes, f64)>, with_scores: bool) -> Frame {
    let pairs = resp3(ctx);
    Frame::Array(if !with_scores {
        items.into_iter().map(|(m, _)| Frame::Bulk(m)).collect()
    } else if pairs {
        items.into_iter().map(|(m, s)| Frame::Array(vec![Frame::Bulk(m), Frame::Double(s)])).collect()
    } else {
        items.into_iter().flat_map(|(m, s)| [Frame::Bulk(m), Frame::Double(s)]).collect()
    })
}

fn zadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let (mut nx, mut xx, mut gt, mut lt, mut ch, mut incr) = (false, false, false, false, false, false);
    while let Some(opt) = args.peek() {
        match lower(opt).as_str() {
            "nx" => nx = true,
            "xx" => xx = true,
            "gt" => gt = true,
            "lt" => lt = true,
            "ch" => ch = true,
            "incr" => incr = true,
            _ => break,
        }
        args.next_opt();
    }
    let rest = args.rest();
    if rest.is_empty() || rest.len() % 2 != 0 {
        return Err(CmdError::syntax());
    }
    if nx && xx {
        return Err(CmdError::err("XX and NX options at the same time are not compatible"));
    }
    if (nx && (gt || lt)) || (gt && lt) {
        return Err(CmdError::err("GT, LT, and/or NX options at the same time are not compatible"));
    }
    if incr && rest.len() > 2 {
        return Err(CmdError::err("INCR option supports a single increment-element pair"));
    }
    let mut pairs = Vec::with_capacity(rest.len() / 2);
    for p in rest.chunks_exact(2) {
        pairs.push((parse_double(&p[0]).ok_or_else(CmdError::not_float)?, p[1].clone()));
    }
    let exists = existing_zset(ctx, &key)?.is_some();
    if !exists && xx {
        return Ok(if incr { Frame::Null } else { Frame::Integer(0) });
    }
    let value = ctx.write_or_create(&key, |v| matches!(v, Value::ZSet(_)), || Value::ZSet(ZSet::new()))?;
    let Value::ZSet(z) = value else { return Err(CmdError::wrong_type()) };
    let (mut added, mut updated, mut processed) = (0, 0, 0);
    let mut last_score = 0.0;
    for (score, member) in pairs {
        match z.score(&member) {
            Some(current) => {
                if nx {
                    continue;
                }
                let new = if incr { current + score } else { score };
                if new.is_nan() {
                    ctx.modified(&key);
                    return Err(CmdError::err("resulting score is not a number (NaN)"));
                }
                if (gt && new <= current) || (lt && new >= current) {
                    continue;
                }
                processed += 1;
                last_score = new;
                if new != current {
                    z.insert(member, new);
                    updated += 1;
                }
            }
            None => {
                if xx {
                    continue;
                }
                z.insert(member, score);
                added += 1;
                processed += 1;
                last_score = score;
            }
        }
    }
    ctx.modified(&key);
    if incr {
        return Ok(if processed > 0 { Frame::Double(last_score) } else { Frame::Null });
    }
    Ok(Frame::Integer(if ch { added + updated } else { added }))
}

fn zincrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let by = parse_double(&args.next_bytes()?).ok_or_else(CmdError::not_float)?;
    let member = args.next_bytes()?;
    let value = ctx.write_or_create(&key, |v| matches!(v, Value::ZSet(_)), || Value::ZSet(ZSet::new()))?;
    let Value::ZSet(z) = value else { return Err(CmdError::wrong_type()) };
    let new = z.score(&member).unwrap_or(0.0) + by;
    if new.is_nan() {
        ctx.modified(&key);
        return Err(CmdError::err("resulting score is not a number (NaN)"));
    }
    z.insert(member, new);
    ctx.modified(&key);
    Ok(Frame::Double(new))
}

fn zscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let member = args.next_bytes()?;
    Ok(read_zset(ctx, &key)?.and_then(|z| z.score(&member)).map_or(Frame::Null, Frame::Double))
}

fn zmscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let z = read_zset(ctx, &key)?;
    Ok(Frame::Array(
        args.rest()
            .iter()
            .map(|m| z.as_ref().and_then(|z| z.score(m)).map_or(Frame::Null, Frame::Double))
            .collect(),
    ))
}

fn zcard(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(Frame::Integer(read_zset(ctx, &key)?.map_or(0, |z| z.len() as i64)))
}

/// A score bound: `1.5`, `(1.5` (exclusive), `-inf`, `+inf`.
#[derive(Clone, Copy)]
struct ScoreRange {
    min: f64,
    min_ex: bool,
    max: f64,
    max_ex: bool,
}

impl ScoreRange {
    fn parse(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
        let one = |raw: &[u8]| -> Option<(f64, bool)> {
            match raw.strip_prefix(b"(") {
                Some(rest) => parse_double(rest).map(|v| (v, true)),
                None => parse_double(raw).map(|v| (v, false)),
            }
        };
        let err = || CmdError::err("min or max is not a float");
        let (min, min_ex) = one(min).ok_or_else(err)?;
        let (max, max_ex) = one(max).ok_or_else(err)?;
        Ok(ScoreRange { min, min_ex, max, max_ex })
    }

    fn contains(&self, s: f64) -> bool {
        (if self.min_ex { s > self.min } else { s >= self.min })
            && (if self.max_ex { s < self.max } else { s <= self.max })
    }
}

/// A lex bound: `-`, `+`, `[x` (inclusive), `(x` (exclusive).
#[derive(Clone)]
struct LexRange {
    min: Bound<Bytes>,
    max: Bound<Bytes>,
    /// `+` as min or `-` as max: nothing can match.
    empty: bool,
}

impl LexRange {
    fn parse(min: &[u8], max: &[u8]) -> Result<LexRange, CmdError> {
        let err = || CmdError::err("min or max not valid string range item");
        let one = |raw: &[u8]| -> Option<(Bound<Bytes>, char)> {
            match raw.first()? {
                b'-' if raw.len() == 1 => Some((Bound::Unbounded, '-')),
                b'+' if raw.len() == 1 => Some((Bound::Unbounded, '+')),
                b'[' => Some((Bound::Included(Bytes::copy_from_slice(&raw[1..])), '[')),
                b'(' => Some((Bound::Excluded(Bytes::copy_from_slice(&raw[1..])), '(')),
                _ => None,
            }
        };
        let (min, min_kind) = one(min).ok_or_else(err)?;
        let (max, max_kind) = one(max).ok_or_else(err)?;
        Ok(LexRange { min, max, empty: min_kind == '+' || max_kind == '-' })
    }

    fn contains(&self, m: &[u8]) -> bool {
        if self.empty {
            return false;
        }
        let above = match &self.min {
            Bound::Unbounded => true,
            Bound::Included(b) => m >= b.as_ref(),
            Bound::Excluded(b) => m > b.as_ref(),
        };
        let below = match &self.max {
            Bound::Unbounded => true,
            Bound::Included(b) => m <= b.as_ref(),
            Bound::Excluded(b) => m < b.as_ref(),
        };
        above && below
    }
}

fn zcount(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let range = ScoreRange::parse(&args.next_bytes()?, &args.next_bytes()?)?;
    Ok(Frame::Integer(
        read_zset(ctx, &key)?.map_or(0, |z| z.iter().filter(|(_, s)| range.contains(*s)).count() as i64),
    ))
}

fn zlexcount(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let range = LexRange::parse(&args.next_bytes()?, &args.next_bytes()?)?;
    Ok(Frame::Integer(
        read_zset(ctx, &key)?.map_or(0, |z| z.iter().filter(|(m, _)| range.contains(m)).count() as i64),
    ))
}

fn rank_generic(ctx: &mut Ctx, args: &mut Args, reverse: bool, name: &str) -> CmdResult {
    let key = args.next_bytes()?;
    let member = args.next_bytes()?;
    let with_score = match args.next_opt() {
        None => false,
        Some(w) => {
            if !args.is_empty() {
                return Err(CmdError::wrong_arity(name));
            }
            if !w.eq_ignore_ascii_case(b"WITHSCORE") {
                return Err(CmdError::syntax());
            }
            true
        }
    };
    let missing = if with_score { Frame::NullArray } else { Frame::Null };
    let Some(z) = read_zset(ctx, &key)? else { return Ok(missing) };
    let (Some(rank), Some(score)) = (z.rank(&member), z.score(&member)) else { return Ok(missing) };
    let rank = if reverse { z.len() - 1 - rank } else { rank } as i64;
    Ok(if with_score {
        Frame::Array(vec![Frame::Integer(rank), Frame::Double(score)])
    } else {
        Frame::Integer(rank)
    })
}

fn zrank(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    rank_generic(ctx, args, false, "zrank")
}

fn zrevrank(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    rank_generic(ctx, args, true, "zrevrank")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RangeKind {
    Auto,
    Rank,
    Score,
    Lex,
}

/// One parsed ZRANGE-family request.
struct RangeRequest {
    kind: RangeKind,
    rev: bool,
    limit: Option<(i64, i64)>,
    with_scores: bool,
    start: Bytes,
    stop: Bytes,
}

/// Parse the options after `start stop`, as Redis's `zrangeGenericCommand` does.
fn parse_range(
    args: &mut Args,
    kind: RangeKind,
    rev: Option<bool>,
    store: bool,
) -> Result<RangeRequest, CmdError> {
    let start = args.next_bytes()?;
    let stop = args.next_bytes()?;
    let mut req =
        RangeRequest { kind, rev: rev.unwrap_or(false), limit: None, with_scores: false, start, stop };
    let rev_fixed = rev.is_some();
    while let Some(opt) = args.next_opt() {
        let o = lower(&opt);
        if !store && o == "withscores" {
            req.with_scores = true;
        } else if o == "limit" && args.remaining() >= 2 {
            let offset = args.next_i64()?;
            let count = args.next_i64()?;
            req.limit = Some((offset, count));
        } else if !rev_fixed && !req.rev && o == "rev" {
            req.rev = true;
        } else if req.kind == RangeKind::Auto && o == "bylex" {
            req.kind = RangeKind::Lex;
        } else if req.kind == RangeKind::Auto && o == "byscore" {
            req.kind = RangeKind::Score;
        } else {
            return Err(CmdError::syntax());
        }
    }
    if req.kind == RangeKind::Auto {
        req.kind = RangeKind::Rank;
    }
    // Redis treats `LIMIT x -1` like no limit when checking this.
    if req.limit.is_some_and(|(_, c)| c != -1) && req.kind == RangeKind::Rank {
        return Err(CmdError::err(
            "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if req.with_scores && req.kind == RangeKind::Lex {
        return Err(CmdError::err("syntax error, WITHSCORES not supported in combination with BYLEX"));
    }
    if req.rev && matches!(req.kind, RangeKind::Score | RangeKind::Lex) {
        std::mem::swap(&mut req.start, &mut req.stop);
    }
    Ok(req)
}

/// The selection a range request makes of a sorted set, in reply order.
fn select(z: Option<&ZSet>, req: &RangeRequest) -> Result<Vec<(Bytes, f64)>, CmdError> {
    // Bounds are validated before the key is looked at, as Redis does.
    enum Filter {
        Rank(i64, i64),
        Score(ScoreRange),
        Lex(LexRange),
    }
    let filter = match req.kind {
        RangeKind::Score => Filter::Score(ScoreRange::parse(&req.start, &req.stop)?),
        RangeKind::Lex => Filter::Lex(LexRange::parse(&req.start, &req.stop)?),
        _ => Filter::Rank(
            parse_i64(&req.start).ok_or_else(CmdError::not_integer)?,
            parse_i64(&req.stop).ok_or_else(CmdError::not_integer)?,
        ),
    };
    let Some(z) = z else { return Ok(Vec::new()) };
    let ordered: Vec<(Bytes, f64)> = if req.rev {
        z.iter().rev().map(|(m, s)| (m.clone(), s)).collect()
    } else {
        z.iter().map(|(m, s)| (m.clone(), s)).collect()
    };
    let len = ordered.len() as i64;
    let chosen: Vec<(Bytes, f64)> = match filter {
        Filter::Rank(mut start, mut end) => {
            if start < 0 {
                start += len;
            }
            if end < 0 {
                end += len;
            }
            start = start.max(0);
            if start > end || start >= len {
                return Ok(Vec::new());
            }
            end = end.min(len - 1);
            ordered[start as usize..=end as usize].to_vec()
        }
        Filter::Score(r) => ordered.into_iter().filter(|(_, s)| r.contains(*s)).collect(),
        Filter::Lex(r) => ordered.into_iter().filter(|(m, _)| r.contains(m)).collect(),
    };
    Ok(match req.limit {
        Some((offset, _)) if offset < 0 => Vec::new(),
        Some((offset, count)) => {
            let it = chosen.into_iter().skip(offset as usize);
            if count < 0 {
                it.collect()
            } else {
                it.take(count as usize).collect()
            }
        }
        None => chosen,
    })
}

fn range_reply(ctx: &mut Ctx, args: &mut Args, kind: RangeKind, rev: Option<bool>) -> CmdResult {
    let key = args.next_bytes()?;
    let req = parse_range(args, kind, rev, false)?;
    // Validate bounds before looking the key up.
    select(None, &req)?;
    let z = read_zset(ctx, &key)?;
    let items = select(z.as_ref(), &req)?;
    Ok(scored(ctx, items, req.with_scores))
}

fn zrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    range_reply(ctx, args, RangeKind::Auto, None)
}

fn zrevrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    range_reply(ctx, args, RangeKind::Rank, Some(true))
}

fn zrangebyscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    range_reply(ctx, args, RangeKind::Score, Some(false))
}

fn zrevrangebyscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    range_reply(ctx, args, RangeKind::Score, Some(true))
}

fn zrangebylex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    range_reply(ctx, args, RangeKind::Lex, Some(false))
}

fn zrevrangebylex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    range_reply(ctx, args, RangeKind::Lex, Some(true))
}

fn zrangestore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let dst = args.next_bytes()?;
    let src = args.next_bytes()?;
    let req = parse_range(args, RangeKind::Auto, None, true)?;
    select(None, &req)?;
    let z = read_zset(ctx, &src)?;
    let items = select(z.as_ref(), &req)?;
    Ok(Frame::Integer(store_result(ctx, dst, items)))
}

/// Replace `dst` with the given members (deleting it when empty); returns the count.
fn store_result(ctx: &mut Ctx, dst: Bytes, items: Vec<(Bytes, f64)>) -> i64 {
    let len = items.len() as i64;
    ctx.delete(&dst);
    if !items.is_empty() {
        let mut z = ZSet::new();
        for (m, s) in items {
            z.insert(m, s);
        }
        ctx.set(dst, Value::ZSet(z), None);
    }
    len
}

fn zrem(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let members = args.rest();
    let Some(z) = existing_zset(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    let removed = members.iter().filter(|m| z.remove(m).is_some()).count();
    if removed > 0 {
        ctx.modified(&key);
    }
    Ok(Frame::Integer(removed as i64))
}

fn remove_range(ctx: &mut Ctx, args: &mut Args, kind: RangeKind) -> CmdResult {
    let key = args.next_bytes()?;
    let start = args.next_bytes()?;
    let stop = args.next_bytes()?;
    let req = RangeRequest { kind, rev: false, limit: None, with_scores: false, start, stop };
    select(None, &req)?;
    let Some(z) = existing_zset(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    let doomed = select(Some(z), &req)?;
    for (m, _) in &doomed {
        z.remove(m);
    }
    if !doomed.is_empty() {
        ctx.modified(&key);
    }
    Ok(Frame::Integer(doomed.len() as i64))
}

fn zremrangebyrank(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    remove_range(ctx, args, RangeKind::Rank)
}

fn zremrangebyscore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    remove_range(ctx, args, RangeKind::Score)
}

fn zremrangebylex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    remove_range(ctx, args, RangeKind::Lex)
}

fn pop_generic(ctx: &mut Ctx, args: &mut Args, max: bool) -> CmdResult {
    let key = args.next_bytes()?;
    let count = match args.next_opt() {
        None => None,
        Some(raw) => {
            if !args.is_empty() {
                return Err(CmdError::syntax());
            }
            Some(parse_i64(&raw).filter(|n| *n >= 0).ok_or_else(CmdError::must_be_positive)? as usize)
        }
    };
    let Some(z) = existing_zset(ctx, &key)? else { return Ok(Frame::Array(Vec::new())) };
    let n = count.unwrap_or(1).min(z.len());
    let popped: Vec<(Bytes, f64)> = if max {
        z.iter().rev().take(n).map(|(m, s)| (m.clone(), s)).collect()
    } else {
        z.iter().take(n).map(|(m, s)| (m.clone(), s)).collect()
    };
    for (m, _) in &popped {
        z.remove(m);
    }
    ctx.modified(&key);
    if count.is_none() {
        // Without a count Redis answers a flat [member, score] even in RESP3.
        return Ok(Frame::Array(
            popped.into_iter().flat_map(|(m, s)| [Frame::Bulk(m), Frame::Double(s)]).collect(),
        ));
    }
    Ok(scored(ctx, popped, true))
}

fn zpopmin(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    pop_generic(ctx, args, false)
}

fn zpopmax(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    pop_generic(ctx, args, true)
}

fn zrandmember(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let count = match args.next_opt() {
        Some(raw) => Some(parse_i64(&raw).ok_or_else(CmdError::not_integer)?),
        None => None,
    };
    let with_scores = match args.next_opt() {
        Some(w) if w.eq_ignore_ascii_case(b"WITHSCORES") => true,
        Some(_) => return Err(CmdError::syntax()),
        None => false,
    };
    args.finish()?;
    let members: Vec<(Bytes, f64)> =
        read_zset(ctx, &key)?.map(|z| z.iter().map(|(m, s)| (m.clone(), s)).collect()).unwrap_or_default();
    let Some(count) = count else {
        if members.is_empty() {
            return Ok(Frame::Null);
        }
        let i = ctx.server.random_below(members.len());
        return Ok(Frame::Bulk(members[i].0.clone()));
    };
    let picks = random_picks(ctx, members.len(), count);
    let chosen = picks.into_iter().map(|i| members[i].clone()).collect();
    Ok(scored(ctx, chosen, with_scores))
}

fn zscan(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let cursor = parse_cursor(&args.next_bytes()?)? as usize;
    let opts = parse_scan_options(args, false)?;
    let z = read_zset(ctx, &key)?.unwrap_or_default();
    let small = z.len() <= 128 && z.iter().all(|(m, _)| m.len() <= 64);
    let end = if small { z.len() } else { cursor.saturating_add(opts.count).min(z.len()) };
    let mut items = Vec::new();
    for (m, s) in z.iter().skip(cursor).take(end.saturating_sub(cursor)) {
        if opts.pattern.as_ref().is_none_or(|p| glob_match(p, m)) {
            items.push(Frame::Bulk(m.clone()));
            items.push(Frame::bulk(format_double(s)));
        }
    }
    let next = if end >= z.len() { 0 } else { end };
    Ok(Frame::Array(vec![Frame::bulk(next.to_string()), Frame::Array(items)]))
}

#[derive(Clone, Copy, PartialEq, Eq)]
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

/// A parsed ZUNION/ZINTER/ZDIFF(STORE) request, read like `zunionInterDiffGenericCommand`.
struct Combine {
    inputs: Vec<Option<Vec<(Bytes, f64)>>>,
    weights: Vec<f64>,
    aggregate: Aggregate,
    with_scores: bool,
}

fn parse_combine(
    ctx: &mut Ctx,
    args: &mut Args,
    op: SetOp,
    name: &str,
    store: bool,
) -> Result<Combine, CmdError> {
    let numkeys = args.next_i64()?;
    if numkeys < 1 {
        return Err(CmdError::err(format!("at least 1 input key is needed for '{name}' command")));
    }
    if numkeys as usize > args.remaining() {
        return Err(CmdError::syntax());
    }
    let keys: Vec<Bytes> = (0..numkeys).map(|_| args.next_bytes()).collect::<Result<_, _>>()?;
    let mut inputs = Vec::with_capacity(keys.len());
    for key in &keys {
        inputs.push(match ctx.read(key) {
            None => None,
            Some(Value::ZSet(z)) => Some(z.iter().map(|(m, s)| (m.clone(), s)).collect()),
            Some(Value::Set(s)) => Some(s.iter().map(|m| (m.clone(), 1.0)).collect()),
            Some(_) => return Err(CmdError::wrong_type()),
        });
    }
    let mut c =
        Combine { inputs, weights: vec![1.0; keys.len()], aggregate: Aggregate::Sum, with_scores: false };
    while let Some(opt) = args.next_opt() {
        let o = lower(&opt);
        if op != SetOp::Diff && o == "weights" && args.remaining() >= keys.len() {
            for w in c.weights.iter_mut() {
                *w = parse_double(&args.next_bytes()?)
                    .ok_or_else(|| CmdError::err("weight value is not a float"))?;
            }
        } else if op != SetOp::Diff && o == "aggregate" && !args.is_empty() {
            c.aggregate = match lower(&args.next_bytes()?).as_str() {
                "sum" => Aggregate::Sum,
                "min" => Aggregate::Min,
                "max" => Aggregate::Max,
                _ => return Err(CmdError::syntax()),
            };
        } else if !store && o == "withscores" {
            c.with_scores = true;
        } else {
            return Err(CmdError::syntax());
        }
    }
    Ok(c)
}

/// Compute the combination, ordered by (score, member).
fn combine(c: &Combine, op: SetOp) -> Vec<(Bytes, f64)> {
    let weighted = |s: f64, w: f64| {
        let v = s * w;
        if v.is_nan() {
            0.0
        } else {
            v
        }
    };
    let fold = |a: f64, b: f64| {
        let v = match c.aggregate {
            Aggregate::Sum => a + b,
            Aggregate::Min => a.min(b),
            Aggregate::Max => a.max(b),
        };
        if v.is_nan() {
            0.0
        } else {
            v
        }
    };
    let mut out = ZSet::new();
    match op {
        SetOp::Union => {
            for (input, w) in c.inputs.iter().zip(&c.weights) {
                for (m, s) in input.iter().flatten() {
                    let v = weighted(*s, *w);
                    let next = out.score(m).map_or(v, |cur| fold(cur, v));
                    out.insert(m.clone(), next);
                }
            }
        }
        SetOp::Inter => {
            if c.inputs.iter().any(|i| i.as_ref().is_none_or(|i| i.is_empty())) {
                return Vec::new();
            }
            let lookups: Vec<std::collections::HashMap<&Bytes, f64>> =
                c.inputs.iter().flatten().map(|i| i.iter().map(|(m, s)| (m, *s)).collect()).collect();
            if let Some(first) = c.inputs.first().and_then(|i| i.as_ref()) {
                'members: for (m, s) in first {
                    let mut acc = weighted(*s, c.weights[0]);
                    for (j, lookup) in lookups.iter().enumerate().skip(1) {
                        match lookup.get(m) {
                            Some(v) => acc = fold(acc, weighted(*v, c.weights[j])),
                            None => continue 'members,
                        }
                    }
                    out.insert(m.clone(), acc);
                }
            }
        }
        SetOp::Diff => {
            let Some(first) = c.inputs.first().and_then(|i| i.as_ref()) else { return Vec::new() };
            for (m, s) in first {
                if !c.inputs.iter().skip(1).flatten().any(|other| other.iter().any(|(o, _)| o == m)) {
                    out.insert(m.clone(), *s);
                }
            }
        }
    }
    out.iter().map(|(m, s)| (m.clone(), s)).collect()
}

fn combine_store(ctx: &mut Ctx, args: &mut Args, op: SetOp, name: &str) -> CmdResult {
    let dst = args.next_bytes()?;
    let c = parse_combine(ctx, args, op, name, true)?;
    let items = combine(&c, op);
    Ok(Frame::Integer(store_result(ctx, dst, items)))
}

fn combine_reply(ctx: &mut Ctx, args: &mut Args, op: SetOp, name: &str) -> CmdResult {
    let c = parse_combine(ctx, args, op, name, false)?;
    let items = combine(&c, op);
    Ok(scored(ctx, items, c.with_scores))
}

fn zunionstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    combine_store(ctx, args, SetOp::Union, "zunionstore")
}

fn zinterstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    combine_store(ctx, args, SetOp::Inter, "zinterstore")
}

fn zdiffstore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    combine_store(ctx, args, SetOp::Diff, "zdiffstore")
}

fn zunion(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    combine_reply(ctx, args, SetOp::Union, "zunion")
}

fn zinter(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    combine_reply(ctx, args, SetOp::Inter, "zinter")
}

fn zdiff(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    combine_reply(ctx, args, SetOp::Diff, "zdiff")
}

fn zintercard(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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
            let n = parse_i64(&args.next_bytes()?)
                .filter(|n| *n >= 0)
                .ok_or_else(|| CmdError::err("LIMIT can't be negative"))?;
            limit = n as usize;
        } else {
            return Err(CmdError::syntax());
        }
    }
    let mut inputs = Vec::new();
    for key in &keys {
        inputs.push(match ctx.read(key) {
            None => None,
            Some(Value::ZSet(z)) => Some(z.iter().map(|(m, s)| (m.clone(), s)).collect()),
            Some(Value::Set(s)) => Some(s.iter().map(|m| (m.clone(), 1.0)).collect()),
            Some(_) => return Err(CmdError::wrong_type()),
        });
    }
    let c =
        Combine { weights: vec![1.0; inputs.len()], inputs, aggregate: Aggregate::Sum, with_scores: false };
    let n = combine(&c, SetOp::Inter).len();
    Ok(Frame::Integer(if limit > 0 { n.min(limit) } else { n } as i64))
}
