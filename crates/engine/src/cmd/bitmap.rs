//! Bitmaps: strings read and written bit by bit (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP) and as
//! packed integers of any width up to 64 bits (BITFIELD, BITFIELD_RO), as Redis 7.4's `bitops.c`.
//!
//! Bit 0 is the most significant bit of the first byte. A write past the end zero-pads the
//! string; how far one may reach is bounded by `proto-max-bulk-len` (every bit offset is checked
//! against it as it is parsed) and, in a browser tab, by the host's value limit before anything
//! is allocated. A string a bit command wrote is `raw`, as Redis creates and unshares it.

use super::spec;
use super::string::{check_value_limit, read_string};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::events::Event;
use crate::frame::Frame;
use crate::types::{encoding, Value};
use bytes::Bytes;

const W: &[&str] = &["write", "denyoom"];

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec("setbit", 4, W, (1, 1, 1), "bitmap", "Set or clear the bit at an offset, growing the string with zero bytes; returns the old bit.", "key offset value", setbit),
    spec("getbit", 3, &["readonly", "fast"], (1, 1, 1), "bitmap", "The bit at an offset (0 beyond the end or for a missing key).", "key offset", getbit),
    spec("bitcount", -2, &["readonly"], (1, 1, 1), "bitmap", "Count the set bits, optionally within a byte (default) or bit range.", "key [start end [BYTE | BIT]]", bitcount),
    spec("bitpos", -3, &["readonly"], (1, 1, 1), "bitmap", "Position of the first 0 or 1 bit, optionally within a byte (default) or bit range.", "key bit [start [end [BYTE | BIT]]]", bitpos),
    spec("bitop", -4, W, (2, -1, 1), "bitmap", "Combine bitmaps with AND, OR, XOR (or invert one with NOT) into a key; returns its length.", "<AND | OR | XOR | NOT> destkey key [key ...]", bitop),
    spec("bitfield", -2, W, (1, 1, 1), "bitmap", "Get, set and increment integers of any width (i1..i64, u1..u63) packed at bit offsets.", "key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]", bitfield),
    spec("bitfield_ro", -2, &["readonly", "fast"], (1, 1, 1), "bitmap", "BITFIELD with GET only (allowed on read-only replicas).", "key [GET encoding offset [GET encoding offset ...]]", bitfield_ro),
]);

fn offset_error() -> CmdError {
    CmdError::err("bit offset is not an integer or out of range")
}

/// Redis's `getBitOffsetFromArgument`: a bit offset whose byte lies below `proto-max-bulk-len`.
/// With `width` > 0 (BITFIELD) `#N` means the N-th field of that width, `N * width`; the product
/// wraps as Redis's C multiplication does before the range check.
fn bit_offset(ctx: &Ctx, arg: &[u8], width: u32) -> Result<u64, CmdError> {
    let (fields, digits) = match arg.split_first() {
        Some((b'#', rest)) if width > 0 => (true, rest),
        _ => (false, arg),
    };
    let mut offset = parse_i64(digits).ok_or_else(offset_error)?;
    if fields {
        offset = offset.wrapping_mul(i64::from(width));
    }
    if offset < 0 || (offset as u64 >> 3) >= ctx.server.config.proto_max_bulk_len {
        return Err(offset_error());
    }
    Ok(offset as u64)
}

/// The string at `key` as Redis's `lookupStringForBitCommand` leaves it for a write: created if
/// missing and zero-padded so that bit `max_bit` exists. Returns its bytes (taken out of the key
/// until [`store_bits`] puts them back) and whether the key was created or grew, which counts as
/// a change even when no bit flips.
fn open_bits(ctx: &mut Ctx, key: &[u8], max_bit: u64) -> Result<(Vec<u8>, bool), CmdError> {
    let need = usize::try_from(max_bit >> 3).unwrap_or(usize::MAX).saturating_add(1);
    let len = match ctx.peek(key).map(|e| &e.value) {
        None => None,
        Some(Value::Str(s)) => Some(s.len()),
        Some(_) => return Err(CmdError::wrong_type()),
    };
    let grows = len.is_none_or(|len| need > len);
    if grows {
        check_value_limit(ctx, need)?;
    }
    let mut buf = match ctx.write(key).map(|e| &mut e.value) {
        Some(Value::Str(s)) => Vec::from(std::mem::take(s)),
        _ => Vec::new(),
    };
    if buf.len() < need {
        if buf.try_reserve_exact(need - buf.len()).is_err() {
            // Only where no host limit is set and the machine cannot hold what Redis would allocate.
            store_bits(ctx, key, buf, 0);
            return Err(CmdError::err(format!("not enough memory for a string of {need} bytes")));
        }
        buf.resize(need, 0);
    }
    Ok((buf, grows))
}

