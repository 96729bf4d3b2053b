//! Lists against Redis 7.4, byte for byte; blocking forms on the engine's virtual clock.

mod common;
use common::{args, Session};
use playground_engine::{Engine, Frame, Outcome};

#[test]
fn push_pop_range_trim() {
    let mut s = Session::new();
    s.script(&[
        &["RPUSH", "l:a", "a", "b", "c"],
        &["LPUSH", "l:a", "z", "y"],
        &["LRANGE", "l:a", "0", "-1"],
        &["LRANGE", "l:a", "-2", "-1"],
        &["LRANGE", "l:a", "3", "1"],
        &["LRANGE", "l:a", "-100", "100"],
        &["LRANGE", "l:a", "10", "20"],
        &["LRANGE", "l:a", "x", "1"],
        &["LRANGE", "l:none", "0", "-1"],
        &["LLEN", "l:a"],
        &["LLEN", "l:none"],
        &["LINDEX", "l:a", "0"],
        &["LINDEX", "l:a", "-1"],
        &["LINDEX", "l:a", "99"],
        &["LPOP", "l:a"],
        &["RPOP", "l:a"],
        &["LPOP", "l:a", "2"],
        &["LPOP", "l:a", "0"],
        &["LPOP", "l:a", "-1"],
        &["LPOP", "l:a", "x"],
        &["LPOP", "l:a", "1", "2"],
        &["LPOP", "l:none"],
        &["LPOP", "l:none", "1"],
        &["LPOP", "l:none", "0"],
        &["RPOP", "l:a", "10"],
        &["EXISTS", "l:a"],
        &["LPUSHX", "l:none", "a"],
        &["RPUSHX", "l:none", "a"],
        &["RPUSH", "l:t", "1", "2", "3", "4", "5", "6"],
        &["LTRIM", "l:t", "1", "-2"],
        &["LRANGE", "l:t", "0", "-1"],
        &["LTRIM", "l:t", "5", "1"],
        &["EXISTS", "l:t"],
        &["LTRIM", "l:none", "0", "1"],
        &["LPUSH", "l:chat", "m1", "m2", "m3", "m4"],
        &["LTRIM", "l:chat", "0", "2"],
        &["LRANGE", "l:chat", "0", "-1"],
    ]);
}

