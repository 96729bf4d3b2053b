//! EVAL and FUNCTION for the playground engine: Redis's Lua 5.1 on omniLua, a pure-Rust Lua.
//!
//! The engine (`crates/engine`) keeps the script cache, the libraries and the rules of the
//! commands scripts call, behind its `ScriptRunner` trait; this crate is the runner. The engine
//! does not depend on it, so the page can load it (and its VM) when the first script runs:
//! `engine.set_script_runner(Box::new(LuaRunner::default()))`.
//!
//! # Which Lua
//!
//! Redis runs Lua 5.1: numbers are doubles only (`tostring(3)` is `3`, `3/2` is `1.5`),
//! `unpack` and `table.getn` are globals, `setfenv` sets environments. The pure-Rust Lua
//! crates on crates.io, weighed for this (December 2026):
//!
//! | crate | Lua | wasm32, no C | Redis's needs | verdict |
//! |---|---|---|---|---|
//! | omnilua 0.7 | 5.1 to 5.5 from one API, passes the official suites | yes | a real 5.1 mode (doubles, `unpack`, `getfenv`/`setfenv`, `%.14g` numbers), `debug.getinfo`/`sethook`, an uncatchable instruction budget, mlua-shaped API with scoped callbacks | **chosen** |
//! | piccolo 0.3 | 5.4 subset, stackless with fuel | yes | string library has only len/sub/lower/upper/reverse (no `format`, `gsub`, `find`), integers, no 5.1 | too incomplete |
//! | hematita 0.1 | partial 5.4 | yes | unmaintained since 2021, GPL-3.0 | no |
//! | purua 0.2 | a small subset ("to be") | yes | no standard library to speak of | no |
//! | luster | (a screen-brightness tool now; kyren's luster became piccolo) | - | - | no |
//! | mlua, lua-rs, lunka | bindings to C Lua | needs a C toolchain | - | no |
//!
//! Shims on top of omniLua's 5.1: Redis's `redis` object, `pcall` returning an error table's
//! text, `math.random` as Redis's rand48, `os` with only `clock`, the `bit`, `cjson`,
//! `cmsgpack` and `struct` libraries (in Rust, with their C error texts), and the sandbox
//! (`boot.lua`): scripts see globals through a table that refuses writes ("Attempt to
//! modify a readonly table") and unknown names ("Script attempted to access nonexistent global
//! variable"). Library tables themselves (`string`, `math`) are not read-only as in Redis.
//!
//! # One state per thread, kept between runs
//!
//! Building a state costs more than most scripts, so each thread keeps one (thread-local: the
//! VM holds `Rc`s, and the runner itself stays `Send` for `emulate`'s threads) with its compiled
//! scripts and loaded libraries. Each run binds its own host functions (`redis.call`,
//! `redis.setresp`, `math.random`, the interrupt check) before it starts. Scripts cannot change
//! the globals (what they `rawset` is cleared after each run), the libraries are read-only, and
//! a state whose script was killed is dropped.
//!
//! # Stopping a script
//!
//! A count hook asks the host every 10,000 instructions ([`ScriptHost::interrupt`]), and so
//! does each `redis.call`; on a yes, the script gets Redis's `Script killed by user with SCRIPT
//! KILL...` error (with the running line) and the state's instruction budget is cut to nothing,
//! so `pcall` cannot catch the stop. Redis's hook counts 100,000: ours is slower per
//! instruction, and a kill should act within milliseconds even on a loaded machine.

mod bit;
mod cjson;
mod cmsgpack;
mod convert;
mod structlib;

use bytes::Bytes;
use omnilua::{Function, Lua, LuaError, LuaVersion, SandboxConfig, Table, Value, Variadic};
use playground_engine::frame::{Frame, Protocol};
use playground_engine::script::{FunctionInfo, ScriptHost, ScriptRunner};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

const BOOT: &str = include_str!("boot.lua");

/// Redis's scripting engine on omniLua's Lua 5.1.
#[derive(Debug)]
pub struct LuaRunner {
    /// `math.random`'s rand48 state, kept across scripts as Redis keeps it.
    rand48: u64,
}

impl Default for LuaRunner {
    fn default() -> Self {
        LuaRunner { rand48: rand48_seed(0) }
    }
}

