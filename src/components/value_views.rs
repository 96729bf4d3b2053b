//! The key detail's views for values whose bytes or scores mean more than they show: a string's
//! bits (SETBIT / BITFIELD work on them), a HyperLogLog's estimate, a geo set's coordinates, a
//! hash's per-field countdowns. All read the value in place, as pure functions of its bytes:
//! nothing here runs a command, so looking at a key changes no INFO counter.

use crate::clock::format_ttl;
use crate::console::format::repr;
use bytes::Bytes;
use indexmap::IndexMap;
use playground_engine::geohash::decode_score;
use playground_engine::types::{hll, ZSet};
use std::collections::HashMap;
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
                <span class="byte" title={format!("byte {i}: bit offsets {}..{}", i * 8, i * 8 + 7)}>{ format!("{b:08b}") }</span>
            }) }
        </div>
        { for cut }
        </>
    }
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
    html! {
        <table class="data geo"><thead><tr><th>{"member"}</th><th>{"longitude"}</th><th>{"latitude"}</th></tr></thead><tbody>
            { for z.iter().take(max).map(|(m, score)| {
                let (lon, lat) = decode_score(score);
                html! { <tr><td>{ repr(m) }</td><td class="num">{ format!("{lon:.6}") }</td><td class="num">{ format!("{lat:.6}") }</td></tr> }
            }) }
        </tbody></table>
    }
}

/// A hash as field/value rows, with a countdown column when some field has a deadline (HEXPIRE);
/// fields already expired for readers (deadline before `now`) are left out, as HGETALL does.
pub fn hash_view(h: &IndexMap<Bytes, Bytes>, deadlines: &[(Bytes, u64)], now: u64, max: usize) -> Html {
    let by_field: HashMap<&[u8], u64> = deadlines.iter().map(|(f, at)| (&f[..], *at)).collect();
    let deadline = |f: &[u8]| by_field.get(f).copied();
    let with_ttl = !deadlines.is_empty();
    let rows = h.iter().filter(|(f, _)| deadline(f).is_none_or(|at| at >= now)).take(max).map(|(f, v)| {
        let ttl = with_ttl.then(|| match deadline(f) {
            Some(at) => html! { <td class="ttl has-ttl">{ format_ttl(at - now) }</td> },
            None => html! { <td class="ttl">{"—"}</td> },
        });
        html! { <tr><td>{ repr(f) }</td><td>{ repr(v) }</td>{ for ttl }</tr> }
    });
    html! {
        <table class="data"><thead><tr><th>{"field"}</th><th>{"value"}</th>
            if with_ttl { <th title="Field TTL (HEXPIRE): counts down on the virtual clock">{"ttl"}</th> }
        </tr></thead><tbody>{ for rows }</tbody></table>
    }
}
