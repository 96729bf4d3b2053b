//! Test fixtures for `playground-proxy serve`: a throwaway PKI (rcgen), a real `redis-server`
//! with TLS and a password on loopback, an in-process proxy, and WebSocket / direct clients.

#![allow(dead_code)]

pub mod cluster;

use futures_util::{SinkExt, StreamExt};
use playground_proxy::serve::{self, config::ServeArgs};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

pub const PASSWORD: &str = "pw-Secr3t-for-tests";
pub const ORIGIN: &str = "http://localhost:8080";

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let p = std::env::temp_dir().join(format!("pg-proxy-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A CA and a server certificate for localhost / 127.0.0.1 signed by it, written as PEM files.
pub struct Pki {
    pub dir: TempDir,
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Pki {
    pub fn new(tag: &str) -> Pki {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
        let dir = TempDir::new(tag);
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, format!("playground test CA {tag}"));
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params.subject_alt_names.push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
        params.distinguished_name.push(DnType::CommonName, "localhost");
        let cert = params.signed_by(&key, &ca_cert, &ca_key).unwrap();
        let ca = dir.0.join("ca.pem");
        let cert_path = dir.0.join("server.pem");
        let key_path = dir.0.join("server.key");
        std::fs::write(&ca, ca_cert.pem()).unwrap();
        std::fs::write(&cert_path, cert.pem()).unwrap();
        std::fs::write(&key_path, key.serialize_pem()).unwrap();
        Pki { dir, ca, cert: cert_path, key: key_path }
    }
}

fn port_free(port: u16) -> bool {
    std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// 10000 (Azure's TLS port) for the first server of this test process if it is free, else a
/// free port from the OS. Only once per process: a test that kills and restarts its server must
/// not find another test's server on its port in between.
pub fn pick_port() -> u16 {
    static CLAIMED_10000: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !CLAIMED_10000.swap(true, std::sync::atomic::Ordering::SeqCst) && port_free(10000) {
        return 10000;
    }
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A `redis-server` child with TLS and `--requirepass` (or plain TCP without a password).
pub struct Redis {
    pub port: u16,
    pub tls: bool,
    child: Option<Child>,
    args: Vec<String>,
    _dir: TempDir,
}

impl Redis {
    /// TLS on `pick_port()` with [`PASSWORD`], certificate from `pki`.
    pub fn tls(pki: &Pki) -> Redis {
        let dir = TempDir::new("redis");
        for _ in 0..5 {
            let port = pick_port();
            let args = vec![
                "--port".into(),
                "0".into(),
                "--tls-port".into(),
                port.to_string(),
                "--bind".into(),
                "127.0.0.1".into(),
                "--tls-cert-file".into(),
                pki.cert.display().to_string(),
                "--tls-key-file".into(),
                pki.key.display().to_string(),
                "--tls-ca-cert-file".into(),
                pki.ca.display().to_string(),
                "--tls-auth-clients".into(),
                "no".into(),
                "--requirepass".into(),
                PASSWORD.into(),
                "--save".into(),
                "".into(),
                "--appendonly".into(),
                "no".into(),
                "--dir".into(),
                dir.0.display().to_string(),
            ];
            let mut r = Redis { port, tls: true, child: None, args, _dir: TempDir::new("redis-data") };
            if r.start() {
                r._dir = dir;
                return r;
            }
        }
        panic!("redis-server did not start with TLS");
    }

    /// Plain TCP, no password, on a free port.
    pub fn plain() -> Redis {
        let dir = TempDir::new("redis-plain");
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let args = vec![
            "--port".into(),
            port.to_string(),
            "--bind".into(),
            "127.0.0.1".into(),
            "--save".into(),
            "".into(),
            "--appendonly".into(),
            "no".into(),
            "--dir".into(),
            dir.0.display().to_string(),
        ];
        let mut r = Redis { port, tls: false, child: None, args, _dir: dir };
        assert!(r.start(), "redis-server did not start");
        r
    }

    /// (Re)start the server with the same arguments; true once it accepts connections.
    pub fn start(&mut self) -> bool {
        let child = Command::new("redis-server")
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be in PATH");
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            if let Some(Ok(Some(_))) = self.child.as_mut().map(|c| c.try_wait()) {
                return false; // exited (port taken?)
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        false
    }

    /// Kill the server (SIGKILL) and wait for it.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The URL the proxy uses, with the password.
    pub fn url(&self) -> String {
        if self.tls {
            format!("rediss://default:{PASSWORD}@localhost:{}", self.port)
        } else {
            format!("redis://127.0.0.1:{}", self.port)
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Proxy flags as the CLI would default them, pointed at `redis_url`.
pub fn args(redis_url: &str, ca: Option<&Path>) -> ServeArgs {
    ServeArgs {
        listen: "127.0.0.1:0".parse().unwrap(),
        redis: redis_url.to_string(),
        ca_file: ca.map(Path::to_path_buf),
        allow_origin: vec![],
        token: None,
        allow_dangerous: false,
        key_prefix: None,
        entra: false,
        entra_object_id: None,
        embeddings_url: None,
        embeddings_key: None,
        embeddings_deployment: None,
        max_sessions: 1024,
        max_per_ip: 600,
        max_frame: 1024 * 1024,
        max_pipeline: 1000,
        idle_timeout: 600,
        upstream_timeout: 5,
    }
}

/// A proxy serving in this runtime; dropped with the runtime.
pub struct Proxy {
    pub addr: SocketAddr,
    pub state: Arc<serve::AppState>,
}

impl Proxy {
    pub async fn start(args: &ServeArgs) -> Proxy {
        let state = serve::build_state(args).await.expect("proxy state");
        Proxy::start_with(state).await
    }

    pub async fn start_with(state: Arc<serve::AppState>) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(serve::serve_on(listener, state.clone()));
        Proxy { addr, state }
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Open a session with the allowed Origin.
    pub async fn connect(&self) -> Ws {
        Ws::connect(&self.ws_url(), Some(ORIGIN)).await.expect("websocket connect")
    }
}

pub type WsStream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A page-like WebSocket client.
pub struct Ws(pub WsStream);

impl Ws {
    pub async fn connect(
        url: &str,
        origin: Option<&str>,
    ) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
        let mut req = url.into_client_request()?;
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse().unwrap());
        }
        req.headers_mut().insert("sec-websocket-protocol", "resp".parse().unwrap());
        let (ws, _) = tokio_tungstenite::connect_async(req).await?;
        Ok(Ws(ws))
    }

    pub async fn send_raw(&mut self, bytes: Vec<u8>) {
        self.0.send(Message::Binary(bytes.into())).await.expect("ws send");
    }

    /// Next binary message (panics on close / timeout).
    pub async fn recv_bin(&mut self) -> Vec<u8> {
        match tokio::time::timeout(Duration::from_secs(20), self.0.next()).await {
            Ok(Some(Ok(Message::Binary(b)))) => b.to_vec(),
            other => panic!("expected a binary message, got {other:?}"),
        }
    }

    /// The close frame (code, reason) after skipping data messages.
    pub async fn recv_close(&mut self) -> Option<(u16, String)> {
        loop {
            match tokio::time::timeout(Duration::from_secs(20), self.0.next()).await {
                Ok(Some(Ok(Message::Close(Some(f))))) => return Some((f.code.into(), f.reason.to_string())),
                Ok(Some(Ok(Message::Close(None)))) | Ok(None) | Ok(Some(Err(_))) => return None,
                Ok(Some(Ok(_))) => continue,
                Err(_) => panic!("no close within 20s"),
            }
        }
    }

    /// Send commands in one message, return the concatenated reply bytes.
    pub async fn call(&mut self, cmds: &[&[&str]]) -> Vec<u8> {
        self.send_raw(encode(cmds)).await;
        self.recv_bin().await
    }
}

/// RESP-encode several commands.
pub fn encode(cmds: &[&[&str]]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in cmds {
        playground_engine::resp::encode_command(c, &mut out);
    }
    out
}

/// Split a buffer of replies into frames (raw bytes each).
pub fn split_replies(mut buf: &[u8]) -> Vec<Vec<u8>> {
    let limits = playground_engine::resp::Limits::default();
    let mut out = Vec::new();
    while !buf.is_empty() {
        let (_, used) = playground_engine::resp::parse_frame(buf, &limits).unwrap().expect("complete frame");
        out.push(buf[..used].to_vec());
        buf = &buf[used..];
    }
    out
}

/// A direct connection to Redis (same TLS trust, same password), for byte comparisons.
pub async fn direct(state: &serve::AppState) -> serve::upstream::Upstream {
    state.connector.connect().await.expect("direct connection")
}

/// Send commands directly, pipelined, and return the concatenated raw replies.
pub async fn direct_call(up: &mut serve::upstream::Upstream, cmds: &[&[&str]]) -> Vec<u8> {
    up.send(&encode(cmds), Duration::from_secs(10)).await.unwrap();
    let mut out = Vec::new();
    for _ in cmds {
        up.read_reply(&mut out, Some(Duration::from_secs(10))).await.unwrap();
    }
    out
}

/// GET a path on the proxy with an Origin header; (status, body).
pub async fn http_get(url: &str, origin: Option<&str>) -> (u16, serde_json::Value) {
    let client = reqwest::Client::new();
    let mut req = client.get(url);
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let body = resp.json().await.unwrap_or(serde_json::Value::Null);
    (status, body)
}

/// The text of a reply buffer, for error assertions.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What a load run did.
#[derive(Debug, Default, Clone)]
pub struct LoadResult {
    pub clients: usize,
    pub messages: u64,
    pub commands: u64,
    pub errors: u64,
    pub first_error: Option<String>,
}

/// `clients` concurrent sessions, each sending messages of `depth` pipelined commands
/// (SET, GET, INCR) and checking every reply, until `duration` has passed. Bounded by time and
/// by `max_messages` per client.
pub async fn run_load(
    proxy: &Proxy,
    clients: usize,
    depth: usize,
    duration: Duration,
    max_messages: u64,
) -> LoadResult {
    let deadline = tokio::time::Instant::now() + duration;
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let url = proxy.ws_url();
        tasks.push(tokio::spawn(async move {
            let mut r = LoadResult { clients: 1, ..Default::default() };
            let mut ws = match Ws::connect(&url, Some(ORIGIN)).await {
                Ok(ws) => ws,
                Err(e) => {
                    r.errors += 1;
                    r.first_error = Some(format!("connect: {e}"));
                    return r;
                }
            };
            let key = format!("load:{c}");
            let counter = format!("load:n:{c}");
            let mut n: u64 = 0;
            while tokio::time::Instant::now() < deadline && r.messages < max_messages {
                let mut cmds: Vec<Vec<String>> = Vec::with_capacity(depth);
                let mut expected = Vec::new();
                for i in 0..depth {
                    let v = format!("v{}", r.commands + i as u64);
                    match i % 3 {
                        0 => {
                            cmds.push(vec!["SET".into(), key.clone(), v.clone()]);
                            expected.extend_from_slice(b"+OK\r\n");
                        }
                        1 => {
                            let prev = format!("v{}", r.commands + i as u64 - 1);
                            cmds.push(vec!["GET".into(), key.clone()]);
                            expected.extend_from_slice(format!("${}\r\n{prev}\r\n", prev.len()).as_bytes());
                        }
                        _ => {
                            n += 1;
                            cmds.push(vec!["INCR".into(), counter.clone()]);
                            expected.extend_from_slice(format!(":{n}\r\n").as_bytes());
                        }
                    }
                }
                let mut payload = Vec::new();
                for c in &cmds {
                    playground_engine::resp::encode_command(c, &mut payload);
                }
                if ws.0.send(Message::Binary(payload.into())).await.is_err() {
                    r.errors += 1;
                    r.first_error.get_or_insert_with(|| "send failed".into());
                    break;
                }
                match tokio::time::timeout(Duration::from_secs(30), ws.0.next()).await {
                    Ok(Some(Ok(Message::Binary(b)))) if b[..] == expected[..] => {}
                    other => {
                        r.errors += 1;
                        r.first_error.get_or_insert_with(|| format!("{other:?}"));
                        break;
                    }
                }
                r.messages += 1;
                r.commands += depth as u64;
            }
            let _ = ws.0.close(None).await;
            r
        }));
    }
    let mut total = LoadResult::default();
    for t in tasks {
        let r = t.await.unwrap_or(LoadResult {
            errors: 1,
            first_error: Some("task panicked".into()),
            ..Default::default()
        });
        total.clients += r.clients;
        total.messages += r.messages;
        total.commands += r.commands;
        total.errors += r.errors;
        if total.first_error.is_none() {
            total.first_error = r.first_error;
        }
    }
    total
}

/// Resident memory of this process, in KiB (Linux).
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("VmRSS:").map(|v| v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0))
            })
        })
        .unwrap_or(0)
}
