//! Streams against Redis 7.4, byte for byte: ids and their errors, ranges, deletion, exact and
//! approximate trimming (listpack node boundaries), XSETID, consumer groups (reads, PEL, ACK,
//! claims), XINFO, the key-level commands, and blocking XREAD/XREADGROUP with two clients.
//! Replies that carry times (idle, delivery and seen times) are compared within a tolerance.

mod common;
use common::{args, decode, now_ms, oracle_port, Session};
use playground_engine::resp::{encode_command, parse_frame, Limits};
use playground_engine::{Frame, Outcome};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Run `f` in RESP2 and again in a fresh RESP3 session.
fn both_protocols(f: fn(&mut Session)) {
    for resp3 in [false, true] {
        let mut s = Session::new();
        s.run(&["CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096"]);
        if resp3 {
            s.run(&["HELLO", "3"]);
        }
        f(&mut s);
    }
}

/// Frames equal, integers within `tol` (times on the two real clocks).
fn near(a: &Frame, b: &Frame, tol: i64) -> bool {
    match (a, b) {
        (Frame::Integer(x), Frame::Integer(y)) => (x - y).abs() <= tol,
        (Frame::Array(x), Frame::Array(y)) | (Frame::Set(x), Frame::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| near(a, b, tol))
        }
        (Frame::Map(x), Frame::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k1, v1), (k2, v2))| k1 == k2 && near(v1, v2, tol))
        }
        _ => a == b,
    }
}

#[track_caller]
fn same_near(s: &mut Session, cmd: &[&str]) {
    let (theirs, ours) = s.both(cmd);
    assert!(near(&theirs, &ours, 250), "{cmd:?}\nredis:    {theirs:?}\nemulator: {ours:?}");
}

fn ids_and_errors(s: &mut Session) {
    s.script(&[
        &["XADD", "s", "1-1", "a", "1", "b", "2"],
        &["XADD", "s", "1-*", "a", "3", "b", "4"],
        &["XADD", "s", "1", "c", "5"],
        &["XADD", "s", "1-2", "c", "5"],
        &["XADD", "s", "0-5", "x", "y"],
        &["XADD", "s", "0-0", "x", "y"],
        &["XADD", "fresh", "0-0", "x", "y"],
        &["XADD", "fresh", "0-*", "x", "y"],
        &["XADD", "s", "2-18446744073709551615", "a", "b"],
        &["XADD", "s", "2-*", "a", "b"],
        &["XADD", "s", "18446744073709551615-18446744073709551615", "a", "b"],
        &["XADD", "s", "*", "a", "b"],
        &["XADD", "s", "18446744073709551615-*", "a", "b"],
        &["XADD", "s", "1-x", "a", "b"],
        &["XADD", "s", "-", "a", "b"],
        &["XADD", "s", "+", "a", "b"],
        &["XADD", "s", "-1", "a", "b"],
        &["XADD", "s", "1--1", "a", "b"],
        &["XADD", "s", "", "a", "b"],
        &["XADD", "s", "*", "a"],
        &["XADD", "s", "*", "a", "b", "c"],
        &["XADD", "s", "MAXLEN", "10"],
        &["XADD", "s", "NOMKSTREAM"],
        &["XADD", "none", "NOMKSTREAM", "*", "a", "b"],
        &["EXISTS", "none"],
        &["XADD", "s", "MAXLEN", "-1", "*", "a", "b"],
        &["XADD", "s", "MAXLEN", "x", "*", "a", "b"],
        &["XADD", "s", "MAXLEN", "1", "MINID", "2", "*", "a", "b"],
        &["XADD", "s", "MINID", "-", "*", "a", "b"],
        &["XADD", "s", "LIMIT", "10", "*", "a", "b"],
        &["XADD", "s", "LIMIT", "0", "*", "a", "b"],
        &["XADD", "s", "MAXLEN", "5", "LIMIT", "10", "*", "a", "b"],
        &["XADD", "s", "MAXLEN", "~", "5", "LIMIT", "-1", "*", "a", "b"],
        &["XADD", "s", "MAXLEN", "~", "5", "LIMIT", "x", "*", "a", "b"],
        &["SET", "str", "x"],
        &["XADD", "str", "*", "a", "b"],
        &["XLEN", "str"],
        &["XLEN", "s"],
        &["XLEN", "nokey"],
        &["XRANGE", "s", "-", "+"],
        &["TYPE", "s"],
        &["OBJECT", "ENCODING", "s"],
    ]);
}

#[test]
fn ids_and_their_errors() {
    both_protocols(ids_and_errors);
}

