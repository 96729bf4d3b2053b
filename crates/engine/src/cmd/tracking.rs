//! Server-assisted client-side caching, as Redis 7.4's `tracking.c`: CLIENT TRACKING, CACHING,
//! GETREDIR and TRACKINGINFO, and the invalidations they cause.
//!
//! In the default mode, a tracking client's read-only commands remember their keys in a table
//! (key -> client ids); a change to a key (`Server::touch`, Redis's `signalModifiedKey`) takes the
//! key out of the table and invalidates it for each of those clients. In BCAST mode clients
//! register prefixes instead, and the keys changed under a prefix are sent together after each
//! command (Redis: before the event loop sleeps). An invalidation is an `invalidate` push to a
//! RESP3 client, a message on `__redis__:invalidate` to a RESP2 subscriber it redirects to, or
//! nothing (a RESP2 client without redirection). Invalidations are delivered after the
//! command that caused them, when every client is back in the client map; the caller's own come
//! after its reply, as Redis's pending invalidations do.

use super::{spec, CommandSpec};
use crate::args::Args;
use crate::ctx::Ctx;
use crate::error::{CmdError, CmdResult};
use crate::frame::{Frame, Protocol};
use crate::server::{Client, Server};
use bytes::Bytes;
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

/// One client's tracking mode (CLIENT TRACKING ON and its options).
#[derive(Debug, Clone, Default)]
pub struct ClientTracking {
    /// The client invalidations go to (0: this one).
    pub redirect: u64,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    pub noloop: bool,
    /// CLIENT CACHING YES/NO given for the next command (or transaction).
    pub caching: bool,
    /// The redirect client is gone.
    pub broken: bool,
    /// BCAST prefixes, sorted as Redis's radix tree lists them.
    pub prefixes: BTreeSet<Bytes>,
}

/// Clients of one BCAST prefix, and the keys under it changed since the last broadcast (with
/// the client that changed each last, for NOLOOP; 0 for the server).
#[derive(Debug, Default)]
struct Prefix {
    clients: BTreeSet<u64>,
    keys: BTreeMap<Bytes, u64>,
}

/// The server's tracking state.
#[derive(Debug, Default)]
pub struct Table {
    /// Key -> the clients that read it (Redis's TrackingTable, all databases together).
    keys: IndexMap<Bytes, BTreeSet<u64>>,
    /// Client ids held by `keys` (`tracking_total_items`).
    items: u64,
    prefixes: BTreeMap<Bytes, Prefix>,
    /// Invalidations to deliver after the current command: (client, key or None for a flush,
    /// the client whose command caused it).
    pending: Vec<(u64, Option<Bytes>, u64)>,
    /// Rounds in a row the table stayed over `tracking-table-max-keys` (Redis's effort grows).
    over_limit_rounds: u32,
}

impl Table {
    /// True when a key change may concern a tracking client.
    pub fn active(&self) -> bool {
        !self.keys.is_empty() || !self.prefixes.is_empty()
    }

    /// Where `client`'s own flush invalidation waits in the pending list, if it does.
    pub fn own_flush(&self, client: u64) -> Option<usize> {
        self.pending.iter().position(|(id, key, _)| *id == client && key.is_none())
    }

    /// Drop pending invalidation `i` (delivered another way).
    pub fn take_pending(&mut self, i: usize) {
        self.pending.remove(i);
    }

    /// (`tracking_total_keys`, `tracking_total_items`, `tracking_total_prefixes`).
    pub fn totals(&self) -> (usize, u64, usize) {
        (self.keys.len(), self.items, self.prefixes.len())
    }
}

const CONN: &[&str] = &["noscript", "loading", "stale"];

/// CLIENT's tracking subcommands (registered in `connection.rs`'s CLIENT table).
pub const TRACKING: CommandSpec = spec(
    "tracking",
    -3,
    CONN,
    (0, 0, 0),
    "connection",
    "Turn server-assisted client-side caching on or off for this connection.",
    "<ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]",
    client_tracking,
);
pub const CACHING: CommandSpec = spec(
    "caching",
    3,
    CONN,
    (0, 0, 0),
    "connection",
    "Track (OPTIN) or skip (OPTOUT) the keys of the next command.",
    "<YES | NO>",
    client_caching,
);
pub const GETREDIR: CommandSpec = spec(
    "getredir",
    2,
    CONN,
    (0, 0, 0),
    "connection",
    "The client invalidations are redirected to.",
    "",
    getredir,
);
pub const TRACKINGINFO: CommandSpec = spec(
    "trackinginfo",
    2,
    CONN,
    (0, 0, 0),
    "connection",
    "This connection's tracking mode, redirection and prefixes.",
    "",
    trackinginfo,
);

