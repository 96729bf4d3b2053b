//! What the blocking commands of every family share (BLPOP and friends in `list.rs`, BZPOPMIN,
//! BZPOPMAX and BZMPOP in `zpop.rs`): the timeout argument, parking a client that finds nothing,
//! and which keys of which type a parked command waits on (the engine retries it only when one
//! of them holds that type, as Redis 7.4 does).

use crate::args::parse_i64;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::Value;
use bytes::Bytes;

/// The commands that may wait.
pub const NAMES: [&str; 12] = [
    "blpop",
    "brpop",
    "blmove",
    "brpoplpush",
    "blmpop",
    "bzpopmin",
    "bzpopmax",
    "bzmpop",
    "xread",
    "xreadgroup",
    "wait",
    "waitaof",
];

/// A blocking timeout in seconds as an absolute deadline on the virtual clock (None: forever),
/// read as Redis's `getTimeoutFromObjectOrReply` does: a long double (hex, `inf` included),
/// times 1000, rounded up to a whole millisecond (so `0.0001` waits 1 ms and `-0.0001` forever),
/// refused when negative or when `now` plus it would not fit in 64 bits.
pub fn parse_timeout(ctx: &Ctx, raw: &[u8]) -> Result<Option<u64>, CmdError> {
    let not_float = || CmdError::err("timeout is not a float or out of range");
    crate::long_double::parse_long_double(raw).ok_or_else(not_float)?;
    // Valid as a long double: its f64 value is close enough for a count of milliseconds (a
    // value beyond f64's range is out of range here anyway).
    let text = std::str::from_utf8(raw).map_err(|_| not_float())?;
    let secs = crate::float::parse_hex_float(text)
        .or_else(|| crate::decimal::parse_f64(text))
        .ok_or_else(not_float)?;
    let ms = (secs * 1000.0).ceil();
    let out_of_range = || CmdError::err("timeout is out of range");
    if ms > i64::MAX as f64 {
        return Err(out_of_range());
    }
    if ms < 0.0 {
        return Err(CmdError::err("timeout is negative"));
    }
    let ms = ms as i64;
    if ms == 0 {
        return Ok(None);
    }
    if ms > i64::MAX - ctx.now as i64 {
        return Err(out_of_range());
    }
    Ok(Some(ctx.now + ms as u64))
}

/// Nothing to serve: park the client if it can wait (not inside MULTI/EXEC, where Redis denies
/// blocking), and answer `timeout_reply` (what a caller that cannot wait gets at once).
pub fn block_or(ctx: &mut Ctx, deadline: Option<u64>, timeout_reply: Frame) -> CmdResult {
    let expired = deadline.is_some_and(|d| d <= ctx.now);
    if ctx.client.may_block && !ctx.client.in_exec && !expired {
        ctx.client.blocked = Some(deadline);
    }
    Ok(timeout_reply)
}

/// End client `id`'s wait: its parked command gets what `reply` makes of it, counted as Redis
/// counts an unblocked command (`failed`: as an error). A client CLIENT PAUSE holds is left
/// alone (Redis would crash on it). False if `id` waits on nothing.
pub(crate) fn unblock(
    server: &mut crate::server::Server,
    id: u64,
    failed: bool,
    reply: impl FnOnce(&[Bytes], &crate::server::Server) -> Frame,
) -> bool {
    let Some(client) = server.clients.get_mut(&id).filter(|c| !c.postponed) else { return false };
    let Some((args, _)) = client.parked.take() else { return false };
    crate::engine::count_unblocked(server, &args, failed);
    let frame = reply(&args, server);
    if let Some(client) = server.clients.get_mut(&id) {
        client.served = Some(frame);
    }
    true
}

/// What a parked command answers when its timeout passes (or CLIENT UNBLOCK ends it): a null
/// for the pops and moves; WAIT and WAITAOF answer the acknowledgements they got, none from
/// replicas (WAITAOF's local one when `appendonly` is on).
pub fn timeout_reply(args: &[Bytes], server: &crate::server::Server) -> Frame {
    let name = args.first().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
    match name.as_slice() {
        b"wait" => Frame::Integer(0),
        b"waitaof" => {
            Frame::Array(vec![Frame::Integer(i64::from(server.config.appendonly)), Frame::Integer(0)])
        }
        _ => Frame::NullArray,
    }
}

/// The keys a parked blocking command waits on (also INFO's `total_blocking_keys`): every key of
/// BLPOP/BRPOP/BLMPOP/BZPOPMIN/BZPOPMAX/BZMPOP, the source of BLMOVE/BRPOPLPUSH.
pub fn blocking_keys(args: &[Bytes]) -> &[Bytes] {
    let name = args.first().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
    let keys = match name.as_slice() {
        b"blpop" | b"brpop" | b"bzpopmin" | b"bzpopmax" => 1..args.len().saturating_sub(1),
        b"blmove" | b"brpoplpush" => 1..2,
        b"blmpop" | b"bzmpop" => {
            let n = args.get(2).and_then(|n| parse_i64(n)).unwrap_or(0).max(0) as usize;
            3..3usize.saturating_add(n)
        }
        b"xread" | b"xreadgroup" => return super::stream::stream_keys(args),
        _ => 0..0,
    };
    args.get(keys).unwrap_or_default()
}

/// True if `key`'s value (None: missing) is of the type the parked command `args` waits for (a
/// sorted set for the BZ* commands, a list for the others): only such a key wakes it. XREAD
/// and XREADGROUP wake when the stream has entries after the ones they wait beyond, and
/// XREADGROUP also when its key or group is gone or changed type (it then answers NOGROUP or
/// WRONGTYPE, as Redis's `unblock_on_nokey`).
pub fn wakes(args: &[Bytes], key: &[u8], value: Option<&Value>) -> bool {
    let name = args.first().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
    match (name.as_slice(), value) {
        (b"xread" | b"xreadgroup", v) => super::stream::ready(args, key, v),
        (n, Some(v)) if n.starts_with(b"bz") => matches!(v, Value::ZSet(_)),
        (_, Some(v)) => matches!(v, Value::List(_)),
        (_, None) => false,
    }
}

/// A timeout in milliseconds (XREAD's BLOCK) as an absolute deadline (None: forever), as
/// Redis's `getTimeoutFromObjectOrReply` with `UNIT_MILLISECONDS`.
pub fn parse_timeout_ms(ctx: &Ctx, raw: &[u8]) -> Result<Option<u64>, CmdError> {
    let ms = parse_i64(raw).ok_or_else(|| CmdError::err("timeout is not an integer or out of range"))?;
    if ms < 0 {
        return Err(CmdError::err("timeout is negative"));
    }
    if ms == 0 {
        return Ok(None);
    }
    if ms > i64::MAX - ctx.now as i64 {
        return Err(CmdError::err("timeout is out of range"));
    }
    Ok(Some(ctx.now + ms as u64))
}
