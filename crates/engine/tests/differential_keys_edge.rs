//! Differential edge cases of the generic key commands against Redis 7.4 (EXPIRE options and
//! overflow, TTL rounding at the limits, RENAME/COPY across databases, SCAN coverage, OBJECT).

mod common;
use common::{args, canonical, now_ms, Session};
use playground_engine::config::EvictionPolicy;
use playground_engine::Frame;

/// The database these tests use, away from db 0 where other test binaries work.
const DB: usize = 9;

/// A session switched to database `DB` on both sides.
fn session() -> Session {
    let mut s = Session::new();
    s.oracle.raw(&args(&["SELECT", &DB.to_string()]));
    s.engine.server_mut().clients.entry(s.client).or_default().db = DB;
    s
}

/// Put a value of another family at `key` on both sides with the real command, compared.
fn make(s: &mut Session, cmd: &[&str]) {
    s.same(cmd);
}

fn make_list(s: &mut Session, key: &str, items: &[&str]) {
    let mut cmd = vec!["RPUSH", key];
    cmd.extend_from_slice(items);
    make(s, &cmd);
}

fn make_hash(s: &mut Session, key: &str, pairs: &[(&str, &str)]) {
    let mut cmd = vec!["HSET", key];
    for (f, v) in pairs {
        cmd.push(f);
        cmd.push(v);
    }
    make(s, &cmd);
}

fn make_set(s: &mut Session, key: &str, members: &[&str]) {
    let mut cmd = vec!["SADD", key];
    cmd.extend_from_slice(members);
    make(s, &cmd);
}

fn make_zset(s: &mut Session, key: &str, members: &[(&str, f64)]) {
    let scores: Vec<String> = members.iter().map(|(_, sc)| sc.to_string()).collect();
    let mut cmd = vec!["ZADD", key];
    for ((m, _), sc) in members.iter().zip(&scores) {
        cmd.push(sc);
        cmd.push(m);
    }
    make(s, &cmd);
}

#[test]
fn delete_exists_type_touch() {
    let mut s = session();
    make_list(&mut s, "key:l", &["a"]);
    make_hash(&mut s, "key:h", &[("f", "v")]);
    make_set(&mut s, "key:s", &["m"]);
    make_zset(&mut s, "key:z", &[("m", 1.0)]);
    s.script(&[
        &["SET", "key:a", "1"],
        &["SET", "key:b", "2"],
        &["EXISTS", "key:a", "key:a", "key:nope", "key:b"],
        &["TYPE", "key:a"],
        &["TYPE", "key:l"],
        &["TYPE", "key:h"],
        &["TYPE", "key:s"],
        &["TYPE", "key:z"],
        &["TYPE", "key:nope"],
        &["TOUCH", "key:a", "key:l", "key:nope", "key:a"],
        &["DEL", "key:a", "key:a", "key:nope"],
        &["UNLINK", "key:b", "key:l", "key:nope"],
        &["EXISTS", "key:a", "key:b", "key:l"],
        &["DEL"],
        &["EXISTS"],
        &["TYPE"],
        &["TYPE", "a", "b"],
        &["TOUCH"],
    ]);
}

#[test]
fn rename_and_copy() {
    let mut s = session();
    make_list(&mut s, "key:l", &["a", "b"]);
    s.script(&[
        &["RENAME", "key:nope", "key:x"],
        &["RENAMENX", "key:nope", "key:x"],
        &["RENAME", "key:nope", "key:nope"],
        &["SET", "key:a", "1", "EX", "100"],
        &["RENAME", "key:a", "key:a"],
        &["RENAMENX", "key:a", "key:a"],
        &["RENAME", "key:a", "key:b"],
        &["EXISTS", "key:a"],
        &["GET", "key:b"],
        &["TTL", "key:b"],
        &["SET", "key:c", "3"],
        &["RENAMENX", "key:b", "key:c"],
        &["RENAMENX", "key:b", "key:d"],
        &["TTL", "key:d"],
        &["RENAME", "key:d", "key:l"],
        &["TYPE", "key:l"],
        &["GET", "key:l"],
        &["SET", "key:l2", "x"],
        &["COPY", "key:l2", "key:l2"],
        &["COPY", "key:nope", "key:x"],
        &["COPY", "key:l2", "key:c"],
        &["COPY", "key:l2", "key:c", "REPLACE"],
        &["GET", "key:c"],
        &["SET", "key:e", "v", "EX", "100"],
        &["COPY", "key:e", "key:f"],
        &["TTL", "key:f"],
        &["COPY", "key:e", "key:e", "DB", "3"],
        &["COPY", "key:e", "key:e", "DB", "16"],
        &["COPY", "key:e", "key:e", "DB", "-1"],
        &["COPY", "key:e", "key:e", "DB", "x"],
        &["COPY", "key:e", "key:e", "DB"],
        &["COPY", "key:e", "key:e", "FOO"],
        &["COPY", "key:e", "key:e", "DB", "9"],
        &["COPY", "key:e", "key:e", "db", "3", "replace"],
        &["COPY", "key:e", "key:e", "DB", "3"],
    ]);
    s.oracle.raw(&args(&["SELECT", "3"]));
    s.engine.server_mut().clients.entry(s.client).or_default().db = 3;
    s.script(&[&["GET", "key:e"], &["TYPE", "key:e"]]);
    s.close(&["TTL", "key:e"], 1);
    s.oracle.raw(&args(&["FLUSHDB"]));
    s.engine.server_mut().dbs[3].clear();
}

