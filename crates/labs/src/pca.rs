//! A 2-D map of embeddings: the two principal components, found by power iteration (no linear
//! algebra crate needed for two vectors), with a deterministic start so the map does not jump.

/// A fitted projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    mean: Vec<f32>,
    axes: [Vec<f32>; 2],
}

impl Projection {
    /// Fit on `points` (all the same length). Fewer than two points give a degenerate but valid map.
    pub fn fit(points: &[Vec<f32>]) -> Projection {
        let dims = points.first().map_or(0, Vec::len);
        let mut mean = vec![0.0f32; dims];
        for p in points {
            for (m, x) in mean.iter_mut().zip(p) {
                *m += x;
            }
        }
        if !points.is_empty() {
            mean.iter_mut().for_each(|m| *m /= points.len() as f32);
        }
        let centred: Vec<Vec<f32>> =
            points.iter().map(|p| p.iter().zip(&mean).map(|(x, m)| x - m).collect()).collect();
        let first = principal_axis(&centred, dims, None);
        let second = principal_axis(&centred, dims, Some(&first));
        Projection { mean, axes: [first, second] }
    }

    /// Coordinates of `v` on the map.
    pub fn project(&self, v: &[f32]) -> (f32, f32) {
        let centred: Vec<f32> = v.iter().zip(&self.mean).map(|(x, m)| x - m).collect();
        (dot(&centred, &self.axes[0]), dot(&centred, &self.axes[1]))
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Top eigenvector of the covariance (orthogonal to `skip` if given), by power iteration.
fn principal_axis(rows: &[Vec<f32>], dims: usize, skip: Option<&[f32]>) -> Vec<f32> {
    let mut v: Vec<f32> = (0..dims).map(|i| 1.0 / (1.0 + i as f32)).collect();
    for _ in 0..100 {
        let mut next = vec![0.0f32; dims];
        for row in rows {
            let w = dot(row, &v);
            for (n, x) in next.iter_mut().zip(row) {
                *n += w * x;
            }
        }
        if let Some(skip) = skip {
            let along = dot(&next, skip);
            for (n, s) in next.iter_mut().zip(skip) {
                *n -= along * s;
            }
        }
        let norm = dot(&next, &next).sqrt();
        if norm < 1e-12 {
            break;
        }
        next.iter_mut().for_each(|x| *x /= norm);
        v = next;
    }
    v
}
