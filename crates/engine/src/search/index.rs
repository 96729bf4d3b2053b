//! One FT index: its schema, its documents (by doc id, in indexing order) and a vector index per
//! VECTOR field. Documents are re-indexed whole when their hash changes, taking a new doc id, as
//! RediSearch does.

use super::hnsw::{Hnsw, Params, TraceStep};
use super::text::{StopWords, Terms};
use super::vector::{Element, Kernel, Metric};
use crate::cmd::json::path::{resolve, Path};
use crate::types::json::Json;
use crate::types::Value;
use bytes::Bytes;
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VecType {
    F32,
    F64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algo {
    Flat,
    Hnsw,
}

#[derive(Debug, Clone)]
pub struct VectorSpec {
    pub algo: Algo,
    pub ty: VecType,
    pub dim: usize,
    pub metric: Metric,
    pub params: Params,
    pub initial_cap: usize,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Text {
        weight: f64,
        nostem: bool,
    },
    Tag {
        separator: u8,
        case_sensitive: bool,
    },
    Numeric,
    /// A point, written `lon,lat` (or `lon lat`).
    Geo,
    /// WKT points and polygons; `flat` for FLAT (Cartesian), else SPHERICAL.
    GeoShape {
        flat: bool,
    },
    Vector(VectorSpec),
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The hash field read (`identifier`).
    pub identifier: Bytes,
    /// The name queries use (`attribute`, the AS alias or the identifier).
    pub attribute: String,
    pub kind: Kind,
    /// `SORTABLE`: SORTBY compares the value as RediSearch stores it for sorting (case-folded
    /// text and tags, unless `unf`).
    pub sortable: bool,
    /// `UNF` (after SORTABLE): sort by the value as written, not its folded form.
    pub unf: bool,
    /// `NOINDEX`: kept for SORTBY and LOAD, but no query finds a document through it.
    pub noindex: bool,
    /// `WITHSUFFIXTRIE` (FT.INFO shows it; suffix and infix queries work without it here).
    pub suffix_trie: bool,
    /// `INDEXEMPTY`: an empty value is findable (`@t:""`, `@g:{""}`).
    pub index_empty: bool,
    /// `INDEXMISSING`: a document without the field is findable (`ismissing(@f)`).
    pub index_missing: bool,
    /// `PHONETIC dm:xx` (TEXT): each token also indexed as its Double Metaphone `<code`.
    pub phonetic: bool,
}

impl Field {
    /// A field with no SORTABLE, UNF or NOINDEX.
    pub fn new(identifier: Bytes, attribute: String, kind: Kind) -> Field {
        Field {
            identifier,
            attribute,
            kind,
            sortable: false,
            unf: false,
            noindex: false,
            suffix_trie: false,
            index_empty: false,
            index_missing: false,
            phonetic: false,
        }
    }

    /// True when SORTBY compares the folded value: a SORTABLE text or tag field without UNF
    /// (a CASESENSITIVE tag is always unnormalized, as FT.INFO's `UNF` says).
    pub fn sorts_folded(&self) -> bool {
        match &self.kind {
            Kind::Text { .. } => self.sortable && !self.unf,
            Kind::Tag { case_sensitive, .. } => self.sortable && !self.unf && !case_sensitive,
            _ => false,
        }
    }
}

/// Exact or graph storage of one vector field, for one element type.
#[derive(Debug, Clone)]
pub enum Store<T: Element> {
    Flat(BTreeMap<u64, Vec<T>>),
    Hnsw(Box<Hnsw<T>>),
}

impl<T: Element> Store<T> {
    fn get(&self, id: u64) -> Option<&[T]> {
        match self {
            Store::Flat(m) => m.get(&id).map(|v| v.as_slice()),
            Store::Hnsw(h) => h.get(id),
        }
    }
    fn insert(&mut self, id: u64, v: Vec<T>) {
        match self {
            Store::Flat(m) => {
                m.insert(id, v);
            }
            Store::Hnsw(h) => h.insert(id, &v),
        }
    }
    fn remove(&mut self, id: u64) {
        match self {
            Store::Flat(m) => {
                m.remove(&id);
            }
            Store::Hnsw(h) => {
                h.remove(id);
            }
        }
    }
    /// `found` (id, search distance) with each distance recomputed as RediSearch reports it,
    /// nearest first (ties by id). Only the few returned results pay for the exact kernel.
    fn reported(&self, kernel: Kernel, metric: Metric, q: &[T], found: Vec<(f64, u64)>) -> Vec<(f64, u64)> {
        let mut out: Vec<(f64, u64)> = found
            .into_iter()
            .map(|(d, id)| (self.get(id).map_or(d, |v| T::reported_distance(kernel, metric, q, v)), id))
            .collect();
        super::vector::sort_by_distance(&mut out);
        out
    }

    /// Exact distances to every id in `among` (or all ids).
    fn brute(&self, metric: Metric, q: &[T], among: Option<&BTreeSet<u64>>) -> Vec<(f64, u64)> {
        let score = |id: u64| self.get(id).map(|v| (T::distance(metric, q, v), id));
        match (among, self) {
            (Some(ids), _) => ids.iter().filter_map(|&id| score(id)).collect(),
            (None, Store::Flat(m)) => m.iter().map(|(&id, v)| (T::distance(metric, q, v), id)).collect(),
            (None, Store::Hnsw(h)) => h.labels().filter_map(score).collect(),
        }
    }
}

/// A vector field's storage in its element type.
#[derive(Debug, Clone)]
pub enum Vectors {
    F32(Store<f32>),
    F64(Store<f64>),
}

/// One indexed hash.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub key: Bytes,
    /// Terms of each TEXT field, by attribute.
    pub words: HashMap<String, Terms>,
    pub tags: HashMap<String, Vec<String>>,
    pub numbers: HashMap<String, f64>,
    /// GEO fields' points as RediSearch keeps them: the centre of their 52-bit geohash cell
    /// (longitude, latitude), which is what radius queries measure from.
    pub geos: HashMap<String, (f64, f64)>,
    /// GEOSHAPE fields' shapes.
    pub shapes: HashMap<String, super::geoshape::Shape>,
    /// The document's forward index, as RediSearch builds it for scoring (see [`super::score`]).
    pub fwd: super::score::Forward,
    /// INDEXMISSING fields the document lacks, and INDEXEMPTY fields it has empty.
    pub missing: Vec<String>,
    pub empty: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Index {
    pub name: Bytes,
    pub prefixes: Vec<Bytes>,
    pub fields: Vec<Field>,
    pub docs: BTreeMap<u64, Doc>,
    pub by_key: HashMap<Bytes, u64>,
    pub max_doc_id: u64,
    pub failures: u64,
    /// Storage per VECTOR field, by attribute name.
    pub vectors: HashMap<String, Vectors>,
    /// The last indexing error and its key (FT.INFO `Index Errors`).
    pub last_error: Option<(String, Bytes)>,
    /// Indexing failures per attribute: (count, last error, its key).
    pub field_errors: HashMap<String, (u64, String, Bytes)>,
    /// FT.CREATE's FILTER: its text (FT.INFO shows it) and the parsed expression.
    pub filter: Option<(String, super::filter::Expr)>,
    /// Set while existing keys are scanned in (FT.CREATE, FT.ALTER), which the filter treats
    /// differently from writes.
    pub scanning: bool,
    /// FT.CREATE's STOPWORDS (the default list unless given).
    pub stopwords: StopWords,
    /// FT.SYNUPDATE's groups: term -> group ids, in the order the term joined them. Indexed
    /// text gets a `~id` term per group of each of its tokens (see [`Terms::add_synonyms`]).
    pub synonyms: indexmap::IndexMap<String, Vec<String>>,
    /// FT.CREATE's LANGUAGE: how documents' words are stemmed, and queries' by default.
    pub language: super::text::Lang,
    /// FT.CREATE's LANGUAGE_FIELD: the hash field that names a document's own language.
    pub language_field: Option<Bytes>,
    /// The FLOAT32 kernel whose summation order reported distances follow (see [`Kernel`]).
    pub kernel: Kernel,
    /// `ON JSON`: documents are JSON keys, fields are JSONPaths into them.
    pub on_json: bool,
    /// MIN_PHONETIC_TERM_LEN when the documents were indexed: shorter tokens get no `<code`.
    pub phonetic_min: usize,
    /// The command lines that defined the index, as given: FT.CREATE's, then each successful
    /// FT.ALTER's. Replaying them over the same keys builds the same index (see
    /// [`Index::definition`]).
    definition: Vec<Vec<Bytes>>,
}

impl Index {
    pub fn new(name: Bytes, prefixes: Vec<Bytes>, fields: Vec<Field>, seed: u64) -> Index {
        let mut index = Index {
            name,
            prefixes,
            fields: Vec::new(),
            docs: BTreeMap::new(),
            by_key: HashMap::new(),
            max_doc_id: 0,
            failures: 0,
            vectors: HashMap::new(),
            last_error: None,
            field_errors: HashMap::new(),
            filter: None,
            scanning: false,
            stopwords: StopWords::default(),
            synonyms: Default::default(),
            language: Default::default(),
            language_field: None,
            kernel: Kernel::default(),
            definition: Vec::new(),
            on_json: false,
            phonetic_min: 3,
        };
        index.add_fields(fields, seed);
        index
    }

    /// The command lines that defined this index, in order: FT.CREATE's argv, then the argv of
    /// every FT.ALTER that changed it. A saved playground keeps these rather than the index's
    /// inner state: run again after the keys are loaded, FT.CREATE scans the keys and builds
    /// the documents, vectors and HNSW graph anew (FT.ALTER without SKIPINITIALSCAN too).
    pub fn definition(&self) -> &[Vec<Bytes>] {
        &self.definition
    }

    /// The field bits of a word's scope (all fields when None; see [`scope_fields`]).
    pub fn mask_of(&self, field: Option<&str>) -> u64 {
        let bit = |f: &str| {
            let at = self.fields.iter().position(|x| x.attribute == f);
            at.and_then(|i| 1u64.checked_shl(i as u32)).unwrap_or(0)
        };
        field.map_or(u64::MAX, |f| scope_fields(f).fold(0, |m, f| m | bit(f)))
    }

    /// The `<code` term a query word also looks for (RediSearch's DefaultExpander): when its
    /// field (any field, unscoped) is PHONETIC; `$phonetic: true|false` (`want`) decides
    /// instead, and is an error where no such field is.
    pub fn phonetic_term(
        &self,
        word: &str,
        field: Option<&str>,
        want: Option<bool>,
    ) -> Result<Option<String>, String> {
        let on = match field {
            None => self.fields.iter().any(|f| f.phonetic),
            Some(f) => scope_fields(f).any(|f| self.field(f).is_some_and(|f| f.phonetic)),
        };
        match want {
            Some(_) if !on => Err("field does not support phonetics".into()),
            Some(false) => Ok(None),
            _ if on => Ok(super::phonetic::term(word)),
            _ => Ok(None),
        }
    }

    /// A query word's synonym terms (`~id` per group it is in), as RediSearch expands it.
    pub fn synonym_terms(&self, word: &str) -> Vec<String> {
        self.synonyms.get(word).into_iter().flatten().map(|g| format!("~{g}")).collect()
    }

    /// Record one more command line of the definition (FT.CREATE's, FT.ALTER's).
    pub(crate) fn record_definition(&mut self, argv: &[Bytes]) {
        self.definition.push(argv.to_vec());
    }

    /// Append fields to the schema (FT.CREATE, FT.ALTER ... ADD), with storage for vector ones.
    /// Documents are not indexed again here: the caller rescans if it should.
    pub fn add_fields(&mut self, fields: Vec<Field>, seed: u64) {
        for f in fields {
            if let Kind::Vector(spec) = &f.kind {
                let s = seed.wrapping_add(self.fields.len() as u64);
                let v = match (spec.ty, spec.algo) {
                    (VecType::F32, Algo::Flat) => Vectors::F32(Store::Flat(BTreeMap::new())),
                    (VecType::F32, Algo::Hnsw) => {
                        Vectors::F32(Store::Hnsw(Box::new(Hnsw::new(spec.dim, spec.metric, spec.params, s))))
                    }
                    (VecType::F64, Algo::Flat) => Vectors::F64(Store::Flat(BTreeMap::new())),
                    (VecType::F64, Algo::Hnsw) => {
                        Vectors::F64(Store::Hnsw(Box::new(Hnsw::new(spec.dim, spec.metric, spec.params, s))))
                    }
                };
                self.vectors.insert(f.attribute.clone(), v);
            }
            self.fields.push(f);
        }
    }

    pub fn field(&self, attribute: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.attribute == attribute)
    }

    pub fn matches_prefix(&self, key: &[u8]) -> bool {
        self.prefixes.iter().any(|p| key.starts_with(p))
    }

    /// Forget `key` if indexed.
    pub fn remove(&mut self, key: &[u8]) {
        if let Some(id) = self.by_key.remove(key) {
            self.docs.remove(&id);
            for v in self.vectors.values_mut() {
                match v {
                    Vectors::F32(s) => s.remove(id),
                    Vectors::F64(s) => s.remove(id),
                }
            }
        }
    }

    /// (Re)index `key` from its current value (None or a non-hash: removed).
    pub fn update(&mut self, key: &Bytes, value: Option<&Value>) {
        self.remove(key);
        if !self.matches_prefix(key) {
            return;
        }
        let view;
        let hash = match value {
            Some(Value::Hash(hash)) if !self.on_json => hash,
            Some(Value::Json(doc)) if self.on_json => match json_fields(&self.fields, doc) {
                Ok(fields) => {
                    view = fields;
                    &view
                }
                // A value of a type its field cannot take fails the document, not the field:
                // FT.INFO's field statistics do not count it.
                Err(msg) => {
                    self.failures += 1;
                    self.last_error = Some((msg, key.clone()));
                    return;
                }
            },
            _ => return,
        };
        // A hash the FILTER rejects is simply not in the index (not an indexing failure). One
        // the filter cannot evaluate is kept when written, left out by a scan (see filter.rs).
        if let Some((_, expr)) = &self.filter {
            if !super::filter::passes(expr, hash).unwrap_or(!self.scanning) {
                return;
            }
        }
        let mut doc = Doc { key: key.clone(), ..Doc::default() };
        // LANGUAGE_FIELD's value, when it names a language; else the index's LANGUAGE.
        let lang = self
            .language_field
            .as_ref()
            .and_then(|f| hash.get(f))
            .and_then(|l| super::text::Lang::parse(l))
            .unwrap_or(self.language);
        let mut blobs: Vec<(String, Vectors)> = Vec::new();
        // Failures that leave the document indexed (GEOSHAPE's).
        let mut soft: Vec<(String, String)> = Vec::new();
        for f in &self.fields {
            let Some(raw) = hash.get(&f.identifier) else {
                if f.index_missing {
                    doc.missing.push(f.attribute.clone());
                }
                continue;
            };
            // An empty text, or a tag list with an empty (blank) tag.
            let empty = match &f.kind {
                Kind::Text { .. } => raw.is_empty(),
                Kind::Tag { separator, .. } => {
                    raw.split(|c| c == separator).any(|t| t.trim_ascii().is_empty())
                }
                _ => false,
            };
            if f.index_empty && empty {
                doc.empty.push(f.attribute.clone());
            }
            match &f.kind {
                // Values of a NOINDEX field are read from the hash when sorting or loading.
                Kind::Text { .. } | Kind::Tag { .. } | Kind::Numeric | Kind::Geo | Kind::GeoShape { .. }
                    if f.noindex => {}
                Kind::Text { nostem, .. } => {
                    let mut terms = Terms::of(raw, &self.stopwords, !nostem, lang);
                    terms.add_synonyms(&self.synonyms);
                    if f.phonetic {
                        terms.add_phonetics(self.phonetic_min);
                    }
                    doc.words.insert(f.attribute.clone(), terms);
                }
                Kind::Tag { separator, case_sensitive } => {
                    let tags = raw
                        .split(|c| c == separator)
                        .map(|t| String::from_utf8_lossy(t).trim().to_string())
                        .filter(|t| !t.is_empty())
                        .map(|t| if *case_sensitive { t } else { t.to_ascii_lowercase() })
                        .collect();
                    doc.tags.insert(f.attribute.clone(), tags);
                }
                Kind::Numeric => match crate::float::parse_double(raw) {
                    Some(n) => {
                        doc.numbers.insert(f.attribute.clone(), n);
                    }
                    None => {
                        let msg = format!("Invalid numeric value: '{}'", String::from_utf8_lossy(raw));
                        self.fail(&f.attribute.clone(), msg, key);
                        return;
                    }
                },
                // A shape RediSearch cannot read is a failure, but the document stays indexed
                // (its geometry index is written after the document table).
                Kind::GeoShape { flat } => match super::geoshape::from_wkt(raw, *flat) {
                    Ok(shape) => {
                        doc.shapes.insert(f.attribute.clone(), shape);
                    }
                    Err(msg) => soft.push((f.attribute.clone(), format!("Error indexing geoshape: {msg}"))),
                },
                Kind::Geo => match parse_geo(raw) {
                    Ok(point) => {
                        doc.geos.insert(f.attribute.clone(), point);
                    }
                    Err(msg) => {
                        self.fail(&f.attribute.clone(), msg, key);
                        return;
                    }
                },
                Kind::Vector(spec) => {
                    let decoded = match spec.ty {
                        VecType::F32 => f32::decode(raw, spec.dim).map(|mut v| {
                            if spec.metric == Metric::Cosine {
                                f32::normalize(&mut v);
                            }
                            Vectors::F32(Store::Flat(BTreeMap::from([(0, v)])))
                        }),
                        VecType::F64 => f64::decode(raw, spec.dim).map(|mut v| {
                            if spec.metric == Metric::Cosine {
                                f64::normalize(&mut v);
                            }
                            Vectors::F64(Store::Flat(BTreeMap::from([(0, v)])))
                        }),
                    };
                    match decoded {
                        Some(v) => blobs.push((f.attribute.clone(), v)),
                        None => {
                            let size = match spec.ty {
                                VecType::F32 => 4,
                                VecType::F64 => 8,
                            };
                            let msg = format!(
                                "Could not add vector with blob size {} (expected size {})",
                                raw.len(),
                                spec.dim.saturating_mul(size)
                            );
                            self.fail(&f.attribute.clone(), msg, key);
                            return;
                        }
                    }
                }
            }
        }
        doc.fwd = super::score::Forward::of(self, &doc.words, |a| blobs.iter().any(|(b, _)| b == a));
        for (attr, msg) in soft {
            self.fail(&attr, msg, key);
        }
        self.max_doc_id += 1;
        let id = self.max_doc_id;
        for (attr, staged) in blobs {
            match (self.vectors.get_mut(&attr), staged) {
                (Some(Vectors::F32(s)), Vectors::F32(Store::Flat(mut m))) => {
                    if let Some(v) = m.remove(&0) {
                        s.insert(id, v);
                    }
                }
                (Some(Vectors::F64(s)), Vectors::F64(Store::Flat(mut m))) => {
                    if let Some(v) = m.remove(&0) {
                        s.insert(id, v);
                    }
                }
                _ => {}
            }
        }
        self.docs.insert(id, doc);
        self.by_key.insert(key.clone(), id);
    }

    /// JSON.DEL / JSON.FORGET of a whole document under an `ON JSON` index: RediSearch 2.10
    /// counts an indexing failure without a message (DEL does not).
    pub fn note_json_delete(&mut self, key: &Bytes) {
        if self.on_json && self.matches_prefix(key) {
            self.failures += 1;
            self.last_error = Some(("N/A".into(), key.clone()));
        }
    }

    fn fail(&mut self, attribute: &str, msg: String, key: &Bytes) {
        self.failures += 1;
        self.last_error = Some((msg.clone(), key.clone()));
        let entry =
            self.field_errors.entry(attribute.to_string()).or_insert((0, String::new(), Bytes::new()));
        *entry = (entry.0 + 1, msg, key.clone());
    }

    /// The vector spec of `attribute`, if it is a VECTOR field.
    pub fn vector_spec(&self, attribute: &str) -> Option<&VectorSpec> {
        match self.field(attribute).map(|f| &f.kind) {
            Some(Kind::Vector(spec)) => Some(spec),
            _ => None,
        }
    }

    /// Nearest `k` docs to `blob` on `attribute`: exact over `among` when a filter applies, the
    /// graph otherwise. Err(blob size) when the blob does not fit the field.
    pub fn knn(
        &self,
        attribute: &str,
        blob: &[u8],
        k: usize,
        ef: Option<usize>,
        among: Option<&BTreeSet<u64>>,
        trace: Option<&mut Vec<TraceStep>>,
    ) -> Result<Vec<(f64, u64)>, usize> {
        let Some(spec) = self.vector_spec(attribute) else { return Ok(Vec::new()) };
        let metric = spec.metric;
        let mut found = match self.vectors.get(attribute) {
            Some(Vectors::F32(store)) => {
                let q = query_vector::<f32>(blob, spec)?;
                store.reported(self.kernel, metric, &q, search(store, metric, &q, k, ef, among, trace))
            }
            Some(Vectors::F64(store)) => {
                let q = query_vector::<f64>(blob, spec)?;
                store.reported(self.kernel, metric, &q, search(store, metric, &q, k, ef, among, trace))
            }
            None => Vec::new(),
        };
        found.truncate(k);
        Ok(found)
    }

    /// Every doc within `radius` of `blob` on `attribute`.
    pub fn range(&self, attribute: &str, blob: &[u8], radius: f64) -> Result<Vec<(f64, u64)>, usize> {
        let Some(spec) = self.vector_spec(attribute) else { return Ok(Vec::new()) };
        let metric = spec.metric;
        // The search distance may differ from the reported one in its last bits: keep a margin,
        // then decide with the reported distance.
        let margin = radius.abs() * 1e-5 + 1e-6;
        let near = |all: Vec<(f64, u64)>| all.into_iter().filter(|x| x.0 <= radius + margin).collect();
        let mut all = match self.vectors.get(attribute) {
            Some(Vectors::F32(s)) => {
                let q = query_vector::<f32>(blob, spec)?;
                s.reported(self.kernel, metric, &q, near(s.brute(metric, &q, None)))
            }
            Some(Vectors::F64(s)) => {
                let q = query_vector::<f64>(blob, spec)?;
                s.reported(self.kernel, metric, &q, near(s.brute(metric, &q, None)))
            }
            None => Vec::new(),
        };
        all.retain(|x| x.0 <= radius);
        Ok(all)
    }
}

