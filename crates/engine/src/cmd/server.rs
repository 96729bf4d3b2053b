//! Server commands: DBSIZE, FLUSHDB/FLUSHALL, INFO, CONFIG, TIME, COMMAND, MEMORY, and the
//! persistence commands a learner may type (SAVE, BGSAVE, LASTSAVE: the playground has no disk,
//! so they only move LASTSAVE and reset the change counter, as a successful save would).

pub mod bgsave;
pub(crate) mod docs;
pub(crate) mod getkeys;
mod info;
mod keyspecs;

use super::connection::help_lines;
use super::{spec, CommandSpec};
use crate::args::{lower, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::events::Event;
use crate::frame::Frame;
use crate::glob::glob_match_nocase;
use bytes::Bytes;

pub use docs::{parse_syntax, DocArg};

const ADMIN: &[&str] = &["admin", "noscript", "loading", "stale"];

pub const COMMANDS: &[CommandSpec] = &[
    spec(
        "dbsize",
        1,
        &["readonly", "fast"],
        (0, 0, 0),
        "server",
        "Count the keys in the selected database.",
        "",
        dbsize,
    ),
    spec(
        "flushdb",
        -1,
        &["write"],
        (0, 0, 0),
        "server",
        "Delete every key in the selected database.",
        "[ASYNC | SYNC]",
        flushdb,
    ),
    spec(
        "flushall",
        -1,
        &["write"],
        (0, 0, 0),
        "server",
        "Delete every key in every database.",
        "[ASYNC | SYNC]",
        flushall,
    ),
    spec(
        "info",
        -1,
        &["loading", "stale"],
        (0, 0, 0),
        "server",
        "Server statistics: memory, hits and misses, evictions, clients, keyspace.",
        "[section [section ...]]",
        info,
    ),
    CommandSpec {
        name: "config",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "server",
        summary: "Read and change settings such as maxmemory and maxmemory-policy.",
        syntax: "subcommand [argument ...]",
        run: super::container,
        subcommands: CONFIG_SUBCOMMANDS,
    },
    spec(
        "time",
        1,
        &["loading", "stale", "fast"],
        (0, 0, 0),
        "server",
        "The server's clock: seconds and microseconds since the Unix epoch.",
        "",
        time,
    ),
    CommandSpec {
        name: "command",
        arity: -1,
        flags: &["loading", "stale"],
        keys: (0, 0, 0),
        group: "server",
        summary: "Describe the commands this server knows.",
        syntax: "[subcommand [argument ...]]",
        run: command_all,
        subcommands: COMMAND_SUBCOMMANDS,
    },
    CommandSpec {
        name: "memory",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "server",
        summary: "Memory introspection (MEMORY USAGE key).",
        syntax: "subcommand [argument ...]",
        run: super::container,
        subcommands: MEMORY_SUBCOMMANDS,
    },
    spec(
        "lastsave",
        1,
        &["loading", "stale", "fast"],
        (0, 0, 0),
        "server",
        "Unix time of the last successful save.",
        "",
        lastsave,
    ),
    spec(
        "save",
        1,
        &["admin", "noscript", "no_async_loading", "no_multi"],
        (0, 0, 0),
        "server",
        "Save the dataset (the playground keeps it in memory only).",
        "",
        save,
    ),
    spec(
        "bgrewriteaof",
        1,
        &["admin", "noscript", "no_async_loading"],
        (0, 0, 0),
        "server",
        "Rewrite the append-only file in the background (instant here: the dataset is in memory).",
        "",
        bgrewriteaof,
    ),
    spec(
        "bgsave",
        -1,
        &["admin", "noscript", "no_async_loading"],
        (0, 0, 0),
        "server",
        "Save the dataset in the background (the playground keeps it in memory only).",
        "[SCHEDULE]",
        bgsave,
    ),
];

const CONFIG_SUBCOMMANDS: &[CommandSpec] = &[
    spec(
        "get",
        -3,
        ADMIN,
        (0, 0, 0),
        "server",
        "Settings matching glob patterns, with their values.",
        "parameter [parameter ...]",
        config_get,
    ),
    spec(
        "set",
        -4,
        &["admin", "noscript", "loading", "stale"],
        (0, 0, 0),
        "server",
        "Change settings (all or none): maxmemory 100mb, maxmemory-policy allkeys-lru ...",
        "parameter value [parameter value ...]",
        config_set,
    ),
    spec(
        "rewrite",
        2,
        ADMIN,
        (0, 0, 0),
        "server",
        "Rewrite the config file (the playground, like a server started without one, has none).",
        "",
        |_, _| Err(CmdError::err("The server is running without a config file")),
    ),
    spec(
        "resetstat",
        2,
        ADMIN,
        (0, 0, 0),
        "server",
        "Zero the counters INFO shows (hits, misses, evictions, commands ...).",
        "",
        config_resetstat,
    ),
    spec(
        "help",
        2,
        &["loading", "stale"],
        (0, 0, 0),
        "server",
        "Show CONFIG's subcommands.",
        "",
        config_help,
    ),
];

crate::cmd::lazy_table!(
    COMMAND_SUBCOMMANDS,
    COMMAND_FULL = [
        spec(
            "count",
            2,
            &["loading", "stale"],
            (0, 0, 0),
            "server",
            "How many commands the server knows.",
            "",
            command_count,
        ),
        spec(
            "info",
            -2,
            &["loading", "stale"],
            (0, 0, 0),
            "server",
            "Arity, flags and key positions of commands.",
            "[command-name [command-name ...]]",
            command_info,
        ),
        spec(
            "docs",
            -2,
            &["loading", "stale"],
            (0, 0, 0),
            "server",
            "Summary and argument structure of commands (what redis-cli shows as hints).",
            "[command-name [command-name ...]]",
            command_docs,
        ),
        spec(
            "getkeys",
            -3,
            &["loading", "stale"],
            (0, 0, 0),
            "server",
            "The key arguments of a full command (what a cluster client routes by).",
            "command [arg [arg ...]]",
            getkeys::command_getkeys,
        ),
        spec(
            "getkeysandflags",
            -3,
            &["loading", "stale"],
            (0, 0, 0),
            "server",
            "The key arguments of a full command, each with how the command uses it (RO, RW, OW...).",
            "command [arg [arg ...]]",
            getkeys::command_getkeysandflags,
        ),
        spec(
            "list",
            -2,
            &["loading", "stale"],
            (0, 0, 0),
            "server",
            "Names of every command, optionally filtered by a glob pattern.",
            "[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]",
            command_list,
        ),
        spec(
            "help",
            2,
            &["loading", "stale"],
            (0, 0, 0),
            "server",
            "Show COMMAND's subcommands.",
            "",
            command_help,
        ),
    ]
);

crate::cmd::lazy_table!(
    MEMORY_SUBCOMMANDS,
    MEMORY_FULL = [
        spec(
            "doctor",
            2,
            &[],
            (0, 0, 0),
            "server",
            "Redis's memory self-check, in Redis's words (and its Sam).",
            "",
            memory_doctor,
        ),
        spec(
            "stats",
            2,
            &[],
            (0, 0, 0),
            "server",
            "Memory use in detail: peak, startup, dataset, keys, per database (the numbers INFO memory has).",
            "",
            memory_stats,
        ),
        spec(
            "malloc-stats",
            2,
            &[],
            (0, 0, 0),
            "server",
            "The memory allocator's statistics report (jemalloc's, as INFO's mem_allocator says).",
            "",
            memory_malloc_stats,
        ),
        spec(
            "purge",
            2,
            &[],
            (0, 0, 0),
            "server",
            "Ask the allocator to return dirty pages (nothing to do in the playground): OK.",
            "",
            memory_purge,
        ),
        spec(
            "usage",
            -3,
            &["readonly"],
            (2, 2, 1),
            "server",
            "Estimated bytes a key and its value take.",
            "key [SAMPLES count]",
            memory_usage,
        ),
        spec(
            "help",
            2,
            &["loading", "stale"],
            (0, 0, 0),
            "server",
            "Show MEMORY's subcommands.",
            "",
            memory_help,
        ),
    ]
);

fn dbsize(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Integer(ctx.db().len() as i64))
}

