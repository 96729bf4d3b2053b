//! Which backend the learner picked, saved in localStorage so a reload keeps it. Only the
//! choice and the proxy URL are saved, never a secret: a `token=` query parameter is dropped
//! before saving (the page never holds a Redis password at all; the proxy does).

use crate::json::{write_str, Json};

/// The proxy's default WebSocket address (`playground-proxy serve`).
pub const DEFAULT_URL: &str = "ws://127.0.0.1:7380/ws";
const STORAGE_KEY: &str = "redis-playground/backend";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Choice {
    /// `true`: real Redis via the proxy at `url`.
    pub remote: bool,
    pub url: String,
}

impl Choice {
    pub fn emulator(url: String) -> Choice {
        Choice { remote: false, url }
    }

    /// `{"remote":true,"url":"..."}`, as serde_json wrote it before.
    fn to_json(&self) -> String {
        let mut out = format!("{{\"remote\":{},\"url\":", self.remote);
        write_str(&mut out, &self.url);
        out.push('}');
        out
    }

    fn from_json(text: &str) -> Option<Choice> {
        let json = Json::parse(text).ok()?;
        Some(Choice { remote: json.get("remote")?.as_bool()?, url: json.get("url")?.as_str()?.to_string() })
    }
}

/// The URL with any `token` query parameter removed.
pub fn without_token(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else { return url.to_string() };
    let kept: Vec<&str> = query.split('&').filter(|p| !p.starts_with("token=") && !p.is_empty()).collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// `/ws` on the page's own origin: when `trunk serve` proxies `/ws` to the proxy (Trunk.toml),
/// one origin serves both and the proxy's origin check sees the page's own address.
pub fn same_origin_url(location_protocol: &str, host: &str) -> Option<String> {
    let scheme = match location_protocol {
        "http:" => "ws",
        "https:" => "wss",
        _ => return None,
    };
    (!host.is_empty()).then(|| format!("{scheme}://{host}/ws"))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load() -> Choice {
    let saved = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| Choice::from_json(&text));
    saved.filter(|c| !c.url.is_empty()).unwrap_or_else(|| Choice::emulator(DEFAULT_URL.into()))
}

pub fn save(choice: &Choice) {
    let clean = Choice { remote: choice.remote, url: without_token(&choice.url) };
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, &clean.to_json());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_not_saved() {
        assert_eq!(without_token("ws://h:1/ws?token=s3cret"), "ws://h:1/ws");
        assert_eq!(without_token("ws://h:1/ws?a=1&token=s&b=2"), "ws://h:1/ws?a=1&b=2");
        assert_eq!(without_token("ws://h:1/ws"), "ws://h:1/ws");
    }

    #[test]
    fn the_choice_reads_back_in_the_saved_format() {
        let choice = Choice { remote: true, url: "wss://x.dev/ws?a=\"1\"".into() };
        let text = choice.to_json();
        assert_eq!(text, r#"{"remote":true,"url":"wss://x.dev/ws?a=\"1\""}"#);
        assert_eq!(Choice::from_json(&text), Some(choice));
        assert_eq!(Choice::from_json(r#"{"url":"ws://h/ws"}"#), None);
        assert_eq!(Choice::from_json("not json"), None);
    }

    #[test]
    fn same_origin_address() {
        assert_eq!(same_origin_url("http:", "127.0.0.1:8080").as_deref(), Some("ws://127.0.0.1:8080/ws"));
        assert_eq!(same_origin_url("https:", "x.dev").as_deref(), Some("wss://x.dev/ws"));
        assert_eq!(same_origin_url("file:", ""), None);
    }
}
