//! The vector benchmark in the browser: `bench_vectors(n, queries, data_salt, query_salt)`,
//! exported by the lazily loaded module (`src/bin/labs.rs`), builds our HNSW on the benchmark's
//! clustered data and times its queries (the wasm rows of
//! `cargo run --profile fast -p playground-engine --example vector_bench`, through
//! `tests/e2e/vector_wasm.mjs`).

use playground_engine::search::hnsw::{Hnsw, Params};
use playground_engine::search::vector::{Element, Metric};

/// The benchmark's data, generated in the browser from the very file the recall test and the
/// native benchmark use.
#[path = "../crates/engine/tests/clustered/mod.rs"]
mod clustered;

/// The EF_RUNTIME values the native benchmark reports.
const EFS: [usize; 5] = [10, 20, 40, 80, 160];
const K: usize = 10;

fn unit(v: &[f32]) -> Vec<f32> {
    let mut v = v.to_vec();
    f32::normalize(&mut v);
    v
}

/// Build an HNSW index (COSINE, M=16, EF_CONSTRUCTION=200) over `n` clustered vectors and run
/// `queries` KNN 10 queries at each EF; returns JSON `{build_per_s, rows: [{ef, ms, recall}]}`
/// with recall@10 against brute force computed here too.
pub fn bench_vectors(n: u32, queries: u32, data_salt: u32, query_salt: u32) -> String {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else { return "{}".into() };
    let data: Vec<Vec<f32>> =
        clustered::dataset(n as usize, u64::from(data_salt)).iter().map(|v| unit(v)).collect();
    let asks: Vec<Vec<f32>> =
        clustered::dataset(queries as usize, u64::from(query_salt)).iter().map(|v| unit(v)).collect();
    let truth: Vec<Vec<u64>> = asks
        .iter()
        .map(|q| {
            let mut all: Vec<(f64, u64)> = data
                .iter()
                .enumerate()
                .map(|(i, v)| (f32::distance(Metric::Cosine, q, v), i as u64))
                .collect();
            playground_engine::search::vector::sort_by_distance(&mut all);
            all.into_iter().take(K).map(|x| x.1).collect()
        })
        .collect();
    let start = perf.now();
    let mut index = Hnsw::<f32>::new(clustered::DIM, Metric::Cosine, Params::default(), 7);
    for (i, v) in data.iter().enumerate() {
        index.insert(i as u64, v);
    }
    let build_secs = (perf.now() - start) / 1_000.0;
    let rows: Vec<serde_json::Value> = EFS
        .iter()
        .map(|&ef| {
            let start = perf.now();
            let got: Vec<Vec<u64>> =
                asks.iter().map(|q| index.knn(q, K, ef, None).into_iter().map(|x| x.1).collect()).collect();
            let ms = (perf.now() - start) / asks.len().max(1) as f64;
            let hits: usize =
                got.iter().zip(&truth).map(|(g, t)| g.iter().filter(|x| t.contains(x)).count()).sum();
            let recall = hits as f64 / (truth.len().max(1) * K) as f64;
            serde_json::json!({ "ef": ef, "ms": ms, "recall": recall })
        })
        .collect();
    let build_per_s = if build_secs > 0.0 { f64::from(n) / build_secs } else { 0.0 };
    serde_json::json!({ "build_per_s": build_per_s, "rows": rows }).to_string()
}
