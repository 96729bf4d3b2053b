//! A stream (Redis's `t_stream.c`): entries keyed by `ms-seq` ids in order, the stream's
//! counters (last id, max deleted id, entries added) and its consumer groups.
//!
//! Redis keeps the entries in listpack nodes of at most `stream-node-max-entries` entries and
//! `stream-node-max-bytes` bytes; a deleted entry stays in its node, flagged, until the whole
//! node goes. Approximate trimming (`MAXLEN ~`, `MINID ~`) removes whole nodes only, so the
//! nodes are modelled here (first id, live and deleted counts, listpack bytes) beside the
//! entries themselves, and `~` leaves exactly the entries Redis leaves.

use super::memory::listpack_entry;
use super::sorted::{SortedMap, SortedSet};
use bytes::Bytes;

/// A stream entry id: milliseconds and a sequence number, ordered as Redis compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Id {
    pub ms: u64,
    pub seq: u64,
}

impl Id {
    pub const MAX: Id = Id { ms: u64::MAX, seq: u64::MAX };
    pub const ZERO: Id = Id { ms: 0, seq: 0 };

    /// The next id (`streamIncrID`); None after the last possible one.
    pub fn incr(self) -> Option<Id> {
        match (self.ms, self.seq) {
            (u64::MAX, u64::MAX) => None,
            (ms, u64::MAX) => Some(Id { ms: ms + 1, seq: 0 }),
            (ms, seq) => Some(Id { ms, seq: seq + 1 }),
        }
    }

    /// The previous id (`streamDecrID`); None before 0-0.
    pub fn decr(self) -> Option<Id> {
        match (self.ms, self.seq) {
            (0, 0) => None,
            (ms, 0) => Some(Id { ms: ms - 1, seq: u64::MAX }),
            (ms, seq) => Some(Id { ms, seq: seq - 1 }),
        }
    }

    /// `ms-seq` as a bulk string's bytes.
    pub fn text(self) -> Bytes {
        Bytes::from(format!("{}-{}", self.ms, self.seq))
    }

    /// Parse as `streamGenericParseIDOrReply`: `-` and `+` (unless `strict`), `ms` (the sequence
    /// is `missing_seq`), `ms-seq`, and with `star` the XADD form `ms-*` (then the second value
    /// is false: the sequence is to be generated).
    pub fn parse(raw: &[u8], missing_seq: u64, strict: bool, star: bool) -> Option<(Id, bool)> {
        if raw.len() > 127 {
            return None;
        }
        // Redis copies the argument into a C string: a NUL ends it.
        let raw = raw.split(|&b| b == 0).next().unwrap_or_default();
        match raw {
            b"-" | b"+" if strict => None,
            b"-" => Some((Id::ZERO, true)),
            b"+" => Some((Id::MAX, true)),
            _ => {
                let (ms, seq) = match raw.iter().position(|&b| b == b'-') {
                    Some(dash) => (&raw[..dash], Some(&raw[dash + 1..])),
                    None => (raw, None),
                };
                let ms = string2ull(ms)?;
                match seq {
                    Some(b"*") if star => Some((Id { ms, seq: 0 }, false)),
                    Some(seq) => Some((Id { ms, seq: string2ull(seq)? }, true)),
                    None => Some((Id { ms, seq: missing_seq }, true)),
                }
            }
        }
    }
}

/// Redis's `string2ull`: a strict integer that must not be negative, else what C's `strtoull`
/// accepts whole (leading spaces, a sign, leading zeros; `-n` wraps around).
fn string2ull(s: &[u8]) -> Option<u64> {
    if let Some(n) = crate::args::parse_i64(s) {
        return u64::try_from(n).ok();
    }
    let s = s.trim_ascii_start();
    let (neg, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits.iter().try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))?;
    Some(if neg { n.wrapping_neg() } else { n })
}

/// Bytes of a listpack integer entry.
fn lp_int(v: i64) -> usize {
    listpack_entry(v.to_string().as_bytes())
}

