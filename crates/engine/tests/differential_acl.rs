//! ACL against the oracle: SETUSER's rules and their errors, GETUSER's and LIST's exact text,
//! CAT, DRYRUN, AUTH and HELLO AUTH as other users, requirepass, NOPERM before commands (in
//! MULTI, at EXEC, in scripts), the ACL LOG, in RESP2 and RESP3.
//!
//! The oracle keeps its users between tests: each test starts and ends with [`clean`].

mod common;
use common::Session;
use playground_engine::Frame;

const USERS: &[&str] = &["alice", "bob", "carol", "dave", "x"];

/// Back to the default user alone, without a password, and an empty log (both sides).
fn clean(s: &mut Session) {
    s.run(&["AUTH", "pw0"]);
    s.run(&["ACL", "SETUSER", "default", "reset", "on", "nopass", "~*", "&*", "+@all"]);
    s.run(&["CONFIG", "SET", "requirepass", ""]);
    let mut del = vec!["ACL", "DELUSER"];
    del.extend(USERS);
    s.run(&del);
    s.run(&["ACL", "LOG", "RESET"]);
    s.same(&["ACL", "LIST"]);
}

/// Takes a password off the oracle when dropped, also when the test failed: the oracle's
/// unauthenticated connections could not even send the next session's long CONFIG SET.
struct Unset;

impl Drop for Unset {
    fn drop(&mut self) {
        if let Ok(mut tcp) = std::net::TcpStream::connect(("127.0.0.1", common::oracle_port())) {
            use std::io::{Read, Write};
            let _ = tcp.write_all(b"AUTH pw0\r\nCONFIG SET requirepass \"\"\r\nPING\r\n");
            let mut buf = [0u8; 256];
            let mut got = Vec::new();
            while !got.ends_with(b"+PONG\r\n") && !got.ends_with(b"required.\r\n") {
                match tcp.read(&mut buf) {
                    Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
                    _ => break,
                }
            }
        }
    }
}

fn session() -> Session {
    let mut s = Session::new();
    clean(&mut s);
    s
}

#[test]
fn setuser_rules_getuser_and_list() {
    let mut s = session();
    for proto in ["2", "3"] {
        s.run(&["HELLO", proto]);
        s.script(&[
            &[
                "ACL",
                "SETUSER",
                "alice",
                "on",
                ">pw",
                ">pw2",
                "~k*",
                "%R~r*",
                "%W~w*",
                "%RW~b*",
                "&ch*",
                "+@read",
                "-get",
                "+set",
                "+client|id",
                "+select|0",
            ],
            &["ACL", "GETUSER", "alice"],
            &["ACL", "LIST"],
            &[
                "ACL",
                "SETUSER",
                "alice",
                "<pw2",
                "%W~r*",
                "-@read",
                "+@read",
                "+config",
                "-config|set",
                "+get",
            ],
            &["ACL", "GETUSER", "alice"],
            &["ACL", "SETUSER", "bob", "(~x +get)", "(%R~y", "+@string", "&c)", "resetchannels"],
            &["ACL", "GETUSER", "bob"],
            &[
                "ACL",
                "SETUSER",
                "bob",
                "clearselectors",
                "allkeys",
                "allchannels",
                "allcommands",
                "-@dangerous",
            ],
            &["ACL", "GETUSER", "bob"],
            &[
                "ACL",
                "SETUSER",
                "bob",
                "nocommands",
                "+@hash",
                "-hset",
                "+@list",
                "-@list",
                "skip-sanitize-payload",
            ],
            &["ACL", "GETUSER", "bob"],
            &[
                "ACL",
                "SETUSER",
                "carol",
                "on",
                "nopass",
                "%RW~*",
                "%R",
                "&a",
                "&a",
                "#5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
            ],
            &["ACL", "LIST"],
            &[
                "ACL",
                "SETUSER",
                "carol",
                "!5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
                "resetpass",
            ],
            &["ACL", "GETUSER", "carol"],
            &["ACL", "SETUSER", "carol", "reset"],
            &["ACL", "GETUSER", "carol"],
            &["ACL", "SETUSER", "dave"],
            &["ACL", "GETUSER", "dave"],
            &["ACL", "GETUSER", "nobody"],
            &["ACL", "USERS"],
            &["ACL", "WHOAMI"],
            &["ACL", "LIST"],
            &["ACL", "DELUSER", "bob", "nobody", "dave"],
            &["ACL", "USERS"],
        ]);
        clean(&mut s);
    }
    s.run(&["HELLO", "2"]);
}

