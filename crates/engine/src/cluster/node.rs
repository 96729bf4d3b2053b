//! One node of the cluster: what it answers before its engine does, and how it words the
//! engine's replies (HELLO's `mode`, INFO's `cluster_enabled`).

use super::slot::{key_slot, SLOTS};
use super::{Layout, Member};
use crate::cmd::server::getkeys::command_keys;
use crate::{Engine, Frame};
use bytes::Bytes;
use std::sync::Arc;

/// What a cluster-aware client connected to a node gets for a command ([`Node::route`]).
#[derive(Debug)]
pub enum Routed {
    /// Answered by the node layer (CLUSTER, CROSSSLOT, MOVED inside MULTI, ...).
    Reply(Frame),
    /// The engine runs it, on the node the client is now connected to.
    Engine,
}

/// One node: which member it is.
#[derive(Debug, Clone)]
pub struct Node {
    pub layout: Arc<Layout>,
    pub me: usize,
}

fn err(text: &str) -> Frame {
    Frame::Error(text.to_string())
}

fn arity(name: &str) -> Frame {
    err(&format!("ERR wrong number of arguments for '{name}' command"))
}

fn int_arg(b: &[u8]) -> Option<i64> {
    std::str::from_utf8(b).ok()?.parse().ok()
}

impl Node {
    fn me(&self) -> &Member {
        &self.layout.members[self.me]
    }

    /// Route a command as `redis-cli -c` does on this node: a MOVED moves the connection to the
    /// slot's owner (`self.me`, at most once per node) and is said in `redirects` with
    /// redis-cli's line (`-> Redirected to slot [N] located at host:port`). Inside MULTI the
    /// transaction stays on its node, as on a real cluster, so MOVED is the reply.
    pub fn route(
        &mut self,
        engine: &mut Engine,
        client: u64,
        args: &[Bytes],
        now: u64,
        redirects: &mut Vec<String>,
    ) -> Routed {
        let in_multi = engine.server().clients.get(&client).is_some_and(|c| c.multi.is_some());
        for _ in 0..self.layout.members.len() {
            let Some(frame) = self.intercept(engine, client, args, now) else { return Routed::Engine };
            let moved = match &frame {
                Frame::Error(e) if !in_multi && e.starts_with("MOVED ") => super::topology::parse_redirect(e),
                _ => None,
            };
            let Some((slot, _, port)) = moved else { return Routed::Reply(frame) };
            let Some(owner) = self.layout.members.iter().position(|m| m.port == port) else {
                return Routed::Reply(frame);
            };
            self.me = owner;
            redirects.push(format!("-> Redirected to slot [{slot}] located at {}:{port}", self.me().host));
        }
        Routed::Reply(err("ERR too many cluster redirections"))
    }

    /// A reply of the cluster layer, or `None` to let the engine run the command.
    pub fn intercept(&self, engine: &mut Engine, client: u64, args: &[Bytes], now: u64) -> Option<Frame> {
        let name = String::from_utf8_lossy(&args[0]).to_ascii_lowercase();
        let reply = match name.as_str() {
            "cluster" => Some(self.cluster(engine, args, now)),
            "asking" | "readonly" | "readwrite" => {
                Some(if args.len() == 1 { Frame::ok() } else { arity(&name) })
            }
            "select" if args.len() == 2 && int_arg(&args[1]).is_some_and(|d| d != 0) => {
                Some(err("ERR SELECT is not allowed in cluster mode"))
            }
            _ => self.redirect(args),
        };
        // A refused command inside MULTI fails the transaction, as on a cluster node.
        if let Some(Frame::Error(_)) = &reply {
            if let Some(c) = engine.server_mut().clients.get_mut(&client) {
                if c.multi.is_some() && !matches!(name.as_str(), "cluster") {
                    c.multi_error = true;
                }
            }
        }
        reply
    }

    /// The engine's reply as a cluster node gives it: HELLO's `mode` is `cluster`, INFO says
    /// `cluster_enabled:1`.
    pub fn adjust(&self, args: &[Bytes], reply: Frame) -> Frame {
        let name = String::from_utf8_lossy(&args[0]).to_ascii_lowercase();
        match (name.as_str(), reply) {
            ("hello", Frame::Map(fields)) => Frame::Map(
                fields
                    .into_iter()
                    .map(|(k, v)| match &k {
                        Frame::Bulk(b) if &b[..] == b"mode" => (k, bulk("cluster")),
                        _ => (k, v),
                    })
                    .collect(),
            ),
            ("info", Frame::Bulk(b)) => Frame::Bulk(enable(b)),
            ("info", Frame::Verbatim(b)) => Frame::Verbatim(enable(b)),
            (_, reply) => reply,
        }
    }

    /// CROSSSLOT or MOVED for a keyed command this node must not run.
    fn redirect(&self, args: &[Bytes]) -> Option<Frame> {
        let keys = command_keys(args);
        let slot = key_slot(keys.first()?);
        if keys.iter().any(|k| key_slot(k) != slot) {
            return Some(err("CROSSSLOT Keys in request don't hash to the same slot"));
        }
        let owner = self.layout.owner(slot);
        (owner.port != self.me().port).then(|| err(&format!("MOVED {slot} {}:{}", owner.host, owner.port)))
    }

