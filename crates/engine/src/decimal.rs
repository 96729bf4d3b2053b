//! Decimal text to `f64`, correctly rounded, accepting exactly what `str::parse::<f64>` accepts.
//!
//! Why not `str::parse`: core's parser (Eisel-Lemire with a fallback) carries a 19 KB table of
//! 128-bit powers of five, 11 KB of the page's gzipped wasm, the largest single item in it.
//! Parsing is rarely hot here (scores and bounds arrive a few at a time), so this module takes
//! Clinger's fast path when the digits and the power of ten are exact doubles (almost every
//! number a learner types) and otherwise computes with the big integers [`Nat`] already has
//! for `long_double`. The tests compare it with `str::parse` bit for bit.

use crate::nat::Nat;

/// Significant digits kept: a halfway point between two doubles has at most 767 of them, so
/// the digits past 800 only ever matter as "something more", kept as one sticky digit.
const MAX_DIGITS: usize = 800;

/// 10^0 to 10^22: the powers of ten that are exact doubles.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// `text` as `str::parse::<f64>` reads it (`[+-]`, then `inf`, `infinity`, `nan` in any case,
/// or digits with an optional `.` and an optional `e`/`E` exponent), `None` where it errs.
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let magnitude = if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case(b"nan") {
        f64::NAN
    } else {
        parse_number(body)?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// Digits, an optional fraction and an optional exponent, all of it or nothing.
fn parse_number(body: &[u8]) -> Option<f64> {
    let mut digits: Vec<u8> = Vec::new();
    let mut exp10: i64 = 0;
    let mut seen_digit = false;
    let mut sticky = false;
    let mut i = 0;
    let mut take_digits = |i: &mut usize, fraction: bool, exp10: &mut i64| {
        while let Some(&b) = body.get(*i).filter(|b| b.is_ascii_digit()) {
            seen_digit = true;
            let d = b - b'0';
            if digits.len() < MAX_DIGITS {
                if !(digits.is_empty() && d == 0) {
                    digits.push(d);
                }
                if fraction {
                    *exp10 -= 1;
                }
            } else {
                sticky |= d != 0;
                if !fraction {
                    *exp10 += 1;
                }
            }
            *i += 1;
        }
    };
    take_digits(&mut i, false, &mut exp10);
    if body.get(i) == Some(&b'.') {
        i += 1;
        take_digits(&mut i, true, &mut exp10);
    }
    if !seen_digit {
        return None;
    }
    if matches!(body.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = match body.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while let Some(&b) = body.get(i).filter(|b| b.is_ascii_digit()) {
            e = (e * 10 + i64::from(b - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += if negative { -e } else { e };
    }
    if i != body.len() {
        return None;
    }
    while digits.last() == Some(&0) && !sticky {
        digits.pop();
        exp10 += 1;
    }
    if sticky {
        digits.push(1);
        exp10 -= 1;
    }
    Some(from_digits(&digits, exp10))
}

/// The double nearest to `digits × 10^exp10` (ties to even), digits without leading zeros.
fn from_digits(digits: &[u8], exp10: i64) -> f64 {
    let count = digits.len() as i64;
    if count == 0 || count + exp10 <= -325 {
        return 0.0;
    }
    if count + exp10 > 310 {
        return f64::INFINITY;
    }
    if count <= 15 && exp10.abs() <= 22 {
        // Clinger's fast path: both operands are exact doubles, so one rounding.
        let m = digits.iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d)) as f64;
        let p = POWERS_OF_TEN[exp10.unsigned_abs() as usize];
        return if exp10 < 0 { m / p } else { m * p };
    }
    let mut n = Nat::from_digits(10, digits);
    // value = q × 2^-shift, plus a little more when not exact.
    let (q, shift, exact) = if exp10 >= 0 {
        n.mul_pow10(exp10 as u64);
        (n, 0, true)
    } else {
        // At least 66 bits: enough to round to 53 and know the rest.
        n.div_pow10_scaled(exp10.unsigned_abs(), 66)
    };
    round_to_f64(&q, shift, !exact)
}

/// `q × 2^-shift` (more than that when `inexact`) rounded to a double, subnormals included.
fn round_to_f64(q: &Nat, shift: i64, inexact: bool) -> f64 {
    let top = q.bits() as i64 - shift; // the value lies in [2^(top-1), 2^top)
    let mut ulp = (top - 53).max(-1074);
    let drop = ulp + shift;
    let mut m = if drop <= 0 {
        // Fewer than 53 bits and exact: nothing to round.
        q.low_u64() << drop.unsigned_abs()
    } else {
        let drop = drop as u64;
        let kept = q.shr(drop).low_u64();
        let half = q.bit(drop - 1);
        let more = inexact || q.any_below(drop - 1);
        kept + u64::from(half && (more || kept & 1 == 1))
    };
    if m == 1 << 53 {
        m >>= 1;
        ulp += 1;
    }
    if m < 1 << 52 {
        // Subnormal (ulp is -1074) or zero.
        return f64::from_bits(m);
    }
    let biased = ulp + 52 + 1023;
    if biased >= 2047 {
        return f64::INFINITY;
    }
    f64::from_bits((biased as u64) << 52 | (m - (1 << 52)))
}

#[cfg(test)]
mod tests {
    use super::parse_f64;
    use proptest::prelude::*;

    fn same(text: &str) {
        let theirs = text.parse::<f64>().ok();
        let ours = parse_f64(text);
        match (theirs, ours) {
            (Some(a), Some(b)) if a.is_nan() => {
                assert!(b.is_nan() && a.is_sign_negative() == b.is_sign_negative(), "{text}")
            }
            (a, b) => assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits), "{text}: std {a:?}, ours {b:?}"),
        }
    }

    /// The hard cases: halfway points, the edges of the range, subnormals, long inputs, and
    /// every shape the grammar accepts or refuses.
    #[test]
    fn agrees_with_std_on_edge_cases() {
        let long_half = format!("9007199254740993{}e-{}", "0".repeat(900), 900);
        let long_above = format!("9007199254740993{}1", "0".repeat(900));
        let tiny = format!("0.{}1", "0".repeat(400));
        for text in [
            "0",
            "-0",
            "+0",
            "0.0",
            "00.000e5",
            "1",
            "1.",
            ".5",
            "-.5e1",
            "1e0",
            "1E+2",
            "1e-2",
            "12.5e-1",
            "9007199254740993",
            "9007199254740992",
            "9007199254740995",
            "90071992547409930000000000",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "1e400",
            "1e-400",
            "123456789012345678901234567890",
            "0.1",
            "0.3",
            "3.14159265358979323846",
            "1e22",
            "1e23",
            "123456789012345e-22",
            "1234567890123456e-22",
            "5e-324",
            "8.98846567431158e307",
            &long_half,
            &long_above,
            &tiny,
            "inf",
            "-Infinity",
            "NaN",
            "-nan",
            "infinit",
            "",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "1 ",
            " 1",
            "+-1",
            "0x10",
            "1_000",
            "١",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0e99999999999",
        ] {
            same(text);
        }
    }

    proptest! {
        #[test]
        fn agrees_with_std_on_random_decimals(mantissa in "[0-9]{1,40}", point in 0usize..41, exp in -360i32..360) {
            let point = point.min(mantissa.len());
            same(&format!("{}.{}e{exp}", &mantissa[..point], &mantissa[point..]));
            same(&format!("{}e{exp}", mantissa));
        }

        #[test]
        fn agrees_with_std_on_printed_doubles(bits in any::<u64>()) {
            let value = f64::from_bits(bits);
            same(&format!("{value:e}"));
            same(&format!("{value:.20e}"));
            same(&format!("{value}"));
        }
    }
}