#[test]
fn set_rem_insert_pos_move() {
    let mut s = Session::new();
    s.script(&[
        &["RPUSH", "l:b", "a", "b", "a", "c", "a"],
        &["LSET", "l:b", "1", "B"],
        &["LSET", "l:b", "-1", "Z"],
        &["LSET", "l:b", "9", "x"],
        &["LSET", "l:none", "0", "x"],
        &["LREM", "l:b", "1", "a"],
        &["LRANGE", "l:b", "0", "-1"],
        &["RPUSH", "l:b", "a", "a"],
        &["LREM", "l:b", "-1", "a"],
        &["LREM", "l:b", "0", "a"],
        &["LRANGE", "l:b", "0", "-1"],
        &["LINSERT", "l:b", "BEFORE", "c", "x"],
        &["LINSERT", "l:b", "AFTER", "c", "y"],
        &["LINSERT", "l:b", "AFTER", "nope", "y"],
        &["LINSERT", "l:b", "MIDDLE", "c", "y"],
        &["LINSERT", "l:none", "AFTER", "c", "y"],
        &["RPUSH", "l:p", "a", "b", "c", "b", "b"],
        &["LPOS", "l:p", "b"],
        &["LPOS", "l:p", "b", "RANK", "2"],
        &["LPOS", "l:p", "b", "RANK", "-1"],
        &["LPOS", "l:p", "b", "COUNT", "0"],
        &["LPOS", "l:p", "b", "COUNT", "2", "RANK", "-1"],
        &["LPOS", "l:p", "b", "MAXLEN", "2"],
        &["LPOS", "l:p", "b", "MAXLEN", "2", "COUNT", "0"],
        &["LPOS", "l:p", "z"],
        &["LPOS", "l:p", "z", "COUNT", "0"],
        &["LPOS", "l:p", "b", "RANK", "0"],
        &["LPOS", "l:p", "b", "COUNT", "-1"],
        &["LPOS", "l:p", "b", "MAXLEN", "-1"],
        &["LPOS", "l:p", "b", "FOO"],
        &["LPOS", "l:none", "b"],
        &["LMOVE", "l:p", "l:q", "LEFT", "RIGHT"],
        &["LMOVE", "l:p", "l:q", "RIGHT", "LEFT"],
        &["LRANGE", "l:q", "0", "-1"],
        &["LMOVE", "l:p", "l:p", "LEFT", "RIGHT"],
        &["LRANGE", "l:p", "0", "-1"],
        &["LMOVE", "l:p", "l:q", "UP", "LEFT"],
        &["LMOVE", "l:none", "l:q", "LEFT", "LEFT"],
        &["RPOPLPUSH", "l:p", "l:q"],
        &["SET", "l:str", "x"],
        &["LMOVE", "l:p", "l:str", "LEFT", "LEFT"],
        &["LRANGE", "l:p", "0", "-1"],
        &["LMPOP", "2", "l:none", "l:p", "LEFT", "COUNT", "2"],
        &["LMPOP", "1", "l:none", "RIGHT"],
        &["LMPOP", "0", "l:p", "LEFT"],
        &["LMPOP", "x", "l:p", "LEFT"],
        &["LMPOP", "2", "l:p", "LEFT"],
        &["LMPOP", "1", "l:p", "UP"],
        &["LMPOP", "1", "l:p", "LEFT", "COUNT", "0"],
        &["LMPOP", "1", "l:p", "LEFT", "COUNT", "1", "COUNT", "1"],
    ]);
}

#[test]
fn blocking_forms_answer_at_once_with_data() {
    let mut s = Session::new();
    s.script(&[
        &["RPUSH", "l:q1", "a", "b"],
        &["BLPOP", "l:none", "l:q1", "1"],
        &["BRPOP", "l:q1", "0"],
        &["BLPOP", "l:q1", "-1"],
        &["BLPOP", "l:q1", "abc"],
        &["RPUSH", "l:q1", "x", "y"],
        &["BLMOVE", "l:q1", "l:q2", "LEFT", "RIGHT", "1"],
        &["BRPOPLPUSH", "l:q1", "l:q2", "1"],
        &["LRANGE", "l:q2", "0", "-1"],
        &["BLMPOP", "1", "2", "l:none", "l:q2", "RIGHT", "COUNT", "5"],
        &["MULTI"],
        &["BLPOP", "l:empty", "0"],
        &["BLMOVE", "l:empty", "l:x", "LEFT", "LEFT", "0"],
        &["EXEC"],
        &["SET", "l:str", "v"],
        &["BLPOP", "l:str", "1"],
    ]);
}

#[test]
fn blocking_waits_on_the_virtual_clock() {
    let mut engine = Engine::new(1, 0);
    let waiter = engine.connect(0);
    let pusher = engine.connect(0);
    // Nothing to pop: the waiter is parked with a 5 s deadline.
    assert_eq!(
        engine.execute_blocking(waiter, args(&["BLPOP", "jobs", "5"]), 1_000),
        Outcome::Blocked { deadline: Some(6_000) }
    );
    assert!(engine.is_blocked(waiter));
    assert_eq!(engine.retry_blocked(waiter, 3_000), None);
    // Another client pushes: the retry serves it.
    engine.execute(pusher, args(&["RPUSH", "jobs", "j1"]), 3_500);
    assert_eq!(
        engine.retry_blocked(waiter, 3_500),
        Some(Frame::Array(vec![Frame::bulk("jobs"), Frame::bulk("j1")]))
    );
    assert!(!engine.is_blocked(waiter));
    // Nothing comes: the timeout reply arrives when the virtual clock passes the deadline.
    assert!(matches!(
        engine.execute_blocking(waiter, args(&["BRPOP", "jobs", "2"]), 10_000),
        Outcome::Blocked { .. }
    ));
    assert_eq!(engine.retry_blocked(waiter, 11_999), None);
    assert_eq!(engine.retry_blocked(waiter, 12_000), Some(Frame::NullArray));
    // Timeout 0 waits forever; plain execute never waits.
    assert_eq!(
        engine.execute_blocking(waiter, args(&["BLPOP", "jobs", "0"]), 20_000),
        Outcome::Blocked { deadline: None }
    );
    assert_eq!(engine.retry_blocked(waiter, u64::MAX / 2), None);
    assert_eq!(engine.execute(pusher, args(&["BLPOP", "other", "0"]), 20_000), Frame::NullArray);
}

