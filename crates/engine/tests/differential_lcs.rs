//! LCS against Redis 7.4, byte for byte: the subsequence, LEN, IDX with MINMATCHLEN and
//! WITHMATCHLEN, in RESP2 and RESP3; its errors and size checks; and the host's limit on its
//! table, which only the engine has.

mod common;
use bytes::Bytes;
use common::{args, now_ms, Session};
use playground_engine::{Engine, Frame};

const OPTIONS: &[&[&str]] = &[
    &[],
    &["LEN"],
    &["IDX"],
    &["IDX", "WITHMATCHLEN"],
    &["IDX", "MINMATCHLEN", "2"],
    &["idx", "minmatchlen", "4", "withmatchlen"],
    &["WITHMATCHLEN", "IDX", "MINMATCHLEN", "-3"],
    &["WITHMATCHLEN"],
    &["MINMATCHLEN", "2"],
    &["LEN", "MINMATCHLEN", "1", "WITHMATCHLEN"],
    &["IDX", "IDX", "MINMATCHLEN", "9", "MINMATCHLEN", "1"],
];

fn all_options(s: &mut Session, a: &str, b: &str) {
    for options in OPTIONS {
        let mut line = vec!["LCS", a, b];
        line.extend_from_slice(options);
        s.same(&line);
    }
}

#[test]
fn lcs_replies() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "a", "ohmytext"],
        &["SET", "b", "mynewtext"],
        &["SET", "same", "ohmytext"],
        &["SET", "empty", ""],
        &["SET", "n1", "1234567"],
        &["SET", "n2", "7654321234"],
    ]);
    for (a, b) in [
        ("a", "b"),
        ("b", "a"),
        ("a", "same"),
        ("a", "a"),
        ("a", "empty"),
        ("a", "none"),
        ("none", "none2"),
        ("n1", "n2"),
        ("n1", "a"),
    ] {
        all_options(&mut s, a, b);
    }
}

#[test]
fn lcs_on_random_strings() {
    let mut s = Session::new();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..25 {
        // Small alphabets, so runs of matches of every length occur.
        let alphabet = [2, 3, 4, 26][round % 4];
        let mut text = |len: u64| -> Vec<u8> { (0..len).map(|_| b'a' + (next() % alphabet) as u8).collect() };
        let (la, lb) = (1 + round as u64 * 3, 1 + (round as u64 * 7) % 50);
        let (a, b) = (text(la), text(lb));
        s.same_bytes(&[Bytes::from_static(b"SET"), Bytes::from_static(b"ra"), Bytes::from(a)]);
        s.same_bytes(&[Bytes::from_static(b"SET"), Bytes::from_static(b"rb"), Bytes::from(b)]);
        all_options(&mut s, "ra", "rb");
    }
    // Binary bytes compare as bytes.
    s.same_bytes(&[
        Bytes::from_static(b"SET"),
        Bytes::from_static(b"ba"),
        Bytes::from_static(b"\x00\xff\x00\x80\x7f"),
    ]);
    s.same_bytes(&[
        Bytes::from_static(b"SET"),
        Bytes::from_static(b"bb"),
        Bytes::from_static(b"\xff\x00\x80\x00"),
    ]);
    all_options(&mut s, "ba", "bb");
}

#[test]
fn lcs_errors() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "a", "abc"],
        &["RPUSH", "list", "x"],
        &["LCS", "a", "list"],
        &["LCS", "list", "a"],
        &["LCS", "list", "none"],
        &["LCS", "list", "a", "FOO"],
        &["LCS", "a", "a", "LEN", "IDX"],
        &["LCS", "a", "a", "IDX", "LEN", "FOO"],
        &["LCS", "a", "a", "FOO", "LEN", "IDX"],
        &["LCS", "a", "a", "FOO"],
        &["LCS", "a", "a", "MINMATCHLEN"],
        &["LCS", "a", "a", "MINMATCHLEN", "x"],
        &["LCS", "a", "a", "MINMATCHLEN", "1.5", "FOO"],
        &["LCS", "a", "a", "IDX", "MINMATCHLEN", "9223372036854775808"],
        &["LCS", "a"],
        &["LCS"],
        // The table ((len + 1) squared times 4 bytes) may not exceed proto-max-bulk-len.
        &["CONFIG", "SET", "proto-max-bulk-len", "1mb"],
        &["SET", "long", &"x".repeat(600)],
        &["LCS", "long", "long"],
        &["LCS", "long", "long", "LEN"],
        &["LCS", "long", "a", "LEN"],
        &["LCS", "long", "none", "IDX"],
        &["CONFIG", "SET", "proto-max-bulk-len", "512mb"],
        &["LCS", "long", "long", "LEN"],
    ]);
}

#[test]
fn resp3_replies() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    s.script(&[&["SET", "a", "ohmytext"], &["SET", "b", "mynewtext"]]);
    all_options(&mut s, "a", "b");
    all_options(&mut s, "a", "none");
}

/// Both keys count a hit or a miss, even when one has the wrong type.
#[test]
fn hits_and_misses_count_as_in_redis() {
    let mut s = Session::new();
    s.script(&[&["SET", "a", "x"], &["RPUSH", "list", "a"]]);
    for command in [&["LCS", "a", "none"][..], &["LCS", "list", "a"], &["LCS", "a", "a", "FOO"]] {
        s.run(&["CONFIG", "RESETSTAT"]);
        s.run(command);
        let pick = |f: &Frame| -> Vec<String> {
            let text = String::from_utf8_lossy(f.as_bytes().expect("bulk")).into_owned();
            text.lines().filter(|l| l.starts_with("keyspace_")).map(str::to_string).collect()
        };
        let (theirs, ours) = s.both(&["INFO", "stats"]);
        assert_eq!(pick(&ours), pick(&theirs), "{command:?} (left: emulator, right: Redis)");
    }
    let (theirs, ours) = s.both(&["COMMAND", "INFO", "lcs"]);
    let head = |f: &Frame| match f {
        Frame::Array(outer) => match outer.first() {
            Some(Frame::Array(fields)) => fields[..7].to_vec(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert_eq!(head(&ours), head(&theirs));
}

/// In a browser tab the table is bounded by the host's value limit too, refused in words.
#[test]
fn a_host_limit_bounds_the_table() {
    let now = now_ms();
    let mut engine = Engine::new(1, now);
    engine.set_value_limit(Some(1 << 20));
    let c = engine.connect(now);
    let mut run = |parts: &[&str]| engine.execute(c, args(parts), now);
    run(&["SET", "ok", &"x".repeat(500)]);
    run(&["SET", "long", &"x".repeat(600)]);
    assert_eq!(run(&["LCS", "ok", "ok", "LEN"]), Frame::Integer(500));
    match run(&["LCS", "long", "long"]) {
        Frame::Error(e) => assert!(
            e.starts_with(
                "ERR Insufficient memory, transient memory for LCS exceeds the playground's limit of 1 MB"
            ),
            "{e}"
        ),
        other => panic!("{other:?}"),
    }
}