/// One listpack node: the id of its master entry (its first entry ever), how many of its
/// entries are live and how many flagged deleted, the master entry's fields (an entry with the
/// same fields is stored without them), the bytes of everything but the two counters, and the
/// id of its last entry (deleted or not).
#[derive(Debug, Clone, PartialEq)]
struct Node {
    live: u64,
    deleted: u64,
    fields: Vec<Bytes>,
    body: usize,
    last: Id,
    /// The bytes allocated up front (`lpNew`'s preallocation); None once shrunk to fit, when
    /// the next node opened.
    prealloc: Option<usize>,
}

impl Node {
    /// `lpBytes`: header and end byte, the two counters, the rest.
    fn bytes(&self) -> usize {
        7 + lp_int(self.live as i64) + lp_int(self.deleted as i64) + self.body
    }

    /// The allocation (`zmalloc_size`): a listpack grows by exact reallocations, rounded up to
    /// jemalloc's size classes.
    fn alloc(&self) -> usize {
        super::memory::jemalloc_size(self.bytes().max(self.prealloc.unwrap_or(0)))
    }
}

/// A pending entry (Redis's NACK): its consumer, last delivery time and delivery count.
#[derive(Debug, Clone, PartialEq)]
pub struct Nack {
    pub consumer: Bytes,
    pub time: i64,
    pub count: u64,
}

/// A consumer: the ids it has pending, when it was last seen and last active (-1: never).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Consumer {
    pub pel: SortedSet<Id>,
    pub seen: i64,
    pub active: i64,
}

/// A consumer group: its last delivered id, its read counter (-1: unknown), its pending
/// entries and consumers (by name, in byte order as Redis's radix trees list them).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub last_id: Id,
    pub entries_read: i64,
    pub pel: SortedMap<Id, Nack>,
    pub consumers: SortedMap<Bytes, Consumer>,
}

impl Group {
    pub fn new(last_id: Id, entries_read: i64) -> Group {
        Group { last_id, entries_read, pel: SortedMap::new(), consumers: SortedMap::new() }
    }

    /// The consumer `name`, created (seen now, never active) if missing; true if created.
    pub fn consumer(&mut self, name: &Bytes, now: i64) -> (&mut Consumer, bool) {
        let created = !self.consumers.contains_key(name);
        if created {
            self.consumers.insert(name.clone(), Consumer { active: -1, seen: now, ..Default::default() });
        }
        (self.consumers.get_mut(name).expect("just inserted"), created)
    }

    /// Drop the pending entry `id` from the group and its consumer.
    pub fn ack(&mut self, id: Id) -> bool {
        let Some(nack) = self.pel.remove(&id) else { return false };
        if let Some(c) = self.consumers.get_mut(&nack.consumer) {
            c.pel.remove(&id);
        }
        true
    }

    /// Give the pending entry `id` (existing) to `consumer`.
    pub fn reassign(&mut self, id: Id, consumer: &Bytes) {
        let Some(nack) = self.pel.get_mut(&id) else { return };
        if nack.consumer != *consumer {
            if let Some(old) = self.consumers.get_mut(&nack.consumer) {
                old.pel.remove(&id);
            }
            nack.consumer = consumer.clone();
        }
        if let Some(c) = self.consumers.get_mut(consumer) {
            c.pel.insert(id);
        }
    }
}

/// How to trim: keep at most `n` entries, or drop those below an id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trim {
    MaxLen(u64),
    MinId(Id),
}

/// A stream value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stream {
    /// The live entries: flat field, value, field, value...
    pub entries: SortedMap<Id, Vec<Bytes>>,
    /// Deleted entries whose node remains (Redis keeps them, flagged, in the listpack; DUMP
    /// writes them).
    tombs: SortedMap<Id, Vec<Bytes>>,
    nodes: SortedMap<Id, Node>,
    pub last_id: Id,
    pub first_id: Id,
    pub max_deleted: Id,
    pub entries_added: u64,
    pub groups: SortedMap<Bytes, Group>,
}

