//! Glob patterns against Redis 7.4's `stringmatchlen`: the same matches for tricky patterns
//! (escapes, classes, ranges, unterminated classes, a trailing backslash) through every command
//! that matches (KEYS, SCAN and HSCAN/SSCAN/ZSCAN MATCH, CONFIG GET, COMMAND LIST), and patterns
//! that made the old matcher exponential (CVE-2022-36021) answering at once.

mod common;
use bytes::Bytes;
use common::{args, Session};
use std::time::{Duration, Instant};

/// Names chosen to sit on the edges of the patterns below.
const NAMES: &[&str] = &[
    "a", "b", "ab", "abc", "a*b", "a?b", "a[b", "a]b", "a-b", "a\\b", "a\\", "x", "^", "]", "[", "-", "_",
    "hello", "hallo", "hxllo", "h[llo", "user:1", "user:42", "USER:1", "aaaa",
];

const PATTERNS: &[&str] = &[
    "*",
    "**",
    "?",
    "??",
    "a*",
    "a*b",
    "a\\*b",
    "a\\?b",
    "a\\[b",
    "a[\\]]b",
    "a[]]b",
    "a[]b",
    "[]",
    "[]]",
    "[^a]",
    "[^]",
    "[^]]",
    "[a-]",
    "[-a]",
    "[a-c]",
    "[c-a]",
    "[a-c",
    "[",
    "[^",
    "a[",
    "a\\",
    "a\\\\",
    "\\",
    "h[ae]llo",
    "h[^e]llo",
    "h[a-b]llo",
    "h\\[llo",
    "user:[0-9]",
    "user:[0-9]*",
    "USER:*",
    "*[",
    "*\\",
    "a*a*a*",
    "*?*?*",
];

#[test]
fn keys_match_like_redis() {
    let mut s = Session::new();
    for name in NAMES {
        s.same(&["SET", name, "1"]);
    }
    for pattern in PATTERNS {
        s.same_unordered(&["KEYS", pattern]);
        // One SCAN call with a COUNT above the keyspace visits every key once.
        let (theirs, ours) = s.both(&["SCAN", "0", "MATCH", pattern, "COUNT", "1000"]);
        assert_eq!(
            common::canonical(&ours),
            common::canonical(&theirs),
            "SCAN MATCH {pattern} (left: emulator, right: Redis)"
        );
    }
}

/// Class bounds compare as C's signed `char`: `[a-\xff]` runs from \xff (-1) up to `a`.
#[test]
fn class_ranges_over_high_bytes() {
    let mut s = Session::new();
    for key in [&b"\x01"[..], b"\x80", b"\xff", b"b", b"a"] {
        s.same_bytes(&[Bytes::from_static(b"SET"), Bytes::copy_from_slice(key), Bytes::from_static(b"1")]);
    }
    for pattern in [&b"[a-\xff]"[..], b"[\x80-\x01]", b"[^\x80-b]", b"[\x7f-\x80]"] {
        let (theirs, ours) = s.both_frames(&[Bytes::from_static(b"KEYS"), Bytes::copy_from_slice(pattern)]);
        assert_eq!(common::canonical(&ours), common::canonical(&theirs), "KEYS {pattern:?}");
    }
}

#[test]
fn collection_scans_match_like_redis() {
    let mut s = Session::new();
    let mut hset = vec!["HSET", "h"];
    let mut sadd = vec!["SADD", "s"];
    let mut zadd = vec!["ZADD", "z"];
    for name in NAMES.iter().chain(&[""]) {
        hset.extend([name, "v"]);
        sadd.push(name);
        zadd.extend(["1", name]);
    }
    s.same(&hset);
    s.same(&sadd);
    s.same(&zadd);
    // `*` alone is no filter at all in Redis, so the empty member comes back; `**` is a real
    // pattern, and Redis's matcher never matches an empty string.
    for pattern in PATTERNS.iter().chain(&["*"]) {
        for cmd in ["HSCAN", "SSCAN", "ZSCAN"] {
            let key = &cmd[..1].to_lowercase();
            let (theirs, ours) = s.both(&[cmd, key, "0", "MATCH", pattern, "COUNT", "1000"]);
            assert_eq!(
                common::canonical(&ours),
                common::canonical(&theirs),
                "{cmd} MATCH {pattern} (left: emulator, right: Redis)"
            );
        }
    }
}

#[test]
fn names_match_without_case() {
    let mut s = Session::new();
    for pattern in ["MAXMEMORY-*", "Maxmemory-Polic?", "[M]axmemory", "[L-M]axmemory"] {
        s.same_pairs(&["CONFIG", "GET", pattern]);
    }
    for pattern in ["CONFIG|G*", "Client|Set*", "LPUSH*", "[S-T]unionstore"] {
        s.same_unordered(&["COMMAND", "LIST", "FILTERBY", "PATTERN", pattern]);
    }
}

/// CVE-2022-36021: `a*a*...*b` against a long run of `a` and a pattern of 50,000 `*?` used to
/// take exponential time (or blow the stack); Redis answers at once, and so must the engine.
#[test]
fn hostile_patterns_answer_at_once() {
    let mut s = Session::new();
    // Redis's own regression tests use a 40-byte key for the first and a 50,000-byte one for
    // the second; both keys are there for both patterns.
    s.same(&["SET", &"a".repeat(40), "1"]);
    s.same(&["SET", &"a".repeat(50_000), "1"]);
    let stars = format!("{}b", "a*".repeat(20));
    let deep = "*?".repeat(50_000);
    for pattern in [&stars, &deep] {
        let started = Instant::now();
        let ours = s.engine.execute(s.client, args(&["KEYS", pattern]), common::now_ms());
        let took = started.elapsed();
        assert!(took < Duration::from_secs(2), "KEYS with a hostile pattern took {took:?}");
        assert_eq!(ours, playground_engine::Frame::Array(vec![]));
        s.same(&["KEYS", pattern]);
        s.same(&["SCAN", "0", "MATCH", pattern]);
    }
}