fn client_tracking(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let on = args.next_bytes()?;
    let mut mode = ClientTracking::default();
    let mut prefixes = Vec::new();
    while let Some(opt) = args.next_opt() {
        let more = !args.is_empty();
        match opt.to_ascii_lowercase().as_slice() {
            b"redirect" if more => {
                if mode.redirect != 0 {
                    return Err(CmdError::err("A client can only redirect to a single other client"));
                }
                let id = args.next_i64()?;
                let exists =
                    id == ctx.client.id as i64 || (id > 0 && ctx.server.clients.contains_key(&(id as u64)));
                if !exists {
                    return Err(CmdError::err("The client ID you want redirect to does not exist"));
                }
                mode.redirect = id as u64;
            }
            b"bcast" => mode.bcast = true,
            b"optin" => mode.optin = true,
            b"optout" => mode.optout = true,
            b"noloop" => mode.noloop = true,
            b"prefix" if more => prefixes.push(args.next_bytes()?),
            _ => return Err(CmdError::syntax()),
        }
    }
    if on.eq_ignore_ascii_case(b"off") {
        disable(ctx.server, ctx.client);
        return Ok(Frame::ok());
    }
    if !on.eq_ignore_ascii_case(b"on") {
        return Err(CmdError::syntax());
    }
    if !mode.bcast && !prefixes.is_empty() {
        return Err(CmdError::err("PREFIX option requires BCAST mode to be enabled"));
    }
    let current = ctx.client.tracking.as_ref();
    if current.is_some_and(|c| c.bcast != mode.bcast) {
        return Err(CmdError::err(
            "You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
        ));
    }
    if mode.bcast && (mode.optin || mode.optout) {
        return Err(CmdError::err("OPTIN and OPTOUT are not compatible with BCAST"));
    }
    if mode.optin && mode.optout {
        return Err(CmdError::err("You can't specify both OPTIN mode and OPTOUT mode"));
    }
    if current.is_some_and(|c| (mode.optin && c.optout) || (mode.optout && c.optin)) {
        return Err(CmdError::err(
            "You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
        ));
    }
    if mode.bcast {
        check_prefixes(current.map(|c| &c.prefixes), &prefixes)?;
    }
    // Re-enabling keeps the prefixes registered before (Redis adds to them) and CACHING.
    let mut state = ctx.client.tracking.take().unwrap_or_default();
    state.redirect = mode.redirect;
    (state.bcast, state.optin, state.optout, state.noloop, state.broken) =
        (mode.bcast, mode.optin, mode.optout, mode.noloop, false);
    if mode.bcast {
        if prefixes.is_empty() {
            prefixes.push(Bytes::new());
        }
        for prefix in prefixes {
            ctx.server.tracking.prefixes.entry(prefix.clone()).or_default().clients.insert(ctx.client.id);
            state.prefixes.insert(prefix);
        }
    }
    ctx.client.tracking = Some(state);
    Ok(Frame::ok())
}

/// Redis's `checkPrefixCollisionsOrReply`: no prefix may start another of the same client.
fn check_prefixes(existing: Option<&BTreeSet<Bytes>>, new: &[Bytes]) -> Result<(), CmdError> {
    let overlap = |a: &[u8], b: &[u8]| a[..a.len().min(b.len())] == b[..a.len().min(b.len())];
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for (i, p) in new.iter().enumerate() {
        if let Some(old) = existing.into_iter().flatten().find(|old| overlap(old, p)) {
            return Err(CmdError::err(format!(
                "Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                text(p),
                text(old)
            )));
        }
        if let Some(other) = new[i + 1..].iter().find(|q| overlap(p, q)) {
            return Err(CmdError::err(format!(
                "Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                text(p),
                text(other)
            )));
        }
    }
    Ok(())
}

/// Turn tracking off for `client` (CLIENT TRACKING OFF, RESET, a closed connection). The keys
/// it read stay in the table, as in Redis: invalidating them later skips it.
pub fn disable(server: &mut Server, client: &mut Client) {
    let Some(state) = client.tracking.take() else { return };
    for prefix in state.prefixes {
        if let Some(p) = server.tracking.prefixes.get_mut(&prefix) {
            p.clients.remove(&client.id);
            if p.clients.is_empty() {
                server.tracking.prefixes.remove(&prefix);
            }
        }
    }
}

