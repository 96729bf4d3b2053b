//! INFO at a glance: hit ratio (number and sparkline), hits/misses, expired and evicted keys,
//! used memory against maxmemory. The maxmemory settings go through the console as
//! `CONFIG SET`, so the learner sees the commands that do it.

use crate::components::key_row::format_bytes;
use crate::components::sparkline::Sparkline;
use crate::session::SessionHandle;
use playground_engine::config::EvictionPolicy;
use std::collections::VecDeque;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServerPanelProps {
    pub rev: u64,
    pub now: u64,
    pub samples: VecDeque<f64>,
    /// Run console lines (CONFIG SET ...).
    pub on_run: Callback<Vec<String>>,
    /// A real server's numbers (from INFO): shown instead of the in-page engine's.
    #[prop_or_default]
    pub remote: Option<crate::backend::info::ServerNumbers>,
    /// Switch the in-page engine to an N-shard cluster (0: one server).
    pub on_cluster: Callback<usize>,
}

#[derive(Clone, PartialEq, Default)]
struct Numbers {
    hits: u64,
    misses: u64,
    expired: u64,
    evicted: u64,
    commands: u64,
    keys: usize,
    used: u64,
    maxmemory: u64,
    policy: String,
}

#[component]
pub fn ServerPanel(props: &ServerPanelProps) -> Html {
    let session = use_context::<SessionHandle>().filter(|_| props.remote.is_none());
    let from_server = props.remote.as_ref().map(|r| Numbers {
        hits: r.hits,
        misses: r.misses,
        expired: r.expired,
        evicted: r.evicted,
        commands: r.commands,
        keys: r.keys as usize,
        used: r.used,
        maxmemory: r.maxmemory,
        policy: r.policy.clone(),
    });
    let n = session
        .as_ref()
        .and_then(|s| {
            s.read(|s| {
                let server = s.engine.server();
                let st = &server.stats;
                Numbers {
                    hits: st.keyspace_hits,
                    misses: st.keyspace_misses,
                    expired: st.expired_keys,
                    evicted: st.evicted_keys,
                    commands: st.total_commands_processed,
                    keys: server.dbs.iter().map(|d| d.len()).sum(),
                    used: server.used_memory(),
                    maxmemory: server.config.maxmemory,
                    policy: server.config.policy.name().to_string(),
                }
            })
        })
        .or(from_server)
        .unwrap_or_default();
    let lookups = n.hits + n.misses;
    let ratio =
        if lookups > 0 { format!("{:.1}%", 100.0 * n.hits as f64 / lookups as f64) } else { "—".into() };
    let mem_pct = if n.maxmemory > 0 { (n.used as f64 / n.maxmemory as f64 * 100.0).min(100.0) } else { 0.0 };

    let max_ref = use_node_ref();
    let policy_ref = use_node_ref();
    let apply = {
        let (max_ref, policy_ref, on_run) = (max_ref.clone(), policy_ref.clone(), props.on_run.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let max = max_ref.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let policy = policy_ref.cast::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            let mut lines = Vec::new();
            let max = max.trim();
            if !max.is_empty() && !max.contains(char::is_whitespace) {
                lines.push(format!("CONFIG SET maxmemory {max}"));
            }
            if !policy.is_empty() {
                lines.push(format!("CONFIG SET maxmemory-policy {policy}"));
            }
            on_run.emit(lines);
        })
    };
    // Cluster mode is the in-page engine's: a real server is what it is.
    let shards =
        session.as_ref().and_then(|s| s.read(|s| s.cluster.as_ref().map_or(0, |c| c.layout.members.len())));
    let cluster = shards.map(|shards| {
        let onchange = props.on_cluster.reform(|e: Event| {
            e.target_dyn_into::<HtmlSelectElement>().and_then(|s| s.value().parse().ok()).unwrap_or(0)
        });
        html! {
            <label class="cluster-switch" title="Run the engine as the primaries of a Redis Cluster: keys hash to 16384 slots split between shards; the console follows MOVED as redis-cli -c does">{"cluster"}
                <select aria-label="cluster mode" data-testid="cluster-mode" {onchange}>
                    { for [(0, "one server"), (3, "3 shards"), (5, "5 shards")].into_iter().map(|(n, label)| html! {
                        <option value={n.to_string()} selected={n == shards}>{ label }</option>
                    }) }
                </select>
            </label>
        }
    });
    let stat = |label: &str, id: &str, value: String| {
        html! { <div class="stat"><span class="stat-label">{ label.to_string() }</span><span class="stat-value" id={id.to_string()}>{ value }</span></div> }
    };
    html! {
        <section class="panel server" aria-label="Server">
            <div class="panel-head"><h2>{"Server"}</h2><span class="muted">{ if props.remote.is_some() { "INFO from the real server" } else { "INFO stats" } }</span></div>
            <div class="ratio">
                <div>
                    <span class="stat-label">{"hit ratio"}</span>
                    <span class="big" id="hit-ratio">{ ratio }</span>
                </div>
                <Sparkline values={props.samples.iter().copied().collect::<Vec<_>>()} label="Hit ratio over the last minute" />
            </div>
            { for props.remote.as_ref().and_then(|r| r.own_polling).map(|own| html! {
                <p class="muted small" id="hit-ratio-note">{format!(
                    "Since the page connected: the server's keyspace_hits and keyspace_misses less the key browser's own lookups ({} hits, {} misses from TYPE, PTTL and reads), so other clients count, the page does not.",
                    own.hits, own.misses,
                )}</p>
            }) }
            <div class="stats">
                { stat("keyspace_hits", "stat-hits", n.hits.to_string()) }
                { stat("keyspace_misses", "stat-misses", n.misses.to_string()) }
                { stat("expired_keys", "stat-expired", n.expired.to_string()) }
                { stat("evicted_keys", "stat-evicted", n.evicted.to_string()) }
                { stat("keys", "stat-keys", n.keys.to_string()) }
                { stat("commands", "stat-commands", n.commands.to_string()) }
            </div>
            <div class="memory">
                <div class="memory-text">
                    <span class="stat-label">{"used_memory"}</span>
                    <span id="stat-memory">{ format_bytes(n.used) }</span>
                    <span class="muted">{ if n.maxmemory > 0 { format!(" of {}", format_bytes(n.maxmemory)) } else { " (no maxmemory)".into() } }</span>
                </div>
                <svg class="meter" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="used memory against maxmemory">
                    <rect x="0" y="0" width="100" height="6" class="meter-bg" />
                    <rect x="0" y="0" width={format!("{mem_pct:.1}")} height="6" class={classes!("meter-fill", (mem_pct > 90.0).then_some("hot"))} />
                </svg>
            </div>
            <form class="settings" onsubmit={apply}>
                <label>{"maxmemory"}
                    <input ref={max_ref} type="text" placeholder={if n.maxmemory > 0 { n.maxmemory.to_string() } else { "e.g. 2mb".into() }} aria-label="maxmemory" />
                </label>
                <label>{"policy"}
                    <select ref={policy_ref} aria-label="maxmemory-policy">
                        { for EvictionPolicy::ALL.iter().map(|p| html! { <option value={p.name()} selected={p.name() == n.policy}>{ p.name() }</option> }) }
                    </select>
                </label>
                <button class="btn" type="submit">{"Apply"}</button>
            </form>
            { for cluster }
        </section>
    }
}
