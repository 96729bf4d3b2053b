//! The saved state: a small, versioned JSON snapshot of what a learner built, so a reload (or
//! an exported file) brings it back.
//!
//! What is saved: every key with its value and its deadline on the virtual clock (not a
//! relative TTL, so time that passed while saved is not lost), the virtual clock itself,
//! maxmemory settings, the search indexes (as the FT.CREATE and FT.ALTER lines that defined
//! them, run again over the restored keys, as RediSearch rebuilds its indexes from an RDB
//! file), and the console history. What is not: INFO counters and client state, as a real
//! Redis restarted from an RDB file forgets them too.
//!
//! Format (`version` 2):
//! ```json
//! { "format": "redis-playground/snapshot", "version": 2,
//!   "clock": { "now_ms": 1795397175000, "speed": "X1" },
//!   "config": { "maxmemory": 0, "policy": "noeviction" },
//!   "dbs": [ { "index": 0, "keys": [
//!       { "key": {"t": "user:1"}, "expires_at": 1795397475000,
//!         "value": { "type": "hash", "data": [[{"t": "name"}, {"t": "Ada"}]] } } ] } ],
//!   "indexes": [ { "name": {"t": "idx:users"}, "commands": [
//!       [{"t": "FT.CREATE"}, {"t": "idx:users"}, {"t": "PREFIX"}, "..."] ] } ],
//!   "history": ["SET k v EX 300"] }
//! ```
//! `libraries` (the FUNCTION libraries, each a byte string: the RESP array `[name, code,
//! [[function, description or nil, [flag...]]...]]`) likewise only when one is loaded; they come back as loaded, without the Lua module (it compiles a library
//! when FCALL first calls it), so a reload keeps FCALL working as a restarted Redis does.
//! `indexes` is written only when an index exists (so a state without one reads as it always
//! did, and files without the member load as having no index). Version 2 added `field_ttls`
//! to a hash's key: its fields' deadlines (HEXPIRE), `[[{"t": "field"}, 1795397475000]]`,
//! written only for hashes that have some; version 1 files (without it) read as before.
//! Byte strings are `{"t": text}` when they are UTF-8 and `{"hex": "00ff"}` otherwise; scores
//! are strings as Redis prints them, so `inf` survives JSON. Written and read with
//! [`crate::json`] (see there why not serde), in the very text serde_json wrote before.

use crate::clock::{Speed, VirtualClock};
use crate::console::history::History;
use crate::json::{write_str, Json};
use crate::session::Session;
use bytes::Bytes;
use indexmap::{IndexMap, IndexSet};
use playground_engine::config::EvictionPolicy;
use playground_engine::float::{format_double, parse_double};
use playground_engine::types::encoding;
use playground_engine::types::hfe::{self, FieldTtls};
use playground_engine::types::{Value, ZSet};
use std::collections::VecDeque;
use std::fmt::Write;

pub const FORMAT: &str = "redis-playground/snapshot";
pub const VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub format: String,
    pub version: u32,
    pub clock: VirtualClock,
    pub config: ConfigSnap,
    pub dbs: Vec<DbSnap>,
    /// Search indexes in creation order (FT._LIST's).
    pub indexes: Vec<IndexSnap>,
    /// FUNCTION libraries by name, each as `crate::lua::library_bytes` writes it.
    pub libraries: Vec<Blob>,
    pub history: Vec<String>,
}

/// One search index: its name and the command lines that defined it (FT.CREATE's, then
/// FT.ALTER's), each a list of arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexSnap {
    pub name: Blob,
    pub commands: Vec<Vec<Blob>>,
}

/// What a restore brought back, for the page to say so.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Restored {
    /// Keys restored per database, as (database, count), only databases with keys.
    pub keys: Vec<(usize, usize)>,
    /// Keys of the saved state left out: already expired on the saved clock, or empty
    /// collections, or written twice (the last copy is kept).
    pub skipped: usize,
    /// Search indexes rebuilt, by name.
    pub indexes: Vec<String>,
    /// Indexes that could not be rebuilt: name and the error their definition gave.
    pub failed_indexes: Vec<(String, String)>,
}

impl Restored {
    /// All keys restored.
    pub fn total_keys(&self) -> usize {
        self.keys.iter().map(|(_, n)| n).sum()
    }

    /// True when nothing was restored.
    pub fn is_empty(&self) -> bool {
        self.total_keys() == 0 && self.indexes.is_empty() && self.failed_indexes.is_empty()
    }

    /// "12 keys and 1 search index (idx:faq)", with the count per database when keys are not
    /// all in database 0 (DBSIZE counts only the selected one).
    pub fn summary(&self) -> String {
        let total = self.total_keys();
        let mut out = format!("{total} {}", if total == 1 { "key" } else { "keys" });
        if self.keys.iter().any(|(db, _)| *db != 0) {
            let per_db: Vec<String> = self.keys.iter().map(|(db, n)| format!("{n} in db {db}")).collect();
            let _ = write!(out, " ({})", per_db.join(", "));
        }
        if !self.indexes.is_empty() {
            let n = self.indexes.len();
            let _ = write!(
                out,
                " and {n} search {} ({})",
                if n == 1 { "index" } else { "indexes" },
                self.indexes.join(", ")
            );
        }
        out
    }

