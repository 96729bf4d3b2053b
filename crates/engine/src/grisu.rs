//! The digits Redis 7.4 prints for a double: Florian Loitsch's Grisu2, as Redis's bundled
//! `fpconv_dtoa` runs it.
//!
//! Grisu2 is fast but not always exact: for a few doubles it picks another round-tripping digit
//! string than the shortest-nearest one Rust's formatter prints (`801231701397546.25` prints
//! `…546.2` in Redis, `…546.3` in Rust). Learners compare ZSCORE and ZINCRBY replies digit for
//! digit, so the engine runs the same algorithm with the same 64-bit arithmetic.
//!
//! The cached powers of ten are computed exactly (big integers, [`Nat`], rounded to nearest with ties to
//! even) the first time they are needed, rather than pasted as 87 magic constants.

use crate::nat::Nat;
use std::sync::OnceLock;

/// A 64-bit mantissa and a binary exponent: `frac * 2^exp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fp {
    frac: u64,
    exp: i32,
}

const FRAC_MASK: u64 = 0x000F_FFFF_FFFF_FFFF;
const EXP_MASK: u64 = 0x7FF0_0000_0000_0000;
const HIDDEN_BIT: u64 = 0x0010_0000_0000_0000;
const EXP_BIAS: i32 = 1023 + 52;

/// The cached powers are 10^k for k = FIRST_POWER + STEP * i.
const POWERS: usize = 87;
const STEP: i32 = 8;
const FIRST_POWER: i32 = -348;
/// The window the scaled exponent must land in.
const EXP_MAX: i32 = -32;
const EXP_MIN: i32 = -60;

/// 10^k normalized to a 64-bit mantissa with its top bit set, rounded to nearest (ties to even).
fn power_of_ten(k: i32) -> Fp {
    let (frac, exp) = if k >= 0 {
        let (frac, shift) = Nat::pow10(k.unsigned_abs().into()).round_to_u64();
        (frac, shift as i64)
    } else {
        // 2^(shift+1) / 10^|k| is 2q + (1 when the remainder is at least half of 10^|k|).
        let shift = 63 + Nat::pow10(k.unsigned_abs().into()).bits();
        let mut twice = Nat::from_u128(1).shl(shift + 1);
        let exact = twice.div_pow10(k.unsigned_abs().into());
        let q = twice.shr(1).low_u64();
        let up = twice.bit(0) && (!exact || q & 1 == 1);
        let (frac, carry) = Nat::from_u128(u128::from(q) + u128::from(up)).round_to_u64();
        (frac, carry as i64 - shift as i64)
    };
    // Small powers (below 2^63) and quotients of 63 bits take their top bit up.
    let (mut frac, mut exp) = (frac, exp);
    while frac >> 63 == 0 {
        frac <<= 1;
        exp -= 1;
    }
    Fp { frac, exp: exp as i32 }
}

fn powers() -> &'static [Fp; POWERS] {
    static TABLE: OnceLock<[Fp; POWERS]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| power_of_ten(FIRST_POWER + STEP * i as i32)))
}

/// The cached power whose product with a number of binary exponent `exp` lands in the window,
/// and its decimal exponent.
fn cached_power(exp: i32) -> (Fp, i32) {
    let table = powers();
    let approx = (-f64::from(exp + POWERS as i32) * 0.301_029_995_663_981_14) as i32;
    let mut idx = ((approx - FIRST_POWER) / STEP).clamp(0, POWERS as i32 - 1) as usize;
    loop {
        let current = exp + table[idx].exp + 64;
        if current < EXP_MIN && idx + 1 < POWERS {
            idx += 1;
        } else if current > EXP_MAX && idx > 0 {
            idx -= 1;
        } else {
            return (table[idx], FIRST_POWER + idx as i32 * STEP);
        }
    }
}

