//! Redis 7.4's serialisation of one value (`src/rdb.c`, `src/cluster.c`): what DUMP returns and
//! RESTORE (and DEBUG RELOAD) reads.
//!
//! A payload is `type byte | value | RDB version (2 bytes LE, 12) | CRC-64 (8 bytes LE)` over
//! everything before the checksum. Values are written exactly as Redis writes them for the
//! encoding OBJECT ENCODING reports: strings as integers when they fit 32 bits, LZF-compressed
//! above 20 bytes when that saves 4 bytes or more, compact collections as one listpack or intset
//! blob, big ones element by element (a hash table's order in Redis is its random dict order;
//! here it is insertion order, which RESTORE accepts just the same).
//!
//! Reading accepts every encoding Redis 7.4 still loads for the engine's types (the 7.x
//! listpacks, the older ziplists, intsets, linked lists and text-score sorted sets) and checks
//! them as `sanitize-dump-payload yes` does; a flaw is `Err(())`, RESTORE's `Bad data format`.
//! Never a panic, and never an allocation beyond what the payload itself holds.

pub mod crc64;
pub mod load;
pub mod lzf;
pub mod pack;
mod stream;

use crate::types::{encoding, Value, ZSet};
use bytes::Bytes;
use indexmap::{IndexMap, IndexSet};
use pack::Listpack;
use std::collections::VecDeque;

/// The RDB version Redis 7.4 writes (and the newest it reads).
pub const RDB_VERSION: u16 = 12;

const T_STRING: u8 = 0;
const T_LIST: u8 = 1;
const T_SET: u8 = 2;
const T_ZSET: u8 = 3;
const T_HASH: u8 = 4;
const T_ZSET_2: u8 = 5;
const T_HASH_ZIPMAP: u8 = 9;
const T_LIST_ZIPLIST: u8 = 10;
const T_SET_INTSET: u8 = 11;
const T_ZSET_ZIPLIST: u8 = 12;
const T_HASH_ZIPLIST: u8 = 13;
const T_LIST_QUICKLIST: u8 = 14;
const T_HASH_LISTPACK: u8 = 16;
const T_ZSET_LISTPACK: u8 = 17;
const T_LIST_QUICKLIST_2: u8 = 18;
const T_SET_LISTPACK: u8 = 20;
/// RDB_TYPE_MODULE_2, here holding a JSON document as its text (not ReJSON's own encoding).
const T_MODULE_2: u8 = 7;
// Not read yet, each a place for a type the engine is gaining: 6/7 (module values), 15/19/21 (streams), and the hashes with field expiry of Redis 7.4:
// 22/24 (`RDB_TYPE_HASH_METADATA[_PRE_GA]`: a min-expiry time, then [ttl][field][value]
// triples) and 23/25 (`RDB_TYPE_HASH_LISTPACK_EX[_PRE_GA]`: a min-expiry time, then a listpack
// of field, value, ttl). They fall to `Bad data format` in `read_value` until then.

/// The quicklist node kinds of `RDB_TYPE_LIST_QUICKLIST_2`.
const NODE_PLAIN: u64 = 1;
const NODE_PACKED: u64 = 2;

/// Redis's `SIZE_ESTIMATE_OVERHEAD` when it checks whether an element still fits a node.
const NODE_ENTRY_OVERHEAD: usize = 8;

