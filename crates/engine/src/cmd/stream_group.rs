//! Consumer groups (Redis's `t_stream.c`): XGROUP, XREADGROUP (through `stream.rs`'s reading
//! loop), XACK, XPENDING, XCLAIM, XAUTOCLAIM, and XINFO, which also describes the stream.
//!
//! Times (delivery, consumers' seen and active times) come from the virtual clock.

use super::connection::help_lines;
use super::services::syntax_error;
use super::stream::{
    entry_at, entry_frame, no_group, parse_bound, parse_id, range, read_stream, write_stream,
};
use super::stream_replicate;
use super::{spec, CommandSpec};
use crate::args::{parse_i64, Args};
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;
use crate::types::stream::{Group, Id, Nack, Stream};
use crate::types::Value;
use bytes::Bytes;

const HELP: &[&str] = &["loading", "stale"];

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    CommandSpec {
        name: "xgroup",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "stream",
        summary: "Create, change and destroy consumer groups and their consumers.",
        syntax: "subcommand [argument ...]",
        run: super::container,
        subcommands: XGROUP,
    },
    spec(
        "xreadgroup",
        -7,
        &["write", "blocking", "movablekeys"],
        (0, 0, 0),
        "stream",
        "Read as a consumer of a group: `>` for new entries, an id for its pending history.",
        "GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]",
        xreadgroup,
    ),
    spec(
        "xack",
        -4,
        &["write", "fast"],
        (1, 1, 1),
        "stream",
        "Acknowledge pending entries of a group.",
        "key group id [id ...]",
        xack,
    ),
    spec(
        "xpending",
        -3,
        &["readonly"],
        (1, 1, 1),
        "stream",
        "A group's pending entries: a summary, or a range with owners, idle times and deliveries.",
        "key group [[IDLE min-idle-time] start end count [consumer]]",
        xpending,
    ),
    spec(
        "xclaim",
        -6,
        &["write", "fast"],
        (1, 1, 1),
        "stream",
        "Take over pending entries idle for at least min-idle-time.",
        "key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]",
        xclaim,
    ),
    spec(
        "xautoclaim",
        -6,
        &["write", "fast"],
        (1, 1, 1),
        "stream",
        "XCLAIM the pending entries from an id on, returning a cursor for the next call.",
        "key group consumer min-idle-time start [COUNT count] [JUSTID]",
        xautoclaim,
    ),
    CommandSpec {
        name: "xinfo",
        arity: -2,
        flags: &[],
        keys: (0, 0, 0),
        group: "stream",
        summary: "Describe a stream, its groups or a group's consumers.",
        syntax: "subcommand [argument ...]",
        run: super::container,
        subcommands: XINFO,
    },
]);

crate::cmd::lazy_table!(
    XGROUP,
    XGROUP_FULL = [
        spec(
            "create",
            -5,
            &["write", "denyoom"],
            (2, 2, 1),
            "stream",
            "Create a group reading after an id (`$`: the last one).",
            "key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]",
            xgroup,
        ),
        spec(
            "setid",
            -5,
            &["write"],
            (2, 2, 1),
            "stream",
            "Set a group's last delivered id.",
            "key group id|$ [ENTRIESREAD entries-read]",
            xgroup,
        ),
        spec("destroy", 4, &["write"], (2, 2, 1), "stream", "Delete a group.", "key group", xgroup),
        spec(
            "createconsumer",
            5,
            &["write", "denyoom"],
            (2, 2, 1),
            "stream",
            "Add a consumer to a group.",
            "key group consumer",
            xgroup,
        ),
        spec(
            "delconsumer",
            5,
            &["write"],
            (2, 2, 1),
            "stream",
            "Remove a consumer (its pending entries go too); returns how many it had.",
            "key group consumer",
            xgroup,
        ),
        spec("help", 2, HELP, (0, 0, 0), "stream", "Show XGROUP's subcommands.", "", xgroup_help),
    ]
);

