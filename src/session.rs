//! The model behind the page: the engine, the virtual clock it runs on, the console's client
//! and its history. It lives in an `Rc<RefCell<..>>` shared through a yew `ContextProvider`
//! ([`SessionHandle`]), outside the reducer, because the engine is large, mutable and not
//! `Clone`; the reducer (`state.rs`) keeps only what the page draws.

use crate::clock::{Speed, VirtualClock};
use crate::console::history::History;
use playground_engine::Engine;
use std::cell::RefCell;
use std::rc::Rc;

/// Seed for the engine's random choices (eviction samples, RANDOMKEY): fixed, so a lesson
/// replays the same way.
pub const ENGINE_SEED: u64 = 0x5eed;

/// Where cluster mode's nodes say they listen (as a local `redis-cli --cluster create` makes
/// them): shard `i` is 127.0.0.1:(7000 + i).
pub const CLUSTER_HOST: &str = "127.0.0.1";
pub const CLUSTER_PORT: u16 = 7000;

pub struct Session {
    pub engine: Engine,
    pub clock: VirtualClock,
    /// The console's connection id.
    pub client: u64,
    pub history: History,
    /// Changed since the last save (the autosave hook writes it out within a second).
    pub dirty: bool,
    /// The console's reply callback while its command waits (BLPOP ... on the virtual clock).
    pub waiting: Option<Reply>,
    /// Where [`Session::rewind`] goes back to (the cache-aside lab's undo of a simulated hour).
    checkpoint: Option<Checkpoint>,
    /// The second client's connection id (the "Second client" panel: a subscriber, a tracking
    /// client), connected when it runs its first command so INFO counts one client until then.
    pub second: Option<u64>,
    /// Cluster mode: the console talks to this node of an emulated N-shard Redis Cluster (one
    /// engine holds every shard's keys; the node layer answers CLUSTER, refuses CROSSSLOT and
    /// redirects with MOVED, which the console follows as `redis-cli -c` does).
    pub cluster: Option<playground_engine::cluster::Node>,
}

/// Frames the engine pushed to the page's two connections (pub/sub messages, keyspace events,
/// tracking invalidations), with the protocol each negotiated.
#[derive(Default)]
pub struct Pushed {
    pub console: Vec<playground_engine::Frame>,
    pub console_protocol: playground_engine::Protocol,
    pub second: Vec<playground_engine::Frame>,
    pub second_protocol: playground_engine::Protocol,
}

/// The keyspace, the search indexes and the clock at one moment. Connections, statistics and
/// the console's history are not part of it: going back restores what the learner built and
/// the time it was, not what the server counted meanwhile (INFO still shows the hour's work).
#[derive(Clone)]
struct Checkpoint {
    dbs: Vec<playground_engine::db::Db>,
    search: playground_engine::search::Indexes,
    track_changes: bool,
    now_ms: u64,
}

/// The largest string the page's engine builds: a tab's wasm memory is 4 GB at most and the
/// state is saved to the browser's storage, so SETRANGE far past the end (a 512 MB string on
/// real Redis) gets an error that says so instead of a dead page.
pub const PAGE_VALUE_LIMIT: usize = 64 << 20;

/// A console reply callback.
pub type Reply = Box<dyn FnOnce(playground_engine::Frame, playground_engine::Protocol)>;

impl Session {
    /// A fresh session whose virtual clock starts at `start_ms` (the real time at first visit).
    pub fn new(start_ms: u64) -> Session {
        let mut engine = Engine::new(ENGINE_SEED, start_ms);
        engine.set_events_enabled(true);
        engine.set_value_limit(Some(PAGE_VALUE_LIMIT));
        let client = engine.connect(start_ms);
        Session {
            engine,
            clock: VirtualClock::starting_at(start_ms),
            client,
            history: History::default(),
            dirty: false,
            waiting: None,
            checkpoint: None,
            second: None,
            cluster: None,
        }
    }

    /// Run one command as the second client (connecting it on first use). A blocking command
    /// answers at once as it would inside MULTI: the panel has no place to wait.
    pub fn run_second(
        &mut self,
        args: Vec<bytes::Bytes>,
    ) -> (playground_engine::Frame, playground_engine::Protocol) {
        let now = self.clock.now();
        let id = *self.second.get_or_insert_with(|| self.engine.connect(now));
        let reply = self.engine.execute(id, args, now);
        self.dirty = true;
        (reply, self.engine.protocol(id))
    }

    /// Switch cluster mode: `shards` primaries on 127.0.0.1:7000.. with the slots split as
    /// `redis-cli --cluster create` splits them, or back to one server with 0. A cluster has
    /// database 0 only, so the console goes back to it.
    pub fn set_cluster(&mut self, shards: usize) {
        use playground_engine::cluster::{Layout, Node};
        self.cluster = (shards > 0).then(|| Node {
            layout: std::sync::Arc::new(Layout::new(shards, CLUSTER_HOST, CLUSTER_PORT, ENGINE_SEED)),
            me: 0,
        });
        if self.cluster.is_some() {
            let now = self.clock.now();
            self.engine.execute(self.client, vec![bytes::Bytes::from_static(b"SELECT"), "0".into()], now);
        }
        self.dirty = true;
    }

