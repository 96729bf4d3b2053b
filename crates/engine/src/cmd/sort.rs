//! SORT and SORT_RO, as Redis's sort.c does them.
//!
//! The elements of a list, set or sorted set are sorted as numbers (each read with `strtod`, the
//! whole text or an error) or with ALPHA as strings, by themselves or by a weight found through
//! a BY pattern (`weight_*`, `h_*->field`; a pattern without `*` means "don't sort": the native
//! order). GET patterns fetch other keys' values for each element (`#` is the element itself).
//! Ties: numeric sorting breaks them by the elements' bytes, so the order is total; ALPHA BY
//! can tie, and Redis's `qsort` (glibc's merge sort) keeps tied elements in their loaded order,
//! as the stable sort here does, while BY with a LIMIT that cuts runs Redis's own partial
//! quicksort (`pqsort`, in `crate::pqsort`). Elements load in the order Redis iterates
//! them, except a sorted set's or a large set's hash table (Redis seeds its hash per process,
//! so no order can be promised there). Without STORE, ALPHA compares as `strcoll` in the C
//! locale (up to the first NUL byte); with STORE, as whole byte strings.
//!
//! Work is the collection's size times the patterns, sorted in O(n log n); LIMIT only cuts the
//! output (clamped to the collection, so a huge offset or count costs nothing).

use super::spec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::Value;
use bytes::Bytes;
use std::collections::VecDeque;

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec(
        "sort",
        -2,
        &["write", "denyoom", "movablekeys"],
        (1, 1, 1),
        "generic",
        "Sort a list, set or sorted set (as numbers, or ALPHA), by other keys' values, fetching others; STORE makes a list.",
        "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]",
        sort,
    ),
    spec(
        "sort_ro",
        -2,
        &["readonly", "movablekeys"],
        (1, 1, 1),
        "generic",
        "SORT without STORE (safe on read-only replicas).",
        "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]",
        sort_ro,
    ),
]);

fn sort(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    sort_generic(ctx, args, false)
}

fn sort_ro(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    sort_generic(ctx, args, true)
}

/// The text a C string function sees: up to the first NUL byte.
fn cstr(raw: &[u8]) -> &[u8] {
    raw.iter().position(|&b| b == 0).map_or(raw, |i| &raw[..i])
}

/// SORT's options, in the order the command line gives them (later ones win).
#[derive(Default)]
struct Options {
    desc: bool,
    alpha: bool,
    offset: i64,
    count: i64,
    store: Option<Bytes>,
    by: Option<Bytes>,
    gets: Vec<Bytes>,
}

fn parse(args: &mut Args, readonly: bool) -> Result<Options, CmdError> {
    let mut o = Options { count: -1, ..Options::default() };
    while let Some(opt) = args.next_opt() {
        let left = args.remaining();
        let is = |word: &str| opt.eq_ignore_ascii_case(word.as_bytes());
        if is("asc") {
            o.desc = false;
        } else if is("desc") {
            o.desc = true;
        } else if is("alpha") {
            o.alpha = true;
        } else if is("limit") && left >= 2 {
            o.offset = args.next_i64()?;
            o.count = args.next_i64()?;
        } else if !readonly && is("store") && left >= 1 {
            o.store = Some(args.next_bytes()?);
        } else if is("by") && left >= 1 {
            o.by = Some(args.next_bytes()?);
        } else if is("get") && left >= 1 {
            o.gets.push(args.next_bytes()?);
        } else {
            return Err(CmdError::syntax());
        }
    }
    Ok(o)
}

