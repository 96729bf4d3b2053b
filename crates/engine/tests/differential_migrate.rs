//! MIGRATE (no other server to reach: argument errors, NOKEY, then IOERR as Redis answers for a
//! port nobody listens on) and CONFIG REWRITE (no config file), RESP2 and RESP3.

mod common;
use common::Session;

fn migrate_and_rewrite(s: &mut Session) {
    // Port 17109 is this worktree's and nothing listens on it.
    s.script(&[
        &["MIGRATE", "127.0.0.1", "17109", "k", "0"],
        &["MIGRATE", "127.0.0.1", "17109", "k", "0", "100"],
        &["MIGRATE", "127.0.0.1", "17109", "k", "x", "100"],
        &["MIGRATE", "127.0.0.1", "17109", "k", "0", "x"],
        &["MIGRATE", "127.0.0.1", "17109", "k", "0", "100", "nosuch"],
        &["MIGRATE", "127.0.0.1", "17109", "k", "0", "100", "auth"],
        &["MIGRATE", "127.0.0.1", "17109", "k", "0", "100", "auth2", "u"],
        &["MIGRATE", "127.0.0.1", "17109", "k", "0", "100", "KEYS", "a"],
        &["MIGRATE", "127.0.0.1", "17109", "", "0", "100", "COPY", "REPLACE", "AUTH", "p", "KEYS", "a", "b"],
        &["SET", "k", "v"],
        &["MIGRATE", "127.0.0.1", "17109", "k", "0", "100"],
        &["MIGRATE", "127.0.0.1", "17109", "", "0", "100", "AUTH2", "u", "p", "KEYS", "a", "k"],
        &["MIGRATE", "127.0.0.1", "17109", "", "0", "100", "KEYS"],
        &["GET", "k"],
        &["CONFIG", "REWRITE"],
        &["CONFIG", "REWRITE", "x"],
    ]);
}

#[test]
fn migrate_resp2() {
    let mut s = Session::new();
    migrate_and_rewrite(&mut s);
}

#[test]
fn migrate_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    migrate_and_rewrite(&mut s);
}