/// `redisSrand48`.
fn rand48_seed(seed: i32) -> u64 {
    ((seed as u32 as u64) << 16) | 0x330E
}

/// `redisLrand48`: the next 31-bit number.
fn rand48_next(state: &mut u64) -> u32 {
    *state = (state.wrapping_mul(0x5DEE_CE66D).wrapping_add(0xB)) & ((1 << 48) - 1);
    (*state >> 17) as u32
}

/// The Lua error a Rust callback raises.
fn lua_err(text: impl std::fmt::Display) -> omnilua::Error {
    LuaError::runtime(format_args!("{text}")).into()
}

/// An error that reaches the script as Redis's error table `{err = text}` (as `luaPushError`
/// then `luaError`), marked with \x01 for boot.lua's handler and `pcall`.
fn raised(text: &str) -> omnilua::Error {
    lua_err(format!("\x01{text}"))
}

/// An error a library function raises with `luaL_error`, which prefixes the calling line
/// (`user_script:1: `): marked with \x02 for boot.lua's handler to add it.
pub(crate) fn located(text: impl std::fmt::Display) -> omnilua::Error {
    lua_err(format!("\x02{text}"))
}

/// `os.clock`'s time: seconds since the process first asked (natively), or from the clock the
/// host gave [`set_clock`] (in the browser, where this crate reads none; 0 without one).
fn cpu_seconds() -> f64 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64()
    }
    #[cfg(target_arch = "wasm32")]
    {
        CLOCK.get().map_or(0.0, |now| now())
    }
}

static CLOCK: std::sync::OnceLock<fn() -> f64> = std::sync::OnceLock::new();

/// The browser's clock in seconds (`performance.now() / 1000`), for `os.clock` and a
/// library's load time limit: there `os.clock` answers the seconds since the script started,
/// as the CPU time a script has used (Redis's `os.clock` is the server's CPU time). Natively
/// the process's own clock is used and this one is ignored.
pub fn set_clock(now_seconds: fn() -> f64) {
    let _ = CLOCK.set(now_seconds);
}

/// A numeric string as Lua reads it.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse().ok()
}

/// `lua_tonumber` of a value (numbers and numeric strings).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        Value::Integer(i) => Some(*i as f64),
        Value::String(s) => parse_number(std::str::from_utf8(&s.as_bytes().ok()?).ok()?),
        _ => None,
    }
}

/// What one run needs from the outside: the host while a script runs (none while a library
/// loads), and the runner's random state.
struct Run<'h> {
    host: Option<RefCell<&'h mut dyn ScriptHost>>,
    rand48: Cell<u64>,
    killed: Cell<bool>,
    /// The line the script was running when it was killed.
    line: Cell<i64>,
    /// When the run started ([`cpu_seconds`]) and how often it was polled: a library's loading
    /// code has a time limit.
    started: f64,
    polls: Cell<u32>,
}

/// A state kept between runs on this thread (building one costs more than most scripts), with
/// its compiled scripts and loaded libraries. Scripts cannot change its globals; a killed
/// script's state is dropped.
struct Cached {
    lua: Lua,
    boot: Table,
    /// Compiled EVAL bodies (`f_<sha>`) and loaded libraries' registrations (`l_<sha>`).
    chunks: HashMap<String, Value>,
}

thread_local! {
    static CACHED: RefCell<Option<Cached>> = const { RefCell::new(None) };
}