    /// What the learner should know beyond the summary: skipped keys, indexes not rebuilt.
    pub fn warnings(&self) -> String {
        let mut out = String::new();
        if self.skipped > 0 {
            let _ = write!(
                out,
                " {} saved {} left out (expired, empty or written twice).",
                self.skipped,
                if self.skipped == 1 { "key was" } else { "keys were" }
            );
        }
        for (name, why) in &self.failed_indexes {
            let _ = write!(out, " The search index {name} could not be rebuilt: {why}.");
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfigSnap {
    pub maxmemory: u64,
    pub policy: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DbSnap {
    pub index: usize,
    pub keys: Vec<KeySnap>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeySnap {
    pub key: Blob,
    pub expires_at: Option<u64>,
    pub value: ValueSnap,
    /// A hash's field deadlines (virtual-clock milliseconds), earliest first; empty otherwise.
    pub field_ttls: Vec<(Blob, u64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueSnap {
    String(Blob),
    List(Vec<Blob>),
    Hash(Vec<(Blob, Blob)>),
    Set(Vec<Blob>),
    Zset(Vec<(Blob, String)>),
    /// A type without a form of its own in the file (a stream, with its consumer groups): Redis's
    /// DUMP payload, which the engine writes and RESTOREs byte for byte as Redis 7.4 does.
    Dump(Blob),
    /// A JSON document as its compact text.
    Json(Blob),
}

/// A byte string, readable in the file when it is text.
#[derive(Debug, Clone, PartialEq)]
pub enum Blob {
    Text(String),
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
    fn write(&self, out: &mut String) {
        let (tag, text) = match self {
            Blob::Text(s) => ("t", s),
            Blob::Hex(h) => ("hex", h),
        };
        let _ = write!(out, "{{\"{tag}\":");
        write_str(out, text);
        out.push('}');
    }

    /// `{"t": text}` or `{"hex": digits}`, nothing else beside it.
    fn read(blob: &Json) -> Result<Blob, PersistError> {
        match blob {
            Json::Object(members) if members.len() == 1 => match (&members[0].0[..], &members[0].1) {
                ("t", Json::String(s)) => Ok(Blob::Text(s.clone())),
                ("hex", Json::String(h)) => Ok(Blob::Hex(h.clone())),
                _ => Err(unreadable("a byte string must be {\"t\": text} or {\"hex\": digits}")),
            },
            _ => Err(unreadable("a byte string must be {\"t\": text} or {\"hex\": digits}")),
        }
    }

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
                playground_engine::order::sort_by(&mut entries, |a, b| a.0.cmp(b.0));
                let keys = entries
                    .into_iter()
                    .filter_map(|(key, entry)| {
                        Some(KeySnap {
                            key: Blob::of(key),
                            expires_at: entry.expires_at,
                            value: value_snap(&entry.value)?,
                            field_ttls: entry
                                .field_deadlines()
                                .iter()
                                .map(|(f, at)| (Blob::of(f), *at))
                                .collect(),
                        })
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
            indexes: server
                .search
                .by_name
                .iter()
                .map(|(name, index)| IndexSnap {
                    name: Blob::of(name),
                    commands: index
                        .definition()
                        .iter()
                        .map(|argv| argv.iter().map(|a| Blob::of(a)).collect())
                        .collect(),
                })
                .collect(),
            libraries: server
                .scripts
                .libraries
                .values()
                .map(|l| Blob::of(&crate::lua::library_bytes(l)))
                .collect(),
            // Long pasted lines stay in the session only (see `History::saved_entries`).
            history: session.history.saved_entries(),
        }
    }

    /// The snapshot as compact JSON (the format in the module's doc).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        out.push_str("{\"format\":");
        write_str(&mut out, &self.format);
        let _ = write!(
            out,
            ",\"version\":{},\"clock\":{{\"now_ms\":{},\"speed\":",
            self.version,
            self.clock.now()
        );
        write_str(&mut out, self.clock.speed().name());
        let _ = write!(out, "}},\"config\":{{\"maxmemory\":{},\"policy\":", self.config.maxmemory);
        write_str(&mut out, &self.config.policy);
        out.push_str("},\"dbs\":[");
        for (i, db) in self.dbs.iter().enumerate() {
            let _ = write!(out, "{}{{\"index\":{},\"keys\":[", if i > 0 { "," } else { "" }, db.index);
            for (j, key) in db.keys.iter().enumerate() {
                out.push_str(if j > 0 { ",{\"key\":" } else { "{\"key\":" });
                key.key.write(&mut out);
                if let Some(at) = key.expires_at {
                    let _ = write!(out, ",\"expires_at\":{at}");
                }
                out.push_str(",\"value\":");
                key.value.write(&mut out);
                if !key.field_ttls.is_empty() {
                    out.push_str(",\"field_ttls\":[");
                    for (k, (field, at)) in key.field_ttls.iter().enumerate() {
                        out.push_str(if k > 0 { ",[" } else { "[" });
                        field.write(&mut out);
                        let _ = write!(out, ",{at}]");
                    }
                    out.push(']');
                }
                out.push('}');
            }
            out.push_str("]}");
        }
        out.push(']');
        if !self.indexes.is_empty() {
            out.push_str(",\"indexes\":[");
            for (i, index) in self.indexes.iter().enumerate() {
                out.push_str(if i > 0 { ",{\"name\":" } else { "{\"name\":" });
                index.name.write(&mut out);
                out.push_str(",\"commands\":[");
                for (j, argv) in index.commands.iter().enumerate() {
                    out.push_str(if j > 0 { ",[" } else { "[" });
                    for (k, arg) in argv.iter().enumerate() {
                        if k > 0 {
                            out.push(',');
                        }
                        arg.write(&mut out);
                    }
                    out.push(']');
                }
                out.push_str("]}");
            }
            out.push(']');
        }
        if !self.libraries.is_empty() {
            out.push_str(",\"libraries\":[");
            for (i, library) in self.libraries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                library.write(&mut out);
            }
            out.push(']');
        }
        out.push_str(",\"history\":[");
        for (i, line) in self.history.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(&mut out, line);
        }
        out.push_str("]}");
        out
    }

    /// Read a snapshot, telling apart damaged data, foreign files and newer versions.
    pub fn from_json(text: &str) -> Result<Snapshot, PersistError> {
        let raw = Json::parse(text).map_err(PersistError::Unreadable)?;
        if raw.get("format").and_then(Json::as_str) != Some(FORMAT) {
            return Err(PersistError::NotASnapshot);
        }
        let version = raw.get("version").and_then(Json::as_u64).unwrap_or(0);
        if version > u64::from(VERSION) {
            return Err(PersistError::NewerVersion(u32::try_from(version).unwrap_or(u32::MAX)));
        }
        let clock = field(&raw, "clock")?;
        let speed = str_field(clock, "speed")?;
        let speed =
            Speed::from_name(speed).ok_or_else(|| unreadable(format!("unknown clock speed `{speed}`")))?;
        let config = field(&raw, "config")?;
        let dbs = array_field(&raw, "dbs")?.iter().map(DbSnap::read).collect::<Result<_, _>>()?;
        let indexes = match raw.get("indexes") {
            None | Some(Json::Null) => Vec::new(),
            Some(list) => each(list, "indexes", IndexSnap::read)?,
        };
        let libraries = match raw.get("libraries") {
            None | Some(Json::Null) => Vec::new(),
            Some(list) => each(list, "libraries", Blob::read)?,
        };
        let history = match raw.get("history") {
            None | Some(Json::Null) => Vec::new(),
            Some(lines) => each(lines, "history", |line| {
                line.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| unreadable("invalid type in `history`, expected a string"))
            })?,
        };
        Ok(Snapshot {
            format: FORMAT.into(),
            version: version as u32,
            clock: VirtualClock::restored(u64_field(clock, "now_ms")?, speed),
            config: ConfigSnap {
                maxmemory: u64_field(config, "maxmemory")?,
                policy: str_field(config, "policy")?.to_string(),
            },
            dbs,
            indexes,
            libraries,
            history,
        })
    }

    /// Build a session from the snapshot. Keys whose deadline already passed on the saved clock
    /// are left out (they would expire at the first tick anyway).
    pub fn restore(&self) -> Result<Session, PersistError> {
        self.restore_with_report().map(|(session, _)| session)
    }

    /// Build a session from the snapshot and say what it holds: keys per database, keys left
    /// out, search indexes rebuilt (their definitions run over the restored keys; one whose
    /// definition fails is reported, not fatal).
    pub fn restore_with_report(&self) -> Result<(Session, Restored), PersistError> {
        let now = self.clock.now();
        let mut session = Session::new(now);
        session.clock = self.clock;
        session.history = History::from_entries(self.history.clone());
        let mut report = Restored::default();
        let mut expired = 0u64;
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
                    report.skipped += 1;
                    expired += 1;
                    continue;
                }
                let mut value = restore_value(&key.value)?;
                let ttls = restore_field_ttls(&mut value, &key.field_ttls, now)?;
                if value.is_empty_collection() {
                    report.skipped += 1;
                    continue;
                }
                let name = key.key.to_bytes()?;
                if target.raw_get(&name).is_some() {
                    report.skipped += 1;
                }
                target.insert(name.clone(), value, key.expires_at, now);
                // After the insert: a key written twice must not keep the first copy's deadlines.
                let first = ttls.as_ref().and_then(|t| t.min());
                if let (Some(entry), Some(_)) = (target.raw_get_mut(&name), first) {
                    // A small hash with field TTLs loads as a `listpackex`, as from an RDB file.
                    entry.encoding_floor = entry.encoding_floor.max(encoding::LISTPACK_EX);
                }
                target.set_field_ttls(&name, ttls, first);
            }
        }
        report.keys = server
            .dbs
            .iter()
            .enumerate()
            .filter(|(_, db)| !db.is_empty())
            .map(|(index, db)| (index, db.len()))
            .collect();
        // As INFO persistence reports an RDB load.
        server.last_load = (report.total_keys() as u64, expired);
        for library in &self.libraries {
            let library = crate::lua::library_of(&library.to_bytes()?)
                .ok_or_else(|| unreadable("a FUNCTION library could not be read"))?;
            let scripts = &mut server.scripts;
            for f in &library.functions {
                scripts.functions.insert(f.name.to_ascii_lowercase(), library.name.clone());
            }
            scripts.libraries.insert(library.name.clone(), library);
        }
        self.rebuild_indexes(&mut session, &mut report)?;
        Ok((session, report))
    }

