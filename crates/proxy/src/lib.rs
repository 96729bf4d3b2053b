//! `playground-proxy`: the playground's native companion.
//!
//! - [`serve`]: bridge the browser page to a real Redis / Azure Managed Redis over WebSocket,
//!   so TLS and secrets stay on this machine.
//! - [`emulate`]: serve the in-browser engine over RESP on TCP, so redis-cli, redis-benchmark
//!   and redis-py talk to the emulator unchanged.

#[cfg(not(target_arch = "wasm32"))]
pub mod emulate;
#[cfg(not(target_arch = "wasm32"))]
pub mod serve;
