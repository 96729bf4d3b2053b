//! The compact blobs inside RDB values: listpacks (Redis 7's small lists, hashes, sets and
//! sorted sets, `src/listpack.c`), intsets (`src/intset.c`) and, for payloads of older Redis
//! versions that 7.4 still loads, ziplists (`src/ziplist.c`).
//!
//! Encoding follows Redis byte for byte (integers in their smallest encoding, back-lengths);
//! decoding checks everything Redis's deep sanitisation checks (`lpValidateIntegrity`,
//! `intsetValidateIntegrity`, `ziplistValidateIntegrity`) and returns None on any flaw, so a
//! crafted payload can neither panic nor make the engine allocate more than its own length.

use bytes::Bytes;

/// An integer in Redis's listpack sense (`lpStringToInt64`: at most 20 characters, no leading
/// zeros or `+`), which a listpack stores in its integer encodings.
fn as_int(s: &[u8]) -> Option<i64> {
    if s.len() > 20 {
        return None;
    }
    crate::args::parse_i64(s)
}

/// An entry's back-length (`lpEncodeBacklen`): its size, 7 bits a byte, read from the end.
fn backlen(l: u64) -> ([u8; 5], usize) {
    let n = match l {
        0..=127 => 1,
        128..=16_382 => 2,
        16_383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    };
    let mut out = [0u8; 5];
    for (j, slot) in out.iter_mut().take(n).enumerate() {
        let part = ((l >> (7 * (n - 1 - j))) & 127) as u8;
        *slot = if j == 0 { part } else { part | 128 };
    }
    (out, n)
}

/// A listpack under construction.
pub struct Listpack {
    buf: Vec<u8>,
    count: usize,
}

impl Default for Listpack {
    fn default() -> Listpack {
        Listpack { buf: vec![0; 6], count: 0 }
    }
}

impl Listpack {
    pub fn new() -> Listpack {
        Listpack::default()
    }

    /// Append an element (`lpAppend`): integers in their integer encodings.
    pub fn push(&mut self, s: &[u8]) {
        match as_int(s) {
            Some(v) => self.push_int(v),
            None => self.push_str(s),
        }
    }

    /// Append an integer (`lpAppendInteger`).
    pub fn push_int(&mut self, v: i64) {
        let start = self.buf.len();
        let b = &mut self.buf;
        if (0..=127).contains(&v) {
            b.push(v as u8);
        } else if (-4096..=4095).contains(&v) {
            let u = if v < 0 { (1 << 13) + v } else { v } as u64;
            b.extend_from_slice(&[0xC0 | (u >> 8) as u8, u as u8]);
        } else {
            let (tag, width) = match v {
                -32_768..=32_767 => (0xF1, 2),
                -8_388_608..=8_388_607 => (0xF2, 3),
                -2_147_483_648..=2_147_483_647 => (0xF3, 4),
                _ => (0xF4, 8),
            };
            b.push(tag);
            b.extend_from_slice(&v.to_le_bytes()[..width]);
        }
        self.finish_entry(start);
    }

    fn push_str(&mut self, s: &[u8]) {
        let start = self.buf.len();
        let len = s.len();
        if len < 64 {
            self.buf.push(0x80 | len as u8);
        } else if len < 4096 {
            self.buf.extend_from_slice(&[0xE0 | (len >> 8) as u8, len as u8]);
        } else {
            self.buf.push(0xF0);
            self.buf.extend_from_slice(&(len as u32).to_le_bytes());
        }
        self.buf.extend_from_slice(s);
        self.finish_entry(start);
    }

    fn finish_entry(&mut self, start: usize) {
        let (bytes, n) = backlen((self.buf.len() - start) as u64);
        self.buf.extend_from_slice(&bytes[..n]);
        self.count += 1;
    }

    /// Bytes the finished listpack will take (header and terminator included).
    pub fn bytes(&self) -> usize {
        self.buf.len() + 1
    }

    /// The blob: total bytes and element count (65535 meaning "count them") in the header.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(0xFF);
        let total = self.buf.len() as u32;
        self.buf[..4].copy_from_slice(&total.to_le_bytes());
        let count = self.count.min(65_535) as u16;
        self.buf[4..6].copy_from_slice(&count.to_le_bytes());
        self.buf
    }
}

