//! The cache-aside lab: an app in front of a slow source, with the seeds' caching strategies.
//!
//! The source (a product database or an LLM) is simulated here: it keeps a version per item and
//! answers after a configurable latency, charging a cost per call. The cache is real: every
//! request becomes Redis commands (GET, SET ... EX, DEL, SCAN) run by a driver, so they show up
//! in the console and the key browser. Cached values carry the version they were read at, which
//! is how stale reads are detected.

use crate::flow::{command, Command, Flow, Step};
use crate::metrics::Metrics;
use crate::semantic::scan_reply;
use crate::workload::Request;
use bytes::Bytes;
use playground_engine::Frame;
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// How the app uses the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// The app reads the cache, loads from the source on a miss and stores with a TTL.
    CacheAside,
    /// The cache layer loads from the source on a miss; the app only talks to the cache.
    ReadThrough,
    /// Writes go to the source and the cache together: reads are never stale, writes are slower.
    WriteThrough,
    /// Writes go to the cache and reach the source later in batches: fast writes, but a crash
    /// before the flush loses them.
    WriteBehind,
}

impl Strategy {
    pub const ALL: [Strategy; 4] =
        [Strategy::CacheAside, Strategy::ReadThrough, Strategy::WriteThrough, Strategy::WriteBehind];

    pub fn name(self) -> &'static str {
        match self {
            Strategy::CacheAside => "Cache-aside",
            Strategy::ReadThrough => "Read-through",
            Strategy::WriteThrough => "Write-through",
            Strategy::WriteBehind => "Write-behind",
        }
    }

    /// What the strategy does on reads and writes, in a sentence (the lab shows it).
    pub fn describe(self) -> &'static str {
        match self {
            Strategy::CacheAside => {
                "The app asks Redis first; on a miss it reads the source itself and stores the answer \
                 with a TTL. A write goes to the source, and the cached copy is invalidated as chosen below."
            }
            Strategy::ReadThrough => {
                "The app only talks to the cache layer, which loads a missing item from the source and \
                 stores it; to the app every read is a cache read. Writes go to the source as in cache-aside."
            }
            Strategy::WriteThrough => {
                "Every write goes to the source and to Redis together, so reads never see a stale copy; \
                 each write pays the source's latency and cost."
            }
            Strategy::WriteBehind => {
                "Writes go to Redis at once and reach the source later, folded into one batched call per \
                 flush: fast, cheap writes, but a crash before the flush loses them."
            }
        }
    }
}

/// What happens to the cached copy when the source changes (cache-aside and read-through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalidation {
    /// Nothing: the TTL alone bounds staleness.
    TtlOnly,
    /// `DEL` the item's key.
    Delete,
    /// `SCAN` for the item's variants (`{key}:*`, e.g. per-language copies) and `DEL` them with
    /// the key itself.
    ScanPattern,
}

/// The slow thing behind the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// "Product database" or "LLM".
    pub name: String,
    /// Mean latency of one call, in ms (jittered +-20%).
    pub latency_ms: f64,
    /// Cost of one call, in dollars.
    pub cost_per_call: f64,
}

impl Source {
    pub fn database() -> Source {
        Source { name: "Product database".into(), latency_ms: 40.0, cost_per_call: 0.0001 }
    }

    pub fn llm() -> Source {
        Source { name: "LLM".into(), latency_ms: 1200.0, cost_per_call: 0.002 }
    }
}

/// A TTL preset from the course's TTL-by-data-type table (our wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TtlPreset {
    pub data: &'static str,
    pub min_seconds: u64,
    pub max_seconds: u64,
    pub why: &'static str,
}

/// TTL ranges by kind of data, as the course teaches them.
pub const TTL_PRESETS: [TtlPreset; 5] = [
    TtlPreset { data: "Rate-limit counters", min_seconds: 60, max_seconds: 300, why: "one window per key" },
    TtlPreset {
        data: "Inference results",
        min_seconds: 5 * 60,
        max_seconds: 60 * 60,
        why: "fresh enough; drop on model change",
    },
    TtlPreset {
        data: "User sessions",
        min_seconds: 15 * 60,
        max_seconds: 60 * 60,
        why: "idle sessions should end",
    },
    TtlPreset {
        data: "Product catalog",
        min_seconds: 60 * 60,
        max_seconds: 24 * 60 * 60,
        why: "changes a few times a day",
    },
    TtlPreset {
        data: "Static configuration",
        min_seconds: 24 * 60 * 60,
        max_seconds: 7 * 24 * 60 * 60,
        why: "almost never changes",
    },
];