    /// The hash slot of `key` and the index of the shard that owns it, in cluster mode.
    pub fn shard_of(&self, key: &[u8]) -> Option<(u16, usize)> {
        let node = self.cluster.as_ref()?;
        let slot = playground_engine::cluster::slot::key_slot(key);
        Some((slot, node.layout.shard_of(slot)))
    }

    /// What the engine pushed to the console's and the second client's connections since the
    /// last call.
    pub fn take_pushes(&mut self) -> Pushed {
        // Emptying the engine's list of pushed clients keeps it from growing; the page has only
        // these two connections to look at.
        self.engine.pushed_clients();
        let console = self.engine.take_pushes(self.client);
        let console_protocol = self.engine.protocol(self.client);
        let (second, second_protocol) = match self.second {
            Some(id) => (self.engine.take_pushes(id), self.engine.protocol(id)),
            None => (Vec::new(), Default::default()),
        };
        Pushed { console, console_protocol, second, second_protocol }
    }

    /// Remember the keyspace and the time now, replacing an earlier checkpoint.
    pub fn checkpoint(&mut self) {
        let server = self.engine.server();
        self.checkpoint = Some(Checkpoint {
            dbs: server.dbs.clone(),
            search: server.search.clone(),
            track_changes: server.track_changes,
            now_ms: self.clock.now(),
        });
    }

    /// Go back to the checkpoint (keys, indexes, clock), once; false if there is none. Clients
    /// stay connected; the eviction pool restarts, as its candidates may be gone.
    pub fn rewind(&mut self) -> bool {
        let Some(c) = self.checkpoint.take() else { return false };
        let server = self.engine.server_mut();
        server.dbs = c.dbs;
        server.search = c.search;
        server.track_changes = c.track_changes;
        server.evict_pool = Default::default();
        self.clock = VirtualClock::restored(c.now_ms, self.clock.speed());
        self.dirty = true;
        true
    }

    /// Whether a checkpoint is kept.
    pub fn has_checkpoint(&self) -> bool {
        self.checkpoint.is_some()
    }

    /// How many keys, in any database, expire within `ms` from now, leaving out keys that start
    /// with a non-empty `except_prefix` (the lab's own).
    pub fn expiring_within(&self, ms: u64, except_prefix: &[u8]) -> u64 {
        let deadline = self.clock.now().saturating_add(ms);
        let dbs = &self.engine.server().dbs;
        dbs.iter()
            .flat_map(|db| db.iter())
            .filter(|(key, entry)| {
                let the_labs = !except_prefix.is_empty() && key.starts_with(except_prefix);
                !the_labs && entry.expires_at.is_some_and(|t| t <= deadline)
            })
            .count() as u64
    }

    /// Let real time pass: advance the clock and run active expiry up to the new time.
    /// Returns the new simulated time.
    pub fn advance(&mut self, real_elapsed_ms: f64) -> u64 {
        let now = self.clock.advance(real_elapsed_ms);
        self.expire_until(now);
        now
    }

    /// Jump the clock ahead and expire what became due.
    pub fn jump(&mut self, ms: u64) -> u64 {
        let now = self.clock.jump(ms);
        self.expire_until(now);
        now
    }

    /// A waiting console command that is answered by now (served, or its deadline passed on the
    /// virtual clock): the callback and its reply, to be called outside the session's borrow.
    pub fn take_unblocked(
        &mut self,
    ) -> Option<(Reply, playground_engine::Frame, playground_engine::Protocol)> {
        self.waiting.as_ref()?;
        let frame = self.engine.retry_blocked(self.client, self.clock.now())?;
        let reply = self.waiting.take()?;
        Some((reply, frame, self.engine.protocol(self.client)))
    }

    pub fn set_speed(&mut self, speed: Speed) {
        self.clock.set_speed(speed);
    }

    /// `tick` removes a bounded number of keys per call; a big jump may need several.
    fn expire_until(&mut self, now: u64) {
        for _ in 0..1_000 {
            if self.engine.tick(now) == 0 {
                break;
            }
        }
    }
}

/// Shared handle to the session, compared by identity so yew re-renders only when the session
/// itself is replaced (reset, import), not on every command.
#[derive(Clone)]
pub struct SessionHandle(Rc<RefCell<Session>>);

impl PartialEq for SessionHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl SessionHandle {
    pub fn new(session: Session) -> SessionHandle {
        SessionHandle(Rc::new(RefCell::new(session)))
    }

    /// Read the session. `None` only if it is being changed at this very moment (a re-entrant
    /// call), which the page treats as "skip this frame" rather than panicking.
    pub fn read<R>(&self, f: impl FnOnce(&Session) -> R) -> Option<R> {
        self.0.try_borrow().ok().map(|s| f(&s))
    }

    /// Change the session (same re-entrancy rule as [`SessionHandle::read`]).
    pub fn update<R>(&self, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        self.0.try_borrow_mut().ok().map(|mut s| f(&mut s))
    }

    /// Swap in another session (reset, import) keeping the same handle.
    pub fn replace(&self, session: Session) -> bool {
        self.update(|s| *s = session).is_some()
    }

    /// Simulated time now.
    pub fn now(&self) -> u64 {
        self.read(|s| s.clock.now()).unwrap_or(0)
    }
}
