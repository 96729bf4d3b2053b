//! Just enough of x87 80-bit `long double` to answer INCRBYFLOAT and HINCRBYFLOAT exactly as
//! Redis does: Redis parses both numbers with `strtold`, adds them in long double and prints the
//! sum with `%.17Lf`, trimming trailing zeros. That is why `1000 + 0.1` answers
//! `1000.09999999999999998` while `0.1 + 0.2` answers `0.3`; f64 would get both wrong.
//!
//! A value is `mantissa * 2^exponent` with a 64-bit mantissa (the long double's precision),
//! computed exactly with big integers ([`Nat`]) and rounded half-to-even, as the FPU does.

use crate::nat::Nat;

/// Largest binary exponent a long double reaches: values at or above 2^16384 overflow to inf.
const MAX_BINARY_EXP: i64 = 16384;
/// Decimal exponents beyond this are out of long double range in any case (`strtold` ERANGE).
const MAX_DECIMAL_EXP: i64 = 5000;
/// `string2ld` copies the text into a buffer of `MAX_LONG_DOUBLE_CHARS` (5 KB) and refuses
/// anything that does not fit with its terminating zero.
const MAX_CHARS: usize = 5 * 1024;
/// Smallest binary exponent of a denormal long double's lowest bit: anything smaller is 0.
const MIN_BINARY_EXP: i64 = -16445;

/// A finite long double: `(-1)^negative * mantissa * 2^exponent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongDouble {
    negative: bool,
    /// At most 64 bits, the long double's precision.
    mantissa: u64,
    exponent: i64,
}

fn bits64(v: u64) -> i64 {
    i64::from(64 - v.leading_zeros())
}

impl LongDouble {
    pub const ZERO: LongDouble = LongDouble { negative: false, mantissa: 0, exponent: 0 };

    /// Round an exact value `n * 2^exp` to 64 significant bits, half to even as the FPU does;
    /// None on overflow to infinity.
    fn round(negative: bool, n: &Nat, exp: i64) -> Option<LongDouble> {
        let (mantissa, shift) = n.round_to_u64();
        let value = LongDouble { negative, mantissa, exponent: exp + shift as i64 };
        Some(value).filter(|v| v.mantissa == 0 || bits64(v.mantissa) + v.exponent <= MAX_BINARY_EXP)
    }

    /// The exact sum rounded to long double; None when it overflows (Redis: NaN or Infinity).
    pub fn add(&self, other: &LongDouble) -> Option<LongDouble> {
        let exp = self.exponent.min(other.exponent);
        let a = Nat::from_u128(self.mantissa.into()).shl((self.exponent - exp) as u64);
        let b = Nat::from_u128(other.mantissa.into()).shl((other.exponent - exp) as u64);
        if self.negative == other.negative {
            LongDouble::round(self.negative, &a.add(&b), exp)
        } else if a >= b {
            LongDouble::round(self.negative, &a.sub(&b), exp)
        } else {
            LongDouble::round(other.negative, &b.sub(&a), exp)
        }
    }

    /// A finite double, exactly (every double is a long double).
    pub fn from_f64(value: f64) -> LongDouble {
        let bits = value.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i64;
        let fraction = bits & ((1 << 52) - 1);
        let (mantissa, exponent) =
            if biased == 0 { (fraction, -1074) } else { (fraction | (1 << 52), biased - 1075) };
        LongDouble { negative: value.is_sign_negative(), mantissa, exponent }
    }

