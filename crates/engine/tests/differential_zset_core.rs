//! Sorted sets against Redis 7.4, byte for byte, in RESP2 and RESP3.

mod common;
use common::Session;

const BOARD: &[&[&str]] = &[&[
    "ZADD", "z:b", "100", "alice", "85", "bob", "100", "carol", "72.5", "dave", "-inf", "eve", "+inf", "zed",
]];

fn board(s: &mut Session) {
    s.script(BOARD);
}

#[test]
fn zadd_options_and_errors() {
    let mut s = Session::new();
    board(&mut s);
    s.script(&[
        &["ZADD", "z:b", "NX", "1", "alice", "1", "new"],
        &["ZADD", "z:b", "XX", "CH", "101", "alice", "1", "nobody"],
        &["ZADD", "z:b", "GT", "CH", "50", "alice", "200", "bob"],
        &["ZADD", "z:b", "LT", "CH", "50", "alice", "300", "bob"],
        &["ZADD", "z:b", "INCR", "5", "alice"],
        &["ZADD", "z:b", "NX", "INCR", "5", "alice"],
        &["ZADD", "z:b", "XX", "INCR", "5", "ghost"],
        &["ZADD", "z:b", "GT", "INCR", "-5", "alice"],
        &["ZADD", "z:none", "XX", "1", "a"],
        &["ZADD", "z:none", "XX", "INCR", "1", "a"],
        &["EXISTS", "z:none"],
        &["ZADD", "z:b", "NX", "XX", "1", "a"],
        &["ZADD", "z:b", "NX", "GT", "1", "a"],
        &["ZADD", "z:b", "GT", "LT", "1", "a"],
        &["ZADD", "z:b", "INCR", "1", "a", "2", "b"],
        &["ZADD", "z:b", "1"],
        &["ZADD", "z:b", "1", "a", "2"],
        &["ZADD", "z:b", "abc", "a"],
        &["ZADD", "z:b", "nan", "a"],
        &["ZADD", "z:b", "FOO", "1", "a"],
        &["ZADD", "z:inf", "+inf", "a"],
        &["ZADD", "z:inf", "INCR", "-inf", "a"],
        &["ZINCRBY", "z:b", "2.5", "bob"],
        &["ZINCRBY", "z:b", "x", "bob"],
        &["ZINCRBY", "z:new", "1", "m"],
        &["ZINCRBY", "z:inf", "-inf", "a"],
        &["ZSCORE", "z:b", "bob"],
        &["ZSCORE", "z:b", "eve"],
        &["ZSCORE", "z:b", "nobody"],
        &["ZMSCORE", "z:b", "bob", "nobody", "zed"],
        &["ZMSCORE", "z:none", "a"],
        &["ZCARD", "z:b"],
        &["ZCARD", "z:none"],
    ]);
}

