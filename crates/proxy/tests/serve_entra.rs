//! Entra ID token refresh: the schedule on a paused clock, and re-AUTH on a live connection
//! against a real redis-server whose ACL user stands in for the Entra object id.

mod serve_support;

use base64::Engine as _;
use playground_proxy::serve::auth::entra::{AccessToken, BoxFuture, TokenManager, TokenSource};
use playground_proxy::serve::redact::Redactor;
use serve_support::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const OID: &str = "0b1e0000-test-oid";

fn fake_jwt(n: usize) -> String {
    let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.sig{n}", enc(r#"{"alg":"none"}"#), enc(&format!(r#"{{"oid":"{OID}","n":{n}}}"#)))
}

/// Hands out token 1, 2, 3 ... with a fixed lifetime; fails the calls listed in `fail_on`.
struct FakeSource {
    calls: AtomicUsize,
    lifetime: Duration,
    fail_on: Vec<usize>,
}

impl TokenSource for FakeSource {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, String>> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let fail = self.fail_on.contains(&n);
        let lifetime = self.lifetime;
        Box::pin(async move {
            if fail {
                return Err(format!("fake outage on call {n}"));
            }
            Ok(AccessToken { token: fake_jwt(n), expires_in: lifetime })
        })
    }
}

#[tokio::test(start_paused = true)]
async fn tokens_refresh_at_80_percent_and_retry_after_failure() {
    let source = Arc::new(FakeSource {
        calls: AtomicUsize::new(0),
        lifetime: Duration::from_secs(3600),
        fail_on: vec![3],
    });
    let (_mgr, mut rx) = TokenManager::start(source.clone(), None, Redactor::default()).await.unwrap();
    let first = rx.borrow_and_update().clone().unwrap();
    assert_eq!(first.object_id, OID);
    assert_eq!(first.token, fake_jwt(1));

    // One hour tokens: refresh at 48 minutes (80%), not before.
    tokio::time::sleep(Duration::from_secs(47 * 60)).await;
    assert!(!rx.has_changed().unwrap());
    assert_eq!(source.calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert!(rx.has_changed().unwrap());
    assert_eq!(rx.borrow_and_update().as_ref().unwrap().token, fake_jwt(2));

    // The third fetch fails: the old token stays, and a retry 15 s later succeeds.
    tokio::time::sleep(Duration::from_secs(48 * 60 + 1)).await;
    assert_eq!(source.calls.load(Ordering::SeqCst), 3);
    assert!(!rx.has_changed().unwrap());
    tokio::time::sleep(Duration::from_secs(16)).await;
    assert_eq!(source.calls.load(Ordering::SeqCst), 4);
    assert_eq!(rx.borrow_and_update().as_ref().unwrap().token, fake_jwt(4));
}

#[tokio::test(start_paused = true)]
async fn first_token_failure_stops_start_up_without_leaking() {
    let source = Arc::new(FakeSource {
        calls: AtomicUsize::new(0),
        lifetime: Duration::from_secs(60),
        fail_on: vec![1],
    });
    let err = TokenManager::start(source, None, Redactor::default()).await.err().unwrap();
    assert_eq!(err, "fake outage on call 1");
}

fn auth_calls(info: &str) -> u64 {
    info.lines()
        .find_map(|l| l.strip_prefix("cmdstat_auth:calls="))
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_connections_re_auth_with_the_refreshed_token() {
    let pki = Pki::new("entra");
    let redis = Redis::tls(&pki);
    // An ACL user named after the object id, accepting the first few fake tokens.
    let admin = Proxy::start(&args(&redis.url(), Some(&pki.ca))).await;
    let mut d = direct(&admin.state).await;
    let mut setuser: Vec<String> =
        vec!["ACL".into(), "SETUSER".into(), OID.into(), "on".into(), "~*".into(), "+@all".into()];
    setuser.extend((1..=8).map(|n| format!(">{}", fake_jwt(n))));
    let refs: Vec<&str> = setuser.iter().map(String::as_str).collect();
    assert_eq!(direct_call(&mut d, &[&refs]).await, b"+OK\r\n");

    let url = format!("rediss://localhost:{}", redis.port);
    let source = Arc::new(FakeSource {
        calls: AtomicUsize::new(0),
        lifetime: Duration::from_secs(4),
        fail_on: vec![],
    });
    let state = playground_proxy::serve::build_state_with(&args(&url, Some(&pki.ca)), Some(source.clone()))
        .await
        .unwrap();
    let proxy = Proxy::start_with(state).await;
    let mut ws = proxy.connect().await;
    let who = ws.call(&[&["ACL", "WHOAMI"]]).await;
    assert_eq!(text(&who), format!("${}\r\n{OID}\r\n", OID.len()));

    let info = |raw: Vec<u8>| text(&raw);
    let before = auth_calls(&info(direct_call(&mut d, &[&["INFO", "commandstats"]]).await));
    // 4 s tokens refresh at 2 s; wait for the second token to be issued and pushed.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert!(source.calls.load(Ordering::SeqCst) >= 2);
    assert_eq!(ws.call(&[&["PING"]]).await, b"+PONG\r\n");
    let after = auth_calls(&info(direct_call(&mut d, &[&["INFO", "commandstats"]]).await));
    assert!(after > before, "the live session re-sent AUTH (auth calls {before} -> {after})");

    // /health shows the auth kind, never the token.
    let (_, h) = http_get(&proxy.http_url("/health"), Some(ORIGIN)).await;
    assert_eq!(h["auth"], "entra");
    assert_eq!(h["upstream"]["state"], "up", "{h}");
    assert!(!h.to_string().contains("sig1"));
}
