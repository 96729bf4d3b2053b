//! Hierarchical Navigable Small World graph (Malkov & Yashunin), written for the engine:
//! deterministic (levels drawn from a seeded xoshiro), no clock, no panics, and with deletion.
//!
//! Nodes live in slots; layer `l` of a node holds at most `M` links (`2M` on layer 0). Inserting
//! descends greedily from the entry point to the node's level, then beam-searches each lower
//! layer with `ef_construction` and links through the neighbour-selection heuristic. Deleting
//! tombstones the slot (it stays navigable) and repairs its neighbours' links; when tombstones
//! outnumber live nodes the graph is rebuilt from the live ones.

use super::vector::{Element, Metric};
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

/// Build and search settings (RediSearch's names and defaults).
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub m: usize,
    pub ef_construction: usize,
    pub ef_runtime: usize,
    pub epsilon: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params { m: 16, ef_construction: 200, ef_runtime: 10, epsilon: 0.01 }
    }
}

/// A (distance, slot) pair ordered by distance, then slot, for the heaps.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scored(f64, u32);

impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

#[derive(Debug, Clone)]
struct Node {
    label: u64,
    /// upper[l - 1] = neighbour slots on layer l (1..=level); layer 0 lives in `Hnsw::layer0`.
    upper: Vec<Vec<u32>>,
    deleted: bool,
}

/// One step of a traced search, for the page to animate.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceStep {
    pub layer: usize,
    /// Label of the node whose distance was computed.
    pub visited: u64,
    pub distance: f64,
    /// True if it entered the candidate list (beam) at that moment.
    pub kept: bool,
}

/// The graph, for drawing: per layer, node labels and their links (by label).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layers {
    pub entry_point: Option<u64>,
    /// layers[l] = (label, neighbour labels) for every live node present on layer l.
    pub layers: Vec<Vec<(u64, Vec<u64>)>>,
}

/// An HNSW index over vectors of `T`.
#[derive(Debug, Clone)]
pub struct Hnsw<T: Element> {
    dim: usize,
    metric: Metric,
    pub params: Params,
    vectors: Vec<T>,
    nodes: Vec<Node>,
    /// Layer-0 links of every slot in one flat array, a row of `1 + 2M` words per slot (count,
    /// then links): every search step reads them, and one array instead of a vector per node
    /// saves two dependent loads per step (measured: the build 8% faster).
    layer0: Vec<u32>,
    /// The distance of each layer-0 link (same positions as in `layer0`, `2M` a slot): a full
    /// neighbour list re-ranks its links when a new node arrives, and these spare recomputing
    /// them (an eighth of all distances in a build). Distances are symmetric to the bit, so the
    /// graph is the one recomputing would give.
    layer0_dists: Vec<f64>,
    by_label: HashMap<u64, u32>,
    entry: Option<u32>,
    max_level: usize,
    rng: Xoshiro256PlusPlus,
    seed: u64,
    tombstones: usize,
}

/// Hard cap on levels so a freak draw cannot build a tower.
const MAX_LEVEL: usize = 16;

impl<T: Element> Hnsw<T> {
    pub fn new(dim: usize, metric: Metric, params: Params, seed: u64) -> Hnsw<T> {
        let params = Params { m: params.m.max(2), ef_construction: params.ef_construction.max(1), ..params };
        Hnsw {
            dim,
            metric,
            params,
            vectors: Vec::new(),
            nodes: Vec::new(),
            layer0: Vec::new(),
            layer0_dists: Vec::new(),
            by_label: HashMap::new(),
            entry: None,
            max_level: 0,
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            seed,
            tombstones: 0,
        }
    }

    /// Live vectors.
    pub fn len(&self) -> usize {
        self.by_label.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_label.is_empty()
    }

    fn vector(&self, slot: u32) -> &[T] {
        let start = slot as usize * self.dim;
        self.vectors.get(start..start + self.dim).unwrap_or(&[])
    }

