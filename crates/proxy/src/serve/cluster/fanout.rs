//! Keyless commands answered by every shard, merged the way cluster clients merge them.
//!
//! SCAN walks the shards one after the other: the cursor the page sees is
//! `shard_cursor * SHARD_BASE + shard_index`, so a page can resume a walk with it (and `0` still
//! starts and ends one). DBSIZE sums; KEYS concatenates; INFO is shown per shard, labelled,
//! after a summed keyspace.

use super::parse;
use playground_engine::frame::Frame;
use playground_engine::resp;

/// Shards a SCAN cursor can address (Redis Cluster's documented ceiling is 1000 primaries).
pub const SHARD_BASE: u64 = 1024;

/// Split a page cursor into (shard index, that shard's cursor); `None` if it is not a number.
pub fn split_cursor(cursor: &[u8]) -> Option<(usize, u64)> {
    let c: u64 = std::str::from_utf8(cursor).ok()?.parse().ok()?;
    Some(((c % SHARD_BASE) as usize, c / SHARD_BASE))
}

/// Rewrite one shard's SCAN reply for the page: its cursor becomes the page's cursor (the next
/// shard's start when this shard is done). `None` if the reply is not a SCAN reply.
pub fn scan_reply(reply: &[u8], shard: usize, shards: usize) -> Option<Vec<u8>> {
    let rest = reply.strip_prefix(b"*2\r\n")?;
    let limits = resp::Limits::default();
    let (cursor, used) = resp::parse_frame(rest, &limits).ok()??;
    let Frame::Bulk(c) = cursor else { return None };
    let inner: u64 = std::str::from_utf8(&c).ok()?.parse().ok()?;
    let next = if inner != 0 {
        inner.checked_mul(SHARD_BASE)?.checked_add(shard as u64)?
    } else if shard + 1 < shards {
        shard as u64 + 1
    } else {
        0
    };
    let next = next.to_string();
    let mut out = format!("*2\r\n${}\r\n{next}\r\n", next.len()).into_bytes();
    out.extend_from_slice(&rest[used..]);
    Some(out)
}

/// The first error among `replies`, if any.
pub fn first_error(replies: &[Vec<u8>]) -> Option<Vec<u8>> {
    replies.iter().find(|r| r.first() == Some(&b'-')).cloned()
}

/// DBSIZE: the sum of every shard's count.
pub fn sum_integers(replies: &[Vec<u8>]) -> Vec<u8> {
    if let Some(e) = first_error(replies) {
        return e;
    }
    let total: i64 = replies
        .iter()
        .filter_map(|r| match parse(r) {
            Some(Frame::Integer(n)) => Some(n),
            _ => None,
        })
        .sum();
    format!(":{total}\r\n").into_bytes()
}

/// KEYS: one array holding every shard's elements.
pub fn concat_arrays(replies: &[Vec<u8>]) -> Vec<u8> {
    if let Some(e) = first_error(replies) {
        return e;
    }
    let mut count = 0usize;
    let mut body = Vec::new();
    for r in replies {
        let Some(end) = r.windows(2).position(|w| w == b"\r\n") else { continue };
        let Ok(n) = std::str::from_utf8(&r[1..end]).unwrap_or("").parse::<usize>() else { continue };
        count += n;
        body.extend_from_slice(&r[end + 2..]);
    }
    let mut out = format!("*{count}\r\n").into_bytes();
    out.extend_from_slice(&body);
    out
}

/// INFO: a summed keyspace, then each shard's own text under a `# Shard i/n addr` heading.
/// The reply keeps the shards' type (bulk in RESP2, verbatim text in RESP3).
pub fn merge_info(replies: &[Vec<u8>], labels: &[String]) -> Vec<u8> {
    if let Some(e) = first_error(replies) {
        return e;
    }
    let mut verbatim = false;
    let mut texts = Vec::new();
    for r in replies {
        match parse(r) {
            Some(Frame::Bulk(b)) => texts.push(String::from_utf8_lossy(&b).into_owned()),
            Some(Frame::Verbatim(b)) => {
                verbatim = true;
                texts.push(String::from_utf8_lossy(&b).into_owned());
            }
            _ => texts.push(String::new()),
        }
    }
    // db -> (keys, expires), summed over shards.
    let mut dbs: Vec<(String, u64, u64)> = Vec::new();
    for t in &texts {
        for line in t.lines() {
            let Some((db, rest)) = line.split_once(':') else { continue };
            if !db.starts_with("db") || db[2..].parse::<u32>().is_err() {
                continue;
            }
            let field = |name: &str| {
                rest.split(',')
                    .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            match dbs.iter_mut().find(|(d, _, _)| d == db) {
                Some(e) => {
                    e.1 += field("keys");
                    e.2 += field("expires");
                }
                None => dbs.push((db.to_string(), field("keys"), field("expires"))),
            }
        }
    }
    let n = texts.len();
    let mut out = format!("# Cluster\r\ncluster_shards:{n}\r\n\r\n# Keyspace (summed over {n} shards)\r\n");
    for (db, keys, expires) in &dbs {
        out.push_str(&format!("{db}:keys={keys},expires={expires}\r\n"));
    }
    for (i, (t, label)) in texts.iter().zip(labels).enumerate() {
        out.push_str(&format!("\r\n# Shard {}/{n} {label}\r\n", i + 1));
        out.push_str(t.trim_end());
        out.push_str("\r\n");
    }
    if verbatim {
        format!("={}\r\ntxt:{out}\r\n", out.len() + 4).into_bytes()
    } else {
        format!("${}\r\n{out}\r\n", out.len()).into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_cursors_walk_every_shard() {
        assert_eq!(split_cursor(b"0"), Some((0, 0)));
        assert_eq!(split_cursor(b"2049"), Some((1, 2)));
        assert_eq!(split_cursor(b"x"), None);
        let r = b"*2\r\n$2\r\n12\r\n*1\r\n$1\r\na\r\n";
        assert_eq!(scan_reply(r, 1, 3).unwrap(), b"*2\r\n$5\r\n12289\r\n*1\r\n$1\r\na\r\n");
        let done = b"*2\r\n$1\r\n0\r\n*0\r\n";
        assert_eq!(scan_reply(done, 1, 3).unwrap(), b"*2\r\n$1\r\n2\r\n*0\r\n");
        assert_eq!(scan_reply(done, 2, 3).unwrap(), b"*2\r\n$1\r\n0\r\n*0\r\n");
    }

    #[test]
    fn merges() {
        assert_eq!(sum_integers(&[b":2\r\n".to_vec(), b":3\r\n".to_vec()]), b":5\r\n");
        let k = concat_arrays(&[
            b"*1\r\n$1\r\na\r\n".to_vec(),
            b"*0\r\n".to_vec(),
            b"*1\r\n$1\r\nb\r\n".to_vec(),
        ]);
        assert_eq!(k, b"*2\r\n$1\r\na\r\n$1\r\nb\r\n");
        let bulk = |s: &str| format!("${}\r\n{s}\r\n", s.len()).into_bytes();
        let info = merge_info(
            &[
                bulk("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n"),
                bulk("db0:keys=3,expires=0,avg_ttl=0"),
            ],
            &["a".into(), "b".into()],
        );
        let info = String::from_utf8_lossy(&info);
        assert!(info.contains("db0:keys=5,expires=1\r\n"), "{info}");
        assert!(info.contains("# Shard 2/2 b\r\ndb0:keys=3"), "{info}");
        assert!(parse(info.as_bytes()).is_some());
    }
}
