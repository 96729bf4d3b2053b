//! The labs tab. The labs themselves (`crate::labs`) are in a wasm module of their own
//! (`crate::lazy`): the first time the tab opens, this imports it, then mounts the labs into the
//! tab with a bridge to the page's engine (`crate::labs::bridge`, in the page's lazily loaded
//! parts, `crate::parts`). The page's first load
//! stays small; the labs cost their download only to those who open them.

use crate::lazy::{self, unmount};
use crate::session::SessionHandle;
use js_sys::Object;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

thread_local! {
    /// The bridge for the page's session: made once, so its closures outlive every lab timer.
    static BRIDGE: RefCell<Option<(SessionHandle, Object)>> = const { RefCell::new(None) };
}

/// The bridge (made by the page's lazily loaded parts, `crate::parts`, loaded here if need be).
pub async fn bridge_for(session: &SessionHandle) -> Result<Object, String> {
    let kept = BRIDGE.with(|slot| match &*slot.borrow() {
        Some((kept, bridge)) if kept == session => Some(bridge.clone()),
        _ => None,
    });
    if let Some(bridge) = kept {
        return Ok(bridge);
    }
    let bridge = (crate::parts::load().await?.labs_host)(session.clone());
    BRIDGE.with(|slot| *slot.borrow_mut() = Some((session.clone(), bridge.clone())));
    Ok(bridge)
}

/// Import the labs module and mount the labs into `host`; the mounted labs' handle.
async fn mount(
    host: web_sys::Element,
    bridge: Object,
    remote_url: Option<String>,
) -> Result<JsValue, String> {
    let url = remote_url.map_or(JsValue::UNDEFINED, |u| JsValue::from_str(&u));
    lazy::mount("mount_labs", &[host.into(), bridge.into(), url]).await
}

#[derive(Properties, PartialEq, Clone)]
pub struct LabsTabProps {
    /// The proxy's WebSocket when the learner chose a real server.
    pub remote_url: Option<String>,
}

#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed(String),
}

#[component]
pub fn Labs(props: &LabsTabProps) -> Html {
    let session = use_context::<SessionHandle>();
    let host = use_node_ref();
    let status = use_state(|| Status::Loading);
    {
        let (host, status) = (host.clone(), status.clone());
        use_effect_with(props.remote_url.clone(), move |url| {
            let mounted: Rc<RefCell<Option<JsValue>>> = Rc::default();
            let open = Rc::new(Cell::new(true));
            match (session, host.cast::<web_sys::Element>()) {
                (Some(session), Some(element)) => {
                    let (mounted, open, url) = (mounted.clone(), open.clone(), url.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = match bridge_for(&session).await {
                            Ok(bridge) => mount(element, bridge, url).await,
                            Err(why) => Err(why),
                        };
                        match result {
                            // The tab closed (or the backend changed) while the module loaded.
                            Ok(labs) if !open.get() => unmount(&labs),
                            Ok(labs) => {
                                *mounted.borrow_mut() = Some(labs);
                                status.set(Status::Ready);
                            }
                            Err(why) if open.get() => status.set(Status::Failed(why)),
                            Err(_) => {}
                        }
                    });
                }
                _ => status.set(Status::Failed("the page's engine is not ready".into())),
            }
            move || {
                open.set(false);
                if let Some(labs) = mounted.borrow_mut().take() {
                    unmount(&labs);
                }
            }
        });
    }
    html! {
        <section class="panel labs" aria-label="Labs">
            {match &*status {
                Status::Loading => html! { <p class="labs-loading" role="status">{"Loading the labs…"}</p> },
                Status::Failed(why) => html! {
                    <p class="error-text" role="alert">{format!("The labs could not be loaded ({why}). Reload the page to try again.")}</p>
                },
                Status::Ready => html! {},
            }}
            <div class="labs-mount" ref={host}></div>
        </section>
    }
}
