//! LATENCY: per-command latency histograms and the latency monitor's events, as Redis's
//! `latency.c` keeps them, measured on the engine's own work.
//!
//! A command's latency is its time on the virtual clock (DEBUG SLEEP's, 0 for the rest: the
//! engine has no clock to measure microseconds). Histograms bucket it as Redis's HDR histogram
//! reports it (1024 ns at least, powers of two from there, 2 significant figures); a command
//! that took `latency-monitor-threshold` ms or more adds a sample to the `command` event
//! (`fast-command` for fast commands): at most one a second, 160 kept. An active expiry cycle
//! is timed by the host that runs it (`Engine::expire_cycle_took`, `emulate`'s own clock, as
//! Redis times its cycle): a long one is an `expire-cycle` sample. Eviction runs in no
//! measurable time here, so its events never occur.

use super::connection::help_lines;
use super::{spec, CommandSpec};
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::server::Server;
use std::collections::BTreeMap;

const ADMIN: &[&str] = &["admin", "noscript", "loading", "stale"];

pub const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "latency",
    arity: -2,
    flags: &[],
    keys: (0, 0, 0),
    group: "server",
    summary: "Inspect the latency monitor's events and the per-command latency histograms.",
    syntax: "subcommand [argument ...]",
    run: super::container,
    subcommands: SUBCOMMANDS,
}];

crate::cmd::lazy_table!(
    SUBCOMMANDS,
    FULL = [
        spec("doctor", 2, ADMIN, (0, 0, 0), "server", "A human-readable latency analysis.", "", doctor),
        spec("graph", 3, ADMIN, (0, 0, 0), "server", "An ASCII graph of an event's latency.", "event", graph),
        spec("history", 3, ADMIN, (0, 0, 0), "server", "An event's latency samples.", "event", history),
        spec("latest", 2, ADMIN, (0, 0, 0), "server", "The latest sample of every event.", "", latest),
        spec(
            "reset",
            -2,
            ADMIN,
            (0, 0, 0),
            "server",
            "Forget events (all, or those named).",
            "[event [event ...]]",
            reset,
        ),
        spec(
            "histogram",
            -2,
            &["admin", "noscript", "loading", "stale"],
            (0, 0, 0),
            "server",
            "Cumulative latency histograms of commands (all, or those named).",
            "[command [command ...]]",
            histogram,
        ),
        spec("help", 2, &["loading", "stale"], (0, 0, 0), "server", "Show LATENCY's subcommands.", "", help),
    ]
);

/// Samples kept per event (Redis's LATENCY_TS_LEN).
const KEPT: usize = 160;

/// One event's samples (time in s, latency in ms), oldest first, and its all-time high.
#[derive(Debug, Default, Clone)]
pub struct Series {
    samples: std::collections::VecDeque<(u64, u64)>,
    max: u64,
}

/// The events in the order they first occurred.
pub type Events = indexmap::IndexMap<&'static str, Series>;

/// The histogram bucket (µs, as LATENCY HISTOGRAM prints it) of a command that took `us`.
pub fn bucket(us: u64) -> u64 {
    // Redis's hdr_histogram(1024 ns .. 1 s, 2 significant figures) read by a log iterator from
    // 1024 ns, doubling: a value is reported at the first power of two at or above its bucket,
    // as that level's highest equivalent value.
    let ns = us.saturating_mul(1000).clamp(1024, 1_000_000_000);
    let level = lowest_equivalent(ns).next_power_of_two().max(1024);
    (lowest_equivalent(level) + equivalent_range(level) - 1) / 1000
}

/// hdr_histogram's bucket and sub-bucket of `value` (unit 2^10, 256 sub-buckets).
fn buckets(value: u64) -> (u32, u64) {
    let pow2ceiling = 64 - (value | (255 << 10)).leading_zeros();
    let bucket = pow2ceiling - 10 - 8;
    (bucket, value >> (bucket + 10))
}

fn lowest_equivalent(value: u64) -> u64 {
    let (bucket, sub) = buckets(value);
    sub << (bucket + 10)
}

fn equivalent_range(value: u64) -> u64 {
    let (bucket, sub) = buckets(value);
    1 << (10 + if sub >= 256 { bucket + 1 } else { bucket })
}

/// A command that took `us` µs: a sample of its event when over the threshold (Redis's
/// `latencyAddSampleIfNeeded`).
pub fn sample(server: &mut Server, spec: &CommandSpec, us: u64, now: u64) {
    let event = if spec.has_flag("fast") { "fast-command" } else { "command" };
    add_sample(server, event, us / 1000, now);
}

