//! String commands: SET and its shorthands, GET and its variants, counters, ranges.
//!
//! Order of checks follows Redis 7.4 so the same bad command fails the same way: syntax first,
//! then the expire value, then the type of the key (SET ... GET), then NX/XX.

use super::expire_opts::{deadline_ms, parse_string_options, ExpireKind, OptionsFor};
use super::long_double;
use super::CommandSpec;
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::Value;
use bytes::{Bytes, BytesMut};

/// Redis's default `proto-max-bulk-len`: SETRANGE and APPEND may not grow a string beyond it.
pub const MAX_STRING_LEN: usize = 512 * 1024 * 1024;

macro_rules! spec {
    ($name:literal, $arity:expr, $flags:expr, $keys:expr, $summary:literal, $syntax:literal, $run:expr) => {
        CommandSpec {
            name: $name,
            arity: $arity,
            flags: $flags,
            keys: $keys,
            group: "string",
            summary: $summary,
            syntax: $syntax,
            run: $run,
            subcommands: &[],
        }
    };
}

const W: &[&str] = &["write", "denyoom"];
const WF: &[&str] = &["write", "denyoom", "fast"];
const RF: &[&str] = &["readonly", "fast"];

pub const COMMANDS: &[CommandSpec] = &[
    spec!("get", 2, RF, (1, 1, 1), "Return the string stored at a key, or nil when the key does not exist.", "key", get),
    spec!(
        "set",
        -3,
        W,
        (1, 1, 1),
        "Store a string at a key, optionally with an expiry and only-if conditions.",
        "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
        set
    ),
    spec!("getdel", 2, &["write", "fast"], (1, 1, 1), "Return the string at a key and delete the key.", "key", getdel),
    spec!(
        "getex",
        -2,
        &["write", "fast"],
        (1, 1, 1),
        "Return the string at a key and change or remove its expiry.",
        "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]",
        getex
    ),
    spec!("getset", 3, WF, (1, 1, 1), "Store a string and return the old one (clears the expiry).", "key value", getset),
    spec!("setnx", 3, WF, (1, 1, 1), "Store a string only if the key does not exist; 1 if stored.", "key value", setnx),
    spec!("setex", 4, W, (1, 1, 1), "Store a string that expires after the given seconds.", "key seconds value", setex),
    spec!(
        "psetex",
        4,
        W,
        (1, 1, 1),
        "Store a string that expires after the given milliseconds.",
        "key milliseconds value",
        psetex
    ),
    spec!("mset", -3, W, (1, -1, 2), "Store several strings at once.", "key value [key value ...]", mset),
    spec!(
        "msetnx",
        -3,
        W,
        (1, -1, 2),
        "Store several strings only if none of the keys exists; 1 if stored.",
        "key value [key value ...]",
        msetnx
    ),
    spec!("mget", -2, RF, (1, -1, 1), "Return the strings at several keys (nil for missing or non-strings).", "key [key ...]", mget),
    spec!("incr", 2, WF, (1, 1, 1), "Add 1 to the integer stored at a key (missing counts as 0).", "key", incr),
    spec!("decr", 2, WF, (1, 1, 1), "Subtract 1 from the integer stored at a key.", "key", decr),
    spec!("incrby", 3, WF, (1, 1, 1), "Add an integer to the integer stored at a key.", "key increment", incrby),
    spec!("decrby", 3, WF, (1, 1, 1), "Subtract an integer from the integer stored at a key.", "key decrement", decrby),
    spec!(
        "incrbyfloat",
        3,
        WF,
        (1, 1, 1),
        "Add a decimal number to the number stored at a key.",
        "key increment",
        incrbyfloat
    ),
    spec!("append", 3, WF, (1, 1, 1), "Append bytes to a string (creating it); returns the new length.", "key value", append),
    spec!("strlen", 2, RF, (1, 1, 1), "Return the length in bytes of the string at a key.", "key", strlen),
    spec!(
        "getrange",
        4,
        &["readonly"],
        (1, 1, 1),
        "Return part of a string by byte offsets (negative counts from the end).",
        "key start end",
        getrange
    ),
    spec!(
        "substr",
        4,
        &["readonly"],
        (1, 1, 1),
        "Old name of GETRANGE: part of a string by byte offsets.",
        "key start end",
        getrange
    ),
    spec!(
        "setrange",
        4,
        W,
        (1, 1, 1),
        "Overwrite part of a string at a byte offset, padding with zero bytes.",
        "key offset value",
        setrange
    ),
];

