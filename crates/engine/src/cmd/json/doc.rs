//! Whole-document and selection commands: JSON.SET, MSET, GET, MGET, DEL/FORGET, TYPE, MERGE,
//! RESP and DEBUG.

use super::*;
/// JSON.SET key path value [NX|XX].
pub(super) fn json_set(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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
    set_one(ctx, &key, &path, value, nx, xx, "json.set")
}

/// One JSON.SET (or one key of JSON.MSET), announced as `event` when it changed the key.
fn set_one(
    ctx: &mut Ctx,
    key: &Bytes,
    path: &Path,
    value: Json,
    nx: bool,
    xx: bool,
    event: &str,
) -> CmdResult {
    let reply = set_apply(ctx, key, path, value, nx, xx)?;
    if reply == Frame::ok() {
        announce(ctx, event, key);
    }
    Ok(reply)
}

/// JSON.SET's change: OK, or nil when NX/XX or a missing parent leaves nothing to set.
fn set_apply(ctx: &mut Ctx, key: &Bytes, path: &Path, value: Json, nx: bool, xx: bool) -> CmdResult {
    check_growth(ctx, key, path, value.mem_bytes())?;
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
pub(super) fn json_mset(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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
        set_one(ctx, &key, &path, value, false, false, "json.mset")?;
    }
    Ok(Frame::ok())
}

/// JSON.GET key [INDENT s] [NEWLINE s] [SPACE s] [path ...].
pub(super) fn json_get(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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
pub(super) fn json_mget(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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
pub(super) fn json_del(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let (p, _) = match args.next_opt() {
        Some(t) => parse_path(&t)?,
        None => parse_path(b".")?,
    };
    let Some(doc) = write_doc(ctx, &key)? else { return Ok(Frame::Integer(0)) };
    if p.is_root() {
        ctx.delete(&key);
        announce(ctx, "json.del", &key);
        if ctx.db_index() == 0 {
            ctx.server.search.by_name.values_mut().for_each(|idx| idx.note_json_delete(&key));
        }
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
        announce(ctx, "json.del", &key);
    }
    Ok(Frame::Integer(n))
}

pub(super) fn json_type(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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

pub(super) fn json_merge(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let key = args.all().get(1).cloned().unwrap_or_default();
    let reply = merge_apply(ctx, args)?;
    if reply == Frame::ok() {
        announce(ctx, "json.merge", &key);
    }
    Ok(reply)
}

fn merge_apply(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, _) = key_path(args, 3)?;
    let patch = parse_value(&args.next_bytes()?)?;
    args.finish()?;
    check_growth(ctx, &key, &p, patch.mem_bytes())?;
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

pub(super) fn json_resp(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::Wrongtype("any"), |v| Some(to_resp(v)))
}

pub(super) fn json_debug(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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
