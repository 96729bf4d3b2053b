//! Differential tests of server and connection commands: SELECT/SWAPDB/MOVE, HELLO and RESP3
//! shapes, AUTH, CLIENT, CONFIG GET/SET, FLUSH*, INFO format and counters, COMMAND, MEMORY.

mod common;
use bytes::Bytes;
use common::{args, decode, remove_saved_file, show, Session};
use playground_engine::Frame;

#[test]
fn select_swapdb_move_errors_and_effects() {
    let mut s = Session::new();
    s.script(&[
        &["SELECT", "16"],
        &["SELECT", "x"],
        &["SELECT", "-1"],
        &["SELECT", "01"],
        &["SELECT", "1"],
        &["SET", "srv:m", "v"],
        &["MOVE", "srv:m", "1"],
        &["MOVE", "srv:m", "16"],
        &["MOVE", "srv:m", "x"],
        &["MOVE", "srv:m", "2"],
        &["MOVE", "srv:missing", "2"],
        &["DBSIZE"],
        &["SELECT", "2"],
        &["GET", "srv:m"],
        &["SET", "srv:m", "again"],
        &["SELECT", "3"],
        &["SET", "srv:m", "third"],
        &["MOVE", "srv:m", "2"],
        &["SWAPDB", "0", "16"],
        &["SWAPDB", "a", "1"],
        &["SWAPDB", "0", "a"],
        &["SWAPDB", "2", "3"],
        &["GET", "srv:m"],
        &["SWAPDB", "3", "3"],
        &["SELECT", "2"],
        &["GET", "srv:m"],
        &["DBSIZE"],
    ]);
}

#[test]
fn swapdb_and_flush_invalidate_watches() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "srv:w", "1"],
        &["WATCH", "srv:w"],
        &["SWAPDB", "0", "1"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["SWAPDB", "0", "1"],
        &["WATCH", "srv:w"],
        &["FLUSHDB"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["FLUSHDB", "ASYNC"],
        &["FLUSHDB", "x"],
        &["FLUSHDB", "SYNC", "ASYNC"],
        &["FLUSHALL", "SYNC"],
        &["FLUSHALL", "nope"],
        &["DBSIZE"],
    ]);
}

#[test]
fn auth_and_hello_errors() {
    let mut s = Session::new();
    s.script(&[
        &["AUTH", "x"],
        &["AUTH", "someone", "pw"],
        &["AUTH", "default", "anything"],
        &["AUTH", "a", "b", "c"],
        &["HELLO", "4"],
        &["HELLO", "1"],
        &["HELLO", "x"],
        &["HELLO", "2", "FOO"],
        &["HELLO", "2", "SETNAME"],
        &["HELLO", "2", "AUTH", "a"],
        &["HELLO", "2", "AUTH", "someone", "pw"],
        &["HELLO", "2", "SETNAME", "a b"],
        &["HELLO", "9", "FOO"],
    ]);
}

/// HELLO's reply with the fields that name this server's process (id, module path) blanked.
/// RESP2 flattens the maps into arrays of key, value pairs; both shapes are handled.
fn hello_shape(frame: &Frame) -> String {
    let pairs: Vec<(Frame, Frame)> = match frame {
        Frame::Map(pairs) => pairs.clone(),
        Frame::Array(items)
            if items.len() % 2 == 0 && items.first().is_some_and(|f| f.as_bytes().is_some()) =>
        {
            items.chunks(2).map(|c| (c[0].clone(), c[1].clone())).collect()
        }
        // The modules, in the order of Redis's module dict: its hash seed changes at each start.
        Frame::Array(items) => {
            let mut shown: Vec<String> = items.iter().map(hello_shape).collect();
            shown.sort();
            return format!("[{}]", shown.join(", "));
        }
        other => return format!("{other:?}"),
    };
    let shown: Vec<String> = pairs
        .iter()
        .map(|(k, v)| match k.as_bytes() {
            Some(b"id") => "id: <id>".to_string(),
            Some(b"path") => "path: <path>".to_string(),
            _ => format!("{}: {}", hello_shape(k), hello_shape(v)),
        })
        .collect();
    let open = if matches!(frame, Frame::Map(_)) { "%" } else { "*" };
    format!("{open}{{{}}}", shown.join(", "))
}

