//! The key browser over a real server: every 1.5 s, `SCAN 0 MATCH pattern COUNT 200` then
//! `TYPE`/`PTTL`/`MEMORY USAGE` per key, pipelined on a second "monitor" connection (the
//! console's own connection may sit inside MULTI, where these would be queued). Opening a key
//! reads its contents with the command that fits its type.

use crate::backend::remote::{send_all, RemoteHandle};
use crate::backend::scan::{
    contents_command, detail_commands, parse_scan, read_detail, record_own, scan_command,
};
use crate::components::key_browser::KeyInfo;
use crate::components::key_row::badge_label;
use crate::components::key_row::KeyRow;
use crate::console::format::{format_reply, repr};
use bytes::Bytes;
use gloo::timers::callback::Interval;
use playground_engine::cluster::slot::key_slot;
use playground_engine::cluster::topology::Topology;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Real ms between refreshes.
const REFRESH_MS: u32 = 1_500;

#[derive(Properties, PartialEq, Clone)]
pub struct RemoteKeysProps {
    /// The monitor connection.
    pub monitor: RemoteHandle,
    /// The console's database.
    pub db: usize,
    pub filter: String,
    pub on_filter: Callback<String>,
}

#[derive(Clone, PartialEq, Default)]
struct Listing {
    keys: Vec<KeyInfo>,
    /// The last failure, in words.
    error: Option<String>,
    loaded: bool,
}

fn refresh(monitor: &RemoteHandle, db: usize, pattern: &str, out: UseStateHandle<Listing>) {
    // A closed monitor connection is retried on one refresh in eight, not on every one (each
    // retry reopens the socket, and the browser logs every refused connection).
    if monitor.0.is_closed() && (js_sys::Date::now() as u64 / u64::from(REFRESH_MS)) % 8 != 0 {
        return;
    }
    let select = vec![Bytes::from_static(b"SELECT"), Bytes::from(db.to_string())];
    let backend = monitor.clone();
    // CLUSTER SHARDS each time: a cluster's keys show their slot and shard, and a resharding
    // shows within a refresh (a single endpoint refuses it: no slots shown).
    let shards = vec![Bytes::from_static(b"CLUSTER"), Bytes::from_static(b"SHARDS")];
    let pattern = pattern.to_string();
    send_all(&*monitor.0, vec![select, shards], move |frames| {
        let topology = frames.get(1).and_then(|f| Topology::from_shards(f, "?", false));
        walk(backend.clone(), pattern, b"0".to_vec(), Vec::new(), 0, move |scanned| {
            let keys = match scanned {
                Ok(keys) => keys,
                Err(e) => {
                    out.set(Listing { keys: vec![], error: Some(e), loaded: true });
                    return;
                }
            };
            details(backend, topology, keys, out);
        });
    });
}

/// Pages of SCAN a refresh reads at most: a cluster behind the proxy answers one shard per
/// page, so the first page alone would show one shard's keys.
const MAX_PAGES: usize = 16;

/// Follow SCAN's cursor from `cursor` until it comes back to 0 (or [`MAX_PAGES`], or
/// [`MAX_KEYS`] keys), then hand over the keys or the server's error.
fn walk(
    monitor: RemoteHandle,
    pattern: String,
    cursor: Vec<u8>,
    mut keys: Vec<Vec<u8>>,
    pages: usize,
    finish: impl FnOnce(Result<Vec<Vec<u8>>, String>) + 'static,
) {
    let again = monitor.clone();
    send_all(&*monitor.0, vec![scan_command(&cursor, &pattern)], move |frames| {
        let Some(scan) = frames.first() else { return };
        if let playground_engine::Frame::Error(e) = scan {
            return finish(Err(e.clone()));
        }
        let Some((next, page)) = parse_scan(scan) else { return finish(Ok(keys)) };
        keys.extend(page);
        if next == b"0" || pages + 1 >= MAX_PAGES || keys.len() >= MAX_KEYS {
            return finish(Ok(keys));
        }
        walk(again, pattern, next, keys, pages + 1, finish);
    });
}

/// Keys a refresh lists at most (each costs three commands).
const MAX_KEYS: usize = 1_000;

