//! MONITOR: every command the server runs, as a status line to each monitoring connection, in
//! Redis 7.4's format (`replicationFeedMonitors`): `+<secs>.<usecs> [<db> <addr>] "cmd" "arg"`,
//! `[<db> lua]` for commands a script calls, arguments as `sdscatrepr` quotes them, AUTH's and
//! HELLO AUTH's secrets as `"(redacted)"`. The time is the engine's virtual clock. Admin
//! commands are not shown; EVAL and FCALL show before the commands their script runs.

use super::{spec, CommandSpec};
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::server::{Client, Server};
use bytes::Bytes;

pub const COMMANDS: &[CommandSpec] = &[spec(
    "monitor",
    1,
    &["admin", "noscript", "loading", "stale"],
    (0, 0, 0),
    "server",
    "Stream every command the server runs to this connection.",
    "",
    monitor,
)];

fn monitor(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    if ctx.client.in_exec {
        return Err(CmdError::err("MONITOR isn't allowed for DENY BLOCKING client"));
    }
    if !ctx.client.monitor {
        ctx.client.monitor = true;
        ctx.server.monitors.push(ctx.client.id);
    }
    Ok(Frame::ok())
}

/// Stop monitoring (RESET, a closed connection).
pub fn forget(server: &mut Server, client: &mut Client) {
    if client.monitor {
        client.monitor = false;
        server.monitors.retain(|id| *id != client.id);
    }
}

/// `sdscatrepr`: a quoted string with C escapes for what is not printable.
fn repr(out: &mut String, s: &[u8]) {
    out.push('"');
    for &b in s {
        match b {
            b'\\' | b'"' => {
                out.push('\\');
                out.push(b as char);
            }
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            b' '..=b'~' => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
}

/// The arguments MONITOR and SLOWLOG must not show (Redis's `redactClientCommandArgument`):
/// AUTH's, HELLO's after AUTH, MIGRATE's AUTH and AUTH2 secrets, ACL SETUSER's, GETUSER's and
/// DELUSER's arguments, and the values of CONFIG SET's sensitive parameters.
pub(crate) fn redacted(argv: &[Bytes], i: usize) -> bool {
    let is = |j: usize, word: &str| argv.get(j).is_some_and(|a| a.eq_ignore_ascii_case(word.as_bytes()));
    if is(0, "auth") {
        return i >= 1;
    }
    if is(0, "hello") {
        return (2..i).any(|j| is(j, "auth") && i <= j + 2);
    }
    if is(0, "acl") && (is(1, "setuser") || is(1, "getuser") || is(1, "deluser")) {
        return i >= 2;
    }
    if is(0, "config") && is(1, "set") && i >= 3 && i % 2 == 1 {
        const SENSITIVE: [&str; 5] =
            ["masteruser", "masterauth", "requirepass", "tls-key-file-pass", "tls-client-key-file-pass"];
        return SENSITIVE.iter().any(|name| is(i - 1, name));
    }
    if is(0, "migrate") {
        // The options after the fifth argument, as migrateCommand reads them.
        let mut j = 6;
        while j < argv.len() && j < i {
            if is(j, "auth") {
                if i == j + 1 {
                    return true;
                }
                j += 2;
            } else if is(j, "auth2") {
                if i == j + 1 || i == j + 2 {
                    return true;
                }
                j += 3;
            } else if is(j, "keys") {
                return false;
            } else {
                j += 1;
            }
        }
    }
    false
}

/// Send the command line to every monitor (none: nothing to do). `lua` for a script's command.
pub fn feed(server: &mut Server, client: &Client, spec: &CommandSpec, argv: &[Bytes], lua: bool, now: u64) {
    if server.monitors.is_empty() || spec.has_flag("admin") || server.replaying {
        return;
    }
    let mut line = format!("{}.{:06} [{} ", now / 1000, (now % 1000) * 1000, client.db);
    if lua {
        line.push_str("lua]");
    } else {
        line.push_str(&super::connection::client_addr(client.id));
        line.push(']');
    }
    for (i, arg) in argv.iter().enumerate() {
        line.push(' ');
        repr(&mut line, if redacted(argv, i) { b"(redacted)" } else { arg });
    }
    for id in server.monitors.clone() {
        server.push_to(id, Frame::Simple(line.clone()));
    }
}
