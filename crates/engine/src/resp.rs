//! RESP2/RESP3 codec: incremental parsing in two phases (enough bytes yet? then decode).
//!
//! Two entry points, because a server and a client read different things:
//! - [`parse_command`] reads what a client sends: a multibulk of bulk strings, or an inline line
//!   as `redis-cli` and telnet send it (`PING\r\n`). Errors carry Redis's own protocol-error text.
//! - [`parse_frame`] reads any reply frame, RESP3 types included (the page and the proxy decode
//!   server replies with it).
//!
//! Both return `Ok(None)` when the buffer holds only part of a frame, so callers keep reading.
//! Integers are `i64`; nesting depth and sizes are bounded so hostile input cannot exhaust memory.

use crate::frame::Frame;
use bytes::Bytes;

/// Bounds applied while parsing untrusted input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest bulk string accepted (Redis's `proto-max-bulk-len`, 512 MB by default).
    pub max_bulk_len: usize,
    /// Most elements in one aggregate (Redis refuses a multibulk length over `INT_MAX`).
    pub max_array_len: usize,
    /// Deepest nesting of aggregates in a reply frame.
    pub max_depth: usize,
    /// Longest inline command line (Redis: 64 KB).
    pub max_inline_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bulk_len: 512 * 1024 * 1024,
            max_array_len: i32::MAX as usize,
            max_depth: 128,
            max_inline_len: 64 * 1024,
        }
    }
}

/// A malformed stream. The message is what Redis replies before closing the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError(pub String);

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProtocolError {}

fn protocol_error(what: &str) -> ProtocolError {
    ProtocolError(format!("ERR Protocol error: {what}"))
}

/// Position of the next CRLF-terminated line starting at `from`, as (line end, next start).
fn find_line(buf: &[u8], mut from: usize) -> Option<(usize, usize)> {
    loop {
        // Look for CR first (a single-byte search the compiler vectorises), then check the LF.
        let cr = from + buf.get(from..)?.iter().position(|&b| b == b'\r')?;
        match buf.get(cr + 1) {
            Some(b'\n') => return Some((cr, cr + 2)),
            Some(_) => from = cr + 1,
            None => return None,
        }
    }
}

