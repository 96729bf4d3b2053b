//! [`RemoteBackend`]: the console's commands sent to a real Redis through `playground-proxy
//! serve` over a browser WebSocket (binary messages carrying RESP, replies in order).
//!
//! Replies are matched to commands by order: a queue of pending callbacks, popped as frames
//! come out of the [`ReplyStream`]. The connection's protocol, database and MULTI state are
//! tracked from the commands that change them (HELLO, SELECT, MULTI/EXEC/DISCARD, RESET), so
//! the prompt and the reply formatting follow the real session. Nothing here panics: a dead
//! proxy, a closed socket or a silent server ends every pending command with an error in
//! words, and a timer makes sure nothing waits forever.

use super::stream::ReplyStream;
use super::words::{close_reason, explain_error};
use super::{prompt_text, Backend, RawReply};
use crate::session::SessionHandle;
use bytes::Bytes;
use gloo::timers::callback::Interval;
use playground_engine::cluster::slot::key_slot;
use playground_engine::cluster::topology::Topology;
use playground_engine::{Frame, Protocol};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

/// How long the WebSocket may take to open.
pub const CONNECT_TIMEOUT_MS: f64 = 5_000.0;
/// How long a command may wait for its reply (the proxy gives up on Redis after 10 s).
pub const REPLY_TIMEOUT_MS: f64 = 15_000.0;

/// The connection as the header shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ConnState {
    #[default]
    Connecting,
    Open,
    /// Closed or failed, with the reason in words.
    Closed(String),
}

/// What the backend switch draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Status {
    pub state: ConnState,
    pub version: Option<String>,
    /// Round trip of the last PING, in ms.
    pub rtt_ms: Option<f64>,
}

/// State a command changes when it succeeds.
enum Track {
    Nothing,
    Hello(Protocol),
    Select(usize),
    Multi,
    EndMulti,
    Reset,
}

impl Track {
    fn of(args: &[Bytes]) -> Track {
        let name = args.first().map(|a| a.to_ascii_lowercase()).unwrap_or_default();
        let arg = |i: usize| args.get(i).and_then(|a| std::str::from_utf8(a).ok()).map(str::trim);
        match name.as_slice() {
            b"hello" => match arg(1) {
                Some("3") => Track::Hello(Protocol::Resp3),
                Some("2") => Track::Hello(Protocol::Resp2),
                _ => Track::Nothing,
            },
            b"select" => arg(1).and_then(|n| n.parse().ok()).map_or(Track::Nothing, Track::Select),
            b"multi" => Track::Multi,
            b"exec" | b"discard" => Track::EndMulti,
            b"reset" => Track::Reset,
            _ => Track::Nothing,
        }
    }
}

struct Pending {
    reply: RawReply,
    sent_at: f64,
    track: Track,
}

struct Inner {
    url: String,
    ws: Option<WebSocket>,
    /// Which socket is current; events of older sockets are ignored.
    generation: u64,
    state: ConnState,
    opened_at: f64,
    stream: ReplyStream,
    pending: VecDeque<Pending>,
    /// Encoded commands waiting for the socket to open.
    outbox: Vec<Vec<u8>>,
    proto: Protocol,
    db: usize,
    in_multi: bool,
    version: Option<String>,
    /// A Redis Cluster's slot map (CLUSTER SHARDS), `None` for a single endpoint.
    topology: Option<Topology>,
    rtt_ms: Option<f64>,
    on_status: Option<Rc<dyn Fn(Status)>>,
    /// Event handlers of every socket opened (a handler must outlive its own invocation).
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Inner {
    fn status(&self) -> Status {
        Status { state: self.state.clone(), version: self.version.clone(), rtt_ms: self.rtt_ms }
    }
}

/// A real Redis through the proxy. Cheap to share; the socket opens on creation and reopens
/// on the next command after it closed.
pub struct RemoteBackend {
    inner: Rc<RefCell<Inner>>,
    _watchdog: Option<Interval>,
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

/// Callbacks to run once the state is no longer borrowed.
type Deferred = Vec<Box<dyn FnOnce()>>;

fn run_all(deferred: Deferred) {
    for f in deferred {
        f();
    }
}

impl RemoteBackend {
    /// Open a connection to the proxy's WebSocket `url` (e.g. `ws://127.0.0.1:7380/ws`).
    pub fn connect(url: &str) -> RemoteBackend {
        let inner = Rc::new(RefCell::new(Inner {
            url: url.to_string(),
            ws: None,
            generation: 0,
            state: ConnState::Connecting,
            opened_at: now_ms(),
            stream: ReplyStream::default(),
            pending: VecDeque::new(),
            outbox: Vec::new(),
            proto: Protocol::Resp2,
            db: 0,
            in_multi: false,
            version: None,
            topology: None,
            rtt_ms: None,
            on_status: None,
            handlers: Vec::new(),
        }));
        let weak = Rc::downgrade(&inner);
        let watchdog = Interval::new(500, move || {
            if let Some(inner) = weak.upgrade() {
                check_timeouts(&inner);
            }
        });
        open_socket(&inner);
        RemoteBackend { inner, _watchdog: Some(watchdog) }
    }