#[test]
fn expire_family_and_ttls() {
    let mut s = session();
    s.script(&[
        &["EXPIRE", "key:nope", "100"],
        &["TTL", "key:nope"],
        &["PTTL", "key:nope"],
        &["EXPIRETIME", "key:nope"],
        &["PEXPIRETIME", "key:nope"],
        &["PERSIST", "key:nope"],
        &["SET", "key:a", "v"],
        &["TTL", "key:a"],
        &["PTTL", "key:a"],
        &["EXPIRETIME", "key:a"],
        &["PEXPIRETIME", "key:a"],
        &["PERSIST", "key:a"],
        &["EXPIRE", "key:a", "100", "XX"],
        &["EXPIRE", "key:a", "100", "GT"],
        &["EXPIRE", "key:a", "100", "LT"],
        &["TTL", "key:a"],
        &["PERSIST", "key:a"],
        &["EXPIRE", "key:a", "100", "NX"],
        &["EXPIRE", "key:a", "200", "NX"],
        &["TTL", "key:a"],
        &["EXPIRE", "key:a", "50", "GT"],
        &["EXPIRE", "key:a", "500", "GT"],
        &["TTL", "key:a"],
        &["EXPIRE", "key:a", "600", "LT"],
        &["EXPIRE", "key:a", "300", "lt"],
        &["TTL", "key:a"],
        &["EXPIRE", "key:a", "400", "XX", "GT"],
        &["TTL", "key:a"],
        &["EXPIRE", "key:a", "10", "NX", "XX"],
        &["EXPIRE", "key:a", "10", "NX", "GT"],
        &["EXPIRE", "key:a", "10", "GT", "LT"],
        &["EXPIRE", "key:a", "10", "XX", "XX"],
        &["EXPIRE", "key:a", "10", "FOO"],
        &["EXPIRE", "key:a", "10", "NX", "FOO"],
        &["EXPIRE", "key:a", "abc"],
        &["EXPIRE", "key:a", "abc", "FOO"],
        &["EXPIRE", "key:a", "9223372036854775807"],
        &["EXPIRE", "key:a", "9223372036854775"],
        &["EXPIRE", "key:a", "-9223372036854775808"],
        &["PEXPIRE", "key:a", "9223372036854775807"],
        &["EXPIREAT", "key:a", "9223372036854776"],
        &["PEXPIREAT", "key:a", "9223372036854775807"],
        &["PEXPIRETIME", "key:a"],
        &["EXPIRETIME", "key:a"],
        &["EXPIREAT", "key:a", "99999999999"],
        &["EXPIRETIME", "key:a"],
        &["PEXPIRETIME", "key:a"],
        &["PEXPIREAT", "key:a", "99999999999999"],
        &["PEXPIRETIME", "key:a"],
        &["PERSIST", "key:a"],
        &["PERSIST", "key:a"],
        &["TTL", "key:a"],
        &["EXPIRE", "key:a", "-1", "GT"],
        &["EXPIRE", "key:a", "-1", "LT"],
        &["EXISTS", "key:a"],
        &["SET", "key:a", "v"],
        &["EXPIRE", "key:a", "0"],
        &["EXISTS", "key:a"],
        &["SET", "key:a", "v"],
        &["PEXPIREAT", "key:a", "1"],
        &["GET", "key:a"],
        &["SET", "key:a", "v"],
        &["EXPIREAT", "key:a", "-5"],
        &["TYPE", "key:a"],
        &["EXPIRE", "key:a"],
        &["TTL"],
    ]);
    s.same(&["SET", "key:t", "v"]);
    s.same(&["EXPIRE", "key:t", "100"]);
    s.close(&["TTL", "key:t"], 1);
    s.close(&["PTTL", "key:t"], 500);
    s.close(&["EXPIRETIME", "key:t"], 1);
    s.close(&["PEXPIRETIME", "key:t"], 500);
    s.same(&["PEXPIRE", "key:t", "1500"]);
    s.close(&["TTL", "key:t"], 1);
    s.close(&["PTTL", "key:t"], 500);
    // A deadline that passes makes the key absent everywhere.
    s.same(&["PEXPIRE", "key:t", "30"]);
    std::thread::sleep(std::time::Duration::from_millis(60));
    s.script(&[
        &["TTL", "key:t"],
        &["EXISTS", "key:t"],
        &["GET", "key:t"],
        &["TYPE", "key:t"],
        &["PERSIST", "key:t"],
        &["EXPIRE", "key:t", "10"],
        &["RENAME", "key:t", "key:u"],
        &["KEYS", "key:t"],
    ]);
}

