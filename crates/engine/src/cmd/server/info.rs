//! INFO: the sections and field names of Redis 7.4's INFO, in its order and line format.
//!
//! Every number is the learner's own: counters come from what the engine did since it started
//! (or since CONFIG RESETSTAT, for the fields Redis resets): commands, calls, errors, hits and
//! misses, expired and evicted keys, connections, bytes in and out, reads and writes, saves,
//! failed AUTHs, blocked clients, peak memory. A field the engine has no source for holds what a
//! Redis in the same state reports: 0 for what never happens here (forks' duration, replication,
//! pub/sub, tracking, defragmentation, I/O threads, buffer limits, ACL denials other than AUTH),
//! the constants of a Redis build (version, build id, Lua VM sizes of an empty VM).
//!
//! What the engine cannot know, and prints instead:
//! - wall time and CPU time (`expire_cycle_cpu_milliseconds`, `latest_fork_usec`,
//!   `eventloop_duration_*`, `instantaneous_*`, `used_cpu_*`): 0, the engine runs on a virtual
//!   clock and measures no durations;
//! - memory as an allocator sees it: `used_memory` is the engine's estimate of what Redis would
//!   use for the same keys (see `Server::used_memory`), not a measure; RSS, allocator and
//!   fragmentation fields repeat it (ratios 1.00, differences 0); client buffers
//!   (`mem_clients_normal`, `client_recent_max_*_buffer`) and copy-on-write sizes are 0;
//! - CPU time per command (commandstats' `usec`, `usec_per_call`): 0;
//! - `total_system_memory`, `process_id`, `run_id`, `tcp_port`: fixed, a browser has none.

use crate::config::bytes_to_human;
use crate::ctx::Ctx;
use crate::server::Server;

/// Sections INFO prints with no argument (or `default`), in order.
const DEFAULT_SECTIONS: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "errorstats",
    "cluster",
    "keyspace",
];

/// Sections `INFO all` / `INFO everything` add to the default ones.
const EXTRA_SECTIONS: &[&str] = &["commandstats", "latencystats"];

/// The INFO text for the requested section names (already lowercased).
pub fn info_text(ctx: &Ctx, requested: &[String]) -> String {
    let mut wanted: Vec<&str> = Vec::new();
    let add = |name: &'static str, wanted: &mut Vec<&'static str>| {
        if !wanted.contains(&name) {
            wanted.push(name);
        }
    };
    if requested.is_empty() {
        DEFAULT_SECTIONS.iter().for_each(|s| add(s, &mut wanted));
    }
    for name in requested {
        match name.as_str() {
            "default" => DEFAULT_SECTIONS.iter().for_each(|s| add(s, &mut wanted)),
            "all" | "everything" => {
                for s in DEFAULT_SECTIONS.iter().chain(EXTRA_SECTIONS) {
                    add(s, &mut wanted);
                }
            }
            other => {
                if let Some(s) = DEFAULT_SECTIONS.iter().chain(EXTRA_SECTIONS).find(|s| **s == other) {
                    add(s, &mut wanted);
                }
            }
        }
    }
    // Redis prints sections in its own order, whatever order they were asked in.
    let order = [
        "server",
        "clients",
        "memory",
        "persistence",
        "stats",
        "replication",
        "cpu",
        "modules",
        "commandstats",
        "errorstats",
        "latencystats",
        "cluster",
        "keyspace",
    ];
    let mut seen = Vec::new();
    let mut out = String::new();
    for name in order {
        if !wanted.contains(&name) || seen.contains(&name) {
            continue;
        }
        seen.push(name);
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        section(ctx, name, &mut out);
    }
    out
}

fn title(name: &str) -> &'static str {
    match name {
        "server" => "Server",
        "clients" => "Clients",
        "memory" => "Memory",
        "persistence" => "Persistence",
        "stats" => "Stats",
        "replication" => "Replication",
        "cpu" => "CPU",
        "modules" => "Modules",
        "commandstats" => "Commandstats",
        "errorstats" => "Errorstats",
        "latencystats" => "Latencystats",
        "cluster" => "Cluster",
        _ => "Keyspace",
    }
}

