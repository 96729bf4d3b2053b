//! The `cjson` library Redis bundles (lua-cjson 2.1): `encode`, `decode` and `null`, with its
//! number format (`%.14g`), its escapes (`/` as `\/`) and its error texts.

use crate::convert::lua_number;
use omnilua::{Lua, Table, Value};

/// lua-cjson's default nesting limit for both directions.
const MAX_DEPTH: usize = 1000;

fn err(text: String) -> omnilua::Error {
    crate::located(text)
}

/// `cjson.null`: a light userdata holding NULL, as lua-cjson's.
fn null() -> Value {
    Value::LightUserData(std::ptr::null_mut())
}

/// The settings a script can change (`cjson.encode_max_depth(1)`...), for this run.
#[derive(Clone, Copy)]
struct Settings {
    encode_depth: usize,
    decode_depth: usize,
    invalid_numbers: bool,
}

/// The `cjson` table.
pub fn library(lua: &Lua) -> omnilua::Result<Table> {
    let t = lua.create_table()?;
    let settings = std::rc::Rc::new(std::cell::Cell::new(Settings {
        encode_depth: MAX_DEPTH,
        decode_depth: MAX_DEPTH,
        invalid_numbers: false,
    }));
    let set = settings.clone();
    t.set(
        "encode",
        lua.create_function(move |lua, v: Value| {
            let mut out = Vec::new();
            encode(&v, &mut out, 1, set.get())?;
            lua.create_string(out)
        })?,
    )?;
    let set = settings.clone();
    t.set(
        "encode_max_depth",
        lua.create_function(move |_, n: Option<f64>| {
            let mut s = set.get();
            if let Some(n) = n {
                s.encode_depth = n.max(1.0) as usize;
                set.set(s);
            }
            Ok(s.encode_depth as f64)
        })?,
    )?;
    let set = settings.clone();
    t.set(
        "decode_max_depth",
        lua.create_function(move |_, n: Option<f64>| {
            let mut s = set.get();
            if let Some(n) = n {
                s.decode_depth = n.max(1.0) as usize;
                set.set(s);
            }
            Ok(s.decode_depth as f64)
        })?,
    )?;
    let set = settings.clone();
    t.set(
        "encode_invalid_numbers",
        lua.create_function(move |_, on: Option<Value>| {
            let mut s = set.get();
            if let Some(on) = on {
                s.invalid_numbers = matches!(on, Value::Boolean(true));
                set.set(s);
            }
            Ok(s.invalid_numbers)
        })?,
    )?;
    t.set("encode_keep_buffer", lua.create_function(|_, on: Option<bool>| Ok(on.unwrap_or(true)))?)?;
    let set = settings;
    t.set(
        "decode",
        lua.create_function(move |lua, s: omnilua::LuaString| {
            let bytes = s.as_bytes()?;
            let mut p = Parser { s: &bytes, pos: 0, lua, max_depth: set.get().decode_depth };
            p.ws();
            let v = p.value(1)?;
            p.ws();
            if p.pos < bytes.len() {
                return Err(p.fail("the end"));
            }
            Ok(v)
        })?,
    )?;
    t.set("null", null())?;
    Ok(t)
}

fn encode(v: &Value, out: &mut Vec<u8>, depth: usize, set: Settings) -> omnilua::Result<()> {
    match v {
        Value::Nil => out.extend_from_slice(b"null"),
        Value::LightUserData(p) if p.is_null() => out.extend_from_slice(b"null"),
        Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Number(n) => {
            if !n.is_finite() {
                if !set.invalid_numbers {
                    return Err(err("Cannot serialise number: must not be NaN or Inf".into()));
                }
                out.extend_from_slice(if n.is_nan() {
                    b"nan"
                } else if *n > 0.0 {
                    b"inf"
                } else {
                    b"-inf"
                });
                return Ok(());
            }
            out.extend_from_slice(lua_number(*n).as_bytes())
        }
        Value::String(s) => string(&s.as_bytes()?, out),
        Value::Table(t) => {
            if depth > set.encode_depth {
                return Err(err(format!("Cannot serialise, excessive nesting ({depth})")));
            }
            let pairs = t.raw_pairs()?;
            // An array when every key is a positive integer and it is not too sparse.
            let mut max = 0f64;
            let array = pairs.iter().all(|(k, _)| match k {
                Value::Integer(i) if *i >= 1 => {
                    max = max.max(*i as f64);
                    true
                }
                Value::Number(n) if *n >= 1.0 && n.fract() == 0.0 => {
                    max = max.max(*n);
                    true
                }
                _ => false,
            });
            if array && !pairs.is_empty() {
                if max > 10.0 && max > 2.0 * pairs.len() as f64 {
                    return Err(err("Cannot serialise table: excessively sparse array".into()));
                }
                out.push(b'[');
                for i in 1..=max as i64 {
                    if i > 1 {
                        out.push(b',');
                    }
                    encode(&t.raw_get::<_, Value>(i)?, out, depth + 1, set)?;
                }
                out.push(b']');
                return Ok(());
            }
            out.push(b'{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                match k {
                    Value::String(s) => string(&s.as_bytes()?, out),
                    Value::Integer(n) => string(n.to_string().as_bytes(), out),
                    Value::Number(n) => string(lua_number(*n).as_bytes(), out),
                    _ => {
                        return Err(
                            err("Cannot serialise table: table key must be a number or string".into()),
                        )
                    }
                }
                out.push(b':');
                encode(v, out, depth + 1, set)?;
            }
            out.push(b'}');
        }
        other => {
            let name = match other {
                Value::Function(_) => "function",
                Value::Thread(_) => "thread",
                _ => "userdata",
            };
            return Err(err(format!("Cannot serialise {name}: type not supported")));
        }
    }
    Ok(())
}

