//! Bitmaps against Redis 7.4, byte for byte: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD
//! and BITFIELD_RO, every option, range edge and error, in RESP2 and RESP3; the changes they count
//! (rdb_changes_since_last_save), the keyspace hits and misses they count, the encodings they
//! leave; and the host's value limit, which only the engine has.

mod common;
use bytes::Bytes;
use common::{args, now_ms, Session};
use playground_engine::{Engine, Frame};

/// A command with binary arguments.
fn cmd(parts: &[&[u8]]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p)).collect()
}

/// A small deterministic generator (xorshift64), the same draws on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        // Runs of 0x00 and 0xff beside random bytes, so BITPOS meets whole words to skip.
        (0..len)
            .map(|_| match self.below(4) {
                0 => 0,
                1 => 0xff,
                _ => self.next() as u8,
            })
            .collect()
    }
}

/// `field` of INFO `section` on both sides: (oracle, engine).
fn info_field(s: &mut Session, section: &str, field: &str) -> (i64, i64) {
    let pick = |f: &Frame| -> i64 {
        let text = String::from_utf8_lossy(f.as_bytes().expect("bulk")).into_owned();
        let line = text.lines().find(|l| l.starts_with(&format!("{field}:"))).expect("field").to_string();
        line.split(':').nth(1).expect("value").parse().expect("number")
    };
    let (theirs, ours) = s.both(&["INFO", section]);
    (pick(&theirs), pick(&ours))
}

#[test]
fn setbit_and_getbit() {
    let mut s = Session::new();
    s.script(&[
        &["SETBIT", "bm", "7", "1"],
        &["GET", "bm"],
        &["GETBIT", "bm", "7"],
        &["GETBIT", "bm", "6"],
        &["GETBIT", "bm", "8"],
        &["GETBIT", "bm", "4294967295"],
        &["SETBIT", "bm", "7", "1"],
        &["SETBIT", "bm", "7", "0"],
        &["SETBIT", "bm", "100", "1"],
        &["STRLEN", "bm"],
        &["GET", "bm"],
        &["SETBIT", "bm", "3", "0"],
        &["SETBIT", "bm", "0", "1"],
        &["GET", "bm"],
        &["OBJECT", "ENCODING", "bm"],
        &["GETBIT", "none", "0"],
        &["GETBIT", "none", "4294967295"],
        &["EXISTS", "none"],
        &["SETBIT", "bm2", "0", "0"],
        &["GET", "bm2"],
        &["OBJECT", "ENCODING", "bm2"],
        // An integer-encoded string is read as its digits and becomes raw once written.
        &["SET", "n", "12"],
        &["GETBIT", "n", "2"],
        &["GETBIT", "n", "3"],
        &["GETBIT", "n", "15"],
        &["GETBIT", "n", "16"],
        &["OBJECT", "ENCODING", "n"],
        &["SETBIT", "n", "2", "1"],
        &["OBJECT", "ENCODING", "n"],
        &["SET", "n2", "12"],
        &["SETBIT", "n2", "1", "0"],
        &["OBJECT", "ENCODING", "n2"],
        &["SET", "e", "hello"],
        &["OBJECT", "ENCODING", "e"],
        &["SETBIT", "e", "0", "0"],
        &["OBJECT", "ENCODING", "e"],
        &["GET", "e"],
    ]);
}

#[test]
fn setbit_and_getbit_errors() {
    let mut s = Session::new();
    s.script(&[
        &["RPUSH", "list", "a"],
        &["SETBIT", "list", "0", "1"],
        &["GETBIT", "list", "0"],
        &["SETBIT", "list", "-1", "1"],
        &["SETBIT", "list", "0", "2"],
        &["GETBIT", "list", "x"],
        &["SETBIT", "k", "-1", "1"],
        &["SETBIT", "k", "abc", "1"],
        &["SETBIT", "k", "1.5", "1"],
        &["SETBIT", "k", "01", "1"],
        &["SETBIT", "k", "+1", "1"],
        &["SETBIT", "k", "", "1"],
        &["SETBIT", "k", "#1", "1"],
        &["SETBIT", "k", "4294967296", "1"],
        &["SETBIT", "k", "9223372036854775807", "1"],
        &["SETBIT", "k", "9223372036854775808", "1"],
        &["SETBIT", "k", "1", "2"],
        &["SETBIT", "k", "1", "-1"],
        &["SETBIT", "k", "1", "x"],
        &["SETBIT", "k", "1", ""],
        &["SETBIT", "k", "1", "01"],
        &["SETBIT", "k", "x", "x"],
        &["GETBIT", "k", "-1"],
        &["GETBIT", "k", "4294967296"],
        &["GETBIT", "k", "#0"],
        &["EXISTS", "k"],
        &["SETBIT", "k", "1"],
        &["SETBIT", "k", "1", "1", "1"],
        &["GETBIT", "k"],
        &["GETBIT", "k", "1", "1"],
    ]);
}

