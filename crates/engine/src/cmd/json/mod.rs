//! RedisJSON 2.8's commands (JSON.*), replying as the module does.
//!
//! Every command that takes a path replies in one of two shapes: a JSONPath (`$...`) gets one
//! entry per match (nil where the match has the wrong type), a legacy path gets the value of the
//! match alone, or an error when nothing fits. The module's error texts differ per command; each
//! handler names its own (`Miss`).

pub mod path;

use super::CommandSpec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::{Frame, Protocol};
use crate::types::json::{self, Format, Json};
use crate::types::Value;
use bytes::Bytes;
use path::{resolve, resolve_mut, shown, Path};

const W: &[&str] = &["write", "module"];
const WD: &[&str] = &["write", "denyoom", "module"];
const R: &[&str] = &["readonly", "module"];

macro_rules! json_cmd {
    ($name:literal, $flags:expr, $keys:expr, $summary:literal, $syntax:literal, $run:expr) => {
        CommandSpec {
            name: $name,
            arity: -1,
            flags: $flags,
            keys: $keys,
            group: "module",
            summary: $summary,
            syntax: $syntax,
            run: $run,
            subcommands: &[],
        }
    };
}

const K: (i32, i32, i32) = (1, 1, 1);

pub const COMMANDS: &[CommandSpec] = &[
    json_cmd!("json.set", WD, K, "Set a JSON value at a path.", "key path value [NX | XX]", json_set),
    json_cmd!(
        "json.get",
        R,
        K,
        "JSON text of the values at paths.",
        "key [INDENT s] [NEWLINE s] [SPACE s] [path ...]",
        json_get
    ),
    json_cmd!("json.del", W, K, "Delete the values at a path.", "key [path]", json_del),
    json_cmd!(
        "json.forget",
        W,
        K,
        "Delete the values at a path (alias of JSON.DEL).",
        "key [path]",
        json_del
    ),
    json_cmd!("json.type", R, K, "The JSON type of the values at a path.", "key [path]", json_type),
    json_cmd!("json.mget", R, K, "JSON text at one path in several keys.", "key [key ...] path", json_mget),
    json_cmd!(
        "json.mset",
        WD,
        (1, -1, 3),
        "Set JSON values in several keys.",
        "key path value [...]",
        json_mset
    ),
    json_cmd!("json.numincrby", W, K, "Add to the numbers at a path.", "key path number", json_numincrby),
    json_cmd!("json.nummultby", W, K, "Multiply the numbers at a path.", "key path number", json_nummultby),
    json_cmd!(
        "json.strappend",
        WD,
        K,
        "Append to the strings at a path.",
        "key [path] string",
        json_strappend
    ),
    json_cmd!("json.strlen", R, K, "Length of the strings at a path.", "key [path]", json_strlen),
    json_cmd!(
        "json.arrappend",
        WD,
        K,
        "Append values to the arrays at a path.",
        "key path value ...",
        json_arrappend
    ),
    json_cmd!(
        "json.arrindex",
        R,
        K,
        "Position of a value in arrays.",
        "key path value [start [stop]]",
        json_arrindex
    ),
    json_cmd!(
        "json.arrinsert",
        WD,
        K,
        "Insert values into arrays.",
        "key path index value ...",
        json_arrinsert
    ),
    json_cmd!("json.arrlen", R, K, "Length of the arrays at a path.", "key [path]", json_arrlen),
    json_cmd!("json.arrpop", W, K, "Remove and return an array element.", "key [path [index]]", json_arrpop),
    json_cmd!("json.arrtrim", W, K, "Keep a range of arrays' elements.", "key path start stop", json_arrtrim),
    json_cmd!("json.objkeys", R, K, "Keys of the objects at a path.", "key [path]", json_objkeys),
    json_cmd!("json.objlen", R, K, "Number of keys of the objects at a path.", "key [path]", json_objlen),
    json_cmd!("json.clear", W, K, "Empty containers and zero numbers.", "key [path]", json_clear),
    json_cmd!("json.toggle", WD, K, "Flip the booleans at a path.", "key path", json_toggle),
    json_cmd!("json.merge", WD, K, "Merge a JSON value (RFC 7396) at a path.", "key path value", json_merge),
    json_cmd!("json.resp", R, K, "The values at a path as RESP.", "key [path]", json_resp),
    json_cmd!(
        "json.debug",
        R,
        (2, 2, 1),
        "JSON.DEBUG MEMORY key [path] and HELP.",
        "MEMORY key [path] | HELP",
        json_debug
    ),
];

