//! Precision against hit rate as the similarity threshold moves: the trade-off a semantic cache
//! is tuned on. A learner marks hits as right or wrong; each mark is a judgement.

/// The nearest cached prompt's similarity for one query, and whether its answer was right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    pub similarity: f32,
    pub correct: bool,
}

/// One point of the curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub threshold: f32,
    /// Share of queries answered from the cache.
    pub hit_rate: f32,
    /// Share of those answers that were right (1 when there are no hits).
    pub precision: f32,
}

/// Hit rate and precision at each threshold.
pub fn curve(judgements: &[Judgement], thresholds: &[f32]) -> Vec<CurvePoint> {
    thresholds
        .iter()
        .map(|&t| {
            let hits: Vec<&Judgement> = judgements.iter().filter(|j| j.similarity >= t).collect();
            let right = hits.iter().filter(|j| j.correct).count();
            CurvePoint {
                threshold: t,
                hit_rate: if judgements.is_empty() {
                    0.0
                } else {
                    hits.len() as f32 / judgements.len() as f32
                },
                precision: if hits.is_empty() { 1.0 } else { right as f32 / hits.len() as f32 },
            }
        })
        .collect()
}