#[test]
fn ranges_by_rank_score_lex() {
    let mut s = Session::new();
    board(&mut s);
    s.script(&[
        &["ZRANGE", "z:b", "0", "-1"],
        &["ZRANGE", "z:b", "0", "-1", "WITHSCORES"],
        &["ZRANGE", "z:b", "0", "2", "REV", "WITHSCORES"],
        &["ZRANGE", "z:b", "-2", "-1"],
        &["ZRANGE", "z:b", "5", "2"],
        &["ZRANGE", "z:b", "(85", "+inf", "BYSCORE", "WITHSCORES"],
        &["ZRANGE", "z:b", "+inf", "(85", "BYSCORE", "REV"],
        &["ZRANGE", "z:b", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"],
        &["ZRANGE", "z:b", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"],
        &["ZRANGE", "z:b", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"],
        &["ZRANGE", "z:b", "0", "-1", "LIMIT", "0", "1"],
        &["ZRANGE", "z:b", "[a", "[c", "BYLEX", "WITHSCORES"],
        &["ZRANGE", "z:b", "0", "1", "FOO"],
        &["ZRANGE", "z:b", "a", "1"],
        &["ZRANGE", "z:b", "a", "1", "BYSCORE"],
        &["ZRANGE", "z:b", "a", "1", "BYLEX"],
        &["ZRANGE", "z:none", "0", "-1"],
        &["ZREVRANGE", "z:b", "0", "1", "WITHSCORES"],
        &["ZREVRANGE", "z:b", "0", "1", "LIMIT", "0", "1"],
        &["ZRANGEBYSCORE", "z:b", "85", "100"],
        &["ZRANGEBYSCORE", "z:b", "(85", "(100", "WITHSCORES"],
        &["ZRANGEBYSCORE", "z:b", "-inf", "+inf", "LIMIT", "0", "2", "WITHSCORES"],
        &["ZRANGEBYSCORE", "z:b", "85", "100", "REV"],
        &["ZREVRANGEBYSCORE", "z:b", "100", "85"],
        &["ZREVRANGEBYSCORE", "z:b", "85", "100"],
        &["ZCOUNT", "z:b", "85", "100"],
        &["ZCOUNT", "z:b", "(85", "+inf"],
        &["ZCOUNT", "z:b", "x", "1"],
        &["ZADD", "z:lex", "0", "apple", "0", "banana", "0", "cherry", "0", "date"],
        &["ZRANGEBYLEX", "z:lex", "-", "+"],
        &["ZRANGEBYLEX", "z:lex", "[banana", "(date"],
        &["ZRANGEBYLEX", "z:lex", "(banana", "+", "LIMIT", "0", "1"],
        &["ZREVRANGEBYLEX", "z:lex", "+", "-"],
        &["ZRANGEBYLEX", "z:lex", "+", "-"],
        &["ZRANGEBYLEX", "z:lex", "banana", "+"],
        &["ZRANGEBYLEX", "z:lex", "-", "+", "WITHSCORES"],
        &["ZLEXCOUNT", "z:lex", "[b", "[d"],
        &["ZRANK", "z:b", "bob"],
        &["ZREVRANK", "z:b", "bob"],
        &["ZRANK", "z:b", "bob", "WITHSCORE"],
        &["ZRANK", "z:b", "nobody"],
        &["ZRANK", "z:b", "nobody", "WITHSCORE"],
        &["ZRANK", "z:none", "x", "WITHSCORE"],
        &["ZRANK", "z:b", "bob", "FOO"],
        &["ZRANK", "z:b", "bob", "WITHSCORE", "x"],
        &["ZRANGESTORE", "z:top", "z:b", "0", "2", "REV"],
        &["ZRANGE", "z:top", "0", "-1", "WITHSCORES"],
        &["ZRANGESTORE", "z:top", "z:b", "0", "2", "WITHSCORES"],
        &["ZRANGESTORE", "z:top", "z:none", "0", "2"],
        &["EXISTS", "z:top"],
    ]);
}

#[test]
fn removals_pops_and_set_operations() {
    let mut s = Session::new();
    board(&mut s);
    s.script(&[
        &["ZREM", "z:b", "eve", "nobody"],
        &["ZREMRANGEBYRANK", "z:b", "0", "0"],
        &["ZREMRANGEBYSCORE", "z:b", "(100", "+inf"],
        &["ZRANGE", "z:b", "0", "-1", "WITHSCORES"],
        &["ZPOPMIN", "z:b"],
        &["ZPOPMAX", "z:b", "2"],
        &["ZPOPMIN", "z:b", "-1"],
        &["ZPOPMIN", "z:none"],
        &["ZPOPMAX", "z:b", "10"],
        &["EXISTS", "z:b"],
        &["ZADD", "z:x", "1", "a", "2", "b", "3", "c"],
        &["ZADD", "z:y", "10", "b", "20", "c", "30", "d"],
        &["SADD", "z:s", "c", "d", "e"],
        &["ZUNIONSTORE", "z:u", "2", "z:x", "z:y"],
        &["ZRANGE", "z:u", "0", "-1", "WITHSCORES"],
        &["ZUNIONSTORE", "z:u", "2", "z:x", "z:y", "WEIGHTS", "2", "0.5", "AGGREGATE", "MAX"],
        &["ZRANGE", "z:u", "0", "-1", "WITHSCORES"],
        &["ZINTERSTORE", "z:i", "3", "z:x", "z:y", "z:s"],
        &["ZRANGE", "z:i", "0", "-1", "WITHSCORES"],
        &["ZINTERSTORE", "z:i", "2", "z:x", "z:none"],
        &["EXISTS", "z:i"],
        &["ZDIFFSTORE", "z:d", "2", "z:x", "z:y"],
        &["ZRANGE", "z:d", "0", "-1", "WITHSCORES"],
        &["ZUNION", "2", "z:x", "z:y", "WITHSCORES"],
        &["ZINTER", "2", "z:x", "z:y", "AGGREGATE", "MIN", "WITHSCORES"],
        &["ZDIFF", "2", "z:y", "z:x"],
        &["ZINTERCARD", "2", "z:x", "z:y"],
        &["ZINTERCARD", "2", "z:x", "z:y", "LIMIT", "1"],
        &["ZUNIONSTORE", "z:u", "0", "z:x"],
        &["ZUNIONSTORE", "z:u", "3", "z:x"],
        &["ZUNION", "1", "z:x", "WEIGHTS", "x"],
        &["ZUNION", "1", "z:x", "AGGREGATE", "AVG"],
        &["ZDIFF", "1", "z:x", "WEIGHTS", "1"],
        &["ZUNIONSTORE", "z:u", "1", "z:x", "WITHSCORES"],
        &["SET", "z:str", "v"],
        &["ZUNION", "2", "z:x", "z:str"],
        &["ZSCAN", "z:x", "0"],
        &["ZSCAN", "z:x", "0", "MATCH", "b"],
        &["ZRANDMEMBER", "z:none"],
        &["ZRANDMEMBER", "z:x", "0"],
        &["ZRANDMEMBER", "z:x", "1", "FOO"],
    ]);
}

#[test]
fn wrongtype_and_resp3() {
    let mut s = Session::new();
    s.same(&["SET", "z:str", "v"]);
    for cmd in [
        &["ZADD", "z:str", "1", "a"][..],
        &["ZINCRBY", "z:str", "1", "a"],
        &["ZSCORE", "z:str", "a"],
        &["ZCARD", "z:str"],
        &["ZRANGE", "z:str", "0", "1"],
        &["ZRANK", "z:str", "a"],
        &["ZREM", "z:str", "a"],
        &["ZPOPMIN", "z:str"],
        &["ZCOUNT", "z:str", "0", "1"],
    ] {
        s.same(cmd);
    }
    s.run(&["HELLO", "3"]);
    board(&mut s);
    s.script(&[
        &["ZSCORE", "z:b", "bob"],
        &["ZSCORE", "z:b", "nobody"],
        &["ZRANGE", "z:b", "0", "1", "WITHSCORES"],
        &["ZRANGE", "z:b", "0", "1"],
        &["ZRANK", "z:b", "bob", "WITHSCORE"],
        &["ZMSCORE", "z:b", "bob", "x"],
        &["ZINCRBY", "z:b", "1", "bob"],
        &["ZADD", "z:b", "INCR", "1", "bob"],
        &["ZPOPMIN", "z:b"],
        &["ZPOPMIN", "z:b", "2"],
        &["ZUNION", "1", "z:b", "WITHSCORES"],
        &["ZRANDMEMBER", "z:b", "0", "WITHSCORES"],
    ]);
}

#[test]
fn scores_print_like_redis_doubles() {
    let mut s = Session::new();
    for (i, score) in [
        "1e20",
        "1.5e-7",
        "0.1",
        "0.3333333333333333",
        "123456789012345678",
        "-0",
        "9007199254740993",
        "1e-5",
        "0.0001",
        "12345678901234567890",
        "4611686018427387904",
        "4611686018427387903",
        "1.7976931348623157e308",
        "5e-324",
        "-2.5",
        "100",
        "1e16",
        "1.25e17",
        "3.14159",
    ]
    .iter()
    .enumerate()
    {
        let member = format!("m{i}");
        s.same(&["ZADD", "z:f", score, &member]);
        s.same(&["ZSCORE", "z:f", &member]);
    }
    s.same(&["ZRANGE", "z:f", "0", "-1", "WITHSCORES"]);
    s.run(&["HELLO", "3"]);
    s.same(&["ZRANGE", "z:f", "0", "-1", "WITHSCORES"]);
}
