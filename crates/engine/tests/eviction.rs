//! Eviction policies on the virtual clock, and the event stream around evictions and flushes.
//!
//! Each test fills a keyspace to a `maxmemory` that holds about `CAPACITY` keys, uses some keys
//! (recently, often, or with deadlines), then writes more keys so the engine must evict, and
//! checks which keys the policy kept.

use bytes::Bytes;
use playground_engine::{Engine, Event, Frame};

/// Keys the configured maxmemory holds, roughly.
const CAPACITY: u64 = 100;
const VALUE_LEN: usize = 100;

fn cmd(engine: &mut Engine, client: u64, now: u64, parts: &[&str]) -> Frame {
    engine.execute(client, parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect(), now)
}

fn key(i: u64) -> String {
    format!("key:{i:04}")
}

/// An engine with `policy`, sized for CAPACITY keys of VALUE_LEN bytes, already full.
fn full_engine(policy: &str, samples: u32) -> (Engine, u64) {
    let mut engine = Engine::new(42, 0);
    let client = engine.connect(0);
    let value = "x".repeat(VALUE_LEN);
    cmd(&mut engine, client, 0, &["SET", &key(0), &value]);
    let base = engine.server().used_memory();
    let per_key = engine.server().dbs[0].used_memory() as u64;
    let limit = base + per_key * (CAPACITY - 1) + per_key / 2;
    let reply = cmd(
        &mut engine,
        client,
        0,
        &[
            "CONFIG",
            "SET",
            "maxmemory",
            &limit.to_string(),
            "maxmemory-policy",
            policy,
            "maxmemory-samples",
            &samples.to_string(),
        ],
    );
    assert_eq!(reply, Frame::ok());
    for i in 1..CAPACITY {
        assert_eq!(cmd(&mut engine, client, i, &["SET", &key(i), &value]), Frame::ok());
    }
    assert_eq!(engine.server().stats.evicted_keys, 0, "the keyspace should just fit");
    (engine, client)
}

/// Redis evicts before running a write, not after: memory may exceed the limit by what the last
/// write added, until the next write.
fn under_limit_but_last_write(engine: &Engine) -> bool {
    let slack = (engine.server().dbs[0].used_memory() / engine.server().dbs[0].len().max(1)) as u64;
    engine.server().used_memory() <= engine.server().config.maxmemory + slack
}

fn exists(engine: &Engine, k: &str) -> bool {
    engine.server().dbs[0].raw_get(k.as_bytes()).is_some()
}

/// Write `count` new keys at time `now`, forcing evictions.
fn write_new(engine: &mut Engine, client: u64, now: u64, count: u64) {
    let value = "x".repeat(VALUE_LEN);
    for i in 0..count {
        let reply = cmd(engine, client, now, &["SET", &format!("new:{i:04}"), &value]);
        assert_eq!(reply, Frame::ok());
    }
}

#[test]
fn noeviction_refuses_writes_with_redis_error_but_serves_reads() {
    let (mut engine, client) = full_engine("noeviction", 5);
    let value = "x".repeat(VALUE_LEN);
    let mut refused = None;
    for i in 0..5 {
        let reply = cmd(&mut engine, client, 1_000, &["SET", &format!("over:{i}"), &value]);
        if reply.is_error() {
            refused = Some(reply);
            break;
        }
    }
    assert_eq!(refused, Some(Frame::Error("OOM command not allowed when used memory > 'maxmemory'.".into())));
    assert_eq!(cmd(&mut engine, client, 1_000, &["GET", &key(3)]), Frame::Bulk(Bytes::from(value)));
    assert_eq!(cmd(&mut engine, client, 1_000, &["DEL", &key(3)]), Frame::Integer(1));
    assert_eq!(engine.server().stats.evicted_keys, 0);
}

#[test]
fn allkeys_lru_keeps_recently_used_keys() {
    let (mut engine, client) = full_engine("allkeys-lru", 10);
    // Touch the first 20 keys long after everything was written.
    for i in 0..20 {
        cmd(&mut engine, client, 60_000 + i, &["GET", &key(i)]);
    }
    write_new(&mut engine, client, 61_000, 40);
    assert!(engine.server().stats.evicted_keys >= 39);
    let survivors = (0..20).filter(|i| exists(&engine, &key(*i))).count();
    assert_eq!(survivors, 20, "recently read keys must survive LRU eviction");
    assert!(under_limit_but_last_write(&engine));
}

