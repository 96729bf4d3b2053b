//! `playground-proxy`: the playground's native companion.
//!
//! - [`emulate`]: serve the in-browser engine over RESP on TCP, so redis-cli, redis-benchmark
//!   and redis-py talk to the emulator unchanged.

pub mod emulate;