crate::cmd::lazy_table!(
    XINFO,
    XINFO_FULL = [
        spec("consumers", 4, &["readonly"], (2, 2, 1), "stream", "A group's consumers.", "key group", xinfo),
        spec("groups", 3, &["readonly"], (2, 2, 1), "stream", "A stream's groups.", "key", xinfo),
        spec(
            "stream",
            -3,
            &["readonly"],
            (2, 2, 1),
            "stream",
            "A stream's counters, ends, or (FULL) its entries and groups.",
            "key [FULL [COUNT count]]",
            xinfo,
        ),
        spec("help", 2, HELP, (0, 0, 0), "stream", "Show XINFO's subcommands.", "", xinfo_help),
    ]
);

fn xgroup_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "XGROUP",
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        ],
    ))
}

fn xinfo_help(_: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(help_lines(
        "XINFO",
        &[
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        ],
    ))
}

/// `NOGROUP No such consumer group 'g' for key name 'k'`.
fn no_such_group(key: &[u8], group: &[u8]) -> CmdError {
    let (k, g) = (String::from_utf8_lossy(key), String::from_utf8_lossy(group));
    CmdError::raw(format!("NOGROUP No such consumer group '{g}' for key name '{k}'"))
}

/// The group `name` of the stream at `key` (for writing), with Redis's NOGROUP error.
fn group_of<'a>(ctx: &'a mut Ctx, key: &[u8], name: &[u8]) -> Result<(&'a mut Stream, Bytes), CmdError> {
    match write_stream(ctx, key)? {
        Some(s) if s.groups.contains_key(name) => Ok((s, Bytes::copy_from_slice(name))),
        _ => Err(no_group(key, name, "")),
    }
}

/// `xgroupCommand`: options first, then the key and group, then the subcommand.
fn xgroup(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let all = args.all().to_vec();
    let sub = all[1].to_ascii_lowercase();
    let (create, setid) = (sub == b"create", sub == b"setid");
    let (mut mkstream, mut entries_read) = (false, -1i64);
    let mut i = 5;
    while i < all.len() {
        if create && all[i].eq_ignore_ascii_case(b"MKSTREAM") {
            mkstream = true;
            i += 1;
        } else if (create || setid) && all[i].eq_ignore_ascii_case(b"ENTRIESREAD") && i + 1 < all.len() {
            entries_read = parse_i64(&all[i + 1]).ok_or_else(CmdError::not_integer)?;
            if entries_read < -1 {
                return Err(CmdError::err("value for ENTRIESREAD must be positive or -1"));
            }
            i += 2;
        } else {
            return Err(syntax_error(args, "XGROUP"));
        }
    }
    let (key, name) = (all[2].clone(), all[3].clone());
    let exists = write_stream(ctx, &key)?.is_some();
    if !mkstream {
        let Some(s) = write_stream(ctx, &key)? else {
            return Err(CmdError::err("The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."));
        };
        if !s.groups.contains_key(&name) && !create && sub != b"destroy" {
            return Err(no_such_group(&key, &name));
        }
    }
    let now = ctx.now as i64;
    let event;
    let reply = match sub.as_slice() {
        b"create" if all.len() <= 8 => {
            let last = write_stream(ctx, &key)?.map_or(Id::ZERO, |s| s.last_id);
            let id = if all[4].as_ref() == b"$" { last } else { parse_id(&all[4], 0, true)? };
            if !exists {
                ctx.set(key.clone(), Value::Stream(Box::default()), None);
            }
            let s = write_stream(ctx, &key)?.ok_or_else(CmdError::syntax)?;
            if s.groups.contains_key(&name) {
                return Err(CmdError::raw("BUSYGROUP Consumer Group name already exists"));
            }
            s.groups.insert(name, Group::new(id, entries_read));
            event = "xgroup-create";
            Frame::ok()
        }
        b"setid" if all.len() == 5 || all.len() == 7 => {
            let (s, name) = group_of(ctx, &key, &name)?;
            let id = if all[4].as_ref() == b"$" { s.last_id } else { parse_id(&all[4], 0, false)? };
            if let Some(g) = s.groups.get_mut(&name) {
                g.last_id = id;
                g.entries_read = entries_read;
            }
            event = "xgroup-setid";
            Frame::ok()
        }
        b"destroy" => {
            let s = write_stream(ctx, &key)?.ok_or_else(CmdError::syntax)?;
            if s.groups.remove(&name).is_none() {
                return Ok(Frame::Integer(0));
            }
            event = "xgroup-destroy";
            Frame::Integer(1)
        }
        b"createconsumer" => {
            let (s, name) = group_of(ctx, &key, &name)?;
            let g = s.groups.get_mut(&name).ok_or_else(CmdError::syntax)?;
            if !g.consumer(&all[4], now).1 {
                return Ok(Frame::Integer(0));
            }
            event = "xgroup-createconsumer";
            Frame::Integer(1)
        }
        b"delconsumer" => {
            let (s, name) = group_of(ctx, &key, &name)?;
            let g = s.groups.get_mut(&name).ok_or_else(CmdError::syntax)?;
            let Some(c) = g.consumers.remove(&all[4]) else { return Ok(Frame::Integer(0)) };
            for id in c.pel.iter() {
                g.pel.remove(id);
            }
            event = "xgroup-delconsumer";
            Frame::Integer(c.pel.len() as i64)
        }
        _ => return Err(syntax_error(args, "XGROUP")),
    };
    ctx.modified(&key);
    if !exists {
        // MKSTREAM's new key and the group are one change for Redis.
        ctx.server.dirty -= 1;
    }
    ctx.notify(crate::notify::STREAM, event, &key);
    Ok(reply)
}

