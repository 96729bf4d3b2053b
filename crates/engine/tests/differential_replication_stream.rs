//! The replication stream against Redis 7.4: a connection that sends SYNC gets the RDB, then
//! every change as the command Redis propagates for it. Both sides run the same commands while
//! a replica listens; the streams must match line for line (deadlines, which each side takes
//! from its own clock, are masked).

mod common;

use bytes::Bytes;
use common::{args, now_ms, Session};
use playground_engine::resp::{parse_frame, Limits};
use playground_engine::{Frame, Protocol};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A replica of the oracle: the socket after SYNC, past the RDB.
struct OracleReplica {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl OracleReplica {
    fn attach(port: u16) -> OracleReplica {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the oracle");
        stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        stream.write_all(b"SYNC\r\n").expect("send SYNC");
        let mut replica = OracleReplica { stream, buf: Vec::new() };
        // Newlines are keep-alives while the RDB is made; then `$<len>\r\n` and len bytes.
        let header = loop {
            let line = replica.line();
            if !line.is_empty() {
                break line;
            }
        };
        let len: usize = header.strip_prefix('$').and_then(|n| n.parse().ok()).expect("RDB length");
        while replica.buf.len() < len {
            replica.fill();
        }
        assert!(replica.buf.starts_with(b"REDIS00"), "the oracle sent an RDB file");
        replica.buf.drain(..len);
        replica
    }

    fn fill(&mut self) {
        let mut chunk = [0u8; 65536];
        let n = self.stream.read(&mut chunk).expect("read the replication stream");
        assert!(n > 0, "the oracle closed the replication link");
        self.buf.extend_from_slice(&chunk[..n]);
    }

    fn line(&mut self) -> String {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..i]).into_owned();
                self.buf.drain(..i + 2);
                return line;
            }
            self.fill();
        }
    }

    /// The next command of the stream.
    fn command(&mut self) -> Frame {
        loop {
            if let Some((frame, used)) = parse_frame(&self.buf, &Limits::default()).expect("stream parses") {
                self.buf.drain(..used);
                return frame;
            }
            self.fill();
        }
    }
}

/// A command line as one readable string, deadlines (13+ digit numbers) masked, and the
/// milliseconds of stream IDs made from each side's clock.
fn show(frame: &Frame) -> String {
    let Frame::Array(words) = frame else { return format!("{frame:?}") };
    let words = words.iter().map(|w| String::from_utf8_lossy(w.as_bytes().unwrap_or_default()).into_owned());
    let is_ms = |w: &str| w.len() >= 13 && w.bytes().all(|b| b.is_ascii_digit());
    let words: Vec<String> = words
        .map(|w| match w.split_once('-') {
            Some((ms, seq)) if is_ms(ms) => format!("<ms>-{seq}"),
            _ if is_ms(&w) => "<ms>".into(),
            _ => w,
        })
        .collect();
    words.join(" ")
}

/// Run `lines` on both sides while a replica listens on each; the streams up to a final
/// `SET replication-end 1` must be the same. Returns the stream.
fn same_stream(lines: &[&[&str]]) -> Vec<String> {
    same_stream_bytes(&lines.iter().map(|line| args(line)).collect::<Vec<_>>())
}

/// [`same_stream`] with binary arguments (a DUMP payload).
fn same_stream_bytes(lines: &[Vec<Bytes>]) -> Vec<String> {
    let mut s = Session::new();
    let port = common::oracle_port();
    // What Redis's own test suite sets: a disk-based SYNC (`$<len>` then the RDB) and no PINGs.
    s.run(&["CONFIG", "SET", "repl-diskless-sync", "no", "repl-ping-replica-period", "3600"]);
    let mut theirs_link = OracleReplica::attach(port);
    let replica = s.engine.connect(now_ms());
    let rdb = s.engine.execute(replica, args(&["SYNC"]), now_ms());
    let Frame::Transfer(rdb) = rdb else { panic!("SYNC answers the RDB: {rdb:?}") };
    assert!(rdb.starts_with(b"REDIS0012"));
    for line in lines {
        s.both_frames(line);
    }
    s.run(&["SET", "replication-end", "1"]);
    let mut theirs = Vec::new();
    loop {
        let line = show(&theirs_link.command());
        let end = line == "SET replication-end 1";
        theirs.push(line);
        if end {
            break;
        }
    }
    let ours: Vec<String> = s.engine.take_pushes(replica).iter().map(show).collect();
    // The replica's frames are RESP2 arrays of bulks, as Redis writes the stream.
    assert_eq!(s.engine.protocol(replica), Protocol::Resp2);
    drop(theirs_link);
    assert_eq!(ours, theirs, "\nreplication stream (left: emulator, right: Redis)");
    ours
}

