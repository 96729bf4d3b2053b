//! Differential testing against a real Redis 7.4 + RediSearch (the shared oracle).
//!
//! A [`Session`] sends the same command to the oracle and to a fresh [`Engine`] and compares the
//! raw reply bytes. The oracle is started on demand with `../shared/oracle/redis-stack start PORT`
//! (idempotent; the first start builds OpenSSL once, about 3 minutes). `REDIS_ORACLE_PORT` points
//! the tests at an oracle that is already running instead.
//!
//! Tests in one binary share one oracle, so a session holds a process-wide lock and flushes the
//! oracle when it starts: tests stay independent without a server per test.

#![allow(dead_code)]

use bytes::Bytes;
use playground_engine::resp::{encode_command, parse_frame, Limits};
use playground_engine::search::vector::{vecsim_f32, Metric};
use playground_engine::{Engine, Frame, Kernel, Protocol};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Default oracle port for the engine's differential tests.
pub const DEFAULT_PORT: u16 = 16379;

static LOCK: Mutex<()> = Mutex::new(());
static STARTED: OnceLock<u16> = OnceLock::new();

/// The oracle's port, starting it if needed. Panics with a clear message if it cannot start.
pub fn oracle_port() -> u16 {
    *STARTED.get_or_init(|| {
        if let Ok(port) = std::env::var("REDIS_ORACLE_PORT") {
            return port.parse().expect("REDIS_ORACLE_PORT must be a port number");
        }
        let script = workspace_root().join("../shared/oracle/redis-stack");
        let out = std::process::Command::new("bash")
            .arg(&script)
            .arg("start")
            .arg(DEFAULT_PORT.to_string())
            // DEBUG DIGEST / OBJECT / RELOAD / SET-ACTIVE-EXPIRE are compared too.
            .arg("--debug")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "the Redis oracle did not start ({}):\n{}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        DEFAULT_PORT
    })
}

/// Port of the second oracle, Redis 7.4 with RediSearch AND RedisJSON, for the JSON tests
/// (the first one has search alone, as the tests that compare MODULE LIST and INFO expect).
pub const DEFAULT_JSON_PORT: u16 = 16380;

static JSON_STARTED: OnceLock<u16> = OnceLock::new();