#[test]
fn setbit_keeps_the_ttl() {
    let mut s = Session::new();
    s.script(&[&["SET", "t", "v", "EX", "100"], &["SETBIT", "t", "100", "1"], &["STRLEN", "t"]]);
    s.close(&["TTL", "t"], 1);
    s.script(&[&["SETBIT", "t", "0", "1"], &["SETBIT", "t", "0", "1"]]);
    s.close(&["TTL", "t"], 1);
}

#[test]
fn offsets_stop_at_proto_max_bulk_len() {
    let mut s = Session::new();
    s.script(&[
        &["CONFIG", "SET", "proto-max-bulk-len", "1mb"],
        &["SETBIT", "big", "8388608", "1"],
        &["GETBIT", "big", "8388608"],
        &["SETBIT", "big", "8388607", "1"],
        &["STRLEN", "big"],
        &["GETBIT", "big", "8388607"],
        &["BITCOUNT", "big"],
        &["BITPOS", "big", "1"],
        &["BITPOS", "big", "1", "-1"],
        &["BITPOS", "big", "0", "-1"],
        &["BITPOS", "big", "0", "-1", "-1"],
        // BITFIELD checks the field's first bit; the field may end past the limit.
        &["BITFIELD", "big", "SET", "u8", "8388607", "255"],
        &["STRLEN", "big"],
        &["BITFIELD", "big", "GET", "u8", "8388607", "GET", "i16", "8388600"],
        &["BITFIELD", "big", "GET", "u8", "8388608"],
        &["BITFIELD", "big", "GET", "u8", "#1048576"],
        &["BITFIELD", "big", "GET", "u8", "#1048575"],
        &["BITFIELD_RO", "big", "GET", "u8", "8388608"],
        &["CONFIG", "SET", "proto-max-bulk-len", "512mb"],
        &["DEL", "big"],
    ]);
}

#[test]
fn bitcount_ranges() {
    let mut s = Session::new();
    s.same(&["SET", "s", "foobar"]);
    let ranges: &[&[&str]] = &[
        &[],
        &["0", "0"],
        &["1", "1"],
        &["1", "1", "BYTE"],
        &["1", "1", "byte"],
        &["0", "-1"],
        &["-2", "-1"],
        &["-1", "-2"],
        &["-1", "-1"],
        &["2", "1"],
        &["100", "200"],
        &["-100", "-50"],
        &["-100", "3"],
        &["0", "-100"],
        &["5", "30", "BIT"],
        &["0", "-1", "bit"],
        &["1", "-5", "BIT"],
        &["7", "8", "bit"],
        &["9", "9", "BiT"],
        &["8", "15", "BIT"],
        &["-3", "-1", "BIT"],
        &["-1", "-9", "BIT"],
        &["47", "100", "BIT"],
        &["48", "100", "BIT"],
        &["-9223372036854775808", "9223372036854775807", "BIT"],
        &["9223372036854775807", "-9223372036854775808"],
        &["-9223372036854775808", "-9223372036854775807", "BYTE"],
    ];
    for key in ["s", "none"] {
        for range in ranges {
            let mut line = vec!["BITCOUNT", key];
            line.extend_from_slice(range);
            s.same(&line);
        }
    }
    s.script(&[
        &["SET", "n", "1234"],
        &["BITCOUNT", "n"],
        &["BITCOUNT", "n", "1", "2"],
        &["BITCOUNT", "n", "3", "20", "BIT"],
        &["SET", "empty", ""],
        &["BITCOUNT", "empty"],
        &["BITCOUNT", "empty", "0", "-1"],
        &["BITCOUNT", "empty", "0", "-1", "BIT"],
    ]);
}

#[test]
fn bitcount_errors() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "s", "foobar"],
        &["RPUSH", "list", "a"],
        &["BITCOUNT", "s", "0"],
        &["BITCOUNT", "s", "0", "1", "foo"],
        &["BITCOUNT", "s", "a", "1"],
        &["BITCOUNT", "s", "0", "b"],
        &["BITCOUNT", "s", "a", "1", "foo"],
        &["BITCOUNT", "s", "0", "1", "BIT", "x"],
        &["BITCOUNT", "s", "0", "9223372036854775808"],
        &["BITCOUNT", "none", "0"],
        &["BITCOUNT", "none", "0", "1", "foo"],
        &["BITCOUNT", "list"],
        &["BITCOUNT", "list", "0", "1"],
        &["BITCOUNT", "list", "0"],
        &["BITCOUNT", "list", "0", "1", "foo"],
        &["BITCOUNT", "list", "x", "1"],
        &["BITCOUNT"],
    ]);
}

