//! Parsing of sorted-set ranges and the reply shape of scored members.
//!
//! Score bounds are read with `strtod` semantics as Redis's `zslParseRange` does (an empty bound
//! is 0, `(` makes it exclusive, overflow becomes infinity, NaN is refused); lex bounds are `-`,
//! `+`, `[member` or `(member`.

use crate::error::CmdError;
use crate::frame::{Frame, Protocol};
use crate::types::zset::{LexBound, LexRange, ScoreBound, ScoreRange};
use bytes::Bytes;

/// `ERR min or max is not a float`.
pub fn not_float_range() -> CmdError {
    CmdError::err("min or max is not a float")
}

/// `ERR min or max not valid string range item`.
pub fn not_lex_range() -> CmdError {
    CmdError::err("min or max not valid string range item")
}

fn score_bound(raw: &[u8]) -> Option<ScoreBound> {
    let (exclusive, text) = match raw.split_first() {
        Some((b'(', rest)) => (true, rest),
        _ => (false, raw),
    };
    let value = if text.is_empty() {
        0.0
    } else {
        let text = std::str::from_utf8(text).ok()?;
        let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
        match crate::float::parse_hex_float(trimmed) {
            Some(v) => v,
            None => crate::decimal::parse_f64(trimmed)?,
        }
    };
    if value.is_nan() {
        return None;
    }
    Some(ScoreBound { value, exclusive })
}

/// Parse `min max` as a score range.
pub fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
    match (score_bound(min), score_bound(max)) {
        (Some(min), Some(max)) => Ok(ScoreRange { min, max }),
        _ => Err(not_float_range()),
    }
}

fn lex_bound(raw: &Bytes) -> Option<LexBound> {
    match raw.first()? {
        b'-' if raw.len() == 1 => Some(LexBound::NegInf),
        b'+' if raw.len() == 1 => Some(LexBound::PosInf),
        b'[' => Some(LexBound::Inclusive(raw.slice(1..))),
        b'(' => Some(LexBound::Exclusive(raw.slice(1..))),
        _ => None,
    }
}

/// Parse `min max` as a lex range.
pub fn parse_lex_range(min: &Bytes, max: &Bytes) -> Result<LexRange, CmdError> {
    match (lex_bound(min), lex_bound(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(not_lex_range()),
    }
}

/// Clamp Redis rank arguments (negative counts from the end) to `start..=end` inside `len`;
/// `None` when the range is empty.
pub fn clamp_ranks(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 { start.saturating_add(len) } else { start }.max(0);
    let end = if end < 0 { end.saturating_add(len) } else { end };
    if start > end || start >= len {
        return None;
    }
    Some((start as usize, end.min(len - 1) as usize))
}

/// Members, optionally with scores: flat `member, score` pairs in RESP2, `[member, score]`
/// pairs in RESP3 (as Redis 7.4 replies).
pub fn scored_reply(proto: Protocol, items: Vec<(Bytes, f64)>, withscores: bool) -> Frame {
    if !withscores {
        return Frame::Array(items.into_iter().map(|(m, _)| Frame::Bulk(m)).collect());
    }
    if proto == Protocol::Resp3 {
        return Frame::Array(
            items.into_iter().map(|(m, s)| Frame::Array(vec![Frame::Bulk(m), Frame::Double(s)])).collect(),
        );
    }
    Frame::Array(items.into_iter().flat_map(|(m, s)| [Frame::Bulk(m), Frame::Double(s)]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_parse_like_strtod() {
        assert_eq!(score_bound(b"(").map(|b| (b.value, b.exclusive)), Some((0.0, true)));
        assert_eq!(score_bound(b"-inf").map(|b| b.value), Some(f64::NEG_INFINITY));
        assert_eq!(score_bound(b"1e400").map(|b| b.value), Some(f64::INFINITY));
        assert!(score_bound(b"nan").is_none());
        assert!(score_bound(b"1x").is_none());
        assert!(lex_bound(&Bytes::from("+a")).is_none());
        assert_eq!(clamp_ranks(-2, -1, 3), Some((1, 2)));
        assert_eq!(clamp_ranks(5, 10, 3), None);
        assert_eq!(clamp_ranks(i64::MIN, i64::MAX, 3), Some((0, 2)));
    }

    #[test]
    fn resp3_scores_are_pairs() {
        let items = vec![(Bytes::from("a"), 1.5)];
        let r3 = scored_reply(Protocol::Resp3, items.clone(), true).to_bytes(Protocol::Resp3);
        assert_eq!(r3, b"*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n");
        let r2 = scored_reply(Protocol::Resp2, items, true).to_bytes(Protocol::Resp2);
        assert_eq!(r2, b"*2\r\n$1\r\na\r\n$3\r\n1.5\r\n");
    }
}
