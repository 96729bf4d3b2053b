//! The semantic cache lab: ask a question, see its embedding, the nearest cached prompts with
//! their COSINE distance and similarity, and the HIT/MISS decision at a threshold you move.
//! On a MISS a simulated LLM answers and the pair is stored with HSET + EXPIRE under the
//! index's prefix, exactly as the course's `semantic_cache_set` does.

use super::command_log::CommandLog;
use super::embedders::{lexical, load_minilm, EmbedderKind};
use super::hnsw_view::{HnswPicture, HnswView};
use super::semantic_views::{EmbeddingStrip, NeighbourTable, PromptMap, ThresholdCurve};
use crate::session::SessionHandle;
use bytes::Bytes;
use playground_embed::Embedder;
use playground_engine::search;
use playground_engine::types::Value;
use playground_engine::Frame;
use playground_labs::flow::{run_on_engine, Command};
use playground_labs::pca::Projection;
use playground_labs::semantic::{Lookup, SemanticCache};
use playground_labs::starter::{STARTER, UNRELATED};
use playground_labs::threshold::{curve, Judgement};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Simulated LLM: latency and cost of one answer.
const LLM_MS: f64 = 1_200.0;
const LLM_COST: f64 = 0.002;

#[derive(Clone)]
enum Model {
    Loading,
    Ready(Rc<dyn Embedder>),
    Failed(String),
}

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Model::Ready(a), Model::Ready(b)) => Rc::ptr_eq(a, b),
            (Model::Loading, Model::Loading) => true,
            (Model::Failed(a), Model::Failed(b)) => a == b,
            _ => false,
        }
    }
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

