//! Expiry options shared by SET, GETEX, SETEX/PSETEX: parsing `EX`/`PX`/`EXAT`/`PXAT`
//! values into an absolute deadline exactly as Redis's `getExpireMillisecondsOrReply` does.

use crate::error::CmdError;

/// Which expiry option was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryUnit {
    /// `EX seconds` (relative).
    Ex,
    /// `PX milliseconds` (relative).
    Px,
    /// `EXAT unix-seconds`.
    ExAt,
    /// `PXAT unix-milliseconds`.
    PxAt,
}

impl ExpiryUnit {
    /// The option named by `word`, if it is one.
    pub fn parse(word: &[u8]) -> Option<ExpiryUnit> {
        [
            (b"EX" as &[u8], ExpiryUnit::Ex),
            (b"PX", ExpiryUnit::Px),
            (b"EXAT", ExpiryUnit::ExAt),
            (b"PXAT", ExpiryUnit::PxAt),
        ]
        .into_iter()
        .find(|(name, _)| word.eq_ignore_ascii_case(name))
        .map(|(_, unit)| unit)
    }

    /// The absolute deadline (ms) for `value` at `now`, or Redis's `invalid expire time` error
    /// (for `command`, lowercase) when it is not positive or would overflow.
    pub fn deadline(self, raw: &[u8], now: u64, command: &str) -> Result<u64, CmdError> {
        let value = crate::args::parse_i64(raw).ok_or_else(CmdError::not_integer)?;
        let seconds = matches!(self, ExpiryUnit::Ex | ExpiryUnit::ExAt);
        if value <= 0 || (seconds && value > i64::MAX / 1000) {
            return Err(CmdError::invalid_expire(command));
        }
        let mut ms = if seconds { value * 1000 } else { value };
        if matches!(self, ExpiryUnit::Ex | ExpiryUnit::Px) {
            ms = ms.checked_add(now as i64).ok_or_else(|| CmdError::invalid_expire(command))?;
        }
        Ok(ms as u64)
    }
}
