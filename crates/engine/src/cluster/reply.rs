//! Reading parsed replies the same way in RESP2 and RESP3 (a RESP2 map is a flat array).

use crate::frame::Frame;

/// Elements of an array or set.
pub fn items(f: &Frame) -> Option<&[Frame]> {
    match f {
        Frame::Array(v) | Frame::Set(v) => Some(v),
        _ => None,
    }
}

/// Key/value pairs of a map, or of a flat RESP2 array.
pub fn pairs(f: &Frame) -> Option<Vec<(&Frame, &Frame)>> {
    match f {
        Frame::Map(v) => Some(v.iter().map(|(k, v)| (k, v)).collect()),
        Frame::Array(v) => Some(v.chunks_exact(2).map(|c| (&c[0], &c[1])).collect()),
        _ => None,
    }
}

/// A bulk or simple string as text.
pub fn text(f: &Frame) -> Option<String> {
    match f {
        Frame::Bulk(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Frame::Simple(s) => Some(s.clone()),
        _ => None,
    }
}

/// An integer (or a string holding one).
pub fn int(f: &Frame) -> Option<i64> {
    match f {
        Frame::Integer(n) => Some(*n),
        _ => text(f)?.parse().ok(),
    }
}
