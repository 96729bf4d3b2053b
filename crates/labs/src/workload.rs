//! Traffic for the cache-aside lab: requests spread over virtual time, key popularity skewed
//! like real traffic (Zipf: a few hot keys, a long tail), a share of them updates.

use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Shape of the traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Requests per virtual second.
    pub requests_per_second: f64,
    /// Number of distinct items (product ids or prompts).
    pub keys: usize,
    /// Zipf exponent: 0 = uniform, ~1 = web-like skew, higher = hotter head.
    pub skew: f64,
    /// Fraction of requests that update the item at the source instead of reading it.
    pub update_share: f64,
}

impl Default for Workload {
    fn default() -> Self {
        Workload { requests_per_second: 20.0, keys: 200, skew: 1.0, update_share: 0.05 }
    }
}

/// One request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// Virtual time it arrives (ms).
    pub at_ms: u64,
    /// Item index in `0..keys`.
    pub item: usize,
    /// True for an update of the item, false for a read.
    pub update: bool,
}

/// A seeded generator of requests.
pub struct Generator {
    workload: Workload,
    rng: Xoshiro256PlusPlus,
    /// Cumulative Zipf weights, for sampling by binary search.
    cdf: Vec<f64>,
    next_at: f64,
}

impl Generator {
    pub fn new(workload: Workload, seed: u64, start_ms: u64) -> Generator {
        let keys = workload.keys.max(1);
        let mut cdf = Vec::with_capacity(keys);
        let mut total = 0.0;
        for rank in 1..=keys {
            total += 1.0 / (rank as f64).powf(workload.skew.max(0.0));
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        Generator { workload, rng: Xoshiro256PlusPlus::seed_from_u64(seed), cdf, next_at: start_ms as f64 }
    }

    fn unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// All requests arriving before `until_ms`, in order (Poisson arrivals).
    pub fn until(&mut self, until_ms: u64) -> Vec<Request> {
        let mut out = Vec::new();
        let rate = self.workload.requests_per_second.max(0.0) / 1000.0;
        if rate == 0.0 {
            self.next_at = until_ms as f64;
            return out;
        }
        while self.next_at < until_ms as f64 {
            let item = self.sample_item();
            let update = self.unit() < self.workload.update_share;
            out.push(Request { at_ms: self.next_at as u64, item, update });
            let gap = -(1.0 - self.unit()).ln() / rate;
            self.next_at += gap;
        }
        out
    }

    /// An item index drawn from the Zipf distribution (0 is the hottest).
    pub fn sample_item(&mut self) -> usize {
        let u = self.unit();
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1)
    }
}