/// One judged question for the threshold curve.
#[derive(Clone, PartialEq)]
struct Judged {
    prompt: String,
    similarity: f32,
    correct: bool,
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

/// Judge a lookup automatically where we can: starter paraphrases must get their pair's answer,
/// unrelated questions must not be answered from the cache; anything else counts as right
/// until the learner marks it wrong.
fn auto_judge(prompt: &str, lookup: &Lookup) -> Option<Judged> {
    let nearest = lookup.neighbours.first()?;
    let correct = match expected_answer(prompt) {
        Some(answer) => nearest.response == answer,
        None => !UNRELATED.iter().any(|q| q.eq_ignore_ascii_case(prompt.trim())),
    };
    Some(Judged { prompt: prompt.to_string(), similarity: nearest.similarity, correct })
}

/// Run commands in the engine for the lab's client; returns the exchanges.
fn exec(session: &SessionHandle, client: u64, cmds: Vec<Command>) -> Vec<(Command, Frame)> {
    session
        .update(|s| {
            s.dirty = true;
            let now = s.clock.now();
            cmds.into_iter().map(|c| (c.clone(), s.engine.execute(client, c, now))).collect()
        })
        .unwrap_or_default()
}

/// The lab's own connection to the engine (so the console's SELECT or MULTI never interferes).
fn lab_client(session: &SessionHandle, slot: &RefCell<Option<u64>>) -> u64 {
    if let Some(id) = *slot.borrow() {
        return id;
    }
    let id = session.update(|s| s.engine.connect(s.clock.now())).unwrap_or(0);
    *slot.borrow_mut() = Some(id);
    id
}

/// Create the index unless it exists (the reply is shown either way).
fn ensure_index(session: &SessionHandle, client: u64, cache: &SemanticCache) -> Vec<(Command, Frame)> {
    let exchanges = exec(session, client, vec![cache.create_index()]);
    exchanges
        .into_iter()
        .filter(|(_, reply)| !matches!(reply, Frame::Error(e) if e.contains("already exists")))
        .collect()
}

/// Cached (key, prompt, embedding) under the cache's prefix (db 0), for the map.
fn cached_points(session: &SessionHandle, prefix: &str) -> Vec<(Bytes, String, Vec<f32>)> {
    session
        .read(|s| {
            let Some(db) = s.engine.server().dbs.first() else { return Vec::new() };
            db.iter()
                .filter(|(k, _)| k.starts_with(prefix.as_bytes()))
                .filter_map(|(key, entry)| match &entry.value {
                    Value::Hash(h) => {
                        let prompt = String::from_utf8_lossy(h.get(b"prompt".as_slice())?).into_owned();
                        let blob = h.get(b"embedding".as_slice())?;
                        let v = blob
                            .chunks_exact(4)
                            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                            .collect();
                        Some((key.clone(), prompt, v))
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The index's graph and, if a prompt was asked, the traced search for it.
fn hnsw_picture(
    session: &SessionHandle,
    index: &str,
    query: Option<&[f32]>,
    points: &[(Bytes, String, Vec<f32>)],
    map_points: &[(String, f32, f32)],
) -> HnswPicture {
    session
        .read(|s| {
            let Some(layers) = search::inspect(&s.engine, index) else { return HnswPicture::default() };
            let keys = search::doc_keys(&s.engine, index);
            let (min_x, max_x, min_y, max_y) =
                map_points.iter().fold((f32::MAX, f32::MIN, f32::MAX, f32::MIN), |(a, b, c, d), p| {
                    (a.min(p.1), b.max(p.1), c.min(p.2), d.max(p.2))
                });
            let (span_x, span_y) = ((max_x - min_x).max(1e-6), (max_y - min_y).max(1e-6));
            let nodes = keys
                .iter()
                .filter_map(|(id, key)| {
                    let i = points.iter().position(|p| p.0 == *key)?;
                    let (_, px, py) = &map_points[i];
                    Some((*id, ((px - min_x) / span_x, (py - min_y) / span_y, points[i].1.clone())))
                })
                .collect();
            let (results, trace) = query
                .and_then(|q| {
                    let blob: Vec<u8> = q.iter().flat_map(|x| x.to_le_bytes()).collect();
                    search::trace_knn(&s.engine, index, "embedding", &blob, 3)
                })
                .unwrap_or_default();
            let results = results
                .iter()
                .filter_map(|(key, _)| keys.iter().find(|(_, k)| *k == key).map(|(id, _)| *id))
                .collect();
            HnswPicture { layers: layers.layers, entry_point: layers.entry_point, nodes, trace, results }
        })
        .unwrap_or_default()
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

#[component]
pub fn SemanticLab() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! { <p class="error-text">{"The lab needs the playground session."}</p> };
    };
    let kind = use_state(|| EmbedderKind::MiniLm);
    let model = use_state(|| Model::Loading);
    let threshold = use_state(|| EmbedderKind::MiniLm.suggested_threshold().0);
    let prompt = use_state(|| STARTER[0].paraphrases[0].to_string());
    let asked = use_state(|| None::<Asked>);
    let judged = use_state(Vec::<Judged>::new);
    let log = use_state(Vec::<(Command, Frame)>::new);
    let client: Rc<RefCell<Option<u64>>> = use_mut_ref(|| None);
    let llm = use_state(|| (0u32, 0.0f64));

    // Load the chosen embedder (MiniLM lazily over the network, lexical at once).
    {
        let model = model.clone();
        use_effect_with(*kind, move |kind| match kind {
            EmbedderKind::Lexical => model.set(Model::Ready(lexical())),
            EmbedderKind::MiniLm => {
                model.set(Model::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    model.set(match load_minilm().await {
                        Ok(m) => Model::Ready(m),
                        Err(e) => Model::Failed(e),
                    });
                });
            }
        });
    }

    let embedder = match &*model {
        Model::Ready(m) => Some(m.clone()),
        _ => None,
    };
    let cache = {
        let (index, prefix) = kind.index_and_prefix();
        let mut c = SemanticCache::new(embedder.as_ref().map_or(128, |m| m.dims()), *threshold);
        c.index = index.into();
        c.prefix = prefix.into();
        c
    };

    let ask = {
        let (session, client, cache, embedder) =
            (session.clone(), client.clone(), cache.clone(), embedder.clone());
        let (prompt, asked, judged, log, llm) =
            (prompt.clone(), asked.clone(), judged.clone(), log.clone(), llm.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(embedder) = embedder.as_ref() else { return };
            let text = prompt.trim().to_string();
            if text.is_empty() {
                return;
            }
            let id = lab_client(&session, &client);
            let mut commands = ensure_index(&session, id, &cache);
            let embedding = embedder.embed(&text);
            let result = session.update(|s| {
                let now = s.clock.now();
                run_on_engine(&mut cache.lookup(&embedding), &mut s.engine, id, now)
            });
            let Some((lookup, exchanged)) = result else { return };
            commands.extend(exchanged);
            let (answer, from_cache) = match &lookup.hit {
                Some(hit) => (hit.response.clone(), true),
                None => {
                    let answer = expected_answer(&text)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("(simulated LLM) A fresh answer to: {text}"));
                    commands.extend(exec(&session, id, cache.store_commands(&text, &answer, &embedding)));
                    llm.set((llm.0 + 1, llm.1 + LLM_COST));
                    (answer, false)
                }
            };
            if let Some(j) = auto_judge(&text, &lookup) {
                let mut all = (*judged).clone();
                all.push(j);
                judged.set(all);
            }
            log.set(commands.clone());
            asked.set(Some(Asked { prompt: text, embedding, lookup, answer, from_cache, commands }));
        })
    };
    let load_starter = {
        let (session, client, cache, embedder, log) =
            (session.clone(), client.clone(), cache.clone(), embedder.clone(), log.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(embedder) = embedder.as_ref() else { return };
            let id = lab_client(&session, &client);
            let mut commands = ensure_index(&session, id, &cache);
            for pair in STARTER {
                commands.extend(exec(
                    &session,
                    id,
                    cache.store_commands(pair.question, pair.answer, &embedder.embed(pair.question)),
                ));
            }
            log.set(commands);
        })
    };
    let mark_wrong = {
        let (asked, judged) = (asked.clone(), judged.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(a) = asked.as_ref() else { return };
            let mut all = (*judged).clone();
            if let Some(j) = all.iter_mut().rev().find(|j| j.prompt == a.prompt) {
                j.correct = false;
            }
            judged.set(all);
        })
    };
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
        let (kind, threshold, asked) = (kind.clone(), threshold.clone(), asked.clone());
        Callback::from(move |_: MouseEvent| {
            kind.set(k);
            threshold.set(k.suggested_threshold().0);
            asked.set(None);
        })
    };
    let example = |text: &'static str| {
        let prompt = prompt.clone();
        html! { <button class="chip" onclick={Callback::from(move |_: MouseEvent| prompt.set(text.to_string()))}>{text}</button> }
    };

    // The decision at the current threshold (the slider re-decides without a new search).
    let decision =
        asked.as_ref().map(|a| a.lookup.neighbours.first().is_some_and(|n| n.similarity >= *threshold));
    let points = cached_points(&session, &cache.prefix);
    let projection = Projection::fit(&points.iter().map(|p| p.2.clone()).collect::<Vec<_>>());
    let map_points: Vec<(String, f32, f32)> = points
        .iter()
        .map(|(_, label, v)| {
            let (x, y) = projection.project(v);
            (label.clone(), x, y)
        })
        .collect();
    let picture = hnsw_picture(
        &session,
        &cache.index,
        asked.as_ref().map(|a| a.embedding.as_slice()),
        &points,
        &map_points,
    );
    let query = asked.as_ref().map(|a| projection.project(&a.embedding));
    let neighbour_labels: Vec<String> = asked
        .as_ref()
        .map(|a| a.lookup.neighbours.iter().map(|n| n.prompt.clone()).collect())
        .unwrap_or_default();
    let thresholds: Vec<f32> = (0..=14).map(|i| 0.3 + i as f32 * 0.05).collect();
    let judgements: Vec<Judgement> =
        judged.iter().map(|j| Judgement { similarity: j.similarity, correct: j.correct }).collect();
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
            <div class="lab-actions">
                <span class="segmented">
                    <button class={classes!("btn", (*kind == EmbedderKind::MiniLm).then_some("active"))} onclick={pick_kind(EmbedderKind::MiniLm)}>{"MiniLM (static, 128-d)"}</button>
                    <button class={classes!("btn", (*kind == EmbedderKind::Lexical).then_some("active"))} onclick={pick_kind(EmbedderKind::Lexical)}>{"Lexical (hashed n-grams)"}</button>
                </span>
                <button class="btn" onclick={load_starter} disabled={embedder.is_none()} data-testid="sem-starter">{"Load the starter Q&A set"}</button>
                {
                    match &*model {
                        Model::Loading => html! { <span class="muted">{"loading the embedding table…"}</span> },
                        Model::Failed(e) => html! { <span class="error-text">{format!("Embeddings unavailable: {e}")}</span> },
                        Model::Ready(m) => html! { <span class="muted" data-testid="sem-model">{m.name().to_string()}</span> },
                    }
                }
            </div>
            <div class="ask-row">
                <input class="ask-input" type="text" value={(*prompt).clone()} oninput={on_prompt}
                    aria-label="Prompt" placeholder="Ask something…" data-testid="sem-prompt" />
                <button class="btn primary" onclick={ask} disabled={embedder.is_none()} data-testid="sem-ask">{"Ask"}</button>
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
                            format!("the LLM answered in {LLM_MS:.0} ms (simulated, ${LLM_COST}), and the answer was cached with HSET + EXPIRE")
                        } }</span>
                        if a.from_cache {
                            <button class="btn small" onclick={mark_wrong.clone()}>{"Wrong answer? Mark as a false hit"}</button>
                        }
                    </div>
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
                    <h3>{format!("Precision vs hit rate ({} judged questions)", judged.len())}</h3>
                    <ThresholdCurve points={curve_points} threshold={*threshold} />
                    <p class="muted">{"Lower the threshold and more questions hit, but more hits are wrong answers."}</p>
                </div>
                <div class="lab-card hnsw-card">
                    <h3>{"The HNSW index: layers, and the last search's path"}</h3>
                    <HnswView picture={picture} />
                    <p class="muted">{"Numbers: distance computations in order, from the entry point down the layers; green: kept in the beam; ringed: the results."}</p>
                </div>
                <div class="lab-card">
                    <h3>{"LLM calls"}</h3>
                    <p class="mono">{format!("{} calls, ${:.3} spent", llm.0, llm.1)}</p>
                </div>
            </div>
            <div class="lab-card">
                <h3>{"Commands sent"}</h3>
                <CommandLog commands={(*log).clone()} />
            </div>
        </div>
    }
}
