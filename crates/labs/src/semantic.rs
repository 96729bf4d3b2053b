//! The semantic cache of the course, step by step: an HNSW index over prompt embeddings
//! (`FT.CREATE ... VECTOR HNSW ... COSINE`), a lookup that asks for the nearest cached prompts
//! (`FT.SEARCH ... KNN`), a HIT when similarity = 1 - cosine distance reaches the threshold, and
//! on a MISS the answer stored with `HSET` + `EXPIRE` under the index's prefix.

use crate::flow::{command, Command, Flow, Step};
use bytes::Bytes;
use md5::{Digest, Md5};
use playground_engine::Frame;

/// Settings of the semantic cache.
#[derive(Debug, Clone, PartialEq)]
pub struct SemanticCache {
    pub index: String,
    pub prefix: String,
    pub dims: usize,
    /// Minimum similarity (1 - cosine distance) for a HIT.
    pub threshold: f32,
    pub ttl_seconds: u64,
    /// How many neighbours to fetch (the nearest decides; the others are shown).
    pub k: usize,
}

impl SemanticCache {
    pub fn new(dims: usize, threshold: f32) -> SemanticCache {
        SemanticCache {
            index: "idx:cache".into(),
            prefix: "cache:".into(),
            dims,
            threshold,
            ttl_seconds: 3600,
            k: 3,
        }
    }

    /// `FT.CREATE` for the cache's index (HNSW, FLOAT32, COSINE, as the course sets it up).
    pub fn create_index(&self) -> Command {
        command([
            "FT.CREATE",
            self.index.as_str(),
            "ON",
            "HASH",
            "PREFIX",
            "1",
            self.prefix.as_str(),
            "SCHEMA",
            "prompt",
            "TEXT",
            "response",
            "TEXT",
            "embedding",
            "VECTOR",
            "HNSW",
            "6",
            "TYPE",
            "FLOAT32",
            "DIM",
            self.dims.to_string().as_str(),
            "DISTANCE_METRIC",
            "COSINE",
        ])
    }

    /// The key a prompt is cached under: the prefix and the MD5 of the prompt, as the course does.
    pub fn key_for(&self, prompt: &str) -> String {
        let digest = Md5::digest(prompt.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}{hex}", self.prefix)
    }

    /// The KNN search for an embedding.
    pub fn search_command(&self, embedding: &[f32]) -> Command {
        let query = format!("*=>[KNN {} @embedding $blob AS score]", self.k.max(1));
        let blob: Vec<u8> = embedding.iter().flat_map(|x| x.to_le_bytes()).collect();
        command([
            "FT.SEARCH".as_bytes(),
            self.index.as_bytes(),
            query.as_bytes(),
            b"PARAMS",
            b"2",
            b"blob",
            &blob,
            b"RETURN",
            b"3",
            b"prompt",
            b"response",
            b"score",
            b"DIALECT",
            b"2",
        ])
    }

    /// `HSET` + `EXPIRE` storing an answer.
    pub fn store_commands(&self, prompt: &str, response: &str, embedding: &[f32]) -> Vec<Command> {
        let key = self.key_for(prompt);
        let blob: Vec<u8> = embedding.iter().flat_map(|x| x.to_le_bytes()).collect();
        vec![
            command([
                "HSET".as_bytes(),
                key.as_bytes(),
                b"prompt",
                prompt.as_bytes(),
                b"response",
                response.as_bytes(),
                b"embedding",
                &blob,
            ]),
            command(["EXPIRE", key.as_str(), self.ttl_seconds.to_string().as_str()]),
        ]
    }

    /// A lookup flow for a prompt's embedding.
    pub fn lookup(&self, embedding: &[f32]) -> LookupFlow {
        LookupFlow { command: Some(self.search_command(embedding)), threshold: self.threshold }
    }
}

/// A cached prompt found near the query.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    pub key: String,
    pub prompt: String,
    pub response: String,
    /// RediSearch's COSINE distance: 1 - cosine similarity.
    pub distance: f32,
    /// 1 - distance.
    pub similarity: f32,
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub total: i64,
    /// Nearest first.
    pub neighbours: Vec<Neighbour>,
    /// The nearest neighbour if it reaches the threshold.
    pub hit: Option<Neighbour>,
    /// The reply could not be read (e.g. the server has no search module).
    pub error: Option<String>,
}

