//! HyperLogLog against Redis 7.4, byte for byte: replies and the HLL strings themselves (GET of
//! sparse and dense HLLs, the cached cardinality in the header), promotion to dense, PFMERGE,
//! PFDEBUG, and hand-corrupted values.

mod common;
use bytes::Bytes;
use common::{Choose, Session};
use rand_core::SeedableRng;

/// Binary-safe command.
fn cmd(parts: &[&[u8]]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p)).collect()
}

/// PFADD `count` elements `prefix0..` in batches of `batch`, every reply and the bytes compared.
fn add_many(s: &mut Session, key: &str, prefix: &str, range: std::ops::Range<usize>, batch: usize) {
    let items: Vec<String> = range.map(|i| format!("{prefix}{i}")).collect();
    for chunk in items.chunks(batch) {
        let mut line = vec!["PFADD", key];
        line.extend(chunk.iter().map(String::as_str));
        s.same(&line);
    }
}

#[test]
fn add_count_and_the_bytes() {
    let mut s = Session::new();
    s.script(&[
        &["PFADD", "h"],
        &["GET", "h"],
        &["PFCOUNT", "h"],
        &["GET", "h"],
        &["PFADD", "h"],
        &["PFADD", "h", "a", "b", "c"],
        &["GET", "h"],
        &["PFADD", "h", "a", "b", "c"],
        &["PFCOUNT", "h"],
        &["GET", "h"],
        &["PFADD", "h", ""],
        &["PFADD", "h", "1", "2", "3"],
        &["GETRANGE", "h", "15", "15"],
        &["STRLEN", "h"],
        &["TYPE", "h"],
        &["OBJECT", "ENCODING", "h"],
        &["PFCOUNT", "nokey"],
        &["EXISTS", "nokey"],
        &["PFCOUNT", "h", "nokey"],
        &["PFCOUNT", "nokey", "nokey2"],
        &["EXPIRE", "h", "1000"],
        &["PFADD", "h", "ttl-kept"],
        &["PFCOUNT", "h"],
        &["PFMERGE", "h", "x"],
        &["PFDEBUG", "TODENSE", "h"],
        &["TTL", "h"],
        &["OBJECT", "ENCODING", "h"],
        &["PFADD", "x", "same", "same", "same"],
        &["PFCOUNT", "x"],
        &["GET", "x"],
        &["PFADD"],
        &["PFCOUNT"],
        &["PFMERGE"],
        &["PFDEBUG", "encoding"],
        &["PFDEBUG", "encoding", "h", "extra"],
        &["PFSELFTEST", "x"],
    ]);
}

#[test]
fn counts_across_sizes_and_the_sparse_to_dense_crossing() {
    let mut s = Session::new();
    let mut done = 0;
    for target in [1, 5, 10, 50, 100, 200, 300, 500, 800, 1000, 1500, 2000, 3000, 5000, 10000, 30000] {
        add_many(&mut s, "big", "el:", done..target, 97);
        done = target;
        s.script(&[
            &["PFCOUNT", "big"],
            &["PFDEBUG", "ENCODING", "big"],
            &["STRLEN", "big"],
            &["GET", "big"],
            &["PFCOUNT", "big"],
        ]);
    }
    // One element at a time around the crossing, with the cache read in between.
    for i in 0..400 {
        let el = format!("one:{i}");
        s.same(&["PFADD", "slow", &el]);
        if i % 7 == 0 {
            s.same(&["PFCOUNT", "slow"]);
        }
        if i % 50 == 0 {
            s.same(&["GET", "slow"]);
        }
    }
    s.script(&[&["GET", "slow"], &["PFDEBUG", "DECODE", "slow"], &["PFCOUNT", "slow", "big"]]);
}

