//! INFO's counters are the learner's own: after CONFIG RESETSTAT, the same commands on the
//! oracle and on the engine leave the same value in every INFO stats field the engine can know
//! (commands, bytes in and out, reads and writes, hits and misses, expired keys, errors, forks,
//! failed AUTHs), and the persistence fields that count saves. The fields that measure wall time,
//! CPU time or buffer sizes are listed with the reason they cannot match.

mod common;
use common::{args, remove_saved_file, Session};
use playground_engine::Frame;

/// INFO stats fields not compared, and why.
const NOT_COMPARED: &[(&str, &str)] = &[
    ("instantaneous_ops_per_sec", "a rate over the last samples of wall time"),
    ("instantaneous_input_kbps", "a rate over the last samples of wall time"),
    ("instantaneous_output_kbps", "a rate over the last samples of wall time"),
    (
        "expired_stale_perc",
        "an estimate from the samples of the active expiry cycle, run by wall-clock timers",
    ),
    ("expired_time_cap_reached_count", "counts expiry cycles that ran out of CPU time"),
    ("expire_cycle_cpu_milliseconds", "CPU time"),
    ("total_eviction_exceeded_time", "milliseconds of wall time spent over maxmemory"),
    ("current_eviction_exceeded_time", "milliseconds of wall time spent over maxmemory"),
    ("latest_fork_usec", "the wall time BGSAVE's fork took; the engine forks nothing and prints 0"),
    (
        "reply_buffer_shrinks",
        "the reply buffer is resized by a wall-clock timer after the sizes of past replies",
    ),
    (
        "reply_buffer_expands",
        "the reply buffer is resized by a wall-clock timer after the sizes of past replies",
    ),
    (
        "eventloop_cycles",
        "Redis also wakes for its timers (hz), on wall time; the engine counts one per command",
    ),
    ("eventloop_duration_sum", "wall time"),
    ("eventloop_duration_cmd_sum", "wall time"),
    ("instantaneous_eventloop_cycles_per_sec", "a rate over wall time"),
    ("instantaneous_eventloop_duration_usec", "wall time"),
    // The ACL counters survive CONFIG RESETSTAT and count for every client of the shared oracle
    // since it started: their growth over the script is compared instead.
    ("acl_access_denied_auth", "compared as growth over the script"),
    ("acl_access_denied_cmd", "compared as growth over the script"),
    ("acl_access_denied_key", "compared as growth over the script"),
    ("acl_access_denied_channel", "compared as growth over the script"),
];

/// Persistence fields compared too: the saves the script made and the changes since.
const PERSISTENCE_COMPARED: &[&str] = &[
    "rdb_changes_since_last_save",
    "rdb_bgsave_in_progress",
    "rdb_last_bgsave_status",
    "rdb_saves",
    "aof_enabled",
    "aof_rewrites",
    "aof_last_bgrewrite_status",
];

/// `field:value` lines of an INFO reply, in order.
fn fields(frame: &Frame) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(frame.as_bytes().expect("INFO is a string")).into_owned();
    text.split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn value(fields: &[(String, String)], name: &str) -> i64 {
    let raw = fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    raw.and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} is not a number: {raw:?}"))
}

/// The ACL counters of both sides: (oracle, engine).
fn acl_counters(s: &mut Session) -> (Vec<i64>, Vec<i64>) {
    let (theirs, ours) = s.both(&["INFO", "stats"]);
    let pick = |f: &Frame| {
        let fields = fields(f);
        ["auth", "cmd", "key", "channel"].map(|k| value(&fields, &format!("acl_access_denied_{k}"))).to_vec()
    };
    (pick(&theirs), pick(&ours))
}

