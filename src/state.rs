//! What the page draws, as one `Reducible` state changed only through [`Action`]s (the shape of
//! yew's `function_todomvc` example). The engine and the clock live in the session
//! (`session.rs`); this state holds the scrollback, view choices, and what the engine's events
//! mean for the page (flashes, ghost rows of removed keys, the hit-ratio series).

use crate::clock::Speed;
use crate::console::{ConsoleEntry, View};
use playground_engine::Event;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use yew::Reducible;

/// Entries kept in the scrollback.
pub const MAX_ENTRIES: usize = 300;
/// Points in the hit-ratio sparkline.
pub const MAX_SAMPLES: usize = 60;
/// How long (real ms) a removed key stays visible as a ghost row.
pub const GHOST_MS: f64 = 2_500.0;

/// The main tabs. On a wide window the console and the key browser show side by side and the
/// tab only says which one is in front on a narrow window; Labs replace both; Lessons put the
/// lesson beside the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Console,
    Keys,
    Labs,
    /// Guided lessons beside the console.
    Lessons,
    /// Python notebook cells (redis-py) beside the key browser.
    Python,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

/// Why a key row flashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Hit,
    Miss,
    Write,
    Deleted,
    Expired,
    Evicted,
    /// A tracking invalidation reached the second client.
    Invalidated,
}

impl FlashKind {
    pub fn class(self) -> &'static str {
        match self {
            FlashKind::Hit => "flash-hit",
            FlashKind::Miss => "flash-miss",
            FlashKind::Write => "flash-write",
            FlashKind::Deleted => "flash-deleted",
            FlashKind::Expired => "flash-expired",
            FlashKind::Evicted => "flash-evicted",
            FlashKind::Invalidated => "flash-invalidated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FlashKind::Hit => "hit",
            FlashKind::Miss => "miss",
            FlashKind::Write => "written",
            FlashKind::Deleted => "deleted",
            FlashKind::Expired => "expired",
            FlashKind::Evicted => "evicted",
            FlashKind::Invalidated => "invalidated",
        }
    }
}

/// A flash on a key row. `seq` changes on every event: the row alternates between two
/// identical animations by its parity, which restarts the animation without remounting the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flash {
    pub kind: FlashKind,
    pub seq: u64,
    /// Real-time deadline (ms) after which the flash is forgotten.
    pub until: f64,
}

impl Flash {
    /// The CSS class for this flash: `flash-hit-0` / `flash-hit-1`.
    pub fn class(&self) -> String {
        format!("{}-{}", self.kind.class(), self.seq % 2)
    }
}

/// A key that just went away (or was missed), shown briefly in the key browser.
#[derive(Debug, Clone, PartialEq)]
pub struct Ghost {
    pub db: usize,
    pub key: Vec<u8>,
    pub kind: FlashKind,
    /// Real-time deadline (ms, `Date.now()`), after which the ghost disappears.
    pub until: f64,
}

/// A banner message.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    /// Shared so that redrawing the page every clock tick does not copy the scrollback.
    pub entries: Rc<Vec<ConsoleEntry>>,
    pub view: View,
    pub tab: Tab,
    pub theme: Theme,
    /// Simulated time and speed, mirrored from the session's clock for drawing.
    pub now: u64,
    pub speed: Speed,
    /// Bumped whenever the keyspace or the stats may have changed, so panels redraw.
    pub rev: u64,
    pub flashes: HashMap<(usize, Vec<u8>), Flash>,
    pub ghosts: Vec<Ghost>,
    /// Hit ratio over time (0..=1), newest last; `None` before the first read.
    pub ratio_samples: VecDeque<f64>,
    pub notice: Option<Notice>,
    /// The key opened in the key browser.
    pub selected: Option<(usize, Vec<u8>)>,
    pub filter: String,
    /// Counter behind flash sequence numbers.
    pub seq: u64,
    /// Counter behind console entries' `seq` (it never goes back, even when the console is cleared).
    pub entry_seq: u64,
    /// The second client's scrollback: its commands, replies and the messages pushed to it.
    pub second_log: Rc<Vec<SecondLine>>,
}

/// One line of the second client's panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondLine {
    /// The command typed, or `None` for a message the server pushed.
    pub input: Option<String>,
    /// The reply or the message as redis-cli prints it.
    pub text: String,
    pub is_error: bool,
}