/// Redis's `lookupKeyByPattern`: `#` is the element itself; otherwise the first `*` becomes the
/// element, and `key->field` (a non-empty field after the `*`) reads a hash field instead of a
/// string. A pattern without `*`, a missing key or one of another type give nothing.
fn lookup_by_pattern(ctx: &mut Ctx, pattern: &[u8], element: &Bytes) -> Option<Bytes> {
    let text = cstr(pattern);
    if text == b"#" {
        return Some(element.clone());
    }
    let star = text.iter().position(|&b| b == b'*')?;
    let arrow = text[star + 1..].windows(2).position(|w| w == b"->").map(|i| star + 1 + i);
    let arrow = arrow.filter(|&a| a + 2 < text.len());
    let suffix_end = arrow.unwrap_or(pattern.len());
    let mut key = Vec::with_capacity(pattern.len() + element.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(element);
    key.extend_from_slice(&pattern[star + 1..suffix_end]);
    match (ctx.read(&key)?, arrow) {
        (Value::Str(s), None) => Some(s.clone()),
        (Value::Hash(h), Some(a)) => h.get(&pattern[a + 2..]).cloned(),
        _ => None,
    }
}

/// A weight as SORT reads it: `strtod` over the text up to its first NUL, which must consume
/// all of it (leading white space is fine, trailing is not; the empty text is 0), with no
/// overflow, underflow or NaN.
fn weight(raw: &[u8]) -> Option<f64> {
    let text = cstr(raw);
    if text.is_empty() {
        return Some(0.0);
    }
    let start = text.iter().position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))?;
    let s = std::str::from_utf8(&text[start..]).ok()?;
    let lower = s.to_ascii_lowercase();
    let unsigned = lower.strip_prefix(['+', '-']).unwrap_or(&lower);
    let value = if unsigned.starts_with("0x") {
        crate::float::parse_hex_float(&lower)?
    } else if unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == 'i') {
        crate::decimal::parse_f64(&lower)?
    } else {
        return None;
    };
    let literal_inf = unsigned.starts_with("inf");
    let mantissa = unsigned.split(['e', 'p']).next().unwrap_or("");
    let nonzero = mantissa.bytes().any(|b| b.is_ascii_hexdigit() && b != b'0' && b != b'x');
    let underflow = nonzero && value.abs() < f64::MIN_POSITIVE;
    (!value.is_nan() && (literal_inf || value.is_finite()) && !underflow).then_some(value)
}

/// One element being sorted: itself, its numeric weight and (ALPHA BY) its weight's text.
struct Item {
    element: Bytes,
    score: f64,
    by: Option<Bytes>,
}

