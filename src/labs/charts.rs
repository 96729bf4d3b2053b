//! Small SVG charts for the labs: a line chart over time, and paired bars.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LineChartProps {
    /// (x, y) points, y in 0..=1.
    pub points: Vec<(f64, f64)>,
    pub label: String,
    /// Text under the x axis.
    pub x_label: String,
}

/// A 0..1 line chart (hit ratio over time).
#[component]
pub fn LineChart(props: &LineChartProps) -> Html {
    let (w, h, pad) = (320.0, 110.0, 22.0);
    let (min_x, max_x) =
        props.points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| (lo.min(*x), hi.max(*x)));
    let span = if max_x > min_x { max_x - min_x } else { 1.0 };
    let to_xy = |(x, y): &(f64, f64)| {
        let px = pad + (x - min_x) / span * (w - 2.0 * pad);
        let py = h - pad - y.clamp(0.0, 1.0) * (h - 2.0 * pad);
        format!("{px:.1},{py:.1}")
    };
    let path: Vec<String> = props.points.iter().map(to_xy).collect();
    html! {
        <svg class="lab-chart" viewBox={format!("0 0 {w} {h}")} role="img" aria-label={props.label.clone()}>
            <line class="axis" x1={pad.to_string()} y1={(h - pad).to_string()} x2={(w - pad).to_string()} y2={(h - pad).to_string()} />
            <line class="grid" x1={pad.to_string()} y1={pad.to_string()} x2={(w - pad).to_string()} y2={pad.to_string()} />
            <text class="chart-text" x="2" y={(pad + 4.0).to_string()}>{"100%"}</text>
            <text class="chart-text" x="2" y={(h - pad + 4.0).to_string()}>{"0%"}</text>
            <text class="chart-text" x={(w / 2.0).to_string()} y={(h - 4.0).to_string()} text-anchor="middle">{props.x_label.clone()}</text>
            if path.len() > 1 {
                <polyline class="chart-line" points={path.join(" ")} />
            }
            { for path.last().map(|p| {
                let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
                html! { <circle class="chart-dot" cx={x.to_string()} cy={y.to_string()} r="3" /> }
            }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct BarsProps {
    /// (label, value, css class)
    pub bars: Vec<(String, f64, &'static str)>,
    pub unit: String,
    pub label: String,
}

/// Horizontal bars on a log-free linear scale (latency p50/p95 of hits vs misses).
#[component]
pub fn Bars(props: &BarsProps) -> Html {
    let max = props.bars.iter().map(|b| b.1).fold(0.0f64, f64::max).max(1e-9);
    let row_h = 22.0;
    let h = row_h * props.bars.len() as f64 + 4.0;
    html! {
        <svg class="lab-bars" viewBox={format!("0 0 320 {h}")} role="img" aria-label={props.label.clone()}>
            { for props.bars.iter().enumerate().map(|(i, (label, value, class))| {
                let y = 2.0 + i as f64 * row_h;
                let width = (value / max * 170.0).max(1.0);
                html! {
                    <g class={*class}>
                        <text class="chart-text" x="0" y={(y + 14.0).to_string()}>{label.clone()}</text>
                        <rect class="bar" x="90" y={(y + 3.0).to_string()} width={format!("{width:.1}")} height="14" rx="3" />
                        <text class="chart-text bar-value" x={format!("{:.1}", 95.0 + width)} y={(y + 14.0).to_string()}>
                            {format!("{value:.1} {}", props.unit)}
                        </text>
                    </g>
                }
            }) }
        </svg>
    }
}
