//! A real Redis 7.4 as a replica of `emulate`: REPLICAOF, PSYNC's full resync with the RDB the
//! engine writes, then the replication stream. What the replica holds must be what emulate holds,
//! after the initial sync and after writes that propagate as something else than typed (relative
//! TTLs, pops, floats, transactions, scripts, other databases).

mod emulate_support;

use emulate_support::free_port;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// `redis-cli -p port args...`, its output without the trailing newline.
fn cli(port: u16, args: &[&str]) -> String {
    let out =
        Command::new("redis-cli").arg("-p").arg(port.to_string()).args(args).output().expect("redis-cli");
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

/// A Redis 7.4 of its own (the oracle's binaries, `../shared/oracle/redis-stack`), stopped on drop.
struct OwnRedis {
    port: u16,
    script: PathBuf,
}

impl OwnRedis {
    fn start() -> OwnRedis {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let script = root.join("../shared/oracle/redis-stack");
        let port = free_port();
        // Its own folder: the replica writes the RDB it receives there.
        let dir = std::env::temp_dir().join(format!("playground-replica-{port}"));
        std::fs::create_dir_all(&dir).expect("replica folder");
        let out = Command::new("bash")
            .arg(&script)
            .args(["start", &port.to_string()])
            .current_dir(&dir)
            .output()
            .expect("run the oracle script");
        assert!(out.status.success(), "Redis did not start: {}", String::from_utf8_lossy(&out.stderr));
        OwnRedis { port, script }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(&self.script).args(["stop", &self.port.to_string()]).output();
    }
}

/// Wait until `check` holds, for at most 20 s.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Wait until the replica reads the same as emulate, for at most 20 s; then show the two.
fn same_contents(replica: u16, emulate: u16, what: &str) {
    let start = Instant::now();
    while contents(replica) != contents(emulate) && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(contents(replica), contents(emulate), "{what} (left: the replica, right: emulate)");
}

/// XPENDING's extended form (id, consumer, idle ms, deliveries per entry) without the idle
/// time, which depends on when it is asked.
fn pending_without_idle(reply: &str) -> String {
    let lines: Vec<&str> = reply.lines().collect();
    let entry = |e: &[&str]| match e {
        [id, consumer, _idle, count] => format!("{id} {consumer} {count}"),
        // An error (no such group), as it is.
        other => other.join(" "),
    };
    lines.chunks(4).map(entry).collect::<Vec<_>>().join(" ")
}

/// What a client reads of each key on `port`, comparable across the two servers.
fn contents(port: u16) -> Vec<String> {
    let mut seen = Vec::new();
    for db in ["0", "2"] {
        let mut keys: Vec<String> = cli(port, &["-n", db, "KEYS", "*"]).lines().map(String::from).collect();
        keys.sort();
        for key in keys {
            let kind = cli(port, &["-n", db, "TYPE", &key]);
            let value = match kind.as_str() {
                "string" => cli(port, &["-n", db, "GET", &key]),
                "hash" => cli(port, &["-n", db, "HGETALL", &key]),
                "list" => cli(port, &["-n", db, "LRANGE", &key, "0", "-1"]),
                "zset" => cli(port, &["-n", db, "ZRANGE", &key, "0", "-1", "WITHSCORES"]),
                "set" => {
                    let mut members: Vec<String> =
                        cli(port, &["-n", db, "SMEMBERS", &key]).lines().map(String::from).collect();
                    members.sort();
                    members.join(",")
                }
                // The entries, and each group's position and pending entries with their owners
                // and delivery counts (delivery times are the master's, so they match too).
                "stream" => [
                    cli(port, &["-n", db, "XRANGE", &key, "-", "+"]),
                    cli(port, &["-n", db, "XINFO", "GROUPS", &key]),
                    pending_without_idle(&cli(port, &["-n", db, "XPENDING", &key, "grp", "-", "+", "100"])),
                ]
                .join(" | "),
                other => other.to_string(),
            };
            // Deadlines to the second: both sides hold the same absolute time.
            let ttl = cli(port, &["-n", db, "EXPIRETIME", &key]);
            seen.push(format!("db{db} {key} {kind} [{}] expiretime {ttl}", value.replace('\n', " ")));
        }
    }
    seen
}

#[test]
fn a_real_redis_replicates_from_emulate() {
    let emulate = emulate_support::start();
    for cmd in [
        &["SET", "greeting", "hello", "EX", "3000"][..],
        &["HSET", "user:1", "name", "Ada", "visits", "3"],
        &["RPUSH", "history", "q1", "q2", "q3"],
        &["ZADD", "board", "10", "ada", "20", "bob"],
        &["SADD", "tags", "a", "b", "c"],
        &["SET", "counter", "41"],
    ] {
        cli(emulate, cmd);
    }
    let replica = OwnRedis::start();
    assert_eq!(cli(replica.port, &["REPLICAOF", "127.0.0.1", &emulate.to_string()]), "OK");
    eventually("the replica's link", || {
        cli(replica.port, &["INFO", "replication"]).contains("master_link_status:up")
    });
    same_contents(replica.port, emulate, "the initial sync");
    assert!(cli(emulate, &["INFO", "replication"]).contains("connected_slaves:1"));
    // The replica as Redis lists it: the port it listens on, and the offset it acknowledged.
    eventually("the replica's acknowledged offset", || {
        let info = cli(emulate, &["INFO", "replication"]);
        let offset =
            info.lines().find_map(|l| l.strip_prefix("master_repl_offset:")).unwrap_or("?").to_owned();
        info.contains(&format!("slave0:ip=127.0.0.1,port={},state=online,offset={offset},", replica.port))
    });
    let role = cli(emulate, &["ROLE"]);
    assert!(role.contains(&format!("127.0.0.1\n{}\n", replica.port)), "{role}");

    // Writes that reach the replica as something else than typed.
    for cmd in [
        &["EXPIRE", "counter", "500"][..],
        &["INCR", "counter"],
        &["INCRBYFLOAT", "price", "0.1"],
        &["LMPOP", "1", "history", "LEFT", "COUNT", "2"],
        &["ZPOPMIN", "board"],
        &["SPOP", "tags"],
        &["GETDEL", "greeting"],
        &["SETEX", "session", "900", "token"],
        &[
            "EVAL",
            "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('HINCRBYFLOAT', KEYS[2], 'visits', 1.5)",
            "2",
            "via-script",
            "user:1",
            "v",
        ],
        &["-n", "2", "SET", "elsewhere", "1"],
        // IDs the master makes, and a consumer group's reads and claims.
        &["XADD", "events", "*", "kind", "login"],
        &["XADD", "events", "MAXLEN", "~", "1", "*", "kind", "search"],
        &["XADD", "events", "*", "kind", "logout"],
        &["XGROUP", "CREATE", "events", "grp", "0"],
        &["XREADGROUP", "GROUP", "grp", "worker-1", "COUNT", "2", "STREAMS", "events", ">"],
        &["XREADGROUP", "GROUP", "grp", "worker-2", "NOACK", "STREAMS", "events", ">"],
        &["XAUTOCLAIM", "events", "grp", "worker-3", "0", "0-0", "COUNT", "1"],
    ] {
        cli(emulate, cmd);
    }
    // redis-cli opens a connection per command: the transaction above ran as single commands,
    // so run one for real, in one connection.
    let out = Command::new("redis-cli")
        .arg("-p")
        .arg(emulate.to_string())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(b"MULTI\nSELECT 2\nSET in-tx 1\nLPUSH tx-list a b\nEXEC\n")?;
            child.wait_with_output()
        })
        .expect("redis-cli transaction");
    assert!(String::from_utf8_lossy(&out.stdout).contains("QUEUED"));
    same_contents(replica.port, emulate, "after the writes");
    let final_contents = contents(emulate);
    assert!(final_contents.iter().any(|line| line.starts_with("db2 in-tx string [1]")), "{final_contents:?}");
    assert!(
        final_contents.iter().any(|line| line.starts_with("db0 via-script string [v]")),
        "{final_contents:?}"
    );
}

