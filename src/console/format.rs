//! Replies printed as `redis-cli` prints them on a terminal (its `cliFormatReplyTTY`), and the
//! same replies as raw RESP bytes for the "bytes" view.
//!
//! The engine builds RESP3-shaped frames and lowers them for RESP2 clients only when encoding.
//! To show exactly what a client sees, the console encodes the frame for the client's protocol
//! and parses it back ([`as_client_sees`]): maps become flat arrays in RESP2, doubles bulk
//! strings, booleans integers, as on a real connection.

use playground_engine::float::{format_double, human_double};
use playground_engine::resp::{parse_frame, Limits};
use playground_engine::{Frame, Protocol};

/// The frame a client speaking `proto` decodes from the wire.
pub fn as_client_sees(frame: &Frame, proto: Protocol) -> Frame {
    let wire = frame.to_bytes(proto);
    match parse_frame(&wire, &Limits::default()) {
        Ok(Some((mut decoded, _))) => {
            keep_human_doubles(frame, &mut decoded);
            decoded
        }
        // Cannot happen for frames the engine builds; fall back to the frame itself.
        _ => frame.clone(),
    }
}

/// A RESP3 double on the wire decodes to a plain `Double`, but redis-cli prints the text it
/// received, and GEOPOS's coordinates are sent as `%.17Lf` text (`13.36138933897018433`), not the
/// shortest form: where the engine sent a `HumanDouble`, keep it (RESP3 keeps every aggregate's
/// shape, so the two frames walk in step; in RESP2 it became a bulk string and nothing matches).
fn keep_human_doubles(sent: &Frame, seen: &mut Frame) {
    match (sent, seen) {
        (Frame::HumanDouble(d), seen @ Frame::Double(_)) => *seen = Frame::HumanDouble(*d),
        (
            Frame::Array(a) | Frame::Set(a) | Frame::Push(a),
            Frame::Array(b) | Frame::Set(b) | Frame::Push(b),
        ) => {
            a.iter().zip(b.iter_mut()).for_each(|(a, b)| keep_human_doubles(a, b));
        }
        (Frame::Map(a), Frame::Map(b)) => {
            a.iter().zip(b.iter_mut()).for_each(|((_, a), (_, b))| keep_human_doubles(a, b))
        }
        (Frame::Attributed(_, a), Frame::Attributed(_, b)) => keep_human_doubles(a, b),
        _ => {}
    }
}

