//! FT.AGGREGATE against RediSearch 2.10: LOAD, GROUPBY with its reducers, APPLY expressions,
//! FILTER, SORTBY [MAX], LIMIT, PARAMS, `total_results` as RediSearch counts it, and errors, in
//! RESP2 and RESP3. Group order is RediSearch's hash order, so grouped pipelines sort after
//! GROUPBY.

mod common;

use common::Session;

fn corpus(s: &mut Session) {
    s.same(&[
        "FT.CREATE",
        "ag",
        "PREFIX",
        "1",
        "ag:",
        "SCHEMA",
        "t",
        "TEXT",
        "g",
        "TAG",
        "n",
        "NUMERIC",
        "SORTABLE",
    ]);
    s.script(&[
        &["HSET", "ag:1", "t", "hello world", "g", "a", "n", "1", "x", "foo"],
        &["HSET", "ag:2", "t", "hello there", "g", "a", "n", "2"],
        &["HSET", "ag:3", "t", "other", "g", "b", "n", "3.5"],
        &["HSET", "ag:4", "t", "more", "g", "b", "n", "10"],
        &["HSET", "ag:5", "t", "no g", "n", "-1"],
        &["HSET", "ag:6", "t", "last one", "g", "c", "n", "7"],
    ]);
}

const PIPELINES: &[&[&str]] = &[
    &[],
    &["LOAD", "2", "@t", "@n"],
    &["LOAD", "3", "@n", "AS", "m"],
    &["LOAD", "1", "@x"],
    &["LIMIT", "2", "2"],
    &["LOAD", "1", "@n", "LIMIT", "2", "2"],
    &["LOAD", "1", "@n", "FILTER", "@n>1"],
    &["LOAD", "1", "@n", "FILTER", "@n>1", "SORTBY", "1", "@n"],
    &["SORTBY", "2", "@n", "DESC", "MAX", "2"],
    &["SORTBY", "2", "@n", "DESC", "LIMIT", "1", "2"],
    &["SORTBY", "1", "@t"],
    &["APPLY", "@n*2", "AS", "d"],
    &["LOAD", "1", "@n", "APPLY", "@n/3", "AS", "x", "SORTBY", "2", "@x", "DESC"],
    &[
        "LOAD",
        "1",
        "@t",
        "APPLY",
        "upper(@t)",
        "AS",
        "u",
        "APPLY",
        "strlen(@t)",
        "AS",
        "l",
        "SORTBY",
        "2",
        "@l",
        "ASC",
    ],
    &["LOAD", "1", "@t", "APPLY", "substr(@t,1,3)", "AS", "s", "APPLY", "substr(@t,-3,2)", "AS", "e"],
    &["APPLY", "sqrt(abs(@n))+floor(@n/3)-ceil(@n/4)", "AS", "z", "SORTBY", "2", "@z", "ASC"],
    &["APPLY", "@n % 3", "AS", "r", "FILTER", "@r == 1 || @n < 0"],
    &["GROUPBY", "1", "@g", "REDUCE", "COUNT", "0", "AS", "c", "SORTBY", "2", "@g", "ASC"],
    &["GROUPBY", "1", "@g", "REDUCE", "COUNT", "0", "AS", "c", "SORTBY", "4", "@c", "DESC", "@g", "ASC"],
    &["GROUPBY", "0", "REDUCE", "COUNT", "0", "AS", "c"],
    &[
        "GROUPBY",
        "1",
        "@g",
        "REDUCE",
        "SUM",
        "1",
        "@n",
        "AS",
        "s",
        "REDUCE",
        "AVG",
        "1",
        "@n",
        "REDUCE",
        "MIN",
        "1",
        "@n",
        "AS",
        "mn",
        "REDUCE",
        "MAX",
        "1",
        "@n",
        "AS",
        "mx",
        "REDUCE",
        "STDDEV",
        "1",
        "@n",
        "AS",
        "sd",
        "REDUCE",
        "QUANTILE",
        "2",
        "@n",
        "0.5",
        "REDUCE",
        "COUNT_DISTINCT",
        "1",
        "@n",
        "AS",
        "cd",
        "REDUCE",
        "FIRST_VALUE",
        "1",
        "@n",
        "AS",
        "fv",
        "SORTBY",
        "2",
        "@g",
        "ASC",
    ],
    &[
        "GROUPBY",
        "1",
        "@g",
        "REDUCE",
        "FIRST_VALUE",
        "4",
        "@t",
        "BY",
        "@n",
        "DESC",
        "AS",
        "top",
        "REDUCE",
        "MIN",
        "1",
        "@t",
        "AS",
        "mt",
        "REDUCE",
        "AVG",
        "1",
        "@t",
        "SORTBY",
        "2",
        "@g",
        "DESC",
    ],
    &[
        "GROUPBY", "1", "@t", "REDUCE", "TOLIST", "1", "@n", "AS", "l", "SORTBY", "2", "@t", "ASC", "LIMIT",
        "1", "3",
    ],
    &[
        "GROUPBY", "1", "@g", "REDUCE", "SUM", "1", "@n", "AS", "s", "APPLY", "@s*10", "AS", "t", "FILTER",
        "@t>20", "SORTBY", "2", "@t", "ASC",
    ],
    &["GROUPBY", "2", "@g", "@n", "SORTBY", "4", "@g", "ASC", "@n", "ASC"],
    // Errors.
    &["APPLY", "upper(@t)", "AS", "u"],
    &["GROUPBY", "1", "@nosuch", "REDUCE", "COUNT", "0"],
    &["GROUPBY", "1", "@g", "REDUCE", "COUNT", "1", "@n"],
    &["GROUPBY", "1", "@g", "REDUCE", "FOO", "0"],
    &["SORTBY", "1", "@nosuch"],
    &["APPLY", "@n +", "AS", "z"],
    &["BOGUS"],
];

