//! FT.EXPLAIN and FT.EXPLAINCLI: the query tree as RediSearch 2.10 prints it after its
//! expansion step (`QueryNode_DumpSds` in query.c): stop words dropped, each query word a
//! `UNION` of itself, its `+stem` and (when it differs) its stem, groups under `@field:(...)`
//! carrying the field, two spaces per level.

use super::commands::{err, format_g, text};
use super::index::{Index, Kind};
use super::query::{self, Knn, Node};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::CmdResult;
use crate::frame::Frame;
use bytes::Bytes;
use std::collections::HashMap;

/// `FT.EXPLAIN index query [options]`: the tree as one string.
pub fn ft_explain(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    explain(ctx, args, "FT.EXPLAIN").map(Frame::bulk)
}

/// `FT.EXPLAINCLI index query [options]`: the same text, one array element per line.
pub fn ft_explaincli(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let out = explain(ctx, args, "FT.EXPLAINCLI")?;
    Ok(Frame::Array(out.split('\n').map(|l| Frame::Simple(l.to_string())).collect()))
}

fn explain(ctx: &mut Ctx, args: &mut Args, cmd: &str) -> Result<String, crate::error::CmdError> {
    if args.remaining() < 2 {
        return Err(crate::error::CmdError::wrong_arity(cmd));
    }
    let name = ctx.server.search.resolve(&args.next_bytes()?);
    let query_text = args.next_bytes()?;
    let Some(idx) = ctx.server.search.by_name.get(&name) else {
        return Err(err(format!("{}: no such index", text(&name))));
    };
    let mut dialect = super::extras::default_dialect(&ctx.server.search);
    let (mut verbatim, mut keep_stop, mut lang) = (false, false, idx.language);
    let mut params: HashMap<String, Bytes> = HashMap::new();
    let mut position = 0;
    while let Some(word) = args.next_opt() {
        position += 1;
        let skip = |args: &mut Args, n: usize| -> Result<usize, crate::error::CmdError> {
            for _ in 0..n {
                args.next_bytes()?;
            }
            Ok(n)
        };
        match text(&word).to_ascii_uppercase().as_str() {
            "VERBATIM" => verbatim = true,
            "NOSTOPWORDS" => keep_stop = true,
            "NOCONTENT" | "WITHSCORES" | "WITHPAYLOADS" | "WITHSORTKEYS" | "INORDER" | "EXPLAINSCORE" => {}
            "LIMIT" => position += skip(args, 2)?,
            "LANGUAGE" => {
                lang = super::commands::query_language(args)?;
                position += 1;
            }
            "SCORER" | "SLOP" | "TIMEOUT" | "EXPANDER" => position += skip(args, 1)?,
            "PARAMS" => {
                let n = super::commands::count(args)?;
                for _ in 0..n / 2 {
                    let k = text(&args.next_bytes()?);
                    params.insert(k, args.next_bytes()?);
                }
                position += n + 1;
            }
            "DIALECT" => {
                let raw = args.next_opt().ok_or_else(|| err("Need an argument for DIALECT"))?;
                dialect = parse_i64(&raw)
                    .filter(|d| (1..=4).contains(d))
                    .ok_or_else(|| err("DIALECT requires a non negative integer >=1 and <= 4"))?;
                position += 1;
            }
            _ => {
                return Err(err(format!(
                    "Unknown argument `{}` at position {position} for <main>",
                    text(&word)
                )))
            }
        }
    }
    let q = query::parse_with(&query_text, &params, dialect, true).map_err(err)?;
    let tree = Tree { idx, verbatim, keep_stop, dialect, lang, phonetic: Default::default() };
    // `$phonetic` on a word no PHONETIC field takes is refused (unless VERBATIM: no expander).
    fn phonetic(idx: &Index, node: &Node) -> Result<(), String> {
        match node {
            Node::Attr { node, phonetic: Some(p), .. } => match &**node {
                Node::Word { field, word } => idx.phonetic_term(word, field.as_deref(), Some(*p)).map(drop),
                _ => Ok(()),
            },
            Node::And(v) | Node::Or(v) => v.iter().try_for_each(|n| phonetic(idx, n)),
            Node::Not(n) | Node::Optional(n) | Node::Scoped { node: n, .. } | Node::Attr { node: n, .. } => {
                phonetic(idx, n)
            }
            _ => Ok(()),
        }
    }
    if !verbatim {
        phonetic(idx, &q.filter).map_err(err)?;
    }
    // DIALECT 1 lexes a stop word inside quotes as STOPWORD, which a phrase cannot hold; fields
    // without INDEXMISSING / INDEXEMPTY refuse `ismissing` and `""`.
    tree.check(&q.filter, dialect < 2 && !keep_stop)?;
    let filter = tree.prune(q.filter);
    let mut out = String::new();
    match (&q.knn, filter) {
        (Some(knn), filter) => tree.vector(&mut out, knn, filter.filter(|f| *f != Node::All)),
        (None, Some(filter)) => tree.node(&mut out, &filter, 0, None, true),
        (None, None) => out.push_str("<empty>\n"),
    }
    Ok(out)
}

