//! SORT and SORT_RO against Redis 7.4, byte for byte in RESP2 and RESP3: every option (BY with
//! and without `*`, `->field`, LIMIT, GET `#`/`key*`/`hash*->field`, ASC/DESC, ALPHA, STORE) on
//! lists, sets and sorted sets, the errors, and the order of ties.

mod common;
use bytes::Bytes;
use common::Session;

fn fill(s: &mut Session) {
    s.script(&[
        &["RPUSH", "l", "3", "1", "10", "2", "-5", "2.5", "1e2", "0x10", "1"],
        &["RPUSH", "words", "pear", "Apple", "apple", "banana", "10", "9", "Zed", "zed"],
        &["SADD", "ints", "30", "4", "-7", "12", "0"],
        &["SADD", "mixed", "b", "c", "a", "3", "1"],
        &["ZADD", "z", "3", "c", "1", "a", "2", "b", "5", "e", "4", "d"],
        &["ZADD", "zn", "1", "30", "2", "4", "3", "-7"],
        &["MSET", "w_3", "30", "w_1", "10", "w_10", "5", "w_2", "20", "w_-5", "1"],
        // Every member of `z` has an o_ weight: SORT iterates a sorted set's hash table, whose
        // order (Redis seeds its hash per process) would decide ties.
        &["MSET", "o_a", "x", "o_b", "y", "o_c", "z", "o_d", "w", "o_e", "v"],
        &["HSET", "h_a", "n", "3", "s", "red"],
        &["HSET", "h_b", "n", "1", "s", "green"],
        &["HSET", "h_c", "n", "2"],
        &["HSET", "h_d", "n", "2", "s", "blue"],
        &["SET", "str", "x"],
        &["HSET", "hash", "f", "v"],
    ]);
}

fn options_and_errors(s: &mut Session) {
    fill(s);
    s.script(&[
        &["SORT", "l"],
        &["SORT", "l", "DESC"],
        &["SORT", "l", "desc", "asc"],
        &["SORT", "l", "ALPHA"],
        &["SORT", "l", "ALPHA", "DESC"],
        &["SORT", "words", "ALPHA"],
        &["SORT", "words", "alpha", "desc"],
        &["SORT", "words"],
        &["SORT", "ints"],
        &["SORT", "ints", "DESC", "LIMIT", "1", "2"],
        &["SORT", "mixed", "ALPHA"],
        &["SORT", "mixed"],
        &["SORT", "z"],
        &["SORT", "z", "ALPHA", "DESC"],
        &["SORT", "zn"],
        &["SORT", "zn", "ALPHA"],
        &["SORT", "none"],
        &["SORT", "none", "BY", "nosort", "LIMIT", "0", "5"],
        &["SORT_RO", "l", "LIMIT", "2", "3"],
        // LIMIT as Redis clamps it.
        &["SORT", "l", "LIMIT", "0", "0"],
        &["SORT", "l", "LIMIT", "-5", "3"],
        &["SORT", "l", "LIMIT", "3", "-1"],
        &["SORT", "l", "LIMIT", "8", "100"],
        &["SORT", "l", "LIMIT", "9", "1"],
        &["SORT", "l", "LIMIT", "100", "1"],
        &["SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807"],
        &["SORT", "l", "LIMIT", "-9223372036854775808", "-9223372036854775808"],
        &["SORT", "l", "LIMIT", "1", "2", "LIMIT", "5", "1"],
        // Errors.
        &["SORT", "str"],
        &["SORT", "hash"],
        &["SORT", "str", "FOO"],
        &["SORT", "l", "LIMIT", "1"],
        &["SORT", "l", "LIMIT", "a", "1"],
        &["SORT", "l", "LIMIT", "1", "b"],
        &["SORT", "l", "LIMIT", "1", "1.5"],
        &["SORT", "l", "BY"],
        &["SORT", "l", "GET"],
        &["SORT", "l", "STORE"],
        &["SORT", "l", "FOO"],
        &["SORT", "l", "ASC", "BAR", "DESC"],
        &["SORT_RO", "l", "STORE", "dst"],
        &["SORT_RO", "l", "store"],
        &["SORT_RO", "str"],
        &["SORT"],
        &["SORT_RO"],
        &["SORT", "words"],
        &["SORT", "words", "STORE", "dst"],
        &["EXISTS", "dst"],
        &["SORT", "words", "LIMIT", "0", "1"],
    ]);
}

#[test]
fn options_and_errors_in_resp2() {
    let mut s = Session::new();
    options_and_errors(&mut s);
}

