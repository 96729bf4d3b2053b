//! Microsoft Entra ID tokens for Azure Managed Redis, refreshed before they expire.
//!
//! Token source: the Azure CLI (`az account get-access-token --resource https://redis.azure.com`).
//! The `azure_identity` crate was not used: its current releases are betas that pull in the
//! whole `azure_core` HTTP stack (and its own TLS and async runtime glue) for what is, on a
//! developer machine, one CLI call; the [`TokenSource`] trait keeps the door open for a
//! managed-identity source later.
//!
//! Refresh rule: a token is renewed at 80% of its lifetime or 5 minutes before it expires,
//! whichever comes first; every live upstream connection watches the [`TokenManager`]'s channel
//! and re-sends `AUTH <object-id> <token>` when a new token arrives. Time is tokio's
//! [`Instant`], so tests run the schedule on a paused clock.

use super::super::redact::Redactor;
use base64::Engine as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The Entra audience for Azure Cache for Redis / Azure Managed Redis.
pub const REDIS_RESOURCE: &str = "https://redis.azure.com";

/// A token as a source hands it out.
#[derive(Clone)]
pub struct AccessToken {
    pub token: String,
    /// Time left until the token expires, measured when it was fetched.
    pub expires_in: Duration,
}

/// A token in use: what AUTH sends, and when it must be replaced.
#[derive(Clone)]
pub struct EntraToken {
    pub object_id: String,
    pub token: String,
    pub fetched_at: Instant,
    pub expires_at: Instant,
}

impl std::fmt::Debug for EntraToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EntraToken(oid={}, token=***)", self.object_id)
    }
}

/// Boxed future, so sources can be trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where tokens come from (the Azure CLI in production, a fake in tests).
pub trait TokenSource: Send + Sync {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, String>>;
}

/// When to fetch the next token: 80% of the lifetime, or 5 minutes before expiry if earlier,
/// but never before half the lifetime (a token shorter than 10 minutes would otherwise be
/// refreshed in a tight loop).
pub fn refresh_at(fetched_at: Instant, expires_at: Instant) -> Instant {
    let lifetime = expires_at.saturating_duration_since(fetched_at);
    let at_80 = fetched_at + lifetime.mul_f64(0.8);
    let five_before = expires_at.checked_sub(Duration::from_secs(300)).unwrap_or(fetched_at);
    let half = fetched_at + lifetime / 2;
    at_80.min(five_before).max(half)
}

/// The `oid` claim of a JWT access token (the Entra object id Redis expects as the AUTH user).
pub fn object_id_from_jwt(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("oid")?.as_str().map(str::to_string)
}