#[test]
fn bitcount_and_bitpos_on_random_strings() {
    let mut s = Session::new();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for round in 0..12 {
        let len = [0, 1, 3, 7, 8, 9, 17, 33, 64, 100, 257, 1000][round];
        let value = rng.bytes(len);
        s.same_bytes(&cmd(&[b"SET", b"r", &value]));
        s.same(&["BITCOUNT", "r"]);
        s.same(&["BITPOS", "r", "0"]);
        s.same(&["BITPOS", "r", "1"]);
        let span = (len as i64 * 8 + 12).max(12);
        for _ in 0..30 {
            let start = (rng.below(span as u64 * 2) as i64 - span).to_string();
            let end = (rng.below(span as u64 * 2) as i64 - span).to_string();
            for unit in [None, Some("BYTE"), Some("BIT")] {
                let mut count = vec!["BITCOUNT", "r", &start, &end];
                count.extend(unit);
                s.same(&count);
                for bit in ["0", "1"] {
                    s.same(&["BITPOS", "r", bit, &start]);
                    let mut pos = vec!["BITPOS", "r", bit, &start, &end];
                    pos.extend(unit);
                    s.same(&pos);
                }
            }
        }
    }
}

#[test]
fn bitpos_edges() {
    let mut s = Session::new();
    let strings: &[(&str, &[u8])] = &[
        ("ones", b"\xff\xff\xff"),
        ("zeros", b"\x00\x00\x00"),
        ("mixed", b"\xff\xf0\x00"),
        ("low", b"\x00\x0f\xff"),
        ("one", b"\x80"),
        ("empty", b""),
    ];
    for (key, value) in strings {
        s.same_bytes(&cmd(&[b"SET", key.as_bytes(), value]));
    }
    let ranges: &[&[&str]] = &[
        &[],
        &["0"],
        &["1"],
        &["-1"],
        &["5"],
        &["-100"],
        &["0", "-1"],
        &["1", "1"],
        &["2", "1"],
        &["-1", "-1"],
        &["0", "0", "BYTE"],
        &["0", "-1", "bit"],
        &["3", "5", "BIT"],
        &["7", "8", "BIT"],
        &["8", "15", "BIT"],
        &["9", "9", "BIT"],
        &["12", "19", "BIT"],
        &["4", "20", "BIT"],
        &["-5", "-1", "BIT"],
        &["-9", "-2", "BIT"],
        &["23", "100", "BIT"],
        &["24", "100", "BIT"],
        &["0", "100", "BYTE"],
    ];
    for key in ["ones", "zeros", "mixed", "low", "one", "empty", "none"] {
        for bit in ["0", "1"] {
            for range in ranges {
                let mut line = vec!["BITPOS", key, bit];
                line.extend_from_slice(range);
                s.same(&line);
            }
        }
    }
    s.script(&[
        &["SET", "n", "1234"],
        &["BITPOS", "n", "1"],
        &["BITPOS", "n", "0", "1", "2"],
        &["BITPOS", "n", "1", "3", "20", "BIT"],
    ]);
}

#[test]
fn bitpos_errors() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "s", "\u{1}"],
        &["RPUSH", "list", "a"],
        &["BITPOS", "s", "2"],
        &["BITPOS", "s", "-1"],
        &["BITPOS", "s", "x"],
        &["BITPOS", "s", "01"],
        &["BITPOS", "s", "1", "a"],
        &["BITPOS", "s", "1", "0", "b"],
        &["BITPOS", "s", "1", "0", "1", "foo"],
        &["BITPOS", "s", "1", "0", "x", "foo"],
        &["BITPOS", "s", "1", "x", "1", "foo"],
        &["BITPOS", "s", "1", "0", "x", "BIT"],
        &["BITPOS", "s", "1", "0", "1", "BIT", "extra"],
        &["BITPOS", "s", "2", "0", "1", "BIT", "extra"],
        &["BITPOS", "none", "0"],
        &["BITPOS", "none", "1"],
        &["BITPOS", "none", "1", "0", "-1", "bit"],
        &["BITPOS", "none", "0", "5", "1"],
        &["BITPOS", "none", "1", "0", "1", "foo"],
        &["BITPOS", "list", "1"],
        &["BITPOS", "list", "2"],
        &["BITPOS", "list", "1", "0", "1", "foo"],
        &["BITPOS", "list", "0", "0", "1", "BIT"],
        &["BITPOS", "s"],
    ]);
}

