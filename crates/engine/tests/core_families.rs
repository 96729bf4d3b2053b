//! The engine's two builds: by default every command runs; with feature `core-only` (the page's
//! first wasm) the rarely used families and RediSearch keep their table entries but say they
//! need their group loaded, so a host loads it (`cmd::full_tables`, from a split-off chunk in
//! the page) and `cmd::install`s it before it sends one. Run in both:
//! `cargo test -p playground-engine --test core_families` and the same with
//! `--features core-only`.

use bytes::Bytes;
use playground_engine::cmd::{all, full_tables, install, is_installed, lazy_group, LazyGroup};
use playground_engine::{Engine, Frame};

fn args(line: &str) -> Vec<Bytes> {
    line.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect()
}

/// Commands of the left-out families, and commands that stay in every build.
const LAZY: &[(&str, LazyGroup)] = &[
    ("FT.SEARCH idx *", LazyGroup::Search),
    ("ft.create idx SCHEMA t TEXT", LazyGroup::Search),
    ("XADD s * f v", LazyGroup::Rare),
    ("xgroup CREATE s g $", LazyGroup::Rare),
    ("XINFO STREAM s", LazyGroup::Rare),
    ("GEOADD g 1 2 m", LazyGroup::Rare),
    ("JSON.SET j $ 1", LazyGroup::Rare),
    ("SETBIT b 1 1", LazyGroup::Rare),
    ("BITFIELD b GET u8 0", LazyGroup::Rare),
    ("PFADD h a", LazyGroup::Rare),
    ("SORT l", LazyGroup::Rare),
    ("LCS a b", LazyGroup::Rare),
    ("DEBUG OBJECT k", LazyGroup::Rare),
    ("DUMP k", LazyGroup::Rare),
    ("RESTORE k 0 x", LazyGroup::Rare),
    ("ACL WHOAMI", LazyGroup::Rare),
    ("FUNCTION LIST", LazyGroup::Rare),
    ("SCRIPT EXISTS abc", LazyGroup::Rare),
    ("LATENCY LATEST", LazyGroup::Rare),
    ("SLOWLOG GET", LazyGroup::Rare),
    ("COMMAND DOCS get", LazyGroup::Rare),
    ("MEMORY USAGE k", LazyGroup::Rare),
    ("ROLE", LazyGroup::Rare),
    ("LOLWUT", LazyGroup::Rare),
    ("CLIENT TRACKING on", LazyGroup::Rare),
    ("client kill ID 5", LazyGroup::Rare),
    ("SWAPDB 0 1", LazyGroup::Rare),
    ("MOVE k 1", LazyGroup::Rare),
    ("BZPOPMIN z 0", LazyGroup::Rare),
    ("ZMPOP 1 z MIN", LazyGroup::Rare),
    ("SUBSCRIBE c", LazyGroup::Rare),
    ("PUBLISH c m", LazyGroup::Rare),
    ("PUBSUB NUMPAT", LazyGroup::Rare),
    ("SINTER a b", LazyGroup::Rare),
    ("ZUNIONSTORE d 2 a b", LazyGroup::Rare),
    ("ZRANGEBYLEX z - +", LazyGroup::Rare),
    ("HRANDFIELD h", LazyGroup::Rare),
    ("BLMOVE a b LEFT RIGHT 0", LazyGroup::Rare),
    ("COPY a b", LazyGroup::Rare),
];
const CORE: &[&str] = &[
    "GET k",
    "SET k v EX 10",
    "HSET h f v",
    "HEXPIRE h 10 FIELDS 1 f",
    "ZADD z 1 m",
    "ZRANGE z 0 -1 WITHSCORES",
    "SADD s m",
    "LPUSH l a",
    "LTRIM l 0 9",
    "INCR counter",
    "OBJECT ENCODING k",
    "CONFIG GET maxmemory",
    "CLIENT LIST",
    "INFO memory",
    "EVAL return 1 0",
    "MULTI",
    "EXEC",
    "NOSUCHCOMMAND",
    "XGROUP NOSUCHSUB",
];

#[test]
fn the_command_table_is_the_same_in_both_builds() {
    // Every lazy command is still listed with its arity, flags and keys: COMMAND INFO, help and
    // arity errors do not depend on the build.
    let names: Vec<&str> = all().map(|s| s.name).collect();
    for name in ["xadd", "xgroup", "geoadd", "json.set", "setbit", "pfadd", "sort", "lcs", "debug", "restore"]
    {
        assert!(names.contains(&name), "{name} listed");
    }
    let mut engine = Engine::new(1, 1_000);
    let client = engine.connect(1_000);
    assert_eq!(
        engine.execute(client, args("XADD s"), 1_000),
        Frame::Error("ERR wrong number of arguments for 'xadd' command".into())
    );
}

/// One test, because `install` is process-wide: marked before, answering after.
#[test]
fn lazy_groups_are_marked_in_the_core_build_until_installed() {
    let core = cfg!(feature = "core-only");
    for (line, group) in LAZY {
        assert_eq!(lazy_group(&args(line)), core.then_some(*group), "{line}");
    }
    for line in CORE {
        assert_eq!(lazy_group(&args(line)), None, "{line}");
    }
    let mut engine = Engine::new(1, 1_000);
    let client = engine.connect(1_000);
    let reply = engine.execute(client, args("XADD s 1-1 f v"), 1_000);
    if core {
        assert!(matches!(&reply, Frame::Error(e) if e.contains("full engine")), "{reply:?}");
    } else {
        assert_eq!(reply, Frame::bulk(Bytes::from_static(b"1-1")));
    }
    // The core families answer the same in both builds.
    assert_eq!(engine.execute(client, args("SET k v"), 1_000), Frame::ok());
    assert_eq!(engine.execute(client, args("GET k"), 1_000), Frame::bulk(Bytes::from_static(b"v")));

    // Installing one group makes its commands (and a container's subcommands) answer, and
    // leaves the other group marked.
    assert_eq!(is_installed(LazyGroup::Rare), !core);
    install(full_tables(LazyGroup::Rare));
    assert!(is_installed(LazyGroup::Rare));
    assert_eq!(is_installed(LazyGroup::Search), !core);
    for (line, group) in LAZY {
        let expected = (core && *group == LazyGroup::Search).then_some(*group);
        assert_eq!(lazy_group(&args(line)), expected, "{line}");
    }
    assert_eq!(
        engine.execute(client, args("XADD s 1-2 f v"), 1_000),
        Frame::bulk(Bytes::from_static(b"1-2"))
    );
    assert_eq!(engine.execute(client, args("XGROUP CREATE s g 0"), 1_000), Frame::ok());
    // COMMAND INFO (itself in the rare group) describes a lazily loaded command from its table.
    let info = engine.execute(client, args("COMMAND INFO xadd"), 1_000);
    let Frame::Array(rows) = info else { panic!("COMMAND INFO: {info:?}") };
    assert!(matches!(&rows[0], Frame::Array(row) if row[1] == Frame::Integer(-5)), "{rows:?}");
    install(full_tables(LazyGroup::Search));
    assert_eq!(engine.execute(client, args("FT.CREATE idx SCHEMA t TEXT"), 1_000), Frame::ok());
    assert!(LAZY.iter().all(|(line, _)| lazy_group(&args(line)).is_none()));
}
