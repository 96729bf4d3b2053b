//! The front door: an [`Engine`] owns the server state and its clients, and executes one
//! command at a time for a given client at a given (virtual) time.
//!
//! The dispatcher does what Redis's `processCommand` does before a handler runs: look the
//! command up, check arity and subcommands, reject writes under maxmemory (after trying to
//! evict), queue inside MULTI; then run the handler and keep indexes and events in step.

use crate::args::{lower, truncate_for_error, Args};
use crate::cmd::{self, CommandSpec};
use crate::ctx::{expire_fields, expire_key, Ctx};
use crate::error::CmdError;
use crate::events::{Event, ReplyClass};
use crate::frame::{Frame, Protocol};
use crate::search::vector::Kernel;
use crate::server::{Client, Server};
use bytes::Bytes;

/// What a command did for a caller that can wait (see [`Engine::execute_blocking`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The reply, ready now.
    Reply(Frame),
    /// A blocking command found nothing; it waits until `deadline` (None: forever).
    Blocked { deadline: Option<u64> },
}

/// A mini-Redis: databases, clients, settings and statistics, with no I/O and no clock.
pub struct Engine {
    pub(crate) server: Server,
    /// True while parked commands are being served, so the commands they run do not serve
    /// again from inside (Redis's handleClientsBlockedOnKeys is not re-entrant either).
    serving: bool,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(0x5eed, 0)
    }
}

/// How many expired keys one `tick` removes at most, so a tick stays short even when a
/// fast-forward makes a million keys due at once.
const EXPIRE_BUDGET_PER_TICK: usize = 2_000;

impl Engine {
    /// A new engine whose random choices (SPOP, RANDOMKEY, eviction samples, HNSW levels)
    /// follow `seed`, created at virtual time `now` (ms).
    pub fn new(seed: u64, now: u64) -> Engine {
        crate::types::encoding::set_limits(Default::default());
        Engine { server: Server::new(seed, now), serving: false }
    }

    /// Register a client connection; returns its id (CLIENT ID).
    pub fn connect(&mut self, now: u64) -> u64 {
        let id = self.server.next_client_id;
        self.server.next_client_id += 1;
        self.server.stats.total_connections_received += 1;
        let noauth = self.server.acl.auth_required();
        let client = Client { id, created_ms: now, last_ms: now, noauth, ..Client::default() };
        self.server.clients.insert(id, Box::new(client));
        id
    }

    /// Forget a client: its WATCHes, its transaction and any blocking command it waits on go
    /// with it, so nothing pushed later is served to a closed connection (`retry_blocked` on a
    /// forgotten id answers `None`). Hosts must call this as soon as they see the hang-up.
    pub fn disconnect(&mut self, id: u64) {
        if let Some(mut client) = self.server.clients.remove(&id) {
            crate::cmd::transaction::unwatch_all(&mut self.server, &client);
            crate::cmd::pubsub::forget_client(&mut self.server, &mut client);
            crate::cmd::tracking::disable(&mut self.server, &mut client);
            crate::cmd::monitor::forget(&mut self.server, &mut client);
        }
        self.server.pushed.remove(&id);
        self.server.dirty_clients.remove(&id);
        self.server.repl.detach(id);
    }

    /// Take the frames waiting for `client`'s connection, oldest first: pub/sub messages and
    /// the confirmations after the first of `SUBSCRIBE a b ...`. A host writes them after the
    /// reply of each command the client runs (a command's pushes to its own connection follow
    /// its reply, as in Redis 7.4), and whenever [`Engine::pushed_clients`] names the client,
    /// encoded with [`Engine::protocol`] (pushes are `>` frames in RESP3, arrays in RESP2).
    pub fn take_pushes(&mut self, client: u64) -> Vec<Frame> {
        self.server.pushed.remove(&client);
        self.server.clients.get_mut(&client).map(|c| std::mem::take(&mut c.pushes)).unwrap_or_default()
    }

