//! The lazily loaded module: the two labs and the guided lessons, built as a wasm module of
//! their own so the page's first load carries only the engine, the console and the key browser.
//! The page imports it when the Labs or Lessons tab is first opened (`crate::lazy`) and mounts
//! the labs with a bridge to its engine (`labs::bridge`), the lessons with the console's lines
//! and two functions back into the console (`components::lessons_tab`).

use js_sys::{Array, Function, Reflect};
use playground_labs::lessons::Ran;
use redis_playground::components::lessons_root::{Inbox, LessonsRoot, LessonsRootProps};
use redis_playground::components::script_editor::{ScriptEditor, ScriptEditorProps};
use redis_playground::labs::bridge::{decode_frames, BridgeLink};
use redis_playground::labs::link::Link;
use redis_playground::labs::{LabsRoot, LabsRootProps};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::{AppHandle, Callback, Html};

/// The labs mounted in the page; `destroy` takes them out (the Labs tab closed).
#[wasm_bindgen]
pub struct MountedLabs(Option<AppHandle<LabsRoot>>);

#[wasm_bindgen]
impl MountedLabs {
    /// Unmount the labs (they keep their runs for when the tab is opened again).
    pub fn destroy(&mut self) {
        if let Some(app) = self.0.take() {
            app.destroy();
        }
    }
}

/// Mount the labs into `host`, running their commands through `bridge` (see
/// `labs::bridge::host`), or on the real server behind the proxy at `remote_url`.
#[wasm_bindgen]
pub fn mount_labs(host: web_sys::Element, bridge: JsValue, remote_url: Option<String>) -> MountedLabs {
    skip_taken_tree_ids(&host);
    let link = Link(Rc::new(BridgeLink::new(bridge)));
    let props = LabsRootProps { link, remote_url };
    MountedLabs(Some(yew::Renderer::<LabsRoot>::with_root_and_props(host, props).render()))
}

/// The lessons mounted in the page.
#[wasm_bindgen]
pub struct MountedLessons {
    app: Option<AppHandle<LessonsRoot>>,
    inbox: Inbox,
}

#[wasm_bindgen]
impl MountedLessons {
    /// New console lines: a RESP array of `Ran::to_frame` lines.
    pub fn feed(&self, lines: &[u8]) {
        let ran: Vec<(u64, Ran)> = decode_frames(lines)
            .iter()
            .flat_map(|frame| match frame {
                playground_engine::Frame::Array(items) => items.iter().filter_map(Ran::from_frame).collect(),
                _ => Vec::new(),
            })
            .collect();
        self.inbox.post(ran);
    }