    pub fn url(&self) -> String {
        self.inner.borrow().url.clone()
    }

    pub fn status(&self) -> Status {
        self.inner.try_borrow().map(|i| i.status()).unwrap_or_default()
    }

    /// Be told of every status change (connected, closed, version, round trip).
    pub fn on_status(&self, f: impl Fn(Status) + 'static) {
        if let Ok(mut inner) = self.inner.try_borrow_mut() {
            inner.on_status = Some(Rc::new(f));
        }
    }

    /// Measure a round trip with PING (skipped inside MULTI, where it would be queued).
    pub fn ping(&self) {
        if self.inner.try_borrow().map(|i| i.in_multi || i.state != ConnState::Open).unwrap_or(true) {
            return;
        }
        let start = now_ms();
        let weak = Rc::downgrade(&self.inner);
        self.send_raw(
            vec![Bytes::from_static(b"PING")],
            Box::new(move |frame, _, _| {
                let Some(inner) = weak.upgrade() else { return };
                if !frame.is_error() {
                    if let Ok(mut i) = inner.try_borrow_mut() {
                        i.rtt_ms = Some(now_ms() - start);
                    }
                    notify(&inner);
                }
            }),
        );
    }

    /// Ask the server its version (`INFO server`), for the header.
    pub fn fetch_version(&self) {
        let weak = Rc::downgrade(&self.inner);
        self.send_raw(
            vec![Bytes::from_static(b"INFO"), Bytes::from_static(b"server")],
            Box::new(move |frame, _, _| {
                let Some(inner) = weak.upgrade() else { return };
                let text =
                    frame.as_bytes().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
                let version = super::info::parse_info(&text).version;
                if version.is_some() {
                    if let Ok(mut i) = inner.try_borrow_mut() {
                        i.version = version;
                    }
                    notify(&inner);
                }
            }),
        );
    }

    /// Ask for the cluster's slot map (CLUSTER SHARDS): the console then says which shard
    /// serves each command's keys. A single endpoint refuses it and stays without a map.
    pub fn fetch_topology(&self) {
        let weak = Rc::downgrade(&self.inner);
        self.send_raw(
            vec![Bytes::from_static(b"CLUSTER"), Bytes::from_static(b"SHARDS")],
            Box::new(move |frame, _, _| {
                let Some(inner) = weak.upgrade() else { return };
                let topology = Topology::from_shards(&frame, "?", false);
                if let Ok(mut i) = inner.try_borrow_mut() {
                    i.topology = topology;
                };
            }),
        );
    }

