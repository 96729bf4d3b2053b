//! CLIENT REPLY: which replies a host must drop (Redis's CLIENT_REPLY_OFF / SKIP flags, as
//! `resetClient` moves them between commands). The oracle cannot be compared reply by reply
//! here (it sends nothing for a dropped reply); unit/introspection's three tests run it too.

use bytes::Bytes;
use playground_engine::{Engine, Frame};

fn run(e: &mut Engine, id: u64, cmd: &[&str]) -> (Frame, bool) {
    let args = cmd.iter().map(|a| Bytes::copy_from_slice(a.as_bytes())).collect();
    let reply = e.execute(id, args, 0);
    (reply, e.reply_suppressed(id))
}

#[test]
fn off_skip_on() {
    let mut e = Engine::default();
    let id = e.connect(0);
    assert!(run(&mut e, id, &["CLIENT", "REPLY", "OFF"]).1);
    assert!(run(&mut e, id, &["PING"]).1);
    assert_eq!(run(&mut e, id, &["CLIENT", "REPLY", "ON"]), (Frame::ok(), false));
    assert!(!run(&mut e, id, &["PING"]).1);
    assert!(run(&mut e, id, &["CLIENT", "REPLY", "SKIP"]).1);
    assert!(run(&mut e, id, &["PING", "skipped"]).1);
    assert!(!run(&mut e, id, &["PING", "sent"]).1);
    // ON right after SKIP ends the skip: its OK is sent, and so is the next reply.
    assert!(run(&mut e, id, &["CLIENT", "REPLY", "SKIP"]).1);
    assert_eq!(run(&mut e, id, &["CLIENT", "REPLY", "ON"]), (Frame::ok(), false));
    assert!(!run(&mut e, id, &["PING"]).1);
    assert_eq!(run(&mut e, id, &["CLIENT", "REPLY", "MAYBE"]).0, Frame::Error("ERR syntax error".into()));
    // RESET turns replies back on, its own included.
    assert!(run(&mut e, id, &["CLIENT", "REPLY", "OFF"]).1);
    assert!(!run(&mut e, id, &["RESET"]).1, "RESET clears OFF before it answers");
    assert!(!run(&mut e, id, &["PING"]).1);
}