    /// The clients that were sent pushes since the last call (a PUBLISH reaches other
    /// connections): a host wakes each one to [`Engine::take_pushes`]. Ids of clients that
    /// took theirs meanwhile may be listed; their outbox is then empty.
    pub fn pushed_clients(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.server.pushed).into_iter().collect()
    }

    /// True if the reply of the client's last command must not be written (CLIENT REPLY OFF or
    /// SKIP): a host drops it, and still writes the client's pushes.
    pub fn reply_suppressed(&self, client: u64) -> bool {
        self.server.clients.get(&client).is_some_and(|c| c.reply_suppressed)
    }

    /// The protocol the client negotiated with HELLO (RESP2 until it says otherwise).
    pub fn protocol(&self, client: u64) -> Protocol {
        self.server.clients.get(&client).map(|c| c.protocol).unwrap_or_default()
    }

    /// Execute one command for `client` at virtual time `now` (ms) and return its reply.
    /// An unknown client id is connected on the fly.
    pub fn execute(&mut self, client: u64, args: Vec<Bytes>, now: u64) -> Frame {
        self.count_input(&args);
        let reply = self.run_for(client, args, now);
        self.count_output(client, &reply);
        reply
    }

    /// A host that sees the bytes of its connections (a TCP server) reports them with
    /// [`Engine::count_io`] from now on: INFO's bytes, reads and writes then count what went
    /// over the wire (inline commands as typed, one read for a pipelined batch, as Redis counts)
    /// instead of each command as RESP and one read and one write per command.
    pub fn set_host_counts_io(&mut self, on: bool) {
        self.server.host_counts_io = on;
    }

    /// Bytes read from and written to connections, and how many reads and writes carried them
    /// (see [`Engine::set_host_counts_io`]).
    pub fn count_io(&mut self, read_bytes: u64, reads: u64, written_bytes: u64, writes: u64) {
        let stats = &mut self.server.stats;
        stats.net_input_bytes += read_bytes;
        stats.reads_processed += reads;
        stats.net_output_bytes += written_bytes;
        stats.writes_processed += writes;
    }

    /// A command arrived: INFO's `total_net_input_bytes` and `total_reads_processed`.
    fn count_input(&mut self, args: &[Bytes]) {
        if self.server.host_counts_io {
            return;
        }
        let stats = &mut self.server.stats;
        stats.net_input_bytes += crate::frame::command_len(args) as u64;
        stats.reads_processed += 1;
    }

    /// A reply leaves: INFO's `total_net_output_bytes` and `total_writes_processed`.
    fn count_output(&mut self, client: u64, reply: &Frame) {
        let bytes = reply.encoded_len(self.protocol(client)) as u64;
        if let Some(c) = self.server.clients.get_mut(&client) {
            c.reply_buffer.wrote(bytes as usize);
        }
        if self.server.host_counts_io {
            return;
        }
        let stats = &mut self.server.stats;
        stats.net_output_bytes += bytes;
        stats.writes_processed += 1;
    }

    /// Run one command for `client`, counting no bytes.
    fn run_for(&mut self, client: u64, args: Vec<Bytes>, now: u64) -> Frame {
        let now = now.max(self.server.clock_floor);
        // The caller is out of the client map while it runs (CLIENT LIST and friends see the
        // others in the map and the caller through the context).
        let mut me = match self.server.clients.remove(&client) {
            Some(c) => c,
            None => {
                let noauth = self.server.acl.auth_required();
                Box::new(Client { id: client, created_ms: now, noauth, ..Client::default() })
            }
        };
        me.last_ms = now;
        // CLIENT CACHING applies to the next command (or transaction) only.
        let keeps_caching =
            me.multi.is_some() || args.first().is_some_and(|n| n.eq_ignore_ascii_case(b"client"));
        let exec = args.first().is_some_and(|n| n.eq_ignore_ascii_case(b"exec"));
        // Redis's CMD_TOUCHES_ARBITRARY_KEYS: what SCAN and RANDOMKEY expire is not one unit.
        let arbitrary = self.server.repl.active()
            && args
                .first()
                .is_some_and(|n| n.eq_ignore_ascii_case(b"scan") || n.eq_ignore_ascii_case(b"randomkey"));
        if self.server.tracking.active() {
            crate::cmd::tracking::limit(&mut self.server);
            me.early_pushes = crate::cmd::tracking::take_own(&mut self.server, &me);
        }
        self.server.current_client = client;
        let mark = me.pushes.len();
        let mut reply = self.dispatch(&mut me, args, now);
        self.server.current_client = 0;
        // A flush's invalidation for the flushing client itself precedes its reply in Redis
        // 7.4 (not inside EXEC, whose reply comes first).
        if let Some(i) = self.server.tracking.own_flush(client).filter(|_| !exec) {
            if me.tracking.as_ref().is_some_and(|t| t.redirect == 0) && me.protocol == Protocol::Resp3 {
                self.server.tracking.take_pending(i);
                me.early_pushes.push(Frame::Push(vec![Frame::bulk("invalidate"), Frame::Null]));
            }
        }
        // Invalidations that go to the connection before its reply (made before the command ran:
        // the tracking table's limit, eviction; or by its own flush): the first is the reply
        // here, the rest and the reply the first pushes (the same bytes on the wire).
        if !me.early_pushes.is_empty() {
            let mut early = std::mem::take(&mut me.early_pushes);
            // A command that parks has no reply yet: they wait as plain pushes.
            if me.blocked.is_none() {
                early.push(reply);
                reply = early.remove(0);
            }
            me.pushes.splice(mark..mark, early);
        }
        // CLIENT REPLY: Redis's resetClient ends a SKIP and arms the one SKIP asked for. Pushes
        // (SUBSCRIBE's confirmations) are written all the same.
        me.reply_suppressed = (me.reply_off || me.reply_skip) && !matches!(reply, Frame::Push(_));
        me.reply_skip = std::mem::take(&mut me.reply_skip_next);
        if let Some(t) = me.tracking.as_mut().filter(|_| !keeps_caching && me.multi.is_none()) {
            t.caching = false;
        }
        self.server.clients.insert(client, me);
        // What the command pushed to its own connection follows its reply: invalidations first,
        // then messages, then BCAST invalidations (as Redis's afterCommand and beforeSleep).
        crate::cmd::tracking::deliver(&mut self.server);
        if !self.server.strays.is_empty() {
            let mine: Vec<Frame> = std::mem::take(&mut self.server.strays)
                .into_iter()
                .filter(|(id, _)| *id == client)
                .map(|(_, frame)| frame)
                .collect();
            if let Some(me) = self.server.clients.get_mut(&client) {
                me.pushes.extend(mine);
            }
        }
        crate::cmd::tracking::broadcast(&mut self.server);
        // The command (a whole EXEC, a script) was one execution unit for the replicas.
        crate::propagate::flush(&mut self.server, !arbitrary);
        // A DEBUG SLEEP it ran (in a transaction too) has passed when the blocked are served.
        self.serve_parked(now.max(self.server.clock_floor));
        reply
    }

    /// Redis's `handleClientsBlockedOnKeys`, run after every command: the lists and sorted sets
    /// written since (`Server::ready_keys`) are taken in the order they were first written, and
    /// for each, the clients parked on it run their command again in the order they blocked,
    /// while the key holds the type they wait for. So `LPUSH l x` followed, in the same
    /// pipeline, by the pusher's own `BLPOP l 0` serves the client that was already waiting
    /// (Redis's fairness), and a transaction that fills k2 then k1 serves k2's waiters first.
    /// Served replies wait for their client's host in [`Engine::retry_blocked`]. Then, in the
    /// order of blocking, anyone whose keys hold data another way, or whose deadline passed.
    fn serve_parked(&mut self, now: u64) {
        // Nobody ever blocked: nothing to scan (the common case of a benchmark).
        if self.serving || self.server.next_block_seq == 0 {
            return;
        }
        self.serving = true;
        loop {
            let mut served = false;
            // A served command may write another key (BLMOVE): the next round serves it.
            while !self.server.ready_keys.is_empty() {
                let ready = std::mem::take(&mut self.server.ready_keys);
                for (db, key) in ready {
                    let mut waiting: Vec<(u64, u64)> = (self.server.clients.values())
                        .filter(|c| {
                            c.db == db
                                && c.parked.as_ref().is_some_and(|(args, _)| {
                                    crate::cmd::blocking::blocking_keys(args).contains(&key)
                                })
                        })
                        .map(|c| (c.blocked_since, c.id))
                        .collect();
                    waiting.sort_unstable();
                    for (_, id) in waiting {
                        let wakes = self.server.clients.get(&id).and_then(|c| c.parked.as_ref()).is_some_and(
                            |(args, _)| {
                                let live = self.server.dbs[db]
                                    .raw_get(&key)
                                    .filter(|e| e.expires_at.is_none_or(|t| t > now));
                                crate::cmd::blocking::wakes(args, &key, live.map(|e| &e.value))
                            },
                        );
                        if wakes {
                            served |= self.serve_one(id, now);
                        }
                    }
                }
            }
            let mut waiting: Vec<(u64, u64)> = (self.server.clients.values())
                .filter(|c| c.parked.is_some())
                .map(|c| (c.blocked_since, c.id))
                .collect();
            waiting.sort_unstable();
            for (_, id) in waiting {
                served |= self.serve_one(id, now);
            }
            if !served && self.server.ready_keys.is_empty() {
                break;
            }
        }
        self.serving = false;
    }

    /// Retry one parked client; a reply it gets is kept for its host. True if it got one.
    fn serve_one(&mut self, id: u64, now: u64) -> bool {
        let Some(frame) = self.retry_parked(id, now) else { return false };
        if let Some(c) = self.server.clients.get_mut(&id) {
            c.served = Some(frame);
        }
        true
    }

    /// Execute for a caller that can wait (a TCP connection, the page's console): a blocking
    /// command (BLPOP, BLMOVE, ...) that finds nothing parks the client and answers
    /// [`Outcome::Blocked`]; call [`Engine::retry_blocked`] when time passes or keys change.
    pub fn execute_blocking(&mut self, client: u64, args: Vec<Bytes>, now: u64) -> Outcome {
        self.execute_or_park(client, args, now, true)
    }

    /// [`Engine::execute_blocking`]; `arrived` is false when a parked command runs again (its
    /// bytes were counted when it arrived).
    fn execute_or_park(&mut self, client: u64, args: Vec<Bytes>, now: u64, arrived: bool) -> Outcome {
        // Only the blocking commands can park, and any command while CLIENT PAUSE lasts:
        // everything else takes the plain path, with no copy of its arguments (this is every
        // command of a RESP connection).
        let paused = self.server.pause.active(now.max(self.server.clock_floor));
        if !paused && !args.first().is_some_and(|name| is_blocking_command(name)) {
            return Outcome::Reply(self.execute(client, args, now));
        }
        if arrived {
            self.count_input(&args);
        }
        let parked_args = args.clone();
        self.server
            .clients
            .entry(client)
            .or_insert_with(|| Box::new(Client { id: client, created_ms: now, ..Client::default() }))
            .may_block = true;
        let reply = self.run_for(client, args, now);
        let seq = self.server.next_block_seq;
        let Some(me) = self.server.clients.get_mut(&client) else {
            self.count_output(client, &reply);
            return Outcome::Reply(reply);
        };
        me.may_block = false;
        let rewritten = me.rewritten.take();
        match me.blocked.take() {
            Some(deadline) => {
                me.parked = Some((rewritten.unwrap_or(parked_args), deadline));
                me.blocked_since = seq;
                self.server.next_block_seq += 1;
                Outcome::Blocked { deadline }
            }
            None => {
                self.count_output(client, &reply);
                Outcome::Reply(reply)
            }
        }
    }

    /// Try a parked blocking command again at `now`: `Some(reply)` once it is served or its
    /// deadline has passed (the timeout reply, as Redis sends it), `None` while it still waits.
    ///
    /// Redis serves the clients waiting on a key in the order they blocked, whichever of them
    /// the host happens to retry first: so every client parked earlier gets its turn before
    /// this one, and a reply it gets that way is kept for its own next retry.
    pub fn retry_blocked(&mut self, client: u64, now: u64) -> Option<Frame> {
        let now = now.max(self.server.clock_floor);
        let me = self.server.clients.get_mut(&client)?;
        if let Some(frame) = me.served.take() {
            return Some(frame);
        }
        me.parked.as_ref()?;
        let since = me.blocked_since;
        let mut earlier: Vec<(u64, u64)> = (self.server.clients.values())
            .filter(|c| c.parked.is_some() && c.blocked_since < since)
            .map(|c| (c.blocked_since, c.id))
            .collect();
        earlier.sort_unstable();
        for (_, id) in earlier {
            if let Some(frame) = self.retry_parked(id, now) {
                if let Some(c) = self.server.clients.get_mut(&id) {
                    c.served = Some(frame);
                }
            }
        }
        // An earlier one that ran may have served this one already (after its command).
        if let Some(frame) = self.server.clients.get_mut(&client).and_then(|c| c.served.take()) {
            return Some(frame);
        }
        self.retry_parked(client, now)
    }

    /// One retry of one parked command; a command still waiting keeps its deadline and its
    /// place in the order of blocking.
    fn retry_parked(&mut self, client: u64, now: u64) -> Option<Frame> {
        let me = self.server.clients.get_mut(&client)?;
        let db = me.db;
        let (args, deadline) = me.parked.take()?;
        let since = me.blocked_since;
        let postponed = std::mem::take(&mut me.postponed);
        // Redis 7.4 runs a blocked command again only when one of its keys holds the type it
        // waits for (a list; a sorted set for the BZ* commands): a key that became another type
        // (LPUSH, DEL, SET in one MULTI) leaves the client blocked, where running the command
        // would answer WRONGTYPE.
        // A command held by CLIENT PAUSE runs again once the pause no longer holds it.
        let ready = if postponed {
            let spec = known_spec(&lower(&args[0]), &args);
            let me = self.server.clients.get(&client)?;
            !spec.is_some_and(|(spec, _)| crate::cmd::pause::holds(&self.server, me, spec, &args, now))
        } else {
            crate::cmd::blocking::blocking_keys(&args).iter().any(|key| {
                let live = self.server.dbs[db].raw_get(key).filter(|e| e.expires_at.is_none_or(|t| t > now));
                crate::cmd::blocking::wakes(&args, key, live.map(|e| &e.value))
            })
        };
        let outcome = if ready {
            // MONITOR showed a blocking command when it first ran, not a held one.
            self.server.replaying = !postponed;
            let outcome = self.execute_or_park(client, args.clone(), now, false);
            self.server.replaying = false;
            outcome
        } else {
            Outcome::Blocked { deadline }
        };
        match outcome {
            Outcome::Reply(frame) => Some(frame),
            Outcome::Blocked { .. } if deadline.is_some_and(|d| d <= now) => {
                if let Some(me) = self.server.clients.get_mut(&client) {
                    me.parked = None;
                }
                count_unblocked(&mut self.server, &args, false);
                let reply = crate::cmd::blocking::timeout_reply(&args, &self.server);
                self.count_output(client, &reply);
                Some(reply)
            }
            // A held command that ran and blocked (BLPOP after the pause) waits as it parked.
            Outcome::Blocked { .. } if postponed && ready => None,
            Outcome::Blocked { .. } => {
                if let Some(me) = self.server.clients.get_mut(&client) {
                    me.parked = Some((args, deadline));
                    me.blocked_since = since;
                    me.postponed = postponed;
                }
                None
            }
        }
    }

    /// True while the client waits on a blocking command (or has a reply to collect from
    /// [`Engine::retry_blocked`]).
    pub fn is_blocked(&self, client: u64) -> bool {
        self.server.clients.get(&client).is_some_and(|c| c.parked.is_some() || c.served.is_some())
    }

    /// Stop waiting on a parked blocking command (the client gave up, like Ctrl-C in redis-cli).
    pub fn cancel_blocked(&mut self, client: u64) {
        if let Some(c) = self.server.clients.get_mut(&client) {
            c.parked = None;
            c.served = None;
        }
    }

    /// Execute and encode the reply for the client's protocol.
    pub fn execute_to_bytes(&mut self, client: u64, args: Vec<Bytes>, now: u64, out: &mut Vec<u8>) {
        self.count_input(&args);
        let reply = self.run_for(client, args, now);
        let start = out.len();
        reply.encode(self.protocol(client), out);
        if !self.server.host_counts_io {
            let stats = &mut self.server.stats;
            stats.net_output_bytes += (out.len() - start) as u64;
            stats.writes_processed += 1;
        }
    }

    fn dispatch(&mut self, client: &mut Client, args: Vec<Bytes>, now: u64) -> Frame {
        if args.is_empty() {
            // Redis ignores empty commands; answer nothing meaningful but never fail.
            return Frame::Null;
        }
        // Another engine on this thread may have installed its own thresholds.
        crate::types::encoding::set_limits(self.server.config.encoding);
        let mut name_buf = [0u8; 32];
        let name = lowercase_name(&args[0], &mut name_buf);
        let mut ran: Option<&'static str> = None;
        let mut counted = false;
        let reply = match self.resolve(&name, &args) {
            Err(e) => {
                if client.multi.is_some() {
                    client.multi_error = true;
                }
                // A known command refused for its arity counts as rejected in commandstats.
                if let Some((spec, start)) = known_spec(&name, &args) {
                    self.count_call(spec, start, &name, Call::Rejected);
                }
                e.into_frame()
            }
            Ok((spec, start)) => {
                let floor = self.server.clock_floor.max(now);
                let (reply, rejected) = match self.run_resolved(client, spec, args, start, now) {
                    Ok(reply) => (reply, false),
                    Err(refused) => (refused, true),
                };
                let failed;
                (counted, failed) = std::mem::take(&mut self.server.script_errors);
                if rejected {
                    self.count_call(spec, start, &name, Call::Rejected);
                } else {
                    // Like Redis, only commands that get past lookup, arity and the checks
                    // before running count as processed.
                    // A command held by CLIENT PAUSE counts when it runs.
                    self.server.stats.total_commands_processed += u64::from(!client.postponed);
                    // A command that parks counts once, when it is served or gives up.
                    if client.blocked.is_none() && !client.postponed {
                        let us = self.server.clock_floor.saturating_sub(floor).saturating_mul(1000);
                        self.server.command_us = us;
                        // A script's command fails once more for each error in its reply that
                        // the engine counted before (Redis's `failed_calls++` for each).
                        let failed = failed.max(u64::from(reply.is_error()));
                        let call = if failed > 0 { Call::Failed } else { Call::Ok };
                        self.count_call(spec, start, &name, call);
                        if let Some(c) =
                            self.server.stats.command_calls.get_mut(&(std::ptr::from_ref(spec) as usize))
                        {
                            c.failed += failed.saturating_sub(1);
                        }
                        if self.server.config.latency_monitor_threshold > 0 {
                            crate::cmd::latency::sample(&mut self.server, spec, us, now);
                        }
                    }
                }
                ran = Some(spec.name);
                reply
            }
        };
        // A script's error that its `redis.call` counted already is not counted twice.
        if let (Frame::Error(line), false) = (&reply, counted) {
            self.server.stats.count_error(line);
        }
        let class = if reply.is_error() { ReplyClass::Error } else { ReplyClass::Ok };
        let id = client.id;
        client.last_command.clear();
        client.last_command.push_str(ran.unwrap_or(&name));
        self.server.events.emit(|| Event::Command { client: id, name: name.into_owned(), reply: class });
        reply
    }

    /// One more line of INFO commandstats for `spec` (`name|sub` for a subcommand).
    fn count_call(&mut self, spec: &'static CommandSpec, start: usize, name: &str, call: Call) {
        let calls =
            self.server.stats.command_calls.entry(std::ptr::from_ref(spec) as usize).or_insert_with(|| {
                let name = if start == 2 { format!("{name}|{}", spec.name) } else { spec.name.to_string() };
                crate::server::CommandCalls { name, ..Default::default() }
            });
        match call {
            Call::Ok => calls.calls += 1,
            Call::Failed => {
                calls.calls += 1;
                calls.failed += 1;
            }
            Call::Rejected => {
                calls.rejected += 1;
                return;
            }
        }
        *calls.histogram.entry(crate::cmd::latency::bucket(self.server.command_us)).or_default() += 1;
        self.server.command_us = 0;
    }

    /// Find the spec for a command line, checking arity and subcommands as Redis does.
    /// Returns the spec and where its own arguments start.
    fn resolve(&self, name: &str, args: &[Bytes]) -> Result<(&'static CommandSpec, usize), CmdError> {
        let Some(spec) = cmd::lookup(name) else {
            return Err(unknown_command(args));
        };
        if spec.subcommands.is_empty() {
            if !spec.arity_ok(args.len()) {
                // Module commands are registered, and named in this error, as RediSearch spells
                // them: 'FT.SEARCH', not 'ft.search'.
                if spec.group == "module" {
                    return Err(CmdError::wrong_arity(&spec.name.to_ascii_uppercase()));
                }
                return Err(CmdError::wrong_arity(spec.name));
            }
            return Ok((spec, 1));
        }
        if args.len() < 2 {
            // A container that accepts no subcommand (COMMAND alone lists every command).
            if spec.arity == -1 {
                return Ok((spec, 1));
            }
            return Err(CmdError::wrong_arity(spec.name));
        }
        let sub_name = lower(&args[1]);
        let Some(sub) = spec.subcommands.iter().find(|s| s.name == sub_name) else {
            return Err(CmdError::unknown_subcommand(&args[1], &String::from_utf8_lossy(&args[0])));
        };
        if !sub.arity_ok(args.len()) {
            return Err(CmdError::wrong_arity(&format!("{}|{}", spec.name, sub.name)));
        }
        Ok((sub, 2))
    }

    fn run_resolved(
        &mut self,
        client: &mut Client,
        spec: &'static CommandSpec,
        args: Vec<Bytes>,
        start: usize,
        now: u64,
    ) -> Result<Frame, Frame> {
        let in_multi = client.multi.is_some();
        // Only while some user is restricted: the default user alone costs this one test.
        let acl = !self.server.acl.open;
        if acl && client.noauth && self.server.acl.auth_required() && !spec.has_flag("no_auth") {
            client.multi_error |= in_multi;
            return Err(Frame::Error("NOAUTH Authentication required.".into()));
        }
        // SAVE and the other `no_multi` commands are refused at queue time, which dooms EXEC.
        if in_multi && spec.has_flag("no_multi") {
            client.multi_error = true;
            return Err(CmdError::err("Command not allowed inside a transaction").into_frame());
        }
        if acl {
            if let Err(refusal) = crate::cmd::acl::check(&mut self.server, client, spec, &args, now) {
                client.multi_error |= in_multi;
                return Err(refusal);
            }
        }
        // As Redis 7.4's processCommand: over maxmemory, every command first evicts what the
        // policy allows; only commands that may grow memory (denyoom) are refused when that
        // cannot make room (inside MULTI too: a queued GET is still QUEUED). EXEC counts as
        // denyoom when it would run a denyoom command, and is then refused whole: the
        // transaction is discarded with EXECABORT naming the OOM error, and the queued
        // commands themselves are not checked again as they run.
        if self.server.config.maxmemory > 0 && !self.server.pause.active(now) {
            let made_room = crate::evict::make_room(&mut self.server, now);
            if self.server.tracking.active() {
                let own = crate::cmd::tracking::take_own(&mut self.server, client);
                client.early_pushes.extend(own);
            }
            if let Err(e) = made_room {
                if spec.name == "exec" && self.queues_flag(client, "denyoom") {
                    crate::cmd::transaction::discard_transaction(&mut self.server, client);
                    let text = format!("EXECABORT Transaction discarded because of: {}", e.0);
                    return Err(CmdError::raw(text).into_frame());
                }
                if spec.has_flag("denyoom") {
                    if in_multi {
                        client.multi_error = true;
                    }
                    return Err(e.into_frame());
                }
            }
        }
        // min-replicas-to-write: writes (an EXEC that would run one) wait for good replicas.
        if !crate::propagate::enough_good_replicas(&self.server, now) {
            if spec.name == "exec" && self.queues_flag(client, "write") {
                crate::cmd::transaction::discard_transaction(&mut self.server, client);
                let text =
                    format!("EXECABORT Transaction discarded because of: {}", crate::propagate::NOREPLICAS);
                return Err(CmdError::raw(text).into_frame());
            }
            if spec.has_flag("write") {
                client.multi_error |= in_multi;
                return Err(CmdError::raw(crate::propagate::NOREPLICAS).into_frame());
            }
        }
        // A replica refuses writes (READONLY), and commands without the `stale` flag while its
        // link is down when `replica-serve-stale-data` is no (MASTERDOWN); EXEC for what it
        // queued, discarding the transaction.
        if self.server.repl.primary.is_some() && !client.from_primary {
            let exec = spec.name == "exec";
            let (write, stale) = if crate::cmd::scripting::is_script_call(spec.name) {
                crate::cmd::scripting::write_and_stale(&self.server, spec.name, &args[start - 1..])
            } else {
                (spec.has_flag("write"), spec.has_flag("stale"))
            };
            let write = write || exec && self.queues_flag(client, "write");
            let denystale = !stale || exec && self.queues_without_flag(client, "stale");
            if let Some(error) = crate::cmd::replication::replica_refusal(&self.server, write, denystale) {
                if exec {
                    crate::cmd::transaction::discard_transaction(&mut self.server, client);
                    let text = format!("EXECABORT Transaction discarded because of: {error}");
                    return Err(CmdError::raw(text).into_frame());
                }
                client.multi_error |= in_multi;
                return Err(CmdError::raw(error).into_frame());
            }
        }
        // A RESP2 subscriber may only (un)subscribe, PING, QUIT and RESET (RESP3 has no limit).
        if client.subs.active()
            && client.protocol == Protocol::Resp2
            && !matches!(
                spec.name,
                "ping"
                    | "subscribe"
                    | "ssubscribe"
                    | "psubscribe"
                    | "unsubscribe"
                    | "sunsubscribe"
                    | "punsubscribe"
                    | "quit"
                    | "reset"
            )
        {
            if in_multi {
                client.multi_error = true;
            }
            let name =
                if start == 2 { format!("{}|{}", lower(&args[0]), spec.name) } else { spec.name.into() };
            return Err(CmdError::err(format!(
                "Can't execute '{name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
            ))
            .into_frame());
        }
        let keyspace =
            |s: &CommandSpec| s.has_flag("write") || s.has_flag("readonly") || s.has_flag("may_replicate");
        if client.monitor && keyspace(spec) {
            client.multi_error |= in_multi;
            return Err(CmdError::err("Replica can't interact with the keyspace").into_frame());
        }
        // CLIENT PAUSE holds the command (queueing in MULTI too) for a caller that can wait.
        if client.may_block && crate::cmd::pause::holds(&self.server, client, spec, &args, now) {
            client.blocked = Some(None);
            client.postponed = true;
            return Ok(Frame::Null);
        }
        if in_multi && !matches!(spec.name, "exec" | "discard" | "multi" | "watch" | "quit" | "reset") {
            if let Some(queue) = client.multi.as_mut() {
                queue.push(args);
            }
            return Ok(Frame::Simple("QUEUED".into()));
        }
        Ok(self.run_now(client, spec, args, start, now))
    }

    /// Run a resolved command immediately (also used by EXEC for queued commands).
    pub(crate) fn run_now(
        &mut self,
        client: &mut Client,
        spec: &'static CommandSpec,
        args: Vec<Bytes>,
        start: usize,
        now: u64,
    ) -> Frame {
        if spec.name == "exec" {
            let reply = crate::cmd::transaction::exec(self, client, now);
            crate::cmd::monitor::feed(&mut self.server, client, spec, &args, false, now);
            return reply;
        }
        let floor = self.server.clock_floor.max(now);
        if crate::cmd::scripting::is_script_call(spec.name) {
            // EVAL and FCALL show before the commands of their script.
            crate::cmd::monitor::feed(&mut self.server, client, spec, &args, false, now);
            let logged = (!client.lua).then(|| args.clone());
            let reply = crate::cmd::scripting::run(self, client, spec.name, args, now);
            if let Some(args) = logged {
                self.slow_log(client, spec, &args, floor, now);
            }
            self.after_command();
            return reply;
        }
        let mut cursor = Args::new(args, start);
        let dirty_before = self.server.dirty;
        let reply = {
            let mut ctx = Ctx { server: &mut self.server, client, now };
            let run = crate::cmd::handler(spec, || {
                let name = String::from_utf8_lossy(&cursor.all()[0]).to_ascii_lowercase();
                if start == 2 {
                    format!("{name}|{}", spec.name)
                } else {
                    name
                }
            });
            run(&mut ctx, &mut cursor).unwrap_or_else(CmdError::into_frame)
        };
        if self.server.repl.active() {
            self.propagate_call(client, spec, cursor.all(), dirty_before);
        }
        if client.tracking.is_some() && spec.has_flag("readonly") {
            crate::cmd::tracking::remember(&mut self.server, client, spec, cursor.all());
        }
        if !self.server.monitors.is_empty() {
            crate::cmd::monitor::feed(&mut self.server, client, spec, cursor.all(), client.lua, now);
        }
        if !client.lua {
            self.slow_log(client, spec, cursor.all(), floor, now);
        }
        self.after_command();
        reply
    }

    /// What a command that ran sends to the replicas (Redis's `call()`): its line, or what it
    /// asked for instead, when it changed something; PUBLISH and the flushes always.
    fn propagate_call(&mut self, client: &mut Client, spec: &CommandSpec, argv: &[Bytes], dirty_before: u64) {
        let rewritten = client.propagate_as.take();
        let changed = self.server.dirty != dirty_before
            || matches!(spec.name, "publish" | "spublish" | "flushall" | "flushdb");
        if !changed || client.blocked.is_some() {
            return;
        }
        match rewritten {
            Some(lines) => lines.into_iter().for_each(|line| self.server.repl.add(client.db, line)),
            None => self.server.repl.add(client.db, argv.to_vec()),
        }
    }

    /// SLOWLOG: a command that ran (not one that blocked, not EXEC itself) is logged with its
    /// time on the virtual clock, DEBUG SLEEP's (`floor`: the clock when it started).
    fn slow_log(&mut self, client: &Client, spec: &CommandSpec, argv: &[Bytes], floor: u64, now: u64) {
        if client.blocked.is_some()
            || spec.has_flag("skip_slowlog")
            || self.server.config.slowlog_slower_than < 0
        {
            return;
        }
        let us = self.server.clock_floor.saturating_sub(floor).saturating_mul(1000);
        crate::cmd::slowlog::record(&mut self.server, client, argv, us, now);
    }

    /// The command or subcommand `args` names, as Redis's `lookupCommand` finds it (for
    /// `redis.acl_check_cmd`).
    pub(crate) fn lookup_for_acl(&self, args: &[Bytes]) -> Option<&'static CommandSpec> {
        known_spec(&lower(args.first()?), args).map(|(spec, _)| spec)
    }

    /// A command a script calls (`redis.call`): its spec (`Err` for a wrong arity) and where its
    /// arguments start, `None` for an unknown command or subcommand.
    pub(crate) fn resolve_for_script(
        &self,
        name: &str,
        args: &[Bytes],
    ) -> Option<(Result<&'static CommandSpec, &'static CommandSpec>, usize)> {
        let (spec, start) = known_spec(name, args)?;
        if !spec.subcommands.is_empty() {
            return None;
        }
        Some((if spec.arity_ok(args.len()) { Ok(spec) } else { Err(spec) }, start))
    }

    /// A command a script called and the engine refused (`error`): counted in errorstats, and
    /// for a known command as a rejected call.
    pub(crate) fn script_refusal(
        &mut self,
        spec: Option<(&'static CommandSpec, usize)>,
        name: &str,
        error: String,
    ) -> Frame {
        self.server.stats.count_error(&error);
        if let Some((spec, start)) = spec {
            self.count_call(spec, start, name, Call::Rejected);
        }
        Frame::Error(error)
    }

    /// Run a command for a script's client, counted in commandstats as Redis counts the
    /// commands scripts call.
    pub(crate) fn run_for_script(
        &mut self,
        client: &mut Client,
        spec: &'static CommandSpec,
        start: usize,
        name: &str,
        args: Vec<Bytes>,
        now: u64,
    ) -> Frame {
        let reply = self.run_now(client, spec, args, start, now);
        self.server.stats.total_commands_processed += 1;
        let call = if reply.is_error() { Call::Failed } else { Call::Ok };
        self.count_call(spec, start, name, call);
        if let Frame::Error(line) = &reply {
            self.server.stats.count_error(line);
        }
        reply
    }

    /// Install the script runner (the Lua VM of `crates/scripting`): until then EVAL, FCALL,
    /// SCRIPT LOAD and FUNCTION LOAD answer [`crate::script::NO_RUNNER`].
    pub fn set_script_runner(&mut self, runner: crate::script::RunnerBox) {
        self.server.scripts.runner = Some(runner);
    }

    /// True while the client is in a transaction (MULTI without EXEC or DISCARD yet).
    pub fn in_multi(&self, client: u64) -> bool {
        self.server.clients.get(&client).is_some_and(|c| c.multi.is_some())
    }

    /// Doom the client's transaction, as a command refused while queueing does (a host that
    /// answered BUSY for the engine while a script ran).
    pub fn flag_transaction(&mut self, client: u64) {
        if let Some(c) = self.server.clients.get_mut(&client).filter(|c| c.multi.is_some()) {
            c.multi_error = true;
        }
    }

    /// True once a script runner is installed.
    pub fn has_script_runner(&self) -> bool {
        self.server.scripts.runner.is_some()
    }

    /// The running script's state, shared with a host that serves other clients meanwhile
    /// (BUSY replies, SCRIPT KILL).
    pub fn script_control(&self) -> std::sync::Arc<crate::script::ScriptControl> {
        self.server.scripts.control.clone()
    }

    /// Re-resolve and run a queued command inside EXEC (the OOM check was EXEC's own). The
    /// ACL is checked again, as Redis does, in case the rules changed since it was queued.
    pub(crate) fn run_queued(&mut self, client: &mut Client, args: Vec<Bytes>, now: u64) -> Frame {
        let name = lower(&args[0]);
        match self.resolve(&name, &args) {
            Ok((spec, start)) => {
                if !self.server.acl.open && self.acl_refusal(client, spec, &args, "multi", now).is_some() {
                    let reason = match crate::cmd::acl::check_quiet(&self.server, client, spec, &args) {
                        Err((crate::acl::Denied::Key, _)) => "no permission to touch the specified keys",
                        Err((crate::acl::Denied::Channel, _)) => {
                            "no permission to access one of the channels used as arguments"
                        }
                        _ => "no permission to execute the command or subcommand",
                    };
                    return Frame::Error(format!(
                        "NOPERM ACLs rules changed between the moment the transaction was accumulated and the \
                         EXEC call. This command is no longer allowed for the following reason: {reason}"
                    ));
                }
                self.run_now(client, spec, args, start, now)
            }
            Err(e) => e.into_frame(),
        }
    }

    /// The ACL refusal of a command a transaction or a script runs, logged with `context`:
    /// the message without NOPERM, or None when allowed.
    pub(crate) fn acl_refusal(
        &mut self,
        client: &Client,
        spec: &CommandSpec,
        args: &[Bytes],
        context: &'static str,
        now: u64,
    ) -> Option<String> {
        let (reason, at) = crate::cmd::acl::check_quiet(&self.server, client, spec, args).err()?;
        let name = crate::cmd::acl::full_name(spec);
        crate::cmd::acl::deny(&mut self.server, client, reason, at, &name, args, context, now);
        let arg = args.get(at).map_or(&[][..], |a| a);
        let user = crate::cmd::acl::user_name(client);
        Some(crate::acl::denial_message(reason, &user, &name, arg, false))
    }

    /// True if the client's transaction queues a command with `flag` (Redis's
    /// `mstate.cmd_flags`: denyoom for OOM, write for min-replicas-to-write).
    fn queues_flag(&self, client: &Client, flag: &str) -> bool {
        client
            .multi
            .iter()
            .flatten()
            .any(|args| self.resolve(&lower(&args[0]), args).is_ok_and(|(spec, _)| spec.has_flag(flag)))
    }

    /// True if the client's transaction queues a command without `flag` (Redis's
    /// `mstate.cmd_inv_flags`: `stale` for a replica whose link is down).
    fn queues_without_flag(&self, client: &Client, flag: &str) -> bool {
        client
            .multi
            .iter()
            .flatten()
            .any(|args| self.resolve(&lower(&args[0]), args).is_ok_and(|(spec, _)| !spec.has_flag(flag)))
    }

    /// Keep secondary structures (search indexes) in step with the keys a command changed.
    fn after_command(&mut self) {
        if !self.server.changed.is_empty() {
            let changed = std::mem::take(&mut self.server.changed);
            crate::search::sync_keys(&mut self.server, &changed);
        }
        self.server.sample_peak_memory();
    }

    /// The host timed an active expiry cycle ([`Engine::tick`]) at `ms` on its own clock (the
    /// engine has none): a sample of the latency monitor's `expire-cycle` event when that is
    /// over `latency-monitor-threshold`, as Redis samples every cycle it times.
    pub fn expire_cycle_took(&mut self, ms: u64, now: u64) {
        crate::cmd::latency::add_sample(&mut self.server, "expire-cycle", ms, now);
    }

    /// Active expiry: remove keys, then hash fields, whose deadline has passed at `now`, at most
    /// a bounded number per call (call again while it returns the budget). Returns how many keys
    /// and fields expired.
    pub fn tick(&mut self, now: u64) -> usize {
        // `clientsCron`: every client's reply buffer is resized to what it has been using.
        let settings = &mut self.server.reply_buffers;
        self.server.clients.values_mut().for_each(|c| c.reply_buffer.cron(settings, now));
        let mut expired = 0;
        // CLIENT PAUSE stops active expiry too.
        let on = self.server.active_expire && !self.server.pause.active(now);
        let dbs = if on { self.server.dbs.len() } else { 0 };
        for db in 0..dbs {
            let due = self.server.dbs[db].due_keys(now, EXPIRE_BUDGET_PER_TICK - expired);
            for key in due {
                expire_key(&mut self.server, db, &key);
                expired += 1;
            }
            if expired >= EXPIRE_BUDGET_PER_TICK {
                break;
            }
            // Then hash fields whose deadline passed (Redis's `hashTypeDbActiveExpire`).
            for key in self.server.dbs[db].due_hashes(now, EXPIRE_BUDGET_PER_TICK - expired) {
                let fields = match self.server.dbs[db].raw_get(&key).and_then(|e| e.field_ttls.as_ref()) {
                    Some(ttls) => ttls.due(now, EXPIRE_BUDGET_PER_TICK - expired),
                    None => Vec::new(),
                };
                expired += fields.len();
                // A visit that finds nothing due (the deadlines went with HPERSIST, HDEL, HSET
                // or lazy expiry) only moves or drops the registration, as in Redis.
                if fields.is_empty() || !expire_fields(&mut self.server, db, &key, &fields, true) {
                    // Visit again at the next deadline, or no more (Redis's hashTypeActiveExpire).
                    let next = self.server.dbs[db].raw_get(&key).and_then(|e| e.field_ttls.as_ref()?.min());
                    self.server.dbs[db].register_field_ttls(&key, next);
                }
                if expired >= EXPIRE_BUDGET_PER_TICK {
                    break;
                }
            }
            if expired >= EXPIRE_BUDGET_PER_TICK {
                break;
            }
        }
        // A running BGSAVE finishes in the cron too.
        crate::cmd::server::bgsave::settle(&mut self.server, now);
        // Redis's serverCron keeps the tracking table under its limit between commands too.
        if self.server.tracking.active() {
            crate::cmd::tracking::limit(&mut self.server);
        }
        crate::cmd::tracking::deliver(&mut self.server);
        crate::cmd::tracking::broadcast(&mut self.server);
        // Each expired key is its own unit for the replicas, never wrapped in MULTI.
        crate::propagate::flush(&mut self.server, false);
        self.after_command();
        expired
    }

    /// The field deadlines (virtual-clock ms) of the hash at `key` in database `db`, earliest
    /// first, for a per-field countdown: empty for a missing key, a hash without deadlines or
    /// another type. Expired fields not yet deleted are included (their deadline is past).
    pub fn hash_field_deadlines(&self, db: usize, key: &[u8]) -> Vec<(Bytes, u64)> {
        self.server.dbs.get(db).map_or_else(Vec::new, |d| d.field_deadlines(key))
    }

    /// Start or stop recording events (off by default: no cost when nobody listens).
    pub fn set_events_enabled(&mut self, on: bool) {
        self.server.events.set_enabled(on);
    }

    /// Events since the last drain.
    pub fn drain_events(&mut self) -> Vec<Event> {
        self.server.events.drain()
    }

    /// Report FLOAT32 KNN and range distances with `kernel`'s summation order, as RediSearch does
    /// on a CPU that makes it pick that kernel (see [`Kernel`]); applies to existing indexes
    /// too. The default, AVX-512, suits most servers; a tool comparing with one real server
    /// sets that server's.
    pub fn set_vector_kernel(&mut self, kernel: Kernel) {
        self.server.search.kernel = kernel;
        for index in self.server.search.by_name.values_mut() {
            index.kernel = kernel;
        }
    }

    /// Cap one string's size at `bytes`, for a host with less room than a server (a browser
    /// tab: a wasm instance of 4 GB at most, whose state is also saved). SETRANGE and APPEND
    /// past it answer an error that names the limit and says real Redis would go on to
    /// `proto-max-bulk-len`, instead of growing the page until it dies. `None`: Redis's limit
    /// only.
    pub fn set_value_limit(&mut self, bytes: Option<usize>) {
        self.server.value_limit = bytes;
    }

    /// Let CONFIG SET port move the host's listener (see [`crate::server::Listener`]); `port`
    /// is the one it listens on now, which CONFIG GET port then reports.
    pub fn set_listener(&mut self, port: u16, listener: crate::server::Listener) {
        if let Some(param) = crate::params::lookup("port") {
            let _ = self.server.config.others.set(&param, port.to_string().as_bytes());
        }
        self.server.listener = Some(listener);
    }

    /// The host ends its process when SHUTDOWN asks ([`Engine::shutting_down`]); without this,
    /// SHUTDOWN answers that this server cannot shut down.
    pub fn set_can_exit(&mut self) {
        self.server.can_exit = true;
    }

    /// SHUTDOWN ran: the host should end the server now, without writing its reply.
    pub fn shutting_down(&self) -> bool {
        self.server.shutdown
    }

    /// Read-only view of the server state (databases, stats, config) for inspectors.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// Mutable server state, for tools that restore a saved keyspace.
    pub fn server_mut(&mut self) -> &mut Server {
        &mut self.server
    }
}

