//! RedisJSON's two path languages: JSONPath (`$`, `$.a.b`, `$..x`, `[*]`, `[0,-1]`, `[1:3]`,
//! `["k"]`, `[?(@.price<10)]`) and the legacy paths of RedisJSON 1 (`.`, `.a.b`, `a[0]`), which
//! select the same way but reply with one value instead of an array of matches.
//!
//! A match is a pointer: the child positions from the root (array index or object member
//! position), so a command can find it again for writing.

use crate::types::json::Json;

/// A parsed path.
#[derive(Debug)]
pub struct Path {
    /// Written without a leading `$` (RedisJSON 1's syntax, single-value replies).
    pub legacy: bool,
    segs: Vec<Seg>,
}

#[derive(Debug)]
struct Seg {
    /// `..`: this selector at every depth.
    deep: bool,
    sel: Sel,
}

#[derive(Debug)]
enum Sel {
    Names(Vec<String>),
    Wild,
    Indexes(Vec<i64>),
    Slice(Option<i64>, Option<i64>, i64),
    Filter(Box<Expr>),
}

#[derive(Debug)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Cmp(Operand, &'static str, Operand),
    /// `@.a` alone: true when it selects something.
    Exists(Path),
}

#[derive(Debug)]
enum Operand {
    At(Path),
    Lit(Json),
}

/// Where parsing failed: the byte offset RedisJSON reports, and what it expected there
/// (0: any selector, 1: only a range, after `[0`; 2: a filter, after `?(`; 3: a name after a
/// dot; 4: the end or another selector).
type Fail = (usize, u8);

/// RedisJSON's syntax error for a path (in its `$` form) failing at `pos`.
fn syntax_error(text: &str, (pos, what): Fail) -> String {
    let pos = pos.min(text.len());
    let at = if text.is_char_boundary(pos) { pos } else { text.len() };
    let marked = if at >= text.len() {
        format!("{text} <<<<----")
    } else {
        format!("{} ---->>>> {}", &text[..at], &text[at..])
    };
    let expected = match what {
        1 => "['start:end:steps']",
        2 => "single_filter",
        3 => "<string>, '*'",
        4 => "EOI, '..'",
        _ => "'<string>[,<string>,...]', '<number>', ['start:end:steps'], '*'",
    };
    format!("Error occurred on position {at}, \"{marked}\", expected one of the following: {expected}.")
}

/// The JSONPath form RedisJSON shows for a legacy path (`.a` -> `$.a`, `a` -> `$.a`, `.` -> `$`,
/// `[0]` -> `$.[0]`).
pub fn shown(text: &str) -> String {
    if text == "$" || text.starts_with("$.") || text.starts_with("$[") {
        text.to_string()
    } else if text == "." {
        "$".into()
    } else if text.starts_with('.') {
        format!("${text}")
    } else {
        format!("$.{text}")
    }
}

impl Path {
    /// Parse a path argument; `Err` is the whole error line.
    pub fn parse(text: &str) -> Result<Path, String> {
        // A legacy path is read (and reported) in its `$` form.
        let legacy = !(text == "$" || text.starts_with("$.") || text.starts_with("$["));
        let full = shown(text);
        let mut p = Reader { s: &full, i: 1 };
        let segs = p.segments(false).map_err(|f| syntax_error(&full, f))?;
        if p.i < full.len() {
            return Err(syntax_error(&full, (p.i, 0)));
        }
        Ok(Path { legacy, segs })
    }

    /// The root itself (`$` or `.`).
    pub fn is_root(&self) -> bool {
        self.segs.is_empty()
    }

    /// The last selector when it names one object member (`$.a.b` -> `b`) and is not `..`:
    /// the member JSON.SET may create.
    pub fn last_name(&self) -> Option<&str> {
        match self.segs.last() {
            Some(Seg { deep: false, sel: Sel::Names(n) }) if n.len() == 1 => Some(&n[0]),
            _ => None,
        }
    }