#[test]
fn allkeys_lfu_keeps_frequently_used_keys() {
    let (mut engine, client) = full_engine("allkeys-lfu", 10);
    // Keys 50..60 are read often; the rest never (read at the very start, once, for contrast).
    for round in 0..200 {
        for i in 50..60 {
            cmd(&mut engine, client, 1_000 + round, &["GET", &key(i)]);
        }
    }
    write_new(&mut engine, client, 2_000, 40);
    let survivors = (50..60).filter(|i| exists(&engine, &key(*i))).count();
    assert_eq!(survivors, 10, "frequently read keys must survive LFU eviction");
    // And the counters grew logarithmically, not one per hit.
    let counter = engine.server().dbs[0].raw_get(key(50).as_bytes()).map(|e| e.access.lfu_counter);
    assert!(counter.is_some_and(|c| c > 5 && c < 200), "{counter:?}");
}

/// Give keys `range` deadlines `base + i * step` (ms) directly in the keyspace.
fn set_deadlines(engine: &mut Engine, range: std::ops::Range<u64>, base: u64, step: u64) {
    for i in range {
        let k = Bytes::from(key(i));
        assert!(engine.server_mut().dbs[0].set_expiry(&k, Some(base + i * step)));
    }
}

#[test]
fn volatile_policies_never_evict_keys_without_ttl() {
    for policy in ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"] {
        let (mut engine, client) = full_engine(policy, 5);
        set_deadlines(&mut engine, 0..30, 1_000_000, 1);
        write_new(&mut engine, client, 100, 20);
        let evicted = engine.server().stats.evicted_keys;
        assert!(evicted >= 19, "{policy}: evicted {evicted}");
        for i in 30..CAPACITY {
            assert!(exists(&engine, &key(i)), "{policy} evicted {} which has no TTL", key(i));
        }
        // Once the volatile keys are gone, writes fail with OOM instead of touching the rest.
        let value = "x".repeat(VALUE_LEN);
        let mut last = Frame::ok();
        for i in 0..40 {
            last = cmd(&mut engine, client, 200, &["SET", &format!("more:{i}"), &value]);
            if last.is_error() {
                break;
            }
        }
        assert_eq!(
            last,
            Frame::Error("OOM command not allowed when used memory > 'maxmemory'.".into()),
            "{policy}"
        );
        assert_eq!(engine.server().dbs[0].expires_len(), 0, "{policy}");
        for i in 30..CAPACITY {
            assert!(exists(&engine, &key(i)), "{policy} evicted {} which has no TTL", key(i));
        }
    }
}

#[test]
fn volatile_ttl_evicts_the_soonest_deadlines_first() {
    let (mut engine, client) = full_engine("volatile-ttl", 64);
    // 30 keys with deadlines; key(29) expires first, key(0) last.
    for i in 0..30 {
        let k = Bytes::from(key(i));
        engine.server_mut().dbs[0].set_expiry(&k, Some(10_000_000 - i * 1_000));
    }
    write_new(&mut engine, client, 100, 10);
    let evicted: Vec<u64> = (0..30).filter(|i| !exists(&engine, &key(*i))).collect();
    assert!(!evicted.is_empty());
    let soonest: Vec<u64> = (30 - evicted.len() as u64..30).collect();
    assert_eq!(evicted, soonest, "the keys closest to their deadline go first");
}

#[test]
fn random_policies_evict_and_stay_under_the_limit() {
    for policy in ["allkeys-random", "volatile-random"] {
        let (mut engine, client) = full_engine(policy, 5);
        set_deadlines(&mut engine, 0..CAPACITY, 1_000_000, 1);
        write_new(&mut engine, client, 100, 30);
        assert!(engine.server().stats.evicted_keys >= 29, "{policy}");
        assert!(under_limit_but_last_write(&engine), "{policy}");
    }
}

#[test]
fn lowering_maxmemory_evicts_at_once() {
    let (mut engine, client) = full_engine("allkeys-lru", 5);
    let half = engine.server().used_memory() - engine.server().dbs[0].used_memory() as u64 / 2;
    assert_eq!(
        cmd(&mut engine, client, 500, &["CONFIG", "SET", "maxmemory", &half.to_string()]),
        Frame::ok()
    );
    assert!(engine.server().used_memory() <= half);
    assert!(engine.server().stats.evicted_keys >= CAPACITY / 2 - 1);
}