/// A new state: Lua 5.1, the Rust side of `redis` that needs no host, the libraries, and
/// `boot.lua`.
fn new_state() -> omnilua::Result<Cached> {
    let lua = Lua::try_new_versioned(LuaVersion::V51)?;
    let t = lua.create_table()?;
    t.set("clock", lua.create_function(|_, ()| Ok(cpu_seconds()))?)?;
    t.set(
        "sha1hex",
        lua.create_function(|lua, args: Variadic<Value>| {
            let args = args.into_vec();
            let text = match args.as_slice() {
                [Value::String(s)] => s.as_bytes()?,
                [Value::Number(n)] => convert::lua_number(*n).into_bytes(),
                [Value::Integer(i)] => i.to_string().into_bytes(),
                [_] => Vec::new(),
                _ => return Err(raised("ERR wrong number of arguments")),
            };
            lua.create_string(playground_engine::digest::sha1_hex(&text))
        })?,
    )?;
    t.set(
        "log",
        lua.create_function(|_, args: Variadic<Value>| {
            let args = args.into_vec();
            if args.len() < 2 {
                return Err(raised("ERR redis.log() requires two arguments or more."));
            }
            match number(&args[0]) {
                None => Err(raised("ERR First argument must be a number (log level).")),
                Some(level) if !(0.0..=3.0).contains(&level.trunc()) => Err(raised("ERR Invalid log level.")),
                Some(_) => Ok(()),
            }
        })?,
    )?;
    t.set(
        "set_repl",
        lua.create_function(|_, args: Variadic<Value>| {
            let args = args.into_vec();
            if args.len() != 1 {
                return Err(raised("ERR redis.set_repl() requires one argument."));
            }
            let flags = number(&args[0]).unwrap_or(0.0) as i64;
            if flags & !3 != 0 {
                return Err(raised(
                    "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
                ));
            }
            Ok(())
        })?,
    )?;
    t.set(
        "known_flag",
        lua.create_function(|_, s: Value| {
            let name = match s {
                Value::String(s) => s.to_str().unwrap_or_default(),
                _ => String::new(),
            };
            Ok(playground_engine::script::Flags::default().set(&name))
        })?,
    )?;
    t.set("bit", bit::library(&lua)?)?;
    t.set("cjson", cjson::library(&lua)?)?;
    t.set("cmsgpack", cmsgpack::library(&lua)?)?;
    t.set("struct", structlib::library(&lua)?)?;
    let boot: Table = lua.load(BOOT).set_name("=redis").into_function()?.call(t)?;
    Ok(Cached { lua, boot, chunks: HashMap::new() })
}

