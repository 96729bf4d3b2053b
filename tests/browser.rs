//! The playground in a real browser (headless Chromium through wasm-bindgen-test-runner):
//! the console formatter as compiled to wasm, the engine on the virtual clock, and the
//! components rendered into the DOM and driven by synthetic events.
//!
//! Run: CHROMEDRIVER=/usr/bin/chromedriver \
//!   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test --target wasm32-unknown-unknown -p redis-playground

#![cfg(target_arch = "wasm32")]

use bytes::Bytes;
use playground_engine::types::{Value, ZSet};
use playground_engine::{Event, Frame, Protocol};
use redis_playground::components::key_browser::KeyBrowser;
use redis_playground::console::format::{as_client_sees, format_reply};
use redis_playground::session::{Session, SessionHandle};
use redis_playground::state::Flash;
use redis_playground::{storage, App};
use std::collections::HashMap;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const T0: u64 = 1_795_397_175_000;

fn b(s: &str) -> Bytes {
    Bytes::copy_from_slice(s.as_bytes())
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// A fresh element to render into.
fn mount_point() -> Element {
    let div = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&div).expect("append");
    div
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(60)).await;
}

fn clear_storage() {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.clear();
    }
}

/// Type a line into the console input and press Enter, as a learner would.
fn type_and_enter(root: &Element, line: &str) {
    type_into(root, "#console-input", line)
}

/// Type a line into the input `selector` names and press Enter.
fn type_into(root: &Element, selector: &str, line: &str) {
    let input: HtmlInputElement =
        root.query_selector(selector).ok().flatten().expect("an input").dyn_into().expect("input");
    input.set_value(line);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("input event");
    input.dispatch_event(&event).expect("dispatch input");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let enter = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("keydown");
    input.dispatch_event(&enter).expect("dispatch keydown");
}

fn replies(root: &Element) -> Vec<String> {
    let nodes = root.query_selector_all(".scrollback .reply").expect("query");
    (0..nodes.length()).filter_map(|i| nodes.get(i)).filter_map(|n| n.text_content()).collect()
}

