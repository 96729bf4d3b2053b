//! Plain words for what goes wrong on the way to a real Redis, and notes for the replies a
//! learner would otherwise misread (a real server without the search module answers
//! `unknown command 'FT.SEARCH'`: say so rather than pretend).

/// Why a WebSocket closed, in words, from its close code (RFC 6455 and the proxy's own).
pub fn close_reason(url: &str, code: u16, reason: &str, was_open: bool) -> String {
    let tail = if reason.is_empty() { String::new() } else { format!(": {reason}") };
    match code {
        1000 => format!("the proxy closed the connection{tail}"),
        1007 => format!("the proxy rejected a malformed command and closed the connection{tail}"),
        1008 => format!("too many commands in one message for the proxy (close code 1008){tail}"),
        1009 => format!("a command was larger than the proxy accepts (close code 1009){tail}"),
        4000 => "the proxy closed the connection after it sat idle; the next command reconnects".into(),
        _ if !was_open => format!(
            "cannot reach the proxy at {url}: is `playground-proxy serve` running, and does it allow \
             this page's origin and token? (WebSocket closed with code {code})"
        ),
        _ => format!("the connection to the proxy at {url} was lost (close code {code}){tail}"),
    }
}

/// A note under an error reply from the real server, when the error has a likely cause the
/// learner should hear in words. `None` when the error speaks for itself.
pub fn explain_error(error: &str) -> Option<String> {
    let upper = error.to_ascii_uppercase();
    if let Some(rest) = error.strip_prefix("ERR unknown command '") {
        let name = rest.split('\'').next().unwrap_or_default();
        let known = playground_engine::cmd::lookup(&name.to_ascii_lowercase()).is_some();
        if name.to_ascii_uppercase().starts_with("FT.") {
            let emulator = if known { " The in-browser emulator has it." } else { "" };
            return Some(format!(
                "this server has no search module: {name} needs RediSearch (Redis Stack, Redis 8, or \
                 Azure Managed Redis with the RediSearch module).{emulator}"
            ));
        }
        return Some(if known {
            format!("the real server does not have {name}, though the in-browser emulator does (an older version or a missing module)")
        } else {
            format!("neither the real server nor the emulator knows {name}")
        });
    }
    if upper.starts_with("WRONGPASS")
        || upper.starts_with("NOAUTH")
        || upper.contains("REJECTED THE PROXY'S CREDENTIALS")
    {
        return Some("authentication failed: the proxy's Redis password, access key or Entra token was refused. Fix it where the proxy runs (the page never holds a password).".into());
    }
    if upper.contains("TLS HANDSHAKE") || upper.contains("CERTIFICATE") {
        return Some("the TLS connection from the proxy to Redis failed: check the rediss:// host and port, and the certificate it presents.".into());
    }
    if upper.contains("CANNOT REACH REDIS") {
        return Some("the proxy is running but cannot reach Redis: check the server address the proxy was started with.".into());
    }
    if upper.contains("DID NOT ANSWER WITHIN") {
        return Some("Redis is slow or unreachable from the proxy.".into());
    }
    if error.starts_with("ERR playground-proxy:") {
        return Some("this is the proxy's policy, not Redis: the command never reached the server.".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_search_module_is_named() {
        let note = explain_error("ERR unknown command 'FT.SEARCH', with args beginning with: 'idx' ");
        assert!(note.is_some_and(|n| n.contains("this server has no search module")));
    }

    #[test]
    fn commands_the_emulator_has_are_called_missing_on_the_server() {
        // (the wording a server missing a command uses; SET stands in for any command the engine has)
        let note = explain_error("ERR unknown command 'SET', with args beginning with: ").unwrap_or_default();
        assert!(note.contains("emulator does"), "{note}");
        let note =
            explain_error("ERR unknown command 'NOPE', with args beginning with: ").unwrap_or_default();
        assert!(note.contains("neither"), "{note}");
    }

    #[test]
    fn auth_tls_and_policy_errors_get_words() {
        assert!(explain_error("WRONGPASS invalid username-password pair")
            .is_some_and(|n| n.contains("authentication failed")));
        assert!(explain_error("NOAUTH Authentication required.").is_some());
        assert!(explain_error("ERR playground-proxy: TLS handshake with Redis at h:1 failed: x")
            .is_some_and(|n| n.contains("TLS")));
        assert!(explain_error("ERR playground-proxy: FLUSHALL is disabled on this proxy")
            .is_some_and(|n| n.contains("policy")));
        assert_eq!(explain_error("WRONGTYPE Operation against a key holding the wrong kind of value"), None);
    }

    #[test]
    fn close_codes_in_words() {
        assert!(close_reason("ws://x/ws", 1006, "", false).starts_with("cannot reach the proxy at ws://x/ws"));
        assert!(close_reason("ws://x/ws", 1006, "", true).contains("was lost"));
        assert!(close_reason("u", 4000, "", true).contains("idle"));
    }
}
