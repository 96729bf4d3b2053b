//! Full-text matching against RediSearch 2.10: English stemming (`cache` finds `caching`),
//! VERBATIM and NOSTEM, stop words (the default list, `STOPWORDS 0`, an index's own list), and
//! the term counts FT.INFO reports for them. Result order is left out (`same_unordered`):
//! RediSearch ranks text hits by TF-IDF, the engine returns them in document order.

mod common;

use common::Session;

#[track_caller]
fn same_info(s: &mut Session, index: &str, fields: &[&str]) {
    let (theirs, ours) = s.both(&["FT.INFO", index]);
    for field in fields {
        assert_eq!(common::info_field(&ours, field), common::info_field(&theirs, field), "{index}: {field}");
    }
}

/// `FT.CREATE name ON HASH PREFIX 1 prefix rest...` on both sides, replies compared. Called
/// before the hashes are written: RediSearch scans older hashes in the background.
#[track_caller]
fn create_on_hash(s: &mut Session, name: &str, prefix: &str, rest: &[&str]) {
    let mut cmd = vec!["FT.CREATE", name, "ON", "HASH", "PREFIX", "1", prefix];
    cmd.extend_from_slice(rest);
    s.same(&cmd);
}

const DOCS: [&str; 6] =
    ["caching layers for models", "the cached answer", "model", "running runs", "cach", "ran"];

#[test]
fn words_match_by_english_stem_unless_verbatim_or_nostem() {
    let mut s = Session::new();
    // Indexes before hashes: RediSearch scans older hashes in the background.
    create_on_hash(&mut s, "stem:idx", "stem:", &["SCHEMA", "t", "TEXT"]);
    create_on_hash(&mut s, "stem:raw", "stem:", &["SCHEMA", "t", "TEXT", "NOSTEM"]);
    for (i, text) in DOCS.iter().enumerate() {
        s.run(&["HSET", &format!("stem:{i}"), "t", text]);
    }
    for query in [
        "cache",
        "caches",
        "cached",
        "caching",
        "cach",
        "layer",
        "layers",
        "model",
        "models",
        "modeling",
        "run",
        "runs",
        "runner",
        "running",
        "ran",
        "answers",
        "@t:models",
        "@t:caching",
    ] {
        for index in ["stem:idx", "stem:raw"] {
            s.same_unordered(&["FT.SEARCH", index, query, "NOCONTENT"]);
            s.same_unordered(&["FT.SEARCH", index, query, "VERBATIM", "NOCONTENT"]);
        }
    }
    // `+stem` terms count as terms and records of the index.
    same_info(&mut s, "stem:idx", &["num_docs", "num_terms", "num_records"]);
    same_info(&mut s, "stem:raw", &["num_docs", "num_terms", "num_records"]);
}

#[test]
fn stop_words_are_not_indexed_and_drop_out_of_queries() {
    let mut s = Session::new();
    create_on_hash(&mut s, "sw:default", "sw:", &["SCHEMA", "t", "TEXT"]);
    create_on_hash(&mut s, "sw:none", "sw:", &["STOPWORDS", "0", "SCHEMA", "t", "TEXT"]);
    create_on_hash(
        &mut s,
        "sw:own",
        "sw:",
        &["STOPWORDS", "3", "Model", "layers", "model", "SCHEMA", "t", "TEXT"],
    );
    s.script(&[&["HSET", "sw:1", "t", "the model for layers"], &["HSET", "sw:2", "t", "a cat"]]);
    for index in ["sw:default", "sw:none", "sw:own"] {
        for query in [
            "for",
            "the",
            "the model",
            "model",
            "@t:for",
            "layers",
            "cat",
            "a",
            "a cat",
            "the | cat",
            "-the",
            "model -the",
            "-the -a",
            "cat|-the",
            "~the",
            "cat ~the",
            "~the ~the",
            "~the ~cat",
        ] {
            s.same_unordered(&["FT.SEARCH", index, query, "NOCONTENT"]);
            s.same_unordered(&["FT.SEARCH", index, query, "NOSTOPWORDS", "NOCONTENT"]);
        }
        same_info(&mut s, index, &["num_terms", "num_records", "stopwords_list"]);
    }
}

#[test]
fn a_word_with_a_star_finds_every_token_it_starts() {
    let mut s = Session::new();
    create_on_hash(&mut s, "pre:idx", "pre:", &["SCHEMA", "t", "TEXT", "u", "TEXT"]);
    s.script(&[
        &["HSET", "pre:1", "t", "caching layers for models", "u", "world"],
        &["HSET", "pre:2", "t", "the cached answer"],
        &["HSET", "pre:3", "t", "model of the world"],
    ]);
    // Two characters at least (`m*` finds nothing); stop words are not there to be found.
    for query in [
        "mo*",
        "MOD*",
        "mode*",
        "cachi*",
        "cach*",
        "m*",
        "x*",
        "th*",
        "@t:mod*",
        "@u:wor*",
        "@t:(mod*|answ*)",
        "mod* world",
        "-mod*",
        "mod* -@u:world",
    ] {
        s.same_unordered(&["FT.SEARCH", "pre:idx", query, "NOCONTENT"]);
    }
}

