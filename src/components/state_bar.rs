//! Saved state: export to a file, import from one, reset to an empty playground.

use crate::persist::Snapshot;
use crate::session::{Session, SessionHandle};
use crate::state::Notice;
use crate::storage;
use gloo::file::callbacks::FileReader;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StateBarProps {
    /// Replace the session (import, reset) and say what happened.
    pub on_replace: Callback<(Session, Notice)>,
}

#[component]
pub fn StateBar(props: &StateBarProps) -> Html {
    let session = use_context::<SessionHandle>();
    // The download URL and the file reader must outlive the event that started them.
    let url = use_mut_ref(|| None::<gloo::file::ObjectUrl>);
    let reader = use_mut_ref(|| None::<FileReader>);
    let failure = use_state(|| None::<String>);

    let export = {
        let (session, url) = (session.clone(), url.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(json) = session.as_ref().and_then(|s| s.read(|s| Snapshot::capture(s).to_json())) else {
                return;
            };
            *url.borrow_mut() = storage::download("redis-playground.json", &json);
        })
    };
    let import = {
        let (reader, on_replace, failure) = (reader.clone(), props.on_replace.clone(), failure.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let file = gloo::file::File::from(file);
            let (on_replace, failure) = (on_replace.clone(), failure.clone());
            let task = gloo::file::callbacks::read_as_text(&file, move |text| {
                let import = move |text: Result<String, String>| match text
                    .and_then(|t| storage::import(&t).map_err(|e| e.to_string()))
                {
                    Ok((session, restored)) => {
                        failure.set(None);
                        let text = format!("Imported {}.{}", restored.summary(), restored.warnings());
                        on_replace.emit((session, Notice { text, is_error: false }));
                    }
                    Err(why) => failure.set(Some(format!("Could not import this file: {why}."))),
                };
                let text = text.map_err(|e| e.to_string());
                if text.as_deref().is_ok_and(storage::has_indexes) {
                    // Its indexes' FT.CREATE needs RediSearch's engine chunk first.
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = crate::families::load(playground_engine::cmd::LazyGroup::Search).await;
                        import(text);
                    });
                } else {
                    import(text);
                }
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let reset = {
        let (session, on_replace) = (session.clone(), props.on_replace.clone());
        Callback::from(move |_: MouseEvent| {
            let mut fresh = Session::new(js_sys::Date::now() as u64);
            // The typed history is the learner's, not the keyspace's: keep it.
            if let Some(Some(history)) = session.as_ref().map(|s| s.read(|s| s.history.clone())) {
                fresh.history = history;
            }
            storage::clear();
            on_replace.emit((
                fresh,
                Notice { text: "Reset: empty keyspace, clock back to now.".into(), is_error: false },
            ));
        })
    };
    html! {
        <section class="panel state-bar" aria-label="Saved state">
            <div class="panel-head"><h2>{"Saved state"}</h2><span class="muted">{"kept in this browser"}</span></div>
            <div class="buttons">
                <button class="btn" onclick={export} id="export">{"Export"}</button>
                <label class="btn file">{"Import"}<input type="file" accept=".json,application/json" onchange={import} id="import" /></label>
                <button class="btn danger" onclick={reset} id="reset">{"Reset"}</button>
            </div>
            if let Some(why) = (*failure).clone() {
                <p class="error-text dismissible" role="alert">
                    <span>{ why }</span>
                    <button class="btn quiet" aria-label="Dismiss"
                        onclick={{ let failure = failure.clone(); Callback::from(move |_: MouseEvent| failure.set(None)) }}>{"✕"}</button>
                </p>
            }
        </section>
    }
}
