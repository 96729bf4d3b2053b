//! A lone primary's replication commands against Redis 7.4, byte for byte, RESP2 and RESP3:
//! ROLE, WAIT and WAITAOF (their argument errors, and the answer once no replica acknowledges),
//! REPLICAOF / SLAVEOF NO ONE and their port errors, FAILOVER's checks. (Never a REPLICAOF with a
//! valid port here: the oracle would start following it.) And MEMORY DOCTOR / STATS, the other
//! replies about the server itself that were missing.

mod common;
use common::Session;
use playground_engine::Frame;

#[test]
fn a_lone_primary_answers_like_redis() {
    for resp3 in [false, true] {
        let mut s = Session::new();
        if resp3 {
            s.run(&["HELLO", "3"]);
        }
        // The offset counts replicated bytes once a backlog exists (a replica or a SYNC ever
        // connected): 0 on a fresh server, whatever the shared oracle has seen.
        let (theirs, ours) = s.both(&["ROLE"]);
        let (Frame::Array(ours), Frame::Array(theirs)) = (ours, theirs) else { panic!("ROLE is an array") };
        assert_eq!((&ours[0], &ours[2]), (&theirs[0], &theirs[2]));
        assert_eq!(ours[1], Frame::Integer(0));
        s.script(&[
            &["ROLE", "x"],
            &["WAIT", "0", "0"],
            &["WAIT", "-3", "0"],
            &["WAIT", "1", "20"],
            &["WAIT", "x", "0"],
            &["WAIT", "0", "x"],
            &["WAIT", "0", "1.5"],
            &["WAIT", "0", "-1"],
            &["WAIT", "0"],
            &["WAITAOF", "0", "0", "0"],
            &["WAITAOF", "0", "1", "20"],
            &["WAITAOF", "1", "0", "0"],
            &["WAITAOF", "2", "0", "0"],
            &["WAITAOF", "-1", "0", "0"],
            &["WAITAOF", "x", "0", "0"],
            &["WAITAOF", "0", "-1", "0"],
            &["WAITAOF", "0", "x", "0"],
            &["WAITAOF", "0", "0", "x"],
            &["WAITAOF", "0", "0", "-1"],
            &["MULTI"],
            &["WAIT", "2", "0"],
            &["WAITAOF", "0", "1", "0"],
            &["EXEC"],
            &["REPLICAOF", "NO", "ONE"],
            &["REPLICAOF", "no", "one"],
            &["SLAVEOF", "NO", "ONE"],
            &["REPLICAOF", "127.0.0.1", "x"],
            &["REPLICAOF", "127.0.0.1", "70000"],
            &["REPLICAOF", "127.0.0.1", "-1"],
            &["REPLICAOF", "NO", "TWO"],
            &["REPLICAOF"],
            &["FAILOVER"],
            &["FAILOVER", "ABORT"],
            &["FAILOVER", "abort", "TIMEOUT", "1"],
            &["FAILOVER", "TO"],
            &["FAILOVER", "TO", "127.0.0.1", "x"],
            &["FAILOVER", "TO", "127.0.0.1", "1", "FORCE"],
            &["FAILOVER", "TIMEOUT", "0"],
            &["FAILOVER", "TIMEOUT", "x"],
            &["FAILOVER", "TIMEOUT", "10", "TIMEOUT", "10"],
            &["FAILOVER", "FORCE", "FORCE"],
            &["FAILOVER", "bogus"],
        ]);
    }
}

/// WAIT for a replica blocks the client until its timeout (none ever acknowledges), then
/// answers 0; CLIENT UNBLOCK ends the wait early with the same answer, as Redis does.
#[test]
fn wait_for_replicas_blocks_until_its_timeout() {
    use playground_engine::{Engine, Outcome};
    let mut e = Engine::new(1, 1_000);
    let c = e.connect(1_000);
    let cmd = |parts: &[&str]| parts.iter().map(|p| bytes::Bytes::copy_from_slice(p.as_bytes())).collect();
    assert!(matches!(
        e.execute_blocking(c, cmd(&["WAIT", "1", "50"]), 1_000),
        Outcome::Blocked { deadline: Some(1_050) }
    ));
    assert_eq!(e.retry_blocked(c, 1_020), None, "still waiting");
    assert_eq!(e.retry_blocked(c, 1_050), Some(Frame::Integer(0)));
    let Outcome::Blocked { deadline: None } = e.execute_blocking(c, cmd(&["WAITAOF", "0", "1", "0"]), 2_000)
    else {
        panic!("WAITAOF with timeout 0 waits forever")
    };
    let other = e.connect(2_000);
    assert_eq!(e.execute(other, cmd(&["CLIENT", "UNBLOCK", &c.to_string()]), 2_001), Frame::Integer(1));
    assert_eq!(e.retry_blocked(c, 2_001), Some(Frame::Array(vec![Frame::Integer(0), Frame::Integer(0)])));
}

/// MEMORY DOCTOR's words (on a server using under 5 MB, as the oracle and the engine here) and
/// MEMORY STATS's fields, in order, with a database map for each database that has keys.
#[test]
fn memory_doctor_and_stats_speak_like_redis() {
    for resp3 in [false, true] {
        let mut s = Session::new();
        if resp3 {
            s.run(&["HELLO", "3"]);
        }
        s.run(&["FLUSHALL"]);
        let (theirs, _) = s.both(&["MEMORY", "STATS"]);
        let small = match &theirs {
            Frame::Map(fields) => fields.iter().any(|(k, v)| {
                k.as_bytes() == Some(b"total.allocated".as_slice())
                    && matches!(v, Frame::Integer(n) if *n < 5 << 20)
            }),
            Frame::Array(items) => items.windows(2).any(|w| {
                w[0].as_bytes() == Some(b"total.allocated".as_slice())
                    && matches!(w[1], Frame::Integer(n) if n < 5 << 20)
            }),
            _ => false,
        };
        if small {
            s.same(&["MEMORY", "DOCTOR"]);
        }
        s.script(&[&["SET", "a", "1"], &["SELECT", "3"], &["SET", "b", "2"], &["SELECT", "0"]]);
        let names = |f: &Frame| -> Vec<Vec<u8>> {
            match f {
                Frame::Map(fields) => {
                    fields.iter().filter_map(|(k, _)| k.as_bytes().map(<[u8]>::to_vec)).collect()
                }
                Frame::Array(items) => {
                    items.iter().step_by(2).filter_map(|k| k.as_bytes().map(<[u8]>::to_vec)).collect()
                }
                _ => Vec::new(),
            }
        };
        let (theirs, ours) = s.both(&["MEMORY", "STATS"]);
        assert_eq!(names(&ours), names(&theirs));
        assert_eq!(names(&ours).len(), 33, "31 fields and db.0, db.3");
        s.same(&["MEMORY", "DOCTOR", "x"]);
        s.same(&["MEMORY", "STATS", "x"]);
        s.run(&["FLUSHALL"]);
    }
}
