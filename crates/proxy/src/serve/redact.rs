//! Keeping secrets out of everything the page or a log can see.
//!
//! Two layers: [`redact_url`] masks the user-info part of any `scheme://user:pass@host` text
//! (even text that fails to parse as a URL), and [`Redactor`] replaces every known secret
//! (password, shared token, embeddings key, Entra access tokens) wherever it appears. Every
//! error string that leaves the proxy goes through [`Redactor::clean`].

use std::sync::{Arc, RwLock};

const MASK: &str = "***";

/// Mask `user:password@` (or `token@`) after every `://` in `text`.
pub fn redact_url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        // The authority ends at the first '/', '?', '#' or whitespace.
        let end =
            tail.find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace()).unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str(MASK);
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Known secrets, replaced by `***` in any text passed to [`Redactor::clean`].
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<String>>>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redactor(..)")
    }
}

impl Redactor {
    /// Remember a secret (ignored if too short to be meaningful: masking "a" would mangle text).
    pub fn add(&self, secret: &str) {
        if secret.len() < 3 {
            return;
        }
        if let Ok(mut list) = self.secrets.write() {
            if !list.iter().any(|s| s == secret) {
                list.push(secret.to_string());
                // Longest first, so a secret containing another is masked whole.
                list.sort_by_key(|s| std::cmp::Reverse(s.len()));
            }
        }
    }

    /// `text` with URL credentials and every known secret masked.
    pub fn clean(&self, text: &str) -> String {
        let mut out = redact_url(text);
        if let Ok(list) = self.secrets.read() {
            for s in list.iter() {
                if out.contains(s.as_str()) {
                    out = out.replace(s.as_str(), MASK);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_url_credentials() {
        assert_eq!(redact_url("rediss://user:pw@host:10000/0"), "rediss://***@host:10000/0");
        assert_eq!(redact_url("connect rediss://:pw@h failed"), "connect rediss://***@h failed");
        assert_eq!(redact_url("redis://host:6379"), "redis://host:6379");
        assert_eq!(
            redact_url("a https://k@x/y?q=1 b redis://u:p@z"),
            "a https://***@x/y?q=1 b redis://***@z"
        );
        assert_eq!(redact_url("no url here"), "no url here");
    }

    #[test]
    fn masks_known_secrets_anywhere() {
        let r = Redactor::default();
        r.add("hunter22");
        r.add("eyJ0eXAiOiJKV1Q");
        r.add("x"); // too short: ignored
        let s = r.clean("AUTH default hunter22 then token eyJ0eXAiOiJKV1Q.abc, x stays");
        assert_eq!(s, "AUTH default *** then token ***.abc, x stays");
    }

    #[test]
    fn longest_secret_wins() {
        let r = Redactor::default();
        r.add("abc");
        r.add("abcdef");
        assert_eq!(r.clean("abcdef abc"), "*** ***");
    }
}
