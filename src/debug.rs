//! A hidden hook for measurements in a real browser: `window.__redisPlayground.benchEngine(n)`
//! runs `n` SET/GET pairs on a fresh engine and returns commands per second (for
//! `tests/e2e/measure.mjs`). The vector benchmark's hook is in the lazily loaded module
//! (`crate::vector_bench`), so it adds nothing to the page.

use bytes::Bytes;
use playground_engine::Engine;
use wasm_bindgen::prelude::*;

/// Commands per second for `pairs` SET+GET pairs over 1,000 distinct keys.
pub fn bench_engine(pairs: u32) -> f64 {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else { return 0.0 };
    let mut engine = Engine::new(1, 0);
    let client = engine.connect(0);
    let keys: Vec<Bytes> = (0..1_000).map(|i| Bytes::from(format!("bench:{i}"))).collect();
    let value = Bytes::from_static(b"some cached answer from a model");
    let start = perf.now();
    for i in 0..pairs as usize {
        let key = keys[i % keys.len()].clone();
        engine.execute(client, vec![Bytes::from_static(b"SET"), key.clone(), value.clone()], 0);
        engine.execute(client, vec![Bytes::from_static(b"GET"), key], 0);
    }
    let secs = (perf.now() - start) / 1_000.0;
    if secs > 0.0 {
        f64::from(pairs) * 2.0 / secs
    } else {
        0.0
    }
}

/// Put the hook on `window`. Failing to do so only loses the hook, never the page.
pub fn install() {
    let Some(window) = web_sys::window() else { return };
    let hook = js_sys::Object::new();
    let bench = Closure::<dyn Fn(u32) -> f64>::new(bench_engine);
    let _ = js_sys::Reflect::set(&hook, &"benchEngine".into(), bench.as_ref());
    bench.forget();
    let _ = js_sys::Reflect::set(&window, &"__redisPlayground".into(), &hook);
}