/// How deep a document may grow by setting values inside values: each parsed value is at most
/// 128 levels deep, but nesting them repeatedly has no bound in the module; here the printer,
/// the path walker and the drop are recursive, so a bound keeps the page's stack safe.
const MAX_DOC_DEPTH: usize = 1024;

/// Refuse a value that would sit deeper than [`MAX_DOC_DEPTH`] below the root.
fn check_depth(at: usize, v: &Json) -> Result<(), CmdError> {
    if at + v.depth() > MAX_DOC_DEPTH {
        return Err(CmdError::err("nesting too deep"));
    }
    Ok(())
}

/// The length of the longest pointer the path matches in the document at `key` (0 if none).
fn deepest_hit(ctx: &mut Ctx, key: &[u8], p: &Path) -> usize {
    match ctx.peek(key).map(|e| &e.value) {
        Some(Value::Json(doc)) => p.eval(doc).iter().map(Vec::len).max().unwrap_or(0),
        _ => 0,
    }
}

/// RedisJSON's answer when a key holds another type.
fn wrong_redis_type() -> CmdError {
    CmdError::raw("Existing key has wrong Redis type")
}

fn no_key() -> CmdError {
    CmdError::err("could not perform this operation on a key that doesn't exist")
}

/// `ERR wrong number of arguments for 'json.x' command`, named as the module names itself.
fn arity(args: &Args) -> CmdError {
    CmdError::wrong_arity(&String::from_utf8_lossy(&args.all()[0]).to_ascii_lowercase())
}

fn parse_path(text: &[u8]) -> Result<(Path, String), CmdError> {
    let text = String::from_utf8_lossy(text).into_owned();
    Path::parse(&text).map(|p| (p, text)).map_err(CmdError::raw)
}

fn parse_value(text: &[u8]) -> Result<Json, CmdError> {
    json::parse(text).map_err(CmdError::raw)
}

/// The document at `key` for reading.
fn read_doc<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a Json>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Json(j)) => Ok(Some(j)),
        Some(_) => Err(wrong_redis_type()),
    }
}

/// The document at `key` for writing (no change of the key's bookkeeping until `modified`).
fn write_doc<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut Json>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(e) => match &mut e.value {
            Value::Json(j) => Ok(Some(j)),
            _ => Err(wrong_redis_type()),
        },
    }
}

fn is_resp3(ctx: &Ctx) -> bool {
    ctx.client.protocol == Protocol::Resp3
}

/// JSON.SET key path value [NX|XX].
fn json_set(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() < 3 {
        return Err(arity(args));
    }
    let key = args.next_bytes()?;
    let (path, _) = parse_path(&args.next_bytes()?)?;
    let value = parse_value(&args.next_bytes()?)?;
    let (mut nx, mut xx) = (false, false);
    while let Some(opt) = args.next_opt() {
        match opt.to_ascii_uppercase().as_slice() {
            b"NX" if !xx && !nx => nx = true,
            b"XX" if !nx && !xx => xx = true,
            _ => return Err(CmdError::syntax()),
        }
    }
    set_one(ctx, &key, &path, value, nx, xx)
}

/// One JSON.SET: OK, or nil when NX/XX or a missing parent leaves nothing to set.
fn set_one(ctx: &mut Ctx, key: &Bytes, path: &Path, value: Json, nx: bool, xx: bool) -> CmdResult {
    let Some(doc) = write_doc(ctx, key)? else {
        if !path.is_root() {
            return Err(CmdError::err("new objects must be created at the root"));
        }
        if xx {
            return Ok(Frame::Null);
        }
        ctx.set(key.clone(), Value::Json(Box::new(value)), None);
        return Ok(Frame::ok());
    };
    if path.is_root() {
        if nx {
            return Ok(Frame::Null);
        }
        *doc = value;
        ctx.modified(key);
        return Ok(Frame::ok());
    }
    let hits = path.eval(doc);
    if !hits.is_empty() {
        if nx {
            return Ok(Frame::Null);
        }
        for p in &hits {
            check_depth(p.len(), &value)?;
            if let Some(slot) = resolve_mut(doc, p) {
                *slot = value.clone();
            }
        }
        ctx.modified(key);
        return Ok(Frame::ok());
    }
    if path.last_index().is_some()
        && path.eval_parent(doc).iter().any(|q| matches!(resolve(doc, q), Some(Json::Arr(_))))
    {
        return Err(CmdError::err("array index out of range"));
    }
    let Some(name) = path.last_name().filter(|_| !xx) else { return Ok(Frame::Null) };
    let mut done = false;
    for p in path.eval_parent(doc) {
        check_depth(p.len() + 1, &value)?;
        if let Some(Json::Obj(m)) = resolve_mut(doc, &p) {
            m.push((name.to_string(), value.clone()));
            done = true;
        }
    }
    if !done {
        return Ok(Frame::Null);
    }
    ctx.modified(key);
    Ok(Frame::ok())
}

