//! Generic key commands: existence, deletion, renaming, expiry, scanning, OBJECT.

use super::{spec, CommandSpec};
use crate::args::{lower, Args};
use crate::ctx::{lfu_decayed, Ctx};
use crate::error::{CmdError, CmdResult};
use crate::events::Event;
use crate::frame::Frame;
use crate::glob::glob_match;
use crate::notify::GENERIC;
use crate::types::Value;
use bytes::Bytes;

const RF: &[&str] = &["readonly", "fast"];
const WF: &[&str] = &["write", "fast"];

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "del",
        -2,
        &["write"],
        (1, -1, 1),
        "generic",
        "Delete keys; returns how many existed.",
        "key [key ...]",
        del,
    ),
    spec(
        "unlink",
        -2,
        WF,
        (1, -1, 1),
        "generic",
        "Delete keys, freeing memory in the background in Redis; returns how many existed.",
        "key [key ...]",
        unlink,
    ),
    spec(
        "exists",
        -2,
        RF,
        (1, -1, 1),
        "generic",
        "Count how many of the keys exist (a key named twice counts twice).",
        "key [key ...]",
        exists,
    ),
    spec(
        "type",
        2,
        RF,
        (1, 1, 1),
        "generic",
        "The type of the value at a key: string, list, set, zset, hash, or none.",
        "key",
        type_of,
    ),
    spec(
        "rename",
        3,
        &["write"],
        (1, 2, 1),
        "generic",
        "Rename a key, replacing the destination; the TTL moves along.",
        "key newkey",
        rename,
    ),
    spec(
        "renamenx",
        3,
        WF,
        (1, 2, 1),
        "generic",
        "Rename a key only if the new name is free.",
        "key newkey",
        renamenx,
    ),
    crate::cmd::lazy_one(COPY),
    spec(
        "keys",
        2,
        &["readonly"],
        (0, 0, 0),
        "generic",
        "All keys matching a glob pattern. Blocks a real server on big keyspaces: prefer SCAN.",
        "pattern",
        keys,
    ),
    spec(
        "scan",
        -2,
        &["readonly"],
        (0, 0, 0),
        "generic",
        "Iterate the keyspace a few keys at a time with a cursor.",
        "cursor [MATCH pattern] [COUNT count] [TYPE type]",
        scan,
    ),
    spec(
        "randomkey",
        1,
        &["readonly"],
        (0, 0, 0),
        "generic",
        "A random key, or nil when the database is empty.",
        "",
        randomkey,
    ),
    spec(
        "expire",
        -3,
        WF,
        (1, 1, 1),
        "generic",
        "Set a key's time to live in seconds.",
        "key seconds [NX | XX | GT | LT]",
        expire,
    ),
    spec(
        "pexpire",
        -3,
        WF,
        (1, 1, 1),
        "generic",
        "Set a key's time to live in milliseconds.",
        "key milliseconds [NX | XX | GT | LT]",
        pexpire,
    ),
    spec(
        "expireat",
        -3,
        WF,
        (1, 1, 1),
        "generic",
        "Expire a key at a Unix time in seconds.",
        "key unix-time-seconds [NX | XX | GT | LT]",
        expireat,
    ),
    spec(
        "pexpireat",
        -3,
        WF,
        (1, 1, 1),
        "generic",
        "Expire a key at a Unix time in milliseconds.",
        "key unix-time-milliseconds [NX | XX | GT | LT]",
        pexpireat,
    ),
    spec(
        "ttl",
        2,
        RF,
        (1, 1, 1),
        "generic",
        "Seconds left to live: -1 without expiry, -2 when the key does not exist.",
        "key",
        ttl,
    ),
    spec(
        "pttl",
        2,
        RF,
        (1, 1, 1),
        "generic",
        "Milliseconds left to live: -1 without expiry, -2 when the key does not exist.",
        "key",
        pttl,
    ),
    spec(
        "expiretime",
        2,
        RF,
        (1, 1, 1),
        "generic",
        "The Unix time in seconds when the key expires (-1 none, -2 no key).",
        "key",
        expiretime,
    ),
    spec(
        "pexpiretime",
        2,
        RF,
        (1, 1, 1),
        "generic",
        "The Unix time in milliseconds when the key expires (-1 none, -2 no key).",
        "key",
        pexpiretime,
    ),
    spec("persist", 2, WF, (1, 1, 1), "generic", "Remove a key's expiry; 1 if it had one.", "key", persist),
    spec(
        "touch",
        -2,
        RF,
        (1, -1, 1),
        "generic",
        "Count existing keys, marking them as just used (for LRU/LFU).",
        "key [key ...]",
        touch,
    ),
    CommandSpec {
        name: "object",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "generic",
        summary: "Inspect how Redis stores a key: encoding, idle time, access frequency.",
        syntax: "subcommand [arguments]",
        run: super::container,
        subcommands: &[
            spec(
                "encoding",
                3,
                &["readonly"],
                (2, 2, 1),
                "generic",
                "The internal encoding of a value (embstr, listpack, skiplist, ...).",
                "key",
                object_encoding,
            ),
            spec(
                "freq",
                3,
                &["readonly"],
                (2, 2, 1),
                "generic",
                "The LFU access counter of a key (LFU policies only).",
                "key",
                object_freq,
            ),
            spec(
                "idletime",
                3,
                &["readonly"],
                (2, 2, 1),
                "generic",
                "Seconds since a key was last read or written (not under LFU policies).",
                "key",
                object_idletime,
            ),
            spec(
                "refcount",
                3,
                &["readonly"],
                (2, 2, 1),
                "generic",
                "References to a key's value (shared small integers report a huge count).",
                "key",
                object_refcount,
            ),
            spec(
                "help",
                2,
                &["loading", "stale"],
                (0, 0, 0),
                "generic",
                "What OBJECT can do.",
                "",
                object_help,
            ),
        ],
    },
];

