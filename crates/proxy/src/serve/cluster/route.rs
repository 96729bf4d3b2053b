//! One page session against a cluster: a connection per shard, each command sent to the shard
//! owning the slot of its keys, redirects followed, keyless commands fanned out.
//!
//! - MOVED: the slot map is updated and read again, the command retried on the new owner.
//! - ASK (a slot being migrated): `ASKING` then the command on the importing node, once.
//! - TRYAGAIN (multi-key command while its keys are split by a migration): retried shortly.
//! - CROSSSLOT: the command goes to its first key's shard, which answers it in its own words.
//! - MULTI is answered here and sent to a shard with the first command of the transaction (the
//!   shard of its key, or of an earlier WATCH); the whole transaction then stays on that shard.
//! - HELLO is sent to every shard connection, and replayed on those opened later, so every
//!   shard speaks the protocol the page chose.

use super::fanout;
use super::keys::Keys;
use super::slots::key_slot;
use super::topology::parse_redirect;
use super::Shared;
use crate::serve::upstream::{error_text, Upstream, UpstreamError};
use crate::serve::AppState;
use bytes::Bytes;
use playground_engine::resp;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Redirects followed for one command before its last reply is given to the page.
const MAX_REDIRECTS: usize = 8;

/// Commands with a meaning of their own here (transactions, fan-out, protocol): never batched.
const SPECIAL: &[&str] = &[
    "cluster", "multi", "exec", "discard", "watch", "unwatch", "scan", "dbsize", "keys", "flushdb",
    "flushall", "info", "hello", "reset", "quit",
];

/// A reply the router must act on (and retry the command after).
fn is_redirect(reply: &[u8]) -> bool {
    reply.starts_with(b"-MOVED ") || reply.starts_with(b"-ASK ") || reply.starts_with(b"-TRYAGAIN")
}

type Reply = Result<Vec<u8>, UpstreamError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Multi {
    Off,
    /// MULTI answered locally; the shard is chosen by the next command.
    Pending,
    /// MULTI sent to the pinned shard.
    Open,
}

/// A session's connections to the shards, and its transaction state.
pub struct ClusterSession {
    shared: Arc<Shared>,
    conns: HashMap<String, Upstream>,
    hello: Option<Vec<Bytes>>,
    pinned: Option<String>,
    multi: Multi,
    /// A shard could not be reached: read the slot map again before the next message (a
    /// replica may have taken over, at an address no MOVED will ever name).
    stale: bool,
}

impl ClusterSession {
    pub fn new(shared: Arc<Shared>) -> ClusterSession {
        ClusterSession {
            shared,
            conns: HashMap::new(),
            hello: None,
            pinned: None,
            multi: Multi::Off,
            stale: false,
        }
    }

    /// Inside MULTI (re-AUTH must wait).
    pub fn in_multi(&self) -> bool {
        self.multi != Multi::Off
    }

    /// Forget every connection and all state (RESET, QUIT).
    pub fn reset(&mut self) {
        self.conns.clear();
        self.hello = None;
        self.pinned = None;
        self.multi = Multi::Off;
    }

    /// Re-send AUTH on every connection whose Entra token is stale.
    pub async fn reauth(&mut self, state: &AppState) {
        let super::super::auth::Credentials::Entra(rx) = &state.connector.creds else { return };
        let current = rx.borrow().as_ref().map(|t| t.token.clone());
        let mut dead = Vec::new();
        for (addr, up) in self.conns.iter_mut() {
            if up.auth_generation != current && state.connector.authenticate(up).await.is_err() {
                dead.push(addr.clone());
            }
        }
        for a in dead {
            self.conns.remove(&a);
        }
    }

    fn default_addr(&self) -> String {
        self.shared.topology().shards.first().map(|s| s.addr()).unwrap_or_default()
    }

