//! The encoding thresholds CONFIG SET changes (`set-max-intset-entries`, `*-max-listpack-*`,
//! their `ziplist` aliases, `list-max-listpack-size`, `list-compress-depth`): their CONFIG
//! GET/SET with Redis 7.4's validation and errors, and OBJECT ENCODING following them.
//!
//! The tests change the oracle's settings, so they take turns (one lock) and put the
//! defaults back before and after.

mod common;
use common::{args, Session};
use std::sync::Mutex;

/// Databases these tests use, away from those of other test binaries.
const DB: usize = 13;

static TURN: Mutex<()> = Mutex::new(());

const DEFAULTS: &[&str] = &[
    "CONFIG",
    "SET",
    "set-max-intset-entries",
    "512",
    "set-max-listpack-entries",
    "128",
    "set-max-listpack-value",
    "64",
    "zset-max-listpack-entries",
    "128",
    "zset-max-listpack-value",
    "64",
    "hash-max-listpack-entries",
    "512",
    "hash-max-listpack-value",
    "64",
    "list-max-listpack-size",
    "-2",
    "list-compress-depth",
    "0",
];

fn session() -> Session {
    let mut s = Session::new();
    s.oracle.raw(&args(&["SELECT", &DB.to_string()]));
    s.engine.server_mut().clients.entry(s.client).or_default().db = DB;
    s.same(&["FLUSHDB"]);
    s.same(DEFAULTS);
    s
}

#[test]
fn settings_and_their_errors() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = session();
    let names = [
        "set-max-intset-entries",
        "set-max-listpack-entries",
        "set-max-listpack-value",
        "zset-max-listpack-entries",
        "zset-max-ziplist-entries",
        "zset-max-listpack-value",
        "zset-max-ziplist-value",
        "hash-max-listpack-entries",
        "hash-max-ziplist-entries",
        "hash-max-listpack-value",
        "hash-max-ziplist-value",
        "list-max-listpack-size",
        "list-max-ziplist-size",
        "list-compress-depth",
    ];
    for name in names {
        s.same(&["CONFIG", "GET", name]);
        for value in ["-1", "x", "1.5", "", "99999999999", "9223372036854775808", "7"] {
            s.same(&["CONFIG", "SET", name, value]);
            s.same(&["CONFIG", "GET", name]);
        }
    }
    s.script(&[
        &["CONFIG", "SET", "list-max-ziplist-size", "-5"],
        &["CONFIG", "GET", "list-max-listpack-size"],
        &["CONFIG", "SET", "list-max-listpack-size", "-2147483648"],
        &["CONFIG", "GET", "list-max-ziplist-size"],
        &["CONFIG", "SET", "list-max-listpack-size", "-2147483649"],
        &["CONFIG", "SET", "hash-max-ziplist-value", "9", "hash-max-listpack-value", "10"],
        &["CONFIG", "GET", "hash-max-ziplist-value"],
        &["CONFIG", "SET", "zset-max-listpack-entries", "5", "zset-max-listpack-value", "-1"],
        &["CONFIG", "GET", "zset-max-listpack-entries"],
        &["CONFIG", "SET", "list-compress-depth", "2147483648"],
    ]);
    s.same(DEFAULTS);
}

#[test]
fn sets_follow_the_thresholds() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = session();
    s.script(&[
        &["CONFIG", "SET", "set-max-intset-entries", "0", "set-max-listpack-entries", "0"],
        &["SADD", "e:s1", "1", "2", "3"],
        &["OBJECT", "ENCODING", "e:s1"],
        &["CONFIG", "SET", "set-max-intset-entries", "3", "set-max-listpack-entries", "4"],
        &["SADD", "e:s2", "1", "2", "3"],
        &["OBJECT", "ENCODING", "e:s2"],
        &["SADD", "e:s2", "4"],
        &["OBJECT", "ENCODING", "e:s2"],
        &["SADD", "e:s2", "5"],
        &["OBJECT", "ENCODING", "e:s2"],
        &["CONFIG", "SET", "set-max-listpack-value", "3"],
        &["SADD", "e:s3", "abc"],
        &["OBJECT", "ENCODING", "e:s3"],
        &["SADD", "e:s3", "abcd"],
        &["OBJECT", "ENCODING", "e:s3"],
        &["CONFIG", "SET", "set-max-intset-entries", "512", "set-max-listpack-entries", "128"],
        &["SADD", "e:s1", "4"],
        &["OBJECT", "ENCODING", "e:s1"],
    ]);
    s.same_unordered(&["SMEMBERS", "e:s2"]);
    // With no intsets, two integers make a listpack.
    s.script(&[
        &["CONFIG", "SET", "set-max-intset-entries", "0"],
        &["SADD", "e:s4", "1", "2"],
        &["OBJECT", "ENCODING", "e:s4"],
        &["MEMORY", "USAGE", "e:s4"],
    ]);
    s.same(DEFAULTS);
}

