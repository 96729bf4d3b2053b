//! The FT.SEARCH query language (DIALECT 2 subset): `*`, words, `@text:word`, `@tag:{a|b}`,
//! `@num:[lo hi]` (`(` exclusive, `-inf`/`+inf`), `-` negation, `|` union, parentheses,
//! `@vec:[VECTOR_RANGE r $blob]=>{$YIELD_DISTANCE_AS: d}` and a trailing
//! `=>[KNN k @vec $blob [EF_RUNTIME e] [AS name]]`. `$name` values come from PARAMS.

use bytes::Bytes;
use std::collections::HashMap;

/// A boolean filter over documents.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    All,
    Word {
        field: Option<String>,
        word: String,
    },
    /// `word*`: any token that starts with `prefix`.
    Prefix {
        field: Option<String>,
        prefix: String,
    },
    /// `*word`: any term (token or stem) that ends with `suffix`.
    Suffix {
        field: Option<String>,
        suffix: String,
    },
    /// `*word*`: any term (token or stem) that contains `infix`.
    Contains {
        field: Option<String>,
        infix: String,
    },
    /// `~clause`: optional, it only ranks (which the engine does not): it never narrows a match.
    Optional(Box<Node>),
    /// `"exact words"`: these tokens, next to each other in this order (no stems), each as typed
    /// with its offset in the query (a stop word in a phrase is a syntax error there).
    Phrase {
        field: Option<String>,
        words: Vec<(usize, String)>,
    },
    Tag {
        field: String,
        values: Vec<String>,
    },
    Numeric {
        field: String,
        lo: f64,
        lo_incl: bool,
        hi: f64,
        hi_incl: bool,
    },
    /// `@field:[lon lat radius unit]` (and FT.SEARCH's GEOFILTER): points within the radius.
    Geo {
        field: String,
        lon: f64,
        lat: f64,
        radius: f64,
        unit: GeoUnit,
    },
    /// `@field:[WITHIN|CONTAINS|INTERSECTS|DISJOINT $wkt]` (DIALECT 2 and up).
    GeoShape {
        field: String,
        op: super::geoshape::Op,
        wkt: Bytes,
    },
    Range {
        field: String,
        radius: f64,
        blob: Bytes,
        yield_as: Option<String>,
        /// The PARAMS name the blob came from (FT.EXPLAIN quotes it).
        param: Option<String>,
    },
    /// `@field:(...)` as written, kept only for FT.EXPLAIN (which prints the field on the group
    /// too); searches get the field pushed into the group's words instead.
    Scoped {
        field: String,
        node: Box<Node>,
    },
    /// `%word%` (up to `%%%word%%%`): terms within that many edits.
    Fuzzy {
        field: Option<String>,
        word: String,
        dist: usize,
    },
    /// `ismissing(@field)` (DIALECT 2): documents without the field (INDEXMISSING).
    Missing {
        field: String,
    },
    /// `@field:""` (DIALECT 2): documents whose TEXT field is empty (INDEXEMPTY). An empty tag
    /// is a [`Node::Tag`] value `""`.
    Empty {
        field: String,
    },
    /// A clause with `=>{$weight: w; $slop: n; $inorder: true; $phonetic: false}`.
    Attr {
        node: Box<Node>,
        weight: Option<f64>,
        slop: Option<i64>,
        inorder: Option<bool>,
        /// Expand a word to its phonetic code (or not), whatever its field says.
        phonetic: Option<bool>,
    },
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

/// A geo filter's distance unit, as RediSearch names them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GeoUnit {
    M,
    Km,
    Mi,
    Ft,
}

impl GeoUnit {
    /// `m`, `km`, `mi` or `ft`, any case.
    pub fn parse(raw: &[u8]) -> Option<GeoUnit> {
        Some(match raw.to_ascii_lowercase().as_slice() {
            b"m" => GeoUnit::M,
            b"km" => GeoUnit::Km,
            b"mi" => GeoUnit::Mi,
            b"ft" => GeoUnit::Ft,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            GeoUnit::M => "m",
            GeoUnit::Km => "km",
            GeoUnit::Mi => "mi",
            GeoUnit::Ft => "ft",
        }
    }

    /// Metres in one unit (RediSearch's `extractUnitFactor`).
    pub fn metres(self) -> f64 {
        match self {
            GeoUnit::M => 1.0,
            GeoUnit::Km => 1000.0,
            GeoUnit::Mi => 1609.34,
            GeoUnit::Ft => 0.3048,
        }
    }
}

/// RediSearch's `GeoFilter_Validate`: the unit, then the point, then the radius.
pub fn geo_filter(field: String, lon: f64, lat: f64, radius: f64, unit: &[u8]) -> Result<Node, String> {
    let unit = GeoUnit::parse(unit).ok_or("Invalid GeoFilter unit")?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err("Invalid GeoFilter lat/lon".into());
    }
    if radius.is_nan() || radius <= 0.0 {
        return Err("Invalid GeoFilter radius".into());
    }
    Ok(Node::Geo { field, lon, lat, radius, unit })
}

