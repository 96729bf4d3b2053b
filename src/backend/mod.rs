//! Where console commands go: the engine in the page ([`LocalBackend`]) or a real Redis through
//! the WebSocket proxy ([`remote::RemoteBackend`]). The console only knows the [`Backend`]
//! trait, so the switch is one more implementation, not a rewrite.
//!
//! Submodules: [`stream`] reassembles reply frames from WebSocket messages, [`words`] says
//! what went wrong in plain words, [`info`] reads INFO text, [`scan`] lists keys of a real
//! server, [`diff`] compares the two backends' replies byte for byte, [`choice`] remembers
//! which backend the learner picked.
//!
//! Replies come back through a callback rather than a return value because a remote backend
//! answers asynchronously; the local one simply calls it at once.

pub mod choice;
pub mod cluster;
pub mod diff;
pub mod info;
pub mod remote;
pub mod scan;
pub mod stream;
pub mod words;

use crate::session::SessionHandle;
use bytes::Bytes;
use playground_engine::{Frame, Outcome, Protocol};
use std::rc::Rc;

/// A reply with its exact wire bytes (the compare mode diffs bytes, not a re-encoding).
pub type RawReply = Box<dyn FnOnce(Frame, Protocol, Vec<u8>)>;

/// A place that executes Redis commands.
pub trait Backend {
    /// Short label for the status bar.
    fn label(&self) -> &'static str;
    /// Send one command; `reply` is called with the reply frame and the protocol it was sent
    /// in (HELLO 3 answers in RESP3 already), at once or later.
    fn send(&self, args: Vec<Bytes>, reply: Box<dyn FnOnce(Frame, Protocol)>);
    /// The protocol this connection negotiated (HELLO), which decides how replies look.
    fn protocol(&self) -> Protocol;
    /// The prompt as redis-cli builds it: the selected database when it is not 0, and `(TX)`
    /// inside MULTI (`redis[2](TX)>`).
    fn prompt(&self) -> String;
    /// The in-page session, when the backend is the in-page engine (the key browser and the
    /// server panel read it directly; a remote backend would return `None`).
    fn session(&self) -> Option<SessionHandle>;
    /// Like [`Backend::send`], with the reply's bytes as they came off the wire. The in-page
    /// engine's bytes are its frame encoded for the connection's protocol.
    fn send_raw(&self, args: Vec<Bytes>, reply: RawReply) {
        self.send(
            args,
            Box::new(move |frame, proto| {
                let raw = frame.to_bytes(proto);
                reply(frame, proto, raw)
            }),
        );
    }
    /// A note in words under an error reply (a real server missing a command, failed auth).
    fn explain(&self, _error: &str) -> Option<String> {
        None
    }
    /// True for a real server (the key browser and server panel then ask it over the wire).
    fn is_remote(&self) -> bool {
        false
    }
    /// Which shard of a cluster serves this command's keys, in words (a real cluster through
    /// the proxy: the page's own cluster mode says it with redis-cli's redirect lines).
    fn shard_note(&self, _args: &[Bytes]) -> Option<String> {
        None
    }
    /// Lines the backend says about the command it just ran, shown under its reply (cluster
    /// mode's `-> Redirected to slot ...`): drained by the console after each reply.
    fn notes(&self) -> Option<Rc<std::cell::RefCell<Vec<String>>>> {
        None
    }
}

/// The note the console shows instead of a reply the server did not send (CLIENT REPLY OFF or
/// SKIP: Redis writes nothing back, and redis-cli prints nothing).
pub const NO_REPLY: &str = "no reply: CLIENT REPLY OFF (or SKIP) tells the server not to answer; CLIENT REPLY ON turns replies back on";

/// A command and its reply callback.
type Pending = (Vec<Bytes>, Box<dyn FnOnce(Frame, Protocol)>);

/// The engine in the page, at the virtual clock's time.
#[derive(Clone)]
pub struct LocalBackend {
    session: SessionHandle,
    notes: Rc<std::cell::RefCell<Vec<String>>>,
    /// While a lazily loaded part loads (the Lua module, `crate::lua`, or an engine chunk,
    /// `crate::families`): the commands sent meanwhile, run in order once it is in.
    held: Rc<std::cell::RefCell<Option<Vec<Pending>>>>,
}

impl LocalBackend {
    pub fn new(session: SessionHandle) -> LocalBackend {
        LocalBackend { session, notes: Rc::default(), held: Rc::default() }
    }

