//! Just enough JSON for the page's own small documents (the saved state, exported files, the
//! backend choice): a value tree that reads any RFC 8259 text, and a string writer.
//!
//! Why not serde_json: serde's generated code and serde_json's parser and float printer were
//! 36 KB of the page's gzipped wasm (measured: 456.6 KB with them, 420.0 KB without), a tenth of
//! the page's download, for three fixed document shapes with no floats in them. The lazily
//! loaded labs module still uses serde_json; the tests check this reader against it.
//!
//! Numbers keep their text, so a `u64` deadline or maxmemory reads back exactly (an f64 would
//! round above 2^53).

/// Deepest nesting read, as serde_json's default recursion limit: an imported file cannot
/// overflow the stack.
const MAX_DEPTH: usize = 128;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written (already checked to be valid JSON and finite).
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in document order; [`Json::get`] takes the last of repeated names, as a map would.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Read a whole JSON text; the error says what was wrong and where (line and column).
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader { text: text.as_bytes(), at: 0, depth: 0 };
        reader.skip_space();
        let value = reader.value()?;
        reader.skip_space();
        if reader.at < reader.text.len() {
            return Err(reader.error("trailing characters"));
        }
        Ok(value)
    }

    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A non-negative integer written without fraction or exponent, as serde reads a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }
}

/// Append `s` as a JSON string literal, escaped as serde_json escapes it: the engine's writer,
/// which RedisJSON's replies use too.
pub use playground_engine::types::json::write_str;