#[test]
fn hello_switches_protocol_and_replies_like_redis() {
    // The engine has RedisJSON and RediSearch: HELLO's module list is the JSON oracle's.
    let mut s = Session::on_port(common::json_oracle_port());
    for cmd in [&["HELLO"][..], &["HELLO", "2"], &["HELLO", "3", "SETNAME", "srv-client"]] {
        let (theirs, ours) = s.both(cmd);
        assert_eq!(hello_shape(&ours), hello_shape(&theirs), "{cmd:?}");
    }
    // Now both speak RESP3: compare the wire bytes of typical replies.
    s.script(&[
        &["CLIENT", "GETNAME"],
        &["SET", "srv:r3", "v"],
        &["GET", "srv:r3"],
        &["GET", "srv:none"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "GET", "nosuch"],
        &["INFO", "keyspace"],
        &["INFO", "nosuch"],
        &["MEMORY", "USAGE", "srv:none"],
        &["COMMAND", "INFO", "nosuchcmd"],
        &["COMMAND", "DOCS", "nosuchcmd"],
        &["HELLO", "4"],
        &["DBSIZE"],
        &["RESET"],
        &["GET", "srv:none"],
        &["CLIENT", "GETNAME"],
        &["CONFIG", "GET", "maxmemory"],
    ]);
}

#[test]
fn client_names_info_and_kill() {
    let mut s = Session::new();
    s.script(&[
        &["CLIENT", "GETNAME"],
        &["CLIENT", "SETNAME", "a b"],
        &["CLIENT", "SETNAME", "a\nb"],
        &["CLIENT", "SETNAME", "caf\u{e9}"],
        &["CLIENT", "SETNAME"],
        &["CLIENT", "SETNAME", "srv-name"],
        &["CLIENT", "GETNAME"],
        &["CLIENT", "SETNAME", ""],
        &["CLIENT", "GETNAME"],
        &["CLIENT", "NOSUCH"],
        &["CLIENT"],
        &["CLIENT", "SETINFO", "LIB-NAME", "redis-py"],
        &["CLIENT", "SETINFO", "lib-ver", "5.0.1"],
        &["CLIENT", "SETINFO", "lib-name", "a b"],
        &["CLIENT", "SETINFO", "foo", "x"],
        &["CLIENT", "SETINFO", "lib-ver"],
        &["CLIENT", "NO-EVICT", "on"],
        &["CLIENT", "NO-EVICT", "maybe"],
        &["CLIENT", "NO-TOUCH", "off"],
        &["CLIENT", "NO-TOUCH", "x"],
        &["CLIENT", "KILL", "1.2.3.4:5"],
        &["CLIENT", "KILL", "ID", "0"],
        &["CLIENT", "KILL", "ID", "x"],
        &["CLIENT", "KILL", "ID", "999999"],
        &["CLIENT", "KILL", "FOO", "1"],
        &["CLIENT", "KILL", "SKIPME", "maybe"],
        &["CLIENT", "KILL", "MAXAGE", "x"],
        &["CLIENT", "KILL", "TYPE", "x"],
        &["CLIENT", "KILL", "ID", "999999", "SKIPME"],
        &["CLIENT", "LIST", "TYPE", "x"],
        &["CLIENT", "LIST", "ID", "x"],
        &["CLIENT", "LIST", "ID", "999999"],
        &["CLIENT", "LIST", "TYPE", "pubsub"],
        &["CLIENT", "LIST", "FOO"],
        &["CLIENT", "HELP"],
        &["RESET"],
        &["QUIT"],
    ]);
}