#[test]
fn bitop_operations() {
    let mut s = Session::new();
    s.same_bytes(&cmd(&[b"SET", b"a", b"\xff\x0f\xf0\x55"]));
    s.same_bytes(&cmd(&[b"SET", b"b", b"\x0f\xff"]));
    s.same_bytes(&cmd(&[b"SET", b"c", b"\x01\x02\x03\x04\x05\x06"]));
    for op in ["AND", "OR", "XOR", "and", "Or", "xOr"] {
        s.script(&[
            &["BITOP", op, "dest", "a", "b", "c"],
            &["GET", "dest"],
            &["BITOP", op, "dest", "a", "none", "b"],
            &["GET", "dest"],
            &["BITOP", op, "dest", "a"],
            &["GET", "dest"],
            &["BITOP", op, "dest", "none"],
            &["EXISTS", "dest"],
            &["BITOP", op, "dest", "none", "none2"],
            &["EXISTS", "dest"],
        ]);
    }
    s.script(&[
        &["BITOP", "NOT", "dest", "a"],
        &["GET", "dest"],
        &["BITOP", "not", "dest", "none"],
        &["EXISTS", "dest"],
        &["SET", "empty", ""],
        &["BITOP", "NOT", "dest", "empty"],
        &["EXISTS", "dest"],
        &["BITOP", "AND", "dest", "empty", "a"],
        &["GET", "dest"],
        // The destination may be a source; any old value, type or TTL is replaced.
        &["SET", "self", "ab", "EX", "100"],
        &["BITOP", "NOT", "self", "self"],
        &["GET", "self"],
        &["TTL", "self"],
        &["OBJECT", "ENCODING", "self"],
        &["RPUSH", "list", "x"],
        &["BITOP", "OR", "list", "a"],
        &["TYPE", "list"],
        &["RPUSH", "list2", "x"],
        &["BITOP", "OR", "list2", "none"],
        &["EXISTS", "list2"],
        // Integer-encoded sources are read as their digits; the result is raw.
        &["SET", "i1", "12"],
        &["SET", "i2", "7"],
        &["BITOP", "OR", "dest", "i1", "i2"],
        &["GET", "dest"],
        &["OBJECT", "ENCODING", "dest"],
        &["BITOP", "AND", "dest", "i1", "i1"],
        &["GET", "dest"],
        &["OBJECT", "ENCODING", "dest"],
    ]);
}

#[test]
fn bitop_errors() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "a", "x"],
        &["RPUSH", "list", "x"],
        &["SET", "dest", "keep"],
        &["BITOP", "NAND", "dest", "a"],
        &["BITOP", "", "dest", "a"],
        &["BITOP", "NOT", "dest", "a", "a"],
        &["BITOP", "NOT", "dest", "list", "a"],
        &["BITOP", "AND", "dest", "a", "list"],
        &["BITOP", "AND", "dest", "list"],
        &["BITOP", "OR", "dest", "none", "list"],
        &["BITOP", "NOT", "dest", "list"],
        &["GET", "dest"],
        &["BITOP", "AND", "dest"],
        &["BITOP", "AND"],
    ]);
}

#[test]
fn bitop_on_random_strings() {
    let mut s = Session::new();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..20 {
        let keys: Vec<String> = (0..1 + rng.below(5)).map(|i| format!("src{i}")).collect();
        for key in &keys {
            let len = rng.below(80) as usize;
            let value = rng.bytes(len);
            s.same_bytes(&cmd(&[b"SET", key.as_bytes(), &value]));
        }
        let op = ["AND", "OR", "XOR", "NOT"][round % 4];
        let mut line = vec!["BITOP", op, "out"];
        if op == "NOT" {
            line.push(&keys[0]);
        } else {
            line.extend(keys.iter().map(String::as_str));
        }
        s.same(&line);
        s.same(&["GET", "out"]);
    }
}

#[test]
fn bitfield_get_set_incrby() {
    let mut s = Session::new();
    s.script(&[
        &["BITFIELD", "bf", "SET", "i8", "0", "-100", "GET", "i8", "0", "GET", "u8", "0"],
        &["BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u8", "0", "GET", "i8", "0"],
        &["BITFIELD", "bf", "SET", "u5", "7", "23", "GET", "u5", "7", "GET", "u16", "0"],
        &["GET", "bf"],
        &["BITFIELD", "bf", "set", "u2", "1", "1", "get", "u2", "1", "incrby", "u2", "1", "1"],
        &["BITFIELD", "bf", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "u2", "102", "1"],
        &["BITFIELD", "bf", "GET", "u2", "#0", "GET", "u2", "#1", "SET", "u8", "#2", "65", "GET", "u8", "16"],
        &["GET", "bf"],
        &["STRLEN", "bf"],
        &["BITFIELD", "bf"],
        &["BITFIELD", "bf", "GET", "i64", "0", "GET", "u63", "1", "GET", "i1", "0", "GET", "u1", "0"],
        &["BITFIELD", "bf", "GET", "u8", "1000", "GET", "i64", "60"],
        &["BITFIELD", "none"],
        &["BITFIELD", "none", "GET", "u8", "0", "GET", "i64", "#3"],
        &["EXISTS", "none"],
        &["BITFIELD", "bf", "OVERFLOW", "SAT", "GET", "u8", "0"],
        &["OBJECT", "ENCODING", "bf"],
        &["SET", "n", "12"],
        &["BITFIELD", "n", "GET", "u16", "0", "GET", "u8", "12"],
        &["OBJECT", "ENCODING", "n"],
        &["BITFIELD", "n", "SET", "u8", "0", "49"],
        &["GET", "n"],
        &["OBJECT", "ENCODING", "n"],
    ]);
}