#[test]
fn setuser_errors() {
    let mut s = session();
    s.script(&[
        &["ACL", "SETUSER", "x", "#abc"],
        &["ACL", "SETUSER", "x", "#5E884898DA28047151D0E56F8DC6292773603D0D6AABBDD62A11EF721D1542D8"],
        &["ACL", "SETUSER", "x", "nosuch"],
        &["ACL", "SETUSER", "x", "+nosuch"],
        &["ACL", "SETUSER", "x", "-nosuch"],
        &["ACL", "SETUSER", "x", "+@nosuch"],
        &["ACL", "SETUSER", "x", "+"],
        &["ACL", "SETUSER", "x", "-get|x"],
        &["ACL", "SETUSER", "x", "+config|get|x"],
        &["ACL", "SETUSER", "x", "+config|nosuch"],
        &["ACL", "SETUSER", "x", "+get|"],
        &["ACL", "SETUSER", "x", "allkeys", "~foo"],
        &["ACL", "SETUSER", "x", "allchannels", "&foo"],
        &["ACL", "SETUSER", "x", "<nope"],
        &["ACL", "SETUSER", "x", "!0000000000000000000000000000000000000000000000000000000000000000"],
        &["ACL", "SETUSER", "x", "(~a", "+get"],
        &["ACL", "SETUSER", "x", "(on)"],
        &["ACL", "SETUSER", "x", "%X~a"],
        &["ACL", "SETUSER", "x", "%RR~a"],
        &["ACL", "SETUSER", "a b"],
        &["ACL", "USERS"],
        &["ACL", "DELUSER", "default"],
        &["ACL", "DELUSER", "x", "default"],
        &["ACL", "DELUSER"],
        &["ACL", "GETUSER"],
        &["ACL", "CAT", "nosuch"],
        &["ACL", "CAT", "a", "b"],
        &["ACL", "GENPASS", "1", "2"],
        &["ACL", "LOG", "1", "2"],
        &["ACL", "GENPASS", "0"],
        &["ACL", "GENPASS", "4097"],
        &["ACL", "GENPASS", "x"],
        &["ACL", "LOG", "x"],
        &["ACL", "LOAD"],
        &["ACL", "SAVE"],
        &["ACL", "NOSUCH"],
        &["ACL", "HELP"],
        &["ACL"],
    ]);
    clean(&mut s);
}

#[test]
fn cat_lists_redis_categories_and_members() {
    let mut s = session();
    s.same(&["ACL", "CAT"]);
    let names = |f: &Frame| match f {
        Frame::Array(items) => {
            let mut v: Vec<String> = items
                .iter()
                .filter_map(|i| i.as_bytes())
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .collect();
            v.sort();
            v
        }
        other => vec![format!("{other:?}")],
    };
    for cat in docs_categories() {
        let (theirs, ours) = s.run(&["ACL", "CAT", cat]);
        let (theirs, ours) = (names(&theirs), names(&ours));
        // The same members, but for commands the engine does not have (MIGRATE...).
        for name in &theirs {
            if !ours.contains(name) {
                let (_, known) = s.run(&["COMMAND", "INFO", name]);
                assert_eq!(known, Frame::Array(vec![Frame::Null]), "@{cat} lacks {name}");
            }
        }
        assert!(ours.iter().all(|n| theirs.contains(n)), "@{cat}: {ours:?} not within {theirs:?}");
    }
    clean(&mut s);
}

