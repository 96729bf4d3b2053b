//! FT.SEARCH SUMMARIZE against RediSearch 2.10, alone and with HIGHLIGHT: which fragments
//! are chosen (by the IDF of their distinct terms), their order, context, separators and
//! trimming, fields without matches cut to their head, per-field settings merged with the
//! defaults, and the errors in RediSearch's words.

mod common;

use common::Session;

const LONG: &str = "The quick brown fox jumps over the lazy dog. A fox is a small animal that lives in \
forests, and the fox hunts mice at night.   Dogs chase foxes sometimes; many people keep dogs \
as pets, while foxes stay wild in the countryside far away from towns. Running dogs and \
running foxes: a cache of stories about caching, cached tales and a fox again at the very end fox";

fn docs(s: &mut Session) {
    s.run(&["FT.DROPINDEX", "sum:idx"]);
    s.run(&["DEL", "sum:1", "sum:2", "sum:3", "sum:4"]);
    // Long values in a listpack hash, whose fields keep their order.
    s.same(&["CONFIG", "SET", "hash-max-listpack-value", "4096"]);
    s.same(&[
        "FT.CREATE",
        "sum:idx",
        "PREFIX",
        "1",
        "sum:",
        "SCHEMA",
        "title",
        "TEXT",
        "body",
        "TEXT",
        "n",
        "NUMERIC",
        "t",
        "TAG",
    ]);
    s.script(&[
        &["HSET", "sum:1", "title", "Hello world of foxes", "body", LONG, "n", "100", "t", "a,b"],
        &["HSET", "sum:2", "title", "foxes", "body", "nothing\there\n\nat  all", "n", "5"],
        &[
            "HSET",
            "sum:3",
            "title",
            "dogs, dogs and more dogs",
            "body",
            "Cats.\tDogs and mice: dogs!",
            "n",
            "7",
        ],
        &[
            "HSET",
            "sum:4",
            "body",
            "world world world fox world world world world world world world dog world",
        ],
    ]);
}

#[test]
fn summaries_pick_fragments_and_trim() {
    let mut s = Session::new();
    docs(&mut s);
    for q in [
        "fox",
        "dog",
        "fox dog",
        "fox | dog",
        "running",
        "cache",
        "\"lazy dog\"",
        "@title:dogs",
        "mice | world",
        "*",
        "fox -mice",
        "dogs ~cats",
        "dogs ~world",
        "~cats dogs",
        "~dogs fox | world",
    ] {
        for opts in [
            &["SUMMARIZE"][..],
            &["SUMMARIZE", "FRAGS", "1"],
            &["SUMMARIZE", "FRAGS", "2", "LEN", "3"],
            &["SUMMARIZE", "FRAGS", "0"],
            &["SUMMARIZE", "FRAGS", "65537", "LEN", "0"],
            &["SUMMARIZE", "LEN", "40", "SEPARATOR", " | "],
            &["SUMMARIZE", "LEN", "8", "SEPARATOR", ""],
            &["SUMMARIZE", "FIELDS", "1", "body", "FRAGS", "2", "LEN", "6"],
            &["SUMMARIZE", "FIELDS", "2", "title", "n"],
            &["SUMMARIZE", "HIGHLIGHT"],
            &["HIGHLIGHT", "TAGS", "[", "]", "SUMMARIZE", "FRAGS", "1", "LEN", "10"],
            &["SUMMARIZE", "FIELDS", "1", "title", "HIGHLIGHT"],
            &["HIGHLIGHT", "FIELDS", "1", "body", "SUMMARIZE"],
            &["SUMMARIZE", "FIELDS", "1", "body", "HIGHLIGHT", "FIELDS", "1", "title"],
            &["SUMMARIZE", "RETURN", "2", "body", "n"],
            &["RETURN", "1", "title", "HIGHLIGHT", "SUMMARIZE", "FIELDS", "1", "body"],
            &["RETURN", "3", "title", "n", "body", "SUMMARIZE", "FIELDS", "1", "body", "LEN", "4"],
            &[
                "SUMMARIZE",
                "FIELDS",
                "1",
                "body",
                "RETURN",
                "2",
                "title",
                "body",
                "HIGHLIGHT",
                "FIELDS",
                "1",
                "title",
            ],
            &["SUMMARIZE", "VERBATIM"],
        ] {
            let mut cmd = vec!["FT.SEARCH", "sum:idx", q];
            cmd.extend(opts);
            cmd.extend(["SORTBY", "n"]);
            s.same(&cmd);
        }
    }
}

