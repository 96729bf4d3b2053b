//! Which commands the page may send through the proxy, and the `--key-prefix` jail.
//!
//! The proxy talks to a real, possibly shared Redis, so by default it refuses commands that
//! destroy data, change server configuration, run server-side code, or turn the connection
//! into a stream the request/reply relay cannot follow (MONITOR, SUBSCRIBE, CLIENT TRACKING).
//! Denials are answered locally with a clear `-ERR` that names the command and the way out.

use bytes::Bytes;

/// What to do with one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Forward as is.
    Allow,
    /// Forward these (rewritten) arguments instead, e.g. SCAN with MATCH forced under the prefix.
    Rewrite(Vec<Bytes>),
    /// Forward, but log a warning (KEYS on a real server blocks it).
    Warn(String),
    /// Reply with this error text (without the leading `-`).
    Deny(String),
}

/// The command policy of one proxy.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub allow_dangerous: bool,
    pub key_prefix: Option<Bytes>,
}

/// Commands refused unless `--allow-dangerous`.
const DANGEROUS: &[&str] = &[
    "flushall",
    "flushdb",
    "shutdown",
    "debug",
    "module",
    "replicaof",
    "slaveof",
    "script",
    "eval",
    "evalsha",
    "eval_ro",
    "evalsha_ro",
    "function",
    "fcall",
    "fcall_ro",
    "save",
    "bgsave",
    "bgrewriteaof",
    "migrate",
    "sync",
    "psync",
    "failover",
    "restore",
    "restore-asking",
];

/// Dangerous subcommands of containers.
const DANGEROUS_SUB: &[(&str, &[&str])] = &[
    ("config", &["set", "resetstat", "rewrite"]),
    ("acl", &["setuser", "deluser", "load", "save", "dryrun"]),
    ("client", &["kill", "pause", "unpause", "no-evict", "no-touch"]),
    (
        "cluster",
        &[
            "addslots",
            "addslotsrange",
            "bumpepoch",
            "delslots",
            "delslotsrange",
            "failover",
            "flushslots",
            "forget",
            "meet",
            "replicate",
            "reset",
            "saveconfig",
            "set-config-epoch",
            "setslot",
            "slaveof",
            "countfailurereports",
        ],
    ),
];

/// Commands that turn the connection into a push stream: never relayed (the relay is strictly
/// one reply per command, which is what keeps pipelined replies in order).
const STREAMING: &[&str] =
    &["monitor", "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe"];

/// Configuration parameters holding secrets in clear text.
const SECRET_CONFIG: &[&str] =
    &["requirepass", "masterauth", "masteruser", "tls-key-file-pass", "tls-client-key-file-pass"];

/// Commands that may legitimately wait longer than the upstream timeout.
const BLOCKING: &[&str] = &[
    "blpop",
    "brpop",
    "brpoplpush",
    "blmove",
    "blmpop",
    "bzpopmin",
    "bzpopmax",
    "bzmpop",
    "xread",
    "xreadgroup",
    "wait",
    "waitaof",
];

/// Keyless commands that reveal or touch keys outside any jail.
const JAIL_DENY_KEYLESS: &[&str] =
    &["randomkey", "sort", "sort_ro", "object", "memory", "dump", "swapdb", "move", "copy"];

/// Keyless commands that are harmless under a jail although they have no key positions.
const JAIL_ALLOW_KEYLESS: &[&str] = &[
    "ping",
    "echo",
    "hello",
    "auth",
    "select",
    "multi",
    "exec",
    "discard",
    "unwatch",
    "dbsize",
    "info",
    "time",
    "command",
    "client",
    "quit",
    "reset",
    "readonly",
    "readwrite",
    "lastsave",
    "role",
    "lolwut",
    "config",
    "acl",
    "cluster",
    "latency",
    "slowlog",
];

fn lower(arg: &[u8]) -> String {
    String::from_utf8_lossy(arg).to_ascii_lowercase()
}

/// True for commands whose reply may take longer than the upstream timeout.
pub fn is_blocking(args: &[Bytes]) -> bool {
    args.first().is_some_and(|n| BLOCKING.contains(&lower(n).as_str()))
}