/// `=>[KNN k @field $blob ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Knn {
    pub k: usize,
    pub field: String,
    pub blob: Bytes,
    pub ef_runtime: Option<usize>,
    pub score_as: Option<String>,
    /// `NAME value` attributes (EF_RUNTIME, HYBRID_POLICY, BATCH_SIZE...), upper-cased names
    /// and parameter-resolved values, checked by [`Knn::check_attrs`].
    pub attrs: Vec<(String, Bytes)>,
    /// The PARAMS name the blob came from (FT.EXPLAIN quotes it).
    pub blob_param: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub filter: Node,
    pub knn: Option<Knn>,
}

impl Node {
    /// Names the query yields besides the schema's fields (`$YIELD_DISTANCE_AS`).
    pub fn yielded_names(&self, out: &mut Vec<String>) {
        match self {
            Node::Range { yield_as: Some(name), .. } => out.push(name.clone()),
            Node::Not(inner) | Node::Scoped { node: inner, .. } | Node::Attr { node: inner, .. } => {
                inner.yielded_names(out)
            }
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().for_each(|n| n.yielded_names(out)),
            _ => {}
        }
    }
}

impl Query {
    /// Every name a result may carry that is not a schema field: the KNN score and range
    /// distances.
    pub fn yielded_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(knn) = &self.knn {
            out.push(knn.score_as.clone().unwrap_or_else(|| format!("__{}_score", knn.field)));
        }
        self.filter.yielded_names(&mut out);
        out
    }
}

/// A parse failure, with RediSearch's message.
pub type ParseError = String;

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    params: &'a HashMap<String, Bytes>,
    dialect: i64,
    /// The text of the last word-like token read (a word, field name, number, tag value or
    /// phrase): RediSearch's lexer leaves it in the token it reports a syntax error with, so
    /// its messages say "near" it even when the error is at a `*`.
    last_word: String,
    /// Keep `@field:(...)` groups as [`Node::Scoped`] (FT.EXPLAIN).
    scopes: bool,
    /// Inside DIALECT 1's `~`, which takes everything up to the next `~`, `)` or the end.
    tilde: bool,
}

/// A byte that can start or continue a word.
fn word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 || c == b'\\'
}

fn syntax(pos: usize, s: &[u8]) -> ParseError {
    let near: String = String::from_utf8_lossy(s.get(pos..).unwrap_or(&[])).chars().take(2).collect();
    format!("Syntax error at offset {pos} near {near}")
}

