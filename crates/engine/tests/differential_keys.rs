//! Keys and TTLs against Redis 7.4, byte for byte (order-free where Redis's order is a hash's).

mod common;
use common::{canonical, Session};

#[test]
fn exists_del_type_rename_copy() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "k:a", "1"],
        &["SET", "k:b", "2"],
        &["EXISTS", "k:a", "k:a", "k:none"],
        &["TYPE", "k:a"],
        &["TYPE", "k:none"],
        &["RPUSH", "k:l", "x"],
        &["TYPE", "k:l"],
        &["DEL", "k:a", "k:none", "k:a"],
        &["UNLINK", "k:b"],
        &["SET", "k:src", "v", "EX", "100"],
        &["RENAME", "k:src", "k:dst"],
        &["TTL", "k:dst"],
        &["RENAME", "k:src", "k:dst"],
        &["RENAME", "k:dst", "k:dst"],
        &["RENAMENX", "k:dst", "k:dst"],
        &["SET", "k:other", "o"],
        &["RENAMENX", "k:dst", "k:other"],
        &["RENAMENX", "k:dst", "k:fresh"],
        &["COPY", "k:fresh", "k:copy"],
        &["TTL", "k:copy"],
        &["COPY", "k:fresh", "k:copy"],
        &["COPY", "k:fresh", "k:copy", "REPLACE"],
        &["COPY", "k:fresh", "k:fresh"],
        &["COPY", "k:fresh", "k:x", "DB", "99"],
        &["COPY", "k:fresh", "k:x", "DB"],
        &["COPY", "k:fresh", "k:x", "FOO"],
        &["COPY", "k:none", "k:x"],
        &["COPY", "k:fresh", "k:x", "DB", "3"],
        &["SELECT", "3"],
        &["GET", "k:x"],
        &["SELECT", "0"],
        &["COPY", "k:l", "k:l2"],
        &["LRANGE", "k:l2", "0", "-1"],
    ]);
}

#[test]
fn expire_options_and_ttl_semantics() {
    let mut s = Session::new();
    s.script(&[
        &["TTL", "e:none"],
        &["PTTL", "e:none"],
        &["EXPIRETIME", "e:none"],
        &["SET", "e:k", "v"],
        &["TTL", "e:k"],
        &["PEXPIRETIME", "e:k"],
        &["EXPIRE", "e:k", "100"],
        &["TTL", "e:k"],
        &["EXPIRE", "e:k", "200", "NX"],
        &["EXPIRE", "e:k", "200", "XX"],
        &["EXPIRE", "e:k", "100", "GT"],
        &["EXPIRE", "e:k", "300", "GT"],
        &["EXPIRE", "e:k", "400", "LT"],
        &["EXPIRE", "e:k", "50", "LT"],
        &["TTL", "e:k"],
        &["EXPIRE", "e:k", "10", "NX", "XX"],
        &["EXPIRE", "e:k", "10", "GT", "LT"],
        &["EXPIRE", "e:k", "10", "FOO"],
        &["EXPIRE", "e:k", "abc"],
        &["EXPIRE", "e:k", "9223372036854775807"],
        &["PEXPIRE", "e:k", "9223372036854775807"],
        &["EXPIRE", "e:none", "10"],
        &["PERSIST", "e:k"],
        &["PERSIST", "e:k"],
        &["TTL", "e:k"],
        &["EXPIRE", "e:k", "10", "XX"],
        &["EXPIRE", "e:k", "10", "GT"],
        &["EXPIRE", "e:k", "10", "LT"],
        &["TTL", "e:k"],
        &["EXPIREAT", "e:k", "4102444800"],
        &["EXPIRETIME", "e:k"],
        &["PEXPIREAT", "e:k", "4102444800123"],
        &["PEXPIRETIME", "e:k"],
        &["EXPIRETIME", "e:k"],
        &["EXPIRE", "e:k", "-1"],
        &["EXISTS", "e:k"],
        &["SET", "e:k2", "v"],
        &["EXPIREAT", "e:k2", "1"],
        &["GET", "e:k2"],
        &["TOUCH", "e:k2", "e:none"],
    ]);
}

#[test]
fn lazy_and_active_expiry_on_the_engine_clock() {
    // The oracle's clock cannot be moved, so expiry timing is checked on the engine alone.
    let mut s = Session::new();
    let now = common::now_ms();
    let c = s.client;
    let run = |s: &mut Session, at: u64, cmd: &[&str]| s.engine.execute(c, common::args(cmd), at);
    run(&mut s, now, &["SET", "t:a", "1", "PX", "100"]);
    run(&mut s, now, &["SET", "t:b", "1", "PX", "100"]);
    assert_eq!(run(&mut s, now + 99, &["PTTL", "t:a"]), playground_engine::Frame::Integer(1));
    assert_eq!(run(&mut s, now + 100, &["GET", "t:a"]), playground_engine::Frame::Null);
    assert_eq!(s.engine.server().stats.expired_keys, 1, "lazy expiry on access");
    assert_eq!(s.engine.tick(now + 100), 1, "active expiry finds the other");
    assert_eq!(s.engine.server().stats.expired_keys, 2);
    assert_eq!(run(&mut s, now + 100, &["DBSIZE"]), playground_engine::Frame::Integer(0));
}