#[test]
fn pipelines_answer_like_redisearch() {
    let mut s = Session::new();
    corpus(&mut s);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for query in ["*", "hello", "@g:{a|b}", "@n:[2 +inf]", "nothing"] {
            for p in PIPELINES {
                let mut cmd = vec!["FT.AGGREGATE", "ag", query];
                cmd.extend_from_slice(p);
                s.same(&cmd);
            }
        }
        s.same(&[
            "FT.AGGREGATE",
            "ag",
            "@n:[$lo $hi]",
            "LOAD",
            "1",
            "@n",
            "PARAMS",
            "4",
            "lo",
            "2",
            "hi",
            "7",
            "DIALECT",
            "2",
        ]);
        s.same(&["FT.AGGREGATE", "nosuch", "*"]);
    }
}

/// One command on each side with its own cursor id in place of `{id}`; the replies compared
/// with the trailing cursor id masked (0 must be 0 on both). Returns each side's new id.
#[track_caller]
fn cursor_step(s: &mut Session, cmd: &[&str], ids: (u64, u64)) -> (u64, u64) {
    let with = |id: u64| -> Vec<bytes::Bytes> {
        cmd.iter().map(|a| bytes::Bytes::from(a.replace("{id}", &id.to_string()))).collect()
    };
    let theirs = s.oracle.raw(&with(ids.0));
    let mut ours = Vec::new();
    let now = common::now_ms();
    let reply = s.engine.execute(s.client, with(ids.1), now);
    reply.encode(s.engine.protocol(s.client), &mut ours);
    let split = |r: &[u8]| -> (String, u64) {
        let t = String::from_utf8_lossy(r).into_owned();
        let body = t.trim_end_matches("\r\n");
        match body.rfind("\r\n:") {
            Some(i) if t.starts_with("*2\r\n") => (body[..i].to_string(), body[i + 3..].parse().unwrap_or(0)),
            _ => (t.clone(), 0),
        }
    };
    let ((tb, tid), (ob, oid)) = (split(&theirs), split(&ours));
    assert_eq!(ob, tb, "{cmd:?}");
    assert_eq!(oid == 0, tid == 0, "{cmd:?}: cursor ids {oid} (ours) / {tid} (redis)");
    (tid, oid)
}