#[test]
fn bitfield_widths_at_their_limits() {
    let mut s = Session::new();
    s.script(&[
        &["BITFIELD", "w", "SET", "i64", "0", "-9223372036854775808", "GET", "i64", "0", "GET", "u63", "0"],
        &["BITFIELD", "w", "INCRBY", "i64", "0", "-1"],
        &["BITFIELD", "w", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1", "INCRBY", "i64", "0", "1"],
        &["BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-9223372036854775808"],
        &["BITFIELD", "w", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1"],
        &[
            "BITFIELD",
            "w",
            "OVERFLOW",
            "SAT",
            "SET",
            "i64",
            "0",
            "9223372036854775807",
            "INCRBY",
            "i64",
            "0",
            "1",
        ],
        &["BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "1", "INCRBY", "i64", "0", "-1"],
        &[
            "BITFIELD",
            "w",
            "INCRBY",
            "i64",
            "0",
            "9223372036854775807",
            "INCRBY",
            "i64",
            "0",
            "-9223372036854775808",
        ],
        &[
            "BITFIELD",
            "w",
            "SET",
            "u63",
            "1",
            "9223372036854775807",
            "INCRBY",
            "u63",
            "1",
            "1",
            "GET",
            "u63",
            "1",
        ],
        &[
            "BITFIELD",
            "w",
            "OVERFLOW",
            "SAT",
            "SET",
            "u63",
            "1",
            "-1",
            "INCRBY",
            "u63",
            "1",
            "9223372036854775807",
        ],
        &[
            "BITFIELD",
            "w",
            "OVERFLOW",
            "FAIL",
            "SET",
            "u63",
            "1",
            "-1",
            "INCRBY",
            "u63",
            "1",
            "-9223372036854775808",
        ],
        &[
            "BITFIELD", "w", "SET", "i1", "3", "1", "GET", "i1", "3", "INCRBY", "i1", "3", "1", "SET", "u1",
            "3", "-1",
        ],
        &[
            "BITFIELD", "w", "OVERFLOW", "SAT", "INCRBY", "i1", "3", "5", "INCRBY", "i1", "3", "-5", "SET",
            "i1", "3", "7",
        ],
        &["GET", "w"],
    ]);
}

#[test]
fn bitfield_overflow_modes() {
    let mut s = Session::new();
    for (ty, start, deltas) in [
        ("u8", "250", ["10", "-300", "255", "-256", "1000", "-1"]),
        ("i8", "120", ["10", "-300", "127", "-128", "1000", "-1"]),
        ("u3", "5", ["3", "-6", "8", "-8", "100", "-100"]),
        ("i5", "-10", ["-10", "30", "16", "-17", "33", "-33"]),
    ] {
        for mode in ["WRAP", "SAT", "FAIL", "wrap", "Sat", "fAiL"] {
            s.same(&["BITFIELD", "ov", "SET", ty, "3", start]);
            for delta in deltas {
                s.same(&["BITFIELD", "ov", "OVERFLOW", mode, "INCRBY", ty, "3", delta, "GET", ty, "3"]);
                s.same(&["BITFIELD", "ov", "OVERFLOW", mode, "SET", ty, "11", delta, "GET", ty, "11"]);
            }
        }
    }
    // The mode applies to the operations after it, until the next OVERFLOW.
    s.script(&[
        &[
            "BITFIELD", "ov2", "SET", "u4", "0", "15", "INCRBY", "u4", "0", "1", "OVERFLOW", "FAIL",
            "INCRBY", "u4", "0", "16", "OVERFLOW", "SAT", "INCRBY", "u4", "0", "16", "OVERFLOW", "WRAP",
            "INCRBY", "u4", "0", "17",
        ],
        // A key created for writes that all fail exists, zero-filled.
        &["BITFIELD", "created", "OVERFLOW", "FAIL", "INCRBY", "u2", "10", "5", "SET", "i3", "0", "4"],
        &["EXISTS", "created"],
        &["GET", "created"],
    ]);
}

#[test]
fn bitfield_on_random_fields() {
    let mut s = Session::new();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut line: Vec<String> = Vec::new();
    for _ in 0..300 {
        line.clear();
        line.extend(["BITFIELD".to_string(), "fz".to_string()]);
        for _ in 0..1 + rng.below(4) {
            let signed = rng.below(2) == 0;
            let width = 1 + rng.below(if signed { 64 } else { 63 });
            let ty = format!("{}{width}", if signed { "i" } else { "u" });
            let offset = rng.below(200).to_string();
            let value = match rng.below(4) {
                0 => (rng.next() as i64).to_string(),
                1 => (rng.below(1 << width.min(62)) as i64 - (1 << (width.min(62) - 1))).to_string(),
                2 => (rng.below(20) as i64 - 10).to_string(),
                _ => ["9223372036854775807", "-9223372036854775808", "0", "-1"][rng.below(4) as usize]
                    .to_string(),
            };
            match rng.below(5) {
                0 => line.extend(["GET".into(), ty, offset]),
                1 => line.extend(["SET".into(), ty, offset, value]),
                2 => line.extend(["INCRBY".into(), ty, offset, value]),
                3 => line.extend(["OVERFLOW".into(), ["WRAP", "SAT", "FAIL"][rng.below(3) as usize].into()]),
                _ => line.extend(["INCRBY".into(), ty, format!("#{}", rng.below(10)), value]),
            }
        }
        let parts: Vec<&str> = line.iter().map(String::as_str).collect();
        s.same(&parts);
    }
    s.same(&["GET", "fz"]);
}

#[test]
fn bitfield_errors() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "k", "abc"],
        &["RPUSH", "list", "a"],
        &["BITFIELD", "k", "GET", "I8", "0"],
        &["BITFIELD", "k", "GET", "i0", "0"],
        &["BITFIELD", "k", "GET", "i65", "0"],
        &["BITFIELD", "k", "GET", "u64", "0"],
        &["BITFIELD", "k", "GET", "u0", "0"],
        &["BITFIELD", "k", "GET", "x8", "0"],
        &["BITFIELD", "k", "GET", "i", "0"],
        &["BITFIELD", "k", "GET", "", "0"],
        &["BITFIELD", "k", "GET", "i-1", "0"],
        &["BITFIELD", "k", "GET", "i08", "0"],
        &["BITFIELD", "k", "GET", "u8x", "0"],
        &["BITFIELD", "k", "GET", "u8", "-1"],
        &["BITFIELD", "k", "GET", "u8", "x"],
        &["BITFIELD", "k", "GET", "u8", "#-1"],
        &["BITFIELD", "k", "GET", "u8", "##1"],
        &["BITFIELD", "k", "GET", "u8", "#"],
        &["BITFIELD", "k", "GET", "u8", "#x"],
        &["BITFIELD", "k", "GET", "u8", "4294967296"],
        &["BITFIELD", "k", "GET", "u8", "#536870912"],
        // `#N` times the width wraps as Redis's C arithmetic does, before the range check.
        &["BITFIELD", "k", "GET", "u8", "#2305843009213693953"],
        &["BITFIELD", "k", "GET", "i64", "#144115188075855872"],
        &["BITFIELD", "k", "GET", "u8"],
        &["BITFIELD", "k", "GET"],
        &["BITFIELD", "k", "SET", "u8", "0"],
        &["BITFIELD", "k", "INCRBY", "u8", "0"],
        &["BITFIELD", "k", "SET", "u8", "0", "x"],
        &["BITFIELD", "k", "INCRBY", "u8", "0", "1.5"],
        &["BITFIELD", "k", "SET", "u8", "0", "9223372036854775808"],
        &["BITFIELD", "k", "OVERFLOW"],
        &["BITFIELD", "k", "OVERFLOW", "foo"],
        &["BITFIELD", "k", "OVERFLOW", "foo", "GET", "u8", "x"],
        &["BITFIELD", "k", "FOO"],
        &["BITFIELD", "k", "GET", "u8", "0", "FOO"],
        &["BITFIELD", "k", "SET", "u8", "0", "1", "GET", "x", "0"],
        &["GET", "k"],
        &["BITFIELD", "list", "GET", "u8", "0"],
        &["BITFIELD", "list", "SET", "u8", "0", "1"],
        &["BITFIELD", "list"],
        &["BITFIELD", "list", "GET", "x8", "0"],
        &["BITFIELD", "list", "GET", "u8", "0", "FOO"],
        &["BITFIELD"],
    ]);
}