#[test]
fn sparse_max_bytes_is_a_setting() {
    let mut s = Session::new();
    for max in ["30", "100", "500", "0"] {
        s.same(&["CONFIG", "SET", "hll-sparse-max-bytes", max]);
        s.same(&["DEL", "h"]);
        s.same(&["PFADD", "h"]);
        for i in 0..40 {
            let a = format!("{max}:{i}");
            let b = format!("{max}:{i}:b");
            s.script(&[&["PFADD", "h", &a, &b], &["STRLEN", "h"], &["PFDEBUG", "ENCODING", "h"]]);
        }
        s.same(&["GET", "h"]);
    }
    s.script(&[
        &["CONFIG", "GET", "hll-sparse-max-bytes"],
        &["CONFIG", "SET", "hll-sparse-max-bytes", "1kb"],
        &["CONFIG", "GET", "hll-sparse-max-bytes"],
        &["CONFIG", "SET", "hll-sparse-max-bytes", "-1"],
        &["CONFIG", "SET", "hll-sparse-max-bytes", "abc"],
        &["CONFIG", "SET", "hll-sparse-max-bytes", "99999999999999999999"],
        &["CONFIG", "SET", "hll-sparse-max-bytes", "3000"],
        // A sparse HLL bigger than a lowered limit turns dense on its next growth.
        &["DEL", "h"],
        &["PFADD", "h", "a", "b", "c", "d", "e", "d", "g", "h", "i", "j", "k"],
        &["PFDEBUG", "ENCODING", "h"],
        &["CONFIG", "SET", "hll-sparse-max-bytes", "30"],
        &["PFADD", "h", "new_element"],
        &["PFDEBUG", "ENCODING", "h"],
        &["GET", "h"],
    ]);
}

#[test]
fn merge_mixes() {
    let mut s = Session::new();
    s.script(&[
        &["PFADD", "a{t}", "a", "b", "c"],
        &["PFADD", "b{t}", "b", "c", "d"],
        &["PFADD", "c{t}", "c", "d", "e"],
        &["PFMERGE", "u{t}", "a{t}", "b{t}", "c{t}"],
        &["GET", "u{t}"],
        &["PFCOUNT", "u{t}"],
        &["PFCOUNT", "a{t}", "b{t}", "c{t}"],
        &["PFMERGE", "missing{t}", "nokey{t}"],
        &["GET", "missing{t}"],
        &["PFCOUNT", "missing{t}"],
        &["PFMERGE", "alone{t}"],
        &["GET", "alone{t}"],
        &["PFMERGE", "a{t}"],
        &["GET", "a{t}"],
        &["PFCOUNT", "a{t}"],
    ]);
    add_many(&mut s, "d{t}", "dense:", 0..3000, 200);
    s.script(&[
        &["PFDEBUG", "ENCODING", "d{t}"],
        &["PFCOUNT", "d{t}"],
        // A sparse destination with a dense source turns dense, keeping its stale card bytes.
        &["PFCOUNT", "a{t}"],
        &["PFMERGE", "a{t}", "d{t}"],
        &["GET", "a{t}"],
        &["PFCOUNT", "a{t}"],
        &["PFMERGE", "sp{t}", "b{t}", "c{t}"],
        &["PFDEBUG", "ENCODING", "sp{t}"],
        &["GET", "sp{t}"],
        &["PFMERGE", "d{t}", "b{t}"],
        &["GET", "d{t}"],
        &["PFCOUNT", "d{t}", "b{t}", "nokey{t}"],
    ]);
    // Many sparse sources whose union outgrows the sparse limit.
    for k in 0..6 {
        add_many(&mut s, &format!("s{k}{{t}}"), &format!("src{k}:"), 0..300, 150);
    }
    s.script(&[
        &["PFMERGE", "all{t}", "s0{t}", "s1{t}", "s2{t}", "s3{t}", "s4{t}", "s5{t}"],
        &["PFDEBUG", "ENCODING", "all{t}"],
        &["GET", "all{t}"],
        &["PFCOUNT", "all{t}"],
        &["PFCOUNT", "s0{t}", "s1{t}", "s2{t}", "s3{t}", "s4{t}", "s5{t}"],
        &["PFMERGE", "two{t}", "s0{t}", "s1{t}"],
        &["GET", "two{t}"],
        &["PFDEBUG", "DECODE", "two{t}"],
    ]);
    // Type errors, in the order Redis checks them.
    s.script(&[
        &["SET", "str{t}", "bar"],
        &["RPUSH", "list{t}", "x"],
        &["PFADD", "str{t}", "1"],
        &["PFADD", "list{t}", "1"],
        &["PFCOUNT", "str{t}"],
        &["PFCOUNT", "list{t}"],
        &["PFCOUNT", "a{t}", "list{t}"],
        &["PFCOUNT", "a{t}", "str{t}"],
        &["PFMERGE", "bar{t}", "str{t}"],
        &["PFMERGE", "str{t}", "bar{t}"],
        &["PFMERGE", "list{t}", "a{t}"],
        &["PFMERGE", "a{t}", "list{t}"],
        &["EXISTS", "bar{t}"],
        &["SET", "int{t}", "123456789012345678"],
        &["PFADD", "int{t}", "x"],
        &["PFMERGE", "new{t}", "a{t}", "int{t}"],
        &["EXISTS", "new{t}"],
    ]);
}

