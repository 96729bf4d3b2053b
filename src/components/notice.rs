//! A dismissible banner (restored state, unreadable state, import results).

use crate::state::Notice;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub notice: Notice,
    pub on_dismiss: Callback<()>,
}

#[component]
pub fn NoticeBanner(props: &NoticeProps) -> Html {
    let onclick = props.on_dismiss.reform(|_: MouseEvent| ());
    let class = classes!("notice", props.notice.is_error.then_some("error"));
    html! {
        <div {class} role={if props.notice.is_error { "alert" } else { "status" }}>
            <span>{ &props.notice.text }</span>
            <button class="btn quiet" {onclick} aria-label="Dismiss">{"✕"}</button>
        </div>
    }
}