fn xreadgroup(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    super::stream::read_streams(ctx, args, true)
}

/// Parse ids (strict) from `raw`, all or nothing.
fn parse_ids(raw: &[Bytes]) -> Result<Vec<Id>, CmdError> {
    raw.iter().map(|r| parse_id(r, 0, true)).collect()
}

fn xack(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let (key, name) = (args.next_bytes()?, args.next_bytes()?);
    let raw = args.rest();
    match read_stream(ctx, &key)? {
        Some(s) if s.groups.contains_key(&name) => {}
        _ => return Ok(Frame::Integer(0)),
    }
    let ids = parse_ids(&raw)?;
    let (s, name) = group_of(ctx, &key, &name)?;
    let g = s.groups.get_mut(&name).ok_or_else(CmdError::syntax)?;
    let acked = ids.into_iter().filter(|id| g.ack(*id)).count();
    if acked > 0 {
        ctx.modified(&key);
        ctx.server.dirty += acked as u64 - 1;
    }
    Ok(Frame::Integer(acked as i64))
}

fn xpending(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let all = args.all().to_vec();
    let argc = all.len();
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(CmdError::syntax());
    }
    let mut ext = None;
    if argc >= 6 {
        let mut at = 3;
        let mut min_idle = 0;
        if all[3].eq_ignore_ascii_case(b"IDLE") {
            min_idle = parse_i64(&all[4]).ok_or_else(CmdError::not_integer)?;
            if argc < 8 {
                return Err(CmdError::syntax());
            }
            at = 5;
        }
        let count = parse_i64(&all[at + 2]).ok_or_else(CmdError::not_integer)?.max(0) as usize;
        let start = parse_bound(&all[at], true)?;
        let end = parse_bound(&all[at + 1], false)?;
        ext = Some((min_idle, start, end, count, all.get(at + 3).cloned()));
    }
    let (key, name) = (&all[1], &all[2]);
    let now = ctx.now as i64;
    let s = read_stream(ctx, key)?;
    let Some(g) = s.and_then(|s| s.groups.get(name)) else { return Err(no_group(key, name, "")) };
    let Some((min_idle, start, end, count, consumer)) = ext else {
        let (Some((first, _)), Some((last, _))) = (g.pel.first_key_value(), g.pel.last_key_value()) else {
            return Ok(Frame::Array(vec![Frame::Integer(0), Frame::Null, Frame::Null, Frame::NullArray]));
        };
        let owners = g.consumers.iter().filter(|(_, c)| !c.pel.is_empty());
        let owners = owners
            .map(|(n, c)| Frame::Array(vec![Frame::Bulk(n.clone()), Frame::bulk_int(c.pel.len() as i64)]));
        return Ok(Frame::Array(vec![
            Frame::Integer(g.pel.len() as i64),
            Frame::Bulk(first.text()),
            Frame::Bulk(last.text()),
            Frame::Array(owners.collect()),
        ]));
    };
    let ids: Vec<Id> = match &consumer {
        Some(c) => match g.consumers.get(c) {
            Some(c) => c.pel.range(start..).copied().take_while(|id| *id <= end).collect(),
            None => return Ok(Frame::Array(vec![])),
        },
        None => g.pel.range(start..).map(|(id, _)| *id).take_while(|id| *id <= end).collect(),
    };
    let mut out = Vec::new();
    for id in ids {
        if out.len() >= count {
            break;
        }
        let Some(n) = g.pel.get(&id) else { continue };
        if min_idle != 0 && now.saturating_sub(n.time) < min_idle {
            continue;
        }
        out.push(Frame::Array(vec![
            Frame::Bulk(id.text()),
            Frame::Bulk(n.consumer.clone()),
            Frame::Integer(now.saturating_sub(n.time).max(0)),
            Frame::Integer(n.count as i64),
        ]));
    }
    Ok(Frame::Array(out))
}

