//! The state shared by every client: databases, settings, counters, randomness, events.

use crate::config::Config;
use crate::db::Db;
use crate::events::EventLog;
use bytes::Bytes;
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Counters INFO reports.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
    /// Hash fields deleted because their deadline passed (`expired_subkeys`).
    pub expired_subkeys: u64,
    pub evicted_keys: u64,
    pub total_commands_processed: u64,
    pub total_connections_received: u64,
    /// Error replies sent, by their first word (`ERR`, `WRONGTYPE`...), for INFO errorstats.
    pub error_counts: BTreeMap<String, u64>,
    /// Calls per command for INFO commandstats, keyed by the address of the command's static
    /// spec: one integer hash per command instead of hashing its name (INFO sorts by name).
    pub command_calls: std::collections::HashMap<usize, CommandCalls, foldhash::fast::FixedState>,
    /// Error replies of any kind (`total_error_replies`).
    pub total_error_replies: u64,
    /// Bytes of the commands received, as RESP (`total_net_input_bytes`). The engine receives
    /// parsed arguments, so it counts each command as a RESP client sends it (`*n`, then a bulk
    /// string per argument); an inline command typed into telnet is counted the same way, a few
    /// bytes more than it was.
    pub net_input_bytes: u64,
    /// Bytes of the replies sent, encoded for each client's protocol (`total_net_output_bytes`).
    pub net_output_bytes: u64,
    /// Commands read (`total_reads_processed`): one read per command, as a client that waits for
    /// each reply makes (a pipelining client makes fewer reads in Redis).
    pub reads_processed: u64,
    /// Replies written (`total_writes_processed`), one per reply sent.
    pub writes_processed: u64,
    /// BGSAVEs (`total_forks`; the engine forks nothing, but Redis would have).
    pub total_forks: u64,
    /// SAVEs and BGSAVEs (`rdb_saves`).
    pub rdb_saves: u64,
    /// AOF rewrites (`aof_rewrites`): turning `appendonly` on starts one.
    pub aof_rewrites: u64,
    /// The most memory used after any command or tick since the start or CONFIG RESETSTAT
    /// (`used_memory_peak`).
    pub peak_memory: u64,
    /// Objects freed in the background (`lazyfreed_objects`): FUNCTION FLUSH ASYNC of more
    /// than 64 functions frees them and the engine there, as Redis's lazyfree thread would.
    pub lazyfreed_objects: u64,
}

/// One line of INFO commandstats.
#[derive(Debug, Clone, Default)]
pub struct CommandCalls {
    /// `get`, or `client|setname` for a subcommand.
    pub name: String,
    pub calls: u64,
    /// Ran and answered an error (`failed_calls`).
    pub failed: u64,
    /// Refused before running: arity, OOM, not allowed in MULTI (`rejected_calls`).
    pub rejected: u64,
    /// LATENCY HISTOGRAM's buckets (see `cmd/latency.rs`).
    pub histogram: crate::cmd::latency::Histogram,
}

impl Stats {
    /// Count an error reply under its kind (the first word of the line), as Redis's errorstats.
    pub fn count_error(&mut self, line: &str) {
        self.total_error_replies += 1;
        let kind = line.split(' ').next().unwrap_or("ERR");
        *self.error_counts.entry(kind.to_string()).or_insert(0) += 1;
    }
}

