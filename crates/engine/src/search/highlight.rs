//! FT.SEARCH HIGHLIGHT (highlight_processor.c, whole-document mode): each word of a returned
//! TEXT field at a position where the query matched it (a word, its stems and synonyms, a
//! prefix, a phrase's words) is wrapped in the open and close tags, the rest left as written.

use super::commands::Matching;
use super::index::{Doc, Index, Kind};
use super::query::Node;
use std::collections::BTreeSet;

/// Positions (over the whole document) where the query's non-negated clauses matched.
fn matched(idx: &Index, doc: &Doc, node: &Node, how: Matching, out: &mut BTreeSet<u32>) {
    match node {
        Node::Not(_) => {}
        // An intersection with an optional clause the document lacks gives RediSearch's
        // highlighter no positions at all.
        Node::And(parts) => {
            let lacks = |p: &Node| {
                let mut own = BTreeSet::new();
                matched(idx, doc, p, how, &mut own);
                own.is_empty()
            };
            if !parts.iter().any(|p| matches!(p, Node::Optional(n) if lacks(n))) {
                parts.iter().for_each(|p| matched(idx, doc, p, how, out));
            }
        }
        Node::Or(parts) => parts.iter().for_each(|p| matched(idx, doc, p, how, out)),
        // Words under `~` are not expanded.
        Node::Optional(n) => matched(idx, doc, n, Matching { verbatim: true, ..how }, out),
        Node::Scoped { node: n, .. } | Node::Attr { node: n, .. } => matched(idx, doc, n, how, out),
        Node::Phrase { field, words } => {
            for (_, w) in words {
                let word = Node::Word { field: field.clone(), word: w.to_ascii_lowercase() };
                out.extend(super::slop::positions(idx, doc, &word, how).unwrap_or_default());
            }
        }
        other => out.extend(super::slop::positions(idx, doc, other, how).unwrap_or_default()),
    }
}

/// `raw`, the value of TEXT field `attribute` of `doc`, with its matched words in tags.
pub(super) fn highlight(
    idx: &Index,
    doc: &Doc,
    filter: &Node,
    how: Matching,
    attribute: &str,
    raw: &[u8],
    tags: (&[u8], &[u8]),
) -> Option<Vec<u8>> {
    let at = idx.fields.iter().position(|f| f.attribute == attribute)?;
    if !matches!(idx.fields[at].kind, Kind::Text { .. }) || idx.fields[at].noindex {
        return None;
    }
    let mut hits = BTreeSet::new();
    matched(idx, doc, filter, how, &mut hits);
    // Positions run over the TEXT fields in schema order.
    let mut pos: u32 = idx.fields[..at]
        .iter()
        .filter_map(|f| doc.words.get(&f.attribute))
        .map(|t| t.sequence.len() as u32)
        .sum();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if !word(raw[i]) {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        let end = raw[i..].iter().position(|&c| !word(c)).map_or(raw.len(), |n| i + n);
        let token = String::from_utf8_lossy(&raw[i..end]).to_ascii_lowercase();
        let hit = !idx.stopwords.contains(&token) && {
            pos += 1;
            hits.contains(&pos)
        };
        if hit {
            out.extend_from_slice(tags.0);
        }
        out.extend_from_slice(&raw[i..end]);
        if hit {
            out.extend_from_slice(tags.1);
        }
        i = end;
    }
    Some(out)
}
