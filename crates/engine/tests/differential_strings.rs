//! Strings against Redis 7.4: every command, option and error, byte for byte.

mod common;
use common::Session;

#[test]
fn set_options_and_their_errors() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "s:k", "v"],
        &["SET", "s:k", "v2", "NX"],
        &["SET", "s:k", "v3", "XX"],
        &["GET", "s:k"],
        &["SET", "s:new", "v", "XX"],
        &["SET", "s:k", "v4", "GET"],
        &["SET", "s:k", "v5", "NX", "GET"],
        &["SET", "s:none", "v", "XX", "GET"],
        &["SET", "s:k", "v", "NX", "XX"],
        &["SET", "s:k", "v", "EX"],
        &["SET", "s:k", "v", "EX", "10", "PX", "100"],
        &["SET", "s:k", "v", "EX", "10", "KEEPTTL"],
        &["SET", "s:k", "v", "KEEPTTL", "EX", "10"],
        &["SET", "s:k", "v", "EX", "0"],
        &["SET", "s:k", "v", "EX", "-5"],
        &["SET", "s:k", "v", "EX", "abc"],
        &["SET", "s:k", "v", "PX", "9223372036854775807"],
        &["SET", "s:k", "v", "EX", "9223372036854776"],
        &["SET", "s:k", "v", "FOO"],
        &["SET", "s:k", "v", "EX", "100"],
        &["TTL", "s:k"],
        &["SET", "s:k", "w", "KEEPTTL"],
        &["TTL", "s:k"],
        &["SET", "s:k", "w"],
        &["TTL", "s:k"],
        &["SET", "s:k", "v", "ex", "100", "ex", "200"],
        &["TTL", "s:k"],
        &["SET", "s:k", "v", "PXAT", "4102444800000"],
        &["PEXPIRETIME", "s:k"],
        &["SET", "s:k", "v", "EXAT", "4102444800"],
        &["EXPIRETIME", "s:k"],
        &["SET"],
        &["SET", "s:k"],
        &["RPUSH", "s:list", "a"],
        &["SET", "s:list", "x", "GET"],
        &["SET", "s:list", "x"],
        &["GET", "s:list"],
    ]);
}

#[test]
fn get_family() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "g:k", "hello"],
        &["GETDEL", "g:k"],
        &["GETDEL", "g:k"],
        &["SET", "g:k", "v"],
        &["GETEX", "g:k", "EX", "100"],
        &["TTL", "g:k"],
        &["GETEX", "g:k", "PERSIST"],
        &["TTL", "g:k"],
        &["GETEX", "g:k", "EX", "0"],
        &["GETEX", "g:k", "PERSIST", "EX", "10"],
        &["GETEX", "g:k", "EX", "10", "PERSIST"],
        &["GETEX", "g:k", "KEEPTTL"],
        &["GETEX", "g:k", "NX"],
        &["GETEX", "g:missing", "EX", "10"],
        &["GETEX", "g:k", "PXAT", "1"],
        &["EXISTS", "g:k"],
        &["GETSET", "g:a", "1"],
        &["GETSET", "g:a", "2"],
        &["SETNX", "g:a", "3"],
        &["SETNX", "g:b", "3"],
        &["SETEX", "g:c", "100", "v"],
        &["TTL", "g:c"],
        &["SETEX", "g:c", "0", "v"],
        &["SETEX", "g:c", "x", "v"],
        &["PSETEX", "g:c", "100000", "v"],
    ]);
    // Both clocks run: a millisecond may pass between PSETEX and PTTL on either side.
    s.close(&["PTTL", "g:c"], 50);
    s.script(&[
        &["PSETEX", "g:c", "-1", "v"],
        &["MSET", "g:1", "a", "g:2", "b"],
        &["MSET", "g:1", "a", "g:2"],
        &["MGET", "g:1", "g:2", "g:none"],
        &["MSETNX", "g:1", "x", "g:3", "y"],
        &["MSETNX", "g:4", "x", "g:3", "y"],
        &["MSETNX", "g:4"],
        &["RPUSH", "g:list", "a"],
        &["MGET", "g:1", "g:list"],
        &["GETDEL", "g:list"],
        &["GETEX", "g:list"],
        &["GETSET", "g:list", "x"],
        &["STRLEN", "g:list"],
    ]);
}