    /// Run each index's definition again, as a fresh server would rebuild it: FT.CREATE scans the
    /// keys just restored. FT.ALTER runs without SKIPINITIALSCAN (RediSearch, loading an RDB
    /// file, indexes every document with the whole schema too). What the replay counts in INFO
    /// (commands, calls) is put back: the learner did not type these.
    fn rebuild_indexes(&self, session: &mut Session, report: &mut Restored) -> Result<(), PersistError> {
        if self.indexes.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        let (stats, dirty) = {
            let server = session.engine.server();
            (server.stats.clone(), server.dirty)
        };
        'indexes: for index in &self.indexes {
            let name = String::from_utf8_lossy(&index.name.to_bytes()?).into_owned();
            if index.commands.is_empty() {
                report.failed_indexes.push((name, "its definition is empty".into()));
                continue;
            }
            for (i, argv) in index.commands.iter().enumerate() {
                let mut argv: Vec<Bytes> = argv.iter().map(Blob::to_bytes).collect::<Result<_, _>>()?;
                let is_alter = argv.first().is_some_and(|c| c.eq_ignore_ascii_case(b"FT.ALTER"));
                if is_alter && argv.get(2).is_some_and(|w| w.eq_ignore_ascii_case(b"SKIPINITIALSCAN")) {
                    argv.remove(2);
                }
                let reply = session.engine.execute(session.client, argv, now);
                if let playground_engine::Frame::Error(why) = reply {
                    // A half-built index is worse than none: drop what the first lines made
                    // (not when FT.CREATE itself failed: the name may be another index's).
                    if i > 0 {
                        let drop = vec![Bytes::from_static(b"FT.DROPINDEX"), index.name.to_bytes()?];
                        session.engine.execute(session.client, drop, now);
                    }
                    report.failed_indexes.push((name, why));
                    continue 'indexes;
                }
            }
            report.indexes.push(name);
        }
        let server = session.engine.server_mut();
        server.stats = stats;
        server.dirty = dirty;
        session.engine.drain_events();
        Ok(())
    }
}

