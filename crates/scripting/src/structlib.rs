//! Roberto Ierusalimschy's `struct` library, as Redis bundles it (deps/lua/src/lua_struct.c):
//! `struct.pack`, `struct.unpack` and `struct.size` on a 64-bit little-endian machine (`l`, `L`
//! and `T` are 8 bytes, `i` is 4, alignment up to 8), with its error texts.
//!
//! Integers travel through a double and a C `long`, as in C: a negative number is packed as its
//! two's complement, bytes past the eighth of a wide integer (`i9` .. `i32`) are zero, and
//! unpacking keeps the low 64 bits.

use crate::convert::lua_number;
use omnilua::{Lua, Table, Value, Variadic};

/// The widest integer (`i32`).
const MAX_INT_SIZE: usize = 32;
/// `!` without a number: the platform's largest alignment.
const MAX_ALIGN: usize = 8;

/// `bad argument #n to 'f' (msg)`, with the calling line as `luaL_argerror` gives it.
fn arg_error(n: usize, f: &str, msg: &str) -> omnilua::Error {
    crate::located(format!("bad argument #{n} to '{f}' ({msg})"))
}

fn type_name(v: Option<&Value>) -> &'static str {
    match v {
        None => "no value",
        Some(Value::Nil) => "nil",
        Some(Value::Boolean(_)) => "boolean",
        Some(Value::Integer(_) | Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Table(_)) => "table",
        Some(Value::Function(_)) => "function",
        Some(Value::Thread(_)) => "thread",
        Some(_) => "userdata",
    }
}

/// `luaL_checknumber`: a number or a numeric string.
fn check_number(args: &[Value], i: usize, f: &str) -> omnilua::Result<f64> {
    let v = args.get(i - 1);
    match v {
        Some(Value::Number(n)) => Ok(*n),
        Some(Value::Integer(n)) => Ok(*n as f64),
        Some(Value::String(s)) => {
            let text = s.as_bytes()?;
            let parsed = std::str::from_utf8(&text).ok().and_then(crate::parse_number);
            parsed.ok_or_else(|| arg_error(i, f, "number expected, got string"))
        }
        _ => Err(arg_error(i, f, &format!("number expected, got {}", type_name(v)))),
    }
}

/// `luaL_checklstring`: a string, or a number as Lua prints it.
fn check_bytes(args: &[Value], i: usize, f: &str) -> omnilua::Result<Vec<u8>> {
    let v = args.get(i - 1);
    match v {
        Some(Value::String(s)) => Ok(s.as_bytes()?.to_vec()),
        Some(Value::Number(n)) => Ok(lua_number(*n).into_bytes()),
        Some(Value::Integer(n)) => Ok(n.to_string().into_bytes()),
        _ => Err(arg_error(i, f, &format!("string expected, got {}", type_name(v)))),
    }
}

/// A format being read: its bytes, where the reader is, the byte order and the alignment.
struct Format<'a> {
    fmt: &'a [u8],
    at: usize,
    little: bool,
    align: usize,
    /// The Lua function's name, for argument errors.
    name: &'static str,
}

impl<'a> Format<'a> {
    fn new(fmt: &'a [u8], name: &'static str) -> Self {
        Format { fmt, at: 0, little: true, align: 1, name }
    }

    fn next(&mut self) -> Option<u8> {
        let c = *self.fmt.get(self.at)?;
        self.at += 1;
        Some(c)
    }

    /// `getnum`: the number that follows, or `default`.
    fn number(&mut self, default: usize) -> omnilua::Result<usize> {
        if !self.fmt.get(self.at).is_some_and(u8::is_ascii_digit) {
            return Ok(default);
        }
        let mut a: usize = 0;
        while let Some(d) = self.fmt.get(self.at).filter(|d| d.is_ascii_digit()) {
            let d = usize::from(d - b'0');
            if a > i32::MAX as usize / 10 || a * 10 > i32::MAX as usize - d {
                return Err(crate::located("integral size overflow"));
            }
            a = a * 10 + d;
            self.at += 1;
        }
        Ok(a)
    }

