//! `playground-proxy emulate`: the engine behind a RESP/TCP port.
//!
//! One engine is shared by every connection behind a mutex: Redis runs commands one at a time
//! too, so this keeps its semantics (atomic commands, MULTI/EXEC, WATCH across clients). Each
//! connection parses every complete command in its read buffer, runs the batch under one lock
//! and writes all replies in one write, so pipelining (`redis-benchmark -P 16`) costs one lock
//! and one syscall per batch. Blocking commands (BLPOP, ...) park the connection until another
//! client writes or the deadline passes. Time is the system clock; a background task runs
//! active expiry every 100 ms.

use bytes::{Buf, BytesMut};
use playground_engine::resp::{parse_command, Limits};
use playground_engine::{Engine, Frame, Outcome};
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
}

/// Milliseconds on the system clock: the emulator's `now`.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The engine shared by all connections, and a signal that keys may have changed.
#[derive(Clone)]
pub struct Shared {
    engine: Arc<Mutex<Engine>>,
    changed: Arc<Notify>,
}

impl Shared {
    pub fn new(seed: u64) -> Shared {
        let mut engine = Engine::new(seed, now_ms());
        // INFO counts the bytes, reads and writes of the sockets, as Redis does.
        engine.set_host_counts_io(true);
        Shared { engine: Arc::new(Mutex::new(engine)), changed: Arc::new(Notify::new()) }
    }

    /// The engine, even if a previous holder panicked (the engine never panics on input, but a
    /// poisoned lock must not take the whole server down).
    pub fn lock(&self) -> MutexGuard<'_, Engine> {
        self.engine.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Run the server until the process is stopped.
pub async fn run(args: EmulateArgs) -> std::io::Result<()> {
    let listener = TcpListener::bind(args.listen).await?;
    tracing::info!(
        "emulating Redis on {} (redis-cli -p {})",
        listener.local_addr()?,
        listener.local_addr()?.port()
    );
    serve(listener, Shared::new(args.seed)).await
}

/// Accept connections on `listener` forever.
pub async fn serve(listener: TcpListener, shared: Shared) -> std::io::Result<()> {
    let expiry = shared.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_millis(100));
        loop {
            every.tick().await;
            let expired = expiry.lock().tick(now_ms());
            if expired > 0 {
                expiry.changed.notify_waiters();
            }
        }
    });
    loop {
        let (stream, peer) = listener.accept().await?;
        let shared = shared.clone();
        tokio::spawn(async move {
            if let Err(e) = connection(stream, shared).await {
                tracing::debug!("connection {peer} ended: {e}");
            }
        });
    }
}

/// Serve one client until it disconnects, sends QUIT, or breaks the protocol.
async fn connection(mut stream: TcpStream, shared: Shared) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let id = shared.lock().connect(now_ms());
    let result = serve_client(&mut stream, &shared, id).await;
    shared.lock().disconnect(id);
    result
}

async fn serve_client(stream: &mut TcpStream, shared: &Shared, id: u64) -> std::io::Result<()> {
    let limits = Limits::default();
    let mut input = BytesMut::with_capacity(16 * 1024);
    let mut output = Vec::with_capacity(16 * 1024);
    loop {
        let read = stream.read_buf(&mut input).await?;
        if read == 0 {
            return Ok(());
        }
        shared.lock().count_io(read as u64, 1, 0, 0);
        let mut close = false;
        loop {
            // Run every complete command in the buffer under one lock.
            let mut blocked = false;
            {
                let mut engine = shared.lock();
                // One clock reading per batch, as Redis caches its time per event-loop turn.
                let now = now_ms();
                loop {
                    match parse_command(&input, &limits) {
                        Ok(Some((args, used))) => {
                            input.advance(used);
                            if args.is_empty() {
                                continue;
                            }
                            match engine.execute_blocking(id, args, now) {
                                Outcome::Reply(frame) => frame.encode(engine.protocol(id), &mut output),
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
            }
            shared.changed.notify_waiters();
            if !output.is_empty() {
                stream.write_all(&output).await?;
                shared.lock().count_io(0, 0, output.len() as u64, 1);
                output.clear();
            }
            if close {
                stream.shutdown().await.ok();
                return Ok(());
            }
            if !blocked {
                break;
            }
            // Wait for another client's write or the deadline, then try the command again.
            let frame = wait_unblocked(shared, id).await;
            let proto = shared.lock().protocol(id);
            frame.encode(proto, &mut output);
            stream.write_all(&output).await?;
            shared.lock().count_io(0, 0, output.len() as u64, 1);
            output.clear();
        }
    }
}

/// Retry a parked blocking command whenever keys may have changed (or every 50 ms, so that
/// deadlines are honoured) until it answers.
async fn wait_unblocked(shared: &Shared, id: u64) -> Frame {
    loop {
        let notified = shared.changed.notified();
        if let Some(frame) = shared.lock().retry_blocked(id, now_ms()) {
            return frame;
        }
        let _ = tokio::time::timeout(Duration::from_millis(50), notified).await;
    }
}
