//! The proxy in front of a Redis Cluster (Azure Managed Redis's OSS clustering policy).
//!
//! On the first session the proxy asks the URL's node for CLUSTER SHARDS (then CLUSTER SLOTS).
//! An error reply (cluster support disabled, the Enterprise policy's single endpoint refusing
//! CLUSTER, an ACL without it) means a single endpoint: sessions relay to it as before. A slot
//! map means a cluster: each session then keeps one connection per shard (TLS and credentials
//! as for the URL) and routes every command by the hash slot of its keys ([`route`]).
//!
//! Modules: `slots` (CRC16, hash tags), `topology` (slot map), `keys` (key positions from
//! COMMAND), `route` (one session's routing, redirects, fan-out), `fanout` (replies merged
//! from every shard), `frame` (reading replies in RESP2 and RESP3).

pub mod fanout;
pub use playground_engine::cluster::reply as frame;
pub mod keys;
pub mod route;
pub use playground_engine::cluster::slot as slots;
pub use playground_engine::cluster::topology;

use super::upstream::{error_text, Connector, Upstream, UpstreamError};
use playground_engine::frame::Frame;
use playground_engine::resp;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use topology::Topology;

/// What the URL points at.
pub enum Mode {
    Single,
    Cluster(Arc<Shared>),
}

/// What all sessions share about a cluster.
pub struct Shared {
    topology: RwLock<Arc<Topology>>,
    pub keys: keys::KeyTable,
    seed_host: String,
    tls: bool,
    /// Bumped on every change of the map (tests and logs).
    pub refreshes: AtomicU64,
}

impl Shared {
    /// The current slot map.
    pub fn topology(&self) -> Arc<Topology> {
        match self.topology.read() {
            Ok(t) => t.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    fn set(&self, t: Topology) {
        match self.topology.write() {
            Ok(mut g) => *g = Arc::new(t),
            Err(p) => *p.into_inner() = Arc::new(t),
        }
        self.refreshes.fetch_add(1, Ordering::Relaxed);
    }

    /// Record a MOVED at once (before the full map is read again).
    pub fn moved(&self, slot: u16, host: &str, port: u16) {
        let mut t = (*self.topology()).clone();
        t.moved(slot, host, port);
        self.set(t);
    }

    /// Read the slot map again over `up`.
    pub async fn refresh(
        &self,
        up: &mut Upstream,
        timeout: std::time::Duration,
    ) -> Result<(), UpstreamError> {
        if let Some(t) = fetch_topology(up, &self.seed_host, self.tls, timeout).await? {
            self.set(t);
        }
        Ok(())
    }
}

/// Decides, once per proxy, whether the URL is a cluster.
#[derive(Default)]
pub struct Detector {
    mode: tokio::sync::OnceCell<Mode>,
}

impl Detector {
    /// The mode, detected on first use (a failure to connect is not remembered).
    pub async fn mode(&self, connector: &Connector) -> Result<&Mode, UpstreamError> {
        self.mode.get_or_try_init(|| detect(connector)).await
    }

    /// The mode if already detected.
    pub fn current(&self) -> Option<&Mode> {
        self.mode.get()
    }
}

async fn detect(connector: &Connector) -> Result<Mode, UpstreamError> {
    let mut up = connector.connect().await?;
    let (host, tls, timeout) = (&connector.target.host, connector.target.tls, connector.timeout);
    let Some(topology) = fetch_topology(&mut up, host, tls, timeout).await? else {
        return Ok(Mode::Single);
    };
    let reply = up.command(&["COMMAND".to_string()], timeout).await?;
    let keys = parse(&reply).map(|f| keys::KeyTable::from_command_reply(&f)).unwrap_or_default();
    tracing::info!("Redis Cluster with {} shards: routing by hash slot", topology.shards.len());
    Ok(Mode::Cluster(Arc::new(Shared {
        topology: RwLock::new(Arc::new(topology)),
        keys,
        seed_host: host.clone(),
        tls,
        refreshes: AtomicU64::new(0),
    })))
}

/// Parse one raw reply.
pub fn parse(reply: &[u8]) -> Option<Frame> {
    let limits = resp::Limits { max_depth: 64, ..resp::Limits::default() };
    resp::parse_frame(reply, &limits).ok().flatten().map(|(f, _)| f)
}

/// CLUSTER SHARDS, else CLUSTER SLOTS; `None` when the server answers both with an error.
async fn fetch_topology(
    up: &mut Upstream,
    seed_host: &str,
    tls: bool,
    timeout: std::time::Duration,
) -> Result<Option<Topology>, UpstreamError> {
    let reply = up.command(&["CLUSTER".into(), "SHARDS".into()], timeout).await?;
    if reply.first() != Some(&b'-') {
        if let Some(t) = parse(&reply).and_then(|f| Topology::from_shards(&f, seed_host, tls)) {
            return Ok(Some(t));
        }
    }
    let first_error = error_text(&reply);
    let reply = up.command(&["CLUSTER".into(), "SLOTS".into()], timeout).await?;
    if reply.first() != Some(&b'-') {
        if let Some(t) = parse(&reply).and_then(|f| Topology::from_slots(&f, seed_host)) {
            return Ok(Some(t));
        }
    }
    tracing::debug!("single endpoint (CLUSTER SHARDS: {first_error}; CLUSTER SLOTS: {})", error_text(&reply));
    Ok(None)
}
