//! The semantic cache against the real engine's FT.* commands with the static MiniLM embedder.

use playground_embed::{Embedder, StaticEmbedder};
use playground_engine::{Engine, Frame};
use playground_labs::flow::run_on_engine;
use playground_labs::semantic::{parse_search_reply, SemanticCache};
use playground_labs::starter::{STARTER, UNRELATED};

fn model() -> StaticEmbedder {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/embeddings");
    let table = std::fs::read(root.join("minilm-128.bin")).expect("table");
    let vocab = std::fs::read_to_string(root.join("vocab.txt")).expect("vocab");
    StaticEmbedder::from_parts(&table, &vocab).expect("valid")
}

#[test]
fn paraphrases_hit_and_unrelated_questions_miss() {
    let model = model();
    // 0.65 suits this static model (see `cargo run -p playground-labs --example threshold_table`).
    let cache = SemanticCache::new(model.dims(), 0.65);
    let mut engine = Engine::new(1, 0);
    let c = engine.connect(0);
    assert_eq!(engine.execute(c, cache.create_index(), 0), Frame::ok());
    for pair in STARTER {
        for cmd in cache.store_commands(pair.question, pair.answer, &model.embed(pair.question)) {
            let reply = engine.execute(c, cmd, 0);
            assert!(!reply.is_error(), "{reply:?}");
        }
    }
    let mut hits = 0;
    let mut asked = 0;
    for pair in STARTER {
        for para in pair.paraphrases {
            asked += 1;
            let (lookup, log) = run_on_engine(&mut cache.lookup(&model.embed(para)), &mut engine, c, 1);
            assert!(lookup.error.is_none(), "{:?} {:?}", lookup.error, log);
            let nearest = &lookup.neighbours[0];
            assert!((nearest.similarity - (1.0 - nearest.distance)).abs() < 1e-6);
            if lookup.hit.as_ref().is_some_and(|h| h.response == pair.answer) {
                hits += 1;
            }
        }
    }
    assert!(hits * 20 >= asked * 13, "{hits}/{asked} paraphrases hit the right answer");
    for question in UNRELATED {
        let (lookup, _) = run_on_engine(&mut cache.lookup(&model.embed(question)), &mut engine, c, 1);
        assert!(lookup.hit.is_none(), "{question:?} must miss: {:?}", lookup.neighbours.first());
    }
    // Entries carry the TTL, as the course insists.
    let key = cache.key_for(STARTER[0].question);
    assert_eq!(engine.execute(c, vec!["TTL".into(), key.into()], 0), Frame::Integer(3600));
}

#[test]
fn search_replies_parse_in_resp2_and_resp3() {
    let resp2 = Frame::Array(vec![
        Frame::Integer(1),
        Frame::bulk("cache:1"),
        Frame::Array(vec![
            Frame::bulk("prompt"),
            Frame::bulk("p"),
            Frame::bulk("score"),
            Frame::bulk("0.25"),
        ]),
    ]);
    let (total, docs) = parse_search_reply(&resp2).expect("resp2");
    assert_eq!((total, docs[0].0.as_str(), docs[0].1.len()), (1, "cache:1", 2));
    let resp3 = Frame::Map(vec![
        (Frame::bulk("total_results"), Frame::Integer(1)),
        (
            Frame::bulk("results"),
            Frame::Array(vec![Frame::Map(vec![
                (Frame::bulk("id"), Frame::bulk("cache:1")),
                (
                    Frame::bulk("extra_attributes"),
                    Frame::Map(vec![(Frame::bulk("score"), Frame::bulk("0.25"))]),
                ),
            ])]),
        ),
    ]);
    let (total, docs) = parse_search_reply(&resp3).expect("resp3");
    assert_eq!((total, docs[0].1[0].0.as_str()), (1, "score"));
    assert!(parse_search_reply(&Frame::Error("ERR unknown command 'FT.SEARCH'".into())).is_err());
}

/// The command the lab shows and sends lists the nearest first, as the course's `vector_search`
/// does with `SORTBY score`: the server's own order, not a sort the lab adds afterwards.
#[test]
fn the_knn_command_returns_the_nearest_first() {
    let model = model();
    let mut cache = SemanticCache::new(model.dims(), 0.65);
    cache.k = 5;
    let mut engine = Engine::new(1, 0);
    let c = engine.connect(0);
    assert_eq!(engine.execute(c, cache.create_index(), 0), Frame::ok());
    for pair in STARTER {
        for cmd in cache.store_commands(pair.question, pair.answer, &model.embed(pair.question)) {
            assert!(!engine.execute(c, cmd, 0).is_error());
        }
    }
    let command = cache.search_command(&model.embed(STARTER[3].paraphrases[0]));
    assert!(command.windows(2).any(|w| w[0].as_ref() == b"SORTBY" && w[1].as_ref() == b"score"));
    let (_, docs) = parse_search_reply(&engine.execute(c, command, 0)).expect("a search reply");
    let scores: Vec<f64> = docs
        .iter()
        .map(|(_, fields)| {
            let (_, score) = fields.iter().find(|(name, _)| name == "score").expect("a score");
            std::str::from_utf8(score).expect("text").parse().expect("a number")
        })
        .collect();
    assert_eq!(scores.len(), 5);
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "nearest first: {scores:?}");
}
