//! The heartbeat: every [`TICK_MS`] of real time, advance the virtual clock by the elapsed real
//! time times the speed, let the engine expire what became due (`Engine::tick`), and hand the
//! engine's events to the reducer. Also samples the hit ratio once a second.

use crate::session::SessionHandle;
use crate::state::{Action, AppState, SecondLine};
use gloo::timers::callback::Interval;
use playground_engine::Frame;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// Real milliseconds between ticks.
pub const TICK_MS: u32 = 200;
/// Ticks between hit-ratio samples (1 s).
const SAMPLE_EVERY: u32 = 1_000 / TICK_MS;

/// Real time in ms (`Date.now()`).
pub fn real_now() -> f64 {
    js_sys::Date::now()
}

/// Move the engine's pending events (and the clock) into the reducer.
pub fn drain_into(session: &SessionHandle, dispatch: &UseReducerDispatcher<AppState>) {
    let Some((now, speed, events)) =
        session.update(|s| (s.clock.now(), s.clock.speed(), s.engine.drain_events()))
    else {
        return;
    };
    dispatch.dispatch(Action::Clock { now, speed });
    dispatch.dispatch(Action::Events { events, real_now: real_now() });
    drain_pushes(session, dispatch);
}

/// Move what the engine pushed to the console and the second client (messages, invalidations)
/// into the reducer, as redis-cli would print each frame.
fn drain_pushes(session: &SessionHandle, dispatch: &UseReducerDispatcher<AppState>) {
    let Some(pushed) = session.update(|s| s.take_pushes()) else { return };
    if pushed.console.is_empty() && pushed.second.is_empty() {
        return;
    }
    let keys: Vec<Vec<u8>> = pushed.console.iter().chain(&pushed.second).flat_map(invalidated_keys).collect();
    let invalidated = session
        .read(|s| {
            let dbs = &s.engine.server().dbs;
            keys.iter()
                .map(|key| (dbs.iter().position(|db| db.raw_get(key).is_some()).unwrap_or(0), key.clone()))
                .collect()
        })
        .unwrap_or_default();
    let console = pushed
        .console
        .iter()
        .map(|f| {
            crate::console::entry_for(
                String::new(),
                "(pushed by the server)".into(),
                f,
                pushed.console_protocol,
                false,
            )
        })
        .collect();
    let second = pushed.second.iter().map(|f| SecondLine::of(None, f, pushed.second_protocol)).collect();
    dispatch.dispatch(Action::Pushed { console, second, invalidated, real_now: real_now() });
}

/// The keys a tracking invalidation names: a RESP3 `invalidate` push or a RESP2 message on
/// `__redis__:invalidate` (none for the whole-keyspace invalidation of a flush).
pub fn invalidated_keys(frame: &Frame) -> Vec<Vec<u8>> {
    let items = match frame {
        Frame::Push(items) | Frame::Array(items) => items,
        _ => return Vec::new(),
    };
    let keys = match items.as_slice() {
        [Frame::Bulk(kind), keys] if kind.as_ref() == b"invalidate" => keys,
        [Frame::Bulk(kind), Frame::Bulk(channel), keys]
            if kind.as_ref() == b"message" && channel.as_ref() == b"__redis__:invalidate" =>
        {
            keys
        }
        _ => return Vec::new(),
    };
    match keys {
        Frame::Array(keys) => keys
            .iter()
            .filter_map(|k| match k {
                Frame::Bulk(k) => Some(k.to_vec()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[hook]
pub fn use_clock(session: SessionHandle, dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with(session, move |session| {
        let session = session.clone();
        let last = Rc::new(Cell::new(real_now()));
        let count = Rc::new(Cell::new(0u32));
        let interval = Interval::new(TICK_MS, move || {
            let t = real_now();
            let elapsed = t - last.replace(t);
            session.update(|s| s.advance(elapsed));
            // A console command waiting on the clock (BLPOP ...) may be answered now.
            if let Some(Some((reply, frame, proto))) = session.update(|s| s.take_unblocked()) {
                reply(frame, proto);
            }
            drain_into(&session, &dispatch);
            dispatch.dispatch(Action::Sweep { real_now: t });
            let n = count.get().wrapping_add(1);
            count.set(n);
            if n % SAMPLE_EVERY == 0 {
                let ratio = session.read(|s| {
                    let st = &s.engine.server().stats;
                    let total = st.keyspace_hits + st.keyspace_misses;
                    (total > 0).then(|| st.keyspace_hits as f64 / total as f64)
                });
                if let Some(Some(ratio)) = ratio {
                    dispatch.dispatch(Action::Sample(ratio));
                }
            }
        });
        move || drop(interval)
    });
}
