//! A grammar-aware fuzz run: every command and subcommand of the table, with arguments drawn
//! from its own documented syntax (the option words), keys of every type, and hostile numbers,
//! IDs, paths and query fragments. A panic kills the page and a hang freezes its tab, so the
//! run fails on either (a watchdog names the command that stalls), and every reply must encode
//! in RESP2 and RESP3.
//!
//! `cargo test -p playground-engine --test grammar_fuzz` runs a few thousand commands per seed;
//! `GRAMMAR_FUZZ_COMMANDS=2000000 cargo test --release -p playground-engine --test grammar_fuzz
//! -- --nocapture` a long run (the seed comes from `GRAMMAR_FUZZ_SEED`).

mod common;

use bytes::Bytes;
use common::Choose;
use playground_engine::cmd::{all, CommandSpec};
use playground_engine::{Engine, Frame, Protocol};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Keys of each type, made before the run and again after every flush.
const SETUP: &[&str] = &[
    "SET str hello",
    "SET num 42",
    "RPUSH list a b c 1 2 3",
    "HSET hash f v g 1 h 2.5",
    "SADD set a b c 1 2",
    "ZADD zset 1 a 2 b 3 c",
    "XADD stream 1-1 f v",
    "XADD stream 2-1 g w",
    "XGROUP CREATE stream grp 0",
    "PFADD hll a b c",
    "GEOADD geo 13.36 38.11 palermo 15.08 37.50 catania",
    "SETBIT bits 7 1",
    "JSON.SET doc $ {\"a\":1,\"b\":[1,2,{\"c\":\"x\"}],\"s\":\"text\"}",
    "HSET doc:1 title hello body world n 3 tag a,b loc 13.36,38.11",
    "FT.CREATE idx PREFIX 1 doc: SCHEMA title TEXT body TEXT n NUMERIC SORTABLE tag TAG loc GEO",
    "FT.CREATE vidx SCHEMA v VECTOR HNSW 6 TYPE FLOAT32 DIM 2 DISTANCE_METRIC COSINE",
];

const KEYS: &[&str] = &[
    "str", "num", "list", "hash", "set", "zset", "stream", "hll", "geo", "bits", "doc", "doc:1", "missing",
    "k", "{t}a",
];

/// Values that have broken parsers before: limits, signs, floats, empties, binary.
const VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "10",
    "-100",
    "100",
    "1.5",
    "-0",
    "1e308",
    "1e-320",
    "inf",
    "-inf",
    "+inf",
    "nan",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551615",
    "4294967296",
    "0x10",
    "",
    " ",
    "*",
    "$",
    ">",
    "+",
    "-",
    "(1",
    "[a",
    "(a",
    "1-1",
    "0-0",
    "18446744073709551615-18446744073709551615",
    "1-*",
    "$.a",
    "$..c",
    "$.b[-1]",
    "$.b[0:2:0]",
    ".",
    ".a",
    "$[*]",
    "@title:hello",
    "@n:[1 +inf]",
    "@tag:{a|b}",
    "%hel%",
    "hel*",
    "(a|b) -c ~d",
    "*=>[KNN 2 @v $B AS d]",
    "@loc:[13 38 100 km]",
    "a\u{0}b",
    "\u{00e9}t\u{00e9}",
    "??",
    "[",
    "\\",
    "{",
    "\"",
    "return 1",
    "return redis.call('get', KEYS[1])",
    "#!lua name=lib\nredis.register_function('f', function() return 1 end)",
    "u8",
    "i64",
    "#1",
    "@count",
    "upper(@title)",
    "ALL",
    "default",
    "on",
    "off",
];

/// The run's seeded choices (`common::Choose`'s `below` and `pick`).
struct Rng(rand_xoshiro::Xoshiro256PlusPlus);

impl Choose for Rng {
    fn rng(&mut self) -> &mut rand_xoshiro::Xoshiro256PlusPlus {
        &mut self.0
    }
}

/// A command line to build: its words (container and subcommand), its syntax as documented,
/// and the option words in it.
struct Shape {
    words: Vec<&'static str>,
    syntax: Vec<String>,
    options: Vec<String>,
}

fn option_words(syntax: &str) -> Vec<String> {
    syntax
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .filter(|w| {
            w.len() > 1
                && w.chars().any(|c| c.is_ascii_uppercase())
                && !w.chars().any(|c| c.is_ascii_lowercase())
        })
        .map(str::to_string)
        .collect()
}

/// The syntax as tokens: `[`, `]`, `|`, `...` and words.
fn tokens(syntax: &str) -> Vec<String> {
    let spaced = syntax.replace('[', " [ ").replace(']', " ] ").replace('|', " | ").replace("...", " ... ");
    spaced.split_whitespace().filter(|t| !matches!(*t, "<" | ">" | "(" | ")")).map(str::to_string).collect()
}