/// `[ASYNC | SYNC]`: one optional word, anything else is a syntax error. Returns whether Redis
/// empties the databases in its background thread (`flushCommandCommon`): with ASYNC, with no
/// word when `lazyfree-lazy-user-flush` is on, and for a SYNC flush too (Redis 7.4 runs it as a
/// blocking ASYNC one) unless it runs inside MULTI or a script.
fn flush_mode(ctx: &Ctx, args: &mut Args) -> Result<bool, CmdError> {
    if args.remaining() > 1 {
        return Err(CmdError::syntax());
    }
    if args.eat("ASYNC") || args.is_empty() && ctx.server.config.is_on("lazyfree-lazy-user-flush") {
        return Ok(true);
    }
    if args.is_empty() || args.eat("SYNC") {
        return Ok(!ctx.client.in_exec);
    }
    Err(CmdError::syntax())
}

/// A flush in the background frees every key of the database there.
fn count_lazy_flush(server: &mut crate::server::Server, db: usize, lazy: bool) {
    if lazy {
        server.stats.lazyfreed_objects += server.dbs[db].len() as u64;
    }
}

/// Empty database `db`: WATCHers of its keys see a change, the eviction pool forgets it.
pub fn flush_db(server: &mut crate::server::Server, db: usize) {
    server.touch_all_in_db(db);
    // Tracking clients drop their whole cache (the caller too, checked once it is back).
    let ids = (server.clients.values().filter(|c| c.tracking.is_some()).map(|c| c.id))
        .chain(Some(server.current_client).filter(|&id| id != 0))
        .collect();
    crate::cmd::tracking::flush(server, ids);
    server.dbs[db].clear();
    server.evict_pool.clear();
    crate::search::drop_all(server);
}

