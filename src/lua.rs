//! Lua in the page: the engine's scripting commands with the VM in a lazily loaded module.
//!
//! The VM (`src/bin/lua.rs`: crates/scripting's `LuaRunner`) is not in the page's first wasm.
//! The first command that needs it (EVAL, SCRIPT LOAD, FUNCTION LOAD, FCALL...: the engine's
//! `script::needs_runner`) makes the console's backend import `lua/lua.js` and install a
//! [`PageRunner`] before it runs the command (`backend::LocalBackend`). The runner is small: it
//! calls the module's exports and lends them the engine's `ScriptHost` for the length of the
//! call as a JavaScript function (`serve`), so `redis.call` runs on this engine while EVAL
//! waits below it on the stack. Nothing is kept across calls and no `unsafe` is involved:
//! wasm-bindgen's scoped closure cannot outlive the borrow it wraps.
//!
//! A script that never ends would freeze the tab: nothing can send SCRIPT KILL while it runs
//! (the page has one thread). Each run gets a wall-clock deadline, [`TIME_LIMIT_MS`], after
//! which the module stops it with Redis's "Script killed by user with SCRIPT KILL..." error;
//! the console's note says why (`backend::words::explain_script_stop`).

use crate::session::SessionHandle;
use bytes::Bytes;
use js_sys::{Array, Function, Reflect, Uint8Array};
use playground_engine::frame::{Frame, Protocol};
use playground_engine::resp::{parse_frame, Limits};
use playground_engine::script::{FunctionInfo, Library, ScriptHost, ScriptRunner};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Where trunk puts the module (`data-target-path` in index.html), from the page's URL.
const MODULE: &str = "lua/lua.js";

/// How long a script may run, in real time, before the page stops it: well past Redis's
/// `busy-reply-threshold` (5 s), long enough for any script a lesson or the editor runs.
pub const TIME_LIMIT_MS: f64 = 5_000.0;

/// True if `args` needs the Lua module and the session's engine has no runner yet.
pub fn needs_loading(session: &SessionHandle, args: &[Bytes]) -> bool {
    cfg!(target_arch = "wasm32")
        && playground_engine::script::needs_runner(args)
        && session.read(|s| !s.engine.has_script_runner()).unwrap_or(false)
}

/// Import the Lua module (once for the page) and install its runner in the session's engine,
/// with every engine chunk first: a script's `redis.call` cannot wait for one.
pub async fn load(session: &SessionHandle) -> Result<(), String> {
    crate::families::load_all().await?;
    // The runner's code is in the page's lazily loaded parts.
    let parts = crate::parts::load().await?;
    let module = wasm_bindgen_futures::JsFuture::from(crate::lazy::import_module(MODULE))
        .await
        .map_err(|e| crate::lazy::describe(&e))?;
    (parts.lua_install)(session, module);
    Ok(())
}