#[test]
fn cursors_page_through_the_rows() {
    let mut s = Session::new();
    corpus(&mut s);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for (pipeline, reads) in [
            (&["LOAD", "1", "@n"][..], 4),
            (&["LOAD", "1", "@n", "FILTER", "@n>1"], 3),
            (&["LOAD", "1", "@n", "SORTBY", "1", "@n"], 4),
            (&["GROUPBY", "1", "@g", "REDUCE", "COUNT", "0", "AS", "c", "SORTBY", "2", "@g", "ASC"], 3),
        ] {
            let mut cmd = vec!["FT.AGGREGATE", "ag", "*"];
            cmd.extend_from_slice(pipeline);
            cmd.extend_from_slice(&["WITHCURSOR", "COUNT", "2"]);
            let mut ids = cursor_step(&mut s, &cmd, (0, 0));
            for i in 0..reads {
                if ids.0 == 0 {
                    break;
                }
                let read: &[&str] = if i == 1 {
                    &["FT.CURSOR", "READ", "ag", "{id}", "COUNT", "1"]
                } else {
                    &["FT.CURSOR", "READ", "ag", "{id}"]
                };
                ids = cursor_step(&mut s, read, ids);
            }
            if ids.0 != 0 {
                cursor_step(&mut s, &["FT.CURSOR", "DEL", "ag", "{id}"], ids);
                cursor_step(&mut s, &["FT.CURSOR", "DEL", "ag", "{id}"], ids);
                cursor_step(&mut s, &["FT.CURSOR", "READ", "ag", "{id}"], ids);
            }
        }
        cursor_step(&mut s, &["FT.AGGREGATE", "ag", "nothing", "WITHCURSOR"], (0, 0));
        cursor_step(&mut s, &["FT.AGGREGATE", "ag", "*", "WITHCURSOR", "COUNT", "100"], (0, 0));
    }
    s.script(&[
        &["FT.CURSOR", "READ", "ag", "123"],
        &["FT.CURSOR", "READ", "nosuch", "123"],
        &["FT.CURSOR", "DEL", "nosuch", "123"],
        &["FT.CURSOR", "DEL", "ag", "123"],
        &["FT.CURSOR", "READ", "ag", "x"],
        &["FT.CURSOR", "FOO", "ag", "1"],
        &["FT.CURSOR", "READ", "ag"],
        &["FT.CURSOR"],
        &["FT.AGGREGATE", "ag", "*", "WITHCURSOR", "COUNT", "0"],
        &["FT.AGGREGATE", "ag", "*", "WITHCURSOR", "MAXIDLE", "0"],
    ]);
}

fn blob(v: &[f32]) -> bytes::Bytes {
    bytes::Bytes::from(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>())
}

/// What RedisVL's hybrid queries and semantic router send: KNN and range distances in the
/// rows, ADDSCORES with a SCORER, APPLY over both, GROUPBY over distances.
#[test]
fn vector_rows_and_scores() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "kv",
        "PREFIX",
        "1",
        "kv:",
        "SCHEMA",
        "t",
        "TEXT",
        "g",
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
    ]);
    let docs = [
        (0.0, 0.0, "hello world", "a"),
        (1.0, 0.0, "hello", "b"),
        (0.0, 2.0, "world peace", "a"),
        (3.0, 3.0, "hello hello", "b"),
        (0.5, 0.5, "other", "a"),
    ];
    for (i, (x, y, t, g)) in docs.iter().enumerate() {
        let mut c = common::args(&["HSET", &format!("kv:{i}"), "t", t, "g", g, "v"]);
        c.push(blob(&[*x, *y]));
        s.same_bytes(&c);
    }
    let b = blob(&[0.1, 0.1]);
    let tails: &[&[&str]] = &[
        &[],
        &["LOAD", "1", "@t", "APPLY", "(2-@d)/2", "AS", "sim"],
        &["ADDSCORES", "SCORER", "BM25STD"],
        &["ADDSCORES", "LOAD", "1", "@t", "APPLY", "@__score", "AS", "ts", "SORTBY", "2", "@ts", "DESC"],
        &[
            "ADDSCORES",
            "SCORER",
            "BM25STD",
            "APPLY",
            "(2-@d)/2",
            "AS",
            "vs",
            "APPLY",
            "0.3*@__score+0.7*@vs",
            "AS",
            "h",
            "SORTBY",
            "2",
            "@h",
            "DESC",
            "MAX",
            "2",
        ],
        &[
            "GROUPBY", "1", "@g", "REDUCE", "AVG", "1", "@d", "AS", "ad", "REDUCE", "COUNT", "0", "AS", "c",
            "SORTBY", "2", "@g", "ASC",
        ],
        &["SORTBY", "2", "@d", "ASC"],
        &["ADDSCORES", "SCORER", "nosuch"],
    ];
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for q in [
            "*=>[KNN 3 @v $b AS d]",
            "hello=>[KNN 3 @v $b AS d]",
            "(@g:{a} | world)=>[KNN 4 @v $b AS d]",
            "@v:[VECTOR_RANGE 5 $b]=>{$YIELD_DISTANCE_AS: d}",
            "hello",
        ] {
            for tail in tails {
                let mut c = common::args(&["FT.AGGREGATE", "kv", q]);
                c.extend(common::args(tail));
                c.extend(common::args(&["PARAMS", "2", "b"]));
                c.push(b.clone());
                c.extend(common::args(&["DIALECT", "2"]));
                s.same_bytes(&c);
            }
        }
    }
}

