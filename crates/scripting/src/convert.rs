//! Values across the seam, as Redis's script_lua.c converts them: command arguments from Lua,
//! replies to Lua (RESP2 or RESP3, as the script chose with `redis.setresp`), and the
//! script's return value back to a reply.

use bytes::Bytes;
use omnilua::{Lua, Table, Value};
use playground_engine::frame::{Frame, Protocol};

/// How deep a returned table may nest before the reply gives up with Redis's error (Redis runs
/// out of Lua stack; a recursive table must not run the host out of its own).
const MAX_DEPTH: usize = 200;

/// `luaArgsToRedisArgv`: strings as they are, numbers as integers when whole (else Redis's
/// shortest double), anything else refused.
pub fn command_args(values: Vec<Value>) -> Result<Vec<Bytes>, &'static str> {
    if values.is_empty() {
        return Err("Please specify at least one argument for this redis lib call");
    }
    values
        .into_iter()
        .map(|v| match v {
            Value::String(s) => s.as_bytes().map(Bytes::from).map_err(|_| ARGS),
            Value::Integer(i) => Ok(Bytes::from(i.to_string())),
            Value::Number(n) => Ok(Bytes::from(number_arg(n))),
            _ => Err(ARGS),
        })
        .collect()
}

const ARGS: &str = "Lua redis lib command arguments must be strings or integers";

/// A Lua number as a command argument (`double2ll`, else `fpconv_dtoa`).
fn number_arg(n: f64) -> String {
    if n.fract() == 0.0 && n >= -(2f64.powi(63)) && n < 2f64.powi(63) {
        (n as i64).to_string()
    } else {
        playground_engine::float::fpconv_dtoa(n)
    }
}

/// `{err = text}`.
pub fn error_table(lua: &Lua, text: &str) -> omnilua::Result<Value> {
    let t = lua.create_table()?;
    t.raw_set("err", text)?;
    Ok(Value::Table(t))
}

fn single(lua: &Lua, field: &str, value: Value) -> omnilua::Result<Value> {
    let t = lua.create_table()?;
    t.raw_set(field, value)?;
    Ok(Value::Table(t))
}

fn string(lua: &Lua, bytes: &[u8]) -> omnilua::Result<Value> {
    Ok(Value::String(lua.create_string(bytes)?))
}

/// `redisProtocolToLuaType`: a reply as the script sees it in `proto`.
pub fn to_lua(lua: &Lua, frame: &Frame, proto: Protocol) -> omnilua::Result<Value> {
    let resp3 = proto == Protocol::Resp3;
    Ok(match frame {
        Frame::Simple(s) => single(lua, "ok", string(lua, s.as_bytes())?)?,
        Frame::Error(s) => {
            // The engine counted this error in its stats when it answered it: the table says
            // so, and the script's reply, if it is this error, is not counted again.
            let t = lua.create_table()?;
            t.raw_set("err", string(lua, s.as_bytes())?)?;
            t.raw_set("ignore_error_stats_update", true)?;
            Value::Table(t)
        }
        Frame::Integer(i) => Value::Number(*i as f64),
        // SYNC is refused in scripts (noscript): a transfer never reaches one, but reads as bytes.
        Frame::Transfer(b) => string(lua, b)?,
        Frame::Bulk(b) | Frame::Verbatim(b) if !resp3 || matches!(frame, Frame::Bulk(_)) => string(lua, b)?,
        Frame::Verbatim(b) => {
            let inner = lua.create_table()?;
            inner.raw_set("format", "txt")?;
            inner.raw_set("string", lua.create_string(b)?)?;
            single(lua, "verbatim_string", Value::Table(inner))?
        }
        Frame::Null | Frame::NullArray if resp3 => Value::Nil,
        Frame::Null | Frame::NullArray => Value::Boolean(false),
        Frame::Array(items) | Frame::Push(items) => array_to_lua(lua, items, proto)?,
        Frame::Set(items) if !resp3 => array_to_lua(lua, items, proto)?,
        Frame::Set(items) => {
            let t = lua.create_table()?;
            for item in items {
                t.raw_set(to_lua(lua, item, proto)?, true)?;
            }
            single(lua, "set", Value::Table(t))?
        }
        Frame::Map(pairs) if resp3 => {
            let t = lua.create_table()?;
            for (k, v) in pairs {
                t.raw_set(to_lua(lua, k, proto)?, to_lua(lua, v, proto)?)?;
            }
            single(lua, "map", Value::Table(t))?
        }
        Frame::Map(pairs) => {
            let t = lua.create_table()?;
            for (i, (k, v)) in pairs.iter().enumerate() {
                t.raw_set(2 * i as i64 + 1, to_lua(lua, k, proto)?)?;
                t.raw_set(2 * i as i64 + 2, to_lua(lua, v, proto)?)?;
            }
            Value::Table(t)
        }
        Frame::Double(d) | Frame::HumanDouble(d) if resp3 => single(lua, "double", Value::Number(*d))?,
        Frame::Double(d) => string(lua, playground_engine::float::format_double(*d).as_bytes())?,
        Frame::HumanDouble(d) => string(lua, playground_engine::float::human_double(*d).as_bytes())?,
        Frame::Boolean(b) if resp3 => Value::Boolean(*b),
        Frame::Boolean(b) => Value::Number(f64::from(u8::from(*b))),
        Frame::Bulk(b) => string(lua, b)?,
        Frame::BigNumber(n) if resp3 => single(lua, "big_number", string(lua, n.as_bytes())?)?,
        Frame::BigNumber(n) => string(lua, n.as_bytes())?,
        // Redis does not expose attributes to scripts: the reply alone.
        Frame::Attributed(_, reply) => to_lua(lua, reply, proto)?,
    })
}

