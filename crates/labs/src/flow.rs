//! Sans-I/O flows: a step emits commands, is resumed with their replies.

use bytes::Bytes;
use playground_engine::{Engine, Frame};
use std::rc::Rc;

/// One Redis command: name and arguments as byte strings.
pub type Command = Vec<Bytes>;

/// Build a command from anything byte-like.
pub fn command<I, B>(parts: I) -> Command
where
    I: IntoIterator<Item = B>,
    B: AsRef<[u8]>,
{
    parts.into_iter().map(|p| Bytes::copy_from_slice(p.as_ref())).collect()
}

/// Show a command as a learner would type it in redis-cli (binary arguments hex-escaped).
pub fn display_command(cmd: &Command) -> String {
    cmd.iter()
        .map(|arg| {
            let printable = arg.iter().all(|b| b.is_ascii_graphic());
            if printable && !arg.is_empty() {
                String::from_utf8_lossy(arg).into_owned()
            } else if arg.len() > 24 {
                format!("<{} bytes>", arg.len())
            } else {
                let mut s = String::from("\"");
                for &b in arg.iter() {
                    match b {
                        b'"' => s.push_str("\\\""),
                        b'\\' => s.push_str("\\\\"),
                        0x20..=0x7e => s.push(b as char),
                        _ => s.push_str(&format!("\\x{b:02x}")),
                    }
                }
                s.push('"');
                s
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a flow wants next.
#[derive(Debug)]
pub enum Step<T> {
    /// Send these commands (as a pipeline) and resume with their replies, in order.
    Send(Vec<Command>),
    /// Finished with this result.
    Done(T),
}

/// A lab step driven by replies.
pub trait Flow {
    /// What the flow produces when done.
    type Output;
    /// The first commands to send (or an immediate result).
    fn start(&mut self) -> Step<Self::Output>;
    /// Continue with the replies to the commands last sent.
    fn resume(&mut self, replies: Vec<Frame>) -> Step<Self::Output>;
}

/// What answers a flow's commands at once, at a virtual time: the engine itself, or the page's
/// engine reached from the lazily loaded labs module (which holds no engine of its own).
pub trait Executor {
    /// Run active expiry up to `now` (what the engine's clock does between requests).
    fn tick(&mut self, now: u64);
    /// One command on `client`'s connection at `now`.
    fn execute(&mut self, client: u64, cmd: Command, now: u64) -> Frame;
}

impl Executor for Engine {
    fn tick(&mut self, now: u64) {
        Engine::tick(self, now);
    }

    fn execute(&mut self, client: u64, cmd: Command, now: u64) -> Frame {
        Engine::execute(self, client, cmd, now)
    }
}

/// Run a flow to completion against an executor that answers at once, at virtual time `now`.
/// Returns the output and every (command, reply) exchanged, for the lab's command log.
pub fn run_on_engine<F: Flow>(
    flow: &mut F,
    engine: &mut impl Executor,
    client: u64,
    now: u64,
) -> (F::Output, Vec<(Command, Frame)>) {
    let mut log = Vec::new();
    let mut step = flow.start();
    loop {
        match step {
            Step::Done(out) => return (out, log),
            Step::Send(cmds) => {
                let mut replies = Vec::with_capacity(cmds.len());
                for cmd in cmds {
                    let reply = engine.execute(client, cmd.clone(), now);
                    replies.push(reply.clone());
                    log.push((cmd, reply));
                }
                step = flow.resume(replies);
            }
        }
    }
}

/// One exchange of a flow: the command and the reply it got.
pub type Exchange = (Command, Frame);

/// Sends a pipeline of commands and calls back with their replies in order, now or later.
/// The page implements it over the in-page engine (at once) and over the proxy's WebSocket
/// (when the replies arrive), so one driver serves both.
pub type Sender = Rc<dyn Fn(Vec<Command>, Box<dyn FnOnce(Vec<Frame>)>)>;

/// Drive a flow to completion through `send`, resuming it as each pipeline's replies arrive;
/// `done` gets the output and every exchange. A sender that answers with fewer replies than
/// commands (a dropped connection) resumes the flow with what it got, padded with errors,
/// so a flow always finishes.
pub fn drive<F>(mut flow: F, send: Sender, done: impl FnOnce(F::Output, Vec<Exchange>) + 'static)
where
    F: Flow + 'static,
{
    let step = flow.start();
    advance(flow, step, send, Vec::new(), Box::new(done));
}

type Done<F> = Box<dyn FnOnce(<F as Flow>::Output, Vec<Exchange>)>;

fn advance<F: Flow + 'static>(
    mut flow: F,
    step: Step<F::Output>,
    send: Sender,
    log: Vec<Exchange>,
    done: Done<F>,
) {
    match step {
        Step::Done(out) => done(out, log),
        Step::Send(cmds) => {
            let sent = cmds.clone();
            let next = send.clone();
            send(
                cmds,
                Box::new(move |mut replies| {
                    let mut log = log;
                    replies.resize_with(sent.len(), || Frame::Error("ERR no reply (connection lost)".into()));
                    log.extend(sent.into_iter().zip(replies.iter().cloned()));
                    let step = flow.resume(replies);
                    advance(flow, step, next, log, done);
                }),
            );
        }
    }
}

/// A fixed pipeline as a flow: send the commands, finish with their replies (loading a starter
/// set, clearing a lab's keys).
pub struct Pipeline(Option<Vec<Command>>);

impl Pipeline {
    pub fn new(commands: Vec<Command>) -> Pipeline {
        Pipeline(Some(commands))
    }
}

impl Flow for Pipeline {
    type Output = Vec<Frame>;

    fn start(&mut self) -> Step<Vec<Frame>> {
        match self.0.take() {
            Some(cmds) if !cmds.is_empty() => Step::Send(cmds),
            _ => Step::Done(Vec::new()),
        }
    }

    fn resume(&mut self, replies: Vec<Frame>) -> Step<Vec<Frame>> {
        Step::Done(replies)
    }
}