    /// Unmount the lessons (their progress is in localStorage).
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

/// Mount the lessons into `host`; `console` has `run(lines)` (run lines in the page's console,
/// as if typed), `jump(ms)` (move the virtual clock) and `second(lines)` (run lines as the
/// page's second client).
#[wasm_bindgen]
pub fn mount_lessons(host: web_sys::Element, console: JsValue, remote: bool) -> MountedLessons {
    skip_taken_tree_ids(&host);
    let function =
        |name: &str| -> Option<Function> { Reflect::get(&console, &name.into()).ok()?.dyn_into().ok() };
    let (run, jump, second) = (function("run"), function("jump"), function("second"));
    let on_run = Callback::from(move |lines: Vec<String>| {
        if let Some(run) = &run {
            let lines: Array = lines.iter().map(|l| JsValue::from_str(l)).collect();
            let _ = run.call1(&JsValue::NULL, &lines);
        }
    });
    let on_jump = Callback::from(move |ms: u64| {
        if let Some(jump) = &jump {
            let _ = jump.call1(&JsValue::NULL, &JsValue::from_f64(ms as f64));
        }
    });
    let on_second = Callback::from(move |lines: Vec<String>| {
        if let Some(second) = &second {
            let lines: Array = lines.iter().map(|l| JsValue::from_str(l)).collect();
            let _ = second.call1(&JsValue::NULL, &lines);
        }
    });
    let inbox = Inbox::default();
    let props = LessonsRootProps { inbox: inbox.clone(), on_run, on_jump, on_second, remote };
    MountedLessons {
        app: Some(yew::Renderer::<LessonsRoot>::with_root_and_props(host, props).render()),
        inbox,
    }
}

/// The Lua script editor mounted in the console panel (`components::script_slot`).
#[wasm_bindgen]
pub struct MountedEditor(Option<AppHandle<ScriptEditor>>);

#[wasm_bindgen]
impl MountedEditor {
    pub fn destroy(&mut self) {
        if let Some(app) = self.0.take() {
            app.destroy();
        }
    }
}

/// Mount the Lua script editor into `host`; `run(lines)` runs lines in the page's console.
#[wasm_bindgen]
pub fn mount_script_editor(host: web_sys::Element, run: Function) -> MountedEditor {
    skip_taken_tree_ids(&host);
    let on_run = Callback::from(move |lines: Vec<String>| {
        let lines: Array = lines.iter().map(|l| JsValue::from_str(l)).collect();
        let _ = run.call1(&JsValue::NULL, &lines);
    });
    let props = ScriptEditorProps { on_run };
    MountedEditor(Some(yew::Renderer::<ScriptEditor>::with_root_and_props(host, props).render()))
}

/// An app that draws nothing, mounted only to take a tree number (see below).
#[yew::component]
fn Probe() -> Html {
    Html::default()
}

/// yew numbers the element trees it controls from 1 in each wasm module, and writes that number
/// on every element with a listener; an event is handled by the tree whose number it finds
/// nearest the target. The page's app is tree 1 of its module, so labs numbered 1 as well would
/// each run the other's handlers (a click on a lab button pressed a page button). Before
/// mounting, the labs use up numbers until the next one is none of their host's ancestors'.
fn skip_taken_tree_ids(host: &web_sys::Element) {
    let tree_id = |el: &web_sys::Element| Reflect::get(el, &"__yew_subtree_id".into()).ok()?.as_f64();
    let taken: Vec<f64> = std::iter::successors(Some(host.clone()), |el| el.parent_element())
        .filter_map(|el| tree_id(&el))
        .collect();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    for _ in 0..64 {
        let Ok(probe) = document.create_element("div") else { return };
        let app = yew::Renderer::<Probe>::with_root(probe.clone()).render();
        let used = tree_id(&probe);
        app.destroy();
        if used.is_none_or(|id| !taken.contains(&(id + 1.0))) {
            return;
        }
    }
}

/// The vector benchmark's browser rows (see `redis_playground::vector_bench`): JSON with the build
/// rate and, per EF_RUNTIME, query time and recall@10.
#[wasm_bindgen]
pub fn bench_vectors(n: u32, queries: u32, data_salt: u32, query_salt: u32) -> String {
    redis_playground::vector_bench::bench_vectors(n, queries, data_salt, query_salt)
}

thread_local! {
    /// The MiniLM table for the Python tab's `embed()`, loaded on its first call.
    static MINILM: std::cell::RefCell<Option<Rc<dyn playground_embed::Embedder>>> =
        const { std::cell::RefCell::new(None) };
}

/// The page's MiniLM embedding of `text` (the semantic lab's model), for the Python tab's `embed()`
/// and its OpenAI-like `client.embeddings.create` (static/python/playground.py); the table loads
/// on the first call.
#[wasm_bindgen]
pub async fn embed_minilm(text: String) -> Result<Vec<f32>, JsValue> {
    let model = match MINILM.with(|m| m.borrow().clone()) {
        Some(model) => model,
        None => {
            let model =
                redis_playground::labs::embedders::load_minilm().await.map_err(|e| JsValue::from_str(&e))?;
            MINILM.with(|m| *m.borrow_mut() = Some(model.clone()));
            model
        }
    };
    Ok(model.embed(&text))
}

/// Nothing to do at load: the page calls [`mount_labs`].
fn main() {}
