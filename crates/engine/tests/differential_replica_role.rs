//! REPLICAOF against the oracle: a server told to follow a primary that cannot be reached (port
//! 1 on loopback refuses at once, so the link stays down on both sides) turns read-only, answers
//! ROLE and INFO as a replica, refuses stale reads when told to; REPLICAOF NO ONE makes it a
//! primary again. Scripts on a replica: `crates/scripting/tests/differential_scripting.rs`.

mod common;
use common::Session;
use playground_engine::Frame;

/// INFO replication's lines, without what differs between two servers by their history: the
/// replication ids, and the offsets and backlog (the oracle has fed replicas before).
fn replication_info(reply: &Frame) -> Vec<String> {
    let text = String::from_utf8_lossy(reply.as_bytes().unwrap_or_default()).into_owned();
    text.lines()
        .filter(|l| !l.starts_with("master_replid"))
        .map(|l| match l.split_once(':') {
            Some((name, _)) if name.contains("offset") || name.contains("backlog") => format!("{name}:<n>"),
            _ => l.to_owned(),
        })
        .collect()
}

/// Back to a primary whatever happened: the next session must not find a replica.
struct Primary<'a>(&'a mut Session);

impl Drop for Primary<'_> {
    fn drop(&mut self) {
        self.0.run(&["REPLICAOF", "NO", "ONE"]);
        self.0.run(&["CONFIG", "SET", "replica-serve-stale-data", "yes", "replica-read-only", "yes"]);
    }
}

#[test]
fn a_replica_with_its_link_down() {
    let mut session = Session::new();
    let s = &mut Primary(&mut session).0;
    s.script(&[
        &["SET", "k", "v"],
        &["REPLICAOF", "127.0.0.1", "x"],
        &["REPLICAOF", "127.0.0.1", "65536"],
        &["REPLICAOF", "127.0.0.1", "-1"],
        &["REPLICAOF", "127.0.0.1"],
        &["REPLICAOF", "NO", "ONE"],
        &["REPLICAOF", "127.0.0.1", "1"],
        &["REPLICAOF", "127.0.0.1", "1"],
        &["SLAVEOF", "127.0.0.1", "1"],
        &["ROLE"],
        &["GET", "k"],
        &["SET", "k", "w"],
        &["INCR", "n"],
        &["DEL", "k"],
        &["PUBLISH", "c", "m"],
        &["MULTI"],
        &["SET", "k", "y"],
        &["GET", "k"],
        &["EXEC"],
        &["CONFIG", "SET", "replica-read-only", "no"],
        &["SET", "w", "1"],
        &["GET", "w"],
        &["CONFIG", "SET", "replica-read-only", "yes"],
        // A stale replica serves only commands flagged `stale`.
        &["CONFIG", "SET", "replica-serve-stale-data", "no"],
        &["GET", "k"],
        &["PING"],
        &["INFO", "keyspace"],
        &["CONFIG", "SET", "replica-serve-stale-data", "yes"],
    ]);
    let (theirs, ours) = s.both(&["INFO", "replication"]);
    assert_eq!(replication_info(&ours), replication_info(&theirs));
    assert!(replication_info(&ours).contains(&"role:slave".to_string()));
    s.script(&[&["REPLICAOF", "NO", "ONE"], &["SET", "k", "primary-again"], &["GET", "k"]]);
    // A primary again (its offset is its own history's).
    let (theirs, ours) = s.both(&["ROLE"]);
    let first = |f: &Frame| match f {
        Frame::Array(items) => items.first().cloned(),
        _ => None,
    };
    assert_eq!(first(&ours), first(&theirs));
    assert_eq!(first(&ours), Some(Frame::bulk("master")));
}

#[test]
fn a_transaction_fails_as_the_server_turns_replica() {
    let mut session = Session::new();
    let s = &mut Primary(&mut session).0;
    let other = s.connect();
    s.same(&["CONFIG", "SET", "replica-serve-stale-data", "no"]);
    s.same(&["SET", "xx", "1"]);
    // GET queued on a primary, which turns into a stale replica before EXEC.
    s.same(&["MULTI"]);
    s.same(&["GET", "xx"]);
    s.on(other, &["REPLICAOF", "127.0.0.1", "1"]);
    s.same(&["EXEC"]);
    s.on(other, &["REPLICAOF", "NO", "ONE"]);
    // A write queued on a primary: EXEC on the read-only replica is refused.
    s.same(&["CONFIG", "SET", "replica-serve-stale-data", "yes"]);
    s.same(&["MULTI"]);
    s.same(&["INCR", "xx"]);
    s.on(other, &["REPLICAOF", "127.0.0.1", "1"]);
    s.same(&["EXEC"]);
    s.on(other, &["REPLICAOF", "NO", "ONE"]);
    // Turning replica inside the transaction: the commands queued before still run.
    s.same(&["MULTI"]);
    s.same(&["SET", "a", "1"]);
    s.same(&["REPLICAOF", "127.0.0.1", "1"]);
    s.same(&["SET", "b", "2"]);
    s.same(&["EXEC"]);
    s.same(&["SET", "c", "3"]);
    s.same(&["REPLICAOF", "NO", "ONE"]);
    s.same(&["MGET", "a", "b", "c"]);
}
