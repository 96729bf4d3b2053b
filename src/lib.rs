//! The playground page: a yew app that runs the `playground-engine` mini-Redis in the browser.
//!
//! A tour:
//! - [`console`]: the redis-cli-like console's logic (argument splitting, reply formatting,
//!   help, history), DOM-free so it is unit-tested natively.
//! - [`session`]: the engine, its virtual [`clock`] and the console client, shared through a
//!   context handle; [`backend`]: the trait the console sends commands through (the in-page
//!   engine today, a WebSocket proxy later).
//! - [`state`]: the reducer for what the page draws; [`hooks`]: the clock heartbeat.
//! - [`persist`]: the versioned snapshot format; [`storage`]: localStorage and files.
//! - [`components`]: one component per file, [`App`] at the top.

pub mod backend;
pub mod clock;
pub mod components;
pub mod console;
pub mod debug;
pub mod families;
pub mod hooks;
pub mod json;
pub mod labs;
pub mod lazy;
pub mod lua;
pub mod parts;
pub mod persist;
pub mod session;
pub mod state;
pub mod storage;
pub mod vector_bench;

pub use components::app::App;

/// Hand the engine the browser's Unicode lowercase (for FT.SEARCH SORTBY on SORTABLE fields):
/// the same mapping as std's `to_lowercase`, without its tables in the page's wasm.
pub fn install_host_lowercase() {
    playground_engine::search::text::set_host_lowercase(|text| {
        String::from(js_sys::JsString::from(text).to_lower_case())
    });
}

/// Mount the app on the page's body (what `main` does). A saved session with search indexes
/// waits for RediSearch's engine chunk, which rebuilding them needs.
pub fn start() {
    install_host_lowercase();
    debug::install();
    wasm_bindgen_futures::spawn_local(async {
        if storage::saved_has_indexes() {
            // A failure leaves the indexes out, and the restore notice says so.
            let _ = families::load(playground_engine::cmd::LazyGroup::Search).await;
        }
        // index.html shows a loading line until the app takes over.
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(boot) = document.and_then(|d| d.get_element_by_id("boot")) {
            boot.remove();
        }
        yew::Renderer::<App>::new().render();
    });
}
