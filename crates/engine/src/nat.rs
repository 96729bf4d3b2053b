//! Natural numbers of any size, with only what exact float conversion needs: build from digits,
//! shift, add, subtract, multiply and divide by small numbers, read bits, print in decimal.
//!
//! `long_double` (INCRBYFLOAT's x87 arithmetic) and `grisu` (Redis's cached powers of ten) need
//! exact big integers now and then. num-bigint did the job, but its general multiplication,
//! division and radix conversion were 23 KB of the playground page's wasm (8 KB gzipped); these
//! few operations are a tenth of that. The tests check each one against num-bigint.

use std::cmp::Ordering;

/// Little-endian base-2^32 limbs, without high zero limbs (zero is no limbs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Nat(Vec<u32>);

/// The largest power of ten in a limb, for working nine decimal digits at a time.
const TEN_9: u32 = 1_000_000_000;

impl Nat {
    pub fn from_u128(mut v: u128) -> Nat {
        let mut limbs = Vec::new();
        while v != 0 {
            limbs.push(v as u32);
            v >>= 32;
        }
        Nat(limbs)
    }

    /// Digits in `radix` (their values, not ASCII), most significant first; as many digits at a
    /// time as fit in a limb.
    pub fn from_digits(radix: u32, digits: &[u8]) -> Nat {
        let mut n = Nat::default();
        let (mut scale, mut chunk) = (1u32, 0u32);
        for &d in digits {
            if scale.checked_mul(radix).is_none() {
                n.mul_add_small(scale, chunk);
                (scale, chunk) = (1, 0);
            }
            scale *= radix;
            chunk = chunk * radix + u32::from(d);
        }
        n.mul_add_small(scale, chunk);
        n
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// How many bits the number needs (0 for zero).
    pub fn bits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(top) => 32 * (self.0.len() as u64 - 1) + u64::from(32 - top.leading_zeros()),
        }
    }

    pub fn bit(&self, i: u64) -> bool {
        self.0.get((i / 32) as usize).is_some_and(|limb| limb >> (i % 32) & 1 == 1)
    }

    /// True when any bit below bit `i` is set (the "sticky" bit of a rounding).
    pub fn any_below(&self, i: u64) -> bool {
        let whole = ((i / 32) as usize).min(self.0.len());
        self.0[..whole].iter().any(|&l| l != 0)
            || (i % 32 != 0 && self.0.get(whole).is_some_and(|l| l & ((1u32 << (i % 32)) - 1) != 0))
    }

    /// The low 64 bits.
    pub fn low_u64(&self) -> u64 {
        let limb = |i: usize| u64::from(self.0.get(i).copied().unwrap_or(0));
        limb(0) | limb(1) << 32
    }

    /// The number as `mantissa * 2^shift` with a mantissa of at most 64 bits: the top 64 bits
    /// rounded to nearest, ties to even (as the FPU rounds); all ones rounding up become 2^63
    /// one shift higher. Exact (shift 0) when the number fits.
    pub fn round_to_u64(&self) -> (u64, u64) {
        let bits = self.bits();
        if bits <= 64 {
            return (self.low_u64(), 0);
        }
        let shift = bits - 64;
        let kept = self.shr(shift).low_u64();
        let round_up = self.bit(shift - 1) && (self.any_below(shift - 1) || kept & 1 == 1);
        match (round_up, kept.checked_add(1)) {
            (false, _) => (kept, shift),
            (true, Some(up)) => (up, shift),
            (true, None) => (1 << 63, shift + 1),
        }
    }

    fn trim(mut self) -> Nat {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    pub fn shl(&self, n: u64) -> Nat {
        if self.is_zero() {
            return Nat::default();
        }
        let (limbs, bits) = ((n / 32) as usize, (n % 32) as u32);
        let mut out = vec![0; limbs];
        let mut carry = 0u32;
        for &l in &self.0 {
            out.push(if bits == 0 { l } else { l << bits | carry });
            carry = if bits == 0 { 0 } else { l >> (32 - bits) };
        }
        out.push(carry);
        Nat(out).trim()
    }

    /// `self >> n`, rounded down.
    pub fn shr(&self, n: u64) -> Nat {
        let (limbs, bits) = ((n / 32) as usize, (n % 32) as u32);
        let Some(kept) = self.0.get(limbs..) else { return Nat::default() };
        let out = (0..kept.len())
            .map(|i| {
                let high = kept.get(i + 1).copied().unwrap_or(0);
                if bits == 0 {
                    kept[i]
                } else {
                    kept[i] >> bits | high << (32 - bits)
                }
            })
            .collect();
        Nat(out).trim()
    }

    pub fn add(&self, other: &Nat) -> Nat {
        let mut out = Vec::with_capacity(self.0.len().max(other.0.len()) + 1);
        let mut carry = 0u64;
        for i in 0..self.0.len().max(other.0.len()) {
            let sum = u64::from(self.0.get(i).copied().unwrap_or(0))
                + u64::from(other.0.get(i).copied().unwrap_or(0))
                + carry;
            out.push(sum as u32);
            carry = sum >> 32;
        }
        out.push(carry as u32);
        Nat(out).trim()
    }

    /// `self - other`; `other` must not be larger.
    pub fn sub(&self, other: &Nat) -> Nat {
        debug_assert!(self.cmp(other) != Ordering::Less);
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for (i, &l) in self.0.iter().enumerate() {
            let mut diff = i64::from(l) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(diff < 0);
            if diff < 0 {
                diff += 1 << 32;
            }
            out.push(diff as u32);
        }
        Nat(out).trim()
    }

    /// `self * m + a`.
    pub fn mul_add_small(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let product = u64::from(*limb) * u64::from(m) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        if m == 0 {
            *self = std::mem::take(self).trim();
        }
    }

    /// Divide by `d` (not zero) in place, rounding down; returns the remainder.
    pub fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.0.iter_mut().rev() {
            let current = rem << 32 | u64::from(*limb);
            *limb = (current / u64::from(d)) as u32;
            rem = current % u64::from(d);
        }
        *self = std::mem::take(self).trim();
        rem as u32
    }

    /// 10^k.
    pub fn pow10(k: u64) -> Nat {
        let mut n = Nat::from_u128(1);
        n.mul_pow10(k);
        n
    }

    pub fn mul_pow10(&mut self, k: u64) {
        for _ in 0..k / 9 {
            self.mul_add_small(TEN_9, 0);
        }
        self.mul_add_small(10u32.pow((k % 9) as u32), 0);
    }

    /// Divide by 10^k in place, rounding down; true when nothing was lost (dividing one step at
    /// a time is exact: `floor(floor(x / a) / b) == floor(x / ab)`).
    pub fn div_pow10(&mut self, k: u64) -> bool {
        let mut exact = true;
        for _ in 0..k / 9 {
            exact &= self.div_small(TEN_9) == 0;
        }
        exact & (self.div_small(10u32.pow((k % 9) as u32)) == 0)
    }

    /// `self / 10^k` scaled by a power of two so the quotient keeps `bits` or `bits + 1` bits:
    /// `(q, shift, exact)` with `self / 10^k ≈ q × 2^-shift`, rounded down, and `exact` false
    /// when something was lost (the sticky bit of a rounding that follows). Both decimal
    /// parsers (`long_double`, `decimal`) round such a quotient.
    pub fn div_pow10_scaled(mut self, k: u64, bits: u64) -> (Nat, i64, bool) {
        let shift = bits as i64 + Nat::pow10(k).bits() as i64 - self.bits() as i64;
        if shift >= 0 {
            let mut num = self.shl(shift as u64);
            let exact = num.div_pow10(k);
            (num, shift, exact)
        } else {
            let exact = self.div_pow10(k) && !self.any_below(shift.unsigned_abs());
            (self.shr(shift.unsigned_abs()), shift, exact)
        }
    }

    /// Decimal digits, `0` for zero.
    pub fn to_decimal(&self) -> String {
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.div_small(TEN_9));
        }
        let Some((top, rest)) = chunks.split_last() else { return "0".into() };
        let mut out = top.to_string();
        for chunk in rest.iter().rev() {
            out.push_str(&format!("{chunk:09}"));
        }
        out
    }
}

