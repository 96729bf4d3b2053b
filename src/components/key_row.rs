//! One key in the key browser: name, type badge, TTL countdown, memory; flashes on events.

use crate::clock::format_ttl;
use crate::components::key_browser::KeyInfo;
use crate::console::format::repr;
use crate::state::Flash;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct KeyRowProps {
    pub info: KeyInfo,
    pub now: u64,
    pub flash: Option<Flash>,
    pub selected: bool,
    pub on_select: Callback<()>,
}

/// The type badge's words and colour class: TYPE's name, except RedisJSON's `ReJSON-RL`, which
/// would not fit the column (its title keeps the full name).
pub fn badge_label(type_name: &str) -> &str {
    if type_name == "ReJSON-RL" {
        "json"
    } else {
        type_name
    }
}

/// `1.2 KB` style sizes.
pub fn format_bytes(n: u64) -> String {
    match n {
        0..=1023 => format!("{n} B"),
        1024..=1_048_575 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

#[component]
pub fn KeyRow(props: &KeyRowProps) -> Html {
    let info = &props.info;
    let ttl = match info.expires_at {
        Some(t) => format_ttl(t.saturating_sub(props.now)),
        None => "—".to_string(),
    };
    let onclick = props.on_select.reform(|_: MouseEvent| ());
    let onkeydown = {
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_select.emit(());
            }
        })
    };
    let class = classes!("key-row", props.selected.then_some("selected"), props.flash.map(|f| f.class()),);
    let flash_id = props.flash.map(|f| f.seq).unwrap_or(0);
    let name = String::from_utf8_lossy(&info.key).into_owned();
    html! {
        <li {class} tabindex="0" role="button" aria-expanded={props.selected.to_string()}
            data-key={name} data-flash={flash_id.to_string()} {onclick} {onkeydown}>
            <span class="key-name" title={repr(&info.key)}>
                if let Some((slot, shard)) = info.shard {
                    <span class={classes!("slot", format!("shard-{}", shard % 5))} data-slot={slot.to_string()}
                        data-shard={(shard + 1).to_string()}
                        title={format!("hash slot {slot}, served by shard {} (127.0.0.1:{})", shard + 1, crate::session::CLUSTER_PORT as usize + shard)}>
                        { slot }</span>
                }
                { repr(&info.key) }</span>
            <span class={classes!("type-badge", badge_label(info.type_name))} title={format!("TYPE: {}", info.type_name)}>{ badge_label(info.type_name) }</span>
            <span class={classes!("ttl", info.expires_at.is_some().then_some("has-ttl"))}>{ ttl }</span>
            <span class="mem" title={format!("{} bytes (estimate), {} element(s)", info.mem, info.len)}>{ format_bytes(info.mem as u64) }</span>
        </li>
    }
}
