//! Server settings that CONFIG GET/SET reach, and the eviction policies.

/// `maxmemory-policy` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvictionPolicy {
    NoEviction,
    AllKeysLru,
    AllKeysLfu,
    AllKeysRandom,
    VolatileLru,
    VolatileLfu,
    VolatileRandom,
    VolatileTtl,
}

impl EvictionPolicy {
    pub const ALL: [EvictionPolicy; 8] = [
        EvictionPolicy::NoEviction,
        EvictionPolicy::AllKeysLru,
        EvictionPolicy::AllKeysLfu,
        EvictionPolicy::AllKeysRandom,
        EvictionPolicy::VolatileLru,
        EvictionPolicy::VolatileLfu,
        EvictionPolicy::VolatileRandom,
        EvictionPolicy::VolatileTtl,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EvictionPolicy::NoEviction => "noeviction",
            EvictionPolicy::AllKeysLru => "allkeys-lru",
            EvictionPolicy::AllKeysLfu => "allkeys-lfu",
            EvictionPolicy::AllKeysRandom => "allkeys-random",
            EvictionPolicy::VolatileLru => "volatile-lru",
            EvictionPolicy::VolatileLfu => "volatile-lfu",
            EvictionPolicy::VolatileRandom => "volatile-random",
            EvictionPolicy::VolatileTtl => "volatile-ttl",
        }
    }

    pub fn parse(name: &str) -> Option<EvictionPolicy> {
        EvictionPolicy::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// True for the LFU policies (OBJECT FREQ works only then).
    pub fn is_lfu(self) -> bool {
        matches!(self, EvictionPolicy::AllKeysLfu | EvictionPolicy::VolatileLfu)
    }

    /// True if only keys with a deadline may be evicted.
    pub fn volatile_only(self) -> bool {
        matches!(
            self,
            EvictionPolicy::VolatileLru
                | EvictionPolicy::VolatileLfu
                | EvictionPolicy::VolatileRandom
                | EvictionPolicy::VolatileTtl
        )
    }
}

/// Settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Bytes; 0 means no limit.
    pub maxmemory: u64,
    pub policy: EvictionPolicy,
    pub maxmemory_samples: u32,
    /// LFU counter growth (`lfu-log-factor`).
    pub lfu_log_factor: u32,
    /// Minutes per LFU counter decrement (`lfu-decay-time`).
    pub lfu_decay_time: u32,
    pub databases: usize,
    /// `maxmemory-eviction-tenacity` (0..=100): kept and reported; eviction here is synchronous.
    pub eviction_tenacity: u32,
    /// `maxmemory-clients` as typed (`0`, `10%`, `64mb`...): kept and reported only.
    pub maxmemory_clients: String,
    /// `hz` (clamped to 1..=500 as Redis does): kept and reported only.
    pub hz: u32,
    /// `timeout` in seconds: kept and reported only (the playground never closes idle clients).
    pub timeout: u32,
    /// `appendonly`: kept and reported only (the playground has no disk).
    pub appendonly: bool,
    /// `aof-use-rdb-preamble`: kept and reported only (an AOF rewrite here writes no file).
    pub aof_use_rdb_preamble: bool,
    /// `save` rules as typed: kept and reported only.
    pub save: String,
    /// `proto-max-bulk-len`: the largest bulk string a client may send (a server reads it per
    /// request, `emulate` does). SETRANGE and APPEND keep Redis's default 512 MB.
    pub proto_max_bulk_len: u64,
    /// `client-query-buffer-limit`: a client whose unprocessed input grows past it is closed.
    pub client_query_buffer_limit: u64,
    /// `maxclients`: connections over it are refused with `ERR max number of clients reached`.
    pub maxclients: u32,
    /// `hll-sparse-max-bytes`: a sparse HyperLogLog that would grow past it turns dense.
    pub hll_sparse_max_bytes: u64,
    /// The encoding conversion thresholds (`*-max-listpack-*` and friends).
    pub encoding: crate::types::encoding::Limits,
    /// `notify-keyspace-events` as class flags (see `notify.rs`).
    pub notify_keyspace_events: u16,
    /// `tracking-table-max-keys`: past it, tracked keys are invalidated at random (0: no limit).
    pub tracking_table_max_keys: u64,
    /// `stream-node-max-bytes` and `stream-node-max-entries`: a stream's listpack node limits.
    pub stream_node_max_bytes: u64,
    pub stream_node_max_entries: u64,
    /// `busy-reply-threshold` (alias `lua-time-limit`), ms: a script running longer makes the
    /// host answer other clients BUSY and accept SCRIPT KILL / FUNCTION KILL.
    pub busy_reply_threshold: u64,
    /// The default user's password (`requirepass`; empty: nopass), mirrored into the ACL.
    pub requirepass: String,
    /// ACL LOG's length (`acllog-max-len`).
    pub acllog_max_len: u32,
    /// `slowlog-log-slower-than` (µs; negative: off) and `slowlog-max-len` (see `cmd/slowlog.rs`).
    pub slowlog_slower_than: i64,
    pub slowlog_max_len: u64,
    /// `latency-monitor-threshold` (ms; 0: off), see `cmd/latency.rs`.
    pub latency_monitor_threshold: u64,
    /// The rest of Redis's parameters, as set (see `params.rs`).
    pub others: crate::params::Values,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            maxmemory: 0,
            policy: EvictionPolicy::NoEviction,
            maxmemory_samples: 5,
            lfu_log_factor: 10,
            lfu_decay_time: 1,
            databases: 16,
            eviction_tenacity: 10,
            maxmemory_clients: "0".into(),
            hz: 10,
            timeout: 0,
            appendonly: false,
            aof_use_rdb_preamble: true,
            save: String::new(),
            proto_max_bulk_len: 512 << 20,
            client_query_buffer_limit: 1 << 30,
            maxclients: 10_000,
            hll_sparse_max_bytes: 3000,
            encoding: Default::default(),
            notify_keyspace_events: 0,
            tracking_table_max_keys: 1_000_000,
            stream_node_max_bytes: 4096,
            stream_node_max_entries: 100,
            busy_reply_threshold: 5000,
            requirepass: String::new(),
            acllog_max_len: 128,
            slowlog_slower_than: 10_000,
            slowlog_max_len: 128,
            latency_monitor_threshold: 0,
            others: Default::default(),
        }
    }
}

/// The parameters CONFIG GET and CONFIG SET know, in the order CONFIG GET * lists them.
pub const PARAMETERS: &[&str] = &[
    "maxmemory",
    "maxmemory-policy",
    "maxmemory-samples",
    "maxmemory-eviction-tenacity",
    "maxmemory-clients",
    "lfu-log-factor",
    "lfu-decay-time",
    "databases",
    "hz",
    "timeout",
    "appendonly",
    "aof-use-rdb-preamble",
    "save",
    "proto-max-bulk-len",
    "client-query-buffer-limit",
    "maxclients",
    "hll-sparse-max-bytes",
    "busy-reply-threshold",
    "lua-time-limit",
    "set-max-intset-entries",
    "set-max-listpack-entries",
    "set-max-listpack-value",
    "zset-max-listpack-entries",
    "zset-max-ziplist-entries",
    "zset-max-listpack-value",
    "zset-max-ziplist-value",
    "hash-max-listpack-entries",
    "hash-max-ziplist-entries",
    "hash-max-listpack-value",
    "hash-max-ziplist-value",
    "list-max-listpack-size",
    "list-max-ziplist-size",
    "list-compress-depth",
    "notify-keyspace-events",
    "tracking-table-max-keys",
    "stream-node-max-entries",
    "stream-node-max-bytes",
    "requirepass",
    "acllog-max-len",
    "slowlog-log-slower-than",
    "slowlog-max-len",
    "latency-monitor-threshold",
];

