//! `REPLICAOF host port` for real: the link to the primary the engine was told to follow.
//!
//! The engine decides what a replica is (read-only, stale-data rules, INFO and ROLE); this task
//! makes the connection Redis's `syncWithMaster` makes: AUTH when `masterauth` is set, PING,
//! REPLCONF listening-port and capa, `PSYNC ? -1` (always a full sync: the engine keeps no
//! backlog to resume from), the RDB file (sized, or ended by an EOF mark when the primary syncs
//! diskless), then the command stream, answering REPLCONF GETACK and acknowledging its offset
//! every second. A dropped link is retried every second until REPLICAOF changes.

use super::{now_ms, Shared};
use bytes::Bytes;
use playground_engine::resp::{parse_frame, Limits};
use playground_engine::Frame;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::{timeout, Instant};

/// Watch the engine's REPLICAOF target and keep one link task for it.
pub async fn watch(shared: Shared, own_port: u16) {
    let mut current: Option<((String, u16), JoinHandle<()>)> = None;
    let mut every = tokio::time::interval(Duration::from_millis(100));
    loop {
        every.tick().await;
        let wanted = shared.lock_async().await.primary();
        if current.as_ref().map(|(t, _)| t) == wanted.as_ref() {
            continue;
        }
        if let Some((_, task)) = current.take() {
            task.abort();
        }
        if let Some(target) = wanted {
            let task = tokio::spawn(keep_linked(shared.clone(), target.clone(), own_port));
            current = Some((target, task));
        }
    }
}

/// Link to `target` and follow it; after a failure, say the link is down and try again.
async fn keep_linked(shared: Shared, target: (String, u16), own_port: u16) {
    loop {
        let outcome = follow(&shared, &target, own_port).await;
        if let Err(e) = outcome {
            tracing::info!("replication link to {}:{} down: {e}", target.0, target.1);
        }
        shared.lock_async().await.primary_link_lost(now_ms());
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

type Result<T> = std::result::Result<T, String>;

/// A connection to the primary with what has been read but not used.
struct Link {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Link {
    async fn fill(&mut self) -> Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the primary closed the connection".into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// One line without its CRLF; the bare newlines a primary sends to keep the link alive
    /// while it prepares the sync are skipped.
    async fn line(&mut self) -> Result<String> {
        loop {
            let keepalives = self.buf.iter().take_while(|&&b| b == b'\n').count();
            self.buf.drain(..keepalives);
            if let Some(at) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..at]).into_owned();
                self.buf.drain(..at + 2);
                return Ok(line);
            }
            self.fill().await?;
        }
    }

    async fn send(&mut self, words: &[&[u8]]) -> Result<()> {
        let frame = Frame::Array(words.iter().map(|w| Frame::Bulk(Bytes::copy_from_slice(w))).collect());
        let mut out = Vec::new();
        frame.encode(playground_engine::Protocol::Resp2, &mut out);
        self.stream.write_all(&out).await.map_err(|e| e.to_string())
    }

    /// Send a handshake command; its reply must not be an error.
    async fn ask(&mut self, words: &[&[u8]]) -> Result<String> {
        self.send(words).await?;
        let reply = self.line().await?;
        match reply.strip_prefix('-') {
            Some(error) => Err(format!("{} answered {error}", String::from_utf8_lossy(words[0]))),
            None => Ok(reply),
        }
    }

    /// The RDB file after `+FULLRESYNC`: newlines while the primary prepares it, then
    /// `$<len>` and the bytes, or `$EOF:<40-byte mark>` and bytes up to the mark.
    async fn rdb(&mut self) -> Result<Vec<u8>> {
        let header = self.line().await?;
        let spec = header.strip_prefix('$').ok_or_else(|| format!("bad RDB header {header:?}"))?;
        if let Some(mark) = spec.strip_prefix("EOF:") {
            let mark = mark.as_bytes().to_vec();
            loop {
                if self.buf.len() >= mark.len() && self.buf.ends_with(&mark) {
                    let rdb = self.buf[..self.buf.len() - mark.len()].to_vec();
                    self.buf.clear();
                    return Ok(rdb);
                }
                self.fill().await?;
            }
        }
        let len: usize = spec.parse().map_err(|_| format!("bad RDB length {spec:?}"))?;
        while self.buf.len() < len {
            self.fill().await?;
        }
        Ok(self.buf.drain(..len).collect())
    }
}

