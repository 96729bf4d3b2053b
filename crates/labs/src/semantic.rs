//! The semantic cache of the course, step by step: an HNSW index over prompt embeddings
//! (`FT.CREATE ... VECTOR HNSW ... COSINE`), a lookup that asks for the nearest cached prompts
//! (`FT.SEARCH ... KNN`), a HIT when similarity = 1 - cosine distance reaches the threshold, and
//! on a MISS the answer stored with `HSET` + `EXPIRE` under the index's prefix. The entries can
//! be JSON documents instead ([`Storage::Json`], as RedisVL's `storage_type="json"`): the index
//! is `ON JSON` with `$.field AS field` paths, the embedding an array of numbers written with
//! `JSON.SET`, and the lookup is the same FT.SEARCH.

use crate::flow::{command, Command, Flow, Step};
use bytes::Bytes;
use md5::{Digest, Md5};
use playground_engine::Frame;

/// How cache entries are stored: hashes with the embedding as a FLOAT32 blob (the course's
/// way), or JSON documents with the embedding as an array of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Storage {
    #[default]
    Hash,
    Json,
}

/// Settings of the semantic cache.
#[derive(Debug, Clone, PartialEq)]
pub struct SemanticCache {
    pub index: String,
    pub prefix: String,
    pub storage: Storage,
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
            storage: Storage::Hash,
            dims,
            threshold,
            ttl_seconds: 3600,
            k: 3,
        }
    }

    /// `FT.CREATE` for the cache's index (HNSW, FLOAT32, COSINE, as the course sets it up). On
    /// JSON each field is a JSONPath named with `AS`, so queries and RETURN read the same.
    pub fn create_index(&self) -> Command {
        let dims = self.dims.to_string();
        let (on, prompt, response, embedding): (&str, &[&str], &[&str], &[&str]) = match self.storage {
            Storage::Hash => ("HASH", &["prompt"], &["response"], &["embedding"]),
            Storage::Json => (
                "JSON",
                &["$.prompt", "AS", "prompt"],
                &["$.response", "AS", "response"],
                &["$.embedding", "AS", "embedding"],
            ),
        };
        let mut args = vec!["FT.CREATE", self.index.as_str(), "ON", on, "PREFIX", "1", self.prefix.as_str()];
        args.push("SCHEMA");
        args.extend(prompt);
        args.push("TEXT");
        args.extend(response);
        args.push("TEXT");
        args.extend(embedding);
        args.extend([
            "VECTOR",
            "HNSW",
            "6",
            "TYPE",
            "FLOAT32",
            "DIM",
            dims.as_str(),
            "DISTANCE_METRIC",
            "COSINE",
        ]);
        command(args)
    }

    /// The key a prompt is cached under: the prefix and the MD5 of the prompt, as the course does.
    pub fn key_for(&self, prompt: &str) -> String {
        let digest = Md5::digest(prompt.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}{hex}", self.prefix)
    }

    /// The KNN search for an embedding, nearest first: without `SORTBY score` RediSearch lists
    /// the k nearest in document order, not by distance.
    pub fn search_command(&self, embedding: &[f32]) -> Command {
        let query = format!("*=>[KNN {} @embedding $blob AS score]", self.k.max(1));
        let blob = f32_blob(embedding);
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
            b"SORTBY",
            b"score",
            b"DIALECT",
            b"2",
        ])
    }

    /// `HSET` (or `JSON.SET`) + `EXPIRE` storing an answer.
    pub fn store_commands(&self, prompt: &str, response: &str, embedding: &[f32]) -> Vec<Command> {
        let key = self.key_for(prompt);
        let write = match self.storage {
            Storage::Hash => {
                let blob = f32_blob(embedding);
                command([
                    "HSET".as_bytes(),
                    key.as_bytes(),
                    b"prompt",
                    prompt.as_bytes(),
                    b"response",
                    response.as_bytes(),
                    b"embedding",
                    &blob,
                ])
            }
            Storage::Json => {
                let doc = json_entry(prompt, response, embedding);
                command(["JSON.SET", key.as_str(), "$", doc.as_str()])
            }
        };
        vec![write, command(["EXPIRE", key.as_str(), self.ttl_seconds.to_string().as_str()])]
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

/// What one question to the semantic cache did.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub lookup: Lookup,
    /// The answer given: the cached response on a HIT, the (simulated) LLM's on a MISS.
    pub answer: String,
    pub from_cache: bool,
    /// The index exists now (created by this flow or found already there).
    pub index_ready: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AskStage {
    Create,
    Search,
    Store,
}

/// A whole question, as the course's `semantic_cache_get` + `semantic_cache_set` do it: create
/// the index if needed (an "already exists" error means it is there), search, and on a MISS
/// store the LLM's answer with HSET + EXPIRE.
pub struct AskFlow {
    cache: SemanticCache,
    prompt: String,
    embedding: Vec<f32>,
    /// What the LLM would answer on a MISS (simulated by the caller).
    llm_answer: String,
    create_index: bool,
    stage: AskStage,
    index_ready: bool,
    lookup: Option<LookupFlow>,
    found: Option<Lookup>,
}

impl SemanticCache {
    /// The flow for one question; `create_index` when the index may not exist yet.
    pub fn ask(&self, prompt: &str, embedding: &[f32], llm_answer: &str, create_index: bool) -> AskFlow {
        AskFlow {
            cache: self.clone(),
            prompt: prompt.to_string(),
            embedding: embedding.to_vec(),
            llm_answer: llm_answer.to_string(),
            create_index,
            stage: AskStage::Create,
            index_ready: !create_index,
            lookup: Some(self.lookup(embedding)),
            found: None,
        }
    }
}

impl AskFlow {
    fn search(&mut self) -> Step<Asked> {
        self.stage = AskStage::Search;
        match self.lookup.as_mut().map(Flow::start) {
            Some(Step::Send(cmds)) => Step::Send(cmds),
            Some(Step::Done(lookup)) => self.decide(lookup),
            None => self.decide(Lookup { total: 0, neighbours: Vec::new(), hit: None, error: None }),
        }
    }

    fn decide(&mut self, lookup: Lookup) -> Step<Asked> {
        if let Some(hit) = &lookup.hit {
            let answer = hit.response.clone();
            return Step::Done(Asked { lookup, answer, from_cache: true, index_ready: self.index_ready });
        }
        if lookup.error.is_some() {
            // No search (no module, wrong dimension): nothing to store the answer against.
            let answer = self.llm_answer.clone();
            return Step::Done(Asked { lookup, answer, from_cache: false, index_ready: self.index_ready });
        }
        self.stage = AskStage::Store;
        self.found = Some(lookup);
        Step::Send(self.cache.store_commands(&self.prompt, &self.llm_answer, &self.embedding))
    }
}

impl Flow for AskFlow {
    type Output = Asked;

    fn start(&mut self) -> Step<Asked> {
        if self.create_index {
            self.stage = AskStage::Create;
            Step::Send(vec![self.cache.create_index()])
        } else {
            self.search()
        }
    }

    fn resume(&mut self, replies: Vec<Frame>) -> Step<Asked> {
        match self.stage {
            AskStage::Create => {
                self.index_ready = match replies.first() {
                    Some(Frame::Error(e)) => e.contains("already exists"),
                    Some(_) => true,
                    None => false,
                };
                self.search()
            }
            AskStage::Search => {
                let step = self.lookup.as_mut().map(|l| l.resume(replies));
                match step {
                    Some(Step::Done(lookup)) => self.decide(lookup),
                    Some(Step::Send(cmds)) => Step::Send(cmds),
                    None => self.decide(Lookup { total: 0, neighbours: Vec::new(), hit: None, error: None }),
                }
            }
            AskStage::Store => {
                let lookup = self.found.take().unwrap_or(Lookup {
                    total: 0,
                    neighbours: Vec::new(),
                    hit: None,
                    error: None,
                });
                let error = replies.iter().find_map(|r| match r {
                    Frame::Error(e) => Some(e.clone()),
                    _ => None,
                });
                let lookup = Lookup { error: lookup.error.or(error), ..lookup };
                Step::Done(Asked {
                    lookup,
                    answer: self.llm_answer.clone(),
                    from_cache: false,
                    index_ready: self.index_ready,
                })
            }
        }
    }
}

/// A cached prompt as the lab's map draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedPrompt {
    pub key: Bytes,
    pub prompt: String,
    pub embedding: Vec<f32>,
}

