//! DUMP and RESTORE against Redis 7.4: DUMP's bytes equal the oracle's for every type and
//! encoding whose layout is deterministic (a hash table's order in Redis is its random dict
//! order, so those are compared by RESTOREing them on the other side), payloads cross in both
//! directions, and every RESTORE error and corrupt payload answers as Redis does.

mod common;
use bytes::Bytes;
use common::{args, Session};
use playground_engine::Frame;

/// Run a command on the emulator only (the oracle gets the same one by hand).
fn ours(s: &mut Session, cmd: &[&str]) -> Frame {
    s.engine.execute(s.client, args(cmd), common::now_ms())
}

/// Run a set-up line on both sides, asserting the same reply.
fn setup(s: &mut Session, lines: &[&[&str]]) {
    s.script(lines);
}

/// The DUMP payloads of `key` from (Redis, the emulator).
fn dumps(s: &mut Session, key: &str) -> (Bytes, Bytes) {
    match s.both(&["DUMP", key]) {
        (Frame::Bulk(a), Frame::Bulk(b)) => (a, b),
        other => panic!("DUMP {key}: {other:?}"),
    }
}

fn restore_cmd(key: &str, payload: &Bytes, extra: &[&str]) -> Vec<Bytes> {
    let mut cmd = args(&["RESTORE", key, "0"]);
    cmd.push(payload.clone());
    cmd.extend(args(extra));
    cmd
}

/// Each side RESTOREs the other's payload of `key` into `key:x`, then both sides must agree on
/// what `check` (with `{}` for the key) replies, order ignored.
fn cross(s: &mut Session, key: &str, check: &[&str]) {
    let (theirs, mine) = dumps(s, key);
    let copy = format!("{key}:x");
    let a = s.oracle.raw(&restore_cmd(&copy, &mine, &[]));
    assert_eq!(a, b"+OK\r\n", "Redis refused the emulator's DUMP of {key}");
    let b = s.engine.execute(s.client, restore_cmd(&copy, &theirs, &[]), common::now_ms());
    assert_eq!(b, Frame::Simple("OK".into()), "the emulator refused Redis's DUMP of {key}");
    let cmd: Vec<&str> = check.iter().map(|c| if *c == "{}" { copy.as_str() } else { c }).collect();
    s.same_unordered(&cmd);
    s.same(&["OBJECT", "ENCODING", &copy]);
}

#[test]
fn strings_dump_byte_for_byte() {
    let mut s = Session::new();
    let long = "abcabcabcabcabcabcabcabcabcabcabcabc".repeat(20);
    let unique: String = (0..40u8).map(|i| (b'!' + i) as char).collect();
    let values: Vec<String> = vec![
        "".into(),
        "0".into(),
        "-1".into(),
        "127".into(),
        "-128".into(),
        "300".into(),
        "-32769".into(),
        "2147483647".into(),
        "2147483648".into(),
        "-9223372036854775808".into(),
        "007".into(),
        "hello".into(),
        "a".repeat(20),
        "a".repeat(21),
        "a".repeat(100),
        unique,
        long,
        "x".repeat(70_000),
        "3.14".into(),
    ];
    for (i, v) in values.iter().enumerate() {
        let key = format!("s{i}");
        s.same(&["SET", &key, v]);
        s.same(&["DUMP", &key]);
        cross(&mut s, &key, &["GET", "{}"]);
    }
    setup(
        &mut s,
        &[
            &["SET", "n", "10"],
            &["APPEND", "n", "5"],
            &["INCRBYFLOAT", "f", "1.5"],
            &["SETRANGE", "r", "0", "12"],
        ],
    );
    for key in ["n", "f", "r"] {
        s.same(&["DUMP", key]);
    }
    s.same(&["DUMP", "missing"]);
}

