//! DEBUG: the subcommands Redis's test suite and teachers use (`src/debug.c`), answered as
//! Redis 7.4 answers them. Those that crash, stop or inspect the C process (SEGFAULT, PANIC,
//! RESTART, OOM, ASSERT, JMAP, MALLCTL, LEAK...) are refused with an error of our own: a
//! browser tab has no process to crash. DEBUG SLEEP returns at once (the engine never blocks):
//! the virtual clock jumps to the sleep's end instead.

use super::spec;
use crate::args::{lower, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::{encoding, Value};
use bytes::Bytes;

crate::cmd::lazy_table!(pub COMMANDS, FULL = [spec(
    "debug",
    -2,
    &["admin", "noscript", "loading", "stale"],
    (0, 0, 0),
    "server",
    "Low-level helpers for tests: OBJECT, DIGEST, RELOAD, SET-ACTIVE-EXPIRE, PROTOCOL ...",
    "subcommand [argument ...]",
    debug,
)]);

fn debug(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let sub_raw = args.next_bytes()?;
    let sub = lower(&sub_raw);
    let argc = args.remaining() + 2;
    let ok = Ok(Frame::ok());
    let int_arg = |b: &Bytes| crate::args::parse_i64(b).unwrap_or_else(|| atoi(b));
    match (sub.as_str(), argc) {
        ("help", 2) => Ok(help()),
        ("object", 3) => object(ctx, &args.next_bytes()?),
        ("digest", 2) => Ok(Frame::Simple(crate::digest::dataset_digest(&ctx.server.dbs))),
        ("digest-value", _) => {
            let db = &ctx.server.dbs[ctx.client.db];
            Ok(Frame::Array(
                args.rest().iter().map(|k| Frame::Simple(crate::digest::value_digest(db, k))).collect(),
            ))
        }
        ("reload", _) => {
            let (mut merge, mut flush) = (false, true);
            for opt in args.rest() {
                match lower(&opt).as_str() {
                    "merge" => merge = true,
                    "noflush" => flush = false,
                    "nosave" => {}
                    _ => {
                        return Err(CmdError::err(
                            "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
                        ))
                    }
                }
            }
            // NOFLUSH without MERGE loads the dump's libraries beside the same ones, which
            // Redis refuses (its functions come first in the dump: nothing is loaded).
            if !flush && !merge && !ctx.server.scripts.libraries.is_empty() {
                return Err(CmdError::err("Error trying to load the RDB dump, check server logs."));
            }
            reload(ctx);
            ctx.server.dirty = 0;
            ctx.server.last_save_ms = ctx.now;
            ok
        }
        // With AOF on, the file holds what memory holds; with it off, what the last
        // BGREWRITEAOF wrote, or nothing: Redis then empties the dataset, finds no AOF to load
        // and says so.
        ("loadaof", _) if ctx.server.config.appendonly => {
            reload(ctx);
            ok
        }
        ("loadaof", _) if ctx.server.aof_base.is_some() => {
            let base = ctx.server.aof_base.clone().unwrap_or_default();
            load_dataset(ctx, base);
            reload(ctx);
            ctx.server.dirty = 0;
            ok
        }
        ("loadaof", _) => {
            for db in 0..ctx.server.dbs.len() {
                super::server::flush_db(ctx.server, db);
            }
            Err(CmdError::err("Error trying to load the AOF files, check server logs."))
        }
        ("sleep", 3) => {
            // debugDelay: strtod's seconds as whole microseconds; the engine cannot wait, so
            // the clock jumps to the end of the sleep instead (see `Server::clock_floor`).
            let secs = crate::float::parse_double(&args.next_bytes()?).unwrap_or(0.0);
            let ms = (secs * 1_000_000.0) as i64 / 1000;
            ctx.server.clock_floor = ctx.server.clock_floor.max(ctx.now.saturating_add(ms.max(0) as u64));
            ok
        }
        ("set-active-expire", 3) => {
            ctx.server.active_expire = int_arg(&args.next_bytes()?) != 0;
            ok
        }
        ("set-disable-deny-scripts", 3) => {
            ctx.server.scripts.allow_noscript = int_arg(&args.next_bytes()?) != 0;
            ok
        }
        ("set-skip-checksum-validation", 3) => {
            ctx.server.skip_checksum = int_arg(&args.next_bytes()?) != 0;
            ok
        }
        ("quicklist-packed-threshold", 3) => {
            let arg = args.next_bytes()?;
            match std::str::from_utf8(&arg).ok().and_then(crate::config::parse_memory) {
                Some(sz) if sz <= (1 << 32) - (1 << 20) => {
                    // Kept with the encoding limits (DUMP and DEBUG OBJECT lay nodes out by it).
                    let threshold = if sz == 0 { 1 << 30 } else { sz };
                    ctx.server.config.encoding.packed_threshold = threshold;
                    crate::types::encoding::set_limits(ctx.server.config.encoding);
                    ok
                }
                _ => Err(CmdError::err("argument must be a memory value bigger than 1 and smaller than 4gb")),
            }
        }
        ("listpack", 3) | ("quicklist", 3 | 4) => {
            let key = args.next_bytes()?;
            let Some(entry) = ctx.read_no_touch(&key) else { return Err(CmdError::no_such_key()) };
            let name = encoding::name(&entry.value, entry.encoding_floor);
            match sub.as_str() {
                "listpack" if name == "listpack" => {
                    Ok(Frame::Simple("Listpack structure printed on stdout".into()))
                }
                "listpack" => Err(CmdError::err("Not a listpack encoded object.")),
                _ if name == "quicklist" => Ok(Frame::Simple("Quicklist structure printed on stdout".into())),
                _ => Err(CmdError::err("Not a quicklist encoded object.")),
            }
        }
        ("protocol", 3) => protocol(ctx, &args.next_bytes()?),
        ("error", 3) => {
            let text: String = String::from_utf8_lossy(&args.next_bytes()?).replace(['\r', '\n'], " ");
            Err(CmdError::raw(text))
        }
        ("populate", 3..=5) => populate(ctx, args),
        ("change-repl-id", 2) | ("config-rewrite-force-all", 2) => ok,
        ("aof-flush-sleep" | "pause-cron" | "dict-resizing", 3) => ok,
        ("replicate", 3..) | ("drop-cluster-packet-filter", 3) => ok,
        ("replybuffer", 4) => {
            let what = lower(&args.next_bytes()?);
            let value = args.next_bytes()?;
            let settings = &mut ctx.server.reply_buffers;
            match what.as_str() {
                "peak-reset-time" if value.eq_ignore_ascii_case(b"never") => settings.peak_reset_ms = -1,
                "peak-reset-time" if value.eq_ignore_ascii_case(b"reset") => {
                    settings.peak_reset_ms = crate::reply_buffer::DEFAULT_PEAK_RESET_MS
                }
                "peak-reset-time" => {
                    settings.peak_reset_ms =
                        crate::args::parse_i64(&value).ok_or_else(CmdError::not_integer)?
                }
                "resizing" => settings.resizing = atoi(&value) != 0,
                _ => return Err(unknown(&sub_raw)),
            }
            ok
        }
        ("stringmatch-test", 2) => Ok(Frame::Simple("Apparently Redis did not crash: test passed".into())),
        ("segfault" | "panic" | "restart" | "crash-and-recover" | "oom" | "assert" | "jmap" | "leak", _)
        | ("mallctl" | "mallctl-str", _) => {
            Err(CmdError::err(format!("DEBUG {} is not available in this emulator", sub.to_uppercase())))
        }
        _ => Err(unknown(&sub_raw)),
    }
}

/// `atoi`: leading digits (after an optional sign), 0 for anything else.
fn atoi(b: &[u8]) -> i64 {
    let s = String::from_utf8_lossy(b);
    let s = s.trim_start();
    let (neg, digits) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
    let n: i64 =
        digits.chars().take_while(char::is_ascii_digit).take(18).collect::<String>().parse().unwrap_or(0);
    if neg {
        -n
    } else {
        n
    }
}

fn unknown(sub: &[u8]) -> CmdError {
    CmdError::err(format!(
        "unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
        String::from_utf8_lossy(sub)
    ))
}

/// DEBUG OBJECT: Redis's one status line. The address is made up (stable per key); the
/// serialized length is the value's DUMP body; `lru` is Redis's 24-bit LRU clock in seconds, or
/// under LFU the minute and counter packed as Redis packs them.
fn object(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
    let now = ctx.now;
    let lfu = ctx.server.config.policy.is_lfu();
    // `dbFind`, as Redis: a key past its deadline is still shown, nothing is counted.
    let db = ctx.client.db;
    let Some(entry) = ctx.server.dbs[db].raw_get(key) else { return Err(CmdError::no_such_key()) };
    let name = encoding::name(&entry.value, entry.encoding_floor);
    let shared = matches!(&entry.value, Value::Str(s) if crate::args::parse_i64(s).is_some_and(|v| (0..10_000).contains(&v)));
    let refcount = if shared { i32::MAX } else { 1 };
    let serialized = crate::rdb::dump(&entry.value, entry.encoding_floor).len() - 11;
    let lru = if lfu {
        ((entry.access.lfu_minute & 0xFFFF) << 8) | u64::from(entry.access.lfu_counter)
    } else {
        (entry.access.last_ms / 1000) & 0xFF_FFFF
    };
    let idle = now.saturating_sub(entry.access.last_ms) / 1000;
    let mut extra = String::new();
    if let (Value::List(list), "quicklist") = (&entry.value, name) {
        let nodes = crate::rdb::quicklist_layout(list);
        let size: usize = nodes.iter().map(|n| n.1).sum();
        let avg = list.len() as f64 / nodes.len().max(1) as f64;
        // `ql_compressed` is the quicklist's compress depth being set (the engine keeps nodes
        // whole, so it uses the depth in force, where Redis keeps the list's own from its
        // creation).
        let limits = crate::types::encoding::limits();
        extra = format!(
            " ql_nodes:{} ql_avg_node:{avg:.2} ql_listpack_max:{} ql_compressed:{} ql_uncompressed_size:{size}",
            nodes.len(),
            limits.list_max_listpack_size,
            u8::from(limits.list_compress_depth != 0)
        );
    }
    Ok(Frame::Simple(format!(
        "Value at:0x7f{:010x} refcount:{refcount} encoding:{name} serializedlength:{serialized} lru:{lru} lru_seconds_idle:{idle}{extra}",
        entry.id.wrapping_mul(0x40)
    )))
}

/// DEBUG RELOAD: every key through DUMP and RESTORE, as a save and load would take it.
/// Encodings come back to what the contents alone give, keys already past their deadline are
/// dropped, and without an LRU or LFU policy the load starts every key's idle time afresh.
/// Replace every database by `dbs` (an AOF base being loaded): watchers of the old keys see a
/// change, and the search indexes drop the old documents and take the new ones.
fn load_dataset(ctx: &mut Ctx, dbs: Vec<crate::db::Db>) {
    for db in 0..ctx.server.dbs.len() {
        ctx.server.touch_all_in_db(db);
    }
    let old = std::mem::replace(&mut ctx.server.dbs, dbs);
    ctx.server.evict_pool.clear();
    if ctx.server.track_changes {
        let mut changed = Vec::new();
        for dbs in [&old, &ctx.server.dbs] {
            for (db, d) in dbs.iter().enumerate() {
                changed.extend(d.keys().map(|k| (db, k.clone())));
            }
        }
        ctx.server.changed.extend(changed);
    }
}

fn reload(ctx: &mut Ctx) {
    let now = ctx.now;
    let policy = ctx.server.config.policy;
    let keep_access = policy.is_lfu() || policy.name().contains("lru");
    for db in 0..ctx.server.dbs.len() {
        let keys: Vec<Bytes> = ctx.server.dbs[db].keys().cloned().collect();
        for key in keys {
            if ctx.server.dbs[db].is_expired(&key, now) {
                ctx.server.dbs[db].remove(&key);
                continue;
            }
            let Some(entry) = ctx.server.dbs[db].raw_get_mut(&key) else { continue };
            let payload = crate::rdb::dump(&entry.value, entry.encoding_floor);
            if let Some(value) = crate::rdb::restore(&payload, usize::MAX) {
                entry.value = value;
            }
            entry.encoding_floor = 0;
            if !keep_access {
                entry.access.last_ms = now;
            }
            ctx.server.dbs[db].refresh_memory(&key);
        }
    }
}

/// DEBUG POPULATE count [prefix] [size]: keys `prefix:N` holding `value:N` (cut or zero-padded
/// to `size`), skipping names that exist. A bound Redis lacks, for a browser tab: more than a
/// million keys, or more than 1 GB of values, is refused with Redis's error for a keyspace that
/// cannot grow that far.
fn populate(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let positive = |b: &Bytes| {
        crate::args::parse_i64(b).ok_or_else(CmdError::not_integer).and_then(|v| {
            if v < 0 {
                Err(CmdError::must_be_positive())
            } else {
                Ok(v as u64)
            }
        })
    };
    let count = positive(&args.next_bytes()?)?;
    let prefix = args.next_opt().unwrap_or_else(|| Bytes::from_static(b"key"));
    let size = match args.next_opt() {
        Some(b) => positive(&b)? as usize,
        None => 0,
    };
    let limit = ctx.server.value_limit.unwrap_or(512 << 20);
    if size > limit || count > 1_000_000 || (count as usize).saturating_mul(size) > 1 << 30 {
        return Err(CmdError::err("OOM in dictTryExpand"));
    }
    for j in 0..count {
        let mut key = prefix.to_vec();
        key.extend_from_slice(format!(":{j}").as_bytes());
        if ctx.peek(&key).is_some() {
            continue;
        }
        let mut value = format!("value:{j}").into_bytes();
        if size > 0 {
            value.resize(size, 0);
        }
        ctx.set(Bytes::from(key), Value::Str(Bytes::from(value)), None);
    }
    Ok(Frame::ok())
}

/// DEBUG PROTOCOL: one reply of each RESP type (`attrib` is a reply with an attribute, which
/// only RESP3 shows; `push` is refused under RESP2 like Redis, and under RESP3 is a reply
/// followed by a push).
fn protocol(ctx: &mut Ctx, name: &[u8]) -> CmdResult {
    let ints = || (0..3).map(Frame::Integer).collect::<Vec<_>>();
    Ok(match lower(name).as_str() {
        "string" => Frame::bulk("Hello World"),
        "integer" => Frame::Integer(12345),
        // Redis's test value, not pi.
        #[allow(clippy::approx_constant)]
        "double" => Frame::Double(3.141),
        "bignum" => Frame::BigNumber("1234567999999999999999999999999999999".into()),
        "null" => Frame::Null,
        "array" => Frame::Array(ints()),
        "set" => Frame::Set(ints()),
        "map" => Frame::Map((0..3).map(|j| (Frame::Integer(j), Frame::Boolean(j == 1))).collect()),
        "attrib" => Frame::Attributed(
            vec![(Frame::bulk("key-popularity"), Frame::Array(vec![Frame::bulk("key:123"), Frame::Integer(90)]))],
            Box::new(Frame::bulk("Some real reply following the attribute")),
        ),
        "push" if ctx.client.protocol != crate::frame::Protocol::Resp3 => {
            return Err(CmdError::err("RESP2 is not supported by this command"))
        }
        // Redis 7.4 defers a push to the running client: the real reply comes first.
        "push" => {
            let push = Frame::Push(vec![Frame::bulk("server-cpu-usage"), Frame::Integer(42)]);
            ctx.server.push_to(ctx.client.id, push);
            Frame::bulk("Some real reply following the push reply")
        }
        "true" => Frame::Boolean(true),
        "false" => Frame::Boolean(false),
        "verbatim" => Frame::Verbatim(Bytes::from_static(b"This is a verbatim\nstring")),
        _ => return Err(CmdError::err(
            "Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
        )),
    })
}

fn help() -> Frame {
    const LINES: &[&str] = &[
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "AOF-FLUSH-SLEEP <microsec>",
        "    Server will sleep before flushing the AOF, this is used for testing.",
        "ASSERT",
        "    Crash by assertion failed.",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
        "CONFIG-REWRITE-FORCE-ALL",
        "    Like CONFIG REWRITE but writes all configuration options, including",
        "    keywords not listed in original configuration file or default values.",
        "CRASH-AND-RECOVER [<milliseconds>]",
        "    Hard crash and restart after a <milliseconds> delay (default 0).",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Return a Redis protocol error with <string> as message. Useful for clients",
        "    unit tests to simulate Redis errors.",
        "LEAK <string>",
        "    Create a memory leak of the input string.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "HTSTATS <dbid> [full]",
        "    Return hash table statistics of the specified Redis database.",
        "HTSTATS-KEY <key> [full]",
        "    Like HTSTATS but for the hash table stored at <key>'s value.",
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "REPLICATE <string>",
        "    Replicates the provided string to replicas, allowing data divergence.",
        "MALLCTL <key> [<val>]",
        "    Get or set a malloc tuning integer.",
        "MALLCTL-STR <key> [<val>]",
        "    Get or set a malloc tuning string.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "DROP-CLUSTER-PACKET-FILTER <packet-type>",
        "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
        "OOM",
        "    Crash the server simulating an out-of-memory error.",
        "PANIC",
        "    Crash the server simulating a panic.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
        "RESTART [<milliseconds>]",
        "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
        "SDSLEN <key>",
        "    Show low level SDS string info representing `key` and value.",
        "SEGFAULT",
        "    Crash the server with sigsegv.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys (and hash-fields) in background ",
        "    when they are not accessed (otherwise the Redis behavior). Setting it",
        "    to 1 reenables back the default.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
        "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "STRINGMATCH-TEST",
        "    Run a fuzz tester against the stringmatchlen() function.",
        "STRUCTSIZE",
        "    Return the size of different Redis core C structures.",
        "LISTPACK <key>",
        "    Show low level info about the listpack encoding of <key>.",
        "QUICKLIST <key> [<0|1>]",
        "    Show low level info about the quicklist encoding of <key>.",
        "    The optional argument (0 by default) sets the level of detail",
        "CLIENT-EVICTION",
        "    Show low level client eviction pools info (maxmemory-clients).",
        "PAUSE-CRON <0|1>",
        "    Stop periodic cron job processing.",
        "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
        "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
        "    In case NEVER is provided the last observed peak will never be reset",
        "    In case RESET is provided the peak reset time will be restored to the default value",
        "REPLYBUFFER RESIZING <0|1>",
        "    Enable or disable the reply buffer resize cron job",
        "DICT-RESIZING <0|1>",
        "    Enable or disable the main dict and expire dict resizing.",
        "SCRIPT <LIST|<sha>>",
        "    Output SHA and content of all scripts or of a specific script with its SHA.",
        "CLUSTERLINK KILL <to|from|all> <node-id>",
        "    Kills the link based on the direction to/from (both) with the provided node.",
        "HELP",
        "    Print this help.",
    ];
    Frame::Array(LINES.iter().map(|l| Frame::Simple((*l).into())).collect())
}
