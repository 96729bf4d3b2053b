//! A second connection to the page's engine, beside the console: the other app instance of the
//! caching lessons. Subscribed to channels or patterns, or with CLIENT TRACKING on, it shows
//! the messages and invalidations the server pushes while the console writes (the console's
//! writes are another client's, so NOLOOP and REDIRECT behave as with two real connections).

use crate::state::SecondLine;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SecondClientProps {
    pub lines: Rc<Vec<SecondLine>>,
    /// A line typed in the panel's input, to run as the second client.
    pub on_run: Callback<String>,
}

#[component]
pub fn SecondClient(props: &SecondClientProps) -> Html {
    let log = use_node_ref();
    {
        // Keep the newest line in sight.
        let log = log.clone();
        use_effect_with(props.lines.len(), move |_| {
            if let Some(el) = log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let onkeydown = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            let line = input.value();
            if !line.trim().is_empty() {
                input.set_value("");
                on_run.emit(line);
            }
        })
    };
    let lines = props.lines.iter().map(|l| {
        let class = classes!("second-line", l.input.is_none().then_some("pushed"), l.is_error.then_some("error"));
        html! {
            <div {class}>
                if let Some(input) = &l.input {
                    <div class="prompt"><span class="prompt-sign">{"client 2>"}</span>{" "}<span class="typed">{ input }</span></div>
                } else {
                    <div class="muted">{"pushed:"}</div>
                }
                <pre>{ &l.text }</pre>
            </div>
        }
    });
    html! {
        <section class="panel second-client" aria-label="Second client">
            <div class="panel-head"><h2>{"Second client"}</h2><span class="muted">{"another connection"}</span></div>
            <p class="muted hint">
                {"Try "}<code>{"SUBSCRIBE news"}</code>{" here, then "}<code>{"PUBLISH news hi"}</code>
                {" in the console. Or "}<code>{"HELLO 3"}</code>{", "}<code>{"CLIENT TRACKING on"}</code>
                {" and "}<code>{"GET k"}</code>{" here, then "}<code>{"SET k v"}</code>{" in the console."}
            </p>
            <div class="second-log" id="second-log" ref={log}>{ for lines }</div>
            <input id="second-input" class="second-input" type="text" spellcheck="false" autocomplete="off"
                aria-label="Command for the second client" placeholder="command for client 2" {onkeydown} />
        </section>
    }
}