/// Put a bit command's result back at `key` (creating it: BITFIELD creates the key even when every
/// write failed on OVERFLOW FAIL). `changes` is what Redis adds to its dirty counter; only a
/// change tells WATCHers, as `signalModifiedKey` runs only then.
fn store_bits(ctx: &mut Ctx, key: &[u8], buf: Vec<u8>, changes: u64) {
    let (db, now) = (ctx.db_index(), ctx.now);
    let key = Bytes::copy_from_slice(key);
    let value = Value::Str(Bytes::from(buf));
    let keys = &mut ctx.server.dbs[db];
    match keys.raw_get_mut(&key) {
        Some(entry) => entry.value = value,
        None => {
            keys.insert(key.clone(), value, None, now);
            crate::notify::notify(ctx.server, crate::notify::NEW, "new", db, &key);
        }
    }
    let keys = &mut ctx.server.dbs[db];
    keys.settle_encoding(&key, encoding::RAW);
    keys.refresh_memory(&key);
    ctx.server.events.emit(|| Event::Written { db, key: key.clone() });
    if changes > 0 {
        ctx.notify(crate::notify::STRING, "setbit", &key);
        ctx.server.touch(db, &key);
        ctx.server.dirty += changes - 1;
    }
}

fn setbit(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let offset = bit_offset(ctx, &args.next_bytes()?, 0)?;
    let on = parse_i64(&args.next_bytes()?)
        .filter(|b| *b == 0 || *b == 1)
        .ok_or_else(|| CmdError::err("bit is not an integer or out of range"))?;
    let (mut buf, grew) = open_bits(ctx, &key, offset)?;
    let (byte, mask) = ((offset >> 3) as usize, 0x80u8 >> (offset & 7));
    let old = buf[byte] & mask != 0;
    let changed = grew || old != (on == 1);
    if on == 1 {
        buf[byte] |= mask;
    } else {
        buf[byte] &= !mask;
    }
    store_bits(ctx, &key, buf, u64::from(changed));
    Ok(Frame::Integer(i64::from(old)))
}

fn getbit(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let offset = bit_offset(ctx, &args.next_bytes()?, 0)?;
    let s = read_string(ctx, &key)?.unwrap_or_default();
    let bit = usize::try_from(offset >> 3)
        .ok()
        .and_then(|i| s.get(i))
        .is_some_and(|b| b & (0x80 >> (offset & 7)) != 0);
    Ok(Frame::Integer(i64::from(bit)))
}

/// `BYTE` (false) or `BIT` (true), any case.
fn range_unit(arg: &[u8]) -> Result<bool, CmdError> {
    if arg.eq_ignore_ascii_case(b"bit") {
        Ok(true)
    } else if arg.eq_ignore_ascii_case(b"byte") {
        Ok(false)
    } else {
        Err(CmdError::syntax())
    }
}

/// A BITCOUNT/BITPOS range made absolute, as both commands do it: negative indexes count from the
/// end, both ends are clamped into the string, and a bit range becomes the bytes it touches plus
/// masks of the bits outside it in the first and last byte (`(first, last, first_mask, last_mask)`).
fn byte_range(len: usize, mut start: i64, mut end: i64, bits: bool) -> (i64, i64, u8, u8) {
    let total = (len as i64) << (if bits { 3 } else { 0 });
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0).min(total - 1);
    if bits && start <= end {
        let first_mask = !(0xffu8 >> (start & 7));
        let last_mask = 0x7fu8 >> (end & 7);
        (start >> 3, end >> 3, first_mask, last_mask)
    } else {
        (start, end, 0, 0)
    }
}