impl IndexSnap {
    fn read(index: &Json) -> Result<IndexSnap, PersistError> {
        let commands =
            each(field(index, "commands")?, "commands", |argv| each(argv, "commands", Blob::read))?;
        Ok(IndexSnap { name: Blob::read(field(index, "name")?)?, commands })
    }
}

fn unreadable(why: impl Into<String>) -> PersistError {
    PersistError::Unreadable(why.into())
}

/// The member `name` of an object that must have it.
fn field<'a>(object: &'a Json, name: &str) -> Result<&'a Json, PersistError> {
    match object {
        Json::Object(_) => object.get(name).ok_or_else(|| unreadable(format!("missing field `{name}`"))),
        _ => Err(unreadable(format!("expected an object where `{name}` should be"))),
    }
}

fn str_field<'a>(object: &'a Json, name: &str) -> Result<&'a str, PersistError> {
    field(object, name)?
        .as_str()
        .ok_or_else(|| unreadable(format!("invalid type in `{name}`, expected a string")))
}

fn u64_field(object: &Json, name: &str) -> Result<u64, PersistError> {
    field(object, name)?
        .as_u64()
        .ok_or_else(|| unreadable(format!("invalid type in `{name}`, expected a u64")))
}

fn array_field<'a>(object: &'a Json, name: &str) -> Result<&'a [Json], PersistError> {
    field(object, name)?
        .as_array()
        .ok_or_else(|| unreadable(format!("invalid type in `{name}`, expected an array")))
}

/// Read every item of the array `list` (named `name` in errors).
fn each<T>(
    list: &Json,
    name: &str,
    read: impl Fn(&Json) -> Result<T, PersistError>,
) -> Result<Vec<T>, PersistError> {
    let items =
        list.as_array().ok_or_else(|| unreadable(format!("invalid type in `{name}`, expected an array")))?;
    items.iter().map(read).collect()
}

/// A two-item array, as a tuple is written.
fn pair<'a>(item: &'a Json, name: &str) -> Result<(&'a Json, &'a Json), PersistError> {
    match item.as_array() {
        Some([a, b]) => Ok((a, b)),
        _ => Err(unreadable(format!("invalid item in `{name}`, expected a pair"))),
    }
}

impl DbSnap {
    fn read(db: &Json) -> Result<DbSnap, PersistError> {
        let index = u64_field(db, "index")?;
        let index = usize::try_from(index).map_err(|_| unreadable(format!("no database {index}")))?;
        let keys = array_field(db, "keys")?.iter().map(KeySnap::read).collect::<Result<_, _>>()?;
        Ok(DbSnap { index, keys })
    }
}

impl KeySnap {
    fn read(key: &Json) -> Result<KeySnap, PersistError> {
        let expires_at = match key.get("expires_at") {
            None | Some(Json::Null) => None,
            Some(at) => {
                Some(at.as_u64().ok_or_else(|| unreadable("invalid type in `expires_at`, expected a u64"))?)
            }
        };
        let field_ttls = match key.get("field_ttls") {
            None | Some(Json::Null) => Vec::new(),
            Some(list) => each(list, "field_ttls", |item| {
                let (field, at) = pair(item, "field_ttls")?;
                let at =
                    at.as_u64().ok_or_else(|| unreadable("invalid type in `field_ttls`, expected a u64"))?;
                Ok((Blob::read(field)?, at))
            })?,
        };
        Ok(KeySnap {
            key: Blob::read(field(key, "key")?)?,
            expires_at,
            value: ValueSnap::read(field(key, "value")?)?,
            field_ttls,
        })
    }
}

impl ValueSnap {
    fn write(&self, out: &mut String) {
        let write_blobs = |out: &mut String, items: &[Blob]| {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                item.write(out);
            }
        };
        let (kind, open) = match self {
            ValueSnap::String(_) => ("string", ""),
            ValueSnap::Json(_) => ("json", ""),
            ValueSnap::List(_) => ("list", "["),
            ValueSnap::Hash(_) => ("hash", "["),
            ValueSnap::Set(_) => ("set", "["),
            ValueSnap::Zset(_) => ("zset", "["),
            ValueSnap::Dump(_) => ("dump", ""),
        };
        let _ = write!(out, "{{\"type\":\"{kind}\",\"data\":{open}");
        match self {
            ValueSnap::String(s) | ValueSnap::Dump(s) | ValueSnap::Json(s) => s.write(out),
            ValueSnap::List(items) | ValueSnap::Set(items) => write_blobs(out, items),
            ValueSnap::Hash(pairs) => {
                for (i, (field, value)) in pairs.iter().enumerate() {
                    out.push_str(if i > 0 { ",[" } else { "[" });
                    field.write(out);
                    out.push(',');
                    value.write(out);
                    out.push(']');
                }
            }
            ValueSnap::Zset(pairs) => {
                for (i, (member, score)) in pairs.iter().enumerate() {
                    out.push_str(if i > 0 { ",[" } else { "[" });
                    member.write(out);
                    out.push(',');
                    write_str(out, score);
                    out.push(']');
                }
            }
        }
        out.push_str(if open.is_empty() { "}" } else { "]}" });
    }

    fn read(value: &Json) -> Result<ValueSnap, PersistError> {
        let data = field(value, "data")?;
        let blobs = |name| each(data, name, Blob::read);
        Ok(match str_field(value, "type")? {
            "string" => ValueSnap::String(Blob::read(data)?),
            "dump" => ValueSnap::Dump(Blob::read(data)?),
            "json" => ValueSnap::Json(Blob::read(data)?),
            "list" => ValueSnap::List(blobs("list")?),
            "set" => ValueSnap::Set(blobs("set")?),
            "hash" => ValueSnap::Hash(each(data, "hash", |item| {
                let (field, value) = pair(item, "hash")?;
                Ok((Blob::read(field)?, Blob::read(value)?))
            })?),
            "zset" => ValueSnap::Zset(each(data, "zset", |item| {
                let (member, score) = pair(item, "zset")?;
                let score = score
                    .as_str()
                    .ok_or_else(|| unreadable("invalid type in `zset`, expected a score string"))?;
                Ok((Blob::read(member)?, score.to_string()))
            })?),
            other => return Err(unreadable(format!("unknown value type `{other}`"))),
        })
    }
}

