//! The engine's model of VecSim's FLOAT32 kernels (`search::vector::vecsim_f32`) against the same
//! kernels written with x86 intrinsics (`tests/vecsim/reference.c`, built here with the system C
//! compiler), bit for bit, for every residual `dim % 16` and both metrics.
//!
//! The differential tests can only check the kernel the oracle's CPU picks; this checks all of
//! them on one machine: AVX and SSE run on any x86-64 CPU with AVX, AVX-512 where the CPU has it.

#![cfg(target_arch = "x86_64")]

use playground_engine::search::vector::{vecsim_f32, Metric};
use playground_engine::Kernel;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn reference_binary() -> PathBuf {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vecsim/reference.c");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vecsim-reference");
    // No FMA contraction: VecSim's AVX and SSE kernels multiply and add in two roundings.
    let status = Command::new("cc")
        .args(["-O2", "-ffp-contract=off", "-o"])
        .arg(&out)
        .arg(&source)
        .status()
        .expect("a C compiler (`cc`) builds the reference kernels");
    assert!(status.success(), "cc failed on {}", source.display());
    out
}

/// Pseudo-random components with a spread of magnitudes, so sums round differently by order.
fn components(seed: u64, dim: usize) -> Vec<f32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..dim)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
            unit * [1.0, 0.01, 30.0, 0.3][(x & 3) as usize]
        })
        .collect()
}

#[test]
fn every_kernel_sums_as_the_intrinsics_do() {
    let kernels: Vec<Kernel> = Kernel::ALL
        .into_iter()
        .filter(|&k| k != Kernel::Avx512 || std::arch::is_x86_feature_detected!("avx512f"))
        .filter(|&k| k != Kernel::Avx || std::arch::is_x86_feature_detected!("avx"))
        .collect();
    let mut cases = Vec::new();
    let dims = (1..=80).chain([127, 128, 129, 384, 768, 1536]);
    for (n, dim) in dims.enumerate() {
        for seed in 0..4 {
            let a = components(n as u64 * 31 + seed, dim);
            let b = components(n as u64 * 31 + seed + 7777, dim);
            for &kernel in &kernels {
                for metric in [Metric::Ip, Metric::L2] {
                    cases.push((kernel, metric, a.clone(), b.clone()));
                }
            }
        }
    }
    let mut input = String::new();
    for (kernel, metric, a, b) in &cases {
        let k = Kernel::ALL.iter().position(|x| x == kernel).unwrap();
        let m = usize::from(*metric == Metric::L2);
        input.push_str(&format!("{k} {m} {}", a.len()));
        for x in a.iter().chain(b) {
            input.push_str(&format!(" {:08x}", x.to_bits()));
        }
        input.push('\n');
    }
    let mut child = Command::new(reference_binary())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the reference kernels");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let theirs: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(theirs.len(), cases.len());
    let mut differ_by_kernel = 0;
    for ((kernel, metric, a, b), expected) in cases.iter().zip(theirs) {
        let ours = vecsim_f32(*kernel, *metric, a, b);
        assert_eq!(
            format!("{:08x}", ours.to_bits()),
            expected,
            "{kernel:?} {metric:?} dim {}: ours {ours}, intrinsics {}",
            a.len(),
            f32::from_bits(u32::from_str_radix(expected, 16).unwrap())
        );
        if Kernel::ALL.iter().any(|&k| vecsim_f32(k, *metric, a, b) != ours) {
            differ_by_kernel += 1;
        }
    }
    // The cases must be able to tell the kernels apart, or this test would prove nothing.
    assert!(
        differ_by_kernel > cases.len() / 4,
        "only {differ_by_kernel} of {} cases differ by kernel",
        cases.len()
    );
}

/// The kernels differ only in the order of a sum of `dim` f32 terms. Each term is within half an
/// ulp of its exact product and every partial sum adds at most one more rounding, so any two
/// orders differ by at most about `2 * dim * 2^-24 * sum(|terms|)` (Higham's bound for recursive
/// summation, twice). A wrong metric is far outside: COSINE over unnormalised vectors, L2 taken
/// as the root, IP without the `1 -`.
#[test]
fn kernels_agree_within_the_rounding_bound_and_not_closer_to_a_wrong_metric() {
    for dim in [16, 17, 19, 31, 128, 384, 1536] {
        let a = components(dim as u64, dim);
        let b = components(dim as u64 + 99, dim);
        let magnitude: f64 = a.iter().zip(&b).map(|(x, y)| (f64::from(*x) * f64::from(*y)).abs()).sum();
        let bound = 2.0 * dim as f64 * f64::from(f32::EPSILON) / 2.0 * magnitude + f64::from(f32::EPSILON);
        let ip: Vec<f64> =
            Kernel::ALL.iter().map(|&k| f64::from(vecsim_f32(k, Metric::Ip, &a, &b))).collect();
        let exact: f64 = 1.0 - a.iter().zip(&b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum::<f64>();
        for d in &ip {
            assert!((d - exact).abs() <= bound, "dim {dim}: {d} vs exact {exact} (bound {bound})");
        }
        let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
        let cosine_of_raw = 1.0 - (1.0 - exact) / (norm(&a) * norm(&b));
        assert!(
            (cosine_of_raw - exact).abs() > 100.0 * bound,
            "dim {dim}: the bound must tell metrics apart"
        );
    }
}
