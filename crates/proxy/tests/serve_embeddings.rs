//! POST /api/embeddings against a tiny local fake of the OpenAI / Azure OpenAI embeddings API.

mod serve_support;

use serve_support::*;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A one-route HTTP/1.1 server: records each request, answers with `status` and `body`.
async fn fake_provider(status: u16, body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read headers, then Content-Length bytes of body.
                loop {
                    let n = s.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let t = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = t.find("\r\n\r\n") {
                        let len = t
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                log.lock().unwrap().push(String::from_utf8_lossy(&buf).into_owned());
                let reason = if status == 200 { "OK" } else { "Error" };
                let resp = format!(
                    "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(resp.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}/v1"), seen)
}

async fn post(url: &str, body: &str) -> (u16, serde_json::Value) {
    let resp = reqwest::Client::new()
        .post(url)
        .header("origin", ORIGIN)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(serde_json::Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embeddings_are_fetched_with_the_proxys_key() {
    let (base, seen) = fake_provider(200, r#"{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-1.5]},{"object":"embedding","index":1,"embedding":[1,2]}],"model":"m"}"#).await;
    let redis = Redis::plain();
    let mut a = args(&redis.url(), None);
    a.embeddings_url = Some(base);
    a.embeddings_key = Some("sk-test-KEY-42".into());
    a.embeddings_deployment = Some("text-embedding-3-small".into());
    let proxy = Proxy::start(&a).await;
    let (status, body) = post(&proxy.http_url("/api/embeddings"), r#"{"input":["hello","world"]}"#).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        serde_json::json!({"data":[{"index":0,"embedding":[0.25,-1.5]},{"index":1,"embedding":[1,2]}]})
    );
    let req = seen.lock().unwrap()[0].clone();
    assert!(req.starts_with("POST /v1/embeddings HTTP/1.1"), "{req}");
    assert!(req.to_ascii_lowercase().contains("authorization: bearer sk-test-key-42"), "{req}");
    assert!(req.contains(r#""model":"text-embedding-3-small""#), "{req}");
    assert!(req.contains(r#""input":["hello","world"]"#), "{req}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_errors_never_echo_the_key() {
    let (base, _) =
        fake_provider(401, r#"{"error":{"message":"Incorrect API key provided: sk-test-KEY-42"}}"#).await;
    let redis = Redis::plain();
    let mut a = args(&redis.url(), None);
    a.embeddings_url = Some(base);
    a.embeddings_key = Some("sk-test-KEY-42".into());
    let proxy = Proxy::start(&a).await;
    let (status, body) = post(&proxy.http_url("/api/embeddings"), r#"{"input":["x"]}"#).await;
    assert_eq!(status, 502);
    let msg = body["error"].as_str().unwrap();
    assert!(msg.contains("401") && msg.contains("Incorrect API key provided: ***"), "{msg}");
    assert!(!body.to_string().contains("sk-test-KEY-42"));
    let (status, _) = post(&proxy.http_url("/api/embeddings"), "not json").await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_configured_is_a_clear_404() {
    let redis = Redis::plain();
    let proxy = Proxy::start(&args(&redis.url(), None)).await;
    let (status, body) = post(&proxy.http_url("/api/embeddings"), r#"{"input":["x"]}"#).await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("--embeddings-url"));
}
