//! How the labs reach the page's engine.
//!
//! The labs ship as a wasm module of their own, loaded when the Labs tab is first opened (the
//! page's first load stays small), so they cannot borrow the page's [`Session`] directly: they
//! talk to it through an [`EngineLink`]. In the labs module that is a [`super::bridge`] over
//! JavaScript; in the page's own tests it is a [`SessionLink`] straight onto the session. Both
//! answer the same questions, so the labs behave alike either way.

use crate::session::SessionHandle;
use bytes::Bytes;
use playground_engine::search::hnsw::{Layers, TraceStep};
use playground_engine::types::Value;
use playground_engine::Frame;
use playground_labs::flow::{Command, Executor};
use playground_labs::semantic::{f32_vector, CachedPrompt};
use std::collections::HashMap;
use std::rc::Rc;

/// An HNSW index as the semantic lab draws it: its graph, which key each node is, and (when a
/// query was given) the traced search for its 3 nearest neighbours.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub layers: Layers,
    pub keys: HashMap<u64, Bytes>,
    /// The search's results: key and distance, nearest first.
    pub results: Vec<(Bytes, f64)>,
    pub trace: Vec<TraceStep>,
}

/// What the labs ask of the page's engine.
pub trait EngineLink {
    /// The virtual clock's time.
    fn now(&self) -> u64;
    /// A new client connection of the lab's own (its SELECT or MULTI never mixes with the
    /// console's).
    fn connect(&self) -> u64;
    /// Run active expiry up to `at`.
    fn tick(&self, at: u64);
    /// Run commands in order on `client`, at virtual time `at` (`None`: now). Replies are what
    /// a client of that connection's protocol would decode.
    fn execute(&self, client: u64, cmds: Vec<Command>, at: Option<u64>) -> Vec<Frame>;
    /// Move the virtual clock forward by `ms` (expiring what falls due).
    fn jump(&self, ms: u64);
    /// Keep the keyspace and the clock as they are, to go back to with `rewind` (one
    /// checkpoint: a new one replaces it).
    fn checkpoint(&self);
    /// Go back to the checkpoint, once; false if there is none.
    fn rewind(&self) -> bool;
    /// How many keys outside `except_prefix`, in any database, expire within `ms` from now.
    fn expiring_within(&self, ms: u64, except_prefix: &str) -> u64;
    /// Cached prompts under `prefix` in db 0, read without commands (the lab's map must not
    /// count as keyspace hits in the server panel).
    fn points(&self, prefix: &str) -> Vec<CachedPrompt>;
    /// The graph of `index`'s first HNSW vector field, and the search for `query` through it.
    fn graph(&self, index: &str, query: Option<&[u8]>) -> Option<Graph>;
}

/// A shared [`EngineLink`], compared by identity (a yew context value).
#[derive(Clone)]
pub struct Link(pub Rc<dyn EngineLink>);

impl PartialEq for Link {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Link {
    type Target = dyn EngineLink;
    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

/// A link used as a flow executor: each command crosses on its own, at the flow's time.
pub struct LinkExecutor<'a>(pub &'a dyn EngineLink);

impl Executor for LinkExecutor<'_> {
    fn tick(&mut self, now: u64) {
        self.0.tick(now);
    }

    fn execute(&mut self, client: u64, cmd: Command, now: u64) -> Frame {
        self.0
            .execute(client, vec![cmd], Some(now))
            .pop()
            .unwrap_or_else(|| Frame::Error("ERR no reply".into()))
    }
}

/// The link straight onto the page's session (the page side of the bridge, and tests).
pub struct SessionLink(pub SessionHandle);

impl EngineLink for SessionLink {
    fn now(&self) -> u64 {
        self.0.now()
    }

    fn connect(&self) -> u64 {
        self.0.update(|s| s.engine.connect(s.clock.now())).unwrap_or(0)
    }

    fn tick(&self, at: u64) {
        self.0.update(|s| s.engine.tick(at));
    }

    fn execute(&self, client: u64, cmds: Vec<Command>, at: Option<u64>) -> Vec<Frame> {
        self.0
            .update(|s| {
                s.dirty = true;
                let now = at.unwrap_or_else(|| s.clock.now());
                cmds.into_iter().map(|c| s.engine.execute(client, c, now)).collect()
            })
            .unwrap_or_default()
    }

    fn jump(&self, ms: u64) {
        self.0.update(|s| s.jump(ms));
    }

    fn checkpoint(&self) {
        self.0.update(|s| s.checkpoint());
    }

    fn rewind(&self) -> bool {
        self.0.update(|s| s.rewind()).unwrap_or(false)
    }

    fn expiring_within(&self, ms: u64, except_prefix: &str) -> u64 {
        self.0.read(|s| s.expiring_within(ms, except_prefix.as_bytes())).unwrap_or(0)
    }

    fn points(&self, prefix: &str) -> Vec<CachedPrompt> {
        self.0
            .read(|s| {
                let Some(db) = s.engine.server().dbs.first() else { return Vec::new() };
                db.iter()
                    .filter(|(k, _)| k.starts_with(prefix.as_bytes()))
                    .filter_map(|(key, entry)| match &entry.value {
                        Value::Hash(h) => Some(CachedPrompt {
                            key: key.clone(),
                            prompt: String::from_utf8_lossy(h.get(b"prompt".as_slice())?).into_owned(),
                            embedding: f32_vector(h.get(b"embedding".as_slice())?)?,
                        }),
                        Value::Json(doc) => {
                            let (prompt, embedding) = playground_labs::semantic::json_prompt_of(doc)?;
                            Some(CachedPrompt { key: key.clone(), prompt, embedding })
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn graph(&self, index: &str, query: Option<&[u8]>) -> Option<Graph> {
        use playground_engine::search;
        self.0.read(|s| {
            let layers = search::inspect(&s.engine, index)?;
            let keys = search::doc_keys(&s.engine, index);
            let (results, trace) = query
                .and_then(|blob| search::trace_knn(&s.engine, index, "embedding", blob, 3))
                .unwrap_or_default();
            Some(Graph { layers, keys, results, trace })
        })?
    }
}
