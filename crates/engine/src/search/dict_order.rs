//! The order TOLIST lists its values in: RediSearch collects them in its copy of Redis's `dict`
//! (`src/util/dict.c`, hashed with `RSValue_Hash` from 0, no seed) and lists them with a plain
//! iterator, so the order is that of the dict's buckets, each chain newest first, including
//! the state of an incremental rehash in progress. This is that dict, for values only added.

/// One hash table: chains of (hash, item), newest first.
#[derive(Debug)]
struct Table {
    buckets: Vec<Vec<(u64, usize)>>,
    used: usize,
}

impl Table {
    fn new(size: usize) -> Table {
        Table { buckets: vec![Vec::new(); size], used: 0 }
    }

    fn mask(&self) -> u64 {
        self.buckets.len() as u64 - 1
    }

    fn push(&mut self, hash: u64, item: usize) {
        let at = (hash & self.mask()) as usize;
        self.buckets[at].insert(0, (hash, item));
        self.used += 1;
    }
}

/// `DICT_HT_INITIAL_SIZE`.
const INITIAL: usize = 4;

/// A dict of items (indices into the caller's values) by their hash.
#[derive(Debug)]
pub struct Dict {
    t0: Table,
    t1: Option<Table>,
    rehash_at: usize,
}

impl Default for Dict {
    fn default() -> Self {
        Dict { t0: Table::new(0), t1: None, rehash_at: 0 }
    }
}

impl Dict {
    /// `dictAdd`: false if an item `same` says is equal is already in.
    pub fn add(&mut self, hash: u64, item: usize, same: impl Fn(usize) -> bool) -> bool {
        if self.t1.is_some() {
            self.rehash_step();
        }
        if self.t1.is_none() {
            if self.t0.buckets.is_empty() {
                self.t0 = Table::new(INITIAL);
            } else if self.t0.used >= self.t0.buckets.len() {
                let size = (self.t0.used * 2).max(INITIAL).next_power_of_two();
                if size != self.t0.buckets.len() {
                    self.t1 = Some(Table::new(size));
                    self.rehash_at = 0;
                }
            }
        }
        for table in std::iter::once(&self.t0).chain(self.t1.as_ref()) {
            let chain = &table.buckets[(hash & table.mask()) as usize];
            if chain.iter().any(|&(_, other)| same(other)) {
                return false;
            }
        }
        self.t1.as_mut().unwrap_or(&mut self.t0).push(hash, item);
        true
    }

    /// `dictRehash(d, 1)`: move one bucket to the new table, looking at most at ten empty ones.
    fn rehash_step(&mut self) {
        let Some(t1) = self.t1.as_mut() else { return };
        if self.t0.used != 0 {
            let mut empty_visits = 10;
            while self.t0.buckets[self.rehash_at].is_empty() {
                self.rehash_at += 1;
                empty_visits -= 1;
                if empty_visits == 0 {
                    return;
                }
            }
            for (hash, item) in std::mem::take(&mut self.t0.buckets[self.rehash_at]) {
                t1.push(hash, item);
                self.t0.used -= 1;
            }
            self.rehash_at += 1;
        }
        if self.t0.used == 0 {
            self.t0 = self.t1.take().unwrap_or_else(|| Table::new(0));
        }
    }

    /// The items as `dictNext` yields them: the first table's buckets, then the second's.
    pub fn in_order(&self) -> impl Iterator<Item = usize> + '_ {
        let tables = std::iter::once(&self.t0).chain(self.t1.as_ref());
        tables.flat_map(|t| t.buckets.iter().flat_map(|chain| chain.iter().map(|&(_, item)| item)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_once_and_duplicates_refused() {
        let mut dict = Dict::default();
        let hashes: Vec<u64> = (0..100u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
        for (i, &h) in hashes.iter().enumerate() {
            assert!(dict.add(h, i, |other| hashes[other] == h));
        }
        assert!(!dict.add(hashes[7], 7, |other| other == 7));
        let mut seen: Vec<usize> = dict.in_order().collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
    }
}
