//! Replication: ROLE, WAIT and WAITAOF (no replica ever acknowledges, so they wait out their
//! timeout), SYNC/PSYNC/REPLCONF for replicas of this server, REPLICAOF / SLAVEOF, and
//! FAILOVER's checks. Replies and errors are Redis 7.4's `replication.c`.
//!
//! REPLICAOF host port makes the server a replica as Redis does (read-only, its blocked clients
//! unblocked, nothing of its own propagated, `replica-serve-stale-data no` honoured); the link
//! to the primary is the host's to make (`crate::follow`), and stays down in the page.

use super::spec;
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::Frame;

crate::cmd::lazy_table!(pub COMMANDS, FULL = [
    spec(
        "role",
        1,
        &["noscript", "loading", "stale", "fast"],
        (0, 0, 0),
        "server",
        "This server's replication role: a primary, its offset, and its replicas (none here).",
        "",
        role,
    ),
    spec(
        "wait",
        3,
        &["blocking"],
        (0, 0, 0),
        "connection",
        "Wait until N replicas acknowledge this client's writes, or the timeout (ms) passes.",
        "numreplicas timeout",
        wait,
    ),
    spec(
        "waitaof",
        4,
        &["blocking"],
        (0, 0, 0),
        "connection",
        "Wait until this client's writes are in the append-only file locally and on N replicas.",
        "numlocal numreplicas timeout",
        waitaof,
    ),
    spec(
        "replicaof",
        3,
        &["admin", "noscript", "stale", "no_async_loading"],
        (0, 0, 0),
        "server",
        "Make this server a replica of another, or a primary again with NO ONE.",
        "host port | NO ONE",
        replicaof,
    ),
    spec(
        "slaveof",
        3,
        &["admin", "noscript", "stale", "no_async_loading"],
        (0, 0, 0),
        "server",
        "The old name of REPLICAOF.",
        "host port | NO ONE",
        replicaof,
    ),
    spec(
        "failover",
        -1,
        &["admin", "noscript", "stale"],
        (0, 0, 0),
        "server",
        "Hand the primary role to a replica (this server has none).",
        "[TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]",
        failover,
    ),
    spec(
        "sync",
        1,
        &["admin", "noscript", "no_async_loading", "no_multi"],
        (0, 0, 0),
        "server",
        "Become a replica of this server the old way: the RDB of the data, then every change.",
        "",
        sync,
    ),
    spec(
        "psync",
        -3,
        &["admin", "noscript", "no_async_loading", "no_multi"],
        (0, 0, 0),
        "server",
        "Become a replica of this server: always a full resync here (FULLRESYNC, then the RDB).",
        "replicationid offset",
        psync,
    ),
    spec(
        "replconf",
        -1,
        &["admin", "noscript", "loading", "stale", "allow_busy"],
        (0, 0, 0),
        "server",
        "What a replica tells its primary (listening port, capabilities, acknowledged offset).",
        "",
        replconf,
    ),
]);

/// SYNC: the client becomes a replica. It gets the RDB of the dataset now and, from the next
/// command on, the replication stream (`crate::propagate`).
fn sync(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(attach_replica(ctx))
}

/// Make the caller a replica from now on; the RDB of the data it starts from.
fn attach_replica(ctx: &mut Ctx) -> Frame {
    let rdb = crate::rdb::file(ctx.server, ctx.now);
    ctx.server.repl.attach(ctx.client.id, ctx.now);
    ctx.client.replica = true;
    Frame::Transfer(rdb.into())
}

/// PSYNC: this primary keeps no backlog, so every replica gets a full resync, as Redis answers
/// an unknown replication id: `+FULLRESYNC <replid> <offset>`, then the RDB.
fn psync(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let rdb = attach_replica(ctx);
    let id = ctx.client.id;
    ctx.server.push_to(id, rdb);
    Ok(Frame::Simple(format!("FULLRESYNC {} {}", replication_id(ctx), ctx.server.repl.offset)))
}

/// This server's replication id (INFO's `master_replid`): 40 hex digits fixed at its start.
pub fn replication_id(ctx: &Ctx) -> String {
    crate::digest::sha1_hex(format!("replid {}", ctx.server.started_ms).as_bytes())
}

