//! GEO fields against RediSearch 2.10: which `lon,lat` strings a hash may hold, radius queries
//! (`@loc:[lon lat radius unit]`, as RedisVL's `GeoRadius` writes them) in every unit and with
//! PARAMS, FT.SEARCH's GEOFILTER and FILTER options, FT.EXPLAIN, and the errors in RediSearch's
//! words.

mod common;

use common::Session;

/// Cities around the San Francisco Bay and further, written after the index exists so that
/// RediSearch indexes each at once.
fn cities(s: &mut Session) {
    s.run(&["FT.DROPINDEX", "geo:idx"]);
    s.same(&[
        "FT.CREATE",
        "geo:idx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "city:",
        "SCHEMA",
        "loc",
        "GEO",
        "SORTABLE",
        "name",
        "TEXT",
        "pop",
        "NUMERIC",
    ]);
    s.script(&[
        &["HSET", "city:sf", "loc", "-122.4194,37.7749", "name", "san francisco", "pop", "808000"],
        &["HSET", "city:oak", "loc", "-122.2711,37.8044", "name", "oakland", "pop", "433000"],
        &["HSET", "city:sj", "loc", "-121.8863 37.3382", "name", "san jose", "pop", "1013000"],
        &["HSET", "city:la", "loc", "-118.2437,34.0522", "name", "los angeles", "pop", "3820000"],
        &["HSET", "city:paris", "loc", "2.3522, 48.8566", "name", "paris", "pop", "2100000"],
        &["HSET", "city:origin", "loc", "1,", "name", "null island"],
    ]);
}

#[test]
fn radius_queries_find_the_points_within() {
    let mut s = Session::new();
    cities(&mut s);
    for query in [
        "@loc:[-122.4194 37.7749 20 km]",
        "@loc:[-122.4194 37.7749 50 km]",
        "@loc:[-122.4194 37.7749 50 KM]",
        "@loc:[-122.4194 37.7749 40 mi]",
        "@loc:[-122.4194 37.7749 15000 m]",
        "@loc:[-122.4194 37.7749 100000 ft]",
        "@loc:[-122.4194 37.7749 600 km]",
        "@loc:[0 0 200 km]",
        "@loc:[-122.4194 37.7749 50 km] @name:san",
        "@loc:[-122.4194 37.7749 50 km] -@name:oakland",
        "@loc:[-122.4194 37.7749 50 km] | @name:paris",
        "@loc:[-122.4194,37.7749 50 km]",
        "@name:[-122.4194 37.7749 50 km]",
        "@pop:[-122.4194 37.7749 50 km]",
        "@loc:[1 5]",
        "@nofield:[-122.4194 37.7749 50 km]",
    ] {
        s.same(&["FT.SEARCH", "geo:idx", query, "NOCONTENT"]);
        s.same(&["FT.SEARCH", "geo:idx", query, "NOCONTENT", "DIALECT", "2"]);
    }
    s.same(&[
        "FT.SEARCH",
        "geo:idx",
        "@loc:[$lon $lat $r $unit]",
        "PARAMS",
        "8",
        "lon",
        "-122.4194",
        "lat",
        "37.7749",
        "r",
        "50",
        "unit",
        "km",
        "DIALECT",
        "2",
        "NOCONTENT",
    ]);
    s.same(&["FT.SEARCH", "geo:idx", "@loc:[-122.4194 37.7749 600 km]", "SORTBY", "loc", "NOCONTENT"]);
    s.same(&["FT.SEARCH", "geo:idx", "@loc:[-122.4194 37.7749 600 km]", "SORTBY", "pop", "DESC"]);
}

#[test]
fn geofilter_and_filter_options_narrow_a_search() {
    let mut s = Session::new();
    cities(&mut s);
    for cmd in [
        &["FT.SEARCH", "geo:idx", "*", "GEOFILTER", "loc", "-122.4194", "37.7749", "50", "km", "NOCONTENT"][..],
        &[
            "FT.SEARCH",
            "geo:idx",
            "@name:san",
            "GEOFILTER",
            "loc",
            "-122.4194",
            "37.7749",
            "10",
            "mi",
            "NOCONTENT",
        ],
        &[
            "FT.SEARCH",
            "geo:idx",
            "*",
            "GEOFILTER",
            "@loc",
            "-122.4194",
            "37.7749",
            "1000",
            "km",
            "NOCONTENT",
        ],
        &["FT.SEARCH", "geo:idx", "*", "GEOFILTER", "name", "-122.4194", "37.7749", "50", "km", "NOCONTENT"],
        &["FT.SEARCH", "geo:idx", "*", "GEOFILTER", "loc", "-122.4194", "37.7749", "50", "NOCONTENT"],
        &["FT.SEARCH", "geo:idx", "*", "GEOFILTER", "loc", "-122.4194", "37.7749", "50"],
        &["FT.SEARCH", "geo:idx", "*", "GEOFILTER", "loc", "x", "37.7749", "50", "km"],
        &["FT.SEARCH", "geo:idx", "*", "GEOFILTER", "loc", "-122.4194", "37.7749", "-5", "km"],
        &["FT.SEARCH", "geo:idx", "*", "FILTER", "pop", "500000", "+inf", "NOCONTENT"],
        &["FT.SEARCH", "geo:idx", "*", "FILTER", "pop", "(808000", "3820000", "NOCONTENT"],
        &["FT.SEARCH", "geo:idx", "*", "FILTER", "pop", "-inf", "(808000", "NOCONTENT"],
        &["FT.SEARCH", "geo:idx", "@name:san", "FILTER", "pop", "0", "900000", "NOCONTENT"],
        &["FT.SEARCH", "geo:idx", "*", "FILTER", "pop", "1", "x"],
        &["FT.SEARCH", "geo:idx", "*", "FILTER", "pop", "y", "2"],
        &["FT.SEARCH", "geo:idx", "*", "FILTER", "pop", "1"],
        &["FT.SEARCH", "geo:idx", "*", "FILTER", "@pop", "1", "+inf", "NOCONTENT"],
        &[
            "FT.SEARCH",
            "geo:idx",
            "*",
            "FILTER",
            "pop",
            "500000",
            "+inf",
            "GEOFILTER",
            "loc",
            "-122.4194",
            "37.7749",
            "100",
            "km",
            "NOCONTENT",
        ],
    ] {
        s.same(cmd);
    }
}

