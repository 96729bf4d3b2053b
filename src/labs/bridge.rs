//! The bridge between the page's wasm module (which holds the engine) and the lazily loaded
//! labs module: a plain JavaScript object of functions that the page makes ([`host`]) and the
//! labs call ([`BridgeLink`]).
//!
//! Two wasm modules share no memory, so everything crosses as bytes or text: commands and
//! replies in RESP (the engine's own codec, so a reply decodes exactly as a client on that
//! connection would read it, the same as over the proxy), the cached prompts and the HNSW
//! picture as JSON. Times and client ids are JavaScript numbers (exact up to 2^53).

use super::link::{EngineLink, Graph, SessionLink};
use crate::session::SessionHandle;
use bytes::Bytes;
use js_sys::{Function, Object, Reflect, Uint8Array};
use playground_engine::resp::{encode_command, parse_command, parse_frame, Limits};
use playground_engine::search::hnsw::{Layers, TraceStep};
use playground_engine::Frame;
use playground_labs::flow::Command;
use playground_labs::semantic::CachedPrompt;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A cached prompt on the wire.
#[derive(Serialize, Deserialize)]
struct WirePoint {
    key: Vec<u8>,
    prompt: String,
    embedding: Vec<f32>,
}

/// [`Graph`] on the wire; trace steps as (layer, node, distance, kept).
#[derive(Serialize, Deserialize)]
struct WireGraph {
    entry_point: Option<u64>,
    layers: Vec<Vec<(u64, Vec<u64>)>>,
    keys: Vec<(u64, Vec<u8>)>,
    results: Vec<(Vec<u8>, f64)>,
    trace: Vec<(usize, u64, f64, bool)>,
}

impl From<Graph> for WireGraph {
    fn from(g: Graph) -> Self {
        WireGraph {
            entry_point: g.layers.entry_point,
            layers: g.layers.layers,
            keys: g.keys.into_iter().map(|(id, key)| (id, key.to_vec())).collect(),
            results: g.results.into_iter().map(|(key, d)| (key.to_vec(), d)).collect(),
            trace: g.trace.into_iter().map(|t| (t.layer, t.visited, t.distance, t.kept)).collect(),
        }
    }
}

impl From<WireGraph> for Graph {
    fn from(w: WireGraph) -> Self {
        Graph {
            layers: Layers { entry_point: w.entry_point, layers: w.layers },
            keys: w.keys.into_iter().map(|(id, key)| (id, Bytes::from(key))).collect(),
            results: w.results.into_iter().map(|(key, d)| (Bytes::from(key), d)).collect(),
            trace: w
                .trace
                .into_iter()
                .map(|(layer, visited, distance, kept)| TraceStep { layer, visited, distance, kept })
                .collect(),
        }
    }
}

/// Commands as one RESP byte string (each an array of bulk strings, back to back).
pub fn encode_commands(cmds: &[Command]) -> Vec<u8> {
    let mut out = Vec::new();
    for cmd in cmds {
        encode_command(cmd, &mut out);
    }
    out
}

/// The commands back from [`encode_commands`]; stops at the first malformed one.
pub fn decode_commands(mut buf: &[u8]) -> Vec<Command> {
    let limits = Limits::default();
    let mut cmds = Vec::new();
    while let Ok(Some((cmd, used))) = parse_command(buf, &limits) {
        cmds.push(cmd);
        buf = &buf[used..];
    }
    cmds
}

/// Replies back to back as RESP; stops at the first malformed one.
pub fn decode_frames(mut buf: &[u8]) -> Vec<Frame> {
    let limits = Limits::default();
    let mut frames = Vec::new();
    while let Ok(Some((frame, used))) = parse_frame(buf, &limits) {
        frames.push(frame);
        buf = &buf[used..];
    }
    frames
}

/// A JavaScript number as a time or id (negative, NaN or absent: `None`).
fn as_u64(v: f64) -> Option<u64> {
    (v.is_finite() && v >= 0.0).then_some(v as u64)
}

fn set(object: &Object, name: &str, f: JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(name), &f);
}

