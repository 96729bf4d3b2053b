//! `playground-proxy serve` options (clap) and the validated configuration built from them.
//!
//! Every flag can also come from an environment variable, so a password or key need not sit in
//! shell history: `PLAYGROUND_REDIS_URL='rediss://default:secret@host:10000' playground-proxy serve`.

use super::redact::redact_url;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Command-line arguments of `playground-proxy serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default: the proxy holds secrets for the page).
    #[arg(long, env = "PLAYGROUND_LISTEN", default_value = "127.0.0.1:7380")]
    pub listen: SocketAddr,
    /// Upstream Redis URL: rediss://[user:password@]host:port[/db] (TLS) or redis:// (plain TCP).
    #[arg(long, env = "PLAYGROUND_REDIS_URL", hide_env_values = true)]
    pub redis: String,
    /// PEM file of CA certificates to trust INSTEAD of the OS store (self-signed test servers).
    #[arg(long, env = "PLAYGROUND_CA_FILE")]
    pub ca_file: Option<PathBuf>,
    /// Page origins allowed to open the WebSocket (repeatable). Default: trunk's dev server.
    #[arg(long = "allow-origin", env = "PLAYGROUND_ALLOW_ORIGIN", value_delimiter = ',')]
    pub allow_origin: Vec<String>,
    /// Shared token the page must present (`?token=T`, WebSocket subprotocol `playground-token.T`, or `Authorization: Bearer T`).
    #[arg(long, env = "PLAYGROUND_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Allow FLUSHALL, CONFIG SET, EVAL, ... (only for a scratch instance).
    #[arg(long, env = "PLAYGROUND_ALLOW_DANGEROUS")]
    pub allow_dangerous: bool,
    /// Jail every key under this prefix; commands touching other keys are denied.
    #[arg(long, env = "PLAYGROUND_KEY_PREFIX")]
    pub key_prefix: Option<String>,
    /// Authenticate with Microsoft Entra ID (Azure CLI credential) instead of a password.
    #[arg(long, env = "PLAYGROUND_ENTRA")]
    pub entra: bool,
    /// Entra object id to send as the AUTH user (default: the token's `oid` claim).
    #[arg(long, env = "PLAYGROUND_ENTRA_OBJECT_ID")]
    pub entra_object_id: Option<String>,
    /// OpenAI-compatible or Azure OpenAI embeddings endpoint (base URL or full URL).
    #[arg(long, env = "PLAYGROUND_EMBEDDINGS_URL")]
    pub embeddings_url: Option<String>,
    /// API key for the embeddings endpoint (kept in the proxy).
    #[arg(long, env = "PLAYGROUND_EMBEDDINGS_KEY", hide_env_values = true)]
    pub embeddings_key: Option<String>,
    /// Model or Azure deployment name for embeddings.
    #[arg(long, env = "PLAYGROUND_EMBEDDINGS_DEPLOYMENT")]
    pub embeddings_deployment: Option<String>,
    /// Most concurrent page sessions (each holds one Redis connection).
    #[arg(long, env = "PLAYGROUND_MAX_SESSIONS", default_value_t = 1024)]
    pub max_sessions: usize,
    /// Most concurrent sessions from one client IP.
    #[arg(long, env = "PLAYGROUND_MAX_PER_IP", default_value_t = 600)]
    pub max_per_ip: usize,
    /// Largest WebSocket message accepted from the page, in bytes.
    #[arg(long, env = "PLAYGROUND_MAX_FRAME", default_value_t = 4 * 1024 * 1024)]
    pub max_frame: usize,
    /// Most commands in one message.
    #[arg(long, env = "PLAYGROUND_MAX_PIPELINE", default_value_t = 1000)]
    pub max_pipeline: usize,
    /// Seconds without a message before the session is closed.
    #[arg(long, env = "PLAYGROUND_IDLE_TIMEOUT", default_value_t = 600)]
    pub idle_timeout: u64,
    /// Seconds to wait for Redis (connect, and each reply of a non-blocking command).
    #[arg(long, env = "PLAYGROUND_UPSTREAM_TIMEOUT", default_value_t = 10)]
    pub upstream_timeout: u64,
}

/// Where and how to reach Redis, parsed from the URL.
#[derive(Clone)]
pub struct UpstreamTarget {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    pub username: Option<String>,
    pub password: Option<String>,
    pub db: Option<u32>,
    /// The URL with credentials masked, safe to log and show.
    pub display: String,
}

impl std::fmt::Debug for UpstreamTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

/// Parse `rediss://user:pass@host:port/db`. Errors never echo the URL (it may hold a password).
pub fn parse_redis_url(raw: &str) -> Result<UpstreamTarget, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("invalid --redis URL ({e}): {}", redact_url(raw)))?;
    let tls = match url.scheme() {
        "rediss" => true,
        "redis" => false,
        other => return Err(format!("--redis URL scheme must be rediss:// or redis://, not {other}://")),
    };
    let host = url
        .host_str()
        .ok_or_else(|| "--redis URL has no host".to_string())?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url.port().unwrap_or(if tls { 10000 } else { 6379 });
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let username = Some(decode(url.username())).filter(|u| !u.is_empty());
    let password = url.password().map(decode);
    let db = match url.path().trim_start_matches('/') {
        "" => None,
        n => Some(n.parse().map_err(|_| format!("--redis URL database must be a number, not {n}"))?),
    };
    Ok(UpstreamTarget { host, port, tls, username, password, db, display: redact_url(raw) })
}

