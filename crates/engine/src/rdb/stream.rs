//! Streams in RDB payloads (`rdbSaveObject` / `rdbLoadObject` for `OBJ_STREAM`): the listpack
//! nodes as Redis lays them out (a master entry with the node's counters and first fields, then
//! each entry as flags, id deltas, fields unless the same as the master's, values and a
//! back-count; deleted entries stay, flagged), the stream's counters, and the consumer groups
//! with their pending entries and consumers. Redis 7.4 writes `RDB_TYPE_STREAM_LISTPACKS_3`
//! and reads the two older layouts too.

use super::pack::{listpack_decode, Listpack};
use super::{put_len, put_string, Reader};
use crate::types::stream::{Group, Id, Nack, Stream};
use bytes::Bytes;

pub const T_STREAM_LISTPACKS: u8 = 15;
pub const T_STREAM_LISTPACKS_2: u8 = 19;
pub const T_STREAM_LISTPACKS_3: u8 = 21;

const DELETED: i64 = 1;
const SAME_FIELDS: i64 = 2;

fn raw_id(id: Id) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&id.ms.to_be_bytes());
    k[8..].copy_from_slice(&id.seq.to_be_bytes());
    k
}

fn id_of(raw: &[u8]) -> Result<Id, ()> {
    let raw: [u8; 16] = raw.try_into().map_err(|_| ())?;
    let (ms, seq) = raw.split_at(8);
    Ok(Id {
        ms: u64::from_be_bytes(ms.try_into().map_err(|_| ())?),
        seq: u64::from_be_bytes(seq.try_into().map_err(|_| ())?),
    })
}

/// The value part of a stream's payload (after the type byte).
pub(super) fn dump(s: &Stream, out: &mut Vec<u8>) {
    let nodes = s.dump_nodes();
    put_len(out, nodes.len() as u64);
    for (master, live, deleted, fields, items) in nodes {
        let mut lp = Listpack::new();
        lp.push_int(live as i64);
        lp.push_int(deleted as i64);
        lp.push_int(fields.len() as i64);
        fields.iter().for_each(|f| lp.push(f));
        lp.push_int(0);
        for (id, fv, dead) in items {
            let n = fv.len() / 2;
            let same = n == fields.len() && fv.iter().step_by(2).zip(fields).all(|(a, b)| a == b);
            lp.push_int(if same { SAME_FIELDS } else { 0 } | if dead { DELETED } else { 0 });
            lp.push_int(id.ms.wrapping_sub(master.ms) as i64);
            lp.push_int(id.seq.wrapping_sub(master.seq) as i64);
            if !same {
                lp.push_int(n as i64);
            }
            for (i, e) in fv.iter().enumerate() {
                if !same || i % 2 == 1 {
                    lp.push(e);
                }
            }
            lp.push_int(n as i64 + 3 + if same { 0 } else { n as i64 + 1 });
        }
        put_string(out, &raw_id(master));
        put_string(out, &lp.finish());
    }
    for v in [s.len() as u64, s.last_id.ms, s.last_id.seq, s.first_id.ms, s.first_id.seq] {
        put_len(out, v);
    }
    for v in [s.max_deleted.ms, s.max_deleted.seq, s.entries_added, s.groups.len() as u64] {
        put_len(out, v);
    }
    for (name, g) in &s.groups {
        put_string(out, name);
        put_len(out, g.last_id.ms);
        put_len(out, g.last_id.seq);
        put_len(out, g.entries_read as u64);
        put_len(out, g.pel.len() as u64);
        for (id, n) in &g.pel {
            out.extend_from_slice(&raw_id(*id));
            out.extend_from_slice(&n.time.to_le_bytes());
            put_len(out, n.count);
        }
        put_len(out, g.consumers.len() as u64);
        for (name, c) in &g.consumers {
            put_string(out, name);
            out.extend_from_slice(&c.seen.to_le_bytes());
            out.extend_from_slice(&c.active.to_le_bytes());
            put_len(out, c.pel.len() as u64);
            c.pel.iter().for_each(|id| out.extend_from_slice(&raw_id(*id)));
        }
    }
}

/// An integer element of a decoded listpack.
fn int(e: Option<&Bytes>) -> Result<i64, ()> {
    e.and_then(|e| crate::args::parse_i64(e)).ok_or(())
}

