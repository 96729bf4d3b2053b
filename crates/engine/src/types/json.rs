//! RedisJSON's document: a small tree, parsed and printed as RedisJSON 2.8 does.
//!
//! RedisJSON keeps integers apart from floats (`3` stays `3`, `3.0` stays `3.0`), parses with
//! serde_json (whose error texts it replies with, `expected value at line 1 column 1`) and prints
//! floats with ryu's layout (`1e20`, `1e-7`, `0.0001`, `100.0`). Objects keep insertion order and
//! remove a key by swapping the last one into its place (ijson's object), which the replies show.

use std::fmt::Write;

/// Nesting deeper than this is refused while parsing (serde_json's recursion limit), so no input
/// can overflow the stack of the parser, the printer or the path walker.
pub const MAX_DEPTH: usize = 128;

/// One JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number written without fraction or exponent that fits an i64.
    Int(i64),
    /// An integer beyond i64 that fits a u64 (serde_json keeps those exact too).
    Big(u64),
    /// Any other number.
    Float(f64),
    Str(String),
    Arr(Vec<Json>),
    /// Members in order (a key at most once).
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// The name JSON.TYPE answers.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Int(_) | Json::Big(_) => "integer",
            Json::Float(_) => "number",
            Json::Str(_) => "string",
            Json::Arr(_) => "array",
            Json::Obj(_) => "object",
        }
    }

    /// Levels of nesting (a scalar is 1).
    pub fn depth(&self) -> usize {
        match self {
            Json::Arr(a) => 1 + a.iter().map(Json::depth).max().unwrap_or(0),
            Json::Obj(m) => 1 + m.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 1,
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Child `i` (array element or the i-th member of an object).
    pub fn child_mut(&mut self, i: usize) -> Option<&mut Json> {
        match self {
            Json::Arr(a) => a.get_mut(i),
            Json::Obj(m) => m.get_mut(i).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Compact text (JSON.GET without formatting options).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, &Format::default(), 0);
        out
    }

    /// Print into `out` with `fmt`'s INDENT/NEWLINE/SPACE at nesting `depth`.
    pub fn write(&self, out: &mut String, fmt: &Format, depth: usize) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Big(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Float(f) => out.push_str(&format_float(*f)),
            Json::Str(s) => write_str(out, s),
            Json::Arr(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    fmt.item(out, i, depth + 1);
                    v.write(out, fmt, depth + 1);
                }
                fmt.close(out, !a.is_empty(), depth, ']');
            }
            Json::Obj(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    fmt.item(out, i, depth + 1);
                    write_str(out, k);
                    out.push(':');
                    out.push_str(&fmt.space);
                    v.write(out, fmt, depth + 1);
                }
                fmt.close(out, !m.is_empty(), depth, '}');
            }
        }
    }

    /// Bytes JSON.DEBUG MEMORY reports (and MEMORY USAGE adds to the key's): ijson's 8-byte
    /// value, plus 4 bytes for a 24-bit integer outside -128..384 (those are static), 16 for
    /// any other number, the bytes of a string, and for a non-empty array 16 + 8 per slot, for
    /// an object 16 + 24 per slot plus each key's bytes, slots growing 4, 8, 16, ...
    /// (measured on RedisJSON 2.8; a container that shrank keeps its slots there, not here).
    pub fn mem_bytes(&self) -> usize {
        let slots = |n: usize| n.next_power_of_two().max(4);
        8 + match self {
            Json::Null | Json::Bool(_) => 0,
            Json::Int(n) if (-128..384).contains(n) => 0,
            Json::Int(n) if (-(1 << 23)..1 << 23).contains(n) => 4,
            Json::Int(_) | Json::Big(_) | Json::Float(_) => 16,
            Json::Str(s) => s.len(),
            Json::Arr(a) if a.is_empty() => 0,
            Json::Arr(a) => 16 + 8 * slots(a.len()) + a.iter().map(Json::mem_bytes).sum::<usize>(),
            Json::Obj(m) if m.is_empty() => 0,
            Json::Obj(m) => {
                16 + 24 * slots(m.len()) + m.iter().map(|(k, v)| k.len() + v.mem_bytes()).sum::<usize>()
            }
        }
    }
}

/// JSON.GET's INDENT, NEWLINE and SPACE strings (all empty: compact).
#[derive(Debug, Default)]
pub struct Format {
    pub indent: String,
    pub newline: String,
    pub space: String,
}