fn client_caching(ctx: &mut Ctx, args: &mut Args) -> CmdResult {
    let Some(state) = ctx.client.tracking.as_mut() else {
        return Err(CmdError::err(
            "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
        ));
    };
    let yes = args.next_bytes()?;
    if yes.eq_ignore_ascii_case(b"yes") {
        if !state.optin {
            return Err(CmdError::err(
                "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
            ));
        }
    } else if yes.eq_ignore_ascii_case(b"no") {
        if !state.optout {
            return Err(CmdError::err(
                "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
            ));
        }
    } else {
        return Err(CmdError::syntax());
    }
    state.caching = true;
    Ok(Frame::ok())
}

fn getredir(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    Ok(Frame::Integer(ctx.client.tracking.as_ref().map_or(-1, |t| t.redirect as i64)))
}

fn trackinginfo(ctx: &mut Ctx, _: &mut Args) -> CmdResult {
    let t = ctx.client.tracking.as_ref();
    let mut flags = vec![if t.is_some() { "on" } else { "off" }];
    if let Some(t) = t {
        let caching = t.caching;
        for (set, name) in [
            (t.bcast, "bcast"),
            (t.optin, "optin"),
            (t.optin && caching, "caching-yes"),
            (t.optout, "optout"),
            (t.optout && caching, "caching-no"),
            (t.noloop, "noloop"),
            (t.broken, "broken_redirect"),
        ] {
            if set {
                flags.push(name);
            }
        }
    }
    let prefixes = t.map_or_else(Vec::new, |t| t.prefixes.iter().map(|p| Frame::Bulk(p.clone())).collect());
    Ok(Frame::Map(vec![
        (Frame::bulk("flags"), Frame::Set(flags.into_iter().map(Frame::bulk).collect())),
        (Frame::bulk("redirect"), Frame::Integer(t.map_or(-1, |t| t.redirect as i64))),
        (Frame::bulk("prefixes"), Frame::Array(prefixes)),
    ]))
}

/// After a read-only command of a tracking client (default mode): remember the keys it read,
/// unless OPTIN without CACHING YES or OPTOUT with CACHING NO say otherwise.
pub fn remember(server: &mut Server, client: &Client, spec: &CommandSpec, argv: &[Bytes]) {
    let Some(t) = &client.tracking else { return };
    if t.bcast || (t.optin && !t.caching) || (t.optout && t.caching) || spec.has_flag("pubsub") {
        return;
    }
    for pos in super::server::getkeys::key_positions(spec, argv).unwrap_or_default() {
        if let Some(key) = argv.get(pos) {
            if server.tracking.keys.entry(key.clone()).or_default().insert(client.id) {
                server.tracking.items += 1;
            }
        }
    }
}

/// A key changed (Redis's `trackingInvalidateKey`): BCAST prefixes note it, and the clients
/// that read it are invalidated after the command.
pub fn invalidate(server: &mut Server, key: &Bytes, bcast: bool) {
    let by = server.current_client;
    let table = &mut server.tracking;
    for (prefix, p) in table.prefixes.iter_mut().filter(|_| bcast) {
        if key.starts_with(prefix) {
            p.keys.insert(key.clone(), by);
        }
    }
    if let Some(ids) = table.keys.shift_remove(key) {
        table.items -= ids.len() as u64;
        table.pending.extend(ids.into_iter().map(|id| (id, Some(key.clone()), by)));
    }
}

/// FLUSHALL/FLUSHDB: every tracking client is told to drop everything (a null invalidation),
/// and the table is emptied.
pub fn flush(server: &mut Server, ids: Vec<u64>) {
    let by = server.current_client;
    let table = &mut server.tracking;
    table.keys.clear();
    table.items = 0;
    // FLUSHALL empties every database but tells each client once.
    for id in ids {
        if !table.pending.iter().any(|(p, key, _)| *p == id && key.is_none()) {
            table.pending.push((id, None, by));
        }
    }
}

/// Deliver the invalidations the last command (or tick) caused (Redis's
/// `trackingHandlePendingKeyInvalidations`).
pub fn deliver(server: &mut Server) {
    for (id, key, by) in std::mem::take(&mut server.tracking.pending) {
        let wanted = server.clients.get(&id).and_then(|c| c.tracking.as_ref()).is_some_and(|t| {
            // A flush reaches every mode; a key only default-mode clients (NOLOOP: not the writer).
            key.is_none() || !(t.bcast || (t.noloop && id == by))
        });
        if wanted {
            let payload = key.map_or(Frame::Null, |k| Frame::Array(vec![Frame::Bulk(k)]));
            send(server, id, payload);
        }
    }
}

