//! ZMPOP, BZMPOP, BZPOPMIN and BZPOPMAX against Redis 7.4, byte for byte in RESP2 and RESP3:
//! replies, argument errors in Redis's order, timeouts, MULTI (never blocks), and clients blocked
//! on real sockets served in the order they blocked.

mod common;
use common::{args, decode, now_ms, oracle_port, Session};
use playground_engine::resp::{encode_command, parse_frame, Limits};
use playground_engine::{Frame, Outcome};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The same set-up on both sides: a small (listpack) and a large (skiplist) sorted set.
fn fill(s: &mut Session) {
    s.script(&[
        &["ZADD", "z:a", "1", "a", "2", "b", "3", "c", "-inf", "lo", "inf", "hi"],
        &["ZADD", "z:b", "1.5", "x", "1.5", "y", "0", "z"],
        &["SET", "z:str", "v"],
    ]);
    let mut big = vec!["ZADD".to_string(), "z:big".to_string()];
    for i in 0..200 {
        big.push(format!("{}", i as f64 / 7.0));
        big.push(format!("m{i}"));
    }
    let big: Vec<&str> = big.iter().map(String::as_str).collect();
    s.same(&big);
}

fn pops_and_errors(s: &mut Session) {
    fill(s);
    s.script(&[
        &["ZMPOP", "1", "z:a", "MIN"],
        &["ZMPOP", "1", "z:a", "max"],
        &["ZMPOP", "2", "z:none", "z:a", "MIN", "COUNT", "2"],
        &["ZMPOP", "3", "z:none", "z:b", "z:a", "MAX", "count", "10"],
        &["EXISTS", "z:b"],
        &["ZMPOP", "2", "z:none", "z:b", "MIN"],
        &["ZMPOP", "1", "z:big", "MAX", "COUNT", "3"],
        &["ZMPOP", "1", "z:big", "MIN", "COUNT", "2"],
        &["ZCARD", "z:big"],
        // Errors, in Redis's order.
        &["ZMPOP", "0", "z:a", "MIN"],
        &["ZMPOP", "-1", "z:a", "MIN"],
        &["ZMPOP", "abc", "z:a", "MIN"],
        &["ZMPOP", "2", "z:a", "MIN"],
        &["ZMPOP", "5", "z:a", "MIN"],
        &["ZMPOP", "1", "z:a", "LEFT"],
        &["ZMPOP", "1", "z:a", "MIN", "COUNT"],
        &["ZMPOP", "1", "z:a", "MIN", "COUNT", "0"],
        &["ZMPOP", "1", "z:a", "MIN", "COUNT", "-1"],
        &["ZMPOP", "1", "z:a", "MIN", "COUNT", "x"],
        &["ZMPOP", "1", "z:a", "MIN", "COUNT", "1", "COUNT", "1"],
        &["ZMPOP", "1", "z:a", "MIN", "FOO"],
        &["ZMPOP", "1", "z:a"],
        &["ZMPOP", "1", "z:str", "MIN"],
        &["ZMPOP", "2", "z:none", "z:str", "MIN"],
        &["ZMPOP", "2", "z:big", "z:str", "MIN"],
        &["ZMPOP", "2", "z:none", "z:none2", "MIN"],
        // The blocking forms with data answer at once.
        &["BZPOPMIN", "z:none", "z:big", "0"],
        &["BZPOPMAX", "z:none", "z:big", "1.5"],
        &["BZPOPMIN", "z:big", "z:big", "0"],
        &["BZMPOP", "0", "1", "z:big", "MIN"],
        &["BZMPOP", "0.01", "2", "z:none", "z:big", "MAX", "COUNT", "2"],
        &["BZPOPMIN", "z:str", "0"],
        &["BZPOPMIN", "z:none", "z:str", "z:big", "0"],
        &["BZMPOP", "0", "2", "z:str", "z:big", "MIN"],
        // Argument errors: BZPOP* read the timeout first; BZMPOP its keys and options first.
        &["BZPOPMIN", "z:big", "-1"],
        &["BZPOPMIN", "z:big", "abc"],
        &["BZPOPMIN", "z:big", "nan"],
        &["BZPOPMIN", "z:big", "inf"],
        &["BZPOPMIN", "z:big", "-inf"],
        &["BZPOPMIN", "z:big", "1e400"],
        &["BZPOPMIN", "z:big", "9.3e15"],
        &["BZPOPMIN", "z:big", " 1"],
        &["BZPOPMIN", "z:big", ""],
        &["BZPOPMIN", "z:str", "-1"],
        &["BZPOPMAX", "z:big", "0x10"],
        &["BZPOPMAX", "z:big", "-0"],
        &["BZMPOP", "-1", "0", "z:big", "MIN"],
        &["BZMPOP", "-1", "1", "z:big", "LEFT"],
        &["BZMPOP", "abc", "1", "z:big", "MIN", "COUNT", "0"],
        &["BZMPOP", "abc", "1", "z:big", "MIN"],
        &["BZMPOP", "1e400", "1", "z:big", "MIN"],
        &["BZMPOP", "0", "3", "z:big", "MIN"],
        &["BZMPOP", "0", "1", "z:big", "MIN", "COUNT"],
        &["BZMPOP", "0", "1", "z:big"],
        &["BZMPOP", "0", "1", "z:big", "MIN", "COUNT", "2", "extra"],
        &["BZPOPMIN", "z:big"],
        // The list forms read timeouts the same way, BLMPOP also after its keys.
        &["BLMPOP", "-1", "0", "l", "LEFT"],
        &["BLMPOP", "abc", "1", "l", "LEFT", "COUNT", "0"],
        &["BLMPOP", "abc", "1", "l", "UP"],
        &["BLMPOP", "-1", "1", "l", "LEFT"],
        &["BLPOP", "l", "inf"],
        &["BLPOP", "l", "1e400"],
        &["BRPOP", "l", "-0.5"],
        &["BLMOVE", "l", "m", "LEFT", "RIGHT", "nan"],
        &["BLMOVE", "l", "m", "UP", "RIGHT", "nan"],
        &["BLPOP", "l", "0.0001"],
        &["BZMPOP", "0", "1", "z:big"],
        // Inside MULTI nothing blocks: the null array at once, even with timeout 0.
        &["MULTI"],
        &["BZPOPMIN", "z:none", "0"],
        &["BZPOPMAX", "z:none", "z:none2", "0"],
        &["BZMPOP", "0", "1", "z:none", "MIN"],
        &["ZADD", "z:none", "5", "five"],
        &["BZPOPMAX", "z:none", "0"],
        &["ZMPOP", "1", "z:none", "MIN"],
        &["EXEC"],
        &["EXISTS", "z:none"],
    ]);
}

