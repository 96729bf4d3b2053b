//! COMMAND GETKEYS, GETKEYSANDFLAGS and MEMORY PURGE against Redis 7.4, byte for byte in RESP2
//! and RESP3: key ranges (fixed, to the end, with a step), `numkeys` commands, keyword searches,
//! SORT's last STORE, GEORADIUS's STORE/STOREDIST, SET's and BITFIELD's variable flags, XREAD,
//! subcommands, the four errors, and a sweep over every command the engine has.

mod common;
use common::Session;
use playground_engine::Frame;

fn getkeys(s: &mut Session) {
    let cases: &[&[&str]] = &[
        &["sort", "abc", "store", "def"],
        &["sort_ro", "abc"],
        &["sort", "abc", "store", "invalid", "store", "stillbad", "store", "def"],
        &["sort", "abc", "limit", "0", "1", "store", "x", "get", "#", "by", "y"],
        &["sort", "abc", "get", "store", "by", "store", "store"],
        &["sort", "abc", "store"],
        &["SORT", "abc", "LIMIT", "store", "x", "STORE", "y"],
        &["get", "a"],
        &["GET", "a"],
        &["get"],
        &["get", "a", "b"],
        &["ping"],
        &["nosuch", "a"],
        &["del", "a", "b", "c"],
        &["mset", "a", "1", "b"],
        &["mset", "a", "1", "b", "2"],
        &["smove", "a", "b", "c"],
        &["zrangestore", "d", "s", "0", "1"],
        &["bitop", "and", "d", "a", "b"],
        &["object", "encoding", "k"],
        &["memory", "usage", "k"],
        &["memory"],
        &["config", "get", "x"],
        &["config", "nosuch", "x"],
        &["zunionstore", "d", "2", "a", "b"],
        &["zunionstore", "d", "1", "a", "b", "weights", "1"],
        &["zunionstore", "d", "5", "a", "b"],
        &["zunionstore", "d", "0", "a"],
        &["zunionstore", "d", "-1", "a"],
        &["zunionstore", "d", "x", "a"],
        &["zinterstore", "d", "2", "a", "b"],
        &["zdiffstore", "d", "1", "a"],
        &["zunion", "2", "a", "b"],
        &["zunion", "3", "a", "b"],
        &["zinter", "1", "a", "withscores"],
        &["zdiff", "2", "a", "b"],
        &["zintercard", "2", "a", "b", "limit", "1"],
        &["sintercard", "1", "a"],
        &["lmpop", "2", "a", "b", "left"],
        &["zmpop", "1", "a", "min"],
        &["blmpop", "0", "2", "a", "b", "left"],
        &["bzmpop", "0", "1", "a", "max"],
        &["georadius", "k", "0", "0", "1", "m", "store", "d", "storedist", "e"],
        &["georadius", "k", "0", "0", "1", "m", "store"],
        &["georadiusbymember", "k", "m", "1", "m", "store", "d"],
        &["lmove", "a", "b", "left", "right"],
        &["rename", "a", "b"],
        &["copy", "a", "b"],
        &["set", "k", "v"],
        &["set", "k", "v", "get"],
        &["set", "k", "v", "nx", "GET"],
        &["set", "k", "v", "getx"],
        &["mset", "k1", "v1", "k2", "v2"],
        &["msetnx", "k1", "v1", "k2", "v2"],
        &["bitfield", "k", "get", "u8", "0"],
        &["bitfield", "k", "get", "u8", "0", "overflow", "sat", "get", "i4", "1"],
        &["bitfield", "k", "set", "u8", "0", "1"],
        &["bitfield", "k", "get", "u8"],
        &["bitfield", "k", "incrby", "u8", "0", "1", "get", "u8", "0"],
        &["bitfield", "k"],
        &["bitfield_ro", "k", "get", "u8", "0"],
        &["xread", "streams", "a", "b", "0", "0"],
        &["xread", "count", "1", "block", "0", "streams", "a", "0"],
        &["xread", "streams", "a", "b", "0"],
        &["xread", "streams"],
        &["xread", "count", "1", "a", "0"],
        &["xreadgroup", "group", "g", "c", "noack", "streams", "a", "0"],
        &["xreadgroup", "group", "g", "c", "streams", "a", "b", ">", ">"],
        &["eval", "return 1", "0"],
        &["eval", "return 1", "1", "k"],
        &["eval", "return 1", "2", "k"],
        &["eval", "return 1", "x"],
        &["eval", "return 1", "-1", "k"],
        &["evalsha_ro", "abc", "1", "k", "a"],
        &["fcall", "f", "1", "k", "a"],
        &["fcall_ro", "f", "0"],
        &["zunionstore", "zz", "1443677133621497600", "asdf"],
        &["zunionstore", "d", "1abc", "a"],
        &["zinter", "2", "a"],
        &["lmpop", "1", "a", "b", "left"],
        &["blpop", "a", "b", "0"],
        &["brpoplpush", "a", "b", "0"],
        &["blmove", "a", "b", "left", "left", "0"],
        &["xadd", "s", "*", "f", "v"],
        &["xinfo", "stream", "s"],
        &["xgroup", "create", "s", "g", "$"],
        &["lcs", "a", "b"],
        &["pfcount", "a", "b"],
        &["pfmerge", "d", "a", "b"],
        &["getex", "k", "persist"],
        &["getdel", "k"],
        &["rpoplpush", "a", "b"],
        &["sunionstore", "d", "a", "b"],
        &["georadius", "k", "0", "0", "1", "m", "storedist", "d", "store", "e"],
        &["georadius_ro", "k", "0", "0", "1", "m"],
        &["geosearchstore", "d", "s", "frommember", "m", "byradius", "1", "m"],
        &["sort", "abc", "by", "x", "store", "d"],
        &["sort_ro", "abc", "by", "x"],
        &["touch", "a", "b"],
        &["watch", "a", "b"],
        &["exists", "a"],
        &["hset", "h", "f", "v"],
        &["hexpire", "h", "10", "fields", "1", "f"],
        &["spublish", "ch", "m"],
        &["ssubscribe", "ch"],
        &["publish", "ch", "m"],
        &["ft.search", "idx", "*"],
        &["ft.create", "idx", "schema", "f", "text"],
        &["ft._list"],
        &["debug", "object", "k"],
        &["restore", "k", "0", "x"],
        &["object", "freq", "k"],
        &["object", "help"],
        &["client", "list"],
    ];
    for case in cases {
        for sub in ["GETKEYS", "GETKEYSANDFLAGS"] {
            let mut cmd = vec!["COMMAND", sub];
            cmd.extend_from_slice(case);
            s.same(&cmd);
        }
    }
    s.script(&[
        &["COMMAND", "GETKEYS"],
        &["COMMAND", "GETKEYSANDFLAGS"],
        &["COMMAND", "GETKEYSANDFLAGS", "x"],
        &["MEMORY", "PURGE"],
        &["MEMORY", "PURGE", "x"],
    ]);
}

