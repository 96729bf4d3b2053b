//! Benchmark of `playground-proxy serve` against a local TLS redis-server with a password.
//!
//! Prints a table: round-trip latency (PING, one at a time) direct vs through the proxy, the
//! added latency at p50/p99 (goal: <= 150 us at p50), pipelined throughput (messages of 1000
//! SETs) direct vs proxy, then a load run of 500 WebSocket clients pipelining for
//! BENCH_LOAD_SECS seconds (default 60) with its error count and memory.

#[path = "../tests/serve_support/mod.rs"]
mod serve_support;

use serve_support::*;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(bench());
}

async fn bench() {
    let pki = Pki::new("bench");
    let redis = Redis::tls(&pki);
    let mut a = args(&redis.url(), Some(&pki.ca));
    a.max_frame = 8 * 1024 * 1024;
    a.max_pipeline = 10_000;
    let proxy = Proxy::start(&a).await;
    let mut up = direct(&proxy.state).await;
    let mut ws = proxy.connect().await;
    let ping = encode(&[&["PING"]]);

    const ROUNDS: usize = 5000;
    for _ in 0..200 {
        direct_call(&mut up, &[&["PING"]]).await;
        ws.call(&[&["PING"]]).await;
    }
    let mut direct_t = Vec::with_capacity(ROUNDS);
    let mut proxy_t = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        direct_call(&mut up, &[&["PING"]]).await;
        direct_t.push(t.elapsed());
        let t = Instant::now();
        ws.send_raw(ping.clone()).await;
        let _ = ws.recv_bin().await;
        proxy_t.push(t.elapsed());
    }
    direct_t.sort();
    proxy_t.sort();
    println!("round trip (PING, {ROUNDS} sequential), TLS redis-server on loopback");
    println!("{:<10} {:>10} {:>10} {:>10}", "", "p50 us", "p90 us", "p99 us");
    for (name, v) in [("direct", &direct_t), ("proxy", &proxy_t)] {
        println!(
            "{name:<10} {:>10.1} {:>10.1} {:>10.1}",
            us(percentile(v, 0.5)),
            us(percentile(v, 0.9)),
            us(percentile(v, 0.99))
        );
    }
    let added50 = us(percentile(&proxy_t, 0.5)) - us(percentile(&direct_t, 0.5));
    let added99 = us(percentile(&proxy_t, 0.99)) - us(percentile(&direct_t, 0.99));
    println!(
        "added      {added50:>10.1} {:>10} {added99:>10.1}   (goal p50 <= 150 us: {})",
        "",
        if added50 <= 150.0 { "met" } else { "MISSED" }
    );

    // Pipelined throughput: messages of 1000 SETs.
    const BATCH: usize = 1000;
    const BATCHES: usize = 50;
    let keys: Vec<String> = (0..BATCH).map(|i| format!("bench:{i}")).collect();
    let cmds: Vec<[&str; 3]> =
        keys.iter().map(|k| ["SET", k.as_str(), "value-of-some-length-32-bytes!!"]).collect();
    let refs: Vec<&[&str]> = cmds.iter().map(|c| &c[..]).collect();
    let payload = encode(&refs);
    let t = Instant::now();
    for _ in 0..BATCHES {
        up.send(&payload, Duration::from_secs(10)).await.unwrap();
        let mut out = Vec::new();
        for _ in 0..BATCH {
            up.read_reply(&mut out, Some(Duration::from_secs(10))).await.unwrap();
        }
    }
    let direct_ops = (BATCH * BATCHES) as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..BATCHES {
        ws.send_raw(payload.clone()).await;
        let r = ws.recv_bin().await;
        assert_eq!(r.len(), BATCH * 5);
    }
    let proxy_ops = (BATCH * BATCHES) as f64 / t.elapsed().as_secs_f64();
    println!();
    println!("pipelined SET ({BATCHES} messages x {BATCH})");
    println!("{:<10} {:>14}", "", "ops/s");
    println!("{:<10} {:>14.0}", "direct", direct_ops);
    println!("{:<10} {:>14.0}   ({:.0}% of direct)", "proxy", proxy_ops, 100.0 * proxy_ops / direct_ops);

    let secs: u64 = std::env::var("BENCH_LOAD_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    if secs > 0 {
        let rss0 = rss_kib();
        let t = Instant::now();
        let r = run_load(&proxy, 500, 12, Duration::from_secs(secs), u64::MAX).await;
        let el = t.elapsed().as_secs_f64();
        println!();
        println!("load: 500 WebSocket clients x 12-command pipelines for {secs} s");
        println!("{:<14} {:>12}", "messages", r.messages);
        println!("{:<14} {:>12.0}", "commands/s", r.commands as f64 / el);
        println!("{:<14} {:>12}", "errors", r.errors);
        println!("{:<14} {:>12}", "RSS growth MiB", rss_kib().saturating_sub(rss0) / 1024);
        if let Some(e) = r.first_error {
            println!("first error: {e}");
        }
    }
}
