//! The clustered vectors the recall test and `examples/vector_bench.rs` share (the example
//! includes this file by path), so the benchmark's recall figures are about the same data the
//! test asserts on.

/// Dimensions of every vector.
pub const DIM: usize = 384;

/// Clustered data with low intrinsic dimension, like real embeddings: 20 random centres, each
/// with 8 random directions; a point is its centre plus a random mix of those directions plus a
/// little noise (xorshift, fixed seed). `dataset(n, seed)` draws the same clusters for any `n`,
/// with points depending on `salt`.
pub fn dataset(n: usize, salt: u64) -> Vec<Vec<f32>> {
    let mut x: u64 = 42;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let centres: Vec<Vec<f32>> = (0..20).map(|_| (0..DIM).map(|_| next()).collect()).collect();
    let dirs: Vec<Vec<Vec<f32>>> =
        (0..20).map(|_| (0..8).map(|_| (0..DIM).map(|_| next()).collect()).collect()).collect();
    for _ in 0..salt * 1000 {
        next();
    }
    (0..n)
        .map(|i| {
            let c = i % 20;
            let mix: Vec<f32> = (0..8).map(|_| next()).collect();
            (0..DIM)
                .map(|d| {
                    let local: f32 = (0..8).map(|j| mix[j] * dirs[c][j][d]).sum();
                    centres[c][d] + local + 0.02 * next()
                })
                .collect()
        })
        .collect()
}
