//! FT.SEARCH scores against RediSearch 2.10: WITHSCORES with every SCORER (TFIDF, the default;
//! TFIDF.DOCNORM, BM25, BM25STD, DISMAX, DOCSCORE, HAMMING) to the last printed digit, and the
//! default result order (by score, ties by document age) for text, tag, numeric and `*`
//! queries, in RESP2 and RESP3. Documents are only added (never changed): RediSearch counts a
//! replaced document in its term statistics until its garbage collector runs.

mod common;

use common::Session;

const SCORERS: [&str; 7] = ["TFIDF", "TFIDF.DOCNORM", "BM25", "BM25STD", "DISMAX", "DOCSCORE", "HAMMING"];

fn corpus(s: &mut Session) {
    s.same(&[
        "FT.CREATE",
        "sc:idx",
        "PREFIX",
        "1",
        "sc:",
        "SCHEMA",
        "t",
        "TEXT",
        "b",
        "TEXT",
        "WEIGHT",
        "2",
        "g",
        "TAG",
        "n",
        "NUMERIC",
        "SORTABLE",
        "raw",
        "TEXT",
        "NOSTEM",
    ]);
    s.script(&[
        &["HSET", "sc:1", "t", "hello world models", "g", "a", "n", "1"],
        &["HSET", "sc:2", "t", "hello hello model of the model", "b", "world", "g", "a,b", "n", "2"],
        &["HSET", "sc:3", "t", "other text modeling", "b", "hello there", "g", "b", "n", "3"],
        &["HSET", "sc:4", "t", "nothing", "n", "4"],
        &["HSET", "sc:5", "t", "alpha beta gamma alpha delta beta", "raw", "running models"],
        &["HSET", "sc:6", "t", "gamma beta alpha helps", "b", "help hello", "raw", "runs"],
        &["HSET", "sc:7", "g", "c", "n", "7"],
    ]);
}

const QUERIES: [&str; 24] = [
    "hello",
    "models",
    "model",
    "modeling",
    "hello world",
    "hello|world",
    "world hello",
    "@g:{a}",
    "@g:{a|b}",
    "@n:[1 3]",
    "*",
    "hello -world",
    "hello ~world",
    "hel*",
    "alpha beta gamma",
    "gamma beta alpha",
    "\"alpha beta\"",
    "@t:hello",
    "@b:hello",
    "hello @g:{a|b}",
    "hello @n:[1 2]",
    "@raw:running",
    "(hello|alpha) (world|beta)",
    "the hello",
];

#[test]
fn every_scorer_prints_redisearchs_scores_in_its_order() {
    let mut s = Session::new();
    corpus(&mut s);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for q in QUERIES {
            // The default scorer, and the order without WITHSCORES.
            s.same(&["FT.SEARCH", "sc:idx", q, "WITHSCORES", "NOCONTENT"]);
            s.same(&["FT.SEARCH", "sc:idx", q, "NOCONTENT"]);
            for scorer in SCORERS {
                s.same(&["FT.SEARCH", "sc:idx", q, "WITHSCORES", "NOCONTENT", "SCORER", scorer]);
                s.same(&["FT.SEARCH", "sc:idx", q, "NOCONTENT", "SCORER", scorer, "LIMIT", "1", "3"]);
            }
            s.same(&["FT.SEARCH", "sc:idx", q, "WITHSCORES", "NOCONTENT", "VERBATIM"]);
        }
    }
}

#[test]
fn scores_with_documents_sortby_and_limits() {
    let mut s = Session::new();
    corpus(&mut s);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.same(&["FT.SEARCH", "sc:idx", "hello", "WITHSCORES"]);
        s.same(&["FT.SEARCH", "sc:idx", "hello", "WITHSCORES", "RETURN", "1", "t", "LIMIT", "0", "2"]);
        s.same(&["FT.SEARCH", "sc:idx", "models", "WITHSCORES", "NOCONTENT", "SORTBY", "n", "DESC"]);
        s.same(&["FT.SEARCH", "sc:idx", "models", "WITHSCORES", "SORTBY", "n", "SCORER", "BM25STD"]);
        s.same(&[
            "FT.SEARCH",
            "sc:idx",
            "*",
            "WITHSCORES",
            "WITHSCORES",
            "LIMIT",
            "1",
            "1",
            "SCORER",
            "DISMAX",
        ]);
        s.same(&["FT.SEARCH", "sc:idx", "hel*", "WITHSCORES", "LIMIT", "0", "0"]);
        s.same(&[
            "FT.SEARCH",
            "sc:idx",
            "hello",
            "WITHSCORES",
            "NOCONTENT",
            "SCORER",
            "DISMAX",
            "SCORER",
            "BM25",
        ]);
    }
}

