//! Client-side caching against the oracle: CLIENT TRACKING in its modes (default, BCAST with
//! prefixes, OPTIN/OPTOUT with CLIENT CACHING, NOLOOP, REDIRECT to a RESP2 subscriber of
//! `__redis__:invalidate`), the invalidations each connection receives for writes, deletions,
//! expiry and flushes, CLIENT GETREDIR/TRACKINGINFO, the errors, and what CLIENT LIST and INFO
//! say about tracking clients.

mod common;
use common::Session;

/// A session whose connection 1 speaks RESP3.
fn with_resp3_reader() -> Session {
    let mut s = Session::new();
    let reader = s.connect();
    s.run_on(reader, &["HELLO", "3"]);
    s
}

#[test]
fn default_mode_invalidates_keys_read_once() {
    let mut s = with_resp3_reader();
    s.on(0, &["MSET", "k1", "a", "k2", "b", "k3", "c"]);
    s.on(1, &["CLIENT", "TRACKING", "ON"]);
    s.on(1, &["GET", "k1"]);
    s.on(1, &["MGET", "k2", "k3", "nokey"]);
    s.on(0, &["SET", "k1", "x"]);
    s.on(0, &["SET", "k1", "y"]);
    s.on(0, &["DEL", "k2"]);
    s.on(0, &["SET", "nokey", "1"]);
    s.on(0, &["APPEND", "k3", "!"]);
    // Reads of every family remember their keys; writes of every family invalidate.
    s.on(0, &["RPUSH", "l", "a"]);
    s.on(0, &["HSET", "h", "f", "v"]);
    s.on(0, &["ZADD", "z", "1", "m"]);
    s.on(1, &["LRANGE", "l", "0", "-1"]);
    s.on(1, &["HGET", "h", "f"]);
    s.on(1, &["ZSCORE", "z", "m"]);
    s.on(1, &["EXISTS", "k1"]);
    s.on(0, &["LPOP", "l"]);
    s.on(0, &["HDEL", "h", "f"]);
    s.on(0, &["ZINCRBY", "z", "1", "m"]);
    s.on(0, &["EXPIRE", "k1", "100"]);
    // Its own write: the reply, then the invalidation.
    s.on(1, &["GET", "own"]);
    s.on(1, &["SET", "own", "1"]);
    s.on(1, &["CLIENT", "TRACKING", "OFF"]);
    s.on(1, &["GET", "k1"]);
    s.on(0, &["SET", "k1", "z"]);
    s.quiet();
}

#[test]
fn noloop_skips_own_writes() {
    let mut s = with_resp3_reader();
    s.on(1, &["CLIENT", "TRACKING", "ON", "NOLOOP"]);
    s.on(1, &["GET", "a"]);
    s.on(1, &["GET", "b"]);
    s.on(1, &["SET", "a", "1"]);
    s.on(0, &["SET", "b", "1"]);
    s.on(1, &["MULTI"]);
    s.on(1, &["GET", "c"]);
    s.on(1, &["SET", "c", "1"]);
    s.on(1, &["EXEC"]);
    s.quiet();
}

#[test]
fn bcast_prefixes() {
    let mut s = with_resp3_reader();
    let loopless = s.connect();
    s.run_on(loopless, &["HELLO", "3"]);
    s.on(1, &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "cart:"]);
    s.on(loopless, &["CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP"]);
    s.on(0, &["SET", "user:1", "a"]);
    s.on(0, &["MSET", "cart:2", "x", "cart:1", "y", "other", "z"]);
    s.on(0, &["SET", "other", "z"]);
    s.on(loopless, &["SET", "user:2", "mine"]);
    s.on(loopless, &["MSET", "user:3", "mine", "other", "mine"]);
    s.on(1, &["GET", "user:1"]);
    s.on(1, &["CLIENT", "TRACKINGINFO"]);
    s.on(loopless, &["CLIENT", "TRACKINGINFO"]);
    s.on(1, &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "us"]);
    s.on(1, &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x", "PREFIX", "xy"]);
    s.on(1, &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "new:"]);
    s.on(0, &["SET", "new:1", "v"]);
    s.on(1, &["CLIENT", "TRACKINGINFO"]);
    s.on(1, &["CLIENT", "TRACKING", "ON"]);
    s.on(1, &["CLIENT", "TRACKING", "OFF"]);
    s.on(0, &["SET", "user:1", "b"]);
    s.on(1, &["CLIENT", "TRACKINGINFO"]);
    s.quiet();
}