#[test]
fn pops_and_errors_in_resp2() {
    let mut s = Session::new();
    pops_and_errors(&mut s);
}

#[test]
fn pops_and_errors_in_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    pops_and_errors(&mut s);
}

/// A client of the oracle that sends a command and reads its reply later (while it blocks).
struct Waiter(TcpStream, Vec<u8>);

impl Waiter {
    fn send(resp3: bool, cmd: &[&str]) -> Waiter {
        let stream = TcpStream::connect(("127.0.0.1", oracle_port())).expect("connect to the oracle");
        stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        let mut w = Waiter(stream, Vec::new());
        if resp3 {
            w.write(&["HELLO", "3"]);
            w.reply();
        }
        w.write(cmd);
        w
    }

    fn write(&mut self, cmd: &[&str]) {
        let mut out = Vec::new();
        encode_command(&args(cmd), &mut out);
        self.0.write_all(&out).expect("write");
    }

    /// The raw bytes of the next reply.
    fn reply(&mut self) -> Vec<u8> {
        loop {
            if let Some((_, used)) = parse_frame(&self.1, &Limits::default()).expect("reply parses") {
                return self.1.drain(..used).collect();
            }
            let mut chunk = [0u8; 4096];
            let n = self.0.read(&mut chunk).expect("read from the oracle");
            assert!(n > 0, "oracle closed the connection");
            self.1.extend_from_slice(&chunk[..n]);
        }
    }
}

