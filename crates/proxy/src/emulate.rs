//! `playground-proxy emulate`: the engine behind a RESP/TCP port.
//!
//! One engine is shared by every connection behind a mutex: Redis runs commands one at a time
//! too, so this keeps its semantics (atomic commands, MULTI/EXEC, WATCH across clients). Each
//! connection parses every complete command in its read buffer, runs the batch under one lock
//! and writes all replies in one write, so pipelining (`redis-benchmark -P 16`) costs one lock
//! and one syscall per batch. Blocking commands (BLPOP, ...) park the connection until another
//! client writes or the deadline passes. Time is the system clock; a background task runs
//! active expiry every 100 ms.
//!
//! Redis's limits on clients hold, read from the engine's config so CONFIG SET changes them:
//! `proto-max-bulk-len` (a longer bulk is a protocol error, and the connection closes),
//! `client-query-buffer-limit` (an incomplete command past it closes the client without a reply)
//! and `maxclients` (one more connection gets `-ERR max number of clients reached`). Input is read
//! as it arrives, never reserved from an announced length, and one slow client stalls no other:
//! each connection is its own task and holds the engine only while running complete commands.

pub use playground_engine::cluster;

mod follow;
mod listener;

use bytes::{Buf, BytesMut};
use playground_engine::resp::{CommandParser, Limits};
use playground_engine::{Engine, Frame, Outcome};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// Command-line options of `emulate`.
#[derive(Debug, Clone, clap::Args)]
pub struct EmulateArgs {
    /// Address to listen on.
    #[arg(long, env = "PLAYGROUND_EMULATE_LISTEN", default_value = "127.0.0.1:6379")]
    pub listen: SocketAddr,
    /// Seed for the engine's random choices (SPOP, RANDOMKEY, eviction samples, HNSW levels).
    #[arg(long, env = "PLAYGROUND_EMULATE_SEED", default_value_t = 0x5eed)]
    pub seed: u64,
    /// Run N engines as the N primaries of a Redis Cluster, on N consecutive ports from
    /// `--listen`'s (slots split as `redis-cli --cluster create` splits them). 0: one plain server.
    #[arg(long, env = "PLAYGROUND_EMULATE_CLUSTER", default_value_t = 0)]
    pub cluster: u16,
}

/// Milliseconds on the system clock: the emulator's `now`.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The engine shared by all connections, a signal that keys may have changed, a probe on
/// each connection's socket, and a bell per connection rung when the engine queued pushes for it
/// (a PUBLISH by another client): its task then writes them at once.
#[derive(Clone)]
pub struct Shared {
    engine: Arc<Mutex<Engine>>,
    /// The running script, readable while it holds the engine (BUSY replies, SCRIPT KILL).
    scripts: Arc<playground_engine::script::ScriptControl>,
    changed: Arc<Notify>,
    probes: Arc<Mutex<HashMap<u64, std::net::TcpStream>>>,
    bells: Arc<Mutex<HashMap<u64, Arc<Notify>>>>,
    /// Set under `--cluster`: this engine is one primary of the emulated cluster.
    cluster: Option<cluster::Node>,
}

impl Shared {
    pub fn new(seed: u64) -> Shared {
        let mut engine = Engine::new(seed, now_ms());
        // INFO counts the bytes, reads and writes of the sockets, as Redis does.
        engine.set_host_counts_io(true);
        engine.set_script_runner(Box::new(playground_scripting::LuaRunner::default()));
        Shared {
            scripts: engine.script_control(),
            engine: Arc::new(Mutex::new(engine)),
            changed: Arc::new(Notify::new()),
            probes: Arc::new(Mutex::new(HashMap::new())),
            bells: Arc::new(Mutex::new(HashMap::new())),
            cluster: None,
        }
    }

    fn bells(&self) -> MutexGuard<'_, HashMap<u64, Arc<Notify>>> {
        self.bells.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ring the bell of every connection the engine queued pushes for since the last call
    /// (a permit is kept if its task is busy, so no push waits for the next command).
    fn ring_pushed(&self, engine: &mut Engine) {
        let pushed = engine.pushed_clients();
        if pushed.is_empty() {
            return;
        }
        let bells = self.bells();
        for id in pushed {
            if let Some(bell) = bells.get(&id) {
                bell.notify_one();
            }
        }
    }