/// Settings of one lab run.
#[derive(Debug, Clone, PartialEq)]
pub struct LabConfig {
    pub strategy: Strategy,
    pub invalidation: Invalidation,
    pub ttl_seconds: u64,
    pub source: Source,
    /// Round trip to Redis, ms (Azure Managed Redis in-region is well under a millisecond).
    pub redis_rtt_ms: f64,
    /// Key prefix, e.g. `product:`; an item's key is `{prefix}{item}`.
    pub key_prefix: String,
    /// Write-behind flush period (virtual ms).
    pub flush_every_ms: u64,
}

impl Default for LabConfig {
    fn default() -> Self {
        LabConfig {
            strategy: Strategy::CacheAside,
            invalidation: Invalidation::Delete,
            ttl_seconds: 300,
            source: Source::database(),
            redis_rtt_ms: 0.5,
            key_prefix: "product:".into(),
            flush_every_ms: 5_000,
        }
    }
}

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Hit { stale: bool },
    Miss,
    Write,
}

/// One hop of a request's path, for the animation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hop {
    AppToCache,
    CacheToApp,
    AppToSource,
    SourceToApp,
    CacheToSource,
    SourceToCache,
}

/// A finished request, with what it sent.
#[derive(Debug, Clone)]
pub struct Trace {
    pub request: Request,
    pub key: String,
    pub outcome: Outcome,
    pub latency_ms: f64,
    pub path: Vec<Hop>,
    pub commands: Vec<(Command, Frame)>,
}

/// The lab's state: the simulated source, the write-behind queue, the metrics.
pub struct CacheAsideLab {
    pub config: LabConfig,
    /// Latest version written by the app (the truth).
    truth: Vec<u64>,
    /// Version the source holds (lags the truth under write-behind).
    source: Vec<u64>,
    /// Write-behind: (item, version) waiting for the next flush.
    pending: Vec<(usize, u64)>,
    last_flush_ms: u64,
    rng: Xoshiro256PlusPlus,
    pub metrics: Metrics,
}

impl CacheAsideLab {
    pub fn new(config: LabConfig, items: usize, seed: u64, now: u64) -> CacheAsideLab {
        CacheAsideLab {
            config,
            truth: vec![1; items.max(1)],
            source: vec![1; items.max(1)],
            pending: Vec::new(),
            last_flush_ms: now,
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            metrics: Metrics::new(60_000),
        }
    }

    /// The Redis key of an item.
    pub fn key(&self, item: usize) -> String {
        format!("{}{}", self.config.key_prefix, item)
    }

    fn jittered_source_ms(&mut self) -> f64 {
        let u = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        self.config.source.latency_ms * (0.8 + 0.4 * u)
    }

    fn value_for(&self, item: usize, version: u64) -> String {
        format!("v{version}|{} #{item}", self.config.source.name)
    }

    /// Start handling a request: the returned flow emits its Redis commands.
    pub fn begin(&mut self, request: Request) -> RequestFlow {
        let item = request.item.min(self.truth.len() - 1);
        let key = self.key(item);
        let source_ms = self.jittered_source_ms();
        if request.update {
            self.truth[item] += 1;
            let version = self.truth[item];
            let value = self.value_for(item, version);
            let kind = match self.config.strategy {
                Strategy::WriteThrough => {
                    self.source[item] = version;
                    WriteKind::Through
                }
                Strategy::WriteBehind => {
                    self.pending.push((item, version));
                    WriteKind::Behind
                }
                _ => {
                    self.source[item] = version;
                    WriteKind::Invalidate(self.config.invalidation)
                }
            };
            return RequestFlow::new(
                request,
                key,
                self.config.clone(),
                source_ms,
                Plan::Write { kind, value },
            );
        }
        let source_version = self.source[item];
        let fresh = self.truth[item];
        let load_value = self.value_for(item, source_version);
        RequestFlow::new(
            request,
            key,
            self.config.clone(),
            source_ms,
            Plan::Read { latest_version: fresh, load_value },
        )
    }

