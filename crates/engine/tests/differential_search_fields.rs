//! Field options and query forms against RediSearch 2.10: INDEXEMPTY / INDEXMISSING /
//! WITHSUFFIXTRIE (FT.INFO, `ismissing(@f)`, `@t:""`, `@g:{""}`), quoted tags, parameters as
//! words, fuzzy `%word%`, DIALECT 1's answers to DIALECT 2 forms, RESP2 and RESP3.

mod common;

use common::{info_field, Session};

#[test]
fn empty_missing_fuzzy_and_quoted() {
    let mut s = Session::new();
    s.script(&[
        &[
            "FT.CREATE",
            "i",
            "PREFIX",
            "1",
            "d:",
            "SCHEMA",
            "t",
            "TEXT",
            "INDEXEMPTY",
            "INDEXMISSING",
            "WITHSUFFIXTRIE",
            "g",
            "TAG",
            "CASESENSITIVE",
            "INDEXEMPTY",
            "INDEXMISSING",
            "WITHSUFFIXTRIE",
            "n",
            "NUMERIC",
            "INDEXMISSING",
            "SORTABLE",
            "u",
            "TEXT",
            "NOSTEM",
            "SORTABLE",
            "UNF",
            "x",
            "TEXT",
            "NOINDEX",
            "v",
            "VECTOR",
            "FLAT",
            "6",
            "TYPE",
            "FLOAT32",
            "DIM",
            "2",
            "DISTANCE_METRIC",
            "L2",
            "INDEXMISSING",
        ],
        &["FT.CREATE", "j", "SCHEMA", "t", "TEXT", "SORTABLE", "INDEXEMPTY"],
        &["FT.CREATE", "k", "SCHEMA", "n", "NUMERIC", "INDEXEMPTY"],
        &[
            "HSET",
            "d:1",
            "t",
            "hello world of caching",
            "g",
            "Foo,bar",
            "n",
            "1",
            "u",
            "Hello",
            "x",
            "hidden",
        ],
        &["HSET", "d:2", "t", "", "g", "", "u", "abc"],
        &["HSET", "d:3", "t", "hello there big world", "n", "3"],
        &["HSET", "d:4", "t", "the world says hello", "g", "123e4567-e89b, a b"],
        &["HSET", "d:5", "t", " ", "g", "x, ,y", "n", "5"],
    ]);
    let (redis, ours) = s.both(&["FT.INFO", "i"]);
    assert_eq!(info_field(&ours, "attributes"), info_field(&redis, "attributes"));
    s.run(&["HELLO", "3"]);
    let (redis, ours) = s.both(&["FT.INFO", "i"]);
    assert_eq!(info_field(&ours, "attributes"), info_field(&redis, "attributes"));
    s.run(&["HELLO", "2"]);
    for dialect in ["1", "2"] {
        for q in [
            "ismissing(@n)",
            "ISMISSING(@g)",
            "-ismissing(@t)",
            "ismissing(@n) hello",
            "ismissing(@u)",
            "ismissing(@nosuch)",
            "@t:\"\"",
            "@u:\"\"",
            "@g:{\"\"}",
            "@g:{\"\" | Foo}",
            "@g:{\"123e4567-e89b\"}",
            "@g:{\"a b\"}",
            "@g:{123e4567\\-e89b}",
            "%helo%",
            "%%helo%%",
            "%%%hallo%%%",
            "@t:%wrld%",
            "@u:%hallo%",
            "%helo",
            "$a | $b",
        ] {
            let params = ["PARAMS", "4", "a", "caching", "b", "says"];
            let mut cmd = vec!["FT.SEARCH", "i", q, "NOCONTENT", "DIALECT", dialect];
            cmd.extend(params);
            // (RediSearch lists empty tags in an order of its own.)
            match q.contains("{\"\"") {
                true => s.same_unordered(&cmd),
                false => s.same(&cmd),
            }
            let mut cmd = vec!["FT.EXPLAIN", "i", q, "DIALECT", dialect];
            cmd.extend(params);
            s.same(&cmd);
        }
    }
    s.script(&[
        &["FT.SEARCH", "i", "@g:{Foo}", "NOCONTENT"],
        &["FT.SEARCH", "i", "@g:{foo}", "NOCONTENT"],
        &["FT.SEARCH", "i", "@x:hidden", "NOCONTENT"],
        &["FT.SEARCH", "i", "*", "SORTBY", "u", "RETURN", "1", "u"],
        &["FT.SEARCH", "i", "*ching", "NOCONTENT"],
        &["FT.SEARCH", "i", "%helo%", "WITHSCORES", "NOCONTENT"],
    ]);
}