#[test]
fn lists_dump_byte_for_byte() {
    let mut s = Session::new();
    setup(&mut s, &[&["RPUSH", "l", "a", "1", "-5000", "70000", "5000000000", "hello world", "b"]]);
    s.same(&["DUMP", "l"]);
    cross(&mut s, "l", &["LRANGE", "{}", "0", "-1"]);
    // A quicklist of several 8 KB nodes, built by appending one element at a time.
    for i in 0..1500 {
        let v = format!("element-{i}-{}", "z".repeat(i % 7));
        s.oracle.raw(&args(&["RPUSH", "big", &v]));
        ours(&mut s, &["RPUSH", "big", &v]);
    }
    s.same(&["OBJECT", "ENCODING", "big"]);
    s.same(&["DUMP", "big"]);
    cross(&mut s, "big", &["LRANGE", "{}", "0", "-1"]);
    let wide = "w".repeat(3000);
    setup(&mut s, &[&["RPUSH", "wide", &wide, &wide, &wide, &wide, "1", &wide]]);
    s.same(&["DUMP", "wide"]);
    cross(&mut s, "wide", &["LRANGE", "{}", "0", "-1"]);
}

#[test]
fn sets_dump_byte_for_byte() {
    let mut s = Session::new();
    setup(
        &mut s,
        &[
            &["SADD", "i16", "5", "-3", "100", "32767"],
            &["SADD", "i32", "5", "70000", "-1"],
            &["SADD", "i64", "1", "10000000000"],
            &["SADD", "lp", "b", "a", "3", "1"],
            &["SADD", "mixed", "3", "1", "2"],
            &["SADD", "mixed", "x"],
        ],
    );
    for key in ["i16", "i32", "i64", "lp", "mixed"] {
        s.same(&["OBJECT", "ENCODING", key]);
        s.same(&["DUMP", key]);
        cross(&mut s, key, &["SMEMBERS", "{}"]);
    }
    let members: Vec<String> = (0..200).map(|i| format!("m{i}")).collect();
    let mut cmd = vec!["SADD", "ht"];
    cmd.extend(members.iter().map(String::as_str));
    s.same(&cmd);
    s.same(&["OBJECT", "ENCODING", "ht"]);
    cross(&mut s, "ht", &["SMEMBERS", "{}"]);
    let ints: Vec<String> = (0..600).map(|i| (i * 7).to_string()).collect();
    let mut cmd = vec!["SADD", "bigint"];
    cmd.extend(ints.iter().map(String::as_str));
    s.same(&cmd);
    cross(&mut s, "bigint", &["SMEMBERS", "{}"]);
}

#[test]
fn sorted_sets_dump_byte_for_byte() {
    let mut s = Session::new();
    setup(
        &mut s,
        &[&[
            "ZADD",
            "z",
            "1",
            "a",
            "2.5",
            "b",
            "-3",
            "c",
            "inf",
            "d",
            "-inf",
            "e",
            "1e20",
            "f",
            "0.1",
            "g",
            "-0",
            "h",
            "5000000000",
            "i",
        ]],
    );
    s.same(&["DUMP", "z"]);
    cross(&mut s, "z", &["ZRANGE", "{}", "0", "-1", "WITHSCORES"]);
    let mut cmd = vec!["ZADD".to_string(), "zs".to_string()];
    for i in 0..200 {
        cmd.push(format!("{}", i as f64 * 1.5 - 7.0));
        cmd.push(format!("member:{i}"));
    }
    let cmd: Vec<&str> = cmd.iter().map(String::as_str).collect();
    s.same(&cmd);
    s.same(&["OBJECT", "ENCODING", "zs"]);
    s.same(&["DUMP", "zs"]);
    cross(&mut s, "zs", &["ZRANGE", "{}", "0", "-1", "WITHSCORES"]);
    let long = "m".repeat(100);
    setup(&mut s, &[&["ZADD", "zl", "1", &long, "2", "x"]]);
    s.same(&["DUMP", "zl"]);
}

#[test]
fn hashes_dump_byte_for_byte() {
    let mut s = Session::new();
    setup(&mut s, &[&["HSET", "h", "name", "Ada", "age", "36", "neg", "-70000", "big", "99999999999"]]);
    s.same(&["DUMP", "h"]);
    cross(&mut s, "h", &["HGETALL", "{}"]);
    let long = "v".repeat(100);
    setup(&mut s, &[&["HSET", "hl", "a", "1", "b", &long]]);
    s.same(&["OBJECT", "ENCODING", "hl"]);
    cross(&mut s, "hl", &["HGETALL", "{}"]);
}

