//! The engine's browser build, run in headless Chromium by wasm-bindgen-test: the commands a
//! learner types first, and expiry driven by a virtual clock (the page's clock, not the system's,
//! which would panic on wasm32-unknown-unknown).
#![cfg(target_arch = "wasm32")]

use bytes::Bytes;
use playground_engine::{Engine, Frame, Protocol};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn cmd(engine: &mut Engine, client: u64, now: u64, line: &str) -> Frame {
    let args = playground_engine::resp::split_args(line.as_bytes()).expect("balanced quotes");
    engine.execute(client, args.into_iter().map(Bytes::from).collect(), now)
}

#[wasm_bindgen_test]
fn ping_set_get_in_the_browser() {
    let mut engine = Engine::new(1, 0);
    let c = engine.connect(0);
    assert_eq!(cmd(&mut engine, c, 0, "PING"), Frame::Simple("PONG".into()));
    assert_eq!(cmd(&mut engine, c, 0, "SET greeting \"hello world\""), Frame::ok());
    assert_eq!(cmd(&mut engine, c, 0, "GET greeting"), Frame::bulk("hello world"));
    assert_eq!(cmd(&mut engine, c, 0, "GET missing"), Frame::Null);
    let wire = cmd(&mut engine, c, 0, "GET greeting").to_bytes(Protocol::Resp2);
    assert_eq!(wire, b"$11\r\nhello world\r\n");
    assert_eq!(engine.server().stats.keyspace_hits, 2);
    assert_eq!(engine.server().stats.keyspace_misses, 1);
}

#[wasm_bindgen_test]
fn expiry_follows_the_virtual_clock() {
    let mut engine = Engine::new(1, 1_000);
    let c = engine.connect(1_000);
    engine.set_events_enabled(true);
    assert_eq!(cmd(&mut engine, c, 1_000, "SET session abc EX 300"), Frame::ok());
    assert_eq!(cmd(&mut engine, c, 1_000, "TTL session"), Frame::Integer(300));
    // Fast-forward 4 minutes: still there.
    assert_eq!(cmd(&mut engine, c, 241_000, "EXISTS session"), Frame::Integer(1));
    // Fast-forward past the deadline: active expiry removes it without any read.
    assert_eq!(engine.tick(301_000), 1);
    assert_eq!(engine.server().stats.expired_keys, 1);
    assert_eq!(cmd(&mut engine, c, 301_000, "EXISTS session"), Frame::Integer(0));
    let expired = engine.drain_events().into_iter().any(
        |e| matches!(e, playground_engine::Event::Expired { ref key, .. } if key.as_ref() == b"session"),
    );
    assert!(expired, "an Expired event was reported");
}

#[wasm_bindgen_test]
fn transactions_and_errors_match_redis_text() {
    let mut engine = Engine::new(1, 0);
    let c = engine.connect(0);
    assert_eq!(cmd(&mut engine, c, 0, "MULTI"), Frame::ok());
    assert_eq!(cmd(&mut engine, c, 0, "SET counter 1"), Frame::Simple("QUEUED".into()));
    assert_eq!(cmd(&mut engine, c, 0, "EXEC"), Frame::Array(vec![Frame::ok()]));
    assert_eq!(
        cmd(&mut engine, c, 0, "FOO bar"),
        Frame::Error("ERR unknown command 'FOO', with args beginning with: 'bar' ".into())
    );
    assert_eq!(
        cmd(&mut engine, c, 0, "GET"),
        Frame::Error("ERR wrong number of arguments for 'get' command".into())
    );
}
