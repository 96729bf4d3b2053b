//! The lab's embedders: the lexical one is there at once; the MiniLM static table (3.9 MB), its
//! vocabulary and the tokenizer's Unicode tables are fetched only when the semantic lab first
//! needs them, so the page itself stays small.

use gloo::net::http::Request;
use playground_embed::{Embedder, LexicalEmbedder, StaticEmbedder, UnicodeTables};
use std::rc::Rc;

/// Which embedder the lab uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedderKind {
    MiniLm,
    Lexical,
    /// A real embeddings model (text-embedding-3-small on Azure OpenAI, as in the course) through
    /// the proxy's `/embeddings`.
    Proxy,
}

impl EmbedderKind {
    /// The threshold that suits this model, and why (shown next to the slider).
    pub fn suggested_threshold(self) -> (f32, &'static str) {
        match self {
            EmbedderKind::MiniLm => (
                0.65,
                "This distilled MiniLM table scores most rewordings of a starter question 0.63-0.94 and \
                 unrelated questions below 0.4, so 0.65 catches most rewordings; a few land next to a \
                 different question (false hits: raise the threshold and watch precision rise and the hit \
                 rate fall). The course uses 0.95 with text-embedding-3-small; this table does not measure \
                 that model, so pick the proxy's real model to see its scores: a threshold belongs to a \
                 model, not to the pattern.",
            ),
            EmbedderKind::Proxy => (
                0.95,
                "The course's value, which it uses with text-embedding-3-small. How high rewordings and near misses \
                 score depends on the model: ask a few rewordings and a few different questions, mark the false \
                 hits, and read the curve before trusting any number.",
            ),
            EmbedderKind::Lexical => (
                0.6,
                "The lexical embedder only sees shared words and letter triples: rewordings score low and \
                 questions that share words but differ in meaning score high. Try it to see why caches need \
                 real embeddings.",
            ),
        }
    }

    /// Index and key prefix per embedder: their vectors have different sizes.
    pub fn index_and_prefix(self) -> (&'static str, &'static str) {
        match self {
            EmbedderKind::MiniLm => ("idx:cache", "cache:"),
            EmbedderKind::Lexical => ("idx:cache-lexical", "cache-lexical:"),
            EmbedderKind::Proxy => ("idx:cache-model", "cache-model:"),
        }
    }
}

/// The lexical embedder.
pub fn lexical() -> Rc<dyn Embedder> {
    Rc::new(LexicalEmbedder::default())
}

/// Fetch and load the MiniLM table shipped in `static/embeddings/`.
pub async fn load_minilm() -> Result<Rc<dyn Embedder>, String> {
    let fetch = |url: &'static str| async move {
        let response = Request::get(url).send().await.map_err(|e| format!("could not fetch {url}: {e}"))?;
        if !response.ok() {
            return Err(format!("could not fetch {url}: HTTP {}", response.status()));
        }
        response.binary().await.map_err(|e| format!("could not read {url}: {e}"))
    };
    let table = fetch("embeddings/minilm-128.bin").await?;
    let vocab = fetch("embeddings/vocab.txt").await?;
    let vocab = String::from_utf8(vocab).map_err(|_| "the vocabulary is not UTF-8".to_string())?;
    // The tokenizer's Unicode tables (36 KB) come with the model rather than in the page's wasm.
    let unicode = fetch("embeddings/unicode.bin").await?;
    let unicode = UnicodeTables::from_bytes(&unicode).map_err(|e| format!("embeddings/unicode.bin: {e}"))?;
    let model = StaticEmbedder::from_files(&table, &vocab, unicode).map_err(|e| e.to_string())?;
    Ok(Rc::new(model))
}