/// Decode (and normalize for COSINE) a query blob; Err(expected size) when it does not fit.
fn query_vector<T: Element>(blob: &[u8], spec: &VectorSpec) -> Result<Vec<T>, usize> {
    let mut q = T::decode(blob, spec.dim).ok_or(spec.dim.saturating_mul(T::SIZE))?;
    if spec.metric == Metric::Cosine {
        T::normalize(&mut q);
    }
    Ok(q)
}

fn search<T: Element>(
    store: &Store<T>,
    metric: Metric,
    q: &[T],
    k: usize,
    ef: Option<usize>,
    among: Option<&BTreeSet<u64>>,
    trace: Option<&mut Vec<TraceStep>>,
) -> Vec<(f64, u64)> {
    match (store, among) {
        (Store::Hnsw(h), None) => h.knn(q, k, ef.unwrap_or(h.params.ef_runtime), trace),
        _ => {
            let mut all = store.brute(metric, q, among);
            super::vector::sort_by_distance(&mut all);
            all.truncate(k);
            all
        }
    }
}

/// Hash fields in order, for replies that return whole documents; a JSON document shows as
/// one field, `$`, its text.
pub fn hash_of(value: Option<&Value>) -> Option<std::borrow::Cow<'_, IndexMap<Bytes, Bytes>>> {
    match value {
        Some(Value::Hash(h)) => Some(std::borrow::Cow::Borrowed(h)),
        Some(Value::Json(doc)) => Some(std::borrow::Cow::Owned(IndexMap::from([(
            Bytes::from_static(b"$"),
            Bytes::from(doc.to_text()),
        )]))),
        _ => None,
    }
}

