//! The `multi_client` fuzz harness: fuzz bytes decoded into a session of four clients sending
//! commands from a small dictionary (so coverage grows fast), with blocking pops and moves,
//! MULTI/WATCH/EXEC/DISCARD, a moving virtual clock with active expiry, and disconnects of
//! waiting clients. After every step it checks invariants, not just the absence of panics:
//!
//! - queue keys (`q0`..`q2`, touched only by element-conserving list commands) hold unique
//!   element tags; every tag confirmed pushed or present before is afterwards either still in a
//!   queue or was delivered to a connected client in that step, nothing appears from nowhere,
//!   and nothing is delivered twice (FLUSHDB/FLUSHALL are the only legitimate losses);
//! - a client still waiting after the wakeup pass waits on queues that are all empty, and not
//!   past its deadline; a disconnected client is never served;
//! - `DBSIZE` equals the number of keys `SCAN` walks (and `KEYS *` returns), once active expiry
//!   has caught up with the clock;
//! - EXEC answers a null (WATCH abort), an EXECABORT error, or one reply per queued command.
//!
//! Shared by `fuzz_targets/multi_client.rs` and `tests/fuzz_regressions.rs` (included with
//! `#[path]`), so a regression replays exactly what the fuzzer ran.

use bytes::Bytes;
use playground_engine::types::Value;
use playground_engine::{Engine, Frame, Outcome};
use std::collections::{BTreeSet, HashSet};

const CLIENTS: usize = 4;
const MAX_OPS: usize = 64;
const QUEUES: [&str; 3] = ["q0", "q1", "q2"];
const KEYS: [&str; 4] = ["k0", "k1", "k2", "k3"];
/// Databases whose queues are checked (SELECT and SWAPDB only ever name these).
const DBS: usize = 2;

/// Argument kinds in a command template (one character each).
/// q queue key, k general key, a any key, e fresh element tag, v value, n small integer,
/// t blocking timeout (s), m milliseconds, f hash field, p glob pattern, d database,
/// L LEFT/RIGHT; a kind followed by + is repeated 1-3 times; anything else is literal text
/// up to the next space.
const TEMPLATES: &[&str] = &[
    // Element-conserving commands on the queues.
    "LPUSH q e+",
    "RPUSH q e+",
    "LPUSHX q e",
    "RPUSHX q e",
    "LPOP q",
    "LPOP q n",
    "RPOP q",
    "RPOP q n",
    "LMOVE q q L L",
    "RPOPLPUSH q q",
    "LMPOP 2 q q L COUNT n",
    "BLPOP q+ t",
    "BRPOP q+ t",
    "BLMOVE q q L L t",
    "BRPOPLPUSH q q t",
    "BLMPOP t 2 q q L COUNT n",
    "BLMPOP t 1 q L",
    "LLEN q",
    "LRANGE q 0 -1",
    "LINDEX q n",
    // General keys: anything goes.
    "SET k v",
    "SET k v PX m",
    "SET k v EX n",
    "GET k",
    "GETDEL k",
    "GETEX k PX m",
    "DEL k+",
    "UNLINK k",
    "EXISTS a+",
    "TYPE a",
    "EXPIRE k n",
    "PEXPIRE k m",
    "PEXPIRE k m NX",
    "PERSIST k",
    "TTL a",
    "INCR k",
    "APPEND k v",
    "HSET k f v",
    "HGET k f",
    "HDEL k f",
    "SADD k v+",
    "SREM k v",
    "ZADD k n v",
    "ZPOPMIN k",
    "LPUSH k v+",
    "BLPOP k t",
    "LREM k n v",
    "LTRIM k n n",
    "RENAME k k",
    "COPY k k",
    "MOVE k d",
    "OBJECT ENCODING a",
    // Connection, transactions, keyspace.
    "MULTI",
    "EXEC",
    "DISCARD",
    "WATCH a+",
    "UNWATCH",
    "DBSIZE",
    "SCAN n",
    "SCAN 0 MATCH p COUNT n",
    "KEYS p",
    "RANDOMKEY",
    "SELECT d",
    "SWAPDB 0 1",
    "FLUSHDB",
    "FLUSHALL",
    "HELLO 3",
    "HELLO 2",
    "PING",
];

const VALUES: [&str; 8] = ["1", "-1", "0", "a", "3.5", "abc", "", "10"];
const INTS: [&str; 6] = ["0", "1", "2", "-1", "3", "100"];
const TIMEOUTS: [&str; 6] = ["0", "0.01", "0.1", "1", "0.5", "2"];
const MILLIS: [&str; 5] = ["1", "10", "100", "1000", "5000"];
const FIELDS: [&str; 3] = ["f0", "f1", "f2"];
const PATTERNS: [&str; 6] = ["*", "k*", "q?", "[kq]0", "*0", "k[^0]"];
const CLOCK_STEPS: [u64; 8] = [1, 7, 50, 100, 500, 1000, 2500, 10_000];

