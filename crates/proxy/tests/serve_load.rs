//! 500 concurrent WebSocket clients pipelining through the proxy for a bounded time: every
//! reply checked, no errors, memory bounded, every session released afterwards.
//! (Throughput and latency numbers are printed by `cargo bench --bench serve_bench`.)

mod serve_support;

use serve_support::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_clients_pipelining() {
    let redis = Redis::plain();
    let mut a = args(&redis.url(), None);
    a.max_sessions = 600;
    let proxy = Proxy::start(&a).await;
    let rss_before = rss_kib();
    let r = run_load(&proxy, 500, 12, Duration::from_secs(8), 200).await;
    assert_eq!(r.errors, 0, "first error: {:?}", r.first_error);
    assert_eq!(r.clients, 500);
    assert!(r.messages >= 500, "every client completed at least one round trip: {r:?}");
    let grown_mib = rss_kib().saturating_sub(rss_before) / 1024;
    assert!(grown_mib < 512, "memory grew by {grown_mib} MiB for 500 sessions");
    // Sessions (and their Redis connections) are released when the pages leave.
    for _ in 0..100 {
        if proxy.state.sessions_open() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(proxy.state.sessions_open(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_ip_and_total_session_limits() {
    let redis = Redis::plain();
    let mut a = args(&redis.url(), None);
    a.max_per_ip = 3;
    let proxy = Proxy::start(&a).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(proxy.connect().await);
    }
    match Ws::connect(&proxy.ws_url(), Some(ORIGIN)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => assert_eq!(resp.status().as_u16(), 429),
        other => panic!("expected 429, got {:?}", other.map(|_| ())),
    }
    let mut first = held.remove(0);
    assert_eq!(first.call(&[&["PING"]]).await, b"+PONG\r\n");
    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = proxy.connect().await;
    assert_eq!(again.call(&[&["PING"]]).await, b"+PONG\r\n");
}
