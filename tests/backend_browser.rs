//! Browser tests of the backend switch and the remote backend's error states, in headless
//! Chromium: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p redis-playground --test backend_browser`.

#![cfg(target_arch = "wasm32")]

use bytes::Bytes;
use playground_engine::Frame;
use redis_playground::backend::choice::Choice;
use redis_playground::backend::remote::{ConnState, RemoteBackend, Status};
use redis_playground::backend::Backend;
use redis_playground::components::backend_switch::{BackendSwitch, BackendSwitchProps};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_point() -> Element {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let div = document.create_element("div").expect("div");
    document.body().expect("body").append_child(&div).expect("append");
    div
}

async fn sleep(ms: u64) {
    yew::platform::time::sleep(Duration::from_millis(ms)).await;
}

fn text(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector).ok().flatten().and_then(|e| e.text_content())
}

fn render(choice: Choice, status: Option<Status>) -> (Element, AppHandle<BackendSwitch>) {
    let root = mount_point();
    let props = BackendSwitchProps { choice, status, on_choice: Callback::noop() };
    let app = yew::Renderer::<BackendSwitch>::with_root_and_props(root.clone(), props).render();
    (root, app)
}

#[wasm_bindgen_test]
async fn the_switch_shows_the_emulator_by_default() {
    let (root, app) = render(Choice::emulator("ws://127.0.0.1:7380/ws".into()), None);
    sleep(30).await;
    assert_eq!(text(&root, "#backend-state").as_deref(), Some("emulator"));
    let local = root.query_selector("#backend-local").ok().flatten().expect("button");
    assert_eq!(local.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(root.query_selector("#backend-error").ok().flatten().is_none());
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_switch_shows_connection_details_and_errors() {
    let open = Status { state: ConnState::Open, version: Some("7.4.2".into()), rtt_ms: Some(2.0) };
    let (root, app) = render(Choice { remote: true, url: "ws://h/ws".into() }, Some(open));
    sleep(30).await;
    assert_eq!(text(&root, "#backend-state").as_deref(), Some("connected"));
    assert_eq!(text(&root, "#backend-details").as_deref(), Some("Redis 7.4.2 · PING 2.0 ms"));
    app.destroy();
    let closed = Status { state: ConnState::Closed("cannot reach the proxy".into()), ..Status::default() };
    let (root, app) = render(Choice { remote: true, url: "ws://h/ws".into() }, Some(closed));
    sleep(30).await;
    assert_eq!(text(&root, "#backend-state").as_deref(), Some("not connected"));
    assert_eq!(text(&root, "#backend-error").as_deref(), Some("cannot reach the proxy"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_closed_port_gives_a_plain_words_error() {
    let backend = RemoteBackend::connect("ws://127.0.0.1:9/ws");
    let reply: Rc<RefCell<Option<Frame>>> = Rc::default();
    let sink = reply.clone();
    backend.send(vec![Bytes::from_static(b"PING")], Box::new(move |f, _| *sink.borrow_mut() = Some(f)));
    for _ in 0..100 {
        if reply.borrow().is_some() {
            break;
        }
        sleep(50).await;
    }
    let got = reply.borrow().clone();
    match got {
        Some(Frame::Error(e)) => assert!(e.contains("cannot reach the proxy at ws://127.0.0.1:9/ws"), "{e}"),
        other => panic!("expected an error reply, got {other:?}"),
    }
    assert!(matches!(backend.status().state, ConnState::Closed(_)));
    assert_eq!(backend.prompt(), "redis>");
}

#[wasm_bindgen_test]
async fn a_url_the_browser_refuses_is_explained() {
    let backend = RemoteBackend::connect("ftp://not-a-websocket/ws");
    let reply: Rc<RefCell<Option<Frame>>> = Rc::default();
    let sink = reply.clone();
    backend.send(vec![Bytes::from_static(b"PING")], Box::new(move |f, _| *sink.borrow_mut() = Some(f)));
    sleep(20).await;
    let got = reply.borrow().clone();
    assert!(
        matches!(&got, Some(Frame::Error(e)) if e.contains("is not a WebSocket address the browser accepts")),
        "{got:?}"
    );
}
