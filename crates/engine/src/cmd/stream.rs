//! Stream commands without consumer groups (Redis's `t_stream.c`): XADD, XLEN, XRANGE,
//! XREVRANGE, XDEL, XTRIM, XSETID and XREAD (whose reading loop XREADGROUP shares, see
//! `stream_group.rs`). The stream itself, its nodes and trimming live in `types/stream.rs`.
//!
//! XREAD BLOCK waits as BLPOP does (`blocking.rs`): a `$` id becomes the stream's last id in
//! the parked command line, so the wait is for entries after the ones there when it blocked.

use super::blocking::{block_or, parse_timeout_ms};
use super::{spec, stream_replicate};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::{Frame, Protocol};
use crate::notify::STREAM;
use crate::types::stream::{Group, Id, Nack, Stream, Trim};
use crate::types::Value;
use bytes::Bytes;

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec(
        "xadd",
        -5,
        &["write", "denyoom", "fast"],
        (1, 1, 1),
        "stream",
        "Append an entry (id `*` = generated), optionally trimming the stream.",
        "key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]",
        xadd,
    ),
    spec("xlen", 2, &["readonly", "fast"], (1, 1, 1), "stream", "Number of entries.", "key", xlen),
    spec(
        "xrange",
        -4,
        &["readonly"],
        (1, 1, 1),
        "stream",
        "Entries between two ids (`-` and `+` are the ends, `(` excludes).",
        "key start end [COUNT count]",
        xrange,
    ),
    spec(
        "xrevrange",
        -4,
        &["readonly"],
        (1, 1, 1),
        "stream",
        "XRANGE from the end down to the start.",
        "key end start [COUNT count]",
        xrevrange,
    ),
    spec(
        "xdel",
        -3,
        &["write", "fast"],
        (1, 1, 1),
        "stream",
        "Delete entries by id.",
        "key id [id ...]",
        xdel,
    ),
    spec(
        "xtrim",
        -4,
        &["write"],
        (1, 1, 1),
        "stream",
        "Trim to a length (MAXLEN) or drop ids below one (MINID); `~` trims whole nodes only.",
        "key MAXLEN|MINID [=|~] threshold [LIMIT count]",
        xtrim,
    ),
    spec(
        "xsetid",
        -3,
        &["write", "denyoom", "fast"],
        (1, 1, 1),
        "stream",
        "Set a stream's last id (and its counters).",
        "key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]",
        xsetid,
    ),
    spec(
        "xread",
        -4,
        &["readonly", "blocking", "movablekeys"],
        (0, 0, 0),
        "stream",
        "Entries after the given ids of one or more streams (`$`: new ones), waiting with BLOCK.",
        "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]",
        xread,
    ),
]);

/// `ERR Invalid stream ID specified as stream command argument`.
pub fn bad_id() -> CmdError {
    CmdError::err("Invalid stream ID specified as stream command argument")
}

/// An id argument (`-`/`+` refused when `strict`); a bare `ms` gets `missing_seq`.
pub fn parse_id(raw: &[u8], missing_seq: u64, strict: bool) -> Result<Id, CmdError> {
    Id::parse(raw, missing_seq, strict, false).map(|(id, _)| id).ok_or_else(bad_id)
}

/// A range bound (`streamParseIntervalIDOrReply`): `(id` excludes it, moving one id inward,
/// with Redis's error when there is no id to move to.
pub fn parse_bound(raw: &[u8], start: bool) -> Result<Id, CmdError> {
    let (missing, which) = if start { (0, "start") } else { (u64::MAX, "end") };
    if raw.len() > 1 && raw[0] == b'(' {
        let id = parse_id(&raw[1..], missing, true)?;
        let moved = if start { id.incr() } else { id.decr() };
        moved.ok_or_else(|| CmdError::err(format!("invalid {which} ID for the interval")))
    } else {
        parse_id(raw, missing, false)
    }
}

/// `[id, [field, value, ...]]`.
pub fn entry_frame(id: Id, fv: &[Bytes]) -> Frame {
    Frame::Array(vec![Frame::Bulk(id.text()), Frame::bulks(fv.iter().cloned())])
}

