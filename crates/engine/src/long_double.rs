//! Just enough of x87 80-bit `long double` to answer INCRBYFLOAT and HINCRBYFLOAT exactly as
//! Redis does: Redis parses both numbers with `strtold`, adds them in long double and prints the
//! sum with `%.17Lf`, trimming trailing zeros. That is why `1000 + 0.1` answers
//! `1000.09999999999999998` while `0.1 + 0.2` answers `0.3`; f64 would get both wrong.
//!
//! A value is `mantissa * 2^exponent` with a 64-bit mantissa (the long double's precision),
//! computed exactly with big integers and rounded half-to-even, as the FPU does.

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{One, Zero};

/// Largest binary exponent a long double reaches: values at or above 2^16384 overflow to inf.
const MAX_BINARY_EXP: i64 = 16384;
/// Decimal exponents beyond this are out of long double range in any case (`strtold` ERANGE).
const MAX_DECIMAL_EXP: i64 = 5000;

/// A finite long double.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongDouble {
    /// Signed mantissa, at most 64 bits of magnitude.
    mantissa: BigInt,
    exponent: i64,
}

impl LongDouble {
    pub const ZERO: LongDouble = LongDouble { mantissa: BigInt::ZERO, exponent: 0 };

    /// Round an exact value `n * 2^exp` to 64 significant bits; None on overflow to infinity.
    fn round(n: BigInt, exp: i64) -> Option<LongDouble> {
        let bits = n.bits() as i64;
        if bits <= 64 {
            return Some(LongDouble { mantissa: n, exponent: exp }).filter(|v| v.in_range());
        }
        let shift = (bits - 64) as usize;
        let magnitude = n.magnitude();
        let mut kept = magnitude >> shift;
        let dropped = magnitude - (&kept << shift);
        let half = BigUint::one() << (shift - 1);
        if dropped > half || (dropped == half && kept.bit(0)) {
            kept += 1u32;
        }
        let value =
            LongDouble { mantissa: BigInt::from_biguint(n.sign(), kept), exponent: exp + shift as i64 };
        Some(value).filter(|v| v.in_range())
    }

    fn in_range(&self) -> bool {
        self.mantissa.is_zero() || (self.mantissa.bits() as i64 + self.exponent) <= MAX_BINARY_EXP
    }

    /// The exact sum rounded to long double; None when it overflows (Redis: NaN or Infinity).
    pub fn add(&self, other: &LongDouble) -> Option<LongDouble> {
        let exp = self.exponent.min(other.exponent);
        let a = &self.mantissa << (self.exponent - exp) as usize;
        let b = &other.mantissa << (other.exponent - exp) as usize;
        LongDouble::round(a + b, exp)
    }

    /// `%.17Lf` with trailing zeros (and a trailing dot) removed, `-0` printed as `0`.
    pub fn to_human_string(&self) -> String {
        let scale = BigUint::from(10u32).pow(17);
        let magnitude = self.mantissa.magnitude() * &scale;
        let scaled = if self.exponent >= 0 {
            magnitude << self.exponent as usize
        } else {
            let shift = (-self.exponent) as usize;
            let q = &magnitude >> shift;
            let r = &magnitude - (&q << shift);
            let half = BigUint::one() << (shift - 1);
            if r > half || (r == half && q.bit(0)) {
                q + 1u32
            } else {
                q
            }
        };
        let mut digits = scaled.to_string();
        if digits.len() < 18 {
            digits = format!("{}{digits}", "0".repeat(18 - digits.len()));
        }
        let (int, frac) = digits.split_at(digits.len() - 17);
        let frac = frac.trim_end_matches('0');
        let sign = if self.mantissa.sign() == Sign::Minus { "-" } else { "" };
        let text = if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") };
        if text == "-0" {
            "0".into()
        } else {
            text
        }
    }
}

/// Parse as Redis's `string2ld` does: `strtold` on the whole argument, no leading space, no
/// trailing junk, no NaN, nothing out of range. `inf` parses (and makes any sum fail later).
pub fn parse_long_double(raw: &[u8]) -> Option<Parsed> {
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
    let n: BigUint = digits.parse().ok()?;
    if n.is_zero() {
        return Some(Parsed::Finite(LongDouble::ZERO));
    }
    if exp10.abs() > MAX_DECIMAL_EXP + digits.len() as i64 {
        return None;
    }
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    let value = if exp10 >= 0 {
        LongDouble::round(BigInt::from_biguint(sign, n * BigUint::from(10u32).pow(exp10 as u32)), 0)?
    } else {
        let den = BigUint::from(10u32).pow((-exp10) as u32);
        // Scale so the quotient has 65-66 bits, then round that to 64.
        let shift = 66 + den.bits() as i64 - n.bits() as i64;
        let (num, den) = if shift >= 0 { (n << shift as usize, den) } else { (n, den << (-shift) as usize) };
        let q = &num / &den;
        let sticky = if (&q * &den) == num { BigUint::zero() } else { BigUint::one() };
        // Keep an extra sticky bit so the final rounding sees "more than half".
        let q = (q << 1usize) | sticky;
        LongDouble::round(BigInt::from_biguint(sign, q), -shift - 1)?
    };
    if value.mantissa.is_zero() || (value.mantissa.bits() as i64 + value.exponent) < -16445 {
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
    let n = BigUint::parse_bytes(format!("{int_digits}{frac_digits}").as_bytes(), 16)?;
    if n.is_zero() {
        return Some(LongDouble::ZERO);
    }
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    let value = LongDouble::round(BigInt::from_biguint(sign, n), exp2)?;
    if (value.mantissa.bits() as i64 + value.exponent) < -16445 {
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
