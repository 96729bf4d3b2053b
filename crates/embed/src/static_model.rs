//! The static MiniLM table: int8 rows with a per-row scale, averaged per text and normalised.
//!
//! File format (little-endian), written by `scripts/embeddings/build_table.py`:
//! `PGEMB001`, vocab size (u32), dims (u32), vocab-size f32 row scales, vocab-size x dims i8.

use crate::wordpiece::WordPiece;
use crate::{normalize, Embedder, UnicodeTables};

const MAGIC: &[u8; 8] = b"PGEMB001";
/// The reference truncates to the model's max length.
const MAX_TOKENS: usize = 512;

/// Why a table could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableError {
    /// The file does not start with the expected magic bytes.
    NotATable,
    /// The header promises more bytes than the file has.
    Truncated { expected: usize, actual: usize },
    /// The vocabulary and the table disagree on the number of tokens.
    VocabMismatch { vocab: usize, table: usize },
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TableError::NotATable => write!(f, "not an embedding table (bad magic bytes)"),
            TableError::Truncated { expected, actual } => {
                write!(f, "embedding table truncated: expected {expected} bytes, got {actual}")
            }
            TableError::VocabMismatch { vocab, table } => {
                write!(f, "vocabulary has {vocab} tokens but the table has {table} rows")
            }
        }
    }
}

impl std::error::Error for TableError {}

/// all-MiniLM-L6-v2 distilled to a static 128-d table.
#[derive(Debug, Clone)]
pub struct StaticEmbedder {
    tokenizer: WordPiece,
    dims: usize,
    scales: Vec<f32>,
    rows: Vec<i8>,
}

impl StaticEmbedder {
    /// Load from the table bytes and the vocabulary text, with the compiled-in Unicode tables.
    pub fn from_parts(table: &[u8], vocab_text: &str) -> Result<StaticEmbedder, TableError> {
        StaticEmbedder::from_files(table, vocab_text, UnicodeTables::builtin())
    }

    /// Load from the table bytes, the vocabulary text and Unicode tables read from
    /// `unicode.bin` ([`UnicodeTables::from_bytes`]): what the page does, so that the tables are
    /// fetched with the model instead of sitting in its wasm. For the shipped files this is
    /// [`from_parts`](Self::from_parts) exactly (tested).
    pub fn from_files(
        table: &[u8],
        vocab_text: &str,
        unicode: UnicodeTables,
    ) -> Result<StaticEmbedder, TableError> {
        if table.len() < 16 || &table[..8] != MAGIC {
            return Err(TableError::NotATable);
        }
        let word = |at: usize| u32::from_le_bytes([table[at], table[at + 1], table[at + 2], table[at + 3]]);
        let (count, dims) = (word(8) as usize, word(12) as usize);
        let expected = count
            .checked_mul(dims)
            .and_then(|cells| cells.checked_add(count.checked_mul(4)?.checked_add(16)?))
            .ok_or(TableError::NotATable)?;
        if table.len() < expected {
            return Err(TableError::Truncated { expected, actual: table.len() });
        }
        let scales = table[16..16 + count * 4]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let rows = table[16 + count * 4..expected].iter().map(|&b| b as i8).collect();
        let tokenizer = WordPiece::with_unicode_tables(vocab_text, unicode);
        if tokenizer.len() != count {
            return Err(TableError::VocabMismatch { vocab: tokenizer.len(), table: count });
        }
        Ok(StaticEmbedder { tokenizer, dims, scales, rows })
    }

    /// The tokenizer (for showing tokens in the lab).
    pub fn tokenizer(&self) -> &WordPiece {
        &self.tokenizer
    }

    /// Token ids used for `text`: WordPiece ids without `[UNK]`, cut at the model's max length.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let unk = self.tokenizer.unk_id();
        let mut ids: Vec<u32> =
            self.tokenizer.encode(text).into_iter().filter(|id| Some(*id) != unk).collect();
        ids.truncate(MAX_TOKENS);
        ids
    }
}

impl Embedder for StaticEmbedder {
    fn name(&self) -> &str {
        "MiniLM-L6 static (model2vec, 128-d)"
    }

    fn dims(&self) -> usize {
        self.dims
    }

    fn embed(&self, text: &str) -> Vec<f32> {
        let mut sum = vec![0.0f32; self.dims];
        let ids = self.token_ids(text);
        for &id in &ids {
            let id = id as usize;
            let Some(row) = self.rows.get(id * self.dims..(id + 1) * self.dims) else { continue };
            let scale = self.scales.get(id).copied().unwrap_or(0.0);
            for (acc, &q) in sum.iter_mut().zip(row) {
                *acc += q as f32 * scale;
            }
        }
        normalize(&mut sum);
        sum
    }
}