/// `ERR <msg>` when `raw` is not an integer.
fn int_or(raw: &[u8], msg: &str) -> Result<i64, CmdError> {
    parse_i64(raw).ok_or_else(|| CmdError::err(msg))
}

fn xclaim(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let all = args.all().to_vec();
    let (key, name, consumer) = (&all[1], &all[2], all[3].clone());
    match read_stream(ctx, key)? {
        Some(s) if s.groups.contains_key(name) => {}
        _ => return Err(no_group(key, name, "")),
    }
    let min_idle = int_or(&all[4], "Invalid min-idle-time argument for XCLAIM")?.max(0);
    let ids: Vec<Id> =
        all[5..].iter().map_while(|r| Id::parse(r, 0, true, false).map(|(id, _)| id)).collect();
    // Replicas get each claim as typed id by id (`c->argv[j]`), in its idempotent form.
    let typed_ids = &all[5..5 + ids.len()];
    let now = ctx.now as i64;
    let (mut retry, mut time, mut force, mut justid, mut last_id) = (-1i64, -1i64, false, false, Id::ZERO);
    let mut j = 5 + ids.len();
    while j < all.len() {
        let opt = &all[j];
        let more = all.len() - 1 - j;
        let word = |w: &str| opt.eq_ignore_ascii_case(w.as_bytes());
        if word("FORCE") {
            force = true;
        } else if word("JUSTID") {
            justid = true;
        } else if word("IDLE") && more > 0 {
            j += 1;
            time = now.wrapping_sub(int_or(&all[j], "Invalid IDLE option argument for XCLAIM")?);
        } else if word("TIME") && more > 0 {
            j += 1;
            time = int_or(&all[j], "Invalid TIME option argument for XCLAIM")?;
        } else if word("RETRYCOUNT") && more > 0 {
            j += 1;
            retry = int_or(&all[j], "Invalid RETRYCOUNT option argument for XCLAIM")?;
        } else if word("LASTID") && more > 0 {
            j += 1;
            last_id = parse_id(&all[j], 0, true)?;
        } else {
            let opt = String::from_utf8_lossy(opt.split(|&b| b == 0).next().unwrap_or_default());
            return Err(CmdError::err(format!("Unrecognized XCLAIM option '{opt}'")));
        }
        j += 1;
    }
    let time = if time < 0 || time > now { now } else { time };
    let (s, name) = group_of(ctx, key, name)?;
    let g = s.groups.get_mut(&name).ok_or_else(CmdError::syntax)?;
    // The changes Redis counts: a new consumer, each entry claimed or dropped, and a LASTID
    // that moved when nothing else followed it.
    let mut lastid_moved = last_id > g.last_id;
    if lastid_moved {
        g.last_id = last_id;
    }
    let (c, created) = g.consumer(&consumer, now);
    c.seen = now;
    let mut changes = u64::from(created);
    if created {
        ctx.notify(crate::notify::STREAM, "xgroup-createconsumer", key);
    }
    let (s, name) = group_of(ctx, key, &name)?;
    let g = s.groups.get_mut(&name).ok_or_else(CmdError::syntax)?;
    let mut out = Vec::new();
    let mut lines = Vec::new();
    for (id, typed) in ids.into_iter().zip(typed_ids) {
        let Some(fv) = s.entries.get(&id) else {
            if let Some(nack) = g.pel.get(&id) {
                lines.push(stream_replicate::xclaim(key, &name, typed, nack, g.last_id));
            }
            if g.ack(id) {
                changes += 1;
                lastid_moved = false;
            }
            continue;
        };
        let fresh = !g.pel.contains_key(&id);
        if fresh {
            if !force {
                continue;
            }
            g.pel.insert(id, Nack { consumer: consumer.clone(), time: now, count: 1 });
        } else if min_idle != 0 && now.saturating_sub(g.pel.get(&id).map_or(now, |n| n.time)) < min_idle {
            continue;
        }
        g.reassign(id, &consumer);
        if let Some(n) = g.pel.get_mut(&id) {
            n.time = time;
            if retry >= 0 {
                n.count = retry as u64;
            } else if !justid {
                n.count += 1;
            }
        }
        out.push(if justid { Frame::Bulk(id.text()) } else { entry_frame(id, fv) });
        if let Some(c) = g.consumers.get_mut(&consumer) {
            c.active = now;
        }
        if let Some(nack) = g.pel.get(&id) {
            lines.push(stream_replicate::xclaim(key, &name, typed, nack, g.last_id));
        }
        changes += 1;
        lastid_moved = false;
    }
    if lastid_moved {
        lines.push(stream_replicate::set_id(key, &name, g));
    }
    changes += u64::from(lastid_moved);
    ctx.propagate_as(|| lines);
    count_changes(ctx, key, changes);
    Ok(Frame::Array(out))
}