/// REPLCONF: options in pairs, each accepted as Redis accepts it; ACK has no reply.
fn replconf(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let options = args.rest();
    if options.len() % 2 == 1 {
        return Err(CmdError::wrong_arity("replconf"));
    }
    for pair in options.chunks(2) {
        let name = String::from_utf8_lossy(&pair[0]).to_ascii_lowercase();
        match name.as_str() {
            "ack" | "fack" => {
                let offset = crate::args::parse_i64(&pair[1]).and_then(|n| u64::try_from(n).ok());
                ctx.server.repl.ack(ctx.client.id, ctx.now, offset);
                ctx.client.reply_skip = true;
                return Ok(Frame::Simple("OK".into()));
            }
            "listening-port" => {
                let port = crate::args::parse_i64(&pair[1]).filter(|p| (0..=65535).contains(p));
                ctx.client.listening_port = port.ok_or_else(CmdError::not_integer)? as u16;
            }
            "ip-address" | "capa" | "getack" | "rdb-only" | "rdb-filter-only" | "rdb-channel" => {}
            _ => {
                return Err(CmdError::err(format!(
                    "Unrecognized REPLCONF option: {}",
                    String::from_utf8_lossy(&pair[0])
                )))
            }
        }
    }
    Ok(Frame::Simple("OK".into()))
}

/// ROLE: a primary at replication offset 0 (INFO's `master_repl_offset`: with no replica and
/// no backlog, nothing is counted) with no replicas.
fn role(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    if let Some((host, port)) = &ctx.server.repl.primary {
        // `connected` at the offset reached, or `connect` (Redis's REPL_STATE_CONNECT, trying)
        // with no offset while the link is down.
        let (state, offset) = match &ctx.server.repl.link {
            Some(link) => ("connected", link.offset as i64),
            None => ("connect", -1),
        };
        return Ok(Frame::Array(vec![
            Frame::bulk("slave"),
            Frame::bulk(host.clone()),
            Frame::Integer(i64::from(*port)),
            Frame::bulk(state),
            Frame::Integer(offset),
        ]));
    }
    let offset = ctx.server.repl.offset as i64;
    let replicas = replica_lines(ctx.server, ctx.now)
        .into_iter()
        .map(|r| {
            Frame::Array(vec![
                Frame::bulk(r.ip),
                Frame::bulk(r.port.to_string()),
                Frame::bulk(r.offset.to_string()),
            ])
        })
        .collect();
    Ok(Frame::Array(vec![Frame::bulk("master"), Frame::Integer(offset), Frame::Array(replicas)]))
}

/// An attached replica as INFO and ROLE show it.
pub struct ReplicaLine {
    pub ip: String,
    pub port: u16,
    pub offset: u64,
    /// Seconds since it last acknowledged.
    pub lag: u64,
}

/// The replicas attached with SYNC or PSYNC, in the order they attached.
pub fn replica_lines(server: &crate::server::Server, now: u64) -> Vec<ReplicaLine> {
    server
        .repl
        .acknowledged()
        .map(|(id, acked, offset)| {
            let addr = super::connection::client_addr(id);
            let ip = addr.rsplit_once(':').map_or(addr.clone(), |(ip, _)| ip.to_string());
            let port = server.clients.get(&id).map_or(0, |c| c.listening_port);
            ReplicaLine { ip, port, offset, lag: now.saturating_sub(acked) / 1000 }
        })
        .collect()
}

/// WAIT: no replica acknowledges, so a client asking for one or more waits out its timeout
/// (forever with 0, until CLIENT UNBLOCK) and gets 0; inside MULTI or a script, 0 at once.
fn wait(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let replicas = args.next_i64()?;
    let deadline = super::blocking::parse_timeout_ms(ctx, &args.next_bytes()?)?;
    if replicas <= 0 {
        return Ok(Frame::Integer(0));
    }
    super::blocking::block_or(ctx, deadline, Frame::Integer(0))
}

/// WAITAOF: the local append-only file acknowledges at once when `appendonly` is on (the
/// engine's writes are done when the command returns); replicas never do.
fn waitaof(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let local = args.next_i64()?;
    if !(0..=1).contains(&local) {
        return Err(CmdError::err("value is out of range, value must between 0 and 1"));
    }
    // Redis's getPositiveLongFromObjectOrReply: one error for "not a number" and "negative".
    let replicas = crate::args::parse_i64(&args.next_bytes()?)
        .filter(|n| *n >= 0)
        .ok_or_else(|| CmdError::err("value is out of range, must be positive"))?;
    let deadline = super::blocking::parse_timeout_ms(ctx, &args.next_bytes()?)?;
    let aof = ctx.server.config.appendonly;
    if local == 1 && !aof {
        return Err(CmdError::err("WAITAOF cannot be used when numlocal is set but appendonly is disabled."));
    }
    let acked = Frame::Array(vec![Frame::Integer(i64::from(aof)), Frame::Integer(0)]);
    if replicas == 0 {
        return Ok(acked);
    }
    super::blocking::block_or(ctx, deadline, acked)
}