    /// True when the last selector is one array index (`$.a[3]`).
    pub fn last_index(&self) -> Option<i64> {
        match self.segs.last() {
            Some(Seg { deep: false, sel: Sel::Indexes(i) }) if i.len() == 1 => Some(i[0]),
            _ => None,
        }
    }

    /// Pointers to the parents of what the path names (all selectors but the last).
    pub fn eval_parent(&self, root: &Json) -> Vec<Vec<usize>> {
        eval(&self.segs[..self.segs.len().saturating_sub(1)], root)
    }

    /// Pointers to every match, in RedisJSON's order.
    pub fn eval(&self, root: &Json) -> Vec<Vec<usize>> {
        eval(&self.segs, root)
    }
}

fn eval(segs: &[Seg], root: &Json) -> Vec<Vec<usize>> {
    let mut cur = vec![Vec::new()];
    for seg in segs {
        let mut next = Vec::new();
        for p in cur {
            let Some(node) = resolve(root, &p) else { continue };
            if seg.deep {
                descend(node, &p, &seg.sel, &mut next, 0);
            } else {
                select(node, &p, &seg.sel, &mut next);
            }
        }
        cur = next;
    }
    cur
}

/// The value a pointer leads to.
pub fn resolve<'a>(root: &'a Json, p: &[usize]) -> Option<&'a Json> {
    p.iter().try_fold(root, |node, &i| match node {
        Json::Arr(a) => a.get(i),
        Json::Obj(m) => m.get(i).map(|(_, v)| v),
        _ => None,
    })
}

/// The value a pointer leads to, for writing.
pub fn resolve_mut<'a>(root: &'a mut Json, p: &[usize]) -> Option<&'a mut Json> {
    p.iter().try_fold(root, |node, &i| node.child_mut(i))
}

fn descend(node: &Json, p: &[usize], sel: &Sel, out: &mut Vec<Vec<usize>>, depth: usize) {
    select(node, p, sel, out);
    if depth > 2 * super::MAX_DOC_DEPTH {
        return;
    }
    let n = match node {
        Json::Arr(a) => a.len(),
        Json::Obj(m) => m.len(),
        _ => 0,
    };
    for i in 0..n {
        let mut q = p.to_vec();
        q.push(i);
        if let Some(child) = resolve(node, &[i]) {
            descend(child, &q, sel, out, depth + 1);
        }
    }
}

fn select(node: &Json, p: &[usize], sel: &Sel, out: &mut Vec<Vec<usize>>) {
    let mut push = |i: usize| {
        let mut q = p.to_vec();
        q.push(i);
        out.push(q);
    };
    match (sel, node) {
        (Sel::Names(names), Json::Obj(m)) => {
            for name in names {
                if let Some(i) = m.iter().position(|(k, _)| k == name) {
                    push(i);
                }
            }
        }
        (Sel::Wild, Json::Arr(a)) => (0..a.len()).for_each(push),
        (Sel::Wild, Json::Obj(m)) => (0..m.len()).for_each(push),
        (Sel::Indexes(ixs), Json::Arr(a)) => {
            let len = a.len() as i64;
            for &i in ixs {
                // A negative index past the start means the first element.
                let i = if i < 0 { (i + len).max(0) } else { i };
                if (0..len).contains(&i) {
                    push(i as usize);
                }
            }
        }
        (Sel::Slice(start, end, step), Json::Arr(a)) if *step > 0 => {
            let len = a.len() as i64;
            let norm = |v: i64| if v < 0 { (v + len).max(0) } else { v.min(len) };
            let (s, e) = (norm(start.unwrap_or(0)), norm(end.unwrap_or(len)));
            let mut i = s;
            while i < e {
                push(i as usize);
                i = i.saturating_add(*step);
            }
        }
        (Sel::Filter(expr), Json::Arr(a)) => {
            for (i, v) in a.iter().enumerate() {
                if test(expr, v) {
                    push(i);
                }
            }
        }
        (Sel::Filter(expr), Json::Obj(m)) => {
            for (i, (_, v)) in m.iter().enumerate() {
                if test(expr, v) {
                    push(i);
                }
            }
        }
        _ => {}
    }
}