#[test]
fn optin_and_optout_with_caching() {
    let mut s = with_resp3_reader();
    let out = s.connect();
    s.run_on(out, &["HELLO", "3"]);
    s.on(1, &["CLIENT", "TRACKING", "ON", "OPTIN"]);
    s.on(out, &["CLIENT", "TRACKING", "ON", "OPTOUT"]);
    s.on(1, &["GET", "a"]);
    s.on(1, &["CLIENT", "CACHING", "YES"]);
    s.on(1, &["CLIENT", "TRACKINGINFO"]);
    s.on(1, &["GET", "b"]);
    s.on(1, &["CLIENT", "TRACKINGINFO"]);
    s.on(1, &["GET", "c"]);
    s.on(out, &["GET", "a"]);
    s.on(out, &["CLIENT", "CACHING", "NO"]);
    s.on(out, &["CLIENT", "TRACKINGINFO"]);
    s.on(out, &["GET", "b"]);
    s.on(out, &["GET", "c"]);
    // CACHING YES before MULTI covers the whole transaction.
    s.on(1, &["CLIENT", "CACHING", "YES"]);
    s.on(1, &["MULTI"]);
    s.on(1, &["GET", "d"]);
    s.on(1, &["GET", "e"]);
    s.on(1, &["EXEC"]);
    for key in ["a", "b", "c", "d", "e"] {
        s.on(0, &["SET", key, "1"]);
    }
    s.on(1, &["CLIENT", "CACHING", "NO"]);
    s.on(out, &["CLIENT", "CACHING", "YES"]);
    s.on(out, &["CLIENT", "CACHING", "MAYBE"]);
    s.quiet();
}

#[test]
fn redirect_to_a_resp2_subscriber() {
    let mut s = Session::new();
    let listener = s.connect();
    let tracked = s.connect();
    let ids = s.client_ids(listener);
    s.on(listener, &["SUBSCRIBE", "__redis__:invalidate"]);
    s.on_naming(tracked, &["CLIENT", "TRACKING", "ON", "REDIRECT", "{a}"], ids);
    s.on_naming(tracked, &["CLIENT", "GETREDIR"], ids);
    s.on(tracked, &["GET", "r1"]);
    s.on(tracked, &["GET", "r2"]);
    s.on(0, &["SET", "r1", "v"]);
    s.on(tracked, &["SET", "r2", "v"]);
    s.on(0, &["FLUSHALL"]);
    // A RESP2 client without redirection gets nothing.
    s.on(0, &["CLIENT", "TRACKING", "ON"]);
    s.on(0, &["GET", "r3"]);
    s.on(0, &["SET", "r3", "v"]);
    s.quiet();
}

#[test]
fn a_redirect_that_hangs_up_is_broken() {
    let mut s = with_resp3_reader();
    let gone = s.connect();
    let ids = s.client_ids(gone);
    s.on_naming(1, &["CLIENT", "TRACKING", "ON", "REDIRECT", "{a}"], ids);
    s.on(1, &["GET", "b1"]);
    s.hang_up(gone);
    s.on_naming(0, &["SET", "b1", "v"], ids);
    s.on_naming(1, &["CLIENT", "TRACKINGINFO"], ids);
    s.on_naming(1, &["CLIENT", "GETREDIR"], ids);
    s.on(1, &["GET", "b2"]);
    s.on_naming(1, &["SET", "b2", "v"], ids);
    s.quiet();
}