#[test]
fn commands_propagate_as_their_effect() {
    same_stream(&[
        &["SET", "a", "1", "EX", "100"],
        &["SET", "a", "1", "PXAT", "99999999999999"],
        &["SETEX", "b", "100", "x"],
        &["PSETEX", "b", "100000", "x"],
        &["EXPIRE", "b", "200", "GT"],
        &["PEXPIRE", "b", "300000"],
        &["EXPIREAT", "b", "1"],
        &["SET", "c", "v"],
        &["GETEX", "c", "EX", "100"],
        &["GETEX", "c", "PERSIST"],
        &["GETEX", "c"],
        &["GETDEL", "c"],
        &["GETDEL", "c"],
        &["GETSET", "d", "1"],
        &["INCRBYFLOAT", "d", "0.1"],
        &["HINCRBYFLOAT", "h", "f", "1.5"],
        &["SADD", "s", "only"],
        &["SPOP", "s"],
        &["SADD", "s", "x", "y"],
        &["SPOP", "s", "5"],
        &["RPUSH", "l", "a", "b", "c"],
        &["LMPOP", "1", "l", "LEFT", "COUNT", "2"],
        &["BLPOP", "l", "0"],
        &["RPUSH", "l", "z"],
        &["BLMOVE", "l", "l2", "LEFT", "RIGHT", "0"],
        &["BRPOPLPUSH", "l2", "l", "0"],
        &["ZADD", "z", "1", "a", "2", "b", "3", "c"],
        &["ZMPOP", "1", "z", "MIN", "COUNT", "10"],
        &["ZADD", "z", "1", "a"],
        &["BZPOPMAX", "z", "0"],
        &["DEL", "missing"],
        &["PUBLISH", "channel", "hello"],
    ]);
}

#[test]
fn streams_propagate_the_ids_they_made_and_group_reads_as_claims() {
    let stream = same_stream(&[
        // IDs made by the server, and approximate trims, reach replicas as what they became.
        &["XADD", "s", "1-1", "f", "v"],
        &["XADD", "s", "1-*", "f", "v"],
        &["XADD", "s", "*", "f", "v"],
        &["XADD", "s", "MAXLEN", "~", "1", "2-*", "f", "v"],
        &["XADD", "s", "MINID", "~", "0", "LIMIT", "10", "3-1", "f", "v"],
        &["XADD", "s", "MAXLEN", "=", "10", "4-1", "f", "v"],
        &["XTRIM", "s", "MINID", "0"],
        &["XTRIM", "s", "MAXLEN", "~", "0"],
        &["CONFIG", "SET", "stream-node-max-entries", "2"],
        &["XADD", "t", "1-1", "a", "1"],
        &["XADD", "t", "1-2", "a", "2"],
        &["XADD", "t", "1-3", "a", "3"],
        &["XTRIM", "t", "MAXLEN", "~", "1"],
        &["XTRIM", "t", "MINID", "~", "9"],
        &["CONFIG", "SET", "stream-node-max-entries", "100"],
        // Group reads and claims: XCLAIMs with delivery data, the group's ID as XGROUP SETID.
        &["XADD", "g", "1-1", "f", "1"],
        &["XADD", "g", "2-1", "f", "2"],
        &["XADD", "g", "3-1", "f", "3"],
        &["XGROUP", "CREATE", "g", "grp", "0"],
        &["XREADGROUP", "GROUP", "grp", "c1", "COUNT", "2", "STREAMS", "g", ">"],
        &["XREADGROUP", "GROUP", "grp", "c1", "STREAMS", "g", ">"],
        &["XREADGROUP", "GROUP", "grp", "c1", "STREAMS", "g", ">"],
        &["XREADGROUP", "GROUP", "grp", "c1", "STREAMS", "g", "0"],
        &["XREADGROUP", "GROUP", "grp", "c2", "NOACK", "STREAMS", "g", ">"],
        &["XADD", "g", "4-1", "f", "4"],
        &["XREADGROUP", "GROUP", "grp", "c3", "NOACK", "STREAMS", "g", ">"],
        &["XCLAIM", "g", "grp", "c2", "0", "1-1"],
        &["XCLAIM", "g", "grp", "c2", "0", "2", "JUSTID", "RETRYCOUNT", "7"],
        &["XDEL", "g", "3-1"],
        &["XCLAIM", "g", "grp", "c1", "0", "3-1"],
        &["XCLAIM", "g", "grp", "c1", "0", "9-1", "LASTID", "50-0"],
        &["XCLAIM", "g", "grp", "c1", "0", "9-1"],
        &["XAUTOCLAIM", "g", "grp", "c4", "0", "0-0", "COUNT", "10"],
        &["XACK", "g", "grp", "1-1"],
        &["MULTI"],
        &["XREADGROUP", "GROUP", "grp", "c5", "STREAMS", "g", "0"],
        &["XGROUP", "SETID", "g", "grp", "0"],
        &["XREADGROUP", "GROUP", "grp", "c5", "STREAMS", "g", ">"],
        &["EXEC"],
    ]);
    for rewritten in ["XADD s 1-2 f v", "XADD s <ms>-0 f v", "XGROUP SETID g grp 2-1 ENTRIESREAD 2"] {
        assert!(stream.iter().any(|l| l == rewritten), "{rewritten} in {stream:#?}");
    }
    assert!(stream
        .iter()
        .any(|l| l.starts_with("XCLAIM g grp c1 0 1-1 TIME <ms> RETRYCOUNT 1 FORCE JUSTID")));
    assert!(!stream.iter().any(|l| l.starts_with("XREADGROUP") || l.starts_with("XAUTOCLAIM")));
}