/// List the cached prompts of a server over commands (SCAN the prefix, then HMGET or JSON.GET
/// each key's prompt and embedding), for a real server whose keyspace the page cannot read directly.
/// Stops after `limit` keys so a big shared instance cannot stall the page.
pub struct CachedPromptsFlow {
    pattern: String,
    storage: Storage,
    cursor: Bytes,
    keys: Vec<Bytes>,
    limit: usize,
    fetching: bool,
}

impl SemanticCache {
    pub fn cached_prompts(&self, limit: usize) -> CachedPromptsFlow {
        CachedPromptsFlow {
            pattern: format!("{}*", self.prefix),
            storage: self.storage,
            cursor: Bytes::from_static(b"0"),
            keys: Vec::new(),
            limit,
            fetching: false,
        }
    }
}

impl CachedPromptsFlow {
    fn scan(&self) -> Step<Vec<CachedPrompt>> {
        let mut cmd = command(["SCAN".as_bytes()]);
        cmd.push(self.cursor.clone());
        let kind = match self.storage {
            Storage::Hash => "hash",
            Storage::Json => "ReJSON-RL",
        };
        cmd.extend(command(["MATCH", self.pattern.as_str(), "COUNT", "500", "TYPE", kind]));
        Step::Send(vec![cmd])
    }