#[test]
fn bitfield_ro() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "k", "\u{7f}abc"],
        &["RPUSH", "list", "a"],
        &["BITFIELD_RO", "k"],
        &["BITFIELD_RO", "k", "GET", "i8", "0", "GET", "u4", "#3", "get", "i16", "1000"],
        &["BITFIELD_RO", "k", "OVERFLOW", "SAT", "GET", "u8", "0"],
        &["BITFIELD_RO", "k", "SET", "u8", "0", "1"],
        &["BITFIELD_RO", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1"],
        &["BITFIELD_RO", "k", "SET", "u8", "0", "x"],
        &["BITFIELD_RO", "k", "SET", "u8", "0"],
        &["BITFIELD_RO", "k", "FOO"],
        &["BITFIELD_RO", "k", "GET", "u64", "0"],
        &["BITFIELD_RO", "none", "GET", "u8", "0"],
        &["BITFIELD_RO", "none", "SET", "u8", "0", "1"],
        &["EXISTS", "none"],
        &["BITFIELD_RO", "list", "GET", "u8", "0"],
        &["BITFIELD_RO", "list", "SET", "u8", "0", "1"],
        &["GET", "k"],
        &["BITFIELD_RO"],
    ]);
}

#[test]
fn resp3_replies() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    s.script(&[
        &["SETBIT", "k", "9", "1"],
        &["GETBIT", "k", "9"],
        &["BITCOUNT", "k", "0", "-1", "BIT"],
        &["BITPOS", "k", "1"],
        &["BITOP", "NOT", "d", "k"],
        &[
            "BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9", "GET", "u8", "0", "SET", "i4",
            "0", "-2",
        ],
        &["BITFIELD", "k"],
        &["BITFIELD_RO", "k", "GET", "i4", "0"],
        &["BITFIELD", "k", "GET", "x1", "0"],
        &["BITFIELD_RO", "k", "SET", "i4", "0", "1"],
        &["BITOP", "NOT", "d", "k", "k"],
        &["BITPOS", "k", "2"],
    ]);
}

