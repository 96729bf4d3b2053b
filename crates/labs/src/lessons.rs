//! Guided lessons: the course's patterns as short steps a learner types in the console.
//!
//! Each step says what to do and why, offers lines to try, and knows when it is done: a check
//! over the commands the learner ran and the replies they got. Checks look at what happened
//! (a `SET session:*` with an `EX` in the session range that answered `OK`), not at the typed
//! text, so the learner may type their own variant. Steps complete in order; a step can ask for
//! the virtual clock to move first (to watch a TTL run out), which the page offers as a button.
//!
//! The text is ours, written for the playground; the patterns follow the course material
//! (cache-aside, TTL by kind of data, invalidation, INCR rate limits, LPUSH/LTRIM chat history,
//! ZADD leaderboards, a vector index).

use bytes::Bytes;
use playground_engine::glob::glob_match;
use playground_engine::Frame;

/// A reply, reduced to what the checks look at (cheap to keep for every console line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplySummary {
    Ok,
    Nil,
    Integer(i64),
    /// A bulk, verbatim or double reply, as text.
    Text(String),
    /// An array, map or set, with its length.
    Aggregate(usize),
    Error(String),
}

impl ReplySummary {
    pub fn of(frame: &Frame) -> ReplySummary {
        match frame {
            Frame::Simple(s) if s == "OK" => ReplySummary::Ok,
            Frame::Simple(s) | Frame::BigNumber(s) => ReplySummary::Text(s.clone()),
            Frame::Null | Frame::NullArray => ReplySummary::Nil,
            Frame::Integer(n) => ReplySummary::Integer(*n),
            Frame::Boolean(b) => ReplySummary::Integer(i64::from(*b)),
            Frame::Bulk(b) | Frame::Verbatim(b) | Frame::Transfer(b) => {
                ReplySummary::Text(String::from_utf8_lossy(b).into_owned())
            }
            Frame::Double(d) | Frame::HumanDouble(d) => ReplySummary::Text(d.to_string()),
            Frame::Array(items) | Frame::Set(items) | Frame::Push(items) => {
                ReplySummary::Aggregate(items.len())
            }
            Frame::Map(pairs) => ReplySummary::Aggregate(pairs.len()),
            Frame::Error(e) => ReplySummary::Error(e.clone()),
            Frame::Attributed(_, reply) => ReplySummary::of(reply),
        }
    }

    /// A frame that sums up to this summary again (`of(&s.to_frame()) == s`), so summaries can
    /// travel as RESP (the page sends the lessons, in their own wasm module, what was run).
    pub fn to_frame(&self) -> Frame {
        match self {
            ReplySummary::Ok => Frame::Simple("OK".into()),
            ReplySummary::Nil => Frame::Null,
            ReplySummary::Integer(n) => Frame::Integer(*n),
            ReplySummary::Text(t) => Frame::Bulk(Bytes::from(t.clone())),
            ReplySummary::Aggregate(n) => Frame::Array(vec![Frame::Null; *n]),
            ReplySummary::Error(e) => Frame::Error(e.clone()),
        }
    }

    fn integer(&self) -> Option<i64> {
        match self {
            ReplySummary::Integer(n) => Some(*n),
            _ => None,
        }
    }
}

/// One command the learner ran, with its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub args: Vec<Bytes>,
    pub reply: ReplySummary,
}

impl Ran {
    pub fn new(args: Vec<Bytes>, reply: &Frame) -> Ran {
        Ran { args, reply: ReplySummary::of(reply) }
    }

    /// `[seq, [arg...], reply]`: one console line for the lessons, as a RESP frame.
    pub fn to_frame(&self, seq: u64) -> Frame {
        let args = self.args.iter().cloned().map(Frame::Bulk).collect();
        Frame::Array(vec![Frame::Integer(seq as i64), Frame::Array(args), self.reply.to_frame()])
    }

    /// The line [`Ran::to_frame`] made, with its seq; `None` for any other frame.
    pub fn from_frame(frame: &Frame) -> Option<(u64, Ran)> {
        let Frame::Array(parts) = frame else { return None };
        let [Frame::Integer(seq), Frame::Array(args), reply] = parts.as_slice() else { return None };
        let args =
            args.iter().map(|a| a.as_bytes().map(Bytes::copy_from_slice)).collect::<Option<Vec<_>>>()?;
        Some((u64::try_from(*seq).ok()?, Ran::new(args, reply)))
    }

    /// Is this the command `name` (case-insensitive)?
    fn is(&self, name: &str) -> bool {
        self.args.first().is_some_and(|a| a.eq_ignore_ascii_case(name.as_bytes()))
    }

    /// Is this `name` on a key matching `pattern`?
    fn on(&self, name: &str, pattern: &str) -> bool {
        self.is(name) && self.args.get(1).is_some_and(|k| glob_match(pattern.as_bytes(), k))
    }

    /// The value after an option (`EX 300` gives 300).
    fn option(&self, option: &str) -> Option<i64> {
        let at = self.args.iter().position(|a| a.eq_ignore_ascii_case(option.as_bytes()))?;
        std::str::from_utf8(self.args.get(at + 1)?).ok()?.parse().ok()
    }