impl Ord for Nat {
    fn cmp(&self, other: &Nat) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

impl PartialOrd for Nat {
    fn partial_cmp(&self, other: &Nat) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn big(n: &Nat) -> BigUint {
        BigUint::from_slice(&n.0)
    }

    fn nat(b: &BigUint) -> Nat {
        Nat(b.to_u32_digits())
    }

    fn any_nat() -> impl Strategy<Value = Nat> {
        prop::collection::vec(any::<u32>(), 0..12).prop_map(|limbs| Nat(limbs).trim())
    }

    proptest! {
        /// Every operation gives what num-bigint gives.
        #[test]
        fn agrees_with_num_bigint(a in any_nat(), b in any_nat(), s in 0u64..200, m in any::<u32>(), d in 1u32.., k in 0u64..40) {
            let (ba, bb) = (big(&a), big(&b));
            prop_assert_eq!(a.bits(), ba.bits());
            prop_assert_eq!(a.bit(s), ba.bit(s));
            prop_assert_eq!(a.any_below(s), ba.trailing_zeros().is_some_and(|z| z < s));
            prop_assert_eq!(a.low_u64(), ba.iter_u64_digits().next().unwrap_or(0));
            prop_assert_eq!(big(&a.shl(s)), &ba << s);
            prop_assert_eq!(big(&a.shr(s)), &ba >> s);
            prop_assert_eq!(big(&a.add(&b)), &ba + &bb);
            prop_assert_eq!(a.cmp(&b), ba.cmp(&bb));
            if a >= b {
                prop_assert_eq!(big(&a.sub(&b)), &ba - &bb);
            }
            let mut x = a.clone();
            x.mul_add_small(m, d);
            prop_assert_eq!(big(&x), &ba * m + d);
            let mut x = a.clone();
            let rem = x.div_small(d);
            prop_assert_eq!((big(&x), BigUint::from(rem)), (&ba / d, &ba % d));
            let ten_k = BigUint::from(10u32).pow(k as u32);
            prop_assert_eq!(big(&Nat::pow10(k)), ten_k.clone());
            let mut x = a.clone();
            let exact = x.div_pow10(k);
            prop_assert_eq!((big(&x), exact), (&ba / &ten_k, (&ba % &ten_k) == BigUint::ZERO));
            prop_assert_eq!(a.to_decimal(), ba.to_string());
            prop_assert_eq!(nat(&ba), a);
        }

        #[test]
        fn digits_read_as_num_bigint_reads_them(digits in "[0-9]{1,60}", hex in "[0-9a-f]{1,40}") {
            let values = |s: &str| s.chars().map(|c| c.to_digit(16).unwrap() as u8).collect::<Vec<_>>();
            prop_assert_eq!(big(&Nat::from_digits(10, &values(&digits))), digits.parse::<BigUint>().unwrap());
            prop_assert_eq!(big(&Nat::from_digits(16, &values(&hex))), BigUint::parse_bytes(hex.as_bytes(), 16).unwrap());
        }
    }

