//! The console: scrollback, the text/bytes switch, and the input line.

use crate::components::{console_input::ConsoleInput, reply::Reply, script_slot::ScriptSlot};
use crate::console::{ConsoleEntry, View};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<ConsoleEntry>>,
    pub view: View,
    pub on_view: Callback<View>,
    /// Lines to run, in order (one typed line, or each line of a paste).
    pub on_run: Callback<Vec<String>>,
    /// "Run on both and compare": `None` when unavailable (no remote backend connected).
    #[prop_or_default]
    pub compare: Option<bool>,
    #[prop_or_default]
    pub on_compare: Callback<bool>,
    /// Run a line as Python (the console's Python mode, with redis-py against the page's
    /// backend); no switch when unset.
    #[prop_or_default]
    pub on_python: Option<Callback<String>>,
}

#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let scroller = use_node_ref();
    {
        // Keep the newest reply in sight.
        let scroller = scroller.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let bytes = props.view == View::Bytes;
    let toggle = props.on_view.reform(move |_: MouseEvent| if bytes { View::Text } else { View::Bytes });
    let clear = props.on_run.reform(|_: MouseEvent| vec!["clear".to_string()]);
    let python = use_state(|| false);
    let python_on = *python && props.on_python.is_some();
    let on_line = match (&props.on_python, python_on) {
        // Python takes the line (or a pasted block) whole; console commands stay redis-cli's.
        (Some(on_python), true) => {
            let (on_python, on_run) = (on_python.clone(), props.on_run.clone());
            Callback::from(move |lines: Vec<String>| match lines.as_slice() {
                [one] if one.trim() == "clear" => on_run.emit(lines),
                _ => on_python.emit(lines.join("\n")),
            })
        }
        _ => props.on_run.clone(),
    };
    let replies = props
        .entries
        .iter()
        .map(|entry| html! { <Reply key={entry.seq} entry={entry.clone()} view={props.view} /> });
    html! {
        <section class="panel console" aria-label="Console">
            <div class="panel-head">
                <h2>{"Console"}</h2>
                <div class="panel-tools">
                    <label class="switch" title="Show replies as the RESP bytes a client receives (decode_responses=False) instead of decoded text">
                        <input type="checkbox" id="bytes-toggle" checked={bytes} onclick={toggle} />
                        <span>{"raw bytes"}</span>
                    </label>
                    if let Some(on) = props.compare {
                        <label class="switch" title="Run each line on the in-browser emulator and on the real server, and mark where the replies' bytes differ">
                            <input type="checkbox" id="compare-toggle" checked={on} onclick={props.on_compare.reform(move |_: MouseEvent| !on)} />
                            <span>{"run on both and compare"}</span>
                        </label>
                    }
                    if props.on_python.is_some() {
                        <label class="switch" title="Type Python instead of Redis commands: the real redis-py, connected to this page's backend (loaded on first use)">
                            <input type="checkbox" id="python-toggle" checked={python_on}
                                onclick={{ let python = python.clone(); Callback::from(move |_: MouseEvent| python.set(!*python)) }} />
                            <span>{"Python"}</span>
                        </label>
                    }
                    <button class="btn quiet" onclick={clear} title="Clear the screen">{"Clear"}</button>
                </div>
            </div>
            <div class="scrollback" ref={scroller} aria-live="polite">
                if props.entries.is_empty() {
                    <p class="muted intro">
                        {"Type a Redis command, e.g. "}<code>{"SET greeting hello EX 300"}</code>
                        {", then "}<code>{"GET greeting"}</code>{". "}<code>{"help SET"}</code>
                        {" explains a command; Tab completes names; ↑/↓ walk the history."}
                    </p>
                }
                { for replies }
            </div>
            <ScriptSlot entries={props.entries.clone()} on_run={props.on_run.clone()} />
            <ConsoleInput on_run={on_line} python={python_on} />
        </section>
    }
}
