//! The key browser: every key of the console's database with its type, TTL counting down on the
//! virtual clock and approximate memory, filtered by a glob pattern, flashing as the engine
//! reports hits, misses, writes, expiries and evictions. Opening a key shows its contents.

use crate::components::key_row::KeyRow;
use crate::parts::LazyKeyDetail;
use crate::session::SessionHandle;
use crate::state::{Flash, Ghost};
use playground_engine::glob::glob_match;
use std::collections::HashMap;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Rows drawn at most; the count of the rest is shown.
const MAX_ROWS: usize = 200;

#[derive(Properties, PartialEq)]
pub struct KeyBrowserProps {
    pub now: u64,
    /// Redraw marker: bumped when the keyspace may have changed.
    pub rev: u64,
    pub flashes: HashMap<(usize, Vec<u8>), Flash>,
    pub ghosts: Vec<Ghost>,
    pub filter: String,
    pub selected: Option<(usize, Vec<u8>)>,
    pub on_filter: Callback<String>,
    pub on_select: Callback<Option<(usize, Vec<u8>)>>,
}

/// What a row shows, copied out of the engine so nothing stays borrowed while drawing.
#[derive(Clone, PartialEq)]
pub struct KeyInfo {
    pub key: Vec<u8>,
    pub type_name: &'static str,
    pub expires_at: Option<u64>,
    pub mem: usize,
    pub len: usize,
    /// In cluster mode: the key's hash slot and the index of the shard that owns it.
    pub shard: Option<(u16, usize)>,
}

/// The console's database, its size, and its keys matching `pattern`, sorted.
fn list_keys(session: &SessionHandle, pattern: &str) -> (usize, usize, Vec<KeyInfo>) {
    let pattern = if pattern.trim().is_empty() { "*" } else { pattern.trim() };
    session
        .read(|s| {
            let server = s.engine.server();
            let db = server.clients.get(&s.client).map(|c| c.db).unwrap_or(0);
            let Some(keyspace) = server.dbs.get(db) else { return (db, 0, vec![]) };
            let mut keys: Vec<KeyInfo> = keyspace
                .iter()
                .filter(|(k, _)| glob_match(pattern.as_bytes(), k))
                .map(|(k, e)| KeyInfo {
                    key: k.to_vec(),
                    type_name: e.value.type_name(),
                    expires_at: e.expires_at,
                    mem: e.mem,
                    len: e.value.element_count(),
                    shard: s.shard_of(k),
                })
                .collect();
            playground_engine::order::sort_by(&mut keys, |a, b| a.key.cmp(&b.key));
            (db, keyspace.len(), keys)
        })
        .unwrap_or((0, 0, vec![]))
}

#[component]
pub fn KeyBrowser(props: &KeyBrowserProps) -> Html {
    let session = use_context::<SessionHandle>();
    // Listing and sorting happen when the keyspace changes (`rev`), not on every clock tick;
    // the ticks only redraw the TTLs.
    let listing = use_memo((props.rev, props.filter.clone(), session.clone()), |(_, filter, session)| {
        session.as_ref().map(|s| list_keys(s, filter)).unwrap_or((0, 0, vec![]))
    });
    if session.is_none() {
        return html! { <section class="panel keys"><p>{"The key browser needs the in-page engine."}</p></section> };
    }
    let pattern = if props.filter.trim().is_empty() { "*" } else { props.filter.trim() };
    let (db, total, ref all) = *listing;
    // A key past its deadline is gone for every client, even before the next tick removes it.
    let keys: Vec<&KeyInfo> = all.iter().filter(|k| k.expires_at.is_none_or(|t| t > props.now)).collect();
    let shown = keys.len().min(MAX_ROWS);
    let hidden = keys.len() - shown;

    let on_filter = props.on_filter.reform(|e: InputEvent| {
        e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
    });
    let rows = keys.iter().take(MAX_ROWS).map(|info| {
        let id = (db, info.key.clone());
        let flash = props.flashes.get(&id).copied();
        let selected = props.selected.as_ref() == Some(&id);
        let on_select = props.on_select.reform(move |_: ()| if selected { None } else { Some(id.clone()) });
        let key = crate::console::format::repr(&info.key);
        html! { <KeyRow {key} info={(*info).clone()} now={props.now} {flash} {selected} {on_select} /> }
    });
    let ghosts = props.ghosts.iter().filter(|g| g.db == db && glob_match(pattern.as_bytes(), &g.key)).map(|g| {
        html! {
            <li class={classes!("key-row", "gone-row", g.kind.class())} data-key={String::from_utf8_lossy(&g.key).into_owned()}>
                <span class="key-name">{ crate::console::format::repr(&g.key) }</span>
                <span class="ghost-label">{ g.kind.label() }</span>
            </li>
        }
    });
    let detail = props.selected.as_ref().filter(|(d, _)| *d == db).map(|(_, key)| {
        let on_close = props.on_select.reform(|_: ()| None);
        // Keyed by name: another key is a new detail, with its type's default view.
        let id = format!("{db}:{}", crate::console::format::repr(key));
        html! { <LazyKeyDetail key={id} key_name={key.clone()} db={db} now={props.now} rev={props.rev} {on_close} /> }
    });
    html! {
        <section class="panel keys" aria-label="Key browser">
            <div class="panel-head">
                <h2>{"Keys"}<span class="count" id="key-count">{ format!("{} in db{}", total, db) }</span></h2>
                <input class="filter" type="search" placeholder="filter: user:*" aria-label="Filter keys by pattern"
                    value={props.filter.clone()} oninput={on_filter} />
            </div>
            <div class="key-head" aria-hidden="true">
                <span>{"key"}</span><span>{"type"}</span><span>{"TTL"}</span><span>{"memory"}</span>
            </div>
            <ul class="key-list" id="key-list">
                { for rows }
                { for ghosts }
                if keys.is_empty() && props.ghosts.is_empty() {
                    <li class="empty muted">{ if total == 0 { "No keys yet. Try SET user:1 Ada EX 60" } else { "No key matches this pattern." } }</li>
                }
                if hidden > 0 { <li class="muted more">{ format!("… and {hidden} more (narrow the filter)") }</li> }
            </ul>
            { for detail }
        </section>
    }
}
