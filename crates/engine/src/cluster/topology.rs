//! Who owns which hash slot: parsed from CLUSTER SHARDS (Redis 7+), or CLUSTER SLOTS (older
//! servers, and services that only expose that one), into one primary per shard.
//!
//! Replicas are ignored: the proxy reads and writes on primaries, as cluster clients do by
//! default, so a read right after a write sees it.

use super::reply::{int, items, pairs, text};
use super::slot::SLOTS;
use crate::frame::Frame;

/// One shard: its primary's address and the slot ranges it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    pub host: String,
    pub port: u16,
    pub ranges: Vec<(u16, u16)>,
}

impl Shard {
    /// `host:port`, the key of the connection to it and the form MOVED/ASK use.
    pub fn addr(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// The slot map: shards in the order of their first slot (a stable order for SCAN cursors).
#[derive(Debug, Clone)]
pub struct Topology {
    pub shards: Vec<Shard>,
    owner: Vec<u16>,
}

const NONE: u16 = u16::MAX;

impl Topology {
    fn build(mut shards: Vec<Shard>) -> Option<Topology> {
        shards.retain(|s| !s.ranges.is_empty());
        if shards.is_empty() {
            return None;
        }
        for s in &mut shards {
            s.ranges.sort_unstable();
        }
        shards.sort_by_key(|s| s.ranges[0].0);
        let mut owner = vec![NONE; SLOTS];
        for (i, s) in shards.iter().enumerate() {
            for &(a, b) in &s.ranges {
                for slot in a..=b.min(SLOTS as u16 - 1) {
                    owner[slot as usize] = i as u16;
                }
            }
        }
        Some(Topology { shards, owner })
    }

    /// The shard serving `slot` (the first shard if no one claims it: the server will say
    /// CLUSTERDOWN or MOVED, which the router handles).
    pub fn shard_of(&self, slot: u16) -> usize {
        match self.owner.get(slot as usize) {
            Some(&i) if i != NONE => i as usize,
            _ => 0,
        }
    }

    /// Index of the shard at `addr`, if it is a known primary.
    pub fn index_of(&self, addr: &str) -> Option<usize> {
        self.shards.iter().position(|s| s.addr() == addr)
    }

    /// After `MOVED slot addr`: record the new owner at once (the full map is refreshed too).
    pub fn moved(&mut self, slot: u16, host: &str, port: u16) {
        let i = match self.shards.iter().position(|s| s.host == host && s.port == port) {
            Some(i) => i,
            None => {
                self.shards.push(Shard { host: host.to_string(), port, ranges: vec![(slot, slot)] });
                self.shards.len() - 1
            }
        };
        if let Some(o) = self.owner.get_mut(slot as usize) {
            *o = i as u16;
        }
    }

    /// Parse a CLUSTER SHARDS reply. `seed_host` stands in for an empty or unknown endpoint
    /// (the node we asked), `tls` picks `tls-port` over `port`.
    pub fn from_shards(reply: &Frame, seed_host: &str, tls: bool) -> Option<Topology> {
        let mut shards = Vec::new();
        for shard in items(reply)? {
            let fields = pairs(shard)?;
            let get =
                |name: &str| fields.iter().find(|(k, _)| text(k).as_deref() == Some(name)).map(|(_, v)| *v);
            let bounds: Vec<i64> = items(get("slots")?)?.iter().filter_map(int).collect();
            let ranges = bounds
                .chunks_exact(2)
                .map(|c| (c[0].clamp(0, 16383) as u16, c[1].clamp(0, 16383) as u16))
                .collect();
            // The primary: after a failover the old one may still be listed, as a failed master.
            let nodes: Vec<Vec<(&Frame, &Frame)>> = items(get("nodes")?)?.iter().filter_map(pairs).collect();
            let is = |nf: &[(&Frame, &Frame)], name: &str, want: &str| {
                nf.iter().any(|(k, v)| text(k).as_deref() == Some(name) && text(v).as_deref() == Some(want))
            };
            let primary = nodes
                .iter()
                .find(|nf| is(nf, "role", "master") && is(nf, "health", "online"))
                .or_else(|| nodes.iter().find(|nf| is(nf, "role", "master")));
            let Some(nf) = primary else { continue };
            let field =
                |name: &str| nf.iter().find(|(k, _)| text(k).as_deref() == Some(name)).map(|(_, v)| *v);
            let port = tls
                .then(|| field("tls-port").and_then(int))
                .flatten()
                .or_else(|| field("port").and_then(int));
            let host = [field("endpoint"), field("ip")]
                .into_iter()
                .flatten()
                .filter_map(text)
                .find(|h| !h.is_empty() && h != "?")
                .unwrap_or_else(|| seed_host.to_string());
            let port = u16::try_from(port?).ok()?;
            shards.push(Shard { host, port, ranges });
        }
        Topology::build(shards)
    }

    /// Parse a CLUSTER SLOTS reply: `[start, end, [host, port, id, ...], replicas...]` per range.
    pub fn from_slots(reply: &Frame, seed_host: &str) -> Option<Topology> {
        let mut shards: Vec<Shard> = Vec::new();
        for range in items(reply)? {
            let r = items(range)?;
            let (a, b) = (int(r.first()?)?, int(r.get(1)?)?);
            let primary = items(r.get(2)?)?;
            let host = text(primary.first()?)
                .filter(|h| !h.is_empty() && h != "?")
                .unwrap_or_else(|| seed_host.to_string());
            let port = u16::try_from(int(primary.get(1)?)?).ok()?;
            let range = (a.clamp(0, 16383) as u16, b.clamp(0, 16383) as u16);
            match shards.iter_mut().find(|s| s.host == host && s.port == port) {
                Some(s) => s.ranges.push(range),
                None => shards.push(Shard { host, port, ranges: vec![range] }),
            }
        }
        Topology::build(shards)
    }
}

/// `MOVED 3999 127.0.0.1:6381` / `ASK ...` error text (without `-`) -> (slot, host, port).
pub fn parse_redirect(line: &str) -> Option<(u16, String, u16)> {
    let mut parts = line.split(' ');
    let _kind = parts.next()?;
    let slot = parts.next()?.parse().ok()?;
    let addr = parts.next()?.trim_end();
    let (host, port) = addr.rsplit_once(':')?;
    Some((slot, host.to_string(), port.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> Frame {
        crate::resp::parse_frame(raw, &crate::resp::Limits::default()).unwrap().unwrap().0
    }

    fn bulk(s: &str) -> String {
        format!("${}\r\n{s}\r\n", s.len())
    }

    #[test]
    fn slots_reply_with_an_unknown_host_means_the_node_asked() {
        // Two ranges of one primary, one of another whose host is empty (Redis's "same host").
        let node = |h: &str, p: u16| format!("*3\r\n{}:{p}\r\n{}", bulk(h), bulk("id"));
        let raw = format!(
            "*3\r\n*3\r\n:0\r\n:99\r\n{}*3\r\n:100\r\n:199\r\n{}*3\r\n:200\r\n:16383\r\n{}",
            node("10.0.0.1", 8500),
            node("", 8501),
            node("10.0.0.1", 8500)
        );
        let t = Topology::from_slots(&parse(raw.as_bytes()), "seed.example").unwrap();
        assert_eq!(t.shards.len(), 2);
        assert_eq!(t.shards[0].addr(), "10.0.0.1:8500");
        assert_eq!(t.shards[0].ranges, vec![(0, 99), (200, 16383)]);
        assert_eq!(t.shards[1].addr(), "seed.example:8501");
        assert_eq!(t.shard_of(250), 0);
        assert_eq!(t.shard_of(150), 1);
    }

    #[test]
    fn shards_reply_picks_the_online_primary_and_the_tls_port() {
        let node = |id: &str, role: &str, health: &str| {
            format!(
                "*12\r\n{}{}{}:6379\r\n{}:8500\r\n{}{}{}{}{}{}",
                bulk("id"),
                bulk(id),
                bulk("port"),
                bulk("tls-port"),
                bulk("endpoint"),
                bulk(&format!("host-{id}")),
                bulk("role"),
                bulk(role),
                bulk("health"),
                bulk(health)
            )
        };
        let raw = format!(
            "*1\r\n*4\r\n{}*2\r\n:0\r\n:16383\r\n{}*3\r\n{}{}{}",
            bulk("slots"),
            bulk("nodes"),
            node("old", "master", "fail"),
            node("new", "master", "online"),
            node("r", "replica", "online")
        );
        let f = parse(raw.as_bytes());
        let t = Topology::from_shards(&f, "seed", true).unwrap();
        assert_eq!(t.shards[0].addr(), "host-new:8500");
        let t = Topology::from_shards(&f, "seed", false).unwrap();
        assert_eq!(t.shards[0].addr(), "host-new:6379");
    }

    #[test]
    fn redirects_parse() {
        assert_eq!(parse_redirect("MOVED 3999 127.0.0.1:6381"), Some((3999, "127.0.0.1".into(), 6381)));
        assert_eq!(parse_redirect("ASK 1 ::1:7000"), Some((1, "::1".into(), 7000)));
        assert_eq!(parse_redirect("MOVED x"), None);
    }
}
