//! GEOSHAPE values as RediSearch 2.10 keeps them: WKT points and polygons read the way
//! Boost.Geometry's `read_wkt` reads them (its tokens and error texts), put right by `correct`
//! (rings closed, the outer ring clockwise, holes counter-clockwise), refused by `is_valid` for
//! the reasons it gives, and compared by the four predicates of `@f:[WITHIN|CONTAINS|INTERSECTS|
//! DISJOINT $wkt]`. FLAT edges are straight lines in (x, y); SPHERICAL ones are great circles,
//! which RediSearch's geodesics on the WGS84 ellipsoid follow to within metres: only a point
//! that close to a long edge at a high latitude can fall on the other side of it here, and a
//! self-intersection's reported point is the plane's.

use super::commands::format_g;

pub type Pt = (f64, f64);

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Point(Pt),
    /// The outer ring, then the holes; each closed (last point = first).
    Polygon(Vec<Vec<Pt>>),
}

/// A query's predicate, numbered as RediSearch's `QueryType` (FT.EXPLAIN prints the number).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Contains = 1,
    Within = 2,
    Disjoint = 3,
    Intersects = 4,
}

impl Op {
    pub fn parse(word: &str) -> Option<Op> {
        Some(match word.to_ascii_uppercase().as_str() {
            "CONTAINS" => Op::Contains,
            "WITHIN" => Op::Within,
            "DISJOINT" => Op::Disjoint,
            "INTERSECTS" => Op::Intersects,
            _ => return None,
        })
    }

    /// Does a document's shape answer the query's, in a FLAT (`flat`) or SPHERICAL field?
    pub fn test(self, doc: &Shape, query: &Shape, flat: bool) -> bool {
        let sp = Space { flat };
        match self {
            Op::Within => within(doc, query, sp),
            Op::Contains => within(query, doc, sp),
            Op::Intersects => intersects(doc, query, sp),
            Op::Disjoint => !intersects(doc, query, sp),
        }
    }
}