    /// Run a message's commands, replies in order. Runs of ordinary commands are pipelined: each
    /// shard gets its share in one write, and the shards' replies are read after all writes;
    /// a redirected command is then retried on its own, in order. Transactions, fan-out and
    /// blocking commands run one at a time.
    pub async fn exec_all(&mut self, state: &AppState, cmds: Vec<(Vec<Bytes>, bool)>) -> Vec<Reply> {
        if std::mem::take(&mut self.stale) {
            self.refresh_any(state).await;
        }
        let mut results: Vec<Option<Reply>> = vec![None; cmds.len()];
        let mut i = 0;
        while i < cmds.len() {
            let mut run: Vec<(usize, String)> = Vec::new();
            while let Some((args, blocking)) = cmds.get(i) {
                let name = String::from_utf8_lossy(&args[0]).to_ascii_lowercase();
                if self.multi != Multi::Off || *blocking || SPECIAL.contains(&name.as_str()) {
                    break;
                }
                let Keys::Found(keys) = self.shared.keys.keys(args) else { break };
                let addr =
                    keys.first().map(|k| self.owner(key_slot(k))).unwrap_or_else(|| self.default_addr());
                run.push((i, addr));
                i += 1;
            }
            if run.is_empty() {
                let (args, blocking) = &cmds[i];
                results[i] = Some(self.exec(state, args.clone(), *blocking).await);
                i += 1;
            } else {
                self.pipeline(state, &cmds, run, &mut results).await;
            }
        }
        results.into_iter().map(|r| r.unwrap_or_else(|| Err(UpstreamError("no reply".into())))).collect()
    }

