//! What several test files share: a plain RESP2 connection to the Redis 7.4 oracle.

#![allow(dead_code)] // each test file uses its own part

use bytes::Bytes;
use playground_engine::resp::{encode_command, parse_frame, Limits};
use playground_engine::Frame;
use playground_labs::flow::{Command, Executor};
use std::io::{Read, Write};
use std::net::TcpStream;

/// A plain RESP2 connection to the oracle.
pub struct Oracle(TcpStream);

impl Oracle {
    /// The search oracle (`REDIS_ORACLE_PORT`, 16379).
    pub fn connect() -> Oracle {
        Oracle::on(std::env::var("REDIS_ORACLE_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(16379))
    }

    /// The oracle with RedisJSON too (`REDIS_JSON_ORACLE_PORT`, 16380).
    pub fn with_json() -> Oracle {
        Oracle::on(std::env::var("REDIS_JSON_ORACLE_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(16380))
    }

    fn on(port: u16) -> Oracle {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| {
            panic!("the Redis 7.4 oracle on port {port} (../shared/oracle/redis-stack start): {e}")
        });
        Oracle(stream)
    }

    pub fn run(&mut self, cmd: Vec<Bytes>) -> Frame {
        let mut out = Vec::new();
        encode_command(&cmd, &mut out);
        self.0.write_all(&out).expect("send");
        let mut buf = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            if let Ok(Some((frame, _))) = parse_frame(&buf, &Limits::default()) {
                return frame;
            }
            let n = self.0.read(&mut chunk).expect("read");
            assert!(n > 0, "the oracle closed the connection");
            buf.extend_from_slice(&chunk[..n]);
        }
    }
}

/// Flows run on the oracle as on the engine (its own clock: `tick` does nothing).
impl Executor for Oracle {
    fn tick(&mut self, _now: u64) {}

    fn execute(&mut self, _client: u64, cmd: Command, _now: u64) -> Frame {
        self.run(cmd)
    }
}