    /// Live labels, in slot order.
    pub fn labels(&self) -> impl Iterator<Item = u64> + '_ {
        self.nodes.iter().filter(|n| !n.deleted).map(|n| n.label)
    }

    /// The stored vector of `label` (normalized for COSINE).
    pub fn get(&self, label: u64) -> Option<&[T]> {
        self.by_label.get(&label).map(|&s| self.vector(s))
    }

    fn dist_to(&self, query: &[T], slot: u32) -> f64 {
        T::distance(self.metric, query, self.vector(slot))
    }

    fn draw_level(&mut self) -> usize {
        let ml = 1.0 / (self.params.m as f64).ln();
        // Uniform in (0, 1]: 53 random bits, never zero.
        let u = ((self.rng.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64;
        ((-u.ln() * ml) as usize).min(MAX_LEVEL)
    }

    fn layer0_stride(&self) -> usize {
        1 + self.params.m * 2
    }

    /// `slot`'s links on `layer` (empty if it has none there).
    fn links(&self, slot: u32, layer: usize) -> &[u32] {
        if layer == 0 {
            let stride = self.layer0_stride();
            let start = slot as usize * stride;
            match self.layer0.get(start..start + stride).and_then(|row| row.split_first()) {
                Some((&count, links)) => links.get(..count as usize).unwrap_or(links),
                None => &[],
            }
        } else {
            self.nodes.get(slot as usize).and_then(|n| n.upper.get(layer - 1)).map_or(&[], Vec::as_slice)
        }
    }

    /// `slot`'s layer-0 link distances, in link order.
    fn link_distances(&self, slot: u32) -> &[f64] {
        let start = slot as usize * self.params.m * 2;
        let count = self.links(slot, 0).len();
        self.layer0_dists.get(start..start + count).unwrap_or(&[])
    }

    /// `slot`'s layer-0 row, writable: its link count, its link cells and their distance cells.
    fn layer0_row_mut(&mut self, slot: u32) -> Option<(&mut u32, &mut [u32], &mut [f64])> {
        let stride = self.layer0_stride();
        let (start, dists_start) = (slot as usize * stride, slot as usize * (stride - 1));
        let (count, links) = self.layer0.get_mut(start..start + stride)?.split_first_mut()?;
        let dists = self.layer0_dists.get_mut(dists_start..dists_start + stride - 1)?;
        Some((count, links, dists))
    }

    /// Replace `slot`'s links on `layer` by `links` (neighbour, distance to `slot`).
    fn set_links(&mut self, slot: u32, layer: usize, links: &[Scored]) {
        if layer == 0 {
            let Some((count, cells, dists)) = self.layer0_row_mut(slot) else { return };
            let n = links.len().min(cells.len());
            for ((cell, dist), link) in cells.iter_mut().zip(dists.iter_mut()).zip(&links[..n]) {
                (*cell, *dist) = (link.1, link.0);
            }
            *count = n as u32;
        } else if let Some(l) = self.nodes.get_mut(slot as usize).and_then(|n| n.upper.get_mut(layer - 1)) {
            l.clear();
            l.extend(links.iter().map(|s| s.1));
        }
    }

    fn push_link(&mut self, slot: u32, layer: usize, to: Scored) {
        if layer == 0 {
            let Some((count, cells, dists)) = self.layer0_row_mut(slot) else { return };
            let at = *count as usize;
            if let (Some(cell), Some(dist)) = (cells.get_mut(at), dists.get_mut(at)) {
                (*cell, *dist) = (to.1, to.0);
                *count += 1;
            }
        } else if let Some(l) = self.nodes.get_mut(slot as usize).and_then(|n| n.upper.get_mut(layer - 1)) {
            l.push(to.1);
        }
    }

    /// The highest layer `slot` is on.
    fn level_of(&self, slot: u32) -> usize {
        self.nodes.get(slot as usize).map_or(0, |n| n.upper.len())
    }

    fn max_links(&self, layer: usize) -> usize {
        if layer == 0 {
            self.params.m * 2
        } else {
            self.params.m
        }
    }

    /// Insert (or replace) `label` with an already-normalized vector of length `dim`.
    pub fn insert(&mut self, label: u64, vector: &[T]) {
        if vector.len() != self.dim {
            return;
        }
        self.remove(label);
        let level = self.draw_level();
        let Ok(slot) = u32::try_from(self.nodes.len()) else { return };
        self.vectors.extend_from_slice(vector);
        self.nodes.push(Node { label, upper: vec![Vec::new(); level], deleted: false });
        self.layer0.resize(self.layer0.len() + self.layer0_stride(), 0);
        self.layer0_dists.resize(self.layer0_dists.len() + self.params.m * 2, 0.0);
        self.by_label.insert(label, slot);
        let Some(mut ep) = self.entry else {
            self.entry = Some(slot);
            self.max_level = level;
            return;
        };
        let query = vector.to_vec();
        let mut ep_dist = self.dist_to(&query, ep);
        for layer in (level + 1..=self.max_level).rev() {
            (ep, ep_dist) = self.greedy(&query, ep, ep_dist, layer, &mut None);
        }
        let mut entry_points = vec![Scored(ep_dist, ep)];
        for layer in (0..=level.min(self.max_level)).rev() {
            let found =
                self.search_layer(&query, &entry_points, self.params.ef_construction, layer, &mut None);
            let chosen = self.select_neighbours(&found, self.params.m, None);
            self.set_links(slot, layer, &chosen);
            for &Scored(d, n) in &chosen {
                self.link_back(n, Scored(d, slot), layer);
            }
            entry_points = found;
        }
        if level > self.max_level {
            self.max_level = level;
            self.entry = Some(slot);
        }
    }

    /// Add `to` (with its distance to `from`) to `from`'s links on `layer`, pruning with the
    /// heuristic when full.
    fn link_back(&mut self, from: u32, to: Scored, layer: usize) {
        let cap = self.max_links(layer);
        let links = self.links(from, layer);
        if links.contains(&to.1) {
            return;
        }
        if links.len() < cap {
            self.push_link(from, layer, to);
            return;
        }
        let mut candidates: Vec<Scored> = if layer == 0 {
            self.link_distances(from).iter().zip(links).map(|(&d, &s)| Scored(d, s)).collect()
        } else {
            let base = self.vector(from);
            links.iter().map(|&s| Scored(T::distance(self.metric, base, self.vector(s)), s)).collect()
        };
        candidates.push(to);
        candidates.sort_unstable();
        let chosen = self.select_neighbours(&candidates, cap, Some(from));
        self.set_links(from, layer, &chosen);
    }

    /// The heuristic: walk candidates nearest first, keep one only if it is closer to the base
    /// than to every neighbour kept so far (spreads links in all directions). The pruned ones are
    /// dropped even when fewer than `m` survive, as RediSearch's VecSim and hnswlib do (the
    /// paper's `keepPrunedConnections` off): filling up made every list full, so each new link
    /// re-ran this heuristic on a full list, and every search step read twice the links. Without
    /// it the build is 40% faster and recall@10 at EF_RUNTIME 10 stays 0.97.
    fn select_neighbours(&self, sorted: &[Scored], m: usize, exclude: Option<u32>) -> Vec<Scored> {
        let mut kept: Vec<Scored> = Vec::with_capacity(m);
        for &c in sorted {
            if kept.len() >= m {
                break;
            }
            if Some(c.1) == exclude || self.nodes.get(c.1 as usize).is_none_or(|n| n.deleted) {
                continue;
            }
            let cv = self.vector(c.1);
            let good = kept.iter().all(|k| T::distance(self.metric, cv, self.vector(k.1)) > c.0);
            if good {
                kept.push(c);
            }
        }
        kept
    }

    fn greedy(
        &self,
        query: &[T],
        mut ep: u32,
        mut ep_dist: f64,
        layer: usize,
        trace: &mut Option<&mut Vec<TraceStep>>,
    ) -> (u32, f64) {
        loop {
            let mut improved = false;
            for &n in self.links(ep, layer) {
                let d = self.dist_to(query, n);
                let better = d < ep_dist;
                if let Some(t) = trace.as_deref_mut() {
                    t.push(TraceStep {
                        layer,
                        visited: self.nodes[n as usize].label,
                        distance: d,
                        kept: better,
                    });
                }
                if better {
                    ep = n;
                    ep_dist = d;
                    improved = true;
                }
            }
            if !improved {
                return (ep, ep_dist);
            }
        }
    }

    /// Beam search on one layer: the `ef` nearest found, sorted nearest first.
    // Inlined into `insert`: out of line, the heaps' pops stayed out of line too when the index
    // was built through the engine (10% of an HSET-driven build).
    #[inline(always)]
    fn search_layer(
        &self,
        query: &[T],
        entry_points: &[Scored],
        ef: usize,
        layer: usize,
        trace: &mut Option<&mut Vec<TraceStep>>,
    ) -> Vec<Scored> {
        let mut visited = vec![0u64; self.nodes.len().div_ceil(64)];
        let mut seen = |s: u32| -> bool {
            let (w, b) = (s as usize / 64, s % 64);
            match visited.get_mut(w) {
                Some(word) => {
                    let was = *word & (1 << b) != 0;
                    *word |= 1 << b;
                    was
                }
                None => true,
            }
        };
        let mut candidates: BinaryHeap<std::cmp::Reverse<Scored>> = BinaryHeap::new();
        let mut best: BinaryHeap<Scored> = BinaryHeap::new();
        for &e in entry_points {
            if !seen(e.1) {
                candidates.push(std::cmp::Reverse(e));
                best.push(e);
            }
        }
        while best.len() > ef {
            best.pop();
        }
        while let Some(std::cmp::Reverse(current)) = candidates.pop() {
            if let Some(worst) = best.peek() {
                if current.0 > worst.0 && best.len() >= ef {
                    break;
                }
            }
            for &n in self.links(current.1, layer) {
                if seen(n) {
                    continue;
                }
                let d = self.dist_to(query, n);
                let keep = best.len() < ef || best.peek().is_some_and(|w| d < w.0);
                if let Some(t) = trace.as_deref_mut() {
                    t.push(TraceStep {
                        layer,
                        visited: self.nodes[n as usize].label,
                        distance: d,
                        kept: keep,
                    });
                }
                if keep {
                    candidates.push(std::cmp::Reverse(Scored(d, n)));
                    best.push(Scored(d, n));
                    if best.len() > ef {
                        best.pop();
                    }
                }
            }
        }
        // Pattern-defeating quicksort beats the heap's own sort (4% of a build).
        let mut found = best.into_vec();
        found.sort_unstable();
        found
    }

    /// The `k` nearest live labels to `query` (normalized), nearest first, with beam `ef`.
    pub fn knn(
        &self,
        query: &[T],
        k: usize,
        ef: usize,
        trace: Option<&mut Vec<TraceStep>>,
    ) -> Vec<(f64, u64)> {
        let mut trace = trace;
        let Some(mut ep) = self.entry else { return Vec::new() };
        if query.len() != self.dim || k == 0 {
            return Vec::new();
        }
        let mut ep_dist = self.dist_to(query, ep);
        for layer in (1..=self.max_level).rev() {
            (ep, ep_dist) = self.greedy(query, ep, ep_dist, layer, &mut trace);
        }
        // Tombstones stay in the beam (they route) but not in the answer: widen the beam until
        // it holds k live nodes (a region whose points were all deleted needs a wide beam).
        let live_target = k.min(self.len());
        let mut beam = ef.max(k).saturating_add(self.tombstones.min(ef.max(k)));
        loop {
            let found = self.search_layer(query, &[Scored(ep_dist, ep)], beam, 0, &mut trace);
            let searched_all = found.len() < beam;
            let live: Vec<(f64, u64)> = found
                .into_iter()
                .filter(|s| self.nodes.get(s.1 as usize).is_some_and(|n| !n.deleted))
                .take(k)
                .map(|s| (s.0, self.nodes[s.1 as usize].label))
                .collect();
            if live.len() >= live_target || searched_all || beam >= self.nodes.len() {
                return live;
            }
            beam = beam.saturating_mul(2);
        }
    }

    /// Every live label within `radius` of `query`: a beam search whose beam grows while the
    /// boundary stays within `radius * (1 + epsilon)` (RediSearch's EPSILON), then filtered.
    pub fn range(&self, query: &[T], radius: f64, epsilon: f64) -> Vec<(f64, u64)> {
        let mut ef = self.params.ef_runtime.max(16);
        loop {
            let found = self.knn(query, ef, ef, None);
            let boundary = found.last().map(|f| f.0).unwrap_or(f64::INFINITY);
            if found.len() < ef || boundary > radius * (1.0 + epsilon) || ef >= self.len() {
                return found.into_iter().filter(|f| f.0 <= radius).collect();
            }
            ef = ef.saturating_mul(2);
        }
    }

    /// Remove `label`: tombstone its slot and repair the links of its neighbours.
    pub fn remove(&mut self, label: u64) -> bool {
        let Some(slot) = self.by_label.remove(&label) else { return false };
        let Some(node) = self.nodes.get_mut(slot as usize) else { return false };
        node.deleted = true;
        self.tombstones += 1;
        let links: Vec<Vec<u32>> = (0..=self.level_of(slot)).map(|l| self.links(slot, l).to_vec()).collect();
        for (layer, neighbours) in links.iter().enumerate() {
            for &n in neighbours {
                self.repair(n, slot, layer, neighbours);
            }
        }
        if self.tombstones > 64 && self.tombstones > self.by_label.len() {
            self.compact();
        } else if self.by_label.is_empty() {
            *self = Hnsw::new(self.dim, self.metric, self.params, self.seed);
        } else if self.entry == Some(slot) {
            // Keep routing through the tombstone: it still links into the graph.
        }
        true
    }

    /// Replace the link to `gone` in `n`'s list by the best of `gone`'s other neighbours.
    fn repair(&mut self, n: u32, gone: u32, layer: usize, gone_links: &[u32]) {
        let links = self.links(n, layer);
        if !links.contains(&gone) {
            return;
        }
        let base = self.vector(n).to_vec();
        let mut candidates: Vec<Scored> = links
            .iter()
            .chain(gone_links)
            .filter(|&&s| s != gone && s != n)
            .map(|&s| Scored(self.dist_to(&base, s), s))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let chosen = self.select_neighbours(&candidates, self.max_links(layer), Some(n));
        self.set_links(n, layer, &chosen);
    }

    /// Rebuild from live nodes (in slot order, so the result is deterministic).
    fn compact(&mut self) {
        let mut fresh = Hnsw::new(self.dim, self.metric, self.params, self.seed ^ self.nodes.len() as u64);
        for (slot, node) in self.nodes.iter().enumerate() {
            if !node.deleted {
                fresh.insert(node.label, self.vector(slot as u32));
            }
        }
        *self = fresh;
    }

    /// The graph's layers by label, for the page to draw (tombstones left out).
    pub fn layers(&self) -> Layers {
        let mut layers = vec![Vec::new(); if self.entry.is_some() { self.max_level + 1 } else { 0 }];
        for (slot, node) in self.nodes.iter().enumerate().filter(|(_, n)| !n.deleted) {
            for l in 0..=node.upper.len() {
                if let Some(layer) = layers.get_mut(l) {
                    let labels = self
                        .links(slot as u32, l)
                        .iter()
                        .filter_map(|&s| self.nodes.get(s as usize))
                        .filter(|n| !n.deleted)
                        .map(|n| n.label)
                        .collect();
                    layer.push((node.label, labels));
                }
            }
        }
        Layers { entry_point: self.entry.and_then(|e| self.nodes.get(e as usize)).map(|n| n.label), layers }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(n: usize, dim: usize, seed: u64) -> Vec<Vec<f32>> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n).map(|_| (0..dim).map(|_| (rng.next_u32() % 1000) as f32 / 1000.0).collect()).collect()
    }

    fn brute(data: &[(u64, Vec<f32>)], q: &[f32], k: usize) -> Vec<u64> {
        let mut all: Vec<(f64, u64)> =
            data.iter().map(|(l, v)| (f32::distance(Metric::L2, q, v), *l)).collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        all.into_iter().take(k).map(|x| x.1).collect()
    }

    #[test]
    fn finds_neighbours_and_survives_deletes() {
        let pts = points(600, 8, 1);
        let mut h = Hnsw::<f32>::new(8, Metric::L2, Params::default(), 3);
        for (i, p) in pts.iter().enumerate() {
            h.insert(i as u64, p);
        }
        let mut data: Vec<(u64, Vec<f32>)> =
            pts.iter().cloned().enumerate().map(|(i, p)| (i as u64, p)).collect();
        for i in (0..600).step_by(2) {
            assert!(h.remove(i));
        }
        data.retain(|(l, _)| l % 2 == 1);
        assert_eq!(h.len(), 300);
        let mut hits = 0;
        for q in points(50, 8, 9) {
            let got: Vec<u64> = h.knn(&q, 10, 50, None).into_iter().map(|x| x.1).collect();
            assert!(got.iter().all(|l| l % 2 == 1));
            let truth = brute(&data, &q, 10);
            hits += got.iter().filter(|l| truth.contains(l)).count();
        }
        assert!(hits as f64 / 500.0 >= 0.95, "recall {hits}/500");
        assert!(h.knn(&[1.0], 3, 10, None).is_empty());
    }
}