fn docs_categories() -> Vec<&'static str> {
    vec![
        "keyspace",
        "read",
        "write",
        "set",
        "sortedset",
        "list",
        "hash",
        "string",
        "bitmap",
        "hyperloglog",
        "geo",
        "stream",
        "pubsub",
        "admin",
        "fast",
        "slow",
        "blocking",
        "dangerous",
        "connection",
        "transaction",
        "scripting",
        "READ",
    ]
}

#[test]
fn genpass_lengths() {
    let mut s = session();
    for bits in [None, Some("1"), Some("5"), Some("64"), Some("4096")] {
        let mut cmd = vec!["ACL", "GENPASS"];
        cmd.extend(bits);
        let (theirs, ours) = s.run(&cmd);
        let len = |f: &Frame| f.as_bytes().map(|b| b.len());
        assert_eq!(len(&ours), len(&theirs), "{cmd:?}");
        assert!(ours.as_bytes().is_some_and(|b| b.iter().all(u8::is_ascii_hexdigit)));
    }
    clean(&mut s);
}

#[test]
fn dryrun_commands_keys_channels() {
    let mut s = session();
    s.script(&[
        &[
            "ACL",
            "SETUSER",
            "alice",
            "on",
            "nopass",
            "~k*",
            "%R~r*",
            "%W~w*",
            "&ch*",
            "+@read",
            "-get",
            "+set",
            "+client|id",
            "+select|0",
            "+publish",
            "+subscribe",
            "+psubscribe",
            "+lmove",
            "+copy",
            "+zunionstore",
            "+sort",
            "+eval",
            "+exists",
            "+del",
        ],
        &["ACL", "SETUSER", "bob", "on", "nopass", "(~x* +get)", "(%R~y* +@string)"],
    ]);
    let lines: &[&[&str]] = &[
        &["get", "k1"],
        &["set", "k1", "v"],
        &["set", "r1", "v"],
        &["set", "w1", "v"],
        &["exists", "w1"],
        &["del", "r1"],
        &["del", "w1", "r1"],
        &["lrange", "w1", "0", "1"],
        &["lmove", "k1", "w1", "left", "right"],
        &["lmove", "w1", "k1", "left", "right"],
        &["copy", "r1", "w1"],
        &["copy", "w1", "r1"],
        &["zunionstore", "w1", "2", "r1", "k1"],
        &["zunionstore", "w1", "2", "r1", "w2"],
        &["sort", "k1", "store", "w1"],
        &["sort", "k1", "store", "r1"],
        &["eval", "return 1", "1", "k1"],
        &["eval", "return 1", "2", "k1", "r1"],
        &["publish", "ch1", "m"],
        &["publish", "zz", "m"],
        &["subscribe", "ch1", "zz"],
        &["psubscribe", "ch*"],
        &["psubscribe", "ch1*"],
        &["client", "id"],
        &["client", "info"],
        &["select", "0"],
        &["select", "1"],
        &["hset", "k1", "f", "v"],
        &["ping"],
        &["auth", "a", "b"],
        &["nosuch"],
        &["get"],
        &["client"],
        &["client", "nosuch"],
    ];
    for user in ["alice", "bob", "default", "nobody"] {
        for line in lines {
            let mut cmd = vec!["ACL", "DRYRUN", user];
            cmd.extend_from_slice(line);
            s.same(&cmd);
        }
    }
    for line in
        [&["get", "x1"][..], &["get", "y1"], &["set", "y1", "v"], &["set", "x1", "v"], &["append", "y1", "v"]]
    {
        let mut cmd = vec!["ACL", "DRYRUN", "bob"];
        cmd.extend_from_slice(line);
        s.same(&cmd);
    }
    s.same(&["ACL", "DRYRUN", "alice"]);
    clean(&mut s);
}