/// Set bits in `bytes`, a word at a time.
fn popcount(bytes: &[u8]) -> i64 {
    let words = bytes.chunks_exact(8);
    let tail: u32 = words.remainder().iter().map(|b| b.count_ones()).sum();
    let full: u64 =
        words.map(|w| u64::from(u64::from_ne_bytes(w.try_into().unwrap_or([0; 8])).count_ones())).sum();
    full as i64 + i64::from(tail)
}

fn bitcount(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let range = match args.remaining() {
        0 => None,
        2 | 3 => {
            let start = args.next_i64()?;
            let end = args.next_i64()?;
            let bits = match args.next_opt() {
                Some(unit) => range_unit(&unit)?,
                None => false,
            };
            Some((start, end, bits))
        }
        _ => return Err(CmdError::syntax()),
    };
    let Some(s) = read_string(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    let (start, end, first_mask, last_mask) = match range {
        Some((start, end, _)) if start < 0 && end < 0 && start > end => return Ok(Frame::Integer(0)),
        Some((start, end, bits)) => byte_range(s.len(), start, end, bits),
        None => (0, s.len() as i64 - 1, 0, 0),
    };
    if start > end {
        return Ok(Frame::Integer(0));
    }
    let (start, end) = (start as usize, end as usize);
    let outside = (s[start] & first_mask).count_ones() + (s[end] & last_mask).count_ones();
    Ok(Frame::Integer(popcount(&s[start..=end]) - i64::from(outside)))
}

/// Redis's `redisBitpos`: the first `bit` in `bytes`; for 1 none is -1, for 0 the string counts as
/// zero-padded on the right, so none is the bit just past the end.
fn first_bit(bytes: &[u8], bit: bool) -> i64 {
    let skip = if bit { 0 } else { 0xff };
    match bytes.iter().position(|&b| b != skip) {
        Some(i) => {
            let b = if bit { bytes[i] } else { !bytes[i] };
            (i as i64) * 8 + i64::from(b.leading_zeros())
        }
        None if bit => -1,
        None => bytes.len() as i64 * 8,
    }
}

fn bitpos(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let bit = parse_i64(&args.next_bytes()?).ok_or_else(CmdError::not_integer)?;
    if bit != 0 && bit != 1 {
        return Err(CmdError::err("The bit argument must be 1 or 0."));
    }
    let bit = bit == 1;
    let rest = args.rest();
    if rest.len() > 3 {
        return Err(CmdError::syntax());
    }
    // Redis reads start, then the unit, then end.
    let start = match rest.first() {
        Some(raw) => Some(parse_i64(raw).ok_or_else(CmdError::not_integer)?),
        None => None,
    };
    let bits = match rest.get(2) {
        Some(unit) => range_unit(unit)?,
        None => false,
    };
    let end_arg = match rest.get(1) {
        Some(raw) => Some(parse_i64(raw).ok_or_else(CmdError::not_integer)?),
        None => None,
    };
    let Some(s) = read_string(ctx, &key)? else { return Ok(Frame::Integer(if bit { -1 } else { 0 })) };
    let len = s.len() as i64;
    let (mut start, end, first_mask, last_mask) = match start {
        Some(start) => byte_range(s.len(), start, end_arg.unwrap_or(len - 1), bits),
        None => (0, len - 1, 0, 0),
    };
    if start > end {
        return Ok(Frame::Integer(-1));
    }
    // As Redis: the first and last byte of a bit range are searched masked, the bytes between
    // whole; each step stops early when it found the bit.
    let mut bytes = end - start + 1;
    let pos = 'found: {
        if first_mask != 0 {
            let mut byte = s[start as usize];
            byte = if bit { byte & !first_mask } else { byte | first_mask };
            if last_mask != 0 && bytes == 1 {
                byte = if bit { byte & !last_mask } else { byte | last_mask };
            }
            let pos = first_bit(&[byte], bit);
            if bytes == 1 || (pos != -1 && pos != 8) {
                break 'found pos;
            }
            start += 1;
            bytes -= 1;
        }
        let middle = bytes - i64::from(last_mask != 0);
        if middle > 0 {
            let pos = first_bit(&s[start as usize..(start + middle) as usize], bit);
            if bytes == middle || (pos != -1 && pos != middle << 3) {
                break 'found pos;
            }
            start += middle;
            bytes -= middle;
        }
        let last = s[end as usize];
        first_bit(&[if bit { last & !last_mask } else { last | last_mask }], bit)
    };
    // With an explicit end, the bits past it are not zero padding: no clear bit in range is -1.
    if end_arg.is_some() && !bit && pos == bytes << 3 {
        return Ok(Frame::Integer(-1));
    }
    Ok(Frame::Integer(if pos == -1 { -1 } else { pos + (start << 3) }))
}