/// Boost's tokens: split at spaces (dropped) and at `,` `(` `)` (kept).
fn tokens(s: &str) -> Vec<&str> {
    let (mut out, mut start) = (Vec::new(), None);
    for (i, c) in s.char_indices() {
        if matches!(c, ' ' | ',' | '(' | ')') {
            if let Some(st) = start.take() {
                out.push(&s[st..i]);
            }
            if c != ' ' {
                out.push(&s[i..i + 1]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

struct Reader<'a> {
    wkt: &'a str,
    toks: Vec<&'a str>,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.at).copied()
    }
    /// `read_wkt_exception`: the message, the token it stopped at, and the text's first 100 bytes.
    fn fail(&self, msg: &str) -> String {
        let near = self.peek().map(|t| format!(" at '{t}'")).unwrap_or_default();
        format!("{msg}{near} in '{}'", head(self.wkt))
    }
    fn open(&mut self) -> Result<(), String> {
        if self.peek() != Some("(") {
            return Err(self.fail("Expected '('"));
        }
        self.at += 1;
        Ok(())
    }
    fn close(&mut self) -> Result<(), String> {
        if self.peek() != Some(")") {
            return Err(self.fail("Expected ')'"));
        }
        self.at += 1;
        Ok(())
    }
    /// A point's two coordinates; one missing (at `,` `)` or the end) is 0, as Boost's.
    fn point(&mut self) -> Result<Pt, String> {
        let mut xy = [0.0; 2];
        for v in &mut xy {
            match self.peek() {
                None | Some(",") | Some(")") => {}
                Some(t) => {
                    *v = number(t).ok_or_else(|| {
                        self.fail("bad lexical cast: source type value could not be interpreted as target")
                    })?;
                    self.at += 1;
                }
            }
        }
        Ok((xy[0], xy[1]))
    }
    /// `(x y, x y, ...)`.
    fn ring(&mut self) -> Result<Vec<Pt>, String> {
        self.open()?;
        let mut ring = Vec::new();
        while self.peek().is_some_and(|t| t != ")") {
            ring.push(self.point()?);
            if self.peek() == Some(",") {
                self.at += 1;
            }
        }
        self.close()?;
        Ok(ring)
    }
}

fn head(wkt: &str) -> &str {
    let mut end = wkt.len().min(100);
    while !wkt.is_char_boundary(end) {
        end -= 1;
    }
    &wkt[..end]
}

/// `boost::lexical_cast<double>`: a whole decimal number, `inf` or `nan` (the engine's own
/// decimal reader, not core's, whose tables would weigh on the page).
fn number(t: &str) -> Option<f64> {
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let ok = body.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'+' || c == b'-');
    if !ok || body.is_empty() || body.bytes().any(|c| matches!(c, b'x' | b'X' | b'p' | b'P')) {
        return None;
    }
    if body.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    crate::float::parse_double(t.as_bytes())
}

/// RediSearch's `from_wkt`: `POI...` as a point, `POL...` as a polygon (corrected), anything
/// else unknown; then Boost's validity check.
pub fn from_wkt(raw: &[u8], flat: bool) -> Result<Shape, String> {
    let wkt = String::from_utf8_lossy(raw);
    let wkt = wkt.as_ref();
    let (name, polygon) = if wkt.starts_with("POI") {
        ("POINT", false)
    } else if wkt.starts_with("POL") {
        ("POLYGON", true)
    } else {
        return Err("unknown geometry type".into());
    };
    let mut r = Reader { wkt, toks: tokens(wkt), at: 0 };
    if !r.peek().is_some_and(|t| t.eq_ignore_ascii_case(name)) {
        return Err(format!("Should start with '{name}'' in ({})", head(wkt)));
    }
    r.at += 1;
    let mut empty = false;
    match r.peek().map(str::to_ascii_uppercase).as_deref() {
        Some("EMPTY") => empty = true,
        Some("Z" | "ZM") => {
            return Err(format!("Z only allowed for 3 or more dimensions' in ({})", head(wkt)))
        }
        Some("M") => {}
        _ => r.at -= 1,
    }
    r.at += 1;
    let shape = if polygon {
        let mut rings = Vec::new();
        if !empty {
            r.open()?;
            while r.peek().is_some_and(|t| t != ")") {
                rings.push(r.ring()?);
                if r.peek() == Some(",") {
                    r.at += 1;
                }
            }
            r.close()?;
        }
        if rings.is_empty() {
            rings.push(Vec::new());
        }
        correct(&mut rings);
        Shape::Polygon(rings)
    } else if empty {
        Shape::Point((0.0, 0.0))
    } else {
        r.open()?;
        let p = r.point()?;
        r.close()?;
        Shape::Point(p)
    };
    if r.peek().is_some() {
        return Err(r.fail("Too many tokens"));
    }
    valid(&shape, flat).map_err(|why| format!("invalid geometry: {why}"))?;
    Ok(shape)
}

/// Twice the ring's area, positive when clockwise (Boost's sign for an outer ring).
fn area(ring: &[Pt]) -> f64 {
    ring.windows(2).map(|w| (w[0].0 + w[1].0) * (w[0].1 - w[1].1)).sum()
}

/// `bg::correct`: close each ring of three or more points, turn the outer ring clockwise and the
/// holes counter-clockwise.
fn correct(rings: &mut [Vec<Pt>]) {
    for (i, ring) in rings.iter_mut().enumerate() {
        if ring.len() > 2 && ring.first() != ring.last() {
            ring.push(ring[0]);
        }
        let a = area(ring);
        if (i == 0 && a < 0.0) || (i > 0 && a > 0.0) {
            ring.reverse();
        }
    }
}

fn side(a: Pt, b: Pt, p: Pt) -> f64 {
    (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0)
}

/// Which side of the great circle through `a` and `b` the point `p` is (the triple product's
/// sign); 0 within a few ulps of the sine of the turn, as Boost compares azimuths with epsilon.
fn side_sphere(a: Pt, b: Pt, p: Pt) -> f64 {
    if p == a || p == b {
        return 0.0;
    }
    let v = |(lon, lat): Pt| {
        let (lon, lat) = (lon.to_radians(), lat.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    };
    let cross = |x: [f64; 3], y: [f64; 3]| {
        [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]]
    };
    let norm = |x: [f64; 3]| (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]).sqrt();
    let (a, b, p) = (v(a), v(b), v(p));
    let n = cross(a, b);
    let det = n[0] * p[0] + n[1] * p[1] + n[2] * p[2];
    if det.abs() <= 4.0 * f64::EPSILON * norm(n) * (norm(cross(a, p)) + norm(cross(b, p))) {
        return 0.0;
    }
    det
}

/// `bg::is_valid`'s checks, in its order, with its words. SPHERICAL rings turn on great
/// circles (so three points on a line in degrees are no spike there); their orientation and
/// crossings are checked as FLAT's.
fn valid(shape: &Shape, flat: bool) -> Result<(), String> {
    let finite = |p: &Pt| p.0.is_finite() && p.1.is_finite();
    let rings = match shape {
        Shape::Point(p) if finite(p) => return Ok(()),
        Shape::Point(_) => return Err("Geometry has point(s) with invalid coordinate(s)".into()),
        Shape::Polygon(rings) => rings,
    };
    if !rings.iter().flatten().all(finite) {
        return Err("Geometry has point(s) with invalid coordinate(s)".into());
    }
    for (i, ring) in rings.iter().enumerate() {
        if ring.len() < 4 {
            return Err("Geometry has too few points".into());
        }
        let mut pts: Vec<Pt> = ring[..ring.len() - 1].to_vec();
        pts.dedup();
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        if pts.len() < 3 {
            return Err("Geometry has wrong topological dimension".into());
        }
        // A spike: the ring turns straight back. Boost looks at the second point first and at
        // the first (the closing one) last.
        let n = pts.len();
        for k in (1..=n).map(|k| k % n) {
            let (prev, cur, next) = (pts[(k + n - 1) % n], pts[k], pts[(k + 1) % n]);
            let dot = (cur.0 - prev.0) * (next.0 - cur.0) + (cur.1 - prev.1) * (next.1 - cur.1);
            let turn = if flat { side(prev, cur, next) } else { side_sphere(prev, cur, next) };
            if turn == 0.0 && dot < 0.0 {
                return Err(format!(
                    "Geometry has spikes. A spike point was found with apex at ({}, {})",
                    format_g(cur.0),
                    format_g(cur.1)
                ));
            }
        }
        let a = area(ring);
        if flat && ((i == 0 && a <= 0.0) || (i > 0 && a >= 0.0)) {
            return Err("Geometry has wrong orientation".into());
        }
    }
    // Two edges that cross.
    let edges: Vec<(usize, usize, Pt, Pt)> = rings
        .iter()
        .enumerate()
        .flat_map(|(r, ring)| ring.windows(2).enumerate().map(move |(s, w)| (r, s, w[0], w[1])))
        .collect();
    for (i, &(r1, s1, a, b)) in edges.iter().enumerate() {
        for &(r2, s2, c, d) in &edges[i + 1..] {
            let sp = Space { flat };
            let (d1, d2) = (sp.side(a, b, c), sp.side(a, b, d));
            let (d3, d4) = (sp.side(c, d, a), sp.side(c, d, b));
            if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
                let t = d3 / (d3 - d4);
                let (x, y) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
                let ring = |r: usize| r as i64 - 1;
                // Boost's crossing turn: the first edge is the union's way when the second
                // comes from its left.
                let ops = if d1 > 0.0 { "u/i" } else { "i/u" };
                return Err(format!(
                    "Geometry has invalid self-intersections. A self-intersection point was found at ({}, {}); method: i; operations: {ops}; segment IDs {{source, multi, ring, segment}}: {{0, -1, {}, {s1}}}/{{0, -1, {}, {s2}}}",
                    format_g(x),
                    format_g(y),
                    ring(r1),
                    ring(r2)
                ));
            }
        }
    }
    for hole in &rings[1..] {
        if hole.iter().any(|&p| in_ring(p, &rings[0], Space { flat }) == Loc::Out) {
            return Err("Geometry has interior rings defined outside the outer boundary".into());
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Loc {
    In,
    Edge,
    Out,
}

/// Where the predicates work: FLAT's plane, or SPHERICAL's sphere, whose edges are great
/// circles (Boost's geodesics on the ellipsoid are within a hair of them).
#[derive(Debug, Clone, Copy)]
struct Space {
    flat: bool,
}

impl Space {
    fn side(self, a: Pt, b: Pt, p: Pt) -> f64 {
        if self.flat {
            side(a, b, p)
        } else {
            side_sphere(a, b, p)
        }
    }

    /// The point a fraction `t` along the edge `a`-`b` (on the great circle on the sphere).
    fn along(self, a: Pt, b: Pt, t: f64) -> Pt {
        let flat = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
        if self.flat {
            return flat;
        }
        let v = |(lon, lat): Pt| {
            let (lon, lat) = (lon.to_radians(), lat.to_radians());
            [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
        };
        let (va, vb) = (v(a), v(b));
        let m = [0, 1, 2].map(|i| va[i] + t * (vb[i] - va[i]));
        let norm = (m[0] * m[0] + m[1] * m[1] + m[2] * m[2]).sqrt();
        if norm == 0.0 {
            return flat;
        }
        // The longitude by asin (atan2 would be one more libm function in the page).
        let r = (m[0] * m[0] + m[1] * m[1]).sqrt();
        let lon = if r == 0.0 { 0.0 } else { (m[1] / r).clamp(-1.0, 1.0).asin() };
        let lon = match (m[0] < 0.0, lon < 0.0) {
            (false, _) => lon,
            (true, false) => std::f64::consts::PI - lon,
            (true, true) => -std::f64::consts::PI - lon,
        };
        (lon.to_degrees(), (m[2] / norm).asin().to_degrees())
    }

    fn on_segment(self, p: Pt, a: Pt, b: Pt) -> bool {
        self.side(a, b, p) == 0.0
            && p.0 >= a.0.min(b.0)
            && p.0 <= a.0.max(b.0)
            && p.1 >= a.1.min(b.1)
            && p.1 <= a.1.max(b.1)
    }
}

fn in_ring(p: Pt, ring: &[Pt], sp: Space) -> Loc {
    let mut inside = false;
    let mut winding = 0;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if sp.on_segment(p, a, b) {
            return Loc::Edge;
        }
        if sp.flat {
            if (a.1 > p.1) != (b.1 > p.1) && p.0 < a.0 + (p.1 - a.1) * (b.0 - a.0) / (b.1 - a.1) {
                inside = !inside;
            }
        } else if a.0 <= p.0 && p.0 < b.0 && sp.side(a, b, p) > 0.0 {
            // Edges that span the point's meridian, counted by the side the point is on.
            winding += 1;
        } else if b.0 <= p.0 && p.0 < a.0 && sp.side(a, b, p) < 0.0 {
            winding -= 1;
        }
    }
    if inside || winding != 0 {
        Loc::In
    } else {
        Loc::Out
    }
}

fn locate(p: Pt, rings: &[Vec<Pt>], sp: Space) -> Loc {
    let outer = in_ring(p, &rings[0], sp);
    if outer != Loc::In {
        return outer;
    }
    for hole in &rings[1..] {
        match in_ring(p, hole, sp) {
            Loc::In => return Loc::Out,
            Loc::Edge => return Loc::Edge,
            Loc::Out => {}
        }
    }
    Loc::In
}

fn edges(rings: &[Vec<Pt>]) -> impl Iterator<Item = (Pt, Pt)> + '_ {
    rings.iter().flat_map(|r| r.windows(2).map(|w| (w[0], w[1])))
}

/// Where segment `a`-`b` meets `c`-`d`, as fractions along `a`-`b` (both ends of an overlap).
fn meets(a: Pt, b: Pt, c: Pt, d: Pt, out: &mut Vec<f64>, sp: Space) -> bool {
    let (d1, d2) = (sp.side(a, b, c), sp.side(a, b, d));
    let (d3, d4) = (sp.side(c, d, a), sp.side(c, d, b));
    if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
        out.push(d3 / (d3 - d4));
        return true;
    }
    let along = |p: Pt| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        ((p.0 - a.0) * dx + (p.1 - a.1) * dy) / (dx * dx + dy * dy)
    };
    let mut hit = false;
    for p in [c, d] {
        if sp.on_segment(p, a, b) {
            out.push(along(p));
            hit = true;
        }
    }
    for p in [a, b] {
        if sp.on_segment(p, c, d) {
            out.push(along(p));
            hit = true;
        }
    }
    hit
}

