//! CLIENT PAUSE holding other clients' commands on the virtual clock (the oracle cannot be
//! compared here: its held client would hang the session; `unit/pause` runs the same steps
//! against `emulate` with real connections).

use bytes::Bytes;
use playground_engine::{Engine, Frame, Outcome};

fn cmd(parts: &[&str]) -> Vec<Bytes> {
    parts.iter().map(|a| Bytes::copy_from_slice(a.as_bytes())).collect()
}

fn run(e: &mut Engine, id: u64, parts: &[&str], now: u64) -> Outcome {
    e.execute_blocking(id, cmd(parts), now)
}

fn reply(e: &mut Engine, id: u64, parts: &[&str], now: u64) -> Frame {
    match run(e, id, parts, now) {
        Outcome::Reply(f) => f,
        other => panic!("{parts:?} held: {other:?}"),
    }
}

fn info_field(e: &mut Engine, id: u64, field: &str, now: u64) -> String {
    let info = reply(e, id, &["INFO"], now);
    let text = String::from_utf8_lossy(info.as_bytes().expect("INFO")).into_owned();
    let line = text.lines().find(|l| l.starts_with(&format!("{field}:"))).expect(field);
    line[field.len() + 1..].to_string()
}

#[test]
fn write_pause_holds_writes_until_unpause_in_order() {
    let mut e = Engine::new(1, 1000);
    let (admin, a, b) = (e.connect(1000), e.connect(1000), e.connect(1000));
    assert_eq!(reply(&mut e, admin, &["CLIENT", "PAUSE", "60000", "WRITE"], 1000), Frame::ok());
    // Reads, PING and errors found before the pause answer at once.
    assert_eq!(reply(&mut e, a, &["GET", "k"], 1001), Frame::Null);
    assert!(reply(&mut e, a, &["SET", "k"], 1001).is_error());
    assert_eq!(run(&mut e, a, &["SET", "k", "1"], 1002), Outcome::Blocked { deadline: None });
    assert_eq!(run(&mut e, b, &["PUBLISH", "ch", "m"], 1003), Outcome::Blocked { deadline: None });
    assert_eq!(info_field(&mut e, admin, "blocked_clients", 1004), "2");
    assert_eq!(e.retry_blocked(a, 2000), None);
    assert_eq!(reply(&mut e, admin, &["GET", "k"], 2000), Frame::Null);
    assert_eq!(reply(&mut e, admin, &["CLIENT", "UNPAUSE"], 2001), Frame::ok());
    assert_eq!(e.retry_blocked(b, 2002), Some(Frame::Integer(0)));
    assert_eq!(e.retry_blocked(a, 2002), Some(Frame::ok()));
    assert_eq!(reply(&mut e, admin, &["GET", "k"], 2003), Frame::bulk("1"));
    assert_eq!(info_field(&mut e, admin, "blocked_clients", 2004), "0");
}

#[test]
fn pause_ends_with_its_timeout_and_all_outlasts_write() {
    let mut e = Engine::new(1, 0);
    let (admin, a) = (e.connect(0), e.connect(0));
    assert_eq!(reply(&mut e, admin, &["CLIENT", "PAUSE", "200", "ALL"], 0), Frame::ok());
    // A shorter WRITE pause keeps ALL and the later end.
    assert_eq!(
        run(&mut e, admin, &["CLIENT", "PAUSE", "20", "WRITE"], 0),
        Outcome::Blocked { deadline: None }
    );
    assert_eq!(run(&mut e, a, &["GET", "k"], 50), Outcome::Blocked { deadline: None });
    assert_eq!(e.retry_blocked(a, 199), None);
    assert_eq!(e.retry_blocked(a, 200), Some(Frame::Null));
    assert_eq!(e.retry_blocked(admin, 200), Some(Frame::ok()));
    // That WRITE pause, run at 200, ends at 220.
    assert_eq!(run(&mut e, a, &["SET", "k", "v"], 210), Outcome::Blocked { deadline: None });
    assert_eq!(reply(&mut e, admin, &["GET", "k"], 210), Frame::Null);
    assert_eq!(e.retry_blocked(a, 220), Some(Frame::ok()));
}

