//! INCRBYFLOAT's arithmetic, as Redis does it on x86-64: x87 80-bit `long double`.
//!
//! Redis parses both numbers with `strtold` (64-bit mantissa, round to nearest even), adds them
//! in long double, and prints the sum with `%.17Lf`, trimming trailing zeros. Doing the same in
//! `f64` would print `0.30000000000000004` for `0.1 + 0.2` where Redis prints `0.3`, and
//! `1000.1` where Redis prints `1000.09999999999999998`. So this module emulates the 64-bit
//! mantissa exactly, with a small big-integer helper for the exact parse and print steps.

use crate::error::CmdError;

/// A finite extended-precision number: `mant * 2^exp` (mant 0 means zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ext {
    neg: bool,
    mant: u64,
    exp: i64,
}

/// A parsed number: finite, or an infinity (which `strtold` accepts and Redis then rejects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parsed {
    Finite(Ext),
    Infinite,
}

/// `log2` of the largest finite long double, rounded up: values at or above 2^16384 overflow.
const MAX_BIT_EXP: i64 = 16384;
/// Values below about 2^-16445 underflow to zero (`strtold` sets ERANGE; Redis rejects them).
const MIN_BIT_EXP: i64 = -16445;
/// Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are rejected before parsing.
const MAX_CHARS: usize = 5 * 1024;

/// `old + incr` as Redis's INCRBYFLOAT computes and prints it.
pub fn add_decimal_strings(old: &[u8], incr: &[u8]) -> Result<Vec<u8>, CmdError> {
    let a = parse(old).ok_or_else(CmdError::not_float)?;
    let b = parse(incr).ok_or_else(CmdError::not_float)?;
    let nan_or_inf = || CmdError::err("increment would produce NaN or Infinity");
    let (Parsed::Finite(a), Parsed::Finite(b)) = (a, b) else { return Err(nan_or_inf()) };
    let sum = add(a, b).ok_or_else(nan_or_inf)?;
    Ok(format_human(sum).into_bytes())
}

