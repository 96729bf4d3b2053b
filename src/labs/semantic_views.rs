//! Pictures for the semantic lab: the embedding strip, the neighbours table, the 2-D map of
//! cached prompts and the precision / hit-rate curve.

use playground_labs::labels::{self, Layout};
use playground_labs::semantic::Neighbour;
use playground_labs::threshold::CurvePoint;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StripProps {
    pub vector: Vec<f32>,
}

/// One cell per dimension, coloured by sign and size.
#[component]
pub fn EmbeddingStrip(props: &StripProps) -> Html {
    let n = props.vector.len().max(1);
    let max = props.vector.iter().fold(1e-6f32, |m, x| m.max(x.abs()));
    let w = 600.0 / n as f32;
    html! {
        <svg class="embedding-strip" viewBox="0 0 600 24" preserveAspectRatio="none" role="img"
            aria-label={format!("Embedding with {} dimensions", props.vector.len())}>
            { for props.vector.iter().enumerate().map(|(i, x)| {
                let strength = (x.abs() / max).clamp(0.0, 1.0);
                let class = if *x >= 0.0 { "dim-pos" } else { "dim-neg" };
                html! { <rect class={class} x={format!("{:.2}", i as f32 * w)} y="0" width={format!("{:.2}", w + 0.3)}
                    height="24" fill-opacity={format!("{strength:.2}")}><title>{format!("dim {i}: {x:.4}")}</title></rect> }
            }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct NeighboursProps {
    pub neighbours: Vec<Neighbour>,
    pub threshold: f32,
}

/// Nearest cached prompts with distance and similarity side by side.
#[component]
pub fn NeighbourTable(props: &NeighboursProps) -> Html {
    if props.neighbours.is_empty() {
        return html! { <p class="muted">{"No cached prompts yet: ask something, or load the starter set."}</p> };
    }
    html! {
        <table class="neighbours">
            <thead><tr>
                <th>{"cached prompt"}</th>
                <th title="What FT.SEARCH returns as the score for a COSINE index">{"COSINE distance"}</th>
                <th title="1 - distance">{"similarity"}</th>
                <th>{"≥ threshold?"}</th>
            </tr></thead>
            <tbody>
            { for props.neighbours.iter().map(|n| {
                let pass = n.similarity >= props.threshold;
                html! {
                    <tr class={classes!(pass.then_some("pass"))}>
                        <td>{n.prompt.clone()}</td>
                        <td class="mono">{four_places(n.distance)}</td>
                        <td class="mono">{four_places(n.similarity)}</td>
                        <td>{ if pass { "yes" } else { "no" } }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
pub struct MapProps {
    /// (label, x, y) of cached prompts.
    pub points: Vec<(String, f32, f32)>,
    /// The query's position, if there is one.
    pub query: Option<(f32, f32)>,
    /// Labels of the query's neighbours (drawn with a line to the query).
    pub neighbours: Vec<String>,
}

/// The cached prompts on their two principal components.
#[component]
pub fn PromptMap(props: &MapProps) -> Html {
    let all: Vec<(f32, f32)> = props.points.iter().map(|p| (p.1, p.2)).chain(props.query).collect();
    if all.is_empty() {
        return html! {};
    }
    let (min_x, max_x, min_y, max_y) =
        all.iter().fold((f32::MAX, f32::MIN, f32::MAX, f32::MIN), |(a, b, c, d), (x, y)| {
            (a.min(*x), b.max(*x), c.min(*y), d.max(*y))
        });
    let sx = |x: f32| 20.0 + (x - min_x) / (max_x - min_x).max(1e-6) * 360.0;
    let sy = |y: f32| 20.0 + (y - min_y) / (max_y - min_y).max(1e-6) * 200.0;
    // 9 px text (labs.css): about 5 units a character. Neighbours of the last prompt pick first.
    let layout = Layout { width: 400.0, height: 240.0, char_width: 5.0, line_height: 11.0, gap: 6.0 };
    let mut order: Vec<usize> = (0..props.points.len()).collect();
    order.sort_by_key(|&i| !props.neighbours.contains(&props.points[i].0));
    let wanted: Vec<(f32, f32, usize)> = order
        .iter()
        .map(|&i| {
            let (label, x, y) = &props.points[i];
            (sx(*x), sy(*y), short(label).chars().count())
        })
        .collect();
    let mut places = vec![None; props.points.len()];
    for (&i, place) in order.iter().zip(labels::place(&wanted, layout)) {
        places[i] = place;
    }
    html! {
        <svg class="prompt-map" viewBox="0 0 400 240" role="img" aria-label="Cached prompts mapped to two dimensions">
            { for props.query.iter().flat_map(|(qx, qy)| {
                props.points.iter().filter(|p| props.neighbours.contains(&p.0)).map(move |p| html! {
                    <line class="map-link" x1={sx(*qx).to_string()} y1={sy(*qy).to_string()} x2={sx(p.1).to_string()} y2={sy(p.2).to_string()} />
                })
            }) }
            { for props.points.iter().zip(places).map(|((label, x, y), place)| html! {
                <g class="map-point">
                    <circle cx={sx(*x).to_string()} cy={sy(*y).to_string()} r="4"><title>{label.clone()}</title></circle>
                    { for place.map(|p| html! {
                        <text x={format!("{:.1}", p.x)} y={format!("{:.1}", p.y)} text-anchor={p.anchor_end.then_some("end")}>{short(label)}</text>
                    }) }
                </g>
            }) }
            { for props.query.map(|(x, y)| html! {
                <g class="map-query">
                    <circle cx={sx(x).to_string()} cy={sy(y).to_string()} r="6"><title>{"your prompt"}</title></circle>
                </g>
            }) }
        </svg>
    }
}

fn short(label: &str) -> String {
    let mut s: String = label.chars().take(28).collect();
    if label.chars().count() > 28 {
        s.push('…');
    }
    s
}

#[derive(Properties, PartialEq)]
pub struct CurveProps {
    pub points: Vec<CurvePoint>,
    pub threshold: f32,
}

/// Hit rate and precision against the threshold.
#[component]
pub fn ThresholdCurve(props: &CurveProps) -> Html {
    let x = |t: f32| 30.0 + (t - 0.3) / 0.7 * 330.0;
    let y = |v: f32| 130.0 - v.clamp(0.0, 1.0) * 110.0;
    let line = |f: fn(&CurvePoint) -> Option<f32>| {
        props
            .points
            .iter()
            .filter_map(|p| f(p).map(|v| format!("{:.1},{:.1}", x(p.threshold), y(v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    html! {
        <svg class="threshold-curve" viewBox="0 0 380 150" role="img" aria-label="Hit rate and precision by threshold">
            <line class="axis" x1="30" y1="130" x2="360" y2="130" />
            <text class="chart-text" x="30" y="146">{"0.3"}</text>
            <text class="chart-text" x="345" y="146">{"1.0"}</text>
            <polyline class="curve-hit" points={line(|p| Some(p.hit_rate))} />
            <polyline class="curve-precision" points={line(|p| p.precision)} data-testid="sem-precision" />
            <line class="threshold-mark" x1={x(props.threshold).to_string()} y1="15" x2={x(props.threshold).to_string()} y2="130" />
            <text class="chart-text curve-hit-label" x="34" y="14">{"— hit rate"}</text>
            <text class="chart-text curve-precision-label" x="130" y="14">{"— precision"}</text>
        </svg>
    }
}

/// A distance or similarity to four places; an exact match's distance (0, or a float error
/// just below it) reads 0.0000, not -0.0000.
pub fn four_places(x: f32) -> String {
    let text = format!("{x:.4}");
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::four_places;

    #[test]
    fn an_exact_match_reads_zero_without_a_sign() {
        assert_eq!(four_places(-0.0), "0.0000");
        assert_eq!(four_places(-0.000_01), "0.0000");
        assert_eq!(four_places(0.030_2), "0.0302");
        assert_eq!(four_places(-0.25), "-0.2500");
        assert_eq!(four_places(1.0), "1.0000");
    }
}
