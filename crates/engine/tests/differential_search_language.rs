//! LANGUAGE and LANGUAGE_FIELD against RediSearch 2.10: each language's stems (as FT.EXPLAIN
//! shows a query's expansion), documents indexed in their own language, FT.SEARCH /
//! FT.AGGREGATE LANGUAGE, FT.INFO, errors.

mod common;

use common::{info_field, Session};

/// Words of each language that rust-stemmers has a stemmer for.
const WORDS: &[(&str, &str)] = &[
    ("english", "running studies generously"),
    ("french", "chanteuses chantaient continuellement"),
    ("german", "häuser laufende aufeinanderfolgenden"),
    ("spanish", "corriendo canciones rápidamente"),
    ("italian", "cantando abbandonata"),
    ("portuguese", "correndo canções"),
    ("dutch", "lopende huizen"),
    ("swedish", "springande husen"),
    ("norwegian", "løpende husene"),
    ("danish", "løbende husene"),
    ("finnish", "juoksevat taloissa"),
    ("hungarian", "házakban futott"),
    ("romanian", "cântând casele"),
    ("russian", "бегущие домами"),
    ("greek", "τρέχοντας σπίτια"),
    ("turkish", "koşuyorlar evlerde"),
    ("arabic", "المكتبات"),
    ("tamil", "படித்தான்"),
];

#[test]
fn stems_of_every_language() {
    let mut s = Session::new();
    for (lang, words) in WORDS {
        s.same(&["FT.CREATE", lang, "LANGUAGE", lang, "PREFIX", "1", "none:", "SCHEMA", "t", "TEXT"]);
        for word in words.split(' ') {
            s.same(&["FT.EXPLAIN", lang, word]);
        }
        s.same(&["FT.EXPLAIN", "english", words, "LANGUAGE", lang]);
    }
    // The other languages (differential_search_stem.rs checks their stems; Chinese is segmented
    // by RediSearch, kept whole here).
    for lang in [
        "armenian",
        "basque",
        "catalan",
        "hindi",
        "indonesian",
        "irish",
        "lithuanian",
        "nepali",
        "serbian",
        "yiddish",
        "chinese",
        "FRENCH",
    ] {
        s.same(&["FT.CREATE", lang, "LANGUAGE", lang, "PREFIX", "1", "none:", "SCHEMA", "t", "TEXT"]);
    }
    s.script(&[
        &["FT.EXPLAIN", "armenian", "running"],
        &["FT.CREATE", "bad", "LANGUAGE", "klingon", "SCHEMA", "t", "TEXT"],
        &["FT.CREATE", "bad", "LANGUAGE"],
        &["FT.EXPLAIN", "english", "running", "LANGUAGE", "klingon"],
    ]);
}

#[test]
fn documents_in_their_language() {
    let mut s = Session::new();
    s.script(&[
        &["FT.CREATE", "fr", "LANGUAGE", "french", "PREFIX", "1", "fr:", "SCHEMA", "t", "TEXT"],
        &["FT.CREATE", "lf", "LANGUAGE_FIELD", "lang", "PREFIX", "1", "lf:", "SCHEMA", "t", "TEXT"],
        &[
            "FT.CREATE",
            "both",
            "LANGUAGE_FIELD",
            "lg",
            "LANGUAGE",
            "german",
            "PREFIX",
            "1",
            "b:",
            "SCHEMA",
            "t",
            "TEXT",
        ],
        &["HSET", "fr:1", "t", "les chanteuses chantaient"],
        &["HSET", "fr:2", "t", "running fast", "__language", "english"],
        &["HSET", "lf:1", "t", "chanteuses", "lang", "french"],
        &["HSET", "lf:2", "t", "running", "lang", "klingon"],
        &["HSET", "lf:3", "t", "chanteuses running"],
        &["HSET", "b:1", "t", "häuser", "lg", "german"],
        &["HSET", "b:2", "t", "runs häuser", "lg", "English"],
        &["FT.SEARCH", "fr", "chanteuse", "NOCONTENT"],
        &["FT.SEARCH", "fr", "chantaient", "NOCONTENT", "WITHSCORES"],
        &["FT.SEARCH", "fr", "run", "NOCONTENT"],
        &["FT.SEARCH", "fr", "running", "NOCONTENT", "LANGUAGE", "english"],
        &["FT.SEARCH", "fr", "chanteuse", "NOCONTENT", "LANGUAGE", "english"],
        &["FT.SEARCH", "fr", "chanteuse", "NOCONTENT", "LANGUAGE", "klingon"],
        &["FT.SEARCH", "lf", "chanteuse", "NOCONTENT"],
        &["FT.SEARCH", "lf", "chanteuse", "NOCONTENT", "LANGUAGE", "french"],
        &["FT.SEARCH", "lf", "run", "NOCONTENT"],
        &["FT.SEARCH", "both", "haus", "NOCONTENT"],
        &["FT.SEARCH", "both", "run", "NOCONTENT", "LANGUAGE", "english"],
        &[
            "FT.AGGREGATE",
            "fr",
            "chanteuse",
            "LANGUAGE",
            "french",
            "GROUPBY",
            "0",
            "REDUCE",
            "COUNT",
            "0",
            "AS",
            "n",
        ],
        &["FT.AGGREGATE", "fr", "chanteuse", "LANGUAGE", "klingon"],
        &["FT.SPELLCHECK", "fr", "chanteuze"],
    ]);
    for idx in ["fr", "lf", "both"] {
        let (redis, ours) = s.both(&["FT.INFO", idx]);
        for field in ["index_definition", "num_docs", "num_terms", "num_records"] {
            assert_eq!(info_field(&ours, field), info_field(&redis, field), "FT.INFO {idx} {field}");
        }
    }
}
