//! Counts, offsets and ranges at the edges of a 64-bit integer against Redis 7.4: every command
//! that takes one answers with Redis's own guard (the same error, or the same clamped reply),
//! and none of them allocates or loops in proportion to the number it was given.

mod common;
use common::{args, now_ms, Session};
use playground_engine::Frame;
use std::time::{Duration, Instant};

const MIN: &str = "-9223372036854775808";
const MAX: &str = "9223372036854775807";
/// -LONG_MAX: the most negative count Redis's random-pick commands accept.
const NEG_MAX: &str = "-9223372036854775807";
/// LONG_MAX/2 and one past it: the WITHVALUES / WITHSCORES bound.
const HALF: &str = "4611686018427387903";
const PAST_HALF: &str = "4611686018427387904";
const NEG_HALF: &str = "-4611686018427387903";
const NEG_PAST_HALF: &str = "-4611686018427387904";

fn session_with_data() -> Session {
    let mut s = Session::new();
    s.script(&[
        &["HSET", "h", "a", "1", "b", "2"],
        &["ZADD", "z", "1", "a", "2", "b"],
        &["SADD", "s", "a", "b"],
        &["RPUSH", "l", "a", "b", "a"],
        &["SET", "str", "hello"],
    ]);
    s
}

#[test]
fn random_pick_counts() {
    let mut s = session_with_data();
    for (cmd, key, with) in [("HRANDFIELD", "h", "WITHVALUES"), ("ZRANDMEMBER", "z", "WITHSCORES")] {
        for count in ["-9223372036854770000", MIN, MAX, PAST_HALF, NEG_PAST_HALF, "x", "1.5", ""] {
            s.same(&[cmd, key, count, with]);
            s.same(&[cmd, "nokey", count, with]);
        }
        for count in [MIN, "x", "99999999999999999999"] {
            s.same(&[cmd, key, count]);
            s.same(&[cmd, "nokey", count]);
            s.same(&[cmd, "str", count]);
        }
        // In range: a positive count is capped by the collection's size.
        for count in [MAX, HALF] {
            s.same_unordered(&[cmd, key, count]);
        }
        s.same_unordered(&[cmd, key, HALF, with]);
        for count in ["0", NEG_MAX, NEG_HALF] {
            s.same(&[cmd, "nokey", count]);
        }
        s.same(&[cmd, key, "0", with]);
        s.same(&[cmd, "str", NEG_HALF, with]);
    }
    for count in [MIN, "x", ""] {
        s.same(&["SRANDMEMBER", "s", count]);
        s.same(&["SRANDMEMBER", "nokey", count]);
    }
    s.same_unordered(&["SRANDMEMBER", "s", MAX]);
    s.same(&["SRANDMEMBER", "nokey", NEG_MAX]);
    s.same(&["SRANDMEMBER", "str", NEG_MAX]);
    for count in ["-1", MIN, "x"] {
        s.same(&["SPOP", "s", count]);
        s.same(&["SPOP", "nokey", count]);
    }
    s.same(&["SPOP", "nokey", MAX]);
    s.same(&["SPOP", "s", "0"]);
    s.same_unordered(&["SPOP", "s", MAX]);
    s.same(&["EXISTS", "s"]);
}

/// A valid negative count of huge magnitude asks for that many picks; Redis would try to
/// build the reply. The engine refuses above its reply limit instead of running out of memory
/// (the page is a wasm instance with 4 GB at most), with an error that starts like Redis's own
/// range error, and without touching the data first.
#[test]
fn huge_repeated_picks_are_refused_at_once() {
    let mut s = session_with_data();
    for cmd in [
        &["HRANDFIELD", "h", NEG_MAX][..],
        &["HRANDFIELD", "h", NEG_HALF, "WITHVALUES"],
        &["ZRANDMEMBER", "z", NEG_MAX],
        &["ZRANDMEMBER", "z", NEG_HALF, "WITHSCORES"],
        &["SRANDMEMBER", "s", NEG_MAX],
        &["SRANDMEMBER", "s", "-1000001"],
    ] {
        let started = Instant::now();
        let reply = s.engine.execute(s.client, args(cmd), now_ms());
        assert!(started.elapsed() < Duration::from_secs(2), "{cmd:?} took {:?}", started.elapsed());
        let Frame::Error(line) = &reply else { panic!("{cmd:?}: {reply:?}") };
        assert!(line.starts_with("ERR value is out of range"), "{cmd:?}: {line}");
        assert!(line.contains("1000000"), "{cmd:?}: the error names the limit: {line}");
    }
    // At the limit the picks come back (with repetition).
    let reply = s.engine.execute(s.client, args(&["SRANDMEMBER", "s", "-1000000"]), now_ms());
    assert!(matches!(&reply, Frame::Array(items) if items.len() == 1_000_000));
    // A missing key or a zero count needs no reply of that size: Redis's answer.
    s.same(&["HRANDFIELD", "nokey", NEG_MAX]);
    s.same(&["SRANDMEMBER", "nokey", NEG_MAX]);
}

