//! The key browser and the key detail over a real server: which commands to pipeline and how
//! to read their replies. `SCAN 0 MATCH pattern COUNT 200` lists keys, then `TYPE`, `PTTL` and
//! `MEMORY USAGE` for each; a key's contents come from the read command that fits its type.

use bytes::Bytes;
use playground_engine::Frame;

/// Rows the remote key browser asks for at most (one SCAN round trip per page).
pub const COUNT: usize = 200;

fn args(parts: &[&[u8]]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p)).collect()
}

pub fn scan_command(cursor: &[u8], pattern: &str) -> Vec<Bytes> {
    let pattern = if pattern.trim().is_empty() { "*" } else { pattern.trim() };
    args(&[b"SCAN", cursor, b"MATCH", pattern.as_bytes(), b"COUNT", COUNT.to_string().as_bytes()])
}

/// `(next cursor, keys)` of a SCAN reply.
pub fn parse_scan(frame: &Frame) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
    let Frame::Array(parts) = frame else { return None };
    let cursor = parts.first()?.as_bytes()?.to_vec();
    let keys = match parts.get(1)? {
        Frame::Array(keys) | Frame::Set(keys) => {
            keys.iter().filter_map(|k| k.as_bytes().map(<[u8]>::to_vec)).collect()
        }
        _ => return None,
    };
    Some((cursor, keys))
}

/// The three commands pipelined per key, in this order.
pub fn detail_commands(key: &[u8]) -> [Vec<Bytes>; 3] {
    [args(&[b"TYPE", key]), args(&[b"PTTL", key]), args(&[b"MEMORY", b"USAGE", key])]
}

/// A key row from the replies to [`detail_commands`]: `(type, ttl in ms if any, memory)`.
/// `None` when the key vanished between SCAN and TYPE.
pub fn read_detail(replies: &[Frame]) -> Option<(&'static str, Option<u64>, usize)> {
    let type_name = match replies.first()? {
        Frame::Simple(t) => static_type(t)?,
        _ => return None,
    };
    let ttl = replies.get(1).and_then(Frame::as_integer).filter(|t| *t >= 0).map(|t| t as u64);
    let mem = replies.get(2).and_then(Frame::as_integer).unwrap_or(0).max(0) as usize;
    Some((type_name, ttl, mem))
}

/// The type names the page knows, as `&'static str` for the rows' badges.
fn static_type(t: &str) -> Option<&'static str> {
    Some(match t {
        "string" => "string",
        "list" => "list",
        "set" => "set",
        "zset" => "zset",
        "hash" => "hash",
        "stream" => "stream",
        "none" => return None,
        _ => "other",
    })
}

/// The read command that shows a key's contents (first 100 elements).
pub fn contents_command(type_name: &str, key: &[u8]) -> Option<Vec<Bytes>> {
    Some(match type_name {
        "string" => args(&[b"GET", key]),
        "hash" => args(&[b"HGETALL", key]),
        "list" => args(&[b"LRANGE", key, b"0", b"99"]),
        "set" => args(&[b"SMEMBERS", key]),
        "zset" => args(&[b"ZRANGE", key, b"0", b"99", b"WITHSCORES"]),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Frame {
        Frame::Bulk(Bytes::copy_from_slice(s.as_bytes()))
    }

    #[test]
    fn scan_reply_and_details() {
        let reply = Frame::Array(vec![bulk("17"), Frame::Array(vec![bulk("a"), bulk("b")])]);
        assert_eq!(parse_scan(&reply), Some((b"17".to_vec(), vec![b"a".to_vec(), b"b".to_vec()])));
        assert_eq!(parse_scan(&Frame::Error("ERR x".into())), None);
        let row = read_detail(&[Frame::Simple("hash".into()), Frame::Integer(-1), Frame::Integer(72)]);
        assert_eq!(row, Some(("hash", None, 72)));
        let row = read_detail(&[Frame::Simple("string".into()), Frame::Integer(1500), Frame::Null]);
        assert_eq!(row, Some(("string", Some(1500), 0)));
        assert_eq!(read_detail(&[Frame::Simple("none".into()), Frame::Integer(-2), Frame::Null]), None);
        assert_eq!(scan_command(b"0", " ")[3], Bytes::from_static(b"*"));
        assert!(contents_command("zset", b"k").is_some_and(|c| c.len() == 5));
        assert_eq!(contents_command("stream", b"k"), None);
    }
}