/// COPY: their handlers come with the rare group (see [`crate::cmd::lazy_one`]).
pub(crate) const FULL: &[CommandSpec] = &[COPY];

const COPY: CommandSpec = spec(
    "copy",
    -3,
    &["write", "denyoom"],
    (1, 2, 1),
    "generic",
    "Copy a value (and its TTL) to another key, optionally in another database.",
    "source destination [DB destination-db] [REPLACE]",
    copy,
);

fn del(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let lazy = ctx.server.config.is_on("lazyfree-lazy-user-del");
    delete_keys(ctx, args, lazy)
}

/// UNLINK: DEL that always frees in the background in Redis (see `lazyfree.rs`).
fn unlink(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    delete_keys(ctx, args, true)
}

fn delete_keys(ctx: &mut Ctx, args: &mut Args, lazy: bool) -> CmdResult {
    let mut deleted = 0;
    for key in args.rest() {
        if ctx.delete_freeing(&key, lazy) {
            ctx.notify(GENERIC, "del", &key);
            deleted += 1;
        }
    }
    Ok(Frame::Integer(deleted as i64))
}

fn exists(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let found = args.rest().iter().filter(|key| ctx.read_no_touch(key).is_some()).count();
    Ok(Frame::Integer(found as i64))
}

fn type_of(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let name = ctx.read_no_touch(&key).map_or("none", |e| e.value.type_name());
    Ok(Frame::Simple(name.into()))
}

/// RENAME and RENAMENX: Redis's `renameGenericCommand`.
fn rename_generic(ctx: &mut Ctx, args: &mut Args, nx: bool) -> CmdResult {
    let from = args.next_bytes()?;
    let to = args.next_bytes()?;
    let Some(entry) = ctx.write(&from) else { return Err(CmdError::no_such_key()) };
    let (value, expires_at, floor) = (entry.value.clone(), entry.expires_at, entry.encoding_floor);
    let field_ttls = entry.field_ttls.clone();
    let registered = ctx.db().field_ttls_registered(&from);
    if from == to {
        return Ok(if nx { Frame::Integer(0) } else { Frame::ok() });
    }
    if ctx.write(&to).is_some() {
        if nx {
            return Ok(Frame::Integer(0));
        }
        ctx.delete(&to);
    }
    // The object moves as it is: its encoding history with it.
    ctx.set_encoded(to.clone(), value, expires_at, floor);
    ctx.db().set_field_ttls(&to, field_ttls, registered);
    ctx.delete(&from);
    ctx.notify(GENERIC, "rename_from", &from);
    ctx.notify(GENERIC, "rename_to", &to);
    module_reads_key(ctx, &to);
    Ok(if nx { Frame::Integer(1) } else { Frame::ok() })
}