/// One link's life: handshake, full sync, then the stream until it fails.
async fn follow(shared: &Shared, target: &(String, u16), own_port: u16) -> Result<()> {
    let address = format!("{}:{}", target.0, target.1);
    let stream = timeout(Duration::from_secs(5), TcpStream::connect(&address))
        .await
        .map_err(|_| format!("connecting to {address} timed out"))?
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).ok();
    let mut link = Link { stream, buf: Vec::new() };
    let (user, password) = {
        let engine = shared.lock_async().await;
        let config = &engine.server().config;
        (
            config.get("masteruser").filter(|u| !u.is_empty()),
            config.get("masterauth").filter(|p| !p.is_empty()),
        )
    };
    match (user, password) {
        (Some(user), Some(password)) => {
            link.ask(&[b"AUTH", user.as_bytes(), password.as_bytes()]).await?;
        }
        (None, Some(password)) => {
            link.ask(&[b"AUTH", password.as_bytes()]).await?;
        }
        _ => {}
    }
    link.ask(&[b"PING"]).await?;
    link.ask(&[b"REPLCONF", b"listening-port", own_port.to_string().as_bytes()]).await?;
    link.ask(&[b"REPLCONF", b"capa", b"eof", b"capa", b"psync2"]).await?;
    let reply = link.ask(&[b"PSYNC", b"?", b"-1"]).await?;
    let offset = reply
        .strip_prefix("+FULLRESYNC ")
        .and_then(|rest| rest.split(' ').nth(1)?.parse::<u64>().ok())
        .ok_or_else(|| format!("PSYNC answered {reply:?}"))?;
    let rdb = link.rdb().await?;
    {
        let mut engine = shared.lock_async().await;
        let skipped = engine.primary_synced(target, &rdb, offset, now_ms())?;
        if skipped > 0 {
            tracing::warn!("{skipped} module values (RedisJSON documents?) of the primary were not loaded");
        }
        shared.ring_pushed(&mut engine);
    }
    shared.changed.notify_waiters();
    tracing::info!("replicating {address}: full sync of {} bytes done", rdb.len());
    stream_commands(shared, &mut link).await
}

/// Apply the primary's stream; acknowledge the offset every second and on REPLCONF GETACK.
async fn stream_commands(shared: &Shared, link: &mut Link) -> Result<()> {
    let limits = Limits::default();
    let mut next_ack = Instant::now();
    loop {
        let mut applied = false;
        // Parse past what is used and drop it once per read, not once per command.
        let mut pos = 0;
        while let Some((frame, used)) =
            parse_frame(&link.buf[pos..], &limits).map_err(|e| format!("{e:?}"))?
        {
            pos += used;
            let Frame::Array(items) = frame else { continue };
            let args: Vec<Bytes> =
                items.iter().filter_map(|f| f.as_bytes().map(Bytes::copy_from_slice)).collect();
            let getack = args.len() >= 2
                && args[0].eq_ignore_ascii_case(b"REPLCONF")
                && args[1].eq_ignore_ascii_case(b"GETACK");
            // Redis acknowledges the offset before the GETACK itself.
            let before = {
                let mut engine = shared.lock_async().await;
                let before = engine.replica_offset();
                engine.apply_from_primary(args, used as u64, now_ms());
                shared.ring_pushed(&mut engine);
                before
            };
            applied = true;
            if getack {
                link.send(&[b"REPLCONF", b"ACK", before.to_string().as_bytes()]).await?;
            }
        }
        link.buf.drain(..pos);
        if applied {
            shared.changed.notify_waiters();
        }
        if Instant::now() >= next_ack {
            let offset = shared.lock_async().await.replica_offset();
            link.send(&[b"REPLCONF", b"ACK", offset.to_string().as_bytes()]).await?;
            next_ack = Instant::now() + Duration::from_secs(1);
        }
        match timeout(Duration::from_secs(1), link.fill()).await {
            Ok(filled) => filled?,
            Err(_) => continue,
        }
    }
}
