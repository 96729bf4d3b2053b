//! GEOSHAPE fields against RediSearch 2.10: FT.CREATE's FLAT and SPHERICAL fields and FT.INFO's
//! view of them, the WKT points and polygons a hash or JSON document may hold (and the indexing
//! failures, in Boost.Geometry's words, of those it may not), `@f:[WITHIN|CONTAINS|INTERSECTS|
//! DISJOINT $wkt]` queries with points on edges and corners, holes, either ring orientation and
//! open rings, their parse errors in DIALECT 1 and 2, and FT.EXPLAIN.

mod common;

use common::{Choose, Session};
use playground_engine::Frame;

fn info_same(s: &mut Session, index: &str, fields: &[&str], after: &str) {
    let (theirs, ours) = s.both(&["FT.INFO", index]);
    for field in fields {
        assert_eq!(
            common::info_field(&ours, field),
            common::info_field(&theirs, field),
            "{field} after {after}"
        );
    }
}

#[test]
fn create_takes_flat_or_spherical() {
    let mut s = Session::new();
    for (i, schema) in [
        &["g", "GEOSHAPE"][..],
        &["g", "GEOSHAPE", "FLAT"],
        &["g", "GEOSHAPE", "spherical", "SORTABLE"],
        &["g", "GEOSHAPE", "FLAT", "NOINDEX"],
        &["g", "GEOSHAPE", "INDEXMISSING"],
        &["g", "GEOSHAPE", "FLAT", "INDEXMISSING", "t", "TEXT"],
        &["g", "GEOSHAPE", "INDEXEMPTY"],
        &["g", "GEOSHAPE", "XYZ"],
        &["g", "GEOSHAPE", "FLAT", "SPHERICAL"],
    ]
    .iter()
    .enumerate()
    {
        let name = format!("gs:create{i}");
        s.run(&["FT.DROPINDEX", &name]);
        let mut cmd = vec!["FT.CREATE", &name, "ON", "HASH", "PREFIX", "1", "gs:none:", "SCHEMA"];
        cmd.extend_from_slice(schema);
        let (theirs, _) = s.both(&cmd);
        if theirs == Frame::Simple("OK".into()) {
            info_same(&mut s, &name, &["attributes"], &name);
            s.run(&["HELLO", "3"]);
            info_same(&mut s, &name, &["attributes"], &name);
            s.run(&["HELLO", "2"]);
        }
        s.run(&["FT.DROPINDEX", &name]);
    }
}

/// An index over `shp:` hashes (`FLAT` or `SPHERICAL`), emptied first.
fn index(s: &mut Session, name: &str, coords: &str) {
    s.run(&["FT.DROPINDEX", name, "DD"]);
    let prefix = format!("{name}:");
    s.same(&[
        "FT.CREATE",
        name,
        "ON",
        "HASH",
        "PREFIX",
        "1",
        &prefix,
        "SCHEMA",
        "geom",
        "GEOSHAPE",
        coords,
        "name",
        "TEXT",
        "n",
        "NUMERIC",
    ]);
    // Written once the scan of existing keys is over, each document is indexed at once, in order.
    common::wait_indexed(s, name);
}