    /// Count a finished request.
    pub fn record(&mut self, trace: &Trace) {
        match trace.outcome {
            Outcome::Hit { stale } => {
                self.metrics.record_read(trace.request.at_ms, true, trace.latency_ms);
                if stale {
                    self.metrics.stale_reads += 1;
                }
            }
            Outcome::Miss => {
                self.metrics.source_calls += 1;
                self.metrics.record_read(trace.request.at_ms, false, trace.latency_ms);
            }
            Outcome::Write => {
                self.metrics.updates += 1;
                if self.config.strategy != Strategy::WriteBehind {
                    self.metrics.source_calls += 1;
                }
                self.metrics.write_latency.record(trace.latency_ms);
            }
        }
    }

    /// Write-behind: apply queued writes to the source if a flush is due. Returns how many.
    pub fn flush_if_due(&mut self, now: u64) -> usize {
        if now < self.last_flush_ms + self.config.flush_every_ms {
            return 0;
        }
        self.last_flush_ms = now;
        let writes = std::mem::take(&mut self.pending);
        for &(item, version) in &writes {
            self.source[item] = self.source[item].max(version);
        }
        if !writes.is_empty() {
            // One batched call to the source per flush.
            self.metrics.source_calls += 1;
        }
        writes.len()
    }

    /// Simulate the app crashing: queued write-behind writes never reach the source.
    pub fn crash(&mut self) -> usize {
        let lost = self.pending.len();
        self.metrics.lost_writes += lost as u64;
        self.pending.clear();
        lost
    }

