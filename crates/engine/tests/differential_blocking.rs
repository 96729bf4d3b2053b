//! Blocked clients against Redis 7.4: a client that hangs up while blocked loses its wait (the
//! next push stays in the list), and INFO clients counts blocked clients and the keys they wait
//! on as Redis does.

mod common;
use bytes::Bytes;
use common::{args, now_ms, oracle_port, Session};
use playground_engine::resp::encode_command;
use playground_engine::{Engine, Frame, Outcome};
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

/// The blocking-related fields of INFO clients, as text lines.
const FIELDS: [&str; 3] = ["blocked_clients", "total_blocking_keys", "total_blocking_keys_on_nokey"];

fn info_fields(reply: &Frame) -> Vec<String> {
    let text = String::from_utf8_lossy(reply.as_bytes().expect("INFO is a bulk string")).into_owned();
    FIELDS
        .iter()
        .map(|f| {
            text.lines()
                .find(|l| l.starts_with(&format!("{f}:")))
                .unwrap_or_else(|| panic!("INFO clients has no {f}"))
                .to_string()
        })
        .collect()
}

/// A raw connection to the oracle that sends a blocking command and never reads its reply.
fn block_on_oracle(cmd: &[&str]) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", oracle_port())).expect("connect to the oracle");
    let mut out = Vec::new();
    encode_command(&args(cmd), &mut out);
    stream.write_all(&out).expect("write");
    stream
}

/// Engine alone: the host disconnects a blocked client, then another pushes.
#[test]
fn disconnect_drops_the_wait_before_a_push() {
    let mut engine = Engine::new(7, 0);
    let a = engine.connect(0);
    let b = engine.connect(0);
    assert_eq!(
        engine.execute_blocking(a, args(&["BLPOP", "ghost", "0"]), 0),
        Outcome::Blocked { deadline: None }
    );
    assert!(engine.is_blocked(a));
    let info = engine.execute(b, args(&["INFO", "clients"]), 1);
    assert_eq!(
        info_fields(&info),
        ["blocked_clients:1", "total_blocking_keys:1", "total_blocking_keys_on_nokey:0"]
    );
    engine.disconnect(a);
    let info = engine.execute(b, args(&["INFO", "clients"]), 2);
    assert_eq!(
        info_fields(&info),
        ["blocked_clients:0", "total_blocking_keys:0", "total_blocking_keys_on_nokey:0"]
    );
    assert_eq!(engine.execute(b, args(&["LPUSH", "ghost", "foo"]), 3), Frame::Integer(1));
    assert_eq!(engine.retry_blocked(a, 4), None, "a closed client is never served");
    assert!(!engine.is_blocked(a));
    assert_eq!(
        engine.execute(b, args(&["LRANGE", "ghost", "0", "-1"]), 5),
        Frame::Array(vec![Frame::Bulk(Bytes::from_static(b"foo"))])
    );
}