#[test]
fn wkt_values_and_their_failures() {
    let mut s = Session::new();
    for coords in ["FLAT", "SPHERICAL"] {
        let idx = format!("gsw{coords}");
        index(&mut s, &idx, coords);
        for (i, wkt) in [
            "POINT(1 2)",
            "POINT (1 2)",
            "POINT(1e1 -2.5)",
            "POINT(1)",
            "POINT()",
            "POINT(200 100)",
            "POINT M(1 2)",
            "point(1 2)",
            " POINT(1 2)",
            "POINT(1 2 3)",
            "POINT(1,2)",
            "POINT(a b)",
            "POINT(1 2) x",
            "POINT 1 2",
            "POINTX(1 2)",
            "POINT Z(1 2 3)",
            "POINT(1 2",
            "LINESTRING(1 1, 2 2)",
            "MULTIPOINT((1 1))",
            "bad",
            "",
            "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0))",
            "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))",
            "POLYGON((0 0, 0 1, 1 1))",
            "POLYGON((0 0, 0 1, 1 1), (0.2 0.5, 0.3 0.6, 0.3 0.5))",
            "POLYGON((1 1, 2 2))",
            "POLYGON EMPTY",
            "POLYGON(())",
            "POLYGON((0 0, 1 1, 2 2, 0 0))",
            "POLYGON((0 0, 0 0, 1 1, 1 1, 0 0))",
            "POLYGON((0 0, 0 1, 1 1, 0 0)",
            "POLYGON((0 0, 0 1, 1 x, 0 0))",
            "POLYGON(0 0, 0 1, 1 1, 0 0)",
            "POLYGON((0 0, 0 4, 4 4, 4 0, 0 0), (5 5, 5 6, 6 6, 5 5))",
            "POLYGON((0 0, 2 0, 1 0, 1 1, 0 0))",
            "POINT(nan 1)",
            "POINT(inf 1)",
        ]
        .iter()
        .enumerate()
        {
            let key = format!("{idx}:{i}");
            s.same(&["HSET", &key, "geom", wkt, "name", "shape"]);
            info_same(
                &mut s,
                &idx,
                &["num_docs", "hash_indexing_failures", "Index Errors", "field statistics"],
                wkt,
            );
        }
        s.same(&["FT.SEARCH", &idx, "@name:shape", "NOCONTENT", "LIMIT", "0", "0"]);
        s.same(&[
            "FT.SEARCH",
            &idx,
            "@geom:[INTERSECTS $q]",
            "PARAMS",
            "2",
            "q",
            "POINT(1 2)",
            "DIALECT",
            "2",
        ]);
    }
}

/// Shapes around the square (0 0)-(10 10): inside, on its edges and corners, outside, crossing.
fn shapes(s: &mut Session, name: &str, coords: &str) {
    index(s, name, coords);
    for (i, wkt) in [
        "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0))",
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))",
        "POLYGON((2 2, 2 4, 4 4, 4 2))",
        "POLYGON((2 2, 2 8, 8 8, 8 2, 2 2), (4 4, 6 4, 6 6, 4 6, 4 4))",
        "POLYGON((5 5, 5 15, 15 15, 15 5, 5 5))",
        "POLYGON((10 0, 10 10, 20 10, 20 0, 10 0))",
        "POLYGON((10 10, 10 20, 20 20, 10 10))",
        "POLYGON((20 20, 20 30, 30 30, 20 20))",
        "POLYGON((-5 -5, -5 15, 15 15, 15 -5, -5 -5))",
        "POLYGON((4.5 4.5, 4.5 5.5, 5.5 5.5, 5.5 4.5, 4.5 4.5))",
        "POINT(5 5)",
        "POINT(0 5)",
        "POINT(10 10)",
        "POINT(3 3)",
        "POINT(20 20)",
        "POINT(4 5)",
        "POINT(-1 5)",
    ]
    .iter()
    .enumerate()
    {
        s.same(&["HSET", &format!("{name}:{i}"), "geom", wkt, "name", &format!("shape{i}")]);
    }
}

