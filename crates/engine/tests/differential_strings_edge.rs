//! Differential edge cases of the string commands against Redis 7.4 (option conflicts, overflow,
//! long double rounding, hex floats, WRONGTYPE ordering, binary safety).

mod common;
use bytes::Bytes;
use common::{args, Session};
use playground_engine::Frame;

/// A list at `key` on both sides (for WRONGTYPE checks), made with RPUSH and compared.
fn make_list(s: &mut Session, key: &str, items: &[&str]) {
    let mut cmd = vec!["RPUSH", key];
    cmd.extend_from_slice(items);
    s.same(&cmd);
}

#[test]
fn set_options_and_errors() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "str:k", "v"],
        &["GET", "str:k"],
        &["SET", "str:k", "v2", "NX"],
        &["SET", "str:k", "v2", "XX"],
        &["GET", "str:k"],
        &["SET", "str:new", "v", "XX"],
        &["GET", "str:new"],
        &["SET", "str:k", "v3", "GET"],
        &["SET", "str:missing", "v", "GET"],
        &["SET", "str:k", "v4", "NX", "GET"],
        &["SET", "str:gone", "v4", "XX", "GET"],
        &["GET", "str:gone"],
        &["SET", "str:k", "v", "NX", "XX"],
        &["SET", "str:k", "v", "XX", "NX"],
        &["SET", "str:k", "v", "nx", "nx"],
        &["SET", "str:k", "v", "EX"],
        &["SET", "str:k", "v", "EX", "10", "PX", "100"],
        &["SET", "str:k", "v", "PX", "100", "EX", "10"],
        &["SET", "str:k", "v", "EX", "10", "KEEPTTL"],
        &["SET", "str:k", "v", "KEEPTTL", "EXAT", "10"],
        &["SET", "str:k", "v", "EXAT", "10", "PXAT", "10"],
        &["SET", "str:k", "v", "PERSIST"],
        &["SET", "str:k", "v", "FOO"],
        &["SET", "str:k", "v", "EX", "0"],
        &["SET", "str:k", "v", "EX", "-5"],
        &["SET", "str:k", "v", "PX", "0"],
        &["SET", "str:k", "v", "EX", "abc"],
        &["SET", "str:k", "v", "EX", "1.5"],
        &["SET", "str:k", "v", "EX", "9223372036854775"],
        &["SET", "str:k", "v", "EX", "9223372036854776"],
        &["SET", "str:k", "v", "PX", "9223372036854775807"],
        &["SET", "str:k", "v", "EXAT", "9223372036854776"],
        &["SET", "str:k", "v", "EX", "0", "FOO"],
        &["SET", "str:k", "v", "EX", "100", "EX", "200"],
        &["TTL", "str:k"],
        &["SET", "str:k", "v", "KEEPTTL"],
        &["TTL", "str:k"],
        &["SET", "str:k", "v"],
        &["TTL", "str:k"],
        &["SET", "str:k", "v", "PX", "100000"],
        &["TTL", "str:k"],
        &["SET", "str:k", "v", "EXAT", "1"],
        &["GET", "str:k"],
        &["SET", "str:k", "v", "PXAT", "1000", "GET"],
        &["SET", "str:k", "v", "PXAT", "99999999999999"],
        &["PEXPIRETIME", "str:k"],
        &["SET", "str:k", "v", "EXAT", "99999999999", "XX", "GET"],
        &["EXPIRETIME", "str:k"],
        &["set", "str:k", "x", "ex", "100", "xx", "get", "keepttl"],
    ]);
    make_list(&mut s, "str:list", &["a"]);
    s.script(&[
        &["SET", "str:list", "v", "GET"],
        &["SET", "str:list", "v", "NX", "GET"],
        &["SET", "str:list", "v", "BAD", "GET"],
        &["SET", "str:list", "v", "EX", "0", "GET"],
        &["TYPE", "str:list"],
        &["SET", "str:list", "v", "NX"],
        &["SET", "str:list", "v"],
        &["TYPE", "str:list"],
    ]);
}

