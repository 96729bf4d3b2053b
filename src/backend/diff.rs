//! The compare mode's diff: the same line ran on the in-page engine and on the real server,
//! and the two replies' RESP bytes are compared byte for byte. The differing middle (after the
//! common prefix, before the common suffix) is what the console highlights.

use playground_engine::Frame;

/// Where two byte strings differ: `a[prefix..a_end]` against `b[prefix..b_end]`; everything
/// before `prefix` and after the ends is the same in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffSpan {
    pub prefix: usize,
    pub a_end: usize,
    pub b_end: usize,
}

/// `None` when the replies are identical.
pub fn diff_span(a: &[u8], b: &[u8]) -> Option<DiffSpan> {
    if a == b {
        return None;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a.iter().rev().zip(b.iter().rev()).take(room).take_while(|(x, y)| x == y).count();
    Some(DiffSpan { prefix, a_end: a.len() - suffix, b_end: b.len() - suffix })
}

/// Bytes escaped for display as in the console's bytes view (`\r\n` shown, line broken after).
pub fn escape_wire(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => {
                out.push_str("\\n");
                // Break the line after a CRLF so each RESP line is its own row.
                if i > 0 && bytes.get(i - 1) == Some(&b'\r') {
                    out.push('\n');
                }
            }
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

/// One side of a comparison cut into (same, different, same) escaped texts for drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub before: String,
    pub differs: String,
    pub after: String,
}

/// Both sides marked; `None` for identical replies.
pub fn mark(a: &[u8], b: &[u8]) -> Option<(Marked, Marked)> {
    let span = diff_span(a, b)?;
    let cut = |bytes: &[u8], end: usize| Marked {
        before: escape_wire(bytes.get(..span.prefix).unwrap_or_default()),
        differs: escape_wire(bytes.get(span.prefix..end).unwrap_or_default()),
        after: escape_wire(bytes.get(end..).unwrap_or_default()),
    };
    Some((cut(a, span.a_end), cut(b, span.b_end)))
}

/// Both replies of a compared line, for the console entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub same: bool,
    /// The replies differ only in the last digits of scores (see [`only_summation_order`]).
    pub scores_only: bool,
    /// The in-page engine's reply, marked where it differs.
    pub local: Marked,
    /// The real server's reply, marked where it differs.
    pub remote: Marked,
}

pub fn compare(local: &[u8], remote: &[u8]) -> Comparison {
    match mark(local, remote) {
        Some((marked_local, marked_remote)) => Comparison {
            same: false,
            scores_only: only_summation_order(local, remote),
            local: marked_local,
            remote: marked_remote,
        },
        None => {
            let whole = Marked { before: escape_wire(local), differs: String::new(), after: String::new() };
            Comparison { same: true, scores_only: false, local: whole.clone(), remote: whole }
        }
    }
}

/// Why two KNN replies can differ in their last digits: RediSearch sums a FLOAT32 distance's
/// terms in the order of the kernel its server's CPU supports (AVX-512, AVX or SSE), while the
/// in-page engine always sums as AVX-512 does (`playground_engine::Kernel`).
pub const SUMMATION_ORDER_NOTE: &str = "The scores differ only in their last digits. RediSearch adds a \
     distance's terms in the order of the vector kernel its server's CPU supports (AVX-512, AVX or \
     SSE), and floating-point sums depend on that order; the in-browser engine always adds them as \
     AVX-512 does, so another CPU prints slightly different digits for the same vectors.";

/// True when the two RESP replies have the same shape and every difference is a number printed
/// in a bulk string (a KNN score) that agrees within f32 summation error: the rounding of an
/// n-term f32 sum in any order stays within about `n * 2^-24` of the terms' magnitude, which for
/// embeddings up to a few thousand dimensions (unit vectors: magnitude about 1) is below
/// `1e-4 * max(1, |score|)`. A wrong metric or another document is far outside that.
pub fn only_summation_order(local: &[u8], remote: &[u8]) -> bool {
    use playground_engine::resp::{parse_frame, Limits};
    let parse = |raw: &[u8]| match parse_frame(raw, &Limits::default()) {
        Ok(Some((frame, used))) if used == raw.len() => Some(frame),
        _ => None,
    };
    let (Some(a), Some(b)) = (parse(local), parse(remote)) else { return false };
    let mut differing = 0;
    same_but_scores(&a, &b, &mut differing) && differing > 0
}

