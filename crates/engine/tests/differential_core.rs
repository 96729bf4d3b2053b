//! Differential tests of the dispatcher itself: unknown commands, arity, PING/ECHO, MULTI/EXEC.

mod common;
use common::Session;

#[test]
fn ping_echo_and_unknown_commands() {
    let mut s = Session::new();
    s.script(&[
        &["PING"],
        &["PING", "hello"],
        &["PING", "a", "b"],
        &["ECHO", "x y"],
        &["ECHO"],
        &["NOSUCH"],
        &["nosuch", "a", "b c"],
        &["GET"],
        &["GET", "a", "b"],
    ]);
}

#[test]
fn transactions_queue_abort_and_watch() {
    let mut s = Session::new();
    s.script(&[
        &["EXEC"],
        &["DISCARD"],
        &["MULTI"],
        &["SET", "k", "1"],
        &["GET", "k"],
        &["EXEC"],
        &["MULTI"],
        &["SET", "k"],
        &["GET", "k"],
        &["EXEC"],
        &["MULTI"],
        &["NOSUCH"],
        &["EXEC"],
        &["MULTI"],
        &["MULTI"],
        &["DISCARD"],
        &["WATCH", "w"],
        &["SET", "w", "changed"],
        &["MULTI"],
        &["GET", "w"],
        &["EXEC"],
        &["MULTI"],
        &["WATCH", "x"],
        &["DISCARD"],
    ]);
}
