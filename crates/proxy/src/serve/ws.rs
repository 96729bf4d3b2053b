//! One page session: WebSocket messages of RESP commands in, RESP replies out.
//!
//! Protocol: each binary (or text) message from the page holds one or more COMPLETE commands
//! encoded as RESP (multibulk, or inline). The proxy answers each message with exactly one
//! binary message holding the replies to those commands, in order, as the raw bytes Redis sent
//! (or a local `-ERR playground-proxy: ...` for a denied command or an upstream failure).
//! Messages are handled in order, so a page may keep many in flight and match replies by order.
//!
//! Each session owns one Redis connection (opened on the first command, reopened after a
//! failure), so MULTI/EXEC, WATCH and SELECT behave as on a direct connection. Commands of one
//! message are written to Redis in one go (pipelined) before the replies are read.

use super::cluster::route::ClusterSession;
use super::cluster::Mode;
use super::policy::{is_blocking, Verdict};
use super::upstream::{Upstream, UpstreamError};
use super::AppState;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::Bytes;
use playground_engine::resp;
use std::sync::Arc;
use std::time::Duration;

/// WebSocket close codes used by the proxy.
pub mod close_code {
    /// Malformed RESP from the page.
    pub const INVALID_DATA: u16 = 1007;
    /// Policy: too many commands in one message.
    pub const POLICY: u16 = 1008;
    /// A message larger than `--max-frame`.
    pub const TOO_BIG: u16 = 1009;
    /// Closed after `--idle-timeout` without a message.
    pub const IDLE: u16 = 4000;
}

/// Longest a blocking command (BLPOP 0 ...) may wait before the proxy gives up.
pub(crate) const BLOCKING_MAX: Duration = Duration::from_secs(300);

/// Where one reply comes from.
enum Slot {
    Upstream { blocking: bool, args: Vec<Bytes> },
    Local(Vec<u8>),
}

/// A local error reply: one line, prefixed, secrets masked.
pub fn error_reply(state: &AppState, text: &str) -> Vec<u8> {
    let clean = state.redactor.clean(text).replace(['\r', '\n'], " ");
    format!("-{clean}\r\n").into_bytes()
}

fn upstream_failure(state: &AppState, e: &UpstreamError) -> Vec<u8> {
    error_reply(
        state,
        &format!(
            "ERR playground-proxy: {} (the next command reconnects; MULTI, WATCH and SELECT state is lost)",
            e.0
        ),
    )
}

struct Session {
    state: Arc<AppState>,
    upstream: Option<Upstream>,
    /// Set once the URL is known to be a cluster: routing by hash slot instead of `upstream`.
    cluster: Option<ClusterSession>,
    in_multi: bool,
    id: u64,
}