/// Both sides: three blocked clients over overlapping keys, then one hangs up and a push lands.
#[test]
fn info_counts_blocked_clients_and_keys_like_redis() {
    let mut s = Session::new();
    let waits: [&[&str]; 3] = [
        &["BLPOP", "k1", "k2", "0"],
        &["BRPOP", "k2", "k3", "0"],
        &["BLMOVE", "k1", "dst", "LEFT", "RIGHT", "0"],
    ];
    let mut oracle_waiters = Vec::new();
    let mut engine_waiters = Vec::new();
    for cmd in waits {
        oracle_waiters.push(block_on_oracle(cmd));
        let id = s.engine.connect(now_ms());
        assert!(matches!(s.engine.execute_blocking(id, args(cmd), now_ms()), Outcome::Blocked { .. }));
        engine_waiters.push(id);
    }
    std::thread::sleep(Duration::from_millis(100));
    let compare = |s: &mut Session| {
        let (theirs, ours) = s.both(&["INFO", "clients"]);
        assert_eq!(info_fields(&ours), info_fields(&theirs), "(left: emulator, right: Redis)");
    };
    compare(&mut s);
    // The BLPOP client hangs up: k1 is still waited on by BLMOVE, k2 by BRPOP.
    drop(oracle_waiters.remove(0));
    s.engine.disconnect(engine_waiters.remove(0));
    std::thread::sleep(Duration::from_millis(100));
    compare(&mut s);
    // A push to a key whose only waiter left stays in the list.
    let ghost = block_on_oracle(&["BLPOP", "ghost", "0"]);
    let id = s.engine.connect(now_ms());
    assert!(matches!(
        s.engine.execute_blocking(id, args(&["BLPOP", "ghost", "0"]), now_ms()),
        Outcome::Blocked { .. }
    ));
    drop(ghost);
    s.engine.disconnect(id);
    std::thread::sleep(Duration::from_millis(100));
    s.same(&["LPUSH", "ghost", "foo"]);
    assert_eq!(s.engine.retry_blocked(id, now_ms()), None);
    s.same(&["LRANGE", "ghost", "0", "-1"]);
    compare(&mut s);
    drop(oracle_waiters);
}

/// Redis serves the clients blocked on a key in the order they blocked, whichever the host
/// retries first: a retry serves the earlier waiters too, and they collect their replies later.
#[test]
fn waiters_are_served_in_the_order_they_blocked() {
    let mut engine = Engine::new(7, 0);
    let waiters: Vec<u64> = (0..3).map(|_| engine.connect(0)).collect();
    let pusher = engine.connect(0);
    for id in &waiters {
        assert!(matches!(
            engine.execute_blocking(*id, args(&["BLPOP", "q", "0"]), 0),
            Outcome::Blocked { .. }
        ));
    }
    assert_eq!(engine.execute(pusher, args(&["RPUSH", "q", "first", "second"]), 1), Frame::Integer(2));
    let popped = |item: &str| {
        Frame::Array(vec![
            Frame::Bulk(Bytes::from_static(b"q")),
            Frame::Bulk(Bytes::copy_from_slice(item.as_bytes())),
        ])
    };
    // The last to block retries first: nothing is left for it, the first two got theirs.
    assert_eq!(engine.retry_blocked(waiters[2], 2), None);
    assert!(engine.is_blocked(waiters[0]), "a served reply waits to be collected");
    assert_eq!(engine.retry_blocked(waiters[1], 3), Some(popped("second")));
    assert_eq!(engine.retry_blocked(waiters[0], 4), Some(popped("first")));
    assert!(!engine.is_blocked(waiters[0]));
    let info = engine.execute(pusher, args(&["INFO", "clients"]), 5);
    assert_eq!(info_fields(&info)[0], "blocked_clients:1");
    // The one still waiting keeps its place: a later waiter does not overtake it.
    let late = engine.connect(5);
    assert!(matches!(engine.execute_blocking(late, args(&["BLPOP", "q", "0"]), 5), Outcome::Blocked { .. }));
    assert_eq!(engine.execute(pusher, args(&["RPUSH", "q", "third"]), 6), Frame::Integer(1));
    assert_eq!(engine.retry_blocked(late, 7), None);
    assert_eq!(engine.retry_blocked(waiters[2], 8), Some(popped("third")));
}