/// Install a [`PageRunner`] for `module` in the session's engine (the page reaches this through
/// `crate::parts`).
#[cfg(target_arch = "wasm32")]
pub fn install(session: &SessionHandle, module: JsValue) {
    session.update(|s| {
        if !s.engine.has_script_runner() {
            s.engine.set_script_runner(Box::new(PageRunner { module }));
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
pub fn install(_: &SessionHandle, _: JsValue) {}

/// The engine's `ScriptRunner` in the page: each call goes to the Lua module.
pub struct PageRunner {
    module: JsValue,
}

fn decode(bytes: &[u8]) -> Frame {
    match parse_frame(bytes, &Limits::default()) {
        Ok(Some((frame, _))) => frame,
        _ => Frame::Error("ERR the Lua module's reply could not be read".into()),
    }
}

/// A list of strings as the RESP array the module reads.
fn array(items: &[Bytes]) -> Uint8Array {
    let bytes = Frame::Array(items.iter().cloned().map(Frame::Bulk).collect()).to_bytes(Protocol::Resp2);
    Uint8Array::from(bytes.as_slice())
}

/// A command the module sends (a RESP array of strings).
fn command(payload: &[u8]) -> Vec<Bytes> {
    match decode(payload) {
        Frame::Array(items) => {
            items.iter().filter_map(|f| f.as_bytes().map(Bytes::copy_from_slice)).collect()
        }
        _ => Vec::new(),
    }
}

/// What the module asks of the engine while a script runs (`host(op, payload)` in
/// `src/bin/lua.rs`): 0 runs a command, 1 sets the protocol, 2 asks whether to stop, 3 checks
/// a command against the ACL (`[1]` allowed, `[0]` denied, nothing for an unknown command), 4
/// tells an error in the script's reply (`[counted, top, text...]`).
fn serve(host: &mut dyn ScriptHost, op: u32, payload: Uint8Array) -> Uint8Array {
    let payload = payload.to_vec();
    let out = match op {
        0 => {
            let reply = host.call(command(&payload));
            reply.to_bytes(host.protocol())
        }
        1 => {
            host.set_protocol(if payload.first() == Some(&3) { Protocol::Resp3 } else { Protocol::Resp2 });
            Vec::new()
        }
        3 => host.acl_check(command(&payload)).map(u8::from).into_iter().collect(),
        4 => {
            let flag = |i: usize| payload.get(i) == Some(&1);
            host.reply_error(
                flag(0),
                flag(1),
                &String::from_utf8_lossy(payload.get(2..).unwrap_or_default()),
            );
            Vec::new()
        }
        _ => vec![u8::from(host.interrupt())],
    };
    Uint8Array::from(out.as_slice())
}

impl PageRunner {
    /// Call the module's export `name` with `args`.
    fn call(&self, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let f: Function = Reflect::get(&self.module, &name.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| format!("the Lua module has no {name}"))?;
        let args: Array = args.iter().collect();
        f.apply(&JsValue::NULL, &args).map_err(|e| crate::lazy::describe(&e))
    }

    /// A script run (`eval_script` or `fcall`): the module gets `first` and `second` (the SHA-1 and
    /// body, or the library's code and the function's name), KEYS, ARGV, and the host.
    fn run(
        &self,
        export: &str,
        first: JsValue,
        second: JsValue,
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn ScriptHost,
    ) -> Frame {
        let proto = if host.protocol() == Protocol::Resp3 { 3 } else { 2 };
        let deadline = js_sys::Date::now() + TIME_LIMIT_MS;
        let mut on_ask = |op: u32, payload: Uint8Array| serve(&mut *host, op, payload);
        let lent = Closure::<dyn FnMut(u32, Uint8Array) -> Uint8Array>::borrow_mut_aborting(&mut on_ask);
        let args = [
            first,
            second,
            array(keys).into(),
            array(args).into(),
            JsValue::from(proto),
            JsValue::from(deadline),
            lent.as_js_value().clone(),
        ];
        let reply = self.call(export, &args);
        drop(lent);
        match reply {
            Ok(bytes) => decode(&Uint8Array::new(&bytes).to_vec()),
            Err(why) => Frame::Error(format!("ERR the Lua engine failed: {why}")),
        }
    }
}

impl ScriptRunner for PageRunner {
    fn compile(&mut self, body: &[u8]) -> Result<(), String> {
        match self.call("compile", &[Uint8Array::from(body).into()]) {
            Ok(v) => v.as_string().map_or(Ok(()), Err),
            Err(why) => Err(why),
        }
    }

    fn eval(
        &mut self,
        sha: &str,
        body: &[u8],
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn ScriptHost,
    ) -> Frame {
        self.run("eval_script", sha.into(), Uint8Array::from(body).into(), keys, args, host)
    }

    fn load_library(&mut self, code: &[u8]) -> Result<Vec<FunctionInfo>, String> {
        let reply = self.call("load_library", &[Uint8Array::from(code).into()])?;
        match decode(&Uint8Array::new(&reply).to_vec()) {
            Frame::Array(functions) => Ok(functions.iter().filter_map(function_info).collect()),
            Frame::Error(e) => Err(e),
            _ => Err("the Lua module's reply could not be read".into()),
        }
    }

    fn fcall(
        &mut self,
        code: &[u8],
        function: &str,
        keys: &[Bytes],
        args: &[Bytes],
        host: &mut dyn ScriptHost,
    ) -> Frame {
        self.run("fcall", Uint8Array::from(code).into(), function.into(), keys, args, host)
    }
}

/// A library as the RESP array `[name, code, [[function, description or nil, [flag...]]...]]`
/// (a saved session keeps it: `crate::persist`).
pub fn library_bytes(library: &Library) -> Vec<u8> {
    let bulk = |s: &str| Frame::bulk(Bytes::copy_from_slice(s.as_bytes()));
    let functions = library.functions.iter().map(|f| {
        let description = f.description.as_deref().map_or(Frame::Null, bulk);
        Frame::Array(vec![
            bulk(&f.name),
            description,
            Frame::Array(f.flags.iter().map(|s| bulk(s)).collect()),
        ])
    });
    let parts =
        vec![bulk(&library.name), Frame::Bulk(library.code.clone()), Frame::Array(functions.collect())];
    Frame::Array(parts).to_bytes(Protocol::Resp3)
}

/// A library from [`library_bytes`].
pub fn library_of(bytes: &[u8]) -> Option<Library> {
    let Frame::Array(parts) = decode(bytes) else { return None };
    let [Frame::Bulk(name), Frame::Bulk(code), Frame::Array(functions)] = parts.as_slice() else {
        return None;
    };
    Some(Library {
        name: String::from_utf8_lossy(name).into_owned(),
        code: code.clone(),
        functions: functions.iter().map(function_info).collect::<Option<_>>()?,
    })
}

/// `[name, description or nil, [flag...]]` from the module's `load_library`.
fn function_info(frame: &Frame) -> Option<FunctionInfo> {
    let Frame::Array(parts) = frame else { return None };
    let text = |f: &Frame| f.as_bytes().map(|b| String::from_utf8_lossy(b).into_owned());
    let [name, description, Frame::Array(flags)] = parts.as_slice() else { return None };
    Some(FunctionInfo {
        name: text(name)?,
        description: text(description),
        flags: flags.iter().filter_map(text).collect(),
    })
}