/// Escape glob metacharacters so the prefix matches literally in KEYS / SCAN MATCH.
fn glob_escape(prefix: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(prefix.len() + 4);
    for &b in prefix {
        if matches!(b, b'*' | b'?' | b'[' | b']' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

impl Policy {
    /// Judge one command (`args[0]` is the name).
    pub fn check(&self, args: &[Bytes]) -> Verdict {
        let Some(name_raw) = args.first() else { return Verdict::Allow };
        let name = lower(name_raw);
        let upper = name.to_ascii_uppercase();
        let sub = args.get(1).map(|s| lower(s)).unwrap_or_default();
        if STREAMING.contains(&name.as_str()) {
            return Verdict::Deny(format!(
                "ERR playground-proxy: {upper} is not supported through the proxy (it turns the connection into a push stream)"
            ));
        }
        if name == "client" && sub == "reply" {
            return Verdict::Deny("ERR playground-proxy: CLIENT REPLY is not supported through the proxy (the relay expects one reply per command)".into());
        }
        if name == "config" && sub == "get" && !self.allow_dangerous {
            // CONFIG GET returns passwords in clear text: never let a pattern reach them.
            for pattern in args.iter().skip(2) {
                let lowered = pattern.to_ascii_lowercase();
                if let Some(secret) =
                    SECRET_CONFIG.iter().find(|s| playground_engine::glob::glob_match(&lowered, s.as_bytes()))
                {
                    return Verdict::Deny(format!(
                        "ERR playground-proxy: CONFIG GET {} would reveal '{secret}', which this proxy keeps secret",
                        String::from_utf8_lossy(pattern)
                    ));
                }
            }
        }
        if name == "client" && sub == "tracking" {
            return Verdict::Deny(
                "ERR playground-proxy: CLIENT TRACKING is not supported through the proxy (push messages)"
                    .into(),
            );
        }
        if !self.allow_dangerous {
            if DANGEROUS.contains(&name.as_str()) {
                return Verdict::Deny(format!(
                    "ERR playground-proxy: {upper} is disabled on this proxy (start it with --allow-dangerous on a scratch instance)"
                ));
            }
            for (container, subs) in DANGEROUS_SUB {
                if name == *container && subs.contains(&sub.as_str()) {
                    return Verdict::Deny(format!(
                        "ERR playground-proxy: {upper} {} is disabled on this proxy (start it with --allow-dangerous on a scratch instance)",
                        sub.to_ascii_uppercase()
                    ));
                }
            }
        }
        if let Some(prefix) = &self.key_prefix {
            if let Some(v) = self.jail(&name, args, prefix) {
                return v;
            }
        }
        if name == "keys" {
            return Verdict::Warn("KEYS scans the whole keyspace and blocks the server; prefer SCAN".into());
        }
        Verdict::Allow
    }

    /// The `--key-prefix` rules; `None` means "no objection".
    fn jail(&self, name: &str, args: &[Bytes], prefix: &Bytes) -> Option<Verdict> {
        let upper = name.to_ascii_uppercase();
        let shown = String::from_utf8_lossy(prefix);
        let deny = |why: &str| {
            Some(Verdict::Deny(format!(
                "ERR playground-proxy: {upper} {why} (keys are jailed under '{shown}')"
            )))
        };
        match name {
            "keys" => {
                let pattern = args.get(1)?;
                let mut p = glob_escape(prefix);
                p.extend_from_slice(pattern);
                return Some(Verdict::Rewrite(vec![args[0].clone(), Bytes::from(p)]));
            }
            "scan" => return Some(Verdict::Rewrite(force_scan_match(args, prefix))),
            _ => {}
        }
        if JAIL_DENY_KEYLESS.contains(&name) {
            return deny("is not allowed under --key-prefix");
        }
        let Some(spec) = playground_engine::cmd::lookup(name) else {
            if JAIL_ALLOW_KEYLESS.contains(&name) {
                return None;
            }
            return deny("has unknown key positions, so it is not allowed under --key-prefix");
        };
        let (first, last, step) = spec.keys;
        if first <= 0 {
            return None;
        }
        let argc = args.len() as i64;
        let last = if last < 0 { argc + last as i64 } else { last as i64 };
        let step = (step as i64).max(1);
        let mut i = first as i64;
        while i <= last && i < argc {
            let key = args.get(i as usize)?;
            if !key.starts_with(prefix) {
                return Some(Verdict::Deny(format!(
                    "ERR playground-proxy: key '{}' is outside the prefix '{shown}' this proxy is jailed to",
                    String::from_utf8_lossy(key)
                )));
            }
            i += step;
        }
        None
    }
}

/// SCAN cursor [MATCH p] [COUNT n] [TYPE t] with MATCH forced to `prefix` + p (or `prefix*`).
fn force_scan_match(args: &[Bytes], prefix: &[u8]) -> Vec<Bytes> {
    let mut out: Vec<Bytes> = Vec::with_capacity(args.len() + 2);
    let mut matched = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if i >= 2 && a.eq_ignore_ascii_case(b"match") && i + 1 < args.len() {
            let mut p = glob_escape(prefix);
            p.extend_from_slice(&args[i + 1]);
            out.push(a.clone());
            out.push(Bytes::from(p));
            matched = true;
            i += 2;
            continue;
        }
        out.push(a.clone());
        i += 1;
    }
    if !matched {
        let mut p = glob_escape(prefix);
        p.push(b'*');
        out.push(Bytes::from_static(b"MATCH"));
        out.push(Bytes::from(p));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(parts: &[&str]) -> Vec<Bytes> {
        parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect()
    }

    fn jailed() -> Policy {
        Policy { allow_dangerous: false, key_prefix: Some(Bytes::from_static(b"pg:")) }
    }

    #[test]
    fn dangerous_commands_are_denied_by_default() {
        let p = Policy::default();
        for c in [
            &["FLUSHALL"][..],
            &["flushdb"],
            &["CONFIG", "SET", "maxmemory", "1"],
            &["EVAL", "return 1", "0"],
            &["ACL", "SETUSER", "x"],
            &["SHUTDOWN"],
            &["CLUSTER", "RESET"],
        ] {
            match p.check(&cmd(c)) {
                Verdict::Deny(msg) => assert!(msg.contains("--allow-dangerous"), "{msg}"),
                v => panic!("{c:?} gave {v:?}"),
            }
        }
        assert_eq!(
            p.check(&cmd(&["FLUSHALL"])),
            Verdict::Deny("ERR playground-proxy: FLUSHALL is disabled on this proxy (start it with --allow-dangerous on a scratch instance)".into())
        );
        assert_eq!(p.check(&cmd(&["CONFIG", "GET", "maxmemory"])), Verdict::Allow);
        for pattern in ["*", "requirepass", "*pass*", "MASTERAUTH", "maxmemory requirepass"] {
            let args: Vec<&str> = ["CONFIG", "GET"].into_iter().chain(pattern.split(' ')).collect();
            assert!(
                matches!(p.check(&cmd(&args)), Verdict::Deny(m) if m.contains("keeps secret")),
                "{pattern}"
            );
        }
        assert!(matches!(p.check(&cmd(&["CLIENT", "REPLY", "OFF"])), Verdict::Deny(_)));
        assert_eq!(p.check(&cmd(&["CLUSTER", "INFO"])), Verdict::Allow);
        assert_eq!(p.check(&cmd(&["GET", "k"])), Verdict::Allow);
    }

    #[test]
    fn allow_dangerous_opens_them_but_not_streams() {
        let p = Policy { allow_dangerous: true, key_prefix: None };
        assert_eq!(p.check(&cmd(&["FLUSHALL"])), Verdict::Allow);
        assert!(matches!(p.check(&cmd(&["MONITOR"])), Verdict::Deny(_)));
        assert!(matches!(p.check(&cmd(&["SUBSCRIBE", "c"])), Verdict::Deny(_)));
    }

    #[test]
    fn keys_warns() {
        assert!(matches!(Policy::default().check(&cmd(&["KEYS", "*"])), Verdict::Warn(_)));
    }

    #[test]
    fn jail_checks_key_positions() {
        let p = jailed();
        assert_eq!(p.check(&cmd(&["SET", "pg:a", "1"])), Verdict::Allow);
        assert!(matches!(p.check(&cmd(&["SET", "other", "1"])), Verdict::Deny(m) if m.contains("'other'")));
        assert_eq!(p.check(&cmd(&["DEL", "pg:a", "pg:b"])), Verdict::Allow);
        assert!(matches!(p.check(&cmd(&["DEL", "pg:a", "x"])), Verdict::Deny(_)));
        assert_eq!(p.check(&cmd(&["PING"])), Verdict::Allow);
        assert!(matches!(p.check(&cmd(&["RANDOMKEY"])), Verdict::Deny(_)));
        assert!(matches!(p.check(&cmd(&["NOSUCHCMD", "x"])), Verdict::Deny(_)));
    }

    #[test]
    fn jail_rewrites_enumeration() {
        let p = Policy { allow_dangerous: false, key_prefix: Some(Bytes::from_static(b"a*b:")) };
        assert_eq!(p.check(&cmd(&["KEYS", "x*"])), Verdict::Rewrite(cmd(&["KEYS", "a\\*b:x*"])));
        assert_eq!(p.check(&cmd(&["SCAN", "0"])), Verdict::Rewrite(cmd(&["SCAN", "0", "MATCH", "a\\*b:*"])));
        assert_eq!(
            p.check(&cmd(&["SCAN", "5", "match", "u*", "COUNT", "10"])),
            Verdict::Rewrite(cmd(&["SCAN", "5", "match", "a\\*b:u*", "COUNT", "10"]))
        );
    }

    #[test]
    fn blocking_detection() {
        assert!(is_blocking(&cmd(&["BLPOP", "k", "0"])));
        assert!(!is_blocking(&cmd(&["GET", "k"])));
    }
}
