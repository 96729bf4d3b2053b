//! RediSearch's Levenshtein filter over its tries (trie/levenshtein.c), step for step: a sparse
//! automaton of (query offset, edits) pairs fed the candidate's characters. Its answers differ
//! from textbook edit distance, and FT.SPELLCHECK and FT.SUGGET FUZZY answer with them: a
//! candidate also matches when all but its last character match (`wrdl` finds `wrld` within
//! one edit), and in prefix mode anything that continues a match.

/// One state: (offset in the query, edits so far), offsets increasing.
type State = Vec<(usize, usize)>;

fn start(max: usize) -> State {
    (0..=max).map(|i| (i, i)).collect()
}

/// `SparseAutomaton_Step`.
fn step(q: &[char], max: usize, state: &State, c: char) -> State {
    let mut next: State = Vec::with_capacity(state.len());
    if let Some(&(0, v)) = state.first() {
        if v < max {
            next.push((0, v + 1));
        }
    }
    for (j, &(idx, v)) in state.iter().enumerate() {
        if idx == q.len() {
            break;
        }
        let mut val = v + usize::from(q[idx] != c);
        if let Some(&(last, lv)) = next.last() {
            if last == idx {
                val = val.min(lv + 1);
            }
        }
        if let Some(&(nidx, nv)) = state.get(j + 1) {
            if nidx == idx + 1 {
                val = val.min(nv + 1);
            }
        }
        if val <= max {
            next.push((idx + 1, val));
        }
    }
    next
}

fn is_match(q: &[char], s: &State) -> bool {
    s.last().is_some_and(|&(idx, _)| idx == q.len())
}

fn distance(s: &State) -> usize {
    s.last().map_or(0, |&(_, v)| v)
}

/// Does the trie iterator report `cand` for the query `q` (already case-folded) within `max`
/// edits? Returns the distance it reports with it. `prefix`: FT.SUGGET's prefix mode.
pub fn filter(q: &[char], cand: &[char], max: usize, prefix: bool) -> Option<usize> {
    let mut state = start(max);
    let mut min_dist = max + 1;
    let mut reported = None;
    for &c in cand {
        let before = is_match(q, &state).then(|| distance(&state).min(min_dist));
        // ASCII folding only: std's Unicode case tables would weigh on the page's wasm.
        let next = step(q, max, &state, c.to_ascii_lowercase());
        if next.is_empty() {
            // The automaton is dead: only a prefix match carries on, at the distance it had.
            return if prefix && before.is_some() { before } else { None };
        }
        reported = if is_match(q, &next) { Some(distance(&next).min(min_dist)) } else { before };
        min_dist = min_dist.min(distance(&next));
        state = next;
    }
    reported
}

#[cfg(test)]
mod tests {
    use super::filter;

    fn f(q: &str, c: &str, max: usize) -> Option<usize> {
        filter(&q.chars().collect::<Vec<_>>(), &c.chars().collect::<Vec<_>>(), max, false)
    }

    #[test]
    fn redisearch_quirks() {
        assert_eq!(f("wrdl", "wrld", 1), Some(1));
        assert_eq!(f("wolrd", "world", 1), None);
        assert_eq!(f("hlelo", "helo", 1), Some(1));
        assert_eq!(f("hell", "hello", 1), Some(0));
        assert_eq!(f("hell", "help", 1), Some(1));
    }
}