#[test]
fn counters_and_overflow() {
    let mut s = Session::new();
    s.script(&[
        &["INCR", "c:n"],
        &["INCRBY", "c:n", "41"],
        &["DECR", "c:n"],
        &["DECRBY", "c:n", "-10"],
        &["INCRBY", "c:n", "abc"],
        &["DECRBY", "c:n", "-9223372036854775808"],
        &["SET", "c:max", "9223372036854775807"],
        &["INCR", "c:max"],
        &["SET", "c:min", "-9223372036854775808"],
        &["DECR", "c:min"],
        &["SET", "c:s", "hello"],
        &["INCR", "c:s"],
        &["SET", "c:s", " 1"],
        &["INCR", "c:s"],
        &["SET", "c:s", "007"],
        &["INCR", "c:s"],
        &["SET", "c:t", "10", "EX", "100"],
        &["INCR", "c:t"],
        &["TTL", "c:t"],
        &["RPUSH", "c:list", "a"],
        &["INCR", "c:list"],
        &["INCRBYFLOAT", "c:list", "1"],
    ]);
}

#[test]
fn incrbyfloat_in_long_double_like_redis() {
    let mut s = Session::new();
    for (start, by) in [
        ("0.1", "0.2"),
        ("10.5", "0.1"),
        ("1000", "0.1"),
        ("123456789.123", "0.001"),
        ("3.0e3", "1.5"),
        ("1", "1e-20"),
        ("5", "-5"),
        ("1e300", "1e300"),
        ("-1.5", "0.25"),
        ("2", "3"),
        ("0.000001", "-0.0000001"),
    ] {
        s.same(&["SET", "f:x", start]);
        s.same(&["INCRBYFLOAT", "f:x", by]);
        s.same(&["GET", "f:x"]);
    }
    s.script(&[
        &["INCRBYFLOAT", "f:new", "2.5"],
        &["INCRBYFLOAT", "f:x", "abc"],
        &["INCRBYFLOAT", "f:x", " 1"],
        &["INCRBYFLOAT", "f:x", "nan"],
        &["INCRBYFLOAT", "f:x", "inf"],
        &["SET", "f:x", "hello"],
        &["INCRBYFLOAT", "f:x", "1"],
    ]);
}

#[test]
fn append_ranges() {
    let mut s = Session::new();
    s.script(&[
        &["APPEND", "r:k", "Hello"],
        &["APPEND", "r:k", " World"],
        &["STRLEN", "r:k"],
        &["STRLEN", "r:none"],
        &["GETRANGE", "r:k", "0", "4"],
        &["GETRANGE", "r:k", "-5", "-1"],
        &["GETRANGE", "r:k", "-1", "-5"],
        &["GETRANGE", "r:k", "5", "2"],
        &["GETRANGE", "r:k", "0", "100"],
        &["GETRANGE", "r:k", "-100", "2"],
        &["GETRANGE", "r:none", "0", "1"],
        &["GETRANGE", "r:k", "a", "1"],
        &["SUBSTR", "r:k", "0", "2"],
        &["SETRANGE", "r:k", "6", "Redis"],
        &["GET", "r:k"],
        &["SETRANGE", "r:pad", "5", "x"],
        &["GET", "r:pad"],
        &["SETRANGE", "r:k", "-1", "x"],
        &["SETRANGE", "r:k", "1", ""],
        &["SETRANGE", "r:empty", "3", ""],
        &["EXISTS", "r:empty"],
        &["SETRANGE", "r:k", "536870912", "x"],
    ]);
}
