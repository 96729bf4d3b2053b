//! Pub/sub against the oracle with several connections: confirmations, messages, pattern
//! messages, shard channels, PUBSUB introspection, the subscribed-state rules of RESP2, RESP3
//! pushes, RESET, and what CLIENT LIST and INFO say about subscribers.
//!
//! Channel names differ per test: the oracle forgets a closed connection's subscriptions a
//! moment after the socket closes, so names are not reused across tests.

mod common;
use common::Session;

#[test]
fn subscribe_publish_unsubscribe_resp2() {
    let mut s = Session::new();
    let sub = s.connect();
    let other = s.connect();
    s.on(sub, &["SUBSCRIBE", "a1", "b1", "a1"]);
    s.on(other, &["SUBSCRIBE", "a1"]);
    s.on(0, &["PUBLISH", "a1", "hello"]);
    s.on(0, &["PUBLISH", "b1", ""]);
    s.on(0, &["PUBLISH", "nobody1", "x"]);
    s.on(0, &["PUBSUB", "NUMSUB", "a1", "b1", "nobody1"]);
    s.on(0, &["PUBSUB", "NUMSUB"]);
    s.on_unordered(0, &["PUBSUB", "CHANNELS"]);
    s.on(0, &["PUBSUB", "CHANNELS", "b*"]);
    s.on(0, &["PUBSUB", "CHANNELS", "zz*"]);
    s.on(0, &["PUBSUB", "CHANNELS", "a", "b"]);
    s.on(0, &["PUBSUB", "NUMPAT"]);
    s.on(sub, &["UNSUBSCRIBE", "a1", "nope1"]);
    s.on(0, &["PUBLISH", "a1", "again"]);
    s.on(sub, &["UNSUBSCRIBE"]);
    s.on(sub, &["UNSUBSCRIBE"]);
    s.on(other, &["UNSUBSCRIBE", "a1"]);
    s.on(0, &["PUBLISH", "a1", "gone"]);
    s.on(sub, &["GET", "k"]);
    s.quiet();
}

#[test]
fn unsubscribe_all_in_some_order() {
    let mut s = Session::new();
    let sub = s.connect();
    s.on(sub, &["SUBSCRIBE", "c2", "d2", "e2"]);
    s.on(sub, &["PSUBSCRIBE", "c*", "d?"]);
    s.on_unordered(sub, &["UNSUBSCRIBE"]);
    s.on_unordered(sub, &["PUNSUBSCRIBE"]);
    s.on(sub, &["PUNSUBSCRIBE"]);
    s.on(sub, &["PUNSUBSCRIBE", "x*", "y*"]);
    s.quiet();
}

#[test]
fn patterns_deliver_pmessage() {
    let mut s = Session::new();
    let sub = s.connect();
    let two = s.connect();
    s.on(sub, &["PSUBSCRIBE", "news.*", "news.[ab]?", "*"]);
    s.on(sub, &["SUBSCRIBE", "news.art"]);
    s.on(two, &["PSUBSCRIBE", "news.*"]);
    // Several matching patterns come in the order of Redis's pattern table (a hash).
    s.on_unordered(0, &["PUBLISH", "news.art", "m1"]);
    s.on_unordered(0, &["PUBLISH", "news.b1", "m2"]);
    s.on(0, &["PUBLISH", "other", "m3"]);
    s.on(0, &["PUBSUB", "NUMPAT"]);
    s.on(0, &["PUBSUB", "NUMSUB", "news.*"]);
    s.on(sub, &["PUNSUBSCRIBE", "*", "news.*"]);
    s.on(0, &["PUBLISH", "news.b1", "m4"]);
    s.on(0, &["PUBSUB", "NUMPAT"]);
    s.on(two, &["PING"]);
    s.on(two, &["PING", "hey"]);
    s.on(two, &["PING", "a", "b"]);
    s.quiet();
}

