//! `playground-proxy serve` in front of a real 3-master Redis Cluster on loopback (Debian's
//! redis-server 7.0): routing by hash slot, CROSSSLOT, hash tags, SCAN over every shard,
//! MULTI/EXEC, a resharding with MOVED and ASK, a shard restart, and a single server unchanged.
//!
//! Skipped (with a message) only when redis-server / redis-cli are not installed.

mod serve_support;

use playground_proxy::serve::cluster::slots::key_slot;
use serve_support::cluster::{self, Cluster};
use serve_support::*;
use std::collections::BTreeSet;

/// Elements of a flat RESP2 reply buffer as text lines without the type markers.
fn strings(reply: &[u8]) -> Vec<String> {
    let t = text(reply);
    let lines: Vec<&str> = t.split("\r\n").collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('$') && lines[i] != "$-1" {
            out.push(lines[i + 1].to_string());
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

async fn setup() -> Option<(tokio::sync::MutexGuard<'static, ()>, Cluster, Proxy)> {
    if !cluster::available() {
        return None;
    }
    let guard = cluster::lock().await;
    let c = Cluster::start(3);
    let proxy = Proxy::start(&args(&c.url(), None)).await;
    Some((guard, c, proxy))
}

/// A key whose slot belongs to node `i`.
fn key_on(c: &Cluster, i: usize, prefix: &str) -> String {
    (0..10_000).map(|n| format!("{prefix}{n}")).find(|k| c.owner(key_slot(k.as_bytes())) == i).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_on_every_shard_crossslot_and_hash_tags() {
    let Some((_g, c, proxy)) = setup().await else { return };
    // /health tells the page it is a cluster, and its shards.
    let (status, health) = http_get(&proxy.http_url("/health"), Some(ORIGIN)).await;
    assert_eq!(status, 200);
    assert_eq!(health["upstream"]["mode"], "cluster", "{health}");
    let shards = health["cluster"]["shards"].as_array().expect("shards").clone();
    assert_eq!(shards.len(), 3, "{health}");
    assert_eq!(shards[0]["slots"], serde_json::json!([[0, 5460]]), "{health}");
    let mut ws = proxy.connect().await;
    for i in 0..60 {
        let (k, v) = (format!("key:{i}"), format!("value {i}"));
        assert_eq!(text(&ws.call(&[&["SET", &k, &v]]).await), "+OK\r\n", "SET {k}");
    }
    // All in one message too (pipelined commands spread over the shards).
    let keys: Vec<String> = (0..60).map(|i| format!("key:{i}")).collect();
    let gets: Vec<Vec<&str>> = keys.iter().map(|k| vec!["GET", k.as_str()]).collect();
    let gets: Vec<&[&str]> = gets.iter().map(|v| v.as_slice()).collect();
    let got = strings(&ws.call(&gets).await);
    assert_eq!(got, (0..60).map(|i| format!("value {i}")).collect::<Vec<_>>());
    // Each shard really holds some of them, and together all.
    let counts: Vec<usize> = (0..3).map(|i| c.cli(i, &["DBSIZE"]).parse().unwrap()).collect();
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    assert_eq!(counts.iter().sum::<usize>(), 60);
    // Slot questions reach the slot's owner.
    for i in 0..60 {
        let k = format!("key:{i}");
        let slot = key_slot(k.as_bytes()).to_string();
        let owner = c.owner(key_slot(k.as_bytes()));
        let direct = c.cli(owner, &["CLUSTER", "COUNTKEYSINSLOT", &slot]);
        let via = text(&ws.call(&[&["CLUSTER", "COUNTKEYSINSLOT", &slot]]).await);
        assert_eq!(via, format!(":{direct}\r\n"), "slot {slot}");
        assert_ne!(direct, "0");
    }
    // Multi-key commands across slots: Redis's own words.
    let direct = c.cli(0, &["MSET", "user:1", "a", "user:2", "b"]);
    let via = text(&ws.call(&[&["MSET", "user:1", "a", "user:2", "b"]]).await);
    assert_eq!(via, "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
    assert_eq!(format!("-{direct}\r\n"), via);
    // Hash tags keep related keys together.
    let r = ws
        .call(&[
            &["MSET", "{user:1}:profile", "ada", "{user:1}:cart", "3 items"],
            &["MGET", "{user:1}:profile", "{user:1}:cart"],
            &["SUNIONSTORE", "{user:1}:s", "{user:1}:a", "{user:1}:b"],
        ])
        .await;
    assert_eq!(text(&r), "+OK\r\n*2\r\n$3\r\nada\r\n$7\r\n3 items\r\n:0\r\n");
    // Commands whose keys sit behind keywords, numkeys or subcommands reach the right shard.
    let k2 = key_on(&c, 2, "z");
    let k1 = key_on(&c, 1, "s");
    let r = ws
        .call(&[
            &["ZADD", &k2, "1", "a"],
            &["ZUNIONSTORE", &format!("{{{k2}}}out"), "1", &k2],
            &["XADD", &k1, "1-1", "f", "v"],
            &["XREAD", "COUNT", "1", "STREAMS", &k1, "0"],
            &["OBJECT", "ENCODING", &k2],
            &["MEMORY", "USAGE", &k1],
            &["LMPOP", "1", &k2, "LEFT"],
            &["EXISTS", &k1],
        ])
        .await;
    let t = text(&r);
    assert!(!t.contains("MOVED") && !t.contains("ASK"), "{t}");
    assert!(t.starts_with(":1\r\n:1\r\n$3\r\n1-1\r\n"), "{t}");
    assert!(t.contains("$8\r\nlistpack\r\n"), "{t}");
    assert!(t.contains("-WRONGTYPE"), "{t}");
    assert!(t.ends_with(":1\r\n"), "{t}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_dbsize_keys_and_info_cover_every_shard() {
    let Some((_g, _c, proxy)) = setup().await else { return };
    let mut ws = proxy.connect().await;
    let all: BTreeSet<String> = (0..100).map(|i| format!("k{i}")).collect();
    for k in &all {
        ws.call(&[&["SET", k, "v"]]).await;
    }
    let mut seen = BTreeSet::new();
    let mut cursor = "0".to_string();
    let mut pages = 0;
    loop {
        let r = ws.call(&[&["SCAN", &cursor, "MATCH", "k*", "COUNT", "10"]]).await;
        let s = strings(&r);
        cursor = s[0].clone();
        seen.extend(s[1..].iter().cloned());
        pages += 1;
        assert!(pages < 200, "SCAN does not end");
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(seen, all);
    assert_eq!(text(&ws.call(&[&["DBSIZE"]]).await), ":100\r\n");
    let keys: BTreeSet<String> = strings(&ws.call(&[&["KEYS", "k*"]]).await).into_iter().collect();
    assert_eq!(keys, all);
    let info = text(&ws.call(&[&["INFO", "keyspace"]]).await);
    assert!(info.contains("db0:keys=100,expires=0"), "{info}");
    assert_eq!(info.matches("# Shard ").count(), 3, "{info}");
    // The same in RESP3.
    let hello = ws.call(&[&["HELLO", "3"]]).await;
    assert!(hello.starts_with(b"%7\r\n"), "{}", text(&hello));
    let r = text(&ws.call(&[&["HGETALL", "nosuch"], &["DBSIZE"], &["SCAN", "0", "COUNT", "1000"]]).await);
    assert!(r.starts_with("%0\r\n:100\r\n*2\r\n"), "{r}");
    let info = text(&ws.call(&[&["INFO", "keyspace"]]).await);
    assert!(info.starts_with('=') && info.contains("db0:keys=100"), "{info}");
    // RESET: back to RESP2 on every shard.
    let r = text(&ws.call(&[&["RESET"], &["HGETALL", "nosuch"], &["GET", "k1"], &["GET", "k2"]]).await);
    assert_eq!(r, "+RESET\r\n*0\r\n$1\r\nv\r\n$1\r\nv\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_exec_and_watch_stay_on_the_slot_shard() {
    let Some((_g, c, proxy)) = setup().await else { return };
    let mut ws = proxy.connect().await;
    for shard in 0..3 {
        let tag = key_on(&c, shard, "tag");
        let (a, b) = (format!("{{{tag}}}:a"), format!("{{{tag}}}:b"));
        let r = ws.call(&[&["MULTI"], &["SET", &a, "1"], &["INCR", &b], &["GET", &a], &["EXEC"]]).await;
        assert_eq!(
            text(&r),
            "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n:1\r\n$1\r\n1\r\n",
            "shard {shard}"
        );
        // WATCH, then a change by someone else aborts the transaction.
        assert_eq!(text(&ws.call(&[&["WATCH", &a]]).await), "+OK\r\n");
        c.cli(shard, &["SET", &a, "changed"]);
        let r = ws.call(&[&["MULTI"], &["SET", &a, "mine"], &["EXEC"]]).await;
        assert_eq!(text(&r), "+OK\r\n+QUEUED\r\n*-1\r\n");
        assert_eq!(text(&ws.call(&[&["GET", &a]]).await), "$7\r\nchanged\r\n");
        // Without interference it commits.
        let r = ws.call(&[&["WATCH", &a], &["MULTI"], &["SET", &a, "mine"], &["EXEC"], &["GET", &a]]).await;
        assert_eq!(text(&r), "+OK\r\n+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n$4\r\nmine\r\n");
    }
    // RESET in a transaction ends it; the session goes on.
    let r = text(&ws.call(&[&["MULTI"], &["SET", "{r}a", "1"], &["RESET"], &["GET", "{r}a"]]).await);
    assert_eq!(r, "+OK\r\n+QUEUED\r\n+RESET\r\n$-1\r\n");
    // Empty transaction and DISCARD.
    assert_eq!(text(&ws.call(&[&["MULTI"], &["EXEC"]]).await), "+OK\r\n*0\r\n");
    assert_eq!(text(&ws.call(&[&["MULTI"], &["PING"], &["DISCARD"]]).await), "+OK\r\n+QUEUED\r\n+OK\r\n");
    // A key of another slot inside the transaction: the shard's own refusal, as on a cluster.
    let (x, y) = (key_on(&c, 0, "x"), key_on(&c, 1, "y"));
    let r = text(&ws.call(&[&["MULTI"], &["SET", &x, "1"], &["SET", &y, "1"], &["EXEC"]]).await);
    assert!(
        r.starts_with("+OK\r\n+QUEUED\r\n-MOVED ")
            && r.ends_with("-EXECABORT Transaction discarded because of previous errors.\r\n"),
        "{r}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resharding_in_the_middle_is_invisible_to_the_page() {
    let Some((_g, c, proxy)) = setup().await else { return };
    let mut ws = proxy.connect().await;
    let keys: Vec<String> = (0..20).map(|i| format!("{{mig}}:{i}")).collect();
    for k in &keys {
        assert_eq!(text(&ws.call(&[&["SET", k, k]]).await), "+OK\r\n");
    }
    let slot = key_slot(b"mig");
    let src = c.owner(slot);
    let dst = (src + 1) % 3;
    let (src_id, dst_id) = (c.id(src), c.id(dst));
    let s = slot.to_string();
    assert_eq!(c.cli(dst, &["CLUSTER", "SETSLOT", &s, "IMPORTING", &src_id]), "OK");
    assert_eq!(c.cli(src, &["CLUSTER", "SETSLOT", &s, "MIGRATING", &dst_id]), "OK");
    // Half the keys move: the source answers ASK for them, the proxy follows with ASKING.
    let dst_port = c.nodes[dst].port.to_string();
    let mut migrate = vec!["MIGRATE", "127.0.0.1", &dst_port, "", "0", "5000", "KEYS"];
    migrate.extend(keys[..10].iter().map(String::as_str));
    assert_eq!(c.cli(src, &migrate), "OK");
    let all_gets: Vec<Vec<&str>> = keys.iter().map(|k| vec!["GET", k.as_str()]).collect();
    let all_gets: Vec<&[&str]> = all_gets.iter().map(|v| v.as_slice()).collect();
    let expected: String = keys.iter().map(|k| format!("${}\r\n{k}\r\n", k.len())).collect();
    // Pipelined in one message, then one by one.
    assert_eq!(text(&ws.call(&all_gets).await), expected, "pipelined GETs mid-migration");
    for k in &keys {
        let r = text(&ws.call(&[&["GET", k]]).await);
        assert_eq!(r, format!("${}\r\n{k}\r\n", k.len()), "GET {k} mid-migration");
    }
    // A new key of the migrating slot is created on the importing node (ASK).
    assert_eq!(text(&ws.call(&[&["SET", "{mig}:new", "n"]]).await), "+OK\r\n");
    assert_eq!(c.cli(dst, &["CLUSTER", "COUNTKEYSINSLOT", &s]), "11");
    // The rest moves, the slot is handed over: MOVED, the map is read again.
    let mut migrate = vec!["MIGRATE", "127.0.0.1", &dst_port, "", "0", "5000", "KEYS"];
    migrate.extend(keys[10..].iter().map(String::as_str));
    assert_eq!(c.cli(src, &migrate), "OK");
    for i in [dst, src, (src + 2) % 3] {
        assert_eq!(c.cli(i, &["CLUSTER", "SETSLOT", &s, "NODE", &dst_id]), "OK");
    }
    let before = proxy.state.cluster_refreshes();
    assert_eq!(text(&ws.call(&all_gets).await), expected, "pipelined GETs after the handover");
    assert!(proxy.state.cluster_refreshes() > before, "MOVED refreshes the slot map");
    let mut ws = proxy.connect().await;
    for k in &keys {
        assert_eq!(text(&ws.call(&[&["GET", k]]).await), format!("${}\r\n{k}\r\n", k.len()), "GET {k} after");
    }
    assert!(proxy.state.cluster_refreshes() > before, "MOVED refreshes the slot map");
    let r = text(&ws.call(&[&["MGET", &keys[0], &keys[19], "{mig}:new"]]).await);
    assert_eq!(r, format!("*3\r\n$7\r\n{}\r\n$8\r\n{}\r\n$1\r\nn\r\n", keys[0], keys[19]));
    assert_eq!(c.cli(src, &["CLUSTER", "COUNTKEYSINSLOT", &s]), "0");
    assert_eq!(c.cli(dst, &["CLUSTER", "COUNTKEYSINSLOT", &s]), "21");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shard_restart_is_survived() {
    let Some((_g, mut c, proxy)) = setup().await else { return };
    let mut ws = proxy.connect().await;
    let k = key_on(&c, 1, "restart");
    assert_eq!(text(&ws.call(&[&["SET", &k, "before"]]).await), "+OK\r\n");
    c.kill(1);
    let r = text(&ws.call(&[&["GET", &k]]).await);
    assert!(r.starts_with("-ERR playground-proxy: shard 127.0.0.1:"), "{r}");
    c.restart(1);
    // The same session goes on: the shard is reconnected (its data is gone: no persistence).
    assert_eq!(text(&ws.call(&[&["SET", &k, "after"], &["GET", &k]]).await), "+OK\r\n$5\r\nafter\r\n");
    let other = key_on(&c, 2, "other");
    assert_eq!(text(&ws.call(&[&["SET", &other, "x"], &["GET", &other]]).await), "+OK\r\n$1\r\nx\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_server_is_relayed_as_before() {
    if !cluster::available() {
        return;
    }
    let redis = Redis::plain();
    let proxy = Proxy::start(&args(&redis.url(), None)).await;
    let mut ws = proxy.connect().await;
    let r = ws
        .call(&[
            &["CLUSTER", "INFO"],
            &["MSET", "user:1", "a", "user:2", "b"],
            &["SELECT", "2"],
            &["SCAN", "0"],
        ])
        .await;
    assert_eq!(
        text(&r),
        "-ERR This instance has cluster support disabled\r\n+OK\r\n+OK\r\n*2\r\n$1\r\n0\r\n*0\r\n"
    );
    assert!(!proxy.state.is_cluster());
    let (_, health) = http_get(&proxy.http_url("/health"), Some(ORIGIN)).await;
    assert!(health["cluster"].is_null() && health["upstream"]["mode"] == "standalone", "{health}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slots_fallback_and_credentials_on_every_shard() {
    if !cluster::available() {
        return;
    }
    let _g = cluster::lock().await;
    let c = Cluster::start(3);
    // A user that may not run CLUSTER SHARDS (as some managed services): CLUSTER SLOTS is used;
    // the default user is switched off, so each shard connection must AUTH as that user.
    for i in 0..3 {
        assert_eq!(
            c.cli(i, &["ACL", "SETUSER", "app", "on", ">app-Secret", "~*", "+@all", "-cluster|shards"]),
            "OK"
        );
        assert_eq!(c.cli(i, &["ACL", "SETUSER", "default", "off"]), "OK");
    }
    let url = format!("redis://app:app-Secret@127.0.0.1:{}", c.nodes[0].port);
    let proxy = Proxy::start(&args(&url, None)).await;
    let mut ws = proxy.connect().await;
    for i in 0..30 {
        let k = format!("acl:{i}");
        assert_eq!(text(&ws.call(&[&["SET", &k, "v"], &["GET", &k]]).await), "+OK\r\n$1\r\nv\r\n", "{k}");
    }
    assert!(proxy.state.is_cluster());
    assert_eq!(text(&ws.call(&[&["DBSIZE"]]).await), ":30\r\n");
    let r = text(&ws.call(&[&["CLUSTER", "SHARDS"]]).await);
    assert!(r.starts_with("-NOPERM"), "{r}");
}

/// A command on a plain connection; the raw reply.
async fn raw(port: u16, cmd: &[&str]) -> String {
    let mut up = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    up.write_all(&encode(&[cmd])).await.unwrap();
    let mut buf = Vec::new();
    let limits = playground_engine::resp::Limits::default();
    loop {
        // On the heap: an array here would sit in every awaiting future, on the test's stack.
        let mut chunk = vec![0u8; 65536];
        let n = up.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Ok(Some((_, used))) = playground_engine::resp::parse_frame(&buf, &limits) {
            return text(&buf[..used]);
        }
    }
}

/// The emulated cluster answers as the real one: CLUSTER KEYSLOT for many keys, the slot
/// layout, CROSSSLOT, MOVED (with the node's own address), the CLUSTER errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulated_cluster_answers_as_a_real_one() {
    let Some((_g, c, _proxy)) = setup().await else { return };
    let emu = cluster::emulated(3);
    let real = c.nodes.iter().map(|n| n.port).collect::<Vec<_>>();
    let mut keys: Vec<String> = (0..300).map(|i| format!("key:{i}")).collect();
    keys.extend(
        ["", "{", "}", "{}", "{}x", "a{b}c", "{a}{b}", "a{{b}}", "{user:1}:cart", "é€", "x{y"]
            .map(String::from),
    );
    for k in &keys {
        let cmd = ["CLUSTER", "KEYSLOT", k.as_str()];
        assert_eq!(raw(emu[0], &cmd).await, raw(real[0], &cmd).await, "KEYSLOT {k:?}");
    }
    // Same layout, node for node: MOVED names the owner, whose port differs.
    for k in ["foo", "bar", "user:1", "{user:1}:cart", "key:42"] {
        for i in 0..3 {
            let (e, r) = (raw(emu[i], &["GET", k]).await, raw(real[i], &["GET", k]).await);
            let e = emu.iter().zip(&real).fold(e, |e, (ep, rp)| e.replace(&ep.to_string(), &rp.to_string()));
            assert_eq!(e, r, "GET {k} on node {i}");
        }
    }
    let checks: &[&[&str]] = &[
        &["MSET", "user:1", "a", "user:2", "b"],
        &["DEL", "foo", "bar"],
        &["SORT", "foo"],
        &["SORT", "foo", "BY", "nosort", "STORE", "{foo}dst"],
        &["LMPOP", "2", "foo", "bar", "LEFT"],
        &["LMPOP", "2", "{foo}1", "{foo}2", "LEFT"],
        &["BLMPOP", "0.01", "2", "{bar}1", "{bar}2", "LEFT"],
        &["ZINTERCARD", "2", "foo", "{foo}1"],
        &["ZUNION", "2", "{x}1", "{x}2"],
        &["SINTERCARD", "2", "a", "b"],
        &["ZDIFFSTORE", "{a}d", "1", "b"],
        &["ZUNIONSTORE", "{a}x", "2", "{a}y", "{a}z"],
        &["ZUNIONSTORE", "{a}x", "2", "{a}y", "z"],
        &["OBJECT", "ENCODING", "foo"],
        &["EXISTS", "{a}1", "{a}2"],
        &["CLUSTER", "KEYSLOT"],
        &["CLUSTER", "COUNTKEYSINSLOT", "16384"],
        &["CLUSTER", "COUNTKEYSINSLOT", "x"],
        &["CLUSTER", "COUNTKEYSINSLOT", "1"],
        &["CLUSTER", "GETKEYSINSLOT", "1", "-1"],
        &["CLUSTER", "GETKEYSINSLOT", "1"],
        &["CLUSTER", "GETKEYSINSLOT", "0", "10"],
        &["CLUSTER", "NOSUCH"],
        &["SELECT", "1"],
        &["SELECT", "0"],
        &["ASKING"],
        &["READONLY"],
        &["READWRITE"],
    ];
    for cmd in checks {
        let e = raw(emu[0], cmd).await;
        let e = emu.iter().zip(&real).fold(e, |e, (ep, rp)| e.replace(&ep.to_string(), &rp.to_string()));
        assert_eq!(e, raw(real[0], cmd).await, "{cmd:?}");
    }
    // The structure of SLOTS / SHARDS / NODES, ids and ports aside.
    let shape = |s: String, ids: &[String], ports: &[u16]| {
        let mut s = s;
        for (i, id) in ids.iter().enumerate() {
            s = s.replace(id, &format!("<id{i}>"));
        }
        for (i, p) in ports.iter().enumerate() {
            s = s
                .replace(&p.to_string(), &format!("<port{i}>"))
                .replace(&(*p as u32 + 10000).to_string(), &format!("<bus{i}>"));
        }
        s
    };
    let real_ids: Vec<String> = (0..3).map(|i| c.id(i)).collect();
    let mut emu_ids = Vec::new();
    for p in &emu {
        emu_ids.push(strings(raw(*p, &["CLUSTER", "MYID"]).await.as_bytes())[0].clone());
    }
    let r = shape(raw(real[0], &["CLUSTER", "SLOTS"]).await, &real_ids, &real);
    let e = shape(raw(emu[0], &["CLUSTER", "SLOTS"]).await, &emu_ids, &emu);
    assert_eq!(e, r);
    // SHARDS: real Redis lists the shards in its dict order; compare them as sets.
    let sort = |s: String| {
        let mut parts: Vec<String> = s.split("*4\r\n$5\r\nslots").map(String::from).collect();
        parts.sort();
        parts
    };
    let r = sort(shape(raw(real[0], &["CLUSTER", "SHARDS"]).await, &real_ids, &real));
    let e = sort(shape(raw(emu[0], &["CLUSTER", "SHARDS"]).await, &emu_ids, &emu));
    assert_eq!(e, r);
    let nodes = |s: String| {
        let mut lines: Vec<String> = s
            .lines()
            .filter(|l| l.contains("connected"))
            .map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                // id addr flags master ping pong epoch link slots: ping/pong times aside.
                format!("{} {} {} {} {} {} {}", f[0], f[1], f[2], f[3], f[6], f[7], f[8..].join(" "))
            })
            .collect();
        lines.sort();
        lines
    };
    let r = nodes(shape(raw(real[0], &["CLUSTER", "NODES"]).await, &real_ids, &real));
    let e = nodes(shape(raw(emu[0], &["CLUSTER", "NODES"]).await, &emu_ids, &emu));
    assert_eq!(e, r);
    for port in [emu[1], real[1]] {
        let info = raw(port, &["INFO", "cluster"]).await;
        assert!(info.contains("# Cluster\r\ncluster_enabled:1\r\n"), "{info}");
        let hello = raw(port, &["HELLO", "2"]).await;
        assert!(hello.contains("$4\r\nmode\r\n$7\r\ncluster\r\n"), "{hello}");
    }
    let info = raw(emu[1], &["CLUSTER", "INFO"]).await;
    assert!(info.contains("cluster_state:ok\r\n") && info.contains("cluster_size:3\r\n"), "{info}");
    // MULTI with a key of another node fails at EXEC, as on the real cluster.
    for port in [emu[0], real[0]] {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        s.write_all(&encode(&[&["MULTI"], &["GET", "foo"], &["EXEC"]])).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let mut got = Vec::new();
        while !text(&got).contains("EXECABORT") {
            let n = s.read(&mut buf).await.unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buf[..n]);
        }
        let t = text(&got).replace(&emu[2].to_string(), &real[2].to_string());
        assert_eq!(t, format!("+OK\r\n-MOVED 12182 127.0.0.1:{}\r\n-EXECABORT Transaction discarded because of previous errors.\r\n", real[2]));
    }
}

/// The proxy in front of the emulated cluster routes as in front of a real one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_routes_over_the_emulated_cluster() {
    let emu = cluster::emulated(3);
    let proxy = Proxy::start(&args(&format!("redis://127.0.0.1:{}", emu[0]), None)).await;
    let mut ws = proxy.connect().await;
    for i in 0..40 {
        let k = format!("k{i}");
        assert_eq!(text(&ws.call(&[&["SET", &k, "v"]]).await), "+OK\r\n");
    }
    assert!(proxy.state.is_cluster());
    assert_eq!(text(&ws.call(&[&["DBSIZE"]]).await), ":40\r\n");
    let r = text(&ws.call(&[&["MSET", "user:1", "a", "user:2", "b"]]).await);
    assert_eq!(r, "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
    let r = text(&ws.call(&[&["MULTI"], &["SET", "{t}a", "1"], &["INCR", "{t}b"], &["EXEC"]]).await);
    assert_eq!(r, "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n:1\r\n");
}

/// redis-py's RedisCluster (from PyPI, in the venv under target/ the emulator's test uses) runs
/// a cache-aside flow against the emulated cluster, in RESP2 and RESP3.
#[test]
fn redis_py_cluster_cache_aside_against_emulate() {
    use std::process::Command;
    let emu = cluster::emulated(3);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let venv = root.join("target/redis-py-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().expect("python3");
        assert!(made.success(), "python3 -m venv failed");
    }
    let pip =
        Command::new(&python).args(["-m", "pip", "install", "-q", "redis==8.1.0"]).output().expect("pip");
    assert!(pip.status.success(), "pip install redis: {}", String::from_utf8_lossy(&pip.stderr));
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/redis_py_cluster_check.py");
    let out = Command::new(&python).arg(script).arg(emu[0].to_string()).output().expect("run check");
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "redis-py cluster check failed:\n{t}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(t.contains("RESP2: ok") && t.contains("RESP3: ok"), "{t}");
}

/// TLS and a password on every shard, as Azure's OSS policy (TLS ports, access key): the proxy
/// reaches the shards by the addresses CLUSTER SHARDS gives (IP addresses), checking their
/// certificate against the URL's host name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_password_on_every_shard() {
    if !cluster::available() {
        return;
    }
    let _g = cluster::lock().await;
    let pki = Pki::new("cluster");
    let c = Cluster::start_tls(3, &pki);
    let proxy = Proxy::start(&args(&c.url(), Some(&pki.ca))).await;
    let mut ws = proxy.connect().await;
    for i in 0..30 {
        let k = format!("tls:{i}");
        assert_eq!(text(&ws.call(&[&["SET", &k, "v"], &["GET", &k]]).await), "+OK\r\n$1\r\nv\r\n", "{k}");
    }
    assert!(proxy.state.is_cluster());
    let counts: Vec<usize> = (0..3).map(|i| c.cli(i, &["DBSIZE"]).parse().unwrap()).collect();
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    assert_eq!(text(&ws.call(&[&["DBSIZE"]]).await), ":30\r\n");
}

/// A primary dies and its replica takes over: no MOVED ever names the new primary, so the proxy
/// reads the slot map again after failing to reach the shard, and the same session goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failover_to_a_replica_is_followed() {
    if !cluster::available() {
        return;
    }
    let _g = cluster::lock().await;
    let mut c = Cluster::start_replicas(3, 1);
    let proxy = Proxy::start(&args(&c.url(), None)).await;
    let mut ws = proxy.connect().await;
    let primary = c.owner(key_slot(b"failover"));
    assert_eq!(text(&ws.call(&[&["SET", "failover", "v"]]).await), "+OK\r\n");
    // Until the replica is online and has everything the primary wrote.
    let t = std::time::Instant::now();
    loop {
        let info = c.cli(primary, &["INFO", "replication"]);
        let master = info.lines().find_map(|l| l.strip_prefix("master_repl_offset:")).unwrap_or("").trim();
        let synced = info.lines().any(|l| {
            l.starts_with("slave0:") && l.contains("state=online") && l.contains(&format!("offset={master},"))
        });
        if synced {
            break;
        }
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "replica not in sync: {info}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    c.kill(primary);
    let t = std::time::Instant::now();
    let mut errors = 0;
    loop {
        let r = text(&ws.call(&[&["GET", "failover"]]).await);
        if r == "$1\r\nv\r\n" {
            break;
        }
        assert!(r.starts_with('-'), "{r}");
        errors += 1;
        assert!(t.elapsed() < std::time::Duration::from_secs(40), "no failover seen: {r}");
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(errors > 0, "the shard was down for a while");
    let now = c.owner(key_slot(b"failover"));
    assert_ne!(now, primary);
    assert_eq!(
        text(&ws.call(&[&["SET", "failover", "w"], &["GET", "failover"]]).await),
        "+OK\r\n$1\r\nw\r\n"
    );
}

mod entra {
    use base64::Engine as _;
    use playground_proxy::serve::auth::entra::{AccessToken, BoxFuture, TokenSource};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    pub const OID: &str = "0b1e0000-cluster-oid";

    pub fn fake_jwt(n: usize) -> String {
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig{n}", enc(r#"{"alg":"none"}"#), enc(&format!(r#"{{"oid":"{OID}","n":{n}}}"#)))
    }

    /// Token 1, 2, 3 ... each living `lifetime`.
    pub struct FakeSource {
        pub calls: AtomicUsize,
        pub lifetime: Duration,
    }

    impl TokenSource for FakeSource {
        fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, String>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let lifetime = self.lifetime;
            Box::pin(async move { Ok(AccessToken { token: fake_jwt(n), expires_in: lifetime }) })
        }
    }
}

/// Entra ID: every shard connection authenticates with the token, and re-authenticates when it
/// is refreshed (an ACL user per node stands in for the object id).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entra_tokens_on_every_shard_and_re_auth_on_refresh() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    let Some((_g, c, _plain)) = setup().await else { return };
    let mut setuser = vec!["ACL", "SETUSER", entra::OID, "on", "~*", "+@all"];
    let tokens: Vec<String> = (1..=8).map(|n| format!(">{}", entra::fake_jwt(n))).collect();
    setuser.extend(tokens.iter().map(String::as_str));
    for i in 0..3 {
        assert_eq!(c.cli(i, &setuser), "OK");
    }
    let source = std::sync::Arc::new(entra::FakeSource {
        calls: AtomicUsize::new(0),
        lifetime: Duration::from_secs(4),
    });
    let state =
        playground_proxy::serve::build_state_with(&args(&c.url(), None), Some(source.clone())).await.unwrap();
    let proxy = Proxy::start_with(state).await;
    let mut ws = proxy.connect().await;
    let keys: Vec<String> = (0..3).map(|i| key_on(&c, i, "entra")).collect();
    for k in &keys {
        assert_eq!(text(&ws.call(&[&["SET", k, "v"]]).await), "+OK\r\n");
    }
    let who = text(&ws.call(&[&["ACL", "WHOAMI"]]).await);
    assert_eq!(who, format!("${}\r\n{}\r\n", entra::OID.len(), entra::OID));
    let auths = |i: usize| -> u64 {
        let stats = c.cli(i, &["INFO", "commandstats"]);
        stats
            .lines()
            .find_map(|l| l.strip_prefix("cmdstat_auth:calls="))
            .and_then(|r| r.split(',').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let before: Vec<u64> = (0..3).map(auths).collect();
    assert!(before.iter().all(|&n| n >= 1), "{before:?}");
    // 4 s tokens refresh at 2 s: every shard connection re-sends AUTH without a command.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert!(source.calls.load(Ordering::SeqCst) >= 2);
    let after: Vec<u64> = (0..3).map(auths).collect();
    assert!(after.iter().zip(&before).all(|(a, b)| a > b), "{before:?} -> {after:?}");
    for k in &keys {
        assert_eq!(text(&ws.call(&[&["GET", k]]).await), "$1\r\nv\r\n");
    }
}