#[test]
fn sorted_sets_and_hashes_follow_the_thresholds() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = session();
    s.script(&[
        &["CONFIG", "SET", "zset-max-ziplist-entries", "0"],
        &["ZADD", "e:z1", "1", "a"],
        &["OBJECT", "ENCODING", "e:z1"],
        &["ZRANGESTORE", "e:z2", "e:z1", "0", "-1"],
        &["OBJECT", "ENCODING", "e:z2"],
        &["CONFIG", "SET", "zset-max-ziplist-entries", "128"],
        // Keys keep the encoding they got when the limits change.
        &["OBJECT", "ENCODING", "e:z1"],
        &["OBJECT", "ENCODING", "e:z2"],
        &["ZADD", "e:z2", "2", "b"],
        &["OBJECT", "ENCODING", "e:z2"],
        &["CONFIG", "SET", "zset-max-ziplist-entries", "0"],
        &["CONFIG", "SET", "zset-max-listpack-entries", "2"],
        &["ZADD", "e:z3", "1", "a", "2", "b"],
        &["OBJECT", "ENCODING", "e:z3"],
        &["ZRANGESTORE", "e:z4", "e:z3", "0", "0"],
        &["OBJECT", "ENCODING", "e:z4"],
        &["ZADD", "e:z3", "3", "c"],
        &["OBJECT", "ENCODING", "e:z3"],
        &["CONFIG", "SET", "zset-max-listpack-entries", "128", "zset-max-listpack-value", "2"],
        &["ZADD", "e:z5", "1", "ab"],
        &["OBJECT", "ENCODING", "e:z5"],
        &["ZADD", "e:z5", "1", "abc"],
        &["OBJECT", "ENCODING", "e:z5"],
        &["ZREM", "e:z5", "abc"],
        &["OBJECT", "ENCODING", "e:z5"],
        &["CONFIG", "SET", "hash-max-listpack-value", "8"],
        &["HSET", "e:h1", "tmp", "0"],
        &["HSET", "e:h2", "tmp", "0"],
        &["HINCRBYFLOAT", "e:h1", "tmp", "0.000005"],
        &["HINCRBYFLOAT", "e:h2", "tmp", "0.0000005"],
        &["OBJECT", "ENCODING", "e:h1"],
        &["OBJECT", "ENCODING", "e:h2"],
        &["CONFIG", "SET", "hash-max-ziplist-entries", "1"],
        &["HSET", "e:h3", "a", "1"],
        &["OBJECT", "ENCODING", "e:h3"],
        &["HSET", "e:h3", "b", "1"],
        &["OBJECT", "ENCODING", "e:h3"],
    ]);
    s.same(&["CONFIG", "SET", "zset-max-listpack-value", "1kb", "hash-max-listpack-value", "2k"]);
    s.same_pairs(&["CONFIG", "GET", "*-max-*-value"]);
    s.script(&[
        &["ZADD", "e:z6", "1", &"m".repeat(1000)],
        &["OBJECT", "ENCODING", "e:z6"],
        &["MEMORY", "USAGE", "e:z6"],
        &["HSET", "e:h4", "f", &"v".repeat(1500)],
        &["OBJECT", "ENCODING", "e:h4"],
        &["MEMORY", "USAGE", "e:h4"],
    ]);
    s.same(DEFAULTS);
}

