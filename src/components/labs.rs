//! The labs tab: see `crate::labs`.

use yew::prelude::*;

#[component]
pub fn Labs() -> Html {
    html! { <crate::labs::LabsPanel /> }
}
