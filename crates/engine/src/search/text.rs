//! How RediSearch 2.10 reads text: tokens, stop words and stems in its languages.
//!
//! - Tokens: split on punctuation and spaces, ASCII letters lowercased (RediSearch folds only
//!   those: `ÉCLAIR` is indexed as `Éclair`).
//! - Stop words: RediSearch's default English list, or the index's own (`STOPWORDS n ...`, where
//!   `STOPWORDS 0` means none). They are not indexed, and a query drops them from a phrase of
//!   words (`the model` looks for `model`).
//! - Stems: a TEXT field without NOSTEM also indexes each token's Snowball stem in the
//!   document's language (English's Porter2 by default, as RediSearch's libstemmer), and a query
//!   word also matches by stem, unless VERBATIM: `cache` finds `caching` and `cached`.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// RediSearch's default stop words (`DEFAULT_STOPWORDS` in stopwords.h).
pub const DEFAULT_STOPWORDS: [&str; 33] = [
    "a", "is", "the", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "it",
    "no", "not", "of", "on", "or", "such", "that", "their", "then", "there", "these", "they", "this", "to",
    "was", "will", "with",
];

/// Words of a text value, split on punctuation and spaces, with ASCII letters lowercased.
pub fn tokenize(text: &[u8]) -> impl Iterator<Item = String> + '_ {
    tokens(text).into_iter().map(|(_, t)| t)
}

/// RediSearch's token separators (toksep.h): spaces, tabs and ASCII punctuation but `_` and `\`.
pub fn separator(c: u8) -> bool {
    b" \t,./(){}[]:;~!@#$%^&*-=+|'`\"<>?".contains(&c)
}

/// RediSearch's tokens of a text (`toksep`, then `DefaultNormalize`), with the byte offset each
/// starts at: split at separators a backslash does not escape; within a token, control bytes
/// (a newline too: `a\nb` is the token `ab`), unescaped blanks and escaping backslashes are
/// dropped and ASCII letters lowercased; tokens left empty are skipped.
pub fn tokens(text: &[u8]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = start;
        let mut escaped = false;
        while end < text.len() && (escaped || !separator(text[end])) {
            escaped = !escaped && text[end] == b'\\';
            end += 1;
        }
        let mut word = Vec::new();
        let mut escaped = false;
        for &c in &text[start..end] {
            if (matches!(c, b' ' | b'\t') && !escaped) || c < 0x20 || c == 0x7f {
            } else if c == b'\\' && !escaped {
                escaped = true;
                continue;
            } else {
                word.push(c.to_ascii_lowercase());
            }
            escaped = false;
        }
        if !word.is_empty() {
            out.push((start, String::from_utf8_lossy(&word).into_owned()));
        }
        start = end + 1;
    }
    out
}

/// Unicode lowercase (SORTBY's key for a SORTABLE text or tag). Natively std's `to_lowercase`;
/// on wasm32 the host's (see [`set_host_lowercase`]), because std's case tables were 8.5 KB of
/// the playground page's gzipped wasm and the browser has the same mapping built in. Without a
/// host function, wasm32 folds ASCII letters only.
pub fn unicode_lowercase(text: &str) -> String {
    #[cfg(not(target_arch = "wasm32"))]
    return text.to_lowercase();
    #[cfg(target_arch = "wasm32")]
    match HOST_LOWERCASE.get() {
        Some(lowercase) => lowercase(text),
        None => text.to_ascii_lowercase(),
    }
}

/// The host's Unicode lowercase, set once (the page passes JavaScript's `toLowerCase`, the same
/// full mapping as std's, final sigma included).
static HOST_LOWERCASE: OnceLock<fn(&str) -> String> = OnceLock::new();

/// Give the engine the host's Unicode lowercase; used on wasm32 only (natively std's is
/// there already). The first call wins.
pub fn set_host_lowercase(lowercase: fn(&str) -> String) {
    let _ = HOST_LOWERCASE.set(lowercase);
}

/// The stem of a lowercase token in `lang`: Snowball's, as RediSearch's libstemmer (rust-stemmers
/// for 18 languages, waken_snowball's generated modules for the other ten); Chinese, which
/// RediSearch segments rather than stems, keeps its words as they are.
pub fn stem_in(token: &str, lang: Lang) -> String {
    if let Some(a) = lang.algorithm() {
        return Stemmer::create(a).stem(token).into_owned();
    }
    match lang.snowball() {
        Some(stem) => {
            let mut env = waken_snowball::SnowballEnv::create(token);
            stem(&mut env);
            env.get_current().into_owned()
        }
        None => token.to_string(),
    }
}

/// RediSearch's languages (`__langPairs` in language.c), in its order.
pub const LANGUAGES: [&str; 29] = [
    "arabic",
    "armenian",
    "basque",
    "catalan",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hindi",
    "hungarian",
    "indonesian",
    "irish",
    "italian",
    "lithuanian",
    "nepali",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "serbian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
    "yiddish",
    "chinese",
];

/// A language of [`LANGUAGES`] (FT.CREATE / FT.SEARCH `LANGUAGE`, a document's
/// LANGUAGE_FIELD); English unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(u8);

impl Default for Lang {
    fn default() -> Lang {
        Lang::ENGLISH
    }
}

impl Lang {
    pub const ENGLISH: Lang = Lang(6);

    /// A language by name, in any case.
    pub fn parse(name: &[u8]) -> Option<Lang> {
        LANGUAGES.iter().position(|l| l.as_bytes().eq_ignore_ascii_case(name)).map(|i| Lang(i as u8))
    }