#[test]
fn lists_follow_the_node_size() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = session();
    let big = "x".repeat(60000);
    let more = "x".repeat(5536);
    s.script(&[
        &["CONFIG", "SET", "list-max-listpack-size", "0"],
        &["RPUSH", "e:l1", "a"],
        &["OBJECT", "ENCODING", "e:l1"],
        &["RPUSH", "e:l1", "b"],
        &["OBJECT", "ENCODING", "e:l1"],
        &["CONFIG", "SET", "list-max-listpack-size", "-6"],
        &["RPUSH", "e:l2", &big],
        &["OBJECT", "ENCODING", "e:l2"],
        &["RPUSH", "e:l2", &more],
        &["OBJECT", "ENCODING", "e:l2"],
        &["CONFIG", "SET", "list-max-listpack-size", "4"],
        &["RPUSH", "e:l3", "a", "b", "c", "d"],
        &["OBJECT", "ENCODING", "e:l3"],
        &["RPUSH", "e:l3", "e"],
        &["OBJECT", "ENCODING", "e:l3"],
        &["CONFIG", "SET", "list-max-listpack-size", "-1"],
        &["RPUSH", "e:l4", &"y".repeat(4000)],
        &["OBJECT", "ENCODING", "e:l4"],
        &["RPUSH", "e:l4", &"y".repeat(100)],
        &["OBJECT", "ENCODING", "e:l4"],
        // Small integers take 2 or 3 bytes in a listpack: 500 of them fit 4 KB.
        &["DEL", "e:l5"],
    ]);
    for i in 0..500 {
        s.same(&["RPUSH", "e:l5", &i.to_string()]);
    }
    s.script(&[
        &["OBJECT", "ENCODING", "e:l5"],
        &["MEMORY", "USAGE", "e:l5"],
        &["CONFIG", "SET", "list-max-listpack-size", "5"],
        &["RPUSH", "e:l6", "1", "2", "3", "4", "5"],
        &["OBJECT", "ENCODING", "e:l6"],
        &["RPUSH", "e:l6", "6"],
        &["OBJECT", "ENCODING", "e:l6"],
        // Back to a listpack only within half a node, and only when a command shrank it.
        &["RPOP", "e:l6", "3"],
        &["OBJECT", "ENCODING", "e:l6"],
    ]);
    // A quicklist's bytes are modelled, not exact (its nodes' allocations have a history).
    s.close(&["MEMORY", "USAGE", "e:l6"], 16);
    s.script(&[
        &["RPOP", "e:l6"],
        &["OBJECT", "ENCODING", "e:l6"],
        &["MEMORY", "USAGE", "e:l6"],
        &["CONFIG", "SET", "list-max-listpack-size", "3"],
        &["RPUSH", "e:l7", "a", "b", "c", "d"],
        &["LTRIM", "e:l7", "1", "1"],
        &["OBJECT", "ENCODING", "e:l7"],
        &["RPUSH", "e:l8", "a", "a", "a", "d"],
        &["LREM", "e:l8", "3", "a"],
        &["OBJECT", "ENCODING", "e:l8"],
        &["RPUSH", "e:l9", "a", "b", "c", "d"],
        &["RPOP", "e:l9"],
        &["OBJECT", "ENCODING", "e:l9"],
        &["RPUSH", "e:l9", "x"],
        &["OBJECT", "ENCODING", "e:l9"],
        &["DUMP", "e:l9"],
        // LSET checks the listpack as if the element were added.
        &["RPUSH", "e:l10", "a", "b", "c"],
        &["LSET", "e:l10", "0", "hello"],
        &["OBJECT", "ENCODING", "e:l10"],
        &["RPUSH", "e:l11", "a", "b"],
        &["LSET", "e:l11", "0", "hello"],
        &["OBJECT", "ENCODING", "e:l11"],
        &["CONFIG", "SET", "list-max-listpack-size", "-1"],
        &["RPUSH", "e:l12", &"z".repeat(8192), "a", "b"],
        &["RPOP", "e:l12", "2"],
        &["OBJECT", "ENCODING", "e:l12"],
        &["LSET", "e:l12", "-1", "c"],
        &["OBJECT", "ENCODING", "e:l12"],
        &["RPUSH", "e:l13", &"z".repeat(3000), &"z".repeat(3000), "a"],
        &["OBJECT", "ENCODING", "e:l13"],
        &["DUMP", "e:l13"],
        &["LPOP", "e:l13"],
        &["OBJECT", "ENCODING", "e:l13"],
        &["LPOP", "e:l13"],
        &["OBJECT", "ENCODING", "e:l13"],
    ]);
    s.same(DEFAULTS);
}

#[test]
fn plain_nodes_for_elements_over_the_packed_threshold() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = session();
    let long = "c".repeat(15);
    let longer = format!("{}{}", "q".repeat(40), "0123456789".repeat(5));
    s.script(&[
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "10"],
        &["CONFIG", "SET", "list-max-listpack-size", "2"],
        &["RPUSH", "e:p1", "a", "bbbbbbbbbbbbbbbbbbbbb"],
        &["OBJECT", "ENCODING", "e:p1"],
        &["DUMP", "e:p1"],
        &["RPUSH", "e:p1", &long, "d", &longer, "e", "f", "g"],
        &["OBJECT", "ENCODING", "e:p1"],
        &["DUMP", "e:p1"],
        &["LRANGE", "e:p1", "0", "-1"],
        // (Redis keeps the plain nodes it made when the threshold goes back up; the engine
        // lays nodes out afresh, so only new lists are compared.)
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"],
        &["RPUSH", "e:p2", "a", "bbbbbbbbbbbbbbbbbbbbb", &long, "d", &longer],
        &["DUMP", "e:p2"],
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"],
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "x"],
    ]);
    s.same(DEFAULTS);
}