#[test]
fn predicates_match_as_boost_geometry() {
    let mut s = Session::new();
    shapes(&mut s, "gsp", "FLAT");
    for op in ["WITHIN", "CONTAINS", "INTERSECTS", "DISJOINT", "within"] {
        let query = format!("@geom:[{op} $q]");
        for q in [
            "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0))",
            "POLYGON((0 0, 10 0, 10 10, 0 10))",
            "POLYGON((-1 -1, -1 11, 11 11, 11 -1, -1 -1))",
            "POLYGON((2 2, 2 4, 4 4, 4 2, 2 2))",
            "POLYGON((1 1, 1 9, 9 9, 9 1, 1 1))",
            "POLYGON((4.5 4.5, 4.5 5.5, 5.5 5.5, 5.5 4.5, 4.5 4.5))",
            "POLYGON((3 3, 3 7, 7 7, 7 3, 3 3))",
            "POLYGON((-100 -100, -100 100, 100 100, 100 -100, -100 -100), (1 1, 9 1, 9 9, 1 9, 1 1))",
            "POLYGON((10 0, 10 10, 20 10, 20 0, 10 0))",
            "POINT(5 5)",
            "POINT(0 5)",
            "POINT(10 10)",
            "POINT(3 3)",
            "POINT(100 100)",
        ] {
            s.same(&[
                "FT.SEARCH",
                "gsp",
                &query,
                "PARAMS",
                "2",
                "q",
                q,
                "NOCONTENT",
                "LIMIT",
                "0",
                "30",
                "DIALECT",
                "2",
            ]);
        }
    }
    s.same(&[
        "FT.SEARCH",
        "gsp",
        "@geom:[WITHIN $q] @name:shape3",
        "PARAMS",
        "2",
        "q",
        "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0))",
        "DIALECT",
        "2",
    ]);
    s.same(&[
        "FT.SEARCH",
        "gsp",
        "@geom:[CONTAINS $q] | @name:shape7",
        "PARAMS",
        "2",
        "q",
        "POINT(3 3)",
        "NOCONTENT",
        "DIALECT",
        "2",
    ]);
    s.same(&[
        "FT.SEARCH",
        "gsp",
        "-@geom:[INTERSECTS $q]",
        "PARAMS",
        "2",
        "q",
        "POINT(3 3)",
        "NOCONTENT",
        "LIMIT",
        "0",
        "30",
        "DIALECT",
        "2",
    ]);
    s.same(&[
        "FT.SEARCH",
        "gsp",
        "@geom:[WITHIN $q]",
        "PARAMS",
        "2",
        "q",
        "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0))",
        "RETURN",
        "1",
        "geom",
        "SORTBY",
        "name",
        "DESC",
        "DIALECT",
        "2",
    ]);
}

/// Rewritten, deleted and expired documents leave the shape index; RESP3 and FT.AGGREGATE too.
#[test]
fn documents_change_and_go() {
    let mut s = Session::new();
    shapes(&mut s, "gsc", "FLAT");
    let q = "POLYGON((-1 -1, -1 11, 11 11, 11 -1, -1 -1))";
    let search = [
        "FT.SEARCH",
        "gsc",
        "@geom:[WITHIN $q]",
        "PARAMS",
        "2",
        "q",
        q,
        "NOCONTENT",
        "LIMIT",
        "0",
        "30",
        "DIALECT",
        "2",
    ];
    s.script(&[
        &["HSET", "gsc:13", "geom", "POINT(50 50)"],
        &["HSET", "gsc:2", "geom", "bad"],
        &["DEL", "gsc:10"],
        &["HDEL", "gsc:11", "geom"],
    ]);
    s.same(&search);
    info_same(&mut s, "gsc", &["num_docs", "hash_indexing_failures", "Index Errors"], "changes");
    s.same(&["FT.EXPLAINCLI", "gsc", "@geom:[CONTAINS $q] @name:x", "PARAMS", "2", "q", q, "DIALECT", "2"]);
    s.same(&[
        "FT.AGGREGATE",
        "gsc",
        "@geom:[INTERSECTS $q]",
        "PARAMS",
        "2",
        "q",
        "POINT(3 3)",
        "LOAD",
        "1",
        "@name",
        "SORTBY",
        "2",
        "@name",
        "ASC",
        "DIALECT",
        "2",
    ]);
    s.run(&["HELLO", "3"]);
    s.same(&search);
    s.same(&[
        "FT.SEARCH",
        "gsc",
        "@geom:[INTERSECTS $q]",
        "PARAMS",
        "2",
        "q",
        "POINT(3 3)",
        "RETURN",
        "1",
        "geom",
        "DIALECT",
        "2",
    ]);
}