    /// `%.17Lf` with trailing zeros (and a trailing dot) removed, `-0` printed as `0`.
    pub fn to_human_string(&self) -> String {
        // Below 2^121, so the fraction case fits in a u128.
        let magnitude = u128::from(self.mantissa) * 10u128.pow(17);
        let digits = if self.exponent >= 0 {
            Nat::from_u128(magnitude).shl(self.exponent as u64).to_decimal()
        } else {
            let shift = self.exponent.unsigned_abs();
            let scaled = if shift >= 128 {
                // At most 2^121 / 2^128: less than half, rounds to 0.
                0
            } else {
                let q = magnitude >> shift;
                let r = magnitude - (q << shift);
                let half = 1u128 << (shift - 1);
                if r > half || (r == half && q & 1 == 1) {
                    q + 1
                } else {
                    q
                }
            };
            scaled.to_string()
        };
        let digits =
            if digits.len() < 18 { format!("{}{digits}", "0".repeat(18 - digits.len())) } else { digits };
        let (int, frac) = digits.split_at(digits.len() - 17);
        let frac = frac.trim_end_matches('0');
        let sign = if self.negative { "-" } else { "" };
        let text = if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") };
        if text == "-0" {
            "0".into()
        } else {
            text
        }
    }
}

/// Digit values of ASCII digits (`0-9a-f`, already checked).
fn digit_values(text: &str) -> Vec<u8> {
    text.bytes().map(|b| if b.is_ascii_digit() { b - b'0' } else { b - b'a' + 10 }).collect()
}

/// Parse as Redis's `string2ld` does: `strtold` on the whole argument, no leading space, no
/// trailing junk, no NaN, nothing out of range, nothing of 5 KB or more. `inf` parses (and makes any sum fail later).
pub fn parse_long_double(raw: &[u8]) -> Option<Parsed> {
    if raw.len() >= MAX_CHARS {
        return None;
    }
    let text = std::str::from_utf8(raw).ok()?;
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let (negative, body) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(Parsed::Infinite);
    }
    if let Some(hex) = lower.strip_prefix("0x") {
        return parse_hex(negative, hex).map(Parsed::Finite);
    }
    let (mantissa_part, exp_part) = match lower.find('e') {
        Some(i) => (&lower[..i], Some(&lower[i + 1..])),
        None => (lower.as_str(), None),
    };
    let (int_digits, frac_digits) = mantissa_part.split_once('.').unwrap_or((mantissa_part, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_digits.is_empty() && frac_digits.is_empty())
        || !all_digits(int_digits)
        || !all_digits(frac_digits)
    {
        return None;
    }
    let mut exp10: i64 = match exp_part {
        Some(e) => parse_exponent(e)?,
        None => 0,
    };
    exp10 -= frac_digits.len() as i64;
    let digits = format!("{int_digits}{frac_digits}");
    let mut n = Nat::from_digits(10, &digit_values(&digits));
    if n.is_zero() {
        return Some(Parsed::Finite(LongDouble::ZERO));
    }
    if exp10.abs() > MAX_DECIMAL_EXP + digits.len() as i64 {
        return None;
    }
    let value = if exp10 >= 0 {
        n.mul_pow10(exp10 as u64);
        LongDouble::round(negative, &n, 0)?
    } else {
        // Scale so the quotient has 65-66 bits, then round that to 64.
        let (q, shift, exact) = n.div_pow10_scaled(exp10.unsigned_abs(), 66);
        // Keep an extra sticky bit so the final rounding sees "more than half".
        let mut q = q.shl(1);
        if !exact {
            q = q.add(&Nat::from_u128(1));
        }
        LongDouble::round(negative, &q, -shift - 1)?
    };
    if value.mantissa == 0 || bits64(value.mantissa) + value.exponent < MIN_BINARY_EXP {
        return None;
    }
    Some(Parsed::Finite(value))
}