/// A key that holds another type when the waiter is retried does not wake it (Redis 7.4 runs
/// the blocked command again only for a key of the type it waits for), so the waiter gets the
/// next real push instead of WRONGTYPE.
#[test]
fn a_key_of_another_type_does_not_wake_a_waiter() {
    let mut engine = Engine::new(7, 0);
    let waiter = engine.connect(0);
    let other = engine.connect(0);
    assert!(matches!(
        engine.execute_blocking(waiter, args(&["BLPOP", "list", "0"]), 0),
        Outcome::Blocked { .. }
    ));
    for cmd in [&["MULTI"][..], &["LPUSH", "list", "a"], &["DEL", "list"], &["SET", "list", "foo"], &["EXEC"]]
    {
        engine.execute(other, args(cmd), 1);
    }
    assert_eq!(engine.retry_blocked(waiter, 2), None);
    engine.execute(other, args(&["DEL", "list"]), 3);
    engine.execute(other, args(&["LPUSH", "list", "b"]), 4);
    assert_eq!(
        engine.retry_blocked(waiter, 5),
        Some(Frame::Array(vec![
            Frame::Bulk(Bytes::from_static(b"list")),
            Frame::Bulk(Bytes::from_static(b"b"))
        ]))
    );
}

/// Serving a waiter changes the dataset once for the pop (Redis: LPUSH + BLPOP = 2 changes).
#[test]
fn serving_a_waiter_counts_one_change() {
    let mut engine = Engine::new(7, 0);
    let waiter = engine.connect(0);
    let other = engine.connect(0);
    let changes = |engine: &mut Engine| {
        let info = engine.execute(other, args(&["INFO", "persistence"]), 0);
        let text = String::from_utf8_lossy(info.as_bytes().expect("bulk")).into_owned();
        let line =
            text.lines().find(|l| l.starts_with("rdb_changes_since_last_save:")).expect("field").to_string();
        line.split(':').nth(1).expect("value").parse::<u64>().expect("number")
    };
    let before = changes(&mut engine);
    assert!(matches!(
        engine.execute_blocking(waiter, args(&["BLPOP", "lst", "0"]), 0),
        Outcome::Blocked { .. }
    ));
    engine.execute(other, args(&["LPUSH", "lst", "a"]), 1);
    assert!(engine.retry_blocked(waiter, 2).is_some());
    assert_eq!(changes(&mut engine), before + 2);
}

/// LMOVE, RPOPLPUSH and a served BLMOVE count one change, as Redis's `listElementsRemoved`
/// does (the push to the destination only signals it): the same delta of
/// rdb_changes_since_last_save on both sides.
#[test]
fn a_move_counts_one_change_like_redis() {
    let mut s = Session::new();
    let changes = |frame: &Frame| -> i64 {
        let text = String::from_utf8_lossy(frame.as_bytes().expect("bulk")).into_owned();
        let line =
            text.lines().find(|l| l.starts_with("rdb_changes_since_last_save:")).expect("field").to_string();
        line.split(':').nth(1).expect("value").parse().expect("number")
    };
    s.same(&["RPUSH", "src", "a", "b", "c"]);
    for cmd in [
        &["LMOVE", "src", "dst", "LEFT", "RIGHT"][..],
        &["RPOPLPUSH", "src", "dst"],
        &["LMOVE", "src", "dst", "LEFT", "LEFT"],
    ] {
        let (theirs_before, ours_before) = s.both(&["INFO", "persistence"]);
        s.same(cmd);
        let (theirs_after, ours_after) = s.both(&["INFO", "persistence"]);
        assert_eq!(
            changes(&ours_after) - changes(&ours_before),
            changes(&theirs_after) - changes(&theirs_before),
            "{cmd:?}"
        );
    }
    // Served while blocked: LPUSH + the move.
    let waiter = s.engine.connect(now_ms());
    let before = changes(&s.engine.execute(s.client, args(&["INFO", "persistence"]), now_ms()));
    let blmove = args(&["BLMOVE", "lst", "lst1", "LEFT", "LEFT", "0"]);
    assert!(matches!(s.engine.execute_blocking(waiter, blmove, now_ms()), Outcome::Blocked { .. }));
    s.engine.execute(s.client, args(&["LPUSH", "lst", "a"]), now_ms());
    assert!(s.engine.retry_blocked(waiter, now_ms()).is_some());
    let after = changes(&s.engine.execute(s.client, args(&["INFO", "persistence"]), now_ms()));
    assert_eq!(after - before, 2);
}