#[test]
fn apply_functions() {
    let mut s = Session::new();
    corpus(&mut s);
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        for e in [
            r#"format("%s-%s",@t,@n)"#,
            r#"format("%s|%d",@t,@n)"#,
            r#"format("100%% %s",@t)"#,
            r#"split("a,b, c")"#,
            r#"split(@t," ")"#,
            r#"split("a-b-c","-","a")"#,
            "timefmt(@n)",
            "timefmt(1700000000)",
            r#"timefmt(1700000000,"%Y/%m/%d %H:%M:%S %j %a %b")"#,
            r#"parsetime("2023-11-14","%Y-%m-%d")"#,
            r#"parsetime("2023-11-14T10:11:12","%FT%T")"#,
            "hour(1700000123)",
            "minute(1700000123)",
            "day(1700000123)",
            "month(1700000123)",
            "year(1700000123)",
            "dayofweek(1700000123)",
            "dayofmonth(1700000123)",
            "dayofyear(1700000123)",
            "monthofyear(1700000123)",
            "year(951782400)+dayofyear(951782400)+monthofyear(951782400)",
            r#"lower("ABC")"#,
            r#"upper(@t)"#,
            "upper(@n)",
            "lower(@n)",
            "upper(5)",
            "lower(@n + 1)",
            r#"to_number("3")"#,
            r#"startswith(@t,"he")"#,
            r#"contains(@t,"l")"#,
            "strlen(@t)",
            "1/0",
            "-1/0",
            "0/0",
            "5%0",
            "7.5%2",
            "@n^2",
            "2^10",
            "log(-1)",
            "sqrt(-4)",
            "log2(8)+exp(0)",
            "floor(-2.5)+ceil(2.1)",
            r#""a"+1"#,
            "exists(@t)",
            "!exists(@t) || @n > 1",
        ] {
            s.same(&[
                "FT.AGGREGATE",
                "ag",
                "@n:[1 3.5]",
                "LOAD",
                "2",
                "@t",
                "@n",
                "APPLY",
                e,
                "AS",
                "r",
                "SORTBY",
                "2",
                "@n",
                "ASC",
            ]);
        }
    }
}