/// A shape match scores as a virtual result of no weight nor frequency, alone or beside words.
#[test]
fn scores_of_shape_matches() {
    let mut s = Session::new();
    s.run(&["FT.DROPINDEX", "gsx", "DD"]);
    s.same(&[
        "FT.CREATE",
        "gsx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "gsx:",
        "SCHEMA",
        "geom",
        "GEOSHAPE",
        "FLAT",
        "t",
        "TEXT",
    ]);
    common::wait_indexed(&mut s, "gsx");
    s.script(&[
        &["HSET", "gsx:1", "geom", "POINT(1 1)", "t", "hello world"],
        &["HSET", "gsx:2", "geom", "POINT(2 2)", "t", "hello hello"],
        &["HSET", "gsx:3", "geom", "POLYGON((0 0, 0 3, 3 3, 3 0, 0 0))", "t", "world"],
    ]);
    let q = "POLYGON((0 0, 0 5, 5 5, 5 0, 0 0))";
    for query in ["@geom:[INTERSECTS $q]", "@geom:[INTERSECTS $q] hello", "@geom:[INTERSECTS $q] | hello"] {
        for scorer in ["TFIDF", "TFIDF.DOCNORM", "BM25", "BM25STD", "DISMAX", "DOCSCORE"] {
            s.same(&[
                "FT.SEARCH",
                "gsx",
                query,
                "PARAMS",
                "2",
                "q",
                q,
                "WITHSCORES",
                "SCORER",
                scorer,
                "NOCONTENT",
                "DIALECT",
                "2",
            ]);
        }
        s.same(&[
            "FT.SEARCH",
            "gsx",
            query,
            "PARAMS",
            "2",
            "q",
            q,
            "WITHSCORES",
            "EXPLAINSCORE",
            "NOCONTENT",
            "DIALECT",
            "2",
        ]);
    }
}

/// Documents with no text score NaN under TF-IDF (no weight over no frequency): a NaN ties with
/// every score, so the order is the one RediSearch's min-max heap leaves, for each LIMIT.
#[test]
fn nan_scores_keep_the_heap_order() {
    let mut s = Session::new();
    s.run(&["FT.DROPINDEX", "gsn", "DD"]);
    s.same(&[
        "FT.CREATE",
        "gsn",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "gsn:",
        "SCHEMA",
        "geom",
        "GEOSHAPE",
        "FLAT",
        "t",
        "TEXT",
    ]);
    common::wait_indexed(&mut s, "gsn");
    for i in 0..23 {
        let key = format!("gsn:{i}");
        let point = format!("POINT({} {})", i % 5, i % 7);
        let words = ["hello", "hello world", "world", "a", ""][i % 5];
        if i % 3 == 0 {
            s.same(&["HSET", &key, "geom", &point]);
        } else {
            s.same(&["HSET", &key, "geom", &point, "t", words]);
        }
    }
    let q = "POLYGON((0 0, 0 10, 10 10, 10 0, 0 0))";
    for query in
        ["@geom:[WITHIN $q]", "@geom:[WITHIN $q] | hello", "-@t:world", "-hello | @geom:[CONTAINS $q]"]
    {
        for limit in [&["0", "10"][..], &["0", "30"], &["3", "5"], &["0", "1"], &["20", "10"]] {
            s.same(&[
                "FT.SEARCH",
                "gsn",
                query,
                "PARAMS",
                "2",
                "q",
                q,
                "WITHSCORES",
                "NOCONTENT",
                "LIMIT",
                limit[0],
                limit[1],
                "DIALECT",
                "2",
            ]);
            s.same(&[
                "FT.SEARCH",
                "gsn",
                query,
                "PARAMS",
                "2",
                "q",
                q,
                "NOCONTENT",
                "LIMIT",
                limit[0],
                limit[1],
                "DIALECT",
                "2",
            ]);
        }
    }
}

