//! One command and its reply, as redis-cli shows them (or as raw RESP bytes).

use crate::console::{ConsoleEntry, View};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReplyProps {
    pub entry: ConsoleEntry,
    pub view: View,
}

#[component]
pub fn Reply(props: &ReplyProps) -> Html {
    let e = &props.entry;
    let wire = props.view == View::Bytes && !e.wire.is_empty();
    let body = if wire { &e.wire } else { &e.text };
    let class = classes!("reply", e.is_error.then_some("error"), wire.then_some("wire"));
    html! {
        <div class="entry">
            <div class="prompt"><span class="prompt-sign">{ &e.prompt }</span>{" "}<span class="typed">{ &e.input }</span></div>
            <pre {class}>{ body }</pre>
            { for e.notes.iter().map(|n| html! { <div class="note">{"vector: "}{ n }</div> }) }
        </div>
    }
}