/// JSON.MSET key path value [key path value ...]: all parsed before any is set.
fn json_mset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() < 3 || args.remaining() % 3 != 0 {
        return Err(arity(args));
    }
    let mut triples = Vec::new();
    while let Some(key) = args.next_opt() {
        let (path, _) = parse_path(&args.next_bytes()?)?;
        triples.push((key, path, parse_value(&args.next_bytes()?)?));
    }
    for (key, path, _) in &triples {
        match write_doc(ctx, key)? {
            None if !path.is_root() => return Err(CmdError::err("new objects must be created at the root")),
            _ => {}
        }
    }
    for (key, path, value) in triples {
        set_one(ctx, &key, &path, value, false, false)?;
    }
    Ok(Frame::ok())
}

/// JSON.GET key [INDENT s] [NEWLINE s] [SPACE s] [path ...].
fn json_get(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let mut fmt = Format::default();
    let mut paths = Vec::new();
    while let Some(word) = args.next_opt() {
        let slot = match word.to_ascii_uppercase().as_slice() {
            b"INDENT" => &mut fmt.indent,
            b"NEWLINE" => &mut fmt.newline,
            b"SPACE" => &mut fmt.space,
            _ => {
                paths.push(word);
                continue;
            }
        };
        let Some(v) = args.next_opt() else { return Err(arity(args)) };
        *slot = String::from_utf8_lossy(&v).into_owned();
    }
    let parsed = paths.iter().map(|p| parse_path(p)).collect::<Result<Vec<_>, _>>()?;
    let Some(doc) = read_doc(ctx, &key)? else { return Ok(Frame::Null) };
    let mut out = String::new();
    match parsed.as_slice() {
        [] => doc.write(&mut out, &fmt, 0),
        [(p, text)] => get_path(doc, p, text, &fmt, &mut out, p.legacy, false)?,
        many => {
            let legacy = many.iter().all(|(p, _)| p.legacy);
            let mut members: Vec<(&str, String)> = Vec::new();
            for (p, text) in many {
                let mut one = String::new();
                get_path(doc, p, text, &fmt, &mut one, legacy, true)?;
                match members.iter_mut().find(|(t, _)| t == text) {
                    Some(slot) => slot.1 = one,
                    None => members.push((text, one)),
                }
            }
            write_members(&mut out, &members, &fmt);
        }
    }
    Ok(Frame::Bulk(out.into()))
}

/// `{"path":value,...}` laid out as the module lays out an object (values already printed).
fn write_members(out: &mut String, members: &[(&str, String)], fmt: &Format) {
    out.push('{');
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&fmt.newline);
        out.push_str(&fmt.indent);
        json::write_str(out, k);
        out.push(':');
        out.push_str(&fmt.space);
        out.push_str(v);
    }
    if !members.is_empty() {
        out.push_str(&fmt.newline);
    }
    out.push('}');
}

/// One path's text for JSON.GET: the first match (legacy) or an array of every match; a
/// member of a several-path reply (`multi`) is laid out one level deeper.
#[allow(clippy::too_many_arguments)]
fn get_path(
    doc: &Json,
    p: &Path,
    text: &str,
    fmt: &Format,
    out: &mut String,
    legacy: bool,
    multi: bool,
) -> Result<(), CmdError> {
    let hits: Vec<&Json> = p.eval(doc).iter().filter_map(|q| resolve(doc, q)).collect();
    let depth = usize::from(multi);
    if legacy {
        let Some(first) = hits.first() else {
            // Alone the path is shown in its `$` form, among several as typed.
            let shown = if multi { text.to_string() } else { shown(text) };
            return Err(CmdError::err(format!("Path '{shown}' does not exist")));
        };
        first.write(out, fmt, depth);
        return Ok(());
    }
    let arr = Json::Arr(hits.into_iter().cloned().collect());
    arr.write(out, fmt, depth);
    Ok(())
}

