//! The key detail's views for values whose bytes or scores mean more than they show: a string's
//! bits (SETBIT / BITFIELD work on them), a HyperLogLog's estimate, a geo set's coordinates, a
//! hash's per-field countdowns. All read the value in place, as pure functions of its bytes:
//! nothing here runs a command, so looking at a key changes no INFO counter.

use crate::clock::format_ttl;
use crate::console::format::repr;
use bytes::Bytes;
use indexmap::IndexMap;
use playground_engine::geohash::decode_score;
use playground_engine::types::hfe::FieldTtls;
use playground_engine::types::json::Json;
use playground_engine::types::stream::Stream;
use playground_engine::types::{hll, ZSet};
use yew::prelude::*;

/// Bytes drawn as bits at most (4096 bits).
const MAX_BIT_BYTES: usize = 512;

/// The string's first bytes as bits, one byte per cell, in bit-offset order (offset 0 is the
/// high bit of byte 0, as SETBIT and GETBIT count), with BITCOUNT's total.
pub fn bits_view(s: &[u8]) -> Html {
    let set: u64 = s.iter().map(|b| u64::from(b.count_ones())).sum();
    let cut = (s.len() > MAX_BIT_BYTES)
        .then(|| html! { <p class="muted">{ format!("… {} more bytes", s.len() - MAX_BIT_BYTES) }</p> });
    html! {
        <>
        <p class="bit-count" data-set={set.to_string()}>
            { format!("{set} of {} bits set (BITCOUNT)", s.len() * 8) }
        </p>
        <div class="bits">
            { for s.iter().take(MAX_BIT_BYTES).enumerate().map(|(i, b)| html! {
                <span class="byte" title={format!("byte {i}: bit offsets {}..{}", i * 8, i * 8 + 7)}>{ bits_of(*b) }</span>
            }) }
        </div>
        { for cut }
        </>
    }
}

/// A byte's bits, high first (`{:08b}` without linking the binary formatter).
fn bits_of(b: u8) -> String {
    (0..8).map(|i| if b & (0x80 >> i) != 0 { '1' } else { '0' }).collect()
}

/// PFCOUNT's answer for a HyperLogLog string: the cached estimate when the header's is valid,
/// else the estimate from the registers; `None` for a corrupt sparse encoding.
pub fn hll_estimate(s: &[u8]) -> Option<u64> {
    hll::cached(s).map_or_else(|| hll::count(s).ok(), Some)
}

/// A HyperLogLog's estimate, encoding and size (the raw bytes are what GET returns).
pub fn hll_view(s: &[u8]) -> Html {
    let encoding = if s[4] == hll::DENSE { "dense" } else { "sparse" };
    let estimate = match hll_estimate(s) {
        Some(n) => format!("~{n} distinct elements (PFCOUNT)"),
        None => "corrupt registers (PFCOUNT replies INVALIDOBJ)".to_string(),
    };
    html! {
        <div class="hll">
            <p><strong class="hll-estimate">{ estimate }</strong></p>
            <p class="muted">
                {"HyperLogLog, "}<span class="hll-encoding">{ encoding }</span>
                { format!(" encoding, {} bytes (GET returns them; PFADD and PFMERGE keep them Redis's)", s.len()) }
            </p>
        </div>
    }
}

/// Lowest score shown as coordinates by default: a geohash below 2^32 lies within a third of a
/// degree of (-180, -85.05), so such sets are far likelier leaderboards than places.
const GEO_DEFAULT_MIN: f64 = 4_294_967_296.0;
/// Scores are 52-bit geohashes.
const GEO_MAX: f64 = 4_503_599_627_370_496.0;

/// Can every score be read as a 52-bit geohash, as GEOPOS reads it? `Some(true)` when the set
/// looks like GEOADD's (shown as coordinates by default), `Some(false)` when it may be one.
pub fn geo_kind(z: &ZSet) -> Option<bool> {
    let mut default = !z.is_empty();
    for (_, score) in z.iter() {
        if !(0.0..GEO_MAX).contains(&score) || score.fract() != 0.0 {
            return None;
        }
        default &= score >= GEO_DEFAULT_MIN;
    }
    (!z.is_empty()).then_some(default)
}

/// Members with the longitude and latitude GEOPOS gives them (the centre of their geohash box).
pub fn geo_view(z: &ZSet, max: usize) -> Html {
    let rows = z.iter().take(max).map(|(m, score)| {
        let (lon, lat) = decode_score(score);
        vec![td(None, repr(m)), td(Some("num"), format!("{lon:.6}")), td(Some("num"), format!("{lat:.6}"))]
    });
    table("geo", &["member", "longitude", "latitude"], rows.collect())
}

/// A hash as field/value rows, with a countdown column when some field has a deadline (HEXPIRE:
/// the key's `field_ttls`); fields already expired for readers (deadline before `now`) are left
/// out, as HGETALL does.
pub fn hash_view(h: &IndexMap<Bytes, Bytes>, ttls: Option<&FieldTtls>, now: u64, max: usize) -> Html {
    let deadline = |f: &[u8]| ttls.and_then(|t| t.get(f));
    let with_ttl = ttls.is_some_and(|t| !t.is_empty());
    let rows = h.iter().filter(|(f, _)| deadline(f).is_none_or(|at| at >= now)).take(max).map(|(f, v)| {
        let mut cells = vec![td(None, repr(f)), td(None, repr(v))];
        if with_ttl {
            let ttl = deadline(f).map_or_else(|| "—".to_string(), |at| format_ttl(at - now));
            cells.push(td(Some("ttl"), ttl));
        }
        cells
    });
    let heads: &[&str] = if with_ttl { &["field", "value", "ttl"] } else { &["field", "value"] };
    table("", heads, rows.collect())
}