/// A RESP length or integer. Short plain decimals (every length a client sends) are read
/// directly; anything else goes through `str::parse`, whose rules this keeps.
fn parse_i64(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, bytes),
    };
    if !digits.is_empty() && digits.len() <= 18 && digits.iter().all(u8::is_ascii_digit) {
        let n = digits.iter().fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
        return Some(if negative { -n } else { n });
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// Parse one client command from `buf`: `Ok(Some((args, consumed)))`, `Ok(None)` if incomplete.
/// An empty inline line yields an empty argument list (Redis ignores it).
///
/// Stateless: each call scans the command from its start. A server that reads a large command
/// in many pieces keeps a [`CommandParser`] instead, which resumes where the last call stopped.
pub fn parse_command(buf: &[u8], limits: &Limits) -> Result<Option<(Vec<Bytes>, usize)>, ProtocolError> {
    CommandParser::default().parse(buf, limits)
}

/// A client command read incrementally, as Redis's `processMultibulkBuffer` does: the arguments
/// already found are remembered, so a command that arrives in many reads (a multibulk of a
/// million arguments, a 500 MB value) is scanned once, not once per read.
///
/// Call [`CommandParser::parse`] with the buffer that starts at the current command, grown by
/// whatever arrived since; after a complete command (or an error) the state resets, and the caller
/// drops the consumed bytes before the next call. Nothing is allocated from an announced length:
/// the buffer holds only bytes that arrived.
#[derive(Debug, Default, Clone)]
pub struct CommandParser {
    /// Arguments still to find in the current multibulk (`None` before its header is read).
    remaining: Option<usize>,
    /// Where the next argument's `$` line starts.
    pos: usize,
    /// Length of the argument at `pos`, once its `$` line is read.
    bulk: Option<(usize, usize)>,
    /// The arguments found so far, as ranges of the buffer.
    ranges: Vec<std::ops::Range<usize>>,
}

impl CommandParser {
    /// Parse (or go on parsing) the command at the start of `buf`; see [`parse_command`].
    pub fn parse(
        &mut self,
        buf: &[u8],
        limits: &Limits,
    ) -> Result<Option<(Vec<Bytes>, usize)>, ProtocolError> {
        let result = self.resume(buf, limits);
        if !matches!(result, Ok(None)) {
            *self = CommandParser::default();
        }
        result
    }

    fn resume(&mut self, buf: &[u8], limits: &Limits) -> Result<Option<(Vec<Bytes>, usize)>, ProtocolError> {
        let remaining = match self.remaining {
            Some(n) => n,
            None => {
                if buf.is_empty() {
                    return Ok(None);
                }
                if buf[0] != b'*' {
                    return parse_inline(buf, limits);
                }
                let Some((end, pos)) = find_line(buf, 1) else {
                    if buf.len() > limits.max_inline_len {
                        return Err(protocol_error("too big mbulk count string"));
                    }
                    return Ok(None);
                };
                let count = parse_length(&buf[1..end])
                    .filter(|&n| n <= limits.max_array_len as i64)
                    .ok_or_else(|| protocol_error("invalid multibulk length"))?;
                if count <= 0 {
                    return Ok(Some((Vec::new(), pos)));
                }
                self.pos = pos;
                self.ranges = Vec::with_capacity((count as usize).min(1024));
                count as usize
            }
        };
        self.remaining = Some(remaining);
        while self.remaining.is_some_and(|n| n > 0) {
            let pos = self.pos;
            let (start, len) = match self.bulk {
                Some(known) => known,
                None => {
                    let Some(&tag) = buf.get(pos) else { return Ok(None) };
                    if tag != b'$' {
                        return Err(protocol_error(&format!("expected '$', got '{}'", tag as char)));
                    }
                    let Some((end, start)) = find_line(buf, pos + 1) else {
                        if buf.len() - pos > limits.max_inline_len {
                            return Err(protocol_error("too big bulk count string"));
                        }
                        return Ok(None);
                    };
                    let len = parse_length(&buf[pos + 1..end])
                        .filter(|&n| n >= 0 && n as u64 <= limits.max_bulk_len as u64)
                        .ok_or_else(|| protocol_error("invalid bulk length"))?;
                    self.bulk = Some((start, len as usize));
                    (start, len as usize)
                }
            };
            // Redis skips the two bytes after the value without looking at them.
            if buf.len() < start + len + 2 {
                return Ok(None);
            }
            self.ranges.push(start..start + len);
            self.pos = start + len + 2;
            self.bulk = None;
            self.remaining = self.remaining.map(|n| n - 1);
        }
        let end = self.pos;
        // Copy the command once: its arguments share one allocation instead of one each (a
        // stored value keeps only its own command's bytes alive).
        let first = self.ranges.first().map_or(end, |r| r.start);
        let shared = Bytes::copy_from_slice(&buf[first..end]);
        let args = self.ranges.drain(..).map(|r| shared.slice(r.start - first..r.end - first)).collect();
        Ok(Some((args, end)))
    }
}

/// A multibulk or bulk length as Redis's `string2ll` reads it: an optional `-`, then digits with
/// no leading zero (`0` alone is fine); no `+`, no spaces, nothing past `i64`.
fn parse_length(bytes: &[u8]) -> Option<i64> {
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    if digits.is_empty() || (digits.len() > 1 && digits[0] == b'0') || !digits.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    if bytes == b"-0" {
        return None;
    }
    parse_i64(bytes)
}

/// Inline commands: one line split on spaces, with redis-cli-style quoting.
fn parse_inline(buf: &[u8], limits: &Limits) -> Result<Option<(Vec<Bytes>, usize)>, ProtocolError> {
    let Some(nl) = buf.iter().position(|&b| b == b'\n') else {
        if buf.len() > limits.max_inline_len {
            return Err(protocol_error("too big inline request"));
        }
        return Ok(None);
    };
    let mut line = &buf[..nl];
    if line.last() == Some(&b'\r') {
        line = &line[..line.len() - 1];
    }
    let args = split_args(line).ok_or_else(|| protocol_error("unbalanced quotes in request"))?;
    Ok(Some((args.into_iter().map(Bytes::from).collect(), nl + 1)))
}

/// Split a command line into arguments the way Redis's `sdssplitargs` does (and so redis-cli):
/// spaces separate, `"..."` understands `\n \r \t \b \a \\ \" \xHH`, `'...'` only `\'`.
/// A closing quote must be followed by a space or the end. `None` on unbalanced quotes.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut args = Vec::new();
    let mut i = 0;
    loop {
        while i < line.len() && line[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= line.len() {
            return Some(args);
        }
        let mut current = Vec::new();
        let mut in_double = false;
        let mut in_single = false;
        loop {
            if in_double {
                let c = *line.get(i)?;
                if c == b'\\'
                    && i + 3 < line.len()
                    && line[i + 1] == b'x'
                    && is_hex(line[i + 2])
                    && is_hex(line[i + 3])
                {
                    current.push(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                    i += 3;
                } else if c == b'\\' && i + 1 < line.len() {
                    i += 1;
                    current.push(match line[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                } else if c == b'"' {
                    if i + 1 < line.len() && !line[i + 1].is_ascii_whitespace() {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    current.push(c);
                }
            } else if in_single {
                let c = *line.get(i)?;
                if c == b'\\' && i + 1 < line.len() && line[i + 1] == b'\'' {
                    i += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < line.len() && !line[i + 1].is_ascii_whitespace() {
                        return None;
                    }
                    i += 1;
                    break;
                } else {
                    current.push(c);
                }
            } else {
                match line.get(i) {
                    None => break,
                    Some(c) if c.is_ascii_whitespace() => break,
                    Some(b'"') => in_double = true,
                    Some(b'\'') => in_single = true,
                    Some(&c) => current.push(c),
                }
            }
            i += 1;
        }
        args.push(current);
    }
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// Encode a command as a RESP multibulk of bulk strings (what clients send).
pub fn encode_command<A: AsRef<[u8]>>(args: &[A], out: &mut Vec<u8>) {
    out.push(b'*');
    out.extend_from_slice(args.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
    for arg in args {
        let arg = arg.as_ref();
        out.push(b'$');
        out.extend_from_slice(arg.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
}

/// Parse one reply frame (RESP2 or RESP3): `Ok(Some((frame, consumed)))`, `Ok(None)` if incomplete.
pub fn parse_frame(buf: &[u8], limits: &Limits) -> Result<Option<(Frame, usize)>, ProtocolError> {
    parse_at(buf, 0, limits, 0)
}

fn parse_at(
    buf: &[u8],
    pos: usize,
    limits: &Limits,
    depth: usize,
) -> Result<Option<(Frame, usize)>, ProtocolError> {
    if depth > limits.max_depth {
        return Err(protocol_error("nesting too deep"));
    }
    let Some(&tag) = buf.get(pos) else { return Ok(None) };
    let Some((end, next)) = find_line(buf, pos + 1) else { return Ok(None) };
    let line = &buf[pos + 1..end];
    let text = || String::from_utf8_lossy(line).into_owned();
    let int = || parse_i64(line).ok_or_else(|| protocol_error("invalid integer"));
    let frame = match tag {
        b'+' => Frame::Simple(text()),
        b'-' => Frame::Error(text()),
        b':' => Frame::Integer(int()?),
        b'_' => Frame::Null,
        b'#' => match line {
            b"t" => Frame::Boolean(true),
            b"f" => Frame::Boolean(false),
            _ => return Err(protocol_error("invalid boolean")),
        },
        b',' => {
            let d = crate::float::parse_double(line)
                .or_else(|| (line.eq_ignore_ascii_case(b"nan")).then_some(f64::NAN))
                .ok_or_else(|| protocol_error("invalid double"))?;
            Frame::Double(d)
        }
        b'(' => Frame::BigNumber(String::from_utf8_lossy(line).into_owned()),
        b'$' | b'=' | b'!' => {
            let len = int()?;
            if len < 0 {
                return Ok(Some((Frame::Null, next)));
            }
            let len = len as usize;
            if len > limits.max_bulk_len {
                return Err(protocol_error("invalid bulk length"));
            }
            if buf.len() < next + len + 2 {
                return Ok(None);
            }
            let body = &buf[next..next + len];
            let consumed = next + len + 2;
            let frame = match tag {
                b'$' => Frame::Bulk(Bytes::copy_from_slice(body)),
                b'=' => Frame::Verbatim(Bytes::copy_from_slice(body.get(4..).unwrap_or_default())),
                _ => Frame::Error(String::from_utf8_lossy(body).into_owned()),
            };
            return Ok(Some((frame, consumed)));
        }
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let count = int()?;
            if count < 0 {
                return Ok(Some((Frame::NullArray, next)));
            }
            let count = count as usize;
            if count > limits.max_array_len {
                return Err(protocol_error("invalid multibulk length"));
            }
            let items_wanted = if matches!(tag, b'%' | b'|') { count * 2 } else { count };
            let mut items = Vec::with_capacity(items_wanted.min(1024));
            let mut at = next;
            for _ in 0..items_wanted {
                match parse_at(buf, at, limits, depth + 1)? {
                    Some((item, used)) => {
                        items.push(item);
                        at = used;
                    }
                    None => return Ok(None),
                }
            }
            let frame = match tag {
                b'*' => Frame::Array(items),
                b'~' => Frame::Set(items),
                b'>' => Frame::Push(items),
                _ => {
                    let mut pairs = Vec::with_capacity(items.len() / 2);
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    if tag == b'|' {
                        // Attributes annotate the frame that follows: one frame with both.
                        let Some((reply, used)) = parse_at(buf, at, limits, depth + 1)? else {
                            return Ok(None);
                        };
                        return Ok(Some((Frame::Attributed(pairs, Box::new(reply)), used)));
                    }
                    Frame::Map(pairs)
                }
            };
            return Ok(Some((frame, at)));
        }
        other => return Err(protocol_error(&format!("unknown frame type '{}'", other as char))),
    };
    Ok(Some((frame, next)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attribute_comes_with_the_reply_it_annotates() {
        let l = Limits::default();
        let wire = b"|1\r\n+a\r\n:1\r\n$1\r\nx\r\n";
        let attributed = Frame::Attributed(
            vec![(Frame::Simple("a".into()), Frame::Integer(1))],
            Box::new(Frame::bulk("x")),
        );
        assert_eq!(parse_frame(wire, &l).unwrap(), Some((attributed.clone(), wire.len())));
        assert_eq!(parse_frame(&wire[..wire.len() - 3], &l).unwrap(), None);
        assert_eq!(attributed.to_bytes(crate::Protocol::Resp3), wire);
        assert_eq!(attributed.encoded_len(crate::Protocol::Resp3), wire.len());
        assert_eq!(attributed.to_bytes(crate::Protocol::Resp2), b"$1\r\nx\r\n");
        assert_eq!(attributed.encoded_len(crate::Protocol::Resp2), 7);
    }

    #[test]
    fn inline_and_multibulk() {
        let l = Limits::default();
        let (args, used) = parse_command(b"PING\r\n", &l).unwrap().unwrap();
        assert_eq!((args, used), (vec![Bytes::from("PING")], 6));
        let (args, _) = parse_command(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", &l).unwrap().unwrap();
        assert_eq!(args, vec![Bytes::from("GET"), Bytes::from("k")]);
        assert_eq!(parse_command(b"*2\r\n$3\r\nGET\r\n$1\r\n", &l).unwrap(), None);
        assert_eq!(
            split_args(br#"set "a b" '\'' "\x41\n""#).unwrap(),
            vec![b"set".to_vec(), b"a b".to_vec(), b"'".to_vec(), b"A\n".to_vec()]
        );
        assert_eq!(split_args(br#"get "a"b"#), None);
    }

    #[test]
    fn lengths_as_redis_reads_them() {
        let l = Limits::default();
        let err = |wire: &[u8]| parse_command(wire, &l).unwrap_err().0;
        for bad in [&b"*01\r\n"[..], b"*+1\r\n", b"* 1\r\n", b"*-0\r\n", b"*abc\r\n", b"*2147483648\r\n"] {
            assert_eq!(
                err(bad),
                "ERR Protocol error: invalid multibulk length",
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        for bad in [&b"*1\r\n$04\r\n"[..], b"*1\r\n$-1\r\n", b"*1\r\n$ 4\r\n", b"*1\r\n$536870913\r\n"] {
            assert_eq!(
                err(bad),
                "ERR Protocol error: invalid bulk length",
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        // Announced, not yet sent: wait (nothing is reserved for it).
        assert_eq!(parse_command(b"*2147483647\r\n", &l).unwrap(), None);
        assert_eq!(parse_command(b"*1\r\n$536870912\r\n", &l).unwrap(), None);
        assert_eq!(parse_command(b"*-5\r\n", &l).unwrap(), Some((vec![], 5)));
        assert_eq!(err(&[b'x'; 64 * 1024 + 1]), "ERR Protocol error: too big inline request");
        assert_eq!(err(b"set a \"b\r\n"), "ERR Protocol error: unbalanced quotes in request");
    }

    #[test]
    fn a_command_read_in_pieces_resumes_where_it_stopped() {
        let l = Limits::default();
        let wire = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n+extra";
        let complete = wire.len() - b"+extra".len();
        let mut parser = CommandParser::default();
        for cut in 0..complete {
            assert_eq!(parser.parse(&wire[..cut], &l).unwrap(), None, "cut at {cut}");
        }
        let (args, used) = parser.parse(wire, &l).unwrap().unwrap();
        assert_eq!(args, vec![Bytes::from("SET"), Bytes::from("k"), Bytes::from("value")]);
        assert_eq!(used, complete);
        // The state was reset: the next command starts fresh.
        assert_eq!(parser.parse(b"PING\r\n", &l).unwrap(), Some((vec![Bytes::from("PING")], 6)));
    }
}