/// The JSON oracle's port (`REDIS_JSON_ORACLE_PORT`, or 16380 started on demand like
/// [`oracle_port`]'s, with `--with json`).
pub fn json_oracle_port() -> u16 {
    *JSON_STARTED.get_or_init(|| {
        if let Ok(port) = std::env::var("REDIS_JSON_ORACLE_PORT") {
            return port.parse().expect("REDIS_JSON_ORACLE_PORT must be a port number");
        }
        let script = workspace_root().join("../shared/oracle/redis-stack");
        let out = std::process::Command::new("bash")
            .arg(&script)
            .args(["start", &DEFAULT_JSON_PORT.to_string(), "--with", "json", "--debug"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "the Redis oracle with JSON did not start ({}):\n{}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        DEFAULT_JSON_PORT
    })
}

/// The repository root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Milliseconds on the system clock, the emulator's clock in these tests (the oracle uses it too).
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_millis() as u64
}

/// A raw RESP connection to the oracle.
pub struct Oracle {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Oracle {
    pub fn connect(port: u16) -> Oracle {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the oracle");
        stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        stream.set_nodelay(true).expect("nodelay");
        Oracle { stream, buf: Vec::new() }
    }

    /// Send a command and return the raw bytes of its reply.
    pub fn raw(&mut self, args: &[Bytes]) -> Vec<u8> {
        self.send(args);
        self.read_frame()
    }

    /// Close the socket (the server then forgets this client).
    pub fn stream_shutdown(&mut self) -> std::io::Result<()> {
        self.stream.shutdown(std::net::Shutdown::Both)
    }

    /// Send a command without reading anything.
    pub fn send(&mut self, args: &[Bytes]) {
        let mut out = Vec::new();
        encode_command(args, &mut out);
        self.stream.write_all(&out).expect("write to oracle");
    }

    /// The raw bytes of the next frame the server sends (a reply or a push).
    pub fn read_frame(&mut self) -> Vec<u8> {
        loop {
            if let Some((_, used)) = parse_frame(&self.buf, &Limits::default()).expect("oracle reply parses")
            {
                return self.buf.drain(..used).collect();
            }
            let mut chunk = [0u8; 65536];
            let n = self.stream.read(&mut chunk).expect("read from oracle");
            assert!(n > 0, "oracle closed the connection");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

static KERNEL: OnceLock<Kernel> = OnceLock::new();

/// The FLOAT32 kernel RediSearch picked on the oracle's CPU, found by asking it: one IP and one
/// L2 distance over 19 dimensions (a residual of 3, where the three kernels' lanes differ most),
/// for vectors whose distances print differently under each kernel. The engine then reports
/// distances in that kernel's order, so KNN scores compare byte for byte on any machine.
pub fn oracle_kernel(oracle: &mut Oracle) -> Kernel {
    *KERNEL.get_or_init(|| {
        let mut seed = 1u64;
        let (a, b) = loop {
            let (a, b) = (pseudo_random_vector(seed, 19), pseudo_random_vector(seed + 1000, 19));
            let printed = |metric| {
                Kernel::ALL.map(|k| {
                    playground_engine::search::commands::format_score(f64::from(vecsim_f32(
                        k, metric, &a, &b,
                    )))
                })
            };
            let distinct = |p: [String; 3]| p[0] != p[1] && p[1] != p[2] && p[0] != p[2];
            if distinct(printed(Metric::Ip)) && distinct(printed(Metric::L2)) {
                break (a, b);
            }
            seed += 1;
        };
        let blob = |v: &[f32]| Bytes::from(v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>());
        let mut found = Vec::new();
        for (metric, name) in [(Metric::Ip, "IP"), (Metric::L2, "L2")] {
            let index = format!("probe:kernel:{name}");
            let prefix = format!("probe:kernel:{name}:");
            let create = [
                "FT.CREATE",
                &index,
                "ON",
                "HASH",
                "PREFIX",
                "1",
                &prefix,
                "SCHEMA",
                "v",
                "VECTOR",
                "FLAT",
                "6",
                "TYPE",
                "FLOAT32",
                "DIM",
                "19",
                "DISTANCE_METRIC",
                name,
            ];
            oracle.raw(&args(&create));
            let mut hset = args(&["HSET", &format!("{prefix}1"), "v"]);
            hset.push(blob(&a));
            oracle.raw(&hset);
            let mut search = args(&["FT.SEARCH", &index, "*=>[KNN 1 @v $b AS d]", "PARAMS", "2", "b"]);
            search.push(blob(&b));
            search.extend(args(&["RETURN", "1", "d", "DIALECT", "2"]));
            let reply = String::from_utf8_lossy(&oracle.raw(&search)).into_owned();
            oracle.raw(&args(&["FT.DROPINDEX", &index, "DD"]));
            let kernels: Vec<Kernel> = Kernel::ALL
                .into_iter()
                .filter(|&k| {
                    let score = playground_engine::search::commands::format_score(f64::from(vecsim_f32(
                        k, metric, &b, &a,
                    )));
                    reply.contains(&format!("\r\n{score}\r\n"))
                })
                .collect();
            assert_eq!(
                kernels.len(),
                1,
                "{name} distance {reply:?} is not one of our kernels' ({kernels:?})"
            );
            found.push(kernels[0]);
        }
        assert_eq!(found[0], found[1], "the oracle's IP and L2 distances follow different kernels");
        found[0]
    })
}

/// A deterministic pseudo-random vector in [-0.5, 0.5) (xorshift), the same bytes on both sides.
pub fn pseudo_random_vector(seed: u64, dim: usize) -> Vec<f32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..dim)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x >> 40) as f32 / (1u64 << 24) as f32) - 0.5
        })
        .collect()
}

/// What one connection received for a command: (connection, the emulator's frames, Redis's).
type Received = (usize, Vec<Vec<u8>>, Vec<Vec<u8>>);

/// The same commands against the oracle and the emulator.
pub struct Session {
    _guard: MutexGuard<'static, ()>,
    pub oracle: Oracle,
    pub engine: Engine,
    pub client: u64,
    /// More connections (see [`Session::connect`]): an oracle socket and an engine client each.
    pub conns: Vec<(Oracle, u64)>,
    /// Connections closed with [`Session::hang_up`].
    pub gone: Vec<usize>,
    /// The oracle's port (the search-only one, or the one with RedisJSON).
    port: u16,
}

/// Turn `&str` arguments into byte strings.
pub fn args(parts: &[&str]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect()
}

impl Session {
    /// A fresh session: oracle flushed (all databases, RESP2, db 0), new engine.
    pub fn new() -> Session {
        Session::on_port(oracle_port())
    }