#[test]
fn spherical_shapes_far_from_edges() {
    let mut s = Session::new();
    shapes(&mut s, "gss", "SPHERICAL");
    for op in ["WITHIN", "CONTAINS", "INTERSECTS", "DISJOINT"] {
        let query = format!("@geom:[{op} $q]");
        for q in [
            "POLYGON((-1 -1, -1 11, 11 11, 11 -1, -1 -1))",
            "POLYGON((1 1, 1 9, 9 9, 9 1, 1 1))",
            "POLYGON((3 3, 3 7, 7 7, 7 3, 3 3))",
            "POINT(5.2 5.3)",
            "POINT(3.1 3.3)",
            "POINT(100 60)",
        ] {
            s.same(&[
                "FT.SEARCH",
                "gss",
                &query,
                "PARAMS",
                "2",
                "q",
                q,
                "NOCONTENT",
                "LIMIT",
                "0",
                "30",
                "DIALECT",
                "2",
            ]);
        }
    }
}

#[test]
fn query_errors_and_explain() {
    let mut s = Session::new();
    shapes(&mut s, "gse", "FLAT");
    let square = "POLYGON((0 0,0 5,5 5,5 0,0 0))";
    for query in [
        "@geom:[WITHIN $s]",
        "@geom:[within $s]",
        "@geom:[ WITHIN $s ]",
        "@geom:[WITHIN$s]",
        "@geom:[WITHIN POLYGON]",
        "@geom:[WITHIN \"POLYGON((0 0,0 5,5 5,5 0,0 0))\"]",
        "@geom:[WITHIN $x]",
        "@geom:[WITHIN $s $s]",
        "@geom:[WITHIN]",
        "@geom:[foo $s]",
        "@geom:[1 2]",
        "@n:[1 2]",
        "@name:[WITHIN $s]",
        "@n:[WITHIN $s]",
        "@nope:[WITHIN $s]",
        "@geom:[WITHIN $s] @name:shape3",
        "@geom:[CONTAINS $s] | @name:y",
        "-@geom:[DISJOINT $s]",
        "@geom:[INTERSECTS $s]",
    ] {
        for dialect in ["1", "2", "3"] {
            s.same(&["FT.SEARCH", "gse", query, "PARAMS", "2", "s", square, "NOCONTENT", "DIALECT", dialect]);
        }
        s.same(&["FT.EXPLAIN", "gse", query, "PARAMS", "2", "s", square, "DIALECT", "2"]);
    }
    // `inf` starts a numeric range, not a predicate.
    s.same(&["FT.SEARCH", "gse", "@n:[inf $x]", "PARAMS", "2", "x", "10", "DIALECT", "2"]);
    for word in ["INF", "Infinity", "nan"] {
        s.same(&["FT.SEARCH", "gse", &format!("@n:[{word} $x]"), "PARAMS", "2", "x", "10", "DIALECT", "2"]);
    }
    for bad in [
        "bad",
        "",
        "point(1 1)",
        "POINT(1 2 3)",
        "POLYGON((1 1, 2 2))",
        "POLYGON((0 0, 2 2, 0 2, 2 0, 0 0))",
        "POLYGON((0 0, 1 1, 2 2, 0 0))",
        "POLYGON((0 0, 0 4, 4 4, 4 2, -2 2, -2 1, 0 0))",
        "POLYGON((0 0, 0 1, 1 1, 1 0, 0 0), (5 5, 5 6, 6 6, 5 5))",
    ] {
        s.same(&["FT.SEARCH", "gse", "@geom:[WITHIN $s]", "PARAMS", "2", "s", bad, "DIALECT", "2"]);
        s.same(&[
            "FT.SEARCH",
            "gse",
            "@name:nothing | @geom:[CONTAINS $s]",
            "PARAMS",
            "2",
            "s",
            bad,
            "DIALECT",
            "2",
        ]);
    }
}