fn shapes() -> Vec<Shape> {
    // Commands that end the run's usefulness rather than test anything: SHUTDOWN stops the
    // server, CLIENT PAUSE holds every later command, MONITOR changes the connection's mode,
    // and the replication handshakes turn the client into a replica.
    let skip = ["shutdown", "pause", "monitor", "failover", "replicaof", "slaveof", "sync", "psync"];
    let mut out = Vec::new();
    for spec in all() {
        let mut add = |words: Vec<&'static str>, s: &CommandSpec| {
            if !skip.contains(&s.name) {
                out.push(Shape { words, syntax: tokens(s.syntax), options: option_words(s.syntax) });
            }
        };
        if spec.subcommands.is_empty() {
            add(vec![spec.name], spec);
        } else {
            for sub in spec.subcommands {
                add(vec![spec.name, sub.name], sub);
            }
        }
    }
    out
}

/// A value for a placeholder of the syntax, by its name.
fn placeholder(rng: &mut Rng, name: &str, search: bool) -> String {
    let name = name.to_ascii_lowercase();
    let has = |w: &str| name.contains(w);
    if search && (has("index") || name == "idx") {
        return rng.pick(&["idx", "vidx", "nosuch"]).into();
    }
    if has("key") {
        return rng.pick(KEYS).into();
    }
    if has("id") && !has("width") {
        return rng.pick(&["1-1", "2-1", "0", "0-0", "*", "$", ">", "+", "-", "3", "1-*"]).into();
    }
    if has("path") {
        return rng.pick(&["$", ".", "$.a", "$.b", "$.b[0]", "$..c", "$.s", ".a", "$.nosuch"]).into();
    }
    if has("query") {
        return rng
            .pick(&[
                "*",
                "hello",
                "@title:hello",
                "@n:[1 5]",
                "@tag:{a}",
                "hel*",
                "-world",
                "*=>[KNN 2 @v $B]",
            ])
            .into();
    }
    if has("pattern") {
        return rng.pick(&["*", "h*", "?tr", "[a-z]*"]).into();
    }
    let numeric = [
        "count",
        "second",
        "millisecond",
        "timeout",
        "offset",
        "start",
        "end",
        "stop",
        "index",
        "increment",
        "decrement",
        "score",
        "min",
        "max",
        "db",
        "numkeys",
        "number",
        "integer",
        "time",
        "ttl",
        "radius",
        "longitude",
        "latitude",
        "width",
        "height",
        "len",
        "limit",
        "num",
        "pos",
        "bit",
        "value",
        "size",
        "dim",
        "weight",
        "threshold",
        "port",
        "ms",
    ];
    if numeric.iter().any(|w| has(w)) {
        return rng.pick(&["0", "1", "2", "3", "5", "10", "-1", "1.5", "100", "-2"]).into();
    }
    rng.pick(&["a", "b", "c", "v", "hello", "f", "g", "x", "1"]).into()
}

/// Words for the tokens from `at` to the matching `]` or the end, choosing alternatives and
/// optional parts at random; returns where it stopped.
fn expand(rng: &mut Rng, toks: &[String], mut at: usize, search: bool, out: &mut Vec<String>) -> usize {
    // Alternatives of this level: expand one, skip the others.
    let mut chosen = false;
    let mut take = true;
    let mut last_start = out.len();
    while at < toks.len() {
        match toks[at].as_str() {
            "]" => return at + 1,
            "|" => {
                // Decide at the first `|` whether this branch stands; later branches are skipped
                // once one stood.
                chosen |= take && rng.below(2) == 0;
                take = !chosen;
                if !take {
                    out.truncate(last_start.min(out.len()));
                }
                at += 1;
            }
            "[" => {
                let before = out.len();
                let end = expand(rng, toks, at + 1, search, out);
                if !take || rng.below(2) == 0 {
                    out.truncate(before);
                }
                last_start = before;
                at = end;
            }
            "..." => {
                let repeats = rng.below(3);
                let item: Vec<String> = out[last_start.min(out.len())..].to_vec();
                for _ in 0..repeats {
                    out.extend(item.iter().cloned());
                }
                at += 1;
            }
            word => {
                last_start = out.len();
                if take {
                    let upper = word.chars().any(|c| c.is_ascii_uppercase())
                        && !word.chars().any(|c| c.is_ascii_lowercase());
                    out.push(if upper { word.to_string() } else { placeholder(rng, word, search) });
                }
                at += 1;
            }
        }
    }
    at
}
fn line(words: &[&str]) -> Vec<Bytes> {
    words.iter().map(|w| Bytes::copy_from_slice(w.as_bytes())).collect()
}

fn setup(engine: &mut Engine, client: u64, now: u64) {
    for cmd in SETUP {
        engine.execute(client, line(&cmd.split(' ').collect::<Vec<_>>()), now);
    }
}