/// ACL LOG entries without the fields that name the connection or the time.
fn log_shape(frame: &Frame) -> String {
    let Frame::Array(entries) = frame else { return format!("{frame:?}") };
    let mut out = String::new();
    for entry in entries {
        let items = match entry {
            Frame::Array(items) => items.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect(),
            Frame::Map(pairs) => pairs.clone(),
            other => vec![(other.clone(), Frame::Null)],
        };
        for (k, v) in items {
            let key = k.as_bytes().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
            // entry-id counts on since the oracle started (RESET keeps the count).
            let volatile =
                ["age-seconds", "client-info", "timestamp-created", "timestamp-last-updated", "entry-id"];
            if !volatile.contains(&key.as_str()) {
                out.push_str(&format!(
                    "{key}={:?} ",
                    v.as_bytes().map(|b| b.to_vec()).or(v.as_integer().map(|i| i.to_string().into_bytes()))
                ));
            }
        }
        out.push('\n');
    }
    out
}

#[track_caller]
fn same_log(s: &mut Session, args: &[&str]) {
    let (theirs, ours) = s.run(args);
    assert_eq!(log_shape(&ours), log_shape(&theirs), "{args:?}");
}

#[test]
fn noperm_before_commands_in_multi_and_scripts_with_log() {
    let mut s = session();
    s.script(&[
        &[
            "ACL",
            "SETUSER",
            "alice",
            "on",
            ">pw",
            "~k*",
            "%R~r*",
            "&ch*",
            "+@all",
            "-debug",
            "-config|set",
            "-flushall",
        ],
        &["SET", "r1", "v"],
    ]);
    let c = s.connect();
    for proto in ["2", "3"] {
        s.run_on(c, &["HELLO", proto, "AUTH", "alice", "pw"]);
        for line in [
            &["ACL", "WHOAMI"][..],
            &["GET", "k1"],
            &["GET", "r1"],
            &["SET", "r1", "v"],
            &["SET", "zz", "v"],
            &["MSET", "k1", "v", "zz", "v"],
            &["FLUSHALL"],
            &["CONFIG", "SET", "maxmemory", "0"],
            &["CONFIG", "GET", "maxmemory"],
            &["PUBLISH", "zz", "m"],
            &["PUBLISH", "ch1", "m"],
            &["SUBSCRIBE", "zz"],
            &["PSUBSCRIBE", "zz*"],
            // EVAL's declared keys (the engine's tests have no Lua to call further).
            &["EVAL", "return 1", "1", "zz"],
            &["MULTI"],
            &["GET", "k1"],
            &["SET", "zz", "v"],
            &["EXEC"],
            &["MULTI"],
            &["SET", "k1", "v"],
            &["EXEC"],
        ] {
            s.on(c, line);
        }
        same_log(&mut s, &["ACL", "LOG"]);
        same_log(&mut s, &["ACL", "LOG", "2"]);
        s.same(&["ACL", "LOG", "RESET"]);
        s.same(&["ACL", "LOG"]);
    }
    // Rules that change between MULTI and EXEC.
    s.on(c, &["MULTI"]);
    s.on(c, &["SET", "k1", "v"]);
    s.on(c, &["GET", "k2"]);
    s.on(0, &["ACL", "SETUSER", "alice", "-set", "resetkeys", "~k1"]);
    s.on(c, &["EXEC"]);
    same_log(&mut s, &["ACL", "LOG"]);
    s.run_on(c, &["HELLO", "2"]);
    s.on(0, &["ACL", "SETUSER", "alice", "-hello"]);
    // HELLO is a no-auth command: ACLs cannot deny it.
    s.run_on(c, &["HELLO", "2"]);
    s.on(c, &["AUTH", "alice", "nope"]);
    s.on(c, &["AUTH", "nobody", "nope"]);
    s.on(c, &["AUTH", "alice", "pw"]);
    s.on(c, &["ACL", "WHOAMI"]);
    same_log(&mut s, &["ACL", "LOG"]);
    s.on(0, &["ACL", "SETUSER", "alice", "off"]);
    s.on(c, &["AUTH", "alice", "pw"]);
    s.on(c, &["RESET"]);
    s.on(c, &["ACL", "WHOAMI"]);
    same_log(&mut s, &["ACL", "LOG", "1"]);
    let info = |s: &mut Session| {
        let (theirs, ours) = s.run(&["INFO", "stats"]);
        for name in [
            "acl_access_denied_auth",
            "acl_access_denied_cmd",
            "acl_access_denied_key",
            "acl_access_denied_channel",
        ] {
            assert_eq!(common::info_field(&ours, name), common::info_field(&theirs, name), "{name}");
        }
    };
    info(&mut s);
    clean(&mut s);
}