/// RediSearch's error for an `=>[` it cannot take, quoting the text from its `>`. The offset is
/// the arrow's own in DIALECT 1 (which has no KNN at all) and just past it in DIALECT 2.
fn arrow_error(offset: usize, arrow: usize, s: &[u8]) -> ParseError {
    let near: String = String::from_utf8_lossy(s.get(arrow + 1..).unwrap_or(&[])).chars().take(2).collect();
    format!("Syntax error at offset {offset} near {near}")
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }
    fn at(&self, lit: &str) -> bool {
        self.s.get(self.pos..).is_some_and(|r| r.starts_with(lit.as_bytes()))
    }
    fn err(&self) -> ParseError {
        syntax(self.pos, self.s)
    }
    fn expect(&mut self, c: u8) -> Result<(), ParseError> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err())
        }
    }
    /// A bare token: letters, digits, and `_ . - + $ \`-escaped characters.
    fn token(&mut self) -> Result<String, ParseError> {
        self.skip_ws();
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if c == b'\\' {
                if let Some(&n) = self.s.get(self.pos + 1) {
                    out.push(n);
                    self.pos += 2;
                    continue;
                }
            }
            if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'$' | b'+' | b'-' | b':') || c >= 0x80
            {
                if c == b':' && !out.is_empty() {
                    break;
                }
                out.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        if out.is_empty() {
            return Err(self.err());
        }
        let token = String::from_utf8_lossy(&out).into_owned();
        self.last_word = token.trim_start_matches('$').to_string();
        Ok(token)
    }
    fn param(&self, tok: &str) -> Result<Bytes, ParseError> {
        match tok.strip_prefix('$') {
            Some(name) => self.params.get(name).cloned().ok_or_else(|| format!("No such parameter `{name}`")),
            None => Ok(Bytes::copy_from_slice(tok.as_bytes())),
        }
    }
    fn number(&mut self) -> Result<(f64, bool), ParseError> {
        self.skip_ws();
        let exclusive = self.peek() == Some(b'(');
        if exclusive {
            self.pos += 1;
        }
        self.skip_ws();
        let start = self.pos;
        let tok = self.token()?;
        let raw = self.param(&tok)?;
        let v = crate::float::parse_double(&raw)
            .ok_or_else(|| format!("Syntax error at offset {start} near {}", self.last_word))?;
        Ok((v, exclusive))
    }

    /// `PREDICATE $param]` after `@field:[`, as DIALECT 2's lexer reads it: a predicate with
    /// anything but a parameter, or a parameter after another word, is an error there.
    fn geoshape(&mut self, field: &str) -> Result<Option<Node>, ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        let word = String::from_utf8_lossy(&self.s[start..self.pos]).into_owned();
        let op = super::geoshape::Op::parse(&word);
        if self.dialect < 2 {
            // DIALECT 1 has no geoshape queries: its lexer stops at the predicate.
            return match op {
                Some(_) => Err(format!("Syntax error at offset {start} near {word}")),
                None => {
                    self.pos = start;
                    Ok(None)
                }
            };
        }
        self.skip_ws();
        let at = self.pos;
        // `inf` is a number to the lexer, the start of a numeric range.
        let number = word.eq_ignore_ascii_case("inf");
        match self.peek() {
            _ if word.is_empty() || number => {}
            Some(b'$') => {
                let name = self.token()?;
                let Some(op) = op else {
                    return Err(format!("Syntax error: Expecting a geoshape predicate at offset {at}"));
                };
                let wkt = self.param(&name)?;
                self.skip_ws();
                if self.peek() != Some(b']') {
                    return Err(format!(
                        "Syntax error: expecting vector similarity range command at offset {start} near {word}"
                    ));
                }
                self.pos += 1;
                return Ok(Some(Node::GeoShape { field: field.to_string(), op, wkt }));
            }
            Some(b']') | None if op.is_some() => {
                return Err(format!("Syntax error at offset {at} near {word}"))
            }
            Some(b'"') if op.is_some() => {
                let body = &self.s[at + 1..];
                let end = body.iter().position(|&c| c == b'"').unwrap_or(body.len());
                return Err(format!(
                    "Syntax error at offset {at} near {}",
                    String::from_utf8_lossy(&body[..end])
                ));
            }
            _ if op.is_some() => {
                let near = self.token().unwrap_or_default();
                return Err(format!("Syntax error at offset {at} near {near}"));
            }
            _ => {}
        }
        self.pos = start;
        Ok(None)
    }

    fn union(&mut self) -> Result<Node, ParseError> {
        let mut alts = vec![self.intersect()?];
        loop {
            self.skip_ws();
            if self.peek() == Some(b'|') {
                self.pos += 1;
                alts.push(self.intersect()?);
            } else {
                break;
            }
        }
        Ok(if alts.len() == 1 { alts.remove(0) } else { Node::Or(alts) })
    }

    fn intersect(&mut self) -> Result<Node, ParseError> {
        let mut all = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None | Some(b')') | Some(b'|') => break,
                Some(b'=') if self.at("=>") => break,
                // DIALECT 1's `~` binds loosest: `~x y|z` is optional `x y|z` (lemon's TILDE).
                Some(b'~') if self.dialect < 2 => {
                    if self.tilde {
                        break;
                    }
                    self.pos += 1;
                    self.tilde = true;
                    let rest = self.union();
                    self.tilde = false;
                    all.push(Node::Optional(Box::new(rest?)));
                }
                _ => {
                    let term = self.term()?;
                    all.push(self.with_attrs(term)?);
                }
            }
        }
        match all.len() {
            0 => Err(self.err()),
            1 => Ok(all.remove(0)),
            _ => Ok(Node::And(all)),
        }
    }

    fn term(&mut self) -> Result<Node, ParseError> {
        self.skip_ws();
        match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                Ok(Node::Not(Box::new(self.term()?)))
            }
            Some(b'~') => {
                self.pos += 1;
                Ok(Node::Optional(Box::new(self.term()?)))
            }
            // `*word` and `*word*` are words; a bare `*` is only ever the whole query (see
            // `star_query`), anywhere else RediSearch refuses it.
            Some(b'*') if !self.s.get(self.pos + 1).is_some_and(|&c| word_byte(c)) => {
                Err(format!("Syntax error at offset {} near {}", self.pos, self.last_word))
            }
            Some(b'(') => {
                let open = self.pos;
                self.pos += 1;
                self.skip_ws();
                // An open group at the end: RediSearch points at it, quoting the last word.
                if self.peek().is_none() {
                    return Err(format!("Syntax error at offset {open} near {}", self.last_word));
                }
                let tilde = std::mem::replace(&mut self.tilde, false);
                let inner = self.union();
                self.tilde = tilde;
                let inner = inner?;
                self.expect(b')')?;
                Ok(inner)
            }
            Some(b'@') => {
                self.pos += 1;
                let field = self.token()?;
                self.expect(b':')?;
                self.skip_ws();
                match self.peek() {
                    Some(b'{') => {
                        self.pos += 1;
                        let mut values = Vec::new();
                        let mut cur = Vec::new();
                        let mut quoted = false;
                        loop {
                            match self.peek() {
                                None => return Err(self.err()),
                                // DIALECT 2 takes a quoted tag as it is (`{"a-b c"}`, `{""}`).
                                Some(b'"') if cur.iter().all(u8::is_ascii_whitespace) => {
                                    if self.dialect < 2 {
                                        return Err(self.err_near_last());
                                    }
                                    let end = self.s[self.pos + 1..].iter().position(|&c| c == b'"');
                                    let Some(end) = end else { return Err(self.err()) };
                                    cur = self.s[self.pos + 1..self.pos + 1 + end].to_vec();
                                    self.pos += end + 2;
                                    self.skip_ws();
                                    if !matches!(self.peek(), Some(b'|' | b'}')) {
                                        return Err(self.err());
                                    }
                                    quoted = true;
                                }
                                Some(b'\\') => {
                                    if let Some(&n) = self.s.get(self.pos + 1) {
                                        cur.push(n);
                                    }
                                    self.pos += 2;
                                }
                                Some(b'|') | Some(b'}') => {
                                    let done = self.peek() == Some(b'}');
                                    self.pos += 1;
                                    let raw = String::from_utf8_lossy(&cur);
                                    let v = if std::mem::take(&mut quoted) {
                                        raw.into_owned()
                                    } else {
                                        raw.trim().to_string()
                                    };
                                    self.last_word = v.trim_start_matches('$').to_string();
                                    let v = match v.strip_prefix('$') {
                                        Some(_) => String::from_utf8_lossy(&self.param(&v)?).into_owned(),
                                        None => v,
                                    };
                                    values.push(v);
                                    cur.clear();
                                    if done {
                                        break;
                                    }
                                }
                                Some(c) => {
                                    cur.push(c);
                                    self.pos += 1;
                                }
                            }
                        }
                        Ok(Node::Tag { field, values })
                    }
                    Some(b'[') => {
                        self.pos += 1;
                        self.skip_ws();
                        if self.at("VECTOR_RANGE") || self.at("vector_range") {
                            self.pos += "VECTOR_RANGE".len();
                            let r = self.token()?;
                            let radius =
                                crate::float::parse_double(&self.param(&r)?).ok_or_else(|| self.err())?;
                            let b = self.token()?;
                            let blob = self.param(&b)?;
                            self.expect(b']')?;
                            let yield_as = self.attributes()?;
                            let param = b.strip_prefix('$').map(str::to_string);
                            return Ok(Node::Range { field, radius, blob, yield_as, param });
                        }
                        if let Some(node) = self.geoshape(&field)? {
                            return Ok(node);
                        }
                        let (lo, lo_ex) = self.number()?;
                        self.skip_ws();
                        if self.peek() == Some(b',') {
                            self.pos += 1;
                        }
                        let (hi, hi_ex) = self.number()?;
                        self.skip_ws();
                        if self.peek() != Some(b']') {
                            // `[lon lat radius unit]`: a geo filter.
                            let start = self.pos;
                            let (radius, _) = self.number()?;
                            let raw = String::from_utf8_lossy(&self.s[start..self.pos]).trim().to_string();
                            self.skip_ws();
                            if self.peek() == Some(b']') {
                                return Err(format!("Syntax error at offset {} near {raw}", self.pos));
                            }
                            let unit = self.token()?;
                            let unit = self.param(&unit)?;
                            self.expect(b']')?;
                            return geo_filter(field, lo, hi, radius, &unit);
                        }
                        self.expect(b']')?;
                        Ok(Node::Numeric { field, lo, lo_incl: !lo_ex, hi, hi_incl: !hi_ex })
                    }
                    Some(b'(') => {
                        self.pos += 1;
                        let inner = self.union()?;
                        self.expect(b')')?;
                        Ok(self.scoped(inner, field))
                    }
                    Some(b'"') => self.phrase(Some(field)),
                    Some(b'%') => self.fuzzy(Some(field)),
                    // DIALECT 1: the field takes the words that follow, up to anything else
                    // (`@name:James Brown|Smith` is `@name:(James Brown|Smith)`).
                    _ if self.dialect < 2 => {
                        let run = self.word_run()?;
                        Ok(self.scoped(run, field))
                    }
                    _ => self.word(Some(field)),
                }
            }
            Some(b'"') => self.phrase(None),
            Some(b'%') => self.fuzzy(None),
            _ if self
                .s
                .get(self.pos..self.pos + 10)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"ismissing(")) =>
            {
                self.ismissing()
            }
            _ => self.word(None),
        }
    }

    /// `ismissing(@field)`; DIALECT 1 has no such function and stops at its `)`.
    fn ismissing(&mut self) -> Result<Node, ParseError> {
        self.pos += 10;
        self.expect(b'@')?;
        let field = self.token()?;
        self.skip_ws();
        if self.dialect < 2 && self.peek() == Some(b')') {
            return Err(self.err_near_last());
        }
        self.expect(b')')?;
        Ok(Node::Missing { field })
    }

    /// `%word%`, `%%word%%` or `%%%word%%%`: as many `%` after the word as before it.
    fn fuzzy(&mut self, field: Option<String>) -> Result<Node, ParseError> {
        let mut dist = 0;
        while self.peek() == Some(b'%') && dist < 3 {
            self.pos += 1;
            dist += 1;
        }
        let start = self.pos;
        let word = self.token()?.to_ascii_lowercase();
        for _ in 0..dist {
            if self.peek() != Some(b'%') {
                return Err(format!("Syntax error at offset {start} near {}", self.last_word));
            }
            self.pos += 1;
        }
        Ok(Node::Fuzzy { field, word, dist })
    }

    fn err_near_last(&self) -> ParseError {
        format!("Syntax error at offset {} near {}", self.pos, self.last_word)
    }

    /// `inner` restricted to `field`: its words, and the group itself when kept for FT.EXPLAIN.
    fn scoped(&self, inner: Node, field: String) -> Node {
        let composite = matches!(inner, Node::And(_) | Node::Or(_) | Node::Not(_) | Node::Optional(_));
        let inner = scope(inner, &field);
        match self.scopes && composite {
            true => Node::Scoped { field, node: Box::new(inner) },
            false => inner,
        }
    }

    /// Does a plain word (or affix) start here?
    fn at_word(&self) -> bool {
        match self.peek() {
            Some(b'*') => self.s.get(self.pos + 1).is_some_and(|&c| word_byte(c)),
            Some(c) => word_byte(c),
            None => false,
        }
    }

    /// DIALECT 1's text after `@field:`: words, and `|` and a clause after them, as a union
    /// of runs.
    fn word_run(&mut self) -> Result<Node, ParseError> {
        let mut alts = Vec::new();
        let mut all = vec![self.word(None)?];
        loop {
            self.skip_ws();
            if self.at_word() {
                all.push(self.word(None)?);
                continue;
            }
            let save = self.pos;
            if self.peek() == Some(b'|') {
                self.pos += 1;
                self.skip_ws();
                // After a `|` any clause belongs to the union (`@t:a|@t:b` is `@t:(a|@t:b)`).
                if self.peek().is_some_and(|c| c != b')' && c != b'|') && !self.at("=>") {
                    alts.push(std::mem::take(&mut all));
                    all.push(if self.at_word() { self.word(None)? } else { self.term()? });
                    continue;
                }
            }
            self.pos = save;
            break;
        }
        alts.push(all);
        let mut alts: Vec<Node> =
            alts.into_iter().map(|mut a| if a.len() == 1 { a.remove(0) } else { Node::And(a) }).collect();
        Ok(if alts.len() == 1 { alts.remove(0) } else { Node::Or(alts) })
    }

    /// `"caching layers"`: the words up to the closing quote. A prefix has no place in a phrase.
    fn phrase(&mut self, field: Option<String>) -> Result<Node, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut words = Vec::new();
        loop {
            match self.peek() {
                // Unclosed: RediSearch points at the last word.
                None => {
                    return Err(match words.last() {
                        Some((at, word)) => format!("Syntax error at offset {at} near {word}"),
                        None => self.err(),
                    })
                }
                Some(b'"') if words.is_empty() => {
                    return match (&field, self.dialect >= 2 && self.pos == start + 1) {
                        (Some(f), true) => {
                            self.pos += 1;
                            Ok(Node::Empty { field: f.clone() })
                        }
                        _ => Err(self.err_near_last()),
                    };
                }
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                    let start = self.pos;
                    let word = self.token()?;
                    if self.peek() == Some(b'*') {
                        return Err(format!("Syntax error at offset {start} near {word}"));
                    }
                    words.push((start, word));
                }
                // Spaces and punctuation separate the words, as in the indexed text.
                Some(_) => self.pos += 1,
            }
        }
        // DIALECT 2 lexes a phrase as one token, DIALECT 1 word by word.
        self.last_word = if self.dialect >= 2 {
            String::from_utf8_lossy(&self.s[start + 1..self.pos - 1]).into_owned()
        } else {
            words.last().map(|(_, w)| w.clone()).unwrap_or_default()
        };
        Ok(Node::Phrase { field, words })
    }

    /// A word; a prefix when a `*` follows it at once (`cach*`), a suffix when one comes before
    /// it (`*ing`), and both make it an infix (`*ach*`).
    fn word(&mut self, field: Option<String>) -> Result<Node, ParseError> {
        self.skip_ws();
        let leading_star = self.peek() == Some(b'*');
        if leading_star {
            self.pos += 1;
        }
        let start = self.pos;
        let mut word = self.token()?;
        // DIALECT 2 reads `$name` as the parameter's value (`($a | $b)`); DIALECT 1 refuses it.
        if word.starts_with('$') {
            if self.dialect < 2 {
                return Err(format!("Syntax error at offset {start} near {}", self.last_word));
            }
            word = String::from_utf8_lossy(&self.param(&word)?).into_owned();
        }
        let word = word.to_ascii_lowercase();
        let trailing_star = self.peek() == Some(b'*');
        if trailing_star {
            self.pos += 1;
        }
        Ok(match (leading_star, trailing_star) {
            (false, false) => Node::Word { field, word },
            (false, true) => Node::Prefix { field, prefix: word },
            (true, false) => Node::Suffix { field, suffix: word },
            (true, true) => Node::Contains { field, infix: word },
        })
    }

    /// The text RediSearch quotes ("near ...") for an unexpected token at `at`: a word's own
    /// text (after a `*`, `$` or `@`), a phrase's inside in DIALECT 2, else nothing.
    fn token_text(&self, at: usize) -> String {
        let rest = self.s.get(at..).unwrap_or(&[]);
        if rest.first() == Some(&b'"') {
            if self.dialect < 2 {
                return String::new();
            }
            let inside = &rest[1..];
            let end = inside.iter().position(|&c| c == b'"').unwrap_or(inside.len());
            return String::from_utf8_lossy(&inside[..end]).into_owned();
        }
        let word = match rest.first() {
            Some(b'*' | b'$' | b'@') => &rest[1..],
            _ => rest,
        };
        let end = word.iter().position(|&c| !word_byte(c)).unwrap_or(word.len());
        String::from_utf8_lossy(&word[..end]).into_owned()
    }

    /// A query that is only `*`, in parentheses or not (`(*)` from DIALECT 2 on), before an
    /// optional `=>[KNN ...]`: where it ends, or RediSearch's error for what follows the `*`.
    /// None when the query is something else.
    fn star_query(&mut self) -> Option<Result<usize, ParseError>> {
        let near = |at: usize, text: &str| format!("Syntax error at offset {at} near {text}");
        self.skip_ws();
        let mut opens = 0;
        while self.peek() == Some(b'(') {
            opens += 1;
            self.pos += 1;
            self.skip_ws();
        }
        if self.peek() != Some(b'*') || self.s.get(self.pos + 1).is_some_and(|&c| word_byte(c)) {
            return None;
        }
        let star = self.pos;
        if opens > 0 && self.dialect < 2 {
            return Some(Err(near(star, "")));
        }
        self.pos += 1;
        // At the end of the text, RediSearch reports the last token's offset.
        let mut last = star;
        for _ in 0..opens {
            self.skip_ws();
            match self.peek() {
                Some(b')') => {
                    last = self.pos;
                    self.pos += 1;
                }
                None => return Some(Err(near(last, ""))),
                Some(_) => return Some(Err(near(self.pos, &self.token_text(self.pos)))),
            }
        }
        self.skip_ws();
        if self.at("=>") && self.dialect < 2 {
            // DIALECT 1 has no KNN: `parse` reports the arrow.
            return None;
        }
        if self.peek().is_none() || self.at("=>") {
            return Some(Ok(self.pos));
        }
        Some(Err(near(self.pos, &self.token_text(self.pos))))
    }

    /// `node` with the `=>{$weight: w; $slop: n; $inorder: bool}` that follows it, if any.
    fn with_attrs(&mut self, node: Node) -> Result<Node, ParseError> {
        self.skip_ws();
        if !(self.at("=>") && self.s.get(self.pos + 2) == Some(&b'{')) {
            return Ok(node);
        }
        let (mut weight, mut slop, mut inorder, mut phonetic) = (None, None, None, None);
        for (key, value) in self.attribute_list()? {
            let bad = || format!("Invalid value ({value}) for `{}`", key.trim_start_matches('$'));
            // RediSearch's ParseBoolean.
            let boolean = || match value.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(bad()),
            };
            match key.to_ascii_lowercase().as_str() {
                "$weight" => weight = Some(crate::float::parse_double(value.as_bytes()).ok_or_else(bad)?),
                "$slop" => slop = Some(crate::args::parse_i64(value.as_bytes()).ok_or_else(bad)?),
                "$inorder" => inorder = Some(boolean()?),
                "$phonetic" => phonetic = Some(boolean()?),
                _ => return Err(format!("Invalid attribute {}", key.trim_start_matches('$'))),
            }
        }
        // `$phonetic` is the word's own: a group keeps its words' defaults.
        let phonetic = phonetic.filter(|_| matches!(node, Node::Word { .. }));
        Ok(Node::Attr { node: Box::new(node), weight, slop, inorder, phonetic })
    }

    /// `=>{$name: value; ...}`'s pairs (the parser is at `=>{`).
    fn attribute_list(&mut self) -> Result<Vec<(String, String)>, ParseError> {
        self.pos += 3;
        let mut out = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(out);
            }
            let key = self.token()?;
            self.expect(b':')?;
            let value = self.token()?;
            out.push((key, value));
            self.skip_ws();
            if self.peek() == Some(b';') {
                self.pos += 1;
            }
        }
    }

    /// `=>{$YIELD_DISTANCE_AS: name}` after a range, if present.
    fn attributes(&mut self) -> Result<Option<String>, ParseError> {
        self.skip_ws();
        if !(self.at("=>") && self.s.get(self.pos + 2) == Some(&b'{')) {
            return Ok(None);
        }
        let pairs = self.attribute_list()?;
        Ok(pairs.into_iter().find(|(k, _)| k.eq_ignore_ascii_case("$yield_distance_as")).map(|(_, v)| v))
    }

    fn knn(&mut self) -> Result<Knn, ParseError> {
        self.expect(b'[')?;
        let word = self.token()?;
        if !word.eq_ignore_ascii_case("KNN") {
            return Err(self.err());
        }
        let k_tok = self.token()?;
        let k_raw = self.param(&k_tok)?;
        let k =
            crate::args::parse_i64(&k_raw).and_then(|k| usize::try_from(k).ok()).ok_or_else(|| self.err())?;
        self.skip_ws();
        if self.peek() != Some(b'@') {
            return Err(self.err());
        }
        self.pos += 1;
        let field = self.token()?;
        let b = self.token()?;
        let blob = self.param(&b)?;
        let blob_param = b.strip_prefix('$').map(str::to_string);
        let mut knn = Knn { k, field, blob, ef_runtime: None, score_as: None, attrs: Vec::new(), blob_param };
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(knn);
            }
            let opt = self.token()?;
            self.skip_ws();
            // A name without its value: RediSearch stops at the `]`, quoting the name.
            if matches!(self.peek(), None | Some(b']')) {
                return Err(format!("Syntax error at offset {} near {opt}", self.pos));
            }
            let value = self.token()?;
            if opt.eq_ignore_ascii_case("AS") {
                knn.score_as = Some(value);
                // `AS name` ends the attributes.
                self.skip_ws();
                if self.peek() != Some(b']') {
                    let at = self.pos;
                    return Err(format!("Syntax error at offset {at} near {}", self.token_text(at)));
                }
            } else {
                let raw = self.param(&value)?;
                knn.attrs.push((opt.to_ascii_uppercase(), raw));
            }
        }
    }
}