/// The replica's part of INFO replication after `role:slave`: the link's state, and the
/// offset reached (while the link is down, the one it had as a primary: Redis caches itself as
/// the primary to resume from).
fn link_lines(ctx: &Ctx, out: &mut String) {
    let server = &*ctx.server;
    let Some((host, port)) = &server.repl.primary else { return };
    let yes = |name: &str| u8::from(server.config.is_on(name));
    let secs = |since: u64| (ctx.now.saturating_sub(since) / 1000) as i64;
    let (status, last_io, offset) = match &server.repl.link {
        Some(link) => ("up", secs(link.last_io), link.offset),
        None => ("down", -1, server.repl.offset),
    };
    out.push_str(&format!(
        "master_host:{host}\r\nmaster_port:{port}\r\nmaster_link_status:{status}\r\n\
         master_last_io_seconds_ago:{last_io}\r\nmaster_sync_in_progress:0\r\n\
         slave_read_repl_offset:{offset}\r\nslave_repl_offset:{offset}\r\n"
    ));
    if server.repl.link.is_none() {
        let since = server.repl.link_down_since.map_or(-1, secs);
        out.push_str(&format!("master_link_down_since_seconds:{since}\r\n"));
    }
    out.push_str(&format!(
        "slave_priority:{}\r\nslave_read_only:{}\r\nreplica_announced:{}\r\n",
        server.config.get("replica-priority").unwrap_or_else(|| "100".into()),
        yes("replica-read-only"),
        yes("replica-announced"),
    ));
}

fn section(ctx: &Ctx, name: &str, out: &mut String) {
    out.push_str("# ");
    out.push_str(title(name));
    out.push_str("\r\n");
    let server = &*ctx.server;
    let fixed: &[(&str, &str)] = match name {
        "server" => INFO_SERVER,
        "clients" => INFO_CLIENTS,
        "memory" => INFO_MEMORY,
        "persistence" => INFO_PERSISTENCE,
        "stats" => INFO_STATS,
        "replication" => INFO_REPLICATION,
        "cpu" => INFO_CPU,
        "cluster" => INFO_CLUSTER,
        _ => &[],
    };
    for (field, default) in fixed {
        let value = live_value(ctx, field).unwrap_or_else(|| (*default).to_string());
        out.push_str(&format!("{field}:{value}\r\n"));
        if *field == "role" {
            link_lines(ctx, out);
        }
        if *field == "connected_slaves" {
            for (i, r) in crate::cmd::replication::replica_lines(server, ctx.now).iter().enumerate() {
                out.push_str(&format!(
                    "slave{i}:ip={},port={},state=online,offset={},lag={}\r\n",
                    r.ip, r.port, r.offset, r.lag
                ));
            }
        }
    }
    match name {
        "modules" => out.push_str(&format!(
            "module:name=ReJSON,ver={},api=1,filters=0,usedby=[search],using=[],options=[handle-io-errors]\r\n\
             module:name=search,ver={},api=1,filters=0,usedby=[],using=[ReJSON],options=[handle-io-errors]\r\n",
            crate::cmd::connection::JSON_MODULE_VERSION,
            crate::cmd::connection::SEARCH_MODULE_VERSION
        )),
        "errorstats" => {
            for (kind, count) in &server.stats.error_counts {
                out.push_str(&format!("errorstat_{kind}:count={count}\r\n"));
            }
        }
        "commandstats" => {
            let mut lines: Vec<_> = server.stats.command_calls.values().collect();
            crate::order::sort_by(&mut lines, |a, b| a.name.cmp(&b.name));
            // usec: CPU time, which the engine does not measure.
            for line in lines {
                out.push_str(&format!(
                    "cmdstat_{}:calls={},usec=0,usec_per_call=0.00,rejected_calls={},failed_calls={}\r\n",
                    line.name, line.calls, line.rejected, line.failed
                ));
            }
        }
        "keyspace" => keyspace(server, ctx.now, out),
        _ => {}
    }
}

