//! The lessons tab in the page. The lessons themselves (`components::lessons`) live in the
//! lazily loaded module (`crate::lazy`), like the labs: the first time the tab opens, this
//! mounts them into the tab, then hands them each console line run while the tab is open (as
//! RESP: `Ran::to_frame`), and gives them two functions back: run lines in the console, move
//! the virtual clock.

use crate::console::ConsoleEntry;
use crate::lazy::{self, unmount};
use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use playground_engine::{Frame, Protocol};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LessonsTabProps {
    pub entries: Rc<Vec<ConsoleEntry>>,
    /// Run lines in the console, as if typed.
    pub on_run: Callback<Vec<String>>,
    /// Move the virtual clock by this many ms.
    pub on_jump: Callback<u64>,
    /// Run lines as the page's second client.
    pub on_second: Callback<Vec<String>>,
    /// The console talks to a real server (whose clock the page cannot move).
    pub remote: bool,
}

#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed(String),
}

/// What the tab keeps between renders: the mounted lessons, the newest `seq` handed to them, and
/// the page's latest entries and callbacks (the JavaScript functions given to the module call
/// whatever is current).
#[derive(Default)]
struct Shared {
    mounted: Option<JsValue>,
    fed: u64,
    entries: Rc<Vec<ConsoleEntry>>,
    on_run: Callback<Vec<String>>,
    on_jump: Callback<u64>,
    on_second: Callback<Vec<String>>,
}

/// Hand the mounted lessons the lines they have not seen.
fn feed(shared: &RefCell<Shared>) {
    let mut s = shared.borrow_mut();
    let Some(mounted) = s.mounted.clone() else { return };
    let fresh: Vec<Frame> = s
        .entries
        .iter()
        .filter(|e| e.seq > s.fed)
        .filter_map(|e| Some(e.ran.as_ref()?.to_frame(e.seq)))
        .collect();
    s.fed = s.entries.last().map_or(s.fed, |e| e.seq.max(s.fed));
    drop(s);
    if fresh.is_empty() {
        return;
    }
    let bytes = Frame::Array(fresh).to_bytes(Protocol::Resp3);
    if let Some(f) = Reflect::get(&mounted, &"feed".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()) {
        let _ = f.call1(&mounted, &Uint8Array::from(bytes.as_slice()));
    }
}

/// `{ run(lines), jump(ms), second(lines) }` for the module, and the closures behind it (kept
/// alive by the caller until the lessons are unmounted).
type ConsoleFns = (Object, Closure<dyn Fn(Array)>, Closure<dyn Fn(f64)>, Closure<dyn Fn(Array)>);

fn console_functions(shared: &Rc<RefCell<Shared>>) -> ConsoleFns {
    let run = {
        let shared = shared.clone();
        Closure::<dyn Fn(Array)>::new(move |lines: Array| {
            let lines: Vec<String> = lines.iter().filter_map(|l| l.as_string()).collect();
            let on_run = shared.borrow().on_run.clone();
            on_run.emit(lines);
        })
    };
    let jump = {
        let shared = shared.clone();
        Closure::<dyn Fn(f64)>::new(move |ms: f64| {
            let on_jump = shared.borrow().on_jump.clone();
            if ms.is_finite() && ms >= 0.0 {
                on_jump.emit(ms as u64);
            }
        })
    };
    let second = {
        let shared = shared.clone();
        Closure::<dyn Fn(Array)>::new(move |lines: Array| {
            let lines: Vec<String> = lines.iter().filter_map(|l| l.as_string()).collect();
            let on_second = shared.borrow().on_second.clone();
            on_second.emit(lines);
        })
    };
    let object = Object::new();
    let _ = Reflect::set(&object, &"run".into(), run.as_ref());
    let _ = Reflect::set(&object, &"jump".into(), jump.as_ref());
    let _ = Reflect::set(&object, &"second".into(), second.as_ref());
    (object, run, jump, second)
}

#[component]
pub fn LessonsTab(props: &LessonsTabProps) -> Html {
    let host = use_node_ref();
    let status = use_state(|| Status::Loading);
    // Lines run before the tab opened do not count towards a step.
    let shared =
        use_mut_ref(|| Shared { fed: props.entries.last().map_or(0, |e| e.seq), ..Shared::default() });
    {
        let mut s = shared.borrow_mut();
        s.entries = props.entries.clone();
        s.on_run = props.on_run.clone();
        s.on_jump = props.on_jump.clone();
        s.on_second = props.on_second.clone();
    }
    {
        let (host, status, shared) = (host.clone(), status.clone(), shared.clone());
        use_effect_with(props.remote, move |remote| {
            let open = Rc::new(Cell::new(true));
            let functions = console_functions(&shared);
            if let Some(element) = host.cast::<web_sys::Element>() {
                let (open, shared, console, remote) =
                    (open.clone(), shared.clone(), functions.0.clone(), *remote);
                wasm_bindgen_futures::spawn_local(async move {
                    let args = [element.into(), console.into(), JsValue::from_bool(remote)];
                    match lazy::mount("mount_lessons", &args).await {
                        // The tab closed while the module loaded.
                        Ok(lessons) if !open.get() => unmount(&lessons),
                        Ok(lessons) => {
                            shared.borrow_mut().mounted = Some(lessons);
                            feed(&shared);
                            status.set(Status::Ready);
                        }
                        Err(why) if open.get() => status.set(Status::Failed(why)),
                        Err(_) => {}
                    }
                });
            } else {
                status.set(Status::Failed("the tab has no place for them".into()));
            }
            move || {
                open.set(false);
                if let Some(lessons) = shared.borrow_mut().mounted.take() {
                    unmount(&lessons);
                }
                // Only now may the module's functions go.
                drop(functions);
            }
        });
    }
    {
        let shared = shared.clone();
        use_effect_with(props.entries.clone(), move |_| feed(&shared));
    }
    html! {
        <section class="panel lessons" aria-label="Lessons">
            {match &*status {
                Status::Loading => html! { <p class="labs-loading" role="status">{"Loading the lessons…"}</p> },
                Status::Failed(why) => html! {
                    <p class="error-text" role="alert">{format!("The lessons could not be loaded ({why}). Reload the page to try again.")}</p>
                },
                Status::Ready => html! {},
            }}
            <div class="labs-mount" ref={host}></div>
        </section>
    }
}