/// The deprecated `ziplist` names Redis 7 still accepts, with the setting each stands for.
const ALIASES: &[(&str, &str)] = &[
    ("zset-max-ziplist-entries", "zset-max-listpack-entries"),
    ("zset-max-ziplist-value", "zset-max-listpack-value"),
    ("hash-max-ziplist-entries", "hash-max-listpack-entries"),
    ("hash-max-ziplist-value", "hash-max-listpack-value"),
    ("list-max-ziplist-size", "list-max-listpack-size"),
    ("lua-time-limit", "busy-reply-threshold"),
];

/// The setting a (lowercase) name stands for: itself, or the current name of an alias.
pub fn canonical(name: &str) -> &str {
    ALIASES.iter().find(|(alias, _)| *alias == name).map_or(name, |(_, real)| real)
}

impl Config {
    /// True if the yes/no parameter `name` is `yes`.
    pub fn is_on(&self, name: &str) -> bool {
        self.get(name).as_deref() == Some("yes")
    }

    /// The value CONFIG GET prints for a known parameter (lowercase name).
    pub fn get(&self, name: &str) -> Option<String> {
        let e = &self.encoding;
        Some(match canonical(name) {
            "maxmemory" => self.maxmemory.to_string(),
            "maxmemory-policy" => self.policy.name().to_string(),
            "maxmemory-samples" => self.maxmemory_samples.to_string(),
            "maxmemory-eviction-tenacity" => self.eviction_tenacity.to_string(),
            "maxmemory-clients" => self.maxmemory_clients.clone(),
            "lfu-log-factor" => self.lfu_log_factor.to_string(),
            "lfu-decay-time" => self.lfu_decay_time.to_string(),
            "databases" => self.databases.to_string(),
            "hz" => self.hz.to_string(),
            "timeout" => self.timeout.to_string(),
            "appendonly" => if self.appendonly { "yes" } else { "no" }.to_string(),
            "aof-use-rdb-preamble" => if self.aof_use_rdb_preamble { "yes" } else { "no" }.to_string(),
            "save" => self.save.clone(),
            "proto-max-bulk-len" => self.proto_max_bulk_len.to_string(),
            "client-query-buffer-limit" => self.client_query_buffer_limit.to_string(),
            "maxclients" => self.maxclients.to_string(),
            "hll-sparse-max-bytes" => self.hll_sparse_max_bytes.to_string(),
            "busy-reply-threshold" => self.busy_reply_threshold.to_string(),
            "requirepass" => self.requirepass.clone(),
            "acllog-max-len" => self.acllog_max_len.to_string(),
            "set-max-intset-entries" => e.set_max_intset_entries.to_string(),
            "set-max-listpack-entries" => e.set_max_listpack_entries.to_string(),
            "set-max-listpack-value" => e.set_max_listpack_value.to_string(),
            "zset-max-listpack-entries" => e.zset_max_listpack_entries.to_string(),
            "zset-max-listpack-value" => e.zset_max_listpack_value.to_string(),
            "hash-max-listpack-entries" => e.hash_max_listpack_entries.to_string(),
            "hash-max-listpack-value" => e.hash_max_listpack_value.to_string(),
            "list-max-listpack-size" => e.list_max_listpack_size.to_string(),
            "list-compress-depth" => e.list_compress_depth.to_string(),
            "notify-keyspace-events" => crate::notify::to_string(self.notify_keyspace_events),
            "tracking-table-max-keys" => self.tracking_table_max_keys.to_string(),
            "stream-node-max-bytes" => self.stream_node_max_bytes.to_string(),
            "stream-node-max-entries" => self.stream_node_max_entries.to_string(),
            "slowlog-log-slower-than" => self.slowlog_slower_than.to_string(),
            "slowlog-max-len" => self.slowlog_max_len.to_string(),
            "latency-monitor-threshold" => self.latency_monitor_threshold.to_string(),
            other => return crate::params::lookup(other).map(|p| self.others.get(&p).to_string()),
        })
    }