fn xautoclaim(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let all = args.all().to_vec();
    let (key, name, consumer) = (&all[1], &all[2], all[3].clone());
    let min_idle = int_or(&all[4], "Invalid min-idle-time argument for XAUTOCLAIM")?.max(0);
    let start = parse_bound(&all[5], true)?;
    let (mut count, mut justid) = (100i64, false);
    let mut j = 6;
    while j < all.len() {
        let more = all.len() - 1 - j;
        if all[j].eq_ignore_ascii_case(b"COUNT") && more > 0 {
            count = parse_i64(&all[j + 1])
                .filter(|n| (1..=i64::MAX / 16).contains(n))
                .ok_or_else(|| CmdError::err("COUNT must be > 0"))?;
            j += 1;
        } else if all[j].eq_ignore_ascii_case(b"JUSTID") {
            justid = true;
        } else {
            return Err(CmdError::syntax());
        }
        j += 1;
    }
    match read_stream(ctx, key)? {
        Some(s) if s.groups.contains_key(name) => {}
        _ => return Err(no_group(key, name, "")),
    }
    let now = ctx.now as i64;
    let (s, name) = group_of(ctx, key, name)?;
    let g = s.groups.get_mut(&name).ok_or_else(CmdError::syntax)?;
    let (c, created) = g.consumer(&consumer, now);
    c.seen = now;
    let mut changes = u64::from(created);
    if created {
        ctx.notify(crate::notify::STREAM, "xgroup-createconsumer", key);
    }
    let (s, name) = group_of(ctx, key, &name)?;
    let g = s.groups.get_mut(&name).ok_or_else(CmdError::syntax)?;
    let mut attempts = count.saturating_mul(10);
    let (mut claimed, mut deleted, mut lines) = (Vec::new(), Vec::new(), Vec::new());
    let mut cursor = g.pel.range(start..).next().map(|(id, _)| *id);
    while let Some(id) = cursor.filter(|_| attempts > 0 && count > 0) {
        attempts -= 1;
        cursor =
            g.pel.range((std::ops::Bound::Excluded(id), std::ops::Bound::Unbounded)).next().map(|(i, _)| *i);
        let Some(fv) = s.entries.get(&id) else {
            if let Some(nack) = g.pel.get(&id) {
                lines.push(stream_replicate::xclaim(key, &name, &id.text(), nack, g.last_id));
            }
            g.ack(id);
            deleted.push(Frame::Bulk(id.text()));
            changes += 1;
            count -= 1;
            continue;
        };
        if min_idle != 0 && now.saturating_sub(g.pel.get(&id).map_or(now, |n| n.time)) < min_idle {
            continue;
        }
        g.reassign(id, &consumer);
        if let Some(n) = g.pel.get_mut(&id) {
            n.time = now;
            n.count += u64::from(!justid);
        }
        claimed.push(if justid { Frame::Bulk(id.text()) } else { entry_frame(id, fv) });
        changes += 1;
        count -= 1;
        if let Some(c) = g.consumers.get_mut(&consumer) {
            c.active = now;
        }
        if let Some(nack) = g.pel.get(&id) {
            lines.push(stream_replicate::xclaim(key, &name, &id.text(), nack, g.last_id));
        }
    }
    let next = cursor.unwrap_or_default();
    ctx.propagate_as(|| lines);
    count_changes(ctx, key, changes);
    Ok(Frame::Array(vec![Frame::Bulk(next.text()), Frame::Array(claimed), Frame::Array(deleted)]))
}