#[test]
fn debug_subcommands() {
    let mut s = Session::new();
    s.script(&[
        &["PFADD", "h", "1", "2", "3"],
        &["PFDEBUG", "GETREG", "h"],
        &["PFDEBUG", "ENCODING", "h"],
        &["GET", "h"],
        &["PFADD", "sp", "x", "y", "z", "w"],
        &["PFDEBUG", "DECODE", "sp"],
        &["PFDEBUG", "decode", "h"],
        &["PFDEBUG", "ENCODING", "sp"],
        &["PFDEBUG", "TODENSE", "sp"],
        &["PFDEBUG", "TODENSE", "sp"],
        &["GET", "sp"],
        &["PFCOUNT", "sp"],
        &["PFDEBUG", "nope", "sp"],
        &["PFDEBUG", "nope", "nokey"],
        &["PFDEBUG", "GETREG", "nokey"],
        &["SET", "str", "hello"],
        &["PFDEBUG", "ENCODING", "str"],
        &["PFDEBUG", "nope", "str"],
        &["RPUSH", "list", "a"],
        &["PFDEBUG", "ENCODING", "list"],
        &["PFSELFTEST"],
    ]);
    s.run(&["HELLO", "3"]);
    s.script(&[
        &["PFDEBUG", "ENCODING", "sp"],
        &["PFDEBUG", "GETREG", "h"],
        &["PFDEBUG", "DECODE", "h"],
        &["PFADD", "r3", "a"],
        &["PFDEBUG", "DECODE", "r3"],
        &["PFCOUNT", "r3", "sp"],
        &["PFMERGE", "r3", "sp"],
        &["GET", "r3"],
        &["PFCOUNT", "r3"],
        &["PFADD", "str", "x"],
        &["PFCOUNT", "nokey"],
    ]);
}

/// A sparse HLL header followed by `body`, with the cache marked valid (`card`) or stale.
fn sparse_with(body: &[u8], card: Option<u64>) -> Vec<u8> {
    let mut v = b"HYLL\x01\0\0\0".to_vec();
    v.extend_from_slice(&card.unwrap_or(1 << 63).to_le_bytes());
    v.extend_from_slice(body);
    v
}