#[test]
fn slop_inorder_infields_inkeys() {
    let mut s = Session::new();
    s.script(&[
        &[
            "FT.CREATE",
            "i",
            "PREFIX",
            "1",
            "d:",
            "SCHEMA",
            "t",
            "TEXT",
            "u",
            "TEXT",
            "n",
            "NUMERIC",
            "v",
            "VECTOR",
            "FLAT",
            "6",
            "TYPE",
            "FLOAT32",
            "DIM",
            "2",
            "DISTANCE_METRIC",
            "L2",
        ],
        &[
            "HSET",
            "d:1",
            "t",
            "hello world of caching",
            "u",
            "Hello",
            "n",
            "1",
            "v",
            "\x00\x00\x00\x3f\x00\x00\x00\x3f",
        ],
        &[
            "HSET",
            "d:2",
            "t",
            "world hello",
            "u",
            "the world",
            "n",
            "2",
            "v",
            "\x00\x00\x00\x40\x00\x00\x00\x40",
        ],
        &["HSET", "d:3", "t", "hello there big world", "n", "3", "v", "\x00\x00\x40\x40\x00\x00\x40\x40"],
        &["HSET", "d:4", "t", "the world says hello, worlds apart", "u", "hello", "n", "4"],
        &["HSET", "d:5", "t", "caching", "u", "hello big world", "n", "5"],
    ]);
    for q in [
        "hello world",
        "world hello",
        "hello big world",
        "hello world @n:[1 4]",
        "hello (world|caching)",
        "hell* world",
    ] {
        for opts in [
            &["SLOP", "0"][..],
            &["SLOP", "1"],
            &["SLOP", "2", "INORDER"],
            &["INORDER"],
            &["SLOP", "0", "INORDER"],
        ] {
            let mut cmd = vec!["FT.SEARCH", "i", q, "NOCONTENT"];
            cmd.extend(opts);
            s.same(&cmd);
        }
    }
    s.script(&[
        &["FT.SEARCH", "i", "hello", "INFIELDS", "1", "u", "NOCONTENT"],
        &["FT.SEARCH", "i", "hello world", "INFIELDS", "1", "t", "NOCONTENT", "WITHSCORES"],
        &["FT.SEARCH", "i", "hello", "INFIELDS", "1", "nosuch", "NOCONTENT"],
        &["FT.SEARCH", "i", "hello", "INKEYS", "2", "d:1", "d:4", "NOCONTENT"],
        &["FT.SEARCH", "i", "hello", "INKEYS", "3", "d:1", "nokey", "d:5", "NOCONTENT", "WITHSCORES"],
        &["FT.SEARCH", "i", "*", "INKEYS", "2", "d:2", "d:3"],
        &[
            "FT.SEARCH",
            "i",
            "*=>[KNN 2 @v $b]",
            "INKEYS",
            "2",
            "d:1",
            "d:3",
            "PARAMS",
            "2",
            "b",
            "\x00\x00\x40\x40\x00\x00\x40\x40",
            "RETURN",
            "1",
            "__v_score",
            "DIALECT",
            "2",
        ],
        &["FT.SEARCH", "i", "hello", "PAYLOAD", "x", "NOCONTENT"],
        &["FT.SEARCH", "i", "hello", "SLOP", "x"],
        &["FT.SEARCH", "i", "hello", "INKEYS", "x"],
        &["FT.SEARCH", "i", "hello", "INKEYS", "3", "d:1"],
        &["FT.SEARCH", "i", "hello", "INFIELDS"],
        &["FT.SEARCH", "i", "hello", "SLOP"],
    ]);
    // Several INFIELDS: one field mask over the listed fields, in RediSearch's order.
    s.same(&["FT.SEARCH", "i", "hello", "INFIELDS", "2", "u", "t", "NOCONTENT"]);
}

#[test]
fn highlight() {
    let mut s = Session::new();
    s.script(&[
        &[
            "FT.CREATE",
            "i",
            "PREFIX",
            "1",
            "d:",
            "SCHEMA",
            "t",
            "TEXT",
            "u",
            "TEXT",
            "NOSTEM",
            "g",
            "TAG",
            "x",
            "TEXT",
            "NOINDEX",
        ],
        &[
            "HSET",
            "d:1",
            "t",
            "Hello, world of caching! The cached worlds.",
            "g",
            "hello",
            "u",
            "Hello",
            "x",
            "hello",
        ],
        &["HSET", "d:2", "t", "the world   says   HELLO to the caches", "u", "worlds apart"],
        &["HSET", "d:3", "u", "hello there", "t", "nothing here"],
    ]);
    for q in [
        "hello",
        "world",
        "cache",
        "hel*",
        "\"world of\"",
        "hello -caching",
        "@u:hello",
        "hello | world",
        "~world hello",
    ] {
        for opts in [
            &["HIGHLIGHT"][..],
            &["HIGHLIGHT", "TAGS", "[", "]"],
            &["HIGHLIGHT", "FIELDS", "1", "u"],
            &["HIGHLIGHT", "FIELDS", "2", "t", "g", "TAGS", "**", "**"],
            &["HIGHLIGHT", "RETURN", "2", "t", "g"],
            &["HIGHLIGHT", "VERBATIM"],
        ] {
            let mut cmd = vec!["FT.SEARCH", "i", q];
            cmd.extend(opts);
            cmd.extend(["SORTBY", "t"]);
            s.same(&cmd);
        }
    }
}

#[test]
fn query_attributes() {
    let mut s = Session::new();
    s.script(&[
        &["FT.CREATE", "i", "PREFIX", "1", "d:", "SCHEMA", "t", "TEXT", "u", "TEXT"],
        &["HSET", "d:1", "t", "hello world of caching", "u", "Hello"],
        &["HSET", "d:2", "t", "world hello", "u", "the world"],
        &["HSET", "d:3", "t", "hello there big world"],
        &["HSET", "d:4", "t", "the world says hello, worlds apart", "u", "hello"],
    ]);
    for q in [
        "hello=>{$weight:2}",
        "hello=>{$weight: 0.5} world",
        "@t:(hello world)=>{$slop:0}",
        "@t:(world hello)=>{$inorder:true}",
        "(hello world)=>{$slop:1; $inorder:true}",
        "(hello world)=>{$weight:3}",
        "\"hello world\"=>{$slop:2}",
        "hello=>{$foo:1}",
    ] {
        for dialect in ["1", "2"] {
            s.same(&["FT.SEARCH", "i", q, "NOCONTENT", "WITHSCORES", "DIALECT", dialect]);
            s.same(&["FT.EXPLAIN", "i", q, "DIALECT", dialect]);
        }
    }
}
