//! Cluster mode in the console: the page as `redis-cli -c` connected to one node of an
//! emulated Redis Cluster. The engine's node layer (`playground_engine::cluster`) answers
//! CLUSTER, refuses keys of several slots (CROSSSLOT) and redirects a key of another node's slot
//! (MOVED); the console follows the redirection as redis-cli does (`Node::route`, which the
//! lessons' test drives too).

use crate::session::Session;
use bytes::Bytes;
pub use playground_engine::cluster::Routed;
use playground_engine::Frame;

/// Route `args` in cluster mode ([`playground_engine::cluster::Node::route`]); redirection lines
/// go to `notes`. Outside cluster mode every command goes to the engine.
pub fn route(s: &mut Session, args: &[Bytes], now: u64, notes: &mut Vec<String>) -> Routed {
    match s.cluster.as_mut() {
        Some(node) => node.route(&mut s.engine, s.client, args, now, notes),
        None => Routed::Engine,
    }
}

/// The engine's reply as the node words it (HELLO's mode, INFO's `cluster_enabled`).
pub fn adjust(s: &Session, args: &[Bytes], frame: Frame) -> Frame {
    match &s.cluster {
        Some(node) => node.adjust(args, frame),
        None => frame,
    }
}

/// The prompt's address in cluster mode (`127.0.0.1:7001`).
pub fn address(s: &Session) -> Option<String> {
    let node = s.cluster.as_ref()?;
    let m = node.layout.members.get(node.me)?;
    Some(format!("{}:{}", m.host, m.port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &mut Session, line: &str, notes: &mut Vec<String>) -> Frame {
        let args: Vec<Bytes> = line.split(' ').map(|w| Bytes::copy_from_slice(w.as_bytes())).collect();
        match route(s, &args, 0, notes) {
            Routed::Reply(f) => f,
            Routed::Engine => {
                let f = s.engine.execute(s.client, args.clone(), 0);
                adjust(s, &args, f)
            }
        }
    }

    #[test]
    fn the_console_follows_moved_and_stops_at_crossslot() {
        let mut s = Session::new(0);
        s.set_cluster(3);
        let mut notes = vec![];
        // foo is in slot 12182, on the third shard.
        assert_eq!(run(&mut s, "SET foo 1", &mut notes), Frame::ok());
        assert_eq!(notes, ["-> Redirected to slot [12182] located at 127.0.0.1:7002"]);
        assert_eq!(address(&s).as_deref(), Some("127.0.0.1:7002"));
        notes.clear();
        assert_eq!(run(&mut s, "GET foo", &mut notes), Frame::Bulk("1".into()));
        assert!(notes.is_empty(), "already on the owner");
        let cross = run(&mut s, "MSET user:1 a user:2 b", &mut notes);
        assert_eq!(cross, Frame::Error("CROSSSLOT Keys in request don't hash to the same slot".into()));
        assert_eq!(run(&mut s, "MSET {user:1}:profile a {user:1}:cart b", &mut notes), Frame::ok());
        assert_eq!(s.shard_of(b"{user:1}:cart"), s.shard_of(b"{user:1}:profile"));
        // Inside MULTI a key of another node is not followed: the transaction fails.
        notes.clear();
        let bar_owner = s.shard_of(b"bar").map(|(_, i)| i);
        assert_ne!(bar_owner, Some(s.cluster.as_ref().map_or(0, |n| n.me)));
        run(&mut s, "MULTI", &mut notes);
        assert!(
            matches!(run(&mut s, "SET bar 1", &mut notes), Frame::Error(e) if e.starts_with("MOVED 5061 "))
        );
        assert!(matches!(run(&mut s, "EXEC", &mut notes), Frame::Error(e) if e.starts_with("EXECABORT")));
        assert!(notes.is_empty());
        s.set_cluster(0);
        assert_eq!(run(&mut s, "MSET user:1 a user:2 b", &mut notes), Frame::ok());
        assert_eq!(address(&s), None);
    }
}