/// An exponent's digits (`[+-]ddd`), leading zeros allowed as `strtold` allows them; huge
/// exponents saturate (the value is then out of range unless the mantissa is zero).
fn parse_exponent(e: &str) -> Option<i64> {
    let (negative, digits) = match e.as_bytes().first() {
        Some(b'-') => (true, &e[1..]),
        Some(b'+') => (false, &e[1..]),
        _ => (false, e),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.bytes().fold(0i64, |acc, b| (acc * 10 + i64::from(b - b'0')).min(1_000_000_000));
    Some(if negative { -magnitude } else { magnitude })
}

/// A C99 hex float after its `0x` (lowercased): `hhh[.hhh][p[+-]ddd]`, which `strtold` accepts,
/// so `INCRBYFLOAT k 0x1.8p1` adds 3 on a real server.
fn parse_hex(negative: bool, body: &str) -> Option<LongDouble> {
    let (mantissa_part, exp_part) = match body.find('p') {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_digits, frac_digits) = mantissa_part.split_once('.').unwrap_or((mantissa_part, ""));
    let all_hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    if (int_digits.is_empty() && frac_digits.is_empty()) || !all_hex(int_digits) || !all_hex(frac_digits) {
        return None;
    }
    let mut exp2: i64 = match exp_part {
        Some(e) => parse_exponent(e)?,
        None => 0,
    };
    if int_digits.len() + frac_digits.len() > 4096 {
        return None;
    }
    exp2 -= 4 * frac_digits.len() as i64;
    let n = Nat::from_digits(16, &digit_values(&format!("{int_digits}{frac_digits}")));
    if n.is_zero() {
        return Some(LongDouble::ZERO);
    }
    let value = LongDouble::round(negative, &n, exp2)?;
    if bits64(value.mantissa) + value.exponent < MIN_BINARY_EXP {
        return None;
    }
    Some(value)
}

/// A parsed argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Finite(LongDouble),
    Infinite,
}

/// `a + b` as INCRBYFLOAT computes it; None when the result is not finite.
pub fn add_parsed(a: &Parsed, b: &Parsed) -> Option<LongDouble> {
    match (a, b) {
        (Parsed::Finite(a), Parsed::Finite(b)) => a.add(b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(a: &str, b: &str) -> String {
        let a = parse_long_double(a.as_bytes()).unwrap();
        let b = parse_long_double(b.as_bytes()).unwrap();
        add_parsed(&a, &b).map(|v| v.to_human_string()).unwrap_or_else(|| "inf".into())
    }

    /// Expected values were read off Redis 7.4 (`SET f a; INCRBYFLOAT f b`).
    #[test]
    fn matches_redis_long_double_sums() {
        assert_eq!(sum("0.1", "0.2"), "0.3");
        assert_eq!(sum("10.5", "0.1"), "10.6");
        assert_eq!(sum("1000", "0.1"), "1000.09999999999999998");
        assert_eq!(sum("123456789.123", "0.001"), "123456789.12399999999615829");
        assert_eq!(sum("3.0e3", "1.5"), "3001.5");
        assert_eq!(sum("1", "1e-20"), "1");
        assert_eq!(sum("5", "-5"), "0");
        assert_eq!(sum("0", "1.5e17"), "150000000000000000");
        assert_eq!(sum("100", "-0.3"), "99.7");
        assert!(
            sum("1e300", "1e300").starts_with("20000000000000000000179946481591183877410478885465814958765")
        );
        assert_eq!(sum("inf", "1"), "inf");
        assert_eq!(sum("0", "0x10"), "16");
        assert_eq!(sum("16", "0x1.8p1"), "19");
        assert_eq!(sum("19", "0X.8"), "19.5");
        assert_eq!(sum("19.5", "0x1p-2"), "19.75");
        assert_eq!(sum("3.75", "0x1P+3"), "11.75");
        assert_eq!(sum("11.75", "0x1."), "12.75");
        assert_eq!(sum("1", "1e0000001"), "11");
        assert_eq!(sum("1", "0e99999999999"), "1");
    }

    #[test]
    fn rejects_what_strtold_rejects_for_redis() {
        for bad in [
            "", " 1", "1 ", "abc", "nan", "1e", "1e99999", "1e-99999", "--1", ".", "0x", "0xp1", "0x1p",
            "0x.", "0xg",
        ] {
            assert!(parse_long_double(bad.as_bytes()).is_none(), "{bad:?}");
        }
    }
}
