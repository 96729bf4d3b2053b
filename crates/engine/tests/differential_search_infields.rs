//! INFIELDS with several fields against RediSearch 2.10: the query's words look in all the
//! listed fields at once (one field mask, as RediSearch sets it), so results, their order and
//! their scores are those of one term per word.

mod common;

use common::Session;

#[test]
fn infields_with_several_fields() {
    let mut s = Session::new();
    s.run(&["FT.DROPINDEX", "inf:idx"]);
    s.run(&["DEL", "inf:1", "inf:2", "inf:3", "inf:4", "inf:5"]);
    s.same(&[
        "FT.CREATE",
        "inf:idx",
        "PREFIX",
        "1",
        "inf:",
        "SCHEMA",
        "t",
        "TEXT",
        "WEIGHT",
        "2",
        "u",
        "TEXT",
        "v",
        "TEXT",
        "n",
        "NUMERIC",
    ]);
    s.script(&[
        &["HSET", "inf:1", "t", "hello world", "u", "hello hello", "v", "caching", "n", "1"],
        &["HSET", "inf:2", "t", "nothing", "u", "hello there world", "v", "hello", "n", "2"],
        &["HSET", "inf:3", "t", "worlds apart", "u", "other", "v", "hello world", "n", "3"],
        &["HSET", "inf:4", "t", "hello", "v", "cached worlds", "n", "4"],
        &["HSET", "inf:5", "u", "world of hello", "n", "5"],
    ]);
    for q in [
        "hello",
        "world",
        "hello world",
        "hello | caching",
        "hel*",
        "\"hello world\"",
        "-hello",
        "hello -world",
        "@v:hello world",
        "cache",
        "%hallo%",
    ] {
        for fields in [
            &["2", "t", "u"][..],
            &["2", "u", "v"],
            &["3", "v", "u", "t"],
            &["2", "t", "nosuch"],
            &["2", "u", "u"],
        ] {
            for scorer in ["TFIDF", "BM25", "DISMAX", "BM25STD"] {
                let mut cmd = vec!["FT.SEARCH", "inf:idx", q, "INFIELDS"];
                cmd.extend(fields);
                cmd.extend(["WITHSCORES", "NOCONTENT", "SCORER", scorer]);
                s.same(&cmd);
            }
            let mut cmd = vec!["FT.SEARCH", "inf:idx", q, "INFIELDS"];
            cmd.extend(fields);
            cmd.extend(["HIGHLIGHT", "SUMMARIZE", "LEN", "3", "SORTBY", "n"]);
            s.same(&cmd);
        }
    }
}