/// One node's listpack: master fields and entries (id, fields and values, deleted).
#[allow(clippy::type_complexity)]
fn read_node(master: Id, blob: &[u8]) -> Result<(Vec<Bytes>, Vec<(Id, Vec<Bytes>, bool)>), ()> {
    let items = listpack_decode(blob).ok_or(())?;
    let mut it = items.iter();
    let (live, deleted, nfields) = (int(it.next())?, int(it.next())?, int(it.next())?);
    if live < 0 || deleted < 0 || nfields < 0 || nfields as usize > items.len() {
        return Err(());
    }
    let fields: Vec<Bytes> = (0..nfields).map(|_| it.next().cloned().ok_or(())).collect::<Result<_, _>>()?;
    if int(it.next())? != 0 {
        return Err(());
    }
    let mut entries = Vec::new();
    while let Some(flags) = it.next() {
        let flags = int(Some(flags))?;
        let ms = master.ms.wrapping_add(int(it.next())? as u64);
        let seq = master.seq.wrapping_add(int(it.next())? as u64);
        let same = flags & SAME_FIELDS != 0;
        let n = if same { nfields } else { int(it.next())? };
        if n < 0 || n as usize > items.len() {
            return Err(());
        }
        let mut fv = Vec::with_capacity(2 * n as usize);
        for field in fields.iter().chain(std::iter::repeat(&Bytes::new())).take(n as usize) {
            fv.push(if same { field.clone() } else { it.next().cloned().ok_or(())? });
            fv.push(it.next().cloned().ok_or(())?);
        }
        let count = n + 3 + if same { 0 } else { n + 1 };
        if int(it.next())? != count || entries.last().is_some_and(|(last, _, _)| *last >= Id { ms, seq }) {
            return Err(());
        }
        entries.push((Id { ms, seq }, fv, flags & DELETED != 0));
    }
    let dead = entries.iter().filter(|e| e.2).count() as i64;
    if entries.is_empty() || dead != deleted || entries.len() as i64 - dead != live {
        return Err(());
    }
    Ok((fields, entries))
}

/// A stream of RDB type `kind` (one of the three layouts).
pub(super) fn load(r: &mut Reader, kind: u8) -> Result<Stream, ()> {
    let mut s = Stream::default();
    for _ in 0..r.len()? {
        let master = id_of(&r.string()?)?;
        let blob = r.string()?;
        let (fields, items) = read_node(master, &blob)?;
        if !s.load_node(master, fields, items, blob.len()) {
            return Err(());
        }
    }
    let length = r.len()?;
    let last = Id { ms: r.len()?, seq: r.len()? };
    if kind >= T_STREAM_LISTPACKS_2 {
        let first = Id { ms: r.len()?, seq: r.len()? };
        let max_deleted = Id { ms: r.len()?, seq: r.len()? };
        s.load_meta(last, Some(first), max_deleted, r.len()?);
    } else {
        s.load_meta(last, None, Id::ZERO, length);
    }
    if length != s.len() as u64 {
        return Err(());
    }
    for _ in 0..r.len()? {
        let name = r.string()?;
        let last_id = Id { ms: r.len()?, seq: r.len()? };
        let read = if kind >= T_STREAM_LISTPACKS_2 { r.len()? as i64 } else { s.estimate_distance(last_id) };
        let mut g = Group::new(last_id, read);
        for _ in 0..r.len()? {
            let id = id_of(r.take(16)?)?;
            let time = i64::from_le_bytes(r.take(8)?.try_into().map_err(|_| ())?);
            let nack = Nack { consumer: Bytes::new(), time, count: r.len()? };
            if g.pel.insert(id, nack).is_some() {
                return Err(());
            }
        }
        for _ in 0..r.len()? {
            let cname = r.string()?;
            let seen = i64::from_le_bytes(r.take(8)?.try_into().map_err(|_| ())?);
            let active = if kind >= T_STREAM_LISTPACKS_3 {
                i64::from_le_bytes(r.take(8)?.try_into().map_err(|_| ())?)
            } else {
                seen
            };
            let (c, created) = g.consumer(&cname, seen);
            if !created {
                return Err(());
            }
            c.active = active;
            for _ in 0..r.len()? {
                let id = id_of(r.take(16)?)?;
                if !c.pel.insert(id) {
                    return Err(());
                }
            }
            let ids: Vec<Id> = c.pel.iter().copied().collect();
            for id in ids {
                let nack = g.pel.get_mut(&id).filter(|n| n.consumer.is_empty()).ok_or(())?;
                nack.consumer = cname.clone();
            }
        }
        // Every pending entry has its consumer (Redis's deep sanitisation checks it too).
        if g.pel.values().any(|n| n.consumer.is_empty() && !g.consumers.contains_key(&n.consumer)) {
            return Err(());
        }
        if s.groups.insert(name, g).is_some() {
            return Err(());
        }
    }
    Ok(s)
}
