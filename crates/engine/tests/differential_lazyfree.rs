//! INFO's `lazyfreed_objects` against the oracle: which deletions Redis 7.4 hands to its
//! background thread (UNLINK of a big value, DEL/expiry with `lazyfree-lazy-*` on, flushes, the
//! SYNC flush run as a blocking ASYNC one outside MULTI) and which it frees at once.

mod common;
use common::Session;
use playground_engine::Frame;

/// A counter of INFO's `memory` section, from the oracle and the engine. The oracle's thread may
/// still be freeing: wait until it has nothing pending.
fn lazyfree_counts(s: &mut Session) -> (String, String) {
    let read = |reply: Frame, name: &str| {
        let text = String::from_utf8_lossy(reply.as_bytes().unwrap_or_default()).into_owned();
        let prefix = format!("{name}:");
        text.lines().find_map(|l| l.strip_prefix(&prefix).map(str::to_owned)).unwrap_or_default()
    };
    for _ in 0..200 {
        let (theirs, ours) = s.both(&["INFO", "memory"]);
        if read(theirs.clone(), "lazyfree_pending_objects") == "0" {
            return (read(theirs, "lazyfreed_objects"), read(ours, "lazyfreed_objects"));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the oracle's lazyfree thread did not finish");
}

#[track_caller]
fn same_count(s: &mut Session, expected: &str) {
    let (theirs, ours) = lazyfree_counts(s);
    assert_eq!(theirs, expected, "the oracle's count");
    assert_eq!(ours, theirs);
}

/// `n` members: a set past `set-max-listpack-entries` becomes a hashtable.
fn fill_set(s: &mut Session, key: &str, n: usize) {
    let members: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
    let mut cmd = vec!["SADD", key];
    cmd.extend(members.iter().map(String::as_str));
    s.same(&cmd);
}

#[test]
fn unlink_hands_big_values_to_the_thread_and_del_does_not() {
    let mut s = Session::new();
    s.same(&["CONFIG", "RESETSTAT"]);
    fill_set(&mut s, "big", 200);
    fill_set(&mut s, "small", 10);
    // A hashtable of exactly the threshold's effort stays in the main thread.
    s.same(&["CONFIG", "SET", "set-max-listpack-entries", "16"]);
    fill_set(&mut s, "edge", 64);
    fill_set(&mut s, "past", 65);
    s.same(&["OBJECT", "ENCODING", "edge"]);
    s.same(&["UNLINK", "small", "edge"]);
    same_count(&mut s, "0");
    s.same(&["UNLINK", "past"]);
    same_count(&mut s, "1");
    s.same(&["CONFIG", "SET", "set-max-listpack-entries", "128"]);
    s.same(&["CONFIG", "RESETSTAT"]);
    s.same(&["UNLINK", "big"]);
    same_count(&mut s, "1");
    fill_set(&mut s, "big", 200);
    s.same(&["DEL", "big"]);
    same_count(&mut s, "1");
    s.same(&["CONFIG", "SET", "lazyfree-lazy-user-del", "yes"]);
    fill_set(&mut s, "big", 130);
    s.same(&["DEL", "big"]);
    same_count(&mut s, "2");
    s.same(&["CONFIG", "SET", "lazyfree-lazy-user-del", "no"]);
}

#[test]
fn collections_count_by_their_encoding() {
    let mut s = Session::new();
    s.same(&["CONFIG", "RESETSTAT"]);
    // Past the oracle's `hash-max-listpack-entries` (512, as the session sets it) and
    // `zset-max-listpack-entries` (128).
    let fields: Vec<String> = (0..600).map(|i| format!("f{i}")).collect();
    let mut hset = vec!["HSET", "h"];
    let mut zadd = vec!["ZADD", "z"];
    let mut rpush = vec!["RPUSH", "l"];
    for f in &fields {
        hset.extend([f.as_str(), "v"]);
        zadd.extend(["1", f.as_str()]);
        rpush.push(f.as_str());
    }
    s.same(&hset);
    s.same(&zadd);
    s.same(&rpush);
    // A list of 600 short elements is one quicklist node: effort 1.
    s.same(&["UNLINK", "h", "z", "l"]);
    same_count(&mut s, "2");
    s.same(&["CONFIG", "SET", "list-max-listpack-size", "2"]);
    s.same(&rpush);
    s.same(&["UNLINK", "l"]);
    same_count(&mut s, "3");
    s.same(&["CONFIG", "SET", "list-max-listpack-size", "-2"]);
}

#[test]
fn flushes_count_every_key_unless_inside_multi() {
    let mut s = Session::new();
    s.same(&["CONFIG", "RESETSTAT"]);
    s.same(&["MSET", "a", "1", "b", "2", "c", "3"]);
    s.same(&["SELECT", "1"]);
    s.same(&["SET", "d", "4"]);
    // SYNC runs as a blocking ASYNC flush in Redis 7.4.
    s.same(&["FLUSHDB", "SYNC"]);
    same_count(&mut s, "1");
    s.same(&["FLUSHALL"]);
    same_count(&mut s, "4");
    s.same(&["MSET", "a", "1", "b", "2"]);
    s.same(&["MULTI"]);
    s.same(&["FLUSHALL"]);
    s.same(&["EXEC"]);
    same_count(&mut s, "4");
    s.same(&["MSET", "a", "1", "b", "2"]);
    s.same(&["MULTI"]);
    s.same(&["FLUSHALL", "ASYNC"]);
    s.same(&["EXEC"]);
    same_count(&mut s, "6");
    s.same(&["FLUSHALL", "bogus"]);
    s.same(&["SELECT", "0"]);
}
