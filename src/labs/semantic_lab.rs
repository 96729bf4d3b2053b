//! The semantic cache lab: ask a question, see its embedding, the nearest cached prompts with
//! their COSINE distance and similarity, and the HIT/MISS decision at a threshold you move.
//! On a MISS a simulated LLM answers and the pair is stored with HSET + EXPIRE under the
//! index's prefix, exactly as the course's `semantic_cache_set` does.

use super::command_log::CommandLog;
use super::embedders::{lexical, load_minilm, EmbedderKind};
use super::hnsw_view::{HnswPicture, HnswView};
use super::keep::{keep, Shelf};
use super::link::Link;
use super::proxy_embedder;
use super::semantic_views::{EmbeddingStrip, NeighbourTable, PromptMap, ThresholdCurve};
use super::target::LabTarget;
use playground_embed::Embedder;
use playground_engine::Frame;
use playground_labs::flow::{drive, Command, Exchange, Pipeline};
use playground_labs::pca::Projection;
use playground_labs::semantic::{CachedPrompt, Lookup, SemanticCache, Storage};
use playground_labs::starter::{STARTER, UNRELATED};
use playground_labs::threshold::{curve, Judgement};
use std::cell::Cell;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Simulated LLM: latency and cost of one answer.
const LLM_MS: f64 = 1_200.0;
const LLM_COST: f64 = 0.002;

/// How many cached prompts the map reads back from a real server.
const MAP_LIMIT: usize = 500;

#[derive(Clone)]
enum Model {
    Loading,
    /// An embedder in the page.
    Ready(Rc<dyn Embedder>),
    /// A real model through the proxy's `/embeddings` at this URL.
    Proxy(String),
    Failed(String),
}

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Model::Ready(a), Model::Ready(b)) => Rc::ptr_eq(a, b),
            (Model::Loading, Model::Loading) => true,
            (Model::Proxy(a), Model::Proxy(b)) | (Model::Failed(a), Model::Failed(b)) => a == b,
            _ => false,
        }
    }
}

impl Model {
    fn usable(&self) -> bool {
        matches!(self, Model::Ready(_) | Model::Proxy(_))
    }

    /// Embed texts, in order: at once in the page, or when the proxy answers.
    fn embed(&self, texts: Vec<String>, done: impl FnOnce(Result<Vec<Vec<f32>>, String>) + 'static) {
        match self {
            Model::Ready(m) => done(Ok(texts.iter().map(|t| m.embed(t)).collect())),
            Model::Proxy(url) => {
                let url = url.clone();
                wasm_bindgen_futures::spawn_local(
                    async move { done(proxy_embedder::embed(&url, &texts).await) },
                );
            }
            Model::Loading => done(Err("the embedding model is still loading".into())),
            Model::Failed(e) => done(Err(e.clone())),
        }
    }
}

/// The lab's connection and what it learned about it.
struct Connection {
    target: LabTarget,
    /// Indexes known to exist on this connection's server (FT.CREATE is sent until then).
    ready: RefCell<HashSet<String>>,
}

/// What the lab keeps while its tab is closed.
struct Kept {
    connection: Rc<Connection>,
    kind: Cell<EmbedderKind>,
    storage: Cell<Storage>,
    threshold: Cell<f32>,
    prompt: RefCell<String>,
    asked: RefCell<Option<Asked>>,
    log: RefCell<Vec<Exchange>>,
    judged: Rc<RefCell<Vec<Judged>>>,
    llm: Rc<RefCell<(u32, f64)>>,
}

thread_local! {
    static SHELF: Shelf<Kept> = const { RefCell::new(None) };
    /// The MiniLM table once loaded (3.9 MB): reopening the lab does not fetch and parse it again.
    static MINILM: RefCell<Option<Rc<dyn Embedder>>> = const { RefCell::new(None) };
}

