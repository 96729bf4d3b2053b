//! The console's logic, free of the DOM so it runs in native unit tests: argument splitting
//! (the engine's `sdssplitargs`), reply formatting (`format`), help/hints/completion (`help`),
//! history (`history`), and [`run_line`], which turns one typed line into a console entry.

pub mod format;
pub mod help;
pub mod history;

use crate::backend::Backend;
use bytes::Bytes;
use playground_engine::{Frame, Protocol};

/// How a reply is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// As redis-cli prints it (decoded text).
    #[default]
    Text,
    /// The RESP bytes on the wire (what `decode_responses=False` hands you, before decoding).
    Bytes,
}

/// One command and its reply in the console's scrollback.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleEntry {
    /// The line as typed.
    pub input: String,
    /// The reply as redis-cli prints it.
    pub text: String,
    /// The reply as RESP wire bytes (escaped); empty for console-only lines (help, errors of
    /// the line itself).
    pub wire: String,
    /// Float arrays for vector blobs in the reply.
    pub notes: Vec<String>,
    pub is_error: bool,
}

/// What one typed line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum LineOutcome {
    /// Nothing to do (blank line).
    Nothing,
    /// Clear the scrollback.
    Clear,
    /// Show this entry.
    Entry(ConsoleEntry),
}

/// Run one line: console commands (`help`, `clear`) locally, everything else on the backend.
/// `done` receives the outcome (at once for the in-page engine, later for a remote backend).
pub fn run_line(line: &str, backend: &dyn Backend, done: impl FnOnce(LineOutcome) + 'static) {
    let Some(args) = playground_engine::resp::split_args(line.as_bytes()) else {
        // redis-cli's own message for unbalanced quotes.
        return done(LineOutcome::Entry(local(line, "Invalid argument(s)", true)));
    };
    let Some(first) = args.first() else { return done(LineOutcome::Nothing) };
    let name = String::from_utf8_lossy(first).to_ascii_lowercase();
    match name.as_str() {
        "help" | "?" => return done(LineOutcome::Entry(local(line, &help::help(&args[1..]), false))),
        "clear" if args.len() == 1 => return done(LineOutcome::Clear),
        _ => {}
    }
    let raw = format::prints_raw(&args);
    let args: Vec<Bytes> = args.into_iter().map(Bytes::from).collect();
    let input = line.to_string();
    backend.send(
        args,
        Box::new(move |reply, proto| done(LineOutcome::Entry(entry_for(input, &reply, proto, raw)))),
    );
}

/// A console entry for a reply.
pub fn entry_for(input: String, reply: &Frame, proto: Protocol, raw: bool) -> ConsoleEntry {
    let seen = format::as_client_sees(reply, proto);
    let text = if raw && !seen.is_error() { format::format_raw(&seen) } else { format::format_reply(&seen) };
    ConsoleEntry {
        input,
        text,
        wire: format::format_wire(reply, proto),
        notes: format::vectors_in(&seen).iter().map(|v| format::format_vector(v)).collect(),
        is_error: seen.is_error(),
    }
}

fn local(line: &str, text: &str, is_error: bool) -> ConsoleEntry {
    ConsoleEntry {
        input: line.to_string(),
        text: text.to_string(),
        wire: String::new(),
        notes: vec![],
        is_error,
    }
}