fn build_fp(d: f64) -> Fp {
    let bits = d.to_bits();
    let frac = bits & FRAC_MASK;
    let exp = ((bits & EXP_MASK) >> 52) as i32;
    if exp != 0 {
        Fp { frac: frac + HIDDEN_BIT, exp: exp - EXP_BIAS }
    } else {
        Fp { frac, exp: -EXP_BIAS + 1 }
    }
}

fn normalize(fp: &mut Fp) {
    while fp.frac & HIDDEN_BIT == 0 {
        fp.frac <<= 1;
        fp.exp -= 1;
    }
    let shift = 64 - 52 - 1;
    fp.frac <<= shift;
    fp.exp -= shift;
}

/// The neighbours halfway to the adjacent doubles, on a common exponent.
fn boundaries(fp: Fp) -> (Fp, Fp) {
    let mut upper = Fp { frac: (fp.frac << 1) + 1, exp: fp.exp - 1 };
    while upper.frac & (HIDDEN_BIT << 1) == 0 {
        upper.frac <<= 1;
        upper.exp -= 1;
    }
    let u_shift = 64 - 52 - 2;
    upper.frac <<= u_shift;
    upper.exp -= u_shift;
    let l_shift = if fp.frac == HIDDEN_BIT { 2 } else { 1 };
    let mut lower = Fp { frac: (fp.frac << l_shift) - 1, exp: fp.exp - l_shift };
    lower.frac <<= lower.exp - upper.exp;
    lower.exp = upper.exp;
    (lower, upper)
}

/// The high 64 bits of the 128-bit product, rounded up at bit 63 as fpconv does.
fn multiply(a: Fp, b: Fp) -> Fp {
    let lo = 0xFFFF_FFFFu64;
    let ah_bl = (a.frac >> 32) * (b.frac & lo);
    let al_bh = (a.frac & lo) * (b.frac >> 32);
    let al_bl = (a.frac & lo) * (b.frac & lo);
    let ah_bh = (a.frac >> 32) * (b.frac >> 32);
    let mut tmp = (ah_bl & lo) + (al_bh & lo) + (al_bl >> 32);
    tmp += 1 << 31;
    Fp { frac: ah_bh + (ah_bl >> 32) + (al_bh >> 32) + (tmp >> 32), exp: a.exp + b.exp + 64 }
}

fn round_digit(digits: &mut [u8], delta: u64, mut rem: u64, kappa: u64, frac: u64) {
    let Some(last) = digits.last_mut() else { return };
    while rem < frac
        && delta - rem >= kappa
        && (rem.wrapping_add(kappa) < frac || frac - rem > rem.wrapping_add(kappa).wrapping_sub(frac))
    {
        *last = last.wrapping_sub(1);
        rem += kappa;
    }
}

const TENS: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut i = 19;
    while i > 0 {
        t[i - 1] = t[i] * 10;
        i -= 1;
    }
    t
};

/// Digits of `w` within (lower, upper), and the decimal exponent adjustment.
fn generate_digits(w: Fp, upper: Fp, lower: Fp, k: &mut i32) -> Vec<u8> {
    let wfrac = upper.frac - w.frac;
    let mut delta = upper.frac - lower.frac;
    let shift = (-upper.exp) as u32;
    let one = 1u64 << shift;
    let mut part1 = upper.frac >> shift;
    let mut part2 = upper.frac & (one - 1);
    let mut digits = Vec::with_capacity(18);
    let mut kappa = 10;
    for &div in &TENS[10..] {
        let digit = part1 / div;
        if digit != 0 || !digits.is_empty() {
            digits.push(b'0' + digit as u8);
        }
        part1 -= digit * div;
        kappa -= 1;
        let tmp = (part1 << shift) + part2;
        if tmp <= delta {
            *k += kappa;
            round_digit(&mut digits, delta, tmp, div << shift, wfrac);
            return digits;
        }
        if kappa == 0 {
            break;
        }
    }
    let mut unit = 18;
    loop {
        part2 = part2.wrapping_mul(10);
        delta = delta.wrapping_mul(10);
        kappa -= 1;
        let digit = part2 >> shift;
        if digit != 0 || !digits.is_empty() {
            digits.push(b'0' + digit as u8);
        }
        part2 &= one - 1;
        if part2 < delta || digits.len() >= 18 {
            *k += kappa;
            round_digit(&mut digits, delta, part2, one, wfrac.wrapping_mul(TENS[unit]));
            return digits;
        }
        unit = unit.saturating_sub(1);
    }
}