/// The middles of the pieces that `other`'s edges cut the edge `p`-`q` into, each with a point
/// a hair to the edge's right (the polygon's inside, as `correct` turns its rings).
fn pieces(p: Pt, q: Pt, other: &[Vec<Pt>], sp: Space) -> Vec<(Pt, Pt)> {
    let mut cuts = vec![0.0, 1.0];
    for (c, d) in edges(other) {
        meets(p, q, c, d, &mut cuts, sp);
    }
    crate::order::sort_by(&mut cuts, f64::total_cmp);
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    if dx == 0.0 && dy == 0.0 {
        return Vec::new();
    }
    cuts.windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| {
            let m = sp.along(p, q, (w[0] + w[1]) / 2.0);
            let h = 1e-9 * (w[1] - w[0]);
            (m, (m.0 + h * dy, m.1 - h * dx))
        })
        .collect()
}

/// Is `a` within `b`: no point of `a` outside `b`, and their interiors meet. Nothing is within
/// a point (RediSearch's own rule).
fn within(a: &Shape, b: &Shape, sp: Space) -> bool {
    match (a, b) {
        (_, Shape::Point(_)) => false,
        (Shape::Point(p), Shape::Polygon(rings)) => locate(*p, rings, sp) == Loc::In,
        (Shape::Polygon(ra), Shape::Polygon(rb)) => {
            // Every piece of `a`'s boundary inside or along `b`, and `a`'s inside along it too;
            // no piece of `b`'s boundary (a hole's) inside `a`.
            edges(ra).all(|(p, q)| {
                pieces(p, q, rb, sp)
                    .iter()
                    .all(|&(m, inner)| locate(m, rb, sp) != Loc::Out && locate(inner, rb, sp) != Loc::Out)
            }) && edges(rb)
                .all(|(p, q)| pieces(p, q, ra, sp).iter().all(|&(m, _)| locate(m, ra, sp) != Loc::In))
        }
    }
}

fn intersects(a: &Shape, b: &Shape, sp: Space) -> bool {
    match (a, b) {
        (Shape::Point(p), Shape::Point(q)) => p == q,
        (Shape::Point(p), Shape::Polygon(rings)) | (Shape::Polygon(rings), Shape::Point(p)) => {
            locate(*p, rings, sp) != Loc::Out
        }
        (Shape::Polygon(ra), Shape::Polygon(rb)) => {
            let mut scratch = Vec::new();
            edges(ra).any(|(p, q)| edges(rb).any(|(c, d)| meets(p, q, c, d, &mut scratch, sp)))
                || locate(ra[0][0], rb, sp) != Loc::Out
                || locate(rb[0][0], ra, sp) != Loc::Out
        }
    }
}
