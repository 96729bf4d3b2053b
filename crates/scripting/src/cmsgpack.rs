//! The `cmsgpack` library Redis bundles (lua-cmsgpack): `pack`, `unpack`, `unpack_one` and
//! `unpack_limit`, with its encodings (whole numbers as the smallest integer, others as a float
//! when exact else a double; tables as arrays when their keys are 1..n) and its nesting limit.

use omnilua::{Lua, Table, Value, Variadic};

/// lua-cmsgpack encodes tables this deep, then nil.
const MAX_NESTING: usize = 16;

/// The `cmsgpack` table.
pub fn library(lua: &Lua) -> omnilua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "pack",
        lua.create_function(|lua, args: Variadic<Value>| {
            let args = args.into_vec();
            if args.is_empty() {
                return Err(crate::located("MessagePack pack needs input."));
            }
            let mut out = Vec::new();
            for v in &args {
                pack(v, &mut out, 0)?;
            }
            lua.create_string(out)
        })?,
    )?;
    t.set(
        "unpack",
        lua.create_function(|lua, s: omnilua::LuaString| {
            let bytes = s.as_bytes()?;
            let mut pos = 0;
            let mut out = Vec::new();
            while pos < bytes.len() {
                out.push(unpack(lua, &bytes, &mut pos)?);
            }
            Ok(Variadic::from(out))
        })?,
    )?;
    t.set(
        "unpack_one",
        lua.create_function(|lua, (s, offset): (omnilua::LuaString, Option<f64>)| {
            let (next, mut values) = unpack_limit(lua, &s.as_bytes()?, 1, offset.unwrap_or(0.0))?;
            values.insert(0, Value::Number(next));
            Ok(Variadic::from(values))
        })?,
    )?;
    t.set(
        "unpack_limit",
        lua.create_function(|lua, (s, limit, offset): (omnilua::LuaString, f64, Option<f64>)| {
            let (next, mut values) =
                unpack_limit(lua, &s.as_bytes()?, limit as usize, offset.unwrap_or(0.0))?;
            values.insert(0, Value::Number(next));
            Ok(Variadic::from(values))
        })?,
    )?;
    Ok(t)
}

/// Up to `limit` objects (0: all) from `offset`; the offset after them, or -1 at the end.
fn unpack_limit(lua: &Lua, bytes: &[u8], limit: usize, offset: f64) -> omnilua::Result<(f64, Vec<Value>)> {
    if offset < 0.0 || offset as usize > bytes.len() {
        return Err(crate::located("Start offset greater than input length."));
    }
    let mut pos = offset as usize;
    let mut out = Vec::new();
    while pos < bytes.len() && (limit == 0 || out.len() < limit) {
        out.push(unpack(lua, bytes, &mut pos)?);
    }
    Ok((if pos >= bytes.len() { -1.0 } else { pos as f64 }, out))
}

fn pack(v: &Value, out: &mut Vec<u8>, depth: usize) -> omnilua::Result<()> {
    match v {
        Value::Boolean(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        Value::Integer(i) => pack_int(*i, out),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.2e18 => pack_int(*n as i64, out),
        Value::Number(n) => {
            if (*n as f32) as f64 == *n {
                out.push(0xca);
                out.extend_from_slice(&(*n as f32).to_be_bytes());
            } else {
                out.push(0xcb);
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
        Value::String(s) => {
            let b = s.as_bytes()?;
            let n = b.len();
            match n {
                0..=31 => out.push(0xa0 | n as u8),
                32..=255 => out.extend_from_slice(&[0xd9, n as u8]),
                256..=65535 => {
                    out.push(0xda);
                    out.extend_from_slice(&(n as u16).to_be_bytes());
                }
                _ => {
                    out.push(0xdb);
                    out.extend_from_slice(&(n as u32).to_be_bytes());
                }
            }
            out.extend_from_slice(&b);
        }
        Value::Table(t) if depth < MAX_NESTING => {
            let pairs = t.raw_pairs()?;
            let n = pairs.len();
            let array = pairs.iter().all(|(k, _)| match k {
                Value::Integer(i) => *i >= 1 && *i as usize <= n,
                Value::Number(f) => *f >= 1.0 && f.fract() == 0.0 && *f as usize <= n,
                _ => false,
            });
            let header = |out: &mut Vec<u8>, small: u8, mid: u8| match n {
                0..=15 => out.push(small | n as u8),
                16..=65535 => {
                    out.push(mid);
                    out.extend_from_slice(&(n as u16).to_be_bytes());
                }
                _ => {
                    out.push(mid + 1);
                    out.extend_from_slice(&(n as u32).to_be_bytes());
                }
            };
            if array {
                header(out, 0x90, 0xdc);
                for i in 1..=n as i64 {
                    pack(&t.raw_get::<_, Value>(i)?, out, depth + 1)?;
                }
            } else {
                header(out, 0x80, 0xde);
                for (k, v) in &pairs {
                    pack(k, out, depth + 1)?;
                    pack(v, out, depth + 1)?;
                }
            }
        }
        _ => out.push(0xc0),
    }
    Ok(())
}

fn pack_int(i: i64, out: &mut Vec<u8>) {
    match i {
        0..=127 => out.push(i as u8),
        128..=255 => out.extend_from_slice(&[0xcc, i as u8]),
        256..=65535 => {
            out.push(0xcd);
            out.extend_from_slice(&(i as u16).to_be_bytes());
        }
        65536..=0xffff_ffff => {
            out.push(0xce);
            out.extend_from_slice(&(i as u32).to_be_bytes());
        }
        i if i > 0 => {
            out.push(0xcf);
            out.extend_from_slice(&(i as u64).to_be_bytes());
        }
        -32..=-1 => out.push(i as i8 as u8),
        -128..=-33 => out.extend_from_slice(&[0xd0, i as i8 as u8]),
        -32768..=-129 => {
            out.push(0xd1);
            out.extend_from_slice(&(i as i16).to_be_bytes());
        }
        -2_147_483_648..=-32769 => {
            out.push(0xd2);
            out.extend_from_slice(&(i as i32).to_be_bytes());
        }
        _ => {
            out.push(0xd3);
            out.extend_from_slice(&i.to_be_bytes());
        }
    }
}

fn take<'a>(bytes: &'a [u8], pos: &mut usize, n: usize) -> omnilua::Result<&'a [u8]> {
    let end = pos
        .checked_add(n)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| crate::located("Missing bytes in input."))?;
    let s = &bytes[*pos..end];
    *pos = end;
    Ok(s)
}