/// Commands whose reply elements leave the queues for the caller.
const REMOVING: [&str; 6] = ["lpop", "rpop", "lmpop", "blpop", "brpop", "blmpop"];
/// Commands that add their element arguments (from the third on) to a queue.
const PUSHING: [&str; 4] = ["lpush", "rpush", "lpushx", "rpushx"];

struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Input<'_> {
    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.byte() as usize % from.len()]
    }
}

struct Slot {
    id: u64,
    /// The parked command and its place in the wakeup order, while the client waits.
    parked: Option<(Vec<Bytes>, u64)>,
}

struct Harness {
    engine: Engine,
    now: u64,
    slots: Vec<Slot>,
    observer: u64,
    next_tag: u64,
    next_park: u64,
    /// Tags in the queues (all checked databases) after the last step.
    live: HashSet<Bytes>,
    /// Tags ever delivered to a client.
    delivered_ever: HashSet<Bytes>,
    // This step:
    pushed: HashSet<Bytes>,
    delivered: Vec<Bytes>,
    flushed: bool,
    trace: Vec<String>,
}

fn name_of(args: &[Bytes]) -> String {
    String::from_utf8_lossy(&args[0]).to_ascii_lowercase()
}

fn is_tag(b: &[u8]) -> bool {
    b.len() > 1 && b[0] == b'e' && b[1..].iter().all(u8::is_ascii_digit)
}

/// Every tag-shaped bulk string in a reply.
fn tags_in(frame: &Frame, out: &mut Vec<Bytes>) {
    match frame {
        Frame::Bulk(b) if is_tag(b) => out.push(b.clone()),
        Frame::Array(items) | Frame::Set(items) => items.iter().for_each(|f| tags_in(f, out)),
        Frame::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            tags_in(k, out);
            tags_in(v, out);
        }),
        _ => {}
    }
}

/// The keys a blocking command waits on (the source keys).
fn waited_keys(args: &[Bytes]) -> Vec<Bytes> {
    match name_of(args).as_str() {
        "blpop" | "brpop" => args[1..args.len() - 1].to_vec(),
        "blmove" | "brpoplpush" => vec![args[1].clone()],
        "blmpop" => {
            let n: usize = std::str::from_utf8(&args[2]).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
            args.iter().skip(3).take(n).cloned().collect()
        }
        _ => Vec::new(),
    }
}

impl Harness {
    fn new() -> Harness {
        let mut engine = Engine::new(7, 0);
        let slots = (0..CLIENTS).map(|_| Slot { id: engine.connect(0), parked: None }).collect();
        let observer = engine.connect(0);
        Harness {
            engine,
            now: 0,
            slots,
            observer,
            next_tag: 0,
            next_park: 0,
            live: HashSet::new(),
            delivered_ever: HashSet::new(),
            pushed: HashSet::new(),
            delivered: Vec::new(),
            flushed: false,
            trace: Vec::new(),
        }
    }

    fn fail(&self, what: String) -> ! {
        panic!("invariant failed: {what}\nsession:\n{}", self.trace.join("\n"));
    }

    fn build_args(&mut self, input: &mut Input, template: &str) -> Vec<Bytes> {
        let mut args = Vec::new();
        for word in template.split(' ') {
            let (kind, reps) = match word.strip_suffix('+') {
                Some(kind) if !kind.is_empty() => (kind, 1 + input.byte() % 3),
                _ => (word, 1),
            };
            for _ in 0..reps {
                let arg = match kind {
                    "q" => input.pick(&QUEUES).to_string(),
                    "k" => input.pick(&KEYS).to_string(),
                    "a" => {
                        let b = input.byte() as usize % (QUEUES.len() + KEYS.len());
                        if b < QUEUES.len() {
                            QUEUES[b].to_string()
                        } else {
                            KEYS[b - QUEUES.len()].to_string()
                        }
                    }
                    "e" => {
                        self.next_tag += 1;
                        format!("e{}", self.next_tag)
                    }
                    "v" => input.pick(&VALUES).to_string(),
                    "n" => input.pick(&INTS).to_string(),
                    "t" => input.pick(&TIMEOUTS).to_string(),
                    "m" => input.pick(&MILLIS).to_string(),
                    "f" => input.pick(&FIELDS).to_string(),
                    "p" => input.pick(&PATTERNS).to_string(),
                    "d" => (input.byte() as usize % DBS).to_string(),
                    "L" => input.pick(&["LEFT", "RIGHT"]).to_string(),
                    literal => literal.to_string(),
                };
                args.push(Bytes::from(arg));
            }
        }
        args
    }