    /// A fresh session on the oracle at `port` ([`json_oracle_port`] for the JSON tests).
    pub fn on_port(port: u16) -> Session {
        let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut oracle = Oracle::connect(port);
        for cmd in [
            // A test that stopped halfway may have left the oracle paused.
            &["CLIENT", "UNPAUSE"][..],
            &["FLUSHALL"],
            // A test that stopped halfway may have left the oracle a replica.
            &["REPLICAOF", "NO", "ONE"],
            // Every setting the engine emulates back to the oracle's defaults, so a test that
            // changed one (or a run that stopped halfway) cannot leak it into the next.
            &[
                "CONFIG",
                "SET",
                "maxmemory",
                "0",
                "maxmemory-policy",
                "noeviction",
                "maxmemory-samples",
                "5",
                "maxmemory-eviction-tenacity",
                "10",
                "maxmemory-clients",
                "0",
                "lfu-log-factor",
                "10",
                "lfu-decay-time",
                "1",
                "hz",
                "10",
                "timeout",
                "0",
                "appendonly",
                "no",
                "hash-max-listpack-entries",
                "512",
                "hash-max-listpack-value",
                "64",
                "hll-sparse-max-bytes",
                "3000",
                "notify-keyspace-events",
                "",
                // What the replication-stream tests change.
                "repl-diskless-sync",
                "yes",
                "repl-ping-replica-period",
                "10",
                "min-replicas-to-write",
                "0",
                "lazyfree-lazy-server-del",
                "no",
                // What the lazyfree tests change.
                "lazyfree-lazy-user-del",
                "no",
                "lazyfree-lazy-user-flush",
                "no",
                "list-max-listpack-size",
                "-2",
                "set-max-listpack-entries",
                "128",
                "list-compress-depth",
                "0",
                "replica-read-only",
                "yes",
                "replica-serve-stale-data",
                "yes",
            ],
        ] {
            oracle.raw(&args(cmd));
        }
        // Drop any search indexes left by an earlier test.
        let listed = oracle.raw(&args(&["FT._LIST"]));
        if let Ok(Some((Frame::Array(names) | Frame::Set(names), _))) =
            parse_frame(&listed, &Limits::default())
        {
            for name in names {
                if let Some(name) = name.as_bytes() {
                    oracle.raw(&[Bytes::from_static(b"FT.DROPINDEX"), Bytes::copy_from_slice(name)]);
                }
            }
        }
        let now = now_ms();
        let mut engine = Engine::new(7, now);
        engine.set_vector_kernel(oracle_kernel(&mut oracle));
        let client = engine.connect(now);
        Session { _guard: guard, oracle, engine, client, conns: Vec::new(), gone: Vec::new(), port }
    }

    /// Raw reply bytes from both sides: (oracle, emulator).
    pub fn both_raw(&mut self, cmd: &[Bytes]) -> (Vec<u8>, Vec<u8>) {
        let theirs = self.oracle.raw(cmd);
        let mut ours = Vec::new();
        let reply = self.engine.execute(self.client, cmd.to_vec(), now_ms());
        reply.encode(self.engine.protocol(self.client), &mut ours);
        (theirs, ours)
    }

    /// Decoded replies from both sides: (oracle, emulator).
    pub fn both(&mut self, cmd: &[&str]) -> (Frame, Frame) {
        self.both_frames(&args(cmd))
    }

    /// Decoded replies from both sides for binary arguments.
    pub fn both_frames(&mut self, cmd: &[Bytes]) -> (Frame, Frame) {
        let (theirs, ours) = self.both_raw(cmd);
        (decode(&theirs), decode(&ours))
    }

    /// Assert both sides send the same bytes.
    #[track_caller]
    pub fn same(&mut self, cmd: &[&str]) {
        self.same_bytes(&args(cmd));
    }

    /// Assert both sides send the same bytes, for binary arguments.
    #[track_caller]
    pub fn same_bytes(&mut self, cmd: &[Bytes]) {
        let (theirs, ours) = self.both_raw(cmd);
        assert_eq!(
            show(&ours),
            show(&theirs),
            "\ncommand: {}\n(left: emulator, right: Redis)",
            show_cmd(cmd)
        );
    }

    /// Assert the same reply up to the order of elements in aggregates (SMEMBERS, KEYS, ...).
    #[track_caller]
    pub fn same_unordered(&mut self, cmd: &[&str]) {
        let (theirs, ours) = self.both(cmd);
        assert_eq!(
            canonical(&ours),
            canonical(&theirs),
            "\ncommand: {}\n(left: emulator, right: Redis)",
            cmd.join(" ")
        );
    }

