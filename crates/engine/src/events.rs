//! What happened inside the engine, for the page to draw (flashes in the key browser, the
//! hit-ratio chart, the eviction demo). Recording costs one branch when nobody listens.

use bytes::Bytes;

/// Coarse class of a reply, enough to colour a console line or a chart point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyClass {
    Ok,
    Error,
}

/// One event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A command ran (name lowercased) and how it ended.
    Command { client: u64, name: String, reply: ReplyClass },
    /// A read found the key.
    Hit { db: usize, key: Bytes },
    /// A read did not find the key.
    Miss { db: usize, key: Bytes },
    /// A key was created or changed.
    Written { db: usize, key: Bytes },
    /// A key was removed by a command.
    Deleted { db: usize, key: Bytes },
    /// A key's deadline passed.
    Expired { db: usize, key: Bytes },
    /// A key was evicted to get under maxmemory.
    Evicted { db: usize, key: Bytes },
    /// A whole database (or all of them, `db == None`) was flushed.
    Flushed { db: Option<usize> },
    /// SWAPDB exchanged the contents of two databases.
    Swapped { a: usize, b: usize },
}

/// Buffered events, kept only while someone listens.
#[derive(Debug, Default)]
pub struct EventLog {
    enabled: bool,
    buf: Vec<Event>,
}

/// Keep the buffer bounded if a listener stops draining.
const MAX_BUFFERED: usize = 100_000;

impl EventLog {
    pub fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
        if !on {
            self.buf.clear();
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Record an event built lazily, so nothing is allocated when nobody listens.
    #[inline]
    pub fn emit(&mut self, make: impl FnOnce() -> Event) {
        if self.enabled && self.buf.len() < MAX_BUFFERED {
            self.buf.push(make());
        }
    }

    pub fn drain(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.buf)
    }
}
