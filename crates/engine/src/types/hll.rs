//! HyperLogLog as Redis 7.4 stores it (`src/hyperloglog.c`), byte for byte: a string value whose
//! bytes a learner can GET, copy with SET and PFCOUNT elsewhere, on either server.
//!
//! Layout: a 16-byte header (`HYLL`, the encoding, 3 unused bytes, the cached cardinality as 8
//! little-endian bytes whose top bit marks it stale) and then 16384 registers, either *dense*
//! (6 bits each, 12288 bytes) or *sparse*: run-length opcodes `ZERO` (`00xxxxxx`, 1..64 zero
//! registers), `XZERO` (`01xxxxxx yyyyyyyy`, 1..16384 zero registers) and `VAL` (`1vvvvvxx`, 1..4
//! registers of value 1..32). A sparse HLL turns dense when a register needs a value over 32 or
//! the string would grow past `hll-sparse-max-bytes`.
//!
//! Every function takes the whole string (header included) and reads it as Redis does: the bytes
//! may come from anyone's SET, so run lengths are checked as Redis checks them and nothing panics.
//!
//! One corner is Redis's memory rather than its bytes: an `XZERO` cut off at the very end reads
//! the byte past the string's end, which is the terminating zero, or, after PFADD split such an
//! opcode, the last byte of the split that Redis's length arithmetic left outside the string (until
//! a reallocation, which depends on the allocator, zeroes it). Writers here carry that byte through
//! one command (`past_end`, zero at its start); a later command sees a zero.

/// Registers per HLL (Redis's `HLL_REGISTERS`, 2^14).
pub const REGISTERS: usize = 1 << 14;
const P: u32 = 14;
const Q: usize = 50;
/// Header bytes.
pub const HDR: usize = 16;
/// Length of a dense HLL.
pub const DENSE_SIZE: usize = HDR + (REGISTERS * 6).div_ceil(8);
pub const DENSE: u8 = 0;
pub const SPARSE: u8 = 1;
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
const ZERO_MAX_LEN: usize = 64;
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// A sparse HLL whose opcodes do not cover exactly 16384 registers (Redis's `INVALIDOBJ`).
#[derive(Debug, PartialEq, Eq)]
pub struct Corrupt;

/// Redis's `isHLLObjectOrReply`: the header is right and a dense HLL has its exact length.
pub fn is_hll(s: &[u8]) -> bool {
    s.len() >= HDR && &s[..4] == b"HYLL" && (s[4] == SPARSE || (s[4] == DENSE && s.len() == DENSE_SIZE))
}

/// A new, empty HLL (`createHLLObject`): sparse, one XZERO for all 16384 registers.
pub fn new_sparse() -> Vec<u8> {
    let mut s = b"HYLL\x01".to_vec();
    s.resize(HDR, 0);
    push_zeros(&mut s, REGISTERS);
    s
}

/// The byte at `i`, or the terminating zero Redis's strings have past their end.
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// The sparse opcode at `p`: (registers it covers, their value (0 for zero runs), its bytes).
/// `past_end` is the byte after the string (see the module's doc).
fn opcode(s: &[u8], p: usize, past_end: u8) -> (usize, u8, usize) {
    let b = s[p];
    let second = s.get(p + 1).copied().unwrap_or(past_end);
    match b & 0xc0 {
        0 => ((b & 0x3f) as usize + 1, 0, 1),
        0x40 => ((((b & 0x3f) as usize) << 8 | second as usize) + 1, 0, 2),
        _ => ((b & 3) as usize + 1, ((b >> 2) & 0x1f) + 1, 1),
    }
}

fn val_op(value: u8, len: usize) -> u8 {
    0x80 | (value - 1) << 2 | (len - 1) as u8
}

/// A run of `len` (1..=16384) zero registers: ZERO up to 64, XZERO beyond.
fn push_zeros(out: &mut Vec<u8>, len: usize) {
    if len > ZERO_MAX_LEN {
        out.extend_from_slice(&[0x40 | ((len - 1) >> 8) as u8, (len - 1) as u8]);
    } else {
        out.push((len - 1) as u8);
    }
}

/// Walk a sparse HLL's runs as (first register, registers, value); false if they do not add up
/// to exactly 16384. With `stop_at_end`, a VAL run past the end stops the walk, as Redis's
/// merge and conversion do (so opcodes after exactly 16384 registers go unnoticed there, not
/// when counting).
fn sparse_runs(s: &[u8], past_end: u8, stop_at_end: bool, mut f: impl FnMut(usize, usize, u8)) -> bool {
    let (mut idx, mut p) = (0usize, HDR);
    while p < s.len() && idx <= REGISTERS {
        let (run, value, len) = opcode(s, p, past_end);
        if value > 0 && idx + run > REGISTERS {
            if stop_at_end {
                break;
            }
            return false;
        }
        f(idx, run, value);
        idx += run;
        p += len;
    }
    idx == REGISTERS
}

