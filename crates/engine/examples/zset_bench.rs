//! Sorted-set timings at 100k members: prints a table (run with `--release`).
//!
//! `cargo run -p playground-engine --release --example zset_bench`

use bytes::Bytes;
use playground_engine::Engine;
use std::time::Instant;

fn cmd(parts: &[&str]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect()
}

fn main() {
    let mut engine = Engine::new(1, 0);
    let client = engine.connect(0);
    let n = 100_000;
    let start = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let mut parts = vec!["ZADD".to_string(), "big".to_string()];
        for i in chunk {
            parts.push(((i * 7919) % n).to_string());
            parts.push(format!("member:{i}"));
        }
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        engine.execute(client, cmd(&refs), 0);
    }
    println!("{:<44} {:>12}", "operation", "time per op");
    println!("{:<44} {:>10.2?}", format!("ZADD {n} members (1000 per call), total"), start.elapsed());
    let cases: &[(&str, &[&str])] = &[
        ("ZRANK of the last member", &["ZRANK", "big", "member:99999"]),
        ("ZREVRANK", &["ZREVRANK", "big", "member:1"]),
        ("ZRANGE 99990 99999", &["ZRANGE", "big", "99990", "99999"]),
        ("ZRANGE -10 -1", &["ZRANGE", "big", "-10", "-1"]),
        ("ZRANGE 50000 50010 REV", &["ZRANGE", "big", "50000", "50010", "REV"]),
        ("ZRANGEBYSCORE 50000 50010", &["ZRANGEBYSCORE", "big", "50000", "50010"]),
        ("ZCOUNT 1000 90000", &["ZCOUNT", "big", "1000", "90000"]),
        ("ZSCORE", &["ZSCORE", "big", "member:5"]),
        ("ZADD update one member", &["ZADD", "big", "12.5", "member:5"]),
    ];
    for (name, parts) in cases {
        let reps = 200;
        let t = Instant::now();
        for _ in 0..reps {
            engine.execute(client, cmd(parts), 0);
        }
        println!("{:<44} {:>10.2?}", name, t.elapsed() / reps);
    }
}