impl LuaRunner {
    /// The thread's state (built the first time), with this run's host functions bound
    /// (`redis.call`, `redis.setresp`, `math.random`, the interrupt check), given to `body`.
    fn with_state<R>(
        &mut self,
        host: Option<&mut dyn ScriptHost>,
        body: impl FnOnce(&Lua, &Table, &Run, &mut HashMap<String, Value>) -> Result<R, String>,
    ) -> Result<R, String> {
        let cached = CACHED.with(|c| c.borrow_mut().take());
        let mut cached = match cached {
            Some(c) => c,
            None => new_state().map_err(|e| e.to_string())?,
        };
        let run = Run {
            host: host.map(RefCell::new),
            rand48: Cell::new(self.rand48),
            killed: Cell::new(false),
            line: Cell::new(1),
            started: cpu_seconds(),
            polls: Cell::new(0),
        };
        let lua = cached.lua.clone();
        let boot = cached.boot.clone();
        let result = lua
            .scope(|scope| {
                let t = lua.create_table()?;
                let (run, booted) = (&run, &boot);
                // redis.call is this Rust function itself, not a Lua wrapper: a tail call
                // (`return redis.call(...)`) must keep the script's frame for the error's line,
                // as a C function does. Its error is a string marked with \x01 that the error
                // handler turns into Redis's error table.
                let call = move |lua: &Lua, args: Variadic<Value>| -> omnilua::Result<Value> {
                    let Some(host) = &run.host else {
                        return Err(lua_err("Please use redis.call only inside a function"));
                    };
                    let args = match convert::command_args(args.into_vec()) {
                        Ok(args) => args,
                        Err(text) => return convert::error_table(lua, &format!("ERR {text}")),
                    };
                    let (reply, proto) = {
                        let mut host = host.borrow_mut();
                        // A killed script stops at its next command too, not only at the count
                        // hook: a loop of slow commands would take long to reach it.
                        if host.interrupt() {
                            drop(host);
                            run.line.set(booted.get::<_, Function>("line")?.call(())?);
                            stop_run(lua, run)?;
                            return Err(lua_err("ERR Script killed by user with SCRIPT KILL..."));
                        }
                        (host.call(args), host.protocol())
                    };
                    convert::to_lua(lua, &reply, proto)
                };
                t.set(
                    "call",
                    scope.create_function(&lua, move |lua, args: Variadic<Value>| {
                        let reply = call(lua, args)?;
                        if let Value::Table(t) = &reply {
                            if let Ok(Value::String(err)) = t.raw_get::<_, Value>("err") {
                                // Marked \x03 if the engine counted it (boot.lua's handler).
                                let counted = t.raw_get::<_, Value>("ignore_error_stats_update")?;
                                let mark = if matches!(counted, Value::Nil) { 1 } else { 3 };
                                return Err(lua_err(format!("{}{}", char::from(mark), err.to_str()?)));
                            }
                        }
                        Ok(reply)
                    })?,
                )?;
                t.set("pcall", scope.create_function(&lua, call)?)?;
                t.set(
                    "acl_check_cmd",
                    scope.create_function(&lua, move |_, args: Variadic<Value>| {
                        let args = convert::command_args(args.into_vec())
                            .map_err(|e| raised(&format!("ERR {e}")))?;
                        let allowed = run.host.as_ref().and_then(|h| h.borrow_mut().acl_check(args));
                        allowed.ok_or_else(|| raised("ERR Invalid command passed to redis.acl_check_cmd()"))
                    })?,
                )?;
                t.set(
                    "setresp",
                    scope.create_function(&lua, move |_, args: Variadic<Value>| {
                        let args = args.into_vec();
                        if args.len() != 1 {
                            return Err(raised("ERR redis.setresp() requires one argument."));
                        }
                        let proto = match number(&args[0]) {
                            Some(2.0) => Protocol::Resp2,
                            Some(3.0) => Protocol::Resp3,
                            _ => return Err(raised("ERR RESP version must be 2 or 3.")),
                        };
                        if let Some(host) = &run.host {
                            host.borrow_mut().set_protocol(proto);
                        }
                        Ok(())
                    })?,
                )?;
                t.set(
                    "poll",
                    scope.create_function(&lua, move |lua, line: i64| {
                        // A script stops when its host says so (SCRIPT KILL); a library's
                        // loading code after half a second, as Redis's FUNCTION LOAD.
                        let stop = match &run.host {
                            Some(h) => h
                                .borrow_mut()
                                .interrupt()
                                .then_some("ERR Script killed by user with SCRIPT KILL..."),
                            None => {
                                run.polls.set(run.polls.get() + 1);
                                let late = cpu_seconds() - run.started > 0.5 || run.polls.get() > 200;
                                late.then_some("ERR FUNCTION LOAD timeout")
                            }
                        };
                        let Some(text) = stop else { return Ok(Value::Boolean(false)) };
                        run.line.set(line);
                        stop_run(lua, run)?;
                        Ok(Value::String(lua.create_string(text)?))
                    })?,
                )?;
                t.set(
                    "random",
                    scope.create_function(&lua, move |_, args: Variadic<f64>| {
                        let mut state = run.rand48.get();
                        let r = f64::from(rand48_next(&mut state) % i32::MAX as u32) / f64::from(i32::MAX);
                        run.rand48.set(state);
                        let args = args.into_vec();
                        match args.as_slice() {
                            [] => Ok(r),
                            [u] if *u >= 1.0 => Ok((r * u.floor()).floor() + 1.0),
                            [l, u] if l.floor() <= u.floor() => {
                                let (l, u) = (l.floor(), u.floor());
                                Ok((r * (u - l + 1.0)).floor() + l)
                            }
                            [_] => Err(located("bad argument #1 to 'random' (interval is empty)")),
                            [_, _] => Err(located("bad argument #2 to 'random' (interval is empty)")),
                            _ => Err(located("wrong number of arguments")),
                        }
                    })?,
                )?;
                t.set(
                    "randomseed",
                    scope.create_function(&lua, move |_, seed: Value| {
                        let seed = number(&seed)
                            .ok_or_else(|| located("bad argument #1 to 'randomseed' (number expected)"))?;
                        run.rand48.set(rand48_seed(seed as i32));
                        Ok(())
                    })?,
                )?;
                #[cfg(target_arch = "wasm32")]
                t.set("clock", scope.create_function(&lua, move |_, ()| Ok(cpu_seconds() - run.started))?)?;
                let bind: Function = boot.get("bind")?;
                bind.call::<_, ()>(t)?;
                Ok(body(&lua, &boot, run, &mut cached.chunks))
            })
            .map_err(|e| e.to_string());
        self.rand48 = run.rand48.get();
        if !run.killed.get() && result.is_ok() {
            CACHED.with(|c| *c.borrow_mut() = Some(cached));
        }
        result?
    }
}