/// Per-connection state.
#[derive(Debug, Clone, Default)]
pub struct Client {
    /// The reply buffer's model (CLIENT LIST's `rbs` and `rbp`).
    pub reply_buffer: crate::reply_buffer::ReplyBuffer,
    pub id: u64,
    pub name: Option<Bytes>,
    pub db: usize,
    pub protocol: crate::Protocol,
    /// Commands queued after MULTI; `None` outside a transaction.
    pub multi: Option<Vec<Vec<Bytes>>>,
    /// A queued command was rejected: EXEC must answer EXECABORT.
    pub multi_error: bool,
    /// Watched keys (database, key) and when each was watched (WATCH's time on the clock).
    pub watched: Vec<(usize, Bytes, u64)>,
    /// A watched key changed: EXEC must abort.
    pub watch_dirty: bool,
    /// Virtual-clock ms when the client connected and last ran a command.
    pub created_ms: u64,
    pub last_ms: u64,
    /// Last command name, for CLIENT INFO's `cmd=`.
    pub last_command: String,
    pub lib_name: Option<Bytes>,
    pub lib_ver: Option<Bytes>,
    /// CLIENT NO-EVICT / NO-TOUCH modes (NO-TOUCH: reads leave LRU/LFU data alone).
    pub no_evict: bool,
    pub no_touch: bool,
    /// QUIT was sent (or CLIENT KILL named this client): the transport should close it after
    /// sending the reply.
    pub closing: bool,
    /// EXEC is running this client's queued commands (blocking commands must not block).
    pub in_exec: bool,
    /// The caller can wait for a blocking command (BLPOP...): set by `Engine::execute_blocking`.
    pub may_block: bool,
    /// A blocking command found nothing and waits until this deadline (None: forever).
    pub blocked: Option<Option<u64>>,
    /// The command to run again while blocked, and its original deadline.
    pub parked: Option<(Vec<Bytes>, Option<u64>)>,
    /// When the client blocked (`Server::next_block_seq` then): earlier waiters are served first.
    pub blocked_since: u64,
    /// The reply of a parked command that was served while another client retried (Redis
    /// serves waiters in the order they blocked), kept until this client's own retry takes it.
    pub served: Option<crate::frame::Frame>,
    /// Channels, patterns and shard channels this client is subscribed to (see `cmd/pubsub.rs`).
    pub subs: crate::cmd::pubsub::Subscriptions,
    /// The outbox: frames for this connection that are not the reply of its current command
    /// (messages, the 2nd and later confirmations of `SUBSCRIBE a b`), in the order Redis
    /// would write them. The host drains it with [`crate::Engine::take_pushes`].
    pub pushes: Vec<crate::frame::Frame>,
    /// CLIENT TRACKING's mode while it is on (see `cmd/tracking.rs`).
    pub tracking: Option<crate::cmd::tracking::ClientTracking>,
    /// The command line to park instead of the one typed, when a blocking command resolved part
    /// of it (XREAD's `$` becomes the stream's last id when it blocks, as Redis rewrites it).
    pub rewritten: Option<Vec<Bytes>>,
    /// The ACL user this connection is logged in as (`None`: `default`).
    pub user: Option<Bytes>,
    /// CLIENT REPLY OFF, SKIP (this command's reply) and SKIP given (the next command's).
    pub reply_off: bool,
    pub reply_skip: bool,
    pub reply_skip_next: bool,
    /// The last command's reply must not be sent (see [`crate::Engine::reply_suppressed`]).
    pub reply_suppressed: bool,
    /// MONITOR is on: every command's line arrives in the outbox (see `cmd/monitor.rs`).
    pub monitor: bool,
    /// This is a script's client: MONITOR shows its commands as `[db lua]`.
    pub lua: bool,
    /// Connected while the default user needed a password, and no AUTH since (Redis's
    /// `!c->authenticated`): commands other than AUTH, HELLO... answer NOAUTH while it does.
    pub noauth: bool,
    /// The parked command waits for CLIENT PAUSE to end (Redis's BLOCKED_POSTPONE), not for keys.
    pub postponed: bool,
    /// What the running command propagates to replicas instead of its own line (see
    /// [`crate::ctx::Ctx::propagate_as`]); `Some(vec![])` propagates nothing.
    pub propagate_as: Option<Vec<Vec<Bytes>>>,
    /// SYNC or PSYNC made this connection a replica (CLIENT LIST's `S` flag).
    pub replica: bool,
    /// The link to this replica's primary runs its stream on this client (see `follow.rs`).
    pub from_primary: bool,
    /// The port a replica said it listens on (REPLCONF listening-port).
    pub listening_port: u16,
    /// Invalidations for this client made before its command ran (see
    /// [`crate::cmd::tracking::take_own`]): written before its reply.
    pub early_pushes: Vec<crate::frame::Frame>,
}

/// CLIENT PAUSE: commands wait until `end` (virtual ms); all of them, or (`all` false) those
/// that write or may replicate. Active expiry and eviction stop meanwhile, and lazy expiry
/// hides a key without deleting it, as in Redis.
#[derive(Debug, Default, Clone, Copy)]
pub struct Pause {
    pub end: u64,
    pub all: bool,
}

impl Pause {
    /// True while the pause lasts at `now`.
    pub fn active(&self, now: u64) -> bool {
        self.end > now
    }
}

