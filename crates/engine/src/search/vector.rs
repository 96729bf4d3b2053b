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
    /// The distance exactly as RediSearch reports it with `kernel`, to the last bit (see
    /// [`vecsim_f32`]):
    /// used for the few results a query returns, while searching uses the faster [`distance`].
    ///
    /// [`distance`]: Element::distance
    fn reported_distance(kernel: Kernel, metric: Metric, a: &[Self], b: &[Self]) -> f64;
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

            fn reported_distance(kernel: Kernel, metric: Metric, a: &[$t], b: &[$t]) -> f64 {
                $reported(kernel, metric, a, b)
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

element!(f32, 4, |kernel, metric, a, b| f64::from(vecsim_f32(kernel, metric, a, b)));
// FLOAT64: replies print 12 significant digits, far above where summation orders differ in
// f64 (checked against the oracle), so the search distance is reported as it is.
element!(f64, 8, |_: Kernel, metric, a, b| <f64 as Element>::distance(metric, a, b));

/// Which of VecSim's FLOAT32 distance kernels computes a reported distance.
///
/// RediSearch 2.10 (VecSim 0.8) picks one when an index is created, from the CPU it runs on:
/// AVX-512F if the CPU has it, else AVX, else SSE (x86-64; ARM has NEON/SVE kernels not modelled
/// here). Each adds the same products in a different order, so a KNN score's last printed digits
/// (12 significant ones) depend on the server's CPU: 0.00513327121735 on an AVX-512 machine was
/// 0.00513309240341 on an AVX2 one. The engine reproduces all three bit for bit, so it can match
/// any server.
///
/// The default is [`Kernel::Avx512`], for every engine including the page's: the page must give a
/// learner the same score on every machine (it cannot follow the learner's CPU, and wasm has no
/// AVX), and AVX-512 is what current x86 server CPUs (Xeon since Skylake-SP, EPYC since Zen 4)
/// make RediSearch use. The differential tests ask the oracle which kernel its CPU picked
/// (`tests/common`) and set that one with `Engine::set_vector_kernel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kernel {
    /// 16 lanes, fused multiply-add, `_mm512_reduce_add_ps` (halves, quarters, pairs).
    #[default]
    Avx512,
    /// 8 lanes, multiply then add (two roundings), lanes summed left to right.
    Avx,
    /// 4 lanes, multiply then add, lanes summed left to right.
    Sse,
}

impl Kernel {
    pub const ALL: [Kernel; 3] = [Kernel::Avx512, Kernel::Avx, Kernel::Sse];

    pub fn name(self) -> &'static str {
        match self {
            Kernel::Avx512 => "avx512",
            Kernel::Avx => "avx",
            Kernel::Sse => "sse",
        }
    }

    /// The kernel named `name` (as [`Kernel::name`] prints it), any letter case.
    pub fn parse(name: &str) -> Option<Kernel> {
        Kernel::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(name))
    }

    /// The kernel RediSearch picks on this machine's CPU (VecSim's dispatch: AVX-512F, AVX, SSE).
    #[cfg(target_arch = "x86_64")]
    pub fn of_this_cpu() -> Kernel {
        if std::arch::is_x86_feature_detected!("avx512f") {
            Kernel::Avx512
        } else if std::arch::is_x86_feature_detected!("avx") {
            Kernel::Avx
        } else {
            Kernel::Sse
        }
    }
}