    /// Apply one CONFIG SET pair (lowercase name). The error is the part after
    /// `CONFIG SET failed (possibly related to argument '...') - `, as Redis words it;
    /// `Err(None)` means the parameter is unknown.
    pub fn set(&mut self, name: &str, value: &[u8]) -> Result<(), Option<&'static str>> {
        let text = std::str::from_utf8(value).map_err(|_| Some(bad_value_message(name)))?;
        let e = &mut self.encoding;
        match canonical(name) {
            "maxmemory" => self.maxmemory = parse_memory(text).ok_or(Some(MEMORY_VALUE))?,
            "maxmemory-policy" => {
                self.policy = EvictionPolicy::parse(text).ok_or(Some(POLICY_CHOICES))?;
            }
            "maxmemory-samples" => self.maxmemory_samples = parse_bounded(text, 1, 64)?,
            "maxmemory-eviction-tenacity" => self.eviction_tenacity = parse_bounded(text, 0, 100)?,
            "maxmemory-clients" => {
                use crate::params::{MEMORY, PERCENT};
                let value = crate::params::number(-100, i64::MAX as u64, MEMORY | PERCENT, text);
                self.maxmemory_clients = value.map_err(|e| {
                    Some(match e.starts_with("percentage") {
                        true => "percentage argument must be less or equal to 100",
                        false => "argument must be a memory or percent value",
                    })
                })?;
            }
            "lfu-log-factor" => self.lfu_log_factor = parse_bounded(text, 0, i32::MAX as u32)?,
            "lfu-decay-time" => self.lfu_decay_time = parse_bounded(text, 0, i32::MAX as u32)?,
            "databases" => return Err(Some("can't set immutable config")),
            "hz" => {
                let hz: i64 = parse_int(text)?;
                if hz < 0 || hz > i32::MAX as i64 {
                    return Err(Some("argument must be between 0 and 2147483647 inclusive"));
                }
                self.hz = hz.clamp(1, 500) as u32;
            }
            "timeout" => self.timeout = parse_bounded(text, 0, i32::MAX as u32)?,
            "appendonly" => {
                self.appendonly = match text.to_ascii_lowercase().as_str() {
                    "yes" => true,
                    "no" => false,
                    _ => return Err(Some("argument must be 'yes' or 'no'")),
                }
            }
            "aof-use-rdb-preamble" => {
                self.aof_use_rdb_preamble = match text.to_ascii_lowercase().as_str() {
                    "yes" => true,
                    "no" => false,
                    _ => return Err(Some("argument must be 'yes' or 'no'")),
                }
            }
            "save" => self.save = text.to_string(),
            "proto-max-bulk-len" => self.proto_max_bulk_len = parse_memory_at_least_1mb(text)?,
            "client-query-buffer-limit" => self.client_query_buffer_limit = parse_memory_at_least_1mb(text)?,
            "maxclients" => {
                let n = parse_int(text)?;
                if !(1..=u32::MAX as i64).contains(&n) {
                    return Err(Some("argument must be between 1 and 4294967295 inclusive"));
                }
                self.maxclients = n as u32;
            }
            "busy-reply-threshold" => self.busy_reply_threshold = parse_size(text)?,
            "requirepass" => self.requirepass = text.to_string(),
            "acllog-max-len" => self.acllog_max_len = parse_bounded(text, 0, i32::MAX as u32)?,
            "hll-sparse-max-bytes" => {
                let bytes = parse_memory(text).ok_or(Some(MEMORY_VALUE))?;
                if bytes > i64::MAX as u64 {
                    return Err(Some("argument must be between 0 and 9223372036854775807 inclusive"));
                }
                self.hll_sparse_max_bytes = bytes;
            }
            "set-max-intset-entries" => e.set_max_intset_entries = parse_size(text)?,
            "set-max-listpack-entries" => e.set_max_listpack_entries = parse_size(text)?,
            "set-max-listpack-value" => e.set_max_listpack_value = parse_size(text)?,
            "zset-max-listpack-entries" => e.zset_max_listpack_entries = parse_size(text)?,
            "zset-max-listpack-value" => e.zset_max_listpack_value = parse_memory_size(text)?,
            "hash-max-listpack-entries" => e.hash_max_listpack_entries = parse_size(text)?,
            "hash-max-listpack-value" => e.hash_max_listpack_value = parse_memory_size(text)?,
            "list-max-listpack-size" => {
                let n = parse_int(text)?;
                e.list_max_listpack_size = i32::try_from(n)
                    .map_err(|_| Some("argument must be between -2147483648 and 2147483647 inclusive"))?;
            }
            "list-compress-depth" => e.list_compress_depth = parse_bounded(text, 0, i32::MAX as u32)? as i32,
            "notify-keyspace-events" => {
                self.notify_keyspace_events = crate::notify::parse(value)
                    .ok_or(Some("Invalid event class character. Use 'Ag$lshzxeKEtmdn'."))?;
            }
            "tracking-table-max-keys" => {
                let n = parse_int(text)?;
                if n < 0 {
                    return Err(Some("argument must be between 0 and 9223372036854775807 inclusive"));
                }
                self.tracking_table_max_keys = n as u64;
            }
            "stream-node-max-bytes" => self.stream_node_max_bytes = parse_memory_size(text)?,
            "stream-node-max-entries" => self.stream_node_max_entries = parse_size(text)?,
            "slowlog-log-slower-than" => {
                let n = parse_int(text)?;
                if n < -1 {
                    return Err(Some("argument must be between -1 and 9223372036854775807 inclusive"));
                }
                self.slowlog_slower_than = n;
            }
            "slowlog-max-len" => self.slowlog_max_len = parse_size(text)?,
            "latency-monitor-threshold" => self.latency_monitor_threshold = parse_size(text)?,
            _ => return Err(None),
        }
        Ok(())
    }
}

