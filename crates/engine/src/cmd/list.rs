//! List commands, including the blocking forms.
//!
//! Blocking (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP): with data present they answer at once.
//! Without data, a caller that can wait (`Engine::execute_blocking`) gets the client parked with
//! a deadline on the virtual clock and retries with `Engine::retry_blocked`; any other caller
//! (plain `execute`, or inside MULTI, as in Redis) gets the timeout reply at once.

use super::blocking::{block_or, parse_timeout};
use super::{spec, CommandSpec};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::notify::LIST;
use crate::propagate::argv;
use crate::types::Value;
use bytes::Bytes;
use std::collections::VecDeque;

type List = VecDeque<Bytes>;

const W: &[&str] = &["write", "denyoom", "fast"];
const WB: &[&str] = &["write", "blocking"];
const R: &[&str] = &["readonly"];

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "lpush",
        -3,
        W,
        (1, 1, 1),
        "list",
        "Push elements at the head of a list; returns the new length.",
        "key element [element ...]",
        lpush,
    ),
    spec(
        "rpush",
        -3,
        W,
        (1, 1, 1),
        "list",
        "Push elements at the tail of a list; returns the new length.",
        "key element [element ...]",
        rpush,
    ),
    spec(
        "lpushx",
        -3,
        W,
        (1, 1, 1),
        "list",
        "LPUSH only if the list exists.",
        "key element [element ...]",
        lpushx,
    ),
    spec(
        "rpushx",
        -3,
        W,
        (1, 1, 1),
        "list",
        "RPUSH only if the list exists.",
        "key element [element ...]",
        rpushx,
    ),
    spec(
        "lpop",
        -2,
        &["write", "fast"],
        (1, 1, 1),
        "list",
        "Remove and return elements from the head.",
        "key [count]",
        lpop,
    ),
    spec(
        "rpop",
        -2,
        &["write", "fast"],
        (1, 1, 1),
        "list",
        "Remove and return elements from the tail.",
        "key [count]",
        rpop,
    ),
    spec(
        "lrange",
        4,
        R,
        (1, 1, 1),
        "list",
        "Elements between two indexes (inclusive; -1 is the last).",
        "key start stop",
        lrange,
    ),
    spec(
        "ltrim",
        4,
        &["write"],
        (1, 1, 1),
        "list",
        "Keep only the elements between two indexes (chat history: LPUSH then LTRIM 0 N-1).",
        "key start stop",
        ltrim,
    ),
    spec("llen", 2, &["readonly", "fast"], (1, 1, 1), "list", "Length of a list.", "key", llen),
    spec("lindex", 3, R, (1, 1, 1), "list", "The element at an index.", "key index", lindex),
    spec(
        "lset",
        4,
        &["write", "denyoom"],
        (1, 1, 1),
        "list",
        "Replace the element at an index.",
        "key index element",
        lset,
    ),
    spec(
        "lrem",
        4,
        &["write"],
        (1, 1, 1),
        "list",
        "Remove occurrences of an element (count > 0 from the head, < 0 from the tail, 0 all).",
        "key count element",
        lrem,
    ),
    crate::cmd::lazy_one(LINSERT),
    crate::cmd::lazy_one(LPOS),
    crate::cmd::lazy_one(LMOVE),
    crate::cmd::lazy_one(RPOPLPUSH),
    crate::cmd::lazy_one(LMPOP),
    spec(
        "blpop",
        -3,
        WB,
        (1, -2, 1),
        "list",
        "LPOP from the first non-empty list, waiting up to a timeout (seconds, 0 = forever).",
        "key [key ...] timeout",
        blpop,
    ),
    spec(
        "brpop",
        -3,
        WB,
        (1, -2, 1),
        "list",
        "RPOP from the first non-empty list, waiting up to a timeout.",
        "key [key ...] timeout",
        brpop,
    ),
    crate::cmd::lazy_one(BLMOVE),
    crate::cmd::lazy_one(BRPOPLPUSH),
    crate::cmd::lazy_one(BLMPOP),
];

