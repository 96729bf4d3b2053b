//! LATENCY against the oracle, RESP2 and RESP3: the monitor's replies with no event (LATEST,
//! HISTORY, RESET, GRAPH's error, DOCTOR's two texts), HELP, the errors, and HISTOGRAM's shape
//! (which commands, how many calls: the buckets are each server's own timings).

mod common;
use common::Session;
use playground_engine::Frame;

/// (command, calls) of a LATENCY HISTOGRAM reply.
fn calls(reply: &Frame) -> Vec<(String, i64)> {
    let flat: Vec<Frame> = match reply {
        Frame::Map(m) => m.iter().flat_map(|(k, v)| [k.clone(), v.clone()]).collect(),
        Frame::Array(a) => a.clone(),
        other => panic!("LATENCY HISTOGRAM: {other:?}"),
    };
    let mut out: Vec<(String, i64)> = flat
        .chunks(2)
        .map(|p| {
            let name = String::from_utf8_lossy(p[0].as_bytes().unwrap_or_default()).into_owned();
            let fields: Vec<Frame> = match &p[1] {
                Frame::Map(m) => m.iter().flat_map(|(k, v)| [k.clone(), v.clone()]).collect(),
                Frame::Array(a) => a.clone(),
                other => panic!("entry: {other:?}"),
            };
            assert_eq!(fields[0].as_bytes(), Some(&b"calls"[..]));
            assert_eq!(fields[2].as_bytes(), Some(&b"histogram_usec"[..]));
            (name, if let Frame::Integer(n) = fields[1] { n } else { panic!("calls: {fields:?}") })
        })
        .collect();
    out.sort();
    out
}

#[track_caller]
fn same_calls(s: &mut Session, cmd: &[&str]) {
    let (redis, ours) = s.both(cmd);
    assert_eq!(calls(&ours), calls(&redis), "{cmd:?}");
}

fn latency(s: &mut Session) {
    s.run(&["LATENCY", "RESET"]);
    s.run(&["CONFIG", "SET", "latency-monitor-threshold", "0"]);
    s.run(&["CLIENT", "ID"]);
    s.script(&[
        &["LATENCY", "LATEST"],
        &["LATENCY", "HISTORY", "command"],
        &["LATENCY", "RESET"],
        &["LATENCY", "RESET", "command", "blabla"],
        &["LATENCY", "GRAPH", "command"],
        &["LATENCY", "DOCTOR"],
        &["LATENCY", "HELP"],
        &["LATENCY", "HELP", "x"],
        &["LATENCY", "HISTORY"],
        &["LATENCY", "GRAPH"],
        &["LATENCY", "LATEST", "x"],
        &["LATENCY", "NOSUCH"],
        &["LATENCY"],
        &["CONFIG", "SET", "latency-monitor-threshold", "-1"],
        &["CONFIG", "SET", "latency-monitor-threshold", "10000"],
        &["CONFIG", "GET", "latency-monitor-threshold"],
        &["LATENCY", "DOCTOR"],
        &["CONFIG", "SET", "latency-monitor-threshold", "0"],
        &["CONFIG", "RESETSTAT"],
        &["SET", "a", "b"],
        &["SET", "c", "d"],
        &["GET", "a"],
        &["CLIENT", "GETNAME"],
        &["SET", "a"],
        &["LATENCY", "HISTOGRAM", "blabla"],
        &["LATENCY", "HISTOGRAM", "blabla", "hset"],
    ]);
    same_calls(s, &["LATENCY", "HISTOGRAM"]);
    same_calls(s, &["LATENCY", "HISTOGRAM", "set", "get", "nosuch", "zadd"]);
    same_calls(s, &["LATENCY", "HISTOGRAM", "client"]);
    same_calls(s, &["LATENCY", "HISTOGRAM", "client|id", "CONFIG|resetstat", "client|nosuch"]);
}

#[test]
fn latency_resp2() {
    let mut s = Session::new();
    latency(&mut s);
}

#[test]
fn latency_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    latency(&mut s);
}

/// Buckets as Redis's histogram reports them (checked against the oracle's replies: a SET of
/// 33 µs is reported at 33, a 200.5 ms DEBUG SLEEP at 270532 µs).
#[test]
fn histogram_buckets() {
    use playground_engine::cmd::latency::bucket;
    assert_eq!(bucket(0), 2);
    assert_eq!(bucket(1), 2);
    assert_eq!(bucket(2), 2);
    assert_eq!(bucket(33), 33);
    assert_eq!(bucket(1000), 1056);
    assert_eq!(bucket(200_500), 270_532);
}

/// An active expiry cycle the host timed (`emulate` times each `tick`) over the threshold is an
/// `expire-cycle` sample, the largest of a second kept, as Redis samples its timed cycles; one
/// under the threshold is none. (The oracle's cycles take its own time: nothing to compare.)
#[test]
fn a_long_expire_cycle_is_an_expire_cycle_sample() {
    use playground_engine::Engine;
    let now = 1_700_000_000_000;
    let mut e = Engine::new(1, now);
    let c = e.connect(now);
    let run = |e: &mut Engine, cmd: &str| {
        e.execute(c, cmd.split(' ').map(|w| bytes::Bytes::from(w.to_owned())).collect(), now)
    };
    run(&mut e, "CONFIG SET latency-monitor-threshold 20");
    e.expire_cycle_took(19, now);
    assert_eq!(run(&mut e, "LATENCY LATEST"), Frame::Array(vec![]));
    e.expire_cycle_took(25, now);
    e.expire_cycle_took(30, now + 10);
    let int = Frame::Integer;
    let sample = Frame::Array(vec![Frame::bulk("expire-cycle"), int(now as i64 / 1000), int(30), int(30)]);
    assert_eq!(run(&mut e, "LATENCY LATEST"), Frame::Array(vec![sample]));
    let graph = run(&mut e, "LATENCY GRAPH expire-cycle");
    let text = String::from_utf8_lossy(graph.as_bytes().unwrap_or_default()).into_owned();
    assert!(text.starts_with("expire-cycle - high 30 ms, low 30 ms"), "{text}");
    run(&mut e, "CONFIG SET latency-monitor-threshold 0");
    e.expire_cycle_took(500, now + 5000);
    assert_eq!(
        run(&mut e, "LATENCY HISTORY expire-cycle"),
        Frame::Array(vec![Frame::Array(vec![int(now as i64 / 1000), int(30)])])
    );
}