/// A listpack's elements as strings (integers as their decimal text), or None if the blob is
/// not a well-formed listpack.
pub fn listpack_decode(lp: &[u8]) -> Option<Vec<Bytes>> {
    if lp.len() < 7
        || u32::from_le_bytes(lp[..4].try_into().ok()?) as usize != lp.len()
        || lp[lp.len() - 1] != 0xFF
    {
        return None;
    }
    let declared = u16::from_le_bytes([lp[4], lp[5]]) as usize;
    let end = lp.len() - 1;
    let mut p = 6;
    let mut out = Vec::new();
    while p < end {
        let b = lp[p];
        let (header, len, int) = match b {
            0x00..=0x7F => (1, 0, Some(i64::from(b))),
            0x80..=0xBF => (1, (b & 0x3F) as usize, None),
            0xC0..=0xDF => {
                let u = (((b & 0x1F) as i64) << 8) | i64::from(*lp.get(p + 1)?);
                (2, 0, Some(if u >= 1 << 12 { u - (1 << 13) } else { u }))
            }
            0xE0..=0xEF => (2, (((b & 0x0F) as usize) << 8) | *lp.get(p + 1)? as usize, None),
            0xF0 => (5, u32::from_le_bytes(lp.get(p + 1..p + 5)?.try_into().ok()?) as usize, None),
            0xF1..=0xF4 => {
                let width = [2, 3, 4, 8][(b - 0xF1) as usize];
                let raw = lp.get(p + 1..p + 1 + width)?;
                let mut bytes = [0u8; 8];
                bytes[..width].copy_from_slice(raw);
                let shift = 64 - 8 * width as u32;
                (1 + width, 0, Some((i64::from_le_bytes(bytes) << shift) >> shift))
            }
            _ => return None,
        };
        let entry = header.checked_add(len)?;
        let data = lp.get(p + header..p + entry)?;
        // The back-length must say the entry's size.
        let (expect, n) = backlen(entry as u64);
        if lp.get(p + entry..p + entry + n)? != &expect[..n] || p + entry + n > end {
            return None;
        }
        let q = p + entry + n;
        let item = match int {
            Some(v) => Bytes::from(v.to_string()),
            None => Bytes::copy_from_slice(data),
        };
        out.push(item);
        p = q;
    }
    (p == end && (declared == 65_535 || declared == out.len())).then_some(out)
}

/// An intset blob (`intsetBlobLen`): encoding width, length, members ascending, little endian.
pub fn intset_encode(members: &mut [i64]) -> Vec<u8> {
    members.sort_unstable();
    let fits = |lo: i64, hi: i64| members.iter().all(|v| (lo..=hi).contains(v));
    let width = if fits(i16::MIN.into(), i16::MAX.into()) {
        2
    } else if fits(i32::MIN.into(), i32::MAX.into()) {
        4
    } else {
        8
    };
    let mut out = Vec::with_capacity(8 + width * members.len());
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&(members.len() as u32).to_le_bytes());
    for v in members.iter() {
        out.extend_from_slice(&v.to_le_bytes()[..width]);
    }
    out
}

/// An intset's members, or None if the blob's sizes disagree or its members are not strictly
/// ascending.
pub fn intset_decode(blob: &[u8]) -> Option<Vec<i64>> {
    let width = u32::from_le_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let len = u32::from_le_bytes(blob.get(4..8)?.try_into().ok()?) as usize;
    if !matches!(width, 2 | 4 | 8) || (blob.len() - 8) / width != len || (blob.len() - 8) % width != 0 {
        return None;
    }
    let shift = 64 - 8 * width as u32;
    let values: Vec<i64> = blob[8..]
        .chunks_exact(width)
        .map(|c| {
            let mut bytes = [0u8; 8];
            bytes[..width].copy_from_slice(c);
            (i64::from_le_bytes(bytes) << shift) >> shift
        })
        .collect();
    values.windows(2).all(|w| w[0] < w[1]).then_some(values)
}