fn flushdb(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let lazy = flush_mode(ctx, args)?;
    let db = ctx.client.db;
    count_lazy_flush(ctx.server, db, lazy);
    flush_db(ctx.server, db);
    ctx.server.events.emit(|| Event::Flushed { db: Some(db) });
    Ok(Frame::ok())
}

fn flushall(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let lazy = flush_mode(ctx, args)?;
    bgsave::kill(ctx.server);
    for db in 0..ctx.server.dbs.len() {
        count_lazy_flush(ctx.server, db, lazy);
        flush_db(ctx.server, db);
    }
    ctx.server.events.emit(|| Event::Flushed { db: None });
    Ok(Frame::ok())
}

fn info(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    bgsave::settle(ctx.server, ctx.now);
    let sections: Vec<String> = args.rest().iter().map(|a| lower(a)).collect();
    Ok(Frame::Verbatim(Bytes::from(info::info_text(ctx, &sections))))
}

fn has_glob(pattern: &[u8]) -> bool {
    pattern.iter().any(|b| matches!(b, b'*' | b'?' | b'['))
}

fn config_get(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut pairs: Vec<(Frame, Frame)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let config = &ctx.server.config;
    for pattern in args.rest() {
        if !has_glob(&pattern) {
            let name = lower(&pattern);
            let known = crate::config::PARAMETERS.iter().find(|p| **p == name).copied();
            // The rest of the table answers by name or alias, hidden ones included.
            let known = known.or_else(|| {
                crate::params::lookup(&name).map(|p| if p.name == name { p.name } else { p.alias })
            });
            if let Some(known) = known.filter(|k| !seen.contains(k)) {
                seen.push(known);
                let value = config.get(known).unwrap_or_default();
                pairs.push((Frame::Bulk(pattern.clone()), Frame::bulk(value)));
            }
            continue;
        }
        // Redis matches names without case (`stringmatch(..., nocase=1)`).
        let names = crate::config::PARAMETERS.iter().copied().chain(crate::params::listed().map(|(n, _)| n));
        for name in names {
            if !seen.contains(&name) && glob_match_nocase(&pattern, name.as_bytes()) {
                seen.push(name);
                let value = config.get(name).unwrap_or_default();
                pairs.push((Frame::bulk(name), Frame::bulk(value)));
            }
        }
    }
    Ok(Frame::Map(pairs))
}