#[test]
fn ttl_after_relative_set() {
    let mut s = Session::new();
    s.same(&["SET", "str:t", "v", "EX", "100"]);
    s.close(&["TTL", "str:t"], 1);
    s.close(&["PTTL", "str:t"], 500);
    s.same(&["PSETEX", "str:t", "5000", "v"]);
    s.close(&["PTTL", "str:t"], 500);
    s.same(&["SETEX", "str:t", "50", "v"]);
    s.close(&["TTL", "str:t"], 1);
    s.script(&[
        &["SETEX", "str:t", "0", "v"],
        &["SETEX", "str:t", "-1", "v"],
        &["SETEX", "str:t", "x", "v"],
        &["PSETEX", "str:t", "0", "v"],
        &["SETEX", "str:t", "9223372036854776", "v"],
        &["GET", "str:t"],
        &["SETEX", "str:t"],
    ]);
    // GETEX changes or removes the deadline.
    s.script(&[
        &["SET", "str:g", "v"],
        &["GETEX", "str:g"],
        &["TTL", "str:g"],
        &["GETEX", "str:g", "EX", "100"],
    ]);
    s.close(&["TTL", "str:g"], 1);
    s.same(&["GETEX", "str:g", "PX", "200000"]);
    s.close(&["PTTL", "str:g"], 500);
    s.script(&[
        &["GETEX", "str:g", "EXAT", "99999999999"],
        &["EXPIRETIME", "str:g"],
        &["GETEX", "str:g", "PXAT", "99999999999999"],
        &["PEXPIRETIME", "str:g"],
        &["GETEX", "str:g", "PERSIST"],
        &["TTL", "str:g"],
        &["GETEX", "str:g", "PERSIST", "EX", "10"],
        &["GETEX", "str:g", "EX", "10", "PERSIST"],
        &["GETEX", "str:g", "KEEPTTL"],
        &["GETEX", "str:g", "NX"],
        &["GETEX", "str:g", "GET"],
        &["GETEX", "str:g", "EX"],
        &["GETEX", "str:g", "EX", "0"],
        &["GETEX", "str:g", "EX", "abc"],
        &["GETEX", "str:g", "PX", "-1"],
        &["GETEX", "str:nokey", "EX", "0"],
        &["GETEX", "str:nokey", "BAD"],
        &["GETEX", "str:g", "EXAT", "1"],
        &["GET", "str:g"],
        &["GETEX"],
    ]);
    make_list(&mut s, "str:list", &["a"]);
    s.script(&[&["GETEX", "str:list"], &["GETEX", "str:list", "EX", "0"], &["GETEX", "str:list", "FOO"]]);
}

#[test]
fn get_variants_and_multi_key() {
    let mut s = Session::new();
    make_list(&mut s, "str:list", &["a", "b"]);
    s.script(&[
        &["GET", "str:a"],
        &["GETDEL", "str:a"],
        &["SET", "str:a", "1"],
        &["GETDEL", "str:a"],
        &["GET", "str:a"],
        &["GETDEL", "str:list"],
        &["GET", "str:list"],
        &["GETSET", "str:a", "x"],
        &["SET", "str:a", "y", "EX", "100"],
        &["GETSET", "str:a", "z"],
        &["TTL", "str:a"],
        &["GETSET", "str:list", "z"],
        &["SETNX", "str:a", "w"],
        &["SETNX", "str:b", "w"],
        &["SETNX", "str:list", "w"],
        &["GET", "str:b"],
        &["MSET", "str:a", "1", "str:b", "2", "str:c", "3"],
        &["MSET", "str:a", "1", "str:b"],
        &["MSET", "str:a"],
        &["MGET", "str:a", "str:b", "str:nope", "str:list", "str:c"],
        &["MSETNX", "str:a", "9", "str:new", "9"],
        &["GET", "str:new"],
        &["MSETNX", "str:new", "9", "str:new2", "8"],
        &["MGET", "str:new", "str:new2"],
        &["MSETNX", "str:x", "1", "str:y"],
        &["MSETNX", "str:list", "1"],
        &["MSET", "str:dup", "1", "str:dup", "2"],
        &["GET", "str:dup"],
        &["MGET"],
    ]);
    // Binary-safe keys and values.
    let bin = |b: &[u8]| Bytes::copy_from_slice(b);
    s.same_bytes(&[bin(b"SET"), bin(b"str:\x00\xff"), bin(b"a\r\nb\x00")]);
    s.same_bytes(&[bin(b"GET"), bin(b"str:\x00\xff")]);
    s.same_bytes(&[bin(b"STRLEN"), bin(b"str:\x00\xff")]);
}