impl Knn {
    /// Check the KNN attributes as RediSearch does, in their order, for a field of HNSW
    /// (`hnsw`) or FLAT and a query with (`hybrid`) or without a filter; sets EF_RUNTIME.
    /// HYBRID_POLICY (ADHOC_BF or BATCHES) and BATCH_SIZE are checked and otherwise change
    /// nothing: the engine filters first and searches the filtered documents exactly, which is
    /// what both policies return on a playground's data.
    pub fn check_attrs(&mut self, hnsw: bool, hybrid: bool) -> Result<(), ParseError> {
        let fail = |m: &str| Err(format!("Error parsing vector similarity parameters: {m}"));
        let mut seen: Vec<&str> = Vec::new();
        let (mut adhoc, mut batch, mut ef) = (false, false, None);
        let positive = |v: &[u8]| crate::args::parse_i64(v).filter(|n| *n > 0);
        for (name, value) in &self.attrs {
            let name = name.as_str();
            let known = match name {
                "EF_RUNTIME" | "EPSILON" => hnsw,
                "HYBRID_POLICY" | "BATCH_SIZE" => true,
                _ => false,
            };
            if !known {
                return fail("Invalid option");
            }
            if seen.contains(&name) {
                return fail("Parameter was specified twice");
            }
            seen.push(name);
            match name {
                "EF_RUNTIME" => match positive(value) {
                    Some(n) => ef = usize::try_from(n).ok(),
                    None => return fail("Invalid value was given"),
                },
                "EPSILON" => return fail("range query attributes were sent for a non-range query"),
                _ if !hybrid => return fail("hybrid query attributes were sent for a non-hybrid query"),
                "HYBRID_POLICY" => {
                    if value.eq_ignore_ascii_case(b"ADHOC_BF") {
                        adhoc = true;
                    } else if !value.eq_ignore_ascii_case(b"BATCHES") {
                        return fail("invalid hybrid policy was given");
                    }
                }
                _ => {
                    if positive(value).is_none() {
                        return fail("Invalid value was given");
                    }
                    batch = true;
                }
            }
        }
        if adhoc && batch {
            return fail("'batch size' is irrelevant for 'ADHOC_BF' policy");
        }
        if adhoc && ef.is_some() {
            return fail("'EF_RUNTIME' is irrelevant for 'ADHOC_BF' policy");
        }
        self.ef_runtime = ef;
        Ok(())
    }
}