    #[test]
    fn rounds_to_64_bits_half_to_even() {
        let n = |v: u128| Nat::from_u128(v);
        assert_eq!(n(5).round_to_u64(), (5, 0));
        // 2^64 + 1 and 2^64 + 3: below half and a tie to the even 2^63 + 2.
        assert_eq!(n((1 << 64) + 1).round_to_u64(), (1 << 63, 1));
        assert_eq!(n((1 << 64) + 3).round_to_u64(), ((1 << 63) + 2, 1));
        assert_eq!(n((1 << 64) + 2).round_to_u64(), ((1 << 63) + 1, 1));
        assert_eq!(n((1 << 65) + 3).round_to_u64(), ((1 << 63) + 1, 2), "more than half rounds up");
        assert_eq!(n(u128::MAX).round_to_u64(), (1 << 63, 65), "all ones carry");
    }

    #[test]
    fn zero_and_carries() {
        assert_eq!(Nat::default().to_decimal(), "0");
        assert_eq!(Nat::from_u128(u128::MAX).add(&Nat::from_u128(1)).bits(), 129);
        assert_eq!(Nat::from_u128(1 << 64).sub(&Nat::from_u128(1)), Nat::from_u128(u64::MAX.into()));
        let mut n = Nat::from_u128(5);
        n.mul_add_small(0, 0);
        assert!(n.is_zero());
    }
}