#[test]
fn options_and_errors_in_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    options_and_errors(&mut s);
}

fn by_and_get(s: &mut Session) {
    fill(s);
    s.script(&[
        &["SORT", "l", "BY", "w_*"],
        &["SORT", "l", "BY", "w_*", "DESC"],
        &["SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*"],
        &["SORT", "l", "BY", "w_*", "LIMIT", "1", "3", "GET", "w_*", "GET", "#"],
        &["SORT", "l", "BY", "w_*", "ALPHA"],
        &["SORT", "l", "BY", "w_*", "ALPHA", "DESC"],
        &["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "2", "4"],
        &["SORT", "l", "BY", "w_*", "ALPHA", "DESC", "LIMIT", "0", "3"],
        &["SORT", "mixed", "BY", "o_*", "ALPHA"],
        &["SORT", "mixed", "BY", "o_*", "ALPHA", "DESC"],
        &["SORT", "mixed", "BY", "o_*", "GET", "o_*"],
        &["SORT", "mixed", "BY", "h_*->n", "GET", "h_*->s", "GET", "#"],
        &["SORT", "mixed", "BY", "h_*->n", "ALPHA", "GET", "h_*->s"],
        &["SORT", "mixed", "BY", "h_*->s", "ALPHA", "GET", "#"],
        &["SORT", "mixed", "BY", "h_*->s", "ALPHA", "DESC", "GET", "#"],
        &["SORT", "mixed", "BY", "h_*->s"],
        &["SORT", "mixed", "BY", "h_*->", "GET", "h_*->"],
        &["SORT", "mixed", "BY", "h_*-", "GET", "h_*->nope"],
        &["SORT", "mixed", "GET", "str", "GET", "#", "GET", "hash*", "GET", "h_*", "GET", "o_*->x", "ALPHA"],
        &["SORT", "z", "BY", "h_*->n", "GET", "h_*->n", "GET", "#"],
        &["SORT", "z", "BY", "h_*->n", "DESC", "LIMIT", "1", "2"],
        &["SORT", "z", "BY", "o_*", "ALPHA", "GET", "o_*"],
        // A pattern without `*` does not sort: native order, LIMIT and DESC on it.
        &["SORT", "l", "BY", "nosort"],
        &["SORT", "l", "BY", "nosort", "DESC"],
        &["SORT", "l", "BY", "nosort", "LIMIT", "2", "3"],
        &["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "2", "3"],
        &["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "7", "10"],
        &["SORT", "l", "BY", "nosort", "LIMIT", "20", "3"],
        &["SORT", "l", "BY", "nosort", "ALPHA", "GET", "w_*"],
        &["SORT", "z", "BY", "nosort"],
        &["SORT", "z", "BY", "nosort", "DESC"],
        &["SORT", "z", "BY", "nosort", "LIMIT", "1", "2"],
        &["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2"],
        &["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "4", "9"],
        &["SORT", "ints", "BY", "nosort"],
        &["SORT", "mixed", "BY", "nosort"],
        &["SORT", "mixed", "BY", "nosort", "DESC"],
        &["SORT_RO", "z", "BY", "h_*->n", "GET", "#", "GET", "h_*->s"],
        // Ties under ALPHA BY keep the loaded order (missing weights first).
        &["RPUSH", "ties", "d", "a", "c", "b", "e", "a"],
        &["MSET", "t_d", "same", "t_c", "same", "t_e", "x"],
        &["SORT", "ties", "BY", "t_*", "ALPHA"],
        &["SORT", "ties", "BY", "t_*", "ALPHA", "DESC"],
        &["SORT", "ties", "BY", "t_*", "ALPHA", "GET", "t_*"],
        // Numeric ties (missing weights are 0) are broken by the elements' bytes.
        &["SORT", "ties", "BY", "t_nothing_*"],
        &["SORT", "ties", "BY", "t_nothing_*", "DESC"],
        &["SORT", "ties", "BY", "t_nothing_*", "LIMIT", "1", "3"],
    ]);
}

#[test]
fn by_and_get_in_resp2() {
    let mut s = Session::new();
    by_and_get(&mut s);
}

#[test]
fn by_and_get_in_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    by_and_get(&mut s);
}

/// Weights are read with strtod over the whole text: spaces before, hex, inf are fine; junk
/// after, NaN, overflow and underflow are errors, the empty string is 0.
#[test]
fn weights_parse_like_strtod() {
    let mut s = Session::new();
    s.same(&["RPUSH", "one", "x"]);
    // A NUL ends the text strtod sees.
    s.same_bytes(&[Bytes::from("SET"), Bytes::from("wx"), Bytes::from(&b"12\0junk"[..])]);
    s.same(&["SORT", "one", "BY", "w*"]);
    s.same(&["RPUSH", "bad", "3", "x", "1"]);
    s.same(&["SORT", "bad"]);
    s.same(&["SORT", "bad", "STORE", "dst"]);
    s.same(&["EXISTS", "dst"]);
    s.same(&["SORT", "bad", "ALPHA"]);
    s.same(&["SORT", "bad", "BY", "nosort"]);
    // Redis checks `errno == ERANGE` after strtod without clearing errno first, so after an
    // overflow or underflow every numeric SORT on that server fails until some system call sets
    // errno again (a new connection's accept does): the out-of-range weights come last.
    for w in [
        "1",
        " 1",
        "\t\n2",
        "1 ",
        "",
        " ",
        "0x10",
        "-0x1p3",
        "inf",
        "-inf",
        "+inf",
        "infinity",
        "nan",
        "2.2250738585072014e-308",
        "+5",
        ".5",
        "5.",
        "1e5",
        "e5",
        "1e",
        "--1",
        "abc",
        "0",
        "-0",
        "1_0",
        "1,5",
        "1e400",
        "-1e400",
        "1e-400",
        "1e-310",
    ] {
        s.same(&["SET", "wx", w]);
        s.same(&["SORT", "one", "BY", "w*"]);
        s.same(&["SORT", "one", "BY", "w*", "ALPHA"]);
        s.same(&["DEL", "one2"]);
        s.same(&["RPUSH", "one2", w]);
        s.same(&["SORT", "one2"]);
        s.same(&["SORT", "one2", "STORE", "d"]);
    }
}

/// STORE makes a list (replacing any value, TTL included), an empty result deletes the
/// destination, GET misses store empty strings; a set sorted BY a constant is stored in ALPHA
/// order.
#[test]
fn store() {
    let mut s = Session::new();
    fill(&mut s);
    s.script(&[
        &["SORT", "l", "STORE", "dst"],
        &["LRANGE", "dst", "0", "-1"],
        &["TYPE", "dst"],
        &["OBJECT", "ENCODING", "dst"],
        &["SET", "dst2", "v", "EX", "100"],
        &["SORT", "z", "BY", "h_*->n", "GET", "h_*->s", "GET", "#", "STORE", "dst2"],
        &["LRANGE", "dst2", "0", "-1"],
        &["TTL", "dst2"],
        &["SORT", "mixed", "BY", "nosort", "STORE", "dst3"],
        &["LRANGE", "dst3", "0", "-1"],
        &["SORT", "mixed", "BY", "nosort", "DESC", "STORE", "dst3"],
        &["LRANGE", "dst3", "0", "-1"],
        &["SORT", "ints", "BY", "nosort", "LIMIT", "1", "2", "STORE", "dst3"],
        &["LRANGE", "dst3", "0", "-1"],
        &["SORT", "none", "STORE", "dst3"],
        &["EXISTS", "dst3"],
        &["SORT", "l", "LIMIT", "50", "2", "STORE", "dst"],
        &["EXISTS", "dst"],
        &["SORT", "none", "STORE", "none2"],
        &["SORT", "l", "STORE", "l"],
        &["LRANGE", "l", "0", "-1"],
        &["SORT", "words", "ALPHA", "STORE", "words", "LIMIT", "1", "3"],
        &["LRANGE", "words", "0", "-1"],
        &["SORT", "z", "STORE", "str"],
        &["TYPE", "str"],
        &["SORT", "l", "BY", "nosort", "DESC", "STORE", "dst"],
        &["LRANGE", "dst", "0", "-1"],
    ]);
}

/// ALPHA without STORE compares as strcoll (up to a NUL); with STORE, whole bytes.
#[test]
fn alpha_with_nul_bytes() {
    let mut s = Session::new();
    let b = |x: &[u8]| Bytes::copy_from_slice(x);
    s.same_bytes(&[b(b"RPUSH"), b(b"nul"), b(b"a\0c"), b(b"b"), b(b"a\0b"), b(b"a"), b(b"a\0a")]);
    s.same(&["SORT", "nul", "ALPHA"]);
    s.same(&["SORT", "nul", "ALPHA", "DESC"]);
    s.same(&["SORT", "nul", "ALPHA", "STORE", "d"]);
    s.same(&["LRANGE", "d", "0", "-1"]);
}

/// SORT converts a listpack sorted set to a skiplist; the other types keep their encoding.
#[test]
fn sort_converts_a_small_sorted_set() {
    let mut s = Session::new();
    fill(&mut s);
    s.script(&[
        &["OBJECT", "ENCODING", "z"],
        &["SORT_RO", "z", "BY", "nosort"],
        &["OBJECT", "ENCODING", "z"],
        &["OBJECT", "ENCODING", "ints"],
        &["SORT", "ints"],
        &["OBJECT", "ENCODING", "ints"],
        &["SORT", "mixed", "ALPHA"],
        &["OBJECT", "ENCODING", "mixed"],
    ]);
}

/// A large list: numbers sorted, DESC and LIMIT, stored, and the same with a BY pattern.
#[test]
fn a_large_list() {
    let mut s = Session::new();
    let mut cmd = vec!["RPUSH".to_string(), "big".to_string()];
    let mut x: u64 = 12345;
    for _ in 0..2000 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        cmd.push(format!("{}", (x >> 40) as i64 - (1 << 23)));
    }
    let cmd: Vec<&str> = cmd.iter().map(String::as_str).collect();
    s.same(&cmd);
    s.script(&[
        &["SORT", "big", "LIMIT", "0", "20"],
        &["SORT", "big", "DESC", "LIMIT", "100", "20"],
        &["SORT", "big", "ALPHA", "LIMIT", "1990", "20"],
        &["SORT", "big", "STORE", "sorted"],
        &["LRANGE", "sorted", "1000", "1010"],
        &["SORT", "big", "BY", "nokey_*", "LIMIT", "500", "5"],
        &["SORT", "big", "BY", "nosort", "DESC", "LIMIT", "1500", "5"],
    ]);
}

/// ALPHA BY with many ties: a LIMIT that cuts runs Redis's partial quicksort, whose order of
/// tied elements is its own (pivots, three-way partitions); without one, the stable merge sort.
#[test]
fn ties_under_partial_and_full_sorts() {
    let mut s = Session::new();
    let mut push = vec!["RPUSH".to_string(), "many".to_string()];
    let mut weights = vec!["MSET".to_string()];
    for i in 0..300 {
        push.push(format!("e{i}"));
        if i % 7 != 0 {
            weights.push(format!("wt_e{i}"));
            weights.push(format!("v{}", (i * 13) % 5));
        }
    }
    s.same(&push.iter().map(String::as_str).collect::<Vec<_>>());
    s.same(&weights.iter().map(String::as_str).collect::<Vec<_>>());
    for limit in [
        None,
        Some(("0", "10")),
        Some(("37", "50")),
        Some(("250", "100")),
        Some(("-3", "299")),
        Some(("0", "300")),
    ] {
        for desc in [false, true] {
            let mut cmd = vec!["SORT", "many", "BY", "wt_*", "ALPHA"];
            if desc {
                cmd.push("DESC");
            }
            if let Some((offset, count)) = limit {
                cmd.extend(["LIMIT", offset, count]);
            }
            s.same(&cmd);
            cmd.extend(["GET", "wt_*"]);
            s.same(&cmd);
        }
    }
    s.same(&["SORT", "many", "BY", "wt_*", "LIMIT", "5", "40"]);
}

/// Field `name` of an INFO reply, as a number.
fn info_number(frame: &playground_engine::Frame, name: &str) -> i64 {
    let text = String::from_utf8_lossy(frame.as_bytes().expect("INFO is a bulk string")).into_owned();
    let line = text.lines().find(|l| l.starts_with(&format!("{name}:"))).expect("field");
    line.split(':').nth(1).expect("value").trim().parse().expect("number")
}

/// SORT counts keyspace hits and misses for the sorted key and every BY/GET lookup, and a
/// change per element stored, as Redis does.
#[test]
fn hits_misses_and_changes_like_redis() {
    let mut s = Session::new();
    fill(&mut s);
    for cmd in [
        &["SORT", "l"][..],
        &["SORT", "none"],
        &["SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "nokey_*"],
        &["SORT", "mixed", "BY", "h_*->n", "GET", "h_*->s", "ALPHA"],
        &["SORT", "l", "BY", "nosort", "GET", "w_*"],
        &["SORT", "l", "BY", "w_*", "STORE", "dst"],
        &["SORT", "none", "STORE", "dst"],
        &["SORT", "none", "STORE", "dst"],
        &["SORT", "z", "LIMIT", "1", "2", "GET", "o_*", "STORE", "dst"],
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
