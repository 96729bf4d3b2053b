//! playground-proxy as a library, so integration tests and benchmarks can start a server
//! in-process.

pub mod serve;
