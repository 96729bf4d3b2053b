//! CONFIG GET and CONFIG SET over Redis 7.4.1's whole parameter table, RESP2 and RESP3: every
//! name and alias with its default (bar the ones that describe one process: its port, files,
//! address), each kind's parsing and errors (yes/no, enums and flag enums, integers with bounds,
//! memory units, percentages, unsigned and octal ones, the special forms), unknown, immutable,
//! hidden and duplicate parameters, and the all-or-nothing rollback of several pairs.

mod common;
use common::Session;
use playground_engine::Frame;

/// The settings of one server process: the oracle's are its own.
const PROCESS: &[&str] = &["port", "dir", "bind", "logfile", "pidfile", "daemonize"];

fn pairs(frame: &Frame) -> Vec<(String, String)> {
    let items: Vec<Frame> = match frame {
        Frame::Map(m) => m.iter().flat_map(|(k, v)| [k.clone(), v.clone()]).collect(),
        Frame::Array(a) => a.clone(),
        other => panic!("CONFIG GET: {other:?}"),
    };
    let text = |f: &Frame| String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned();
    let mut out: Vec<(String, String)> = items.chunks(2).map(|p| (text(&p[0]), text(&p[1]))).collect();
    out.sort();
    out
}

#[test]
fn every_parameter_with_its_default() {
    let mut s = Session::new();
    let (redis, ours) = s.both(&["CONFIG", "GET", "*"]);
    let (redis, ours) = (pairs(&redis), pairs(&ours));
    let names = |p: &[(String, String)]| p.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&redis), "CONFIG GET * names");
    let differing: Vec<String> = ours
        .iter()
        .zip(&redis)
        .filter(|(o, r)| o != r && !PROCESS.contains(&o.0.as_str()))
        .map(|(o, r)| format!("{}: ours {:?}, Redis {:?}", o.0, o.1, r.1))
        .collect();
    assert!(differing.is_empty(), "defaults differ:\n{}", differing.join("\n"));
}

