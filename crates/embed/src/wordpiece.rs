//! BERT (uncased) WordPiece tokenization, matching Hugging Face `tokenizers` for
//! all-MiniLM-L6-v2: `BertNormalizer` (clean text, spaces around CJK, lowercase, strip accents),
//! `BertPreTokenizer` (split on whitespace and punctuation), then greedy longest-match WordPiece
//! with the `##` continuation prefix and `[UNK]` for words that cannot be split or exceed
//! 100 characters.

use crate::unicode::{Class, UnicodeTables};
use std::collections::HashMap;

/// Words longer than this become `[UNK]`, as in the reference tokenizer.
const MAX_CHARS_PER_WORD: usize = 100;

/// A WordPiece tokenizer over a vocabulary.
#[derive(Debug, Clone)]
pub struct WordPiece {
    ids: HashMap<String, u32>,
    unk: Option<u32>,
    unicode: UnicodeTables,
}

impl WordPiece {
    /// Build from a vocabulary listed one token per line in id order.
    pub fn from_vocab_text(text: &str) -> WordPiece {
        WordPiece::with_unicode_tables(text, UnicodeTables::builtin())
    }

    /// Build from a vocabulary and Unicode tables loaded at run time (the page fetches them
    /// with the model, so they are not in its wasm).
    pub fn with_unicode_tables(text: &str, unicode: UnicodeTables) -> WordPiece {
        let ids: HashMap<String, u32> =
            text.lines().enumerate().map(|(i, token)| (token.to_string(), i as u32)).collect();
        let unk = ids.get("[UNK]").copied();
        WordPiece { ids, unk, unicode }
    }

    /// Number of tokens in the vocabulary.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True for an empty vocabulary.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of `[UNK]`, if the vocabulary has it.
    pub fn unk_id(&self) -> Option<u32> {
        self.unk
    }

    /// Token ids for `text`, without special tokens (`[CLS]`/`[SEP]`).
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let normalized = normalize(&self.unicode, text);
        let mut out = Vec::new();
        for word in pre_tokenize(&self.unicode, &normalized) {
            self.word_pieces(word, &mut out);
        }
        out
    }

    fn word_pieces(&self, word: &str, out: &mut Vec<u32>) {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() > MAX_CHARS_PER_WORD {
            out.extend(self.unk);
            return;
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                let from = chars[start].0;
                let to = chars.get(end).map_or(word.len(), |c| c.0);
                let piece = &word[from..to];
                let id = if start > 0 { self.ids.get(&format!("##{piece}")) } else { self.ids.get(piece) };
                if let Some(&id) = id {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => pieces.push(id),
                None => {
                    out.extend(self.unk);
                    return;
                }
            }
            start = end;
        }
        out.extend(pieces);
    }
}

/// `BertNormalizer` with clean_text, handle_chinese_chars, lowercase and accent stripping.
fn normalize(unicode: &UnicodeTables, text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || is_control(unicode, c) {
            continue;
        }
        if is_whitespace(unicode, c) {
            cleaned.push(' ');
        } else if is_chinese(c) {
            cleaned.push(' ');
            cleaned.push(c);
            cleaned.push(' ');
        } else {
            cleaned.push(c);
        }
    }
    let mut normalized = String::with_capacity(cleaned.len());
    unicode.nfd_without_marks(&cleaned, |c| normalized.extend(c.to_lowercase()));
    normalized
}

/// `BertPreTokenizer`: split on whitespace (dropped) and punctuation (kept, one char each).
fn pre_tokenize<'a>(unicode: &UnicodeTables, text: &'a str) -> Vec<&'a str> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                words.push(&text[s..i]);
            }
        } else if is_punctuation(unicode, c) {
            if let Some(s) = start.take() {
                words.push(&text[s..i]);
            }
            words.push(&text[i..i + c.len_utf8()]);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    words
}

fn is_whitespace(unicode: &UnicodeTables, c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r') || unicode.class_of(c) == Class::Space
}

/// General category Cc, Cf, Co, Cs or Cn, except tab and line breaks.
fn is_control(unicode: &UnicodeTables, c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && unicode.class_of(c) == Class::Control
}

fn is_punctuation(unicode: &UnicodeTables, c: char) -> bool {
    let ascii_punct = matches!(c as u32, 33..=47 | 58..=64 | 91..=96 | 123..=126);
    ascii_punct || unicode.class_of(c) == Class::Punctuation
}

fn is_chinese(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_punctuation_and_pieces() {
        let wp = WordPiece::from_vocab_text("[PAD]\n[UNK]\nun\n##believ\n##able\n!\nhello\n");
        assert_eq!(wp.encode("Unbelievable!"), vec![2, 3, 4, 5]);
        assert_eq!(wp.encode("HÉLLO"), vec![6]);
        assert_eq!(wp.encode("xyz"), vec![1]);
        assert_eq!(pre_tokenize(&UnicodeTables::builtin(), "a,b  c"), vec!["a", ",", "b", "c"]);
    }
}