/// Stop a run for good (SCRIPT KILL, a library's load timeout): from here every instruction
/// trips the budget, so pcall cannot go on. Once only: installing it again would refill it.
fn stop_run(lua: &Lua, run: &Run) -> omnilua::Result<()> {
    if !run.killed.replace(true) {
        lua.install_sandbox(SandboxConfig {
            instruction_limit: Some(1),
            memory_limit_bytes: None,
            check_interval: 1,
            remove_globals: Vec::new(),
        })?;
    }
    Ok(())
}

/// Compile `code` as Redis names it (`@user_script`, `@user_function`).
fn compile(lua: &Lua, code: &[u8], name: &str) -> Result<Function, String> {
    lua.load(code).set_name(name).into_function().map_err(|e| e.to_string())
}

/// KEYS or ARGV as a Lua array.
fn array(lua: &Lua, items: &[Bytes]) -> omnilua::Result<Table> {
    let t = lua.create_table()?;
    for (i, item) in items.iter().enumerate() {
        t.raw_set(i as i64 + 1, lua.create_string(item)?)?;
    }
    Ok(t)
}

/// The reply to a finished script: its return value, or its error as Redis formats it.
fn finish(lua: &Lua, outcome: omnilua::Result<(bool, Value)>, name: &str, source: &str, run: &Run) -> Frame {
    let proto = run.host.as_ref().map_or(Protocol::Resp2, |h| h.borrow().protocol());
    if let (Ok((_, value)), Some(host)) = (&outcome, &run.host) {
        convert::reply_errors(value, &mut |counted, top, text| {
            host.borrow_mut().reply_error(counted, top, text)
        });
    }
    match outcome {
        Ok((true, value)) => convert::from_lua(&value, proto),
        Ok((false, Value::Table(err))) => convert::script_error(&err, name),
        Ok((false, other)) => {
            Frame::Error(format!("ERR Error running script {name}, {}", convert::describe(&other)))
        }
        Err(_) if run.killed.get() => Frame::Error(format!(
            "ERR Script killed by user with SCRIPT KILL... script: {name}, on {source}:{}.",
            run.line.get()
        )),
        Err(e) => {
            let _ = lua;
            Frame::Error(format!(
                "ERR Error running script {name}, {}",
                e.to_string().replace(['\r', '\n'], " ")
            ))
        }
    }
}

impl ScriptRunner for LuaRunner {
    fn compile(&mut self, body: &[u8]) -> Result<(), String> {
        let lua = Lua::try_new_versioned(LuaVersion::V51).map_err(|e| e.to_string())?;
        compile(&lua, body, "@user_script").map(|_| ())
    }

    fn eval(
        &mut self,
        sha: &str,
        body: &[u8],
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn ScriptHost,
    ) -> Frame {
        let result = self.with_state(Some(host), |lua, boot, run, chunks| {
            let key = format!("f_{sha}");
            let f = match chunks.get(&key) {
                Some(Value::Function(f)) => f.clone(),
                _ => match compile(lua, body, "@user_script") {
                    Ok(f) => {
                        remember(chunks, key, Value::Function(f.clone()));
                        f
                    }
                    Err(e) => {
                        return Ok(Frame::Error(format!("ERR Error compiling script (new function): {e}")))
                    }
                },
            };
            let outcome = (|| {
                let eval: Function = boot.get("eval")?;
                eval.call::<_, (bool, Value)>((f, array(lua, keys)?, array(lua, args)?))
            })();
            Ok(finish(lua, outcome, sha, "@user_script", run))
        });
        result.unwrap_or_else(|e| Frame::Error(format!("ERR {e}")))
    }