impl SecondLine {
    /// A reply or a pushed frame (`input` None) as redis-cli prints it for the connection's
    /// protocol.
    pub fn of(
        input: Option<String>,
        frame: &playground_engine::Frame,
        proto: playground_engine::Protocol,
    ) -> SecondLine {
        let seen = crate::console::format::as_client_sees(frame, proto);
        SecondLine { input, text: crate::console::format::format_reply(&seen), is_error: seen.is_error() }
    }
}

/// Lines the second client's panel keeps.
pub const MAX_SECOND_LINES: usize = 200;

pub enum Action {
    /// A console line finished.
    Ran(ConsoleEntry),
    ClearConsole,
    SetView(View),
    SetTab(Tab),
    SetTheme(Theme),
    /// The clock moved (timer, jump, speed change).
    Clock {
        now: u64,
        speed: Speed,
    },
    /// Engine events drained after a command or a tick, at real time `real_now`.
    Events {
        events: Vec<Event>,
        real_now: f64,
    },
    /// Drop ghosts older than `real_now`.
    Sweep {
        real_now: f64,
    },
    /// A new hit-ratio point.
    Sample(f64),
    Notify(Notice),
    DismissNotice,
    Select(Option<(usize, Vec<u8>)>),
    Filter(String),
    /// The whole session was replaced (reset, import).
    SessionReplaced,
    /// Cluster mode switched on or off: keys show their slots (or stop showing them).
    ClusterChanged,
    /// The second client ran a command.
    SecondRan(SecondLine),
    /// Frames pushed to the page's connections: messages shown in the console and in the
    /// second client's panel; keys named by tracking invalidations flash.
    Pushed {
        console: Vec<ConsoleEntry>,
        second: Vec<SecondLine>,
        invalidated: Vec<(usize, Vec<u8>)>,
        real_now: f64,
    },
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Ran(mut entry) => {
                next.entry_seq += 1;
                entry.seq = next.entry_seq;
                let entries = Rc::make_mut(&mut next.entries);
                entries.push(entry);
                if entries.len() > MAX_ENTRIES {
                    let extra = entries.len() - MAX_ENTRIES;
                    entries.drain(..extra);
                }
                next.rev += 1;
            }
            Action::ClearConsole => next.entries = Rc::default(),
            Action::SecondRan(line) => {
                next.push_second(vec![line]);
                next.rev += 1;
            }
            Action::Pushed { console, second, invalidated, real_now } => {
                for mut entry in console {
                    next.entry_seq += 1;
                    entry.seq = next.entry_seq;
                    let entries = Rc::make_mut(&mut next.entries);
                    entries.push(entry);
                    if entries.len() > MAX_ENTRIES {
                        let extra = entries.len() - MAX_ENTRIES;
                        entries.drain(..extra);
                    }
                }
                next.push_second(second);
                for (db, key) in invalidated {
                    next.flash(db, key, FlashKind::Invalidated, real_now);
                }
            }
            Action::SetView(view) => next.view = view,
            Action::SetTab(tab) => next.tab = tab,
            Action::SetTheme(theme) => next.theme = theme,
            Action::Clock { now, speed } => {
                if now == next.now && speed == next.speed {
                    return self;
                }
                next.now = now;
                next.speed = speed;
            }
            Action::Events { events, real_now } => {
                if events.is_empty() {
                    return self;
                }
                for event in events {
                    next.apply_event(event, real_now);
                }
                next.rev += 1;
            }
            Action::Sweep { real_now } => {
                let stale = next.ghosts.iter().any(|g| g.until <= real_now)
                    || next.flashes.values().any(|f| f.until <= real_now);
                if !stale {
                    return self;
                }
                next.ghosts.retain(|g| g.until > real_now);
                next.flashes.retain(|_, f| f.until > real_now);
            }
            Action::Sample(ratio) => {
                next.ratio_samples.push_back(ratio);
                while next.ratio_samples.len() > MAX_SAMPLES {
                    next.ratio_samples.pop_front();
                }
            }
            Action::Notify(notice) => next.notice = Some(notice),
            Action::DismissNotice => next.notice = None,
            Action::Select(key) => next.selected = key,
            Action::Filter(filter) => next.filter = filter,
            Action::ClusterChanged => {
                next.selected = None;
                next.rev += 1;
            }
            Action::SessionReplaced => {
                next.second_log = Rc::default();
                next.flashes.clear();
                next.ghosts.clear();
                next.ratio_samples.clear();
                next.selected = None;
                next.rev += 1;
            }
        }
        Rc::new(next)
    }
}

