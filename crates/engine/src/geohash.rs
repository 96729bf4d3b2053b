//! Redis 7.4's geohash (`geohash.c`, `geohash_helper.c`), ported operation for operation so that
//! scores, decoded coordinates, the nine search boxes and distances come out bit for bit as a
//! real server computes them (GEO answers print 17 decimals of a coordinate, so a different
//! rounding anywhere would show).
//!
//! A geo set is a sorted set whose scores are 52-bit interleaved hashes of (longitude, latitude)
//! over the Web Mercator square: longitude -180..180, latitude -85.05112878..85.05112878.

use std::f64::consts::PI;

/// 26 steps of longitude and of latitude: a 52-bit score.
pub const STEP_MAX: u8 = 26;
pub const LAT_MIN: f64 = -85.05112878;
pub const LAT_MAX: f64 = 85.05112878;
pub const LONG_MIN: f64 = -180.0;
pub const LONG_MAX: f64 = 180.0;

/// Earth's quadratic mean radius for WGS-84, the radius of Redis's haversine.
const EARTH_RADIUS_IN_METERS: f64 = 6372797.560856;
const MERCATOR_MAX: f64 = 20037726.37;
const D_R: f64 = PI / 180.0;

fn deg_rad(ang: f64) -> f64 {
    ang * D_R
}

fn rad_deg(ang: f64) -> f64 {
    ang / D_R
}

/// A hash of `step` bits per coordinate (`GeoHashBits`). Zero bits and zero step is "no box".
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Hash {
    pub bits: u64,
    pub step: u8,
}

impl Hash {
    pub fn is_zero(&self) -> bool {
        self.bits == 0 && self.step == 0
    }

    /// The hash shifted to 52 bits (`geohashAlign52Bits`): the sorted-set score.
    pub fn align52(&self) -> u64 {
        self.bits << (52 - u32::from(self.step) * 2)
    }
}

/// A closed interval of degrees.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

/// The box a hash covers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Area {
    pub lon: Range,
    pub lat: Range,
}

/// The coordinate ranges of Redis's scores (`geohashGetCoordRange`).
pub const WGS84: (Range, Range) =
    (Range { min: LONG_MIN, max: LONG_MAX }, Range { min: LAT_MIN, max: LAT_MAX });

/// Interleave the low 32 bits of x (even positions) and y (odd positions).
fn interleave64(xlo: u32, ylo: u32) -> u64 {
    const B: [u64; 5] =
        [0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF];
    const S: [u32; 5] = [1, 2, 4, 8, 16];
    let (mut x, mut y) = (u64::from(xlo), u64::from(ylo));
    for i in (0..5).rev() {
        x = (x | (x << S[i])) & B[i];
        y = (y | (y << S[i])) & B[i];
    }
    x | (y << 1)
}

/// Undo [`interleave64`]: even bits in the low half, odd bits in the high half.
fn deinterleave64(interleaved: u64) -> u64 {
    const B: [u64; 6] = [
        0x5555555555555555,
        0x3333333333333333,
        0x0F0F0F0F0F0F0F0F,
        0x00FF00FF00FF00FF,
        0x0000FFFF0000FFFF,
        0x00000000FFFFFFFF,
    ];
    const S: [u32; 6] = [0, 1, 2, 4, 8, 16];
    let (mut x, mut y) = (interleaved, interleaved >> 1);
    for i in 0..6 {
        x = (x | (x >> S[i])) & B[i];
        y = (y | (y >> S[i])) & B[i];
    }
    x | (y << 32)
}

/// `geohashEncode`: None outside the Web Mercator square or outside the given ranges.
pub fn encode(lon_range: Range, lat_range: Range, lon: f64, lat: f64, step: u8) -> Option<Hash> {
    if step > 32 || step == 0 {
        return None;
    }
    if !(LONG_MIN..=LONG_MAX).contains(&lon) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        return None;
    }
    if lat < lat_range.min || lat > lat_range.max || lon < lon_range.min || lon > lon_range.max {
        return None;
    }
    let scale = (1u64 << step) as f64;
    let lat_offset = (lat - lat_range.min) / (lat_range.max - lat_range.min) * scale;
    let long_offset = (lon - lon_range.min) / (lon_range.max - lon_range.min) * scale;
    // C converts the offsets to uint32_t by truncation (at the top edge the offset is 2^step,
    // one bit above the hash: Redis keeps it).
    Some(Hash { bits: interleave64(lat_offset as u32, long_offset as u32), step })
}

