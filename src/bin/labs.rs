//! The labs module: the two labs, built as a wasm module of their own so the page's first load
//! carries only the engine, the console and the key browser. The page imports it when the Labs
//! tab is first opened (`components::labs`) and mounts it into the tab with a bridge to its
//! engine (`labs::bridge`).

use js_sys::Reflect;
use redis_playground::labs::bridge::BridgeLink;
use redis_playground::labs::link::Link;
use redis_playground::labs::{LabsRoot, LabsRootProps};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::{AppHandle, Html};

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

/// Nothing to do at load: the page calls [`mount_labs`].
fn main() {}
