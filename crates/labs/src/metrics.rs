//! What the cache-aside lab charts: hit ratio over time, latency of hits vs misses, calls and
//! cost saved, stale reads.

/// Latency samples with percentiles.
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    samples: Vec<f64>,
}

impl Latencies {
    pub fn record(&mut self, ms: f64) {
        self.samples.push(ms);
    }

    pub fn count(&self) -> usize {
        self.samples.len()
    }

    /// The `p`-th percentile (0..=100), nearest-rank; None with no samples.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.samples.is_empty() {
            return None;
        }
        let mut sorted = self.samples.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        Some(sorted[rank.clamp(1, sorted.len()) - 1])
    }

    pub fn mean(&self) -> Option<f64> {
        (!self.samples.is_empty()).then(|| self.samples.iter().sum::<f64>() / self.samples.len() as f64)
    }
}

/// One point of the hit-ratio timeline (per bucket of virtual time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioPoint {
    pub at_ms: u64,
    pub hits: u64,
    pub misses: u64,
}

impl RatioPoint {
    pub fn ratio(&self) -> f64 {
        let total = self.hits + self.misses;
        if total == 0 {
            0.0
        } else {
            self.hits as f64 / total as f64
        }
    }
}

/// Everything counted in a run.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub hits: u64,
    pub misses: u64,
    pub updates: u64,
    /// Reads served from the cache with an older version than the source has.
    pub stale_reads: u64,
    /// Calls that reached the slow source (reads on miss and writes).
    pub source_calls: u64,
    /// Source writes lost because the write-behind queue was dropped by a crash.
    pub lost_writes: u64,
    pub hit_latency: Latencies,
    pub miss_latency: Latencies,
    pub write_latency: Latencies,
    pub timeline: Vec<RatioPoint>,
    /// Width of a timeline bucket (virtual ms).
    pub bucket_ms: u64,
}

impl Metrics {
    pub fn new(bucket_ms: u64) -> Metrics {
        Metrics { bucket_ms: bucket_ms.max(1), ..Metrics::default() }
    }

    pub fn hit_ratio(&self) -> f64 {
        let total = self.hits + self.misses;
        if total == 0 {
            0.0
        } else {
            self.hits as f64 / total as f64
        }
    }

    /// Source calls avoided against the same traffic with no cache (every read and every write
    /// a call to the source), and their cost. Cache-aside avoids one per hit; write-behind also
    /// saves the writes its batched flushes fold together.
    pub fn saved(&self, cost_per_call: f64) -> (u64, f64) {
        let without_cache = self.hits + self.misses + self.updates;
        let avoided = without_cache.saturating_sub(self.source_calls);
        (avoided, avoided as f64 * cost_per_call)
    }

    pub(crate) fn record_read(&mut self, at_ms: u64, hit: bool, latency_ms: f64) {
        if hit {
            self.hits += 1;
            self.hit_latency.record(latency_ms);
        } else {
            self.misses += 1;
            self.miss_latency.record(latency_ms);
        }
        let bucket = at_ms / self.bucket_ms * self.bucket_ms;
        match self.timeline.last_mut() {
            Some(point) if point.at_ms == bucket => {
                if hit {
                    point.hits += 1
                } else {
                    point.misses += 1
                }
            }
            _ => self.timeline.push(RatioPoint { at_ms: bucket, hits: hit as u64, misses: (!hit) as u64 }),
        }
    }
}
