//! `playground-proxy emulate` with real clients: raw RESP, pipelining, inline commands,
//! blocking across clients, protocol errors, and Debian's redis-cli and redis-benchmark.

mod emulate_support;

use emulate_support::{start, Child};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    s
}

/// Send bytes, read until `expected` bytes have arrived.
fn roundtrip(s: &mut TcpStream, send: &[u8], expected: usize) -> Vec<u8> {
    s.write_all(send).expect("write");
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    while got.len() < expected {
        let n = s.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    got
}

#[test]
fn raw_resp_inline_and_pipelining() {
    let port = start();
    let mut s = connect(port);
    assert_eq!(roundtrip(&mut s, b"*1\r\n$4\r\nPING\r\n", 7), b"+PONG\r\n");
    assert_eq!(roundtrip(&mut s, b"PING\r\n", 7), b"+PONG\r\n");
    assert_eq!(roundtrip(&mut s, b"SET greeting \"hello world\"\r\n", 5), b"+OK\r\n");
    assert_eq!(roundtrip(&mut s, b"*2\r\n$3\r\nGET\r\n$8\r\ngreeting\r\n", 17), b"$11\r\nhello world\r\n");
    // 1000 pipelined INCRs in one write, replies in order.
    let mut batch = Vec::new();
    for _ in 0..1000 {
        batch.extend_from_slice(b"*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n");
    }
    let expected: Vec<u8> = (1..=1000).flat_map(|i| format!(":{i}\r\n").into_bytes()).collect();
    assert_eq!(roundtrip(&mut s, &batch, expected.len()), expected);
    // A command split across writes is answered once complete.
    s.write_all(b"*2\r\n$3\r\nGET").expect("write");
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(roundtrip(&mut s, b"\r\n$1\r\nn\r\n", 10), b"$4\r\n1000\r\n");
    // RESP3 after HELLO 3: a map reply.
    let hello = roundtrip(&mut s, b"HELLO 3\r\n", 1);
    assert!(hello.starts_with(b"%7\r\n"), "{}", String::from_utf8_lossy(&hello));
}

#[test]
fn clients_share_one_keyspace_and_blocking_waits_for_a_push() {
    let port = start();
    let mut a = connect(port);
    let mut b = connect(port);
    assert_eq!(roundtrip(&mut a, b"SET shared 1\r\n", 5), b"+OK\r\n");
    assert_eq!(roundtrip(&mut b, b"GET shared\r\n", 7), b"$1\r\n1\r\n");
    // b waits on an empty list; a pushes; b's BLPOP answers.
    b.write_all(b"BLPOP jobs 5\r\n").expect("write");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(roundtrip(&mut a, b"RPUSH jobs j1\r\n", 4), b":1\r\n");
    let expected = b"*2\r\n$4\r\njobs\r\n$2\r\nj1\r\n";
    assert_eq!(roundtrip(&mut b, b"", expected.len()), expected);
    // A short timeout answers the null array.
    assert_eq!(roundtrip(&mut b, b"BLPOP jobs 0.2\r\n", 5), b"*-1\r\n");
}

/// The sorted-set blocking pops over sockets: waiters served in the order they blocked, a list
/// on the key wakes none of them, RESP3's double, and a timeout's null array.
#[test]
fn sorted_set_waiters_are_served_in_order() {
    let port = start();
    let mut pusher = connect(port);
    let mut first = connect(port);
    let mut second = connect(port);
    first.write_all(b"BZPOPMIN z 5\r\n").expect("write");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(roundtrip(&mut second, b"HELLO 3\r\n", 1)[0], b'%');
    std::thread::sleep(Duration::from_millis(50));
    second.write_all(b"BZMPOP 5 1 z MAX COUNT 2\r\n").expect("write");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(roundtrip(&mut pusher, b"RPUSH z x\r\n", 4), b":1\r\n");
    assert_eq!(roundtrip(&mut pusher, b"DEL z\r\n", 4), b":1\r\n");
    assert_eq!(roundtrip(&mut pusher, b"ZADD z 1 a 2 b 3 c 4 d\r\n", 4), b":4\r\n");
    let expected = b"*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n";
    assert_eq!(roundtrip(&mut first, b"", expected.len()), expected);
    let expected = b"*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n";
    assert_eq!(roundtrip(&mut second, b"", expected.len()), expected);
    assert_eq!(roundtrip(&mut pusher, b"ZCARD z\r\n", 4), b":1\r\n");
    assert_eq!(roundtrip(&mut first, b"BZPOPMAX nothing 0.2\r\n", 5), b"*-1\r\n");
    assert_eq!(roundtrip(&mut second, b"BZPOPMAX nothing 0.2\r\n", 3), b"_\r\n");
}

/// One line of `INFO clients`, e.g. `blocked_clients:1`.
fn info_clients_line(s: &mut TcpStream, field: &str) -> String {
    s.write_all(b"INFO clients\r\n").expect("write");
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let text = String::from_utf8_lossy(&got).into_owned();
        if let Some((header, body)) = text.split_once("\r\n") {
            let len: usize = header[1..].parse().expect("bulk length");
            if body.len() >= len + 2 {
                let prefix = format!("{field}:");
                return body.lines().find(|l| l.starts_with(&prefix)).expect("field present").to_string();
            }
        }
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "connection closed");
        got.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn a_blocked_client_that_hangs_up_loses_its_wait() {
    let port = start();
    let mut b = connect(port);
    {
        let mut a = connect(port);
        a.write_all(b"BLPOP ghost 0\r\n").expect("write");
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(info_clients_line(&mut b, "blocked_clients"), "blocked_clients:1");
        assert_eq!(info_clients_line(&mut b, "total_blocking_keys"), "total_blocking_keys:1");
    }
    // `a` is closed: its wait must be gone before the push, and the element must stay.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(info_clients_line(&mut b, "blocked_clients"), "blocked_clients:0");
    assert_eq!(roundtrip(&mut b, b"LPUSH ghost foo\r\n", 4), b":1\r\n");
    std::thread::sleep(Duration::from_millis(100));
    let expected = b"*1\r\n$3\r\nfoo\r\n";
    assert_eq!(roundtrip(&mut b, b"LRANGE ghost 0 -1\r\n", expected.len()), expected);
    // Hanging up just before a push (blocked first, as the server confirms): whichever task
    // runs first, the element stays. A second waiter, blocked later, must get it, not the
    // closed one ahead of it in the queue.
    for round in 0..20 {
        let mut a = connect(port);
        a.write_all(b"BLPOP race 0\r\n").expect("write");
        let mut c = connect(port);
        c.write_all(b"BLPOP race 0\r\n").expect("write");
        while info_clients_line(&mut b, "blocked_clients") != "blocked_clients:2" {
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(a);
        assert_eq!(roundtrip(&mut b, b"RPUSH race x y\r\n", 4), b":2\r\n", "round {round}");
        let expected = b"*2\r\n$4\r\nrace\r\n$1\r\nx\r\n";
        assert_eq!(roundtrip(&mut c, b"", expected.len()), expected, "round {round}");
        assert_eq!(roundtrip(&mut b, b"LPOP race\r\n", 7), b"$1\r\ny\r\n", "round {round}");
    }
}

#[test]
fn a_blocked_client_keeps_what_it_sends_while_waiting() {
    let port = start();
    let mut a = connect(port);
    let mut b = connect(port);
    a.write_all(b"BLPOP q 5\r\n").expect("write");
    std::thread::sleep(Duration::from_millis(100));
    a.write_all(b"PING\r\n").expect("write");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(roundtrip(&mut b, b"RPUSH q 1\r\n", 4), b":1\r\n");
    let expected = b"*2\r\n$1\r\nq\r\n$1\r\n1\r\n+PONG\r\n";
    assert_eq!(roundtrip(&mut a, b"", expected.len()), expected);
}

#[test]
fn protocol_error_closes_only_that_connection() {
    let port = start();
    let mut bad = connect(port);
    let mut good = connect(port);
    let reply = roundtrip(&mut bad, b"*1\r\n+PING\r\n", 10);
    assert!(
        reply.starts_with(b"-ERR Protocol error: expected '$', got '+'"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    let mut rest = Vec::new();
    assert_eq!(bad.read_to_end(&mut rest).expect("closed"), 0, "the server closed the bad connection");
    assert_eq!(roundtrip(&mut good, b"PING\r\n", 7), b"+PONG\r\n");
    assert_eq!(roundtrip(&mut good, b"QUIT\r\n", 5), b"+OK\r\n");
}

#[test]
fn redis_cli_and_redis_benchmark_work_unchanged() {
    let port = start();
    let cli = |args: &[&str]| {
        let out = Command::new("redis-cli")
            .args(["-p", &port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli is installed (scripts/dev.sh installs redis-tools)");
        assert!(out.status.success(), "redis-cli {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    };
    assert_eq!(cli(&["PING"]), "PONG");
    assert_eq!(cli(&["SET", "course", "AI-200", "EX", "300"]), "OK");
    assert_eq!(cli(&["GET", "course"]), "AI-200");
    assert_eq!(cli(&["TTL", "course"]), "300");
    assert_eq!(cli(&["ZADD", "board", "10", "ada", "20", "bob"]), "2");
    assert_eq!(cli(&["ZRANGE", "board", "0", "-1", "REV", "WITHSCORES"]), "bob\n20\nada\n10");
    assert_eq!(cli(&["--no-raw", "HGETALL", "missing"]), "(empty array)");
    // Without a command, redis-cli is a shell that first builds its help from COMMAND DOCS (it
    // segfaulted on an empty argument group): a session typed on its standard input.
    let mut shell = Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("redis-cli");
    shell
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"MULTI\nSELECT 2\nINCR visits\nEXEC\nSELECT 0\nGET course\n")
        .expect("type");
    let session = shell.wait_with_output().expect("redis-cli session");
    assert!(session.status.success(), "redis-cli's shell ended with {}", session.status);
    assert_eq!(String::from_utf8_lossy(&session.stdout), "OK\nQUEUED\nQUEUED\nOK\n1\nOK\nAI-200\n");
    let bench = Command::new("redis-benchmark")
        .args([
            "-p",
            &port.to_string(),
            "-t",
            "set,get,incr,lpush",
            "-n",
            "2000",
            "-c",
            "10",
            "-P",
            "8",
            "-q",
        ])
        .output()
        .expect("redis-benchmark is installed");
    let text = String::from_utf8_lossy(&bench.stdout);
    assert!(
        bench.status.success(),
        "redis-benchmark failed: {text} {}",
        String::from_utf8_lossy(&bench.stderr)
    );
    for test in ["SET", "GET", "INCR", "LPUSH"] {
        assert!(text.contains(&format!("{test}: ")), "benchmark ran {test}: {text}");
    }
    assert!(!text.contains("ERR"), "no errors: {text}");
}

/// redis-py 8.1 (from PyPI, in a venv under target/, the version the page's Python tab has).
/// Both tests that use it may run at once: pip only runs when the venv lacks it.
fn redis_py_python() -> std::path::PathBuf {
    static READY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = READY.lock().unwrap_or_else(|e| e.into_inner());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let venv = root.join("target/redis-py-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        let made = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().expect("python3");
        assert!(made.success(), "python3 -m venv failed");
    }
    let have = Command::new(&python).args(["-c", "import redis; print(redis.__version__)"]).output();
    if !have.is_ok_and(|o| o.stdout.starts_with(b"8.1.0")) {
        let pip =
            Command::new(&python).args(["-m", "pip", "install", "-q", "redis==8.1.0"]).output().expect("pip");
        assert!(pip.status.success(), "pip install redis: {}", String::from_utf8_lossy(&pip.stderr));
    }
    python
}

/// redis-py (from PyPI, in a venv under target/) in RESP2 and RESP3.
#[test]
fn redis_py_works_in_resp2_and_resp3() {
    let port = start();
    let python = redis_py_python();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/redis_py_check.py");
    let out = Command::new(&python).arg(script).arg(port.to_string()).output().expect("run check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "redis-py check failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("RESP2: ok") && text.contains("RESP3: ok"), "{text}");
}

/// The Redis 7.4 oracle (`REDIS_ORACLE_PORT`, or 16379 started by the shared script).
fn oracle_port() -> u16 {
    if let Ok(p) = std::env::var("REDIS_ORACLE_PORT") {
        return p.parse().expect("REDIS_ORACLE_PORT must be a port");
    }
    if TcpStream::connect(("127.0.0.1", 16379)).is_err() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let script = root.join("../shared/oracle/redis-stack");
        let out = Command::new("bash").arg(&script).args(["start", "16379", "--debug"]).output();
        assert!(
            out.is_ok_and(|o| o.status.success()),
            "the Redis oracle did not start ({})",
            script.display()
        );
    }
    16379
}

/// redis-py's listening clients, compared with what they see against Redis 7.4: pub/sub through
/// `listen()`, `get_message`, `run_in_thread`, patterns and sharded channels in RESP2 and RESP3,
/// and its client-side cache (`cache_config`), which relies on CLIENT TRACKING's invalidations.
#[test]
fn redis_py_pubsub_and_client_side_caching_match_redis() {
    let port = start();
    let python = redis_py_python();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/redis_py_clients_check.py");
    let out = Command::new(&python)
        .arg(script)
        .args([port.to_string(), oracle_port().to_string()])
        .output()
        .expect("run check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "redis-py clients check failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("steps identical"), "{text}");
}

/// Send bytes and check the reply, byte for byte.
fn reply(s: &mut TcpStream, send: &[u8], expected: &[u8]) {
    let got = roundtrip(s, send, expected.len());
    assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(expected));
}

/// Read until the server closes the connection (a reset counts as closed); the bytes before it.
fn read_until_closed(s: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return got,
            Err(e) => panic!("the server did not close the connection: {e} (read so far: {got:?})"),
        }
    }
}

/// Protocol errors as Redis 7.4 words them, each closing only its own connection.
#[test]
fn protocol_limits_answer_as_redis_and_close() {
    let port = start();
    let cases: &[(&[u8], &str)] = &[
        (b"*2147483648\r\n", "invalid multibulk length"),
        (b"*01\r\n$4\r\nPING\r\n", "invalid multibulk length"),
        (b"*+1\r\n$4\r\nPING\r\n", "invalid multibulk length"),
        (b"*1\r\n$-1\r\n", "invalid bulk length"),
        (b"*1\r\n$04\r\nPING\r\n", "invalid bulk length"),
        (b"*1\r\n$536870913\r\n", "invalid bulk length"),
        (b"*1\r\n$2000000000\r\n", "invalid bulk length"),
        (b"set a \"b\r\n", "unbalanced quotes in request"),
        (b"set a 'b'c\r\n", "unbalanced quotes in request"),
    ];
    for (wire, error) in cases {
        let mut s = connect(port);
        s.write_all(wire).expect("write");
        let expected = format!("-ERR Protocol error: {error}\r\n");
        assert_eq!(String::from_utf8_lossy(&read_until_closed(&mut s)), expected, "{wire:?}");
    }
    // Over 64 KB without a newline: an inline request, a multibulk count, a bulk length.
    for (prefix, error) in [
        (&b""[..], "too big inline request"),
        (b"*", "too big mbulk count string"),
        (b"*1\r\n$", "too big bulk count string"),
    ] {
        let mut s = connect(port);
        let mut wire = prefix.to_vec();
        wire.resize(prefix.len() + 64 * 1024 + 10, b'1');
        s.write_all(&wire).expect("write");
        let expected = format!("-ERR Protocol error: {error}\r\n");
        assert_eq!(String::from_utf8_lossy(&read_until_closed(&mut s)), expected);
    }
    // Just under the limits, the server waits for the rest.
    let mut s = connect(port);
    s.write_all(&[b'x'; 64 * 1024 - 10]).expect("write");
    s.write_all(b"*2147483647\r\n").ok();
    let mut other = connect(port);
    reply(&mut other, b"PING\r\n", b"+PONG\r\n");
}

/// `proto-max-bulk-len`: 512 MB by default, settable; a longer bulk is a protocol error.
#[test]
fn proto_max_bulk_len_is_a_config() {
    let port = start();
    let mut s = connect(port);
    reply(
        &mut s,
        b"CONFIG GET proto-max-bulk-len\r\n",
        b"*2\r\n$18\r\nproto-max-bulk-len\r\n$9\r\n536870912\r\n",
    );
    let below = b"-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive\r\n";
    reply(&mut s, b"CONFIG SET proto-max-bulk-len 1000\r\n", below);
    reply(&mut s, b"CONFIG SET proto-max-bulk-len 1mb\r\n", b"+OK\r\n");
    // Exactly 1 MB is fine...
    let mut set = b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$1048576\r\n".to_vec();
    set.extend(std::iter::repeat_n(b'v', 1 << 20));
    set.extend_from_slice(b"\r\n");
    reply(&mut s, &set, b"+OK\r\n");
    reply(&mut s, b"STRLEN big\r\n", b":1048576\r\n");
    // ... one byte more is refused, and that connection is closed.
    let mut over = connect(port);
    over.write_all(b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$1048577\r\n").expect("write");
    assert_eq!(read_until_closed(&mut over), b"-ERR Protocol error: invalid bulk length\r\n");
    reply(&mut s, b"PING\r\n", b"+PONG\r\n");
}

/// A child process of emulate (`emulate_support::Child`): its memory can be read alone.
impl Child {
    /// The process's virtual memory size in bytes: what an allocation reserves shows here even
    /// before its pages are touched.
    fn vm_size(&self) -> u64 {
        let statm = std::fs::read_to_string(format!("/proc/{}/statm", self.0.id())).expect("statm");
        statm.split_whitespace().next().and_then(|pages| pages.parse::<u64>().ok()).expect("pages") * 4096
    }
}

/// `client-query-buffer-limit`: a 2 GB bulk announced reserves nothing; input past the limit
/// closes the client without a reply, as Redis does; other clients go on.
#[test]
fn query_buffer_limit_and_announced_lengths() {
    let server = Child::start();
    let port = server.1;
    let mut admin = connect(port);
    reply(&mut admin, b"CONFIG SET proto-max-bulk-len 4gb\r\n", b"+OK\r\n");
    let before = server.vm_size();
    let mut announcer = connect(port);
    announcer.write_all(b"*1\r\n$2000000000\r\n").expect("write");
    announcer.write_all(&[b'x'; 100_000]).expect("write");
    reply(&mut admin, b"PING\r\n", b"+PONG\r\n");
    let grown = server.vm_size().saturating_sub(before);
    assert!(grown < 64 << 20, "announcing 2 GB grew the address space by {grown} bytes");

    reply(&mut admin, b"CONFIG SET client-query-buffer-limit 1mb\r\n", b"+OK\r\n");
    reply(
        &mut admin,
        b"CONFIG GET client-query-buffer-limit\r\n",
        b"*2\r\n$25\r\nclient-query-buffer-limit\r\n$7\r\n1048576\r\n",
    );
    let mut big = connect(port);
    big.write_all(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n").expect("write");
    // The server closes the connection once 1 MB is buffered; writes after that may fail.
    for _ in 0..30 {
        if big.write_all(&[b'v'; 50_000]).is_err() {
            break;
        }
    }
    assert_eq!(read_until_closed(&mut big), b"", "closed without a reply");
    reply(&mut admin, b"EXISTS k\r\n", b":0\r\n");
    reply(&mut admin, b"PING\r\n", b"+PONG\r\n");
}

/// `maxclients`: the connection over the limit gets Redis's error and is closed.
#[test]
fn maxclients_refuses_the_connection_over_the_limit() {
    let port = start();
    let mut a = connect(port);
    reply(&mut a, b"CONFIG GET maxclients\r\n", b"*2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n");
    reply(&mut a, b"CONFIG SET maxclients 2\r\n", b"+OK\r\n");
    let mut b = connect(port);
    reply(&mut b, b"PING\r\n", b"+PONG\r\n");
    let mut c = connect(port);
    assert_eq!(read_until_closed(&mut c), b"-ERR max number of clients reached\r\n");
    // Once a client leaves, a new one is admitted (the server notices the close shortly).
    drop(b);
    let admitted = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        let mut d = connect(port);
        d.write_all(b"PING\r\n").is_ok() && {
            let mut got = [0u8; 7];
            d.read_exact(&mut got).is_ok() && &got == b"+PONG\r\n"
        }
    });
    assert!(admitted, "a client was admitted after another left");
    reply(&mut a, b"PING\r\n", b"+PONG\r\n");
}

/// A client that sends half a command holds up no one.
#[test]
fn a_slow_client_does_not_hold_up_the_others() {
    let port = start();
    let mut slow = connect(port);
    slow.write_all(b"*2\r\n$3\r\nGET\r\n").expect("write");
    let mut other = connect(port);
    let started = std::time::Instant::now();
    reply(&mut other, b"PING\r\n", b"+PONG\r\n");
    reply(&mut other, b"SET k v\r\n", b"+OK\r\n");
    assert!(started.elapsed() < Duration::from_secs(1), "answered in {:?}", started.elapsed());
    // The slow client's command completes when the rest arrives.
    reply(&mut slow, b"$1\r\nk\r\n", b"$1\r\nv\r\n");
}

#[test]
fn info_counts_the_bytes_reads_and_writes_of_the_socket() {
    let port = start();
    let mut s = connect(port);
    // An inline command counts as typed (6 bytes), not as the RESP array it stands for.
    assert_eq!(roundtrip(&mut s, b"PING\r\n", 7), b"+PONG\r\n");
    // Three pipelined commands in one write: one read, one write of the three replies.
    let ping = b"*1\r\n$4\r\nPING\r\n";
    assert_eq!(roundtrip(&mut s, &ping.repeat(3), 21), b"+PONG\r\n".repeat(3));
    s.write_all(b"INFO stats\r\n").expect("write");
    let mut text = Vec::new();
    let mut buf = [0u8; 65536];
    while !String::from_utf8_lossy(&text).contains("acl_access_denied_channel:") {
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "closed");
        text.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&text).into_owned();
    let field = |name: &str| {
        text.split("\r\n").find_map(|l| l.strip_prefix(&format!("{name}:"))).unwrap_or_default().to_string()
    };
    assert_eq!(field("total_net_input_bytes"), (6 + 3 * ping.len() + 12).to_string());
    assert_eq!(field("total_net_output_bytes"), (7 + 21).to_string());
    assert_eq!(field("total_reads_processed"), "3");
    assert_eq!(field("total_writes_processed"), "2");
    assert_eq!(field("total_commands_processed"), "4");
}

/// Read exactly `expected` (what Redis would send), with no more bytes pending after a moment.
fn expect_exactly(s: &mut TcpStream, expected: &[u8]) {
    assert_eq!(
        String::from_utf8_lossy(&roundtrip(s, b"", expected.len())),
        String::from_utf8_lossy(expected)
    );
    s.set_nonblocking(true).expect("nonblocking");
    std::thread::sleep(Duration::from_millis(50));
    let mut extra = [0u8; 64];
    let left = s.read(&mut extra);
    s.set_nonblocking(false).expect("blocking");
    assert!(
        left.is_err(),
        "unexpected bytes after the frames: {left:?} {:?}",
        String::from_utf8_lossy(&extra)
    );
}

#[test]
fn published_messages_reach_idle_subscribers_at_once() {
    let port = start();
    let mut sub = connect(port);
    let mut sub3 = connect(port);
    let mut publisher = connect(port);
    // All confirmations of a multi-channel SUBSCRIBE, in order.
    sub.write_all(b"SUBSCRIBE news weather\r\n").expect("write");
    expect_exactly(
        &mut sub,
        b"*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$7\r\nweather\r\n:2\r\n",
    );
    // HELLO 3's reply (its size varies with the id), then a PING's to know where it ends.
    sub3.write_all(b"HELLO 3\r\nPING\r\n").expect("write");
    let mut got = Vec::new();
    while !got.ends_with(b"+PONG\r\n") {
        let mut buf = [0u8; 4096];
        let n = sub3.read(&mut buf).expect("read");
        assert!(n > 0, "closed");
        got.extend_from_slice(&buf[..n]);
    }
    sub3.write_all(b"PSUBSCRIBE n*\r\n").expect("write");
    expect_exactly(&mut sub3, b">3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:1\r\n");
    // Another client publishes: both idle subscribers get the message without sending anything.
    assert_eq!(roundtrip(&mut publisher, b"PUBLISH news hi\r\n", 4), b":2\r\n");
    expect_exactly(&mut sub, b"*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
    expect_exactly(&mut sub3, b">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
    // A RESP2 subscriber may not run other commands; PING answers as a message; RESET leaves.
    reply(
        &mut sub,
        b"GET x\r\n",
        b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
    );
    reply(&mut sub, b"PING\r\n", b"*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    reply(&mut sub, b"RESET\r\n", b"+RESET\r\n");
    reply(&mut sub, b"GET x\r\n", b"$-1\r\n");
    assert_eq!(roundtrip(&mut publisher, b"PUBLISH news again\r\n", 4), b":1\r\n");
    expect_exactly(&mut sub3, b">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nagain\r\n");
    // A RESP3 subscriber publishing to itself: the reply, then its message.
    sub3.write_all(b"PUBLISH nx self\r\n").expect("write");
    expect_exactly(&mut sub3, b":1\r\n>4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$2\r\nnx\r\n$4\r\nself\r\n");
    // QUIT closes a subscriber's connection after its OK.
    sub3.write_all(b"QUIT\r\n").expect("write");
    assert_eq!(read_until_closed(&mut sub3), b"+OK\r\n");
    assert_eq!(roundtrip(&mut publisher, b"PUBLISH news gone\r\n", 4), b":0\r\n");
}

#[test]
fn redis_cli_subscribe_receives_another_terminals_publish() {
    let port = start();
    let sub = Command::new("redis-cli")
        .args(["-p", &port.to_string(), "SUBSCRIBE", "room"])
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut sub) = sub else { return eprintln!("redis-cli not installed: skipped") };
    let mut publisher = connect(port);
    // Wait until the subscription exists, then publish.
    for _ in 0..100 {
        if roundtrip(&mut publisher, b"PUBSUB NUMSUB room\r\n", 18).ends_with(b":1\r\n") {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(roundtrip(&mut publisher, b"PUBLISH room hello\r\n", 4), b":1\r\n");
    std::thread::sleep(Duration::from_millis(200));
    sub.kill().ok();
    let out = sub.wait_with_output().expect("output");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "subscribe\nroom\n1\nmessage\nroom\nhello\n");
}

#[test]
fn tracking_invalidations_reach_an_idle_resp3_client() {
    let port = start();
    let mut cache = connect(port);
    let mut writer = connect(port);
    cache.write_all(b"HELLO 3\r\nPING\r\n").expect("write");
    let mut got = Vec::new();
    while !got.ends_with(b"+PONG\r\n") {
        let mut buf = [0u8; 4096];
        let n = cache.read(&mut buf).expect("read");
        assert!(n > 0, "closed");
        got.extend_from_slice(&buf[..n]);
    }
    reply(&mut cache, b"CLIENT TRACKING ON\r\n", b"+OK\r\n");
    reply(&mut cache, b"GET user:1\r\n", b"_\r\n");
    assert_eq!(roundtrip(&mut writer, b"SET user:1 ada\r\n", 5), b"+OK\r\n");
    // The cache connection sent nothing: the invalidation arrives on its own.
    expect_exactly(&mut cache, b">2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\nuser:1\r\n");
    assert_eq!(roundtrip(&mut writer, b"SET user:1 bob\r\n", 5), b"+OK\r\n");
    reply(&mut cache, b"PING\r\n", b"+PONG\r\n");
}

/// A script that loops holds the engine: a client that connects meanwhile is admitted without
/// it, gets Redis's BUSY, and can stop the script with SCRIPT KILL; the caller then gets the
/// kill's error, and the new client's next command runs on the engine.
#[test]
fn a_new_connection_during_a_looping_script_gets_busy_and_can_kill_it() {
    let port = start();
    let mut admin = connect(port);
    reply(&mut admin, b"CONFIG SET busy-reply-threshold 50\r\n", b"+OK\r\n");
    // A RESP3 client gets FUNCTION STATS as a map meanwhile.
    let mut resp3 = connect(port);
    resp3.write_all(b"HELLO 3\r\n").expect("write");
    std::thread::sleep(Duration::from_millis(100));
    let hello = roundtrip(&mut resp3, b"", 3);
    assert!(hello.starts_with(b"%7\r\n"), "{}", String::from_utf8_lossy(&hello));
    let mut looping = connect(port);
    looping.write_all(b"EVAL \"while true do end\" 0\r\n").expect("write");
    std::thread::sleep(Duration::from_millis(200));
    // Connected after the script passed the threshold: never registered yet, answered at once.
    let mut late = connect(port);
    let busy = b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    reply(&mut late, b"PING\r\n", busy);
    reply(&mut late, b"FUNCTION KILL\r\n", busy);
    let stats = roundtrip(&mut late, b"FUNCTION STATS\r\n", 200);
    assert!(
        stats.starts_with(b"*4\r\n$14\r\nrunning_script\r\n*6\r\n"),
        "{}",
        String::from_utf8_lossy(&stats)
    );
    let stats = roundtrip(&mut resp3, b"FUNCTION STATS\r\n", 150);
    assert!(
        stats.starts_with(b"%2\r\n$14\r\nrunning_script\r\n%3\r\n"),
        "{}",
        String::from_utf8_lossy(&stats)
    );
    let mut quitting = connect(port);
    quitting.write_all(b"QUIT\r\n").expect("write");
    assert_eq!(read_until_closed(&mut quitting), b"+OK\r\n");
    reply(&mut late, b"SCRIPT KILL\r\n", b"+OK\r\n");
    let killed = read_line(&mut looping);
    assert!(killed.starts_with("-ERR Script killed by user with SCRIPT KILL..."), "{killed}");
    reply(&mut late, b"PING\r\n", b"+PONG\r\n");
    reply(&mut late, b"SCRIPT KILL\r\n", b"-NOTBUSY No scripts in execution right now.\r\n");
    // It is a client of the engine now, as the others are.
    reply(&mut late, b"CLIENT SETNAME late\r\n", b"+OK\r\n");
    admin.write_all(b"CLIENT LIST\r\n").expect("write");
    let (_, list) = (read_line(&mut admin), read_line(&mut admin));
    assert!(list.contains("name=late"), "{list}");
}

/// Read one line (through its CRLF).
fn read_line(s: &mut TcpStream) -> String {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\r\n") && s.read(&mut byte).expect("read") == 1 {
        line.push(byte[0]);
    }
    String::from_utf8_lossy(&line).into_owned()
}

/// DEBUG SLEEP answers when the sleep is over, in a script too (which holds the engine that
/// long), so the clients' clocks agree with the engine's afterwards: a key set with PX 1 after
/// a script that slept still expires 5 ms later (the engine's clock had stood still).
#[test]
fn debug_sleep_answers_when_the_sleep_is_over() {
    let port = start();
    let mut s = connect(port);
    let started = std::time::Instant::now();
    reply(&mut s, b"DEBUG SLEEP 0.1\r\n", b"+OK\r\n");
    assert!(started.elapsed() >= Duration::from_millis(100), "{:?}", started.elapsed());
    reply(&mut s, b"DEBUG SET-DISABLE-DENY-SCRIPTS 1\r\n", b"+OK\r\n");
    reply(&mut s, b"DEBUG SET-ACTIVE-EXPIRE 0\r\n", b"+OK\r\n");
    let started = std::time::Instant::now();
    let script = "redis.call('SET', 'key', 'v', 'PX', '1') redis.call('DEBUG', 'SLEEP', '0.1') return redis.call('EXISTS', 'key')";
    let eval = format!("*4\r\n$4\r\nEVAL\r\n${}\r\n{script}\r\n$1\r\n1\r\n$3\r\nkey\r\n", script.len());
    // Time stands still inside the script: the key still exists there.
    reply(&mut s, eval.as_bytes(), b":1\r\n");
    assert!(started.elapsed() >= Duration::from_millis(100), "{:?}", started.elapsed());
    reply(&mut s, b"EXISTS key\r\n", b":0\r\n");
    reply(&mut s, b"SET key v PX 1\r\n", b"+OK\r\n");
    std::thread::sleep(Duration::from_millis(5));
    reply(&mut s, b"EVAL \"return redis.call('EXISTS', 'key')\" 1 key\r\n", b":0\r\n");
}
