//! SLOWLOG against the oracle: which commands are logged (threshold 0 logs every one that runs;
//! EXEC itself, queued commands and commands refused before running are not), their arguments (trimmed to 32, each to 128 bytes, secrets redacted) and
//! client names, GET's count, LEN, RESET, max-len, the errors; RESP2 and RESP3. Ids, times,
//! durations and addresses are the process's own and are left out.

mod common;
use common::Session;
use playground_engine::Frame;

/// (arguments, client name) of each entry of a SLOWLOG GET reply.
fn entries(reply: &Frame) -> Vec<(Vec<String>, String)> {
    let Frame::Array(items) = reply else { panic!("SLOWLOG GET: {reply:?}") };
    let text = |f: &Frame| String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned();
    items
        .iter()
        .map(|e| {
            let Frame::Array(f) = e else { panic!("entry: {e:?}") };
            assert_eq!(f.len(), 6);
            let Frame::Array(args) = &f[3] else { panic!("args: {e:?}") };
            (args.iter().map(text).collect(), text(&f[5]))
        })
        .collect()
}

#[track_caller]
fn same_log(s: &mut Session, cmd: &[&str]) {
    let (redis, ours) = s.both(cmd);
    assert_eq!(entries(&ours), entries(&redis), "{cmd:?}");
}

fn slowlog(s: &mut Session, protocol: &str) {
    s.run(&["CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "128"]);
    s.script(&[
        &["SLOWLOG", "RESET"],
        &["SLOWLOG", "LEN"],
        &["SET", "k", "v"],
        &["CLIENT", "SETNAME", "logged"],
        &["GET", "k"],
        &["GET"],
        &["NOSUCH", "x"],
        &["INCR", "k"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["GET", "a"],
        &["EXEC"],
        &["SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"],
        &[
            "SADD", "s", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30",
            "31", "32", "33", "34",
        ],
        &[
            "SADD", "s", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30",
            "31", "32", "33",
        ],
        &["AUTH", "nosuch"],
        &["AUTH", "u", "p"],
        &["ACL", "SETUSER", "slowuser", "on", ">secret"],
        &["ACL", "GETUSER", "nosuchuser"],
        &["ACL", "DELUSER", "slowuser", "other"],
        &["CONFIG", "SET", "requirepass", ""],
        &["CONFIG", "SET", "masterauth", "", "maxmemory", "0"],
        &["MIGRATE", "127.0.0.1", "17109", "nokey", "0", "100", "AUTH2", "u", "p"],
        &["MIGRATE", "127.0.0.1", "17109", "nokey", "0", "100", "AUTH", "p"],
        &["SLOWLOG", "LEN"],
    ]);
    // HELLO's reply is each server's own; what SLOWLOG keeps of it is compared below.
    s.run(&["HELLO", protocol, "AUTH", "default", "nopass"]);
    s.script(&[
        &["SLOWLOG", "GET", "-2"],
        &["SLOWLOG", "GET", "x"],
        &["SLOWLOG", "GET", "1", "2"],
        &["SLOWLOG", "LEN", "x"],
    ]);
    let long = "A".repeat(200);
    s.same(&["SET", "long", &long]);
    same_log(s, &["SLOWLOG", "GET", "-1"]);
    same_log(s, &["SLOWLOG", "GET", "0"]);
    same_log(s, &["SLOWLOG", "GET", "3"]);
    same_log(s, &["SLOWLOG", "GET"]);
    s.run(&["CONFIG", "SET", "slowlog-max-len", "2"]);
    s.same(&["SLOWLOG", "LEN"]);
    same_log(s, &["SLOWLOG", "GET", "-1"]);
    s.run(&["CONFIG", "SET", "slowlog-max-len", "0"]);
    s.same(&["PING"]);
    s.same(&["SLOWLOG", "LEN"]);
    s.run(&["CONFIG", "SET", "slowlog-max-len", "128", "slowlog-log-slower-than", "100000"]);
    s.script(&[&["PING"], &["SLOWLOG", "LEN"], &["SLOWLOG", "RESET"], &["SLOWLOG", "LEN"]]);
    s.run(&["CONFIG", "SET", "slowlog-log-slower-than", "10000"]);
    s.run(&["CLIENT", "SETNAME", ""]);
}

#[test]
fn slowlog_resp2() {
    let mut s = Session::new();
    slowlog(&mut s, "2");
}

#[test]
fn slowlog_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    slowlog(&mut s, "3");
}