    async fn pipeline(
        &mut self,
        state: &AppState,
        cmds: &[(Vec<Bytes>, bool)],
        run: Vec<(usize, String)>,
        results: &mut [Option<Reply>],
    ) {
        let timeout = state.limits.upstream_timeout;
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, addr) in run {
            match groups.iter_mut().find(|(a, _)| *a == addr) {
                Some((_, idx)) => idx.push(i),
                None => groups.push((addr, vec![i])),
            }
        }
        let mut sent = Vec::new();
        for (addr, idx) in groups {
            let mut payload = Vec::new();
            for &i in &idx {
                resp::encode_command(&cmds[i].0, &mut payload);
            }
            let written = match self.conn(state, &addr).await {
                Ok(up) => up.send(&payload, timeout).await,
                Err(e) => Err(e),
            };
            match written {
                Ok(()) => sent.push((addr, idx)),
                Err(e) => {
                    self.conns.remove(&addr);
                    self.stale = true;
                    let e = UpstreamError(format!("shard {addr}: {}", e.0));
                    for i in idx {
                        results[i] = Some(Err(e.clone()));
                    }
                }
            }
        }
        for (addr, idx) in sent {
            let mut failed: Option<UpstreamError> = None;
            for &i in &idx {
                if let Some(e) = &failed {
                    results[i] = Some(Err(e.clone()));
                    continue;
                }
                let Some(up) = self.conns.get_mut(&addr) else { continue };
                let mut out = Vec::new();
                match up.read_reply(&mut out, Some(timeout)).await {
                    Ok(()) => results[i] = Some(Ok(out)),
                    Err(e) => {
                        let e = UpstreamError(format!("shard {addr}: {}", e.0));
                        results[i] = Some(Err(e.clone()));
                        failed = Some(e);
                    }
                }
            }
            if failed.is_some() {
                self.conns.remove(&addr);
                self.pinned = None;
                self.stale = true;
            }
        }
        // Redirected commands were not run: run them again, in order, following the redirect.
        let mut seen_moved = false;
        for i in 0..results.len() {
            let Some(Ok(reply)) = &results[i] else { continue };
            if !is_redirect(reply) {
                continue;
            }
            if reply.starts_with(b"-MOVED ") && !seen_moved {
                seen_moved = true;
                if let Some((slot, host, port)) = parse_redirect(&error_text(reply)) {
                    self.shared.moved(slot, &host, port);
                    self.refresh_from(state, &format!("{host}:{port}")).await;
                }
            }
            results[i] = Some(self.routed(state, &cmds[i].0, timeout).await);
        }
    }

    /// Read the slot map again from the first shard (or the URL's node) that answers.
    async fn refresh_any(&mut self, state: &AppState) {
        let target = &state.connector.target;
        let mut addrs: Vec<String> = self.shared.topology().shards.iter().map(|s| s.addr()).collect();
        addrs.push(format!("{}:{}", target.host, target.port));
        let before = self.shared.refreshes.load(std::sync::atomic::Ordering::Relaxed);
        for a in addrs {
            self.refresh_from(state, &a).await;
            if self.shared.refreshes.load(std::sync::atomic::Ordering::Relaxed) != before {
                return;
            }
        }
    }

    /// Read the slot map again from `addr` (a failure is left to the next command to meet).
    async fn refresh_from(&mut self, state: &AppState, addr: &str) {
        let shared = self.shared.clone();
        if let Ok(up) = self.conn(state, addr).await {
            if shared.refresh(up, state.limits.upstream_timeout).await.is_err() {
                self.conns.remove(addr);
            }
        }
    }

    /// Run one command; its reply bytes. An `Err` means a shard could not be reached (that
    /// connection is dropped, and a transaction in progress with it).
    pub async fn exec(
        &mut self,
        state: &AppState,
        args: Vec<Bytes>,
        blocking: bool,
    ) -> Result<Vec<u8>, UpstreamError> {
        let r = self.exec_inner(state, args, blocking).await;
        if r.is_err() {
            self.multi = Multi::Off;
            self.pinned = None;
        }
        r
    }

    async fn exec_inner(
        &mut self,
        state: &AppState,
        args: Vec<Bytes>,
        blocking: bool,
    ) -> Result<Vec<u8>, UpstreamError> {
        let timeout = if blocking { super::super::ws::BLOCKING_MAX } else { state.limits.upstream_timeout };
        let name = String::from_utf8_lossy(&args[0]).to_ascii_lowercase();
        if name == "reset" || name == "quit" {
            // RESET logs out and QUIT closes: the default shard answers, and every shard
            // connection is dropped at once (a transaction with them; the next command opens
            // fresh, authenticated connections).
            let addr = self.default_addr();
            let reply = self.call(state, &addr, &[&args], timeout).await?.remove(0);
            self.reset();
            return Ok(reply);
        }
        match self.multi {
            Multi::Open => {
                let addr = self.pinned.clone().unwrap_or_else(|| self.default_addr());
                let reply = self.call(state, &addr, &[&args], timeout).await?.remove(0);
                if name == "exec" || name == "discard" {
                    self.multi = Multi::Off;
                    self.pinned = None;
                }
                return Ok(reply);
            }
            Multi::Pending => match name.as_str() {
                "exec" | "discard" => {
                    self.multi = Multi::Off;
                    self.pinned = None;
                    return Ok(if name == "exec" { b"*0\r\n".to_vec() } else { b"+OK\r\n".to_vec() });
                }
                _ => {
                    let keys = self.keys_of(state, &args).await?;
                    let addr = match keys.first() {
                        Some(k) => self.owner(key_slot(k)),
                        None => self.default_addr(),
                    };
                    let multi = vec![Bytes::from_static(b"MULTI")];
                    let mut replies = self.call(state, &addr, &[&multi, &args], timeout).await?;
                    self.multi = Multi::Open;
                    self.pinned = Some(addr);
                    return Ok(replies.pop().unwrap_or_default());
                }
            },
            Multi::Off => {}
        }
        match name.as_str() {
            "multi" => match self.pinned.clone() {
                Some(addr) => {
                    let reply = self.call(state, &addr, &[&args], timeout).await?.remove(0);
                    if reply.starts_with(b"+") {
                        self.multi = Multi::Open;
                    }
                    Ok(reply)
                }
                None => {
                    self.multi = Multi::Pending;
                    Ok(b"+OK\r\n".to_vec())
                }
            },
            "watch" => {
                let keys = self.keys_of(state, &args).await?;
                let addr =
                    keys.first().map(|k| self.owner(key_slot(k))).unwrap_or_else(|| self.default_addr());
                let reply = self.call(state, &addr, &[&args], timeout).await?.remove(0);
                if reply.starts_with(b"+") {
                    self.pinned = Some(addr);
                }
                Ok(reply)
            }
            "unwatch" | "exec" | "discard" => {
                let addr = self.pinned.take().unwrap_or_else(|| self.default_addr());
                Ok(self.call(state, &addr, &[&args], timeout).await?.remove(0))
            }
            "scan" => self.scan(state, args, timeout).await,
            "dbsize" => Ok(fanout::sum_integers(&self.everywhere(state, &args, timeout).await?)),
            "keys" => Ok(fanout::concat_arrays(&self.everywhere(state, &args, timeout).await?)),
            "flushdb" | "flushall" => {
                let replies = self.everywhere(state, &args, timeout).await?;
                Ok(fanout::first_error(&replies)
                    .unwrap_or_else(|| replies.into_iter().next().unwrap_or_default()))
            }
            "info" => {
                let replies = self.everywhere(state, &args, timeout).await?;
                let labels: Vec<String> = self
                    .shared
                    .topology()
                    .shards
                    .iter()
                    .map(|s| {
                        let r: Vec<String> = s.ranges.iter().map(|(a, b)| format!("{a}-{b}")).collect();
                        format!("{} (slots {})", s.addr(), r.join(","))
                    })
                    .collect();
                Ok(fanout::merge_info(&replies, &labels))
            }
            "hello" => self.hello(state, args, timeout).await,
            // Questions about one slot go to the shard that owns it, as cluster clients send them.
            "cluster"
                if args.len() >= 3 && {
                    let sub = args[1].to_ascii_lowercase();
                    sub == b"countkeysinslot" || sub == b"getkeysinslot"
                } =>
            {
                let slot = std::str::from_utf8(&args[2]).ok().and_then(|s| s.parse::<u16>().ok());
                let addr = match slot {
                    Some(s) if (s as usize) < super::slots::SLOTS => self.owner(s),
                    _ => self.default_addr(),
                };
                Ok(self.call(state, &addr, &[&args], timeout).await?.remove(0))
            }
            _ => self.routed(state, &args, timeout).await,
        }
    }

    /// The shard owning `slot`.
    fn owner(&self, slot: u16) -> String {
        let t = self.shared.topology();
        t.shards[t.shard_of(slot)].addr()
    }

    /// Keys of a command: from the key specs, or from the server when the specs cannot say.
    async fn keys_of(&mut self, state: &AppState, args: &[Bytes]) -> Result<Vec<Bytes>, UpstreamError> {
        match self.shared.keys.keys(args) {
            Keys::Found(k) => Ok(k),
            Keys::AskServer => {
                let mut getkeys = vec![Bytes::from_static(b"COMMAND"), Bytes::from_static(b"GETKEYS")];
                getkeys.extend(args.iter().cloned());
                let addr = self.default_addr();
                let reply =
                    self.call(state, &addr, &[&getkeys], state.limits.upstream_timeout).await?.remove(0);
                Ok(match super::parse(&reply) {
                    Some(f) => super::frame::items(&f)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|k| match k {
                            playground_engine::frame::Frame::Bulk(b) => Some(b.clone()),
                            _ => None,
                        })
                        .collect(),
                    None => vec![],
                })
            }
        }
    }

    /// A keyed (or keyless, default-shard) command, following MOVED / ASK / TRYAGAIN.
    async fn routed(
        &mut self,
        state: &AppState,
        args: &[Bytes],
        timeout: Duration,
    ) -> Result<Vec<u8>, UpstreamError> {
        let keys = self.keys_of(state, args).await?;
        let mut addr = match keys.first() {
            Some(k) => self.owner(key_slot(k)),
            None => self.default_addr(),
        };
        let asking_cmd = vec![Bytes::from_static(b"ASKING")];
        let mut asking = false;
        let mut reply = Vec::new();
        for attempt in 0..MAX_REDIRECTS {
            reply = if asking {
                self.call(state, &addr, &[&asking_cmd, args], timeout).await?.pop().unwrap_or_default()
            } else {
                self.call(state, &addr, &[args], timeout).await?.remove(0)
            };
            asking = false;
            if reply.starts_with(b"-MOVED ") {
                let Some((slot, host, port)) = parse_redirect(&error_text(&reply)) else { break };
                tracing::debug!("MOVED slot {slot} to {host}:{port}");
                self.shared.moved(slot, &host, port);
                addr = format!("{host}:{port}");
                self.refresh_from(state, &addr).await;
            } else if reply.starts_with(b"-ASK ") {
                let Some((_, host, port)) = parse_redirect(&error_text(&reply)) else { break };
                addr = format!("{host}:{port}");
                asking = true;
            } else if reply.starts_with(b"-TRYAGAIN") {
                tokio::time::sleep(Duration::from_millis(50 * (attempt as u64 + 1))).await;
                // The keys may have moved on meanwhile: start again from the map.
                if let Some(k) = keys.first() {
                    addr = self.owner(key_slot(k));
                }
            } else {
                break;
            }
        }
        Ok(reply)
    }

    /// SCAN over every shard in turn, with a cursor naming the shard (see [`fanout`]).
    async fn scan(
        &mut self,
        state: &AppState,
        mut args: Vec<Bytes>,
        timeout: Duration,
    ) -> Result<Vec<u8>, UpstreamError> {
        let topology = self.shared.topology();
        let shards = topology.shards.len();
        let split = args.get(1).and_then(|c| fanout::split_cursor(c));
        let Some((index, inner)) = split else {
            let addr = self.default_addr();
            return Ok(self.call(state, &addr, &[&args], timeout).await?.remove(0));
        };
        let Some(shard) = topology.shards.get(index) else { return Ok(b"*2\r\n$1\r\n0\r\n*0\r\n".to_vec()) };
        args[1] = Bytes::from(inner.to_string());
        let reply = self.call(state, &shard.addr(), &[&args], timeout).await?.remove(0);
        Ok(fanout::scan_reply(&reply, index, shards).unwrap_or(reply))
    }

    /// The same command on every shard, replies in shard order.
    async fn everywhere(
        &mut self,
        state: &AppState,
        args: &[Bytes],
        timeout: Duration,
    ) -> Result<Vec<Vec<u8>>, UpstreamError> {
        let addrs: Vec<String> = self.shared.topology().shards.iter().map(|s| s.addr()).collect();
        let mut out = Vec::with_capacity(addrs.len());
        for a in addrs {
            out.push(self.call(state, &a, &[args], timeout).await?.remove(0));
        }
        Ok(out)
    }

    /// HELLO on the default shard (its reply is the page's), then on every other open
    /// connection; remembered for connections opened later.
    async fn hello(
        &mut self,
        state: &AppState,
        args: Vec<Bytes>,
        timeout: Duration,
    ) -> Result<Vec<u8>, UpstreamError> {
        let addr = self.default_addr();
        let reply = self.call(state, &addr, &[&args], timeout).await?.remove(0);
        if reply.first() == Some(&b'-') {
            return Ok(reply);
        }
        let others: Vec<String> = self.conns.keys().filter(|a| **a != addr).cloned().collect();
        for a in others {
            let _ = self.call(state, &a, &[&args], timeout).await;
        }
        self.hello = Some(args);
        Ok(reply)
    }

    /// The connection to `addr`, opened (and HELLO replayed) if needed.
    async fn conn(&mut self, state: &AppState, addr: &str) -> Result<&mut Upstream, UpstreamError> {
        if !self.conns.contains_key(addr) {
            let (host, port) = addr
                .rsplit_once(':')
                .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
                .ok_or_else(|| UpstreamError(format!("bad shard address {addr}")))?;
            let mut up = state.connector.connect_node(&host, port).await?;
            if let Some(h) = &self.hello {
                let strings: Vec<String> =
                    h.iter().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
                up.command(&strings, state.limits.upstream_timeout).await?;
            }
            self.conns.insert(addr.to_string(), up);
        }
        self.conns.get_mut(addr).ok_or_else(|| UpstreamError(format!("no connection to {addr}")))
    }

    /// Pipeline `cmds` to `addr`; one raw reply per command. On failure the connection is
    /// dropped (its reply stream position is unknown).
    async fn call(
        &mut self,
        state: &AppState,
        addr: &str,
        cmds: &[&[Bytes]],
        timeout: Duration,
    ) -> Result<Vec<Vec<u8>>, UpstreamError> {
        let up = match self.conn(state, addr).await {
            Ok(up) => up,
            Err(e) => {
                self.stale = true;
                return Err(UpstreamError(format!("shard {addr}: {}", e.0)));
            }
        };
        let mut payload = Vec::new();
        for c in cmds {
            resp::encode_command(c, &mut payload);
        }
        let mut replies = Vec::with_capacity(cmds.len());
        let result = async {
            up.send(&payload, state.limits.upstream_timeout).await?;
            for _ in cmds {
                let mut out = Vec::new();
                up.read_reply(&mut out, Some(timeout)).await?;
                replies.push(out);
            }
            Ok::<_, UpstreamError>(())
        }
        .await;
        match result {
            Ok(()) => Ok(replies),
            Err(e) => {
                self.conns.remove(addr);
                self.stale = true;
                Err(UpstreamError(format!("shard {addr}: {}", e.0)))
            }
        }
    }
}