const MEMORY_VALUE: &str = "argument must be a memory value";
const POLICY_CHOICES: &str = "argument(s) must be one of the following: volatile-lru, volatile-lfu, \
volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction";
const NOT_INTEGER: &str = "argument couldn't be parsed into an integer";

fn bad_value_message(name: &str) -> &'static str {
    match name {
        "maxmemory"
        | "maxmemory-clients"
        | "proto-max-bulk-len"
        | "client-query-buffer-limit"
        | "hll-sparse-max-bytes"
        | "zset-max-listpack-value"
        | "zset-max-ziplist-value"
        | "hash-max-listpack-value"
        | "hash-max-ziplist-value"
        | "stream-node-max-bytes" => MEMORY_VALUE,
        "maxmemory-policy" => POLICY_CHOICES,
        "appendonly" | "aof-use-rdb-preamble" => "argument must be 'yes' or 'no'",
        _ => NOT_INTEGER,
    }
}

/// A signed integer as Redis's numeric configs read it.
fn parse_int(text: &str) -> Result<i64, Option<&'static str>> {
    crate::args::parse_i64(text.as_bytes()).ok_or(Some(NOT_INTEGER))
}

/// A `size_t` setting: 0 to `LONG_MAX`.
fn parse_size(text: &str) -> Result<u64, Option<&'static str>> {
    match parse_int(text)? {
        n if n >= 0 => Ok(n as u64),
        _ => Err(Some("argument must be between 0 and 9223372036854775807 inclusive")),
    }
}

/// A `size_t` memory setting (`zset-`/`hash-max-listpack-value`): units allowed, 0 to
/// `LONG_MAX`.
fn parse_memory_size(text: &str) -> Result<u64, Option<&'static str>> {
    match parse_memory(text).ok_or(Some(MEMORY_VALUE))? {
        n if n <= i64::MAX as u64 => Ok(n),
        _ => Err(Some("argument must be between 0 and 9223372036854775807 inclusive")),
    }
}