    /// Encode the pushes waiting for `id` into `out` (waiting for the engine without holding a
    /// thread, as a long script may hold it).
    async fn take_pushes(&self, id: u64, out: &mut Vec<u8>) {
        let mut engine = self.lock_async().await;
        let proto = engine.protocol(id);
        for frame in engine.take_pushes(id) {
            frame.encode(proto, out);
        }
    }

    /// An engine answering as primary `me` of `layout`.
    pub fn cluster_node(seed: u64, layout: Arc<cluster::Layout>, me: usize) -> Shared {
        Shared { cluster: Some(cluster::Node { layout, me }), ..Shared::new(seed) }
    }

    /// The engine, even if a previous holder panicked (the engine never panics on input, but a
    /// poisoned lock must not take the whole server down).
    pub fn lock(&self) -> MutexGuard<'_, Engine> {
        self.engine.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The engine, waiting without holding a thread: a long script holds the engine, and the
    /// runtime's few threads must stay free to answer other clients BUSY meanwhile.
    pub async fn lock_async(&self) -> MutexGuard<'_, Engine> {
        loop {
            if let Some(guard) = self.try_lock() {
                return guard;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// Count `bytes` written in INFO now if the engine is free, else with the client's next
    /// batch (`pending`): waiting for it here, while a script holds it, would leave the client
    /// unable to read its next command (SCRIPT KILL) until the script ends.
    fn count_written(&self, pending: &mut (u64, u64, u64, u64), bytes: usize) {
        match self.try_lock() {
            Some(mut engine) => engine.count_io(0, 0, bytes as u64, 1),
            None => (pending.2, pending.3) = (pending.2 + bytes as u64, pending.3 + 1),
        }
    }

    /// The engine if nobody holds it.
    fn try_lock(&self) -> Option<MutexGuard<'_, Engine>> {
        match self.engine.try_lock() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    fn probes(&self) -> MutexGuard<'_, HashMap<u64, std::net::TcpStream>> {
        self.probes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forget every blocked client whose peer has hung up, before any command or retry can
    /// serve it.
    ///
    /// The engine serves waiters in the order they blocked, after any client's command (see
    /// `Engine::retry_blocked`), so it may serve a client whose task has not yet read the EOF
    /// waiting on its socket: the element would go to a closed connection. Redis's event loop
    /// frees such a client when it reads the EOF, which comes before a push sent after the
    /// hang-up; peeking each blocked client's socket here gives the same order whatever the
    /// scheduling of the tasks.
    fn drop_hung_up(&self, engine: &mut Engine) {
        // Nobody ever blocked (a benchmark): nothing to peek.
        if engine.server().next_block_seq == 0 {
            return;
        }
        let mut gone = Vec::new();
        for (id, probe) in self.probes().iter() {
            if !engine.is_blocked(*id) {
                continue;
            }
            match probe.peek(&mut [0u8; 1]) {
                Ok(0) => gone.push(*id),
                Err(e) if e.kind() != std::io::ErrorKind::WouldBlock => gone.push(*id),
                _ => {}
            }
        }
        for id in gone {
            engine.disconnect(id);
        }
    }
}

/// Run the server until the process is stopped.
pub async fn run(args: EmulateArgs) -> std::io::Result<()> {
    if args.cluster > 0 {
        return run_cluster(args).await;
    }
    let listener = TcpListener::bind(args.listen).await?;
    tracing::info!(
        "emulating Redis on {} (redis-cli -p {})",
        listener.local_addr()?,
        listener.local_addr()?.port()
    );
    let shared = Shared::new(args.seed);
    // A server process: SHUTDOWN ends it.
    shared.lock().set_can_exit();
    serve(listener, shared).await
}

/// `--cluster N`: N engines on consecutive ports, one primary each.
async fn run_cluster(args: EmulateArgs) -> std::io::Result<()> {
    let n = args.cluster as usize;
    let host = args.listen.ip().to_string();
    let layout = Arc::new(cluster::Layout::new(n, &host, args.listen.port(), args.seed));
    let mut tasks = Vec::with_capacity(n);
    for (i, m) in layout.members.iter().enumerate() {
        let listener = TcpListener::bind((args.listen.ip(), m.port)).await?;
        tracing::info!("cluster node {}/{n} on {host}:{} (slots {}-{})", i + 1, m.port, m.first, m.last);
        tasks.push(tokio::spawn(serve(listener, Shared::cluster_node(args.seed, layout.clone(), i))));
    }
    tracing::info!("emulating a Redis Cluster of {n} primaries (redis-cli -c -p {})", args.listen.port());
    for t in tasks {
        t.await.map_err(std::io::Error::other)??;
    }
    Ok(())
}

/// Accept connections on `listener` forever.
pub async fn serve(listener: TcpListener, shared: Shared) -> std::io::Result<()> {
    let expiry = shared.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_millis(100));
        loop {
            every.tick().await;
            let expired = {
                let mut engine = expiry.lock_async().await;
                let started = std::time::Instant::now();
                let expired = engine.tick(now_ms());
                engine.expire_cycle_took(started.elapsed().as_millis() as u64, now_ms());
                expiry.ring_pushed(&mut engine);
                expired
            };
            if expired > 0 {
                expiry.changed.notify_waiters();
            }
        }
    });
    // REPLICAOF host port: the link to that primary (a cluster node refuses REPLICAOF).
    if shared.cluster.is_none() {
        let port = listener.local_addr()?.port();
        tokio::spawn(follow::watch(shared.clone(), port));
    }
    listener::accept(listener, shared).await
}

