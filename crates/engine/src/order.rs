//! One compiled sort for every caller that is not on a hot path.
//!
//! Each `slice::sort_by` call with its own element type or closure compiles its own copy of the
//! standard library's sort (quicksort, small sorts, pivot selection: 2-3 KB of wasm each).
//! Eighteen such copies were 49 KB of the playground page's wasm. These functions sort a list of
//! positions through one `dyn` comparison instead, so the standard sort is compiled once, and
//! then move the items into place. They are stable (ties keep their order).
//!
//! The cost is an indirect call per comparison and a `Vec<usize>` per sort: fine for replies,
//! listings and sets of a few thousand items. The HNSW index keeps the standard sorts, where
//! speed matters.

use std::cmp::Ordering;

/// Sort `items` by `compare`, stably.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sort `items` by the key `key` gives each, stably.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sort `items` by a key computed once per item (as `slice::sort_by_cached_key`), stably.
pub fn sort_by_cached_key<T, K: Ord>(items: &mut [T], key: impl FnMut(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = sorted_positions(keys.len(), &mut |a, b| keys[a].cmp(&keys[b]));
    permute(items, order);
}

/// Sort in the items' own order, stably.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The positions `0..len` ordered by `compare`, ties by position (which makes it stable).
fn sorted_positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    order
}

/// Rearrange `items` so that position `i` holds what was at `order[i]`, in place: each cycle
/// of the permutation is walked once with swaps, and marked done in `order` as it goes.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard stable sort, ties included.
        #[test]
        fn sorts_as_the_standard_stable_sort(items in prop::collection::vec((0u8..8, any::<u16>()), 0..300)) {
            let mut expected = items.clone();
            expected.sort_by_key(|x| x.0);
            let mut ours = items.clone();
            sort_by_key(&mut ours, |x| x.0);
            prop_assert_eq!(&ours, &expected);
            let mut cached = items.clone();
            sort_by_cached_key(&mut cached, |x| x.0);
            prop_assert_eq!(&cached, &expected);
            let mut whole = items;
            sort(&mut whole);
            expected.sort();
            prop_assert_eq!(whole, expected);
        }
    }

    #[test]
    fn moves_items_that_are_not_copy() {
        let mut words: Vec<String> = ["pear", "fig", "apple", "kiwi", "date"].map(String::from).to_vec();
        sort_by(&mut words, |a, b| a.len().cmp(&b.len()));
        assert_eq!(words, ["fig", "pear", "kiwi", "date", "apple"]);
    }
}