fn sort_generic(ctx: &mut Ctx, args: &mut Args, readonly: bool) -> CmdResult {
    let key = args.next_bytes()?;
    let mut o = parse(args, readonly)?;
    // A BY pattern without `*` is constant: nothing to sort by, the native order stays.
    let mut dontsort = o.by.as_ref().is_some_and(|p| !cstr(p).contains(&b'*'));
    let kind = match ctx.read(&key) {
        None => None,
        Some(Value::List(_)) => Some(0),
        Some(Value::Set(_)) => Some(1),
        Some(Value::ZSet(_)) => Some(2),
        Some(_) => return Err(CmdError::wrong_type()),
    };
    // Storing a set in its native (hash) order would not replicate, nor a script's reply be
    // deterministic: Redis sorts it as ALPHA then.
    if dontsort && kind == Some(1) && (o.store.is_some() || ctx.client.lua) {
        dontsort = false;
        o.alpha = true;
        o.by = None;
    }
    let len = ctx.db().raw_get(&key).map_or(0, |e| e.value.element_count()) as i64;
    // LIMIT as Redis clamps it.
    let mut start = o.offset.max(0).min(len);
    let count = o.count.max(-1).min(len);
    let mut end = if count < 0 { len - 1 } else { start + count - 1 };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    end = end.min(len - 1);
    let direct = dontsort && matches!(kind, Some(0) | Some(2));
    let elements = match ctx.db().raw_get(&key) {
        None => Vec::new(),
        Some(entry) => match &entry.value {
            // Lists and sorted sets in their own order load just the LIMIT range, from the end
            // DESC says.
            Value::List(l) if direct => load_range(l, start, end, o.desc),
            Value::ZSet(z) if direct => {
                let n = (end - start + 1).max(0) as usize;
                if n == 0 {
                    Vec::new()
                } else {
                    z.range_by_rank(start as usize, start as usize + n - 1, o.desc)
                        .into_iter()
                        .map(|(m, _)| m)
                        .collect()
                }
            }
            Value::List(l) => l.iter().cloned().collect(),
            Value::Set(s) => crate::cmd::set::reply_order_of(s, entry.encoding_floor >= 1),
            Value::ZSet(z) => z.iter().map(|(m, _)| m.clone()).collect(),
            _ => Vec::new(),
        },
    };
    if kind == Some(2) {
        // Redis converts a listpack sorted set to a skiplist for SORT, for good.
        ctx.db().settle_encoding(&key, 1);
        ctx.db().refresh_memory(&key);
    }
    if direct && end >= start {
        end -= start;
        start = 0;
    }
    let mut items: Vec<Item> =
        elements.into_iter().map(|element| Item { element, score: 0.0, by: None }).collect();
    if !dontsort {
        let mut bad_double = false;
        for item in &mut items {
            let by = match &o.by {
                Some(pattern) => match lookup_by_pattern(ctx, pattern, &item.element) {
                    Some(v) => v,
                    None => continue,
                },
                None => item.element.clone(),
            };
            if o.alpha {
                if o.by.is_some() {
                    item.by = Some(by);
                }
            } else {
                match weight(&by) {
                    Some(score) => item.score = score,
                    None => bad_double = true,
                }
            }
        }
        if bad_double {
            return Err(CmdError::err("One or more scores can't be converted into double"));
        }
        let (alpha, by, store, desc) = (o.alpha, o.by.is_some(), o.store.is_some(), o.desc);
        let compare = |a: &Item, b: &Item| {
            let cmp = if !alpha {
                a.score
                    .partial_cmp(&b.score)
                    .filter(|c| c.is_ne())
                    .unwrap_or_else(|| a.element.cmp(&b.element))
            } else if by {
                match (&a.by, &b.by) {
                    (Some(x), Some(y)) => collation_text(x, store).cmp(collation_text(y, store)),
                    (x, y) => x.is_some().cmp(&y.is_some()),
                }
            } else {
                collation_text(&a.element, store).cmp(collation_text(&b.element, store))
            };
            if desc {
                cmp.reverse()
            } else {
                cmp
            }
        };
        // With BY and a LIMIT that cuts, Redis sorts only what the range needs with its partial
        // quicksort; otherwise glibc's qsort, a merge sort: stable. Ties (ALPHA BY) come out in
        // each algorithm's own order.
        if by && (start != 0 || end != items.len() as i64 - 1) {
            let n = items.len();
            crate::pqsort::pqsort(&mut items, 0, n, start, end, &compare);
        } else {
            crate::order::sort_by(&mut items, compare);
        }
    }
    let picked = if end >= start { &items[start as usize..=end as usize] } else { &[][..] };
    let Some(dst) = o.store else {
        let mut out = Vec::with_capacity(picked.len() * o.gets.len().max(1));
        for item in picked {
            if o.gets.is_empty() {
                out.push(Frame::Bulk(item.element.clone()));
            }
            for pattern in &o.gets {
                out.push(lookup_by_pattern(ctx, pattern, &item.element).map_or(Frame::Null, Frame::Bulk));
            }
        }
        return Ok(Frame::Array(out));
    };
    let mut list = VecDeque::with_capacity(picked.len() * o.gets.len().max(1));
    for item in picked {
        if o.gets.is_empty() {
            list.push_back(item.element.clone());
        }
        for pattern in &o.gets {
            list.push_back(lookup_by_pattern(ctx, pattern, &item.element).unwrap_or_default());
        }
    }
    let stored = list.len();
    if stored > 0 {
        ctx.set(dst.clone(), Value::List(list), None);
        ctx.notify(crate::notify::LIST, "sortstore", &dst);
        // Redis counts a change per element stored; `set` counted one.
        ctx.server.dirty += stored as u64 - 1;
    } else if ctx.delete(&dst) {
        ctx.notify(crate::notify::GENERIC, "del", &dst);
    }
    Ok(Frame::Integer(stored as i64))
}

/// What ALPHA compares: without STORE, the C string `strcoll` sees (the C locale compares it
/// byte by byte); with STORE, the whole bytes.
fn collation_text(b: &[u8], store: bool) -> &[u8] {
    if store {
        b
    } else {
        cstr(b)
    }
}

/// The `start..=end` range of a list in native order, or counted from the tail with DESC.
fn load_range(list: &VecDeque<Bytes>, start: i64, end: i64, desc: bool) -> Vec<Bytes> {
    if end < start {
        return Vec::new();
    }
    let (len, n) = (list.len(), (end - start + 1) as usize);
    let start = start as usize;
    if desc {
        list.range(len - start - n..len - start).rev().cloned().collect()
    } else {
        list.range(start..start + n).cloned().collect()
    }
}