#[test]
fn restore_options_and_errors() {
    let mut s = Session::new();
    setup(&mut s, &[&["SET", "k", "v"], &["SET", "other", "x"]]);
    let (payload, _) = dumps(&mut s, "k");
    let r = |key: &str, ttl: &str, extra: &[&str]| {
        let mut cmd = args(&["RESTORE", key, ttl]);
        cmd.push(payload.clone());
        cmd.extend(args(extra));
        cmd
    };
    for cmd in [
        r("other", "0", &[]),
        r("new", "-1", &[]),
        r("new", "x", &[]),
        r("new", "0", &["BOGUS"]),
        r("new", "0", &["IDLETIME"]),
        r("new", "0", &["IDLETIME", "-1"]),
        r("new", "0", &["IDLETIME", "x"]),
        r("new", "0", &["FREQ", "256"]),
        r("new", "0", &["FREQ", "-1"]),
        r("new", "0", &["FREQ", "1", "IDLETIME", "1"]),
        r("new", "0", &["IDLETIME", "1", "FREQ", "1"]),
        r("other", "0", &["REPLACE"]),
        r("t1", "100000", &[]),
        r("t2", "1", &["ABSTTL"]),
        r("t3", "0", &["ABSTTL", "REPLACE", "IDLETIME", "1000"]),
        r("t4", "0", &["replace", "absttl"]),
        r("t5", "9223372036854775807", &[]),
        r("t6", "9223372036854775807", &["ABSTTL"]),
        r("t7", "2569591501", &[]),
    ] {
        s.same_bytes(&cmd);
    }
    s.same(&["GET", "other"]);
    s.close(&["PTTL", "t1"], 50);
    s.same(&["EXISTS", "t2"]);
    s.same(&["EXISTS", "t5"]);
    s.same(&["PEXPIRETIME", "t6"]);
    s.close(&["PTTL", "t7"], 50);
    // RediSearch in the oracle reads every restored key, which resets its idle time there; the
    // engine keeps Redis's own IDLETIME (see cmd/dump.rs).
    assert_eq!(ours(&mut s, &["OBJECT", "IDLETIME", "t3"]), Frame::Integer(1000));
    s.same(&["RESTORE", "x", "0", "short"]);
    s.same(&["RESTORE", "x", "0", ""]);
    // A right footer around a wrong value, and a version from the future.
    let mut bad = b"\x63\x03bar".to_vec();
    bad.extend_from_slice(&12u16.to_le_bytes());
    let crc = playground_engine::rdb::crc64::crc64(&bad);
    bad.extend_from_slice(&crc.to_le_bytes());
    s.same_bytes(&restore_cmd("x", &Bytes::from(bad), &[]));
    let mut future = b"\x00\x03bar".to_vec();
    future.extend_from_slice(&13u16.to_le_bytes());
    let crc = playground_engine::rdb::crc64::crc64(&future);
    future.extend_from_slice(&crc.to_le_bytes());
    s.same_bytes(&restore_cmd("x", &Bytes::from(future), &[]));
    // A Redis 2.x zipmap hash, and one with a length running past its end.
    for zm in [&b"\x02\x03foo\x03\x01bar?\x01a\x00\x00\xff"[..], b"\x01\x09f\x01\x00v\xff"] {
        let mut body = vec![9u8, zm.len() as u8];
        body.extend_from_slice(zm);
        body.extend_from_slice(&12u16.to_le_bytes());
        let crc = playground_engine::rdb::crc64::crc64(&body);
        body.extend_from_slice(&crc.to_le_bytes());
        s.same_bytes(&restore_cmd("zm", &Bytes::from(body), &["REPLACE"]));
        s.same(&["HGETALL", "zm"]);
        s.same(&["OBJECT", "ENCODING", "zm"]);
    }
    s.same(&["RESTORE"]);
    s.same(&["RESTORE", "a", "0"]);
    s.same(&["DUMP"]);
    s.same(&["DUMP", "a", "b"]);
}

#[test]
fn restore_sets_lfu_frequency_under_an_lfu_policy() {
    let mut s = Session::new();
    setup(&mut s, &[&["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"], &["SET", "k", "v"]]);
    let (payload, _) = dumps(&mut s, "k");
    s.same_bytes(&restore_cmd("f", &payload, &["FREQ", "100"]));
    s.same(&["OBJECT", "FREQ", "f"]);
    s.same_bytes(&restore_cmd("g", &payload, &["IDLETIME", "100"]));
    s.same(&["OBJECT", "IDLETIME", "g"]);
}