#[test]
fn info_stats_count_what_the_commands_did() {
    let mut s = Session::new();
    let (acl_before, our_acl_before) = acl_counters(&mut s);
    s.same(&["CONFIG", "RESETSTAT"]);
    // Replies that differ by nature (HELLO's client id) make the bytes out differ by as much.
    let mut reply_bytes_differ: i64 = 0;
    let script: &[&[&str]] = &[
        &["SET", "info:k", "v"],
        &["GET", "info:k"],
        &["GET", "info:none"],
        &["SET", "info:gone", "v", "PX", "1"],
        &["SLEEP"],
        &["GET", "info:gone"],
        &["HSET", "info:h", "a", "1", "b", "2"],
        &["HGETALL", "info:h"],
        &["NOSUCHCMD", "x"],
        &["GET"],
        &["INCR", "info:k"],
        &["LPUSH", "info:k", "x"],
        &["AUTH", "someone", "pw"],
        &["AUTH", "nopassword"],
        &["HELLO", "2", "AUTH", "bob", "pw"],
        &["HELLO", "3"],
        &["HGETALL", "info:h"],
        &["ZADD", "info:z", "1.5", "a"],
        &["ZSCORE", "info:z", "a"],
        &["ZSCORE", "info:z", "none"],
        &["SMEMBERS", "info:none"],
        &["HELLO", "2"],
        &["MULTI"],
        &["GET", "info:k"],
        &["INCR", "info:n"],
        &["EXEC"],
        &["SAVE"],
        &["BGSAVE"],
        &["SLEEP"],
        &["DEL", "info:k", "info:none"],
        &["SET", "info:big", &"x".repeat(20_000)],
        &["GET", "info:big"],
        &["MGET", "info:big", "info:big", "info:h"],
        &["CONFIG", "GET"],
        &["CONFIG", "SET", "maxmemory", "1"],
        &["SET", "info:refused", "v"],
        &["GET", "info:big"],
        &["CONFIG", "SET", "maxmemory", "0"],
        &["MULTI"],
        &["GET"],
        &["EXEC"],
        // Turning the AOF on rewrites it in a forked child.
        &["CONFIG", "SET", "appendonly", "yes"],
        &["SLEEP"],
        &["CONFIG", "SET", "appendonly", "no"],
    ];
    for line in script {
        match line[0] {
            "SLEEP" => std::thread::sleep(std::time::Duration::from_millis(300)),
            "HELLO" => {
                let (theirs, ours) = s.both_raw(&args(line));
                reply_bytes_differ += ours.len() as i64 - theirs.len() as i64;
            }
            _ => s.same(line),
        }
    }
    let (theirs, ours) = s.both(&["INFO", "stats", "persistence"]);
    let (theirs, ours) = (fields(&theirs), fields(&ours));
    // Persistence comes first in Redis's order; stats open with total_connections_received.
    let their_stats: Vec<&(String, String)> =
        theirs.iter().skip_while(|(k, _)| k != "total_connections_received").collect();
    assert!(their_stats.len() > 50, "INFO stats has its fields: {their_stats:?}");
    let mut compared = 0;
    for (name, their_value) in their_stats {
        if NOT_COMPARED.iter().any(|(n, _)| n == name) {
            continue;
        }
        let our_value = ours.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let expected = if name == "total_net_output_bytes" {
            (value(&theirs, name) + reply_bytes_differ).to_string()
        } else {
            their_value.clone()
        };
        assert_eq!(our_value.as_deref(), Some(expected.as_str()), "{name} (left: emulator, right: Redis)");
        compared += 1;
    }
    assert!(compared > 40, "compared {compared} fields");
    for name in PERSISTENCE_COMPARED {
        let pick = |f: &[(String, String)]| f.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        assert_eq!(pick(&ours), pick(&theirs), "{name} (left: emulator, right: Redis)");
    }
    // Calls, rejections (arity, OOM) and failures per command, in any order (Redis lists them in
    // its hash table's order); usec is CPU time, left out.
    let (theirs, ours) = s.both(&["INFO", "commandstats"]);
    let lines = |f: &Frame| {
        let text = String::from_utf8_lossy(f.as_bytes().expect("INFO is a string")).into_owned();
        let mut lines: Vec<String> = text
            .split("\r\n")
            .filter(|l| l.starts_with("cmdstat_"))
            .map(|l| l.split(',').filter(|p| !p.starts_with("usec")).collect::<Vec<_>>().join(","))
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(lines(&ours), lines(&theirs), "INFO commandstats (left: emulator, right: Redis)");
    // The counters that are not reset grew by as much on both sides.
    let (acl_after, our_acl_after) = acl_counters(&mut s);
    let grew =
        |before: &[i64], after: &[i64]| before.iter().zip(after).map(|(b, a)| a - b).collect::<Vec<_>>();
    assert_eq!(grew(&our_acl_before, &our_acl_after), grew(&acl_before, &acl_after), "acl_access_denied_*");
    remove_saved_file(&mut s);
}

#[test]
fn blocked_clients_and_peak_memory_follow_the_engine() {
    // Engine only: the oracle would need a second connection that waits.
    let mut engine = playground_engine::Engine::new(1, 0);
    let (a, b) = (engine.connect(0), engine.connect(0));
    let run = |e: &mut playground_engine::Engine, c, line: &[&str]| e.execute(c, args(line), 0);
    assert!(matches!(
        engine.execute_blocking(a, args(&["BLPOP", "q1", "q2", "5"]), 0),
        playground_engine::Outcome::Blocked { .. }
    ));
    let stats = fields(&run(&mut engine, b, &["INFO", "clients", "stats"]));
    assert_eq!(value(&stats, "blocked_clients"), 1);
    assert_eq!(value(&stats, "clients_in_timeout_table"), 1);
    assert_eq!(value(&stats, "total_blocking_keys"), 2);
    // The BLPOP was read but not answered yet.
    assert_eq!(value(&stats, "total_reads_processed"), 2);
    assert_eq!(value(&stats, "total_writes_processed"), 0);
    run(&mut engine, b, &["RPUSH", "q2", "x"]);
    assert!(engine.retry_blocked(a, 1).is_some());
    let stats = fields(&run(&mut engine, b, &["INFO", "clients", "stats"]));
    assert_eq!(value(&stats, "blocked_clients"), 0);
    assert_eq!(value(&stats, "total_reads_processed"), 4, "a retried command is read once");
    assert_eq!(value(&stats, "total_writes_processed"), 3);
    // Peak memory stays after the keys go.
    run(&mut engine, b, &["SET", "big", &"x".repeat(100_000)]);
    let peak = value(&fields(&run(&mut engine, b, &["INFO", "memory"])), "used_memory_peak");
    run(&mut engine, b, &["DEL", "big"]);
    let memory = fields(&run(&mut engine, b, &["INFO", "memory"]));
    assert_eq!(value(&memory, "used_memory_peak"), peak);
    assert!(value(&memory, "used_memory") < peak - 100_000);
}