/// A stream's entries (id, the time in its id, fields) and its consumer groups (last delivered
/// id, lag as XINFO GROUPS computes it, pending entries per consumer).
pub fn stream_view(s: &Stream, max: usize) -> Html {
    let rows = s.entries.iter().take(max).map(|(id, fv)| {
        let fields: Vec<String> = fv.chunks(2).map(|p| format!("{}={}", repr(&p[0]), repr(&p[1]))).collect();
        vec![
            td(None, format!("{}-{}", id.ms, id.seq)),
            td(Some("num"), utc(id.ms)),
            td(None, fields.join(" ")),
        ]
    });
    let groups = s.groups.iter().map(|(name, g)| {
        let lag = s.lag(g).map_or_else(|| "?".to_string(), |l| l.to_string());
        let pending: Vec<String> =
            g.consumers.iter().map(|(c, cs)| format!("{}: {}", repr(c), cs.pel.len())).collect();
        vec![
            td(None, repr(name)),
            td(None, format!("{}-{}", g.last_id.ms, g.last_id.seq)),
            td(Some("num"), lag),
            td(Some("num"), g.pel.len().to_string()),
            td(None, pending.join(", ")),
        ]
    });
    html! {
        <>
        { table("stream", &["id", "time (UTC)", "fields"], rows.collect()) }
        if !s.groups.is_empty() {
            <h4>{"Consumer groups"}</h4>
            { table("groups", &["group", "last delivered", "lag", "pending", "pending per consumer"], groups.collect()) }
        }
        </>
    }
}

/// Milliseconds since the epoch as `YYYY-MM-DD hh:mm:ss.mmm` (Hinnant's days-to-civil).
fn utc(ms: u64) -> String {
    let (days, rem) = ((ms / 86_400_000) as i64, ms % 86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}.{milli:03}")
}

/// A table cell (`num` for numbers, right after the text's column).
pub fn td(class: Option<&'static str>, text: String) -> Html {
    html! { <td class={classes!(class)}>{ text }</td> }
}

/// A `table.data` with these column heads and rows of cells: one piece of markup for every
/// table of the key detail (each `html!` costs the page's wasm its own code).
pub fn table(class: &'static str, heads: &[&'static str], rows: Vec<Vec<Html>>) -> Html {
    html! {
        <table class={classes!("data", class)}>
            <thead><tr>{ for heads.iter().map(|h| html! { <th>{ *h }</th> }) }</tr></thead>
            <tbody>{ for rows.into_iter().map(|cells| html! { <tr>{ for cells }</tr> }) }</tbody>
        </table>
    }
}

/// Members or elements drawn at most per JSON object or array.
const MAX_JSON_CHILDREN: usize = 100;

/// A RedisJSON document as a tree: objects and arrays fold (the top two levels open, long
/// arrays such as embeddings closed with their length shown), scalars coloured by their
/// JSON.TYPE, and each node's JSONPath on hover, as JSON.GET would address it.
pub fn json_tree(doc: &Json) -> Html {
    html! { <div class="json-tree">{ json_node(None, doc, "$", 0) }</div> }
}

fn json_node(label: Option<&str>, value: &Json, path: &str, depth: usize) -> Html {
    let name = label.map(|l| html! { <span class="json-key">{ l }{ ": " }</span> });
    let children: Vec<(String, String, &Json)> = match value {
        Json::Arr(items) => {
            items.iter().enumerate().map(|(i, v)| (i.to_string(), format!("{path}[{i}]"), v)).collect()
        }
        Json::Obj(members) => members.iter().map(|(k, v)| (k.clone(), member_path(path, k), v)).collect(),
        scalar => {
            return html! {
                <div class="json-leaf" title={path.to_string()}>
                    { name }<span class={classes!("json-value", format!("json-{}", scalar.kind()))}>{ scalar.to_text() }</span>
                </div>
            };
        }
    };
    let (open_mark, close_mark) = if matches!(value, Json::Arr(_)) { ("[", "]") } else { ("{", "}") };
    let all_scalars = children.iter().all(|(_, _, v)| !matches!(v, Json::Arr(_) | Json::Obj(_)));
    let open = depth < 2 && !(all_scalars && children.len() > 16);
    let summary = format!("{open_mark}{}{close_mark}", children.len());
    let more = children.len().saturating_sub(MAX_JSON_CHILDREN);
    html! {
        <details class="json-node" {open} title={path.to_string()}>
            <summary>{ name }<span class="json-count">{ summary }</span></summary>
            { for children.iter().take(MAX_JSON_CHILDREN).map(|(k, p, v)| {
                let key = if matches!(value, Json::Arr(_)) { format!("[{k}]") } else { k.clone() };
                json_node(Some(&key), v, p, depth + 1)
            }) }
            if more > 0 { <p class="muted">{ format!("… {more} more") }</p> }
        </details>
    }
}

/// `$.name` for a plain name, `$["odd name"]` otherwise (JSONPath's bracket form).
fn member_path(parent: &str, key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{parent}.{key}")
    } else {
        let mut quoted = String::new();
        playground_engine::types::json::write_str(&mut quoted, key);
        format!("{parent}[{quoted}]")
    }
}