#[test]
fn counters_and_overflow() {
    let mut s = Session::new();
    make_list(&mut s, "str:list", &["a"]);
    s.script(&[
        &["INCR", "str:n"],
        &["INCR", "str:n"],
        &["DECR", "str:n"],
        &["DECR", "str:m"],
        &["INCRBY", "str:n", "100"],
        &["INCRBY", "str:n", "-1000"],
        &["DECRBY", "str:n", "-5"],
        &["DECRBY", "str:n", "5"],
        &["INCRBY", "str:n", "abc"],
        &["INCRBY", "str:n", "1.5"],
        &["INCRBY", "str:n", "+1"],
        &["INCRBY", "str:n", "01"],
        &["INCRBY", "str:n", "9223372036854775808"],
        &["DECRBY", "str:n", "-9223372036854775808"],
        &["SET", "str:n", "9223372036854775806"],
        &["INCR", "str:n"],
        &["INCR", "str:n"],
        &["GET", "str:n"],
        &["SET", "str:n", "-9223372036854775808"],
        &["DECR", "str:n"],
        &["INCRBY", "str:n", "-1"],
        &["INCRBY", "str:n", "9223372036854775807"],
        &["SET", "str:n", "abc"],
        &["INCR", "str:n"],
        &["SET", "str:n", " 1"],
        &["INCR", "str:n"],
        &["SET", "str:n", "1 "],
        &["INCR", "str:n"],
        &["SET", "str:n", "007"],
        &["INCR", "str:n"],
        &["SET", "str:n", "1.0"],
        &["INCR", "str:n"],
        &["SET", "str:n", "10", "EX", "100"],
        &["INCR", "str:n"],
        &["TTL", "str:n"],
        &["INCR", "str:list"],
        &["DECR", "str:list"],
        &["INCRBY", "str:list", "1"],
        &["INCRBY", "str:list", "x"],
        &["DECRBY", "str:list", "1"],
        &["INCR"],
        &["INCRBY", "str:n"],
    ]);
}

#[test]
fn incrbyfloat_formats_like_long_double() {
    let mut s = Session::new();
    make_list(&mut s, "str:list", &["a"]);
    s.script(&[
        &["INCRBYFLOAT", "str:f", "0.1"],
        &["INCRBYFLOAT", "str:f", "0.2"],
        &["SET", "str:f", "10.50"],
        &["INCRBYFLOAT", "str:f", "0.1"],
        &["INCRBYFLOAT", "str:f", "-5"],
        &["INCRBYFLOAT", "str:f", "-10"],
        &["SET", "str:f", "5.0e3"],
        &["INCRBYFLOAT", "str:f", "2.0e2"],
        &["SET", "str:f", "3.0e3"],
        &["INCRBYFLOAT", "str:f", "1.5"],
        &["INCRBYFLOAT", "str:f", "-5000.123"],
        &["SET", "str:f", "1000"],
        &["INCRBYFLOAT", "str:f", "0.1"],
        &["INCRBYFLOAT", "str:f", "1e15"],
        &["INCRBYFLOAT", "str:f", "1e-20"],
        &["SET", "str:f", "1e300"],
        &["INCRBYFLOAT", "str:f", "1"],
        &["SET", "str:f", "0"],
        &["INCRBYFLOAT", "str:f", "1e-17"],
        &["INCRBYFLOAT", "str:f", "5e-18"],
        &["INCRBYFLOAT", "str:f", "-1"],
        &["INCRBYFLOAT", "str:f", "1"],
        &["SET", "str:f", "-0"],
        &["INCRBYFLOAT", "str:f", "0"],
        &["INCRBYFLOAT", "str:f", "-0.0"],
        &["INCRBYFLOAT", "str:f", ".5"],
        &["INCRBYFLOAT", "str:f", "5."],
        &["INCRBYFLOAT", "str:f", "+2.25"],
        &["INCRBYFLOAT", "str:f", "1E2"],
        &["INCRBYFLOAT", "str:f", "1e+2"],
        &["INCRBYFLOAT", "str:f", "123456789012345678901234567890"],
        &["INCRBYFLOAT", "str:f", "-123456789012345678901234567890"],
        &["SET", "str:f", "3.14159265358979323846264338327950288"],
        &["INCRBYFLOAT", "str:f", "2.71828182845904523536"],
        &["INCRBYFLOAT", "str:f", "0x10"],
        &["INCRBYFLOAT", "str:f", "0x1.8p1"],
        &["INCRBYFLOAT", "str:f", "-0X.8"],
        &["INCRBYFLOAT", "str:f", "0x1P+3"],
        &["INCRBYFLOAT", "str:f", "0x1p"],
        &["INCRBYFLOAT", "str:f", "0x"],
        &["INCRBYFLOAT", "str:f", "1e+"],
        &["INCRBYFLOAT", "str:f", "inf"],
        &["INCRBYFLOAT", "str:f", "-inf"],
        &["INCRBYFLOAT", "str:f", "nan"],
        &["INCRBYFLOAT", "str:f", "abc"],
        &["INCRBYFLOAT", "str:f", ""],
        &["INCRBYFLOAT", "str:f", " 1"],
        &["INCRBYFLOAT", "str:f", "1 "],
        &["INCRBYFLOAT", "str:f", "1e"],
        &["INCRBYFLOAT", "str:f", "."],
        &["INCRBYFLOAT", "str:f", "1e5000"],
        &["INCRBYFLOAT", "str:f", "1e-5000"],
        &["SET", "str:f", "1e4932"],
        &["INCRBYFLOAT", "str:f", "1e4932"],
        &["SET", "str:f", "abc"],
        &["INCRBYFLOAT", "str:f", "1"],
        &["SET", "str:f", "inf"],
        &["INCRBYFLOAT", "str:f", "1"],
        &["SET", "str:f", "1.5", "EX", "100"],
        &["INCRBYFLOAT", "str:f", "1"],
        &["TTL", "str:f"],
        &["INCRBYFLOAT", "str:list", "1"],
        &["INCRBYFLOAT", "str:list", "abc"],
    ]);
}

