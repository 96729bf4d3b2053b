//! The cache-aside lab: a simulated AI app in front of a slow source, with every request's
//! commands run in the page's engine on the virtual clock.

use super::charts::{Bars, LineChart};
use super::command_log::CommandLog;
use super::flow_diagram::FlowDiagram;
use super::keep::{keep, Shelf};
use super::link::{Link, LinkExecutor};
use super::target::LabTarget;
use gloo::timers::callback::Interval;
use playground_labs::cache_aside::{
    run_on_engine, CacheAsideLab, Invalidation, LabConfig, Outcome, Source, Strategy, Trace, TTL_PRESETS,
};
use playground_labs::flow::drive;
use playground_labs::workload::{Generator, Request, Workload};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// How many finished requests the log keeps.
const KEEP_TRACES: usize = 8;
/// Real ms between lab steps while traffic runs.
const STEP_MS: u32 = 250;
const HOUR_MS: u64 = 3_600_000;

/// The lab's settings, as the controls show them.
#[derive(Debug, Clone, PartialEq)]
struct Settings {
    strategy: Strategy,
    invalidation: Invalidation,
    ttl_seconds: u64,
    llm: bool,
    latency_ms: f64,
    workload: Workload,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            strategy: Strategy::CacheAside,
            invalidation: Invalidation::Delete,
            ttl_seconds: 300,
            llm: false,
            latency_ms: Source::database().latency_ms,
            workload: Workload::default(),
        }
    }
}

impl Settings {
    fn config(&self) -> LabConfig {
        let mut source = if self.llm { Source::llm() } else { Source::database() };
        source.latency_ms = self.latency_ms;
        LabConfig {
            strategy: self.strategy,
            invalidation: self.invalidation,
            ttl_seconds: self.ttl_seconds,
            key_prefix: if self.llm { "llm:answer:".into() } else { "product:".into() },
            source,
            ..LabConfig::default()
        }
    }
}

/// Requests in flight to a real server before new traffic is shed (a slow link must not pile up
/// an unbounded queue in the page).
const MAX_IN_FLIGHT: usize = 64;

/// A run of the lab: the simulation, its traffic, where its commands go, its log.
struct Run {
    lab: CacheAsideLab,
    traffic: Generator,
    target: LabTarget,
    traces: VecDeque<Trace>,
    requests: u64,
    started_ms: u64,
    /// Requests sent to a real server and not answered yet.
    in_flight: usize,
    /// Requests dropped because too many were in flight.
    shed: u64,
    /// Which run this is: replies for an earlier run (settings changed) are ignored.
    id: u64,
    /// The settings it runs with.
    settings: Settings,
}

/// The lab's shared run, reached from timers and from replies that arrive later.
type SharedRun = Rc<RefCell<Option<Run>>>;

/// Milliseconds on the wall clock: a real server's TTLs run on real time, not on the page's
/// virtual clock.
fn wall_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl Run {
    fn new(settings: &Settings, engine: &Link, target: LabTarget, id: u64) -> Run {
        let now = if target.is_remote() { wall_ms() } else { engine.now() };
        Run {
            lab: CacheAsideLab::new(settings.config(), settings.workload.keys, 42, now),
            traffic: Generator::new(settings.workload.clone(), 7, now),
            target,
            traces: VecDeque::new(),
            requests: 0,
            started_ms: now,
            in_flight: 0,
            shed: 0,
            id,
            settings: settings.clone(),
        }
    }

    /// The run's present: the virtual clock in the page, the wall clock on a real server.
    fn now(&self, engine: &Link) -> u64 {
        if self.target.is_remote() {
            wall_ms()
        } else {
            engine.now()
        }
    }

    fn keep(&mut self, trace: Trace) {
        self.requests += 1;
        self.traces.push_front(trace);
        self.traces.truncate(KEEP_TRACES);
    }
}