    /// Account for a reply to `args`: confirmed pushes and delivered elements.
    fn account(&mut self, args: &[Bytes], reply: &Frame) {
        let name = name_of(args);
        if PUSHING.contains(&name.as_str()) {
            if let Frame::Integer(n) = reply {
                if *n > 0 && QUEUES.iter().any(|q| args[1] == q.as_bytes()) {
                    self.pushed.extend(args[2..].iter().cloned());
                }
            }
        } else if REMOVING.contains(&name.as_str()) {
            tags_in(reply, &mut self.delivered);
        } else if name == "exec" {
            // Accounted by the caller with the queued commands.
        }
    }

    fn run_command(&mut self, slot: usize, args: Vec<Bytes>) {
        let id = self.slots[slot].id;
        let name = name_of(&args);
        let queued: Option<Vec<Vec<Bytes>>> = if name == "exec" {
            self.engine.server().clients.get(&id).and_then(|c| c.multi.clone())
        } else {
            None
        };
        if let Some(q) = &queued {
            if q.iter().any(|c| matches!(name_of(c).as_str(), "flushdb" | "flushall")) {
                self.flushed = true;
            }
        }
        let in_multi = self.engine.server().clients.get(&id).is_some_and(|c| c.multi.is_some());
        if !in_multi && matches!(name.as_str(), "flushdb" | "flushall") {
            self.flushed = true;
        }
        self.trace.push(format!("c{slot} {}", show(&args)));
        match self.engine.execute_blocking(id, args.clone(), self.now) {
            Outcome::Reply(reply) => {
                let _ = reply.to_bytes(self.engine.protocol(id));
                if in_multi && !matches!(name.as_str(), "exec" | "discard" | "multi" | "watch") {
                    return; // QUEUED or a queueing error: nothing ran.
                }
                match (&queued, &reply) {
                    (Some(q), Frame::Array(replies)) => {
                        if replies.len() != q.len() {
                            self.fail(format!(
                                "EXEC answered {} replies for {} queued",
                                replies.len(),
                                q.len()
                            ));
                        }
                        for (c, r) in q.iter().zip(replies) {
                            self.account(c, r);
                        }
                    }
                    (Some(_), Frame::NullArray | Frame::Error(_)) => {}
                    (Some(_), other) => self.fail(format!("EXEC answered {other:?}")),
                    (None, _) => self.account(&args, &reply),
                }
            }
            Outcome::Blocked { .. } => {
                self.next_park += 1;
                self.slots[slot].parked = Some((args, self.next_park));
            }
        }
    }

