//! The labs tab: see `crate::labs`.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LabsTabProps {
    /// The proxy's WebSocket when the learner chose a real server.
    pub remote_url: Option<String>,
}

#[component]
pub fn Labs(props: &LabsTabProps) -> Html {
    html! { <crate::labs::LabsPanel remote_url={props.remote_url.clone()} /> }
}