    /// Hold the command while what it needs loads (the Lua module, an engine chunk), and start
    /// loading it; the command back if it can run now.
    fn hold_for_modules(&self, pending: Pending) -> Option<Pending> {
        if let Some(held) = self.held.borrow_mut().as_mut() {
            held.push(pending);
            return None;
        }
        let group = crate::families::needed(&pending.0);
        let lua = crate::lua::needs_loading(&self.session, &pending.0);
        if group.is_none() && !lua {
            return Some(pending);
        }
        *self.held.borrow_mut() = Some(vec![pending]);
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let notes = crate::families::prepare(&me.session, group, lua).await;
            me.notes.borrow_mut().extend(notes);
            let held = me.held.borrow_mut().take().unwrap_or_default();
            for (args, reply) in held {
                me.run(args, reply);
            }
        });
        None
    }

    /// Run one command on the engine now.
    fn run(&self, args: Vec<Bytes>, reply: Box<dyn FnOnce(Frame, Protocol)>) {
        // A new line while a blocking command waits gives up the wait (Ctrl-C in redis-cli).
        let abandoned = self.session.update(|s| {
            s.engine.cancel_blocked(s.client);
            s.waiting.take()
        });
        if let Some(Some(previous)) = abandoned {
            previous(Frame::NullArray, self.protocol());
        }
        let notes = self.notes.clone();
        let answer = self.session.update(|s| {
            let now = s.clock.now();
            let routed = cluster::route(s, &args, now, &mut notes.borrow_mut());
            if let cluster::Routed::Reply(frame) = routed {
                return Some((frame, s.engine.protocol(s.client)));
            }
            let adjust = s.cluster.as_ref().map(|_| args.clone());
            let lang_note = words::language_note(&args);
            match s.engine.execute_blocking(s.client, args, now) {
                Outcome::Reply(frame) => {
                    let frame = match adjust {
                        Some(args) => cluster::adjust(s, &args, frame),
                        None => frame,
                    };
                    if s.engine.reply_suppressed(s.client) {
                        notes.borrow_mut().push(NO_REPLY.into());
                    }
                    notes.borrow_mut().extend(lang_note);
                    Some((frame, s.engine.protocol(s.client)))
                }
                Outcome::Blocked { .. } => None,
            }
        });
        match answer {
            Some(Some((frame, proto))) => reply(frame, proto),
            // BLPOP and friends wait on the virtual clock: the heartbeat answers them.
            Some(None) => {
                self.session.update(|s| s.waiting = Some(reply));
            }
            None => reply(Frame::Error("ERR the playground is busy, try again".into()), Protocol::Resp2),
        }
    }
}

impl Backend for LocalBackend {
    fn label(&self) -> &'static str {
        "engine in the browser"
    }

    fn send(&self, args: Vec<Bytes>, reply: Box<dyn FnOnce(Frame, Protocol)>) {
        if let Some((args, reply)) = self.hold_for_modules((args, reply)) {
            self.run(args, reply);
        }
    }

    fn protocol(&self) -> Protocol {
        self.session.read(|s| s.engine.protocol(s.client)).unwrap_or_default()
    }

    fn prompt(&self) -> String {
        let state = self.session.read(|s| {
            let client = s.engine.server().clients.get(&s.client);
            let (db, in_multi) =
                (client.map(|c| c.db).unwrap_or(0), client.is_some_and(|c| c.multi.is_some()));
            (cluster::address(s), db, in_multi)
        });
        match state {
            // redis-cli's prompt names the node it is connected to.
            Some((Some(address), _, in_multi)) => format!("{address}{}>", if in_multi { "(TX)" } else { "" }),
            Some((None, db, in_multi)) => prompt_text(db, in_multi),
            None => prompt_text(0, false),
        }
    }

    fn session(&self) -> Option<SessionHandle> {
        Some(self.session.clone())
    }

    fn notes(&self) -> Option<Rc<std::cell::RefCell<Vec<String>>>> {
        Some(self.notes.clone())
    }
}

/// `redis>`, `redis[3]>`, `redis(TX)>`, as redis-cli decorates its `host:port>` prompt.
pub fn prompt_text(db: usize, in_multi: bool) -> String {
    let db = if db == 0 { String::new() } else { format!("[{db}]") };
    let tx = if in_multi { "(TX)" } else { "" };
    format!("redis{db}{tx}>")
}

/// The backend as a context value: cheap to clone, compared by identity.
#[derive(Clone)]
pub struct BackendHandle(pub Rc<dyn Backend>);

impl PartialEq for BackendHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl BackendHandle {
    pub fn local(session: SessionHandle) -> BackendHandle {
        BackendHandle(Rc::new(LocalBackend::new(session)))
    }
}