    pub fn name(self) -> &'static str {
        LANGUAGES[usize::from(self.0)]
    }

    fn algorithm(self) -> Option<Algorithm> {
        if self == Lang::ENGLISH || cfg!(feature = "english-only") {
            return (self == Lang::ENGLISH).then_some(Algorithm::English);
        }
        Some(match self.name() {
            "arabic" => Algorithm::Arabic,
            "danish" => Algorithm::Danish,
            "dutch" => Algorithm::Dutch,
            "finnish" => Algorithm::Finnish,
            "french" => Algorithm::French,
            "german" => Algorithm::German,
            "greek" => Algorithm::Greek,
            "hungarian" => Algorithm::Hungarian,
            "italian" => Algorithm::Italian,
            "norwegian" => Algorithm::Norwegian,
            "portuguese" => Algorithm::Portuguese,
            "romanian" => Algorithm::Romanian,
            "russian" => Algorithm::Russian,
            "spanish" => Algorithm::Spanish,
            "swedish" => Algorithm::Swedish,
            "tamil" => Algorithm::Tamil,
            "turkish" => Algorithm::Turkish,
            _ => return None,
        })
    }
}

impl Lang {
    /// The stemmer of a language rust-stemmers lacks (none with `english-only`).
    fn snowball(self) -> Option<fn(&mut waken_snowball::SnowballEnv<'_>) -> bool> {
        use waken_snowball::algorithms::*;
        if cfg!(feature = "english-only") {
            return None;
        }
        Some(match self.name() {
            "armenian" => armenian_stemmer::stem,
            "basque" => basque_stemmer::stem,
            "catalan" => catalan_stemmer::stem,
            "hindi" => hindi_stemmer::stem,
            "indonesian" => indonesian_stemmer::stem,
            "irish" => irish_stemmer::stem,
            "lithuanian" => lithuanian_stemmer::stem,
            "nepali" => nepali_stemmer::stem,
            "serbian" => serbian_stemmer::stem,
            "yiddish" => yiddish_stemmer::stem,
            _ => return None,
        })
    }
}

/// An index's stop words: the default list, or its own (lowercased, as RediSearch keeps them).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum StopWords {
    #[default]
    Default,
    Custom(BTreeSet<String>),
}

impl StopWords {
    pub fn contains(&self, word: &str) -> bool {
        match self {
            StopWords::Default => DEFAULT_STOPWORDS.contains(&word),
            StopWords::Custom(words) => words.contains(word),
        }
    }
}

/// A TEXT field's terms in one document: its tokens, and their stems when the field stems.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub tokens: BTreeSet<String>,
    pub stems: Option<BTreeSet<String>>,
    /// The tokens in text order (stop words take no place: `model of the world` has `model`
    /// right before `world`), for phrases.
    pub sequence: Vec<String>,
    /// The language the stems are in (the document's).
    pub lang: Lang,
}

impl Terms {
    /// The terms of `raw`, leaving out stop words.
    pub fn of(raw: &[u8], stop: &StopWords, stemmed: bool, lang: Lang) -> Terms {
        let sequence: Vec<String> = tokenize(raw).filter(|t| !stop.contains(t)).collect();
        let tokens: BTreeSet<String> = sequence.iter().cloned().collect();
        let stems = stemmed.then(|| tokens.iter().map(|t| stem_in(t, lang)).collect());
        Terms { tokens, stems, sequence, lang }
    }

    /// Add `~id` for each synonym group of each token (RediSearch indexes them as terms).
    pub fn add_synonyms(&mut self, synonyms: &indexmap::IndexMap<String, Vec<String>>) {
        if synonyms.is_empty() {
            return;
        }
        let groups: Vec<String> =
            self.tokens.iter().filter_map(|t| synonyms.get(t)).flatten().map(|g| format!("~{g}")).collect();
        self.tokens.extend(groups);
    }

    /// Does a query word find this document? The word itself, or (unless `verbatim`) any token
    /// with the same stem, or the word's stem as a token: RediSearch expands `models` to
    /// `models`, `model` and the stemmed `+model`.
    pub fn matches(&self, word: &str, word_stem: Option<&str>) -> bool {
        if self.tokens.contains(word) {
            return true;
        }
        let Some(s) = word_stem else { return false };
        self.tokens.contains(s) || self.stems.as_ref().is_some_and(|stems| stems.contains(s))
    }

    /// Add the `<code`s of a PHONETIC field's tokens (see [`super::phonetic::codes`]).
    pub fn add_phonetics(&mut self, min: usize) {
        self.tokens.extend(super::phonetic::codes(&self.sequence, min).into_iter().flatten());
    }

    /// Do these exact words stand next to each other, in this order?
    /// True when a term of the text (a token, or a token's stem where stems are indexed)
    /// satisfies `test`.
    pub fn any_term(&self, test: impl Fn(&str) -> bool) -> bool {
        self.tokens.iter().any(|t| test(t)) || self.stems.iter().flatten().any(|s| test(s))
    }

    pub fn has_phrase(&self, words: &[String]) -> bool {
        !words.is_empty() && self.sequence.windows(words.len()).any(|w| w == words)
    }

    /// The terms RediSearch keeps in its inverted index for this field: each token, and
    /// `+stem` for a token whose stem differs from it (FT.INFO's `num_terms`).
    pub fn index_terms(&self) -> impl Iterator<Item = String> + '_ {
        let stemmed = self.stems.is_some();
        self.tokens.iter().flat_map(move |t| {
            // Tokens under 4 bytes are not stemmed (RediSearch's minStemLength).
            let s = if stemmed && t.len() >= 4 {
                Some(stem_in(t, self.lang)).filter(|s| s != t).map(|s| format!("+{s}"))
            } else {
                None
            };
            std::iter::once(t.clone()).chain(s)
        })
    }
}