fn config_set(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let rest = args.rest();
    if rest.len() % 2 != 0 {
        return Err(CmdError::syntax());
    }
    let failed = |name: &[u8], why: &str| {
        CmdError::err(format!(
            "CONFIG SET failed (possibly related to argument '{}') - {why}",
            crate::args::truncate_for_error(name, 128)
        ))
    };
    // First every name, as Redis does: unknown, immutable and duplicate names fail before any
    // value is looked at.
    let mut names: Vec<String> = Vec::new();
    for pair in rest.chunks(2) {
        let name = lower(&pair[0]);
        let other = crate::params::lookup(&name);
        if !crate::config::PARAMETERS.contains(&name.as_str()) && other.is_none() {
            return Err(CmdError::err(format!(
                "Unknown option or number of arguments for CONFIG SET - '{}'",
                crate::args::truncate_for_error(&pair[0], 128)
            )));
        }
        if name == "databases" || other.is_some_and(|p| p.flags & crate::params::IMMUTABLE != 0) {
            return Err(failed(&pair[0], "can't set immutable config"));
        }
        if names.contains(&name) {
            return Err(failed(&pair[0], "duplicate parameter"));
        }
        names.push(name);
    }
    // Then the values, all or nothing.
    let mut updated = ctx.server.config.clone();
    for (pair, name) in rest.chunks(2).zip(&names) {
        // A bad value names the parameter as Redis's table spells it (lowercase).
        if let Some(param) = crate::params::lookup(name) {
            updated.others.set(&param, &pair[1]).map_err(|why| failed(name.as_bytes(), &why))?;
            continue;
        }
        if let Err(why) = updated.set(name, &pair[1]) {
            let why = why.unwrap_or("unknown parameter");
            return Err(failed(name.as_bytes(), why));
        }
    }
    // Applying a new port moves the host's listener; when it cannot listen there, none of the
    // parameters takes effect (Redis restores every old value, and listens on the old port).
    let port = |c: &crate::config::Config| c.get("port").and_then(|p| p.parse::<u16>().ok());
    let new_port = port(&updated).filter(|p| Some(*p) != port(&ctx.server.config));
    if let (Some(new_port), Some(listen)) = (new_port, ctx.server.listener.as_mut()) {
        listen(new_port).map_err(|_| failed(b"port", "Unable to listen on this port. Check server logs."))?;
    }
    if updated.policy != ctx.server.config.policy {
        ctx.server.evict_pool.clear();
    }
    let shrunk = updated.maxmemory != ctx.server.config.maxmemory;
    if updated.appendonly && !ctx.server.config.appendonly {
        // Redis starts the AOF with a rewrite in a forked child.
        ctx.server.stats.total_forks += 1;
        ctx.server.stats.aof_rewrites += 1;
        ctx.server.aof_rewrite_ran = true;
    }
    crate::types::encoding::set_limits(updated.encoding);
    if updated.requirepass != ctx.server.config.requirepass {
        ctx.server.acl.set_requirepass(updated.requirepass.as_bytes());
    }
    let log_max = updated.acllog_max_len as usize;
    ctx.server.acl.log.truncate(log_max);
    ctx.server.config = updated;
    if shrunk {
        // Redis evicts right away when maxmemory drops below the memory in use (and only logs
        // a warning if it cannot).
        let _ = crate::evict::make_room(ctx.server, ctx.now);
    }
    Ok(Frame::ok())
}

fn config_resetstat(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    ctx.server.stats = crate::server::Stats::default();
    let buffers = &mut ctx.server.reply_buffers;
    (buffers.shrinks, buffers.expands) = (0, 0);
    Ok(Frame::ok())
}

fn config_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "CONFIG",
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ],
    ))
}

fn time(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Array(vec![
        Frame::bulk_int((ctx.now / 1000) as i64),
        Frame::bulk_int(((ctx.now % 1000) * 1000) as i64),
    ]))
}

/// Look a command up by the name COMMAND INFO / DOCS accept (`get`, `config|get`).
fn find_command(name: &[u8]) -> Option<(&'static CommandSpec, String)> {
    let name = lower(name);
    match name.split_once('|') {
        None => super::lookup(&name).map(|spec| (spec, name.clone())),
        Some((parent, sub)) => {
            let spec = super::lookup(parent)?;
            let sub = spec.subcommands.iter().find(|s| s.name == sub)?;
            Some((sub, name.clone()))
        }
    }
}

fn command_all(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Array(super::all().map(|spec| docs::command_info(spec, spec.name)).collect()))
}

fn command_count(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Integer(super::all().count() as i64))
}

fn command_info(_: &mut Ctx, args: &mut Args) -> CmdResult {
    let names = args.rest();
    if names.is_empty() {
        return Ok(Frame::Array(super::all().map(|spec| docs::command_info(spec, spec.name)).collect()));
    }
    Ok(Frame::Array(
        names
            .iter()
            .map(|name| {
                find_command(name).map_or(Frame::Null, |(spec, full)| docs::command_info(spec, &full))
            })
            .collect(),
    ))
}

fn command_docs(_: &mut Ctx, args: &mut Args) -> CmdResult {
    let names = args.rest();
    let mut pairs = Vec::new();
    if names.is_empty() {
        for spec in super::all() {
            pairs.push((Frame::bulk(spec.registered_name(spec.name)), docs::command_docs(spec, spec.name)));
        }
    }
    for name in names {
        if let Some((spec, full)) = find_command(&name) {
            pairs.push((Frame::bulk(spec.registered_name(&full)), docs::command_docs(spec, &full)));
        }
    }
    Ok(Frame::Map(pairs))
}