/// `[id, fields]` of the entry `id`, or None if it is not in the stream.
pub fn entry_at(s: &Stream, id: Id) -> Option<Frame> {
    s.entries.get(&id).map(|fv| entry_frame(id, fv))
}

/// Up to `count` (0: all) entries from `start` to `end`, backwards with `rev`.
pub fn range(s: &Stream, start: Id, end: Id, count: usize, rev: bool) -> Vec<Frame> {
    if start > end {
        return Vec::new();
    }
    let count = if count == 0 { usize::MAX } else { count };
    let it = s.entries.range(start..=end);
    let frames = |(id, fv): (&Id, &Vec<Bytes>)| entry_frame(*id, fv);
    if rev {
        it.rev().take(count).map(frames).collect()
    } else {
        it.take(count).map(frames).collect()
    }
}

/// The stream at `key` for reading (a hit or miss counted), WRONGTYPE for another type.
pub fn read_stream<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a Stream>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Stream(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// The stream at `key` for writing. Call `ctx.modified` after a change.
pub fn write_stream<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut Stream>, CmdError> {
    match ctx.write(key).map(|e| &mut e.value) {
        None => Ok(None),
        Some(Value::Stream(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// XADD's and XTRIM's options (`streamParseAddOrTrimArgsOrReply`).
struct TrimArgs {
    how: Option<Trim>,
    approx: bool,
    limit: u64,
    nomkstream: bool,
    /// XADD's id: None for `*`; the bool says whether the sequence was given (not `ms-*`).
    id: Option<(Id, bool)>,
    /// Where the MAXLEN count or MINID id is in the arguments (after its `~` or `=`).
    threshold_at: usize,
}

impl TrimArgs {
    /// Redis's `streamRewriteApproxSpecifier` and `streamRewriteTrimArgument`: an approximate
    /// trim reaches replicas as the exact one it turned out to be, `~` as `=` and the threshold
    /// as the length or first ID left, so that they trim the same entries.
    fn rewrite(&self, line: &mut [Bytes], s: &Stream) {
        if !self.approx {
            return;
        }
        line[self.threshold_at - 1] = Bytes::from_static(b"=");
        line[self.threshold_at] = match self.how {
            Some(Trim::MaxLen(_)) => Bytes::from(s.len().to_string()),
            _ => s.first_id_in_nodes().text(),
        };
    }
}

fn parse_trim_args(ctx: &Ctx, args: &[Bytes], xadd: bool) -> Result<(TrimArgs, usize), CmdError> {
    let mut t = TrimArgs { how: None, approx: false, limit: 0, nomkstream: false, id: None, threshold_at: 0 };
    let mut limit_given = false;
    let mut i = 2;
    while i < args.len() {
        let more = args.len() - 1 - i;
        let opt = &args[i];
        let word = |w: &str| opt.eq_ignore_ascii_case(w.as_bytes());
        if xadd && opt.as_ref() == b"*" {
            break;
        } else if (word("maxlen") || word("minid")) && more > 0 {
            if t.how.is_some() {
                return Err(CmdError::err(
                    "syntax error, MAXLEN and MINID options at the same time are not compatible",
                ));
            }
            t.approx = false;
            let next = args[i + 1].as_ref();
            if more >= 2 && (next == b"~" || next == b"=") {
                t.approx = next == b"~";
                i += 1;
            }
            let raw = &args[i + 1];
            t.threshold_at = i + 1;
            t.how = Some(if word("maxlen") {
                let n = parse_i64(raw).ok_or_else(CmdError::not_integer)?;
                if n < 0 {
                    return Err(CmdError::err("The MAXLEN argument must be >= 0."));
                }
                Trim::MaxLen(n as u64)
            } else {
                Trim::MinId(parse_id(raw, 0, true)?)
            });
            i += 1;
        } else if word("limit") && more > 0 {
            let n = parse_i64(&args[i + 1]).ok_or_else(CmdError::not_integer)?;
            if n < 0 {
                return Err(CmdError::err("The LIMIT argument must be >= 0."));
            }
            t.limit = n as u64;
            limit_given = true;
            i += 1;
        } else if xadd && word("nomkstream") {
            t.nomkstream = true;
        } else if xadd {
            t.id = Some(Id::parse(opt, 0, true, true).ok_or_else(bad_id)?);
            break;
        } else {
            return Err(CmdError::syntax());
        }
        i += 1;
    }
    if t.limit != 0 && t.how.is_none() {
        return Err(CmdError::err(
            "syntax error, LIMIT cannot be used without specifying a trimming strategy",
        ));
    }
    if !xadd && t.how.is_none() {
        return Err(CmdError::err("syntax error, XTRIM must be called with a trimming strategy"));
    }
    if limit_given {
        if !t.approx {
            return Err(CmdError::err("syntax error, LIMIT cannot be used without the special ~ option"));
        }
    } else if t.approx {
        let n = ctx.server.config.stream_node_max_entries;
        t.limit = if n == 0 { 10_000 } else { n.saturating_mul(100).min(1_000_000) };
    }
    Ok((t, i))
}

fn xadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let all = args.all().to_vec();
    let (t, idpos) = parse_trim_args(ctx, &all, true)?;
    let fields = all.get(idpos + 1..).unwrap_or_default();
    if fields.len() < 2 || fields.len() % 2 == 1 {
        return Err(CmdError::wrong_arity("xadd"));
    }
    if let Some((Id::ZERO, true)) = t.id {
        return Err(CmdError::err("The ID specified in XADD must be greater than 0-0"));
    }
    let key = all[1].clone();
    let (now, max_bytes, max_entries) =
        (ctx.now, ctx.server.config.stream_node_max_bytes, ctx.server.config.stream_node_max_entries);
    let is_stream = |v: &Value| matches!(v, Value::Stream(_));
    let s = match write_stream(ctx, &key)? {
        Some(s) => s,
        None if t.nomkstream => return Ok(Frame::Null),
        None => match ctx.write_or_create(&key, is_stream, || Value::Stream(Box::default()))? {
            Value::Stream(s) => s,
            _ => return Err(CmdError::wrong_type()),
        },
    };
    if s.last_id == Id::MAX {
        return Err(CmdError::err("The stream has exhausted the last possible ID, unable to add more items"));
    }
    let id = match t.id {
        None => s.next_id(now),
        Some((id, true)) => Some(id),
        Some((id, false)) if id.ms == s.last_id.ms => s.last_id.incr().filter(|_| s.last_id.seq != u64::MAX),
        Some((id, false)) => Some(id),
    };
    let Some(id) = id.filter(|id| *id > s.last_id) else {
        return Err(CmdError::err(
            "The ID specified in XADD is equal or smaller than the target stream top item",
        ));
    };
    s.append(id, fields.to_vec(), max_bytes, max_entries);
    let trimmed = t.how.map_or(0, |how| s.trim(how, t.approx, t.limit));
    // Replicas get the ID it made and the trim it did (Redis rewrites the arguments in place).
    if t.approx || !matches!(t.id, Some((_, true))) {
        let mut line = all.clone();
        if t.how.is_some() {
            t.rewrite(&mut line, s);
        }
        line[idpos] = id.text();
        ctx.propagate_as(|| vec![line]);
    }
    ctx.modified(&key);
    ctx.notify(STREAM, "xadd", &key);
    if trimmed > 0 {
        ctx.notify(STREAM, "xtrim", &key);
    }
    Ok(Frame::Bulk(id.text()))
}

fn xlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(Frame::Integer(read_stream(ctx, &key)?.map_or(0, |s| s.len() as i64)))
}

fn xrange_generic(ctx: &mut Ctx, args: &mut Args, rev: bool) -> CmdResult {
    let key = args.next_bytes()?;
    let (a, b) = (args.next_bytes()?, args.next_bytes()?);
    let (start_raw, end_raw) = if rev { (b, a) } else { (a, b) };
    let start = parse_bound(&start_raw, true)?;
    let end = parse_bound(&end_raw, false)?;
    let mut count = -1;
    while let Some(opt) = args.next_opt() {
        if opt.eq_ignore_ascii_case(b"COUNT") && !args.is_empty() {
            count = args.next_i64()?.max(0);
        } else {
            return Err(CmdError::syntax());
        }
    }
    let Some(s) = read_stream(ctx, &key)? else { return Ok(Frame::Array(vec![])) };
    if count == 0 {
        return Ok(Frame::NullArray);
    }
    Ok(Frame::Array(range(s, start, end, count.max(0) as usize, rev)))
}

fn xrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    xrange_generic(ctx, args, false)
}

fn xrevrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    xrange_generic(ctx, args, true)
}

fn xdel(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let ids = args.rest();
    if write_stream(ctx, &key)?.is_none() {
        return Ok(Frame::Integer(0));
    }
    let ids: Vec<Id> = ids.iter().map(|raw| parse_id(raw, 0, true)).collect::<Result<_, _>>()?;
    let Some(s) = write_stream(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    let deleted = ids.into_iter().filter(|id| s.delete(*id)).count();
    if deleted > 0 {
        ctx.modified(&key);
        ctx.notify(STREAM, "xdel", &key);
        ctx.server.dirty += deleted as u64 - 1;
    }
    Ok(Frame::Integer(deleted as i64))
}

fn xtrim(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let all = args.all().to_vec();
    let (t, _) = parse_trim_args(ctx, &all, false)?;
    let key = &all[1];
    let Some(s) = write_stream(ctx, key)? else { return Ok(Frame::Integer(0)) };
    let deleted = t.how.map_or(0, |how| s.trim(how, t.approx, t.limit));
    if deleted > 0 {
        let mut line = all.clone();
        t.rewrite(&mut line, s);
        ctx.propagate_as(|| vec![line]);
        ctx.modified(key);
        ctx.notify(STREAM, "xtrim", key);
        ctx.server.dirty += deleted - 1;
    }
    Ok(Frame::Integer(deleted as i64))
}

fn xsetid(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let id = parse_id(&args.next_bytes()?, 0, true)?;
    let (mut added, mut max_del) = (None, Id::ZERO);
    while let Some(opt) = args.next_opt() {
        if opt.eq_ignore_ascii_case(b"ENTRIESADDED") && !args.is_empty() {
            let n = args.next_i64()?;
            if n < 0 {
                return Err(CmdError::err("entries_added must be positive"));
            }
            added = Some(n as u64);
        } else if opt.eq_ignore_ascii_case(b"MAXDELETEDID") && !args.is_empty() {
            max_del = parse_id(&args.next_bytes()?, 0, true)?;
            if id < max_del {
                return Err(CmdError::err(
                    "The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                ));
            }
        } else {
            return Err(CmdError::syntax());
        }
    }
    let s = write_stream(ctx, &key)?.ok_or_else(CmdError::no_such_key)?;
    if id < s.max_deleted {
        return Err(CmdError::err("The ID specified in XSETID is smaller than current max_deleted_entry_id"));
    }
    if let Some((&top, _)) = s.entries.last_key_value() {
        if id < top {
            return Err(CmdError::err(
                "The ID specified in XSETID is smaller than the target stream top item",
            ));
        }
        if added.is_some_and(|a| (s.len() as u64) > a) {
            return Err(CmdError::err(
                "The entries_added specified in XSETID is smaller than the target stream length",
            ));
        }
    }
    s.last_id = id;
    if let Some(a) = added {
        s.entries_added = a;
    }
    if max_del != Id::ZERO {
        s.max_deleted = max_del;
    }
    ctx.modified(&key);
    ctx.notify(STREAM, "xsetid", &key);
    Ok(Frame::ok())
}

/// The keys of an XREAD/XREADGROUP command line (between STREAMS and the ids), found as
/// Redis's parser finds STREAMS (BLOCK and COUNT take a value, GROUP two).
pub fn stream_keys(args: &[Bytes]) -> &[Bytes] {
    let (first, n) = streams_at(args);
    &args[first..first + n]
}

/// Where the keys of an XREAD/XREADGROUP command line start, and how many there are.
fn streams_at(args: &[Bytes]) -> (usize, usize) {
    let mut i = 1;
    while i < args.len() {
        let more = args.len() - i - 1;
        let a = &args[i];
        if a.eq_ignore_ascii_case(b"STREAMS") && more > 0 {
            return (i + 1, more / 2);
        }
        i += if (a.eq_ignore_ascii_case(b"BLOCK") || a.eq_ignore_ascii_case(b"COUNT")) && more > 0 {
            2
        } else if a.eq_ignore_ascii_case(b"GROUP") && more >= 2 {
            3
        } else {
            1
        };
    }
    (0, 0)
}

/// Whether a parked XREAD/XREADGROUP has something to do on `key` holding `value`: entries
/// after the id it waits beyond (a group's last delivered id for `>`); for XREADGROUP also a
/// key, type or group that is gone (the answer is then an error).
pub fn ready(args: &[Bytes], key: &[u8], value: Option<&Value>) -> bool {
    let group = args[0].eq_ignore_ascii_case(b"xreadgroup");
    let Some(Value::Stream(s)) = value else { return group };
    let (first, n) = streams_at(args);
    let Some(j) = args[first..first + n].iter().position(|k| k.as_ref() == key) else { return false };
    let raw = &args[first + n + j];
    let after = if group {
        let at = args.iter().position(|a| a.eq_ignore_ascii_case(b"GROUP")).unwrap_or(0);
        let Some(g) = args.get(at + 1).and_then(|name| s.groups.get(name)) else { return true };
        match raw.as_ref() {
            b">" => g.last_id,
            _ => return true,
        }
    } else {
        match Id::parse(raw, 0, true, false) {
            Some((id, _)) => id,
            None => return true,
        }
    };
    s.entries.last_key_value().is_some_and(|(top, _)| *top > after)
}

/// A consumer group's name and consumer, for XREADGROUP.
pub struct GroupRead {
    pub group: Bytes,
    pub consumer: Bytes,
    pub noack: bool,
}

/// `-NOGROUP No such key 'k' or consumer group 'g'` plus `tail`.
pub fn no_group(key: &[u8], group: &[u8], tail: &str) -> CmdError {
    let (k, g) = (String::from_utf8_lossy(key), String::from_utf8_lossy(group));
    CmdError::raw(format!("NOGROUP No such key '{k}' or consumer group '{g}'{tail}"))
}

fn xread(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_streams(ctx, args, false)
}

/// XREAD and XREADGROUP (`xreadCommand`).
pub fn read_streams(ctx: &mut Ctx, args: &mut Args, xreadgroup: bool) -> CmdResult {
    let all = args.all().to_vec();
    let (mut block, mut count, mut streams) = (None, 0usize, None);
    let (mut group, mut consumer, mut noack) = (None, None, false);
    let mut i = 1;
    while i < all.len() {
        let more = all.len() - i - 1;
        let o = &all[i];
        let word = |w: &str| o.eq_ignore_ascii_case(w.as_bytes());
        if word("BLOCK") && more > 0 {
            i += 1;
            block = Some(parse_timeout_ms(ctx, &all[i])?);
        } else if word("COUNT") && more > 0 {
            i += 1;
            count = parse_i64(&all[i]).ok_or_else(CmdError::not_integer)?.max(0) as usize;
        } else if word("STREAMS") && more > 0 {
            if more % 2 != 0 {
                let (name, symbol) = if xreadgroup { ("xreadgroup", '>') } else { ("xread", '$') };
                return Err(CmdError::err(format!(
                    "Unbalanced '{name}' list of streams: for each stream key an ID or '{symbol}' must be specified."
                )));
            }
            streams = Some(i + 1);
            break;
        } else if word("GROUP") && more >= 2 {
            if !xreadgroup {
                return Err(CmdError::err(
                    "The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            group = Some(all[i + 1].clone());
            consumer = Some(all[i + 2].clone());
            i += 2;
        } else if word("NOACK") {
            if !xreadgroup {
                return Err(CmdError::err(
                    "The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            noack = true;
        } else {
            return Err(CmdError::syntax());
        }
        i += 1;
    }
    let Some(first) = streams else { return Err(CmdError::syntax()) };
    if xreadgroup && group.is_none() {
        return Err(CmdError::err("Missing GROUP option for XREADGROUP"));
    }
    let n = (all.len() - first) / 2;
    let keys = &all[first..first + n];
    let gr = group.zip(consumer).map(|(group, consumer)| GroupRead { group, consumer, noack });
    let mut ids = Vec::with_capacity(n);
    for (key, raw) in keys.iter().zip(&all[first + n..]) {
        let s = read_stream(ctx, key)?;
        if let Some(g) = &gr {
            if !s.is_some_and(|s| s.groups.contains_key(&g.group)) {
                return Err(no_group(key, &g.group, " in XREADGROUP with GROUP option"));
            }
        }
        let meaningless = |sym: char| {
            CmdError::err(format!(
                "The {sym} ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The {sym} ID would just return an empty result set."
            ))
        };
        let last = s.map_or(Id::ZERO, |s| s.last_id);
        ids.push(match raw.as_ref() {
            b"$" if xreadgroup => return Err(meaningless('$')),
            b"$" => last,
            b"+" if xreadgroup => return Err(meaningless('+')),
            b"+" if s.is_none() => Id::ZERO,
            b"+" => last.decr().ok_or_else(|| CmdError::err("the stream last element ID is 0-0"))?,
            b">" if !xreadgroup => {
                return Err(CmdError::err(
                    "The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
                ))
            }
            b">" => Id::MAX,
            _ => parse_id(raw, 0, true)?,
        });
    }
    let mut served = Vec::new();
    let mut lines = Vec::new();
    for (key, gt) in keys.iter().zip(ids.iter().copied()) {
        let now = ctx.now as i64;
        let reply = match &gr {
            None => read_stream(ctx, key)?.and_then(|s| {
                let top = s.entries.last_key_value().map(|(id, _)| *id)?;
                (top > gt).then(|| range(s, gt.incr().unwrap_or_default(), Id::MAX, count, false))
            }),
            Some(g) => {
                // Redis looks the key up for reading twice (a hit counted each time).
                ctx.read(key);
                let Some(s) = write_stream(ctx, key)? else { continue };
                let (reply, changes, created) = read_group(s, g, gt, count, now, (key, &mut lines));
                if changes > 0 {
                    ctx.modified(key);
                    ctx.server.dirty += changes - 1;
                }
                if created {
                    ctx.notify(STREAM, "xgroup-createconsumer", key);
                }
                reply
            }
        };
        if let Some(entries) = reply {
            served.push((Frame::Bulk(key.clone()), Frame::Array(entries)));
        }
    }
    if gr.is_some() {
        ctx.propagate_as(|| lines);
    }
    if !served.is_empty() {
        return Ok(match ctx.client.protocol {
            Protocol::Resp3 => Frame::Map(served),
            Protocol::Resp2 => {
                Frame::Array(served.into_iter().map(|(k, v)| Frame::Array(vec![k, v])).collect())
            }
        });
    }
    let Some(deadline) = block else { return Ok(Frame::NullArray) };
    // Park with `$` replaced by the ids it stood for now.
    let mut parked = all.clone();
    for (j, id) in ids.iter().enumerate() {
        if parked[first + n + j].as_ref() == b"$" {
            parked[first + n + j] = id.text();
        }
    }
    if ctx.client.may_block && !ctx.client.in_exec {
        ctx.client.rewritten = Some(parked);
    }
    block_or(ctx, deadline, Frame::NullArray)
}

/// XREADGROUP on one stream (`streamReplyWithRange` with a group): `>` (gt = MAX) serves new
/// entries when there are some, any other id the consumer's own pending history. The consumer
/// is created if missing. Returns the entries (None: nothing to serve), the changes Redis
/// counts (a new consumer; new entries served), and whether the consumer was created. What
/// replicas get instead of the command goes to `lines` (see `stream_replicate.rs`).
fn read_group(
    s: &mut Stream,
    g: &GroupRead,
    gt: Id,
    count: usize,
    now: i64,
    (key, lines): (&[u8], &mut Vec<Vec<Bytes>>),
) -> (Option<Vec<Frame>>, u64, bool) {
    let top = s.entries.last_key_value().map(|(id, _)| *id);
    let Some(grp) = s.groups.get(&g.group) else { return (None, 0, false) };
    let history = gt != Id::MAX;
    let serve_new = !history && top.is_some_and(|t| t > grp.last_id);
    let start = if history { gt } else { grp.last_id };
    let start = start.incr().unwrap_or_default();
    let limit = if count == 0 { usize::MAX } else { count };
    let mut out = Vec::new();
    if history {
        let grp = s.groups.get_mut(&g.group).expect("checked above");
        let (c, created) = grp.consumer(&g.consumer, now);
        c.seen = now;
        let ids: Vec<Id> = c.pel.range(start..).take(limit).copied().collect();
        for id in ids {
            match s.entries.get(&id) {
                Some(fv) => {
                    out.push(entry_frame(id, fv));
                    if let Some(n) = grp.pel.get_mut(&id) {
                        n.time = now;
                        n.count += 1;
                    }
                }
                None => out.push(Frame::Array(vec![Frame::Bulk(id.text()), Frame::NullArray])),
            }
        }
        // Serving history changes no key (Redis counts no write for it).
        return (Some(out), u64::from(created), created);
    }
    let picked: Vec<Id> =
        if serve_new { s.entries.range(start..).take(limit).map(|(id, _)| *id).collect() } else { vec![] };
    let mut updates = Vec::with_capacity(picked.len());
    {
        let grp = s.groups.get(&g.group).expect("checked above");
        let (mut read, mut last) = (grp.entries_read, grp.last_id);
        for &id in &picked {
            if id > last {
                if read != -1 && !s.has_tombstones_from(Some(id)) {
                    read += 1;
                } else if s.entries_added != 0 {
                    read = s.estimate_distance(id);
                }
                last = id;
            }
            updates.push((read, last));
        }
    }
    let grp = s.groups.get_mut(&g.group).expect("checked above");
    let (c, created) = grp.consumer(&g.consumer, now);
    c.seen = now;
    if created && g.noack {
        lines.push(stream_replicate::create_consumer(key, &g.group, &g.consumer));
    }
    if let Some(&(read, last)) = updates.last() {
        grp.entries_read = read;
        grp.last_id = last;
    }
    for (&id, &(_, last)) in picked.iter().zip(&updates) {
        if let Some(fv) = s.entries.get(&id) {
            out.push(entry_frame(id, fv));
        }
        if !g.noack {
            deliver(grp, id, &g.consumer, now);
            if let Some(nack) = grp.pel.get(&id) {
                lines.push(stream_replicate::xclaim(key, &g.group, &id.text(), nack, last));
            }
        }
    }
    if !picked.is_empty() {
        lines.push(stream_replicate::set_id(key, &g.group, grp));
    }
    (serve_new.then_some(out), u64::from(created) + u64::from(!picked.is_empty()), created)
}

/// A delivery to `consumer` of `id` through a group: a new pending entry, or one taken over
/// from its owner with count 1 again (`streamReplyWithRange`'s NACK handling).
fn deliver(grp: &mut Group, id: Id, consumer: &Bytes, now: i64) {
    let old = grp.pel.insert(id, Nack { consumer: consumer.clone(), time: now, count: 1 });
    if let Some(c) = old.and_then(|old| grp.consumers.get_mut(&old.consumer)) {
        c.pel.remove(&id);
    }
    if let Some(c) = grp.consumers.get_mut(consumer) {
        c.pel.insert(id);
        c.active = now;
    }
}