#[test]
fn append_strlen_ranges() {
    let mut s = Session::new();
    make_list(&mut s, "str:list", &["a"]);
    s.script(&[
        &["APPEND", "str:s", "hello"],
        &["APPEND", "str:s", " world"],
        &["GET", "str:s"],
        &["APPEND", "str:e", ""],
        &["EXISTS", "str:e"],
        &["STRLEN", "str:s"],
        &["STRLEN", "str:nope"],
        &["STRLEN", "str:list"],
        &["APPEND", "str:list", "x"],
        &["GETRANGE", "str:s", "0", "4"],
        &["GETRANGE", "str:s", "-5", "-1"],
        &["GETRANGE", "str:s", "-100", "-50"],
        &["GETRANGE", "str:s", "0", "-100"],
        &["GETRANGE", "str:s", "3", "1"],
        &["GETRANGE", "str:s", "-1", "-5"],
        &["GETRANGE", "str:s", "5", "100"],
        &["GETRANGE", "str:s", "100", "200"],
        &["GETRANGE", "str:s", "-9223372036854775808", "9223372036854775807"],
        &["GETRANGE", "str:s", "0", "abc"],
        &["GETRANGE", "str:nope", "0", "-1"],
        &["GETRANGE", "str:list", "0", "-1"],
        &["GETRANGE", "str:e", "0", "-1"],
        &["SUBSTR", "str:s", "1", "-2"],
        &["SUBSTR", "str:list", "0", "1"],
        &["SUBSTR", "str:s", "1"],
        &["SETRANGE", "str:s", "6", "WORLD"],
        &["GET", "str:s"],
        &["SETRANGE", "str:s", "15", "!"],
        &["GET", "str:s"],
        &["SETRANGE", "str:s", "0", ""],
        &["SETRANGE", "str:r", "0", ""],
        &["EXISTS", "str:r"],
        &["SETRANGE", "str:r", "3", "x"],
        &["GET", "str:r"],
        &["SETRANGE", "str:r", "-1", "x"],
        &["SETRANGE", "str:r", "abc", "x"],
        &["SETRANGE", "str:r", "536870912", "x"],
        &["SETRANGE", "str:r", "536870911", "xy"],
        &["SETRANGE", "str:r", "9223372036854775807", "x"],
        &["SETRANGE", "str:list", "0", "x"],
        &["SETRANGE", "str:list", "0", ""],
        &["SETRANGE", "str:list", "-1", "x"],
        &["SET", "str:t", "abc", "EX", "100"],
        &["SETRANGE", "str:t", "1", "X"],
        &["APPEND", "str:t", "d"],
        &["TTL", "str:t"],
        &["GET", "str:t"],
    ]);
}

#[test]
fn resp3_nulls() {
    let mut s = Session::new();
    s.oracle.raw(&args(&["HELLO", "3"]));
    s.engine.server_mut().clients.entry(s.client).or_default().protocol = playground_engine::Protocol::Resp3;
    s.script(&[
        &["GET", "str:none"],
        &["MGET", "str:none", "str:none"],
        &["SET", "str:none", "v", "XX"],
        &["GETDEL", "str:none"],
    ]);
    let (theirs, ours) = s.both(&["SET", "str:none", "v", "GET"]);
    assert_eq!(ours, theirs);
    assert_eq!(ours, Frame::Null);
}

