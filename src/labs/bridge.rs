//! The bridge between the page's wasm module (which holds the engine) and the lazily loaded
//! labs module: a plain JavaScript object of functions that the page makes ([`host`]) and the
//! labs call ([`BridgeLink`]).
//!
//! Two wasm modules share no memory, so everything crosses as bytes or text: commands and
//! replies in RESP (the engine's own codec, so a reply decodes exactly as a client on that
//! connection would read it, the same as over the proxy), and the cached prompts and the HNSW
//! picture as RESP3 frames too (no second format in the page's wasm). Times and client ids are JavaScript numbers (exact up to 2^53).

use super::link::{EngineLink, Graph, SessionLink};
use crate::session::SessionHandle;
use bytes::Bytes;
use js_sys::{Function, Object, Reflect, Uint8Array};
use playground_engine::resp::{encode_command, parse_command, parse_frame, Limits};
use playground_engine::search::hnsw::{Layers, TraceStep};
use playground_engine::{Frame, Protocol};
use playground_labs::flow::Command;
use playground_labs::semantic::CachedPrompt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn int(v: u64) -> Frame {
    Frame::Integer(v as i64)
}

fn ints(vs: &[u64]) -> Frame {
    Frame::Array(vs.iter().map(|&v| int(v)).collect())
}

fn items(frame: &Frame) -> &[Frame] {
    match frame {
        Frame::Array(items) => items,
        _ => &[],
    }
}

fn as_u64_frame(frame: &Frame) -> Option<u64> {
    frame.as_integer().and_then(|i| u64::try_from(i).ok())
}

fn as_f64_frame(frame: &Frame) -> f64 {
    match frame {
        Frame::Double(d) => *d,
        _ => f64::NAN,
    }
}

/// The cached prompts as a RESP3 frame: `[[key, prompt, embedding as little-endian f32s], ...]`
/// (the page's wasm already carries this codec; a JSON one would add to its first download).
fn points_to_frame(points: Vec<CachedPrompt>) -> Frame {
    Frame::Array(
        points
            .into_iter()
            .map(|p| {
                let blob = playground_labs::semantic::f32_blob(&p.embedding);
                Frame::Array(vec![
                    Frame::Bulk(p.key),
                    Frame::Bulk(p.prompt.into_bytes().into()),
                    Frame::Bulk(blob.into()),
                ])
            })
            .collect(),
    )
}

fn points_from_frame(frame: &Frame) -> Vec<CachedPrompt> {
    items(frame)
        .iter()
        .filter_map(|p| match items(p) {
            [key, prompt, embedding] => Some(CachedPrompt {
                key: Bytes::copy_from_slice(key.as_bytes()?),
                prompt: String::from_utf8_lossy(prompt.as_bytes()?).into_owned(),
                embedding: playground_labs::semantic::f32_vector(embedding.as_bytes()?)?,
            }),
            _ => None,
        })
        .collect()
}

/// [`Graph`] as a RESP3 frame: `[entry point or null, layers, keys, results, trace]`, each a
/// list of lists of integers, bulk strings and doubles.
fn graph_to_frame(g: Graph) -> Frame {
    let layers = g
        .layers
        .layers
        .iter()
        .map(|layer| {
            Frame::Array(
                layer.iter().map(|(node, links)| Frame::Array(vec![int(*node), ints(links)])).collect(),
            )
        })
        .collect();
    let keys = g.keys.into_iter().map(|(id, key)| Frame::Array(vec![int(id), Frame::Bulk(key)])).collect();
    let results = g
        .results
        .into_iter()
        .map(|(key, d)| Frame::Array(vec![Frame::Bulk(key), Frame::Double(d)]))
        .collect();
    let trace = g
        .trace
        .into_iter()
        .map(|t| {
            Frame::Array(vec![
                int(t.layer as u64),
                int(t.visited),
                Frame::Double(t.distance),
                int(u64::from(t.kept)),
            ])
        })
        .collect();
    Frame::Array(vec![
        g.layers.entry_point.map_or(Frame::Null, int),
        Frame::Array(layers),
        Frame::Array(keys),
        Frame::Array(results),
        Frame::Array(trace),
    ])
}

fn graph_from_frame(frame: &Frame) -> Option<Graph> {
    let [entry, layers, keys, results, trace] = items(frame) else { return None };
    let layers = items(layers)
        .iter()
        .map(|layer| {
            items(layer)
                .iter()
                .filter_map(|n| match items(n) {
                    [node, links] => {
                        Some((as_u64_frame(node)?, items(links).iter().filter_map(as_u64_frame).collect()))
                    }
                    _ => None,
                })
                .collect()
        })
        .collect();
    let keys = items(keys)
        .iter()
        .filter_map(|k| match items(k) {
            [id, key] => Some((as_u64_frame(id)?, Bytes::copy_from_slice(key.as_bytes()?))),
            _ => None,
        })
        .collect();
    let results = items(results)
        .iter()
        .filter_map(|r| match items(r) {
            [key, d] => Some((Bytes::copy_from_slice(key.as_bytes()?), as_f64_frame(d))),
            _ => None,
        })
        .collect();
    let trace = items(trace)
        .iter()
        .filter_map(|t| match items(t) {
            [layer, visited, distance, kept] => Some(TraceStep {
                layer: as_u64_frame(layer)? as usize,
                visited: as_u64_frame(visited)?,
                distance: as_f64_frame(distance),
                kept: as_u64_frame(kept)? != 0,
            }),
            _ => None,
        })
        .collect();
    Some(Graph { layers: Layers { entry_point: as_u64_frame(entry), layers }, keys, results, trace })
}