/// Several clients block (on both sides) on overlapping keys, then pushes serve them: each gets
/// the reply its counterpart gets from Redis, in the order they blocked.
fn waiters_served_in_order(resp3: bool) {
    let mut s = Session::new();
    if resp3 {
        s.run(&["HELLO", "3"]);
    }
    let waits: [&[&str]; 5] = [
        &["BZPOPMIN", "q1", "q2", "0"],
        &["BZMPOP", "0", "2", "q2", "q1", "MAX", "COUNT", "2"],
        &["BZPOPMAX", "q1", "0"],
        &["BZMPOP", "0", "1", "q3", "MIN"],
        &["BLPOP", "q1", "0"],
    ];
    let mut theirs = Vec::new();
    let mut ours = Vec::new();
    for cmd in waits {
        theirs.push(Waiter::send(resp3, cmd));
        let id = s.engine.connect(now_ms());
        if resp3 {
            s.engine.execute(id, args(&["HELLO", "3"]), now_ms());
        }
        assert!(matches!(s.engine.execute_blocking(id, args(cmd), now_ms()), Outcome::Blocked { .. }));
        ours.push(id);
        // Redis orders waiters by arrival: let each block before the next one is sent.
        std::thread::sleep(Duration::from_millis(100));
    }
    // A list on q1 does not wake the sorted-set waiters; the BLPOP client takes it.
    s.same(&["RPUSH", "q1", "item"]);
    s.same(&["DEL", "q1"]);
    s.same(&["ZADD", "q1", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"]);
    s.same(&["ZADD", "q3", "7", "only"]);
    let mut served = Vec::new();
    for (i, id) in ours.iter().enumerate() {
        let mine = s.engine.retry_blocked(*id, now_ms()).unwrap_or_else(|| panic!("waiter {i} not served"));
        let reply = theirs[i].reply();
        let mut bytes = Vec::new();
        mine.encode(s.engine.protocol(*id), &mut bytes);
        assert_eq!(common::show(&bytes), common::show(&reply), "waiter {i} {:?}", waits[i]);
        served.push(decode(&reply));
    }
    s.same(&["ZRANGE", "q1", "0", "-1", "WITHSCORES"]);
    s.same(&["EXISTS", "q3"]);
    // The BLPOP waiter got the list element, the first BZPOPMIN the lowest member.
    assert_eq!(served[4], Frame::Array(vec![Frame::bulk("q1"), Frame::bulk("item")]));
    assert_eq!(&served[0].to_bytes(playground_engine::Protocol::Resp2)[..17], b"*3\r\n$2\r\nq1\r\n$1\r\na");
}

#[test]
fn waiters_are_served_in_the_order_they_blocked_resp2() {
    waiters_served_in_order(false);
}

#[test]
fn waiters_are_served_in_the_order_they_blocked_resp3() {
    waiters_served_in_order(true);
}

/// A short timeout ends the wait with the null array (`*-1` in RESP2, `_` in RESP3).
#[test]
fn timeouts_answer_the_null_array() {
    for resp3 in [false, true] {
        let mut s = Session::new();
        if resp3 {
            s.run(&["HELLO", "3"]);
        }
        for cmd in [&["BZPOPMIN", "t:none", "0.05"][..], &["BZMPOP", "0.05", "1", "t:none", "MAX"]] {
            let mut waiter = Waiter::send(resp3, cmd);
            let id = s.engine.connect(now_ms());
            if resp3 {
                s.engine.execute(id, args(&["HELLO", "3"]), now_ms());
            }
            let start = now_ms();
            let Outcome::Blocked { deadline } = s.engine.execute_blocking(id, args(cmd), start) else {
                panic!("{cmd:?} did not block");
            };
            assert_eq!(deadline, Some(start + 50));
            assert_eq!(s.engine.retry_blocked(id, start + 49), None);
            let mine = s.engine.retry_blocked(id, start + 50).expect("timed out");
            let mut bytes = Vec::new();
            mine.encode(s.engine.protocol(id), &mut bytes);
            assert_eq!(common::show(&bytes), common::show(&waiter.reply()), "{cmd:?}");
        }
    }
}

/// Redis rounds a timeout up to the next millisecond: 0.0001 s waits 1 ms (not forever), and
/// -0.0001 s rounds to 0, which waits forever.
#[test]
fn timeouts_round_up_to_a_millisecond() {
    let mut s = Session::new();
    let id = s.engine.connect(1_000);
    assert_eq!(
        s.engine.execute_blocking(id, args(&["BZPOPMIN", "k", "0.0001"]), 1_000),
        Outcome::Blocked { deadline: Some(1_001) }
    );
    assert_eq!(s.engine.retry_blocked(id, 1_001), Some(Frame::NullArray));
    assert_eq!(
        s.engine.execute_blocking(id, args(&["BLMPOP", "-0.0001", "1", "k", "LEFT"]), 2_000),
        Outcome::Blocked { deadline: None }
    );
    s.engine.cancel_blocked(id);
    // The oracle agrees that -0.0001 is not negative: it blocks (until this test disconnects).
    let mut waiter = Waiter::send(false, &["BZPOPMIN", "k2", "-0.0001"]);
    std::thread::sleep(Duration::from_millis(100));
    s.same(&["ZADD", "k2", "1", "a"]);
    assert_eq!(common::show(&waiter.reply()), "*3\\r\\n$2\\r\\nk2\\r\\n$1\\r\\na\\r\\n$1\\r\\n1\\r\\n");
}

fn info_number(frame: &Frame, name: &str) -> i64 {
    let text = String::from_utf8_lossy(frame.as_bytes().expect("INFO is a bulk string")).into_owned();
    let line = text.lines().find(|l| l.starts_with(&format!("{name}:"))).expect("field");
    line.split(':').nth(1).expect("value").trim().parse().expect("number")
}

/// The pops look keys up for writing (no keyspace hit or miss) and count a change per member.
#[test]
fn hits_misses_and_changes_like_redis() {
    let mut s = Session::new();
    fill(&mut s);
    for cmd in [
        &["ZMPOP", "2", "z:none", "z:a", "MIN", "COUNT", "3"][..],
        &["ZMPOP", "1", "z:none", "MIN"],
        &["BZPOPMIN", "z:none", "z:big", "0"],
        &["BZMPOP", "0", "1", "z:big", "MAX", "COUNT", "4"],
        &["BZMPOP", "0", "1", "z:b", "MAX", "COUNT", "10"],
        &["ZPOPMIN", "z:big", "3"],
        &["ZPOPMAX", "z:big"],
    ] {
        let (theirs_before, ours_before) = s.both(&["INFO", "all"]);
        s.same(cmd);
        let (theirs_after, ours_after) = s.both(&["INFO", "all"]);
        for field in ["keyspace_hits", "keyspace_misses", "rdb_changes_since_last_save"] {
            assert_eq!(
                info_number(&ours_after, field) - info_number(&ours_before, field),
                info_number(&theirs_after, field) - info_number(&theirs_before, field),
                "{field} after {cmd:?}"
            );
        }
    }
}

/// Redis serves the keys that became ready in the order they did, and for each key the clients
/// blocked on it in the order they blocked: a transaction that fills k2 then k1 serves B (waiting
/// on k1 and k2, which takes k1's member as its command pops its first non-empty key) before A
/// (waiting on k1 only, blocked first), which then finds k1 empty and keeps waiting.
#[test]
fn ready_keys_are_served_in_the_order_they_became_ready() {
    for (a_cmd, b_cmd) in [
        (&["BZPOPMIN", "k1", "0"][..], &["BZPOPMIN", "k1", "k2", "0"][..]),
        (&["BLPOP", "k1", "0"], &["BLMPOP", "0", "2", "k1", "k2", "LEFT"]),
    ] {
        let list = a_cmd[0] == "BLPOP";
        let mut s = Session::new();
        let (mut ta, ia) = (Waiter::send(false, a_cmd), s.engine.connect(now_ms()));
        assert!(matches!(s.engine.execute_blocking(ia, args(a_cmd), now_ms()), Outcome::Blocked { .. }));
        std::thread::sleep(Duration::from_millis(100));
        let (mut tb, ib) = (Waiter::send(false, b_cmd), s.engine.connect(now_ms()));
        assert!(matches!(s.engine.execute_blocking(ib, args(b_cmd), now_ms()), Outcome::Blocked { .. }));
        std::thread::sleep(Duration::from_millis(100));
        let fill: [&[&str]; 2] = if list {
            [&["RPUSH", "k2", "x"], &["RPUSH", "k1", "a"]]
        } else {
            [&["ZADD", "k2", "2", "x"], &["ZADD", "k1", "1", "a"]]
        };
        s.script(&[&["MULTI"], fill[0], fill[1], &["EXEC"]]);
        let show = |f: Frame| {
            let mut out = Vec::new();
            f.encode(playground_engine::Protocol::Resp2, &mut out);
            common::show(&out)
        };
        let mine = s.engine.retry_blocked(ib, now_ms()).expect("B is served");
        assert_eq!(show(mine), common::show(&tb.reply()), "{b_cmd:?}");
        assert_eq!(s.engine.retry_blocked(ia, now_ms()), None, "A still waits");
        s.same(&["EXISTS", "k1", "k2"]);
        let refill: &[&str] = if list { &["RPUSH", "k1", "c"] } else { &["ZADD", "k1", "3", "c"] };
        s.same(refill);
        let mine = s.engine.retry_blocked(ia, now_ms()).expect("A is served");
        assert_eq!(show(mine), common::show(&ta.reply()), "{a_cmd:?}");
    }
}
