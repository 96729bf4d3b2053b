//! Precision against hit rate as the similarity threshold moves: the trade-off a semantic cache
//! is tuned on.
//!
//! Every question asked is a point: the similarity of its nearest cached prompt. Whether that
//! nearest answer would be right for the question is a judgement, made by the learner (or by the
//! lab for its own starter paraphrases and unrelated questions) for hits and misses alike: a miss
//! whose nearest answer was wrong is what keeps precision up when the threshold drops below it.
//! Unjudged questions count towards the hit rate (it needs no judgement) but not towards
//! precision, which is measured on judged hits only.

/// The nearest cached prompt's similarity for one question, and whether its answer fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    pub similarity: f32,
    /// `Some(true)`: the nearest cached answer is right for this question; `Some(false)`: it is
    /// not; `None`: nobody has said.
    pub correct: Option<bool>,
}

/// One point of the curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub threshold: f32,
    /// Share of all questions that would be answered from the cache.
    pub hit_rate: f32,
    /// Share of the judged hits whose answer is right; `None` when no hit is judged.
    pub precision: Option<f32>,
    /// How many hits at this threshold are judged (the sample behind `precision`).
    pub judged_hits: usize,
}

/// Hit rate and precision at each threshold.
pub fn curve(judgements: &[Judgement], thresholds: &[f32]) -> Vec<CurvePoint> {
    thresholds
        .iter()
        .map(|&t| {
            let hits = || judgements.iter().filter(|j| j.similarity >= t);
            let judged_hits = hits().filter(|j| j.correct.is_some()).count();
            let right = hits().filter(|j| j.correct == Some(true)).count();
            CurvePoint {
                threshold: t,
                hit_rate: if judgements.is_empty() {
                    0.0
                } else {
                    hits().count() as f32 / judgements.len() as f32
                },
                precision: (judged_hits > 0).then(|| right as f32 / judged_hits as f32),
                judged_hits,
            }
        })
        .collect()
}
