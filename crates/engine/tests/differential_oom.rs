//! Over maxmemory, as Redis 7.4 decides it: under noeviction a read still answers and a write
//! gets the OOM error; inside MULTI a read is queued and a write refused (so EXEC aborts); with
//! an eviction policy even a read makes room first. The oracle's maxmemory is restored at the end.

mod common;

use common::Session;
use playground_engine::Frame;

#[test]
fn noeviction_refuses_writes_even_in_multi_but_answers_reads() {
    let mut s = Session::new();
    s.script(&[
        &["DEL", "oom:k", "oom:l"],
        &["SET", "oom:k", "v"],
        &["CONFIG", "SET", "maxmemory-policy", "noeviction"],
    ]);
    s.run(&["CONFIG", "SET", "maxmemory", "1"]);
    s.script(&[
        &["GET", "oom:k"],
        &["SET", "oom:l", "v"],
        &["EXISTS", "oom:l"],
        &["DEL", "oom:k"],
        &["SET", "oom:k", "v"],
        &["MULTI"],
        &["GET", "oom:k"],
        &["PING"],
        &["SET", "oom:x", "y"],
        &["INCR", "oom:c"],
        &["EXEC"],
        &["MULTI"],
        &["GET", "oom:k"],
        &["EXEC"],
        &["MULTI"],
        &["DISCARD"],
    ]);
    s.run(&["CONFIG", "SET", "maxmemory", "0"]);
    s.same(&["SET", "oom:k", "v"]);
}

#[test]
fn with_an_eviction_policy_a_read_makes_room_first() {
    let mut s = Session::new();
    s.run(&["FLUSHALL"]);
    for i in 0..20 {
        s.run(&["SET", &format!("oom:evict:{i}"), "some value"]);
    }
    // Over the cap under noeviction nothing can go; then a policy that may evict. Neither CONFIG
    // SET evicts by itself, so the next command is the first to make room.
    s.run(&["CONFIG", "SET", "maxmemory-policy", "noeviction"]);
    s.run(&["CONFIG", "SET", "maxmemory", "1"]);
    s.run(&["CONFIG", "SET", "maxmemory-policy", "allkeys-random"]);
    // A read-only command: both servers evict every key they can before answering it.
    let (theirs, ours) = s.both(&["GET", "oom:evict:0"]);
    s.run(&["CONFIG", "SET", "maxmemory", "0"]);
    s.run(&["CONFIG", "SET", "maxmemory-policy", "noeviction"]);
    assert_eq!(ours, theirs, "the key was evicted before GET read it");
    assert_eq!(ours, Frame::Null);
    s.same(&["DBSIZE"]);
}
