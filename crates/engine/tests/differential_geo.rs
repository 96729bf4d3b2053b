//! Geo commands against Redis 7.4, byte for byte: scores, coordinates (17 decimals), distances
//! (4 decimals), geohash strings, search results and their order, stored sets, every error.

mod common;
use common::Session;

/// A small deterministic generator (xorshift), so a failing point can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A double in [lo, hi).
    fn within(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn use_resp3(s: &mut Session) {
    s.run(&["HELLO", "3"]);
}

/// Add `n` random places to `key` in one GEOADD (names `p0`, `p1`...), inside the given box.
fn add_random(s: &mut Session, rng: &mut Rng, key: &str, n: usize, lon: (f64, f64), lat: (f64, f64)) {
    let mut cmd = vec!["GEOADD".to_string(), key.to_string()];
    for i in 0..n {
        cmd.push(format!("{:.15}", rng.within(lon.0, lon.1)));
        cmd.push(format!("{:.15}", rng.within(lat.0, lat.1)));
        cmd.push(format!("p{i}"));
    }
    let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
    s.same(&refs);
}

#[test]
fn sicily_basics() {
    let mut s = Session::new();
    s.script(&[
        &["GEOADD", "g:s", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
        &["ZRANGE", "g:s", "0", "-1", "WITHSCORES"],
        &["OBJECT", "ENCODING", "g:s"],
        &["TYPE", "g:s"],
        &["GEOPOS", "g:s", "Palermo", "Catania", "nope"],
        &["GEOPOS", "g:s"],
        &["GEOPOS", "g:none", "a", "b"],
        &["GEODIST", "g:s", "Palermo", "Catania"],
        &["GEODIST", "g:s", "Palermo", "Catania", "km"],
        &["GEODIST", "g:s", "Palermo", "Catania", "KM"],
        &["GEODIST", "g:s", "Palermo", "Catania", "mi"],
        &["GEODIST", "g:s", "Palermo", "Catania", "ft"],
        &["GEODIST", "g:s", "Palermo", "Catania", "M"],
        &["GEODIST", "g:s", "Palermo", "Palermo"],
        &["GEODIST", "g:s", "Palermo", "nope"],
        &["GEODIST", "g:s", "nope", "Palermo"],
        &["GEODIST", "g:none", "a", "b"],
        &["GEODIST", "g:none", "a", "b", "yards"],
        &["GEODIST", "g:s", "Palermo", "Catania", "yards"],
        &["GEODIST", "g:s", "Palermo", "Catania", "km", "extra"],
        &["GEOHASH", "g:s", "Palermo", "Catania", "nope"],
        &["GEOHASH", "g:s"],
        &["GEOHASH", "g:none", "a"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "WITHDIST"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "WITHCOORD"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "WITHHASH", "WITHHASH", "ASC"],
        &["GEORADIUSBYMEMBER", "g:s", "Palermo", "200", "km", "WITHDIST", "DESC"],
        &[
            "GEOSEARCH",
            "g:s",
            "FROMLONLAT",
            "15",
            "37",
            "BYRADIUS",
            "200",
            "km",
            "ASC",
            "WITHCOORD",
            "WITHDIST",
        ],
        &[
            "GEOSEARCH",
            "g:s",
            "FROMLONLAT",
            "15",
            "37",
            "BYBOX",
            "400",
            "400",
            "km",
            "ASC",
            "WITHCOORD",
            "WITHDIST",
        ],
        &["GEOSEARCH", "g:s", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "km"],
    ]);
}

#[test]
fn geoadd_options_and_errors() {
    let mut s = Session::new();
    s.script(&[
        &["GEOADD", "g:a", "10", "20", "x", "11", "21", "y"],
        &["GEOADD", "g:a", "10", "20", "x"],
        &["GEOADD", "g:a", "CH", "10", "20", "x", "12", "22", "x"],
        &["GEOADD", "g:a", "NX", "13", "23", "x", "14", "24", "z"],
        &["GEOADD", "g:a", "XX", "15", "25", "x", "16", "26", "w"],
        &["GEOADD", "g:a", "CH", "NX", "17", "27", "x", "18", "28", "v"],
        &["GEOADD", "g:a", "CH", "XX", "19", "29", "x", "20", "30", "u"],
        &["GEOADD", "g:a", "xx", "ch", "19", "29", "x"],
        &["GEOADD", "g:a", "ch", "ch", "nx", "21", "31", "t"],
        &["GEOADD", "g:none", "XX", "1", "1", "a"],
        &["EXISTS", "g:none"],
        &["GEOADD", "g:a", "XX", "NX", "1", "1", "a"],
        &["GEOADD", "g:a", "NX", "XX", "1", "1", "a"],
        &["GEOADD", "g:a", "GT", "1", "1", "a"],
        &["GEOADD", "g:a", "INCR", "1", "1", "a"],
        &["GEOADD", "g:a", "1", "1", "a", "2"],
        &["GEOADD", "g:a", "1", "1"],
        &["GEOADD", "g:a", "1"],
        &["GEOADD", "g:a", "CH", "NX", "CH"],
        &["GEOADD", "g:a", "CH", "XX", "NX"],
        &["GEOADD", "g:a", "NX", "NX", "NX"],
        &["GEOADD", "g:a", "x", "1", "a"],
        &["GEOADD", "g:a", "1", "y", "a"],
        &["GEOADD", "g:a", "200", "100", "a"],
        &["GEOADD", "g:a", "-180.0001", "0", "a"],
        &["GEOADD", "g:a", "0", "85.05112879", "a"],
        &["GEOADD", "g:a", "0", "-85.06", "a"],
        &["GEOADD", "g:a", "1e300", "-0", "a"],
        &["GEOADD", "g:a", "-0", "1e300", "a"],
        &["GEOADD", "g:a", "inf", "1", "a"],
        &["GEOADD", "g:a", "1", "-inf", "a"],
        &["GEOADD", "g:a", "nan", "1", "a"],
        &["GEOADD", "g:a", "123.4567891234", "-99.5", "a"],
        &["GEOADD", "g:a", "1", "1", "ok", "500", "1", "bad"],
        &["ZCARD", "g:a"],
        &["GEOADD", "g:a", "0x10", "0x1p2", "hex"],
        &["GEOADD", "g:a", " 1", "1", "a"],
        &["GEOADD", "g:a", "1e-320", "-1e-320", "tiny"],
        &["GEOPOS", "g:a", "hex", "tiny"],
        &["ZRANGE", "g:a", "0", "-1", "WITHSCORES"],
        &["SET", "g:str", "v"],
        &["GEOADD", "g:str", "1", "1", "a"],
        &["GEOADD", "g:str", "1", "100", "a"],
        &["GEOADD", "g:str", "NX", "XX", "1", "1", "a"],
        &["GEOPOS", "g:str", "a"],
        &["GEODIST", "g:str", "a", "b"],
        &["GEODIST", "g:str", "a", "b", "parsec"],
        &["GEOHASH", "g:str", "a"],
        &["GEOADD", "g:a"],
        &["GEOADD", "g:a", "1", "1"],
    ]);
    // strcasecmp stops at a NUL byte: "nx\0junk" is NX.
    s.same_bytes(&[
        "GEOADD".into(),
        "g:a".into(),
        bytes::Bytes::from_static(b"nx\0junk"),
        "5".into(),
        "5".into(),
        "x".into(),
    ]);
}

#[test]
fn edges_poles_antimeridian() {
    let mut s = Session::new();
    let places: &[(&str, &str)] = &[
        ("180", "0"),
        ("-180", "0"),
        ("180", "85.05112878"),
        ("-180", "-85.05112878"),
        ("180", "-85.05112878"),
        ("-180", "85.05112878"),
        ("0", "85.05112878"),
        ("0", "-85.05112878"),
        ("0", "0"),
        ("-0", "-0"),
        ("179.9999999", "85.05"),
        ("-179.9999999", "-85.05"),
        ("179.99", "0.01"),
        ("-179.99", "-0.01"),
        ("0.0000001", "0.0000001"),
        ("-0.0000001", "-0.0000001"),
        ("90", "45"),
        ("-90", "-45"),
        ("45.123456789012345", "-33.987654321098765"),
    ];
    let mut add = vec!["GEOADD", "g:e"];
    let names: Vec<String> = (0..places.len()).map(|i| format!("e{i}")).collect();
    for (i, (lon, lat)) in places.iter().enumerate() {
        add.extend([*lon, *lat, names[i].as_str()]);
    }
    s.same(&add);
    s.same(&["ZRANGE", "g:e", "0", "-1", "WITHSCORES"]);
    let mut pos = vec!["GEOPOS", "g:e"];
    pos.extend(names.iter().map(String::as_str));
    s.same(&pos);
    let mut hash = vec!["GEOHASH", "g:e"];
    hash.extend(names.iter().map(String::as_str));
    s.same(&hash);
    for a in &names {
        for b in names.iter().step_by(3) {
            s.same(&["GEODIST", "g:e", a, b, "km"]);
        }
    }
    for (lon, lat) in places {
        for radius in ["1", "500", "5000", "20000"] {
            s.same(&[
                "GEOSEARCH",
                "g:e",
                "FROMLONLAT",
                lon,
                lat,
                "BYRADIUS",
                radius,
                "km",
                "ASC",
                "WITHDIST",
                "WITHCOORD",
            ]);
            s.same(&[
                "GEOSEARCH",
                "g:e",
                "FROMLONLAT",
                lon,
                lat,
                "BYBOX",
                radius,
                radius,
                "km",
                "DESC",
                "WITHHASH",
            ]);
        }
    }
    for name in &names {
        s.same(&["GEORADIUSBYMEMBER", "g:e", name, "3000", "km", "WITHDIST", "ASC"]);
        s.same(&["GEOSEARCH", "g:e", "FROMMEMBER", name, "BYBOX", "30000", "100", "km", "ASC"]);
        s.same(&["GEOSEARCH", "g:e", "FROMMEMBER", name, "BYRADIUS", "0", "m", "WITHDIST"]);
    }
}

/// Scores that GEOADD never makes (plain ZADD) still decode as Redis decodes them.
#[test]
fn foreign_scores() {
    let mut s = Session::new();
    s.script(&[
        &[
            "ZADD",
            "g:f",
            "-1",
            "neg",
            "0",
            "zero",
            "1e300",
            "huge",
            "-1e300",
            "nhuge",
            "4503599627370495",
            "max52",
            "4503599627370496",
            "over52",
            "9007199254740993",
            "over53",
            "1.5",
            "frac",
            "inf",
            "inf",
            "-inf",
            "ninf",
            "18014398509481983",
            "top",
        ],
        &[
            "GEOPOS", "g:f", "neg", "zero", "huge", "nhuge", "max52", "over52", "over53", "frac", "inf",
            "ninf", "top",
        ],
        &[
            "GEOHASH", "g:f", "neg", "zero", "huge", "nhuge", "max52", "over52", "over53", "frac", "inf",
            "ninf", "top",
        ],
        &["GEODIST", "g:f", "neg", "max52"],
        &["GEODIST", "g:f", "zero", "inf", "mi"],
        &[
            "GEOSEARCH",
            "g:f",
            "FROMLONLAT",
            "0",
            "0",
            "BYRADIUS",
            "25000",
            "km",
            "ASC",
            "WITHHASH",
            "WITHCOORD",
        ],
        &["GEOSEARCH", "g:f", "FROMMEMBER", "neg", "BYRADIUS", "10", "km", "WITHDIST"],
        &["GEORADIUSBYMEMBER", "g:f", "zero", "1", "km", "WITHDIST"],
    ]);
}

#[test]
fn search_errors_in_redis_order() {
    let mut s = Session::new();
    s.same(&["GEOADD", "g:s", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"]);
    s.same(&["SET", "g:str", "x"]);
    s.script(&[
        // Wrong type comes first, before any argument is looked at.
        &["GEORADIUS", "g:str", "x", "y", "z", "w"],
        &["GEORADIUSBYMEMBER", "g:str", "m", "z", "w", "BAD"],
        &["GEOSEARCH", "g:str", "BAD", "x", "y", "z", "w"],
        &["GEOSEARCHSTORE", "g:dst", "g:str", "BAD", "x", "y", "z", "w"],
        &["GEORADIUS_RO", "g:str", "1", "1", "1", "km"],
        &["GEORADIUSBYMEMBER_RO", "g:str", "m", "1", "km"],
        // GEORADIUS: centre, radius, unit.
        &["GEORADIUS", "g:s", "x", "1", "1", "km"],
        &["GEORADIUS", "g:s", "1", "x", "1", "km"],
        &["GEORADIUS", "g:s", "181", "1", "1", "km"],
        &["GEORADIUS", "g:s", "1", "1", "x", "km"],
        &["GEORADIUS", "g:s", "1", "1", "-1", "km"],
        &["GEORADIUS", "g:s", "1", "1", "1", "parsec"],
        &["GEORADIUS", "g:s", "1", "1", "-1", "parsec"],
        &["GEORADIUS", "g:none", "181", "1", "1", "km"],
        &["GEORADIUS", "g:none", "1", "1", "-1", "km"],
        &["GEORADIUS", "g:none", "1", "1", "1", "km"],
        &["GEORADIUS", "g:none", "1", "1", "1", "km", "BAD"],
        &["GEORADIUS", "g:none", "1", "1", "1", "km", "STORE", "g:dst"],
        // GEORADIUSBYMEMBER: the member before the radius; nothing checked without the key.
        &["GEORADIUSBYMEMBER", "g:s", "nope", "x", "km"],
        &["GEORADIUSBYMEMBER", "g:s", "Palermo", "x", "km"],
        &["GEORADIUSBYMEMBER", "g:s", "Palermo", "-5", "km"],
        &["GEORADIUSBYMEMBER", "g:s", "Palermo", "5", "yd"],
        &["GEORADIUSBYMEMBER", "g:none", "nope", "x", "yd"],
        &["GEORADIUSBYMEMBER", "g:none", "nope", "x", "yd", "WITHDIST", "COUNT", "0"],
        &["GEORADIUSBYMEMBER", "g:none", "nope", "x", "yd", "STORE", "g:dst"],
        &["GEORADIUSBYMEMBER", "g:none", "nope", "x", "yd", "BAD"],
        // Options.
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "COUNT"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "COUNT", "x"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "COUNT", "0"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "COUNT", "-3"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "COUNT", "1.5"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "COUNT", "99999999999999999999"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "ANY"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "ANY", "ASC"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "STORE"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "STOREDIST"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "STORE", "g:dst", "WITHDIST"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "WITHHASH", "STOREDIST", "g:dst"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "WITHCOORD", "STORE", "g:dst", "ANY"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "FROMMEMBER", "Palermo"],
        &["GEORADIUS", "g:s", "15", "37", "200", "km", "BYRADIUS", "1", "km"],
        &["GEORADIUS_RO", "g:s", "15", "37", "200", "km", "STORE", "g:dst"],
        &["GEORADIUS_RO", "g:s", "15", "37", "200", "km", "STOREDIST", "g:dst"],
        &["GEORADIUSBYMEMBER_RO", "g:s", "Palermo", "200", "km", "STORE", "g:dst"],
        // GEOSEARCH.
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STORE", "g:dst"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"],
        &["GEOSEARCH", "g:s", "FROMMEMBER", "Palermo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "BYBOX", "1", "1", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km", "BYRADIUS", "200", "km"],
        &["GEOSEARCH", "g:s", "BYRADIUS", "200", "km", "ASC", "WITHDIST"],
        &["geosearch", "g:s", "BYRADIUS", "200", "km", "ASC", "WITHDIST"],
        &["GeoSearch", "g:s", "FROMLONLAT", "15", "37", "ASC", "WITHDIST"],
        &["GEOSEARCH", "g:none", "FROMMEMBER", "x", "ASC", "WITHDIST"],
        &["GEOSEARCH", "g:none", "FROMMEMBER", "x", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "g:none", "FROMLONLAT", "200", "1", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "g:none", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "yd"],
        &["GEOSEARCH", "g:s", "FROMMEMBER", "nope", "BYRADIUS", "1", "km"],
        &["GEOSEARCH", "g:s", "FROMMEMBER", "nope", "BAD"],
        &["GEOSEARCH", "g:s", "BAD", "FROMMEMBER", "nope"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "BYRADIUS", "200", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "200"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYBOX", "200", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYBOX", "x", "1", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYBOX", "1", "x", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYBOX", "x", "-1", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "parsec"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "parsec"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "nan", "km"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "ANY"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "COUNT", "0", "ANY"],
        &["GEOSEARCH", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "ANY", "COUNT", "-1"],
        // GEOSEARCHSTORE.
        &["GEOSEARCHSTORE", "g:dst", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"],
        &["GEOSEARCHSTORE", "g:dst", "g:s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHCOORD"],
        &[
            "GEOSEARCHSTORE",
            "g:dst",
            "g:s",
            "FROMLONLAT",
            "15",
            "37",
            "BYRADIUS",
            "200",
            "km",
            "STORE",
            "g:x",
        ],
        &[
            "GEOSEARCHSTORE",
            "g:dst",
            "g:s",
            "FROMLONLAT",
            "15",
            "37",
            "BYRADIUS",
            "200",
            "km",
            "STOREDIST",
            "g:x",
        ],
        &["GEOSEARCHSTORE", "g:dst", "g:s", "FROMLONLAT", "15", "37", "STOREDIST", "ASC", "COUNT", "1"],
        &["geosearchstore", "g:dst", "g:s", "BYBOX", "1", "1", "km", "STOREDIST"],
        &["EXISTS", "g:dst"],
    ]);
}

/// Every combination of the reply options, orders and counts, in both protocols.
#[test]
fn every_option_combination() {
    let mut s = Session::new();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    add_random(&mut s, &mut rng, "g:r", 300, (-20.0, 40.0), (20.0, 60.0));
    let withs: [&[&str]; 8] = [
        &[],
        &["WITHDIST"],
        &["WITHHASH"],
        &["WITHCOORD"],
        &["WITHDIST", "WITHHASH"],
        &["WITHCOORD", "WITHDIST"],
        &["WITHHASH", "WITHCOORD"],
        &["WITHCOORD", "WITHHASH", "WITHDIST"],
    ];
    let orders: [&[&str]; 3] = [&[], &["ASC"], &["DESC"]];
    let counts: [&[&str]; 5] =
        [&[], &["COUNT", "1"], &["COUNT", "7"], &["COUNT", "7", "ANY"], &["COUNT", "10000"]];
    for proto in 0..2 {
        if proto == 1 {
            use_resp3(&mut s);
        }
        for w in withs {
            for o in orders {
                for c in counts {
                    let tail: Vec<&str> = w.iter().chain(o.iter()).chain(c.iter()).copied().collect();
                    let mut cmd = vec!["GEOSEARCH", "g:r", "FROMLONLAT", "10", "40", "BYRADIUS", "600", "km"];
                    cmd.extend(&tail);
                    s.same(&cmd);
                    let mut cmd = vec!["GEOSEARCH", "g:r", "FROMMEMBER", "p3", "BYBOX", "900", "500", "mi"];
                    cmd.extend(&tail);
                    s.same(&cmd);
                    let mut cmd = vec!["GEORADIUS", "g:r", "10", "40", "400000", "ft"];
                    cmd.extend(&tail);
                    s.same(&cmd);
                    let mut cmd = vec!["GEORADIUSBYMEMBER_RO", "g:r", "p5", "700", "km"];
                    cmd.extend(&tail);
                    s.same(&cmd);
                }
            }
        }
        s.script(&[
            &["GEOPOS", "g:r", "p0", "p1", "none", "p2"],
            &["GEOPOS", "g:none", "x"],
            &["GEODIST", "g:r", "p0", "p1", "km"],
            &["GEODIST", "g:r", "p0", "none"],
            &["GEODIST", "g:none", "p0", "p1"],
            &["GEOHASH", "g:r", "p0", "none"],
            &["GEOSEARCH", "g:r", "FROMLONLAT", "150", "-40", "BYRADIUS", "1", "km"],
            &["GEOSEARCH", "g:none", "FROMLONLAT", "150", "-40", "BYRADIUS", "1", "km"],
        ]);
    }
}

#[test]
fn store_and_storedist() {
    let mut s = Session::new();
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    add_random(&mut s, &mut rng, "g:src", 200, (100.0, 110.0), (-10.0, 5.0));
    for (i, cmd) in [
        &["GEORADIUS", "g:src", "105", "-2", "300", "km", "STORE", "g:dst"][..],
        &["GEORADIUS", "g:src", "105", "-2", "300", "km", "STOREDIST", "g:dst"],
        &["GEORADIUS", "g:src", "105", "-2", "300", "km", "STOREDIST", "g:dst", "COUNT", "5"],
        &["GEORADIUS", "g:src", "105", "-2", "300", "km", "STORE", "g:dst", "COUNT", "5", "DESC"],
        &["GEORADIUS", "g:src", "105", "-2", "300", "km", "STORE", "g:dst", "COUNT", "5", "ANY"],
        &["GEORADIUS", "g:src", "105", "-2", "300", "km", "STORE", "g:x", "STOREDIST", "g:dst"],
        &["GEORADIUSBYMEMBER", "g:src", "p1", "400", "mi", "STOREDIST", "g:dst", "ASC"],
        &["GEOSEARCHSTORE", "g:dst", "g:src", "FROMLONLAT", "105", "-2", "BYBOX", "500", "300", "km"],
        &[
            "GEOSEARCHSTORE",
            "g:dst",
            "g:src",
            "FROMLONLAT",
            "105",
            "-2",
            "BYBOX",
            "500",
            "300",
            "km",
            "STOREDIST",
        ],
        &[
            "GEOSEARCHSTORE",
            "g:dst",
            "g:src",
            "FROMMEMBER",
            "p7",
            "BYRADIUS",
            "90",
            "km",
            "STOREDIST",
            "COUNT",
            "3",
        ],
        &[
            "GEOSEARCHSTORE",
            "g:dst",
            "g:src",
            "FROMMEMBER",
            "p7",
            "BYRADIUS",
            "90",
            "km",
            "COUNT",
            "3",
            "DESC",
        ],
        &["GEOSEARCHSTORE", "g:src", "g:src", "FROMMEMBER", "p7", "BYRADIUS", "150", "km"],
    ]
    .iter()
    .enumerate()
    {
        s.same(cmd);
        s.same(&["ZRANGE", "g:dst", "0", "-1", "WITHSCORES"]);
        s.same(&["TYPE", "g:dst"]);
        if i == 4 {
            s.same(&["OBJECT", "ENCODING", "g:dst"]);
        }
    }
    s.same(&["ZRANGE", "g:src", "0", "-1", "WITHSCORES"]);
    // Nothing found (or no source): the destination is deleted.
    s.script(&[
        &["SET", "g:dst", "old"],
        &["GEOSEARCHSTORE", "g:dst", "g:src", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
        &["EXISTS", "g:dst"],
        &["SET", "g:dst", "old"],
        &["GEOSEARCHSTORE", "g:dst", "g:none", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
        &["EXISTS", "g:dst"],
        &["SET", "g:dst", "old"],
        &["GEORADIUS", "g:src", "0", "0", "1", "km", "STORE", "g:dst"],
        &["EXISTS", "g:dst"],
        &["SET", "g:dst", "old"],
        &["GEORADIUSBYMEMBER", "g:none", "x", "1", "km", "STOREDIST", "g:dst"],
        &["EXISTS", "g:dst"],
        &[
            "GEOSEARCHSTORE",
            "g:dst",
            "g:src",
            "FROMLONLAT",
            "105",
            "-2",
            "BYRADIUS",
            "300",
            "km",
            "STOREDIST",
        ],
        &["SET", "g:str", "x"],
        &["GEOSEARCHSTORE", "g:dst", "g:str", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
        &["ZCARD", "g:dst"],
    ]);
}

/// Equal distances: the order of ties is qsort's (stable) for a full sort and Redis's pqsort's
/// with COUNT; ANY stops in box and score order.
#[test]
fn ties_and_partial_sorts() {
    let mut s = Session::new();
    let mut cmd: Vec<String> = vec!["GEOADD".into(), "g:t".into()];
    for i in 0..120 {
        // Six rings of equal-distance points (same place, several names), plus a few loners.
        let spot = i % 6;
        cmd.push(format!("{}", 2.0 + spot as f64 * 0.01));
        cmd.push("48".into());
        cmd.push(format!("m{i:03}"));
    }
    for i in 0..30 {
        cmd.push(format!("{}", 2.0 - i as f64 * 0.003));
        cmd.push(format!("{}", 48.0 + i as f64 * 0.001));
        cmd.push(format!("l{i:02}"));
    }
    let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
    s.same(&refs);
    for count in ["1", "3", "7", "20", "21", "40", "41", "59", "100", "149", "150", "151"] {
        for order in ["ASC", "DESC"] {
            s.same(&[
                "GEOSEARCH",
                "g:t",
                "FROMLONLAT",
                "2",
                "48",
                "BYRADIUS",
                "50",
                "km",
                "COUNT",
                count,
                order,
            ]);
            s.same(&[
                "GEOSEARCH",
                "g:t",
                "FROMLONLAT",
                "2.03",
                "48",
                "BYRADIUS",
                "50",
                "km",
                "COUNT",
                count,
                order,
                "WITHDIST",
            ]);
            s.same(&[
                "GEOSEARCH",
                "g:t",
                "FROMLONLAT",
                "2",
                "48",
                "BYRADIUS",
                "50",
                "km",
                "COUNT",
                count,
                "ANY",
                order,
            ]);
        }
        s.same(&[
            "GEOSEARCH",
            "g:t",
            "FROMLONLAT",
            "2",
            "48",
            "BYBOX",
            "30",
            "30",
            "km",
            "COUNT",
            count,
            "ANY",
        ]);
    }
    s.same(&["GEOSEARCH", "g:t", "FROMLONLAT", "2", "48", "BYRADIUS", "50", "km"]);
    s.same(&["GEOSEARCH", "g:t", "FROMLONLAT", "2", "48", "BYRADIUS", "50", "km", "DESC"]);
}

/// Random sets and searches all over the map, radius and box, every unit.
#[test]
fn random_searches_everywhere() {
    let mut s = Session::new();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    add_random(&mut s, &mut rng, "g:w", 2000, (-180.0, 180.0), (-85.05112878, 85.05112878));
    add_random(&mut s, &mut rng, "g:d", 500, (170.0, 180.0), (60.0, 85.05112878));
    s.same(&["OBJECT", "ENCODING", "g:w"]);
    let units = ["m", "km", "ft", "mi"];
    for i in 0..300 {
        let key = if i % 3 == 0 { "g:d" } else { "g:w" };
        let lon = if key == "g:d" { rng.within(165.0, 180.0) } else { rng.within(-180.0, 180.0) };
        let lat = if key == "g:d" { rng.within(55.0, 85.05) } else { rng.within(-85.05, 85.05) };
        let (lon, lat) = (format!("{lon:.10}"), format!("{lat:.10}"));
        let unit = units[rng.below(4)];
        let scale = match unit {
            "m" => 1000.0,
            "ft" => 3280.0,
            "mi" => 0.62,
            _ => 1.0,
        };
        let size = |rng: &mut Rng| {
            let km = if rng.below(8) == 0 { rng.within(1000.0, 9000.0) } else { rng.within(1.0, 400.0) };
            format!("{:.3}", km * scale)
        };
        let (r, w, h) = (size(&mut rng), size(&mut rng), size(&mut rng));
        s.same(&[
            "GEOSEARCH",
            key,
            "FROMLONLAT",
            &lon,
            &lat,
            "BYRADIUS",
            &r,
            unit,
            "WITHDIST",
            "WITHCOORD",
            "ASC",
        ]);
        s.same(&["GEOSEARCH", key, "FROMLONLAT", &lon, &lat, "BYBOX", &w, &h, unit, "WITHDIST", "DESC"]);
        s.same(&["GEORADIUS", key, &lon, &lat, &r, unit, "WITHHASH", "COUNT", "5"]);
        let member = format!("p{}", rng.below(500));
        s.same(&["GEOSEARCH", key, "FROMMEMBER", &member, "BYBOX", &w, &h, unit, "COUNT", "10", "WITHDIST"]);
        s.same(&["GEODIST", key, &member, "p1", unit]);
    }
}

#[test]
fn command_info() {
    let mut s = Session::new();
    for name in [
        "geoadd",
        "geodist",
        "geohash",
        "geopos",
        "georadius",
        "georadius_ro",
        "georadiusbymember",
        "georadiusbymember_ro",
        "geosearch",
        "geosearchstore",
    ] {
        let (theirs, ours) = s.both(&["COMMAND", "INFO", name]);
        // Key specs and tips are not modelled: compare name, arity, flags, keys and categories.
        let head = |f: &playground_engine::Frame| match f {
            playground_engine::Frame::Array(items) => match items.first() {
                Some(playground_engine::Frame::Array(info)) => format!("{:?}", &info[..7]),
                other => format!("{other:?}"),
            },
            other => format!("{other:?}"),
        };
        assert_eq!(head(&ours), head(&theirs), "{name}");
    }
}

/// keyspace_hits and keyspace_misses as Redis counts them: searches, GEOPOS, GEODIST and
/// GEOHASH read their key once; GEOADD and the stores' destinations are writes.
#[test]
fn hits_and_misses() {
    let pick = |f: &playground_engine::Frame| -> Vec<String> {
        let text = String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned();
        text.lines().filter(|l| l.starts_with("keyspace_")).map(str::to_string).collect()
    };
    let commands: &[&[&str]] = &[
        &["GEOADD", "g:h", "1", "1", "c"],
        &["GEOADD", "g:none", "XX", "1", "1", "c"],
        &["GEOPOS", "g:h", "a", "x"],
        &["GEOPOS", "g:none", "a"],
        &["GEODIST", "g:h", "a", "b"],
        &["GEODIST", "g:none", "a", "b"],
        &["GEODIST", "g:none", "a", "b", "parsec"],
        &["GEOHASH", "g:h", "a"],
        &["GEOSEARCH", "g:h", "FROMMEMBER", "a", "BYRADIUS", "500", "km"],
        &["GEOSEARCH", "g:none", "FROMMEMBER", "a", "BYRADIUS", "500", "km"],
        &["GEOSEARCH", "g:h", "FROMMEMBER", "x", "BYRADIUS", "500", "km"],
        &["GEOSEARCHSTORE", "g:dst", "g:h", "FROMLONLAT", "0", "0", "BYRADIUS", "500", "km"],
        &["GEOSEARCHSTORE", "g:h", "g:none", "FROMLONLAT", "0", "0", "BYRADIUS", "500", "km"],
        &["GEORADIUS", "g:h", "0", "0", "500", "km", "STOREDIST", "g:dst"],
        &["GEORADIUSBYMEMBER", "g:h", "a", "500", "km", "STORE", "g:h"],
        &["GEORADIUSBYMEMBER_RO", "g:none", "a", "500", "km"],
    ];
    for db in ["0", "9"] {
        for command in commands {
            let mut s = Session::new();
            s.same(&["SELECT", db]);
            s.same(&["GEOADD", "g:h", "0", "0", "a", "1", "1", "b"]);
            s.run(&["CONFIG", "RESETSTAT"]);
            s.same(command);
            let (theirs, ours) = s.both(&["INFO", "stats"]);
            assert_eq!(pick(&ours), pick(&theirs), "{command:?} in db {db} (left: emulator, right: Redis)");
        }
    }
}

/// Radiuses and boxes from nothing to infinity, and counts up to the largest integer.
#[test]
fn extreme_sizes_and_counts() {
    let mut s = Session::new();
    let mut rng = Rng(0xfeed_beef_0bad_cafe);
    add_random(&mut s, &mut rng, "g:x", 400, (-180.0, 180.0), (-85.05112878, 85.05112878));
    s.same(&["GEOADD", "g:x", "0", "0", "origin", "180", "85.05112878", "corner"]);
    for size in ["0", "1e-300", "5e-324", "0.0001", "1e7", "2e7", "4e7", "1e300", "inf", "-0"] {
        for unit in ["m", "mi"] {
            for center in [("0", "0"), ("180", "85.05112878"), ("-179.5", "-80")] {
                let (lon, lat) = center;
                s.same(&[
                    "GEOSEARCH",
                    "g:x",
                    "FROMLONLAT",
                    lon,
                    lat,
                    "BYRADIUS",
                    size,
                    unit,
                    "COUNT",
                    "3",
                    "WITHDIST",
                ]);
                s.same(&[
                    "GEOSEARCH",
                    "g:x",
                    "FROMLONLAT",
                    lon,
                    lat,
                    "BYBOX",
                    size,
                    size,
                    unit,
                    "COUNT",
                    "3",
                    "DESC",
                ]);
                s.same(&[
                    "GEOSEARCH",
                    "g:x",
                    "FROMLONLAT",
                    lon,
                    lat,
                    "BYBOX",
                    size,
                    "1000",
                    "km",
                    "ASC",
                    "WITHDIST",
                ]);
                s.same(&[
                    "GEOSEARCH",
                    "g:x",
                    "FROMLONLAT",
                    lon,
                    lat,
                    "BYBOX",
                    "1000",
                    size,
                    "km",
                    "COUNT",
                    "2",
                    "ANY",
                ]);
            }
        }
    }
    for count in ["1", "399", "401", "402", "403", "9223372036854775807"] {
        s.same(&[
            "GEOSEARCH",
            "g:x",
            "FROMLONLAT",
            "0",
            "0",
            "BYRADIUS",
            "30000",
            "km",
            "COUNT",
            count,
            "DESC",
        ]);
        s.same(&[
            "GEOSEARCH",
            "g:x",
            "FROMLONLAT",
            "0",
            "0",
            "BYRADIUS",
            "30000",
            "km",
            "COUNT",
            count,
            "ANY",
        ]);
        s.same(&["GEORADIUS", "g:x", "0", "0", "30000", "km", "COUNT", count, "STORE", "g:dst"]);
        s.same(&["ZCARD", "g:dst"]);
    }
    s.same(&[
        "GEOSEARCH",
        "g:x",
        "FROMLONLAT",
        "0",
        "0",
        "BYRADIUS",
        "30000",
        "km",
        "COUNT",
        "9223372036854775808",
    ]);
}