/// `field=value` pairs of a CLIENT INFO line, with fields whose values differ by nature
/// (addresses, ids, buffers, memory) blanked.
fn client_fields(frame: &Frame) -> Vec<String> {
    let text = String::from_utf8_lossy(frame.as_bytes().expect("CLIENT INFO is a string")).into_owned();
    assert!(text.ends_with('\n'), "{text:?}");
    text.trim_end()
        .split(' ')
        .map(|pair| {
            let (k, v) = pair.split_once('=').expect("field=value");
            match k {
                "id" | "addr" | "laddr" | "fd" | "age" | "idle" | "qbuf" | "qbuf-free" | "argv-mem"
                | "rbs" | "rbp" | "tot-mem" | "omem" => format!("{k}=*"),
                _ => format!("{k}={v}"),
            }
        })
        .collect()
}

#[test]
fn client_info_has_redis_fields() {
    let mut s = Session::new();
    s.script(&[
        &["CLIENT", "SETNAME", "srv-info"],
        &["SELECT", "3"],
        &["CLIENT", "SETINFO", "LIB-NAME", "redis-py"],
        &["CLIENT", "SETINFO", "LIB-VER", "5.0.1"],
    ]);
    let (theirs, ours) = s.both(&["CLIENT", "INFO"]);
    assert_eq!(client_fields(&ours), client_fields(&theirs));
    s.script(&[&["WATCH", "srv:a", "srv:b"], &["CLIENT", "NO-TOUCH", "on"]]);
    let (theirs, ours) = s.both(&["CLIENT", "INFO"]);
    assert_eq!(client_fields(&ours), client_fields(&theirs));
    s.script(&[&["UNWATCH"], &["CLIENT", "NO-TOUCH", "off"]]);
    s.run(&["HELLO", "3"]);
    let (theirs, ours) = s.both(&["CLIENT", "INFO"]);
    assert_eq!(client_fields(&ours), client_fields(&theirs));
    let (theirs, ours) = s.both_raw(&args(&["CLIENT", "INFO"]));
    assert_eq!(&ours[..1], b"=", "{}", show(&ours));
    assert_eq!(&theirs[..1], b"=", "{}", show(&theirs));
}

#[test]
fn config_get_set_and_errors_byte_exact() {
    let mut s = Session::new();
    // Several names: Redis replies in its dict's (randomly seeded) order, so compare the pairs.
    s.same_pairs(&["CONFIG", "GET", "maxmemory", "maxmemory-policy"]);
    s.same_pairs(&["CONFIG", "GET", "maxmemory*"]);
    s.script(&[
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "GET", "MAXMEMORY"],
        &["CONFIG", "GET", "maxmemory-policy"],
        &["CONFIG", "GET", "nosuch"],
        &["CONFIG", "GET", "maxmemory", "maxmemory"],
        &["CONFIG", "GET"],
        &["CONFIG", "NOSUCH"],
        &["CONFIG"],
        &["CONFIG", "HELP"],
        &["CONFIG", "SET", "maxmemory", "100mb"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "1GB"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "10k"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "1.5mb"],
        &["CONFIG", "SET", "maxmemory", "-1"],
        &["CONFIG", "SET", "maxmemory", "abc"],
        &["CONFIG", "SET", "maxmemory", "1tb"],
        &["CONFIG", "SET", "maxmemory", ""],
        &["CONFIG", "SET", "maxmemory", "0"],
        &["CONFIG", "SET", "maxmemory-policy", "foo"],
        &["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"],
        &["CONFIG", "GET", "maxmemory-policy"],
        &["CONFIG", "SET", "maxmemory-samples", "0"],
        &["CONFIG", "SET", "maxmemory-samples", "65"],
        &["CONFIG", "SET", "maxmemory-samples", "x"],
        &["CONFIG", "SET", "maxmemory-samples", "10"],
        &["CONFIG", "GET", "maxmemory-samples"],
        &["CONFIG", "SET", "lfu-log-factor", "-1"],
        &["CONFIG", "SET", "lfu-decay-time", "x"],
        &["CONFIG", "SET", "lfu-log-factor", "20", "lfu-decay-time", "2"],
        &["CONFIG", "GET", "lfu-log-factor"],
        &["CONFIG", "GET", "lfu-decay-time"],
        &["CONFIG", "SET", "nosuch", "1"],
        &["CONFIG", "SET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "1", "maxmemory-policy"],
        &["CONFIG", "SET", "maxmemory", "1", "maxmemory", "2"],
        &["CONFIG", "SET", "lfu-log-factor", "10", "LFU-LOG-FACTOR", "11"],
        &["CONFIG", "SET", "maxmemory", "5", "nosuch", "1"],
        &["CONFIG", "SET", "maxmemory", "5", "maxmemory-policy", "bad"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "databases", "4"],
        &["CONFIG", "SET", "maxmemory-eviction-tenacity", "101"],
        &["CONFIG", "SET", "appendonly", "maybe"],
        &["CONFIG", "SET", "timeout", "-1"],
        &["CONFIG", "SET", "hz", "x"],
        &["CONFIG", "GET", "databases"],
        &["CONFIG", "GET", "appendonly"],
        &["CONFIG", "SET", "aof-use-rdb-preamble", "maybe"],
        &["CONFIG", "SET", "aof-use-rdb-preamble", "no"],
        &["CONFIG", "GET", "aof-use-rdb-preamble"],
        &["CONFIG", "SET", "aof-use-rdb-preamble", "YES"],
        &["CONFIG", "GET", "aof-use-rdb-preamble"],
        &["BGREWRITEAOF", "now"],
        &["CONFIG", "SET", "maxmemory-policy", "noeviction", "maxmemory-samples", "5"],
        &["CONFIG", "SET", "lfu-log-factor", "10", "lfu-decay-time", "1"],
        &["CONFIG", "RESETSTAT", "x"],
    ]);
    // Patterns: Redis lists matches in hash-table order, so compare them as sets.
    s.same_unordered(&["CONFIG", "GET", "lfu*"]);
    s.same_unordered(&["CONFIG", "GET", "maxmemory-p*", "maxmemory-s*"]);
}

