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

/// Random texts (words, stop words, punctuation, runs of spaces and newlines) summarized with
/// random settings: fragment choice, context and trimming must match RediSearch's everywhere.
#[test]
fn random_summaries() {
    use common::Choose;
    use rand_core::SeedableRng;
    struct Gen(rand_xoshiro::Xoshiro256PlusPlus);
    impl Choose for Gen {
        fn rng(&mut self) -> &mut rand_xoshiro::Xoshiro256PlusPlus {
            &mut self.0
        }
    }
    let seed = std::env::var("SUMMARIZE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    println!("seed {seed}");
    let mut g = Gen(rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed));
    let words = [
        "cache", "caching", "cached", "redis", "vector", "index", "search", "the", "a", "of", "fast",
        "memory", "store", "data",
    ];
    let seps = [" ", " ", " ", "  ", ", ", ". ", "\n", " - ", "; ", "\t"];
    let mut s = Session::new();
    s.run(&["FT.DROPINDEX", "sumr:idx", "DD"]);
    s.same(&[
        "FT.CREATE",
        "sumr:idx",
        "PREFIX",
        "1",
        "sumr:",
        "SCHEMA",
        "a",
        "TEXT",
        "b",
        "TEXT",
        "n",
        "NUMERIC",
        "SORTABLE",
    ]);
    let text = |g: &mut Gen| {
        let len = 1 + g.below(60);
        let mut out = String::new();
        for i in 0..len {
            if i > 0 {
                out.push_str(g.pick(&seps));
            }
            out.push_str(g.pick(&words));
        }
        out
    };
    // Long texts would make the hashes hashtables, whose field order (which replies follow)
    // comes from Redis's seeded dict hashing: keep them listpacks, in insertion order.
    s.same(&["CONFIG", "SET", "hash-max-listpack-value", "4096"]);
    for d in 0..25 {
        let (a, b) = (text(&mut g), text(&mut g));
        let key = format!("sumr:{d}");
        let n = d.to_string();
        s.same(&["HSET", &key, "a", &a, "b", &b, "n", &n]);
    }
    for _ in 0..150 {
        let q = match g.below(4) {
            0 => g.pick(&words).to_string(),
            1 => format!("{} {}", g.pick(&words), g.pick(&words)),
            2 => format!("{}|{}", g.pick(&words), g.pick(&words)),
            _ => format!("@a:{}", g.pick(&words)),
        };
        let frags = g.below(5).to_string();
        let len = g.below(30).to_string();
        let mut cmd = vec!["FT.SEARCH", "sumr:idx", &q, "SUMMARIZE", "FRAGS", &frags, "LEN", &len];
        if g.below(2) == 0 {
            cmd.push("HIGHLIGHT");
        }
        cmd.extend(["SORTBY", "n", "LIMIT", "0", "30"]);
        s.same(&cmd);
    }
}

/// RediSearch's tokenizer: only its separators split words; a newline or other control byte
/// inside a word is dropped (`hello\nworld` is the token `helloworld`), a backslash escapes a
/// separator. Searches, highlights and summaries follow.
#[test]
fn tokens_as_redisearch_reads_them() {
    let mut s = Session::new();
    s.run(&["FT.DROPINDEX", "tok:idx", "DD"]);
    s.same(&[
        "FT.CREATE",
        "tok:idx",
        "PREFIX",
        "1",
        "tok:",
        "SCHEMA",
        "t",
        "TEXT",
        "n",
        "NUMERIC",
        "SORTABLE",
    ]);
    s.script(&[
        &["HSET", "tok:1", "t", "hello\nworld and more\r\nlines here", "n", "1"],
        &["HSET", "tok:2", "t", "under_score a\\-b x\\ y back\\\\slash", "n", "2"],
        &["HSET", "tok:3", "t", "tab\tsplit\x0bvt world", "n", "3"],
    ]);
    for q in [
        "hello",
        "world",
        "helloworld",
        "morelines",
        "lines",
        "under_score",
        "tabs",
        "split",
        "splitvt",
        "a*",
        "x*",
        "back*",
    ] {
        s.same(&["FT.SEARCH", "tok:idx", q, "HIGHLIGHT", "SORTBY", "n"]);
        s.same(&["FT.SEARCH", "tok:idx", q, "SUMMARIZE", "LEN", "2", "SORTBY", "n"]);
    }
    s.same(&["FT.SEARCH", "tok:idx", "*", "SUMMARIZE", "FRAGS", "1", "LEN", "1", "SORTBY", "n"]);
}
