//! The Python tab: real Python (Pyodide) with the real redis-py, against the page's engine. All of
//! it is JavaScript and Python loaded on first use (`static/python/`, `window.playground` in
//! index.html); the page's wasm only hands the engine's bridge to it ([`expose_engine`]) and gives the
//! notebook a place to mount, and says which backend is current ([`expose_backend`]).

use crate::session::SessionHandle;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function expose(ready) { (window.playground ??= {}).engineReady = ready; }
export function expose_remote(url) { (window.playground ??= {}).remote = url; }
export function mount_python(el) { return window.playground.mountPython(el); }
export function run_console_python(source) { return window.playground.runConsolePython(source); }
"#)]
extern "C" {
    fn run_console_python(source: &str) -> js_sys::Promise;
    fn expose(ready: &JsValue);
    fn expose_remote(url: Option<String>);
    fn mount_python(el: &web_sys::Element) -> js_sys::Promise;
}

/// Tell the lazily loaded Python where the engine's bridge is (the one the labs use: commands
/// and replies in RESP): `window.playground.engineReady()`, a promise of it (the bridge is in
/// the page's lazily loaded parts, `crate::parts`).
pub fn expose_engine(session: &SessionHandle) {
    let session = session.clone();
    let ready = Closure::<dyn Fn() -> js_sys::Promise>::new(move || {
        let session = session.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let bridge = super::labs::bridge_for(&session).await.map_err(|why| JsValue::from_str(&why))?;
            Ok(bridge.into())
        })
    });
    expose(&ready.into_js_value());
}

/// The proxy's WebSocket when the page's backend is a real server (`None`: the in-page engine),
/// as `window.playground.remote`: redis-py's connections then each open one to it.
pub fn expose_backend(remote_url: &Option<String>) {
    expose_remote(remote_url.clone());
}

/// Run a line of the console's Python mode: what it printed (an expression's value included), and
/// the traceback if it failed, as `(text, is_error)`. The first line loads Python.
pub async fn run_console_line(source: &str) -> (String, bool) {
    let result = wasm_bindgen_futures::JsFuture::from(run_console_python(source)).await;
    let result = match result {
        Ok(r) => r,
        Err(e) => return (format!("Python could not start: {}", crate::lazy::describe(&e)), true),
    };
    let field = |name: &str| js_sys::Reflect::get(&result, &name.into()).ok().and_then(|v| v.as_string());
    let output = field("output").unwrap_or_default();
    match field("error") {
        Some(traceback) => (format!("{output}{traceback}").trim_end().to_string(), true),
        None => (output.trim_end().to_string(), false),
    }
}

#[component]
pub fn PythonTab() -> Html {
    let host = use_node_ref();
    {
        let host = host.clone();
        use_effect_with((), move |_| {
            if let Some(el) = host.cast::<web_sys::Element>() {
                let _ = mount_python(&el);
            }
        });
    }
    html! { <section class="panel python" aria-label="Python" ref={host}></section> }
}