/// RediSearch's keyspace-event handler reads the key a RENAME or COPY created, always in database
/// 0 (its own context's): Redis counts that read as a keyspace hit, or a miss when no such key is
/// in database 0. The oracle's INFO stats show it, so the engine's do too.
pub(crate) fn module_reads_key(ctx: &mut Ctx, key: &[u8]) {
    let now = ctx.now;
    let found = ctx
        .server
        .dbs
        .first()
        .and_then(|db| db.raw_get(key))
        .is_some_and(|e| e.expires_at.is_none_or(|t| t > now));
    if found {
        ctx.server.stats.keyspace_hits += 1;
    } else {
        ctx.server.stats.keyspace_misses += 1;
    }
}

fn rename(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    rename_generic(ctx, args, false)
}

fn renamenx(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    rename_generic(ctx, args, true)
}

fn copy(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let from = args.next_bytes()?;
    let to = args.next_bytes()?;
    let src_db = ctx.db_index();
    let mut dst_db = src_db;
    let mut replace = false;
    while let Some(opt) = args.next_opt() {
        if opt.eq_ignore_ascii_case(b"REPLACE") {
            replace = true;
        } else if opt.eq_ignore_ascii_case(b"DB") && !args.is_empty() {
            let id = args.next_i64()?;
            if id < 0 || id as usize >= ctx.server.dbs.len() {
                return Err(CmdError::err("DB index is out of range"));
            }
            dst_db = id as usize;
        } else {
            return Err(CmdError::syntax());
        }
    }
    if src_db == dst_db && from == to {
        return Err(CmdError::err("source and destination objects are the same"));
    }
    let Some(value) = ctx.read(&from).cloned() else { return Ok(Frame::Integer(0)) };
    let (expires_at, floor, field_ttls) = ctx
        .db()
        .raw_get(&from)
        .map_or((None, 0, None), |e| (e.expires_at, e.encoding_floor, e.field_ttls.clone()));
    let registered = ctx.db().field_ttls_registered(&from);
    ctx.expire_if_needed_in(dst_db, &to);
    if ctx.server.dbs[dst_db].raw_get(&to).is_some() {
        if !replace {
            return Ok(Frame::Integer(0));
        }
        ctx.server.dbs[dst_db].remove(&to);
    }
    ctx.server.dbs[dst_db].insert(to.clone(), value, expires_at, ctx.now);
    // Redis duplicates the object in its own encoding.
    ctx.server.dbs[dst_db].settle_encoding(&to, floor);
    ctx.server.dbs[dst_db].set_field_ttls(&to, field_ttls, registered);
    crate::notify::notify(ctx.server, crate::notify::NEW, "new", dst_db, &to);
    crate::notify::notify(ctx.server, GENERIC, "copy_to", dst_db, &to);
    module_reads_key(ctx, &to);
    ctx.server.events.emit(|| Event::Written { db: dst_db, key: to.clone() });
    ctx.server.touch(dst_db, &to);
    Ok(Frame::Integer(1))
}

fn keys(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let pattern = args.next_bytes()?;
    let now = ctx.now;
    let db = ctx.db();
    let all_keys = pattern.as_ref() == b"*";
    let found: Vec<Frame> = db
        .iter()
        .filter(|(k, e)| e.expires_at.is_none_or(|t| t > now) && (all_keys || glob_match(&pattern, k)))
        .map(|(k, _)| Frame::Bulk(k.clone()))
        .collect();
    Ok(Frame::Array(found))
}

/// MATCH / COUNT / TYPE options of the SCAN family, as Redis's `scanGenericCommand` reads them.
pub struct ScanOptions {
    pub pattern: Option<Bytes>,
    pub count: usize,
    pub type_name: Option<String>,
}

/// Parse a SCAN cursor (`ERR invalid cursor` unless an unsigned integer).
pub fn parse_cursor(raw: &[u8]) -> Result<u64, CmdError> {
    std::str::from_utf8(raw)
        .ok()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| CmdError::err("invalid cursor"))
}