fn same_but_scores(a: &Frame, b: &Frame, differing: &mut usize) -> bool {
    let all = |xs: &[Frame], ys: &[Frame], differing: &mut usize| {
        xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_but_scores(x, y, differing))
    };
    match (a, b) {
        (Frame::Bulk(x), Frame::Bulk(y)) if x != y => {
            let number = |s: &[u8]| {
                playground_engine::decimal::parse_f64(std::str::from_utf8(s).ok()?).filter(|v| v.is_finite())
            };
            match (number(x), number(y)) {
                (Some(x), Some(y)) if (x - y).abs() <= 1e-4 * x.abs().max(y.abs()).max(1.0) => {
                    *differing += 1;
                    true
                }
                _ => false,
            }
        }
        (Frame::Array(xs), Frame::Array(ys))
        | (Frame::Set(xs), Frame::Set(ys))
        | (Frame::Push(xs), Frame::Push(ys)) => all(xs, ys, differing),
        (Frame::Map(xs), Frame::Map(ys)) => {
            xs.len() == ys.len()
                && xs.iter().zip(ys).all(|((k1, v1), (k2, v2))| {
                    same_but_scores(k1, k2, differing) && same_but_scores(v1, v2, differing)
                })
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_replies_have_no_diff() {
        assert_eq!(diff_span(b"+OK\r\n", b"+OK\r\n"), None);
        assert_eq!(mark(b"", b""), None);
    }

    #[test]
    fn the_middle_that_differs_is_found() {
        let span = diff_span(b":10\r\n", b":12\r\n");
        assert_eq!(span, Some(DiffSpan { prefix: 2, a_end: 3, b_end: 3 }));
        let (a, b) = mark(b"$3\r\nabc\r\n", b"$4\r\nabcd\r\n").unwrap_or_else(|| unreachable!());
        assert_eq!((a.before.as_str(), a.differs.as_str()), ("$", "3\\r\\n\nabc"));
        assert_eq!((b.before.as_str(), b.differs.as_str()), ("$", "4\\r\\n\nabcd"));
        assert_eq!(a.after, "\\r\\n\n");
    }

    #[test]
    fn one_side_a_prefix_of_the_other() {
        assert_eq!(diff_span(b"*1\r\n", b"*1\r\n:1\r\n"), Some(DiffSpan { prefix: 4, a_end: 4, b_end: 8 }));
        assert_eq!(diff_span(b"aXa", b"aa"), Some(DiffSpan { prefix: 1, a_end: 2, b_end: 1 }));
    }

    #[test]
    fn comparisons_keep_both_sides() {
        let c = compare(b":1\r\n", b":1\r\n");
        assert!(c.same && c.local.before == ":1\\r\\n\n" && c.remote.differs.is_empty());
        let c = compare(b"-ERR unknown command 'FT.SEARCH'\r\n", b"*0\r\n");
        assert!(!c.same);
        assert_eq!(c.remote.differs, "*0");
    }

    /// A KNN reply with one document and its score, as RediSearch sends it in RESP2.
    fn knn_reply(key: &str, score: f32) -> Vec<u8> {
        let score = playground_engine::search::commands::format_score(f64::from(score));
        format!("*3\r\n:1\r\n${}\r\n{key}\r\n*2\r\n$5\r\nscore\r\n${}\r\n{score}\r\n", key.len(), score.len())
            .into_bytes()
    }

    fn unit(seed: u32, dim: usize) -> Vec<f32> {
        let v: Vec<f32> = (0..dim).map(|i| ((i as f32 + 1.0) * (seed as f32 + 0.37)).sin()).collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / norm).collect()
    }

    #[test]
    fn scores_that_differ_by_kernel_order_are_told_apart_from_real_differences() {
        use playground_engine::search::vector::{vecsim_f32, Metric};
        use playground_engine::Kernel;
        // The first pair of 1,536-d unit vectors whose distance differs by kernel.
        let (a, b, avx512, avx) = (1..100)
            .map(|seed| (unit(seed, 1536), unit(seed + 100, 1536)))
            .map(|(a, b)| {
                let (x, y) = (
                    vecsim_f32(Kernel::Avx512, Metric::Cosine, &a, &b),
                    vecsim_f32(Kernel::Avx, Metric::Cosine, &a, &b),
                );
                (a, b, x, y)
            })
            .find(|(.., x, y)| x != y)
            .expect("kernels differ for some pair");
        let c = compare(&knn_reply("cache:1", avx512), &knn_reply("cache:1", avx));
        assert!(!c.same && c.scores_only);
        // Another document, or a score from unnormalised vectors, is a real difference.
        assert!(!compare(&knn_reply("cache:1", avx512), &knn_reply("cache:2", avx)).scores_only);
        let raw: Vec<f32> = a.iter().map(|x| x * 3.0).collect();
        let wrong = vecsim_f32(Kernel::Avx, Metric::Cosine, &raw, &b);
        assert!(!compare(&knn_reply("cache:1", avx512), &knn_reply("cache:1", wrong)).scores_only);
        // Identical replies and non-numeric differences are not "scores only".
        assert!(!compare(&knn_reply("cache:1", avx512), &knn_reply("cache:1", avx512)).scores_only);
        assert!(!compare(b"$3\r\nabc\r\n", b"$3\r\nabd\r\n").scores_only);
    }

    #[test]
    fn binary_bytes_are_escaped() {
        assert_eq!(escape_wire(b"\x00\xff\\"), "\\x00\\xff\\\\");
    }
}
