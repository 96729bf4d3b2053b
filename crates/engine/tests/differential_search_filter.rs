//! FT.CREATE ... FILTER against RediSearch 2.10: which hashes an index takes as they are written
//! and changed, FT.INFO's definition, and filter syntax errors in RediSearch's words.

mod common;

use common::Session;

fn with_filter(s: &mut Session, filter: &str) {
    // No hashes before FT.CREATE: RediSearch would scan them in the background, racing the writes.
    s.run(&["FT.DROPINDEX", "flt:idx"]);
    s.run(&["DEL", "flt:1", "flt:2", "flt:3", "flt:4"]);
    s.same(&[
        "FT.CREATE",
        "flt:idx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "flt:",
        "FILTER",
        filter,
        "SCHEMA",
        "t",
        "TEXT",
        "n",
        "NUMERIC",
    ]);
    // Written after the index exists, so RediSearch indexes each at once (in this order).
    s.script(&[
        &["HSET", "flt:1", "t", "one", "lang", "en", "n", "5"],
        &["HSET", "flt:2", "t", "two", "lang", "fr", "n", "5"],
        &["HSET", "flt:3", "t", "three", "lang", "en", "n", "1"],
        &["HSET", "flt:4", "t", "four", "n", "9"],
    ]);
}

#[test]
fn the_filter_decides_which_hashes_are_indexed() {
    let mut s = Session::new();
    for filter in [
        r#"@lang=="en" && @n > 3"#,
        r#"startswith(@lang, "e")"#,
        "exists(@n)",
        "!(@n < 3)",
        "@lang",
        r#"@lang != "fr" || @n >= 9"#,
        r#"lower(@lang) == "en""#,
        "1 + 2 > 2",
        "1 || 0 && 0",
        r#"@lang == "en" && 0"#,
        r#"1 || @lang != "fr""#,
        "@n * 2 >= 10 && @n % 2 == 1",
        r#"contains(@t, "o")"#,
    ] {
        with_filter(&mut s, filter);
        s.same(&["FT.SEARCH", "flt:idx", "*", "NOCONTENT"]);
        let (theirs, ours) = s.both(&["FT.INFO", "flt:idx"]);
        for field in ["index_definition", "num_docs", "hash_indexing_failures"] {
            assert_eq!(
                common::info_field(&ours, field),
                common::info_field(&theirs, field),
                "{filter}: {field}"
            );
        }
    }
    // A document that starts to pass is indexed; one that stops passing leaves.
    with_filter(&mut s, r#"@lang=="en""#);
    s.script(&[
        &["HSET", "flt:2", "lang", "en"],
        &["HSET", "flt:1", "lang", "de"],
        &["FT.SEARCH", "flt:idx", "*", "NOCONTENT"],
        &["HDEL", "flt:3", "lang"],
        &["FT.SEARCH", "flt:idx", "*", "NOCONTENT"],
    ]);
    s.run(&["FT.DROPINDEX", "flt:idx"]);
}

#[test]
fn a_filter_that_cannot_be_evaluated_keeps_written_documents_and_drops_scanned_ones() {
    let mut s = Session::new();
    // Written after FT.CREATE: flt:4 has no lang, the filter fails on it, RediSearch keeps it.
    with_filter(&mut s, r#"@lang == "en" && 0"#);
    s.same(&["FT.SEARCH", "flt:idx", "*", "NOCONTENT"]);
    // Scanned in by a new index over the same keys: now it is left out.
    s.run(&["FT.DROPINDEX", "flt:idx"]);
    s.same(&[
        "FT.CREATE",
        "flt:idx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "flt:",
        "FILTER",
        "@lang",
        "SCHEMA",
        "t",
        "TEXT",
    ]);
    common::wait_indexed(&mut s, "flt:idx");
    s.same_unordered(&["FT.SEARCH", "flt:idx", "*", "NOCONTENT"]);
    s.run(&["FT.DROPINDEX", "flt:idx"]);
}

#[test]
fn filter_syntax_errors() {
    let mut s = Session::new();
    for bad in ["@x ==", r#"@x == "a" &&"#, "bogus(@x)"] {
        s.same(&["FT.CREATE", "flt:bad", "ON", "HASH", "FILTER", bad, "SCHEMA", "t", "TEXT"]);
    }
    s.same(&["FT._LIST"]);
}