/// CLIENT UNBLOCK: the waiter gets the timeout reply or the UNBLOCKED error; bad arguments get
/// Redis's errors.
#[test]
fn client_unblock_ends_a_wait() {
    let mut s = Session::new();
    for cmd in [
        &["CLIENT", "UNBLOCK", "asd"][..],
        &["CLIENT", "UNBLOCK", "999999"],
        &["CLIENT", "UNBLOCK", "999999", "TIMEOUT"],
        &["CLIENT", "UNBLOCK", "999999", "error"],
        &["CLIENT", "UNBLOCK", "asd", "foo"],
        &["CLIENT", "unblock", "1", "TIMEOUT", "x"],
        &["CLIENT", "UNBLOCK"],
    ] {
        s.same(cmd);
    }
    let waiter = s.engine.connect(now_ms());
    let me = s.client;
    let unblock = |s: &mut Session, reason: &[&str]| {
        let mut cmd = vec!["CLIENT".to_string(), "UNBLOCK".to_string(), waiter.to_string()];
        cmd.extend(reason.iter().map(|r| r.to_string()));
        let cmd: Vec<&str> = cmd.iter().map(String::as_str).collect();
        s.engine.execute(me, args(&cmd), now_ms())
    };
    for (reason, reply) in [
        (&[][..], Frame::NullArray),
        (&["TIMEOUT"], Frame::NullArray),
        (&["ERROR"], Frame::Error("UNBLOCKED client unblocked via CLIENT UNBLOCK".into())),
    ] {
        assert!(matches!(
            s.engine.execute_blocking(waiter, args(&["BLPOP", "l", "0"]), now_ms()),
            Outcome::Blocked { .. }
        ));
        assert_eq!(unblock(&mut s, reason), Frame::Integer(1));
        assert_eq!(unblock(&mut s, reason), Frame::Integer(0), "no longer blocked");
        assert_eq!(s.engine.retry_blocked(waiter, now_ms()), Some(reply));
    }
    // Still usable afterwards.
    assert!(matches!(
        s.engine.execute_blocking(waiter, args(&["BLPOP", "l", "0"]), now_ms()),
        Outcome::Blocked { .. }
    ));
    s.engine.execute(me, args(&["LPUSH", "l", "foo"]), now_ms());
    assert!(matches!(s.engine.retry_blocked(waiter, now_ms()), Some(Frame::Array(_))));
}

/// Redis serves waiters right after the command that fed their key, before the next command
/// of anyone: a client that pushes and then blocks on the same list (one pipeline) does not
/// take the element from the client that was already waiting.
#[test]
fn a_push_serves_the_waiter_before_the_next_command() {
    let mut engine = Engine::new(7, 0);
    let first = engine.connect(0);
    let second = engine.connect(0);
    assert!(matches!(
        engine.execute_blocking(first, args(&["BLPOP", "mylist", "0"]), 0),
        Outcome::Blocked { .. }
    ));
    assert_eq!(
        engine.execute_blocking(second, args(&["LPUSH", "mylist", "1"]), 1),
        Outcome::Reply(Frame::Integer(1))
    );
    assert!(matches!(
        engine.execute_blocking(second, args(&["BLPOP", "mylist", "0"]), 1),
        Outcome::Blocked { .. }
    ));
    let popped = |item: &'static [u8]| {
        Frame::Array(vec![Frame::Bulk(Bytes::from_static(b"mylist")), Frame::Bulk(Bytes::from_static(item))])
    };
    assert_eq!(engine.retry_blocked(first, 2), Some(popped(b"1")));
    assert_eq!(engine.retry_blocked(second, 2), None);
    engine.execute(first, args(&["LPUSH", "mylist", "2"]), 3);
    assert_eq!(engine.retry_blocked(second, 4), Some(popped(b"2")));
}