impl Format {
    fn item(&self, out: &mut String, i: usize, depth: usize) {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&self.newline);
        (0..depth).for_each(|_| out.push_str(&self.indent));
    }

    fn close(&self, out: &mut String, had_items: bool, depth: usize, bracket: char) {
        if had_items {
            out.push_str(&self.newline);
            (0..depth).for_each(|_| out.push_str(&self.indent));
        }
        out.push(bracket);
    }
}

/// A string with serde_json's escapes (`\"`, `\\`, `\n`, `\u0001`, ...; `/` and non-ASCII raw).
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A float as ryu lays it out (serde_json's printer), on the engine's shortest digits:
/// `1.5`, `100.0`, `0.0001`, `1e-7`, `1.5e300`, `-0.0`.
pub fn format_float(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    if !f.is_finite() {
        return "null".into();
    }
    let (digits, k) = shortest_digits(f);
    let sign = if f < 0.0 { "-" } else { "" };
    let len = digits.len() as i32;
    let kk = len + k;
    if 0 <= k && kk <= 16 {
        format!("{sign}{digits}{}.0", "0".repeat(k as usize))
    } else if 0 < kk && kk <= 16 {
        let (a, b) = digits.split_at(kk as usize);
        format!("{sign}{a}.{b}")
    } else if -5 < kk && kk <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-kk) as usize))
    } else {
        let (a, b) = digits.split_at(1);
        let dot = if b.is_empty() { String::new() } else { format!(".{b}") };
        format!("{sign}{a}{dot}e{}", kk - 1)
    }
}

/// A JSON number (already checked against the grammar) as serde_json reads it without its
/// `float_roundtrip` feature, as RedisJSON does: the first 19 or so significant digits as a
/// u64 (later ones only move the decimal point), then one multiplication or division by a
/// power of ten. That is not always the nearest double (`801231701397546.25` lands one step
/// below it), and RedisJSON prints what it got. `None`: out of range.
fn serde_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, mut i) = if bytes.first() == Some(&b'-') { (true, 1) } else { (false, 0) };
    let mut significand: u64 = 0;
    let mut exponent: i32 = 0;
    let mut overflowed = false;
    let mut fraction = false;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'0'..=b'9' => {
                let digit = u64::from(c - b'0');
                // serde_json's `overflow!(significand * 10 + digit, u64::MAX)`.
                let max = u64::MAX;
                if !overflowed && significand >= max / 10 && (significand > max / 10 || digit > max % 10) {
                    overflowed = true;
                }
                if overflowed {
                    // An ignored digit: before the point it still scales the number.
                    if !fraction {
                        exponent += 1;
                    }
                } else {
                    significand = significand * 10 + digit;
                    if fraction {
                        exponent -= 1;
                    }
                }
            }
            b'.' => fraction = true,
            _ => break,
        }
        i += 1;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let positive = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                false
            }
            Some(b'+') => {
                i += 1;
                true
            }
            _ => true,
        };
        let mut exp: i32 = 0;
        for &c in &bytes[i..] {
            let digit = i32::from(c - b'0');
            if exp >= i32::MAX / 10 && (exp > i32::MAX / 10 || digit > i32::MAX % 10) {
                // serde_json's `parse_exponent_overflow`: zero, or out of range.
                return if significand != 0 && positive {
                    None
                } else {
                    Some(if negative { -0.0 } else { 0.0 })
                };
            }
            exp = exp * 10 + digit;
        }
        exponent = if positive { exponent.saturating_add(exp) } else { exponent.saturating_sub(exp) };
    }
    let mut f = significand as f64;
    loop {
        let power = exponent.unsigned_abs();
        if power <= 308 {
            let pow = pow10(power);
            if exponent >= 0 {
                f *= pow;
                if f.is_infinite() {
                    return None;
                }
            } else {
                f /= pow;
            }
            break;
        }
        if f == 0.0 {
            break;
        }
        if exponent >= 0 {
            return None;
        }
        f /= 1e308;
        exponent += 308;
    }
    Some(if negative { -f } else { f })
}

/// `1e{n}` as a double literal reads (serde_json's POW10 table), for n up to 308.
fn pow10(n: u32) -> f64 {
    const EXACT: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
        1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    match EXACT.get(n as usize) {
        Some(p) => *p,
        None => crate::decimal::parse_f64(&format!("1e{n}")).unwrap_or(f64::INFINITY),
    }
}

