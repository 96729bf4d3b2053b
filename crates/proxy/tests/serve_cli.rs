//! The real binary: `playground-proxy serve` configured from environment variables, serving
//! /health and /ws, with the password absent from everything it prints.

mod serve_support;

use serve_support::*;
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_serves_from_env_and_never_logs_the_password() {
    let pki = Pki::new("cli");
    let redis = Redis::tls(&pki);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_playground-proxy"))
        .arg("serve")
        .env("PLAYGROUND_LISTEN", format!("127.0.0.1:{port}"))
        .env("PLAYGROUND_REDIS_URL", redis.url())
        .env("PLAYGROUND_CA_FILE", &pki.ca)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up, "proxy did not start");
    let (status, h) = http_get(&format!("{base}/health"), Some(ORIGIN)).await;
    assert_eq!((status, h["upstream"]["state"].as_str()), (200, Some("up")), "{h}");
    let mut ws = Ws::connect(&format!("ws://127.0.0.1:{port}/ws"), Some(ORIGIN)).await.unwrap();
    let got = text(&ws.call(&[&["SET", "cli", "1"], &["FLUSHALL"], &["GET", "cli"]]).await);
    assert!(
        got.starts_with("+OK\r\n-ERR playground-proxy: FLUSHALL is disabled")
            && got.ends_with("\r\n$1\r\n1\r\n"),
        "{got}"
    );
    drop(ws);
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(log.contains("rediss://***@localhost:"), "{log}");
    assert!(!log.contains(PASSWORD), "{log}");
}

#[test]
fn bad_url_fails_with_a_clear_message_and_no_password() {
    let out = Command::new(env!("CARGO_BIN_EXE_playground-proxy"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("PLAYGROUND_REDIS_URL", "http://admin:Hunter2-Secret@example.invalid:1")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--redis URL scheme must be rediss:// or redis://"), "{err}");
    assert!(!err.contains("Hunter2-Secret"), "{err}");
}
