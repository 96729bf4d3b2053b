//! The path of the last request: app, Redis and the source as boxes, the hops it took lit up.

use playground_labs::cache_aside::{Hop, Outcome};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FlowDiagramProps {
    pub path: Vec<Hop>,
    pub outcome: Option<Outcome>,
    pub source: String,
}

/// Box centres: app on the left, Redis top right, source bottom right.
const APP: (f32, f32) = (70.0, 80.0);
const CACHE: (f32, f32) = (330.0, 35.0);
const SOURCE: (f32, f32) = (330.0, 125.0);

fn ends(hop: Hop) -> ((f32, f32), (f32, f32)) {
    match hop {
        Hop::AppToCache => (APP, CACHE),
        Hop::CacheToApp => (CACHE, APP),
        Hop::AppToSource => (APP, SOURCE),
        Hop::SourceToApp => (SOURCE, APP),
        Hop::CacheToSource => (CACHE, SOURCE),
        Hop::SourceToCache => (SOURCE, CACHE),
    }
}

#[component]
pub fn FlowDiagram(props: &FlowDiagramProps) -> Html {
    let label = match props.outcome {
        Some(Outcome::Hit { stale: false }) => "HIT",
        Some(Outcome::Hit { stale: true }) => "HIT (stale!)",
        Some(Outcome::Miss) => "MISS",
        Some(Outcome::Write) => "WRITE",
        None => "waiting",
    };
    let node = |(x, y): (f32, f32), name: String, class: &'static str| {
        html! {
            <g class={classes!("flow-node", class)}>
                <rect x={(x - 60.0).to_string()} y={(y - 18.0).to_string()} width="120" height="36" rx="8" />
                <text x={x.to_string()} y={(y + 5.0).to_string()} text-anchor="middle">{name}</text>
            </g>
        }
    };
    html! {
        <svg class="flow-diagram" viewBox="0 0 400 160" role="img" aria-label={format!("Last request: {label}")}>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="flow-arrowhead" />
                </marker>
            </defs>
            { for props.path.iter().enumerate().map(|(i, hop)| {
                let ((x1, y1), (x2, y2)) = ends(*hop);
                // Offset the way back so both directions stay visible.
                let shift = if matches!(hop, Hop::CacheToApp | Hop::SourceToApp | Hop::SourceToCache) { 6.0 } else { -6.0 };
                html! {
                    <line class="flow-hop" x1={(x1 + 60.0_f32.copysign(x2 - x1) * 0.0).to_string()} y1={(y1 + shift).to_string()}
                        x2={x2.to_string()} y2={(y2 + shift).to_string()} marker-end="url(#arrow)">
                        <title>{format!("step {}", i + 1)}</title>
                    </line>
                }
            }) }
            { node(APP, "App".into(), "flow-app") }
            { node(CACHE, "Redis".into(), "flow-cache") }
            { node(SOURCE, props.source.clone(), "flow-source") }
            <text class={classes!("flow-outcome", label.to_ascii_lowercase().replace([' ', '(', ')', '!'], ""))} x="70" y="140" text-anchor="middle">{label}</text>
        </svg>
    }
}