/// JSON.MGET key [key ...] path.
fn json_mget(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() < 2 {
        return Err(arity(args));
    }
    let mut keys = args.rest();
    let (p, _) = parse_path(&keys.pop().unwrap_or_default())?;
    let mut out = Vec::new();
    for key in keys {
        let text = match ctx.read(&key) {
            Some(Value::Json(doc)) => {
                let hits: Vec<&Json> = p.eval(doc).iter().filter_map(|q| resolve(doc, q)).collect();
                if p.legacy {
                    hits.first().map(|v| v.to_text())
                } else {
                    Some(Json::Arr(hits.into_iter().cloned().collect()).to_text())
                }
            }
            _ => None,
        };
        out.push(text.map_or(Frame::Null, |t| Frame::Bulk(t.into())));
    }
    Ok(Frame::Array(out))
}

/// JSON.DEL / JSON.FORGET key [path]: how many values went (the key goes with the root).
fn json_del(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let (p, _) = match args.next_opt() {
        Some(t) => parse_path(&t)?,
        None => parse_path(b".")?,
    };
    let Some(doc) = write_doc(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    if p.is_root() {
        ctx.delete(&key);
        return Ok(Frame::Integer(1));
    }
    let mut hits = p.eval(doc);
    // Deepest and last first, so the pointers still to delete stay valid.
    hits.sort_unstable_by(|a, b| b.cmp(a));
    hits.dedup();
    let mut n = 0;
    for h in &hits {
        let Some((last, parent)) = h.split_last() else { continue };
        match resolve_mut(doc, parent) {
            Some(Json::Arr(a)) if *last < a.len() => {
                a.remove(*last);
            }
            Some(Json::Obj(m)) if *last < m.len() => {
                m.swap_remove(*last);
            }
            _ => continue,
        }
        n += 1;
    }
    if n > 0 {
        ctx.modified(&key);
    }
    Ok(Frame::Integer(n))
}

/// How a legacy path reports a match it cannot use (the texts differ per command).
#[derive(Clone, Copy)]
enum Miss {
    /// `WRONGTYPE wrong type of path value - expected X but found Y`, or `Path '$.a' does not
    /// exist` when nothing matches.
    Wrongtype(&'static str),
    /// `ERR Path '<$ form>' does not exist or <tail>`.
    Shown(&'static str),
    /// `ERR Path '<as typed>' does not exist or <tail>`.
    Typed(&'static str),
    /// ARRLEN: `ERR Path '.a' does not exist`, `... or not an array` for another type.
    ArrLen,
    /// Nil when nothing matches, else the inner miss (OBJKEYS, OBJLEN).
    NilOr(&'static Miss),
}

fn miss_reply(miss: Miss, text: &str, found: Option<&Json>) -> CmdResult {
    match (miss, found) {
        (Miss::NilOr(_), None) => Ok(Frame::Null),
        (Miss::NilOr(inner), v) => Err(miss_error(*inner, text, v)),
        _ => Err(miss_error(miss, text, found)),
    }
}

fn miss_error(miss: Miss, text: &str, found: Option<&Json>) -> CmdError {
    match (miss, found) {
        (Miss::NilOr(inner), v) => miss_error(*inner, text, v),
        (Miss::ArrLen, None) => CmdError::err(format!("Path '{text}' does not exist")),
        (Miss::ArrLen, Some(_)) => CmdError::err(format!("Path '{text}' does not exist or not an array")),
        (Miss::Wrongtype(exp), Some(v)) => CmdError::raw(format!(
            "WRONGTYPE wrong type of path value - expected {exp} but found {}",
            v.kind()
        )),
        (Miss::Wrongtype(_), None) => CmdError::err(format!("Path '{}' does not exist", shown(text))),
        (Miss::Shown(tail), _) => CmdError::err(format!("Path '{}' does not exist or {tail}", shown(text))),
        (Miss::Typed(tail), _) => CmdError::err(format!("Path '{}' does not exist or {tail}", text)),
    }
}

/// A read-only command over the matches of the path (`$` when absent for `$`-less commands:
/// legacy root). `f` answers for a match of the right type, None otherwise.
fn read_each(ctx: &mut Ctx, args: &mut Args, miss: Miss, f: impl Fn(&Json) -> Option<Frame>) -> CmdResult {
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let (p, text) = parse_path(&args.next_opt().unwrap_or_else(|| Bytes::from_static(b".")))?;
    args.finish()?;
    let Some(doc) = read_doc(ctx, &key)? else {
        return if p.legacy { Ok(Frame::Null) } else { Err(no_key()) };
    };
    let hits: Vec<&Json> = p.eval(doc).iter().filter_map(|q| resolve(doc, q)).collect();
    if p.legacy {
        let Some(first) = hits.first() else { return miss_reply(miss, &text, None) };
        return f(first).map_or_else(|| miss_reply(miss, &text, Some(first)), Ok);
    }
    Ok(Frame::Array(hits.into_iter().map(|v| f(v).unwrap_or(Frame::Null)).collect()))
}

/// A writing command over the matches: `f` changes a match of the right type and answers, or
/// says None (wrong type); a legacy path answers the last match's reply.
fn write_each(
    ctx: &mut Ctx,
    key: &Bytes,
    p: &Path,
    text: &str,
    miss: Miss,
    mut f: impl FnMut(&mut Json) -> Result<Option<Frame>, CmdError>,
) -> Result<Vec<Option<Frame>>, CmdError> {
    let Some(doc) = write_doc(ctx, key)? else { return Err(no_key()) };
    let hits = p.eval(doc);
    let mut out = Vec::new();
    let mut changed = false;
    for h in &hits {
        let Some(v) = resolve_mut(doc, h) else { continue };
        let r = f(v)?;
        if p.legacy && r.is_none() {
            let err = miss_error(miss, text, resolve(doc, h));
            if changed {
                ctx.modified(key);
            }
            return Err(err);
        }
        changed |= r.is_some();
        out.push(r);
    }
    if changed {
        ctx.modified(key);
    }
    if p.legacy && out.is_empty() {
        return Err(miss_error(miss, text, None));
    }
    Ok(out)
}

/// The reply of a writing command: the last match's (legacy) or one per match.
fn each_reply(p: &Path, mut out: Vec<Option<Frame>>) -> Frame {
    if p.legacy {
        return out.pop().flatten().unwrap_or(Frame::Null);
    }
    Frame::Array(out.into_iter().map(|r| r.unwrap_or(Frame::Null)).collect())
}

fn json_type(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let resp3 = is_resp3(ctx);
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let (p, _) = parse_path(&args.next_opt().unwrap_or_else(|| Bytes::from_static(b".")))?;
    args.finish()?;
    let Some(doc) = read_doc(ctx, &key)? else {
        return Ok(if resp3 { Frame::Array(vec![Frame::Null]) } else { Frame::Null });
    };
    let kinds: Vec<Frame> = p
        .eval(doc)
        .iter()
        .filter_map(|q| resolve(doc, q))
        .map(|v| Frame::bulk_from(v.kind().as_bytes()))
        .collect();
    let reply = if p.legacy { kinds.into_iter().next().unwrap_or(Frame::Null) } else { Frame::Array(kinds) };
    Ok(if resp3 { Frame::Array(vec![reply]) } else { reply })
}

fn json_strlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::Wrongtype("string"), |v| match v {
        Json::Str(s) => Some(Frame::Integer(s.len() as i64)),
        _ => None,
    })
}

fn json_arrlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::ArrLen, |v| match v {
        Json::Arr(a) => Some(Frame::Integer(a.len() as i64)),
        _ => None,
    })
}

fn json_objlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.all().get(2).is_some_and(|p| p.starts_with(b"$")) && !p_exists(ctx, &args.all()[1]) {
        let shown = shown(&String::from_utf8_lossy(&args.all()[2]));
        return Err(CmdError::err(format!("Path '{shown}' does not exist or not an object")));
    }
    read_each(ctx, args, Miss::NilOr(&Miss::Wrongtype("object")), |v| match v {
        Json::Obj(m) => Some(Frame::Integer(m.len() as i64)),
        _ => None,
    })
}