/// Play requests: in the page's engine at once, each at its own virtual time (so an hour of
/// traffic expires keys as it goes); on a real server each request is a flow driven by the
/// replies as they arrive.
fn play(shared: &SharedRun, engine: &Link, requests: &[Request], refresh: &UseForceUpdateHandle) {
    let Ok(mut guard) = shared.try_borrow_mut() else { return };
    let Some(run) = guard.as_mut() else { return };
    match run.target.clone() {
        LabTarget::Local { client, .. } => {
            let traces = run_on_engine(&mut run.lab, requests, &mut LinkExecutor(&**engine), client);
            for trace in traces {
                run.keep(trace);
            }
        }
        LabTarget::Remote(..) => {
            let sender = run.target.sender();
            // Hits cost what the link really costs: the measured round trip, not an assumed one.
            if let Some(ms) = run.target.round_trip_ms() {
                run.lab.config.redis_rtt_ms = ms;
            }
            for &request in requests {
                if run.in_flight >= MAX_IN_FLIGHT {
                    run.shed += 1;
                    continue;
                }
                run.lab.flush_if_due(request.at_ms);
                let flow = run.lab.begin(request);
                run.in_flight += 1;
                let (shared, refresh, id) = (shared.clone(), refresh.clone(), run.id);
                drive(flow, sender.clone(), move |mut trace, exchanged| {
                    if let Ok(mut guard) = shared.try_borrow_mut() {
                        if let Some(run) = guard.as_mut().filter(|r| r.id == id) {
                            run.in_flight = run.in_flight.saturating_sub(1);
                            trace.commands = exchanged;
                            run.lab.record(&trace);
                            run.keep(trace);
                        }
                    }
                    refresh.force_update();
                });
            }
        }
    }
}

/// Traffic that arrived up to the run's present.
fn catch_up(shared: &SharedRun, engine: &Link, refresh: &UseForceUpdateHandle) {
    let due = {
        let Ok(mut guard) = shared.try_borrow_mut() else { return };
        let Some(run) = guard.as_mut() else { return };
        let now = run.now(engine);
        run.lab.flush_if_due(now);
        run.traffic.until(now)
    };
    // After a long pause (or a day's jump) keep the page responsive: play the last 2000.
    let start = due.len().saturating_sub(2_000);
    play(shared, engine, &due[start..], refresh);
}

/// Play an hour of traffic at once, each request at its own virtual time, then move the page's
/// clock to the end of the hour (in the page only: a real server's TTLs run on real time).
fn simulate_hour(shared: &SharedRun, s: &Link, refresh: &UseForceUpdateHandle) {
    let until = s.now() + HOUR_MS;
    let due = match shared.try_borrow_mut() {
        Ok(mut guard) => match guard.as_mut() {
            Some(r) if !r.target.is_remote() => r.traffic.until(until),
            _ => return,
        },
        Err(_) => return,
    };
    for chunk in due.chunks(500) {
        if let (Some(last), Ok(mut guard)) = (chunk.last(), shared.try_borrow_mut()) {
            if let Some(r) = guard.as_mut() {
                r.lab.flush_if_due(last.at_ms);
            }
        }
        play(shared, s, chunk, refresh);
    }
    let now = s.now();
    s.jump(until.saturating_sub(now));
}

/// Where "Simulate 1 hour" stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum HourState {
    Idle,
    /// Asking first: this many of the learner's keys outside the lab would expire.
    Confirm(u64),
    /// An hour was simulated and can be undone.
    Undoable,
}

/// What the lab keeps while its tab is closed: the connection, the run and the settings.
struct Kept {
    target: LabTarget,
    run: SharedRun,
    runs: std::cell::Cell<u64>,
    settings: RefCell<Settings>,
    /// The simulated hour's question or undo, still there after a look at the console.
    hour: Rc<std::cell::Cell<HourState>>,
}

thread_local! {
    static SHELF: Shelf<Kept> = const { RefCell::new(None) };
}

/// Where the lab sends its commands.
#[derive(Properties, PartialEq)]
pub struct CacheLabProps {
    /// The proxy's WebSocket when the learner chose a real server; `None`: the page's engine.
    pub remote_url: Option<String>,
}