/// After a command that changed `key` `changes` times as Redis counts them (none: untouched).
fn count_changes(ctx: &mut Ctx, key: &Bytes, changes: u64) {
    if changes > 0 {
        ctx.modified(key);
        ctx.server.dirty += changes - 1;
    }
}

/// `[id, consumer?, time, count]` of a pending entry, for XINFO STREAM FULL.
fn nack_frame(id: Id, n: &Nack, with_consumer: bool) -> Frame {
    let mut v = vec![Frame::Bulk(id.text())];
    if with_consumer {
        v.push(Frame::Bulk(n.consumer.clone()));
    }
    v.extend([Frame::Integer(n.time), Frame::Integer(n.count as i64)]);
    Frame::Array(v)
}

fn pair(name: &str, v: Frame) -> (Frame, Frame) {
    (Frame::bulk(name.to_string()), v)
}

fn lag_frame(s: &Stream, g: &Group) -> Frame {
    s.lag(g).map_or(Frame::Null, Frame::Integer)
}

fn read_counter(g: &Group) -> Frame {
    if g.entries_read == -1 {
        Frame::Null
    } else {
        Frame::Integer(g.entries_read)
    }
}

fn xinfo(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let all = args.all().to_vec();
    let sub = all[1].to_ascii_lowercase();
    let key = &all[2];
    let now = ctx.now as i64;
    let s = read_stream(ctx, key)?.ok_or_else(CmdError::no_such_key)?;
    match sub.as_slice() {
        b"consumers" => {
            let g = s.groups.get(&all[3]).ok_or_else(|| no_such_group(key, &all[3]))?;
            let list = g.consumers.iter().map(|(n, c)| {
                let inactive = if c.active == -1 { -1 } else { now - c.active };
                Frame::Map(vec![
                    pair("name", Frame::Bulk(n.clone())),
                    pair("pending", Frame::Integer(c.pel.len() as i64)),
                    pair("idle", Frame::Integer((now - c.seen).max(0))),
                    pair("inactive", Frame::Integer(inactive)),
                ])
            });
            Ok(Frame::Array(list.collect()))
        }
        b"groups" => {
            let list = s.groups.iter().map(|(n, g)| {
                Frame::Map(vec![
                    pair("name", Frame::Bulk(n.clone())),
                    pair("consumers", Frame::Integer(g.consumers.len() as i64)),
                    pair("pending", Frame::Integer(g.pel.len() as i64)),
                    pair("last-delivered-id", Frame::Bulk(g.last_id.text())),
                    pair("entries-read", read_counter(g)),
                    pair("lag", lag_frame(s, g)),
                ])
            });
            Ok(Frame::Array(list.collect()))
        }
        _ => {
            let opts = &all[3..];
            let full = !opts.is_empty();
            let mut count = 10;
            if full {
                if (opts.len() != 1 && opts.len() != 3)
                    || !opts[0].eq_ignore_ascii_case(b"FULL")
                    || (opts.len() == 3 && !opts[1].eq_ignore_ascii_case(b"COUNT"))
                {
                    return Err(syntax_error(args, "XINFO"));
                }
                if opts.len() == 3 {
                    count = parse_i64(&opts[2]).ok_or_else(CmdError::not_integer)?;
                    if count < 0 {
                        count = 10;
                    }
                }
            }
            let mut m = vec![
                pair("length", Frame::Integer(s.len() as i64)),
                pair("radix-tree-keys", Frame::Integer(s.node_count() as i64)),
                pair("radix-tree-nodes", Frame::Integer(s.rax_nodes() as i64)),
                pair("last-generated-id", Frame::Bulk(s.last_id.text())),
                pair("max-deleted-entry-id", Frame::Bulk(s.max_deleted.text())),
                pair("entries-added", Frame::Integer(s.entries_added as i64)),
                pair("recorded-first-entry-id", Frame::Bulk(s.first_id.text())),
            ];
            if !full {
                let first = s.entries.keys().next().and_then(|id| entry_at(s, *id));
                let last = s.entries.keys().next_back().and_then(|id| entry_at(s, *id));
                m.push(pair("groups", Frame::Integer(s.groups.len() as i64)));
                m.push(pair("first-entry", first.unwrap_or(Frame::Null)));
                m.push(pair("last-entry", last.unwrap_or(Frame::Null)));
                return Ok(Frame::Map(m));
            }
            m.push(pair("entries", Frame::Array(range(s, Id::ZERO, Id::MAX, count as usize, false))));
            let n = if count == 0 { usize::MAX } else { count as usize };
            let groups = s.groups.iter().map(|(name, g)| {
                let pel = g.pel.iter().take(n).map(|(id, nk)| nack_frame(*id, nk, true));
                let consumers = g.consumers.iter().map(|(cn, c)| {
                    let pending = c
                        .pel
                        .iter()
                        .take(n)
                        .filter_map(|id| g.pel.get(id).map(|nk| nack_frame(*id, nk, false)));
                    Frame::Map(vec![
                        pair("name", Frame::Bulk(cn.clone())),
                        pair("seen-time", Frame::Integer(c.seen)),
                        pair("active-time", Frame::Integer(c.active)),
                        pair("pel-count", Frame::Integer(c.pel.len() as i64)),
                        pair("pending", Frame::Array(pending.collect())),
                    ])
                });
                Frame::Map(vec![
                    pair("name", Frame::Bulk(name.clone())),
                    pair("last-delivered-id", Frame::Bulk(g.last_id.text())),
                    pair("entries-read", read_counter(g)),
                    pair("lag", lag_frame(s, g)),
                    pair("pel-count", Frame::Integer(g.pel.len() as i64)),
                    pair("pending", Frame::Array(pel.collect())),
                    pair("consumers", Frame::Array(consumers.collect())),
                ])
            });
            m.push(pair("groups", Frame::Array(groups.collect())));
            Ok(Frame::Map(m))
        }
    }
}
