//! FT.CREATE / FT.SEARCH against RediSearch 2.10 (the oracle): the course's semantic-cache flow
//! byte for byte, filters, errors and RESP3 shapes.

mod common;

use bytes::Bytes;
use common::{args, decode, pseudo_random_vector, Session};
use playground_engine::Frame;

fn blob(v: &[f32]) -> Bytes {
    Bytes::from(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>())
}

fn cmd(parts: &[&str]) -> Vec<Bytes> {
    args(parts)
}

/// Compare replies byte for byte, scores included: the engine reports distances with VecSim's
/// own summation order (see `search::vector::vecsim_f32`).
#[track_caller]
fn same_with_scores(s: &mut Session, c: &[Bytes]) {
    s.same_bytes(c);
}

/// The course's exercise: DIM 1536 COSINE HNSW, 10 Q&A pairs with EXPIRE, rephrased queries.
#[test]
fn seed_semantic_cache_flow() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "idx:cache",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "cache:",
        "SCHEMA",
        "prompt",
        "TEXT",
        "response",
        "TEXT",
        "embedding",
        "VECTOR",
        "HNSW",
        "6",
        "TYPE",
        "FLOAT32",
        "DIM",
        "1536",
        "DISTANCE_METRIC",
        "COSINE",
    ]);
    s.same(&["FT.CREATE", "idx:cache", "SCHEMA", "x", "TEXT"]);
    for i in 0..10u64 {
        let key = format!("cache:{i:032x}");
        let mut c =
            cmd(&["HSET", &key, "prompt", &format!("question {i}"), "response", &format!("answer {i}")]);
        c.push(Bytes::from_static(b"embedding"));
        c.push(blob(&pseudo_random_vector(i + 1, 1536)));
        s.same_bytes(&c);
        s.same(&["EXPIRE", &key, "3600"]);
    }
    for i in 0..10u64 {
        // A rephrased question: the stored vector plus a little noise (similarity ~0.99), and an
        // unrelated one (a miss).
        let base = pseudo_random_vector(i + 1, 1536);
        let noise = pseudo_random_vector(i + 100, 1536);
        let near: Vec<f32> = base.iter().zip(&noise).map(|(a, b)| a + 0.1 * b).collect();
        for q in [near, pseudo_random_vector(i + 500, 1536)] {
            let mut c = cmd(&[
                "FT.SEARCH",
                "idx:cache",
                "*=>[KNN 1 @embedding $blob AS score]",
                "PARAMS",
                "2",
                "blob",
            ]);
            c.push(blob(&q));
            c.extend(cmd(&["RETURN", "2", "response", "score", "DIALECT", "2"]));
            same_with_scores(&mut s, &c);
            let mut c = cmd(&[
                "FT.SEARCH",
                "idx:cache",
                "*=>[KNN 3 @embedding $blob AS score]",
                "PARAMS",
                "2",
                "blob",
            ]);
            c.push(blob(&q));
            c.extend(cmd(&["RETURN", "3", "prompt", "response", "score", "SORTBY", "score", "DIALECT", "2"]));
            same_with_scores(&mut s, &c);
        }
    }
}