/// DUMP's payload for `value`, stored with encoding floor `floor` (see `types::encoding`).
pub fn dump(value: &Value, floor: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let rank = encoding::rank(value, floor);
    match value {
        Value::Str(s) => {
            out.push(T_STRING);
            put_string(&mut out, s);
        }
        Value::Json(j) => {
            out.push(T_MODULE_2);
            put_string(&mut out, j.to_text().as_bytes());
        }
        // Our own form behind a marker no JSON text starts with (see `read_value`).
        Value::Suggest(s) => {
            out.push(T_MODULE_2);
            put_string(&mut out, &[SUGGEST_MARK, &s.to_bytes()[..]].concat());
        }
        Value::List(list) => {
            out.push(T_LIST_QUICKLIST_2);
            let nodes = if rank == 0 { vec![(list.len(), false)] } else { quicklist_nodes(list) };
            put_len(&mut out, nodes.len() as u64);
            let mut items = list.iter();
            for (n, plain) in nodes {
                if plain {
                    put_len(&mut out, NODE_PLAIN);
                    put_string(&mut out, items.next().map_or(&[][..], |v| v));
                    continue;
                }
                put_len(&mut out, NODE_PACKED);
                let mut lp = Listpack::new();
                items.by_ref().take(n).for_each(|v| lp.push(v));
                put_string(&mut out, &lp.finish());
            }
        }
        Value::Set(set) if rank == 0 => {
            out.push(T_SET_INTSET);
            let mut ints: Vec<i64> = set.iter().filter_map(|m| crate::args::parse_i64(m)).collect();
            put_string(&mut out, &pack::intset_encode(&mut ints));
        }
        Value::Set(set) if rank == 1 => {
            out.push(T_SET_LISTPACK);
            let mut lp = Listpack::new();
            set.iter().for_each(|m| lp.push(m));
            put_string(&mut out, &lp.finish());
        }
        Value::Set(set) => {
            out.push(T_SET);
            put_len(&mut out, set.len() as u64);
            set.iter().for_each(|m| put_string(&mut out, m));
        }
        Value::ZSet(z) if rank == 0 => {
            out.push(T_ZSET_LISTPACK);
            let mut lp = Listpack::new();
            for (m, score) in z.iter() {
                lp.push(m);
                push_score(&mut lp, score);
            }
            put_string(&mut out, &lp.finish());
        }
        Value::ZSet(z) => {
            // From the greatest to the smallest, scores as binary doubles.
            out.push(T_ZSET_2);
            put_len(&mut out, z.len() as u64);
            for (m, score) in z.iter().rev() {
                put_string(&mut out, m);
                out.extend_from_slice(&score.to_le_bytes());
            }
        }
        Value::Hash(h) if rank == 0 => {
            out.push(T_HASH_LISTPACK);
            let mut lp = Listpack::new();
            for (f, v) in h {
                lp.push(f);
                lp.push(v);
            }
            put_string(&mut out, &lp.finish());
        }
        Value::Hash(h) => {
            out.push(T_HASH);
            put_len(&mut out, h.len() as u64);
            for (f, v) in h {
                put_string(&mut out, f);
                put_string(&mut out, v);
            }
        }
        Value::Stream(s) => {
            out.push(stream::T_STREAM_LISTPACKS_3);
            stream::dump(s, &mut out);
        }
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64::crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// How many elements each quicklist node holds and whether it is a plain one, as a list built
/// by appending at the tail packs them: the first node (the listpack the list started as) while
/// it stays within a node's limits, every later one while `node bytes + element + 8` does
/// (`_quicklistNodeAllowInsert`); after the first node, an element of at least
/// `DEBUG QUICKLIST-PACKED-THRESHOLD` bytes gets a plain node of its own.
fn quicklist_nodes(list: &VecDeque<Bytes>) -> Vec<(usize, bool)> {
    quicklist_layout(list).into_iter().map(|n| (n.0, n.2)).collect()
}

/// Each quicklist node's element count, bytes and plainness (as `quicklist_nodes` says), which
/// DEBUG OBJECT reports.
pub fn quicklist_layout(list: &VecDeque<Bytes>) -> Vec<(usize, usize, bool)> {
    let limits = encoding::limits();
    let (node_bytes, node_count) = limits.list_node_limits();
    let mut nodes = Vec::new();
    let mut lp = Listpack::new();
    let mut count = 0;
    for v in list {
        let overhead = if nodes.is_empty() { 0 } else { NODE_ENTRY_OVERHEAD };
        let full = count > 0 && (lp.bytes() + v.len() + overhead > node_bytes || count >= node_count);
        let plain = (v.len() as u64) >= limits.packed_threshold && (full || !nodes.is_empty());
        if full || (plain && count > 0) {
            nodes.push((count, lp.bytes(), false));
            lp = Listpack::new();
            count = 0;
        }
        if plain {
            nodes.push((1, v.len(), true));
            continue;
        }
        lp.push(v);
        count += 1;
    }
    if count > 0 || nodes.is_empty() {
        nodes.push((count, lp.bytes(), false));
    }
    nodes
}

/// A sorted-set score in a listpack (`zzlInsertAt`): an integer when the double is one within
/// +-LLONG_MAX/2 (`double2ll`), otherwise its text as Redis prints doubles.
fn push_score(lp: &mut Listpack, score: f64) {
    let half = (i64::MAX / 2) as f64;
    if (-half..=half).contains(&score) && score.fract() == 0.0 {
        lp.push_int(score as i64);
    } else {
        lp.push(crate::float::format_double(score).as_bytes());
    }
}

/// A listpack score as Redis reads it (`zzlStrtod`: `strtod` on at most 127 bytes, so text that
/// is no number counts as its longest numeric prefix, or 0; Redis does not check scores when it
/// loads a listpack).
fn score_prefix(text: &[u8]) -> f64 {
    let text = &text[..text.len().min(127)];
    (1..=text.len()).rev().find_map(|n| crate::float::parse_double(&text[..n])).unwrap_or(0.0)
}

/// `rdbSaveLen`.
fn put_len(out: &mut Vec<u8>, len: u64) {
    if len < 1 << 6 {
        out.push(len as u8);
    } else if len < 1 << 14 {
        out.extend_from_slice(&[0x40 | (len >> 8) as u8, len as u8]);
    } else if len <= u64::from(u32::MAX) {
        out.push(0x80);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&len.to_be_bytes());
    }
}

/// `rdbSaveRawString`: an integer that fits 32 bits in its special encoding, LZF above 20 bytes
/// when it saves at least 4, else the length and the bytes.
fn put_string(out: &mut Vec<u8>, s: &[u8]) {
    if let Some(v) = crate::args::parse_i64(s).filter(|_| s.len() <= 11) {
        if let Ok(v) = i8::try_from(v) {
            out.extend_from_slice(&[0xC0, v as u8]);
            return;
        }
        if let Ok(v) = i16::try_from(v) {
            out.push(0xC1);
            out.extend_from_slice(&v.to_le_bytes());
            return;
        }
        if let Ok(v) = i32::try_from(v) {
            out.push(0xC2);
            out.extend_from_slice(&v.to_le_bytes());
            return;
        }
    }
    if s.len() > 20 {
        if let Some(packed) = lzf::compress(s, s.len() - 4) {
            out.push(0xC3);
            put_len(out, packed.len() as u64);
            put_len(out, s.len() as u64);
            out.extend_from_slice(&packed);
            return;
        }
    }
    put_len(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// True if the payload ends with a version Redis 7.4 reads and a checksum that matches
/// (`verifyDumpPayload`).
pub fn verify(payload: &[u8], skip_checksum: bool) -> bool {
    if payload.len() < 10 {
        return false;
    }
    let footer = &payload[payload.len() - 10..];
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    version <= RDB_VERSION
        && (skip_checksum || crc64::crc64(&payload[..payload.len() - 8]).to_le_bytes() == footer[2..])
}

/// The value in a payload that [`verify`] accepted. As in Redis, reading starts at the type
/// byte and may run into the footer; what follows the value is ignored. None: a flaw (RESTORE's
/// `Bad data format`), an unknown type, an empty collection, or compressed strings that would
/// unpack to more than `limit` bytes in all (Redis fails such an allocation the same way; here it
/// is refused before it is made, so a small payload cannot claim gigabytes).
pub fn restore(payload: &[u8], limit: usize) -> Option<Value> {
    let mut r = Reader { buf: payload, pos: 0, budget: limit };
    let kind = r.byte().ok()?;
    read_value(&mut r, kind).ok().filter(|v| !v.is_empty_collection())
}

/// A cursor over a payload; every read fails cleanly at the end.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Bytes that LZF strings may still unpack to.
    budget: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: u64) -> Result<&'a [u8], ()> {
        let n = usize::try_from(n).map_err(|_| ())?;
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or(())?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, ()> {
        Ok(self.take(1)?[0])
    }

    /// `rdbLoadLenByRef`: a length, or (with `true`) a special string encoding.
    fn len_or_enc(&mut self) -> Result<(u64, bool), ()> {
        let b = self.byte()?;
        Ok(match b >> 6 {
            0 => (u64::from(b & 0x3F), false),
            1 => ((u64::from(b & 0x3F) << 8) | u64::from(self.byte()?), false),
            3 => (u64::from(b & 0x3F), true),
            _ if b == 0x80 => {
                (u64::from(u32::from_be_bytes(self.take(4)?.try_into().map_err(|_| ())?)), false)
            }
            _ if b == 0x81 => (u64::from_be_bytes(self.take(8)?.try_into().map_err(|_| ())?), false),
            _ => return Err(()),
        })
    }

    fn len(&mut self) -> Result<u64, ()> {
        match self.len_or_enc()? {
            (n, false) => Ok(n),
            _ => Err(()),
        }
    }

    /// `rdbGenericLoadStringObject`: plain, integer-encoded or LZF-compressed.
    fn string(&mut self) -> Result<Bytes, ()> {
        let (n, encoded) = self.len_or_enc()?;
        if !encoded {
            return Ok(Bytes::copy_from_slice(self.take(n)?));
        }
        let int = |s: &[u8]| {
            let mut b = [0u8; 8];
            b[..s.len()].copy_from_slice(s);
            let shift = 64 - 8 * s.len() as u32;
            Bytes::from(((i64::from_le_bytes(b) << shift) >> shift).to_string())
        };
        match n {
            0 => Ok(int(self.take(1)?)),
            1 => Ok(int(self.take(2)?)),
            2 => Ok(int(self.take(4)?)),
            3 => {
                let (clen, len) = (self.len()?, self.len()?);
                let packed = self.take(clen)?;
                // A back-reference yields at most 264 bytes from 3: a longer claim is corrupt,
                // and refusing it first keeps a crafted length from allocating.
                if len > clen.saturating_mul(90) || len > self.budget as u64 {
                    return Err(());
                }
                self.budget -= len as usize;
                lzf::decompress(packed, len as usize).map(Bytes::from).ok_or(())
            }
            _ => Err(()),
        }
    }

    /// `rdbLoadDoubleValue`: the text scores of `RDB_TYPE_ZSET`.
    fn text_double(&mut self) -> Result<f64, ()> {
        match self.byte()? {
            253 => Ok(f64::NAN),
            254 => Ok(f64::INFINITY),
            255 => Ok(f64::NEG_INFINITY),
            n => {
                let text = std::str::from_utf8(self.take(u64::from(n))?).map_err(|_| ())?;
                crate::decimal::parse_f64(text.trim()).ok_or(())
            }
        }
    }
}

/// What starts a suggestion dictionary's module payload (a JSON text never does).
const SUGGEST_MARK: &[u8] = b"\0trietype0";

/// Read a value of RDB type `kind` (`rdbLoadObject`).
fn read_value(r: &mut Reader, kind: u8) -> Result<Value, ()> {
    Ok(match kind {
        T_STRING => Value::Str(r.string()?),
        T_MODULE_2 => {
            let raw = r.string()?;
            match raw.strip_prefix(SUGGEST_MARK) {
                Some(s) => {
                    Value::Suggest(Box::new(crate::types::suggest::Suggestions::from_bytes(s).ok_or(())?))
                }
                None => Value::Json(Box::new(crate::types::json::parse(&raw).map_err(|_| ())?)),
            }
        }
        stream::T_STREAM_LISTPACKS | stream::T_STREAM_LISTPACKS_2 | stream::T_STREAM_LISTPACKS_3 => {
            Value::Stream(Box::new(stream::load(r, kind)?))
        }
        T_LIST => {
            let n = r.len()?;
            let mut list = VecDeque::new();
            for _ in 0..n {
                list.push_back(r.string()?);
            }
            Value::List(list)
        }
        T_LIST_QUICKLIST | T_LIST_QUICKLIST_2 => {
            let nodes = r.len()?;
            let mut list = VecDeque::new();
            for _ in 0..nodes {
                let container = if kind == T_LIST_QUICKLIST_2 { r.len()? } else { NODE_PACKED };
                if container != NODE_PACKED && container != NODE_PLAIN {
                    return Err(());
                }
                let blob = r.string()?;
                if blob.is_empty() {
                    return Err(());
                }
                if container == NODE_PLAIN {
                    list.push_back(blob);
                } else if kind == T_LIST_QUICKLIST_2 {
                    list.extend(pack::listpack_decode(&blob).ok_or(())?);
                } else {
                    list.extend(pack::ziplist_decode(&blob).ok_or(())?);
                }
            }
            Value::List(list)
        }
        T_LIST_ZIPLIST => Value::List(pack::ziplist_decode(&r.string()?).ok_or(())?.into()),
        T_SET => {
            let n = r.len()?;
            let mut set = IndexSet::new();
            for _ in 0..n {
                if !set.insert(r.string()?) {
                    return Err(());
                }
            }
            Value::Set(set)
        }
        T_SET_INTSET => {
            let members = pack::intset_decode(&r.string()?).ok_or(())?;
            Value::Set(members.into_iter().map(|v| Bytes::from(v.to_string())).collect())
        }
        T_SET_LISTPACK => {
            let mut set = IndexSet::new();
            for m in pack::listpack_decode(&r.string()?).ok_or(())? {
                if !set.insert(m) {
                    return Err(());
                }
            }
            Value::Set(set)
        }
        T_ZSET | T_ZSET_2 => {
            let n = r.len()?;
            let mut z = ZSet::new();
            for _ in 0..n {
                let member = r.string()?;
                let score = if kind == T_ZSET_2 {
                    f64::from_le_bytes(r.take(8)?.try_into().map_err(|_| ())?)
                } else {
                    r.text_double()?
                };
                if score.is_nan() || z.insert(member, score).is_some() {
                    return Err(());
                }
            }
            Value::ZSet(z)
        }
        T_ZSET_ZIPLIST | T_ZSET_LISTPACK => {
            let blob = r.string()?;
            let items = if kind == T_ZSET_LISTPACK {
                pack::listpack_decode(&blob)
            } else {
                pack::ziplist_decode(&blob)
            };
            let items = items.ok_or(())?;
            if items.len() % 2 != 0 {
                return Err(());
            }
            let mut z = ZSet::new();
            for pair in items.chunks_exact(2) {
                let score = score_prefix(&pair[1]);
                if score.is_nan() || z.insert(pair[0].clone(), score).is_some() {
                    return Err(());
                }
            }
            Value::ZSet(z)
        }
        T_HASH => {
            let n = r.len()?;
            let mut h = IndexMap::new();
            for _ in 0..n {
                let (f, v) = (r.string()?, r.string()?);
                if h.insert(f, v).is_some() {
                    return Err(());
                }
            }
            Value::Hash(h)
        }
        T_HASH_ZIPMAP | T_HASH_ZIPLIST | T_HASH_LISTPACK => {
            let blob = r.string()?;
            let items = match kind {
                T_HASH_LISTPACK => pack::listpack_decode(&blob),
                T_HASH_ZIPLIST => pack::ziplist_decode(&blob),
                _ => pack::zipmap_decode(&blob),
            };
            let items = items.ok_or(())?;
            if items.len() % 2 != 0 {
                return Err(());
            }
            let mut h = IndexMap::new();
            for pair in items.chunks_exact(2) {
                if h.insert(pair[0].clone(), pair[1].clone()).is_some() {
                    return Err(());
                }
            }
            Value::Hash(h)
        }
        _ => return Err(()),
    })
}

/// A whole RDB file of `server`'s data, as a primary sends it to a replica after SYNC: the
/// header, Redis's aux fields, the function libraries, then each database's keys with their
/// deadlines (values exactly as DUMP writes them), EOF and the CRC-64 of it all.
pub fn file(server: &crate::server::Server, now_ms: u64) -> Vec<u8> {
    let mut out = format!("REDIS{RDB_VERSION:04}").into_bytes();
    let aux = |out: &mut Vec<u8>, name: &str, value: &str| {
        out.push(OPCODE_AUX);
        put_string(out, name.as_bytes());
        put_string(out, value.as_bytes());
    };
    aux(&mut out, "redis-ver", "7.4.1");
    aux(&mut out, "redis-bits", "64");
    aux(&mut out, "ctime", &(now_ms / 1000).to_string());
    aux(&mut out, "used-mem", &server.used_memory().to_string());
    aux(&mut out, "aof-base", "0");
    for library in server.scripts.libraries.values() {
        out.push(OPCODE_FUNCTION2);
        put_string(&mut out, &library.code);
    }
    for (index, db) in server.dbs.iter().enumerate().filter(|(_, db)| !db.is_empty()) {
        out.push(OPCODE_SELECTDB);
        put_len(&mut out, index as u64);
        out.push(OPCODE_RESIZEDB);
        put_len(&mut out, db.len() as u64);
        put_len(&mut out, db.iter().filter(|(_, e)| e.expires_at.is_some()).count() as u64);
        for (key, entry) in db.iter() {
            if let Some(at) = entry.expires_at {
                out.push(OPCODE_EXPIRETIME_MS);
                out.extend_from_slice(&at.to_le_bytes());
            }
            let payload = dump(&entry.value, entry.encoding_floor);
            out.push(payload[0]);
            put_string(&mut out, key);
            out.extend_from_slice(&payload[1..payload.len() - 10]);
        }
    }
    out.push(OPCODE_EOF);
    let crc = crc64::crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The RDB file's opcodes (`rdb.h`).
const OPCODE_AUX: u8 = 250;
const OPCODE_RESIZEDB: u8 = 251;
const OPCODE_EXPIRETIME_MS: u8 = 252;
const OPCODE_SELECTDB: u8 = 254;
const OPCODE_EOF: u8 = 255;

/// `RDB_OPCODE_FUNCTION2`: one function library's code in a FUNCTION DUMP payload.
const OPCODE_FUNCTION2: u8 = 245;

/// FUNCTION DUMP's payload: each library's code as an `RDB_OPCODE_FUNCTION2` string, then the
/// RDB version and CRC-64, as Redis 7.4 writes it.
pub fn dump_functions<'a>(codes: impl Iterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for code in codes {
        out.push(OPCODE_FUNCTION2);
        put_string(&mut out, code);
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64::crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The library codes in a FUNCTION RESTORE payload, or Redis's error text.
pub fn restore_functions(payload: &[u8], skip_checksum: bool) -> Result<Vec<Bytes>, &'static str> {
    if !verify(payload, skip_checksum) {
        return Err("DUMP payload version or checksum are wrong");
    }
    let body = &payload[..payload.len() - 10];
    let mut r = Reader { buf: body, pos: 0, budget: 512 << 20 };
    let mut codes = Vec::new();
    while r.pos < body.len() {
        match r.byte() {
            Ok(OPCODE_FUNCTION2) => {
                codes.push(r.string().map_err(|_| "failed loading the given functions payload")?)
            }
            _ => return Err("given type is not a function"),
        }
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_in_every_encoding() {
        for s in ["", "7", "-129", "70000", "4294967296", "hello", &"ab".repeat(40), "01"] {
            let payload = dump(&Value::Str(Bytes::from(s.to_string())), 0);
            assert!(verify(&payload, false));
            assert_eq!(restore(&payload, 1 << 20), Some(Value::Str(Bytes::from(s.to_string()))));
        }
    }

    #[test]
    fn compressed_strings_stay_within_the_budget() {
        let text = Value::Str(Bytes::from("abc".repeat(400)));
        let payload = dump(&text, 0);
        assert_eq!(payload[1], 0xC3, "the string is LZF-compressed");
        assert_eq!(restore(&payload, 1200), Some(text));
        assert_eq!(restore(&payload, 1199), None);
        // A claim of 2^40 bytes from 3 is refused before anything is allocated.
        let mut huge = vec![T_STRING, 0xC3, 3, 0x81];
        huge.extend_from_slice(&(1u64 << 40).to_be_bytes());
        huge.extend_from_slice(&[0xE0, 0xFF, 0x00]);
        assert_eq!(restore(&huge, usize::MAX), None);
    }

    #[test]
    fn a_zipmap_hash_of_redis_2_loads() {
        let zm = b"\x01\x01f\x01\x00v\xff";
        let mut body = vec![T_HASH_ZIPMAP, zm.len() as u8];
        body.extend_from_slice(zm);
        let h = IndexMap::from([(Bytes::from("f"), Bytes::from("v"))]);
        assert_eq!(restore(&body, 1 << 20), Some(Value::Hash(h)));
    }

    #[test]
    fn a_simple_string_matches_redis() {
        // DUMP of "bar" on Redis 7.4.
        let expected = b"\x00\x03bar\x0c\x00-\xc8}\xa0\x14Lc^";
        assert_eq!(dump(&Value::Str(Bytes::from_static(b"bar")), 0), expected);
    }
}
