//! Connections to the real Redis: TCP, TLS with real certificate checks, AUTH, and a raw
//! RESP relay.
//!
//! Why not the `redis` crate: it decodes replies into its own `Value` and re-encodes nothing,
//! so relaying would mean re-serialising, which loses exact bytes (RESP3 doubles, verbatim
//! strings, attributes, big numbers, error text as sent) and it routes RESP3 push frames away
//! from the reply stream. The page must see what Redis sent, byte for byte, so this module
//! relays raw frames: it only uses the engine's codec (`parse_frame`) to find where each reply
//! ends. TLS is rustls (ring) with the OS trust store (`rustls-native-certs`, read at start,
//! nothing downloaded) or a `--ca-file`; there is no way to skip verification.

use super::auth::Credentials;
use super::redact::Redactor;
use playground_engine::resp::{self, Limits as RespLimits};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{pem::PemObject, CertificateDer, ServerName};

use super::config::UpstreamTarget;

/// A byte stream to Redis, TLS or not.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Build the TLS client config: the OS store, or only the CAs of `ca_file`.
pub fn tls_config(ca_file: Option<&std::path::Path>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("cannot read --ca-file {}: {e}", path.display()))?
                .collect::<Result<_, _>>()
                .map_err(|e| format!("bad PEM in --ca-file {}: {e}", path.display()))?;
            if certs.is_empty() {
                return Err(format!("--ca-file {} holds no certificate", path.display()));
            }
            for c in certs {
                roots.add(c).map_err(|e| format!("bad CA certificate in {}: {e}", path.display()))?;
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            for c in found.certs {
                let _ = roots.add(c);
            }
            if roots.is_empty() {
                return Err("no trusted CA certificates in the OS store; pass --ca-file".into());
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Opens authenticated connections to one Redis.
#[derive(Clone)]
pub struct Connector {
    pub target: UpstreamTarget,
    pub tls: Option<tokio_rustls::TlsConnector>,
    pub creds: Credentials,
    pub timeout: Duration,
    pub redactor: Redactor,
}

/// A failure talking to Redis, already worded for the page and free of secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamError(pub String);

impl std::fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn reply_limits() -> RespLimits {
    RespLimits { max_depth: 64, ..RespLimits::default() }
}

/// One live connection: writes commands, reads replies as raw bytes.
pub struct Upstream {
    io: Box<dyn Io>,
    buf: bytes::BytesMut,
    /// The Entra token this connection authenticated with (to notice a refresh).
    pub auth_generation: Option<String>,
}

impl Connector {
    /// Connect, handshake TLS, AUTH, SELECT.
    pub async fn connect(&self) -> Result<Upstream, UpstreamError> {
        self.connect_node(&self.target.host, self.target.port).await
    }

    /// As [`Connector::connect`], to another node of the same service (a cluster shard), with
    /// the same TLS trust and credentials. A node given by IP address is checked against the
    /// URL's host name (a managed cluster's certificate names the service, not each node's IP).
    pub async fn connect_node(&self, host: &str, port: u16) -> Result<Upstream, UpstreamError> {
        let at = format!("{host}:{port}");
        let tls_name = if host.parse::<std::net::IpAddr>().is_ok() { &self.target.host } else { host };
        let tcp = tokio::time::timeout(self.timeout, TcpStream::connect((host, port)))
            .await
            .map_err(|_| {
                UpstreamError(format!(
                    "cannot reach Redis at {at}: connect timed out after {:?}",
                    self.timeout
                ))
            })?
            .map_err(|e| UpstreamError(format!("cannot reach Redis at {at}: {e}")))?;
        let _ = tcp.set_nodelay(true);
        let io: Box<dyn Io> = match &self.tls {
            Some(tls) => {
                let name = ServerName::try_from(tls_name.to_string())
                    .map_err(|_| UpstreamError(format!("invalid TLS server name {tls_name}")))?;
                let stream = tokio::time::timeout(self.timeout, tls.connect(name, tcp))
                    .await
                    .map_err(|_| UpstreamError(format!("TLS handshake with Redis at {at} timed out")))?
                    .map_err(|e| UpstreamError(format!("TLS handshake with Redis at {at} failed: {e}")))?;
                Box::new(stream)
            }
            None => Box::new(tcp),
        };
        let mut up = Upstream { io, buf: bytes::BytesMut::with_capacity(16 * 1024), auth_generation: None };
        self.authenticate(&mut up).await?;
        if let Some(db) = self.target.db {
            let reply = up.command(&["SELECT".to_string(), db.to_string()], self.timeout).await?;
            if reply.first() == Some(&b'-') {
                return Err(UpstreamError(format!("Redis refused SELECT {db}: {}", error_text(&reply))));
            }
        }
        Ok(up)
    }

    /// Send AUTH with the current credentials (also used to re-send a refreshed Entra token).
    pub async fn authenticate(&self, up: &mut Upstream) -> Result<(), UpstreamError> {
        let args = self.creds.auth_args().map_err(UpstreamError)?;
        let Some(args) = args else { return Ok(()) };
        let reply =
            up.command(&args, self.timeout).await.map_err(|e| UpstreamError(self.redactor.clean(&e.0)))?;
        if reply.first() == Some(&b'-') {
            return Err(UpstreamError(format!(
                "Redis rejected the proxy's credentials: {}",
                self.redactor.clean(&error_text(&reply))
            )));
        }
        up.auth_generation = args.last().cloned().filter(|_| matches!(self.creds, Credentials::Entra(_)));
        Ok(())
    }
}

/// The text of an error reply (`-WRONGPASS ...\r\n` -> `WRONGPASS ...`).
pub fn error_text(reply: &[u8]) -> String {
    let body = reply.strip_prefix(b"-").unwrap_or(reply);
    let body = body.strip_suffix(b"\r\n").unwrap_or(body);
    String::from_utf8_lossy(body).into_owned()
}

impl Upstream {
    /// Write raw bytes (already-encoded commands).
    pub async fn send(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), UpstreamError> {
        let write = async {
            self.io.write_all(bytes).await?;
            self.io.flush().await
        };
        tokio::time::timeout(timeout, write)
            .await
            .map_err(|_| UpstreamError(format!("Redis did not accept the command within {timeout:?}")))?
            .map_err(|e| UpstreamError(format!("lost the connection to Redis: {e}")))
    }

    /// Read one complete reply and append its raw bytes to `out`. `timeout` None waits forever
    /// (blocking commands; the page can still close the session).
    pub async fn read_reply(
        &mut self,
        out: &mut Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<(), UpstreamError> {
        let limits = reply_limits();
        let read = async {
            loop {
                match resp::parse_frame(&self.buf, &limits) {
                    Ok(Some((_, used))) => {
                        out.extend_from_slice(&self.buf.split_to(used));
                        return Ok(());
                    }
                    Ok(None) => {}
                    Err(e) => return Err(UpstreamError(format!("Redis sent a malformed reply: {e}"))),
                }
                self.buf.reserve(16 * 1024);
                let n = self
                    .io
                    .read_buf(&mut self.buf)
                    .await
                    .map_err(|e| UpstreamError(format!("lost the connection to Redis: {e}")))?;
                if n == 0 {
                    return Err(UpstreamError("Redis closed the connection".into()));
                }
            }
        };
        match timeout {
            Some(t) => tokio::time::timeout(t, read)
                .await
                .map_err(|_| UpstreamError(format!("Redis did not answer within {t:?}")))?,
            None => read.await,
        }
    }

    /// Send one command and return its raw reply.
    pub async fn command(&mut self, args: &[String], timeout: Duration) -> Result<Vec<u8>, UpstreamError> {
        let mut req = Vec::new();
        resp::encode_command(args, &mut req);
        self.send(&req, timeout).await?;
        let mut out = Vec::new();
        self.read_reply(&mut out, Some(timeout)).await?;
        Ok(out)
    }
}
