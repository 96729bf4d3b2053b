//! RediSearch's min-max heap (`src/util/minmax_heap.c`), through which FT.SEARCH keeps its
//! best `offset + num` results by score. Ported step for step because its order shows when the
//! comparison is no total order: a NaN score (TF-IDF of a document with no weighted text, found
//! by a shape or a negation) ties with every score, and then the heap's path decides.

use std::cmp::Ordering;

struct Heap<T, F> {
    /// Slot 0 unused: the C code counts from 1.
    data: Vec<Option<T>>,
    cmp: F,
}

impl<T, F: Fn(&T, &T) -> Ordering> Heap<T, F> {
    fn count(&self) -> usize {
        self.data.len() - 1
    }
    fn get(&self, i: usize) -> &T {
        self.data[i].as_ref().expect("a heap slot in range")
    }
    fn gt(&self, x: usize, y: usize) -> bool {
        (self.cmp)(self.get(x), self.get(y)) == Ordering::Greater
    }
    fn lt(&self, x: usize, y: usize) -> bool {
        (self.cmp)(self.get(x), self.get(y)) == Ordering::Less
    }
    fn bubbleup_dir(&mut self, i: usize, max: bool) {
        let pp = i / 4;
        if pp == 0 {
            return;
        }
        if if max { self.gt(i, pp) } else { self.lt(i, pp) } {
            self.data.swap(i, pp);
            self.bubbleup_dir(pp, max);
        }
    }
    fn bubbleup(&mut self, i: usize) {
        let p = i / 2;
        if p == 0 {
            return;
        }
        // Levels alternate, min first (`__builtin_clz(i) & 1`).
        let min_level = (i as u32).leading_zeros() & 1 == 1;
        if min_level {
            if self.gt(i, p) {
                self.data.swap(i, p);
                self.bubbleup_dir(p, true);
            } else {
                self.bubbleup_dir(i, false);
            }
        } else if self.lt(i, p) {
            self.data.swap(i, p);
            self.bubbleup_dir(p, false);
        } else {
            self.bubbleup_dir(i, true);
        }
    }
    fn order(&self, max: bool, x: usize, y: usize) -> bool {
        if max {
            self.gt(x, y)
        } else {
            self.lt(x, y)
        }
    }
    fn choose3(&self, max: bool, a: usize, b: usize, c: usize) -> usize {
        if self.order(max, a, b) {
            if self.order(max, a, c) {
                a
            } else {
                c
            }
        } else if self.order(max, b, c) {
            b
        } else {
            c
        }
    }
    /// `index_best_child_grandchild_common`: the best of the children and grandchildren in range.
    fn best_below(&self, max: bool, i: usize) -> Option<usize> {
        let (a, b) = (2 * i, 2 * i + 1);
        let (c, d, e, f) = (2 * a, 2 * a + 1, 2 * b, 2 * b + 1);
        let n = self.count();
        Some(if f <= n {
            let first = if self.order(max, c, d) { c } else { d };
            self.choose3(max, first, e, f)
        } else if e <= n {
            self.choose3(max, c, d, e)
        } else if d <= n {
            self.choose3(max, b, c, d)
        } else if c <= n {
            if self.order(max, b, c) {
                b
            } else {
                c
            }
        } else if b <= n {
            if self.order(max, a, b) {
                a
            } else {
                b
            }
        } else if a <= n {
            a
        } else {
            return None;
        })
    }
    fn trickledown(&mut self, i: usize, max: bool) {
        let Some(m) = self.best_below(max, i) else { return };
        if m > 2 * i + 1 {
            if self.order(max, m, i) {
                self.data.swap(i, m);
                if self.order(!max, m, m / 2) {
                    self.data.swap(m, m / 2);
                }
                self.trickledown(m, max);
            }
        } else if self.order(max, m, i) {
            self.data.swap(i, m);
        }
    }
    fn insert(&mut self, v: T) {
        self.data.push(Some(v));
        let n = self.count();
        self.bubbleup(n);
    }
    fn exchange_min(&mut self, v: T) {
        self.data[1] = Some(v);
        self.trickledown(1, false);
    }
    fn pop_max(&mut self) -> Option<T> {
        let n = self.count();
        if n > 2 {
            let idx = if self.lt(2, 3) { 3 } else { 2 };
            if idx == n {
                return self.data.pop().flatten();
            }
            let last = self.data.pop().flatten();
            let out = std::mem::replace(&mut self.data[idx], last);
            self.trickledown(idx, true);
            return out;
        }
        if n == 0 {
            return None;
        }
        self.data.pop().flatten()
    }
}

/// The `keep` best of `items` (in the order the index reads them) as RediSearch's sorter keeps
/// and then yields them, best first, under `cmp` (greater is better).
pub fn best<T>(items: Vec<T>, keep: usize, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let keep = keep.max(1);
    let mut heap = Heap { data: vec![None], cmp };
    for item in items {
        if heap.count() < keep {
            heap.insert(item);
        } else if (heap.cmp)(&item, heap.get(1)) == Ordering::Greater {
            heap.exchange_min(item);
        }
    }
    std::iter::from_fn(|| heap.pop_max()).collect()
}