/// Serve one client until it disconnects, sends QUIT, or breaks the protocol.
async fn connection(stream: TcpStream, shared: Shared) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    // A second handle on the same socket (non-blocking, like the first) to peek for a hang-up
    // while this task is busy elsewhere (`Shared::drop_hung_up`).
    let std_stream = stream.into_std()?;
    let probe = std_stream.try_clone()?;
    let mut stream = TcpStream::from_std(std_stream)?;
    // While a script holds the engine past busy-reply-threshold, a new client is admitted
    // without it and answered as Redis answers every client then (BUSY; SCRIPT KILL acts): it
    // is registered with the engine once the script is done.
    let mut conn = Conn::default();
    let admitted = loop {
        if let Some(mut engine) = shared.try_lock() {
            let server = engine.server();
            // Redis counts the clients already connected, so `maxclients N` admits N of them.
            break (server.clients.len() < server.config.maxclients as usize)
                .then(|| engine.connect(now_ms()));
        }
        if shared.scripts.busy(now_ms()) {
            if !conn.busy_turn(&mut stream, &shared).await? {
                return Ok(());
            }
            continue;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    };
    let Some(id) = admitted else {
        stream.write_all(b"-ERR max number of clients reached\r\n").await?;
        return Ok(());
    };
    shared.probes().insert(id, probe);
    let bell = Arc::new(Notify::new());
    shared.bells().insert(id, bell.clone());
    let result = serve_client(&mut stream, &shared, id, &bell, conn).await;
    // Closed at once, even if a script holds the engine that `disconnect` waits for.
    stream.shutdown().await.ok();
    shared.bells().remove(&id);
    shared.probes().remove(&id);
    shared.lock_async().await.disconnect(id);
    result
}

/// How much the input buffer asks for per read, and the capacity it falls back to once a large
/// command is done (as Redis shrinks an idle query buffer).
const READ_CHUNK: usize = 16 * 1024;
const IDLE_CAPACITY: usize = 1024 * 1024;