/// The string at `key` for reading: `Ok(None)` if missing, WRONGTYPE if not a string.
pub fn read_string(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Bytes>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// The string at `key` as a write would see it (no hit/miss counted), WRONGTYPE if not a string.
fn peek_string(ctx: &mut Ctx, key: &[u8]) -> Result<Option<Bytes>, CmdError> {
    match ctx.peek(key) {
        None => Ok(None),
        Some(entry) => match &entry.value {
            Value::Str(s) => Ok(Some(s.clone())),
            _ => Err(CmdError::wrong_type()),
        },
    }
}

/// The current deadline of `key` (for KEEPTTL and in-place string updates).
fn current_deadline(ctx: &mut Ctx, key: &[u8]) -> Option<u64> {
    ctx.peek(key).and_then(|e| e.expires_at)
}

/// Replace a string's value keeping its deadline, as Redis does for INCR, APPEND, SETRANGE.
fn overwrite_keep_ttl(ctx: &mut Ctx, key: Bytes, value: Bytes) {
    // `write` updates access data as an in-place change does; a missing key has no deadline.
    let deadline = ctx.write(&key).and_then(|e| e.expires_at);
    ctx.set(key, Value::Str(value), deadline);
}

fn get(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(read_string(ctx, &key)?.map_or(Frame::Null, Frame::Bulk))
}

/// What SET does once options are known (SETNX, SETEX and PSETEX are shorthands for it).
struct SetRequest {
    key: Bytes,
    value: Bytes,
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    deadline: Option<u64>,
}

/// Redis's `setGenericCommand`: with GET, read the old value first (WRONGTYPE stops everything);
/// then apply NX/XX. Returns whether the value was stored, and the old value as a reply frame
/// (nil when missing or when GET was not asked for).
fn set_generic(ctx: &mut Ctx, req: SetRequest) -> Result<(bool, Frame), CmdError> {
    let old = if req.get { Some(read_string(ctx, &req.key)?) } else { None };
    let found = ctx.peek(&req.key).is_some();
    let old_frame = old.flatten().map_or(Frame::Null, Frame::Bulk);
    if (req.nx && found) || (req.xx && !found) {
        return Ok((false, old_frame));
    }
    let deadline = if req.keepttl { current_deadline(ctx, &req.key) } else { req.deadline };
    if found {
        // Touch access data the way an overwrite does.
        ctx.write(&req.key);
    }
    ctx.set(req.key.clone(), Value::Str(req.value), deadline);
    // A deadline already past removes the key at once (Redis deletes it instead of storing it).
    ctx.expire_if_needed(&req.key);
    Ok((true, old_frame))
}

fn set(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let value = args.next_bytes()?;
    let opts = parse_string_options(args, OptionsFor::Set)?;
    let deadline = match &opts.expire {
        Some((kind, raw)) => Some(deadline_ms(*kind, raw, ctx.now, "set")?),
        None => None,
    };
    let req =
        SetRequest { key, value, nx: opts.nx, xx: opts.xx, get: opts.get, keepttl: opts.keepttl, deadline };
    let (stored, old) = set_generic(ctx, req)?;
    Ok(match (opts.get, stored) {
        (true, _) => old,
        (false, true) => Frame::ok(),
        (false, false) => Frame::Null,
    })
}

fn setnx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let value = args.next_bytes()?;
    let req = SetRequest { key, value, nx: true, xx: false, get: false, keepttl: false, deadline: None };
    let (stored, _) = set_generic(ctx, req)?;
    Ok(Frame::Integer(stored as i64))
}