/// A frame as RESP3 bytes for JavaScript.
fn to_js(frame: &Frame) -> Uint8Array {
    Uint8Array::from(frame.to_bytes(Protocol::Resp3).as_slice())
}

/// The one frame in RESP bytes from JavaScript.
fn from_js(value: JsValue) -> Option<Frame> {
    let bytes = value.dyn_into::<Uint8Array>().ok()?.to_vec();
    parse_frame(&bytes, &Limits::default()).ok().flatten().map(|(frame, _)| frame)
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
    // The Python tab's connections (static/python/playground.py) speak as a TCP client: a
    // blocking command parks its client until a write or its timeout serves it, and pushes (pub/sub
    // messages) come with the replies; `serve(client, nothing)` collects what came since.
    let l = link.clone();
    set(
        &object,
        "serve",
        Closure::<dyn Fn(f64, Uint8Array) -> Uint8Array>::new(move |client: f64, cmds: Uint8Array| {
            let client = as_u64(client).unwrap_or(0);
            let cmds = decode_commands(&cmds.to_vec());
            let out = l.0.update(|s| {
                let now = s.clock.now();
                s.dirty |= !cmds.is_empty();
                let mut out = Vec::new();
                let mut put = |s: &mut crate::session::Session, frame: Frame| {
                    frame.encode(s.engine.protocol(client), &mut out)
                };
                if let Some(frame) = s.engine.retry_blocked(client, now) {
                    put(s, frame);
                }
                for cmd in cmds {
                    match s.engine.execute_blocking(client, cmd, now) {
                        playground_engine::Outcome::Reply(frame) => put(s, frame),
                        playground_engine::Outcome::Blocked { .. } => break,
                    }
                }
                for frame in s.engine.take_pushes(client) {
                    put(s, frame);
                }
                out
            });
            Uint8Array::from(out.unwrap_or_default().as_slice())
        })
        .into_js_value(),
    );
    // The Lua module for the Python tab's EVAL, register_script and FCALL, and with it every
    // engine chunk (FT.*, XADD...): its `serve` cannot wait for them. Python's start asks for
    // it, and it is in long before Pyodide is.
    let l = link.clone();
    set(
        &object,
        "lua",
        Closure::<dyn Fn()>::new(move || {
            let session = l.0.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = crate::lua::load(&session).await;
            });
        })
        .into_js_value(),
    );
    let l = link.clone();
    set(
        &object,
        "disconnect",
        Closure::<dyn Fn(f64)>::new(move |client: f64| {
            if let Some(client) = as_u64(client) {
                l.0.update(|s| s.engine.disconnect(client));
            }
        })
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
    set(&object, "checkpoint", Closure::<dyn Fn()>::new(move || l.checkpoint()).into_js_value());
    let l = link.clone();
    set(&object, "rewind", Closure::<dyn Fn() -> bool>::new(move || l.rewind()).into_js_value());
    let l = link.clone();
    set(
        &object,
        "expiring",
        Closure::<dyn Fn(f64, String) -> f64>::new(move |ms: f64, prefix: String| {
            as_u64(ms).map_or(0.0, |ms| l.expiring_within(ms, &prefix) as f64)
        })
        .into_js_value(),
    );
    let l = link.clone();
    set(
        &object,
        "points",
        Closure::<dyn Fn(String) -> Uint8Array>::new(move |prefix: String| {
            to_js(&points_to_frame(l.points(&prefix)))
        })
        .into_js_value(),
    );
    let l = link;
    set(
        &object,
        "graph",
        Closure::<dyn Fn(String, JsValue) -> JsValue>::new(move |index: String, query: JsValue| {
            let query = query.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec);
            l.graph(&index, query.as_deref()).map_or(JsValue::UNDEFINED, |g| to_js(&graph_to_frame(g)).into())
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

    fn checkpoint(&self) {
        self.call("checkpoint", &[]);
    }

    fn rewind(&self) -> bool {
        self.call("rewind", &[]).and_then(|v| v.as_bool()).unwrap_or(false)
    }

    fn expiring_within(&self, ms: u64, except_prefix: &str) -> u64 {
        self.number("expiring", &[JsValue::from_f64(ms as f64), JsValue::from_str(except_prefix)])
    }

    fn points(&self, prefix: &str) -> Vec<CachedPrompt> {
        let frame = self.call("points", &[JsValue::from_str(prefix)]).and_then(from_js);
        frame.as_ref().map(points_from_frame).unwrap_or_default()
    }

    fn graph(&self, index: &str, query: Option<&[u8]>) -> Option<Graph> {
        let query = query.map_or(JsValue::UNDEFINED, |q| Uint8Array::from(q).into());
        graph_from_frame(&from_js(self.call("graph", &[JsValue::from_str(index), query])?)?)
    }
}