#[test]
fn hash_field_deadlines_propagate_as_absolute_ones_and_expired_fields_as_hdel() {
    let stream = same_stream(&[
        &["HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"],
        &["HEXPIRE", "h", "100", "FIELDS", "2", "a", "nosuch"],
        &["HPEXPIRE", "h", "100000", "NX", "FIELDS", "2", "a", "b"],
        &["HEXPIREAT", "h", "4000000000", "FIELDS", "1", "c"],
        &["HPEXPIREAT", "h", "0004000000000000", "GT", "FIELDS", "1", "c"],
        &["HPEXPIRE", "h", "0", "FIELDS", "2", "d", "a"],
        &["HEXPIRE", "h", "100", "XX", "FIELDS", "1", "nosuch"],
        &["HPERSIST", "h", "FIELDS", "1", "b"],
        &["HEXPIREAT", "h", "1", "FIELDS", "3", "b", "c", "x"],
        &["EXISTS", "h"],
        &["HSET", "k", "f", "v", "g", "w"],
        &["HPEXPIRE", "k", "1", "FIELDS", "2", "f", "g"],
        &["DEBUG", "SLEEP", "0.01"],
        &["HGET", "k", "f"],
        &["HGETALL", "k"],
    ]);
    assert!(stream.iter().any(|l| l.starts_with("HPEXPIREAT h <ms> FIELDS 1 a")), "{stream:#?}");
    assert!(stream.iter().any(|l| l == "HDEL h d"), "{stream:#?}");
}

#[test]
fn transactions_and_databases_propagate_as_units() {
    same_stream(&[
        &["MULTI"],
        &["SET", "a", "1"],
        &["EXEC"],
        &["MULTI"],
        &["SET", "a", "2"],
        &["GET", "a"],
        &["SELECT", "3"],
        &["INCR", "a"],
        &["EXEC"],
        &["SELECT", "0"],
        &["MULTI"],
        &["GET", "a"],
        &["EXEC"],
        &["MULTI"],
        &["DEL", "nothing"],
        &["EXEC"],
        &["SELECT", "5"],
        &["SET", "x", "1"],
        &["SELECT", "0"],
        &["SET", "y", "1"],
        &["FLUSHDB"],
    ]);
}

#[test]
fn restore_sends_its_deadline() {
    let mut s = Session::new();
    s.run(&["SET", "src", "payload"]);
    let (dump, _) = s.both(&["DUMP", "src"]);
    let payload = Bytes::copy_from_slice(dump.as_bytes().expect("a DUMP payload"));
    drop(s);
    let past = (now_ms() - 5000).to_string();
    let line = |words: &[&str]| -> Vec<Bytes> {
        words
            .iter()
            .map(|w| if *w == "$payload" { payload.clone() } else { Bytes::from(w.to_string()) })
            .collect()
    };
    same_stream_bytes(&[
        line(&["RESTORE", "r1", "100000", "$payload"]),
        line(&["RESTORE", "r2", "0", "$payload"]),
        line(&["SET", "r3", "old"]),
        line(&["RESTORE", "r3", &past, "$payload", "REPLACE", "ABSTTL"]),
        line(&["SET", "r4", "old"]),
        line(&["CONFIG", "SET", "lazyfree-lazy-server-del", "yes"]),
        line(&["RESTORE", "r4", &past, "$payload", "REPLACE", "ABSTTL"]),
        line(&["CONFIG", "SET", "lazyfree-lazy-server-del", "no"]),
    ]);
}

#[test]
fn min_replicas_to_write_refuses_writes_until_replicas_acknowledge() {
    let mut s = Session::new();
    s.same(&["CONFIG", "SET", "min-replicas-to-write", "1"]);
    s.same(&["SET", "x", "1"]);
    s.same(&["GET", "x"]);
    s.same(&["MULTI"]);
    s.same(&["SET", "x", "1"]);
    s.same(&["EXEC"]);
    s.same(&["CONFIG", "SET", "min-replicas-to-write", "0"]);
    s.same(&["SET", "x", "1"]);
}
