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
use path::{resolve, resolve_mut, Path};

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
    json_cmd!("json.forget", W, K, "Delete the values at a path (alias of JSON.DEL).", "key [path]", json_del),
    json_cmd!("json.type", R, K, "The JSON type of the values at a path.", "key [path]", json_type),
    json_cmd!("json.mget", R, K, "JSON text at one path in several keys.", "key [key ...] path", json_mget),
    json_cmd!("json.mset", WD, (1, -1, 3), "Set JSON values in several keys.", "key path value [...]", json_mset),
    json_cmd!("json.numincrby", W, K, "Add to the numbers at a path.", "key path number", json_numincrby),
    json_cmd!("json.nummultby", W, K, "Multiply the numbers at a path.", "key path number", json_nummultby),
    json_cmd!("json.strappend", WD, K, "Append to the strings at a path.", "key [path] string", json_strappend),
    json_cmd!("json.strlen", R, K, "Length of the strings at a path.", "key [path]", json_strlen),
    json_cmd!("json.arrappend", WD, K, "Append values to the arrays at a path.", "key path value ...", json_arrappend),
    json_cmd!("json.arrindex", R, K, "Position of a value in arrays.", "key path value [start [stop]]", json_arrindex),
    json_cmd!("json.arrinsert", WD, K, "Insert values into arrays.", "key path index value ...", json_arrinsert),
    json_cmd!("json.arrlen", R, K, "Length of the arrays at a path.", "key [path]", json_arrlen),
    json_cmd!("json.arrpop", W, K, "Remove and return an array element.", "key [path [index]]", json_arrpop),
    json_cmd!("json.arrtrim", W, K, "Keep a range of arrays' elements.", "key path start stop", json_arrtrim),
    json_cmd!("json.objkeys", R, K, "Keys of the objects at a path.", "key [path]", json_objkeys),
    json_cmd!("json.objlen", R, K, "Number of keys of the objects at a path.", "key [path]", json_objlen),
    json_cmd!("json.clear", W, K, "Empty containers and zero numbers.", "key [path]", json_clear),
    json_cmd!("json.toggle", WD, K, "Flip the booleans at a path.", "key path", json_toggle),
    json_cmd!("json.merge", WD, K, "Merge a JSON value (RFC 7396) at a path.", "key path value", json_merge),
    json_cmd!("json.resp", R, K, "The values at a path as RESP.", "key [path]", json_resp),
    json_cmd!("json.debug", R, (2, 2, 1), "JSON.DEBUG MEMORY key [path] and HELP.", "MEMORY key [path] | HELP", json_debug),
];

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

