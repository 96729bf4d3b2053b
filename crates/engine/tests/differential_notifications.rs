//! Keyspace notifications against the oracle: a second connection pattern-subscribed to every
//! `__keyspace@*__` and `__keyevent@*__` channel sees, message for message and in order, what
//! Redis publishes for each command family, with `notify-keyspace-events` set as the test says.
//! Active expiry and eviction (timing and memory accounting differ from Redis's) are checked on
//! the engine alone at the end.

mod common;
use common::Session;
use playground_engine::{Engine, Frame};

/// A session whose connection 1 listens to every notification, with `flags` set on both sides.
fn listening(flags: &str) -> Session {
    let mut s = Session::new();
    let sub = s.connect();
    s.on(0, &["CONFIG", "SET", "notify-keyspace-events", flags]);
    s.on(sub, &["PSUBSCRIBE", "__key*__:*"]);
    s
}

#[test]
fn config_parses_and_prints_classes_as_redis() {
    let mut s = Session::new();
    for flags in ["", "KEA", "AKE", "Kl", "E$", "Ag$lshzxetd", "gKEm", "KEn", "AKEnm", "xeK", "lllE", "d"] {
        s.same(&["CONFIG", "SET", "notify-keyspace-events", flags]);
        s.same(&["CONFIG", "GET", "notify-keyspace-events"]);
    }
    s.same(&["CONFIG", "SET", "notify-keyspace-events", "KEq"]);
    s.same(&["CONFIG", "SET", "notify-keyspace-events", "KE A"]);
    s.same(&["CONFIG", "GET", "notify-keyspace-events"]);
    s.same(&["CONFIG", "SET", "notify-keyspace-events", ""]);
}

#[test]
fn strings_and_generic_commands() {
    let mut s = listening("KEA");
    for cmd in [
        &["SET", "s", "1"][..],
        &["SET", "s", "2", "EX", "100"],
        &["SET", "s", "3", "KEEPTTL"],
        &["SET", "s", "4", "NX"],
        &["SETNX", "s", "x"],
        &["SETNX", "s2", "x"],
        &["SETEX", "s3", "100", "v"],
        &["PSETEX", "s3", "100000", "v"],
        &["GETSET", "s", "5"],
        &["MSET", "a", "1", "b", "2"],
        &["MSETNX", "c", "1", "a", "2"],
        &["MSETNX", "c", "1", "d", "2"],
        &["INCR", "n"],
        &["DECR", "n"],
        &["INCRBY", "n", "5"],
        &["DECRBY", "n", "2"],
        &["INCRBYFLOAT", "n", "1.5"],
        &["APPEND", "s", "tail"],
        &["SETRANGE", "s", "2", "XY"],
        &["SETRANGE", "s", "2", ""],
        &["GETEX", "s", "EX", "50"],
        &["GETEX", "s", "PERSIST"],
        &["GETEX", "s", "PERSIST"],
        &["GETEX", "s"],
        &["GETDEL", "a"],
        &["GETDEL", "a"],
        &["EXPIRE", "b", "100"],
        &["PEXPIRE", "b", "100000", "NX"],
        &["PERSIST", "b"],
        &["PERSIST", "b"],
        &["EXPIREAT", "b", "1"],
        &["DEL", "c", "d", "nope"],
        &["UNLINK", "s2", "nope"],
        &["RENAME", "s", "s4"],
        &["RENAMENX", "s4", "s3"],
        &["RENAMENX", "s4", "s5"],
        &["COPY", "s5", "s6"],
        &["COPY", "s5", "s6", "REPLACE"],
        &["COPY", "s5", "s6", "DB", "3"],
        &["MOVE", "s6", "2"],
        &["SETBIT", "bits", "7", "1"],
        &["SETBIT", "bits", "7", "1"],
        &["SETBIT", "bits", "100", "0"],
        &["BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u8", "0"],
        &["BITFIELD", "bf", "GET", "u8", "0"],
        &["BITOP", "OR", "dest", "bits", "bf"],
        &["BITOP", "OR", "dest", "none1", "none2"],
        &["PFADD", "h", "a", "b"],
        &["PFADD", "h", "a"],
        &["PFMERGE", "h2", "h"],
        &["SELECT", "5"],
        &["SET", "in5", "x"],
        &["DEL", "in5"],
        &["SELECT", "0"],
        &["FLUSHDB"],
    ] {
        s.on(0, cmd);
    }
    s.quiet();
}