/// Everything but the calling client.
pub struct Server {
    pub dbs: Vec<Db>,
    pub config: Config,
    pub stats: Stats,
    /// A script's reply is an error its `redis.call` counted already (not counted again), and
    /// how many times the script's command failed (Redis's `ERR_REPLY_FLAG_NO_STATS_UPDATE`).
    pub script_errors: (bool, u64),
    pub events: EventLog,
    pub rng: Xoshiro256PlusPlus,
    /// Other connected clients (the calling one is taken out while it runs).
    /// Boxed: the running client leaves the map for each command and comes back after it, so a
    /// move is a pointer, not the whole struct (measured: 5% of emulate's time in memcpy).
    pub clients: BTreeMap<u64, Box<Client>>,
    pub next_client_id: u64,
    /// Order of blocking: each client that parks on a blocking command takes the next number.
    pub next_block_seq: u64,
    /// Lists and sorted sets written since blocked clients were last served, in the order they
    /// were first written (Redis's `ready_keys`): recorded once anyone has blocked.
    pub ready_keys: indexmap::IndexSet<(usize, Bytes)>,
    /// Virtual-clock ms at creation, for `uptime_in_seconds`.
    pub started_ms: u64,
    /// Who watches each (db, key): touched keys mark those clients dirty.
    pub watchers: HashMap<(usize, Bytes), HashSet<u64>>,
    /// Clients whose watched keys changed while they were not the caller.
    pub dirty_clients: HashSet<u64>,
    /// Keys changed by the current command, for the search indexes (kept only when an index exists).
    pub changed: Vec<(usize, Bytes)>,
    /// True while any FT index exists, so `changed` is recorded.
    pub track_changes: bool,
    /// FT indexes (RediSearch), kept in step through `changed`.
    pub search: crate::search::Indexes,
    /// Eviction candidates kept between evictions, as Redis's eviction pool.
    pub evict_pool: crate::evict::EvictionPool,
    /// Virtual-clock ms of the last SAVE/BGSAVE (LASTSAVE), initially the start time.
    pub last_save_ms: u64,
    /// Key changes since the last SAVE (`rdb_changes_since_last_save`); a command that adds to
    /// it propagates to replicas (expiry does not count, as in Redis).
    pub dirty: u64,
    /// The replication stream: attached replicas and the changes of the current unit.
    pub repl: crate::propagate::Propagation,
    /// The host's own cap on one string's size, below Redis's `proto-max-bulk-len` (see
    /// [`crate::Engine::set_value_limit`]); `None` in a server process.
    pub value_limit: Option<usize>,
    /// Failed authentications since the start (`acl_access_denied_auth`; like Redis, CONFIG
    /// RESETSTAT keeps it).
    pub auth_failures: u64,
    /// A BGSAVE ran (then `rdb_last_bgsave_time_sec` is 0, a small dataset's save time).
    pub bgsave_ran: bool,
    /// An AOF rewrite ran (then `aof_last_rewrite_time_sec` is 0).
    pub aof_rewrite_ran: bool,
    /// DEBUG REPLYBUFFER's settings and the reply buffers' resize counts.
    pub reply_buffers: crate::reply_buffer::Settings,
    /// The dataset a BGREWRITEAOF wrote while `appendonly` was off: the AOF base that DEBUG
    /// LOADAOF loads (with `appendonly` on the AOF follows memory, so there is nothing to keep).
    pub aof_base: Option<Vec<crate::db::Db>>,
    /// Keys loaded and keys left out as expired by the last load (`rdb_last_load_keys_loaded`,
    /// `rdb_last_load_keys_expired`): set by a host that restores a saved keyspace.
    pub last_load: (u64, u64),
    /// The host reports the bytes, reads and writes of its connections itself
    /// (`Engine::count_io`); the engine's per-command estimate is off.
    pub host_counts_io: bool,
    /// Active expiry runs on `tick` (DEBUG SET-ACTIVE-EXPIRE 0 turns it off, as tests do).
    pub active_expire: bool,
    /// DEBUG SLEEP's end on the virtual clock: Redis is busy that long, so the commands and
    /// blocked clients served after it see at least this time (the host's clock catches up).
    pub clock_floor: u64,
    /// RESTORE skips the payload's checksum (DEBUG SET-SKIP-CHECKSUM-VALIDATION 1).
    pub skip_checksum: bool,
    /// Who is subscribed to what, server side (PUBLISH, PUBSUB CHANNELS/NUMSUB/NUMPAT).
    pub pubsub: crate::cmd::pubsub::Channels,
    /// Pushes for a client that is not in `clients` right now (the caller, taken out while its
    /// command runs): they join its outbox after its reply, as Redis 7.4 defers pushes to the
    /// running client until its command has answered.
    pub strays: Vec<(u64, crate::frame::Frame)>,
    /// Clients that got pushes since the host last asked ([`crate::Engine::pushed_clients`]).
    pub pushed: std::collections::BTreeSet<u64>,
    /// Client-side caching: who read which key, BCAST prefixes, invalidations to deliver.
    pub tracking: crate::cmd::tracking::Table,
    /// The client whose command runs (0 between commands): the writer NOLOOP skips.
    pub current_client: u64,
    /// The script cache, the function libraries and the script runner (see `script.rs`).
    pub scripts: crate::script::Scripts,
    /// ACL users, their log and counters (see `acl.rs`).
    pub acl: crate::acl::Acl,
    /// Clients in MONITOR mode, in the order they started.
    pub monitors: Vec<u64>,
    /// A parked command runs again: MONITOR showed it when it first ran.
    pub replaying: bool,
    /// CLIENT PAUSE's state (see `cmd/pause.rs`).
    pub pause: Pause,
    /// SLOWLOG's entries (see `cmd/slowlog.rs`).
    pub slowlog: crate::cmd::slowlog::SlowLog,
    /// The latency monitor's events (see `cmd/latency.rs`).
    pub latency: crate::cmd::latency::Events,
    /// The running command's time so far on the virtual clock, µs (its latency when counted).
    pub command_us: u64,
    /// The host's TCP listener, if it has one (`emulate`): CONFIG SET port asks it to listen on
    /// the new port (0: none), and rolls the whole CONFIG SET back when it cannot.
    pub listener: Option<Listener>,
    /// The host can end its process (`emulate`), so SHUTDOWN may; `shutdown` asks it to.
    pub can_exit: bool,
    pub shutdown: bool,
    /// A BGSAVE still running (see `cmd/server/bgsave.rs`).
    pub bgsave: Option<crate::cmd::server::bgsave::Child>,
}