/// One field of a document as FT.SEARCH's RETURN shows it: a hash field, or for a JSON
/// document the first value a JSONPath `identifier` selects (strings as they are, other values
/// as JSON text).
pub fn field_of(value: Option<&Value>, identifier: &[u8]) -> Option<Bytes> {
    match value {
        Some(Value::Hash(h)) => h.get(identifier).cloned(),
        Some(Value::Json(doc)) => {
            let first = json_matches(doc, identifier).into_iter().next()?;
            Some(match first {
                Json::Str(s) => Bytes::from(s.clone()),
                other => Bytes::from(other.to_text()),
            })
        }
        _ => None,
    }
}

/// The values a JSONPath selects in a document (none for a path that does not parse).
fn json_matches<'a>(doc: &'a Json, identifier: &[u8]) -> Vec<&'a Json> {
    let Ok(path) = Path::parse(&String::from_utf8_lossy(identifier)) else { return Vec::new() };
    path.eval(doc).iter().filter_map(|p| resolve(doc, p)).collect()
}

/// An `ON JSON` document as the hash the indexer reads: per field, its identifier and the
/// text (TEXT: strings joined by spaces; TAG: strings, arrays of strings flattened, joined by
/// the separator; NUMERIC: the number) or, for VECTOR, the array packed as the blob a hash
/// would hold. A value of a type the field cannot take is an indexing failure, as RediSearch.
fn json_fields(fields: &[Field], doc: &Json) -> Result<IndexMap<Bytes, Bytes>, String> {
    let mut out = IndexMap::new();
    // RediSearch's `JSON_checkType` (json.c), word for word.
    let invalid = |f: &Field, v: &Json| {
        let can = match v {
            Json::Str(_) => "String type can represent only TEXT, TAG, GEO or GEOMETRY field",
            Json::Int(_) | Json::Big(_) | Json::Float(_) => "Numeric type can represent only NUMERIC field",
            Json::Bool(_) => "Boolean type can be represent only TAG field",
            Json::Arr(_) if matches!(f.kind, Kind::GeoShape { .. }) => {
                "Array type cannot represent GEOMETRY field"
            }
            // Arrays of numbers (multi-value NUMERIC) are not read here.
            Json::Arr(_) => "Array type can represent only TEXT, TAG, NUMERIC, VECTOR, GEO or GEOMETRY field",
            _ => "Object type can represent only GEOMETRY fields",
        };
        format!("Invalid JSON type: {can}")
    };
    for f in fields {
        let found = json_matches(doc, &f.identifier);
        // A null passes every field's type check and indexes nothing (RediSearch's JSON_checkType).
        let Some(first) = found.first().filter(|v| !matches!(v, Json::Null)) else { continue };
        let strings = |sep: &str| -> Result<String, String> {
            let mut parts = Vec::new();
            for v in &found {
                match v {
                    Json::Str(s) => parts.push(s.clone()),
                    // A TAG takes a boolean as its word.
                    Json::Bool(b) if matches!(f.kind, Kind::Tag { .. }) => parts.push(b.to_string()),
                    Json::Arr(a) => {
                        for item in a {
                            match item {
                                Json::Str(s) => parts.push(s.clone()),
                                Json::Null => {}
                                _ => return Err("TEXT/TAG fields can only contain strings or nulls".into()),
                            }
                        }
                    }
                    other => return Err(invalid(f, other)),
                }
            }
            Ok(parts.join(sep))
        };
        let value = match &f.kind {
            Kind::Text { .. } | Kind::Geo => strings(" ")?.into_bytes(),
            Kind::GeoShape { .. } => match first {
                Json::Str(s) => s.clone().into_bytes(),
                // A GeoJSON object passes the type check, but 2.10 has no reader for it.
                Json::Obj(_) => return Err("N/A".into()),
                other => return Err(invalid(f, other)),
            },
            Kind::Tag { separator, .. } => strings(&(*separator as char).to_string())?.into_bytes(),
            Kind::Numeric => match first {
                Json::Int(_) | Json::Big(_) | Json::Float(_) => first.to_text().into_bytes(),
                other => return Err(invalid(f, other)),
            },
            Kind::Vector(spec) => {
                let Json::Arr(items) = first else { return Err(invalid(f, first)) };
                let mut blob = Vec::new();
                for item in items {
                    let n = match item {
                        Json::Int(n) => *n as f64,
                        Json::Big(n) => *n as f64,
                        Json::Float(x) => *x,
                        other => return Err(invalid(f, other)),
                    };
                    match spec.ty {
                        VecType::F32 => blob.extend_from_slice(&(n as f32).to_le_bytes()),
                        VecType::F64 => blob.extend_from_slice(&n.to_le_bytes()),
                    }
                }
                blob
            }
        };
        out.insert(f.identifier.clone(), Bytes::from(value));
    }
    Ok(out)
}

