//! FT.SYNUPDATE and FT.SYNDUMP against RediSearch 2.10: groups, SKIPINITIALSCAN, queries
//! expanded with `~group` terms (FT.SEARCH results, order and scores, FT.EXPLAIN), RESP2 and
//! RESP3, errors.

mod common;

use common::Session;

#[test]
fn synonym_groups() {
    let mut s = Session::new();
    // Groups before the documents: scores compare too (a re-scan leaves RediSearch's old
    // postings counted in its document frequencies until its GC runs).
    s.script(&[
        &["FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "SORTABLE"],
        &["FT.SYNUPDATE", "idx", "g1", "hello", "HI"],
        &["FT.SYNUPDATE", "idx", "g2", "SKIPINITIALSCAN", "hi", "hey"],
        &["HSET", "d1", "t", "hello world running", "n", "1"],
        &["HSET", "d2", "t", "helo wrld", "n", "2"],
        &["HSET", "d3", "t", "Hey there, hey", "n", "3"],
        &["HSET", "d4", "t", "greetings, hi", "n", "4"],
        &["FT.SEARCH", "idx", "hi", "NOCONTENT"],
        &["FT.SEARCH", "idx", "hi", "WITHSCORES", "NOCONTENT"],
        &["FT.SEARCH", "idx", "hello", "WITHSCORES", "NOCONTENT"],
        &["FT.SEARCH", "idx", "hey", "WITHSCORES", "NOCONTENT"],
        &["FT.SEARCH", "idx", "hi", "VERBATIM", "NOCONTENT"],
        &["FT.SEARCH", "idx", "@t:hey world", "NOCONTENT"],
        &["FT.SEARCH", "idx", "hey", "SCORER", "BM25STD", "WITHSCORES", "NOCONTENT"],
        &["FT.EXPLAIN", "idx", "hi"],
        &["FT.EXPLAIN", "idx", "hi", "VERBATIM"],
        &["FT.EXPLAIN", "idx", "running hey"],
        // A group change indexes the documents again (unless SKIPINITIALSCAN).
        &["FT.SYNUPDATE", "idx", "g2", "hello"],
    ]);
    // Redis scans the documents again in the background: the searches wait for it.
    common::wait_indexed(&mut s, "idx");
    s.script(&[
        &["FT.SEARCH", "idx", "hey", "NOCONTENT", "SORTBY", "n"],
        &["FT.SYNUPDATE", "idx", "g3", "SKIPINITIALSCAN", "greetings", "wrld"],
        &["FT.SEARCH", "idx", "wrld", "NOCONTENT", "SORTBY", "n"],
        &["FT.SEARCH", "idx", "greetings", "NOCONTENT", "SORTBY", "n"],
        &["FT.SYNUPDATE", "idx", "g3", "skipinitialscan"],
        &["FT.SYNUPDATE", "idx", "g4", "Yo", "SKIPINITIALSCAN"],
        &["FT.SYNUPDATE", "idx", "g3", "SKIPINITIALSCAN"],
        &["FT.SYNUPDATE", "idx", "g3"],
        &["FT.SYNUPDATE", "idx"],
        &["FT.SYNUPDATE", "nope", "g1", "a"],
        &["FT.SYNDUMP", "nope"],
        &["FT.SYNDUMP"],
        &["FT.SYNDUMP", "idx", "x"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.same_pairs(&["FT.SYNDUMP", "idx"]);
    }
    s.run(&["HELLO", "2"]);
    s.script(&[&["FT.CREATE", "empty", "SCHEMA", "t", "TEXT"], &["FT.SYNDUMP", "empty"]]);
}