/// Dense register `i` (`HLL_DENSE_GET_REGISTER`).
pub fn get_reg(s: &[u8], i: usize) -> u8 {
    let (byte, fb) = (HDR + i * 6 / 8, (i * 6) & 7);
    let (b0, b1) = (at(s, byte) as u32, at(s, byte + 1) as u32);
    (((b0 >> fb) | (b1 << (8 - fb))) & 63) as u8
}

/// Set dense register `i` to `v` (`HLL_DENSE_SET_REGISTER`).
pub fn set_reg(s: &mut [u8], i: usize, v: u8) {
    let (byte, fb, v) = (HDR + i * 6 / 8, (i * 6) & 7, v as u32);
    s[byte] = ((s[byte] as u32 & !(63 << fb)) | (v << fb)) as u8;
    if let Some(b) = s.get_mut(byte + 1) {
        *b = ((*b as u32 & !(63 >> (8 - fb))) | (v >> (8 - fb))) as u8;
    }
}

/// Every register of a dense HLL, 4 from each 3 bytes (what `hllDenseRegHisto` unrolls), into
/// `out`. Plain loops: PFCOUNT over several keys runs this per key, in debug builds too.
fn unpack_dense(s: &[u8], out: &mut [u8; REGISTERS]) {
    let Some(regs) = s.get(HDR..DENSE_SIZE) else { return };
    let (mut i, mut j) = (0, 0);
    while j < REGISTERS {
        let (a, b, c) = (regs[i], regs[i + 1], regs[i + 2]);
        out[j] = a & 63;
        out[j + 1] = (a >> 6 | b << 2) & 63;
        out[j + 2] = (b >> 4 | c << 4) & 63;
        out[j + 3] = c >> 2;
        (i, j) = (i + 3, j + 4);
    }
}

/// Raise dense register `index` to `count`; true if it grew (`hllDenseSet`).
pub fn dense_set(s: &mut [u8], index: usize, count: u8) -> bool {
    let grew = count > get_reg(s, index);
    if grew {
        set_reg(s, index, count);
    }
    grew
}

/// MurmurHash64A, Redis's HLL hash.
pub fn murmur64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        let mut k = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        k = k.wrapping_mul(M);
        k ^= k >> 47;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, b) in tail.iter().enumerate() {
            h ^= (*b as u64) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> 47;
    h = h.wrapping_mul(M);
    h ^ (h >> 47)
}

