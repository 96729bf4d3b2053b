//! How a blocked command ends, against Redis 7.4 with two clients on each side: INFO
//! commandstats counts it once (served, timed out, or ended by CLIENT UNBLOCK, failed with
//! ERROR), and a DEBUG SLEEP inside the transaction that fed its key has passed when the waiter
//! is served, so a key that expired meanwhile leaves it blocked until its timeout.

mod common;
use common::{args, now_ms, oracle_port, Session};
use playground_engine::resp::encode_command;
use playground_engine::{Frame, Outcome};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A raw oracle connection that sends `cmd` (a blocking command) without reading.
fn send_to_oracle(cmd: &[&str]) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", oracle_port())).expect("connect to the oracle");
    let mut out = Vec::new();
    encode_command(&args(cmd), &mut out);
    stream.write_all(&out).expect("write");
    stream
}

/// The bytes the oracle sends within `wait` (empty if none).
fn read_within(stream: &mut TcpStream, wait: Duration) -> Vec<u8> {
    stream.set_read_timeout(Some(wait)).expect("timeout");
    let mut buf = [0u8; 256];
    match stream.read(&mut buf) {
        Ok(n) => buf[..n].to_vec(),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Vec::new(),
        Err(e) => panic!("read: {e}"),
    }
}

/// The `calls=`, `rejected_calls=` and `failed_calls=` of a cmdstat line (time fields differ).
fn counts(info: &Frame, command: &str) -> String {
    let text = String::from_utf8_lossy(info.as_bytes().expect("INFO is a bulk string")).into_owned();
    let Some(line) = text.lines().find(|l| l.starts_with(&format!("cmdstat_{command}:"))) else {
        return "absent".into();
    };
    line.split([':', ','])
        .filter(|f| f.starts_with("calls=") || f.contains("_calls="))
        .collect::<Vec<_>>()
        .join(",")
}

fn same_counts(s: &mut Session, command: &str) {
    let (theirs, ours) = s.both(&["INFO", "commandstats"]);
    assert_eq!(counts(&ours, command), counts(&theirs, command), "cmdstat_{command} (left: emulator)");
}

/// Served by a push, timed out, CLIENT UNBLOCK with TIMEOUT and with ERROR: one call each.
#[test]
fn a_blocked_command_counts_once() {
    let mut s = Session::new();
    let waiter = s.engine.connect(now_ms());
    let id_of = |stream: &mut TcpStream| -> String {
        stream.write_all(b"CLIENT ID\r\n").expect("write");
        let reply = read_within(stream, Duration::from_secs(2));
        String::from_utf8_lossy(&reply[1..reply.len() - 2]).into_owned()
    };
    s.same(&["CONFIG", "RESETSTAT"]);
    // Served.
    let mut theirs = send_to_oracle(&["BLPOP", "mylist", "0"]);
    assert!(matches!(
        s.engine.execute_blocking(waiter, args(&["BLPOP", "mylist", "0"]), now_ms()),
        Outcome::Blocked { .. }
    ));
    std::thread::sleep(Duration::from_millis(50));
    same_counts(&mut s, "blpop");
    s.same(&["LPUSH", "mylist", "1"]);
    assert_eq!(read_within(&mut theirs, Duration::from_secs(2)), b"*2\r\n$6\r\nmylist\r\n$1\r\n1\r\n");
    assert!(s.engine.retry_blocked(waiter, now_ms()).is_some());
    same_counts(&mut s, "blpop");
    // Timed out (after a retry that found nothing).
    theirs.write_all(b"BRPOP nothing 0.05\r\n").expect("write");
    let start = now_ms();
    assert!(matches!(
        s.engine.execute_blocking(waiter, args(&["BRPOP", "nothing", "0.05"]), start),
        Outcome::Blocked { .. }
    ));
    assert_eq!(s.engine.retry_blocked(waiter, start + 10), None);
    assert_eq!(read_within(&mut theirs, Duration::from_secs(2)), b"*-1\r\n");
    assert_eq!(s.engine.retry_blocked(waiter, start + 60), Some(Frame::NullArray));
    same_counts(&mut s, "brpop");
    // CLIENT UNBLOCK, both reasons.
    let their_id = id_of(&mut theirs);
    for (reason, reply) in
        [("TIMEOUT", &b"*-1\r\n"[..]), ("ERROR", b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n")]
    {
        theirs.write_all(b"BLMOVE a b LEFT LEFT 0\r\n").expect("write");
        assert!(matches!(
            s.engine.execute_blocking(waiter, args(&["BLMOVE", "a", "b", "LEFT", "LEFT", "0"]), now_ms()),
            Outcome::Blocked { .. }
        ));
        std::thread::sleep(Duration::from_millis(50));
        let their_reply = s.oracle.raw(&args(&["CLIENT", "UNBLOCK", &their_id, reason]));
        let ours =
            s.engine.execute(s.client, args(&["CLIENT", "UNBLOCK", &waiter.to_string(), reason]), now_ms());
        assert_eq!(their_reply, b":1\r\n");
        assert_eq!(ours, Frame::Integer(1));
        assert_eq!(read_within(&mut theirs, Duration::from_secs(2)), reply);
        assert!(s.engine.retry_blocked(waiter, now_ms()).is_some());
        same_counts(&mut s, "blmove");
    }
}

/// MULTI / RPUSH / PEXPIRE 100 / DEBUG SLEEP 0.2 / EXEC: when EXEC would serve the waiter the
/// key has expired, so it stays blocked and times out at its own deadline.
#[test]
fn debug_sleep_in_exec_lets_the_fed_key_expire_first() {
    let mut s = Session::new();
    s.same(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
    let waiter = s.engine.connect(now_ms());
    let start = now_ms();
    let mut theirs = send_to_oracle(&["BLPOP", "mylist", "1"]);
    assert!(matches!(
        s.engine.execute_blocking(waiter, args(&["BLPOP", "mylist", "1"]), start),
        Outcome::Blocked { .. }
    ));
    std::thread::sleep(Duration::from_millis(50));
    s.script(&[
        &["MULTI"],
        &["RPUSH", "mylist", "a"],
        &["PEXPIRE", "mylist", "100"],
        &["DEBUG", "SLEEP", "0.2"],
        &["EXEC"],
    ]);
    assert_eq!(read_within(&mut theirs, Duration::from_millis(300)), b"", "Redis keeps it blocked");
    assert_eq!(s.engine.retry_blocked(waiter, now_ms()), None, "still blocked");
    assert_eq!(read_within(&mut theirs, Duration::from_secs(2)), b"*-1\r\n");
    assert_eq!(s.engine.retry_blocked(waiter, start + 1000), Some(Frame::NullArray));
    s.same(&["EXISTS", "mylist"]);
    s.same(&["DEBUG", "SLEEP", "0"]);
    s.same(&["DEBUG", "SLEEP", "x"]);
    s.same(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
}
