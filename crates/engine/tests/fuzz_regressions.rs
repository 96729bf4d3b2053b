//! Regressions found by the fuzz targets in `crates/engine/fuzz`, replayed through the same code
//! the targets run (the `multi_client` harness is included from the fuzz crate), plus a smoke
//! run of that harness over deterministic pseudo-random inputs so it keeps compiling and its
//! invariants keep holding under `cargo test`.

#[path = "../fuzz/harness/multi_client.rs"]
mod multi_client;

/// A few hundred pseudo-random sessions (xorshift bytes) through the multi-client harness.
#[test]
fn multi_client_smoke() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for len in 0..300usize {
        let data: Vec<u8> = (0..len * 3)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        multi_client::run(&data);
    }
}

/// `multi_client` reported a timeout (artifact `timeout-8b6303cf...`, 83 bytes, 2026-12-05) while
/// builds starved the niced fuzzer: libFuzzer's `-timeout` is wall-clock. Replayed alone the
/// input runs in 1 ms (release) and `cargo fuzz tmin` does not reproduce it; kept so it stays
/// that way.
#[test]
fn multi_client_timeout_8b6303cf_was_cpu_starvation() {
    let data = [
        0x53, 0x00, 0x00, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6b,
        0x20, 0x76, 0x20, 0x45, 0xa1, 0xdf, 0xce, 0xcf, 0xf5, 0xb8, 0xba, 0xab, 0x20, 0x6b, 0x0a, 0x5a, 0x41,
        0x44, 0x44, 0x20, 0x7a, 0x20, 0x31, 0x45, 0x54, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6b,
        0x20, 0x76, 0xa1, 0xdf, 0xce, 0xcf, 0xf5, 0xb8, 0xba, 0xab, 0x20, 0x45, 0xa1, 0xdf, 0xce, 0xcf, 0xf5,
        0xb8, 0xba, 0xab, 0x20, 0x6b, 0x0a, 0x5a, 0x41, 0x44, 0x44, 0x20, 0x7a, 0x20, 0x31, 0x20,
    ];
    multi_client::run(&data);
}

/// `resp_parse` reported a timeout on the empty input (artifact `timeout-ac1324ba...`, 0 bytes,
/// same minute and cause as above); replayed it takes 0 ms. The same calls as the target.
#[test]
fn resp_parse_timeout_empty_input_was_cpu_starvation() {
    use playground_engine::resp::{parse_command, parse_frame, Limits};
    let limits = Limits { max_bulk_len: 1 << 20, max_array_len: 1 << 16, ..Limits::default() };
    let data: &[u8] = &[];
    let _ = parse_command(data, &limits);
    assert!(matches!(parse_frame(data, &limits), Ok(None)));
}
