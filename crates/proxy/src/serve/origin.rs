//! Who may talk to the proxy: the page's `Origin` against an allow-list, and an optional
//! shared token.
//!
//! A WebSocket is not covered by the browser's same-origin policy, so without the Origin check
//! any web page the developer visits could drive their Redis through the proxy.

use axum::http::HeaderMap;

/// The allowed origins and the optional token.
#[derive(Debug, Clone)]
pub struct Gate {
    pub origins: Vec<String>,
    token: Option<String>,
}

/// The WebSocket subprotocol carrying the token: `playground-token.<T>`.
pub const TOKEN_PROTOCOL_PREFIX: &str = "playground-token.";

/// Compare without an early exit, so timing does not reveal how much of a token matched.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Gate {
    pub fn new(origins: Vec<String>, token: Option<String>) -> Gate {
        Gate { origins, token: token.filter(|t| !t.is_empty()) }
    }

    /// `Err(reason)` if the request's Origin is not allowed. Requests without an Origin (not
    /// from a browser: curl, tests, the CLI) are allowed; browsers always send one.
    pub fn check_origin(&self, headers: &HeaderMap) -> Result<Option<String>, String> {
        let Some(origin) = headers.get("origin") else { return Ok(None) };
        let origin = origin.to_str().map_err(|_| "unreadable Origin header".to_string())?;
        let trimmed = origin.trim_end_matches('/');
        if self.origins.iter().any(|o| o == trimmed || o == "*") {
            Ok(Some(origin.to_string()))
        } else {
            Err(format!("origin {origin} is not allowed (start the proxy with --allow-origin {origin})"))
        }
    }

    /// True if no token is configured or the request carries it (query `token`, subprotocol
    /// `playground-token.<T>`, or `Authorization: Bearer <T>`).
    pub fn check_token(&self, query_token: Option<&str>, headers: &HeaderMap) -> bool {
        let Some(expected) = &self.token else { return true };
        let expected = expected.as_bytes();
        if query_token.is_some_and(|t| same_secret(t.as_bytes(), expected)) {
            return true;
        }
        let from_protocols = headers
            .get_all("sec-websocket-protocol")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|p| p.trim().strip_prefix(TOKEN_PROTOCOL_PREFIX))
            .any(|t| same_secret(t.as_bytes(), expected));
        let from_bearer = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|t| same_secret(t.trim().as_bytes(), expected));
        from_protocols || from_bearer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn origin_allow_list() {
        let g = Gate::new(vec!["http://localhost:8080".into()], None);
        assert!(g.check_origin(&headers(&[("origin", "http://localhost:8080")])).is_ok());
        assert!(g.check_origin(&headers(&[("origin", "http://localhost:8080/")])).is_ok());
        let err = g.check_origin(&headers(&[("origin", "https://evil.example")])).unwrap_err();
        assert!(err.contains("not allowed"));
        assert_eq!(g.check_origin(&HeaderMap::new()), Ok(None));
    }

    #[test]
    fn token_sources() {
        let g = Gate::new(vec![], Some("s3cret".into()));
        assert!(!g.check_token(None, &HeaderMap::new()));
        assert!(!g.check_token(Some("wrong"), &HeaderMap::new()));
        assert!(g.check_token(Some("s3cret"), &HeaderMap::new()));
        assert!(g.check_token(None, &headers(&[("sec-websocket-protocol", "resp, playground-token.s3cret")])));
        assert!(g.check_token(None, &headers(&[("authorization", "Bearer s3cret")])));
        assert!(Gate::new(vec![], None).check_token(None, &HeaderMap::new()));
    }
}
