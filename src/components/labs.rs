//! Placeholder for the guided labs (cache-aside, semantic cache), which come as their own panels.

use yew::prelude::*;

#[component]
pub fn Labs() -> Html {
    html! {
        <section class="panel labs" aria-label="Labs">
            <h2>{"Labs"}</h2>
            <p>{"Guided exercises are on their way:"}</p>
            <ul>
                <li><strong>{"Cache-aside"}</strong>{": put a slow “LLM call” behind Redis, watch hits and misses, tune TTLs."}</li>
                <li><strong>{"Semantic cache"}</strong>{": store embeddings, answer similar questions from a vector index."}</li>
            </ul>
            <p class="muted">{"Meanwhile the console speaks Redis: try "}<code>{"help"}</code>{"."}</p>
        </section>
    }
}