/// One FT.SEARCH round trip.
pub struct LookupFlow {
    command: Option<Command>,
    threshold: f32,
}

impl Flow for LookupFlow {
    type Output = Lookup;

    fn start(&mut self) -> Step<Lookup> {
        match self.command.take() {
            Some(cmd) => Step::Send(vec![cmd]),
            None => Step::Done(Lookup { total: 0, neighbours: Vec::new(), hit: None, error: None }),
        }
    }

    fn resume(&mut self, replies: Vec<Frame>) -> Step<Lookup> {
        let reply = replies.into_iter().next().unwrap_or(Frame::Null);
        Step::Done(match parse_search_reply(&reply) {
            Ok((total, docs)) => {
                let mut neighbours: Vec<Neighbour> = docs.into_iter().filter_map(neighbour).collect();
                neighbours.sort_by(|a, b| a.distance.total_cmp(&b.distance));
                let hit = neighbours.first().filter(|n| n.similarity >= self.threshold).cloned();
                Lookup { total, neighbours, hit, error: None }
            }
            Err(e) => Lookup { total: 0, neighbours: Vec::new(), hit: None, error: Some(e) },
        })
    }
}

fn neighbour((key, fields): (String, Vec<(String, Bytes)>)) -> Option<Neighbour> {
    let get = |name: &str| fields.iter().find(|(f, _)| f == name).map(|(_, v)| v.clone());
    let distance: f32 = std::str::from_utf8(&get("score")?).ok()?.parse().ok()?;
    Some(Neighbour {
        key,
        prompt: String::from_utf8_lossy(&get("prompt").unwrap_or_default()).into_owned(),
        response: String::from_utf8_lossy(&get("response").unwrap_or_default()).into_owned(),
        distance,
        similarity: 1.0 - distance,
    })
}

type Document = (String, Vec<(String, Bytes)>);

/// Read an FT.SEARCH reply in either protocol: RESP2 `[total, key, [f, v, ...], ...]` or the
/// RESP3 map `{total_results, results: [{id, extra_attributes: {f: v}}]}`.
pub fn parse_search_reply(reply: &Frame) -> Result<(i64, Vec<Document>), String> {
    let text = |f: &Frame| f.as_bytes().map(|b| String::from_utf8_lossy(b).into_owned());
    match reply {
        Frame::Error(e) => Err(e.clone()),
        Frame::Array(items) => {
            let total = items.first().and_then(Frame::as_integer).ok_or("FT.SEARCH reply has no total")?;
            let mut docs = Vec::new();
            let mut rest = items[1..].iter();
            while let Some(key) = rest.next() {
                let key = text(key).ok_or("document id is not a string")?;
                let fields = match rest.next() {
                    Some(Frame::Array(pairs)) => pairs
                        .chunks(2)
                        .filter_map(|p| {
                            Some((text(p.first()?)?, Bytes::copy_from_slice(p.get(1)?.as_bytes()?)))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                docs.push((key, fields));
            }
            Ok((total, docs))
        }
        Frame::Map(pairs) => {
            let field = |name: &str| {
                pairs.iter().find(|(k, _)| k.as_bytes() == Some(name.as_bytes())).map(|(_, v)| v)
            };
            let total = field("total_results").and_then(Frame::as_integer).unwrap_or(0);
            let mut docs = Vec::new();
            if let Some(Frame::Array(results)) = field("results") {
                for result in results {
                    let Frame::Map(entry) = result else { continue };
                    let get = |name: &str| {
                        entry.iter().find(|(k, _)| k.as_bytes() == Some(name.as_bytes())).map(|(_, v)| v)
                    };
                    let Some(id) = get("id").and_then(text) else { continue };
                    let fields = match get("extra_attributes") {
                        Some(Frame::Map(attrs)) => attrs
                            .iter()
                            .filter_map(|(k, v)| Some((text(k)?, Bytes::copy_from_slice(v.as_bytes()?))))
                            .collect(),
                        _ => Vec::new(),
                    };
                    docs.push((id, fields));
                }
            }
            Ok((total, docs))
        }
        other => Err(format!("unexpected FT.SEARCH reply: {other:?}")),
    }
}