    /// Assert the same name/value pairs in any order: the reply is a flat RESP2 array or a RESP3 map
    /// whose order Redis takes from a dict with a per-process random hash seed (CONFIG GET with
    /// several names), so only the pairing is stable across servers.
    #[track_caller]
    pub fn same_pairs(&mut self, cmd: &[&str]) {
        let (theirs, ours) = self.both(cmd);
        assert_eq!(
            pairs(&ours),
            pairs(&theirs),
            "\ncommand: {}\n(left: emulator, right: Redis)",
            cmd.join(" ")
        );
    }

    /// Run many commands, each compared byte for byte.
    #[track_caller]
    pub fn script(&mut self, lines: &[&[&str]]) {
        for line in lines {
            self.same(line);
        }
    }

    /// Both sides' integer replies, asserted within `tolerance` of each other (TTLs run on the
    /// real clock on both sides, so they may differ by a tick).
    #[track_caller]
    pub fn close(&mut self, cmd: &[&str], tolerance: i64) {
        let (theirs, ours) = self.both(cmd);
        match (theirs.as_integer(), ours.as_integer()) {
            (Some(a), Some(b)) => assert!((a - b).abs() <= tolerance, "{cmd:?}: redis {a}, emulator {b}"),
            _ => panic!("{cmd:?}: redis {theirs:?}, emulator {ours:?}"),
        }
    }

    /// Open one more connection on both sides; returns its number (the session's own is 0).
    pub fn connect(&mut self) -> usize {
        let oracle = Oracle::connect(self.port);
        let id = self.engine.connect(now_ms());
        self.conns.push((oracle, id));
        self.conns.len()
    }

    fn conn(&mut self, n: usize) -> (&mut Oracle, u64) {
        match n {
            0 => (&mut self.oracle, self.client),
            n => {
                let (oracle, id) = &mut self.conns[n - 1];
                (oracle, *id)
            }
        }
    }

    /// Run `cmd` on connection `n` of both sides: the frames each connection receives (the
    /// caller's reply and its pushes, then every other connection's pushes), as raw bytes. The
    /// engine side says how many pushes there are; the oracle's are read from its sockets.
    fn frames_on(&mut self, n: usize, cmd: &[&str]) -> Vec<Received> {
        self.frames_on_each(n, cmd, cmd)
    }

    /// [`Session::frames_on`] with the oracle's command and the engine's apart (a client id).
    fn frames_on_each(&mut self, n: usize, theirs: &[&str], ours: &[&str]) -> Vec<Received> {
        let (oracle, id) = self.conn(n);
        oracle.send(&args(theirs));
        let reply = self.engine.execute(id, args(ours), now_ms());
        let mut out = Vec::new();
        for c in std::iter::once(n).chain((0..=self.conns.len()).filter(|&c| c != n)) {
            let id = self.conn(c).1;
            let mut ours: Vec<Frame> = if c == n { vec![reply.clone()] } else { vec![] };
            ours.extend(self.engine.take_pushes(id));
            let proto = self.engine.protocol(id);
            let ours: Vec<Vec<u8>> = ours.iter().map(|f| f.to_bytes(proto)).collect();
            let oracle = self.conn(c).0;
            let theirs: Vec<Vec<u8>> = ours.iter().map(|_| oracle.read_frame()).collect();
            out.push((c, ours, theirs));
        }
        out
    }

    /// Run `cmd` on connection `n` (0 is the session's own) on both sides and assert every
    /// connection receives the same bytes: the reply, the pushes that follow it, and the
    /// messages other connections get. [`Session::quiet`] checks nothing more arrived.
    #[track_caller]
    pub fn on(&mut self, n: usize, cmd: &[&str]) {
        for (c, ours, theirs) in self.frames_on(n, cmd) {
            assert_eq!(
                ours.iter().map(|f| show(f)).collect::<Vec<_>>(),
                theirs.iter().map(|f| show(f)).collect::<Vec<_>>(),
                "\ncommand on connection {n}: {}\nframes of connection {c} (left: emulator, right: Redis)",
                cmd.join(" ")
            );
        }
    }