/// Error and status text on one line, as Redis's reply functions make it.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// `luaReplyToRedisReply`: the script's return value as the reply. `proto` is the script's
/// (booleans differ).
pub fn from_lua(value: &Value, proto: Protocol) -> Frame {
    from_lua_at(value, proto, 0)
}

fn from_lua_at(value: &Value, proto: Protocol, depth: usize) -> Frame {
    if depth > MAX_DEPTH {
        return Frame::Error("ERR reached lua stack limit".into());
    }
    match value {
        Value::String(s) => Frame::Bulk(Bytes::from(s.as_bytes().unwrap_or_default())),
        Value::Boolean(b) if proto == Protocol::Resp3 => Frame::Boolean(*b),
        Value::Boolean(true) => Frame::Integer(1),
        Value::Boolean(false) => Frame::Null,
        Value::Integer(i) => Frame::Integer(*i),
        Value::Number(n) => Frame::Integer(to_long_long(*n)),
        Value::Table(t) => table_reply(t, proto, depth),
        _ => Frame::Null,
    }
}

/// C's `(long long)` of a double as x86-64 does it: NaN and out-of-range values become the
/// "integer indefinite", i64::MIN (Redis returns `1e300` as -9223372036854775808).
fn to_long_long(n: f64) -> i64 {
    if n.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// Call `found` for each error table in a script's reply: whether the engine already counted
/// it (`ignore_error_stats_update`), whether it is the reply itself (not in its arrays, as far
/// as the reply's conversion goes), and its text.
pub fn reply_errors(v: &Value, found: &mut dyn FnMut(bool, bool, &str)) {
    fn walk(v: &Value, depth: usize, found: &mut dyn FnMut(bool, bool, &str)) {
        let Value::Table(t) = v else { return };
        if depth > MAX_DEPTH {
            return;
        }
        if let Value::String(s) = field(t, "err") {
            let counted =
                !matches!(field(t, "ignore_error_stats_update"), Value::Nil | Value::Boolean(false));
            found(counted, depth == 0, &String::from_utf8_lossy(&s.as_bytes().unwrap_or_default()));
            return;
        }
        for i in 1.. {
            match t.raw_get::<_, Value>(i as i64) {
                Ok(Value::Nil) | Err(_) => break,
                Ok(item) => walk(&item, depth + 1, found),
            }
        }
    }
    walk(v, 0, found)
}

fn field(t: &Table, name: &str) -> Value {
    t.raw_get(name).unwrap_or(Value::Nil)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(String::from_utf8_lossy(&s.as_bytes().ok()?).into_owned()),
        Value::Number(n) => Some(lua_number(*n)),
        Value::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

/// A number as Lua 5.1's `tostring` prints it (`%.14g`).
pub fn lua_number(n: f64) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan".into() } else { "nan".into() };
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if n == 0.0 {
        return if n.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // %.14g: 14 significant digits, exponent form outside 1e-4 .. 1e14.
    let exp = n.abs().log10().floor() as i32;
    let sci = format!("{:.13e}", n);
    let (mantissa, e) = sci.split_once('e').unwrap_or((&sci, "0"));
    let e: i32 = e.parse().unwrap_or(exp);
    if !(-4..14).contains(&e) {
        let m = trim_zeros(mantissa);
        return format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let decimals = (13 - e).max(0) as usize;
    trim_zeros(&format!("{n:.decimals$}")).to_string()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

fn table_reply(t: &Table, proto: Protocol, depth: usize) -> Frame {
    if let Value::String(s) = field(t, "err") {
        let msg = String::from_utf8_lossy(&s.as_bytes().unwrap_or_default()).into_owned();
        return Frame::Error(one_line(&msg));
    }
    if let Value::String(s) = field(t, "ok") {
        return Frame::Simple(one_line(&String::from_utf8_lossy(&s.as_bytes().unwrap_or_default())));
    }
    match field(t, "double") {
        Value::Number(n) => return Frame::Double(n),
        Value::Integer(i) => return Frame::Double(i as f64),
        _ => {}
    }
    if let Value::String(s) = field(t, "big_number") {
        return Frame::BigNumber(one_line(&String::from_utf8_lossy(&s.as_bytes().unwrap_or_default())));
    }
    if let Value::Table(v) = field(t, "verbatim_string") {
        if let (Value::String(_), Value::String(s)) = (field(&v, "format"), field(&v, "string")) {
            return Frame::Verbatim(Bytes::from(s.as_bytes().unwrap_or_default()));
        }
    }
    if let Value::Table(m) = field(t, "map") {
        let pairs = m.raw_pairs().unwrap_or_default();
        return Frame::Map(
            pairs
                .iter()
                .map(|(k, v)| (from_lua_at(k, proto, depth + 1), from_lua_at(v, proto, depth + 1)))
                .collect(),
        );
    }
    if let Value::Table(s) = field(t, "set") {
        let pairs = s.raw_pairs().unwrap_or_default();
        return Frame::Set(pairs.iter().map(|(k, _)| from_lua_at(k, proto, depth + 1)).collect());
    }
    let mut items = Vec::new();
    for i in 1.. {
        match t.raw_get::<_, Value>(i as i64) {
            Ok(Value::Nil) | Err(_) => break,
            Ok(v) => items.push(from_lua_at(&v, proto, depth + 1)),
        }
    }
    Frame::Array(items)
}

/// A failed script's reply: `-<err> script: <name>, on <source>:<line>.` (luaCallFunction).
pub fn script_error(err: &Table, name: &str) -> Frame {
    let msg = text(&field(err, "err")).unwrap_or_default();
    let (source, line) = (text(&field(err, "source")), text(&field(err, "line")));
    let mut out = msg;
    if let (Some(source), Some(line)) = (source, line) {
        out.push_str(&format!(" script: {name}, on {source}:{line}."));
    }
    Frame::Error(one_line(&out))
}

/// A non-table error object (`Error running script ..., <msg>`).
pub fn describe(v: &Value) -> String {
    text(v).unwrap_or_else(|| "execution failure".into())
}

fn array_to_lua(lua: &Lua, items: &[Frame], proto: Protocol) -> omnilua::Result<Value> {
    let t = lua.create_table()?;
    for (i, item) in items.iter().enumerate() {
        t.raw_set(i as i64 + 1, to_lua(lua, item, proto)?)?;
    }
    Ok(Value::Table(t))
}
