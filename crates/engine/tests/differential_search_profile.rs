//! FT.PROFILE against RediSearch 2.10: the command's reply, then the profile's shape (its keys,
//! the iterator tree with its counters, the result processors), RESP2 and RESP3, errors. Times
//! are each server's own, so they are compared as 0.

mod common;

use common::{decode, Session};
use playground_engine::Frame;

/// The reply with every value after a "... time" or "Time" key set to 0.
fn timeless(f: &Frame) -> Frame {
    let is_time = |k: &Frame| k.as_bytes().is_some_and(|b| b == b"Time" || b.ends_with(b" time"));
    match f {
        Frame::Array(items) => {
            let mut out = Vec::new();
            for (i, x) in items.iter().enumerate() {
                let after_time = i > 0 && is_time(&items[i - 1]);
                out.push(if after_time { Frame::Double(0.0) } else { timeless(x) });
            }
            Frame::Array(out)
        }
        Frame::Map(pairs) => Frame::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), if is_time(k) { Frame::Double(0.0) } else { timeless(v) }))
                .collect(),
        ),
        Frame::Bulk(b) if b.as_ref() == b"0" => Frame::Double(0.0),
        other => other.clone(),
    }
}

#[track_caller]
fn same_profile(s: &mut Session, cmd: &[&str]) {
    let (redis, ours) = s.both_raw(&common::args(cmd));
    let (redis, ours) = (timeless(&decode(&redis)), timeless(&decode(&ours)));
    assert_eq!(format!("{ours:?}"), format!("{redis:?}"), "\ncommand: {}", cmd.join(" "));
}

#[test]
fn profile() {
    let mut s = Session::new();
    s.script(&[
        &["FT.CREATE", "idx", "SCHEMA", "t", "TEXT", "n", "NUMERIC", "g", "TAG"],
        &["HSET", "d1", "t", "hello world running", "n", "1", "g", "a"],
        &["HSET", "d2", "t", "hello there runs", "n", "2", "g", "b"],
        &["HSET", "d3", "t", "nothing", "n", "3"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for cmd in [
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "hello"][..],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "hello", "NOCONTENT"],
            &["FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", "running", "NOCONTENT"],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "hello world", "NOCONTENT", "WITHSCORES"],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "*"],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "nosuchword"],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "hello|nothing", "LIMIT", "0", "0"],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "hello", "SORTBY", "n", "LIMIT", "0", "1", "NOCONTENT"],
            &["FT.PROFILE", "idx", "SEARCH", "LIMITED", "QUERY", "@n:[1 2] @g:{a|b} -nothing", "NOCONTENT"],
            &["FT.PROFILE", "idx", "AGGREGATE", "QUERY", "*"],
            &[
                "FT.PROFILE",
                "idx",
                "AGGREGATE",
                "QUERY",
                "hello",
                "GROUPBY",
                "1",
                "@g",
                "REDUCE",
                "COUNT",
                "0",
                "AS",
                "c",
                "SORTBY",
                "2",
                "@g",
                "ASC",
            ],
        ] {
            same_profile(&mut s, cmd);
        }
        s.script(&[
            &["FT.PROFILE", "nope", "SEARCH", "QUERY", "x"],
            &["FT.PROFILE", "idx", "FOO", "QUERY", "x"],
            &["FT.PROFILE", "idx", "SEARCH", "x"],
            &["FT.PROFILE", "idx", "SEARCH", "LIMITED", "x"],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY"],
            &["FT.PROFILE", "idx"],
        ]);
    }
}

/// A GEOSHAPE query's iterator is the shape index's list of matches (`ID-LIST`).
#[test]
fn geoshape_queries_read_an_id_list() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "pgs",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "pgs:",
        "SCHEMA",
        "g",
        "GEOSHAPE",
        "FLAT",
        "t",
        "TEXT",
    ]);
    common::wait_indexed(&mut s, "pgs");
    s.script(&[
        &["HSET", "pgs:1", "g", "POINT(1 1)", "t", "hello world"],
        &["HSET", "pgs:2", "g", "POINT(20 20)", "t", "hello"],
        &["HSET", "pgs:3", "g", "POLYGON((0 0, 0 3, 3 3, 3 0, 0 0))", "t", "world"],
    ]);
    for query in ["@g:[WITHIN $q]", "@g:[WITHIN $q] hello", "@g:[DISJOINT $q] | world", "@t:[WITHIN $q]"] {
        same_profile(
            &mut s,
            &[
                "FT.PROFILE",
                "pgs",
                "SEARCH",
                "QUERY",
                query,
                "PARAMS",
                "2",
                "q",
                "POLYGON((0 0, 0 5, 5 5, 5 0, 0 0))",
                "DIALECT",
                "2",
            ],
        );
    }
}