/// The JSONPath form RedisJSON shows for a legacy path in errors (`.a` -> `$.a`, `a` -> `$.a`).
fn shown(text: &str) -> String {
    if text.starts_with('$') {
        text.to_string()
    } else if text.is_empty() || text == "." {
        "$".into()
    } else if text.starts_with('.') || text.starts_with('[') {
        format!("${text}")
    } else {
        format!("$.{text}")
    }
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
            b"NX" if !xx => nx = true,
            b"XX" if !nx => xx = true,
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
            if let Some(slot) = resolve_mut(doc, p) {
                *slot = value.clone();
            }
        }
        ctx.modified(key);
        return Ok(Frame::ok());
    }
    let Some(name) = path.last_name().filter(|_| !xx) else { return Ok(Frame::Null) };
    let mut done = false;
    for p in path.eval_parent(doc) {
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
        [(p, text)] => get_path(doc, p, text, &fmt, &mut out, p.legacy)?,
        many => {
            let legacy = many.iter().all(|(p, _)| p.legacy);
            let mut members: Vec<(&str, String)> = Vec::new();
            for (p, text) in many {
                let mut one = String::new();
                get_path(doc, p, text, &fmt, &mut one, legacy)?;
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

/// One path's text for JSON.GET: the first match (legacy) or an array of every match.
fn get_path(doc: &Json, p: &Path, text: &str, fmt: &Format, out: &mut String, legacy: bool) -> Result<(), CmdError> {
    let hits: Vec<&Json> = p.eval(doc).iter().filter_map(|q| resolve(doc, q)).collect();
    if legacy {
        let Some(first) = hits.first() else {
            return Err(CmdError::err(format!("Path '{}' does not exist", shown(text))));
        };
        first.write(out, fmt, if out.is_empty() { 0 } else { 1 });
        return Ok(());
    }
    let depth = usize::from(!out.is_empty());
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
}

fn miss_error(miss: Miss, text: &str, found: Option<&Json>) -> CmdError {
    match (miss, found) {
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
fn read_each(
    ctx: &mut Ctx,
    args: &mut Args,
    miss: Miss,
    f: impl Fn(&Json) -> Option<Frame>,
) -> CmdResult {
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let (p, text) = parse_path(&args.next_opt().unwrap_or_else(|| Bytes::from_static(b".")))?;
    args.finish()?;
    let Some(doc) = read_doc(ctx, &key)? else {
        return if p.legacy { Ok(Frame::Null) } else { Err(no_key()) };
    };
    let hits: Vec<&Json> = p.eval(doc).iter().filter_map(|q| resolve(doc, q)).collect();
    if p.legacy {
        let Some(first) = hits.first() else { return Err(miss_error(miss, &text, None)) };
        return f(first).ok_or_else(|| miss_error(miss, &text, Some(first)));
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
    let kinds: Vec<Frame> =
        p.eval(doc).iter().filter_map(|q| resolve(doc, q)).map(|v| Frame::bulk_from(v.kind().as_bytes())).collect();
    let reply = if p.legacy {
        kinds.into_iter().next().unwrap_or(Frame::Null)
    } else {
        Frame::Array(kinds)
    };
    Ok(if resp3 { Frame::Array(vec![reply]) } else { reply })
}

fn json_strlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::Wrongtype("string"), |v| match v {
        Json::Str(s) => Some(Frame::Integer(s.chars().count() as i64)),
        _ => None,
    })
}

fn json_arrlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let typed = args.all().get(2).map(|t| String::from_utf8_lossy(t).into_owned());
    let r = read_each(ctx, args, Miss::Typed("not an array"), |v| match v {
        Json::Arr(a) => Some(Frame::Integer(a.len() as i64)),
        _ => None,
    });
    // The module shows the path as typed here (`.` when it was left out).
    r.map_err(|e| match typed {
        None => CmdError(e.0.replace("Path '$'", "Path '.'")),
        Some(_) => e,
    })
}

fn json_objlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::Wrongtype("object"), |v| match v {
        Json::Obj(m) => Some(Frame::Integer(m.len() as i64)),
        _ => None,
    })
}

fn json_objkeys(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::Shown("not an object"), |v| match v {
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
    let (key, p, text) = key_path(args, 3)?;
    let by = json::parse(&args.next_bytes()?).map_err(CmdError::err)?;
    args.finish()?;
    let Some(byf) = number_of(&by) else {
        return Err(CmdError::err("expected value at line 1 column 1"));
    };
    let out = write_each(ctx, &key, &p, &text, Miss::Shown("does not contains a number"), |v| {
        let Some(cur) = number_of(v) else { return Ok(None) };
        let int = match (&*v, &by) {
            (Json::Int(a), Json::Int(b)) => if mult { a.checked_mul(*b) } else { a.checked_add(*b) },
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
    })?;
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
    let add = match json::parse(&args.next_bytes()?).map_err(CmdError::err)? {
        Json::Str(s) => s,
        _ => return Err(CmdError::err("expected value at line 1 column 1")),
    };
    args.finish()?;
    let out = write_each(ctx, &key, &p, &text, Miss::Shown("not a string"), |v| match v {
        Json::Str(s) => {
            s.push_str(&add);
            Ok(Some(Frame::Integer(s.chars().count() as i64)))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

fn json_arrappend(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 3)?;
    let values = args.rest().iter().map(|v| parse_value(v)).collect::<Result<Vec<_>, _>>()?;
    let out = write_each(ctx, &key, &p, &text, Miss::Typed("not an array"), |v| match v {
        Json::Arr(a) => {
            a.extend(values.iter().cloned());
            Ok(Some(Frame::Integer(a.len() as i64)))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

/// An index argument as the module reads it (`ERR value is not an integer or out of range`).
fn index_arg(b: &[u8]) -> Result<i64, CmdError> {
    crate::args::parse_i64(b).ok_or_else(CmdError::not_integer)
}

fn json_arrinsert(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 4)?;
    let at = index_arg(&args.next_bytes()?)?;
    let values = args.rest().iter().map(|v| parse_value(v)).collect::<Result<Vec<_>, _>>()?;
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
    let at = match args.next_opt() {
        Some(b) => index_arg(&b)?,
        None => -1,
    };
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
    let mut rest = Args::new(vec![Bytes::new(), key, path], 1);
    read_each(ctx, &mut rest, Miss::Wrongtype("array"), |v| {
        let Json::Arr(a) = v else { return None };
        let len = a.len() as i64;
        let norm = |i: i64| if i < 0 { (i + len).max(0) } else { i.min(len) };
        let s = norm(start);
        let e = if stop == 0 { len } else { norm(stop) };
        let found = (s..e).find(|&i| same(&a[i as usize], &needle));
        Some(Frame::Integer(found.unwrap_or(-1)))
    })
}

/// Equality as ARRINDEX sees it: numbers by value (1 matches 1.0).
fn same(a: &Json, b: &Json) -> bool {
    match (number_of(a), number_of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
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
        match v {
            Json::Arr(a) => a.clear(),
            Json::Obj(m) => m.clear(),
            Json::Int(_) | Json::Float(_) => *v = Json::Int(0),
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
        let mut fresh = Json::Null;
        merge(&mut fresh, patch);
        ctx.set(key, Value::Json(Box::new(fresh)), None);
        return Ok(Frame::ok());
    };
    let hits = p.eval(doc);
    if hits.is_empty() {
        if let (Some(name), Json::Obj(_)) = (p.last_name(), &patch) {
            let name = name.to_string();
            for q in p.eval_parent(doc) {
                if let Some(Json::Obj(m)) = resolve_mut(doc, &q) {
                    let mut fresh = Json::Null;
                    merge(&mut fresh, patch.clone());
                    m.push((name.clone(), fresh));
                }
            }
        }
    }
    for h in hits {
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
        Json::Float(f) => Frame::Bulk(json::format_float(*f).into()),
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
            let (p, _) = parse_path(&args.next_opt().unwrap_or_else(|| Bytes::from_static(b".")))?;
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
                return Ok(sizes.into_iter().next().unwrap_or(Frame::Integer(0)));
            }
            Ok(Frame::Array(sizes))
        }
        _ => Err(CmdError::err("unknown subcommand - try `JSON.DEBUG HELP`")),
    }
}