    /// [`Session::on`] with every frame passed through `mask` first (MONITOR's lines carry a
    /// time and an address that differ between the two sides).
    #[track_caller]
    pub fn on_masked(&mut self, n: usize, cmd: &[&str], mask: fn(&str) -> String) {
        for (c, ours, theirs) in self.frames_on(n, cmd) {
            assert_eq!(
                ours.iter().map(|f| mask(&show(f))).collect::<Vec<_>>(),
                theirs.iter().map(|f| mask(&show(f))).collect::<Vec<_>>(),
                "\ncommand on connection {n}: {}\nframes of connection {c} (left: emulator, right: Redis)",
                cmd.join(" ")
            );
        }
    }

    /// [`Session::on`] for replies whose order comes from a Redis hash table (UNSUBSCRIBE with
    /// no argument, PUBSUB CHANNELS): the same frames up to order, the integers in them (running
    /// counts) compared as a multiset apart from the rest.
    #[track_caller]
    pub fn on_unordered(&mut self, n: usize, cmd: &[&str]) {
        fn split(frames: &[Vec<u8>]) -> (Vec<String>, Vec<i64>) {
            let (mut shapes, mut ints) = (Vec::new(), Vec::new());
            for raw in frames {
                let frame = decode(raw);
                let items = match &frame {
                    Frame::Array(items) | Frame::Push(items) | Frame::Set(items) => items.clone(),
                    other => vec![other.clone()],
                };
                let (i, rest): (Vec<Frame>, Vec<Frame>) =
                    items.into_iter().partition(|f| matches!(f, Frame::Integer(_)));
                ints.extend(i.iter().filter_map(Frame::as_integer));
                shapes.push(canonical(&Frame::Array(rest)));
            }
            shapes.sort();
            ints.sort();
            (shapes, ints)
        }
        for (c, ours, theirs) in self.frames_on(n, cmd) {
            assert_eq!(
                split(&ours),
                split(&theirs),
                "\ncommand on connection {n}: {}\nframes of connection {c} (left: emulator, right: Redis)",
                cmd.join(" ")
            );
        }
    }

    /// [`Session::on`] for a command that names a client: `{a}` in `cmd` becomes that client's
    /// id on each side (`ids`, from [`Session::client_ids`]), and the oracle's id in its replies
    /// reads as the engine's (CLIENT GETREDIR, tracking-redir-broken).
    #[track_caller]
    pub fn on_naming(&mut self, n: usize, cmd: &[&str], ids: (u64, u64)) {
        let fill = |id: u64| cmd.iter().map(|w| w.replace("{a}", &id.to_string())).collect::<Vec<_>>();
        let (t, o) = (fill(ids.0), fill(ids.1));
        let t: Vec<&str> = t.iter().map(String::as_str).collect();
        let o: Vec<&str> = o.iter().map(String::as_str).collect();
        let (theirs_id, ours_id) = (format!(":{}\r\n", ids.0), format!(":{}\r\n", ids.1));
        for (c, ours, theirs) in self.frames_on_each(n, &t, &o) {
            assert_eq!(
                ours.iter().map(|f| show(f)).collect::<Vec<_>>(),
                theirs
                    .iter()
                    .map(|f| show(f).replace(&show(theirs_id.as_bytes()), &show(ours_id.as_bytes())))
                    .collect::<Vec<_>>(),
                "\ncommand on connection {n}: {}\nframes of connection {c} (left: emulator, right: Redis)",
                cmd.join(" ")
            );
        }
    }

    /// Connection `n`'s client id on each side: (Redis's, the engine's).
    pub fn client_ids(&mut self, n: usize) -> (u64, u64) {
        let (oracle, id) = self.conn(n);
        let theirs = decode(&oracle.raw(&args(&["CLIENT", "ID"]))).as_integer().expect("CLIENT ID");
        (theirs as u64, id)
    }