/// Keeps a fresh token in a watch channel until dropped.
pub struct TokenManager {
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TokenManager {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// How long to wait before retrying a failed refresh.
const RETRY_AFTER: Duration = Duration::from_secs(15);

impl TokenManager {
    /// Fetch the first token (an error here stops start-up with a clear message), then keep
    /// refreshing in the background. `object_id` overrides the token's `oid` claim.
    pub async fn start(
        source: Arc<dyn TokenSource>,
        object_id: Option<String>,
        redactor: Redactor,
    ) -> Result<(TokenManager, watch::Receiver<Option<Arc<EntraToken>>>), String> {
        let first = fetch_one(source.as_ref(), object_id.as_deref(), &redactor).await?;
        let (tx, rx) = watch::channel(Some(Arc::new(first)));
        let task = tokio::spawn(async move {
            loop {
                let next = {
                    let cur = tx.borrow();
                    match cur.as_ref() {
                        Some(t) => refresh_at(t.fetched_at, t.expires_at),
                        None => Instant::now(),
                    }
                };
                tokio::time::sleep_until(next).await;
                match fetch_one(source.as_ref(), object_id.as_deref(), &redactor).await {
                    Ok(t) => {
                        if tx.send(Some(Arc::new(t))).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        // The current token's refresh time is in the past now, so the loop
                        // tries again right after this pause.
                        tracing::warn!("Entra token refresh failed, retrying in {RETRY_AFTER:?}: {e}");
                        tokio::time::sleep(RETRY_AFTER).await;
                    }
                }
            }
        });
        Ok((TokenManager { task }, rx))
    }
}

async fn fetch_one(
    source: &dyn TokenSource,
    object_id: Option<&str>,
    redactor: &Redactor,
) -> Result<EntraToken, String> {
    let fetched_at = Instant::now();
    let t = source.fetch().await.map_err(|e| redactor.clean(&e))?;
    redactor.add(&t.token);
    let object_id = match object_id {
        Some(o) => o.to_string(),
        None => object_id_from_jwt(&t.token)
            .ok_or_else(|| "the Entra token has no `oid` claim; pass --entra-object-id".to_string())?,
    };
    Ok(EntraToken { object_id, token: t.token, fetched_at, expires_at: fetched_at + t.expires_in })
}

/// Tokens from `az account get-access-token --resource https://redis.azure.com`.
pub struct AzureCliSource;

impl TokenSource for AzureCliSource {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, String>> {
        Box::pin(async {
            let out = tokio::process::Command::new("az")
                .args(["account", "get-access-token", "--resource", REDIS_RESOURCE, "--output", "json"])
                .kill_on_drop(true)
                .output();
            let out = tokio::time::timeout(Duration::from_secs(60), out)
                .await
                .map_err(|_| "`az account get-access-token` timed out".to_string())?
                .map_err(|e| format!("cannot run the Azure CLI (`az`): {e}"))?;
            if !out.status.success() {
                let err = String::from_utf8_lossy(&out.stderr);
                return Err(format!("`az account get-access-token` failed: {}", err.trim()));
            }
            parse_az_output(&out.stdout, std::time::SystemTime::now())
        })
    }
}

/// Parse the CLI's JSON: `accessToken` and `expires_on` (epoch seconds; older CLIs only have
/// `expiresOn` as local time, in which case an hour is assumed, Entra's usual lifetime).
pub fn parse_az_output(json: &[u8], now: std::time::SystemTime) -> Result<AccessToken, String> {
    let v: serde_json::Value = serde_json::from_slice(json)
        .map_err(|_| "unexpected output from `az account get-access-token`".to_string())?;
    let token = v
        .get("accessToken")
        .and_then(|t| t.as_str())
        .ok_or("no accessToken in the Azure CLI output")?
        .to_string();
    let now_epoch = now.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let expires_on =
        v.get("expires_on").and_then(|e| e.as_u64().or_else(|| e.as_str().and_then(|s| s.parse().ok())));
    let expires_in = match expires_on {
        Some(at) => Duration::from_secs(at.saturating_sub(now_epoch)),
        None => Duration::from_secs(3600),
    };
    Ok(AccessToken { token, expires_in })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_rule() {
        let t0 = Instant::now();
        // One hour: 5 minutes before expiry (55 min) is later than 80% (48 min): refresh at 48.
        assert_eq!(refresh_at(t0, t0 + Duration::from_secs(3600)), t0 + Duration::from_secs(2880));
        // Two hours: 80% is 96 min, 5 minutes before is 115: 96.
        assert_eq!(refresh_at(t0, t0 + Duration::from_secs(7200)), t0 + Duration::from_secs(5760));
        // Ten minutes: 80% = 8 min, 5 min before = 5 min: 5.
        assert_eq!(refresh_at(t0, t0 + Duration::from_secs(600)), t0 + Duration::from_secs(300));
        // Short-lived: half the lifetime, not a tight loop.
        assert_eq!(refresh_at(t0, t0 + Duration::from_secs(60)), t0 + Duration::from_secs(30));
    }

    #[test]
    fn oid_claim() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"oid":"1234-abcd","aud":"https://redis.azure.com"}"#);
        assert_eq!(
            object_id_from_jwt(&format!("eyJhbGciOiJub25lIn0.{payload}.sig")).as_deref(),
            Some("1234-abcd")
        );
        assert_eq!(object_id_from_jwt("not-a-jwt"), None);
    }

    #[test]
    fn az_output() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let t = parse_az_output(br#"{"accessToken":"tok","expires_on":1003600,"tokenType":"Bearer"}"#, now)
            .unwrap();
        assert_eq!((t.token.as_str(), t.expires_in), ("tok", Duration::from_secs(3600)));
        assert!(parse_az_output(b"garbage", now).is_err());
    }
}