#[test]
fn json_documents_hold_wkt_strings() {
    let mut s = Session::on_port(common::json_oracle_port());
    s.run(&["FT.DROPINDEX", "jgs:idx"]);
    s.same(&[
        "FT.CREATE",
        "jgs:idx",
        "ON",
        "JSON",
        "PREFIX",
        "1",
        "jgs:",
        "SCHEMA",
        "$.geom",
        "AS",
        "geom",
        "GEOSHAPE",
        "FLAT",
        "$.name",
        "AS",
        "name",
        "TEXT",
    ]);
    s.script(&[
        &["JSON.SET", "jgs:1", "$", r#"{"geom":"POINT(1 1)","name":"a"}"#],
        &["JSON.SET", "jgs:2", "$", r#"{"geom":"POLYGON((0 0, 0 3, 3 3, 3 0, 0 0))","name":"b"}"#],
        &["JSON.SET", "jgs:3", "$", r#"{"geom":"POINT(50 50)","name":"c"}"#],
        &["JSON.SET", "jgs:4", "$", r#"{"geom":"nope","name":"d"}"#],
        &["JSON.SET", "jgs:5", "$", r#"{"geom":12,"name":"e"}"#],
    ]);
    for op in ["WITHIN", "CONTAINS", "INTERSECTS", "DISJOINT"] {
        s.same(&[
            "FT.SEARCH",
            "jgs:idx",
            &format!("@geom:[{op} $q]"),
            "PARAMS",
            "2",
            "q",
            "POLYGON((-1 -1, -1 5, 5 5, 5 -1, -1 -1))",
            "NOCONTENT",
            "DIALECT",
            "2",
        ]);
    }
    s.same(&["FT.SEARCH", "jgs:idx", "*", "NOCONTENT"]);
    info_same(
        &mut s,
        "jgs:idx",
        &["num_docs", "hash_indexing_failures", "attributes", "Index Errors"],
        "JSON.SET",
    );
    // Other JSON types: an array, a GeoJSON object (not read in 2.10), a boolean, null, none; a
    // wrong type fails the document, not the field (FT.INFO's field statistics).
    for (i, doc) in [
        r#"{"geom":["POINT(1 1)"],"name":"f"}"#,
        r#"{"geom":{"type":"Point","coordinates":[1,1]},"name":"g"}"#,
        r#"{"geom":true,"name":"h"}"#,
        r#"{"geom":null,"name":"i"}"#,
        r#"{"name":"j"}"#,
        r#"{"geom":"POINT(1 1)","name":null}"#,
        r#"{"geom":"POINT(1 1)","name":5}"#,
    ]
    .iter()
    .enumerate()
    {
        s.same(&["JSON.SET", &format!("jgs:x{i}"), "$", doc]);
        info_same(
            &mut s,
            "jgs:idx",
            &["num_docs", "hash_indexing_failures", "Index Errors", "field statistics"],
            doc,
        );
    }
    s.same(&["FT.SEARCH", "jgs:idx", "*", "NOCONTENT", "LIMIT", "0", "20"]);
}

/// A random shape on a small integer grid, so that points fall on edges and corners, polygons
/// share edges and vertices, some triangles are flat (spikes) and some squares have holes.
fn random_wkt(g: &mut Gen) -> String {
    match g.below(4) {
        0 => format!("POINT({} {})", g.below(7), g.below(7)),
        3 => {
            // A frame: a square with a square hole, the hole either way round.
            let (x, y, w) = (g.below(4), g.below(4), 1 + g.below(2));
            let (a, b) = (x + 1, y + 1);
            let hole = if g.below(2) == 0 {
                format!("{a} {b}, {a} {}, {} {}, {} {b}, {a} {b}", b + w, a + w, b + w, a + w)
            } else {
                format!("{a} {b}, {} {b}, {} {}, {a} {}, {a} {b}", a + w, a + w, b + w, b + w)
            };
            let (x2, y2) = (x + w + 2, y + w + 2);
            format!("POLYGON(({x} {y}, {x} {y2}, {x2} {y2}, {x2} {y}, {x} {y}), ({hole}))")
        }
        1 => {
            let (x, y) = (g.below(7), g.below(7));
            let (w, h) = (1 + g.below(4), 1 + g.below(4));
            let ring = [(x, y), (x, y + h), (x + w, y + h), (x + w, y), (x, y)];
            let ring: Vec<String> = ring.iter().map(|(x, y)| format!("{x} {y}")).collect();
            format!("POLYGON(({}))", ring.join(", "))
        }
        _ => {
            let mut c = || g.below(7);
            let pts = [(c(), c()), (c(), c()), (c(), c())];
            format!(
                "POLYGON(({} {}, {} {}, {} {}, {} {}))",
                pts[0].0, pts[0].1, pts[1].0, pts[1].1, pts[2].0, pts[2].1, pts[0].0, pts[0].1
            )
        }
    }
}

struct Gen(rand_xoshiro::Xoshiro256PlusPlus);

impl Choose for Gen {
    fn rng(&mut self) -> &mut rand_xoshiro::Xoshiro256PlusPlus {
        &mut self.0
    }
}

#[test]
fn random_shapes_on_a_grid() {
    use rand_core::SeedableRng;
    let mut s = Session::new();
    for seed in 1..=30u64 {
        let mut g = Gen(rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed));
        let idx = format!("gsr{seed}");
        index(&mut s, &idx, "FLAT");
        for i in 0..40 {
            let wkt = random_wkt(&mut g);
            s.same(&["HSET", &format!("{idx}:{i}"), "geom", &wkt, "name", "x"]);
            info_same(&mut s, &idx, &["hash_indexing_failures", "Index Errors"], &wkt);
        }
        random_queries(&mut s, &mut g, &idx, 60, random_wkt);
    }
}

/// `count` queries of `idx` with a random predicate against a shape from `shape`.
fn random_queries(s: &mut Session, g: &mut Gen, idx: &str, count: usize, shape: impl Fn(&mut Gen) -> String) {
    for _ in 0..count {
        let op = g.pick(&["WITHIN", "CONTAINS", "INTERSECTS", "DISJOINT"]);
        let q = shape(g);
        let query = format!("@geom:[{op} $q]");
        s.same(&[
            "FT.SEARCH",
            idx,
            &query,
            "PARAMS",
            "2",
            "q",
            &q,
            "NOCONTENT",
            "LIMIT",
            "0",
            "50",
            "DIALECT",
            "2",
        ]);
    }
}

/// A random shape in degrees (three decimals) around `lat`: SPHERICAL edges are geodesics, so
/// points near a long edge at these latitudes are on the other side of it than in FLAT.
fn random_degrees(g: &mut Gen, lat: f64) -> String {
    let kind = g.below(3);
    let mut f = |span: usize, base: f64| base + (g.below(span * 1000) as f64) / 1000.0;
    match kind {
        0 => format!("POINT({} {})", f(20, 0.0), f(20, lat)),
        1 => {
            let (x, y) = (f(15, 0.0), f(15, lat));
            let (w, h) = (f(6, 0.5), f(6, 0.5));
            let ring = [(x, y), (x, y + h), (x + w, y + h), (x + w, y), (x, y)];
            let ring: Vec<String> = ring.iter().map(|(x, y)| format!("{x} {y}")).collect();
            format!("POLYGON(({}))", ring.join(", "))
        }
        _ => {
            let pts: Vec<(f64, f64)> = (0..3).map(|_| (f(20, 0.0), f(20, lat))).collect();
            format!(
                "POLYGON(({} {}, {} {}, {} {}, {} {}))",
                pts[0].0, pts[0].1, pts[1].0, pts[1].1, pts[2].0, pts[2].1, pts[0].0, pts[0].1
            )
        }
    }
}

#[test]
fn random_spherical_shapes() {
    use rand_core::SeedableRng;
    let mut s = Session::new();
    for seed in 1..=20u64 {
        let mut g = Gen(rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed));
        let lat = [0.0, 40.0, 60.0][seed as usize % 3];
        let idx = format!("gsq{seed}");
        index(&mut s, &idx, "SPHERICAL");
        for i in 0..40 {
            let wkt = random_degrees(&mut g, lat);
            s.same(&["HSET", &format!("{idx}:{i}"), "geom", &wkt, "name", "x"]);
        }
        info_same(&mut s, &idx, &["hash_indexing_failures"], &idx);
        random_queries(&mut s, &mut g, &idx, 40, |g| random_degrees(g, lat));
    }
}
