//! `POST /api/embeddings`: the page asks for vectors, the proxy calls the configured
//! OpenAI-compatible or Azure OpenAI endpoint with the key it keeps.
//!
//! Request `{"input": ["text", ...]}`; reply `{"data": [{"index": 0, "embedding": [..]}, ...]}`
//! (the provider's own shape, which both OpenAI and Azure OpenAI use), or
//! `{"error": "..."}` with a non-200 status.

use super::redact::Redactor;
use serde_json::{json, Value};
use std::time::Duration;

/// A configured embeddings provider.
#[derive(Clone)]
pub struct Embeddings {
    url: String,
    key: Option<String>,
    model: Option<String>,
    azure: bool,
    client: reqwest::Client,
}

impl std::fmt::Debug for Embeddings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Embeddings({}, azure={})", self.url, self.azure)
    }
}

impl Embeddings {
    /// `base` is either a full `.../embeddings` URL, an OpenAI-style base (`.../v1`), or an
    /// Azure OpenAI resource (`https://NAME.openai.azure.com`, used with the deployment).
    pub fn new(base: &str, key: Option<String>, deployment: Option<String>) -> Result<Embeddings, String> {
        let trimmed = base.trim_end_matches('/');
        let azure = trimmed.contains(".openai.azure.com") || trimmed.contains("/openai/deployments/");
        let url = if azure && !trimmed.contains("/openai/deployments/") {
            let d = deployment.clone().ok_or("Azure OpenAI needs --embeddings-deployment")?;
            format!("{trimmed}/openai/deployments/{d}/embeddings?api-version=2024-02-01")
        } else if trimmed.contains("/embeddings") {
            trimmed.to_string()
        } else {
            format!("{trimmed}/embeddings")
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| format!("embeddings HTTP client: {e}"))?;
        Ok(Embeddings { url, key, model: deployment, azure, client })
    }

    /// Forward `{input}`; `Err((status, message))` on failure, message free of secrets.
    pub async fn embed(&self, body: &Value, redactor: &Redactor) -> Result<Value, (u16, String)> {
        let input =
            body.get("input").cloned().ok_or((400, "request needs an \"input\" array".to_string()))?;
        if !(input.is_array() || input.is_string()) {
            return Err((400, "\"input\" must be a string or an array of strings".into()));
        }
        let mut req_body = json!({ "input": input });
        if let (Some(m), false) = (&self.model, self.azure) {
            req_body["model"] = json!(m);
        }
        let mut req = self.client.post(&self.url).json(&req_body);
        if let Some(k) = &self.key {
            req = if self.azure { req.header("api-key", k) } else { req.bearer_auth(k) };
        }
        let resp = req
            .send()
            .await
            .map_err(|e| (502, redactor.clean(&format!("embeddings endpoint unreachable: {e}"))))?;
        let status = resp.status();
        let text =
            resp.text().await.map_err(|e| (502, redactor.clean(&format!("embeddings endpoint: {e}"))))?;
        if !status.is_success() {
            let snippet: String = text.chars().take(300).collect();
            return Err((502, redactor.clean(&format!("embeddings endpoint answered {status}: {snippet}"))));
        }
        let v: Value = serde_json::from_str(&text)
            .map_err(|_| (502, "embeddings endpoint sent invalid JSON".to_string()))?;
        let data = v
            .get("data")
            .and_then(|d| d.as_array())
            .ok_or((502, "embeddings reply has no data array".to_string()))?;
        let data: Vec<Value> = data
            .iter()
            .enumerate()
            .map(|(i, d)| json!({ "index": d.get("index").cloned().unwrap_or(json!(i)), "embedding": d.get("embedding").cloned().unwrap_or(json!([])) }))
            .collect();
        Ok(json!({ "data": data }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls() {
        let e = Embeddings::new(
            "https://api.openai.com/v1",
            Some("k".into()),
            Some("text-embedding-3-small".into()),
        )
        .unwrap();
        assert_eq!((e.url.as_str(), e.azure), ("https://api.openai.com/v1/embeddings", false));
        let e =
            Embeddings::new("https://res.openai.azure.com/", Some("k".into()), Some("emb".into())).unwrap();
        assert_eq!(
            e.url,
            "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-02-01"
        );
        assert!(e.azure);
        assert!(Embeddings::new("https://res.openai.azure.com", None, None).is_err());
        let e = Embeddings::new("http://127.0.0.1:1234/v1/embeddings", None, None).unwrap();
        assert_eq!(e.url, "http://127.0.0.1:1234/v1/embeddings");
    }
}