    /// Close the socket for good (switching back to the emulator).
    pub fn close(&self) {
        let deferred =
            fail_all(&self.inner, "the playground switched back to the in-browser emulator".into());
        run_all(deferred);
    }
}

impl Drop for RemoteBackend {
    fn drop(&mut self) {
        if let Ok(mut inner) = self.inner.try_borrow_mut() {
            inner.generation += 1;
            if let Some(ws) = inner.ws.take() {
                // The handlers are freed with `inner`: detach them first, or the close event
                // (which comes later) would call a dropped closure and throw in the page.
                ws.set_onopen(None);
                ws.set_onmessage(None);
                ws.set_onclose(None);
                let _ = ws.close();
            }
        }
    }
}

fn notify(inner: &Rc<RefCell<Inner>>) {
    let Ok(i) = inner.try_borrow() else { return };
    let (f, status) = (i.on_status.clone(), i.status());
    drop(i);
    if let Some(f) = f {
        f(status);
    }
}

/// Open a new socket (first connection, or the next command after a close).
fn open_socket(inner: &Rc<RefCell<Inner>>) {
    let Ok(mut i) = inner.try_borrow_mut() else { return };
    i.generation += 1;
    let generation = i.generation;
    i.state = ConnState::Connecting;
    i.opened_at = now_ms();
    i.stream.clear();
    i.proto = Protocol::Resp2;
    i.db = 0;
    i.in_multi = false;
    let url = i.url.clone();
    // No subprotocol offered: the proxy accepts a plain upgrade, and `trunk serve`'s `/ws`
    // forwarding does not relay subprotocols (the browser would fail the handshake).
    let ws = match WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(e) => {
            let why =
                e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())));
            i.state = ConnState::Closed(format!(
                "{url} is not a WebSocket address the browser accepts ({}); use ws://host:port/ws",
                why.unwrap_or_else(|| "invalid URL".into())
            ));
            return;
        }
    };
    ws.set_binary_type(BinaryType::Arraybuffer);
    let weak = Rc::downgrade(inner);
    let on_open = handler(&weak, generation, |inner, _| {
        let (outbox, ws) = {
            let Ok(mut i) = inner.try_borrow_mut() else { return };
            i.state = ConnState::Open;
            (std::mem::take(&mut i.outbox), i.ws.clone())
        };
        if let Some(ws) = ws {
            for message in outbox {
                let _ = ws.send_with_u8_array(&message);
            }
        }
        notify(inner);
    });
    let on_message = handler(&weak, generation, |inner, event| {
        let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
        let data = event.data();
        let bytes = if let Some(text) = data.as_string() {
            text.into_bytes()
        } else {
            js_sys::Uint8Array::new(&data).to_vec()
        };
        on_bytes(inner, &bytes);
    });
    let on_close = handler(&weak, generation, |inner, event| {
        let (code, reason) =
            event.dyn_ref::<CloseEvent>().map(|c| (c.code(), c.reason())).unwrap_or((1006, String::new()));
        let why = {
            let Ok(i) = inner.try_borrow() else { return };
            close_reason(&i.url, code, &reason, i.state == ConnState::Open)
        };
        run_all(fail_all(inner, why));
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    i.handlers.extend([on_open, on_message, on_close]);
    i.ws = Some(ws);
}

/// A socket event handler that ignores events of replaced sockets.
fn handler(
    weak: &Weak<RefCell<Inner>>,
    generation: u64,
    f: impl Fn(&Rc<RefCell<Inner>>, JsValue) + 'static,
) -> Closure<dyn FnMut(JsValue)> {
    let weak = weak.clone();
    Closure::new(move |event: JsValue| {
        let Some(inner) = weak.upgrade() else { return };
        let current = inner.try_borrow().map(|i| i.generation == generation).unwrap_or(false);
        if current {
            f(&inner, event);
        }
    })
}

/// Bytes arrived: hand each complete frame to the oldest pending command.
fn on_bytes(inner: &Rc<RefCell<Inner>>, bytes: &[u8]) {
    let mut deferred: Deferred = Vec::new();
    {
        let Ok(mut i) = inner.try_borrow_mut() else { return };
        let frames = match i.stream.push(bytes) {
            Ok(frames) => frames,
            Err(e) => {
                drop(i);
                run_all(fail_all(inner, format!("the proxy sent a malformed reply ({e})")));
                return;
            }
        };
        for (frame, raw) in frames {
            let Some(pending) = i.pending.pop_front() else { continue };
            let ok = !frame.is_error();
            match pending.track {
                Track::Hello(p) if ok => i.proto = p,
                Track::Select(db) if frame == Frame::Simple("OK".into()) => i.db = db,
                Track::Multi if ok => i.in_multi = true,
                Track::EndMulti => i.in_multi = false,
                Track::Reset if ok => {
                    i.proto = Protocol::Resp2;
                    i.db = 0;
                    i.in_multi = false;
                }
                _ => {}
            }
            // A failed EXEC (EXECABORT) also ends the transaction; so does any reply to EXEC.
            let proto = i.proto;
            deferred.push(Box::new(move || (pending.reply)(frame, proto, raw)));
        }
    }
    run_all(deferred);
}

/// Close the socket and end every pending command with `why`.
fn fail_all(inner: &Rc<RefCell<Inner>>, why: String) -> Deferred {
    let mut deferred: Deferred = Vec::new();
    {
        let Ok(mut i) = inner.try_borrow_mut() else { return deferred };
        i.generation += 1;
        if let Some(ws) = i.ws.take() {
            let _ = ws.close();
        }
        i.state = ConnState::Closed(why.clone());
        i.outbox.clear();
        i.stream.clear();
        i.in_multi = false;
        let proto = i.proto;
        for pending in i.pending.drain(..) {
            let frame = Frame::Error(format!("ERR {why}"));
            let raw = frame.to_bytes(proto);
            deferred.push(Box::new(move || (pending.reply)(frame, proto, raw)));
        }
    }
    let inner = inner.clone();
    deferred.push(Box::new(move || notify(&inner)));
    deferred
}

fn check_timeouts(inner: &Rc<RefCell<Inner>>) {
    let now = now_ms();
    let why = {
        let Ok(i) = inner.try_borrow() else { return };
        let url = i.url.clone();
        match &i.state {
            ConnState::Connecting if now - i.opened_at > CONNECT_TIMEOUT_MS => Some(format!(
                "the proxy at {url} did not accept the connection within {} s",
                CONNECT_TIMEOUT_MS / 1_000.0
            )),
            ConnState::Open if i.pending.front().is_some_and(|p| now - p.sent_at > REPLY_TIMEOUT_MS) => {
                Some(format!(
                    "no reply from the proxy at {url} within {} s; the connection was closed",
                    REPLY_TIMEOUT_MS / 1_000.0
                ))
            }
            _ => None,
        }
    };
    if let Some(why) = why {
        run_all(fail_all(inner, why));
    }
}

impl Backend for RemoteBackend {
    fn label(&self) -> &'static str {
        "real Redis via proxy"
    }

    fn send(&self, args: Vec<Bytes>, reply: Box<dyn FnOnce(Frame, Protocol)>) {
        self.send_raw(args, Box::new(move |frame, proto, _| reply(frame, proto)));
    }

    fn send_raw(&self, args: Vec<Bytes>, reply: RawReply) {
        let closed =
            self.inner.try_borrow().map(|i| matches!(i.state, ConnState::Closed(_))).unwrap_or(false);
        if closed {
            // The next command after a close reconnects.
            open_socket(&self.inner);
            notify(&self.inner);
        }
        let mut message = Vec::new();
        playground_engine::resp::encode_command(&args, &mut message);
        let failed = {
            let Ok(mut i) = self.inner.try_borrow_mut() else {
                return reply(
                    Frame::Error("ERR the playground is busy, try again".into()),
                    Protocol::Resp2,
                    vec![],
                );
            };
            match (&i.state, i.ws.clone()) {
                (ConnState::Closed(why), _) => Some((why.clone(), i.proto)),
                (ConnState::Open, Some(ws)) => match ws.send_with_u8_array(&message) {
                    Ok(()) => {
                        i.pending.push_back(Pending { reply, sent_at: now_ms(), track: Track::of(&args) });
                        return;
                    }
                    Err(_) => Some(("the WebSocket refused to send".to_string(), i.proto)),
                },
                _ => {
                    i.outbox.push(message);
                    i.pending.push_back(Pending { reply, sent_at: now_ms(), track: Track::of(&args) });
                    return;
                }
            }
        };
        if let Some((why, proto)) = failed {
            let frame = Frame::Error(format!("ERR {why}"));
            let raw = frame.to_bytes(proto);
            reply(frame, proto, raw);
        }
    }

    fn protocol(&self) -> Protocol {
        self.inner.try_borrow().map(|i| i.proto).unwrap_or_default()
    }

    fn prompt(&self) -> String {
        let (db, multi) = self.inner.try_borrow().map(|i| (i.db, i.in_multi)).unwrap_or((0, false));
        prompt_text(db, multi)
    }

    fn session(&self) -> Option<SessionHandle> {
        None
    }

    fn explain(&self, error: &str) -> Option<String> {
        explain_error(error)
    }

    fn shard_note(&self, args: &[Bytes]) -> Option<String> {
        let inner = self.inner.try_borrow().ok()?;
        shard_note(inner.topology.as_ref()?, args)
    }

    fn is_remote(&self) -> bool {
        true
    }
}

