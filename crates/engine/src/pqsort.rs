//! Redis's `pqsort` (pqsort.c), shared by SORT ... BY ... LIMIT and GEOSEARCH ... COUNT: with a
//! range to fill, Redis sorts only the partitions that overlap it, and which of several equal
//! elements come first is this algorithm's doing, so the port is swap for swap.

use std::cmp::Ordering;

/// Redis's `pqsort` (pqsort.c: Bentley & McIlroy's quicksort, recursing only into the parts
/// that overlap positions `lo..=hi`), over `v[a..a + n]`, swap for swap, so that elements that
/// compare equal end up where Redis puts them.
pub fn pqsort<T>(
    v: &mut [T],
    mut a: usize,
    mut n: usize,
    lo: i64,
    hi: i64,
    cmp: &dyn Fn(&T, &T) -> Ordering,
) {
    use Ordering::{Equal, Greater, Less};
    let med3 = |v: &[T], a: usize, b: usize, c: usize| {
        if cmp(&v[a], &v[b]) == Less {
            if cmp(&v[b], &v[c]) == Less {
                b
            } else if cmp(&v[a], &v[c]) == Less {
                c
            } else {
                a
            }
        } else if cmp(&v[b], &v[c]) == Greater {
            b
        } else if cmp(&v[a], &v[c]) == Less {
            a
        } else {
            c
        }
    };
    // Does `v[start..start + len]` hold any position of the range?
    let overlaps = |start: usize, len: usize| {
        let (start, end) = (start as i64, (start + len) as i64);
        !((lo < start && hi < start) || (lo >= end && hi >= end))
    };
    loop {
        if n < 7 {
            for pm in a + 1..a + n {
                let mut pl = pm;
                while pl > a && cmp(&v[pl - 1], &v[pl]) == Greater {
                    v.swap(pl, pl - 1);
                    pl -= 1;
                }
            }
            return;
        }
        let mut pm = a + n / 2;
        if n > 7 {
            let (mut pl, mut pn) = (a, a + n - 1);
            if n > 40 {
                let d = n / 8;
                pl = med3(v, pl, pl + d, pl + 2 * d);
                pm = med3(v, pm - d, pm, pm + d);
                pn = med3(v, pn - 2 * d, pn - d, pn);
            }
            pm = med3(v, pl, pm, pn);
        }
        v.swap(a, pm);
        let (mut pa, mut pb, mut pc, mut pd) = (a + 1, a + 1, a + n - 1, a + n - 1);
        loop {
            while pb <= pc {
                match cmp(&v[pb], &v[a]) {
                    Greater => break,
                    Equal => {
                        v.swap(pa, pb);
                        pa += 1;
                    }
                    Less => {}
                }
                pb += 1;
            }
            while pb <= pc {
                match cmp(&v[pc], &v[a]) {
                    Less => break,
                    Equal => {
                        v.swap(pc, pd);
                        pd -= 1;
                    }
                    Greater => {}
                }
                pc -= 1;
            }
            if pb > pc {
                break;
            }
            v.swap(pb, pc);
            pb += 1;
            pc -= 1;
        }
        let pn = a + n;
        let r = (pa - a).min(pb - pa);
        for i in 0..r {
            v.swap(a + i, pb - r + i);
        }
        let r = (pd - pc).min(pn - pd - 1);
        for i in 0..r {
            v.swap(pb + i, pn - r + i);
        }
        let r = pb - pa;
        if r > 1 && overlaps(a, r) {
            pqsort(v, a, r, lo, hi, cmp);
        }
        let r = pd - pc;
        if r <= 1 || !overlaps(pn - r, r) {
            return;
        }
        a = pn - r;
        n = r;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The partial sort puts the right elements in the asked range, in order.
    #[test]
    fn pqsort_sorts_the_asked_range() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in [1usize, 5, 7, 8, 41, 100, 1000] {
            let mut v: Vec<i32> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % 50) as i32
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort();
            let k = (n / 3).max(1);
            pqsort(&mut v, 0, n, 0, k as i64 - 1, &|a: &i32, b: &i32| a.cmp(b));
            assert_eq!(v[..k], sorted[..k], "n={n}");
        }
    }
}