/// How a command ended, for INFO commandstats.
enum Call {
    /// Ran and answered.
    Ok,
    /// Ran and answered an error (`failed_calls`).
    Failed,
    /// Refused before running: arity, OOM, not allowed in MULTI (`rejected_calls`).
    Rejected,
}

/// The spec a command line names, when the command (and its subcommand) exist, whatever the
/// arity: what commandstats counts a rejection against.
fn known_spec(name: &str, args: &[Bytes]) -> Option<(&'static CommandSpec, usize)> {
    let spec = cmd::lookup(name)?;
    if spec.subcommands.is_empty() || args.len() < 2 {
        return Some((spec, 1));
    }
    let sub_name = lower(&args[1]);
    spec.subcommands.iter().find(|s| s.name == sub_name).map(|sub| (sub, 2))
}

/// True for the commands that may wait (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
/// BZPOPMAX, BZMPOP).
fn is_blocking_command(name: &[u8]) -> bool {
    (crate::cmd::blocking::NAMES.iter()).any(|b| name.eq_ignore_ascii_case(b.as_bytes()))
}

/// The lowercased command name, without allocating for names that fit the buffer (all real
/// command names do).
fn lowercase_name<'a>(raw: &[u8], buf: &'a mut [u8; 32]) -> std::borrow::Cow<'a, str> {
    if raw.len() <= buf.len() {
        let out = &mut buf[..raw.len()];
        out.copy_from_slice(raw);
        out.make_ascii_lowercase();
        if let Ok(text) = std::str::from_utf8(out) {
            return std::borrow::Cow::Borrowed(text);
        }
    }
    std::borrow::Cow::Owned(lower(raw))
}