fn ranges(s: &mut Session) {
    for i in 1..=12 {
        let (id, v) = (format!("{i}-{}", i % 3), format!("v{i}"));
        s.same(&["XADD", "r", &id, "f", &v, "g", "same"]);
    }
    s.script(&[
        &["XRANGE", "r", "-", "+"],
        &["XRANGE", "r", "3", "5"],
        &["XRANGE", "r", "(3-0", "(5-2"],
        &["XRANGE", "r", "(3", "5"],
        &["XREVRANGE", "r", "+", "-", "COUNT", "3"],
        &["XREVRANGE", "r", "(9-0", "(2-2"],
        &["XRANGE", "r", "-", "+", "COUNT", "0"],
        &["XRANGE", "r", "-", "+", "COUNT", "-5"],
        &["XRANGE", "r", "-", "+", "COUNT", "2", "COUNT", "4"],
        &["XRANGE", "r", "-", "+", "COUNT"],
        &["XRANGE", "r", "-", "+", "FOO", "1"],
        &["XRANGE", "r", "9", "2"],
        &["XRANGE", "r", "(-", "+"],
        &["XRANGE", "r", "(18446744073709551615-18446744073709551615", "+"],
        &["XRANGE", "r", "-", "(0-0"],
        &["XRANGE", "r", "-", "(0"],
        &["XRANGE", "r", "x", "+"],
        &["XRANGE", "r", "-", "1-2-3"],
        &["XRANGE", "r", "+0", "+"],
        &["XRANGE", "r", " 5", "+"],
        &["XRANGE", "r", "007", "8"],
        &["XRANGE", "none", "-", "+"],
        &["XREVRANGE", "none", "+", "-"],
        &["XDEL", "r", "1-1", "3-0", "99-0"],
        &["XDEL", "r", "1-1"],
        &["XDEL", "r", "bad"],
        &["XDEL", "r", "5-2", "bad"],
        &["XDEL", "none", "bad"],
        &["XDEL", "r", "-"],
        &["XLEN", "r"],
        &["XRANGE", "r", "-", "+", "COUNT", "3"],
        &["XINFO", "STREAM", "r"],
        &["XDEL", "r", "2-2", "4-1", "5-2", "6-0", "7-1", "8-2", "9-0", "10-1", "11-2", "12-0"],
        &["XLEN", "r"],
        &["EXISTS", "r"],
        &["XINFO", "STREAM", "r"],
        &["XADD", "r", "12-0", "a", "b"],
        &["XADD", "r", "12-1", "a", "b"],
        &["XINFO", "STREAM", "r"],
    ]);
}

#[test]
fn ranges_and_deletes() {
    both_protocols(ranges);
}

fn trims(s: &mut Session) {
    s.same(&["CONFIG", "SET", "stream-node-max-entries", "10"]);
    for i in 1..=95 {
        s.same(&["XADD", "t", &format!("{i}-1"), "f", &format!("v{i}")]);
    }
    s.script(&[
        &["XINFO", "STREAM", "t"],
        &["XADD", "t", "MAXLEN", "~", "50", "96-1", "f", "v"],
        &["XLEN", "t"],
        &["XTRIM", "t", "MINID", "~", "60"],
        &["XLEN", "t"],
        &["XTRIM", "t", "MINID", "~", "65", "LIMIT", "5"],
        &["XTRIM", "t", "MINID", "~", "65", "LIMIT", "20"],
        &["XTRIM", "t", "MAXLEN", "23"],
        &["XINFO", "STREAM", "t"],
        &["XDEL", "t", "80-1", "81-1", "82-1"],
        &["XTRIM", "t", "MAXLEN", "~", "5"],
        &["XINFO", "STREAM", "t"],
        &["XTRIM", "t", "MINID", "90"],
        &["XTRIM", "t", "MINID", "=", "91-1"],
        &["XRANGE", "t", "-", "+"],
        &["XTRIM", "t", "MAXLEN", "0"],
        &["XINFO", "STREAM", "t"],
        &["XTRIM", "t"],
        &["XTRIM", "t", "LIMIT", "1"],
        &["XTRIM", "t", "MAXLEN", "1", "LIMIT", "1"],
        &["XTRIM", "t", "MAXLEN", "1", "NOMKSTREAM"],
        &["XTRIM", "t", "MAXLEN", "1", "MINID", "1"],
        &["XTRIM", "none", "MAXLEN", "1"],
        &["XTRIM", "str", "MAXLEN", "1"],
        &["CONFIG", "SET", "stream-node-max-entries", "100"],
        &["CONFIG", "SET", "stream-node-max-bytes", "100"],
    ]);
    for i in 1..30 {
        let v = format!("value-{}", "x".repeat(i % 7));
        s.same(&["XADD", "u", &format!("{i}-1"), &format!("field{}", i % 3), &v]);
    }
    s.script(&[
        &["XINFO", "STREAM", "u"],
        &["MEMORY", "USAGE", "u"],
        &["XTRIM", "u", "MAXLEN", "~", "10"],
        &["XINFO", "STREAM", "u"],
        &["MEMORY", "USAGE", "u"],
        &["CONFIG", "SET", "stream-node-max-bytes", "0", "stream-node-max-entries", "0"],
        &["XADD", "u", "MAXLEN", "~", "1", "100-1", "a", "b"],
        &["XLEN", "u"],
        &["CONFIG", "SET", "stream-node-max-bytes", "4096", "stream-node-max-entries", "100"],
    ]);
    // Redis lists a glob's matches in its config dict's order, which its random hash seed
    // changes from one server start to the next: only the pairs are comparable.
    s.same_pairs(&["CONFIG", "GET", "stream-node-*"]);
    for i in 1..300 {
        s.same(&["XADD", "w", &format!("{}-{i}", i * 1000), "a", &i.to_string(), "b", &(i * i).to_string()]);
    }
    s.script(&[
        &["XINFO", "STREAM", "w"],
        &["MEMORY", "USAGE", "w"],
        &["XADD", "w", "MAXLEN", "~", "150", "300000-1", "a", "b"],
        &["XLEN", "w"],
        &["XADD", "w", "MINID", "~", "250000", "LIMIT", "30", "300001-0", "a", "b"],
        &["XLEN", "w"],
    ]);
}