/// The shortest digits that read back as `f` (the nearest such string), and the power of ten
/// of the last one: ryu's answer, which serde_json prints with. Not the engine's Grisu2 (Redis's
/// own doubles): for some doubles Grisu2 gives 17 digits where ryu finds 7 (`0.3939193`).
/// Rust's formatter finds the same digits as ryu but for exact ties between two shortest
/// strings (`801231701397546.25`), which it rounds up and ryu to the even digit.
fn shortest_digits(f: f64) -> (String, i32) {
    let sci = |precision: Option<usize>| {
        let text = match precision {
            Some(p) => format!("{:.p$e}", f.abs()),
            None => format!("{:e}", f.abs()),
        };
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        (digits, exp.parse::<i32>().unwrap_or(0))
    };
    let (mut digits, exp) = sci(None);
    let last = digits.as_bytes()[digits.len() - 1];
    if digits.len() > 1 && last % 2 == 1 {
        // The tie: `f` lies exactly halfway between these digits and the ones below.
        let mut half = digits[..digits.len() - 1].to_string();
        half.push(char::from(last - 1));
        half.push('5');
        let zeros = |n: usize| "0".repeat(n);
        let near = sci(Some(half.len() + 7));
        if near == (format!("{half}{}", zeros(8)), exp)
            && sci(Some(800)) == (format!("{half}{}", zeros(801 - half.len())), exp)
        {
            digits.pop();
            digits.push(char::from(last - 1));
        }
    }
    let k = exp - (digits.len() as i32 - 1);
    (digits, k)
}