fn string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0..=0x1f | 0x7f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    lua: &'a Lua,
    max_depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.pos).is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn fail(&self, expected: &str) -> omnilua::Error {
        // lua-cjson names the token it found.
        let rest = &self.s[self.pos.min(self.s.len())..];
        let found = match rest.first() {
            None => "T_END",
            Some(b'{') => "T_OBJ_BEGIN",
            Some(b'}') => "T_OBJ_END",
            Some(b'[') => "T_ARR_BEGIN",
            Some(b']') => "T_ARR_END",
            Some(b'"') => "T_STRING",
            Some(b':') => "T_COLON",
            Some(b',') => "T_COMMA",
            Some(b'-' | b'0'..=b'9') => "T_NUMBER",
            _ if rest.starts_with(b"true") || rest.starts_with(b"false") => "T_BOOLEAN",
            _ if rest.starts_with(b"null") => "T_NULL",
            _ => "invalid token",
        };
        err(format!("Expected {expected} but found {found} at character {}", self.pos + 1))
    }

    fn eat(&mut self, word: &[u8]) -> bool {
        if self.s[self.pos..].starts_with(word) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> omnilua::Result<Value> {
        if depth > self.max_depth {
            return Err(err(format!(
                "Found too many nested data structures ({depth}) at character {}",
                self.pos + 1
            )));
        }
        match self.s.get(self.pos) {
            Some(b'{') => {
                self.pos += 1;
                let t = self.lua.create_table()?;
                self.ws();
                if self.eat(b"}") {
                    return Ok(Value::Table(t));
                }
                loop {
                    self.ws();
                    if self.s.get(self.pos) != Some(&b'"') {
                        return Err(self.fail("object key string"));
                    }
                    let k = self.string()?;
                    self.ws();
                    if !self.eat(b":") {
                        return Err(self.fail("colon"));
                    }
                    self.ws();
                    let v = self.value(depth + 1)?;
                    t.raw_set(self.lua.create_string(k)?, v)?;
                    self.ws();
                    if self.eat(b"}") {
                        return Ok(Value::Table(t));
                    }
                    if !self.eat(b",") {
                        return Err(self.fail("comma or object end"));
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let t = self.lua.create_table()?;
                self.ws();
                if self.eat(b"]") {
                    return Ok(Value::Table(t));
                }
                let mut i = 1i64;
                loop {
                    self.ws();
                    let v = self.value(depth + 1)?;
                    t.raw_set(i, v)?;
                    i += 1;
                    self.ws();
                    if self.eat(b"]") {
                        return Ok(Value::Table(t));
                    }
                    if !self.eat(b",") {
                        return Err(self.fail("comma or array end"));
                    }
                }
            }
            Some(b'"') => Ok(Value::String(self.lua.create_string(self.string()?)?)),
            Some(b't') if self.eat(b"true") => Ok(Value::Boolean(true)),
            Some(b'f') if self.eat(b"false") => Ok(Value::Boolean(false)),
            Some(b'n') if self.eat(b"null") => Ok(null()),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while self.s.get(self.pos).is_some_and(|b| b"+-0123456789.eE".contains(b)) {
                    self.pos += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(n) => Ok(Value::Number(n)),
                    Err(_) => {
                        self.pos = start;
                        Err(self.fail("value"))
                    }
                }
            }
            _ => Err(self.fail("value")),
        }
    }

    fn string(&mut self) -> omnilua::Result<Vec<u8>> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.pos) else { return Err(self.fail("string end")) };
            self.pos += 1;
            match b {
                b'"' => return Ok(out),
                b'\\' => {
                    let Some(&e) = self.s.get(self.pos) else { return Err(self.fail("escape")) };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex =
                                self.s.get(self.pos..self.pos + 4).and_then(|h| std::str::from_utf8(h).ok());
                            let Some(code) = hex.and_then(|h| u32::from_str_radix(h, 16).ok()) else {
                                return Err(err(format!(
                                    "Expected value but found invalid unicode escape code at character {}",
                                    self.pos - 1
                                )));
                            };
                            self.pos += 4;
                            let c = char::from_u32(code).unwrap_or('\u{fffd}');
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
    }
}
