//! Where a chart's point labels go so that none overlaps another or runs off the chart: each
//! label tries the right of its point, then the left, then the same two a line above and below;
//! a label with no free place is left out (its point keeps its tooltip).

/// A label's box on the chart, in the chart's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Where the text starts (`anchor_end` false) or ends (true).
    pub x: f32,
    /// The text's baseline.
    pub y: f32,
    /// True when the text sits left of its point (SVG `text-anchor="end"`).
    pub anchor_end: bool,
}

/// The chart and its text, in the chart's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub width: f32,
    pub height: f32,
    /// Average advance of one character.
    pub char_width: f32,
    pub line_height: f32,
    /// Space between a point and its label.
    pub gap: f32,
}

#[derive(Clone, Copy)]
struct Rect {
    left: f32,
    top: f32,
    right: f32,
    bottom: f32,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.left < o.right && o.left < self.right && self.top < o.bottom && o.top < self.bottom
    }
}

/// A place for each `(x, y, characters)` label, in order (earlier labels get the first pick).
pub fn place(points: &[(f32, f32, usize)], layout: Layout) -> Vec<Option<Placed>> {
    let mut taken: Vec<Rect> = Vec::with_capacity(points.len());
    points
        .iter()
        .map(|&(px, py, chars)| {
            let w = chars as f32 * layout.char_width;
            let h = layout.line_height;
            // The baseline sits a third of a line below the point's centre on its own line.
            let candidates = [0.0, -h, h].into_iter().flat_map(|dy| {
                [(false, dy), (true, dy)].into_iter().map(move |(end, dy)| {
                    let x = if end { px - layout.gap } else { px + layout.gap };
                    let y = py + h / 3.0 + dy;
                    let left = if end { x - w } else { x };
                    (
                        Placed { x, y, anchor_end: end },
                        Rect { left, top: y - h * 0.8, right: left + w, bottom: y + h * 0.2 },
                    )
                })
            });
            let mut pick = None;
            for (placed, rect) in candidates {
                let inside = rect.left >= 0.0
                    && rect.right <= layout.width
                    && rect.top >= 0.0
                    && rect.bottom <= layout.height;
                if inside && !taken.iter().any(|t| t.overlaps(&rect)) {
                    taken.push(rect);
                    pick = Some(placed);
                    break;
                }
            }
            pick
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: Layout =
        Layout { width: 400.0, height: 240.0, char_width: 5.0, line_height: 11.0, gap: 6.0 };

    fn rect(p: &Placed, chars: usize) -> Rect {
        let w = chars as f32 * CHART.char_width;
        let left = if p.anchor_end { p.x - w } else { p.x };
        Rect { left, top: p.y - 11.0 * 0.8, right: left + w, bottom: p.y + 11.0 * 0.2 }
    }

    #[test]
    fn a_label_near_the_right_edge_goes_left_of_its_point() {
        let placed = place(&[(380.0, 100.0, 20)], CHART);
        let p = placed[0].expect("placed");
        assert!(p.anchor_end && p.x < 380.0, "{p:?}");
        assert!(rect(&p, 20).left >= 0.0);
    }

    #[test]
    fn close_points_get_labels_that_do_not_overlap_or_none() {
        let points: Vec<(f32, f32, usize)> =
            (0..12).map(|i| (100.0 + (i % 3) as f32, 100.0 + (i / 3) as f32 * 2.0, 24)).collect();
        let placed = place(&points, CHART);
        let shown: Vec<Rect> =
            placed.iter().zip(&points).filter_map(|(p, pt)| p.map(|p| rect(&p, pt.2))).collect();
        assert!(shown.len() >= 2, "some labels shown");
        assert!(shown.len() < points.len(), "not all twelve fit around one spot");
        for (i, a) in shown.iter().enumerate() {
            assert!(a.left >= 0.0 && a.right <= CHART.width && a.top >= 0.0 && a.bottom <= CHART.height);
            for b in &shown[i + 1..] {
                assert!(!a.overlaps(b), "labels overlap");
            }
        }
    }

    #[test]
    fn points_far_apart_all_get_their_label_on_the_right() {
        let placed = place(&[(20.0, 20.0, 10), (200.0, 120.0, 10), (40.0, 220.0, 10)], CHART);
        assert!(placed.iter().all(|p| p.is_some_and(|p| !p.anchor_end)), "{placed:?}");
    }
}
