//! Commands that read or change values of one kind at a path: strings (STRLEN, STRAPPEND),
//! numbers (NUMINCRBY, NUMMULTBY), arrays (ARR*), objects (OBJKEYS, OBJLEN), CLEAR and TOGGLE.

use super::*;
pub(super) fn json_strlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::Wrongtype("string"), |v| match v {
        Json::Str(s) => Some(Frame::Integer(s.len() as i64)),
        _ => None,
    })
}

pub(super) fn json_arrlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::ArrLen, |v| match v {
        Json::Arr(a) => Some(Frame::Integer(a.len() as i64)),
        _ => None,
    })
}

pub(super) fn json_objlen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    if args.all().get(2).is_some_and(|p| p.starts_with(b"$")) && !p_exists(ctx, &args.all()[1]) {
        let shown = shown(&String::from_utf8_lossy(&args.all()[2]));
        return Err(CmdError::err(format!("Path '{shown}' does not exist or not an object")));
    }
    read_each(ctx, args, Miss::NilOr(&Miss::Wrongtype("object")), |v| match v {
        Json::Obj(m) => Some(Frame::Integer(m.len() as i64)),
        _ => None,
    })
}

pub(super) fn json_objkeys(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    read_each(ctx, args, Miss::NilOr(&Miss::Shown("not an object")), |v| match v {
        Json::Obj(m) => Some(Frame::Array(m.iter().map(|(k, _)| Frame::bulk_from(k.as_bytes())).collect())),
        _ => None,
    })
}

fn number_of(v: &Json) -> Option<f64> {
    match v {
        Json::Int(n) => Some(*n as f64),
        Json::Big(n) => Some(*n as f64),
        Json::Float(f) => Some(*f),
        _ => None,
    }
}

pub(super) fn json_numincrby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    num_op(ctx, args, false)
}

pub(super) fn json_nummultby(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    num_op(ctx, args, true)
}

/// NUMINCRBY / NUMMULTBY: integers stay integers while the result fits, as in the module.
fn num_op(ctx: &mut Ctx, args: &mut Args, mult: bool) -> CmdResult {
    let resp3 = is_resp3(ctx);
    let event = if mult { "json.nummultby" } else { "json.numincrby" };
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
        if out.iter().any(|f| *f != Frame::Null) {
            announce(ctx, event, &key);
        }
        return Ok(Frame::Array(out));
    }
    let out = write_each(event, ctx, &key, &p, &text, Miss::Shown("does not contains a number"), op)?;
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

pub(super) fn json_strappend(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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
    check_growth(ctx, &key, &p, add.len())?;
    let out = write_each("json.strappend", ctx, &key, &p, &text, Miss::Shown("not a string"), |v| match v {
        Json::Str(s) => {
            s.push_str(&add);
            Ok(Some(Frame::Integer(s.len() as i64)))
        }
        _ => Ok(None),
    })?;
    Ok(each_reply(&p, out))
}

pub(super) fn json_arrappend(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 3)?;
    let values = args.rest().iter().map(|v| parse_value(v)).collect::<Result<Vec<_>, _>>()?;
    let deepest = values.iter().map(Json::depth).max().unwrap_or(0);
    check_growth(ctx, &key, &p, values.iter().map(Json::mem_bytes).sum())?;
    if deepest_hit(ctx, &key, &p) + 1 + deepest > MAX_DOC_DEPTH {
        return Err(CmdError::err("nesting too deep"));
    }
    let out = write_each("json.arrappend", ctx, &key, &p, &text, Miss::Typed("not an array"), |v| match v {
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

pub(super) fn json_arrinsert(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 4)?;
    let at = index_arg(&args.next_bytes()?)?;
    let values = args.rest().iter().map(|v| parse_value(v)).collect::<Result<Vec<_>, _>>()?;
    let deepest = values.iter().map(Json::depth).max().unwrap_or(0);
    check_growth(ctx, &key, &p, values.iter().map(Json::mem_bytes).sum())?;
    if deepest_hit(ctx, &key, &p) + 1 + deepest > MAX_DOC_DEPTH {
        return Err(CmdError::err("nesting too deep"));
    }
    let out = write_each("json.arrinsert", ctx, &key, &p, &text, Miss::Shown("not an array"), |v| match v {
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

pub(super) fn json_arrpop(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let Some(key) = args.next_opt() else { return Err(arity(args)) };
    let (p, text) = parse_path(&args.next_opt().unwrap_or_else(|| Bytes::from_static(b".")))?;
    // An index that is not an integer counts as the default, the last element.
    let at = args.next_opt().and_then(|b| crate::args::parse_i64(&b)).unwrap_or(-1);
    args.finish()?;
    let out = write_each("json.arrpop", ctx, &key, &p, &text, Miss::Shown("not an array"), |v| match v {
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

pub(super) fn json_arrtrim(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 4)?;
    let start = index_arg(&args.next_bytes()?)?;
    let stop = index_arg(&args.next_bytes()?)?;
    args.finish()?;
    let out = write_each("json.arrtrim", ctx, &key, &p, &text, Miss::Shown("not an array"), |v| match v {
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

pub(super) fn json_arrindex(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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

pub(super) fn json_clear(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
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
        announce(ctx, "json.clear", &key);
    }
    Ok(Frame::Integer(n))
}

pub(super) fn json_toggle(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, p, text) = key_path(args, 2)?;
    args.finish()?;
    let legacy = p.legacy;
    let out = write_each("json.toggle", ctx, &key, &p, &text, Miss::Shown("not a bool"), |v| match v {
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
