//! Property tests: the RESP codec round-trips every frame under any split of the byte stream,
//! parsing garbage never panics, and random command sequences never panic the engine (a panic
//! in wasm kills the page).
#![cfg(not(target_arch = "wasm32"))]

use bytes::Bytes;
use playground_engine::resp::{encode_command, parse_command, parse_frame, CommandParser, Limits};
use playground_engine::{cmd, Engine, Frame, Protocol};
use proptest::prelude::*;

/// Frames that survive a RESP3 round trip unchanged (RESP3 has a type for each variant).
fn frame() -> impl Strategy<Value = Frame> {
    let leaf = prop_oneof![
        "[a-zA-Z0-9 ]{0,12}".prop_map(Frame::Simple),
        "[A-Z]{3} [a-z ]{0,12}".prop_map(Frame::Error),
        any::<i64>().prop_map(Frame::Integer),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(|b| Frame::Bulk(Bytes::from(b))),
        Just(Frame::Null),
        any::<bool>().prop_map(Frame::Boolean),
        (-1e12f64..1e12).prop_map(Frame::Double),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Frame::Array),
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Frame::Set),
            proptest::collection::vec((inner.clone(), inner), 0..4).prop_map(Frame::Map),
        ]
    })
}

/// Feed `bytes` to the parser in chunks cut at `cuts`, as a socket would deliver them.
fn parse_in_chunks(bytes: &[u8], cuts: &[usize]) -> Vec<Frame> {
    let mut frames = Vec::new();
    let mut buf = Vec::new();
    let mut fed = 0;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.push(bytes.len());
    points.sort_unstable();
    for point in points {
        buf.extend_from_slice(&bytes[fed..point.max(fed)]);
        fed = point.max(fed);
        while let Some((frame, used)) = parse_frame(&buf, &Limits::default()).expect("valid stream") {
            frames.push(frame);
            buf.drain(..used);
        }
    }
    assert!(buf.is_empty(), "bytes left over");
    frames
}

proptest! {
    #[test]
    fn frames_round_trip_under_any_split(frames in proptest::collection::vec(frame(), 1..5), cuts in proptest::collection::vec(any::<usize>(), 0..6)) {
        let mut wire = Vec::new();
        for f in &frames {
            f.encode(Protocol::Resp3, &mut wire);
        }
        prop_assert_eq!(parse_in_chunks(&wire, &cuts), frames);
    }

    #[test]
    fn commands_round_trip_under_any_split(args in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 1..6), cut in any::<usize>()) {
        let mut wire = Vec::new();
        encode_command(&args, &mut wire);
        let cut = cut % (wire.len() + 1);
        if cut < wire.len() {
            prop_assert_eq!(parse_command(&wire[..cut], &Limits::default()).expect("prefix is valid"), None);
        }
        let (parsed, used) = parse_command(&wire, &Limits::default()).expect("valid").expect("complete");
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(parsed.iter().map(|b| b.to_vec()).collect::<Vec<_>>(), args);
    }

    /// A server's incremental parser, fed a pipeline of commands in arbitrary pieces, finds the
    /// same commands as parsing each whole.
    #[test]
    fn commands_read_in_pieces_resume(commands in proptest::collection::vec(proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 1..5), 1..4), cuts in proptest::collection::vec(1usize..16, 1..40)) {
        let mut wire = Vec::new();
        for args in &commands {
            encode_command(args, &mut wire);
        }
        let (mut parser, mut buf, mut sent, mut found) = (CommandParser::default(), Vec::new(), 0, Vec::new());
        let mut pieces = cuts.iter().cycle();
        while sent < wire.len() {
            let n = (*pieces.next().expect("cycle")).min(wire.len() - sent);
            buf.extend_from_slice(&wire[sent..sent + n]);
            sent += n;
            while let Some((args, used)) = parser.parse(&buf, &Limits::default()).expect("valid") {
                found.push(args.iter().map(|b| b.to_vec()).collect::<Vec<_>>());
                buf.drain(..used);
            }
        }
        prop_assert!(buf.is_empty());
        prop_assert_eq!(found, commands);
    }

    #[test]
    fn garbage_never_panics_the_parsers(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_command(&bytes, &Limits::default());
        let _ = parse_frame(&bytes, &Limits::default());
        // The incremental parser, fed every prefix in turn (as a server reading byte by byte).
        let mut parser = CommandParser::default();
        for end in 0..=bytes.len() {
            if parser.parse(&bytes[..end], &Limits::default()).is_err() {
                break;
            }
        }
    }
}

/// Arguments that hit interesting paths: numbers, ranges, options, binary junk.
fn argument() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"k".to_vec()),
        Just(b"k2".to_vec()),
        "-?[0-9]{1,4}".prop_map(String::into_bytes),
        Just(b"-1".to_vec()),
        Just(b"9223372036854775807".to_vec()),
        Just(b"-inf".to_vec()),
        Just(b"(1".to_vec()),
        Just(b"[a".to_vec()),
        Just(b"+".to_vec()),
        prop::sample::select(vec![
            "NX",
            "XX",
            "GT",
            "LT",
            "CH",
            "INCR",
            "EX",
            "PX",
            "KEEPTTL",
            "GET",
            "WITHSCORES",
            "REV",
            "BYSCORE",
            "BYLEX",
            "LIMIT",
            "COUNT",
            "MATCH",
            "LEFT",
            "RIGHT",
            "WEIGHTS",
            "AGGREGATE",
            "SUM"
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..8),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_command_sequences_never_panic(
        script in proptest::collection::vec((0usize..400, proptest::collection::vec(argument(), 0..7), 0u64..100_000), 1..60)
    ) {
        let names: Vec<&str> = cmd::all().map(|s| s.name).filter(|n| !matches!(*n, "flushall" | "flushdb")).collect();
        let mut engine = Engine::new(3, 0);
        let client = engine.connect(0);
        let mut now = 0;
        for (pick, args, advance) in script {
            now += advance;
            let mut line = vec![Bytes::from(names[pick % names.len()].to_string())];
            line.extend(args.into_iter().map(Bytes::from));
            let reply = engine.execute(client, line, now);
            let mut wire = Vec::new();
            reply.encode(engine.protocol(client), &mut wire);
            prop_assert!(!wire.is_empty());
            engine.tick(now);
        }
    }
}
