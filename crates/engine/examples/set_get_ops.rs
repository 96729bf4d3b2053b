//! The same SET+GET loop as the page's `benchEngine` hook (src/debug.rs), natively, so
//! `tests/e2e/measure.mjs` can print the browser's speed as a ratio of native. Prints one
//! number: commands per second, the best of `runs`.
//! `cargo run --release -p playground-engine --example set_get_ops -- 200000 5`

use bytes::Bytes;
use playground_engine::Engine;
use std::time::Instant;

fn main() {
    let pairs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let runs: usize = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut best = 0.0f64;
    for _ in 0..runs {
        let mut engine = Engine::new(1, 0);
        let client = engine.connect(0);
        let keys: Vec<Bytes> = (0..1_000).map(|i| Bytes::from(format!("bench:{i}"))).collect();
        let value = Bytes::from_static(b"some cached answer from a model");
        let start = Instant::now();
        for i in 0..pairs {
            let key = keys[i % keys.len()].clone();
            engine.execute(client, vec![Bytes::from_static(b"SET"), key.clone(), value.clone()], 0);
            engine.execute(client, vec![Bytes::from_static(b"GET"), key], 0);
        }
        best = best.max(pairs as f64 * 2.0 / start.elapsed().as_secs_f64());
    }
    println!("{best:.0}");
}