/// Moves a host's listener to another port (see [`Server::listener`]); the error is the reason.
pub type Listener = Box<dyn FnMut(u16) -> Result<(), String> + Send>;

impl Server {
    pub fn new(seed: u64, now: u64) -> Server {
        let config = Config::default();
        Server {
            dbs: (0..config.databases).map(|_| Db::new()).collect(),
            config,
            stats: Stats::default(),
            script_errors: (false, 0),
            events: EventLog::default(),
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            clients: BTreeMap::new(),
            next_client_id: 1,
            next_block_seq: 0,
            ready_keys: Default::default(),
            started_ms: now,
            watchers: HashMap::new(),
            dirty_clients: HashSet::new(),
            changed: Vec::new(),
            track_changes: false,
            search: Default::default(),
            evict_pool: crate::evict::EvictionPool::default(),
            last_save_ms: now,
            dirty: 0,
            repl: Default::default(),
            value_limit: None,
            listener: None,
            can_exit: false,
            shutdown: false,
            bgsave: None,
            auth_failures: 0,
            bgsave_ran: false,
            aof_rewrite_ran: false,
            reply_buffers: Default::default(),
            aof_base: None,
            active_expire: true,
            clock_floor: 0,
            skip_checksum: false,
            last_load: (0, 0),
            host_counts_io: false,
            pubsub: Default::default(),
            strays: Vec::new(),
            pushed: Default::default(),
            tracking: Default::default(),
            current_client: 0,
            scripts: Default::default(),
            acl: Default::default(),
            monitors: Vec::new(),
            replaying: false,
            pause: Pause::default(),
            slowlog: Default::default(),
            latency: Default::default(),
            command_us: 0,
        }
    }

    /// A uniformly random u64 from the seeded generator.
    pub fn random(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A random index in `0..n` (n > 0).
    pub fn random_below(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n as u64) as usize
    }

    /// A uniform double in [0, 1).
    pub fn random_unit(&mut self) -> f64 {
        crate::ctx::unit_draw(self.rng.next_u64())
    }