/// `strtold` on the whole input, as Redis's `string2ld` uses it: no leading space, no trailing
/// junk, NaN rejected, overflow and underflow to zero rejected.
fn parse(bytes: &[u8]) -> Option<Parsed> {
    if bytes.is_empty() || bytes.len() >= MAX_CHARS {
        return None;
    }
    let (neg, body) = match bytes[0] {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let lower = body.to_ascii_lowercase();
    if lower == b"inf" || lower == b"infinity" {
        return Some(Parsed::Infinite);
    }
    if body.len() > 1 && body[0] == b'0' && (body[1] == b'x' || body[1] == b'X') {
        return parse_hex(neg, &body[2..]).map(Parsed::Finite);
    }
    let (digits, exp10) = parse_decimal(body)?;
    let ext = decimal_to_ext(neg, &digits, exp10)?;
    Some(Parsed::Finite(ext))
}

/// Split `ddd.ddd[e[+-]ddd]` into its significant digits (leading zeros dropped) and the power
/// of ten they are scaled by. None if the text is not exactly such a number.
fn parse_decimal(body: &[u8]) -> Option<(Vec<u8>, i64)> {
    let mut i = 0;
    let mut digits = Vec::new();
    let mut exp10: i64 = 0;
    let mut seen_digit = false;
    while i < body.len() && body[i].is_ascii_digit() {
        seen_digit = true;
        if !(digits.is_empty() && body[i] == b'0') {
            digits.push(body[i] - b'0');
        }
        i += 1;
    }
    if i < body.len() && body[i] == b'.' {
        i += 1;
        while i < body.len() && body[i].is_ascii_digit() {
            seen_digit = true;
            if !(digits.is_empty() && body[i] == b'0') {
                digits.push(body[i] - b'0');
            }
            exp10 -= 1;
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    if i < body.len() && (body[i] == b'e' || body[i] == b'E') {
        let mut j = i + 1;
        let exp_neg = match body.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let start = j;
        let mut e: i64 = 0;
        while j < body.len() && body[j].is_ascii_digit() {
            e = (e * 10 + i64::from(body[j] - b'0')).min(1_000_000_000);
            j += 1;
        }
        if j > start {
            exp10 += if exp_neg { -e } else { e };
            i = j;
        }
    }
    if i != body.len() {
        return None;
    }
    Some((digits, exp10))
}

/// A C99 hex float after its `0x`: `hhh[.hhh][p[+-]ddd]`, as `strtold` reads it.
fn parse_hex(neg: bool, body: &[u8]) -> Option<Ext> {
    let mut n = Big::from_u64(0);
    let mut exp2: i64 = 0;
    let mut seen_digit = false;
    let mut i = 0;
    let mut fraction = false;
    while i < body.len() {
        let c = body[i];
        if c == b'.' && !fraction {
            fraction = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            seen_digit = true;
            if n.bit_len() < 256 {
                n.mul_small(16);
                n.add_small(d);
                if fraction {
                    exp2 -= 4;
                }
            } else if !fraction {
                exp2 += 4;
            }
        } else {
            break;
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if i < body.len() && (body[i] == b'p' || body[i] == b'P') {
        let mut j = i + 1;
        let exp_neg = match body.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let start = j;
        let mut e: i64 = 0;
        while j < body.len() && body[j].is_ascii_digit() {
            e = (e * 10 + i64::from(body[j] - b'0')).min(1_000_000_000);
            j += 1;
        }
        if j > start {
            exp2 += if exp_neg { -e } else { e };
            i = j;
        }
    }
    if i != body.len() {
        return None;
    }
    if n.is_zero() {
        return Some(Ext { neg, mant: 0, exp: 0 });
    }
    in_range(round_big(neg, &n, exp2, false))
}

/// The long double nearest to `digits * 10^exp10` (round half to even).
fn decimal_to_ext(neg: bool, digits: &[u8], exp10: i64) -> Option<Ext> {
    if digits.is_empty() {
        return Some(Ext { neg, mant: 0, exp: 0 });
    }
    // Magnitude is about 10^(magnitude10); reject far out-of-range values before any big math.
    let magnitude10 = digits.len() as i64 + exp10;
    if magnitude10 > 4940 {
        return None;
    }
    if magnitude10 < -4960 {
        return None;
    }
    let mut n = Big::from_u64(0);
    for d in digits {
        n.mul_small(10);
        n.add_small(u32::from(*d));
    }
    let ext = if exp10 >= 0 {
        n.mul_pow10(exp10 as u32);
        round_big(neg, &n, 0, false)
    } else {
        let mut divisor = Big::from_u64(1);
        divisor.mul_pow10((-exp10) as u32);
        // Scale so the quotient has at least 66 significant bits.
        let shift = (divisor.bit_len() as i64 - n.bit_len() as i64 + 66).max(0);
        n.shl(shift as usize);
        let (q, rem_nonzero) = n.div_rem_is_nonzero(&divisor);
        round_big(neg, &q, -shift, rem_nonzero)
    };
    in_range(ext)
}

/// Reject values that overflow or underflow a long double.
fn in_range(ext: Ext) -> Option<Ext> {
    if ext.mant == 0 {
        return Some(ext);
    }
    let top = 64 - i64::from(ext.mant.leading_zeros()) + ext.exp;
    if !(MIN_BIT_EXP..=MAX_BIT_EXP).contains(&top) {
        None
    } else {
        Some(ext)
    }
}

/// Round `n * 2^exp` (plus a sticky "something below" flag) to a 64-bit mantissa.
fn round_big(neg: bool, n: &Big, exp: i64, sticky: bool) -> Ext {
    let bits = n.bit_len();
    if bits <= 64 {
        return Ext { neg, mant: n.low_u64(), exp };
    }
    let drop = bits - 64;
    let mut top = n.shr_u64(drop);
    let half = n.bit(drop - 1);
    let rest = sticky || n.any_below(drop - 1);
    let mut exp = exp + drop as i64;
    if half && (rest || top & 1 == 1) {
        match top.checked_add(1) {
            Some(t) => top = t,
            None => {
                top = 1 << 63;
                exp += 1;
            }
        }
    }
    Ext { neg, mant: top, exp }
}

/// `a + b` rounded to a long double; None if the sum overflows.
fn add(a: Ext, b: Ext) -> Option<Ext> {
    if a.mant == 0 && b.mant == 0 {
        // IEEE: -0 + -0 = -0, otherwise +0.
        return Some(Ext { neg: a.neg && b.neg, mant: 0, exp: 0 });
    }
    if a.mant == 0 {
        return Some(b);
    }
    if b.mant == 0 {
        return Some(a);
    }
    // Far apart: the smaller one is below half an ulp of the larger and cannot change it.
    let top = |x: Ext| 64 - i64::from(x.mant.leading_zeros()) + x.exp;
    if top(a) - top(b) > 130 {
        return Some(a);
    }
    if top(b) - top(a) > 130 {
        return Some(b);
    }
    let base = a.exp.min(b.exp);
    let mut x = Big::from_u64(a.mant);
    x.shl((a.exp - base) as usize);
    let mut y = Big::from_u64(b.mant);
    y.shl((b.exp - base) as usize);
    let (neg, magnitude) = if a.neg == b.neg {
        x.add(&y);
        (a.neg, x)
    } else {
        match x.cmp(&y) {
            std::cmp::Ordering::Equal => return Some(Ext { neg: false, mant: 0, exp: 0 }),
            std::cmp::Ordering::Greater => {
                x.sub(&y);
                (a.neg, x)
            }
            std::cmp::Ordering::Less => {
                y.sub(&x);
                (b.neg, y)
            }
        }
    };
    let sum = round_big(neg, &magnitude, base, false);
    let t = top(sum);
    if t > MAX_BIT_EXP {
        return None;
    }
    Some(sum)
}

/// `%.17Lf`, then trailing zeros and a trailing dot removed, and `-0` printed as `0`
/// (Redis's `ld2string` with LD_STR_HUMAN).
fn format_human(x: Ext) -> String {
    const FRACTION_DIGITS: u32 = 17;
    let mut n = Big::from_u64(x.mant);
    n.mul_pow10(FRACTION_DIGITS);
    let scaled = if x.exp >= 0 {
        n.shl(x.exp as usize);
        n
    } else {
        let drop = (-x.exp) as usize;
        let half = n.bit(drop - 1);
        let rest = n.any_below(drop - 1);
        let mut q = n.shr(drop);
        if half && (rest || q.bit(0)) {
            q.add_small(1);
        }
        q
    };
    let mut digits = scaled.to_decimal();
    while digits.len() <= FRACTION_DIGITS as usize {
        digits.insert(0, '0');
    }
    let point = digits.len() - FRACTION_DIGITS as usize;
    let mut text = format!("{}.{}", &digits[..point], &digits[point..]);
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    if x.neg && text != "0" {
        text.insert(0, '-');
    }
    text
}

/// A little-endian unsigned big integer in base 2^32, just enough for exact parse and print.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big {
    limbs: Vec<u32>,
}

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big { limbs: vec![v as u32, (v >> 32) as u32] };
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    fn bit_len(&self) -> usize {
        match self.limbs.last() {
            None => 0,
            Some(top) => self.limbs.len() * 32 - top.leading_zeros() as usize,
        }
    }

    fn bit(&self, i: usize) -> bool {
        self.limbs.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1)
    }

    /// True if any bit below position `i` (exclusive) is set.
    fn any_below(&self, i: usize) -> bool {
        let whole = i / 32;
        if self.limbs.iter().take(whole).any(|l| *l != 0) {
            return true;
        }
        let part = i % 32;
        part > 0 && self.limbs.get(whole).is_some_and(|l| l & ((1u32 << part) - 1) != 0)
    }

    fn low_u64(&self) -> u64 {
        let lo = u64::from(self.limbs.first().copied().unwrap_or(0));
        let hi = u64::from(self.limbs.get(1).copied().unwrap_or(0));
        lo | (hi << 32)
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
    }

    fn add_small(&mut self, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.limbs {
            if carry == 0 {
                return;
            }
            let v = u64::from(*limb) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut p: u32) {
        while p >= 9 {
            self.mul_small(1_000_000_000);
            p -= 9;
        }
        if p > 0 {
            self.mul_small(10u32.pow(p));
        }
    }

    fn shl(&mut self, bits: usize) {
        if self.is_zero() {
            return;
        }
        let (whole, part) = (bits / 32, bits % 32);
        if part > 0 {
            let mut carry = 0u32;
            for limb in &mut self.limbs {
                let next = *limb >> (32 - part);
                *limb = (*limb << part) | carry;
                carry = next;
            }
            if carry > 0 {
                self.limbs.push(carry);
            }
        }
        if whole > 0 {
            self.limbs.splice(0..0, std::iter::repeat_n(0, whole));
        }
    }

    fn shr(&self, bits: usize) -> Big {
        let (whole, part) = (bits / 32, bits % 32);
        let mut limbs: Vec<u32> = self.limbs.iter().skip(whole).copied().collect();
        if part > 0 {
            for i in 0..limbs.len() {
                let high = limbs.get(i + 1).copied().unwrap_or(0);
                limbs[i] = (limbs[i] >> part) | (high << (32 - part));
            }
        }
        let mut b = Big { limbs };
        b.trim();
        b
    }

    fn shr_u64(&self, bits: usize) -> u64 {
        self.shr(bits).low_u64()
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }

    fn add(&mut self, other: &Big) {
        if self.limbs.len() < other.limbs.len() {
            self.limbs.resize(other.limbs.len(), 0);
        }
        let mut carry = 0u64;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let v = u64::from(*limb) + u64::from(other.limbs.get(i).copied().unwrap_or(0)) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
    }

    /// `self -= other`; requires `self >= other`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.limbs.get(i).copied().unwrap_or(0)) - borrow;
            if v < 0 {
                *limb = (v + (1i64 << 32)) as u32;
                borrow = 1;
            } else {
                *limb = v as u32;
                borrow = 0;
            }
        }
        self.trim();
    }

    /// The quotient `self / d` and whether the remainder is non-zero (d > 0), by shift and
    /// subtract: the quotients here have under 70 bits, so this is a handful of steps.
    fn div_rem_is_nonzero(&self, d: &Big) -> (Big, bool) {
        let mut rem = self.clone();
        let mut q = Big::from_u64(0);
        let (rb, db) = (rem.bit_len(), d.bit_len());
        if db == 0 || rb < db {
            return (q, !rem.is_zero());
        }
        let mut shift = rb - db;
        loop {
            let mut shifted = d.clone();
            shifted.shl(shift);
            if rem.cmp(&shifted) != std::cmp::Ordering::Less {
                rem.sub(&shifted);
                let mut bit = Big::from_u64(1);
                bit.shl(shift);
                q.add(&bit);
            }
            if shift == 0 {
                break;
            }
            shift -= 1;
        }
        (q, !rem.is_zero())
    }

    /// Decimal digits ("0" for zero).
    fn to_decimal(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut chunks = Vec::new();
        let mut cur = self.clone();
        while !cur.is_zero() {
            let mut rem = 0u64;
            for limb in cur.limbs.iter_mut().rev() {
                let v = (rem << 32) | u64::from(*limb);
                *limb = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            cur.trim();
            chunks.push(rem as u32);
        }
        let mut out = chunks.pop().map(|c| c.to_string()).unwrap_or_default();
        for c in chunks.iter().rev() {
            out.push_str(&format!("{c:09}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::add_decimal_strings;

    fn sum(a: &str, b: &str) -> String {
        match add_decimal_strings(a.as_bytes(), b.as_bytes()) {
            Ok(v) => String::from_utf8(v).unwrap_or_default(),
            Err(e) => e.0,
        }
    }

    /// Expected values are what Redis 7.4 on x86-64 replies.
    #[test]
    fn matches_redis_long_double() {
        assert_eq!(sum("0.1", "0.2"), "0.3");
        assert_eq!(sum("1000", "0.1"), "1000.09999999999999998");
        assert_eq!(sum("0.3", "1e15"), "1000000000000000.29998779296875");
        assert_eq!(sum("3.0e3", "1.5"), "3001.5");
        assert_eq!(sum("3001.5", "-5000.123"), "-1998.62300000000000022");
        assert_eq!(sum("10.50", "0.1"), "10.6");
        assert_eq!(sum("5.0e3", "2.0e2"), "5200");
        assert_eq!(sum("5", "-5"), "0");
        assert_eq!(sum("-0", "0"), "0");
        assert_eq!(sum("0", "0x10"), "16");
        assert_eq!(sum("16", "0x1.8p1"), "19");
        assert_eq!(sum("19", "0X.8"), "19.5");
        assert_eq!(sum("19.5", "0x1p-2"), "19.75");
        assert_eq!(sum("11.75", "0x1."), "12.75");
        assert_eq!(sum("1", "0x"), "ERR value is not a valid float");
        assert_eq!(sum("1", "0xp1"), "ERR value is not a valid float");
        assert_eq!(sum("1", "0x1p"), "ERR value is not a valid float");
        assert_eq!(sum(
            "1e300", "1"),
            "1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144"
        );
    }

    #[test]
    fn rejects_like_redis() {
        assert_eq!(sum("1", "inf"), "ERR increment would produce NaN or Infinity");
        assert_eq!(sum("1", "nan"), "ERR value is not a valid float");
        assert_eq!(sum("1", " 1"), "ERR value is not a valid float");
        assert_eq!(sum("1", "1 "), "ERR value is not a valid float");
        assert_eq!(sum("1e", "1"), "ERR value is not a valid float");
        assert_eq!(sum("1", "1e5000"), "ERR value is not a valid float");
        assert_eq!(sum("1", ""), "ERR value is not a valid float");
        assert_eq!(sum("1", "."), "ERR value is not a valid float");
        assert_eq!(sum("1", "1e-99999"), "ERR value is not a valid float");
        assert_eq!(sum("1e4932", "1e4932"), "ERR increment would produce NaN or Infinity");
    }
}