/// A value as saved (`Option` for a type the file could not hold; every type has a form now).
fn value_snap(value: &Value) -> Option<ValueSnap> {
    Some(match value {
        Value::Str(s) => ValueSnap::String(Blob::of(s)),
        Value::Json(j) => ValueSnap::Json(Blob::of(j.to_text().as_bytes())),
        Value::List(l) => ValueSnap::List(l.iter().map(|v| Blob::of(v)).collect()),
        Value::Hash(h) => ValueSnap::Hash(h.iter().map(|(k, v)| (Blob::of(k), Blob::of(v))).collect()),
        Value::Set(s) => ValueSnap::Set(s.iter().map(|m| Blob::of(m)).collect()),
        Value::ZSet(z) => ValueSnap::Zset(z.iter().map(|(m, s)| (Blob::of(m), format_double(s))).collect()),
        Value::Stream(_) | Value::Suggest(_) => {
            ValueSnap::Dump(Blob::of(&playground_engine::rdb::dump(value, 0)))
        }
    })
}

/// The field deadlines of a restored hash, in the engine's form, with the fields already expired
/// on the saved clock removed from `value` (as Redis drops them loading an RDB file); the hash's
/// fields are put back in the order Redis keeps a `listpackex` in (deadlines first).
fn restore_field_ttls(
    value: &mut Value,
    saved: &[(Blob, u64)],
    now: u64,
) -> Result<Option<Box<FieldTtls>>, PersistError> {
    let Value::Hash(hash) = value else {
        return Ok(None);
    };
    let mut ttls = FieldTtls::default();
    for (field, at) in saved {
        let field = field.to_bytes()?;
        if *at < now {
            hash.shift_remove(&field);
        } else if hash.contains_key(&field) {
            ttls.set(field, *at);
        }
    }
    let fields: Vec<Bytes> = ttls.iter().map(|(f, _)| f.clone()).collect();
    for field in fields {
        hfe::place(hash, &ttls, &field);
    }
    Ok((!ttls.is_empty()).then(|| Box::new(ttls)))
}