fn set_with_ttl(ctx: &mut Ctx, args: &mut Args, kind: ExpireKind, name: &str) -> CmdResult {
    let key = args.next_bytes()?;
    let ttl = args.next_bytes()?;
    let value = args.next_bytes()?;
    let deadline = Some(deadline_ms(kind, &ttl, ctx.now, name)?);
    let req = SetRequest { key, value, nx: false, xx: false, get: false, keepttl: false, deadline };
    set_generic(ctx, req)?;
    Ok(Frame::ok())
}

fn setex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    set_with_ttl(ctx, args, ExpireKind::Ex, "setex")
}

fn psetex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    set_with_ttl(ctx, args, ExpireKind::Px, "psetex")
}

fn getdel(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let Some(value) = read_string(ctx, &key)? else { return Ok(Frame::Null) };
    ctx.delete(&key);
    Ok(Frame::Bulk(value))
}

fn getex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let opts = parse_string_options(args, OptionsFor::GetEx)?;
    let Some(value) = read_string(ctx, &key)? else { return Ok(Frame::Null) };
    if let Some((kind, raw)) = &opts.expire {
        let deadline = deadline_ms(*kind, raw, ctx.now, "getex")?;
        if kind.is_absolute() && deadline <= ctx.now {
            ctx.delete(&key);
        } else {
            ctx.set_expiry(&key, Some(deadline));
        }
    } else if opts.persist && current_deadline(ctx, &key).is_some() {
        ctx.set_expiry(&key, None);
    }
    Ok(Frame::Bulk(value))
}

fn getset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let value = args.next_bytes()?;
    let old = read_string(ctx, &key)?;
    ctx.set(key, Value::Str(value), None);
    Ok(old.map_or(Frame::Null, Frame::Bulk))
}

/// Key/value pairs of MSET/MSETNX; an odd count is an arity error, as Redis reports it.
fn pairs(args: &mut Args, name: &str) -> Result<Vec<(Bytes, Bytes)>, CmdError> {
    let rest = args.rest();
    if rest.len() % 2 != 0 {
        return Err(CmdError::wrong_arity(name));
    }
    Ok(rest.chunks_exact(2).map(|p| (p[0].clone(), p[1].clone())).collect())
}

fn mset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    for (key, value) in pairs(args, "mset")? {
        ctx.set(key, Value::Str(value), None);
    }
    Ok(Frame::ok())
}

fn msetnx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let pairs = pairs(args, "msetnx")?;
    for (key, _) in &pairs {
        if ctx.peek(key).is_some() {
            return Ok(Frame::Integer(0));
        }
    }
    for (key, value) in pairs {
        ctx.set(key, Value::Str(value), None);
    }
    Ok(Frame::Integer(1))
}

fn mget(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut out = Vec::new();
    for key in args.rest() {
        out.push(match ctx.read(&key) {
            Some(Value::Str(s)) => Frame::Bulk(s.clone()),
            _ => Frame::Null,
        });
    }
    Ok(Frame::Array(out))
}

/// INCR/DECR/INCRBY/DECRBY: Redis's `incrDecrCommand`.
fn incr_decr(ctx: &mut Ctx, key: Bytes, by: i64) -> CmdResult {
    let current = match peek_string(ctx, &key)? {
        None => 0,
        Some(s) => parse_i64(&s).ok_or_else(CmdError::not_integer)?,
    };
    let next = current.checked_add(by).ok_or_else(CmdError::overflow)?;
    overwrite_keep_ttl(ctx, key, Bytes::from(next.to_string()));
    Ok(Frame::Integer(next))
}

fn incr(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    incr_decr(ctx, key, 1)
}

fn decr(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    incr_decr(ctx, key, -1)
}

fn incrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let by = args.next_i64()?;
    incr_decr(ctx, key, by)
}

