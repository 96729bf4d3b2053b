//! Keyspace notifications (`notify-keyspace-events`), as Redis 7.4's `notify.c`: a change to a
//! key publishes `__keyspace@<db>__:<key>` with the event's name and `__keyevent@<db>__:<event>`
//! with the key, for the classes the setting lets through. Handlers call `Ctx::notify` where
//! Redis calls `notifyKeyspaceEvent`, with Redis's event names; with the setting empty (the
//! default) that costs one branch.

use crate::server::Server;
use bytes::{BufMut, Bytes, BytesMut};

pub const KEYSPACE: u16 = 1 << 0;
pub const KEYEVENT: u16 = 1 << 1;
pub const GENERIC: u16 = 1 << 2;
pub const STRING: u16 = 1 << 3;
pub const LIST: u16 = 1 << 4;
pub const SET: u16 = 1 << 5;
pub const HASH: u16 = 1 << 6;
pub const ZSET: u16 = 1 << 7;
pub const EXPIRED: u16 = 1 << 8;
pub const EVICTED: u16 = 1 << 9;
pub const STREAM: u16 = 1 << 10;
pub const KEY_MISS: u16 = 1 << 11;
pub const MODULE: u16 = 1 << 13;
pub const NEW: u16 = 1 << 14;
/// `A`: every class but key misses and new keys.
pub const ALL: u16 = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

/// The class letters in the order [`to_string`] writes them, after `A`'s.
const LETTERS: &[(u8, u16)] = &[
    (b'g', GENERIC),
    (b'$', STRING),
    (b'l', LIST),
    (b's', SET),
    (b'h', HASH),
    (b'z', ZSET),
    (b'x', EXPIRED),
    (b'e', EVICTED),
    (b't', STREAM),
    (b'd', MODULE),
    (b'n', NEW),
    (b'K', KEYSPACE),
    (b'E', KEYEVENT),
    (b'm', KEY_MISS),
];

/// Redis's `keyspaceEventsStringToFlags`: None for a character that names no class.
pub fn parse(text: &[u8]) -> Option<u16> {
    text.iter().try_fold(0, |flags, &c| match c {
        b'A' => Some(flags | ALL),
        c => LETTERS.iter().find(|(l, _)| *l == c).map(|(_, f)| flags | f),
    })
}

/// Redis's `keyspaceEventsFlagsToString`: `A` in place of every class letter (`n` included,
/// which `A` does not set: Redis drops it from the text then), followed by `K`, `E` and `m`.
pub fn to_string(flags: u16) -> String {
    let all = flags & ALL == ALL;
    let mut out = String::from(if all { "A" } else { "" });
    for &(letter, flag) in LETTERS {
        let covered = all && !matches!(letter, b'K' | b'E' | b'm');
        if flags & flag != 0 && !covered {
            out.push(letter as char);
        }
    }
    out
}

/// Publish `event` on `key` of database `db` if its class is on (Redis's `notifyKeyspaceEvent`).
pub fn notify(server: &mut Server, class: u16, event: &str, db: usize, key: &[u8]) {
    let flags = server.config.notify_keyspace_events;
    if flags & class == 0 {
        return;
    }
    let channel = |kind: &str, tail: &[u8]| {
        let mut c = BytesMut::with_capacity(16 + tail.len());
        c.put_slice(format!("__{kind}@{db}__:").as_bytes());
        c.put_slice(tail);
        c.freeze()
    };
    let name = Bytes::copy_from_slice(event.as_bytes());
    if flags & KEYSPACE != 0 {
        crate::cmd::pubsub::publish_message(server, &channel("keyspace", key), &name, false);
    }
    if flags & KEYEVENT != 0 {
        crate::cmd::pubsub::publish_message(
            server,
            &channel("keyevent", event.as_bytes()),
            &Bytes::copy_from_slice(key),
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_round_trip_as_redis_prints_them() {
        for (typed, printed) in [
            ("", ""),
            ("KEA", "AKE"),
            ("Kl$x", "$lxK"),
            ("AKEmn", "AKEm"),
            ("gg", "g"),
            ("Eg$lshzxetd", "AE"),
        ] {
            assert_eq!(to_string(parse(typed.as_bytes()).unwrap()), printed, "{typed}");
        }
        assert_eq!(parse(b"Kq"), None);
    }
}
