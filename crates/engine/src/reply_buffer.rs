//! A client's reply buffer as Redis 7.4 sizes it (`clientsCronResizeOutputBuffer`): CLIENT LIST's
//! `rbs` and `rbp`, INFO's `reply_buffer_shrinks` and `reply_buffer_expands`. The engine hands
//! whole replies to its host, so the buffer is only a model, but an observable one: an idle
//! client's buffer shrinks towards 1 KB, a busy one's grows back to 16 KB.

/// `PROTO_REPLY_MIN_BYTES` and `PROTO_REPLY_CHUNK_BYTES`.
const MIN_BYTES: usize = 1024;
const CHUNK_BYTES: usize = 16 * 1024;
/// `REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME`, milliseconds.
pub const DEFAULT_PEAK_RESET_MS: i64 = 5000;

/// One client's buffer: its usable size, the most it held since the peak was last reset, and
/// when that was (virtual ms).
#[derive(Debug, Clone, Copy)]
pub struct ReplyBuffer {
    pub size: usize,
    pub peak: usize,
    last_reset: u64,
}

impl Default for ReplyBuffer {
    /// A new client's: `PROTO_REPLY_CHUNK_BYTES`.
    fn default() -> Self {
        ReplyBuffer { size: CHUNK_BYTES, peak: 0, last_reset: 0 }
    }
}

/// The server-wide settings DEBUG REPLYBUFFER changes, and the resize counters.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// `reply_buffer_peak_reset_time`: -1 never.
    pub peak_reset_ms: i64,
    pub resizing: bool,
    pub shrinks: u64,
    pub expands: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { peak_reset_ms: DEFAULT_PEAK_RESET_MS, resizing: true, shrinks: 0, expands: 0 }
    }
}

impl ReplyBuffer {
    /// A reply of `len` bytes went through the buffer: it fills up to its size (the rest goes to
    /// the reply list).
    pub fn wrote(&mut self, len: usize) {
        self.peak = self.peak.max(len.min(self.size));
    }

    /// The cron's pass over this client at `now` (the buffer is empty between commands).
    pub fn cron(&mut self, settings: &mut Settings, now: u64) {
        let mut new_size = 0;
        if settings.resizing {
            if self.size / 2 >= MIN_BYTES && self.peak < self.size / 2 {
                new_size = MIN_BYTES.max(self.peak + 1);
                settings.shrinks += 1;
            } else if self.size * 2 < CHUNK_BYTES * 2 && self.peak == self.size {
                new_size = CHUNK_BYTES.min(self.size * 2);
                settings.expands += 1;
            }
        }
        if settings.peak_reset_ms >= 0 && now.saturating_sub(self.last_reset) >= settings.peak_reset_ms as u64
        {
            self.peak = 0;
            self.last_reset = now;
        }
        if new_size != 0 {
            self.size = usable_size(new_size);
        }
    }
}

/// jemalloc's size class for a request of `n` bytes (from 16 bytes on, four classes per
/// doubling), which `zmalloc_usable` reports as the buffer's size.
fn usable_size(n: usize) -> usize {
    let step = (n.next_power_of_two() / 8).max(16);
    n.div_ceil(step) * step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_jemalloc_classes() {
        assert_eq!(
            [1024, 1025, 1500, 2048, 5000, 16384].map(usable_size),
            [1024, 1280, 1536, 2048, 5120, 16384]
        );
    }

    #[test]
    fn an_idle_buffer_shrinks_and_a_full_one_grows() {
        let mut settings = Settings { peak_reset_ms: 100, ..Settings::default() };
        let mut buf = ReplyBuffer::default();
        buf.wrote(5);
        buf.cron(&mut settings, 100);
        assert_eq!(buf.size, 1024);
        for now in [200, 300, 400, 500] {
            buf.wrote(40_000);
            buf.cron(&mut settings, now);
        }
        assert_eq!(buf.size, 16384);
        assert_eq!((settings.shrinks, settings.expands), (1, 4));
    }
}