#[test]
fn wrongtype_on_every_command() {
    let mut s = Session::new();
    s.same(&["SET", "l:str", "v"]);
    for cmd in [
        &["LPUSH", "l:str", "a"][..],
        &["RPUSH", "l:str", "a"],
        &["LPUSHX", "l:str", "a"],
        &["RPUSHX", "l:str", "a"],
        &["LPOP", "l:str"],
        &["RPOP", "l:str", "2"],
        &["LRANGE", "l:str", "0", "1"],
        &["LTRIM", "l:str", "0", "1"],
        &["LLEN", "l:str"],
        &["LINDEX", "l:str", "0"],
        &["LSET", "l:str", "0", "x"],
        &["LREM", "l:str", "0", "x"],
        &["LINSERT", "l:str", "BEFORE", "a", "b"],
        &["LPOS", "l:str", "a"],
        &["LMOVE", "l:str", "l:x", "LEFT", "LEFT"],
        &["RPOPLPUSH", "l:str", "l:x"],
        &["LMPOP", "1", "l:str", "LEFT"],
    ] {
        s.same(cmd);
    }
}

/// What a random differential run against Redis turned up: which argument Redis reads first
/// (the key before LINDEX's and LSET's index, LREM's count before the key), LPOS's wording for
/// counts that are not numbers, and LSET keeping only the low 32 bits of its index.
#[test]
fn argument_order_and_extreme_indexes() {
    let mut s = Session::new();
    s.script(&[
        &["DEL", "lx:l", "lx:s"],
        &["RPUSH", "lx:l", "a", "b", "c"],
        &["SET", "lx:s", "v"],
        &["LINDEX", "lx:none", "1.5"],
        &["LINDEX", "lx:s", "x"],
        &["LINDEX", "lx:l", "x"],
        &["LINDEX", "lx:l", "4294967296"],
        &["LSET", "lx:none", "x", "v"],
        &["LSET", "lx:s", "x", "v"],
        &["LSET", "lx:l", "x", "v"],
        &["LSET", "lx:l", "9223372036854775807", "last"],
        &["LSET", "lx:l", "-9223372036854775808", "first"],
        &["LSET", "lx:l", "4294967297", "second"],
        &["LSET", "lx:l", "4294967299", "v"],
        &["LRANGE", "lx:l", "0", "-1"],
        &["LREM", "lx:s", "-9223372036854775808", "a"],
        &["LREM", "lx:none", "-9223372036854775808", "a"],
        &["LREM", "lx:l", "-9223372036854775807", "a"],
        &["LREM", "lx:s", "x", "a"],
        &["LPOS", "lx:l", "b", "COUNT", "x"],
        &["LPOS", "lx:l", "b", "COUNT", "-1"],
        &["LPOS", "lx:l", "b", "MAXLEN", "1.5"],
        &["LPOS", "lx:l", "b", "RANK", "x"],
        &["LPOS", "lx:l", "b", "RANK", "-9223372036854775808"],
        &["LPOS", "lx:l", "b", "RANK", "0"],
    ]);
}