/// `geohashDecode`: the box of `hash` (None for the zero hash).
pub fn decode(lon_range: Range, lat_range: Range, hash: Hash) -> Option<Area> {
    if hash.is_zero() {
        return None;
    }
    let sep = deinterleave64(hash.bits);
    let lat_scale = lat_range.max - lat_range.min;
    let long_scale = lon_range.max - lon_range.min;
    let ilato = sep as u32;
    let ilono = (sep >> 32) as u32;
    let div = (1u64 << hash.step) as f64;
    // `(ilato + 1)` is unsigned int arithmetic in C: it wraps.
    let edge = |i: u32, min: f64, scale: f64| min + (f64::from(i) * 1.0 / div) * scale;
    Some(Area {
        lat: Range {
            min: edge(ilato, lat_range.min, lat_scale),
            max: edge(ilato.wrapping_add(1), lat_range.min, lat_scale),
        },
        lon: Range {
            min: edge(ilono, lon_range.min, long_scale),
            max: edge(ilono.wrapping_add(1), lon_range.min, long_scale),
        },
    })
}

/// The centre of a box, clamped to the Web Mercator square (`geohashDecodeAreaToLongLat`).
fn area_center(area: &Area) -> (f64, f64) {
    let lon = ((area.lon.min + area.lon.max) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let lat = ((area.lat.min + area.lat.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (lon, lat)
}

/// What C's `(uint64_t)` cast of a double gives on x86-64 (gcc's cvttsd2si sequence), for any
/// score a plain ZADD may have put in a set: negative numbers wrap, out of range is 2^63 or 0.
fn score_bits(score: f64) -> u64 {
    const TWO63: f64 = 9223372036854775808.0;
    let truncated = |x: f64| if x.is_nan() || !(-TWO63..TWO63).contains(&x) { i64::MIN } else { x as i64 };
    if score < TWO63 {
        truncated(score) as u64
    } else {
        (truncated(score - TWO63) as u64) ^ (1 << 63)
    }
}

/// The (longitude, latitude) a score stands for (`decodeGeohash`: the centre of its 52-bit box).
pub fn decode_score(score: f64) -> (f64, f64) {
    let hash = Hash { bits: score_bits(score), step: STEP_MAX };
    // A step of 26 is never the zero hash: decoding always succeeds.
    decode(WGS84.0, WGS84.1, hash).map_or((0.0, 0.0), |a| area_center(&a))
}

/// The score of a point (already checked to be inside the square).
pub fn encode_score(lon: f64, lat: f64) -> u64 {
    encode(WGS84.0, WGS84.1, lon, lat, STEP_MAX).map_or(0, |h| h.align52())
}

/// The 11-character standard geohash GEOHASH prints (re-encoded over latitude -90..90).
pub fn standard_geohash(score: f64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let (lon, lat) = decode_score(score);
    let ranges = (Range { min: -180.0, max: 180.0 }, Range { min: -90.0, max: 90.0 });
    let bits = encode(ranges.0, ranges.1, lon, lat, 26).map_or(0, |h| h.bits);
    (0..11)
        .map(|i| {
            // 52 bits make ten characters; the eleventh is always '0', as in Redis.
            let idx = if i == 10 { 0 } else { (bits >> (52 - (i + 1) * 5)) & 0x1f };
            char::from(ALPHABET[idx as usize])
        })
        .collect()
}

fn move_x(hash: &mut Hash, d: i8) {
    if d == 0 {
        return;
    }
    let mut x = hash.bits & 0xaaaaaaaaaaaaaaaa;
    let y = hash.bits & 0x5555555555555555;
    let shift = 64 - u32::from(hash.step) * 2;
    let zz = 0x5555555555555555u64 >> shift;
    x = if d > 0 { x.wrapping_add(zz + 1) } else { (x | zz).wrapping_sub(zz + 1) };
    x &= 0xaaaaaaaaaaaaaaaau64 >> shift;
    hash.bits = x | y;
}

fn move_y(hash: &mut Hash, d: i8) {
    if d == 0 {
        return;
    }
    let x = hash.bits & 0xaaaaaaaaaaaaaaaa;
    let mut y = hash.bits & 0x5555555555555555;
    let shift = 64 - u32::from(hash.step) * 2;
    let zz = 0xaaaaaaaaaaaaaaaau64 >> shift;
    y = if d > 0 { y.wrapping_add(zz + 1) } else { (y | zz).wrapping_sub(zz + 1) };
    y &= 0x5555555555555555u64 >> shift;
    hash.bits = x | y;
}

/// The eight neighbours in Redis's search order after the centre: north, south, east, west,
/// north-east, north-west, south-east, south-west.
fn neighbors(hash: &Hash) -> [Hash; 8] {
    let moves: [(i8, i8); 8] = [(0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)];
    moves.map(|(dx, dy)| {
        let mut h = *hash;
        move_x(&mut h, dx);
        move_y(&mut h, dy);
        h
    })
}

const NORTH: usize = 0;
const SOUTH: usize = 1;
const EAST: usize = 2;
const WEST: usize = 3;
const NORTH_EAST: usize = 4;
const NORTH_WEST: usize = 5;
const SOUTH_EAST: usize = 6;
const SOUTH_WEST: usize = 7;

/// The step (bits per coordinate) of the nine search boxes for a radius (`geohashEstimateStepsByRadius`).
fn estimate_steps_by_radius(mut range_meters: f64, lat: f64) -> u8 {
    if range_meters == 0.0 {
        return 26;
    }
    let mut step: i32 = 1;
    // Doubling reaches MERCATOR_MAX from the smallest double in about 1100 rounds.
    while range_meters < MERCATOR_MAX {
        range_meters *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// A search area: a circle of `radius` or a `width` x `height` box (in `conversion` units, so
/// meters are `value * conversion`) around (lon, lat).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    Circle { radius: f64 },
    Box { width: f64, height: f64 },
}

/// A search: its centre, its shape and the unit's size in meters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Search {
    pub lon: f64,
    pub lat: f64,
    pub shape: Shape,
    pub conversion: f64,
}

impl Search {
    /// `geohashBoundingBox`: [min_lon, min_lat, max_lon, max_lat].
    fn bounding_box(&self) -> [f64; 4] {
        let (height, width) = match self.shape {
            Shape::Circle { radius } => (self.conversion * radius, self.conversion * radius),
            Shape::Box { width, height } => {
                (self.conversion * (height / 2.0), self.conversion * (width / 2.0))
            }
        };
        let lat_delta = rad_deg(height / EARTH_RADIUS_IN_METERS);
        let long_delta_top = rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(self.lat + lat_delta).cos());
        let long_delta_bottom = rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(self.lat - lat_delta).cos());
        let long_delta = if self.lat < 0.0 { long_delta_bottom } else { long_delta_top };
        [self.lon - long_delta, self.lat - lat_delta, self.lon + long_delta, self.lat + lat_delta]
    }

    /// The centre box and its eight neighbours that can hold matches, zero hashes for the
    /// useless ones (`geohashCalculateAreasByShapeWGS84`).
    pub fn areas(&self) -> [Hash; 9] {
        let [min_lon, min_lat, max_lon, max_lat] = self.bounding_box();
        let radius_meters = match self.shape {
            Shape::Circle { radius } => radius,
            Shape::Box { width, height } => {
                ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
            }
        } * self.conversion;
        let (lon_range, lat_range) = WGS84;
        let mut steps = estimate_steps_by_radius(radius_meters, self.lat);
        let at = |steps: u8| {
            let hash = encode(lon_range, lat_range, self.lon, self.lat, steps)
                .unwrap_or(Hash { bits: 0, step: steps });
            let area = decode(lon_range, lat_range, hash).unwrap_or_default();
            (hash, neighbors(&hash), area)
        };
        let (mut hash, mut near, mut area) = at(steps);
        let box_of = |h: Hash| decode(lon_range, lat_range, h).unwrap_or_default();
        // Near an edge of the area the estimated step may leave part of it uncovered.
        let decrease_step = box_of(near[NORTH]).lat.max < max_lat
            || box_of(near[SOUTH]).lat.min > min_lat
            || box_of(near[EAST]).lon.max < max_lon
            || box_of(near[WEST]).lon.min > min_lon;
        if steps > 1 && decrease_step {
            steps -= 1;
            (hash, near, area) = at(steps);
        }
        if steps >= 2 {
            let mut zero = |which: [usize; 3]| which.iter().for_each(|&i| near[i] = Hash::default());
            if area.lat.min < min_lat {
                zero([SOUTH, SOUTH_WEST, SOUTH_EAST]);
            }
            if area.lat.max > max_lat {
                zero([NORTH, NORTH_EAST, NORTH_WEST]);
            }
            if area.lon.min < min_lon {
                zero([WEST, SOUTH_WEST, NORTH_WEST]);
            }
            if area.lon.max > max_lon {
                zero([EAST, SOUTH_EAST, NORTH_EAST]);
            }
        }
        let mut all = [hash; 9];
        all[1..].copy_from_slice(&near);
        all
    }

    /// `geoWithinShape`: the distance (meters) from the centre if the point is inside.
    pub fn distance_if_within(&self, lon: f64, lat: f64) -> Option<f64> {
        match self.shape {
            Shape::Circle { radius } => {
                let d = distance(self.lon, self.lat, lon, lat);
                (d <= radius * self.conversion).then_some(d)
            }
            Shape::Box { width, height } => {
                let (width_m, height_m) = (width * self.conversion, height * self.conversion);
                if lat_distance(lat, self.lat) > height_m / 2.0 {
                    return None;
                }
                if distance(lon, lat, self.lon, lat) > width_m / 2.0 {
                    return None;
                }
                Some(distance(self.lon, self.lat, lon, lat))
            }
        }
    }
}

/// The score interval [min, max) of the points inside a box (`scoresOfGeoHashBox`).
pub fn score_range(hash: Hash) -> (u64, u64) {
    let min = hash.align52();
    let max = Hash { bits: hash.bits.wrapping_add(1), ..hash }.align52();
    (min, max)
}

/// Distance along a meridian (`geohashGetLatDistance`).
fn lat_distance(lat1d: f64, lat2d: f64) -> f64 {
    EARTH_RADIUS_IN_METERS * (deg_rad(lat2d) - deg_rad(lat1d)).abs()
}

/// The haversine distance in meters (`geohashGetDistance`), argument order kept: it shows in
/// the last bits.
pub fn distance(lon1d: f64, lat1d: f64, lon2d: f64, lat2d: f64) -> f64 {
    let lon1r = deg_rad(lon1d);
    let lon2r = deg_rad(lon2d);
    let v = ((lon2r - lon1r) / 2.0).sin();
    if v == 0.0 {
        return lat_distance(lat1d, lat2d);
    }
    let lat1r = deg_rad(lat1d);
    let lat2r = deg_rad(lat2d);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_IN_METERS * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleave_round_trips() {
        for (x, y) in [(0u32, 0u32), (1, 0), (0, 1), (0x3ff_ffff, 0x123_4567), (u32::MAX, 7)] {
            let sep = deinterleave64(interleave64(x, y));
            assert_eq!((sep as u32, (sep >> 32) as u32), (x, y));
        }
    }

    #[test]
    fn palermo_as_redis_scores_it() {
        // GEOADD Sicily 13.361389 38.115556 Palermo; ZSCORE -> 3479099956230698.
        assert_eq!(encode_score(13.361389, 38.115556), 3479099956230698);
        assert_eq!(standard_geohash(3479099956230698.0), "sqc8b49rny0");
        let d = distance(13.361389338970184, 38.1155563954963, 15.087267458438873, 37.50266842333162);
        assert!((d - 166274.1516).abs() < 0.001, "{d}");
    }

    #[test]
    fn casts_scores_like_x86() {
        assert_eq!(score_bits(-1.0), u64::MAX);
        assert_eq!(score_bits(f64::INFINITY), 0);
        assert_eq!(score_bits(1e300), 0);
        assert_eq!(score_bits(-1e300), 1 << 63);
        assert_eq!(score_bits(9223372036854775808.0), 1 << 63);
    }
}