fn bitop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    #[derive(PartialEq, Clone, Copy)]
    enum Op {
        And,
        Or,
        Xor,
        Not,
    }
    let name = args.next_bytes()?;
    let op = [(Op::And, "and"), (Op::Or, "or"), (Op::Xor, "xor"), (Op::Not, "not")]
        .into_iter()
        .find(|(_, n)| name.eq_ignore_ascii_case(n.as_bytes()))
        .map(|(op, _)| op)
        .ok_or_else(CmdError::syntax)?;
    let dest = args.next_bytes()?;
    let keys = args.rest();
    if op == Op::Not && keys.len() != 1 {
        return Err(CmdError::err("BITOP NOT must be called with a single source key."));
    }
    // Missing keys are empty strings (all zero bits); the first non-string stops the command.
    let mut sources = Vec::with_capacity(keys.len());
    for key in &keys {
        sources.push(read_string(ctx, key)?.unwrap_or_default());
    }
    let len = sources.iter().map(Bytes::len).max().unwrap_or(0);
    if len == 0 {
        if ctx.delete(&dest) {
            ctx.notify(crate::notify::GENERIC, "del", &dest);
        }
        return Ok(Frame::Integer(0));
    }
    let mut out = vec![0u8; len];
    out[..sources[0].len()].copy_from_slice(&sources[0]);
    if op == Op::Not {
        out.iter_mut().for_each(|b| *b = !*b);
    }
    for src in &sources[1..] {
        let pairs = out.iter_mut().zip(src.iter());
        match op {
            Op::And => {
                pairs.for_each(|(o, b)| *o &= b);
                out[src.len()..].fill(0);
            }
            Op::Or => pairs.for_each(|(o, b)| *o |= b),
            Op::Xor => pairs.for_each(|(o, b)| *o ^= b),
            Op::Not => {}
        }
    }
    ctx.set_encoded(dest.clone(), Value::Str(Bytes::from(out)), None, encoding::RAW);
    ctx.notify(crate::notify::STRING, "set", &dest);
    Ok(Frame::Integer(len as i64))
}

/// What BITFIELD does when a SET or INCRBY does not fit its type.
#[derive(Clone, Copy, PartialEq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Copy)]
enum FieldOp {
    Get,
    Set(i64),
    IncrBy(i64),
}

/// One BITFIELD operation: a field of `width` bits at bit `offset`.
struct Field {
    op: FieldOp,
    offset: u64,
    width: u32,
    signed: bool,
    overflow: Overflow,
}

/// Redis's `getBitfieldTypeFromArgument`: `i1`..`i64` or `u1`..`u63` (lowercase `i`/`u`).
fn field_type(arg: &[u8]) -> Result<(bool, u32), CmdError> {
    let width = |digits: &[u8]| parse_i64(digits).unwrap_or(0);
    let parsed = match arg.split_first() {
        Some((b'i', digits)) => Some((true, width(digits))).filter(|(_, w)| (1..=64).contains(w)),
        Some((b'u', digits)) => Some((false, width(digits))).filter(|(_, w)| (1..=63).contains(w)),
        _ => None,
    };
    parsed.map(|(signed, w)| (signed, w as u32)).ok_or_else(|| {
        CmdError::err(
            "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
        )
    })
}

