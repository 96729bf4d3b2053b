//! The page: loads the saved session, provides the session and the backend as contexts, owns
//! the reducer, and lays out the panels.

use crate::backend::choice::{self, Choice};
use crate::backend::remote::{ConnState, RemoteBackend, RemoteHandle, Status};
use crate::backend::BackendHandle;
use crate::clock::Speed;
use crate::components::{backend_switch::BackendSwitch, remote_stats::use_remote_stats};
use crate::components::{
    clock_bar::ClockBar, console::Console, header::Header, key_browser::KeyBrowser, notice::NoticeBanner,
    second_client::SecondClient, server_panel::ServerPanel, state_bar::StateBar, tab_bar::TabBar,
};
use crate::console::{run_line, run_line_both, LineOutcome};
use crate::hooks::{drain_into, save_now, use_autosave, use_clock};
use crate::parts::{LazyLabs, LazyLessonsTab, LazyPythonTab, LazyRemoteKeys};
use crate::session::{Session, SessionHandle};
use crate::state::{Action, AppState, Notice, SecondLine, Tab, Theme};
use crate::storage;
use gloo::timers::callback::Interval;
use std::rc::Rc;
use yew::prelude::*;

/// What the page starts from: the saved session (or a fresh one) and a notice about it.
fn start() -> (SessionHandle, Option<Notice>) {
    let loaded = storage::load(js_sys::Date::now() as u64);
    let restored = &loaded.restored;
    let notice = match loaded.problem {
        Some(text) => Some(Notice { text, is_error: true }),
        None if restored.is_empty() => None,
        None => Some(Notice {
            text: format!(
                "Welcome back: restored {} and the virtual clock from your last visit.{}",
                restored.summary(),
                restored.warnings()
            ),
            is_error: false,
        }),
    };
    (SessionHandle::new(loaded.session), notice)
}

fn initial_theme() -> Theme {
    let stored = storage::load_theme();
    let prefers_light = || {
        web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: light)").ok().flatten())
            .is_some_and(|m| m.matches())
    };
    match stored.as_deref() {
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        _ if prefers_light() => Theme::Light,
        _ => Theme::Dark,
    }
}

fn focus_tab(tab: Tab) {
    let selector = match tab {
        Tab::Console => "#console-input",
        Tab::Keys => ".keys .filter",
        Tab::Labs | Tab::Python => return,
        // The lesson comes first on a narrow window: focusing the console would scroll it away.
        Tab::Lessons => return,
    };
    let target = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    if let Some(el) = target {
        let _ = el.focus();
    }
}

fn apply_theme(theme: Theme) {
    let name = if theme == Theme::Light { "light" } else { "dark" };
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", name);
    }
}

