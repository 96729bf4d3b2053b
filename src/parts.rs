//! The page's own parts that load on first use, like the engine's chunks (`crate::families`):
//! a key's detail view, a real server's key browser, the Labs, Lessons and Python tabs' hosts,
//! the bridge the labs and Python send their commands through, and the engine's script runner
//! on the Lua module. In the page's build (feature `core-engine`) only a split point of
//! `src/main.rs` names them, so `scripts/page-wasm.sh` moves them (and the code only they
//! reach) into a chunk of their own; the first key the learner opens loads it. Other builds
//! (tests, native) reach them directly.

use crate::components::key_detail::{KeyDetail, KeyDetailProps};
use crate::components::labs::{Labs, LabsTabProps};
use crate::components::lessons_tab::{LessonsTab, LessonsTabProps};
use crate::components::python_tab::PythonTab;
use crate::components::remote_keys::{RemoteKeys, RemoteKeysProps};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use yew::prelude::*;

/// What the chunk brings.
pub struct Parts {
    /// A key's detail view.
    pub key_detail: fn(KeyDetailProps) -> Html,
    /// The engine's bridge for the labs module and Python (`crate::labs::bridge::host`).
    pub labs_host: fn(crate::session::SessionHandle) -> js_sys::Object,
    /// The engine's script runner on the Lua module (`crate::lua::install`).
    pub lua_install: fn(&crate::session::SessionHandle, wasm_bindgen::JsValue),
    /// The key browser of a real server.
    pub remote_keys: fn(RemoteKeysProps) -> Html,
    /// The tabs' hosts: each mounts its lazily loaded module (labs, lessons, Python) in the page.
    pub labs_tab: fn(LabsTabProps) -> Html,
    pub lessons_tab: fn(LessonsTabProps) -> Html,
    pub python_tab: fn() -> Html,
}

/// The parts themselves: named only by the split point (and by builds without one).
pub const PARTS: Parts = Parts {
    key_detail: |props| html! { <KeyDetail ..props /> },
    labs_host: crate::labs::bridge::host,
    lua_install: crate::lua::install,
    remote_keys: |props| html! { <RemoteKeys ..props /> },
    labs_tab: |props| html! { <Labs ..props /> },
    lessons_tab: |props| html! { <LessonsTab ..props /> },
    python_tab: || html! { <PythonTab /> },
};

/// What fetches the chunk (set by `main`, which owns the split point).
pub type Loader = fn() -> Pin<Box<dyn Future<Output = Result<&'static Parts, String>>>>;

thread_local! {
    static LOADER: Cell<Option<Loader>> = const { Cell::new(None) };
    static LOADED: Cell<Option<&'static Parts>> = const { Cell::new(None) };
}

/// Set the page's loader (before the app starts).
pub fn set_loader(loader: Loader) {
    LOADER.with(|l| l.set(Some(loader)));
}

/// The parts, if they are in.
pub fn loaded() -> Option<&'static Parts> {
    #[cfg(not(feature = "core-engine"))]
    return Some(&PARTS);
    #[cfg(feature = "core-engine")]
    LOADED.with(Cell::get)
}

/// Load the chunk (once).
pub async fn load() -> Result<&'static Parts, String> {
    if let Some(parts) = loaded() {
        return Ok(parts);
    }
    let loader = LOADER.with(Cell::get).ok_or("this build of the page cannot load its parts")?;
    let parts = loader().await?;
    LOADED.with(|l| l.set(Some(parts)));
    Ok(parts)
}

/// The parts for a view that needs them: `Ok(None)` while they load (the hook starts the load
/// and re-renders its component when they are in), `Err` with the reason if they could not.
#[hook]
fn use_parts() -> Result<Option<&'static Parts>, String> {
    let failed = use_state(|| None::<String>);
    let ready = use_state(|| loaded().is_some());
    {
        let (ready, failed) = (ready.clone(), failed.clone());
        use_effect_with((), move |_| {
            if !*ready {
                wasm_bindgen_futures::spawn_local(async move {
                    match load().await {
                        Ok(_) => ready.set(true),
                        Err(why) => failed.set(Some(why)),
                    }
                });
            }
        });
    }
    match (&*failed, loaded()) {
        (_, Some(parts)) => Ok(Some(parts)),
        (Some(why), None) => Err(why.clone()),
        (None, None) => Ok(None),
    }
}

/// A line in place of a view whose part is loading, or says why it could not.
fn waiting(state: Result<(), String>) -> String {
    match state {
        Ok(()) => "Loading this view…".to_string(),
        Err(why) => format!("This view could not be loaded ({why}): reload the page to try again."),
    }
}

/// A key's detail view, once its chunk is in; meanwhile a line that says it loads (or why it
/// could not).
#[component]
pub fn LazyKeyDetail(props: &KeyDetailProps) -> Html {
    let parts = use_parts();
    if let Ok(Some(parts)) = parts {
        return (parts.key_detail)(props.clone());
    }
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        // Not `key-detail`: that id is the view itself, which tests and styles look for.
        <div class="detail" id="key-detail-loading" role="status">
            <div class="detail-head">
                <h3>{ crate::console::format::repr(&props.key_name) }</h3>
                <button class="btn quiet" onclick={on_close} aria-label="Close">{"✕"}</button>
            </div>
            <p class="muted">{ waiting(parts.map(|_| ())) }</p>
        </div>
    }
}

/// The key browser of a real server (`crate::components::remote_keys`), once its chunk is in.
#[component]
pub fn LazyRemoteKeys(props: &RemoteKeysProps) -> Html {
    match use_parts() {
        Ok(Some(parts)) => (parts.remote_keys)(props.clone()),
        state => html! {
            <section class="panel keys" aria-label="Key browser">
                <p class="muted" role="status">{ waiting(state.map(|_| ())) }</p>
            </section>
        },
    }
}

/// A tab's host in place while its part loads (or why it could not).
fn tab_waiting(label: &'static str, state: Result<(), String>) -> Html {
    html! { <section class="panel" aria-label={label}><p class="muted" role="status">{ waiting(state) }</p></section> }
}

/// The Labs tab, once its part is in.
#[component]
pub fn LazyLabs(props: &LabsTabProps) -> Html {
    match use_parts() {
        Ok(Some(parts)) => (parts.labs_tab)(props.clone()),
        state => tab_waiting("Labs", state.map(|_| ())),
    }
}

/// The Lessons tab, once its part is in.
#[component]
pub fn LazyLessonsTab(props: &LessonsTabProps) -> Html {
    match use_parts() {
        Ok(Some(parts)) => (parts.lessons_tab)(props.clone()),
        state => tab_waiting("Lessons", state.map(|_| ())),
    }
}

/// The Python tab, once its part is in.
#[component]
pub fn LazyPythonTab() -> Html {
    match use_parts() {
        Ok(Some(parts)) => (parts.python_tab)(),
        state => tab_waiting("Python", state.map(|_| ())),
    }
}
