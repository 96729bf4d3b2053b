//! How far a string may grow: Redis's `proto-max-bulk-len` (checked by SETRANGE and APPEND, and
//! settable), against the oracle; and the host's own smaller limit (`Engine::set_value_limit`,
//! the page's), which only the engine has.

mod common;

use common::{args, now_ms, Session};
use playground_engine::{Engine, Frame};

#[test]
fn setrange_and_append_stop_at_proto_max_bulk_len() {
    let mut s = Session::new();
    s.same(&["SETRANGE", "k", "536870911", "x"]);
    s.same(&["SETRANGE", "k", "536870912", "x"]);
    s.same(&["DEL", "k"]);
    s.same(&["CONFIG", "SET", "proto-max-bulk-len", "1mb"]);
    s.same(&["SETRANGE", "k", "1048576", "x"]);
    s.same(&["SETRANGE", "k", "1048575", "x"]);
    s.same(&["APPEND", "k", "y"]);
    s.same(&["STRLEN", "k"]);
    s.same(&["CONFIG", "SET", "proto-max-bulk-len", "512mb"]);
    s.same(&["DEL", "k"]);
}

#[test]
fn a_host_limit_refuses_in_words_and_changes_nothing() {
    let now = now_ms();
    let mut engine = Engine::new(1, now);
    engine.set_value_limit(Some(1 << 20));
    let c = engine.connect(now);
    let run = |e: &mut Engine, parts: &[&str]| e.execute(c, args(parts), now);
    assert_eq!(run(&mut engine, &["SETRANGE", "k", "1048575", "x"]), Frame::Integer(1 << 20));
    for refused in [&["SETRANGE", "k", "1048576", "x"][..], &["APPEND", "k", "y"]] {
        match run(&mut engine, refused) {
            Frame::Error(e) => assert!(
                e.starts_with("ERR string exceeds the playground's limit of 1 MB") && e.contains("512 MB"),
                "{e}"
            ),
            other => panic!("{refused:?}: {other:?}"),
        }
    }
    assert_eq!(run(&mut engine, &["STRLEN", "k"]), Frame::Integer(1 << 20));
    // Redis's own limit still comes first, with Redis's words.
    assert_eq!(
        run(&mut engine, &["SETRANGE", "k", "536870912", "x"]),
        Frame::Error("ERR string exceeds maximum allowed size (proto-max-bulk-len)".into())
    );
}