/// An integer within `min..=max`, with Redis's range message otherwise.
fn parse_bounded(text: &str, min: u32, max: u32) -> Result<u32, Option<&'static str>> {
    let value = parse_int(text)?;
    if value < min as i64 || value > max as i64 {
        return Err(Some(range_message(min, max)));
    }
    Ok(value as u32)
}

/// A memory value from 1 MB to `LONG_MAX`, as Redis bounds `proto-max-bulk-len` and
/// `client-query-buffer-limit`.
fn parse_memory_at_least_1mb(text: &str) -> Result<u64, Option<&'static str>> {
    let bytes = parse_memory(text).ok_or(Some(MEMORY_VALUE))?;
    if !(1 << 20..=i64::MAX as u64).contains(&bytes) {
        return Err(Some("argument must be between 1048576 and 9223372036854775807 inclusive"));
    }
    Ok(bytes)
}

fn range_message(min: u32, max: u32) -> &'static str {
    match (min, max) {
        (1, 64) => "argument must be between 1 and 64 inclusive",
        (0, 100) => "argument must be between 0 and 100 inclusive",
        _ => "argument must be between 0 and 2147483647 inclusive",
    }
}

/// A memory amount as Redis's `memtoull` reads it: digits, then an optional unit
/// (`b`, `k`=1000, `kb`=1024, `m`, `mb`, `g`, `gb`, any case). Too-large numbers saturate, as
/// `strtoull` does; anything else (signs, decimals, other units) is rejected.
pub fn parse_memory(text: &str) -> Option<u64> {
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    if text.is_empty() {
        // strtoull of nothing is 0 and Redis accepts it.
        return Some(0);
    }
    if digits.is_empty() {
        return None;
    }
    let multiplier: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" => 1_000,
        "kb" => 1 << 10,
        "m" => 1_000_000,
        "mb" => 1 << 20,
        "g" => 1_000_000_000,
        "gb" => 1 << 30,
        _ => return None,
    };
    let number = digits.parse::<u64>().unwrap_or(u64::MAX);
    Some(number.saturating_mul(multiplier))
}

/// Bytes as Redis's `bytesToHuman` prints them (`used_memory_human`, `maxmemory_human`).
pub fn bytes_to_human(n: u64) -> String {
    const UNITS: [(f64, &str); 6] = [
        (1024.0, "K"),
        (1048576.0, "M"),
        (1073741824.0, "G"),
        (1099511627776.0, "T"),
        (1125899906842624.0, "P"),
        (1152921504606846976.0, "E"),
    ];
    if n < 1024 {
        return format!("{n}B");
    }
    let d = n as f64;
    for (i, (size, unit)) in UNITS.iter().enumerate() {
        let next = UNITS.get(i + 1).map_or(f64::INFINITY, |(s, _)| *s);
        if d < next {
            return format!("{:.2}{unit}", d / size);
        }
    }
    format!("{n}B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_units_as_redis_reads_them() {
        assert_eq!(parse_memory("100mb"), Some(100 << 20));
        assert_eq!(parse_memory("10k"), Some(10_000));
        assert_eq!(parse_memory("1GB"), Some(1 << 30));
        assert_eq!(parse_memory("5B"), Some(5));
        assert_eq!(parse_memory(""), Some(0));
        assert_eq!(parse_memory("99999999999999999999"), Some(u64::MAX));
        for bad in ["-1", "1.5mb", "1tb", "1k5", "abc", "+1"] {
            assert_eq!(parse_memory(bad), None, "{bad}");
        }
    }

    #[test]
    fn human_bytes() {
        assert_eq!(bytes_to_human(0), "0B");
        assert_eq!(bytes_to_human(1023), "1023B");
        assert_eq!(bytes_to_human(1024), "1.00K");
        assert_eq!(bytes_to_human(104857600), "100.00M");
    }
}