#[test]
fn trimming_exact_and_by_whole_nodes() {
    both_protocols(trims);
}

fn setid(s: &mut Session) {
    s.script(&[
        &["XADD", "x", "5-1", "a", "b"],
        &["XADD", "x", "6-1", "a", "b"],
        &["XSETID", "x", "1-0"],
        &["XSETID", "x", "6-0"],
        &["XSETID", "x", "99-0", "ENTRIESADDED", "1"],
        &["XSETID", "x", "99-0", "ENTRIESADDED", "-1"],
        &["XSETID", "x", "99-0", "ENTRIESADDED", "x"],
        &["XSETID", "x", "99-0", "MAXDELETEDID", "100-0"],
        &["XSETID", "x", "99-0", "MAXDELETEDID", "bad"],
        &["XSETID", "x", "99-0", "ENTRIESADDED", "10", "MAXDELETEDID", "5-0"],
        &["XSETID", "x", "99-0", "FOO"],
        &["XSETID", "x", "+"],
        &["XSETID", "x", "bad"],
        &["XINFO", "STREAM", "x"],
        &["XSETID", "x", "4-0"],
        &["XSETID", "nokey", "1-1"],
        &["XSETID", "str", "1-1"],
        &["XADD", "x", "100-0", "a", "b"],
        &["XADD", "x", "99-0", "a", "b"],
        &["XDEL", "x", "5-1", "6-1"],
        &["XSETID", "x", "18446744073709551615-18446744073709551615"],
        &["XADD", "x", "*", "a", "b"],
        &["XADD", "x", "1-*", "a", "b"],
        &["XINFO", "STREAM", "x"],
    ]);
}

#[test]
fn xsetid_and_exhausted_ids() {
    both_protocols(setid);
}

