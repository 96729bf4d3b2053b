//! An FT.SUGADD suggestion dictionary (RediSearch's `trietype0` module type): strings with a
//! float score and an optional payload, looked up by prefix (FT.SUGGET) with the scores
//! RediSearch's `Trie_Search` gives (trie_type.c): an exact match scores INT_MAX, a fuzzy
//! match loses `e^-2d`, every match is divided by `sqrt(1 + length difference)`, all in C
//! `float`.

use bytes::Bytes;
use std::collections::BTreeMap;

/// A suggestion's score and payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub score: f32,
    pub payload: Option<Bytes>,
}

/// The dictionary, by string (its characters, as given; lookups fold the query's case only).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Suggestions {
    pub entries: BTreeMap<String, Entry>,
}

/// RediSearch keeps strings of up to 255 characters (`TRIE_INITIAL_STRING_LEN`).
const MAX_LEN: usize = 256;

/// One FT.SUGGET answer row.
pub struct Found<'a> {
    pub text: &'a str,
    pub score: f32,
    pub payload: Option<&'a Bytes>,
}

impl Suggestions {
    /// `Trie_Insert`: true when the string is new. A zero score or an empty or overlong string
    /// is not inserted.
    pub fn add(&mut self, text: &[u8], score: f32, incr: bool, payload: Option<Bytes>) -> bool {
        let text = String::from_utf8_lossy(text).into_owned();
        if score == 0.0 || text.is_empty() || text.len() > MAX_LEN * 4 || text.chars().count() >= MAX_LEN {
            return false;
        }
        let payload = payload.filter(|p| !p.is_empty());
        match self.entries.get_mut(&text) {
            Some(e) => {
                e.score = if incr { e.score + score } else { score };
                if payload.is_some() {
                    e.payload = payload;
                }
                false
            }
            None => {
                self.entries.insert(text, Entry { score, payload });
                true
            }
        }
    }

    pub fn remove(&mut self, text: &[u8]) -> bool {
        self.entries.remove(String::from_utf8_lossy(text).as_ref()).is_some()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `Trie_Search` in prefix mode: the best `num` matches of `query` (already folded to
    /// lowercase; `query_bytes` is its length in bytes, which RediSearch compares with the
    /// candidates' length in characters), best first; `trim` drops those under a tenth of
    /// the best.
    pub fn search(
        &self,
        query: &str,
        query_bytes: usize,
        num: usize,
        max_dist: usize,
        trim: bool,
    ) -> Vec<Found<'_>> {
        let q: Vec<char> = query.chars().collect();
        let mut found: Vec<Found> = Vec::new();
        for (text, e) in &self.entries {
            let cand: Vec<char> = text.chars().collect();
            let Some(dist) = crate::search::fuzzy::filter(&q, &cand, max_dist, true) else { continue };
            let mut score = if cand == q { i32::MAX as f32 } else { e.score };
            if max_dist > 0 {
                score = (f64::from(score) * (-2.0 * dist as f64).exp()) as f32;
            }
            score = (f64::from(score) / (1.0 + cand.len().abs_diff(query_bytes) as f64).sqrt()) as f32;
            found.push(Found { text, score, payload: e.payload.as_ref() });
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        found.truncate(num);
        if trim {
            let mut best = 0.0f32;
            let keep = found
                .iter()
                .position(|f| {
                    let cut = best != 0.0 && f.score < best / 10.0;
                    best = best.max(f.score);
                    cut
                })
                .unwrap_or(found.len());
            found.truncate(keep);
        }
        found
    }

    /// The bytes it takes (for MEMORY USAGE): each string, its score and payload.
    pub fn mem_bytes(&self) -> usize {
        self.entries.iter().map(|(t, e)| 48 + t.len() * 4 + e.payload.as_ref().map_or(0, |p| p.len())).sum()
    }

    /// A self-contained form for DUMP and saved snapshots: per entry, its string, its score's
    /// bits and its payload, each length-prefixed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut put = |b: &[u8]| {
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        };
        for (t, e) in &self.entries {
            put(t.as_bytes());
            put(&e.score.to_bits().to_le_bytes());
            put(e.payload.as_deref().unwrap_or(&[]));
        }
        out
    }

    pub fn from_bytes(mut b: &[u8]) -> Option<Suggestions> {
        let mut take = || -> Option<Vec<u8>> {
            let n = u32::from_le_bytes(b.get(..4)?.try_into().ok()?) as usize;
            let v = b.get(4..4 + n)?.to_vec();
            b = &b[4 + n..];
            Some(v)
        };
        let mut s = Suggestions::default();
        while let Some(text) = take() {
            let score = f32::from_bits(u32::from_le_bytes(take()?.try_into().ok()?));
            let payload = Some(Bytes::from(take()?)).filter(|p| !p.is_empty());
            s.entries.insert(String::from_utf8(text).ok()?, Entry { score, payload });
        }
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_form_round_trips() {
        let mut s = Suggestions::default();
        assert!(s.add(b"hello world", 3.0, false, None));
        assert!(s.add("Éclair".as_bytes(), 1.5, false, Some(Bytes::from_static(b"p"))));
        assert!(!s.add(b"hello world", 2.0, true, None));
        assert!(!s.add(b"zero", 0.0, false, None));
        assert_eq!(Suggestions::from_bytes(&s.to_bytes()), Some(s.clone()));
        let found = s.search("hel", 3, 5, 0, false);
        assert_eq!((found[0].text, found[0].score), ("hello world", (5.0f64 / 9f64.sqrt()) as f32));
    }
}
