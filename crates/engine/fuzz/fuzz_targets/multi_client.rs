//! Several clients sending random command sequences (blocking pops and moves, transactions,
//! expiry on a moving virtual clock, disconnects of waiting clients), with invariants checked
//! after every step: see `harness/multi_client.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness/multi_client.rs"]
mod multi_client;

fuzz_target!(|data: &[u8]| multi_client::run(data));