#[component]
pub fn CacheLab(props: &CacheLabProps) -> Html {
    let Some(engine) = use_context::<Link>() else {
        return html! { <p class="error-text">{"The lab needs the playground's engine."}</p> };
    };
    let kept = {
        let engine = engine.clone();
        use_memo(props.remote_url.clone(), move |url| {
            keep(&SHELF, url, || Kept {
                target: LabTarget::connect(&engine, url.as_deref()),
                run: Rc::new(RefCell::new(None)),
                hour: Rc::new(std::cell::Cell::new(HourState::Idle)),
                runs: Default::default(),
                settings: RefCell::new(Settings::default()),
            })
        })
    };
    let settings = {
        let kept = kept.clone();
        use_state(move || kept.settings.borrow().clone())
    };
    let run: SharedRun = kept.run.clone();
    let running = use_state(|| false);
    let refresh = use_force_update();

    // A new run whenever the settings or the target change (the cache keeps its keys; the
    // metrics restart). Coming back to the tab finds the run it left.
    let restart = {
        let (kept, engine, refresh) = ((*kept).clone(), engine.clone(), refresh.clone());
        Rc::new(move |settings: &Settings| {
            let id = kept.runs.get() + 1;
            kept.runs.set(id);
            if let Ok(mut slot) = kept.run.try_borrow_mut() {
                *slot = Some(Run::new(settings, &engine, kept.target.clone(), id));
            }
            refresh.force_update();
        })
    };
    {
        let (restart, kept) = (restart.clone(), (*kept).clone());
        use_effect_with(((*settings).clone(), props.remote_url.clone()), move |(settings, _)| {
            *kept.settings.borrow_mut() = settings.clone();
            let current = kept.run.try_borrow().map(|r| r.as_ref().is_some_and(|r| r.settings == *settings));
            if !current.unwrap_or(false) {
                restart(settings);
            }
        });
    }
    // While traffic runs, play what arrived (on the virtual clock, or the wall clock remotely).
    {
        let (run, engine, refresh) = (run.clone(), engine.clone(), refresh.clone());
        use_effect_with(*running, move |on| {
            let interval = on.then(|| {
                Interval::new(STEP_MS, move || {
                    catch_up(&run, &engine, &refresh);
                    refresh.force_update();
                })
            });
            move || drop(interval)
        });
    }

    let act = |f: fn(&SharedRun, &Link, &UseForceUpdateHandle)| {
        let (run, engine, refresh) = (run.clone(), engine.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            f(&run, &engine, &refresh);
            refresh.force_update();
        })
    };
    let one = |update: bool| {
        let (run, engine, refresh) = (run.clone(), engine.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            let request = run.try_borrow_mut().ok().and_then(|mut guard| {
                let r = guard.as_mut()?;
                Some(Request { at_ms: r.now(&engine), item: r.traffic.sample_item(), update })
            });
            if let Some(request) = request {
                play(&run, &engine, &[request], &refresh);
            }
            refresh.force_update();
        })
    };
    let (one_read, one_update) = (one(false), one(true));
    // The hour moves the page's one clock, so the learner's own keys age with the lab's: say so
    // first when some would expire, and offer to go back afterwards.
    let hour_state = {
        let (cell, refresh) = (kept.hour.clone(), refresh.clone());
        Rc::new(move |state: HourState| {
            cell.set(state);
            refresh.force_update();
        })
    };
    let hour_now = kept.hour.get();
    let do_hour = {
        let (run, engine, refresh, hour_state) =
            (run.clone(), engine.clone(), refresh.clone(), hour_state.clone());
        Rc::new(move || {
            engine.checkpoint();
            simulate_hour(&run, &engine, &refresh);
            hour_state(HourState::Undoable);
            refresh.force_update();
        })
    };
    let hour = {
        let (run, engine, do_hour, hour_state) =
            (run.clone(), engine.clone(), do_hour.clone(), hour_state.clone());
        Callback::from(move |_: MouseEvent| {
            let prefix =
                run.try_borrow().ok().and_then(|r| r.as_ref().map(|r| r.lab.config.key_prefix.clone()));
            let theirs = engine.expiring_within(HOUR_MS, &prefix.unwrap_or_default());
            if theirs == 0 {
                do_hour();
            } else {
                hour_state(HourState::Confirm(theirs));
            }
        })
    };
    let confirm_hour = {
        let do_hour = do_hour.clone();
        Callback::from(move |_: MouseEvent| do_hour())
    };
    let dismiss_hour = {
        let hour_state = hour_state.clone();
        Callback::from(move |_: MouseEvent| hour_state(HourState::Idle))
    };
    let undo_hour = {
        let (engine, restart, settings, hour_state) =
            (engine.clone(), restart.clone(), settings.clone(), hour_state.clone());
        Callback::from(move |_: MouseEvent| {
            if engine.rewind() {
                restart(&settings);
            }
            hour_state(HourState::Idle);
        })
    };
    let crash = act(|shared, _, _| {
        if let Ok(mut guard) = shared.try_borrow_mut() {
            if let Some(r) = guard.as_mut() {
                r.lab.crash();
            }
        }
    });
    let toggle = {
        let running = running.clone();
        Callback::from(move |_: MouseEvent| running.set(!*running))
    };
    let reset = {
        let (restart, settings) = (restart.clone(), settings.clone());
        Callback::from(move |_: MouseEvent| restart(&settings))
    };

    let borrowed = run.borrow();
    let Some(r) = borrowed.as_ref() else {
        return html! { <p class="muted">{"Starting the lab…"}</p> };
    };
    let m = &r.lab.metrics;
    let config = &r.lab.config;
    let remote = r.target.is_remote();
    let last = r.traces.front();
    let pct = |p: Option<f64>| p.map_or("–".to_string(), |v| format!("{v:.1} ms"));
    let (saved_calls, saved_cost) = m.saved(config.source.cost_per_call);
    let minutes: Vec<(f64, f64)> = m
        .timeline
        .iter()
        .map(|p| ((p.at_ms.saturating_sub(r.started_ms)) as f64 / 60_000.0, p.ratio()))
        .collect();
    let bars = vec![
        ("hit p50".to_string(), m.hit_latency.percentile(50.0).unwrap_or(0.0), "bar-hit"),
        ("hit p95".to_string(), m.hit_latency.percentile(95.0).unwrap_or(0.0), "bar-hit"),
        ("miss p50".to_string(), m.miss_latency.percentile(50.0).unwrap_or(0.0), "bar-miss"),
        ("miss p95".to_string(), m.miss_latency.percentile(95.0).unwrap_or(0.0), "bar-miss"),
    ];

    html! {
        <div class="lab cache-lab">
            <p class="lab-intro">
                {"An app answers requests for items from a slow "}<strong>{config.source.name.clone()}</strong>
                {". With "}<strong>{config.strategy.name()}</strong>{" it asks Redis first: a "}
                <span class="ok-text">{"HIT"}</span>{" returns in about a millisecond, a "}
                <span class="error-text">{"MISS"}</span>{" pays the source's latency and cost, then stores the answer with "}
                <code>{format!("SET … EX {}", config.ttl_seconds)}</code>
                { if remote {
                    ". On a real server traffic plays in real time: its TTLs run on the server's own clock, which the page cannot fast-forward."
                } else {
                    ". Traffic follows the virtual clock: play it at 60x and an hour passes in a minute."
                } }
            </p>
            <p class="lab-strategy" data-testid="lab-strategy"><strong>{config.strategy.name()}</strong>{": "}{config.strategy.describe()}</p>
            <p class={classes!("lab-target", remote.then_some("remote"))} data-testid="lab-target">{r.target.describe()}</p>
            <Controls settings={(*settings).clone()} on_change={Callback::from({
                let settings = settings.clone();
                move |s: Settings| settings.set(s)
            })} />
            <div class="lab-actions">
                <button class="btn primary" onclick={toggle} data-testid="lab-run">
                    // Debian's Chromium fonts have no ⏸: the pause sign is drawn.
                    if *running {
                        <svg class="icon" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
                            <rect x="1" y="0" width="3" height="10" fill="currentColor" />
                            <rect x="6" y="0" width="3" height="10" fill="currentColor" />
                        </svg>
                        {" Pause traffic"}
                    } else {
                        {"▶ Run traffic"}
                    }
                </button>
                <button class="btn" onclick={one_read} data-testid="lab-read">{"One read"}</button>
                <button class="btn" onclick={one_update}>{"One update"}</button>
                <button class="btn" onclick={hour} data-testid="lab-hour" disabled={remote}
                    title={if remote {
                        "A real server's TTLs run on real time: an hour cannot be played in a second there"
                    } else {
                        "Plays an hour of traffic and moves the playground's clock 1 hour ahead: every key's TTL runs down, the console's too"
                    }}>
                    {"Simulate 1 hour"}</button>
                if config.strategy == Strategy::WriteBehind {
                    <button class="btn danger" onclick={crash} title="Writes still queued for the source are lost">
                        {format!("Crash the app ({} queued)", r.lab.pending_writes())}
                    </button>
                }
                <button class="btn" onclick={reset}>{"Reset stats"}</button>
            </div>
            { match hour_now {
                HourState::Idle => html! {},
                HourState::Confirm(theirs) => html! {
                    <div class="notice" role="alert" data-testid="lab-hour-confirm">
                        {format!(
                            "The playground has one clock: an hour here moves it for the console too, and {theirs} of your own key{} outside the lab will expire. You can undo it afterwards.",
                            if theirs == 1 { "" } else { "s" },
                        )}
                        {" "}<button class="btn small" onclick={confirm_hour} data-testid="lab-hour-go">{"Simulate the hour"}</button>
                        {" "}<button class="btn small" onclick={dismiss_hour.clone()}>{"Cancel"}</button>
                    </div>
                },
                HourState::Undoable => html! {
                    <div class="notice" data-testid="lab-hour-done">
                        {"The playground's clock moved 1 hour ahead (keys with shorter TTLs, the console's included, expired). Undo brings back the keys and the time as they were before the hour; anything changed since is undone too."}
                        {" "}<button class="btn small" onclick={undo_hour} data-testid="lab-hour-undo">{"Undo the hour"}</button>
                        {" "}<button class="btn small" onclick={dismiss_hour}>{"Keep it"}</button>
                    </div>
                },
            } }
            <div class="lab-grid">
                <div class="lab-card">
                    <h3>{"Last request"}</h3>
                    <FlowDiagram path={last.map(|t| t.path.clone()).unwrap_or_default()}
                        outcome={last.map(|t| t.outcome)} source={config.source.name.clone()}
                        commands={last.map(|t| t.commands.iter().map(|(c, _)| short_command(c)).collect::<Vec<_>>()).unwrap_or_default()}
                        seq={r.requests} />
                    { for last.map(|t| html! {
                        <p class="muted mono">{format!("{} → {:.1} ms", t.key, t.latency_ms)}</p>
                    }) }
                </div>
                <div class="lab-card">
                    <h3>{"Results"}</h3>
                    <div class="stats lab-stats">
                        <Stat label="requests" value={r.requests.to_string()} />
                        <Stat label="hit ratio" value={format!("{:.1}%", m.hit_ratio() * 100.0)} testid="lab-hit-ratio" />
                        <Stat label="hits / misses" value={format!("{} / {}", m.hits, m.misses)} />
                        <Stat label="source calls" value={m.source_calls.to_string()} />
                        <Stat label="hit latency p50" value={pct(m.hit_latency.percentile(50.0))} testid="lab-hit-p50" />
                        <Stat label="miss latency p50" value={pct(m.miss_latency.percentile(50.0))} testid="lab-miss-p50" />
                        <Stat label="source calls saved (vs no cache)" value={saved_calls.to_string()} />
                        <Stat label="cost saved" value={format!("${saved_cost:.4}")} />
                        <Stat label="stale reads" value={m.stale_reads.to_string()} />
                        <Stat label="lost writes" value={m.lost_writes.to_string()} />
                        if remote {
                            <Stat label="in flight / shed" value={format!("{} / {}", r.in_flight, r.shed)} />
                        }
                    </div>
                </div>
                <div class="lab-card">
                    <h3>{"Hit ratio per simulated minute"}</h3>
                    <LineChart points={minutes} label="Hit ratio over time" x_label="minutes since the run started" />
                    <h3>{"Latency: hits vs misses"}</h3>
                    <Bars bars={bars} unit="ms" label="Latency percentiles of hits and misses" />
                </div>
            </div>
            <div class="lab-card">
                <h3>{"Commands of the last requests"}</h3>
                <ol class="lab-traces">
                    { for r.traces.iter().map(|t| html! {
                        <li>
                            <span class={classes!("badge", outcome_class(t.outcome))}>{outcome_label(t.outcome)}</span>
                            <span class="mono muted">{format!(" {} · {:.1} ms", t.key, t.latency_ms)}</span>
                            <CommandLog commands={t.commands.clone()} />
                        </li>
                    }) }
                </ol>
            </div>
        </div>
    }
}