#[test]
fn lists_sets_hashes_and_sorted_sets() {
    let mut s = listening("KEA");
    for cmd in [
        &["LPUSH", "l", "a", "b", "c"][..],
        &["RPUSH", "l", "d"],
        &["LPUSHX", "l", "e"],
        &["RPUSHX", "nol", "e"],
        &["LPOP", "l"],
        &["RPOP", "l", "2"],
        &["LPOP", "l", "0"],
        &["LSET", "l", "0", "z"],
        &["LINSERT", "l", "BEFORE", "z", "y"],
        &["LINSERT", "l", "BEFORE", "nope", "y"],
        &["LREM", "l", "0", "nope"],
        &["LREM", "l", "0", "y"],
        &["RPUSH", "l", "1", "2", "3"],
        &["LTRIM", "l", "0", "2"],
        &["LMOVE", "l", "l2", "LEFT", "RIGHT"],
        &["RPOPLPUSH", "l", "l2"],
        &["LMOVE", "l2", "l2", "LEFT", "RIGHT"],
        &["LMPOP", "2", "none", "l2", "RIGHT", "COUNT", "5"],
        &["BLPOP", "l", "0.01"],
        &["RPUSH", "l", "x"],
        &["BRPOP", "l", "0.01"],
        &["RPUSH", "l", "x", "y"],
        &["LTRIM", "l", "5", "10"],
        &["SADD", "st", "a", "b", "c", "1"],
        &["SADD", "st", "a"],
        &["SREM", "st", "a", "zz"],
        &["SREM", "st", "zz"],
        &["SMOVE", "st", "st2", "b"],
        &["SMOVE", "st", "st2", "zz"],
        &["SADD", "st2", "c"],
        &["SMOVE", "st", "st2", "c"],
        &["SINTERSTORE", "st3", "st", "st2"],
        &["SUNIONSTORE", "st3", "st", "st2"],
        &["SDIFFSTORE", "st3", "st", "st"],
        &["SPOP", "st2", "10"],
        &["SADD", "st4", "1"],
        &["SPOP", "st4"],
        &["HSET", "hs", "a", "1", "b", "2"],
        &["HMSET", "hs", "c", "3"],
        &["HSETNX", "hs", "a", "1"],
        &["HSETNX", "hs", "d", "1"],
        &["HINCRBY", "hs", "a", "2"],
        &["HINCRBYFLOAT", "hs", "a", "0.5"],
        &["HDEL", "hs", "a", "zz"],
        &["HDEL", "hs", "zz"],
        &["HEXPIRE", "hs", "100", "FIELDS", "1", "b"],
        &["HPERSIST", "hs", "FIELDS", "1", "b"],
        &["HPEXPIRE", "hs", "0", "FIELDS", "1", "b"],
        &["HDEL", "hs", "c", "d"],
        &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
        &["ZADD", "z", "1", "a"],
        &["ZADD", "z", "5", "a"],
        &["ZADD", "z", "INCR", "1", "a"],
        &["ZINCRBY", "z", "1", "b"],
        &["ZREM", "z", "b", "zz"],
        &["ZREM", "z", "zz"],
        &["ZREMRANGEBYSCORE", "z", "3", "3"],
        &["ZREMRANGEBYRANK", "z", "5", "9"],
        &["ZADD", "z", "0", "x", "0", "y"],
        &["ZREMRANGEBYLEX", "z", "[x", "[x"],
        &["ZPOPMIN", "z"],
        &["ZPOPMAX", "z", "1"],
        &["ZRANGESTORE", "z2", "z", "0", "-1"],
        &["ZUNIONSTORE", "z3", "2", "z", "z2"],
        &["ZINTERSTORE", "z3", "2", "z", "z2"],
        &["ZDIFFSTORE", "z3", "2", "z", "z2"],
        &["ZMPOP", "1", "z2", "MIN", "COUNT", "9"],
        &["BZPOPMIN", "z", "0.01"],
        &["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
        &["GEOSEARCHSTORE", "g2", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"],
        &["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "g3"],
        &["GEOSEARCHSTORE", "g2", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
        &["RPUSH", "sl", "3", "1", "2"],
        &["SORT", "sl", "STORE", "sl2"],
        &["SORT", "nothing", "STORE", "sl2"],
    ] {
        s.on(0, cmd);
    }
    s.quiet();
}

#[test]
fn dump_restore_and_classes_masked() {
    let mut s = listening("Kgl");
    s.on(0, &["SET", "k", "v"]);
    s.on(0, &["RPUSH", "l", "a"]);
    s.on(0, &["DEL", "k"]);
    s.on(0, &["CONFIG", "SET", "notify-keyspace-events", "E$"]);
    s.on(0, &["SET", "k", "v"]);
    s.on(0, &["RPUSH", "l", "b"]);
    s.on(0, &["CONFIG", "SET", "notify-keyspace-events", "KEg"]);
    let (theirs, _) = s.run(&["DUMP", "l"]);
    let payload = theirs.as_bytes().unwrap().to_vec();
    let restore = |s: &mut Session, extra: &[&str]| {
        let mut cmd = vec!["RESTORE", "l2", "0"];
        let p = unsafe_str(&payload);
        cmd.push(p);
        cmd.extend_from_slice(extra);
        s.on(0, &cmd);
    };
    restore(&mut s, &[]);
    restore(&mut s, &["REPLACE"]);
    s.quiet();
}

/// DUMP payloads are binary; the harness takes `&str`, and a payload that is not UTF-8 is skipped.
fn unsafe_str(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or("")
}

#[test]
fn new_keys_and_misses() {
    let mut s = listening("KEn");
    s.on(0, &["SET", "a", "1"]);
    s.on(0, &["SET", "a", "2"]);
    s.on(0, &["RPUSH", "l", "x"]);
    s.on(0, &["RPUSH", "l", "y"]);
    s.on(0, &["HSET", "h", "f", "v"]);
    s.on(0, &["CONFIG", "SET", "notify-keyspace-events", "Em"]);
    s.on(0, &["GET", "nope"]);
    s.on(0, &["GET", "a"]);
    s.on(0, &["HGET", "nope", "f"]);
    s.on(0, &["MGET", "x1", "a", "x2"]);
    s.quiet();
}

#[test]
fn lazy_expiry_sends_expired() {
    let mut s = listening("KEA");
    s.on(0, &["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
    s.on(0, &["SET", "e", "v", "PX", "1"]);
    s.on(0, &["HSET", "hf", "a", "1", "b", "2"]);
    s.on(0, &["HPEXPIRE", "hf", "1", "FIELDS", "1", "a"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    s.on(0, &["GET", "e"]);
    s.on(0, &["GET", "e"]);
    s.on(0, &["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
    s.quiet();
}

/// The engine's own clock: `tick` expires keys and hash fields, eviction removes keys; each
/// reaches a subscriber as Redis words it.
#[test]
fn active_expiry_and_eviction_notify_on_the_engine() {
    let mut engine = Engine::new(1, 0);
    let (writer, listener) = (engine.connect(0), engine.connect(0));
    let run = |e: &mut Engine, id, args: &[&str], now| e.execute(id, common::args(args), now);
    run(&mut engine, writer, &["CONFIG", "SET", "notify-keyspace-events", "Exeh"], 0);
    run(&mut engine, listener, &["SUBSCRIBE", "__keyevent@0__:expired", "__keyevent@0__:evicted"], 0);
    run(&mut engine, listener, &["SUBSCRIBE", "__keyevent@0__:hexpired", "__keyevent@0__:del"], 0);
    engine.take_pushes(listener);
    run(&mut engine, writer, &["SET", "k", "v", "PX", "100"], 0);
    run(&mut engine, writer, &["HSET", "h", "f", "v"], 0);
    run(&mut engine, writer, &["HPEXPIRE", "h", "100", "FIELDS", "1", "f"], 0);
    assert!(engine.take_pushes(listener).is_empty());
    assert_eq!(engine.pushed_clients(), Vec::<u64>::new());
    engine.tick(200);
    assert_eq!(engine.pushed_clients(), vec![listener]);
    let message = |channel: &str, key: &str| {
        Frame::Push(vec![
            Frame::bulk("message"),
            Frame::bulk(channel.to_owned()),
            Frame::bulk(key.to_owned()),
        ])
    };
    assert_eq!(
        engine.take_pushes(listener),
        vec![message("__keyevent@0__:expired", "k"), message("__keyevent@0__:hexpired", "h")]
    );
    run(&mut engine, writer, &["CONFIG", "SET", "maxmemory-policy", "allkeys-random"], 300);
    for i in 0..50 {
        run(&mut engine, writer, &["SET", &format!("key{i}"), &"x".repeat(1000)], 300);
    }
    run(&mut engine, writer, &["CONFIG", "SET", "maxmemory", "1"], 300);
    run(&mut engine, writer, &["SET", "last", "x"], 300);
    let evicted = engine.take_pushes(listener);
    assert!(evicted.len() >= 50, "{evicted:?}");
    assert!(evicted
        .iter()
        .all(|f| matches!(f, Frame::Push(items) if items[1] == Frame::bulk("__keyevent@0__:evicted"))));
}

/// Streams' events (`xadd`, `xtrim` after a trimming XADD, `xdel`, `xsetid`, the `xgroup-*`
/// family, `xgroup-createconsumer` when XREADGROUP, XCLAIM or XAUTOCLAIM meet a new consumer),
/// the `new` class included.
#[test]
fn streams() {
    let mut s = listening("KEAn");
    for cmd in [
        &["XADD", "st", "1-1", "f", "v"][..],
        &["XADD", "st", "1-2", "f", "v"],
        &["XADD", "st", "MAXLEN", "1", "1-3", "f", "v"],
        &["XADD", "st", "MAXLEN", "5", "1-4", "f", "v"],
        &["XADD", "nope", "NOMKSTREAM", "*", "f", "v"],
        &["XDEL", "st", "1-3"],
        &["XDEL", "st", "9-9"],
        &["XTRIM", "st", "MAXLEN", "5"],
        &["XADD", "st", "1-5", "f", "v"],
        &["XTRIM", "st", "MAXLEN", "1"],
        &["XSETID", "st", "5-0"],
        &["XGROUP", "CREATE", "st", "g", "0"],
        &["XGROUP", "CREATE", "fresh", "g", "$", "MKSTREAM"],
        &["XGROUP", "SETID", "st", "g", "0"],
        &["XGROUP", "CREATECONSUMER", "st", "g", "alice"],
        &["XGROUP", "CREATECONSUMER", "st", "g", "alice"],
        &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "st", ">"],
        &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "st", ">"],
        &["XREADGROUP", "GROUP", "g", "carol", "STREAMS", "st", "0"],
        &["XCLAIM", "st", "g", "dave", "0", "1-5"],
        &["XAUTOCLAIM", "st", "g", "erin", "0", "0"],
        &["XACK", "st", "g", "1-5"],
        &["XGROUP", "DELCONSUMER", "st", "g", "alice"],
        &["XGROUP", "DELCONSUMER", "st", "g", "nobody"],
        &["XGROUP", "DESTROY", "st", "g"],
        &["XGROUP", "DESTROY", "st", "g"],
        &["DEL", "st", "fresh"],
    ] {
        s.on(0, cmd);
    }
    s.quiet();
}
