//! Title bar: what this is, where commands run, and the theme switch.

use crate::state::Theme;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub theme: Theme,
    pub on_theme: Callback<Theme>,
    /// Where commands run ("engine in the browser").
    pub backend: AttrValue,
    /// The backend switch.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let next = if props.theme == Theme::Dark { Theme::Light } else { Theme::Dark };
    let on_theme = props.on_theme.reform(move |_: MouseEvent| next);
    let label = if next == Theme::Light { "Light theme" } else { "Dark theme" };
    html! {
        <header class="header">
            <div class="brand">
                <span class="logo" aria-hidden="true">{"◆"}</span>
                <h1>{"Redis playground"}</h1>
                <span class="tagline">{"learn caching for AI apps, in your browser"}</span>
            </div>
            <div class="header-right">
                <span class="backend-badge" title="Where your commands run">{ &props.backend }</span>
                { props.children.clone() }
                <button class="btn quiet" onclick={on_theme} aria-label={label} title={label}>
                    { if next == Theme::Light { "☀" } else { "☾" } }
                </button>
            </div>
        </header>
    }
}