/// Every operation of a BITFIELD call, checked before any runs (an error runs none).
fn parse_fields(ctx: &Ctx, args: &mut Args) -> Result<Vec<Field>, CmdError> {
    let mut fields = Vec::new();
    let mut overflow = Overflow::Wrap;
    while let Some(sub) = args.next_opt() {
        let left = args.remaining();
        let is = |name: &str| sub.eq_ignore_ascii_case(name.as_bytes());
        let takes_value = if is("get") && left >= 2 {
            false
        } else if (is("set") || is("incrby")) && left >= 3 {
            true
        } else if is("overflow") && left >= 1 {
            let kind = args.next_bytes()?;
            let is = |name: &str| kind.eq_ignore_ascii_case(name.as_bytes());
            overflow = if is("wrap") {
                Overflow::Wrap
            } else if is("sat") {
                Overflow::Sat
            } else if is("fail") {
                Overflow::Fail
            } else {
                return Err(CmdError::err("Invalid OVERFLOW type specified"));
            };
            continue;
        } else {
            return Err(CmdError::syntax());
        };
        let (signed, width) = field_type(&args.next_bytes()?)?;
        let offset = bit_offset(ctx, &args.next_bytes()?, width)?;
        let op = match takes_value {
            false => FieldOp::Get,
            true if is("set") => FieldOp::Set(args.next_i64()?),
            true => FieldOp::IncrBy(args.next_i64()?),
        };
        fields.push(Field { op, offset, width, signed, overflow });
    }
    Ok(fields)
}

/// The unsigned field of `width` bits at bit `offset`; bits past the end read as 0.
fn get_field(bytes: &[u8], offset: u64, width: u32) -> u64 {
    (offset..offset + u64::from(width)).fold(0, |value, bit| {
        let byte = usize::try_from(bit >> 3).ok().and_then(|i| bytes.get(i)).copied().unwrap_or(0);
        (value << 1) | u64::from((byte >> (7 - (bit & 7))) & 1)
    })
}

/// Store the low `width` bits of `value` at bit `offset` (the string is long enough).
fn set_field(bytes: &mut [u8], offset: u64, width: u32, value: u64) {
    for j in 0..u64::from(width) {
        let bit = offset + j;
        let mask = 0x80u8 >> (bit & 7);
        if let Some(byte) = bytes.get_mut((bit >> 3) as usize) {
            if value >> (u64::from(width) - 1 - j) & 1 == 1 {
                *byte |= mask;
            } else {
                *byte &= !mask;
            }
        }
    }
}

/// Sign-extend the low `width` bits of `raw`.
fn sign_extend(raw: u64, width: u32) -> i64 {
    let shift = 64 - width;
    ((raw << shift) as i64) >> shift
}

/// Redis's `checkUnsignedBitfieldOverflow`: `None` if `value + incr` fits `width` bits, else the
/// value to store under `how` (`None` inside for FAIL).
fn unsigned_overflow(value: u64, incr: i64, width: u32, how: Overflow) -> Option<Option<u64>> {
    let max = (1u64 << width) - 1;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = value.wrapping_neg() as i64;
    let up = value > max || (incr > 0 && incr > max_incr);
    let down = incr < 0 && incr < min_incr;
    if !up && !down {
        return None;
    }
    Some(match how {
        Overflow::Wrap => Some(value.wrapping_add(incr as u64) & max),
        Overflow::Sat => Some(if up { max } else { 0 }),
        Overflow::Fail => None,
    })
}

/// Redis's `checkSignedBitfieldOverflow`, as [`unsigned_overflow`] for signed fields.
fn signed_overflow(value: i64, incr: i64, width: u32, how: Overflow) -> Option<Option<i64>> {
    let max = if width == 64 { i64::MAX } else { (1i64 << (width - 1)) - 1 };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let narrow = width != 64;
    let up = value > max || (narrow && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr);
    let down = value < min || (narrow && incr < min_incr) || (value < 0 && incr < 0 && incr < min_incr);
    if !up && !down {
        return None;
    }
    Some(match how {
        Overflow::Wrap => Some(sign_extend((value as u64).wrapping_add(incr as u64), width)),
        Overflow::Sat => Some(if up { max } else { min }),
        Overflow::Fail => None,
    })
}

/// Run one SET or INCRBY on `bytes`: the reply (old value for SET, new for INCRBY, nil when
/// OVERFLOW FAIL refused it) and whether the field changed.
fn write_field(bytes: &mut [u8], f: &Field) -> (Frame, bool) {
    let raw = get_field(bytes, f.offset, f.width);
    // SET checks its value alone; INCRBY the sum of the field and the increment.
    let (set, incr) = match f.op {
        FieldOp::Set(v) => (Some(v), 0),
        FieldOp::IncrBy(by) => (None, by),
        FieldOp::Get => (None, 0),
    };
    let (old, new) = if f.signed {
        let old = sign_extend(raw, f.width);
        let base = set.unwrap_or(old);
        match signed_overflow(base, incr, f.width, f.overflow) {
            Some(None) => return (Frame::Null, false),
            Some(Some(limit)) => (old, limit),
            None => (old, base.wrapping_add(incr)),
        }
    } else {
        let base = set.map_or(raw, |v| v as u64);
        match unsigned_overflow(base, incr, f.width, f.overflow) {
            Some(None) => return (Frame::Null, false),
            Some(Some(limit)) => (raw as i64, limit as i64),
            None => (raw as i64, base.wrapping_add(incr as u64) as i64),
        }
    };
    set_field(bytes, f.offset, f.width, new as u64);
    let reply = if matches!(f.op, FieldOp::IncrBy(_)) { new } else { old };
    (Frame::Integer(reply), old != new)
}

