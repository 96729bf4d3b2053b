//! RedisJSON 2.8's commands (JSON.*), replying as the module does.
//!
//! Every command that takes a path replies in one of two shapes: a JSONPath (`$...`) gets one
//! entry per match (nil where the match has the wrong type), a legacy path gets the value of the
//! match alone, or an error when nothing fits. The module's error texts differ per command; each
//! handler names its own (`Miss`).

mod doc;
mod edit;
pub mod path;

use super::CommandSpec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::{Frame, Protocol};
use crate::types::json::{self, Format, Json};
use crate::types::Value;
use bytes::Bytes;
use doc::*;
use edit::*;
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

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
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
        "key path value [key path value ...]",
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
]);

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

/// In a browser tab (a value limit set, see `Engine::set_value_limit`), refuse a write that
/// would put `each` more bytes at every place `p` names (or would create) in the document at
/// `key` past the limit: `$..*` copies a value once per match, so documents could otherwise
/// grow geometrically, command after command, until the page dies.
fn check_growth(ctx: &mut Ctx, key: &[u8], p: &Path, each: usize) -> Result<(), CmdError> {
    let Some(limit) = ctx.server.value_limit else { return Ok(()) };
    let proto = ctx.server.config.proto_max_bulk_len;
    let (now, copies) = match ctx.peek(key).map(|e| &e.value) {
        Some(Value::Json(doc)) => (doc.mem_bytes(), p.eval(doc).len().max(p.eval_parent(doc).len()).max(1)),
        _ => (0, 1),
    };
    if now.saturating_add(copies.saturating_mul(each)) > limit {
        return Err(CmdError::err(format!(
            "document exceeds the playground's limit of {} MB per value in a browser tab (real Redis \
             would grow it, up to its memory, not limited by proto-max-bulk-len {} MB)",
            limit >> 20,
            proto >> 20
        )));
    }
    Ok(())
}

/// RedisJSON's keyspace event for a change, in the module class (`d`): `json.set`,
/// `json.del` (JSON.FORGET's too), ...
fn announce(ctx: &mut Ctx, event: &str, key: &[u8]) {
    ctx.notify(crate::notify::MODULE, event, key);
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
#[allow(clippy::too_many_arguments)]
fn write_each(
    event: &str,
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
                announce(ctx, event, key);
            }
            return Err(err);
        }
        changed |= r.is_some();
        out.push(r);
    }
    if changed {
        ctx.modified(key);
        announce(ctx, event, key);
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

/// Arguments `key path` of a writing command, checked for a count of at least `min` in all.
fn key_path(args: &mut Args, min: usize) -> Result<(Bytes, Path, String), CmdError> {
    if args.remaining() < min {
        return Err(arity(args));
    }
    let key = args.next_bytes()?;
    let (p, text) = parse_path(&args.next_bytes()?)?;
    Ok((key, p, text))
}

/// True if `key` holds something (without counting a hit or miss).
fn p_exists(ctx: &mut Ctx, key: &[u8]) -> bool {
    ctx.peek(key).is_some()
}
