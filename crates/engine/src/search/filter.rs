//! `FT.CREATE ... FILTER expr`: which hashes an index takes, in RediSearch's expression language
//! (the common part of it): `@field` values, numbers and "strings", `== != < <= > >=`,
//! `+ - * / %`, `&& || !`, parentheses, and the functions `exists`, `startswith`, `contains`,
//! `lower`, `upper`, `strlen`.
//!
//! As RediSearch evaluates it: a hash field is a string that compares as a number when the other
//! side is one; `&&` and `||` bind equally, left to right; a field the hash lacks makes the
//! expression fail to evaluate. A false result keeps the document out of the index (without
//! counting as an indexing failure); a failed one keeps it in when it is written, and out when
//! the index scans existing keys (RediSearch 2.10 does both, measured).

use bytes::Bytes;
use indexmap::IndexMap;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Str(String),
    Field(String),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Exists,
    StartsWith,
    Contains,
    Lower,
    Upper,
    Strlen,
    Substr,
    Abs,
    Ceil,
    Floor,
    Sqrt,
    Log,
    Log2,
    Exp,
    ToNumber,
    Format,
    Split,
    Timefmt,
    Parsetime,
    Hour,
    Minute,
    Day,
    Month,
    Year,
    DayOfWeek,
    DayOfMonth,
    DayOfYear,
    MonthOfYear,
    GeoDistance,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Field(String),
    Ident(String),
    Sym(&'static str),
}

/// Tokens with their byte offsets (the error messages name them).
fn tokenize(src: &str) -> Result<Vec<(usize, Tok)>, String> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'@' {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((start, Tok::Field(src[start + 1..i].to_string())));
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let n = crate::decimal::parse_f64(&src[start..i]).ok_or_else(|| syntax(start, &src[start..i]))?;
            out.push((start, Tok::Num(n)));
        } else if c == b'"' || c == b'\'' {
            i += 1;
            let mut s = String::new();
            while i < b.len() && b[i] != c {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                let ch_len = src[i..].chars().next().map_or(1, char::len_utf8);
                s.push_str(&src[i..i + ch_len]);
                i += ch_len;
            }
            if i >= b.len() {
                return Err(syntax(start, &src[start..]));
            }
            i += 1;
            out.push((start, Tok::Str(s)));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((start, Tok::Ident(src[start..i].to_string())));
        } else {
            let two = src.get(i..i + 2).unwrap_or("");
            let sym = ["==", "!=", "<=", ">=", "&&", "||"].into_iter().find(|s| *s == two);
            let sym = match sym {
                Some(s) => s,
                None => match c {
                    b'<' => "<",
                    b'>' => ">",
                    b'!' => "!",
                    b'+' => "+",
                    b'-' => "-",
                    b'*' => "*",
                    b'/' => "/",
                    b'%' => "%",
                    b'^' => "^",
                    b'(' => "(",
                    b')' => ")",
                    b',' => ",",
                    _ => return Err(syntax(start, &src[start..start + 1])),
                },
            };
            i += sym.len();
            out.push((start, Tok::Sym(sym)));
        }
    }
    Ok(out)
}

fn syntax(offset: usize, near: &str) -> String {
    format!("Syntax error at offset {offset} near '{near}'")
}

fn token_text(tok: &Tok) -> String {
    match tok {
        Tok::Num(n) => n.to_string(),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Field(f) => f.clone(),
        Tok::Ident(i) => i.clone(),
        Tok::Sym(s) => s.to_string(),
    }
}

