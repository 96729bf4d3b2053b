//! A small SVG line chart (no canvas, so tests can read the points).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SparklineProps {
    /// Values in 0..=1, oldest first.
    pub values: Vec<f64>,
    #[prop_or(160)]
    pub width: u32,
    #[prop_or(36)]
    pub height: u32,
    pub label: AttrValue,
}

/// SVG polyline points for values in 0..=1 spread over the width.
pub fn points(values: &[f64], width: f64, height: f64) -> String {
    let n = values.len();
    let step = if n > 1 { width / (n - 1) as f64 } else { 0.0 };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let y = height - v.clamp(0.0, 1.0) * (height - 2.0) - 1.0;
            format!("{:.1},{:.1}", i as f64 * step, y)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn Sparkline(props: &SparklineProps) -> Html {
    let (w, h) = (props.width as f64, props.height as f64);
    let line = points(&props.values, w, h);
    let area = if props.values.len() > 1 { format!("0,{h} {line} {w},{h}") } else { String::new() };
    html! {
        <svg class="sparkline" viewBox={format!("0 0 {w} {h}")} width={props.width.to_string()}
            height={props.height.to_string()} role="img" aria-label={props.label.clone()}>
            <line x1="0" y1={(h / 2.0).to_string()} x2={w.to_string()} y2={(h / 2.0).to_string()} class="mid" />
            if props.values.len() > 1 {
                <polygon points={area} class="area" />
                <polyline points={line} class="line" />
            }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn points_span_the_width_and_flip_the_axis() {
        assert_eq!(super::points(&[0.0, 1.0], 100.0, 10.0), "0.0,9.0 100.0,1.0");
        assert_eq!(super::points(&[], 100.0, 10.0), "");
    }
}
