//! The semantic cache with its entries as JSON documents (`Storage::Json`, RedisVL's
//! `storage_type="json"`): the same flows run on the engine and on Redis 7.4 + RediSearch +
//! RedisJSON, and every command gets the same reply on both.

mod common;

use common::Oracle;
use playground_embed::{Embedder, LexicalEmbedder};
use playground_engine::types::json::{self, Json};
use playground_engine::{Engine, Frame};
use playground_labs::flow::{command, run_on_engine, Exchange, Executor};
use playground_labs::semantic::{json_entry, json_prompt, SemanticCache, Storage};

fn cache() -> SemanticCache {
    let mut cache = SemanticCache::new(LexicalEmbedder::default().dims(), 0.6);
    cache.index = "idx:labtest-json".into();
    cache.prefix = "labtest-json:".into();
    cache.storage = Storage::Json;
    cache
}

/// Ask `prompts` in order (creating the index on the first), then list the cached prompts.
fn session(target: &mut impl Executor, cache: &SemanticCache, prompts: &[&str]) -> Vec<Exchange> {
    let model = LexicalEmbedder::default();
    let mut log = Vec::new();
    for (i, prompt) in prompts.iter().enumerate() {
        let embedding = model.embed(prompt);
        let (asked, exchanges) =
            run_on_engine(&mut cache.ask(prompt, &embedding, &format!("answer {i}"), i == 0), target, 1, 1);
        assert!(asked.lookup.error.is_none(), "{prompt}: {:?}", asked.lookup.error);
        log.extend(exchanges);
    }
    let (mut listed, exchanges) = run_on_engine(&mut cache.cached_prompts(100), target, 1, 1);
    listed.sort_by(|a, b| a.prompt.cmp(&b.prompt));
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert_eq!(listed[0].embedding, model.embed(&listed[0].prompt), "the vector reads back exactly");
    log.extend(exchanges);
    log
}

/// The exchanges with SCAN's keys sorted, the reads after it in key order and their paths in
/// name order.
fn in_key_order(mut log: Vec<Exchange>) -> Vec<Exchange> {
    let scan = log.iter().position(|(c, _)| c[0].as_ref() == b"SCAN").expect("a SCAN");
    let mut reads = log.split_off(scan + 1);
    if let Some((_, Frame::Array(parts))) = log.last_mut() {
        if let Some(Frame::Array(keys)) = parts.get_mut(1) {
            keys.sort_by(|a, b| a.as_bytes().cmp(&b.as_bytes()));
        }
    }
    reads.sort_by(|a, b| a.0.cmp(&b.0));
    // JSON.GET of several paths lists them in a hash map's order, a new one each call.
    for (_, reply) in &mut reads {
        if let Some(Ok(Json::Obj(mut members))) = reply.as_bytes().map(json::parse) {
            members.sort_by(|a, b| a.0.cmp(&b.0));
            *reply = Frame::bulk(Json::Obj(members).to_text());
        }
    }
    log.extend(reads);
    log
}

#[test]
fn a_json_cache_answers_like_redis_with_redisjson() {
    let cache = cache();
    let prompts = [
        "How do I reset my password?",
        "What does the pro plan cost?",
        "How can I reset my password please?",
        "Will it rain tomorrow?",
        "What is the price of the pro plan?",
    ];
    let mut oracle = Oracle::with_json();
    oracle.run(command(["FT.DROPINDEX", cache.index.as_str(), "DD"]));
    let theirs = session(&mut oracle, &cache, &prompts);
    oracle.run(command(["FT.DROPINDEX", cache.index.as_str(), "DD"]));

    let mut engine = Engine::new(3, 0);
    engine.connect(0);
    let ours = session(&mut engine, &cache, &prompts);

    // SCAN lists keys in the server's hash order (Redis seeds its hash at start): the listing's
    // exchanges are compared in key order.
    let (ours, theirs) = (in_key_order(ours), in_key_order(theirs));
    assert_eq!(ours.len(), theirs.len());
    for ((cmd, got), (theirs_cmd, want)) in ours.iter().zip(&theirs) {
        let name = String::from_utf8_lossy(&cmd[0]);
        assert_eq!(cmd, theirs_cmd);
        assert_eq!(got, want, "{name} {:?}", cmd.get(1));
    }
    // What is stored: JSON documents, indexed ON JSON, one hit for each rewording.
    let stores = ours.iter().filter(|(c, _)| c[0].as_ref() == b"JSON.SET").count();
    assert_eq!(stores, 3, "two rewordings hit the cache");
    assert!(ours
        .iter()
        .any(|(c, r)| c[0].as_ref() == b"FT.CREATE" && c[3].as_ref() == b"JSON" && *r == Frame::ok()));
}

#[test]
fn entries_round_trip_through_their_json() {
    let doc = json_entry("say \"hi\"", "héllo\n", &[0.1, -2.5, 3.0, 1e-7]);
    assert_eq!(doc, r#"{"prompt":"say \"hi\"","response":"héllo\n","embedding":[0.1,-2.5,3,0.0000001]}"#);
    let reply = r#"{"$.prompt":["say \"hi\""],"$.embedding":[[0.1,-2.5,3,1e-7]]}"#;
    assert_eq!(json_prompt(reply.as_bytes()), Some(("say \"hi\"".to_string(), vec![0.1, -2.5, 3.0, 1e-7])));
    assert_eq!(json_prompt(br#"{"$.prompt":[],"$.embedding":[]}"#), None, "a key without the fields");
}
