//! DUMP and RESTORE: a value in Redis 7.4's serialised form (see `rdb/`), byte for byte what
//! Redis's DUMP gives for the same commands, and RESTORE that reads Redis's payloads. MIGRATE
//! checks its arguments and keys as Redis does, then, with no other server to reach, answers
//! as Redis does for a port nobody listens on.

use super::spec;
use crate::args::{lower, parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use bytes::Bytes;

/// What the compressed strings of one payload may unpack to in all when the host sets no value
/// limit: Redis's `proto-max-bulk-len`.
pub const MAX_UNPACKED: usize = 512 << 20;

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec(
        "dump",
        2,
        &["readonly"],
        (1, 1, 1),
        "generic",
        "Serialise a key's value in Redis's RDB format (nil if the key is missing).",
        "key",
        dump,
    ),
    spec(
        "restore",
        -4,
        &["write", "denyoom"],
        (1, 1, 1),
        "generic",
        "Create a key from a DUMP payload, with a TTL in ms (0: none).",
        "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]",
        restore,
    ),
    spec(
        "migrate",
        -6,
        &["write", "movablekeys"],
        (3, 3, 1),
        "generic",
        "Move keys to another Redis server (the playground has none to reach).",
        "host port <key | \"\"> destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key [key ...]]",
        migrate,
    ),
]);

/// Redis's `migrateCommand` up to the connection: options, then the timeout and the db, then
/// the keys (NOKEY when none exists), then `IOERR` for the server it cannot reach.
fn migrate(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let argv = args.all().to_vec();
    let (mut first, mut num) = (3, 1);
    let mut j = 6;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        match lower(&argv[j]).as_str() {
            "copy" | "replace" => {}
            "auth" if more >= 1 => j += 1,
            "auth2" if more >= 2 => j += 2,
            "keys" => {
                if !argv[3].is_empty() {
                    return Err(CmdError::err(
                        "When using MIGRATE KEYS option, the key argument must be set to the empty string",
                    ));
                }
                first = j + 1;
                num = argv.len() - j - 1;
                break;
            }
            _ => return Err(CmdError::syntax()),
        }
        j += 1;
    }
    for at in [5, 4] {
        parse_i64(&argv[at]).ok_or_else(CmdError::not_integer)?;
    }
    let mut found = false;
    for key in &argv[first..first + num] {
        found |= ctx.read(key).is_some();
    }
    if !found {
        return Ok(Frame::Simple("NOKEY".into()));
    }
    Err(CmdError::raw("IOERR error or timeout writing to target instance"))
}

fn dump(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    if ctx.read(&key).is_none() {
        return Ok(Frame::Null);
    }
    let entry = ctx.db().raw_get(&key).ok_or_else(CmdError::syntax)?;
    Ok(Frame::Bulk(Bytes::from(crate::rdb::dump(&entry.value, entry.encoding_floor))))
}

/// Redis's `restoreCommand`: options first, then the key, the TTL, the payload's footer and
/// finally its contents are checked, each with its own error.
fn restore(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    let ttl_arg = args.next_bytes()?;
    let payload = args.next_bytes()?;
    let (mut replace, mut absttl, mut idle, mut freq) = (false, false, None, None);
    while let Some(opt) = args.next_opt() {
        match lower(&opt).as_str() {
            "replace" => replace = true,
            "absttl" => absttl = true,
            "idletime" if !args.is_empty() && freq.is_none() => {
                let v = args.next_i64()?;
                if v < 0 {
                    return Err(CmdError::err("Invalid IDLETIME value, must be >= 0"));
                }
                idle = Some(v);
            }
            "freq" if !args.is_empty() && idle.is_none() => {
                let v = args.next_i64()?;
                if !(0..=255).contains(&v) {
                    return Err(CmdError::err("Invalid FREQ value, must be >= 0 and <= 255"));
                }
                freq = Some(v as u8);
            }
            _ => return Err(CmdError::syntax()),
        }
    }
    if !replace && ctx.peek(&key).is_some() {
        return Err(CmdError::raw("BUSYKEY Target key name already exists."));
    }
    let ttl = parse_i64(&ttl_arg).ok_or_else(CmdError::not_integer)?;
    if ttl < 0 {
        return Err(CmdError::err("Invalid TTL value, must be >= 0"));
    }
    if !crate::rdb::verify(&payload, ctx.server.skip_checksum) {
        return Err(CmdError::err("DUMP payload version or checksum are wrong"));
    }
    let limit = ctx.server.value_limit.unwrap_or(MAX_UNPACKED);
    let value = crate::rdb::restore(&payload, limit).ok_or_else(|| CmdError::err("Bad data format"))?;
    let deleted = replace && ctx.delete(&key);
    let now = ctx.now;
    // Redis adds the relative TTL to the time in a signed 64-bit sum that wraps: a TTL near
    // LLONG_MAX lands in the past, and the key is dropped as already expired.
    let deadline = match ttl {
        0 => None,
        t if absttl => Some(t),
        t => Some(t.wrapping_add(now as i64)),
    };
    if deadline.is_some_and(|t| t <= now as i64) {
        if deleted {
            ctx.notify(crate::notify::GENERIC, "del", &key);
            let word = crate::propagate::delete_word(ctx.server, "lazyfree-lazy-server-del");
            ctx.propagate_as(|| vec![crate::propagate::argv([word, &key])]);
        }
        return Ok(Frame::ok());
    }
    let deadline = deadline.map(|t| t as u64);
    // A relative TTL reaches replicas as the deadline itself, with ABSTTL added.
    if let Some(at) = deadline.filter(|_| !absttl) {
        ctx.propagate_as(|| {
            let mut line = args.all().to_vec();
            line[2] = Bytes::from(at.to_string());
            line.push(Bytes::from_static(b"ABSTTL"));
            vec![line]
        });
    }
    ctx.set(key.clone(), value, deadline);
    ctx.notify(crate::notify::GENERIC, "restore", &key);
    // RediSearch reads the key on the oracle's "restore" event: a keyspace hit there. (That read
    // also resets the key's idle time on the oracle; the engine keeps Redis's own IDLETIME.)
    super::keys::module_reads_key(ctx, &key);
    let lfu = ctx.server.config.policy.is_lfu();
    if let Some(entry) = ctx.db().raw_get_mut(&key) {
        match (lfu, freq, idle) {
            (true, Some(f), _) => {
                entry.access.lfu_counter = f;
                entry.access.lfu_minute = now / 60_000;
            }
            (false, _, Some(secs)) => {
                entry.access.last_ms = now.saturating_sub((secs as u64).saturating_mul(1000));
            }
            _ => {}
        }
    }
    Ok(Frame::ok())
}
