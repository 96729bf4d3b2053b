//! The page's lazily loaded wasm modules: `src/bin/labs.rs` (the labs and the lessons) and
//! `src/bin/lua.rs` (the Lua VM, see `crate::lua`). The first tab that needs the labs imports
//! `labs/labs.js` (its wasm with it), once for the whole page; each tab then mounts its part
//! with an exported `mount_*` function and unmounts it when it closes.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where trunk puts the module (`data-target-path` in index.html), from the page's URL.
const MODULE: &str = "labs/labs.js";

#[wasm_bindgen(inline_js = r#"
const modules = {};
export function import_module(path) {
  // One import and one instantiation per module, however many parts ask for it (or at once).
  modules[path] ??= import(new URL(path, document.baseURI).href)
    .then(async (module) => { await module.default(); return module; })
    .catch((error) => { delete modules[path]; throw error; });
  return modules[path];
}
"#)]
extern "C" {
    /// The module at `path` (from the page's URL), imported and instantiated once.
    pub fn import_module(path: &str) -> js_sys::Promise;
}

/// Words for a failed import or mount.
pub fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// Import the module (if no tab did yet) and call its export `mount` with `args`; the mounted
/// part's handle, for [`unmount`].
pub async fn mount(mount: &str, args: &[JsValue]) -> Result<JsValue, String> {
    // The labs and lessons send their commands through a synchronous bridge, which cannot wait
    // for an engine chunk: load them all with the module.
    crate::families::load_all().await?;
    let module = JsFuture::from(import_module(MODULE)).await.map_err(|e| describe(&e))?;
    let function: Function = Reflect::get(&module, &mount.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the labs module has no {mount}"))?;
    let args: Array = args.iter().collect();
    function.apply(&JsValue::NULL, &args).map_err(|e| describe(&e))
}

/// Unmount a part mounted by [`mount`] and free its handle.
pub fn unmount(mounted: &JsValue) {
    for method in ["destroy", "free"] {
        if let Some(f) =
            Reflect::get(mounted, &method.into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = f.call0(mounted);
        }
    }
}