#[test]
fn scorer_errors() {
    let mut s = Session::new();
    corpus(&mut s);
    s.script(&[
        &["FT.SEARCH", "sc:idx", "hello", "SCORER", "foo"],
        &["FT.SEARCH", "sc:idx", "hello", "SCORER", "bm25std"],
        &["FT.SEARCH", "sc:idx", "hello(", "SCORER", "foo"],
        &["FT.SEARCH", "sc:nosuch", "hello", "SCORER", "foo"],
        &["FT.SEARCH", "sc:nosuch", "hello", "SCORER"],
        &["FT.SEARCH", "sc:idx", "hello", "WITHSCORES", "SCORER"],
    ]);
}

#[test]
fn indexes_without_text_score_by_their_empty_lengths() {
    let mut s = Session::new();
    s.same(&["FT.CREATE", "nt:idx", "PREFIX", "1", "nt:", "SCHEMA", "g", "TAG", "n", "NUMERIC"]);
    s.script(&[&["HSET", "nt:1", "g", "a", "n", "1"], &["HSET", "nt:2", "g", "a,b", "n", "2"]]);
    for q in ["*", "@g:{a}", "@g:{a|b}", "@n:[-inf +inf]"] {
        for scorer in SCORERS {
            s.same(&["FT.SEARCH", "nt:idx", q, "WITHSCORES", "NOCONTENT", "SCORER", scorer]);
        }
    }
}

#[test]
fn documents_without_text_and_with_vectors() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "nv:idx",
        "PREFIX",
        "1",
        "nv:",
        "SCHEMA",
        "t",
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
        "1",
        "DISTANCE_METRIC",
        "L2",
    ]);
    s.script(&[
        &["HSET", "nv:1", "n", "1"],
        &["HSET", "nv:2", "t", "the", "n", "1"],
        &["HSET", "nv:3", "t", "", "n", "1"],
        &["HSET", "nv:4", "t", "a b c", "n", "1"],
        &["HSET", "nv:5", "n", "1", "v", "\0\0\0\0"],
        &["HSET", "nv:6", "t", "word", "v", "\0\0\0\0"],
        &["HSET", "nv:7", "t", "word", "v", "bad"],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for q in ["*", "@n:[1 1]", "word"] {
            for scorer in SCORERS {
                s.same(&["FT.SEARCH", "nv:idx", q, "WITHSCORES", "NOCONTENT", "SCORER", scorer]);
            }
        }
    }
}

#[test]
fn knn_queries_with_scores_rank_by_score() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "ks",
        "PREFIX",
        "1",
        "ks:",
        "SCHEMA",
        "t",
        "TEXT",
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
    let docs = [
        (0.0f32, 0.0f32, "hello world"),
        (1.0, 0.0, "hello"),
        (0.0, 2.0, "world peace"),
        (3.0, 3.0, "hello hello"),
        (0.5, 0.5, "other"),
    ];
    let blob = |v: &[f32]| bytes::Bytes::from(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>());
    for (i, (x, y, t)) in docs.iter().enumerate() {
        let mut c = common::args(&["HSET", &format!("ks:{i}"), "t", t, "v"]);
        c.push(blob(&[*x, *y]));
        s.same_bytes(&c);
    }
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for q in [
            "*=>[KNN 3 @v $b AS d]",
            "hello=>[KNN 3 @v $b AS d]",
            "(hello world)=>[KNN 3 @v $b]",
            "(hello|peace)=>[KNN 4 @v $b]",
        ] {
            for scorer in SCORERS {
                for extra in [&["WITHSCORES"][..], &[]] {
                    let mut c = common::args(&["FT.SEARCH", "ks", q, "NOCONTENT", "SCORER", scorer]);
                    c.extend(common::args(extra));
                    c.extend(common::args(&["PARAMS", "2", "b"]));
                    c.push(blob(&[0.1, 0.1]));
                    c.extend(common::args(&["DIALECT", "2"]));
                    s.same_bytes(&c);
                }
            }
        }
    }
}

