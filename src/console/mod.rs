//! The console's logic, free of the DOM so it runs in native unit tests: argument splitting
//! (the engine's `sdssplitargs`), reply formatting (`format`), help/hints/completion (`help`),
//! history (`history`), and [`run_line`], which turns one typed line into a console entry.

pub mod format;
pub mod help;
pub mod history;

use crate::backend::diff::{compare, Comparison};
use crate::backend::Backend;
use bytes::Bytes;
use playground_engine::{Frame, Protocol};
use playground_labs::lessons::Ran;
use std::cell::RefCell;
use std::rc::Rc;

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
    /// The reply's JSON document, indented, when the reply is one (JSON.GET's object or array):
    /// the entry offers it beside redis-cli's one-line string.
    pub pretty: Option<String>,
    pub is_error: bool,
    /// In compare mode: the in-page engine's and the real server's replies side by side.
    pub compare: Option<Box<Comparison>>,
    /// The command as sent and its reply in short, for the lessons' checks (`None` for
    /// console-only lines).
    pub ran: Option<Ran>,
    /// Position in the session's stream of entries (set when the entry is added), so a reader
    /// can tell new entries from ones it has seen.
    pub seq: u64,
}

/// What one typed line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum LineOutcome {
    /// Nothing to do (blank line).
    Nothing,
    /// Clear the scrollback.
    Clear,
    /// Show this entry.
    Entry(Box<ConsoleEntry>),
}

/// Run one line: console commands (`help`, `clear`) locally, everything else on the backend.
/// `done` receives the outcome (at once for the in-page engine, later for a remote backend).
pub fn run_line(line: &str, backend: &dyn Backend, done: impl FnOnce(LineOutcome) + 'static) {
    let prompt = backend.prompt();
    let Some(args) = playground_engine::resp::split_args(line.as_bytes()) else {
        // redis-cli's own message for unbalanced quotes.
        return done(LineOutcome::Entry(Box::new(local(prompt, line, "Invalid argument(s)", true))));
    };
    let Some(first) = args.first() else { return done(LineOutcome::Nothing) };
    let name = String::from_utf8_lossy(first).to_ascii_lowercase();
    match name.as_str() {
        "help" | "?" => {
            return done(LineOutcome::Entry(Box::new(local(prompt, line, &help::help(&args[1..]), false))))
        }
        "clear" if args.len() == 1 => return done(LineOutcome::Clear),
        _ => {}
    }
    let raw = format::prints_raw(&args);
    let args: Vec<Bytes> = args.into_iter().map(Bytes::from).collect();
    let input = line.to_string();
    let note = explainer(backend);
    let said = backend.notes();
    let shard = backend.shard_note(&args);
    let sent = args.clone();
    backend.send(
        args,
        Box::new(move |reply, proto| {
            let mut entry = entry_for(prompt, input, &reply, proto, raw);
            if let Some(said) = said {
                entry.notes.splice(0..0, said.borrow_mut().drain(..));
            }
            if entry.notes.iter().any(|n| n == crate::backend::NO_REPLY) {
                // Nothing came back: nothing to print, as in redis-cli.
                (entry.text, entry.wire, entry.pretty) = (String::new(), String::new(), None);
                entry.notes.retain(|n| !n.starts_with("vector:"));
            }
            entry.notes.extend(shard);
            entry.notes.extend(note(&reply));
            entry.ran = Some(Ran::new(sent, &reply));
            done(LineOutcome::Entry(Box::new(entry)))
        }),
    );
}

/// The backend's words for an error reply, as a closure that outlives the borrow.
fn explainer(backend: &dyn Backend) -> impl Fn(&Frame) -> Option<String> + 'static {
    let remote = backend.is_remote();
    move |reply: &Frame| match reply {
        Frame::Error(e) if remote => crate::backend::words::explain_error(e).map(|n| format!("note: {n}")),
        Frame::Error(e) => crate::backend::words::explain_unknown_in_playground(e)
            .or_else(|| crate::backend::words::explain_script_stop(e))
            .map(|n| format!("note: {n}")),
        _ => None,
    }
}

/// Compare mode: run the line on the in-page engine and on the real server; the entry shows
/// the real server's reply, both replies' RESP bytes, and where they differ. Console-only
/// lines (help, clear) run once, locally.
pub fn run_line_both(
    line: &str,
    local: &dyn Backend,
    remote: &dyn Backend,
    done: impl FnOnce(LineOutcome) + 'static,
) {
    let prompt = remote.prompt();
    let parsed = playground_engine::resp::split_args(line.as_bytes());
    let console_only = match parsed.as_ref().and_then(|a| a.first()) {
        None => true,
        Some(first) => {
            let name = String::from_utf8_lossy(first).to_ascii_lowercase();
            name == "help"
                || name == "?"
                || (name == "clear" && parsed.as_ref().is_some_and(|a| a.len() == 1))
        }
    };
    let Some(args) = parsed.filter(|_| !console_only) else { return run_line(line, remote, done) };
    let raw_view = format::prints_raw(&args);
    let args: Vec<Bytes> = args.into_iter().map(Bytes::from).collect();
    // The in-page engine usually answers at once; a script's first line waits for the Lua
    // module, so the real server's reply may come first: whichever comes second compares.
    let waits_for_lua = playground_engine::script::needs_runner(&args);
    let join: Rc<RefCell<Join>> = Rc::default();
    let on_local = join.clone();
    local.send_raw(
        args.clone(),
        Box::new(move |_, _, raw| {
            // Taken in a statement of its own: a borrow in the match's scrutinee would last
            // through the arms, and storing the local reply there would panic (already borrowed).
            let pending = std::mem::take(&mut *on_local.borrow_mut());
            match pending {
                Join::Remote(finish) => finish(raw),
                _ => *on_local.borrow_mut() = Join::Local(raw),
            }
        }),
    );
    let input = line.to_string();
    let note = explainer(remote);
    let sent = args.clone();
    remote.send_raw(
        args,
        Box::new(move |reply, proto, raw| {
            let mut entry = entry_for(prompt, input, &reply, proto, raw_view);
            entry.notes.extend(note(&reply));
            entry.ran = Some(Ran::new(sent, &reply));
            let finish = move |local_raw: Vec<u8>| {
                entry.compare = Some(Box::new(compare(&local_raw, &raw)));
                done(LineOutcome::Entry(Box::new(entry)))
            };
            let local = std::mem::take(&mut *join.borrow_mut());
            match local {
                Join::Local(local_raw) => finish(local_raw),
                // A blocked local command (BLPOP) would never answer: only a script waits.
                Join::Empty if waits_for_lua => *join.borrow_mut() = Join::Remote(Box::new(finish)),
                _ => finish(Vec::new()),
            }
        }),
    );
}

