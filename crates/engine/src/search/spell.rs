//! FT.SPELLCHECK as RediSearch 2.10 answers it (spell_check.c): for each query word (a word,
//! a phrase's words, a tag value; stop words too) that no document has, the index's terms
//! (tokens, `+stems`) within DISTANCE edits (as its automaton counts them, see `fuzzy`), scored by how many documents hold them over the
//! index's document count; TERMS INCLUDE dictionaries add theirs (scored 0 unless indexed),
//! TERMS EXCLUDE dictionaries silence a word.

use super::commands::{err, text};
use super::index::Index;
use super::query::{self, Node};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use std::collections::{BTreeMap, BTreeSet};

/// `FT.SPELLCHECK index query [DISTANCE d] [TERMS INCLUDE|EXCLUDE dict]... [DIALECT n]`.
/// Options are looked up by name anywhere in the line, as RediSearch does (no unknown-argument
/// error).
pub fn ft_spellcheck(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let argv = args.all().to_vec();
    if argv.len() < 3 {
        return Err(CmdError::wrong_arity("FT.SPELLCHECK"));
    }
    let find = |name: &[u8], from: usize| (from..argv.len()).find(|&i| argv[i].eq_ignore_ascii_case(name));
    let resp3 = ctx.client.protocol == crate::Protocol::Resp3;
    let search = &ctx.server.search;
    let mut dialect = super::extras::default_dialect(search);
    if let Some(i) = find(b"DIALECT", 3) {
        dialect = argv
            .get(i + 1)
            .and_then(|d| parse_i64(d))
            .filter(|d| (1..=4).contains(d))
            .ok_or_else(|| err("DIALECT requires a non negative integer >=1 and <= 4"))?;
    }
    let Some(idx) = search.by_name.get(&search.resolve(&argv[1])) else {
        return Err(err("Unknown Index name"));
    };
    let q = query::parse(&argv[2], &Default::default(), dialect).map_err(err)?;
    let mut distance = 1;
    if let Some(i) = find(b"DISTANCE", 0) {
        let raw = argv.get(i + 1).ok_or_else(|| err("DISTANCE arg is given but no DISTANCE comes after"))?;
        distance = parse_i64(raw)
            .filter(|d| (1..=4).contains(d))
            .ok_or_else(|| err("bad distance given, distance must be a natural number between 1 to 4"))?
            as usize;
    }
    let (mut include, mut exclude) = (Vec::new(), Vec::new());
    let mut at = 0;
    while let Some(i) = find(b"TERMS", at + 1) {
        at = i;
        let (Some(op), Some(dict)) = (argv.get(i + 1), argv.get(i + 2)) else {
            return Err(err("TERM arg is given but no TERM params comes after"));
        };
        match op.to_ascii_uppercase().as_slice() {
            b"INCLUDE" => include.push(dict.clone()),
            b"EXCLUDE" => exclude.push(dict.clone()),
            _ => return Err(err("bad format, exlude/include operation was not given")),
        }
    }
    let dict = |name: &bytes::Bytes| {
        search.dicts.get(name).ok_or_else(|| err(format!("Dict does not exist: {}", text(name))))
    };
    let include = include.iter().map(dict).collect::<Result<Vec<_>, _>>()?;
    let exclude = exclude.iter().map(dict).collect::<Result<Vec<_>, _>>()?;
    let mut words = Vec::new();
    query_words(&q.filter, &mut words);
    let total = idx.docs.len().max(1) as f64;
    let mut results = Vec::new();
    for (word, field) in words {
        let mask = field_mask(idx, field.as_deref());
        if doc_count(idx, &word, u64::MAX).is_some() || exclude.iter().any(|d| d.contains(word.as_bytes())) {
            continue;
        }
        // Suggestion -> documents holding it (0: only in a dictionary).
        let mut found: BTreeMap<String, usize> = BTreeMap::new();
        let terms: BTreeSet<&String> = idx.docs.values().flat_map(|d| d.fwd.terms.keys()).collect();
        for t in terms.into_iter().filter(|t| within(&word, t, distance)) {
            if let Some(n) = doc_count(idx, t, mask) {
                found.insert(t.clone(), n);
            }
        }
        for d in &include {
            for t in d.iter().map(|t| text(t)).filter(|t| within(&word, t, distance)) {
                let indexed = idx.docs.values().any(|d| d.fwd.terms.contains_key(&t));
                match doc_count(idx, &t, mask) {
                    None if indexed => {}
                    n => {
                        found.entry(t).or_insert(n.unwrap_or(0));
                    }
                }
            }
        }
        let mut found: Vec<(String, usize)> = found.into_iter().collect();
        found.sort_by_key(|f| std::cmp::Reverse(f.1));
        results.push((word, found.into_iter().map(|(t, n)| (t, n as f64 / total)).collect::<Vec<_>>()));
    }
    if resp3 {
        let term = |list: Vec<(String, f64)>| {
            Frame::Array(
                list.into_iter().map(|(t, s)| Frame::Map(vec![(Frame::bulk(t), Frame::Double(s))])).collect(),
            )
        };
        let results = results.into_iter().map(|(w, list)| (Frame::bulk(w), term(list))).collect();
        return Ok(Frame::Map(vec![(Frame::Simple("results".into()), Frame::Map(results))]));
    }
    Ok(Frame::Array(
        results
            .into_iter()
            .map(|(w, list)| {
                let list =
                    list.into_iter().map(|(t, s)| Frame::Array(vec![Frame::Double(s), Frame::bulk(t)]));
                Frame::Array(vec![Frame::Simple("TERM".into()), Frame::bulk(w), Frame::Array(list.collect())])
            })
            .collect(),
    ))
}

/// The query's words in order, with the field each is restricted to.
fn query_words(node: &Node, out: &mut Vec<(String, Option<String>)>) {
    match node {
        Node::Word { field, word } => out.push((word.clone(), field.clone())),
        Node::Phrase { field, words } => {
            out.extend(words.iter().map(|(_, w)| (w.to_ascii_lowercase(), field.clone())));
        }
        Node::Tag { values, .. } => {
            out.extend(values.iter().filter(|v| !v.ends_with('*')).map(|v| (v.to_ascii_lowercase(), None)));
        }
        Node::Not(n) | Node::Optional(n) | Node::Scoped { node: n, .. } | Node::Attr { node: n, .. } => {
            query_words(n, out)
        }
        Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| query_words(p, out)),
        _ => {}
    }
}

/// The bit of a field in the documents' forward index (all fields when None; 0 when no such
/// field).
fn field_mask(idx: &Index, field: Option<&str>) -> u64 {
    match field {
        None => u64::MAX,
        Some(f) => idx
            .fields
            .iter()
            .position(|x| x.attribute == f)
            .and_then(|i| 1u64.checked_shl(i as u32))
            .unwrap_or(0),
    }
}

/// How many documents hold `term` (in any field), if any holds it in a field of `mask`.
fn doc_count(idx: &Index, term: &str, mask: u64) -> Option<usize> {
    let mut in_field = false;
    let n = idx
        .docs
        .values()
        .filter_map(|d| d.fwd.terms.get(term))
        .inspect(|t| in_field |= t.mask & mask != 0)
        .count();
    (n > 0 && in_field).then_some(n)
}

/// Does RediSearch's automaton take `term` for `word` within `max` edits?
fn within(word: &str, term: &str, max: usize) -> bool {
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    super::fuzzy::filter(&chars(word), &chars(term), max, false).is_some()
}