/// A ziplist's elements (Redis before 7.0 kept small lists, hashes and sorted sets in them), or
/// None if the blob is malformed.
pub fn ziplist_decode(zl: &[u8]) -> Option<Vec<Bytes>> {
    let le32 = |at: usize| Some(u32::from_le_bytes(zl.get(at..at + 4)?.try_into().ok()?) as usize);
    if zl.len() < 11 || le32(0)? != zl.len() || zl[zl.len() - 1] != 0xFF || le32(4)? >= zl.len() {
        return None;
    }
    let declared = u16::from_le_bytes([zl[8], zl[9]]) as usize;
    let end = zl.len() - 1;
    let (mut p, mut prev_len, mut out) = (10usize, 0usize, Vec::new());
    while p < end {
        let start = p;
        let (stored_prev, n) = match zl[p] {
            0xFE => (le32(p + 1)?, 5),
            b => (b as usize, 1),
        };
        if stored_prev != prev_len {
            return None;
        }
        p += n;
        let b = *zl.get(p)?;
        let (header, len, int): (usize, usize, Option<i64>) = match b >> 6 {
            0 => (1, (b & 0x3F) as usize, None),
            1 => (2, (((b & 0x3F) as usize) << 8) | *zl.get(p + 1)? as usize, None),
            2 => (5, u32::from_be_bytes(zl.get(p + 1..p + 5)?.try_into().ok()?) as usize, None),
            _ => {
                let width = match b {
                    0xC0 => 2,
                    0xD0 => 4,
                    0xE0 => 8,
                    0xF0 => 3,
                    0xFE => 1,
                    0xF1..=0xFD => 0,
                    _ => return None,
                };
                let raw = zl.get(p + 1..p + 1 + width)?;
                let v = if width == 0 {
                    i64::from(b & 0x0F) - 1
                } else {
                    let mut bytes = [0u8; 8];
                    bytes[..width].copy_from_slice(raw);
                    let shift = 64 - 8 * width as u32;
                    (i64::from_le_bytes(bytes) << shift) >> shift
                };
                (1 + width, 0, Some(v))
            }
        };
        let data = zl.get(p + header..(p + header).checked_add(len)?)?;
        p += header + len;
        if p > end {
            return None;
        }
        out.push(match int {
            Some(v) => Bytes::from(v.to_string()),
            None => Bytes::copy_from_slice(data),
        });
        prev_len = p - start;
    }
    (declared == 65_535 || declared == out.len()).then_some(out)
}

/// A zipmap's field, value, field, value... (Redis 2.x kept small hashes in them), or None if
/// the blob is malformed. Lengths are one byte below 254, else 254 and four bytes; each value
/// has a byte of trailing free space after its length; 255 ends the map.
pub fn zipmap_decode(zm: &[u8]) -> Option<Vec<Bytes>> {
    let len_at = |p: usize| -> Option<(usize, usize)> {
        match *zm.get(p)? {
            254 => Some((u32::from_le_bytes(zm.get(p + 1..p + 5)?.try_into().ok()?) as usize, p + 5)),
            255 => None,
            b => Some((b as usize, p + 1)),
        }
    };
    let (mut p, mut out) = (1usize, Vec::new());
    while *zm.get(p)? != 255 {
        let (klen, at) = len_at(p)?;
        let key = zm.get(at..at.checked_add(klen)?)?;
        let (vlen, at) = len_at(at + klen)?;
        let free = *zm.get(at)? as usize;
        let value = zm.get(at + 1..(at + 1).checked_add(vlen)?)?;
        p = at + 1 + vlen + free;
        out.push(Bytes::copy_from_slice(key));
        out.push(Bytes::copy_from_slice(value));
    }
    let declared = *zm.first()? as usize;
    (p == zm.len() - 1 && (declared >= 254 || declared * 2 == out.len())).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listpack_round_trip() {
        let items: Vec<&[u8]> =
            vec![b"a", b"127", b"-1", b"4095", b"-32768", b"8388607", b"2147483647", b"9999999999", b"01"];
        let mut lp = Listpack::new();
        for i in &items {
            lp.push(i);
        }
        let long = vec![b'x'; 5000];
        lp.push(&long);
        let blob = lp.finish();
        let back = listpack_decode(&blob).unwrap();
        assert_eq!(back.len(), items.len() + 1);
        assert!(back.iter().zip(&items).all(|(a, b)| a.as_ref() == *b));
        assert_eq!(back[items.len()].len(), 5000);
        assert_eq!(intset_decode(&intset_encode(&mut [3, -70000, 1])), Some(vec![-70000, 1, 3]));
        let zm = b"\x02\x03foo\x03\x01bar?\x01a\x00\x00\xff";
        let pairs = zipmap_decode(zm).unwrap();
        assert_eq!(pairs, vec![Bytes::from("foo"), Bytes::from("bar"), Bytes::from("a"), Bytes::from("")]);
        assert_eq!(zipmap_decode(&zm[..zm.len() - 1]), None);
    }
}