#[test]
fn summaries_in_resp3_and_errors() {
    let mut s = Session::new();
    docs(&mut s);
    s.run(&["HELLO", "3"]);
    s.same(&["FT.SEARCH", "sum:idx", "fox", "SUMMARIZE", "FRAGS", "2", "HIGHLIGHT", "SORTBY", "n"]);
    s.same(&["FT.SEARCH", "sum:idx", "fox", "SUMMARIZE", "WITHSCORES"]);
    s.run(&["HELLO", "2"]);
    for bad in [
        &["SUMMARIZE", "FRAGS"][..],
        &["SUMMARIZE", "FRAGS", "-1"],
        &["SUMMARIZE", "FRAGS", "1.5"],
        &["SUMMARIZE", "FRAGS", "4294967296"],
        &["SUMMARIZE", "LEN", "x"],
        &["SUMMARIZE", "SEPARATOR"],
        &["SUMMARIZE", "FIELDS", "3", "a"],
        &["SUMMARIZE", "FIELDS", "x"],
        &["SUMMARIZE", "FIELDS"],
        &["HIGHLIGHT", "TAGS", "a"],
        &["HIGHLIGHT", "FIELDS", "2", "title"],
    ] {
        let mut cmd = vec!["FT.SEARCH", "sum:idx", "fox"];
        cmd.extend(bad);
        s.same(&cmd);
    }
    s.same(&["FT.AGGREGATE", "sum:idx", "fox", "SUMMARIZE"]);
    s.same(&["FT.AGGREGATE", "sum:idx", "fox", "HIGHLIGHT"]);
}

/// JSON documents: RETURN's fields are summarized and highlighted as a hash's; the whole
/// document (`$`) is a string that SUMMARIZE cuts to its head.
#[test]
fn summaries_of_json_documents() {
    let mut s = Session::on_port(common::json_oracle_port());
    s.run(&["FT.DROPINDEX", "sumj:idx"]);
    s.run(&["DEL", "sumj:1", "sumj:2"]);
    s.same(&[
        "FT.CREATE",
        "sumj:idx",
        "ON",
        "JSON",
        "PREFIX",
        "1",
        "sumj:",
        "SCHEMA",
        "$.title",
        "AS",
        "title",
        "TEXT",
        "$.body",
        "AS",
        "body",
        "TEXT",
    ]);
    s.script(&[
        &["JSON.SET", "sumj:1", "$", r#"{"title":"hello world","body":"The quick brown fox jumps over the lazy dog and the fox runs far away into the forest where nobody finds the fox again"}"#],
        &["JSON.SET", "sumj:2", "$", r#"{"title":"foxes","body":"nothing here"}"#],
    ]);
    for opts in [
        &["HIGHLIGHT"][..],
        &["SUMMARIZE", "FRAGS", "1", "LEN", "4"],
        &["RETURN", "2", "title", "body", "SUMMARIZE", "FRAGS", "1", "LEN", "4", "HIGHLIGHT"],
        &["RETURN", "2", "title", "body", "SUMMARIZE", "FIELDS", "1", "body", "LEN", "6", "SEPARATOR", " | "],
        &["RETURN", "1", "body", "HIGHLIGHT", "TAGS", "[", "]"],
        &["RETURN", "2", "title", "body", "HIGHLIGHT", "FIELDS", "1", "body"],
        &["RETURN", "2", "title", "body", "SUMMARIZE", "FIELDS", "2", "body", "title"],
        &[
            "SUMMARIZE",
            "FIELDS",
            "1",
            "body",
            "RETURN",
            "2",
            "title",
            "body",
            "HIGHLIGHT",
            "FIELDS",
            "1",
            "title",
        ],
    ] {
        let mut cmd = vec!["FT.SEARCH", "sumj:idx", "fox"];
        cmd.extend(opts);
        s.same(&cmd);
    }
}
