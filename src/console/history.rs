//! Command history with up/down navigation, as readline (and so redis-cli) behaves: Up walks
//! back from the newest entry, Down walks forward and finally returns to the line being typed.

/// How many entries are kept (and saved).
pub const MAX_ENTRIES: usize = 200;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    entries: Vec<String>,
    /// Index into `entries` while browsing; `None` when editing a new line.
    cursor: Option<usize>,
    /// The line being typed before browsing started, restored by walking past the newest entry.
    draft: String,
}

impl History {
    pub fn from_entries(mut entries: Vec<String>) -> History {
        if entries.len() > MAX_ENTRIES {
            entries.drain(..entries.len() - MAX_ENTRIES);
        }
        History { entries, ..History::default() }
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Record a line that was run; repeated lines are stored once, as readline does.
    pub fn push(&mut self, line: &str) {
        self.cursor = None;
        self.draft.clear();
        if line.trim().is_empty() || self.entries.last().map(String::as_str) == Some(line) {
            return;
        }
        self.entries.push(line.to_string());
        if self.entries.len() > MAX_ENTRIES {
            self.entries.remove(0);
        }
    }

    /// Up: the previous entry (the current line is kept as the draft the first time).
    pub fn up(&mut self, current: &str) -> Option<String> {
        let next = match self.cursor {
            None => {
                self.draft = current.to_string();
                self.entries.len().checked_sub(1)?
            }
            Some(i) => i.saturating_sub(1),
        };
        self.cursor = Some(next);
        self.entries.get(next).cloned()
    }

    /// Down: the next entry, or the draft after the newest one.
    pub fn down(&mut self) -> Option<String> {
        let i = self.cursor?;
        if i + 1 < self.entries.len() {
            self.cursor = Some(i + 1);
            self.entries.get(i + 1).cloned()
        } else {
            self.cursor = None;
            Some(std::mem::take(&mut self.draft))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_walk_the_history_and_restore_the_draft() {
        let mut h = History::default();
        h.push("SET a 1");
        h.push("GET a");
        h.push("GET a");
        assert_eq!(h.entries().len(), 2, "repeats are stored once");
        assert_eq!(h.up("typing").as_deref(), Some("GET a"));
        assert_eq!(h.up("").as_deref(), Some("SET a 1"));
        assert_eq!(h.up("").as_deref(), Some("SET a 1"), "stays at the oldest");
        assert_eq!(h.down().as_deref(), Some("GET a"));
        assert_eq!(h.down().as_deref(), Some("typing"));
        assert_eq!(h.down(), None);
    }

    #[test]
    fn keeps_a_bounded_number_of_entries() {
        let mut h = History::default();
        for i in 0..(MAX_ENTRIES + 10) {
            h.push(&format!("PING {i}"));
        }
        assert_eq!(h.entries().len(), MAX_ENTRIES);
        assert_eq!(h.entries()[0], "PING 10");
        let restored = History::from_entries((0..300).map(|i| i.to_string()).collect());
        assert_eq!(restored.entries().len(), MAX_ENTRIES);
    }

    #[test]
    fn empty_history_does_nothing() {
        let mut h = History::default();
        assert_eq!(h.up("x"), None);
        assert_eq!(h.down(), None);
    }
}
