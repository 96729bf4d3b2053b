//! PUBSUB, SLOWLOG, MODULE and FUNCTION with nothing subscribed, slow, loaded by the user or
//! defined, against Redis 7.4 in RESP2 and RESP3: replies, HELP texts, argument errors.

mod common;
use common::Session;

fn services(s: &mut Session) {
    s.script(&[
        &["PUBSUB", "HELP"],
        &["pubsub", "channels"],
        &["PUBSUB", "CHANNELS", "a*"],
        &["PUBSUB", "CHANNELS", "a", "b"],
        &["PUBSUB", "NUMSUB"],
        &["PUBSUB", "NUMSUB", "a", "b"],
        &["PUBSUB", "NUMPAT"],
        &["PUBSUB", "NUMPAT", "x"],
        &["PUBSUB", "SHARDCHANNELS"],
        &["PUBSUB", "shardchannels", "a", "b"],
        &["PUBSUB", "SHARDNUMSUB", "a"],
        &["PUBSUB", "NOSUCH"],
        &["PUBSUB"],
        &["SLOWLOG", "HELP"],
        &["SLOWLOG", "RESET"],
        &["SLOWLOG", "LEN"],
        &["SLOWLOG", "LEN", "x"],
        &["SLOWLOG", "GET"],
        &["SLOWLOG", "GET", "0"],
        &["SLOWLOG", "GET", "-1"],
        &["SLOWLOG", "GET", "-2"],
        &["SLOWLOG", "GET", "x"],
        &["SLOWLOG", "GET", "99999999999999999999"],
        &["SLOWLOG", "GET", "1", "2"],
        &["MODULE", "HELP"],
        &["FUNCTION", "HELP"],
        &["FUNCTION", "LIST"],
        &["FUNCTION", "LIST", "WITHCODE"],
        &["FUNCTION", "LIST", "libraryname", "x*", "withcode"],
        &["FUNCTION", "LIST", "withcode", "withcode"],
        &["FUNCTION", "LIST", "LIBRARYNAME"],
        &["FUNCTION", "LIST", "foo"],
        &["FUNCTION", "STATS"],
        &["FUNCTION", "STATS", "x"],
        &["FUNCTION", "FLUSH"],
        &["FUNCTION", "FLUSH", "async"],
        &["FUNCTION", "FLUSH", "SYNC"],
        &["FUNCTION", "FLUSH", "x"],
        &["FUNCTION", "FLUSH", "a", "b"],
        &["FUNCTION", "DELETE", "lib"],
        &["FUNCTION", "KILL"],
    ]);
    // MODULE LIST names RedisJSON and RediSearch, as the oracle with both modules does:
    // differential_modules.rs compares it there.
}

#[test]
fn services_in_resp2() {
    let mut s = Session::new();
    services(&mut s);
    // Categories in Redis's order (RESP2 only: the engine sends no command tips and, in RESP3,
    // its empty tip / key spec lists are arrays where Redis sends sets).
    s.script(&[
        &[
            "COMMAND",
            "INFO",
            "pubsub|numsub",
            "slowlog|help",
            "function|help",
            "module|help",
            "pubsub|channels",
        ],
        &["COMMAND", "INFO", "client|id", "multi", "exec", "echo", "module|help"],
    ]);
}

#[test]
fn services_in_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    services(&mut s);
}