fn command_list(_: &mut Ctx, args: &mut Args) -> CmdResult {
    let mut pattern: Option<Bytes> = None;
    let mut category: Option<String> = None;
    if !args.is_empty() {
        if !args.eat("FILTERBY") || args.remaining() != 2 {
            return Err(CmdError::syntax());
        }
        if args.eat("PATTERN") {
            pattern = Some(args.next_bytes()?);
        } else if args.eat("ACLCAT") {
            category = Some(lower(&args.next_bytes()?));
        } else if args.eat("MODULE") {
            let module = lower(&args.next_bytes()?);
            return Ok(Frame::Array(
                super::all()
                    .filter(|spec| {
                        (module == "search" && spec.name.starts_with("ft."))
                            || (module == "rejson" && spec.name.starts_with("json."))
                    })
                    .map(|spec| Frame::bulk(spec.registered_name(spec.name)))
                    .collect(),
            ));
        } else {
            return Err(CmdError::syntax());
        }
    }
    let mut names = Vec::new();
    for spec in super::all() {
        let mut entries = vec![spec.registered_name(spec.name)];
        entries.extend(spec.subcommands.iter().map(|sub| format!("{}|{}", spec.name, sub.name)));
        for name in entries {
            // Without case, as Redis's commandListWithFilter matches full names.
            if pattern.as_ref().is_some_and(|p| !glob_match_nocase(p, name.as_bytes())) {
                continue;
            }
            if let Some(cat) = &category {
                let spec = find_command(name.as_bytes()).map(|(s, _)| s);
                let info = spec.map(|s| docs::command_info(s, &name));
                let in_category = matches!(&info, Some(Frame::Array(fields)) if matches!(
                    fields.get(6),
                    Some(Frame::Set(cats)) if cats.iter().any(|c| c.as_bytes() == Some(format!("@{cat}").as_bytes()))
                ));
                if !in_category {
                    continue;
                }
            }
            names.push(Frame::bulk(name));
        }
    }
    Ok(Frame::Array(names))
}

fn command_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "COMMAND",
        &[
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ],
    ))
}

fn memory_usage(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.next_bytes()?;
    while !args.is_empty() {
        if args.eat("SAMPLES") {
            args.next_i64()?;
        } else {
            return Err(CmdError::syntax());
        }
    }
    Ok(match ctx.peek(&key) {
        Some(entry) => Frame::Integer(entry.mem as i64),
        None => Frame::Null,
    })
}

/// The playground has no allocator of its own: the report's frame, as jemalloc 5.3 begins and
/// ends it (INFO says `mem_allocator:jemalloc-5.3.0`).
fn memory_malloc_stats(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Verbatim(Bytes::from_static(
        b"___ Begin jemalloc statistics ___\nVersion: \"5.3.0-0-g0\"\n--- End jemalloc statistics ---\n",
    )))
}

/// Redis's `getMemoryDoctorReport` over the engine's numbers: under 5 MB "too little to tell";
/// otherwise a peak over 150% of the memory in use and more than 1000 cached scripts are the
/// issues it can see (there is no fragmentation, RSS or output buffer to speak of here).
fn memory_doctor(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let used = ctx.server.used_memory();
    let peak = ctx.server.stats.peak_memory.max(used);
    let report = if used < 5 << 20 {
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n".to_string()
    } else {
        let big_peak = peak as f32 / used as f32 > 1.5;
        let many_scripts = ctx.server.scripts.bodies.len() > 1000;
        if !big_peak && !many_scripts {
            "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n".to_string()
        } else {
            let mut s =
                String::from("Sam, I detected a few issues in this Redis instance memory implants:\n\n");
            if big_peak {
                s.push_str(" * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n");
            }
            if many_scripts {
                s.push_str(" * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), `SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches may end up consuming most of your memory.\n\n");
            }
            s.push_str("I'm here to keep you safe, Sam. I want to help you.\n");
            s
        }
    };
    Ok(Frame::Verbatim(report.into()))
}