struct Parser<'a> {
    toks: &'a [(usize, Tok)],
    pos: usize,
    src_len: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }

    /// An error at the current token. When the expression stops short, RediSearch's parser
    /// reports the last token's offset and the text of the token before it
    /// (`@x ==` -> "Syntax error at offset 3 near 'x'"); that is kept here.
    fn error(&self) -> String {
        match self.toks.get(self.pos) {
            Some((at, tok)) => syntax(*at, &token_text(tok)),
            None => match self.toks.len() {
                0 => syntax(self.src_len, ""),
                n => {
                    let before = n.checked_sub(2).and_then(|i| self.toks.get(i)).map(|t| token_text(&t.1));
                    syntax(self.toks[n - 1].0, &before.unwrap_or_default())
                }
            },
        }
    }

    fn eat(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(s)) if *s == sym) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Binary operators by precedence level, lowest first.
    fn binary(&mut self, level: usize) -> Result<Expr, String> {
        // `&&` and `||` share one level, left to right, as in RediSearch's grammar:
        // `1 || 0 && 0` is `(1 || 0) && 0`, false.
        const LEVELS: [&[(&str, Op)]; 5] = [
            &[("||", Op::Or), ("&&", Op::And)],
            &[("==", Op::Eq), ("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)],
            &[("+", Op::Add), ("-", Op::Sub)],
            &[("*", Op::Mul), ("/", Op::Div), ("%", Op::Rem)],
            &[("^", Op::Pow)],
        ];
        let Some(ops) = LEVELS.get(level) else { return self.unary() };
        let mut left = self.binary(level + 1)?;
        'more: loop {
            for (sym, op) in ops.iter() {
                if self.eat(sym) {
                    let right = self.binary(level + 1)?;
                    left = Expr::Binary(*op, Box::new(left), Box::new(right));
                    continue 'more;
                }
            }
            return Ok(left);
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        let Some((_, tok)) = self.toks.get(self.pos).cloned() else { return Err(self.error()) };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Field(f) => Ok(Expr::Field(f)),
            Tok::Sym("(") => {
                let inner = self.binary(0)?;
                if !self.eat(")") {
                    return Err(self.error());
                }
                Ok(inner)
            }
            Tok::Ident(name) => {
                let func = match name.to_ascii_lowercase().as_str() {
                    "exists" => Func::Exists,
                    "startswith" => Func::StartsWith,
                    "contains" => Func::Contains,
                    "lower" => Func::Lower,
                    "upper" => Func::Upper,
                    "strlen" => Func::Strlen,
                    "substr" => Func::Substr,
                    "abs" => Func::Abs,
                    "ceil" => Func::Ceil,
                    "floor" => Func::Floor,
                    "sqrt" => Func::Sqrt,
                    "log" => Func::Log,
                    "log2" => Func::Log2,
                    "exp" => Func::Exp,
                    "to_number" => Func::ToNumber,
                    "format" => Func::Format,
                    "split" => Func::Split,
                    "timefmt" => Func::Timefmt,
                    "parsetime" => Func::Parsetime,
                    "hour" => Func::Hour,
                    "minute" => Func::Minute,
                    "day" => Func::Day,
                    "month" => Func::Month,
                    "year" => Func::Year,
                    "dayofweek" => Func::DayOfWeek,
                    "dayofmonth" => Func::DayOfMonth,
                    "dayofyear" => Func::DayOfYear,
                    "monthofyear" => Func::MonthOfYear,
                    "geodistance" => Func::GeoDistance,
                    _ => return Err(format!("Unknown function name '{name}'")),
                };
                if !self.eat("(") {
                    return Err(self.error());
                }
                let mut args = Vec::new();
                if !self.eat(")") {
                    loop {
                        args.push(self.binary(0)?);
                        if self.eat(")") {
                            break;
                        }
                        if !self.eat(",") {
                            return Err(self.error());
                        }
                    }
                }
                let (least, wanted) = match func {
                    Func::StartsWith | Func::Contains | Func::Parsetime => (2, 2),
                    Func::Substr => (3, 3),
                    Func::Format => (1, usize::MAX),
                    Func::Split => (1, 3),
                    Func::Timefmt => (1, 2),
                    Func::GeoDistance => (2, 4),
                    _ => (1, 1),
                };
                if let (Func::Format, Some(Expr::Str(f))) = (func, args.first()) {
                    super::funcs::check_format(f)?;
                }
                if args.len() < least || args.len() > wanted {
                    return Err(format!(
                        "Function '{}' expects {wanted} arguments",
                        name.to_ascii_lowercase()
                    ));
                }
                Ok(Expr::Call(func, args))
            }
            _ => {
                self.pos -= 1;
                Err(self.error())
            }
        }
    }
}

/// Parse a filter expression, or say where it breaks (RediSearch's wording).
pub fn parse(src: &str) -> Result<Expr, String> {
    let toks = tokenize(src)?;
    let mut p = Parser { toks: &toks, pos: 0, src_len: src.len() };
    let expr = p.binary(0)?;
    if p.pos < toks.len() {
        return Err(p.error());
    }
    Ok(expr)
}

/// A value during evaluation; `Null` is a missing field (and anything computed from one).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Num(f64),
    Str(String),
    Null,
    /// A list (split()).
    Arr(Vec<Val>),
    /// A failed evaluation, with RediSearch's message (a string where a number must be).
    Err(&'static str),
}