/// LINSERT, LPOS and the moving and multi-key pops: their handlers come with the rare group (see [`crate::cmd::lazy_one`]).
pub(crate) const FULL: &[CommandSpec] = &[LINSERT, LPOS, LMOVE, RPOPLPUSH, LMPOP, BLMOVE, BRPOPLPUSH, BLMPOP];

const LINSERT: CommandSpec = spec(
    "linsert",
    5,
    &["write", "denyoom"],
    (1, 1, 1),
    "list",
    "Insert an element before or after a pivot element.",
    "key BEFORE | AFTER pivot element",
    linsert,
);

const LPOS: CommandSpec = spec(
    "lpos",
    -3,
    R,
    (1, 1, 1),
    "list",
    "Index of matching elements.",
    "key element [RANK rank] [COUNT num-matches] [MAXLEN len]",
    lpos,
);

const LMOVE: CommandSpec = spec(
    "lmove",
    5,
    &["write", "denyoom"],
    (1, 2, 1),
    "list",
    "Pop from one list and push to another, atomically.",
    "source destination LEFT | RIGHT LEFT | RIGHT",
    lmove,
);

const RPOPLPUSH: CommandSpec = spec(
    "rpoplpush",
    3,
    &["write", "denyoom"],
    (1, 2, 1),
    "list",
    "Pop from a list's tail and push to another's head (old form of LMOVE).",
    "source destination",
    rpoplpush,
);

const LMPOP: CommandSpec = spec(
    "lmpop",
    -4,
    &["write", "movablekeys"],
    (0, 0, 0),
    "list",
    "Pop elements from the first non-empty list of several.",
    "numkeys key [key ...] LEFT | RIGHT [COUNT count]",
    lmpop,
);

const BLMOVE: CommandSpec = spec(
    "blmove",
    6,
    &["write", "denyoom", "blocking"],
    (1, 2, 1),
    "list",
    "LMOVE, waiting up to a timeout for the source to have data.",
    "source destination LEFT | RIGHT LEFT | RIGHT timeout",
    blmove,
);

const BRPOPLPUSH: CommandSpec = spec(
    "brpoplpush",
    4,
    &["write", "denyoom", "blocking"],
    (1, 2, 1),
    "list",
    "RPOPLPUSH, waiting up to a timeout.",
    "source destination timeout",
    brpoplpush,
);

const BLMPOP: CommandSpec = spec(
    "blmpop",
    -5,
    &["write", "blocking", "movablekeys"],
    (0, 0, 0),
    "list",
    "LMPOP, waiting up to a timeout.",
    "timeout numkeys key [key ...] LEFT | RIGHT [COUNT count]",
    blmpop,
);

/// The list at `key` for reading (counts a hit or miss).
fn read_list<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a List>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// The list at `key` for writing, if it exists. Call `ctx.modified` after changing it.
fn existing_list<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut List>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(entry) => match &mut entry.value {
            Value::List(l) => Ok(Some(l)),
            _ => Err(CmdError::wrong_type()),
        },
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Left,
    Right,
}

impl End {
    /// The keyspace events of a push and a pop at this end.
    fn push_event(self) -> &'static str {
        if self == End::Left {
            "lpush"
        } else {
            "rpush"
        }
    }

    fn pop_event(self) -> &'static str {
        if self == End::Left {
            "lpop"
        } else {
            "rpop"
        }
    }

    /// The pop a replica runs for a pop at this end.
    fn pop_word(self) -> &'static [u8] {
        if self == End::Left {
            b"LPOP"
        } else {
            b"RPOP"
        }
    }
}

fn parse_end(raw: &[u8]) -> Result<End, CmdError> {
    if raw.eq_ignore_ascii_case(b"LEFT") {
        Ok(End::Left)
    } else if raw.eq_ignore_ascii_case(b"RIGHT") {
        Ok(End::Right)
    } else {
        Err(CmdError::syntax())
    }
}

