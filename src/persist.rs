//! The saved state: a small, versioned JSON snapshot of what a learner built, so a reload (or
//! an exported file) brings it back.
//!
//! What is saved: every key with its value and its deadline on the virtual clock (not a
//! relative TTL, so time that passed while saved is not lost), the virtual clock itself,
//! maxmemory settings, and the console history. What is not: INFO counters and client state,
//! as a real Redis restarted from an RDB file forgets them too.
//!
//! Format (`version` 1):
//! ```json
//! { "format": "redis-playground/snapshot", "version": 1,
//!   "clock": { "now_ms": 1795397175000, "speed": "X1" },
//!   "config": { "maxmemory": 0, "policy": "noeviction" },
//!   "dbs": [ { "index": 0, "keys": [
//!       { "key": {"t": "user:1"}, "expires_at": 1795397475000,
//!         "value": { "type": "hash", "data": [[{"t": "name"}, {"t": "Ada"}]] } } ] } ],
//!   "history": ["SET k v EX 300"] }
//! ```
//! Byte strings are `{"t": text}` when they are UTF-8 and `{"hex": "00ff"}` otherwise; scores
//! are strings as Redis prints them, so `inf` survives JSON.

use crate::clock::VirtualClock;
use crate::console::history::History;
use crate::session::Session;
use bytes::Bytes;
use indexmap::{IndexMap, IndexSet};
use playground_engine::config::EvictionPolicy;
use playground_engine::float::{format_double, parse_double};
use playground_engine::types::{Value, ZSet};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

pub const FORMAT: &str = "redis-playground/snapshot";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub version: u32,
    pub clock: VirtualClock,
    pub config: ConfigSnap,
    pub dbs: Vec<DbSnap>,
    #[serde(default)]
    pub history: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigSnap {
    pub maxmemory: u64,
    pub policy: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbSnap {
    pub index: usize,
    pub keys: Vec<KeySnap>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeySnap {
    pub key: Blob,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    pub value: ValueSnap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "lowercase")]
pub enum ValueSnap {
    String(Blob),
    List(Vec<Blob>),
    Hash(Vec<(Blob, Blob)>),
    Set(Vec<Blob>),
    Zset(Vec<(Blob, String)>),
}

/// A byte string, readable in the file when it is text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Blob {
    #[serde(rename = "t")]
    Text(String),
    #[serde(rename = "hex")]
    Hex(String),
}

/// Why a saved state could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum PersistError {
    /// Not JSON, or JSON of the wrong shape.
    Unreadable(String),
    /// Some other file (no `format` marker).
    NotASnapshot,
    /// Written by a newer playground.
    NewerVersion(u32),
}

impl std::fmt::Display for PersistError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PersistError::Unreadable(why) => write!(f, "the saved data is damaged ({why})"),
            PersistError::NotASnapshot => write!(f, "this is not a redis-playground snapshot"),
            PersistError::NewerVersion(v) => {
                write!(
                    f,
                    "it was saved by a newer playground (format version {v}, this page reads {VERSION})"
                )
            }
        }
    }
}

impl Blob {
    pub fn of(bytes: &[u8]) -> Blob {
        match std::str::from_utf8(bytes) {
            Ok(s) => Blob::Text(s.to_string()),
            Err(_) => Blob::Hex(bytes.iter().map(|b| format!("{b:02x}")).collect()),
        }
    }

    pub fn to_bytes(&self) -> Result<Bytes, PersistError> {
        match self {
            Blob::Text(s) => Ok(Bytes::copy_from_slice(s.as_bytes())),
            Blob::Hex(h) => {
                let bad = || PersistError::Unreadable("bad hex string".into());
                if h.len() % 2 != 0 {
                    return Err(bad());
                }
                let pairs = h.as_bytes().chunks(2);
                let decoded: Option<Vec<u8>> = pairs
                    .map(|p| std::str::from_utf8(p).ok().and_then(|s| u8::from_str_radix(s, 16).ok()))
                    .collect();
                decoded.map(Bytes::from).ok_or_else(bad)
            }
        }
    }
}