    /// Queue `frame` for client `id`'s connection (a message, an invalidation...). An outbox
    /// the host stopped draining keeps at most [`MAX_PUSHES`] frames; later ones are dropped
    /// (Redis would close such a client at `client-output-buffer-limit pubsub`).
    pub fn push_to(&mut self, id: u64, frame: crate::frame::Frame) {
        match self.clients.get_mut(&id) {
            Some(c) if c.pushes.len() >= MAX_PUSHES => return,
            Some(c) => c.pushes.push(frame),
            None if self.strays.len() >= MAX_PUSHES => return,
            None => self.strays.push((id, frame)),
        }
        self.pushed.insert(id);
    }

    /// Total estimated memory: keys plus a fixed base, like Redis's used_memory.
    pub fn used_memory(&self) -> u64 {
        BASE_MEMORY + self.dbs.iter().map(|d| d.used_memory() as u64).sum::<u64>()
    }

    /// Note the memory in use for `used_memory_peak`.
    pub fn sample_peak_memory(&mut self) {
        let used = self.used_memory();
        if used > self.stats.peak_memory {
            self.stats.peak_memory = used;
        }
    }

    /// Before database `db` is emptied or swapped: WATCHers of its keys (existing ones, as Redis's
    /// `touchAllWatchedKeysInDb`) are invalidated, and search indexes told of every key.
    pub fn touch_all_in_db(&mut self, db: usize) {
        let watched: Vec<Bytes> = self
            .watchers
            .keys()
            .filter(|(d, k)| *d == db && self.dbs[db].raw_get(k).is_some())
            .map(|(_, k)| k.clone())
            .collect();
        for key in watched {
            if let Some(ids) = self.watchers.get(&(db, key)) {
                self.dirty_clients.extend(ids.iter().copied());
            }
        }
        if self.track_changes {
            let keys: Vec<Bytes> = self.dbs[db].keys().cloned().collect();
            self.changed.extend(keys.into_iter().map(|k| (db, k)));
        }
        self.dirty += self.dbs[db].len() as u64;
    }

    /// Before SWAPDB exchanges databases `a` and `b`: WATCHers of a key in either are invalidated
    /// unless the key is logically absent (missing or past its deadline at `now`) on both sides,
    /// as Redis's `touchAllWatchedKeysInDb(emptied, replaced_with)` decides (a stale key replaced
    /// with no key, or with another stale key, is no change). Indexes and `dirty` as
    /// [`Server::touch_all_in_db`].
    pub fn touch_swapped(&mut self, a: usize, b: usize, now: u64) {
        let live = |db: &Db, k: &Bytes| db.raw_get(k).is_some() && !db.is_expired(k, now);
        let dirty: Vec<u64> = self
            .watchers
            .iter()
            .filter(|((d, k), _)| {
                let other = if *d == a { b } else { a };
                (*d == a || *d == b) && (live(&self.dbs[*d], k) || live(&self.dbs[other], k))
            })
            .flat_map(|(_, ids)| ids.iter().copied())
            .collect();
        self.dirty_clients.extend(dirty);
        for db in [a, b] {
            if self.track_changes {
                let keys: Vec<Bytes> = self.dbs[db].keys().cloned().collect();
                self.changed.extend(keys.into_iter().map(|k| (db, k)));
            }
            self.dirty += self.dbs[db].len() as u64;
        }
    }

    /// Record that `key` in `db` was modified: WATCHers are invalidated, indexes told.
    pub fn touch(&mut self, db: usize, key: &Bytes) {
        self.dirty += 1;
        self.signal_modified(db, key);
    }

    /// [`Server::touch`] without counting a change: an expired key's deletion, which Redis
    /// neither counts in `dirty` nor propagates as the command that found it.
    pub fn signal_modified(&mut self, db: usize, key: &Bytes) {
        // Any change may wake someone (XREADGROUP wakes on deletion and on a change of type,
        // to answer NOGROUP or WRONGTYPE); `blocking::wakes` decides per waiter.
        if self.next_block_seq != 0 {
            self.ready_keys.insert((db, key.clone()));
        }
        if !self.watchers.is_empty() {
            if let Some(ids) = self.watchers.get(&(db, key.clone())) {
                self.dirty_clients.extend(ids.iter().copied());
            }
        }
        if self.track_changes {
            self.changed.push((db, key.clone()));
        }
        if self.tracking.active() {
            crate::cmd::tracking::invalidate(self, key, true);
        }
    }
}

/// The most frames one client's outbox holds (see [`Server::push_to`]).
pub const MAX_PUSHES: usize = 100_000;

/// What an empty Redis 7.4 reports as used_memory, roughly (allocator and server structures).
pub const BASE_MEMORY: u64 = 880_000;