/// Grisu2's digits of a finite, non-zero `d` (sign ignored) and the power of ten K such that
/// the value is `digits * 10^K`.
pub fn digits(d: f64) -> (Vec<u8>, i32) {
    let mut w = build_fp(d.abs());
    let (mut lower, mut upper) = boundaries(w);
    normalize(&mut w);
    let (cp, k) = cached_power(upper.exp);
    let w = multiply(w, cp);
    upper = multiply(upper, cp);
    lower = multiply(lower, cp);
    lower.frac += 1;
    upper.frac -= 1;
    let mut big_k = -k;
    let digits = generate_digits(w, upper, lower, &mut big_k);
    (digits, big_k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_powers_are_exact() {
        // 10^20 = 12500000000000000000 * 2^3 exactly; 10^0 falls between two cached powers.
        assert_eq!(power_of_ten(20), Fp { frac: 12_500_000_000_000_000_000, exp: 3 });
        assert_eq!(power_of_ten(-4).exp, -77);
        assert!(powers().iter().all(|p| p.frac >> 63 == 1));
    }

    /// Each cached power as exact big-integer division by num-bigint rounds it.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn every_cached_power_matches_num_bigint() {
        use num_bigint::BigUint;
        // 10^k = q * 2^exp + rem exactly, then q rounded by twice the remainder against the unit.
        let reference = |k: i32| -> (u64, i64) {
            let ten = BigUint::from(10u32).pow(k.unsigned_abs());
            let (q, twice_rem, unit, exp) = if k >= 0 {
                let shift = ten.bits().saturating_sub(64);
                let q = &ten >> shift;
                let rem = &ten - (&q << shift);
                (
                    q << (64 - ten.bits().min(64)),
                    rem << 1u32,
                    BigUint::from(1u32) << shift,
                    shift as i64 - (64 - ten.bits().min(64)) as i64,
                )
            } else {
                let shift = 63 + ten.bits();
                let num = BigUint::from(1u32) << shift;
                (&num / &ten, (&num % &ten) << 1u32, ten.clone(), -(shift as i64))
            };
            let up = twice_rem > unit || (twice_rem == unit && q.bit(0));
            let q = if up { q + 1u32 } else { q };
            let (q, exp) = if q.bits() > 64 { (q >> 1u32, exp + 1) } else { (q, exp) };
            (q.iter_u64_digits().next().unwrap_or(0), exp)
        };
        for k in (FIRST_POWER..).step_by(STEP as usize).take(POWERS) {
            let p = power_of_ten(k);
            assert_eq!((p.frac, i64::from(p.exp)), reference(k), "10^{k}");
        }
    }

    #[test]
    fn digits_round_trip() {
        // 801231701397546.25, exactly (its literal would be shortened by clippy).
        let tie = 801_231_701_397_546.0 + 0.25;
        for d in [1.0, 0.1, 123.456, 1e-300, f64::from_bits(1), f64::MAX, tie] {
            let (digits, k) = digits(d);
            let text = format!("{}e{k}", String::from_utf8_lossy(&digits));
            assert_eq!(text.parse::<f64>(), Ok(d), "{d}: {text}");
        }
        // Where Grisu2 and the shortest-nearest digits part ways, Redis prints Grisu2's.
        assert_eq!(digits(tie), (b"8012317013975462".to_vec(), -1));
    }
}
