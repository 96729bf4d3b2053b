//! The embedders against the reference (HF tokenizers + model2vec, recorded in
//! tests/fixtures/reference.json by scripts/embeddings/build_table.py) and on paraphrases.

use playground_embed::{cosine_similarity, Embedder, LexicalEmbedder, StaticEmbedder, UnicodeTables};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Reference {
    samples: Vec<Sample>,
}

#[derive(Deserialize)]
struct Sample {
    text: String,
    ids: Vec<u32>,
    embedding: Vec<f32>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load() -> StaticEmbedder {
    let table = std::fs::read(root().join("static/embeddings/minilm-128.bin")).expect("table");
    let vocab = std::fs::read_to_string(root().join("static/embeddings/vocab.txt")).expect("vocab");
    StaticEmbedder::from_parts(&table, &vocab).expect("valid table")
}

fn reference() -> Reference {
    let text =
        std::fs::read_to_string(root().join("crates/embed/tests/fixtures/reference.json")).expect("fixture");
    serde_json::from_str(&text).expect("fixture parses")
}

#[test]
fn tokenizer_matches_the_reference_ids() {
    let model = load();
    for sample in reference().samples {
        assert_eq!(model.token_ids(&sample.text), sample.ids, "tokens of {:?}", sample.text);
    }
}

/// The page's way: Unicode tables read from the shipped `unicode.bin`, not compiled in.
#[test]
fn tokenizer_with_the_shipped_unicode_file_matches_the_reference_ids() {
    let table = std::fs::read(root().join("static/embeddings/minilm-128.bin")).expect("table");
    let vocab = std::fs::read_to_string(root().join("static/embeddings/vocab.txt")).expect("vocab");
    let unicode = std::fs::read(root().join("static/embeddings/unicode.bin")).expect("unicode.bin");
    let unicode = UnicodeTables::from_bytes(&unicode).expect("valid unicode.bin");
    let model = StaticEmbedder::from_files(&table, &vocab, unicode).expect("valid table");
    for sample in reference().samples {
        assert_eq!(model.token_ids(&sample.text), sample.ids, "tokens of {:?}", sample.text);
    }
}

#[test]
fn embeddings_match_the_reference_within_int8_error() {
    let model = load();
    for sample in reference().samples {
        let ours = model.embed(&sample.text);
        if sample.ids.is_empty() {
            assert!(ours.iter().all(|x| *x == 0.0));
            continue;
        }
        let sim = cosine_similarity(&ours, &sample.embedding);
        assert!(sim > 0.995, "{:?}: cosine to reference {sim}", sample.text);
    }
}

#[test]
fn same_text_same_vector_and_unit_length() {
    let model = load();
    let a = model.embed("How long should a cached answer live?");
    let b = model.embed("How long should a cached answer live?");
    assert_eq!(a, b);
    let norm: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-5);
}

/// Paraphrases (our own text) and unrelated pairs: every paraphrase must score above every
/// unrelated pair, and the means must be far apart.
#[test]
fn paraphrases_score_above_unrelated_pairs() {
    let model = load();
    let paraphrases = [
        ("How do I reset my password?", "I forgot my password, how can I change it?"),
        ("What is the capital of France?", "Which city is France's capital?"),
        ("How much does shipping cost?", "What are the delivery fees?"),
        ("Can I cancel my subscription?", "How do I stop my subscription?"),
        ("What time does the store open?", "When does the shop open in the morning?"),
        ("Is Redis an in-memory database?", "Does Redis keep its data in memory?"),
    ];
    let unrelated = [
        ("How do I reset my password?", "What is the capital of France?"),
        ("How much does shipping cost?", "Is Redis an in-memory database?"),
        ("Can I cancel my subscription?", "What time does the store open?"),
        ("Which city is France's capital?", "What are the delivery fees?"),
        ("When does the shop open in the morning?", "I forgot my password, how can I change it?"),
    ];
    let sim = |(a, b): (&str, &str)| cosine_similarity(&model.embed(a), &model.embed(b));
    let para: Vec<f32> = paraphrases.iter().map(|p| sim(*p)).collect();
    let unrel: Vec<f32> = unrelated.iter().map(|p| sim(*p)).collect();
    let min_para = para.iter().cloned().fold(f32::MAX, f32::min);
    let max_unrel = unrel.iter().cloned().fold(f32::MIN, f32::max);
    assert!(min_para > max_unrel, "paraphrases {para:?} vs unrelated {unrel:?}");
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    assert!(mean(&para) - mean(&unrel) > 0.3, "means {} vs {}", mean(&para), mean(&unrel));
}

#[test]
fn lexical_embedder_sees_wording_not_meaning() {
    let lex = LexicalEmbedder::default();
    let a = lex.embed("reset my password");
    assert_eq!(a, lex.embed("reset my password"));
    let near = cosine_similarity(&a, &lex.embed("reset my password please"));
    let far = cosine_similarity(&a, &lex.embed("capital of france"));
    assert!(near > 0.8 && far < 0.3, "near {near} far {far}");
}

#[test]
fn bad_tables_are_errors_not_panics() {
    assert!(StaticEmbedder::from_parts(b"nope", "").is_err());
    let mut header = b"PGEMB001".to_vec();
    header.extend_from_slice(&u32::MAX.to_le_bytes());
    header.extend_from_slice(&u32::MAX.to_le_bytes());
    assert!(StaticEmbedder::from_parts(&header, "").is_err());
}
