//! The order FT.AGGREGATE's groups come out in: RediSearch's grouper keeps them in klib's khash
//! (`KHASH_MAP_INIT_INT64`, keyed by a 64-bit FNV-1a hash of the group's values) and yields
//! them in bucket order. This is that table, insertions and resizes alike (the "kick-out"
//! rehash included), for groups that are only ever added.

/// `__ac_HASH_UPPER`.
const UPPER: f64 = 0.77;

/// A khash of 64-bit keys to group numbers.
#[derive(Debug, Default)]
pub struct KHash {
    keys: Vec<u64>,
    vals: Vec<usize>,
    used: Vec<bool>,
    n_buckets: u32,
    size: u32,
    upper_bound: u32,
}

/// `kh_int64_hash_func`.
fn hash(key: u64) -> u32 {
    ((key >> 33) ^ key ^ (key << 11)) as u32
}

/// `kroundup32`, at least 4 as `kh_resize` wants.
fn round_up(n: u32) -> u32 {
    n.checked_next_power_of_two().unwrap_or(u32::MAX).max(4)
}

impl KHash {
    /// `kh_get`: the value filed under `key`.
    pub fn get(&self, key: u64) -> Option<usize> {
        if self.n_buckets == 0 {
            return None;
        }
        let mask = self.n_buckets - 1;
        let (mut i, mut step) = (hash(key) & mask, 0);
        while self.used[i as usize] {
            if self.keys[i as usize] == key {
                return Some(self.vals[i as usize]);
            }
            step += 1;
            i = (i + step) & mask;
        }
        None
    }

    /// `kh_put` of a key not in the table yet.
    pub fn insert(&mut self, key: u64, val: usize) {
        if self.size >= self.upper_bound {
            if self.n_buckets > self.size << 1 {
                self.resize(self.n_buckets - 1);
            } else {
                self.resize(self.n_buckets + 1);
            }
        }
        let mask = self.n_buckets - 1;
        let (mut i, mut step) = (hash(key) & mask, 0);
        while self.used[i as usize] {
            if self.keys[i as usize] == key {
                return;
            }
            step += 1;
            i = (i + step) & mask;
        }
        let i = i as usize;
        (self.keys[i], self.vals[i], self.used[i]) = (key, val, true);
        self.size += 1;
    }

    /// `kh_resize`: rehash in place, moving each element to its new bucket and kicking out the
    /// one it lands on when that one has not moved yet.
    fn resize(&mut self, wanted: u32) {
        let n = round_up(wanted);
        if self.size >= (f64::from(n) * UPPER + 0.5) as u32 {
            return;
        }
        let old = self.n_buckets as usize;
        let mut pending: Vec<bool> = self.used.clone();
        let mut placed = vec![false; n as usize];
        if old < n as usize {
            self.keys.resize(n as usize, 0);
            self.vals.resize(n as usize, 0);
        }
        let mask = n - 1;
        for j in 0..old {
            if !pending[j] {
                continue;
            }
            let (mut key, mut val) = (self.keys[j], self.vals[j]);
            pending[j] = false;
            loop {
                let (mut i, mut step) = (hash(key) & mask, 0);
                while placed[i as usize] {
                    step += 1;
                    i = (i + step) & mask;
                }
                let i = i as usize;
                placed[i] = true;
                if i < old && pending[i] {
                    std::mem::swap(&mut self.keys[i], &mut key);
                    std::mem::swap(&mut self.vals[i], &mut val);
                    pending[i] = false;
                } else {
                    (self.keys[i], self.vals[i]) = (key, val);
                    break;
                }
            }
        }
        self.keys.truncate(n as usize);
        self.vals.truncate(n as usize);
        self.used = placed;
        self.n_buckets = n;
        self.upper_bound = (f64::from(n) * UPPER + 0.5) as u32;
    }

    /// The values in bucket order (`kh_begin` to `kh_end`).
    pub fn in_order(&self) -> impl Iterator<Item = usize> + '_ {
        self.used.iter().zip(&self.vals).filter(|(used, _)| **used).map(|(_, v)| *v)
    }
}

/// `fnv_64a_buf` as RediSearch calls it: FNV-1a from the running value (0 to start, not FNV's
/// offset basis).
pub fn fnv_64a(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_comes_out_once_through_growth() {
        let mut table = KHash::default();
        for i in 0..1000u64 {
            table.insert(fnv_64a(&i.to_le_bytes(), 0), i as usize);
        }
        assert_eq!(table.get(fnv_64a(&7u64.to_le_bytes(), 0)), Some(7));
        assert_eq!(table.get(fnv_64a(b"absent", 0)), None);
        let mut seen: Vec<usize> = table.in_order().collect();
        assert_ne!(seen, (0..1000).collect::<Vec<_>>(), "bucket order, not insertion order");
        seen.sort_unstable();
        assert_eq!(seen, (0..1000).collect::<Vec<_>>());
        assert_eq!(table.n_buckets, 2048);
    }
}