/// The limits a server applies while reading clients (`emulate` reads them from the engine's config).
#[test]
fn protocol_limit_configs_byte_exact() {
    let mut s = Session::new();
    s.script(&[
        &["CONFIG", "GET", "proto-max-bulk-len"],
        &["CONFIG", "GET", "client-query-buffer-limit"],
        &["CONFIG", "GET", "maxclients"],
        &["CONFIG", "SET", "proto-max-bulk-len", "1000"],
        &["CONFIG", "SET", "proto-max-bulk-len", "abc"],
        &["CONFIG", "SET", "proto-max-bulk-len", "-1"],
        &["CONFIG", "SET", "proto-max-bulk-len", "2gb"],
        &["CONFIG", "GET", "proto-max-bulk-len"],
        &["CONFIG", "SET", "proto-max-bulk-len", "1mb"],
        &["CONFIG", "GET", "proto-max-bulk-len"],
        &["CONFIG", "SET", "client-query-buffer-limit", "1048575"],
        &["CONFIG", "SET", "client-query-buffer-limit", "x"],
        &["CONFIG", "SET", "client-query-buffer-limit", "2mb"],
        &["CONFIG", "GET", "client-query-buffer-limit"],
        &["CONFIG", "SET", "maxclients", "0"],
        &["CONFIG", "SET", "maxclients", "abc"],
        &["CONFIG", "SET", "maxclients", "4294967296"],
        &["CONFIG", "SET", "maxclients", "5000"],
        &["CONFIG", "GET", "maxclients"],
        &[
            "CONFIG",
            "SET",
            "proto-max-bulk-len",
            "512mb",
            "client-query-buffer-limit",
            "1gb",
            "maxclients",
            "10000",
        ],
        &["CONFIG", "GET", "proto-max-bulk-len"],
        &["CONFIG", "GET", "client-query-buffer-limit"],
        &["CONFIG", "GET", "maxclients"],
    ]);
}

/// Lines of an INFO reply as (section, field) pairs, plus the raw text.
fn info_fields(frame: &Frame) -> (Vec<String>, String) {
    let text = String::from_utf8_lossy(frame.as_bytes().expect("INFO is a string")).into_owned();
    let fields =
        text.split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                if l.starts_with('#') {
                    l.to_string()
                } else {
                    l.split(':').next().unwrap_or("").to_string()
                }
            })
            .collect();
    (fields, text)
}

