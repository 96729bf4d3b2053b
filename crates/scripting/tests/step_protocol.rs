//! What running Lua in the page would rest on (crates/scripting/README.md): a script run as a
//! coroutine can hand each `redis.call` out by yielding, even from inside `pcall`, and be
//! resumed with the reply, so the VM and the engine need never call into each other.

use omnilua::{Function, Lua, LuaVersion, Thread, ThreadStatus, Value, Variadic};

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_str().unwrap_or_default().to_string(),
        other => format!("{other:?}"),
    }
}

#[test]
fn a_yielded_call_crosses_pcall_and_resumes_with_the_reply() {
    let lua = Lua::try_new_versioned(LuaVersion::V51).expect("a 5.1 state");
    let script: Function = lua
        .load(
            "local call = function(...) return coroutine.yield(...) end
             local ok, v = pcall(function() return call('ping', 'x') end)
             local ok2, e = pcall(function() local r = call('get') error('boom: ' .. r) end)
             return ok, v, ok2, e",
        )
        .into_function()
        .expect("compiles");
    let run: Thread = lua.create_thread(script).expect("a coroutine");
    let asked: Variadic<Value> = run.resume(()).expect("first step");
    assert_eq!(asked.iter().map(text).collect::<Vec<_>>(), ["ping", "x"]);
    assert!(matches!(run.status(), Ok(ThreadStatus::Suspended)), "{:?}", run.status());
    let asked: Variadic<Value> = run.resume("PONG").expect("second step");
    assert_eq!(asked.iter().map(text).collect::<Vec<_>>(), ["get"]);
    let done: Variadic<Value> = run.resume("nil reply").expect("last step");
    assert_eq!(
        done.iter().map(text).collect::<Vec<_>>(),
        ["Boolean(true)", "PONG", "Boolean(false)", "[string \"chunk\"]:3: boom: nil reply"]
    );
    assert!(matches!(run.status(), Ok(ThreadStatus::Dead)), "{:?}", run.status());
}