impl Stream {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The first ID still in a node, deleted entries included (Redis's `streamGetEdgeID` without
    /// skipping tombstones), or the largest ID when there is none: what an approximate MINID
    /// trim propagates as its exact threshold.
    pub fn first_id_in_nodes(&self) -> Id {
        let live = self.entries.first_key_value().map(|(id, _)| *id);
        let tomb = self.tombs.first_key_value().map(|(id, _)| *id);
        live.into_iter().chain(tomb).min().unwrap_or(Id::MAX)
    }

    /// The number of listpack nodes (XINFO's `radix-tree-keys`).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Radix tree nodes of the node index (XINFO's `radix-tree-nodes`).
    pub fn rax_nodes(&self) -> usize {
        rax_nodes(self.nodes.keys())
    }

    /// `objectComputeSize` for a stream: the structs, the radix trees (`streamRadixTreeMemoryUsage`),
    /// the listpacks (the first `sample` averaged, the last exact), and per group and consumer
    /// their structs, PELs and names.
    pub fn memory(&self, sample: usize) -> usize {
        let rax = |n: usize, nodes: usize| n * 16 + nodes * (4 + 240);
        let mut size = 16 + 80 + rax(self.nodes.len(), self.rax_nodes());
        let n = self.nodes.len();
        let first: usize = self.nodes.values().take(sample).map(Node::alloc).sum();
        size += if n <= sample {
            first
        } else {
            first / sample.max(1) * (n - 1) + self.nodes.values().next_back().map_or(0, Node::alloc)
        };
        for g in self.groups.values() {
            size += 40 + rax(g.pel.len(), rax_nodes(g.pel.keys())) + 24 * g.pel.len();
            for (name, c) in &g.consumers {
                size += 32 + name.len() + rax(c.pel.len(), rax_nodes(c.pel.iter()));
            }
        }
        size
    }
}

/// Nodes of a radix tree of stream ids (16-byte big-endian keys), as Redis's rax builds it: a
/// node at the root, at every branching prefix, at each child of one, and at every key's end.
fn rax_nodes<'a>(ids: impl Iterator<Item = &'a Id>) -> usize {
    {
        let key = |id: &Id| [id.ms.to_be_bytes(), id.seq.to_be_bytes()].concat();
        let keys: Vec<Vec<u8>> = ids.map(key).collect();
        let mut starts: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
        starts.push(&[]);
        for w in keys.windows(2) {
            let p = w[0].iter().zip(&w[1]).take_while(|(a, b)| a == b).count();
            starts.extend([&w[0][..p], &w[0][..p + 1], &w[1][..p + 1]]);
        }
        crate::order::sort_by(&mut starts, |a, b| a.cmp(b));
        starts.dedup();
        starts.len()
    }
}

impl Stream {
    /// The id XADD `*` generates at `now` (`streamNextID`); None when exhausted.
    pub fn next_id(&self, now: u64) -> Option<Id> {
        if now > self.last_id.ms {
            Some(Id { ms: now, seq: 0 })
        } else {
            self.last_id.incr()
        }
    }

