//! Vector elements and distances exactly as RediSearch (VecSim) defines them.
//!
//! COSINE stores unit vectors and measures `1 - dot`, L2 is the squared Euclidean distance and IP
//! is `1 - dot`. FLOAT32 math stays in f32 (as VecSim does) and the distance is widened to f64
//! only for printing. Loops run over chunks of 8 lanes with independent accumulators so LLVM
//! vectorizes them (SSE/AVX natively, simd128 in the browser).

/// How two vectors are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    L2,
    Ip,
    Cosine,
}

impl Metric {
    pub fn name(self) -> &'static str {
        match self {
            Metric::L2 => "L2",
            Metric::Ip => "IP",
            Metric::Cosine => "COSINE",
        }
    }
}

/// A vector component type (FLOAT32 or FLOAT64).
pub trait Element: Copy + Default + PartialOrd + std::fmt::Debug + 'static {
    /// Bytes per component in a blob.
    const SIZE: usize;
    /// Decode a little-endian blob of exactly `dim` components.
    fn decode(blob: &[u8], dim: usize) -> Option<Vec<Self>>;
    /// The distance between `a` and `b` (already normalized for COSINE).
    fn distance(metric: Metric, a: &[Self], b: &[Self]) -> f64;
    /// Scale to unit length in place (COSINE stores and queries unit vectors).
    fn normalize(v: &mut [Self]);
    /// The distance exactly as RediSearch reports it, to the last bit (see [`vecsim_f32`]):
    /// used for the few results a query returns, while searching uses the faster [`distance`].
    ///
    /// [`distance`]: Element::distance
    fn reported_distance(metric: Metric, a: &[Self], b: &[Self]) -> f64 {
        Self::distance(metric, a, b)
    }
}

/// Sort (distance, id) pairs nearest first, ties by id: a total order, so the unstable sort
/// gives the one answer, and every caller shares one instantiation (each sort is ~3 KB of the
/// page's wasm).
pub fn sort_by_distance(pairs: &mut [(f64, u64)]) {
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
}

/// Independent accumulators in the distance loops: enough that the adds of one step need not
/// wait for the previous step's (four SSE registers of f32 natively, two f64x2 in wasm), which
/// doubled the loop's throughput over 8 (the HNSW build spends 60% of its time here).
const LANES: usize = 16;

macro_rules! element {
    ($t:ty, $size:expr, $reported:expr) => {
        impl Element for $t {
            const SIZE: usize = $size;

            fn reported_distance(metric: Metric, a: &[$t], b: &[$t]) -> f64 {
                $reported(metric, a, b)
            }

            fn decode(blob: &[u8], dim: usize) -> Option<Vec<$t>> {
                if blob.len() != dim.checked_mul($size)? {
                    return None;
                }
                Some(
                    blob.chunks_exact($size)
                        .map(|c| {
                            let mut raw = [0u8; $size];
                            raw.copy_from_slice(c);
                            <$t>::from_le_bytes(raw)
                        })
                        .collect(),
                )
            }

            fn distance(metric: Metric, a: &[$t], b: &[$t]) -> f64 {
                let d: $t = match metric {
                    Metric::L2 => {
                        let mut acc = [0.0 as $t; LANES];
                        let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
                        let (ra, rb) = (ca.remainder(), cb.remainder());
                        for (x, y) in ca.zip(cb) {
                            for ((s, x), y) in acc.iter_mut().zip(x).zip(y) {
                                let d = x - y;
                                *s += d * d;
                            }
                        }
                        let mut sum = acc.iter().sum::<$t>();
                        for (x, y) in ra.iter().zip(rb) {
                            let d = x - y;
                            sum += d * d;
                        }
                        sum
                    }
                    Metric::Ip | Metric::Cosine => {
                        let mut acc = [0.0 as $t; LANES];
                        let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
                        let (ra, rb) = (ca.remainder(), cb.remainder());
                        for (x, y) in ca.zip(cb) {
                            for ((s, x), y) in acc.iter_mut().zip(x).zip(y) {
                                *s += x * y;
                            }
                        }
                        let mut sum = acc.iter().sum::<$t>();
                        for (x, y) in ra.iter().zip(rb) {
                            sum += x * y;
                        }
                        1.0 - sum
                    }
                };
                d as f64
            }

            fn normalize(v: &mut [$t]) {
                // As VecSim: squares summed in f64 (no overflow), the root rounded to the element
                // type, then each component divided by it.
                let norm = v.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>().sqrt() as $t;
                if norm > 0.0 {
                    for x in v.iter_mut() {
                        *x /= norm;
                    }
                }
            }
        }
    };
}

