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
    let judged = |similarity, correct| Judgement { similarity, correct: Some(correct) };
    let judgements = [
        judged(0.97, true),
        judged(0.91, true),
        judged(0.86, false),
        judged(0.80, true),
        judged(0.60, false),
    ];
    let points = curve(&judgements, &[0.5, 0.85, 0.95]);
    assert!(points.windows(2).all(|w| w[0].hit_rate >= w[1].hit_rate));
    assert_eq!(points[0].hit_rate, 1.0);
    assert_eq!(points[0].precision, Some(0.6));
    assert_eq!(points[2].precision, Some(1.0));
}

#[test]
fn unjudged_questions_count_for_hit_rate_but_not_for_precision() {
    let judgements = [
        Judgement { similarity: 0.97, correct: Some(true) },
        Judgement { similarity: 0.90, correct: None },
        Judgement { similarity: 0.70, correct: Some(false) },
        Judgement { similarity: 0.40, correct: None },
    ];
    let points = curve(&judgements, &[0.3, 0.8, 0.95, 0.99]);
    // At 0.3 every question hits; of the two judged ones, one is right.
    assert_eq!((points[0].hit_rate, points[0].precision, points[0].judged_hits), (1.0, Some(0.5), 2));
    // At 0.8 the wrong one (0.70) is a miss, and judging it wrong is what keeps precision at 1.
    assert_eq!((points[1].hit_rate, points[1].precision, points[1].judged_hits), (0.5, Some(1.0), 1));
    assert_eq!(points[2].precision, Some(1.0));
    // No hit at all: no precision to speak of, rather than a made-up 1.0.
    assert_eq!((points[3].hit_rate, points[3].precision, points[3].judged_hits), (0.0, None, 0));
    // Nothing judged: the hit rate still moves, precision stays unknown.
    let unjudged = [Judgement { similarity: 0.9, correct: None }];
    assert_eq!(curve(&unjudged, &[0.5])[0].precision, None);
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