/// Many pseudo-random INCRBYFLOAT steps (seeded) across magnitudes, compared byte for byte:
/// the emulated 64-bit-mantissa arithmetic must round exactly as x87 long double does.
#[test]
fn incrbyfloat_random_walk_matches() {
    let mut s = Session::new();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for walk in 0..6 {
        let key = format!("str:walk{walk}");
        for _ in 0..60 {
            let r = next();
            let mantissa = (r % 2_000_000) as i64 - 1_000_000;
            let scale = ((r >> 24) % 24) as i32 - 12;
            let incr = match (r >> 40) % 4 {
                0 => format!("{mantissa}e{scale}"),
                1 => format!("{}.{:03}", mantissa / 1000, (mantissa % 1000).abs()),
                2 => format!("{}", mantissa as f64 / 7.0),
                _ => format!("0.{}", (r >> 8) % 1000),
            };
            s.same(&["INCRBYFLOAT", &key, &incr]);
        }
    }
}

/// Probes of less common inputs; each line compared byte for byte.
#[test]
fn less_common_inputs() {
    let mut s = Session::new();
    s.script(&[
        &["SET", "str:p", "1"],
        &["INCRBYFLOAT", "str:p", "1e0000001"],
        &["INCRBYFLOAT", "str:p", "0x1p0000001"],
        &["INCRBYFLOAT", "str:p", "1.e1"],
        &["INCRBYFLOAT", "str:p", "-.5e-1"],
        // OBJECT ENCODING after APPEND/SETRANGE (raw) and INCRBYFLOAT (embstr) depends on the
        // value's history, which the engine does not keep; INCR's result is int either way.
        &["SETRANGE", "str:enc3", "0", "7"],
        &["INCR", "str:enc3"],
        &["OBJECT", "ENCODING", "str:enc3"],
    ]);
}

/// Random long double arithmetic: numbers of every size and length (long digit strings, values
/// near overflow and in the denormal range, hex floats), set and added in turn, every reply
/// compared. The engine's big-integer rounding must match the FPU's to the last digit.
#[test]
fn random_incrbyfloat_sums_round_as_the_fpu_does() {
    struct Gen(rand_xoshiro::Xoshiro256PlusPlus);
    impl common::Choose for Gen {
        fn rng(&mut self) -> &mut rand_xoshiro::Xoshiro256PlusPlus {
            &mut self.0
        }
    }
    use common::Choose;
    use rand_core::SeedableRng;
    let mut g = Gen(rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(42));
    let number = |g: &mut Gen| -> String {
        let digits = |g: &mut Gen, n: usize| -> String {
            (0..n).map(|_| char::from(b'0' + g.below(10) as u8)).collect()
        };
        let sign = g.pick(&["", "-", "+"]);
        match g.below(6) {
            0 => {
                let len = 1 + g.below(25);
                format!("{sign}{}", digits(g, len))
            }
            1 => {
                let (int_len, frac_len) = (g.below(20), 1 + g.below(40));
                format!("{sign}{}.{}", digits(g, int_len), digits(g, frac_len))
            }
            2 => {
                let exp = g.below(9900) as i64 - 4950;
                let frac_len = 1 + g.below(30);
                format!("{sign}{}.{}e{exp}", digits(g, 1), digits(g, frac_len))
            }
            3 => {
                format!("{sign}0x{:x}.{:x}p{}", g.below(1 << 20), g.below(1 << 20), g.below(100) as i64 - 50)
            }
            4 => format!("{sign}1e{}", g.pick(&["4932", "4933", "-4950", "-4951", "-4931", "308", "-308"])),
            _ => {
                // Long strings, up to and past Redis's 5 KB limit for a long double.
                let len = g.pick(&["300", "5100", "5119", "5120", "6000"]).parse().unwrap_or(1);
                format!("0.{}", digits(g, len))
            }
        }
    };
    let mut s = Session::new();
    for _ in 0..400 {
        let (start, by) = (number(&mut g), number(&mut g));
        s.same(&["SET", "str:rf", &start]);
        s.same(&["INCRBYFLOAT", "str:rf", &by]);
        s.same(&["HSET", "str:rh", "f", &start]);
        s.same(&["HINCRBYFLOAT", "str:rh", "f", &by]);
    }
}