/// The error of a write on a read-only replica.
pub const READONLY: &str = "READONLY You can't write against a read only replica.";
/// The error of a command without the `stale` flag while the link is down and
/// `replica-serve-stale-data` is `no`.
pub const MASTERDOWN: &str =
    "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

/// `processCommand`'s replica checks for a command that writes (`write`) or may not run on stale
/// data (`denystale`): the error it gets, if any.
pub fn replica_refusal(server: &crate::server::Server, write: bool, denystale: bool) -> Option<&'static str> {
    server.repl.primary.as_ref()?;
    if write && server.config.is_on("replica-read-only") {
        return Some(READONLY);
    }
    let stale = server.repl.link.is_none();
    (denystale && stale && !server.config.is_on("replica-serve-stale-data")).then_some(MASTERDOWN)
}

/// Drop the link to the primary, if one is up (REPLICAOF changed or ended).
fn drop_link(ctx: &mut Ctx) {
    if let Some(link) = ctx.server.repl.link.take() {
        super::connection::drop_client(ctx.server, link.client);
        ctx.server.repl.link_down_since = Some(ctx.now);
    }
}

fn replicaof(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let host = args.next_bytes()?;
    let port = args.next_bytes()?;
    if host.eq_ignore_ascii_case(b"no") && port.eq_ignore_ascii_case(b"one") {
        drop_link(ctx);
        ctx.server.repl.primary = None;
        ctx.server.repl.link_down_since = None;
        return Ok(Frame::ok());
    }
    if ctx.client.replica {
        return Err(CmdError::err("Command is not valid when client is a replica."));
    }
    let invalid = || CmdError::err("Invalid master port");
    let port = crate::args::parse_i64(&port).filter(|p| (0..=65535).contains(p)).ok_or_else(invalid)?;
    let host = String::from_utf8_lossy(&host).into_owned();
    if ctx
        .server
        .repl
        .primary
        .as_ref()
        .is_some_and(|(h, p)| h.eq_ignore_ascii_case(&host) && *p as i64 == port)
    {
        return Ok(Frame::Simple("OK Already connected to specified master".into()));
    }
    drop_link(ctx);
    ctx.server.repl.primary = Some((host, port as u16));
    unblock_all(ctx);
    Ok(Frame::ok())
}

/// `disconnectAllBlockedClients`: a primary's blocked clients fail when it becomes a replica
/// (those CLIENT PAUSE holds stay held, to run or be refused afresh).
fn unblock_all(ctx: &mut Ctx) {
    let blocked: Vec<u64> = ctx.server.clients.keys().copied().collect();
    for id in blocked {
        super::blocking::unblock(ctx.server, id, true, |_, _| {
            Frame::Error(
                "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)".into(),
            )
        });
    }
}

/// FAILOVER: Redis's argument checks, then what a primary without replicas answers.
fn failover(_: &mut Ctx, args: &mut Args) -> CmdResult {
    let rest = args.rest();
    if rest.len() == 1 && rest[0].eq_ignore_ascii_case(b"abort") {
        return Err(CmdError::err("No failover in progress."));
    }
    let (mut timeout, mut host, mut force) = (0i64, false, false);
    let mut i = 0;
    while i < rest.len() {
        let word = &rest[i];
        if word.eq_ignore_ascii_case(b"timeout") && i + 1 < rest.len() && timeout == 0 {
            timeout = crate::args::parse_i64(&rest[i + 1]).ok_or_else(CmdError::not_integer)?;
            if timeout <= 0 {
                return Err(CmdError::err("FAILOVER timeout must be greater than 0"));
            }
            i += 2;
        } else if word.eq_ignore_ascii_case(b"to") && i + 2 < rest.len() && !host {
            crate::args::parse_i64(&rest[i + 2]).ok_or_else(CmdError::not_integer)?;
            host = true;
            i += 3;
        } else if word.eq_ignore_ascii_case(b"force") && !force {
            force = true;
            i += 1;
        } else {
            return Err(CmdError::syntax());
        }
    }
    Err(CmdError::err("FAILOVER requires connected replicas."))
}