/// A reported FLOAT32 distance as VecSim's `kernel` computes it, operation for operation.
///
/// Below 16 dimensions every kernel is VecSim's plain loop. From 16 on, each kernel first puts
/// the `dim % 16` leading components into its lanes and then adds blocks of lane-width products:
/// - AVX-512: the residual multiplied into lanes `0..r`, then blocks of 16 fused multiply-added
///   (the product is exact in f64, so `p * q + lane` rounded once to f32 is the FMA), then
///   `_mm512_reduce_add_ps`: halves, quarters, pairs.
/// - AVX: the first `r % 8` multiplied into lanes `0..r % 8`, then blocks of 8, each product
///   rounded before it is added; lanes summed from 0 to 7.
/// - SSE: the first `r % 4` loaded into the lanes its loads fill (see [`sse_residual`]), then
///   blocks of 4 as AVX; lanes summed from 0 to 3.
///
/// The arithmetic is plain f32 (and f64 for the FMA), so the result is the same on every CPU
/// and in the browser.
pub fn vecsim_f32(kernel: Kernel, metric: Metric, a: &[f32], b: &[f32]) -> f32 {
    let dim = a.len().min(b.len());
    let (a, b) = (&a[..dim], &b[..dim]);
    let l2 = metric == Metric::L2;
    // The two factors of a component's term: (a - b, a - b) for L2, (a, b) for inner products.
    let factors = |x: f32, y: f32| if l2 { (x - y, x - y) } else { (x, y) };
    let term = |i: usize| {
        let (p, q) = factors(a[i], b[i]);
        p * q
    };
    let sum = if dim < 16 {
        (0..dim).fold(0.0f32, |acc, i| acc + term(i))
    } else {
        let residual = dim % 16;
        match kernel {
            Kernel::Avx512 => {
                let mut lanes = [0.0f32; 16];
                for (i, lane) in lanes.iter_mut().enumerate().take(residual) {
                    *lane = term(i);
                }
                for (i, (&x, &y)) in a.iter().zip(b).enumerate().skip(residual) {
                    let (p, q) = factors(x, y);
                    let lane = &mut lanes[(i - residual) % 16];
                    *lane = (f64::from(p) * f64::from(q) + f64::from(*lane)) as f32;
                }
                let mut width = 8;
                while width > 0 {
                    for j in 0..width {
                        lanes[j] += lanes[j + width];
                    }
                    width /= 2;
                }
                lanes[0]
            }
            Kernel::Avx => {
                let mut lanes = [0.0f32; 8];
                let head = residual % 8;
                for (i, lane) in lanes.iter_mut().enumerate().take(head) {
                    *lane = term(i);
                }
                for i in head..dim {
                    lanes[(i - head) % 8] += term(i);
                }
                lanes.iter().fold(0.0f32, |acc, &x| acc + x)
            }
            Kernel::Sse => {
                let head = residual % 4;
                let mut lanes = sse_residual(head, l2, &term);
                for i in head..dim {
                    lanes[(i - head) % 4] += term(i);
                }
                lanes.iter().fold(0.0f32, |acc, &x| acc + x)
            }
        }
    };
    if l2 {
        sum
    } else {
        1.0 - sum
    }
}

/// The lanes VecSim's SSE kernels start from for the first `head` (1-3) components: its partial
/// loads place them unevenly. Inner product: `_mm_load_ss` fills lane 0 and `_mm_loadh_pi` lanes
/// 2-3, so 1 -> [t0, 0, 0, 0], 2 -> [0, 0, t0, t1], 3 -> [t0, 0, t1, t2]. L2 with 3 loads four
/// components reversed and zeroes lane 0's difference with `_mm_move_ss`: [0, t2, t1, t0].
fn sse_residual(head: usize, l2: bool, term: &impl Fn(usize) -> f32) -> [f32; 4] {
    match (head, l2) {
        (1, _) => [term(0), 0.0, 0.0, 0.0],
        (2, _) => [0.0, 0.0, term(0), term(1)],
        (3, false) => [term(0), 0.0, term(1), term(2)],
        (3, true) => [0.0, term(2), term(1), term(0)],
        _ => [0.0; 4],
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
        let ours = f64::from(vecsim_f32(Kernel::Avx512, Metric::Ip, &a, &b));
        assert!((ours - (1.0 - exact)).abs() < 1e-6);
        // Below 16 components the plain loop for every kernel, identical to the search distance.
        for kernel in Kernel::ALL {
            assert_eq!(
                f64::from(vecsim_f32(kernel, Metric::L2, &a[..5], &b[..5])),
                f32::distance(Metric::L2, &a[..5], &b[..5])
            );
        }
    }
}
