//! Embeddings from a real model through the proxy: `POST /api/embeddings` on the proxy, which calls
//! the Azure OpenAI (or OpenAI-compatible) endpoint it was configured with, so the key stays in
//! the proxy (see crates/proxy/SERVE.md). This is how the lab uses text-embedding-3-small
//! (1536 dimensions), the model the course's 0.95 threshold was chosen for.

use gloo::net::http::Request;
use serde::Deserialize;

/// The proxy's embeddings endpoint, next to its WebSocket: `ws://h:p/ws?token=t` becomes
/// `http://h:p/api/embeddings?token=t` (and `wss` becomes `https`).
pub fn embeddings_url(ws_url: &str) -> Option<String> {
    let (scheme, rest) = ws_url.split_once("://")?;
    let http = match scheme {
        "ws" => "http",
        "wss" => "https",
        _ => return None,
    };
    let (address, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let host = address.split('/').next().filter(|h| !h.is_empty())?;
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    Some(format!("{http}://{host}/api/embeddings{query}"))
}

#[derive(Deserialize)]
struct Item {
    index: usize,
    embedding: Vec<f32>,
}

#[derive(Deserialize)]
struct Reply {
    data: Vec<Item>,
}

#[derive(Deserialize)]
struct Failure {
    error: String,
}

/// Ask the proxy for the embeddings of `texts`, in order.
pub async fn embed(url: &str, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
    let body = serde_json::json!({ "input": texts });
    let request = Request::post(url).json(&body).map_err(|e| format!("could not build the request: {e}"))?;
    let response = request.send().await.map_err(|_| format!("cannot reach the proxy's {url}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| format!("could not read the reply: {e}"))?;
    if status == 404 {
        return Err("the proxy has no embeddings endpoint configured (start it with --embeddings-url, \
                    --embeddings-key and --embeddings-deployment)"
            .into());
    }
    if !(200..300).contains(&status) {
        let why = serde_json::from_str::<Failure>(&text).map(|f| f.error).unwrap_or(text);
        return Err(format!("the proxy answered {status}: {why}"));
    }
    let mut reply: Reply =
        serde_json::from_str(&text).map_err(|_| "the proxy's reply is not an embeddings list".to_string())?;
    reply.data.sort_by_key(|item| item.index);
    if reply.data.len() != texts.len() {
        return Err(format!("asked for {} embeddings, got {}", texts.len(), reply.data.len()));
    }
    Ok(reply.data.into_iter().map(|item| item.embedding).collect())
}

#[cfg(test)]
mod tests {
    use super::embeddings_url;

    #[test]
    fn the_endpoint_sits_next_to_the_websocket() {
        assert_eq!(
            embeddings_url("ws://127.0.0.1:7380/ws").as_deref(),
            Some("http://127.0.0.1:7380/api/embeddings")
        );
        assert_eq!(
            embeddings_url("wss://x.dev/ws?token=t").as_deref(),
            Some("https://x.dev/api/embeddings?token=t")
        );
        assert_eq!(embeddings_url("http://x/ws"), None);
        assert_eq!(embeddings_url("ws:///ws"), None);
    }
}