fn be(bytes: &[u8], pos: &mut usize, n: usize) -> omnilua::Result<u64> {
    Ok(take(bytes, pos, n)?.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

fn unpack(lua: &Lua, bytes: &[u8], pos: &mut usize) -> omnilua::Result<Value> {
    let tag = take(bytes, pos, 1)?[0];
    let num = |n: f64| Ok(Value::Number(n));
    match tag {
        0x00..=0x7f => num(f64::from(tag)),
        0xe0..=0xff => num(f64::from(tag as i8)),
        0xc0 => Ok(Value::Nil),
        0xc2 => Ok(Value::Boolean(false)),
        0xc3 => Ok(Value::Boolean(true)),
        0xcc => num(be(bytes, pos, 1)? as f64),
        0xcd => num(be(bytes, pos, 2)? as f64),
        0xce => num(be(bytes, pos, 4)? as f64),
        0xcf => num(be(bytes, pos, 8)? as f64),
        0xd0 => num(f64::from(be(bytes, pos, 1)? as u8 as i8)),
        0xd1 => num(f64::from(be(bytes, pos, 2)? as u16 as i16)),
        0xd2 => num(f64::from(be(bytes, pos, 4)? as u32 as i32)),
        0xd3 => num(be(bytes, pos, 8)? as i64 as f64),
        0xca => num(f64::from(f32::from_bits(be(bytes, pos, 4)? as u32))),
        0xcb => num(f64::from_bits(be(bytes, pos, 8)?)),
        0xa0..=0xbf | 0xd9 | 0xda | 0xdb | 0xc4 | 0xc5 | 0xc6 => {
            let n = match tag {
                0xa0..=0xbf => usize::from(tag & 0x1f),
                0xd9 | 0xc4 => be(bytes, pos, 1)? as usize,
                0xda | 0xc5 => be(bytes, pos, 2)? as usize,
                _ => be(bytes, pos, 4)? as usize,
            };
            Ok(Value::String(lua.create_string(take(bytes, pos, n)?)?))
        }
        0x90..=0x9f | 0xdc | 0xdd => {
            let n = match tag {
                0x90..=0x9f => usize::from(tag & 0x0f),
                0xdc => be(bytes, pos, 2)? as usize,
                _ => be(bytes, pos, 4)? as usize,
            };
            let t = lua.create_table()?;
            for i in 1..=n {
                t.raw_set(i as i64, unpack(lua, bytes, pos)?)?;
            }
            Ok(Value::Table(t))
        }
        0x80..=0x8f | 0xde | 0xdf => {
            let n = match tag {
                0x80..=0x8f => usize::from(tag & 0x0f),
                0xde => be(bytes, pos, 2)? as usize,
                _ => be(bytes, pos, 4)? as usize,
            };
            let t = lua.create_table()?;
            for _ in 0..n {
                let k = unpack(lua, bytes, pos)?;
                let v = unpack(lua, bytes, pos)?;
                if !matches!(k, Value::Nil) {
                    t.raw_set(k, v)?;
                }
            }
            Ok(Value::Table(t))
        }
        _ => Err(crate::located("Bad data format in input.")),
    }
}