fn info_value(text: &str, field: &str) -> String {
    text.split("\r\n")
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .unwrap_or_else(|| panic!("no {field} in INFO"))
        .to_string()
}

#[test]
fn info_sections_fields_and_format_match_redis() {
    let mut s = Session::new();
    s.run(&["SET", "srv:i", "1"]);
    for section in
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "cluster", "keyspace"]
    {
        let (theirs, ours) = s.both(&["INFO", section]);
        let (their_fields, their_text) = info_fields(&theirs);
        let (our_fields, our_text) = info_fields(&ours);
        assert_eq!(our_fields, their_fields, "INFO {section}");
        assert!(our_text.ends_with("\r\n") && their_text.ends_with("\r\n"));
    }
    // Section order and separators for several sections and the default set.
    for cmd in [&["INFO"][..], &["INFO", "keyspace", "server"], &["INFO", "STATS", "Stats"]] {
        let (theirs, ours) = s.both(cmd);
        let headers =
            |f: &Frame| info_fields(f).0.into_iter().filter(|l| l.starts_with('#')).collect::<Vec<_>>();
        assert_eq!(headers(&ours), headers(&theirs), "{cmd:?}");
    }
    let (theirs, ours) = s.both(&["INFO", "keyspace"]);
    assert_eq!(ours, theirs);
    s.same(&["INFO", "nosuch"]);
    let (_, ours) = s.both(&["INFO", "server"]);
    let (_, text) = info_fields(&ours);
    assert_eq!(info_value(&text, "redis_version"), "7.4.1");
    assert_eq!(info_value(&text, "redis_mode"), "standalone");
}

#[test]
fn info_counters_follow_a_known_sequence() {
    let mut s = Session::new();
    s.run(&["SET", "srv:k", "v"]);
    s.run(&["SET", "srv:gone", "v", "PX", "1"]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    s.same(&["CONFIG", "RESETSTAT"]);
    s.script(&[
        &["GET", "srv:k"],
        &["GET", "srv:k"],
        &["GET", "srv:nope"],
        &["GET", "srv:gone"],
        &["NOSUCHCMD"],
        &["GET"],
        &["SET", "srv:k"],
        &["MULTI"],
        &["GET", "srv:k"],
        &["EXEC"],
    ]);
    let (theirs, ours) = s.both(&["INFO", "stats"]);
    let (_, their_text) = info_fields(&theirs);
    let (_, our_text) = info_fields(&ours);
    // expired_keys joins this list once SET's expiry options land (string family).
    for field in [
        "keyspace_hits",
        "keyspace_misses",
        "evicted_keys",
        "total_error_replies",
        "total_commands_processed",
    ] {
        assert_eq!(info_value(&our_text, field), info_value(&their_text, field), "{field}");
    }
    let (theirs, ours) = s.both(&["INFO", "errorstats"]);
    assert_eq!(ours, theirs);
    let (theirs, ours) = s.both(&["INFO", "keyspace"]);
    assert_eq!(ours, theirs);
    let (theirs, ours) = s.both(&["INFO", "memory"]);
    let (_, their_text) = info_fields(&theirs);
    let (_, our_text) = info_fields(&ours);
    for field in ["maxmemory", "maxmemory_human", "maxmemory_policy"] {
        assert_eq!(info_value(&our_text, field), info_value(&their_text, field), "{field}");
    }
}

#[test]
fn memory_time_and_persistence_commands() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "srv:mem", "v"],
        &["MEMORY", "USAGE", "srv:none"],
        &["MEMORY", "USAGE", "srv:mem", "SAMPLES", "x"],
        &["MEMORY", "USAGE", "srv:mem", "FOO"],
        &["MEMORY", "USAGE"],
        &["MEMORY", "HELP"],
        &["MEMORY", "NOSUCH"],
        &["SAVE"],
        &["BGSAVE", "x"],
        &["BGREWRITEAOF"],
        &["LASTSAVE", "x"],
        &["TIME", "x"],
    ]);
    remove_saved_file(&mut s);
    let (theirs, ours) = s.both(&["TIME"]);
    let secs = |f: &Frame| match f {
        Frame::Array(items) if items.len() == 2 => {
            String::from_utf8_lossy(items[0].as_bytes().expect("bulk")).parse::<u64>().expect("seconds")
        }
        other => panic!("TIME gave {other:?}"),
    };
    assert!(secs(&ours).abs_diff(secs(&theirs)) <= 1);
}