    /// `optsize`: the size of option `opt` (0 for the options that need no alignment).
    fn size(&mut self, opt: u8) -> omnilua::Result<usize> {
        Ok(match opt {
            b'B' | b'b' | b'x' => 1,
            b'H' | b'h' => 2,
            b'L' | b'l' | b'T' | b'd' => 8,
            b'f' => 4,
            b'c' => self.number(1)?,
            b'i' | b'I' => {
                let size = self.number(4)?;
                if size > MAX_INT_SIZE {
                    return Err(crate::located(format!(
                        "integral size {size} is larger than limit of {MAX_INT_SIZE}"
                    )));
                }
                size
            }
            _ => 0,
        })
    }

    /// `gettoalign`: padding before an item of `size` at offset `len`.
    fn padding(&self, len: u64, opt: u8, size: usize) -> u64 {
        if size == 0 || opt == b'c' {
            return 0;
        }
        let size = size.min(self.align) as u64;
        (size.wrapping_sub(len & (size - 1))) & (size - 1)
    }

    /// `controloptions`: byte order, alignment, spaces; anything else is an error.
    fn control(&mut self, opt: u8) -> omnilua::Result<()> {
        match opt {
            b' ' => {}
            b'>' => self.little = false,
            b'<' => self.little = true,
            b'!' => {
                let a = self.number(MAX_ALIGN)?;
                if !a.is_power_of_two() {
                    return Err(crate::located(format!("alignment {a} is not a power of 2")));
                }
                self.align = a;
            }
            _ => {
                let msg = format!("invalid format option '{}'", char::from(opt));
                return Err(arg_error(1, self.name, &msg));
            }
        }
        Ok(())
    }
}

fn is_integer(opt: u8) -> bool {
    matches!(opt, b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I')
}

/// A double as C converts it to `unsigned long` (through `long` if negative).
fn to_word(n: f64) -> u64 {
    if n < 0.0 {
        n as i64 as u64
    } else {
        n as u64
    }
}

/// Bytes in the format's order (they are given little-endian).
fn ordered(mut bytes: Vec<u8>, little: bool) -> Vec<u8> {
    if !little {
        bytes.reverse();
    }
    bytes
}

fn pack(args: &[Value]) -> omnilua::Result<Vec<u8>> {
    let fmt = check_bytes(args, 1, "pack")?;
    // The C code pushes a nil after its arguments: a missing one is that nil ("got nil").
    let args = &[args, &[Value::Nil]].concat();
    let mut f = Format::new(&fmt, "pack");
    let mut out = Vec::new();
    let mut arg = 2;
    while let Some(opt) = f.next() {
        let mut size = f.size(opt)?;
        out.resize(out.len() + f.padding(out.len() as u64, opt, size) as usize, 0);
        match opt {
            _ if is_integer(opt) => {
                let word = to_word(check_number(args, arg, "pack")?);
                arg += 1;
                let bytes = (0..size).map(|i| if i < 8 { (word >> (8 * i)) as u8 } else { 0 }).collect();
                out.extend(ordered(bytes, f.little));
            }
            b'x' => out.push(0),
            b'f' => {
                let n = check_number(args, arg, "pack")? as f32;
                arg += 1;
                out.extend(ordered(n.to_le_bytes().to_vec(), f.little));
            }
            b'd' => {
                let n = check_number(args, arg, "pack")?;
                arg += 1;
                out.extend(ordered(n.to_le_bytes().to_vec(), f.little));
            }
            b'c' | b's' => {
                let s = check_bytes(args, arg, "pack")?;
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    // The C code checks after moving past the argument: it names the next one.
                    return Err(arg_error(arg, "pack", "string too short"));
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                }
            }
            _ => f.control(opt)?,
        }
    }
    Ok(out)
}

