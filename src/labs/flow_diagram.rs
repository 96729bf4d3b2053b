//! The path of the last request: app, Redis and the source as boxes, and the hops it took
//! drawn one after the other (a CSS animation per hop, delayed by its place in the path), each
//! labelled with the command it carried. A new request re-keys the picture, so it plays again.

use playground_labs::cache_aside::{Hop, Outcome};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FlowDiagramProps {
    pub path: Vec<Hop>,
    pub outcome: Option<Outcome>,
    pub source: String,
    /// The commands the request sent to Redis, in order (one per trip to Redis).
    #[prop_or_default]
    pub commands: Vec<String>,
    /// Which request this is: a new number replays the animation.
    #[prop_or_default]
    pub seq: u64,
}

/// Seconds each hop takes to draw.
const HOP_SECONDS: f32 = 0.22;

/// What a hop carries: the next Redis command for trips to Redis, words for the others.
fn hop_labels(path: &[Hop], commands: &[String]) -> Vec<String> {
    let mut sent = commands.iter();
    path.iter()
        .map(|hop| match hop {
            Hop::AppToCache => sent.next().cloned().unwrap_or_default(),
            Hop::CacheToApp => "reply".into(),
            Hop::AppToSource | Hop::CacheToSource => "load".into(),
            Hop::SourceToApp | Hop::SourceToCache => "data".into(),
        })
        .collect()
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
    let labels = hop_labels(&props.path, &props.commands);
    let outcome_delay = format!("animation-delay: {:.2}s", props.path.len() as f32 * HOP_SECONDS);
    let node = |(x, y): (f32, f32), name: String, class: &'static str| {
        html! {
            <g class={classes!("flow-node", class)}>
                <rect x={(x - 60.0).to_string()} y={(y - 18.0).to_string()} width="120" height="36" rx="8" />
                <text x={x.to_string()} y={(y + 5.0).to_string()} text-anchor="middle">{name}</text>
            </g>
        }
    };
    html! {
        <svg class="flow-diagram" key={props.seq.to_string()} viewBox="0 0 400 160" role="img" aria-label={format!("Last request: {label}")}
            data-testid="flow-diagram" data-hops={props.path.len().to_string()}>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="flow-arrowhead" />
                </marker>
            </defs>
            { for props.path.iter().zip(&labels).enumerate().map(|(i, (hop, label))| {
                let ((x1, y1), (x2, y2)) = ends(*hop);
                // Offset the way back so both directions stay visible.
                let shift = if matches!(hop, Hop::CacheToApp | Hop::SourceToApp | Hop::SourceToCache) { 7.0 } else { -7.0 };
                // Labels sit well clear of their (sloped) line: above the way out, below the way back.
                let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0 + shift * 3.0);
                let delay = format!("animation-delay: {:.2}s", i as f32 * HOP_SECONDS);
                html! {
                    <g class="flow-step" style={delay}>
                        <line class="flow-hop" pathLength="1" x1={x1.to_string()} y1={(y1 + shift).to_string()}
                            x2={x2.to_string()} y2={(y2 + shift).to_string()} marker-end="url(#arrow)">
                            <title>{format!("step {}: {label}", i + 1)}</title>
                        </line>
                        <text class="flow-hop-label" x={mx.to_string()} y={(my + 4.0).to_string()} text-anchor="middle">{label.clone()}</text>
                    </g>
                }
            }) }
            { node(APP, "App".into(), "flow-app") }
            { node(CACHE, "Redis".into(), "flow-cache") }
            { node(SOURCE, props.source.clone(), "flow-source") }
            <text class={classes!("flow-outcome", label.to_ascii_lowercase().replace([' ', '(', ')', '!'], ""))} style={outcome_delay} x="70" y="140" text-anchor="middle">{label}</text>
        </svg>
    }
}