#[test]
fn list_counts_and_ranks() {
    let mut s = session_with_data();
    for cmd in [
        &["LPOS", "l", "a", "RANK", MIN][..],
        &["LPOS", "l", "a", "RANK", NEG_MAX],
        &["LPOS", "l", "a", "RANK", MAX],
        &["LPOS", "l", "a", "RANK", "0"],
        &["LPOS", "l", "a", "RANK", "x"],
        &["LPOS", "l", "a", "COUNT", MAX],
        &["LPOS", "l", "a", "COUNT", MIN],
        &["LPOS", "l", "a", "COUNT", "x"],
        &["LPOS", "l", "a", "MAXLEN", MAX],
        &["LPOS", "l", "a", "MAXLEN", MIN],
        &["LPOS", "l", "a", "RANK", NEG_MAX, "COUNT", "0", "MAXLEN", MAX],
        &["LPOS", "nokey", "a", "RANK", MIN],
        &["LRANGE", "l", MIN, MAX],
        &["LRANGE", "l", MAX, MIN],
        &["LRANGE", "l", "-1", MAX],
        &["LRANGE", "l", MIN, "-9223372036854775807"],
        &["LINDEX", "l", MIN],
        &["LINDEX", "l", MAX],
        &["LSET", "l", MIN, "x"],
        &["LSET", "l", MAX, "x"],
        &["LREM", "l", MIN, "zz"],
        &["LREM", "l", MAX, "zz"],
        &["LPOP", "l", MAX],
        &["LPOP", "nokey", MAX],
        &["LPOP", "l", "-1"],
        &["LPOP", "l", MIN],
        &["RPOP", "l", "x"],
        &["LMPOP", "1", "nokey", "LEFT", "COUNT", MAX],
        &["LMPOP", "1", "l", "LEFT", "COUNT", MIN],
        &["LMPOP", MAX, "l", "LEFT"],
        &["LMPOP", MIN, "l", "LEFT"],
        &["LINSERT", "l", "BEFORE", "zz", "x"],
        &["LTRIM", "l", MIN, MAX],
        &["LRANGE", "l", "0", "-1"],
        &["LTRIM", "l", MAX, MIN],
        &["EXISTS", "l"],
    ] {
        s.same(cmd);
    }
}

#[test]
fn string_offsets() {
    let mut s = session_with_data();
    for cmd in [
        &["GETRANGE", "str", MIN, MAX][..],
        &["GETRANGE", "str", MIN, MIN],
        &["GETRANGE", "str", MAX, MAX],
        &["GETRANGE", "str", "-1", MIN],
        &["GETRANGE", "nokey", MIN, MAX],
        &["SETRANGE", "str", "536870912", "x"],
        &["SETRANGE", "str", "536870911", "xy"],
        &["SETRANGE", "nokey", "536870912", "x"],
        &["SETRANGE", "nokey", MAX, "x"],
        &["SETRANGE", "nokey", MAX, ""],
        &["SETRANGE", "str", MAX, ""],
        &["SETRANGE", "str", MIN, "x"],
        &["SETRANGE", "str", "-1", ""],
        &["SETRANGE", "nokey", "x", "x"],
        &["SETRANGE", "h", MAX, "x"],
        &["SETRANGE", "h", MAX, ""],
        &["EXISTS", "nokey"],
        &["GET", "str"],
    ] {
        s.same(cmd);
    }
}

#[test]
fn sorted_set_ranges_and_limits() {
    let mut s = session_with_data();
    for cmd in [
        &["ZRANGE", "z", MIN, MAX][..],
        &["ZRANGE", "z", MAX, MIN],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", MAX, MAX],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", MIN, MIN],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "0", MIN],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", MAX],
        &["ZRANGE", "z", "-", "+", "BYLEX", "LIMIT", MAX, "1"],
        &["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "0", MIN],
        &["ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", MIN, "1"],
        &["ZRANGEBYLEX", "z", "-", "+", "LIMIT", MAX, MAX],
        &["ZRANGESTORE", "dst", "z", "-inf", "+inf", "BYSCORE", "LIMIT", MAX, MAX],
        &["ZREMRANGEBYRANK", "z", MAX, MIN],
        &["ZPOPMIN", "z", "-1"],
        &["ZPOPMIN", "z", MIN],
        &["ZPOPMIN", "nokey", MAX],
        &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        &["ZPOPMAX", "z", MAX],
        &["EXISTS", "z"],
    ] {
        s.same(cmd);
    }
}

#[test]
fn scan_counts_and_cursors() {
    let mut s = session_with_data();
    for cmd in [
        &["SCAN", "0", "COUNT", MIN][..],
        &["SCAN", "0", "COUNT", "0"],
        &["SCAN", "0", "COUNT", "x"],
        &["SCAN", "18446744073709551616"],
        &["SCAN", "-1"],
        &["HSCAN", "h", "0", "COUNT", MIN],
        &["SSCAN", "s", "0", "COUNT", "0"],
        &["ZSCAN", "z", "0", "COUNT", "-1"],
        &["HSCAN", "h", "18446744073709551616"],
        &["HSCAN", "h", "0", "COUNT", MAX],
        &["SSCAN", "s", "0", "COUNT", MAX, "MATCH", "a"],
        &["ZSCAN", "z", "0", "COUNT", MAX],
    ] {
        s.same(cmd);
    }
    // A huge COUNT visits everything in one call, and must not reserve room for that many.
    let started = Instant::now();
    let (theirs, ours) = s.both(&["SCAN", "0", "COUNT", MAX]);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(common::canonical(&ours), common::canonical(&theirs));
    // From the last cursor Redis visits one bucket and ends: which keys sit in it depends on
    // the server's random hash seed, so only the cursor it returns is compared.
    let started = Instant::now();
    let (theirs, ours) = s.both(&["SCAN", "18446744073709551615", "COUNT", MAX]);
    assert!(started.elapsed() < Duration::from_secs(2));
    let cursor = |reply: &Frame| match reply {
        Frame::Array(parts) => parts.first().cloned(),
        _ => None,
    };
    assert_eq!(cursor(&ours), cursor(&theirs));
}