async fn serve_client(
    stream: &mut TcpStream,
    shared: &Shared,
    id: u64,
    bell: &Notify,
    conn: Conn,
) -> std::io::Result<()> {
    let Conn { mut input, mut parser, mut output, mut pending_io, mut busy } = conn;
    // Commands that came while the client waited to be registered run before anything is read.
    let mut ready = !input.is_empty();
    loop {
        input.reserve(READ_CHUNK);
        if !std::mem::take(&mut ready) {
            // Idle, the connection waits for a command or for pushes (a message another client
            // published), written as soon as they are queued.
            let read = tokio::select! {
                read = stream.read_buf(&mut input) => read?,
                () = bell.notified() => {
                    write_pushes(stream, shared, id, &mut output).await?;
                    continue;
                }
            };
            if read == 0 {
                return Ok(());
            }
            pending_io.0 += read as u64;
            pending_io.1 += 1;
        }
        let mut close = false;
        loop {
            // Run every complete command in the buffer under one lock.
            let mut blocked = false;
            // A script to run off the event loop (see `run_script`), and the batch after it.
            let mut script = None;
            let query_buffer_limit;
            // The engine's clock after the batch (DEBUG SLEEP moves it on).
            let clock_floor;
            {
                let mut engine = loop {
                    if let Some(engine) = shared.try_lock() {
                        break engine;
                    }
                    // A script has run past busy-reply-threshold: Redis answers BUSY (SCRIPT
                    // KILL and FUNCTION KILL act) to each complete command meanwhile.
                    if shared.scripts.busy(now_ms()) {
                        let open = busy_turn(
                            stream,
                            shared,
                            &mut input,
                            &mut parser,
                            &mut output,
                            &mut pending_io,
                            &mut busy,
                        );
                        if !open.await? {
                            return Ok(());
                        }
                        continue;
                    }
                    tokio::time::sleep(Duration::from_millis(1)).await;
                };
                let (r, reads, w, writes) = std::mem::take(&mut pending_io);
                engine.count_io(r, reads, w, writes);
                busy.apply(&mut engine, id);
                // A command in this batch may serve blocked clients (the engine does after each
                // command, as Redis does): forget the ones that hung up first.
                shared.drop_hung_up(&mut engine);
                // The limits are read per batch: CONFIG SET changes them for every client at once.
                let config = &engine.server().config;
                let limits = Limits {
                    max_bulk_len: usize::try_from(config.proto_max_bulk_len).unwrap_or(usize::MAX),
                    ..Limits::default()
                };
                query_buffer_limit = config.client_query_buffer_limit;
                // One clock reading per batch, as Redis caches its time per event-loop turn.
                let now = now_ms();
                // Pushes queued while this connection was busy go before the batch's replies.
                let proto = engine.protocol(id);
                for frame in engine.take_pushes(id) {
                    frame.encode(proto, &mut output);
                }
                loop {
                    match parser.parse(&input, &limits) {
                        Ok(Some((args, used))) => {
                            input.advance(used);
                            if args.is_empty() {
                                continue;
                            }
                            if let Some(node) = &shared.cluster {
                                if let Some(frame) = node.intercept(&mut engine, id, &args, now) {
                                    frame.encode(engine.protocol(id), &mut output);
                                    continue;
                                }
                            }
                            if is_script_call(&args) {
                                script = Some(args);
                                break;
                            }
                            let node = shared.cluster.as_ref();
                            let adjust = node.map(|_| args.clone());
                            match engine.execute_blocking(id, args, now) {
                                // SHUTDOWN: the process ends as Redis's does, no reply
                                // written, every connection closed.
                                Outcome::Reply(_) if engine.shutting_down() => {
                                    tracing::warn!("SHUTDOWN: exiting");
                                    std::process::exit(0)
                                }
                                Outcome::Reply(frame) => {
                                    let frame = match (node, adjust) {
                                        (Some(node), Some(args)) => node.adjust(&args, frame),
                                        _ => frame,
                                    };
                                    // The reply, then what the command pushed to this connection
                                    // (the other confirmations of `SUBSCRIBE a b`, messages to
                                    // itself), as Redis writes them.
                                    let proto = engine.protocol(id);
                                    if !engine.reply_suppressed(id) {
                                        frame.encode(proto, &mut output);
                                    }
                                    for frame in engine.take_pushes(id) {
                                        frame.encode(proto, &mut output);
                                    }
                                }
                                Outcome::Blocked { .. } => {
                                    blocked = true;
                                    break;
                                }
                            }
                            if engine.server().clients.get(&id).is_some_and(|c| c.closing) {
                                close = true;
                                break;
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            Frame::Error(e.0).encode(engine.protocol(id), &mut output);
                            close = true;
                            break;
                        }
                    }
                }
                shared.ring_pushed(&mut engine);
                busy.in_multi = engine.in_multi(id);
                busy.proto = engine.protocol(id);
                clock_floor = engine.server().clock_floor;
            }
            shared.changed.notify_waiters();
            // DEBUG SLEEP answers when the sleep is over, as Redis does.
            let asleep = clock_floor.saturating_sub(now_ms());
            if asleep > 0 {
                tokio::time::sleep(Duration::from_millis(asleep)).await;
            }
            if !output.is_empty() {
                stream.write_all(&output).await?;
                shared.count_written(&mut pending_io, output.len());
                output.clear();
            }
            if close {
                stream.shutdown().await.ok();
                return Ok(());
            }
            // What is left is an incomplete command: over `client-query-buffer-limit`, Redis
            // closes the client without a reply (and logs it).
            if input.len() as u64 > query_buffer_limit {
                tracing::warn!(
                    "closing client {id} that reached max query buffer length ({} bytes)",
                    input.len()
                );
                return Ok(());
            }
            if input.is_empty() && input.capacity() > IDLE_CAPACITY {
                input = BytesMut::with_capacity(READ_CHUNK);
            }
            if let Some(args) = script {
                // CLIENT PAUSE may hold the script: it then waits as a blocked command does.
                blocked = run_script(shared, id, args, &mut output).await?;
                if !output.is_empty() {
                    stream.write_all(&output).await?;
                    pending_io.2 += output.len() as u64;
                    pending_io.3 += 1;
                    output.clear();
                }
                if !blocked {
                    continue;
                }
            }
            if !blocked {
                break;
            }
            // Wait for another client's write or the deadline, then try the command again. The
            // socket is watched meanwhile: a client that hangs up while blocked must lose its
            // wait before anything is served to it, or the element it would have popped goes
            // to a closed socket and is lost (Redis frees the client, and unblocks it, as soon
            // as it reads the EOF). Bytes sent meanwhile are kept for after the reply, as
            // Redis keeps a blocked client's query buffer.
            let frame = loop {
                tokio::select! {
                    // Biased: a hang-up already seen wins over a push in the same wake-up.
                    biased;
                    read = stream.read_buf(&mut input) => {
                        if read? == 0 {
                            shared.lock_async().await.cancel_blocked(id);
                            return Ok(());
                        }
                    }
                    frame = wait_unblocked(shared, id) => break frame,
                    () = bell.notified() => write_pushes(stream, shared, id, &mut output).await?,
                }
            };
            let proto = shared.lock_async().await.protocol(id);
            frame.encode(proto, &mut output);
            shared.take_pushes(id, &mut output).await;
            stream.write_all(&output).await?;
            shared.count_written(&mut pending_io, output.len());
            output.clear();
        }
    }
}

/// A client's state outside the engine: its input, its parser, replies not yet written, bytes
/// and reads not yet counted in INFO, and what it did while a script kept the engine busy.
#[derive(Default)]
struct Conn {
    /// Only bytes that arrived: a bulk length announced in a header reserves nothing (a client
    /// announcing 2 GB and sending nothing costs a few bytes), and the parser resumes where it
    /// stopped, so a command read in many pieces is scanned once.
    input: BytesMut,
    parser: CommandParser,
    output: Vec<u8>,
    pending_io: (u64, u64, u64, u64),
    busy: Busy,
}

impl Conn {
    async fn busy_turn(&mut self, stream: &mut TcpStream, shared: &Shared) -> std::io::Result<bool> {
        let c = self;
        busy_turn(stream, shared, &mut c.input, &mut c.parser, &mut c.output, &mut c.pending_io, &mut c.busy)
            .await
    }
}

/// One turn while a script holds the engine past `busy-reply-threshold`: answer the next
/// complete command as Redis does then ([`Busy::reply`]), or read what else comes for up to
/// 1 ms (SCRIPT KILL may be on its way). False when the client hung up or sent QUIT.
async fn busy_turn(
    stream: &mut TcpStream,
    shared: &Shared,
    input: &mut BytesMut,
    parser: &mut CommandParser,
    output: &mut Vec<u8>,
    pending_io: &mut (u64, u64, u64, u64),
    busy: &mut Busy,
) -> std::io::Result<bool> {
    if let Ok(Some((args, used))) = parser.parse(input, &Limits::default()) {
        input.advance(used);
        if args.is_empty() {
            return Ok(true);
        }
        // QUIT is allowed too: OK, and the connection closes.
        let quit = args.len() == 1 && args[0].eq_ignore_ascii_case(b"quit");
        let reply = if quit { Frame::ok() } else { busy.reply(&shared.scripts, &args) };
        reply.encode(busy.proto, output);
        stream.write_all(output).await?;
        pending_io.2 += output.len() as u64;
        pending_io.3 += 1;
        output.clear();
        return Ok(!quit);
    }
    input.reserve(READ_CHUNK);
    tokio::select! {
        read = stream.read_buf(input) => {
            let read = read?;
            if read == 0 {
                return Ok(false);
            }
            pending_io.0 += read as u64;
            pending_io.1 += 1;
        }
        _ = tokio::time::sleep(Duration::from_millis(1)) => {}
    }
    Ok(true)
}

/// Write the pushes waiting for `id` (nothing if another path took them first).
async fn write_pushes(
    stream: &mut TcpStream,
    shared: &Shared,
    id: u64,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    shared.take_pushes(id, out).await;
    if !out.is_empty() {
        stream.write_all(out).await?;
        shared.lock_async().await.count_io(0, 0, out.len() as u64, 1);
        out.clear();
    }
    Ok(())
}

/// One client's commands while a script holds the engine past `busy-reply-threshold`, as
/// Redis's processCommand treats them: refused BUSY (which dooms a transaction in progress),
/// except MULTI (allowed), EXEC (the transaction is discarded: EXECABORT ... BUSY), SCRIPT
/// KILL, FUNCTION KILL, FUNCTION STATS and SHUTDOWN NOSAVE. What needs the engine is applied when it is free.
#[derive(Default)]
struct Busy {
    /// The client is in MULTI (as of its last command, or a MULTI sent while busy).
    in_multi: bool,
    /// Run MULTI when the engine is free.
    multi: bool,
    /// Its transaction got a BUSY rejection: EXEC must abort.
    flag: bool,
    /// Its transaction was aborted by EXEC while busy.
    discard: bool,
    /// Its protocol as of its last command (FUNCTION STATS is a map in RESP3).
    proto: playground_engine::Protocol,
}

impl Busy {
    fn reply(&mut self, scripts: &playground_engine::script::ScriptControl, args: &[bytes::Bytes]) -> Frame {
        let is = |i: usize, word: &str| args.get(i).is_some_and(|a| a.eq_ignore_ascii_case(word.as_bytes()));
        if is(0, "multi") && args.len() == 1 {
            if self.in_multi {
                return Frame::Error("ERR MULTI calls can not be nested".into());
            }
            (self.in_multi, self.multi) = (true, true);
            return Frame::ok();
        }
        // SHUTDOWN NOSAVE stops the server even then, as Redis's does (without NOSAVE it is
        // refused BUSY).
        let nosave = args.iter().skip(1).any(|a| a.eq_ignore_ascii_case(b"nosave"));
        let save =
            args.iter().skip(1).any(|a| a.eq_ignore_ascii_case(b"save") || a.eq_ignore_ascii_case(b"abort"));
        if is(0, "shutdown") && nosave && !save {
            tracing::warn!("SHUTDOWN NOSAVE while a script runs: exiting");
            std::process::exit(0);
        }
        let reply = scripts.busy_reply(args, now_ms());
        let busy = matches!(&reply, Frame::Error(e) if e.starts_with("BUSY"));
        if is(0, "exec") && args.len() == 1 && self.in_multi && busy {
            (self.in_multi, self.multi, self.flag, self.discard) = (false, false, false, !self.multi);
            let Frame::Error(e) = reply else { return reply };
            return Frame::Error(format!("EXECABORT Transaction discarded because of: {e}"));
        }
        if busy && self.in_multi {
            self.flag = true;
        }
        reply
    }

    /// Apply what happened while the engine was busy, now that this client holds it.
    fn apply(&mut self, engine: &mut Engine, id: u64) {
        if std::mem::take(&mut self.discard) {
            engine.execute(id, vec![bytes::Bytes::from_static(b"DISCARD")], now_ms());
        }
        if std::mem::take(&mut self.multi) {
            engine.execute(id, vec![bytes::Bytes::from_static(b"MULTI")], now_ms());
        }
        if std::mem::take(&mut self.flag) {
            engine.flag_transaction(id);
        }
        self.in_multi = engine.in_multi(id);
    }
}

/// EVAL, EVALSHA, FCALL and their `_RO` twins: commands that may run a long script.
fn is_script_call(args: &[bytes::Bytes]) -> bool {
    let name = &args[0];
    ["eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
}

/// Run a script on a thread of its own, holding the engine: the event loop stays free to
/// answer the other clients (BUSY once the script passes `busy-reply-threshold`, and SCRIPT
/// KILL, which the script's interrupt check sees), as Redis's loop does while a script runs.
/// True if CLIENT PAUSE holds the call instead (the caller waits as for a blocked command).
async fn run_script(
    shared: &Shared,
    id: u64,
    args: Vec<bytes::Bytes>,
    output: &mut Vec<u8>,
) -> std::io::Result<bool> {
    let owned = shared.clone();
    let reply = tokio::task::spawn_blocking(move || {
        let shared = owned;
        let mut engine = shared.lock();
        shared.drop_hung_up(&mut engine);
        let mut out = Vec::new();
        let Outcome::Reply(frame) = engine.execute_blocking(id, args, now_ms()) else { return None };
        // The reply, then what the script pushed to its caller's connection; others' bells.
        let proto = engine.protocol(id);
        if !engine.reply_suppressed(id) {
            frame.encode(proto, &mut out);
        }
        for frame in engine.take_pushes(id) {
            frame.encode(proto, &mut out);
        }
        shared.ring_pushed(&mut engine);
        // DEBUG SLEEP in the script moved the engine's clock on (`clock_floor`): Redis is busy
        // that long, and so is this thread, holding the engine, so that the clients' clocks
        // agree with the engine's afterwards (a key set with PX 1 just after must expire).
        let asleep = engine.server().clock_floor.saturating_sub(now_ms());
        if asleep > 0 {
            std::thread::sleep(Duration::from_millis(asleep));
        }
        Some(out)
    })
    .await
    .map_err(std::io::Error::other)?;
    let Some(reply) = reply else { return Ok(true) };
    output.extend_from_slice(&reply);
    // The script's writes may serve blocked clients.
    shared.changed.notify_waiters();
    Ok(false)
}

/// Retry a parked blocking command whenever keys may have changed (or every 50 ms, so that
/// deadlines are honoured) until it answers.
async fn wait_unblocked(shared: &Shared, id: u64) -> Frame {
    loop {
        let notified = shared.changed.notified();
        let served = {
            let mut engine = shared.lock_async().await;
            shared.drop_hung_up(&mut engine);
            let served = engine.retry_blocked(id, now_ms());
            shared.ring_pushed(&mut engine);
            served
        };
        if let Some(frame) = served {
            // This retry may have served clients that blocked earlier (the engine serves in
            // the order of blocking): wake them to collect their replies.
            shared.changed.notify_waiters();
            return frame;
        }
        let _ = tokio::time::timeout(Duration::from_millis(50), notified).await;
    }
}