/// `ERR unknown command 'x', with args beginning with: 'a' 'b' ` exactly as Redis builds it:
/// arguments are appended while the list is shorter than 128 bytes, each cut to what is left.
fn unknown_command(args: &[Bytes]) -> CmdError {
    let mut listed = String::new();
    for arg in &args[1..] {
        if listed.len() >= 128 {
            break;
        }
        let room = 128 - listed.len();
        listed.push_str(&format!("'{}' ", truncate_for_error(arg, room)));
    }
    let text = format!(
        "unknown command '{}', with args beginning with: {}",
        truncate_for_error(&args[0], 128),
        listed
    );
    // Redis replaces CR and LF in error text with spaces so the reply stays one line.
    CmdError::err(text.replace(['\r', '\n'], " "))
}

/// A parked blocking command that ends without running again (timeout, CLIENT UNBLOCK) counts
/// its one call now, as Redis's `updateStatsOnUnblock` does (failed with UNBLOCK's ERROR).
pub(crate) fn count_unblocked(server: &mut Server, args: &[Bytes], failed: bool) {
    let Some(spec) = args.first().and_then(|n| cmd::lookup(&String::from_utf8_lossy(n).to_ascii_lowercase()))
    else {
        return;
    };
    let calls =
        server.stats.command_calls.entry(std::ptr::from_ref(spec) as usize).or_insert_with(|| {
            crate::server::CommandCalls { name: spec.name.to_string(), ..Default::default() }
        });
    calls.calls += 1;
    calls.failed += u64::from(failed);
    *calls.histogram.entry(crate::cmd::latency::bucket(0)).or_default() += 1;
}