#[test]
fn keys_scan_randomkey() {
    let mut s = session();
    s.script(&[&["KEYS", "*"], &["SCAN", "0"], &["RANDOMKEY"]]);
    make_list(&mut s, "key:list", &["a"]);
    make_hash(&mut s, "key:hash", &[("f", "v")]);
    s.script(&[&["MSET", "key:a", "1", "key:b", "2", "key:ab", "3", "other", "4"]]);
    for cmd in [
        &["KEYS", "*"][..],
        &["KEYS", "key:*"],
        &["KEYS", "key:?"],
        &["KEYS", "key:[a]*"],
        &["KEYS", "nomatch*"],
        &["SCAN", "0"],
        &["SCAN", "0", "MATCH", "key:*"],
        &["SCAN", "0", "MATCH", "*"],
        &["SCAN", "0", "TYPE", "string"],
        &["SCAN", "0", "TYPE", "LIST"],
        &["SCAN", "0", "TYPE", "hash", "MATCH", "key:*"],
        &["SCAN", "0", "TYPE", "nosuchtype"],
        &["SCAN", "0", "COUNT", "100", "MATCH", "key:a*"],
    ] {
        s.same_unordered(cmd);
    }
    s.script(&[
        &["SCAN", "-1"],
        &["SCAN", "abc"],
        &["SCAN", "0", "COUNT", "0"],
        &["SCAN", "0", "COUNT", "-1"],
        &["SCAN", "0", "COUNT", "x"],
        &["SCAN", "0", "MATCH"],
        &["SCAN", "0", "FOO", "bar"],
        &["SCAN"],
        &["KEYS"],
        &["RANDOMKEY", "x"],
    ]);
    // RANDOMKEY returns one of the keys on both sides.
    let (theirs, ours) = s.both(&["RANDOMKEY"]);
    let all = ["key:list", "key:hash", "key:a", "key:b", "key:ab", "other"];
    for reply in [theirs, ours] {
        let key = reply.as_bytes().map(|k| String::from_utf8_lossy(k).into_owned()).unwrap_or_default();
        assert!(all.contains(&key.as_str()), "RANDOMKEY gave {reply:?}");
    }
}

/// A full SCAN in small pages returns every key exactly once, even while keys are added.
#[test]
fn scan_pages_cover_every_key() {
    let mut s = session();
    let keys: Vec<String> = (0..250).map(|i| format!("key:scan:{i}")).collect();
    for k in &keys {
        s.same(&["SET", k, "v"]);
    }
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let reply = s.engine.execute(s.client, args(&["SCAN", &cursor, "COUNT", "7"]), now_ms());
        let Frame::Array(parts) = reply else { panic!("SCAN reply {reply:?}") };
        let next = String::from_utf8_lossy(parts[0].as_bytes().unwrap_or_default()).into_owned();
        let Frame::Array(found) = &parts[1] else { panic!("SCAN keys {:?}", parts[1]) };
        assert!(found.len() <= 7);
        seen.extend(
            found.iter().map(|f| String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned()),
        );
        // Keys added mid-scan must not disturb the keys already there.
        if pages == 3 {
            s.engine.execute(s.client, args(&["SET", "key:scan:late", "v"]), now_ms());
        }
        pages += 1;
        if next == "0" {
            break;
        }
        cursor = next;
    }
    for k in &keys {
        assert_eq!(seen.iter().filter(|x| *x == k).count(), 1, "{k} seen once");
    }
    // And the oracle agrees on the set of keys.
    let (theirs, ours) = s.both(&["KEYS", "key:scan:*"]);
    let ours_without_late = match ours {
        Frame::Array(items) => {
            Frame::Array(items.into_iter().filter(|f| f.as_bytes() != Some(b"key:scan:late")).collect())
        }
        other => other,
    };
    assert_eq!(canonical(&ours_without_late), canonical(&theirs));
}

