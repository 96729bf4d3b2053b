//! INFO replies parsed into the numbers the server panel draws, so the panel works the same
//! from the in-page engine's stats and from a real server's `INFO stats` / `memory` /
//! `keyspace` text.

/// What the server panel shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerNumbers {
    pub hits: u64,
    pub misses: u64,
    pub expired: u64,
    pub evicted: u64,
    pub commands: u64,
    pub keys: u64,
    pub used: u64,
    pub maxmemory: u64,
    pub policy: String,
    /// `redis_version` when the reply had a server section.
    pub version: Option<String>,
}

/// `field:value` pairs of an INFO reply (sections and comments skipped).
pub fn info_fields(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.trim_end_matches('\r').split_once(':'))
}

/// Keys of one `db0:keys=3,expires=1,avg_ttl=0` line.
fn db_keys(value: &str) -> u64 {
    value.split(',').find_map(|kv| kv.strip_prefix("keys=")).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// Read the numbers out of one or more INFO replies (their texts concatenated is fine).
pub fn parse_info(text: &str) -> ServerNumbers {
    let mut n = ServerNumbers::default();
    let num = |v: &str| v.trim().parse::<u64>().unwrap_or(0);
    for (field, value) in info_fields(text) {
        match field {
            "keyspace_hits" => n.hits = num(value),
            "keyspace_misses" => n.misses = num(value),
            "expired_keys" => n.expired = num(value),
            "evicted_keys" => n.evicted = num(value),
            "total_commands_processed" => n.commands = num(value),
            "used_memory" => n.used = num(value),
            "maxmemory" => n.maxmemory = num(value),
            "maxmemory_policy" => n.policy = value.trim().to_string(),
            "redis_version" => n.version = Some(value.trim().to_string()),
            db if db.starts_with("db") && db[2..].bytes().all(|b| b.is_ascii_digit()) => {
                n.keys = n.keys.saturating_add(db_keys(value))
            }
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_memory_and_keyspace_sections() {
        let text = "# Stats\r\ntotal_connections_received:3\r\ntotal_commands_processed:42\r\n\
                    expired_keys:2\r\nevicted_keys:0\r\nkeyspace_hits:7\r\nkeyspace_misses:3\r\n\r\n\
                    # Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nmaxmemory:2097152\r\n\
                    maxmemory_policy:allkeys-lru\r\n\r\n# Keyspace\r\ndb0:keys=5,expires=1,avg_ttl=100\r\n\
                    db3:keys=2,expires=0,avg_ttl=0\r\n";
        let n = parse_info(text);
        assert_eq!((n.hits, n.misses, n.expired, n.evicted, n.commands), (7, 3, 2, 0, 42));
        assert_eq!((n.used, n.maxmemory, n.policy.as_str()), (1_048_576, 2_097_152, "allkeys-lru"));
        assert_eq!(n.keys, 7);
        assert_eq!(n.version, None);
    }

    #[test]
    fn server_section_version_and_junk_lines() {
        let n =
            parse_info("# Server\r\nredis_version:7.4.2\r\nweird line\r\ndbx:keys=9\r\nused_memory:abc\r\n");
        assert_eq!(n.version.as_deref(), Some("7.4.2"));
        assert_eq!(n.keys, 0, "dbx is not a database line");
        assert_eq!(n.used, 0);
    }
}
