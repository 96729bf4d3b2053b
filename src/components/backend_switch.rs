//! The backend switch in the header: run commands in the in-browser emulator, or on a real
//! Redis (or Azure Managed Redis) through `playground-proxy serve` at a WebSocket URL. Shows
//! the connection state in words, the server version and the PING round trip.

use crate::backend::choice::{same_origin_url, Choice, DEFAULT_URL};
use crate::backend::remote::{ConnState, Status};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BackendSwitchProps {
    pub choice: Choice,
    /// The remote connection's status (`None` while the emulator is chosen).
    pub status: Option<Status>,
    pub on_choice: Callback<Choice>,
}

/// `/ws` on the page's origin, when the page is served over http(s) (e.g. by `trunk serve`).
fn same_origin() -> Option<String> {
    let location = web_sys::window()?.location();
    same_origin_url(&location.protocol().ok()?, &location.host().ok()?)
}

#[component]
pub fn BackendSwitch(props: &BackendSwitchProps) -> Html {
    let url_ref = use_node_ref();
    let choice = props.choice.clone();
    // What is typed in the URL box, kept across redraws (the page redraws on every clock tick).
    let typed = use_state(|| choice.url.clone());
    let on_url = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                typed.set(input.value());
            }
        })
    };
    let to_emulator = {
        let (on_choice, url) = (props.on_choice.clone(), choice.url.clone());
        Callback::from(move |_: MouseEvent| on_choice.emit(Choice { remote: false, url: url.clone() }))
    };
    let connect = {
        let (on_choice, url_ref) = (props.on_choice.clone(), url_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let url = url_ref.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let url = if url.trim().is_empty() { DEFAULT_URL.to_string() } else { url.trim().to_string() };
            on_choice.emit(Choice { remote: true, url });
        })
    };
    let (state_class, state_text) = match props.status.as_ref().map(|s| &s.state) {
        None => ("local", "emulator".to_string()),
        Some(ConnState::Connecting) => ("connecting", "connecting…".to_string()),
        Some(ConnState::Open) => ("open", "connected".to_string()),
        Some(ConnState::Closed(_)) => ("closed", "not connected".to_string()),
    };
    let error = props.status.as_ref().and_then(|s| match &s.state {
        ConnState::Closed(why) => Some(why.clone()),
        _ => None,
    });
    let details = props.status.as_ref().map(|s| {
        let version = s.version.as_ref().map(|v| format!("Redis {v}"));
        let rtt = s.rtt_ms.map(|ms| format!("PING {ms:.1} ms"));
        [version, rtt].into_iter().flatten().collect::<Vec<_>>().join(" · ")
    });
    let datalist = same_origin().into_iter().chain([DEFAULT_URL.to_string()]);
    html! {
        <div class={classes!("backend-switch", state_class)} id="backend-switch">
            <div class="segmented" role="group" aria-label="Where commands run">
                <button type="button" class={classes!("btn", "seg", (!choice.remote).then_some("active"))}
                    id="backend-local" aria-pressed={(!choice.remote).to_string()} onclick={to_emulator}>
                    {"in-browser emulator"}
                </button>
                <form class="backend-form" onsubmit={connect}>
                    <input ref={url_ref} id="backend-url" type="text" list="backend-urls" value={(*typed).clone()} oninput={on_url}
                        aria-label="Proxy WebSocket URL" spellcheck="false" autocomplete="off"
                        title="playground-proxy serve's WebSocket address; add ?token=... if the proxy wants one" />
                    <datalist id="backend-urls">{ for datalist.map(|u| html! { <option value={u} /> }) }</datalist>
                    <button type="submit" class={classes!("btn", "seg", choice.remote.then_some("active"))}
                        id="backend-remote" aria-pressed={choice.remote.to_string()}>
                        {"real Redis via proxy"}
                    </button>
                </form>
            </div>
            <span class={classes!("conn-state", state_class)} id="backend-state" role="status">{ state_text }</span>
            if let Some(d) = details.filter(|d| !d.is_empty()) { <span class="muted" id="backend-details">{ d }</span> }
            if let Some(why) = error { <p class="error-text backend-error" id="backend-error" role="alert">{ why }</p> }
        </div>
    }
}