/// FT.SEARCH INFIELDS: the query's text clauses look in these fields only, as RediSearch's
/// field mask over the whole query: unscoped ones in all of them (one scope, see
/// [`super::index::scope_fields`]), scoped ones in those of their fields that are listed.
pub fn in_fields(node: Node, fields: &[String]) -> Node {
    rescope(node, &|f: Option<String>| match f {
        None => fields.join("\0"),
        Some(f) => {
            let kept: Vec<&str> =
                super::index::scope_fields(&f).filter(|x| fields.iter().any(|l| l == x)).collect();
            // No field left: a scope no attribute has.
            if kept.is_empty() {
                "\0".into()
            } else {
                kept.join("\0")
            }
        }
    })
}

/// Restrict unscoped words inside `@field:(...)` to `field`.
fn scope(node: Node, field: &str) -> Node {
    rescope(node, &|f: Option<String>| f.unwrap_or_else(|| field.to_string()))
}

/// `node` with the scope of each text clause given by `to` from its own.
fn rescope(node: Node, to: &dyn Fn(Option<String>) -> String) -> Node {
    let f = |field| Some(to(field));
    match node {
        Node::Word { field, word } => Node::Word { field: f(field), word },
        Node::Prefix { field, prefix } => Node::Prefix { field: f(field), prefix },
        Node::Suffix { field, suffix } => Node::Suffix { field: f(field), suffix },
        Node::Contains { field, infix } => Node::Contains { field: f(field), infix },
        Node::Fuzzy { field, word, dist } => Node::Fuzzy { field: f(field), word, dist },
        Node::Phrase { field, words } => Node::Phrase { field: f(field), words },
        Node::Not(n) => Node::Not(Box::new(rescope(*n, to))),
        Node::Optional(n) => Node::Optional(Box::new(rescope(*n, to))),
        Node::Attr { node, weight, slop, inorder, phonetic } => {
            Node::Attr { node: Box::new(rescope(*node, to)), weight, slop, inorder, phonetic }
        }
        Node::Scoped { field, node } => Node::Scoped { field, node: Box::new(rescope(*node, to)) },
        Node::And(v) => Node::And(v.into_iter().map(|n| rescope(n, to)).collect()),
        Node::Or(v) => Node::Or(v.into_iter().map(|n| rescope(n, to)).collect()),
        other => other,
    }
}

