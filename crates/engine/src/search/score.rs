//! FT.SEARCH's scores, as RediSearch 2.10 computes them (src/ext/default.c): each document's
//! forward index (term frequencies weighted by field, positions, length), the result tree its
//! iterators would yield for the query, and the scorers over that tree (TFIDF, the default;
//! TFIDF.DOCNORM, BM25, BM25STD, DISMAX, DOCSCORE, HAMMING), with their float and integer
//! arithmetic kept as the C code has it, since replies print every digit.

use super::index::{Doc, Index, Kind};
use super::query::Node;
use super::text::Terms;
use crate::frame::Frame;
use std::cell::RefCell;
use std::collections::HashMap;

/// One term of a document: frequency (summed over fields, by field weight), the fields it is
/// in (bit per schema position), and its positions.
#[derive(Debug, Clone, Default)]
pub struct DocTerm {
    pub freq: u32,
    pub mask: u64,
    pub pos: Vec<u32>,
}

/// A document's forward index: its terms (tokens and `+stem`s), its length (the weighted count
/// of its tokens) and its largest term frequency.
#[derive(Debug, Clone, Default)]
pub struct Forward {
    pub terms: HashMap<String, DocTerm>,
    pub len: u32,
    pub max_freq: u32,
}

/// Tokens shorter than this are not stemmed when indexed (RediSearch's `minStemLength`).
const MIN_STEM_LENGTH: usize = 4;

impl Forward {
    /// Built as RediSearch's tokenizer feeds it: TEXT fields in schema order, positions counted
    /// over the whole document (stop words take none); a token adds `max(1, weight)` to its
    /// term and to the length, its stem `max(1, weight * 0.2)`.
    /// Each vector the document has (`vector(attribute)`) adds one to its largest frequency.
    /// A token in synonym groups adds as much to each `~group` term (not to the length).
    /// A PHONETIC field's token adds its `<code` as much (see [`super::phonetic::codes`]).
    pub fn of(
        idx: &super::index::Index,
        words: &HashMap<String, Terms>,
        vector: impl Fn(&str) -> bool,
    ) -> Forward {
        let (fields, synonyms) = (&idx.fields, &idx.synonyms);
        let mut fwd = Forward::default();
        let mut pos = 0u32;
        for (i, field) in fields.iter().enumerate() {
            if matches!(field.kind, Kind::Vector(_)) && vector(&field.attribute) {
                fwd.max_freq = fwd.max_freq.wrapping_add(1);
            }
            let (Kind::Text { weight, .. }, Some(terms)) = (&field.kind, words.get(&field.attribute)) else {
                continue;
            };
            let score = *weight as f32;
            let raw = (score as u32).max(1);
            let stemmed = ((f64::from(score) * 0.2) as f32 as u32).max(1);
            let bit = 1u64.checked_shl(i as u32).unwrap_or(0);
            let codes =
                super::phonetic::codes(if field.phonetic { &terms.sequence } else { &[] }, idx.phonetic_min);
            for (i, token) in terms.sequence.iter().enumerate() {
                pos = pos.wrapping_add(1);
                fwd.add(token.clone(), raw, bit, pos);
                fwd.len = fwd.len.wrapping_add(raw);
                if terms.stems.is_some() && token.len() >= MIN_STEM_LENGTH {
                    let s = super::text::stem_in(token, terms.lang);
                    if s != *token {
                        fwd.add(format!("+{s}"), stemmed, bit, pos);
                    }
                }
                for g in synonyms.get(token).into_iter().flatten() {
                    fwd.add(format!("~{g}"), raw, bit, pos);
                }
                if let Some(Some(code)) = codes.get(i) {
                    fwd.add(code.clone(), raw, bit, pos);
                }
            }
        }
        fwd
    }

    fn add(&mut self, term: String, inc: u32, bit: u64, pos: u32) {
        let t = self.terms.entry(term).or_default();
        t.freq = t.freq.wrapping_add(inc);
        t.mask |= bit;
        t.pos.push(pos);
        self.max_freq = self.max_freq.max(t.freq);
    }
}

/// A scoring function (FT.SEARCH `SCORER name`; names as RediSearch registers them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scorer {
    #[default]
    Tfidf,
    TfidfDocNorm,
    Bm25,
    Bm25Std,
    Dismax,
    DocScore,
    Hamming,
}

