//! OBJECT ENCODING / FREQ / IDLETIME / REFCOUNT / HELP.
//!
//! The engine stores values one way per type, so the encoding Redis 7.4 would report is derived
//! from the value's contents with Redis's default thresholds (`hash-max-listpack-entries 128`,
//! `*-max-listpack-value 64`, `set-max-intset-entries 512`, `list-max-listpack-size -2`, i.e.
//! 8 KB, and 44 bytes for embedded strings).

use super::keys::read_notouch;
use super::CommandSpec;
use crate::args::{parse_i64, Args};
use crate::config::EvictionPolicy;
use crate::ctx::{lfu_decayed, Ctx};
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::Value;

macro_rules! sub {
    ($name:literal, $arity:expr, $flags:expr, $keys:expr, $summary:literal, $syntax:literal, $run:expr) => {
        CommandSpec {
            name: $name,
            arity: $arity,
            flags: $flags,
            keys: $keys,
            group: "generic",
            summary: $summary,
            syntax: $syntax,
            run: $run,
            subcommands: &[],
        }
    };
}

pub const SUBCOMMANDS: &[CommandSpec] = &[
    sub!(
        "encoding",
        3,
        &["readonly"],
        (2, 2, 1),
        "How the value at a key is stored internally.",
        "key",
        encoding
    ),
    sub!(
        "freq",
        3,
        &["readonly"],
        (2, 2, 1),
        "The logarithmic access counter of a key (LFU policies only).",
        "key",
        freq
    ),
    sub!(
        "idletime",
        3,
        &["readonly"],
        (2, 2, 1),
        "Seconds since a key was last read or written (not under LFU policies).",
        "key",
        idletime
    ),
    sub!(
        "refcount",
        3,
        &["readonly"],
        (2, 2, 1),
        "How many references the value at a key has.",
        "key",
        refcount
    ),
    sub!("help", 2, &["loading", "stale"], (0, 0, 0), "Show what OBJECT can do.", "", help),
];

/// Redis's OBJ_SHARED_INTEGERS: 0..10000 are shared objects (refcount INT_MAX) when allowed.
const SHARED_INTEGERS: i64 = 10_000;
/// Strings up to this many bytes are embedded in their object header (`embstr`).
const EMBSTR_MAX: usize = 44;
const LISTPACK_MAX_ENTRIES: usize = 128;
const LISTPACK_MAX_VALUE: usize = 64;
const INTSET_MAX_ENTRIES: usize = 512;
/// `list-max-listpack-size -2`: a list is one listpack while it stays within 8 KB.
const LIST_LISTPACK_MAX_BYTES: usize = 8 * 1024;

/// The encoding name Redis 7.4 reports for `value`.
pub fn encoding_name(value: &Value) -> &'static str {
    match value {
        Value::Str(s) => {
            if s.len() <= 20 && parse_i64(s).is_some() {
                "int"
            } else if s.len() <= EMBSTR_MAX {
                "embstr"
            } else {
                "raw"
            }
        }
        Value::List(items) => {
            let bytes: usize = 7 + items.iter().map(|v| listpack_entry_bytes(v)).sum::<usize>();
            if bytes <= LIST_LISTPACK_MAX_BYTES {
                "listpack"
            } else {
                "quicklist"
            }
        }
        Value::Hash(h) => {
            let small = h.len() <= LISTPACK_MAX_ENTRIES
                && h.iter().all(|(k, v)| k.len() <= LISTPACK_MAX_VALUE && v.len() <= LISTPACK_MAX_VALUE);
            if small {
                "listpack"
            } else {
                "hashtable"
            }
        }
        Value::Set(s) => {
            if s.len() <= INTSET_MAX_ENTRIES && s.iter().all(|m| parse_i64(m).is_some()) {
                "intset"
            } else if s.len() <= LISTPACK_MAX_ENTRIES && s.iter().all(|m| m.len() <= LISTPACK_MAX_VALUE) {
                "listpack"
            } else {
                "hashtable"
            }
        }
        Value::ZSet(z) => {
            if z.len() <= LISTPACK_MAX_ENTRIES && z.iter().all(|(m, _)| m.len() <= LISTPACK_MAX_VALUE) {
                "listpack"
            } else {
                "skiplist"
            }
        }
    }
}

/// Bytes one element takes in a listpack: encoding header + data + back-length.
fn listpack_entry_bytes(v: &[u8]) -> usize {
    let body = match parse_i64(v) {
        Some(i) if (0..=127).contains(&i) => 1,
        Some(i) if (-4096..4096).contains(&i) => 2,
        Some(i) if i16::try_from(i).is_ok() => 3,
        Some(i) if (-(1 << 23)..(1 << 23)).contains(&i) => 4,
        Some(i) if i32::try_from(i).is_ok() => 5,
        Some(_) => 9,
        None if v.len() <= 63 => 1 + v.len(),
        None if v.len() <= 4095 => 2 + v.len(),
        None => 5 + v.len(),
    };
    let backlen = match body {
        0..=127 => 1,
        128..=16_382 => 2,
        16_383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    };
    body + backlen
}

/// Integers 0..10000 share one object unless an LRU/LFU maxmemory policy needs per-key data.
fn shares_integers(ctx: &Ctx) -> bool {
    let policy = ctx.server.config.policy;
    let per_key_access = matches!(
        policy,
        EvictionPolicy::AllKeysLru
            | EvictionPolicy::VolatileLru
            | EvictionPolicy::AllKeysLfu
            | EvictionPolicy::VolatileLfu
    );
    ctx.server.config.maxmemory == 0 || !per_key_access
}

fn encoding(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(read_notouch(ctx, &key).map_or(Frame::Null, |e| Frame::bulk(encoding_name(&e.value))))
}

fn refcount(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let shared = shares_integers(ctx);
    let Some(entry) = read_notouch(ctx, &key) else { return Ok(Frame::Null) };
    let is_shared = match &entry.value {
        Value::Str(s) => {
            shared && s.len() <= 20 && parse_i64(s).is_some_and(|i| (0..SHARED_INTEGERS).contains(&i))
        }
        _ => false,
    };
    Ok(Frame::Integer(if is_shared { i64::from(i32::MAX) } else { 1 }))
}

const POLICY_NOTE: &str =
    "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

fn freq(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let (now, decay, lfu) = (ctx.now, ctx.server.config.lfu_decay_time, ctx.server.config.policy.is_lfu());
    let Some(entry) = read_notouch(ctx, &key) else { return Ok(Frame::Null) };
    if !lfu {
        return Err(CmdError::err(format!(
            "An LFU maxmemory policy is not selected, access frequency not tracked. {POLICY_NOTE}"
        )));
    }
    Ok(Frame::Integer(i64::from(lfu_decayed(&entry.access, now, decay))))
}

fn idletime(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let (now, lfu) = (ctx.now, ctx.server.config.policy.is_lfu());
    let Some(entry) = read_notouch(ctx, &key) else { return Ok(Frame::Null) };
    if lfu {
        return Err(CmdError::err(format!(
            "An LFU maxmemory policy is selected, idle time not tracked. {POLICY_NOTE}"
        )));
    }
    // Redis's LRU clock ticks in whole seconds.
    Ok(Frame::Integer((now / 1000).saturating_sub(entry.access.last_ms / 1000) as i64))
}

fn help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    const LINES: &[&str] = &[
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Print this help.",
    ];
    Ok(Frame::Array(LINES.iter().map(|l| Frame::Simple((*l).into())).collect()))
}