/// Parse `[MATCH p] [COUNT n] [TYPE t]` (TYPE only where `allow_type`).
pub fn parse_scan_options(args: &mut Args, allow_type: bool) -> Result<ScanOptions, CmdError> {
    let mut opts = ScanOptions { pattern: None, count: 10, type_name: None };
    while let Some(opt) = args.next_opt() {
        if args.is_empty() {
            return Err(CmdError::syntax());
        }
        if opt.eq_ignore_ascii_case(b"COUNT") {
            let count = args.next_i64()?;
            if count < 1 {
                return Err(CmdError::syntax());
            }
            opts.count = count as usize;
        } else if opt.eq_ignore_ascii_case(b"MATCH") {
            // Exactly `*` matches everything, so Redis drops the filter (which matters: the
            // matcher itself never matches an empty name).
            let pattern = args.next_bytes()?;
            opts.pattern = (pattern.as_ref() != b"*").then_some(pattern);
        } else if allow_type && opt.eq_ignore_ascii_case(b"TYPE") {
            opts.type_name = Some(lower(&args.next_bytes()?));
        } else {
            return Err(CmdError::syntax());
        }
    }
    Ok(opts)
}

fn scan(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let cursor = parse_cursor(&args.next_bytes()?)?;
    let opts = parse_scan_options(args, true)?;
    let (batch, next) = ctx.db().scan_ids(cursor, opts.count);
    let mut keys = Vec::new();
    for key in batch {
        if !opts.pattern.as_ref().is_none_or(|p| glob_match(p, &key)) {
            continue;
        }
        // A key that matches and is past its deadline is deleted on the way (Redis's
        // `expireIfNeeded` in scanGenericCommand), as a lookup would: SCAN is lazy expiry too.
        if ctx.expire_if_needed(&key) {
            continue;
        }
        let Some(e) = ctx.db().raw_get(&key) else { continue };
        if opts.type_name.as_deref().is_none_or(|t| e.value.type_name().eq_ignore_ascii_case(t)) {
            keys.push(Frame::Bulk(key));
        }
    }
    Ok(Frame::Array(vec![Frame::bulk(next.to_string()), Frame::Array(keys)]))
}

fn randomkey(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    // Draw until a live key comes up (expired ones are removed on the way), as Redis does.
    for _ in 0..100 {
        let draw = ctx.server.random();
        let Some(key) = ctx.db().random_key(draw).cloned() else { return Ok(Frame::Null) };
        if !ctx.expire_if_needed(&key) {
            return Ok(Frame::Bulk(key));
        }
    }
    Ok(Frame::Null)
}

/// EXPIRE and friends: Redis's `expireGenericCommand`.
fn expire_generic(ctx: &mut Ctx, args: &mut Args, seconds: bool, absolute: bool, name: &str) -> CmdResult {
    let key = args.next_bytes()?;
    let raw = args.next_bytes()?;
    let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
    while let Some(opt) = args.next_opt() {
        match lower(&opt).as_str() {
            "nx" => nx = true,
            "xx" => xx = true,
            "gt" => gt = true,
            "lt" => lt = true,
            _ => return Err(CmdError::err(format!("Unsupported option {}", String::from_utf8_lossy(&opt)))),
        }
    }
    if nx && (xx || gt || lt) {
        return Err(CmdError::err("NX and XX, GT or LT options at the same time are not compatible"));
    }
    if gt && lt {
        return Err(CmdError::err("GT and LT options at the same time are not compatible"));
    }
    let mut when = crate::args::parse_i64(&raw).ok_or_else(CmdError::not_integer)?;
    if seconds {
        when = when.checked_mul(1000).ok_or_else(|| CmdError::invalid_expire(name))?;
    }
    if !absolute {
        when = when.checked_add(ctx.now as i64).ok_or_else(|| CmdError::invalid_expire(name))?;
    }
    let Some(entry) = ctx.write(&key) else { return Ok(Frame::Integer(0)) };
    let current = entry.expires_at.map(|t| t as i64);
    let refused = (nx && current.is_some())
        || (xx && current.is_none())
        || (gt && current.is_none_or(|c| when <= c))
        || (lt && current.is_some_and(|c| when >= c));
    if refused {
        return Ok(Frame::Integer(0));
    }
    if when <= ctx.now as i64 {
        ctx.delete(&key);
        ctx.notify(GENERIC, "del", &key);
        let word = crate::propagate::delete_word(ctx.server, "lazyfree-lazy-expire");
        ctx.propagate_as(|| vec![crate::propagate::argv([word, &key])]);
    } else {
        ctx.set_expiry(&key, Some(when as u64));
        ctx.notify(GENERIC, "expire", &key);
        // Replicas get the absolute deadline, the options as given (Redis rewrites two words).
        if name != "pexpireat" {
            ctx.propagate_as(|| {
                let mut line = args.all().to_vec();
                line[0] = Bytes::from_static(b"PEXPIREAT");
                line[2] = Bytes::from(when.to_string());
                vec![line]
            });
        }
    }
    Ok(Frame::Integer(1))
}