fn groups(s: &mut Session) {
    for i in 1..=4 {
        s.same(&["XADD", "s", &format!("{i}-1"), "k", &i.to_string()]);
    }
    s.script(&[
        &["XGROUP", "CREATE", "s", "g", "0"],
        &["XGROUP", "CREATE", "s", "g", "0"],
        &["XGROUP", "CREATE", "nokey", "g", "0"],
        &["XGROUP", "CREATE", "mk", "g2", "$", "MKSTREAM"],
        &["XINFO", "STREAM", "mk"],
        &["XREAD", "STREAMS", "mk", "+"],
        &["XGROUP", "CREATE", "s", "g3", "$", "ENTRIESREAD", "2"],
        &["XGROUP", "CREATE", "s", "g4", "0", "ENTRIESREAD", "-2"],
        &["XGROUP", "CREATE", "s", "g4", "0", "ENTRIESREAD", "x"],
        &["XGROUP", "CREATE", "s", "g4", "0", "FOO"],
        &["XGROUP", "CREATE", "s", "g4", "bad"],
        &["XGROUP", "CREATE", "s", "g4", "-"],
        &["XGROUP", "CREATE", "str", "g", "0"],
        &["XGROUP", "CREATE", "s"],
        &["XGROUP", "SETID", "s", "nog", "0"],
        &["XGROUP", "SETID", "s", "g3", "+"],
        &["XGROUP", "SETID", "s", "g3", "0", "MKSTREAM"],
        &["XGROUP", "SETID", "s", "g3", "0", "ENTRIESREAD", "1", "x"],
        &["XGROUP", "CREATECONSUMER", "s", "g", "alice"],
        &["XGROUP", "CREATECONSUMER", "s", "g", "alice"],
        &["XGROUP", "CREATECONSUMER", "s", "nog", "alice"],
        &["XGROUP", "CREATECONSUMER", "nokey", "g", "alice"],
        &["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"],
        &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"],
        &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        &["XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "1-1"],
        &["XREADGROUP", "GROUP", "nog", "alice", "STREAMS", "s", ">"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "nokey", ">"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "$"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "+"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s"],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "bad"],
        &["XREADGROUP", "COUNT", "1", "STREAMS", "s", ">"],
        &["XREADGROUP", "GROUP", "g", "alice", "FOO", "STREAMS", "s", ">"],
        &["XREAD", "GROUP", "g", "a", "STREAMS", "s", "0"],
        &["XREAD", "NOACK", "STREAMS", "s", "0"],
        &["XREAD", "STREAMS", "s", ">"],
        &["XREAD", "STREAMS", "s", "0", "1"],
        &["XREAD", "COUNT", "1", "STREAMS", "s", "nokey", "0", "0"],
        &["XREAD", "COUNT", "-1", "STREAMS", "s", "2-1"],
        &["XREAD", "COUNT", "x", "STREAMS", "s", "2-1"],
        &["XREAD", "BLOCK", "x", "STREAMS", "s", "2-1"],
        &["XREAD", "BLOCK", "-1", "STREAMS", "s", "2-1"],
        &["XREAD", "STREAMS", "s", "+"],
        &["XREAD", "STREAMS", "s", "$"],
        &["XREAD", "STREAMS", "str", "$"],
        &["XREAD", "COUNT", "1"],
        &["XPENDING", "s", "g"],
        &["XPENDING", "s", "g3"],
        &["XPENDING", "s", "g", "-", "+"],
        &["XPENDING", "s", "g", "x", "+", "10"],
        &["XPENDING", "s", "g", "-", "+", "x"],
        &["XPENDING", "s", "g", "(1-1", "+", "10", "nobody"],
        &["XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"],
        &["XPENDING", "s", "g", "IDLE", "1", "-", "+"],
        &["XPENDING", "s", "g", "IDLE", "100000", "-", "+", "10"],
        &["XPENDING", "s", "g", "-", "+", "0"],
        &["XPENDING", "s", "nog"],
        &["XPENDING", "nokey", "g"],
        &["XPENDING", "str", "g"],
        &["XACK", "s", "g", "1-1", "9-9"],
        &["XACK", "s", "g", "bad"],
        &["XACK", "s", "nog", "bad"],
        &["XACK", "nokey", "g", "1-1"],
        &["XACK", "s", "g", "1-1"],
        &["XPENDING", "s", "g"],
        &["XINFO", "GROUPS", "s"],
        &["XINFO", "GROUPS", "nokey"],
        &["XINFO", "CONSUMERS", "s", "nog"],
        &["XREADGROUP", "GROUP", "g3", "z", "NOACK", "STREAMS", "s", ">"],
        &["XGROUP", "DELCONSUMER", "s", "g", "bob"],
        &["XGROUP", "DELCONSUMER", "s", "g", "bob"],
        &["XPENDING", "s", "g"],
        &["XGROUP", "DESTROY", "s", "g3"],
        &["XGROUP", "DESTROY", "s", "g3"],
        &["XGROUP", "DESTROY", "s", "g", "extra"],
        &["XGROUP", "HELP"],
        &["XINFO", "HELP"],
        &["XGROUP", "FOO"],
        &["XINFO", "FOO", "s"],
        &["XINFO", "STREAM", "s", "FOO"],
        &["XINFO", "STREAM", "s", "FULL", "COUNT"],
        &["XINFO", "STREAM", "s", "FULL", "LIMIT", "1"],
        &["XINFO", "STREAM", "s", "FULL", "COUNT", "x"],
        &["XINFO", "STREAM", "nokey"],
        &["XINFO", "STREAM", "str"],
    ]);
    for cmd in [
        &["XPENDING", "s", "g", "-", "+", "10"][..],
        &["XPENDING", "s", "g", "-", "+", "10", "alice"],
        &["XINFO", "CONSUMERS", "s", "g"],
        &["XINFO", "STREAM", "s", "FULL"],
        &["XINFO", "STREAM", "s", "FULL", "COUNT", "1"],
        &["XINFO", "STREAM", "s", "FULL", "COUNT", "0"],
    ] {
        same_near(s, cmd);
    }
}

#[test]
fn consumer_groups_read_ack_pending() {
    both_protocols(groups);
}

/// Lag and entries-read through deletions, trims and SETID, as Redis estimates them.
fn lag(s: &mut Session) {
    s.script(&[
        &["XGROUP", "CREATE", "l", "g", "$", "MKSTREAM"],
        &["XINFO", "GROUPS", "l"],
        &["XADD", "l", "1-0", "a", "1"],
        &["XADD", "l", "2-0", "a", "2"],
        &["XADD", "l", "3-0", "a", "3"],
        &["XADD", "l", "4-0", "a", "4"],
        &["XADD", "l", "5-0", "a", "5"],
        &["XINFO", "GROUPS", "l"],
        &["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "l", ">"],
        &["XINFO", "GROUPS", "l"],
        &["XDEL", "l", "3-0"],
        &["XINFO", "GROUPS", "l"],
        &["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "l", ">"],
        &["XINFO", "GROUPS", "l"],
        &["XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "l", ">"],
        &["XINFO", "GROUPS", "l"],
        &["XGROUP", "SETID", "l", "g", "0"],
        &["XINFO", "GROUPS", "l"],
        &["XGROUP", "SETID", "l", "g", "0", "ENTRIESREAD", "0"],
        &["XINFO", "GROUPS", "l"],
        &["XGROUP", "SETID", "l", "g", "$"],
        &["XINFO", "GROUPS", "l"],
        &["XTRIM", "l", "MAXLEN", "1"],
        &["XGROUP", "CREATE", "l", "g2", "0"],
        &["XGROUP", "CREATE", "l", "g3", "4-0"],
        &["XGROUP", "CREATE", "l", "g4", "9-0"],
        &["XINFO", "GROUPS", "l"],
        &["XADD", "l", "6-0", "a", "6"],
        &["XINFO", "GROUPS", "l"],
        &["XREADGROUP", "GROUP", "g2", "c", "STREAMS", "l", ">"],
        &["XINFO", "GROUPS", "l"],
    ]);
}

#[test]
fn lag_and_entries_read() {
    both_protocols(lag);
}

fn claims(s: &mut Session) {
    for i in 1..=6 {
        s.same(&["XADD", "c", &format!("{i}-0"), "n", &i.to_string()]);
    }
    s.script(&[
        &["XGROUP", "CREATE", "c", "g", "0"],
        &["XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "c", ">"],
        &["XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "c", ">"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "3-0", "JUSTID"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "6-0"],
        &["XCLAIM", "c", "g", "carol", "0", "6-0", "FORCE"],
        &["XCLAIM", "c", "g", "carol", "0", "9-0", "FORCE"],
        &["XCLAIM", "c", "nog", "carol", "0", "2-0"],
        &["XCLAIM", "nokey", "g", "carol", "0", "2-0"],
        &["XCLAIM", "str", "g", "carol", "0", "2-0"],
        &["XCLAIM", "c", "g", "carol", "x", "2-0"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "foo"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "IDLE", "x"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "TIME", "x"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "RETRYCOUNT", "x"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "LASTID", "x"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "IDLE"],
        &["XCLAIM", "c", "g", "carol", "0", "2-0", "RETRYCOUNT", "7", "JUSTID"],
        &["XCLAIM", "c", "g", "dave", "100000", "2-0"],
        &["XCLAIM", "c", "g", "dave", "0", "2-0", "IDLE", "500000", "RETRYCOUNT", "2"],
        &["XCLAIM", "c", "g", "dave", "400000", "2-0", "JUSTID"],
        &["XCLAIM", "c", "g", "dave", "0", "4-0", "TIME", "1", "LASTID", "99-0", "JUSTID"],
        &["XCLAIM", "c", "g", "dave", "0", "5-0", "TIME", "99999999999999", "JUSTID"],
        &["XINFO", "GROUPS", "c"],
        &["XDEL", "c", "1-0"],
        &["XCLAIM", "c", "g", "dave", "0", "1-0"],
        &["XPENDING", "c", "g"],
        &["XAUTOCLAIM", "c", "g", "erin", "0", "0", "COUNT", "1"],
        &["XAUTOCLAIM", "c", "g", "erin", "0", "(2-0", "COUNT", "2", "JUSTID"],
        &["XAUTOCLAIM", "c", "g", "erin", "0", "0", "COUNT", "0"],
        &["XAUTOCLAIM", "c", "g", "erin", "0", "0", "COUNT", "x"],
        &["XAUTOCLAIM", "c", "g", "erin", "0", "0", "COUNT", "1152921504606846976"],
        &["XAUTOCLAIM", "c", "g", "erin", "0", "0", "FOO"],
        &["XAUTOCLAIM", "c", "g", "erin", "0", "bad"],
        &["XAUTOCLAIM", "c", "g", "erin", "x", "0"],
        &["XAUTOCLAIM", "c", "nog", "erin", "0", "0"],
        &["XAUTOCLAIM", "nokey", "g", "erin", "0", "0"],
        &["XAUTOCLAIM", "c", "g", "erin", "0", "(18446744073709551615-18446744073709551615"],
        &["XDEL", "c", "4-0", "5-0"],
        &["XAUTOCLAIM", "c", "g", "frank", "0", "-"],
        &["XAUTOCLAIM", "c", "g", "frank", "9999999", "-"],
        &["XPENDING", "c", "g"],
        &["XINFO", "GROUPS", "c"],
    ]);
    for cmd in [
        &["XPENDING", "c", "g", "-", "+", "10"][..],
        &["XINFO", "CONSUMERS", "c", "g"],
        &["XINFO", "STREAM", "c", "FULL"],
    ] {
        same_near(s, cmd);
    }
}

#[test]
fn xclaim_and_xautoclaim() {
    both_protocols(claims);
}

fn keys(s: &mut Session) {
    s.same(&["XADD", "k0", "1-1", "a", "b"]);
    s.same(&["SET", "k1", "x"]);
    s.same_unordered(&["SCAN", "0", "TYPE", "stream"]);
    s.script(&[
        &["XADD", "k", "1-1", "a", "b"],
        &["XGROUP", "CREATE", "k", "g", "0"],
        &["TYPE", "k"],
        &["OBJECT", "ENCODING", "k"],
        &["MEMORY", "USAGE", "k"],
        &["XREADGROUP", "GROUP", "g", "c", "STREAMS", "k", ">"],
        &["MEMORY", "USAGE", "k"],
        &["COPY", "k", "k2"],
        &["XINFO", "GROUPS", "k2"],
        &["RENAME", "k2", "k3"],
        &["XRANGE", "k3", "-", "+"],
        &["DEL", "k3"],
        &["XLEN", "k3"],
        &["XADD", "k", "2-1", "a", "b", "c", "d"],
        &["XDEL", "k", "1-1"],
        &["DEBUG", "DIGEST-VALUE", "k"],
        &["DEBUG", "RELOAD"],
        &["XINFO", "STREAM", "k"],
        &["XINFO", "GROUPS", "k"],
        &["DEBUG", "DIGEST-VALUE", "k"],
        &["LPUSH", "k", "x"],
        &["GET", "k"],
        &["XDEL", "k", "1-1"],
        &["EXISTS", "k"],
        &["XINFO", "STREAM", "k"],
    ]);
}

#[test]
fn key_commands_on_streams() {
    both_protocols(keys);
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

/// Waiters block on both sides, then writes from the session's client serve them: each gets
/// the reply its counterpart gets from Redis.
fn waiters(resp3: bool) {
    let mut s = Session::new();
    if resp3 {
        s.run(&["HELLO", "3"]);
    }
    s.script(&[
        &["XADD", "b1", "1-0", "old", "1"],
        &["XGROUP", "CREATE", "b1", "g", "$"],
        &["XGROUP", "CREATE", "b2", "g", "$", "MKSTREAM"],
    ]);
    let waits: [&[&str]; 5] = [
        &["XREAD", "BLOCK", "0", "STREAMS", "b1", "$"],
        &["XREAD", "COUNT", "5", "BLOCK", "0", "STREAMS", "b1", "b3", "$", "0"],
        &["XREADGROUP", "GROUP", "g", "w1", "BLOCK", "0", "STREAMS", "b1", ">"],
        &["XREADGROUP", "GROUP", "g", "w2", "COUNT", "1", "BLOCK", "0", "STREAMS", "b2", ">"],
        &["XREADGROUP", "GROUP", "g", "w3", "BLOCK", "0", "STREAMS", "b2", ">"],
    ];
    let mut theirs = Vec::new();
    let mut ours = Vec::new();
    for cmd in waits {
        theirs.push(Waiter::send(resp3, cmd));
        let id = s.engine.connect(now_ms());
        if resp3 {
            s.engine.execute(id, args(&["HELLO", "3"]), now_ms());
        }
        assert!(
            matches!(s.engine.execute_blocking(id, args(cmd), now_ms()), Outcome::Blocked { .. }),
            "{cmd:?}"
        );
        ours.push(id);
        std::thread::sleep(Duration::from_millis(100));
    }
    // A write that adds nothing new wakes nobody; then new entries serve them in order.
    s.same(&["XTRIM", "b1", "MAXLEN", "5"]);
    s.same(&["XADD", "b1", "2-0", "new", "2"]);
    s.same(&["XADD", "b2", "5-0", "x", "1", "y", "2"]);
    s.same(&["XADD", "b2", "6-0", "x", "3"]);
    for (i, id) in ours.iter().enumerate() {
        let mine = s.engine.retry_blocked(*id, now_ms()).unwrap_or_else(|| panic!("waiter {i} not served"));
        let reply = theirs[i].reply();
        let mut bytes = Vec::new();
        mine.encode(s.engine.protocol(*id), &mut bytes);
        assert_eq!(common::show(&bytes), common::show(&reply), "waiter {i} {:?}", waits[i]);
    }
    s.same(&["XPENDING", "b2", "g"]);
    s.same(&["XINFO", "GROUPS", "b1"]);
    // XGROUP DESTROY and DEL end an XREADGROUP wait with NOGROUP.
    for end in [&["XGROUP", "DESTROY", "b2", "g"][..], &["DEL", "b1"]] {
        let key = end[end.len() - 2].to_string();
        let key = if end[0] == "DEL" { end[1].to_string() } else { key };
        s.same(&["XGROUP", "CREATE", &key, "g", "$", "MKSTREAM"]);
        let cmd = ["XREADGROUP", "GROUP", "g", "w", "BLOCK", "0", "STREAMS", &key, ">"];
        let mut waiter = Waiter::send(resp3, &cmd);
        let id = s.engine.connect(now_ms());
        if resp3 {
            s.engine.execute(id, args(&["HELLO", "3"]), now_ms());
        }
        assert!(matches!(s.engine.execute_blocking(id, args(&cmd), now_ms()), Outcome::Blocked { .. }));
        std::thread::sleep(Duration::from_millis(100));
        s.same(end);
        let mine = s.engine.retry_blocked(id, now_ms()).expect("woken by the end of its group");
        let mut bytes = Vec::new();
        mine.encode(s.engine.protocol(id), &mut bytes);
        assert_eq!(common::show(&bytes), common::show(&waiter.reply()), "{end:?}");
    }
}

#[test]
fn blocked_readers_are_served_by_writes_resp2() {
    waiters(false);
}

#[test]
fn blocked_readers_are_served_by_writes_resp3() {
    waiters(true);
}

/// BLOCK n times out with the null array on the virtual clock; inside MULTI it does not wait.
#[test]
fn block_timeouts_and_multi() {
    for resp3 in [false, true] {
        let mut s = Session::new();
        if resp3 {
            s.run(&["HELLO", "3"]);
        }
        s.same(&["XADD", "t", "1-0", "a", "b"]);
        for cmd in [
            &["XREAD", "BLOCK", "50", "STREAMS", "t", "$"][..],
            &["XREAD", "BLOCK", "50", "STREAMS", "none", "0"],
        ] {
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
        s.script(&[
            &["MULTI"],
            &["XREAD", "BLOCK", "0", "STREAMS", "t", "$"],
            &["XREAD", "BLOCK", "0", "STREAMS", "t", "0"],
            &["EXEC"],
            &["XREAD", "BLOCK", "0", "STREAMS", "t", "0"],
        ]);
        assert_eq!(decode(&s.both_raw(&args(&["XLEN", "t"])).0), Frame::Integer(1));
    }
}

/// DUMP writes Redis's bytes (nodes with deleted entries, counters, groups); a payload dumped
/// by Redis restores to the same stream on both sides, groups and times included; the legacy
/// layouts load as Redis loads them.
fn dump_restore(s: &mut Session) {
    s.same(&["CONFIG", "SET", "stream-node-max-entries", "5"]);
    for i in 1..=22 {
        s.same(&["XADD", "d", &format!("{i}-{i}"), "a", &i.to_string(), "b", &"x".repeat(i)]);
    }
    s.script(&[
        &["XADD", "d", "30-0", "other", "1"],
        &["XDEL", "d", "3-3", "4-4", "9-9"],
        &["XTRIM", "d", "MINID", "7"],
        &["DUMP", "d"],
        &["XADD", "e", "MAXLEN", "0", "1-1", "a", "b"],
        &["DUMP", "e"],
        &["XGROUP", "CREATE", "d", "g", "0"],
        &["XGROUP", "CREATE", "d", "g2", "$", "ENTRIESREAD", "3"],
        &["XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "d", ">"],
        &["XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "d", ">"],
        &["XGROUP", "CREATECONSUMER", "d", "g", "carol"],
    ]);
    let (theirs, _) = s.both_raw(&args(&["DUMP", "d"]));
    let Frame::Bulk(payload) = decode(&theirs) else { panic!("DUMP is a bulk string") };
    let restore = |key: &str| {
        vec![
            bytes::Bytes::from_static(b"RESTORE"),
            bytes::Bytes::copy_from_slice(key.as_bytes()),
            bytes::Bytes::from_static(b"0"),
            payload.clone(),
        ]
    };
    s.same_bytes(&restore("r"));
    s.same(&["XINFO", "STREAM", "r", "FULL"]);
    s.same_bytes(&restore("r"));
    s.same(&["DUMP", "r"]);
    s.same(&["MEMORY", "USAGE", "r"]);
    s.same(&["XADD", "r", "31-0", "a", "1"]);
    s.same(&["XINFO", "STREAM", "r"]);
    s.same(&["CONFIG", "SET", "stream-node-max-entries", "100"]);
    // RDB_TYPE_STREAM_LISTPACKS (Redis 6.2) and _2 (Redis 7.0): the suite's payloads.
    for (key, hex) in [
        ("v1", "0f011000000000000000010000000000000000c3404a405716570000002300020104010101846461746105000103010020010381610204200a0001400a0062600a0002400a0063600a4022018164200a4039200a0065600a0005400a0066200a00ff02060002026731050004000000000000000100000000000000003ef783437a01000001000000000000000200000000000000003ef783437a01000001000000000000000400000000000000003ef783437a01000001000000000000000500000000000000003ef783437a0100000101036331313ef783437a01000004000000000000000100000000000000000000000000000002000000000000000000000000000000040000000000000000000000000000000500000000000000000267320000000009003d52ef6867521dfa"),
        ("v2", "130110000000000000000100000000000000011d1d0000000a0001010001010181660200010201000100018176020401ff01010101010000010101670101010100000000000000010000000000000001f55a71c784010000010105416c696365f55a71c78401000001000000000000000100000000000000010b00a7a914a527ff9b9b"),
    ] {
        let mut raw = Vec::new();
        for i in (0..hex.len()).step_by(2) {
            raw.push(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"));
        }
        let cmd = vec![
            bytes::Bytes::from_static(b"RESTORE"),
            bytes::Bytes::copy_from_slice(key.as_bytes()),
            bytes::Bytes::from_static(b"0"),
            bytes::Bytes::from(raw),
        ];
        s.same_bytes(&cmd);
        s.same(&["XINFO", "STREAM", key, "FULL"]);
    }
}

#[test]
fn dump_and_restore() {
    both_protocols(dump_restore);
}

/// A seeded random mix of writes and reads on small nodes (entry and byte limits), each reply
/// compared: node boundaries, tombstones, trims by node, lag and the PEL stay in step.
fn random_operations(seed: u64, entries: &str, bytes: &str) {
    let mut s = Session::new();
    let mut x: u64 = seed;
    let mut rand = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    s.same(&["CONFIG", "SET", "stream-node-max-entries", entries, "stream-node-max-bytes", bytes]);
    s.same(&["XGROUP", "CREATE", "r", "g", "0", "MKSTREAM"]);
    let mut ms = 1u64;
    for step in 0..600 {
        let id = |ms: u64, seq: u64| format!("{ms}-{seq}");
        let old = id(1 + rand(ms), rand(3));
        let cmd: Vec<String> = match rand(18) {
            14 => {
                ["XAUTOCLAIM", "r", "g", "c3", "0", &old, "COUNT", "2", "JUSTID"].map(String::from).to_vec()
            }
            15 => ["XCLAIM", "r", "g", "c1", "0", &old, "FORCE", "JUSTID"].map(String::from).to_vec(),
            16 => ["XGROUP", "DELCONSUMER", "r", "g", ["c1", "c2", "c3"][rand(3) as usize]]
                .map(String::from)
                .to_vec(),
            17 => ["XREADGROUP", "GROUP", "g", "c2", "NOACK", "COUNT", "2", "STREAMS", "r", ">"]
                .map(String::from)
                .to_vec(),
            0..=4 => {
                ms += rand(3);
                let field = ["a", "b", "c"][rand(3) as usize];
                let value = "v".repeat(rand(30) as usize);
                let mut c = vec!["XADD".into(), "r".into()];
                if rand(4) == 0 {
                    c.extend(["MAXLEN".into(), ["=", "~"][rand(2) as usize].into(), rand(12).to_string()]);
                }
                c.extend([format!("{ms}-*"), field.into(), value, "a".into(), step.to_string()]);
                c
            }
            5 => vec!["XDEL".into(), "r".into(), old.clone(), id(1 + rand(ms), rand(3))],
            6 => {
                let mut c = vec!["XTRIM".into(), "r".into()];
                if rand(2) == 0 {
                    c.extend(["MAXLEN".into(), ["=", "~"][rand(2) as usize].into(), rand(15).to_string()]);
                } else {
                    c.extend(["MINID".into(), "~".into(), old.clone(), "LIMIT".into(), rand(6).to_string()]);
                }
                c
            }
            7 => vec!["XINFO".into(), "STREAM".into(), "r".into()],
            8 => vec!["XINFO".into(), "GROUPS".into(), "r".into()],
            9 => {
                let consumer = ["c1", "c2"][rand(2) as usize];
                let last = if rand(3) == 0 { "0".to_string() } else { ">".to_string() };
                let count = (1 + rand(3)).to_string();
                ["XREADGROUP", "GROUP", "g", consumer, "COUNT", &count, "STREAMS", "r", &last]
                    .map(String::from)
                    .to_vec()
            }
            10 => vec!["XACK".into(), "r".into(), "g".into(), old.clone()],
            11 => vec!["XPENDING".into(), "r".into(), "g".into()],
            12 => vec!["XGROUP".into(), "SETID".into(), "r".into(), "g".into(), old.clone()],
            _ => vec!["XRANGE".into(), "r".into(), old.clone(), "+".into(), "COUNT".into(), "5".into()],
        };
        let cmd: Vec<&str> = cmd.iter().map(String::as_str).collect();
        s.same(&cmd);
    }
    s.same(&["MEMORY", "USAGE", "r"]);
    s.same(&["CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096"]);
}

#[test]
fn random_operations_stay_in_step() {
    random_operations(0x2545_f491_4f6c_dd1d, "4", "120");
    random_operations(0x9e37_79b9_7f4a_7c15, "7", "0");
    random_operations(0x1234_5678_9abc_def1, "0", "200");
}

/// A parked XREAD runs again only when its stream gets entries after its id: other commands
/// (and writes that add nothing it waits for) leave INFO's counters as Redis leaves them.
#[test]
fn a_waiting_reader_is_not_run_again_for_nothing() {
    use playground_engine::Engine;
    let stat = |e: &mut Engine, c: u64, name: &str| {
        let info = e.execute(c, args(&["INFO", "stats"]), 10);
        let text = String::from_utf8_lossy(info.as_bytes().expect("bulk")).into_owned();
        let line = text.lines().find(|l| l.starts_with(name)).expect("field").to_string();
        line[name.len() + 1..].parse::<u64>().expect("number")
    };
    let mut e = Engine::new(7, 0);
    let (a, b) = (e.connect(0), e.connect(0));
    e.execute(b, args(&["XADD", "s", "1-0", "f", "v"]), 1);
    e.execute(b, args(&["XGROUP", "CREATE", "s", "g", "$"]), 1);
    for cmd in [
        &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"][..],
        &["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"],
    ] {
        let id = e.connect(0);
        assert!(matches!(e.execute_blocking(id, args(cmd), 2), Outcome::Blocked { .. }));
    }
    let (hits, processed) = (stat(&mut e, b, "keyspace_hits"), stat(&mut e, b, "total_commands_processed"));
    for _ in 0..5 {
        e.execute(b, args(&["PING"]), 3);
        e.execute(b, args(&["XDEL", "s", "1-0"]), 3);
    }
    assert_eq!(stat(&mut e, b, "keyspace_hits"), hits);
    // The ten commands and the INFO that read the hits; none of the parked commands ran again.
    assert_eq!(stat(&mut e, b, "total_commands_processed"), processed + 12);
    let _ = a;
}

fn info_number(frame: &Frame, name: &str) -> i64 {
    let text = String::from_utf8_lossy(frame.as_bytes().expect("INFO is a bulk string")).into_owned();
    let line = text.lines().find(|l| l.starts_with(&format!("{name}:"))).expect("field");
    line.split(':').nth(1).expect("value").trim().parse().expect("number")
}

/// Keyspace hits and misses and the changes each command counts, as Redis counts them.
#[test]
fn hits_misses_and_changes_like_redis() {
    let mut s = Session::new();
    for cmd in [
        &["XADD", "h", "1-0", "a", "1"][..],
        &["XADD", "h", "2-0", "a", "2"],
        &["XADD", "h", "MAXLEN", "1", "3-0", "a", "3"],
        &["XADD", "h", "4-0", "a", "4"],
        &["XADD", "h", "5-0", "a", "5"],
        &["XADD", "h", "6-0", "a", "5"],
        &["XDEL", "h", "4-0", "5-0", "9-0"],
        &["XDEL", "none", "1-0"],
        &["XTRIM", "h", "MAXLEN", "0"],
        &["XADD", "h", "7-0", "a", "7"],
        &["XADD", "h", "8-0", "a", "8"],
        &["XSETID", "h", "9-0"],
        &["XLEN", "h"],
        &["XLEN", "none"],
        &["XRANGE", "h", "-", "+"],
        &["XREAD", "STREAMS", "h", "none", "0", "0"],
        &["XGROUP", "CREATE", "h", "g", "0"],
        &["XGROUP", "CREATE", "m", "g", "0", "MKSTREAM"],
        &["XGROUP", "CREATECONSUMER", "h", "g", "c0"],
        &["XREADGROUP", "GROUP", "g", "c1", "STREAMS", "h", ">"],
        &["XREADGROUP", "GROUP", "g", "c1", "STREAMS", "h", "0"],
        &["XREADGROUP", "GROUP", "g", "c2", "STREAMS", "h", ">"],
        &["XREADGROUP", "GROUP", "g", "c2", "STREAMS", "none", ">"],
        &["XPENDING", "h", "g"],
        &["XCLAIM", "h", "g", "c3", "0", "7-0", "JUSTID"],
        &["XAUTOCLAIM", "h", "g", "c4", "0", "0", "JUSTID"],
        &["XACK", "h", "g", "7-0", "8-0", "9-0"],
        &["XACK", "none", "g", "7-0"],
        &["XGROUP", "SETID", "h", "g", "0"],
        &["XGROUP", "DELCONSUMER", "h", "g", "c4"],
        &["XGROUP", "DESTROY", "h", "g"],
        &["XINFO", "STREAM", "h"],
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