#[component]
pub fn App() -> Html {
    let started = use_memo((), |_| start());
    let (session, first_notice) = (*started).clone();
    let local = use_memo(session.clone(), |s| BackendHandle::local(s.clone()));
    // The chosen backend: a real server gets two connections, the console's own and a
    // "monitor" for the key browser and the server panel (which must not land inside the
    // console's MULTI).
    let choice = use_state(choice::load);
    let remote = use_memo((*choice).clone(), |c: &Choice| {
        c.remote.then(|| {
            (
                RemoteHandle(Rc::new(RemoteBackend::connect(&c.url))),
                RemoteHandle(Rc::new(RemoteBackend::connect(&c.url))),
            )
        })
    });
    let status = use_state(|| None::<Status>);
    {
        let status = status.clone();
        use_effect_with(remote.clone(), move |remote| {
            let console = remote.as_ref().as_ref().map(|(c, _)| c.clone());
            status.set(console.as_ref().map(|c| c.0.status()));
            let pinger = console.map(|c| {
                let weak = Rc::downgrade(&c.0);
                let asked = std::cell::Cell::new(false);
                c.0.on_status(move |s| {
                    if s.state == ConnState::Open && s.version.is_none() && !asked.replace(true) {
                        if let Some(c) = weak.upgrade() {
                            c.fetch_version();
                            c.fetch_topology();
                            c.ping();
                        }
                    }
                    status.set(Some(s));
                });
                Interval::new(3_000, move || c.0.ping())
            });
            move || drop(pinger)
        });
    }
    let compare = use_state(|| false);
    let connected = status.as_ref().is_some_and(|s| s.state == ConnState::Open);
    let backend = use_memo((local.clone(), remote.clone()), |(local, remote)| match remote.as_ref() {
        Some((console, _)) => BackendHandle(console.0.clone()),
        None => (**local).clone(),
    });
    let monitor = remote.as_ref().as_ref().map(|(_, m)| m.clone());
    let remote_numbers = use_remote_stats(monitor.clone());
    let on_choice = {
        let choice = choice.clone();
        Callback::from(move |c: Choice| {
            choice::save(&c);
            choice.set(c);
        })
    };
    let state = use_reducer(|| AppState {
        notice: first_notice,
        theme: initial_theme(),
        now: session.now(),
        ..AppState::default()
    });
    let dispatch = state.dispatcher();
    // The page's Python (the Python tab, window.playground.runPython) reaches the engine here.
    use_effect_with(session.clone(), crate::components::python_tab::expose_engine);
    use_effect_with(choice.remote.then(|| choice.url.clone()), crate::components::python_tab::expose_backend);
    use_clock(session.clone(), dispatch.clone());
    use_autosave(session.clone(), dispatch.clone());
    use_effect_with(state.theme, |theme| apply_theme(*theme));
    // On a wide window both panels are visible: choosing a tab puts the keyboard in it.
    use_effect_with(state.tab, |tab| focus_tab(*tab));

    // Run typed (or pasted) lines through the backend, in order.
    let on_run = {
        let (session, backend, dispatch) = (session.clone(), (*backend).clone(), dispatch.clone());
        let both = (*compare && connected).then(|| (*local).clone());
        Callback::from(move |lines: Vec<String>| {
            for line in lines {
                session.update(|s| s.history.push(&line));
                let d = dispatch.clone();
                let done = move |outcome| match outcome {
                    LineOutcome::Entry(entry) => d.dispatch(Action::Ran(*entry)),
                    LineOutcome::Clear => d.dispatch(Action::ClearConsole),
                    LineOutcome::Nothing => {}
                };
                match &both {
                    Some(local) => run_line_both(&line, &*local.0, &*backend.0, done),
                    None => run_line(&line, &*backend.0, done),
                }
            }
            drain_into(&session, &dispatch);
            session.update(|s| s.dirty = true);
        })
    };
    // The console's Python mode: redis-py in the page, against the current backend. The entry
    // shows once Python answers; what it changed shows in the key browser and server panel.
    let on_python = {
        let (session, dispatch) = (session.clone(), dispatch.clone());
        Callback::from(move |source: String| {
            session.update(|s| s.history.push(&source));
            let (session, dispatch) = (session.clone(), dispatch.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let (text, is_error) = crate::components::python_tab::run_console_line(&source).await;
                dispatch.dispatch(Action::Ran(crate::console::python_entry(source, text, is_error)));
                drain_into(&session, &dispatch);
                session.update(|s| s.dirty = true);
            });
        })
    };
    // The second client's lines run on the in-page engine only (a real server's second
    // connection would need the proxy's; the panel is hidden then).
    let on_second = {
        let (session, dispatch) = (session.clone(), dispatch.clone());
        Callback::from(move |lines: Vec<String>| {
            run_second_lines(session.clone(), dispatch.clone(), lines.into(), false)
        })
    };
    let on_speed = {
        let (session, dispatch) = (session.clone(), dispatch.clone());
        Callback::from(move |speed: Speed| {
            session.update(|s| s.set_speed(speed));
            drain_into(&session, &dispatch);
            session.update(|s| s.dirty = true);
        })
    };
    let on_jump = {
        let (session, dispatch) = (session.clone(), dispatch.clone());
        Callback::from(move |ms: u64| {
            session.update(|s| s.jump(ms));
            drain_into(&session, &dispatch);
            session.update(|s| s.dirty = true);
        })
    };
    let on_cluster = {
        let (session, dispatch) = (session.clone(), dispatch.clone());
        Callback::from(move |shards: usize| {
            session.update(|s| s.set_cluster(shards));
            dispatch.dispatch(Action::ClusterChanged);
        })
    };
    let replace = {
        let (session, dispatch) = (session.clone(), dispatch.clone());
        Callback::from(move |(fresh, notice): (Session, Notice)| {
            session.replace(fresh);
            dispatch.dispatch(Action::SessionReplaced);
            drain_into(&session, &dispatch);
            save_now(&session, &dispatch);
            dispatch.dispatch(Action::Notify(notice));
        })
    };
    let on_theme = {
        let dispatch = dispatch.clone();
        Callback::from(move |theme: Theme| {
            storage::save_theme(if theme == Theme::Light { "light" } else { "dark" });
            dispatch.dispatch(Action::SetTheme(theme));
        })
    };
    let d = &dispatch;

    let s = &*state;
    // The key browser: the real server's keys through the monitor connection, or the engine's.
    let keys = html! {
        if let Some(monitor) = monitor.clone() {
            <LazyRemoteKeys {monitor} db={remote.as_ref().as_ref().map(|(c, _)| c.0.db()).unwrap_or(0)}
                filter={s.filter.clone()} on_filter={to_action(d, Action::Filter)} />
        } else {
            <KeyBrowser now={s.now} rev={s.rev} flashes={s.flashes.clone()} ghosts={s.ghosts.clone()}
                filter={s.filter.clone()} selected={s.selected.clone()}
                on_filter={to_action(d, Action::Filter)} on_select={to_action(d, Action::Select)} />
        }
    };
    let workspace = match s.tab {
        Tab::Labs => html! { <LazyLabs remote_url={choice.remote.then(|| choice.url.clone())} /> },
        Tab::Python => html! {
            <div class="workspace lessons-workspace">
                <LazyPythonTab />
                { keys }
            </div>
        },
        Tab::Lessons => html! {
            <div class="workspace lessons-workspace">
                <LazyLessonsTab entries={s.entries.clone()} on_run={on_run.clone()} on_jump={on_jump.clone()}
                    on_second={on_second.clone()} remote={choice.remote} />
                <Console entries={s.entries.clone()} view={s.view} on_view={to_action(d, Action::SetView)}
                    on_run={on_run.clone()} compare={connected.then_some(*compare)} on_python={Some(on_python.clone())}
                    on_compare={{ let compare = compare.clone(); Callback::from(move |on| compare.set(on)) }} />
            </div>
        },
        _ => html! {
            <div class={classes!("workspace", if s.tab == Tab::Keys { "front-keys" } else { "front-console" })}>
                <Console entries={s.entries.clone()} view={s.view} on_view={to_action(d, Action::SetView)}
                    on_run={on_run.clone()} compare={connected.then_some(*compare)} on_python={Some(on_python.clone())}
                    on_compare={{ let compare = compare.clone(); Callback::from(move |on| compare.set(on)) }} />
                { keys }
            </div>
        },
    };
    html! {
        <ContextProvider<SessionHandle> context={session.clone()}>
        <ContextProvider<BackendHandle> context={(*backend).clone()}>
            <div class="app">
                <Header theme={s.theme} on_theme={on_theme} backend={backend.0.label()}>
                    <BackendSwitch choice={(*choice).clone()} status={(*status).clone()} on_choice={on_choice} />
                </Header>
                <ClockBar now={s.now} speed={s.speed} on_speed={on_speed} on_jump={on_jump} remote={choice.remote} />
                if let Some(notice) = s.notice.clone() {
                    <NoticeBanner notice={notice} on_dismiss={to_action(d, |()| Action::DismissNotice)} />
                }
                <TabBar tab={s.tab} on_select={to_action(d, Action::SetTab)} />
                <main class="main">
                    { workspace }
                    <aside class="side">
                        <ServerPanel rev={s.rev} now={s.now} samples={s.ratio_samples.clone()} on_run={on_run.clone()}
                            remote={remote_numbers.clone()} {on_cluster} />
                        if !choice.remote {
                            <SecondClient lines={s.second_log.clone()} on_run={on_second.reform(|line: String| vec![line])} />
                        }
                        <StateBar on_replace={replace} />
                    </aside>
                </main>
            </div>
        </ContextProvider<BackendHandle>>
        </ContextProvider<SessionHandle>>
    }
}