    /// Append an entry (`streamAppendItem`), opening a new node when the tail node holds
    /// `max_entries` entries (deleted ones count) or its bytes plus the new elements reach
    /// `max_bytes` (0: no limit but 1 GB).
    pub fn append(&mut self, id: Id, fv: Vec<Bytes>, max_bytes: u64, max_entries: u64) {
        let elems: usize = fv.iter().map(Bytes::len).sum();
        let prealloc = if max_bytes > 0 && max_bytes < 4096 { max_bytes as usize } else { 4096 };
        let max_bytes = if max_bytes == 0 || max_bytes > 1 << 30 { 1 << 30 } else { max_bytes as usize };
        let mut tail = self.nodes.iter_mut().next_back();
        if let Some((_, n)) = tail.as_mut() {
            if n.bytes() + elems >= max_bytes || (max_entries != 0 && n.live + n.deleted >= max_entries) {
                n.prealloc = None;
                tail = None;
            }
        }
        let nfields = fv.len() / 2;
        let fields = || fv.iter().step_by(2);
        let (master, node) = match tail {
            Some((master, node)) => (*master, node),
            None => {
                let body =
                    lp_int(nfields as i64) + fields().map(|f| listpack_entry(f)).sum::<usize>() + lp_int(0);
                let fields = fields().cloned().collect();
                let node = Node { live: 0, deleted: 0, fields, body, last: id, prealloc: Some(prealloc) };
                self.nodes.insert(id, node);
                (id, self.nodes.get_mut(&id).expect("just inserted"))
            }
        };
        let same = node.fields.len() == nfields && fields().zip(&node.fields).all(|(a, b)| a == b);
        let mut body = lp_int(if same { 2 } else { 0 })
            + lp_int(id.ms.wrapping_sub(master.ms) as i64)
            + lp_int(id.seq.wrapping_sub(master.seq) as i64)
            + lp_int(nfields as i64 * if same { 1 } else { 2 } + 3 + i64::from(!same));
        for (i, e) in fv.iter().enumerate() {
            if i % 2 == 1 || !same {
                body += listpack_entry(e);
            }
        }
        if !same {
            body += lp_int(nfields as i64);
        }
        node.body += body;
        node.live += 1;
        node.last = id;
        self.entries.insert(id, fv);
        self.entries_added += 1;
        self.last_id = id;
        if self.entries.len() == 1 {
            self.first_id = id;
        }
    }

    /// The master id of the node holding `id`.
    fn node_of(&self, id: Id) -> Option<Id> {
        self.nodes.range(..=id).next_back().map(|(m, _)| *m)
    }

    /// Flag one entry deleted in its node. XDEL (`drop_empty`) frees a node with its last live
    /// entry; trimming inside a node leaves it, as Redis's `streamTrim` does.
    fn remove_entry(&mut self, id: Id, drop_empty: bool) -> bool {
        let Some(fv) = self.entries.remove(&id) else { return false };
        self.tombs.insert(id, fv);
        if let Some(master) = self.node_of(id) {
            if let Some(node) = self.nodes.get_mut(&master) {
                node.live -= 1;
                node.deleted += 1;
                if node.live == 0 && drop_empty {
                    let last = node.last;
                    self.drop_node(master, last);
                }
            }
        }
        true
    }

    /// Remove a whole node, its entries and its deleted ones.
    fn drop_node(&mut self, master: Id, last: Id) {
        self.entries.remove_range(master..=last);
        self.tombs.remove_range(master..=last);
        self.nodes.remove(&master);
    }

    /// The nodes for DUMP: master id, live and deleted counts, master fields, and every entry
    /// in the node (id, fields and values, deleted or not).
    #[allow(clippy::type_complexity)]
    pub fn dump_nodes(&self) -> Vec<(Id, u64, u64, &[Bytes], Vec<(Id, &[Bytes], bool)>)> {
        let nodes = self.nodes.iter().map(|(m, n)| {
            let mut items: Vec<(Id, &[Bytes], bool)> =
                self.entries.range(*m..=n.last).map(|(id, fv)| (*id, &fv[..], false)).collect();
            items.extend(self.tombs.range(*m..=n.last).map(|(id, fv)| (*id, &fv[..], true)));
            crate::order::sort_by_key(&mut items, |(id, _, _)| *id);
            (*m, n.live, n.deleted, &n.fields[..], items)
        });
        nodes.collect()
    }

    /// Add a node read from a DUMP payload: its master id and fields, its entries (deleted
    /// ones flagged), and the listpack's size. False if it overlaps a node already there.
    pub fn load_node(
        &mut self,
        master: Id,
        fields: Vec<Bytes>,
        items: Vec<(Id, Vec<Bytes>, bool)>,
        bytes: usize,
    ) -> bool {
        let (Some(first), Some(last)) = (items.first().map(|i| i.0), items.last().map(|i| i.0)) else {
            return false;
        };
        if first < master || self.nodes.range(..=last).next_back().is_some_and(|(_, n)| n.last >= master) {
            return false;
        }
        let deleted = items.iter().filter(|i| i.2).count() as u64;
        let live = items.len() as u64 - deleted;
        let body = bytes.saturating_sub(7 + lp_int(live as i64) + lp_int(deleted as i64));
        for (id, fv, dead) in items {
            if dead { &mut self.tombs } else { &mut self.entries }.insert(id, fv);
        }
        self.nodes.insert(master, Node { live, deleted, fields, body, last, prealloc: None });
        true
    }