impl Scorer {
    pub fn parse(name: &[u8]) -> Option<Scorer> {
        Some(match name {
            b"TFIDF" => Scorer::Tfidf,
            b"TFIDF.DOCNORM" => Scorer::TfidfDocNorm,
            b"BM25" => Scorer::Bm25,
            b"BM25STD" => Scorer::Bm25Std,
            b"DISMAX" => Scorer::Dismax,
            b"DOCSCORE" => Scorer::DocScore,
            b"HAMMING" => Scorer::Hamming,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Term { idf: f64, bm25_idf: f64 },
    Virtual,
    Numeric,
    Union,
    Inter,
}

/// One index result as RediSearch's iterators yield it for a document.
#[derive(Debug, Clone)]
struct Res {
    ty: Ty,
    freq: u32,
    weight: f64,
    /// Positions; None for results without offsets.
    offsets: Option<Vec<u32>>,
    children: Vec<Res>,
    /// A term result's term (EXPLAINSCORE names it).
    term: String,
}

impl Res {
    fn leaf(ty: Ty, freq: u32, weight: f64) -> Res {
        Res { ty, freq, weight, offsets: None, children: Vec::new(), term: String::new() }
    }

    /// An aggregate: its frequency sums its children's; it has offsets (all of its children's,
    /// merged) unless its children are all virtual or all numeric.
    fn agg(ty: Ty, children: Vec<Res>) -> Res {
        let freq = children.iter().fold(0u32, |a, c| a.wrapping_add(c.freq));
        let all = |t: Ty| children.iter().all(|c| c.ty == t);
        let offsets = (!all(Ty::Virtual) && !all(Ty::Numeric)).then(|| {
            let mut v: Vec<u32> = children.iter().flat_map(|c| c.offsets.iter().flatten().copied()).collect();
            v.sort_unstable();
            v
        });
        Res { ty, freq, weight: 1.0, offsets, children, term: String::new() }
    }

    fn is_agg(&self) -> bool {
        matches!(self.ty, Ty::Union | Ty::Inter)
    }
}

/// RediSearch's `IndexResult_MinOffsetDelta`, int arithmetic and all: the root-sum-square of
/// the closest distances between consecutive children's positions (a child with no positions
/// reads as past the end), or one less than the children when that is 0.
fn slop(r: &Res) -> i32 {
    const EOF: u32 = u32::MAX;
    if !r.is_agg() || r.children.len() <= 1 {
        return 1;
    }
    let with: Vec<&Vec<u32>> = r.children.iter().filter_map(|c| c.offsets.as_ref()).collect();
    let mut dist = 0i32;
    for pair in with.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (mut i, mut j) = (0, 0);
        let at = |v: &Vec<u32>, k: usize| v.get(k).copied().unwrap_or(EOF);
        let (mut p1, mut p2) = (at(a, 0), at(b, 0));
        let mut cd = p2.abs_diff(p1) as i32;
        while cd > 1 && p1 != EOF && p2 != EOF {
            cd = p2.abs_diff(p1).min(cd as u32) as i32;
            if p2 > p1 {
                i += 1;
                p1 = at(a, i);
            } else {
                j += 1;
                p2 = at(b, j);
            }
        }
        dist = dist.wrapping_add(cd.wrapping_mul(cd));
    }
    match dist {
        0 => r.children.len() as i32 - 1,
        d if d < 0 => i32::MIN,
        d => f64::from(d).sqrt() as i32,
    }
}

/// What the scorers know of the index.
struct Stats {
    num_docs: usize,
    avg_len: f64,
}

const B: f32 = 0.5;
const K1: f32 = 1.2;

fn tfidf(r: &Res) -> f64 {
    match r.ty {
        Ty::Term { idf, .. } => r.weight * f64::from(r.freq) * idf,
        Ty::Union | Ty::Inter => r.weight * r.children.iter().fold(0.0, |a, c| a + tfidf(c)),
        _ => r.weight * f64::from(r.freq),
    }
}

fn bm25(r: &Res, avg: f64) -> f64 {
    let f = f64::from(r.freq);
    let norm = f64::from(K1) * (f64::from(1.0f32 - B) + f64::from(B) * avg);
    match r.ty {
        Ty::Term { idf, .. } => idf * f / (f + norm),
        Ty::Union | Ty::Inter => r.children.iter().fold(0.0, |a, c| a + bm25(c, avg)) * r.weight,
        _ if r.freq != 0 => r.weight * f / (f + norm),
        _ => 0.0,
    }
}

fn bm25_std_term(idf: f64, f: f64, len: u32, avg: f64) -> f64 {
    let norm = f64::from(1.0f32 - B) + f64::from(B * len as f32) / avg;
    idf * f * f64::from(K1 + 1.0) / (f + f64::from(K1) * norm)
}

fn bm25_std(r: &Res, len: u32, avg: f64) -> f64 {
    match r.ty {
        Ty::Term { bm25_idf, .. } => bm25_std_term(bm25_idf, f64::from(r.freq), len, avg),
        Ty::Union | Ty::Inter => r.children.iter().fold(0.0, |a, c| a + bm25_std(c, len, avg)) * r.weight,
        Ty::Virtual if r.freq != 0 && r.weight != 0.0 => r.weight * bm25_std_term(1.0, 1.0, len, avg),
        _ => 0.0,
    }
}

fn dismax(r: &Res) -> f64 {
    let ret = match r.ty {
        Ty::Inter => r.children.iter().fold(0.0, |a, c| a + dismax(c)),
        Ty::Union => r.children.iter().fold(0.0, |a: f64, c| a.max(dismax(c))),
        _ => f64::from(r.freq),
    };
    r.weight * ret
}

/// `logb`: the binary exponent of `x` (TFIDF's IDF rounds down to a power of two).
fn logb(x: f64) -> f64 {
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if !x.is_finite() {
        return x.abs();
    }
    let exp = ((x.to_bits() >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // Subnormal: never reached by the ratios here, but keep it defined.
        return x.abs().log2().floor();
    }
    (exp - 1023) as f64
}

/// Builds each document's result tree for one query, with the per-term document counts (the
/// IDFs) computed once.
pub struct Scoring<'a> {
    idx: &'a Index,
    scorer: Scorer,
    /// VERBATIM, or inside a `~` or `-` clause, whose words RediSearch does not expand.
    verbatim: std::cell::Cell<bool>,
    keep_stopwords: bool,
    /// The language query words are stemmed in.
    lang: super::text::Lang,
    stats: Stats,
    counts: RefCell<HashMap<(u8, String, String), usize>>,
    /// Under a KNN, a word's expansions stop at the first one the document has (measured).
    quick: std::cell::Cell<bool>,
    /// The `$phonetic` attribute of the word being expanded.
    phonetic: std::cell::Cell<Option<bool>>,
}

impl<'a> Scoring<'a> {
    pub(super) fn new(idx: &'a Index, scorer: Scorer, how: super::commands::Matching) -> Scoring<'a> {
        let num_docs = idx.docs.len();
        let total: u64 = idx.docs.values().map(|d| u64::from(d.fwd.len)).sum();
        let avg_len = if num_docs == 0 { 0.0 } else { total as f64 / num_docs as f64 };
        Scoring {
            idx,
            scorer,
            verbatim: std::cell::Cell::new(how.verbatim),
            keep_stopwords: how.keep_stopwords,
            lang: how.lang.unwrap_or(idx.language),
            stats: Stats { num_docs, avg_len },
            counts: RefCell::new(HashMap::new()),
            quick: std::cell::Cell::new(false),
            phonetic: std::cell::Cell::new(None),
        }
    }

    /// The score of `doc` for the query `node` (the doc is one the query matched). Under a KNN
    /// (`knn`), the vector's own result adds nothing and the root has no slop; a pure KNN
    /// (`*` filter) scores only its document score.
    pub fn score(&self, node: &Node, doc: &Doc, knn: bool) -> f64 {
        self.scored(node, doc, knn, false).0
    }

    /// The score and, when `explain`, EXPLAINSCORE's tree of how it was reached.
    pub fn scored(&self, node: &Node, doc: &Doc, knn: bool, explain: bool) -> (f64, Option<Frame>) {
        self.quick.set(knn);
        let r = match node {
            Node::All if knn => None,
            _ => self.res(node, doc),
        };
        let r = r.unwrap_or_else(|| Res::leaf(Ty::Virtual, 0, 0.0));
        let r = if knn { Res::agg(Ty::Union, vec![Res::leaf(Ty::Virtual, 0, 1.0), r]) } else { r };
        let value = self.value(&r, doc, knn);
        (value, explain.then(|| self.explain(&r, doc, knn, value)))
    }

    /// The query's terms in `doc` as the highlighter reads them from the result's offset
    /// iterator: (position, term id, IDF), by position, ties in the order of the result's
    /// leaves.
    pub(super) fn offsets(&self, node: &Node, doc: &Doc) -> Vec<(u32, usize, f32)> {
        fn walk(r: &Res, out: &mut Vec<(u32, usize, f32)>, id: &mut usize) {
            if let Ty::Term { idf, .. } = r.ty {
                out.extend(r.offsets.iter().flatten().map(|&p| (p, *id, idf as f32)));
                *id += 1;
            }
            r.children.iter().for_each(|c| walk(c, out, id));
        }
        self.quick.set(false);
        let mut out = Vec::new();
        if let Some(r) = self.res(node, doc) {
            walk(&r, &mut out, &mut 0);
        }
        crate::order::sort_by_key(&mut out, |h| h.0);
        out
    }

    fn value(&self, r: &Res, doc: &Doc, knn: bool) -> f64 {
        let fwd = &doc.fwd;
        if knn && self.scorer == Scorer::Dismax {
            return dismax(&r.children[1]);
        }
        match self.scorer {
            Scorer::Tfidf | Scorer::TfidfDocNorm => {
                let norm = if self.scorer == Scorer::Tfidf { fwd.max_freq } else { fwd.len };
                tfidf(r) / f64::from(norm) / f64::from(slop(r))
            }
            Scorer::Bm25 => bm25(r, self.stats.avg_len) / f64::from(slop(r)),
            Scorer::Bm25Std => bm25_std(r, fwd.len, self.stats.avg_len),
            Scorer::Dismax => dismax(r),
            Scorer::DocScore => 1.0,
            Scorer::Hamming => 0.0,
        }
    }

    /// EXPLAINSCORE's tree, in RediSearch's words (src/ext/default.c): a line per result, an
    /// aggregate's line with its children's, under the scorer's final line.
    fn explain(&self, r: &Res, doc: &Doc, knn: bool, value: f64) -> Frame {
        let (len, avg) = (doc.fwd.len, self.stats.avg_len);
        let node = |line: String, kids: Vec<Frame>| match kids.is_empty() {
            true => Frame::Simple(line),
            false => Frame::Array(vec![Frame::Simple(line), Frame::Array(kids)]),
        };
        let wrap =
            |line: String, inner: Frame| Frame::Array(vec![Frame::Simple(line), Frame::Array(vec![inner])]);
        fn walk(s: Scorer, r: &Res, len: u32, avg: f64, node: &dyn Fn(String, Vec<Frame>) -> Frame) -> Frame {
            let kids = || r.children.iter().map(|c| walk(s, c, len, avg, node)).collect::<Vec<_>>();
            let (w, f) = (r.weight, r.freq);
            let agg = r.is_agg();
            match s {
                Scorer::Tfidf | Scorer::TfidfDocNorm => match r.ty {
                    Ty::Term { idf, .. } => {
                        node(format!("(TFIDF {:.2} = Weight {w:.2} * TF {f} * IDF {idf:.2})", tfidf(r)), vec![])
                    }
                    _ if agg => {
                        let sum = r.children.iter().fold(0.0, |a, c| a + tfidf(c));
                        node(format!("(Weight {w:.2} * total children TFIDF {sum:.2})"), kids())
                    }
                    _ => node(format!("(TFIDF {:.2} = Weight {w:.2} * Frequency {f})", w * f64::from(f)), vec![]),
                },
                Scorer::Bm25 => match r.ty {
                    Ty::Term { idf, .. } => node(
                        format!("({:.2} = IDF {idf:.2} * F {f} / (F {f} + k1 1.2 * (1 - b 0.5 + b 0.5 * Average Len {avg:.2})))", bm25(r, avg)),
                        vec![],
                    ),
                    _ if agg => {
                        let sum = r.children.iter().fold(0.0, |a, c| a + bm25(c, avg));
                        node(format!("(Weight {w:.2} * children BM25 {sum:.2})"), kids())
                    }
                    _ if f != 0 => node(
                        format!("({:.2} = Weight {w:.2} * F {f} / (F {f} + k1 1.2 * (1 - b 0.5 + b 0.5 * Average Len {avg:.2})))", bm25(r, avg)),
                        vec![],
                    ),
                    _ => node("Frequency 0 -> value 0".into(), vec![]),
                },
                Scorer::Bm25Std => {
                    let line = |term: &str, idf: f64, f: f64, v: f64| {
                        format!("{term}: ({v:.2} = IDF {idf:.2} * (F {f:.2} * (k1 1.2 + 1)) / (F {f:.2} + k1 1.2 * (1 - b 0.5 + b 0.5 * Doc Len {len} / Average Doc Len {avg:.2})))")
                    };
                    match r.ty {
                        Ty::Term { bm25_idf, .. } => {
                            node(line(&r.term, bm25_idf, f64::from(f), bm25_std(r, len, avg)), vec![])
                        }
                        _ if agg => {
                            let sum = r.children.iter().fold(0.0, |a, c| a + bm25_std(c, len, avg));
                            node(format!("(Weight {w:.2} * children BM25 {sum:.2})"), kids())
                        }
                        Ty::Virtual if f != 0 && w != 0.0 => {
                            node(line("*", 1.0, 1.0, bm25_std_term(1.0, 1.0, len, avg)), vec![])
                        }
                        _ => node("Irrelevant token -> score is 0".into(), vec![]),
                    }
                }
                _ => match r.ty {
                    Ty::Union | Ty::Inter => {
                        let d = dismax(r);
                        node(format!("{d:.2} = Weight {w:.2} * children DISMAX {:.2}", d / w), kids())
                    }
                    _ => node(format!("DISMAX {:.2} = Weight {w:.2} * Frequency {f}", w * f64::from(f)), vec![]),
                },
            }
        }
        let tree = || walk(self.scorer, r, len, avg, &node);
        match self.scorer {
            Scorer::Tfidf | Scorer::TfidfDocNorm => {
                let norm = if self.scorer == Scorer::Tfidf { doc.fwd.max_freq } else { doc.fwd.len };
                let line = format!(
                    "Final TFIDF : words TFIDF {:.2} * document score 1.00 / norm {norm} / slop {}",
                    tfidf(r),
                    slop(r)
                );
                wrap(line, tree())
            }
            Scorer::Bm25 => wrap(
                format!(
                    "Final BM25 : words BM25 {:.2} * document score 1.00 / slop {}",
                    bm25(r, avg),
                    slop(r)
                ),
                tree(),
            ),
            Scorer::Bm25Std => {
                wrap(format!("Final BM25 : words BM25 {value:.2} * document score 1.00"), tree())
            }
            Scorer::Dismax if knn => walk(self.scorer, &r.children[1], len, avg, &node),
            Scorer::Dismax => tree(),
            Scorer::DocScore => Frame::Simple("Document's score is 1.00".into()),
            Scorer::Hamming => Frame::Simple("Payloads provided to scorer vary in length".into()),
        }
    }

    /// How many documents hold `term` (kind 0: a text term; 1: a tag value of field `field`).
    fn count(&self, kind: u8, field: &str, term: &str) -> usize {
        let key = (kind, field.to_string(), term.to_string());
        if let Some(&n) = self.counts.borrow().get(&key) {
            return n;
        }
        let n = self
            .idx
            .docs
            .values()
            .filter(|d| match kind {
                0 => d.fwd.terms.contains_key(term),
                _ => d.tags.get(field).is_some_and(|t| t.iter().any(|x| x == term)),
            })
            .count();
        self.counts.borrow_mut().insert(key, n);
        n
    }

    /// A term result of `n` documents' term, with both IDFs as RediSearch computes them.
    fn term(&self, t: &str, n: usize, freq: u32, offsets: Option<Vec<u32>>) -> Res {
        let size = self.stats.num_docs + 1;
        let idf = logb(1.0 + size as f64 / if n == 0 { 1.0 } else { n as f64 });
        let total = self.stats.num_docs;
        let ratio = (total.wrapping_sub(n) as f32 + 0.5) / (n as f32 + 0.5);
        let bm25_idf = f64::from(1.0f32 + ratio).ln();
        Res { offsets, term: t.to_string(), ..Res::leaf(Ty::Term { idf, bm25_idf }, freq, 1.0) }
    }

    /// The field bit of `field` (all fields when None).
    fn mask(&self, field: Option<&str>) -> u64 {
        self.idx.mask_of(field)
    }

    /// The text term `t` of `doc` within `mask`, as a term result.
    fn text_term(&self, doc: &Doc, t: &str, mask: u64) -> Option<Res> {
        let dt = doc.fwd.terms.get(t).filter(|dt| dt.mask & mask != 0)?;
        Some(self.term(t, self.count(0, "", t), dt.freq, Some(dt.pos.clone())))
    }

    /// An estimate of how many documents a clause finds, by which RediSearch orders the
    /// children of an intersection (smallest first; a nested intersection counts 0).
    fn estimate(&self, node: &Node) -> usize {
        match node {
            Node::Word { word, field } => {
                self.expansions(word, field.as_deref()).iter().map(|t| self.count(0, "", t)).sum()
            }
            Node::Tag { field, values } => {
                values.iter().map(|v| self.count(1, field, &self.tag(field, v))).sum()
            }
            Node::Phrase { .. } | Node::And(_) => 0,
            Node::Or(parts) => parts.iter().map(|p| self.estimate(p)).sum(),
            Node::Numeric { field, lo, hi, .. } => self
                .idx
                .docs
                .values()
                .filter(|d| d.numbers.get(field).is_some_and(|n| n >= lo && n <= hi))
                .count(),
            _ => self.idx.max_doc_id as usize,
        }
    }

    fn tag(&self, field: &str, v: &str) -> String {
        let sensitive =
            matches!(self.idx.field(field).map(|f| &f.kind), Some(Kind::Tag { case_sensitive: true, .. }));
        if sensitive {
            v.to_string()
        } else {
            v.to_ascii_lowercase()
        }
    }

    /// A query word's terms: itself, then (unless VERBATIM) its synonym groups, its phonetic
    /// code, `+stem` and the stem when it differs.
    fn expansions(&self, word: &str, field: Option<&str>) -> Vec<String> {
        let mut out = vec![word.to_string()];
        if !self.verbatim.get() {
            out.extend(self.idx.synonym_terms(word));
            out.extend(self.idx.phonetic_term(word, field, self.phonetic.get()).ok().flatten());
            let s = super::text::stem_in(word, self.lang);
            out.push(format!("+{s}"));
            if s != word {
                out.push(s);
            }
        }
        out
    }

    fn stopword(&self, node: &Node) -> bool {
        match node {
            Node::Word { word, .. } => !self.keep_stopwords && self.idx.stopwords.contains(word),
            Node::Not(inner) | Node::Optional(inner) => self.stopword(inner),
            _ => false,
        }
    }

    /// The result `node`'s iterator yields for `doc` (None: it has none for this document).
    fn res(&self, node: &Node, doc: &Doc) -> Option<Res> {
        if self.stopword(node) {
            return None;
        }
        let union = |children: Vec<Res>| (!children.is_empty()).then(|| Res::agg(Ty::Union, children));
        match node {
            Node::All => Some(Res::leaf(Ty::Virtual, 1, 1.0)),
            Node::Word { field, word } => {
                let mask = self.mask(field.as_deref());
                let expansions = self.expansions(word, field.as_deref());
                let mut terms: Vec<Res> =
                    expansions.iter().filter_map(|t| self.text_term(doc, t, mask)).collect();
                if self.quick.get() {
                    terms.truncate(1);
                }
                // A word the index has one term for is that term's iterator, not a union.
                if expansions.iter().filter(|t| self.count(0, "", t) > 0).count() == 1 {
                    return terms.pop();
                }
                union(terms)
            }
            // A prefix, suffix or infix stops at its first term (in term order) the document has.
            Node::Prefix { field, prefix: a }
            | Node::Suffix { field, suffix: a }
            | Node::Contains { field, infix: a } => {
                let mask = self.mask(field.as_deref());
                let hit = |t: &str| match node {
                    Node::Prefix { .. } => t.starts_with(a.as_str()),
                    Node::Suffix { .. } => t.ends_with(a.as_str()),
                    _ => t.contains(a.as_str()),
                };
                let first = doc
                    .fwd
                    .terms
                    .iter()
                    .filter(|(t, dt)| dt.mask & mask != 0 && !t.starts_with('+') && hit(t))
                    .map(|(t, _)| t)
                    .min()?;
                union(vec![self.text_term(doc, first, mask)?])
            }
            Node::Phrase { field, words } => {
                let mask = self.mask(field.as_deref());
                let children: Option<Vec<Res>> =
                    words.iter().map(|(_, w)| self.text_term(doc, &w.to_ascii_lowercase(), mask)).collect();
                let mut children = children?;
                if children.len() == 1 {
                    return children.pop();
                }
                Some(Res::agg(Ty::Inter, children))
            }
            Node::Tag { field, values } => {
                let mut children = Vec::new();
                for v in values {
                    let t = self.tag(field, v);
                    if doc.tags.get(field).is_some_and(|tags| tags.contains(&t)) {
                        children.push(self.term(&t, self.count(1, field, &t), 1, None));
                    }
                }
                if values.len() == 1 {
                    return children.pop();
                }
                union(children)
            }
            // A geo filter is a numeric range of geohash scores in RediSearch.
            Node::Numeric { .. } | Node::Geo { .. } => Some(Res::leaf(Ty::Numeric, 1, 1.0)),
            // The shape index's results are virtual, of no weight nor frequency.
            Node::GeoShape { .. } => Some(Res::leaf(Ty::Virtual, 0, 0.0)),
            // A fuzzy word: a union of the document's terms within reach, as RediSearch's.
            Node::Fuzzy { field, word, dist } => {
                let mask = self.mask(field.as_deref());
                let q: Vec<char> = word.chars().collect();
                let near = |t: &str| {
                    super::fuzzy::filter(&q, &t.chars().collect::<Vec<_>>(), *dist, false).is_some()
                };
                let mut terms: Vec<&String> = doc
                    .fwd
                    .terms
                    .iter()
                    .filter(|(t, dt)| dt.mask & mask != 0 && near(t))
                    .map(|(t, _)| t)
                    .collect();
                terms.sort();
                union(terms.into_iter().filter_map(|t| self.text_term(doc, t, mask)).collect())
            }
            Node::Missing { .. } | Node::Empty { .. } => Some(Res::leaf(Ty::Virtual, 1, 1.0)),
            // A vector range yields a metric result, of frequency 0.
            Node::Range { .. } => Some(Res::leaf(Ty::Virtual, 0, 1.0)),
            Node::Not(_) => Some(Res::leaf(Ty::Virtual, 0, 1.0)),
            Node::Scoped { node, .. } => self.res(node, doc),
            // `$weight` weighs the word's own term (not its expansions), or a whole clause.
            Node::Attr { node, weight, phonetic, .. } => {
                let outer = self.phonetic.replace(*phonetic);
                let r = self.res(node, doc);
                self.phonetic.set(outer);
                let mut r = r?;
                if let (Some(w), Node::Word { word, .. }) = (weight, &**node) {
                    if r.term == *word {
                        r.weight = *w;
                    }
                    for c in r.children.iter_mut().filter(|c| c.term == *word) {
                        c.weight = *w;
                    }
                } else if let Some(w) = weight {
                    r.weight = *w;
                }
                Some(r)
            }
            // RediSearch's expander does not descend into optional clauses: their words count
            // as typed (`~cache` does not rank a document for `caching`).
            Node::Optional(inner) => {
                let outer = self.verbatim.replace(true);
                let res = self.res(inner, doc);
                self.verbatim.set(outer);
                Some(res.unwrap_or_else(|| Res::leaf(Ty::Virtual, 1, 0.0)))
            }
            Node::And(parts) => {
                let mut kids: Vec<(usize, Res)> = Vec::new();
                for p in parts.iter().filter(|p| !self.stopword(p)) {
                    kids.push((self.estimate(p), self.res(p, doc)?));
                }
                crate::order::sort_by_key(&mut kids, |k| k.0);
                let mut children: Vec<Res> = kids.into_iter().map(|k| k.1).collect();
                match children.len() {
                    0 => None,
                    1 => children.pop(),
                    _ => Some(Res::agg(Ty::Inter, children)),
                }
            }
            Node::Or(parts) => union(parts.iter().filter_map(|p| self.res(p, doc)).collect()),
        }
    }
}