#[test]
fn field_weights_stems_and_affixes() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "wt",
        "PREFIX",
        "1",
        "wt:",
        "SCHEMA",
        "a",
        "TEXT",
        "WEIGHT",
        "0.5",
        "b",
        "TEXT",
        "WEIGHT",
        "3",
        "c",
        "TEXT",
        "WEIGHT",
        "10",
        "NOSTEM",
        "d",
        "TEXT",
        "WEIGHT",
        "12.7",
    ]);
    s.script(&[
        &["HSET", "wt:1", "a", "running runners run", "b", "runs", "c", "running", "d", "ran running"],
        &["HSET", "wt:2", "a", "the cats", "b", "cat", "d", "catalog cats"],
        &["HSET", "wt:3", "c", "cats running", "d", "its it is"],
        &["HSET", "wt:4", "a", "jumping jumps", "b", "run run run", "c", "dogs"],
        &["HSET", "wt:5", "a", "a b c d e f g h", "d", "running cat"],
    ]);
    for q in [
        "running",
        "run",
        "runs",
        "cat",
        "cats",
        "catalog",
        "its",
        "jump",
        "run*",
        "cat*",
        "*ing",
        "*atalo*",
        "@a:run",
        "@c:running",
        "\"running cat\"",
        "running -cat",
        "running ~cat",
        // RediSearch does not expand (stem) words under `~` or `-`: they match as typed.
        "running ~cats",
        "~(cats running)",
        "-cats",
        "running -runs",
        "-@a:(jumps|cats)",
        "cat|dogs|jumps",
        "run cat",
        "running running",
        "@a:(running|cats|jumps)",
        "@d:(running|cats|catalog)",
        "running|cats|jumps",
        "(running|cats)|(jumps|runs)",
        "runs|(cats|jumps)",
    ] {
        for scorer in SCORERS {
            s.same(&["FT.SEARCH", "wt", q, "WITHSCORES", "NOCONTENT", "SCORER", scorer]);
        }
        s.same(&["FT.SEARCH", "wt", q, "WITHSCORES", "NOCONTENT", "VERBATIM"]);
    }
}

#[test]
fn explainscore_says_how_each_scorer_got_there() {
    let mut s = Session::new();
    corpus(&mut s);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for q in [
            "hello",
            "models",
            "hello world",
            "hello|world",
            "@g:{a}",
            "@g:{a|b}",
            "@n:[1 3]",
            "*",
            "hello -world",
            "hello ~world",
        ] {
            for scorer in SCORERS {
                s.same(&[
                    "FT.SEARCH",
                    "sc:idx",
                    q,
                    "WITHSCORES",
                    "EXPLAINSCORE",
                    "NOCONTENT",
                    "SCORER",
                    scorer,
                ]);
            }
        }
        s.same(&["FT.SEARCH", "sc:idx", "hello", "EXPLAINSCORE", "NOCONTENT"]);
    }
}

/// ON JSON indexes score their TEXT fields like hashes (single strings per field).
#[test]
fn json_documents_score_like_hashes() {
    let mut s = Session::on_port(common::json_oracle_port());
    s.same(&[
        "FT.CREATE",
        "js",
        "ON",
        "JSON",
        "PREFIX",
        "1",
        "js:",
        "SCHEMA",
        "$.t",
        "AS",
        "t",
        "TEXT",
        "$.b",
        "AS",
        "b",
        "TEXT",
        "WEIGHT",
        "2",
        "$.g",
        "AS",
        "g",
        "TAG",
    ]);
    s.script(&[
        &["JSON.SET", "js:1", "$", r#"{"t":"hello world models","g":"a"}"#],
        &["JSON.SET", "js:2", "$", r#"{"t":"hello hello model of the model","b":"world","g":"b"}"#],
        &["JSON.SET", "js:3", "$", r#"{"t":"other text modeling","b":"hello there"}"#],
    ]);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for q in ["hello", "models", "hello world", "hello|world", "@g:{a|b}", "*"] {
            for scorer in SCORERS {
                s.same(&["FT.SEARCH", "js", q, "WITHSCORES", "NOCONTENT", "SCORER", scorer]);
            }
        }
    }
}