/// Payloads with a valid footer around broken contents: each side must refuse (or accept) the
/// same ones. Built from real DUMPs with bytes changed and the checksum recomputed.
#[test]
fn corrupt_payloads_answer_like_redis() {
    let mut s = Session::new();
    // Redis checks a listpack's every entry only with deep sanitisation (the engine always
    // does); without it, a corrupt payload may load and crash the oracle later.
    s.oracle.raw(&args(&["CONFIG", "SET", "sanitize-dump-payload", "yes"]));
    setup(
        &mut s,
        &[
            &["RPUSH", "l", "a", "b", "c"],
            &["SADD", "s", "1", "2", "3"],
            &["SADD", "sl", "a", "b"],
            &["ZADD", "z", "1", "a", "2", "b"],
            &["HSET", "h", "f", "v", "g", "w"],
            &["SET", "str", "a-long-string-that-lzf-compresses-compresses-compresses"],
        ],
    );
    for key in ["l", "s", "sl", "z", "h", "str"] {
        let (payload, _) = dumps(&mut s, key);
        let body = &payload[..payload.len() - 10];
        for i in 0..body.len() {
            for delta in [1u8, 0x40, 0xff] {
                let mut p = body.to_vec();
                p[i] = p[i].wrapping_add(delta);
                p.extend_from_slice(&12u16.to_le_bytes());
                let crc = playground_engine::rdb::crc64::crc64(&p);
                p.extend_from_slice(&crc.to_le_bytes());
                let cmd = restore_cmd("c", &Bytes::from(p), &["REPLACE"]);
                let (theirs, mine) = s.both_frames(&cmd);
                assert_eq!(mine, theirs, "{key} byte {i} +{delta}");
                s.oracle.raw(&args(&["DEL", "c"]));
                ours(&mut s, &["DEL", "c"]);
            }
        }
    }
    s.oracle.raw(&args(&["CONFIG", "SET", "sanitize-dump-payload", "no"]));
}

/// Builds one key of every type and encoding on both sides.
fn every_type(s: &mut Session) {
    let long = "v".repeat(100);
    let members: Vec<String> = (0..200).map(|i| format!("m{i}")).collect();
    let mut big_set = vec!["SADD", "set:ht"];
    big_set.extend(members.iter().map(String::as_str));
    let mut big_zset = vec!["ZADD".to_string(), "z:sl".to_string()];
    for (i, m) in members.iter().enumerate() {
        big_zset.push(format!("{}", i as f64 / 3.0));
        big_zset.push(m.clone());
    }
    let big_zset: Vec<&str> = big_zset.iter().map(String::as_str).collect();
    setup(
        s,
        &[
            &["SET", "str", "hello"],
            &["SET", "int", "12345"],
            &["RPUSH", "list", "a", "b", "1", "2"],
            &["SADD", "set:int", "3", "1", "2"],
            &["SADD", "set:lp", "x", "y"],
            &big_set,
            &["ZADD", "z:lp", "1", "a", "2.5", "b", "1e20", "c", "-inf", "d"],
            &big_zset,
            &["HSET", "hash", "f", "v", "g", "1"],
            &["HSET", "hash:ht", "f", &long],
            &["SET", "ttl", "x", "EX", "1000"],
        ],
    );
}

#[test]
fn debug_digests_match_redis() {
    let mut s = Session::new();
    s.same(&["DEBUG", "DIGEST"]);
    every_type(&mut s);
    for key in [
        "str", "int", "list", "set:int", "set:lp", "set:ht", "z:lp", "z:sl", "hash", "hash:ht", "ttl", "none",
    ] {
        s.same(&["DEBUG", "DIGEST-VALUE", key]);
    }
    s.same(&["DEBUG", "DIGEST-VALUE", "str", "none", "list"]);
    s.same(&["DEBUG", "DIGEST-VALUE"]);
    s.same(&["DEBUG", "DIGEST"]);
    setup(&mut s, &[&["SELECT", "3"], &["SET", "other", "db"]]);
    s.same(&["DEBUG", "DIGEST"]);
    s.same(&["DEBUG", "DIGEST", "extra"]);
}