fn restore_value(snap: &ValueSnap) -> Result<Value, PersistError> {
    let blobs = |items: &[Blob]| items.iter().map(Blob::to_bytes).collect::<Result<Vec<_>, _>>();
    Ok(match snap {
        ValueSnap::String(s) => Value::Str(s.to_bytes()?),
        ValueSnap::Json(s) => Value::Json(Box::new(
            playground_engine::types::json::parse(&s.to_bytes()?)
                .map_err(|e| PersistError::Unreadable(format!("bad JSON document: {e}")))?,
        )),
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
        ValueSnap::Dump(payload) => {
            let payload = payload.to_bytes()?;
            if !playground_engine::rdb::verify(&payload, false) {
                return Err(unreadable("a dumped value's checksum or version is wrong"));
            }
            playground_engine::rdb::restore(&payload, crate::session::PAGE_VALUE_LIMIT)
                .ok_or_else(|| unreadable("a dumped value does not read back"))?
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

    /// What the serde_json version of this module wrote for `sample()` plus one history line
    /// with a quote, a tab, a control character and a non-ASCII letter (printed by that version).
    const WRITTEN_BY_SERDE: &str = r#"{"format":"redis-playground/snapshot","version":1,"clock":{"now_ms":1000000,"speed":"X1"},"config":{"maxmemory":0,"policy":"noeviction"},"dbs":[{"index":0,"keys":[{"key":{"t":"gone"},"expires_at":1000000,"value":{"type":"string","data":{"t":"x"}}},{"key":{"t":"hash"},"value":{"type":"hash","data":[[{"t":"f"},{"t":"v"}]]}},{"key":{"t":"list"},"value":{"type":"list","data":[{"t":"a"},{"t":"b"}]}},{"key":{"t":"set"},"value":{"type":"set","data":[{"t":"m"}]}},{"key":{"t":"str"},"expires_at":2000000,"value":{"type":"string","data":{"hex":"00ff62696e"}}},{"key":{"t":"zset"},"value":{"type":"zset","data":[[{"t":"mid"},"1.5"],[{"t":"top"},"inf"]]}}]},{"index":3,"keys":[{"key":{"t":"other"},"value":{"type":"string","data":{"t":"db3"}}}]}],"history":["SET k v","GET \"q\"\t\u0001é"]}"#;

    /// FUNCTION libraries come back as loaded (no Lua VM needed to restore them): FUNCTION
    /// LIST answers the same, and the saved text names them.
    #[test]
    fn round_trips_function_libraries() {
        use playground_engine::script::{FunctionInfo, Library};
        let mut session = sample();
        let code = Bytes::from_static(b"#!lua name=mylib\nredis.register_function{function_name='Hi', callback=function() return 1 end, flags={'no-writes'}, description='says \"hi\"'}\nredis.register_function('two', function() return 2 end)");
        let functions = vec![
            FunctionInfo {
                name: "Hi".into(),
                description: Some("says \"hi\"".into()),
                flags: vec!["no-writes".into()],
            },
            FunctionInfo { name: "two".into(), description: None, flags: vec![] },
        ];
        let scripts = &mut session.engine.server_mut().scripts;
        scripts.functions.insert("hi".into(), "mylib".into());
        scripts.functions.insert("two".into(), "mylib".into());
        scripts.libraries.insert("mylib".into(), Library { name: "mylib".into(), code, functions });
        let list = |s: &mut Session| run(s, &[b"FUNCTION", b"LIST", b"WITHCODE"]);
        let before = list(&mut session);
        let snap = Snapshot::capture(&session);
        let json = snap.to_json();
        assert!(
            json.contains(",\"libraries\":[{\"t\":\"*3\\r\\n$5\\r\\nmylib\\r\\n$196\\r\\n#!lua name=mylib"),
            "{json}"
        );
        assert_eq!(Snapshot::from_json(&json), Ok(snap.clone()));
        let mut back = Snapshot::from_json(&json).expect("readable").restore().expect("restorable");
        assert_eq!(list(&mut back), before);
        assert!(matches!(before, playground_engine::Frame::Array(ref libs) if libs.len() == 1), "{before:?}");
        assert_eq!(back.engine.server().scripts.functions.get("hi").map(String::as_str), Some("mylib"));
        // Without libraries, nothing is written for them.
        assert!(!Snapshot::capture(&sample()).to_json().contains("libraries"));
    }

    #[test]
    fn writes_and_reads_the_text_the_serde_version_wrote() {
        let mut session = sample();
        session.history.push("GET \"q\"\t\u{1}é");
        let snap = Snapshot::capture(&session);
        // Version 2 writes a state without field TTLs as version 1 did, but for its number.
        let written = WRITTEN_BY_SERDE.replace("\"version\":1,", "\"version\":2,");
        assert_eq!(snap.to_json(), written, "saved states and exported files keep their format");
        assert_eq!(Snapshot::from_json(&written), Ok(snap.clone()));
        // A version 1 file (saved before field TTLs existed) still reads and restores.
        let old = Snapshot::from_json(WRITTEN_BY_SERDE).expect("version 1 readable");
        assert_eq!(old, Snapshot { version: 1, ..snap });
        assert_eq!(old.restore().expect("restorable").engine.server().dbs[0].len(), 5);
    }

    #[test]
    fn round_trips_hash_field_deadlines() {
        let mut s = Session::new(1_000_000);
        run(&mut s, &[b"HSET", b"h", b"a", b"1", b"b", b"2", b"c", b"3", b"d", b"4"]);
        run(&mut s, &[b"HPEXPIRE", b"h", b"50000", b"FIELDS", b"1", b"b"]);
        run(&mut s, &[b"HPEXPIRE", b"h", b"100", b"FIELDS", b"1", b"c"]);
        run(&mut s, &[b"HSET", b"plain", b"f", b"v"]);
        let mut snap = Snapshot::capture(&s);
        let json = snap.to_json();
        assert!(
            json.contains(",\"field_ttls\":[[{\"t\":\"c\"},1000100],[{\"t\":\"b\"},1050000]]}"),
            "{json}"
        );
        assert_eq!(json.matches("field_ttls").count(), 1, "only hashes with deadlines carry them");
        assert_eq!(Snapshot::from_json(&json), Ok(snap.clone()));
        // Saved later on the clock: `c` is due, `b` still counts down.
        snap.clock = VirtualClock::restored(1_000_200, Speed::Paused);
        let mut back = Snapshot::from_json(&snap.to_json()).expect("readable").restore().expect("restorable");
        let b_deadline = vec![(b("b"), 1_050_000)];
        assert_eq!(back.engine.hash_field_deadlines(0, b"h"), b_deadline);
        assert_eq!(back.engine.server().dbs[0].hashes_with_field_ttls(), 1);
        let times = run(&mut back, &[b"HPEXPIRETIME", b"h", b"FIELDS", b"3", b"a", b"b", b"c"]);
        let ints =
            |v: [i64; 3]| playground_engine::Frame::Array(v.map(playground_engine::Frame::Integer).to_vec());
        assert_eq!(times, ints([-1, 1_050_000, -2]));
        let all = run(&mut back, &[b"HKEYS", b"h"]);
        let first = match &all {
            playground_engine::Frame::Array(items) => items[0].as_bytes().map(<[u8]>::to_vec),
            _ => None,
        };
        assert_eq!(
            first.as_deref(),
            Some(&b"b"[..]),
            "fields with a deadline first, as listpackex keeps them"
        );
        assert_eq!(run(&mut back, &[b"OBJECT", b"ENCODING", b"h"]).as_bytes(), Some(&b"listpackex"[..]));
        // Due on the active cycle, as before the reload.
        let later = back.clock.now() + 60_000;
        back.engine.tick(later);
        assert_eq!(back.engine.hash_field_deadlines(0, b"h"), vec![]);
        // A hash whose every field is due is left out.
        snap.clock = VirtualClock::restored(1_060_000, Speed::Paused);
        snap.dbs[0].keys[0].value = ValueSnap::Hash(vec![(Blob::Text("b".into()), Blob::Text("2".into()))]);
        let (_, report) = snap.restore_with_report().expect("restorable");
        assert_eq!((report.keys.clone(), report.skipped), (vec![(0, 1)], 1));
    }

    #[test]
    fn reads_any_member_order_spacing_and_missing_history() {
        let text = r#"{ "dbs": [ { "keys": [ { "value": { "data": [ [ {"t":"m"}, "-2" ] ], "type": "zset" },
            "key": {"hex": "6b"} } ], "index": 1 } ], "config": { "policy": "allkeys-lru", "maxmemory": 18446744073709551615 },
            "clock": { "speed": "Paused", "now_ms": 5 }, "version": 1, "format": "redis-playground/snapshot" }"#;
        let snap = Snapshot::from_json(text).expect("readable");
        assert_eq!(snap.config.maxmemory, u64::MAX);
        assert_eq!(snap.clock, VirtualClock::restored(5, Speed::Paused));
        assert!(snap.history.is_empty());
        let restored = snap.restore().expect("restorable");
        let Some(Value::ZSet(z)) = restored.engine.server().dbs[1].raw_get(b"k").map(|e| &e.value) else {
            panic!("zset")
        };
        assert_eq!(z.score(b"m"), Some(-2.0));
    }

    /// Run a command line in the session's console client.
    fn run(session: &mut Session, line: &[&[u8]]) -> playground_engine::Frame {
        let argv = line.iter().map(|a| Bytes::copy_from_slice(a)).collect();
        let now = session.clock.now();
        session.engine.execute(session.client, argv, now)
    }

    /// A stream comes back whole: entries, last id, consumer groups with their pending entries
    /// (saved as Redis's DUMP payload); a broken payload is reported, not loaded.
    #[test]
    fn round_trips_streams_with_their_groups() {
        let mut session = Session::new(1_000_000);
        for line in [
            &[&b"XADD"[..], b"events", b"1-1", b"kind", b"login"][..],
            &[b"XADD", b"events", b"1-2", b"kind", b"logout"],
            &[b"XGROUP", b"CREATE", b"events", b"workers", b"0"],
            &[b"XREADGROUP", b"GROUP", b"workers", b"w1", b"COUNT", b"1", b"STREAMS", b"events", b">"],
            &[b"XGROUP", b"CREATE", b"empty", b"g", b"$", b"MKSTREAM"],
        ] {
            run(&mut session, line);
        }
        let before: Vec<_> = [&b"events"[..], b"empty"]
            .iter()
            .map(|key| {
                let dump = run(&mut session, &[b"DUMP", key]);
                let info = run(&mut session, &[b"XINFO", b"STREAM", key, b"FULL"]);
                (dump, info)
            })
            .collect();
        let text = Snapshot::capture(&session).to_json();
        assert!(text.contains("\"type\":\"dump\""), "{text}");
        let (mut restored, report) = Snapshot::from_json(&text).unwrap().restore_with_report().unwrap();
        assert_eq!(report.skipped, 0);
        for (key, (dump, info)) in [&b"events"[..], b"empty"].iter().zip(before) {
            assert_eq!(run(&mut restored, &[b"DUMP", key]), dump);
            assert_eq!(run(&mut restored, &[b"XINFO", b"STREAM", key, b"FULL"]), info);
        }
        // One flipped digit: the checksum no longer matches.
        let at = text.find("\"type\":\"dump\",\"data\":{\"hex\":\"").expect("a hex payload") + 30;
        let flipped = if &text[at..at + 1] == "0" { "1" } else { "0" };
        let broken = format!("{}{flipped}{}", &text[..at], &text[at + 1..]);
        assert!(Snapshot::from_json(&broken).unwrap().restore_with_report().is_err());
    }

    fn vector(v: [f32; 4]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    /// The page's FAQ example: a text and vector index over two hashes, then a field added.
    fn with_index() -> Session {
        let mut s = Session::new(1_000_000);
        let create: &[&[u8]] = &[
            b"FT.CREATE",
            b"idx:faq",
            b"ON",
            b"HASH",
            b"PREFIX",
            b"1",
            b"faq:",
            b"SCHEMA",
            b"q",
            b"TEXT",
            b"a",
            b"TEXT",
            b"v",
            b"VECTOR",
            b"HNSW",
            b"6",
            b"TYPE",
            b"FLOAT32",
            b"DIM",
            b"4",
            b"DISTANCE_METRIC",
            b"COSINE",
        ];
        assert_eq!(run(&mut s, create), playground_engine::Frame::ok());
        let (one, two) = (vector([1.0, 0.0, 0.0, 0.0]), vector([0.0, 1.0, 0.0, 0.0]));
        run(
            &mut s,
            &[b"HSET", b"faq:1", b"q", b"what is redis", b"a", b"a data store", b"v", &one, b"n", b"1"],
        );
        run(
            &mut s,
            &[b"HSET", b"faq:2", b"q", b"what is a vector", b"a", b"numbers", b"v", &two, b"n", b"2"],
        );
        let alter: &[&[u8]] =
            &[b"FT.ALTER", b"idx:faq", b"SKIPINITIALSCAN", b"SCHEMA", b"ADD", b"n", b"NUMERIC"];
        assert_eq!(run(&mut s, alter), playground_engine::Frame::ok());
        s
    }

    #[test]
    fn round_trips_search_indexes_rebuilt_over_the_restored_keys() {
        let snap = Snapshot::capture(&with_index());
        assert_eq!(snap.indexes.len(), 1);
        assert_eq!(snap.indexes[0].commands.len(), 2, "FT.CREATE and FT.ALTER");
        let json = snap.to_json();
        assert!(json.contains("\"indexes\":[{\"name\":{\"t\":\"idx:faq\"}"), "{json}");
        let back = Snapshot::from_json(&json).expect("readable");
        assert_eq!(back, snap);
        let (mut restored, report) = back.restore_with_report().expect("restorable");
        assert_eq!(report.indexes, ["idx:faq"]);
        assert_eq!(report.summary(), "2 keys and 1 search index (idx:faq)");
        assert_eq!(report.warnings(), "");
        let listed = run(&mut restored, &[b"FT._LIST"]);
        assert_eq!(
            listed,
            playground_engine::Frame::Set(vec![playground_engine::Frame::Simple("idx:faq".into())])
        );
        // Text, the field FT.ALTER added (every document has it after a reload, as in RediSearch),
        // and KNN over the rebuilt HNSW graph.
        let found = |reply: &playground_engine::Frame| match reply {
            playground_engine::Frame::Array(items) => items
                .iter()
                .skip(1)
                .filter_map(|f| f.as_bytes())
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .collect::<Vec<_>>(),
            other => panic!("FT.SEARCH gave {other:?}"),
        };
        let text = run(&mut restored, &[b"FT.SEARCH", b"idx:faq", b"@q:vector", b"NOCONTENT"]);
        assert_eq!(found(&text), ["faq:2"]);
        let numeric = run(&mut restored, &[b"FT.SEARCH", b"idx:faq", b"@n:[1 1]", b"NOCONTENT"]);
        assert_eq!(found(&numeric), ["faq:1"]);
        let query = vector([0.9, 0.1, 0.0, 0.0]);
        let knn: &[&[u8]] = &[
            b"FT.SEARCH",
            b"idx:faq",
            b"*=>[KNN 1 @v $q]",
            b"PARAMS",
            b"2",
            b"q",
            &query,
            b"NOCONTENT",
            b"DIALECT",
            b"2",
        ];
        assert_eq!(found(&run(&mut restored, knn)), ["faq:1"]);
        // The replay is not the learner's: INFO counts only the four commands above.
        let info = run(&mut restored, &[b"INFO", b"stats"]);
        let info = String::from_utf8_lossy(info.as_bytes().expect("INFO text")).into_owned();
        assert!(info.contains("total_commands_processed:4\r\n"), "{info}");
    }

    #[test]
    fn a_broken_index_definition_is_reported_and_the_keys_still_load() {
        let mut snap = Snapshot::capture(&with_index());
        snap.indexes[0].commands[0][9] = Blob::Text("NOSUCHTYPE".into());
        let second = IndexSnap { name: Blob::Text("idx:none".into()), commands: Vec::new() };
        snap.indexes.push(second);
        let (restored, report) = Snapshot::from_json(&snap.to_json())
            .expect("readable")
            .restore_with_report()
            .expect("restorable");
        assert_eq!(restored.engine.server().dbs[0].len(), 2);
        assert!(report.indexes.is_empty());
        assert_eq!(report.failed_indexes.len(), 2);
        assert!(report.warnings().contains("idx:faq could not be rebuilt"), "{}", report.warnings());
        assert!(restored.engine.server().search.by_name.is_empty());
    }

    #[test]
    fn the_report_counts_what_was_really_loaded() {
        let mut snap = Snapshot::capture(&sample());
        // The same key twice: one key in the database, one left out.
        let again = snap.dbs[0].keys[1].clone();
        snap.dbs[0].keys.push(again);
        let (restored, report) = snap.restore_with_report().expect("restorable");
        assert_eq!(report.keys, [(0, 5), (3, 1)]);
        assert_eq!(report.skipped, 2, "the key already due and the duplicate");
        let loaded: usize = restored.engine.server().dbs.iter().map(|d| d.len()).sum();
        assert_eq!(report.total_keys(), loaded);
        assert_eq!(report.summary(), "6 keys (5 in db 0, 1 in db 3)");
        assert_eq!(report.warnings(), " 2 saved keys were left out (expired, empty or written twice).");
        assert_eq!(restored.engine.server().last_load, (6, 1), "INFO's rdb_last_load_keys_*");
    }

    #[test]
    fn bad_input_is_reported_not_panicked() {
        assert!(matches!(Snapshot::from_json("{not json"), Err(PersistError::Unreadable(_))));
        assert_eq!(Snapshot::from_json("{\"a\":1}"), Err(PersistError::NotASnapshot));
        let newer = format!("{{\"format\":\"{FORMAT}\",\"version\":99}}");
        assert_eq!(Snapshot::from_json(&newer), Err(PersistError::NewerVersion(99)));
        let wrong_shape = format!("{{\"format\":\"{FORMAT}\",\"version\":1,\"dbs\":7}}");
        assert!(matches!(Snapshot::from_json(&wrong_shape), Err(PersistError::Unreadable(_))));
        for (from, to) in [
            ("\"speed\":\"X1\"", "\"speed\":\"X2\""),
            ("\"maxmemory\":0", "\"maxmemory\":-1"),
            ("\"now_ms\":1000000", "\"now_ms\":1.5"),
            ("{\"t\":\"f\"}", "{\"t\":\"f\",\"hex\":\"00\"}"),
            ("{\"t\":\"a\"}", "{\"x\":\"a\"}"),
            ("[{\"t\":\"mid\"},\"1.5\"]", "[{\"t\":\"mid\"}]"),
            ("\"type\":\"set\"", "\"type\":\"bitmap\""),
            ("\"history\":[\"SET k v\"", "\"history\":[7"),
            ("\"expires_at\":2000000", "\"expires_at\":\"soon\""),
            ("{\"key\":{\"t\":\"hash\"}", "{\"field_ttls\":7,\"key\":{\"t\":\"hash\"}"),
            ("{\"key\":{\"t\":\"hash\"}", "{\"field_ttls\":[[{\"t\":\"f\"},-1]],\"key\":{\"t\":\"hash\"}"),
        ] {
            let broken = WRITTEN_BY_SERDE.replace(from, to);
            assert_ne!(broken, WRITTEN_BY_SERDE, "{from}");
            assert!(matches!(Snapshot::from_json(&broken), Err(PersistError::Unreadable(_))), "{to}");
        }
        for indexes in [
            "7",
            "[{\"name\":{\"t\":\"i\"}}]",
            "[{\"name\":\"i\",\"commands\":[]}]",
            "[{\"name\":{\"t\":\"i\"},\"commands\":[\"FT.CREATE\"]}]",
        ] {
            let broken =
                WRITTEN_BY_SERDE.replace(",\"history\"", &format!(",\"indexes\":{indexes},\"history\""));
            assert!(matches!(Snapshot::from_json(&broken), Err(PersistError::Unreadable(_))), "{indexes}");
        }
        let mut snap = Snapshot::capture(&sample());
        snap.dbs[0].keys[1].key = Blob::Hex("zz".into());
        assert!(matches!(snap.restore(), Err(PersistError::Unreadable(_))));
        snap.dbs[0].index = 999;
        assert!(snap.restore().is_err());
    }
}
