//! `playground-proxy emulate` with real clients: raw RESP, pipelining, inline commands,
//! blocking across clients, protocol errors, and Debian's redis-cli and redis-benchmark.

use playground_proxy::emulate::{serve, Shared};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

/// Start the emulator on a free port in a background runtime; returns the port.
fn start() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            serve(listener, Shared::new(7)).await.expect("serve");
        });
    });
    port
}

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

/// redis-py (from PyPI, in a venv under target/) in RESP2 and RESP3.
#[test]
fn redis_py_works_in_resp2_and_resp3() {
    let port = start();
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
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/redis_py_check.py");
    let out = Command::new(&python).arg(script).arg(port.to_string()).output().expect("run check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "redis-py check failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("RESP2: ok") && text.contains("RESP3: ok"), "{text}");
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
