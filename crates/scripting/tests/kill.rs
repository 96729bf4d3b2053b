//! A script that never ends is stopped by SCRIPT KILL from elsewhere, `pcall` cannot catch the
//! stop, a script that wrote cannot be killed, and the runner keeps working afterwards.

use bytes::Bytes;
use playground_engine::{Engine, Frame};
use playground_scripting::LuaRunner;
use std::time::Duration;

fn args(parts: &[&str]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p.as_bytes())).collect()
}

/// Run `script` while another thread sends SCRIPT KILL (through the shared control) after a
/// moment; returns the script's reply and the kill's.
fn run_and_kill(script: &str) -> (Frame, Frame) {
    let mut engine = Engine::new(1, 0);
    engine.set_script_runner(Box::new(LuaRunner::default()));
    let control = engine.script_control();
    let killer = std::thread::spawn(move || {
        while control.running().is_none() {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(50));
        control.busy_reply(&args(&["SCRIPT", "KILL"]), 0)
    });
    let id = engine.connect(0);
    let reply = engine.execute(id, args(&["EVAL", script, "0"]), 0);
    let killed = killer.join().expect("the killer thread");
    // The runner still works after a kill.
    assert_eq!(engine.execute(id, args(&["EVAL", "return 1 + 1", "0"]), 0), Frame::Integer(2));
    (reply, killed)
}

#[test]
fn script_kill_stops_an_endless_loop() {
    let (reply, killed) = run_and_kill("while true do end");
    assert_eq!(killed, Frame::ok());
    let Frame::Error(text) = reply else { panic!("{reply:?}") };
    assert!(text.starts_with("ERR Script killed by user with SCRIPT KILL..."), "{text}");
}

#[test]
fn pcall_cannot_catch_the_kill() {
    let (reply, _) = run_and_kill("while true do pcall(function() while true do end end) end");
    assert!(matches!(&reply, Frame::Error(t) if t.contains("Script killed by user")), "{reply:?}");
}

#[test]
fn a_script_that_wrote_is_unkillable_and_others_get_busy() {
    let mut engine = Engine::new(1, 0);
    engine.set_script_runner(Box::new(LuaRunner::default()));
    let control = engine.script_control();
    let killer = std::thread::spawn(move || {
        // Once its SET ran (a fixed wait lost that race on a loaded machine).
        while !control.wrote() {
            std::thread::sleep(Duration::from_millis(1));
        }
        let busy = control.busy_reply(&args(&["GET", "x"]), 0);
        let function_kill = control.busy_reply(&args(&["FUNCTION", "KILL"]), 0);
        let kill = control.busy_reply(&args(&["SCRIPT", "KILL"]), 0);
        (busy, function_kill, kill)
    });
    let id = engine.connect(0);
    let script = "redis.call('SET', 'x', 1) local t = 0 for i = 1, 5000000 do t = t + i end return 'done'";
    let reply = engine.execute(id, args(&["EVAL", script, "0"]), 0);
    let (busy, function_kill, kill) = killer.join().expect("the killer thread");
    assert_eq!(reply, Frame::Bulk(Bytes::from_static(b"done")));
    let busy_eval = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    assert_eq!(busy, Frame::Error(busy_eval.into()));
    // Redis checks for writes before the kind of script.
    assert!(matches!(&function_kill, Frame::Error(t) if t.starts_with("UNKILLABLE")), "{function_kill:?}");
    assert!(matches!(&kill, Frame::Error(t) if t.starts_with("UNKILLABLE")), "{kill:?}");
}

#[test]
fn no_runner_answers_an_error_and_not_busy() {
    let mut engine = Engine::new(1, 0);
    let id = engine.connect(0);
    let reply = engine.execute(id, args(&["EVAL", "return 1", "0"]), 0);
    assert_eq!(reply, Frame::Error(playground_engine::script::NO_RUNNER.into()));
    assert!(playground_engine::script::needs_runner(&args(&["eval", "return 1", "0"])));
    assert!(!playground_engine::script::needs_runner(&args(&["SCRIPT", "EXISTS", "x"])));
    assert_eq!(
        engine.execute(id, args(&["SCRIPT", "KILL"]), 0),
        Frame::Error("NOTBUSY No scripts in execution right now.".into())
    );
}

/// The kill's error names the line the script was running, as Redis's hook finds it, whether
/// the hook or the next `redis.call` saw the kill (the oracle's words for these two scripts).
#[test]
fn the_kill_names_the_running_line() {
    let (reply, _) = run_and_kill("local x = 1\nwhile true do end");
    assert_eq!(
        reply,
        Frame::Error(
            "ERR Script killed by user with SCRIPT KILL... script: a4e39fc82d12dc3aa92764a40dba1b3fc2076889, on \
             @user_script:2."
                .into()
        )
    );
    let (reply, _) = run_and_kill("local x = 1\n\nwhile true do redis.call('ping') end");
    let Frame::Error(text) = reply else { panic!("{reply:?}") };
    assert!(text.ends_with(", on @user_script:3."), "{text}");
}
