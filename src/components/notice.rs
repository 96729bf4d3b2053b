//! A dismissible banner (restored state, unreadable state, import results). News goes away by
//! itself after a while; an error stays until dismissed, so it is not missed.

use crate::state::Notice;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub notice: Notice,
    pub on_dismiss: Callback<()>,
}

/// How long news stays on screen.
const NEWS_MS: u32 = 8_000;

#[component]
pub fn NoticeBanner(props: &NoticeProps) -> Html {
    {
        let on_dismiss = props.on_dismiss.clone();
        use_effect_with(props.notice.clone(), move |notice| {
            let timer = (!notice.is_error)
                .then(|| gloo::timers::callback::Timeout::new(NEWS_MS, move || on_dismiss.emit(())));
            // A newer notice (or none) cancels the timer.
            move || drop(timer)
        });
    }
    let onclick = props.on_dismiss.reform(|_: MouseEvent| ());
    let class = classes!("notice", props.notice.is_error.then_some("error"));
    html! {
        <div {class} role={if props.notice.is_error { "alert" } else { "status" }}>
            <span>{ &props.notice.text }</span>
            <button class="btn quiet" {onclick} aria-label="Dismiss">{"✕"}</button>
        </div>
    }
}
