//! RediSearch-compatible vector search: FT.CREATE / FT.SEARCH over an HNSW or FLAT index.
//!
//! - `vector.rs`: element types and distances (COSINE, L2, IP) as VecSim computes them.
//! - `hnsw.rs`: our own HNSW graph (seeded, deletable, wasm-safe).
//! - `index.rs`: schema, documents and vector storage of one index.
//! - `query.rs`: the query language subset.
//! - `text.rs`: tokens, stop words and stems of TEXT fields.
//! - `score.rs`: the scorers (TFIDF, BM25STD, ...) over each document's forward index.
//! - `aggregate.rs`: FT.AGGREGATE's pipeline and FT.CURSOR.
//! - `extras.rs`: FT.TAGVALS, FT.ALIAS*, FT.DICT*, FT.SYNUPDATE/SYNDUMP.
//! - `explain.rs`: FT.EXPLAIN / FT.EXPLAINCLI's query tree.
//! - `spell.rs`: FT.SPELLCHECK.
//! - `profile.rs`: FT.PROFILE.
//! - `sug.rs`: FT.SUGADD/SUGGET/SUGDEL/SUGLEN over `types::suggest`.
//! - `commands.rs`: FT.* command handlers and reply shapes.

pub mod aggregate;
pub mod commands;
pub mod dict_order;
pub mod explain;
pub mod extras;
pub mod filter;
pub mod funcs;
pub mod fuzzy;
pub mod geoshape;
pub mod heap;
pub mod highlight;
pub mod hnsw;
pub mod index;
pub mod khash;
pub mod phonetic;
pub mod profile;
pub mod query;
pub mod score;
pub mod slop;
pub mod spell;
pub mod sug;
pub mod text;
pub mod vector;

use crate::cmd::CommandSpec;
use bytes::Bytes;
use indexmap::IndexMap;

pub use hnsw::{Layers, TraceStep};

pub const COMMANDS: &[CommandSpec] = commands::COMMANDS;
pub(crate) use commands::FULL;

/// Every FT index, in creation order (FT._LIST).
#[derive(Debug, Clone, Default)]
pub struct Indexes {
    pub by_name: IndexMap<Bytes, index::Index>,
    /// The kernel new indexes report distances with (`Engine::set_vector_kernel`).
    pub kernel: vector::Kernel,
    /// Open FT.AGGREGATE WITHCURSOR reads, by cursor id.
    pub cursors: std::collections::HashMap<u64, aggregate::Cursor>,
    /// FT.ALIASADD's aliases: alias -> index name.
    pub aliases: std::collections::HashMap<Bytes, Bytes>,
    /// FT.DICTADD's dictionaries (kept by FLUSHALL, as RediSearch keeps them).
    pub dicts: std::collections::BTreeMap<Bytes, std::collections::BTreeSet<Bytes>>,
    /// FT.CONFIG SET's values (the rest keep their defaults; see `extras::config_value`).
    pub config: std::collections::HashMap<&'static str, String>,
    /// How many rows each step of the last FT.AGGREGATE passed on (FT.PROFILE's counters).
    pub steps: Vec<usize>,
}

impl Indexes {
    /// The index a name means: itself, or the index it is an alias of.
    pub fn resolve(&self, name: &Bytes) -> Bytes {
        match self.by_name.contains_key(name) {
            true => name.clone(),
            false => self.aliases.get(name).cloned().unwrap_or_else(|| name.clone()),
        }
    }
}

/// What re-indexes changed keys. With feature `core-only` (the page's first wasm) the indexer is
/// in RediSearch's lazily loaded chunk, which sets it when installed ([`install_indexer`]);
/// an index can only exist once that chunk is in (FT.CREATE and restoring one run its handlers).
#[cfg(feature = "core-only")]
static INDEXER: std::sync::OnceLock<Reindex> = std::sync::OnceLock::new();

/// Re-indexes the keys (database, key) a command changed.
#[cfg(feature = "core-only")]
type Reindex = fn(&mut crate::server::Server, &[(usize, Bytes)]);

/// Make the indexer reachable (see [`INDEXER`]; a full build calls it directly).
pub fn install_indexer() {
    #[cfg(feature = "core-only")]
    let _ = INDEXER.set(reindex);
}

/// Re-index keys changed by the last command (called only while an index exists).
pub(crate) fn sync_keys(server: &mut crate::server::Server, changed: &[(usize, Bytes)]) {
    if server.search.by_name.is_empty() {
        return;
    }
    #[cfg(feature = "core-only")]
    if let Some(reindex) = INDEXER.get() {
        reindex(server, changed);
    }
    #[cfg(not(feature = "core-only"))]
    reindex(server, changed);
}

/// RediSearch indexes database 0 only.
fn reindex(server: &mut crate::server::Server, changed: &[(usize, Bytes)]) {
    let Some(db) = server.dbs.first() else { return };
    for (d, key) in changed {
        if *d != 0 {
            continue;
        }
        let value = db.raw_get(key).map(|e| &e.value);
        for idx in server.search.by_name.values_mut() {
            if idx.matches_prefix(key) || idx.by_key.contains_key(key) {
                idx.update(key, value);
            }
        }
    }
}

/// FLUSHDB / FLUSHALL (of any database) drop every index, as RediSearch 2.10 does.
pub(crate) fn drop_all(server: &mut crate::server::Server) {
    if server.search.by_name.is_empty() {
        return;
    }
    server.search.by_name.clear();
    server.search.aliases.clear();
    server.search.cursors.clear();
    server.track_changes = false;
    server.changed.clear();
}

/// The HNSW graph of `index`'s first vector field, for the page to draw (None for FLAT or no
/// such index).
pub fn inspect(engine: &crate::Engine, index: &str) -> Option<Layers> {
    let idx = engine.server().search.by_name.get(index.as_bytes())?;
    idx.vectors.values().find_map(|v| match v {
        index::Vectors::F32(index::Store::Hnsw(h)) => Some(h.layers()),
        index::Vectors::F64(index::Store::Hnsw(h)) => Some(h.layers()),
        _ => None,
    })
}

/// Results (doc key, distance) of a traced search and its steps.
pub type Traced = (Vec<(Bytes, f64)>, Vec<TraceStep>);

/// One KNN search on `index`'s `field`, with every distance computation in order, for the page
/// to animate. Returns (doc key, distance) of the results and the trace.
pub fn trace_knn(engine: &crate::Engine, index: &str, field: &str, blob: &[u8], k: usize) -> Option<Traced> {
    let idx = engine.server().search.by_name.get(index.as_bytes())?;
    let mut trace = Vec::new();
    let found = idx.knn(field, blob, k, None, None, Some(&mut trace)).ok()?;
    let keyed =
        found.into_iter().filter_map(|(d, id)| idx.docs.get(&id).map(|doc| (doc.key.clone(), d))).collect();
    // Trace labels are doc ids; the page wants keys, but ids are stable within a search.
    Some((keyed, trace))
}

/// Doc id -> key for `index`, to label the nodes that [`inspect`] and [`trace_knn`] return.
pub fn doc_keys(engine: &crate::Engine, index: &str) -> std::collections::HashMap<u64, Bytes> {
    engine
        .server()
        .search
        .by_name
        .get(index.as_bytes())
        .map(|idx| idx.docs.iter().map(|(id, doc)| (*id, doc.key.clone())).collect())
        .unwrap_or_default()
}