/// The invalidations pending for `me`, the running client (out of the client map), that reach
/// its own connection: made before its command ran (the tracking table's limit, eviction), they
/// precede its reply, as Redis writes them to the client at once. Redirected ones stay pending.
pub fn take_own(server: &mut Server, me: &Client) -> Vec<Frame> {
    let own = me.tracking.as_ref().is_some_and(|t| t.redirect == 0 && !t.bcast);
    if !own || me.protocol != Protocol::Resp3 || server.tracking.pending.is_empty() {
        return Vec::new();
    }
    let (mine, rest) = std::mem::take(&mut server.tracking.pending)
        .into_iter()
        .partition::<Vec<_>, _>(|(id, key, _)| *id == me.id && key.is_some());
    server.tracking.pending = rest;
    let invalidate =
        |key: Bytes| Frame::Push(vec![Frame::bulk("invalidate"), Frame::Array(vec![Frame::Bulk(key)])]);
    mine.into_iter().filter_map(|(_, key, _)| key.map(invalidate)).collect()
}

/// Send the keys changed under each BCAST prefix since the last call (Redis's
/// `trackingBroadcastInvalidationMessages`, run before the event loop sleeps).
pub fn broadcast(server: &mut Server) {
    let mut sends = Vec::new();
    for p in server.tracking.prefixes.values_mut() {
        if p.keys.is_empty() {
            continue;
        }
        let keys = std::mem::take(&mut p.keys);
        for &id in &p.clients {
            let noloop = server.clients.get(&id).and_then(|c| c.tracking.as_ref()).is_some_and(|t| t.noloop);
            let list: Vec<Frame> = keys
                .iter()
                .filter(|(_, by)| !noloop || **by != id)
                .map(|(k, _)| Frame::Bulk(k.clone()))
                .collect();
            if !list.is_empty() {
                sends.push((id, Frame::Array(list)));
            }
        }
    }
    for (id, payload) in sends {
        send(server, id, payload);
    }
}

/// Redis's `sendTrackingMessage`: to the client, or to the one it redirects to.
fn send(server: &mut Server, id: u64, payload: Frame) {
    let Some(client) = server.clients.get(&id) else { return };
    let Some(redirect) = client.tracking.as_ref().map(|t| t.redirect) else { return };
    let resp3 = |c: &Client| c.protocol == Protocol::Resp3;
    if redirect == 0 {
        if resp3(client) {
            server.push_to(id, Frame::Push(vec![Frame::bulk("invalidate"), payload]));
        }
        return;
    }
    let own_resp3 = resp3(client);
    match server.clients.get(&redirect) {
        None => {
            if let Some(t) = server.clients.get_mut(&id).and_then(|c| c.tracking.as_mut()) {
                t.broken = true;
            }
            if own_resp3 {
                let frame =
                    Frame::Push(vec![Frame::bulk("tracking-redir-broken"), Frame::Integer(redirect as i64)]);
                server.push_to(id, frame);
            }
        }
        Some(to) if resp3(to) => {
            server.push_to(redirect, Frame::Push(vec![Frame::bulk("invalidate"), payload]))
        }
        Some(to) if to.subs.active() => {
            let channel = Frame::bulk("__redis__:invalidate");
            server.push_to(redirect, Frame::Push(vec![Frame::bulk("message"), channel, payload]));
        }
        Some(_) => {}
    }
}

/// Before a command, Redis's `trackingLimitUsedSlots`: over `tracking-table-max-keys`, keys
/// picked at random are invalidated, with an effort that grows while the table stays over.
pub fn limit(server: &mut Server) {
    let max = server.config.tracking_table_max_keys as usize;
    if max == 0 || server.tracking.keys.len() <= max {
        server.tracking.over_limit_rounds = 0;
        return;
    }
    let mut effort = 100 * (server.tracking.over_limit_rounds as usize + 1);
    while effort > 0 && !server.tracking.keys.is_empty() {
        effort -= 1;
        let n = server.tracking.keys.len();
        let pick = server.random_below(n);
        let Some(key) = server.tracking.keys.get_index(pick).map(|(k, _)| k.clone()) else { break };
        let saved = std::mem::replace(&mut server.current_client, 0);
        invalidate(server, &key, false);
        server.current_client = saved;
        if server.tracking.keys.len() <= max {
            server.tracking.over_limit_rounds = 0;
            return;
        }
    }
    server.tracking.over_limit_rounds += 1;
}