/// A command as the diagram labels a hop: its name and key, with the TTL of a SET
/// (`SET product:7 … EX 300`).
fn short_command(cmd: &[bytes::Bytes]) -> String {
    let text = |i: usize| cmd.get(i).map(|a| String::from_utf8_lossy(a).into_owned()).unwrap_or_default();
    let name = text(0).to_ascii_uppercase();
    match name.as_str() {
        "SET" => format!("SET {} … EX {}", text(1), text(4)),
        "SCAN" => format!("SCAN {} MATCH {}", text(1), text(3)),
        "DEL" if cmd.len() > 2 => format!("DEL {} (+{})", text(1), cmd.len() - 2),
        _ => format!("{name} {}", text(1)),
    }
}

fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Hit { stale: false } => "HIT",
        Outcome::Hit { stale: true } => "STALE HIT",
        Outcome::Miss => "MISS",
        Outcome::Write => "WRITE",
    }
}

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Hit { stale: false } => "badge-hit",
        Outcome::Hit { stale: true } => "badge-stale",
        Outcome::Miss => "badge-miss",
        Outcome::Write => "badge-write",
    }
}

#[derive(Properties, PartialEq)]
struct StatProps {
    label: AttrValue,
    value: String,
    #[prop_or_default]
    testid: Option<AttrValue>,
}

