//! The lazily loaded Lua module: crates/scripting's `LuaRunner` (omniLua with Redis's 5.1
//! shims and libraries) as a wasm module of its own, so the page's first download carries no
//! VM. The page imports it the first time a command needs a script runner
//! (`redis_playground::lua`), and its `PageRunner` calls the exports below from inside the
//! engine's EVAL, FCALL or FUNCTION LOAD.
//!
//! `redis.call` reaches the page's engine through `host(op, payload)`, a JavaScript function
//! the page lends for the length of one run (wasm-bindgen's scoped closure around the engine's
//! `&mut dyn ScriptHost`): the page's Rust is on the stack below this call, and nothing here
//! keeps the function after the run returns. Everything crosses as RESP bytes.
//!
//! A run has a wall-clock deadline: a browser tab has no second connection to send SCRIPT KILL
//! from, so past it the script stops as if killed (Redis's words, with its line).

use bytes::Bytes;
use js_sys::{Function, Uint8Array};
use playground_engine::frame::{Frame, Protocol};
use playground_engine::resp::{parse_frame, Limits};
use playground_engine::script::{ScriptHost, ScriptRunner};
use playground_scripting::LuaRunner;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// One runner for the page (it keeps `math.random`'s state across scripts, as Redis does).
    static RUNNER: RefCell<LuaRunner> = {
        playground_scripting::set_clock(seconds);
        RefCell::new(LuaRunner::default())
    };
}

/// `performance.now()` in seconds (the page's clock for `os.clock`), or 0 where there is none.
fn seconds() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap_or_default();
    let now =
        js_sys::Reflect::get(&performance, &"now".into()).ok().and_then(|f| f.dyn_into::<Function>().ok());
    now.and_then(|f| f.call0(&performance).ok()).and_then(|v| v.as_f64()).map_or(0.0, |ms| ms / 1000.0)
}

/// The host's operations (`host(op, payload)`), as the page's `lua::serve` numbers them.
const OP_CALL: u32 = 0;
const OP_SET_PROTOCOL: u32 = 1;
const OP_INTERRUPT: u32 = 2;
const OP_ACL_CHECK: u32 = 3;
const OP_REPLY_ERROR: u32 = 4;

/// One RESP frame from bytes; a malformed one is an error reply.
fn decode(bytes: &[u8]) -> Frame {
    match parse_frame(bytes, &Limits::default()) {
        Ok(Some((frame, _))) => frame,
        _ => Frame::Error("ERR the page's reply could not be read".into()),
    }
}

/// A RESP array of bulk strings (KEYS, ARGV, a command) as a list.
fn strings(bytes: &[u8]) -> Vec<Bytes> {
    match decode(bytes) {
        Frame::Array(items) => {
            items.iter().filter_map(|f| f.as_bytes().map(Bytes::copy_from_slice)).collect()
        }
        _ => Vec::new(),
    }
}

/// The page's engine, as the script's client sees it.
struct PageHost<'a> {
    host: &'a Function,
    protocol: Protocol,
    deadline_ms: f64,
}

impl PageHost<'_> {
    fn ask(&self, op: u32, payload: &[u8]) -> Vec<u8> {
        self.host
            .call2(&JsValue::NULL, &JsValue::from(op), &Uint8Array::from(payload))
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .map(|a| a.to_vec())
            .unwrap_or_default()
    }
}

impl ScriptHost for PageHost<'_> {
    fn call(&mut self, args: Vec<Bytes>) -> Frame {
        let command = Frame::Array(args.into_iter().map(Frame::Bulk).collect()).to_bytes(Protocol::Resp2);
        decode(&self.ask(OP_CALL, &command))
    }

    fn protocol(&self) -> Protocol {
        self.protocol
    }

    fn set_protocol(&mut self, proto: Protocol) {
        self.protocol = proto;
        self.ask(OP_SET_PROTOCOL, &[if proto == Protocol::Resp3 { 3 } else { 2 }]);
    }

    fn interrupt(&mut self) -> bool {
        js_sys::Date::now() >= self.deadline_ms || self.ask(OP_INTERRUPT, &[]).first() == Some(&1)
    }

    fn acl_check(&mut self, args: Vec<Bytes>) -> Option<bool> {
        let command = Frame::Array(args.into_iter().map(Frame::Bulk).collect()).to_bytes(Protocol::Resp2);
        self.ask(OP_ACL_CHECK, &command).first().map(|&b| b == 1)
    }

    fn reply_error(&mut self, counted: bool, top: bool, error: &str) {
        let payload = [&[u8::from(counted), u8::from(top)], error.as_bytes()].concat();
        self.ask(OP_REPLY_ERROR, &payload);
    }
}

fn protocol(p: u8) -> Protocol {
    if p == 3 {
        Protocol::Resp3
    } else {
        Protocol::Resp2
    }
}

/// Run `f` with the runner; a run already going (never: scripts cannot run scripts) is refused.
fn with_runner(f: impl FnOnce(&mut LuaRunner) -> Frame) -> Vec<u8> {
    let reply = RUNNER.with(|r| match r.try_borrow_mut() {
        Ok(mut runner) => f(&mut runner),
        Err(_) => Frame::Error("ERR a script is already running".into()),
    });
    // RESP3 keeps every kind of frame a script can return.
    reply.to_bytes(Protocol::Resp3)
}

/// Compile an EVAL body: the compiler's message, or nothing when it compiles.
#[wasm_bindgen]
pub fn compile(body: &[u8]) -> Option<String> {
    RUNNER.with(|r| r.try_borrow_mut().ok().map(|mut runner| runner.compile(body).err()))?
}

/// Run an EVAL script (`keys`, `args`: RESP arrays): its reply as RESP3.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn eval_script(
    sha: &str,
    body: &[u8],
    keys: &[u8],
    args: &[u8],
    proto: u8,
    deadline_ms: f64,
    host: &Function,
) -> Vec<u8> {
    let mut host = PageHost { host, protocol: protocol(proto), deadline_ms };
    with_runner(|runner| runner.eval(sha, body, &strings(keys), &strings(args), &mut host))
}

/// Call `function` of the library whose code is `code`: its reply as RESP3.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn fcall(
    code: &[u8],
    function: &str,
    keys: &[u8],
    args: &[u8],
    proto: u8,
    deadline_ms: f64,
    host: &Function,
) -> Vec<u8> {
    let mut host = PageHost { host, protocol: protocol(proto), deadline_ms };
    with_runner(|runner| runner.fcall(code, function, &strings(keys), &strings(args), &mut host))
}

/// Run a library's code (FUNCTION LOAD): an array of `[name, description or nil, [flag...]]`,
/// or the error, as RESP3.
#[wasm_bindgen]
pub fn load_library(code: &[u8]) -> Vec<u8> {
    with_runner(|runner| match runner.load_library(code) {
        Ok(functions) => Frame::Array(
            functions
                .into_iter()
                .map(|f| {
                    Frame::Array(vec![
                        Frame::bulk(Bytes::from(f.name)),
                        f.description.map_or(Frame::Null, |d| Frame::bulk(Bytes::from(d))),
                        Frame::Array(f.flags.into_iter().map(|s| Frame::bulk(Bytes::from(s))).collect()),
                    ])
                })
                .collect(),
        ),
        Err(e) => Frame::Error(e),
    })
}

/// Nothing to do at load: the page calls the exports.
fn main() {}