fn json_objkeys(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::NilOr(&Miss::Shown("not an object")), |v| match v {
        Json::Obj(m) => Some(Frame::Array(m.iter().map(|(k, _)| Frame::bulk_from(k.as_bytes())).collect())),
        _ => None,
    })
}

/// Arguments `key path` of a writing command, checked for a count of at least `min` in all.
fn key_path(args: &mut Args, min: usize) -> Result<(Bytes, Path, String), CmdError> {
    if args.remaining() < min {
        return Err(arity(args));
    }
    let key = args.next_bytes()?;
    let (p, text) = parse_path(&args.next_bytes()?)?;
    Ok((key, p, text))
}

fn number_of(v: &Json) -> Option<f64> {
    match v {
        Json::Int(n) => Some(*n as f64),
        Json::Big(n) => Some(*n as f64),
        Json::Float(f) => Some(*f),
        _ => None,
    }
}

fn json_numincrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    num_op(ctx, args, false)
}

fn json_nummultby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    num_op(ctx, args, true)
}

/// NUMINCRBY / NUMMULTBY: integers stay integers while the result fits, as in the module.
fn num_op(ctx: &mut Ctx, args: &mut Args, mult: bool) -> CmdResult {
    let resp3 = is_resp3(ctx);
    let (key, p, text) = key_path(args, 3)?;
    let by = json::parse(&args.next_bytes()?).map_err(CmdError::err)?;
    args.finish()?;
    let Some(byf) = number_of(&by) else { return Err(CmdError::raw("bad input number")) };
    let op = |v: &mut Json| -> Result<Option<Frame>, CmdError> {
        let Some(cur) = number_of(v) else { return Ok(None) };
        let int = match (&*v, &by) {
            // i64 arithmetic wraps in the module (i64::MAX + 1 is i64::MIN).
            (Json::Int(a), Json::Int(b)) => Some(if mult { a.wrapping_mul(*b) } else { a.wrapping_add(*b) }),
            _ => None,
        };
        let new = match int {
            Some(n) => Json::Int(n),
            None => {
                let f = if mult { cur * byf } else { cur + byf };
                if !f.is_finite() {
                    return Err(CmdError::err("result is not a number"));
                }
                Json::Float(f)
            }
        };
        *v = new.clone();
        Ok(Some(Frame::Bulk(new.to_text().into())))
    };
    // In RESP3 both path forms answer an array of numbers (nil for a non-number).
    if resp3 {
        let mut out = Vec::new();
        let Some(doc) = write_doc(ctx, &key)? else { return Err(no_key()) };
        for h in p.eval(doc) {
            let Some(v) = resolve_mut(doc, &h) else { continue };
            out.push(match op(v)? {
                Some(_) => match v {
                    Json::Int(n) => Frame::Integer(*n),
                    other => Frame::Double(number_of(other).unwrap_or(0.0)),
                },
                None => Frame::Null,
            });
        }
        ctx.modified(&key);
        return Ok(Frame::Array(out));
    }
    let out = write_each(ctx, &key, &p, &text, Miss::Shown("does not contains a number"), op)?;
    if p.legacy {
        return Ok(out.into_iter().last().flatten().unwrap_or(Frame::Null));
    }
    let mut text = String::from("[");
    for (i, r) in out.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        match r {
            Some(Frame::Bulk(b)) => text.push_str(&String::from_utf8_lossy(b)),
            _ => text.push_str("null"),
        }
    }
    text.push(']');
    Ok(Frame::Bulk(text.into()))
}

