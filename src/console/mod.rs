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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// The prompt shown when the line was typed (`redis>`, `redis(TX)>`).
    pub prompt: String,
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
    let prompt = backend.prompt();
    let Some(args) = playground_engine::resp::split_args(line.as_bytes()) else {
        // redis-cli's own message for unbalanced quotes.
        return done(LineOutcome::Entry(local(prompt, line, "Invalid argument(s)", true)));
    };
    let Some(first) = args.first() else { return done(LineOutcome::Nothing) };
    let name = String::from_utf8_lossy(first).to_ascii_lowercase();
    match name.as_str() {
        "help" | "?" => return done(LineOutcome::Entry(local(prompt, line, &help::help(&args[1..]), false))),
        "clear" if args.len() == 1 => return done(LineOutcome::Clear),
        _ => {}
    }
    let raw = format::prints_raw(&args);
    let args: Vec<Bytes> = args.into_iter().map(Bytes::from).collect();
    let input = line.to_string();
    backend.send(
        args,
        Box::new(move |reply, proto| done(LineOutcome::Entry(entry_for(prompt, input, &reply, proto, raw)))),
    );
}

/// Longest reply text kept in the scrollback: `KEYS *` on a big keyspace should not freeze the
/// page drawing megabytes of text.
pub const MAX_REPLY_CHARS: usize = 100_000;

/// A console entry for a reply.
pub fn entry_for(prompt: String, input: String, reply: &Frame, proto: Protocol, raw: bool) -> ConsoleEntry {
    let seen = format::as_client_sees(reply, proto);
    let text = if raw && !seen.is_error() { format::format_raw(&seen) } else { format::format_reply(&seen) };
    ConsoleEntry {
        prompt,
        input,
        text: truncate(text),
        wire: truncate(format::format_wire(reply, proto)),
        notes: format::vectors_in(&seen).iter().map(|v| format::format_vector(v)).collect(),
        is_error: seen.is_error(),
    }
}

fn local(prompt: String, line: &str, text: &str, is_error: bool) -> ConsoleEntry {
    ConsoleEntry {
        prompt,
        input: line.to_string(),
        text: text.to_string(),
        wire: String::new(),
        notes: vec![],
        is_error,
    }
}

fn truncate(mut text: String) -> String {
    if text.len() > MAX_REPLY_CHARS {
        let mut cut = MAX_REPLY_CHARS;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let total = text.len();
        text.truncate(cut);
        text.push_str(&format!("\n… (reply cut at {cut} of {total} characters in the console)"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Session, SessionHandle};
    use std::cell::RefCell;
    use std::rc::Rc;

    fn run(backend: &dyn Backend, line: &str) -> LineOutcome {
        let out = Rc::new(RefCell::new(LineOutcome::Nothing));
        let sink = out.clone();
        run_line(line, backend, move |o| *sink.borrow_mut() = o);
        let result = out.borrow().clone();
        result
    }

    fn text(outcome: LineOutcome) -> String {
        match outcome {
            LineOutcome::Entry(e) => e.text,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn lines_run_on_the_backend_and_print_like_redis_cli() {
        let backend = crate::backend::LocalBackend::new(SessionHandle::new(Session::new(0)));
        assert_eq!(text(run(&backend, "PING")), "PONG");
        assert_eq!(text(run(&backend, "SET 'a b' \"x\\ny\"")), "OK");
        assert_eq!(text(run(&backend, "GET \"a b\"")), "\"x\\ny\"");
        assert_eq!(text(run(&backend, "GET missing")), "(nil)");
        assert_eq!(text(run(&backend, "EXISTS 'a b' missing")), "(integer) 1");
        assert_eq!(text(run(&backend, "GET \"open")), "Invalid argument(s)");
        assert_eq!(run(&backend, "   "), LineOutcome::Nothing);
        assert_eq!(run(&backend, "clear"), LineOutcome::Clear);
        assert!(text(run(&backend, "help get")).contains("GET key"));
        let LineOutcome::Entry(e) = run(&backend, "GET nope") else { panic!("entry") };
        assert_eq!(e.wire, "$-1\\r\\n");
        assert_eq!(text(run(&backend, "MULTI")), "OK");
        let LineOutcome::Entry(e) = run(&backend, "PING") else { panic!("entry") };
        assert_eq!((e.prompt.as_str(), e.text.as_str()), ("redis(TX)>", "QUEUED"));
        assert_eq!(text(run(&backend, "EXEC")), "1) PONG");
        assert_eq!(backend.prompt(), "redis>");
        let LineOutcome::Entry(e) = run(&backend, "FOO") else { panic!("entry") };
        assert!(e.is_error && e.text.starts_with("(error) ERR unknown command 'FOO'"), "{}", e.text);
    }

    #[test]
    fn huge_replies_are_cut_for_the_screen() {
        let cut = truncate("é".repeat(MAX_REPLY_CHARS));
        assert!(cut.len() < MAX_REPLY_CHARS + 100 && cut.contains("reply cut at"));
        assert_eq!(truncate("short".into()), "short");
    }
}