#[test]
fn subscribed_resp2_may_only_run_pubsub_commands() {
    let mut s = Session::new();
    let sub = s.connect();
    s.on(sub, &["SUBSCRIBE", "r3"]);
    for cmd in [
        &["SET", "k", "v"][..],
        &["GET", "k"],
        &["CLIENT", "LIST"],
        &["CLIENT", "NOSUCH"],
        &["NOSUCHCOMMAND"],
        &["GET"],
        &["PUBLISH", "r3", "x"],
        &["PUBSUB", "NUMPAT"],
        &["HELLO"],
        &["ECHO", "x"],
        &["MULTI"],
    ] {
        s.on(sub, cmd);
    }
    s.on(sub, &["SSUBSCRIBE", "s3"]);
    s.on(sub, &["UNSUBSCRIBE"]);
    s.on(sub, &["GET", "k"]);
    s.on(sub, &["SUNSUBSCRIBE"]);
    s.on(sub, &["GET", "k"]);
    s.on(sub, &["PING"]);
    // In a transaction the refusal dooms EXEC.
    s.on(sub, &["MULTI"]);
    s.on(sub, &["SUBSCRIBE", "r3"]);
    s.on(sub, &["GET", "k"]);
    s.on(sub, &["EXEC"]);
    s.on(sub, &["RESET"]);
    s.on(sub, &["GET", "k"]);
    s.on(0, &["PUBLISH", "r3", "after reset"]);
    s.quiet();
}

#[test]
fn resp3_pushes_and_any_command() {
    let mut s = Session::new();
    let sub = s.connect();
    s.run_on(sub, &["HELLO", "3"]);
    s.on(sub, &["SUBSCRIBE", "p4", "q4"]);
    s.on(sub, &["PSUBSCRIBE", "p*"]);
    s.on(sub, &["SET", "k", "v"]);
    s.on(sub, &["GET", "k"]);
    s.on(sub, &["PING"]);
    s.on(0, &["PUBLISH", "p4", "to resp3"]);
    // A message to itself follows the PUBLISH reply.
    s.on(sub, &["PUBLISH", "q4", "self"]);
    s.on(sub, &["UNSUBSCRIBE", "p4"]);
    s.on(sub, &["UNSUBSCRIBE", "nope4"]);
    s.on(sub, &["PUNSUBSCRIBE"]);
    s.on(sub, &["MULTI"]);
    s.on(sub, &["PING", "abc"]);
    s.on(sub, &["PUBLISH", "q4", "bar"]);
    s.on(sub, &["UNSUBSCRIBE", "q4"]);
    s.on(sub, &["PING", "def"]);
    s.on(sub, &["EXEC"]);
    s.on(sub, &["UNSUBSCRIBE"]);
    s.quiet();
}

#[test]
fn shard_channels() {
    let mut s = Session::new();
    let sub = s.connect();
    let three = s.connect();
    s.run_on(three, &["HELLO", "3"]);
    s.on(sub, &["SSUBSCRIBE", "s5", "t5"]);
    s.on(three, &["SSUBSCRIBE", "s5"]);
    s.on(sub, &["SUBSCRIBE", "s5"]);
    s.on(sub, &["PSUBSCRIBE", "s*"]);
    s.on(0, &["SPUBLISH", "s5", "shard msg"]);
    s.on(0, &["PUBLISH", "s5", "plain msg"]);
    s.on(0, &["PUBSUB", "SHARDNUMSUB", "s5", "t5", "u5"]);
    s.on(0, &["PUBSUB", "SHARDNUMSUB"]);
    s.on_unordered(0, &["PUBSUB", "SHARDCHANNELS"]);
    s.on(0, &["PUBSUB", "SHARDCHANNELS", "t*"]);
    s.on(0, &["PUBSUB", "SHARDCHANNELS", "t*", "x"]);
    s.on(sub, &["SUNSUBSCRIBE", "s5"]);
    s.on(sub, &["SUNSUBSCRIBE"]);
    s.on(sub, &["SUNSUBSCRIBE"]);
    s.on(0, &["SPUBLISH", "s5", "only three"]);
    s.on(0, &["MULTI"]);
    s.on(0, &["SSUBSCRIBE", "s5"]);
    s.on(0, &["EXEC"]);
    s.quiet();
}

