//! One command and its reply, as redis-cli shows them (or as raw RESP bytes).

use crate::backend::diff::{Comparison, Marked};
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
    // A JSON document in a reply reads better indented; redis-cli's line stays the default.
    let indented = use_state(|| false);
    let wire = props.view == View::Bytes && !e.wire.is_empty();
    let pretty = e.pretty.as_ref().filter(|_| !wire);
    let body = match pretty {
        Some(p) if *indented => p,
        _ if wire => &e.wire,
        _ => &e.text,
    };
    let class = classes!("reply", e.is_error.then_some("error"), wire.then_some("wire"));
    let toggle = pretty.map(|_| {
        let on = *indented;
        let onclick = {
            let indented = indented.clone();
            Callback::from(move |_: MouseEvent| indented.set(!on))
        };
        html! {
            <button class="btn quiet pretty-json" aria-pressed={on.to_string()} {onclick}
                title="Show this JSON document indented, as JSON.GET key INDENT \"  \" NEWLINE \"\\n\" SPACE \" \" prints it">
                { if on { "one line" } else { "indent JSON" } }
            </button>
        }
    });
    html! {
        <div class="entry">
            <div class="prompt"><span class="prompt-sign">{ &e.prompt }</span>{" "}<span class="typed">{ &e.input }</span>{ for toggle }</div>
            <pre {class}>{ body }</pre>
            { for e.notes.iter().map(|n| html! { <div class="note">{ n }</div> }) }
            if let Some(c) = &e.compare { <Compared compare={(**c).clone()} /> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ComparedProps {
    pub compare: Comparison,
}

/// Both replies of a compare-mode line, RESP bytes, the differing middle marked.
#[component]
pub fn Compared(props: &ComparedProps) -> Html {
    let c = &props.compare;
    let side = |label: &str, m: &Marked, class: &str| {
        html! {
            <div class={classes!("compare-side", class.to_string())}>
                <span class="compare-label">{ label.to_string() }</span>
                <pre class="wire">{ &m.before }if !m.differs.is_empty() || !c.same { <mark class="differs">{ &m.differs }</mark> }{ &m.after }</pre>
            </div>
        }
    };
    html! {
        <div class={classes!("compare", if c.same { "same" } else if c.scores_only { "scores-only" } else { "different" })}>
            <div class="compare-verdict">{
                if c.same { "same bytes on both" }
                else if c.scores_only { "the same but for the scores' last digits (marked): summation order, see below" }
                else { "the replies differ (marked)" }
            }</div>
            { side("in-browser emulator", &c.local, "compare-local") }
            { side("real server", &c.remote, "compare-remote") }
            if c.scores_only {
                <div class="compare-note" data-testid="compare-scores-note">{ crate::backend::diff::SUMMATION_ORDER_NOTE }</div>
            }
        </div>
    }
}