#[test]
fn hand_made_and_corrupt_values() {
    let mut s = Session::new();
    s.script(&[
        &["PFADD", "c", "a", "b", "c"],
        &["APPEND", "c", "hello"],
        &["PFCOUNT", "c"],
        &["PFADD", "c", "z"],
        &["GET", "c"],
        &["DEL", "c"],
        &["PFADD", "c", "a", "b", "c"],
        &["SETRANGE", "c", "0", "0123"],
        &["PFCOUNT", "c"],
        &["PFADD", "c", "x"],
        &["PFMERGE", "c", "c"],
        &["PFDEBUG", "ENCODING", "c"],
        &["DEL", "c"],
        &["PFADD", "c", "a", "b", "c"],
        &["SETRANGE", "c", "4", "x"],
        &["PFCOUNT", "c"],
        &["SETRANGE", "c", "4", "\x00"],
        &["PFCOUNT", "c"],
        &["SET", "short", "HYLL"],
        &["PFCOUNT", "short"],
        &["SET", "short", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"],
        &["PFCOUNT", "short"],
    ]);
    // A short valid HLL SET by hand is an embstr until a PF command touches it.
    let empty = sparse_with(&[0x7f, 0xff], Some(0));
    for touch in
        [&["PFCOUNT", "e", "nokey"][..], &["PFADD", "e"], &["PFDEBUG", "ENCODING", "e"], &["PFCOUNT", "e"]]
    {
        s.same_bytes(&cmd(&[b"SET", b"e", &empty]));
        s.script(&[&["OBJECT", "ENCODING", "e"], touch, &["OBJECT", "ENCODING", "e"]]);
    }
    let bad = sparse_with(&[0x7f, 0xfe], None);
    s.same_bytes(&cmd(&[b"SET", b"e", &bad]));
    s.script(&[&["PFADD", "e", "a"], &["OBJECT", "ENCODING", "e"], &["GET", "e"]]);
    let xzero_all = [0x7f, 0xff];
    let cases: Vec<(&str, Vec<u8>)> = vec![
        // Valid, hand-made: the cached cardinality is believed as it is.
        ("cached", sparse_with(&xzero_all, Some(12345))),
        ("stale", sparse_with(&xzero_all, None)),
        ("nohdr-unused", {
            let mut v = sparse_with(&[0x80, 0x7f, 0xfe], None);
            v[5] = 0xaa;
            v[7] = 0x01;
            v
        }),
        // Split in many small opcodes: VAL runs, ZERO, XZERO of length 1.
        ("pieces", sparse_with(&[0x83, 0x8c, 0x00, 0x40, 0x00, 0x7f, 0xf8], None)),
        // Run lengths that overflow the 16384 registers.
        ("overflow", sparse_with(&[0x7f, 0xff, 0x7f, 0xff], None)),
        ("valover", sparse_with(&[0x7f, 0xfe, 0x83], None)),
        ("short", sparse_with(&[0x7f, 0xf0], None)),
        ("empty", sparse_with(&[], None)),
        // An XZERO cut after its first byte (it reads the string's terminating zero).
        ("cut", sparse_with(&[0x7f], None)),
        ("cut2", sparse_with(&[0x7f, 0xbf, 0x7f], None)),
        ("zeros", sparse_with(&[0x00; 40], None)),
    ];
    for (name, bytes) in &cases {
        let key = name.as_bytes();
        s.same_bytes(&cmd(&[b"SET", key, bytes]));
        for line in [
            &[b"PFCOUNT".as_slice(), key][..],
            &[b"GET", key],
            &[b"PFCOUNT", key, b"nokey"],
            &[b"PFADD", key, b"a", b"b", b"c", b"d", b"e", b"f", b"g"],
            &[b"GET", key],
            &[b"PFADD", key, b"x:1", b"x:2"],
            &[b"PFMERGE", b"m", key],
            &[b"GET", b"m"],
            &[b"DEL", b"m"],
            &[b"PFDEBUG", b"DECODE", key],
            &[b"PFDEBUG", b"TODENSE", key],
            &[b"GET", key],
            &[b"PFCOUNT", key],
        ] {
            s.same_bytes(&cmd(line));
        }
    }
    // A dense HLL with registers above what any element can produce, and a cached card.
    let mut dense = b"HYLL\x00\x00\x00\x00".to_vec();
    dense.extend_from_slice(&7u64.to_le_bytes());
    dense.extend((0..12288).map(|i| (i * 37 % 256) as u8));
    s.same_bytes(&cmd(&[b"SET", b"dense", &dense]));
    for line in [
        &[b"PFCOUNT".as_slice(), b"dense"][..],
        &[b"PFCOUNT", b"dense", b"nokey"],
        &[b"PFADD", b"dense", b"q"],
        &[b"PFCOUNT", b"dense"],
        &[b"GET", b"dense"],
        &[b"PFMERGE", b"dm", b"cached", b"dense"],
        &[b"GET", b"dm"],
        &[b"PFCOUNT", b"dm"],
    ] {
        s.same_bytes(&cmd(line));
    }
}

/// After a PFADD on a corrupt value: SET both sides to the (compared, equal) bytes. A split of an
/// XZERO cut off at the end leaves a byte past the string's end in Redis's memory that later
/// commands read; a fresh SET zeroes it on both sides (see `types/hll.rs`).
fn resync(s: &mut Session, key: &str) {
    let (theirs, _) = s.both(&["GET", key]);
    let bytes = theirs.as_bytes().expect("an HLL string").to_vec();
    s.same_bytes(&cmd(&[b"SET", key.as_bytes(), &bytes]));
}

struct Rng(rand_xoshiro::Xoshiro256PlusPlus);
impl Choose for Rng {
    fn rng(&mut self) -> &mut rand_xoshiro::Xoshiro256PlusPlus {
        &mut self.0
    }
}

#[test]
fn fuzzed_corruptions_answer_alike() {
    let mut s = Session::new();
    let mut r = Rng(rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(17));
    for round in 0..150 {
        s.same(&["DEL", "f"]);
        let n = 1 + r.below(2500);
        add_many(&mut s, "f", &format!("r{round}:"), 0..n, 250);
        let len = match s.run(&["STRLEN", "f"]).0 {
            playground_engine::Frame::Integer(len) => len as usize,
            other => panic!("STRLEN: {other:?}"),
        };
        for _ in 0..1 + r.below(5) {
            let pos = r.below(len).to_string();
            let byte = [r.below(256) as u8];
            s.same_bytes(&cmd(&[b"SETRANGE", b"f", pos.as_bytes(), &byte]));
        }
        for line in [
            &[b"PFCOUNT".as_slice(), b"f"][..],
            &[b"PFCOUNT", b"f", b"nokey"],
            &[b"PFADD", b"f", b"p", b"q", b"r", b"s"],
            &[b"GET", b"f"],
        ] {
            s.same_bytes(&cmd(line));
        }
        resync(&mut s, "f");
        s.script(&[&["PFMERGE", "g", "f"], &["GET", "g"], &["DEL", "g"]]);
    }
}

#[test]
fn fuzzed_sparse_bodies_take_writes_alike() {
    let mut s = Session::new();
    let mut r = Rng(rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(71));
    for round in 0..300 {
        s.same(&["DEL", "f"]);
        let n = 1 + r.below(300);
        add_many(&mut s, "f", &format!("s{round}:"), 0..n, 300);
        let len = match s.run(&["STRLEN", "f"]).0 {
            playground_engine::Frame::Integer(len) => len as usize,
            other => panic!("STRLEN: {other:?}"),
        };
        // Opcode bytes only: the header stays a sparse one.
        for _ in 0..1 + r.below(3) {
            let pos = (16 + r.below(len - 16)).to_string();
            let byte = [r.below(256) as u8];
            s.same_bytes(&cmd(&[b"SETRANGE", b"f", pos.as_bytes(), &byte]));
        }
        if r.below(4) == 0 {
            s.same(&["APPEND", "f", "\x7f"]);
        }
        let more: Vec<String> = (0..1 + r.below(60)).map(|i| format!("m{round}:{i}")).collect();
        let mut line = vec!["PFADD", "f"];
        line.extend(more.iter().map(String::as_str));
        s.script(&[&line, &["GET", "f"]]);
        resync(&mut s, "f");
        s.script(&[&["PFCOUNT", "f", "nokey"], &["PFMERGE", "g", "f"], &["GET", "g"]]);
        s.script(&[&["PFDEBUG", "DECODE", "f"], &["PFCOUNT", "f"], &["DEL", "g"]]);
    }
}

#[test]
fn hlls_made_by_redis_read_and_grow_alike() {
    let mut s = Session::new();
    // Built on Redis alone, then copied byte for byte into both servers.
    for (key, n) in [("r:sparse", 150), ("r:dense", 5000)] {
        let items: Vec<String> = (0..n).map(|i| format!("redis-only:{key}:{i}")).collect();
        let mut line = vec![Bytes::from_static(b"PFADD"), Bytes::copy_from_slice(key.as_bytes())];
        line.extend(items.iter().map(|i| Bytes::copy_from_slice(i.as_bytes())));
        s.oracle.raw(&line);
        let raw = s.oracle.raw(&common::args(&["GET", key]));
        let bytes = common::decode(&raw).as_bytes().expect("an HLL").to_vec();
        s.same_bytes(&cmd(&[b"SET", key.as_bytes(), &bytes]));
    }
    s.script(&[
        &["PFDEBUG", "ENCODING", "r:sparse"],
        &["PFDEBUG", "ENCODING", "r:dense"],
        &["PFCOUNT", "r:sparse"],
        &["PFCOUNT", "r:dense"],
        &["GET", "r:sparse"],
        &["PFCOUNT", "r:sparse", "r:dense"],
        &["PFADD", "r:sparse", "more", "and more"],
        &["GET", "r:sparse"],
        &["PFADD", "r:dense", "more", "and more"],
        &["PFCOUNT", "r:dense"],
        &["PFMERGE", "r:sparse", "r:dense"],
        &["GET", "r:sparse"],
        &["PFCOUNT", "r:sparse"],
    ]);
    // WATCH sees the cache written by PFCOUNT, as Redis's signalModifiedKey does.
    s.script(&[
        &["PFADD", "w", "a"],
        &["WATCH", "w"],
        &["PFCOUNT", "w"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
        &["WATCH", "w"],
        &["PFCOUNT", "w"],
        &["MULTI"],
        &["PING"],
        &["EXEC"],
    ]);
}

#[test]
fn random_mixes_of_adds_merges_and_limits() {
    let mut s = Session::new();
    let mut r = Rng(rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4242));
    let keys = ["k1{t}", "k2{t}", "k3{t}", "k4{t}"];
    for step in 0..1500 {
        let key = r.pick(&keys);
        match r.below(10) {
            0 => {
                let max = r.pick(&["0", "40", "120", "300", "3000", "20000"]);
                s.same(&["CONFIG", "SET", "hll-sparse-max-bytes", max]);
            }
            1 => {
                let (a, b) = (r.pick(&keys), r.pick(&keys));
                s.script(&[&["PFMERGE", key, a, b], &["GET", key]]);
            }
            2 => s.script(&[&["PFCOUNT", key], &["GET", key]]),
            3 => s.same(&["PFCOUNT", keys[0], keys[1], keys[2], keys[3]]),
            4 if step % 50 == 0 => s.same(&["DEL", key]),
            _ => {
                // Small universes repeat elements; large ones grow the HLL.
                let universe = [50, 500, 100_000][r.below(3)];
                let items: Vec<String> =
                    (0..1 + r.below(12)).map(|_| format!("u{}", r.below(universe))).collect();
                let mut line = vec!["PFADD", key];
                line.extend(items.iter().map(String::as_str));
                s.script(&[&line, &["GET", key]]);
            }
        }
    }
}