#[test]
fn bad_filters_and_values_answer_as_redisearch() {
    let mut s = Session::new();
    cities(&mut s);
    for query in [
        "@loc:[-122.4 37.7 600 xx]",
        "@loc:[-122.4 37.7 0 km]",
        "@loc:[-122.4 37.7 -1 km]",
        "@loc:[-122.4 100 10 km]",
        "@loc:[190 37.7 10 km]",
        "@loc:[-122.4 37.7 3]",
    ] {
        s.same(&["FT.SEARCH", "geo:idx", query]);
    }
    for query in ["@loc:[-122.4 37.7 600 km]", "@loc:[-122.4 37.7 10 mi] @name:san", "@loc:[1 2 3 FT]"] {
        s.same(&["FT.EXPLAIN", "geo:idx", query]);
    }
    // Values a GEO field refuses: the document is not indexed, and FT.INFO says why.
    for (key, value) in
        [("city:bad", "bad"), ("city:far", "200,10"), ("city:polar", "10,89"), ("city:three", "1,2,3")]
    {
        s.same(&["HSET", key, "loc", value]);
        s.same(&["FT.SEARCH", "geo:idx", "*", "NOCONTENT", "LIMIT", "0", "20"]);
        let (theirs, ours) = s.both(&["FT.INFO", "geo:idx"]);
        for field in ["num_docs", "hash_indexing_failures"] {
            assert_eq!(
                common::info_field(&ours, field),
                common::info_field(&theirs, field),
                "{field} after {value}"
            );
        }
    }
    let (theirs, ours) = s.both(&["FT.INFO", "geo:idx"]);
    assert_eq!(common::info_field(&ours, "attributes"), common::info_field(&theirs, "attributes"));
}

#[test]
fn geodistance_measures_in_aggregations() {
    let mut s = Session::new();
    cities(&mut s);
    s.same(&[
        "FT.AGGREGATE",
        "geo:idx",
        "@loc:[-122.4194 37.7749 100 km]",
        "LOAD",
        "1",
        "@loc",
        "APPLY",
        "geodistance(@loc, -122.4, 37.7)",
        "AS",
        "d",
        "APPLY",
        "geodistance(@loc, \"-122.4,37.7\")",
        "AS",
        "e",
        "APPLY",
        "geodistance(-122.4, 37.7, -122.3, 37.8)",
        "AS",
        "f",
        "SORTBY",
        "2",
        "@d",
        "ASC",
    ]);
    s.same(&[
        "FT.AGGREGATE",
        "geo:idx",
        "*",
        "LOAD",
        "2",
        "@name",
        "@loc",
        "APPLY",
        "geodistance(@loc, 2.35, 48.85)",
        "AS",
        "km_from_paris",
        "SORTBY",
        "2",
        "@km_from_paris",
        "DESC",
        "LIMIT",
        "0",
        "3",
    ]);
}

/// A GEO field of a JSON index reads a `lon,lat` string; a number is not a point.
#[test]
fn json_documents_hold_points_as_strings() {
    let mut s = Session::on_port(common::json_oracle_port());
    s.run(&["FT.DROPINDEX", "jgeo:idx"]);
    s.same(&[
        "FT.CREATE",
        "jgeo:idx",
        "ON",
        "JSON",
        "PREFIX",
        "1",
        "shop:",
        "SCHEMA",
        "$.loc",
        "AS",
        "loc",
        "GEO",
    ]);
    s.script(&[
        &["JSON.SET", "shop:1", "$", r#"{"loc":"-122.4194,37.7749"}"#],
        &["JSON.SET", "shop:2", "$", r#"{"loc":"-118.2437,34.0522"}"#],
        &["JSON.SET", "shop:3", "$", r#"{"loc":12}"#],
    ]);
    s.same(&["FT.SEARCH", "jgeo:idx", "@loc:[-122.4 37.7 50 km]", "NOCONTENT"]);
    s.same(&["FT.SEARCH", "jgeo:idx", "*", "NOCONTENT"]);
    let (theirs, ours) = s.both(&["FT.INFO", "jgeo:idx"]);
    for field in ["num_docs", "hash_indexing_failures", "attributes"] {
        assert_eq!(common::info_field(&ours, field), common::info_field(&theirs, field), "{field}");
    }
}