#[test]
fn debug_reload_keeps_every_value() {
    let mut s = Session::new();
    every_type(&mut s);
    setup(&mut s, &[&["SADD", "shrunk", "a", "b"], &["SREM", "shrunk", "a", "b"], &["SADD", "shrunk", "1"]]);
    let before = s.both(&["DEBUG", "DIGEST"]);
    s.same(&["DEBUG", "RELOAD"]);
    assert_eq!(s.both(&["DEBUG", "DIGEST"]), before);
    s.same(&["DEBUG", "DIGEST"]);
    for key in ["set:int", "set:lp", "z:lp", "hash", "hash:ht", "list", "str", "shrunk"] {
        s.same(&["OBJECT", "ENCODING", key]);
        s.same(&["DUMP", key]);
    }
    s.same(&["DEBUG", "RELOAD", "NOSAVE", "BOGUS"]);
    // DEBUG LOADAOF reads whatever AOF files the oracle's directory holds from earlier runs; a
    // fresh server has none (the engine never has any): it empties the data and says so.
    assert!(ours(&mut s, &["DEBUG", "LOADAOF"]).is_error());
    assert_eq!(ours(&mut s, &["DBSIZE"]), Frame::Integer(0));
}

/// `Value at:0x...` and the LRU clock differ between any two servers, and the idle seconds may
/// tick between the two calls on a loaded machine: the rest must not differ.
fn object_line(frame: &Frame) -> String {
    let Frame::Simple(line) = frame else { return format!("{frame:?}") };
    let volatile =
        |f: &&str| f.starts_with("at:") || f.starts_with("lru:") || f.starts_with("lru_seconds_idle:");
    line.split(' ').filter(|f| !volatile(f)).collect::<Vec<_>>().join(" ")
}

