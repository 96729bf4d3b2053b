//! Redis Cluster's view of one engine: hash slots, a slot map split as `redis-cli --cluster
//! create` splits it, and the layer a cluster node puts in front of its data (CLUSTER
//! KEYSLOT / COUNTKEYSINSLOT / GETKEYSINSLOT / MYID / INFO / SLOTS / SHARDS / NODES, ASKING,
//! READONLY, READWRITE, CROSSSLOT, MOVED, no SELECT).
//!
//! Sans-I/O, so `playground-proxy emulate --cluster N` (N engines on N ports) and the page's
//! cluster mode (one engine seen through a cluster-aware client) share it. Key positions are
//! the engine's own (COMMAND GETKEYS), so a command the engine knows is routed as Redis routes it.
//! [`topology`] reads a real cluster's slot map (CLUSTER SHARDS / SLOTS) for the proxy's router
//! and for the page in front of a real cluster.

pub mod node;
pub mod reply;
pub mod slot;
pub mod topology;

pub use crate::cmd::server::getkeys::command_keys;
pub use node::{Node, Routed};
use slot::SLOTS;

/// One primary of the emulated cluster.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub host: String,
    pub port: u16,
    pub first: u16,
    pub last: u16,
}

/// The cluster as every node sees it.
#[derive(Debug)]
pub struct Layout {
    pub members: Vec<Member>,
}

impl Layout {
    /// `n` primaries on `host`, ports `port..port+n`, slots split as redis-cli splits them.
    pub fn new(n: usize, host: &str, port: u16, seed: u64) -> Layout {
        let ports: Vec<u16> = (0..n.clamp(1, SLOTS)).map(|i| port.saturating_add(i as u16)).collect();
        Layout::on_ports(&ports, host, seed)
    }

    /// One primary per port of `ports` (at least one), slots split as redis-cli splits them.
    pub fn on_ports(ports: &[u16], host: &str, seed: u64) -> Layout {
        let n = ports.len().clamp(1, SLOTS);
        let per = SLOTS as f64 / n as f64;
        let mut members = Vec::with_capacity(n);
        let (mut first, mut cursor) = (0usize, 0f64);
        for i in 0..n {
            let mut last = (cursor + per - 1.0).round() as usize;
            if last >= SLOTS || i == n - 1 {
                last = SLOTS - 1;
            }
            last = last.max(first);
            members.push(Member {
                id: node_id(seed, i as u64),
                host: host.to_string(),
                port: ports.get(i).copied().unwrap_or(0),
                first: first as u16,
                last: last as u16,
            });
            first = last + 1;
            cursor += per;
        }
        Layout { members }
    }

    /// The index of the member that serves `slot`.
    pub fn shard_of(&self, slot: u16) -> usize {
        self.members.iter().position(|m| m.first <= slot && slot <= m.last).unwrap_or(0)
    }

    /// The member that serves `slot`.
    pub fn owner(&self, slot: u16) -> &Member {
        &self.members[self.shard_of(slot)]
    }
}

/// A 40-hex node id, stable for a seed (SplitMix64).
fn node_id(seed: u64, i: u64) -> String {
    let mut x = seed ^ (i + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut next = || {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    format!("{:016x}{:016x}{:08x}", next(), next(), next() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_split_as_redis_cli() {
        let l = Layout::new(3, "127.0.0.1", 7000, 1);
        let r: Vec<(u16, u16)> = l.members.iter().map(|m| (m.first, m.last)).collect();
        assert_eq!(r, vec![(0, 5460), (5461, 10922), (10923, 16383)]);
        assert_eq!(l.members[2].port, 7002);
        assert_eq!(l.members[0].id.len(), 40);
        assert_ne!(l.members[0].id, l.members[1].id);
        let one = Layout::new(1, "h", 1, 1);
        assert_eq!((one.members[0].first, one.members[0].last), (0, 16383));
    }
}
