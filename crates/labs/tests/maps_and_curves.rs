//! The 2-D map and the threshold curve.

use playground_labs::pca::Projection;
use playground_labs::threshold::{curve, Judgement};
use playground_labs::workload::{Generator, Workload};

#[test]
fn pca_keeps_clusters_apart() {
    let mut points = Vec::new();
    for i in 0..10 {
        let jitter = i as f32 * 0.01;
        points.push(vec![1.0 + jitter, 0.0, 0.1, 0.0]);
        points.push(vec![-1.0 - jitter, 0.0, 0.1, 0.0]);
    }
    let map = Projection::fit(&points);
    let (a, _) = map.project(&points[0]);
    let (b, _) = map.project(&points[1]);
    assert!((a - b).abs() > 1.5, "clusters at {a} and {b}");
    let empty = Projection::fit(&[]);
    assert_eq!(empty.project(&[]), (0.0, 0.0));
}

#[test]
fn raising_the_threshold_trades_hit_rate_for_precision() {
    let judgements = [
        Judgement { similarity: 0.97, correct: true },
        Judgement { similarity: 0.91, correct: true },
        Judgement { similarity: 0.86, correct: false },
        Judgement { similarity: 0.80, correct: true },
        Judgement { similarity: 0.60, correct: false },
    ];
    let points = curve(&judgements, &[0.5, 0.85, 0.95]);
    assert!(points.windows(2).all(|w| w[0].hit_rate >= w[1].hit_rate));
    assert_eq!(points[0].hit_rate, 1.0);
    assert_eq!(points[0].precision, 0.6);
    assert_eq!(points[2].precision, 1.0);
}

#[test]
fn zipf_traffic_is_skewed_and_seeded() {
    let w = Workload { requests_per_second: 50.0, keys: 100, skew: 1.0, update_share: 0.1 };
    let a = Generator::new(w.clone(), 9, 0).until(60_000);
    let b = Generator::new(w, 9, 0).until(60_000);
    assert_eq!(a, b, "same seed, same traffic");
    let hottest = a.iter().filter(|r| r.item == 0).count();
    let coldest = a.iter().filter(|r| r.item == 99).count();
    assert!(hottest > 10 * coldest.max(1), "item 0 {hottest} vs item 99 {coldest}");
    let updates = a.iter().filter(|r| r.update).count() as f64 / a.len() as f64;
    assert!((0.05..0.15).contains(&updates), "update share {updates}");
    assert!((2500..3500).contains(&a.len()), "{} requests in a minute at 50/s", a.len());
}