#[component]
fn Stat(props: &StatProps) -> Html {
    html! {
        <div class="stat">
            <span class="stat-label">{props.label.clone()}</span>
            <span class="stat-value" data-testid={props.testid.clone()}>{props.value.clone()}</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ControlsProps {
    settings: Settings,
    on_change: Callback<Settings>,
}

/// The lab's knobs: strategy, invalidation, TTL (with the course's presets), source, traffic.
#[component]
fn Controls(props: &ControlsProps) -> Html {
    let s = props.settings.clone();
    let change = |f: fn(&mut Settings, String)| {
        let (s, on_change) = (s.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|el| el.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|el| el.value()))
                .unwrap_or_default();
            let mut next = s.clone();
            f(&mut next, value);
            on_change.emit(next);
        })
    };
    let strategy = change(|s, v| {
        s.strategy = Strategy::ALL.into_iter().find(|st| st.name() == v).unwrap_or(Strategy::CacheAside)
    });
    let invalidation = change(|s, v| {
        s.invalidation = match v.as_str() {
            "ttl" => Invalidation::TtlOnly,
            "scan" => Invalidation::ScanPattern,
            _ => Invalidation::Delete,
        }
    });
    let preset = change(|s, v| {
        if let Some(p) = TTL_PRESETS.iter().find(|p| p.data == v) {
            s.ttl_seconds = p.min_seconds;
        }
    });
    let ttl = change(|s, v| s.ttl_seconds = v.parse().unwrap_or(s.ttl_seconds).clamp(1, 30 * 86_400));
    let source = change(|s, v| {
        s.llm = v == "llm";
        s.latency_ms = if s.llm { Source::llm().latency_ms } else { Source::database().latency_ms };
    });
    let latency = change(|s, v| s.latency_ms = v.parse().unwrap_or(s.latency_ms).clamp(1.0, 5_000.0));
    let rps = change(|s, v| s.workload.requests_per_second = v.parse().unwrap_or(20.0_f64).clamp(0.1, 500.0));
    let skew = change(|s, v| s.workload.skew = v.parse().unwrap_or(1.0_f64).clamp(0.0, 3.0));
    let updates = change(|s, v| {
        s.workload.update_share = v.parse::<f64>().map(|p| p / 100.0).unwrap_or(0.05).clamp(0.0, 1.0)
    });
    let invalidation_value = match s.invalidation {
        Invalidation::TtlOnly => "ttl",
        Invalidation::Delete => "del",
        Invalidation::ScanPattern => "scan",
    };
    let writes_invalidate = matches!(s.strategy, Strategy::CacheAside | Strategy::ReadThrough);
    html! {
        <div class="lab-controls">
            <label>{"Strategy"}
                <select onchange={strategy} data-testid="lab-strategy">
                    { for Strategy::ALL.iter().map(|st| html! {
                        <option value={st.name()} selected={*st == s.strategy}>{st.name()}</option>
                    }) }
                </select>
            </label>
            <label title={if writes_invalidate { "What an update does to the cached copy" } else { "This strategy writes the cache itself" }}>
                {"On update"}
                <select onchange={invalidation} disabled={!writes_invalidate}>
                    <option value="del" selected={invalidation_value == "del"}>{"DEL the key"}</option>
                    <option value="scan" selected={invalidation_value == "scan"}>{"SCAN pattern + DEL"}</option>
                    <option value="ttl" selected={invalidation_value == "ttl"}>{"nothing (TTL only)"}</option>
                </select>
            </label>
            <label>{"TTL preset"}
                <select onchange={preset}>
                    <option value="" selected=true>{"choose…"}</option>
                    { for TTL_PRESETS.iter().map(|p| html! {
                        <option value={p.data}>{format!("{}: {}–{} ({})", p.data, human(p.min_seconds), human(p.max_seconds), p.why)}</option>
                    }) }
                </select>
            </label>
            <label>{"TTL (s)"}
                <input type="number" min="1" value={s.ttl_seconds.to_string()} onchange={ttl} data-testid="lab-ttl" />
            </label>
            <label>{"Source"}
                <select onchange={source}>
                    <option value="db" selected={!s.llm}>{"Product database"}</option>
                    <option value="llm" selected={s.llm}>{"LLM"}</option>
                </select>
            </label>
            <label>{format!("Source latency: {:.0} ms", s.latency_ms)}
                <input type="range" min="20" max="2000" step="10" value={s.latency_ms.to_string()} onchange={latency} />
            </label>
            <label>{"Requests / s"}
                <input type="number" min="0.1" step="0.5" value={s.workload.requests_per_second.to_string()} onchange={rps} />
            </label>
            <label>{format!("Key skew (Zipf {:.1})", s.workload.skew)}
                <input type="range" min="0" max="2" step="0.1" value={s.workload.skew.to_string()} onchange={skew} />
            </label>
            <label>{format!("Updates: {:.0}%", s.workload.update_share * 100.0)}
                <input type="range" min="0" max="50" step="1" value={(s.workload.update_share * 100.0).to_string()} onchange={updates} />
            </label>
        </div>
    }
}

/// Seconds as the TTL table writes them (60 s, 5 min, 1 h, 24 h).
fn human(seconds: u64) -> String {
    match seconds {
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}
