//! Command history with up/down navigation, as readline (and so redis-cli) behaves: Up walks
//! back from the newest entry, Down walks forward and finally returns to the line being typed.

/// How many entries are kept (and saved).
pub const MAX_ENTRIES: usize = 200;

/// The longest line the saved history keeps (bytes). A longer one (a pasted megabyte value)
/// stays in this session's history but is not saved: cut short, it would be a different command
/// when walked back to and run.
pub const MAX_SAVED_LINE: usize = 4 * 1024;

/// The saved history's total size at most (bytes): the newest lines that fit.
pub const MAX_SAVED_TOTAL: usize = 64 * 1024;

/// The session's history at most (bytes): older lines go first once pasted values add up.
pub const MAX_SESSION_TOTAL: usize = 16 * 1024 * 1024;

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
        let mut total: usize = self.entries.iter().map(String::len).sum();
        while total > MAX_SESSION_TOTAL && self.entries.len() > 1 {
            total -= self.entries.remove(0).len();
        }
    }

    /// The entries worth saving, oldest first: lines up to [`MAX_SAVED_LINE`] bytes, the newest
    /// of them that fit in [`MAX_SAVED_TOTAL`] bytes.
    pub fn saved_entries(&self) -> Vec<String> {
        let mut budget = MAX_SAVED_TOTAL;
        let mut kept: Vec<&String> = Vec::new();
        for line in self.entries.iter().rev().filter(|l| l.len() <= MAX_SAVED_LINE) {
            if line.len() > budget {
                break;
            }
            budget -= line.len();
            kept.push(line);
        }
        kept.into_iter().rev().cloned().collect()
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
    fn saved_history_leaves_out_long_lines_and_keeps_the_newest_within_its_budget() {
        let mut h = History::default();
        let pasted = format!("SET big {}", "x".repeat(1 << 20));
        h.push("SET a 1");
        h.push(&pasted);
        h.push("GET a");
        assert_eq!(h.entries().len(), 3, "the session keeps the long line");
        assert_eq!(h.up("").as_deref(), Some("GET a"));
        assert_eq!(h.up("").as_deref(), Some(pasted.as_str()));
        assert_eq!(h.saved_entries(), ["SET a 1", "GET a"]);
        let limit = format!("SET k {}", "y".repeat(MAX_SAVED_LINE - 6));
        assert_eq!(limit.len(), MAX_SAVED_LINE);
        h.push(&limit);
        assert_eq!(h.saved_entries().last(), Some(&limit), "a line of exactly the limit is saved");
        // Many lines near the limit: the newest that fit, in order.
        let mut h = History::default();
        for i in 0..100 {
            h.push(&format!("{i:03} {}", "z".repeat(3_000)));
        }
        let saved = h.saved_entries();
        assert!(saved.iter().map(String::len).sum::<usize>() <= MAX_SAVED_TOTAL);
        assert_eq!(saved.len(), MAX_SAVED_TOTAL / 3_004);
        assert!(saved.last().is_some_and(|l| l.starts_with("099 ")));
        assert!(saved.windows(2).all(|w| w[0] < w[1]), "oldest first");
    }

    #[test]
    fn the_session_history_is_bounded_in_bytes_too() {
        let mut h = History::default();
        let line = "v".repeat(1 << 20);
        for i in 0..40 {
            h.push(&format!("SET k{i} {line}"));
        }
        let total: usize = h.entries().iter().map(String::len).sum();
        assert!(total <= MAX_SESSION_TOTAL, "{total}");
        assert!(h.entries().last().is_some_and(|l| l.starts_with("SET k39 ")));
    }

    #[test]
    fn empty_history_does_nothing() {
        let mut h = History::default();
        assert_eq!(h.up("x"), None);
        assert_eq!(h.down(), None);
    }
}