/// The register an element falls in and the length of its run of zero bits plus one
/// (`hllPatLen`).
pub fn pat_len(ele: &[u8]) -> (usize, u8) {
    let hash = murmur64a(ele, 0xadc8_3b19);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    let rest = (hash >> P) | (1 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

/// Convert a sparse HLL to dense in place (`hllSparseToDense`); the header is copied, cached
/// cardinality and unused bytes included. Ok(true) if it converted, Ok(false) if already dense.
pub fn to_dense(s: &mut Vec<u8>, past_end: u8) -> Result<bool, Corrupt> {
    if s[4] != SPARSE {
        return Ok(false);
    }
    let mut dense = vec![0u8; DENSE_SIZE];
    dense[..HDR].copy_from_slice(&s[..HDR]);
    dense[4] = DENSE;
    let valid = sparse_runs(s, past_end, true, |first, run, value| {
        if value > 0 {
            (first..first + run).for_each(|r| set_reg(&mut dense, r, value));
        }
    });
    if !valid {
        return Err(Corrupt);
    }
    *s = dense;
    Ok(true)
}

/// Raise sparse register `index` to `count` (`hllSparseSet`): split the opcode covering it,
/// merge equal neighbouring VALs, or turn the HLL dense when `count` exceeds 32 or the string
/// would pass `max_bytes`. Ok(true) if the register grew.
pub fn sparse_set(
    s: &mut Vec<u8>,
    index: usize,
    count: u8,
    max_bytes: u64,
    past_end: &mut u8,
) -> Result<bool, Corrupt> {
    if count > VAL_MAX_VALUE {
        return promote(s, index, count, *past_end);
    }
    // Step 1: find the opcode covering `index`.
    // `first` in 64 bits: zero runs of a long malicious string overflow 32 (Redis uses a long).
    // The hottest loop of a sparse PFADD, spelled out (no calls: debug builds serve the suite).
    let (mut p, mut first, mut span, mut prev) = (HDR, 0u64, 0usize, None);
    let (bytes, n, target) = (s.as_slice(), s.len(), index as u64);
    while p < n {
        let b = bytes[p];
        let len = if b & 0xc0 == 0x40 { 2 } else { 1 };
        span = match b & 0xc0 {
            0 => (b & 0x3f) as usize + 1,
            0x40 => {
                (((b & 0x3f) as usize) << 8 | if p + 1 < n { bytes[p + 1] } else { *past_end } as usize) + 1
            }
            _ => (b & 3) as usize + 1,
        };
        if target < first + span as u64 {
            break;
        }
        prev = Some(p);
        p += len;
        first += span as u64;
    }
    if span == 0 || p >= s.len() {
        return Err(Corrupt);
    }
    let first = first as usize; // <= index here
    let (runlen, value, oldlen) = opcode(s, p, *past_end);
    // Step 2: trivial in-place updates, else the split sequence.
    if value > 0 && value >= count {
        return Ok(false);
    }
    if runlen == 1 && oldlen == 1 {
        s[p] = val_op(count, 1);
    } else {
        let last = first + span - 1;
        let mut seq = Vec::with_capacity(5);
        if value == 0 {
            if index != first {
                push_zeros(&mut seq, index - first);
            }
            seq.push(val_op(count, 1));
            if index != last {
                push_zeros(&mut seq, last - index);
            }
        } else {
            if index != first {
                seq.push(val_op(value, index - first));
            }
            seq.push(val_op(count, 1));
            if index != last {
                seq.push(val_op(value, last - index));
            }
        }
        // Step 3: put the sequence in place of the opcode, unless the string grows too big.
        let new_len = s.len() + seq.len() - oldlen;
        if seq.len() > oldlen && new_len as u64 > max_bytes {
            return promote(s, index, count, *past_end);
        }
        let end = (p + oldlen).min(s.len());
        s.splice(p..end, seq);
        // A truncated XZERO at the very end: Redis's length arithmetic leaves the split's last
        // byte just past the string.
        *past_end = if s.len() > new_len { s[new_len] } else { 0 };
        s.truncate(new_len);
    }
    // Step 4: merge adjacent VALs of the same value, scanning up to 5 opcodes from the previous.
    let mut p = prev.unwrap_or(HDR);
    for _ in 0..5 {
        if p >= s.len() {
            break;
        }
        match s[p] & 0xc0 {
            0x40 => p += 2,
            0 => p += 1,
            _ => {
                if p + 1 < s.len() && s[p + 1] & 0x80 != 0 {
                    let (l1, v1, _) = opcode(s, p, 0);
                    let (l2, v2, _) = opcode(s, p + 1, 0);
                    if v1 == v2 && l1 + l2 <= VAL_MAX_LEN {
                        s[p + 1] = val_op(v1, l1 + l2);
                        s.remove(p);
                        *past_end = 0;
                        continue;
                    }
                }
                p += 1;
            }
        }
    }
    invalidate(s);
    Ok(true)
}

fn promote(s: &mut Vec<u8>, index: usize, count: u8, past_end: u8) -> Result<bool, Corrupt> {
    to_dense(s, past_end)?;
    dense_set(s, index, count);
    Ok(true)
}

/// Add an element (`hllAdd`): Ok(true) if a register grew.
pub fn add(s: &mut Vec<u8>, ele: &[u8], max_bytes: u64, past_end: &mut u8) -> Result<bool, Corrupt> {
    let (index, count) = pat_len(ele);
    match s[4] {
        DENSE => Ok(dense_set(s, index, count)),
        SPARSE => sparse_set(s, index, count, max_bytes, past_end),
        _ => Err(Corrupt),
    }
}

/// Raise `max[i]` to every register of `s` (`hllMerge`).
pub fn merge(max: &mut [u8; REGISTERS], s: &[u8]) -> Result<(), Corrupt> {
    if s[4] == DENSE {
        let mut regs = Box::new([0u8; REGISTERS]);
        unpack_dense(s, &mut regs);
        let mut i = 0;
        while i < REGISTERS {
            if regs[i] > max[i] {
                max[i] = regs[i];
            }
            i += 1;
        }
        return Ok(());
    }
    // Only VAL runs are checked against the end: zero runs may run past it (and change nothing).
    let valid = sparse_runs(s, 0, true, |first, run, value| {
        if value > 0 {
            max[first..first + run].iter_mut().for_each(|m| *m = (*m).max(value));
        }
    });
    if valid {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// The estimated cardinality of an HLL (`hllCount`).
pub fn count(s: &[u8]) -> Result<u64, Corrupt> {
    if s[4] == DENSE {
        let mut regs = Box::new([0u8; REGISTERS]);
        unpack_dense(s, &mut regs);
        return Ok(count_registers(&regs));
    }
    let mut histo = [0u64; 64];
    if !sparse_runs(s, 0, false, |_, run, value| histo[value as usize] += run as u64) {
        return Err(Corrupt);
    }
    Ok(estimate(&histo))
}

/// The estimated cardinality of plain byte registers (multi-key PFCOUNT).
pub fn count_registers(max: &[u8; REGISTERS]) -> u64 {
    let (mut histo, mut i) = ([0u64; 64], 0);
    while i < REGISTERS {
        histo[(max[i] & 63) as usize] += 1;
        i += 1;
    }
    estimate(&histo)
}

/// Otmar Ertl's estimator from a register histogram, as Redis 7.4 computes it.
fn estimate(histo: &[u64; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - histo[Q + 1] as f64) / m);
    for j in (1..=Q).rev() {
        z += histo[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histo[0] as f64 / m);
    (ALPHA_INF * m * m / z).round() as u64
}

/// `hllSigma` (iterations bounded: it converges in well under a hundred for x in [0, 1)).
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    for _ in 0..2000 {
        x *= x;
        let prev = z;
        z += x * y;
        y += y;
        if prev == z {
            break;
        }
    }
    z
}

/// `hllTau`.
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    for _ in 0..2000 {
        x = x.sqrt();
        let prev = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
        if prev == z {
            break;
        }
    }
    z / 3.0
}

/// The cached cardinality, if its stale bit is clear.
pub fn cached(s: &[u8]) -> Option<u64> {
    let card = u64::from_le_bytes(s[8..16].try_into().unwrap_or_default());
    (card >> 63 == 0).then_some(card)
}

/// Store a freshly computed cardinality in the header.
pub fn set_cached(s: &mut [u8], card: u64) {
    s[8..16].copy_from_slice(&card.to_le_bytes());
}

/// Mark the cached cardinality stale (only its top bit: the other bytes stay as they were).
pub fn invalidate(s: &mut [u8]) {
    s[15] |= 0x80;
}

/// PFDEBUG DECODE's text: `z:N` / `Z:N` / `v:value,len` per opcode.
pub fn decode(s: &[u8]) -> String {
    let mut out = Vec::new();
    let mut p = HDR;
    while p < s.len() {
        let (run, value, len) = opcode(s, p, 0);
        out.push(match (value, len) {
            (0, 1) => format!("z:{run}"),
            (0, _) => format!("Z:{run}"),
            _ => format!("v:{value},{run}"),
        });
        p += len;
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_round_trip_without_touching_neighbours() {
        let mut s = vec![0u8; DENSE_SIZE];
        for i in 0..REGISTERS {
            set_reg(&mut s, i, (i * 7 % 64) as u8);
        }
        assert!((0..REGISTERS).all(|i| get_reg(&s, i) == (i * 7 % 64) as u8));
        let mut regs = [0u8; REGISTERS];
        unpack_dense(&s, &mut regs);
        assert!(regs.iter().enumerate().all(|(i, &r)| r == (i * 7 % 64) as u8));
    }

    #[test]
    fn malformed_sparse_is_refused_not_panicking() {
        let mut overflow = new_sparse();
        overflow.extend_from_slice(&[0xff, 0x40]); // runs past 16384
        assert_eq!(count(&overflow), Err(Corrupt));
        let mut truncated = b"HYLL\x01".to_vec();
        truncated.resize(HDR, 0);
        truncated.push(0x7f); // an XZERO missing its second byte
        assert_eq!(add(&mut truncated, b"a", 3000, &mut 0).ok(), Some(true));
        assert!(to_dense(&mut b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\0".to_vec(), 0).is_err());
    }

    #[test]
    fn random_sparse_bodies_never_panic() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..3000 {
            let mut s = new_sparse();
            s.truncate(HDR);
            let len = (next() % 64) as usize + if round % 10 == 0 { 3000 } else { 0 };
            s.extend((0..len).map(|_| next() as u8));
            if !is_hll(&s) {
                continue;
            }
            let _ = count(&s);
            let _ = merge(&mut Box::new([0; REGISTERS]), &s);
            let _ = decode(&s);
            let mut past_end = 0;
            for i in 0..20u64 {
                let _ = add(&mut s, &(round as u64 * 100 + i).to_le_bytes(), next() % 200, &mut past_end);
            }
            let _ = sparse_set(&mut s, (next() % REGISTERS as u64) as usize, 33, 3000, &mut past_end);
            let _ = to_dense(&mut s, past_end);
        }
    }
}