fn set_and_get(s: &mut Session) {
    restore(s);
    s.script(&[
        &["CONFIG", "SET", "nosuch", "1"],
        &["CONFIG", "SET", "daemonize", "yes"],
        &["CONFIG", "SET", "unixsocketperm", "777"],
        &["CONFIG", "SET", "replicaof", "a 1"],
        &["CONFIG", "SET", "activerehashing", "maybe"],
        &["CONFIG", "SET", "activerehashing", "NO"],
        &["CONFIG", "GET", "activerehashing"],
        &["CONFIG", "SET", "loglevel", "loud"],
        &["CONFIG", "SET", "loglevel", "WARNING"],
        &["CONFIG", "GET", "loglevel"],
        &["CONFIG", "SET", "shutdown-on-sigint", "now nosave"],
        &["CONFIG", "GET", "shutdown-on-sigint"],
        &["CONFIG", "SET", "shutdown-on-sigint", "default now"],
        &["CONFIG", "GET", "shutdown-on-sigint"],
        &["CONFIG", "SET", "shutdown-on-sigint", "now later"],
        &["CONFIG", "SET", "shutdown-on-sigint", "default"],
        &["CONFIG", "GET", "shutdown-on-sigint"],
        &["CONFIG", "SET", "slowlog-max-len", "x"],
        &["CONFIG", "SET", "slowlog-max-len", "-1"],
        &["CONFIG", "SET", "slowlog-max-len", "1k"],
        &["CONFIG", "SET", "slowlog-max-len", "64"],
        &["CONFIG", "GET", "slowlog-max-len"],
        &["CONFIG", "SET", "slowlog-log-slower-than", "-5"],
        &["CONFIG", "GET", "slowlog-log-slower-than"],
        &["CONFIG", "SET", "repl-backlog-size", "1mb"],
        &["CONFIG", "GET", "repl-backlog-size"],
        &["CONFIG", "SET", "repl-backlog-size", "1 mb"],
        &["CONFIG", "SET", "repl-backlog-size", "-1"],
        &["CONFIG", "SET", "active-defrag-ignore-bytes", "0"],
        &["CONFIG", "SET", "active-defrag-ignore-bytes", "-1"],
        &["CONFIG", "SET", "max-new-connections-per-cycle", "0"],
        &["CONFIG", "SET", "max-new-connections-per-cycle", "-1"],
        &["CONFIG", "SET", "max-new-connections-per-cycle", "20"],
        &["CONFIG", "GET", "max-new-connections-per-cycle"],
        &["CONFIG", "SET", "maxmemory-clients", "200%"],
        &["CONFIG", "SET", "maxmemory-clients", "x"],
        &["CONFIG", "SET", "maxmemory-clients", "20%"],
        &["CONFIG", "GET", "maxmemory-clients"],
        &["CONFIG", "SET", "maxmemory-clients", "1kb"],
        &["CONFIG", "GET", "maxmemory-clients"],
        &["CONFIG", "SET", "maxmemory-clients", "0"],
        &["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1 2"],
        &["CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"],
        &["CONFIG", "SET", "client-output-buffer-limit", "pubsub x 2 3"],
        &["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 2k 3 replica 1 2 3"],
        &["CONFIG", "GET", "client-output-buffer-limit"],
        &["CONFIG", "SET", "oom-score-adj-values", "1 2"],
        &["CONFIG", "SET", "oom-score-adj-values", "1 2 3000"],
        &["CONFIG", "SET", "oom-score-adj-values", "1 -2 3"],
        &["CONFIG", "GET", "oom-score-adj-values"],
        &["CONFIG", "SET", "latency-tracking-info-percentiles", "101"],
        &["CONFIG", "SET", "latency-tracking-info-percentiles", "x"],
        &["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.99 1.5"],
        &["CONFIG", "GET", "latency-tracking-info-percentiles"],
        &["CONFIG", "SET", "slave-lazy-flush", "yes"],
        &["CONFIG", "GET", "key-load-delay"],
        &["CONFIG", "SET", "maxmemory", "10000001", "maxmemory", "10000002"],
        &["CONFIG", "SET", "maxmemory", "10000002"],
        &[
            "CONFIG",
            "SET",
            "maxmemory",
            "10000001",
            "maxmemory-clients",
            "200%",
            "client-query-buffer-limit",
            "x",
        ],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "10000001", "repl-backlog-size", "10000002", "save", "3000 5"],
        &["CONFIG", "GET", "repl-backlog-size"],
        &["CONFIG", "SET", "MAXMEMORY", "abc"],
        &["CONFIG", "SET", "Slave-Announce-Port", "x"],
        &["CONFIG", "SET", "LUA-Time-Limit", "-"],
        &["CONFIG", "SET", "maxmemory", "1", "Maxmemory", "2"],
        &["CONFIG", "SET", "DAEMONIZE", "yes"],
        &["CONFIG", "SET", "lua-time-limit", "6000"],
        &["CONFIG", "GET", "busy-reply-threshold"],
    ]);
    // Several names come back in the order of Redis's dict: compared as pairs.
    s.same_pairs(&["CONFIG", "GET", "replica-lazy-flush", "slave-lazy-flush"]);
    s.same_pairs(&["CONFIG", "GET", "KEY-LOAD-DELAY", "maxmemory", "nosuch", "maxmemory"]);
    for pattern in ["*load-delay*", "slave*", "*of", "maxmemory*", "*-max-*", "tls-*", "*LAZY*"] {
        s.same_pairs(&["CONFIG", "GET", pattern]);
    }
    s.same_pairs(&["CONFIG", "GET", "maxmemory", "maxmemory*", "appendfsync", "*of"]);
    restore(s);
}

/// A fresh server's values (also before the steps: a failed run may have left others).
fn restore(s: &mut Session) {
    s.run(&["CONFIG", "SET", "activerehashing", "yes", "loglevel", "notice", "slowlog-max-len", "128"]);
    s.run(&["CONFIG", "SET", "slowlog-log-slower-than", "10000", "repl-backlog-size", "1048576", "save", ""]);
    s.run(&[
        "CONFIG",
        "SET",
        "max-new-connections-per-cycle",
        "10",
        "replica-lazy-flush",
        "no",
        "maxmemory",
        "0",
    ]);
    s.run(&[
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "pubsub 33554432 8388608 60 replica 268435456 67108864 60",
    ]);
    s.run(&[
        "CONFIG",
        "SET",
        "oom-score-adj-values",
        "0 200 800",
        "latency-tracking-info-percentiles",
        "50 99 99.9",
    ]);
    s.run(&["CONFIG", "SET", "busy-reply-threshold", "5000"]);
}

#[test]
fn set_and_get_resp2() {
    let mut s = Session::new();
    set_and_get(&mut s);
}

#[test]
fn set_and_get_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    set_and_get(&mut s);
}