fn unpack(lua: &Lua, args: &[Value]) -> omnilua::Result<Vec<Value>> {
    let fmt = check_bytes(args, 1, "unpack")?;
    let data = check_bytes(args, 2, "unpack")?;
    let ld = data.len() as u64;
    // luaL_optinteger into a size_t: a negative offset wraps around (and is then too far).
    let mut pos = match args.get(2) {
        None | Some(Value::Nil) => 1,
        Some(_) => check_number(args, 3, "unpack")? as i64 as u64,
    };
    if pos == 0 {
        return Err(arg_error(3, "unpack", "offset must be 1 or greater"));
    }
    pos -= 1;
    let mut f = Format::new(&fmt, "unpack");
    let mut out = Vec::new();
    let too_short = || arg_error(2, "unpack", "data string too short");
    while let Some(opt) = f.next() {
        let mut size = f.size(opt)? as u64;
        pos = pos.wrapping_add(f.padding(pos, opt, size as usize));
        if size > ld || pos > ld - size {
            return Err(too_short());
        }
        let at = pos as usize;
        match opt {
            _ if is_integer(opt) => {
                let bytes = &data[at..at + size as usize];
                let mut word = 0u64;
                for i in 0..bytes.len() {
                    let b = if f.little { bytes[bytes.len() - 1 - i] } else { bytes[i] };
                    word = (word << 8) | u64::from(b);
                }
                let n = if opt.is_ascii_lowercase() {
                    let mask = u64::MAX.wrapping_shl((size * 8 - 1) as u32);
                    (if word & mask != 0 { word | mask } else { word }) as i64 as f64
                } else {
                    word as f64
                };
                out.push(Value::Number(n));
            }
            b'x' => {}
            b'f' => {
                let bytes: [u8; 4] =
                    ordered(data[at..at + 4].to_vec(), f.little).try_into().unwrap_or_default();
                out.push(Value::Number(f64::from(f32::from_le_bytes(bytes))));
            }
            b'd' => {
                let bytes: [u8; 8] =
                    ordered(data[at..at + 8].to_vec(), f.little).try_into().unwrap_or_default();
                out.push(Value::Number(f64::from_le_bytes(bytes)));
            }
            b'c' => {
                if size == 0 {
                    let previous = out.last().and_then(|v| match v {
                        Value::Number(n) => Some(*n),
                        Value::String(s) => {
                            std::str::from_utf8(&s.as_bytes().ok()?).ok().and_then(crate::parse_number)
                        }
                        _ => None,
                    });
                    let Some(n) = previous else {
                        return Err(crate::located("format 'c0' needs a previous size"));
                    };
                    out.pop();
                    size = n as u64;
                    if size > ld || pos > ld - size {
                        return Err(too_short());
                    }
                }
                out.push(Value::String(lua.create_string(&data[at..at + size as usize])?));
            }
            b's' => {
                let Some(len) = data[at..].iter().position(|&b| b == 0) else {
                    return Err(crate::located("unfinished string in data"));
                };
                out.push(Value::String(lua.create_string(&data[at..at + len])?));
                size = len as u64 + 1;
            }
            _ => f.control(opt)?,
        }
        pos = pos.wrapping_add(size);
    }
    out.push(Value::Number(pos.wrapping_add(1) as i64 as f64));
    Ok(out)
}

fn size(args: &[Value]) -> omnilua::Result<f64> {
    let fmt = check_bytes(args, 1, "size")?;
    let mut f = Format::new(&fmt, "size");
    let mut pos = 0u64;
    while let Some(opt) = f.next() {
        let size = f.size(opt)?;
        pos += f.padding(pos, opt, size);
        if opt == b's' {
            return Err(arg_error(1, "size", "option 's' has no fixed size"));
        }
        if opt == b'c' && size == 0 {
            return Err(arg_error(1, "size", "option 'c0' has no fixed size"));
        }
        if !opt.is_ascii_alphanumeric() {
            f.control(opt)?;
        }
        pos += size as u64;
    }
    Ok(pos as f64)
}

/// The `struct` table.
pub fn library(lua: &Lua) -> omnilua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "pack",
        lua.create_function(|lua, args: Variadic<Value>| {
            Ok(Value::String(lua.create_string(&pack(&args.into_vec())?)?))
        })?,
    )?;
    t.set(
        "unpack",
        lua.create_function(|lua, args: Variadic<Value>| Ok(Variadic::from(unpack(lua, &args.into_vec())?)))?,
    )?;
    t.set("size", lua.create_function(|_, args: Variadic<Value>| size(&args.into_vec()))?)?;
    Ok(t)
}
