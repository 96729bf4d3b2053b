//! The round trip of a lab's commands to a real server, measured so that it is Redis's link and
//! not the lab's own queue: a pipeline counts only if no other was in flight when it left, since
//! one sent behind others waits for their replies first (a burst of 50 requests once made "hits"
//! cost 22 ms at p50 where PING took 1-2 ms). What remains is the page -> proxy -> Redis -> proxy
//! -> page trip, plus the page's wait to run the reply's callback.

/// Smoothed round trip and the pipelines in flight.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoundTripMeter {
    smoothed_ms: Option<f64>,
    in_flight: usize,
}

/// One pipeline sent: whether it left on an idle link (then its time is a sample).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "hand the ticket back to `received`"]
pub struct Sent {
    idle: bool,
}

impl RoundTripMeter {
    /// The smoothed round trip in ms, once one was measured.
    pub fn ms(&self) -> Option<f64> {
        self.smoothed_ms
    }

    /// A pipeline leaves now.
    pub fn sent(&mut self) -> Sent {
        let idle = self.in_flight == 0;
        self.in_flight += 1;
        Sent { idle }
    }

    /// Its replies came back `elapsed_ms` after it left.
    pub fn received(&mut self, sent: Sent, elapsed_ms: f64) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if sent.idle && elapsed_ms.is_finite() && elapsed_ms >= 0.0 {
            // An exponential average: recent samples count most, one slow reply does not dominate.
            self.smoothed_ms = Some(self.smoothed_ms.map_or(elapsed_ms, |avg| avg * 0.8 + elapsed_ms * 0.2));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pipelines_sent_on_an_idle_link_are_samples() {
        let mut meter = RoundTripMeter::default();
        assert_eq!(meter.ms(), None);
        // A burst: the first leaves on an idle link, the other two queue behind it.
        let (a, b, c) = (meter.sent(), meter.sent(), meter.sent());
        meter.received(a, 2.0);
        meter.received(b, 30.0);
        meter.received(c, 45.0);
        assert_eq!(meter.ms(), Some(2.0), "the queued ones measured the queue, not the link");
        let d = meter.sent();
        meter.received(d, 4.0);
        assert_eq!(meter.ms(), Some(2.0 * 0.8 + 4.0 * 0.2));
        // A reply that never had a sane time is no sample.
        let before = meter.ms();
        let e = meter.sent();
        meter.received(e, f64::NAN);
        assert_eq!(meter.ms(), before);
    }
}
