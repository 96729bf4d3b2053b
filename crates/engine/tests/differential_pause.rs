//! CLIENT PAUSE and CLIENT UNPAUSE against the oracle: their replies and errors in RESP2 and
//! RESP3, and what a WRITE pause lets through at once (reads, PING, CLIENT, syntax errors). The
//! held commands themselves are checked in `client_pause.rs` (a session's engine side cannot
//! wait) and by the suite's `unit/pause`. Pauses here are short and always undone, so a failing
//! test cannot leave the shared oracle paused for long.

mod common;
use common::Session;

fn errors_and_pass_through(s: &mut Session) {
    s.script(&[
        &["CLIENT", "PAUSE"],
        &["CLIENT", "PAUSE", "x"],
        &["CLIENT", "PAUSE", "1.5"],
        &["CLIENT", "PAUSE", "-1"],
        &["CLIENT", "PAUSE", "-1", "WRITE"],
        &["CLIENT", "PAUSE", "10", "MAYBE"],
        &["CLIENT", "PAUSE", "x", "MAYBE"],
        &["CLIENT", "PAUSE", "10", "WRITE", "extra"],
        &["CLIENT", "Pause", "10", "all", "extra"],
        &["CLIENT", "PAUSE", "9223372036854775807"],
        &["CLIENT", "PAUSE", "9223372036854775808"],
        &["CLIENT", "UNPAUSE", "x"],
        &["CLIENT", "UNPAUSE"],
        &["SET", "k", "v"],
        &["CLIENT", "PAUSE", "0"],
        &["CLIENT", "PAUSE", "0", "ALL"],
        &["CLIENT", "PAUSE", "2000", "write"],
        &["GET", "k"],
        &["PING"],
        &["EXISTS", "k"],
        &["SET", "k"],
        &["CLIENT", "PAUSE", "1000", "WRITE"],
        &["CLIENT", "UNPAUSE"],
        &["CLIENT", "UNPAUSE"],
        &["SET", "k", "w"],
        &["GET", "k"],
    ]);
}

#[test]
fn pause_replies_resp2() {
    let mut s = Session::new();
    errors_and_pass_through(&mut s);
}

#[test]
fn pause_replies_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    errors_and_pass_through(&mut s);
    s.run(&["HELLO", "2"]);
}

#[test]
fn pause_in_client_help_and_command_info() {
    let mut s = Session::new();
    s.same(&["COMMAND", "INFO", "client|pause", "client|unpause"]);
}