/// `db0:keys=1,expires=0,avg_ttl=0,subexpiry=0` for every non-empty database.
fn keyspace(server: &Server, now: u64, out: &mut String) {
    for (index, db) in server.dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        let (mut total, mut counted) = (0u128, 0u128);
        for (_, entry) in db.iter() {
            if let Some(at) = entry.expires_at {
                total += at.saturating_sub(now) as u128;
                counted += 1;
            }
        }
        let avg_ttl = total.checked_div(counted).unwrap_or(0);
        out.push_str(&format!(
            "db{index}:keys={},expires={},avg_ttl={avg_ttl},subexpiry={}\r\n",
            db.len(),
            db.expires_len(),
            db.hashes_with_field_ttls()
        ));
    }
}

/// The value of a field the engine tracks, or None to print the fixed value of the tables below.
fn live_value(ctx: &Ctx, field: &str) -> Option<String> {
    let server = &*ctx.server;
    let stats = &server.stats;
    let config = &server.config;
    let used = server.used_memory();
    // The peak is sampled after every command; INFO itself samples it too, as Redis's does.
    let peak = stats.peak_memory.max(used);
    let startup = crate::server::BASE_MEMORY;
    let dataset = used.saturating_sub(startup);
    let uptime = ctx.now.saturating_sub(server.started_ms) / 1000;
    let clients = || server.clients.values().map(|c| &**c).chain(std::iter::once(&*ctx.client));
    let percent = |part: u64, whole: u64| format!("{:.2}%", part as f64 * 100.0 / whole.max(1) as f64);
    Some(match field {
        "redis_version" => crate::cmd::connection::REDIS_VERSION.to_string(),
        "server_time_usec" => ctx.now.saturating_mul(1000).to_string(),
        "uptime_in_seconds" => uptime.to_string(),
        "uptime_in_days" => (uptime / 86_400).to_string(),
        "hz" | "configured_hz" => config.hz.to_string(),
        "lru_clock" => ((ctx.now / 1000) & ((1 << 24) - 1)).to_string(),
        "connected_clients" => clients().count().to_string(),
        "blocked_clients" => clients().filter(|c| c.parked.is_some()).count().to_string(),
        "clients_in_timeout_table" => {
            clients().filter(|c| matches!(c.parked, Some((_, Some(_))))).count().to_string()
        }
        "tracking_clients" => clients().filter(|c| c.tracking.is_some()).count().to_string(),
        "tracking_total_keys" => server.tracking.totals().0.to_string(),
        "tracking_total_items" => server.tracking.totals().1.to_string(),
        "tracking_total_prefixes" => server.tracking.totals().2.to_string(),
        "pubsub_clients" => clients().filter(|c| c.subs.active()).count().to_string(),
        "pubsub_channels" => server.pubsub.channels.len().to_string(),
        "pubsub_patterns" => server.pubsub.patterns.len().to_string(),
        "pubsubshard_channels" => server.pubsub.shard.len().to_string(),
        "total_blocking_keys" => blocking_keys(clients(), false).to_string(),
        "total_blocking_keys_on_nokey" => blocking_keys(clients(), true).to_string(),
        "watching_clients" => clients().filter(|c| !c.watched.is_empty()).count().to_string(),
        "total_watched_keys" => server.watchers.len().to_string(),
        "used_memory"
        | "used_memory_rss"
        | "allocator_allocated"
        | "allocator_active"
        | "allocator_resident" => used.to_string(),
        "used_memory_human" | "used_memory_rss_human" => bytes_to_human(used),
        "used_memory_peak" => peak.to_string(),
        "used_memory_peak_human" => bytes_to_human(peak),
        "used_memory_peak_perc" => percent(used, peak),
        "used_memory_overhead" | "used_memory_startup" => startup.to_string(),
        "used_memory_dataset" => dataset.to_string(),
        // Redis: dataset * 100 / (used - startup); here all above startup is dataset.
        "used_memory_dataset_perc" => percent(dataset, dataset),
        "maxmemory" => config.maxmemory.to_string(),
        "maxmemory_human" => bytes_to_human(config.maxmemory),
        "number_of_cached_scripts" => server.scripts.bodies.len().to_string(),
        "number_of_functions" => server.scripts.functions.len().to_string(),
        "number_of_libraries" => server.scripts.libraries.len().to_string(),
        "used_memory_vm_functions" => vm_functions(server).to_string(),
        "used_memory_vm_total" => (31744 + vm_functions(server)).to_string(),
        "used_memory_vm_total_human" => bytes_to_human(31744 + vm_functions(server)),
        "lazyfreed_objects" => stats.lazyfreed_objects.to_string(),
        "reply_buffer_shrinks" => server.reply_buffers.shrinks.to_string(),
        "reply_buffer_expands" => server.reply_buffers.expands.to_string(),
        "used_memory_scripts_eval" => server
            .scripts
            .bodies
            .iter()
            .map(|(sha, (body, _))| sha.len() + body.len())
            .sum::<usize>()
            .to_string(),
        "maxmemory_policy" => config.policy.name().to_string(),
        "rdb_changes_since_last_save" => server.dirty.to_string(),
        "role" => if server.repl.primary.is_some() { "slave" } else { "master" }.to_string(),
        // Replicas attached with SYNC/PSYNC and the bytes of the stream they were sent.
        "connected_slaves" => server.repl.replicas().len().to_string(),
        // A replica's own offset is the one it reached in its primary's stream.
        "master_repl_offset" => {
            server.repl.link.as_ref().map_or(server.repl.offset, |l| l.offset).to_string()
        }
        "rdb_last_save_time" => (server.last_save_ms / 1000).to_string(),
        "rdb_saves" => stats.rdb_saves.to_string(),
        "rdb_bgsave_in_progress" => u8::from(server.bgsave.is_some()).to_string(),
        "rdb_current_bgsave_time_sec" => {
            server.bgsave.map_or(-1, |c| (ctx.now.saturating_sub(c.start) / 1000) as i64).to_string()
        }
        "rdb_last_bgsave_time_sec" => if server.bgsave_ran { "0" } else { "-1" }.to_string(),
        "rdb_last_load_keys_loaded" => server.last_load.0.to_string(),
        "rdb_last_load_keys_expired" => server.last_load.1.to_string(),
        "aof_enabled" => u8::from(config.appendonly).to_string(),
        "aof_rewrites" => stats.aof_rewrites.to_string(),
        "aof_last_rewrite_time_sec" => if server.aof_rewrite_ran { "0" } else { "-1" }.to_string(),
        "total_connections_received" => stats.total_connections_received.to_string(),
        "total_commands_processed" => stats.total_commands_processed.to_string(),
        "total_net_input_bytes" => stats.net_input_bytes.to_string(),
        "total_net_output_bytes" => stats.net_output_bytes.to_string(),
        "expired_keys" => stats.expired_keys.to_string(),
        "expired_subkeys" => stats.expired_subkeys.to_string(),
        "evicted_keys" => stats.evicted_keys.to_string(),
        "keyspace_hits" => stats.keyspace_hits.to_string(),
        "keyspace_misses" => stats.keyspace_misses.to_string(),
        "total_forks" => stats.total_forks.to_string(),
        "total_error_replies" => stats.total_error_replies.to_string(),
        "total_reads_processed" => stats.reads_processed.to_string(),
        "total_writes_processed" => stats.writes_processed.to_string(),
        // One event-loop cycle per command read: Redis also wakes for its timers (hz), which
        // run on wall time here absent.
        "eventloop_cycles" => stats.reads_processed.to_string(),
        "acl_access_denied_auth" => server.auth_failures.to_string(),
        "acl_access_denied_cmd" => server.acl.denied[0].to_string(),
        "acl_access_denied_key" => server.acl.denied[1].to_string(),
        "acl_access_denied_channel" => server.acl.denied[2].to_string(),
        _ => return None,
    })
}