impl Snapshot {
    /// Everything worth keeping from a session.
    pub fn capture(session: &Session) -> Snapshot {
        let server = session.engine.server();
        let dbs = server
            .dbs
            .iter()
            .enumerate()
            .filter(|(_, db)| !db.is_empty())
            .map(|(index, db)| {
                // Sorted so the same keyspace always saves the same way.
                let mut entries: Vec<_> = db.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                let keys = entries
                    .into_iter()
                    .map(|(key, entry)| KeySnap {
                        key: Blob::of(key),
                        expires_at: entry.expires_at,
                        value: value_snap(&entry.value),
                    })
                    .collect();
                DbSnap { index, keys }
            })
            .collect();
        Snapshot {
            format: FORMAT.into(),
            version: VERSION,
            clock: session.clock,
            config: ConfigSnap {
                maxmemory: server.config.maxmemory,
                policy: server.config.policy.name().into(),
            },
            dbs,
            history: session.history.entries().to_vec(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Read a snapshot, telling apart damaged data, foreign files and newer versions.
    pub fn from_json(text: &str) -> Result<Snapshot, PersistError> {
        let raw: serde_json::Value =
            serde_json::from_str(text).map_err(|e| PersistError::Unreadable(e.to_string()))?;
        if raw.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(PersistError::NotASnapshot);
        }
        let version = raw.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version > u64::from(VERSION) {
            return Err(PersistError::NewerVersion(u32::try_from(version).unwrap_or(u32::MAX)));
        }
        serde_json::from_value(raw).map_err(|e| PersistError::Unreadable(e.to_string()))
    }

    /// Build a session from the snapshot. Keys whose deadline already passed on the saved clock
    /// are left out (they would expire at the first tick anyway).
    pub fn restore(&self) -> Result<Session, PersistError> {
        let now = self.clock.now();
        let mut session = Session::new(now);
        session.clock = self.clock;
        session.history = History::from_entries(self.history.clone());
        let server = session.engine.server_mut();
        server.config.maxmemory = self.config.maxmemory;
        server.config.policy = EvictionPolicy::parse(&self.config.policy)
            .ok_or_else(|| PersistError::Unreadable(format!("unknown policy '{}'", self.config.policy)))?;
        for db in &self.dbs {
            let Some(target) = server.dbs.get_mut(db.index) else {
                return Err(PersistError::Unreadable(format!("no database {}", db.index)));
            };
            for key in &db.keys {
                if key.expires_at.is_some_and(|t| t <= now) {
                    continue;
                }
                let value = restore_value(&key.value)?;
                if value.is_empty_collection() {
                    continue;
                }
                target.insert(key.key.to_bytes()?, value, key.expires_at, now);
            }
        }
        Ok(session)
    }
}

fn value_snap(value: &Value) -> ValueSnap {
    match value {
        Value::Str(s) => ValueSnap::String(Blob::of(s)),
        Value::List(l) => ValueSnap::List(l.iter().map(|v| Blob::of(v)).collect()),
        Value::Hash(h) => ValueSnap::Hash(h.iter().map(|(k, v)| (Blob::of(k), Blob::of(v))).collect()),
        Value::Set(s) => ValueSnap::Set(s.iter().map(|m| Blob::of(m)).collect()),
        Value::ZSet(z) => ValueSnap::Zset(z.iter().map(|(m, s)| (Blob::of(m), format_double(s))).collect()),
    }
}

fn restore_value(snap: &ValueSnap) -> Result<Value, PersistError> {
    let blobs = |items: &[Blob]| items.iter().map(Blob::to_bytes).collect::<Result<Vec<_>, _>>();
    Ok(match snap {
        ValueSnap::String(s) => Value::Str(s.to_bytes()?),
        ValueSnap::List(items) => Value::List(blobs(items)?.into_iter().collect::<VecDeque<_>>()),
        ValueSnap::Set(items) => Value::Set(blobs(items)?.into_iter().collect::<IndexSet<_>>()),
        ValueSnap::Hash(pairs) => {
            let mut map = IndexMap::with_capacity(pairs.len());
            for (k, v) in pairs {
                map.insert(k.to_bytes()?, v.to_bytes()?);
            }
            Value::Hash(map)
        }
        ValueSnap::Zset(pairs) => {
            let mut zset = ZSet::new();
            for (member, score) in pairs {
                let score = parse_double(score.as_bytes())
                    .ok_or_else(|| PersistError::Unreadable(format!("bad score '{score}'")))?;
                zset.insert(member.to_bytes()?, score);
            }
            Value::ZSet(zset)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    fn sample() -> Session {
        let mut s = Session::new(1_000_000);
        s.history.push("SET k v");
        let db = &mut s.engine.server_mut().dbs[0];
        db.insert(b("str"), Value::Str(Bytes::from_static(b"\x00\xffbin")), Some(2_000_000), 1_000_000);
        db.insert(b("list"), Value::List([b("a"), b("b")].into_iter().collect()), None, 1_000_000);
        db.insert(b("hash"), Value::Hash([(b("f"), b("v"))].into_iter().collect()), None, 1_000_000);
        db.insert(b("set"), Value::Set([b("m")].into_iter().collect()), None, 1_000_000);
        let mut z = ZSet::new();
        z.insert(b("top"), f64::INFINITY);
        z.insert(b("mid"), 1.5);
        db.insert(b("zset"), Value::ZSet(z), None, 1_000_000);
        db.insert(b("gone"), Value::Str(b("x")), Some(1_000_000), 1_000_000);
        s.engine.server_mut().dbs[3].insert(b("other"), Value::Str(b("db3")), None, 1_000_000);
        s
    }

    #[test]
    fn round_trips_every_type_deadline_and_database() {
        let snap = Snapshot::capture(&sample());
        let json = snap.to_json();
        let back = Snapshot::from_json(&json).expect("readable");
        assert_eq!(back, snap);
        let restored = back.restore().expect("restorable");
        let server = restored.engine.server();
        let db0 = &server.dbs[0];
        assert_eq!(db0.len(), 5, "the key already due is dropped");
        let s = db0.raw_get(b"str").expect("string kept");
        assert_eq!(s.value, Value::Str(Bytes::from_static(b"\x00\xffbin")));
        assert_eq!(s.expires_at, Some(2_000_000));
        let Some(Value::ZSet(z)) = db0.raw_get(b"zset").map(|e| &e.value) else { panic!("zset") };
        assert_eq!(z.score(b"top"), Some(f64::INFINITY));
        assert_eq!(server.dbs[3].len(), 1);
        assert_eq!(restored.clock.now(), 1_000_000);
        assert_eq!(restored.history.entries(), ["SET k v".to_string()]);
    }

    #[test]
    fn bad_input_is_reported_not_panicked() {
        assert!(matches!(Snapshot::from_json("{not json"), Err(PersistError::Unreadable(_))));
        assert_eq!(Snapshot::from_json("{\"a\":1}"), Err(PersistError::NotASnapshot));
        let newer = format!("{{\"format\":\"{FORMAT}\",\"version\":99}}");
        assert_eq!(Snapshot::from_json(&newer), Err(PersistError::NewerVersion(99)));
        let wrong_shape = format!("{{\"format\":\"{FORMAT}\",\"version\":1,\"dbs\":7}}");
        assert!(matches!(Snapshot::from_json(&wrong_shape), Err(PersistError::Unreadable(_))));
        let mut snap = Snapshot::capture(&sample());
        snap.dbs[0].keys[1].key = Blob::Hex("zz".into());
        assert!(matches!(snap.restore(), Err(PersistError::Unreadable(_))));
        snap.dbs[0].index = 999;
        assert!(snap.restore().is_err());
    }
}