/// Compare mode's two replies, as far as they came: the in-page engine's bytes, or the real
/// server's entry waiting for them.
#[derive(Default)]
enum Join {
    #[default]
    Empty,
    Local(Vec<u8>),
    Remote(Box<dyn FnOnce(Vec<u8>)>),
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
        notes: format::vectors_in(&seen)
            .iter()
            .map(|v| format!("vector: {}", format::format_vector(v)))
            .collect(),
        pretty: format::json_document(reply),
        is_error: seen.is_error(),
        compare: None,
        ran: None,
        seq: 0,
    }
}

/// A console entry for a line of the console's Python mode (`>>>`): what Python printed, or
/// its traceback.
pub fn python_entry(source: String, text: String, is_error: bool) -> ConsoleEntry {
    local(">>>".into(), &source, &text, is_error)
}

fn local(prompt: String, line: &str, text: &str, is_error: bool) -> ConsoleEntry {
    ConsoleEntry {
        prompt,
        input: line.to_string(),
        text: text.to_string(),
        wire: String::new(),
        notes: vec![],
        pretty: None,
        is_error,
        compare: None,
        ran: None,
        seq: 0,
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
        assert!(e.notes.is_empty(), "nothing near FOO: no guess ({:?})", e.notes);
    }

    #[test]
    fn client_reply_off_and_skip_print_nothing_and_say_why() {
        let backend = crate::backend::LocalBackend::new(SessionHandle::new(Session::new(0)));
        let silent = |line: &str| {
            let LineOutcome::Entry(e) = run(&backend, line) else { panic!("entry") };
            assert_eq!((e.text.as_str(), e.wire.as_str()), ("", ""), "{line}");
            assert_eq!(e.notes, [crate::backend::NO_REPLY], "{line}");
        };
        silent("CLIENT REPLY OFF");
        silent("SET k 1");
        silent("GET k");
        assert_eq!(text(run(&backend, "CLIENT REPLY ON")), "OK");
        silent("CLIENT REPLY SKIP");
        silent("INCR k");
        assert_eq!(text(run(&backend, "GET k")), "\"2\"", "SKIP silences one command only");
    }

    #[test]
    fn unknown_commands_in_the_page_get_a_note_beside_redis_reply() {
        let backend = crate::backend::LocalBackend::new(SessionHandle::new(Session::new(0)));
        let LineOutcome::Entry(e) = run(&backend, "HGETAL user:1") else { panic!("entry") };
        assert!(
            e.text.starts_with("(error) ERR unknown command 'HGETAL'"),
            "Redis's reply stays: {}",
            e.text
        );
        assert_eq!(e.notes, ["note: no Redis command is called HGETAL; did you mean HGETALL?"]);
        let LineOutcome::Entry(e) = run(&backend, "RESTORE-ASKING k 0 x") else { panic!("entry") };
        assert_eq!(
            e.notes,
            ["note: RESTORE-ASKING is a real Redis command, but the playground does not have it yet."]
        );
    }

    #[test]
    fn compare_mode_marks_where_two_backends_differ() {
        let a = crate::backend::LocalBackend::new(SessionHandle::new(Session::new(0)));
        let b = crate::backend::LocalBackend::new(SessionHandle::new(Session::new(0)));
        let out = Rc::new(RefCell::new(None));
        let both = |line: &str| {
            let sink = out.clone();
            run_line_both(line, &a, &b, move |o| *sink.borrow_mut() = Some(o));
            match out.borrow_mut().take() {
                Some(LineOutcome::Entry(e)) => e,
                other => panic!("{other:?}"),
            }
        };
        assert!(both("SET k 1").compare.is_some_and(|c| c.same));
        // Each side gets its own value, so the next reply differs in one digit.
        run(&a, "SET k 13");
        run(&b, "SET k 12");
        let e = both("GET k");
        let c = e.compare.clone().unwrap_or_else(|| panic!("no comparison"));
        assert!(!c.same, "{c:?} {e:?}");
        assert_eq!((c.local.differs.as_str(), c.remote.differs.as_str()), ("3", "2"));
        assert_eq!(e.text, "\"12\"", "the entry shows the remote side's reply");
        assert!(both("help get").compare.is_none(), "console-only lines run once");
    }

    #[test]
    fn huge_replies_are_cut_for_the_screen() {
        let cut = truncate("é".repeat(MAX_REPLY_CHARS));
        assert!(cut.len() < MAX_REPLY_CHARS + 100 && cut.contains("reply cut at"));
        assert_eq!(truncate("short".into()), "short");
    }
}