/// Each command adds to rdb_changes_since_last_save what Redis adds: only a bit that flips or a
/// string that grows counts for SETBIT; BITFIELD counts every write that changed a field.
#[test]
fn changes_count_as_in_redis() {
    let mut s = Session::new();
    let commands: &[&[&str]] = &[
        &["SETBIT", "c", "0", "0"],
        &["SETBIT", "c", "0", "0"],
        &["SETBIT", "c", "0", "1"],
        &["SETBIT", "c", "0", "1"],
        &["SETBIT", "c", "90", "0"],
        &["BITFIELD", "c2", "SET", "i5", "0", "0"],
        &["BITFIELD", "c2", "SET", "i5", "0", "0"],
        &["BITFIELD", "c2", "SET", "i5", "0", "1", "SET", "i5", "0", "2", "SET", "i5", "0", "2"],
        &["BITFIELD", "c2", "INCRBY", "i5", "0", "1", "INCRBY", "i5", "0", "0", "GET", "u8", "0"],
        &["BITFIELD", "c2", "SET", "u8", "100", "0", "SET", "u8", "0", "0"],
        &["BITFIELD", "c2", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9", "INCRBY", "u2", "200", "9"],
        &["BITFIELD", "c3", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"],
        &["BITFIELD", "c2", "GET", "u8", "0"],
        &["BITFIELD", "c2"],
        &["BITOP", "OR", "c4", "c"],
        &["BITOP", "OR", "c4", "none"],
        &["BITOP", "OR", "c4", "none"],
        &["BITCOUNT", "c"],
        &["SETBIT", "c", "x", "1"],
    ];
    for command in commands {
        let before = info_field(&mut s, "persistence", "rdb_changes_since_last_save");
        s.same(command);
        let after = info_field(&mut s, "persistence", "rdb_changes_since_last_save");
        assert_eq!(after.1 - before.1, after.0 - before.0, "{command:?} (left: emulator, right: Redis)");
    }
}

/// Reads count keyspace hits and misses (BITOP reads each source); writes do not.
#[test]
fn hits_and_misses_count_as_in_redis() {
    let mut s = Session::new();
    s.script(&[&["SET", "a", "x"], &["RPUSH", "list", "a"]]);
    let commands: &[&[&str]] = &[
        &["GETBIT", "a", "0"],
        &["GETBIT", "none", "0"],
        &["GETBIT", "a", "-1"],
        &["BITCOUNT", "a"],
        &["BITCOUNT", "none", "0", "1"],
        &["BITCOUNT", "a", "0"],
        &["BITPOS", "a", "1"],
        &["BITPOS", "none", "1", "0"],
        &["BITOP", "AND", "d", "a", "none", "a"],
        &["BITOP", "AND", "d", "a", "list", "none"],
        &["BITFIELD", "a", "GET", "u8", "0"],
        &["BITFIELD", "none"],
        &["BITFIELD", "a", "SET", "u8", "0", "1"],
        &["BITFIELD_RO", "a", "GET", "u8", "0"],
        &["SETBIT", "a", "0", "1"],
    ];
    for command in commands {
        s.run(&["CONFIG", "RESETSTAT"]);
        s.run(command);
        let hits = info_field(&mut s, "stats", "keyspace_hits");
        let misses = info_field(&mut s, "stats", "keyspace_misses");
        assert_eq!((hits.1, misses.1), (hits.0, misses.0), "{command:?} (left: emulator, right: Redis)");
    }
}

#[test]
fn command_info_heads() {
    let mut s = Session::new();
    for name in ["setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro"] {
        let (theirs, ours) = s.both(&["COMMAND", "INFO", name]);
        let head = |f: &Frame| match f {
            Frame::Array(outer) => match outer.first() {
                Some(Frame::Array(fields)) => fields[..7].to_vec(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        assert_eq!(head(&ours), head(&theirs), "COMMAND INFO {name}");
    }
}

/// The page's value limit refuses a bit write that would grow a string past it, before
/// allocating; reads and writes inside it, and Redis's own offset check, are unchanged.
#[test]
fn a_host_limit_refuses_growth_in_words() {
    let now = now_ms();
    let mut engine = Engine::new(1, now);
    engine.set_value_limit(Some(1 << 20));
    let c = engine.connect(now);
    let mut run = |parts: &[&str]| engine.execute(c, args(parts), now);
    assert_eq!(run(&["SETBIT", "k", "8388607", "1"]), Frame::Integer(0));
    for refused in [
        &["SETBIT", "k", "8388608", "1"][..],
        &["SETBIT", "k", "4294967295", "1"],
        &["BITFIELD", "k", "SET", "u8", "8388607", "1"],
        &["BITFIELD", "k", "INCRBY", "i64", "#67108863", "1"],
        &["BITFIELD", "new", "SET", "u1", "4294967295", "1"],
    ] {
        match run(refused) {
            Frame::Error(e) => {
                assert!(e.starts_with("ERR string exceeds the playground's limit of 1 MB"), "{e}")
            }
            other => panic!("{refused:?}: {other:?}"),
        }
    }
    assert_eq!(run(&["STRLEN", "k"]), Frame::Integer(1 << 20));
    assert_eq!(run(&["EXISTS", "new"]), Frame::Integer(0));
    assert_eq!(run(&["GETBIT", "k", "8388607"]), Frame::Integer(1));
    assert_eq!(run(&["GETBIT", "k", "4294967295"]), Frame::Integer(0));
    assert_eq!(run(&["BITFIELD", "k", "GET", "u8", "4294967280"]), Frame::Array(vec![Frame::Integer(0)]));
    assert_eq!(run(&["BITFIELD", "k", "SET", "u1", "8388607", "0"]), Frame::Array(vec![Frame::Integer(1)]));
    assert_eq!(
        run(&["SETBIT", "k", "4294967296", "1"]),
        Frame::Error("ERR bit offset is not an integer or out of range".into())
    );
}

/// A WATCHed key is invalidated by another client's bit command only when the command changed
/// it (a bit flipped, a field changed, the string grew or was replaced), as Redis signals it.
#[test]
fn watch_sees_only_real_changes() {
    let mut s = Session::new();
    let mut other_oracle = common::Oracle::connect(common::oracle_port());
    let other = s.engine.connect(now_ms());
    let cases: &[(&[&str], &[&str])] = &[
        (&["SET", "w", "\u{1}"], &["SETBIT", "w", "7", "1"]),
        (&["SET", "w", "\u{1}"], &["SETBIT", "w", "7", "0"]),
        (&["SET", "w", "\u{1}"], &["SETBIT", "w", "8", "0"]),
        (&["SET", "w", "\u{1}"], &["BITFIELD", "w", "SET", "u8", "0", "1"]),
        (&["SET", "w", "\u{1}"], &["BITFIELD", "w", "SET", "u8", "0", "2"]),
        (&["SET", "w", "\u{1}"], &["BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"]),
        (&["SET", "w", "\u{1}"], &["BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "u2", "8", "9"]),
        (&["SET", "w", "\u{1}"], &["BITFIELD", "w", "GET", "u8", "0"]),
        (&["SET", "w", "\u{1}"], &["BITFIELD_RO", "w", "GET", "u8", "0"]),
        (&["SET", "w", "\u{1}"], &["BITOP", "OR", "w", "w"]),
        (&["DEL", "w"], &["BITOP", "OR", "w", "none"]),
        (&["DEL", "w"], &["BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9"]),
        (&["SET", "w", "\u{1}"], &["BITCOUNT", "w"]),
    ];
    for (setup, change) in cases {
        s.same(setup);
        s.same(&["WATCH", "w"]);
        let theirs = common::decode(&other_oracle.raw(&args(change)));
        let ours = s.engine.execute(other, args(change), now_ms());
        assert_eq!(ours, theirs, "{change:?} (left: emulator, right: Redis)");
        s.script(&[&["MULTI"], &["EXISTS", "w"], &["EXEC"]]);
    }
}