/// The page's side: a JavaScript object whose functions serve `session` to the labs module.
/// Its closures live as long as the page (one bridge per session handle, see
/// `components::labs`), so a lab's late timer never calls a dropped closure.
pub fn host(session: SessionHandle) -> Object {
    let object = Object::new();
    let link = std::rc::Rc::new(SessionLink(session.clone()));

    let l = link.clone();
    set(&object, "now", Closure::<dyn Fn() -> f64>::new(move || l.now() as f64).into_js_value());
    let l = link.clone();
    set(&object, "connect", Closure::<dyn Fn() -> f64>::new(move || l.connect() as f64).into_js_value());
    let l = link.clone();
    set(
        &object,
        "tick",
        Closure::<dyn Fn(f64)>::new(move |at: f64| {
            if let Some(at) = as_u64(at) {
                l.tick(at);
            }
        })
        .into_js_value(),
    );
    let l = link.clone();
    set(
        &object,
        "exec",
        Closure::<dyn Fn(f64, f64, Uint8Array) -> Uint8Array>::new(
            move |client: f64, at: f64, cmds: Uint8Array| {
                let client = as_u64(client).unwrap_or(0);
                let mut out = Vec::new();
                for cmd in decode_commands(&cmds.to_vec()) {
                    for frame in l.execute(client, vec![cmd], as_u64(at)) {
                        // Encoded as this connection speaks (HELLO may have just changed it).
                        let proto = l.0.read(|s| s.engine.protocol(client)).unwrap_or_default();
                        frame.encode(proto, &mut out);
                    }
                }
                Uint8Array::from(out.as_slice())
            },
        )
        .into_js_value(),
    );
    let l = link.clone();
    set(
        &object,
        "jump",
        Closure::<dyn Fn(f64)>::new(move |ms: f64| {
            if let Some(ms) = as_u64(ms) {
                l.jump(ms);
            }
        })
        .into_js_value(),
    );
    let l = link.clone();
    set(
        &object,
        "points",
        Closure::<dyn Fn(String) -> String>::new(move |prefix: String| {
            let points: Vec<WirePoint> = l
                .points(&prefix)
                .into_iter()
                .map(|p| WirePoint { key: p.key.to_vec(), prompt: p.prompt, embedding: p.embedding })
                .collect();
            serde_json::to_string(&points).unwrap_or_else(|_| "[]".into())
        })
        .into_js_value(),
    );
    let l = link;
    set(
        &object,
        "graph",
        Closure::<dyn Fn(String, JsValue) -> JsValue>::new(move |index: String, query: JsValue| {
            let query = query.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec);
            l.graph(&index, query.as_deref())
                .and_then(|g| serde_json::to_string(&WireGraph::from(g)).ok())
                .map_or(JsValue::UNDEFINED, |json| JsValue::from_str(&json))
        })
        .into_js_value(),
    );
    object
}

/// The labs' side: the page's engine through the bridge object it was given.
pub struct BridgeLink {
    bridge: JsValue,
}

impl BridgeLink {
    pub fn new(bridge: JsValue) -> BridgeLink {
        BridgeLink { bridge }
    }

    /// Call the bridge's function `name`; `None` when the page gave no such function or it
    /// threw (the labs then show nothing rather than stopping the page).
    fn call(&self, name: &str, args: &[JsValue]) -> Option<JsValue> {
        let f: Function = Reflect::get(&self.bridge, &JsValue::from_str(name)).ok()?.dyn_into().ok()?;
        let args: js_sys::Array = args.iter().collect();
        f.apply(&self.bridge, &args).ok()
    }

    fn number(&self, name: &str, args: &[JsValue]) -> u64 {
        self.call(name, args).and_then(|v| v.as_f64()).and_then(as_u64).unwrap_or(0)
    }
}

impl EngineLink for BridgeLink {
    fn now(&self) -> u64 {
        self.number("now", &[])
    }

    fn connect(&self) -> u64 {
        self.number("connect", &[])
    }

    fn tick(&self, at: u64) {
        self.call("tick", &[JsValue::from_f64(at as f64)]);
    }

    fn execute(&self, client: u64, cmds: Vec<Command>, at: Option<u64>) -> Vec<Frame> {
        let wanted = cmds.len();
        let bytes = Uint8Array::from(encode_commands(&cmds).as_slice());
        let at = at.map_or(f64::NAN, |t| t as f64);
        let reply =
            self.call("exec", &[JsValue::from_f64(client as f64), JsValue::from_f64(at), bytes.into()]);
        let mut frames = reply
            .and_then(|r| r.dyn_into::<Uint8Array>().ok())
            .map(|r| decode_frames(&r.to_vec()))
            .unwrap_or_default();
        // A page that could not answer (busy, or gone) still answers every command.
        frames.resize_with(wanted, || Frame::Error("ERR the playground could not run the command".into()));
        frames
    }

    fn jump(&self, ms: u64) {
        self.call("jump", &[JsValue::from_f64(ms as f64)]);
    }

    fn points(&self, prefix: &str) -> Vec<CachedPrompt> {
        let json = self.call("points", &[JsValue::from_str(prefix)]).and_then(|v| v.as_string());
        let points: Vec<WirePoint> = json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default();
        points
            .into_iter()
            .map(|p| CachedPrompt { key: Bytes::from(p.key), prompt: p.prompt, embedding: p.embedding })
            .collect()
    }

    fn graph(&self, index: &str, query: Option<&[u8]>) -> Option<Graph> {
        let query = query.map_or(JsValue::UNDEFINED, |q| Uint8Array::from(q).into());
        let json = self.call("graph", &[JsValue::from_str(index), query])?.as_string()?;
        serde_json::from_str::<WireGraph>(&json).ok().map(Graph::from)
    }
}
