//! A mini-Redis that answers like Redis 7.4 (and RediSearch for vector search), with no I/O and
//! no clock of its own, so the same code runs natively and in the browser.
//!
//! A tour:
//! - [`Engine`] (`engine.rs`): the front door. `connect` a client, `execute` a command
//!   (a list of byte strings) at a time you pass in, get a [`Frame`] back; `tick` runs active
//!   expiry; `drain_events` tells what happened.
//! - Pushes: frames for a connection that are not the reply of its command (pub/sub messages,
//!   keyspace notifications, tracking invalidations, the 2nd and later confirmations of
//!   `SUBSCRIBE a b`) wait in a per-client outbox. A host takes them with
//!   [`Engine::take_pushes`] after each reply, and asks [`Engine::pushed_clients`] after any
//!   command or `tick` which other connections have some waiting (`cmd/pubsub.rs`, `notify.rs`,
//!   `cmd/tracking.rs`).
//! - [`frame`]: the reply type and its RESP2/RESP3 wire forms; [`resp`]: the codec that parses
//!   commands and replies incrementally.
//! - `cmd/`: one file per command family, each a table of [`cmd::CommandSpec`]s.
//! - `ctx.rs`: how handlers touch keys (lazy expiry, hit/miss stats, LRU/LFU, WATCH, events);
//!   `db.rs`: one keyspace with its expiry index and scan order; `types/`: the values
//!   (`types/hfe.rs`: hash fields' deadlines, kept beside the hash in its key's entry;
//!   [`Engine::hash_field_deadlines`] gives them to a page that counts them down;
//!   `types/stream.rs`: streams with their listpack nodes and consumer groups, whose commands
//!   are `cmd/stream.rs` and `cmd/stream_group.rs`).
//! - [`script`]: EVAL and FUNCTION's seam: the script cache and libraries, the rules of the
//!   commands scripts call, and the [`script::ScriptRunner`] trait that `crates/scripting` (Lua)
//!   implements, so the VM stays out of the engine (and out of the page's first download).
//! - [`acl`]: ACL users, selectors and the permission check the engine makes before each
//!   command while some user is restricted (the commands are `cmd/acl.rs`); `cmd/monitor.rs`:
//!   MONITOR's lines, delivered through the same outbox as pushes.
//! - `evict.rs`: maxmemory policies. `search/`: FT.* commands and the HNSW index.
//! - `types/json.rs` and `cmd/json/`: RedisJSON 2.8's documents, JSONPath and legacy paths, and
//!   the JSON.* commands (documents index into FT with `ON JSON`).
//! - [`float`]: doubles printed and parsed exactly as Redis does; [`geohash`]: the geo set's
//!   scores, boxes and distances (the GEO commands live in `cmd/geo.rs`).
//! - [`rdb`]: Redis 7.4's serialised values (DUMP, RESTORE, DEBUG RELOAD), LZF and CRC-64
//!   included; [`digest`]: DEBUG DIGEST's SHA-1 fingerprints.
//!
//! Time is always a parameter (milliseconds on a clock the caller owns): `Instant::now()` and
//! `SystemTime::now()` panic on wasm32-unknown-unknown, and the playground's clock can be
//! paused and fast-forwarded.
//!
//! Where the engine departs from Redis on purpose, a bound that Redis does not have and a
//! browser tab needs: SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with a negative count answer at
//! most [`cmd::set::MAX_RANDOM_REPLY`] picks and refuse more with `ERR value is out of range:
//! ...` (Redis would start building a reply of any size and run out of memory).
//! PFSELFTEST runs Redis's two checks at a smaller scale (5 register rounds and 100,000
//! elements instead of 1000 and 10 million), so it does not freeze a browser tab. DEBUG POPULATE
//! makes at most a million keys, DEBUG SLEEP returns at once, and the DEBUG subcommands that
//! crash or stop a process answer with an error.

pub mod acl;
pub mod args;
pub mod cluster;
pub mod cmd;
pub mod config;
pub(crate) mod ctx;
pub mod db;
pub mod decimal;
pub mod digest;
mod engine;
pub mod error;
pub mod events;
pub mod evict;
pub mod float;
pub mod follow;
pub mod frame;
pub mod geohash;
pub mod glob;
mod grisu;
pub mod lazyfree;
pub mod long_double;
mod nat;
pub mod notify;
pub mod order;
pub mod params;
pub mod pqsort;
pub mod propagate;
pub mod rdb;
pub mod reply_buffer;
pub mod resp;
pub mod script;
pub mod search;
pub mod server;
pub mod types;

pub use engine::{Engine, Outcome};
pub use events::Event;
pub use frame::{Frame, Protocol};
pub use search::vector::Kernel;
