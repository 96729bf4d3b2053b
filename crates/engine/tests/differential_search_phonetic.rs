//! PHONETIC text fields against RediSearch 2.10: the matchers FT.CREATE takes and its errors,
//! FT.INFO, queries that find words by their Double Metaphone code (scores included), the
//! `$phonetic` attribute, FT.EXPLAIN's expansion, MIN_PHONETIC_TERM_LEN, and HIGHLIGHT of
//! phonetic matches.

mod common;

use common::{info_field, Session};

fn people(s: &mut Session) {
    s.run(&["FT.DROPINDEX", "ph:idx"]);
    s.run(&["DEL", "ph:1", "ph:2", "ph:3", "ph:4", "ph:5", "ph:6"]);
    s.same(&[
        "FT.CREATE",
        "ph:idx",
        "PREFIX",
        "1",
        "ph:",
        "SCHEMA",
        "name",
        "TEXT",
        "PHONETIC",
        "dm:en",
        "bio",
        "TEXT",
        "city",
        "TEXT",
        "PHONETIC",
        "dm:fr",
        "NOSTEM",
        "n",
        "NUMERIC",
        "SORTABLE",
    ]);
    s.script(&[
        &[
            "HSET",
            "ph:1",
            "name",
            "Michael Schmidt",
            "bio",
            "john smith writes code",
            "city",
            "Paris",
            "n",
            "1",
        ],
        &["HSET", "ph:2", "name", "Mikael Smith", "bio", "jon", "city", "Parys", "n", "2"],
        &["HSET", "ph:3", "name", "Jon Thomas", "bio", "michael knows caesar", "city", "Berlin", "n", "3"],
        &["HSET", "ph:4", "name", "Xavier Wasserman", "bio", "Vasserman", "city", "Lyon", "n", "4"],
        &["HSET", "ph:5", "name", "Ab Ed Philip", "bio", "fillip", "city", "Lion", "n", "5"],
        &["HSET", "ph:6", "name", "Stephen Stefan Steven", "bio", "nothing", "city", "Cologne", "n", "6"],
    ]);
}

/// One test: MIN_PHONETIC_TERM_LEN is the oracle's global setting, so nothing runs beside it.
#[test]
fn phonetic_fields() {
    let mut s = Session::new();
    create_options_and_errors(&mut s);
    queries_match_by_sound(&mut s);
    minimum_term_length_applies_when_indexing(&mut s);
}

fn create_options_and_errors(s: &mut Session) {
    s.same(&["FT.CONFIG", "SET", "MIN_PHONETIC_TERM_LEN", "3"]);
    people(s);
    info(s);
    s.run(&["FT.DROPINDEX", "ph:bad"]);
    for schema in [
        &["t", "TEXT", "PHONETIC"][..],
        &["t", "TEXT", "PHONETIC", "dm:de"],
        &["t", "TEXT", "PHONETIC", "DM:EN"],
        &["t", "TEXT", "PHONETIC", "dm:en:"],
        &["t", "TEXT", "PHONETIC", "xx:en"],
        &["t", "TAG", "PHONETIC", "dm:en"],
        &["t", "NUMERIC", "PHONETIC", "dm:en"],
        &["t", "TEXT", "PHONETIC", "dm:pt", "PHONETIC", "dm:es", "SORTABLE"],
    ] {
        let mut cmd = vec!["FT.CREATE", "ph:bad", "PREFIX", "1", "nothing:", "SCHEMA"];
        cmd.extend(schema);
        s.same(&cmd);
        s.run(&["FT.DROPINDEX", "ph:bad"]);
    }
}

/// FT.INFO's schema and counts (its sizes and timings are RediSearch's own).
fn info(s: &mut Session) {
    let (ours, theirs) = s.run(&["FT.INFO", "ph:idx"]);
    for name in ["attributes", "num_docs", "num_terms", "num_records", "records_per_doc_avg"] {
        assert_eq!(info_field(&ours, name), info_field(&theirs, name), "{name}");
    }
}

fn queries_match_by_sound(s: &mut Session) {
    s.same(&["FT.CONFIG", "SET", "MIN_PHONETIC_TERM_LEN", "3"]);
    people(s);
    for q in [
        "mikel",
        "michael",
        "smith",
        "schmidt",
        "smit",
        "@name:smit",
        "@bio:smit",
        "@city:parris",
        "@city:lyon",
        "vasserman",
        "@name:vasserman",
        "filip",
        "@name:filip",
        "stephan",
        "jon",
        "john",
        "ab",
        "@name:ab",
        "mikel smit",
        "mikel | jon",
        "\"mikel smit\"",
        "mikel=>{$phonetic:false}",
        "mikel=>{$phonetic:true}",
        "@name:mikel=>{$phonetic:0}",
        "@bio:mikel=>{$phonetic:true}",
        "@bio:mikel=>{$phonetic:false}",
        "(mikel smit)=>{$phonetic:false}",
        "smit=>{$phonetic:maybe}",
        "smit=>{$weight:x}",
        "smit=>{$slop:x}",
        "smit=>{$inorder:x}",
        "smit=>{$phonetic:TRUE; $weight: 2}",
        "-smit",
        "~smit mikel",
        "mik*",
        "%mikel%",
    ] {
        s.same(&["FT.SEARCH", "ph:idx", q, "WITHSCORES", "NOCONTENT", "SORTBY", "n"]);
        s.same(&["FT.SEARCH", "ph:idx", q, "WITHSCORES", "RETURN", "1", "name"]);
        s.same(&["FT.SEARCH", "ph:idx", q, "VERBATIM", "NOCONTENT"]);
        s.same(&["FT.SEARCH", "ph:idx", q, "WITHSCORES", "SCORER", "BM25", "NOCONTENT"]);
        s.same(&["FT.SEARCH", "ph:idx", q, "HIGHLIGHT", "SORTBY", "n"]);
        s.same(&["FT.EXPLAIN", "ph:idx", q]);
        s.same(&["FT.EXPLAIN", "ph:idx", q, "VERBATIM"]);
    }
    s.same(&["FT.SEARCH", "ph:idx", "smit", "DIALECT", "2", "WITHSCORES", "NOCONTENT"]);
    s.same(&["FT.AGGREGATE", "ph:idx", "mikel", "LOAD", "1", "@name", "SORTBY", "2", "@n", "ASC"]);
}

fn minimum_term_length_applies_when_indexing(s: &mut Session) {
    s.same(&["FT.CONFIG", "SET", "MIN_PHONETIC_TERM_LEN", "6"]);
    people(s);
    for q in ["mikel", "smit", "vasserman", "filip", "jon"] {
        s.same(&["FT.SEARCH", "ph:idx", q, "WITHSCORES", "NOCONTENT", "SORTBY", "n"]);
    }
    info(s);
    s.same(&["FT.CONFIG", "SET", "MIN_PHONETIC_TERM_LEN", "1"]);
    s.same(&["HSET", "ph:7", "name", "Ed", "n", "7"]);
    s.same(&["FT.SEARCH", "ph:idx", "ad", "NOCONTENT"]);
    s.same(&["FT.SEARCH", "ph:idx", "smit", "NOCONTENT", "SORTBY", "n"]);
    s.same(&["FT.CONFIG", "SET", "MIN_PHONETIC_TERM_LEN", "3"]);
    s.same(&["FT.CONFIG", "GET", "MIN_PHONETIC_TERM_LEN"]);
    s.run(&["DEL", "ph:7"]);
}
