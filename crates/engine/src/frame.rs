//! The reply value: one type for everything the engine can answer, with its wire form in RESP2
//! and RESP3.
//!
//! Commands build RESP3-shaped frames (maps, sets, doubles, booleans); `encode` lowers them to
//! RESP2 the way Redis 7.4 does when a client has not sent `HELLO 3` (maps flatten into arrays,
//! doubles become bulk strings, nulls keep the RESP2 kind they had before RESP3 existed).

use bytes::Bytes;

/// RESP protocol version spoken by a client (`HELLO 2` / `HELLO 3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    #[default]
    Resp2,
    Resp3,
}

/// A reply (or request) frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// `+OK`: a short status line, never containing CR or LF.
    Simple(String),
    /// `-ERR ...`: the full error line including its kind prefix (`ERR`, `WRONGTYPE`, ...).
    Error(String),
    /// `:42`.
    Integer(i64),
    /// `$3\r\nfoo`: binary-safe bytes.
    Bulk(Bytes),
    /// Missing value: `$-1` in RESP2, `_` in RESP3 (GET on a missing key).
    Null,
    /// Missing aggregate: `*-1` in RESP2, `_` in RESP3 (BLPOP timeout, EXEC aborted by WATCH).
    NullArray,
    /// `*n`: an ordered list.
    Array(Vec<Frame>),
    /// `%n` in RESP3; a flat array of key, value, key, value in RESP2.
    Map(Vec<(Frame, Frame)>),
    /// `~n` in RESP3; an array in RESP2.
    Set(Vec<Frame>),
    /// `,1.5` in RESP3; a bulk string in RESP2 formatted as Redis formats doubles.
    Double(f64),
    /// A coordinate as Redis's `addReplyHumanLongDouble` writes it (GEOPOS, WITHCOORD): the
    /// digits of [`crate::float::human_double`], as a `,` line in RESP3 and a bulk string in RESP2.
    HumanDouble(f64),
    /// `#t` / `#f` in RESP3; `:1` / `:0` in RESP2.
    Boolean(bool),
    /// `=n\r\ntxt:...` in RESP3 (INFO, CLIENT INFO); a bulk string in RESP2.
    Verbatim(Bytes),
    /// `$n\r\n` and n bytes with no CRLF after them: the RDB file a primary sends a replica
    /// after SYNC or PSYNC (Redis's `sendBulkToSlave`), in both protocols.
    Transfer(Bytes),
    /// `>n` in RESP3 (pub/sub messages); an array in RESP2.
    Push(Vec<Frame>),
    /// `(digits` in RESP3 (DEBUG PROTOCOL BIGNUM, a script's `{big_number=...}`); a bulk string
    /// in RESP2. Never contains CR or LF.
    BigNumber(String),
    /// A reply with attributes about it (DEBUG PROTOCOL ATTRIB): `|n` and the attribute map
    /// before the reply in RESP3; the reply alone in RESP2, where attributes do not exist.
    Attributed(Vec<(Frame, Frame)>, Box<Frame>),
}

impl Frame {
    /// `+OK`, the most common reply.
    pub fn ok() -> Frame {
        Frame::Simple("OK".into())
    }

    /// A bulk string from anything byte-like.
    pub fn bulk(b: impl Into<Bytes>) -> Frame {
        Frame::Bulk(b.into())
    }

    /// A bulk string copied from a byte slice.
    pub fn bulk_from(b: &[u8]) -> Frame {
        Frame::Bulk(Bytes::copy_from_slice(b))
    }

    /// A bulk string holding `v` in decimal, as Redis writes integers stored in strings.
    pub fn bulk_int(v: i64) -> Frame {
        Frame::Bulk(Bytes::from(v.to_string()))
    }

    /// An array of bulk strings.
    pub fn bulks<I, B>(items: I) -> Frame
    where
        I: IntoIterator<Item = B>,
        B: Into<Bytes>,
    {
        Frame::Array(items.into_iter().map(|b| Frame::Bulk(b.into())).collect())
    }

    /// True for error replies.
    pub fn is_error(&self) -> bool {
        matches!(self, Frame::Error(_))
    }

