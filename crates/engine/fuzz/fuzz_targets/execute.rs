//! Byte streams split into commands (as a client would send them) run through the engine:
//! no command sequence may panic, whatever its arguments.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use playground_engine::Engine;

fuzz_target!(|data: &[u8]| {
    let mut engine = Engine::new(1, 0);
    let client = engine.connect(0);
    let mut now = 0u64;
    for line in data.split(|b| *b == b'\n').take(64) {
        let Some(args) = playground_engine::resp::split_args(line) else { continue };
        if args.is_empty() {
            continue;
        }
        now += 997;
        let reply = engine.execute(client, args.into_iter().map(Bytes::from).collect(), now);
        let _ = reply.to_bytes(engine.protocol(client));
        engine.tick(now);
    }
});