fn test(expr: &Expr, at: &Json) -> bool {
    match expr {
        Expr::Or(a, b) => test(a, at) || test(b, at),
        Expr::And(a, b) => test(a, at) && test(b, at),
        Expr::Exists(p) => !p.eval(at).is_empty(),
        Expr::Cmp(l, op, r) => {
            let side = |o: &Operand| -> Vec<Json> {
                match o {
                    Operand::Lit(v) => vec![v.clone()],
                    Operand::At(p) => p.eval(at).iter().filter_map(|q| resolve(at, q)).cloned().collect(),
                }
            };
            let (ls, rs) = (side(l), side(r));
            ls.iter().any(|a| rs.iter().any(|b| compare(a, op, b)))
        }
    }
}

fn number(v: &Json) -> Option<f64> {
    match v {
        Json::Int(n) => Some(*n as f64),
        Json::Big(n) => Some(*n as f64),
        Json::Float(f) => Some(*f),
        _ => None,
    }
}

fn compare(a: &Json, op: &str, b: &Json) -> bool {
    use std::cmp::Ordering::*;
    let ord = match (a, b) {
        (Json::Str(x), Json::Str(y)) => Some(x.cmp(y)),
        (Json::Bool(x), Json::Bool(y)) => Some(x.cmp(y)),
        (Json::Null, Json::Null) => Some(Equal),
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => None,
        },
    };
    match (op, ord) {
        ("==", Some(o)) => o == Equal,
        ("==", None) => a == b,
        ("!=", Some(o)) => o != Equal,
        ("!=", None) => a != b,
        ("<", Some(o)) => o == Less,
        ("<=", Some(o)) => o != Greater,
        (">", Some(o)) => o == Greater,
        (">=", Some(o)) => o != Less,
        _ => false,
    }
}

