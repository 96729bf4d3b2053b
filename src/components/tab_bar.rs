//! Tabs: Console and Key browser (side by side on a wide window, one at a time on a narrow
//! one), Lessons (guided steps beside the console) and Labs.

use crate::state::Tab;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TabBarProps {
    pub tab: Tab,
    pub on_select: Callback<Tab>,
}

#[component]
pub fn TabBar(props: &TabBarProps) -> Html {
    let tabs = [
        (Tab::Console, "Console"),
        (Tab::Keys, "Key browser"),
        (Tab::Lessons, "Lessons"),
        (Tab::Labs, "Labs"),
        (Tab::Python, "Python"),
    ];
    let buttons = tabs.into_iter().map(|(tab, label)| {
        let selected = tab == props.tab;
        let onclick = props.on_select.reform(move |_: MouseEvent| tab);
        html! {
            <button role="tab" class={classes!("tab", selected.then_some("active"))}
                aria-selected={selected.to_string()} {onclick}>{ label }</button>
        }
    });
    html! { <nav class="tab-bar" role="tablist" aria-label="Panels">{ for buttons }</nav> }
}