    /// A TTL set by SET's EX/PX option, in seconds.
    fn set_ttl_seconds(&self) -> Option<i64> {
        self.option("EX").or_else(|| self.option("PX").map(|ms| ms / 1000))
    }
}

/// The reply of the sliding-window script (EVAL or EVALSHA on an `rl:sliding:*` key) of the
/// Lua lesson: its place in the window, 0 when refused.
fn sliding(r: &Ran) -> Option<i64> {
    let key = r.args.get(3)?;
    let ours = (r.is("EVAL") || r.is("EVALSHA")) && glob_match(b"rl:sliding:*", key);
    ours.then(|| r.reply.integer()).flatten()
}

/// When a step is done.
pub type Check = fn(&Ran) -> bool;

/// One step of a lesson.
pub struct LessonStep {
    /// What to do and why (our words).
    pub say: &'static str,
    /// Lines to try (the console runs them as typed).
    pub try_lines: &'static [&'static str],
    /// Lines for the page's second client (another app instance), run before `try_lines`; the
    /// step's check still looks at the console's lines.
    pub second_lines: &'static [&'static str],
    /// Move the virtual clock by this much first (ms), to watch time-based behaviour.
    pub jump_ms: Option<u64>,
    pub done_when: Check,
}

/// A lesson: a pattern of the course in a few steps.
pub struct Lesson {
    pub id: &'static str,
    pub title: &'static str,
    /// One line on what the learner will be able to do.
    pub goal: &'static str,
    pub steps: &'static [LessonStep],
    /// Said when every step is done.
    pub wrap_up: &'static str,
    /// Shards of the cluster the lesson runs on (the page's cluster switch; 0: one server).
    pub cluster: usize,
}

/// Which steps of `lesson` are done after `ran`, in order: a step counts only commands run
/// after the step before it was done. `start` steps are already done (saved progress).
pub fn progress(lesson: &Lesson, start: usize, ran: &[Ran]) -> usize {
    let mut done = start.min(lesson.steps.len());
    for r in ran {
        match lesson.steps.get(done) {
            Some(step) if (step.done_when)(r) => done += 1,
            Some(_) => {}
            None => break,
        }
    }
    done
}

const MINUTE_MS: u64 = 60_000;
const HOUR_MS: u64 = 60 * MINUTE_MS;

