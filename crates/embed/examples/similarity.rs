//! Print cosine similarities for pairs of texts with both embedders:
//! `cargo run -p playground-embed --example similarity -- "text a" "text b" ...` (pairs),
//! or with no arguments, a built-in table of paraphrases and unrelated pairs.

use playground_embed::{cosine_similarity, Embedder, LexicalEmbedder, StaticEmbedder};

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/embeddings");
    let table = std::fs::read(root.join("minilm-128.bin")).expect("static/embeddings/minilm-128.bin");
    let vocab = std::fs::read_to_string(root.join("vocab.txt")).expect("static/embeddings/vocab.txt");
    let model = StaticEmbedder::from_parts(&table, &vocab).expect("valid table");
    let lexical = LexicalEmbedder::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let default_pairs = [
        ("How do I reset my password?", "I forgot my password, how can I change it?"),
        ("What is the capital of France?", "Which city is France's capital?"),
        ("How much does shipping cost?", "What are the delivery fees?"),
        ("Is Redis an in-memory database?", "Does Redis keep its data in memory?"),
        ("How do I reset my password?", "What is the capital of France?"),
        ("How much does shipping cost?", "Is Redis an in-memory database?"),
    ];
    let pairs: Vec<(String, String)> = if args.len() >= 2 {
        args.chunks_exact(2).map(|p| (p[0].clone(), p[1].clone())).collect()
    } else {
        default_pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    };
    println!("{:>8} {:>8}  pair", "minilm", "lexical");
    for (a, b) in pairs {
        let s = cosine_similarity(&model.embed(&a), &model.embed(&b));
        let l = cosine_similarity(&lexical.embed(&a), &lexical.embed(&b));
        println!("{s:>8.3} {l:>8.3}  {a:?} ~ {b:?}");
    }
}