/// Small exact vectors (integers): scores print identically, byte for byte, FLAT and HNSW, L2
/// and IP, with filters, ranges, sorting and paging.
#[test]
fn knn_filters_and_shapes_byte_exact() {
    let mut s = Session::new();
    for (name, algo) in [("idx:f", "FLAT"), ("idx:h", "HNSW")] {
        s.same(&[
            "FT.CREATE",
            name,
            "ON",
            "HASH",
            "PREFIX",
            "1",
            "d:",
            "SCHEMA",
            "title",
            "TEXT",
            "genre",
            "TAG",
            "year",
            "NUMERIC",
            "SORTABLE",
            "v",
            "VECTOR",
            algo,
            "6",
            "TYPE",
            "FLOAT32",
            "DIM",
            "3",
            "DISTANCE_METRIC",
            "L2",
        ]);
    }
    let docs = [
        ("d:1", "red apple pie", "food,sweet", "2001", [1.0f32, 0.0, 0.0]),
        ("d:2", "green apple", "food", "1999", [0.0, 2.0, 0.0]),
        ("d:3", "blue car", "auto", "2010", [1.0, 1.0, 0.0]),
        ("d:4", "red car", "auto,fast", "2015", [3.0, 0.0, 1.0]),
        ("d:5", "yellow banana", "food,sweet", "2020", [0.0, 0.0, 4.0]),
        ("d:6", "bad vector", "food", "2000", [0.0, 0.0, 0.0]),
    ];
    for (key, title, genre, year, v) in docs {
        let mut c = cmd(&["HSET", key, "title", title, "genre", genre, "year", year, "v"]);
        if key == "d:6" {
            c.push(Bytes::from_static(b"short"));
        } else {
            c.push(blob(&v));
        }
        s.same_bytes(&c);
    }
    let q = blob(&[1.0, 0.0, 0.0]);
    let search = |index: &str, query: &str, extra: &[&str]| {
        let mut c = cmd(&["FT.SEARCH", index, query]);
        c.extend(cmd(extra));
        c.extend(cmd(&["PARAMS", "2", "q"]));
        c.push(q.clone());
        c.extend(cmd(&["DIALECT", "2"]));
        c
    };
    for index in ["idx:f", "idx:h"] {
        for (query, extra) in [
            ("*=>[KNN 3 @v $q AS dist]", &[][..]),
            ("*=>[KNN 3 @v $q]", &["NOCONTENT"][..]),
            ("*=>[KNN 10 @v $q AS dist]", &["RETURN", "2", "title", "dist"][..]),
            ("*=>[KNN 10 @v $q AS dist]", &["RETURN", "1", "dist", "SORTBY", "dist"][..]),
            ("*=>[KNN 10 @v $q AS dist]", &["RETURN", "2", "dist", "year", "SORTBY", "year", "DESC"][..]),
            ("*=>[KNN 10 @v $q AS dist]", &["RETURN", "1", "dist", "SORTBY", "dist", "LIMIT", "1", "2"][..]),
            ("(@genre:{food})=>[KNN 2 @v $q AS dist]", &["RETURN", "1", "dist"][..]),
            ("(@year:[(2001 +inf])=>[KNN 5 @v $q AS dist]", &["RETURN", "1", "dist"][..]),
            ("(-@genre:{auto} @title:apple)=>[KNN 5 @v $q AS dist]", &["RETURN", "1", "dist"][..]),
            ("@v:[VECTOR_RANGE 2 $q]=>{$YIELD_DISTANCE_AS: d}", &["RETURN", "1", "d", "SORTBY", "d"][..]),
            ("*", &["NOCONTENT", "LIMIT", "0", "2"][..]),
        ] {
            s.same_bytes(&search(index, query, extra));
        }
        // Without KNN, RediSearch ranks by TF-IDF; we return the same set in doc-id order.
        for (query, extra) in [
            ("@genre:{food|auto}", &["NOCONTENT"][..]),
            ("@year:[-inf 2005]", &["RETURN", "1", "title"][..]),
            ("apple", &["NOCONTENT"][..]),
        ] {
            let (theirs, ours) = s.both_frames(&search(index, query, extra));
            assert_eq!(common::canonical(&ours), common::canonical(&theirs), "{query}");
        }
        // Errors.
        let mut c = cmd(&["FT.SEARCH", index, "*=>[KNN 3 @v $q]", "PARAMS", "2", "q", "abc", "DIALECT", "2"]);
        s.same_bytes(&c);
        c = cmd(&["FT.SEARCH", index, "*=>[KNN 3 @v $zz]", "PARAMS", "2", "q", "abc", "DIALECT", "2"]);
        s.same_bytes(&c);
        s.same_bytes(&search(index, "*=>[KNN 3 @v $q]", &[]).into_iter().take(8).collect::<Vec<_>>());
        s.same_bytes(&search(index, "*=>[KNN 3 @v $q]", &[]).into_iter().take(7).collect::<Vec<_>>());
    }
    s.same(&["FT.SEARCH", "nope", "*"]);
    s.same(&["FT.DROPINDEX", "nope"]);
    s.same(&["FT.INFO", "nope"]);
    // Deletes and updates keep the index in step.
    s.same(&["DEL", "d:1"]);
    s.same(&["HSET", "d:3", "year", "1990"]);
    s.same(&["UNLINK", "d:2"]);
    for index in ["idx:f", "idx:h"] {
        s.same_bytes(&search(index, "*=>[KNN 10 @v $q AS dist]", &["RETURN", "2", "dist", "year"]));
    }
    // RESP3 shapes.
    let _ = s.both(&["HELLO", "3"]);
    for index in ["idx:f", "idx:h"] {
        s.same_bytes(&search(index, "*=>[KNN 3 @v $q AS dist]", &["RETURN", "2", "dist", "title"]));
        s.same_bytes(&search(index, "*=>[KNN 3 @v $q AS dist]", &["NOCONTENT"]));
    }
    s.same(&["FT._LIST"]);
    s.same(&["FT.DROPINDEX", "idx:f"]);
    s.same(&["FT.DROPINDEX", "idx:h", "DD"]);
    s.same(&["KEYS", "*"]);
    s.same(&["FT._LIST"]);
    let _ = decode;
}

