//! Recall of our HNSW against brute force on clustered vectors (fixed seed), through the public
//! FT.* commands: at the default EF_RUNTIME, and after deleting half the points.

use bytes::Bytes;
use playground_engine::{Engine, Frame};

mod clustered;
use clustered::{dataset, DIM};

fn blob(v: &[f32]) -> Bytes {
    Bytes::from(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>())
}

fn cmd(parts: &[&str]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    1.0 - dot / (na * nb)
}

fn knn_keys(engine: &mut Engine, c: u64, q: &[f32]) -> Vec<Bytes> {
    let mut args = cmd(&["FT.SEARCH", "idx:r", "*=>[KNN 10 @v $q]", "NOCONTENT", "PARAMS", "2", "q"]);
    args.push(blob(q));
    args.extend(cmd(&["DIALECT", "2"]));
    match engine.execute(c, args, 0) {
        Frame::Array(items) => {
            items.iter().skip(1).filter_map(|f| f.as_bytes().map(Bytes::copy_from_slice)).collect()
        }
        other => panic!("unexpected reply {other:?}"),
    }
}

fn recall(engine: &mut Engine, c: u64, data: &[(Bytes, Vec<f32>)], queries: &[Vec<f32>]) -> f64 {
    let mut hits = 0;
    for q in queries {
        let mut truth: Vec<(f32, &Bytes)> = data.iter().map(|(k, v)| (cosine(q, v), k)).collect();
        truth.sort_by(|a, b| a.0.total_cmp(&b.0));
        let truth: Vec<&Bytes> = truth.iter().take(10).map(|t| t.1).collect();
        let got = knn_keys(engine, c, q);
        assert_eq!(got.len(), 10);
        hits += got.iter().filter(|k| truth.contains(k)).count();
    }
    hits as f64 / (queries.len() * 10) as f64
}

#[test]
fn recall_at_default_ef_and_after_deleting_half() {
    // Debug builds are ~30x slower than release: 1000 points here, 10k in the benchmark.
    let n = if cfg!(debug_assertions) { 1000 } else { 10_000 };
    let dim = DIM.to_string();
    let points = dataset(n, 1);
    let mut engine = Engine::new(5, 0);
    let c = engine.connect(0);
    let create = cmd(&[
        "FT.CREATE",
        "idx:r",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "r:",
        "SCHEMA",
        "v",
        "VECTOR",
        "HNSW",
        "6",
        "TYPE",
        "FLOAT32",
        "DIM",
        &dim,
        "DISTANCE_METRIC",
        "COSINE",
    ]);
    assert_eq!(engine.execute(c, create, 0), Frame::ok());
    let mut data = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let key = Bytes::from(format!("r:{i}"));
        let mut args = vec![Bytes::from_static(b"HSET"), key.clone(), Bytes::from_static(b"v")];
        args.push(blob(p));
        assert_eq!(engine.execute(c, args, 0), Frame::Integer(1));
        data.push((key, p.clone()));
    }
    let queries: Vec<Vec<f32>> = dataset(50, 7);
    let r = recall(&mut engine, c, &data, &queries);
    assert!(r >= 0.95, "recall@10 {r}");
    // Delete every other point (DEL), then search again: deleted keys never come back.
    for (key, _) in data.iter().step_by(2) {
        assert_eq!(engine.execute(c, vec![Bytes::from_static(b"DEL"), key.clone()], 0), Frame::Integer(1));
    }
    // The page's views work on the live graph.
    let layers = playground_engine::search::inspect(&engine, "idx:r").expect("an HNSW index");
    assert_eq!(layers.layers.first().map(Vec::len), Some(n / 2));
    let (found, trace) =
        playground_engine::search::trace_knn(&engine, "idx:r", "v", &blob(&queries[0]), 10).expect("index");
    assert_eq!(found.len(), 10);
    assert!(!trace.is_empty());
    let kept: Vec<(Bytes, Vec<f32>)> = data.into_iter().skip(1).step_by(2).collect();
    let r = recall(&mut engine, c, &kept, &queries);
    assert!(r >= 0.95, "recall@10 after deletes {r}");
    let info = engine.execute(c, cmd(&["FT.INFO", "idx:r"]), 0);
    let Frame::Map(pairs) = info else { panic!("FT.INFO reply") };
    let num_docs = pairs.iter().find(|(k, _)| k.as_bytes() == Some(b"num_docs")).map(|(_, v)| v.clone());
    assert_eq!(num_docs, Some(Frame::Integer((n / 2) as i64)));
}