/// `event` took `ms`: a sample when over the threshold, the largest one kept per second.
pub fn add_sample(server: &mut Server, event: &'static str, ms: u64, now: u64) {
    let threshold = server.config.latency_monitor_threshold;
    if threshold == 0 || ms < threshold {
        return;
    }
    let series = server.latency.entry(event).or_default();
    series.max = series.max.max(ms);
    let second = now / 1000;
    if let Some(last) = series.samples.back_mut().filter(|(t, _)| *t == second) {
        last.1 = last.1.max(ms);
        return;
    }
    if series.samples.len() == KEPT {
        series.samples.pop_front();
    }
    series.samples.push_back((second, ms));
}

fn history(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = args.next_bytes()?;
    let samples = find(&ctx.server.latency, &name).map(|s| &s.samples);
    let pairs = samples.into_iter().flatten().map(|(t, ms)| Frame::Array(vec![int(*t), int(*ms)]));
    Ok(Frame::Array(pairs.collect()))
}

fn latest(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let events = ctx.server.latency.iter().map(|(name, s)| {
        let (t, ms) = s.samples.back().copied().unwrap_or_default();
        Frame::Array(vec![Frame::bulk(*name), int(t), int(ms), int(s.max)])
    });
    Ok(Frame::Array(events.collect()))
}

fn reset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let events = &mut ctx.server.latency;
    if args.is_empty() {
        let n = events.len();
        events.clear();
        return Ok(int(n as u64));
    }
    let mut n = 0;
    while let Some(name) = args.next_opt() {
        n += usize::from(events.shift_remove(&*String::from_utf8_lossy(&name)).is_some());
    }
    Ok(int(n as u64))
}

fn find<'a>(events: &'a Events, name: &[u8]) -> Option<&'a Series> {
    events.iter().find(|(n, _)| n.as_bytes() == name).map(|(_, s)| s)
}

fn int(n: u64) -> Frame {
    Frame::Integer(n as i64)
}

/// LATENCY HISTOGRAM: every command called since the last CONFIG RESETSTAT, or the named ones
/// (a container names its subcommands; unknown names are skipped).
fn histogram(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let calls = &ctx.server.stats.command_calls;
    let of = |spec: &CommandSpec| calls.get(&(std::ptr::from_ref(spec) as usize)).filter(|c| c.calls > 0);
    let entry = |c: &crate::server::CommandCalls| {
        let mut cumulative = 0;
        let buckets = c.histogram.iter().map(|(us, n)| {
            cumulative += n;
            (int(*us), int(cumulative))
        });
        let map = vec![
            (Frame::bulk("calls"), int(c.calls)),
            (Frame::bulk("histogram_usec"), Frame::Map(buckets.collect())),
        ];
        (Frame::bulk(c.name.clone()), Frame::Map(map))
    };
    let mut out = Vec::new();
    if args.is_empty() {
        let mut all: Vec<_> = calls.values().filter(|c| c.calls > 0).collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(all.into_iter().map(entry));
    }
    while let Some(name) = args.next_opt() {
        let name = crate::args::lower(&name);
        let (top, sub) = name.split_once('|').map_or((name.as_str(), None), |(t, s)| (t, Some(s)));
        let Some(spec) = super::lookup(top) else { continue };
        let spec = match sub {
            Some(sub) => match spec.subcommands.iter().find(|s| s.name == sub) {
                Some(s) => s,
                None => continue,
            },
            None => spec,
        };
        out.extend(of(spec).map(entry));
        out.extend(spec.subcommands.iter().filter_map(of).map(entry));
    }
    Ok(Frame::Map(out))
}