#[wasm_bindgen_test]
fn formatter_prints_like_redis_cli_in_wasm() {
    let reply = Frame::Array(vec![Frame::Bulk(b("a")), Frame::Array(vec![Frame::Integer(1)]), Frame::Null]);
    assert_eq!(format_reply(&reply), "1) \"a\"\n2) 1) (integer) 1\n3) (nil)");
    let map = Frame::Map(vec![(Frame::Bulk(b("score")), Frame::Double(1.5))]);
    assert_eq!(format_reply(&as_client_sees(&map, Protocol::Resp3)), "1# \"score\" => (double) 1.5");
    assert_eq!(format_reply(&as_client_sees(&map, Protocol::Resp2)), "1) \"score\"\n2) \"1.5\"");
    let args = playground_engine::resp::split_args(br#"SET "a b" 'it''s'"#);
    assert_eq!(args, None, "a closing quote must be followed by a space, as in sdssplitargs");
    let args = playground_engine::resp::split_args(br#"SET "a b" "\x41""#).expect("balanced");
    assert_eq!(args, vec![b"SET".to_vec(), b"a b".to_vec(), b"A".to_vec()]);
}

/// SORTBY on a SORTABLE text folds Unicode case (RediSearch does); in the page that fold is the
/// browser's `toLowerCase`, handed to the engine at start instead of std's tables.
#[wasm_bindgen_test]
fn sortby_folds_unicode_case_with_the_browsers_lowercase() {
    redis_playground::install_host_lowercase();
    let mut session = Session::new(T0);
    let client = session.client;
    let mut run = |line: &str| {
        let args = playground_engine::resp::split_args(line.as_bytes()).expect("balanced");
        session.engine.execute(client, args.into_iter().map(Bytes::from).collect(), T0)
    };
    assert_eq!(run("FT.CREATE idx ON HASH PREFIX 1 d: SCHEMA name TEXT SORTABLE"), Frame::ok());
    run("HSET d:1 name \"\u{c9}mile\"");
    run("HSET d:2 name \"\u{e9}a\"");
    run("HSET d:3 name Zed");
    // Folded: "zed" < "éa" < "émile". Bytes as written would put "Émile" before "éa".
    let ids = |reply: Frame| match reply {
        Frame::Array(items) => items.into_iter().skip(1).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        ids(run("FT.SEARCH idx * SORTBY name NOCONTENT")),
        vec![Frame::Bulk(b("d:3")), Frame::Bulk(b("d:2")), Frame::Bulk(b("d:1"))]
    );
}

#[wasm_bindgen_test]
fn a_key_with_a_deadline_expires_when_the_virtual_clock_passes_it() {
    let mut session = Session::new(T0);
    let client = session.client;
    assert_eq!(session.engine.execute(client, vec![b("SET"), b("plain"), b("v")], T0), Frame::ok());
    // A TTL of 300 s, as SET k v EX 300 records it: a deadline on the virtual clock.
    session.engine.server_mut().dbs[0].insert(b("k"), Value::Str(b("v")), Some(T0 + 300_000), T0);
    session.engine.drain_events();

    session.jump(299_000);
    let get = |s: &mut Session, key: &str| {
        let (c, now) = (s.client, s.clock.now());
        s.engine.execute(c, vec![b("GET"), b(key)], now)
    };
    assert_eq!(get(&mut session, "k"), Frame::Bulk(b("v")), "still there one second before");
    session.jump(2_000);
    assert!(session.engine.server().dbs[0].raw_get(b"k").is_none(), "active expiry removed it");
    assert_eq!(session.engine.server().stats.expired_keys, 1);
    assert!(session.engine.drain_events().contains(&Event::Expired { db: 0, key: b("k") }));
    assert_eq!(get(&mut session, "k"), Frame::Null);
    assert_eq!(get(&mut session, "plain"), Frame::Bulk(b("v")), "keys without a TTL stay");

    // Real time at 60x: 5 real seconds are 5 simulated minutes.
    session.engine.server_mut().dbs[0].insert(
        b("k2"),
        Value::Str(b("v")),
        Some(session.clock.now() + 240_000),
        0,
    );
    session.set_speed(redis_playground::clock::Speed::X60);
    session.advance(5_000.0);
    assert!(session.engine.server().dbs[0].raw_get(b"k2").is_none());
}

#[wasm_bindgen_test]
async fn typing_ping_in_the_console_shows_pong() {
    clear_storage();
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    type_and_enter(&root, "PING");
    settle().await;
    assert_eq!(replies(&root).last().map(String::as_str), Some("PONG"));

    type_and_enter(&root, "SET user:1 Ada");
    type_and_enter(&root, "GET user:1");
    type_and_enter(&root, "GET \"unbalanced");
    settle().await;
    let all = replies(&root);
    assert_eq!(&all[all.len() - 3..], ["OK", "\"Ada\"", "Invalid argument(s)"]);
    let row = root.query_selector("#key-list [data-key='user:1']").ok().flatten();
    assert!(row.is_some(), "the key browser lists the new key");
    let hits = root.query_selector("#stat-hits").ok().flatten().and_then(|e| e.text_content());
    assert_eq!(hits.as_deref(), Some("1"));

    type_and_enter(&root, "help SET");
    settle().await;
    assert!(replies(&root).last().is_some_and(|r| r.contains("SET key value")));

    // Autosave writes history and keyspace to localStorage within a second.
    yew::platform::time::sleep(Duration::from_millis(1_300)).await;
    let saved = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(storage::STATE_KEY).ok().flatten())
        .unwrap_or_default();
    assert!(saved.contains("user:1") && saved.contains("GET user:1"), "{saved}");
    // Unmount, so the app's timers and autosave stop before the next test.
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn an_unreadable_saved_state_gives_a_message_and_a_fresh_start() {
    clear_storage();
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("storage");
    storage
        .set_item(storage::STATE_KEY, "{\"format\":\"redis-playground/snapshot\",\"version\":1,\"dbs\":")
        .ok();
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    let notice = root.query_selector(".notice.error").ok().flatten().and_then(|n| n.text_content());
    assert!(notice.as_deref().is_some_and(|t| t.contains("could not be read")), "{notice:?}");
    type_and_enter(&root, "DBSIZE");
    settle().await;
    assert_eq!(replies(&root).last().map(String::as_str), Some("(integer) 0"));
    assert!(storage.get_item(storage::UNREADABLE_KEY).ok().flatten().is_some(), "damaged copy kept");
    // Unmount, so the app's timers and autosave stop before the next test.
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn a_saved_keyspace_comes_back_after_a_reload() {
    clear_storage();
    let mut session = Session::new(T0);
    session.engine.server_mut().dbs[0].insert(b("kept"), Value::Str(b("yes")), Some(T0 + 3_600_000), T0);
    session.history.push("GET kept");
    let argv = ["HSET", "h", "f", "v", "g", "w"].map(b).to_vec();
    session.engine.execute(session.client, argv, T0);
    let argv = ["HPEXPIREAT", "h", "1795400775000", "FIELDS", "1", "f"].map(b).to_vec();
    session.engine.execute(session.client, argv, T0);
    storage::save(&session).expect("saved");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    type_and_enter(&root, "GET kept");
    settle().await;
    assert_eq!(replies(&root).last().map(String::as_str), Some("\"yes\""));
    let notice = root.query_selector(".notice").ok().flatten().and_then(|n| n.text_content());
    assert!(notice.is_some_and(|t| t.contains("restored 2 keys")));
    // The hash's field TTL came back with it.
    type_and_enter(&root, "HPEXPIRETIME h FIELDS 2 f g");
    settle().await;
    let expected = "1) (integer) 1795400775000\n2) (integer) -1";
    assert_eq!(replies(&root).last().map(String::as_str), Some(expected));
    // Unmount, so the app's timers and autosave stop before the next test.
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_virtual_clock_runs_pauses_and_jumps_in_the_page() {
    clear_storage();
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    let sim = |root: &Element| -> u64 {
        let el = root.query_selector("#sim-time").ok().flatten();
        el.and_then(|e| e.get_attribute("data-ms")).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    let t0 = sim(&root);
    yew::platform::time::sleep(Duration::from_millis(700)).await;
    let t1 = sim(&root);
    assert!((300..=2_000).contains(&(t1 - t0)), "1x: about real time passed ({} ms)", t1 - t0);

    click(&root, "[data-speed='Pause']");
    settle().await;
    let paused = sim(&root);
    yew::platform::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sim(&root), paused, "paused clock stands still");

    click(&root, "[data-jump='jump-hour']");
    settle().await;
    assert_eq!(sim(&root), paused + 3_600_000);
    // Unmount, so the app's timers and autosave stop before the next test.
    app.destroy();
    root.remove();
}

#[derive(Properties, PartialEq)]
struct BrowserHarnessProps {
    session: SessionHandle,
}

/// The key browser with its own selection state, as `App` wires it.
#[component]
fn BrowserHarness(props: &BrowserHarnessProps) -> Html {
    let selected = use_state(|| None::<(usize, Vec<u8>)>);
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |key| selected.set(key))
    };
    html! {
        <ContextProvider<SessionHandle> context={props.session.clone()}>
            <KeyBrowser now={T0} rev={0} flashes={HashMap::<(usize, Vec<u8>), Flash>::new()} ghosts={vec![]}
                filter={String::new()} selected={(*selected).clone()} on_filter={Callback::noop()} {on_select} />
        </ContextProvider<SessionHandle>>
    }
}

fn click(root: &Element, selector: &str) {
    let el: web_sys::HtmlElement =
        root.query_selector(selector).ok().flatten().expect(selector).dyn_into().expect("html element");
    el.click();
}

#[wasm_bindgen_test]
async fn the_key_browser_shows_every_type_in_a_fitting_view() {
    let mut session = Session::new(T0);
    let db = &mut session.engine.server_mut().dbs[0];
    db.insert(b("s"), Value::Str(b("text")), Some(T0 + 90_000), T0);
    db.insert(
        b("h"),
        Value::Hash([(b("name"), b("Ada")), (b("lang"), b("en"))].into_iter().collect()),
        None,
        T0,
    );
    db.insert(b("l"), Value::List([b("first"), b("second")].into_iter().collect()), None, T0);
    db.insert(b("st"), Value::Set([b("red"), b("blue")].into_iter().collect()), None, T0);
    let mut z = ZSet::new();
    z.insert(b("bob"), 2.5);
    z.insert(b("amy"), 1.0);
    db.insert(b("z"), Value::ZSet(z), None, T0);
    let vector: Vec<u8> = [0.25f32, -1.0, 3.0].iter().flat_map(|f| f.to_le_bytes()).collect();
    db.insert(b("emb"), Value::Str(Bytes::from(vector)), None, T0);
    let session = SessionHandle::new(session);

    let root = mount_point();
    let app =
        yew::Renderer::<BrowserHarness>::with_root_and_props(root.clone(), BrowserHarnessProps { session })
            .render();
    settle().await;
    let text = |sel: &str| {
        root.query_selector(sel).ok().flatten().and_then(|e| e.text_content()).unwrap_or_default()
    };
    assert!(text("#key-count").starts_with("6 in db0"));
    assert_eq!(text("[data-key='s'] .ttl"), "1m 30s");
    assert_eq!(text("[data-key='h'] .type-badge"), "hash");

    click(&root, "[data-key='h']");
    settle().await;
    assert!(text("#key-detail").contains("\"name\"\"Ada\""), "{}", text("#key-detail"));
    // The encoding OBJECT ENCODING would report: a small hash is a listpack.
    assert_eq!(text("#key-detail .encoding"), "listpack");
    click(&root, "[data-key='l']");
    settle().await;
    assert!(text("#key-detail table").contains("0\"first\"1\"second\""), "{}", text("#key-detail"));
    click(&root, "[data-key='st']");
    settle().await;
    assert!(text("#key-detail .members").contains("\"red\""));
    click(&root, "[data-key='z']");
    settle().await;
    assert!(text("#key-detail table").contains("0\"amy\"11\"bob\"2.5"), "{}", text("#key-detail"));
    click(&root, "[data-key='emb']");
    settle().await;
    assert!(text("#key-detail").contains("f32[3] [0.25, -1, 3]"), "{}", text("#key-detail"));
    assert_eq!(text("#key-detail .encoding"), "embstr");
    // Unmount, so the app's timers and autosave stop before the next test.
    app.destroy();
    root.remove();
}

/// Bitmaps, HyperLogLogs, geo sets and field TTLs in their own views, read without running a
/// command: looking at keys leaves INFO's keyspace counters as they were.
#[wasm_bindgen_test]
async fn the_key_browser_shows_bits_estimates_coordinates_and_field_ttls() {
    let mut session = Session::new(T0);
    for line in [
        "SETBIT bm 1 1",
        "SETBIT bm 9 1",
        "PFADD visitors a b c",
        "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
        "ZADD board 1 amy 2 bob",
        "HSET h a 1 b 2 gone 3",
        "HPEXPIRE h 91000 FIELDS 1 a",
        "HPEXPIRE h 500 FIELDS 1 gone",
    ] {
        let argv = line.split(' ').map(b).collect();
        let reply = session.engine.execute(session.client, argv, T0 - 1_000);
        assert!(!reply.is_error(), "{line}: {reply:?}");
    }
    let hits = |s: &Session| (s.engine.server().stats.keyspace_hits, s.engine.server().stats.keyspace_misses);
    let before = hits(&session);
    let session = SessionHandle::new(session);
    let root = mount_point();
    let app = yew::Renderer::<BrowserHarness>::with_root_and_props(
        root.clone(),
        BrowserHarnessProps { session: session.clone() },
    )
    .render();
    settle().await;
    let text = |sel: &str| {
        root.query_selector(sel).ok().flatten().and_then(|e| e.text_content()).unwrap_or_default()
    };
    let view = || {
        root.query_selector("#key-detail .detail-body")
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("data-view"))
    };

    click(&root, "[data-key='bm']");
    settle().await;
    assert_eq!(view().as_deref(), Some("value"));
    click(&root, "#key-detail [data-view='bits']");
    settle().await;
    assert_eq!(view().as_deref(), Some("bits"));
    assert_eq!(text("#key-detail .bits"), "0100000001000000", "bit offset 0 is the first byte's high bit");
    assert_eq!(text("#key-detail .bit-count"), "2 of 16 bits set (BITCOUNT)");

    click(&root, "[data-key='visitors']");
    settle().await;
    assert_eq!(view().as_deref(), Some("value"), "another key starts from its default view");
    assert!(text("#key-detail .hll-estimate").starts_with("~3 distinct"), "{}", text("#key-detail"));
    assert_eq!(text("#key-detail .hll-encoding"), "sparse");

    click(&root, "[data-key='Sicily']");
    settle().await;
    assert_eq!(view().as_deref(), Some("coordinates"), "GEOADD's scores read as places");
    let geo = text("#key-detail table.geo");
    assert!(geo.contains("\"Palermo\"13.36138938.115556"), "{geo}");
    assert!(geo.contains("\"Catania\"15.08726737.502668"), "{geo}");
    click(&root, "#key-detail [data-view='scores']");
    settle().await;
    assert!(text("#key-detail table").contains("3479099956230698"), "{}", text("#key-detail"));

    click(&root, "[data-key='board']");
    settle().await;
    assert_eq!(view().as_deref(), Some("scores"), "small integer scores are a leaderboard first");

    click(&root, "[data-key='h']");
    settle().await;
    let table = text("#key-detail table");
    assert!(table.contains("\"a\"\"1\"1m 30s"), "{table}");
    assert!(table.contains("\"b\"\"2\"—"), "{table}");
    assert!(!table.contains("gone"), "a field past its deadline is not shown: {table}");

    assert_eq!(session.read(hits), Some(before), "the key browser ran no command");
    // Unmount, so the app's timers and autosave stop before the next test.
    app.destroy();
    root.remove();
}

/// The labs module reaches the page's engine only through the bridge object: commands, replies
/// (as that connection's protocol decodes them), the clock, the cached prompts and the HNSW
/// picture must cross it unchanged. Compared with the same questions asked of the session
/// directly.
#[wasm_bindgen_test]
fn the_bridge_carries_what_the_labs_ask_of_the_engine() {
    use redis_playground::labs::bridge::{host, BridgeLink};
    use redis_playground::labs::link::{EngineLink, SessionLink};

    let session = SessionHandle::new(Session::new(T0));
    let direct = SessionLink(session.clone());
    let bridged = BridgeLink::new(host(session.clone()).into());
    let cmd = |parts: &[&str]| parts.iter().map(|p| b(p)).collect::<Vec<Bytes>>();

    assert_eq!(bridged.now(), T0);
    let client = bridged.connect();
    assert_ne!(
        client,
        session.read(|s| s.client).expect("session"),
        "the labs get a connection of their own"
    );
    let replies = bridged.execute(
        client,
        vec![
            cmd(&["SET", "k", "v", "EX", "60"]),
            cmd(&["GET", "k"]),
            cmd(&["GET", "missing"]),
            cmd(&["INCRBYFLOAT", "n", "1.5"]),
            cmd(&["HGETALL", "nothing"]),
            cmd(&["NOSUCH"]),
        ],
        None,
    );
    assert_eq!(
        replies,
        vec![
            Frame::Simple("OK".into()),
            Frame::Bulk(b("v")),
            Frame::Null,
            Frame::Bulk(b("1.5")),
            Frame::Array(vec![]),
            Frame::Error("ERR unknown command 'NOSUCH', with args beginning with: ".into()),
        ]
    );
    // After HELLO 3 the same connection's replies come back as RESP3 decodes them.
    let replies = bridged.execute(client, vec![cmd(&["HELLO", "3"]), cmd(&["HGETALL", "nothing"])], None);
    assert_eq!(replies[1], Frame::Map(vec![]));
    assert!(session.read(|s| s.dirty).expect("session"), "the labs' writes mark the session for saving");

    // Time: an explicit time runs the command then, and a jump moves the page's clock.
    bridged.jump(61_000);
    assert_eq!(direct.now(), T0 + 61_000);
    assert_eq!(bridged.execute(client, vec![cmd(&["GET", "k"])], None), vec![Frame::Null]);

    // The cache-aside lab's hour: it says which keys of the learner's would expire, and its
    // undo brings back the keys and the time, over the bridge as directly.
    bridged.execute(
        client,
        vec![
            cmd(&["SET", "mine", "1", "EX", "600"]),
            cmd(&["SET", "product:1", "x", "EX", "600"]),
            cmd(&["SET", "later", "1", "EX", "7200"]),
        ],
        None,
    );
    assert_eq!(bridged.expiring_within(3_600_000, "product:"), 1, "only the learner's own key under an hour");
    assert_eq!(direct.expiring_within(3_600_000, ""), 2);
    assert!(!bridged.rewind(), "nothing to go back to yet");
    bridged.checkpoint();
    let before = bridged.now();
    bridged.jump(3_600_000);
    assert_eq!(
        bridged.execute(client, vec![cmd(&["EXISTS", "mine", "product:1"])], None),
        vec![Frame::Integer(0)]
    );
    assert!(bridged.rewind());
    assert_eq!(direct.now(), before, "the clock goes back");
    assert_eq!(
        bridged.execute(client, vec![cmd(&["EXISTS", "mine", "product:1", "later"])], None),
        vec![Frame::Integer(3)]
    );
    let ttl = bridged.execute(client, vec![cmd(&["TTL", "mine"])], None);
    assert_eq!(ttl, vec![Frame::Integer(600)], "with its TTL as it was");
    assert!(!direct.rewind(), "an undo happens once");

    // The semantic lab's map and graph.
    let vector = |xs: [f32; 4]| xs.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    let setup = [cmd(&[
        "FT.CREATE",
        "idx",
        "ON",
        "HASH",
        "PREFIX",
        "1",
        "p:",
        "SCHEMA",
        "embedding",
        "VECTOR",
        "HNSW",
        "6",
        "TYPE",
        "FLOAT32",
        "DIM",
        "4",
        "DISTANCE_METRIC",
        "COSINE",
    ])];
    assert_eq!(bridged.execute(client, setup.to_vec(), None), vec![Frame::Simple("OK".into())]);
    for (i, xs) in [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.7, 0.7, 0.1, 0.0]].into_iter().enumerate()
    {
        let mut hset = cmd(&["HSET", &format!("p:{i}"), "prompt", &format!("question {i}"), "embedding"]);
        hset.push(Bytes::from(vector(xs)));
        assert_eq!(bridged.execute(client, vec![hset], None), vec![Frame::Integer(2)]);
    }
    let sorted = |mut points: Vec<playground_labs::semantic::CachedPrompt>| {
        points.sort_by(|a, b| a.key.cmp(&b.key));
        points
    };
    let points = sorted(bridged.points("p:"));
    assert_eq!(points.len(), 3);
    assert_eq!(points, sorted(direct.points("p:")));
    let query = vector([0.9, 0.1, 0.0, 0.0]);
    let graph = bridged.graph("idx", Some(&query)).expect("a graph");
    assert_eq!(Some(graph.clone()), direct.graph("idx", Some(&query)));
    assert_eq!(graph.results.first().map(|(key, _)| key.clone()), Some(b("p:0")));
    assert!(!graph.trace.is_empty() && graph.keys.len() == 3);
    assert_eq!(bridged.graph("nosuch", None), None);
}

