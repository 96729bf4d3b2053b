//! A cursor over a command's arguments.
//!
//! Handlers pull arguments in order (`next_bytes`, `next_i64`, ...) and call `finish` when done,
//! so "missing", "not a number" and "left over" each turn into Redis's own error text in one place.
//! Arity is checked by the dispatcher before a handler runs, so a `next_*` on a missing argument
//! means an option that takes a value was given without one: that is `ERR syntax error`.

use crate::error::CmdError;
use bytes::Bytes;

/// The arguments after the command name (and after the subcommand name, for containers).
pub struct Args {
    items: Vec<Bytes>,
    pos: usize,
}

impl Args {
    pub fn new(items: Vec<Bytes>, start: usize) -> Args {
        Args { items, pos: start }
    }

    /// Every argument of the command line, the command's name included, whatever was consumed.
    pub fn all(&self) -> &[Bytes] {
        &self.items
    }

    /// How many arguments are left.
    pub fn remaining(&self) -> usize {
        self.items.len().saturating_sub(self.pos)
    }

    /// True when every argument has been consumed.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next argument without consuming it.
    pub fn peek(&self) -> Option<&Bytes> {
        self.items.get(self.pos)
    }

    /// The next argument, if any.
    pub fn next_opt(&mut self) -> Option<Bytes> {
        let item = self.items.get(self.pos).cloned();
        if item.is_some() {
            self.pos += 1;
        }
        item
    }

    /// The next argument; a missing one is a syntax error (an option without its value).
    pub fn next_bytes(&mut self) -> Result<Bytes, CmdError> {
        self.next_opt().ok_or_else(CmdError::syntax)
    }

    /// The next argument parsed as a Redis integer (`ERR value is not an integer or out of range`).
    pub fn next_i64(&mut self) -> Result<i64, CmdError> {
        parse_i64(&self.next_bytes()?).ok_or_else(CmdError::not_integer)
    }

    /// The next argument as an integer whose negation also fits (LREM's, SRANDMEMBER's and
    /// ZRANDMEMBER's counts): i64::MIN is refused in Redis's words.
    pub fn next_symmetric_i64(&mut self) -> Result<i64, CmdError> {
        match self.next_i64()? {
            i64::MIN => Err(CmdError::beyond_symmetric_range()),
            n => Ok(n),
        }
    }

    /// The next argument parsed as a double (`ERR value is not a valid float`).
    pub fn next_f64(&mut self) -> Result<f64, CmdError> {
        crate::float::parse_double(&self.next_bytes()?).ok_or_else(CmdError::not_float)
    }

    /// If the next argument equals `word` (ASCII case-insensitive), consume it and say so.
    pub fn eat(&mut self, word: &str) -> bool {
        match self.peek() {
            Some(arg) if arg.eq_ignore_ascii_case(word.as_bytes()) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    /// Everything that is left, consumed.
    pub fn rest(&mut self) -> Vec<Bytes> {
        let rest = self.items[self.pos.min(self.items.len())..].to_vec();
        self.pos = self.items.len();
        rest
    }

    /// Fail with `ERR syntax error` if arguments are left over.
    pub fn finish(&self) -> Result<(), CmdError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(CmdError::syntax())
        }
    }
}

/// Parse a Redis integer argument: optional `-`, decimal digits, no spaces, no `+`, fits in i64.
/// Read byte by byte (no UTF-8 check, no `str::parse`): it runs for every integer argument and
/// for the memory model's "is this an int-encoded value" test on every write.
pub fn parse_i64(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, bytes),
    };
    // "0" alone is fine; a leading zero otherwise ("01", "-0") is not Redis's integer form.
    if digits.is_empty() || digits.len() > 19 || (digits[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    let mut n: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = i64::from(b - b'0');
        // Accumulate on the sign's side, so i64::MIN parses without overflowing.
        n = if negative { n.checked_mul(10)?.checked_sub(d)? } else { n.checked_mul(10)?.checked_add(d)? };
    }
    Some(n)
}

/// Lowercased UTF-8 (lossy) view of a command name.
pub fn lower(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_ascii_lowercase()
}

/// An argument as Redis quotes it inside error messages (lossy, cut at `max` bytes).
pub fn truncate_for_error(bytes: &[u8], max: usize) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(max)]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::parse_i64;

    #[test]
    fn integers_as_redis_reads_them() {
        assert_eq!(parse_i64(b"42"), Some(42));
        assert_eq!(parse_i64(b"-7"), Some(-7));
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"007"), None);
        assert_eq!(parse_i64(b"+1"), None);
        assert_eq!(parse_i64(b" 1"), None);
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775809"), None);
        for bad in [&b""[..], b"-", b"-0", b"-01", b"1 ", b"1x", b"\xff", b"12345678901234567890"] {
            assert_eq!(parse_i64(bad), None, "{bad:?}");
        }
    }

    /// The byte parser agrees with the standard library on Redis's integer form.
    #[test]
    fn agrees_with_str_parse() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = (x as i64) >> (x % 64);
            let text = n.to_string();
            assert_eq!(parse_i64(text.as_bytes()), Some(n), "{text}");
        }
    }
}
