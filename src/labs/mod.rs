//! The labs: the course's two caching patterns made visible, running real commands in the
//! page's engine (they show up in the key browser and the server panel as they happen) or, when
//! the learner picked the proxy backend, on the real server ([`target`]).
//!
//! - [`cache_lab`]: cache-aside and its siblings in front of a slow "database" or "LLM", under
//!   Zipf traffic on the virtual clock.
//! - [`semantic_lab`]: a semantic cache over FT.CREATE/FT.SEARCH with embeddings computed here.
//!
//! The logic lives in the `playground-labs` crate (sans I/O, tested natively); these files only
//! draw it and feed it the engine.
//!
//! They are built into a wasm module of their own (`src/bin/labs.rs`), which the page loads
//! when the Labs tab is first opened, and reach the page's engine through a [`link::Link`]
//! ([`bridge`] between the two modules).

pub mod bridge;
mod cache_lab;
mod charts;
mod command_log;
pub mod embedders;
mod flow_diagram;
pub mod hnsw_view;
mod keep;
pub mod link;
mod proxy_embedder;
mod semantic_lab;
mod semantic_views;
mod target;

use link::Link;
use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabTab {
    CacheAside,
    Semantic,
}

/// Where the labs send their commands.
#[derive(Properties, PartialEq)]
pub struct LabsProps {
    /// The proxy's WebSocket when the learner chose a real server; `None`: the page's engine.
    pub remote_url: Option<String>,
}

/// The labs panel with its two labs.
#[component]
pub fn LabsPanel(props: &LabsProps) -> Html {
    let tab = use_state(|| LabTab::CacheAside);
    let pick = |t: LabTab| {
        let tab = tab.clone();
        Callback::from(move |_: MouseEvent| tab.set(t))
    };
    let button = |t: LabTab, label: &str| {
        html! {
            <button class={classes!("tab", (*tab == t).then_some("active"))} role="tab"
                aria-selected={(*tab == t).to_string()} onclick={pick(t)}>{label.to_string()}</button>
        }
    };
    // The page's Labs tab owns the surrounding `section.panel.labs` (components::labs).
    html! {
        <>
            <div class="tab-bar lab-tabs" role="tablist">
                { button(LabTab::CacheAside, "Cache-aside lab") }
                { button(LabTab::Semantic, "Semantic cache lab") }
            </div>
            if *tab == LabTab::CacheAside {
                <cache_lab::CacheLab remote_url={props.remote_url.clone()} />
            } else {
                <semantic_lab::SemanticLab remote_url={props.remote_url.clone()} />
            }
        </>
    }
}

/// What the labs module is mounted with.
#[derive(Properties, PartialEq)]
pub struct LabsRootProps {
    /// The page's engine.
    pub link: Link,
    /// The proxy's WebSocket when the learner chose a real server; `None`: the page's engine.
    pub remote_url: Option<String>,
}

/// The labs module's root: the labs panel with the page's engine as its context.
#[component]
pub fn LabsRoot(props: &LabsRootProps) -> Html {
    html! {
        <ContextProvider<Link> context={props.link.clone()}>
            <LabsPanel remote_url={props.remote_url.clone()} />
        </ContextProvider<Link>>
    }
}
