//! The cache-aside lab against the real engine, on the virtual clock.

use playground_engine::{Engine, Frame};
use playground_labs::cache_aside::{
    run_on_engine, CacheAsideLab, Invalidation, LabConfig, Outcome, Strategy,
};
use playground_labs::workload::{Generator, Workload};

const HOUR_MS: u64 = 3_600_000;

fn run(
    config: LabConfig,
    workload: Workload,
    until_ms: u64,
) -> (CacheAsideLab, Engine, Vec<playground_labs::cache_aside::Trace>) {
    let mut engine = Engine::new(3, 0);
    let client = engine.connect(0);
    let mut lab = CacheAsideLab::new(config, workload.keys, 11, 0);
    let mut gen = Generator::new(workload, 5, 0);
    let requests = gen.until(until_ms);
    let traces = run_on_engine(&mut lab, &requests, &mut engine, client);
    (lab, engine, traces)
}

#[test]
fn an_hour_of_skewed_traffic_hits_the_cache_and_hits_are_fast() {
    let workload = Workload { requests_per_second: 5.0, keys: 300, skew: 1.1, update_share: 0.0 };
    let (lab, engine, traces) = run(LabConfig::default(), workload, HOUR_MS);
    let m = &lab.metrics;
    assert!(traces.len() > 15_000, "{} requests", traces.len());
    assert!(m.hit_ratio() > 0.7, "hit ratio {}", m.hit_ratio());
    let hit_p50 = m.hit_latency.percentile(50.0).expect("hits");
    let miss_p50 = m.miss_latency.percentile(50.0).expect("misses");
    assert!(hit_p50 < miss_p50 / 10.0, "hit p50 {hit_p50} vs miss p50 {miss_p50}");
    assert_eq!(m.source_calls, m.misses, "every miss and only misses reach the source");
    assert_eq!(m.stale_reads, 0, "no updates, nothing stale");
    // The cache really holds the items with their TTL, and the engine counted the same hits.
    assert_eq!(engine.server().stats.keyspace_hits, m.hits);
    let miss = traces.iter().find(|t| t.outcome == Outcome::Miss).expect("a miss");
    let set = &miss.commands[1].0;
    assert_eq!(set[0].as_ref(), b"SET");
    assert_eq!(set[3].as_ref(), b"EX");
    assert_eq!(miss.commands[1].1, Frame::ok());
}

#[test]
fn ttl_alone_serves_stale_reads_and_delete_on_update_does_not() {
    let workload = Workload { requests_per_second: 5.0, keys: 50, skew: 1.0, update_share: 0.1 };
    let ttl_only =
        LabConfig { invalidation: Invalidation::TtlOnly, ttl_seconds: 3600, ..LabConfig::default() };
    let (lab, _, _) = run(ttl_only, workload.clone(), HOUR_MS / 4);
    assert!(lab.metrics.stale_reads > 0, "updates without invalidation leave stale copies");

    for how in [Invalidation::Delete, Invalidation::ScanPattern] {
        let config = LabConfig { invalidation: how, ttl_seconds: 3600, ..LabConfig::default() };
        let (lab, _, _) = run(config, workload.clone(), HOUR_MS / 4);
        assert_eq!(lab.metrics.stale_reads, 0, "{how:?} removes the stale copy");
        assert!(lab.metrics.updates > 0);
    }
}

#[test]
fn write_through_is_never_stale_and_write_behind_loses_writes_on_a_crash() {
    let workload = Workload { requests_per_second: 5.0, keys: 50, skew: 1.0, update_share: 0.2 };
    let through = LabConfig { strategy: Strategy::WriteThrough, ..LabConfig::default() };
    let (lab, _, _) = run(through, workload.clone(), HOUR_MS / 4);
    assert_eq!(lab.metrics.stale_reads, 0);

    let mut engine = Engine::new(3, 0);
    let client = engine.connect(0);
    let config = LabConfig {
        strategy: Strategy::WriteBehind,
        ttl_seconds: 60,
        flush_every_ms: 60_000,
        ..LabConfig::default()
    };
    let mut lab = CacheAsideLab::new(config, workload.keys, 11, 0);
    let mut gen = Generator::new(workload, 5, 0);
    run_on_engine(&mut lab, &gen.until(30_000), &mut engine, client);
    assert!(lab.pending_writes() > 0, "writes wait for the flush");
    let lost = lab.crash();
    assert!(lost > 0 && lab.metrics.lost_writes == lost as u64);
    // After the cached copies expire, reads fall back to the source, which never got the writes.
    run_on_engine(&mut lab, &gen.until(HOUR_MS / 4), &mut engine, client);
    assert!(lab.metrics.stale_reads > 0, "lost writes surface as stale reads");
}

#[test]
fn cost_saved_counts_every_source_call_avoided_writes_included() {
    let workload = Workload { requests_per_second: 5.0, keys: 50, skew: 1.0, update_share: 0.3 };
    let saved = |strategy| {
        let config = LabConfig { strategy, ..LabConfig::default() };
        let (lab, _, _) = run(config, workload.clone(), HOUR_MS / 4);
        let m = lab.metrics.clone();
        (m.saved(1.0).0, m)
    };
    // Cache-aside and write-through write to the source every time: a hit is the only saving.
    for strategy in [Strategy::CacheAside, Strategy::WriteThrough] {
        let (calls, m) = saved(strategy);
        assert_eq!(calls, m.hits, "{strategy:?}");
    }
    // Write-behind folds a flush's writes into one call: it saves those writes as well.
    let (through, _) = saved(Strategy::WriteThrough);
    let (behind, m) = saved(Strategy::WriteBehind);
    assert!(m.updates > 0 && m.source_calls < m.misses + m.updates, "batched flushes");
    assert_eq!(behind, m.hits + m.misses + m.updates - m.source_calls);
    assert!(behind > through, "write-behind {behind} vs write-through {through}");
    // Each strategy says what it does in its own words.
    let texts: std::collections::HashSet<&str> = Strategy::ALL.iter().map(|s| s.describe()).collect();
    assert_eq!(texts.len(), Strategy::ALL.len());
}