/// Run a session until the page leaves, idles out, or sends garbage.
pub async fn run(mut socket: WebSocket, state: Arc<AppState>, id: u64) {
    let mut token_rx = match &state.connector.creds {
        super::auth::Credentials::Entra(rx) => Some(rx.clone()),
        _ => None,
    };
    let mut s = Session { state: state.clone(), upstream: None, cluster: None, in_multi: false, id };
    let idle = state.limits.idle_timeout;
    loop {
        let token_changed = async {
            match token_rx.as_mut() {
                Some(rx) => rx.changed().await.is_ok(),
                None => std::future::pending().await,
            }
        };
        let msg = tokio::select! {
            m = tokio::time::timeout(idle, socket.recv()) => m,
            ok = token_changed => {
                if !ok {
                    token_rx = None;
                }
                s.reauth_if_needed().await;
                continue;
            }
        };
        let data: Bytes = match msg {
            Err(_) => {
                close(&mut socket, close_code::IDLE, "idle timeout").await;
                break;
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                let text = e.to_string();
                tracing::info!(session = id, "websocket error: {text}");
                if text.contains("too long") || text.contains("Space limit") || text.contains("size") {
                    let limit = state.limits.max_frame;
                    close(&mut socket, close_code::TOO_BIG, &format!("message larger than {limit} bytes"))
                        .await;
                }
                break;
            }
            Ok(Some(Ok(Message::Binary(b)))) => b,
            Ok(Some(Ok(Message::Text(t)))) => Bytes::copy_from_slice(t.as_str().as_bytes()),
            Ok(Some(Ok(Message::Close(_)))) => break,
            Ok(Some(Ok(_))) => continue, // ping/pong are answered by the library
        };
        if data.len() > state.limits.max_frame {
            let limit = state.limits.max_frame;
            tracing::info!(session = id, "message of {} bytes refused (limit {limit})", data.len());
            close(&mut socket, close_code::TOO_BIG, &format!("message larger than {limit} bytes")).await;
            break;
        }
        match s.handle(&data).await {
            Ok((reply, quit)) => {
                if socket.send(Message::Binary(reply.into())).await.is_err() {
                    break;
                }
                if quit {
                    close(&mut socket, 1000, "QUIT").await;
                    break;
                }
            }
            Err((reply, code, reason)) => {
                let _ = socket.send(Message::Binary(reply.into())).await;
                close(&mut socket, code, &reason).await;
                break;
            }
        }
    }
    tracing::debug!(session = id, "session closed");
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame { code, reason: reason.to_string().into() };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

type Fatal = (Vec<u8>, u16, String);

impl Session {
    /// Parse, police, relay one message. `Ok((replies, quit))`, or a fatal error to send
    /// before closing the session.
    async fn handle(&mut self, data: &[u8]) -> Result<(Vec<u8>, bool), Fatal> {
        let state = self.state.clone();
        let limits = resp::Limits { max_bulk_len: state.limits.max_frame, ..resp::Limits::default() };
        let mut slots = Vec::new();
        let mut payload = Vec::with_capacity(data.len());
        let mut pos = 0;
        let mut quit = false;
        // RESET logs the connection out (back to the default user): start a fresh, authenticated
        // connection after this message instead.
        let mut reset = false;
        while pos < data.len() {
            let (args, used) = match resp::parse_command(&data[pos..], &limits) {
                Ok(Some(parsed)) => parsed,
                Ok(None) => {
                    let msg = "ERR playground-proxy: incomplete command in message (each message must hold whole RESP commands)";
                    return Err((
                        error_reply(&state, msg),
                        close_code::INVALID_DATA,
                        "incomplete RESP command".into(),
                    ));
                }
                Err(e) => {
                    return Err((
                        error_reply(&state, &e.0),
                        close_code::INVALID_DATA,
                        "malformed RESP".into(),
                    ));
                }
            };
            pos += used;
            if args.is_empty() {
                continue;
            }
            if slots.len() >= state.limits.max_pipeline {
                let msg = format!(
                    "ERR playground-proxy: more than {} commands in one message",
                    state.limits.max_pipeline
                );
                return Err((error_reply(&state, &msg), close_code::POLICY, "pipeline too deep".into()));
            }
            let forward = match state.policy.check(&args) {
                Verdict::Deny(text) => {
                    tracing::info!(session = self.id, "denied: {}", String::from_utf8_lossy(&args[0]));
                    slots.push(Slot::Local(error_reply(&state, &text)));
                    continue;
                }
                Verdict::Warn(why) => {
                    tracing::warn!(
                        session = self.id,
                        "{}: {why}",
                        String::from_utf8_lossy(&args[0]).to_uppercase()
                    );
                    args
                }
                Verdict::Allow => args,
                Verdict::Rewrite(new) => new,
            };
            let name = String::from_utf8_lossy(&forward[0]).to_ascii_lowercase();
            match name.as_str() {
                "multi" => self.in_multi = true,
                "exec" | "discard" => self.in_multi = false,
                "reset" => {
                    self.in_multi = false;
                    reset = true;
                }
                "quit" => quit = true,
                _ => {}
            }
            resp::encode_command(&forward, &mut payload);
            slots.push(Slot::Upstream { blocking: is_blocking(&forward), args: forward });
            if quit {
                break;
            }
        }
        let mut out = Vec::new();
        let wants_upstream = slots.iter().any(|s| matches!(s, Slot::Upstream { .. }));
        let mut failure: Option<UpstreamError> = None;
        if wants_upstream {
            if let Err(e) = self.detect_cluster().await {
                failure = Some(e);
            }
        }
        if self.cluster.is_some() {
            return Ok((self.handle_cluster(slots, quit || reset).await, quit));
        }
        if wants_upstream && failure.is_none() {
            if let Err(e) = self.ensure_connected().await {
                failure = Some(e);
            } else if let Some(up) = self.upstream.as_mut() {
                if let Err(e) = up.send(&payload, state.limits.upstream_timeout).await {
                    failure = Some(e);
                }
            }
        }
        for slot in slots {
            match slot {
                Slot::Local(bytes) => out.extend_from_slice(&bytes),
                Slot::Upstream { blocking, .. } => {
                    if let Some(e) = &failure {
                        out.extend_from_slice(&upstream_failure(&state, e));
                        continue;
                    }
                    let timeout = if blocking { BLOCKING_MAX } else { state.limits.upstream_timeout };
                    let Some(up) = self.upstream.as_mut() else {
                        failure = Some(UpstreamError("no connection to Redis".into()));
                        out.extend_from_slice(&upstream_failure(
                            &state,
                            &UpstreamError("no connection to Redis".into()),
                        ));
                        continue;
                    };
                    if let Err(e) = up.read_reply(&mut out, Some(timeout)).await {
                        out.extend_from_slice(&upstream_failure(&state, &e));
                        failure = Some(e);
                    }
                }
            }
        }
        if let Some(e) = failure {
            tracing::warn!(session = self.id, "upstream: {}", state.redactor.clean(&e.0));
            // The reply stream position is unknown now: start over on the next command.
            self.upstream = None;
            self.in_multi = false;
        } else {
            self.reauth_if_needed().await;
        }
        if quit || reset {
            self.upstream = None;
        }
        Ok((out, quit))
    }

    /// On the first command: is the URL a cluster? (Detected once per proxy.)
    async fn detect_cluster(&mut self) -> Result<(), UpstreamError> {
        if self.cluster.is_some() || self.upstream.is_some() {
            return Ok(());
        }
        let mode = self
            .state
            .cluster
            .mode(&self.state.connector)
            .await
            .map_err(|e| UpstreamError(self.state.redactor.clean(&e.0)))?;
        if let Mode::Cluster(shared) = mode {
            self.cluster = Some(ClusterSession::new(shared.clone()));
        }
        Ok(())
    }

    /// Cluster mode: each command routed on its own (commands of one message may go to
    /// different shards), replies in order.
    async fn handle_cluster(&mut self, slots: Vec<Slot>, drop_after: bool) -> Vec<u8> {
        let state = self.state.clone();
        let Some(cluster) = self.cluster.as_mut() else { return Vec::new() };
        let mut cmds = Vec::new();
        let mut order = Vec::with_capacity(slots.len());
        for slot in slots {
            match slot {
                Slot::Local(bytes) => order.push(Some(bytes)),
                Slot::Upstream { blocking, args } => {
                    cmds.push((args, blocking));
                    order.push(None);
                }
            }
        }
        let mut replies = cluster.exec_all(&state, cmds).await.into_iter();
        let mut out = Vec::new();
        for local in order {
            match local.map(Ok).or_else(|| replies.next()) {
                Some(Ok(reply)) => out.extend_from_slice(&reply),
                Some(Err(e)) => {
                    tracing::warn!(session = self.id, "upstream: {}", state.redactor.clean(&e.0));
                    out.extend_from_slice(&upstream_failure(&state, &e));
                }
                None => {}
            }
        }
        self.in_multi = cluster.in_multi();
        if drop_after {
            cluster.reset();
        } else if !cluster.in_multi() {
            cluster.reauth(&state).await;
        }
        out
    }

    async fn ensure_connected(&mut self) -> Result<(), UpstreamError> {
        if self.upstream.is_none() {
            let up = self
                .state
                .connector
                .connect()
                .await
                .map_err(|e| UpstreamError(self.state.redactor.clean(&e.0)))?;
            self.upstream = Some(up);
        }
        Ok(())
    }

    /// Re-send AUTH if the Entra token changed since this connection authenticated (not inside
    /// MULTI: AUTH would be queued into the transaction).
    async fn reauth_if_needed(&mut self) {
        if self.in_multi {
            return;
        }
        if let Some(cluster) = self.cluster.as_mut() {
            if !cluster.in_multi() {
                cluster.reauth(&self.state).await;
            }
            return;
        }
        let super::auth::Credentials::Entra(rx) = &self.state.connector.creds else { return };
        let current = rx.borrow().as_ref().map(|t| t.token.clone());
        let Some(up) = self.upstream.as_mut() else { return };
        if up.auth_generation == current {
            return;
        }
        if let Err(e) = self.state.connector.authenticate(up).await {
            tracing::warn!(session = self.id, "re-AUTH with a refreshed Entra token failed: {}", e.0);
            self.upstream = None;
        } else {
            tracing::debug!(session = self.id, "re-authenticated with a refreshed Entra token");
        }
    }
}