#[test]
fn evictions_and_flushes_are_events() {
    let (mut engine, client) = full_engine("allkeys-random", 5);
    engine.set_events_enabled(true);
    write_new(&mut engine, client, 100, 5);
    let events = engine.drain_events();
    let evicted = events.iter().filter(|e| matches!(e, Event::Evicted { db: 0, .. })).count() as u64;
    assert_eq!(evicted, engine.server().stats.evicted_keys);
    assert!(evicted >= 4);

    // The last write left memory over the cap (Redis makes room before a command, not after),
    // so even CONFIG SET maxmemory 0 first evicts, as Redis's processCommand does.
    let over = engine.server().used_memory() > engine.server().config.maxmemory;
    let before = engine.server().stats.evicted_keys;
    cmd(&mut engine, client, 200, &["CONFIG", "SET", "maxmemory", "0"]);
    assert_eq!(engine.server().stats.evicted_keys > before, over);
    engine.drain_events();
    cmd(&mut engine, client, 200, &["SELECT", "1"]);
    cmd(&mut engine, client, 200, &["SET", "a", "1"]);
    cmd(&mut engine, client, 200, &["MOVE", "a", "2"]);
    cmd(&mut engine, client, 200, &["SWAPDB", "1", "2"]);
    cmd(&mut engine, client, 200, &["FLUSHDB"]);
    cmd(&mut engine, client, 200, &["FLUSHALL"]);
    let events: Vec<Event> =
        engine.drain_events().into_iter().filter(|e| !matches!(e, Event::Command { .. })).collect();
    assert_eq!(
        events,
        vec![
            Event::Written { db: 1, key: Bytes::from("a") },
            Event::Deleted { db: 1, key: Bytes::from("a") },
            Event::Written { db: 2, key: Bytes::from("a") },
            Event::Swapped { a: 1, b: 2 },
            Event::Flushed { db: Some(1) },
            Event::Flushed { db: None },
        ]
    );
    assert_eq!(engine.server().dbs.iter().map(|d| d.len()).sum::<usize>(), 0);

    // Disabled: nothing is recorded.
    engine.set_events_enabled(false);
    cmd(&mut engine, client, 300, &["SET", "b", "1"]);
    cmd(&mut engine, client, 300, &["GET", "b"]);
    assert!(engine.drain_events().is_empty());
}

#[test]
fn volatile_sampling_sees_only_keys_with_deadlines() {
    let mut engine = Engine::new(1, 0);
    let client = engine.connect(0);
    for i in 0..1_000 {
        cmd(&mut engine, client, 0, &["SET", &key(i), "v"]);
    }
    set_deadlines(&mut engine, 500..510, 5_000, 1);
    let db = &engine.server().dbs[0];
    let mut seen = std::collections::BTreeSet::new();
    for draw in 0..2_000u64 {
        let k = db.random_volatile_key(draw.wrapping_mul(0x9e37_79b9_7f4a_7c15)).expect("a volatile key");
        assert!(db.raw_get(k).is_some_and(|e| e.expires_at.is_some()));
        seen.insert(k.clone());
    }
    assert_eq!(seen.len(), 10);
    // Clearing a deadline removes the key from the sample space.
    let k = Bytes::from(key(505));
    engine.server_mut().dbs[0].set_expiry(&k, None);
    let db = &engine.server().dbs[0];
    assert!((0..500u64).all(|d| db.random_volatile_key(d * 7919).is_some_and(|s| *s != k)));
}

#[test]
fn no_touch_clients_leave_lru_data_alone() {
    let (mut engine, client) = full_engine("allkeys-lru", 10);
    cmd(&mut engine, client, 5_000, &["CLIENT", "NO-TOUCH", "on"]);
    cmd(&mut engine, client, 50_000, &["GET", &key(7)]);
    let last = engine.server().dbs[0].raw_get(key(7).as_bytes()).map(|e| e.access.last_ms);
    assert_eq!(last, Some(7));
    cmd(&mut engine, client, 50_000, &["CLIENT", "NO-TOUCH", "off"]);
    cmd(&mut engine, client, 60_000, &["GET", &key(7)]);
    let last = engine.server().dbs[0].raw_get(key(7).as_bytes()).map(|e| e.access.last_ms);
    assert_eq!(last, Some(60_000));
}

#[test]
fn lfu_counters_decay_with_idle_minutes() {
    let (mut engine, client) = full_engine("allkeys-lfu", 10);
    // Keys 0..10 were popular long ago; keys 10..20 are read a little, recently.
    for round in 0..300 {
        for i in 0..10 {
            cmd(&mut engine, client, 1_000 + round, &["GET", &key(i)]);
        }
    }
    let two_hours = 2 * 60 * 60 * 1000;
    for round in 0..20 {
        for i in 10..20 {
            cmd(&mut engine, client, two_hours + round, &["GET", &key(i)]);
        }
    }
    // With lfu-decay-time 1, two idle hours take the old counters down to nothing.
    write_new(&mut engine, client, two_hours + 1_000, 60);
    let recent = (10..20).filter(|i| exists(&engine, &key(*i))).count();
    let old = (0..10).filter(|i| exists(&engine, &key(*i))).count();
    assert_eq!(recent, 10, "recently used keys survive");
    assert!(old < 10, "long-idle keys lost their popularity ({old} of 10 left)");
}
