//! OBJECT ENCODING where Redis 7.4's answer depends on a value's history, not only on its
//! contents: APPEND and SETRANGE leave `raw` strings, INCRBYFLOAT never makes an `int` one, a
//! converted hash, set or sorted set stays converted when it shrinks (and keeps its encoding
//! through RENAME, COPY and MOVE), while a shrunk list goes back to a listpack.

mod common;
use common::{args, Session};

/// Databases these tests use, away from those of other test binaries.
const DB: usize = 11;
const OTHER_DB: usize = 12;

fn session() -> Session {
    let mut s = Session::new();
    s.oracle.raw(&args(&["SELECT", &DB.to_string()]));
    s.engine.server_mut().clients.entry(s.client).or_default().db = DB;
    s.same(&["FLUSHDB"]);
    s
}

const LONG: &str = "a value longer than sixty-four bytes, too long for a listpack entry...";

#[test]
fn strings_remember_how_they_were_made() {
    let mut s = session();
    s.script(&[
        &["SET", "enc:s", "hello"],
        &["OBJECT", "ENCODING", "enc:s"],
        &["APPEND", "enc:s", " world"],
        &["OBJECT", "ENCODING", "enc:s"],
        &["SET", "enc:n", "12"],
        &["OBJECT", "ENCODING", "enc:n"],
        &["APPEND", "enc:n", "3"],
        &["OBJECT", "ENCODING", "enc:n"],
        &["INCR", "enc:n"],
        &["OBJECT", "ENCODING", "enc:n"],
        &["APPEND", "enc:new", "abc"],
        &["OBJECT", "ENCODING", "enc:new"],
        &["APPEND", "enc:newint", "42"],
        &["OBJECT", "ENCODING", "enc:newint"],
        &["SETRANGE", "enc:r", "0", "7"],
        &["OBJECT", "ENCODING", "enc:r"],
        &["SET", "enc:r2", "abc"],
        &["SETRANGE", "enc:r2", "1", ""],
        &["OBJECT", "ENCODING", "enc:r2"],
        &["SETRANGE", "enc:r2", "1", "x"],
        &["OBJECT", "ENCODING", "enc:r2"],
        &["INCRBYFLOAT", "enc:f", "1.5"],
        &["INCRBYFLOAT", "enc:f", "1.5"],
        &["GET", "enc:f"],
        &["OBJECT", "ENCODING", "enc:f"],
        &["SET", "enc:f", "3"],
        &["OBJECT", "ENCODING", "enc:f"],
        &["SET", "enc:long", LONG],
        &["OBJECT", "ENCODING", "enc:long"],
    ]);
}

#[test]
fn converted_collections_stay_converted() {
    let mut s = session();
    s.script(&[
        &["HSET", "enc:h", "f", "v"],
        &["OBJECT", "ENCODING", "enc:h"],
        &["HSET", "enc:h", "big", LONG],
        &["OBJECT", "ENCODING", "enc:h"],
        &["HDEL", "enc:h", "big"],
        &["OBJECT", "ENCODING", "enc:h"],
        &["SADD", "enc:set", "1", "2", "3"],
        &["OBJECT", "ENCODING", "enc:set"],
        &["SADD", "enc:set", "a"],
        &["OBJECT", "ENCODING", "enc:set"],
        &["SREM", "enc:set", "a"],
        &["OBJECT", "ENCODING", "enc:set"],
        &["SADD", "enc:set", LONG],
        &["OBJECT", "ENCODING", "enc:set"],
        &["SREM", "enc:set", LONG],
        &["OBJECT", "ENCODING", "enc:set"],
        &["ZADD", "enc:z", "1", "a"],
        &["OBJECT", "ENCODING", "enc:z"],
        &["ZADD", "enc:z", "2", LONG],
        &["OBJECT", "ENCODING", "enc:z"],
        &["ZREM", "enc:z", LONG],
        &["OBJECT", "ENCODING", "enc:z"],
        &["RENAME", "enc:h", "enc:h2"],
        &["OBJECT", "ENCODING", "enc:h2"],
        &["COPY", "enc:h2", "enc:h3"],
        &["OBJECT", "ENCODING", "enc:h3"],
        &["MOVE", "enc:h3", &OTHER_DB.to_string()],
        &["SELECT", &OTHER_DB.to_string()],
        &["OBJECT", "ENCODING", "enc:h3"],
        &["DEL", "enc:h3"],
        &["SELECT", &DB.to_string()],
        // A new value at the key starts again from its contents.
        &["DEL", "enc:h2"],
        &["HSET", "enc:h2", "f", "v"],
        &["OBJECT", "ENCODING", "enc:h2"],
    ]);
    // A list converts back once it shrinks well under the listpack limit.
    let mut push = vec!["RPUSH", "enc:l"];
    push.extend(std::iter::repeat_n(LONG, 200));
    s.same(&push);
    s.script(&[
        &["OBJECT", "ENCODING", "enc:l"],
        &["LTRIM", "enc:l", "0", "1"],
        &["OBJECT", "ENCODING", "enc:l"],
    ]);
}

/// A set that left the intset encoding keeps listpack order even once it holds only integers
/// again: members come back in insertion order, not sorted.
#[test]
fn a_set_that_left_intset_keeps_insertion_order() {
    let mut s = session();
    s.script(&[
        &["SADD", "enc:o", "3", "1", "2"],
        &["SMEMBERS", "enc:o"],
        &["SADD", "enc:o", "a"],
        &["SMEMBERS", "enc:o"],
        &["SREM", "enc:o", "a"],
        &["SADD", "enc:o", "0", "-5"],
        &["SMEMBERS", "enc:o"],
        &["SSCAN", "enc:o", "0"],
        &["OBJECT", "ENCODING", "enc:o"],
        &["SMOVE", "enc:none", "enc:o", "x"],
        &["SADD", "enc:p", "9", "8"],
        &["SMOVE", "enc:p", "enc:o", "9"],
        &["SMEMBERS", "enc:o"],
        &["SPOP", "enc:o", "10"],
    ]);
}

/// A hash stays a listpack up to 512 fields in the oracle's Redis 7.4 (sets and sorted sets:
/// 128): its encoding, its memory and HSCAN returning it whole all follow.
#[test]
fn hashes_stay_listpacks_up_to_512_fields() {
    let mut s = session();
    let mut hset = vec!["HSET".to_string(), "enc:big".to_string()];
    for i in 0..300 {
        hset.push(format!("f{i}"));
        hset.push(i.to_string());
    }
    let words: Vec<&str> = hset.iter().map(String::as_str).collect();
    s.same(&words);
    s.script(&[&["OBJECT", "ENCODING", "enc:big"], &["HSCAN", "enc:big", "0", "MATCH", "f29*"]]);
    let mut more = vec!["HSET".to_string(), "enc:big".to_string()];
    for i in 300..513 {
        more.push(format!("f{i}"));
        more.push(i.to_string());
    }
    let words: Vec<&str> = more.iter().map(String::as_str).collect();
    s.same(&words);
    s.same(&["OBJECT", "ENCODING", "enc:big"]);
}
