//! The HNSW graph behind the semantic cache, and one search's path through it: each layer is a
//! band (the sparse top layer first), nodes sit where the 2-D map puts them, the numbered nodes
//! are the distance computations of the last search in order, the ringed ones its results.

use playground_engine::search::TraceStep;
use std::collections::HashMap;
use yew::prelude::*;

/// What to draw.
#[derive(Clone, PartialEq, Default)]
pub struct HnswPicture {
    /// layers[l] = (node, neighbours) present on layer l.
    pub layers: Vec<Vec<(u64, Vec<u64>)>>,
    pub entry_point: Option<u64>,
    /// Node -> (x in 0..1, y in 0..1, label): the 2-D map's position.
    pub nodes: HashMap<u64, (f32, f32, String)>,
    pub trace: Vec<TraceStep>,
    pub results: Vec<u64>,
}

#[derive(Properties, PartialEq)]
pub struct HnswViewProps {
    pub picture: HnswPicture,
}

const WIDTH: f32 = 600.0;
const BAND: f32 = 110.0;

#[component]
pub fn HnswView(props: &HnswViewProps) -> Html {
    let p = &props.picture;
    // Upper layers left empty (their nodes deleted, or expired from the cache) are not drawn:
    // the search starts on the highest layer that holds a node.
    let Some(top) = p.layers.iter().rposition(|nodes| !nodes.is_empty()) else {
        return html! { <p class="muted">{"The graph appears once the index holds vectors."}</p> };
    };
    let layers = &p.layers[..=top];
    let x = |node: &u64| 20.0 + p.nodes.get(node).map_or(0.5, |(x, _, _)| *x) * (WIDTH - 40.0);
    let y = |layer: usize| 22.0 + (top - layer) as f32 * BAND + BAND / 2.0;
    // Within its layer's band a node sits at the map's second coordinate.
    let ny = |layer: usize, node: &u64| {
        y(layer) - BAND * 0.3 + p.nodes.get(node).map_or(0.5, |(_, y, _)| *y) * BAND * 0.6
    };
    let height = BAND * layers.len() as f32 + 30.0;
    // Order of first visit on each layer, for the numbers.
    let mut order: HashMap<(usize, u64), usize> = HashMap::new();
    for (i, step) in p.trace.iter().enumerate() {
        order.entry((step.layer, step.visited)).or_insert(i + 1);
    }
    let kept: std::collections::HashSet<(usize, u64)> =
        p.trace.iter().filter(|s| s.kept).map(|s| (s.layer, s.visited)).collect();
    html! {
        <svg class="hnsw-view" viewBox={format!("0 0 {WIDTH} {height}")} role="img"
            aria-label={format!("HNSW graph with {} layers; the last search computed {} distances", layers.len(), p.trace.len())}>
            { for layers.iter().enumerate().map(|(layer, nodes)| {
                let band_y = y(layer);
                html! {
                    <g class="hnsw-layer">
                        <text class="chart-text" x="2" y={(band_y - BAND / 2.0 + 12.0).to_string()}>
                            {format!("layer {layer} · {} node{}", nodes.len(), if nodes.len() == 1 { "" } else { "s" })}
                        </text>
                        { for nodes.iter().flat_map(|(node, links)| links.iter().filter(move |n| *n > node).map(move |n| (node, n))).map(|(a, b)| html! {
                            <line class="hnsw-edge" x1={x(a).to_string()} y1={ny(layer, a).to_string()} x2={x(b).to_string()} y2={ny(layer, b).to_string()} />
                        }) }
                        { for nodes.iter().map(|(node, _)| {
                            let visited = order.get(&(layer, *node));
                            let class = classes!(
                                "hnsw-node",
                                visited.is_some().then_some("visited"),
                                kept.contains(&(layer, *node)).then_some("kept"),
                                (layer == 0 && p.results.contains(node)).then_some("result"),
                                (p.entry_point == Some(*node) && layer == top).then_some("entry"),
                            );
                            let label = p.nodes.get(node).map(|(_, _, l)| l.clone()).unwrap_or_default();
                            let cy = ny(layer, node);
                            html! {
                                <g class={class}>
                                    <circle cx={x(node).to_string()} cy={cy.to_string()} r="6">
                                        <title>{label}</title>
                                    </circle>
                                    { for visited.map(|n| html! {
                                        <text class="hnsw-step" x={x(node).to_string()} y={(cy - 9.0).to_string()} text-anchor="middle">{n.to_string()}</text>
                                    }) }
                                </g>
                            }
                        }) }
                    </g>
                }
            }) }
        </svg>
    }
}
