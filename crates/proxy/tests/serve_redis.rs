//! `playground-proxy serve` against a real redis-server with TLS (throwaway CA) and a password.

mod serve_support;

use serve_support::*;
use std::time::Duration;

async fn setup() -> (Pki, Redis, Proxy) {
    let pki = Pki::new("main");
    let redis = Redis::tls(&pki);
    let proxy = Proxy::start(&args(&redis.url(), Some(&pki.ca))).await;
    (pki, redis, proxy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_are_the_same_bytes_as_direct() {
    let (_pki, _redis, proxy) = setup().await;
    // Two databases so the proxy and the direct connection run the same script on equal state.
    let script: &[&[&str]] = &[
        &["SET", "k", "v\r\n\0bin"],
        &["GET", "k"],
        &["GET", "missing"],
        &["INCR", "n"],
        &["INCRBYFLOAT", "n", "1.5"],
        &["LPUSH", "l", "a", "b", "c"],
        &["LRANGE", "l", "0", "-1"],
        &["HSET", "h", "f1", "1", "f2", "2"],
        &["HGETALL", "h"],
        &["LPUSH", "k", "x"],
        &["NOSUCHCOMMAND", "a"],
        &["GET"],
        &["ZADD", "z", "1.5", "m", "2", "n"],
        &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        &["MULTI"],
        &["INCR", "n2"],
        &["GET", "k"],
        &["EXEC"],
    ];
    // RESP3 replies (maps, doubles, sets, nulls) after HELLO 3, whose reply holds the client id.
    let resp3: &[&[&str]] = &[
        &["HGETALL", "h"],
        &["ZSCORE", "z", "m"],
        &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        &["SMEMBERS", "nosuchset"],
        &["GET", "missing"],
    ];
    let mut ws = proxy.connect().await;
    assert_eq!(ws.call(&[&["SELECT", "1"]]).await, b"+OK\r\n");
    // All in one message (pipelined) ...
    let via_proxy = ws.call(script).await;
    let mut up = direct(&proxy.state).await;
    direct_call(&mut up, &[&["SELECT", "2"]]).await;
    let via_direct = direct_call(&mut up, script).await;
    assert_eq!(text(&via_proxy), text(&via_direct));
    assert_eq!(split_replies(&via_proxy).len(), script.len());
    let hello_proxy = ws.call(&[&["HELLO", "3"]]).await;
    let hello_direct = direct_call(&mut up, &[&["HELLO", "3"]]).await;
    assert!(hello_proxy.starts_with(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), "{}", text(&hello_proxy));
    assert_eq!(hello_proxy.len(), hello_direct.len());
    let via_proxy = ws.call(resp3).await;
    let via_direct = direct_call(&mut up, resp3).await;
    assert_eq!(text(&via_proxy), text(&via_direct));
    assert!(text(&via_proxy).contains(",1.5\r\n"));

    // ... and as many messages in flight, replies in order.
    let mut ws = proxy.connect().await;
    ws.call(&[&["SELECT", "3"]]).await;
    for i in 0..50 {
        let v = format!("v{i}");
        ws.send_raw(encode(&[&["SET", "seq", &v], &["GET", "seq"]])).await;
    }
    for i in 0..50 {
        let got = ws.recv_bin().await;
        assert_eq!(text(&got), format!("+OK\r\n${}\r\nv{i}\r\n", format!("v{i}").len()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_commands_get_a_clear_error_and_the_session_goes_on() {
    let (_pki, _redis, proxy) = setup().await;
    let mut ws = proxy.connect().await;
    let got = ws
        .call(&[&["SET", "a", "1"], &["FLUSHALL"], &["CONFIG", "SET", "maxmemory", "1"], &["GET", "a"]])
        .await;
    assert_eq!(
        text(&got),
        "+OK\r\n\
         -ERR playground-proxy: FLUSHALL is disabled on this proxy (start it with --allow-dangerous on a scratch instance)\r\n\
         -ERR playground-proxy: CONFIG SET is disabled on this proxy (start it with --allow-dangerous on a scratch instance)\r\n\
         $1\r\n1\r\n"
    );
    // KEYS is allowed (with a log warning).
    assert_eq!(text(&ws.call(&[&["KEYS", "a"]]).await), "*1\r\n$1\r\na\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_prefix_jail() {
    let pki = Pki::new("jail");
    let redis = Redis::tls(&pki);
    let mut a = args(&redis.url(), Some(&pki.ca));
    a.key_prefix = Some("pg:".into());
    let proxy = Proxy::start(&a).await;
    let mut up = direct(&proxy.state).await;
    direct_call(&mut up, &[&["SET", "outside", "x"]]).await;
    let mut ws = proxy.connect().await;
    let got = ws.call(&[&["SET", "pg:a", "1"], &["GET", "outside"], &["KEYS", "*"], &["SCAN", "0"]]).await;
    let replies = split_replies(&got);
    assert_eq!(text(&replies[0]), "+OK\r\n");
    assert_eq!(
        text(&replies[1]),
        "-ERR playground-proxy: key 'outside' is outside the prefix 'pg:' this proxy is jailed to\r\n"
    );
    assert_eq!(text(&replies[2]), "*1\r\n$4\r\npg:a\r\n");
    assert_eq!(text(&replies[3]), "*2\r\n$1\r\n0\r\n*1\r\n$4\r\npg:a\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_origin_is_refused_and_others_still_served() {
    let (_pki, _redis, proxy) = setup().await;
    let err =
        Ws::connect(&proxy.ws_url(), Some("https://evil.example")).await.err().expect("must be refused");
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => {
            assert_eq!(resp.status().as_u16(), 403);
            let body = String::from_utf8_lossy(resp.body().as_deref().unwrap_or_default()).into_owned();
            assert!(body.contains("origin https://evil.example is not allowed"), "{body}");
        }
        other => panic!("unexpected {other:?}"),
    }
    let (status, _) = http_get(&proxy.http_url("/health"), Some("https://evil.example")).await;
    assert_eq!(status, 403);
    let mut ws = proxy.connect().await;
    assert_eq!(ws.call(&[&["PING"]]).await, b"+PONG\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_token_is_required_when_set() {
    let pki = Pki::new("token");
    let redis = Redis::tls(&pki);
    let mut a = args(&redis.url(), Some(&pki.ca));
    a.token = Some("tok-123456".into());
    let proxy = Proxy::start(&a).await;
    assert!(Ws::connect(&proxy.ws_url(), Some(ORIGIN)).await.is_err());
    let mut ws = Ws::connect(&format!("{}?token=tok-123456", proxy.ws_url()), Some(ORIGIN)).await.unwrap();
    assert_eq!(ws.call(&[&["PING"]]).await, b"+PONG\r\n");
    let (status, _) = http_get(&proxy.http_url("/health"), Some(ORIGIN)).await;
    assert_eq!(status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_malformed_frames_close_only_that_session() {
    let (_pki, _redis, proxy) = setup().await;
    let mut bystander = proxy.connect().await;
    assert_eq!(bystander.call(&[&["SET", "b", "1"]]).await, b"+OK\r\n");

    let mut big = proxy.connect().await;
    let huge = "x".repeat(2 * 1024 * 1024);
    big.send_raw(encode(&[&["SET", "big", &huge]])).await;
    let (code, reason) = big.recv_close().await.expect("close frame");
    assert_eq!(code, 1009, "{reason}");
    assert!(reason.contains("larger than 1048576 bytes"), "{reason}");

    let mut bad = proxy.connect().await;
    bad.send_raw(b"*2\r\n$3\r\nGET\r\n:1\r\n".to_vec()).await;
    let reply = bad.recv_bin().await;
    assert_eq!(text(&reply), "-ERR Protocol error: expected '$', got ':'\r\n");
    assert_eq!(bad.recv_close().await.map(|c| c.0), Some(1007));

    let mut partial = proxy.connect().await;
    partial.send_raw(b"*2\r\n$3\r\nGET\r\n".to_vec()).await;
    assert!(text(&partial.recv_bin().await).contains("incomplete command"));

    assert_eq!(bystander.call(&[&["GET", "b"]]).await, b"$1\r\n1\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_is_reported_without_the_password() {
    let pki = Pki::new("wrongpw");
    let redis = Redis::tls(&pki);
    let url = format!("rediss://default:not-the-Password-9@localhost:{}", redis.port);
    let proxy = Proxy::start(&args(&url, Some(&pki.ca))).await;
    let mut ws = proxy.connect().await;
    let got = text(&ws.call(&[&["PING"], &["GET", "x"]]).await);
    assert!(
        got.starts_with("-ERR playground-proxy: Redis rejected the proxy's credentials: WRONGPASS"),
        "{got}"
    );
    assert_eq!(split_replies(got.as_bytes()).len(), 2);
    assert!(!got.contains("not-the-Password-9"), "{got}");
    let (status, health) = http_get(&proxy.http_url("/health"), Some(ORIGIN)).await;
    assert_eq!(status, 200);
    assert_eq!(health["upstream"]["state"], "down");
    let body = health.to_string();
    assert!(body.contains("WRONGPASS") && !body.contains("not-the-Password-9"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_from_another_ca_is_refused() {
    let server_pki = Pki::new("server-ca");
    let other_pki = Pki::new("other-ca");
    let redis = Redis::tls(&server_pki);
    let proxy = Proxy::start(&args(&redis.url(), Some(&other_pki.ca))).await;
    let mut ws = proxy.connect().await;
    let got = text(&ws.call(&[&["PING"]]).await);
    assert!(got.starts_with("-ERR playground-proxy: TLS handshake with Redis at localhost:"), "{got}");
    assert!(got.contains("invalid peer certificate: UnknownIssuer"), "{got}");
    assert!(!got.contains(PASSWORD));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_version_and_modules() {
    let (_pki, _redis, proxy) = setup().await;
    let (status, h) = http_get(&proxy.http_url("/health"), Some(ORIGIN)).await;
    assert_eq!(status, 200);
    assert_eq!(h["upstream"]["state"], "up", "{h}");
    assert_eq!(h["upstream"]["server"], "redis");
    assert!(h["upstream"]["version"].as_str().unwrap().starts_with("7."), "{h}");
    assert_eq!(h["upstream"]["modules"], serde_json::json!([]));
    assert_eq!(h["upstream"]["search"], false);
    assert_eq!(h["tls"], true);
    assert_eq!(h["auth"], "password");
    assert!(!h.to_string().contains(PASSWORD), "{h}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_session_then_restarted() {
    let (_pki, mut redis, proxy) = setup().await;
    let mut ws = proxy.connect().await;
    assert_eq!(ws.call(&[&["SET", "r", "1"]]).await, b"+OK\r\n");
    redis.kill();
    let got = text(&ws.call(&[&["GET", "r"]]).await);
    assert!(got.starts_with("-ERR playground-proxy: "), "{got}");
    assert!(got.contains("the next command reconnects"), "{got}");
    let got = text(&ws.call(&[&["PING"]]).await);
    assert!(got.contains("cannot reach Redis at localhost:"), "{got}");
    assert!(redis.start(), "restart");
    assert_eq!(ws.call(&[&["PING"]]).await, b"+PONG\r\n");
    let mut other = proxy.connect().await;
    assert_eq!(other.call(&[&["PING"]]).await, b"+PONG\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_redis_times_out_with_a_clear_error() {
    // A TCP server that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let mut a = args(&format!("redis://127.0.0.1:{port}"), None);
    a.upstream_timeout = 1;
    let proxy = Proxy::start(&a).await;
    let mut ws = proxy.connect().await;
    let started = std::time::Instant::now();
    let got = text(&ws.call(&[&["PING"]]).await);
    assert_eq!(
        got,
        "-ERR playground-proxy: Redis did not answer within 1s (the next command reconnects; MULTI, WATCH and SELECT state is lost)\r\n"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_are_closed() {
    let pki = Pki::new("idle");
    let redis = Redis::tls(&pki);
    let mut a = args(&redis.url(), Some(&pki.ca));
    a.idle_timeout = 1;
    let proxy = Proxy::start(&a).await;
    let mut ws = proxy.connect().await;
    assert_eq!(ws.call(&[&["PING"]]).await, b"+PONG\r\n");
    assert_eq!(ws.recv_close().await, Some((4000, "idle timeout".to_string())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_stay_out_of_replies_and_reset_keeps_the_session_usable() {
    let (_pki, _redis, proxy) = setup().await;
    let mut ws = proxy.connect().await;
    let got = text(&ws.call(&[&["CONFIG", "GET", "*"], &["CONFIG", "GET", "requirepass"]]).await);
    assert!(!got.contains(PASSWORD), "{got}");
    assert!(got.contains("would reveal 'requirepass'"), "{got}");
    // RESET drops authentication on Redis; the proxy reconnects (and re-authenticates) after it.
    assert_eq!(text(&ws.call(&[&["RESET"]]).await), "+RESET\r\n");
    assert_eq!(ws.call(&[&["PING"]]).await, b"+PONG\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_commands_may_outlast_the_upstream_timeout() {
    let pki = Pki::new("blocking");
    let redis = Redis::tls(&pki);
    let mut a = args(&redis.url(), Some(&pki.ca));
    a.upstream_timeout = 1;
    let proxy = Proxy::start(&a).await;
    let mut ws = proxy.connect().await;
    // BLPOP waits 2 s for nothing: the reply is Redis's null array, not a proxy timeout.
    assert_eq!(text(&ws.call(&[&["BLPOP", "nothing-here", "2"]]).await), "*-1\r\n");
}