/// Parse a query string for `dialect`.
pub fn parse(query: &[u8], params: &HashMap<String, Bytes>, dialect: i64) -> Result<Query, ParseError> {
    parse_with(query, params, dialect, false)
}

/// [`parse`], keeping `@field:(...)` groups as [`Node::Scoped`] when `scopes` (FT.EXPLAIN).
pub fn parse_with(
    query: &[u8],
    params: &HashMap<String, Bytes>,
    dialect: i64,
    scopes: bool,
) -> Result<Query, ParseError> {
    let mut p = Parser { s: query, pos: 0, params, dialect, last_word: String::new(), scopes, tilde: false };
    // An empty query is no error: it finds nothing.
    if query.iter().all(u8::is_ascii_whitespace) {
        return Ok(Query { filter: Node::Or(Vec::new()), knn: None });
    }
    let star = p.star_query().transpose()?;
    if dialect < 2 {
        if let Some(i) = query.windows(3).position(|w| w == b"=>[") {
            return Err(arrow_error(i, i, query));
        }
    }
    let filter = match star {
        Some(end) => {
            p.pos = end;
            Node::All
        }
        None => {
            p.pos = 0;
            p.union()?
        }
    };
    p.skip_ws();
    let mut knn = None;
    if p.at("=>") && star.is_some() {
        p.pos += 2;
        knn = Some(p.knn()?);
    } else if p.at("=>") {
        // What KNN filters must be one clause: `*`, a parenthesized group, a field clause or a
        // word. `-a=>[...]`, `a b=>[...]` or `a | b=>[...]` bind the arrow to the last clause
        // only, which RediSearch refuses.
        let arrow = p.pos;
        let mut probe = Parser {
            s: &query[..arrow],
            pos: 0,
            params,
            dialect,
            last_word: String::new(),
            scopes,
            tilde: false,
        };
        probe.skip_ws();
        let single = probe.peek() != Some(b'-') && probe.term().is_ok() && {
            probe.skip_ws();
            probe.pos == arrow
        };
        if !single {
            return Err(arrow_error(arrow + 2, arrow, query));
        }
        p.pos += 2;
        knn = Some(p.knn()?);
    }
    p.skip_ws();
    if p.pos < query.len() {
        return Err(p.err());
    }
    Ok(Query { filter, knn })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(query: &str, dialect: i64) -> Result<Node, ParseError> {
        parse(query.as_bytes(), &HashMap::new(), dialect).map(|q| q.filter)
    }

    #[test]
    fn stars_make_affixes_or_the_whole_query() {
        let field = None;
        assert_eq!(parsed("*ing", 2), Ok(Node::Suffix { field: field.clone(), suffix: "ing".into() }));
        assert_eq!(parsed("*ACH*", 2), Ok(Node::Contains { field: field.clone(), infix: "ach".into() }));
        assert_eq!(parsed("cach*", 2), Ok(Node::Prefix { field, prefix: "cach".into() }));
        assert_eq!(parsed("((*))", 2), Ok(Node::All));
        assert_eq!(parsed("mod *", 2), Err("Syntax error at offset 4 near mod".into()));
        assert_eq!(parsed("(*) mod", 2), Err("Syntax error at offset 4 near mod".into()));
        assert_eq!(parsed("(*)", 1), Err("Syntax error at offset 1 near ".into()));
        assert_eq!(parsed("a \"b c\" *", 2), Err("Syntax error at offset 8 near b c".into()));
        assert_eq!(parsed("a \"b c\" *", 1), Err("Syntax error at offset 8 near c".into()));
    }
}