element!(f32, 4, |metric, a, b| f64::from(vecsim_f32(metric, a, b)));
// FLOAT64: replies print 12 significant digits, far above where summation orders differ in
// f64 (checked against the oracle), so the search distance is reported as it is.
element!(f64, 8, <f64 as Element>::distance);

/// VecSim's FLOAT32 kernels, operation for operation, as RediSearch 2.10 runs them on a CPU with
/// AVX-512 (Azure Managed Redis's and the oracle's): below 16 dimensions a plain loop; from 16 on,
/// the `dim % 16` leading components multiplied into 16 lanes, then blocks of 16 fused
/// multiply-added into them, then the lanes summed as `_mm512_reduce_add_ps` does (halves,
/// quarters, pairs). Floating-point sums depend on this order, and learners compare scores to
/// the last printed digit. The fused multiply-add is computed in f64 (an f32 product is exact
/// there) and rounded once, so the result does not depend on the CPU or the browser.
pub fn vecsim_f32(metric: Metric, a: &[f32], b: &[f32]) -> f32 {
    let dim = a.len().min(b.len());
    let (a, b) = (&a[..dim], &b[..dim]);
    let l2 = metric == Metric::L2;
    // The two factors of a component's term: (a - b, a - b) for L2, (a, b) for inner products.
    let factors = |x: f32, y: f32| if l2 { (x - y, x - y) } else { (x, y) };
    let sum = if dim < 16 {
        a.iter().zip(b).fold(0.0f32, |acc, (&x, &y)| {
            let (p, q) = factors(x, y);
            acc + p * q
        })
    } else {
        let residual = dim % 16;
        let mut lanes = [0.0f32; 16];
        for (lane, (&x, &y)) in lanes.iter_mut().zip(a.iter().zip(b)).take(residual) {
            let (p, q) = factors(x, y);
            *lane = p * q;
        }
        for (xs, ys) in a[residual..].chunks_exact(16).zip(b[residual..].chunks_exact(16)) {
            for ((lane, &x), &y) in lanes.iter_mut().zip(xs).zip(ys) {
                let (p, q) = factors(x, y);
                *lane = (f64::from(p) * f64::from(q) + f64::from(*lane)) as f32;
            }
        }
        let mut width = 8;
        while width > 0 {
            for j in 0..width {
                lanes[j] += lanes[j + width];
            }
            width /= 2;
        }
        lanes[0]
    };
    if l2 {
        sum
    } else {
        1.0 - sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_follow_redisearch_definitions() {
        let a = [3.0f32, 4.0];
        let b = [0.0f32, 0.0];
        assert_eq!(f32::distance(Metric::L2, &a, &b), 25.0);
        assert_eq!(f32::distance(Metric::Ip, &[1.0, 2.0], &[3.0, 4.0]), -10.0);
        let mut u = [3.0f32, 4.0];
        f32::normalize(&mut u);
        assert!(f32::distance(Metric::Cosine, &u, &u).abs() < 1e-6);
        assert_eq!(f32::decode(&[0, 0, 128, 63], 1), Some(vec![1.0]));
        assert_eq!(f32::decode(&[0, 0, 128], 1), None);
    }

    #[test]
    fn reported_distances_sum_in_vecsims_order() {
        // 20 components: 4 leading ones multiplied into lanes 0-3, then one block of 16.
        let a: Vec<f32> = (0..20).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..20).map(|i| (i as f32 * 0.11).cos()).collect();
        let mut lanes = [0.0f64; 16];
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            let lane = if i < 4 { i } else { (i - 4) % 16 };
            lanes[lane] += f64::from(*x) * f64::from(*y);
        }
        let exact: f64 = lanes.iter().sum();
        let ours = f64::from(vecsim_f32(Metric::Ip, &a, &b));
        assert!((ours - (1.0 - exact)).abs() < 1e-6);
        // Below 16 components the plain loop, identical to the search distance.
        assert_eq!(
            f64::from(vecsim_f32(Metric::L2, &a[..5], &b[..5])),
            f32::distance(Metric::L2, &a[..5], &b[..5])
        );
    }
}
