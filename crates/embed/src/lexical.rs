//! A tiny lexical embedder: words and character trigrams hashed into a fixed number of
//! dimensions (the "hashing trick"). No table to load, so it works the moment the page opens.
//! It scores shared wording, not shared meaning, which is exactly what learners should compare
//! against a real embedding model.

use crate::{normalize, Embedder};

/// Hashed n-gram embedder.
#[derive(Debug, Clone)]
pub struct LexicalEmbedder {
    dims: usize,
}

impl Default for LexicalEmbedder {
    fn default() -> Self {
        LexicalEmbedder { dims: 256 }
    }
}

impl LexicalEmbedder {
    /// An embedder with `dims` dimensions (at least 1).
    pub fn new(dims: usize) -> LexicalEmbedder {
        LexicalEmbedder { dims: dims.max(1) }
    }

    fn add(&self, v: &mut [f32], feature: &str, weight: f32) {
        let h = fnv1a(feature.as_bytes());
        let index = (h % self.dims as u64) as usize;
        // A second hash bit picks the sign, so collisions cancel out on average.
        let sign = if (h >> 63) == 0 { 1.0 } else { -1.0 };
        v[index] += sign * weight;
    }
}

impl Embedder for LexicalEmbedder {
    fn name(&self) -> &str {
        "Lexical n-grams (hashed, 256-d)"
    }

    fn dims(&self) -> usize {
        self.dims
    }

    fn embed(&self, text: &str) -> Vec<f32> {
        let mut v = vec![0.0f32; self.dims];
        let lower = text.to_lowercase();
        for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            self.add(&mut v, word, 1.0);
            let padded: Vec<char> = format!(" {word} ").chars().collect();
            for gram in padded.windows(3) {
                self.add(&mut v, &gram.iter().collect::<String>(), 0.5);
            }
        }
        normalize(&mut v);
        v
    }
}

/// 64-bit FNV-1a: stable across platforms and runs, unlike std's randomised hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}