fn expire(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, true, false, "expire")
}

fn pexpire(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, false, false, "pexpire")
}

fn expireat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, true, true, "expireat")
}

fn pexpireat(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    expire_generic(ctx, args, false, true, "pexpireat")
}

/// TTL, PTTL, EXPIRETIME, PEXPIRETIME: Redis's `ttlGenericCommand`.
fn ttl_generic(ctx: &mut Ctx, args: &mut Args, millis: bool, absolute: bool) -> CmdResult {
    let key = args.next_bytes()?;
    let now = ctx.now as i64;
    let Some(entry) = ctx.read_no_touch(&key) else { return Ok(Frame::Integer(-2)) };
    let Some(deadline) = entry.expires_at else { return Ok(Frame::Integer(-1)) };
    let value = if absolute { deadline as i64 } else { (deadline as i64 - now).max(0) };
    // Rounded to the nearest second; a deadline near i64::MAX must not overflow (Redis answers
    // 9223372036854776 for EXPIRETIME after PEXPIREAT 9223372036854775807), so widen first.
    let seconds = ((i128::from(value) + 500) / 1000) as i64;
    Ok(Frame::Integer(if millis { value } else { seconds }))
}

fn ttl(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, false, false)
}

fn pttl(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, true, false)
}

fn expiretime(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, false, true)
}

fn pexpiretime(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    ttl_generic(ctx, args, true, true)
}

fn persist(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    match ctx.write(&key) {
        Some(e) if e.expires_at.is_some() => {
            ctx.set_expiry(&key, None);
            ctx.notify(GENERIC, "persist", &key);
            Ok(Frame::Integer(1))
        }
        _ => Ok(Frame::Integer(0)),
    }
}

fn touch(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let found = args.rest().iter().filter(|key| ctx.read(key).is_some()).count();
    Ok(Frame::Integer(found as i64))
}

fn object_encoding(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    Ok(ctx
        .read_no_touch(&key)
        .map_or(Frame::Null, |e| Frame::bulk(crate::types::encoding::name(&e.value, e.encoding_floor))))
}

const POLICY_NOTE: &str =
    "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

fn object_freq(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let now = ctx.now;
    let (lfu, decay) = (ctx.server.config.policy.is_lfu(), ctx.server.config.lfu_decay_time);
    let Some(entry) = ctx.read_no_touch(&key) else { return Ok(Frame::Null) };
    if !lfu {
        return Err(CmdError::err(format!(
            "An LFU maxmemory policy is not selected, access frequency not tracked. {POLICY_NOTE}"
        )));
    }
    Ok(Frame::Integer(lfu_decayed(&entry.access, now, decay) as i64))
}

fn object_idletime(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let now = ctx.now;
    let lfu = ctx.server.config.policy.is_lfu();
    let Some(entry) = ctx.read_no_touch(&key) else { return Ok(Frame::Null) };
    if lfu {
        return Err(CmdError::err(format!(
            "An LFU maxmemory policy is selected, idle time not tracked. {POLICY_NOTE}"
        )));
    }
    Ok(Frame::Integer((now.saturating_sub(entry.access.last_ms) / 1000) as i64))
}

fn object_refcount(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let Some(entry) = ctx.read_no_touch(&key) else { return Ok(Frame::Null) };
    // Redis shares the integers 0..10000 between keys: their refcount is OBJ_SHARED_REFCOUNT.
    let shared = matches!(&entry.value, Value::Str(s) if crate::args::parse_i64(s).is_some_and(|v| (0..10_000).contains(&v)));
    Ok(Frame::Integer(if shared { i32::MAX as i64 } else { 1 }))
}

fn object_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    let lines = [
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
    Ok(Frame::Array(lines.iter().map(|l| Frame::Simple((*l).into())).collect()))
}