fn decrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let by = args.next_i64()?;
    if by == i64::MIN {
        return Err(CmdError::err("decrement would overflow"));
    }
    incr_decr(ctx, key, -by)
}

fn incrbyfloat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let incr = args.next_bytes()?;
    let current = peek_string(ctx, &key)?;
    let result = long_double::add_decimal_strings(current.as_deref().unwrap_or(b"0"), &incr)?;
    let result = Bytes::from(result);
    overwrite_keep_ttl(ctx, key, result.clone());
    Ok(Frame::Bulk(result))
}

fn append(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let tail = args.next_bytes()?;
    let current = peek_string(ctx, &key)?;
    let old_len = current.as_ref().map_or(0, |s| s.len());
    if old_len.saturating_add(tail.len()) > MAX_STRING_LEN {
        return Err(too_big());
    }
    let mut joined = BytesMut::with_capacity(old_len + tail.len());
    if let Some(s) = &current {
        joined.extend_from_slice(s);
    }
    joined.extend_from_slice(&tail);
    let len = joined.len();
    overwrite_keep_ttl(ctx, key, joined.freeze());
    Ok(Frame::Integer(len as i64))
}

fn too_big() -> CmdError {
    CmdError::err("string exceeds maximum allowed size (proto-max-bulk-len)")
}

fn strlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(Frame::Integer(read_string(ctx, &key)?.map_or(0, |s| s.len() as i64)))
}

fn getrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let start = args.next_i64()?;
    let end = args.next_i64()?;
    let Some(s) = read_string(ctx, &key)? else { return Ok(Frame::bulk_from(b"")) };
    Ok(Frame::Bulk(byte_range(&s, start, end)))
}

/// GETRANGE's index arithmetic, exactly as Redis 7.4's `getrangeCommand`.
fn byte_range(s: &Bytes, start: i64, end: i64) -> Bytes {
    let len = s.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Bytes::new();
    }
    let mut start = if start < 0 { len.saturating_add(start) } else { start };
    let mut end = if end < 0 { len.saturating_add(end) } else { end };
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return Bytes::new();
    }
    s.slice(start as usize..=end as usize)
}

fn setrange(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let offset = args.next_i64()?;
    let patch = args.next_bytes()?;
    if offset < 0 {
        return Err(CmdError::err("offset is out of range"));
    }
    let current = peek_string(ctx, &key)?;
    let old_len = current.as_ref().map_or(0, |s| s.len());
    if patch.is_empty() {
        // Nothing to write: the key is not created, the length is reported as is.
        return Ok(Frame::Integer(old_len as i64));
    }
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    if offset.saturating_add(patch.len()) > MAX_STRING_LEN {
        return Err(too_big());
    }
    let new_len = old_len.max(offset + patch.len());
    let mut buf = BytesMut::zeroed(new_len);
    if let Some(s) = &current {
        buf[..old_len].copy_from_slice(s);
    }
    buf[offset..offset + patch.len()].copy_from_slice(&patch);
    overwrite_keep_ttl(ctx, key, buf.freeze());
    Ok(Frame::Integer(new_len as i64))
}

#[cfg(test)]
mod tests {
    use super::byte_range;
    use bytes::Bytes;

    #[test]
    fn getrange_clamps_like_redis() {
        let s = Bytes::from_static(b"hello");
        assert_eq!(&byte_range(&s, -100, -50)[..], b"h");
        assert_eq!(&byte_range(&s, 0, -100)[..], b"h");
        assert_eq!(&byte_range(&s, 3, 1)[..], b"");
        assert_eq!(&byte_range(&s, -1, -5)[..], b"");
        assert_eq!(&byte_range(&s, 2, 100)[..], b"llo");
        assert_eq!(&byte_range(&s, i64::MIN, i64::MAX)[..], b"hello");
        assert_eq!(&byte_range(&Bytes::new(), 0, -1)[..], b"");
    }
}