/// The semantic lab's HNSW picture draws the layers that hold nodes: an upper layer left empty
/// (its nodes deleted or expired) is not shown as "layer 1 · 0 nodes".
#[wasm_bindgen_test]
async fn the_hnsw_picture_leaves_out_empty_upper_layers() {
    use redis_playground::labs::hnsw_view::{HnswPicture, HnswView, HnswViewProps};

    let picture = HnswPicture {
        layers: vec![vec![(1, vec![2]), (2, vec![1])], vec![(2, vec![])], vec![]],
        entry_point: Some(2),
        nodes: [(1, (0.2, 0.3, "a".to_string())), (2, (0.7, 0.6, "b".to_string()))].into_iter().collect(),
        trace: vec![],
        results: vec![],
    };
    let root = mount_point();
    let app =
        yew::Renderer::<HnswView>::with_root_and_props(root.clone(), HnswViewProps { picture }).render();
    settle().await;
    let labels: Vec<String> = (0..)
        .map_while(|i| root.query_selector_all(".hnsw-layer > text.chart-text").ok()?.item(i))
        .filter_map(|n| n.text_content())
        .collect();
    assert_eq!(labels, ["layer 0 · 2 nodes", "layer 1 · 1 node"]);
    app.destroy();
    root.remove();
}