/// The other way round: emulate follows a real Redis 7.4 (with RediSearch, whose aux data in
/// the RDB it skips): a full sync, then the stream, read-only meanwhile; REPLICAOF NO ONE keeps
/// the data and takes writes again.
#[test]
fn emulate_replicates_a_real_redis() {
    let primary = OwnRedis::start();
    for cmd in [
        &["SET", "greeting", "hello", "EX", "3000"][..],
        &["HSET", "user:1", "name", "Ada", "visits", "3"],
        &["RPUSH", "history", "q1", "q2", "q3"],
        &["ZADD", "board", "10", "ada", "20", "bob"],
        &["SADD", "tags", "a", "b", "c"],
        &["XADD", "events", "1-1", "kind", "login"],
        &["-n", "2", "SET", "elsewhere", "1"],
        &["FT.CREATE", "idx", "PREFIX", "1", "user:", "SCHEMA", "name", "TEXT"],
    ] {
        cli(primary.port, cmd);
    }
    let emulate = emulate_support::start();
    assert_eq!(cli(emulate, &["REPLICAOF", "127.0.0.1", &primary.port.to_string()]), "OK");
    eventually("emulate's link", || cli(emulate, &["INFO", "replication"]).contains("master_link_status:up"));
    same_contents(emulate, primary.port, "after the full sync");
    let role = cli(emulate, &["ROLE"]);
    assert!(role.starts_with(&format!("slave\n127.0.0.1\n{}\nconnected\n", primary.port)), "{role}");
    // A replica's own replication offset is the one it reached in its primary's stream.
    let info = cli(emulate, &["INFO", "replication"]);
    let field = |name: &str| info.lines().find_map(|l| l.strip_prefix(name)).map(str::to_owned);
    assert_eq!(field("master_repl_offset:"), field("slave_repl_offset:"), "{info}");
    assert!(cli(primary.port, &["INFO", "replication"]).contains("connected_slaves:1"));

    for cmd in [
        &["INCR", "counter"][..],
        &["LPOP", "history"],
        &["EXPIRE", "tags", "900"],
        &["XADD", "events", "*", "kind", "search"],
        &["-n", "2", "DEL", "elsewhere"],
        &["HSET", "user:2", "name", "Grace"],
    ] {
        cli(primary.port, cmd);
    }
    same_contents(emulate, primary.port, "after the stream");
    // A replica refuses writes, and acknowledges what it applied.
    assert!(cli(emulate, &["SET", "mine", "1"]).starts_with("READONLY"));
    eventually("the primary to see the acknowledged offset", || {
        let info = cli(primary.port, &["INFO", "replication"]);
        let offset = |field: &str| info.lines().find_map(|l| l.strip_prefix(field)).map(str::to_owned);
        let master = offset("master_repl_offset:");
        master.is_some() && info.contains(&format!("offset={},", master.unwrap_or_default()))
    });
    assert_eq!(cli(emulate, &["REPLICAOF", "NO", "ONE"]), "OK");
    assert_eq!(cli(emulate, &["SET", "mine", "1"]), "OK");
    assert_eq!(cli(emulate, &["GET", "counter"]), "1");
}
