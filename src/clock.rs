//! The virtual clock the engine runs on. The learner pauses it, speeds it up, or jumps ahead to
//! watch TTLs run out; the engine only ever sees the `now` this clock hands out, which is why
//! it never reads a real clock (that would panic on wasm32 anyway).

/// How fast simulated time runs against real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Speed {
    Paused,
    #[default]
    X1,
    X10,
    X60,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Paused, Speed::X1, Speed::X10, Speed::X60];

    pub fn factor(self) -> f64 {
        match self {
            Speed::Paused => 0.0,
            Speed::X1 => 1.0,
            Speed::X10 => 10.0,
            Speed::X60 => 60.0,
        }
    }

    /// The name a saved state stores (`"X1"`), the variant's name as the first format had it.
    pub fn name(self) -> &'static str {
        match self {
            Speed::Paused => "Paused",
            Speed::X1 => "X1",
            Speed::X10 => "X10",
            Speed::X60 => "X60",
        }
    }

    pub fn from_name(name: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::Paused => "Pause",
            Speed::X1 => "1x",
            Speed::X10 => "10x",
            Speed::X60 => "60x",
        }
    }
}

/// Simulated milliseconds since the Unix epoch, plus the speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VirtualClock {
    now_ms: u64,
    speed: Speed,
    /// Sub-millisecond remainder carried between advances so slow ticks do not lose time.
    carry: f64,
}

/// The longest real gap one advance accounts for: a tab in the background is throttled, and
/// coming back should not fast-forward hours at 60x.
pub const MAX_REAL_STEP_MS: f64 = 5_000.0;

impl VirtualClock {
    pub fn starting_at(now_ms: u64) -> VirtualClock {
        VirtualClock { now_ms, speed: Speed::X1, carry: 0.0 }
    }

    /// A clock as it was saved: at `now_ms`, running at `speed`.
    pub fn restored(now_ms: u64, speed: Speed) -> VirtualClock {
        VirtualClock { now_ms, speed, carry: 0.0 }
    }

    pub fn now(&self) -> u64 {
        self.now_ms
    }

    pub fn speed(&self) -> Speed {
        self.speed
    }

    pub fn set_speed(&mut self, speed: Speed) {
        self.speed = speed;
    }

    /// Let `real_elapsed_ms` of real time pass; returns the new simulated time.
    pub fn advance(&mut self, real_elapsed_ms: f64) -> u64 {
        if !real_elapsed_ms.is_finite() || real_elapsed_ms <= 0.0 {
            return self.now_ms;
        }
        let sim = real_elapsed_ms.min(MAX_REAL_STEP_MS) * self.speed.factor() + self.carry;
        let whole = sim.floor();
        self.carry = sim - whole;
        self.now_ms = self.now_ms.saturating_add(whole as u64);
        self.now_ms
    }

    /// Jump ahead by `ms` of simulated time (the +1 min / +1 h / +1 day buttons).
    pub fn jump(&mut self, ms: u64) -> u64 {
        self.now_ms = self.now_ms.saturating_add(ms);
        self.now_ms
    }
}

/// `2026-11-23 01:26:15` (UTC) for a simulated time, without pulling in a date library.
pub fn format_utc(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let (y, mo, d) = civil_from_days(days as i64);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02}")
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A remaining time as the key browser shows it: `59s`, `4m 59s`, `2h 5m`, `3d 4h`.
pub fn format_ttl(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_scales_real_time_and_pause_stops_it() {
        let mut c = VirtualClock::starting_at(1_000);
        assert_eq!(c.advance(100.0), 1_100);
        c.set_speed(Speed::X60);
        assert_eq!(c.advance(1_000.0), 61_100);
        c.set_speed(Speed::Paused);
        assert_eq!(c.advance(1_000.0), 61_100);
        assert_eq!(c.jump(60_000), 121_100);
    }

    #[test]
    fn fractions_carry_and_long_gaps_are_capped() {
        let mut c = VirtualClock::starting_at(0);
        for _ in 0..10 {
            c.advance(0.5);
        }
        assert_eq!(c.now(), 5);
        c.advance(3_600_000.0);
        assert_eq!(c.now(), 5 + MAX_REAL_STEP_MS as u64);
        assert_eq!(c.advance(f64::NAN), c.now());
    }

    #[test]
    fn formats_dates_and_ttls() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(1_795_397_175_000), "2026-11-23 01:26:15");
        assert_eq!(format_ttl(300_000), "5m 00s");
        assert_eq!(format_ttl(1), "1s");
        assert_eq!(format_ttl(90_061_000), "1d 1h");
    }
}