#[test]
fn debug_object_and_the_small_subcommands() {
    let mut s = Session::new();
    every_type(&mut s);
    for i in 0..2000 {
        s.oracle.raw(&args(&["RPUSH", "ql", &format!("element-{i}")]));
        ours(&mut s, &["RPUSH", "ql", &format!("element-{i}")]);
    }
    for key in ["str", "int", "list", "set:int", "set:lp", "set:ht", "z:lp", "z:sl", "hash", "hash:ht", "ql"]
    {
        let (theirs, mine) = s.both(&["DEBUG", "OBJECT", key]);
        assert_eq!(object_line(&mine), object_line(&theirs), "DEBUG OBJECT {key}");
    }
    // A list made while `list-compress-depth` is set says so (`ql_compressed:1`); a depth past
    // half its nodes leaves every node whole, so the rest of the line is unchanged.
    s.same(&["CONFIG", "SET", "list-compress-depth", "12"]);
    s.same(&["SORT", "ql", "ALPHA", "STORE", "ql:sorted"]);
    let (theirs, mine) = s.both(&["DEBUG", "OBJECT", "ql:sorted"]);
    assert!(object_line(&theirs).contains("ql_compressed:1"), "{theirs:?}");
    assert_eq!(object_line(&mine), object_line(&theirs));
    s.same(&["CONFIG", "SET", "list-compress-depth", "0"]);
    s.script(&[
        &["DEBUG", "OBJECT", "none"],
        &["DEBUG", "OBJECT"],
        &["DEBUG", "LISTPACK", "list"],
        &["DEBUG", "LISTPACK", "ql"],
        &["DEBUG", "LISTPACK", "none"],
        &["DEBUG", "QUICKLIST", "ql"],
        &["DEBUG", "QUICKLIST", "list"],
        &["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
        &["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
        &["DEBUG", "SLEEP", "0"],
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100"],
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1K"],
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"],
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "x"],
        &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"],
        &["DEBUG", "CHANGE-REPL-ID"],
        &["DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "x"],
        &["DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "never"],
        &["DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "250"],
        &["DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "reset"],
        &["DEBUG", "REPLYBUFFER", "RESIZING", "1"],
        &["DEBUG", "REPLYBUFFER", "NOPE", "1"],
        &["DEBUG", "REPLYBUFFER", "RESIZING"],
        &["DEBUG", "ERROR", "MYERR something went wrong"],
        &["DEBUG", "ERROR", "plain"],
        &["DEBUG", "NOSUCH"],
        &["DEBUG", "OBJECT", "a", "b"],
        &["DEBUG"],
        &["DEBUG", "HELP"],
        &["DEBUG", "POPULATE", "10"],
        &["DEBUG", "POPULATE", "5", "pre", "20"],
        &["DEBUG", "POPULATE", "-1"],
        &["GET", "key:3"],
        &["GET", "pre:4"],
        &["DEBUG", "DIGEST"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for t in [
            "string", "integer", "double", "bignum", "null", "array", "set", "map", "verbatim", "true",
            "false", "attrib", "ATTRIB", "nosuch",
        ] {
            s.same(&["DEBUG", "PROTOCOL", t]);
        }
        s.same(&["DUMP", "str"]);
    }
    // The reply, then the push (read as the next frame from the oracle).
    s.same(&["DEBUG", "PROTOCOL", "push"]);
    let pushed = s.oracle.read_frame();
    let ours = s.engine.take_pushes(s.client);
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].to_bytes(common::resp3()), pushed);
    s.run(&["HELLO", "2"]);
    s.same(&["DEBUG", "PROTOCOL", "push"]);
}

#[test]
fn skip_checksum_validation() {
    let mut s = Session::new();
    setup(&mut s, &[&["SET", "k", "v"]]);
    let (payload, _) = dumps(&mut s, "k");
    let mut broken = payload.to_vec();
    let n = broken.len();
    broken[n - 1] ^= 0xff;
    let broken = Bytes::from(broken);
    s.same_bytes(&restore_cmd("a", &broken, &[]));
    s.same(&["DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", "1"]);
    s.same_bytes(&restore_cmd("a", &broken, &[]));
    s.same(&["DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", "0"]);
    s.same_bytes(&restore_cmd("b", &broken, &[]));
}

/// With active expiry off (DEBUG SET-ACTIVE-EXPIRE 0), a stale key swapped for no key, or for
/// another stale key, is no change to a WATCHer (Redis's `touchAllWatchedKeysInDb`).
#[test]
fn swapdb_and_stale_watched_keys_with_active_expire_off() {
    let mut s = Session::new();
    for (stale_in, watch_in, both) in [("1", "1", false), ("0", "1", false), ("0", "1", true)] {
        setup(
            &mut s,
            &[
                &["FLUSHALL"],
                &["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
                &["SELECT", stale_in],
                &["SET", "x", "a", "PX", "1"],
            ],
        );
        if both {
            setup(&mut s, &[&["SELECT", watch_in], &["SET", "x", "b", "PX", "1"]]);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        s.script(&[
            &["SELECT", watch_in],
            &["WATCH", "x"],
            &["SWAPDB", "0", "1"],
            &["MULTI"],
            &["PING"],
            &["EXEC"],
        ]);
    }
    // A live key swapped in is a change.
    s.script(&[
        &["FLUSHALL"],
        &["SELECT", "1"],
        &["SET", "x", "30"],
        &["SELECT", "0"],
        &["WATCH", "x"],
        &["SWAPDB", "0", "1"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
    ]);
}

/// DEBUG LOADAOF with `appendonly` off loads what the last BGREWRITEAOF wrote: the dataset as
/// it was then, deadlines included; later writes are gone.
#[test]
fn loadaof_loads_the_last_rewrite() {
    let mut s = Session::new();
    s.script(&[
        &["CONFIG", "SET", "appendonly", "no", "aof-use-rdb-preamble", "no"],
        &["MSET", "a", "1", "b", "2"],
        &["EXPIRE", "a", "1000"],
        &["RPUSH", "l", "x", "y"],
        &["BGREWRITEAOF"],
    ]);
    // The oracle's rewrite runs in a child: wait until it is done.
    for _ in 0..200 {
        let (theirs, _) = s.both(&["INFO", "persistence"]);
        let text = String::from_utf8_lossy(theirs.as_bytes().unwrap_or_default()).into_owned();
        if text.contains("aof_rewrite_in_progress:0") && text.contains("aof_rewrite_scheduled:0") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    s.script(&[
        &["SET", "later", "1"],
        &["DEL", "b"],
        &["DEBUG", "LOADAOF"],
        &["MGET", "a", "b", "later"],
        &["LRANGE", "l", "0", "-1"],
        &["TTL", "a"],
        &["DBSIZE"],
        &["CONFIG", "SET", "aof-use-rdb-preamble", "yes"],
    ]);
}