#[test]
fn transactions_and_blocking_commands_after_a_pause() {
    let mut e = Engine::new(1, 0);
    let (admin, a, b) = (e.connect(0), e.connect(0), e.connect(0));
    assert_eq!(reply(&mut e, a, &["MULTI"], 0), Frame::ok());
    assert_eq!(reply(&mut e, a, &["SET", "k", "v"], 0), Frame::Simple("QUEUED".into()));
    assert_eq!(reply(&mut e, admin, &["CLIENT", "PAUSE", "1000", "WRITE"], 0), Frame::ok());
    assert_eq!(run(&mut e, a, &["EXEC"], 1), Outcome::Blocked { deadline: None });
    // A read-only transaction runs.
    assert_eq!(reply(&mut e, b, &["MULTI"], 1), Frame::ok());
    assert_eq!(reply(&mut e, b, &["GET", "k"], 1), Frame::Simple("QUEUED".into()));
    assert_eq!(reply(&mut e, b, &["EXEC"], 1), Frame::Array(vec![Frame::Null]));
    // A BLPOP held by the pause blocks on its key once the pause is over.
    assert_eq!(run(&mut e, b, &["BLPOP", "l", "0"], 2), Outcome::Blocked { deadline: None });
    assert_eq!(e.retry_blocked(a, 1000), Some(Frame::Array(vec![Frame::ok()])));
    assert_eq!(e.retry_blocked(b, 1000), None);
    assert_eq!(reply(&mut e, admin, &["RPUSH", "l", "x"], 1001), Frame::Integer(1));
    assert_eq!(e.retry_blocked(b, 1001), Some(Frame::Array(vec![Frame::bulk("l"), Frame::bulk("x")])));
}

#[test]
fn expiry_waits_for_the_end_of_the_pause() {
    let mut e = Engine::new(1, 0);
    let admin = e.connect(0);
    assert_eq!(reply(&mut e, admin, &["SET", "k", "v", "PX", "10"], 0), Frame::ok());
    assert_eq!(reply(&mut e, admin, &["SET", "j", "v", "PX", "10"], 0), Frame::ok());
    assert_eq!(reply(&mut e, admin, &["CLIENT", "PAUSE", "1000", "WRITE"], 0), Frame::ok());
    assert_eq!(e.tick(100), 0);
    assert_eq!(reply(&mut e, admin, &["GET", "k"], 100), Frame::Null);
    assert_eq!(info_field(&mut e, admin, "expired_keys", 100), "0");
    assert_eq!(reply(&mut e, admin, &["CLIENT", "UNPAUSE"], 101), Frame::ok());
    assert_eq!(reply(&mut e, admin, &["GET", "k"], 102), Frame::Null);
    assert_eq!(info_field(&mut e, admin, "expired_keys", 102), "1");
    assert_eq!(e.tick(103), 1);
}

#[test]
fn a_caller_that_cannot_wait_runs_at_once() {
    let mut e = Engine::new(1, 0);
    let (admin, a) = (e.connect(0), e.connect(0));
    assert_eq!(reply(&mut e, admin, &["CLIENT", "PAUSE", "1000", "ALL"], 0), Frame::ok());
    assert_eq!(e.execute(a, cmd(&["SET", "k", "v"]), 1), Frame::ok());
    // CLIENT UNBLOCK leaves a held client alone.
    assert_eq!(run(&mut e, a, &["GET", "k"], 2), Outcome::Blocked { deadline: None });
    assert_eq!(e.execute(admin, cmd(&["CLIENT", "UNBLOCK", &a.to_string()]), 3), Frame::Integer(0));
    assert_eq!(e.retry_blocked(a, 1000), Some(Frame::bulk("v")));
}