/// Redis's `createLatencyReport` for the events the engine has (`command`, `fast-command`).
fn doctor(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let server = &*ctx.server;
    let threshold = server.config.latency_monitor_threshold;
    if server.latency.is_empty() && threshold == 0 {
        return Ok(Frame::Verbatim("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n".into()));
    }
    let mut report = String::new();
    let (mut slowlog_enable, mut slowlog_tune, mut inspect, mut scheduler) = (false, false, false, false);
    let now_s = ctx.now / 1000;
    for (i, (name, s)) in server.latency.iter().enumerate() {
        if i == 0 {
            report.push_str("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
        }
        let n = s.samples.len() as u64;
        let sum: u64 = s.samples.iter().map(|(_, ms)| ms).sum();
        let avg = sum.checked_div(n).unwrap_or(0);
        let mad = s.samples.iter().map(|(_, ms)| avg.abs_diff(*ms)).sum::<u64>().checked_div(n).unwrap_or(0);
        let oldest = s.samples.iter().map(|(t, _)| *t).min().unwrap_or(0);
        let period = if n > 0 { now_s.saturating_sub(oldest).max(1) } else { 0 };
        report.push_str(&format!(
            "{}. {name}: {n} latency spikes (average {avg}ms, mean deviation {mad}ms, period {:.2} sec). Worst all time event {}ms.",
            i + 1,
            period as f64 / n as f64,
            s.max
        ));
        if *name == "command" {
            let config = &server.config;
            if config.slowlog_slower_than < 0 || config.slowlog_max_len == 0 {
                slowlog_enable = true;
            } else if (config.slowlog_slower_than / 1000) as u64 > threshold {
                slowlog_tune = true;
            }
            inspect = true;
        }
        scheduler |= *name == "fast-command";
        report.push('\n');
    }
    if server.latency.is_empty() {
        report.push_str("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        return Ok(Frame::Verbatim(report.into()));
    }
    report.push_str("\nI have a few advices for you:\n\n");
    if slowlog_enable {
        report.push_str(&format!("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n", threshold * 1000));
    }
    if slowlog_tune {
        report.push_str(&format!("- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {}'.\n", threshold * 1000));
    }
    if inspect {
        report.push_str("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
    }
    if scheduler {
        report.push_str("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n  1) Lower the system load.\n  2) Use a computer / VM just for Redis if you are running other software in the same system.\n  3) Check if you have a \"noisy neighbour\" problem.\n  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n");
    }
    if inspect {
        report.push_str("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
    }
    Ok(Frame::Verbatim(report.into()))
}

/// LATENCY GRAPH: Redis's sparkline of an event's samples, labelled with their age.
fn graph(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let name = args.next_bytes()?;
    let Some(s) = find(&ctx.server.latency, &name) else {
        return Err(CmdError::err(format!(
            "No samples available for event '{}'",
            String::from_utf8_lossy(&name)
        )));
    };
    let now_s = ctx.now / 1000;
    let samples: Vec<(f64, String)> = s
        .samples
        .iter()
        .map(|(t, ms)| {
            let ago = now_s.saturating_sub(*t);
            let label = match ago {
                a if a < 60 => format!("{a}s"),
                a if a < 3600 => format!("{}m", a / 60),
                a if a < 86400 => format!("{}h", a / 3600),
                a => format!("{}d", a / 86400),
            };
            (*ms as f64, label)
        })
        .collect();
    let high = s.samples.iter().map(|(_, ms)| *ms).max().unwrap_or(0);
    let low = s.samples.iter().map(|(_, ms)| *ms).min().unwrap_or(0);
    let mut out = format!(
        "{} - high {high} ms, low {low} ms (all time high {} ms)\n{}\n",
        String::from_utf8_lossy(&name),
        s.max,
        "-".repeat(80)
    );
    for (i, chunk) in samples.chunks(80).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        sparkline(&mut out, &samples, chunk.len(), i * 80);
    }
    Ok(Frame::Verbatim(out.into()))
}

/// Redis's `sparklineRenderRange` with 4 rows and the fill charset, labels under the columns.
fn sparkline(out: &mut String, samples: &[(f64, String)], len: usize, offset: usize) {
    const ROWS: i64 = 4;
    const CHARS: &[u8] = b"_o#";
    let min = samples.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
    let max = samples.iter().map(|s| s.0).fold(f64::NEG_INFINITY, f64::max);
    let relmax = if max - min == 0.0 { 1.0 } else { max - min };
    let steps = CHARS.len() as i64 * ROWS;
    let mut row = 0;
    loop {
        let mut go = false;
        let mut line = vec![b' '; len];
        for (j, cell) in line.iter_mut().enumerate() {
            let (value, label) = &samples[j + offset];
            // C's `(int) (relval*steps)/relmax`: the product is cut to an int first.
            let step = (((value - min) * steps as f64).trunc() / relmax) as i64;
            let step = step.clamp(0, steps - 1);
            if row < ROWS {
                let idx = step - (ROWS - row - 1) * CHARS.len() as i64;
                go = true;
                if (0..CHARS.len() as i64).contains(&idx) {
                    *cell = CHARS[idx as usize];
                } else if idx >= CHARS.len() as i64 {
                    *cell = b'|';
                }
            } else {
                // One blank row between the graph and the labels.
                if row - ROWS < 1 {
                    go = true;
                    break;
                }
                let at = (row - ROWS - 1) as usize;
                if let Some(c) = label.as_bytes().get(at) {
                    go = true;
                    *cell = *c;
                }
            }
        }
        if !go {
            break;
        }
        row += 1;
        out.push_str(&String::from_utf8_lossy(&line));
        out.push('\n');
    }
}

fn help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "LATENCY",
        &[
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
        ],
    ))
}

/// A command's calls per histogram bucket (µs), kept with its INFO commandstats line.
pub type Histogram = BTreeMap<u64, u64>;
