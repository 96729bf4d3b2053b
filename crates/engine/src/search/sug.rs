//! FT.SUGADD / SUGGET / SUGDEL / SUGLEN (suggest.c): auto-complete dictionaries stored as keys
//! of their own type (`types::suggest`), independent of any index.

use super::commands::{err, text};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::suggest::Suggestions;
use crate::types::Value;

fn arity(ok: bool, name: &str) -> Result<(), CmdError> {
    if ok {
        Ok(())
    } else {
        Err(CmdError::wrong_arity(name))
    }
}

fn is_suggest(v: &Value) -> bool {
    matches!(v, Value::Suggest(_))
}

/// The dictionary at `key` (None: no key), WRONGTYPE for another type.
fn read<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a Suggestions>, CmdError> {
    match ctx.read(key) {
        None => Ok(None),
        Some(Value::Suggest(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::wrong_type()),
    }
}

/// `FT.SUGADD key string score [INCR] [PAYLOAD payload]`: the dictionary's size after.
pub fn ft_sugadd(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity((3..=6).contains(&args.remaining()), "FT.SUGADD")?;
    let key = args.next_bytes()?;
    let string = args.next_bytes()?;
    let raw_score = args.next_bytes()?;
    let (mut incr, mut payload) = (false, None);
    while let Some(opt) = args.next_opt() {
        if opt.eq_ignore_ascii_case(b"INCR") {
            incr = true;
        } else if opt.eq_ignore_ascii_case(b"PAYLOAD") {
            let p = args
                .next_opt()
                .ok_or_else(|| err("Invalid payload: Expected an argument, but none provided"))?;
            payload = Some(p);
        } else {
            return Err(err(format!("Unknown argument `{}`", text(&opt))));
        }
    }
    read(ctx, &key)?;
    let score = crate::float::parse_double(&raw_score)
        .filter(|s| !s.is_nan())
        .ok_or_else(|| CmdError::raw("ERR invalid score"))?;
    let value = ctx.write_or_create(&key, is_suggest, || Value::Suggest(Box::default()))?;
    let Value::Suggest(dict) = value else { return Err(CmdError::wrong_type()) };
    dict.add(&string, score as f32, incr, payload);
    let len = dict.len();
    ctx.modified(&key);
    Ok(Frame::Integer(len as i64))
}

/// `FT.SUGLEN key`.
pub fn ft_suglen(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() == 1, "FT.SUGLEN")?;
    let key = args.next_bytes()?;
    Ok(Frame::Integer(read(ctx, &key)?.map_or(0, |s| s.len()) as i64))
}

/// `FT.SUGDEL key string`: 1 if it was there.
pub fn ft_sugdel(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity(args.remaining() == 2, "FT.SUGDEL")?;
    let key = args.next_bytes()?;
    let string = args.next_bytes()?;
    if read(ctx, &key)?.is_none() {
        return Ok(Frame::Integer(0));
    }
    let removed = match ctx.write(&key).map(|e| &mut e.value) {
        Some(Value::Suggest(s)) => s.remove(&string),
        _ => false,
    };
    if removed {
        ctx.modified(&key);
    }
    Ok(Frame::Integer(i64::from(removed)))
}

/// `FT.SUGGET key prefix [FUZZY] [MAX n] [WITHSCORES] [WITHPAYLOADS] [TRIM] [OPTIMIZE]`.
pub fn ft_sugget(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    arity((2..=9).contains(&args.remaining()), "FT.SUGGET")?;
    let key = args.next_bytes()?;
    let prefix = args.next_bytes()?;
    if prefix.len() >= 400 {
        return Err(err("Invalid query length"));
    }
    let (mut fuzzy, mut scores, mut payloads, mut trim, mut max) = (false, false, false, false, 5usize);
    while let Some(opt) = args.next_opt() {
        match text(&opt).to_ascii_uppercase().as_str() {
            "FUZZY" => fuzzy = true,
            "WITHSCORES" => scores = true,
            "WITHPAYLOADS" => payloads = true,
            "TRIM" => trim = true,
            "OPTIMIZE" => {}
            "MAX" => {
                let raw =
                    args.next_opt().ok_or_else(|| err("MAX: Expected an argument, but none provided"))?;
                let n =
                    parse_i64(&raw).ok_or_else(|| err("MAX: Could not convert argument to expected type"))?;
                max = usize::try_from(n)
                    .ok()
                    .filter(|n| (1..=u32::MAX as usize).contains(n))
                    .ok_or_else(|| err("MAX: Value is outside acceptable bounds"))?;
            }
            _ => return Err(err(format!("Unrecognized argument: {}", text(&opt)))),
        }
    }
    let Some(dict) = read(ctx, &key)? else { return Ok(Frame::Null) };
    let query = super::text::unicode_lowercase(&text(&prefix));
    if query.chars().count() >= 100 {
        return Err(err("Invalid query"));
    }
    let found = dict.search(&query, prefix.len(), max, usize::from(fuzzy), trim);
    let mut out = Vec::new();
    for f in found {
        out.push(Frame::bulk(f.text.to_string()));
        if scores {
            out.push(Frame::Double(f64::from(f.score)));
        }
        if payloads {
            out.push(f.payload.map_or(Frame::Null, |p| Frame::Bulk(p.clone())));
        }
    }
    Ok(Frame::Array(out))
}