fn json_strappend(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() < 2 {
        return Err(arity(args));
    }
    let key = args.next_bytes()?;
    let (p, text) = if args.remaining() >= 2 { parse_path(&args.next_bytes()?)? } else { parse_path(b".")? };
    let arg = args.next_bytes()?;
    let add = match json::parse(&arg).map_err(CmdError::err)? {
        Json::Str(s) => s,
        _ => {
            return Err(CmdError::raw(format!(
                "WRONGTYPE wrong type of path value - expected string but found {}",
                String::from_utf8_lossy(&arg)
            )))
        }
    };
    args.finish()?;
    let out = write_each(ctx, &key, &p, &text, Miss::Shown("not a string"), |v| match v {
        Json::Str(s) => {
            s.push_str(&add);
            Ok(Some(Frame::Integer(s.len() as i64)))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

fn json_arrappend(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 3)?;
    let values = args.rest().iter().map(|v| parse_value(v)).collect::<Result<Vec<_>, _>>()?;
    let deepest = values.iter().map(Json::depth).max().unwrap_or(0);
    if deepest_hit(ctx, &key, &p) + 1 + deepest > MAX_DOC_DEPTH {
        return Err(CmdError::err("nesting too deep"));
    }
    let out = write_each(ctx, &key, &p, &text, Miss::Typed("not an array"), |v| match v {
        Json::Arr(a) => {
            a.extend(values.iter().cloned());
            Ok(Some(Frame::Integer(a.len() as i64)))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

/// An index argument as the module reads it.
fn index_arg(b: &[u8]) -> Result<i64, CmdError> {
    crate::args::parse_i64(b).ok_or_else(|| CmdError::raw("Couldn't parse as integer"))
}

fn json_arrinsert(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 4)?;
    let at = index_arg(&args.next_bytes()?)?;
    let values = args.rest().iter().map(|v| parse_value(v)).collect::<Result<Vec<_>, _>>()?;
    let deepest = values.iter().map(Json::depth).max().unwrap_or(0);
    if deepest_hit(ctx, &key, &p) + 1 + deepest > MAX_DOC_DEPTH {
        return Err(CmdError::err("nesting too deep"));
    }
    let out = write_each(ctx, &key, &p, &text, Miss::Shown("not an array"), |v| match v {
        Json::Arr(a) => {
            let len = a.len() as i64;
            let i = if at < 0 { at + len } else { at };
            if !(0..=len).contains(&i) {
                return Err(CmdError::err("index out of bounds"));
            }
            let tail = a.split_off(i as usize);
            a.extend(values.iter().cloned());
            a.extend(tail);
            Ok(Some(Frame::Integer(a.len() as i64)))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

fn json_arrpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let (p, text) = parse_path(&args.next_opt().unwrap_or_else(|| Bytes::from_static(b".")))?;
    // An index that is not an integer counts as the default, the last element.
    let at = args.next_opt().and_then(|b| crate::args::parse_i64(&b)).unwrap_or(-1);
    args.finish()?;
    let out = write_each(ctx, &key, &p, &text, Miss::Shown("not an array"), |v| match v {
        Json::Arr(a) if a.is_empty() => Ok(Some(Frame::Null)),
        Json::Arr(a) => {
            let len = a.len() as i64;
            let i = if at < 0 { (at + len).max(0) } else { at.min(len - 1) };
            Ok(Some(Frame::Bulk(a.remove(i as usize).to_text().into())))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

fn json_arrtrim(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 4)?;
    let start = index_arg(&args.next_bytes()?)?;
    let stop = index_arg(&args.next_bytes()?)?;
    args.finish()?;
    let out = write_each(ctx, &key, &p, &text, Miss::Shown("not an array"), |v| match v {
        Json::Arr(a) => {
            let len = a.len() as i64;
            let s = if start < 0 { (start + len).max(0) } else { start };
            let e = if stop < 0 { stop + len } else { stop.min(len - 1) };
            if s >= len || s > e {
                a.clear();
            } else {
                a.truncate(e as usize + 1);
                a.drain(..s as usize);
            }
            Ok(Some(Frame::Integer(a.len() as i64)))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

fn json_arrindex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.remaining() < 3 {
        return Err(arity(args));
    }
    let key = args.next_bytes()?;
    let path = args.next_bytes()?;
    let needle = json::parse(&args.next_bytes()?).map_err(CmdError::err)?;
    let start = args.next_opt().map(|b| index_arg(&b)).transpose()?.unwrap_or(0);
    let stop = args.next_opt().map(|b| index_arg(&b)).transpose()?.unwrap_or(0);
    args.finish()?;
    if !p_exists(ctx, &key) && !path.starts_with(b"$") {
        return Err(CmdError::err(format!("Path '{}' does not exist", String::from_utf8_lossy(&path))));
    }
    let mut rest = Args::new(vec![Bytes::new(), key, path], 1);
    read_each(ctx, &mut rest, Miss::Wrongtype("array"), |v| {
        let Json::Arr(a) = v else { return None };
        let len = a.len() as i64;
        let norm = |i: i64| if i < 0 { (i + len).max(0) } else { i.min(len) };
        let s = norm(start);
        let e = if stop == 0 { len } else { norm(stop) };
        let found = (s..e).find(|&i| a[i as usize] == needle);
        Some(Frame::Integer(found.unwrap_or(-1)))
    })
}

/// True if `key` holds something (without counting a hit or miss).
fn p_exists(ctx: &mut Ctx, key: &[u8]) -> bool {
    ctx.peek(key).is_some()
}

fn json_clear(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let (p, text) = parse_path(&args.next_opt().unwrap_or_else(|| Bytes::from_static(b".")))?;
    args.finish()?;
    let _ = &text;
    let Some(doc) = write_doc(ctx, &key)? else { return Err(no_key()) };
    let mut n = 0;
    for h in p.eval(doc) {
        let Some(v) = resolve_mut(doc, &h) else { continue };
        // Only what changes counts: a non-empty container, a non-zero number.
        match v {
            Json::Arr(a) if !a.is_empty() => a.clear(),
            Json::Obj(m) if !m.is_empty() => m.clear(),
            Json::Int(0) => continue,
            Json::Int(_) | Json::Big(_) | Json::Float(_) => *v = Json::Int(0),
            _ => continue,
        }
        n += 1;
    }
    if n > 0 {
        ctx.modified(&key);
    }
    Ok(Frame::Integer(n))
}

fn json_toggle(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 2)?;
    args.finish()?;
    let legacy = p.legacy;
    let out = write_each(ctx, &key, &p, &text, Miss::Shown("not a bool"), |v| match v {
        Json::Bool(b) => {
            *b = !*b;
            Ok(Some(if legacy {
                Frame::bulk_from(if *b { "true" } else { "false" }.as_bytes())
            } else {
                Frame::Integer(i64::from(*b))
            }))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

/// RFC 7396 merge: null members delete, objects merge member by member, the rest replaces.
fn merge(target: &mut Json, patch: Json) {
    let Json::Obj(pm) = patch else {
        *target = patch;
        return;
    };
    if !matches!(target, Json::Obj(_)) {
        *target = Json::Obj(Vec::new());
    }
    let Json::Obj(tm) = target else { return };
    for (k, v) in pm {
        let at = tm.iter().position(|(tk, _)| *tk == k);
        match (at, v) {
            (Some(i), Json::Null) => {
                tm.swap_remove(i);
            }
            (None, Json::Null) => {}
            (Some(i), v) => merge(&mut tm[i].1, v),
            (None, v) => {
                let mut fresh = Json::Null;
                merge(&mut fresh, v);
                tm.push((k, fresh));
            }
        }
    }
}

fn json_merge(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, _) = key_path(args, 3)?;
    let patch = parse_value(&args.next_bytes()?)?;
    args.finish()?;
    let Some(doc) = write_doc(ctx, &key)? else {
        if !p.is_root() {
            return Err(CmdError::err("new objects must be created at the root"));
        }
        // A new document takes the patch as it is, nulls included.
        ctx.set(key, Value::Json(Box::new(patch)), None);
        return Ok(Frame::ok());
    };
    let hits = p.eval(doc);
    if hits.is_empty() {
        let mut done = false;
        if let Some(name) = p.last_name().filter(|_| patch != Json::Null) {
            let name = name.to_string();
            for q in p.eval_parent(doc) {
                check_depth(q.len() + 1, &patch)?;
                if let Some(Json::Obj(m)) = resolve_mut(doc, &q) {
                    m.push((name.clone(), patch.clone()));
                    done = true;
                }
            }
        }
        if !done {
            return Ok(Frame::Null);
        }
    }
    for h in hits {
        check_depth(h.len(), &patch)?;
        if let Some(v) = resolve_mut(doc, &h) {
            merge(v, patch.clone());
        }
    }
    ctx.modified(&key);
    Ok(Frame::ok())
}

/// JSON.RESP's form of a value: `[`/`{`-headed arrays, numbers as integers or bulk text.
fn to_resp(v: &Json) -> Frame {
    match v {
        Json::Null => Frame::Null,
        Json::Bool(b) => Frame::Simple(if *b { "true" } else { "false" }.into()),
        Json::Int(n) => Frame::Integer(*n),
        Json::Big(n) => Frame::Double(*n as f64),
        Json::Float(f) => Frame::Double(*f),
        Json::Str(s) => Frame::bulk_from(s.as_bytes()),
        Json::Arr(a) => {
            let mut out = vec![Frame::Simple("[".into())];
            out.extend(a.iter().map(to_resp));
            Frame::Array(out)
        }
        Json::Obj(m) => {
            let mut out = vec![Frame::Simple("{".into())];
            for (k, v) in m {
                out.push(Frame::bulk_from(k.as_bytes()));
                out.push(to_resp(v));
            }
            Frame::Array(out)
        }
    }
}

fn json_resp(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::Wrongtype("any"), |v| Some(to_resp(v)))
}

fn json_debug(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let Some(sub) = args.next_opt() else { return Err(arity(args)) };
    match sub.to_ascii_uppercase().as_slice() {
        b"HELP" => Ok(Frame::Array(vec![
            Frame::bulk_from("MEMORY <key> [path] - reports memory usage".as_bytes()),
            Frame::bulk_from("HELP                - this message".as_bytes()),
        ])),
        b"MEMORY" => {
            let Some(key) = args.next_opt() else { return Err(arity(args)) };
            let (p, text) = parse_path(&args.next_opt().unwrap_or_else(|| Bytes::from_static(b".")))?;
            let Some(doc) = read_doc(ctx, &key)? else {
                return Ok(if p.legacy { Frame::Integer(0) } else { Frame::Array(vec![]) });
            };
            let sizes: Vec<Frame> = p
                .eval(doc)
                .iter()
                .filter_map(|q| resolve(doc, q))
                .map(|v| Frame::Integer(v.mem_bytes() as i64))
                .collect();
            if p.legacy {
                return sizes.into_iter().next().ok_or_else(|| miss_error(Miss::Wrongtype(""), &text, None));
            }
            Ok(Frame::Array(sizes))
        }
        _ => Err(CmdError::err("unknown subcommand - try `JSON.DEBUG HELP`")),
    }
}