fn push(ctx: &mut Ctx, args: &mut Args, end: End, only_existing: bool) -> CmdResult {
    let key = args.next_bytes()?;
    let items = args.rest();
    if only_existing && existing_list(ctx, &key)?.is_none() {
        return Ok(Frame::Integer(0));
    }
    let value = ctx.write_or_create(&key, |v| matches!(v, Value::List(_)), || Value::List(List::new()))?;
    let Value::List(list) = value else { return Err(CmdError::wrong_type()) };
    for item in items {
        match end {
            End::Left => list.push_front(item),
            End::Right => list.push_back(item),
        }
    }
    let len = list.len() as i64;
    ctx.notify(LIST, end.push_event(), &key);
    ctx.modified(&key);
    Ok(Frame::Integer(len))
}

fn lpush(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    push(ctx, args, End::Left, false)
}

fn rpush(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    push(ctx, args, End::Right, false)
}

fn lpushx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    push(ctx, args, End::Left, true)
}

fn rpushx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    push(ctx, args, End::Right, true)
}

/// Pop up to `count` elements from one end; the key goes when the list empties.
fn pop_n(ctx: &mut Ctx, key: &Bytes, end: End, count: usize) -> Result<Option<Vec<Bytes>>, CmdError> {
    let Some(list) = existing_list(ctx, key)? else { return Ok(None) };
    let n = count.min(list.len());
    let popped: Vec<Bytes> = match end {
        End::Left => list.drain(..n).collect(),
        End::Right => {
            let start = list.len() - n;
            list.drain(start..).rev().collect()
        }
    };
    if n > 0 {
        ctx.notify(LIST, end.pop_event(), key);
    }
    ctx.modified(key);
    Ok(Some(popped))
}

fn pop(ctx: &mut Ctx, args: &mut Args, end: End, name: &str) -> CmdResult {
    let key = args.next_bytes()?;
    let count = match args.next_opt() {
        None => None,
        Some(raw) => {
            if !args.is_empty() {
                return Err(CmdError::wrong_arity(name));
            }
            let n = parse_i64(&raw).filter(|n| *n >= 0).ok_or_else(CmdError::must_be_positive)?;
            Some(n as usize)
        }
    };
    match count {
        None => {
            Ok(pop_n(ctx, &key, end, 1)?.and_then(|v| v.into_iter().next()).map_or(Frame::Null, Frame::Bulk))
        }
        Some(n) => match pop_n(ctx, &key, end, n)? {
            None => Ok(Frame::NullArray),
            Some(items) => Ok(Frame::bulks(items)),
        },
    }
}

fn lpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    pop(ctx, args, End::Left, "lpop")
}

fn rpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    pop(ctx, args, End::Right, "rpop")
}

/// Clamp Redis-style inclusive indexes (negative from the end) to a range of `len`.
fn clamp_range(start: i64, stop: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 { (len + start).max(0) } else { start };
    let stop = if stop < 0 { len + stop } else { stop.min(len - 1) };
    (start <= stop && start < len && stop >= 0).then_some((start as usize, stop as usize))
}

fn lrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let start = args.next_i64()?;
    let stop = args.next_i64()?;
    let Some(list) = read_list(ctx, &key)? else { return Ok(Frame::Array(Vec::new())) };
    Ok(Frame::Array(match clamp_range(start, stop, list.len()) {
        Some((a, b)) => list.range(a..=b).cloned().map(Frame::Bulk).collect(),
        None => Vec::new(),
    }))
}

fn ltrim(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let start = args.next_i64()?;
    let stop = args.next_i64()?;
    let Some(list) = existing_list(ctx, &key)? else { return Ok(Frame::ok()) };
    match clamp_range(start, stop, list.len()) {
        Some((a, b)) => {
            list.truncate(b + 1);
            list.drain(..a);
        }
        None => list.clear(),
    }
    ctx.notify(LIST, "ltrim", &key);
    ctx.modified(&key);
    Ok(Frame::ok())
}