/// A cursor over the text being read.
struct Reader<'a> {
    text: &'a [u8],
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    /// `what` at the current position, counted in lines and columns from 1 as editors do.
    fn error(&self, what: &str) -> String {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count();
        format!("{what} at line {line} column {column}")
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn value(&mut self) -> Result<Json, String> {
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'{') => self.nested(Reader::object),
            Some(b'[') => self.nested(Reader::array),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.literal(),
        }
    }

    /// Run `read` one level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested(&mut self, read: fn(&mut Self) -> Result<Json, String>) -> Result<Json, String> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.at += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self) -> Result<Json, String> {
        for (word, value) in [("true", Json::Bool(true)), ("false", Json::Bool(false)), ("null", Json::Null)]
        {
            if self.text[self.at..].starts_with(word.as_bytes()) {
                self.at += word.len();
                return Ok(value);
            }
        }
        Err(self.error("expected value"))
    }

    fn array(&mut self) -> Result<Json, String> {
        let mut items = Vec::new();
        self.skip_space();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value()?);
            self.skip_space();
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.error(self.unexpected("expected `,` or `]`")));
            }
        }
    }

    fn object(&mut self) -> Result<Json, String> {
        let mut members = Vec::new();
        self.skip_space();
        if self.eat(b'}') {
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error(self.unexpected("key must be a string")));
            }
            let name = self.string()?;
            self.skip_space();
            if !self.eat(b':') {
                return Err(self.error(self.unexpected("expected `:`")));
            }
            self.skip_space();
            members.push((name, self.value()?));
            self.skip_space();
            if self.eat(b'}') {
                return Ok(Json::Object(members));
            }
            if !self.eat(b',') {
                return Err(self.error(self.unexpected("expected `,` or `}`")));
            }
        }
    }

    /// `what`, or the end of input when that is what came instead.
    fn unexpected(&self, what: &'static str) -> &'static str {
        if self.peek().is_none() {
            "EOF while parsing"
        } else {
            what
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, finite.
    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        self.eat(b'-');
        let leading_zero = self.peek() == Some(b'0');
        let int_digits = self.digits();
        if int_digits == 0 {
            return Err(self.error("invalid number"));
        }
        if leading_zero && int_digits > 1 {
            return Err(self.error("invalid number"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.error("invalid number"));
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        // Digits and signs only, so the slice is ASCII.
        let text = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        // As serde_json: what no u64/i64 holds must still be a finite f64 (`1e400` and a
        // 400-digit integer are refused).
        if !playground_engine::decimal::parse_f64(&text).is_some_and(f64::is_finite) {
            return Err(self.error("number out of range"));
        }
        Ok(Json::Number(text))
    }

    /// A string literal, the cursor on its opening quote.
    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let Some(byte) = self.peek() else { return Err(self.error("EOF while parsing a string")) };
            self.at += 1;
            match byte {
                b'"' => break,
                b'\\' => self.escape(&mut out)?,
                0..=0x1f => {
                    return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                _ => out.push(byte),
            }
        }
        // The input is a &str and escapes push whole chars, so this only fails on a bug.
        String::from_utf8(out).map_err(|_| self.error("invalid unicode in string"))
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        let Some(byte) = self.peek() else { return Err(self.error("EOF while parsing a string")) };
        self.at += 1;
        let simple = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(out),
            _ => return Err(self.error("invalid escape")),
        };
        out.push(simple);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits =
            self.text.get(self.at..self.at + 4).ok_or_else(|| self.error("EOF while parsing a string"))?;
        let value = std::str::from_utf8(digits)
            .ok()
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error("invalid escape"))?;
        self.at += 4;
        Ok(value)
    }

    /// `\uXXXX`, with a surrogate pair as one character; a lone surrogate is an error, as in
    /// serde_json (it could not become a Rust string).
    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.text[self.at..].starts_with(b"\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
            code => code,
        };
        let c = char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))?;
        let mut buf = [0; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Ours as serde_json's value, to compare the two readers.
    fn to_serde(value: &Json) -> serde_json::Value {
        match value {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(*b),
            Json::Number(n) => serde_json::from_str(n).expect("our numbers are serde_json numbers"),
            Json::String(s) => serde_json::Value::String(s.clone()),
            Json::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
            Json::Object(members) => {
                serde_json::Value::Object(members.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect())
            }
        }
    }

    fn same_as_serde_json(text: &str) {
        let ours = Json::parse(text);
        let theirs = serde_json::from_str::<serde_json::Value>(text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(&to_serde(a), b, "{text:?}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    #[test]
    fn reads_what_serde_json_reads_and_refuses_what_it_refuses() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "12",
            "-3.25e+2",
            "1E5",
            "1.5e-7",
            "18446744073709551615",
            "\"\"",
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""\u00e9\ud83d\ude00""#,
            "\"é😀\"",
            "[]",
            "[1,[2,[]]]",
            "{}",
            r#"{"a":1,"b":{"c":[null]}}"#,
            r#"{"a":1,"a":2}"#,
            "\n[ 1 ,\t2 ]\r\n",
            // Refused by both:
            "",
            " ",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "1e+",
            "+1",
            "1e400",
            "-1e999",
            "tru",
            "nul",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{a:1}",
            "[",
            "{",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\u{1}b\"",
            "1 2",
            "[]]",
            "NaN",
            "Infinity",
        ] {
            same_as_serde_json(text);
        }
        // Integers beyond u64 are floats to serde_json: fine while finite, refused past f64.
        same_as_serde_json(&format!("1{}", "0".repeat(30)));
        same_as_serde_json(&format!("1{}", "0".repeat(400)));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(Json::parse(&deep).unwrap_err().starts_with("recursion limit exceeded"));
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Json::parse(&fine).is_ok());
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(Json::parse("{\"a\":\n  tru}").unwrap_err(), "expected value at line 2 column 2");
        assert_eq!(Json::parse("[1").unwrap_err(), "EOF while parsing at line 1 column 2");
    }

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(Json::parse("18446744073709551615").unwrap().as_u64(), Some(u64::MAX));
        assert_eq!(Json::parse("9007199254740993").unwrap().as_u64(), Some(9_007_199_254_740_993));
        assert_eq!(Json::parse("1.0").unwrap().as_u64(), None);
        assert_eq!(Json::parse("-1").unwrap().as_u64(), None);
    }

    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_string()),
            any::<bool>().prop_map(|b| b.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            (-1e6f64..1e6).prop_map(|f| format!("{f:e}")),
            "\\PC{0,8}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[a-c]{0,2}", inner), 0..5).prop_map(|members| {
                    let body: Vec<String> = members
                        .iter()
                        .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
                        .collect();
                    format!("{{ {} }}", body.join(" , "))
                }),
            ]
        })
    }

    proptest! {
        /// Valid documents, and the same documents with one byte cut out or one inserted.
        #[test]
        fn agrees_with_serde_json(text in json_text(), cut in any::<prop::sample::Index>(), byte in prop::sample::select(b"[]{}\",:\\ 0-eu".to_vec())) {
            same_as_serde_json(&text);
            let at = cut.index(text.len() + 1);
            if text.is_char_boundary(at) {
                let mut shorter = text.clone();
                if at < text.len() && text.is_char_boundary(at + 1) {
                    shorter.remove(at);
                    same_as_serde_json(&shorter);
                }
                let mut longer = text.clone();
                longer.insert(at, byte as char);
                same_as_serde_json(&longer);
            }
        }

        /// What we write, serde_json reads back to the same string.
        #[test]
        fn written_strings_read_back(s in "\\PC{0,16}|[\\x00-\\x1f\"\\\\]{0,8}") {
            let mut out = String::new();
            write_str(&mut out, &s);
            prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s.clone());
            prop_assert_eq!(out, serde_json::to_string(&s).unwrap());
        }
    }
}