/// Distinct keys that parked blocking commands wait on (`total_blocking_keys`); with `nokey`,
/// those an XREADGROUP waits on (woken by deletion too: `total_blocking_keys_on_nokey`).
fn blocking_keys<'a>(clients: impl Iterator<Item = &'a crate::server::Client>, nokey: bool) -> usize {
    let mut keys: Vec<(usize, &[u8])> = Vec::new();
    for client in clients {
        let Some((args, _)) = client.parked.as_ref().filter(|_| !client.postponed) else { continue };
        if nokey && !args[0].eq_ignore_ascii_case(b"xreadgroup") {
            continue;
        }
        for key in crate::cmd::blocking::blocking_keys(args) {
            if !keys.contains(&(client.db, &key[..])) {
                keys.push((client.db, &key[..]));
            }
        }
    }
    keys.len()
}

// The lines of each section in Redis's order. A field `live_value` knows is printed from the
// engine's state and its value here is never shown (kept at 0); the others are printed as
// written: what a Redis 7.4 in the engine's state reports (see the module's doc).

const INFO_SERVER: &[(&str, &str)] = &[
    ("redis_version", "7.4.1"),
    ("redis_git_sha1", "00000000"),
    ("redis_git_dirty", "0"),
    ("redis_build_id", "106c3cedafd001c0"),
    ("redis_mode", "standalone"),
    ("os", "Linux 6.1.0 wasm32"),
    ("arch_bits", "64"),
    ("monotonic_clock", "POSIX clock_gettime"),
    ("multiplexing_api", "epoll"),
    ("atomicvar_api", "c11-builtin"),
    ("gcc_version", "12.2.0"),
    ("process_id", "1"),
    ("process_supervised", "no"),
    ("run_id", "0000000000000000000000000000000000000000"),
    ("tcp_port", "6379"),
    ("server_time_usec", "0"),
    ("uptime_in_seconds", "0"),
    ("uptime_in_days", "0"),
    ("hz", "10"),
    ("configured_hz", "10"),
    ("lru_clock", "0"),
    ("executable", "/usr/local/bin/redis-server"),
    ("config_file", ""),
    ("io_threads_active", "0"),
    ("listener0", "name=tcp,bind=*,-::*,port=6379"),
];
const INFO_CLIENTS: &[(&str, &str)] = &[
    ("connected_clients", "1"),
    ("cluster_connections", "0"),
    ("maxclients", "10000"),
    ("client_recent_max_input_buffer", "0"),
    ("client_recent_max_output_buffer", "0"),
    ("blocked_clients", "0"),
    ("tracking_clients", "0"),
    ("pubsub_clients", "0"),
    ("watching_clients", "0"),
    ("clients_in_timeout_table", "0"),
    ("total_watched_keys", "0"),
    ("total_blocking_keys", "0"),
    ("total_blocking_keys_on_nokey", "0"),
];
const INFO_MEMORY: &[(&str, &str)] = &[
    ("used_memory", "0"),
    ("used_memory_human", "0B"),
    ("used_memory_rss", "0"),
    ("used_memory_rss_human", "0B"),
    ("used_memory_peak", "0"),
    ("used_memory_peak_human", "0B"),
    ("used_memory_peak_perc", "0.00%"),
    ("used_memory_overhead", "0"),
    ("used_memory_startup", "0"),
    ("used_memory_dataset", "0"),
    ("used_memory_dataset_perc", "0.00%"),
    ("allocator_allocated", "0"),
    ("allocator_active", "0"),
    ("allocator_resident", "0"),
    ("allocator_muzzy", "0"),
    ("total_system_memory", "2147483648"),
    ("total_system_memory_human", "2.00G"),
    ("used_memory_lua", "31744"),
    ("used_memory_vm_eval", "31744"),
    ("used_memory_lua_human", "31.00K"),
    ("used_memory_scripts_eval", "0"),
    ("number_of_cached_scripts", "0"),
    ("number_of_functions", "0"),
    ("number_of_libraries", "0"),
    ("used_memory_vm_functions", "32768"),
    ("used_memory_vm_total", "64512"),
    ("used_memory_vm_total_human", "63.00K"),
    ("used_memory_functions", "192"),
    ("used_memory_scripts", "192"),
    ("used_memory_scripts_human", "192B"),
    ("maxmemory", "0"),
    ("maxmemory_human", "0B"),
    ("maxmemory_policy", "noeviction"),
    ("allocator_frag_ratio", "1.00"),
    ("allocator_frag_bytes", "0"),
    ("allocator_rss_ratio", "1.00"),
    ("allocator_rss_bytes", "0"),
    ("rss_overhead_ratio", "1.00"),
    ("rss_overhead_bytes", "0"),
    ("mem_fragmentation_ratio", "1.00"),
    ("mem_fragmentation_bytes", "0"),
    ("mem_not_counted_for_evict", "0"),
    ("mem_replication_backlog", "0"),
    ("mem_total_replication_buffers", "0"),
    ("mem_clients_slaves", "0"),
    ("mem_clients_normal", "0"),
    ("mem_cluster_links", "0"),
    ("mem_aof_buffer", "0"),
    ("mem_allocator", "jemalloc-5.3.0"),
    ("mem_overhead_db_hashtable_rehashing", "0"),
    ("active_defrag_running", "0"),
    ("lazyfree_pending_objects", "0"),
    ("lazyfreed_objects", "0"),
];
const INFO_PERSISTENCE: &[(&str, &str)] = &[
    ("loading", "0"),
    ("async_loading", "0"),
    ("current_cow_peak", "0"),
    ("current_cow_size", "0"),
    ("current_cow_size_age", "0"),
    ("current_fork_perc", "0.00"),
    ("current_save_keys_processed", "0"),
    ("current_save_keys_total", "0"),
    ("rdb_changes_since_last_save", "0"),
    ("rdb_bgsave_in_progress", "0"),
    ("rdb_last_save_time", "0"),
    ("rdb_last_bgsave_status", "ok"),
    ("rdb_last_bgsave_time_sec", "-1"),
    ("rdb_current_bgsave_time_sec", "-1"),
    ("rdb_saves", "0"),
    ("rdb_last_cow_size", "0"),
    ("rdb_last_load_keys_expired", "0"),
    ("rdb_last_load_keys_loaded", "0"),
    ("aof_enabled", "0"),
    ("aof_rewrite_in_progress", "0"),
    ("aof_rewrite_scheduled", "0"),
    ("aof_last_rewrite_time_sec", "-1"),
    ("aof_current_rewrite_time_sec", "-1"),
    ("aof_last_bgrewrite_status", "ok"),
    ("aof_rewrites", "0"),
    ("aof_rewrites_consecutive_failures", "0"),
    ("aof_last_write_status", "ok"),
    ("aof_last_cow_size", "0"),
    ("module_fork_in_progress", "0"),
    ("module_fork_last_cow_size", "0"),
];
const INFO_STATS: &[(&str, &str)] = &[
    ("total_connections_received", "0"),
    ("total_commands_processed", "0"),
    ("instantaneous_ops_per_sec", "0"),
    ("total_net_input_bytes", "0"),
    ("total_net_output_bytes", "0"),
    ("total_net_repl_input_bytes", "0"),
    ("total_net_repl_output_bytes", "0"),
    ("instantaneous_input_kbps", "0.00"),
    ("instantaneous_output_kbps", "0.00"),
    ("instantaneous_input_repl_kbps", "0.00"),
    ("instantaneous_output_repl_kbps", "0.00"),
    ("rejected_connections", "0"),
    ("sync_full", "0"),
    ("sync_partial_ok", "0"),
    ("sync_partial_err", "0"),
    ("expired_subkeys", "0"),
    ("expired_keys", "0"),
    ("expired_stale_perc", "0.00"),
    ("expired_time_cap_reached_count", "0"),
    ("expire_cycle_cpu_milliseconds", "0"),
    ("evicted_keys", "0"),
    ("evicted_clients", "0"),
    ("evicted_scripts", "0"),
    ("total_eviction_exceeded_time", "0"),
    ("current_eviction_exceeded_time", "0"),
    ("keyspace_hits", "0"),
    ("keyspace_misses", "0"),
    ("pubsub_channels", "0"),
    ("pubsub_patterns", "0"),
    ("pubsubshard_channels", "0"),
    ("latest_fork_usec", "0"),
    ("total_forks", "0"),
    ("migrate_cached_sockets", "0"),
    ("slave_expires_tracked_keys", "0"),
    ("active_defrag_hits", "0"),
    ("active_defrag_misses", "0"),
    ("active_defrag_key_hits", "0"),
    ("active_defrag_key_misses", "0"),
    ("total_active_defrag_time", "0"),
    ("current_active_defrag_time", "0"),
    ("tracking_total_keys", "0"),
    ("tracking_total_items", "0"),
    ("tracking_total_prefixes", "0"),
    ("unexpected_error_replies", "0"),
    ("total_error_replies", "0"),
    ("dump_payload_sanitizations", "0"),
    ("total_reads_processed", "0"),
    ("total_writes_processed", "0"),
    ("io_threaded_reads_processed", "0"),
    ("io_threaded_writes_processed", "0"),
    ("client_query_buffer_limit_disconnections", "0"),
    ("client_output_buffer_limit_disconnections", "0"),
    ("reply_buffer_shrinks", "0"),
    ("reply_buffer_expands", "0"),
    ("eventloop_cycles", "0"),
    ("eventloop_duration_sum", "0"),
    ("eventloop_duration_cmd_sum", "0"),
    ("instantaneous_eventloop_cycles_per_sec", "0"),
    ("instantaneous_eventloop_duration_usec", "0"),
    ("acl_access_denied_auth", "0"),
    ("acl_access_denied_cmd", "0"),
    ("acl_access_denied_key", "0"),
    ("acl_access_denied_channel", "0"),
];
const INFO_REPLICATION: &[(&str, &str)] = &[
    ("role", "master"),
    ("connected_slaves", "0"),
    ("master_failover_state", "no-failover"),
    ("master_replid", "0000000000000000000000000000000000000000"),
    ("master_replid2", "0000000000000000000000000000000000000000"),
    ("master_repl_offset", "0"),
    ("second_repl_offset", "-1"),
    ("repl_backlog_active", "0"),
    ("repl_backlog_size", "1048576"),
    ("repl_backlog_first_byte_offset", "0"),
    ("repl_backlog_histlen", "0"),
];
const INFO_CPU: &[(&str, &str)] = &[
    ("used_cpu_sys", "0.000000"),
    ("used_cpu_user", "0.000000"),
    ("used_cpu_sys_children", "0.000000"),
    ("used_cpu_user_children", "0.000000"),
    ("used_cpu_sys_main_thread", "0.000000"),
    ("used_cpu_user_main_thread", "0.000000"),
];
const INFO_CLUSTER: &[(&str, &str)] = &[("cluster_enabled", "0")];

/// `used_memory_vm_functions`: the functions' Lua VM, empty at 32 KB as Redis's, and its
/// library's code plus 128 bytes per function after a collection (Redis's figure moves with
/// Lua's GC; its suite bounds 50,000 small libraries below 14.5 MB).
fn vm_functions(server: &Server) -> u64 {
    let libs = server.scripts.libraries.values();
    32768 + libs.map(|l| l.code.len() as u64 + 128 * l.functions.len() as u64).sum::<u64>() / 1024 * 1024
}