/// RediSearch's `parseGeo`: `lon` and `lat` split at the first space or comma, each read whole
/// by strtod (leading blanks allowed), then checked against the geohash's bounds. The point kept
/// is its geohash cell's centre, as RediSearch stores a GEO value as a geohash score.
pub fn parse_geo(raw: &[u8]) -> Result<(f64, f64), String> {
    let (lon, lat) = parse_geo_text(raw).ok_or_else(|| "Invalid geo string".to_string())?;
    use crate::geohash::{LAT_MAX, LAT_MIN, LONG_MAX, LONG_MIN};
    if !(LONG_MIN..=LONG_MAX).contains(&lon) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        return Err(format!("Invalid geo coordinates: {lon:.6}, {lat:.6}"));
    }
    Ok(crate::geohash::decode_score(crate::geohash::encode_score(lon, lat) as f64))
}

/// `lon,lat` (or `lon lat`) as RediSearch's `parseGeo` reads it, unchecked and exact.
pub fn parse_geo_text(raw: &[u8]) -> Option<(f64, f64)> {
    let split = raw.iter().position(|&c| c == b' ' || c == b',')?;
    let number = |part: &[u8]| -> Option<f64> {
        let part = part.trim_ascii_start();
        // strtod of nothing is 0 with nothing left over.
        if part.is_empty() {
            return Some(0.0);
        }
        crate::float::parse_double(part)
    };
    Some((number(&raw[..split])?, number(&raw[split + 1..])?))
}

/// The fields of a word's scope: one attribute, or INFIELDS' several joined by NUL (RediSearch
/// gives the words one field mask of them all).
pub fn scope_fields(scope: &str) -> impl Iterator<Item = &str> {
    scope.split('\0')
}