#[test]
fn getkeys_in_resp2() {
    let mut s = Session::new();
    getkeys(&mut s);
}

#[test]
fn getkeys_in_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    getkeys(&mut s);
}

/// Every command and subcommand the engine has, with argument lists of every length up to the
/// longest arity, of key-like words and of numbers (where counts and indexes go): the keys
/// and flags each finds, or the error, as Redis.
#[test]
fn getkeysandflags_sweep_over_every_command() {
    let mut s = Session::new();
    let (_, ours) = s.both(&["COMMAND", "LIST"]);
    let Frame::Array(names) = ours else { panic!("COMMAND LIST: {ours:?}") };
    let words = ["k1", "2", "k2", "k3", "k4", "k5", "k6", "k7"];
    let numbers = ["1", "1", "k1", "k2", "STORE", "k3", "KEYS", "k4"];
    let mut differences = Vec::new();
    for name in names.iter().filter_map(|n| n.as_bytes()) {
        let name = String::from_utf8_lossy(name).into_owned();
        // This oracle has no RedisJSON.
        if name.starts_with("json.") {
            continue;
        }
        let head: Vec<&str> = name.split('|').collect();
        for args in [&words, &numbers] {
            for n in 0..=args.len() {
                let mut cmd = vec!["COMMAND", "GETKEYSANDFLAGS"];
                cmd.extend_from_slice(&head);
                cmd.extend_from_slice(&args[..n]);
                let (redis, ours) = s.both_raw(&common::args(&cmd));
                if redis != ours {
                    differences.push(format!(
                        "{cmd:?}: ours {}, Redis {}",
                        common::show(&ours),
                        common::show(&redis)
                    ));
                }
            }
        }
    }
    assert!(differences.is_empty(), "{} differ:\n{}", differences.len(), differences.join("\n"));
}