#[test]
fn a_quoted_phrase_finds_its_exact_words_side_by_side() {
    let mut s = Session::new();
    create_on_hash(&mut s, "phr:idx", "phr:", &["SCHEMA", "t", "TEXT", "u", "TEXT"]);
    s.script(&[
        &["HSET", "phr:1", "t", "caching layers for models"],
        &["HSET", "phr:2", "t", "the cached answer", "u", "caching layers"],
        &["HSET", "phr:3", "t", "model of the world"],
        &["HSET", "phr:4", "t", "layers caching, layers! caching"],
        &["HSET", "phr:5", "t", "caching big layers"],
    ]);
    // No stems inside quotes; stop words take no place between words.
    for query in [
        r#""caching layers""#,
        r#""Caching Layers""#,
        r#""cache layer""#,
        r#""layers caching""#,
        r#""model world""#,
        r#""layers models""#,
        r#""caching""#,
        r#""models""#,
        r#""LAYERS, Caching!""#,
        r#"@t:"caching layers""#,
        r#"@u:"caching layers""#,
        r#""caching layers" answer"#,
        r#""caching layers"|answer"#,
        r#"-"caching layers""#,
        r#"@t:("caching layers"|world)"#,
    ] {
        s.same_unordered(&["FT.SEARCH", "phr:idx", query, "NOCONTENT"]);
    }
    // A stop word or a prefix in a phrase, an unclosed or an empty one: errors where RediSearch
    // puts them.
    for query in [
        r#""model of the world""#,
        r#""model OF the world""#,
        r#""layers for models""#,
        r#""of the world""#,
        r#""cach* layers""#,
        r#""caching layers"#,
        r#""""#,
    ] {
        s.same(&["FT.SEARCH", "phr:idx", query, "NOCONTENT"]);
    }
}

#[test]
fn optional_clauses_never_narrow_and_an_empty_query_finds_nothing() {
    let mut s = Session::new();
    create_on_hash(&mut s, "opt:idx", "opt:", &["SCHEMA", "t", "TEXT"]);
    for (i, word) in ["model", "models", "cache", "caching", "hello"].iter().enumerate() {
        s.run(&["HSET", &format!("opt:{i}"), "t", word]);
    }
    for query in [
        "~model",
        "cache ~model",
        "~model ~cache",
        "cache|~model",
        "~@t:model",
        "~(model|cache)",
        "-~model",
        "",
        "   ",
    ] {
        s.same(&["FT.SEARCH", "opt:idx", query, "NOCONTENT", "LIMIT", "0", "0"]);
        s.same_unordered(&["FT.SEARCH", "opt:idx", query, "NOCONTENT"]);
    }
}

#[test]
fn a_star_before_a_word_finds_terms_it_ends_or_is_inside() {
    let mut s = Session::new();
    create_on_hash(&mut s, "fix:idx", "fix:", &["SCHEMA", "t", "TEXT", "u", "TEXT"]);
    s.script(&[
        &["HSET", "fix:1", "t", "model caching", "u", "world"],
        &["HSET", "fix:2", "t", "caching servers"],
        &["HSET", "fix:3", "t", "The Running"],
        // Porter2 stems `dying` to `die`: suffixes see it (`*ie`), prefixes do not (`die*`).
        &["HSET", "fix:4", "t", "dying flies"],
    ]);
    // Stems are terms too (`*ach` finds `caching` by `cach`); two characters at least; stop
    // words are not indexed; letters fold as in words.
    for query in [
        "*ach", "*ach*", "*ache*", "*o*", "*l", "*el", "*ING", "*unn*", "*runn", "*he", "*ers", "*erv*",
        "*s", "-*el", "~*el", "*el|*ers", "@t:*el", "@t:(*el)", "@u:*orl*", "*ode*l", "*el*el", "die*",
        "*ie", "fly*", "*fli*", "dyi*",
    ] {
        for dialect in ["1", "2"] {
            s.same_unordered(&["FT.SEARCH", "fix:idx", query, "NOCONTENT", "DIALECT", dialect]);
        }
    }
}

/// A bare `*` is a whole query (in parentheses from DIALECT 2 on), nothing else: beside other
/// clauses RediSearch refuses it, at the offset and "near" the text its lexer reports.
#[test]
fn a_bare_star_beside_anything_is_a_syntax_error() {
    let mut s = Session::new();
    create_on_hash(&mut s, "star:idx", "star:", &["SCHEMA", "t", "TEXT", "g", "TAG", "n", "NUMERIC"]);
    s.same(&["HSET", "star:1", "t", "model caching", "g", "x", "n", "1"]);
    for query in [
        "*",
        " * ",
        "(*)",
        "((*))",
        "( * )",
        "mod *",
        "* mod",
        "mod|*",
        "-*",
        "~*",
        "* *",
        "@g:{x} *",
        "(*) mod",
        "mod (*)",
        "(mod) *",
        "* | mod",
        "@t:(*)",
        "-(*)",
        "(*)|(*)",
        "mod * abc",
        "mod abc *",
        "\"mod\" *",
        "a \"b c\" *",
        "mod* *",
        "@g:{x|y} *",
        "@n:[1 2] *",
        "a -b *",
        "(a) | *",
        "**el",
        "* -mod",
        "* @t:x",
        "* \"x y\"",
        "(*) (mod)",
        "* ~mod",
        "* (",
        "* )",
        "(* mod)",
        "((*)",
        "(*))",
        "(*",
        "* mod*",
        "* *mod",
        "* @n:[1 2]",
        "*)",
    ] {
        for dialect in ["1", "2"] {
            s.same_unordered(&["FT.SEARCH", "star:idx", query, "NOCONTENT", "DIALECT", dialect]);
        }
    }
    // With KNN after it: the star in parentheses from DIALECT 2 on, the arrow refused in 1.
    for query in ["*=>[KNN 2 @v $b]", "(*)=>[KNN 2 @v $b]", "* =>[KNN 2 @v $b]"] {
        for dialect in ["1", "2"] {
            s.same(&["FT.SEARCH", "star:idx", query, "DIALECT", dialect]);
        }
    }
}
