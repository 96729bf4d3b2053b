//! FT.TAGVALS, FT.ALIASADD/UPDATE/DEL (and aliases in FT.SEARCH, FT.AGGREGATE, FT.INFO) and
//! FT.DICTADD/DEL/DUMP against RediSearch 2.10, RESP2 and RESP3, errors included.

mod common;

use common::Session;

#[test]
fn tagvals_and_aliases() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "ex",
        "PREFIX",
        "1",
        "ex:",
        "SCHEMA",
        "t",
        "TEXT",
        "g",
        "TAG",
        "c",
        "TAG",
        "CASESENSITIVE",
        "n",
        "NUMERIC",
    ]);
    s.script(&[
        &["HSET", "ex:1", "t", "hello", "g", "a,B", "c", "Up,down", "n", "1"],
        &["HSET", "ex:2", "t", "world", "g", "Zeta,  b ,X y", "c", "up"],
        &["HSET", "ex:3", "t", "more", "n", "3"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.script(&[
            &["FT.TAGVALS", "ex", "g"],
            &["FT.TAGVALS", "ex", "c"],
            &["FT.TAGVALS", "ex", "t"],
            &["FT.TAGVALS", "ex", "n"],
            &["FT.TAGVALS", "ex", "nosuch"],
            &["FT.TAGVALS", "nosuch", "g"],
            &["FT.TAGVALS", "ex"],
            &["FT.TAGVALS", "ex", "g", "x"],
        ]);
    }
    s.run(&["HELLO", "2"]);
    s.script(&[
        &["FT.ALIASADD", "exa", "ex"],
        &["FT.ALIASADD", "exa", "ex"],
        &["FT.ALIASADD", "exb", "nosuch"],
        &["FT.ALIASADD", "exb", "exa"],
        &["FT.SEARCH", "exa", "hello", "NOCONTENT"],
        &["FT.AGGREGATE", "exa", "*", "GROUPBY", "0", "REDUCE", "COUNT", "0", "AS", "c"],
        &["FT.TAGVALS", "exa", "g"],
        &["FT.ALIASUPDATE", "exa", "ex"],
        &["FT.ALIASUPDATE", "exc", "ex"],
        &["FT.ALIASUPDATE", "exc", "nosuch"],
        &["FT.SEARCH", "exc", "world", "NOCONTENT"],
        &["FT.ALIASDEL", "exc"],
        &["FT.ALIASDEL", "exc"],
        &["FT.SEARCH", "exc", "world", "NOCONTENT"],
        &["FT.ALIASDEL", "nosuch"],
        &["FT.ALIASADD", "a"],
        &["FT.ALIASDEL", "a", "b"],
        &["FT.ALIASUPDATE", "a"],
        &["FT.DROPINDEX", "ex"],
        &["FT.SEARCH", "exa", "hello"],
        &["FT.ALIASDEL", "exa"],
    ]);
}

#[test]
fn dictionaries() {
    let mut s = Session::new();
    // Dictionaries outlive FLUSHALL: fresh names for each run.
    let d = format!("dict{}", common::now_ms());
    let e = format!("{d}e");
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        let (d, e) = (format!("{d}{proto}"), format!("{e}{proto}"));
        s.script(&[
            &["FT.DICTDUMP", &d],
            &["FT.DICTADD", &d, "foo", "bar", "foo"],
            &["FT.DICTADD", &d, "Baz", "bar"],
            &["FT.DICTDUMP", &d],
            &["FT.DICTDEL", &d, "foo", "nope"],
            &["FT.DICTDUMP", &d],
            &["FT.DICTDEL", &d, "Baz", "bar"],
            &["FT.DICTDUMP", &d],
            &["FT.DICTDEL", &e, "x"],
            &["FT.DICTDUMP", &e],
            &["FT.DICTADD", &d],
            &["FT.DICTDEL", &d],
            &["FT.DICTDUMP"],
            &["FT.DICTDUMP", &d, "x"],
        ]);
    }
}