    /// Close connection `n` on both sides (its oracle socket, its engine client), and give the
    /// oracle a moment to notice.
    pub fn hang_up(&mut self, n: usize) {
        let id = self.conn(n).1;
        self.engine.disconnect(id);
        let (oracle, _) = &mut self.conns[n - 1];
        let _ = oracle.stream_shutdown();
        self.gone.push(n);
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Run `cmd` on connection `n` of both sides without comparing (HELLO, whose reply holds
    /// the client id and the module's path), consuming what it pushes.
    pub fn run_on(&mut self, n: usize, cmd: &[&str]) {
        self.frames_on(n, cmd);
    }

    /// Assert no connection has a frame left on either side: a PING on each answers the same.
    #[track_caller]
    pub fn quiet(&mut self) {
        let open: Vec<usize> = (0..=self.conns.len()).filter(|n| !self.gone.contains(n)).collect();
        for n in open {
            self.on(n, &["PING", "quiet"]);
        }
    }

    /// Run a command on both sides without comparing (set-up that is known to differ, e.g. time).
    pub fn run(&mut self, cmd: &[&str]) -> (Frame, Frame) {
        self.both(cmd)
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// A field of an FT.INFO reply (RESP2 flat list or RESP3 map), `Null` when absent.
pub fn info_field(reply: &Frame, name: &str) -> Frame {
    match reply {
        Frame::Array(items) => items
            .chunks(2)
            .find(|p| p[0].as_bytes() == Some(name.as_bytes()))
            .and_then(|p| p.get(1).cloned())
            .unwrap_or(Frame::Null),
        Frame::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| k.as_bytes() == Some(name.as_bytes()))
            .map(|(_, v)| v.clone())
            .unwrap_or(Frame::Null),
        _ => Frame::Null,
    }
}

/// Decode one reply frame from raw bytes.
pub fn decode(raw: &[u8]) -> Frame {
    parse_frame(raw, &Limits::default()).expect("valid RESP").expect("complete frame").0
}

/// A frame with every aggregate sorted, for order-free comparison.
pub fn canonical(frame: &Frame) -> String {
    match frame {
        Frame::Array(items) | Frame::Set(items) | Frame::Push(items) => {
            let mut parts: Vec<String> = items.iter().map(canonical).collect();
            parts.sort();
            format!("[{}]", parts.join(", "))
        }
        Frame::Map(pairs) => {
            let mut parts: Vec<String> =
                pairs.iter().map(|(k, v)| format!("{}: {}", canonical(k), canonical(v))).collect();
            parts.sort();
            format!("{{{}}}", parts.join(", "))
        }
        other => format!("{other:?}"),
    }
}

/// The name/value pairs of a flat array or a map, sorted by name.
fn pairs(frame: &Frame) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = match frame {
        Frame::Array(items) => items
            .chunks(2)
            .map(|pair| (canonical(&pair[0]), pair.get(1).map(canonical).unwrap_or_default()))
            .collect(),
        Frame::Map(entries) => entries.iter().map(|(k, v)| (canonical(k), canonical(v))).collect(),
        other => panic!("expected pairs, got {other:?}"),
    };
    pairs.sort();
    pairs
}

/// Raw RESP made readable (CRLF shown as `\r\n`).
pub fn show(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).replace("\r\n", "\\r\\n")
}

fn show_cmd(cmd: &[Bytes]) -> String {
    cmd.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect::<Vec<_>>().join(" ")
}

/// Protocol shorthand for tests.
pub fn resp3() -> Protocol {
    Protocol::Resp3
}

/// Seeded choices for the random differential tests, so a failure repeats: implement `rng` and
/// get `below` and `pick`.
pub trait Choose {
    fn rng(&mut self) -> &mut rand_xoshiro::Xoshiro256PlusPlus;

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        use rand_core::RngCore;
        (self.rng().next_u64() % n as u64) as usize
    }

    /// One of `items`.
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// SAVE wrote the oracle's dump file into its working directory (the folder it was started from,
/// often the repository). Remove it: a Redis 7.0 started there later (the e2e tests, the
/// benchmark) would try to load a 7.4 file and refuse to start. `dir` cannot be changed at run
/// time (a protected config), so the file is cleaned up instead.
pub fn remove_saved_file(s: &mut Session) {
    let setting = |s: &mut Session, name: &str| match s.run(&["CONFIG", "GET", name]).0 {
        Frame::Array(items) => {
            items.get(1).and_then(|v| v.as_bytes()).map(|b| String::from_utf8_lossy(b).into_owned())
        }
        _ => None,
    };
    if let (Some(dir), Some(file)) = (setting(s, "dir"), setting(s, "dbfilename")) {
        let _ = std::fs::remove_file(std::path::Path::new(&dir).join(file));
    }
}

/// Wait until the oracle's index has no background scan running (`indexing` 0 in FT.INFO):
/// Redis indexes the keys that exist at FT.CREATE, or again after FT.SYNUPDATE, in the
/// background, where the engine does it at once.
pub fn wait_indexed(s: &mut Session, index: &str) {
    for _ in 0..500 {
        let raw = s.oracle.raw(&args(&["FT.INFO", index]));
        if info_field(&decode(&raw), "indexing") == Frame::Integer(0) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the oracle never finished indexing {index}");
}