impl AppState {
    fn push_second(&mut self, lines: Vec<SecondLine>) {
        if lines.is_empty() {
            return;
        }
        let log = Rc::make_mut(&mut self.second_log);
        log.extend(lines);
        if log.len() > MAX_SECOND_LINES {
            let extra = log.len() - MAX_SECOND_LINES;
            log.drain(..extra);
        }
    }

    fn flash(&mut self, db: usize, key: Vec<u8>, kind: FlashKind, real_now: f64) {
        self.seq += 1;
        self.flashes.insert((db, key), Flash { kind, seq: self.seq, until: real_now + GHOST_MS });
    }

    fn ghost(&mut self, db: usize, key: Vec<u8>, kind: FlashKind, real_now: f64) {
        self.flashes.remove(&(db, key.clone()));
        self.ghosts.retain(|g| !(g.db == db && g.key == key));
        self.ghosts.push(Ghost { db, key, kind, until: real_now + GHOST_MS });
        // A flood of expiries (a day's jump) should not bury the list in ghosts.
        if self.ghosts.len() > 20 {
            self.ghosts.remove(0);
        }
    }

    fn apply_event(&mut self, event: Event, real_now: f64) {
        match event {
            Event::Hit { db, key } => self.flash(db, key.to_vec(), FlashKind::Hit, real_now),
            Event::Written { db, key } => {
                self.ghosts.retain(|g| !(g.db == db && g.key == key.as_ref()));
                self.flash(db, key.to_vec(), FlashKind::Write, real_now)
            }
            Event::Miss { db, key } => self.ghost(db, key.to_vec(), FlashKind::Miss, real_now),
            Event::Deleted { db, key } => self.ghost(db, key.to_vec(), FlashKind::Deleted, real_now),
            Event::Expired { db, key } => self.ghost(db, key.to_vec(), FlashKind::Expired, real_now),
            Event::Evicted { db, key } => self.ghost(db, key.to_vec(), FlashKind::Evicted, real_now),
            Event::Flushed { .. } => self.flashes.clear(),
            // Command events (and any kind added later) do not change a key row.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn reduce(state: AppState, action: Action) -> AppState {
        (*Rc::new(state).reduce(action)).clone()
    }

    #[test]
    fn events_flash_rows_and_leave_ghosts_that_fade() {
        let k = Bytes::from_static(b"k");
        let events = vec![
            Event::Written { db: 0, key: k.clone() },
            Event::Hit { db: 0, key: k.clone() },
            Event::Expired { db: 0, key: Bytes::from_static(b"old") },
        ];
        let s = reduce(AppState::default(), Action::Events { events, real_now: 1_000.0 });
        let flash = s.flashes.get(&(0, b"k".to_vec())).copied();
        assert_eq!(flash.map(|f| f.kind), Some(FlashKind::Hit));
        assert_eq!(flash.map(|f| f.class()), Some("flash-hit-0".to_string()), "second event: even seq");
        assert_eq!(s.ghosts.len(), 1);
        assert_eq!(s.ghosts[0].kind, FlashKind::Expired);
        let s = reduce(s, Action::Sweep { real_now: 1_000.0 + GHOST_MS + 1.0 });
        assert!(s.ghosts.is_empty());
        assert!(s.flashes.is_empty(), "flashes are forgotten too, so the map stays small");
    }

    #[test]
    fn scrollback_and_samples_are_bounded() {
        let mut s = AppState::default();
        for i in 0..(MAX_ENTRIES + 5) {
            let entry = ConsoleEntry {
                prompt: "redis>".into(),
                input: format!("PING {i}"),
                text: String::new(),
                wire: String::new(),
                notes: vec![],
                pretty: None,
                is_error: false,
                compare: None,
                ran: None,
                seq: 0,
            };
            s = reduce(s, Action::Ran(entry));
        }
        assert_eq!(s.entries.len(), MAX_ENTRIES);
        assert_eq!(s.entries[0].input, "PING 5");
        for _ in 0..(MAX_SAMPLES * 2) {
            s = reduce(s, Action::Sample(0.5));
        }
        assert_eq!(s.ratio_samples.len(), MAX_SAMPLES);
    }
}