/// The value of a GET field.
fn read_field(bytes: &[u8], f: &Field) -> Frame {
    let raw = get_field(bytes, f.offset, f.width);
    Frame::Integer(if f.signed { sign_extend(raw, f.width) } else { raw as i64 })
}

fn bitfield_generic(ctx: &mut Ctx, args: &mut Args, read_only: bool) -> CmdResult {
    let key = args.next_bytes()?;
    let fields = parse_fields(ctx, args)?;
    let highest = fields
        .iter()
        .filter(|f| !matches!(f.op, FieldOp::Get))
        .map(|f| f.offset + u64::from(f.width) - 1)
        .max();
    let Some(highest) = highest else {
        let s = read_string(ctx, &key)?.unwrap_or_default();
        return Ok(Frame::Array(fields.iter().map(|f| read_field(&s, f)).collect()));
    };
    if read_only {
        return Err(CmdError::err("BITFIELD_RO only supports the GET subcommand"));
    }
    let (mut buf, grew) = open_bits(ctx, &key, highest)?;
    let mut changes = 0;
    let mut replies = Vec::with_capacity(fields.len());
    for f in &fields {
        if matches!(f.op, FieldOp::Get) {
            replies.push(read_field(&buf, f));
        } else {
            let (reply, changed) = write_field(&mut buf, f);
            // A failed write changes nothing; any other counts once the key was created or grew.
            if changed || (grew && reply != Frame::Null) {
                changes += 1;
            }
            replies.push(reply);
        }
    }
    store_bits(ctx, &key, buf, changes);
    Ok(Frame::Array(replies))
}

fn bitfield(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    bitfield_generic(ctx, args, false)
}

fn bitfield_ro(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    bitfield_generic(ctx, args, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_across_byte_boundaries() {
        let mut bytes = [0u8; 3];
        set_field(&mut bytes, 7, 5, 23);
        assert_eq!(bytes, [0b0000_0001, 0b0111_0000, 0]);
        assert_eq!(get_field(&bytes, 7, 5), 23);
        assert_eq!(get_field(&bytes, 20, 8), 0, "past the end reads zeros");
        assert_eq!(sign_extend(0b11111, 5), -1);
        assert_eq!(sign_extend(u64::MAX, 64), -1);
    }

    #[test]
    fn overflow_as_redis_computes_it() {
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Wrap), Some(Some(4)));
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Sat), Some(Some(255)));
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Sat), Some(Some(0)));
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Fail), Some(None));
        assert_eq!(unsigned_overflow(5, 10, 8, Overflow::Fail), None);
        assert_eq!(signed_overflow(120, 10, 8, Overflow::Wrap), Some(Some(-126)));
        assert_eq!(signed_overflow(-120, -10, 8, Overflow::Sat), Some(Some(-128)));
        assert_eq!(signed_overflow(i64::MAX, 1, 64, Overflow::Wrap), Some(Some(i64::MIN)));
        assert_eq!(signed_overflow(-1, i64::MIN, 64, Overflow::Sat), Some(Some(i64::MIN)));
        assert_eq!(signed_overflow(-1, i64::MIN + 1, 64, Overflow::Sat), None);
    }

    #[test]
    fn first_bit_pads_with_zeros() {
        assert_eq!(first_bit(&[0xff, 0xf0], false), 12);
        assert_eq!(first_bit(&[0xff], false), 8);
        assert_eq!(first_bit(&[0, 0], true), -1);
        assert_eq!(first_bit(&[0, 0x10], true), 11);
        assert_eq!(popcount(&[0xff; 19]), 152);
    }
}
