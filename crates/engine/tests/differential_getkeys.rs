//! COMMAND GETKEYS and MEMORY PURGE against Redis 7.4, byte for byte in RESP2 and RESP3: key
//! ranges (fixed, to the end, with a step), `numkeys` commands, SORT's last STORE, GEORADIUS's
//! STORE/STOREDIST, subcommands, and the four errors.

mod common;
use common::Session;

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
    ];
    for case in cases {
        let mut cmd = vec!["COMMAND", "GETKEYS"];
        cmd.extend_from_slice(case);
        s.same(&cmd);
    }
    s.script(&[&["COMMAND", "GETKEYS"], &["MEMORY", "PURGE"], &["MEMORY", "PURGE", "x"]]);
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
