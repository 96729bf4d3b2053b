//! The server panel's numbers from a real server: `INFO stats`, `INFO memory` and
//! `INFO keyspace` every 2 s on the monitor connection, parsed by `backend::info`.

use crate::backend::info::{learners_lookups, parse_info, Baseline, ServerNumbers};
use crate::backend::remote::{send_all, RemoteHandle};
use crate::backend::scan::own_lookups;
use bytes::Bytes;
use gloo::timers::callback::Interval;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

const REFRESH_MS: u32 = 2_000;

fn poll(
    monitor: &RemoteHandle,
    out: UseStateHandle<Option<ServerNumbers>>,
    baseline: Rc<RefCell<Option<Baseline>>>,
) {
    // A closed monitor connection is retried on one refresh in eight, not on every one (each
    // retry reopens the socket, and the browser logs every refused connection).
    if monitor.0.is_closed() && (js_sys::Date::now() as u64 / u64::from(REFRESH_MS)) % 8 != 0 {
        return;
    }
    let info = |section: &'static [u8]| vec![Bytes::from_static(b"INFO"), Bytes::from_static(section)];
    let commands = vec![info(b"stats"), info(b"memory"), info(b"keyspace")];
    send_all(&*monitor.0, commands, move |frames| {
        let text: String = frames
            .iter()
            .filter_map(|f| f.as_bytes().map(|b| String::from_utf8_lossy(b).into_owned()))
            .collect::<Vec<_>>()
            .join("\r\n");
        if !text.is_empty() {
            let mut numbers = parse_info(&text);
            // The key browser's reads go on this same connection, before this INFO: every one
            // the server has counted has been recorded by now.
            learners_lookups(&mut numbers, own_lookups(), &mut baseline.borrow_mut());
            out.set(Some(numbers));
        }
    });
}

/// The latest numbers of the real server behind `monitor` (`None` before the first answer or
/// without a remote backend).
#[hook]
pub fn use_remote_stats(monitor: Option<RemoteHandle>) -> Option<ServerNumbers> {
    let numbers = use_state(|| None::<ServerNumbers>);
    {
        let numbers = numbers.clone();
        use_effect_with(monitor, move |monitor| {
            numbers.set(None);
            // Counted from this connection on.
            let baseline = Rc::new(RefCell::new(None));
            let interval = monitor.clone().map(|m| {
                poll(&m, numbers.clone(), baseline.clone());
                Interval::new(REFRESH_MS, move || poll(&m, numbers.clone(), baseline.clone()))
            });
            move || drop(interval)
        });
    }
    (*numbers).clone()
}
