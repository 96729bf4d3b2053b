//! Autosave to localStorage without saving on every keystroke: within a second of a change
//! (commands, jumps, imports), every few seconds while the clock runs (the saved clock should
//! not fall behind), and when the page is hidden or closed. Serializing a large keyspace after
//! every command of a pasted script would stall the page; once a second does not.

use crate::clock::Speed;
use crate::session::SessionHandle;
use crate::state::{Action, AppState, Notice};
use crate::storage;
use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// Seconds between saves of a running clock when nothing else changed.
const CLOCK_SAVE_EVERY_S: u32 = 5;

/// Save at once; a refusal (quota, no storage) becomes a banner.
pub fn save_now(session: &SessionHandle, dispatch: &UseReducerDispatcher<AppState>) {
    let outcome = session.update(|s| {
        s.dirty = false;
        storage::save(s)
    });
    if let Some(Err(why)) = outcome {
        // Having no storage at all was already announced when the page loaded.
        if why != "no local storage" {
            dispatch.dispatch(Action::Notify(Notice { text: why, is_error: true }));
        }
    }
}

#[hook]
pub fn use_autosave(session: SessionHandle, dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with(session, move |session| {
        let seconds = Rc::new(Cell::new(0u32));
        let interval = {
            let (session, dispatch) = (session.clone(), dispatch.clone());
            Interval::new(1_000, move || {
                let n = seconds.get().wrapping_add(1);
                seconds.set(n);
                let (dirty, running) =
                    session.read(|s| (s.dirty, s.clock.speed() != Speed::Paused)).unwrap_or((false, false));
                if dirty || (running && n % CLOCK_SAVE_EVERY_S == 0) {
                    save_now(&session, &dispatch);
                }
            })
        };
        let on_hide = web_sys::window().map(|window| {
            let (session, dispatch) = (session.clone(), dispatch.clone());
            EventListener::new(&window, "pagehide", move |_| save_now(&session, &dispatch))
        });
        move || {
            drop(interval);
            drop(on_hide);
        }
    });
}
