//! Hooks: the clock that drives the engine, autosave, and the real-time display.

mod use_autosave;
mod use_clock;
mod use_real_time;

pub use use_autosave::{save_now, use_autosave};
pub use use_clock::{drain_into, use_clock, TICK_MS};
pub use use_real_time::use_real_time;