/// A cursor over the path text; errors are the 1-based position RedisJSON reports.
struct Reader<'a> {
    s: &'a str,
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }

    fn ws(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    /// Selectors up to the end (`filter`: up to what ends an operand inside `[?(...)]`).
    fn segments(&mut self, filter: bool) -> Result<Vec<Seg>, Fail> {
        let mut segs = Vec::new();
        while let Some(c) = self.peek() {
            if filter && b"])=<>!&|, ".contains(&c) {
                break;
            }
            let deep = self.s[self.i..].starts_with("..");
            if deep {
                self.i += 2;
            } else if c == b'.' {
                self.i += 1;
            } else if c != b'[' {
                self.ws();
                return Err((self.i, 4));
            }
            if self.eat(b'[') {
                let sel = self.bracket()?;
                segs.push(Seg { deep, sel });
            } else if self.eat(b'*') {
                segs.push(Seg { deep, sel: Sel::Wild });
            } else {
                // Names after a dot: printable ASCII but `.[]@` and, in filters, what ends an
                // operand.
                let stop: &[u8] = if filter { b".[]@ ()=<>!&|,'\"" } else { b".[]@ " };
                let start = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_graphic() && !stop.contains(&c)) {
                    self.i += 1;
                }
                if self.i == start {
                    if deep && self.peek() == Some(b'[') {
                        continue;
                    }
                    return Err((self.i, 3));
                }
                segs.push(Seg { deep, sel: Sel::Names(vec![self.s[start..self.i].to_string()]) });
            }
        }
        Ok(segs)
    }

    /// After `[`: a selector and its `]`; a failure is reported where the selector starts.
    fn bracket(&mut self) -> Result<Sel, Fail> {
        let start = self.i;
        let int_first = {
            let at = self.i;
            let n = self.int();
            self.i = at;
            n.is_some()
        };
        self.selector().map_err(|f| if f.1 == 2 { f } else { (start, u8::from(int_first)) })
    }

    fn selector(&mut self) -> Result<Sel, Fail> {
        self.ws();
        let sel = match self.peek() {
            Some(b'*') => {
                self.i += 1;
                Sel::Wild
            }
            Some(b'"' | b'\'') => {
                let mut names = vec![self.quoted()?];
                loop {
                    self.ws();
                    if !self.eat(b',') {
                        break;
                    }
                    self.ws();
                    names.push(self.quoted()?);
                }
                Sel::Names(names)
            }
            Some(b'?') => {
                self.i += 1;
                self.ws();
                if !self.eat(b'(') {
                    return Err((self.i, 0));
                }
                self.ws();
                // RedisJSON has no `!`: a filter starts with an operand or a parenthesis.
                if self.peek() == Some(b'!') {
                    return Err((self.i, 2));
                }
                let e = self.or()?;
                self.ws();
                if !self.eat(b')') {
                    return Err((self.i, 0));
                }
                Sel::Filter(Box::new(e))
            }
            _ => {
                let first = self.int();
                self.ws();
                if self.eat(b':') {
                    self.ws();
                    let end = self.int();
                    self.ws();
                    let step = if self.eat(b':') {
                        self.ws();
                        self.int().unwrap_or(1)
                    } else {
                        1
                    };
                    Sel::Slice(first, end, step)
                } else {
                    let mut ixs = vec![first.ok_or((self.i, 0))?];
                    while self.eat(b',') {
                        self.ws();
                        ixs.push(self.int().ok_or((self.i, 0))?);
                        self.ws();
                    }
                    Sel::Indexes(ixs)
                }
            }
        };
        self.ws();
        if !self.eat(b']') {
            return Err((self.i, 0));
        }
        Ok(sel)
    }

    fn int(&mut self) -> Option<i64> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let n = crate::args::parse_i64(&self.s.as_bytes()[start..self.i]);
        if n.is_none() {
            self.i = start;
        }
        n
    }

    fn quoted(&mut self) -> Result<String, Fail> {
        let q = self.peek().ok_or((self.i, 0))?;
        self.i += 1;
        let mut out = String::new();
        loop {
            let c = self.s[self.i..].chars().next().ok_or((self.i, 0))?;
            self.i += c.len_utf8();
            match c {
                '\\' => {
                    let e = self.s[self.i..].chars().next().ok_or((self.i, 0))?;
                    self.i += e.len_utf8();
                    out.push(e);
                }
                c if c as u32 == q as u32 => return Ok(out),
                c => out.push(c),
            }
        }
    }

    fn or(&mut self) -> Result<Expr, Fail> {
        let mut e = self.and()?;
        self.ws();
        while self.s[self.i..].starts_with("||") {
            self.i += 2;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
            self.ws();
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, Fail> {
        let mut e = self.atom()?;
        self.ws();
        while self.s[self.i..].starts_with("&&") {
            self.i += 2;
            e = Expr::And(Box::new(e), Box::new(self.atom()?));
            self.ws();
        }
        Ok(e)
    }

    fn atom(&mut self) -> Result<Expr, Fail> {
        self.ws();
        if self.eat(b'(') {
            let e = self.or()?;
            self.ws();
            return if self.eat(b')') { Ok(e) } else { Err((self.i, 0)) };
        }
        let left = self.operand()?;
        self.ws();
        let ops = ["==", "!=", "<=", ">=", "<", ">"];
        let Some(op) = ops.iter().find(|op| self.s[self.i..].starts_with(**op)) else {
            return match left {
                Operand::At(p) => Ok(Expr::Exists(p)),
                Operand::Lit(_) => Err((self.i, 0)),
            };
        };
        self.i += op.len();
        self.ws();
        let right = self.operand()?;
        Ok(Expr::Cmp(left, op, right))
    }

    fn operand(&mut self) -> Result<Operand, Fail> {
        match self.peek() {
            Some(b'@') => {
                self.i += 1;
                Ok(Operand::At(Path { legacy: false, segs: self.segments(true)? }))
            }
            Some(b'"' | b'\'') => Ok(Operand::Lit(Json::Str(self.quoted()?))),
            _ => {
                let start = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c)) {
                    self.i += 1;
                }
                crate::types::json::parse(&self.s.as_bytes()[start..self.i])
                    .map(Operand::Lit)
                    .map_err(|_| (start, 0))
            }
        }
    }
}
