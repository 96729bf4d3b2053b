//! Doubles as Redis 7.4 prints and parses them.
//!
//! Redis replies with the Grisu2 digits of its `fpconv_dtoa` (see `grisu.rs`), laid out like
//! `%.17g` but with an unpadded exponent: plain notation for exponents in `-4..17`, otherwise
//! `d.ddde+X` (`1.5e-7`, `1e+20`). Whole numbers that
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

/// Redis's `fpconv_dtoa` itself (DEBUG DIGEST's scores): like [`format_double`] but whole
/// numbers too go through the shortest-digits path (`1e+20`, not the integer printer).
pub fn fpconv_dtoa(value: f64) -> String {
    if value.is_nan() || value.is_infinite() || value == 0.0 {
        return format_double(value);
    }
    shortest_g17(value)
}

/// The RESP3 double line body: same digits as RESP2.
pub fn resp3_double(value: f64) -> String {
    format_double(value)
}

/// A double as Redis's `addReplyHumanLongDouble` prints it (GEOPOS and WITHCOORD coordinates):
/// the value as a long double through `%.17Lf`, trailing zeros dropped.
pub fn human_double(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf".into() } else { "inf".into() };
    }
    crate::long_double::LongDouble::from_f64(value).to_human_string()
}

/// Redis's `fixedpoint_d2string(d, 4)` (GEODIST and WITHDIST distances): `llrint` of
/// `d * 10000` (half to even), always four digits after the dot.
pub fn fixed4(value: f64) -> String {
    let scaled = (value * 10000.0).round_ties_even();
    // llrint of a value out of long long range (2^63 and beyond) is LLONG_MIN on x86.
    let n =
        if scaled.is_finite() && scaled.abs() < 9.223_372_036_854_776e18 { scaled as i64 } else { i64::MIN };
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs();
    format!("{sign}{}.{:04}", abs / 10000, abs % 10000)
}

/// Grisu2 digits laid out as Redis's `fpconv_dtoa` (`emit_digits`) lays them out:
/// `digits * 10^k` prints as a plain integer when the exponent is small, as a plain decimal when
/// `k > -7` (or the exponent is under 4), and otherwise as `d.ddde[+-]X` with an unpadded exponent.
fn shortest_g17(value: f64) -> String {
    // Grisu2's digits, as Redis computes them (not always Rust's shortest-nearest ones).
    let (raw, k) = crate::grisu::digits(value);
    let digits = String::from_utf8_lossy(&raw).into_owned();
    let sign = if value < 0.0 { "-" } else { "" };
    let ndigits = digits.len() as i32;
    let exp = (k + ndigits - 1).abs();
    if k >= 0 && exp < ndigits + 7 {
        return format!("{sign}{digits}{}", "0".repeat(k as usize));
    }
    if k < 0 && (k > -7 || exp < 4) {
        let offset = ndigits + k;
        if offset <= 0 {
            return format!("{sign}0.{}{digits}", "0".repeat((-offset) as usize));
        }
        let (int_part, frac) = digits.split_at(offset as usize);
        return format!("{sign}{int_part}.{frac}");
    }
    let (first, rest) = digits.split_at(1);
    let dot = if rest.is_empty() { String::new() } else { format!(".{rest}") };
    let esign = if k + ndigits - 1 < 0 { '-' } else { '+' };
    format!("{sign}{first}{dot}e{esign}{exp}")
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
            let parsed = match parse_hex_float(text) {
                Some(v) => v,
                None => crate::decimal::parse_f64(text)?,
            };
            // strtod reports ERANGE for overflow (to +-inf) and underflow to zero; Redis rejects both.
            let mantissa = lower.split('e').next().unwrap_or("");
            let nonzero_digits = mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b));
            if parsed.is_infinite() || (parsed == 0.0 && nonzero_digits) {
                return None;
            }
            parsed
        }
    };
    if value.is_nan() {
        None
    } else {
        Some(value)
    }
}

/// A C99 hexadecimal float as `strtod` reads it (`0x10`, `-0x1.8p3`); `None` if `text` is not one.
pub fn parse_hex_float(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let body = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X"))?;
    let (mantissa, exponent) = match body.find(['p', 'P']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in int_part.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    if let Some(exp) = exponent {
        let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let power: i32 = exp.parse().unwrap_or(if exp.starts_with('-') { -100_000 } else { 100_000 });
        value *= 2f64.powi(power);
    }
    Some(if negative { -value } else { value })
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
        assert_eq!(format_double(1e-5), "0.00001");
        assert_eq!(parse_double(b"0x10"), Some(16.0));
        assert_eq!(parse_double(b"-0x1.8p1"), Some(-3.0));
        assert_eq!(parse_double(b"1e400"), None);
        assert_eq!(parse_double(b"1e-400"), None);
        assert_eq!(parse_double(b"0x"), None);
        assert_eq!(format_double(0.000123), "0.000123");
        assert_eq!(format_double(1e300), "1e+300");
        assert_eq!(format_double(2.5e-300), "2.5e-300");
        assert_eq!(format_double(1.2345678901234567e19), "12345678901234567000");
        assert_eq!(format_double(-1234.5678901234567), "-1234.5678901234567");
        assert_eq!(human_double(13.361389338970184), "13.36138933897018433");
        assert_eq!(human_double(-0.0), "0");
        assert_eq!(human_double(180.0), "180");
        assert_eq!(fixed4(166274.15156960033), "166274.1516");
        assert_eq!(fixed4(0.0), "0.0000");
        assert_eq!(fixed4(-0.0), "0.0000");
        assert_eq!(fixed4(0.5), "0.5000");
    }
}
