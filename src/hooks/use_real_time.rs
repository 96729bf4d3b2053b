//! The real wall-clock time, refreshed every second, shown next to the simulated time.

use gloo::timers::callback::Interval;
use yew::prelude::*;

#[hook]
pub fn use_real_time() -> f64 {
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(1_000, move || now.set(js_sys::Date::now()));
            move || drop(interval)
        });
    }
    *now
}