fn command(rng: &mut Rng, shape: &Shape) -> Vec<Bytes> {
    let mut words: Vec<String> = shape.words.iter().map(|w| w.to_string()).collect();
    let search = shape.words[0].starts_with("ft.");
    expand(rng, &shape.syntax, 0, search, &mut words);
    // One in three lines is mangled: an argument replaced by a hostile value or an option word,
    // one dropped, or one added.
    if rng.below(3) == 0 {
        let fixed = shape.words.len();
        let at = fixed + rng.below(words.len() - fixed + 1);
        let hostile = match rng.below(3) {
            0 if !shape.options.is_empty() => shape.options[rng.below(shape.options.len())].clone(),
            1 => "x".repeat(rng.below(300)),
            _ => rng.pick(VALUES).to_string(),
        };
        match rng.below(3) {
            0 if at < words.len() => words[at] = hostile,
            1 if at < words.len() => {
                words.remove(at);
            }
            _ => words.insert(at, hostile),
        }
    }
    words.into_iter().map(Bytes::from).collect()
}

fn show(args: &[Bytes]) -> String {
    args.iter().map(|a| format!("{:?}", String::from_utf8_lossy(a))).collect::<Vec<_>>().join(" ")
}

/// Runs `commands` commands; returns how many were answered without an error.
fn run(seed: u64, commands: u64) -> u64 {
    let shapes = shapes();
    let mut rng = Rng(rand_core::SeedableRng::seed_from_u64(seed));
    let mut now = 1_700_000_000_000u64;
    let mut engine = Engine::new(seed, now);
    let clients = [engine.connect(now), engine.connect(now)];
    setup(&mut engine, clients[0], now);
    // The second client speaks RESP3, so both protocols' reply paths run.
    engine.execute(clients[1], line(&["HELLO", "3"]), now);
    let mut answered = 0;

    // The watchdog: the command in flight and since when; it aborts the process with the command
    // named when one takes more than 20 s (a hang in the page).
    let current: Arc<Mutex<String>> = Arc::default();
    let started = Arc::new(AtomicU64::new(0));
    let epoch = Instant::now();
    {
        let (current, started) = (current.clone(), started.clone());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let since = started.load(Ordering::Relaxed);
            if since != 0 && (epoch.elapsed().as_millis() as u64).saturating_sub(since) > 20_000 {
                eprintln!("HANG: over 20 s in {}", current.lock().unwrap());
                std::process::abort();
            }
        });
    }
    for i in 0..commands {
        let shape = &shapes[rng.below(shapes.len())];
        let args = command(&mut rng, shape);
        let client = clients[rng.below(2)];
        *current.lock().unwrap() = show(&args);
        started.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::Relaxed);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let reply = engine.execute(client, args.clone(), now);
            for proto in [Protocol::Resp2, Protocol::Resp3] {
                let mut out = Vec::new();
                reply.encode(proto, &mut out);
            }
            engine.take_pushes(client);
            reply
        }));
        started.store(0, Ordering::Relaxed);
        let reply =
            outcome.unwrap_or_else(|_| panic!("command {i} of seed {seed} panicked: {}", show(&args)));
        answered += u64::from(!reply.is_error());
        // Keep the session useful: unsubscribe a client that subscribed, reset one in MULTI now
        // and then, and refill after a flush.
        if matches!(reply, Frame::Push(_)) || rng.below(50) == 0 {
            engine.execute(client, line(&["RESET"]), now);
            if client == clients[1] {
                engine.execute(client, line(&["HELLO", "3"]), now);
            }
        }
        if rng.below(200) == 0
            || engine.execute(clients[0], line(&["EXISTS", "str"]), now) == Frame::Integer(0)
        {
            setup(&mut engine, clients[0], now);
        }
        now += rng.below(1500) as u64;
        if rng.below(10) == 0 {
            engine.tick(now);
        }
    }
    answered
}

fn commands_per_seed() -> u64 {
    std::env::var("GRAMMAR_FUZZ_COMMANDS").ok().and_then(|n| n.parse().ok()).unwrap_or(4000)
}

#[test]
fn random_commands_from_the_table_never_panic_or_hang() {
    let seeds: Vec<u64> = match std::env::var("GRAMMAR_FUZZ_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => vec![seed],
        None => vec![1, 2, 3],
    };
    for seed in seeds {
        let commands = commands_per_seed();
        let answered = run(seed, commands);
        println!("seed {seed}: {answered} of {commands} commands answered without an error");
        // Mostly errors would mean the arguments no longer reach the handlers' real work.
        assert!(answered * 5 > commands, "seed {seed}: only {answered} of {commands} were not errors");
    }
}

#[test]
fn option_words_come_from_the_documented_syntax() {
    assert_eq!(option_words("key value [NX | XX] [GET] [EX seconds]"), ["NX", "XX", "GET", "EX"]);
    let toks = tokens("key [NX | XX] field [field ...]");
    assert_eq!(toks, ["key", "[", "NX", "|", "XX", "]", "field", "[", "field", "...", "]"]);
    assert!(shapes()
        .iter()
        .any(|s| s.words == ["client", "tracking"] && s.options.iter().any(|o| o == "BCAST")));
}