    /// The bytes of a bulk or simple string, if this is one.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Frame::Bulk(b) | Frame::Verbatim(b) => Some(b),
            Frame::Simple(s) | Frame::BigNumber(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Frame::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// Append the wire form of this frame for a client speaking `proto`.
    pub fn encode(&self, proto: Protocol, out: &mut Vec<u8>) {
        let resp3 = proto == Protocol::Resp3;
        match self {
            Frame::Simple(s) => line(out, b'+', s.as_bytes()),
            Frame::Error(s) => line(out, b'-', s.as_bytes()),
            Frame::Integer(i) => {
                out.push(b':');
                push_decimal(out, *i);
                out.extend_from_slice(b"\r\n");
            }
            Frame::Bulk(b) => bulk(out, b'$', b),
            Frame::Null if resp3 => out.extend_from_slice(b"_\r\n"),
            Frame::Null => out.extend_from_slice(b"$-1\r\n"),
            Frame::NullArray if resp3 => out.extend_from_slice(b"_\r\n"),
            Frame::NullArray => out.extend_from_slice(b"*-1\r\n"),
            Frame::Array(items) => aggregate(out, b'*', items, proto),
            Frame::Set(items) => aggregate(out, if resp3 { b'~' } else { b'*' }, items, proto),
            Frame::Push(items) => aggregate(out, if resp3 { b'>' } else { b'*' }, items, proto),
            Frame::Map(pairs) => {
                if resp3 {
                    header(out, b'%', pairs.len());
                } else {
                    header(out, b'*', pairs.len() * 2);
                }
                for (k, v) in pairs {
                    k.encode(proto, out);
                    v.encode(proto, out);
                }
            }
            Frame::Double(d) if resp3 => line(out, b',', crate::float::resp3_double(*d).as_bytes()),
            Frame::Double(d) => bulk(out, b'$', crate::float::format_double(*d).as_bytes()),
            Frame::HumanDouble(d) if resp3 => line(out, b',', crate::float::human_double(*d).as_bytes()),
            Frame::HumanDouble(d) => bulk(out, b'$', crate::float::human_double(*d).as_bytes()),
            Frame::Boolean(b) if resp3 => out.extend_from_slice(if *b { b"#t\r\n" } else { b"#f\r\n" }),
            Frame::Boolean(b) => line(out, b':', if *b { b"1" } else { b"0" }),
            Frame::Verbatim(b) if resp3 => {
                header(out, b'=', b.len() + 4);
                out.extend_from_slice(b"txt:");
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Frame::Verbatim(b) => bulk(out, b'$', b),
            Frame::Transfer(b) => {
                header(out, b'$', b.len());
                out.extend_from_slice(b);
            }
            Frame::BigNumber(n) if resp3 => line(out, b'(', n.as_bytes()),
            Frame::BigNumber(n) => bulk(out, b'$', n.as_bytes()),
            Frame::Attributed(attrs, reply) => {
                if resp3 {
                    header(out, b'|', attrs.len());
                    for (k, v) in attrs {
                        k.encode(proto, out);
                        v.encode(proto, out);
                    }
                }
                reply.encode(proto, out);
            }
        }
    }

    /// How many bytes [`Frame::encode`] writes for `proto`, without writing them (INFO's
    /// `total_net_output_bytes` counts every reply).
    pub fn encoded_len(&self, proto: Protocol) -> usize {
        let resp3 = proto == Protocol::Resp3;
        let items_len = |items: &[Frame]| items.iter().map(|f| f.encoded_len(proto)).sum::<usize>();
        match self {
            Frame::Simple(s) | Frame::Error(s) => s.len() + 3,
            Frame::Integer(i) => decimal_len(*i) + 3,
            Frame::Bulk(b) => bulk_len(b.len()),
            Frame::Null | Frame::NullArray if resp3 => 3,
            Frame::Null | Frame::NullArray => 5,
            Frame::Array(items) | Frame::Set(items) | Frame::Push(items) => {
                header_len(items.len()) + items_len(items)
            }
            Frame::Map(pairs) => {
                let n = if resp3 { pairs.len() } else { pairs.len() * 2 };
                header_len(n)
                    + pairs.iter().map(|(k, v)| k.encoded_len(proto) + v.encoded_len(proto)).sum::<usize>()
            }
            Frame::Double(d) if resp3 => crate::float::resp3_double(*d).len() + 3,
            Frame::Double(d) => bulk_len(crate::float::format_double(*d).len()),
            Frame::HumanDouble(d) if resp3 => crate::float::human_double(*d).len() + 3,
            Frame::HumanDouble(d) => bulk_len(crate::float::human_double(*d).len()),
            Frame::Boolean(_) => 4,
            Frame::Verbatim(b) if resp3 => bulk_len(b.len() + 4),
            Frame::Verbatim(b) => bulk_len(b.len()),
            Frame::Transfer(b) => bulk_len(b.len()) - 2,
            Frame::BigNumber(n) if resp3 => n.len() + 3,
            Frame::BigNumber(n) => bulk_len(n.len()),
            Frame::Attributed(attrs, reply) if resp3 => {
                header_len(attrs.len())
                    + attrs.iter().map(|(k, v)| k.encoded_len(proto) + v.encoded_len(proto)).sum::<usize>()
                    + reply.encoded_len(proto)
            }
            Frame::Attributed(_, reply) => reply.encoded_len(proto),
        }
    }

    /// The wire form as a fresh buffer.
    pub fn to_bytes(&self, proto: Protocol) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(proto, &mut out);
        out
    }
}

fn line(out: &mut Vec<u8>, tag: u8, body: &[u8]) {
    out.push(tag);
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n");
}

/// `{tag}{n}\r\n`, the length line of bulks and aggregates, without allocating.
fn header(out: &mut Vec<u8>, tag: u8, n: usize) {
    out.push(tag);
    push_decimal(out, n as i64);
    out.extend_from_slice(b"\r\n");
}

/// Append `n` in decimal (every reply carries a few of these: no String per number).
fn push_decimal(out: &mut Vec<u8>, n: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

/// Digits (and sign) of `n` in decimal.
fn decimal_len(n: i64) -> usize {
    let digits = n.unsigned_abs().checked_ilog10().map_or(1, |d| d as usize + 1);
    digits + usize::from(n < 0)
}

/// Bytes of a `{tag}{n}\r\n` length line.
fn header_len(n: usize) -> usize {
    decimal_len(i64::try_from(n).unwrap_or(i64::MAX)) + 3
}

/// Bytes of a bulk string of `n` bytes, length line included.
fn bulk_len(n: usize) -> usize {
    header_len(n) + n + 2
}

/// Bytes of a command sent as RESP (`*n` and a bulk string per argument), as a client sends
/// it: what `total_net_input_bytes` counts per command.
pub fn command_len(args: &[Bytes]) -> usize {
    header_len(args.len()) + args.iter().map(|a| bulk_len(a.len())).sum::<usize>()
}

fn bulk(out: &mut Vec<u8>, tag: u8, body: &[u8]) {
    header(out, tag, body.len());
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n");
}

fn aggregate(out: &mut Vec<u8>, tag: u8, items: &[Frame], proto: Protocol) {
    header(out, tag, items.len());
    for item in items {
        item.encode(proto, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_len_is_the_length_encode_writes() {
        let frames = [
            Frame::ok(),
            Frame::Error("ERR nope".into()),
            Frame::Integer(0),
            Frame::Integer(-10),
            Frame::Integer(i64::MIN),
            Frame::Integer(i64::MAX),
            Frame::bulk(""),
            Frame::bulk("x".repeat(1000)),
            Frame::Null,
            Frame::NullArray,
            Frame::Array(vec![]),
            Frame::Set(vec![Frame::Integer(1), Frame::bulk("ab")]),
            Frame::Push(vec![Frame::Null]),
            Frame::Map(vec![
                (Frame::bulk("k"), Frame::Double(1.5)),
                (Frame::bulk("i"), Frame::Double(f64::INFINITY)),
            ]),
            Frame::Double(-0.1),
            Frame::HumanDouble(-13.361389338970184),
            Frame::Boolean(true),
            Frame::Boolean(false),
            Frame::Verbatim(Bytes::from_static(b"# Stats\r\nx:1\r\n")),
            Frame::Array((0..12).map(Frame::Integer).collect()),
        ];
        for frame in &frames {
            for proto in [Protocol::Resp2, Protocol::Resp3] {
                assert_eq!(frame.encoded_len(proto), frame.to_bytes(proto).len(), "{frame:?} {proto:?}");
            }
        }
        for args in [vec![], vec![Bytes::from_static(b"GET"), Bytes::from(vec![b'k'; 12])]] {
            let mut wire = Vec::new();
            crate::resp::encode_command(&args, &mut wire);
            assert_eq!(command_len(&args), wire.len());
        }
    }

    #[test]
    fn integers_and_lengths_encode_exactly() {
        for (n, wire) in [
            (0i64, ":0\r\n"),
            (-1, ":-1\r\n"),
            (i64::MAX, ":9223372036854775807\r\n"),
            (i64::MIN, ":-9223372036854775808\r\n"),
        ] {
            assert_eq!(Frame::Integer(n).to_bytes(Protocol::Resp2), wire.as_bytes());
        }
        assert_eq!(Frame::bulk("hello").to_bytes(Protocol::Resp2), b"$5\r\nhello\r\n");
        let map = Frame::Map(vec![(Frame::bulk("k"), Frame::Integer(10))]);
        assert_eq!(map.to_bytes(Protocol::Resp2), b"*2\r\n$1\r\nk\r\n:10\r\n");
        assert_eq!(map.to_bytes(Protocol::Resp3), b"%1\r\n$1\r\nk\r\n:10\r\n");
    }
}
