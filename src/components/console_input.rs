//! The input line: Enter runs, ↑/↓ walk the history (kept in the session, saved with it),
//! Tab completes command names, a paste of several lines runs each line, and the rest of the
//! command's syntax shows as a grey hint, with its summary underneath.

use crate::backend::BackendHandle;
use crate::console::help::{completions, hint, pasted_lines, spec_for};
use crate::session::SessionHandle;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsoleInputProps {
    pub on_run: Callback<Vec<String>>,
    /// Python mode: the `>>>` prompt, no Redis hints or completion, a paste kept whole.
    #[prop_or_default]
    pub python: bool,
}

/// Tab cycling: the candidates for the prefix typed before the first Tab, and where we are.
#[derive(Default)]
struct Completion {
    candidates: Vec<String>,
    index: usize,
}

#[component]
pub fn ConsoleInput(props: &ConsoleInputProps) -> Html {
    let session = use_context::<SessionHandle>();
    let backend_prompt =
        use_context::<BackendHandle>().map(|b| b.0.prompt()).unwrap_or_else(|| "redis>".into());
    let prompt = if props.python { ">>>".to_string() } else { backend_prompt };
    let value = use_state(String::new);
    let completion = use_mut_ref(Completion::default);
    let input_ref = use_node_ref();
    {
        // Ready to type as soon as the page shows.
        let input_ref = input_ref.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input_ref.cast::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        });
    }

    let oninput = {
        let (value, completion) = (value.clone(), completion.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                value.set(input.value());
            }
            *completion.borrow_mut() = Completion::default();
        })
    };
    let onkeydown = {
        let (value, completion, on_run, session, python) =
            (value.clone(), completion.clone(), props.on_run.clone(), session.clone(), props.python);
        Callback::from(move |e: KeyboardEvent| {
            let current = (*value).clone();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    if !current.trim().is_empty() {
                        value.set(String::new());
                        on_run.emit(vec![current]);
                    }
                }
                "ArrowUp" => {
                    e.prevent_default();
                    if let Some(Some(line)) =
                        session.as_ref().and_then(|s| s.update(|s| s.history.up(&current)))
                    {
                        value.set(line);
                    }
                }
                "ArrowDown" => {
                    e.prevent_default();
                    if let Some(Some(line)) = session.as_ref().and_then(|s| s.update(|s| s.history.down())) {
                        value.set(line);
                    }
                }
                "Tab" if !python && !current.contains(' ') => {
                    e.prevent_default();
                    if let Some(next) = complete(&completion, &current) {
                        value.set(next);
                    }
                }
                "Escape" => value.set(String::new()),
                // Ctrl+L clears the screen, as in redis-cli.
                "l" | "L" if e.ctrl_key() => {
                    e.prevent_default();
                    on_run.emit(vec!["clear".to_string()]);
                }
                _ => {}
            }
        })
    };
    let onpaste = {
        let (value, on_run, python) = (value.clone(), props.on_run.clone(), props.python);
        Callback::from(move |e: Event| {
            let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::ClipboardEvent>(&e) else { return };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else { return };
            if !text.contains('\n') {
                return;
            }
            e.prevent_default();
            let pasted = format!("{}{}", *value, text);
            let lines = if python { vec![pasted] } else { pasted_lines(&pasted) };
            value.set(String::new());
            on_run.emit(lines);
        })
    };
    let focus = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input_ref.cast::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        })
    };

    let hint_text = if props.python { String::new() } else { hint(&value).unwrap_or_default() };
    let spec = if props.python { None } else { spec_for(&value) };
    html! {
        <div class="input-area" onclick={focus}>
            <div class="input-line">
                <span class="prompt-sign" id="prompt">{ prompt }</span>
                <div class="input-wrap">
                    <div class="input-mirror" aria-hidden="true">
                        <span class="mirror-typed">{ (*value).clone() }</span>
                        <span class="mirror-hint">{ hint_text }</span>
                    </div>
                    <input id="console-input" ref={input_ref} type="text" value={(*value).clone()}
                        {oninput} {onkeydown} {onpaste} autocomplete="off" autocapitalize="off"
                        spellcheck="false" aria-label={if props.python { "Python" } else { "Redis command" }}
                        placeholder={if props.python { "r = redis.Redis(); r.ping()" } else { "PING" }} />
                </div>
            </div>
            <div class="summary" id="command-summary">
                if let Some(spec) = spec {
                    <code>{ format!("{} {}", spec.name.to_ascii_uppercase(), spec.syntax) }</code>
                    <span>{" — "}{ spec.summary }</span>
                } else if props.python {
                    <span class="muted">{"Python with redis-py: every redis.Redis(...) talks to this page's backend · Enter runs · ↑/↓ history"}</span>
                } else {
                    <span class="muted">{"Enter runs · Tab completes · ↑/↓ history · help <command>"}</span>
                }
            </div>
        </div>
    }
}

/// The next completion for `current`: the first Tab lists candidates, later Tabs cycle.
fn complete(state: &Rc<RefCell<Completion>>, current: &str) -> Option<String> {
    let mut c = state.borrow_mut();
    let cycling = !c.candidates.is_empty() && c.candidates.iter().any(|n| n.trim_end() == current);
    if !cycling {
        c.candidates = completions(current);
        c.index = 0;
    } else {
        c.index = (c.index + 1) % c.candidates.len();
    }
    let pick = c.candidates.get(c.index)?.clone();
    // A unique match gets its trailing space, ready for the arguments.
    Some(if c.candidates.len() == 1 { format!("{pick} ") } else { pick })
}
