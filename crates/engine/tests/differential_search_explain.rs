//! FT.EXPLAIN and FT.EXPLAINCLI against RediSearch 2.10: the expanded query tree (stems, stop
//! words, fields, groups, tags, numbers, affixes, phrases, vectors), DIALECT 1 and 2, options
//! and errors, RESP2 and RESP3.

mod common;

use common::Session;

const QUERIES: &[&str] = &[
    "hello",
    "hello world",
    "hello|world",
    "hello world|foo",
    "a|b c",
    "(a b)|c",
    "@t:hello",
    "@t:hello world",
    "@t:hello|world",
    "@t:hello|@t:world",
    "@t:(hello|world) running",
    "@t:(-foo)",
    "@t:(a b) @t:c",
    "a1 @t:b c|d",
    "(@t:b c) d",
    "@t:b -c",
    "-@t:b c",
    "@t:b (c d)",
    "@t:b @n:[1 2] c",
    "@x:hello",
    "@n:hello",
    "@g:hello",
    "-hello",
    "~hello",
    "-the",
    "the",
    "the hello",
    "hel*",
    "*llo",
    "*ll*",
    "@t:caching*",
    "\"hello world\"",
    "\"the cat\"",
    "@t:\"foo bar\"",
    "@n:[1 2]",
    "@n:[(1 +inf]",
    "@n:[-inf (2.5]",
    "@g:{a|b}",
    "@g:{Foo|bar*}",
    "@t:hello @n:[1 2] -@g:{x}",
    "running studies",
    "foo 12",
    "1e3 x",
    "*",
    "",
];

#[test]
fn explain_trees() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "idx",
        "SCHEMA",
        "t",
        "TEXT",
        "u",
        "TEXT",
        "n",
        "NUMERIC",
        "g",
        "TAG",
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
    ]);
    for dialect in ["1", "2"] {
        for q in QUERIES {
            s.same(&["FT.EXPLAIN", "idx", q, "DIALECT", dialect]);
            s.same(&["FT.EXPLAIN", "idx", q, "VERBATIM", "DIALECT", dialect]);
        }
    }
    for q in ["hello world", "the cat", "@t:(a -b)"] {
        s.same(&["FT.EXPLAIN", "idx", q, "NOSTOPWORDS"]);
        s.same(&["FT.EXPLAIN", "idx", q]);
    }
    let params = ["PARAMS", "6", "b", "aaaaaaaa", "r", "2", "k", "4", "DIALECT", "2"];
    for q in [
        "*=>[KNN 3 @v $b AS d]",
        "*=>[KNN $k @v $b]",
        "@g:{x}=>[KNN 3 @v $b EF_RUNTIME 5]",
        "(@t:hello world)=>[KNN 3 @v $b HYBRID_POLICY ADHOC_BF]",
        "@v:[VECTOR_RANGE 0.5 $b]=>{$YIELD_DISTANCE_AS: dd}",
        "@v:[VECTOR_RANGE $r $b]",
        "@t:$k",
    ] {
        let mut cmd = vec!["FT.EXPLAIN", "idx", q];
        cmd.extend(params);
        s.same(&cmd);
    }
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.script(&[
            &["FT.EXPLAINCLI", "idx", "hello world"],
            &["FT.EXPLAINCLI", "idx", "@n:[1 2]"],
            &["FT.EXPLAINCLI", "idx", ""],
            &["FT.EXPLAIN", "idx", "@t:hello -@g:{a}"],
            &["FT.EXPLAIN", "nope", "hello"],
            &["FT.EXPLAINCLI", "nope", "hello"],
            &["FT.EXPLAIN", "idx"],
            &["FT.EXPLAIN"],
            &["FT.EXPLAINCLI", "idx"],
            &["FT.EXPLAIN", "idx", "hello", "FOO"],
            &["FT.EXPLAIN", "idx", "hello", "VERBATIM", "FOO"],
            &["FT.EXPLAIN", "idx", "hello", "LIMIT", "0", "1", "FOO"],
            &["FT.EXPLAIN", "idx", "hello", "WITHSCORES", "NOCONTENT"],
            &["FT.EXPLAIN", "idx", "hello", "DIALECT", "5"],
            &["FT.EXPLAIN", "idx", "hello", "DIALECT", "x"],
            &["FT.EXPLAIN", "idx", "@n:[a b]"],
            &["FT.EXPLAIN", "idx", "*=>[KNN 3 @v $b]", "PARAMS", "2", "b", "aaaaaaaa"],
        ]);
    }
}

/// DIALECT 1's `~` takes everything after it, unions included, up to the next `~`, the
/// closing parenthesis or the end (`~x|y` is optional `x|y`); DIALECT 2's takes one term.
#[test]
fn dialect_1_optional_reaches_to_the_end() {
    let mut s = Session::new();
    s.run(&["FT.DROPINDEX", "tilde:idx"]);
    s.same(&["FT.CREATE", "tilde:idx", "PREFIX", "1", "tilde:", "SCHEMA", "t", "TEXT", "u", "TEXT"]);
    s.script(&[
        &["HSET", "tilde:1", "t", "x y", "u", "z"],
        &["HSET", "tilde:2", "t", "w z"],
        &["HSET", "tilde:3", "t", "y"],
    ]);
    for q in [
        "~x|y",
        "~a|b",
        "~x y",
        "w ~x y",
        "~x ~y",
        "~x -y",
        "-x ~y",
        "~x y | z w",
        "w ~x y|z",
        "~(x y) z",
        "~x @u:y",
        "(~x y) z",
        "~x|y z",
        "~x y z",
        "x | ~y z | w",
        "~x y ~z w",
        "(~x y|z) | w",
    ] {
        for dialect in ["1", "2"] {
            s.same(&["FT.EXPLAIN", "tilde:idx", q, "DIALECT", dialect]);
            s.same(&["FT.SEARCH", "tilde:idx", q, "DIALECT", dialect, "NOCONTENT", "SORTBY", "t"]);
        }
    }
}