#[test]
fn flush_and_expiry_invalidate() {
    let mut s = with_resp3_reader();
    s.on(1, &["CLIENT", "TRACKING", "ON"]);
    s.on(1, &["GET", "f1"]);
    s.on(0, &["FLUSHDB"]);
    s.on(1, &["FLUSHALL"]);
    // Inside a transaction the flush's invalidation follows EXEC's reply.
    s.on(1, &["GET", "f2"]);
    s.on(1, &["MULTI"]);
    s.on(1, &["FLUSHDB"]);
    s.on(1, &["EXEC"]);
    // Long enough for GET to read it on a loaded machine (both sides run on the real clock).
    s.on(0, &["SET", "e1", "v", "PX", "300"]);
    s.on(1, &["GET", "e1"]);
    std::thread::sleep(std::time::Duration::from_millis(400));
    s.on(0, &["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
    s.on(0, &["EXISTS", "e1"]);
    s.on(0, &["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
    s.quiet();
}

#[test]
fn tracking_errors_and_info() {
    let mut s = Session::new();
    s.script(&[
        &["CLIENT", "TRACKING"],
        &["CLIENT", "TRACKING", "maybe"],
        &["CLIENT", "TRACKING", "ON", "NOPE"],
        &["CLIENT", "TRACKING", "ON", "REDIRECT"],
        &["CLIENT", "TRACKING", "ON", "REDIRECT", "x"],
        &["CLIENT", "TRACKING", "ON", "REDIRECT", "999999"],
        &["CLIENT", "TRACKING", "ON", "REDIRECT", "0"],
        &["CLIENT", "TRACKING", "ON", "PREFIX", "a"],
        &["CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"],
        &["CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"],
        &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab", "PREFIX", "a"],
        &["CLIENT", "CACHING", "YES"],
        &["CLIENT", "CACHING"],
        &["CLIENT", "GETREDIR"],
        &["CLIENT", "GETREDIR", "x"],
        &["CLIENT", "TRACKINGINFO"],
        &["CLIENT", "TRACKINGINFO", "x"],
        &["CLIENT", "TRACKING", "ON", "OPTIN"],
        &["CLIENT", "TRACKING", "ON", "OPTOUT"],
        &["CLIENT", "TRACKING", "ON", "BCAST"],
        &["CLIENT", "GETREDIR"],
        &["CLIENT", "TRACKINGINFO"],
        &["CLIENT", "TRACKING", "OFF", "OPTIN"],
        &["CLIENT", "TRACKING", "OFF", "bogus"],
        &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p1", "PREFIX", "q1"],
        &["CLIENT", "TRACKINGINFO"],
        &["CLIENT", "TRACKING", "OFF"],
        &["CONFIG", "GET", "tracking-table-max-keys"],
        &["CONFIG", "SET", "tracking-table-max-keys", "-1"],
        &["CONFIG", "SET", "tracking-table-max-keys", "x"],
        &["CONFIG", "SET", "tracking-table-max-keys", "10"],
        &["CONFIG", "GET", "tracking-table-max-keys"],
        &["CONFIG", "SET", "tracking-table-max-keys", "1000000"],
    ]);
    s.run(&["HELLO", "3"]);
    s.script(&[
        &["CLIENT", "TRACKING", "ON", "OPTIN"],
        &["CLIENT", "TRACKINGINFO"],
        &["RESET"],
        &["CLIENT", "TRACKINGINFO"],
    ]);
    // CLIENT LIST shows the mode; INFO counts the clients and the keys.
    let reader = s.connect();
    s.run_on(reader, &["HELLO", "3"]);
    s.on(reader, &["CLIENT", "TRACKING", "ON"]);
    s.on(reader, &["MGET", "i1", "i2"]);
    let (o, e) = s.run(&["INFO", "clients"]);
    let field = |f: &playground_engine::Frame, name: &str| {
        String::from_utf8_lossy(f.as_bytes().unwrap())
            .lines()
            .find(|l| l.starts_with(name))
            .map(str::to_owned)
    };
    assert_eq!(field(&e, "tracking_clients:"), field(&o, "tracking_clients:"));
    let (o, e) = s.run(&["INFO", "stats"]);
    for name in ["tracking_total_keys:", "tracking_total_items:", "tracking_total_prefixes:"] {
        assert_eq!(field(&e, name), field(&o, name), "{name}");
    }
    let (o, e) = s.run(&["CLIENT", "LIST"]);
    let flags = |f: &playground_engine::Frame| {
        let text = String::from_utf8_lossy(f.as_bytes().unwrap()).into_owned();
        let mut v: Vec<String> = text
            .lines()
            .map(|l| {
                l.split(' ')
                    .filter(|w| w.starts_with("flags=") || w.starts_with("redir="))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(flags(&e), flags(&o));
    s.quiet();
}