/// Run the second client's lines in order. A line that needs a lazily loaded part (the Lua
/// module for EVAL, FCALL...; an engine chunk for FT.SEARCH, XADD...) waits for it to load,
/// and the lines after it wait too; `first_tried`: a load was attempted for the first line (a
/// failed one leaves the engine's own "not loaded" answer).
fn run_second_lines(
    session: SessionHandle,
    dispatch: UseReducerDispatcher<AppState>,
    mut lines: std::collections::VecDeque<String>,
    mut first_tried: bool,
) {
    while let Some(line) = lines.pop_front() {
        let tried = std::mem::take(&mut first_tried);
        let ran = match playground_engine::resp::split_args(line.as_bytes()) {
            None => {
                Some(SecondLine { input: Some(line), text: "Invalid argument(s)".into(), is_error: true })
            }
            Some(args) if args.is_empty() => None,
            Some(args) => {
                let args: Vec<bytes::Bytes> = args.into_iter().map(bytes::Bytes::from).collect();
                let group = crate::families::needed(&args);
                let lua = crate::lua::needs_loading(&session, &args);
                if !tried && (group.is_some() || lua) {
                    lines.push_front(line);
                    wasm_bindgen_futures::spawn_local(async move {
                        crate::families::prepare(&session, group, lua).await;
                        run_second_lines(session, dispatch, lines, true);
                    });
                    return;
                }
                session
                    .update(|s| s.run_second(args))
                    .map(|(reply, proto)| SecondLine::of(Some(line), &reply, proto))
            }
        };
        if let Some(ran) = ran {
            dispatch.dispatch(Action::SecondRan(ran));
        }
        // Each line's pushes right after its reply, as on a real connection.
        drain_into(&session, &dispatch);
    }
}

/// A callback that turns its value into an action.
fn to_action<T: 'static>(dispatch: &UseReducerDispatcher<AppState>, f: fn(T) -> Action) -> Callback<T> {
    let d = dispatch.clone();
    Callback::from(move |v| d.dispatch(f(v)))
}
