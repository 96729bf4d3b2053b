//! The key browser and the key detail over a real server: which commands to pipeline and how
//! to read their replies. `SCAN 0 MATCH pattern COUNT 200` lists keys, then `TYPE`, `PTTL` and
//! `MEMORY USAGE` for each; a key's contents come from the read command that fits its type.

use bytes::Bytes;
use playground_engine::Frame;
use std::cell::Cell;

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

/// Keyspace lookups as Redis counts them in `keyspace_hits` / `keyspace_misses`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lookups {
    pub hits: u64,
    pub misses: u64,
}

impl Lookups {
    pub fn since(self, earlier: Lookups) -> Lookups {
        Lookups {
            hits: self.hits.saturating_sub(earlier.hits),
            misses: self.misses.saturating_sub(earlier.misses),
        }
    }
}

/// What Redis counts for one of the page's own reads, from its reply. TYPE, PTTL and the
/// contents commands look the key up: a hit, or a miss when the key is gone (TYPE `none`, PTTL
/// -2, a nil or an empty collection, which Redis never keeps; WRONGTYPE found the key first).
/// SCAN, SELECT and MEMORY USAGE
/// count nothing (measured on Redis 7.4: `MEMORY USAGE` finds the key without the lookup that
/// counts). Anything else, and errors, count nothing here.
pub fn lookups_of(command: &[Bytes], reply: &Frame) -> Lookups {
    let name = command.first().map(|n| n.to_ascii_uppercase()).unwrap_or_default();
    let missing = match (name.as_slice(), reply) {
        // The key was found before its type was checked.
        (_, Frame::Error(e)) if e.starts_with("WRONGTYPE") => false,
        (_, Frame::Error(_)) => return Lookups::default(),
        (b"TYPE", Frame::Simple(t)) => t == "none",
        (b"PTTL" | b"TTL", r) => r.as_integer() == Some(-2),
        (b"GET", r) => matches!(r, Frame::Null),
        (b"HGETALL" | b"LRANGE" | b"SMEMBERS" | b"ZRANGE", Frame::Array(items) | Frame::Set(items)) => {
            items.is_empty()
        }
        (b"HGETALL", Frame::Map(pairs)) => pairs.is_empty(),
        _ => return Lookups::default(),
    };
    if missing {
        Lookups { hits: 0, misses: 1 }
    } else {
        Lookups { hits: 1, misses: 0 }
    }
}

thread_local! {
    /// The page's own lookups on the real server since it loaded (key browser and key detail).
    static OWN: Cell<Lookups> = const { Cell::new(Lookups { hits: 0, misses: 0 }) };
}

/// Count the page's own reads (call with each pipeline's commands and replies as they arrive),
/// so the server panel can leave them out of the learner's hit ratio.
pub fn record_own(commands: &[Vec<Bytes>], replies: &[Frame]) {
    let add = commands
        .iter()
        .zip(replies)
        .map(|(c, r)| lookups_of(c, r))
        .fold(Lookups::default(), |a, b| Lookups { hits: a.hits + b.hits, misses: a.misses + b.misses });
    OWN.with(|own| {
        let o = own.get();
        own.set(Lookups { hits: o.hits + add.hits, misses: o.misses + add.misses });
    });
}

/// The page's own lookups so far.
pub fn own_lookups() -> Lookups {
    OWN.with(Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Frame {
        Frame::Bulk(Bytes::copy_from_slice(s.as_bytes()))
    }

    /// The engine counts keyspace hits and misses as Redis 7.4 does (its differential tests hold
    /// it to that): what `lookups_of` predicts from each reply must be what INFO then says.
    #[test]
    fn own_lookups_are_what_the_server_counts() {
        use playground_engine::Engine;
        let mut engine = Engine::new(1, 0);
        let client = engine.connect(0);
        let mut run = |parts: &[&str]| {
            engine.execute(client, parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect(), 0)
        };
        for setup in [
            &["SET", "s", "v"][..],
            &["HSET", "h", "f", "v"],
            &["RPUSH", "l", "a"],
            &["SADD", "t", "m"],
            &["ZADD", "z", "1", "m"],
            &["SET", "ttl", "v", "EX", "100"],
        ] {
            run(setup);
        }
        let stats = |run: &mut dyn FnMut(&[&str]) -> Frame| {
            let reply = run(&["INFO", "stats"]);
            let text = reply.as_bytes().expect("INFO is text");
            let n = crate::backend::info::parse_info(&String::from_utf8_lossy(text));
            Lookups { hits: n.hits, misses: n.misses }
        };
        let mut commands: Vec<Vec<Bytes>> = Vec::new();
        let all = ["string", "hash", "list", "set", "zset"];
        let keys: [(&str, &[&str]); 7] = [
            ("s", &all),
            ("h", &["hash"]),
            ("l", &["list"]),
            ("t", &["set"]),
            ("z", &["zset"]),
            ("ttl", &["string"]),
            ("gone", &all),
        ];
        for (key, types) in keys {
            commands.extend(detail_commands(key.as_bytes()));
            commands.extend(types.iter().filter_map(|t| contents_command(t, key.as_bytes())));
        }
        commands.push(scan_command(b"0", "*"));
        let before = stats(&mut run);
        let replies: Vec<Frame> = commands.iter().map(|c| engine.execute(client, c.clone(), 0)).collect();
        let mut run = |parts: &[&str]| {
            engine.execute(client, parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect(), 0)
        };
        let counted = stats(&mut run).since(before);
        let predicted =
            commands.iter().zip(&replies).map(|(c, r)| lookups_of(c, r)).fold(Lookups::default(), |a, b| {
                Lookups { hits: a.hits + b.hits, misses: a.misses + b.misses }
            });
        assert_eq!(predicted, counted);
        assert!(counted.hits > 10 && counted.misses >= 7, "both kinds exercised: {counted:?}");
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
