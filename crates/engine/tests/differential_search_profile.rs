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
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "hello", "SUMMARIZE"],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "hello", "HIGHLIGHT", "RETURN", "1", "t"],
            &["FT.PROFILE", "idx", "SEARCH", "QUERY", "hello", "HIGHLIGHT", "NOCONTENT"],
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

/// FT.AGGREGATE profiles: a Projector per APPLY and a Filter per FILTER, named after the
/// expression's top node, each with the rows it passed on; Loaders only where GROUPBY or
/// SORTBY read fields neither SORTABLE nor loaded. (A literal APPLY is left out: RediSearch
/// 2.10 crashes profiling one.)
#[test]
fn aggregate_profile_apply_and_filter() {
    let mut s = Session::new();
    s.run(&["FT.DROPINDEX", "papp"]);
    s.script(&[
        &[
            "FT.CREATE",
            "papp",
            "PREFIX",
            "1",
            "papp:",
            "SCHEMA",
            "t",
            "TEXT",
            "n",
            "NUMERIC",
            "SORTABLE",
            "m",
            "NUMERIC",
            "g",
            "TAG",
        ],
        &["HSET", "papp:1", "t", "hello world", "n", "1", "m", "10", "g", "a"],
        &["HSET", "papp:2", "t", "hello", "n", "2", "m", "20", "g", "b"],
        &["HSET", "papp:3", "t", "hello there", "n", "3", "m", "30", "g", "a"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for tail in [
            &["APPLY", "@n*2", "AS", "x", "FILTER", "@x>2"][..],
            &[
                "LOAD", "1", "@t", "APPLY", "@n*2", "AS", "x", "FILTER", "@x>2", "SORTBY", "2", "@x", "DESC",
                "LIMIT", "0", "1",
            ],
            &[
                "APPLY",
                "@n*2",
                "AS",
                "x",
                "GROUPBY",
                "1",
                "@g",
                "REDUCE",
                "COUNT",
                "0",
                "AS",
                "c",
                "FILTER",
                "@c>1",
                "APPLY",
                "upper(@g)",
                "AS",
                "G",
            ],
            &[
                "GROUPBY", "1", "@g", "REDUCE", "SUM", "1", "@m", "AS", "s", "APPLY", "@s/2", "AS", "h",
                "FILTER", "@h>15",
            ],
            &["GROUPBY", "1", "@n", "REDUCE", "SUM", "1", "@n", "AS", "s", "FILTER", "@s>2"],
            &[
                "LOAD", "1", "@m", "APPLY", "@m", "AS", "mm", "APPLY", "(@m+1)", "AS", "a", "APPLY",
                "@m % 7", "AS", "b",
            ],
            &[
                "LOAD",
                "2",
                "@m",
                "@t",
                "APPLY",
                "@m ^ 2",
                "AS",
                "c",
                "APPLY",
                "UPPER(@t)",
                "AS",
                "d",
                "APPLY",
                "lower(upper(@t))",
                "AS",
                "e",
            ],
            &[
                "LOAD",
                "1",
                "@m",
                "FILTER",
                "@m>=10 && @m<25",
                "FILTER",
                "@m==10||@m==20",
                "FILTER",
                "@m!=10",
                "FILTER",
                "@m<=20",
            ],
            &["LOAD", "1", "@m", "FILTER", "exists(@m)", "FILTER", "!exists(@m)"],
            &["SORTBY", "2", "@m", "ASC", "APPLY", "@m*2", "AS", "x", "FILTER", "@x<50"],
            &["SORTBY", "2", "@n", "DESC", "MAX", "2", "APPLY", "@n+1", "AS", "x"],
        ] {
            let mut cmd = vec!["FT.PROFILE", "papp", "AGGREGATE", "QUERY", "hello"];
            cmd.extend(tail);
            same_profile(&mut s, &cmd);
        }
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