    fn fetch(&mut self) -> Step<Vec<CachedPrompt>> {
        if self.keys.is_empty() {
            return Step::Done(Vec::new());
        }
        self.fetching = true;
        Step::Send(
            self.keys
                .iter()
                .map(|k| {
                    let (read, fields) = match self.storage {
                        Storage::Hash => ("HMGET", ["prompt", "embedding"]),
                        Storage::Json => ("JSON.GET", ["$.prompt", "$.embedding"]),
                    };
                    let mut cmd = command([read]);
                    cmd.push(k.clone());
                    cmd.extend(command(fields));
                    cmd
                })
                .collect(),
        )
    }
}

impl Flow for CachedPromptsFlow {
    type Output = Vec<CachedPrompt>;

    fn start(&mut self) -> Step<Vec<CachedPrompt>> {
        self.scan()
    }

    fn resume(&mut self, replies: Vec<Frame>) -> Step<Vec<CachedPrompt>> {
        if self.fetching {
            let prompts = self
                .keys
                .iter()
                .zip(replies)
                .filter_map(|(key, reply)| {
                    let (prompt, embedding) = match self.storage {
                        Storage::Hash => {
                            let Frame::Array(values) = reply else { return None };
                            let prompt = String::from_utf8_lossy(values.first()?.as_bytes()?).into_owned();
                            (prompt, f32_vector(values.get(1)?.as_bytes()?)?)
                        }
                        Storage::Json => json_prompt(reply.as_bytes()?)?,
                    };
                    Some(CachedPrompt { key: key.clone(), prompt, embedding })
                })
                .collect();
            return Step::Done(prompts);
        }
        let Some((cursor, keys)) = replies.first().and_then(scan_reply) else { return self.fetch() };
        self.keys.extend(keys);
        self.cursor = cursor;
        if self.cursor.as_ref() == b"0" || self.keys.len() >= self.limit {
            self.keys.truncate(self.limit);
            self.fetch()
        } else {
            self.scan()
        }
    }
}

/// A SCAN reply's next cursor and keys.
pub fn scan_reply(reply: &Frame) -> Option<(Bytes, Vec<Bytes>)> {
    let Frame::Array(parts) = reply else { return None };
    let cursor = Bytes::copy_from_slice(parts.first()?.as_bytes()?);
    let Frame::Array(keys) = parts.get(1)? else { return None };
    Some((cursor, keys.iter().filter_map(|k| k.as_bytes()).map(Bytes::copy_from_slice).collect()))
}

/// Numbers as a little-endian FLOAT32 blob, the bytes RediSearch's vector fields and `$blob`
/// parameters take (the inverse of [`f32_vector`]).
pub fn f32_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A little-endian FLOAT32 blob as numbers (`None` when its length is not a multiple of 4).
pub fn f32_vector(blob: &[u8]) -> Option<Vec<f32>> {
    (blob.len() % 4 == 0)
        .then(|| blob.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
}

/// A JSON cache entry: `{"prompt": ..., "response": ..., "embedding": [...]}`, each number the
/// shortest text that reads back as the same FLOAT32 (what the index stores).
pub fn json_entry(prompt: &str, response: &str, embedding: &[f32]) -> String {
    use playground_engine::types::json::write_str;
    let mut doc = String::from("{\"prompt\":");
    write_str(&mut doc, prompt);
    doc.push_str(",\"response\":");
    write_str(&mut doc, response);
    doc.push_str(",\"embedding\":[");
    for (i, x) in embedding.iter().enumerate() {
        if i > 0 {
            doc.push(',');
        }
        let x = if x.is_finite() { *x } else { 0.0 };
        doc.push_str(&x.to_string());
    }
    doc.push_str("]}");
    doc
}

/// The prompt and embedding of `JSON.GET key $.prompt $.embedding`'s reply
/// (`{"$.prompt":["..."],"$.embedding":[[...]]}`).
pub fn json_prompt(reply: &[u8]) -> Option<(String, Vec<f32>)> {
    use playground_engine::types::json::{parse, Json};
    let doc = parse(reply).ok()?;
    let first = |path: &str| match doc.get(path) {
        Some(Json::Arr(found)) => found.first().cloned(),
        _ => None,
    };
    let Some(Json::Str(prompt)) = first("$.prompt") else { return None };
    Some((prompt, numbers(&first("$.embedding")?)?))
}

/// The prompt and embedding of a cache entry's document itself (the page reads its engine's
/// keys without commands).
pub fn json_prompt_of(doc: &playground_engine::types::json::Json) -> Option<(String, Vec<f32>)> {
    use playground_engine::types::json::Json;
    let Some(Json::Str(prompt)) = doc.get("prompt") else { return None };
    Some((prompt.clone(), numbers(doc.get("embedding")?)?))
}

/// A JSON array of numbers as FLOAT32s.
fn numbers(array: &playground_engine::types::json::Json) -> Option<Vec<f32>> {
    use playground_engine::types::json::Json;
    let Json::Arr(items) = array else { return None };
    items
        .iter()
        .map(|n| match n {
            Json::Int(i) => Some(*i as f32),
            Json::Big(u) => Some(*u as f32),
            Json::Float(f) => Some(*f as f32),
            _ => None,
        })
        .collect()
}
