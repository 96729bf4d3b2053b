//! SHUTDOWN against the oracle, RESP2 and RESP3: every answer short of stopping the server (its
//! argument errors, ABORT with no shutdown in progress, refused inside MULTI) and COMMAND INFO.
//! Stopping itself is `emulate`'s (crates/proxy/tests/emulate_server.rs); the page's engine,
//! which cannot stop, says so.

mod common;
use common::Session;
use playground_engine::{Engine, Frame};

fn errors(s: &mut Session) {
    s.script(&[
        &["SHUTDOWN", "nosuch"],
        &["SHUTDOWN", "NOW", "later"],
        &["SHUTDOWN", "SAVE", "NOSAVE"],
        &["SHUTDOWN", "nosave", "save", "now"],
        &["SHUTDOWN", "ABORT"],
        &["SHUTDOWN", "abort"],
        &["SHUTDOWN", "ABORT", "NOW"],
        &["SHUTDOWN", "ABORT", "NOSAVE"],
        &["SHUTDOWN", "FORCE", "ABORT"],
        &["SHUTDOWN", "ABORT", "ABORT"],
        &["SET", "foo", "0"],
        &["MULTI"],
        &["SET", "foo", "bar"],
        &["SHUTDOWN"],
        &["SHUTDOWN", "NOSAVE", "NOW", "FORCE"],
        &["EXEC"],
        &["GET", "foo"],
        &["COMMAND", "INFO", "shutdown"],
        &["COMMAND", "GETKEYS", "SHUTDOWN", "NOSAVE"],
    ]);
}

#[test]
fn shutdown_resp2() {
    let mut s = Session::new();
    errors(&mut s);
}

#[test]
fn shutdown_resp3() {
    let mut s = Session::new();
    s.run(&["HELLO", "3"]);
    errors(&mut s);
}

/// A host that cannot end (the page) answers why and keeps serving; one that can is asked to.
#[test]
fn only_a_host_that_can_exit_is_asked_to() {
    let mut e = Engine::new(1, 0);
    let c = e.connect(0);
    let shutdown = vec![bytes::Bytes::from_static(b"SHUTDOWN")];
    let reply = e.execute(c, shutdown.clone(), 0);
    assert!(matches!(&reply, Frame::Error(m) if m.contains("cannot shut down")), "{reply:?}");
    assert!(!e.shutting_down());
    e.set_can_exit();
    e.execute(c, shutdown, 0);
    assert!(e.shutting_down());
}