    fn keys_in_slot(engine: &Engine, slot: u16, now: u64) -> Vec<Bytes> {
        let Some(db) = engine.server().dbs.first() else { return vec![] };
        let mut keys: Vec<Bytes> =
            db.keys().filter(|k| key_slot(k) == slot && !db.is_expired(k, now)).cloned().collect();
        keys.sort();
        keys
    }

    fn cluster(&self, engine: &Engine, args: &[Bytes], now: u64) -> Frame {
        let Some(sub) = args.get(1) else { return arity("cluster") };
        let sub_name = String::from_utf8_lossy(sub).to_ascii_lowercase();
        let full = format!("cluster|{sub_name}");
        let want = |n: usize| args.len() == n;
        match sub_name.as_str() {
            "keyslot" if want(3) => Frame::Integer(key_slot(&args[2]) as i64),
            "countkeysinslot" if want(3) => match int_arg(&args[2]) {
                None => err("ERR value is not an integer or out of range"),
                Some(s) if !(0..SLOTS as i64).contains(&s) => err("ERR Invalid slot"),
                Some(s) => Frame::Integer(Self::keys_in_slot(engine, s as u16, now).len() as i64),
            },
            "getkeysinslot" if want(4) => match (int_arg(&args[2]), int_arg(&args[3])) {
                (Some(s), Some(n)) if (0..SLOTS as i64).contains(&s) && n >= 0 => Frame::Array(
                    Self::keys_in_slot(engine, s as u16, now)
                        .into_iter()
                        .take(n as usize)
                        .map(Frame::Bulk)
                        .collect(),
                ),
                (Some(_), Some(_)) => err("ERR Invalid slot or number of keys"),
                _ => err("ERR value is not an integer or out of range"),
            },
            "myid" if want(2) => Frame::Bulk(Bytes::from(self.me().id.clone())),
            "info" if want(2) => Frame::Verbatim(Bytes::from(self.info())),
            "nodes" if want(2) => Frame::Verbatim(Bytes::from(self.nodes())),
            "slots" if want(2) => Frame::Array(self.layout.members.iter().map(slots_entry).collect()),
            "shards" if want(2) => Frame::Array(self.layout.members.iter().map(shard_entry).collect()),
            "keyslot" | "countkeysinslot" | "getkeysinslot" | "myid" | "info" | "nodes" | "slots"
            | "shards" => arity(&full),
            _ => {
                err(&format!("ERR unknown subcommand '{}'. Try CLUSTER HELP.", String::from_utf8_lossy(sub)))
            }
        }
    }

    fn info(&self) -> String {
        let n = self.layout.members.len();
        let lines = [
            "cluster_state:ok".to_string(),
            format!("cluster_slots_assigned:{SLOTS}"),
            format!("cluster_slots_ok:{SLOTS}"),
            "cluster_slots_pfail:0".into(),
            "cluster_slots_fail:0".into(),
            format!("cluster_known_nodes:{n}"),
            format!("cluster_size:{n}"),
            format!("cluster_current_epoch:{n}"),
            format!("cluster_my_epoch:{}", self.me + 1),
            "cluster_stats_messages_sent:0".into(),
            "cluster_stats_messages_received:0".into(),
            "total_cluster_links_buffer_limit_exceeded:0".into(),
        ];
        lines.iter().map(|l| format!("{l}\r\n")).collect()
    }

    fn nodes(&self) -> String {
        let mut out = String::new();
        for (i, m) in self.layout.members.iter().enumerate() {
            let flags = if i == self.me { "myself,master" } else { "master" };
            let range =
                if m.first == m.last { m.first.to_string() } else { format!("{}-{}", m.first, m.last) };
            out.push_str(&format!(
                "{} {}:{}@{} {flags} - 0 0 {} connected {range}\n",
                m.id,
                m.host,
                m.port,
                m.port as u32 + 10000,
                i + 1
            ));
        }
        out
    }
}

fn enable(text: Bytes) -> Bytes {
    let t = String::from_utf8_lossy(&text);
    if t.contains("cluster_enabled:0") {
        Bytes::from(t.replace("cluster_enabled:0", "cluster_enabled:1"))
    } else {
        text
    }
}

fn bulk(s: &str) -> Frame {
    Frame::Bulk(Bytes::from(s.to_string()))
}

fn slots_entry(m: &Member) -> Frame {
    Frame::Array(vec![
        Frame::Integer(m.first as i64),
        Frame::Integer(m.last as i64),
        Frame::Array(vec![bulk(&m.host), Frame::Integer(m.port as i64), bulk(&m.id), Frame::Map(vec![])]),
    ])
}

fn shard_entry(m: &Member) -> Frame {
    let node = Frame::Map(vec![
        (bulk("id"), bulk(&m.id)),
        (bulk("port"), Frame::Integer(m.port as i64)),
        (bulk("ip"), bulk(&m.host)),
        (bulk("endpoint"), bulk(&m.host)),
        (bulk("role"), bulk("master")),
        (bulk("replication-offset"), Frame::Integer(0)),
        (bulk("health"), bulk("online")),
    ]);
    Frame::Map(vec![
        (bulk("slots"), Frame::Array(vec![Frame::Integer(m.first as i64), Frame::Integer(m.last as i64)])),
        (bulk("nodes"), Frame::Array(vec![node])),
    ])
}
