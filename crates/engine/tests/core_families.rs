//! The engine's two builds: by default every command runs; with feature `core-only` (the page's
//! first wasm) the rarely used families keep their table entries but say they
//! need the full engine, so a host loads it before it sends one. Run in both:
//! `cargo test -p playground-engine --test core_families` and the same with
//! `--features core-only`.

use bytes::Bytes;
use playground_engine::cmd::{all, needs_full_engine};
use playground_engine::{Engine, Frame};

fn args(line: &str) -> Vec<Bytes> {
    line.split(' ').map(|a| Bytes::copy_from_slice(a.as_bytes())).collect()
}

/// Commands of the left-out families, and commands that stay in every build.
const LAZY: &[&str] = &[
    "XADD s * f v",
    "xgroup CREATE s g $",
    "XINFO STREAM s",
    "GEOADD g 1 2 m",
    "JSON.SET j $ 1",
    "SETBIT b 1 1",
    "BITFIELD b GET u8 0",
    "PFADD h a",
    "SORT l",
    "LCS a b",
    "DEBUG OBJECT k",
    "DUMP k",
    "RESTORE k 0 x",
];
const CORE: &[&str] = &[
    "GET k",
    "SET k v EX 10",
    "HSET h f v",
    "HEXPIRE h 10 FIELDS 1 f",
    "ZADD z 1 m",
    "BZPOPMIN z 0",
    "SUBSCRIBE c",
    "CLIENT TRACKING on",
    "OBJECT ENCODING k",
    "FT.SEARCH idx *",
    "EVAL return 1 0",
    "MULTI",
    "EXEC",
    "NOSUCHCOMMAND",
    "XGROUP NOSUCHSUB",
];

#[test]
fn lazy_commands_are_marked_only_in_the_core_build() {
    let core = cfg!(feature = "core-only");
    for line in LAZY {
        assert_eq!(needs_full_engine(&args(line)), core, "{line}");
    }
    for line in CORE {
        assert!(!needs_full_engine(&args(line)), "{line}");
    }
}

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
    let info = engine.execute(client, args("COMMAND INFO xadd"), 1_000);
    let Frame::Array(rows) = info else { panic!("COMMAND INFO: {info:?}") };
    assert!(matches!(&rows[0], Frame::Array(row) if row[1] == Frame::Integer(-5)), "{rows:?}");
}

#[test]
fn a_lazy_command_answers_only_in_the_full_build() {
    let mut engine = Engine::new(1, 1_000);
    let client = engine.connect(1_000);
    let reply = engine.execute(client, args("XADD s 1-1 f v"), 1_000);
    if !cfg!(feature = "core-only") {
        assert_eq!(reply, Frame::bulk(Bytes::from_static(b"1-1")));
    } else {
        assert!(matches!(&reply, Frame::Error(e) if e.contains("full engine")), "{reply:?}");
    }
    // The core families answer the same in both builds.
    assert_eq!(engine.execute(client, args("SET k v"), 1_000), Frame::ok());
    assert_eq!(engine.execute(client, args("GET k"), 1_000), Frame::bulk(Bytes::from_static(b"v")));
}
