//! Sets against Redis 7.4 (the first suite, kept beside the set helper's): byte for byte where the order is defined by the encoding (intsets are
//! sorted, small sets keep insertion order), order-free otherwise.

mod common;
use common::Session;

#[test]
fn add_remove_members_in_redis_order() {
    let mut s = Session::new();
    s.script(&[
        &["SADD", "s:tags", "redis", "cache", "ai", "redis"],
        &["SMEMBERS", "s:tags"],
        &["SADD", "s:ints", "30", "10", "20", "-5"],
        &["SMEMBERS", "s:ints"],
        &["SADD", "s:ints", "x"],
        &["SMEMBERS", "s:ints"],
        &["SREM", "s:ints", "10", "nope"],
        &["SMEMBERS", "s:ints"],
        &["SISMEMBER", "s:tags", "ai"],
        &["SISMEMBER", "s:tags", "no"],
        &["SISMEMBER", "s:none", "no"],
        &["SMISMEMBER", "s:tags", "ai", "no", "cache"],
        &["SMISMEMBER", "s:none", "a"],
        &["SCARD", "s:tags"],
        &["SCARD", "s:none"],
        &["SMEMBERS", "s:none"],
        &["SREM", "s:tags", "redis", "cache", "ai"],
        &["EXISTS", "s:tags"],
        &["SADD", "s:a", "1", "2", "3", "4"],
        &["SADD", "s:b", "3", "4", "5"],
        &["SADD", "s:c", "x", "y", "3"],
        &["SINTER", "s:a", "s:b"],
        &["SINTER", "s:a", "s:none"],
        &["SUNION", "s:a", "s:b"],
        &["SDIFF", "s:a", "s:b"],
        &["SDIFF", "s:none", "s:a"],
        &["SINTERSTORE", "s:d", "s:a", "s:b"],
        &["SMEMBERS", "s:d"],
        &["SUNIONSTORE", "s:d", "s:a", "s:b"],
        &["SMEMBERS", "s:d"],
        &["SDIFFSTORE", "s:d", "s:a", "s:a"],
        &["EXISTS", "s:d"],
        &["SINTERCARD", "2", "s:a", "s:b"],
        &["SINTERCARD", "2", "s:a", "s:b", "LIMIT", "1"],
        &["SINTERCARD", "0", "s:a"],
        &["SINTERCARD", "x", "s:a"],
        &["SINTERCARD", "3", "s:a"],
        &["SINTERCARD", "1", "s:a", "LIMIT", "-1"],
        &["SINTERCARD", "1", "s:a", "FOO", "1"],
        &["SMOVE", "s:a", "s:b", "1"],
        &["SMOVE", "s:a", "s:b", "99"],
        &["SMOVE", "s:a", "s:a", "2"],
        &["SMOVE", "s:none", "s:b", "2"],
        &["SMEMBERS", "s:b"],
        &["SSCAN", "s:b", "0"],
        &["SSCAN", "s:c", "0", "MATCH", "x*"],
        &["SSCAN", "s:none", "0"],
    ]);
    s.same_unordered(&["SUNION", "s:a", "s:b", "s:c"]);
    s.same_unordered(&["SINTER", "s:c", "s:b"]);
}

#[test]
fn random_members_and_pops() {
    let mut s = Session::new();
    s.script(&[
        &["SADD", "s:r", "a", "b", "c"],
        &["SPOP", "s:none"],
        &["SPOP", "s:none", "2"],
        &["SPOP", "s:r", "0"],
        &["SPOP", "s:r", "-1"],
        &["SPOP", "s:r", "x"],
        &["SRANDMEMBER", "s:none"],
        &["SRANDMEMBER", "s:none", "3"],
        &["SRANDMEMBER", "s:r", "0"],
        &["SRANDMEMBER", "s:r", "x"],
    ]);
    for cmd in [&["SRANDMEMBER", "s:r", "5"][..], &["SRANDMEMBER", "s:r", "-5"], &["SPOP", "s:r", "2"]] {
        let (theirs, ours) = s.both(cmd);
        match (theirs, ours) {
            (playground_engine::Frame::Array(a), playground_engine::Frame::Array(b)) => {
                assert_eq!(a.len(), b.len(), "{cmd:?}")
            }
            other => panic!("{cmd:?}: {other:?}"),
        }
    }
    s.same(&["SCARD", "s:r"]);
}

#[test]
fn wrongtype_and_resp3() {
    let mut s = Session::new();
    s.same(&["SET", "s:str", "v"]);
    for cmd in [
        &["SADD", "s:str", "a"][..],
        &["SREM", "s:str", "a"],
        &["SISMEMBER", "s:str", "a"],
        &["SMISMEMBER", "s:str", "a"],
        &["SMEMBERS", "s:str"],
        &["SCARD", "s:str"],
        &["SPOP", "s:str"],
        &["SRANDMEMBER", "s:str"],
        &["SMOVE", "s:str", "s:x", "a"],
        &["SINTER", "s:str"],
        &["SUNIONSTORE", "s:x", "s:str"],
        &["SSCAN", "s:str", "0"],
    ] {
        s.same(cmd);
    }
    s.run(&["HELLO", "3"]);
    s.script(&[
        &["SADD", "s:3", "1", "2"],
        &["SMEMBERS", "s:3"],
        &["SINTER", "s:3", "s:3"],
        &["SPOP", "s:none", "1"],
        &["SMISMEMBER", "s:3", "1"],
    ]);
}