#[test]
fn pubsub_errors_and_help() {
    let mut s = Session::new();
    s.script(&[
        &["PUBSUB"],
        &["PUBSUB", "HELP"],
        &["PUBSUB", "NOSUCH"],
        &["PUBSUB", "NUMPAT", "x"],
        &["PUBSUB", "HELP", "x"],
        &["SUBSCRIBE"],
        &["PSUBSCRIBE"],
        &["SSUBSCRIBE"],
        &["PUBLISH", "c"],
        &["PUBLISH", "c", "m", "x"],
        &["SPUBLISH", "c"],
    ]);
    s.quiet();
}

/// CLIENT LIST's sub/psub/ssub counts and P flag, TYPE pubsub, INFO's pubsub fields.
#[test]
fn client_list_and_info_see_subscribers() {
    let mut s = Session::new();
    let sub = s.connect();
    s.run_on(sub, &["HELLO", "3"]);
    s.on(sub, &["SUBSCRIBE", "i6", "j6"]);
    s.on(sub, &["PSUBSCRIBE", "i*"]);
    s.on(sub, &["SSUBSCRIBE", "k6"]);
    for (field, conn) in [("flags=P", sub), ("sub=2", sub), ("psub=1", sub), ("ssub=1", sub)] {
        let info = client_info(&mut s, conn);
        assert!(info.iter().all(|i| i.contains(field)), "{field}: {info:?}");
    }
    let info = client_info(&mut s, 0);
    assert!(info.iter().all(|i| i.contains("flags=N") && i.contains("sub=0 psub=0 ssub=0")), "{info:?}");
    for field in ["pubsub_clients", "pubsub_channels", "pubsub_patterns", "pubsubshard_channels"] {
        let (o, e) = s.run(&["INFO"]);
        let pick = |f: &playground_engine::Frame| {
            let text = String::from_utf8_lossy(f.as_bytes().unwrap()).into_owned();
            text.lines().find(|l| l.starts_with(&format!("{field}:"))).map(str::to_owned)
        };
        assert_eq!(pick(&e), pick(&o), "{field}");
    }
    // TYPE pubsub lists the subscriber only, TYPE normal the others.
    let count = |reply: &playground_engine::Frame, id: &str| {
        String::from_utf8_lossy(reply.as_bytes().unwrap()).lines().filter(|l| l.contains(id)).count()
    };
    let (o, e) = s.run(&["CLIENT", "LIST", "TYPE", "pubsub"]);
    assert_eq!(String::from_utf8_lossy(e.as_bytes().unwrap()).lines().count(), 1);
    assert!(count(&o, "sub=2 psub=1 ssub=1") == 1 && count(&e, "sub=2 psub=1 ssub=1") == 1);
    let (o, e) = s.run(&["CLIENT", "LIST", "TYPE", "normal"]);
    assert_eq!(count(&o, "sub=2"), 0);
    assert_eq!(count(&e, "sub=2"), 0);
    s.on(sub, &["RESET"]);
    let info = client_info(&mut s, sub);
    assert!(info.iter().all(|i| i.contains("flags=N") && i.contains("sub=0 psub=0 ssub=0")), "{info:?}");
    s.quiet();
}

/// CLIENT INFO of connection `n` on both sides, as text.
fn client_info(s: &mut Session, n: usize) -> Vec<String> {
    let (oracle, id) = match n {
        0 => (&mut s.oracle, s.client),
        n => {
            let (oracle, id) = &mut s.conns[n - 1];
            (oracle, *id)
        }
    };
    let cmd = common::args(&["CLIENT", "INFO"]);
    let theirs = common::decode(&oracle.raw(&cmd));
    let ours = s.engine.execute(id, cmd, common::now_ms());
    [theirs, ours]
        .iter()
        .map(|f| String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned())
        .collect()
}

/// RESP2 messages are arrays; a client switching to RESP3 while subscribed gets pushes.
#[test]
fn protocol_switch_while_subscribed() {
    let mut s = Session::new();
    let sub = s.connect();
    s.run_on(sub, &["HELLO", "3"]);
    s.on(sub, &["SUBSCRIBE", "w7"]);
    s.on(0, &["PUBLISH", "w7", "as push"]);
    s.run_on(sub, &["HELLO", "2"]);
    s.on(0, &["PUBLISH", "w7", "as array"]);
    s.on(sub, &["PING"]);
    s.on(sub, &["GET", "x"]);
    s.quiet();
}