/// MEMORY STATS in Redis 7.4's shape (31 fields, and one map per database with keys), with the
/// numbers INFO memory prints: the engine counts its values' bytes above a fixed startup size,
/// and has no allocator fragmentation, RSS overhead or output buffers.
fn memory_stats(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let server = &*ctx.server;
    let used = server.used_memory();
    let peak = server.stats.peak_memory.max(used);
    let startup = crate::server::BASE_MEMORY;
    let keys: usize = server.dbs.iter().map(|d| d.len()).sum();
    let dataset = used.saturating_sub(startup);
    let int = |n: u64| Frame::Integer(n as i64);
    let field = |name: &str, value: Frame| (Frame::bulk(name.to_string()), value);
    let mut map = vec![
        field("peak.allocated", int(peak)),
        field("total.allocated", int(used)),
        field("startup.allocated", int(startup)),
        field("replication.backlog", int(0)),
        field("clients.slaves", int(0)),
        field("clients.normal", int(0)),
        field("cluster.links", int(0)),
        field("aof.buffer", int(0)),
        field("lua.caches", int(0)),
        field("functions.caches", int(0)),
    ];
    for (i, _) in server.dbs.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
        let overhead =
            vec![field("overhead.hashtable.main", int(0)), field("overhead.hashtable.expires", int(0))];
        map.push(field(&format!("db.{i}"), Frame::Map(overhead)));
    }
    map.extend([
        field("overhead.db.hashtable.lut", int(0)),
        field("overhead.db.hashtable.rehashing", int(0)),
        field("overhead.total", int(startup)),
        field("db.dict.rehashing.count", int(0)),
        field("keys.count", int(keys as u64)),
        field("keys.bytes-per-key", int(if keys == 0 { 0 } else { dataset / keys as u64 })),
        field("dataset.bytes", int(dataset)),
        field("dataset.percentage", Frame::Double(if dataset == 0 { 0.0 } else { 100.0 })),
        field("peak.percentage", Frame::Double(used as f64 * 100.0 / peak.max(1) as f64)),
        field("allocator.allocated", int(used)),
        field("allocator.active", int(used)),
        field("allocator.resident", int(used)),
        field("allocator.muzzy", int(0)),
        field("allocator-fragmentation.ratio", Frame::Double(1.0)),
        field("allocator-fragmentation.bytes", int(0)),
        field("allocator-rss.ratio", Frame::Double(1.0)),
        field("allocator-rss.bytes", int(0)),
        field("rss-overhead.ratio", Frame::Double(1.0)),
        field("rss-overhead.bytes", int(0)),
        field("fragmentation", Frame::Double(1.0)),
        field("fragmentation.bytes", int(0)),
    ]);
    Ok(Frame::Map(map))
}

fn memory_purge(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::ok())
}

fn memory_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "MEMORY",
        &[
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
        ],
    ))
}

fn lastsave(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    bgsave::settle(ctx.server, ctx.now);
    Ok(Frame::Integer((ctx.server.last_save_ms / 1000) as i64))
}

/// What a successful save changes: the save time and the count of unsaved changes.
fn record_save(ctx: &mut Ctx) {
    ctx.server.last_save_ms = ctx.now;
    ctx.server.dirty = 0;
}

fn save(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    bgsave::settle(ctx.server, ctx.now);
    if ctx.server.bgsave.is_some() {
        return Err(CmdError::err("Background save already in progress"));
    }
    record_save(ctx);
    ctx.server.stats.rdb_saves += 1;
    Ok(Frame::ok())
}

/// Redis forks a child that writes the dataset as an AOF base; the engine keeps everything in
/// memory, so the rewrite is done as soon as it starts (INFO's `aof_rewrite_in_progress` stays
/// 0). With `appendonly` on, DEBUG LOADAOF reloads what memory holds, as the AOF would; with it
/// off, the base is the dataset as it is now, kept for DEBUG LOADAOF.
fn bgrewriteaof(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    if !ctx.server.config.appendonly {
        ctx.server.aof_base = Some(ctx.server.dbs.clone());
    }
    ctx.server.stats.total_forks += 1;
    ctx.server.stats.aof_rewrites += 1;
    ctx.server.aof_rewrite_ran = true;
    Ok(Frame::Simple("Background append only file rewriting started".into()))
}

fn bgsave(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let schedule_only = args.remaining() == 1 && args.eat("SCHEDULE");
    if !args.is_empty() && !schedule_only {
        return Err(CmdError::syntax());
    }
    bgsave::settle(ctx.server, ctx.now);
    if ctx.server.bgsave.is_some() {
        return Err(CmdError::err("Background save already in progress"));
    }
    bgsave::start(ctx.server, ctx.now);
    Ok(Frame::Simple("Background saving started".into()))
}