/// The FT.INFO fields learners read, in the oracle's order and types (memory figures differ:
/// they describe RediSearch's own allocations), in RESP2 and RESP3; and the index follows
/// EXPIRE firing, RENAME and FLUSHALL.
#[test]
fn info_and_keyspace_changes() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "idx:cache",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "cache:",
        "SCHEMA",
        "prompt",
        "TEXT",
        "response",
        "TEXT",
        "embedding",
        "VECTOR",
        "HNSW",
        "6",
        "TYPE",
        "FLOAT32",
        "DIM",
        "4",
        "DISTANCE_METRIC",
        "COSINE",
    ]);
    let mut c = cmd(&["HSET", "cache:1", "prompt", "a b", "response", "c", "embedding"]);
    c.push(blob(&[1.0, 2.0, 3.0, 4.0]));
    s.same_bytes(&c);
    s.same(&["HSET", "cache:2", "prompt", "a b", "response", "c", "embedding", "xx"]);
    for proto in ["2", "3"] {
        let _ = s.both(&["HELLO", proto]);
        let (theirs, ours) = s.both(&["FT.INFO", "idx:cache"]);
        let keys = |f: &Frame| -> Vec<Frame> {
            match f {
                Frame::Map(p) => p.iter().map(|(k, _)| k.clone()).collect(),
                Frame::Array(items) => items.iter().step_by(2).cloned().collect(),
                _ => Vec::new(),
            }
        };
        assert_eq!(keys(&ours), keys(&theirs));
        let get = |f: &Frame, name: &str| -> Option<Frame> {
            match f {
                Frame::Map(p) => {
                    p.iter().find(|(k, _)| k.as_bytes() == Some(name.as_bytes())).map(|(_, v)| v.clone())
                }
                Frame::Array(items) => items
                    .chunks(2)
                    .find(|kv| kv[0].as_bytes() == Some(name.as_bytes()))
                    .map(|kv| kv[1].clone()),
                _ => None,
            }
        };
        for field in [
            "index_name",
            "index_options",
            "index_definition",
            "attributes",
            "num_docs",
            "max_doc_id",
            "hash_indexing_failures",
            "indexing",
            "percent_indexed",
            "Index Errors",
            "field statistics",
        ] {
            assert_eq!(get(&ours, field), get(&theirs, field), "{field} (RESP{proto})");
        }
    }
    let _ = s.both(&["HELLO", "2"]);
    let q = blob(&[1.0, 2.0, 3.0, 4.5]);
    let knn = |extra: &[&str]| {
        let mut c = cmd(&["FT.SEARCH", "idx:cache", "*=>[KNN 5 @embedding $q AS score]", "PARAMS", "2", "q"]);
        c.push(q.clone());
        c.extend(cmd(extra));
        c.extend(cmd(&["DIALECT", "2"]));
        c
    };
    let mut c = cmd(&["HSET", "cache:3", "prompt", "x", "response", "y", "embedding"]);
    c.push(blob(&[4.0, 3.0, 2.0, 1.0]));
    s.same_bytes(&c);
    s.same_bytes(&knn(&["NOCONTENT"]));
    s.same(&["RENAME", "cache:3", "cache:4"]);
    s.same_bytes(&knn(&["NOCONTENT"]));
    s.same(&["RENAME", "cache:4", "other:4"]);
    s.same_bytes(&knn(&["NOCONTENT"]));
    s.same(&["PEXPIRE", "cache:1", "1"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    s.engine.tick(common::now_ms());
    s.same(&["EXISTS", "cache:1"]);
    s.same_bytes(&knn(&["NOCONTENT"]));
    s.same(&["FLUSHALL"]);
    s.same_bytes(&knn(&["NOCONTENT"]));
}

/// Found by random queries against RediSearch: SORTBY ties (by doc id, and DESC reverses that
/// too), documents without the field last either way, the SORTBY field leading each document's
/// fields, RETURN naming an output once, SORTBY of an unknown property, and which clauses may
/// stand before `=>[KNN ...]`; in RESP2 and RESP3.
#[test]
fn sorting_fields_and_knn_prefixes_like_redisearch() {
    for protocol in ["2", "3"] {
        let mut s = Session::new();
        s.run(&["HELLO", protocol]);
        s.script(&[&[
            "FT.CREATE",
            "st",
            "ON",
            "HASH",
            "PREFIX",
            "1",
            "st:",
            "SCHEMA",
            "title",
            "TEXT",
            "n",
            "NUMERIC",
            "SORTABLE",
            "m",
            "NUMERIC",
            "tag",
            "TAG",
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
        ]]);
        for i in 1..=5 {
            let (id, n, m) = (format!("st:{i}"), (i % 2).to_string(), (i % 3).to_string());
            let title = format!("red x{i}");
            s.same(&["HSET", &id, "title", &title, "n", &n, "m", &m, "tag", "a"]);
        }
        s.same(&["HSET", "st:6", "title", "no numbers", "tag", "b"]);
        s.same_bytes(&[
            Bytes::from_static(b"HSET"),
            Bytes::from_static(b"st:7"),
            Bytes::from_static(b"v"),
            blob(&[0.5, 0.5]),
            Bytes::from_static(b"n"),
            Bytes::from_static(b"1"),
        ]);
        s.script(&[
            &["FT.SEARCH", "st", "*", "SORTBY", "n", "ASC", "NOCONTENT"],
            &["FT.SEARCH", "st", "*", "SORTBY", "n", "DESC", "NOCONTENT"],
            &["FT.SEARCH", "st", "*", "SORTBY", "m", "ASC", "NOCONTENT"],
            &["FT.SEARCH", "st", "*", "SORTBY", "m", "DESC", "NOCONTENT"],
            &["FT.SEARCH", "st", "@title:red", "SORTBY", "n", "DESC", "LIMIT", "0", "2"],
            &["FT.SEARCH", "st", "*", "SORTBY", "m", "DESC", "LIMIT", "0", "1"],
            &["FT.SEARCH", "st", "*", "RETURN", "3", "tag", "title", "n", "SORTBY", "n", "LIMIT", "0", "2"],
            &["FT.SEARCH", "st", "*", "RETURN", "2", "n", "n", "LIMIT", "0", "2"],
            &["FT.SEARCH", "st", "*", "RETURN", "4", "n", "AS", "x", "n", "LIMIT", "0", "1"],
            &["FT.SEARCH", "st", "*", "SORTBY", "nosuch"],
            &["FT.SEARCH", "st", "*", "SORTBY", "nosuch", "LIMIT", "0", "0"],
            &["FT.SEARCH", "st", "@title:nothing", "SORTBY", "nosuch"],
        ]);
        let q = blob(&[0.0, 0.0]);
        for prefix in [
            "*",
            "red",
            "-red",
            "red blue",
            "@tag:{a} | @n:[0 2]",
            "@title:red",
            "-@tag:{a}",
            "(-@tag:{a})",
            "red | blue",
            "@tag:{a} @n:[0 2]",
            "@title:(red|blue)",
            "@n:[0 2] ",
        ] {
            for tail in [&["NOCONTENT"][..], &["SORTBY", "score"], &["SORTBY", "__v_score", "DESC"]] {
                let mut c = cmd(&["FT.SEARCH", "st", &format!("{prefix}=>[KNN 3 @v $q]")]);
                c.extend(cmd(tail));
                c.extend([
                    Bytes::from_static(b"PARAMS"),
                    Bytes::from_static(b"2"),
                    Bytes::from_static(b"q"),
                    q.clone(),
                ]);
                c.extend(cmd(&["DIALECT", "2"]));
                s.same_bytes(&c);
            }
        }
    }
}

/// The engine's model of VecSim's dispatch (AVX-512F, else AVX, else SSE) names the kernel the
/// oracle's RediSearch picked on this same machine's CPU.
#[cfg(target_arch = "x86_64")]
#[test]
fn the_oracle_picks_the_kernel_of_its_cpu() {
    let mut s = Session::new();
    assert_eq!(common::oracle_kernel(&mut s.oracle), playground_engine::Kernel::of_this_cpu());
}