/// TYPE, PTTL and MEMORY USAGE of every key, pipelined, into the listing.
fn details(
    backend: RemoteHandle,
    topology: Option<Topology>,
    mut keys: Vec<Vec<u8>>,
    out: UseStateHandle<Listing>,
) {
    playground_engine::order::sort(&mut keys);
    keys.dedup();
    keys.truncate(MAX_KEYS);
    {
        let commands: Vec<Vec<Bytes>> = keys.iter().flat_map(|k| detail_commands(k)).collect();
        let sent = commands.clone();
        send_all(&*backend.0, commands, move |replies| {
            // The server counts these lookups as keyspace hits and misses: the server panel
            // leaves them out of the learner's hit ratio.
            record_own(&sent, &replies);
            let rows = keys
                .iter()
                .zip(replies.chunks(3))
                .filter_map(|(key, r)| {
                    let (type_name, ttl, mem) = read_detail(r)?;
                    // Rows count TTLs down from `now`; here now is 0 and the deadline the PTTL.
                    let shard = topology.as_ref().map(|t| {
                        let slot = key_slot(key);
                        (slot, t.shard_of(slot))
                    });
                    Some(KeyInfo { key: key.clone(), type_name, expires_at: ttl, mem, len: 0, shard })
                })
                .collect();
            out.set(Listing { keys: rows, error: None, loaded: true });
        });
    }
}

#[component]
pub fn RemoteKeys(props: &RemoteKeysProps) -> Html {
    let listing = use_state(Listing::default);
    let selected = use_state(|| None::<(Vec<u8>, &'static str)>);
    let contents = use_state(|| None::<String>);
    {
        let listing = listing.clone();
        use_effect_with(
            (props.monitor.clone(), props.db, props.filter.clone()),
            move |(monitor, db, filter)| {
                refresh(monitor, *db, filter, listing.clone());
                let (monitor, db, filter) = (monitor.clone(), *db, filter.clone());
                let interval =
                    Interval::new(REFRESH_MS, move || refresh(&monitor, db, &filter, listing.clone()));
                move || drop(interval)
            },
        );
    }
    {
        let contents = contents.clone();
        use_effect_with(
            ((*selected).clone(), props.monitor.clone(), listing.keys.len()),
            move |(sel, monitor, _)| {
                if let Some(command) = sel.as_ref().and_then(|(k, t)| contents_command(t, k)) {
                    let sent = [command.clone()];
                    monitor.0.send_ref(command, move |frame| {
                        record_own(&sent, std::slice::from_ref(&frame));
                        contents.set(Some(format_reply(&frame)));
                    });
                } else {
                    contents.set(None);
                }
            },
        );
    }
    let on_filter = props.on_filter.reform(|e: InputEvent| {
        e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
    });
    let rows = listing.keys.iter().map(|info| {
        let is_selected = selected.as_ref().is_some_and(|(k, _)| *k == info.key);
        let on_select = {
            let (selected, id) = (selected.clone(), (info.key.clone(), info.type_name));
            Callback::from(move |_: ()| selected.set(if is_selected { None } else { Some(id.clone()) }))
        };
        html! { <KeyRow key={repr(&info.key)} info={info.clone()} now={0} flash={None} selected={is_selected} {on_select} /> }
    });
    let close = {
        let selected = selected.clone();
        Callback::from(move |_: MouseEvent| selected.set(None))
    };
    html! {
        <section class="panel keys remote-keys" aria-label="Key browser">
            <div class="panel-head">
                <h2>{"Keys"}<span class="count" id="key-count">{ format!("{} in db{} (real server)", listing.keys.len(), props.db) }</span></h2>
                <input class="filter" type="search" placeholder="filter: user:*" aria-label="Filter keys by pattern"
                    value={props.filter.clone()} oninput={on_filter} />
            </div>
            <div class="key-head" aria-hidden="true">
                <span>{"key"}</span><span>{"type"}</span><span>{"TTL"}</span><span>{"memory"}</span>
            </div>
            <ul class="key-list" id="key-list">
                { for rows }
                if listing.loaded && listing.keys.is_empty() && listing.error.is_none() {
                    <li class="empty muted">{"No keys match on the real server (first SCAN page of 200)."}</li>
                }
                if !listing.loaded { <li class="empty muted">{"Asking the server…"}</li> }
            </ul>
            if let Some(why) = listing.error.clone() { <p class="error-text">{ why }</p> }
            if let Some((key, type_name)) = (*selected).clone() {
                <div class="detail" id="key-detail" data-type={type_name}>
                    <div class="detail-head">
                        <h3>{ repr(&key) }</h3>
                        <span class={classes!("type-badge", badge_label(type_name))} title={format!("TYPE: {}", type_name)}>{ badge_label(type_name) }</span>
                        <button class="btn quiet" onclick={close} aria-label="Close">{"✕"}</button>
                    </div>
                    <pre class="value">{ (*contents).clone().unwrap_or_else(|| "…".into()) }</pre>
                </div>
            }
            <p class="muted small">{"Read from the server every 1.5 s (SCAN, TYPE, PTTL, MEMORY USAGE). Redis counts TYPE and PTTL as keyspace hits; the server panel leaves them out."}</p>
        </section>
    }
}