fn llen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(Frame::Integer(read_list(ctx, &key)?.map_or(0, |l| l.len() as i64)))
}

/// A Redis index (negative from the end) into a list of `len`.
fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let i = if index < 0 { len as i64 + index } else { index };
    (0..len as i64).contains(&i).then_some(i as usize)
}

fn lindex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    // Redis looks the key up (and checks its type) before it reads the index.
    let Some(list) = read_list(ctx, &key)? else { return Ok(Frame::Null) };
    let index = args.next_i64()?;
    Ok(resolve_index(index, list.len()).and_then(|i| list.get(i).cloned()).map_or(Frame::Null, Frame::Bulk))
}

fn lset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    // The key (and its type) first, then the index, as Redis's lsetCommand.
    let Some(list) = existing_list(ctx, &key)? else { return Err(CmdError::no_such_key()) };
    // Redis 7.4 hands the index to `listTypeReplaceAtIndex(robj *o, int index, ...)`, which keeps
    // its low 32 bits: LSET k 4294967296 v replaces the first element there, so it does here.
    let index = i64::from(args.next_i64()? as i32);
    let value = args.next_bytes()?;
    let i = resolve_index(index, list.len()).ok_or_else(CmdError::out_of_range)?;
    let converts = crate::types::encoding::lset_converts(list, &value);
    list[i] = value;
    if converts {
        ctx.db().settle_encoding(&key, 1);
    }
    ctx.notify(LIST, "lset", &key);
    ctx.modified(&key);
    Ok(Frame::ok())
}

