//! Expiry options shared by SET, GETEX, SETEX/PSETEX and the EXPIRE family.
//!
//! Redis parses SET's and GETEX's options in one function (`parseExtendedStringArgumentsOrReply`)
//! where each option is accepted only if no conflicting one came before it; anything else, a
//! repeated conflicting option or an option missing its value, is `ERR syntax error`. The expire
//! value is checked later (after the syntax pass), as `getExpireMillisecondsOrReply` does.

use crate::args::{parse_i64, Args};
use crate::error::CmdError;
use bytes::Bytes;

/// Which command's option set is being parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsFor {
    Set,
    GetEx,
}

/// The unit and reference of an expire argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpireKind {
    /// Relative seconds (EX).
    Ex,
    /// Relative milliseconds (PX).
    Px,
    /// Absolute unix seconds (EXAT).
    ExAt,
    /// Absolute unix milliseconds (PXAT).
    PxAt,
}

impl ExpireKind {
    /// True for EXAT/PXAT (an absolute deadline, which may already be past).
    pub fn is_absolute(self) -> bool {
        matches!(self, ExpireKind::ExAt | ExpireKind::PxAt)
    }
}

/// Options of SET / GETEX after the syntax pass.
#[derive(Debug, Default, Clone)]
pub struct StringOptions {
    pub nx: bool,
    pub xx: bool,
    pub get: bool,
    pub keepttl: bool,
    pub persist: bool,
    /// The expire option and its still-unparsed value.
    pub expire: Option<(ExpireKind, Bytes)>,
}

/// Parse the options that follow `key value` (SET) or `key` (GETEX), as Redis does.
pub fn parse_string_options(args: &mut Args, which: OptionsFor) -> Result<StringOptions, CmdError> {
    let mut o = StringOptions::default();
    let is_set = which == OptionsFor::Set;
    while let Some(opt) = args.next_opt() {
        let has_next = !args.is_empty();
        let word = opt.to_ascii_uppercase();
        let no_expire = o.expire.is_none();
        let kind_is = |k: ExpireKind| o.expire.as_ref().map(|(e, _)| *e) == Some(k);
        // An expire option may repeat itself (the last one wins) but not follow another kind.
        let expire_ok = |k: ExpireKind| (no_expire || kind_is(k)) && !o.keepttl && !o.persist && has_next;
        match word.as_slice() {
            b"NX" if !o.xx && is_set => o.nx = true,
            b"XX" if !o.nx && is_set => o.xx = true,
            b"GET" if is_set => o.get = true,
            b"KEEPTTL" if !o.persist && no_expire && is_set => o.keepttl = true,
            b"PERSIST" if !is_set && no_expire && !o.keepttl => o.persist = true,
            b"EX" if expire_ok(ExpireKind::Ex) => o.expire = Some((ExpireKind::Ex, args.next_bytes()?)),
            b"PX" if expire_ok(ExpireKind::Px) => o.expire = Some((ExpireKind::Px, args.next_bytes()?)),
            b"EXAT" if expire_ok(ExpireKind::ExAt) => o.expire = Some((ExpireKind::ExAt, args.next_bytes()?)),
            b"PXAT" if expire_ok(ExpireKind::PxAt) => o.expire = Some((ExpireKind::PxAt, args.next_bytes()?)),
            _ => return Err(CmdError::syntax()),
        }
    }
    Ok(o)
}

/// The absolute deadline (ms) for an expire argument, as `getExpireMillisecondsOrReply` computes
/// it: the value must be a positive integer, seconds must not overflow when scaled, and a
/// relative time must not overflow when `now` is added. `command` names the command in the
/// error (`ERR invalid expire time in 'set' command`).
pub fn deadline_ms(kind: ExpireKind, value: &[u8], now: u64, command: &str) -> Result<u64, CmdError> {
    let raw = parse_i64(value).ok_or_else(CmdError::not_integer)?;
    let invalid = || CmdError::invalid_expire(command);
    let seconds = matches!(kind, ExpireKind::Ex | ExpireKind::ExAt);
    if raw <= 0 || (seconds && raw > i64::MAX / 1000) {
        return Err(invalid());
    }
    let mut ms = if seconds { raw * 1000 } else { raw };
    if !kind.is_absolute() {
        ms = ms.checked_add(now_i64(now)).ok_or_else(invalid)?;
    }
    if ms <= 0 {
        return Err(invalid());
    }
    Ok(ms as u64)
}

/// The clock as Redis's signed milliseconds.
pub fn now_i64(now: u64) -> i64 {
    i64::try_from(now).unwrap_or(i64::MAX)
}