/// Parse a document as RedisJSON does: serde_json's reader, which stops after the first value
/// (`1 2` sets 1).
pub fn parse(text: &[u8]) -> Result<Json, String> {
    Parser { s: text, i: 0 }.value(0)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    /// serde_json's `... at line L column C`: where it stands after reading the offending byte
    /// (all of the input at its end); a newline read starts line L+1 at column 0.
    fn err_at(&self, msg: &str, at: usize) -> String {
        let read = &self.s[..(at + 1).min(self.s.len())];
        let line = 1 + read.iter().filter(|&&b| b == b'\n').count();
        let col = read.len() - read.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        format!("{msg} at line {line} column {col}")
    }

    fn eof(&self, what: &str) -> String {
        self.err_at(&format!("EOF while parsing {what}"), self.s.len())
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        let Some(c) = self.peek() else { return Err(self.eof("a value")) };
        match c {
            b'n' => self.ident(b"null", Json::Null),
            b't' => self.ident(b"true", Json::Bool(true)),
            b'f' => self.ident(b"false", Json::Bool(false)),
            b'"' => {
                self.i += 1;
                self.string().map(Json::Str)
            }
            b'-' | b'0'..=b'9' => self.number(),
            b'[' | b'{' => {
                if depth + 1 >= MAX_DEPTH {
                    return Err(self.err_at("recursion limit exceeded", self.i));
                }
                self.i += 1;
                if c == b'[' {
                    self.array(depth)
                } else {
                    self.object(depth)
                }
            }
            _ => Err(self.err_at("expected value", self.i)),
        }
    }

    fn ident(&mut self, word: &[u8], v: Json) -> Result<Json, String> {
        for &w in word {
            match self.s.get(self.i) {
                None => return Err(self.eof("a value")),
                Some(&c) if c == w => self.i += 1,
                Some(_) => return Err(self.err_at("expected ident", self.i)),
            }
        }
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> Result<Json, String> {
        let mut items = Vec::new();
        if self.peek().is_none() {
            return Err(self.eof("a list"));
        }
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Json::Arr(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            match self.peek() {
                None => return Err(self.eof("a list")),
                Some(b',') => {
                    self.i += 1;
                    if self.peek() == Some(b']') {
                        return Err(self.err_at("trailing comma", self.i));
                    }
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(Json::Arr(items));
                }
                Some(_) => return Err(self.err_at("expected `,` or `]`", self.i)),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, String> {
        let mut members: Vec<(String, Json)> = Vec::new();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Json::Obj(members));
        }
        loop {
            match self.peek() {
                None => return Err(self.eof("an object")),
                Some(b'"') => self.i += 1,
                Some(_) => return Err(self.err_at("key must be a string", self.i)),
            }
            let key = self.string()?;
            match self.peek() {
                None => return Err(self.eof("an object")),
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.err_at("expected `:`", self.i)),
            }
            let v = self.value(depth + 1)?;
            // A repeated key keeps its first place and takes the last value.
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = v,
                None => members.push((key, v)),
            }
            match self.peek() {
                None => return Err(self.eof("an object")),
                Some(b',') => {
                    self.i += 1;
                    if self.peek() == Some(b'}') {
                        return Err(self.err_at("trailing comma", self.i));
                    }
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Json::Obj(members));
                }
                Some(_) => return Err(self.err_at("expected `,` or `}`", self.i)),
            }
        }
    }

    /// The rest of a string after its opening quote.
    fn string(&mut self) -> Result<String, String> {
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.i) else { return Err(self.eof("a string")) };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else { return Err(self.eof("a string")) };
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => return Err(self.err_at("invalid escape", self.i - 1)),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => {
                    return Err(self.err_at(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                        self.i - 1,
                    ))
                }
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| self.err_at("invalid unicode code point", self.i - 1))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(&c) = self.s.get(self.i) else { return Err(self.eof("a string")) };
            let d = (c as char).to_digit(16).ok_or_else(|| self.err_at("invalid escape", self.i))?;
            self.i += 1;
            n = n * 16 + d;
        }
        Ok(n)
    }

    fn unicode(&mut self) -> Result<char, String> {
        let n = self.hex4()?;
        if (0xDC00..0xE000).contains(&n) {
            return Err(self.err_at("lone leading surrogate in hex escape", self.i - 1));
        }
        if (0xD800..0xDC00).contains(&n) {
            if self.s.get(self.i) != Some(&b'\\') || self.s.get(self.i + 1) != Some(&b'u') {
                let at = (self.i + usize::from(self.i < self.s.len())).min(self.s.len());
                return Err(self.err_at("unexpected end of hex escape", at));
            }
            self.i += 2;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(self.err_at("lone leading surrogate in hex escape", self.i - 1));
            }
            let c = 0x10000 + ((n - 0xD800) << 10) + (lo - 0xDC00);
            return char::from_u32(c).ok_or_else(|| self.err_at("invalid unicode code point", self.i - 1));
        }
        char::from_u32(n).ok_or_else(|| self.err_at("invalid unicode code point", self.i - 1))
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.i;
        let digits = |p: &mut Parser| {
            let from = p.i;
            while p.s.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - from
        };
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        match self.s.get(self.i) {
            None => return Err(self.eof("a value")),
            Some(b'0') => {
                self.i += 1;
                if self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                    return Err(self.err_at("invalid number", self.i));
                }
            }
            Some(c) if c.is_ascii_digit() => {
                digits(self);
            }
            Some(_) => return Err(self.err_at("invalid number", self.i)),
        }
        let mut float = false;
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            float = true;
            if digits(self) == 0 {
                return Err(match self.s.get(self.i) {
                    None => self.eof("a value"),
                    Some(_) => self.err_at("invalid number", self.i),
                });
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            float = true;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(match self.s.get(self.i) {
                    None => self.eof("a value"),
                    Some(_) => self.err_at("invalid number", self.i),
                });
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
        if !float {
            if let Some(n) = crate::args::parse_i64(text.as_bytes()) {
                return Ok(Json::Int(n));
            }
            // Beyond i64, a non-negative integer that fits a u64 stays exact.
            let big = (!text.starts_with('-')).then(|| {
                text.bytes()
                    .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d.wrapping_sub(b'0'))))
            });
            if let Some(Some(n)) = big {
                return Ok(Json::Big(n));
            }
        }
        match serde_f64(text) {
            Some(f) if f.is_finite() => Ok(Json::Float(f)),
            _ => Err(self.err_at("number out of range", self.i - 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_redisjson_prints() {
        let text = r#"{"a":1,"b":[2.5,3.0,1e20,1e-7,-0.0,1.5e300,"x\n\u0001/",true,null],"c":{}}"#;
        let v = parse(text.as_bytes()).unwrap();
        assert_eq!(
            v.to_text(),
            r#"{"a":1,"b":[2.5,3.0,1e20,1e-7,-0.0,1.5e300,"x\n\u0001/",true,null],"c":{}}"#
        );
        assert_eq!(format_float(100.0), "100.0");
        assert_eq!(format_float(0.0001), "0.0001");
        assert_eq!(format_float(1e-6), "1e-6");
        // Grisu2 (Redis's doubles) would print 0.39391929999999997 here; ryu prints the shortest.
        assert_eq!(format_float(0.3939193), "0.3939193");
        #[allow(clippy::excessive_precision)] // the exact value is the point: a tie
        let tie = 801231701397546.25;
        assert_eq!(format_float(tie), "801231701397546.2");
        // serde_json's reading (not the nearest double) is what RedisJSON then prints.
        assert_eq!(parse(b"801231701397546.25").unwrap().to_text(), "801231701397546.2");
        assert_eq!(parse(b"4.805878740494918e299").unwrap().to_text(), "4.8058787404949186e299");
        assert_eq!(parse(b"1e400").unwrap_err(), "number out of range at line 1 column 5");
        assert_eq!(parse(b"[1,]").unwrap_err(), "trailing comma at line 1 column 4");
        assert_eq!(parse(b"{\"a\":1").unwrap_err(), "EOF while parsing an object at line 1 column 6");
    }
}