#[test]
fn object_encodings_and_counters() {
    let mut s = session();
    let long_list: Vec<String> = (0..200).map(|i| format!("element-{i:040}")).collect();
    let long_refs: Vec<&str> = long_list.iter().map(String::as_str).collect();
    make_list(&mut s, "key:list", &["a", "1"]);
    make_list(&mut s, "key:biglist", &long_refs);
    make_hash(&mut s, "key:hash", &[("f", "v")]);
    let wide = "x".repeat(65);
    make_hash(&mut s, "key:widehash", &[("f", &wide)]);
    make_set(&mut s, "key:ints", &["1", "2", "-3"]);
    make_set(&mut s, "key:strs", &["a", "1"]);
    make_set(&mut s, "key:wideset", &["a", &wide]);
    let many: Vec<String> = (0..130).map(|i| format!("m{i}")).collect();
    let many_refs: Vec<&str> = many.iter().map(String::as_str).collect();
    make_set(&mut s, "key:manyset", &many_refs);
    make_zset(&mut s, "key:zset", &[("a", 1.0), ("b", 2.5)]);
    make_zset(&mut s, "key:widezset", &[(&wide, 1.0)]);
    let forty_four = "y".repeat(44);
    let forty_five = "y".repeat(45);
    s.script(&[
        &["SET", "key:int", "12345"],
        &["SET", "key:neg", "-5"],
        &["SET", "key:lead", "01"],
        &["SET", "key:big", "12345678901234567890123"],
        &["SET", "key:maxint", "9223372036854775807"],
        &["SET", "key:emb", &forty_four],
        &["SET", "key:raw", &forty_five],
    ]);
    for key in [
        "key:int",
        "key:neg",
        "key:lead",
        "key:big",
        "key:maxint",
        "key:emb",
        "key:raw",
        "key:list",
        "key:biglist",
        "key:hash",
        "key:widehash",
        "key:ints",
        "key:strs",
        "key:wideset",
        "key:manyset",
        "key:zset",
        "key:widezset",
        "key:nope",
    ] {
        s.same(&["OBJECT", "ENCODING", key]);
    }
    s.script(&[
        &["SET", "key:shared", "42"],
        &["OBJECT", "REFCOUNT", "key:shared"],
        &["OBJECT", "REFCOUNT", "key:int"],
        &["OBJECT", "REFCOUNT", "key:emb"],
        &["OBJECT", "REFCOUNT", "key:list"],
        &["OBJECT", "REFCOUNT", "key:nope"],
        &["OBJECT", "IDLETIME", "key:nope"],
        &["OBJECT", "FREQ", "key:int"],
        &["OBJECT", "FREQ", "key:nope"],
        &["OBJECT", "HELP"],
        &["OBJECT", "help"],
        &["OBJECT"],
        &["OBJECT", "NOSUCH"],
        &["OBJECT", "ENCODING"],
        &["OBJECT", "ENCODING", "a", "b"],
        &["OBJECT", "HELP", "x"],
    ]);
    // Whole seconds on both clocks: a second boundary may fall between the two reads.
    s.close(&["OBJECT", "IDLETIME", "key:int"], 1);
    // Under an LFU policy FREQ answers and IDLETIME refuses.
    s.oracle.raw(&args(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"]));
    s.engine.server_mut().config.policy = EvictionPolicy::AllKeysLfu;
    s.script(&[
        &["SET", "key:lfu", "v"],
        &["OBJECT", "FREQ", "key:lfu"],
        &["OBJECT", "IDLETIME", "key:lfu"],
        &["OBJECT", "IDLETIME", "key:nope"],
        &["OBJECT", "FREQ", "key:nope"],
    ]);
    s.oracle.raw(&args(&["CONFIG", "SET", "maxmemory-policy", "noeviction"]));
}

#[test]
fn wrong_arity_of_every_key_command() {
    let mut s = session();
    s.script(&[
        &["RENAME", "a"],
        &["RENAMENX", "a"],
        &["COPY", "a"],
        &["EXPIRE", "a"],
        &["PEXPIRE", "a"],
        &["EXPIREAT", "a"],
        &["PEXPIREAT", "a"],
        &["PTTL"],
        &["EXPIRETIME"],
        &["PEXPIRETIME", "a", "b"],
        &["PERSIST"],
        &["UNLINK"],
    ]);
}

/// Seeded random command lines built from tricky tokens never panic the string and key
/// commands (a panic would kill the browser page); every reply is a frame.
#[test]
fn tricky_arguments_never_panic() {
    use playground_engine::Engine;
    const COMMANDS: &[&str] = &[
        "SET",
        "GET",
        "GETDEL",
        "GETEX",
        "GETSET",
        "SETNX",
        "SETEX",
        "PSETEX",
        "MSET",
        "MSETNX",
        "MGET",
        "INCR",
        "DECR",
        "INCRBY",
        "DECRBY",
        "INCRBYFLOAT",
        "APPEND",
        "STRLEN",
        "GETRANGE",
        "SUBSTR",
        "SETRANGE",
        "DEL",
        "UNLINK",
        "EXISTS",
        "TYPE",
        "RENAME",
        "RENAMENX",
        "COPY",
        "KEYS",
        "SCAN",
        "RANDOMKEY",
        "EXPIRE",
        "PEXPIRE",
        "EXPIREAT",
        "PEXPIREAT",
        "TTL",
        "PTTL",
        "EXPIRETIME",
        "PEXPIRETIME",
        "PERSIST",
        "TOUCH",
        "OBJECT",
    ];
    const TOKENS: &[&str] = &[
        "k",
        "k2",
        "0",
        "1",
        "-1",
        "10",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "18446744073709551615",
        "1e308",
        "1e4932",
        "-1e-4950",
        "0x1p16383",
        "inf",
        "nan",
        "",
        " ",
        "EX",
        "PX",
        "EXAT",
        "PXAT",
        "KEEPTTL",
        "PERSIST",
        "NX",
        "XX",
        "GT",
        "LT",
        "GET",
        "DB",
        "15",
        "16",
        "REPLACE",
        "MATCH",
        "COUNT",
        "TYPE",
        "*",
        "[",
        "\\",
        "ENCODING",
        "FREQ",
        "IDLETIME",
        "REFCOUNT",
        "HELP",
        "0.1",
        "1.5e3",
    ];
    let mut engine = Engine::new(1, 1_700_000_000_000);
    let client = engine.connect(1_700_000_000_000);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for step in 0..20_000u64 {
        let mut line = vec![COMMANDS[(next() % COMMANDS.len() as u64) as usize]];
        for _ in 0..next() % 6 {
            line.push(TOKENS[(next() % TOKENS.len() as u64) as usize]);
        }
        let now = 1_700_000_000_000 + step * 37;
        let reply = engine.execute(client, args(&line), now);
        let _ = reply.to_bytes(playground_engine::Protocol::Resp2);
        engine.tick(now);
    }
}

/// SCAN deletes the expired keys its pattern matches on the way (lazy expiry, as a lookup
/// does), and leaves the others for later: DBSIZE, which counts stale keys, shows which went.
#[test]
fn scan_expires_what_it_matches() {
    let mut s = session();
    s.script(&[
        &["FLUSHALL"],
        &["DEBUG", "SET-ACTIVE-EXPIRE", "0"],
        &["SET", "live", "1"],
        &["SET", "stale:a", "1", "PX", "1"],
        &["HSET", "stale:h", "f", "v"],
        &["PEXPIRE", "stale:h", "1"],
        &["SET", "other", "1", "PX", "1"],
    ]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    s.script(&[
        &["DBSIZE"],
        &["SCAN", "0", "MATCH", "stale:*", "TYPE", "string", "COUNT", "100"],
        &["DBSIZE"],
        &["SCAN", "0", "TYPE", "nosuchtype", "COUNT", "100"],
        &["DBSIZE"],
        &["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
    ]);
}
