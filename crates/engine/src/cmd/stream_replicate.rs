//! The lines a consumer group's reads and claims reach replicas as (t_stream.c's
//! `streamPropagateXCLAIM`, `streamPropagateGroupID`, `streamPropagateConsumerCreation`):
//! XREADGROUP, XCLAIM and XAUTOCLAIM are never sent as typed, since a replica would pick other
//! entries at another time; each entry they hand out becomes an idempotent XCLAIM with its
//! delivery time and count, and the group's new last ID an XGROUP SETID.

use crate::propagate::argv;
use crate::types::stream::{Group, Id, Nack};
use bytes::Bytes;

/// `XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last`: gives the
/// replica's pending entry `id` the owner and delivery data of `nack` (the entry is dropped
/// from the replica's PEL when its stream no longer holds it).
pub fn xclaim(key: &[u8], group: &[u8], id: &[u8], nack: &Nack, last_id: Id) -> Vec<Bytes> {
    let (time, count) = (nack.time.to_string(), nack.count.to_string());
    argv([
        b"XCLAIM",
        key,
        group,
        &nack.consumer,
        b"0",
        id,
        b"TIME",
        time.as_bytes(),
        b"RETRYCOUNT",
        count.as_bytes(),
        b"FORCE",
        b"JUSTID",
        b"LASTID",
        &last_id.text(),
    ])
}

/// `XGROUP SETID key group last ENTRIESREAD n`: the group's position after a read.
pub fn set_id(key: &[u8], group: &[u8], g: &Group) -> Vec<Bytes> {
    let read = g.entries_read.to_string();
    argv([b"XGROUP", b"SETID", key, group, &g.last_id.text(), b"ENTRIESREAD", read.as_bytes()])
}

/// `XGROUP CREATECONSUMER key group consumer`: a consumer an XREADGROUP NOACK created, which
/// no XCLAIM would create on the replica.
pub fn create_consumer(key: &[u8], group: &[u8], consumer: &[u8]) -> Vec<Bytes> {
    argv([b"XGROUP", b"CREATECONSUMER", key, group, consumer])
}
