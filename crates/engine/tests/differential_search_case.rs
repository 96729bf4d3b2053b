//! Letter case in RediSearch 2.10, against the real module: text, tags and query words fold
//! ASCII letters only (`ПРИВЕТ` is not found by `привет`), the `lower`/`upper` functions do the
//! same, and SORTBY compares a SORTABLE text or tag by its case-folded form but any other field
//! by its bytes. Also the schema options that decide this (SORTABLE, UNF, NOSTEM, NOINDEX): where
//! they may stand, and how FT.INFO lists them.

mod common;

use common::Session;

/// The values every test writes, chosen so that ASCII-only folding, full folding and raw bytes
/// each give a different answer somewhere.
const VALUES: [&str; 6] = ["B", "a", "àa", "ÀB", "éa", "Éz"];

#[test]
fn only_ascii_letters_fold_in_text_tags_and_queries() {
    let mut s = Session::new();
    // Every index before any hash: RediSearch scans existing hashes in the background, which
    // would race the searches; hashes written after FT.CREATE are indexed at once.
    s.same(&[
        "FT.CREATE",
        "case:idx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "case:",
        "SCHEMA",
        "t",
        "TEXT",
        "n",
        "TAG",
    ]);
    // The filter language's lower() and upper() leave other letters as they are, too.
    let filters =
        [(r#"lower(@t) == "Éclair ça straße""#, "case:lower"), (r#"upper(@n) == "STRAßE""#, "case:upper")];
    for (filter, name) in filters {
        s.same(&[
            "FT.CREATE",
            name,
            "ON",
            "HASH",
            "PREFIX",
            "1",
            "case:",
            "FILTER",
            filter,
            "SCHEMA",
            "t",
            "TEXT",
        ]);
    }
    s.script(&[
        &["HSET", "case:1", "t", "Éclair ça straße", "n", "ÀB"],
        &["HSET", "case:2", "t", "ПРИВЕТ Ωmega", "n", "Straße"],
        &["HSET", "case:3", "t", "HELLO world", "n", "Red,GREEN"],
    ]);
    for query in [
        "éclair",
        "ÉCLAIR",
        "Éclair",
        "привет",
        "ПРИВЕТ",
        "Привет",
        "ωmega",
        "Ωmega",
        "ΩMEGA",
        "hello",
        "WORLD",
        "@n:{àb}",
        "@n:{ÀB}",
        "@n:{Àb}",
        "@n:{straße}",
        "@n:{STRASSE}",
        "@n:{STRAßE}",
        "@n:{red}",
        "@n:{green}",
    ] {
        s.same(&["FT.SEARCH", "case:idx", query, "NOCONTENT"]);
    }
    for (_, name) in filters {
        s.same(&["FT.SEARCH", name, "*", "NOCONTENT"]);
    }
}

#[test]
fn sortby_folds_sortable_text_and_tags_and_compares_bytes_otherwise() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "sort:idx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "sort:",
        "SCHEMA",
        "ts",
        "TEXT",
        "SORTABLE",
        "tp",
        "TEXT",
        "tu",
        "TEXT",
        "SORTABLE",
        "UNF",
        "gs",
        "TAG",
        "SORTABLE",
        "gp",
        "TAG",
        "gc",
        "TAG",
        "CASESENSITIVE",
        "SORTABLE",
    ]);
    for (i, v) in VALUES.iter().enumerate() {
        let key = format!("sort:{}", i + 1);
        s.run(&["HSET", &key, "ts", v, "tp", v, "tu", v, "gs", v, "gp", v, "gc", v]);
    }
    for field in ["ts", "tp", "tu", "gs", "gp", "gc"] {
        s.same(&["FT.SEARCH", "sort:idx", "*", "SORTBY", field, "NOCONTENT"]);
        s.same(&["FT.SEARCH", "sort:idx", "*", "SORTBY", field, "DESC", "NOCONTENT"]);
    }
}

#[test]
fn schema_options_stand_where_redisearch_reads_them_and_ft_info_lists_them() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "opt:idx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "opt:",
        "SCHEMA",
        "a",
        "TAG",
        "SORTABLE",
        "b",
        "TAG",
        "SORTABLE",
        "UNF",
        "c",
        "TEXT",
        "SORTABLE",
        "UNF",
        "d",
        "TEXT",
        "NOSTEM",
        "e",
        "TEXT",
        "SORTABLE",
        "NOINDEX",
        "f",
        "TAG",
        "CASESENSITIVE",
        "SORTABLE",
        "g",
        "NUMERIC",
        "SORTABLE",
        "NOINDEX",
        "x",
        "TEXT",
        "NOSTEM",
        "WEIGHT",
        "2",
        "SORTABLE",
        "UNF",
        "NOINDEX",
        "y",
        "NUMERIC",
        "SORTABLE",
        "SORTABLE",
        "NOINDEX",
        "NOINDEX",
        "z",
        "TEXT",
        "NOINDEX",
        "SORTABLE",
    ]);
    let (theirs, ours) = s.both(&["FT.INFO", "opt:idx"]);
    assert_eq!(common::info_field(&ours, "attributes"), common::info_field(&theirs, "attributes"));
    // A type's own option after SORTABLE, or UNF anywhere but right after it, is read as the
    // next field's name.
    for schema in [
        &["x", "TEXT", "SORTABLE", "NOSTEM"][..],
        &["x", "TAG", "SORTABLE", "CASESENSITIVE"],
        &["x", "TAG", "UNF"],
        &["x", "NUMERIC", "UNF"],
        &["x", "TEXT", "UNF"],
        &["x", "TEXT", "SORTABLE", "UNF", "UNF"],
    ] {
        let mut cmd = vec!["FT.CREATE", "opt:bad", "ON", "HASH", "PREFIX", "1", "bad:", "SCHEMA"];
        cmd.extend_from_slice(schema);
        s.same(&cmd);
    }
}

#[test]
fn a_noindex_field_is_sorted_and_returned_but_never_matched() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "ni:idx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "ni:",
        "SCHEMA",
        "k",
        "TEXT",
        "x",
        "TEXT",
        "SORTABLE",
        "NOINDEX",
        "t",
        "TAG",
        "NOINDEX",
        "n",
        "NUMERIC",
        "SORTABLE",
        "NOINDEX",
    ]);
    s.script(&[
        &["HSET", "ni:1", "k", "keep", "x", "hello", "t", "red", "n", "5"],
        &["HSET", "ni:2", "k", "keep", "x", "apple", "t", "blue", "n", "3"],
    ]);
    for query in ["hello", "@x:hello", "@t:{red}", "@n:[0 10]", "keep"] {
        s.same(&["FT.SEARCH", "ni:idx", query, "NOCONTENT"]);
    }
    s.same(&["FT.SEARCH", "ni:idx", "keep", "SORTBY", "x"]);
    s.same(&["FT.SEARCH", "ni:idx", "keep", "SORTBY", "n", "DESC", "RETURN", "1", "n"]);
}