/// Odd arguments never panic the engine (whatever the replies say).
#[test]
fn odd_arguments_do_not_panic() {
    let mut s = Session::new();
    corpus(&mut s);
    let odd: &[&[&str]] = &[
        &["LOAD", "99999"],
        &["LOAD", "-1", "@n"],
        &["GROUPBY", "-1"],
        &["GROUPBY", "1"],
        &["GROUPBY", "1", "@g", "REDUCE"],
        &["GROUPBY", "1", "@g", "REDUCE", "QUANTILE", "2", "@n", "abc"],
        &["GROUPBY", "1", "@g", "REDUCE", "QUANTILE", "2", "@n", "inf"],
        &["GROUPBY", "1", "@g", "REDUCE", "RANDOM_SAMPLE", "2", "@n", "99999999999999999999"],
        &["GROUPBY", "1", "@g", "REDUCE", "FIRST_VALUE", "3", "@n", "BY", "@nosuch"],
        &["SORTBY", "3", "@n"],
        &["SORTBY", "1", "DESC"],
        &["SORTBY", "1", "@n", "MAX", "-3"],
        &["LIMIT", "-1", "5"],
        &["LIMIT", "99999999999", "99999999999"],
        &["APPLY"],
        &["APPLY", "@n"],
        &["APPLY", "((((", "AS", "x"],
        &["APPLY", "timefmt(1e300)", "AS", "x"],
        &["APPLY", "month(-99999999999999)", "AS", "x"],
        &["APPLY", "substr(@t, 99999999999, -99999999999)", "AS", "x"],
        &["APPLY", "2^99999", "AS", "x", "SORTBY", "2", "@x", "DESC"],
        &["APPLY", "split(@t)", "AS", "x", "SORTBY", "1", "@x", "FILTER", "@x"],
        &["WITHCURSOR", "COUNT", "99999999999999999999"],
        &["WITHCURSOR", "MAXIDLE", "-1"],
        &["PARAMS", "3", "a"],
        &["PARAMS", "99999999"],
        &["DIALECT", "99"],
        &["SCORER"],
        &["ADDSCORES", "SCORER", "HAMMING", "SORTBY", "2", "@__score", "DESC"],
    ];
    for p in odd {
        let mut cmd = vec!["FT.AGGREGATE", "ag", "*"];
        cmd.extend_from_slice(p);
        s.run(&cmd);
    }
    for c in [
        &["FT.CURSOR", "READ", "ag", "-5"][..],
        &["FT.CURSOR", "READ", "ag", "1", "COUNT", "-1"],
        &["FT.CURSOR", "DEL", "ag", "0"],
    ] {
        s.run(c);
    }
}

/// Without SORTBY, groups come in RediSearch's hash table order: tags, numbers, several fields,
/// missing values, and enough groups for the table to grow and rehash.
#[test]
fn groups_come_in_redisearch_order() {
    let mut s = Session::new();
    s.same(&[
        "FT.CREATE",
        "gi",
        "PREFIX",
        "1",
        "g:",
        "SCHEMA",
        "cat",
        "TAG",
        "n",
        "NUMERIC",
        "SORTABLE",
        "t",
        "TEXT",
        "SORTABLE",
    ]);
    common::wait_indexed(&mut s, "gi");
    for i in 0..300 {
        let (cat, n, t) =
            (format!("c{}", i % 61), format!("{}", (i % 17) as f64 / 4.0), format!("w{}", i % 7));
        let key = format!("g:{i}");
        if i % 23 == 0 {
            s.same(&["HSET", &key, "t", &t]);
        } else {
            s.same(&["HSET", &key, "cat", &cat, "n", &n, "t", &t]);
        }
    }
    for tail in [
        &["GROUPBY", "1", "@cat", "REDUCE", "COUNT", "0", "AS", "c"][..],
        &["GROUPBY", "1", "@n", "REDUCE", "COUNT", "0", "AS", "c"],
        &["GROUPBY", "1", "@t", "REDUCE", "SUM", "1", "@n", "AS", "s"],
        &["GROUPBY", "2", "@cat", "@t", "REDUCE", "COUNT", "0", "AS", "c"],
        &["LOAD", "1", "@cat", "GROUPBY", "1", "@cat"],
        &["GROUPBY", "1", "@n", "GROUPBY", "1", "@n"],
        // TOLIST in RediSearch's dict order, through its incremental rehashes.
        &["GROUPBY", "1", "@t", "REDUCE", "TOLIST", "1", "@cat", "AS", "cats"],
        &["GROUPBY", "1", "@t", "REDUCE", "TOLIST", "1", "@n", "AS", "ns"],
        &["GROUPBY", "0", "REDUCE", "TOLIST", "1", "@cat", "AS", "all"],
        // RediSearch's HyperLogLog estimate, of strings and of numbers.
        &["GROUPBY", "1", "@t", "REDUCE", "COUNT_DISTINCTISH", "1", "@cat", "AS", "d"],
        &[
            "GROUPBY",
            "0",
            "REDUCE",
            "COUNT_DISTINCTISH",
            "1",
            "@cat",
            "AS",
            "d",
            "REDUCE",
            "COUNT_DISTINCTISH",
            "1",
            "@n",
            "AS",
            "e",
        ],
    ] {
        let mut cmd = vec!["FT.AGGREGATE", "gi", "*"];
        cmd.extend(tail);
        cmd.extend(["LIMIT", "0", "1000"]);
        s.same(&cmd);
    }
}