    /// Set the counters read from a payload (with the first id recomputed when `first` is None).
    pub fn load_meta(&mut self, last: Id, first: Option<Id>, max_deleted: Id, added: u64) {
        self.last_id = last;
        self.max_deleted = max_deleted;
        self.entries_added = added;
        match first {
            Some(f) => self.first_id = f,
            None => self.refresh_first(),
        }
    }

    /// The first live id after a change, or 0-0 when empty.
    fn refresh_first(&mut self) {
        self.first_id = self.entries.keys().next().copied().unwrap_or_default();
    }

    /// XDEL of one id: true if it existed.
    pub fn delete(&mut self, id: Id) -> bool {
        if !self.remove_entry(id, true) {
            return false;
        }
        if id > self.max_deleted {
            self.max_deleted = id;
        }
        if self.first_id == id || self.entries.is_empty() {
            self.refresh_first();
        }
        true
    }

    /// `streamTrim`: whole nodes first; then, unless `approx`, entries of the first node that
    /// remains. `limit` (0: none) caps the entries removed. Returns how many went.
    pub fn trim(&mut self, how: Trim, approx: bool, limit: u64) -> u64 {
        let mut deleted = 0u64;
        while let Some((&master, node)) = self.nodes.iter().next() {
            if let Trim::MaxLen(max) = how {
                if self.entries.len() as u64 <= max {
                    break;
                }
            }
            let live = node.live;
            if limit != 0 && deleted + live > limit {
                break;
            }
            let whole = match how {
                Trim::MaxLen(max) => self.entries.len() as u64 - live >= max,
                Trim::MinId(min) => node.last < min,
            };
            if whole {
                let last = node.last;
                self.drop_node(master, last);
                deleted += live;
                continue;
            }
            if approx {
                break;
            }
            let ids: Vec<Id> = self.entries.range(master..=node.last).map(|(id, _)| *id).collect();
            for id in ids {
                let stop = match how {
                    Trim::MaxLen(max) => self.entries.len() as u64 <= max,
                    Trim::MinId(min) => id >= min,
                };
                if stop {
                    break;
                }
                self.remove_entry(id, false);
                deleted += 1;
            }
            break;
        }
        self.refresh_first();
        deleted
    }

    /// True if a deleted entry may lie between `start` (None: the start) and the end
    /// (`streamRangeHasTombstones` with no end).
    pub fn has_tombstones_from(&self, start: Option<Id>) -> bool {
        if self.entries.is_empty() || self.max_deleted == Id::ZERO || self.first_id > self.max_deleted {
            return false;
        }
        start.unwrap_or_default() <= self.max_deleted
    }

    /// `streamEstimateDistanceFromFirstEverEntry`: the read counter of `id`, -1 if unknown.
    pub fn estimate_distance(&self, id: Id) -> i64 {
        let added = self.entries_added as i64;
        if added == 0 {
            return 0;
        }
        if self.entries.is_empty() && id <= self.last_id {
            return added;
        }
        if id == self.last_id {
            return added;
        }
        if id > self.last_id {
            return -1;
        }
        if self.max_deleted == Id::ZERO || self.max_deleted < self.first_id {
            let len = self.entries.len() as i64;
            if id < self.first_id {
                return added - len;
            }
            if id == self.first_id {
                return added - len + 1;
            }
        }
        -1
    }

    /// A group's lag (`streamReplyWithCGLag`), None when it cannot be known.
    pub fn lag(&self, g: &Group) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if g.entries_read != -1 && !self.has_tombstones_from(Some(g.last_id)) {
            return Some(self.entries_added as i64 - g.entries_read);
        }
        match self.estimate_distance(g.last_id) {
            -1 => None,
            read => Some(self.entries_added as i64 - read),
        }
    }
}
