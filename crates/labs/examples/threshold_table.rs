//! Why a semantic cache's threshold belongs to the model: for the starter set, print each
//! paraphrase's similarity to its own question and to the nearest other question, and each
//! unrelated question's best similarity, for both built-in embedders.
//! `cargo run -p playground-labs --example threshold_table`

use playground_embed::{cosine_similarity, Embedder, LexicalEmbedder, StaticEmbedder};
use playground_labs::starter::{STARTER, UNRELATED};

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../static/embeddings");
    let table = std::fs::read(root.join("minilm-128.bin")).expect("table");
    let vocab = std::fs::read_to_string(root.join("vocab.txt")).expect("vocab");
    let minilm = StaticEmbedder::from_parts(&table, &vocab).expect("valid");
    let lexical = LexicalEmbedder::default();
    for model in [&minilm as &dyn Embedder, &lexical] {
        println!("\n{}\n", model.name());
        println!("| paraphrase | own question | nearest other |");
        println!("|---|---:|---:|");
        let questions: Vec<Vec<f32>> = STARTER.iter().map(|p| model.embed(p.question)).collect();
        let (mut own_min, mut other_max) = (f32::MAX, f32::MIN);
        for (i, pair) in STARTER.iter().enumerate() {
            for para in pair.paraphrases {
                let v = model.embed(para);
                let own = cosine_similarity(&v, &questions[i]);
                let other = questions
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, q)| cosine_similarity(&v, q))
                    .fold(f32::MIN, f32::max);
                own_min = own_min.min(own);
                other_max = other_max.max(other);
                println!("| {para} | {own:.3} | {other:.3} |");
            }
        }
        for q in UNRELATED {
            let v = model.embed(q);
            let best = questions.iter().map(|x| cosine_similarity(&v, x)).fold(f32::MIN, f32::max);
            other_max = other_max.max(best);
            println!("| (unrelated) {q} | – | {best:.3} |");
        }
        println!(
            "\nlowest own-question similarity {own_min:.3}; highest wrong-question similarity {other_max:.3}"
        );
    }
}