/// Validated settings shared by every session.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_sessions: usize,
    pub max_per_ip: usize,
    pub max_frame: usize,
    pub max_pipeline: usize,
    pub idle_timeout: Duration,
    pub upstream_timeout: Duration,
}

impl ServeArgs {
    /// The origins allowed to connect: the flags, or trunk's default dev server.
    pub fn origins(&self) -> Vec<String> {
        if self.allow_origin.is_empty() {
            vec!["http://localhost:8080".into(), "http://127.0.0.1:8080".into()]
        } else {
            self.allow_origin.iter().map(|o| o.trim_end_matches('/').to_string()).collect()
        }
    }

    pub fn limits(&self) -> Limits {
        Limits {
            max_sessions: self.max_sessions.max(1),
            max_per_ip: self.max_per_ip.max(1),
            max_frame: self.max_frame.max(64),
            max_pipeline: self.max_pipeline.max(1),
            idle_timeout: Duration::from_secs(self.idle_timeout.max(1)),
            upstream_timeout: Duration::from_secs(self.upstream_timeout.max(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_with_credentials_is_parsed_and_masked() {
        let t = parse_redis_url("rediss://alice:s%40cret@cache.example.net:10000/2").unwrap();
        assert_eq!(t.host, "cache.example.net");
        assert_eq!(t.port, 10000);
        assert!(t.tls);
        assert_eq!(t.username.as_deref(), Some("alice"));
        assert_eq!(t.password.as_deref(), Some("s@cret"));
        assert_eq!(t.db, Some(2));
        assert!(!t.display.contains("cret"), "{}", t.display);
        assert!(!format!("{t:?}").contains("cret"));
    }

    #[test]
    fn password_only_and_defaults() {
        let t = parse_redis_url("rediss://:pw@h").unwrap();
        assert_eq!((t.username, t.password.as_deref(), t.port), (None, Some("pw"), 10000));
        let t = parse_redis_url("redis://127.0.0.1").unwrap();
        assert_eq!((t.tls, t.port), (false, 6379));
    }

    #[test]
    fn bad_url_error_hides_password() {
        let err = parse_redis_url("http://u:topsecret@h:1").unwrap_err();
        assert!(!err.contains("topsecret"), "{err}");
        let err = parse_redis_url("rediss://u:topsecret@h:1/x").unwrap_err();
        assert!(!err.contains("topsecret"), "{err}");
    }
}
