//! `playground-proxy serve`: lets the browser page talk to a real Redis / Azure Managed Redis
//! without ever holding a secret.
//!
//! ```text
//! page --WebSocket /ws (RESP bytes)--> proxy --TLS + AUTH--> Redis
//! page --GET /health, POST /api/embeddings--> proxy
//! ```
//!
//! HTTP and WebSocket are served by axum (its `ws` feature wraps tokio-tungstenite): one port
//! carries `/ws`, `/health` and `/api/embeddings` with routing, CORS and extractors, which a bare
//! tungstenite accept loop would make us rebuild by hand.
//!
//! Modules: `config` (flags), `origin` (Origin + token gate), `policy` (denied commands, key
//! jail), `ws` (one session), `upstream` (TLS + AUTH + raw relay), `auth` (password, Entra ID),
//! `cluster` (a Redis Cluster behind the URL: slot map, per-shard connections, routing),
//! `health`, `embeddings`, `redact` (secrets out of every message).

pub mod auth;
pub mod cluster;
pub mod config;
pub mod embeddings;
pub mod health;
pub mod origin;
pub mod policy;
pub mod redact;
pub mod upstream;
pub mod ws;

use axum::extract::{ConnectInfo, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bytes::Bytes;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub use config::ServeArgs;

/// Everything a request handler needs.
pub struct AppState {
    pub connector: upstream::Connector,
    /// Single endpoint or Redis Cluster, found out on the first session.
    pub cluster: cluster::Detector,
    pub policy: policy::Policy,
    pub gate: origin::Gate,
    pub limits: config::Limits,
    pub redactor: redact::Redactor,
    pub embeddings: Option<embeddings::Embeddings>,
    sessions: Arc<Semaphore>,
    per_ip: Arc<Mutex<HashMap<IpAddr, usize>>>,
    next_id: AtomicU64,
    /// Keeps the Entra refresh task alive.
    _token_manager: Option<auth::entra::TokenManager>,
}

impl AppState {
    /// Sessions open right now.
    pub fn sessions_open(&self) -> usize {
        self.limits.max_sessions.saturating_sub(self.sessions.available_permits())
    }

    /// Whether the URL turned out to be a Redis Cluster (false until the first session).
    pub fn is_cluster(&self) -> bool {
        matches!(self.cluster.current(), Some(cluster::Mode::Cluster(_)))
    }

    /// How often the cluster's slot map changed (MOVED, refreshes).
    pub fn cluster_refreshes(&self) -> u64 {
        match self.cluster.current() {
            Some(cluster::Mode::Cluster(s)) => s.refreshes.load(Ordering::Relaxed),
            _ => 0,
        }
    }
}

/// Releases a per-IP slot when the session ends.
struct IpSlot {
    map: Arc<Mutex<HashMap<IpAddr, usize>>>,
    ip: IpAddr,
}

impl Drop for IpSlot {
    fn drop(&mut self) {
        if let Ok(mut m) = self.map.lock() {
            if let Some(n) = m.get_mut(&self.ip) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    m.remove(&self.ip);
                }
            }
        }
    }
}

/// Build the shared state from the flags (fetches the first Entra token if `--entra`).
pub async fn build_state(args: &ServeArgs) -> Result<Arc<AppState>, String> {
    build_state_with(args, None).await
}

/// As [`build_state`], with an explicit Entra token source (tests use a fake).
pub async fn build_state_with(
    args: &ServeArgs,
    token_source: Option<Arc<dyn auth::entra::TokenSource>>,
) -> Result<Arc<AppState>, String> {
    let redactor = redact::Redactor::default();
    let target = config::parse_redis_url(&args.redis)?;
    for s in [target.password.as_deref(), args.token.as_deref(), args.embeddings_key.as_deref()]
        .into_iter()
        .flatten()
    {
        redactor.add(s);
    }
    let tls = if target.tls {
        Some(tokio_rustls::TlsConnector::from(upstream::tls_config(args.ca_file.as_deref())?))
    } else {
        None
    };
    let mut token_manager = None;
    let creds = if args.entra || token_source.is_some() {
        let source = token_source.unwrap_or_else(|| Arc::new(auth::entra::AzureCliSource));
        let (mgr, rx) =
            auth::entra::TokenManager::start(source, args.entra_object_id.clone(), redactor.clone()).await?;
        token_manager = Some(mgr);
        auth::Credentials::Entra(rx)
    } else {
        match &target.password {
            Some(p) => auth::Credentials::Password { user: target.username.clone(), password: p.clone() },
            None => auth::Credentials::None,
        }
    };
    let embeddings = match &args.embeddings_url {
        Some(u) => Some(embeddings::Embeddings::new(
            u,
            args.embeddings_key.clone(),
            args.embeddings_deployment.clone(),
        )?),
        None => None,
    };
    let limits = args.limits();
    Ok(Arc::new(AppState {
        connector: upstream::Connector {
            target,
            tls,
            creds,
            timeout: limits.upstream_timeout,
            redactor: redactor.clone(),
        },
        cluster: cluster::Detector::default(),
        policy: policy::Policy {
            allow_dangerous: args.allow_dangerous,
            key_prefix: args.key_prefix.clone().filter(|p| !p.is_empty()).map(Bytes::from),
        },
        gate: origin::Gate::new(args.origins(), args.token.clone()),
        sessions: Arc::new(Semaphore::new(limits.max_sessions)),
        limits,
        redactor,
        embeddings,
        per_ip: Arc::new(Mutex::new(HashMap::new())),
        next_id: AtomicU64::new(1),
        _token_manager: token_manager,
    }))
}