#[test]
fn keys_scan_randomkey() {
    let mut s = Session::new();
    for i in 0..50 {
        s.same(&["SET", &format!("user:{i}"), "x"]);
    }
    s.script(&[&["RPUSH", "queue:1", "a"], &["HSET", "hash:1", "f", "v"]]);
    s.same_unordered(&["KEYS", "user:1*"]);
    s.same_unordered(&["KEYS", "*"]);
    s.same_unordered(&["KEYS", "user:[12]?"]);
    s.script(&[
        &["SCAN", "abc"],
        &["SCAN", "0", "COUNT", "0"],
        &["SCAN", "0", "COUNT"],
        &["SCAN", "0", "FOO", "bar"],
        &["SCAN", "0", "COUNT", "x"],
    ]);
    // A full scan returns every key exactly once per key present throughout.
    for (pattern, kind) in [("*", None), ("user:*", None), ("*", Some("list")), ("*", Some("hash"))] {
        let mut ours = Vec::new();
        let mut cursor = "0".to_string();
        loop {
            let mut cmd = vec!["SCAN", &cursor, "MATCH", pattern, "COUNT", "7"];
            if let Some(k) = kind {
                cmd.extend(["TYPE", k]);
            }
            let reply = s.engine.execute(s.client, common::args(&cmd), common::now_ms());
            let playground_engine::Frame::Array(parts) = reply else { panic!("SCAN reply {reply:?}") };
            let next = String::from_utf8(parts[0].as_bytes().unwrap().to_vec()).unwrap();
            if let playground_engine::Frame::Array(keys) = &parts[1] {
                ours.extend(keys.iter().map(|k| String::from_utf8_lossy(k.as_bytes().unwrap()).into_owned()));
            }
            if next == "0" {
                break;
            }
            cursor = next;
        }
        let mut cmd = vec!["KEYS", pattern];
        let (theirs, _) = s.both(&cmd);
        cmd.clear();
        let mut expected: Vec<String> = match theirs {
            playground_engine::Frame::Array(keys) => {
                keys.iter().map(|k| String::from_utf8_lossy(k.as_bytes().unwrap()).into_owned()).collect()
            }
            other => panic!("{other:?}"),
        };
        if let Some(k) = kind {
            expected.retain(|key| {
                (k == "list" && key.starts_with("queue")) || (k == "hash" && key.starts_with("hash"))
            });
        }
        ours.sort();
        expected.sort();
        assert_eq!(ours, expected, "SCAN MATCH {pattern} TYPE {kind:?}");
    }
    let (theirs, ours) = s.both(&["RANDOMKEY"]);
    assert!(theirs.as_bytes().is_some() && ours.as_bytes().is_some());
    s.script(&[&["FLUSHALL"], &["RANDOMKEY"]]);
    let _ = canonical;
}

#[test]
fn object_subcommands() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "o:int", "12345"],
        &["SET", "o:emb", "hello"],
        &["SET", "o:raw", "0123456789012345678901234567890123456789012345"],
        &["OBJECT", "ENCODING", "o:int"],
        &["OBJECT", "ENCODING", "o:emb"],
        &["OBJECT", "ENCODING", "o:raw"],
        &["OBJECT", "ENCODING", "o:none"],
        &["OBJECT", "REFCOUNT", "o:int"],
        &["OBJECT", "REFCOUNT", "o:emb"],
        &["OBJECT", "FREQ", "o:int"],
        &["OBJECT", "IDLETIME", "o:int"],
        &["OBJECT", "HELP"],
        &["OBJECT"],
        &["OBJECT", "FOO", "x"],
        &["OBJECT", "ENCODING"],
        &["RPUSH", "o:list", "a", "b"],
        &["OBJECT", "ENCODING", "o:list"],
        &["HSET", "o:hash", "f", "v"],
        &["OBJECT", "ENCODING", "o:hash"],
        &["SADD", "o:ints", "1", "2"],
        &["OBJECT", "ENCODING", "o:ints"],
        &["SADD", "o:set", "a", "b"],
        &["OBJECT", "ENCODING", "o:set"],
        &["ZADD", "o:z", "1", "a"],
        &["OBJECT", "ENCODING", "o:z"],
        &["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"],
        &["OBJECT", "IDLETIME", "o:int"],
        &["CONFIG", "SET", "maxmemory-policy", "noeviction"],
    ]);
}