/// Every lesson, in the order the course teaches them.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "cache-aside",
        title: "Cache-aside in four commands",
        goal: "Read through the cache: a miss, a fill with a TTL, a hit, and the counters that prove it.",
        steps: &[
            LessonStep {
                say: "Ask the cache first. Nothing is cached yet, so GET answers (nil): a miss. The app \
                      would now go to the database.",
                try_lines: &["GET product:42"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("GET", "product:*") && r.reply == ReplySummary::Nil,
            },
            LessonStep {
                say: "Store what the database returned, with a TTL so a stale copy cannot live forever. \
                      EX takes seconds; a product catalog changes a few times a day, so an hour is fair.",
                try_lines: &[r#"SET product:42 "{\"name\":\"Desk lamp\",\"price\":39}" EX 3600"#],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("SET", "product:*") && r.set_ttl_seconds().is_some() && r.reply == ReplySummary::Ok,
            },
            LessonStep {
                say: "Ask again: this time the answer comes from memory, a hit. This is the whole \
                      pattern: the app checks Redis, and only a miss costs a trip to the database.",
                try_lines: &["GET product:42"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("GET", "product:*") && matches!(r.reply, ReplySummary::Text(_)),
            },
            LessonStep {
                say: "Redis counts both outcomes. Find keyspace_hits and keyspace_misses in the stats \
                      section: hits / (hits + misses) is the hit ratio the server panel draws.",
                try_lines: &["INFO stats"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("INFO") && matches!(&r.reply, ReplySummary::Text(t) if t.contains("keyspace_hits")),
            },
        ],
        wrap_up: "That is cache-aside (lazy loading). The Labs tab runs it under real traffic, with the \
                  other strategies beside it.",
        cluster: 0,
    },
    Lesson {
        id: "ttl",
        title: "TTL strategy: how long may a copy live?",
        goal: "Give each kind of data a lifetime, read it back, and watch it run out on the virtual clock.",
        steps: &[
            LessonStep {
                say: "A user session should end when it is idle: 15 to 60 minutes is usual. Store one \
                      for 30 minutes (1800 seconds).",
                try_lines: &[r#"SET session:abc123 "user_data" EX 1800"#],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| {
                    r.on("SET", "session:*")
                        && r.set_ttl_seconds().is_some_and(|s| (900..=3600).contains(&s))
                        && r.reply == ReplySummary::Ok
                },
            },
            LessonStep {
                say: "TTL tells how many seconds are left.",
                try_lines: &["TTL session:abc123"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("TTL", "session:*") && r.reply.integer().is_some_and(|n| n > 0),
            },
            LessonStep {
                say: "Move the clock an hour ahead (the button does it; the clock bar has the same \
                      jumps), then read the session: it expired, so GET misses and TTL says -2, no such key.",
                try_lines: &["GET session:abc123", "TTL session:abc123"],
                second_lines: &[],
                jump_ms: Some(HOUR_MS),
                done_when: |r| r.on("TTL", "session:*") && r.reply == ReplySummary::Integer(-2),
            },
            LessonStep {
                say: "A key stored without a TTL never expires: TTL answers -1. Static configuration \
                      can live like that, or for a day or more.",
                try_lines: &["SET config:theme dark", "TTL config:theme"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("TTL", "config:*") && r.reply == ReplySummary::Integer(-1),
            },
            LessonStep {
                say: "EXPIRE adds a lifetime to a key that exists (any type), PERSIST takes it away again.",
                try_lines: &["EXPIRE config:theme 86400", "TTL config:theme", "PERSIST config:theme"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("PERSIST", "config:*") && r.reply == ReplySummary::Integer(1),
            },
        ],
        wrap_up: "Rule of thumb from the course: rate-limit windows 1-5 minutes, inference results \
                  5-60 minutes, sessions 15-60 minutes, catalogs 1-24 hours, static data a day or more.",
        cluster: 0,
    },
    Lesson {
        id: "invalidation",
        title: "Invalidation: when the source changes",
        goal: "Remove stale copies on update, by name or by pattern with SCAN.",
        steps: &[
            LessonStep {
                say: "Cache two views of one user, each with a TTL.",
                try_lines: &[
                    r#"SET user:1001:profile "Alice Smith" EX 3600"#,
                    r#"SET user:1001:summary "Alice, admin since 2021" EX 3600"#,
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("SET", "user:1001:*") && r.reply == ReplySummary::Ok,
            },
            LessonStep {
                say: "The user edits their profile in the database. Until the TTL runs out the cache \
                      would serve the old copy, so delete the copies you know of now. DEL answers how \
                      many keys it removed.",
                try_lines: &["DEL user:1001:profile user:1001:summary"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("DEL", "user:1001:*") && r.reply.integer().is_some_and(|n| n >= 1),
            },
            LessonStep {
                say: "Often you do not know every key. SCAN walks the keyspace a page at a time and \
                      filters by pattern without blocking the server (KEYS would stop it while it \
                      lists everything). Repeat with the cursor it returns until the cursor is 0.",
                try_lines: &[r#"SET user:1001:prefs "dark mode" EX 3600"#, "SCAN 0 MATCH user:1001:* COUNT 100"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("SCAN") && matches!(r.reply, ReplySummary::Aggregate(2)),
            },
            LessonStep {
                say: "Delete what the scan found.",
                try_lines: &["DEL user:1001:prefs"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("DEL", "user:1001:*") && r.reply.integer().is_some_and(|n| n >= 1),
            },
        ],
        wrap_up: "TTL bounds how stale a copy can get; deleting on update removes the staleness. \
                  Most apps use both.",
        cluster: 0,
    },
    Lesson {
        id: "fresh-copies",
        title: "Keep every app instance's copy fresh",
        goal: "Tell the other instances of an app that a cached value changed: pub/sub, keyspace \
               notifications on expiry, and client-side caching with tracking.",
        steps: &[
            LessonStep {
                say: "An app runs as several instances, each keeping hot values in its own memory. When \
                      one updates product:42, the others must drop their copies. The Second client \
                      panel is another instance: it subscribes to an invalidation channel. This one \
                      updates the value and publishes the key's name; PUBLISH answers how many \
                      subscribers got it.",
                try_lines: &["SET product:42 price=18", "PUBLISH invalidate product:42"],
                second_lines: &["SUBSCRIBE invalidate"],
                jump_ms: None,
                done_when: |r| r.is("PUBLISH") && r.reply.integer().is_some_and(|n| n >= 1),
            },
            LessonStep {
                say: "Pub/sub is fire and forget: an instance that was offline misses the message, and \
                      nothing is stored. Redis can also announce its own changes. Turn on keyspace \
                      notifications for expired keys (E: the keyevent channels, x: expiries).",
                try_lines: &["CONFIG SET notify-keyspace-events Ex"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| {
                    r.is("CONFIG")
                        && r.args.iter().any(|a| a.eq_ignore_ascii_case(b"notify-keyspace-events"))
                        && r.reply == ReplySummary::Ok
                },
            },
            LessonStep {
                say: "The second instance listens for expiries (RESET leaves subscribed mode first). \
                      Cache a price for 10 seconds here; PUBSUB NUMPAT counts pattern subscriptions, \
                      so it shows the listener is there.",
                try_lines: &["SET price:eur 0.92 EX 10", "PUBSUB NUMPAT"],
                second_lines: &["RESET", "PSUBSCRIBE __keyevent@*__:expired"],
                jump_ms: None,
                done_when: |r| r.is("PUBSUB") && r.reply.integer().is_some_and(|n| n >= 1),
            },
            LessonStep {
                say: "When the clock passes the 10 seconds the key expires, and the second client \
                      receives an `expired` event naming it: a signal to refresh rather than serve a \
                      stale price.",
                try_lines: &["EXISTS price:eur"],
                second_lines: &[],
                jump_ms: Some(15_000),
                done_when: |r| r.on("EXISTS", "price:*") && r.reply == ReplySummary::Integer(0),
            },
            LessonStep {
                say: "Client-side caching keeps the books for you: with CLIENT TRACKING on, the server \
                      remembers which keys a client read and pushes an invalidation when another client \
                      changes one. The second client switches to RESP3 (pushes share its connection), \
                      turns tracking on and reads product:42. CLIENT LIST shows it with the `t` flag.",
                try_lines: &["CLIENT LIST"],
                second_lines: &["RESET", "HELLO 3", "CLIENT TRACKING on", "GET product:42"],
                jump_ms: None,
                done_when: |r| {
                    r.is("CLIENT") && matches!(&r.reply, ReplySummary::Text(t) if t.contains("flags=t"))
                },
            },
            LessonStep {
                say: "Now change the product here. The second client receives `invalidate` with the \
                      key's name (and the key flashes in the key browser): that instance drops its \
                      copy and reads the key again when it next needs it.",
                try_lines: &["SET product:42 price=17"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("SET", "product:42") && r.reply == ReplySummary::Ok,
            },
        ],
        wrap_up: "Three ways to keep copies fresh: publish your own invalidations (simple, lost when \
                  nobody listens), listen to the server's keyspace events (no code on the writer's \
                  side), or let tracking send invalidations for exactly the keys each client read \
                  (redis-py's `cache_config` does this). CONFIG SET notify-keyspace-events \"\" turns \
                  the events off again.",
        cluster: 0,
    },
    Lesson {
        id: "rate-limit",
        title: "Rate limiting with INCR",
        goal: "Count requests per user and window atomically, and let the window expire.",
        steps: &[
            LessonStep {
                say: "Each request adds one to the user's counter. INCR creates the key at 0 if needed \
                      and is atomic, so two app servers can never lose a count.",
                try_lines: &["INCR rate:user-123"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("INCR", "rate:*") && r.reply.integer().is_some_and(|n| n >= 1),
            },
            LessonStep {
                say: "Give the window its length: 60 seconds. NX sets the TTL only if there is none yet, \
                      so later requests do not push the end of the window back.",
                try_lines: &["EXPIRE rate:user-123 60 NX"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("EXPIRE", "rate:*") && r.reply.integer().is_some(),
            },
            LessonStep {
                say: "Send a burst: run INCR until it passes 5, the limit in this example. The app \
                      refuses a request when INCR answers more than the limit.",
                try_lines: &["INCR rate:user-123"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("INCR", "rate:*") && r.reply.integer().is_some_and(|n| n > 5),
            },
            LessonStep {
                say: "TTL says when the window ends: the app can send it as a Retry-After header.",
                try_lines: &["TTL rate:user-123"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("TTL", "rate:*") && r.reply.integer().is_some_and(|n| n > 0),
            },
            LessonStep {
                say: "Move the clock a minute on: the window expired with its key. Here is the trap: \
                      a bare INCR now creates a new counter without a TTL (TTL would answer -1), a \
                      window that never ends. So the app sends both commands on every request, in one \
                      MULTI/EXEC: INCR counts, EXPIRE ... NX gives a new window its 60 seconds and \
                      leaves a running one alone.",
                try_lines: &["MULTI", "INCR rate:user-123", "EXPIRE rate:user-123 60 NX", "EXEC"],
                second_lines: &[],
                jump_ms: Some(MINUTE_MS),
                // The transaction, or an EXPIRE sent on its own that gave the counter its TTL.
                done_when: |r| {
                    (r.is("EXEC") && matches!(r.reply, ReplySummary::Aggregate(n) if n >= 2))
                        || (r.on("EXPIRE", "rate:*") && r.reply == ReplySummary::Integer(1))
                },
            },
            LessonStep {
                say: "Check the new window: TTL counts down from 60 again, so this counter will reset \
                      like the first.",
                try_lines: &["TTL rate:user-123"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("TTL", "rate:*") && r.reply.integer().is_some_and(|n| n > 0),
            },
        ],
        wrap_up: "A fixed window: INCR and EXPIRE NX together on every request, so each window gets \
                  a lifetime whoever opens it. The same pair caps calls to a paid model per user.",
        cluster: 0,
    },
    Lesson {
        id: "lua-rate-limit",
        title: "A sliding-window rate limiter in Lua",
        goal: "See why check-then-act in two commands lets too much through, and do it atomically in one script.",
        steps: &[
            LessonStep {
                say: "The fixed window of the INCR lesson, sent as two commands: INCR, then EXPIRE. \
                      Between the two the counter has no lifetime (TTL answers -1). If the app dies \
                      right there, the key never expires and the user stays refused for good.",
                try_lines: &["INCR rl:fixed:user-7", "TTL rl:fixed:user-7"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("TTL", "rl:fixed:*") && r.reply == ReplySummary::Integer(-1),
            },
            LessonStep {
                say: "A sliding window logs each request in a sorted set, scored by its time, and \
                      allows at most 3 in any 10 seconds. Two requests are logged already.",
                try_lines: &["ZADD rl:race:user-7 1 req-1 2 req-2"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("ZADD", "rl:race:*") && r.reply.integer().is_some(),
            },
            LessonStep {
                say: "Two app instances get a request from the same user at once. Each checks first: \
                      ZCARD answers 2 to both (the second client is the other instance), below the \
                      limit of 3, so both decide to let their request through.",
                try_lines: &["ZCARD rl:race:user-7"],
                second_lines: &["ZCARD rl:race:user-7"],
                jump_ms: None,
                done_when: |r| r.on("ZCARD", "rl:race:*") && r.reply == ReplySummary::Integer(2),
            },
            LessonStep {
                say: "Then each acts on what it read and logs its request. Count again: 4 requests \
                      passed a limit of 3. Each command was atomic, the pair was not: the other \
                      instance's commands ran between this one's check and its act.",
                try_lines: &["ZADD rl:race:user-7 3 req-4", "ZCARD rl:race:user-7"],
                second_lines: &["ZADD rl:race:user-7 3 req-3"],
                jump_ms: None,
                done_when: |r| r.on("ZCARD", "rl:race:*") && r.reply == ReplySummary::Integer(4),
            },
            LessonStep {
                say: "The same limiter as one Lua script. Redis runs a script as a single command: \
                      no other client's command runs between its ZREMRANGEBYSCORE (forget requests \
                      older than the window), ZCARD (check) and ZADD (act), so the check and the act \
                      see the same count. MULTI/EXEC is atomic too but cannot decide between its \
                      commands; a script can. The key comes in KEYS, the limit and the window (ms) in \
                      ARGV. It answers the request's place in the window, or 0 when refused.",
                try_lines: &[r#"EVAL "local key, limit, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])\nlocal t = redis.call('TIME')\nlocal now = t[1] * 1000 + math.floor(t[2] / 1000)\nredis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)\nlocal count = redis.call('ZCARD', key)\nif count >= limit then return 0 end\nredis.call('ZADD', key, now, now .. '-' .. count)\nredis.call('PEXPIRE', key, window)\nreturn count + 1" 1 rl:sliding:user-7 3 10000"#],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| sliding(r).is_some_and(|n| n >= 1),
            },
            LessonStep {
                say: "Run it again until it answers 0: the fourth request within 10 seconds is \
                      refused, however many instances send it.",
                try_lines: &[r#"EVAL "local key, limit, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])\nlocal t = redis.call('TIME')\nlocal now = t[1] * 1000 + math.floor(t[2] / 1000)\nredis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)\nlocal count = redis.call('ZCARD', key)\nif count >= limit then return 0 end\nredis.call('ZADD', key, now, now .. '-' .. count)\nredis.call('PEXPIRE', key, window)\nreturn count + 1" 1 rl:sliding:user-7 3 10000"#],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| sliding(r) == Some(0),
            },
            LessonStep {
                say: "Move the clock 10 seconds on: the logged requests slide out of the window, and \
                      the next one is allowed again. No counter resets at a window's edge, so no burst \
                      of twice the limit fits around it as with a fixed window.",
                try_lines: &[r#"EVAL "local key, limit, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])\nlocal t = redis.call('TIME')\nlocal now = t[1] * 1000 + math.floor(t[2] / 1000)\nredis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)\nlocal count = redis.call('ZCARD', key)\nif count >= limit then return 0 end\nredis.call('ZADD', key, now, now .. '-' .. count)\nredis.call('PEXPIRE', key, window)\nreturn count + 1" 1 rl:sliding:user-7 3 10000"#],
                second_lines: &[],
                jump_ms: Some(10_000),
                done_when: |r| sliding(r).is_some_and(|n| n >= 1),
            },
            LessonStep {
                say: "An app does not send the script with every request: SCRIPT LOAD stores it once \
                      and answers its SHA-1, then EVALSHA runs it by that name. The Lua script editor \
                      under the console does exactly this with any script you write.",
                try_lines: &[
                    r#"SCRIPT LOAD "local key, limit, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])\nlocal t = redis.call('TIME')\nlocal now = t[1] * 1000 + math.floor(t[2] / 1000)\nredis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)\nlocal count = redis.call('ZCARD', key)\nif count >= limit then return 0 end\nredis.call('ZADD', key, now, now .. '-' .. count)\nredis.call('PEXPIRE', key, window)\nreturn count + 1""#,
                    "EVALSHA 152ccbba3c71988d84adf6765c2182c33990b28f 1 rl:sliding:user-8 3 10000",
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("EVALSHA") && sliding(r).is_some_and(|n| n >= 1),
            },
        ],
        wrap_up: "Check-then-act needs one atomic step: a script (or a function, FUNCTION LOAD and \
                  FCALL) runs whole while every other client waits. Keep scripts short for that \
                  reason, and pass every key in KEYS so a cluster can route the call.",
        cluster: 0,
    },
    Lesson {
        id: "chat-history",
        title: "Chat history with lists",
        goal: "Keep the last messages of a conversation, newest first, and cap its length.",
        steps: &[
            LessonStep {
                say: "LPUSH adds a message at the head of the session's list (the list is created on \
                      the first push).",
                try_lines: &[r#"LPUSH chat:session-abc "user: What is Redis?""#],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("LPUSH", "chat:*") && r.reply.integer().is_some_and(|n| n >= 1),
            },
            LessonStep {
                say: "Push a few more turns (LPUSH takes several at once).",
                try_lines: &[
                    r#"LPUSH chat:session-abc "assistant: An in-memory data store." "user: Is it fast?" "assistant: Microseconds per command.""#,
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("LPUSH", "chat:*") && r.reply.integer().is_some_and(|n| n >= 3),
            },
            LessonStep {
                say: "LRANGE 0 -1 reads the whole list, newest first: what you would put in the \
                      model's context.",
                try_lines: &["LRANGE chat:session-abc 0 -1"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("LRANGE", "chat:*") && matches!(r.reply, ReplySummary::Aggregate(n) if n >= 1),
            },
            LessonStep {
                say: "A context window is finite: LTRIM keeps only the newest messages (indexes 0 to 2 \
                      here, 0 to 9 for ten).",
                try_lines: &["LTRIM chat:session-abc 0 2", "LLEN chat:session-abc"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("LTRIM", "chat:*") && r.reply == ReplySummary::Ok,
            },
            LessonStep {
                say: "Conversations end: give the history the lifetime of a session.",
                try_lines: &["EXPIRE chat:session-abc 1800"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("EXPIRE", "chat:*") && r.reply == ReplySummary::Integer(1),
            },
        ],
        wrap_up: "LPUSH + LTRIM is a capped log in two commands; RPUSH + LPOP would make it a queue.",
        cluster: 0,
    },
    Lesson {
        id: "streams",
        title: "A stream of LLM requests for a pool of workers",
        goal: "Append requests to a stream, share them between workers with a consumer group, and \
               hand a crashed worker's requests to another with XAUTOCLAIM.",
        steps: &[
            LessonStep {
                say: "The chat history list keeps the latest messages. A stream is an append-only log \
                      whose entries have ids and times, and it can hand them out to workers. XADD \
                      appends a request to the model. An app passes `*` and the server picks the id \
                      (milliseconds-sequence); here the ids are given, so the lines below can name them.",
                try_lines: &[
                    "XADD llm:requests 1-1 prompt \"summarise ticket 42\" model gpt-4o-mini",
                    "XADD llm:requests 1-2 prompt \"translate the FAQ\" model gpt-4o-mini",
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| {
                    r.on("XADD", "llm:*") && r.reply == ReplySummary::Text("1-2".into())
                },
            },
            LessonStep {
                say: "A consumer group shares the stream between workers: each entry goes to one of \
                      them. Created at id 0, the group starts with the requests already there.",
                try_lines: &["XGROUP CREATE llm:requests workers 0"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("XGROUP") && r.reply == ReplySummary::Ok,
            },
            LessonStep {
                say: "Two workers ask for work. `>` means entries never delivered to anyone: worker-1 \
                      gets the first request, worker-2 the next. Each delivery waits in the group's \
                      pending entries list (the PEL) until the worker acknowledges it.",
                try_lines: &[
                    "XREADGROUP GROUP workers worker-1 COUNT 1 STREAMS llm:requests >",
                    "XREADGROUP GROUP workers worker-2 COUNT 1 STREAMS llm:requests >",
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| {
                    r.is("XREADGROUP")
                        && r.args.iter().any(|a| a.as_ref() == b"worker-2")
                        && matches!(r.reply, ReplySummary::Aggregate(1))
                },
            },
            LessonStep {
                say: "worker-2 answers its request and acknowledges it: XACK takes it off the PEL. \
                      worker-1 crashes before it can. XPENDING shows what is still pending, and with \
                      whom.",
                try_lines: &["XACK llm:requests workers 1-2", "XPENDING llm:requests workers - + 10"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("XPENDING") && matches!(r.reply, ReplySummary::Aggregate(1)),
            },
            LessonStep {
                say: "A minute later worker-1 has not come back. worker-2 claims every entry idle for \
                      30 seconds or more: XAUTOCLAIM moves them to it and returns them (with a cursor \
                      for the next batch, 0-0 when done).",
                try_lines: &["XAUTOCLAIM llm:requests workers worker-2 30000 0"],
                second_lines: &[],
                jump_ms: Some(MINUTE_MS),
                done_when: |r| r.on("XAUTOCLAIM", "llm:*") && matches!(r.reply, ReplySummary::Aggregate(3)),
            },
            LessonStep {
                say: "worker-2 answers the claimed request and acknowledges it. The group has nothing \
                      pending and no lag: XINFO GROUPS says so (the key browser shows it too).",
                try_lines: &["XACK llm:requests workers 1-1", "XINFO GROUPS llm:requests"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("XACK", "llm:*") && r.reply == ReplySummary::Integer(1),
            },
        ],
        wrap_up: "A list pops each item once and forgets it; a stream keeps the log, remembers who \
                  has what, and lets a survivor take over a crashed worker's requests. Trim it with \
                  XADD ... MAXLEN ~ 10000 so the log does not grow forever.",
        cluster: 0,
    },
    Lesson {
        id: "leaderboard",
        title: "Leaderboards with sorted sets",
        goal: "Rank members by score, update scores atomically, read the top and a rank.",
        steps: &[
            LessonStep {
                say: "ZADD stores members with a score. Here: the p50 latency of three models, in ms.",
                try_lines: &["ZADD model-latency 250.5 gpt-4o 85.2 gpt-4o-mini 120 phi-3"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("ZADD") && r.reply.integer().is_some(),
            },
            LessonStep {
                say: "ZRANGE reads in score order, lowest first: the fastest model leads.",
                try_lines: &["ZRANGE model-latency 0 -1 WITHSCORES"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("ZRANGE") && matches!(r.reply, ReplySummary::Aggregate(n) if n >= 1),
            },
            LessonStep {
                say: "A game leaderboard wants the highest first. Add players, then give one a bonus: \
                      ZINCRBY adds to a score atomically and answers the new score.",
                try_lines: &["ZADD leaderboard 100 alice 80 bob 95 carol", "ZINCRBY leaderboard 30 bob"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("ZINCRBY", "leaderboard*") && matches!(r.reply, ReplySummary::Text(_)),
            },
            LessonStep {
                say: "The top three, highest first, and one player's rank (0 is first place).",
                try_lines: &["ZRANGE leaderboard 0 2 REV WITHSCORES", "ZREVRANK leaderboard bob"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("ZREVRANK", "leaderboard*") && r.reply.integer().is_some(),
            },
        ],
        wrap_up: "Sorted sets keep order as scores change, so the top N costs one command however \
                  many members there are.",
        cluster: 0,
    },
    Lesson {
        id: "eviction",
        title: "Eviction: a full cache under maxmemory",
        goal: "Cap the cache's memory, fill it past the cap, and watch LRU evict the key used least recently.",
        steps: &[
            LessonStep {
                say: "Give the server a memory cap (a few MB here; gigabytes in production) and a \
                      policy for when it is reached: allkeys-lru evicts the keys used least recently. \
                      With the default noeviction, writes fail with an OOM error instead.",
                try_lines: &["CONFIG SET maxmemory 3mb", "CONFIG SET maxmemory-policy allkeys-lru"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| {
                    r.is("CONFIG")
                        && r.args.iter().any(|a| a.eq_ignore_ascii_case(b"allkeys-lru"))
                        && r.reply == ReplySummary::Ok
                },
            },
            LessonStep {
                say: "Cache a few large values: SETRANGE writes at an offset, so one command makes a \
                      600 KB string (think of a big cached model answer).",
                try_lines: &["SETRANGE blob:1 600000 x", "SETRANGE blob:2 600000 x", "SETRANGE blob:3 600000 x"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("SETRANGE", "blob:*") && r.reply.integer().is_some_and(|n| n > 100_000),
            },
            LessonStep {
                say: "A minute later, read blob:2 and blob:3 (a hit refreshes a key's last use; Redis \
                      keeps it to the second), then add more. Past the cap, each write first evicts \
                      the least recently used key: blob:1.",
                try_lines: &["STRLEN blob:2", "STRLEN blob:3", "SETRANGE blob:4 600000 x", "SETRANGE blob:5 600000 x"],
                second_lines: &[],
                jump_ms: Some(MINUTE_MS),
                done_when: |r| r.on("SETRANGE", "blob:*") && r.args.get(1).is_some_and(|k| k.as_ref() == b"blob:5"),
            },
            LessonStep {
                say: "evicted_keys counts what the policy removed, and blob:1 is gone (EXISTS answers 0). \
                      The key browser flashed it as evicted.",
                try_lines: &["INFO stats", "EXISTS blob:1"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("EXISTS", "blob:1") && r.reply == ReplySummary::Integer(0),
            },
        ],
        wrap_up: "A cache is allowed to forget: LRU keeps what is used, LFU what is used often, the \
                  volatile-* policies only evict keys with a TTL. Set maxmemory back to 0 to lift the cap.",
        cluster: 0,
    },
    Lesson {
        id: "scaling-out",
        title: "Scaling out: hash slots and a cluster",
        goal: "See how a Redis Cluster spreads keys over shards, why some multi-key commands fail there, \
               and how hash tags keep related keys together.",
        steps: &[
            LessonStep {
                say: "One server holds every key; a cluster splits them between several primaries (Azure \
                      Managed Redis does so under its OSS clustering policy, and your client must then \
                      be cluster-aware: RedisCluster in redis-py). Set the Server panel's cluster switch \
                      to 3 shards: the console becomes `redis-cli -c` connected to the first node. Ask \
                      the cluster about itself.",
                try_lines: &["CLUSTER INFO"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| {
                    r.is("CLUSTER")
                        && matches!(&r.reply, ReplySummary::Text(t) if t.contains("cluster_state:ok"))
                },
            },
            LessonStep {
                say: "Every key belongs to one of 16384 hash slots: CRC16 of its name, modulo 16384. Each \
                      shard serves a range of slots (CLUSTER SHARDS lists them). Two user keys land in \
                      different slots, most likely on different shards.",
                try_lines: &["CLUSTER KEYSLOT user:1", "CLUSTER KEYSLOT user:2", "CLUSTER SHARDS"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("CLUSTER") && r.args.len() == 2 && r.args[1].eq_ignore_ascii_case(b"shards"),
            },
            LessonStep {
                say: "Write both keys. A node answers a key of another node's slot with MOVED; the console \
                      follows it, as redis-cli -c and cluster clients do, and says where it went (the key \
                      browser shows each key's slot, coloured by shard). One command with keys of two \
                      slots cannot be split: the cluster refuses it with CROSSSLOT.",
                try_lines: &["SET user:1 ada", "SET user:2 grace", "MSET user:1 ada user:2 grace"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| {
                    r.is("MSET") && matches!(&r.reply, ReplySummary::Error(e) if e.starts_with("CROSSSLOT"))
                },
            },
            LessonStep {
                say: "Only the part of a name between { and } is hashed when it is not empty: a hash tag. \
                      Keys that share a tag share a slot, so one command (or a MULTI/EXEC) may use them \
                      together.",
                try_lines: &[
                    "MSET {user:1}:profile ada {user:1}:cart 3",
                    "CLUSTER KEYSLOT {user:1}:cart",
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("MSET") && r.args.iter().any(|a| a.starts_with(b"{")) && r.reply == ReplySummary::Ok,
            },
            LessonStep {
                say: "Cache-aside code does not change: GET, SET with EX and DEL touch one key each, and \
                      the client sends each to the shard of its slot. What changes is batching: an MGET of \
                      many users' cached answers spans slots, so a cluster client splits it per slot \
                      (redis-py's mget_nonatomic) or you tag the keys of one user, not of everyone, so \
                      no shard becomes the hot one.",
                try_lines: &["SET {user:1}:answer:42 \"cached reply\" EX 300", "MGET {user:1}:profile {user:1}:answer:42"],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("MGET") && matches!(r.reply, ReplySummary::Aggregate(2)),
            },
        ],
        wrap_up: "A cluster scales out by hash slot. Single-key commands work anywhere; keys used \
                  together need one hash tag; set the switch back to one server to leave cluster mode.",
        cluster: 3,
    },
    Lesson {
        id: "vector-index",
        title: "A vector index, by hand",
        goal: "Create an HNSW index, store vectors in hashes, and find the nearest with KNN.",
        steps: &[
            LessonStep {
                say: "FT.CREATE indexes every hash under a prefix. Real embeddings have hundreds of \
                      dimensions (1536 for text-embedding-3-small); 4 keep this readable. COSINE is \
                      the usual metric for text.",
                try_lines: &[
                    "FT.CREATE idx:faq ON HASH PREFIX 1 faq: SCHEMA question TEXT embedding VECTOR HNSW 6 TYPE FLOAT32 DIM 4 DISTANCE_METRIC COSINE",
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("FT.CREATE") && r.reply == ReplySummary::Ok,
            },
            LessonStep {
                say: "Store two questions with their vectors. A vector is 4 little-endian FLOAT32s, 16 \
                      bytes: \\x00\\x00\\x80? is 1.0. The first points along x, the second along y.",
                try_lines: &[
                    r#"HSET faq:1 question "How do I reset my password?" embedding "\x00\x00\x80?\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00""#,
                    r#"HSET faq:2 question "What are the delivery fees?" embedding "\x00\x00\x00\x00\x00\x00\x80?\x00\x00\x00\x00\x00\x00\x00\x00""#,
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.on("HSET", "faq:*") && r.reply.integer().is_some(),
            },
            LessonStep {
                say: "Ask with a query vector mostly along x (0.8, 0.2, 0, 0). KNN 2 returns the two \
                      nearest with their COSINE distance as score; SORTBY score lists the nearest first (without \
                      it the k results come in document order), and DIALECT 2 is needed for the $q parameter.",
                try_lines: &[
                    r#"FT.SEARCH idx:faq "*=>[KNN 2 @embedding $q AS score]" PARAMS 2 q "\xcd\xccL?\xcd\xccL>\x00\x00\x00\x00\x00\x00\x00\x00" RETURN 2 question score SORTBY score DIALECT 2"#,
                ],
                second_lines: &[],
                jump_ms: None,
                done_when: |r| r.is("FT.SEARCH") && matches!(r.reply, ReplySummary::Aggregate(n) if n >= 3),
            },
        ],
        wrap_up: "The score is a distance: similarity = 1 - score, so faq:1 scores about 0.03, a \
                  similarity of 0.97. At the course's 0.95 threshold that is a semantic-cache hit. The \
                  semantic cache lab does this with real embeddings.",
        cluster: 0,
    },
];