/// The cache's settings for an embedder kind, a storage and an embedding size. JSON entries
/// get an index and a prefix of their own (`idx:cache-json`, `cache-json:`), so both kinds of
/// cache can sit side by side and be compared.
fn cache_for(kind: EmbedderKind, storage: Storage, dims: usize, threshold: f32) -> SemanticCache {
    let (index, prefix) = kind.index_and_prefix();
    let mut c = SemanticCache::new(dims, threshold);
    c.storage = storage;
    (c.index, c.prefix) = match storage {
        Storage::Hash => (index.into(), prefix.into()),
        Storage::Json => (format!("{index}-json"), format!("{}-json:", prefix.trim_end_matches(':'))),
    };
    c
}

/// A command as one line, the way the console would take it.
fn create_line(cache: &SemanticCache) -> String {
    cache.create_index().iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect::<Vec<_>>().join(" ")
}

/// What changes when the entries are JSON documents, in one sentence each way.
fn storage_note(storage: Storage) -> &'static str {
    match storage {
        Storage::Hash => "Each entry is a hash (HSET prompt, response, and the embedding as a FLOAT32 blob of 4 bytes per number); FT.CREATE … ON HASH names the fields as they are.",
        Storage::Json => "Each entry is a JSON document (JSON.SET key $ {\"prompt\": …, \"embedding\": [0.12, …]}), the embedding a plain array of numbers; FT.CREATE … ON JSON names each field by its JSONPath with AS ($.embedding AS embedding), and the KNN query is unchanged.",
    }
}

/// The log without "Index already exists" (the lab creates its index when unsure it is there).
fn without_known_index(log: Vec<Exchange>) -> Vec<Exchange> {
    log.into_iter()
        .filter(|(_, reply)| !matches!(reply, Frame::Error(e) if e.contains("already exists")))
        .collect()
}

/// What one question did.
#[derive(Clone, PartialEq)]
struct Asked {
    prompt: String,
    embedding: Vec<f32>,
    lookup: Lookup,
    answer: String,
    from_cache: bool,
    commands: Vec<(Command, Frame)>,
}

/// One question for the threshold curve: its nearest cached prompt's similarity and, once
/// someone has said, whether that prompt's answer is right for it.
#[derive(Clone, PartialEq)]
struct Judged {
    prompt: String,
    similarity: f32,
    correct: Option<bool>,
}

/// The answer a starter question (or one of its paraphrases) should get, if it is one.
fn expected_answer(prompt: &str) -> Option<&'static str> {
    let p = prompt.trim();
    STARTER
        .iter()
        .find(|pair| {
            pair.question.eq_ignore_ascii_case(p)
                || pair.paraphrases.iter().any(|q| q.eq_ignore_ascii_case(p))
        })
        .map(|pair| pair.answer)
}

/// Judge a lookup where the lab knows the answer: starter paraphrases must get their pair's
/// answer, unrelated questions must not be answered from the cache. Anything else stays
/// unjudged until the learner says (`None` only when the cache was empty: no nearest prompt).
fn auto_judge(prompt: &str, lookup: &Lookup) -> Option<Judged> {
    let nearest = lookup.neighbours.first()?;
    let correct = match expected_answer(prompt) {
        Some(answer) => Some(nearest.response == answer),
        None if UNRELATED.iter().any(|q| q.eq_ignore_ascii_case(prompt.trim())) => Some(false),
        None => None,
    };
    Some(Judged { prompt: prompt.to_string(), similarity: nearest.similarity, correct })
}