    fn load_library(&mut self, code: &[u8]) -> Result<Vec<FunctionInfo>, String> {
        self.with_state(None, |lua, boot, run, _| {
            let f = compile(lua, strip_shebang(code), "@user_function")
                .map_err(|e| format!("Error compiling function: {e}"))?;
            let (ok, value) = load(boot, f).map_err(|e| {
                if run.killed.get() {
                    "Error registering functions: ERR FUNCTION LOAD timeout".to_string()
                } else {
                    format!("Error registering functions: {e}")
                }
            })?;
            registered(ok, &value)
        })
    }

    fn fcall(
        &mut self,
        code: &[u8],
        function: &str,
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn ScriptHost,
    ) -> Frame {
        let result = self.with_state(Some(host), |lua, boot, run, chunks| {
            let key = format!("l_{}", playground_engine::digest::sha1_hex(code));
            let list = match chunks.get(&key) {
                Some(Value::Table(list)) => list.clone(),
                _ => {
                    let f = compile(lua, strip_shebang(code), "@user_function")?;
                    let (ok, value) = load(boot, f).map_err(|e| e.to_string())?;
                    let Value::Table(list) = value else { return Err("library did not load".into()) };
                    if !ok {
                        return Err("library did not load".into());
                    }
                    remember(chunks, key, Value::Table(list.clone()));
                    list
                }
            };
            let mut callback = None;
            for entry in list.raw_pairs().map_err(|e| e.to_string())? {
                if let (_, Value::Table(e)) = entry {
                    let name: String = e.raw_get(1).map_err(|e| e.to_string())?;
                    if name == function {
                        callback = Some(e.raw_get::<_, Function>(2).map_err(|e| e.to_string())?);
                    }
                }
            }
            let Some(callback) = callback else { return Err("Function not found".into()) };
            let outcome = (|| {
                let fcall: Function = boot.get("fcall")?;
                fcall.call::<_, (bool, Value)>((callback, array(lua, keys)?, array(lua, args)?))
            })();
            Ok(finish(lua, outcome, function, "@user_function", run))
        });
        result.unwrap_or_else(|e| Frame::Error(format!("ERR {e}")))
    }
}

/// Keep a compiled script or a loaded library for the next runs, forgetting them all past a
/// bound (Redis evicts EVAL scripts past 500 too).
fn remember(chunks: &mut HashMap<String, Value>, key: String, value: Value) {
    if chunks.len() >= 1000 {
        chunks.clear();
    }
    chunks.insert(key, value);
}

/// A library's code without its `#!lua name=...` line (its line feed kept, so line numbers
/// hold), as Redis compiles it.
fn strip_shebang(code: &[u8]) -> &[u8] {
    if code.starts_with(b"#!") {
        let end = code.iter().position(|&b| b == b'\n').unwrap_or(code.len());
        &code[end..]
    } else {
        code
    }
}

fn load(boot: &Table, f: Function) -> omnilua::Result<(bool, Value)> {
    let load: Function = boot.get("load")?;
    load.call::<_, (bool, Value)>(f)
}

/// The functions FUNCTION LOAD's run registered, or its error.
fn registered(ok: bool, value: &Value) -> Result<Vec<FunctionInfo>, String> {
    let Value::Table(t) = value else { return Err("Error registering functions: unknown error".into()) };
    if !ok {
        let msg: Option<String> = t.raw_get("err").ok();
        let msg = msg.unwrap_or_default();
        return Err(format!("Error registering functions: {msg}"));
    }
    let mut out = Vec::new();
    let n = t.len().map_err(|e| e.to_string())?;
    for i in 1..=n {
        let e: Table = t.raw_get(i as i64).map_err(|e| e.to_string())?;
        let name: String = e.raw_get(1).map_err(|e| e.to_string())?;
        let description = match e.raw_get::<_, Value>(3).map_err(|e| e.to_string())? {
            Value::String(s) => Some(s.to_str().map_err(|e| e.to_string())?),
            _ => None,
        };
        let flags_t: Table = e.raw_get(4).map_err(|e| e.to_string())?;
        let mut flags = Vec::new();
        for j in 1..=flags_t.len().map_err(|e| e.to_string())? {
            flags.push(flags_t.raw_get::<_, String>(j as i64).map_err(|e| e.to_string())?);
        }
        out.push(FunctionInfo { name, description, flags });
    }
    Ok(out)
}
