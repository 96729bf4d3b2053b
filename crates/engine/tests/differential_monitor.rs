//! MONITOR against the oracle: which commands show and in what order (MULTI/EXEC, a refused
//! EXEC, scripts' EVAL before their commands, blocked commands once), how arguments are quoted
//! and redacted, and what a monitoring connection may still send. The time and the client's
//! address differ between the two sides and are masked; the database and `lua` are compared.

mod common;
use common::Session;

/// `+<time> [<db> <addr>] ...` with the time and the address (not `lua`) blanked.
fn mask(line: &str) -> String {
    // HELLO's own reply names the connection and the module's path.
    if line.contains("$6\\r\\nserver") {
        return "HELLO's reply".into();
    }
    let (Some(open), Some(close)) = (line.find(" ["), line.find(']')) else { return line.to_string() };
    if !line.starts_with('+') || close < open {
        return line.to_string();
    }
    let inside = &line[open + 2..close];
    let (db, who) = inside.split_once(' ').unwrap_or((inside, ""));
    let who = if who == "lua" { "lua" } else { "addr" };
    format!("+T [{db} {who}]{}", &line[close + 1..])
}

#[test]
fn monitor_lines() {
    let mut s = Session::new();
    let m = s.connect();
    s.on(m, &["MONITOR"]);
    for line in [
        &["SET", "foo", "bar"][..],
        &["get", "foo"],
        &["SET", "q\"uo\\te", "a b\r\n\t\x07\x08\x01\u{7f}é"],
        &["SELECT", "2"],
        &["PING"],
        &["SELECT", "0"],
        &["CONFIG", "SET", "maxmemory", "0"],
        &["NOSUCH", "x"],
        &["GET"],
        &["MULTI"],
        &["SET", "foo", "1"],
        &["INCR", "foo"],
        &["EXEC"],
        &["MULTI"],
        &["NOSUCH"],
        &["EXEC"],
        &["AUTH", "not-real"],
        &["AUTH", "not-real", "not-a-password"],
        &["HELLO", "2", "AUTH", "not-real", "not-a-password"],
        &["HELLO", "2", "SETNAME", "x"],
        &["CLIENT", "SETNAME", "y"],
        &["CLIENT", "GETNAME"],
        &["DEL", "foo"],
    ] {
        s.on_masked(0, line, mask);
    }
    // A monitoring connection may not touch keys, and RESET ends its monitoring.
    s.on(m, &["GET", "foo"]);
    s.on(m, &["SET", "foo", "x"]);
    s.on_masked(m, &["PING"], mask);
    s.on(m, &["RESET"]);
    s.on(0, &["SET", "after", "reset"]);
    s.quiet();
}

#[test]
fn monitor_blocked_command_shows_once() {
    let mut s = Session::new();
    let m = s.connect();
    let b = s.connect();
    s.on(m, &["MONITOR"]);
    s.on_masked(0, &["DEL", "mlist"], mask);
    // Nothing arrives yet on the blocked side: compare the monitor's line alone.
    s.on_masked(b, &["LPUSH", "mlist", "1"], mask);
    s.on_masked(b, &["BLPOP", "mlist", "0"], mask);
    s.on_masked(0, &["LPUSH", "mlist", "2"], mask);
    s.on(m, &["RESET"]);
    s.quiet();
}