    /// Serve waiting clients in the order they blocked until nobody can be served.
    fn wake(&mut self) {
        for _ in 0..8 {
            let mut order: Vec<(u64, usize)> = self
                .slots
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.parked.as_ref().map(|(_, seq)| (*seq, i)))
                .collect();
            order.sort();
            let mut progress = false;
            for (_, i) in order {
                let id = self.slots[i].id;
                if let Some(reply) = self.engine.retry_blocked(id, self.now) {
                    let (args, _) = self.slots[i].parked.take().expect("parked");
                    self.trace.push(format!("c{i} woke: {reply:?}"));
                    self.account(&args, &reply);
                    progress = true;
                } else if !self.engine.is_blocked(id) {
                    self.fail(format!("c{i} no longer blocked but retry_blocked gave nothing"));
                }
            }
            if !progress {
                break;
            }
        }
    }

    fn queue_tags(&self) -> Vec<Bytes> {
        let mut out = Vec::new();
        for db in &self.engine.server().dbs[..DBS] {
            for q in QUEUES {
                if let Some(entry) = db.raw_get(q.as_bytes()) {
                    if entry.expires_at.is_some() {
                        self.fail(format!("queue {q} has a TTL"));
                    }
                    match &entry.value {
                        Value::List(items) => out.extend(items.iter().cloned()),
                        _ => self.fail(format!("queue {q} holds a non-list")),
                    }
                }
            }
        }
        out
    }

    /// The invariants, checked after every step.
    fn check(&mut self) {
        // Elements: nothing lost, nothing invented, nothing duplicated or delivered twice.
        let now_tags = self.queue_tags();
        let mut after = HashSet::new();
        for t in &now_tags {
            if !after.insert(t.clone()) {
                self.fail(format!("element {t:?} twice in the queues"));
            }
        }
        let mut delivered = HashSet::new();
        for t in std::mem::take(&mut self.delivered) {
            if !self.live.contains(&t) && !self.pushed.contains(&t) {
                self.fail(format!("delivered {t:?}, which was never in a queue"));
            }
            if after.contains(&t) {
                self.fail(format!("delivered {t:?} but it is still in a queue"));
            }
            if !self.delivered_ever.insert(t.clone()) || !delivered.insert(t.clone()) {
                self.fail(format!("delivered {t:?} twice"));
            }
        }
        for t in &after {
            if !self.live.contains(t) && !self.pushed.contains(t) {
                self.fail(format!("element {t:?} appeared in a queue without a confirmed push"));
            }
        }
        if !self.flushed {
            for t in self.live.iter().chain(&self.pushed) {
                if !after.contains(t) && !delivered.contains(t) {
                    self.fail(format!("element {t:?} lost: neither in a queue nor delivered"));
                }
            }
        }
        self.live = after;
        self.pushed.clear();
        self.flushed = false;

        // Waiting clients: only on empty queues, and not past their deadline.
        for (i, slot) in self.slots.iter().enumerate() {
            let Some((args, _)) = &slot.parked else { continue };
            let Some(client) = self.engine.server().clients.get(&slot.id) else {
                self.fail(format!("c{i} parked but not connected"));
            };
            if let Some((_, Some(deadline))) = &client.parked {
                if *deadline <= self.now {
                    self.fail(format!("c{i} still waits past its deadline {deadline} (now {})", self.now));
                }
            }
            let db = &self.engine.server().dbs[client.db];
            for key in waited_keys(args) {
                if let Some(entry) = db.raw_get(&key) {
                    if matches!(&entry.value, Value::List(l) if !l.is_empty()) {
                        self.fail(format!("c{i} waits on {key:?}, which holds elements"));
                    }
                }
            }
        }

        // The keyspace: DBSIZE = keys SCAN walks = KEYS *, once expiry has caught up.
        while self.engine.tick(self.now) > 0 {}
        for db in 0..DBS {
            let obs = self.observer;
            let now = self.now;
            let ask = |e: &mut Engine, args: &[&str]| {
                e.execute(obs, args.iter().map(|a| Bytes::from(a.to_string())).collect(), now)
            };
            ask(&mut self.engine, &["SELECT", &db.to_string()]);
            let Frame::Integer(size) = ask(&mut self.engine, &["DBSIZE"]) else { self.fail("DBSIZE".into()) };
            let mut scanned = BTreeSet::new();
            let mut cursor = "0".to_string();
            for _ in 0..1000 {
                let reply = ask(&mut self.engine, &["SCAN", &cursor, "COUNT", "8"]);
                let Frame::Array(parts) = reply else { self.fail(format!("SCAN answered {reply:?}")) };
                let (Frame::Bulk(next), Frame::Array(keys)) = (&parts[0], &parts[1]) else {
                    self.fail("SCAN reply shape".into())
                };
                scanned.extend(keys.iter().map(|k| format!("{k:?}")));
                cursor = String::from_utf8_lossy(next).into_owned();
                if cursor == "0" {
                    break;
                }
            }
            if cursor != "0" {
                self.fail(format!("SCAN did not finish in db {db}"));
            }
            let Frame::Array(all) = ask(&mut self.engine, &["KEYS", "*"]) else { self.fail("KEYS".into()) };
            if size as usize != scanned.len() || all.len() != scanned.len() {
                self.fail(format!(
                    "db {db}: DBSIZE {size}, SCAN walked {}, KEYS * {}",
                    scanned.len(),
                    all.len()
                ));
            }
        }
    }

    fn step(&mut self, input: &mut Input) {
        let op = input.byte();
        let slot = (op & 3) as usize;
        match op >> 2 {
            // Let time pass: expire keys, time out waiting clients.
            0..=5 => {
                self.now += CLOCK_STEPS[input.byte() as usize % CLOCK_STEPS.len()];
                self.trace.push(format!("clock +> {}", self.now));
                while self.engine.tick(self.now) > 0 {}
            }
            // Drop the connection (a waiting client gets nothing) and connect a new one.
            6..=8 => {
                let id = self.slots[slot].id;
                self.trace.push(format!("c{slot} disconnects"));
                self.engine.disconnect(id);
                if self.engine.retry_blocked(id, self.now).is_some() {
                    self.fail(format!("disconnected c{slot} was served"));
                }
                self.slots[slot] = Slot { id: self.engine.connect(self.now), parked: None };
            }
            _ => {
                let template = TEMPLATES[input.byte() as usize % TEMPLATES.len()];
                let args = self.build_args(input, template);
                if self.slots[slot].parked.is_some() {
                    // A waiting client sends nothing; the input just lets some time pass.
                    self.now += 1;
                } else {
                    self.run_command(slot, args);
                }
            }
        }
        self.wake();
        self.check();
    }
}

fn show(args: &[Bytes]) -> String {
    args.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect::<Vec<_>>().join(" ")
}

/// Replay fuzz input `data` as a multi-client session, panicking when an invariant fails.
pub fn run(data: &[u8]) {
    let mut harness = Harness::new();
    let mut input = Input { data, pos: 0 };
    for _ in 0..MAX_OPS {
        if input.done() {
            break;
        }
        harness.step(&mut input);
    }
}
