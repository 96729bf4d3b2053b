//! RedisJSON 2.8 against the oracle started WITH the JSON module, byte for byte, RESP2 and RESP3:
//! the second oracle of `common::json_oracle_port` (16380, started on demand with `--with json`;
//! `REDIS_JSON_ORACLE_PORT` points at another), apart from the search-only one the other tests use.

mod common;
use common::{args, show, Session};

/// A session on the oracle with RedisJSON. Its module list is read before the session flushes
/// it, so a wrongly configured port (an oracle without ReJSON) fails the test untouched.
fn session() -> Option<Session> {
    let port = common::json_oracle_port();
    let mut oracle = common::Oracle::connect(port);
    let modules = oracle.raw(&args(&["MODULE", "LIST"]));
    drop(oracle);
    assert!(
        String::from_utf8_lossy(&modules).contains("ReJSON"),
        "the oracle on port {port} has no ReJSON module (REDIS_JSON_ORACLE_PORT must name one started \
         with `../shared/oracle/redis-stack start PORT --with json`)"
    );
    Some(Session::on_port(port))
}

/// Every line compared byte for byte; all mismatches reported together.
#[track_caller]
fn check(s: &mut Session, lines: &[&[&str]]) {
    let mut bad = Vec::new();
    for line in lines {
        let (theirs, ours) = s.both_raw(&args(line));
        if theirs != ours {
            bad.push(format!("{line:?}\n  redis: {}\n  ours:  {}", show(&theirs), show(&ours)));
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

/// JSON.GET with several paths: RedisJSON keys its reply object by path in a hash map, so the
/// members come in the map's order; compared here as sets of (path, value) members.
#[test]
fn get_with_several_paths() {
    use playground_engine::types::json::{parse, Json};
    use playground_engine::Frame;
    let Some(mut s) = session() else { return };
    check(&mut s, &[&["JSON.SET", "k", "$", DOC]]);
    let members = |f: Frame| -> Vec<String> {
        let Frame::Bulk(b) = f else { return vec![format!("{f:?}")] };
        match parse(&b) {
            Ok(Json::Obj(m)) => {
                let mut v: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", v.to_text())).collect();
                v.sort();
                v
            }
            other => vec![format!("{other:?}")],
        }
    };
    for line in [
        &["JSON.GET", "k", "$.a", "$.x"][..],
        &["JSON.GET", "k", ".x", "$.x"],
        &["JSON.GET", "k", "$.zz", "$.x"],
        &["JSON.GET", "k", "$.x", "$.x", "$.c[-7]", "$.c[-100:2]", "$.c[3:1]"],
        &["JSON.GET", "k", ".x", "a.b", "c[0]"],
        &["JSON.GET", "k", ".x", "a.zz"],
        &["JSON.GET", "k", "$.x", ".zz"],
        &["JSON.GET", "k", "INDENT", "  ", "NEWLINE", "\n", "SPACE", " ", "$.x", "$.a"],
        &["JSON.GET", "k", "INDENT", "  ", "NEWLINE", "\n", ".x", ".a"],
    ] {
        let (theirs, ours) = s.both(line);
        if matches!(theirs, Frame::Error(_)) || !matches!(theirs, Frame::Bulk(ref b) if b.contains(&b'\n')) {
            // Errors and compact replies: members as sets.
            assert_eq!(members(ours), members(theirs), "{line:?}");
        } else {
            // Laid-out replies: the same lines, in any order.
            let lines = |f: Frame| {
                let Frame::Bulk(b) = f else { return vec![] };
                let mut l: Vec<String> = String::from_utf8_lossy(&b)
                    .lines()
                    .map(|l| l.trim_end_matches(',').to_string())
                    .collect();
                l.sort();
                l
            };
            assert_eq!(lines(ours), lines(theirs), "{line:?}");
        }
    }
}

/// The same lines in RESP2, then again in RESP3 on a fresh session (after `setup`).
#[track_caller]
fn both_protocols(setup: &[&[&str]], lines: &[&[&str]]) {
    for resp3 in [false, true] {
        let Some(mut s) = session() else { return };
        if resp3 {
            s.run(&["HELLO", "3"]);
        }
        check(&mut s, setup);
        check(&mut s, lines);
    }
}

const DOC: &str =
    r#"{"a":{"x":1,"b":{"x":2}},"x":3,"c":[{"x":4},5,"s",true,null,2.5],"d":"hé\n\u0001\"/","e":{}}"#;

#[test]
fn values_print_as_redisjson_prints_them() {
    both_protocols(
        &[],
        &[
            &[
                "JSON.SET",
                "n",
                "$",
                r#"[1,2.5,3.0,1e20,1e-7,-0.0,1.5e300,1E2,0.000001,0.00001,1e15,1e16,123456789.125,-12,9223372036854775807,9223372036854775808,-9223372036854775808,0.1,1e-300]"#,
            ],
            &["JSON.GET", "n"],
            // Where Grisu2 (Redis's own doubles) and ryu (RedisJSON's) part ways.
            &[
                "JSON.SET",
                "g",
                "$",
                "[0.3939193,801231701397546.25,0.13130642,0.26261285,5e-324,1.7976931348623157e308,2251799813685248.5,4503599627370497,123456789012345.75,7.5e-323]",
            ],
            &["JSON.GET", "g"],
            &["JSON.NUMINCRBY", "g", "$[0]", "0.1"],
            &["JSON.NUMMULTBY", "g", "$[1]", "3"],
            &["JSON.GET", "g"],
            &[
                "JSON.SET",
                "n",
                "$",
                "[-9223372036854775809,18446744073709551615,18446744073709551616,-0,-1.0e-400]",
            ],
            &["JSON.GET", "n"],
            &[
                "JSON.SET",
                "s",
                "$",
                r#"{"k":"a\"b\\c\/d\b\f\n\r\t\u0000\u001f\u00e9\ud83d\ude00 é","":{"":[]}}"#,
            ],
            &["JSON.GET", "s"],
            &["JSON.SET", "d", "$", r#"{"a":1,"a":2,"b":{"a":1},"c":[ 1 , { } ,[ ] ] }"#],
            &["JSON.GET", "d"],
            &["JSON.SET", "t", "$", "1 2"],
            &["JSON.GET", "t"],
            &["JSON.SET", "t", "$", " \"x\" "],
            &["JSON.GET", "t"],
            &["JSON.SET", "t", "$", "null"],
            &["JSON.GET", "t"],
            &["JSON.SET", "t", "$", "true"],
            &["JSON.GET", "t"],
        ],
    );
}

#[test]
fn parse_errors_are_serde_json_s() {
    both_protocols(
        &[],
        &[
            &["JSON.SET", "k", "$", r#"{"a":1"#],
            &["JSON.SET", "k", "$", "x"],
            &["JSON.SET", "k", "$", "[1,]"],
            &["JSON.SET", "k", "$", r#"{"a":1,}"#],
            &["JSON.SET", "k", "$", r#""\ud800""#],
            &["JSON.SET", "k", "$", ""],
            &["JSON.SET", "k", "$", "["],
            &["JSON.SET", "k", "$", "[1 2]"],
            &["JSON.SET", "k", "$", r#"{"a" 1}"#],
            &["JSON.SET", "k", "$", r#"{1:1}"#],
            &["JSON.SET", "k", "$", r#"{"a":1 "b":2}"#],
            &["JSON.SET", "k", "$", "tru"],
            &["JSON.SET", "k", "$", "trux"],
            &["JSON.SET", "k", "$", "01"],
            &["JSON.SET", "k", "$", "-"],
            &["JSON.SET", "k", "$", "1."],
            &["JSON.SET", "k", "$", "1.x"],
            &["JSON.SET", "k", "$", "1e"],
            &["JSON.SET", "k", "$", "1e400"],
            &["JSON.SET", "k", "$", "\"a\nb\""],
            &["JSON.SET", "k", "$", r#""\x""#],
            &["JSON.SET", "k", "$", "\"abc"],
            &["JSON.SET", "k", "$", "[\n1,\n]"],
            &["JSON.SET", "k", "$", &"[".repeat(200)],
            &["EXISTS", "k"],
        ],
    );
}

#[test]
fn get_with_paths_and_formatting() {
    both_protocols(
        &[&["JSON.SET", "k", "$", DOC]],
        &[
            &["JSON.GET", "k"],
            &["JSON.GET", "k", "$"],
            &["JSON.GET", "k", "."],
            &["JSON.GET", "k", "$..x"],
            &["JSON.GET", "k", "$.a"],
            &["JSON.GET", "k", ".a"],
            &["JSON.GET", "k", "a"],
            &["JSON.GET", "k", "a.b"],
            &["JSON.GET", "k", "a.b.x"],
            &["JSON.GET", "k", "$.a.b.x"],
            &["JSON.GET", "k", "$.c[*]"],
            &["JSON.GET", "k", "$.c[0]"],
            &["JSON.GET", "k", "$.c[-1]"],
            &["JSON.GET", "k", "$.c[-7]"],
            &["JSON.GET", "k", "$.c[9]"],
            &["JSON.GET", "k", "$.c[1:3]"],
            &["JSON.GET", "k", "$.c[:2]"],
            &["JSON.GET", "k", "$.c[2:]"],
            &["JSON.GET", "k", "$.c[-2:]"],
            &["JSON.GET", "k", "$.c[0:6:2]"],
            &["JSON.GET", "k", "$.c[1:6:9223372036854775807]"],
            &["JSON.GET", "k", "$.c[-9223372036854775808]"],
            &["JSON.GET", "k", "$.c[-9223372036854775808:9223372036854775807]"],
            &["JSON.ARRPOP", "k", ".c", "-9223372036854775808"],
            &["JSON.ARRINSERT", "k", ".c", "-9223372036854775808", "1"],
            &["JSON.GET", "k", "$.c[0,2]"],
            &["JSON.GET", "k", "$[\"a\"]"],
            &["JSON.GET", "k", "$['a']['b']"],
            &["JSON.GET", "k", "$.*"],
            &["JSON.GET", "k", "$..*"],
            &["JSON.GET", "k", "$..[*]"],
            &["JSON.GET", "k", "$.a.*"],
            &["JSON.GET", "k", "$.c[?(@.x>3)]"],
            &["JSON.GET", "k", "$.c[?(@>3)]"],
            &["JSON.GET", "k", "$.c[?(@==\"s\")]"],
            &["JSON.GET", "k", "$..[?(@.x)]"],
            &["JSON.GET", "k", "$.c[?(@>1 && @<5)]"],
            &["JSON.GET", "k", "$.c[?(@==true || @==null)]"],
            &["JSON.GET", "k", "c[0]"],
            &["JSON.GET", "k", "c[-1]"],
            &["JSON.GET", "k", ".c[1]"],
            &["JSON.GET", "k", "[\"a\"]"],
            &["JSON.GET", "k", "$.zz"],
            &["JSON.GET", "k", ".zz"],
            &["JSON.GET", "k", "a.zz.y"],
            &["JSON.GET", "k", "$.a.zz.y"],
            &["JSON.GET", "k", ".d"],
            &["JSON.GET", "k", "$.d"],
            &["JSON.GET", "k", ".x", ".x"],
            &["JSON.GET", "k", "INDENT", "\t", "NEWLINE", "\n", "SPACE", " "],
            &["JSON.GET", "k", "INDENT", "  ", "NEWLINE", "\n", "SPACE", " ", "$.a"],
            &["JSON.GET", "k", "INDENT", "  ", "NEWLINE", "\n", "SPACE", " ", ".a"],
            &["JSON.GET", "k", "INDENT", "  ", ".e"],
            &["JSON.GET", "k", "INDENT", "x", "$.x"],
            &["JSON.GET", "k", "NEWLINE", "\r\n", ".c"],
            &["JSON.GET", "k", "SPACE", "_", ".a"],
            &["JSON.GET", "k", "indent", "-", "newline", "|", "$.e"],
            &["JSON.GET", "k", "INDENT"],
            &["JSON.GET", "k", "$", "NEWLINE"],
            &["JSON.GET", "nokey"],
            &["JSON.GET", "nokey", "$"],
            &["JSON.GET", "nokey", ".a"],
            &["JSON.GET"],
            &["SET", "str", "v"],
            &["JSON.GET", "str"],
            &["JSON.GET", "str", "$"],
        ],
    );
}

const STORE: &str = r#"{"store":{"book":[{"category":"reference","author":"Nigel Rees","title":"Sayings","price":8.95},{"category":"fiction","author":"Evelyn Waugh","title":"Sword","price":12.99,"tags":["a","b"]},{"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553","price":8,"in":true}],"bicycle":{"color":"red","price":19.95}},"n":null}"#;

#[test]
fn filters_and_deep_paths() {
    both_protocols(
        &[&["JSON.SET", "s", "$", STORE]],
        &[
            &["JSON.GET", "s", "$.store.book[?(@.price<10)].title"],
            &["JSON.GET", "s", "$..book[?(@.price<10)].title"],
            &["JSON.GET", "s", "$..book[?(@.price<=8)]"],
            &["JSON.GET", "s", "$..book[?(@.price>=12.99)].author"],
            &["JSON.GET", "s", "$..book[?(@.price!=8)].price"],
            &["JSON.GET", "s", "$..book[?(@.isbn)].title"],
            &["JSON.GET", "s", "$..book[?(!@.isbn)].title"],
            &["JSON.GET", "s", "$..book[?(@.author=='Nigel Rees')].price"],
            &["JSON.GET", "s", "$..book[?(@.author==\"Nigel Rees\")].price"],
            &["JSON.GET", "s", "$..book[?(@.category=='fiction' && @.price>10)].title"],
            &["JSON.GET", "s", "$..book[?(@.category=='reference' || @.price==8)].title"],
            &["JSON.GET", "s", "$..book[?(@.in==true)].title"],
            &["JSON.GET", "s", "$..book[?(@.tags)].tags[*]"],
            &["JSON.GET", "s", "$..price"],
            &["JSON.GET", "s", "$..book[*].author"],
            &["JSON.GET", "s", "$..book[0,2].title"],
            &["JSON.GET", "s", "$..book[-1:].title"],
            &["JSON.GET", "s", "$.store.*"],
            &["JSON.GET", "s", "$.store..price"],
            &["JSON.GET", "s", "$..*.color"],
            &["JSON.GET", "s", "$['store']['bicycle']['color']"],
            &["JSON.GET", "s", "$.store['bicycle','book']"],
            &["JSON.GET", "s", "$.n"],
            &["JSON.GET", "s", ".n"],
            &["JSON.TYPE", "s", "$..book[?(@.price<10)].price"],
            &["JSON.NUMINCRBY", "s", "$..book[?(@.price<10)].price", "1"],
            &["JSON.SET", "s", "$..book[?(@.price>10)].price", "5"],
            &["JSON.GET", "s", "$..price"],
            &["JSON.DEL", "s", "$..book[?(@.price==5)]"],
            &["JSON.GET", "s", "$.store.book[*].title"],
            &["JSON.ARRLEN", "s", "$..book"],
            &["JSON.STRLEN", "s", "$..title"],
            &["JSON.OBJLEN", "s", "$.store.*"],
            &["JSON.OBJKEYS", "s", "$.store.bicycle"],
            &["JSON.GET", "s", "store.bicycle.color"],
            &["JSON.GET", "s", ".store.book[0].title"],
            &["JSON.GET", "s", "store.book[-1].title"],
            &["JSON.GET", "s", "$.store.book[0]['title']"],
        ],
    );
}

#[test]
fn unusual_keys_and_legacy_wildcards() {
    both_protocols(
        &[&[
            "JSON.SET",
            "u",
            "$",
            r#"{"a.b":1,"a-b":2,"é":3,"1":4,"sp ace":5,"q\"uote":6,"c":[{"x":1},{"x":2}],"_u":7}"#,
        ]],
        &[
            &["JSON.GET", "u", "$[\"a.b\"]"],
            &["JSON.GET", "u", "$['a.b']"],
            &["JSON.GET", "u", "$.a-b"],
            &["JSON.GET", "u", "$.a:b"],
            &["JSON.GET", "u", "$.a#%/$~+"],
            &["JSON.GET", "u", "$.a@"],
            &["JSON.GET", "u", "$.a b"],
            &["JSON.GET", "u", "$.."],
            &["JSON.GET", "u", "$.a."],
            &["JSON.GET", "u", "a."],
            &["JSON.GET", "u", "..x"],
            &["JSON.GET", "u", "$a"],
            &["JSON.GET", "u", "$.a]"],
            &["JSON.GET", "u", "$[0]]"],
            &["JSON.GET", "u", "$.1"],
            &["JSON.GET", "u", ".1"],
            &["JSON.GET", "u", "$['sp ace']"],
            &["JSON.GET", "u", "$['q\"uote']"],
            &["JSON.GET", "u", "$._u"],
            &["JSON.GET", "u", "_u"],
            &["JSON.GET", "u", ".c[*].x"],
            &["JSON.GET", "u", "..x"],
            &["JSON.GET", "u", ".c[*]"],
            &["JSON.TYPE", "u", ".c[*].x"],
            &["JSON.SET", "u", ".c[*].x", "9"],
            &["JSON.GET", "u", "$..x"],
            &["JSON.NUMINCRBY", "u", ".c[*].x", "1"],
            &["JSON.DEL", "u", "..x"],
            &["JSON.GET", "u", "$.c"],
            &["JSON.GET", "u", ""],
            &["JSON.DEL", "u", ""],
            &["EXISTS", "u"],
            &["JSON.SET", "u", "", "[1]"],
            &["JSON.GET", "u"],
            &["JSON.SET", "u", "$", "{\"x\":1}"],
            &["JSON.SET", "u", "$.y", "{\"z\":[1,{\"w\":null}]}"],
            &["JSON.GET", "u", "INDENT", "\t", "NEWLINE", "\n", "SPACE", " "],
            &["JSON.GET", "u", "NEWLINE", "\n", "$"],
            &["JSON.GET", "u", "SPACE", " ", "$"],
            &["JSON.MGET", "u", "$.y.z[1]"],
            &["JSON.ARRINDEX", "u", "$.y.z", "{\"w\":null}"],
            &["JSON.ARRINDEX", "u", "$.y.z", "1"],
            &["JSON.ARRINDEX", "u", "$.y.z", "1.0"],
        ],
    );
}

#[test]
fn path_syntax_errors() {
    both_protocols(
        &[&["JSON.SET", "k", "$", DOC]],
        &[
            &["JSON.GET", "k", "$.["],
            &["JSON.GET", "k", "a["],
            &["JSON.GET", "k", "$.c[x]"],
            &["JSON.GET", "k", "$.c[0"],
        ],
    );
}

#[test]
fn set_creates_replaces_and_honours_nx_xx() {
    both_protocols(
        &[&["JSON.SET", "k", "$", DOC]],
        &[
            &["JSON.SET", "k", "$.a.x", "9"],
            &["JSON.GET", "k", "$.a"],
            &["JSON.SET", "k", "$.new", "{\"q\":[1]}"],
            &["JSON.SET", "k", ".new2", "2"],
            &["JSON.SET", "k", "new3", "3"],
            &["JSON.GET", "k"],
            &["JSON.SET", "k", "$.q.r", "1"],
            &["JSON.SET", "k", ".q.r", "1"],
            &["JSON.SET", "k", "$..x", "0"],
            &["JSON.GET", "k"],
            &["JSON.SET", "k", "$.c[0]", "\"first\""],
            &["JSON.SET", "k", "$.c[-1]", "\"last\""],
            &["JSON.SET", "k", "$.c[20]", "1"],
            &["JSON.SET", "k", ".c[20]", "1"],
            &["JSON.SET", "k", "$.c[*]", "7"],
            &["JSON.GET", "k", "$.c"],
            &["JSON.SET", "k", "$.x", "1", "NX"],
            &["JSON.SET", "k", "$.x", "1", "XX"],
            &["JSON.SET", "k", "$.y", "1", "XX"],
            &["JSON.SET", "k", "$.y", "1", "NX"],
            &["JSON.SET", "k", "$.y", "2", "nx"],
            &["JSON.SET", "k", "$", "1", "NX"],
            &["JSON.SET", "k2", "$", "1", "XX"],
            &["JSON.SET", "k2", "$", "1", "NX"],
            &["JSON.SET", "k2", "$", "2", "NX"],
            &["JSON.SET", "k2", "$", "3", "XX"],
            &["JSON.GET", "k2"],
            &["JSON.SET", "k2", "$", "3", "XY"],
            &["JSON.SET", "k2", "$", "3", "NX", "XX"],
            &["JSON.SET", "k2", "$", "3", "NX", "NX"],
            &["JSON.SET", "k3", "$.x", "1"],
            &["JSON.SET", "k3", ".x", "1"],
            &["JSON.SET", "k3", ".", "{}"],
            &["JSON.GET", "k3"],
            &["JSON.SET", "k3"],
            &["JSON.SET", "k3", "$"],
            &["SET", "str", "v"],
            &["JSON.SET", "str", "$", "1"],
            &["JSON.SET", "k", "$", "[]"],
            &["JSON.GET", "k"],
        ],
    );
}

#[test]
fn del_forget_type_and_mget_mset() {
    both_protocols(
        &[
            &["JSON.SET", "k", "$", DOC],
            &["JSON.SET", "k2", "$", r#"{"x":"two","a":[]}"#],
            &["SET", "str", "v"],
        ],
        &[
            &["JSON.TYPE", "k"],
            &["JSON.TYPE", "k", "$"],
            &["JSON.TYPE", "k", "$..x"],
            &["JSON.TYPE", "k", "$.c[*]"],
            &["JSON.TYPE", "k", ".c"],
            &["JSON.TYPE", "k", ".d"],
            &["JSON.TYPE", "k", "$.zz"],
            &["JSON.TYPE", "k", ".zz"],
            &["JSON.TYPE", "nokey"],
            &["JSON.TYPE", "nokey", "$"],
            &["JSON.TYPE", "str"],
            &["JSON.TYPE"],
            &["JSON.MGET", "k", "k2", "nokey", "str", "$.x"],
            &["JSON.MGET", "k", "k2", "nokey", ".x"],
            &["JSON.MGET", "k", "k2", ".a"],
            &["JSON.MGET", "k", "k2", "$..x"],
            &["JSON.MGET", "k", ".zz"],
            &["JSON.MGET", "k"],
            &["JSON.MSET", "m1", "$", "1", "m2", "$", "[2]"],
            &["JSON.MGET", "m1", "m2", "$"],
            &["JSON.MSET", "m1", "$", "1", "m2"],
            &["JSON.MSET", "m3", "$.x", "1"],
            &["JSON.MSET", "m1", "$", "1", "m4", "$", "{"],
            &["EXISTS", "m4"],
            &["JSON.MSET", "k", "$.a.x", "10", "k2", ".x", "\"2\""],
            &["JSON.MGET", "k", "k2", "$.x"],
            &["JSON.DEL", "k", "$.a.x"],
            &["JSON.GET", "k"],
            &["JSON.DEL", "k", "$..x"],
            &["JSON.GET", "k"],
            &["JSON.DEL", "k", ".zz"],
            &["JSON.DEL", "k", "$.zz"],
            &["JSON.DEL", "k", "$.c[0]"],
            &["JSON.DEL", "k", "$.c[-1]"],
            &["JSON.GET", "k"],
            &["JSON.DEL", "k", "$.c[*]"],
            &["JSON.GET", "k"],
            &["JSON.FORGET", "k", ".d"],
            &["JSON.GET", "k"],
            &["JSON.DEL", "nokey"],
            &["JSON.DEL", "str"],
            &["JSON.DEL", "k2", ".", "extra"],
            &["EXISTS", "k2"],
            &["JSON.DEL", "k"],
            &["EXISTS", "k"],
            &["JSON.DEL"],
        ],
    );
}

#[test]
fn numbers() {
    both_protocols(
        &[&["JSON.SET", "k", "$", r#"{"i":3,"f":1.5,"s":"x","a":[1,2.0,"y"],"big":9223372036854775807}"#]],
        &[
            &["JSON.NUMINCRBY", "k", ".i", "2"],
            &["JSON.NUMINCRBY", "k", "$.i", "2"],
            &["JSON.NUMINCRBY", "k", ".i", "0.5"],
            &["JSON.NUMINCRBY", "k", ".f", "1"],
            &["JSON.NUMINCRBY", "k", "$.a[*]", "1"],
            &["JSON.NUMINCRBY", "k", "$..*", "1"],
            &["JSON.NUMINCRBY", "k", ".s", "1"],
            &["JSON.NUMINCRBY", "k", "$.s", "1"],
            &["JSON.NUMINCRBY", "k", ".zz", "1"],
            &["JSON.NUMINCRBY", "k", "$.zz", "1"],
            &["JSON.NUMINCRBY", "k", ".i", "x"],
            &["JSON.NUMINCRBY", "k", ".i", "\"1\""],
            &["JSON.NUMINCRBY", "k", ".big", "1"],
            &["JSON.NUMINCRBY", "k", ".f", "1e308"],
            &["JSON.NUMINCRBY", "k", ".f", "1e308"],
            &["JSON.NUMINCRBY", "nokey", ".i", "1"],
            &["JSON.NUMINCRBY", "nokey", "$.i", "1"],
            &["JSON.NUMINCRBY", "k", ".i"],
            &["JSON.NUMMULTBY", "k", ".i", "2"],
            &["JSON.NUMMULTBY", "k", "$.i", "0.5"],
            &["JSON.NUMMULTBY", "k", ".big", "2"],
            &["JSON.NUMMULTBY", "k", "$..*", "2"],
            &["JSON.NUMMULTBY", "k", ".f", "1e308"],
            &["JSON.GET", "k"],
        ],
    );
}

#[test]
fn strings() {
    both_protocols(
        &[&["JSON.SET", "k", "$", r#"{"s":"héllo","n":1,"o":{"s":"x"}}"#]],
        &[
            &["JSON.STRLEN", "k", ".s"],
            &["JSON.STRLEN", "k", "$.s"],
            &["JSON.STRLEN", "k", "$..s"],
            &["JSON.STRLEN", "k", "$.*"],
            &["JSON.STRLEN", "k", ".n"],
            &["JSON.STRLEN", "k"],
            &["JSON.STRLEN", "k", ".zz"],
            &["JSON.STRLEN", "k", "$.zz"],
            &["JSON.STRLEN", "nokey", ".s"],
            &["JSON.STRLEN", "nokey", "$.s"],
            &["JSON.STRAPPEND", "k", ".s", "\"!\""],
            &["JSON.STRAPPEND", "k", "$..s", "\"?\""],
            &["JSON.STRAPPEND", "k", "$.*", "\"?\""],
            &["JSON.STRAPPEND", "k", ".n", "\"?\""],
            &["JSON.STRAPPEND", "k", ".s", "x"],
            &["JSON.STRAPPEND", "k", ".s", "1"],
            &["JSON.STRAPPEND", "k", "\"x\""],
            &["JSON.STRAPPEND", "k", ".zz", "\"x\""],
            &["JSON.STRAPPEND", "nokey", ".s", "\"x\""],
            &["JSON.STRAPPEND", "k"],
            &["JSON.GET", "k"],
        ],
    );
}

#[test]
fn arrays() {
    both_protocols(
        &[&["JSON.SET", "k", "$", r#"{"a":[1,2,3,"x",2.0,[1]],"b":"s","o":{"a":[]}}"#]],
        &[
            &["JSON.ARRLEN", "k", ".a"],
            &["JSON.ARRLEN", "k", "$..a"],
            &["JSON.ARRLEN", "k", ".b"],
            &["JSON.ARRLEN", "k", "$.b"],
            &["JSON.ARRLEN", "k"],
            &["JSON.ARRLEN", "k", ".zz"],
            &["JSON.ARRLEN", "nokey"],
            &["JSON.ARRLEN", "nokey", "$.a"],
            &["JSON.ARRINDEX", "k", ".a", "2"],
            &["JSON.ARRINDEX", "k", "$.a", "2"],
            &["JSON.ARRINDEX", "k", "$..a", "2"],
            &["JSON.ARRINDEX", "k", ".a", "2", "2"],
            &["JSON.ARRINDEX", "k", ".a", "2", "-2"],
            &["JSON.ARRINDEX", "k", ".a", "2", "0", "2"],
            &["JSON.ARRINDEX", "k", ".a", "3", "0", "-1"],
            &["JSON.ARRINDEX", "k", ".a", "\"x\""],
            &["JSON.ARRINDEX", "k", ".a", "[1]"],
            &["JSON.ARRINDEX", "k", ".a", "9"],
            &["JSON.ARRINDEX", "k", ".b", "1"],
            &["JSON.ARRINDEX", "k", "$.b", "1"],
            &["JSON.ARRINDEX", "k", ".a", "x"],
            &["JSON.ARRINDEX", "k", ".a", "1", "x"],
            &["JSON.ARRINDEX", "nokey", ".a", "1"],
            &["JSON.ARRINDEX", "k", ".a"],
            &["JSON.ARRAPPEND", "k", ".a", "7", "\"y\""],
            &["JSON.ARRAPPEND", "k", "$..a", "null"],
            &["JSON.ARRAPPEND", "k", "$.b", "1"],
            &["JSON.ARRAPPEND", "k", ".b", "1"],
            &["JSON.ARRAPPEND", "k", ".zz", "1"],
            &["JSON.ARRAPPEND", "k", "$.zz", "1"],
            &["JSON.ARRAPPEND", "k", "$.a", "{"],
            &["JSON.ARRAPPEND", "nokey", "$.a", "1"],
            &["JSON.ARRAPPEND", "k", ".a"],
            &["JSON.ARRINSERT", "k", ".a", "0", "\"first\""],
            &["JSON.ARRINSERT", "k", ".a", "-1", "\"beforelast\"", "0"],
            &["JSON.ARRINSERT", "k", "$.a", "2", "true"],
            &["JSON.ARRINSERT", "k", ".a", "100", "1"],
            &["JSON.ARRINSERT", "k", ".a", "-100", "1"],
            &["JSON.ARRINSERT", "k", ".a", "x", "1"],
            &["JSON.ARRINSERT", "k", ".b", "0", "1"],
            &["JSON.ARRINSERT", "k", "$.b", "0", "1"],
            &["JSON.ARRINSERT", "k", ".a", "0"],
            &["JSON.GET", "k"],
            &["JSON.ARRPOP", "k"],
            &["JSON.ARRPOP", "k", ".a"],
            &["JSON.ARRPOP", "k", ".a", "0"],
            &["JSON.ARRPOP", "k", ".a", "-2"],
            &["JSON.ARRPOP", "k", ".a", "100"],
            &["JSON.ARRPOP", "k", ".a", "-100"],
            &["JSON.ARRPOP", "k", "$..a"],
            &["JSON.ARRPOP", "k", ".o.a"],
            &["JSON.ARRPOP", "k", "$.o.a"],
            &["JSON.ARRPOP", "k", ".b"],
            &["JSON.ARRPOP", "k", "$.b"],
            &["JSON.ARRPOP", "k", ".a", "x"],
            &["JSON.ARRPOP", "nokey", ".a"],
            &["JSON.GET", "k"],
            &["JSON.SET", "k", "$.t", "[0,1,2,3,4,5,6]"],
            &["JSON.ARRTRIM", "k", ".t", "1", "-2"],
            &["JSON.ARRTRIM", "k", "$.t", "1", "2"],
            &["JSON.GET", "k", ".t"],
            &["JSON.ARRTRIM", "k", ".t", "5", "9"],
            &["JSON.SET", "k", "$.t", "[0,1,2,3,4,5,6]"],
            &["JSON.ARRTRIM", "k", ".t", "-3", "100"],
            &["JSON.GET", "k", ".t"],
            &["JSON.ARRTRIM", "k", ".t", "2", "1"],
            &["JSON.ARRTRIM", "k", ".b", "0", "1"],
            &["JSON.ARRTRIM", "k", "$.b", "0", "1"],
            &["JSON.ARRTRIM", "k", ".t", "x", "1"],
            &["JSON.ARRTRIM", "k", ".t", "0"],
            &["JSON.ARRTRIM", "nokey", ".t", "0", "1"],
        ],
    );
}

#[test]
fn objects_clear_toggle_merge_resp() {
    both_protocols(
        &[&["JSON.SET", "k", "$", r#"{"a":{"x":1,"y":[1,2]},"b":[],"c":true,"d":2.5,"e":"s","f":null}"#]],
        &[
            &["JSON.OBJKEYS", "k"],
            &["JSON.OBJKEYS", "k", "$"],
            &["JSON.OBJKEYS", "k", "$..*"],
            &["JSON.OBJKEYS", "k", ".a"],
            &["JSON.OBJKEYS", "k", ".b"],
            &["JSON.OBJKEYS", "k", ".zz"],
            &["JSON.OBJKEYS", "nokey"],
            &["JSON.OBJKEYS", "nokey", "$"],
            &["JSON.OBJLEN", "k"],
            &["JSON.OBJLEN", "k", "$.*"],
            &["JSON.OBJLEN", "k", ".b"],
            &["JSON.OBJLEN", "k", ".zz"],
            &["JSON.OBJLEN", "nokey"],
            &["JSON.OBJLEN", "nokey", "$"],
            &["JSON.RESP", "k"],
            &["JSON.RESP", "k", "$"],
            &["JSON.RESP", "k", ".a"],
            &["JSON.RESP", "k", "$.*"],
            &["JSON.RESP", "k", ".zz"],
            &["JSON.RESP", "nokey"],
            &["JSON.TOGGLE", "k", ".c"],
            &["JSON.TOGGLE", "k", "$.c"],
            &["JSON.TOGGLE", "k", "$.*"],
            &["JSON.TOGGLE", "k", ".d"],
            &["JSON.TOGGLE", "k", ".zz"],
            &["JSON.TOGGLE", "nokey", ".c"],
            &["JSON.TOGGLE", "k"],
            &["JSON.CLEAR", "k", "$.*"],
            &["JSON.GET", "k"],
            &["JSON.CLEAR", "k", ".zz"],
            &["JSON.CLEAR", "k", "$.zz"],
            &["JSON.CLEAR", "nokey"],
            &["JSON.CLEAR", "k"],
            &["JSON.GET", "k"],
            &["JSON.CLEAR", "k"],
            &["JSON.MERGE", "k", "$", r#"{"a":{"x":1,"y":null},"b":null,"n":{"m":{"z":null,"w":1}}}"#],
            &["JSON.GET", "k"],
            &["JSON.MERGE", "k", "$.a", r#"{"x":{"deep":true}}"#],
            &["JSON.MERGE", "k", "$.new", r#"{"p":1}"#],
            &["JSON.MERGE", "k", "$.new2", "3"],
            &["JSON.MERGE", "k", ".a.x", "[1,2]"],
            &["JSON.GET", "k"],
            &["JSON.MERGE", "k", "$.zz.y", "1"],
            &["JSON.MERGE", "nokey", "$.a", "1"],
            &["JSON.MERGE", "nokey", "$", r#"{"a":null,"b":1}"#],
            &["JSON.GET", "nokey"],
            &["JSON.MERGE", "k", "$", "{"],
            &["JSON.MERGE", "k", "$"],
            &["JSON.MERGE", "k", "$", "null"],
            &["EXISTS", "k"],
            &["JSON.SET", "f", "$", "[3.0,1e20,0.1,9223372036854775808,-0.0,\"x\",{\"a\":[]}]"],
            &["JSON.RESP", "f"],
            &["JSON.RESP", "f", "[0]"],
            &["JSON.NUMINCRBY", "f", "[0]", "1"],
            &["JSON.NUMINCRBY", "f", "[1]", "1"],
            &["JSON.NUMINCRBY", "f", "[3]", "1"],
            &["JSON.TOGGLE", "f", "[0]"],
            &["JSON.STRLEN", "f", "[0]"],
            &["JSON.STRAPPEND", "f", "[0]", "\"x\""],
            &["JSON.OBJKEYS", "f"],
            &["JSON.ARRAPPEND", "f", ".", "1"],
            &["JSON.ARRPOP", "f"],
            &["JSON.DEBUG", "MEMORY", "none"],
            &["JSON.DEBUG", "MEMORY", "none", "$"],
            &[
                "JSON.SET",
                "m",
                "$",
                r#"{"null":null,"t":true,"i0":0,"i383":383,"i384":384,"im128":-128,"im129":-129,"big":8388607,"big2":8388608,"huge":9223372036854775807,"f":1.5,"s0":"","s1":"a","s9":"abcdefghi","a0":[],"a1":[1],"a4":[1,2,3,4],"a5":[1,2,3,4,5],"o0":{},"o1":{"a":1},"o5":{"a":1,"b":2,"c":3,"d":4,"e":5},"deep":[{"k":[1.5,"x"]}]}"#,
            ],
            &["JSON.DEBUG", "MEMORY", "m"],
            &["JSON.DEBUG", "MEMORY", "m", "$.*"],
            &["JSON.DEBUG", "MEMORY", "m", "$..*"],
            &["JSON.DEBUG", "MEMORY", "m", ".a5"],
            &["JSON.DEBUG", "MEMORY", "m", ".zz"],
            &["JSON.DEBUG", "MEMORY", "m", "$.zz"],
            &["MEMORY", "USAGE", "m"],
            &["JSON.SET", "a-much-longer-key-name", "$", "[1,2,3]"],
            &["MEMORY", "USAGE", "a-much-longer-key-name"],
            &["JSON.DEBUG", "MEMORY", "m", "$", "extra"],
            &["JSON.DEBUG", "MEMORY"],
            &["JSON.DEBUG", "HELP"],
            &["JSON.DEBUG", "NOPE"],
            &["JSON.DEBUG"],
        ],
    );
}

/// COMMAND INFO's name, arity, flags, key positions and (no) ACL categories for every JSON.*
/// command (the engine lists no key specs for any command yet).
#[test]
fn command_info_heads() {
    use playground_engine::Frame;
    let Some(mut s) = session() else { return };
    let names = [
        "json.set",
        "json.get",
        "json.del",
        "json.forget",
        "json.type",
        "json.mget",
        "json.mset",
        "json.numincrby",
        "json.nummultby",
        "json.strappend",
        "json.strlen",
        "json.arrappend",
        "json.arrindex",
        "json.arrinsert",
        "json.arrlen",
        "json.arrpop",
        "json.arrtrim",
        "json.objkeys",
        "json.objlen",
        "json.clear",
        "json.toggle",
        "json.merge",
        "json.resp",
        "json.debug",
    ];
    for name in names {
        let (theirs, ours) = s.both(&["COMMAND", "INFO", name]);
        let head = |f: &Frame| match f {
            Frame::Array(items) => match items.first() {
                Some(Frame::Array(fields)) => fields[..7].to_vec(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        assert_eq!(head(&ours), head(&theirs), "COMMAND INFO {name}");
    }
    // The module's commands by its name (JSON.NUMPOWBY, deprecated and undocumented, aside).
    let (theirs, ours) = s.both(&["COMMAND", "LIST", "FILTERBY", "MODULE", "ReJSON"]);
    let sorted = |f: Frame| {
        let Frame::Array(items) = f else { panic!("{f:?}") };
        let mut names: Vec<String> = items
            .iter()
            .filter_map(|i| i.as_bytes())
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect();
        names.retain(|n| n != "json.numpowby");
        names.sort();
        names
    };
    assert_eq!(sorted(ours), sorted(theirs));
}

#[test]
fn keyspace_commands_see_json_keys() {
    both_protocols(
        &[&["JSON.SET", "k", "$", r#"{"a":[1,2,3]}"#]],
        &[
            &["TYPE", "k"],
            &["SCAN", "0", "TYPE", "ReJSON-RL"],
            &["SCAN", "0", "TYPE", "rejson-rl"],
            &["OBJECT", "ENCODING", "k"],
            &["EXISTS", "k"],
            &["GET", "k"],
            &["LPUSH", "k", "x"],
            &["RENAME", "k", "k2"],
            &["JSON.GET", "k2"],
            &["COPY", "k2", "k3"],
            &["JSON.SET", "k3", "$.a[0]", "9"],
            &["JSON.GET", "k2"],
            &["JSON.GET", "k3"],
            &["EXPIRE", "k3", "100"],
            &["TTL", "k3"],
            &["PERSIST", "k3"],
            &["JSON.SET", "k3", "$", "1"],
            &["TYPE", "k3"],
            &["DEL", "k2", "k3"],
            &["EXISTS", "k2", "k3"],
            &["DBSIZE"],
            &["JSON.SET", "k", "$", r#"{"a":[1,2,3]}"#],
            &["DUMP", "nokey"],
            &["MEMORY", "USAGE", "nokey"],
            &["COMMAND", "GETKEYS", "JSON.MSET", "a", "$", "1", "b", "$", "2"],
            &["COMMAND", "GETKEYS", "JSON.GET", "a", "$"],
        ],
    );
}

/// Values nested inside values one command at a time stop at the engine's bound (1024 levels)
/// instead of growing until a recursive walk overflows the page's stack. Engine only: the
/// module has no such bound.
#[test]
fn nesting_stays_bounded() {
    use playground_engine::{Engine, Frame};
    let mut e = Engine::new(1, 0);
    let c = e.connect(0);
    let deep = format!("{}{}", "[".repeat(126), "]".repeat(126));
    assert_eq!(e.execute(c, args(&["JSON.SET", "k", "$", "[]"]), 0), Frame::ok());
    let mut path = "$".to_string();
    let mut refused = false;
    for _ in 0..20 {
        match e.execute(c, args(&["JSON.ARRAPPEND", "k", &path, &deep]), 0) {
            Frame::Error(msg) => {
                assert_eq!(msg, "ERR nesting too deep");
                refused = true;
                break;
            }
            reply => assert_eq!(reply, Frame::Array(vec![Frame::Integer(1)])),
        }
        path.push_str(&"[0]".repeat(126));
    }
    assert!(refused);
    assert!(matches!(e.execute(c, args(&["JSON.GET", "k"]), 0), Frame::Bulk(_)));
    assert_eq!(
        e.execute(c, args(&["JSON.SET", "k", &path, &deep]), 0),
        Frame::Error("ERR nesting too deep".into())
    );
}

/// Until the oracle has scanned the keys an index was created over (ours is synchronous).
/// `FT.CREATE ... ON JSON`: JSONPath fields (text, tag arrays, numbers, vectors as arrays),
/// documents returned as `$`, RETURN by attribute or path, indexing failures.
#[test]
fn search_indexes_json_documents() {
    let Some(mut s) = session() else { return };
    check(
        &mut s,
        &[
            &["JSON.SET", "doc:0", "$", r#"{"name":"old plum","tags":["fruit"],"price":2,"v":[0.0,1.0]}"#],
            &[
                "FT.CREATE",
                "jidx",
                "ON",
                "JSON",
                "PREFIX",
                "1",
                "doc:",
                "SCHEMA",
                "$.name",
                "AS",
                "name",
                "TEXT",
                "$.tags[*]",
                "AS",
                "tags",
                "TAG",
                "$.price",
                "AS",
                "price",
                "NUMERIC",
                "$.v",
                "AS",
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
            ],
        ],
    );
    // The oracle scans doc:0 in the background.
    common::wait_indexed(&mut s, "jidx");
    check(
        &mut s,
        &[
            &[
                "JSON.SET",
                "doc:1",
                "$",
                r#"{"name":"red apple","tags":["fruit","red"],"price":1.5,"v":[0.1,0.2]}"#,
            ],
            &["JSON.SET", "doc:2", "$", r#"{"name":"green pear","tags":["fruit"],"price":3,"v":[0.5,0.5]}"#],
            &["JSON.SET", "doc:3", "$", r#"{"name":"car","tags":["vehicle"],"price":"x","v":[1,1]}"#],
            &["HSET", "doc:4", "name", "hash apple"],
            &["FT.SEARCH", "jidx", "*"],
            &["FT.SEARCH", "jidx", "@tags:{red}"],
            &["FT.SEARCH", "jidx", "@tags:{fruit}", "SORTBY", "price", "DESC"],
            &["FT.SEARCH", "jidx", "@price:[2 5]", "RETURN", "1", "name"],
            &["FT.SEARCH", "jidx", "apple", "RETURN", "2", "name", "$.price"],
            &["FT.SEARCH", "jidx", "@name:(pear|plum)", "RETURN", "1", "tags"],
            &["FT.SEARCH", "jidx", "*", "NOCONTENT"],
            &[
                "FT.SEARCH",
                "jidx",
                "*=>[KNN 2 @v $b AS d]",
                "PARAMS",
                "2",
                "b",
                "\0\0\0\0\0\0\0\0",
                "SORTBY",
                "d",
                "DIALECT",
                "2",
            ],
            &["JSON.SET", "doc:1", "$.price", "9"],
            &["FT.SEARCH", "jidx", "@price:[5 10]", "RETURN", "1", "price"],
            &["JSON.DEL", "doc:2"],
            &["FT.SEARCH", "jidx", "*", "NOCONTENT"],
            &["JSON.SET", "doc:5", "$", "{}"],
            &["DEL", "doc:5"],
            &["JSON.SET", "doc:6", "$", "{}"],
            &["JSON.FORGET", "doc:6", "$"],
            &["JSON.SET", "doc:0", "$", "1"],
            &["JSON.DEL", "doc:1", "$.price"],
            &["FT.SEARCH", "jidx", "*", "NOCONTENT"],
        ],
    );
    let (theirs, ours) = s.both(&["FT.INFO", "jidx"]);
    let head = |f: playground_engine::Frame| match f {
        playground_engine::Frame::Array(items) => items[..8].to_vec(),
        other => panic!("{other:?}"),
    };
    assert_eq!(head(ours.clone()), head(theirs.clone()));
    for field in ["num_docs", "hash_indexing_failures", "Index Errors"] {
        let (a, b) = (common::info_field(&ours, field), common::info_field(&theirs, field));
        assert_eq!(a, b, "FT.INFO {field}");
    }
}

/// DUMP and RESTORE carry a document whole (in the engine's own payload: the module's is
/// ReJSON's private encoding), TTL and type included. Engine only.
#[test]
fn dump_and_restore_keep_documents() {
    use playground_engine::{Engine, Frame};
    let mut e = Engine::new(1, 0);
    let c = e.connect(0);
    let doc = r#"{"a":[1,2.5,"x",{"b":null}],"c":true}"#;
    assert_eq!(e.execute(c, args(&["JSON.SET", "k", "$", doc]), 0), Frame::ok());
    let Frame::Bulk(payload) = e.execute(c, args(&["DUMP", "k"]), 0) else { panic!("no payload") };
    let restore = vec![
        bytes::Bytes::from_static(b"RESTORE"),
        bytes::Bytes::from_static(b"k2"),
        bytes::Bytes::from_static(b"0"),
        payload,
    ];
    assert_eq!(e.execute(c, restore, 0), Frame::ok());
    assert_eq!(e.execute(c, args(&["JSON.GET", "k2"]), 0), Frame::Bulk(doc.into()));
    assert_eq!(e.execute(c, args(&["TYPE", "k2"]), 0), Frame::Simple("ReJSON-RL".into()));
}

/// The same index in RESP3 (documents as maps with `extra_attributes`).
#[test]
fn search_json_documents_in_resp3() {
    let Some(mut s) = session() else { return };
    s.run(&["HELLO", "3"]);
    check(
        &mut s,
        &[
            &[
                "FT.CREATE",
                "j3",
                "ON",
                "JSON",
                "PREFIX",
                "1",
                "d:",
                "SCHEMA",
                "$.t",
                "AS",
                "t",
                "TAG",
                "$.n",
                "AS",
                "n",
                "NUMERIC",
            ],
            &["JSON.SET", "d:1", "$", r#"{"t":["a","b"],"n":1}"#],
            &["JSON.SET", "d:2", "$", r#"{"t":"b","n":2.5}"#],
            &["JSON.SET", "d:3", "$", r#"{"t":"c","n":"bad"}"#],
            &["FT.SEARCH", "j3", "@t:{b}"],
            &["FT.SEARCH", "j3", "@n:[2 3]", "RETURN", "2", "t", "$.n"],
            &["FT.SEARCH", "j3", "*", "SORTBY", "n", "ASC", "NOCONTENT"],
        ],
    );
}

/// Extreme indexes never panic (the module's answers for these differ in ways not modelled).
#[test]
fn extreme_indexes_do_not_panic() {
    use playground_engine::Engine;
    let mut e = Engine::new(1, 0);
    let c = e.connect(0);
    e.execute(c, args(&["JSON.SET", "k", "$", "[1,2,3,4,5]"]), 0);
    for (a, b) in
        [("-9223372036854775808", "9223372036854775807"), ("9223372036854775807", "-9223372036854775808")]
    {
        e.execute(c, args(&["JSON.ARRINDEX", "k", "$", "5", a, b]), 0);
        e.execute(c, args(&["JSON.GET", "k", &format!("$[{a}:{b}:{b}]")]), 0);
        e.execute(c, args(&["JSON.ARRINSERT", "k", "$", a, "0"]), 0);
        e.execute(c, args(&["JSON.ARRPOP", "k", "$", b]), 0);
        e.execute(c, args(&["JSON.ARRTRIM", "k", "$", a, b]), 0);
        e.execute(c, args(&["JSON.SET", "k", "$", "[1,2,3,4,5]"]), 0);
    }
}

/// With a value limit (a browser tab), copying a value into every match stops at the limit.
#[test]
fn value_limit_bounds_document_growth() {
    use playground_engine::{Engine, Frame};
    let mut e = Engine::new(1, 0);
    e.set_value_limit(Some(1 << 20));
    let c = e.connect(0);
    e.execute(c, args(&["JSON.SET", "k", "$", "[[0],[0],[0],[0],[0],[0],[0],[0]]"]), 0);
    let value = format!("[{}]", ["[0,0,0,0,0,0,0,0]"; 8].join(","));
    let mut refused = false;
    for _ in 0..10 {
        if let Frame::Error(msg) = e.execute(c, args(&["JSON.SET", "k", "$..[*]", &value]), 0) {
            assert!(msg.contains("limit of 1 MB"), "{msg}");
            refused = true;
            break;
        }
    }
    assert!(refused);
    let big = format!("\"{}\"", "x".repeat(600_000));
    e.execute(c, args(&["JSON.SET", "s", "$", &big]), 0);
    assert!(matches!(e.execute(c, args(&["JSON.STRAPPEND", "s", "$", &big]), 0), Frame::Error(_)));
}

/// RedisVL's JSON storage: a TAG filter with HNSW KNN over `$.embedding` arrays, distances
/// returned and sorted (the query vector is [0.625, 0.625, 0] in FLOAT32 bytes).
#[test]
fn search_json_vectors_as_redisvl_queries_them() {
    let Some(mut s) = session() else { return };
    let q = "(@user:{john})=>[KNN 2 @embedding $vector AS vector_distance]";
    check(
        &mut s,
        &[
            &[
                "FT.CREATE",
                "vl",
                "ON",
                "JSON",
                "PREFIX",
                "1",
                "vl:",
                "SCHEMA",
                "$.user",
                "AS",
                "user",
                "TAG",
                "$.prompt",
                "AS",
                "prompt",
                "TEXT",
                "$.embedding",
                "AS",
                "embedding",
                "VECTOR",
                "HNSW",
                "6",
                "TYPE",
                "FLOAT32",
                "DIM",
                "3",
                "DISTANCE_METRIC",
                "COSINE",
            ],
            &["JSON.SET", "vl:1", "$", r#"{"user":"john","prompt":"hello there","embedding":[0.1,0.2,0.3]}"#],
            &["JSON.SET", "vl:2", "$", r#"{"user":"john","prompt":"good bye","embedding":[0.3,0.1,-0.2]}"#],
            &["JSON.SET", "vl:3", "$", r#"{"user":"mary","prompt":"hello","embedding":[0.1,0.2,0.31]}"#],
            &["JSON.SET", "vl:4", "$", r#"{"user":"john","prompt":"short","embedding":[0.1,0.2]}"#],
            &[
                "FT.SEARCH",
                "vl",
                q,
                "PARAMS",
                "2",
                "vector",
                "\0\0 ?\0\0 ?\0\0\0\0",
                "RETURN",
                "3",
                "user",
                "prompt",
                "vector_distance",
                "SORTBY",
                "vector_distance",
                "ASC",
                "DIALECT",
                "2",
                "LIMIT",
                "0",
                "2",
            ],
            &["FT.SEARCH", "vl", "@prompt:hello", "RETURN", "1", "$.embedding"],
        ],
    );
}

/// Keyspace notifications: each change announces the command's name in the module class
/// (`d`); JSON.FORGET and a root JSON.DEL announce `json.del`; what changes nothing is silent.
#[test]
fn keyspace_notifications() {
    let Some(mut s) = session() else { return };
    let sub = s.connect();
    s.on(0, &["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
    s.on(sub, &["PSUBSCRIBE", "__key*__:*"]);
    for cmd in [
        &["JSON.SET", "k", "$", r#"{"a":[1],"s":"x","n":1,"b":true,"o":{"p":1}}"#][..],
        &["JSON.SET", "k", "$.z", "1"],
        &["JSON.SET", "k", "$.zz.y", "1"],
        &["JSON.SET", "k", "$.z", "2", "NX"],
        &["JSON.NUMINCRBY", "k", "$.n", "1"],
        &["JSON.NUMMULTBY", "k", ".n", "2"],
        &["JSON.STRAPPEND", "k", "$.s", "\"y\""],
        &["JSON.ARRAPPEND", "k", "$.a", "2"],
        &["JSON.ARRINSERT", "k", "$.a", "0", "0"],
        &["JSON.ARRPOP", "k", "$.a"],
        &["JSON.ARRTRIM", "k", "$.a", "0", "0"],
        &["JSON.TOGGLE", "k", "$.b"],
        &["JSON.CLEAR", "k", "$.o"],
        &["JSON.MERGE", "k", "$", r#"{"m":1}"#],
        &["JSON.DEL", "k", "$.m"],
        &["JSON.DEL", "k", "$.nothing"],
        &["JSON.MSET", "k", "$.n", "5", "k2", "$", "1"],
        &["JSON.FORGET", "k2"],
        &["JSON.GET", "k"],
        &["JSON.DEL", "k"],
    ] {
        s.on(0, cmd);
    }
    s.quiet();
    s.on(0, &["CONFIG", "SET", "notify-keyspace-events", ""]);
}

/// Thousands of doubles, as embeddings stored in JSON bring them (FLOAT32 values printed
/// shortest, then read back as doubles), print as RedisJSON prints them.
#[test]
fn many_floats_print_as_redisjson_prints_them() {
    let Some(mut s) = session() else { return };
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for batch in 0..20 {
        let numbers: Vec<String> = (0..200)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
                match i % 4 {
                    0 => ((unit * 2.0 - 1.0) as f32).to_string(),
                    1 => format!("{}", unit * 10f64.powi((batch % 12) - 6)),
                    2 => format!("{:e}", unit * 1e300),
                    _ => format!("{:.7}", unit - 0.5),
                }
            })
            .collect();
        let doc = format!("[{}]", numbers.join(","));
        s.same(&["JSON.SET", "f", "$", &doc]);
        s.same(&["JSON.GET", "f"]);
    }
}

/// Values of a type their field cannot take (RediSearch's `JSON_checkType` and its array
/// readers): each fails the document, in json.c's words, and FT.INFO's field statistics do not
/// count it; a null indexes nothing, a boolean is a TAG's word.
#[test]
fn json_type_errors_fail_the_document() {
    let Some(mut s) = session() else { return };
    s.run(&["FT.DROPINDEX", "jty", "DD"]);
    s.same(&[
        "FT.CREATE",
        "jty",
        "ON",
        "JSON",
        "PREFIX",
        "1",
        "jty:",
        "SCHEMA",
        "$.t",
        "AS",
        "t",
        "TEXT",
        "$.g",
        "AS",
        "g",
        "TAG",
        "$.n",
        "AS",
        "n",
        "NUMERIC",
    ]);
    common::wait_indexed(&mut s, "jty");
    for (i, doc) in [
        r#"{"t":"fine","g":"a","n":1}"#,
        r#"{"t":5}"#,
        r#"{"t":true}"#,
        r#"{"t":{"a":1}}"#,
        r#"{"t":["x",3]}"#,
        r#"{"t":["x",null,"y"]}"#,
        r#"{"t":null,"n":null}"#,
        r#"{"g":true}"#,
        r#"{"g":[true]}"#,
        r#"{"n":"12"}"#,
        r#"{"n":false}"#,
        r#"{"n":{"x":1}}"#,
    ]
    .iter()
    .enumerate()
    {
        s.same(&["JSON.SET", &format!("jty:{i}"), "$", doc]);
        let (theirs, ours) = s.both(&["FT.INFO", "jty"]);
        for field in ["num_docs", "hash_indexing_failures", "Index Errors", "field statistics"] {
            assert_eq!(
                common::info_field(&ours, field),
                common::info_field(&theirs, field),
                "{field} after {doc}"
            );
        }
    }
    s.same(&["FT.SEARCH", "jty", "@g:{true}", "NOCONTENT"]);
    s.same(&["FT.SEARCH", "jty", "*", "NOCONTENT", "LIMIT", "0", "20"]);
}
