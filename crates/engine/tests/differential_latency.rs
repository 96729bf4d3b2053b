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
