//! SLOP and INORDER (index_result.c `IndexResult_IsWithinRange`): an intersection matches a
//! document only if one position of each of its words lies close enough to the others (at most
//! `slop` other words in between, in the query's order with INORDER). Positions count words
//! over the whole document, as the forward index does.

use super::commands::Matching;
use super::index::{Doc, Index};
use super::query::Node;

/// The sorted positions at which `node` matches in `doc` (None: it has no positions, as a
/// tag or a number).
pub(super) fn positions(idx: &Index, doc: &Doc, node: &Node, how: Matching) -> Option<Vec<u32>> {
    let mask = |field: &Option<String>| idx.mask_of(field.as_deref());
    let mut out: Vec<u32> = match node {
        Node::Word { field, word } => {
            let mut terms = vec![word.clone()];
            if !how.verbatim {
                terms.extend(idx.synonym_terms(word));
                terms.extend(idx.phonetic_term(word, field.as_deref(), how.phonetic).ok().flatten());
            }
            if let Some(s) = how.stem(idx, word) {
                terms.push(format!("+{s}"));
                terms.push(s);
            }
            let m = mask(field);
            terms
                .iter()
                .filter_map(|t| doc.fwd.terms.get(t).filter(|dt| dt.mask & m != 0))
                .flat_map(|dt| dt.pos.iter().copied())
                .collect()
        }
        Node::Prefix { field, prefix } => {
            let m = mask(field);
            doc.fwd
                .terms
                .iter()
                .filter(|(t, dt)| dt.mask & m != 0 && t.starts_with(prefix.as_str()))
                .flat_map(|(_, dt)| dt.pos.iter().copied())
                .collect()
        }
        Node::Attr { node, phonetic, .. } => {
            return positions(idx, doc, node, Matching { phonetic: *phonetic, ..how })
        }
        Node::Scoped { node, .. } => return positions(idx, doc, node, how),
        // A union's positions are those of its children that match here.
        Node::Or(parts) => {
            let lists: Vec<Vec<u32>> = parts.iter().filter_map(|p| positions(idx, doc, p, how)).collect();
            if lists.is_empty() {
                return None;
            }
            lists.concat()
        }
        _ => return None,
    };
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// Do the intersection's `parts` meet SLOP / INORDER in `doc`?
pub(super) fn within(idx: &Index, doc: &Doc, parts: &[&Node], how: Matching) -> bool {
    let lists: Vec<Vec<u32>> = parts.iter().filter_map(|p| positions(idx, doc, p, how)).collect();
    if lists.len() <= 1 {
        return true;
    }
    // A word found without positions here (a short token's stem) cannot be placed.
    if lists.iter().any(Vec::is_empty) {
        return false;
    }
    let slop = how.slop.unwrap_or(i64::from(i32::MAX));
    if how.inorder {
        in_order(&lists, slop)
    } else {
        unordered(&lists, slop)
    }
}

/// `__indexResult_withinRangeInOrder`.
fn in_order(lists: &[Vec<u32>], slop: i64) -> bool {
    let mut at = vec![0usize; lists.len()];
    let mut pos = vec![0u32; lists.len()];
    loop {
        let mut span = 0i64;
        for i in 0..lists.len() {
            let last = if i > 0 { pos[i - 1] } else { 0 };
            // The first list always moves on; the others from where they are.
            let mut p =
                if i == 0 { lists[0].get(at[0]).copied() } else { Some(pos[i]).filter(|_| at[i] > 0) };
            if i == 0 {
                at[0] += 1;
            }
            while p.is_none_or(|v| v < last) {
                p = lists[i].get(at[i]).copied();
                at[i] += 1;
                if p.is_none() {
                    return false;
                }
            }
            let Some(p) = p else { return false };
            pos[i] = p;
            if i > 0 {
                span += i64::from(p) - i64::from(last) - 1;
                if span > slop {
                    break;
                }
            }
        }
        if span <= slop {
            return true;
        }
    }
}

/// `__indexResult_withinRangeUnordered`.
fn unordered(lists: &[Vec<u32>], slop: i64) -> bool {
    let n = lists.len();
    let mut at = vec![1usize; n];
    let mut pos: Vec<u32> = lists.iter().map(|l| l[0]).collect();
    let mut max = *pos.iter().max().unwrap_or(&0);
    loop {
        let (min_at, &min) = pos.iter().enumerate().min_by_key(|(_, p)| **p).unwrap_or((0, &0));
        if min != max && i64::from(max) - i64::from(min) - (n as i64 - 1) <= slop {
            return true;
        }
        let Some(&next) = lists[min_at].get(at[min_at]) else { return false };
        at[min_at] += 1;
        pos[min_at] = next;
        max = max.max(next);
    }
}