/// Which shard of a cluster serves a command's keys, in words (`slot 12182 on 10.0.0.7:8502`).
pub fn shard_note(topology: &Topology, args: &[Bytes]) -> Option<String> {
    let keys = playground_engine::cluster::command_keys(args);
    let slot = key_slot(keys.first()?);
    if keys.iter().any(|k| key_slot(k) != slot) {
        return Some(
            "cluster: these keys hash to different slots, so no single shard can run the command".into(),
        );
    }
    let shard = topology.shards.get(topology.shard_of(slot))?;
    Some(format!("cluster: slot {slot}, served by the shard at {}", shard.addr()))
}

impl RemoteBackend {
    /// The cluster's slot map, if the server is a cluster.
    pub fn topology(&self) -> Option<Topology> {
        self.inner.try_borrow().ok()?.topology.clone()
    }

    /// The database the session selected (the monitor connection mirrors it).
    pub fn db(&self) -> usize {
        self.inner.try_borrow().map(|i| i.db).unwrap_or(0)
    }
}

/// A remote backend as a prop or context value, compared by identity.
#[derive(Clone)]
pub struct RemoteHandle(pub Rc<RemoteBackend>);

impl PartialEq for RemoteHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What [`send_all`] calls once every reply is in.
type Finish = Box<dyn FnOnce(Vec<Frame>)>;