/// A reply formatted as `redis-cli` prints it in a terminal, without the final newline.
pub fn format_reply(frame: &Frame) -> String {
    let mut out = String::new();
    format_tty(frame, "", &mut out);
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// `redis-cli --raw`-style output, which redis-cli uses for INFO and a few other commands
/// whose replies are text meant to be read as is.
pub fn format_raw(frame: &Frame) -> String {
    let mut out = String::new();
    format_raw_into(frame, &mut out);
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// True for the commands `redis-cli` prints raw even on a terminal (its `output_raw` list).
pub fn prints_raw(args: &[Vec<u8>]) -> bool {
    let lower = |i: usize| args.get(i).map(|a| String::from_utf8_lossy(a).to_ascii_lowercase());
    let (Some(cmd), sub) = (lower(0), lower(1)) else { return false };
    let sub = sub.unwrap_or_default();
    match cmd.as_str() {
        "info" | "lolwut" => true,
        "client" => matches!(sub.as_str(), "list" | "info"),
        "memory" => matches!(sub.as_str(), "malloc-stats" | "doctor"),
        "latency" => matches!(sub.as_str(), "graph" | "doctor"),
        "cluster" => matches!(sub.as_str(), "nodes" | "info"),
        _ => false,
    }
}

fn format_tty(frame: &Frame, prefix: &str, out: &mut String) {
    match frame {
        Frame::Error(e) => {
            out.push_str("(error) ");
            out.push_str(e);
            out.push('\n');
        }
        Frame::Simple(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Frame::Integer(i) => {
            out.push_str(&format!("(integer) {i}\n"));
        }
        Frame::Double(d) => {
            out.push_str(&format!("(double) {}\n", format_double(*d)));
        }
        Frame::HumanDouble(d) => {
            out.push_str(&format!("(double) {}\n", human_double(*d)));
        }
        // SYNC's RDB reads as the bulk string it nearly is.
        Frame::Bulk(b) | Frame::Transfer(b) => {
            out.push_str(&repr(b));
            out.push('\n');
        }
        Frame::Verbatim(b) => {
            out.push_str(&String::from_utf8_lossy(b));
            out.push('\n');
        }
        // redis-cli 7.4 has no case for a RESP3 big number (it stops: "Unknown reply type: 13"):
        // the console labels it as it labels a double.
        Frame::BigNumber(n) => out.push_str(&format!("(big number) {n}\n")),
        Frame::Null | Frame::NullArray => out.push_str("(nil)\n"),
        Frame::Boolean(b) => out.push_str(if *b { "(true)\n" } else { "(false)\n" }),
        Frame::Array(items) => aggregate(items, ')', "(empty array)", prefix, out),
        Frame::Set(items) => aggregate(items, '~', "(empty set)", prefix, out),
        Frame::Push(items) => aggregate(items, ')', "(empty push)", prefix, out),
        Frame::Map(pairs) => map(pairs, prefix, out),
        // redis-cli 7.4's hiredis has no attribute type (it stops: `Protocol error, got "|" as
        // reply type byte`): the console labels the attributes, then prints the reply.
        Frame::Attributed(attrs, reply) => {
            out.push_str("(attribute) ");
            map(attrs, &format!("{prefix}{}", " ".repeat("(attribute) ".len())), out);
            out.push_str(prefix);
            format_tty(reply, prefix, out);
        }
    }
}

/// Digits needed for the largest index, which sets the width of every index in the aggregate.
fn index_width(count: usize) -> usize {
    count.to_string().len()
}

fn aggregate(items: &[Frame], sep: char, empty: &str, prefix: &str, out: &mut String) {
    if items.is_empty() {
        out.push_str(empty);
        out.push('\n');
        return;
    }
    let width = index_width(items.len());
    // Nested aggregates are indented by the index width plus ") ".
    let nested = format!("{prefix}{}", " ".repeat(width + 2));
    for (i, item) in items.iter().enumerate() {
        // The first entry is already preceded by the parent's index on the same line.
        let lead = if i == 0 { "" } else { prefix };
        out.push_str(&format!("{lead}{:>width$}{sep} ", i + 1));
        format_tty(item, &nested, out);
    }
}

fn map(pairs: &[(Frame, Frame)], prefix: &str, out: &mut String) {
    if pairs.is_empty() {
        out.push_str("(empty hash)\n");
        return;
    }
    let width = index_width(pairs.len());
    let nested = format!("{prefix}{}", " ".repeat(width + 2));
    for (i, (k, v)) in pairs.iter().enumerate() {
        let lead = if i == 0 { "" } else { prefix };
        out.push_str(&format!("{lead}{:>width$}# ", i + 1));
        format_tty(k, &nested, out);
        if out.ends_with('\n') {
            out.pop();
        }
        out.push_str(" => ");
        // redis-cli 7 starts a non-empty aggregate value on its own line, indented.
        let aggregate = matches!(v, Frame::Array(i) | Frame::Set(i) | Frame::Push(i) if !i.is_empty())
            || matches!(v, Frame::Map(p) if !p.is_empty());
        if aggregate {
            out.push('\n');
            out.push_str(&nested);
        }
        format_tty(v, &nested, out);
    }
}

fn format_raw_into(frame: &Frame, out: &mut String) {
    match frame {
        Frame::Error(e) => {
            out.push_str(e);
            out.push('\n');
        }
        Frame::Simple(s) | Frame::BigNumber(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Frame::Integer(i) => out.push_str(&format!("{i}\n")),
        Frame::Double(d) => out.push_str(&format!("{}\n", format_double(*d))),
        Frame::HumanDouble(d) => out.push_str(&format!("{}\n", human_double(*d))),
        Frame::Bulk(b) | Frame::Verbatim(b) | Frame::Transfer(b) => {
            out.push_str(&String::from_utf8_lossy(b));
            out.push('\n');
        }
        Frame::Null | Frame::NullArray => out.push('\n'),
        Frame::Boolean(b) => out.push_str(if *b { "1\n" } else { "0\n" }),
        Frame::Array(items) | Frame::Set(items) | Frame::Push(items) => {
            for item in items {
                format_raw_into(item, out);
            }
        }
        Frame::Map(pairs) => {
            for (k, v) in pairs {
                format_raw_into(k, out);
                format_raw_into(v, out);
            }
        }
        // Attributes are out of band: the reply alone.
        Frame::Attributed(_, reply) => format_raw_into(reply, out),
    }
}

/// Bytes quoted as `redis-cli` quotes them (`sdscatrepr`): printable ASCII as is, the usual
/// escapes for `\\ " \n \r \t \a \b`, anything else as `\xHH`.
pub fn repr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// The wire bytes of a reply, escaped and broken after each CRLF, for the "bytes" view: what a
/// client with `decode_responses=False` receives before any decoding.
pub fn format_wire(frame: &Frame, proto: Protocol) -> String {
    let wire = frame.to_bytes(proto);
    let mut out = String::new();
    let mut i = 0;
    while let Some(&b) = wire.get(i) {
        if b == b'\r' && wire.get(i + 1) == Some(&b'\n') {
            out.push_str("\\r\\n\n");
            i += 2;
            continue;
        }
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
        i += 1;
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Read a binary string as little-endian `f32`s when it looks like a vector blob (what
/// RediSearch stores for `VECTOR` fields): a multiple of 4 bytes, at least two floats, not
/// readable as text, every float finite and of a plausible size.
pub fn as_vector(bytes: &[u8]) -> Option<Vec<f32>> {
    if bytes.len() < 8 || bytes.len() % 4 != 0 || looks_like_text(bytes) {
        return None;
    }
    let floats: Vec<f32> =
        bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let plausible = |f: &f32| f.is_finite() && (*f == 0.0 || (1e-12..1e12).contains(&f.abs()));
    floats.iter().all(plausible).then_some(floats)
}

fn looks_like_text(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.chars().all(|c| !c.is_control() || c.is_whitespace()),
        Err(_) => false,
    }
}

/// A float array as shown beside a vector blob: `[0.1, 0.2, ...]`, long vectors cut short.
pub fn format_vector(floats: &[f32]) -> String {
    const SHOWN: usize = 8;
    let mut parts: Vec<String> = floats.iter().take(SHOWN).map(|f| format!("{f}")).collect();
    if floats.len() > SHOWN {
        parts.push(format!("… {} more", floats.len() - SHOWN));
    }
    format!("f32[{}] [{}]", floats.len(), parts.join(", "))
}

/// Every vector blob inside a reply, in the order they appear (for the notes under a reply).
pub fn vectors_in(frame: &Frame) -> Vec<Vec<f32>> {
    let mut found = Vec::new();
    collect_vectors(frame, &mut found);
    found
}

fn collect_vectors(frame: &Frame, found: &mut Vec<Vec<f32>>) {
    match frame {
        Frame::Bulk(b) => found.extend(as_vector(b)),
        Frame::Array(items) | Frame::Set(items) | Frame::Push(items) => {
            items.iter().for_each(|i| collect_vectors(i, found))
        }
        Frame::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            collect_vectors(k, found);
            collect_vectors(v, found);
        }),
        _ => {}
    }
}

/// A bulk reply that holds a JSON document with some structure (JSON.GET's), as
/// JSON.GET with `INDENT "  " NEWLINE "\n" SPACE " "` would print it; `None` for anything else,
/// scalars included (they read the same either way).
pub fn json_document(reply: &Frame) -> Option<String> {
    use playground_engine::types::json::{parse, Format, Json};
    let Frame::Bulk(bytes) = reply else { return None };
    if !matches!(bytes.first(), Some(b'{' | b'[')) || bytes.len() > MAX_PRETTY_BYTES {
        return None;
    }
    let doc = parse(bytes).ok()?;
    // `[37]` (JSON.NUMINCRBY's reply) reads the same indented: only nested documents or
    // objects of several members are offered.
    if doc.depth() < 3 && !matches!(&doc, Json::Obj(m) if m.len() > 1) {
        return None;
    }
    let fmt = Format { indent: "  ".into(), newline: "\n".into(), space: " ".into() };
    let mut out = String::new();
    doc.write(&mut out, &fmt, 0);
    Some(out)
}

/// Replies longer than this are not offered indented (the scrollback keeps 100 KB per reply).
const MAX_PRETTY_BYTES: usize = 64 * 1024;

#[cfg(test)]
mod tests {

    #[test]
    fn json_documents_are_offered_indented() {
        let bulk = |s: &str| Frame::Bulk(bytes::Bytes::copy_from_slice(s.as_bytes()));
        assert_eq!(
            json_document(&bulk(r#"[{"a":1,"b":[true,null]}]"#)).as_deref(),
            Some("[\n  {\n    \"a\": 1,\n    \"b\": [\n      true,\n      null\n    ]\n  }\n]")
        );
        assert_eq!(
            json_document(&bulk(r#"{"a":1,"b":2}"#)).as_deref(),
            Some("{\n  \"a\": 1,\n  \"b\": 2\n}")
        );
        for flat in ["[37]", "{\"a\":1}", "[]", "\"text\"", "{not json", "42"] {
            assert_eq!(json_document(&bulk(flat)), None, "{flat}");
        }
        assert_eq!(json_document(&Frame::Simple("[[1]]".into())), None);
    }

    use super::*;
    use bytes::Bytes;

    fn bulk(s: &str) -> Frame {
        Frame::Bulk(Bytes::copy_from_slice(s.as_bytes()))
    }

    #[test]
    fn scalars_print_like_redis_cli() {
        assert_eq!(format_reply(&Frame::Simple("PONG".into())), "PONG");
        assert_eq!(format_reply(&bulk("value")), "\"value\"");
        assert_eq!(format_reply(&Frame::Integer(5)), "(integer) 5");
        assert_eq!(format_reply(&Frame::Null), "(nil)");
        assert_eq!(format_reply(&Frame::NullArray), "(nil)");
        assert_eq!(format_reply(&Frame::Error("ERR syntax error".into())), "(error) ERR syntax error");
        assert_eq!(format_reply(&Frame::Double(1.5)), "(double) 1.5");
        assert_eq!(format_reply(&Frame::Boolean(true)), "(true)");
        assert_eq!(format_reply(&Frame::Array(vec![])), "(empty array)");
        assert_eq!(format_reply(&Frame::Map(vec![])), "(empty hash)");
        assert_eq!(format_reply(&Frame::Set(vec![])), "(empty set)");
        // DEBUG PROTOCOL BIGNUM under HELLO 3, in the console and piped (raw).
        let big = Frame::BigNumber("1234567999999999999999999999999999999".into());
        assert_eq!(format_reply(&big), "(big number) 1234567999999999999999999999999999999");
        assert_eq!(format_raw(&big), "1234567999999999999999999999999999999");
    }

    #[test]
    fn attributes_are_labelled_before_the_reply() {
        // DEBUG PROTOCOL ATTRIB as a RESP3 client decodes it; RESP2 has the reply alone.
        let sent = Frame::Attributed(
            vec![(bulk("key-popularity"), Frame::Array(vec![bulk("key:123"), Frame::Integer(90)]))],
            Box::new(bulk("Some real reply following the attribute")),
        );
        let seen = as_client_sees(&sent, Protocol::Resp3);
        assert_eq!(seen, sent);
        assert_eq!(
            format_reply(&seen),
            "(attribute) 1# \"key-popularity\" => \n               1) \"key:123\"\n               2) (integer) 90\n\"Some real reply following the attribute\""
        );
        assert_eq!(format_raw(&seen), "Some real reply following the attribute");
        assert_eq!(as_client_sees(&sent, Protocol::Resp2), bulk("Some real reply following the attribute"));
    }

    #[test]
    fn quoting_escapes_like_sdscatrepr() {
        assert_eq!(repr(b"a\"b\\c\n\r\t\x07\x08\x00\xff"), r#""a\"b\\c\n\r\t\a\b\x00\xff""#);
        assert_eq!(repr("é".as_bytes()), r#""\xc3\xa9""#);
    }

    #[test]
    fn arrays_are_numbered_and_nested_with_redis_cli_indentation() {
        let reply = Frame::Array(vec![
            bulk("a"),
            Frame::Array(vec![Frame::Integer(1), Frame::Array(vec![bulk("x"), bulk("y")])]),
            Frame::Null,
        ]);
        let expected = "1) \"a\"\n2) 1) (integer) 1\n   2) 1) \"x\"\n      2) \"y\"\n3) (nil)";
        assert_eq!(format_reply(&reply), expected);
    }

    #[test]
    fn index_width_pads_to_the_largest_index() {
        let reply = Frame::Array((1..=10).map(Frame::Integer).collect());
        let text = format_reply(&reply);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], " 1) (integer) 1");
        assert_eq!(lines[9], "10) (integer) 10");
        let nested = Frame::Array((0..10).map(|_| Frame::Array(vec![bulk("a"), bulk("b")])).collect());
        let text = format_reply(&nested);
        assert!(text.starts_with(" 1) 1) \"a\"\n    2) \"b\"\n 2) 1) \"a\""), "{text}");
    }

    #[test]
    fn resp3_maps_and_sets() {
        let reply = Frame::Map(vec![
            (bulk("k"), bulk("v")),
            (bulk("n"), Frame::Array(vec![Frame::Integer(1), Frame::Integer(2)])),
        ]);
        // As redis-cli 7 prints `HELLO 3`: an aggregate value starts on the next line.
        assert_eq!(
            format_reply(&reply),
            "1# \"k\" => \"v\"\n2# \"n\" => \n   1) (integer) 1\n   2) (integer) 2"
        );
        let empty = Frame::Map(vec![(bulk("args"), Frame::Array(vec![]))]);
        assert_eq!(format_reply(&empty), "1# \"args\" => (empty array)");
        let set = Frame::Set(vec![bulk("a"), bulk("b")]);
        assert_eq!(format_reply(&set), "1~ \"a\"\n2~ \"b\"");
    }

    #[test]
    fn the_client_protocol_decides_the_shape() {
        let map = Frame::Map(vec![(bulk("k"), Frame::Double(2.5))]);
        assert_eq!(format_reply(&as_client_sees(&map, Protocol::Resp2)), "1) \"k\"\n2) \"2.5\"");
        assert_eq!(format_reply(&as_client_sees(&map, Protocol::Resp3)), "1# \"k\" => (double) 2.5");
        let yes = Frame::Boolean(true);
        assert_eq!(format_reply(&as_client_sees(&yes, Protocol::Resp2)), "(integer) 1");
    }

    /// Replies of the bitmap, HyperLogLog and geo commands, from the engine through the console's
    /// path, as redis-cli 7.4 printed them (`redis-cli --no-raw -2/-3` against Redis 7.4.1).
    #[test]
    fn new_families_print_like_redis_cli_in_both_protocols() {
        let mut session = crate::session::Session::new(0);
        let mut run = |proto: Protocol, line: &str| {
            let argv = line.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect();
            let reply = session.engine.execute(session.client, argv, 0);
            format_reply(&as_client_sees(&reply, proto))
        };
        run(Protocol::Resp2, "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania");
        let geopos = run(Protocol::Resp2, "GEOPOS Sicily Palermo nope");
        assert_eq!(geopos, "1) 1) \"13.36138933897018433\"\n   2) \"38.11555639549629859\"\n2) (nil)");
        let radius = "GEORADIUS Sicily 15 37 200 km WITHCOORD WITHDIST WITHHASH";
        let resp2 = "1) 1) \"Palermo\"\n   2) \"190.4424\"\n   3) (integer) 3479099956230698\n   4) 1) \"13.36138933897018433\"\n      2) \"38.11555639549629859\"\n2) 1) \"Catania\"\n   2) \"56.4413\"\n   3) (integer) 3479447370796909\n   4) 1) \"15.08726745843887329\"\n      2) \"37.50266842333162032\"";
        assert_eq!(run(Protocol::Resp2, radius), resp2);
        assert_eq!(run(Protocol::Resp2, "GEODIST Sicily Palermo Catania"), "\"166274.1516\"");
        let bitfield = "BITFIELD bf SET u8 0 255 GET i4 0 INCRBY u2 100 1 OVERFLOW FAIL INCRBY u2 102 7";
        assert_eq!(
            run(Protocol::Resp2, bitfield),
            "1) (integer) 0\n2) (integer) -1\n3) (integer) 1\n4) (nil)"
        );
        assert_eq!(run(Protocol::Resp2, "PFADD hll a b c"), "(integer) 1");
        assert_eq!(run(Protocol::Resp2, "PFCOUNT hll"), "(integer) 3");
        run(Protocol::Resp2, "HELLO 3");
        let geopos = run(Protocol::Resp3, "GEOPOS Sicily Palermo nope");
        assert_eq!(
            geopos,
            "1) 1) (double) 13.36138933897018433\n   2) (double) 38.11555639549629859\n2) (nil)"
        );
        let resp3 = resp2
            .replace("\"13.36138933897018433\"", "(double) 13.36138933897018433")
            .replace("\"38.11555639549629859\"", "(double) 38.11555639549629859")
            .replace("\"15.08726745843887329\"", "(double) 15.08726745843887329")
            .replace("\"37.50266842333162032\"", "(double) 37.50266842333162032");
        assert_eq!(run(Protocol::Resp3, radius), resp3);
        let search = run(Protocol::Resp3, "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHCOORD");
        assert_eq!(search, "1) 1) \"Catania\"\n   2) 1) (double) 15.08726745843887329\n      2) (double) 37.50266842333162032\n2) 1) \"Palermo\"\n   2) 1) (double) 13.36138933897018433\n      2) (double) 38.11555639549629859");
        assert_eq!(run(Protocol::Resp3, "PFCOUNT hll"), "(integer) 3");
        // An ordinary RESP3 double still prints in its shortest form.
        assert_eq!(run(Protocol::Resp3, "ZADD z 1.5 m"), "(integer) 1");
        assert_eq!(run(Protocol::Resp3, "ZSCORE z m"), "(double) 1.5");
    }

    #[test]
    fn raw_output_for_info_like_commands() {
        let args = |s: &[&str]| s.iter().map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>();
        assert!(prints_raw(&args(&["INFO", "stats"])));
        assert!(prints_raw(&args(&["client", "LIST"])));
        assert!(!prints_raw(&args(&["GET", "info"])));
        assert_eq!(format_raw(&bulk("# Stats\r\nhits:1\r\n")), "# Stats\r\nhits:1\r\n");
        assert_eq!(format_raw(&Frame::Array(vec![bulk("a"), Frame::Integer(2)])), "a\n2");
    }

    #[test]
    fn wire_view_shows_resp_bytes() {
        assert_eq!(format_wire(&bulk("hi"), Protocol::Resp2), "$2\\r\\n\nhi\\r\\n");
        assert_eq!(format_wire(&Frame::Null, Protocol::Resp3), "_\\r\\n");
        assert_eq!(format_wire(&Frame::Integer(7), Protocol::Resp2), ":7\\r\\n");
    }

    #[test]
    fn vector_blobs_read_as_floats() {
        let blob: Vec<u8> = [1.0f32, 0.5, -2.0].iter().flat_map(|f| f.to_le_bytes()).collect();
        assert_eq!(as_vector(&blob), Some(vec![1.0, 0.5, -2.0]));
        assert_eq!(format_vector(&[1.0, 0.5]), "f32[2] [1, 0.5]");
        assert_eq!(as_vector(b"abcdefgh"), None, "text is not a vector");
        assert_eq!(as_vector(&blob[..5]), None, "length must be a multiple of 4");
        let reply = Frame::Array(vec![bulk("doc:1"), Frame::Bulk(Bytes::from(blob))]);
        assert_eq!(vectors_in(&reply).len(), 1);
    }
}