#[test]
fn memory_usage_of_strings_matches_redis() {
    let mut s = Session::new();
    for (key, len) in
        [("k", 1), ("srv:s", 10), ("srv:string-key-20ch", 44), ("k2", 45), ("k3", 100), ("k4", 1000)]
    {
        let value = "v".repeat(len);
        s.run(&["SET", key, &value]);
        s.same(&["MEMORY", "USAGE", key]);
    }
    s.run(&["SET", "srv:int", "12345"]);
    s.same(&["MEMORY", "USAGE", "srv:int"]);
}

#[test]
fn command_count_info_docs() {
    let mut s = Session::new();
    // Commands every family exists for at this point: compare COMMAND INFO entries exactly.
    for name in ["get", "set", "dbsize", "ping"] {
        let (theirs, ours) = s.both(&["COMMAND", "INFO", name]);
        let head = |f: &Frame| match f {
            Frame::Array(outer) => match outer.first() {
                Some(Frame::Array(fields)) => fields[..6].to_vec(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        assert_eq!(head(&ours), head(&theirs), "COMMAND INFO {name}");
    }
    s.same(&["COMMAND", "INFO", "nosuchcmd"]);
    s.same(&["COMMAND", "DOCS", "nosuchcmd"]);
    s.same(&["COMMAND", "NOSUCH"]);
    let (_, ours) = s.both(&["COMMAND", "COUNT"]);
    let count = ours.as_integer().expect("integer");
    let (_, listed) = s.both(&["COMMAND"]);
    match listed {
        Frame::Array(items) => assert_eq!(items.len() as i64, count),
        other => panic!("{other:?}"),
    }
    // DOCS gives redis-cli an argument tree for SET.
    let (_, docs) = s.both(&["COMMAND", "DOCS", "set"]);
    let text = format!("{docs:?}");
    for needle in ["summary", "arguments", "\"key\"", "\"NX\"", "optional"] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
    let (_, list) = s.both(&["COMMAND", "LIST", "FILTERBY", "PATTERN", "config*"]);
    assert_eq!(
        list,
        Frame::Array(vec![
            Frame::bulk("config"),
            Frame::bulk("config|get"),
            Frame::bulk("config|set"),
            Frame::bulk("config|rewrite"),
            Frame::bulk("config|resetstat"),
            Frame::bulk("config|help"),
        ])
    );
}

#[test]
fn resp3_shapes_of_server_replies() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    s.run(&["SET", "srv:r", "v"]);
    let (theirs, ours) = s.both_raw(&args(&["CONFIG", "GET", "maxmemory-policy"]));
    assert_eq!(show(&ours), show(&theirs));
    let (theirs, ours) = s.both_raw(&args(&["INFO", "keyspace"]));
    assert_eq!(show(&ours), show(&theirs));
    let (theirs, ours) = s.both_frames(&[
        Bytes::from_static(b"COMMAND"),
        Bytes::from_static(b"DOCS"),
        Bytes::from_static(b"get"),
    ]);
    assert!(matches!(theirs, Frame::Map(_)) && matches!(ours, Frame::Map(_)));
    let (theirs, ours) = s.both(&["COMMAND", "INFO", "get"]);
    let flags = |f: &Frame| match f {
        Frame::Array(outer) => match outer.first() {
            Some(Frame::Array(fields)) => fields[2].clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(flags(&ours), flags(&theirs));
    let _ = decode(b"+OK\r\n");
}

fn run(engine: &mut playground_engine::Engine, client: u64, parts: &[&str]) -> Frame {
    engine.execute(client, args(parts), 1_000)
}

#[test]
fn client_list_and_kill_across_clients() {
    let mut engine = playground_engine::Engine::new(3, 0);
    let a = engine.connect(0);
    let b = engine.connect(0);
    run(&mut engine, b, &["CLIENT", "SETNAME", "second"]);
    run(&mut engine, b, &["WATCH", "srv:k"]);
    let list = run(&mut engine, a, &["CLIENT", "LIST"]);
    let text = String::from_utf8_lossy(list.as_bytes().expect("text")).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with(&format!("id={a} ")) && lines[0].contains(" cmd=client|list "));
    assert!(
        lines[1].starts_with(&format!("id={b} "))
            && lines[1].contains(" name=second ")
            && lines[1].contains(" watch=1 ")
    );
    let only_b = run(&mut engine, a, &["CLIENT", "LIST", "ID", &b.to_string()]);
    assert_eq!(String::from_utf8_lossy(only_b.as_bytes().expect("text")).lines().count(), 1);
    // Killing b drops its watches; killing yourself needs SKIPME no and marks you closing.
    assert_eq!(run(&mut engine, a, &["CLIENT", "KILL", "ID", &b.to_string()]), Frame::Integer(1));
    assert!(engine.server().watchers.is_empty());
    assert_eq!(run(&mut engine, a, &["CLIENT", "KILL", "ID", &a.to_string()]), Frame::Integer(0));
    assert_eq!(
        run(&mut engine, a, &["CLIENT", "KILL", "ID", &a.to_string(), "SKIPME", "no"]),
        Frame::Integer(1)
    );
    assert!(engine.server().clients.get(&a).is_some_and(|c| c.closing));
    let c = engine.connect(0);
    assert_eq!(run(&mut engine, c, &["QUIT"]), Frame::ok());
    assert!(engine.server().clients.get(&c).is_some_and(|c| c.closing));
    let info = run(&mut engine, c, &["INFO", "clients"]);
    let text = String::from_utf8_lossy(info.as_bytes().expect("text")).into_owned();
    assert!(text.contains("connected_clients:2\r\n"), "{text}");
}

/// Arbitrary arguments to every server and connection command: errors are fine, panics are not.
#[test]
fn odd_arguments_never_panic() {
    let words = [
        "",
        "0",
        "1",
        "-1",
        "15",
        "16",
        "99999999999999999999",
        "x",
        "ON",
        "off",
        "YES",
        "id",
        "ADDR",
        "TYPE",
        "normal",
        "SKIPME",
        "MAXAGE",
        "USER",
        "default",
        "AUTH",
        "SETNAME",
        "LIB-NAME",
        "maxmemory",
        "1mb",
        "maxmemory-policy",
        "allkeys-lru",
        "*",
        "[",
        "SAMPLES",
        "FILTERBY",
        "PATTERN",
        "ACLCAT",
        "MODULE",
        "everything",
        "3",
        "2",
        "a b",
        "get",
        "config|get",
        "client|",
        "|",
    ];
    let commands = [
        "SELECT", "SWAPDB", "MOVE", "HELLO", "AUTH", "CLIENT", "RESET", "QUIT", "DBSIZE", "FLUSHDB",
        "FLUSHALL", "INFO", "CONFIG", "TIME", "COMMAND", "MEMORY", "LASTSAVE", "SAVE", "BGSAVE", "PING",
        "ECHO",
    ];
    let mut engine = playground_engine::Engine::new(9, 0);
    let client = engine.connect(0);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for round in 0..20_000u64 {
        let mut line = vec![commands[next(commands.len())]];
        for _ in 0..next(6) {
            line.push(words[next(words.len())]);
        }
        if next(4) == 0 {
            line.insert(1, ["SET", "GET", "LIST", "KILL", "INFO", "DOCS"][next(6)]);
        }
        let _ = engine.execute(client, args(&line), round);
        // Keep the engine usable: undo a tiny maxmemory, refill a key.
        let _ = engine.execute(client, args(&["CONFIG", "SET", "maxmemory", "0"]), round);
        let _ = engine.execute(client, args(&["SET", "k", "v"]), round);
    }
}