#[test]
fn config_get_and_set() {
    let mut s = Session::new();
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.script(&[
            &["FT.CONFIG", "GET", "*"],
            &["FT.CONFIG", "GET", "TIMEOUT"],
            &["FT.CONFIG", "GET", "timeout"],
            &["FT.CONFIG", "GET", "nosuch"],
            &["FT.CONFIG", "SET", "TIMEOUT", "600"],
            &["FT.CONFIG", "GET", "TIMEOUT"],
            &["FT.CONFIG", "SET", "TIMEOUT", "500"],
            &["FT.CONFIG", "SET", "TIMEOUT", "-1"],
            &["FT.CONFIG", "SET", "TIMEOUT", "1.5"],
            &["FT.CONFIG", "SET", "TIMEOUT"],
            &["FT.CONFIG", "SET", "TIMEOUT", "1", "2"],
            &["FT.CONFIG", "SET", "TIMEOUT", "500"],
            &["FT.CONFIG", "SET", "nosuch", "1"],
            &["FT.CONFIG", "SET", "NOGC", "x"],
            &["FT.CONFIG", "SET", "MINPREFIX", "0"],
            &["FT.CONFIG", "SET", "MINSTEMLEN", "1"],
            &["FT.CONFIG", "SET", "MAXSEARCHRESULTS", "-1"],
            &["FT.CONFIG", "GET", "MAXSEARCHRESULTS"],
            &["FT.CONFIG", "SET", "MAXSEARCHRESULTS", "1000000"],
            &["FT.CONFIG", "SET", "MAXEXPANSIONS", "300"],
            &["FT.CONFIG", "GET", "MAXPREFIXEXPANSIONS"],
            &["FT.CONFIG", "SET", "MAXPREFIXEXPANSIONS", "200"],
            &["FT.CONFIG", "SET", "_NUMERIC_COMPRESS", "TRUE"],
            &["FT.CONFIG", "GET", "_NUMERIC_COMPRESS"],
            &["FT.CONFIG", "SET", "_NUMERIC_COMPRESS", "x"],
            &["FT.CONFIG", "SET", "_NUMERIC_COMPRESS", "false"],
            &["FT.CONFIG", "SET", "ON_TIMEOUT", "FAIL"],
            &["FT.CONFIG", "GET", "ON_TIMEOUT"],
            &["FT.CONFIG", "SET", "ON_TIMEOUT", "x"],
            &["FT.CONFIG", "SET", "ON_TIMEOUT", "return"],
            &["FT.CONFIG", "SET", "DEFAULT_DIALECT", "5"],
            &["FT.CONFIG", "SET", "DEFAULT_DIALECT", "0"],
            &["FT.CONFIG", "GET", "DEFAULT_DIALECT"],
            &["FT.CONFIG", "SET", "DEFAULT_DIALECT", "-1"],
            &["FT.CONFIG", "GET", "DEFAULT_DIALECT"],
            &["FT.CONFIG", "SET", "DEFAULT_DIALECT", "1"],
            &["FT.CONFIG", "FOO", "x"],
            &["FT.CONFIG", "GET"],
        ]);
    }
    // DEFAULT_DIALECT decides how a query without DIALECT parses (KNN needs 2).
    s.same(&["FT.CREATE", "cfg", "PREFIX", "1", "cfg:", "SCHEMA", "t", "TEXT"]);
    s.same(&["HSET", "cfg:1", "t", "hello"]);
    let q = "*=>[KNN 1 @v $b]";
    s.same(&["FT.SEARCH", "cfg", q, "PARAMS", "2", "b", "xxxx"]);
    s.same(&["FT.CONFIG", "SET", "DEFAULT_DIALECT", "2"]);
    s.same(&["FT.SEARCH", "cfg", q, "PARAMS", "2", "b", "xxxx"]);
    s.same(&["FT.AGGREGATE", "cfg", q, "PARAMS", "2", "b", "xxxx"]);
    s.same(&["FT.CONFIG", "SET", "DEFAULT_DIALECT", "1"]);
}

#[test]
fn mget_and_get() {
    let mut s = Session::new();
    s.script(&[
        &["FT.CREATE", "idx", "PREFIX", "1", "d", "SCHEMA", "t", "TEXT"],
        &["HSET", "d1", "t", "hello", "x", "1"],
        &["HSET", "e1", "t", "hi"],
        &["SET", "d2", "str"],
        &["HSET", "d3", "x", "5"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.script(&[
            &["FT.MGET", "idx", "d1", "e1", "d2", "nokey", "d3"],
            &["FT.GET", "idx", "d1"],
            &["FT.GET", "idx", "e1"],
            &["FT.GET", "idx", "d3"],
            &["FT.GET", "nope", "d1"],
            &["FT.MGET", "nope", "d1"],
            &["FT.MGET", "idx"],
            &["FT.GET", "idx"],
            &["FT.GET", "idx", "a", "b"],
        ]);
    }
}