/// The second client: a subscriber receives what the console publishes; a tracking client's
/// invalidation arrives when the console writes a key it read, and the key's row flashes.
#[wasm_bindgen_test]
async fn the_second_client_receives_messages_and_invalidations() {
    clear_storage();
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    let log =
        |root: &Element| root.query_selector("#second-log").ok().flatten().and_then(|e| e.text_content());

    type_into(&root, "#second-input", "SUBSCRIBE news alerts");
    settle().await;
    type_and_enter(&root, "PUBLISH news hello");
    settle().await;
    assert_eq!(replies(&root).last().map(String::as_str), Some("(integer) 1"));
    let text = log(&root).unwrap_or_default();
    // The reply to SUBSCRIBE (first channel), the second confirmation pushed after it, then
    // the message.
    assert!(text.contains("1) \"subscribe\"\n2) \"news\"\n3) (integer) 1"), "{text}");
    assert!(text.contains("1) \"subscribe\"\n2) \"alerts\"\n3) (integer) 2"), "{text}");
    assert!(text.contains("1) \"message\"\n2) \"news\"\n3) \"hello\""), "{text}");
    // A RESP2 subscriber may not run GET: Redis's error, in the panel.
    type_into(&root, "#second-input", "GET k");
    settle().await;
    assert!(log(&root)
        .unwrap_or_default()
        .contains("only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed"));

    type_into(&root, "#second-input", "RESET");
    type_into(&root, "#second-input", "HELLO 3");
    type_into(&root, "#second-input", "CLIENT TRACKING on");
    type_and_enter(&root, "SET k v1");
    type_into(&root, "#second-input", "GET k");
    settle().await;
    type_and_enter(&root, "SET k v2");
    settle().await;
    let text = log(&root).unwrap_or_default();
    assert!(text.contains("1) \"invalidate\"\n2) 1) \"k\""), "{text}");
    let row = root.query_selector("#key-list [data-key='k']").ok().flatten().expect("the key's row");
    assert!(row.class_name().contains("flash-invalidated"), "{}", row.class_name());
    app.destroy();
    root.remove();
}
