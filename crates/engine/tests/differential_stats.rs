//! keyspace_hits and keyspace_misses, the numbers behind every hit ratio a learner reads, counted
//! as Redis 7.4 + RediSearch counts them: reads count, writes that look a key up do not (SPOP,
//! ZPOPMIN, ZREMRANGEBY*), and the oddities a random run found: SPOP past the set's size and COPY
//! read the key once more, and RediSearch's keyspace-event handler reads a renamed or copied key
//! in database 0.

mod common;
use common::Session;

/// The hit and miss counters of `INFO stats` on both sides: (oracle, engine).
fn counters(s: &mut Session) -> (Vec<String>, Vec<String>) {
    let pick = |f: &playground_engine::Frame| -> Vec<String> {
        let text = String::from_utf8_lossy(f.as_bytes().unwrap_or_default()).into_owned();
        text.lines().filter(|l| l.starts_with("keyspace_")).map(str::to_string).collect()
    };
    let (theirs, ours) = s.both(&["INFO", "stats"]);
    (pick(&theirs), pick(&ours))
}

#[test]
fn hits_and_misses_count_as_in_redis() {
    let setups: &[&[&str]] = &[
        &["SET", "hs:s", "5"],
        &["RPUSH", "hs:l", "a", "b", "c"],
        &["HSET", "hs:h", "f", "1"],
        &["SADD", "hs:st", "a", "b", "1"],
        &["ZADD", "hs:z", "1", "a", "2", "b", "3", "c"],
    ];
    let commands: &[&[&str]] = &[
        &["GET", "hs:s"],
        &["GET", "hs:none"],
        &["SPOP", "hs:st"],
        &["SPOP", "hs:st", "1000"],
        &["SPOP", "hs:none", "1000"],
        &["ZPOPMIN", "hs:z"],
        &["ZREMRANGEBYRANK", "hs:z", "0", "0"],
        &["ZREMRANGEBYSCORE", "hs:z", "0", "1"],
        &["ZREMRANGEBYLEX", "hs:z", "-", "[a"],
        &["ZREMRANGEBYLEX", "hs:none", "-", "[a"],
        &["ZRANDMEMBER", "hs:z"],
        &["RENAME", "hs:s", "hs:s2"],
        &["RENAMENX", "hs:l", "hs:l2"],
        &["COPY", "hs:h", "hs:h2"],
        &["COPY", "hs:h", "hs:h3", "DB", "3"],
        &["LPOS", "hs:l", "b"],
        &["TYPE", "hs:none"],
        &["EXISTS", "hs:s", "hs:none"],
    ];
    for db in ["0", "12"] {
        for command in commands {
            let mut s = Session::new();
            s.same(&["SELECT", db]);
            s.script(setups);
            s.run(&["CONFIG", "RESETSTAT"]);
            // Replies are compared elsewhere (and SPOP, ZRANDMEMBER pick at random).
            s.run(command);
            let (theirs, ours) = counters(&mut s);
            assert_eq!(ours, theirs, "{command:?} in db {db} (left: emulator, right: Redis)");
        }
    }
}