/// The index's graph and, if a prompt was asked, the traced search for it, placed on the map.
fn hnsw_picture(
    engine: &Link,
    index: &str,
    query: Option<&[f32]>,
    points: &[CachedPrompt],
    map_points: &[(String, f32, f32)],
) -> HnswPicture {
    let blob = query.map(playground_labs::semantic::f32_blob);
    let Some(graph) = engine.graph(index, blob.as_deref()) else { return HnswPicture::default() };
    let (min_x, max_x, min_y, max_y) =
        map_points.iter().fold((f32::MAX, f32::MIN, f32::MAX, f32::MIN), |(a, b, c, d), p| {
            (a.min(p.1), b.max(p.1), c.min(p.2), d.max(p.2))
        });
    let (span_x, span_y) = ((max_x - min_x).max(1e-6), (max_y - min_y).max(1e-6));
    let nodes = graph
        .keys
        .iter()
        .filter_map(|(id, key)| {
            let i = points.iter().position(|p| p.key == *key)?;
            let (_, px, py) = map_points.get(i)?;
            Some((*id, ((px - min_x) / span_x, (py - min_y) / span_y, points[i].prompt.clone())))
        })
        .collect();
    let results = graph
        .results
        .iter()
        .filter_map(|(key, _)| graph.keys.iter().find(|(_, k)| *k == key).map(|(id, _)| *id))
        .collect();
    HnswPicture {
        layers: graph.layers.layers,
        entry_point: graph.layers.entry_point,
        nodes,
        trace: graph.trace,
        results,
    }
}

/// A search error in plain words (the raw reply is in the command log).
fn plain_error(e: &str) -> String {
    if e.contains("unknown command 'FT.") {
        "This server has no search module, so FT.SEARCH does not exist here. Redis Stack and Azure Managed \
         Redis (with RediSearch) have it; plain Redis does not."
            .into()
    } else {
        format!("The search failed: {e}")
    }
}

/// The words for a server without the search module.
const NO_SEARCH: &str = "This server has no search module: FT.CREATE and FT.SEARCH do not exist here, so \
     the lab cannot build its index or search it. Redis Stack, Redis 8 and Azure Managed Redis with \
     RediSearch have it; plain Redis does not. Switch to the in-browser engine to run the lab.";

/// Ask a real server whether it has the search module (`FT._LIST`); `done(true)` when it
/// answers `unknown command` (a refusal by the proxy's policy is not taken for a missing module).
fn probe_search(target: &LabTarget, done: impl FnOnce(bool) + 'static) {
    let probe = Pipeline::new(vec![playground_labs::flow::command(["FT._LIST"])]);
    drive(probe, target.sender(), move |replies, _| {
        done(replies.first().is_some_and(|r| matches!(r, Frame::Error(e) if e.contains("unknown command"))))
    });
}

/// Where the lab sends its commands.
#[derive(Properties, PartialEq)]
pub struct SemanticLabProps {
    /// The proxy's WebSocket when the learner chose a real server; `None`: the page's engine.
    pub remote_url: Option<String>,
}

