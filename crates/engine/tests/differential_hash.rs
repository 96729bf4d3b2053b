//! Hashes against Redis 7.4, byte for byte (field order included: small hashes are listpacks).

mod common;
use common::Session;

#[test]
fn set_get_delete_in_insertion_order() {
    let mut s = Session::new();
    s.script(&[
        &["HSET", "h:u", "name", "Ada", "plan", "pro", "age", "36"],
        &["HSET", "h:u", "name", "Ada L", "city", "London"],
        &["HGETALL", "h:u"],
        &["HKEYS", "h:u"],
        &["HVALS", "h:u"],
        &["HGET", "h:u", "name"],
        &["HGET", "h:u", "none"],
        &["HGET", "h:none", "x"],
        &["HMGET", "h:u", "name", "none", "age"],
        &["HMGET", "h:none", "a", "b"],
        &["HDEL", "h:u", "plan", "none", "plan"],
        &["HGETALL", "h:u"],
        &["HSET", "h:u", "plan", "free"],
        &["HGETALL", "h:u"],
        &["HLEN", "h:u"],
        &["HEXISTS", "h:u", "plan"],
        &["HEXISTS", "h:u", "nope"],
        &["HSTRLEN", "h:u", "city"],
        &["HSTRLEN", "h:u", "nope"],
        &["HSETNX", "h:u", "city", "Paris"],
        &["HSETNX", "h:u", "zip", "N1"],
        &["HMSET", "h:u", "a", "1", "b", "2"],
        &["HSET", "h:u", "odd"],
        &["HSET", "h:u", "a", "1", "b"],
        &["HMSET", "h:u", "odd"],
        &["HDEL", "h:u", "name", "age", "city", "plan", "zip", "a", "b"],
        &["EXISTS", "h:u"],
        &["HGETALL", "h:none"],
        &["HKEYS", "h:none"],
        &["HLEN", "h:none"],
        &["HDEL", "h:none", "a"],
    ]);
}

#[test]
fn counters_and_errors() {
    let mut s = Session::new();
    s.script(&[
        &["HINCRBY", "h:c", "n", "5"],
        &["HINCRBY", "h:c", "n", "-7"],
        &["HINCRBY", "h:c", "n", "x"],
        &["HSET", "h:c", "s", "hello", "big", "9223372036854775807"],
        &["HINCRBY", "h:c", "s", "1"],
        &["HINCRBY", "h:c", "big", "1"],
        &["HINCRBYFLOAT", "h:c", "f", "0.1"],
        &["HINCRBYFLOAT", "h:c", "f", "0.2"],
        &["HINCRBYFLOAT", "h:c", "f", "1000"],
        &["HINCRBYFLOAT", "h:c", "s", "1"],
        &["HINCRBYFLOAT", "h:c", "f", "abc"],
        &["HINCRBYFLOAT", "h:c", "f", "inf"],
        &["HGETALL", "h:c"],
    ]);
}

#[test]
fn wrongtype_on_every_command() {
    let mut s = Session::new();
    s.same(&["SET", "h:str", "v"]);
    for cmd in [
        &["HSET", "h:str", "f", "v"][..],
        &["HMSET", "h:str", "f", "v"],
        &["HSETNX", "h:str", "f", "v"],
        &["HGET", "h:str", "f"],
        &["HMGET", "h:str", "f"],
        &["HGETALL", "h:str"],
        &["HDEL", "h:str", "f"],
        &["HEXISTS", "h:str", "f"],
        &["HLEN", "h:str"],
        &["HKEYS", "h:str"],
        &["HVALS", "h:str"],
        &["HSTRLEN", "h:str", "f"],
        &["HINCRBY", "h:str", "f", "1"],
        &["HINCRBYFLOAT", "h:str", "f", "1"],
        &["HRANDFIELD", "h:str"],
        &["HSCAN", "h:str", "0"],
    ] {
        s.same(cmd);
    }
}

#[test]
fn random_fields_and_scan() {
    let mut s = Session::new();
    s.script(&[
        &["HSET", "h:r", "a", "1", "b", "2", "c", "3"],
        &["HRANDFIELD", "h:none"],
        &["HRANDFIELD", "h:none", "3"],
        &["HRANDFIELD", "h:r", "0"],
        &["HRANDFIELD", "h:r", "3", "WITHVALUES", "x"],
        &["HRANDFIELD", "h:r", "abc"],
        &["HRANDFIELD", "h:r", "1", "FOO"],
        &["HSCAN", "h:r", "0"],
        &["HSCAN", "h:r", "0", "NOVALUES"],
        &["HSCAN", "h:r", "0", "MATCH", "[ab]"],
        &["HSCAN", "h:r", "0", "COUNT", "0"],
        &["HSCAN", "h:r", "x"],
        &["HSCAN", "h:none", "0"],
    ]);
    // Random picks: the shape and the members are checked, the choice is ours (seeded).
    for cmd in [
        &["HRANDFIELD", "h:r", "5"][..],
        &["HRANDFIELD", "h:r", "-5"],
        &["HRANDFIELD", "h:r", "2", "WITHVALUES"],
    ] {
        let (theirs, ours) = s.both(cmd);
        match (theirs, ours) {
            (playground_engine::Frame::Array(a), playground_engine::Frame::Array(b)) => {
                assert_eq!(a.len(), b.len(), "{cmd:?}")
            }
            other => panic!("{cmd:?}: {other:?}"),
        }
    }
    let (_, one) = s.both(&["HRANDFIELD", "h:r"]);
    assert!(matches!(one.as_bytes(), Some(b"a" | b"b" | b"c")));
}

#[test]
fn resp3_shapes() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    s.script(&[
        &["HSET", "h:3", "a", "1", "b", "2"],
        &["HGETALL", "h:3"],
        &["HGETALL", "h:none"],
        &["HGET", "h:3", "none"],
        &["HRANDFIELD", "h:3", "0", "WITHVALUES"],
    ]);
    let (theirs, ours) = s.both(&["HRANDFIELD", "h:3", "2", "WITHVALUES"]);
    assert_eq!(common::canonical(&ours), common::canonical(&theirs));
}
