//! FT.SUGADD / SUGGET / SUGDEL / SUGLEN against RediSearch 2.10: scores to the last digit
//! (prefix length, exact matches, FUZZY, INCR), payloads, MAX, TRIM, the key's type, RESP2 and
//! RESP3, errors. Left out: an empty prefix and a prefix that is a whole entry (both crash
//! RediSearch 2.10 at times; the engine gives such an exact match INT_MAX as RediSearch does).

mod common;

use common::Session;

#[test]
fn suggestions() {
    let mut s = Session::new();
    s.script(&[
        &["FT.SUGADD", "ac", "hello world", "1"],
        &["FT.SUGADD", "ac", "hello world", "2", "INCR"],
        &["FT.SUGADD", "ac", "help me", "3", "PAYLOAD", "pl"],
        &["FT.SUGADD", "ac", "Hellos", "1.5"],
        &["FT.SUGADD", "ac", "cat", "7"],
        &["FT.SUGADD", "ac", "Cat", "4"],
        &["TYPE", "ac"],
        &["OBJECT", "ENCODING", "ac"],
        &["FT.SUGLEN", "ac"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.script(&[
            &["FT.SUGGET", "ac", "hel"],
            &["FT.SUGGET", "ac", "hel", "WITHSCORES", "WITHPAYLOADS"],
            &["FT.SUGGET", "ac", "HEL", "withscores"],
            &["FT.SUGGET", "ac", "helo", "FUZZY", "WITHSCORES"],
            &["FT.SUGGET", "ac", "hel", "FUZZY", "WITHSCORES", "WITHPAYLOADS", "MAX", "10"],
            &["FT.SUGGET", "ac", "hel", "MAX", "2", "WITHSCORES"],
            &["FT.SUGGET", "ac", "hel", "TRIM", "WITHSCORES", "OPTIMIZE"],
            &["FT.SUGGET", "ac", "zzz"],
            &["FT.SUGGET", "nokey", "a"],
            &["FT.SUGGET", "ac", "h", "MAX", "0"],
            &["FT.SUGGET", "ac", "h", "MAX", "-1"],
            &["FT.SUGGET", "ac", "h", "MAX", "x"],
            &["FT.SUGGET", "ac", "h", "MAX"],
            &["FT.SUGGET", "ac", "h", "FOO"],
            &["FT.SUGGET", "ac"],
        ]);
    }
    s.run(&["HELLO", "2"]);
    s.script(&[
        &["FT.SUGADD", "ac", "helium", "2", "INCR", "PAYLOAD", "y"],
        &["FT.SUGADD", "ac", "helium", "5", "PAYLOAD", "z"],
        &["FT.SUGADD", "ac", "helix", "0.25", "payload", "x"],
        &["FT.SUGGET", "ac", "he", "WITHSCORES", "WITHPAYLOADS", "MAX", "10"],
        &["FT.SUGADD", "ac", "x", "abc"],
        &["FT.SUGADD", "ac", "x", "nan"],
        &["FT.SUGADD", "ac", "x", "1", "PAYLOAD"],
        &["FT.SUGADD", "ac", "x", "1", "FOO"],
        &["FT.SUGADD", "ac", "x"],
        &["FT.SUGADD", "ac", "", "1"],
        &["FT.SUGADD", "ac", "zero", "0"],
        &["FT.SUGADD", "ac", "neg", "-1"],
        &["FT.SUGADD", "ac", "big", "inf"],
        &["FT.SUGGET", "ac", "b", "WITHSCORES", "MAX", "20"],
        &["FT.SUGGET", "ac", "n", "WITHSCORES", "MAX", "20"],
        &["FT.SUGDEL", "ac", "help me"],
        &["FT.SUGDEL", "ac", "help me"],
        &["FT.SUGDEL", "ac", "HELIUM"],
        &["FT.SUGDEL", "nokey", "a"],
        &["FT.SUGDEL", "ac"],
        &["FT.SUGLEN", "ac"],
        &["FT.SUGLEN", "nokey"],
        &["FT.SUGLEN"],
        &["FT.SUGADD", "empty", "a", "0"],
        &["EXISTS", "empty"],
        &["FT.SUGGET", "empty", "a"],
        &["FT.SUGADD", "one", "a", "1"],
        &["FT.SUGDEL", "one", "a"],
        &["EXISTS", "one"],
        &["FT.SUGLEN", "one"],
        &["SET", "str", "x"],
        &["FT.SUGADD", "str", "a", "1"],
        &["FT.SUGADD", "str", "a", "x"],
        &["FT.SUGGET", "str", "a"],
        &["FT.SUGLEN", "str"],
        &["FT.SUGDEL", "str", "a"],
        &["FT.SUGADD", "ac", "x", "1", "FOO"],
        &["LPUSH", "ac", "x"],
    ]);
}