    /// Writes waiting for the next write-behind flush.
    pub fn pending_writes(&self) -> usize {
        self.pending.len()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WriteKind {
    Through,
    Behind,
    Invalidate(Invalidation),
}

#[derive(Debug, Clone)]
enum Plan {
    Read { latest_version: u64, load_value: String },
    Write { kind: WriteKind, value: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    AfterGet,
    AfterSet,
    AfterScan,
    AfterWrite,
}

/// One request in flight.
pub struct RequestFlow {
    request: Request,
    key: String,
    config: LabConfig,
    source_ms: f64,
    plan: Plan,
    stage: Stage,
    latency_ms: f64,
    path: Vec<Hop>,
    outcome: Option<Outcome>,
    /// Keys found so far by a SCAN-pattern invalidation.
    scanned: Vec<Bytes>,
}

impl RequestFlow {
    fn new(request: Request, key: String, config: LabConfig, source_ms: f64, plan: Plan) -> RequestFlow {
        RequestFlow {
            request,
            key,
            config,
            source_ms,
            plan,
            stage: Stage::Start,
            latency_ms: 0.0,
            path: Vec::new(),
            outcome: None,
            scanned: Vec::new(),
        }
    }

    fn set_cmd(&self, value: &str) -> Command {
        command([
            "SET".as_bytes(),
            self.key.as_bytes(),
            value.as_bytes(),
            b"EX",
            self.config.ttl_seconds.to_string().as_bytes(),
        ])
    }

    /// One page of the invalidation's `SCAN` over the item's variants (`{key}:*`; a bare `{key}*`
    /// would also match item 10 when invalidating item 1).
    fn scan_cmd(&self, cursor: &[u8]) -> Command {
        let pattern = format!("{}:*", self.key);
        command([b"SCAN".as_slice(), cursor, b"MATCH", pattern.as_bytes(), b"COUNT", b"1000"])
    }

    fn done(&mut self, outcome: Outcome) -> Step<Trace> {
        self.outcome = Some(outcome);
        Step::Done(Trace {
            request: self.request,
            key: self.key.clone(),
            outcome,
            latency_ms: self.latency_ms,
            path: std::mem::take(&mut self.path),
            commands: Vec::new(),
        })
    }

    fn cache_rtt(&mut self, there: Hop, back: Hop) {
        self.latency_ms += self.config.redis_rtt_ms;
        self.path.push(there);
        self.path.push(back);
    }
}

/// The version encoded in a cached value (`v{n}|...`).
fn cached_version(value: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(value).ok()?;
    text.strip_prefix('v')?.split('|').next()?.parse().ok()
}

impl Flow for RequestFlow {
    type Output = Trace;

    fn start(&mut self) -> Step<Trace> {
        match self.plan.clone() {
            Plan::Read { .. } => {
                self.stage = Stage::AfterGet;
                self.cache_rtt(Hop::AppToCache, Hop::CacheToApp);
                Step::Send(vec![command(["GET".as_bytes(), self.key.as_bytes()])])
            }
            Plan::Write { kind: WriteKind::Through, value } => {
                // Source write and cache write, one after the other.
                self.latency_ms += self.source_ms;
                self.path.extend([Hop::AppToSource, Hop::SourceToApp]);
                self.cache_rtt(Hop::AppToCache, Hop::CacheToApp);
                self.stage = Stage::AfterWrite;
                Step::Send(vec![self.set_cmd(&value)])
            }
            Plan::Write { kind: WriteKind::Behind, value } => {
                self.cache_rtt(Hop::AppToCache, Hop::CacheToApp);
                self.stage = Stage::AfterWrite;
                Step::Send(vec![self.set_cmd(&value)])
            }
            Plan::Write { kind: WriteKind::Invalidate(how), .. } => {
                self.latency_ms += self.source_ms;
                self.path.extend([Hop::AppToSource, Hop::SourceToApp]);
                match how {
                    Invalidation::TtlOnly => self.done(Outcome::Write),
                    Invalidation::Delete => {
                        self.cache_rtt(Hop::AppToCache, Hop::CacheToApp);
                        self.stage = Stage::AfterWrite;
                        Step::Send(vec![command(["DEL".as_bytes(), self.key.as_bytes()])])
                    }
                    Invalidation::ScanPattern => {
                        self.cache_rtt(Hop::AppToCache, Hop::CacheToApp);
                        self.stage = Stage::AfterScan;
                        Step::Send(vec![self.scan_cmd(b"0")])
                    }
                }
            }
        }
    }

    fn resume(&mut self, replies: Vec<Frame>) -> Step<Trace> {
        match self.stage {
            Stage::AfterGet => {
                let Plan::Read { latest_version, load_value } = self.plan.clone() else {
                    return self.done(Outcome::Miss);
                };
                match replies.first() {
                    Some(Frame::Bulk(value)) => {
                        let stale = cached_version(value).is_some_and(|v| v < latest_version);
                        self.done(Outcome::Hit { stale })
                    }
                    _ => {
                        // Miss: the app (cache-aside) or the cache (read-through) loads and stores.
                        self.latency_ms += self.source_ms;
                        if self.config.strategy == Strategy::ReadThrough {
                            self.path.extend([Hop::CacheToSource, Hop::SourceToCache]);
                        } else {
                            self.path.extend([Hop::AppToSource, Hop::SourceToApp]);
                        }
                        self.cache_rtt(Hop::AppToCache, Hop::CacheToApp);
                        self.stage = Stage::AfterSet;
                        Step::Send(vec![self.set_cmd(&load_value)])
                    }
                }
            }
            Stage::AfterSet => self.done(Outcome::Miss),
            Stage::AfterScan => {
                // SCAN walks the keyspace in pages: follow the cursor until it comes back to 0,
                // or a key written between pages could be missed.
                let (cursor, keys) = replies.first().and_then(scan_reply).unwrap_or_default();
                self.scanned.extend(keys);
                if !cursor.is_empty() && cursor.as_ref() != b"0" {
                    self.cache_rtt(Hop::AppToCache, Hop::CacheToApp);
                    return Step::Send(vec![self.scan_cmd(&cursor)]);
                }
                self.cache_rtt(Hop::AppToCache, Hop::CacheToApp);
                self.stage = Stage::AfterWrite;
                let mut del = vec![Bytes::from_static(b"DEL"), Bytes::from(self.key.clone().into_bytes())];
                del.append(&mut self.scanned);
                Step::Send(vec![del])
            }
            Stage::AfterWrite | Stage::Start => self.done(Outcome::Write),
        }
    }
}

/// Run requests against an engine at their arrival times; returns their traces (with commands).
pub fn run_on_engine(
    lab: &mut CacheAsideLab,
    requests: &[Request],
    engine: &mut impl crate::flow::Executor,
    client: u64,
) -> Vec<Trace> {
    let mut traces = Vec::with_capacity(requests.len());
    for &request in requests {
        engine.tick(request.at_ms);
        lab.flush_if_due(request.at_ms);
        let mut flow = lab.begin(request);
        let (mut trace, log) = crate::flow::run_on_engine(&mut flow, engine, client, request.at_ms);
        trace.commands = log;
        lab.record(&trace);
        traces.push(trace);
    }
    traces
}
