//! An ordered map kept as one vector sorted by key, with the part of `BTreeMap`'s interface the
//! stream uses (lookups, ordered ranges, both ends). Streams mostly append at the end and trim
//! from the front, where a vector is as fast; and it is far less code than a `BTreeMap` per
//! key and value type, which the page's wasm pays for.

use std::borrow::Borrow;
use std::ops::{Bound, RangeBounds};

#[derive(Debug, Clone, PartialEq)]
pub struct SortedMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap(Vec::new())
    }
}

type Iter<'a, K, V> = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

fn pair<K, V>(e: &(K, V)) -> (&K, &V) {
    (&e.0, &e.1)
}

impl<K: Ord, V> SortedMap<K, V> {
    pub fn new() -> Self {
        SortedMap(Vec::new())
    }

    fn find<Q: Ord + ?Sized>(&self, k: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(x, _)| x.borrow().cmp(k))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get<Q: Ord + ?Sized>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, k: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| &mut self.0[i].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(k).is_ok()
    }

    /// Insert or replace; the old value back.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, k: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(k).ok().map(|i| self.0.remove(i).1)
    }

    /// The index range of the keys within `r`.
    fn span(&self, r: &impl RangeBounds<K>) -> std::ops::Range<usize> {
        let at = |k: &K, after: bool| match self.find(k) {
            Ok(i) => i + usize::from(after),
            Err(i) => i,
        };
        let lo = match r.start_bound() {
            Bound::Included(k) => at(k, false),
            Bound::Excluded(k) => at(k, true),
            Bound::Unbounded => 0,
        };
        let hi = match r.end_bound() {
            Bound::Included(k) => at(k, true),
            Bound::Excluded(k) => at(k, false),
            Bound::Unbounded => self.0.len(),
        };
        lo..hi.max(lo)
    }

    pub fn range(&self, r: impl RangeBounds<K>) -> Iter<'_, K, V> {
        let span = self.span(&r);
        self.0[span].iter().map(pair as fn(&(K, V)) -> (&K, &V))
    }

    /// Remove the keys within `r`.
    pub fn remove_range(&mut self, r: impl RangeBounds<K>) {
        let span = self.span(&r);
        self.0.drain(span);
    }

    pub fn iter(&self) -> Iter<'_, K, V> {
        self.0.iter().map(pair as fn(&(K, V)) -> (&K, &V))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.0.first().map(pair)
    }

    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.0.last().map(pair)
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// An ordered set on [`SortedMap`].
#[derive(Debug, Clone, PartialEq)]
pub struct SortedSet<K>(SortedMap<K, ()>);

impl<K> Default for SortedSet<K> {
    fn default() -> Self {
        SortedSet(SortedMap::default())
    }
}

impl<K: Ord + Copy> SortedSet<K> {
    /// True if it was not there.
    pub fn insert(&mut self, k: K) -> bool {
        self.0.insert(k, ()).is_none()
    }

    pub fn remove(&mut self, k: &K) -> bool {
        self.0.remove(k).is_some()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &K> {
        self.0.keys()
    }

    pub fn range(&self, r: impl RangeBounds<K>) -> impl DoubleEndedIterator<Item = &K> {
        self.0.range(r).map(|(k, _)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::SortedMap;
    use std::ops::Bound::{Excluded, Unbounded};

    #[test]
    fn ranges_as_btreemap_gives_them() {
        let mut m = SortedMap::new();
        for k in [5, 1, 9, 3, 7] {
            assert_eq!(m.insert(k, k * 10), None);
        }
        assert_eq!(m.insert(3, 0), Some(30));
        let keys = |it: &mut dyn Iterator<Item = (&i32, &i32)>| it.map(|(k, _)| *k).collect::<Vec<_>>();
        assert_eq!(keys(&mut m.range(3..=7)), [3, 5, 7]);
        assert_eq!(keys(&mut m.range(4..)), [5, 7, 9]);
        assert_eq!(keys(&mut m.range(..=5).rev()), [5, 3, 1]);
        assert_eq!(keys(&mut m.range((Excluded(5), Unbounded))), [7, 9]);
        let (hi, lo) = (8, 2);
        assert_eq!(keys(&mut m.range(hi..=lo)), Vec::<i32>::new());
        m.remove_range(2..=7);
        assert_eq!(keys(&mut m.iter()), [1, 9]);
        assert_eq!(m.remove(&9), Some(90));
        assert_eq!(m.last_key_value(), Some((&1, &10)));
    }
}
