//! INFO replies parsed into the numbers the server panel draws, so the panel works the same
//! from the in-page engine's stats and from a real server's `INFO stats` / `memory` /
//! `keyspace` text.

use crate::backend::scan::Lookups;

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
    /// From a real server: `hits` and `misses` are the learner's, counted since the page
    /// connected and without the page's own polling, whose lookups are these.
    pub own_polling: Option<crate::backend::scan::Lookups>,
}

/// `field:value` pairs of an INFO reply (sections and comments skipped).
pub fn info_fields(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.trim_end_matches('\r').split_once(':'))
}

/// Keys of one `db0:keys=3,expires=1,avg_ttl=0` line.
fn db_keys(value: &str) -> u64 {
    value.split(',').find_map(|kv| kv.strip_prefix("keys=")).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// Where the learner's hit counts start on a real server: the server's counters and the page's
/// own lookups when the page first read them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    server: Lookups,
    own: Lookups,
}

/// Turn a real server's all-time `keyspace_hits` / `keyspace_misses` into the learner's: counted
/// from the first reading (`baseline`, set on it), less the page's own lookups since then
/// (`own`: the key browser's TYPE and PTTL count on the server as hits and misses too). After
/// a `CONFIG RESETSTAT` the counters start again from 0, and so does the baseline.
pub fn learners_lookups(n: &mut ServerNumbers, own: Lookups, baseline: &mut Option<Baseline>) {
    let server = Lookups { hits: n.hits, misses: n.misses };
    let base = baseline.get_or_insert(Baseline { server, own });
    if server.hits < base.server.hits || server.misses < base.server.misses {
        *base = Baseline { server: Lookups::default(), own };
    }
    let polling = own.since(base.own);
    let learner = server.since(base.server).since(polling);
    n.hits = learner.hits;
    n.misses = learner.misses;
    n.own_polling = Some(polling);
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
    fn the_learners_lookups_leave_out_the_page_s_polling_and_start_at_connection() {
        let reading = |hits, misses| ServerNumbers { hits, misses, ..ServerNumbers::default() };
        let own = |hits, misses| Lookups { hits, misses };
        let mut baseline = None;
        // First reading: the server had 500 hits before the page came; the page polled twice.
        let mut n = reading(500, 40);
        learners_lookups(&mut n, own(2, 1), &mut baseline);
        assert_eq!((n.hits, n.misses, n.own_polling), (0, 0, Some(own(0, 0))));
        // Then 30 polls that hit, 3 that missed, and the learner's 1 hit and 1 miss.
        let mut n = reading(531, 44);
        learners_lookups(&mut n, own(32, 4), &mut baseline);
        assert_eq!((n.hits, n.misses, n.own_polling), (1, 1, Some(own(30, 3))));
        // CONFIG RESETSTAT: the server starts from 0, so does the learner's count.
        let mut n = reading(3, 0);
        learners_lookups(&mut n, own(34, 4), &mut baseline);
        assert_eq!((n.hits, n.misses), (3, 0));
        let mut n = reading(6, 1);
        learners_lookups(&mut n, own(36, 4), &mut baseline);
        assert_eq!((n.hits, n.misses, n.own_polling), (4, 1, Some(own(2, 0))));
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
