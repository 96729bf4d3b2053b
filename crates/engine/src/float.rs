//! Doubles as Redis 7.4 prints and parses them.
//!
//! Redis replies with the shortest decimal that round-trips (its `fpconv_dtoa`), laid out like
//! `%.17g`: plain notation for exponents in `-4..17`, otherwise `d.ddde+XX`. Whole numbers that
//! fit in a long long print as integers, `inf`/`-inf`/`nan` are spelled out, and negative zero
//! prints `-0`.

/// Format a double the way Redis writes it in a reply (ZSCORE, RESP2 doubles, RESP3 `,` lines).
pub fn format_double(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Redis's double2ll: exact integers within +-LLONG_MAX/2 print with the integer printer.
    let half = (i64::MAX / 2) as f64;
    if (-half..=half).contains(&value) && value.fract() == 0.0 {
        return (value as i64).to_string();
    }
    shortest_g17(value)
}

/// The RESP3 double line body: same digits as RESP2.
pub fn resp3_double(value: f64) -> String {
    format_double(value)
}

/// Shortest round-trip digits laid out as fpconv's `emit_digits` lays them out (Redis's
/// `fpconv_dtoa`): value = digits x 10^K; plain integers while the exponent stays under
/// ndigits + 7, plain decimals for K in -6..0 (or small exponents), otherwise `d.ddde+X`
/// with an unpadded exponent.
fn shortest_g17(value: f64) -> String {
    // `{:e}` yields the shortest round-trip digits as `d.ddde[-]X`.
    let sci = format!("{:e}", value.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp10: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let n = digits.len() as i32;
    let k = exp10 - (n - 1);
    let e = (k + n - 1).abs();
    let sign = if value < 0.0 { "-" } else { "" };
    let body = if k >= 0 && e < n + 7 {
        format!("{digits}{}", "0".repeat(k as usize))
    } else if k < 0 && (k > -7 || e < 4) {
        let offset = n + k;
        if offset <= 0 {
            format!("0.{}{digits}", "0".repeat((-offset) as usize))
        } else {
            let (a, b) = digits.split_at(offset as usize);
            format!("{a}.{b}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let esign = if k + n - 1 < 0 { '-' } else { '+' };
        format!("{first}{dot}e{esign}{e}")
    };
    format!("{sign}{body}")
}

/// Parse a double argument as Redis's `getDoubleFromObject` does (strtod, no trailing junk, no
/// spaces, `inf`/`-inf`/`+inf` accepted, NaN rejected).
pub fn parse_double(bytes: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(bytes).ok()?;
    if text.is_empty() || text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let value = match lower.as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => f64::INFINITY,
        "-inf" | "-infinity" => f64::NEG_INFINITY,
        _ => {
            if lower.contains("nan") || lower.contains("inf") {
                return None;
            }
            text.parse::<f64>().ok()?
        }
    };
    if value.is_nan() {
        None
    } else {
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_redis() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(3.0), "3");
        assert_eq!(format_double(0.1), "0.1");
        assert_eq!(format_double(1e20), "1e+20");
        assert_eq!(format_double(1.5e-7), "1.5e-7");
        assert_eq!(format_double(0.0001), "0.0001");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(-0.0), "-0");
    }
}