impl Val {
    pub fn number(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            Val::Str(s) => crate::decimal::parse_f64(s.trim()),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<String> {
        match self {
            Val::Num(n) => Some(crate::float::format_double(*n)),
            Val::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn truthy(&self) -> Option<bool> {
        match self {
            Val::Num(n) => Some(*n != 0.0),
            Val::Str(s) => Some(!s.is_empty()),
            _ => None,
        }
    }
}

fn bool_val(b: bool) -> Val {
    Val::Num(if b { 1.0 } else { 0.0 })
}

fn eval(expr: &Expr, hash: &IndexMap<Bytes, Bytes>) -> Val {
    let get = |f: &str| {
        hash.get(f.as_bytes()).map_or(Val::Null, |v| Val::Str(String::from_utf8_lossy(v).into_owned()))
    };
    eval_with(expr, &get)
}

/// Evaluate `expr`, reading `@field`s through `get` (FT.AGGREGATE's APPLY and FILTER).
pub fn eval_with(expr: &Expr, get: &dyn Fn(&str) -> Val) -> Val {
    let hash = get;
    let eval = eval_with;
    match expr {
        Expr::Num(n) => Val::Num(*n),
        Expr::Str(s) => Val::Str(s.clone()),
        Expr::Field(f) => hash(f),
        Expr::Not(e) => eval(e, hash).truthy().map_or(Val::Null, |b| bool_val(!b)),
        Expr::Neg(e) => eval(e, hash).number().map_or(Val::Null, |n| Val::Num(-n)),
        Expr::Binary(Op::And, a, b) => match eval(a, hash).truthy() {
            Some(false) => bool_val(false),
            Some(true) => eval(b, hash).truthy().map_or(Val::Null, bool_val),
            None => Val::Null,
        },
        Expr::Binary(Op::Or, a, b) => match eval(a, hash).truthy() {
            Some(true) => bool_val(true),
            Some(false) => eval(b, hash).truthy().map_or(Val::Null, bool_val),
            None => Val::Null,
        },
        Expr::Binary(op, a, b) => {
            let (a, b) = (eval(a, hash), eval(b, hash));
            for v in [&a, &b] {
                if matches!(v, Val::Null | Val::Err(_) | Val::Arr(_)) {
                    return v.clone();
                }
            }
            let arithmetic = matches!(op, Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Rem | Op::Pow);
            if arithmetic && (a.number().is_none() || b.number().is_none()) {
                return Val::Err("Could not convert value to a number");
            }
            let numeric = matches!(a, Val::Num(_)) || matches!(b, Val::Num(_));
            let order = match (numeric, a.number(), b.number()) {
                (true, Some(x), Some(y)) => x.partial_cmp(&y),
                _ => a.text().zip(b.text()).map(|(x, y)| x.cmp(&y)),
            };
            let arith = |f: fn(f64, f64) -> f64| match (a.number(), b.number()) {
                (Some(x), Some(y)) => Val::Num(f(x, y)),
                _ => Val::Null,
            };
            use std::cmp::Ordering::{Equal, Greater, Less};
            match op {
                Op::Eq => bool_val(order == Some(Equal)),
                Op::Ne => bool_val(order != Some(Equal)),
                Op::Lt => bool_val(order == Some(Less)),
                Op::Le => bool_val(matches!(order, Some(Less | Equal))),
                Op::Gt => bool_val(order == Some(Greater)),
                Op::Ge => bool_val(matches!(order, Some(Greater | Equal))),
                Op::Add => arith(|x, y| x + y),
                Op::Sub => arith(|x, y| x - y),
                Op::Mul => arith(|x, y| x * y),
                // Division by zero is NaN in RediSearch, never infinity.
                Op::Div => arith(|x, y| if y == 0.0 { f64::NAN } else { x / y }),
                // `%` works on the integer parts, as RediSearch.
                Op::Rem => arith(|x, y| match (x as i64, y as i64) {
                    (_, 0) => f64::NAN,
                    (a, b) => a.wrapping_rem(b) as f64,
                }),
                Op::Pow => arith(f64::powf),
                Op::And | Op::Or => Val::Null,
            }
        }
        Expr::Call(Func::Exists, args) => bool_val(args.first().is_some_and(|a| eval(a, hash) != Val::Null)),
        Expr::Call(
            f @ (Func::Abs | Func::Ceil | Func::Floor | Func::Sqrt | Func::Log | Func::Log2 | Func::Exp),
            args,
        ) => {
            let Some(n) = args.first().and_then(|a| eval(a, hash).number()) else { return Val::Null };
            // C's log and sqrt of a negative number: a NaN with its sign bit set ("-nan").
            let domain = |x: f64, f: fn(f64) -> f64| if x < 0.0 { -f64::NAN } else { f(x) };
            Val::Num(match f {
                Func::Abs => n.abs(),
                Func::Ceil => n.ceil(),
                Func::Floor => n.floor(),
                Func::Sqrt => domain(n, f64::sqrt),
                Func::Log => domain(n, f64::ln),
                Func::Log2 => domain(n, f64::log2),
                _ => n.exp(),
            })
        }
        Expr::Call(func, args) if super::funcs::handles(*func) => {
            let vals: Vec<Val> = args.iter().map(|a| eval(a, hash)).collect();
            super::funcs::call(*func, &vals)
        }
        Expr::Call(func, args) => {
            let vals: Vec<Val> = args.iter().map(|a| eval(a, hash)).collect();
            // lower() and upper() of anything but a string are null (`stringfunc_tolower`).
            if matches!(func, Func::Lower | Func::Upper) && !matches!(vals.first(), Some(Val::Str(_))) {
                return Val::Null;
            }
            let texts: Option<Vec<String>> = vals.iter().map(Val::text).collect();
            let Some(t) = texts else { return Val::Null };
            match (func, t.as_slice()) {
                (Func::StartsWith, [s, p]) => bool_val(s.starts_with(p.as_str())),
                // contains() counts the (non-overlapping) occurrences.
                (Func::Contains, [s, p]) if p.is_empty() => Val::Num(s.len() as f64 + 1.0),
                (Func::Contains, [s, p]) => Val::Num(s.matches(p.as_str()).count() as f64),
                (Func::Lower, [s]) => Val::Str(s.to_ascii_lowercase()),
                (Func::Upper, [s]) => Val::Str(s.to_ascii_uppercase()),
                (Func::Strlen, [s]) => Val::Num(s.len() as f64),
                // substr(s, offset, len): a negative offset counts from the end, a negative
                // length stops that many bytes before it (RediSearch's `func_substr`).
                (Func::Substr, [s, off, len]) => {
                    let n = s.len() as i64;
                    let num = |t: &str| crate::decimal::parse_f64(t.trim()).map_or(0, |x| x as i64);
                    let mut off = num(off);
                    let mut len = num(len);
                    if off < 0 {
                        off += n;
                    }
                    off = off.clamp(0, n);
                    if len < 0 {
                        len += n - off;
                    }
                    let end = (off + len.max(0)).min(n);
                    let bytes = s.as_bytes().get(off as usize..end as usize).unwrap_or_default();
                    Val::Str(String::from_utf8_lossy(bytes).into_owned())
                }
                _ => Val::Null,
            }
        }
    }
}

/// Does the hash pass the filter? `None` when the expression cannot be evaluated (it reads a
/// field the hash lacks, outside `exists()`): RediSearch then keeps a document written after the
/// index was created, and leaves out one found by the scan of existing keys.
pub fn passes(expr: &Expr, hash: &IndexMap<Bytes, Bytes>) -> Option<bool> {
    eval(expr, hash).truthy()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(pairs: &[(&str, &str)]) -> IndexMap<Bytes, Bytes> {
        pairs.iter().map(|(k, v)| (Bytes::from(k.to_string()), Bytes::from(v.to_string()))).collect()
    }

    #[test]
    fn evaluates_like_redisearch() {
        let en5 = hash(&[("lang", "en"), ("n", "5")]);
        let no_lang = hash(&[("n", "9")]);
        let check = |src: &str, h: &IndexMap<Bytes, Bytes>| passes(&parse(src).expect(src), h) == Some(true);
        assert!(check(r#"@lang=="en" && @n > 3"#, &en5));
        assert!(!check(r#"@lang=="en" && @n > 5"#, &en5));
        let missing = parse(r#"@lang != "fr" || @n >= 9"#).expect("parses");
        assert_eq!(passes(&missing, &no_lang), None, "a missing field fails the evaluation");
        assert!(check(r#"1 || @lang == "x""#, &no_lang), "|| stops at a true left side");
        assert!(!check("1 || 0 && 0", &en5), "&& and || bind equally, left to right");
        assert!(check("exists(@n)", &no_lang));
        assert!(!check("exists(@lang)", &no_lang));
        assert!(check("!(@n < 3)", &en5));
        assert!(check(r#"startswith(@lang, "e") && lower("EN") == @lang"#, &en5));
        assert!(check("1 + 2 > 2 && @n * 2 == 10 && @n % 2 == 1", &en5));
        assert!(check("@n", &en5) && check(r#""abc""#, &en5) && !check(r#""""#, &en5));
    }

    #[test]
    fn errors_name_the_place() {
        assert_eq!(parse("@x =="), Err("Syntax error at offset 3 near 'x'".into()));
        assert_eq!(parse("bogus(@x)"), Err("Unknown function name 'bogus'".into()));
        assert_eq!(parse(r#"@x == "a" &&"#), Err(r#"Syntax error at offset 10 near '"a"'"#.into()));
        assert!(parse("(@x").is_err());
        assert!(parse("@x # 1").is_err());
    }
}