#[test]
fn requirepass_and_auth() {
    let mut s = session();
    let _unset = Unset;
    s.script(&[
        &["AUTH", "x"],
        &["AUTH", "default", "anything"],
        &["AUTH", "a", "b", "c"],
        &["CONFIG", "SET", "requirepass", "pw0"],
        &["CONFIG", "GET", "requirepass"],
        &["ACL", "LIST"],
    ]);
    let c = s.connect();
    for line in [
        &["GET", "k"][..],
        &["PING"],
        &["ACL", "WHOAMI"],
        &["MULTI"],
        &["HELLO", "3"],
        &["HELLO", "3", "AUTH", "default", "wrong"],
        &["AUTH", "wrong"],
        &["AUTH", "pw0"],
        &["GET", "k"],
        &["RESET"],
        &["GET", "k"],
        &["CLIENT", "KILL", "USER", "nobody"],
    ] {
        s.on(c, line);
    }
    s.run_on(c, &["HELLO", "3", "AUTH", "default", "pw0"]);
    s.on(c, &["GET", "k"]);
    same_log(&mut s, &["ACL", "LOG"]);
    s.same(&["AUTH", "pw0"]);
    s.same(&["CONFIG", "SET", "requirepass", ""]);
    s.same(&["ACL", "LIST"]);
    s.same(&["AUTH", "pw0"]);
    clean(&mut s);
}

#[test]
fn deluser_closes_its_connections() {
    let mut s = session();
    s.same(&["ACL", "SETUSER", "alice", "on", "nopass", "+@all", "~*"]);
    let c = s.connect();
    s.on(c, &["AUTH", "alice", "x"]);
    s.on(c, &["CLIENT", "SETNAME", "a1"]);
    s.same(&["CLIENT", "KILL", "USER", "alice", "SKIPME", "no", "ID", "999999"]);
    s.same(&["ACL", "DELUSER", "alice"]);
    let (_, ours) = s.run(&["CLIENT", "LIST"]);
    let listed = ours.as_bytes().map(|b| String::from_utf8_lossy(b).contains("name=a1"));
    assert_eq!(listed, Some(false), "{ours:?}");
    clean(&mut s);
}

#[test]
fn narrowing_channels_disconnects_subscribers() {
    let mut s = session();
    s.same(&["ACL", "SETUSER", "alice", "on", "nopass", "+@all", "~*", "resetchannels", "&news*", "&chat"]);
    let a = s.connect();
    let b = s.connect();
    s.on(a, &["AUTH", "alice", "x"]);
    s.on(b, &["AUTH", "alice", "x"]);
    s.on(a, &["SUBSCRIBE", "news1"]);
    s.on(b, &["SUBSCRIBE", "chat"]);
    s.on(0, &["PUBLISH", "news1", "m"]);
    // A superset keeps both; dropping &news* closes the subscriber to news1 only.
    s.on(0, &["ACL", "SETUSER", "alice", "&more"]);
    s.on(0, &["PUBLISH", "news1", "m"]);
    s.on(0, &["ACL", "SETUSER", "alice", "resetchannels", "&chat"]);
    s.on(0, &["PUBLISH", "news1", "m"]);
    s.on(0, &["PUBLISH", "chat", "m"]);
    s.hang_up(a);
    s.on(b, &["UNSUBSCRIBE"]);
    clean(&mut s);
}