/// The HTTP routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/ws", get(ws_handler))
        .route("/health", get(health_handler).options(preflight))
        .route("/api/embeddings", axum::routing::post(embeddings_handler).options(preflight))
        .with_state(state)
}

/// Bind and serve until the process ends.
pub async fn run(args: ServeArgs) -> Result<(), String> {
    let state = build_state(&args).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    if !args.listen.ip().is_loopback() {
        tracing::warn!(
            "listening on {} (not loopback): anyone who can reach it can use your Redis",
            args.listen
        );
    }
    tracing::info!(
        "playground-proxy serve: ws://{}/ws -> {} (origins: {})",
        args.listen,
        state.connector.target.display,
        state.gate.origins.join(", ")
    );
    serve_on(listener, state).await
}

/// Serve on an already-bound listener (tests bind port 0).
pub async fn serve_on(listener: tokio::net::TcpListener, state: Arc<AppState>) -> Result<(), String> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .await
        .map_err(|e| format!("server error: {e}"))
}

fn reject(status: StatusCode, msg: &str) -> Response {
    (status, Json(serde_json::json!({ "error": msg }))).into_response()
}

fn cors(mut resp: Response, origin: Option<String>) -> Response {
    if let Some(o) = origin.and_then(|o| HeaderValue::from_str(&o).ok()) {
        let h = resp.headers_mut();
        h.insert("access-control-allow-origin", o);
        h.insert("vary", HeaderValue::from_static("Origin"));
        h.insert("access-control-allow-headers", HeaderValue::from_static("content-type, authorization"));
        h.insert("access-control-allow-methods", HeaderValue::from_static("GET, POST, OPTIONS"));
    }
    resp
}

/// Origin and token checks for plain HTTP routes.
fn gate_http(
    state: &AppState,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<Option<String>, Box<Response>> {
    let origin = state.gate.check_origin(headers).map_err(|e| Box::new(reject(StatusCode::FORBIDDEN, &e)))?;
    if !state.gate.check_token(query.get("token").map(String::as_str), headers) {
        return Err(Box::new(cors(reject(StatusCode::UNAUTHORIZED, "missing or wrong proxy token"), origin)));
    }
    Ok(origin)
}

async fn preflight(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match state.gate.check_origin(&headers) {
        Ok(origin) => cors(StatusCode::NO_CONTENT.into_response(), origin),
        Err(e) => reject(StatusCode::FORBIDDEN, &e),
    }
}

async fn health_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let origin = match gate_http(&state, &headers, &query) {
        Ok(o) => o,
        Err(r) => return *r,
    };
    cors(Json(health::report(&state).await).into_response(), origin)
}

async fn embeddings_handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let origin = match gate_http(&state, &headers, &query) {
        Ok(o) => o,
        Err(r) => return *r,
    };
    let resp = match &state.embeddings {
        None => reject(
            StatusCode::NOT_FOUND,
            "no embeddings endpoint configured (start the proxy with --embeddings-url)",
        ),
        Some(e) => match serde_json::from_slice::<serde_json::Value>(&body) {
            Err(_) => reject(StatusCode::BAD_REQUEST, "body must be JSON: {\"input\": [\"text\", ...]}"),
            Ok(v) => match e.embed(&v, &state.redactor).await {
                Ok(out) => Json(out).into_response(),
                Err((code, msg)) => {
                    reject(StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY), &msg)
                }
            },
        },
    };
    cors(resp, origin)
}

async fn ws_handler(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Err(e) = state.gate.check_origin(&headers) {
        tracing::warn!("refused WebSocket from {peer}: {e}");
        return reject(StatusCode::FORBIDDEN, &e);
    }
    if !state.gate.check_token(query.get("token").map(String::as_str), &headers) {
        return reject(StatusCode::UNAUTHORIZED, "missing or wrong proxy token");
    }
    let Ok(permit) = state.sessions.clone().try_acquire_owned() else {
        return reject(StatusCode::SERVICE_UNAVAILABLE, "too many sessions on this proxy");
    };
    let ip = peer.ip();
    {
        let Ok(mut m) = state.per_ip.lock() else {
            return reject(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        };
        let n = m.entry(ip).or_insert(0);
        if *n >= state.limits.max_per_ip {
            return reject(StatusCode::TOO_MANY_REQUESTS, "too many sessions from this address");
        }
        *n += 1;
    }
    let slot = IpSlot { map: state.per_ip.clone(), ip };
    let id = state.next_id.fetch_add(1, Ordering::Relaxed);
    // The library's hard cap is 4x --max-frame: a message up to that size is read whole and
    // refused with a clean close (1009); beyond it the library drops the connection.
    let hard_cap = state.limits.max_frame.saturating_mul(4);
    upgrade.max_message_size(hard_cap).max_frame_size(hard_cap).protocols(["resp"]).on_upgrade(
        move |socket| async move {
            let _permit = permit;
            let _slot = slot;
            ws::run(socket, state, id).await;
        },
    )
}
