//! FT.ALTER ... SCHEMA ADD against RediSearch 2.10: existing documents indexed again with the new
//! field (or not, with SKIPINITIALSCAN), FT.INFO's attributes and counters, and every error in
//! RediSearch's words, in RESP2 and RESP3; plus the arity errors of every FT.* command.

mod common;

use common::Session;

/// The index first, then the documents: RediSearch indexes a write at once, while an index
/// created over existing keys fills in the background (and would race the ALTER below).
fn seed(s: &mut Session) {
    s.script(&[
        &["FT.CREATE", "alt:idx", "ON", "HASH", "PREFIX", "1", "alt:", "SCHEMA", "title", "TEXT"],
        &["HSET", "alt:1", "title", "hello world", "tag", "a", "n", "5"],
        &["HSET", "alt:2", "title", "bye now", "tag", "b", "n", "50"],
    ]);
}

#[test]
fn added_fields_index_existing_documents() {
    let mut s = Session::new();
    seed(&mut s);
    s.script(&[
        &["FT.SEARCH", "alt:idx", "@tag:{a}", "NOCONTENT"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "tag", "TAG", "n", "NUMERIC", "SORTABLE"],
    ]);
    common::wait_indexed(&mut s, "alt:idx");
    // The rescan gives documents new ids in the keyspace's (hash) order: sort, or compare as sets.
    s.same(&["FT.SEARCH", "alt:idx", "@tag:{a|b}", "NOCONTENT", "SORTBY", "n", "DESC"]);
    s.same_unordered(&["FT.SEARCH", "alt:idx", "@tag:{a|b}", "NOCONTENT"]);
    s.same(&["FT.SEARCH", "alt:idx", "@n:[10 100]", "NOCONTENT"]);
    s.script(&[
        &["HSET", "alt:3", "title", "third", "tag", "c", "n", "7"],
        &["FT.SEARCH", "alt:idx", "@tag:{c}", "RETURN", "1", "n"],
        &[
            "FT.ALTER",
            "alt:idx",
            "SKIPINITIALSCAN",
            "schema",
            "add",
            "t2",
            "TAG",
            "SEPARATOR",
            ";",
            "CASESENSITIVE",
        ],
        &[
            "FT.ALTER",
            "alt:idx",
            "SKIPINITIALSCAN",
            "SCHEMA",
            "ADD",
            "v",
            "VECTOR",
            "HNSW",
            "6",
            "TYPE",
            "FLOAT32",
            "DIM",
            "2",
            "DISTANCE_METRIC",
            "L2",
        ],
    ]);
    let (theirs, ours) = s.both(&["FT.INFO", "alt:idx"]);
    let attrs = |f: &playground_engine::Frame| common::canonical(&common::info_field(f, "attributes"));
    assert_eq!(attrs(&ours), attrs(&theirs));
    for field in ["num_docs", "max_doc_id", "hash_indexing_failures"] {
        assert_eq!(common::info_field(&ours, field), common::info_field(&theirs, field), "{field}");
    }
    s.run(&["FT.DROPINDEX", "alt:idx"]);
}

#[test]
fn skipinitialscan_indexes_only_later_writes() {
    let mut s = Session::new();
    seed(&mut s);
    s.script(&[
        &["FT.ALTER", "alt:idx", "SKIPINITIALSCAN", "SCHEMA", "ADD", "tag", "TAG"],
        &["FT.SEARCH", "alt:idx", "@tag:{a|b|c}", "NOCONTENT"],
        &["HSET", "alt:3", "title", "third", "tag", "c"],
        &["HSET", "alt:1", "tag", "a"],
        &["FT.SEARCH", "alt:idx", "@tag:{a|b|c}", "NOCONTENT"],
        &["FT.SEARCH", "alt:idx", "hello", "NOCONTENT"],
    ]);
    s.run(&["FT.DROPINDEX", "alt:idx"]);
}

#[test]
fn errors_in_redisearch_words_and_nothing_half_added() {
    let mut s = Session::new();
    seed(&mut s);
    s.script(&[
        &["FT.ALTER", "nosuch", "SCHEMA", "ADD", "x", "TAG"],
        &["FT.ALTER", "nosuch", "FOO", "ADD", "x", "TAG"],
        &["FT.ALTER", "alt:idx", "FOO", "ADD", "x", "TAG"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "FOO", "x", "TAG"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "x"],
        &["FT.ALTER", "alt:idx", "SKIPINITIALSCAN", "SCHEMA", "ADD", "x"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "x", "BOGUS"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "title", "TAG"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "y", "TAG", "y", "NUMERIC"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "y", "TAG", "z"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "title2", "TEXT", "AS", "title"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "w", "TEXT", "WEIGHT", "abc"],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "v", "VECTOR", "HNSW", "6", "TYPE", "FLOAT32", "DIM", "2"],
        // y was never added: a failed ALTER changes nothing.
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "y", "TAG"],
        &[
            "FT.CREATE",
            "alt:idx2",
            "ON",
            "HASH",
            "PREFIX",
            "1",
            "alt2:",
            "SCHEMA",
            "w",
            "TEXT",
            "WEIGHT",
            "abc",
        ],
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD"],
        &["FT.ALTER", "alt:idx"],
        &["FT.SEARCH", "alt:idx"],
        &["FT.SEARCH", "nosuch"],
        &["FT.SEARCH"],
        &["FT.INFO"],
        &["FT.INFO", "nosuch", "extra"],
        &["FT.CREATE"],
        &["FT.CREATE", "x", "SCHEMA", "f"],
        &["FT.DROPINDEX"],
        &["FT.DROPINDEX", "nosuch", "XX"],
        &["FT.DROPINDEX", "nosuch", "DD", "extra"],
        &["FT._LIST", "x"],
    ]);
    s.run(&["HELLO", "3"]);
    s.script(&[
        &["FT.ALTER", "alt:idx", "SCHEMA", "ADD", "z", "NUMERIC"],
        &["FT.ALTER", "nosuch", "SCHEMA", "ADD", "x", "TAG"],
    ]);
    s.run(&["FT.DROPINDEX", "alt:idx"]);
}
