//! Embeddings for the semantic-cache lab, computed in the page with no network.
//!
//! - [`StaticEmbedder`]: all-MiniLM-L6-v2 distilled into a static table (model2vec style): the
//!   text is tokenized with the model's own WordPiece tokenizer ([`WordPiece`]), each token looks
//!   up a 128-d vector, the vectors are averaged and normalised. The table and vocabulary are
//!   built offline by `scripts/embeddings/build_table.sh` and shipped in `static/embeddings/`.
//! - [`LexicalEmbedder`]: hashed word and character n-grams, instant to start, good at spotting
//!   near-identical wording and blind to meaning: a useful contrast for learners.
//!
//! Both produce unit-length vectors, so cosine similarity is a dot product and RediSearch's
//! COSINE distance is `1 - similarity`.

mod lexical;
mod static_model;
mod unicode;
#[rustfmt::skip]
mod unicode_tables;
mod wordpiece;

pub use lexical::LexicalEmbedder;
pub use static_model::{StaticEmbedder, TableError};
pub use unicode::UnicodeTables;
pub use wordpiece::WordPiece;

/// Something that turns text into a unit-length vector.
pub trait Embedder {
    /// Short name shown in the lab ("MiniLM static 128-d", ...).
    fn name(&self) -> &str;
    /// Vector length.
    fn dims(&self) -> usize;
    /// The embedding of `text` (all zeros for text with no known token).
    fn embed(&self, text: &str) -> Vec<f32>;
}

/// Cosine similarity of two vectors (0 when either is all zeros or lengths differ).
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut dot, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

/// Scale `v` to unit length in place (left as is when all zeros).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Little-endian FLOAT32 bytes, the blob format RediSearch expects in a hash field.
pub fn to_f32_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