fn lrem(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let count = args.next_symmetric_i64()?;
    let element = args.next_bytes()?;
    let Some(list) = existing_list(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    let limit = if count == 0 { usize::MAX } else { count.unsigned_abs() as usize };
    let mut removed = 0;
    if count >= 0 {
        let mut i = 0;
        while i < list.len() && removed < limit {
            if list[i] == element {
                list.remove(i);
                removed += 1;
            } else {
                i += 1;
            }
        }
    } else {
        let mut i = list.len();
        while i > 0 && removed < limit {
            i -= 1;
            if list[i] == element {
                list.remove(i);
                removed += 1;
            }
        }
    }
    if removed > 0 {
        ctx.notify(LIST, "lrem", &key);
        ctx.modified(&key);
    }
    Ok(Frame::Integer(removed as i64))
}

fn linsert(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let where_ = args.next_bytes()?;
    let after = if where_.eq_ignore_ascii_case(b"AFTER") {
        true
    } else if where_.eq_ignore_ascii_case(b"BEFORE") {
        false
    } else {
        return Err(CmdError::syntax());
    };
    let pivot = args.next_bytes()?;
    let element = args.next_bytes()?;
    let Some(list) = existing_list(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    let Some(at) = list.iter().position(|e| *e == pivot) else { return Ok(Frame::Integer(-1)) };
    list.insert(if after { at + 1 } else { at }, element);
    let len = list.len() as i64;
    ctx.notify(LIST, "linsert", &key);
    ctx.modified(&key);
    Ok(Frame::Integer(len))
}

fn lpos(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let element = args.next_bytes()?;
    let (mut rank, mut count, mut maxlen) = (1i64, None::<i64>, 0i64);
    while let Some(opt) = args.next_opt() {
        if opt.eq_ignore_ascii_case(b"RANK") && !args.is_empty() {
            rank = args.next_i64()?;
            if rank == 0 {
                return Err(CmdError::err("RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
            }
            if rank == i64::MIN {
                return Err(CmdError::beyond_symmetric_range());
            }
        } else if opt.eq_ignore_ascii_case(b"COUNT") && !args.is_empty() {
            // Redis words a count that is not a number the same way as a negative one.
            let n = args.next_i64().ok().filter(|n| *n >= 0);
            count = Some(n.ok_or_else(|| CmdError::err("COUNT can't be negative"))?);
        } else if opt.eq_ignore_ascii_case(b"MAXLEN") && !args.is_empty() {
            let n = args.next_i64().ok().filter(|n| *n >= 0);
            maxlen = n.ok_or_else(|| CmdError::err("MAXLEN can't be negative"))?;
        } else {
            return Err(CmdError::syntax());
        }
    }
    let Some(list) = read_list(ctx, &key)? else {
        return Ok(if count.is_some() { Frame::Array(Vec::new()) } else { Frame::Null });
    };
    let wanted = match count {
        Some(0) => usize::MAX,
        Some(n) => n as usize,
        None => 1,
    };
    let scan_limit = if maxlen == 0 { list.len() } else { (maxlen as usize).min(list.len()) };
    let indexes: Box<dyn Iterator<Item = usize>> =
        if rank > 0 { Box::new(0..list.len()) } else { Box::new((0..list.len()).rev()) };
    let mut skip = rank.unsigned_abs() - 1;
    let mut found = Vec::new();
    for i in indexes.take(scan_limit) {
        if list[i] == element {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            found.push(i as i64);
            if found.len() >= wanted {
                break;
            }
        }
    }
    Ok(match count {
        Some(_) => Frame::Array(found.into_iter().map(Frame::Integer).collect()),
        None => found.first().map_or(Frame::Null, |i| Frame::Integer(*i)),
    })
}

/// LMOVE's core: pop from `src`'s `from` end and push to `dst`'s `to` end. `None` if `src` is
/// missing. Both keys are type-checked first, as Redis does.
fn move_one(ctx: &mut Ctx, src: &Bytes, dst: &Bytes, from: End, to: End) -> Result<Option<Bytes>, CmdError> {
    if existing_list(ctx, src)?.is_none() {
        return Ok(None);
    }
    existing_list(ctx, dst)?;
    // Popped first, told last: Redis notifies the push, then the pop (and the source's
    // deletion if it emptied).
    let popped = existing_list(ctx, src)?.and_then(|list| match from {
        End::Left => list.pop_front(),
        End::Right => list.pop_back(),
    });
    let Some(item) = popped else { return Ok(None) };
    let value = ctx.write_or_create(dst, |v| matches!(v, Value::List(_)), || Value::List(List::new()))?;
    if let Value::List(list) = value {
        match to {
            End::Left => list.push_front(item.clone()),
            End::Right => list.push_back(item.clone()),
        }
    }
    ctx.notify(LIST, to.push_event(), dst);
    ctx.modified(dst);
    ctx.notify(LIST, from.pop_event(), src);
    ctx.modified(src);
    // Redis counts one change for a move (the pop's `listElementsRemoved`); the push only
    // signals the destination's watchers. `modified` counted it as a second change.
    ctx.server.dirty -= 1;
    Ok(Some(item))
}

fn lmove(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let src = args.next_bytes()?;
    let dst = args.next_bytes()?;
    let from = parse_end(&args.next_bytes()?)?;
    let to = parse_end(&args.next_bytes()?)?;
    Ok(move_one(ctx, &src, &dst, from, to)?.map_or(Frame::Null, Frame::Bulk))
}

fn rpoplpush(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let src = args.next_bytes()?;
    let dst = args.next_bytes()?;
    Ok(move_one(ctx, &src, &dst, End::Right, End::Left)?.map_or(Frame::Null, Frame::Bulk))
}

/// `numkeys key... LEFT|RIGHT [COUNT n]` of LMPOP/BLMPOP.
fn parse_mpop(args: &mut Args) -> Result<(Vec<Bytes>, End, usize), CmdError> {
    let numkeys_msg = || CmdError::err("numkeys should be greater than 0");
    let numkeys = parse_i64(&args.next_bytes()?).ok_or_else(numkeys_msg)?;
    if numkeys <= 0 {
        return Err(numkeys_msg());
    }
    if numkeys as usize >= args.remaining() {
        return Err(CmdError::syntax());
    }
    let keys: Vec<Bytes> = (0..numkeys).map(|_| args.next_bytes()).collect::<Result<_, _>>()?;
    let end = parse_end(&args.next_bytes()?)?;
    let mut count = None;
    while let Some(opt) = args.next_opt() {
        if count.is_none() && opt.eq_ignore_ascii_case(b"COUNT") && !args.is_empty() {
            let msg = || CmdError::err("count should be greater than 0");
            let n = parse_i64(&args.next_bytes()?).ok_or_else(msg)?;
            if n <= 0 {
                return Err(msg());
            }
            count = Some(n as usize);
        } else {
            return Err(CmdError::syntax());
        }
    }
    Ok((keys, end, count.unwrap_or(1)))
}

/// Pop from the first non-empty list of `keys`: `[key, [elements]]`, or None. Replicas get
/// `LPOP key n` (or RPOP) with n what it popped.
fn mpop(ctx: &mut Ctx, keys: &[Bytes], end: End, count: usize) -> Result<Option<Frame>, CmdError> {
    for key in keys {
        if let Some(items) = pop_n(ctx, key, end, count)? {
            let n = items.len().to_string();
            ctx.propagate_as(|| vec![argv([end.pop_word(), key, n.as_bytes()])]);
            return Ok(Some(Frame::Array(vec![Frame::Bulk(key.clone()), Frame::bulks(items)])));
        }
    }
    Ok(None)
}

fn lmpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (keys, end, count) = parse_mpop(args)?;
    Ok(mpop(ctx, &keys, end, count)?.unwrap_or(Frame::NullArray))
}

fn blocking_pop(ctx: &mut Ctx, args: &mut Args, end: End) -> CmdResult {
    let mut rest = args.rest();
    let raw_timeout = rest.pop().ok_or_else(CmdError::syntax)?;
    let deadline = parse_timeout(ctx, &raw_timeout)?;
    for key in &rest {
        if let Some(item) = pop_n(ctx, key, end, 1)?.and_then(|v| v.into_iter().next()) {
            ctx.propagate_as(|| vec![argv([end.pop_word(), key])]);
            return Ok(Frame::Array(vec![Frame::Bulk(key.clone()), Frame::Bulk(item)]));
        }
    }
    block_or(ctx, deadline, Frame::NullArray)
}

fn blpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    blocking_pop(ctx, args, End::Left)
}

fn brpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    blocking_pop(ctx, args, End::Right)
}

fn blmove(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let src = args.next_bytes()?;
    let dst = args.next_bytes()?;
    let from = parse_end(&args.next_bytes()?)?;
    let to = parse_end(&args.next_bytes()?)?;
    let deadline = parse_timeout(ctx, &args.next_bytes()?)?;
    match move_one(ctx, &src, &dst, from, to)? {
        Some(item) => {
            ctx.propagate_as(|| {
                let mut line = args.all()[..5].to_vec();
                line[0] = Bytes::from_static(b"LMOVE");
                vec![line]
            });
            Ok(Frame::Bulk(item))
        }
        None => block_or(ctx, deadline, if ctx.client.in_exec { Frame::Null } else { Frame::NullArray }),
    }
}

fn brpoplpush(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let src = args.next_bytes()?;
    let dst = args.next_bytes()?;
    let deadline = parse_timeout(ctx, &args.next_bytes()?)?;
    match move_one(ctx, &src, &dst, End::Right, End::Left)? {
        Some(item) => {
            ctx.propagate_as(|| vec![argv([b"RPOPLPUSH", &src, &dst])]);
            Ok(Frame::Bulk(item))
        }
        None => block_or(ctx, deadline, if ctx.client.in_exec { Frame::Null } else { Frame::NullArray }),
    }
}

fn blmpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    // Redis reads numkeys, the keys, the end and COUNT before the timeout.
    let raw_timeout = args.next_bytes()?;
    let (keys, end, count) = parse_mpop(args)?;
    let deadline = parse_timeout(ctx, &raw_timeout)?;
    match mpop(ctx, &keys, end, count)? {
        Some(reply) => Ok(reply),
        None => block_or(ctx, deadline, Frame::NullArray),
    }
}
