//! The virtual clock's controls: pause, 1x/10x/60x, jumps, and simulated vs real time.

use crate::clock::{format_utc, Speed};
use crate::hooks::use_real_time;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClockBarProps {
    pub now: u64,
    pub speed: Speed,
    pub on_speed: Callback<Speed>,
    /// Jump ahead by this many simulated ms.
    pub on_jump: Callback<u64>,
    /// The console talks to a real server: its TTLs follow its own clock, which a jump here
    /// would not move, so the jumps are off.
    #[prop_or_default]
    pub remote: bool,
}

const JUMPS: [(&str, u64, &str); 3] =
    [("+1 min", 60_000, "jump-min"), ("+1 h", 3_600_000, "jump-hour"), ("+1 day", 86_400_000, "jump-day")];

#[component]
pub fn ClockBar(props: &ClockBarProps) -> Html {
    let real = use_real_time();
    let speeds = Speed::ALL.iter().map(|&speed| {
        let active = speed == props.speed;
        let onclick = props.on_speed.reform(move |_: MouseEvent| speed);
        html! {
            <button class={classes!("btn", "seg", active.then_some("active"))} {onclick}
                aria-pressed={active.to_string()} data-speed={speed.label()}>
                { speed.label() }
            </button>
        }
    });
    let jumps = JUMPS.iter().map(|&(label, ms, id)| {
        let onclick = props.on_jump.reform(move |_: MouseEvent| ms);
        let title = props.remote.then_some(
            "Off on a real server: its keys expire on the server's own clock, which the page cannot move.",
        );
        html! { <button class="btn" {onclick} data-jump={id} disabled={props.remote} {title}>{ label }</button> }
    });
    let drift = props.now as f64 - real;
    html! {
        <section class="clock-bar" aria-label="Virtual clock">
            <div class="clock-times">
                <div class="clock-sim">
                    <span class="label">{"simulated"}</span>
                    <time id="sim-time" data-ms={props.now.to_string()}>{ format_utc(props.now) }</time>
                    <span class="label">{"UTC"}</span>
                </div>
                <div class="clock-real">
                    <span class="label">{"real"}</span>
                    <time>{ format_utc(real as u64) }</time>
                    if drift.abs() >= 60_000.0 {
                        <span class="drift">{ format!("(sim {}{})", if drift > 0.0 { "+" } else { "-" }, crate::clock::format_ttl(drift.abs() as u64)) }</span>
                    }
                </div>
            </div>
            <div class="clock-controls">
                <div class="segmented" role="group" aria-label="Clock speed">{ for speeds }</div>
                <div class="jumps" role="group" aria-label="Jump ahead">{ for jumps }</div>
            </div>
        </section>
    }
}
