//! The Lua script editor's place in the console panel. The editor itself
//! (`components::script_editor`) is in the lazily loaded labs module, like the lessons, so the
//! page's first wasm carries only this: it is mounted the first time the learner opens the
//! panel, and runs its lines through the console. The last EVALSHA's reply shows here as the
//! console shows it.

use crate::components::reply::Reply;
use crate::console::{ConsoleEntry, View};
use crate::lazy::{self, unmount};
use js_sys::Array;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScriptSlotProps {
    pub entries: Rc<Vec<ConsoleEntry>>,
    /// Run lines in the console.
    pub on_run: Callback<Vec<String>>,
}

#[component]
pub fn ScriptSlot(props: &ScriptSlotProps) -> Html {
    let opened = use_state(|| false);
    let failed = use_state(|| None::<String>);
    let host = use_node_ref();
    // The editor's function calls whatever console callback is current.
    let on_run = use_mut_ref(Callback::noop);
    *on_run.borrow_mut() = props.on_run.clone();
    {
        let (host, failed) = (host.clone(), failed.clone());
        use_effect_with(*opened, move |opened| {
            let mounted = Rc::new(RefCell::new(None::<JsValue>));
            let alive = Rc::new(Cell::new(true));
            let run = Closure::<dyn Fn(Array)>::new(move |lines: Array| {
                let callback = on_run.borrow().clone();
                callback.emit(lines.iter().filter_map(|l| l.as_string()).collect());
            });
            if let Some(element) = host.cast::<web_sys::Element>().filter(|_| *opened) {
                let (mounted, alive, run) = (mounted.clone(), alive.clone(), run.as_ref().clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match lazy::mount("mount_script_editor", &[element.into(), run]).await {
                        Ok(editor) if alive.get() => *mounted.borrow_mut() = Some(editor),
                        Ok(editor) => unmount(&editor),
                        Err(why) => failed.set(Some(why)),
                    }
                });
            }
            move || {
                alive.set(false);
                if let Some(editor) = mounted.borrow_mut().take() {
                    unmount(&editor);
                }
                drop(run);
            }
        });
    }
    let ontoggle = {
        let opened = opened.clone();
        Callback::from(move |e: Event| {
            if e.target_dyn_into::<web_sys::Element>().is_some_and(|d| d.has_attribute("open")) {
                opened.set(true);
            }
        })
    };
    let last = props
        .entries
        .iter()
        .rev()
        .find(|e| e.input.get(..8).is_some_and(|w| w.eq_ignore_ascii_case("EVALSHA ")))
        .cloned();
    html! {
        <details class="script-editor" data-testid="script-editor" {ontoggle}>
            <summary>{"Lua script editor"}</summary>
            <div ref={host}></div>
            if let Some(why) = &*failed {
                <p class="error-text" role="alert">{format!("The editor could not be loaded ({why}).")}</p>
            }
            if let Some(entry) = last {
                <Reply {entry} view={View::Text} />
            }
        </details>
    }
}