/// Send several commands pipelined; `done` gets their replies in order.
pub fn send_all(backend: &dyn Backend, commands: Vec<Vec<Bytes>>, done: impl FnOnce(Vec<Frame>) + 'static) {
    let total = commands.len();
    let replies: Rc<RefCell<Vec<Option<Frame>>>> = Rc::new(RefCell::new(vec![None; total]));
    let done: Rc<RefCell<Option<Finish>>> = Rc::new(RefCell::new(Some(Box::new(done))));
    if total == 0 {
        if let Some(f) = done.borrow_mut().take() {
            f(Vec::new());
        }
        return;
    }
    for (index, args) in commands.into_iter().enumerate() {
        let (replies, done) = (replies.clone(), done.clone());
        backend.send(
            args,
            Box::new(move |frame, _| {
                let complete = {
                    let Ok(mut r) = replies.try_borrow_mut() else { return };
                    if let Some(slot) = r.get_mut(index) {
                        *slot = Some(frame);
                    }
                    r.iter().all(Option::is_some)
                };
                if complete {
                    let frames: Vec<Frame> = replies.borrow_mut().drain(..).flatten().collect();
                    let f = done.borrow_mut().take();
                    if let Some(f) = f {
                        f(frames);
                    }
                }
            }),
        );
    }
}

impl RemoteBackend {
    /// True while closed; the panels poll less eagerly then (each poll would reopen the
    /// socket and the browser logs every refused connection).
    pub fn is_closed(&self) -> bool {
        matches!(self.status().state, ConnState::Closed(_))
    }

    /// Send one command and get its reply frame (for the panels).
    pub fn send_ref(&self, args: Vec<Bytes>, reply: impl FnOnce(Frame) + 'static) {
        self.send(args, Box::new(move |frame, _| reply(frame)));
    }
}