#[component]
pub fn SemanticLab(props: &SemanticLabProps) -> Html {
    let Some(engine) = use_context::<Link>() else {
        return html! { <p class="error-text">{"The lab needs the playground's engine."}</p> };
    };
    let kept = {
        let engine = engine.clone();
        use_memo(props.remote_url.clone(), move |url| {
            keep(&SHELF, url, || Kept {
                connection: Rc::new(Connection {
                    target: LabTarget::connect(&engine, url.as_deref()),
                    ready: RefCell::new(HashSet::new()),
                }),
                kind: Cell::new(EmbedderKind::MiniLm),
                storage: Cell::new(Storage::Hash),
                threshold: Cell::new(EmbedderKind::MiniLm.suggested_threshold().0),
                prompt: RefCell::new(STARTER[0].paraphrases[0].to_string()),
                asked: RefCell::new(None),
                log: RefCell::new(Vec::new()),
                judged: Rc::default(),
                llm: Rc::default(),
            })
        })
    };
    let connection = kept.connection.clone();
    let remote = connection.target.is_remote();
    let kind = use_state(|| kept.kind.get());
    let storage = use_state(|| kept.storage.get());
    let model = use_state(|| Model::Loading);
    let threshold = use_state(|| kept.threshold.get());
    let prompt = use_state(|| kept.prompt.borrow().clone());
    let asked = use_state(|| kept.asked.borrow().clone());
    let judged: Rc<RefCell<Vec<Judged>>> = kept.judged.clone();
    let log = use_state(|| kept.log.borrow().clone());
    let llm: Rc<RefCell<(u32, f64)>> = kept.llm.clone();
    // What the learner set and saw stays for when the tab opens again.
    {
        let kept = (*kept).clone();
        use_effect_with(
            (*kind, *storage, *threshold, (*prompt).clone(), (*asked).clone(), (*log).clone()),
            move |(kind, storage, threshold, prompt, asked, log)| {
                kept.kind.set(*kind);
                kept.storage.set(*storage);
                kept.threshold.set(*threshold);
                *kept.prompt.borrow_mut() = prompt.clone();
                *kept.asked.borrow_mut() = asked.clone();
                *kept.log.borrow_mut() = log.clone();
            },
        );
    }
    let busy = use_state(|| false);
    let problem = use_state(|| None::<String>);
    // A real server without the search module, found out when the lab opens on it.
    let no_search = use_state(|| false);
    {
        let (connection, no_search) = (connection.clone(), no_search.clone());
        use_effect_with(props.remote_url.clone(), move |_| {
            no_search.set(false);
            if connection.target.is_remote() {
                probe_search(&connection.target, move |missing| no_search.set(missing));
            }
        });
    }
    // A real server's cached prompts, read back over SCAN + HMGET after each change.
    let remote_points = use_state(Vec::<CachedPrompt>::new);
    let refresh = use_force_update();

    // Load the chosen embedder (MiniLM lazily over the network, lexical at once, a real model
    // through the proxy when there is one). A load that finishes after the learner picked
    // another embedder is dropped, or it would replace the newer choice.
    let choice_id: Rc<std::cell::Cell<u64>> = use_memo((), |_| std::cell::Cell::new(0));
    {
        let model = model.clone();
        use_effect_with((*kind, props.remote_url.clone()), move |(kind, url)| {
            let id = choice_id.get() + 1;
            choice_id.set(id);
            match kind {
                EmbedderKind::Lexical => model.set(Model::Ready(lexical())),
                EmbedderKind::Proxy => {
                    model.set(match url.as_deref().and_then(proxy_embedder::embeddings_url) {
                        Some(endpoint) => Model::Proxy(endpoint),
                        None => Model::Failed(
                            "a real embeddings model needs the proxy: choose \"real Redis via proxy\" above"
                                .into(),
                        ),
                    })
                }
                EmbedderKind::MiniLm => {
                    if let Some(m) = MINILM.with(|m| m.borrow().clone()) {
                        model.set(Model::Ready(m));
                        return;
                    }
                    model.set(Model::Loading);
                    wasm_bindgen_futures::spawn_local(async move {
                        let loaded = match load_minilm().await {
                            Ok(m) => {
                                MINILM.with(|slot| *slot.borrow_mut() = Some(m.clone()));
                                Model::Ready(m)
                            }
                            Err(e) => Model::Failed(e),
                        };
                        if choice_id.get() == id {
                            model.set(loaded);
                        }
                    });
                }
            }
        });
    }

    let cache = cache_for(*kind, *storage, 0, *threshold);
    let fetch_points = {
        let (connection, remote_points, cache) = (connection.clone(), remote_points.clone(), cache.clone());
        Rc::new(move || {
            if connection.target.is_remote() {
                let remote_points = remote_points.clone();
                drive(cache.cached_prompts(MAP_LIMIT), connection.target.sender(), move |points, _| {
                    remote_points.set(points)
                });
            }
        })
    };
    {
        let fetch_points = fetch_points.clone();
        use_effect_with((props.remote_url.clone(), *kind), move |_| fetch_points());
    }

    let ask = {
        let (connection, model, kind, storage, threshold) =
            (connection.clone(), (*model).clone(), *kind, *storage, *threshold);
        let (prompt, asked, judged, log, llm, busy, problem, refresh, fetch_points) = (
            prompt.clone(),
            asked.clone(),
            judged.clone(),
            log.clone(),
            llm.clone(),
            busy.clone(),
            problem.clone(),
            refresh.clone(),
            fetch_points.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let text = prompt.trim().to_string();
            if text.is_empty() || !model.usable() || *busy {
                return;
            }
            busy.set(true);
            problem.set(None);
            let (connection, asked, judged, log, llm, busy, problem, refresh, fetch_points) = (
                connection.clone(),
                asked.clone(),
                judged.clone(),
                log.clone(),
                llm.clone(),
                busy.clone(),
                problem.clone(),
                refresh.clone(),
                fetch_points.clone(),
            );
            model.embed(vec![text.clone()], move |embedded| {
                let embedding = match embedded.map(|mut v| v.pop()) {
                    Ok(Some(e)) => e,
                    Ok(None) => Vec::new(),
                    Err(e) => {
                        problem.set(Some(format!("Embeddings unavailable: {e}")));
                        busy.set(false);
                        return;
                    }
                };
                let cache = cache_for(kind, storage, embedding.len(), threshold);
                let create = !connection.ready.borrow().contains(&cache.index);
                let llm_answer = expected_answer(&text)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("(simulated LLM) A fresh answer to: {text}"));
                let flow = cache.ask(&text, &embedding, &llm_answer, create);
                let sender = connection.target.sender();
                drive(flow, sender, move |result, exchanged| {
                    if result.index_ready {
                        connection.ready.borrow_mut().insert(cache.index.clone());
                    }
                    if !result.from_cache && result.lookup.error.is_none() {
                        let mut spent = llm.borrow_mut();
                        *spent = (spent.0 + 1, spent.1 + LLM_COST);
                    }
                    if let Some(j) = auto_judge(&text, &result.lookup) {
                        judged.borrow_mut().push(j);
                    }
                    let commands = without_known_index(exchanged);
                    log.set(commands.clone());
                    asked.set(Some(Asked {
                        prompt: text,
                        embedding,
                        lookup: result.lookup,
                        answer: result.answer,
                        from_cache: result.from_cache,
                        commands,
                    }));
                    busy.set(false);
                    refresh.force_update();
                    fetch_points();
                });
            });
        })
    };
    let load_starter = {
        let (connection, model, kind, storage, threshold) =
            (connection.clone(), (*model).clone(), *kind, *storage, *threshold);
        let (log, busy, problem, fetch_points, no_search) =
            (log.clone(), busy.clone(), problem.clone(), fetch_points.clone(), no_search.clone());
        Callback::from(move |_: MouseEvent| {
            if !model.usable() || *busy {
                return;
            }
            busy.set(true);
            let questions: Vec<String> = STARTER.iter().map(|p| p.question.to_string()).collect();
            let (target, waiting, no_search) = (connection.target.clone(), busy.clone(), no_search.clone());
            let (connection, log, busy, problem, fetch_points, model) = (
                connection.clone(),
                log.clone(),
                busy.clone(),
                problem.clone(),
                fetch_points.clone(),
                model.clone(),
            );
            let load = move || {
                model.embed(questions, move |embedded| {
                    let vectors = match embedded {
                        Ok(v) => v,
                        Err(e) => {
                            problem.set(Some(format!("Embeddings unavailable: {e}")));
                            busy.set(false);
                            return;
                        }
                    };
                    let cache = cache_for(kind, storage, vectors.first().map_or(0, Vec::len), threshold);
                    let mut commands = vec![cache.create_index()];
                    for (pair, vector) in STARTER.iter().zip(&vectors) {
                        commands.extend(cache.store_commands(pair.question, pair.answer, vector));
                    }
                    drive(Pipeline::new(commands), connection.target.sender(), move |_, exchanged| {
                        if exchanged.iter().any(|(c, r)| {
                            c[0].as_ref() == b"FT.CREATE" && !r.is_error()
                                || matches!(r, Frame::Error(e) if e.contains("already exists"))
                        }) {
                            connection.ready.borrow_mut().insert(cache.index.clone());
                        }
                        log.set(without_known_index(exchanged));
                        busy.set(false);
                        fetch_points();
                    });
                })
            };
            // On a real server, make sure the search module is there before storing anything:
            // hashes without an index would look loaded and find nothing.
            if target.is_remote() {
                probe_search(&target, move |missing| {
                    no_search.set(missing);
                    if missing {
                        waiting.set(false);
                    } else {
                        load();
                    }
                });
            } else {
                load();
            }
        })
    };
    let judge = |verdict: bool| {
        let (asked, judged, refresh) = (asked.clone(), judged.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(a) = asked.as_ref() else { return };
            if let Some(j) = judged.borrow_mut().iter_mut().rev().find(|j| j.prompt == a.prompt) {
                j.correct = Some(verdict);
            }
            refresh.force_update();
        })
    };
    let verdict_now = asked
        .as_ref()
        .and_then(|a| judged.borrow().iter().rev().find(|j| j.prompt == a.prompt).map(|j| j.correct));
    let on_prompt = {
        let prompt = prompt.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
                prompt.set(el.value());
            }
        })
    };
    let on_threshold = {
        let threshold = threshold.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
                threshold.set(el.value().parse().unwrap_or(*threshold));
            }
        })
    };
    let pick_kind = |k: EmbedderKind| {
        let (kind, threshold, asked, problem) =
            (kind.clone(), threshold.clone(), asked.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            kind.set(k);
            threshold.set(k.suggested_threshold().0);
            asked.set(None);
            problem.set(None);
        })
    };
    let pick_storage = |k: Storage| {
        let (storage, asked, problem) = (storage.clone(), asked.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            storage.set(k);
            asked.set(None);
            problem.set(None);
        })
    };
    let example = |text: &'static str| {
        let prompt = prompt.clone();
        html! { <button class="chip" onclick={Callback::from(move |_: MouseEvent| prompt.set(text.to_string()))}>{text}</button> }
    };

    // The decision at the current threshold (the slider re-decides without a new search).
    let decision =
        asked.as_ref().map(|a| a.lookup.neighbours.first().is_some_and(|n| n.similarity >= *threshold));
    let points = match connection.target.local() {
        Some(local) => local.points(&cache.prefix),
        None => (*remote_points).clone(),
    };
    // Vectors of another size (a model switched under the same prefix) cannot share the map.
    let dims =
        asked.as_ref().map_or_else(|| points.first().map_or(0, |p| p.embedding.len()), |a| a.embedding.len());
    let points: Vec<CachedPrompt> = points.into_iter().filter(|p| p.embedding.len() == dims).collect();
    // The dimension the FT.CREATE shown above uses: the model's, once known.
    let dims_hint = match &*model {
        Model::Ready(m) => m.dims(),
        _ => dims,
    };
    let projection = Projection::fit(&points.iter().map(|p| p.embedding.clone()).collect::<Vec<_>>());
    let map_points: Vec<(String, f32, f32)> = points
        .iter()
        .map(|p| {
            let (x, y) = projection.project(&p.embedding);
            (p.prompt.clone(), x, y)
        })
        .collect();
    let picture = connection.target.local().map(|local| {
        hnsw_picture(
            local,
            &cache.index,
            asked.as_ref().map(|a| a.embedding.as_slice()),
            &points,
            &map_points,
        )
    });
    let query = asked.as_ref().map(|a| projection.project(&a.embedding));
    let neighbour_labels: Vec<String> = asked
        .as_ref()
        .map(|a| a.lookup.neighbours.iter().map(|n| n.prompt.clone()).collect())
        .unwrap_or_default();
    let thresholds: Vec<f32> = (0..=14).map(|i| 0.3 + i as f32 * 0.05).collect();
    let judged = judged.borrow();
    let judgements: Vec<Judgement> =
        judged.iter().map(|j| Judgement { similarity: j.similarity, correct: j.correct }).collect();
    let judged_count = judged.iter().filter(|j| j.correct.is_some()).count();
    let spent = *llm.borrow();
    let ready = model.usable() && !*busy;
    let curve_points = curve(&judgements, &thresholds);
    let (note_threshold, why) = kind.suggested_threshold();

    html! {
        <div class="lab semantic-lab">
            <p class="lab-intro">
                {"A semantic cache answers a question from the cache when a "}<em>{"similar"}</em>
                {" one was answered before. Each prompt becomes an embedding; "}<code>{"FT.SEARCH … KNN"}</code>
                {" finds the nearest cached prompts; RediSearch reports the COSINE "}<strong>{"distance"}</strong>
                {", and similarity = 1 − distance. At or above the threshold it is a HIT."}
            </p>
            <p class={classes!("lab-target", remote.then_some("remote"))} data-testid="sem-target">{connection.target.describe()}</p>
            <div class="lab-actions">
                <span class="segmented">
                    <button class={classes!("btn", (*kind == EmbedderKind::MiniLm).then_some("active"))} onclick={pick_kind(EmbedderKind::MiniLm)}>{"MiniLM (static, 128-d)"}</button>
                    <button class={classes!("btn", (*kind == EmbedderKind::Lexical).then_some("active"))} onclick={pick_kind(EmbedderKind::Lexical)}>{"Lexical (hashed n-grams)"}</button>
                    <button class={classes!("btn", (*kind == EmbedderKind::Proxy).then_some("active"))} onclick={pick_kind(EmbedderKind::Proxy)}
                        title="text-embedding-3-small (or the model configured on the proxy) through the proxy's /api/embeddings; the key stays in the proxy"
                        data-testid="sem-kind-proxy">{"Real model via the proxy"}</button>
                </span>
                <span class="segmented" role="group" aria-label="Store entries as">
                    <button class={classes!("btn", (*storage == Storage::Hash).then_some("active"))} onclick={pick_storage(Storage::Hash)}
                        data-testid="sem-storage-hash">{"Hashes"}</button>
                    <button class={classes!("btn", (*storage == Storage::Json).then_some("active"))} onclick={pick_storage(Storage::Json)}
                        data-testid="sem-storage-json">{"JSON documents"}</button>
                </span>
                <button class="btn" onclick={load_starter} disabled={!ready || *no_search} data-testid="sem-starter">{"Load the starter Q&A set"}</button>
                {
                    match &*model {
                        Model::Loading => html! { <span class="muted">{"loading the embedding table…"}</span> },
                        Model::Failed(e) => html! { <span class="error-text">{format!("Embeddings unavailable: {e}")}</span> },
                        Model::Ready(m) => html! { <span class="muted" data-testid="sem-model">{m.name().to_string()}</span> },
                        Model::Proxy(_) => html! { <span class="muted" data-testid="sem-model">{"the model configured on the proxy (/embeddings)"}</span> },
                    }
                }
                if *busy {
                    <span class="muted" data-testid="sem-busy">{"working…"}</span>
                }
            </div>
            <p class="muted storage-note" data-testid="sem-storage-note">
                { storage_note(*storage) }{" "}<code class="mono" data-testid="sem-create">{ create_line(&cache_for(*kind, *storage, dims_hint, *threshold)).replace(" DIM 0 ", " DIM <the model's size> ") }</code>
            </p>
            if *no_search {
                <p class="error-text" role="alert" data-testid="sem-no-search">{NO_SEARCH}</p>
            }
            { for problem.as_ref().map(|p| html! { <p class="error-text" data-testid="sem-problem">{p.clone()}</p> }) }
            <div class="ask-row">
                <input class="ask-input" type="text" value={(*prompt).clone()} oninput={on_prompt}
                    aria-label="Prompt" placeholder="Ask something…" data-testid="sem-prompt" />
                <button class="btn primary" onclick={ask} disabled={!ready || *no_search} data-testid="sem-ask">{"Ask"}</button>
            </div>
            <div class="chips">
                { example(STARTER[0].paraphrases[0]) }
                { example(STARTER[1].paraphrases[0]) }
                { example(STARTER[6].paraphrases[0]) }
                { example(UNRELATED[0]) }
            </div>
            <label class="threshold">
                {format!("Threshold: similarity ≥ {:.2}", *threshold)}
                <input type="range" min="0.3" max="1" step="0.01" value={threshold.to_string()} oninput={on_threshold} data-testid="sem-threshold" />
                <span class="muted">{format!("Suggested for this model: {note_threshold:.2}. {why}")}</span>
            </label>
            { for asked.as_ref().map(|a| html! {
                <div class="lab-card">
                    <div class="decision">
                        <span class={classes!("badge", if decision == Some(true) { "badge-hit" } else { "badge-miss" })} data-testid="sem-decision">
                            { if decision == Some(true) { "HIT" } else { "MISS" } }
                        </span>
                        <span>{ if a.from_cache {
                            "served from Redis in about a millisecond".to_string()
                        } else {
                            format!("the LLM answered in {LLM_MS:.0} ms (simulated, ${LLM_COST}), and the answer was cached with {} + EXPIRE", if *storage == Storage::Json { "JSON.SET" } else { "HSET" })
                        } }</span>
                    </div>
                    { for verdict_now.map(|verdict| html! {
                        <div class="judge-row" data-testid="sem-judge">
                            <span>{ if a.from_cache {
                                "Is this answer right for the question?"
                            } else {
                                "Would the nearest cached answer have been right for it?"
                            } }</span>
                            <button class={classes!("btn", "small", (verdict == Some(true)).then_some("active"))}
                                onclick={judge(true)} data-testid="sem-judge-right">{"Right"}</button>
                            <button class={classes!("btn", "small", (verdict == Some(false)).then_some("active"))}
                                onclick={judge(false)} data-testid="sem-judge-wrong">{"Wrong"}</button>
                            <span class="muted" data-testid="sem-verdict">{ match verdict {
                                None => "unjudged: not counted in precision",
                                Some(true) => "judged right",
                                Some(false) => "judged wrong",
                            } }</span>
                        </div>
                    }) }
                    <p class="answer">{a.answer.clone()}</p>
                    <h3>{format!("Embedding of “{}” ({} dimensions)", a.prompt, a.embedding.len())}</h3>
                    <EmbeddingStrip vector={a.embedding.clone()} />
                    <h3>{"Nearest cached prompts"}</h3>
                    <NeighbourTable neighbours={a.lookup.neighbours.clone()} threshold={*threshold} />
                    { for a.lookup.error.as_ref().map(|e| html! { <p class="error-text">{plain_error(e)}</p> }) }
                </div>
            }) }
            <div class="lab-grid">
                <div class="lab-card">
                    <h3>{format!("Cached prompts ({}), mapped to 2-D (PCA)", points.len())}</h3>
                    <PromptMap points={map_points} query={query} neighbours={neighbour_labels} />
                </div>
                <div class="lab-card">
                    <h3 data-testid="sem-curve-title">{format!(
                        "Precision vs hit rate ({} question{}, {judged_count} judged)",
                        judged.len(),
                        if judged.len() == 1 { "" } else { "s" },
                    )}</h3>
                    <ThresholdCurve points={curve_points} threshold={*threshold} />
                    <p class="muted">{"Hit rate: share of all questions whose nearest cached prompt is at or above a threshold. Precision: share of the judged ones among those whose cached answer is right (the lab judges its own paraphrases and unrelated questions; judge the others, hits and misses, above). Lower the threshold and more questions hit, but more hits are wrong answers."}</p>
                </div>
                <div class="lab-card hnsw-card">
                    <h3>{"The HNSW index: layers, and the last search's path"}</h3>
                    if let Some(picture) = picture {
                        <HnswView picture={picture} />
                        <p class="muted">{"Numbers: distance computations in order, from the entry point down the layers; green: kept in the beam; ringed: the results."}</p>
                    } else {
                        <p class="muted" data-testid="sem-hnsw-remote">{"The graph lives inside the real server's search module, which does not show it. Switch to the in-browser engine to watch a search walk the layers: it builds the same kind of index from the same commands."}</p>
                    }
                </div>
                <div class="lab-card">
                    <h3>{"LLM calls"}</h3>
                    <p class="mono">{format!("{} calls, ${:.3} spent", spent.0, spent.1)}</p>
                </div>
            </div>
            <div class="lab-card">
                <h3>{"Commands sent"}</h3>
                <CommandLog commands={(*log).clone()} />
            </div>
        </div>
    }
}