struct Tree<'a> {
    idx: &'a Index,
    /// The `$phonetic` attribute of the word being written.
    phonetic: std::cell::Cell<Option<bool>>,
    verbatim: bool,
    keep_stop: bool,
    /// DIALECT 2 reads numbers as numbers (never expanded); DIALECT 1 as words.
    dialect: i64,
    /// The language words are stemmed in.
    lang: super::text::Lang,
}

fn pad(out: &mut String, depth: usize) {
    out.extend(std::iter::repeat_n("  ", depth));
}

/// A word RediSearch's lexer reads as a number: kept as typed, never expanded.
fn numeric(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.')
        && crate::float::parse_double(word.as_bytes()).is_some_and(f64::is_finite)
}

impl Tree<'_> {
    /// The query without its stop words; groups left with one part become that part.
    fn prune(&self, node: Node) -> Option<Node> {
        // The parser builds groups left to right, so a group of the same kind (not restricted
        // to a field) that comes first takes the rest in: `(a b) c` is one INTERSECT.
        let group = |parts: Vec<Node>, make: fn(Vec<Node>) -> Node| {
            let mut kept: Vec<Node> = parts.into_iter().filter_map(|p| self.prune(p)).collect();
            if kept.len() > 1 {
                match (make(Vec::new()), kept.remove(0)) {
                    (Node::And(_), Node::And(first)) | (Node::Or(_), Node::Or(first)) => {
                        kept.splice(0..0, first);
                    }
                    (_, first) => kept.insert(0, first),
                }
            }
            match kept.len() {
                0 => None,
                1 => kept.pop(),
                _ => Some(make(kept)),
            }
        };
        match node {
            Node::Word { ref word, .. } if !self.keep_stop && self.idx.stopwords.contains(word) => None,
            Node::And(parts) => group(parts, Node::And),
            Node::Or(parts) => group(parts, Node::Or),
            Node::Not(inner) => self.prune(*inner).map(|n| Node::Not(Box::new(n))),
            Node::Optional(inner) => self.prune(*inner).map(|n| Node::Optional(Box::new(n))),
            Node::Attr { node, weight, slop, inorder, phonetic } => {
                self.prune(*node).map(|n| Node::Attr { node: Box::new(n), weight, slop, inorder, phonetic })
            }
            Node::Scoped { field, node } => self.prune(*node).map(|node| match node {
                Node::And(_) | Node::Or(_) | Node::Not(_) | Node::Optional(_) => {
                    Node::Scoped { field, node: Box::new(node) }
                }
                other => other,
            }),
            other => Some(other),
        }
    }

    /// Errors RediSearch finds in a parsed query before explaining it.
    fn check(&self, node: &Node, stop: bool) -> Result<(), crate::error::CmdError> {
        let field = |f: &str| self.idx.field(f);
        let no_empty =
            || err("Use `INDEXEMPTY` in field creation in order to index and query for empty strings");
        match node {
            Node::Missing { field: f } if field(f).is_some_and(|x| !x.index_missing) => {
                Err(err(format!("'ismissing' requires field '{f}' to be defined with 'INDEXMISSING'")))
            }
            Node::Empty { field: f } if field(f).is_some_and(|x| !x.index_empty) => Err(no_empty()),
            Node::Tag { field: f, values }
                if values.iter().any(String::is_empty) && field(f).is_some_and(|x| !x.index_empty) =>
            {
                Err(no_empty())
            }
            Node::Phrase { words, .. } if stop => {
                match words.iter().find(|(_, w)| self.idx.stopwords.contains(&w.to_ascii_lowercase())) {
                    Some((at, word)) => Err(err(format!("Syntax error at offset {at} near {word}"))),
                    None => Ok(()),
                }
            }
            Node::Not(n) | Node::Optional(n) | Node::Scoped { node: n, .. } | Node::Attr { node: n, .. } => {
                self.check(n, stop)
            }
            Node::And(parts) | Node::Or(parts) => parts.iter().try_for_each(|p| self.check(p, stop)),
            _ => Ok(()),
        }
    }

    /// `@field:` before a node restricted to a field: `@NULL:` when it is no TEXT field.
    fn mask(&self, field: Option<&str>) -> String {
        match field {
            None => String::new(),
            Some(f) if self.idx.field(f).is_some_and(|f| matches!(f.kind, Kind::Text { .. })) => {
                format!("@{f}:")
            }
            Some(_) => "@NULL:".into(),
        }
    }

    /// One node at `depth`; `scope` is the field of an enclosing `@field:(...)` (it marks
    /// groups); `expand` says whether words here get their stems (not under NOT, OPTIONAL, an
    /// exact phrase or a vector query).
    fn node(&self, out: &mut String, node: &Node, depth: usize, scope: Option<&str>, expand: bool) {
        pad(out, depth);
        let group = |out: &mut String, title: &str, parts: &[&Node], expand: bool| {
            out.push_str(&self.mask(scope));
            out.push_str(title);
            out.push('\n');
            for p in parts {
                self.node(out, p, depth + 1, scope, expand);
            }
            pad(out, depth);
            out.push_str("}\n");
        };
        match node {
            Node::All => out.push_str("<WILDCARD>\n"),
            Node::Word { field, word } => {
                let mask = self.mask(field.as_deref());
                if !expand || self.verbatim || (self.dialect >= 2 && numeric(word)) {
                    out.push_str(&format!("{mask}{word}\n"));
                    return;
                }
                let stem = super::text::stem_in(word, self.lang);
                out.push_str(&format!("{mask}UNION {{\n"));
                let mut line = |s: String| {
                    pad(out, depth + 1);
                    out.push_str(&format!("{mask}{s}\n"));
                };
                line(word.clone());
                for g in self.idx.synonym_terms(word) {
                    line(format!("{g}(expanded)"));
                }
                let code = self.idx.phonetic_term(word, field.as_deref(), self.phonetic.get());
                if let Ok(Some(code)) = code {
                    line(format!("{code}(expanded)"));
                }
                line(format!("+{stem}(expanded)"));
                if stem != *word {
                    line(format!("{stem}(expanded)"));
                }
                pad(out, depth);
                out.push_str("}\n");
            }
            Node::Prefix { field, prefix } => {
                out.push_str(&format!("{}PREFIX{{{prefix}*}}\n", self.mask(field.as_deref())))
            }
            Node::Suffix { field, suffix } => {
                out.push_str(&format!("{}SUFFIX{{*{suffix}}}\n", self.mask(field.as_deref())))
            }
            Node::Contains { field, infix } => {
                out.push_str(&format!("{}INFIX{{*{infix}*}}\n", self.mask(field.as_deref())))
            }
            Node::Phrase { field, words } => {
                let mask = self.mask(field.as_deref());
                out.push_str(&format!("{mask}EXACT {{\n"));
                for (_, w) in words {
                    pad(out, depth + 1);
                    out.push_str(&format!("{mask}{}\n", w.to_ascii_lowercase()));
                }
                pad(out, depth);
                out.push_str("}\n");
            }
            Node::Tag { field, values } => {
                out.push_str(&format!("TAG:@{field} {{\n"));
                for v in values {
                    pad(out, depth + 1);
                    match v.strip_suffix('*') {
                        _ if v.is_empty() => out.push_str("\"\"\n"),
                        Some(p) => out.push_str(&format!("PREFIX{{{p}*}}\n")),
                        None => out.push_str(&format!("{v}\n")),
                    }
                }
                pad(out, depth);
                out.push_str("}\n");
            }
            Node::Numeric { field, lo, lo_incl, hi, hi_incl } => {
                let op = |incl: &bool| if *incl { "<=" } else { "<" };
                out.push_str(&format!(
                    "NUMERIC {{{lo:.6} {} @{field} {} {hi:.6}}}\n",
                    op(lo_incl),
                    op(hi_incl)
                ));
            }
            Node::Geo { field, lon, lat, radius, unit } => {
                out.push_str(&format!("GEO {field}:{{{lon:.6},{lat:.6} --> {radius:.6} {}}}\n", unit.name()));
            }
            Node::GeoShape { op, wkt, .. } => {
                out.push_str(&format!("GEOSHAPE{{{} {}}}\n", *op as u8, String::from_utf8_lossy(wkt)));
            }
            Node::Range { field, radius, yield_as, param, .. } => {
                let radius = format_g(*radius);
                let from = param.as_ref().map(|p| format!(" `${p}` ")).unwrap_or_default();
                let yields =
                    yield_as.as_ref().map(|y| format!(", yields distance as `{y}`")).unwrap_or_default();
                out.push_str(&format!(
                    "VECTOR {{Vectors that are within {radius} distance radius from{from}in vector index associated with field @{field}{yields}}}\n"
                ));
            }
            Node::Fuzzy { field, word, .. } => {
                out.push_str(&format!("{}FUZZY{{{word}}}\n", self.mask(field.as_deref())))
            }
            Node::Missing { field } => out.push_str(&format!("ISMISSING{{{field}}}\n")),
            Node::Empty { field } => out.push_str(&format!("{}\"\"\n", self.mask(Some(field)))),
            Node::Attr { node, weight, slop, inorder, phonetic } => {
                out.truncate(out.len() - 2 * depth);
                let start = out.len();
                let outer = self.phonetic.replace(*phonetic);
                self.node(out, node, depth, scope, expand);
                self.phonetic.set(outer);
                let w = weight.filter(|w| *w != 1.0);
                if let (Some(w), Node::Word { word, .. }) = (w, &**node) {
                    // On the word's own line (inside its UNION when it is expanded).
                    let line = format!("{word}\n");
                    if let Some(at) = out[start..].find(&line).map(|i| start + i + word.len()) {
                        out.insert_str(at, &format!(" => {{$weight: {};}}", format_g(w)));
                    }
                } else if w.is_some() || slop.is_some() || inorder == &Some(true) {
                    out.pop();
                    out.push_str(" => {");
                    if let Some(w) = w {
                        out.push_str(&format!(" $weight: {};", format_g(w)));
                    }
                    if let Some(s) = slop {
                        out.push_str(&format!(" $slop: {s};"));
                    }
                    if inorder == &Some(true) || slop.is_some() {
                        out.push_str(&format!(" $inorder: {};", inorder == &Some(true)));
                    }
                    out.push_str(" }\n");
                }
            }
            Node::Scoped { field, node } => {
                // The group's own line is at this depth already.
                out.truncate(out.len() - 2 * depth);
                self.node(out, node, depth, Some(field), expand);
            }
            Node::Not(inner) => group(out, "NOT{", &[inner], false),
            Node::Optional(inner) => group(out, "OPTIONAL{", &[inner], false),
            Node::And(parts) => group(out, "INTERSECT {", &parts.iter().collect::<Vec<_>>(), expand),
            Node::Or(parts) => group(out, "UNION {", &parts.iter().collect::<Vec<_>>(), expand),
        }
    }

    /// `VECTOR {...}` of a KNN query, its filter (if any) inside.
    fn vector(&self, out: &mut String, knn: &Knn, filter: Option<Node>) {
        out.push_str("VECTOR {");
        if let Some(filter) = &filter {
            out.push('\n');
            self.node(out, filter, 1, None, false);
            out.push_str("} => {");
        }
        out.push_str(&format!("K={} nearest vectors to ", knn.k));
        if let Some(p) = &knn.blob_param {
            out.push_str(&format!("`${p}` "));
        }
        out.push_str(&format!("in vector index associated with field @{}", knn.field));
        for (name, value) in &knn.attrs {
            out.push_str(&format!(", {name} = {}", String::from_utf8_lossy(value)));
        }
        let score = knn.score_as.clone().unwrap_or_else(|| format!("__{}_score", knn.field));
        out.push_str(&format!(", yields distance as `{score}`}}\n"));
    }
}
